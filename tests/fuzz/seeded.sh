#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fuzzer's own test (make check-fuzz): each patch in tests/fuzz/bugs/
# plants a known bug in a copy of src/; the fuzzer, with the step budget
# CI gives it on the debug kernels, must find every one (exit status 1 and
# a DIVERGENCE line). That it passes on the real modules, the debug lanes
# show (make check-debug, make check-kcsan).
set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} [--seed N] [--steps N] [--kernel 6.1|6.12] [BUG...]

  BUG       a patch's name in tests/fuzz/bugs/ without .patch (default: all)
  --seed    the fuzzer's seed (default: \$PCFIFO_FUZZ_SEED or 1)
  --steps   its step budget (default: \$PCFIFO_FUZZ_STEPS or 3000)
  --kernel  kernel flavour of the guests (default: 6.1)

Logs: build/logs/fuzz-<bug>.out.
EOF
}

# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
# shellcheck source=../lib/report.sh
. "$PCFIFO_ROOT/tests/lib/report.sh"

seed=${PCFIFO_FUZZ_SEED:-1} steps=${PCFIFO_FUZZ_STEPS:-3000} flavour=6.1 bugs=()
while [ $# -gt 0 ]; do
	case $1 in
	--seed) seed=${2:?}; shift 2 ;;
	--steps) steps=${2:?}; shift 2 ;;
	--kernel) flavour=${2:?}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) bugs+=("$1"); shift ;;
	esac
done
[[ $seed =~ ^[0-9]+$ && $steps =~ ^[0-9]+$ ]] || die "--seed, --steps: numbers"
if [ ${#bugs[@]} -eq 0 ]; then
	for p in "$PCFIFO_ROOT"/tests/fuzz/bugs/*.patch; do
		p=${p##*/}
		bugs+=("${p%.patch}")
	done
fi
need_pkgs patch

# fuzz ROOT NAME: the fuzzer in a guest of the tree at ROOT; its status.
fuzz() {
	local rc=0
	"$1/tests/vm-run.sh" --kernel "$flavour" --name "fuzz-$2" --timeout 600 -- \
		sh /pcfifo/tests/fuzz/fuzz.sh --seed "$seed" --steps "$steps" \
		>"$PCFIFO_LOGS/fuzz-$2.out" 2>&1 || rc=$?
	# The guest's console, from the tree's own logs.
	cat "$1"/build/logs/*-"fuzz-$2.log" >>"$PCFIFO_LOGS/fuzz-$2.out" 2>/dev/null || true
	return "$rc"
}

mkdir -p "$PCFIFO_LOGS"

for bug in "${bugs[@]}"; do
	patch=$PCFIFO_ROOT/tests/fuzz/bugs/$bug.patch
	[ -f "$patch" ] || die "no such bug: $bug"
	# A tree of its own: what vm-run.sh builds and puts in the guest.
	tree=$PCFIFO_BUILD/fuzz-bugs/$bug
	rm -rf "$tree"
	mkdir -p "$tree"
	cp -r "$PCFIFO_ROOT/src" "$PCFIFO_ROOT/tests" "$PCFIFO_ROOT/examples" \
		"$PCFIFO_ROOT/configfs-examples" "$tree/"
	find "$tree/src" "$tree/examples" "$tree/tests/fuzz/kmod" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \) -delete
	patch -s -d "$tree" -p1 <"$patch" || die "$bug.patch does not apply"
	rc=0
	fuzz "$tree" "$bug" || rc=$?
	line=$(grep -m1 'pcfuzz: DIVERGENCE' "$PCFIFO_LOGS/fuzz-$bug.out" || true)
	if [ "$rc" = 1 ] && [ -n "$line" ]; then
		result PASS "$bug found: ${line#*DIVERGENCE }"
	else
		result FAIL "$bug not found in $steps steps (exit $rc), see $PCFIFO_LOGS/fuzz-$bug.out"
	fi
	rm -rf "$tree"
done
report_summary "pcfifo seeded bugs summary ($steps steps each, seed $seed)"
exit "$failed"
