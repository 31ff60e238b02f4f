# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC3043,SC2034,SC2154 # local; variables for the sourcing scripts
#
# Helpers of the bind-gate selftests (pthru_policy_*.sh and
# pthru_bench_bind.sh), POSIX sh like ktap_helpers.sh, sourced after it:
#
#	. "$(dirname "$0")/ktap_helpers.sh"
#	. "$(dirname "$0")/pthru_policy_lib.sh"
#
# Not a test itself: run_tests.sh does not list it.  What the policy is
# (pthructl -j policy), sysfs binds with their errno, the kernel log from
# a mark on, the decision events of a background monitor, and loading the
# module again with a parameter.

# The drivers the module gates at load (Documentation/policy.rst).
policy_default_gated='vfio-pci pci-stub uio_pci_generic *-vfio-pci *_vfio_pci'
policy_default_reqs='acs-isolated translated viable-group'

vfio=/sys/bus/pci/drivers/vfio-pci

# ---------------------------------------------------------------------
# What the module says the policy is.

# policy_state: run "pthructl -j policy" and set pol_mode, pol_locked,
# pol_generation, pol_gated (space-separated), pold_action, pol_reqs
# (default requirements, space-separated), polc_allowed, polc_denied,
# polc_audited, pol_nrules (rule lines) and pol__keys ("invalid" when the
# head line is not one object).  Returns 1 when pthructl fails.
policy_state() {
	local f="$ktap_tmp/policy-state"

	# Nothing stale survives a failed call.
	pol__keys=invalid
	pol_mode='' pol_locked='' pol_generation='' pol_gated='' pol_reqs=''
	pol_nrules='' pold_action='' polc_allowed='' polc_denied='' polc_audited=''
	pthructl -j policy >"$f" 2>"$f.err" || return 1
	# The head line ends with "rules":[ and the rules follow, one per line.
	json_load pol_ "$(sed -n '1s/\[$/[]}/p' "$f")"
	json_load pold_ "$pol_default"
	json_load polc_ "$pol_counters"
	pol_gated=$(json_strings "$pol_gated")
	pol_reqs=$(json_strings "${pold_requirements:-[]}")
	pol_nrules=$(($(wc -l <"$f") - 2))
	return 0
}

# policy_must_answer: "pthructl -j policy" works, or the script ends as a
# failure (never a skip: the tree builds the module with the gate).
policy_must_answer() {
	if ! policy_state || [ "$pol__keys" = invalid ]; then
		echo "1..1"
		ktap_diag "pthructl -j policy: $(head -n 1 "$ktap_tmp/policy-state.err")" \
			"$(head -n 1 "$ktap_tmp/policy-state")"
		echo "not ok 1 pthructl -j policy answers"
		exit "$KSFT_FAIL"
	fi
}

# policy_require_unlocked: a locked policy cannot be changed until reboot.
policy_require_unlocked() {
	[ "$pol_locked" = false ] ||
		ktap_skip_all "the policy is locked until reboot: nothing here can change it"
}

# policy_load FILE: "pthructl policy load FILE"; stderr in $ktap_tmp/load.err.
policy_load() {
	pthructl policy load "$1" >"$ktap_tmp/load.out" 2>"$ktap_tmp/load.err"
}

# policy_expect_load NAME FILE: loading FILE succeeds, or a mismatch.
policy_expect_load() {
	ktap_checked=$((ktap_checked + 1))
	policy_load "$2" ||
		ktap_mismatch "$1: pthructl policy load failed: $(head -n 1 "$ktap_tmp/load.err")"
}

# policy_save FILE: the installed policy in the language.
policy_save() {
	pthructl policy save >"$1" 2>"$1.err"
}

# policy_keep: save the installed policy (policy_restore puts it back).
policy_keep() {
	policy_save "$ktap_tmp/policy-orig" ||
		ktap_skip_all "pthructl policy save failed: $(head -n 1 "$ktap_tmp/policy-orig.err")"
	policy_kept=1
}

policy_restore() {
	[ "${policy_kept:-0}" -eq 1 ] || return 0
	pthructl policy load "$ktap_tmp/policy-orig" >/dev/null 2>&1
}

# ---------------------------------------------------------------------
# Binding through sysfs, with the errno of the write.

# sysfs_write FILE VALUE: write VALUE to FILE; $write_err gets the shell's
# message ("" on success).  Returns the write's status.  echo, not printf:
# busybox's printf fails silently.
sysfs_write() {
	write_err=$( { echo "$2" >"$1"; } 2>&1)
}

# write_refused_eperm: the last sysfs_write failed with EPERM.  busybox
# ash, dash and bash print strerror(): "Operation not permitted".
write_refused_eperm() {
	case $write_err in
	*"Operation not permitted"*) return 0 ;;
	esac
	return 1
}

# release ADDR: unbind whatever driver ADDR has.
release() {
	[ -e "$pci_devices/$1/driver" ] && echo "$1" >"$pci_devices/$1/driver/unbind"
	[ "$(sysfs_driver "$1")" = null ]
}

# set_override ADDR DRIVER|"": driver_override ("" clears it).
set_override() {
	echo "$2" >"$pci_devices/$1/driver_override"
}

# bind_file ADDR: bind ADDR to vfio-pci through vfio-pci's bind file, with
# driver_override naming vfio-pci (vfio-pci has no ID table).  Returns the
# write's status; $write_err has its message.
bind_file() {
	set_override "$1" vfio-pci
	sysfs_write "$vfio/bind" "$1"
}

# restore_driver ADDR DRIVER: leave ADDR on DRIVER (or unbound for null),
# driver_override cleared.
restore_driver() {
	local now

	set_override "$1" "" 2>/dev/null
	now=$(sysfs_driver "$1")
	[ "$now" = "$2" ] && return 0
	[ "$now" != null ] && echo "$1" >"$pci_devices/$1/driver/unbind" 2>/dev/null
	[ "$2" != null ] && echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	[ "$(sysfs_driver "$1")" = "$2" ]
}

# ---------------------------------------------------------------------
# The kernel log from a mark on.

# klog_mark NAME: write a mark into the kernel log; klog_since prints
# what came after the last mark.  Without auditd, audit records reach the
# kernel log through printk_ratelimit() (10 per 5 s), so earlier tests'
# records could crowd out the ones looked for: between the mark and
# klog_since the burst is lifted, then put back.
klog_burst=/proc/sys/kernel/printk_ratelimit_burst
klog_mark() {
	klog_tag="pthru-selftest: mark $1 $$"
	if [ -z "${klog_saved_burst:-}" ] && [ -w $klog_burst ]; then
		klog_saved_burst=$(cat $klog_burst)
		echo 100000 >$klog_burst
	fi
	echo "$klog_tag" >/dev/kmsg
}

klog_since() {
	if [ -n "${klog_saved_burst:-}" ]; then
		echo "$klog_saved_burst" >$klog_burst
		klog_saved_burst=
	fi
	dmesg | awk -v tag="$klog_tag" 'f { print } index($0, tag) { f = 1 }'
}

# ---------------------------------------------------------------------
# Decision events, from a monitor started with monitor_start.  A decision
# event is one line {"event":"decision",...} whose decision object holds
# "addr", "outcome" and the rest; the keys are matched, not their order.

# decision_lines ADDR [OUTCOME]: the decision events about ADDR.
decision_lines() {
	grep '^{"event":"decision"' "$monitor_file" | grep "\"addr\":\"$1\"" |
		grep "\"outcome\":\"${2:-[a-z]*}\""
}

decision_seen() {
	[ -n "$(decision_lines "$@")" ]
}

# expect_decision ADDR OUTCOME [MEMBER...]: within 10 s a decision event
# about ADDR with OUTCOME arrives, and the last such line holds each JSON
# MEMBER given verbatim ('"verdict":"deny"', '"rule_id":7',
# '"unmet":["acs-isolated"]'), followed by "," or "}".
expect_decision() {
	local addr="$1" outcome="$2" kv line

	shift 2
	ktap_checked=$((ktap_checked + 1))
	if ! wait_for 10 decision_seen "$addr" "$outcome"; then
		ktap_mismatch "no decision event for $addr with outcome $outcome within 10 s" \
			"(decisions: $(grep '"event":"decision"' "$monitor_file" | tr '\n' ' '))"
		return 1
	fi
	line=$(decision_lines "$addr" "$outcome" | tail -n 1)
	for kv in "$@"; do
		ktap_checked=$((ktap_checked + 1))
		case $line in
		*"$kv,"* | *"$kv}"*) ;;
		*) ktap_mismatch "decision event for $addr lacks $kv: $line" ;;
		esac
	done
}

# decision_count: how many decision events the monitor has printed.
decision_count() {
	grep -c '^{"event":"decision"' "$monitor_file"
}

# ---------------------------------------------------------------------
# Loading the module again.

pthru_can_reload() {
	if [ -n "${PTHRU_KO:-}" ]; then
		[ -f "$PTHRU_KO" ]
	else
		modprobe -n pthru 2>/dev/null
	fi
}

# module_load [PARAM=VALUE...]: load pthru from $PTHRU_KO, else modprobe.
module_load() {
	if [ -n "${PTHRU_KO:-}" ]; then
		insmod "$PTHRU_KO" "$@"
	else
		modprobe pthru "$@"
	fi
}

# module_unload: rmmod pthru, waiting out a moment of "in use" (a dump or a
# monitor that has not closed its socket yet).
module_unload() {
	local tries=20

	while [ $tries -gt 0 ]; do
		rmmod pthru 2>"$ktap_tmp/rmmod.err" && return 0
		pthru_module_loaded || return 0
		sleep 0.2
		tries=$((tries - 1))
	done
	return 1
}

# ---------------------------------------------------------------------
# The profile's subjects.

# policy_subjects: set edu (the QEMU edu function nothing depends on, or
# PTHRU_TEST_BIND_DEV), exposed (a function the default policy refuses:
# behind the switch without ACS, from expect_policy_exposed_dev) and
# isolated (one behind an ACS root port it allows, expect_policy_isolated_dev).
policy_subjects() {
	edu=${PTHRU_TEST_BIND_DEV:-$(pci_find_device 0x1234 0x11e8)}
	exposed=
	exposed_unmet=
	isolated=
	if pthru_load_expect && expect_topology_ok; then
		exposed=${expect_policy_exposed_dev:-}
		exposed_unmet=${expect_policy_exposed_unmet:-}
		isolated=${expect_policy_isolated_dev:-}
	fi
}

# policy_test_start [reload]: what a gate test needs before anything
# else: root, the module, an IOMMU, pthructl, vfio-pci, a policy that
# answers and is not locked, and the profile's subjects (policy_subjects);
# with "reload", a module pthru_can_reload() can load again.  Skips the
# whole test, saying why, when one is missing; sets $t to its scratch
# directory.
policy_test_start() {
	ktap_print_header
	pthru_require_root
	pthru_require_module
	pthru_require_iommu
	pthru_require_tool
	if [ "${1:-}" = reload ]; then
		pthru_can_reload ||
			ktap_skip_all "cannot reload: pthru is not installed (set PTHRU_KO=path/to/pthru.ko)"
	fi
	[ -d $vfio ] || modprobe vfio-pci 2>/dev/null
	[ -d $vfio ] || ktap_skip_all "the vfio-pci driver is not available"
	ktap_tmpdir
	t=$ktap_tmp
	policy_must_answer
	policy_require_unlocked
	policy_subjects
}

# policy_require_edu: skip the test unless the profile has edu.
policy_require_edu() {
	[ -n "$edu" ] ||
		ktap_skip_all "no function that is safe to rebind (QEMU edu, or set PTHRU_TEST_BIND_DEV=ADDR)"
	[ -d "$pci_devices/$edu" ] || ktap_skip_all "$edu does not exist"
}

# has_acs ADDR: the function has an ACS capability (read from config space).
has_acs() {
	[ "$(cfg_find_ext "$1" "$PCI_EXT_CAP_ID_ACS")" -ne 0 ]
}
