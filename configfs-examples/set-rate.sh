#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# set-rate.sh KIND NAME RATE - change the rate of a producer or consumer.
#
#   KIND  producer or consumer
#   NAME  the instance (its configfs directory name, or "default" for the
#         instance started by "modprobe pcfifo_producer rate=N", which
#         lives in sysfs only)
#   RATE  items per second, 0..1000000; 0 pauses
#
# The new rate takes effect at once.  The kernel refuses bad values and
# keeps the old rate: EINVAL for non-numbers, ERANGE above 1000000.
#
# Example: ./set-rate.sh consumer eater 30
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || die "usage: set-rate.sh producer|consumer NAME RATE"
case $1 in
producer | producers) dir=producers ;;
consumer | consumers) dir=consumers ;;
*) die "KIND must be producer or consumer, not '$1'" ;;
esac

# configfs and sysfs show the same value; writing either side works.
if [ -d "$CFG/$dir/$2" ]; then
	file=$CFG/$dir/$2/rate
elif [ -d "$SYS/$dir/$2" ]; then
	file=$SYS/$dir/$2/rate
else
	die "no $1 named '$2'"
fi
echo "$3" >"$file" || die "rate '$3' refused; $1 $2 keeps rate $(cat "$file")"
echo "$1 $2: rate $(cat "$file")"
