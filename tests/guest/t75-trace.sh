#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t75-trace: the trace events of the system "pcfifo" (src/trace.h,
# Documentation/trace-events.rst), enabled through tracefs: put and take by
# the device file (exact fields), by instances and by pcfifo_clock (the
# blocking API, when installed): their n add up to the FIFO's enqueued and
# dequeued; block and wake of a producer on a full FIFO (side, wait_ns)
# and of a consumer on an empty one, rate and fifo changes, nothing
# recorded once disabled.  Skipped, with a note, on a kernel
# without tracefs and event tracing (CONFIG_EVENT_TRACING).

. "$(dirname "$0")/lib.sh"
t_begin

TR=/sys/kernel/tracing
# examples/kernel-client's module, a user of the blocking API
KC=pcfifo_clock
TR_MOUNTED=0
if [ ! -e "$TR/set_event" ] && mount -t tracefs nodev "$TR" 2>/dev/null; then
	TR_MOUNTED=1
fi

# On any exit: events off, buffer emptied, tracefs as it was.
tr_exit() {
	tr_rc=$?
	{
		echo 0 >"$TR/events/pcfifo/enable"
		: >"$TR/trace"
	} 2>/dev/null
	rmmod "$KC" 2>/dev/null
	[ "$TR_MOUNTED" -eq 1 ] && umount "$TR" 2>/dev/null
	(exit "$tr_rc")
	t_exit
}
trap tr_exit EXIT

if [ ! -e "$TR/set_event" ]; then
	skip "pcfifo trace events" "no tracefs event tracing in $(uname -r)"
	t_end
	exit 0
fi

EV=$TR/events/pcfifo
TF=$SYS/fifos/tf
TRACE=$T_TMP/trace

load_core capacity=4
names_in "$EV"
is "events/pcfifo has the six events" "$NAMES" \
	"enable filter pcfifo_block pcfifo_fifo pcfifo_put pcfifo_rate pcfifo_take pcfifo_wake "

# fields EVENT: the names of EVENT's own fields (after common_*) into FL.
fields() {
	FL=$(sed -n 's/^[[:space:]]*field:[^;]*[ *]\([a-z_]*\)\(\[[0-9]*\]\)\{0,1\};.*/\1/p' \
		"$EV/$1/format" | grep -v '^common_' | tr '\n' ' ')
}
fields pcfifo_put
is "pcfifo_put's fields" "$FL" "fifo who n count "
fields pcfifo_wake
is "pcfifo_wake's fields" "$FL" "who fifo side wait_ns "

: >"$TR/trace"
echo 1 >"$TR/tracing_on"
need "echo 1 > events/pcfifo/enable" sh -c "echo 1 >'$EV/enable'"

# --- the device file, alone on default: exact counts ----------------------
wre /dev/pcfifo/default 'a\nb\nc\n'
timeout 5 dd if=/dev/pcfifo/default of=/dev/null bs=4096 count=1 2>/dev/null

# --- a producer on tf (capacity 4) blocks, a device read wakes it ----------
mkinst producers p 0 ab
mkfifo_cfs tf 4
set_or_bail "$CFG/producers/p/fifo" tf
set_or_bail "$CFG/producers/p/rate" 1000
wait_until 5 val_is "$TF/count" 4 || bail "the producer fills tf"
sleep 0.3
# Two items "ab\n" in 6 bytes: two slots for the blocked producer.
timeout 5 dd if=/dev/pcfifo/tf of=/dev/null bs=6 count=1 2>/dev/null

# --- a consumer drains tf and blocks once the producer stops ---------------
mkinst_on tf consumers c 1000
sleep 0.5
set_or_bail "$CFG/producers/p/rate" 0
wait_until 5 val_is "$TF/count" 0 || bail "the consumer drains tf"
sleep 0.2
set_or_bail "$CFG/consumers/c/rate" 0

# --- a module puts through the blocking API ---------------------------------
KC_ON=0
if modinfo "$KC" >/dev/null 2>&1; then
	mp "$KC" fifo=tf interval_ms=50
	is "modprobe $KC fifo=tf interval_ms=50" "$MP_RC:$MP_OUT" "0:" && KC_ON=1
	wait_until 5 val_ge "$TF/count" 2
	rmmod "$KC"
fi
rd "$TF/enqueued"
enq=$R
rd "$TF/dequeued"
deq=$R

need "echo 0 > events/pcfifo/enable" sh -c "echo 0 >'$EV/enable'"
grep -o 'pcfifo_[a-z]*: .*' "$TR/trace" >"$TRACE"
diag "$(wc -l <"$TRACE") events recorded"

# has DESC LINE: the trace has the event LINE exactly.
has() {
	if grep -qxF "$2" "$TRACE"; then
		ok "$1"
	else
		nok "$1"
		diag "no line '$2' in:" "$(grep -F "${2%%:*}" "$TRACE" | head -5)"
	fi
}

has "a device write of 3 items: one put event" \
	"pcfifo_put: fifo=default who=dev n=3 count=3"
has "a device read of 3 items: one take event" \
	"pcfifo_take: fifo=default who=dev n=3 count=0"
has "rate written: old and new rate" "pcfifo_rate: who=producers/p old=1 new=0"
has "rate written again" "pcfifo_rate: who=producers/p old=0 new=1000"
has "fifo written: old and new FIFO" "pcfifo_fifo: who=producers/p old=default new=tf"
has "the producer blocks on the full FIFO, side put" \
	"pcfifo_block: who=producers/p fifo=tf side=put"
has "the consumer blocks on the empty FIFO, side get" \
	"pcfifo_block: who=consumers/c fifo=tf side=get"

# Every put and take: fifo, who (a put by no consumer, a take by no
# producer), n > 0, count within the capacity.
bad=$(awk '
	/^pcfifo_(put|take): / {
		if (NF != 5 || $2 !~ /^fifo=./ || $4 !~ /^n=[1-9][0-9]*$/ ||
		    $5 !~ /^count=[0-4]$/ ||
		    ($1 == "pcfifo_put:" && $3 !~ /^who=(dev|api|producers\/.+)$/) ||
		    ($1 == "pcfifo_take:" && $3 !~ /^who=(dev|api|consumers\/.+)$/))
			print
	}' "$TRACE")
is "every put and take event has fifo, who, n > 0, count <= 4" "$bad" ""

# sum_n EVENT FIFO WHO: the sum of n over EVENT's lines for FIFO whose who
# starts with WHO, into SUM.
sum_n() {
	SUM=$(awk -v e="$1:" -v f="fifo=$2" -v w="who=$3" '
		$1 == e && $2 == f && index($3, w) == 1 { s += substr($4, 3) }
		END { print s + 0 }' "$TRACE")
}
sum_n pcfifo_put tf ""
is "tf: the put events' n add up to enqueued" "$SUM" "$enq"
sum_n pcfifo_take tf ""
is "tf: the take events' n add up to dequeued" "$SUM" "$deq"
sum_n pcfifo_take tf dev
is "tf: the device read took 2 items in one event" \
	"$SUM:$(grep -c '^pcfifo_take: fifo=tf who=dev ' "$TRACE")" "2:1"
sum_n pcfifo_take tf consumers/c
check "tf: the consumer took items ($SUM)" test "$SUM" -gt 0

if [ "$KC_ON" -eq 1 ]; then
	check "$KC's items: put events by who=api, n=1" \
		grep -q '^pcfifo_put: fifo=tf who=api n=1 count=[1-4]$' "$TRACE"
else
	skip "put events by who=api" "$KC is not installed for $(uname -r)"
fi

# The producer's first wake came from the device read, 0.3 s after it
# blocked at the latest: wait_ns says so.
wake=$(grep -m1 '^pcfifo_wake: who=producers/p fifo=tf side=put wait_ns=' "$TRACE")
wait_ns=${wake##*wait_ns=}
check "the producer's wake event: side put, wait_ns >= 0.1 s ($wait_ns)" \
	test -n "$wake" -a "${wait_ns:-0}" -ge 100000000

# Disabled: nothing more is recorded.
: >"$TR/trace"
wre /dev/pcfifo/default 'x\n'
is "disabled events record nothing" "$(grep -c 'pcfifo_' "$TR/trace")" 0

t_end
