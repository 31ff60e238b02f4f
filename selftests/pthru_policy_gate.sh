#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bind gate on every bind path.  With a policy whose rule 7 denies the
# edu function (nothing depends on it) and whose default is the module's
# own (allow require acs-isolated,translated,viable-group):
#   audit    the bind succeeds; the decision event says audited, with the
#            verdict, rule and label it would have had; a function the
#            default refuses (behind the switch without ACS) binds too,
#            with the unmet requirement named; the audited counter moves;
#   enforce  binding through vfio-pci's bind file fails with EPERM and
#            leaves the function unbound (decision denied, counter, kernel
#            log line, Linux audit record); the function behind the switch
#            without ACS is refused by the default for lacking
#            acs-isolated, while one behind an ACS root port binds;
#            driver_override + drivers_probe and new_id succeed as writes
#            but leave the function unbound, and the event says denied;
#   gate     a driver missing from the gate list is not judged; a "*"
#            suffix name is;
#   off      nothing is judged: the bind succeeds, the outcome is
#            unevaluated.
# Which functions sit where comes from the profile's expectation file
# (expect_policy_*), checked against config space.  The policy and the
# drivers in place at the start are restored.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

policy_test_start
policy_require_edu
policy_keep

edu_orig=$(sysfs_driver "$edu")
exposed_orig=null
[ -n "$exposed" ] && exposed_orig=$(sysfs_driver "$exposed")
isolated_orig=null
[ -n "$isolated" ] && isolated_orig=$(sysfs_driver "$isolated")
new_id_added=0
ktap_cleanup_hook() {
	monitor_stop
	[ $new_id_added -eq 1 ] && echo "1234 11e8" >$vfio/remove_id 2>/dev/null
	policy_restore
	restore_driver "$edu" "$edu_orig"
	[ -n "$exposed" ] && restore_driver "$exposed" "$exposed_orig"
	[ -n "$isolated" ] && restore_driver "$isolated" "$isolated_orig"
}

ktap_set_plan 14
ktap_diag "edu $edu ($edu_orig); behind the switch without ACS: ${exposed:-none} ($exposed_orig);" \
	"behind an ACS root port: ${isolated:-none} ($isolated_orig)"

# The ground truth for the profile's subjects: ACS on the port above.
if [ -n "$exposed" ] && has_acs "$(sysfs_upstream "$exposed")"; then
	ktap_diag "$(sysfs_upstream "$exposed") above $exposed has ACS: not the subject this test needs"
	exposed=
fi
if [ -n "$isolated" ] && ! has_acs "$(sysfs_upstream "$isolated")"; then
	ktap_diag "$(sysfs_upstream "$isolated") above $isolated has no ACS: not the subject this test needs"
	isolated=
fi

# write_policy MODE [GATE]: the test policy in $t/p.conf.
write_policy() {
	{
		echo "mode $1"
		echo "gate ${2:-vfio-pci pci-stub uio_pci_generic *-vfio-pci}"
		echo "default allow require acs-isolated,translated,viable-group"
		echo "rule 7 deny addr $edu label \"selftest: no edu\""
	} >"$t/p.conf"
}

# use_policy MODE [GATE]: install it, or fail the script (nothing after
# it means anything without it).
use_policy() {
	write_policy "$@"
	if ! policy_load "$t/p.conf"; then
		ktap_diag "cannot load the test policy: $(cat "$ktap_tmp/load.err")"
		ktap_test_fail "the test policy ($1) loads"
		ktap_finished
	fi
}

counters() {
	policy_state
	echo "$polc_allowed $polc_denied $polc_audited"
}

# expect_counters BEFORE DALLOWED DDENIED DAUDITED: each counter moved by that much.
expect_counters() {
	local a d u

	# shellcheck disable=SC2086 # three numbers
	set -- $1 "$2" "$3" "$4"
	a=$1 d=$2 u=$3
	shift 3
	policy_state
	ktap_expect "allowed counter" "$polc_allowed" $((a + $1))
	ktap_expect "denied counter" "$polc_denied" $((d + $2))
	ktap_expect "audited counter" "$polc_audited" $((u + $3))
}

decisions_more_than() {
	[ "$(decision_count)" -gt "$1" ]
}

monitor_start "$t/events" || ktap_diag "the monitor did not start"
release "$edu" || ktap_diag "cannot release $edu from $edu_orig"

# ---------------------------------------------------------------------
# audit
use_policy audit
c0=$(counters)

ktap_begin
bind_file "$edu"
ktap_expect "status of the bind write in audit mode ($write_err)" $? 0
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" vfio-pci
expect_decision "$edu" audited '"verdict":"deny"' '"by_default":false' '"rule_id":7' \
	'"rule_label":"selftest: no edu"' '"mode":"audit"' '"driver":"vfio-pci"'
expect_counters "$c0" 0 0 1
sysfs_write $vfio/unbind "$edu"
ktap_end "audit: a denied bind succeeds and the event has the would-be verdict and rule"

ktap_begin
if [ -z "$exposed" ]; then
	ktap_test_skip "audit: the default's unmet requirement is named" \
		"the profile has no function behind a switch without ACS"
else
	c0=$(counters)
	release "$exposed"
	bind_file "$exposed"
	ktap_expect "status of the bind write in audit mode ($write_err)" $? 0
	ktap_expect "driver of $exposed" "$(sysfs_driver "$exposed")" vfio-pci
	expect_decision "$exposed" audited '"verdict":"deny"' '"by_default":true' \
		"\"unmet\":[\"$exposed_unmet\"]"
	expect_counters "$c0" 0 0 1
	restore_driver "$exposed" "$exposed_orig"
	ktap_end "audit: the default's unmet requirement is named"
fi

# ---------------------------------------------------------------------
# enforce
use_policy enforce
c0=$(counters)
klog_mark enforce

ktap_begin
release "$edu"
bind_file "$edu"
ktap_expect "status of the bind write" $? 1
ktap_checked=$((ktap_checked + 1))
write_refused_eperm || ktap_mismatch "the bind write failed with '$write_err', not EPERM"
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" null
expect_decision "$edu" denied '"verdict":"deny"' '"rule_id":7' '"mode":"enforce"'
expect_counters "$c0" 0 1 0
ktap_end "enforce: binding through the bind file fails with EPERM and leaves it unbound"

ktap_begin
klog_since >"$t/klog"
ktap_checked=$((ktap_checked + 1))
grep -v 'audit' "$t/klog" | grep 'pthru' | grep "$edu" | grep -q 'rule 7' ||
	ktap_mismatch "no pthru kernel log line names $edu and rule 7: $(grep pthru "$t/klog" | head -n 3)"
ktap_end "enforce: the kernel log names the device and the rule"

ktap_begin
if grep -qw 'audit=0' /proc/cmdline; then
	ktap_test_skip "enforce: the Linux audit log has the denied bind" "auditing is off (audit=0)"
else
	ktap_checked=1
	grep -q "op=pthru-bind .*addr=$edu .*outcome=denied" "$t/klog" ||
	grep -q "op=pthru-bind .*addr=$edu .*outcome=denied" /var/log/audit/audit.log 2>/dev/null ||
		ktap_mismatch "no op=pthru-bind record for $edu with outcome=denied in the kernel log" \
			"(audit lines: $(grep -c 'audit' "$t/klog"): $(grep 'pthru-' "$t/klog" | head -n 2))"
	ktap_end "enforce: the Linux audit log has the denied bind"
fi

ktap_begin
if [ -z "$exposed" ]; then
	ktap_test_skip "enforce: the default refuses a function behind a switch without ACS" \
		"the profile has no function behind a switch without ACS"
else
	c0=$(counters)
	release "$exposed"
	bind_file "$exposed"
	ktap_expect "status of the bind write" $? 1
	ktap_checked=$((ktap_checked + 1))
	write_refused_eperm || ktap_mismatch "the bind write failed with '$write_err', not EPERM"
	ktap_expect "driver of $exposed" "$(sysfs_driver "$exposed")" null
	expect_decision "$exposed" denied '"verdict":"deny"' '"by_default":true' \
		"\"unmet\":[\"$exposed_unmet\"]"
	expect_counters "$c0" 0 1 0
	restore_driver "$exposed" "$exposed_orig"
	ktap_expect "driver of $exposed after restoring" "$(sysfs_driver "$exposed")" "$exposed_orig"
	ktap_end "enforce: the default refuses a function behind a switch without ACS"
fi

ktap_begin
if [ -z "$isolated" ]; then
	ktap_test_skip "enforce: a function behind an ACS root port binds" \
		"the profile names no function behind an ACS root port"
else
	c0=$(counters)
	release "$isolated"
	bind_file "$isolated"
	ktap_expect "status of the bind write ($write_err)" $? 0
	ktap_expect "driver of $isolated" "$(sysfs_driver "$isolated")" vfio-pci
	expect_decision "$isolated" allowed '"verdict":"allow"' '"by_default":true' '"unmet":[]'
	expect_counters "$c0" 1 0 0
	sysfs_write $vfio/unbind "$isolated"
	ktap_expect "driver of $isolated after unbinding" "$(sysfs_driver "$isolated")" null
	restore_driver "$isolated" "$isolated_orig"
	ktap_expect "driver of $isolated after restoring" "$(sysfs_driver "$isolated")" "$isolated_orig"
	ktap_end "enforce: a function behind an ACS root port binds"
fi

ktap_begin
c0=$(counters)
n0=$(decision_count)
set_override "$edu" vfio-pci
sysfs_write /sys/bus/pci/drivers_probe "$edu"
ktap_expect "status of the drivers_probe write ($write_err)" $? 0
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" null
ktap_checked=$((ktap_checked + 1))
wait_for 10 decisions_more_than "$n0" ||
	ktap_mismatch "no new decision event after drivers_probe"
expect_decision "$edu" denied '"rule_id":7'
expect_counters "$c0" 0 1 0
set_override "$edu" ""
ktap_end "enforce: driver_override + drivers_probe succeeds as a write, leaves it unbound, event denied"

ktap_begin
c0=$(counters)
n0=$(decision_count)
sysfs_write $vfio/new_id "1234 11e8"
rc=$?
[ $rc -eq 0 ] && new_id_added=1
ktap_expect "status of the new_id write ($write_err)" $rc 0
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" null
ktap_checked=$((ktap_checked + 1))
wait_for 10 decisions_more_than "$n0" ||
	ktap_mismatch "no new decision event after new_id"
expect_counters "$c0" 0 1 0
[ $new_id_added -eq 1 ] && sysfs_write $vfio/remove_id "1234 11e8" && new_id_added=0
ktap_end "enforce: new_id succeeds as a write, leaves it unbound, event denied"

# ---------------------------------------------------------------------
# the gate list
ktap_begin
use_policy enforce "pci-stub uio_pci_generic"
n0=$(decision_count)
c0=$(counters)
bind_file "$edu"
ktap_expect "status of the bind write with vfio-pci not gated ($write_err)" $? 0
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" vfio-pci
sleep 1	# an event would come at once: give the monitor a moment
ktap_expect "decision events" "$(decision_count)" "$n0"
expect_counters "$c0" 0 0 0
sysfs_write $vfio/unbind "$edu"
ktap_end "a driver missing from the gate list is not judged"

ktap_begin
use_policy enforce "*-pci"
bind_file "$edu"
ktap_expect "status of the bind write with *-pci gated" $? 1
ktap_checked=$((ktap_checked + 1))
write_refused_eperm || ktap_mismatch "the bind write failed with '$write_err', not EPERM"
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" null
ktap_end "a gated *suffix name matches vfio-pci"

# ---------------------------------------------------------------------
# off
ktap_begin
use_policy off
c0=$(counters)
bind_file "$edu"
ktap_expect "status of the bind write in off mode ($write_err)" $? 0
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" vfio-pci
expect_decision "$edu" unevaluated '"mode":"off"'
ktap_diag "counters in off mode: $(counters) (were $c0)"
sysfs_write $vfio/unbind "$edu"
ktap_end "off: the bind succeeds and the event says unevaluated"

monitor_stop
policy_restore
ktap_begin
policy_save "$t/end"
ktap_checked=1
cmp -s "$t/end" "$t/policy-orig" || ktap_mismatch "the policy at the end is not the one at the start"
ktap_expect "driver of $edu at the end" "$(restore_driver "$edu" "$edu_orig"; sysfs_driver "$edu")" "$edu_orig"
ktap_end "the policy and the drivers are back to where they were"

# Every event line (decision, policy-change), against its JSON Schema.
json_schema_check monitor "$t/events"

ktap_finished
