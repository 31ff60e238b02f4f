#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bind gate decides on the host as it is at the bind, not on the last
# snapshot, for what changes without an event.  pthru is loaded with
# acs_poll_ms=0 (no ACS poll) and mode=enforce, with a policy that gates
# vfio-pci and allows by default what is acs-isolated and translated.
# Before each change the test waits until the store has been rebuilt after
# the subject's unbind (the dev-unbind event comes after that rebuild), and
# between the change and the bind nothing asks pthru anything, so the
# store still has the old facts when the gate decides.
#   ACS: clearing an isolation flag of the ACS control register of the
#        root port above the profile's isolated function (as setpci does)
#        right before binding that function refuses the bind, citing
#        acs-isolated; with the flag back, it binds.  The other way round,
#        once a request has put the cleared register in the store,
#        restoring it right before the bind lets the bind through.
#   domain: writing "identity" to edu's /sys/kernel/iommu_groups/N/type
#        while edu is unbound refuses the next bind, citing translated;
#        with the type back, it binds; and the other way round as for ACS.
# Everything is put back: the registers, the group type, the drivers, and
# pthru loaded without parameters.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

policy_test_start reload

# The ACS subject: the isolated function and the ACS port above it.
port=
if [ -n "$isolated" ]; then
	port=$(sysfs_upstream "$isolated")
	pos=0
	[ "$port" != null ] && pos=$(cfg_find_ext "$port" $PCI_EXT_CAP_ID_ACS)
	if [ "$pos" -eq 0 ]; then
		ktap_diag "$port above $isolated has no ACS capability"
		port=
	else
		ctrl_off=$((pos + 6))
		acs_old=$(cfg_read "$port" "$ctrl_off" 2)
		acs_new=
		for bit in 4 8 16 1; do	# RR, CR, UF, SV
			if [ $((acs_old & bit)) -ne 0 ]; then
				acs_new=$((acs_old & ~bit))
				break
			fi
		done
		[ -n "$acs_new" ] || port=
	fi
fi
isolated_orig=null
[ -n "$isolated" ] && isolated_orig=$(sysfs_driver "$isolated")

# The domain subject: edu, alone in its group.
group=
if [ -n "$edu" ] && [ -d "$pci_devices/$edu" ]; then
	edu_orig=$(sysfs_driver "$edu")
	group=$(sysfs_group "$edu")
	if [ "$group" = null ] ||
	   [ "$(pci_names "/sys/kernel/iommu_groups/$group/devices" | wc -l)" -ne 1 ]; then
		group=
	else
		type_old=$(sysfs_group_type "$group")
	fi
fi

[ -n "$port" ] || [ -n "$group" ] ||
	ktap_skip_all "no function behind an ACS port and no edu alone in its group"

reloaded=0
ktap_cleanup_hook() {
	monitor_stop
	if [ -n "$port" ] && [ "$(cfg_read "$port" "$ctrl_off" 2)" != "$acs_old" ]; then
		cfg_write16 "$port" "$ctrl_off" "$acs_old"
	fi
	if [ -n "$group" ]; then
		[ "$(sysfs_driver "$edu")" = null ] || release "$edu"
		[ "$(sysfs_group_type "$group")" = "$type_old" ] ||
			echo "$type_old" >"/sys/kernel/iommu_groups/$group/type" 2>/dev/null
		restore_driver "$edu" "$edu_orig"
	fi
	[ -n "$isolated" ] && restore_driver "$isolated" "$isolated_orig"
	if [ "$reloaded" -eq 1 ]; then
		module_unload
		pthru_module_loaded || module_load >/dev/null 2>&1
	fi
}

ktap_set_plan 8

# ---------------------------------------------------------------------
ktap_begin
ktap_checked=1
reloaded=1
if ! module_unload || ! module_load acs_poll_ms=0 mode=enforce 2>"$t/load.err"; then
	ktap_mismatch "cannot reload pthru acs_poll_ms=0 mode=enforce: $(cat "$t/load.err" 2>/dev/null)"
	ktap_end "pthru loads with acs_poll_ms=0 and the test policy"
	ktap_finished
fi
{
	echo "mode enforce"
	echo "gate vfio-pci"
	echo "default allow require acs-isolated,translated"
} >"$t/p.conf"
policy_expect_load "the test policy" "$t/p.conf"
ktap_expect "acs_poll_ms" "$(cat /sys/module/pthru/parameters/acs_poll_ms)" 0
ktap_end "pthru loads with acs_poll_ms=0 and the test policy"
monitor_start "$t/events" || ktap_diag "the monitor did not start"

# settle ADDR: unbind ADDR and wait for its dev-unbind event, which the
# bus notifier's work sends after the store's rebuild.  Nothing that
# rebuilds the store may run between the change that follows and the bind.
settle() {
	local n0

	if [ "$(sysfs_driver "$1")" = null ]; then
		# Already unbound: have the store rebuilt now instead.
		pthructl -j dev show "$1" >/dev/null 2>&1
		return 0
	fi
	n0=$(grep -c "^{\"event\":\"dev-unbind\",\"dev\":{\"addr\":\"$1\"" "$monitor_file")
	echo "$1" >"$pci_devices/$1/driver/unbind"
	wait_for 10 unbind_events_more_than "$1" "$n0" ||
		ktap_diag "no dev-unbind event for $1 within 10 s"
	[ "$(sysfs_driver "$1")" = null ]
}

unbind_events_more_than() {
	[ "$(grep -c "^{\"event\":\"dev-unbind\",\"dev\":{\"addr\":\"$1\"" "$monitor_file")" -gt "$2" ]
}

# expect_bind ADDR ok|eperm UNMET: bind ADDR to vfio-pci now; the write
# succeeds or fails with EPERM, and the decision event says so, with
# "unmet":[UNMET].
expect_bind() {
	local rc outcome=allowed

	[ "$2" = eperm ] && outcome=denied
	set_override "$1" vfio-pci
	n0=$(decision_count)
	sysfs_write "$vfio/bind" "$1"
	rc=$?
	if [ "$2" = ok ]; then
		ktap_expect "status of the bind write ($write_err)" $rc 0
		ktap_expect "driver of $1" "$(sysfs_driver "$1")" vfio-pci
	else
		ktap_expect "status of the bind write" $rc 1
		ktap_checked=$((ktap_checked + 1))
		write_refused_eperm ||
			ktap_mismatch "the bind write failed with '$write_err', not EPERM"
		ktap_expect "driver of $1" "$(sysfs_driver "$1")" null
	fi
	ktap_checked=$((ktap_checked + 1))
	wait_for 10 decisions_more_than "$n0" ||
		ktap_mismatch "no new decision event for $1"
	expect_decision "$1" "$outcome" "\"unmet\":[$3]"
	set_override "$1" ""
	[ "$(sysfs_driver "$1")" = vfio-pci ] && echo "$1" >"$vfio/unbind"
}

decisions_more_than() {
	[ "$(decision_count)" -gt "$1" ]
}

set_acs() {
	cfg_write16 "$port" "$ctrl_off" "$1"
}

set_type() {
	sysfs_write "/sys/kernel/iommu_groups/$group/type" "$1"
}

# ---------------------------------------------------------------------
# ACS
if [ -z "$port" ]; then
	for name in "ACS cleared right before the bind: refused, citing acs-isolated" \
		    "ACS restored (the store still has it): the bind goes through" \
		    "ACS restored right before the bind (the store has it cleared): the bind goes through"; do
		ktap_test_skip "$name" "no function behind a port with an ACS isolation flag enabled"
	done
else
	ktap_diag "ACS: $isolated ($isolated_orig) below $port, control" \
		"$(printf %04x "$acs_old") -> $(printf %04x "$acs_new")"
	ktap_begin
	settle "$isolated" || ktap_mismatch "cannot unbind $isolated from $isolated_orig"
	set_acs "$acs_new"
	expect_bind "$isolated" eperm '"acs-isolated"'
	ktap_end "ACS cleared right before the bind: refused, citing acs-isolated"

	ktap_begin
	set_acs "$acs_old"
	expect_bind "$isolated" ok ''
	ktap_end "ACS restored (the store still has it): the bind goes through"

	ktap_begin
	settle "$isolated"
	set_acs "$acs_new"
	# A request rebuilds the store: now it has the cleared register.
	pthructl -j dev show "$port" >"$t/show" 2>&1
	json_load d_ "$(cat "$t/show")"
	ktap_expect "acs_ctrl of $port in the store" "$d_acs_ctrl" "$(printf %04x "$acs_new")"
	set_acs "$acs_old"
	expect_bind "$isolated" ok ''
	ktap_end "ACS restored right before the bind (the store has it cleared): the bind goes through"
	restore_driver "$isolated" "$isolated_orig" ||
		ktap_diag "$isolated does not go back to $isolated_orig"
fi

# ---------------------------------------------------------------------
# Domain type
ktap_begin
domain_ok=0
if [ -n "$group" ]; then
	settle "$edu"
	if set_type identity; then
		domain_ok=1
		ktap_diag "domain: $edu ($edu_orig), group $group, $type_old -> identity"
	else
		ktap_diag "cannot write identity to group $group's type: $write_err"
	fi
fi
if [ $domain_ok -eq 0 ]; then
	for name in "identity domain set right before the bind: refused, citing translated" \
		    "domain type restored (the store still has it): the bind goes through" \
		    "domain type restored right before the bind (the store has identity): the bind goes through"; do
		ktap_test_skip "$name" "no edu alone in a group whose type can be written"
	done
else
	expect_bind "$edu" eperm '"translated"'
	ktap_end "identity domain set right before the bind: refused, citing translated"

	ktap_begin
	ktap_checked=1
	set_type "$type_old" || ktap_mismatch "cannot write $type_old back: $write_err"
	expect_bind "$edu" ok ''
	ktap_end "domain type restored (the store still has it): the bind goes through"

	ktap_begin
	settle "$edu"
	ktap_checked=1
	set_type identity || ktap_mismatch "cannot write identity: $write_err"
	pthructl -j dev show "$edu" >"$t/show" 2>&1
	json_load d_ "$(cat "$t/show")"
	ktap_expect "domain of $edu in the store" "$d_domain_type" identity
	set_type "$type_old" || ktap_mismatch "cannot write $type_old back: $write_err"
	expect_bind "$edu" ok ''
	ktap_end "domain type restored right before the bind (the store has identity): the bind goes through"
fi

# ---------------------------------------------------------------------
monitor_stop
ktap_begin
ktap_checked=1
[ -n "$port" ] && ktap_expect "ACS control of $port" "$(cfg_read "$port" "$ctrl_off" 2)" "$acs_old"
[ -n "$group" ] && ktap_expect "type of group $group" "$(sysfs_group_type "$group")" "$type_old"
if module_unload && module_load 2>"$t/load.err"; then
	reloaded=0
else
	ktap_mismatch "reloading pthru without parameters failed: $(cat "$t/load.err" 2>/dev/null)"
fi
ktap_end "the registers and group type are as they were; pthru loads without parameters"

ktap_finished
