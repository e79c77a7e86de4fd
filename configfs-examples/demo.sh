#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [SECONDS] - a guided tour, about SECONDS (default 10) long:
# build the pipeline of pipeline.sh, watch the FIFO fill up because the
# consumer is slower than the producers, speed the consumer up halfway and
# watch it drain, then tear everything down and unload the modules.
#
# `make demo` runs this in a QEMU guest.  On a real machine run it as root;
# note that the teardown removes ALL pcfifo instances.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")

secs=${1:-10}
case $secs in
'' | *[!0-9]* | 0 | 1) die "usage: demo.sh [SECONDS >= 2]" ;;
esac
first=$((secs / 2))

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
