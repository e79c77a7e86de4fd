#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak HOURS=N (default 1): every interface at once for a long time,
# half of it on Debian's 6.1 kernel, half on the KASAN debug kernel
# (tests/debug/run.sh --kernel stock|kasan, phase soak of
# tests/debug/guest/debug-lane.sh: stress.sh there between two slab
# measurements; on the KASAN kernel the kmemleak scan and the checkers
# follow). Not in CI.
#
# Prints, per kernel: the loops' operations, the items moved (at least:
# sampled from the FIFOs' enqueued counters), the findings in the kernel
# log, the slab before and after the teardown (flat on Debian's kernel, or
# it fails) and the longest rmdir the loops made. Exit status 1 if a lane
# failed.
set -euo pipefail

# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
# shellcheck source=../lib/report.sh
. "$PCFIFO_ROOT/tests/lib/report.sh"

hours=${1:-1}
[[ $hours =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "HOURS: a number of hours (1, 0.5)"
secs=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 / 2 }')
[ "$secs" -ge 60 ] || die "HOURS: at least 2 minutes in all (0.04)"

mkdir -p "$PCFIFO_LOGS"
for kernel in stock kasan; do
	case $kernel in
	stock) phases=(soak) name="Debian 6.1" ;;
	*) phases=(soak kmemleak checkers) name="KASAN 6.1" ;;
	esac
	out=$PCFIFO_LOGS/soak-$kernel.out
	log "soak: $secs s on $name"
	rc=0
	"$PCFIFO_ROOT/tests/debug/run.sh" --kernel "$kernel" --stress-seconds "$secs" \
		--timeout $((secs + 1800)) "${phases[@]}" 2>&1 | tee "$out" || rc=$?
	# The guest's console log, as run.sh's summary names it.
	glog=$(sed -n 's/^guest log: //p' "$out" | tail -n1)
	[ -f "$glog" ] || glog=/dev/null
	stress=$(sed -n 's/^PCFIFO-SOAK-STRESS //p' "$glog" | tail -n1)
	slab=$(sed -n 's/^PCFIFO-SOAK //p' "$glog" | tail -n1)
	findings=$(sed -n 's/^check-debug: .* operations, \(.*\)$/\1/p' "$out" | tail -n1)
	ops='?' items='?' rmdir_us='?' slab_before_kb='?' slab_after_kb='?'
	for kv in $stress $slab; do
		case ${kv%%=*} in
		ops | items | rmdir_us | slab_before_kb | slab_after_kb) printf -v "${kv%%=*}" '%s' "${kv#*=}" ;;
		esac
	done
	if [ "$rc" -eq 0 ]; then verdict=PASS; else verdict=FAIL; fi
	result "$verdict" "$(printf '%-10s %s s: %s operations, at least %s items moved; %s; slab %s kB before, %s kB after the teardown; longest rmdir %s us' \
		"$name" "$secs" "$ops" "$items" "${findings:-no findings line}" \
		"$slab_before_kb" "$slab_after_kb" "$rmdir_us")"
done

report_summary "pcfifo soak summary, HOURS=$hours, $secs s per kernel"
exit "$failed"
