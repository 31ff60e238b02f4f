#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything `make check` runs, lane by lane.  Each lane ends with its own
# "<lane>: N passed, N failed[, N skipped]" line; this script adds them up
# and ends with the total.  A lane that fails without such a line counts
# as one failed test.  Exit status is non-zero if anything failed or if no
# test ran at all.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logdir=$top/build/check
mkdir -p "$logdir"

total_pass=0
total_fail=0
total_skip=0
failed_lanes=()
check_start=$SECONDS

lane() { # name command...
	local name=$1 log=$logdir/$1.log rc summary p f s
	shift
	echo "=== $name: $*"
	t0=$SECONDS
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	echo "# lane $name: $((SECONDS - t0)) s (make check so far: $((SECONDS - check_start)) s)"
	summary=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
	if [ -z "$summary" ]; then
		echo "$name: exited $rc without a result line; counted as one failure"
		total_fail=$((total_fail + 1))
		failed_lanes+=("$name")
		return
	fi
	p=$(echo "$summary" | sed -E 's/.* ([0-9]+) passed.*/\1/')
	f=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	s=0
	echo "$summary" | grep -q skipped && s=$(echo "$summary" | sed -E 's/.* ([0-9]+) skipped.*/\1/')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# a lane that says "0 failed" but exits non-zero still failed
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	[ "$f" -ne 0 ] && failed_lanes+=("$name")
}

genl_lane() {
	if scripts/ynl-regen.sh --check; then
		echo "genl: 1 passed, 0 failed"
	else
		echo "genl: 0 passed, 1 failed"
		return 1
	fi
}

tool_lane() {
	make -s -C tools/pthructl clean >/dev/null
	if ! make -C tools/pthructl 2>&1 | tee "$logdir/tool-build.log"; then
		echo "tool: 0 passed, 1 failed"
		return 1
	fi
	if grep -q 'warning:' "$logdir/tool-build.log"; then
		echo "not ok - pthructl builds without warnings"
		make -C tools/pthructl test | sed 's/^\([0-9]* passed\)/tool-unit: \1/'
		echo "tool: 0 passed, 1 failed"
		return 1
	fi
	echo "ok - pthructl builds without warnings"
	# the unit tests, the core's KUnit suites, the JSON Schema check of
	# their output, the completion test and the Prometheus test each print
	# their own "N passed, N failed" line: all five must be there, and
	# they add up
	out=$(make -s -C tools/pthructl test 2>&1)
	rc=$?
	echo "$out"
	lines=$(echo "$out" | grep -cE '^[0-9]+ passed, [0-9]+ failed')
	[ "$lines" -eq 5 ] || { echo "tool: 1 passed, 1 failed"; return 1; }
	p=$(echo "$out" | sed -nE 's/^([0-9]+) passed, [0-9]+ failed.*/\1/p' |
		awk '{ s += $1 } END { print s }')
	f=$(echo "$out" | sed -nE 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p' |
		awk '{ s += $1 } END { print s }')
	echo "tool: $((p + 1)) passed, $f failed"
	[ $rc -eq 0 ] && [ "$f" -eq 0 ]
}

# The libnl-genl-3 example client: builds warning-free, and says what is
# wrong when the family is absent (the build host has no pthru loaded) or
# its command line is bad.  pthru_libnl_events.sh runs it in the guests.
examples_lane() {
	local p=0 f=0 out rc

	make -s -C examples/libnl clean
	if out=$(make -s -C examples/libnl CFLAGS="-O2 -g -Werror" 2>&1); then
		echo "ok - examples/libnl builds without warnings"
		p=$((p + 1))
	else
		echo "$out"
		echo "not ok - examples/libnl builds without warnings"
		echo "examples: 0 passed, 1 failed"
		return 1
	fi
	if grep -qs '^pthru ' /proc/modules; then
		echo "ok - pthru-events without the family # SKIP pthru is loaded here"
	else
		out=$(examples/libnl/pthru-events 2>&1)
		rc=$?
		if [ $rc -eq 1 ] && [ "$out" = "pthru-events: family pthru: Object not found (is pthru loaded?)" ]; then
			echo "ok - pthru-events without the family: exit 1, one line"
			p=$((p + 1))
		else
			echo "not ok - pthru-events without the family: exit $rc, '$out'"
			f=$((f + 1))
		fi
	fi
	out=$(examples/libnl/pthru-events -i extra 2>&1)
	rc=$?
	if [ $rc -eq 2 ] && [ "$out" = "pthru-events: unexpected argument extra" ]; then
		echo "ok - pthru-events with a stray argument: exit 2, one line"
		p=$((p + 1))
	else
		echo "not ok - pthru-events with a stray argument: exit $rc, '$out'"
		f=$((f + 1))
	fi
	echo "examples: $p passed, $f failed"
	[ $f -eq 0 ]
}

echo "=== deps: scripts/install-deps.sh"
if ! scripts/install-deps.sh; then
	echo "install-deps failed; nothing else can run"
	echo "0 passed, 1 failed"
	exit 1
fi

lane genl genl_lane
lane acs-quirks scripts/acs-quirks-check.py
lane build scripts/build-modules.sh
# DKMS and the Debian packages on this machine, both kernels; each lane
# puts the machine back as it found it.
lane dkms scripts/dkms-check.sh
lane deb scripts/deb-check.sh
lane tool tool_lane
lane kselftest selftests/kselftest-install-check.sh
lane examples examples_lane
lane fuzz scripts/fuzz.sh
lane checkpatch scripts/checkpatch.sh
lane kunit scripts/kunit.sh
# The benchmarks run 3 times, not 20: make bench has the full runs.  Two
# guests at a time fill the cores a lone TCG guest leaves idle; each then
# runs slower, hence the longer limits (a guest, a test program).
lane vm env VM_APPEND="${VM_APPEND:-pthru.bench_runs=3 pthru.timeout=900}" \
	VM_JOBS="${VM_JOBS:-2}" VM_TIMEOUT="${VM_TIMEOUT:-2400}" \
	selftests/vm/run-all.sh
# The debug kernel (built once, then cached outside the clone), both
# IOMMU profiles, the whole suite and the soaks at CI size.
lane debug scripts/check-debug.sh

echo
[ ${#failed_lanes[@]} -gt 0 ] && echo "failed lanes: ${failed_lanes[*]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
