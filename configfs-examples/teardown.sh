#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# teardown.sh [--unload] - remove every producer and consumer created in
# configfs; with --unload also unload the three modules (which removes the
# module-parameter instances named "default" too).
#
# rmdir returns promptly even for an instance blocked on a full or empty
# FIFO; items still queued stay in the FIFO until pcfifo is unloaded.
. "$(dirname "$0")/common.sh"

case ${1:-} in
'' | --unload) ;;
*) die "usage: teardown.sh [--unload]" ;;
esac

if [ -d "$CFG" ]; then
	for d in "$CFG"/producers/* "$CFG"/consumers/*; do
		[ -d "$d" ] || continue
		rmdir "$d" || die "cannot remove $d"
		echo "removed ${d#"$CFG"/}"
	done
fi

if [ "${1:-}" = --unload ]; then
	# A role module cannot be unloaded while configfs instances use it.
	for m in pcfifo_producer pcfifo_consumer pcfifo; do
		grep -q "^$m " /proc/modules || continue
		rmmod "$m" || die "cannot unload $m"
		echo "unloaded $m"
	done
fi
