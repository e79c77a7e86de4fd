#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t80-params: the module-parameter workflow.  "modprobe pcfifo_producer
# item=X rate=N" (either parameter) starts the sysfs-only instance
# producers/default; "modprobe pcfifo_consumer rate=N" starts
# consumers/default; no parameters, no instance; bad values make the load
# fail and leave the module unloaded; rmmod removes the instance.

. "$(dirname "$0")/lib.sh"
t_begin

PD=$SYS/producers/default
CD=$SYS/consumers/default

# --- producer with both parameters ------------------------------------------------
mp pcfifo_producer item=X rate=5
is "modprobe pcfifo_producer item=X rate=5" "$MP_RC:$MP_OUT" "0:"
check "the core pcfifo was loaded as a dependency" is_loaded pcfifo
check "sysfs producers/default exists" test -d "$PD"
bytes_is "producers/default/item reads X" "$PD/item" 'X\n'
bytes_is "producers/default/rate reads 5" "$PD/rate" '5\n'
check "producers/default is not in configfs" test ! -e "$CFG/producers/default"
mode_is "parameter item is 0444" /sys/module/pcfifo_producer/parameters/item 444
mode_is "parameter rate is 0444" /sys/module/pcfifo_producer/parameters/rate 444
mode_is "producers/default/rate is 0644" "$PD/rate" 644
mode_is "producers/default/item is 0644" "$PD/item" 644
mode_is "producers/default/produced is 0444" "$PD/produced" 444
mkdir_err "mkdir configfs producers/default -> EEXIST" "$CFG/producers/default" EEXIST
check "producers/default survives the refused mkdir" test -d "$PD"
# 5/s over 4 s: 20 items, no consumer needed (capacity 32).
measure_rate "producers/default produces at ~5/s" "$PD/produced" 4 5 15
write_ok "producers/default/rate is writable through sysfs" "$PD/rate" '0\n'
sleep 0.1
rd "$PD/produced"
prod=$R
rd "$FIFO/count"
is "its items are in the FIFO (count = produced)" "$R" "$prod"
write_ok "producers/default/rate takes another value" "$PD/rate" '7\n'
write_ok "producers/default/item is writable through sysfs" "$PD/item" 'Y\n'
out=$(mkdir "$CFG/producers/other" 2>&1)
is "a configfs producer can run beside it" "$?:$out" "0:"
rmdir "$CFG/producers/other"
out=$(rmmod pcfifo_producer 2>&1)
is "rmmod pcfifo_producer" "$?:$out" "0:"
check "producers/default is removed with the module" test ! -e "$PD"
check "the FIFO keeps the items (count > 0)" val_ge "$FIFO/count" 1
rmmod pcfifo

# --- one parameter at a time ---------------------------------------------------------
mp pcfifo_producer item=Z
is "modprobe pcfifo_producer item=Z" "$MP_RC:$MP_OUT" "0:"
bytes_is "item only: producers/default/item reads Z" "$PD/item" 'Z\n'
bytes_is "item only: producers/default/rate defaults to 1" "$PD/rate" '1\n'
unload_all
mp pcfifo_producer rate=3
is "modprobe pcfifo_producer rate=3" "$MP_RC:$MP_OUT" "0:"
bytes_is "rate only: producers/default/rate reads 3" "$PD/rate" '3\n'
bytes_is "rate only: producers/default/item defaults to its name" "$PD/item" 'default\n'
unload_all
mp pcfifo_producer rate=0
is "modprobe pcfifo_producer rate=0 (paused)" "$MP_RC:$MP_OUT" "0:"
sleep 1.2
bytes_is "rate=0: producers/default produced nothing" "$PD/produced" '0\n'
unload_all
mp pcfifo_producer rate=1000000
is "modprobe pcfifo_producer rate=1000000 (the maximum)" "$MP_RC:$MP_OUT" "0:"
check "rate=1000000: the FIFO fills" wait_until 2 val_is "$FIFO/count" 32
unload_all
i64=$(printf '%64s' '' | tr ' ' m)
mp pcfifo_producer "item=$i64"
is "modprobe pcfifo_producer with a 64-byte item" "$MP_RC:$MP_OUT" "0:"
bytes_is "producers/default/item reads the 64 bytes" "$PD/item" "$i64\\n"
unload_all

# --- no parameters -----------------------------------------------------------------------
mp pcfifo_producer
is "modprobe pcfifo_producer without parameters" "$MP_RC:$MP_OUT" "0:"
check "no parameters: no producers/default" test ! -e "$PD"
mp pcfifo_consumer
is "modprobe pcfifo_consumer without parameters" "$MP_RC:$MP_OUT" "0:"
check "no parameters: no consumers/default" test ! -e "$CD"
out=$(mkdir "$CFG/producers/default" 2>&1)
is "without the parameter instance the name default is free in configfs" \
	"$?:$out" "0:"
rmdir "$CFG/producers/default"
unload_all

# --- bad values ------------------------------------------------------------------------------
i65=${i64}m
# bad_param MODULE ERRNO PARAM...
bad_param() {
	bp_mod=$1 bp_errno=$2
	shift 2
	mp "$bp_mod" "$@"
	if [ "$MP_RC" -ne 0 ] && err_is "$MP_OUT" "$bp_errno"; then
		ok "modprobe $bp_mod $(echo "$*" | cut -c1-30) fails with $bp_errno"
	else
		nok "modprobe $bp_mod $(echo "$*" | cut -c1-30) fails with $bp_errno"
		diag "exit $MP_RC: $MP_OUT"
	fi
	check "... and $bp_mod is not loaded" not_loaded "$bp_mod"
	check "... and no $bp_mod default instance" \
		test ! -e "$PD" -a ! -e "$CD"
	unload_all
}
bad_param pcfifo_producer EINVAL rate=abc
bad_param pcfifo_producer EINVAL rate=-1
bad_param pcfifo_producer EINVAL rate=
bad_param pcfifo_producer EINVAL rate=5x
bad_param pcfifo_producer ERANGE rate=1000001
bad_param pcfifo_producer ERANGE rate=99999999999
bad_param pcfifo_producer EINVAL item=
bad_param pcfifo_producer EINVAL "item=$i65"
bad_param pcfifo_producer EINVAL item=ok rate=abc
bad_param pcfifo_producer EINVAL "item=$i65" rate=5
bad_param pcfifo_consumer EINVAL rate=abc
bad_param pcfifo_consumer EINVAL rate=-1
bad_param pcfifo_consumer EINVAL rate=
bad_param pcfifo_consumer ERANGE rate=1000001

# --- consumer parameter ------------------------------------------------------------------------
mp pcfifo_consumer rate=50
is "modprobe pcfifo_consumer rate=50" "$MP_RC:$MP_OUT" "0:"
check "sysfs consumers/default exists" test -d "$CD"
bytes_is "consumers/default/rate reads 50" "$CD/rate" '50\n'
check "consumers/default is not in configfs" test ! -e "$CFG/consumers/default"
mode_is "parameter rate is 0444" /sys/module/pcfifo_consumer/parameters/rate 444
mode_is "consumers/default/rate is 0644" "$CD/rate" 644
mode_is "consumers/default/consumed is 0444" "$CD/consumed" 444
mode_is "consumers/default/last_item is 0444" "$CD/last_item" 444
mkdir_err "mkdir configfs consumers/default -> EEXIST" "$CFG/consumers/default" EEXIST
mkinst producers feed 1000000
sleep 0.5
measure_rate "consumers/default consumes at ~50/s" "$CD/consumed" 4 50 10
bytes_is "consumers/default/last_item is the feeder's item" "$CD/last_item" 'feed\n'
rmdir "$CFG/producers/feed"
out=$(rmmod pcfifo_consumer 2>&1)
is "rmmod pcfifo_consumer" "$?:$out" "0:"
check "consumers/default is removed with the module" test ! -e "$CD"

# Both parameter instances at once.
unload_all
mp pcfifo_producer item=both rate=20
mp pcfifo_consumer rate=1000000
sleep 0.5
measure_rate "producers/default feeds consumers/default at 20/s" "$CD/consumed" 3 20 10
bytes_is "consumers/default/last_item reads both" "$CD/last_item" 'both\n'

t_end
