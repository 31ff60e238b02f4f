#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bind gate's Linux audit records as an audit daemon receives them.
# Debian's auditd runs with a configuration of the test's own (its log in
# the scratch directory, written synchronously, no plugins); then
#   policy   loading an enforce policy whose rule 7 denies edu gives a
#            type 1316 (KERNEL_OTHER) record op=pthru-policy-replace with
#            generation, mode, rules, locked, res and the sending
#            process's subject fields (pid, uid, auid, ses, comm, exe);
#   bind     binding edu to vfio-pci fails with EPERM and gives a record
#            op=pthru-bind with addr, driver, verdict, rule, unmet,
#            outcome, mode, generation, pid, uid and comm;
# both found by "ausearch -m 1316" in auditd's log, field by field; and
# auditd stops cleanly, leaving the kernel without an audit daemon.  Skips
# when auditd, auditctl or ausearch is missing, or when an audit daemon
# already runs (a host's: this test does not take it over).  The policy,
# edu's driver and the audit enabled flag are restored.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

policy_test_start
policy_require_edu

for b in auditd auditctl ausearch; do
	command -v $b >/dev/null 2>&1 || [ -x /sbin/$b ] ||
		ktap_skip_all "$b is missing (Debian's auditd package)"
done
PATH=$PATH:/sbin:/usr/sbin
# audit_status: "auditctl -s" as NAME VALUE lines.
audit_status_of() {
	auditctl -s 2>/dev/null | sed -n "s/^$1 \([0-9]*\).*/\1/p"
}
other=$(audit_status_of pid)
[ -n "$other" ] || ktap_skip_all "auditctl -s does not answer: $(auditctl -s 2>&1 | head -n 1)"
[ "$other" = 0 ] || ktap_skip_all "an audit daemon already runs (pid $other)"

policy_keep
edu_orig=$(sysfs_driver "$edu")
enabled_orig=$(audit_status_of enabled)
auditd_pid=
ktap_cleanup_hook() {
	if [ -n "$auditd_pid" ]; then
		kill "$auditd_pid" 2>/dev/null
		wait "$auditd_pid" 2>/dev/null
	fi
	auditctl -e "$enabled_orig" >/dev/null 2>&1
	policy_restore
	restore_driver "$edu" "$edu_orig"
}

conf=$t/audit
log=$conf/audit.log
mkdir -p "$conf/plugins.d" /var/run /var/log
cat >"$conf/auditd.conf" <<CONF
local_events = yes
write_logs = yes
log_file = $log
log_format = RAW
flush = SYNC
freq = 0
max_log_file = 8
num_logs = 1
max_log_file_action = IGNORE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
use_libwrap = no
name_format = NONE
q_depth = 2000
overflow_action = IGNORE
plugin_dir = $conf/plugins.d
end_of_event_timeout = 2
CONF
chmod 0600 "$conf/auditd.conf"

auditd_registered() {
	[ "$(audit_status_of pid)" = "$auditd_pid" ]
}

# record OP: the raw record of pthru's type with op=OP, the last one.
record() {
	ausearch -if "$log" -m 1316 --raw 2>/dev/null | grep " op=$1 " | tail -n 1
}
# expect_fields WHAT RECORD ERE...: RECORD has a field matching each
# " ERE" (anchored at a space, ending at a space or the line's end).
expect_fields() {
	local what="$1" rec="$2" f

	shift 2
	for f in "$@"; do
		echo "$rec" | grep -Eq " $f( |\$)"
		ktap_expect "$what has $f" $? 0
	done
}
wait_record() {
	[ -n "$(record "$1")" ]
}

ktap_set_plan 4
ktap_diag "auditd $(command -v auditd); edu $edu ($edu_orig); audit enabled $enabled_orig"

ktap_begin
auditd -n -c "$conf" >"$t/auditd.out" 2>&1 &
auditd_pid=$!
# auditd -n reports a configuration error to syslog only: say whether
# it is still running.
wait_for 30 auditd_registered
pid_alive "$auditd_pid" && state=running || state="exited ($(head -n 3 "$t/auditd.out" | tr '\n' '|'))"
ktap_expect "auditctl -s pid (auditd $state)" "$(audit_status_of pid)" "$auditd_pid"
ktap_end "auditd starts and is the kernel's audit daemon"

ktap_begin
{
	echo "mode enforce"
	echo "gate vfio-pci"
	echo "default allow"
	echo "rule 7 deny addr $edu label \"selftest: auditd\""
} >"$t/p.conf"
policy_load "$t/p.conf"
rc=$?
ktap_expect "loading the test policy ($(cat "$ktap_tmp/load.err"))" $rc 0
policy_state
gen=$pol_generation
wait_for 30 wait_record pthru-policy-replace
rec=$(record pthru-policy-replace)
ktap_diag "record: $rec"
ktap_expect "ausearch -m 1316 finds op=pthru-policy-replace" "$(echo "$rec" | cut -d ' ' -f 1)" \
	type=KERNEL_OTHER
expect_fields "the policy record" "$rec" "generation=$gen" mode=enforce rules=1 locked=0 \
	res=1 'pid=[0-9]+' uid=0 'auid=[0-9]+' 'ses=[0-9]+' 'comm="pthructl"' 'exe="[^"]*pthructl"'
ktap_end "a policy load is an audit record with every field"

ktap_begin
release "$edu" || ktap_diag "cannot release $edu from $edu_orig"
bind_file "$edu"
ktap_expect "status of the bind write ($write_err)" $? 1
ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" null
wait_for 30 wait_record pthru-bind
rec=$(record pthru-bind)
ktap_diag "record: $rec"
ktap_expect "ausearch -m 1316 finds op=pthru-bind" "$(echo "$rec" | cut -d ' ' -f 1)" \
	type=KERNEL_OTHER
expect_fields "the bind record" "$rec" "addr=$edu" 'driver="vfio-pci"' verdict=deny rule=7 \
	unmet=none outcome=denied mode=enforce "generation=$gen" 'pid=[0-9]+' uid=0 'comm="[^"]+"'
restore_driver "$edu" "$edu_orig"
ktap_end "a denied bind is an audit record with every field"

ktap_begin
kill "$auditd_pid"
wait "$auditd_pid"
ktap_expect "auditd's exit status on SIGTERM" $? 0
auditd_pid=
ktap_expect "auditctl -s pid after it stopped" "$(audit_status_of pid)" 0
ktap_end "auditd stops and leaves the kernel without an audit daemon"

ktap_finished
