#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The lock.  On a freshly loaded module with a policy that denies the edu
# function in enforce mode, "pthructl policy lock" locks it; after that
# "policy mode", "policy load" of rules, "policy load" of a gate line (a
# change of the gated drivers) and a second "policy lock" fail with exit 2
# and "pthructl: ...locked...", and change nothing; "rmmod pthru" fails
# and the module stays; the gate keeps refusing (EPERM); reading still
# works; the lock and a refused change leave Linux audit records.
#
# A lock lasts until reboot, so this runs only where that is wanted: in
# the test guest (/etc/pthru-vm exists), which powers off after the tests,
# or with PTHRU_TEST_ALLOW_LOCK=1.  run_tests.sh runs it last, after every
# test that unloads the module.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
[ -d /etc/pthru-vm ] || [ "${PTHRU_TEST_ALLOW_LOCK:-0}" = 1 ] ||
	ktap_skip_all "locking lasts until reboot: runs only in the test guest or with PTHRU_TEST_ALLOW_LOCK=1"
pthru_can_reload ||
	ktap_skip_all "cannot reload: pthru is not installed (set PTHRU_KO=path/to/pthru.ko)"
[ -d $vfio ] || modprobe vfio-pci 2>/dev/null
[ -d $vfio ] || ktap_skip_all "the vfio-pci driver is not available"
ktap_tmpdir
t=$ktap_tmp
policy_must_answer
[ "$pol_locked" = false ] || ktap_skip_all "the policy is locked already (until reboot)"
policy_subjects
[ -n "$edu" ] ||
	ktap_skip_all "no function that is safe to rebind (QEMU edu, or set PTHRU_TEST_BIND_DEV=ADDR)"
edu_orig=$(sysfs_driver "$edu")
ktap_cleanup_hook() {
	pthru_module_loaded || module_load >/dev/null 2>&1
	restore_driver "$edu" "$edu_orig"
}

ktap_set_plan 7

# A module of its own: what earlier tests did to the policy and counters
# does not matter, and nothing after this needs to unload it.
ktap_begin
ktap_checked=1
if ! module_unload || ! module_load 2>"$t/insmod.err"; then
	ktap_mismatch "cannot reload pthru: $(cat "$t/rmmod.err" "$t/insmod.err" 2>/dev/null)"
	ktap_end "the module loads afresh"
	ktap_finished
fi
cat >"$t/p.conf" <<EOF
mode enforce
gate vfio-pci pci-stub uio_pci_generic *-vfio-pci
default allow require acs-isolated,translated,viable-group
rule 7 deny addr $edu label "selftest: locked out"
EOF
policy_expect_load "the policy to lock" "$t/p.conf"
klog_mark lock
pthructl policy lock >"$t/out" 2>"$t/err"
ktap_expect "exit status of policy lock ($(cat "$t/err"))" $? 0
ktap_expect "bytes on stdout of policy lock" "$(($(wc -c <"$t/out")))" 0
policy_state
ktap_expect "locked" "$pol_locked" true
ktap_end "policy lock locks the policy"

policy_save "$t/locked.save"
gen_locked=$pol_generation

# refused NAME CMD...: pthructl CMD fails as a locked policy's refusal.
refused() {
	local rc

	pthructl "$@" >"$t/out" 2>"$t/err"
	rc=$?
	ktap_expect "exit status of 'pthructl $*'" $rc 2
	ktap_expect "lines on stderr of 'pthructl $*'" "$(($(wc -l <"$t/err")))" 1
	ktap_expect "bytes on stdout of 'pthructl $*'" "$(($(wc -c <"$t/out")))" 0
	case $(head -n 1 "$t/err") in
	"pthructl: "*locked*) ;;
	*) ktap_mismatch "'pthructl $*': stderr '$(head -n 1 "$t/err")' does not say locked" ;;
	esac
}

# unchanged: the policy is the one that was locked.
unchanged() {
	policy_save "$t/now"
	ktap_checked=$((ktap_checked + 1))
	cmp -s "$t/now" "$t/locked.save" ||
		ktap_mismatch "the locked policy changed: $(diff "$t/locked.save" "$t/now" | tr '\n' ' ')"
	policy_state
	ktap_expect "generation" "$pol_generation" "$gen_locked"
	ktap_expect "locked" "$pol_locked" true
}

ktap_begin
refused policy mode audit
refused policy mode off
refused policy mode enforce
unchanged
ktap_end "a locked policy refuses every mode change"

ktap_begin
sed 's/^rule 7 deny/rule 8 deny/' "$t/p.conf" >"$t/rules.conf"
refused policy load "$t/rules.conf"
printf 'gate pci-stub\ndefault allow\n' >"$t/gate.conf"
refused policy load "$t/gate.conf"
refused policy load "$t/p.conf"
refused policy lock
unchanged
ktap_end "a locked policy refuses new rules, a new gate list and another lock"

ktap_begin
ktap_checked=1
if rmmod pthru 2>"$t/err"; then
	ktap_mismatch "rmmod pthru succeeded on a locked policy"
	module_load
fi
ktap_checked=$((ktap_checked + 1))
pthru_module_loaded || ktap_mismatch "pthru is not loaded after rmmod"
ktap_diag "rmmod: $(cat "$t/err")"
unchanged
ktap_end "rmmod pthru fails while the policy is locked"

ktap_begin
release "$edu"
bind_file "$edu"
ktap_expect "status of the bind write" $? 1
ktap_checked=$((ktap_checked + 1))
write_refused_eperm || ktap_mismatch "the bind write failed with '$write_err', not EPERM"
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" null
set_override "$edu" ""
ktap_end "the locked gate keeps refusing"

ktap_begin
pthructl policy test "$t/p.conf" "$edu" >"$t/out" 2>"$t/err"
ktap_expect "exit status of policy test $edu" $? 1
pthructl policy >"$t/out" 2>"$t/err"
ktap_expect "exit status of policy" $? 0
ktap_checked=$((ktap_checked + 1))
grep -q 'locked' "$t/out" || ktap_mismatch "policy does not say locked: $(cat "$t/out")"
ktap_end "reading a locked policy works"

ktap_begin
if grep -qw 'audit=0' /proc/cmdline; then
	ktap_test_skip "the lock and the refused changes are in the Linux audit log" "auditing is off (audit=0)"
else
	klog_since >"$t/klog"
	ktap_checked=2
	grep -q 'op=pthru-lock .*locked=1' "$t/klog" ||
		ktap_mismatch "no op=pthru-lock record with locked=1: $(grep 'op=pthru' "$t/klog" | head -n 3)"
	grep -q 'op=pthru-policy-[a-z]* .*res=0' "$t/klog" ||
		ktap_mismatch "no refused change (res=0) recorded: $(grep 'op=pthru' "$t/klog" | head -n 3)"
	ktap_end "the lock and the refused changes are in the Linux audit log"
fi

ktap_finished
