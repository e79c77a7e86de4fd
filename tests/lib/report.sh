# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The summary of a host-side runner (tests/check.sh, tests/matrix/run.sh,
# tests/debug/run.sh, tests/fuzz/seeded.sh). result records one line:
# PASS and FAIL lines are counted and a FAIL fails the run, a NOTE only
# informs; step announces a stage on stderr with the seconds since the
# runner started; report_summary prints the lines under a title, with the
# verdict last.

# shellcheck disable=SC2034 # report_pass, report_fail: read by the runners
summary=() failed=0 report_pass=0 report_fail=0 report_start=$SECONDS

result() { # PASS|FAIL|NOTE TEXT
	summary+=("$(printf '%-4s  %s' "$1" "$2")")
	case $1 in
	PASS) report_pass=$((report_pass + 1)) ;;
	NOTE) ;;
	*) report_fail=$((report_fail + 1)) failed=1 ;;
	esac
}

step() { printf '\n==== %s (%ds)\n' "$*" $((SECONDS - report_start)) >&2; }

# Seconds since $1 (a value of SECONDS), as "42s".
since() { echo "$((SECONDS - $1))s"; }

# report_summary TITLE [LINE...]: the title with the time the run took,
# the recorded lines, LINEs, then "==== PASS" or "==== FAIL".
report_summary() {
	printf '\n==== %s (%ds)\n' "$1" $((SECONDS - report_start))
	shift
	printf '%s\n' "${summary[@]}" "$@"
	if [ "$failed" = 0 ]; then echo "==== PASS"; else echo "==== FAIL"; fi
}

# suite_counts LOG: "PASSED FAILED COUNTS" for the guest suite in LOG.
# COUNTS is its counts line (tests/guest/lib.sh: "N passed, N failed",
# then ", N skipped" if a test skipped, which is no failure), the last one
# before the guest's kernel log. A guest that ended before printing it
# counts as one failure, so that a total never looks clean.
suite_counts() {
	local line p f
	line=$(sed -n '/^PCFIFO-DMESG-BEGIN$/q
		/^[0-9][0-9]* passed, [0-9][0-9]* failed\(, [0-9][0-9]* skipped\)\{0,1\}$/p' \
		"$1" 2>/dev/null | tail -n1)
	if [ -z "$line" ]; then
		echo "0 1 no summary line"
		return 0
	fi
	read -r p _ f _ <<<"$line"
	echo "$p ${f%,} $line"
}
