#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh [pcfuzz ARGS...] - run the model-checking fuzzer in the guest.
#
# Loads pcfifo and, when it was built for this kernel, pcfuzz_api (the
# kernel API as /dev/pcfuzz_api, tests/fuzz/kmod), runs /pcfifo/bin/pcfuzz
# with the arguments given (--seed N --steps M --minutes T; see
# tests/fuzz/pcfuzz.c), then checks the kernel log and that everything
# unloads. Exit status: pcfuzz's (1 on a divergence, printed with its seed
# and step), or 1 when the kernel log shows a warning or the modules do not
# unload.
#
# host: tests/vm-run.sh --kernel 6.1 --name fuzz -- sh /pcfifo/tests/fuzz/fuzz.sh --seed 1

# lib.sh finds the tree from the directory of the running script.
# shellcheck source=../guest/lib.sh
. "$(dirname "$0")/../guest/lib.sh"
t_begin

API=pcfuzz_api

# No arguments: those of the debug lane (tests/debug/run.sh --fuzz-steps).
# shellcheck disable=SC2086 # words on purpose
[ $# -gt 0 ] || set -- ${PCFIFO_FUZZ_ARGS:-}
load_core
if modinfo "$API" >/dev/null 2>&1; then
	mp "$API"
	[ "$MP_RC" -eq 0 ] || bail "modprobe $API" "$MP_OUT"
else
	diag "$API is not installed for $(uname -r): the kernel API is not fuzzed"
fi
/pcfifo/bin/pcfuzz "$@"
rc=$?
[ "$rc" -eq 0 ] || nok "pcfuzz $* (exit $rc)"
# pcfifo cannot go before the module that calls it.
! is_loaded "$API" || rmmod "$API"
t_end
check "everything unloads after the fuzzer" is_clean
