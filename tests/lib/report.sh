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
