# SPDX-License-Identifier: GPL-2.0
#
# pcfifo: build, install and test the module set.
#
#   make                       build against the running kernel
#   make KDIR=/path/to/build   build against another kernel tree
#   make install / uninstall   modules_install into updates/ + depmod
#   make check                 static checks and the VM suite (see README)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
SRC := $(CURDIR)/src
INSTALL_MOD_DIR ?= updates
MODULES := pcfifo pcfifo_producer pcfifo_consumer

.PHONY: all modules install uninstall clean

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(SRC) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(SRC) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install
	depmod -a $(KVER)

uninstall:
	rm -f $(foreach m,$(MODULES),$(wildcard $(INSTALL_MOD_PATH)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/$(m).ko*))
	depmod -a $(KVER)

clean:
	$(MAKE) -C $(KDIR) M=$(SRC) clean 2>/dev/null || \
		rm -rf $(SRC)/*.o $(SRC)/*.ko $(SRC)/*.mod $(SRC)/*.mod.c $(SRC)/.*.cmd \
			$(SRC)/Module.symvers $(SRC)/modules.order
	rm -rf build

# ---- tests (tests/) -------------------------------------------------------
#
#   make check             for 6.1 and 6.12: W=1 + sparse build, checkpatch
#                          --strict, then the guest suite in QEMU (tests/check.sh)
#   make check-static      the same without guests
#   make demo              boot a 6.1 guest running configfs-examples/demo.sh
#   make check TEST_KERNELS=6.12   one kernel only
#   tests/vm-run.sh --kernel 6.1 -- CMD...   any command in a guest

TEST_KERNELS ?= 6.1 6.12

.PHONY: check check-static demo

check:
	tests/check.sh $(TEST_KERNELS)

check-static:
	tests/check.sh --static $(TEST_KERNELS)

demo:
	tests/vm-run.sh --kernel 6.1 --name demo -- sh /pcfifo/configfs-examples/demo.sh

# ---- packaging (dkms.conf, debian/, rpm/) ---------------------------------
