#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t40-badinput: invalid rate and item values, written through configfs and
# through sysfs, fail with the documented errno and leave the old value.
#
#   rate: non-numeric, negative, empty, spaces, trailing garbage -> EINVAL;
#         numeric but > 1000000, or overflowing -> ERANGE
#   item: empty, longer than 64 bytes (after stripping one newline), or
#         containing a NUL byte -> EINVAL

. "$(dirname "$0")/lib.sh"
t_begin

load_core
mkinst producers p 0
mkinst consumers c 0

# Values in echo -e notation; each is written with a single write(2).
RATE_EINVAL='-1
-0
-5\n
abc
\n
 
 5
5 
5 \n
\t5
5abc
5\n\n
0x10
1.5
1e3
+
++5
+-5
5,0
12 34'
RATE_ERANGE='1000001
1000001\n
4294967295
4294967296
99999999999999999999
18446744073709551616'

# A value that lets a refused write be told apart from a silent reset.
for f in "$CFG/producers/p/rate" "$CFG/consumers/c/rate"; do
	wr "$f" 4321
done
wr "$CFG/producers/p/item" keep

long4096=$(printf '%4096s' '' | tr ' ' L)
i65=$(printf '%65s' '' | tr ' ' i)
ITEM_EINVAL="\\n
$i65
$i65\\n
${i65}i\\n
$long4096
ab\\0cd
\\0
\\0\\n
x\\0"

for f in "$CFG/producers/p/rate" "$SYS/producers/p/rate" \
	"$CFG/consumers/c/rate" "$SYS/consumers/c/rate"; do
	write_err_each "$f" EINVAL "$RATE_EINVAL"
	write_err_each "$f" ERANGE "$RATE_ERANGE"
	bytes_is "$f still reads 4321" "$f" '4321\n'
done
for f in "$CFG/producers/p/item" "$SYS/producers/p/item"; do
	write_err_each "$f" EINVAL "$ITEM_EINVAL"
	bytes_is "$f still reads keep" "$f" 'keep\n'
done

t_end
