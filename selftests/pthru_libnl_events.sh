#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The family from a libnl-genl-3 client: examples/libnl/pthru-events, the
# template for an integrator's daemon, joins the alerts group and must
# print what pthru announces there, decoded from the uapi header alone:
#   policy     loading a policy gives a policy-change line;
#   decision   an enforce policy whose rule 7 denies edu: binding edu to
#              vfio-pci fails with EPERM, and the client prints the
#              decision with the outcome, mode, rule, label, the binding
#              process's pid and comm;
#   findings   vfio_iommu_type1's allow_unsafe_interrupts flipped, then
#              "pthructl audit": the client prints unsafe-interrupts
#              (PTHRU-011, critical, host-wide) raised or cleared; flipped
#              back and audited again, the opposite;
#   SIGINT     the client exits 0 at once.
# The client is looked up as PTHRU_EVENTS, then pthru-events in PATH, then
# ../examples/libnl/pthru-events beside selftests/; the test skips when
# none is there (make -C examples/libnl, which needs libnl-genl-3-dev).
# The policy, edu's driver and the parameter are restored.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

policy_test_start
policy_require_edu

events=${PTHRU_EVENTS:-}
if [ -z "$events" ]; then
	events=$(command -v pthru-events 2>/dev/null)
	[ -n "$events" ] || events=$ktap_dir/../examples/libnl/pthru-events
fi
[ -x "$events" ] ||
	ktap_skip_all "no libnl client: $events is missing (make -C examples/libnl; needs libnl-genl-3-dev)"
unsafe=/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts
[ -w $unsafe ] || modprobe vfio_iommu_type1 2>/dev/null
[ -w $unsafe ] || ktap_skip_all "$unsafe is not writable (vfio_iommu_type1 not loaded)"

policy_keep
edu_orig=$(sysfs_driver "$edu")
unsafe_orig=$(cat $unsafe)
client_pid=
ktap_cleanup_hook() {
	[ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null
	echo "$unsafe_orig" >$unsafe
	pthructl audit --fail-on none >/dev/null 2>&1
	policy_restore
	restore_driver "$edu" "$edu_orig"
}

out=$t/events
client_listening() {
	grep -q '^listening on pthru alerts' "$out"
}
# client_has PATTERN: the client printed a line matching the ERE.
client_has() {
	grep -Eq "$1" "$out"
}

# expect_line WHAT ERE: within 10 s the client prints a line matching ERE.
expect_line() {
	if wait_for 10 client_has "$2"; then
		ktap_expect "$1" printed printed
	else
		ktap_expect "$1 (its last lines: $(tail -n 3 "$out" | tr '\n' '|'))" missing "a line matching $2"
	fi
}

ktap_set_plan 5
ktap_diag "client $events; edu $edu ($edu_orig); allow_unsafe_interrupts $unsafe_orig"

ktap_begin
"$events" >"$out" 2>"$out.err" &
client_pid=$!
wait_for 10 client_listening
ktap_expect "the client's first line ($(cat "$out.err"))" "$(head -n 1 "$out" | cut -d ' ' -f 1-4)" \
	"listening on pthru alerts"
pid_alive "$client_pid"
ktap_expect "the client is running" $? 0
ktap_end "the client joins the alerts group"

# ---------------------------------------------------------------------
ktap_begin
{
	echo "mode enforce"
	echo "gate vfio-pci"
	echo "default allow"
	echo "rule 7 deny addr $edu label \"selftest: libnl\""
} >"$t/p.conf"
policy_load "$t/p.conf"
rc=$?
ktap_expect "loading the test policy ($(cat "$ktap_tmp/load.err"))" $rc 0
expect_line "a policy-change line" '^policy-change$'
ktap_end "a policy load is printed as policy-change"

ktap_begin
release "$edu" || ktap_diag "cannot release $edu from $edu_orig"
bind_file "$edu"
rc=$?
ktap_expect "status of the bind write ($write_err)" $rc 1
write_refused_eperm
ktap_expect "the bind write failed with EPERM ($write_err)" $? 0
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" null
expect_line "the decision line" \
	"^decision $edu driver vfio-pci outcome denied mode enforce rule 7 \"selftest: libnl\" pid [0-9]+ uid 0 comm [^ ]+$"
restore_driver "$edu" "$edu_orig"
ktap_end "a denied bind is printed with its outcome, mode, rule, label and process"

# ---------------------------------------------------------------------
# flip_unsafe Y|N WHAT: set the parameter, audit, and expect the client
# to print unsafe-interrupts WHAT (finding-raise or finding-clear).
flip_unsafe() {
	local line="^$2 PTHRU-011 unsafe-interrupts critical host: "

	echo "$1" >$unsafe
	pthructl audit --fail-on none >/dev/null 2>"$t/audit.err"
	rc=$?
	ktap_expect "pthructl audit with allow_unsafe_interrupts=$1 ($(cat "$t/audit.err"))" $rc 0
	expect_line "the $2 line" "$line"
}

# A profile may boot with the parameter set: then the first flip clears.
case $unsafe_orig in
Y | 1) first=N second=Y ev1=finding-clear ev2=finding-raise ;;
*) first=Y second=N ev1=finding-raise ev2=finding-clear ;;
esac
ktap_begin
flip_unsafe $first $ev1
flip_unsafe $second $ev2
ktap_end "allow_unsafe_interrupts flipped and back: the client prints $ev1 then $ev2"

# ---------------------------------------------------------------------
ktap_begin
client_gone() {
	! pid_alive "$client_pid"
}
kill -INT "$client_pid"
if wait_for 5 client_gone; then
	wait "$client_pid"
	ktap_expect "the client's exit status after SIGINT" $? 0
else
	ktap_expect "the client after SIGINT ($(proc_where "$client_pid"))" running exited
fi
client_pid=
ktap_end "SIGINT ends the client cleanly"

ktap_finished
