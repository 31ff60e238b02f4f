#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Hardware isolation as the dev objects report it (isolation_group,
# reach_count, p2p_hop): consistent with each other, with the topology
# sysfs shows and with the group-narrower findings, and equal to what the
# profile's expectation file (PTHRU_TEST_EXPECT) says; "pthructl check"
# answers for every function in the contract's form.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
ktap_tmpdir
ktap_set_plan 9

t=$ktap_tmp
audit_findings "$t/audit"
pthructl -j dev >"$t/dev.json" 2>"$t/err" ||
	ktap_diag "pthructl -j dev failed: $(cat "$t/err")"
# One shell-variable file per function, and the functions in address order.
json_dump_objects "$t/dev.json" | sed 's/,$//' >"$t/devs"
: >"$t/addrs"
while IFS= read -r line; do
	json_vars d_ "$line" >"$t/parsed"
	. "$t/parsed"
	[ -n "$d_addr" ] || continue
	mv "$t/parsed" "$t/dev.$d_addr"
	echo "$d_addr" >>"$t/addrs"
done <"$t/devs"
sort -o "$t/addrs" "$t/addrs"

is_bridge() {
	case $(sysfs_hex "$1" class) in
	0604* | 0609*) return 0 ;;
	esac
	return 1
}

for_each_dev() {
	local a

	for a in $(cat "$t/addrs"); do
		. "$t/dev.$a"
		"$@" "$a"
	done
}

# ---------------------------------------------------------------------
check_iso_present() {
	if is_bridge "$1"; then
		ktap_expect "$1 (bridge) isolation_group" "$d_isolation_group" null
	else
		case $d_isolation_group in
		'' | null | *[!0-9]*)
			ktap_mismatch "$1 isolation_group '$d_isolation_group' is not a number" ;;
		*) ktap_checked=$((ktap_checked + 1)) ;;
		esac
	fi
	case $d_reach_count in
	'' | *[!0-9]*) ktap_mismatch "$1 reach_count '$d_reach_count' is not a number" ;;
	esac
}
ktap_begin
for_each_dev check_iso_present
ktap_end "every function but bridges has an isolation group"

# Numbered from 0 in address order of each group's first function.
ktap_begin
next_iso=0
check_iso_order() {
	[ "$d_isolation_group" = null ] && return
	if [ "$d_isolation_group" -eq "$next_iso" ]; then
		next_iso=$((next_iso + 1))
	elif [ "$d_isolation_group" -gt "$next_iso" ]; then
		ktap_mismatch "$1 opens isolation group $d_isolation_group, expected $next_iso"
		next_iso=$((d_isolation_group + 1))
	fi
	ktap_checked=$((ktap_checked + 1))
}
for_each_dev check_iso_order
ktap_diag "$next_iso isolation group(s)"
ktap_end "isolation groups are numbered in address order of their first function"

# The members of each isolation group N, one per line in iso/N.
record_iso() {
	[ "$d_isolation_group" = null ] || echo "$1" >>"$t/iso/$d_isolation_group"
}
mkdir "$t/iso"
for_each_dev record_iso

# reach_count and p2p_hop against the isolation groups and the topology.
check_reach() {
	local n=0 up

	[ "$d_isolation_group" = null ] && return
	n=$(($(wc -l <"$t/iso/$d_isolation_group")))
	if [ "$d_reach_count" -gt 0 ]; then
		[ "$n" -ge 2 ] ||
			ktap_mismatch "$1 reaches $d_reach_count function(s) but is alone in isolation group $d_isolation_group"
		[ "$d_p2p_hop" != null ] ||
			ktap_mismatch "$1 reaches $d_reach_count function(s) but has no p2p_hop"
	fi
	ktap_checked=$((ktap_checked + 1))
	[ "$d_p2p_hop" = null ] && return
	# The hop is the function's own device (multifunction loopback) or a
	# bridge above it.
	[ "${d_p2p_hop%.*}" = "${1%.*}" ] && return
	up=$(sysfs_upstream "$1")
	while [ "$up" != null ]; do
		[ "$up" = "$d_p2p_hop" ] && return
		up=$(sysfs_upstream "$up")
	done
	ktap_mismatch "$1 p2p_hop $d_p2p_hop is neither its device nor above it"
}
ktap_begin
for_each_dev check_reach
for f in "$t"/iso/*; do
	[ -f "$f" ] || continue
	[ "$(($(wc -l <"$f")))" -ge 2 ] || continue
	any=0
	for a in $(cat "$f"); do
		. "$t/dev.$a"
		[ "$d_reach_count" -gt 0 ] && any=1
	done
	[ $any -eq 1 ] ||
		ktap_mismatch "isolation group ${f##*/} ($(tr '\n' ' ' <"$f")) has members but none reaches another"
done
ktap_end "reach_count, p2p_hop and isolation groups agree with each other and the topology"

# Two functions of one isolation group in two IOMMU groups: both IOMMU
# groups are narrower than the hardware allows, and must be reported.
ktap_begin
grep '^group-narrower ' "$t/audit.list" | cut -d ' ' -f 4 | sort -u >"$t/narrow.reported"
: >"$t/narrow.want"
for f in "$t"/iso/*; do
	[ -f "$f" ] || continue
	groups=$(for a in $(cat "$f"); do sysfs_group "$a"; done | grep -v null | sort -u)
	[ "$(echo "$groups" | wc -w)" -ge 2 ] && echo "$groups" >>"$t/narrow.want"
	ktap_checked=$((ktap_checked + 1))
done
sort -u -o "$t/narrow.want" "$t/narrow.want"
ktap_expect "IOMMU groups reported narrower" \
	"$(tr '\n' ' ' <"$t/narrow.reported")" "$(tr '\n' ' ' <"$t/narrow.want")"
ktap_end "group-narrower is reported for exactly the groups that split an isolation group"

# acs_ctrl_baseline: read at load; nothing has changed ACS since.
check_baseline() {
	ktap_expect "$1 acs_ctrl_baseline" "$d_acs_ctrl_baseline" "$d_acs_ctrl"
}
ktap_begin
for_each_dev check_baseline
ktap_end "the ACS baseline is the control register as it is now"

if pthru_load_expect; then
	ktap_begin
	if expect_topology_ok; then
		printf '%s\n' "$expect_reach" | sed 's/#.*//' >"$t/reach"
		while read -r a count hop; do
			[ -n "$a" ] || continue
			if [ ! -f "$t/dev.$a" ]; then
				ktap_mismatch "$a is not in the dev dump"
				continue
			fi
			. "$t/dev.$a"
			ktap_expect "$a reach_count" "$d_reach_count" "$count"
			ktap_expect "$a p2p_hop" "$d_p2p_hop" "$hop"
		done <"$t/reach"
		# Every isolation group of more than one function, as listed.
		printf '%s\n' "$expect_isolation_groups" | sed 's/#.*//' |
			while read -r members; do
				[ -n "$members" ] && echo "$members" | tr ' ' '\n' | sort | tr '\n' ' ' &&
					echo
			done | sort >"$t/iso.want"
		for f in "$t"/iso/*; do
			[ -f "$f" ] || continue
			[ "$(($(wc -l <"$f")))" -ge 2 ] && sort "$f" | tr '\n' ' ' && echo
		done | sort >"$t/iso.got"
		ktap_expect "isolation groups of more than one function" \
			"$(tr '\n' ';' <"$t/iso.got")" "$(tr '\n' ';' <"$t/iso.want")"
	else
		ktap_mismatch "the guest's topology is not the one $PTHRU_TEST_EXPECT describes"
	fi
	ktap_end "reachability and isolation groups are the profile's expected ones"
else
	ktap_test_skip "reachability and isolation groups are the profile's expected ones" \
		"no expectations for this host (PTHRU_TEST_EXPECT)"
fi

# check ADDR for every function: exit 0 and assignable, or exit 1 with
# reasons; the JSON has the contract's keys.
check_keys="schema source addr assignable established reasons notes with_group sriov not_established"
check_one() {
	local rc want

	pthructl -j check "$1" >"$t/check" 2>"$t/err"
	rc=$?
	json_load c_ "$(cat "$t/check")"
	ktap_expect "keys of 'check $1'" "$c__keys" "$check_keys"
	ktap_expect "lines of 'check $1'" "$(($(wc -l <"$t/check")))" 1
	ktap_expect "addr of 'check $1'" "$c_addr" "$1"
	case $c_assignable in
	true) want=0 ;;
	false) want=1 ;;
	*) ktap_mismatch "check $1: assignable '$c_assignable' is not a boolean"; return ;;
	esac
	ktap_expect "exit status of 'check $1' (assignable $c_assignable)" "$rc" $want
	if [ "$c_assignable" = false ] && [ "$c_reasons" = "[]" ]; then
		ktap_mismatch "check $1: not assignable but no reason given"
	fi
	if [ "$c_assignable" = true ] && [ "$c_reasons" != "[]" ]; then
		ktap_mismatch "check $1: assignable but with reasons $c_reasons"
	fi
	# Reasons: the findings of medium or worse that bear on the function
	# (hazard --dev), and being a bridge; notes: the other findings.
	pthructl -j hazard --dev "$1" >"$t/h.dev" 2>"$t/err"
	findings_of "$t/h.dev" >"$t/h.list"
	want=$(awk '$2 == "medium" || $2 == "high" || $2 == "critical"' "$t/h.list" | wc -l)
	is_bridge "$1" && want=$((want + 1))
	ktap_expect "reasons of 'check $1'" "$(count_objects "$c_reasons")" "$((want))"
	ktap_expect "notes of 'check $1'" "$(count_objects "$c_notes")" \
		"$(awk '$2 == "info" || $2 == "low"' "$t/h.list" | wc -l | tr -d ' ')"
	echo "$1 $c_assignable" >>"$t/verdicts"
}

# count_objects ARRAY: the finding objects in a JSON array of them.
count_objects() {
	printf '%s\n' "$1" | grep -o '"severity":' | wc -l | tr -d ' '
}
ktap_begin
: >"$t/verdicts"
for_each_dev check_one
ktap_end "check answers for every function: reasons are its medium+ findings, exit status follows"

if pthru_load_expect; then
	ktap_begin
	for a in $expect_assignable; do
		ktap_expect "check $a" "$(sed -n "s/^$a //p" "$t/verdicts")" true
	done
	for a in $expect_not_assignable; do
		ktap_expect "check $a" "$(sed -n "s/^$a //p" "$t/verdicts")" false
	done
	ktap_end "check gives the profile's expected verdicts"
else
	ktap_test_skip "check gives the profile's expected verdicts" \
		"no expectations for this host (PTHRU_TEST_EXPECT)"
fi

# The last check document, against its JSON Schema.
json_schema_check check "$t/check"

ktap_finished
