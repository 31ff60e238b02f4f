#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The audit without the module.  With pthru unloaded, pthructl reads sysfs
# and runs the module's rules itself ("source":"sysfs").  On the same
# guest, its findings (name, severity, address, group) must be the
# module's: none the module does not raise, and every one the module
# raises, unless the sysfs audit lists that rule as not established for
# that function, group or host (a fact sysfs does not show; the table in
# Documentation/usage.rst).  Then:
#  - a snapshot saved here evaluates here to the same findings, and goes
#    to the build host on the result channel ("# pthru-snapshot: " lines,
#    with "# pthru-snapshot-findings: " ones), where
#    selftests/vm/snapshot-check.sh evaluates it with the host's pthructl;
#  - "pthructl snapshot diff" of snapshots taken before and after a write
#    of the profile's ACS port's control register shows that one change;
#  - without CAP_SYS_ADMIN, config space cannot be read: the audit still
#    runs, says what it could not read, and raises nothing that rests on
#    the capabilities.
# The module is loaded again at the end ($PTHRU_KO, else modprobe).

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
if [ -n "${PTHRU_KO:-}" ]; then
	[ -f "$PTHRU_KO" ] || ktap_skip_all "PTHRU_KO=$PTHRU_KO does not exist"
else
	modprobe -n pthru 2>/dev/null ||
		ktap_skip_all "cannot reload: pthru is not installed (set PTHRU_KO=path/to/pthru.ko)"
fi
[ -x "$ktap_dir/pthru_nocap" ] ||
	ktap_skip_all "$ktap_dir/pthru_nocap is not built (make -C selftests)"

pthru_load_expect || true
port=${PTHRU_TEST_ACS_PORT:-${expect_acs_port:-}}

ktap_tmpdir
t=$ktap_tmp
ctrl_off=
old=
ktap_cleanup_hook() {
	[ -z "$ctrl_off" ] || [ "$(cfg_read "$port" "$ctrl_off" 2)" = "$old" ] ||
		cfg_write16 "$port" "$ctrl_off" "$old"
	pthru_module_loaded || load_module >/dev/null 2>&1
}

load_module() {
	if [ -n "${PTHRU_KO:-}" ]; then
		insmod "$PTHRU_KO"
	else
		modprobe pthru
	fi
}

# unsettled_of FILE: the "not_established" entries of a -j audit, one
# "name addr group" line each (addr and group may be null).
unsettled_of() {
	head -n 1 "$1" | sed 's/.*"not_established":\[//; s/\],"findings":\[$//' |
		sed 's/},{/}\n{/g' | sed -E -n \
		's/^\{"id":"[^"]*","name":"([^"]*)","addr":"?([^",]*)"?,"group":([0-9]+|null),.*/\1 \2 \3/p'
}

# explained NAME ADDR GROUP UNSETTLED: a finding the module raised that
# the sysfs audit lists as not established, for its function, its group
# or the host.
explained() {
	awk -v n="$1" -v a="$2" -v g="$3" '
	$1 == n && (($2 == a && a != "null") || ($3 == g && g != "null") ||
		    ($2 == "null" && $3 == "null")) { found = 1 }
	END { exit !found }' "$4"
}

ktap_set_plan 10

# 1-2: the module's audit, and its facts saved.
audit_findings "$t/module.json"
ktap_begin
[ -s "$t/module.json" ]
ktap_expect "the module's audit printed a document" $? 0
ktap_end "the module's audit ($(wc -l <"$t/module.json.list") findings)"
pthructl snapshot save "$t/module.snap" 2>"$t/save.err"
rc=$?
ktap_begin
ktap_expect "exit status ($(head -n 1 "$t/save.err"))" $rc 0
grep -q '^{"schema":1,"kind":"pthru-snapshot","source":"module",' "$t/module.snap"
ktap_expect "the file says \"source\":\"module\"" $? 0
ktap_end "pthructl snapshot save with the module loaded"

# 3: the sysfs audit, with the module gone.
if ! rmmod pthru 2>"$t/rmmod.err"; then
	ktap_diag "rmmod pthru failed: $(cat "$t/rmmod.err")"
	ktap_skip_all "the module cannot be unloaded (a locked policy?)"
fi
pthructl -j audit --fail-on none >"$t/sysfs.json" 2>"$t/sysfs.err"
rc=$?
findings_of "$t/sysfs.json" | sort >"$t/sysfs.json.list"
unsettled_of "$t/sysfs.json" >"$t/unsettled"
ktap_begin
ktap_expect "pthructl -j audit without the module ($(head -n 1 "$t/sysfs.err"))" $rc 0
head -n 1 "$t/sysfs.json" | grep -q '^{"schema":2,"kind":"pthru-audit","source":"sysfs",'
ktap_expect "the audit says \"source\":\"sysfs\"" $? 0
ktap_end "without the module, the audit reads sysfs ($(wc -l <"$t/sysfs.json.list") findings, $(wc -l <"$t/unsettled") not established)"
json_schema_check audit "$t/sysfs.json" "the sysfs audit is valid against pthru-audit.schema.json"

# 5: the same findings as the module's, but for what sysfs cannot show.
ktap_begin
lines_not_in "$t/sysfs.json.list" "$t/module.json.list" >"$t/false"
while read -r name sev addr group; do
	ktap_diag "sysfs raised what the module does not: $name $sev addr $addr group $group"
done <"$t/false"
ktap_expect "findings sysfs raises and the module does not" "$(wc -l <"$t/false")" 0
lines_not_in "$t/module.json.list" "$t/sysfs.json.list" >"$t/missed"
unexplained=0
while read -r name sev addr group; do
	[ -n "$name" ] || continue
	# The command line's are read the same way by both: never excused.
	if [ "$name" = cmdline-weakening ] ||
	   ! explained "$name" "$addr" "$group" "$t/unsettled"; then
		ktap_diag "sysfs missed $name $sev addr $addr group $group, and does not list it as not established"
		unexplained=$((unexplained + 1))
	fi
done <"$t/missed"
ktap_expect "the module's findings sysfs neither raises nor lists as not established" $unexplained 0
ktap_diag "module-only findings, each listed as not established: $(cut -d' ' -f1 "$t/missed" | sort -u | tr '\n' ' ')"
ktap_end "the sysfs audit finds what the module finds, except what it lists as not established"

# 6: a snapshot saved without the module evaluates to the same findings;
# it and its findings go to the build host.
pthructl snapshot save "$t/sysfs.snap" 2>"$t/save2.err"
rc=$?
pthructl -j audit --snapshot "$t/sysfs.snap" --fail-on none >"$t/snap.json" 2>"$t/snap.err"
findings_of "$t/snap.json" | sort >"$t/snap.json.list"
ktap_begin
ktap_expect "snapshot save without the module ($(head -n 1 "$t/save2.err"))" $rc 0
head -n 1 "$t/snap.json" | grep -q '"source":"sysfs","snapshot":{"file":'
ktap_expect "the audit of the snapshot names its source and file" $? 0
cmp -s "$t/snap.json.list" "$t/sysfs.json.list"
rc=$?
[ $rc -eq 0 ] || ktap_diag "differences: $(diff "$t/sysfs.json.list" "$t/snap.json.list" | grep '^[<>]' | head -n 3 | tr '\n' ' ')"
ktap_expect "the snapshot's findings are the live sysfs audit's" $rc 0
ktap_end "a snapshot saved here evaluates to the same findings"
sed 's/^/# pthru-snapshot: /' "$t/sysfs.snap"
sed 's/^/# pthru-snapshot-findings: /' "$t/sysfs.json.list"
json_schema_check snapshot "$t/sysfs.snap" "the snapshot is valid against pthru-snapshot.schema.json"

# 8: an ACS control write between two snapshots, and nothing else.
if [ -z "$port" ] || [ ! -d "$pci_devices/$port" ] ||
   [ "$(cfg_find_ext "$port" $PCI_EXT_CAP_ID_ACS)" -eq 0 ]; then
	ktap_test_skip "snapshot diff shows an ACS control write" \
		"no port whose ACS is safe to change (the profile's expect_acs_port)"
else
	ctrl_off=$(($(cfg_find_ext "$port" $PCI_EXT_CAP_ID_ACS) + 6))
	old=$(cfg_read "$port" "$ctrl_off" 2)
	new=$((old ^ 16))	# UF: upstream forwarding
	cfg_write16 "$port" "$ctrl_off" "$new"
	pthructl snapshot save "$t/after.snap" 2>/dev/null
	cfg_write16 "$port" "$ctrl_off" "$old"
	pthructl -j snapshot diff "$t/sysfs.snap" "$t/after.snap" >"$t/diff.json" 2>"$t/diff.err"
	rc=$?
	want=$(printf '"changes":[{"addr":"%s","fact":"acs_ctrl","from":"0x%04x","to":"0x%04x"}]' \
		"$port" "$old" "$new")
	ktap_begin
	ktap_expect "snapshot diff's exit status ($(head -n 1 "$t/diff.err"))" $rc 1
	grep -qF "$want" "$t/diff.json"
	rc=$?
	[ $rc -eq 0 ] || ktap_diag "the diff: $(head -c 300 "$t/diff.json")"
	ktap_expect "the diff's changes are exactly $want" $rc 0
	grep -qF '"appeared":[],"vanished":[]' "$t/diff.json"
	ktap_expect "no function appeared or vanished" $? 0
	ktap_end "snapshot diff shows the ACS control write on $port ($(printf '%04x -> %04x' "$old" "$new")) and nothing else"
fi

# 9: without CAP_SYS_ADMIN, config space is out of reach.
"$ktap_dir/pthru_nocap" -u 65534 "$(command -v pthructl)" -j audit --fail-on none \
	>"$t/nocap.json" 2>"$t/nocap.err"
rc=$?
findings_of "$t/nocap.json" | sort >"$t/nocap.json.list"
ktap_begin
ktap_expect "the unprivileged audit ($(head -n 1 "$t/nocap.err"))" $rc 0
grep -q 'could not be read' "$t/nocap.err"
ktap_expect "stderr says what could not be read" $? 0
head -n 1 "$t/nocap.json" | grep -q 'config space of [0-9]* of [0-9]* functions could not be read'
ktap_expect "the rules over capabilities are listed as not established" $? 0
ktap_expect "findings over capabilities it could not read" \
	"$(grep -cE '^(acs-missing|group-narrower|ats-exposed|acs-quirk|topology-unknown) ' "$t/nocap.json.list")" 0
lines_not_in "$t/nocap.json.list" "$t/module.json.list" >"$t/nocap.false"
[ -s "$t/nocap.false" ] && ktap_diag "first: $(head -n 1 "$t/nocap.false")"
ktap_expect "findings the module does not raise" "$(wc -l <"$t/nocap.false")" 0
ktap_end "without CAP_SYS_ADMIN the audit says what it could not read and guesses nothing"

# 10: the module comes back.
load_module 2>"$t/load.err"
rc=$?
ktap_begin
ktap_expect "exit status ($(head -n 1 "$t/load.err"))" $rc 0
pthructl status >/dev/null 2>&1
ktap_expect "pthructl status answers" $? 0
ktap_end "the module loads again"

ktap_finished
