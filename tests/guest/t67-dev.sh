#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t67-dev: the device files /dev/pcfifo/NAME.  The node comes and goes with
# its FIFO (0600 root, /sys/class/pcfifo/NAME); line framing with echo, dd,
# seq and head (bad lines, partial writes, read sizes); O_NONBLOCK reads and
# writes; poll, select and epoll masks and wake-ups; record framing (binary
# items, sizes, GET/SET, ENOTTY); EINTR of a blocked read and write; a
# blocking write larger than the FIFO; first-come first-served hand-off
# between device readers and a consumer instance; device and instance
# traffic mixed in one FIFO (conservation, FIFO order); EBUSY of rmdir and
# rmmod while a device file is open.  Calls that the shell cannot make go
# through tests/guest/devtest.c (/pcfifo/bin/devtest in the guest, built by
# tests/vm/initramfs.sh; PCFIFO_DEVTEST names another copy).

. "$(dirname "$0")/lib.sh"
t_begin

DT=${PCFIFO_DEVTEST:-$PCFIFO_ROOT/bin/devtest}
D=/dev/pcfifo
CF=$CFG/fifos
SF=$SYS/fifos
x64=$(printf '%64s' '' | tr ' ' x)
x65=${x64}x

# dt DEV OP...: run devtest on DEV (see devtest.c); its words into DT_OUT.
dt() {
	DT_OUT=$("$DT" "$@" 2>&1)
}

# dt_is DESC WANT DEV OP...: devtest DEV OP... prints the words WANT.
dt_is() {
	di_desc=$1 di_want=$2
	shift 2
	dt "$@"
	is "$di_desc" "$DT_OUT" "$di_want"
}

# dt_bg NAME DEV OP...: devtest in the background, its words into the file
# NAME in T_TMP; its process id into BG.
dt_bg() {
	db_f=$T_TMP/$1
	shift
	"$DT" "$@" >"$db_f" 2>&1 &
	BG=$!
}

# bg_is DESC PID NAME WANT: the background devtest PID ends within 10 s,
# having printed WANT.
bg_is() {
	if ! reap "$2"; then
		nok "$1"
		diag "process $2 did not end within 10 s; killed"
		return 1
	fi
	rd "$T_TMP/$3"
	is "$1" "$R" "$4"
}

# ctrs_is DESC NAME COUNT ENQUEUED DEQUEUED: the counters of FIFO NAME.
ctrs_is() {
	ci_got=""
	for ci_f in count enqueued dequeued; do
		rd "$SF/$2/$ci_f"
		ci_got="$ci_got${ci_got:+ }$R"
	done
	is "$1 (count enqueued dequeued)" "$ci_got" "$3 $4 $5"
}

# dev_read DEV BS: one read(2) of BS bytes from DEV, by dd, into $T_TMP/rd.
dev_read() {
	timeout 5 dd if="$1" of="$T_TMP/rd" bs="$2" count=1 2>/dev/null
}

# dev_matches NAME: /dev/pcfifo/NAME has the numbers of
# /sys/class/pcfifo/NAME/dev.
dev_matches() {
	rd "/sys/class/pcfifo/$1/dev" || return 1
	dm_n=$(stat -c '%t %T' "$D/$1") || return 1
	# shellcheck disable=SC2086 # two hex numbers
	set -- $dm_n
	[ "$R" = "$((0x$1)):$((0x$2))" ]
}

# d_in_order ITEMS: the comma-separated ITEMS are p or dN, the dN in
# increasing order; their number into N_D.
d_in_order() {
	N_D=0 dio_last=0 dio_rest=$1,
	while [ -n "$dio_rest" ]; do
		dio_it=${dio_rest%%,*}
		dio_rest=${dio_rest#*,}
		case $dio_it in
		p) ;;
		d[1-9] | d[1-9][0-9])
			[ "${dio_it#d}" -gt "$dio_last" ] || return 1
			dio_last=${dio_it#d}
			N_D=$((N_D + 1))
			;;
		*) return 1 ;;
		esac
	done
}

need "the test program $DT is there (tests/vm/initramfs.sh builds it)" test -x "$DT"
load_core

# --- the nodes --------------------------------------------------------------------
check "/dev/pcfifo/default is a character device" test -c "$D/default"
mode_is "/dev/pcfifo/default is 0600 root" "$D/default" 600
check "/sys/class/pcfifo/default exists" test -d /sys/class/pcfifo/default
check "... and its dev holds the node's numbers" dev_matches default
check "no /dev/pcfifo/n before mkdir fifos/n" test ! -e "$D/n"
quiet_ok "mkdir fifos/n" mkdir "$CF/n"
check "/dev/pcfifo/n appears, a character device" test -c "$D/n"
mode_is "/dev/pcfifo/n is 0600 root" "$D/n" 600
check "/sys/class/pcfifo/n appears, with the node's numbers" dev_matches n
check "/dev/pcfifo/n and /dev/pcfifo/default differ" \
	test "$(stat -c %t:%T "$D/n")" != "$(stat -c %t:%T "$D/default")"
quiet_ok "rmdir fifos/n" rmdir "$CF/n"
check "/dev/pcfifo/n disappears" test ! -e "$D/n"
check "/sys/class/pcfifo/n disappears" test ! -e /sys/class/pcfifo/n

# --- line framing from the shell -----------------------------------------------
mkfifo_cfs s 1000
S=$D/s
wre "$S" 'hello\n'
is "echo hello > /dev/pcfifo/s succeeds" "$W_RC" 0
ctrs_is "... one item is queued" s 1 1 0
dev_read "$S" 100
bytes_is "dd (one read of 100 bytes) reads it back: 'hello\n'" "$T_TMP/rd" 'hello\n'
ctrs_is "... and takes it" s 0 1 1
wre "$S" 'a\nb\nc'
ctrs_is "one write of 'a\nb\nc' puts 3 items (the last line has no newline)" s 3 4 1
dev_read "$S" 100
bytes_is "one read returns the three, each followed by a newline" "$T_TMP/rd" 'a\nb\nc\n'
wre "$S" "$x64\n"
dev_read "$S" 100
bytes_is "a 64-byte line is one item" "$T_TMP/rd" "$x64\n"
for bad in 'an empty line:\nabc\n' "a 65-byte line:$x65\n" \
	"65 bytes without newline:$x65" 'a NUL:a\0b\n'; do
	wre "$S" "${bad#*:}"
	check "echo: a first line with ${bad%%:*} -> EINVAL" err_is "$W_ERR" EINVAL
done
ctrs_is "... and those put nothing" s 0 5 5
seq 1 5 >"$S"
ctrs_is "seq 1 5 > /dev/pcfifo/s puts 5 items" s 5 10 5
out=$(timeout 5 head -n 5 "$S")
is "head -n 5 /dev/pcfifo/s reads them in order" "$out" "$(seq 1 5)"
seq 1 1000 >"$T_TMP/seq"
dd if="$T_TMP/seq" of="$S" bs=8192 2>/dev/null
is "one write(2) of 1,000 lines (3893 bytes, dd) succeeds" "$?" 0
ctrs_is "... and puts 1,000 items" s 1000 1010 10
dev_read "$S" 8192
check "one read of 8192 bytes returns all 1,000 lines, in order" cmp -s "$T_TMP/rd" "$T_TMP/seq"
ctrs_is "... and takes them" s 0 1010 1010

# --- read sizes and partial writes ------------------------------------------------
wre "$S" 'hello\n'
dt_is "read of 0 bytes: 0; 1 byte: EINVAL; 5 (< hello + newline): EINVAL" \
	"= EINVAL EINVAL" "$S" r:0 r:1 r:5
ctrs_is "... nothing taken" s 1 1011 1010
dt_is "a read of 6 bytes takes hello + newline" '=hello\n' "$S" r:6
wre "$S" 'ab\ncd\nef\n'
dt_is "a read of 7 bytes returns the 2 whole items that fit, the next the third" \
	'=ab\ncd\n =ef\n' "$S" r:7 r:100
dt_is "O_NONBLOCK read of the empty FIFO: EAGAIN" EAGAIN "$S" nb r:100
dt_is "write of 0 bytes: 0" 0 "$S" w:
dt_is "write 'a\n\nb\n' (2nd line empty): the 2 bytes of a" 2 "$S" 'w:a\n\nb\n'
dt_is "write 'ok\nab<NUL>c\n': the 3 bytes of ok" 3 "$S" 'w:ok\nab\x00c\n'
dt_is "write 'x\n<65 bytes>\ny\n': the 2 bytes of x" 2 "$S" "w:x\\n$x65\\ny\\n"
dt_is "a bad first line (empty, NUL, 65 bytes, 65 bytes and no newline): EINVAL" \
	"EINVAL EINVAL EINVAL EINVAL" "$S" 'w:\nabc' 'w:\x00a\n' "w:$x65\\n" "w:$x65"
ctrs_is "only the good items before a bad line went in" s 3 1017 1014
dt_is "... in order" '=a\nok\nx\n' "$S" r:100

# --- O_NONBLOCK writes, poll, select, epoll -------------------------------------------
set_or_bail "$CF/s/capacity" 3
dt_is "empty FIFO: poll, select, epoll say writable only" \
	"OUT|WRNORM OUT OUT|WRNORM" "$S" poll select epoll
dt_is "O_NONBLOCK write of 5 lines into 3 free slots: the 6 bytes of 3; then EAGAIN" \
	"6 EAGAIN" "$S" nb 'w:a\nb\nc\nd\ne\n' 'w:f\n'
ctrs_is "... the FIFO is full" s 3 1020 1017
dt_is "O_NONBLOCK write of 'f\n\n' (a bad 2nd line) into the full FIFO: EAGAIN" \
	EAGAIN "$S" nb 'w:f\n\n'
dt_is "full FIFO: readable only" "IN|RDNORM IN IN|RDNORM" "$S" poll select epoll
dt_is "O_NONBLOCK write of a record into the full FIFO: EAGAIN" \
	"0 EAGAIN" "$S" nb set:1 w:r
dt_is "a read of 2 bytes takes a" '=a\n' "$S" r:2
dt_is "partly full: readable and writable" \
	"IN|RDNORM|OUT|WRNORM IN|OUT IN|RDNORM|OUT|WRNORM" "$S" poll select epoll
dt_is "the rest reads b, c" '=b\nc\n' "$S" r:100

# --- record framing ------------------------------------------------------------------
dt_is "GET_FRAMING: lines (0); SET_FRAMING records: 0; GET: 1" "0 0 1" "$S" get set:1 get
dt_is "SET_FRAMING 2 and -1: EINVAL, records kept" \
	"0 EINVAL EINVAL 1" "$S" set:1 set:2 set:-1 get
dt_is "an unknown ioctl: ENOTTY" ENOTTY "$S" badioctl
dt_is "a record of 9 binary bytes (NUL, newlines, 0xff) reads back as it was" \
	'0 9 =\x00ab\n\ncd\xff\x01' "$S" set:1 'w:\x00ab\n\ncd\xff\x01' r:64
dt_is "records of 64 bytes: 64; 65 and 0 bytes: EINVAL" \
	"0 64 EINVAL EINVAL" "$S" set:1 "w:$x64" "w:$x65" w:
ctrs_is "... one item went in" s 1 1022 1021
dt_is "a record read of 63 bytes (item: 64): EINVAL, of 64: the item" \
	"0 EINVAL =$x64" "$S" set:1 r:63 r:64
wre "$S" 'a\nb\n'
dt_is "one record read takes one item, no separator" "0 =a" "$S" set:1 r:64
dt_is "the framing is per open file: a new one reads lines" '0 =b\n' "$S" get r:100
ctrs_is "records and lines count alike" s 0 1024 1024

# --- wake-ups, EINTR ---------------------------------------------------------------
for how in poll select epoll; do
	dt_bg w "$S" "${how}w"
	check "$how: a process waits for the empty FIFO to be readable" wait_asleep "$BG"
	wre "$S" 'x\n'
	bg_is "... and wakes, readable, when another one writes" "$BG" w IN
	dt "$S" r:100
done
dt_bg r "$S" r:100
check "a read of the empty FIFO blocks" wait_asleep "$BG" "$NR_READ"
kill -USR1 "$BG"
bg_is "... a signal (handler without SA_RESTART) ends it: EINTR" "$BG" r EINTR
wre "$S" 'y\n'
dt_is "the interrupted reader left nothing behind: the next item is readable and reads" \
	'IN|RDNORM|OUT|WRNORM =y\n' "$S" poll nb r:100
wre "$S" 'a\nb\nc\n'
dt_bg w "$S" 'w:d\n'
check "a write to the full FIFO blocks" wait_asleep "$BG" "$NR_WRITE"
kill -USR1 "$BG"
bg_is "... a signal ends it: EINTR" "$BG" w EINTR
dt_bg w "$S" 'w:d\n\n'
check "a write of 'd\n\n' (a bad 2nd line) to the full FIFO blocks" wait_asleep "$BG" "$NR_WRITE"
kill -USR1 "$BG"
bg_is "... a signal ends it: EINTR" "$BG" w EINTR
ctrs_is "... they put nothing" s 3 1031 1028
dt_is "the FIFO holds a, b, c" '=a\nb\nc\n' "$S" r:100
dt_bg w "$S" 'w:1\n2\n3\n4\n5\n'
check "a write of 5 lines into 3 free slots blocks" wait_asleep "$BG" "$NR_WRITE"
ctrs_is "... after putting 3" s 3 1034 1031
kill -USR1 "$BG"
bg_is "... a signal ends it: the 6 bytes of the 3 items it put" "$BG" w 6
dt_is "... which are there, whole and in order, and nothing more" \
	'=1\n2\n3\n EAGAIN' "$S" nb r:100 r:100
fifo_conserved "after the signals, FIFO s" "$SF/s"
seq 1 10 >"$S" &
pw=$!
check "seq 1 10 > /dev/pcfifo/s (capacity 3) blocks" wait_asleep "$pw" "$NR_WRITE"
out=$(timeout 10 head -n 10 "$S")
is "head -n 10 reads 1..10 in order as the writer refills the FIFO" "$out" "$(seq 1 10)"
reap "$pw"
is "... and the write completes" "$REAP_RC" 0
ctrs_is "FIFO s" s 0 1044 1044

# --- first come, first served -----------------------------------------------------------
mkfifo_cfs h 4
H=$D/h
# Readers A and B (records: one item each) wait, A first; then one write
# puts two items.  Rounds, as the order in which the two readers, woken
# together, run varies.
got="" want="" i=1
while [ "$i" -le 5 ]; do
	dt_bg a "$H" set:1 r:64
	pa=$BG
	wait_asleep "$pa" "$NR_READ" || got="$got (A not asleep)"
	dt_bg b "$H" set:1 r:64
	pb=$BG
	wait_asleep "$pb" "$NR_READ" || got="$got (B not asleep)"
	wre "$H" "first$i\nsecond$i\n"
	reap "$pa"
	rd "$T_TMP/a"
	got="$got A:$R"
	reap "$pb"
	rd "$T_TMP/b"
	got="$got B:$R"
	want="$want A:0 =first$i B:0 =second$i"
	i=$((i + 1))
done
is "device reader A, waiting before B, gets the first item, B the second (5 rounds)" \
	"$got" "$want"
mkinst_on h consumers c 1000
sleep 0.3
dt_bg a "$H" r:100
pa=$BG
check "a device reader waits after consumer c (1000/s) on h" wait_asleep "$pa" "$NR_READ"
wre "$H" 'one\n'
check "c, which came first, gets the first item" \
	wait_until 3 val_is "$SYS/consumers/c/last_item" one
wre "$H" 'two\n'
bg_is "the device reader gets the second" "$pa" a '=two\n'
rd "$SYS/consumers/c/consumed"
is "c consumed 1 item" "$R" 1
rmdir "$CFG/consumers/c"
dt_bg a "$H" r:100
pa=$BG
check "a device reader waits on h" wait_asleep "$pa" "$NR_READ"
mkinst_on h consumers c2 1000
sleep 0.3
wre "$H" 'three\n'
bg_is "... and gets the first item, though consumer c2 (1000/s) waits too" "$pa" a '=three\n'
wre "$H" 'four\n'
check "c2, which came later, gets the second" \
	wait_until 3 val_is "$SYS/consumers/c2/last_item" four
dt_is "a record with a NUL inside, 'n\\0ul': 4 bytes" "0 4" "$H" set:1 'w:n\x00ul'
check "c2 takes it" wait_until 3 val_is "$SYS/consumers/c2/consumed" 2
is "c2's last_item is all of it, NUL included, and a newline" \
	"$(hex_file "$SYS/consumers/c2/last_item")" 6e00756c0a
rmdir "$CFG/consumers/c2"
ctrs_is "FIFO h" h 0 15 15

# --- device and instance traffic mixed ------------------------------------------------
mkfifo_cfs m 4
M=$D/m
mkinst_on m producers p 0 p
mkinst_on m consumers cm 0
rd "$SYS/producers/p/produced"
p0=$R
rd "$SYS/consumers/cm/consumed"
c0=$R
setv "$SYS/producers/p/rate" 30
setv "$SYS/consumers/cm/rate" 20
lines="" i=1
while [ "$i" -le 20 ]; do
	lines="${lines}d$i\\n"
	i=$((i + 1))
done
dt_bg w "$M" "w:$lines"
pw=$BG
dt "$M" set:1 take:20
bg_is "a device writer puts d1..d20 (71 bytes) into m (capacity 4) among producer p (30/s)" \
	"$pw" w 71
setv "$SYS/producers/p/rate" 0
setv "$SYS/consumers/cm/rate" 0
sleep 0.2
# shellcheck disable=SC2086 # words without blanks
set -- $DT_OUT
d_in_order "$2"
st=$?
diag "the device reader took: $2"
is "a device reader (records) took 20 items: p's and d's, the d's in FIFO order, beside consumer cm (20/s)" \
	"$1:$st" "0:0"
fifo_conserved "mixed traffic, FIFO m" "$SF/m"
rd "$SYS/producers/p/produced"
want=$((R - p0 + 20))
rd "$SF/m/enqueued"
is "m's enqueued = p's produced + the device writer's 20" "$R" "$want"
rd "$SYS/consumers/cm/consumed"
want=$((R - c0 + 20))
rd "$SF/m/dequeued"
is "m's dequeued = cm's consumed + the device reader's 20" "$R" "$want"
rm_instances

# --- EBUSY while open --------------------------------------------------------------------
mkfifo_cfs b
exec 3<"$D/b"
rmdir_err "rmdir fifos/b while /dev/pcfifo/b is open -> EBUSY" "$CF/b" EBUSY
check "... /dev/pcfifo/b stays" test -c "$D/b"
exec 3<&-
quiet_ok "rmdir fifos/b succeeds once it is closed" rmdir "$CF/b"
check "/dev/pcfifo/b and /sys/class/pcfifo/b are gone" \
	test ! -e "$D/b" -a ! -e /sys/class/pcfifo/b
quiet_ok "rmmod pcfifo_producer pcfifo_consumer" rmmod pcfifo_producer pcfifo_consumer
exec 3<"$D/default"
out=$(rmmod pcfifo 2>&1)
check "rmmod pcfifo fails while /dev/pcfifo/default is open" test "$?" -ne 0
check "... in use ($out)" contains "$out" "in use"
check "pcfifo is still loaded" is_loaded pcfifo
exec 3<&-
quiet_ok "rmmod pcfifo succeeds once it is closed" rmmod pcfifo
check "/dev/pcfifo/default and /sys/class/pcfifo are gone" \
	test ! -e "$D/default" -a ! -e /sys/class/pcfifo

t_end
