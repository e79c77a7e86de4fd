# SPDX-License-Identifier: GPL-2.0
#
# debug-findings.awk - the findings in a kernel log, for the debug lane.
#
# Reads a kernel log (dmesg, or a console log) and prints one line per
# report the debug kernel's checkers made: "KIND<TAB>the report's first
# line". KIND is one of KASAN KCSAN UBSAN LOCKDEP ATOMIC KMEMLEAK HUNG
# ODEBUG LOCKUP WARN BUG TRACE, or KCSAN-OTHER: a data race whose report
# names nothing of pcfifo (no frame of its modules), in the kernel's own
# code, which pcfifo cannot annotate; listed, not counted as a finding.
# Used in the guest (tests/debug/guest/debug-lib.sh) and on the host
# (tests/debug/run.sh); POSIX awk, so busybox awk runs it too.
#
# A report is recognised by its first line, so a splat counts once. A
# "Call Trace:" that belongs to no report start counts as TRACE. The one
# kind of stack dump that is expected is the report of a failed allocation
# (fault injection's "FAULT_INJECTION: forcing a failure", warn_alloc's
# "page allocation failure" and "vmalloc error"): faults.sh
# makes allocations fail on purpose, so those reports and their traces are
# not findings.

function strip(s) {
	# "[   12.345678][  T123] text" (PRINTK_TIME, PRINTK_CALLER) -> "text"
	# (stack dump lines keep their own leading space: " </TASK>")
	sub(/^\[[^]]*\]/, "", s)
	sub(/^\[[^]]*\]/, "", s)
	sub(/^ /, "", s)
	return s
}

# The printing task or CPU ("T123", "C1"): reports of different callers
# may interleave, so the state is kept per caller.
function caller(s) {
	if (match(s, /^\[[^]]*\]\[[^]]*\]/)) {
		s = substr(s, 1, RLENGTH)
		sub(/^\[[^]]*\]\[ */, "", s)
		sub(/\]$/, "", s)
		return s
	}
	return ""
}

function kind(s) {
	if (s ~ /^BUG: KASAN: / || s ~ /^KASAN: /)
		return "KASAN"
	if (s ~ /^UBSAN: /)
		return "UBSAN"
	# "BUG: KCSAN: data-race in A / B", "BUG: KCSAN: assert: race in A"
	if (s ~ /^BUG: KCSAN: /)
		return "KCSAN"
	if (s ~ /^WARNING: (possible (circular|recursive|irq)|inconsistent lock|suspicious RCU|lock held|bad unlock|held lock freed|Nested lock|bad contention|.*lock order detected)/ ||
	    s ~ /^(INFO: trying to register non-static key|BUG: MAX_LOCKDEP|BUG: looking up invalid subclass|BUG: key [^ ]* has not been registered|DEBUG_LOCKS_WARN_ON)/)
		return "LOCKDEP"
	if (s ~ /^BUG: (sleeping function called from invalid context|scheduling while atomic)/ ||
	    s ~ /^BUG: (workqueue leaked lock|.*still has locks held)/)
		return "ATOMIC"
	# (A scan's "N new suspected memory leaks" is not counted here: the
	# lane's final scan lists and judges each object itself.)
	if (s ~ /^kmemleak: .*(disabled|[Cc]annot)/)
		return "KMEMLEAK"
	if (s ~ /^INFO: task .* blocked for more than/)
		return "HUNG"
	if (s ~ /^ODEBUG: /)
		return "ODEBUG"
	if (s ~ /^(watchdog: BUG: soft lockup|watchdog: Watchdog detected hard LOCKUP|rcu: INFO: |BUG: workqueue lockup)/)
		return "LOCKUP"
	if (s ~ /^WARNING: /)
		return "WARN"
	if (s ~ /^(BUG: |kernel BUG at|general protection fault|Oops: |Kernel panic)/)
		return "BUG"
	return ""
}

{
	s = strip($0)
	c = caller($0)
	k = kind(s)
	if (k == "KCSAN") {
		# Told at its end: pcfifo's, or the kernel's own (below).
		kcsan[c] = $0
		ours[c] = 0
		state[c] = "report"
		next
	}
	if (c in kcsan) {
		if ($0 ~ /pcfifo/)
			ours[c] = 1
		if (s ~ /^Reported by Kernel Concurrency Sanitizer/) {
			print (ours[c] ? "KCSAN" : "KCSAN-OTHER") "\t" kcsan[c]
			delete kcsan[c]
			state[c] = ""
		}
		next
	}
	if (k != "") {
		print k "\t" $0
		# kmemleak's line comes without a stack dump of its own.
		if (k != "KMEMLEAK")
			state[c] = "report"
		next
	}
	# Fault injection's second line too: on a serial console another
	# CPU's line can split the first one.
	if (s ~ /page allocation failure: order:/ || s ~ /vmalloc error: size/ ||
	    s ~ /^FAULT_INJECTION: forcing a failure/ ||
	    s ~ /^name fail[a-z_]*, interval [0-9]+, probability/) {
		state[c] = "allowed"
		next
	}
	if (s ~ /^Call Trace:/) {
		if (state[c] == "")
			print "TRACE\t" $0
		next
	}
	# The end of a stack dump; a KCSAN report has none, its stacks are
	# bare frames: it ends with "Reported by Kernel Concurrency
	# Sanitizer on:".
	if (s ~ /^ *<\/TASK>/)
		state[c] = ""
}

# A KCSAN report cut short (the log ended): counted as pcfifo's.
END {
	for (c in kcsan)
		print "KCSAN\t" kcsan[c]
}
