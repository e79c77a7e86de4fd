#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh - the debug lane's stress run (not part of run-suite.sh).
#
# For PCFIFO_STRESS_SECONDS (default 60) seconds, concurrent shell loops:
#
#   producers  mkdir and rmdir producers pa..pd in configfs, setting rate
#              and item on creation
#   consumers  the same for consumers ca..cc
#   fifos      mkdir and rmdir FIFOs fa..fc in configfs, setting capacity
#              on creation (rmdir of a FIFO an instance names: EBUSY)
#   writer     rate and item of every instance, through configfs and sysfs
#   mover      fifo of every instance (default or fa..fc), through
#              configfs and sysfs, the module-parameter instances too
#   sizer      capacity of every FIFO, through configfs and sysfs (EBUSY
#              while it holds items)
#   reader     every attribute in configfs, sysfs and /sys/module
#   rmmod      rmmod of every module (kmod's, and busybox's raw
#              delete_module); reloads the core (capacity 4, 8 or 16) when
#              it went, sometimes loads a role module with parameters
#   phase      every 3 s flips between "full" (producers fast, consumers
#              stopped) and "empty" (the reverse), so the FIFO fills and
#              drains again and again
#   sampler    samples count and capacity of every FIFO every 50 ms
#
# Checks: no unexpected error (only the ones a race explains: the
# instance, the FIFO or the core went away meanwhile, a FIFO in use or
# holding items refused a change), every loop did work, moves and
# capacity changes did succeed, count never above capacity in any FIFO,
# the default FIFO was full and empty in most phases, enqueued = dequeued
# + count in every FIFO at the end, everything unloads, and the kernel
# log stays clean.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/debug-lib.sh"
t_begin

STRESS_SECS=${PCFIFO_STRESS_SECONDS:-60}
PHASE_CS=300
# Shared by the loops (each has its own T_TMP for lib.sh's scratch files).
RES=$T_TMP
PHASE=$RES/phase
UNEXPECTED=$RES/unexpected
: >"$UNEXPECTED"

load_core capacity=8
echo "0 full" >"$PHASE"

# set_phase I NAME: the loops read the phase file concurrently: replace it
# whole.
set_phase() {
	echo "$1 $2" >"$PHASE.new"
	mv -f "$PHASE.new" "$PHASE"
}

# bg_loop NAME: the start of each background loop: the test file's EXIT
# trap (clean up everything) is not the loop's to run.
bg_loop() {
	trap - EXIT INT TERM HUP
	LOOP=$1
	# lib.sh's scratch files (wr's stderr, ...) are per loop.
	T_TMP=$T_TMP/$LOOP
	mkdir -p "$T_TMP"
}
now_cs
END=$((NOW + STRESS_SECS * 100))

# Errors a race explains (the instance, the role module or the core went
# away, or is half made or half removed):
#   ENOENT  the directory is gone (ash: "no such file", "nonexistent
#           directory"); configfs also answers it to a write to an item
#           being removed; and a fifo write naming a FIFO that went away
#   ENODEV  sysfs: the attribute was removed after it was opened
#   EACCES  "can't create": the directory exists but the attribute does not
#           (yet, or any more): open(O_CREAT) in sysfs or configfs, which
#           cannot create files, fails with EACCES
# write_raced TEXT: W_ERR-style TEXT is one of those.
write_raced() {
	err_in "$1" ENOENT ENODEV && return 0
	case $1 in *"can't create"*'Permission denied'*) return 0 ;; esac
	return 1
}

# fifo_raced TEXT FILE NAME: TEXT, the error of writing NAME to FILE (an
# instance's fifo), is explained by a race: the FIFO NAME or the instance
# went away (write_raced). "default" never goes away while an instance
# exists: ENOENT from the write itself (not the open) through sysfs is no
# race.
fifo_raced() {
	case $3 in
	default)
		case $2 in
		"$SYS"/*)
			case $1 in *'write error'*) err_in "$1" ENOENT && return 1 ;; esac
			;;
		esac
		;;
	esac
	write_raced "$1"
}

# uerr LOOP WHAT TEXT: record an error no race explains.
uerr() {
	printf '%s: %s: %s\n' "$1" "$2" "$(printf '%s' "$3" | tr '\r\n' '  ')" >>"$UNEXPECTED"
}

# rnd N: a pseudo-random number 0..N-1 into RN (per-loop LCG, no fork).
SEED=$$
rnd() {
	SEED=$(((SEED * 1103515245 + 12345) % 2147483648))
	RN=$(((SEED / 65536) % $1))
}

# pick WORD...: one of the WORDs at random into PK.
pick() {
	rnd $#
	shift "$RN"
	PK=$1
}

# The FIFOs made in configfs, and what instances move between.
FIFOS="fa fb fc"

# phase_rates: producer and consumer rate for the current phase into
# PR and CR.
phase_rates() {
	read -r _ ph <"$PHASE"
	rnd 4
	if [ "$ph" = full ]; then
		case $RN in 0) PR=1000 ;; 1) PR=5000 ;; 2) PR=50000 ;; *) PR=1000000 ;; esac
		CR=0
	else
		case $RN in 0) CR=1000 ;; 1) CR=5000 ;; 2) CR=50000 ;; *) CR=1000000 ;; esac
		PR=0
	fi
}

# errf LOOP: this loop's scratch file for stderr.
# ok_err LOOP WHAT FILE ERRNO...: the error text in FILE is one of ERRNOs,
# else it is recorded as unexpected.
ok_err() {
	oe_loop=$1 oe_what=$2
	slurp "$3"
	shift 3
	err_in "$SL" "$@" || uerr "$oe_loop" "$oe_what" "$SL"
}

# sys_call mkdir|rmdir|unload ARG: the system call through the static
# helper (an exec of it costs a third of one of busybox's); SC_RES is 0 or
# the errno's name.
sys_call() {
	"$FAILNTH" 0 "$1" "$2" >"$T_TMP/sc.$LOOP" 2>&1
	SC_RES=
	read -r SC_RES _ <"$T_TMP/sc.$LOOP"
	[ "$SC_RES" = 0 ]
}

# churn LOOP KIND NAMES...: mkdir or rmdir each name in turn. A FIFO
# gets a capacity when made; its rmdir fails with EBUSY while an instance
# names it (counted).
churn() {
	bg_loop "$1"
	ch_loop=$1 ch_kind=$2
	shift 2
	ch_ops=0 ch_busy=0
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		for ch_n in "$@"; do
			ch_d=$CFG/$ch_kind/$ch_n
			if [ -d "$ch_d" ]; then
				if sys_call rmdir "$ch_d"; then
					:
				elif [ "$ch_kind.$SC_RES" = fifos.EBUSY ]; then
					ch_busy=$((ch_busy + 1))
				else
					uerr "$ch_loop" "rmdir $ch_n" "$SC_RES"
				fi
			elif sys_call mkdir "$ch_d"; then
				phase_rates
				case $ch_kind in
				fifos)
					# An instance may have moved in and put an
					# item already (EBUSY); no one else removes
					# it.
					pick 2 4 8 16
					wr "$ch_d/capacity" "$PK"
					[ "$W_RC" -eq 0 ] || err_in "$W_ERR" EBUSY ||
						uerr "$ch_loop" "capacity $PK of new $ch_n" "$W_ERR"
					;;
				producers)
					wr "$ch_d/rate" "$PR"
					[ "$W_RC" -eq 0 ] || write_raced "$W_ERR" ||
						uerr "$ch_loop" "rate $PR" "$W_ERR"
					wr "$ch_d/item" "$ch_n.$ch_ops"
					;;
				*) wr "$ch_d/rate" "$CR" ;;
				esac
				[ "$ch_kind" = fifos ] || [ "$W_RC" -eq 0 ] ||
					write_raced "$W_ERR" ||
					uerr "$ch_loop" "set up $ch_n" "$W_ERR"
			else
				# The core went (ENOENT), or the role module is
				# on its way out (ENODEV).
				case $SC_RES in
				ENOENT | ENODEV) ;;
				*) uerr "$ch_loop" "mkdir $ch_n" "$SC_RES" ;;
				esac
			fi
			ch_ops=$((ch_ops + 1))
		done
		now_cs
	done
	echo "$ch_ops" >"$RES/$ch_loop.ops"
	echo "$ch_busy" >"$RES/$ch_loop.busy"
}

# writer: rate and item of whatever exists, through both trees.
writer() {
	bg_loop writer
	w_ops=0
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		phase_rates
		for w_f in "$CFG"/producers/*/rate "$SYS"/producers/*/rate \
			"$CFG"/consumers/*/rate "$SYS"/consumers/*/rate \
			"$CFG"/producers/*/item "$SYS"/producers/*/item; do
			case $w_f in
			*'*'*) continue ;;
			*/producers/*/rate) w_v=$PR ;;
			*/consumers/*/rate) w_v=$CR ;;
			*) rnd 1000; w_v="item $RN" ;;
			esac
			wr "$w_f" "$w_v"
			[ "$W_RC" -eq 0 ] || write_raced "$W_ERR" ||
				uerr writer "write '$w_v' to $w_f" "$W_ERR"
			w_ops=$((w_ops + 1))
		done
		now_cs
	done
	echo "$w_ops" >"$RES/writer.ops"
}

# mover: fifo of every instance, through both trees, to default or one of
# FIFOS (which may not exist at the moment: ENOENT).
mover() {
	bg_loop mover
	v_ops=0 v_moved=0
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		for v_f in "$CFG"/producers/*/fifo "$SYS"/producers/*/fifo \
			"$CFG"/consumers/*/fifo "$SYS"/consumers/*/fifo; do
			case $v_f in *'*'*) continue ;; esac
			# shellcheck disable=SC2086 # names
			pick default $FIFOS
			wr "$v_f" "$PK"
			if [ "$W_RC" -eq 0 ]; then
				v_moved=$((v_moved + 1))
			else
				fifo_raced "$W_ERR" "$v_f" "$PK" ||
					uerr mover "write '$PK' to $v_f" "$W_ERR"
			fi
			v_ops=$((v_ops + 1))
		done
		# (a pause: the loops that fork get their share of the CPUs)
		nap 0.05
		now_cs
	done
	echo "$v_ops" >"$RES/mover.ops"
	echo "$v_moved" >"$RES/mover.done"
}

# sizer: capacity of every FIFO, through both trees, now and then (a
# change needs an empty FIFO: EBUSY otherwise).
sizer() {
	bg_loop sizer
	z_ops=0 z_set=0 z_busy=0
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		for z_f in "$CFG"/fifos/*/capacity "$SYS"/fifos/*/capacity; do
			case $z_f in *'*'*) continue ;; esac
			pick 1 2 4 8 16
			wr "$z_f" "$PK"
			if [ "$W_RC" -eq 0 ]; then
				z_set=$((z_set + 1))
			elif err_in "$W_ERR" EBUSY; then
				z_busy=$((z_busy + 1))
			else
				write_raced "$W_ERR" ||
					uerr sizer "write '$PK' to $z_f" "$W_ERR"
			fi
			z_ops=$((z_ops + 1))
		done
		nap 0.1
		now_cs
	done
	echo "$z_ops" >"$RES/sizer.ops"
	echo "$z_set $z_busy" >"$RES/sizer.done"
}

# reader: every attribute; the numbers must look like numbers. A read
# that fails without a word from the shell is a read(2) error: ENODEV when
# the attribute was removed after the open; counted, not judged.
reader() {
	bg_loop reader
	r_ops=0 r_gone=0
	r_ef=$T_TMP/reader.err
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		for r_f in "$SYS"/fifos/*/* "$SYS"/producers/*/* "$SYS"/consumers/*/* \
			"$CFG"/fifos/*/* "$CFG"/producers/*/* "$CFG"/consumers/*/* \
			/sys/module/pcfifo*/parameters/*; do
			case $r_f in *'*'*) continue ;; esac
			r_v=
			r_rc=0
			{ read -r r_v <"$r_f" || r_rc=1; } 2>"$r_ef"
			if [ -s "$r_ef" ]; then
				ok_err reader "read $r_f" "$r_ef" ENOENT ENODEV
			elif [ "$r_rc" -ne 0 ] && [ -z "$r_v" ]; then
				case $r_f in
				*/last_item) ;;
				*) r_gone=$((r_gone + 1)) ;;
				esac
			else
				case $r_f in
				*/item | */last_item) ;;
				*/fifo)
					[ -n "$r_v" ] || uerr reader "read $r_f" "an empty FIFO name"
					;;
				*)
					case $r_v in
					'' | *[!0-9]*) uerr reader "read $r_f" "not a number: '$r_v'" ;;
					esac
					;;
				esac
			fi
			r_ops=$((r_ops + 1))
		done
		now_cs
	done
	echo "$r_ops" >"$RES/reader.ops"
	echo "$r_gone" >"$RES/reader.gone"
}

# rmmod_refused TEXT: TEXT (kmod rmmod's message, or the errno name from
# the helper) is a documented refusal: the module is in use (instances,
# or a role module holding the core: EAGAIN/EWOULDBLOCK, kmod says "is in
# use"), is being loaded or unloaded by someone else (EBUSY), or is gone
# already (ENOENT, kmod: "not currently loaded").
rmmod_refused() {
	case $1 in
	EAGAIN | EBUSY | ENOENT | *'is in use'* | *'not currently loaded'*) return 0 ;;
	esac
	err_in "$1" EAGAIN EBUSY ENOENT
}

# remover: rmmod of every module, reloading what must be there.
remover() {
	bg_loop remover
	m_ops=0 m_gone=0 m_busy=0 m_loads=0
	m_ef=$T_TMP/rmmod.err
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		for m_m in pcfifo_producer pcfifo_consumer pcfifo; do
			rnd 2
			m_rc=0
			if [ "$RN" -eq 0 ]; then
				# kmod's rmmod: checks the use count first
				rmmod "$m_m" 2>"$m_ef" || m_rc=1
				slurp "$m_ef"
			else
				# delete_module(2) directly
				sys_call unload "$m_m" || m_rc=1
				SL=$SC_RES
			fi
			if [ "$m_rc" -eq 0 ]; then
				m_gone=$((m_gone + 1))
			elif rmmod_refused "$SL"; then
				m_busy=$((m_busy + 1))
			else
				uerr rmmod "rmmod $m_m" "$SL"
			fi
			m_ops=$((m_ops + 1))
		done
		if ! is_loaded pcfifo; then
			rnd 3
			case $RN in 0) m_c=4 ;; 1) m_c=8 ;; *) m_c=16 ;; esac
			mp pcfifo "capacity=$m_c"
			[ "$MP_RC" -eq 0 ] || uerr rmmod "modprobe pcfifo capacity=$m_c" "$MP_OUT"
			m_loads=$((m_loads + 1))
		fi
		rnd 3
		if [ "$RN" -eq 0 ] && not_loaded pcfifo_producer; then
			phase_rates
			mp pcfifo_producer item=dflt "rate=$PR"
			[ "$MP_RC" -eq 0 ] || uerr rmmod "modprobe pcfifo_producer" "$MP_OUT"
			m_loads=$((m_loads + 1))
		fi
		rnd 3
		if [ "$RN" -eq 0 ] && not_loaded pcfifo_consumer; then
			phase_rates
			mp pcfifo_consumer "rate=$CR"
			[ "$MP_RC" -eq 0 ] || uerr rmmod "modprobe pcfifo_consumer" "$MP_OUT"
			m_loads=$((m_loads + 1))
		fi
		nap 0.3
		now_cs
	done
	echo "$m_ops $m_gone $m_busy $m_loads" >"$RES/rmmod.ops"
}

# phaser: flip full/empty every PHASE_CS and apply it to every instance.
phaser() {
	bg_loop phaser
	p_i=0 p_ops=0
	now_cs
	p_next=$((NOW + PHASE_CS))
	while [ "$NOW" -lt "$END" ]; do
		if [ "$NOW" -ge "$p_next" ]; then
			p_i=$((p_i + 1))
			if [ $((p_i % 2)) -eq 0 ]; then p_ph=full; else p_ph=empty; fi
			set_phase "$p_i" "$p_ph"
			p_next=$((p_next + PHASE_CS))
			phase_rates
			for p_f in "$SYS"/producers/*/rate "$SYS"/consumers/*/rate; do
				case $p_f in
				*'*'*) continue ;;
				*/producers/*) wr "$p_f" "$PR" ;;
				*) wr "$p_f" "$CR" ;;
				esac
				[ "$W_RC" -eq 0 ] || write_raced "$W_ERR" ||
					uerr phase "write to $p_f" "$W_ERR"
				p_ops=$((p_ops + 1))
			done
		fi
		nap 0.1
		now_cs
	done
	echo "$p_ops" >"$RES/phase.ops"
}

# sampler: count within capacity in every FIFO; which phases reached their
# target in the default FIFO. Capacity is read before and after count: a
# sample whose two reads differ (it changed meanwhile) is not judged.
sampler() {
	bg_loop sampler
	s_n=0 s_bad=0 s_full=0 s_empty=0 s_last=-1 s_hit=0
	s_phf=0 s_phe=0 s_hitf=0 s_hite=0
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		read -r s_i s_ph <"$PHASE"
		if [ "$s_i" != "$s_last" ]; then
			# A new phase: close the previous one.
			if [ "$s_last" -ge 0 ]; then
				case $s_lph in
				full) s_phf=$((s_phf + 1)); s_hitf=$((s_hitf + s_hit)) ;;
				*) s_phe=$((s_phe + 1)); s_hite=$((s_hite + s_hit)) ;;
				esac
			fi
			s_last=$s_i s_lph=$s_ph s_hit=0
		fi
		for s_d in "$SYS"/fifos/*; do
			s_cap='' s_cnt='' s_cap2=''
			{ read -r s_cap <"$s_d/capacity" && read -r s_cnt <"$s_d/count" &&
				read -r s_cap2 <"$s_d/capacity"; } 2>/dev/null
			if [ -z "$s_cnt" ] || [ -z "$s_cap" ] || [ "$s_cap" != "$s_cap2" ]; then
				continue
			fi
			s_n=$((s_n + 1))
			if [ "$s_cnt" -gt "$s_cap" ] || [ "$s_cnt" -lt 0 ]; then
				s_bad=$((s_bad + 1))
				uerr sampler "count" "${s_d##*/}: count $s_cnt > capacity $s_cap"
			fi
			[ "$s_d" = "$FIFO" ] || continue
			[ "$s_cnt" -eq "$s_cap" ] && s_full=$((s_full + 1))
			[ "$s_cnt" -eq 0 ] && s_empty=$((s_empty + 1))
			if [ "$s_ph" = full ] && [ "$s_cnt" -eq "$s_cap" ]; then s_hit=1; fi
			if [ "$s_ph" = empty ] && [ "$s_cnt" -eq 0 ]; then s_hit=1; fi
		done
		nap 0.05
		now_cs
	done
	echo "$s_n $s_bad $s_full $s_empty $s_phf $s_hitf $s_phe $s_hite" >"$RES/sampler.ops"
}

mark
diag "stress: $STRESS_SECS s of concurrent loops"
now_cs
t0=$NOW
churn producers producers pa pb pc pd &
churn consumers consumers ca cb cc &
# shellcheck disable=SC2086 # names
churn fifos fifos $FIFOS &
writer &
mover &
sizer &
reader &
remover &
phaser &
sampler &
wait
now_cs
secs=$(((NOW - t0) / 100))
check "the stress ran for at least $STRESS_SECS s ($secs s)" test "$secs" -ge "$STRESS_SECS"

# --- what the loops saw ----------------------------------------------------------
total=0
for l in producers consumers fifos writer mover sizer reader phase; do
	n=0
	rd "$RES/$l.ops" && n=$R
	check "loop $l did work ($n operations)" test "$n" -gt 0
	total=$((total + n))
done
rd "$RES/reader.gone" && diag "reads that failed as the instance went: $R"
rd "$RES/fifos.busy" && diag "rmdir of a FIFO in use refused (EBUSY): $R"
moved=0
rd "$RES/mover.done" && moved=$R
check "instances moved between FIFOs ($moved fifo writes accepted)" test "$moved" -gt 0
read -r z_set z_busy <"$RES/sizer.done"
check "capacity changed ($z_set writes accepted, $z_busy refused while the FIFO held items)" \
	test "${z_set:-0}" -gt 0
read -r m_ops m_gone m_busy m_loads <"$RES/rmmod.ops"
check "loop rmmod did work ($m_ops rmmod attempts: $m_gone unloaded, $m_busy refused as in use; $m_loads loads)" \
	test "${m_ops:-0}" -gt 0
total=$((total + m_ops + m_loads))
read -r s_n s_bad s_full s_empty s_phf s_hitf s_phe s_hite <"$RES/sampler.ops"
check "the sampler took samples ($s_n)" test "${s_n:-0}" -gt 0
total=$((total + s_n))
is "count never exceeded capacity in any FIFO ($s_n samples)" "$s_bad" 0
diag "samples full: $s_full, empty: $s_empty"
check "the default FIFO was full in most full phases ($s_hitf of $s_phf)" \
	test "$s_phf" -ge 2 -a $((s_hitf * 2)) -ge "$s_phf"
check "the default FIFO was empty in most empty phases ($s_hite of $s_phe)" \
	test "$s_phe" -ge 2 -a $((s_hite * 2)) -ge "$s_phe"
if [ -s "$UNEXPECTED" ]; then
	nok "no unexpected error in the loops ($(wc -l <"$UNEXPECTED") lines)"
	diag "$(sort "$UNEXPECTED" | uniq -c | sort -rn | head -n 30)"
else
	ok "no unexpected error in the loops"
fi

# --- the end state ------------------------------------------------------------------
is_loaded pcfifo || load_core
check "every instance goes quiet at rate 0" quiesce
fifos_conserved "after the stress"
rm_instances
check "every FIFO made in configfs goes once no instance names it" \
	test "$(find "$CFG/fifos" -mindepth 1 -maxdepth 1 ! -name default | wc -l)" -eq 0
for m in $MODS; do
	is_loaded "$m" || continue
	out=$(rmmod "$m" 2>&1)
	is "rmmod $m after the stress" "$?:$out" "0:"
done
check "nothing is left behind" is_clean
dbg_ops stress "$total"

dbg_end
