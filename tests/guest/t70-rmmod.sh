#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t70-rmmod: live configfs instances pin their role module (rmmod refused,
# nothing changes); once every instance is gone all three modules unload
# and both trees disappear.

. "$(dirname "$0")/lib.sh"
t_begin

load_core
mkinst producers p 50
mkinst consumers c 1000000
all_loaded() {
	is_loaded pcfifo && is_loaded pcfifo_producer && is_loaded pcfifo_consumer
}
check "all three modules are loaded" all_loaded
sleep 0.5

# --- refused rmmod --------------------------------------------------------------
out=$(rmmod pcfifo_producer 2>&1)
rc=$?
check "rmmod pcfifo_producer with a live producer fails" test "$rc" -ne 0
check "rmmod says the module is in use" contains "$out" 'in use'
diag "rmmod printed: $out"
check "pcfifo_producer is still loaded" is_loaded pcfifo_producer
check "producers/p still exists in configfs" test -d "$CFG/producers/p"
check "producers/p still exists in sysfs" test -d "$SYS/producers/p"
bytes_is "producers/p keeps its rate" "$SYS/producers/p/rate" '50\n'
measure_rate "producers/p is still producing at its rate" \
	"$SYS/producers/p/produced" 2 50 10

# The raw delete_module(2) call (busybox rmmod makes it directly, O_NONBLOCK)
# fails with EAGAIN/EWOULDBLOCK.
if busybox rmmod --help >/dev/null 2>&1; then
	out=$(busybox rmmod pcfifo_producer 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && err_is "$out" EAGAIN; then
		ok "delete_module(pcfifo_producer) fails with EAGAIN"
	else
		nok "delete_module(pcfifo_producer) fails with EAGAIN"
		diag "busybox rmmod exit $rc: $out"
	fi
	check "pcfifo_producer is still loaded after delete_module" \
		is_loaded pcfifo_producer
fi

out=$(rmmod pcfifo_consumer 2>&1)
rc=$?
check "rmmod pcfifo_consumer with a live consumer fails" test "$rc" -ne 0
check "rmmod pcfifo_consumer says in use" contains "$out" 'in use'
check "pcfifo_consumer is still loaded" is_loaded pcfifo_consumer
out=$(rmmod pcfifo 2>&1)
check "rmmod pcfifo (core) while role modules are loaded fails" test "$?" -ne 0
check "pcfifo is still loaded" is_loaded pcfifo
check "$CFG still exists" test -d "$CFG/producers/p"

# A second producer and consumer, then remove everything.
mkinst producers p2 10
rd "$FIFO/count"
diag "count before teardown: $R"
out=$(rmmod pcfifo_producer 2>&1)
check "rmmod still refused with two producers" test "$?" -ne 0
rmdir "$CFG/producers/p"
out=$(rmmod pcfifo_producer 2>&1)
check "rmmod still refused while one producer is left" test "$?" -ne 0
check "producers/p2 still exists" test -d "$SYS/producers/p2"
rmdir "$CFG/producers/p2"
rmdir "$CFG/consumers/c"

# --- clean unload ------------------------------------------------------------------
out=$(modprobe -r pcfifo_producer pcfifo_consumer pcfifo 2>&1)
is "modprobe -r pcfifo_producer pcfifo_consumer pcfifo after the last rmdir" \
	"$?:$out" "0:"
check "pcfifo_producer unloaded" not_loaded pcfifo_producer
check "pcfifo_consumer unloaded" not_loaded pcfifo_consumer
check "pcfifo unloaded" not_loaded pcfifo
check "/sys/kernel/pcfifo is gone" test ! -e "$SYS"
check "/sys/kernel/config/pcfifo is gone" test ! -e "$CFG"
check "configfs itself stays mounted" \
	grep -q ' /sys/kernel/config configfs ' /proc/mounts

# --- the module-parameter instance does not pin its module ----------------------------
mp pcfifo_producer rate=5
is "modprobe pcfifo_producer rate=5" "$MP_RC:$MP_OUT" "0:"
check "producers/default exists" test -d "$SYS/producers/default"
out=$(rmmod pcfifo_producer 2>&1)
is "rmmod pcfifo_producer with only the parameter instance succeeds" "$?:$out" "0:"
check "producers/default is gone" test ! -e "$SYS/producers/default"
mp pcfifo_consumer rate=5
is "modprobe pcfifo_consumer rate=5" "$MP_RC:$MP_OUT" "0:"
out=$(rmmod pcfifo_consumer 2>&1)
is "rmmod pcfifo_consumer with only the parameter instance succeeds" "$?:$out" "0:"
check "consumers/default is gone" test ! -e "$SYS/consumers/default"
out=$(rmmod pcfifo 2>&1)
is "rmmod pcfifo afterwards" "$?:$out" "0:"
check "everything is unloaded" is_clean

# --- reload after all that ---------------------------------------------------------------
load_core
mkinst consumers again 1000000
mkinst producers again 100
sleep 0.3
measure_rate "after reload a new pipeline runs at its rate" \
	"$SYS/consumers/again/consumed" 2 100 10

t_end
