#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The shadow of a DMA-API domain (shadow_dma=1), off by default.
#
# The test-only driver pthru_test_edu.ko ($PTHRU_TEST_EDU_KO) takes QEMU's
# edu function; its "hold" command maps four contiguous pages with
# dma_map_single() and keeps them mapped, printing the IOVA and the
# physical address; "release" unmaps them.  edu's domain is its group's
# default domain: DMA (the acs profile) or DMA-FQ (lazy).
#
#   default   pthru loaded with shadow=on: a held mapping is not in the
#             shadow ("map show GROUP" answers that the group has no
#             tracked domain).
#   mapped    pthru loaded with shadow=on shadow_dma=1: "map show GROUP"
#             lists the held pages as one range, at the IOVA and physical
#             address the driver printed, typed as the group's domain
#             and marked incomplete (a DMA-API domain had mappings before
#             pthru saw it); debugfs mappings lists the range, debugfs
#             shadow the domain, with its type;
#             stats has no DMA-API flush window (flush_window_dma is off).
#   verify    "map verify GROUP" translates the range and finds nothing
#             (exit 0): kernel memory mapped by the DMA API is not
#             kernel-memory-mapped, and no mapping hazard, not even
#             shadow-incomplete, is raised for the group.
#   released  after "release" the range is gone.
#
# pthru is loaded again without parameters at the end, its policy loaded
# back, edu put back on the driver it had, the test module unloaded.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

shadow_test_start
require_edu_test_driver
edu_dma_setup
map_hazards="map-disagrees stale-translation identity-over-ram kernel-memory-mapped superpage-overreach shadow-incomplete"
ktap_cleanup_hook() {
	[ -e "$edu_dbg/cmd" ] && echo release >"$edu_dbg/cmd" 2>/dev/null
	put_back_quietly pthru_test_edu
}

# edu_cmd CMD: the test driver's CMD done, its result line in $edu_out;
# 1 with the reason in $edu_out.
edu_cmd() {
	if ! sysfs_write "$edu_dbg/cmd" "$1"; then
		edu_out="echo $1 >$edu_dbg/cmd: $write_err"
		return 1
	fi
	edu_out=$(cat "$edu_dbg/result")
}

# held_ranges OUT: the ranges "pthructl -j map show $group" lists, one
# "iova phys size type incomplete" line each (numbers in decimal); 1 when
# pthructl fails (its message in OUT.err).
held_ranges() {
	local line

	pthructl -j map show "$group" >"$1.json" 2>"$1.err" || { : >"$1"; return 1; }
	json_dump_objects "$1.json" | while read -r line; do
		json_load m_ "$line"
		echo "$((m_iova)) $((m_phys)) $((m_size)) $m_type $m_incomplete"
	done >"$1"
}

# group_map_hazards: the mapping hazards "pthructl -j hazard" lists for
# $group, by name, on one line.
group_map_hazards() {
	local line

	pthructl -j hazard >"$t/h.json" 2>"$t/h.err" || { echo "pthructl failed: $(head -n 1 "$t/h.err")"; return; }
	json_dump_objects "$t/h.json" | while read -r line; do
		json_load h_ "$line"
		[ "$h_group" = "$group" ] || continue
		case " $map_hazards " in
		*" $h_name "*) echo "$h_name" ;;
		esac
	done | sort | tr '\n' ' '
}

ktap_set_plan 5

# ---------------------------------------------------------------------
# default
ktap_begin
ktap_checked=1
reloaded=0
if ! unload_noting || ! load_noting shadow=on; then
	ktap_mismatch "$reload_err"
elif ! insmod "$ko" 2>"$t/err"; then
	ktap_mismatch "insmod $ko failed: $(cat "$t/err")"
elif ! move_to "$edu" pthru_test_edu; then
	ktap_mismatch "$move_err"
elif ! edu_cmd hold; then
	ktap_mismatch "$edu_out"
else
	ktap_diag "$edu_out"
	ktap_checked=$((ktap_checked + 1))
	if held_ranges "$t/off"; then
		ktap_mismatch "map show $group answered without shadow_dma: $(tr '\n' ' ' <"$t/off")"
	else
		grep -q "IOMMU group $group has no domain the shadow tracks" "$t/off.err" ||
			ktap_mismatch "map show $group: $(head -n 1 "$t/off.err"), expected: no domain the shadow tracks"
	fi
	ktap_checked=$((ktap_checked + 1))
	edu_cmd release || ktap_mismatch "$edu_out"
fi
ktap_end "default (shadow=on): a DMA-API mapping of $edu ($gtype, group $group) is not shadowed"
if [ "$ktap_nfail" -gt 0 ]; then
	for n in "shadow_dma=1: map show lists the held pages" \
		 "map verify finds nothing" "released: the range is gone"; do
		ktap_test_skip "$n" "edu is not on pthru_test_edu with pthru reloaded"
	done
	ktap_begin
	expect_put_back pthru_test_edu
	ktap_end "put back"
	ktap_finished
fi

# ---------------------------------------------------------------------
# mapped
ktap_begin
ktap_checked=1
iova='' phys='' size=''
if ! unload_noting || ! load_noting shadow=on shadow_dma=1; then
	ktap_mismatch "$reload_err"
elif ! edu_cmd hold; then
	ktap_mismatch "$edu_out"
else
	ktap_diag "$edu_out"
	# "hold iova 0x.. phys 0x.. size S"
	iova=$(($(echo "$edu_out" | awk '{ print $3 }')))
	phys=$(($(echo "$edu_out" | awk '{ print $5 }')))
	size=$(echo "$edu_out" | awk '{ print $7 }')
	if ! held_ranges "$t/on"; then
		ktap_mismatch "pthructl -j map show $group: $(head -n 1 "$t/on.err")"
	else
		ktap_diag "map show $group: $(tr '\n' ';' <"$t/on")"
		ktap_checked=$((ktap_checked + 1))
		grep -qx "$iova $phys $size $gtype true" "$t/on" ||
			ktap_mismatch "no range \"$iova $phys $size $gtype true\" (iova phys size type incomplete) in map show $group: $(tr '\n' ';' <"$t/on")"
	fi
	ktap_checked=$((ktap_checked + 1))
	awk -v g="$group" -v ty="$gtype" '$3 == "group" && $4 == g &&
		$5 == "type" && $6 == ty && $7 == "iova" && $NF == "incomplete" {
		print $8, $10, $12 }' "$pthru_debugfs/mappings" |
		while read -r i p z; do
			echo "$((i)) $((p)) $((z))"
		done | grep -qx "$iova $phys $size" ||
		ktap_mismatch "debugfs mappings has no incomplete $gtype range \"$iova $phys $size\" of group $group: $(grep " group $group " "$pthru_debugfs/mappings" | tr '\n' ';')"
	ktap_checked=$((ktap_checked + 1))
	grep -q "^domain [0-9]* group $group type $gtype " "$pthru_debugfs/shadow" ||
		ktap_mismatch "debugfs shadow has no $gtype domain of group $group: $(grep '^domain' "$pthru_debugfs/shadow" | tr '\n' ';')"
	ktap_checked=$((ktap_checked + 1))
	grep -q '^dma-untracked: [0-9]' "$pthru_debugfs/shadow" ||
		ktap_mismatch "debugfs shadow has no dma-untracked line"
	# The DMA-API flush window is flush_window_dma's, off here.
	json_load st_ "$(pthructl -j stats 2>"$t/err")"
	ktap_expect "pthructl -j stats: dma_flushes (no flush_window_dma)" \
		"${st_dma_flushes:-$(head -n 1 "$t/err")}" null
fi
ktap_end "shadow_dma=1: map show $group and debugfs mappings list the held pages at their IOVA and physical address, $gtype, incomplete"

# ---------------------------------------------------------------------
# verify
ktap_begin
ktap_checked=1
if [ -z "$iova" ]; then
	ktap_mismatch "nothing held"
else
	pthructl -j map verify "$group" >"$t/v" 2>"$t/v.err"
	rc=$?
	ktap_diag "map verify $group: $(head -n 1 "$t/v") $(head -n 1 "$t/v.err")"
	ktap_expect "exit status of map verify $group" "$rc" 0
	json_load v_ "$(head -n 1 "$t/v")"
	ktap_expect "domains" "${v_domains:-}" 1
	ktap_checked=$((ktap_checked + 1))
	[ "${v_translations:-0}" -gt 0 ] ||
		ktap_mismatch "translations: ${v_translations:-none}, expected more than 0"
	for k in disagreements stale identity kernel_memory overreach; do
		eval "got=\${v_$k:-}"
		ktap_expect "$k" "$got" 0
	done
	ktap_expect "mapping hazards of group $group" "$(group_map_hazards)" ""
fi
ktap_end "map verify $group translates the held range and finds nothing: the DMA API's kernel memory is not a finding"

# ---------------------------------------------------------------------
# released
ktap_begin
ktap_checked=1
if [ -z "$iova" ]; then
	ktap_mismatch "nothing held"
elif ! edu_cmd release; then
	ktap_mismatch "$edu_out"
elif ! held_ranges "$t/rel" && ! grep -q "no domain the shadow tracks" "$t/rel.err"; then
	ktap_mismatch "pthructl -j map show $group: $(head -n 1 "$t/rel.err")"
else
	ktap_checked=$((ktap_checked + 1))
	awk -v lo="$iova" -v hi=$((iova + size)) \
		'$1 < hi + 0 && $1 + $3 > lo + 0 { bad = 1 } END { exit bad }' "$t/rel" ||
		ktap_mismatch "map show $group still lists the released range: $(tr '\n' ';' <"$t/rel")"
fi
ktap_end "released: map show $group no longer lists the range"

# ---------------------------------------------------------------------
ktap_begin
expect_put_back pthru_test_edu
ktap_expect "shadow_dma" "$(cat /sys/module/pthru/parameters/shadow_dma 2>&1)" N
ktap_end "pthru loaded again without parameters, its policy back, $edu back on $edu_orig, pthru_test_edu unloaded"

ktap_finished
