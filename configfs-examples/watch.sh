#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# watch.sh [SECONDS] - print the live counters once a second, for SECONDS
# seconds (default: until interrupted with Ctrl-C).
#
#   fifo      for every FIFO: count (queued now) / capacity, enqueued and
#             dequeued totals
#   producer  its FIFO, rate, items produced so far, the item it puts
#   consumer  its FIFO, rate, items consumed so far, the last item it took
#
# Everything comes from sysfs (/sys/kernel/pcfifo), which also lists the
# module-parameter instances named "default".  The files are read one after
# the other, not atomically: on a busy FIFO, enqueued and dequeued may be
# an item or two apart from count.
. "$(dirname "$0")/common.sh"

secs=${1:-0}
case $secs in
'' | *[!0-9]*) die "usage: watch.sh [SECONDS]" ;;
esac
[ -d "$FIFO" ] || die "pcfifo is not loaded"

# rd FILE: the first line of FILE into V (the read builtin: no extra
# process per value, so one round stays well under a second even on a slow
# machine).
rd() {
	V=""
	read -r V <"$1" 2>/dev/null
}

# now: centiseconds since boot into NOW, from /proc/uptime.
now() {
	read -r up _ </proc/uptime
	NOW=${up%.*}${up#*.}
	NOW=${NOW#"${NOW%%[!0]*}"}
}

now
start=$NOW
while :; do
	now
	t=$(((NOW - start) / 100))
	stamp=$t
	for d in "$SYS"/fifos/*; do
		[ -d "$d" ] || continue
		rd "$d/count"; count=$V
		rd "$d/capacity"; capacity=$V
		rd "$d/enqueued"; enqueued=$V
		rd "$d/dequeued"; dequeued=$V
		if [ -n "$stamp" ]; then printf '[%3ss]' "$stamp"; else printf '      '; fi
		printf ' fifo     %-8s count %s/%s  enqueued %s  dequeued %s\n' \
			"${d##*/}" "$count" "$capacity" "$enqueued" "$dequeued"
		stamp=
	done
	for d in "$SYS"/producers/*; do
		[ -d "$d" ] || continue
		rd "$d/fifo"; fifo=$V
		rd "$d/rate"; rate=$V
		rd "$d/produced"; produced=$V
		rd "$d/item"
		printf '       producer %-8s fifo %-8s rate %-7s produced %-7s item %s\n' \
			"${d##*/}" "$fifo" "$rate" "$produced" "$V"
	done
	for d in "$SYS"/consumers/*; do
		[ -d "$d" ] || continue
		rd "$d/fifo"; fifo=$V
		rd "$d/rate"; rate=$V
		rd "$d/consumed"; consumed=$V
		rd "$d/last_item"
		printf '       consumer %-8s fifo %-8s rate %-7s consumed %-7s last_item %s\n' \
			"${d##*/}" "$fifo" "$rate" "$consumed" "$V"
	done
	[ "$secs" -gt 0 ] && [ $((t + 1)) -ge "$secs" ] && break
	sleep 1
done
