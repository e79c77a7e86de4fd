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
	# Interactive: the terminal goes to the guest (^A x quits QEMU), so
	# timeout must leave QEMU in the foreground process group. QEMU's status
	# goes through a file: the pipeline's status is tee's.
	local fg=() stdin=/dev/null
	[ "$interactive" != 1 ] || { fg=(--foreground); stdin=/dev/stdin; }
	{
		qrc=0
		timeout "${fg[@]}" -k 5 "$timeout" "${qemu[@]}" <"$stdin" 2>&1 || qrc=$?
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
