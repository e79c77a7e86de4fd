#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run one command in a fresh QEMU guest booted with a Debian kernel, with
# pcfifo's modules (built for that kernel) available to modprobe.
set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} --kernel 6.1|6.12 [options] -- COMMAND [ARG...]

Builds src/ for the kernel (W=1 + sparse; an up-to-date build is reused),
builds an initramfs, boots it and runs COMMAND in the guest as root with
/pcfifo/tests/guest and /pcfifo/configfs-examples present.

  --kernel K       kernel flavour: 6.1 or 6.12 (the ABI is resolved with apt)
  --name NAME      log name: build/logs/<abi>-NAME.{log,dmesg} (default: vm)
  --timeout SEC    hard limit for the whole VM run (default: 300)
  --interactive    connect the terminal to the guest command (^A x quits)
  --console-log    the terminal shows only COMMAND (on the guest's second
                   serial port); the kernel console goes to the log only
  --no-modules     do not build or include pcfifo's modules

Exit status: COMMAND's status; 1 if that was 0 but the kernel log shows a
WARNING, BUG, Oops, hung task etc.; 125 if the guest never reported a status
(timeout, panic) or the harness failed.

example: ${0##*/} --kernel 6.1 -- sh /pcfifo/tests/guest/run-suite.sh
EOF
}

# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/kernel.sh
. "$PCFIFO_ROOT/tests/lib/kernel.sh"
# shellcheck source=lib/build.sh
. "$PCFIFO_ROOT/tests/lib/build.sh"
# shellcheck source=vm/initramfs.sh
. "$PCFIFO_ROOT/tests/vm/initramfs.sh"
# shellcheck source=vm/qemu.sh
. "$PCFIFO_ROOT/tests/vm/qemu.sh"

# Any harness failure exits 125, never a status a guest could return.
trap '[ $? -eq 0 ] || exit 125' EXIT

flavour='' name=vm timeout=300 interactive=0 modules=1 console_log=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) flavour=${2:?--kernel needs a value}; shift 2 ;;
	--name) name=${2:?--name needs a value}; shift 2 ;;
	--timeout) timeout=${2:?--timeout needs a value}; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--console-log) console_log=1; shift ;;
	--no-modules) modules=0; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage >&2; exit 125 ;;
	esac
done
if [ -z "$flavour" ] || [ $# -eq 0 ]; then
	usage >&2
	exit 125
fi
[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "--name: letters, digits, '.', '_', '-' only"
[[ $timeout =~ ^[0-9]+$ && $timeout -ge 30 ]] || die "--timeout: 30 seconds or more"
# for the log line: the first line of a multi-line script
cmdline="$*"
[[ $cmdline != *$'\n'* ]] || cmdline="${cmdline%%$'\n'*} ..."
# --console-log: the command runs on ttyS1, which QEMU connects to the
# terminal; interactive, ttyS1 becomes its controlling terminal (^C), in
# the session init made (setsid forks only if it leads a process group).
# shellcheck disable=SC2016 # "$@" is the guest shell's
if [ "$console_log$interactive" = 11 ]; then
	set -- sh -c 'setsid -c "$@" <>/dev/ttyS1 >&0 2>&1; exit $?' sh "$@"
elif [ "$console_log" = 1 ]; then
	set -- sh -c 'exec </dev/null >/dev/ttyS1 2>&1 && exec "$@"' sh "$@"
fi

need_pkgs qemu-system-x86 cpio kmod gzip coreutils util-linux
ver=$(kernel_resolve "$flavour")
debver=$(kernel_headers "$ver")

kos=()
if [ $modules = 1 ]; then
	# Build warnings are make check's business; a test run goes on with them.
	build_modules "$ver" "$debver"
	[ "$BUILD_RC" -ne 1 ] || die "module build failed"
	mapfile -t kos < <(build_kos "$ver")
	[ ${#kos[@]} -gt 0 ] || die "the build produced no .ko files"
fi

image=$(kernel_image "$ver" "$debver")
initrd=$PCFIFO_BUILD/$ver/initramfs-$name.cpio.gz
mkdir -p "$PCFIFO_BUILD/$ver"
# The guest gets most of the time; the rest is for boot and the log dump.
initramfs_build "$initrd" "$ver" "$image" $((timeout - 20)) "$interactive" \
	"${kos[@]}" -- "$@"

log "booting $ver: $cmdline"
rc=0
vm_retry "$PCFIFO_LOGS/$ver-$name.log" vm_boot "$(kernel_boot_file "$image" "$ver")" "$initrd" \
	"$PCFIFO_LOGS/$ver-$name.log" "$timeout" "$interactive" "$console_log" || rc=$?
trap - EXIT
log "$ver $name: exit status $rc (log: $PCFIFO_LOGS/$ver-$name.log)"
exit "$rc"
