#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The shadow of userspace-owned mappings against the truth.  The edu
# function (nothing depends on it, or PTHRU_TEST_BIND_DEV) goes to
# vfio-pci, and pthru_vfio_map puts its group in a VFIO type1 container
# and maps 4 KiB, 64 KiB, 1 MiB and a 2 MiB huge page at IOVAs with gaps
# between them, printing each buffer's runs of physically contiguous pages
# from /proc/self/pagemap.  Then, step by step:
#   mapped    "pthructl -j map show GROUP" lists exactly those runs (the
#             shadow merges ranges adjacent in IOVA and in physical memory
#             with the same permissions, and so does a run), read and
#             write, unmanaged, complete; "pthructl -j stats" says armed;
#             debugfs mappings (0444) lists the same ranges;
#   unmapped  the 1 MiB buffer's ranges are gone, the others still there;
#   closed    the group has no range left; once the function is back on
#             its driver, stats counts as many ranges as before the test
#             (none in a test guest).
# Nothing here needs the IOMMU's caching mode: no DMA is done, and the
# guest kernel maps an unmanaged domain the same way with or without it.
# The policy, the function's driver and vm.nr_hugepages are put back as
# they were.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

shadow_test_start
prog=$ktap_dir/pthru_vfio_map
[ -x "$prog" ] || ktap_skip_all "$prog is not built (make -C selftests)"
require_vfio_type1
policy_subjects
require_edu_vfio_group

ktap_tmpdir
t=$ktap_tmp
policy_must_answer
edu_orig=$(sysfs_driver "$edu")
hp=/proc/sys/vm/nr_hugepages
hp_orig=$(cat "$hp")
prog_pid=
ktap_cleanup_hook() {
	prog_kill
	[ "$(cat "$hp")" = "$hp_orig" ] || echo "$hp_orig" >"$hp"
	restore_driver "$edu" "$edu_orig"
	policy_restore
}

# Any bind of edu must pass: an audit-mode policy that allows everything
# (the default policy may want more than the guest's edu has).  A locked
# policy stays as it is, and the bind below says whether it allows edu.
if [ "$pol_locked" = false ]; then
	policy_keep
	policy_allow_all ||
		ktap_skip_all "pthructl policy load: $(head -n 1 "$t/load.err")"
fi

# The ranges of other userspace-owned domains (none in a test guest), for
# the count at the end.
stats_state
base_ranges=${st_ranges:-0}
ktap_diag "function $edu ($edu_orig), IOMMU group $group; ranges before: $base_ranges"
to_vfio "$edu" "$group" ||
	ktap_skip_all "$move_err (policy mode $pol_mode, locked $pol_locked)"

# One 2 MiB huge page for the last buffer; the program says when it got none.
[ "$hp_orig" -ge 1 ] || echo 1 >"$hp" 2>/dev/null

# The program pauses before each step until prog_go.
prog_start || ktap_skip_all "mkfifo failed"

# runs_of FILE [SKIP_IOVA SKIP_SIZE]: the "run" lines of the program's
# output as "iova phys size" in decimal, one per line, sorted; runs inside
# [SKIP_IOVA, SKIP_IOVA + SKIP_SIZE) left out.
runs_of() {
	local iova phys len lo=$((${2:-0})) hi=$((${2:-0} + ${3:-0}))

	grep '^run ' "$1" | while read -r _ iova phys len; do
		[ $((iova)) -ge "$lo" ] && [ $((iova)) -lt "$hi" ] && continue
		echo "$((iova)) $((phys)) $((len))"
	done | sort
}

# shadow_of GROUP OUT: the ranges "pthructl -j map show" reports for GROUP,
# as runs_of lines in OUT (sorted); OUT.bad gets a line per range whose
# type is not unmanaged, that is not read-write or is marked incomplete.
# 1 when pthructl fails (its message in OUT.err).  The whole dump, not
# "map show GROUP": a group with no domain is ENOENT there, not empty.
shadow_of() {
	local line

	: >"$2.bad"
	pthructl -j map show >"$2.json" 2>"$2.err" || { : >"$2"; return 1; }
	json_dump_objects "$2.json" | while read -r line; do
		json_load m_ "$line"
		[ "$m_group" = "$1" ] || continue
		echo "$((m_iova)) $((m_phys)) $((m_size))"
		case $m_prot in
		*'"read"'*'"write"'*) ;;
		*) echo "iova $m_iova: prot $m_prot is not read and write" >>"$2.bad" ;;
		esac
		[ "$m_type" = unmanaged ] || echo "iova $m_iova: type $m_type" >>"$2.bad"
		[ "$m_incomplete" = false ] ||
			echo "iova $m_iova: incomplete $m_incomplete" >>"$2.bad"
	done | sort >"$2"
}

# debugfs_mappings GROUP OUT: the ranges of GROUP's domain in debugfs
# mappings ("domain ID group G type T iova 0x.. phys 0x.. size 0x.. prot
# P" lines), as shadow_of writes them.
debugfs_mappings() {
	awk -v g="$1" '$3 == "group" && $4 == g && $7 == "iova" {
		print $8, $10, $12 }' "$pthru_debugfs/mappings" 2>/dev/null |
		while read -r iova phys size; do
			echo "$((iova)) $((phys)) $((size))"
		done | sort >"$2"
}

# expect_shadow NAME WANT GOT: the two lists of ranges are the same.
expect_shadow() {
	local l

	ktap_checked=$((ktap_checked + 1))
	for l in $(lines_not_in "$2" "$3" | tr ' ' ,); do
		ktap_mismatch "$1: missing $(echo "$l" | awk -F, '{ printf "iova %#x phys %#x size %#x", $1, $2, $3 }')"
	done
	for l in $(lines_not_in "$3" "$2" | tr ' ' ,); do
		ktap_mismatch "$1: unexpected $(echo "$l" | awk -F, '{ printf "iova %#x phys %#x size %#x", $1, $2, $3 }')"
	done
	while read -r l; do
		ktap_mismatch "$1: $l"
	done <"$3.bad"
}

# The program's first step: every buffer mapped, or a skip when VFIO
# type1 cannot be set up here.
prog_wait "wait mapped"
if ! prog_at "wait mapped"; then
	if grep -q '^skip: ' "$t/out"; then
		ktap_skip_all "pthru_vfio_map: $(sed -n 's/^skip: //p' "$t/out")"
	fi
	echo "1..1"
	prog_fail_diag
	echo "not ok 1 pthru_vfio_map maps buffers through a type1 container"
	exit "$KSFT_FAIL"
fi
ktap_set_plan 11
ktap_diag "$(grep -E '^(container|map|nohuge) ' "$t/out" | tr '\n' ';')"

# 1. the program's own account: each buffer wholly covered by its runs
ktap_begin
nbufs=0
for b in 0x100000:0x1000 0x200000:0x10000 0x400000:0x100000 0x800000:0x200000; do
	set -- "${b%:*}" "${b#*:}"
	if [ "$1" = 0x800000 ] && grep -q '^nohuge ' "$t/out"; then
		continue
	fi
	nbufs=$((nbufs + 1))
	ktap_checked=$((ktap_checked + 1))
	grep -q "^map $1 $2 [0-9]*\$" "$t/out" || ktap_mismatch "no line \"map $1 $2 N\""
	# The runs of this buffer follow one another in IOVA, from its start
	# to its end, each at a page-aligned, non-zero physical address.
	covered=$(runs_of "$t/out" | awk -v lo=$(($1)) -v hi=$(($1 + $2)) '
		$1 >= lo && $1 < hi {
			if ($1 != next_iova && next_iova != "") bad = 1
			if ($2 == 0 || $2 % 4096 || $3 % 4096) bad = 1
			next_iova = $1 + $3
			total += $3
		}
		END { print bad ? "bad" : total + 0 }')
	ktap_expect "bytes covered by the runs of the buffer at $1" "$covered" "$(($2))"
done
[ $nbufs -ge 3 ] || ktap_mismatch "only $nbufs buffers mapped"
ktap_end "pthru_vfio_map maps $nbufs buffers, with physical addresses from pagemap"

# 2. the huge page
if grep -q '^nohuge ' "$t/out"; then
	ktap_test_skip "the 2 MiB huge page is one run, 2 MiB-aligned" \
		"$(sed -n 's/^nohuge //p' "$t/out")"
else
	ktap_begin
	ktap_expect "runs of the huge page buffer" \
		"$(grep -c '^run 0x8[0-9a-f]\{5\} ' "$t/out")" 1
	huge_phys=$(awk '$1 == "run" && $2 == "0x800000" { print $3 }' "$t/out")
	ktap_expect "its physical address modulo 2 MiB" "$((${huge_phys:-1} % 2097152))" 0
	ktap_end "the 2 MiB huge page is one run, 2 MiB-aligned"
fi

# 3. the probes are armed while the group is in a container
ktap_begin
if stats_answers; then
	ktap_expect "pthructl -j stats: armed" "$st_armed" true
else
	ktap_checked=$((ktap_checked + 1))
	ktap_mismatch "pthructl -j stats: $(head -n 1 "$t/stats.err")" "$(head -n 1 "$t/stats")"
fi
ktap_end "stats says the shadow is armed while vfio-pci holds $edu"

# 4. the shadow is the runs
ktap_begin
runs_of "$t/out" >"$t/want-mapped"
if shadow_of "$group" "$t/got-mapped"; then
	expect_shadow "mapped" "$t/want-mapped" "$t/got-mapped"
else
	ktap_checked=$((ktap_checked + 1))
	ktap_mismatch "pthructl -j map show: $(head -n 1 "$t/got-mapped.err")"
fi
ktap_end "map show lists exactly the $(wc -l <"$t/want-mapped") runs the program mapped, as pagemap places them"

# 5. debugfs mappings says the same
ktap_begin
ktap_expect "mode of $pthru_debugfs/mappings" \
	"$(stat -c %a "$pthru_debugfs/mappings" 2>&1)" 444
debugfs_mappings "$group" "$t/debugfs-mapped"
: >"$t/debugfs-mapped.bad"
expect_shadow "debugfs mappings" "$t/got-mapped" "$t/debugfs-mapped"
ktap_end "debugfs mappings lists the same ranges of group $group as map show"

# 6. unmap the 1 MiB buffer
prog_go
ktap_begin
if prog_wait "wait unmapped"; then
	ktap_expect "the program's unmap line" "$(grep '^unmap ' "$t/out")" "unmap 0x400000 0x100000"
	runs_of "$t/out" 0x400000 0x100000 >"$t/want-unmapped"
	if shadow_of "$group" "$t/got-unmapped"; then
		expect_shadow "unmapped" "$t/want-unmapped" "$t/got-unmapped"
	else
		ktap_checked=$((ktap_checked + 1))
		ktap_mismatch "pthructl -j map show: $(head -n 1 "$t/got-unmapped.err")"
	fi
else
	prog_fail_diag
fi
ktap_end "after VFIO_IOMMU_UNMAP_DMA the 1 MiB buffer's ranges are gone, the others stay"

# 7. close the container
prog_go
ktap_begin
if prog_wait closed; then
	wait "$prog_pid"
	ktap_expect "pthru_vfio_map's exit status" "$?" 0
	prog_pid=
	if shadow_of "$group" "$t/got-closed"; then
		ktap_expect "ranges of group $group after the close" "$(wc -l <"$t/got-closed")" 0
	else
		ktap_checked=$((ktap_checked + 1))
		ktap_mismatch "pthructl -j map show: $(head -n 1 "$t/got-closed.err")"
	fi
else
	prog_fail_diag
fi
ktap_end "closing the container empties the domain of group $group"

# 8. edu back where it was
ktap_begin
ktap_checked=$((ktap_checked + 1))
restore_driver "$edu" "$edu_orig" ||
	ktap_mismatch "$edu is on $(sysfs_driver "$edu"), not $edu_orig"
ktap_end "$edu is back on $edu_orig"

# 9. nothing left in the shadow
ktap_begin
if stats_answers; then
	ktap_expect "pthructl -j stats: ranges" "$st_ranges" "$base_ranges"
else
	ktap_checked=$((ktap_checked + 1))
	ktap_mismatch "pthructl -j stats: $(head -n 1 "$t/stats.err")" "$(head -n 1 "$t/stats")"
fi
ktap_end "stats counts no range of group $group once the container is closed and $edu released"

# The documents read above, against their JSON Schemas.
json_schema_check map "$t/got-mapped.json"
json_schema_check stats "$t/stats"

ktap_finished
