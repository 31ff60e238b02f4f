#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a timed test: what pthru adds to the kernel's own DMA API
# while its shadow is armed.  The shadow wraps the ops of the domains it
# tracks only, and probes only the domain allocators: a DMA or DMA-FQ
# domain keeps its driver's ops and no probe sits on the path of its
# dma_map_*() and dma_unmap_*(), so the ratio should read as noise around
# 1.00.  The test-only driver pthru_test_edu.ko
# (selftests/modules/, from PTHRU_TEST_EDU_KO) takes QEMU's edu function,
# and its "bench N" command maps and unmaps one page N times with
# dma_map_single() and dma_unmap_single() (no device access), three ways:
#   no pthru  the module unloaded;
#   disarmed  the module loaded with shadow=off: no probe registered, as
#             with the default shadow=auto while nothing is assigned;
#   armed     the module loaded with shadow=on (armed from load, although
#             edu is on no passthrough driver), flush_window_dma left off:
#             DMA-API unmaps are not timed;
# PTHRU_BENCH_DMA_OPS pairs (2500 per PTHRU_BENCH_RUNS: 50,000) in
# PTHRU_BENCH_BLOCKS blocks (9) that take turns, after a first cycle that
# is not timed.  Prints
#
#	# bench: dma map+unmap: X/s (no pthru), Y/s (shadow armed, dma tracking off), ratio Y/X; Z/s (shadow disarmed), ratio Z/X; median of B blocks of N
#
# pairs per second, the median of the blocks.  The tests check that every
# pair mapped; that the shadow was disarmed in every disarmed block and
# armed in every armed one, where it recorded none of these maps (DMA-API
# domains are not shadowed), edu's domain was not wrapped (debugfs wrap)
# and /sys/kernel/debug/kprobes/list held no probe on __iommu_map,
# __iommu_unmap or an IOMMU driver's callback: only pthru's on the domain
# allocators.  The figures are reported, never judged.  The module is loaded again without parameters
# at the end (the policy loaded back as it was), edu put back.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

shadow_test_start
pthru_bench_profile_gate
require_edu_test_driver
# 2500 per run of pthru_bench.sh, so scripts/bench-vm.sh -n scales it.
n=${PTHRU_BENCH_DMA_OPS:-$((${PTHRU_BENCH_RUNS:-20} * 2500))}
blocks=${PTHRU_BENCH_BLOCKS:-9}
for v in "$n" "$blocks"; do
	case $v in
	'' | 0 | *[!0-9]*)
		ktap_skip_all "PTHRU_BENCH_DMA_OPS=$n PTHRU_BENCH_BLOCKS=$blocks: not all positive numbers" ;;
	esac
done
edu_dma_setup
ktap_cleanup_hook() {
	put_back_quietly pthru_test_edu
}

insmod "$ko" 2>"$t/err" || ktap_skip_all "insmod $ko failed: $(cat "$t/err")"
move_to "$edu" pthru_test_edu || ktap_skip_all "$move_err"
ktap_diag "function $edu ($edu_orig), IOMMU group $group ($gtype); $n pairs per block, $blocks blocks"

ktap_set_plan 4

kprobes_list=/sys/kernel/debug/kprobes/list
[ -r "$kprobes_list" ] ||
	ktap_skip_all "no $kprobes_list (debugfs not mounted, or no CONFIG_KPROBES)"

# hot_probes: the kprobes list's lines that are not on a domain allocator
# (the only functions an armed shadow probes by default).
hot_probes() {
	grep -vE ' (iommu_domain_alloc|iommu_paging_domain_alloc)\+' "$kprobes_list"
}

# run_block WAY: N pairs; appends the pairs per second to the list file
# WAY unless b = 0 (the untimed cycle).  A failure goes to $t/WAY.bad.
# In the armed way the shadow's state is read around the command.
run_block() {
	local way="$1" ns m0 c0

	case $way in
	armed)
		json_load st_ "$(pthructl -j stats 2>"$t/stats.err")"
		[ "${st_armed:-}" = true ] ||
			echo "block $b: stats armed '${st_armed:-}' before the run ($(head -n 1 "$t/stats.err"))" >>"$t/armed.bad"
		m0=${st_maps:-0}
		;;
	disarmed)
		json_load st_ "$(pthructl -j stats 2>"$t/stats.err")"
		[ "${st_armed:-}" = false ] ||
			echo "block $b: stats armed '${st_armed:-}' with shadow=off ($(head -n 1 "$t/stats.err"))" >>"$t/disarmed.bad"
		;;
	esac
	if ! sysfs_write "$edu_dbg/cmd" "bench $n"; then
		echo "block $b: echo bench $n: $write_err" >>"$t/$way.bad"
		return
	fi
	ns=$(sed -n "s/^bench ops $n ns \([0-9][0-9]*\) .*/\1/p" "$edu_dbg/result")
	if [ -z "$ns" ]; then
		echo "block $b: result '$(cat "$edu_dbg/result")'" >>"$t/$way.bad"
		return
	fi
	[ "$b" -gt 0 ] && awk -v n="$n" -v ns="$ns" 'BEGIN { printf "%d\n", n * 1e9 / (ns ? ns : 1) }' \
		>>"$t/$way"
	[ "$way" = armed ] || return 0
	json_load st_ "$(pthructl -j stats 2>"$t/stats.err")"
	[ "${st_armed:-}" = true ] ||
		echo "block $b: stats armed '${st_armed:-}' after the run ($(head -n 1 "$t/stats.err"))" >>"$t/armed.bad"
	[ "${st_maps:-x}" = "$m0" ] ||
		echo "block $b: the shadow's maps went from $m0 to ${st_maps:-?}: it recorded DMA-API maps" >>"$t/armed.bad"
	grep -q "^group $group wrapped no\$" "$pthru_debugfs/wrap" ||
		echo "block $b: debugfs wrap does not say edu's group $group is unwrapped: $(grep "^group $group " "$pthru_debugfs/wrap")" >>"$t/armed.bad"
	hot_probes >"$t/hot"
	while read -r l; do
		echo "block $b: a kprobe besides the allocators': $l" >>"$t/armed.bad"
	done <"$t/hot"
	probed=$(grep -cE ' (iommu_domain_alloc|iommu_paging_domain_alloc)\+' "$kprobes_list")
}

# The two ways alternate block by block, so that whatever else the host
# does slows them alike.  The first cycle (b = 0) is not timed.
reload_err=
reloaded=0
probed=
b=-1
while [ $b -lt "$blocks" ] && [ -z "$reload_err" ]; do
	b=$((b + 1))
	unload_noting || break
	run_block nopthru
	load_noting shadow=off || break
	run_block disarmed
	unload_noting || break
	load_noting shadow=on || break
	[ "$(cat /sys/module/pthru/parameters/flush_window_dma)" = N ] ||
		echo "block $b: flush_window_dma is not off" >>"$t/armed.bad"
	run_block armed
done
[ -n "$reload_err" ] && ktap_diag "$reload_err"
for f in nopthru disarmed armed; do
	[ -f "$t/$f" ] && ktap_diag "pairs per second by block, $f: $(tr '\n' ' ' <"$t/$f")"
done
ktap_diag "kprobes on a domain allocator in the last armed block: ${probed:-?}"

ktap_begin
ktap_expect "blocks run" "$b" "$blocks"
ktap_expect "problems" "$reload_err" ""
expect_clean "without pthru" "$t/nopthru.bad"
expect_clean "with the shadow disarmed" "$t/disarmed.bad"
expect_clean "with the shadow armed" "$t/armed.bad"
ktap_end "$n dma_map_single + dma_unmap_single pairs per block, each way, all mapped"

ktap_begin
ktap_expect "blocks run" "$b" "$blocks"
expect_clean "disarmed" "$t/disarmed.bad"
expect_clean "armed" "$t/armed.bad"
ktap_end "the shadow was disarmed in every disarmed block; in every armed one it was armed, recorded no DMA-API map, left edu's domain unwrapped and probed nothing but the domain allocators"

# The module as the other tests expect it: loaded without parameters, the
# policy it had, edu on its driver, the test module gone.
ktap_begin
expect_put_back pthru_test_edu
ktap_expect "shadow parameter" "$(cat /sys/module/pthru/parameters/shadow 2>&1)" auto
ktap_end "pthru loaded again without parameters, its policy back, $edu back on $edu_orig, pthru_test_edu unloaded"

x=$(median nopthru)
y=$(median armed)
z=$(median disarmed)
if [ "$ktap_nfail" -eq 0 ] && [ "$x" -gt 0 ] && [ "$y" -gt 0 ] && [ "$z" -gt 0 ]; then
	figure=$(awk -v x="$x" -v y="$y" -v z="$z" -v b="$blocks" -v n="$n" 'BEGIN {
		printf "dma map+unmap: %d/s (no pthru), %d/s (shadow armed, dma tracking off), ratio %.2f; %d/s (shadow disarmed), ratio %.2f; median of %d blocks of %d\n",
			x, y, y / x, z, z / x, b, n
	}')
	ktap_diag "bench: $figure"
	ktap_test_pass "the benchmark figure is printed"
else
	ktap_test_skip "the benchmark figure is printed" "a block failed: no figure"
fi
ktap_finished
