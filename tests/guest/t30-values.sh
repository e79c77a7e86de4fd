#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t30-values: rate and item written on one side (configfs or sysfs) read
# back identically on the other; the accepted boundary values.

. "$(dirname "$0")/lib.sh"
t_begin

load_core
# Rate 0 keeps the FIFO quiet while values are changed.
mkinst producers p 0
mkinst consumers c 0
PC=$CFG/producers/p
PS=$SYS/producers/p
CC=$CFG/consumers/c
CS=$SYS/consumers/c

# --- rate, both directions, both kinds -----------------------------------------
write_ok "producer rate 250 written via configfs" "$PC/rate" '250\n'
bytes_is "... reads 250 via sysfs" "$PS/rate" '250\n'
write_ok "producer rate 17 written via sysfs" "$PS/rate" '17\n'
bytes_is "... reads 17 via configfs" "$PC/rate" '17\n'
write_ok "consumer rate 333 written via configfs" "$CC/rate" '333\n'
bytes_is "... reads 333 via sysfs" "$CS/rate" '333\n'
write_ok "consumer rate 42 written via sysfs" "$CS/rate" '42\n'
bytes_is "... reads 42 via configfs" "$CC/rate" '42\n'

# --- item, both directions -------------------------------------------------------
write_ok "item 'hello world' written via configfs" "$PC/item" 'hello world\n'
bytes_is "... reads the same via sysfs" "$PS/item" 'hello world\n'
write_ok "item with tab, 0x01 and 0xff bytes written via sysfs" \
	"$PS/item" 'a\tb\001\377 '
bytes_is "... reads the same bytes via configfs" "$PC/item" 'a\tb\001\377 \n'

# --- accepted rate values ---------------------------------------------------------
# rate_accepts SIDE FILE WRITTEN WANT
rate_accepts() {
	write_ok "$1 rate '$3' is accepted and reads $4" "$2" "$3" "$4\\n"
}
for side in configfs sysfs; do
	if [ "$side" = configfs ]; then
		pf=$PC/rate cf=$CC/rate
	else
		pf=$PS/rate cf=$CS/rate
	fi
	rate_accepts "$side producer" "$pf" '0' 0
	rate_accepts "$side producer" "$pf" '1000000' 1000000
	rate_accepts "$side producer" "$pf" '0\n' 0
	rate_accepts "$side producer" "$pf" '1000000\n' 1000000
	rate_accepts "$side producer" "$pf" '+5' 5
	rate_accepts "$side producer" "$pf" '+5\n' 5
	rate_accepts "$side producer" "$pf" '010' 10
	rate_accepts "$side producer" "$pf" '7' 7
	rate_accepts "$side producer" "$pf" '0\n' 0
	rate_accepts "$side consumer" "$cf" '0' 0
	rate_accepts "$side consumer" "$cf" '1000000\n' 1000000
	rate_accepts "$side consumer" "$cf" '+5\n' 5
	rate_accepts "$side consumer" "$cf" '0\n' 0
done
# The other side sees the last value written.
bytes_is "configfs producer rate reads 0 after the sysfs writes" "$PC/rate" '0\n'

# --- accepted item values ----------------------------------------------------------
i64=$(printf '%64s' '' | tr ' ' i)
for side in configfs sysfs; do
	if [ "$side" = configfs ]; then f=$PC/item o=$PS/item; else f=$PS/item o=$PC/item; fi
	write_ok "$side item of exactly 64 bytes is accepted" "$f" "$i64" "$i64\\n"
	bytes_is "... and reads the same on the other side" "$o" "$i64\\n"
	write_ok "$side item of 64 bytes plus newline stores the 64 bytes" \
		"$f" "$i64\\n" "$i64\\n"
	write_ok "$side item 'abc\\n\\n' stores 'abc\\n'" "$f" 'abc\n\n' 'abc\n\n'
	bytes_is "... and the other side reads 'abc\\n' too" "$o" 'abc\n\n'
	write_ok "$side item of one byte 'z' is accepted" "$f" 'z' 'z\n'
	write_ok "$side item '\\n\\n' stores one newline" "$f" '\n\n' '\n\n'
	write_ok "$side item ' x ' keeps its spaces" "$f" ' x \n' ' x \n'
done

# --- items travel through the FIFO byte for byte ----------------------------------------
# through ITEM_ESC: the consumer's last_item reads back exactly the item.
through() {
	wre "$PS/rate" '0'
	write_ok "item for the trip: $2" "$PS/item" "$1"
	wr "$CS/rate" 1000000
	wr "$PS/rate" 1000
	sleep 0.2
	wr "$PS/rate" 0
	sleep 0.1
	wr "$CS/rate" 0
	th_want=${1%\\n}'\n'
	bytes_is "consumers/c/last_item after the trip: $2" "$CS/last_item" "$th_want"
}
through 'a\tb\001\377 x' "tab, 0x01, 0xff, space"
through "$i64" "64 bytes"
through 'abc\n\n' "'abc\\n' (with its newline)"
through 'q' "one byte"

t_end
