#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Soak: PCI hot remove and rescan, many times, while everything else that
# reads or changes pthru's inventory runs at once.  pthru_hotplug.sh shows
# one remove and one rescan work; this looks for what only repetition and
# concurrency find: an event lost or sent twice, an inventory or a finding
# left behind by a function that is gone, a dump that fails in a way the
# CLI does not explain, a module that stops answering.
#
# Two endpoints are removed (echo 1 >.../remove) and brought back (echo 1
# >/sys/bus/pci/rescan) PTHRU_SOAK_CYCLES times (200): one whose parent
# bridge is a switch downstream port and one whose parent is a PCIe root
# port, as the parent's PCI Express capability says (Device/Port Type 6
# and 4).  Each is an endpoint (header type 0) of a single-function
# device, neither SR-IOV function nor edu; one without a driver is taken
# before one with a driver (nothing in a test guest depends on either),
# else the lowest address.  Meanwhile, in the background:
#   - "pthructl -j monitor" (monitor_start);
#   - dumps, round after round: "pthructl -j dev", "-j group",
#     "-j audit --fail-on none".  A dump that spans a change is flagged
#     NLM_F_DUMP_INTR by the module and the CLI dumps again, up to three
#     times (NL_DUMP_TRIES, HAZARD_FETCH_TRIES); then it exits 2 with
#     "the inventory changed 3 times during the dump; try again" (dev,
#     group) or "the findings changed 3 times ..." (audit).  That is the
#     only failure a dump racing with a removal may have: the module
#     answers a dump from a whole snapshot, never with ENODEV (that is
#     "dev show ADDR" of a function that is gone, not run here).  Any
#     other failure counts;
#   - edu (1234:11e8) bound to vfio-pci and unbound again, as
#     pthru_bind.sh does it (driver_override, drivers_probe, vfio-pci's
#     unbind), under an audit-mode allow-all policy unless the policy is
#     locked (then the loop does not run).
# Checks: every remove and rescan write succeeded and did what it says;
# the monitor printed, for each of the two functions, as many dev-del and
# as many dev-add events as there were cycles; after the last rescan the
# dev dump lists exactly the functions sysfs has (as pthru_inventory.sh
# compares them); at every 10th cycle and the last, between remove and
# rescan, "pthructl -j audit" does not name either removed function; the
# background loops met no unexpected error; "pthructl status" answers at
# the end.  The figures (cycles, events, dumps, binds, seconds) are
# printed as diagnostics.  Everything is put back: the functions
# rescanned, edu on its driver, the policy as it was.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

cycles=${PTHRU_SOAK_CYCLES:-200}
t0=$(date +%s)

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool
case $cycles in
'' | 0 | *[!0-9]*) ktap_skip_all "PTHRU_SOAK_CYCLES=$cycles is not a positive number" ;;
esac

# hotplug_candidate ADDR: an endpoint nothing else hangs on: header type 0
# (not a bridge), not part of a multifunction device, no SR-IOV, not edu.
hotplug_candidate() {
	local a="$1" hdr

	hdr=$(cfg_read "$a" 14 1)
	[ -n "$hdr" ] && [ $((hdr & 0xff)) -eq 0 ] || return 1
	[ "${a##*.}" = 0 ] || return 1
	[ -e "$pci_devices/$a/physfn" ] && return 1
	[ -f "$pci_devices/$a/sriov_numvfs" ] && return 1
	[ "$(cat "$pci_devices/$a/vendor"):$(cat "$pci_devices/$a/device")" = 0x1234:0x11e8 ] &&
		return 1
	return 0
}

# pick_below TYPE: the candidate whose parent bridge has PCIe port type
# TYPE, one without a driver first, else the lowest address; nothing
# when there is none.
pick_below() {
	local a up type with_driver=

	for a in $(pci_addrs); do
		up=$(sysfs_upstream "$a")
		[ "$up" != null ] || continue
		type=$(pcie_port_type "$up") || continue
		[ "$type" -eq "$1" ] || continue
		hotplug_candidate "$a" || continue
		if [ "$(sysfs_driver "$a")" = null ]; then
			echo "$a"
			return
		fi
		[ -n "$with_driver" ] || with_driver=$a
	done
	[ -n "$with_driver" ] && echo "$with_driver"
}

dsp_dev=$(pick_below 6)
rp_dev=$(pick_below 4)
[ -n "$dsp_dev" ] ||
	ktap_skip_all "no endpoint below a switch downstream port that is safe to remove"
[ -n "$rp_dev" ] ||
	ktap_skip_all "no endpoint below a PCIe root port that is safe to remove"
devs="$dsp_dev $rp_dev"

ktap_tmpdir
t=$ktap_tmp
policy_must_answer

# edu for the bind loop, when there is one, alone in its IOMMU group, and
# vfio-pci can be had.
edu=$(pci_find_device 0x1234 0x11e8)
edu_orig=null
edu_vfio_group
[ -d "$vfio" ] || modprobe vfio-pci 2>/dev/null
if [ -n "$edu_why" ]; then
	no_binds=$edu_why
elif [ ! -d "$vfio" ]; then
	no_binds="the vfio-pci driver is not available"
elif [ "$pol_locked" != false ]; then
	no_binds="the policy is locked: an allow-all policy cannot be loaded for edu's binds"
else
	no_binds=
	edu_orig=$(sysfs_driver "$edu")
fi

removed=0
dump_pid=
bind_pid=
ktap_cleanup_hook() {
	touch "$t/stop"
	for p in $dump_pid $bind_pid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	monitor_stop
	for a in $devs; do
		[ -d "$pci_devices/$a" ] || removed=1
	done
	[ "$removed" -eq 1 ] && echo 1 >/sys/bus/pci/rescan
	[ -n "$edu" ] && [ -z "$no_binds" ] && restore_driver "$edu" "$edu_orig"
	policy_restore
}

if [ -z "$no_binds" ]; then
	policy_keep
	policy_allow_all ||
		ktap_skip_all "pthructl policy load: $(head -n 1 "$t/load.err")"
fi

ktap_set_plan 7
for a in $devs; do
	ktap_diag "function $a ($(sysfs_hex "$a" vendor):$(sysfs_hex "$a" device), driver $(sysfs_driver "$a")) below $(sysfs_upstream "$a") (PCIe port type $(pcie_port_type "$(sysfs_upstream "$a")"))"
done
ktap_diag "$cycles cycles; binds of ${edu:-no edu} ($edu_orig): ${no_binds:-yes}"

# bind_loop: edu to vfio-pci and back, until $t/stop exists.  $t/binds.count
# holds the binds done; $t/binds.bad a line per step that went wrong.
bind_loop() {
	local n=0

	trap - EXIT INT TERM
	while [ ! -e "$t/stop" ]; do
		echo "bind $n: unbind from $(sysfs_driver "$edu")" >"$t/bind.now"
		release "$edu" ||
			echo "bind $n: cannot unbind $edu from $(sysfs_driver "$edu")" >>"$t/binds.bad"
		set_override "$edu" vfio-pci
		echo "bind $n: drivers_probe" >"$t/bind.now"
		sysfs_write /sys/bus/pci/drivers_probe "$edu" ||
			echo "bind $n: drivers_probe: $write_err" >>"$t/binds.bad"
		if [ "$(sysfs_driver "$edu")" = vfio-pci ]; then
			n=$((n + 1))
			echo "bind $n: vfio-pci unbind" >"$t/bind.now"
			sysfs_write "$vfio/unbind" "$edu" ||
				echo "bind $n: vfio-pci unbind: $write_err" >>"$t/binds.bad"
			[ "$(sysfs_driver "$edu")" = null ] ||
				echo "bind $n: on $(sysfs_driver "$edu") after the unbind" >>"$t/binds.bad"
		else
			echo "bind $n: on $(sysfs_driver "$edu"), not vfio-pci, after drivers_probe" >>"$t/binds.bad"
		fi
		set_override "$edu" ""
		echo "$n" >"$t/binds.count"
	done
	exit 0
}

# What a dump racing with a removal may say (see the header).
dump_allowed='^pthructl: the (inventory|findings) changed [0-9]+ times during the dump; try again$'

monitor_start "$t/events" || ktap_diag "the monitor did not start"
start=$(date +%s)
rm -f "$t/stop"
soak_dump_loop "$t" "$dump_allowed" dev group "audit --fail-on none" &
dump_pid=$!
if [ -z "$no_binds" ]; then
	bind_loop &
	bind_pid=$!
fi

# audit_names_removed N: the audit run now, in cycle N, names neither
# removed function; a line in $t/audit.bad otherwise.  An audit the CLI
# gave up on (the findings kept changing) is run again, up to 5 times.
audit_names_removed() {
	local try=0 a

	while :; do
		try=$((try + 1))
		pthructl -j audit --fail-on none >"$t/audit" 2>"$t/audit.err" && break
		if ! grep -Eq "$dump_allowed" "$t/audit.err" || [ $try -eq 5 ]; then
			echo "cycle $1: pthructl -j audit (try $try): $(head -n 1 "$t/audit.err")" >>"$t/audit.bad"
			return
		fi
	done
	audits=$((audits + 1))
	for a in $devs; do
		grep -qF "$a" "$t/audit" &&
			echo "cycle $1: the audit names $a, which is removed: $(grep -F "$a" "$t/audit" | head -n 1)" >>"$t/audit.bad"
	done
}

# stop_loops: the background loops end within 60 s of $t/stop (a dump in
# flight finishes first), else they are killed.
stop_loops() {
	local p tries=600

	touch "$t/stop"
	while [ $tries -gt 0 ]; do
		pid_alive "$dump_pid" || pid_alive "$bind_pid" || break
		sleep 0.1
		tries=$((tries - 1))
	done
	if pid_alive "$dump_pid"; then
		echo "the dump loop did not stop in 60 s (in flight: pthructl -j $(cat "$t/dump.now"): $(proc_where "$(sed -n 's/.*(pid \([0-9]*\))$/\1/p' "$t/dump.now")"); the loop: $(proc_where "$dump_pid"))" >>"$t/dumps.bad"
		kill "$dump_pid"
	fi
	if pid_alive "$bind_pid"; then
		echo "the bind loop did not stop in 60 s (in flight: $(cat "$t/bind.now"); the loop: $(proc_where "$bind_pid"))" >>"$t/binds.bad"
		kill "$bind_pid"
	fi
	for p in $dump_pid $bind_pid; do
		wait "$p"
	done
	dump_pid=
	bind_pid=
}

# The cycles.  Test 1 (the writes) and test 4 (the sampled audits) are
# judged after them, from $t/writes.bad and $t/audit.bad.
i=0
audits=0
: >"$t/writes.bad"
: >"$t/audit.bad"
while [ $i -lt "$cycles" ]; do
	i=$((i + 1))
	removed=1
	for a in $devs; do
		sysfs_write "$pci_devices/$a/remove" 1 ||
			echo "cycle $i: remove $a: $write_err" >>"$t/writes.bad"
		[ -d "$pci_devices/$a" ] &&
			echo "cycle $i: $a is still there after its remove" >>"$t/writes.bad"
	done
	if [ $((i % 10)) -eq 0 ] || [ $i -eq "$cycles" ]; then
		audit_names_removed $i
	fi
	sysfs_write /sys/bus/pci/rescan 1 ||
		echo "cycle $i: rescan: $write_err" >>"$t/writes.bad"
	back=1
	for a in $devs; do
		[ -d "$pci_devices/$a" ] ||
			{ echo "cycle $i: $a is not back after the rescan" >>"$t/writes.bad"; back=0; }
	done
	removed=0
	# Nothing to remove again: the rest would repeat the same failure.
	[ $back -eq 1 ] || break
	[ "$(wc -l <"$t/writes.bad")" -lt 20 ] || break
done
end=$(date +%s)

# The loops stop; what they counted.
stop_loops
dumps=0
dumps_allowed=0
[ -f "$t/dumps.count" ] && read -r dumps dumps_allowed <"$t/dumps.count"
binds=$(cat "$t/binds.count" 2>/dev/null || echo 0)

ktap_begin
ktap_checked=1
while read -r l; do
	ktap_mismatch "$l"
done <"$t/writes.bad"
ktap_expect "cycles done" "$i" "$cycles"
ktap_end "$i cycles: every remove of $devs and every rescan written, each function gone after its remove and back after the rescan"

# 2. events: as many dev-del and dev-add as cycles, for each function
event_count() {
	grep -c "^{\"event\":\"$1\",\"dev\":{\"addr\":\"$2\"" "$monitor_file"
}

events_in() {
	local a

	for a in $devs; do
		[ "$(event_count dev-add "$a")" -ge "$i" ] || return 1
	done
}

ktap_begin
# The last rescan's dev-add comes from the module's workqueue.
wait_for 30 events_in
monitor_stop
events=0
for a in $devs; do
	dels=$(event_count dev-del "$a")
	adds=$(event_count dev-add "$a")
	events=$((events + dels + adds))
	ktap_expect "dev-del events of $a" "$dels" "$i"
	ktap_expect "dev-add events of $a" "$adds" "$i"
done
[ -s "$monitor_file.err" ] && ktap_diag "monitor: $(sort "$monitor_file.err" | uniq -c | tr '\n' ' ')"
ktap_end "the monitor saw one dev-del and one dev-add of each function per cycle"

# 3. the inventory after the last rescan
ktap_begin
ktap_checked=1
if pthructl -j dev >"$t/dev.json" 2>"$t/dev.err"; then
	pci_addrs | sort >"$t/sysfs.addrs"
	dev_dump_addrs "$t/dev.json" >"$t/dump.addrs"
	ktap_expect "number of functions" "$(($(wc -l <"$t/dump.addrs")))" \
		"$(($(wc -l <"$t/sysfs.addrs")))"
	for a in $(uniq -d "$t/dump.addrs"); do
		ktap_mismatch "$a is listed more than once"
	done
	for a in $(lines_not_in "$t/sysfs.addrs" "$t/dump.addrs"); do
		ktap_mismatch "$a is in sysfs but not in the dump"
	done
	for a in $(lines_not_in "$t/dump.addrs" "$t/sysfs.addrs"); do
		ktap_mismatch "$a is in the dump but not in sysfs"
	done
else
	ktap_mismatch "pthructl -j dev: $(head -n 1 "$t/dev.err")"
fi
ktap_end "after the last rescan the dev dump lists every PCI function sysfs has, once"

# 4. the sampled audits
ktap_begin
ktap_checked=1
while read -r l; do
	ktap_mismatch "$l"
done <"$t/audit.bad"
[ "$audits" -gt 0 ] || ktap_mismatch "no audit ran while they were removed"
ktap_end "no audit run while they were removed ($audits runs) names $devs"

# 5. the dump loop
soak_dump_test "$t" "$dumps" "dumps the CLI gave up on" \
	"$dumps dumps (dev, group, audit) during the cycles: none failed but for a change the CLI names"

# 6. the bind loop
if [ -n "$no_binds" ]; then
	ktap_test_skip "edu bound to vfio-pci and back during the cycles" "$no_binds"
else
	ktap_begin
	ktap_checked=1
	[ "$binds" -gt 0 ] || ktap_mismatch "the bind loop bound edu to vfio-pci not once"
	ktap_mismatch_head "$t/binds.bad" "bind loop failures"
	ktap_checked=$((ktap_checked + 1))
	restore_driver "$edu" "$edu_orig" ||
		ktap_mismatch "$edu is on $(sysfs_driver "$edu"), not $edu_orig"
	ktap_end "$binds binds of $edu to vfio-pci and back during the cycles, each as asked; $edu back on $edu_orig"
fi

# 7. the module still answers
ktap_begin
pthructl status >"$t/status" 2>"$t/status.err"
ktap_expect "exit status of pthructl status ($(head -n 1 "$t/status.err"))" "$?" 0
ktap_end "pthru answers status after the soak"

ktap_diag "figures: cycles $i, events $events (dev-add and dev-del of $devs), dumps $dumps ($dumps_allowed given up on a change), binds $binds, audits $audits, seconds $((end - start)) (the whole test $(($(date +%s) - t0)))"
ktap_finished
