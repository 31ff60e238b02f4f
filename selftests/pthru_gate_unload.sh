#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unloading the bind gate while binds and policy changes race with it.
# The module is unloaded and loaded again (mode=enforce) $cycles times
# while, in the background,
#   - edu is bound to vfio-pci and unbound, over and over; a policy rule
#     denies that bind, so while vfio-pci is gated it is refused (EPERM)
#     and otherwise it goes through;
#   - the profile's function behind an ACS root port (the default allows
#     it) moves between vfio-pci and its own driver, which is never gated;
#   - the gate list changes back and forth between one with vfio-pci and
#     one without ("pthructl policy load"), so that a bind whose
#     BIND_DRIVER found vfio-pci ungated can meet a probe pointer that
#     another bind has just wrapped (each load is followed at once by the
#     policy without vfio-pci, so that the wrapping comes later).
# Every unload and load must succeed (an unload may only have to be tried
# again while a netlink socket holds a module reference); the binds give
# nothing but success or, for edu while gated, EPERM; refusals happen;
# after the last unload binds work without the gate; and the kernel log
# gains no warning, BUG or oops.  pthru is loaded with shadow=off: binding
# vfio-pci would arm the shadow's kprobes while the other loop's driver may
# be running the probed functions, which risks the TCG crash that
# Documentation/testing.rst describes.  It is left loaded without
# parameters, the drivers as they were.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

cycles=${PTHRU_GATE_UNLOAD_CYCLES:-12}

policy_test_start reload
policy_require_edu

edu_orig=$(sysfs_driver "$edu")
isolated_orig=null
if [ -n "$isolated" ]; then
	isolated_orig=$(sysfs_driver "$isolated")
	# It must have a driver of its own to go back to.
	[ "$isolated_orig" = null ] || [ "$isolated_orig" = vfio-pci ] && isolated=
fi

# The loops end at the next round once $t/stop exists.  Killing them
# instead could leave a bind of theirs running in a command substitution's
# child, which would then bind a function after the test put it back.
loop_pids=
loops_go() {
	[ ! -e "$t/stop" ]
}

stop_loops() {
	local p

	: >"$t/stop"
	for p in $loop_pids; do
		wait "$p" 2>/dev/null
	done
	loop_pids=
	rm -f "$t/stop"
}

ktap_cleanup_hook() {
	stop_loops
	pthru_module_loaded || module_load >/dev/null 2>&1
	restore_driver "$edu" "$edu_orig"
	[ -n "$isolated" ] && restore_driver "$isolated" "$isolated_orig"
}

kernel_trouble() {
	dmesg | grep -cE 'WARNING:|BUG:|Oops|general protection|refcount_t:|no saved probe'
}

# The two policies the policy loop alternates: vfio-pci gated or not.
write_policy() {
	{
		echo "mode enforce"
		echo "gate $1"
		echo "default allow require acs-isolated,translated,viable-group"
		echo "rule 7 deny addr $edu driver vfio-pci label \"selftest: edu unload race\""
	} >"$2"
}
write_policy "vfio-pci pci-stub *-vfio-pci" "$t/gated.conf"
write_policy "pci-stub uio_pci_generic" "$t/ungated.conf"

load_enforce() {
	module_load mode=enforce shadow=off
}

# unload: rmmod, tried again only while the module is "in use" (a netlink
# socket of the policy loop holding a reference).  $t/unload.err has the
# last complaint; $unload_tries the number of attempts.
unload() {
	unload_tries=0
	while [ $unload_tries -lt 50 ]; do
		unload_tries=$((unload_tries + 1))
		rmmod pthru 2>"$t/unload.err" && return 0
		pthru_module_loaded || return 0
		case $(cat "$t/unload.err") in
		*"in use"* | *"temporarily unavailable"* | *busy*) sleep 0.1 ;;
		*) return 1 ;;
		esac
	done
	return 1
}

# bind_to_vfio ADDR: bind through vfio-pci's bind file; echo "ok", "eperm"
# or "other: MESSAGE".
bind_to_vfio() {
	set_override "$1" vfio-pci
	if sysfs_write "$vfio/bind" "$1"; then
		echo ok
	elif write_refused_eperm; then
		echo eperm
	else
		echo "other: $write_err"
	fi
}

# edu_loop FILE: one line per bind of edu to vfio-pci.
edu_loop() {
	while loops_go; do
		r=$(bind_to_vfio "$edu")
		echo "$r" >>"$1"
		[ "$(sysfs_driver "$edu")" = vfio-pci ] &&
			echo "$edu" >"$vfio/unbind" 2>/dev/null
		set_override "$edu" ""
	done
}

# isolated_loop FILE: one line per bind to vfio-pci and per rebind to the
# function's own driver ("own ok" / "own other: ...").
isolated_loop() {
	while loops_go; do
		echo "$isolated" >"$pci_devices/$isolated/driver/unbind" 2>/dev/null
		bind_to_vfio "$isolated" >>"$1"
		[ "$(sysfs_driver "$isolated")" = vfio-pci ] &&
			echo "$isolated" >"$vfio/unbind" 2>/dev/null
		set_override "$isolated" ""
		if sysfs_write /sys/bus/pci/drivers_probe "$isolated" &&
		   [ "$(sysfs_driver "$isolated")" = "$isolated_orig" ]; then
			echo "own ok" >>"$1"
		else
			echo "own other: $write_err ($(sysfs_driver "$isolated"))" >>"$1"
		fi
	done
}

# policy_loop FILE: "ok" per policy installed; failures while the module
# is away are expected and not written.
policy_loop() {
	while loops_go; do
		for f in gated ungated; do
			pthructl policy load "$t/$f.conf" >/dev/null 2>&1 &&
				echo ok >>"$1"
		done
	done
}

ktap_set_plan 8
ktap_diag "edu $edu ($edu_orig); behind an ACS root port: ${isolated:-none} ($isolated_orig); $cycles cycles"

trouble0=$(kernel_trouble)
release "$edu" || ktap_diag "cannot release $edu from $edu_orig"
if ! { unload && load_enforce 2>"$t/load.err"; }; then
	ktap_diag "cannot reload pthru mode=enforce: $(cat "$t/unload.err" "$t/load.err")"
	ktap_test_fail "pthru loads with mode=enforce shadow=off"
	ktap_finished
fi
ktap_test_pass "pthru loads with mode=enforce shadow=off"

: >"$t/edu"
: >"$t/iso"
: >"$t/pol"
edu_loop "$t/edu" &
loop_pids="$loop_pids $!"
if [ -n "$isolated" ]; then
	isolated_loop "$t/iso" &
	loop_pids="$loop_pids $!"
fi
policy_loop "$t/pol" &
loop_pids="$loop_pids $!"

bad_unload=0
bad_load=0
retried=0
i=0
while [ $i -lt "$cycles" ]; do
	i=$((i + 1))
	# Let the loops run a varying while: 0.2 to 0.8 s.
	sleep "0.$((2 + (i * 3) % 7))"
	if ! unload; then
		ktap_diag "cycle $i: rmmod pthru failed after $unload_tries tries: $(cat "$t/unload.err")"
		bad_unload=$((bad_unload + 1))
		break
	fi
	[ "$unload_tries" -gt 1 ] && retried=$((retried + 1))
	sleep 0.2	# binds without the gate
	if ! load_enforce 2>"$t/load.err"; then
		ktap_diag "cycle $i: loading pthru failed: $(cat "$t/load.err")"
		bad_load=$((bad_load + 1))
		break
	fi
	# The load-time policy gates vfio-pci, and its first bind wraps it
	# until the unload.  Ungating it at once (when no bind has wrapped it
	# yet) leaves the wrapping to a bind after the policy loop's next
	# change, with binds to the then ungated vfio-pci in flight.
	pthructl policy load "$t/ungated.conf" >/dev/null 2>&1
done
stop_loops
# A loop may have been stopped between a bind and its unbind.
restore_driver "$edu" null || ktap_diag "cannot release $edu"
[ -n "$isolated" ] && { restore_driver "$isolated" "$isolated_orig" ||
	ktap_diag "$isolated does not go back to $isolated_orig"; }
ktap_diag "$i of $cycles cycles; $retried unloads tried again (module in use);" \
	"edu binds: $(grep -c '^ok$' "$t/edu") ok, $(grep -c '^eperm$' "$t/edu") refused;" \
	"${isolated:-no function} binds: $(grep -c '^ok$' "$t/iso") ok," \
	"$(grep -c '^own ok$' "$t/iso") back to $isolated_orig; policies installed: $(wc -l <"$t/pol")"

if [ $bad_unload -eq 0 ] && [ $i -eq "$cycles" ]; then
	ktap_test_pass "rmmod pthru succeeds $cycles times under binds and policy changes"
else
	ktap_test_fail "rmmod pthru succeeds $cycles times under binds and policy changes"
fi
if [ $bad_load -eq 0 ] && [ $i -eq "$cycles" ]; then
	ktap_test_pass "the module loads again every time"
else
	ktap_test_fail "the module loads again every time"
fi

ktap_begin
ktap_checked=1
grep -v -e '^ok$' -e '^eperm$' "$t/edu" >"$t/edu.bad"
[ -s "$t/edu.bad" ] &&
	ktap_mismatch "edu: $(sort "$t/edu.bad" | uniq -c | head -n 3 | tr '\n' ';')"
if [ -n "$isolated" ]; then
	grep -v -e '^ok$' -e '^own ok$' "$t/iso" >"$t/iso.bad"
	[ -s "$t/iso.bad" ] &&
		ktap_mismatch "$isolated: $(sort "$t/iso.bad" | uniq -c | head -n 3 | tr '\n' ';')"
	ktap_checked=$((ktap_checked + 1))
	grep -q '^ok$' "$t/iso" || ktap_mismatch "$isolated never bound to vfio-pci"
fi
ktap_checked=$((ktap_checked + 1))
grep -q '^ok$' "$t/edu" || ktap_mismatch "edu never bound to vfio-pci"
ktap_checked=$((ktap_checked + 1))
[ -s "$t/pol" ] || ktap_mismatch "no policy was ever installed by the policy loop"
ktap_end "every bind in the loops succeeded or, for edu, was refused with EPERM"

# Only the gate refuses with EPERM.
refused=$(grep -c '^eperm$' "$t/edu")
ktap_begin
ktap_checked=1
[ "$refused" -gt 0 ] ||
	ktap_mismatch "no bind of edu was refused while the module was loaded"
ktap_end "gated binds were refused while the module was loaded"

# After the last unload: no wrapper in front of vfio-pci's probe.
ktap_begin
if ! unload; then
	ktap_mismatch "rmmod pthru failed: $(cat "$t/unload.err")"
else
	ktap_expect "bind of $edu to vfio-pci without pthru" "$(bind_to_vfio "$edu")" ok
	ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" vfio-pci
	sysfs_write "$vfio/unbind" "$edu"
	set_override "$edu" ""
	if [ -n "$isolated" ]; then
		release "$isolated"
		ktap_expect "bind of $isolated to vfio-pci without pthru" \
			"$(bind_to_vfio "$isolated")" ok
		ktap_checked=$((ktap_checked + 1))
		restore_driver "$isolated" "$isolated_orig" ||
			ktap_mismatch "$isolated does not go back to $isolated_orig"
	fi
fi
ktap_end "binds work after the last unload"

# Loaded again: the gate refuses as before.
ktap_begin
if ! load_enforce 2>"$t/load.err"; then
	ktap_mismatch "loading pthru failed: $(cat "$t/load.err")"
else
	policy_expect_load "the gated policy" "$t/gated.conf"
	ktap_expect "bind of $edu to vfio-pci under the gated policy" \
		"$(bind_to_vfio "$edu")" eperm
	ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" null
	set_override "$edu" ""
	if [ -n "$isolated" ]; then
		release "$isolated"
		ktap_expect "bind of $isolated to vfio-pci under the gated policy" \
			"$(bind_to_vfio "$isolated")" ok
		ktap_checked=$((ktap_checked + 1))
		restore_driver "$isolated" "$isolated_orig" ||
			ktap_mismatch "$isolated does not go back to $isolated_orig"
	fi
fi
ktap_end "after the race the gate still refuses edu and allows the isolated function"

# Back to a load without parameters.
ktap_begin
ktap_checked=1
{ unload && module_load 2>"$t/load.err"; } ||
	ktap_mismatch "reloading pthru without parameters failed: $(cat "$t/unload.err" "$t/load.err")"
trouble1=$(kernel_trouble)
ktap_expect "warnings, BUGs and oopses in the kernel log" "$((trouble1 - trouble0))" 0
[ "$trouble1" -ne "$trouble0" ] &&
	dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t:|no saved probe' |
		tail -n 5 | sed 's/^/# /'
ktap_end "the kernel log has no new warnings"

ktap_finished
