#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# An unprivileged caller cannot make the module re-evaluate: "audit" is an
# admin-perm operation (CAP_NET_ADMIN).  pthructl then falls back to the
# module's current findings, says so in one note on stderr and with
# "refreshed":false, and still exits 0; the findings are the ones root
# sees.  Reading (hazard, check) needs no privilege.  Run through the
# helper pthru_nocap, as root without CAP_NET_ADMIN and as uid 65534.
# As uid 65534, "map show" hides the physical address of every range of a
# VFIO domain (edu on vfio-pci, mapped by pthru_vfio_map): "phys":null,
# "phys_hidden":true; and "monitor" says on stderr that it cannot join the
# alerts group (it needs CAP_NET_ADMIN).

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
nocap=$ktap_dir/pthru_nocap
[ -x "$nocap" ] || ktap_skip_all "$nocap is not built (make -C selftests)"
ktap_tmpdir
ktap_set_plan 8
prog=$ktap_dir/pthru_vfio_map
vfio=/sys/bus/pci/drivers/vfio-pci
prog_pid=
mon_pid=
edu_orig=
ktap_cleanup_hook() {
	[ -n "$mon_pid" ] && kill "$mon_pid" 2>/dev/null
	prog_kill
	[ -n "$edu_orig" ] && restore_driver "$edu" "$edu_orig"
	policy_restore
}

t=$ktap_tmp
audit_findings "$t/root"
ktap_diag "root: $(head -n 1 "$t/root" | sed -n 's/.*\("refreshed":[a-z]*\).*/\1/p')," \
	"$(wc -l <"$t/root.list" | tr -d ' ') finding(s)"

# as_unprivileged HOW NAME: one test of "pthructl -j audit --fail-on none"
# run through pthru_nocap with HOW ("" or "-u 65534").
as_unprivileged() {
	local how=$1 rc

	ktap_begin
	# shellcheck disable=SC2086 # HOW is zero or two words
	"$nocap" $how "$PTHRUCTL" -j audit --fail-on none >"$t/out" 2>"$t/err"
	rc=$?
	ktap_expect "exit status" "$rc" 0
	ktap_expect "lines on stderr" "$(($(wc -l <"$t/err")))" 1
	case $(head -n 1 "$t/err") in
	"pthructl: note: "*CAP_NET_ADMIN*) ;;
	*) ktap_mismatch "stderr '$(head -n 1 "$t/err")' is not a note naming CAP_NET_ADMIN" ;;
	esac
	ktap_checked=$((ktap_checked + 1))
	head -n 1 "$t/out" | grep -q '"refreshed":false,' ||
		ktap_mismatch "the report does not say \"refreshed\":false: $(head -n 1 "$t/out")"
	ktap_expect "findings" "$(findings_of "$t/out" | sort | tr '\n' ';')" \
		"$(tr '\n' ';' <"$t/root.list")"
	ktap_end "$2"
}

ktap_begin
ktap_checked=1
head -n 1 "$t/root" | grep -q '"refreshed":true,' ||
	ktap_mismatch "root's report does not say \"refreshed\":true: $(head -n 1 "$t/root")"
ktap_end "root's audit re-evaluates"

as_unprivileged "" "without CAP_NET_ADMIN, audit falls back to the current findings and notes it"
as_unprivileged "-u 65534" "as uid 65534, audit falls back to the current findings and notes it"

# no_phys: the JSON on stdin with the findings' host physical addresses
# null, as a caller without CAP_SYS_ADMIN gets them (schema 2).
no_phys() {
	sed -E 's/"(phys|phys_expected)":"0x[0-9a-f]*"/"\1":null/g'
}

# Reading needs no privilege; only CAP_SYS_ADMIN sees physical addresses.
reads_as() {
	local how=$1 a

	ktap_begin
	# shellcheck disable=SC2086
	"$nocap" $how "$PTHRUCTL" -j hazard >"$t/out" 2>"$t/err"
	ktap_expect "exit status of hazard" $? 0
	ktap_expect "hazard findings" "$(findings_of "$t/out" | sort | tr '\n' ';')" \
		"$(grep -v '^cmdline-weakening ' "$t/root.list" | tr '\n' ';')"
	for a in $(pci_addrs); do
		pthructl -j check "$a" >"$t/want" 2>&1
		# shellcheck disable=SC2086
		"$nocap" $how "$PTHRUCTL" -j check "$a" >"$t/out" 2>&1
		ktap_expect "check $a" "$(no_phys <"$t/out")" \
			"$(no_phys <"$t/want")"
	done
	ktap_end "$2"
}
reads_as "" "without CAP_NET_ADMIN, hazard and check answer as for root"
reads_as "-u 65534" "as uid 65534, hazard and check answer as for root"

ktap_begin
"$nocap" -u 65534 "$PTHRUCTL" -j audit --no-refresh --fail-on none >"$t/out" 2>"$t/err"
ktap_expect "exit status of audit --no-refresh as uid 65534" $? 0
ktap_expect "findings" "$(findings_of "$t/out" | sort | tr '\n' ';')" \
	"$(tr '\n' ';' <"$t/root.list")"
ktap_end "audit --no-refresh needs no privilege"

# monitor as uid 65534: inventory only, and a note on stderr saying so.
ktap_begin
"$nocap" -u 65534 "$PTHRUCTL" monitor >"$t/mon" 2>"$t/mon.err" &
mon_pid=$!
wait_for 10 grep -q alerts "$t/mon.err"
kill "$mon_pid" 2>/dev/null
wait "$mon_pid" 2>/dev/null
mon_pid=
ktap_checked=$((ktap_checked + 1))
grep -q '^pthructl: .*alerts.*CAP_NET_ADMIN' "$t/mon.err" ||
	ktap_mismatch "stderr does not say the alerts group needs CAP_NET_ADMIN: $(head -n 2 "$t/mon.err" | tr '\n' ' ')"
ktap_end "as uid 65534, monitor says on stderr that it cannot see the alerts group"

# map show as uid 65534 while a VFIO domain is mapped: no range shows its
# physical address; root's show it.
map_name="as uid 65534, map show has phys null and phys_hidden true for every range"
policy_subjects
edu_vfio_group
why=
[ -x "$prog" ] || why="$prog is not built (make -C selftests)"
[ -n "$why" ] || why=$(vfio_missing)
[ -n "$why" ] || why=$edu_why
if [ -z "$why" ]; then
	policy_must_answer
	if [ "$pol_locked" = false ]; then
		policy_keep
		policy_allow_all || why="pthructl policy load: $(head -n 1 "$t/load.err")"
	fi
fi
if [ -z "$why" ]; then
	edu_orig=$(sysfs_driver "$edu")
	to_vfio "$edu" "$group" || why="$move_err (policy mode $pol_mode, locked $pol_locked)"
fi
if [ -z "$why" ]; then
	prog_start || why="mkfifo failed"
fi
mapped=
if [ -z "$why" ]; then
	if prog_wait "wait mapped"; then
		mapped=1
	elif grep -q '^skip: ' "$t/out"; then
		why="pthru_vfio_map: $(sed -n 's/^skip: //p' "$t/out")"
	fi
fi
if [ -n "$why" ]; then
	ktap_test_skip "$map_name" "$why"
else
	ktap_begin
	[ -n "$mapped" ] || { prog_fail_diag; ktap_mismatch "pthru_vfio_map did not map"; }
	# map_lines HOW OUT: "phys phys_hidden" of each range of $group.
	map_lines() {
		local line

		# shellcheck disable=SC2086 # HOW is zero or two words
		"$nocap" $1 "$PTHRUCTL" -j map show >"$2.json" 2>"$2.err"
		ktap_expect "exit status of map show ${1:-as root}" $? 0
		json_dump_objects "$2.json" >"$2.lines"
		while read -r line; do
			json_load m_ "$line"
			[ "$m_group" = "$group" ] && echo "$m_phys $m_phys_hidden"
		done <"$2.lines" >"$2"
	}
	map_lines "-u 65534" "$t/hidden"
	n=$(($(wc -l <"$t/hidden")))
	[ "$n" -ge 1 ] || ktap_mismatch "uid 65534 sees no range of group $group"
	ktap_expect "ranges of group $group with a physical address as uid 65534" \
		"$(grep -vc '^null true$' "$t/hidden")" 0
	# Root (CAP_SYS_ADMIN) sees the same ranges, with their addresses.
	"$PTHRUCTL" -j map show >"$t/root-map.json" 2>&1
	json_dump_objects "$t/root-map.json" >"$t/root-map.lines"
	while read -r line; do
		json_load m_ "$line"
		[ "$m_group" = "$group" ] && echo "$m_phys $m_phys_hidden"
	done <"$t/root-map.lines" >"$t/shown"
	ktap_expect "ranges as root" "$(($(wc -l <"$t/shown")))" "$n"
	ktap_expect "ranges of group $group without a physical address as root" \
		"$(grep -c -v '^0x[0-9a-f]* false$' "$t/shown")" 0
	ktap_diag "group $group: $n range(s)"
	ktap_end "$map_name"
fi
prog_kill
[ -n "$edu_orig" ] && restore_driver "$edu" "$edu_orig"
edu_orig=
policy_restore
policy_kept=0

ktap_finished
