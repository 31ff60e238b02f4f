#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pthru notices ACS being switched off behind the kernel's back: clearing
# an enabled flag of a port's ACS control register through sysfs (as
# setpci would) gives, within a few seconds of pthru's ACS poll, an
# acs-change event and a hazard-raise of acs-changed; the inventory shows
# the new control register next to the baseline; the audit adds exactly
# the profile's expected findings.  Restoring the register clears them all
# again.  Only the port named by the profile's expectation file
# (expect_acs_port) or by PTHRU_TEST_ACS_PORT is touched; it is always
# restored.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool

have_expect=0
pthru_load_expect && have_expect=1
port=${PTHRU_TEST_ACS_PORT:-${expect_acs_port:-}}
[ -n "$port" ] ||
	ktap_skip_all "no port whose ACS is safe to change (set PTHRU_TEST_ACS_PORT=ADDR)"
[ -d "$pci_devices/$port" ] || ktap_skip_all "$port does not exist"
pos=$(cfg_find_ext "$port" $PCI_EXT_CAP_ID_ACS)
[ "$pos" -ne 0 ] || ktap_skip_all "$port has no ACS capability"
ctrl_off=$((pos + 6))
old=$(cfg_read "$port" $ctrl_off 2)
# Clear the first enabled isolation flag: RR, CR, UF, SV.
new=
for bit in 4 8 16 1; do
	if [ $((old & bit)) -ne 0 ]; then
		new=$((old & ~bit))
		break
	fi
done
[ -n "$new" ] || ktap_skip_all "$port has no ACS isolation flag enabled (control $(printf %04x "$old"))"
old_hex=$(printf %04x "$old")
new_hex=$(printf %04x "$new")

ktap_tmpdir
t=$ktap_tmp
ktap_cleanup_hook() {
	monitor_stop
	[ "$(cfg_read "$port" $ctrl_off 2)" = "$old" ] || cfg_write16 "$port" $ctrl_off "$old"
}

ktap_set_plan 8
ktap_diag "port $port: ACS at $pos, control $old_hex -> $new_hex"

audit_findings "$t/before"
monitor_start "$t/events" || ktap_diag "the monitor did not start"

# acs_change_seen HEX: an acs-change event for the port showing HEX.
acs_change_seen() {
	grep "^{\"event\":\"acs-change\",\"dev\":{\"addr\":\"$port\"" "$monitor_file" |
		grep -q "\"acs_ctrl\":\"$1\""
}

# show_acs WANT_CTRL WANT_BASELINE: dev show agrees.
show_acs() {
	pthructl -j dev show "$port" >"$t/show" 2>"$t/err"
	json_load d_ "$(cat "$t/show")"
	ktap_expect "acs_ctrl of $port" "$d_acs_ctrl" "$1"
	ktap_expect "acs_ctrl_baseline of $port" "$d_acs_ctrl_baseline" "$2"
}

# ---------------------------------------------------------------------
ktap_begin
cfg_write16 "$port" $ctrl_off "$new"
ktap_expect "ACS control of $port read back" \
	"$(printf %04x "$(cfg_read "$port" $ctrl_off 2)")" "$new_hex"
ktap_checked=$((ktap_checked + 1))
if wait_for 10 acs_change_seen "$new_hex"; then
	json_load ev_ "$(grep "^{\"event\":\"acs-change\",\"dev\":{\"addr\":\"$port\"" \
		"$monitor_file" | grep "\"acs_ctrl\":\"$new_hex\"" | head -n 1)"
	json_load evdev_ "$ev_dev"
	ktap_expect "acs_ctrl_baseline in the event" "$evdev_acs_ctrl_baseline" "$old_hex"
else
	ktap_mismatch "no acs-change event for $port with acs_ctrl $new_hex within 10 s" \
		"(events: $(tr '\n' ' ' <"$monitor_file"))"
fi
ktap_end "writing the ACS control register sends acs-change with the new value and the baseline"

ktap_begin
ktap_checked=1
wait_for 10 monitor_finding hazard-raise acs-changed "$port" ||
	ktap_mismatch "no hazard-raise of acs-changed for $port within 10 s" \
		"(events: $(tr '\n' ' ' <"$monitor_file"))"
ktap_end "the change raises acs-changed for $port"

ktap_begin
show_acs "$new_hex" "$old_hex"
ktap_end "dev show has the new control register and the old baseline"

# What the change added: the audit now against the audit before.
ktap_begin
audit_findings "$t/changed"
lines_not_in "$t/changed.list" "$t/before.list" >"$t/raised"
lines_not_in "$t/before.list" "$t/changed.list" >"$t/cleared"
ktap_diag "raised by the change: $(tr '\n' ';' <"$t/raised")"
grep -q "^acs-changed high $port " "$t/raised" ||
	ktap_mismatch "the audit has no 'acs-changed high' for $port"
ktap_checked=1
[ -s "$t/cleared" ] && ktap_mismatch "the change cleared findings: $(tr '\n' ';' <"$t/cleared")"
if [ $have_expect -eq 1 ] && [ -z "${PTHRU_TEST_ACS_PORT:-}" ]; then
	expect_resolve "$expect_acs_change_findings" >"$t/expected"
	findings_compare "$t/expected" "$t/raised" >"$t/diff"
	while IFS= read -r line; do
		ktap_mismatch "$line"
	done <"$t/diff"
fi
# Every finding the audit added was announced.
announced() {
	monitor_findings hazard-raise | sort -u >"$t/announced"
	[ -z "$(lines_not_in "$t/raised" "$t/announced")" ]
}
wait_for 10 announced ||
	ktap_mismatch "added but never raised: $(lines_not_in "$t/raised" "$t/announced" | tr '\n' ';')"
ktap_end "the audit adds the expected findings, each announced by hazard-raise"

# ---------------------------------------------------------------------
ktap_begin
cfg_write16 "$port" $ctrl_off "$old"
ktap_expect "ACS control of $port read back" \
	"$(printf %04x "$(cfg_read "$port" $ctrl_off 2)")" "$old_hex"
ktap_checked=$((ktap_checked + 1))
wait_for 10 monitor_finding hazard-clear acs-changed "$port" ||
	ktap_mismatch "no hazard-clear of acs-changed for $port within 10 s" \
		"(events: $(tr '\n' ' ' <"$monitor_file"))"
ktap_end "restoring the register clears acs-changed"

ktap_begin
show_acs "$old_hex" "$old_hex"
ktap_end "dev show has the restored control register, equal to the baseline"

ktap_begin
audit_findings "$t/after"
ktap_expect "findings after restoring" \
	"$(tr '\n' ';' <"$t/after.list")" "$(tr '\n' ';' <"$t/before.list")"
all_cleared() {
	monitor_findings hazard-clear | sort -u >"$t/cleared.ev"
	monitor_findings hazard-raise | sort -u >"$t/raised.ev"
	[ -z "$(lines_not_in "$t/raised.ev" "$t/cleared.ev")" ]
}
ktap_checked=$((ktap_checked + 1))
wait_for 10 all_cleared ||
	ktap_mismatch "raised but never cleared: $(lines_not_in "$t/raised.ev" "$t/cleared.ev" | tr '\n' ';')"
ktap_end "every finding the change raised is cleared and the audit is back to where it was"

monitor_stop

# Every event line (acs-change, hazard-raise, hazard-clear), against
# its JSON Schema.
json_schema_check monitor "$t/events"

ktap_finished
