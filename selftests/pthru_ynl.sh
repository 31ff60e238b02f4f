#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The family as the spec describes it: every read operation driven by the
# kernel's own YNL CLI (tools/net/ynl/cli.py, which encodes and decodes
# from Documentation/netlink/specs/pthru.yaml alone, not from pthru's uapi
# header), its answers compared with pthructl's for the same objects, and
# a subscription to the inventory group that sees a bind and an unbind.
#
# Needs python3 with PyYAML, the CLI and the spec.  They are looked up as
# the tree lays them out beside selftests/: ../tools/net/ynl/cli.py (or
# ../build/ynl/linux-source-6.12/tools/net/ynl/cli.py, which
# scripts/ynl-regen.sh unpacks) and ../Documentation/netlink/specs/
# pthru.yaml; PTHRU_YNL_CLI and PTHRU_YNL_SPEC override them.  The test
# skips, saying which is missing, when one is absent.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool

top=$(cd "$ktap_dir/.." && pwd)
spec=${PTHRU_YNL_SPEC:-$top/Documentation/netlink/specs/pthru.yaml}
cli=${PTHRU_YNL_CLI:-}
if [ -z "$cli" ]; then
	for c in "$top/tools/net/ynl/cli.py" \
		 "$top/build/ynl/linux-source-6.12/tools/net/ynl/cli.py"; do
		[ -f "$c" ] && cli=$c && break
	done
fi
python=
for p in python3 /usr/bin/python3; do
	python=$(command -v "$p" 2>/dev/null) && break
done
[ -n "$python" ] ||
	ktap_skip_all "no python3 here: the ynl CLI needs python3 and PyYAML" \
		"(a guest needs /usr/bin/python3, its standard library, PyYAML," \
		"tools/net/ynl/ and Documentation/netlink/specs/pthru.yaml)"
"$python" -c 'import yaml' 2>/dev/null ||
	ktap_skip_all "$python has no PyYAML (the ynl CLI imports yaml)"
[ -n "$cli" ] && [ -f "$cli" ] ||
	ktap_skip_all "the kernel's ynl CLI is not at $top/tools/net/ynl/cli.py" \
		"(scripts/ynl-regen.sh unpacks it into build/ynl; or set PTHRU_YNL_CLI)"
[ -f "$spec" ] || ktap_skip_all "no spec at $spec (set PTHRU_YNL_SPEC)"

ktap_tmpdir
t=$ktap_tmp
ynl_pid=
ktap_cleanup_hook() {
	[ -n "$ynl_pid" ] && kill "$ynl_pid" 2>/dev/null
	[ -n "${bind_addr:-}" ] && bind_restore
}

ktap_set_plan 11

# ynl OUT ARGS...: run the CLI with JSON output into OUT (stderr in
# OUT.err); 1 with a diagnostic when it fails.
ynl() {
	local out=$1

	shift
	if ! "$python" "$cli" --spec "$spec" --no-schema --output-json "$@" \
		>"$out" 2>"$out.err"; then
		ktap_mismatch "ynl $*: $(tail -n 1 "$out.err") $(tail -n 1 "$out")"
		return 1
	fi
	# An error is printed on stdout, and the CLI exits 1 for it; a reply
	# is one JSON value.
	"$python" -c 'import json, sys; json.load(open(sys.argv[1]))' "$out" \
		2>/dev/null && return 0
	ktap_mismatch "ynl $*: not JSON: $(head -c 300 "$out")"
	return 1
}

# py FILE EXPRESSION: print EXPRESSION of the JSON in FILE (as d); lists
# are printed one item a line, None as null.
py() {
	"$python" - "$1" "$2" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	v = eval(sys.argv[2], {"d": d, "json": json})
	def show(x):
	    return "null" if x is None else str(x)
	if isinstance(v, (list, tuple)):
	    for x in v:
	        print(show(x))
	else:
	    print(show(v))
	EOF
}

# count_lines FILE: how many lines FILE has.
count_lines() {
	echo $(($(wc -l <"$1")))
}

# ---------------------------------------------------------------------
# status-get: the counts pthructl reports.

ktap_begin
if ynl "$t/status" --do status-get; then
	pthructl -j status >"$t/pstatus" 2>&1
	json_load s_ "$(head -n 1 "$t/pstatus")"
	ktap_expect "status dev-count (ynl vs pthructl)" \
		"$(py "$t/status" 'd["dev-count"]')" "$s_dev_count"
	ktap_expect "status group-count (ynl vs pthructl)" \
		"$(py "$t/status" 'd["group-count"]')" "$s_group_count"
	ktap_expect "status kernel-release" \
		"$(py "$t/status" 'd["kernel-release"]')" "$(uname -r)"
fi
ktap_end "ynl status-get answers with the counts pthructl reports"

# ---------------------------------------------------------------------
# dev-get: the dump lists what pthructl lists; a do answers for one.

ktap_begin
if ynl "$t/devs" --dump dev-get; then
	pthructl -j dev >"$t/pdevs" 2>&1
	json_dump_objects "$t/pdevs" |
		sed -n 's/^{"addr":"\([^"]*\)".*/\1/p' | sort >"$t/paddrs"
	py "$t/devs" '[m["addr"] for m in d]' | sort >"$t/yaddrs"
	ktap_expect "dev-get dump count vs pthructl -j dev" \
		"$(count_lines "$t/yaddrs")" "$(count_lines "$t/paddrs")"
	ktap_expect "dev-get dump count vs status dev-count" \
		"$(count_lines "$t/yaddrs")" "$(py "$t/status" 'd["dev-count"]')"
	ktap_expect "dev-get dump addresses vs pthructl -j dev" \
		"$(tr '\n' ' ' <"$t/yaddrs")" "$(tr '\n' ' ' <"$t/paddrs")"
fi
ktap_end "ynl dev-get dump lists the functions pthructl lists"

ktap_begin
addr=$(head -n 1 "$t/yaddrs" 2>/dev/null)
if [ -z "$addr" ]; then
	ktap_mismatch "no function to get"
elif ynl "$t/dev" --do dev-get --json "{\"addr\": \"$addr\"}"; then
	ktap_expect "dev-get do addr" "$(py "$t/dev" 'd["addr"]')" "$addr"
	ktap_expect "dev-get do vendor vs sysfs" \
		"$(py "$t/dev" 'int(str(d["vendor"]), 0)')" \
		"$(($(cat "$pci_devices/$addr/vendor")))"
	ktap_expect "dev-get do device vs sysfs" \
		"$(py "$t/dev" 'int(str(d["device"]), 0)')" \
		"$(($(cat "$pci_devices/$addr/device")))"
	ktap_expect "dev-get do group-id vs sysfs" \
		"$(py "$t/dev" 'd.get("group-id")')" "$(sysfs_group "$addr")"
fi
ktap_end "ynl dev-get do answers for $addr as sysfs says"

# ---------------------------------------------------------------------
# group-get

ktap_begin
if ynl "$t/groups" --dump group-get; then
	pthructl -j group >"$t/pgroups" 2>&1
	ktap_expect "group-get dump count vs pthructl -j group" \
		"$(py "$t/groups" 'len(d)')" \
		"$(json_dump_objects "$t/pgroups" | grep -c '^{')"
	ktap_expect "group-get dump count vs status group-count" \
		"$(py "$t/groups" 'len(d)')" "$(py "$t/status" 'd["group-count"]')"
	id=$(py "$t/groups" 'd[0]["id"] if d else ""')
	if [ -z "$id" ]; then
		ktap_mismatch "no group to get"
	elif ynl "$t/group" --do group-get --json "{\"id\": $id}"; then
		ktap_expect "group-get do id" "$(py "$t/group" 'd["id"]')" "$id"
		ktap_expect "group-get do members vs sysfs" \
			"$(py "$t/group" 'sorted(d.get("member", []))' | tr '\n' ' ')" \
			"$(ls "/sys/kernel/iommu_groups/$id/devices" | sort | tr '\n' ' ')"
	fi
fi
ktap_end "ynl group-get dump and do answer as pthructl and sysfs"

# ---------------------------------------------------------------------
# hazard-get: a dump of one finding a message, the findings pthructl
# shows (but the cmdline-weakening ones, which pthructl raises itself).

ktap_begin
if ynl "$t/hazards" --dump hazard-get; then
	ktap_expect "messages without exactly one finding" \
		"$(py "$t/hazards" 'sum(1 for m in d if not isinstance(m.get("finding"), dict))')" 0
	py "$t/hazards" '["%s %s %s %s" % (f["id"], f["severity"], f.get("addr") or "null", f.get("group-id", "null")) for f in (m["finding"] for m in d)]' |
		sort >"$t/yfind"
	pthructl -j hazard >"$t/phazard" 2>&1
	findings_of "$t/phazard" | grep -v '^cmdline-weakening ' | sort >"$t/pfind"
	ktap_expect "hazard-get findings vs pthructl -j hazard" \
		"$(tr '\n' ';' <"$t/yfind")" "$(tr '\n' ';' <"$t/pfind")"
fi
ktap_end "ynl hazard-get dump answers the findings pthructl shows"

# ---------------------------------------------------------------------
# policy-get and rule-get

ktap_begin
if ynl "$t/policy" --do policy-get && ynl "$t/rules" --dump rule-get; then
	ktap_expect "rule-get dump count vs policy-get rule-count" \
		"$(py "$t/rules" 'len(d)')" "$(py "$t/policy" 'd["rule-count"]')"
	ktap_expect "rule-get messages without exactly one rule" \
		"$(py "$t/rules" 'sum(1 for m in d if not isinstance(m.get("rule"), dict))')" 0
	case $(py "$t/policy" 'd["mode"]') in
	off | audit | enforce) ktap_checked=$((ktap_checked + 1)) ;;
	*) ktap_mismatch "policy-get mode: $(py "$t/policy" 'd.get("mode")')" ;;
	esac
fi
ktap_end "ynl policy-get and rule-get dump agree on the rules"

# ---------------------------------------------------------------------
# policy-test with a small policy: allow everything by default, deny by a
# rule one function the policy applies to (the dump leaves bridges and
# ports out: the first function it decides for).

paddr=
ynl "$t/pall" --dump policy-test --json '{"default-action": "allow"}' 2>/dev/null &&
	paddr=$(py "$t/pall" 'd[0]["decision"]["addr"] if d else ""')
pol="\"default-action\": \"allow\", \"rule\": [{\"id\": 1, \"action\": \"deny\", \"addr\": \"$paddr\"}]"
ktap_begin
if [ -z "$paddr" ]; then
	ktap_mismatch "policy-test dump with an allow default decided for no function: $(head -c 300 "$t/pall")"
elif ynl "$t/ptest" --do policy-test --json "{$pol, \"test-addr\": \"$paddr\"}"; then
	ktap_expect "policy-test do decision addr" \
		"$(py "$t/ptest" 'd["decision"]["addr"]')" "$paddr"
	ktap_expect "policy-test do verdict" \
		"$(py "$t/ptest" 'd["decision"]["verdict"]')" deny
	ktap_expect "policy-test do rule-id" \
		"$(py "$t/ptest" 'd["decision"].get("rule-id")')" 1
fi
ktap_end "ynl policy-test do decides for test-addr by the request's rule"

ktap_begin
if [ -n "$paddr" ] && ynl "$t/pdump" --dump policy-test --json "{$pol}" &&
   ynl "$t/pdump1" --dump policy-test --json "{$pol, \"test-addr\": \"$paddr\"}"; then
	ktap_expect "policy-test dump count, with and without the rule" \
		"$(py "$t/pdump" 'len(d)')" "$(py "$t/pall" 'len(d)')"
	ktap_expect "policy-test dump messages without one decision" \
		"$(py "$t/pdump" 'sum(1 for m in d if not isinstance(m.get("decision"), dict))')" 0
	ktap_expect "policy-test dump: functions denied" \
		"$(py "$t/pdump" '[m["decision"]["addr"] for m in d if m["decision"]["verdict"] == "deny"]' | tr '\n' ' ')" \
		"$paddr "
	ktap_expect "policy-test dump of test-addr" \
		"$(py "$t/pdump1" '[m["decision"]["addr"] for m in d]' | tr '\n' ' ')" "$paddr "
fi
ktap_end "ynl policy-test dump decides for every function, or test-addr only"

# ---------------------------------------------------------------------
# map-get and stats-get: the dump has as many ranges as the shadow.

ktap_begin
if ynl "$t/stats" --do stats-get && ynl "$t/maps" --dump map-get; then
	ktap_expect "map-get dump count vs stats-get ranges" \
		"$(py "$t/maps" 'len(d)')" "$(py "$t/stats" 'd.get("ranges", 0)')"
	ktap_expect "map-get ranges with phys-hidden (root has CAP_SYS_ADMIN)" \
		"$(py "$t/maps" 'sum(1 for m in d if "phys-hidden" in m)')" 0
	pthructl -j map show >"$t/pmap" 2>&1
	ktap_diag "map-get: $(py "$t/maps" 'len(d)') range(s); stats: $(py "$t/stats" 'd.get("domains")') domain(s)"
fi
ktap_end "ynl map-get dump and stats-get answer and agree"

ktap_begin
if ynl "$t/stats" --do stats-get; then
	ktap_expect "stats-get armed is 0 or 1" \
		"$(py "$t/stats" 'd["armed"] in (0, 1)')" True
	ktap_expect "stats-get incomplete-domains <= domains" \
		"$(py "$t/stats" 'd.get("incomplete-domains", 0) <= d["domains"]')" True
fi
ktap_end "ynl stats-get answers"

# ---------------------------------------------------------------------
# The inventory group: a subscriber sees a function move to vfio-pci and
# back.  Only the QEMU edu device (1234:11e8), which nothing uses, moves.

bind_addr=
bind_orig=
vfio=/sys/bus/pci/drivers/vfio-pci

bind_restore() {
	local dev=$pci_devices/$bind_addr

	echo >"$dev/driver_override" 2>/dev/null
	[ "$(sysfs_driver "$bind_addr")" = vfio-pci ] &&
		echo "$bind_addr" >$vfio/unbind
	[ "$bind_orig" != null ] && [ "$(sysfs_driver "$bind_addr")" = null ] &&
		echo "$bind_addr" >/sys/bus/pci/drivers_probe 2>/dev/null
	bind_addr=
}

# The CLI's socket has joined a group (see monitor_subscribed).
ynl_subscribed() {
	awk -v pid="$ynl_pid" '$2 == 16 && $3 == pid && $4 !~ /^0+$/ { f = 1 }
		END { exit !f }' /proc/net/netlink
}

edu=$(pci_find_device 0x1234 0x11e8)
[ -d $vfio ] || modprobe vfio-pci 2>/dev/null
if [ -z "$edu" ]; then
	ktap_test_skip "ynl --subscribe inventory sees dev-bind-ntf and dev-unbind-ntf" \
		"no QEMU edu device to rebind"
elif [ ! -d $vfio ]; then
	ktap_test_skip "ynl --subscribe inventory sees dev-bind-ntf and dev-unbind-ntf" \
		"the vfio-pci driver is not available"
else
	ktap_begin
	# The CLI joins, sleeps (long enough for the moves below), then
	# prints every notification it got.
	"$python" "$cli" --spec "$spec" --no-schema --output-json \
		--subscribe inventory --sleep 12 >"$t/ntf" 2>"$t/ntf.err" &
	ynl_pid=$!
	if wait_for 25 ynl_subscribed; then
		bind_addr=$edu
		bind_orig=$(sysfs_driver "$edu")
		dev=$pci_devices/$edu
		[ "$bind_orig" != null ] && echo "$edu" >"$dev/driver/unbind"
		echo vfio-pci >"$dev/driver_override"
		echo "$edu" >/sys/bus/pci/drivers_probe
		ktap_expect "driver of $edu after drivers_probe" \
			"$(sysfs_driver "$edu")" vfio-pci
		bind_restore
	else
		ktap_mismatch "the CLI did not join a group in 25 s: $(tail -n 1 "$t/ntf.err")"
	fi
	wait "$ynl_pid"
	ktap_expect "exit status of ynl --subscribe" $? 0
	ynl_pid=
	for ev in dev-bind-ntf dev-unbind-ntf; do
		ktap_expect "$ev for $edu naming vfio-pci" \
			"$(py "$t/ntf" "sum(1 for n in d if n['name'] == '$ev' and n['msg'].get('addr') == '$edu' and n['msg'].get('driver') == 'vfio-pci')" 2>&1)" 1
	done
	ktap_end "ynl --subscribe inventory sees dev-bind-ntf and dev-unbind-ntf"
fi

ktap_finished
