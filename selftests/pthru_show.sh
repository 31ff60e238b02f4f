#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The single-object queries agree with the dumps (dev show ADDR with each
# dev dump line, group show ID with each group dump line); the human
# output lists what the dumps do; the read-only debugfs view exists with
# mode 0444 and lists every device and group.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool
ktap_tmpdir
ktap_set_plan 8

t=$ktap_tmp
pthructl -j dev >"$t/dev.json" 2>"$t/err" ||
	ktap_diag "pthructl -j dev failed: $(cat "$t/err")"
pthructl -j group >"$t/group.json" 2>"$t/err" ||
	ktap_diag "pthructl -j group failed: $(cat "$t/err")"
json_dump_objects "$t/dev.json" | sed 's/,$//' >"$t/devs"
json_dump_objects "$t/group.json" | sed 's/,$//' >"$t/groups"
sed -n 's/^{"addr":"\([^"]*\)".*/\1/p' "$t/devs" >"$t/addrs"
# Group members: the functions in a group (not the IOMMU's own function
# nor one the IOMMU did not take).
sed -n 's/^{"addr":"\([^"]*\)".*,"group":[0-9].*/\1/p' "$t/devs" >"$t/members"
sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$t/groups" >"$t/ids"

# show_agrees KIND: "pthructl -j KIND show X" prints X's dump line.
show_agrees() {
	local kind=$1 line key out rc

	while IFS= read -r line; do
		case $kind in
		dev) key=$(printf '%s\n' "$line" | sed -n 's/^{"addr":"\([^"]*\)".*/\1/p') ;;
		group) key=$(printf '%s\n' "$line" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p') ;;
		esac
		[ -n "$key" ] || { ktap_mismatch "no key in dump line: $line"; continue; }
		out=$(pthructl -j "$kind" show "$key" 2>&1)
		rc=$?
		ktap_expect "exit status of pthructl -j $kind show $key" "$rc" 0
		# A show names its source first; the dump's objects do not.
		ktap_expect "the source of pthructl -j $kind show $key" \
			"${out%%,*}" '{"source":"module"'
		ktap_expect "pthructl -j $kind show $key" "{${out#*,}" "$line"
	done
}

ktap_begin
show_agrees dev <"$t/devs"
ktap_end "dev show agrees with the dev dump for every device"

ktap_begin
show_agrees group <"$t/groups"
ktap_end "group show agrees with the group dump for every group"

# The human output names every device and every group of the dumps.
ktap_begin
for cmd in status dev group; do
	pthructl "$cmd" >"$t/human.$cmd" 2>"$t/err"
	ktap_expect "exit status of pthructl $cmd" $? 0
	[ -s "$t/human.$cmd" ] || ktap_mismatch "pthructl $cmd printed nothing"
	[ -s "$t/err" ] && ktap_mismatch "pthructl $cmd wrote to stderr: $(head -n 1 "$t/err")"
done
for a in $(cat "$t/addrs"); do
	grep -qF "$a" "$t/human.dev" || ktap_mismatch "pthructl dev does not list $a"
done
for a in $(cat "$t/members"); do
	grep -qF "$a" "$t/human.group" || ktap_mismatch "pthructl group does not list member $a"
done
ktap_end "human output of status, dev and group lists every device"

ktap_begin
for f in status devices groups; do
	if [ ! -f "$pthru_debugfs/$f" ]; then
		ktap_mismatch "$pthru_debugfs/$f does not exist"
		continue
	fi
	ktap_expect "mode of $pthru_debugfs/$f" "$(stat -c %a "$pthru_debugfs/$f")" 444
	cat "$pthru_debugfs/$f" >"$t/debugfs.$f" 2>"$t/err" ||
		ktap_mismatch "cannot read $pthru_debugfs/$f: $(cat "$t/err")"
	[ -s "$t/debugfs.$f" ] || ktap_mismatch "$pthru_debugfs/$f is empty"
done
ktap_end "debugfs status, devices and groups exist with mode 0444"

ktap_begin
for a in $(cat "$t/addrs"); do
	ktap_checked=$((ktap_checked + 1))
	grep -qF "$a" "$t/debugfs.devices" 2>/dev/null ||
		ktap_mismatch "debugfs devices does not list $a"
done
ktap_end "debugfs devices lists every device"

# Some line names each group's number and all its members.
ktap_begin
while IFS= read -r line; do
	json_load g_ "$line"
	ktap_checked=$((ktap_checked + 1))
	grep -E "(^|[^0-9])$g_id([^0-9]|\$)" "$t/debugfs.groups" >"$t/lines" 2>/dev/null
	for a in $(json_strings "$g_members"); do
		grep -F "$a" "$t/lines" >"$t/lines.next"
		mv "$t/lines.next" "$t/lines"
	done
	[ -s "$t/lines" ] ||
		ktap_mismatch "no line of debugfs groups names group $g_id with members $(json_strings "$g_members")"
done <"$t/groups"
ktap_end "debugfs groups lists every group and its members"

# The single objects, against their JSON Schemas.
pthructl -j dev show "$(head -n 1 "$t/addrs")" >"$t/dev-show.json" 2>"$t/err"
json_schema_check dev-show "$t/dev-show.json"
pthructl -j group show "$(head -n 1 "$t/ids")" >"$t/group-show.json" 2>"$t/err"
json_schema_check group-show "$t/group-show.json"

ktap_finished
