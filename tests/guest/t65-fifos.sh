#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t65-fifos: named FIFOs.  fifos/default made by the core; mkdir and rmdir
# of fifos/NAME (names, EEXIST, EPERM, EBUSY while an instance names it,
# queued items dropped and nothing else changed) and their sysfs mirror;
# capacity in both trees (EINVAL, ERANGE, EBUSY); the fifo attribute of
# configfs and module-parameter instances (ENOENT, EINVAL, ENAMETOOLONG);
# moving a blocked producer and a blocked consumer (at once, no burst,
# counters go on, the peers left behind lose no slot or item); two
# pipelines at different rates that conserve on their own; FIFO order per
# FIFO; 1,000 FIFOs made and removed.

. "$(dirname "$0")/lib.sh"
t_begin

CF=$CFG/fifos
SF=$SYS/fifos
PD=$SYS/producers/default
CD=$SYS/consumers/default
n64=$(printf '%64s' '' | tr ' ' f)
n65=${n64}f
m64=$(printf '%64s' '' | tr ' ' m)

# Values in echo -e notation, one a line; each is written with one write(2).
CAP_EINVAL='abc
\n
-1
-0
 5
5 
5x
0x10
1.5
+
5\n\n'
CAP_ERANGE='0
0\n
65537
4294967296
99999999999999999999'
FIFO_EINVAL='\n
a\0b
\0
a\0\n'
FIFO_ENAMETOOLONG="$n65
$n65\\n
$n65$n65"
# "a\n\n" loses one newline and names "a\n", which does not exist.
FIFO_ENOENT="nosuch
nosuch\\n
Default
 default
a\\n\\n
$m64"

# fifo_moves WHO FILE [OTHER]: the fifo FILE of an instance takes the name
# of an existing FIFO and reads it back (in OTHER too, the other tree's
# file); writing the current name again succeeds.  Ends on default.
fifo_moves() {
	write_ok "$1: fifo a is accepted" "$2" 'a\n'
	[ -n "${3:-}" ] && bytes_is "$1: ... and the other tree reads a" "$3" 'a\n'
	write_ok "$1: writing the current FIFO's name again succeeds" "$2" 'a' 'a\n'
	write_ok "$1: a 64-byte FIFO name is accepted" "$2" "$n64" "$n64\\n"
	[ -n "${3:-}" ] && bytes_is "$1: ... and the other tree reads it" "$3" "$n64\\n"
	write_ok "$1: fifo default is accepted" "$2" 'default\n'
}

# fifo_refusals FILE: bad names for the fifo FILE of an instance fail with
# their errno and leave it on default.
fifo_refusals() {
	write_err_each "$1" EINVAL "$FIFO_EINVAL"
	write_err_each "$1" ENAMETOOLONG "$FIFO_ENAMETOOLONG"
	write_err_each "$1" ENOENT "$FIFO_ENOENT"
	bytes_is "after the refusals $1 reads default" "$1" 'default\n'
}

# fifo_busy WHO FILE: while the instance whose fifo file is FILE names
# FIFO a, rmdir fifos/a fails with EBUSY; once it is back on default, the
# rmdir works.  fifos/a is made again afterwards.
fifo_busy() {
	setv "$2" a
	rmdir_err "rmdir fifos/a while $1 names it -> EBUSY" "$CF/a" EBUSY
	check "sysfs fifos/a survives the refused rmdir" test -d "$SF/a"
	setv "$2" default
	quiet_ok "rmdir fifos/a succeeds once $1 is back on default" rmdir "$CF/a"
	check "sysfs fifos/a disappears" test ! -e "$SF/a"
	mkfifo_cfs a
}

# state_but NAME: the counters of every FIFO but NAME and of every
# instance, into ST.
state_but() {
	ST=""
	for sb_f in "$SF"/*/count "$SF"/*/enqueued "$SF"/*/dequeued \
		"$SYS"/producers/*/produced "$SYS"/consumers/*/consumed; do
		case $sb_f in "$SF/$1/"*) continue ;; esac
		rd "$sb_f"
		ST="$ST ${sb_f#"$SYS/"}=$R"
	done
}

load_core capacity=8

# --- fifos/default ---------------------------------------------------------------
check "configfs fifos/default exists once pcfifo is loaded" test -d "$CF/default"
check "sysfs fifos/default exists" test -d "$SF/default"
bytes_is "configfs fifos/default/capacity is the module parameter (8)" \
	"$CF/default/capacity" '8\n'
bytes_is "sysfs fifos/default/capacity is the module parameter (8)" \
	"$SF/default/capacity" '8\n'
mode_is "configfs fifos/default/capacity is 0644 root" "$CF/default/capacity" 644
mode_is "sysfs fifos/default/capacity is 0644 root" "$SF/default/capacity" 644
names_in "$CF/default"
is "configfs fifos/default holds exactly capacity" "$NAMES" "capacity "
names_in "$SF/default"
is "sysfs fifos/default holds capacity, count, dequeued, enqueued" \
	"$NAMES" "capacity count dequeued enqueued "
rmdir_err "rmdir fifos/default -> EPERM" "$CF/default" EPERM
check "sysfs fifos/default survives the refused rmdir" test -d "$SF/default"
mkdir_err "mkdir fifos/default -> EEXIST" "$CF/default" EEXIST
mkdir_err "mkdir inside fifos/default -> EPERM" "$CF/default/sub" EPERM

# --- mkdir and rmdir of FIFOs ------------------------------------------------------
quiet_ok "mkdir fifos/a succeeds" mkdir "$CF/a"
check "sysfs fifos/a appears" test -d "$SF/a"
names_in "$CF/a"
is "configfs fifos/a holds exactly capacity" "$NAMES" "capacity "
names_in "$SF/a"
is "sysfs fifos/a holds capacity, count, dequeued, enqueued" \
	"$NAMES" "capacity count dequeued enqueued "
bytes_is "a new FIFO starts with the capacity module parameter (configfs reads 8)" \
	"$CF/a/capacity" '8\n'
bytes_is "... and sysfs reads 8" "$SF/a/capacity" '8\n'
mode_is "configfs fifos/a/capacity is 0644 root" "$CF/a/capacity" 644
mode_is "sysfs fifos/a/capacity is 0644 root" "$SF/a/capacity" 644
for f in count enqueued dequeued; do
	bytes_is "sysfs fifos/a/$f starts at 0" "$SF/a/$f" '0\n'
	mode_is "sysfs fifos/a/$f is 0444 root" "$SF/a/$f" 444
	write_err "writing sysfs fifos/a/$f is refused" "$SF/a/$f" '5\n' EACCES
done
mkdir_err "mkdir of an existing FIFO -> EEXIST" "$CF/a" EEXIST
mkdir_err "mkdir inside fifos/a -> EPERM" "$CF/a/sub" EPERM
quiet_ok "a 64-byte FIFO name is accepted" mkdir "$CF/$n64"
check "sysfs fifos/<64-byte name> appears" test -d "$SF/$n64"
mkdir_err "a 65-byte FIFO name -> ENAMETOOLONG" "$CF/$n65" ENAMETOOLONG
check "no sysfs FIFO with a 65-byte name" test ! -e "$SF/$n65"
quiet_ok "a 1-byte FIFO name is accepted" mkdir "$CF/z"
quiet_ok "rmdir of an empty unused FIFO succeeds" rmdir "$CF/z"
check "sysfs fifos/z disappears" test ! -e "$SF/z"
check "configfs fifos/z disappears" test ! -e "$CF/z"
quiet_ok "a removed FIFO's name can be used again" mkdir "$CF/z"
rmdir "$CF/z"

# --- capacity, both trees --------------------------------------------------------------
for side in configfs sysfs; do
	if [ "$side" = configfs ]; then
		f=$CF/a/capacity o=$SF/a/capacity
	else
		f=$SF/a/capacity o=$CF/a/capacity
	fi
	write_ok "$side fifos/a/capacity 16 is accepted" "$f" '16\n'
	bytes_is "... and the other tree reads 16 at once" "$o" '16\n'
	write_ok "$side capacity 1 (the minimum) is accepted" "$f" '1' '1\n'
	write_ok "$side capacity 65536 (the maximum) is accepted" "$f" '65536\n'
	write_ok "$side capacity '+5' is accepted as 5" "$f" '+5' '5\n'
	write_err_each "$f" EINVAL "$CAP_EINVAL"
	write_err_each "$f" ERANGE "$CAP_ERANGE"
	bytes_is "after the refusals the other tree still reads 5" "$o" '5\n'
done
write_ok "sysfs fifos/default/capacity takes 20 (empty FIFO)" "$SF/default/capacity" '20\n'
bytes_is "... and configfs reads 20 at once" "$CF/default/capacity" '20\n'
rd /sys/module/pcfifo/parameters/capacity
is "writing a capacity leaves the module parameter at 8" "$R" 8
mkfifo_cfs b
bytes_is "a new FIFO starts with the module parameter (8), not default's 20" \
	"$SF/b/capacity" '8\n'
write_ok "configfs fifos/default/capacity takes 8 again" "$CF/default/capacity" '8\n'

# --- fifo of the module-parameter instances ---------------------------------------------
mp pcfifo_producer rate=5
is "modprobe pcfifo_producer rate=5" "$MP_RC:$MP_OUT" "0:"
mp pcfifo_consumer rate=5
is "modprobe pcfifo_consumer rate=5" "$MP_RC:$MP_OUT" "0:"
for d in "$PD" "$CD"; do
	who="module-parameter ${d#"$SYS/"}"
	bytes_is "$who/fifo reads default" "$d/fifo" 'default\n'
	mode_is "$who/fifo is 0644 root" "$d/fifo" 644
	fifo_moves "$who" "$d/fifo"
	fifo_refusals "$d/fifo"
	fifo_busy "$who" "$d/fifo"
done
setv "$PD/fifo" b
setv "$CD/fifo" b
check "the module-parameter instances meet on FIFO b (its dequeued grows)" \
	wait_until 3 val_ge "$SF/b/dequeued" 1
bytes_is "consumers/default took producers/default's item from b" \
	"$CD/last_item" 'default\n'
rmdir_err "rmdir fifos/b while both name it -> EBUSY" "$CF/b" EBUSY
setv "$PD/fifo" default
rmdir_err "rmdir fifos/b while consumers/default still names it -> EBUSY" \
	"$CF/b" EBUSY
setv "$CD/fifo" default
quiet_ok "rmdir fifos/b succeeds once both are back on default" rmdir "$CF/b"
quiet_ok "rmmod pcfifo_producer pcfifo_consumer" rmmod pcfifo_producer pcfifo_consumer

# --- fifo of configfs instances ------------------------------------------------------------
mkinst producers p 0
mkinst consumers c 0
names_in "$CFG/producers/p"
is "configfs producers/p holds exactly fifo, item and rate" "$NAMES" "fifo item rate "
names_in "$CFG/consumers/c"
is "configfs consumers/c holds exactly fifo and rate" "$NAMES" "fifo rate "
for k in producers/p consumers/c; do
	bytes_is "configfs $k/fifo starts as default" "$CFG/$k/fifo" 'default\n'
	bytes_is "sysfs $k/fifo starts as default" "$SYS/$k/fifo" 'default\n'
	mode_is "configfs $k/fifo is 0644 root" "$CFG/$k/fifo" 644
	mode_is "sysfs $k/fifo is 0644 root" "$SYS/$k/fifo" 644
	fifo_moves "configfs $k" "$CFG/$k/fifo" "$SYS/$k/fifo"
	fifo_moves "sysfs $k" "$SYS/$k/fifo" "$CFG/$k/fifo"
	fifo_refusals "$CFG/$k/fifo"
	fifo_refusals "$SYS/$k/fifo"
	fifo_busy "configfs $k" "$CFG/$k/fifo"
done
quiet_ok "rmdir of the 64-byte FIFO succeeds" rmdir "$CF/$n64"
check "sysfs fifos/<64-byte name> disappears" test ! -e "$SF/$n64"

# --- capacity of a FIFO that holds items: EBUSY ---------------------------------------------
mkfifo_cfs k 5
setv "$CFG/producers/p/fifo" k
setv "$CFG/producers/p/rate" 1000
check "producer p fills fifos/k (capacity 5)" wait_until 2 val_is "$SF/k/count" 5
setv "$CFG/producers/p/rate" 0
for f in "$CF/k/capacity" "$SF/k/capacity"; do
	write_err_each "$f" EBUSY '6\n
4
1
65536'
done
bytes_is "configfs fifos/k/capacity still reads 5" "$CF/k/capacity" '5\n'
setv "$CFG/consumers/c/fifo" k
setv "$CFG/consumers/c/rate" 1000000
check "consumer c drains fifos/k" wait_until 2 val_is "$SF/k/count" 0
write_ok "sysfs capacity of the drained fifos/k takes 3" "$SF/k/capacity" '3\n'
bytes_is "... and configfs reads 3 at once" "$CF/k/capacity" '3\n'
setv "$CFG/consumers/c/rate" 0
setv "$CFG/consumers/c/fifo" default
setv "$CFG/producers/p/rate" 1000
check "fifos/k fills up to its new capacity 3" wait_until 2 val_is "$SF/k/count" 3
sleep 0.3
rd "$SF/k/count"
is "... and stays at 3" "$R" 3
setv "$CFG/producers/p/rate" 0
fifo_conserved "fifos/k" "$SF/k"

# --- rmdir of a FIFO that holds items and that nobody uses ---------------------------------
setv "$CFG/producers/p/fifo" default
state_but k
st0=$ST
quiet_ok "rmdir of fifos/k (3 items queued, nobody names it) succeeds" rmdir "$CF/k"
check "sysfs fifos/k disappears, its counters with it" test ! -e "$SF/k"
state_but k
is "nothing else changes: the other FIFOs' counters, produced and consumed" "$ST" "$st0"
mkfifo_cfs k
got=""
for f in count enqueued dequeued capacity; do
	rd "$SF/k/$f"
	got="$got $R"
done
is "a new fifos/k starts empty, with fresh counters (count enqueued dequeued capacity)" \
	"$got" " 0 0 0 8"
rmdir "$CFG/producers/p" "$CFG/consumers/c" "$CF/k" "$CF/a"

# --- moving a blocked producer, a blocked consumer ----------------------------------------
# moved KIND MOVER PEER FEEDER OLD NEW: MOVER and PEER (both KIND, at 20/s)
# wait on the FIFO OLD and take turns at what FEEDER (of the other kind,
# 5/s) moves there; MOVER moves to NEW, where it can go on.  It does so at
# once at its rate (the window includes the move: no burst, no delay), its
# counter goes on, and PEER gets all that FEEDER moves on OLD, including
# what was handed to MOVER before the move.  Leaves them all paused.
moved() {
	if [ "$1" = producers ]; then
		mv_ctr=produced mv_fk=consumers mv_old=dequeued mv_new=enqueued
		mv_what="slots freed" mv_end=4
	else
		mv_ctr=consumed mv_fk=producers mv_old=enqueued mv_new=dequeued
		mv_what="items put" mv_end=0
	fi
	rd "$SYS/$1/$2/$mv_ctr"
	mv_m0=$R
	rd "$SYS/$1/$3/$mv_ctr"
	mv_p0=$R
	rd "$SF/$5/$mv_old"
	mv_o0=$R
	measure_rate "$1/$2, blocked on $5 and moved to $6, goes on at 20/s at once, no burst" \
		"$SYS/$1/$2/$mv_ctr" 3 20 10 setv "$CFG/$1/$2/fifo" "$6"
	rd "$SYS/$1/$3/$mv_ctr"
	mv_gp=$((R - mv_p0))
	rd "$SF/$5/$mv_old"
	mv_go=$((R - mv_o0))
	check "$3, left on $5, gets all of them ($mv_go $mv_what there, $3 +$mv_gp)" \
		near "$mv_gp" "$mv_go" 2
	check "... and $4 kept going on $5 (>= 8 of ~16 $mv_what)" test "$mv_go" -ge 8
	setv "$CFG/$mv_fk/$4/rate" 0
	check "$5's count comes to $mv_end: nothing handed to $2 was lost" \
		wait_until 2 val_is "$SF/$5/count" "$mv_end"
	setv "$CFG/$1/$2/rate" 0
	setv "$CFG/$1/$3/rate" 0
	sleep 0.2
	rd "$SF/$6/$mv_new"
	mv_n=$R
	rd "$SYS/$1/$2/$mv_ctr"
	mv_g=$((R - mv_m0))
	check "$2's $mv_ctr went on counting (+$mv_g: $6's $mv_n, and 1 on $5 before the move at most)" \
		test "$mv_g" -ge "$mv_n" -a "$mv_g" -le $((mv_n + 1))
	fifo_conserved "FIFO $5" "$SF/$5"
	fifo_conserved "FIFO $6" "$SF/$6"
}

# Producers: w1 fills A, then w2 waits too; ca frees slots; B is empty.
mkfifo_cfs A 4
mkfifo_cfs B 1000
mkinst_on A producers w1 20 w1
check "producer w1 (20/s) fills FIFO A (capacity 4)" wait_until 2 val_is "$SF/A/count" 4
mkinst_on A producers w2 20 w2
mkinst_on A consumers ca 5
sleep 1
moved producers w1 w2 ca A B
rmdir "$CFG/producers/w1" "$CFG/producers/w2" "$CFG/consumers/ca" "$CF/A" "$CF/B"

# Consumers: r1 and r2 wait on the empty C; pc puts; "full" keeps D full.
mkfifo_cfs C 4
mkfifo_cfs D 4
mkinst_on D producers full 1000000
mkinst_on C consumers r1 20
mkinst_on C consumers r2 20
mkinst_on C producers pc 5
check "producer full fills FIFO D (capacity 4)" wait_until 2 val_is "$SF/D/count" 4
sleep 1
moved consumers r1 r2 pc C D
bytes_is "r1 took from D (last_item full)" "$SYS/consumers/r1/last_item" 'full\n'
rmdir "$CFG/consumers/r1" "$CFG/consumers/r2" "$CFG/producers/pc" \
	"$CFG/producers/full" "$CF/C" "$CF/D"

# --- two pipelines at different rates ------------------------------------------------------
# pa: a1 12/s + a2 8/s -> ca1 10/s (backs up to its capacity 8)
# pb: b1 50/s -> cb1 30/s + cb2 20/s
# Counted from when they are all in place (a new instance may put or take
# one item on default as it starts).
mkfifo_cfs pa
mkfifo_cfs pb
mkinst_on pa producers a1 0 a1
mkinst_on pa producers a2 0 a2
mkinst_on pa consumers ca1 0
mkinst_on pb producers b1 0 b1
mkinst_on pb consumers cb1 0
mkinst_on pb consumers cb2 0
base=""
for f in producers/a1/produced producers/a2/produced consumers/ca1/consumed \
	producers/b1/produced consumers/cb1/consumed consumers/cb2/consumed; do
	rd "$SYS/$f"
	base="$base $R"
done
# shellcheck disable=SC2086 # six numbers
set -- $base
setv "$SYS/producers/a1/rate" 12
setv "$SYS/producers/a2/rate" 8
setv "$SYS/consumers/ca1/rate" 10
setv "$SYS/producers/b1/rate" 50
setv "$SYS/consumers/cb1/rate" 30
setv "$SYS/consumers/cb2/rate" 20
sleep 1
measure_rate "pipeline a: FIFO pa drains at its consumer's 10/s" "$SF/pa/dequeued" 3 10 10
measure_rate "pipeline b: FIFO pb moves its producer's 50/s" "$SF/pb/dequeued" 3 50 10
check "pipeline a backs up: pa is full (8)" wait_until 1 val_is "$SF/pa/count" 8
for f in "$SYS"/producers/*/rate "$SYS"/consumers/*/rate; do
	setv "$f" 0
done
sleep 0.3
fifo_conserved "pipeline a" "$SF/pa"
fifo_conserved "pipeline b" "$SF/pb"
rd "$SYS/producers/a1/produced"
pa_p=$((R - $1))
rd "$SYS/producers/a2/produced"
pa_p=$((pa_p + R - $2))
rd "$SYS/consumers/ca1/consumed"
pa_c=$((R - $3))
rd "$SYS/producers/b1/produced"
pb_p=$((R - $4))
rd "$SYS/consumers/cb1/consumed"
pb_c=$((R - $5))
rd "$SYS/consumers/cb2/consumed"
pb_c=$((pb_c + R - $6))
rd "$SF/pa/enqueued"
is "pa's enqueued = a1's + a2's produced" "$R" "$pa_p"
rd "$SF/pa/dequeued"
is "pa's dequeued = ca1's consumed" "$R" "$pa_c"
rd "$SF/pb/enqueued"
is "pb's enqueued = b1's produced" "$R" "$pb_p"
rd "$SF/pb/dequeued"
is "pb's dequeued = cb1's + cb2's consumed" "$R" "$pb_c"
rd "$SYS/consumers/ca1/last_item"
check "ca1 takes only pipeline a's items (last_item $R)" test "$R" = a1 -o "$R" = a2
bytes_is "cb1 takes only pipeline b's items" "$SYS/consumers/cb1/last_item" 'b1\n'
bytes_is "cb2 takes only pipeline b's items" "$SYS/consumers/cb2/last_item" 'b1\n'
rm_instances

# --- FIFO order, per FIFO -------------------------------------------------------------------
# o1 holds three x and o2 three u while their producers put y and v now.
mkfifo_cfs o1 3
mkfifo_cfs o2 3
mkinst_on o1 producers po1 1000 x
mkinst_on o2 producers po2 1000 u
check "po1 fills FIFO o1 (capacity 3)" wait_until 2 val_is "$SF/o1/count" 3
check "po2 fills FIFO o2 (capacity 3)" wait_until 2 val_is "$SF/o2/count" 3
setv "$SYS/producers/po1/item" y
setv "$SYS/producers/po2/item" v
mkinst_on o1 consumers co1 0
mkinst_on o2 consumers co2 0
rd "$SYS/consumers/co1/consumed"
b1=$R
setv "$SYS/consumers/co1/rate" 1
fifo_order "FIFO o1" "$SYS/consumers/co1" "$SF/o1" "$b1" 3 x y "$SYS/producers/po1"
setv "$SYS/consumers/co1/rate" 0
rd "$SYS/consumers/co2/consumed"
b2=$R
setv "$SYS/consumers/co2/rate" 1
fifo_order "FIFO o2" "$SYS/consumers/co2" "$SF/o2" "$b2" 3 u v "$SYS/producers/po2"
setv "$SYS/consumers/co2/rate" 0
rm_instances
names_in "$SF"
is "with the instances gone every FIFO but default can be removed" "$NAMES" "default "
quiet_ok "rmmod pcfifo_producer pcfifo_consumer" rmmod pcfifo_producer pcfifo_consumer

# --- 1,000 FIFOs ----------------------------------------------------------------------------
# One mkdir and one rmdir for all (a fork costs much under TCG).  The time
# limits only guard against a hang.
dirs=""
i=1
while [ "$i" -le 1000 ]; do
	dirs="$dirs $CF/m$i"
	i=$((i + 1))
done
# shellcheck disable=SC2086 # 1,000 paths without blanks
time_cs mkdir $dirs
is "mkdir of 1,000 FIFOs succeeds" "$T_RC:$T_OUT" "0:"
diag "mkdir of 1,000 FIFOs took $(fmt100 "$T_CS") s"
check "... within 60 s (hang guard)" test "$T_CS" -lt 6000
names_in "$SF"
sys_names=$NAMES
is "sysfs lists the 1,000 FIFOs and default" "$N_NAMES" 1001
names_in "$CF"
is "configfs and sysfs list the same FIFOs" "$NAMES" "$sys_names"
bytes_is "sysfs fifos/m1000/capacity reads the module parameter" "$SF/m1000/capacity" '8\n'
out=$(rmmod pcfifo 2>&1)
check "rmmod pcfifo fails while FIFOs made with mkdir exist" test "$?" -ne 0
diag "rmmod printed: $out"
check "pcfifo is still loaded" is_loaded pcfifo
# shellcheck disable=SC2086 # 1,000 paths without blanks
time_cs rmdir $dirs
is "rmdir of the 1,000 FIFOs succeeds" "$T_RC:$T_OUT" "0:"
diag "rmdir of 1,000 FIFOs took $(fmt100 "$T_CS") s"
check "... within 60 s (hang guard)" test "$T_CS" -lt 6000
names_in "$SF"
is "sysfs lists default only" "$NAMES" "default "
names_in "$CF"
is "configfs lists default only" "$NAMES" "default "
quiet_ok "rmmod pcfifo succeeds once they are gone" rmmod pcfifo
check "nothing is left loaded, neither tree present" is_clean

t_end
