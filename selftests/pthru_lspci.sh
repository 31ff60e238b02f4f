#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pthru's ACS registers against a second, independent decoder: for every
# PCI function, the ACS capability position and the ACSCap/ACSCtl flags
# (SrcValid, TransBlk, ReqRedir, CmpltRedir, UpstreamFwd, EgressCtrl,
# DirectTrans) that "lspci -vvv" (pciutils) prints agree with acs_pos,
# acs_cap and acs_ctrl of "pthructl -j dev", and a function without an ACS
# capability has none in either.  Skips where lspci is not installed.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154,SC2034 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool
lspci=$(command -v lspci) || ktap_skip_all "lspci is not installed (pciutils)"
ktap_tmpdir
ktap_set_plan 4

t=$ktap_tmp
pthructl -j dev >"$t/dev.json" 2>"$t/err" ||
	ktap_diag "pthructl -j dev failed: $(cat "$t/err")"
json_dump_objects "$t/dev.json" | sed 's/,$//' >"$t/devs"

# acs_flags HEX: the flags of an ACS register in lspci's words and order.
acs_flags() {
	local v=$((0x$1)) out='' bit=1 name

	for name in SrcValid TransBlk ReqRedir CmpltRedir UpstreamFwd EgressCtrl DirectTrans; do
		if [ $((v & bit)) -ne 0 ]; then
			out="$out $name+"
		else
			out="$out $name-"
		fi
		bit=$((bit * 2))
	done
	echo "${out# }"
}

ktap_begin
"$lspci" -D -vvv >"$t/lspci" 2>"$t/lspci.err"
ktap_expect "exit status of lspci -D -vvv" $? 0
ktap_expect "functions lspci lists" \
	"$(grep -c '^[0-9a-f]\{4\}:' "$t/lspci")" "$(($(wc -l <"$t/devs")))"
grep -q 'access denied' "$t/lspci" &&
	ktap_mismatch "lspci could not read all of config space: $(grep -m 1 'access denied' "$t/lspci")"
ktap_end "lspci -vvv lists every function with its full config space"

# One lspci stanza per function (the lines after its "DDDD:BB:DD.F" line).
stanza() {
	awk -v a="$1" '/^[0-9a-f]{4}:/ { on = ($1 == a) } on' "$t/lspci"
}

with_acs=0
: >"$t/pos.bad"
: >"$t/cap.bad"
: >"$t/ctl.bad"
while IFS= read -r line; do
	json_load d_ "$line"
	stanza "$d_addr" >"$t/stanza"
	pos=$(sed -n 's/.*Capabilities: \[\([0-9a-f]*\) v[0-9]*\] Access Control Services.*/\1/p' "$t/stanza")
	cap=$(sed -n 's/^[[:space:]]*ACSCap:[[:space:]]*//p' "$t/stanza")
	ctl=$(sed -n 's/^[[:space:]]*ACSCtl:[[:space:]]*//p' "$t/stanza")
	if [ "$d_acs_pos" = null ]; then
		[ -z "$pos$cap$ctl" ] ||
			echo "$d_addr: pthru has no ACS capability, lspci has one at [$pos]" >>"$t/pos.bad"
		continue
	fi
	with_acs=$((with_acs + 1))
	[ -n "$pos" ] && [ "$((0x$pos))" = "$d_acs_pos" ] ||
		echo "$d_addr: pthru has ACS at $d_acs_pos, lspci at [${pos:-none}]" >>"$t/pos.bad"
	[ "$cap" = "$(acs_flags "$d_acs_cap")" ] ||
		echo "$d_addr: ACSCap: pthru $d_acs_cap = '$(acs_flags "$d_acs_cap")', lspci '$cap'" >>"$t/cap.bad"
	[ "$ctl" = "$(acs_flags "$d_acs_ctrl")" ] ||
		echo "$d_addr: ACSCtl: pthru $d_acs_ctrl = '$(acs_flags "$d_acs_ctrl")', lspci '$ctl'" >>"$t/ctl.bad"
done <"$t/devs"
ktap_diag "$with_acs of $(($(wc -l <"$t/devs"))) function(s) have an ACS capability"

# lspci_agrees CHECKED FILE NAME: a test from the differences collected
# above; CHECKED is how many functions it covers (none: a skip).
lspci_agrees() {
	if [ "$1" -eq 0 ]; then
		ktap_test_skip "$3" "no function has an ACS capability"
		return
	fi
	ktap_begin
	ktap_checked=$1
	while IFS= read -r line; do
		ktap_mismatch "$line"
	done <"$2"
	ktap_end "$3"
}
lspci_agrees "$(($(wc -l <"$t/devs")))" "$t/pos.bad" \
	"ACS capability position agrees with lspci on every function"
lspci_agrees $with_acs "$t/cap.bad" "ACSCap flags agree with lspci on every function with ACS"
lspci_agrees $with_acs "$t/ctl.bad" "ACSCtl flags agree with lspci on every function with ACS"

ktap_finished
