# SPDX-License-Identifier: GPL-2.0
#
# pcfifo: build, install and test the module set.
#
#   make                       build against the running kernel
#   make KDIR=/path/to/build   build against another kernel tree
#   make install / uninstall   modules_install into updates/ + depmod (no
#                              depmod with INSTALL_MOD_PATH: a staging tree)
#   make install-user / uninstall-user   the header <linux/pcfifo.h> and the
#                              manual page pcfifo(4) (DESTDIR, PREFIX=/usr)
#   make examples              also build examples/kernel-client, a module
#                              that uses pcfifo's kernel API (not installed)
#   make check                 static checks and the VM suite (see README)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
SRC := $(CURDIR)/src
EXAMPLES := $(CURDIR)/examples/kernel-client
INSTALL_MOD_DIR ?= updates
MODULES := pcfifo pcfifo_producer pcfifo_consumer

.PHONY: all modules examples install uninstall clean

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(SRC) modules

# The example calls pcfifo's functions: modpost finds them in the
# Module.symvers of the build above.
examples: modules
	$(MAKE) -C $(KDIR) M=$(EXAMPLES) KBUILD_EXTRA_SYMBOLS=$(SRC)/Module.symvers modules

# depmod updates the running system's module index; a staged install
# (INSTALL_MOD_PATH, as packagers use) leaves that to the package.
DEPMOD = $(if $(INSTALL_MOD_PATH),@echo "INSTALL_MOD_PATH is set: not running depmod",depmod -a $(KVER))

install: modules
	$(MAKE) -C $(KDIR) M=$(SRC) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install
	$(DEPMOD)

uninstall:
	rm -f $(foreach m,$(MODULES),$(wildcard $(INSTALL_MOD_PATH)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/$(m).ko*))
	$(DEPMOD)

# ---- for programs: the uapi header and the manual page --------------------
#
#   make install-user          install-headers + install-man
#   make install-headers       src/uapi/pcfifo.h -> $(DESTDIR)$(INCLUDEDIR)/linux/pcfifo.h
#   make install-man           man/pcfifo.4 -> $(DESTDIR)$(MANDIR)/man4/pcfifo.4
#   make uninstall-user        remove both
#
# DESTDIR stages (packages); INCLUDEDIR and MANDIR default to PREFIX's.

DESTDIR ?=
PREFIX ?= /usr
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man

.PHONY: install-user install-headers install-man uninstall-user

install-user: install-headers install-man

install-headers:
	install -D -m 0644 $(SRC)/uapi/pcfifo.h $(DESTDIR)$(INCLUDEDIR)/linux/pcfifo.h

install-man:
	install -D -m 0644 $(CURDIR)/man/pcfifo.4 $(DESTDIR)$(MANDIR)/man4/pcfifo.4

uninstall-user:
	rm -f $(DESTDIR)$(INCLUDEDIR)/linux/pcfifo.h $(DESTDIR)$(MANDIR)/man4/pcfifo.4

# ---- the tool: pcfifoctl (utils/) ------------------------------------------
#
#   make utils                 build utils/pcfifoctl (needs json-c: libjson-c-dev
#                              and pkg-config; so not part of `make`, which
#                              DKMS runs)
#   make install-utils         the tool, pcfifoctl(8), the bash completion and
#                              pcfifo.service (DESTDIR, PREFIX=/usr; utils/Makefile)
#   make uninstall-utils       remove them
#   make check-utils           the host unit tests, cppcheck with no findings,
#                              mandoc -T lint of man/pcfifoctl.8
#   make clean-utils

.PHONY: utils install-utils uninstall-utils check-utils clean-utils

utils:
	$(MAKE) -C utils

install-utils:
	$(MAKE) -C utils install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) MANDIR=$(MANDIR)

uninstall-utils:
	$(MAKE) -C utils uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) MANDIR=$(MANDIR)

check-utils:
	$(MAKE) -C utils check cppcheck
	mandoc -T lint -W warning man/pcfifoctl.8

clean-utils:
	$(MAKE) -C utils clean

clean:
	$(MAKE) -C $(KDIR) M=$(SRC) clean 2>/dev/null || \
		rm -rf $(SRC)/*.o $(SRC)/*.ko $(SRC)/*.mod $(SRC)/*.mod.c $(SRC)/.*.cmd \
			$(SRC)/Module.symvers $(SRC)/modules.order
	$(MAKE) -C $(KDIR) M=$(EXAMPLES) clean 2>/dev/null || \
		rm -rf $(EXAMPLES)/*.o $(EXAMPLES)/*.ko $(EXAMPLES)/*.mod $(EXAMPLES)/*.mod.c \
			$(EXAMPLES)/.*.cmd $(EXAMPLES)/Module.symvers $(EXAMPLES)/modules.order
	$(if $(wildcard utils/Makefile),$(MAKE) -C utils clean)
	rm -rf build dist

# ---- tests (tests/) -------------------------------------------------------
#
#   make check             for 6.1 and 6.12: W=1 + sparse build, checkpatch
#                          --strict, then the guest suite in QEMU (tests/check.sh)
#   make check-static      the same without guests
#   make demo              boot a 6.1 guest running configfs-examples/demo.sh
#                          (driven by pcfifoctl); the terminal shows only the
#                          demo, the kernel console goes to build/logs/
#   make shell             an interactive 6.1 guest: the modules (not loaded),
#                          pcfifoctl and configfs-examples/; exit or ^A x
#                          quits (DEMO_KERNEL=6.12: the other kernel)
#   make check TEST_KERNELS=6.12   one kernel only
#   tests/vm-run.sh --kernel 6.1 -- CMD...   any command in a guest

TEST_KERNELS ?= 6.1 6.12

.PHONY: check check-static demo shell

check:
	tests/check.sh $(TEST_KERNELS)

check-static:
	tests/check.sh --static $(TEST_KERNELS)

DEMO_KERNEL ?= 6.1

demo:
	tests/vm-run.sh --kernel $(DEMO_KERNEL) --name demo --console-log -- \
		sh /pcfifo/configfs-examples/demo.sh

# What the guest of `make shell` runs: a banner, then an interactive shell.
define PCFIFO_SHELL_GUEST
export PATH=/pcfifo/bin:$$PATH PS1='pcfifo-guest# '
cd /pcfifo || exit 1
cat <<EOF
pcfifo guest, kernel $$(uname -r): the modules are installed, not loaded;
configfs is mounted. pcfifoctl loads what it needs. Try:
  pcfifoctl add producer apple --rate 5     pcfifoctl status
  pcfifoctl add consumer eater --rate 3     pcfifoctl top   (q quits)
  pcfifoctl send default hello world        pcfifoctl recv default -n 2
  pcfifoctl save /tmp/c.json; pcfifoctl reset; pcfifoctl restore /tmp/c.json
  pcfifoctl --help                          sh configfs-examples/demo.sh
  ls /sys/kernel/config/pcfifo /sys/kernel/pcfifo /dev/pcfifo
exit (or ^A x) quits.
EOF
exec sh -i
endef
export PCFIFO_SHELL_GUEST

shell:
	tests/vm-run.sh --kernel $(DEMO_KERNEL) --name shell --interactive --console-log \
		--timeout 7200 -- sh -c "$$PCFIFO_SHELL_GUEST"

# ---- benchmark (tests/bench/) --------------------------------------------
#
#   make bench             the performance figures in a 6.1 QEMU guest (about
#                          30 min): rate precision, FIFO throughput against a
#                          kfifo+spinlock baseline module, cost, latency,
#                          scale, the device files against a pipe, the
#                          kernel API against the baseline, spacing (new
#                          and old engine); prints the tables and writes
#                          BENCHMARKS.md and its plots, bench/*.svg
#   make bench BENCH_QUICK=1   one run of each, short windows (about 5 min)
#   make bench BENCH_KERNEL=6.12   another kernel
#   make bench BENCH_PARTS="dev api"   some parts only (tests/bench/run.sh
#                          --help); the report goes to build/<abi>/

BENCH_KERNEL ?= 6.1
BENCH_QUICK ?=
BENCH_PARTS ?=

.PHONY: bench

bench:
	tests/bench/run.sh --kernel $(BENCH_KERNEL) $(if $(filter-out 0,$(BENCH_QUICK)),--quick) $(BENCH_PARTS)

# ---- packaging (dkms.conf, debian/, rpm/) ---------------------------------
#
#   make dist              dist/pcfifo-<version>.tar.gz (git's file list)
#   make deb               dist/pcfifo-dkms_<debversion>_all.deb and
#                          pcfifo-utils_<debversion>_<arch>.deb (+ the source
#                          package, 3.0 (quilt) on the dist tarball, in build/deb/)
#   make rpm               dist/pcfifo-dkms-<version>-<rel>.noarch.rpm,
#                          pcfifo-utils-<version>-<rel>.<arch>.rpm + .src.rpm
#   make lint-packages     version agreement, licenses, lintian and rpmlint
#   make check-packages    end to end: DKMS in a bookworm root, kernel upgrade,
#                          boot both kernels in QEMU, purge, RPM (also with a
#                          kernel that has no headers), check-repro (tests/pkg/)
#   make check-repro       dist, deb and rpm built twice are byte-identical
#   make check-autopkgtest Debian's generated DKMS autopkgtest on the .deb,
#                          in a bookworm root (tests/pkg/autopkgtest.sh)
#   make prepare-packages  that bookworm root, into the cache, and nothing
#                          else (tests/pkg/root.sh): what .ci/run prepares
#                          in the background
#
# The outputs are reproducible: every timestamp in them is SOURCE_DATE_EPOCH,
# the last commit's time unless set (tests/pkg/dist.sh --epoch).

PKG_VERSION := $(shell sed -n 's/^\#define[[:space:]]*PCFIFO_VERSION[[:space:]]*"\(.*\)".*/\1/p' src/version.h)
PKG_DIST := dist
PKG_BUILD := build
PKG_DEB_VERSION := $(shell sed -n '1{s/.*(//;s/).*//;p;}' debian/changelog 2>/dev/null)
RPM_PACKAGER ?= pcfifo maintainers <maintainers@users.noreply.h-seed-ea8af024.example>
PKG_DEB_FILE = $(PKG_DIST)/pcfifo-dkms_$(PKG_DEB_VERSION)_all.deb
PKG_TARBALL = $(PKG_DIST)/pcfifo-$(PKG_VERSION).tar.gz
# Expanded in the recipes only (a DKMS build of this Makefile has no tests/).
PKG_EPOCH = $(shell tests/pkg/dist.sh --epoch)
# rpmbuild: build time, file mtimes and build host from SOURCE_DATE_EPOCH,
# not from the clock and the machine.
RPM_REPRO := --define 'use_source_date_epoch_as_buildtime 1' \
	--define 'clamp_mtime_to_source_date_epoch 1' --define '_buildhost reproducible'
# The spec's BuildRequires (gcc, make, json-c) are checked against the rpm
# database; where rpm is not the system's package manager (Debian) that
# database is empty: `make rpm RPM_NODEPS=` on an RPM system checks them.
RPM_NODEPS ?= $(if $(wildcard /var/lib/dpkg/status),--nodeps)

.PHONY: dist deb rpm packages check-version lint-packages check-packages \
	check-repro check-autopkgtest prepare-packages

check-version:
	tests/pkg/check-version.sh

dist:
	tests/pkg/dist.sh $(PKG_DIST)

# umask 022: the modes of what tar and rpmbuild create (directories, the
# spec in the .src.rpm) must not depend on the caller's umask.
deb: dist
	rm -rf $(PKG_BUILD)/deb && mkdir -p $(PKG_BUILD)/deb
	cp $(PKG_TARBALL) $(PKG_BUILD)/deb/pcfifo_$(PKG_VERSION).orig.tar.gz
	umask 022 && tar -C $(PKG_BUILD)/deb -xzf $(PKG_TARBALL) && \
		cd $(PKG_BUILD)/deb/pcfifo-$(PKG_VERSION) && \
		SOURCE_DATE_EPOCH=$(PKG_EPOCH) dpkg-buildpackage --no-sign --build=full
	cp $(PKG_BUILD)/deb/pcfifo-dkms_$(PKG_DEB_VERSION)_all.deb \
		$(PKG_BUILD)/deb/pcfifo-utils_$(PKG_DEB_VERSION)_*.deb $(PKG_DIST)/
	@echo "deb: $(PKG_DEB_FILE) $$(ls $(PKG_DIST)/pcfifo-utils_$(PKG_DEB_VERSION)_*.deb)"

rpm: dist
	rm -rf $(PKG_BUILD)/rpm && mkdir -p $(PKG_BUILD)/rpm
	umask 022 && SOURCE_DATE_EPOCH=$(PKG_EPOCH) rpmbuild -ta $(PKG_TARBALL) $(RPM_REPRO) $(RPM_NODEPS) \
		--define '_topdir $(CURDIR)/$(PKG_BUILD)/rpm' --define 'packager $(RPM_PACKAGER)'
	cp $(PKG_BUILD)/rpm/RPMS/noarch/pcfifo-dkms-*.rpm $(PKG_BUILD)/rpm/RPMS/*/pcfifo-utils-*.rpm \
		$(PKG_BUILD)/rpm/SRPMS/pcfifo-*.src.rpm $(PKG_DIST)/
	@echo "rpm: $$(ls $(PKG_DIST)/pcfifo-*-$(PKG_VERSION)-*.rpm | tr '\n' ' ')"

packages: deb rpm

lint-packages: packages
	tests/pkg/lint.sh

check-packages:
	tests/pkg/e2e.sh

check-repro:
	tests/pkg/repro.sh

check-autopkgtest:
	tests/pkg/autopkgtest.sh

prepare-packages:
	tests/pkg/root.sh

# ---- kernel matrix (tests/matrix/) ----------------------------------------
#
#   make check-matrix      every supported kernel: bullseye 5.10, bookworm
#                          6.1, trixie 6.12, sid 7.x, each generic and
#                          PREEMPT_RT; a W=1 build in a root of its Debian
#                          release, the guest suite in QEMU, dkms.conf's
#                          BUILD_EXCLUSIVE_KERNEL; on arm64 (bookworm and
#                          sid) the W=1 build (cross-compiled), the .deb's
#                          DKMS build (in an arm64 root under qemu-user)
#                          and the guest suite in qemu-system-aarch64;
#                          writes README's table
#   make check-matrix MATRIX="sid*"   some entries only (names or globs,
#                          "sid*" is sid, sid-rt and sid-arm64;
#                          tests/matrix/run.sh --help for the rest)
#   make prepare-matrix    its apt lists, roots, kernel images, builds,
#                          arm64 DKMS checks and arm64 guest programs, no
#                          guest (--build-only, in build/matrix-prepare):
#                          what .ci/run prepares in the background while
#                          its other lanes run, check-matrix included

MATRIX ?=

.PHONY: check-matrix prepare-matrix

check-matrix:
	PCFIFO_MATRIX='$(MATRIX)' tests/matrix/run.sh

prepare-matrix:
	PCFIFO_MATRIX='$(MATRIX)' tests/matrix/run.sh --build-only

# ---- debug kernel (tests/debug/) ------------------------------------------
#
#   make check-debug       the reliability lane: build (or take from the
#                          cache) a 6.1 debug kernel with KASAN, lockdep,
#                          kmemleak, UBSAN and fault injection
#                          (tests/debug/debug.config), then run the core
#                          suite, a stress run, fault-injection walks, a
#                          bad-input sweep, the fuzzer (1,000 steps) and a
#                          kmemleak scan on it; any report in the guest's
#                          kernel log fails it
#   make check-debug DEBUG_ARGS="--stress-seconds 120 stress"   a part of it
#                          (tests/debug/run.sh --help)
#   make check-kcsan       the same lane on a second 6.1 debug kernel with
#                          KCSAN, lockdep and debugobjects
#                          (tests/debug/kcsan.config over debug.config):
#                          KUnit, the suite, the stress run and the
#                          fuzzer; any KCSAN report fails it
#   make check-kcsan DEBUG_ARGS=badinput   the bad-input sweep on it
#                          (not in CI: the KASAN lane runs it)
#   make debug-kernels     build both debug kernels (or find them cached),
#                          nothing else: what .ci/run prepares in the
#                          background
#   make soak HOURS=N      every interface at once for N hours (default 1),
#                          half on Debian's 6.1 kernel, half on the KASAN
#                          kernel: operations, items moved, findings, slab
#                          before and after the teardown, the longest rmdir
#                          (tests/soak/run.sh); not in CI
#
# ---- the fuzzer (tests/fuzz/) ----------------------------------------------
#
#   make fuzz              tests/fuzz/pcfuzz.c in a 6.1 guest: random
#                          operations on every interface, checked against a
#                          model; a divergence prints its seed and step
#   make fuzz SEED=7 STEPS=20000   replays (or extends) a run exactly
#   make fuzz MINUTES=30   rounds of 500 steps for 30 minutes
#   make check-fuzz        the fuzzer finds each bug tests/fuzz/bugs/
#                          plants, within 3,000 steps on the stock 6.1

DEBUG_ARGS ?=
HOURS ?= 1
SEED ?= 1
STEPS ?= 8000
MINUTES ?=
FUZZ_KERNEL ?= 6.1

.PHONY: check-debug check-kcsan debug-kernels soak fuzz check-fuzz

check-debug:
	tests/debug/run.sh $(DEBUG_ARGS)

debug-kernels:
	tests/debug/run.sh --kernel-only
	tests/debug/run.sh --kernel kcsan --kernel-only

check-kcsan:
	tests/debug/run.sh --kernel kcsan $(DEBUG_ARGS)

soak:
	tests/soak/run.sh $(HOURS)

fuzz:
	tests/vm-run.sh --kernel $(FUZZ_KERNEL) --name fuzz \
		--timeout $(if $(MINUTES),$(shell expr $(MINUTES) \* 60 + 300),1200) -- \
		sh /pcfifo/tests/fuzz/fuzz.sh --seed $(SEED) \
		$(if $(MINUTES),--minutes $(MINUTES),--steps $(STEPS))

check-fuzz:
	tests/fuzz/seeded.sh
