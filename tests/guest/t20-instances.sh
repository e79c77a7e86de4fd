#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t20-instances: mkdir/rmdir of producers and consumers in configfs: loading
# the role modules on demand, defaults, file modes, names (length, clashes),
# where mkdir is refused, and ENODEV when a role module cannot be loaded.

. "$(dirname "$0")/lib.sh"
t_begin

load_core

# --- a refused mkdir loads no module ------------------------------------------
n64=$(printf '%64s' '' | tr ' ' n)
n65=${n64}n
mkdir_err "consumers/<65-byte name> -> ENAMETOOLONG" "$CFG/consumers/$n65" ENAMETOOLONG
mkdir_err "producers/<65-byte name> -> ENAMETOOLONG" "$CFG/producers/$n65" ENAMETOOLONG

# --- a consumer first: FIFO empty, nothing consumed yet ----------------------
check "pcfifo_consumer is not loaded before the first consumer" \
	not_loaded pcfifo_consumer
out=$(mkdir "$CFG/consumers/c1" 2>&1)
is "mkdir consumers/c1 succeeds" "$?:$out" "0:"
check "mkdir consumers/c1 loaded pcfifo_consumer (lsmod)" \
	sh -c 'lsmod | grep -q "^pcfifo_consumer "'
check "pcfifo_producer is still not loaded" not_loaded pcfifo_producer
check "sysfs consumers/c1 appears" test -d "$SYS/consumers/c1"
bytes_is "configfs consumers/c1/rate defaults to 1" "$CFG/consumers/c1/rate" '1\n'
bytes_is "sysfs consumers/c1/rate defaults to 1" "$SYS/consumers/c1/rate" '1\n'
bytes_is "consumers/c1/consumed starts at 0" "$SYS/consumers/c1/consumed" '0\n'
bytes_is "consumers/c1/last_item reads empty (0 bytes) before the first item" \
	"$SYS/consumers/c1/last_item" ''
sleep 1.2
bytes_is "consumers/c1/consumed stays 0 on an empty FIFO" \
	"$SYS/consumers/c1/consumed" '0\n'

# --- a producer --------------------------------------------------------------
out=$(mkdir "$CFG/producers/p1" 2>&1)
is "mkdir producers/p1 succeeds" "$?:$out" "0:"
check "mkdir producers/p1 loaded pcfifo_producer (lsmod)" \
	sh -c 'lsmod | grep -q "^pcfifo_producer "'
check "sysfs producers/p1 appears" test -d "$SYS/producers/p1"
bytes_is "configfs producers/p1/item defaults to the name" \
	"$CFG/producers/p1/item" 'p1\n'
bytes_is "sysfs producers/p1/item defaults to the name" \
	"$SYS/producers/p1/item" 'p1\n'
bytes_is "configfs producers/p1/rate defaults to 1" "$CFG/producers/p1/rate" '1\n'
bytes_is "sysfs producers/p1/rate defaults to 1" "$SYS/producers/p1/rate" '1\n'
check "producers/p1/produced is a number" val_ge "$SYS/producers/p1/produced" 0

# Defaults in action: p1 (1/s) feeds c1 (1/s).
check "c1 consumes p1's default item within 3 s" \
	wait_until 3 val_ge "$SYS/consumers/c1/consumed" 1
bytes_is "consumers/c1/last_item is p1's item" "$SYS/consumers/c1/last_item" 'p1\n'

# --- file modes --------------------------------------------------------------
mode_is "configfs producers/p1/item is 0644 root" "$CFG/producers/p1/item" 644
mode_is "configfs producers/p1/rate is 0644 root" "$CFG/producers/p1/rate" 644
mode_is "configfs consumers/c1/rate is 0644 root" "$CFG/consumers/c1/rate" 644
mode_is "sysfs producers/p1/item is 0644 root" "$SYS/producers/p1/item" 644
mode_is "sysfs producers/p1/rate is 0644 root" "$SYS/producers/p1/rate" 644
mode_is "sysfs producers/p1/produced is 0444 root" "$SYS/producers/p1/produced" 444
mode_is "sysfs consumers/c1/rate is 0644 root" "$SYS/consumers/c1/rate" 644
mode_is "sysfs consumers/c1/consumed is 0444 root" "$SYS/consumers/c1/consumed" 444
mode_is "sysfs consumers/c1/last_item is 0444 root" "$SYS/consumers/c1/last_item" 444
names_in "$CFG/producers/p1"
is "configfs producers/p1 holds exactly fifo, item and rate" "$NAMES" "fifo item rate "
names_in "$CFG/consumers/c1"
is "configfs consumers/c1 holds exactly fifo and rate" "$NAMES" "fifo rate "
# The counters must stand still for write_err's before/after comparison.
setv "$CFG/producers/p1/rate" 0
setv "$CFG/consumers/c1/rate" 0
write_err "writing sysfs producers/p1/produced is refused" \
	"$SYS/producers/p1/produced" '5\n' EACCES
for f in consumed last_item; do
	write_err "writing sysfs consumers/c1/$f is refused" \
		"$SYS/consumers/c1/$f" '5\n' EACCES
done
for f in count enqueued dequeued; do
	write_err "writing sysfs fifos/default/$f is refused" "$FIFO/$f" '5\n' EACCES
done
setv "$CFG/producers/p1/rate" 1
setv "$CFG/consumers/c1/rate" 1

# --- names -------------------------------------------------------------------
out=$(mkdir "$CFG/producers/$n64" 2>&1)
is "a 64-byte producer name is accepted" "$?:$out" "0:"
check "sysfs producers/<64-byte name> exists" test -d "$SYS/producers/$n64"
bytes_is "its item defaults to the 64-byte name" "$SYS/producers/$n64/item" "$n64\\n"
rmdir "$CFG/producers/$n64"
out=$(mkdir "$CFG/consumers/$n64" 2>&1)
is "a 64-byte consumer name is accepted" "$?:$out" "0:"
rmdir "$CFG/consumers/$n64"
check "no sysfs producer with a 65-byte name" test ! -e "$SYS/producers/$n65"
out=$(mkdir "$CFG/producers/x" 2>&1)
is "a 1-byte producer name is accepted" "$?:$out" "0:"
bytes_is "producers/x/item defaults to x" "$SYS/producers/x/item" 'x\n'
rmdir "$CFG/producers/x"
mkdir_err "mkdir of an existing producer name -> EEXIST" "$CFG/producers/p1" EEXIST
check "producers/p1 survives the refused mkdir" test -d "$SYS/producers/p1"
out=$(mkdir "$CFG/consumers/p1" 2>&1)
is "a consumer may share a producer's name" "$?:$out" "0:"
check "sysfs consumers/p1 and producers/p1 both exist" \
	test -d "$SYS/consumers/p1" -a -d "$SYS/producers/p1"
rmdir "$CFG/consumers/p1"

# --- mkdir where it does not belong --------------------------------------------
mkdir_err "mkdir in $CFG itself -> EPERM" "$CFG/foo" EPERM
mkdir_err "mkdir inside a producer -> EPERM" "$CFG/producers/p1/sub" EPERM
mkdir_err "mkdir inside a consumer -> EPERM" "$CFG/consumers/c1/sub" EPERM

# --- rmdir ---------------------------------------------------------------------
out=$(rmdir "$CFG/producers/p1" 2>&1)
is "rmdir producers/p1 succeeds" "$?:$out" "0:"
check "sysfs producers/p1 disappears" test ! -e "$SYS/producers/p1"
check "configfs producers/p1 disappears" test ! -e "$CFG/producers/p1"
out=$(rmdir "$CFG/consumers/c1" 2>&1)
is "rmdir consumers/c1 succeeds" "$?:$out" "0:"
check "sysfs consumers/c1 disappears" test ! -e "$SYS/consumers/c1"
out=$(mkdir "$CFG/producers/p1" 2>&1)
is "a removed name can be used again" "$?:$out" "0:"
bytes_is "the new producers/p1 has default rate 1" "$SYS/producers/p1/rate" '1\n'
rmdir "$CFG/producers/p1"

# --- ENODEV: the role module cannot be loaded ------------------------------------
# A modprobe "install" rule makes loading pcfifo_producer fail.
rmmod pcfifo_producer 2>/dev/null
rmmod pcfifo_consumer 2>/dev/null
for d in /etc/modprobe.d /run/modprobe.d; do
	if mkdir -p "$d" 2>/dev/null &&
		printf 'install pcfifo_producer /bin/false\ninstall pcfifo_consumer /bin/false\n' \
			>"$d/pcfifo-suite.conf" 2>/dev/null; then
		T_MODPROBE_CONF=$d/pcfifo-suite.conf
		break
	fi
done
if [ -n "$T_MODPROBE_CONF" ] && not_loaded pcfifo_producer; then
	mkdir_err "mkdir producers/z when pcfifo_producer cannot load -> ENODEV" \
		"$CFG/producers/z" ENODEV
	check "no sysfs producers/z after the refused mkdir" test ! -e "$SYS/producers/z"
	check "pcfifo_producer is still not loaded" not_loaded pcfifo_producer
	mkdir_err "mkdir consumers/z when pcfifo_consumer cannot load -> ENODEV" \
		"$CFG/consumers/z" ENODEV
	check "no sysfs consumers/z after the refused mkdir" test ! -e "$SYS/consumers/z"
	rm -f "$T_MODPROBE_CONF"
	T_MODPROBE_CONF=""
	out=$(mkdir "$CFG/producers/z" 2>&1)
	is "mkdir producers/z works once the module can load" "$?:$out" "0:"
	rmdir "$CFG/producers/z" 2>/dev/null
	out=$(mkdir "$CFG/consumers/z" 2>&1)
	is "mkdir consumers/z works once the module can load" "$?:$out" "0:"
	rmdir "$CFG/consumers/z" 2>/dev/null
else
	nok "set up an unloadable pcfifo_producer for the ENODEV check"
	diag "no writable modprobe.d directory, or the module is still loaded"
fi

t_end
