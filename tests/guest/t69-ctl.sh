#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t69-ctl: pcfifoctl (utils/) against the real modules.  --help of every
# command; add loads pcfifo; add, set, del with the values they leave in
# sysfs; status as a table and as JSON, each value checked against sysfs,
# and an achieved rate; refused values: the documented message and exit
# status, and nothing changed (save before = save after); save -> reset ->
# restore gives the same tree, a second restore changes nothing, --clear;
# top for a few refreshes without a terminal; send and recv through the
# device file, recv's timeout; reset --unload.  The tool is
# /pcfifo/bin/pcfifoctl in the guest (built by tests/vm/initramfs.sh;
# PCFIFO_CTL names another copy).

. "$(dirname "$0")/lib.sh"
t_begin

CTL=${PCFIFO_CTL:-$PCFIFO_ROOT/bin/pcfifoctl}
[ -x "$CTL" ] || bail "pcfifoctl is at $CTL"

# ctl ARG...: run the tool; C_RC its status, C_OUT its standard output,
# C_ERR its standard error.
ctl() {
	C_OUT=$("$CTL" "$@" 2>"$T_TMP/err")
	C_RC=$?
	slurp "$T_TMP/err"
	C_ERR=$SL
}

# ctl_ok DESC ARG...: the tool succeeds and prints nothing on stderr.
ctl_ok() {
	co_desc=$1
	shift
	ctl "$@"
	is "$co_desc" "$C_RC:$C_ERR" "0:"
}

# ctl_refused DESC RC MESSAGE ARG...: the tool exits with RC, its first
# line on stderr is "pcfifoctl: MESSAGE", and the configuration (what
# save writes) did not change.
ctl_refused() {
	cr_desc=$1 cr_rc=$2 cr_msg=$3
	shift 3
	"$CTL" save >"$T_TMP/before.json" 2>&1
	ctl "$@"
	cr_first=${C_ERR%%"
"*}
	"$CTL" save >"$T_TMP/after.json" 2>&1
	is "$cr_desc: exit $cr_rc, message" "$C_RC:$cr_first" "$cr_rc:pcfifoctl: $cr_msg" &&
		check "$cr_desc: nothing changed" cmp -s "$T_TMP/before.json" "$T_TMP/after.json"
}

# json_obj NAME: the lines of the JSON object of C_OUT whose "name" is NAME
# (status and save print one key per line).
json_obj() {
	printf '%s\n' "$C_OUT" | awk -v n="\"name\": \"$1\"," '
		index($0, n) { f = 1 }
		f && /}/ { exit }
		f'
}

# json_is DESC NAME KEY VALUE: object NAME of C_OUT has "KEY": VALUE.
json_is() {
	ji_obj=$(json_obj "$2")
	if contains "$ji_obj" "^ *\"$3\": $4,\{0,1\}\$"; then
		ok "$1"
	else
		nok "$1"
		diag "want \"$3\": $4 in:" "$ji_obj"
	fi
}

# json_sysfs KIND NAME KEY...: each KEY of object NAME in C_OUT is the
# value of $SYS/KIND/NAME/KEY (strings quoted).
json_sysfs() {
	js_kind=$1 js_name=$2
	shift 2
	for js_k in "$@"; do
		rd "$SYS/$js_kind/$js_name/$js_k"
		case $js_k in fifo | item | last_item) R="\"$R\"" ;; esac
		json_is "status -j: $js_kind $js_name $js_k is sysfs's $R" "$js_name" "$js_k" "$R"
	done
}

# ---------------------------------------------------------------- help --
ctl --help
is "--help: exit 0, lists the commands" \
	"$C_RC:$(contains "$C_OUT" '^  restore ' && echo yes)" "0:yes"
for c in status top add set del reset save restore send recv; do
	ctl "$c" --help
	case $C_RC:$C_OUT in
	"0:usage: pcfifoctl $c "*) ok "$c --help: exit 0, its usage first" ;;
	*) nok "$c --help: exit 0, its usage first" && diag "$C_RC:$C_OUT" ;;
	esac
done
ctl frobnicate
is "an unknown command: exit 2" "$C_RC:${C_ERR%%"
"*}" "2:pcfifoctl: unknown command 'frobnicate'"
ctl status --frob
is "an unknown option: exit 2" "$C_RC" 2
ctl status
is "status without pcfifo: exit 1, says so" "$C_RC:${C_ERR%% (*}" \
	"1:pcfifoctl: pcfifo is not loaded"

# ----------------------------------------------------------- add, set --
ctl_ok "add fifo spare --capacity 8 (loads pcfifo)" add fifo spare --capacity 8
check "pcfifo is loaded" is_loaded pcfifo
check "fifo spare has capacity 8" val_is "$SYS/fifos/spare/capacity" 8
check "its device file exists" test -c /dev/pcfifo/spare
ctl_ok "add producer apple --rate 0 --item fruit --fifo spare" \
	add producer apple --rate 0 --item fruit --fifo spare
check "producer apple: fifo spare, rate 0, item fruit" \
	test "$(cat "$SYS/producers/apple/fifo" "$SYS/producers/apple/rate" \
		"$SYS/producers/apple/item" | tr '\n' ' ')" = "spare 0 fruit "
ctl_ok "add consumer eater --rate 0 --fifo spare" add consumer eater --rate 0 --fifo spare
check "consumer eater: fifo spare, rate 0" \
	test "$(cat "$SYS/consumers/eater/fifo" "$SYS/consumers/eater/rate" | tr '\n' ' ')" = "spare 0 "
ctl_ok "set producer apple rate=0 item=pear" set producer apple rate=0 item=pear
check "item is pear" val_is "$SYS/producers/apple/item" pear
ctl_ok "add fifo tmp" add fifo tmp
ctl_ok "set fifo tmp capacity=4" set fifo tmp capacity=4
check "fifo tmp has capacity 4" val_is "$SYS/fifos/tmp/capacity" 4
ctl_ok "del fifo tmp" del fifo tmp
check "fifo tmp is gone" test ! -e "$CFG/fifos/tmp"

# ----------------------------------------------------------- send, recv --
ctl_ok "send spare a b c" send spare a b c
check "spare holds 3 items" val_is "$SYS/fifos/spare/count" 3
ctl recv spare -n 2
is "recv spare -n 2 prints a and b" "$C_RC:$C_OUT" "0:a
b"
check "spare holds 1 item, dequeued 2" \
	test "$(cat "$SYS/fifos/spare/count" "$SYS/fifos/spare/dequeued")" = "1
2"
ctl_refused "send of a 65-byte item" 1 \
	"send item $(printf '%065d' 0): invalid argument, 1..64 bytes, no newline" \
	send spare ok "$(printf '%065d' 0)"
check "no item of that send went in" val_is "$SYS/fifos/spare/count" 1
ctl recv spare
is "recv spare takes c" "$C_RC:$C_OUT" "0:c"
ctl recv spare -n 2 --timeout 0.5
is "recv of an empty FIFO with --timeout 0.5: exit 1, says so" "$C_RC:$C_OUT:$C_ERR" \
	"1::pcfifoctl: recv: timed out, 0 of 2 items taken from spare
"
ctl recv nowhere
is "recv of a missing FIFO: exit 1" "$C_RC:$C_ERR" "1:pcfifoctl: fifo nowhere: does not exist
"
ctl_ok "send spare x" send spare x

# -------------------------------------------------------------- status --
ctl status -j
is "status -j: exit 0" "$C_RC:$C_ERR" "0:"
for f in default spare; do
	json_sysfs fifos "$f" capacity count enqueued dequeued
done
json_is "status -j: spare is 12% full (1 of 8)" spare fill_percent 12
json_sysfs producers apple fifo rate item produced
json_sysfs consumers eater fifo rate consumed last_item
json_is "status -j: apple is paused" apple state '"paused"'
json_is "status -j: apple's achieved rate is 0.0" apple achieved_rate 0.0
ctl status
is "status: exit 0" "$C_RC:$C_ERR" "0:"
check "status: a FIFO table, spare 8 1 12%" \
	contains "$C_OUT" '^spare  *8  *1  *12%  *[0-9][0-9]*  *[0-9][0-9]*$'
check "status: an instance table, producer apple on spare, rate 0, paused, pear" \
	contains "$C_OUT" '^producer  *apple  *spare  *0  *0\.0  *[0-9][0-9]*  *paused  *pear$'
# An achieved rate: 20/s each way through spare, measured over a second.
ctl_ok "set consumer eater rate=20" set consumer eater rate=20
ctl_ok "set producer apple rate=20" set producer apple rate=20
ctl status -j --interval 1
ach=$(json_obj apple | sed -n 's/^ *"achieved_rate": \([0-9]*\)\..*/\1/p')
check "status -j --interval 1: apple achieves 20/s (10..30; got ${ach:-none})" \
	test "${ach:-0}" -ge 10 -a "${ach:-0}" -le 30
check "status -j --interval 1: interval_ms 1000" contains "$C_OUT" '^  "interval_ms": 1000,$'

# ------------------------------------------------------------------ top --
ctl top -n 3 --delay 0.2
check "top -n 3 without a terminal: exit 0, 3 blocks" \
	test "$C_RC:$(printf '%s\n' "$C_OUT" | grep -c '^pcfifoctl top ')" = "0:3"
# (Without a terminal the bar is 20 wide: '#' up to the fill, then blanks;
# spare may be anything from empty to full here.)
check "top: a fill bar for spare" contains "$C_OUT" '^fifo  *spare  *\[#*  *\]\|^fifo  *spare  *\[#\{20\}\]'
check "top: producer apple at rate 20" contains "$C_OUT" '^producer  *apple .* rate  *20 '
check "top: no escape sequences without a terminal" \
	test "$(printf '%s' "$C_OUT" | tr -d -c '\033' | wc -c)" -eq 0
ctl_ok "set producer apple rate=0" set producer apple rate=0
ctl_ok "set consumer eater rate=0" set consumer eater rate=0

# ---------------------------------------------------------- bad values --
n65=$(printf '%065d' 0)
ctl_refused "set rate=2000000" 1 "producer apple: rate 2000000: out of range, 0..1000000" \
	set producer apple rate=2000000
ctl_refused "set rate=abc" 1 "producer apple: rate abc: invalid argument, 0..1000000" \
	set producer apple rate=abc
ctl_refused "set rate=7 item= (checked before the first write)" 1 \
	"producer apple: item \"\": invalid argument, 1..64 bytes" \
	set producer apple rate=7 item=
ctl_refused "set fifo=nowhere" 1 \
	"consumer eater: fifo nowhere: does not exist, 1..64 bytes, no '/' or newline" \
	set consumer eater rate=5 fifo=nowhere
rd "$SYS/fifos/spare/count"
[ "$R" -gt 0 ] || { "$CTL" send spare x && rd "$SYS/fifos/spare/count"; }
ctl_refused "set capacity of a FIFO that holds items" 1 \
	"fifo spare: capacity 4: busy, the FIFO is not empty (count $R)" \
	set fifo spare capacity=4
ctl_refused "add fifo --capacity 0" 1 "fifo big: capacity 0: out of range, 1..65536" \
	add fifo big --capacity 0
ctl_refused "add a 65-byte FIFO name" 1 \
	"fifo: name $n65: name too long, 1..64 bytes, no '/' or newline" add fifo "$n65"
ctl_refused "add producer --fifo nowhere" 1 \
	"producer x: fifo nowhere: does not exist, 1..64 bytes, no '/' or newline" \
	add producer x --fifo nowhere
ctl_refused "add an existing producer" 1 "producer apple: already exists" add producer apple
ctl_refused "set an unknown key" 2 "set: a producer has no key 'speed'" \
	set producer apple speed=3
ctl_refused "set without =" 2 "set: 'rate': not KEY=VALUE" set producer apple rate
ctl_refused "add consumer --item" 2 "add: a consumer has no item" add consumer y --item z
ctl_refused "add of an unknown kind" 2 "add: 'thing': not fifo, producer or consumer" \
	add thing x
ctl_refused "del of a FIFO in use" 1 "fifo spare: busy, producer apple uses it" del fifo spare
ctl_refused "del fifo default" 1 "fifo default: not permitted, it is always there" \
	del fifo default
ctl_refused "del apple and a missing one (all or none)" 1 "producer nosuch: does not exist" \
	del producer apple nosuch

# ------------------------------------------------ save, reset, restore --
ctl_ok "add fifo other --capacity 3" add fifo other --capacity 3
ctl_ok "add producer multi --item 'two words' --fifo other" \
	add producer multi --rate 0 --item "two words" --fifo other
"$CTL" save "$T_TMP/saved.json"
check "save FILE: exit 0" test $? -eq 0
ctl save
check "save FILE writes what save prints" test "$C_OUT" = "$(cat "$T_TMP/saved.json")"
C_OUT=$(cat "$T_TMP/saved.json")
json_is "save: fifo other, capacity 3" other capacity 3
json_is "save: producer multi, item 'two words'" multi item '"two words"'
ctl_ok "reset" reset
names_in "$SYS/fifos"
is "reset leaves the FIFO default only" "$NAMES" "default "
check "reset leaves no instance" empty_dir "$SYS/producers"
check "reset leaves no consumer" empty_dir "$SYS/consumers"
ctl restore "$T_TMP/saved.json"
is "restore: exit 0" "$C_RC:$C_ERR" "0:"
check "restore reports: created fifo spare" contains "$C_OUT" '^created fifo spare$'
check "restore reports: set fifo spare capacity 8" contains "$C_OUT" '^set fifo spare capacity 8$'
check "restore reports: set producer apple rate 0" contains "$C_OUT" '^set producer apple rate 0$'
check "restore reports: set producer multi item two words" \
	contains "$C_OUT" '^set producer multi item two words$'
"$CTL" save >"$T_TMP/restored.json"
check "save -> reset -> restore gives the same tree" cmp "$T_TMP/saved.json" "$T_TMP/restored.json"
ctl restore "$T_TMP/saved.json"
is "restore twice: the second changes nothing, prints nothing" "$C_RC:$C_OUT:$C_ERR" "0::"
ctl_ok "add fifo junk" add fifo junk
ctl restore <"$T_TMP/saved.json"
is "restore from stdin keeps what the file does not name" "$C_RC:$C_OUT" "0:"
check "fifo junk is still there" test -d "$SYS/fifos/junk"
ctl restore --clear "$T_TMP/saved.json"
is "restore --clear removes it" "$C_RC:$C_OUT" "0:removed fifo junk"
sed 's/"capacity": 3/"capacity": 0/' "$T_TMP/saved.json" >"$T_TMP/bad.json"
ctl_refused "restore of a bad file" 1 \
	"$T_TMP/bad.json: fifos[1] (other): capacity 0: out of range, 1..65536" \
	restore "$T_TMP/bad.json"
printf '{ "fifos": [ { "name": "new" } ], "producers": [ { "name": "p", "fifo": "gone" } ] }' \
	>"$T_TMP/bad2.json"
ctl_refused "restore of a file whose instance names no FIFO" 1 \
	"$T_TMP/bad2.json: producer p: fifo gone: does not exist" restore "$T_TMP/bad2.json"

# ---------------------------------------------------------- del, reset --
ctl_ok "del producer apple multi" del producer apple multi
ctl_ok "del consumer eater" del consumer eater
ctl_ok "del fifo spare other" del fifo spare other
check "all gone" test ! -e "$SYS/fifos/spare" -a ! -e "$SYS/producers/apple" \
	-a ! -e "$SYS/consumers/eater"
ctl_ok "add producer last" add producer last --rate 0
ctl_ok "reset --unload" reset --unload
check "reset --unload leaves no module and no tree" is_clean

t_end
