#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-suite.sh [NAME...] [-NAME...] - run the pcfifo guest suite inside
# the VM.
#
# Runs tests/guest/t??-*.sh in order, or only those whose file name
# contains one of the NAMEs (e.g. "run-suite.sh t50 params"), but none
# whose name contains a -NAME ("run-suite.sh -t69 -t90": all but t69 and
# t90; the runner names each file it leaves out).  Output is
# TAP; the last line is "N passed, N failed" and the exit status is 1 when
# anything failed.  Each test file must leave no instance and no module
# behind; the runner checks that after every file and cleans up, so one
# broken file cannot take the following ones down with it.
#
# Expects (the VM harness provides it): root, configfs mounted at
# /sys/kernel/config, the pcfifo modules installed and depmod'ed but not
# loaded.

here=$(cd "$(dirname "$0")" && pwd)
PCFIFO_TAP_STATE=${TMPDIR:-/tmp}/pcfifo-tap.state
PCFIFO_DONE_FILE=${TMPDIR:-/tmp}/pcfifo-tap.done
export PCFIFO_TAP_STATE PCFIFO_DONE_FILE
echo "0 0 0 0" >"$PCFIFO_TAP_STATE"
: >"$PCFIFO_DONE_FILE"

# The runner records its own checks as "suite: ..." tests.
T_SUITE_ARGS="$*"
# shellcheck source=lib.sh
. "$here/lib.sh"
T_FILE=suite

# Seconds a test file may run before it is stopped.
FILE_TIMEOUT=${PCFIFO_FILE_TIMEOUT:-120}

summary() {
	tap_summary suite "$suite_t0"
}

now_cs
suite_t0=$NOW
echo "# pcfifo guest suite on $(uname -r), $(nproc 2>/dev/null || echo ?) CPUs"

# --- environment -------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	nok "running as root"
	summary
	exit 1
fi
if ! grep -q ' /sys/kernel/config configfs ' /proc/mounts; then
	modprobe configfs 2>/dev/null
	mount -t configfs configfs /sys/kernel/config 2>/dev/null
fi
if ! grep -q ' /sys/kernel/config configfs ' /proc/mounts; then
	nok "configfs is mounted at /sys/kernel/config"
	summary
	exit 1
fi
missing=""
for m in $MODS; do
	modinfo "$m" >/dev/null 2>&1 || missing="$missing $m"
done
if [ -n "$missing" ]; then
	nok "modules installed for $(uname -r) (modinfo)"
	diag "missing:$missing"
	summary
	exit 1
fi
for m in $MODS; do
	diag "$(modinfo -F filename "$m") version $(modinfo -F version "$m")"
done
if ! is_clean; then
	diag "pcfifo was loaded before the suite started; unloading"
	t_cleanup
fi
[ -w /proc/sys/kernel/printk_devkmsg ] &&
	echo on >/proc/sys/kernel/printk_devkmsg 2>/dev/null
kmsg start

# --- the files -----------------------------------------------------------------
# The arguments: NAMEs that pick files, -NAMEs that leave them out.
picks='' leaves=''
for a in $T_SUITE_ARGS; do
	a=${a%.sh}
	case $a in
	-*) leaves="$leaves ${a#-}" ;;
	*) picks="$picks $a" ;;
	esac
done
# contains_any NAME WORD...: NAME contains one of the WORDs
contains_any() {
	n=$1
	shift
	for w; do
		case $n in *"$w"*) return 0 ;; esac
	done
	return 1
}
files=""
for f in "$here"/t[0-9][0-9]-*.sh; do
	[ -f "$f" ] || continue
	b=$(basename "$f" .sh)
	# shellcheck disable=SC2086 # words
	[ -z "$picks" ] || contains_any "$b" $picks || continue
	# shellcheck disable=SC2086 # words
	if contains_any "$b" $leaves; then
		diag "$b: left out"
		continue
	fi
	files="$files $f"
done
if [ -z "$files" ]; then
	nok "test files match '$T_SUITE_ARGS'"
	summary
	exit 1
fi

to=""
command -v timeout >/dev/null 2>&1 && to="timeout -k 10 $FILE_TIMEOUT"
for f in $files; do
	b=$(basename "$f" .sh)
	read -r T_N T_PASS T_FAIL T_SKIP <"$PCFIFO_TAP_STATE"
	fail0=$T_FAIL
	now_cs
	f_t0=$NOW
	echo "# ---- $b"
	# shellcheck disable=SC2086 # $to is "timeout -k 10 N" or empty
	$to sh "$f"
	rc=$?
	now_cs
	f_secs=$(((NOW - f_t0) / 100))
	read -r T_N T_PASS T_FAIL T_SKIP <"$PCFIFO_TAP_STATE"
	diag "$b: exit $rc after $f_secs s"
	if ! grep -qx "$b" "$PCFIFO_DONE_FILE"; then
		# bail() records its failure and exits 1; anything else that ends
		# a file early (a crash, the timeout) is recorded here.
		if [ "$rc" -ne 1 ] || [ "$T_FAIL" -eq "$fail0" ]; then
			T_FILE=$b
			nok "ran to completion (exit $rc after $f_secs s, limit $FILE_TIMEOUT s)"
			T_FILE=suite
		fi
	fi
	if is_clean; then
		ok "$b left no instance and no module behind"
	else
		nok "$b left no instance and no module behind"
		diag "$(ls "$CFG/producers" "$CFG/consumers" 2>&1)" "$(lsmod | grep pcfifo)"
		t_cleanup
	fi
done

kmsg "finish"
summary
