#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the pthru selftests the way the kselftest runner does: one top-level
# KTAP result per test program, its own KTAP indented under "# ", each
# under a timeout taken from ./settings.  Exit 0 when nothing failed
# (skips included), 1 otherwise.
#
#	./run_tests.sh [TEST...]	(default: all, in the order below)
#	./run_tests.sh --list		that order, one name a line
#
# Order matters: the read-only tests first; then the ones that change the
# host and put it back (ACS control, driver binding, the untrusted flag,
# hot remove, the bind policy and gate), each checking the findings or the
# policy return to where they were; the benchmarks once the host is back
# to its first state (the bind and map ones unload and reload the module,
# which resets the policy to its load-time default, and load it back);
# then the tests that unload and reload the module;
# pthru_map.sh and pthru_map_scale.sh, whose VFIO containers the shadow
# must see from their first map, with the module as a fresh load leaves it;
# pthru_policy_lock.sh locks the policy until reboot (only in the test
# guest, which powers off after it) and so comes last of all.
#
# PTHRU_SOAK=1 adds the soaks (long: hundreds of reloads, hot removes and
# a netlink fuzzer; `make soak`, and the debug lane) just before it.

cd "$(dirname "$0")" || exit 1

list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
tests=${*:-"pthru_nl_errors pthru_cli.sh pthru_inventory.sh pthru_show.sh
	pthru_audit.sh pthru_prometheus.sh pthru_isolation.sh pthru_lspci.sh
	pthru_unpriv.sh pthru_acs_change.sh pthru_bind_hazards.sh pthru_untrusted.sh
	pthru_hotplug.sh pthru_bind.sh pthru_ynl.sh pthru_policy_cli.sh
	pthru_policy_unpriv.sh pthru_policy_gate.sh pthru_libnl_events.sh
	pthru_auditd.sh pthru_bench.sh
	pthru_bench_bind.sh pthru_bench_map.sh pthru_bench_dma.sh
	pthru_policy_module.sh pthru_bind_fresh.sh pthru_reload.sh
	pthru_sysfs_source.sh
	pthru_gate_unload.sh pthru_map_reload.sh pthru_map.sh
	pthru_map_scale.sh pthru_map_verify.sh pthru_map_dma.sh pthru_stale_dma.sh
	pthru_shadow_lifetime.sh pthru_shadow_wrap.sh pthru_sriov.sh
	${PTHRU_SOAK:+pthru_soak_reload.sh pthru_soak_hotplug.sh pthru_soak_netlink.sh}
	pthru_policy_lock.sh"}

if [ $list -eq 1 ]; then
	for t in $tests; do
		echo "$t"
	done
	exit 0
fi

limit=45
if [ -f settings ]; then
	limit=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' settings)
	[ -n "$limit" ] || limit=45
fi
# A slower kernel (the debug lane's: KASAN, lockdep) needs more.
limit=${PTHRU_TEST_TIMEOUT:-$limit}

count=0
for t in $tests; do
	count=$((count + 1))
done

rcfile=$(mktemp "${TMPDIR:-/tmp}/pthru-selftest.XXXXXX") || exit 1
trap 'rm -f "$rcfile"' EXIT

echo "TAP version 13"
echo "1..$count"
n=0
failed=0
for t in $tests; do
	n=$((n + 1))
	name="selftests: pthru: $t"
	echo "# $name"
	if [ ! -x "./$t" ]; then
		echo "not ok $n $name # not built or not executable (make -C selftests)"
		failed=1
		continue
	fi
	(timeout "$limit" "./$t" 2>&1; echo $? >"$rcfile") | sed 's/^/# /'
	rc=$(cat "$rcfile")
	case $rc in
	0)	echo "ok $n $name" ;;
	4)	echo "ok $n $name # SKIP" ;;
	124 | 143)	# coreutils / busybox timeout
		echo "not ok $n $name # TIMEOUT $limit seconds"
		failed=1 ;;
	*)	echo "not ok $n $name # exit=$rc"
		failed=1 ;;
	esac
done
exit $failed
