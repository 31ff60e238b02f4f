#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The shadow grows: a VFIO domain with more separate ranges than the old
# fixed pool held (16384) stays complete.  The edu function (nothing
# depends on it, or PTHRU_TEST_BIND_DEV) goes to vfio-pci, and
# "pthru_vfio_map --scatter 40000" maps 40,000 pages of anonymous memory
# (160 MiB of the guest's 1 GiB), each with its own VFIO_IOMMU_MAP_DMA and
# a one-page gap in IOVA after it, so that each is a range of its own.
# With pthru's defaults (shadow_ranges=4096, a memory cap of at least
# 8 MiB), then:
#   mapped    "pthructl -j map show GROUP" lists all 40,000 pages, each
#             at its IOVA, one page, read and write, none incomplete;
#             "pthructl -j stats" counts them and no incomplete domain;
#             debugfs shadow shows the memory in use, under the cap, and
#             the domain's nodes in use and in reserve;
#   unmapped  one VFIO_IOMMU_UNMAP_DMA over the span empties the domain;
#             its nodes are back in its reserve;
#   closed    once the container is closed and edu back on its driver,
#             the memory in use is no more than when the shadow held no
#             domain (every free slot's reserve, or none once disarmed).
# The policy and the function's driver are put back as they were.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

pages=40000

shadow_test_start
prog=$ktap_dir/pthru_vfio_map
[ -x "$prog" ] || ktap_skip_all "$prog is not built (make -C selftests)"
[ -f "$pthru_debugfs/shadow" ] ||
	ktap_skip_all "no $pthru_debugfs/shadow (debugfs not mounted?)"
require_vfio_type1
policy_subjects
require_edu_vfio_group

ktap_tmpdir
t=$ktap_tmp
policy_must_answer
edu_orig=$(sysfs_driver "$edu")
prog_pid=
ktap_cleanup_hook() {
	prog_kill
	restore_driver "$edu" "$edu_orig"
	policy_restore
}

if [ "$pol_locked" = false ]; then
	policy_keep
	policy_allow_all ||
		ktap_skip_all "pthructl policy load: $(head -n 1 "$t/load.err")"
fi

# shadow_value KEY: a "KEY: value" line of debugfs shadow.
shadow_value() {
	sed -n "s/^$1: //p" "$pthru_debugfs/shadow"
}

# domain_field NAME: the number after NAME on the domain line of $group.
domain_field() {
	grep "^domain [0-9]* group $group " "$pthru_debugfs/shadow" |
		awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'
}

# shadow_list OUT: "pthructl -j map show GROUP" as "iova size bad" lines,
# bad being 1 when the range is not read-write or is marked incomplete,
# or is of another group.  1 when pthructl fails (OUT.err).
shadow_list() {
	pthructl -j map show "$group" >"$1.json" 2>"$1.err" || return 1
	json_dump_objects "$1.json" | awk -v g="$group" '
	{
		iova = $0; sub(/.*"iova": *"/, "", iova); sub(/".*/, "", iova)
		size = $0; sub(/.*"size": *"/, "", size); sub(/".*/, "", size)
		bad = 0
		if ($0 !~ /"prot": *\[[^]]*"read"[^]]*"write"/) bad = 1
		if ($0 !~ /"incomplete": *false/) bad = 1
		if ($0 !~ "\"group\": *" g "[,}]") bad = 1
		print iova, size, bad
	}' >"$1"
}

# ranges_want: the IOVAs and sizes the program mapped, as shadow_list has
# them (lower-case hex, 0x; the IOVA in 16 digits).
ranges_want() {
	awk -v n="$pages" 'BEGIN {
		for (i = 0; i < n; i++)
			# 0x100000000 + 8192 i, without numbers past 32 bits
			printf "0x00000001%08x 0x1000 0\n", 8192 * i
	}'
}

stats_state
base_ranges=${st_ranges:-0}
base_lost=${st_lost:-0}
base_mem=$(shadow_value memory-bytes)
ktap_diag "function $edu ($edu_orig), IOMMU group $group; ranges before: $base_ranges; shadow_ranges $(cat /sys/module/pthru/parameters/shadow_ranges 2>/dev/null), shadow_mem_max_mb $(cat /sys/module/pthru/parameters/shadow_mem_max_mb 2>/dev/null)"
to_vfio "$edu" "$group" ||
	ktap_skip_all "$move_err (policy mode $pol_mode, locked $pol_locked)"
# Armed now (if it was not): every free slot's reserve, no domain yet.
idle_mem=$(shadow_value memory-bytes)
[ "${idle_mem:-0}" -ge "${base_mem:-0}" ] || idle_mem=$base_mem

prog_start --scatter "$pages" || ktap_skip_all "mkfifo failed"
s0=$(awk '{ printf "%d", $1 }' /proc/uptime)
# prog_wait gives up after 60 s; TCG may take longer to pin 40,000 pages.
n=0
until prog_at "wait mapped" || ! prog_alive || [ $n -ge 3 ]; do
	prog_wait "wait mapped" || n=$((n + 1))
done
s1=$(awk '{ printf "%d", $1 }' /proc/uptime)
if ! prog_at "wait mapped"; then
	if grep -q '^skip: ' "$t/out"; then
		ktap_skip_all "pthru_vfio_map: $(sed -n 's/^skip: //p' "$t/out")"
	fi
	echo "1..1"
	prog_fail_diag
	echo "not ok 1 pthru_vfio_map maps $pages separate pages through a type1 container"
	exit "$KSFT_FAIL"
fi
ktap_set_plan 5
ktap_diag "$(grep -E '^(container|scatter) ' "$t/out" | tr '\n' ';') mapped in about $((s1 - s0)) s"

# 1. every page is a range of its own, and no domain is incomplete
ktap_begin
ktap_expect "the program's scatter line" "$(grep '^scatter ' "$t/out")" \
	"scatter 0x100000000 $pages 0x1000"
if stats_answers; then
	ktap_expect "pthructl -j stats: armed" "$st_armed" true
	ktap_expect "pthructl -j stats: ranges" "$st_ranges" $((base_ranges + pages))
	ktap_expect "pthructl -j stats: incomplete domains" "$st_incomplete_domains" 0
	ktap_expect "pthructl -j stats: maps lost during the test" \
		$((${st_lost:-0} - base_lost)) 0
else
	ktap_checked=$((ktap_checked + 1))
	ktap_mismatch "$(stats_err)"
fi
ktap_end "stats counts $pages more ranges, none lost, no incomplete domain"

# 2. map show lists them all
ktap_begin
ktap_checked=$((ktap_checked + 1))
m0=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
if shadow_list "$t/got"; then
	m1=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
	ktap_diag "map show of $(wc -l <"$t/got") ranges took $((m1 - m0)) ms"
	ranges_want >"$t/want"
	ktap_expect "ranges listed" "$(wc -l <"$t/got")" "$pages"
	ktap_expect "ranges not read-write, incomplete or of another group" \
		"$(awk '$3 != 0' "$t/got" | wc -l)" 0
	if ! cmp -s "$t/want" "$t/got"; then
		ktap_mismatch "differences (want <, got >): $(diff "$t/want" "$t/got" |
			grep '^[<>]' | head -n 4 | tr '\n' ';')"
	fi
else
	ktap_mismatch "pthructl -j map show $group: $(head -n 1 "$t/got.err")"
fi
ktap_end "map show lists each of the $pages pages at its IOVA, read-write, complete"

# 3. debugfs shows the memory in use
ktap_begin
mem=$(shadow_value memory-bytes)
max=$(shadow_value memory-max-bytes)
used=$(domain_field nodes-used)
reserved=$(domain_field nodes-reserved)
ktap_diag "debugfs shadow: memory-bytes $mem memory-max-bytes $max range-bytes $(shadow_value range-bytes); domain nodes-used $used nodes-reserved $reserved"
ktap_expect "range-bytes" "$(shadow_value range-bytes)" 48
ktap_expect "domain incomplete" "$(domain_field incomplete)" no
ktap_expect "domain nodes-used" "$used" "$pages"
ktap_checked=$((ktap_checked + 1))
# 40,000 nodes of 48 bytes in 4 KiB chunks of 85: at least 1.9 MB.
[ "${mem:-0}" -ge $((pages * 4096 / 85)) ] ||
	ktap_mismatch "memory-bytes ${mem:-none}: less than $pages nodes take"
[ "${mem:-0}" -le "${max:-0}" ] ||
	ktap_mismatch "memory-bytes ${mem:-none} above memory-max-bytes ${max:-none}"
[ "${reserved:-0}" -ge 1 ] ||
	ktap_mismatch "nodes-reserved ${reserved:-none}: no reserve left"
ktap_end "debugfs shadow shows the memory in use ($mem bytes), under the cap ($max)"

# 4. one unmap over the span empties the domain
prog_go
ktap_begin
if prog_wait "wait unmapped"; then
	ktap_expect "the program's unmap line" "$(grep '^unmap ' "$t/out")" \
		"unmap 0x100000000 $(printf '%#x' $((pages * 8192)))"
	ktap_expect "debugfs: domain's ranges" "$(domain_field ranges)" 0
	ktap_expect "debugfs: domain's nodes-used" "$(domain_field nodes-used)" 0
	ktap_expect "debugfs: domain incomplete" "$(domain_field incomplete)" no
else
	prog_fail_diag
fi
ktap_end "after one VFIO_IOMMU_UNMAP_DMA over the span the domain holds no range, its nodes back in reserve"

# 5. closed: the memory goes back
prog_go
ktap_begin
if prog_wait closed; then
	wait "$prog_pid"
	ktap_expect "pthru_vfio_map's exit status" "$?" 0
	prog_pid=
else
	prog_fail_diag
fi
ktap_checked=$((ktap_checked + 1))
restore_driver "$edu" "$edu_orig" ||
	ktap_mismatch "$edu is on $(sysfs_driver "$edu"), not $edu_orig"
# The chunks of a freed domain are freed by a work item: give it a moment.
n=0
while [ $n -lt 50 ]; do
	mem=$(shadow_value memory-bytes)
	[ "${mem:-0}" -le "$idle_mem" ] && break
	sleep 0.1
	n=$((n + 1))
done
ktap_checked=$((ktap_checked + 1))
[ "${mem:-0}" -le "$idle_mem" ] ||
	ktap_mismatch "memory-bytes $mem after the close, $idle_mem with no domain"
ktap_end "once the container is closed the domain's memory is freed (memory-bytes $mem; $idle_mem with no domain, $base_mem before the test)"

ktap_finished
