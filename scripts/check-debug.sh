#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug lane, the last of `make check`'s, alone `make check-debug`.
# Builds, or takes from its cache, the debug kernel (scripts/debug-kernel.sh:
# KASAN, lockdep, UBSAN, KFENCE, kmemleak), builds pthru.ko and the test
# modules against it with W=1, and boots it with the acs (VT-d) and amdvi
# (AMD-Vi) profiles.  Each guest runs the whole selftest suite and the
# soaks with panic_on_warn and kasan.fault=panic, then kmemleak scans; the
# harness fails on any sanitizer, lockdep or object-debugging line in the
# console, whatever module it names, and on any leak of pthru's.
#
# Sizes: the soaks are shortened here to fit the CI's 90 minutes (the
# full ones: 200 cycles, 100 reloads, 100,000 messages, on Debian's
# kernels with `make soak`, or here by setting these):
#	DEBUG_SOAK_CYCLES	hot remove/rescan cycles (default 3)
#	DEBUG_SOAK_RELOADS	module unload/load cycles (default 6)
#	DEBUG_SOAK_NL_MESSAGES	netlink fuzzer messages (default 3000)
#	DEBUG_MAP_RELOADS	pthru_map_reload.sh's reloads (default 5 of its
#				100: 20 took 250-280 s of a debug guest; the
#				reload soak adds its own)
#	DEBUG_BENCH_RUNS	benchmark runs: the figures mean nothing under
#				KASAN, the paths they drive still count (1)
#	DEBUG_PROFILES		profiles to boot (default "acs amdvi")
#	DEBUG_TEST_TIMEOUT	seconds per test program (default 1500)
#	DEBUG_JOBS		guests at a time (default 2)
#	DEBUG_SMP		vCPUs per guest (default 1: under TCG, lockdep
#				and kmemleak made a 2-vCPU guest 1.7 times
#				slower than a 1-vCPU one at the same work)
# Ends with "debug: N passed, N failed, N skipped".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# shellcheck source=scripts/results.sh
. scripts/results.sh
start=$SECONDS

finish() {
	echo "# debug lane: $((SECONDS - start)) s"
	echo "debug: $pass passed, $fail failed, $skip skipped"
	[ $fail -eq 0 ] && [ $pass -gt 0 ]
	exit
}

if ! dir=$(scripts/debug-kernel.sh); then
	echo "not ok - the debug kernel builds (scripts/debug-kernel.sh)"
	fail=$((fail + 1))
	finish
fi
rel=$(cat "$dir/release")
echo "ok - the debug kernel $rel is built ($dir; cold build $(cat "$dir/build-seconds") s, this run $((SECONDS - start)) s)"
pass=$((pass + 1))

# pthru.ko against the debug tree, W=1, no warnings: a line of its own.
built=$(scripts/build-modules.sh "$dir/build")
echo "$built" | grep -v '^build: '
fail_before=$fail
results_add "$(echo "$built" | grep -E '^build: [0-9]+ passed')"
[ "$fail" -eq "$fail_before" ] || finish
if ! make -s tool >/dev/null; then
	echo "not ok - pthructl builds"
	fail=$((fail + 1))
	finish
fi

words="pthru.soak=1 pthru.soak_cycles=${DEBUG_SOAK_CYCLES:-3}"
words+=" pthru.soak_reloads=${DEBUG_SOAK_RELOADS:-6}"
words+=" pthru.soak_nl_messages=${DEBUG_SOAK_NL_MESSAGES:-3000}"
words+=" pthru.bench_runs=${DEBUG_BENCH_RUNS:-1}"
words+=" pthru.map_reloads=${DEBUG_MAP_RELOADS:-5}"
# settings' 360 s per test program is for Debian's kernels.
words+=" pthru.timeout=${DEBUG_TEST_TIMEOUT:-1500}"
profiles=()
for p in ${DEBUG_PROFILES:-acs amdvi}; do
	profiles+=(-p "$p")
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
VM_DEBUG_DIR=$dir VM_LANE=debug-vm VM_APPEND="$words" \
	VM_TIMEOUT=${VM_TIMEOUT:-5400} VM_OUT=${VM_OUT:-$top/build/vm-debug} \
	VM_JOBS=${DEBUG_JOBS:-2} VM_SMP=${DEBUG_SMP:-1} \
	selftests/vm/run-all.sh -k "$rel" "${profiles[@]}" | tee "$out"
results_add "$(grep -E '^debug-vm: [0-9]+ passed' "$out" | tail -n 1)" ||
	echo "not ok - the debug guests report"
finish
