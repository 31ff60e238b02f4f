#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM benchmarks alone: boot one QEMU guest per installed kernel (the
# selftests' harness, profile "acs" unless -p says otherwise), run only
# selftests/pthru_bench.sh, pthru_bench_bind.sh, pthru_bench_map.sh and
# pthru_bench_dma.sh there, and print their figures, per kernel:
#
#	<release>/<profile>: bench: audit_ms=A lspci_ms=L ratio=A/L runs=N functions=F
#	<release>/<profile>: bench: bind+unbind: X us (ungated), Y us (gated), ratio Y/X; off Z us; median of B blocks of N
#	<release>/<profile>: bench: vfio map+unmap 4K: X/s (no pthru), Y/s (shadow armed), ratio Y/X; 2M: ...; shadow: B bytes per range; median of 5 blocks
#	<release>/<profile>: bench: dma map+unmap: X/s (no pthru), Y/s (shadow armed, dma tracking off), ratio Y/X; Z/s (shadow disarmed), ratio Z/X; median of B blocks of N
#
# audit_ms is one "pthructl -j audit" (the module re-reads every function
# and re-evaluates every rule), lspci_ms one "lspci -vvv" on the same
# guest, both averaged over N runs; the second line is one bind and unbind
# of a function to vfio-pci without pthru, and with the bind gate
# evaluating the default policy, over 10N rounds; the third is VFIO type1
# map+unmap pairs per second of a 4 KiB buffer (100N per block) and of a
# 2 MiB huge page (25N) without pthru and with the shadow armed; the
# fourth is the kernel's DMA API (dma_map_single + dma_unmap_single of one
# page for edu, 500N per block, through the test module pthru_test_edu)
# without pthru, with the shadow armed (shadow=on; DMA-API unmaps not
# timed, flush_window_dma off) and disarmed (shadow=off).  The figures are
# reported, never judged.
# Exits non-zero when a guest gave not all four.
#
#	scripts/bench-vm.sh [-k RELEASE]... [-p PROFILE] [-n RUNS]
#
# Builds what it needs (make modules-all tool, make -C selftests); logs
# stay in build/bench/<release>/<profile>/.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=selftests/vm/lib.sh
. "$top/selftests/vm/lib.sh"

want_rel=()
profile=acs
runs=20
while getopts "k:p:n:h" opt; do
	case $opt in
	k) want_rel+=("$OPTARG") ;;
	p) profile=$OPTARG ;;
	n) runs=$OPTARG ;;
	*) sed -n '3,31s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done
case $runs in
'' | 0 | *[!0-9]*) vm_die "-n $runs: not a positive number of runs" ;;
esac

make -s -C "$top" modules-all tool >/dev/null || vm_die "make modules-all tool failed"
make -s -C "$top/selftests" all >/dev/null || vm_die "make -C selftests failed"

mapfile -t releases < <(vm_releases)
[ ${#want_rel[@]} -gt 0 ] && releases=("${want_rel[@]}")
[ ${#releases[@]} -gt 0 ] || vm_die "no bootable kernel (scripts/install-deps.sh)"

failed=0
for rel in "${releases[@]}"; do
	out=$top/build/bench/$rel/$profile
	mkdir -p "$out"
	if ! (vm_build_initramfs "$rel" "$profile" "$out") 2>"$out/build.log"; then
		echo "$rel/$profile: no figure: initramfs: $(tail -n 1 "$out/build.log")"
		failed=1
		continue
	fi
	rc=0
	vm_boot "$rel" "$profile" "$out" test \
		"pthru.tests=pthru_bench.sh,pthru_bench_bind.sh,pthru_bench_map.sh,pthru_bench_dma.sh pthru.bench_runs=$runs" ||
		rc=$?
	lines=$(tr -d '\r' <"$out/result.ktap" 2>/dev/null | sed -n 's/^# # bench: //p')
	if [ "$(printf '%s\n' "$lines" | grep -c .)" -eq 4 ]; then
		printf '%s\n' "$lines" | sed "s|^|$rel/$profile: bench: |"
	else
		echo "$rel/$profile: not all four figures (qemu exit $rc); last lines of $out/result.ktap:"
		tail -n 10 "$out/result.ktap" 2>/dev/null | tr -d '\r' | sed 's/^/  /'
		failed=1
	fi
done
exit $failed
