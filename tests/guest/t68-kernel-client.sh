#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t68-kernel-client: pcfifo_clock, the example module of examples/
# kernel-client, which uses only pcfifo's blocking kernel API.  On the FIFO
# default it puts "HH:MM:SS" (UTC) at about 1/s, in order and on time;
# while loaded it holds pcfifo (rmmod pcfifo: in use); on a named FIFO
# (fifo=, interval_ms=) it holds the FIFO (rmdir: EBUSY), fills it, drops
# the ticks nobody has room for and refills a freed slot at once, and it
# unloads promptly while its thread waits on the full FIFO.  A FIFO that
# does not exist: ENOENT and a clear message.  Every FIFO conserves.

. "$(dirname "$0")/lib.sh"
t_begin

KC=pcfifo_clock
CF=$CFG/fifos
SF=$SYS/fifos

# The EXIT trap's cleanup unloads pcfifo, which cannot go while pcfifo_clock
# holds it: take pcfifo_clock away first.
kc_exit() {
	kc_rc=$?
	rmmod "$KC" 2>/dev/null
	(exit "$kc_rc")
	t_exit
}
trap kc_exit EXIT

if ! modinfo "$KC" >/dev/null 2>&1; then
	# The debug lane builds pcfifo's modules only.
	skip "pcfifo_clock tests" "$KC is not installed for $(uname -r)"
	t_end
	exit 0
fi

# hms_secs HH:MM:SS: seconds since midnight into HMS (status 1 if it is no
# time of day).
hms_secs() {
	case $1 in
	[0-2][0-9]:[0-5][0-9]:[0-5][0-9]) ;;
	*) return 1 ;;
	esac
	hs_h=${1%%:*} hs_s=${1##*:} hs_m=${1#*:}
	hs_m=${hs_m%:*}
	# No leading zeros: 08 would be octal.
	HMS=$((${hs_h#0} * 3600 + ${hs_m#0} * 60 + ${hs_s#0}))
	[ "$HMS" -lt 86400 ]
}

# after A B: seconds from the time of day A to B (over midnight too).
after() {
	hms_secs "$1" && af_a=$HMS && hms_secs "$2" &&
		AFTER=$(((HMS - af_a + 86400) % 86400))
}

# --- a FIFO that does not exist ----------------------------------------------------------
load_core
mark
mp "$KC" fifo=nosuch
check "modprobe $KC fifo=nosuch fails" test "$MP_RC" -ne 0
# kmod prints that text for ENOENT, whatever the cause.
check "... with ENOENT" contains "$MP_OUT" 'Unknown symbol in module, or unknown parameter'
diag "modprobe printed: $MP_OUT"
check "... and the kernel log says no FIFO has that name" \
	contains "$(dmesg_after "$T_MARK")" "$KC: no FIFO named \"nosuch\""
check "... and $KC is not loaded" not_loaded "$KC"
mp "$KC" interval_ms=0
if [ "$MP_RC" -ne 0 ] && err_is "$MP_OUT" EINVAL; then
	ok "modprobe $KC interval_ms=0 fails with EINVAL"
else
	nok "modprobe $KC interval_ms=0 fails with EINVAL"
	diag "exit $MP_RC: $MP_OUT"
fi
check "pcfifo is not held by a failed load" empty_dir /sys/module/pcfifo/holders

# --- the FIFO default, 1/s ---------------------------------------------------------------
mark
mp "$KC"
is "modprobe $KC (on the FIFO default)" "$MP_RC:$MP_OUT" "0:"
is_loaded "$KC" || bail "$KC is loaded"
check "the kernel log says where the time goes" \
	contains "$(dmesg_after "$T_MARK")" "$KC: putting the time into FIFO \"default\" every 1000 ms"
bytes_is "its parameter fifo reads default" /sys/module/$KC/parameters/fifo 'default\n'
measure_rate "the time arrives in the FIFO default at about 1/s" "$FIFO/enqueued" 6 1 34

# All that is queued, in one read(2); then the next item, which is new.
items=$(dd if=/dev/pcfifo/default bs=4096 count=1 2>/dev/null)
now=$(date -u +%H:%M:%S)
n=0 bad="" prev="" gaps=""
for it in $items; do
	n=$((n + 1))
	hms_secs "$it" || bad="$bad $it"
	if [ -n "$prev" ] && after "$prev" "$it"; then
		gaps="$gaps $AFTER"
		[ "$AFTER" -ge 1 ] && [ "$AFTER" -le 3 ] || bad="$bad $prev->$it"
	fi
	prev=$it
done
diag "the FIFO held $n items at $now, from $(echo "$items" | head -n1) to $prev; gaps (s):$gaps"
check "it held the 5 or more items of the last 6 s or so ($n)" test "$n" -ge 5
is "each is a time of day HH:MM:SS, 1-3 s after the one before" "$bad" ""
AFTER=99
after "$prev" "$now"
check "... the newest one ($prev) at most 3 s old at $now" test "$AFTER" -le 3
it=$(dd if=/dev/pcfifo/default bs=9 count=1 2>/dev/null)
now=$(date -u +%H:%M:%S)
AFTER=99
after "$it" "$now"
check "the next item ($it) is the time now ($now) within 2 s" test "$AFTER" -le 2
conserved "FIFO default with $KC putting"

# --- it holds pcfifo -------------------------------------------------------------------------
check "$KC holds pcfifo (/sys/module/pcfifo/holders/$KC)" \
	test -e /sys/module/pcfifo/holders/$KC
out=$(rmmod pcfifo 2>&1)
check "rmmod pcfifo fails while $KC is loaded" test "$?" -ne 0
check "rmmod says the module is in use" contains "$out" 'in use'
diag "rmmod printed: $out"
check "pcfifo is still loaded" is_loaded pcfifo
out=$(rmmod "$KC" 2>&1)
is "rmmod $KC" "$?:$out" "0:"
rd "$FIFO/enqueued"
e0=$R
sleep 1.5
check "nothing is put once it is gone (enqueued stays $e0)" val_is "$FIFO/enqueued" "$e0"
conserved "FIFO default after $KC"

# --- a named FIFO: held, full, unloaded while full -----------------------------------------
mkfifo_cfs clk 3
rd "$FIFO/enqueued"
d0=$R
mp "$KC" fifo=clk interval_ms=250
is "modprobe $KC fifo=clk interval_ms=250" "$MP_RC:$MP_OUT" "0:"
is_loaded "$KC" || bail "$KC is loaded"
bytes_is "its parameter fifo reads clk" /sys/module/$KC/parameters/fifo 'clk\n'
rmdir_err "rmdir fifos/clk while $KC holds it -> EBUSY" "$CF/clk" EBUSY
check "$KC fills fifos/clk (capacity 3) at 4/s" wait_until 3 val_is "$SF/clk/count" 3
rd "$SF/clk/enqueued"
e0=$R
sleep 1
check "the full FIFO takes no more: the ticks are dropped (enqueued stays $e0)" \
	val_is "$SF/clk/enqueued" "$e0"
it=$(dd if=/dev/pcfifo/clk bs=9 count=1 2>/dev/null)
check "an item of fifos/clk is a time of day ($it)" hms_secs "$it"
check "the freed slot is filled again within 1 s" wait_until 1 val_is "$SF/clk/count" 3
check "... by one item (enqueued $e0 + 1)" val_is "$SF/clk/enqueued" $((e0 + 1))
check "the FIFO default got nothing meanwhile (enqueued stays $d0)" val_is "$FIFO/enqueued" "$d0"
time_cs rmmod "$KC"
is "rmmod $KC while its thread waits on the full FIFO" "$T_RC:$T_OUT" "0:"
diag "rmmod took $(fmt100 "$T_CS") s"
check "... within 3 s" test "$T_CS" -lt 300
fifo_conserved "fifos/clk" "$SF/clk"
quiet_ok "rmdir fifos/clk succeeds once $KC is gone" rmdir "$CF/clk"
quiet_ok "rmmod pcfifo succeeds once $KC is gone" rmmod pcfifo

t_end
