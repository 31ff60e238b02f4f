#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The gate across module loads.  "mode=bogus" makes the load fail with a
# kernel log line naming the value; "mode=enforce" and "mode=off" start in
# that mode (the parameter reads back, 0444); a load without the parameter
# starts in audit mode, and every load starts with the documented policy:
# gate vfio-pci pci-stub uio_pci_generic *-vfio-pci *_vfio_pci, default allow require
# acs-isolated,translated,viable-group, no rules, unlocked, counters at 0,
# generation 1.  Unloading restores vfio-pci's probe: a bind the gate
# refused just before rmmod succeeds after it.  The module is loaded from
# $PTHRU_KO when set (the test guest sets it), else with modprobe, and is
# left loaded without parameters, as pthru_reload.sh leaves it.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

policy_test_start reload
policy_require_edu
edu_orig=$(sysfs_driver "$edu")
ktap_cleanup_hook() {
	if pthru_module_loaded; then
		[ "$(cat /sys/module/pthru/parameters/mode 2>/dev/null)" = audit ] ||
			{ module_unload && module_load; }
	else
		module_load
	fi >/dev/null 2>&1
	restore_driver "$edu" "$edu_orig"
}

ktap_set_plan 6

# reload [PARAM...]: unload and load with PARAM; 1 with a diagnostic.
reload() {
	if ! module_unload; then
		ktap_diag "rmmod pthru failed: $(cat "$t/rmmod.err")"
		return 1
	fi
	if ! module_load "$@" 2>"$t/insmod.err"; then
		ktap_diag "loading pthru $* failed: $(cat "$t/insmod.err")"
		return 1
	fi
}

# expect_defaults MODE: a fresh load's policy, in MODE.
expect_defaults() {
	ktap_expect "parameter mode" "$(cat /sys/module/pthru/parameters/mode 2>&1)" "$1"
	ktap_expect "permissions of parameters/mode" \
		"$(stat -c %a /sys/module/pthru/parameters/mode 2>&1)" 444
	policy_state
	ktap_expect "mode" "$pol_mode" "$1"
	ktap_expect "locked" "$pol_locked" false
	ktap_expect "gated" "$pol_gated" "$policy_default_gated"
	ktap_expect "default action" "$pold_action" allow
	ktap_expect "default requirements" "$pol_reqs" "$policy_default_reqs"
	ktap_expect "rules" "$pol_nrules" 0
	ktap_expect "counters" "$polc_allowed $polc_denied $polc_audited" "0 0 0"
	ktap_expect "generation" "$pol_generation" 1
	pthructl policy save >"$t/save" 2>&1
	ktap_expect "policy save" "$(cat "$t/save")" "mode $1
gate $policy_default_gated
default allow require acs-isolated,translated,viable-group"
}

ktap_begin
klog_mark bogus
if reload mode=bogus 2>/dev/null; then
	ktap_mismatch "pthru loaded with mode=bogus"
else
	ktap_checked=$((ktap_checked + 1))
	pthru_module_loaded && ktap_mismatch "pthru is loaded after the refused load"
	ktap_checked=$((ktap_checked + 1))
	klog_since | grep 'pthru' | grep -q 'bogus' ||
		ktap_mismatch "no pthru kernel log line names 'bogus': $(klog_since | tail -n 3)"
fi
ktap_end "mode=bogus: the load fails and the kernel log names the value"

ktap_begin
pthru_module_loaded || module_load 2>/dev/null
if reload mode=enforce; then
	expect_defaults enforce
else
	ktap_mismatch "pthru does not load with mode=enforce"
fi
ktap_end "mode=enforce: the module starts enforcing the default policy"

# Only where the profile has a function the default refuses: the load-time
# policy is already a gate, before anyone loaded a policy.
ktap_begin
if [ -z "$exposed" ]; then
	ktap_test_skip "mode=enforce: the default policy refuses a function behind a switch without ACS" \
		"the profile has no function behind a switch without ACS"
else
	exposed_orig=$(sysfs_driver "$exposed")
	release "$exposed"
	bind_file "$exposed"
	ktap_expect "status of the bind write" $? 1
	ktap_checked=$((ktap_checked + 1))
	write_refused_eperm || ktap_mismatch "the bind write failed with '$write_err', not EPERM"
	ktap_expect "driver of $exposed" "$(sysfs_driver "$exposed")" null
	restore_driver "$exposed" "$exposed_orig"
	ktap_end "mode=enforce: the default policy refuses a function behind a switch without ACS"
fi

# Unloading must put vfio-pci's own probe back: refuse edu, unload, bind.
ktap_begin
printf 'mode enforce\ndefault deny\n' >"$t/deny.conf"
policy_expect_load "deny everything" "$t/deny.conf"
release "$edu"
bind_file "$edu"
ktap_expect "status of the bind write while denied" $? 1
ktap_expect "driver of $edu while denied" "$(sysfs_driver "$edu")" null
ktap_checked=$((ktap_checked + 1))
module_unload || ktap_mismatch "rmmod pthru failed: $(cat "$t/rmmod.err")"
bind_file "$edu"
ktap_expect "status of the bind write after rmmod ($write_err)" $? 0
ktap_expect "driver of $edu after rmmod" "$(sysfs_driver "$edu")" vfio-pci
sysfs_write $vfio/unbind "$edu"
set_override "$edu" ""
ktap_end "rmmod restores vfio-pci's probe: a refused bind succeeds after it"

ktap_begin
if module_load mode=off 2>"$t/insmod.err"; then
	ktap_expect "parameter mode" "$(cat /sys/module/pthru/parameters/mode 2>&1)" off
	policy_state
	ktap_expect "mode" "$pol_mode" off
	bind_file "$edu"
	ktap_expect "status of the bind write in off mode ($write_err)" $? 0
	ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" vfio-pci
	sysfs_write $vfio/unbind "$edu"
	set_override "$edu" ""
else
	ktap_mismatch "pthru does not load with mode=off: $(cat "$t/insmod.err")"
fi
ktap_end "mode=off: the module starts without judging binds"

ktap_begin
if reload; then
	expect_defaults audit
else
	ktap_mismatch "pthru does not load without parameters"
fi
restore_driver "$edu" "$edu_orig"
ktap_end "without the parameter the module starts in audit mode with the default policy"

ktap_finished
