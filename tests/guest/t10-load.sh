#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t10-load: loading and unloading pcfifo.ko; the configfs and sysfs trees
# it creates; the capacity module parameter (default, range, refusals).

. "$(dirname "$0")/lib.sh"
t_begin

# --- plain load ------------------------------------------------------------
check "configfs is mounted at /sys/kernel/config" \
	grep -q ' /sys/kernel/config configfs ' /proc/mounts
check "no $CFG before pcfifo is loaded" test ! -e "$CFG"
check "no $SYS before pcfifo is loaded" test ! -e "$SYS"

load_core
ok "modprobe pcfifo"
check "lsmod lists pcfifo" sh -c 'lsmod | grep -q "^pcfifo "'
check "the role modules are not loaded with the core" \
	sh -c '! lsmod | grep -Eq "^pcfifo_(producer|consumer) "'
check "configfs $CFG/producers exists" test -d "$CFG/producers"
check "configfs $CFG/consumers exists" test -d "$CFG/consumers"
mode_is "sysfs fifos/default/capacity is 0644 root" "$FIFO/capacity" 644
for f in count enqueued dequeued; do
	mode_is "sysfs fifos/default/$f is 0444 root" "$FIFO/$f" 444
done
rd "$FIFO/capacity"
is "fifos/default/capacity defaults to 32" "$R" 32
rd "$FIFO/count"
is "fifos/default/count starts at 0" "$R" 0
rd "$FIFO/enqueued"
is "fifos/default/enqueued starts at 0" "$R" 0
rd "$FIFO/dequeued"
is "fifos/default/dequeued starts at 0" "$R" 0
bytes_is "capacity reads as decimal plus newline" "$FIFO/capacity" '32\n'
rd /sys/module/pcfifo/parameters/capacity
is "/sys/module/pcfifo/parameters/capacity reads 32" "$R" 32
mode_is "capacity parameter is 0444 (read-only)" \
	/sys/module/pcfifo/parameters/capacity 444
write_ok "fifos/default/capacity takes 8 (empty FIFO)" "$FIFO/capacity" '8\n'
rd /sys/module/pcfifo/parameters/capacity
is "... and the capacity parameter still reads 32" "$R" 32

# --- unload ----------------------------------------------------------------
out=$(rmmod pcfifo 2>&1)
is "rmmod pcfifo succeeds" "$?:$out" "0:"
check "configfs $CFG disappears on unload" test ! -e "$CFG"
check "sysfs $SYS disappears on unload" test ! -e "$SYS"
check "pcfifo is no longer listed in /proc/modules" not_loaded pcfifo

# --- capacity parameter ----------------------------------------------------
# cap_ok VALUE: the module loads with capacity=VALUE and reports it.
cap_ok() {
	mp pcfifo "capacity=$1"
	if [ "$MP_RC" -ne 0 ]; then
		nok "modprobe pcfifo capacity=$1 works"
		diag "$MP_OUT"
		return
	fi
	rd "$FIFO/capacity"
	is "modprobe pcfifo capacity=$1 works: fifos/default/capacity reads $1" \
		"$R" "$1"
	rd /sys/module/pcfifo/parameters/capacity
	is "capacity=$1: /sys/module/pcfifo/parameters/capacity reads $1" "$R" "$1"
	rmmod pcfifo
}
cap_ok 4
cap_ok 1
cap_ok 65536

# cap_bad VALUE: modprobe fails with EINVAL, the module is not loaded and
# the kernel log explains why in a "pcfifo: ..." line.
cap_bad() {
	mark
	mp pcfifo "capacity=$1"
	if [ "$MP_RC" -eq 0 ]; then
		nok "modprobe pcfifo capacity=$1 is refused"
		diag "modprobe succeeded"
		unload_all
		return
	fi
	if err_is "$MP_OUT" EINVAL; then
		ok "modprobe pcfifo capacity=$1 is refused with EINVAL"
	else
		nok "modprobe pcfifo capacity=$1 is refused with EINVAL"
		diag "$MP_OUT"
	fi
	check "capacity=$1: pcfifo is not loaded" not_loaded pcfifo
	check "capacity=$1: no $CFG left" test ! -e "$CFG"
	cb_log=$(dmesg_after "$T_MARK")
	if printf '%s\n' "$cb_log" | grep -q 'pcfifo: '; then
		ok "capacity=$1: kernel log says why (pcfifo: ...)"
	else
		nok "capacity=$1: kernel log says why (pcfifo: ...)"
		diag "kernel log after the attempt:" "$cb_log"
	fi
}
cap_bad 0
cap_bad abc
cap_bad 65537
cap_bad 4294967296
cap_bad -1
cap_bad 32abc

# Reload once more after the refusals: nothing was left half-registered.
load_core
rd "$FIFO/capacity"
is "pcfifo loads normally after refused loads (capacity 32)" "$R" 32
rmmod pcfifo
check "and unloads again" is_clean

t_end
