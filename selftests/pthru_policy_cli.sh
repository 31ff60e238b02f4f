#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The policy language through pthructl and the module, without binding
# anything but the edu function: "policy save" prints a loaded policy in
# the canonical form byte for byte (every match key, label escapes,
# requirements, class masks, serial numbers in both forms), and loading
# what it printed gives the same bytes again; a file with one bad line
# fails with FILE:LINE:COL and exit 2 and changes nothing (save output and
# generation); 1024 rules load, 1025 do not; "policy test FILE ADDR" exits
# 1 for a denied function and 0 for an allowed one and names the rule, and
# without ADDR evaluates every function but the bridges (sysfs class
# 0604xx) without installing anything; "policy generate" allows what is
# assigned and isolated, and its output loads; "-j policy" and debugfs
# "policy" show what was loaded.  The policy in force at the start is
# loaded again at the end.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
ktap_tmpdir
t=$ktap_tmp
policy_must_answer
policy_require_unlocked
policy_keep
policy_subjects
[ -d $vfio ] || modprobe vfio-pci 2>/dev/null

edu_orig=null
[ -n "$edu" ] && edu_orig=$(sysfs_driver "$edu")
exposed_orig=null
[ -n "$exposed" ] && exposed_orig=$(sysfs_driver "$exposed")
ktap_cleanup_hook() {
	policy_restore
	[ -n "$edu" ] && restore_driver "$edu" "$edu_orig"
	[ -n "$exposed" ] && restore_driver "$exposed" "$exposed_orig"
}

ktap_set_plan 11

# ---------------------------------------------------------------------
# A policy with every key, written loosely, and its canonical form.
cat >"$t/rich.conf" <<'EOF'
# A policy that uses every key, in no particular order and case.
mode   audit    # trailing comment
gate vfio-pci pci-stub	uio_pci_generic *-vfio-pci *_vfio_pci

default allow require viable-group,acs-isolated
rule 4294967295 deny driver uio_pci_generic
rule 1 allow addr 00:05.0 vendor 1234 device 0x11E8 require all label "edu \"the\" test \\ device #1"
rule 20 allow subdevice 0x1100 subvendor 0x1af4 require translated,no-ats label "nested"
rule 30 deny class 0x020000/0xff0000
rule 31 deny class 0x010802/0xffffff
rule 32 deny class c0330
rule 40 allow slot 2 serial 00-1b-44-11-3a-b7-00-01 driver vfio-pci require strict-invalidation,isolated-msi,no-direct-regions
rule 50 allow serial 0123456789ABCDEF addr 0001:0A:1F.7
rule 60 allow
rule 70 deny label "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\\\\"\""
EOF
cat >"$t/rich.canon" <<'EOF'
mode audit
gate vfio-pci pci-stub uio_pci_generic *-vfio-pci *_vfio_pci
default allow require acs-isolated,viable-group
rule 4294967295 deny driver uio_pci_generic
rule 1 allow vendor 0x1234 device 0x11e8 addr 0000:00:05.0 require acs-isolated,translated,strict-invalidation,no-ats,isolated-msi,no-direct-regions,viable-group label "edu \"the\" test \\ device #1"
rule 20 allow subvendor 0x1af4 subdevice 0x1100 require translated,no-ats label "nested"
rule 30 deny class 0x020000/0xff0000
rule 31 deny class 0x010802
rule 32 deny class 0x0c0330
rule 40 allow slot 2 serial 0x001b44113ab70001 driver vfio-pci require strict-invalidation,isolated-msi,no-direct-regions
rule 50 allow addr 0001:0a:1f.7 serial 0x0123456789abcdef
rule 60 allow
rule 70 deny label "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\\\\"\""
EOF

# same_bytes WHAT GOT WANT: the two files are equal byte for byte.
same_bytes() {
	ktap_checked=$((ktap_checked + 1))
	if ! cmp -s "$2" "$3"; then
		ktap_mismatch "$1 differs:"
		diff "$3" "$2" | head -n 20 | sed 's/^/#   /'
	fi
}

ktap_begin
policy_expect_load "the rich policy" "$t/rich.conf"
policy_save "$t/save1"
ktap_expect "exit status of policy save" $? 0
same_bytes "policy save after loading the rich policy" "$t/save1" "$t/rich.canon"
ktap_end "policy save prints a loaded policy in canonical form"

ktap_begin
policy_expect_load "the saved policy" "$t/save1"
policy_save "$t/save2"
same_bytes "policy save after loading what it printed" "$t/save2" "$t/save1"
ktap_end "save, load, save gives the same bytes"

ktap_begin
policy_state
ktap_expect "mode" "$pol_mode" audit
ktap_expect "locked" "$pol_locked" false
ktap_expect "gated" "$pol_gated" "vfio-pci pci-stub uio_pci_generic *-vfio-pci *_vfio_pci"
ktap_expect "default action" "$pold_action" allow
ktap_expect "default requirements" "$pol_reqs" "acs-isolated viable-group"
ktap_expect "rules" "$pol_nrules" 10
ktap_checked=$((ktap_checked + 1))
grep -q '"label":"edu \\"the\\" test \\\\ device #1"' "$t/policy-state" ||
	ktap_mismatch "-j policy does not carry rule 1's label JSON-escaped: $(grep '"id":1,' "$t/policy-state")"
if [ -d "$pthru_debugfs" ]; then
	ktap_expect "mode of debugfs policy" \
		"$(stat -c %a "$pthru_debugfs/policy" 2>&1)" 444
	ktap_expect "rule lines of debugfs policy" \
		"$(grep '^rule ' "$pthru_debugfs/policy" 2>&1 | tr '\n' ';')" \
		"$(grep '^rule ' "$t/rich.canon" | tr '\n' ';')"
fi
ktap_end "-j policy and debugfs policy show the loaded policy"
# Every match key and requirement: for the schema check at the end.
cp "$t/policy-state" "$t/policy.json"

# ---------------------------------------------------------------------
# One bad line: the error names FILE:LINE:COL, nothing changes.  Each
# case is line 3 of a file whose line 2 is a good rule 10; the column is
# that of the offending token, counted by hand.
policy_save "$t/before"
policy_state
gen_before=$pol_generation
ktap_begin
n=0
while IFS='|' read -r col what line; do
	n=$((n + 1))
	f=$t/bad$n.conf
	printf '# one bad line\nrule 10 deny vendor 0xffff\n%s\n' "$line" >"$f"
	pthructl policy load "$f" >"$t/out" 2>"$t/err"
	ktap_expect "exit status of loading '$line'" $? 2
	ktap_expect "bytes on stdout for '$line'" "$(($(wc -c <"$t/out")))" 0
	ktap_expect "lines on stderr for '$line'" "$(($(wc -l <"$t/err")))" 1
	ktap_checked=$((ktap_checked + 1))
	case $(cat "$t/err") in
	"$f:3:$col: "*"$what"*) ;;
	*) ktap_mismatch "'$line': stderr '$(cat "$t/err")', expected '$f:3:$col: ...$what...'" ;;
	esac
done <<'EOF'
34|"acs"|rule 30 allow require translated,acs
28|vendor|rule 31 deny vendor 0x1af4 vendor 0x1af4
6|0|rule 0 deny
6|10|rule 10 deny
14|require|rule 32 deny require translated
21|0x1000000|rule 33 allow class 0x1000000
1|frobnicate|frobnicate
20|0000:00:20.0|rule 34 allow addr 0000:00:20.0
21||rule 35 allow label "unterminated
21|63|rule 36 allow label "this label is far too long for pthru because it has more than 63 bytes"
20|driver|rule 39 deny driver
21|0x10000|rule 40 deny vendor 0x10000
26||rule 41 allow label "bad \n escape"
38||gate a b c d e f g h i j k l m n o p q
9|bogus|default bogus
6|4294967296|rule 4294967296 deny
EOF
# Bytes the shell cannot put in a here-document line: NUL and non-ASCII.
printf '# one bad line\nrule 10 deny vendor 0xffff\nrule 37 deny\000\n' >"$t/nul.conf"
printf '# one bad line\nrule 10 deny vendor 0xffff\nrule 38 deny slot \303\251\n' >"$t/utf8.conf"
for f in "$t/nul.conf:13" "$t/utf8.conf:19"; do
	pthructl policy load "${f%:*}" >"$t/out" 2>"$t/err"
	ktap_expect "exit status of loading ${f%:*}" $? 2
	ktap_checked=$((ktap_checked + 1))
	case $(cat "$t/err") in
	"${f%:*}:3:${f##*:}: "*) ;;
	*) ktap_mismatch "${f%:*}: stderr '$(cat "$t/err")', expected '${f%:*}:3:${f##*:}: ...'" ;;
	esac
done
ktap_end "a file with one bad line fails with FILE:LINE:COL and exit 2"

ktap_begin
policy_save "$t/after"
same_bytes "policy save after the refused loads" "$t/after" "$t/before"
policy_state
ktap_expect "policy generation after the refused loads" "$pol_generation" "$gen_before"
ktap_end "a refused file changes nothing"

# ---------------------------------------------------------------------
# The size limit: 1024 rules (a ~100 KiB request) load and save back
# exactly; a 1025th is refused by line.
awk 'BEGIN {
	print "mode audit"
	print "gate vfio-pci pci-stub uio_pci_generic *-vfio-pci"
	print "default allow require acs-isolated,translated,viable-group"
	for (i = 1; i <= 1024; i++)
		printf "rule %d deny vendor 0xffff device 0x%04x label \"no such device %d\"\n", i, i, i
}' >"$t/big.conf"
ktap_begin
policy_expect_load "1024 rules" "$t/big.conf"
policy_save "$t/big.save"
same_bytes "policy save of 1024 rules" "$t/big.save" "$t/big.conf"
echo 'rule 1025 deny vendor 0xffff device 0x0401' >>"$t/big.conf"
pthructl policy load "$t/big.conf" >"$t/out" 2>"$t/err"
ktap_expect "exit status of loading 1025 rules" $? 2
ktap_checked=$((ktap_checked + 1))
case $(cat "$t/err") in
"$t/big.conf:1028:"*) ;;
*) ktap_mismatch "1025 rules: stderr '$(cat "$t/err")', expected '$t/big.conf:1028:...'" ;;
esac
policy_save "$t/big.after"
same_bytes "policy save after refusing 1025 rules" "$t/big.after" "$t/big.save"
ktap_end "1024 rules load and save back; 1025 are refused"

# ---------------------------------------------------------------------
# policy test: evaluates without installing.
policy_save "$t/before"
policy_state
gen_before=$pol_generation

# The functions policy test must judge: all but the bridges (vfio-pci
# refuses class 0604xx), in address order, from sysfs.
for a in $(pci_addrs); do
	case $(cat "$pci_devices/$a/class") in
	0x0604*) ;;
	*) echo "$a" ;;
	esac
done >"$t/judged"

ktap_begin
if [ -z "$edu" ]; then
	ktap_test_skip "policy test FILE ADDR exits 1 for a denied function, 0 for an allowed one" \
		"no edu function to name in a rule"
else
	other=$(grep -v "^$edu\$" "$t/judged" | head -n 1)
	printf 'default allow\nrule 5 deny addr %s label "no edu"\n' "$edu" >"$t/test.conf"
	pthructl policy test "$t/test.conf" "$edu" >"$t/out" 2>"$t/err"
	ktap_expect "exit status of policy test for $edu (rule 5 denies)" $? 1
	ktap_checked=$((ktap_checked + 1))
	grep -q "^$edu .*deny.*rule 5" "$t/out" ||
		ktap_mismatch "policy test $edu does not say deny by rule 5: $(cat "$t/out" "$t/err")"
	pthructl policy test "$t/test.conf" "$other" >"$t/out" 2>"$t/err"
	ktap_expect "exit status of policy test for $other (the default allows)" $? 0
	ktap_checked=$((ktap_checked + 1))
	grep -q "^$other .*allow.*default" "$t/out" ||
		ktap_mismatch "policy test $other does not say allow by default: $(cat "$t/out" "$t/err")"
	pthructl -j policy test "$t/test.conf" "$edu" >"$t/out" 2>"$t/err"
	ktap_checked=$((ktap_checked + 1))
	grep -q "\"addr\":\"$edu\",.*\"verdict\":\"deny\",\"by_default\":false,\"rule_id\":5,\"rule_label\":\"no edu\"" "$t/out" ||
		ktap_mismatch "-j policy test $edu: $(cat "$t/out" "$t/err")"
	if [ -n "$exposed" ]; then
		# The module's own default, judged by the hardware: the
		# function behind the switch without ACS lacks acs-isolated.
		printf 'default allow require acs-isolated,translated,viable-group\n' >"$t/def.conf"
		pthructl policy test "$t/def.conf" "$exposed" >"$t/out" 2>"$t/err"
		ktap_expect "exit status of policy test for $exposed by the default policy" $? 1
		ktap_checked=$((ktap_checked + 1))
		grep -q "^$exposed .*deny.*default.*$exposed_unmet" "$t/out" ||
			ktap_mismatch "policy test $exposed does not say deny by default, unmet $exposed_unmet: $(cat "$t/out")"
		ktap_diag "upstream of $exposed: $(sysfs_upstream "$exposed"), ACS capability: $(has_acs "$(sysfs_upstream "$exposed")" && echo yes || echo no)"
	fi
	pthructl policy test "$t/test.conf" 0000:ff:1f.7 >"$t/out" 2>"$t/err"
	ktap_expect "exit status of policy test for an absent function" $? 2
	ktap_end "policy test FILE ADDR exits 1 for a denied function, 0 for an allowed one"
fi

ktap_begin
printf 'default allow\n' >"$t/all.conf"
pthructl -j policy test "$t/all.conf" >"$t/out" 2>"$t/err"
ktap_expect "exit status of policy test without ADDR" $? 0
cp "$t/out" "$t/policy-test.json"
sed -n 's/.*"addr":"\([^"]*\)".*/\1/p' "$t/out" >"$t/tested"
ktap_expect "functions judged" "$(tr '\n' ' ' <"$t/tested")" "$(tr '\n' ' ' <"$t/judged")"
ktap_expect "verdicts other than allow" \
	"$(grep -c '"addr":' "$t/out")" "$(grep -c '"verdict":"allow","by_default":true' "$t/out")"
policy_save "$t/after"
same_bytes "policy save after policy test" "$t/after" "$t/before"
policy_state
ktap_expect "policy generation after policy test" "$pol_generation" "$gen_before"
ktap_end "policy test judges every function but the bridges and installs nothing"

# ---------------------------------------------------------------------
# policy generate, from what is assigned now: edu on vfio-pci (isolated
# in every profile), and the exposed function on vfio-pci where the
# profile has one (not acs-isolated: no rule).  Audit mode lets both bind.
ktap_begin
if [ -z "$edu" ] || [ ! -d $vfio ]; then
	ktap_test_skip "policy generate allows what is assigned and isolated, and loads" \
		"needs the edu function and vfio-pci"
else
	printf 'mode audit\ndefault allow\n' >"$t/open.conf"
	policy_expect_load "an open policy in audit mode" "$t/open.conf"
	release "$edu" && bind_file "$edu"
	ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" vfio-pci
	if [ -n "$exposed" ]; then
		release "$exposed" && bind_file "$exposed"
		ktap_expect "driver of $exposed" "$(sysfs_driver "$exposed")" vfio-pci
	fi
	pthructl policy generate >"$t/gen.conf" 2>"$t/err"
	ktap_expect "exit status of policy generate" $? 0
	grep -v '^#' "$t/gen.conf" | grep '^rule ' >"$t/gen.rules"
	ktap_expect "rules generated" "$(($(wc -l <"$t/gen.rules")))" 1
	ktap_checked=$((ktap_checked + 1))
	grep -q "^rule [0-9]* allow .*addr $edu .*driver vfio-pci require .*acs-isolated,translated" "$t/gen.rules" ||
		ktap_mismatch "no allow rule for $edu on vfio-pci: $(cat "$t/gen.rules")"
	ktap_checked=$((ktap_checked + 1))
	[ -n "$exposed" ] && grep -q "addr $exposed" "$t/gen.rules" &&
		ktap_mismatch "a rule allows $exposed, which is not acs-isolated"
	ktap_expect "default line" "$(grep '^default ' "$t/gen.conf")" "default deny"
	ktap_expect "mode line" "$(grep '^mode ' "$t/gen.conf")" "mode audit"
	policy_expect_load "the generated policy" "$t/gen.conf"
	policy_save "$t/gen.save"
	ktap_expect "rules after loading the generated policy" \
		"$(grep '^rule ' "$t/gen.save" | tr '\n' ';')" "$(tr '\n' ';' <"$t/gen.rules")"
	pthructl policy test "$t/gen.conf" "$edu" >"$t/out" 2>&1
	ktap_expect "exit status of policy test of the generated policy for $edu" $? 0
	if [ -n "$exposed" ]; then
		pthructl policy test "$t/gen.conf" "$exposed" >"$t/out" 2>&1
		ktap_expect "exit status of policy test of the generated policy for $exposed" $? 1
	fi
	restore_driver "$edu" "$edu_orig"
	[ -n "$exposed" ] && restore_driver "$exposed" "$exposed_orig"
	ktap_end "policy generate allows what is assigned and isolated, and loads"
fi

policy_restore

# The documents read above, against their JSON Schemas.
json_schema_check policy "$t/policy.json"
json_schema_check policy-test "$t/policy-test.json"

ktap_finished
