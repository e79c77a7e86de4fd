#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pipeline.sh - build a small pipeline: two producers feed one consumer
# through the kernel FIFO (capacity 32 unless pcfifo was loaded with
# capacity=N).
#
#   producers/apple   puts "apple" 6 times a second
#   producers/pear    puts "pear"  4 times a second
#   consumers/eater   takes 3 items a second: slower than the 10 put in,
#                     so the FIFO fills up and the producers have to wait
#
# Usage (as root): ./pipeline.sh      then ./watch.sh, ./teardown.sh
set -e
. "$(dirname "$0")/common.sh"
need_pcfifo

# mkdir creates an instance; it starts at once with its defaults
# (item = its name, rate = 1/s), so set the rate right after.
mkdir "$CFG/producers/apple"
echo apple >"$CFG/producers/apple/item"   # 1..64 bytes; one newline is stripped
echo 6 >"$CFG/producers/apple/rate"       # items per second, 0..1000000

mkdir "$CFG/producers/pear"
echo pear >"$CFG/producers/pear/item"
echo 4 >"$CFG/producers/pear/rate"

mkdir "$CFG/consumers/eater"
echo 3 >"$CFG/consumers/eater/rate"

echo "pipeline: apple 6/s + pear 4/s -> FIFO (capacity $(cat "$FIFO/capacity")) -> eater 3/s"
