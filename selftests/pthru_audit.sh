#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The isolation audit: "pthructl -j audit" prints the contract's layout,
# every finding carries its stable ID, a severity and facts that agree with
# sysfs; the findings are exactly the ones the profile's expectation file
# lists (PTHRU_TEST_EXPECT, set in the test guest); the exit status follows
# --fail-on; "hazard" shows the module's findings with working filters; the
# human output and debugfs name every finding.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

finding_keys="id name severity addr group message remediation"
# The typed facts (schema 2), null when a finding's kind lacks them.
finding_keys="$finding_keys hop hop_kind acs_pos acs_ctrl acs_ctrl_baseline"
finding_keys="$finding_keys acs_needed reach_count peer peer_group_id"
finding_keys="$finding_keys isolation_group driver peer_driver region_type"
finding_keys="$finding_keys region_start region_end domain_id iova count"
finding_keys="$finding_keys domains memory_kind phys phys_expected"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
ktap_tmpdir
ktap_set_plan 14

t=$ktap_tmp
audit_findings "$t/audit"
audit_rc=$?

# check_layout FILE HEAD_RE: HEAD_RE matches the first line, ]} is the
# last, one finding object per line in between with commas after all
# but the last; each finding's members are checked by check_finding.
check_layout() {
	local file=$1 lines n=0 line

	lines=$(($(wc -l <"$file")))
	[ "$lines" -ge 2 ] || { ktap_mismatch "$file has $lines lines"; return; }
	ktap_checked=$((ktap_checked + 1))
	head -n 1 "$file" | grep -qE "$2" ||
		ktap_mismatch "first line '$(head -n 1 "$file")' does not match $2"
	ktap_expect "last line" "$(tail -n 1 "$file")" "]}"
	json_dump_objects "$file" >"$t/objects"
	while IFS= read -r line; do
		n=$((n + 1))
		case $line in
		*,) [ $n -lt $((lines - 2)) ] ||
			ktap_mismatch "finding $n: a comma after the last finding" ;;
		*) [ $n -eq $((lines - 2)) ] ||
			ktap_mismatch "finding $n: no comma after it" ;;
		esac
		json_load f_ "$line"
		ktap_expect "keys of finding $n" "$f__keys" "$finding_keys"
	done <"$t/objects"
}

ktap_begin
ktap_expect "exit status of 'pthructl -j audit --fail-on none'" "$audit_rc" 0
check_layout "$t/audit" '^\{"schema":2,"kind":"pthru-audit","source":"module",.*"summary":\{.*\},"not_established":\[\],"findings":\[$'
ktap_end "audit -j prints the contract's layout, one finding per line"

# Each finding against the spec and against sysfs.
check_finding() {
	local line=$1 want

	json_load f_ "$line"
	want=$(hazard_id "$f_name") || { ktap_mismatch "unknown finding name '$f_name'"; return; }
	ktap_expect "id of $f_name" "$f_id" "$want"
	[ "$(severity_rank "$f_severity")" -ge 0 ] ||
		ktap_mismatch "$f_id: severity '$f_severity' is not one of: $severity_names"
	[ -n "$f_message" ] || ktap_mismatch "$f_id ($f_addr): empty message"
	[ -n "$f_remediation" ] || ktap_mismatch "$f_id ($f_addr): empty remediation"
	if [ "$f_addr" != null ] && [ ! -d "$pci_devices/$f_addr" ]; then
		ktap_mismatch "$f_id names $f_addr, which sysfs does not have"
	fi
	if [ "$f_group" != null ] && [ ! -d "/sys/kernel/iommu_groups/$f_group" ]; then
		ktap_mismatch "$f_id names group $f_group, which sysfs does not have"
	fi
	if [ "$f_addr" != null ] && [ "$f_group" != null ]; then
		ktap_expect "$f_id: IOMMU group of $f_addr" "$(sysfs_group "$f_addr")" "$f_group"
	fi
	# The message states the facts: it names the function or the group.
	if [ "$f_addr" != null ]; then
		case $f_message in
		*"$f_addr"*) ;;
		*) ktap_mismatch "$f_id: message '$f_message' does not name $f_addr" ;;
		esac
	elif [ "$f_group" != null ]; then
		case $f_message in
		*"group $f_group"*) ;;
		*) ktap_mismatch "$f_id: message '$f_message' does not name group $f_group" ;;
		esac
	fi
}
ktap_begin
ktap_checked=1
json_dump_objects "$t/audit" | sed 's/,$//' >"$t/audit.objects"
while IFS= read -r line; do
	check_finding "$line"
done <"$t/audit.objects"
ktap_diag "$(wc -l <"$t/audit.list" | tr -d ' ') finding(s): $(cut -d ' ' -f 1 "$t/audit.list" | sort | uniq -c | tr -s ' \n' ' ')"
ktap_end "every finding has its stable ID, a severity, and facts sysfs confirms"

# The summary counts what the finding lines say.
ktap_begin
summary=$(head -n 1 "$t/audit" | sed -n 's/.*"summary":\({[^}]*}\).*/\1/p')
json_load s_ "$summary"
ktap_expect "summary keys" "$s__keys" "critical high medium low info total quirk_hops"
case ${s_quirk_hops:-} in
[0-9]*) ktap_checked=$((ktap_checked + 1)) ;;
*) ktap_mismatch "summary quirk_hops: got '${s_quirk_hops:-}', expected a count (the audit ran as root)" ;;
esac
ktap_expect "summary total" "${s_total:-}" "$(($(wc -l <"$t/audit.list")))"
for sev in $severity_names; do
	eval "got=\${s_$sev:-}"
	ktap_expect "summary $sev" "$got" \
		"$(awk -v s="$sev" '$2 == s' "$t/audit.list" | wc -l | tr -d ' ')"
done
ktap_end "the audit summary counts the findings by severity"

if pthru_load_expect; then
	ktap_begin
	if expect_topology_ok; then
		expect_resolve "$expect_findings" >"$t/expected"
		findings_compare "$t/expected" "$t/audit.list" >"$t/diff"
		ktap_checked=1
		while IFS= read -r line; do
			ktap_mismatch "$line"
		done <"$t/diff"
	else
		ktap_mismatch "the guest's topology is not the one $PTHRU_TEST_EXPECT describes"
	fi
	ktap_end "the audit reports exactly the profile's expected findings"
else
	ktap_test_skip "the audit reports exactly the profile's expected findings" \
		"no expectations for this host (PTHRU_TEST_EXPECT)"
fi

# --fail-on LEVEL: exit 1 when the worst finding is at LEVEL or above.
worst=-1
while read -r name sev rest; do
	r=$(severity_rank "$sev")
	[ "$r" -gt $worst ] && worst=$r
done <"$t/audit.list"
ktap_begin
for level in $severity_names default; do
	if [ $level = default ]; then
		pthructl -j audit >/dev/null 2>"$t/err"
		rc=$?
		lr=$(severity_rank high)
	else
		pthructl -j audit --fail-on $level >/dev/null 2>"$t/err"
		rc=$?
		lr=$(severity_rank $level)
	fi
	want=0
	[ $worst -ge "$lr" ] && want=1
	ktap_expect "exit status with --fail-on $level (worst finding: $worst)" "$rc" $want
done
pthructl audit --fail-on none >/dev/null 2>"$t/err"
ktap_expect "exit status of 'pthructl audit --fail-on none'" $? 0
ktap_end "audit exits 1 exactly when a finding reaches --fail-on (default high)"

# hazard shows the module's findings: the audit's, except the ones pthructl
# raises itself from the command line.
ktap_begin
pthructl -j hazard >"$t/hazard" 2>"$t/err"
ktap_expect "exit status of 'pthructl -j hazard'" $? 0
check_layout "$t/hazard" '^\{"schema":2,"findings":\[$'
findings_of "$t/hazard" | sort >"$t/hazard.list"
grep -v '^cmdline-weakening ' "$t/audit.list" >"$t/audit.module"
ktap_expect "hazard findings vs audit findings" \
	"$(tr '\n' ';' <"$t/hazard.list")" "$(tr '\n' ';' <"$t/audit.module")"
pthructl -j hazard list >"$t/hazard2" 2>"$t/err"
ktap_expect "'hazard list' vs 'hazard'" "$(cat "$t/hazard2")" "$(cat "$t/hazard")"
ktap_end "hazard lists the module's findings, as the audit does"

ktap_begin
for sev in $severity_names; do
	pthructl -j hazard --severity "$sev" >"$t/h.$sev" 2>"$t/err"
	ktap_expect "exit status of 'pthructl -j hazard --severity $sev'" $? 0
	r=$(severity_rank "$sev")
	while read -r name s rest; do
		[ "$(severity_rank "$s")" -ge "$r" ] && echo "$name $s $rest"
	done <"$t/hazard.list" | sort >"$t/want"
	ktap_expect "findings at $sev or above" \
		"$(findings_of "$t/h.$sev" | sort | tr '\n' ';')" "$(tr '\n' ';' <"$t/want")"
done
ktap_end "hazard --severity keeps the findings at or above it"

# --dev ADDR: the findings about ADDR, about its IOMMU group, and the
# host-wide ones.
ktap_begin
for a in $(pci_addrs); do
	g=$(sysfs_group "$a")
	pthructl -j hazard --dev "$a" >"$t/h.dev" 2>"$t/err"
	ktap_expect "exit status of 'pthructl -j hazard --dev $a'" $? 0
	while read -r name s addr group; do
		if [ "$addr" = "$a" ] || { [ "$g" != null ] && [ "$group" = "$g" ]; } ||
		   { [ "$addr" = null ] && [ "$group" = null ]; }; then
			echo "$name $s $addr $group"
		fi
	done <"$t/hazard.list" | sort >"$t/want"
	ktap_expect "findings bearing on $a" \
		"$(findings_of "$t/h.dev" | sort | tr '\n' ';')" "$(tr '\n' ';' <"$t/want")"
done
ktap_end "hazard --dev selects the function's, its group's and host-wide findings"

ktap_begin
pthructl -j audit --no-refresh --fail-on none >"$t/norefresh" 2>"$t/err"
ktap_expect "exit status of 'pthructl -j audit --no-refresh --fail-on none'" $? 0
ktap_checked=$((ktap_checked + 1))
head -n 1 "$t/norefresh" | grep -q '"refreshed":false,' ||
	ktap_mismatch "the report does not say \"refreshed\":false"
grep -q '^pthructl: note: .*no-refresh' "$t/err" ||
	ktap_mismatch "no note on stderr that the findings were not re-evaluated"
ktap_expect "findings without a refresh" \
	"$(findings_of "$t/norefresh" | sort | tr '\n' ';')" "$(tr '\n' ';' <"$t/audit.list")"
ktap_end "audit --no-refresh reports the same findings on an unchanged host"

# The human output names every finding's ID and function (or group).
ktap_begin
ktap_checked=1
pthructl audit --fail-on none >"$t/human" 2>"$t/err"
ktap_expect "exit status of 'pthructl audit --fail-on none'" $? 0
[ -s "$t/err" ] && ktap_mismatch "pthructl audit wrote to stderr: $(head -n 1 "$t/err")"
while read -r name s addr group; do
	id=$(hazard_id "$name")
	if [ "$addr" != null ]; then
		grep -F "$id" "$t/human" | grep -qF "$addr" ||
			ktap_mismatch "no line of 'pthructl audit' names $id and $addr"
	else
		grep -qF "$id" "$t/human" ||
			ktap_mismatch "no line of 'pthructl audit' names $id"
	fi
done <"$t/audit.list"
ktap_end "the human audit output names every finding"

# debugfs: hazards names every finding, paths every function's path.
ktap_begin
for f in hazards paths; do
	if [ ! -f "$pthru_debugfs/$f" ]; then
		ktap_mismatch "$pthru_debugfs/$f does not exist"
		continue
	fi
	ktap_expect "mode of $pthru_debugfs/$f" "$(stat -c %a "$pthru_debugfs/$f")" 444
	cat "$pthru_debugfs/$f" >"$t/debugfs.$f" 2>"$t/err" ||
		ktap_mismatch "cannot read $pthru_debugfs/$f: $(cat "$t/err")"
done
while read -r name s addr group; do
	if [ "$addr" != null ]; then
		grep -F "$name" "$t/debugfs.hazards" 2>/dev/null | grep -qF "$addr" ||
			ktap_mismatch "debugfs hazards has no line naming $name and $addr"
	else
		grep -qF "$name" "$t/debugfs.hazards" 2>/dev/null ||
			ktap_mismatch "debugfs hazards has no line naming $name"
	fi
done <"$t/audit.module"
for a in $(pci_addrs); do
	ktap_checked=$((ktap_checked + 1))
	grep -qF "$a" "$t/debugfs.paths" 2>/dev/null ||
		ktap_mismatch "debugfs paths does not name $a"
done
ktap_end "debugfs hazards names every finding and paths every function"

# An audit of an unchanged host raises and clears nothing.  The module
# sends an audit's events before its reply, so they are in the monitor's
# socket when the audit returns; two seconds is ample for the monitor to
# print them.  (That events are sent at all is pthru_acs_change.sh's.)
hazard_event_seen() {
	grep -q '"event":"hazard-' "$monitor_file"
}
ktap_begin
monitor_start "$t/events" || ktap_diag "the monitor did not start"
audit_findings "$t/again"
ktap_expect "findings of a second audit" \
	"$(tr '\n' ';' <"$t/again.list")" "$(tr '\n' ';' <"$t/audit.list")"
wait_for 2 hazard_event_seen &&
	ktap_mismatch "an unchanged host raised or cleared findings: $(grep '"event":"hazard-' "$t/events" | head -n 3 | tr '\n' ' ')"
monitor_stop
ktap_end "auditing an unchanged host raises and clears nothing"

# The documents read above, against their JSON Schemas.
json_schema_check audit "$t/audit"
json_schema_check hazard "$t/hazard"

ktap_finished
