#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a timed test: what the shadow's wrapped domain ops add to
# a VMM's VFIO_IOMMU_MAP_DMA + VFIO_IOMMU_UNMAP_DMA.
# The edu function goes to vfio-pci (as in pthru_map.sh), and
# "pthru_vfio_map GROUP --bench N SIZE" sets up a type1 container, maps
# and unmaps one buffer at one IOVA N times and says how long that took,
# two ways:
#   no pthru  the module unloaded: VFIO and the IOMMU driver alone;
#   armed     the module loaded again; edu is on vfio-pci, so the shadow
#             arms at load (shadow=auto), wraps each block's new domain and
#             records every map and unmap;
# for 4 KiB (PTHRU_BENCH_MAPS_4K pairs, default 500 per PTHRU_BENCH_RUNS:
# 10,000) and a 2 MiB huge page (PTHRU_BENCH_MAPS_2M, 125 per run: 2500;
# left out when vm.nr_hugepages cannot give one), in PTHRU_BENCH_BLOCKS
# blocks (9) that take turns, one container per block, after a first
# cycle that is not timed.  Prints
#
#	# bench: vfio map+unmap 4K: X/s (no pthru), Y/s (shadow armed), ratio Y/X; 2M: ...; shadow: B bytes per range
#
# pairs per second, the median of the blocks.  The tests check that every
# pair mapped and unmapped the whole buffer, that the shadow was armed in
# every armed block and counted at least its N maps and unmaps and lost
# none, and that its ranges are back to where they were after each
# container is closed.  The figure is reported, never judged.  The module
# is loaded again without parameters at the end (the policy loaded back as
# it was), edu and vm.nr_hugepages are put back.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

shadow_test_start
pthru_bench_profile_gate
prog=$ktap_dir/pthru_vfio_map
[ -x "$prog" ] || ktap_skip_all "$prog is not built (make -C selftests)"
# 500 and 125 per run of pthru_bench.sh, so scripts/bench-vm.sh -n scales them.
n4k=${PTHRU_BENCH_MAPS_4K:-$((${PTHRU_BENCH_RUNS:-20} * 500))}
n2m=${PTHRU_BENCH_MAPS_2M:-$((${PTHRU_BENCH_RUNS:-20} * 125))}
blocks=${PTHRU_BENCH_BLOCKS:-9}
for v in "$n4k" "$n2m" "$blocks"; do
	case $v in
	'' | 0 | *[!0-9]*)
		ktap_skip_all "PTHRU_BENCH_MAPS_4K=$n4k PTHRU_BENCH_MAPS_2M=$n2m PTHRU_BENCH_BLOCKS=$blocks: not all positive numbers" ;;
	esac
done
require_vfio_type1
[ "$(cat /sys/module/pthru/parameters/shadow 2>/dev/null)" != off ] ||
	ktap_skip_all "pthru is loaded with shadow=off: nothing to measure"
reload_test_setup
require_edu_vfio_group

edu_orig=$(sysfs_driver "$edu")
hp=/proc/sys/vm/nr_hugepages
hp_orig=$(cat "$hp")
policy_keep
ktap_cleanup_hook() {
	[ "$(cat "$hp")" = "$hp_orig" ] || echo "$hp_orig" >"$hp"
	put_back_quietly
}

stats_state
base_ranges=${st_ranges:-0}

# Binding edu must pass: an audit-mode policy that allows everything.
policy_allow_all ||
	ktap_skip_all "pthructl policy load: $(head -n 1 "$t/load.err")"
to_vfio "$edu" "$group" || ktap_skip_all "$move_err"
[ "$hp_orig" -ge 1 ] || echo 1 >"$hp" 2>/dev/null
ktap_diag "function $edu ($edu_orig), IOMMU group $group; ranges before: $base_ranges;" \
	"$n4k pairs of 4 KiB, $n2m of 2 MiB per block, $blocks blocks"

ktap_set_plan 5

# run_block WAY SIZE N: one container, N pairs of SIZE; appends the pairs
# per second to the list file WAY-SIZE unless b = 0 (the untimed cycle).
# A failure goes to $t/WAY-SIZE.bad; "nohuge" sets $nohuge.  In the armed
# way the shadow's counters are read around the program.
run_block() {
	local way=$1 size=$2 n=$3 rc ns m0 u0 l0

	if [ "$way" = armed ]; then
		stats_state
		if [ "$st_armed" != true ]; then
			echo "block $b: stats armed '$st_armed' before the run ($(head -n 1 "$t/stats.err"))" \
				>>"$t/$way-$size.bad"
		fi
		m0=${st_maps:-0} u0=${st_unmaps:-0} l0=${st_lost:-0}
	fi
	"$prog" "$group" --bench "$n" "$size" >"$t/out" 2>"$t/err"
	rc=$?
	if [ $rc -eq 4 ] && grep -q '^nohuge ' "$t/out"; then
		nohuge=$(sed -n 's/^nohuge //p' "$t/out")
		return
	fi
	ns=$(sed -n "s/^bench 0x[0-9a-f]* $n \([0-9][0-9]*\)\$/\1/p" "$t/out")
	if [ $rc -ne 0 ] || [ -z "$ns" ]; then
		echo "block $b: exit $rc: $(tr '\n' ' ' <"$t/err")$(tail -n 1 "$t/out")" \
			>>"$t/$way-$size.bad"
		return
	fi
	[ "$b" -gt 0 ] && awk -v n="$n" -v ns="$ns" 'BEGIN { printf "%d\n", n * 1e9 / (ns ? ns : 1) }' \
		>>"$t/$way-$size"
	[ "$way" = armed ] || return 0
	# The warm-up pair is one more of each.
	if ! stats_state || [ "$st__keys" = invalid ]; then
		echo "block $b: pthructl -j stats: $(head -n 1 "$t/stats.err")" >>"$t/$way-$size.bad"
		return
	fi
	[ "$st_armed" = true ] || echo "block $b: armed '$st_armed' after the run" >>"$t/$way-$size.bad"
	[ $((st_maps - m0)) -ge $((n + 1)) ] ||
		echo "block $b: the shadow counted $((st_maps - m0)) maps of $((n + 1))" >>"$t/$way-$size.bad"
	[ $((st_unmaps - u0)) -ge $((n + 1)) ] ||
		echo "block $b: the shadow counted $((st_unmaps - u0)) unmaps of $((n + 1))" >>"$t/$way-$size.bad"
	[ "$st_lost" -eq "$l0" ] ||
		echo "block $b: the shadow lost $((st_lost - l0)) maps" >>"$t/$way-$size.bad"
	[ "$st_ranges" -eq "$base_ranges" ] ||
		echo "block $b: $st_ranges ranges after the close, $base_ranges before" >>"$t/ranges.bad"
	range_bytes=$st_range_bytes
}

# The two ways alternate block by block, so that whatever else the host
# does slows them alike.  The first cycle (b = 0) is not timed.
nohuge=
reload_err=
range_bytes=
reloaded=0
b=-1
while [ $b -lt "$blocks" ] && [ -z "$reload_err" ]; do
	b=$((b + 1))
	unload_noting || break
	run_block nopthru 4K "$n4k"
	[ -n "$nohuge" ] || run_block nopthru 2M "$n2m"
	load_noting || break
	run_block armed 4K "$n4k"
	[ -n "$nohuge" ] || run_block armed 2M "$n2m"
done
reloaded=1
[ -n "$reload_err" ] && ktap_diag "$reload_err"
for f in nopthru-4K armed-4K nopthru-2M armed-2M; do
	[ -f "$t/$f" ] && ktap_diag "pairs per second by block, $f: $(tr '\n' ' ' <"$t/$f")"
done

ktap_begin
ktap_expect "blocks run" "$b" "$blocks"
ktap_expect "problems" "$reload_err" ""
expect_clean "4 KiB without pthru" "$t/nopthru-4K.bad"
expect_clean "4 KiB with the shadow armed" "$t/armed-4K.bad"
ktap_end "4 KiB: $n4k map+unmap pairs per block, each way, all whole; the armed shadow saw them all"

if [ -n "$nohuge" ]; then
	ktap_test_skip "2 MiB huge page: $n2m map+unmap pairs per block, each way" "$nohuge"
else
	ktap_begin
	ktap_expect "blocks run" "$b" "$blocks"
	expect_clean "2 MiB without pthru" "$t/nopthru-2M.bad"
	expect_clean "2 MiB with the shadow armed" "$t/armed-2M.bad"
	ktap_end "2 MiB huge page: $n2m map+unmap pairs per block, each way, all whole; the armed shadow saw them all"
fi

ktap_begin
ktap_expect "blocks run" "$b" "$blocks"
expect_clean "shadow ranges" "$t/ranges.bad"
ktap_end "the shadow's ranges are back to $base_ranges after every armed block's container is closed"

# The module as the other tests expect it: loaded without parameters, the
# policy it had, edu on its driver.
ktap_begin
expect_put_back
stats_state
ktap_expect "ranges once $edu is released" "$st_ranges" "$base_ranges"
ktap_end "pthru loaded again, its policy back, $edu back on $edu_orig"

x4=$(median nopthru-4K)
y4=$(median armed-4K)
x2=$(median nopthru-2M)
y2=$(median armed-2M)
if [ "$ktap_nfail" -eq 0 ] && [ "$x4" -gt 0 ] && [ "$y4" -gt 0 ]; then
	figure=$(awk -v x4="$x4" -v y4="$y4" -v x2="$x2" -v y2="$y2" -v nh="$nohuge" \
		     -v rb="${range_bytes:-?}" -v b="$blocks" 'BEGIN {
		printf "vfio map+unmap 4K: %d/s (no pthru), %d/s (shadow armed), ratio %.2f; ", x4, y4, y4 / x4
		if (nh != "" || x2 <= 0)
			printf "2M: no huge page; "
		else
			printf "2M: %d/s (no pthru), %d/s (shadow armed), ratio %.2f; ", x2, y2, y2 / x2
		printf "shadow: %s bytes per range; median of %d blocks\n", rb, b
	}')
	ktap_diag "bench: $figure"
	ktap_test_pass "the benchmark figure is printed"
else
	ktap_test_skip "the benchmark figure is printed" "a block failed: no figure"
fi
ktap_finished
