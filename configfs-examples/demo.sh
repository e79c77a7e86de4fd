#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [--raw] [SECONDS] - a guided tour, about SECONDS (default 10)
# long: build the pipeline of pipeline.sh, watch the FIFO fill up because
# the consumer is slower than the producers, speed the consumer up halfway
# and watch it drain, then tear everything down and unload the modules.
#
# With pcfifoctl (package pcfifo-utils; /pcfifo/bin in the test guest) the
# tour runs its commands and shows each one; without it, or with --raw, it
# runs the raw configfs scripts next to it (pipeline.sh, watch.sh,
# set-rate.sh, teardown.sh).
#
# `make demo` runs this in a QEMU guest.  On a real machine run it as root;
# note that the teardown removes ALL pcfifo instances.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")

ctl=
if [ "${1:-}" = --raw ]; then
	shift
elif command -v pcfifoctl >/dev/null 2>&1; then
	ctl=pcfifoctl
elif [ -x "$here/../bin/pcfifoctl" ]; then
	ctl=$here/../bin/pcfifoctl
fi
secs=${1:-10}
case $secs in
'' | *[!0-9]* | 0 | 1) die "usage: demo.sh [--raw] [SECONDS >= 2]" ;;
esac
first=$((secs / 2))

# ctl ARG...: show a pcfifoctl command, then run it
ctl() {
	echo "\$ pcfifoctl $*"
	"$ctl" "$@"
}

if [ -n "$ctl" ]; then
	trap '"$ctl" reset --unload >/dev/null 2>&1' INT TERM
	echo "== pcfifo demo: a bounded FIFO in the kernel, fed and drained at set rates"
	ctl add producer apple --rate 6 || exit 1
	ctl add producer pear --rate 4 || exit 1
	ctl add consumer eater --rate 3 || exit 1
	echo "== the consumer takes 3/s, the producers put 10/s: watch the count grow"
	# through a pipe, top prints plain lines: N rounds, one a second apart
	ctl top -n $((first + 1)) | cat
	echo "== speed the consumer up to 30/s: it drains the FIFO, then keeps pace"
	ctl set consumer eater rate=30 || exit 1
	echo "consumer eater: rate $(cat "$SYS/consumers/eater/rate")"
	ctl top -n $((secs - first + 1)) | cat
	ctl status || exit 1
	echo "== tear down"
	ctl reset --unload || exit 1
	echo "== demo done"
	exit 0
fi

trap 'sh "$here/teardown.sh" --unload >/dev/null 2>&1' INT TERM

echo "== pcfifo demo: a bounded FIFO in the kernel, fed and drained at set rates"
sh "$here/pipeline.sh" || exit 1
echo "== the consumer takes 3/s, the producers put 10/s: watch the count grow"
sh "$here/watch.sh" "$first" || exit 1
echo "== speed the consumer up to 30/s: it drains the FIFO, then keeps pace"
sh "$here/set-rate.sh" consumer eater 30 || exit 1
sh "$here/watch.sh" $((secs - first)) || exit 1
echo "== tear down"
sh "$here/teardown.sh" --unload || exit 1
echo "== demo done"
