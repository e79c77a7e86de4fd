#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: for each kernel a W=1 + sparse build, checkpatch --strict,
# then the guest suite on each kernel. Every step runs even after a failure,
# so one run reports everything; the summary at the end says what failed.
set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} [--static] [KERNEL...]

  KERNEL     kernel flavours to check (default: 6.1 6.12)
  --static   only shellcheck, the builds and checkpatch; no guests

Environment:
  PCFIFO_SUITE_TIMEOUT  seconds per guest suite (default 480)
  PCFIFO_CHECK_JOBS     guest suites at once (default 2; 1 runs them in
                        turn)
EOF
}

# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/kernel.sh
. "$PCFIFO_ROOT/tests/lib/kernel.sh"
# shellcheck source=lib/build.sh
. "$PCFIFO_ROOT/tests/lib/build.sh"
# shellcheck source=lib/checkpatch.sh
. "$PCFIFO_ROOT/tests/lib/checkpatch.sh"
# shellcheck source=lib/report.sh
. "$PCFIFO_ROOT/tests/lib/report.sh"

static=0 kernels=()
for a in "$@"; do
	case $a in
	--static) static=1 ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) kernels+=("$a") ;;
	esac
done
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)
suite_timeout=${PCFIFO_SUITE_TIMEOUT:-480}
jobs=${PCFIFO_CHECK_JOBS:-2}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "PCFIFO_CHECK_JOBS: a number of guests, 1 or more"

passed_total=0 failed_total=0

# Every shell script of the project, so that they stay shellcheck-clean;
# the guest's and the examples' are POSIX sh (tests/bench/guest.sh says so
# in its #! line).
step "shellcheck (scripts)"
need_pkgs shellcheck
if (cd "$PCFIFO_ROOT" && shellcheck -x -P SCRIPTDIR tests/check.sh tests/vm-run.sh \
	tests/lib/*.sh tests/vm/*.sh tests/vm/init tests/pkg/*.sh tests/matrix/*.sh \
	tests/debug/*.sh tests/bench/*.sh tests/fuzz/seeded.sh tests/soak/*.sh .ci/run \
	utils/pcfifoctl.bash-completion &&
	shellcheck -s sh -x -P SCRIPTDIR tests/guest/*.sh tests/debug/guest/*.sh tests/fuzz/fuzz.sh \
		configfs-examples/*.sh); then
	result PASS "shellcheck of the scripts"
else
	result FAIL "shellcheck of the scripts"
fi

declare -A abi stamp
for k in "${kernels[@]}"; do
	step "build for $k: W=1 C=2 (sparse)"
	abi[$k]=$(kernel_resolve "$k")
	debver=$(kernel_headers "${abi[$k]}")
	build_modules "${abi[$k]}" "$debver"
	stamp[$k]=$(cat "$PCFIFO_BUILD/${abi[$k]}/stamp")
	case $BUILD_RC in
	0) result PASS "build $k (${abi[$k]}): no compiler or sparse warnings" ;;
	1) result FAIL "build $k (${abi[$k]}): build failed, see build/logs/${abi[$k]}-build.log" ;;
	*) result FAIL "build $k (${abi[$k]}): $(build_findings "$PCFIFO_LOGS/${abi[$k]}-build.log" |
		wc -l) warning lines, see build/logs/${abi[$k]}-build.log" ;;
	esac
done

# A staged install (INSTALL_MOD_PATH, as packagers do) puts the modules in
# the staging tree and leaves the host's module index alone.
step "make install INSTALL_MOD_PATH=..."
k=${kernels[0]}
stage=$(mktemp -d)
index=/lib/modules/${abi[$k]}/modules.dep
index_before=$(stat -c %Y "$index" 2>/dev/null || echo none)
if make -C "$PCFIFO_ROOT" install KVER="${abi[$k]}" INSTALL_MOD_PATH="$stage" \
	>"$PCFIFO_LOGS/install-staged.log" 2>&1 &&
	[ -f "$stage/lib/modules/${abi[$k]}/updates/pcfifo.ko" ] &&
	[ "$(stat -c %Y "$index" 2>/dev/null || echo none)" = "$index_before" ]; then
	result PASS "make install INSTALL_MOD_PATH=DIR stages the modules, no depmod of the host's tree"
else
	result FAIL "make install INSTALL_MOD_PATH=DIR: see build/logs/install-staged.log"
fi
rm -rf "$stage"

step "mandoc lint (man pages)"
need_pkgs mandoc
if (cd "$PCFIFO_ROOT" && mandoc -T lint -W warning man/*.[1-9]); then
	result PASS "mandoc -T lint of the man pages"
else
	result FAIL "mandoc -T lint of the man pages"
fi

# pcfifoctl (utils/): -Wall -Wextra -Werror, its host unit tests, cppcheck
# with no findings; its man page is linted with the others above.
step "pcfifoctl: build, unit tests, cppcheck"
need_pkgs libjson-c-dev pkg-config cppcheck
mkdir -p "$PCFIFO_LOGS"
if make -C "$PCFIFO_ROOT/utils" check cppcheck >"$PCFIFO_LOGS/utils.log" 2>&1; then
	result PASS "pcfifoctl: build (-Werror), $(grep -c '^ok ' "$PCFIFO_LOGS/utils.log") unit tests, cppcheck"
else
	result FAIL "pcfifoctl: build, unit tests or cppcheck failed, see build/logs/utils.log"
fi

step "checkpatch --strict"
if checkpatch_src; then
	result PASS "checkpatch --strict on src/, examples/ and tests/fuzz/kmod/"
else
	result FAIL "checkpatch --strict on src/, examples/ and tests/fuzz/kmod/ (findings above)"
fi

# suite_run K: the guest suite on kernel K; vm-run.sh's output goes to
# build/logs/ABI-suite.out (the guest's own log is ABI-suite.log).
suite_run() {
	"$PCFIFO_ROOT/tests/vm-run.sh" --kernel "$1" --name suite --timeout "$suite_timeout" \
		-- sh /pcfifo/tests/guest/run-suite.sh >"$PCFIFO_LOGS/${abi[$1]}-suite.out" 2>&1
}
# suite_result K RC: the suite's PASS or FAIL line, from its own last line
# (the kernel log dump comes after it).
suite_result() {
	local k=$1 rc=$2 counts p f
	read -r p f counts < <(suite_counts "$PCFIFO_LOGS/${abi[$k]}-suite.log")
	passed_total=$((passed_total + p)) failed_total=$((failed_total + f))
	if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ]; then
		result PASS "suite $k (${abi[$k]}): $counts"
	else
		result FAIL "suite $k (${abi[$k]}): $counts; exit status $rc, see build/logs/${abi[$k]}-suite.log"
		grep -a '^not ok' "$PCFIFO_LOGS/${abi[$k]}-suite.log" >&2 || tail -n 20 "$PCFIFO_LOGS/${abi[$k]}-suite.out" >&2
	fi
}

# The suites, $jobs at a time: a guest mostly waits for its rate windows.
if [ $static = 0 ]; then
	step "guest suites on ${kernels[*]}, $jobs at a time"
	declare -A suite_pid
	for k in "${kernels[@]}"; do
		# (The suites are this shell's only background jobs.)
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n || true
		done
		log "guest suite on $k (${abi[$k]}): build/logs/${abi[$k]}-suite.{out,log}"
		suite_run "$k" &
		suite_pid[$k]=$!
	done
	# (wait PID still gives the status of a job wait -n has reaped.)
	for k in "${kernels[@]}"; do
		rc=0
		wait "${suite_pid[$k]}" || rc=$?
		suite_result "$k" "$rc"
	done
fi

# The guests rebuild when src/ changed meanwhile (someone editing while this
# runs): the build and checkpatch results above would then be stale.
stale=0
for k in "${kernels[@]}"; do
	[ "$(cat "$PCFIFO_BUILD/${abi[$k]}/stamp")" = "${stamp[$k]}" ] || stale=1
done
[ $stale = 0 ] || result FAIL "src/ changed while the checks ran; run them again"

if [ $static = 0 ]; then
	report_summary "pcfifo check summary" "guest tests on ${kernels[*]}:" \
		"$passed_total passed, $failed_total failed"
else
	report_summary "pcfifo check summary"
fi
exit $failed
