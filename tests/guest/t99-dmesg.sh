#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t99-dmesg: no per-item log lines, and a clean kernel log over the whole
# suite (no WARNING, BUG, Oops, Call Trace, hung task).  Runs last.

. "$(dirname "$0")/lib.sh"
t_begin

# pcfifo_lines: number of kernel log lines from the modules (the suite's own
# "pcfifo-suite:" markers excluded).
pcfifo_lines() {
	dmesg | grep -v 'pcfifo-suite:' | grep -c 'pcfifo'
}

# --- per-item logging -----------------------------------------------------------
load_core
mkinst consumers quiet 1000000
mkinst producers quiet 1000
before=$(pcfifo_lines)
rd "$FIFO/enqueued"
e0=$R
sleep 2
rd "$FIFO/enqueued"
e1=$R
after=$(pcfifo_lines)
check "items went through ($((e1 - e0)) in 2 s)" test $((e1 - e0)) -gt 1000
is "no kernel log line while $((e1 - e0)) items went through" \
	$((after - before)) 0
rm_instances
unload_all

# --- the whole suite ------------------------------------------------------------
# run-suite.sh writes "pcfifo-suite: start"; standalone, the whole log counts.
log=$(dmesg_after start)
bad=$(printf '%s\n' "$log" | grep -E "$BAD_KLOG")
if [ -z "$bad" ]; then
	ok "kernel log of the whole suite: no WARNING/BUG/Oops/Call Trace/hung task"
else
	nok "kernel log of the whole suite: no WARNING/BUG/Oops/Call Trace/hung task"
	diag "$bad"
fi
n=$(printf '%s\n' "$log" | grep -v 'pcfifo-suite:' | grep -c 'pcfifo')
diag "pcfifo kernel log lines during the suite: $n"
check "pcfifo log lines during the suite are few ($n <= 200)" test "$n" -le 200
check_not "no printk rate-limit suppression during the suite" \
	contains "$log" 'callbacks suppressed'

t_end
