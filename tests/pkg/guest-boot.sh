#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 (init=) of the package test guest: the bookworm root from
# tests/pkg/e2e.sh booted read-only in QEMU. Checks that the modules DKMS
# installed for the running kernel load and work and that the packaged
# pcfifoctl drives them (what pcfifo.service runs included), prints
# "PCFIFO-PKG-BOOT-OK <kernel>" or "PCFIFO-PKG-BOOT-FAIL <kernel>: why",
# then reboots at once (QEMU runs with -no-reboot, so it exits).

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
kver=$(uname -r)
want_version=@PCFIFO_VERSION@

finish() {
	# sysrq b resets at once: give the serial console time to drain first
	sleep 2
	echo b >/proc/sysrq-trigger
	sleep 30
	exit 1
}
fail() {
	echo "PCFIFO-PKG-BOOT-FAIL $kver: $*"
	dmesg | tail -n 20
	finish
}
echo "pcfifo-pkg-boot: kernel $kver"

# The modules come from DKMS's install location for this kernel.
for m in pcfifo pcfifo_producer pcfifo_consumer; do
	path=$(modinfo -n "$m" 2>/dev/null) || fail "modinfo $m: not found"
	case $path in
	/lib/modules/"$kver"/updates/dkms/"$m".ko*) ;;
	*) fail "$m resolves to $path, not updates/dkms" ;;
	esac
	v=$(modinfo -F version "$m")
	[ "$v" = "$want_version" ] || fail "$m version '$v', want $want_version"
	echo "pcfifo-pkg-boot: $m $v $path"
done

modprobe pcfifo_producer || fail "modprobe pcfifo_producer"
grep -q '^pcfifo ' /proc/modules || fail "pcfifo not loaded with pcfifo_producer"
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config ||
	fail "mount configfs"
cfs=/sys/kernel/config/pcfifo
[ -d $cfs/producers ] || fail "$cfs/producers missing"

mkdir $cfs/producers/pkgp || fail "mkdir producer"
echo pkgtest-item >$cfs/producers/pkgp/item || fail "write item"
echo 50 >$cfs/producers/pkgp/rate || fail "write producer rate"
# The consumer role module loads on demand.
mkdir $cfs/consumers/pkgc || fail "mkdir consumer"
echo 50 >$cfs/consumers/pkgc/rate || fail "write consumer rate"
grep -q '^pcfifo_consumer ' /proc/modules || fail "pcfifo_consumer not loaded on demand"

sys=/sys/kernel/pcfifo/consumers/pkgc
sleep 2
c1=$(cat $sys/consumed)
sleep 2
c2=$(cat $sys/consumed)
last=$(cat $sys/last_item)
echo "pcfifo-pkg-boot: consumed $c1 then $c2, last_item '$last'"
[ "$c1" -gt 0 ] 2>/dev/null || fail "nothing consumed after 2 s (consumed '$c1')"
[ "$c2" -gt "$c1" ] || fail "consumed did not increase ($c1 -> $c2)"
[ "$last" = pkgtest-item ] || fail "last_item '$last', want pkgtest-item"

rmdir $cfs/consumers/pkgc $cfs/producers/pkgp || fail "rmdir"

# The packaged tool (pcfifo-utils), from the PATH.
ctl=$(command -v pcfifoctl) || fail "no pcfifoctl on the PATH"
echo "pcfifo-pkg-boot: $ctl $(pcfifoctl --version)"
pcfifoctl add producer apple --rate 5 || fail "pcfifoctl add producer apple --rate 5"
[ "$(cat /sys/kernel/pcfifo/producers/apple/rate)" = 5 ] || fail "apple's rate is not 5 in sysfs"
json=$(pcfifoctl status --json) || fail "pcfifoctl status --json"
echo "pcfifo-pkg-boot: status --json: $(echo "$json" | tr -s ' \n' ' ' | cut -c1-300)"
echo "$json" | grep -q '"apple"' || fail "status --json does not list apple"
# save, reset, restore: what pcfifo.service does at boot (ExecStart), on a
# tmpfs (the root is read-only)
mount -t tmpfs tmpfs /tmp || fail "mount tmpfs on /tmp"
pcfifoctl save /tmp/config.json || fail "pcfifoctl save"
pcfifoctl reset || fail "pcfifoctl reset"
[ ! -d $cfs/producers/apple ] || fail "apple still there after reset"
pcfifoctl restore /tmp/config.json || fail "pcfifoctl restore"
[ "$(cat /sys/kernel/pcfifo/producers/apple/rate)" = 5 ] || fail "restore did not bring back apple at rate 5"
pcfifoctl del producer apple || fail "pcfifoctl del producer apple"
[ ! -d $cfs/producers/apple ] || fail "apple still there after del"
echo "pcfifo-pkg-boot: pcfifoctl add, status --json, save, reset, restore, del: OK"
umount /sys/kernel/config 2>/dev/null
modprobe -r pcfifo_consumer pcfifo_producer pcfifo || fail "modprobe -r"
! grep -q '^pcfifo' /proc/modules || fail "modules still loaded after modprobe -r"
if dmesg | grep -E 'BUG:|WARNING:|Oops|Call Trace|hung_task'; then
	fail "kernel log has warnings"
fi

echo "PCFIFO-PKG-BOOT-OK $kver consumed=$c2 last_item=$last"
finish
