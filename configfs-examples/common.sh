# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# common.sh - sourced by the other example scripts: where pcfifo lives and
# how to make sure it is there.  Not meant to be run on its own.

# shellcheck disable=SC2034 # the variables are used by the scripts sourcing this

# configfs is usually mounted by the init system; the scripts mount it if not.
CONFIGFS=/sys/kernel/config
CFG=$CONFIGFS/pcfifo             # configfs side: create/remove, set values
SYS=/sys/kernel/pcfifo           # sysfs side: same values plus counters
FIFO=$SYS/fifos/default

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# need_pcfifo: mount configfs if needed and load pcfifo.ko (the producer and
# consumer modules load on demand at the first mkdir).
need_pcfifo() {
	[ "$(id -u)" -eq 0 ] || die "run me as root"
	if ! grep -q " $CONFIGFS configfs " /proc/mounts; then
		modprobe configfs 2>/dev/null
		mount -t configfs configfs "$CONFIGFS" || die "cannot mount configfs"
	fi
	[ -d "$CFG" ] || modprobe pcfifo || die "cannot load pcfifo"
}
