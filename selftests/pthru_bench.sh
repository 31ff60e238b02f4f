#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a timed test: how long a full isolation audit takes
# ("pthructl audit -j", which makes the module re-read every function's
# config space and re-evaluate every rule) next to "lspci -vvv" reading
# and decoding the same config space, on the same host.  Runs each
# PTHRU_BENCH_RUNS times (default 20) after one warm-up run and prints
#
#	# bench: audit_ms=A lspci_ms=L ratio=A/L runs=N functions=F
#
# (milliseconds per run, from /proc/uptime, so 10 ms resolution over the
# whole loop).  The tests check that every run succeeded; the figure is
# reported, never judged.  selftests/vm/run-all.sh and scripts/bench-vm.sh
# print the bench line on the host.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool
pthru_bench_profile_gate
lspci=$(command -v lspci) || ktap_skip_all "lspci is not installed (pciutils): nothing to compare with"
runs=${PTHRU_BENCH_RUNS:-20}
case $runs in
'' | 0 | *[!0-9]*) ktap_skip_all "PTHRU_BENCH_RUNS=$runs is not a positive number" ;;
esac
ktap_tmpdir
ktap_set_plan 3

t=$ktap_tmp

uptime_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# time_runs NAME COMMAND...: run COMMAND (warm-up + $runs times), leave the
# total milliseconds in $elapsed and the number of failed runs in $failed.
time_runs() {
	local name=$1 i=0 start

	shift
	"$@" >/dev/null 2>"$t/$name.err"
	failed=0
	start=$(uptime_ms)
	while [ $i -lt "$runs" ]; do
		"$@" >/dev/null 2>"$t/$name.err" || failed=$((failed + 1))
		i=$((i + 1))
	done
	elapsed=$(($(uptime_ms) - start))
}

time_runs audit pthructl -j audit --fail-on none
audit_total=$elapsed
if [ $failed -eq 0 ]; then
	ktap_test_pass "pthructl -j audit succeeds $runs times"
else
	ktap_diag "last error: $(head -n 1 "$t/audit.err")"
	ktap_test_fail "pthructl -j audit succeeds $runs times ($failed failed)"
fi
audit_failed=$failed

time_runs lspci "$lspci" -vvv
lspci_total=$elapsed
if [ $failed -eq 0 ]; then
	ktap_test_pass "lspci -vvv succeeds $runs times"
else
	ktap_diag "last error: $(head -n 1 "$t/lspci.err")"
	ktap_test_fail "lspci -vvv succeeds $runs times ($failed failed)"
fi

# The figure, when both loops ran clean; run-all.sh and bench-vm.sh read it.
if [ $audit_failed -eq 0 ] && [ $failed -eq 0 ]; then
	figure=$(awk -v a="$audit_total" -v l="$lspci_total" -v n="$runs" \
		     -v f="$(pci_addrs | wc -l | tr -d ' ')" 'BEGIN {
		ratio = l > 0 ? sprintf("%.2f", a / l) : "n/a"
		printf "audit_ms=%.1f lspci_ms=%.1f ratio=%s runs=%d functions=%d\n",
		       a / n, l / n, ratio, n, f
	}')
	if [ -n "$figure" ]; then
		ktap_diag "bench: $figure"
		ktap_test_pass "the benchmark figure is printed"
	else
		ktap_test_fail "the benchmark figure is printed"
	fi
else
	ktap_test_skip "the benchmark figure is printed" "a run failed: no figure"
fi

ktap_finished
