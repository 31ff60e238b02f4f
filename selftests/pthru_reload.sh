#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unload and reload the module 20 times: each unload must leave no
# /sys/kernel/debug/pthru directory and no pthru generic netlink family
# (checked with pthructl, which must then say the module is not loaded,
# and with a raw nlctrl query), each load must give a working module, and
# the kernel log must stay free of warnings.  The module is loaded from
# $PTHRU_KO when set (the test guest sets it), else with modprobe.  It is
# left loaded.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

cycles=20
not_loaded="pthructl: the pthru module is not loaded (modprobe pthru)"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool
if [ -n "${PTHRU_KO:-}" ]; then
	[ -f "$PTHRU_KO" ] || ktap_skip_all "PTHRU_KO=$PTHRU_KO does not exist"
else
	modprobe -n pthru 2>/dev/null ||
		ktap_skip_all "cannot reload: pthru is not installed (set PTHRU_KO=path/to/pthru.ko)"
fi
[ -x "$ktap_dir/pthru_nl_errors" ] ||
	ktap_skip_all "$ktap_dir/pthru_nl_errors is not built (make -C selftests)"

ktap_tmpdir
t=$ktap_tmp
ktap_cleanup_hook() {
	pthru_module_loaded || load_module >/dev/null 2>&1
}

load_module() {
	if [ -n "${PTHRU_KO:-}" ]; then
		insmod "$PTHRU_KO"
	else
		modprobe pthru
	fi
}

kernel_trouble() {
	dmesg | grep -cE 'WARNING:|BUG:|Oops|general protection|refcount_t:'
}

ktap_set_plan 5
trouble0=$(kernel_trouble)
bad_unload=0
bad_debugfs=0
bad_family=0
bad_load=0
i=0
while [ $i -lt $cycles ]; do
	i=$((i + 1))
	if ! rmmod pthru 2>"$t/err" || pthru_module_loaded; then
		ktap_diag "cycle $i: rmmod pthru failed: $(cat "$t/err")"
		bad_unload=$((bad_unload + 1))
		break
	fi
	if [ -e "$pthru_debugfs" ]; then
		ktap_diag "cycle $i: $pthru_debugfs is left after unload"
		bad_debugfs=$((bad_debugfs + 1))
	fi
	pthructl status >"$t/out" 2>"$t/err"
	rc=$?
	if [ $rc -ne 2 ] || [ "$(cat "$t/err")" != "$not_loaded" ] || [ -s "$t/out" ]; then
		ktap_diag "cycle $i: pthructl status after unload: exit $rc, stderr '$(cat "$t/err")'"
		bad_family=$((bad_family + 1))
	fi
	"$ktap_dir/pthru_nl_errors" >"$t/out" 2>&1
	rc=$?
	if [ $rc -ne 4 ]; then
		ktap_diag "cycle $i: nlctrl still resolves the family (pthru_nl_errors exit $rc)"
		bad_family=$((bad_family + 1))
	fi
	if ! load_module 2>"$t/err"; then
		ktap_diag "cycle $i: loading pthru failed: $(cat "$t/err")"
		bad_load=$((bad_load + 1))
		break
	fi
	if ! pthructl -j status >"$t/out" 2>"$t/err" || [ ! -f "$pthru_debugfs/status" ]; then
		ktap_diag "cycle $i: after load: pthructl -j status: $(cat "$t/err")," \
			"debugfs status: $(ls "$pthru_debugfs" 2>&1)"
		bad_load=$((bad_load + 1))
	fi
done
ktap_diag "$i of $cycles cycles run"

# cycle_result BAD NAME: pass when no cycle went wrong and all of them ran.
cycle_result() {
	if [ "$1" -eq 0 ] && [ $i -eq $cycles ]; then
		ktap_test_pass "$2"
	else
		ktap_test_fail "$2"
	fi
}
cycle_result $bad_unload "rmmod pthru succeeds $cycles times"
cycle_result $bad_debugfs "no debugfs directory is left after unload"
cycle_result $bad_family "no pthru family is left after unload"
cycle_result $bad_load "the module loads and answers after every unload"
trouble1=$(kernel_trouble)
if [ "$trouble1" -eq "$trouble0" ]; then
	ktap_test_pass "the kernel log has no new warnings"
else
	dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t:' |
		tail -n 5 | sed 's/^/# /'
	ktap_test_fail "the kernel log has no new warnings"
fi

ktap_finished
