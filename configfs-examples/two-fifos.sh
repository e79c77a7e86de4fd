#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# two-fifos.sh - two independent pipelines, each through its own FIFO:
#
#   fifos/orchard     capacity 8
#     producers/cherry  puts "cherry" 6 times a second
#     consumers/bird    takes 3 items a second: slower, so the orchard
#                       fills up and cherry has to wait
#   fifos/garden      capacity 32 (the capacity parameter of pcfifo)
#     producers/carrot  puts "carrot" 10 times a second
#     consumers/rabbit  takes up to 12 items a second: faster, so the
#                       garden stays nearly empty and rabbit waits
#
# Each FIFO has its own capacity, items and counters
# (/sys/kernel/pcfifo/fifos/NAME/). An instance names its FIFO in its fifo
# file; writing another name moves it there at once.
#
# Usage (as root): ./two-fifos.sh      then ./watch.sh, ./teardown.sh
set -e
. "$(dirname "$0")/common.sh"
need_pcfifo

# mkdir creates an empty FIFO; rmdir removes it (refused while an
# instance names it).  Its capacity can change while it is empty.
mkdir "$CFG/fifos/orchard"
echo 8 >"$CFG/fifos/orchard/capacity"     # 1..65536
mkdir "$CFG/fifos/garden"

# pipe KIND NAME FIFO RATE: make a producer or consumer, move it to FIFO,
# then set its rate.  A new instance starts at once on the FIFO "default"
# with rate 1, so it may put (take) one item there before it moves.
pipe() {
	mkdir "$CFG/$1/$2"
	echo "$3" >"$CFG/$1/$2/fifo"
	echo "$4" >"$CFG/$1/$2/rate"
}

pipe producers cherry orchard 6
pipe consumers bird orchard 3
pipe producers carrot garden 10
pipe consumers rabbit garden 12

echo "two-fifos: cherry 6/s -> orchard (capacity $(cat "$SYS/fifos/orchard/capacity")) -> bird 3/s"
echo "two-fifos: carrot 10/s -> garden (capacity $(cat "$SYS/fifos/garden/capacity")) -> rabbit 12/s"
