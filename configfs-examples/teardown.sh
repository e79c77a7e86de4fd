#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# teardown.sh [--unload] - remove every producer and consumer created in
# configfs, then every FIFO created with mkdir; with --unload also unload
# the three modules (which removes the module-parameter instances named
# "default" too).
#
# rmdir returns promptly even for an instance blocked on a full or empty
# FIFO; items still queued stay in their FIFO until it is removed (or, for
# "default", until pcfifo is unloaded).
. "$(dirname "$0")/common.sh"

case ${1:-} in
'' | --unload) ;;
*) die "usage: teardown.sh [--unload]" ;;
esac

# remove DIR...: rmdir each configfs directory DIR that exists, but not the
# FIFO default (pcfifo.ko made it; it goes when pcfifo is unloaded).
remove() {
	for d in "$@"; do
		if [ ! -d "$d" ] || [ "$d" = "$CFG/fifos/default" ]; then
			continue
		fi
		rmdir "$d" || die "cannot remove $d"
		echo "removed ${d#"$CFG"/}"
	done
}

# unload MODULE...: rmmod each MODULE that is loaded.
unload() {
	for m in "$@"; do
		grep -q "^$m " /proc/modules || continue
		rmmod "$m" || die "cannot unload $m"
		echo "unloaded $m"
	done
}

# A FIFO cannot be removed while an instance names it, a role module not
# unloaded while configfs instances use it, and pcfifo not while FIFOs
# made with mkdir exist: instances first, then FIFOs.  Without --unload, a
# FIFO that a module-parameter instance names cannot be removed (EBUSY):
# echo default >/sys/kernel/pcfifo/producers/default/fifo first.
remove "$CFG"/producers/* "$CFG"/consumers/*
if [ "${1:-}" = --unload ]; then
	unload pcfifo_producer pcfifo_consumer
fi
remove "$CFG"/fifos/*
if [ "${1:-}" = --unload ]; then
	unload pcfifo
fi
