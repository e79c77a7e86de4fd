# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Boot a guest under QEMU/TCG (KVM hangs on these machines), stream its
# console to the terminal and a log, and turn the markers printed by
# tests/vm/init into an exit status.
#
# Needs common.sh and initramfs.sh (vm_arch, vm_console).

# Kernel log lines that fail a run whatever the guest command said.
KERNEL_FINDINGS_RE='WARNING:|BUG:|Oops|Call Trace|hung_task|blocked for more than|UBSAN|KASAN|kmemleak|general protection|Kernel panic|soft lockup|rcu: INFO|detected stall|refcount_t:|hogged CPU'

# A guest that has not reached init's first line ("pcfifo-init:") after
# this many seconds is stopped: TCG boots on a loaded host have been seen
# to hang in early boot (after the APIC timer's calibration), and reaching
# init takes seconds, a minute for a debug kernel on a busy host. vm_retry
# boots it again.
VM_BOOT_LIMIT=${PCFIFO_BOOT_LIMIT:-300}

# _vm_boot_watch PID FILE: stop PID (timeout, which passes the signal on
# to QEMU) if FILE does not show init's first line within VM_BOOT_LIMIT
# seconds.
_vm_boot_watch() {
	local pid=$1 file=$2 t=0
	while sleep 5; do
		kill -0 "$pid" 2>/dev/null || return 0
		! grep -aqs 'pcfifo-init: ' "$file" || return 0
		t=$((t + 5))
		[ "$t" -ge "$VM_BOOT_LIMIT" ] || continue
		log "the guest has not reached init in ${VM_BOOT_LIMIT}s: stopping it"
		kill "$pid" 2>/dev/null
		return 0
	done
}

# vm_qemu TIMEOUT STDIN CONSOLE_FILE QEMU_ARGV...: QEMU under timeout, with
# the boot watchdog reading CONSOLE_FILE, where the guest's console goes.
# timeout runs in the foreground mode: QEMU stays in the caller's process
# group, where a kill of that group (a CI lane that ends) reaches it.
# Returns QEMU's status, or timeout's 124.
vm_qemu() {
	local timeout=$1 stdin=$2 console=$3 qpid wpid rc=0
	shift 3
	timeout --foreground -k 5 "$timeout" "$@" <"$stdin" &
	qpid=$!
	_vm_boot_watch "$qpid" "$console" &
	wpid=$!
	wait "$qpid" || rc=$?
	kill "$wpid" 2>/dev/null || true
	wait "$wpid" 2>/dev/null || true
	return "$rc"
}

# The console's CRs and terminal escapes, stripped from what is logged.
_vm_clean() { sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g'; }

# vm_boot VMLINUZ INITRD LOG TIMEOUT INTERACTIVE [CONSOLE_LOG]
# Writes LOG (console, CR stripped) and LOG's .dmesg sibling. Returns the
# guest command's status; 1 if it was 0 but the kernel log has findings;
# 125 if the guest never reported a status (timeout, panic, QEMU error).
# CONSOLE_LOG=1 (amd64 only): the console (ttyS0: kernel messages, init's
# markers, the kernel log dump) goes to LOG only, and the terminal shows what the guest
# writes to its second serial port, ttyS1 (also kept as LOG's .out sibling);
# vm-run.sh --console-log sends the command's output there.
# VM_APPEND, if set: more kernel parameters.
vm_boot() {
	local kernel=$1 initrd=$2 log=$3 timeout=$4 interactive=$5 console_log=${6:-0}
	local dmesg=${log%.log}.dmesg qrc rc findings
	local qemu
	case $(vm_arch) in
	amd64) qemu=(qemu-system-x86_64) ;;
	arm64)
		qemu=(qemu-system-aarch64 -M virt -cpu cortex-a57)
		# virt has one PL011 UART: no second serial port.
		[ "$console_log" != 1 ] || die "an arm64 guest has no second serial port (CONSOLE_LOG)"
		;;
	esac
	qemu+=(-accel tcg -smp 2 -m 768M -no-reboot -nic none -kernel "$kernel" -initrd "$initrd"
		-append "console=$(vm_console) panic=-1 quiet${VM_APPEND:+ $VM_APPEND}")

	mkdir -p "$(dirname "$log")"
	if [ "$console_log" = 1 ]; then
		rm -f "$log.raw"
		# ^C reaches an interactive guest; ^A x quits, as with -nographic
		local term=stdio
		[ "$interactive" != 1 ] || term=mon:stdio
		qemu+=(-display none -monitor none -serial "file:$log.raw" -serial "$term")
	else
		qemu+=(-nographic)
	fi
	# Interactive: the terminal goes to the guest (^A x quits QEMU). QEMU's
	# status goes through a file: the pipeline's status is tee's.
	local stdin=/dev/null
	[ "$interactive" != 1 ] || stdin=/dev/stdin
	rm -f "$log"
	{
		qrc=0
		vm_qemu "$timeout" "$stdin" "$log$([ "$console_log" != 1 ] || echo .raw)" \
			"${qemu[@]}" 2>&1 || qrc=$?
		echo "$qrc" >"$log.qrc"
	} | _vm_clean | if [ "$console_log" = 1 ]; then tee "${log%.log}.out"; else tee "$log"; fi
	qrc=$(cat "$log.qrc")
	rm -f "$log.qrc"
	if [ "$console_log" = 1 ]; then
		_vm_clean <"$log.raw" >"$log" 2>/dev/null || : >"$log"
		rm -f "$log.raw"
	fi

	sed -n '/^PCFIFO-DMESG-BEGIN$/,/^PCFIFO-DMESG-END$/{//!p}' "$log" >"$dmesg"
	rc=$(sed -n 's/^PCFIFO-EXIT=\([0-9][0-9]*\)$/\1/p' "$log" | tail -n1)
	if [ -z "$rc" ]; then
		# No dump: the whole console is all there is of the kernel log.
		cp "$log" "$dmesg"
		if [ "$qrc" -eq 124 ]; then
			log "FAIL: guest timed out after ${timeout}s (log: $log)"
		else
			log "FAIL: guest ended without an exit status, QEMU status $qrc (log: $log)"
		fi
		rc=125
	fi

	findings=$(grep -aE "$KERNEL_FINDINGS_RE" "$dmesg" || true)
	if [ -n "$findings" ]; then
		log "FAIL: kernel log has findings (full log: $dmesg):"
		printf '%s\n' "$findings" >&2
		[ "$rc" -ne 0 ] || rc=1
	fi
	return "$rc"
}

# vm_retry LOG CMD...: CMD, a boot whose console goes to LOG, up to three
# times: again while LOG has no init's first line ("pcfifo-init:"; another
# init's in VM_INIT_LINE), as a TCG boot on a loaded host has been seen to
# panic or hang in early boot, long before init loads any module of ours.
# Each such boot's LOG is kept as LOG.bootN.log (LOG's .log replaced).
# Returns CMD's last status.
vm_retry() {
	local log=$1 attempt rc
	shift
	for attempt in 1 2 3; do
		rc=0
		"$@" || rc=$?
		grep -aqF "${VM_INIT_LINE:-pcfifo-init: }" "$log" && break
		log "boot $attempt never reached init; kept as ${log%.log}.boot$attempt.log"
		cp "$log" "${log%.log}.boot$attempt.log"
	done
	return "$rc"
}
