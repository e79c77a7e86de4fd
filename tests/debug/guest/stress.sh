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
#   devwriter  items into /dev/pcfifo/NAME (default or fa..fc) from the
#              shell: echo and printf (a subshell, killed after 1.5 s if
#              the write still blocks) and seq (under timeout 2)
#   devreader  items out of /dev/pcfifo/NAME: cat, dd and head under
#              timeout 2 (cat never ends by itself: killed mid-read)
#   devholder  opens /dev/pcfifo/NAME and, holding it, tries rmdir of the
#              FIFO (must fail: EBUSY) and unloading the core (must fail:
#              in use), then closes it; its opens and closes race the
#              fifos loop's mkdir and rmdir and the rmmod loop
#
# Checks: no unexpected error (only the ones a race explains: the
# instance, the FIFO or the core went away meanwhile, a FIFO in use or
# holding items refused a change), every loop did work, moves and
# capacity changes did succeed, count never above capacity in any FIFO,
# the default FIFO was full and empty in some phases, the device loops
# did their work (writes completed and blocked, reads took items, every
# item read is whole and one that was put, a FIFO whose device is open
# was never removed and the core never unloaded), enqueued = dequeued +
# count in every FIFO at the end, the default FIFO's device gives back
# what it was given, everything unloads (no node left in /dev/pcfifo),
# and the kernel log stays clean.

# shellcheck source=debug-lib.sh
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

# The device loops write to /dev/pcfifo/NAME with shell redirections,
# which create a file that is missing: the node of a FIFO that went away
# would be replaced by a regular file, where devtmpfs could not make the
# node of the next FIFO of that name. With /dev read-only (this mount
# only: devtmpfs makes its nodes through its own), such a redirection
# fails with EROFS; writes to device files work as before.
if mount -o remount,bind,ro /dev 2>"$T_TMP/ro.err"; then
	DEV_RO=1
else
	DEV_RO=0
	slurp "$T_TMP/ro.err"
	nok "/dev can be made read-only for the device writers: $SL"
fi

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
# the errno's name, SC_US how long the call took (microseconds).
sys_call() {
	"$FAILNTH" 0 "$1" "$2" >"$T_TMP/sc.$LOOP" 2>&1
	SC_RES='' SC_US=0
	read -r SC_RES _ _ _ _ _ SC_US _ <"$T_TMP/sc.$LOOP"
	[ "$SC_RES" = 0 ]
}

# churn LOOP KIND NAMES...: mkdir or rmdir each name in turn. A FIFO
# gets a capacity when made; its rmdir fails with EBUSY while an instance
# names it (counted). The longest rmdir that succeeded goes to
# LOOP.rmdir (microseconds).
churn() {
	bg_loop "$1"
	ch_loop=$1 ch_kind=$2
	shift 2
	ch_ops=0 ch_busy=0 ch_rmax=0
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		for ch_n in "$@"; do
			ch_d=$CFG/$ch_kind/$ch_n
			if [ -d "$ch_d" ]; then
				if sys_call rmdir "$ch_d"; then
					[ "$SC_US" -le "$ch_rmax" ] || ch_rmax=$SC_US
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
	echo "$ch_rmax" >"$RES/$ch_loop.rmdir"
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
	s_phf=0 s_phe=0 s_hitf=0 s_hite=0 s_items=0
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
			# Items moved: the growth of every FIFO's enqueued
			# between samples (a FIFO made again, or the core
			# loaded again, starts from 0).
			s_k=${s_d##*/} s_e=''
			read -r s_e 2>/dev/null <"$s_d/enqueued"
			case $s_k$s_e in
			*[!a-z0-9]*) ;;
			*[0-9])
				eval "s_p=\${s_enq_$s_k:-0}"
				[ "$s_e" -lt "$s_p" ] && s_p=0
				s_items=$((s_items + s_e - s_p))
				eval "s_enq_$s_k=\$s_e"
				;;
			esac
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
	echo "$s_items" >"$RES/sampler.items"
}

# dev_raced TEXT: TEXT, the error of opening a FIFO's device file, is
# explained by a race: the FIFO or the core is gone (ENOENT; EROFS: the
# node is missing and /dev is read-only), the FIFO is being made or
# removed (ENODEV), or the core is being unloaded (ENXIO).
dev_raced() {
	err_in "$1" ENOENT EROFS ENODEV ENXIO
}

# dev_outcome LOOP WHAT STATUS ERRFILE: count a device command's outcome:
# done (0), killed by the loop or by timeout (143, 124), the device gone
# (a race, dev_raced), or unexpected.
dev_outcome() {
	case $3 in
	0) do_done=$((do_done + 1)) ;;
	124 | 143) do_killed=$((do_killed + 1)) ;;
	*)
		slurp "$4"
		if dev_raced "$SL"; then
			do_gone=$((do_gone + 1))
		else
			uerr "$1" "$2 (exit $3)" "$SL"
		fi
		;;
	esac
}

# devwriter: items into the device files of default and FIFOS.
devwriter() {
	bg_loop devwriter
	dw_ops=0 do_done=0 do_killed=0 do_gone=0
	dw_ef=$T_TMP/dw.err
	# the echo and printf subshells' end
	dw_end=$T_TMP/dw.end
	now_cs
	while [ "$NOW" -lt "$END" ] && [ "$DEV_RO" = 1 ]; do
		# shellcheck disable=SC2086 # names
		pick default $FIFOS
		dw_dev=$DEV/$PK
		rm -f "$dw_end"
		rnd 3
		case $RN in
		0)
			(echo "w$dw_ops" >"$dw_dev" && : >"$dw_end") 2>"$dw_ef" &
			dw_what="echo >$dw_dev"
			;;
		1)
			(printf 'w%s.%s\n' "$dw_ops" 1 "$dw_ops" 2 "$dw_ops" 3 >"$dw_dev" &&
				: >"$dw_end") 2>"$dw_ef" &
			dw_what="printf >$dw_dev"
			;;
		*)
			timeout 2 seq "$dw_ops" $((dw_ops + 20)) 2>"$dw_ef" >"$dw_dev" &
			dw_what="timeout 2 seq >$dw_dev"
			;;
		esac
		dw_pid=$!
		if [ "$RN" -lt 2 ]; then
			dw_n=0
			while [ "$dw_n" -lt 15 ] && ! [ -e "$dw_end" ]; do
				nap 0.1
				dw_n=$((dw_n + 1))
			done
			[ -e "$dw_end" ] || kill "$dw_pid" 2>/dev/null
		fi
		# (ash reports a job killed by a signal on its stderr)
		{ wait "$dw_pid"; } 2>/dev/null
		dev_outcome devwriter "$dw_what" $? "$dw_ef"
		dw_ops=$((dw_ops + 1))
		now_cs
	done
	echo "$dw_ops $do_done $do_killed $do_gone" >"$RES/devwriter.ops"
}

# devreader: items out of the device files of default and FIFOS, into
# devreader.out.
devreader() {
	bg_loop devreader
	dr_ops=0 do_done=0 do_killed=0 do_gone=0
	dr_ef=$T_TMP/dr.err
	: >"$RES/devreader.out"
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		# (default, which is full in every full phase, half the time)
		# shellcheck disable=SC2086 # names
		pick default default default $FIFOS
		dr_dev=$DEV/$PK
		rnd 3
		case $RN in
		0) dr_what="cat $dr_dev" ;;
		1) dr_what="dd if=$dr_dev bs=200 count=2 status=none" ;;
		*) dr_what="head -n 5 $dr_dev" ;;
		esac
		# shellcheck disable=SC2086 # the command
		{ timeout 2 $dr_what >>"$RES/devreader.out"; } 2>"$dr_ef"
		dev_outcome devreader "$dr_what" $? "$dr_ef"
		dr_ops=$((dr_ops + 1))
		now_cs
	done
	echo "$dr_ops $do_done $do_killed $do_gone" >"$RES/devreader.ops"
}

# dev_hold NAME: with FIFO NAME's device open (fd 3), rmdir of the FIFO
# and unloading the core must fail.
dev_hold() {
	dh_in=1
	if [ "$1" != default ]; then
		if sys_call rmdir "$CFG/fifos/$1"; then
			uerr devholder "rmdir fifos/$1 with its device open" "it succeeded"
		elif [ "$SC_RES" = EBUSY ]; then
			dh_busy=$((dh_busy + 1))
		else
			uerr devholder "rmdir fifos/$1 with its device open" "$SC_RES, not EBUSY"
		fi
	fi
	# delete_module(2): EAGAIN (EWOULDBLOCK) while in use; EBUSY while
	# the core is still loading (its nodes open during its init)
	if sys_call unload pcfifo; then
		uerr devholder "unload pcfifo with $DEV/$1 open" "it succeeded"
	elif [ "$SC_RES" = EAGAIN ] || [ "$SC_RES" = EBUSY ]; then
		dh_inuse=$((dh_inuse + 1))
	else
		uerr devholder "unload pcfifo with $DEV/$1 open" "$SC_RES, not EAGAIN"
	fi
	nap 0.2
}

# devholder: dev_hold on the device files of default and FIFOS.
devholder() {
	bg_loop devholder
	dh_ops=0 dh_held=0 dh_busy=0 dh_inuse=0 dh_gone=0
	dh_ef=$T_TMP/dh.err
	now_cs
	while [ "$NOW" -lt "$END" ]; do
		# shellcheck disable=SC2086 # names
		pick default $FIFOS $FIFOS
		dh_in=0
		# (a failed redirection of a compound command fails only it)
		{ dev_hold "$PK"; } 2>"$dh_ef" 3<"$DEV/$PK"
		if [ "$dh_in" = 1 ]; then
			dh_held=$((dh_held + 1))
		else
			slurp "$dh_ef"
			if dev_raced "$SL"; then
				dh_gone=$((dh_gone + 1))
			else
				uerr devholder "open $DEV/$PK" "$SL"
			fi
		fi
		dh_ops=$((dh_ops + 1))
		nap 0.1
		now_cs
	done
	echo "$dh_ops $dh_held $dh_busy $dh_inuse $dh_gone" >"$RES/devholder.ops"
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
devwriter &
devreader &
devholder &
wait
now_cs
[ "$DEV_RO" = 0 ] || mount -o remount,bind,rw /dev ||
	nok "/dev is writable again after the stress"
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
# The loops must have taken the default FIFO through both of its edges,
# full and empty, under load. How many phases reach their edge is the
# host's business: with the two cores shared with compilers (CI on an
# empty cache) it was 3 empty phases of 7.
check "the default FIFO was full in some full phases ($s_hitf of $s_phf)" \
	test "$s_phf" -ge 2 -a "$s_hitf" -ge 1
check "the default FIFO was empty in some empty phases ($s_hite of $s_phe)" \
	test "$s_phe" -ge 2 -a "$s_hite" -ge 1
read -r dw_ops dw_done dw_killed dw_gone <"$RES/devwriter.ops"
check "loop devwriter wrote to the device files ($dw_ops writers: $dw_done done, $dw_killed killed while blocked, $dw_gone found the FIFO gone)" \
	test "${dw_done:-0}" -gt 0 -a "${dw_killed:-0}" -gt 0
read -r dr_ops dr_done dr_killed dr_gone <"$RES/devreader.ops"
# Every line read is an item some producer or devwriter put: whole (1 to
# 64 bytes and its newline) and as written.
awk '{ n++ }
	length($0) < 1 || length($0) > 64 ||
	!/^(p[a-d](\.[0-9]+)?|item [0-9]+|dflt|w[0-9]+(\.[1-3])?|[0-9]+)$/ {
		if (++bad <= 5) print "not an item put: \"" $0 "\""
	}
	END { print n + 0, bad + 0 }' "$RES/devreader.out" >"$RES/devreader.check"
read -r dr_items dr_bad <<DRCHECK
$(tail -n 1 "$RES/devreader.check")
DRCHECK
check "loop devreader read items from the device files ($dr_ops readers: $dr_done done, $dr_killed killed, $dr_gone found the FIFO gone; $dr_items items)" \
	test "${dr_items:-0}" -gt 0 -a "${dr_killed:-0}" -gt 0
is "every item read from a device file is one that was put, whole" "${dr_bad:-?}" 0
[ "${dr_bad:-0}" = 0 ] || diag "$(sed '$d' "$RES/devreader.check")"
[ -z "$(tail -c 1 "$RES/devreader.out")" ] ||
	nok "the device reads end with a whole line"
read -r dh_ops dh_held dh_busy dh_inuse dh_gone <"$RES/devholder.ops"
check "loop devholder held device files open ($dh_ops opens: $dh_held held, $dh_gone found the FIFO gone; rmdir refused $dh_busy times, unloading the core $dh_inuse times)" \
	test "${dh_held:-0}" -gt 0 -a "${dh_busy:-0}" -gt 0 -a "${dh_inuse:-0}" -gt 0
total=$((total + dw_ops + dr_ops + dh_ops))
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
drain default
check "the default FIFO's device file gives back two items written to it" dev_roundtrip default
[ -z "$DR_WHY" ] || diag "$DR_WHY"
fifos_conserved "after the device round trip"
rm_instances
check "every FIFO made in configfs goes once no instance names it" \
	test "$(find "$CFG/fifos" -mindepth 1 -maxdepth 1 ! -name default | wc -l)" -eq 0
for m in $MODS; do
	is_loaded "$m" || continue
	out=$(rmmod "$m" 2>&1)
	is "rmmod $m after the stress" "$?:$out" "0:"
done
check "nothing is left behind" is_clean
check "no node is left in $DEV" test ! -e "$DEV"
dbg_ops stress "$total"
# For make soak (tests/soak/run.sh): what this run did, in one line.
rmax=0
for l in producers consumers fifos; do
	rd "$RES/$l.rmdir" && [ "$R" -gt "$rmax" ] && rmax=$R
done
rd "$RES/sampler.items" || R=0
diag "at least $R items moved (sampled); the longest rmdir took $rmax us"
echo "PCFIFO-SOAK-STRESS ops=$total items=$R rmdir_us=$rmax"

dbg_end
