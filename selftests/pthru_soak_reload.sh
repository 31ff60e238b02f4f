#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Soak: unload and load pthru, many times, under VFIO map traffic and
# netlink dumps, then check that nothing of the shadow is left.
# pthru_reload.sh shows a quiet reload works and pthru_map_reload.sh that
# a reload under one VFIO program keeps its maps working; this looks for
# what only repetition with readers and writers at once finds: a reload
# that fails, a map that fails because the module came or went, a dump
# that fails in a way a vanishing family does not explain, a shadow entry
# or a byte of shadow memory that outlives its domain.
#
# edu (1234:11e8, or PTHRU_TEST_BIND_DEV) goes to vfio-pci, under an
# audit-mode allow-all policy, and in the background:
#   - pthru_vfio_map GROUP --bench 100 4K runs again and again (each run a
#     new container and domain, 101 maps and unmaps of 4 KiB, a close);
#   - dumps, round after round: "pthructl -j dev", "-j group",
#     "-j audit --fail-on none", "-j stats".
# while "rmmod pthru" / insmod "$PTHRU_KO" (no parameters: shadow=auto,
# which arms at load since edu is on vfio-pci) runs PTHRU_SOAK_RELOADS
# times (100).  After each load "pthructl status" must answer.
#
# What a dump racing with rmmod may legitimately say (tools/pthructl,
# net/netlink): the family is not there when pthructl resolves it ("the
# pthru module is not loaded"); it went between the resolution and the
# request, so genetlink finds no family with that id (ENOENT: "No such
# file or directory"; ids are allocated cyclically, a new load gets a new
# one); a dump started while the module is going (netlink_dump_start()'s
# try_module_get() fails: EPROTONOSUPPORT, "Protocol not supported"); and
# the CLI's own "the inventory/findings changed 3 times during the dump;
# try again" (the new module's first evaluations, the shadow's domains
# coming and going).  Anything else counts as a failure.
#
# rmmod: the only reference pthru takes on itself is the policy lock
# (kmod/policy_state.c: a locked policy pins the module until reboot);
# a locked policy skips this test.  A netlink dump in flight also holds a
# reference (netlink_dump_start() takes one on the family's module), so
# with the dumps running rmmod may fail with EAGAIN ("Resource
# temporarily unavailable") or EBUSY for a moment: it is tried again for
# up to 10 s, the retries counted; any other error, or a reference held
# longer, fails.
#
# At the end the traffic stops (every container closed) and every live
# count of the shadow must be 0, read from "pthructl -j stats" and from
# debugfs (kmod/debugfs.c):
#   stats     domains, ranges, incomplete_domains, wrapped_domains;
#   shadow    domains, ranges, incomplete-domains, wrapped, and no
#             "domain" line;
#   wrap      wrapped and tables (op tables with users), every group
#             "wrapped no";
#   mappings  empty; "pthructl -j map show" lists nothing;
#   flush-window  no per-domain window;
#   verify    after an audit's walk: "last: domains 0 ranges 0", no note.
# Not counters that must be 0: the totals since load (maps, unmaps, lost,
# flushes, wait_count, unwrapped_domains, untracked, missed, mem_refused,
# mem_failed, wrapped-since-load, refused, walks: they only grow), the
# waits' max and percentiles (statistics of past unmaps), constants
# (range_bytes, mem_max_bytes) and states (armed, status, blind).  The
# shadow's memory (mem_bytes, debugfs memory-bytes) is live but holds
# every slot's idle reserve while armed (shadow.c alloc_nodes()): it must
# be 0 once the shadow disarms, which shadow=auto does within
# shadow_check_ms (10 s) of no function being on a passthrough driver,
# so edu goes back to its driver first and the test waits up to 30 s.
# Then pthru must answer status and the kernel log must have no new
# warning.  The figures (cycles, maps, dumps, seconds) are printed.  The
# module is left loaded without parameters, edu on its driver, the
# policy as it was.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

reloads=${PTHRU_SOAK_RELOADS:-100}
t0=$(date +%s)
pairs=100

shadow_test_start
case $reloads in
'' | 0 | *[!0-9]*) ktap_skip_all "PTHRU_SOAK_RELOADS=$reloads is not a positive number" ;;
esac
[ -n "${PTHRU_KO:-}" ] ||
	ktap_skip_all "PTHRU_KO is not set: the soak loads pthru with insmod \"\$PTHRU_KO\""
[ -f "$PTHRU_KO" ] || ktap_skip_all "PTHRU_KO=$PTHRU_KO does not exist"
prog=$ktap_dir/pthru_vfio_map
[ -x "$prog" ] || ktap_skip_all "$prog is not built (make -C selftests)"
[ -f "$pthru_debugfs/shadow" ] ||
	ktap_skip_all "no $pthru_debugfs/shadow (debugfs not mounted?): the counts are read there too"
require_vfio_type1
ktap_tmpdir
t=$ktap_tmp
policy_must_answer
[ "$pol_locked" = false ] ||
	ktap_skip_all "the policy is locked until reboot: pthru holds a reference on itself (kmod/policy_state.c), rmmod cannot succeed"
policy_subjects
require_edu_vfio_group
edu_orig=$(sysfs_driver "$edu")

map_pid=
dump_pid=
ktap_cleanup_hook() {
	local p

	touch "$t/stop"
	for p in $map_pid $dump_pid $(cat "$t/map.pid" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	for p in $map_pid $dump_pid; do
		wait "$p" 2>/dev/null
	done
	restore_driver "$edu" "$edu_orig"
	pthru_module_loaded || module_load >/dev/null 2>&1
	policy_restore
}

policy_keep
policy_allow_all ||
	ktap_skip_all "pthructl policy load: $(head -n 1 "$t/load.err")"
to_vfio "$edu" "$group" || ktap_skip_all "$move_err"

# One run first: VFIO type1 works here, or why not.
"$prog" "$group" --bench 10 4K >"$t/map.out" 2>"$t/map.err"
rc=$?
grep -q '^skip: ' "$t/map.out" &&
	ktap_skip_all "pthru_vfio_map: $(sed -n 's/^skip: //p' "$t/map.out")"
if [ $rc -ne 0 ]; then
	echo "1..1"
	ktap_diag "pthru_vfio_map --bench 10 4K: exit $rc: $(tr '\n' ' ' <"$t/map.err")"
	echo "not ok 1 pthru_vfio_map maps and unmaps through a type1 container"
	exit "$KSFT_FAIL"
fi

ktap_set_plan 6
ktap_diag "function $edu ($edu_orig), IOMMU group $group; $reloads reloads; $pairs pairs of 4 KiB a run"

# map_loop: runs of pthru_vfio_map until $t/stop exists; $t/map.count
# holds "RUNS FAILED"; each failed run appends a line to $t/map.bad.
# After 20 failures it stops: VFIO is broken, not racing.
map_loop() {
	local runs=0 failed=0 rc

	trap - EXIT INT TERM
	while [ ! -e "$t/stop" ] && [ $failed -lt 20 ]; do
		"$prog" "$group" --bench $pairs 4K >"$t/map.out" 2>"$t/map.err" &
		echo $! >"$t/map.pid"
		wait $!
		rc=$?
		runs=$((runs + 1))
		if [ $rc -ne 0 ] || ! grep -q "^bench 0x1000 $pairs [0-9]*\$" "$t/map.out"; then
			failed=$((failed + 1))
			echo "run $runs: exit $rc: $(tr '\n' ' ' <"$t/map.err")$(tail -n 1 "$t/map.out")" \
				>>"$t/map.bad"
		fi
		echo "$runs $failed" >"$t/map.count"
	done
	exit 0
}

dump_allowed='^pthructl: (the pthru module is not loaded \(modprobe pthru\)|No such file or directory|Protocol not supported|the (inventory|findings) changed [0-9]+ times during the dump; try again)$'

# unload: rmmod, tried again while the module is only in use (a dump in
# flight), for up to 10 s; $busy counts those retries.  1 with the reason
# in $reload_err.
unload() {
	local tries=50

	while [ $tries -gt 0 ]; do
		rmmod pthru 2>"$t/rmmod.err" && ! pthru_module_loaded && return 0
		case $(cat "$t/rmmod.err") in
		*"Resource temporarily unavailable"* | *"Device or resource busy"*) ;;
		*)	reload_err="rmmod pthru: $(cat "$t/rmmod.err")"
			return 1 ;;
		esac
		busy=$((busy + 1))
		sleep 0.2
		tries=$((tries - 1))
	done
	reload_err="rmmod pthru: in use for 10 s (refcnt $(cat /sys/module/pthru/refcnt 2>&1)): $(cat "$t/rmmod.err")"
	return 1
}

# ---------------------------------------------------------------------
# 1. the reloads

klog_mark soak_reload
start=$(date +%s)
rm -f "$t/stop"
map_loop &
map_pid=$!
soak_dump_loop "$t" "$dump_allowed" dev group "audit --fail-on none" stats &
dump_pid=$!

ktap_begin
i=0
busy=0
autoloads=0
while [ $i -lt "$reloads" ]; do
	i=$((i + 1))
	# Let the traffic meet the loaded module for a moment.
	sleep 0.2
	ktap_checked=$((ktap_checked + 1))
	if ! unload; then
		ktap_mismatch "reload $i: $reload_err"
		break
	fi
	if ! insmod "$PTHRU_KO" 2>"$t/insmod.err"; then
		# On a host where pthru is installed, a dump that found no
		# family may have loaded it (MODULE_ALIAS_GENL_FAMILY).
		if pthru_module_loaded && grep -q 'File exists' "$t/insmod.err"; then
			autoloads=$((autoloads + 1))
		else
			ktap_mismatch "reload $i: insmod $PTHRU_KO: $(cat "$t/insmod.err")"
			break
		fi
	fi
	pthructl status >/dev/null 2>"$t/status.err" ||
		ktap_mismatch "reload $i: pthructl status after the load: $(head -n 1 "$t/status.err")"
done
end=$(date +%s)
ktap_expect "reloads done" "$i" "$reloads"
ktap_diag "$busy times rmmod found pthru in use (a dump in flight) and was tried again; $autoloads times a dump had loaded it first"
ktap_end "$i reloads (rmmod, insmod) under VFIO maps and dumps: every one works, the module answers after each"

# The traffic stops: every container is closed when the map loop ends.
touch "$t/stop"
tries=600
while { pid_alive "$map_pid" || pid_alive "$dump_pid"; } && [ $tries -gt 0 ]; do
	sleep 0.1
	tries=$((tries - 1))
done
if pid_alive "$map_pid"; then
	echo "the map loop did not stop in 60 s (pthru_vfio_map: $(proc_where "$(cat "$t/map.pid")"))" >>"$t/loops.bad"
	kill "$map_pid"
fi
if pid_alive "$dump_pid"; then
	echo "the dump loop did not stop in 60 s (in flight: pthructl -j $(cat "$t/dump.now"): $(proc_where "$(sed -n 's/.*(pid \([0-9]*\))$/\1/p' "$t/dump.now")"); the loop: $(proc_where "$dump_pid"))" >>"$t/dumps.bad"
	kill "$dump_pid"
fi
for p in $map_pid $dump_pid; do
	wait "$p"
done
map_pid=
dump_pid=
runs=0
map_failed=0
[ -f "$t/map.count" ] && read -r runs map_failed <"$t/map.count"
dumps=0
dumps_allowed=0
[ -f "$t/dumps.count" ] && read -r dumps dumps_allowed <"$t/dumps.count"
# Each run maps and unmaps once untimed, then $pairs times.
maps=$((runs * (pairs + 1)))

# 2. the map loop
ktap_begin
ktap_checked=1
[ "$runs" -gt 0 ] || ktap_mismatch "the map loop ran no run"
[ -f "$t/loops.bad" ] && ktap_mismatch "$(cat "$t/loops.bad")"
ktap_mismatch_head "$t/map.bad"
ktap_expect "failed runs of pthru_vfio_map" "$map_failed" 0
ktap_end "$runs runs of pthru_vfio_map ($maps maps and as many unmaps) during the reloads: none failed"

# 3. the dumps
soak_dump_test "$t" "$dumps" "dumps that met the reloads" \
	"$dumps dumps (dev, group, audit, stats) during the reloads: none failed but for the family coming and going"

# ---------------------------------------------------------------------
# 4. nothing live left in the shadow

# debugfs_value FILE KEY: the value of a "KEY: value" line of a debugfs file.
debugfs_value() {
	sed -n "s/^$2: //p" "$pthru_debugfs/$1"
}

ktap_begin
# The last run closed its container; a domain's free is synchronous.
ktap_checked=$((ktap_checked + 1))
if stats_answers; then
	ktap_diag "stats after the soak: $(tr -d '\n' <"$t/stats")"
	ktap_expect "stats: domains" "$st_domains" 0
	ktap_expect "stats: ranges" "$st_ranges" 0
	ktap_expect "stats: incomplete_domains" "$st_incomplete_domains" 0
	ktap_expect "stats: wrapped_domains" "$st_wrapped_domains" 0
else
	ktap_mismatch "$(stats_err)"
fi
for k in domains ranges incomplete-domains wrapped; do
	ktap_expect "debugfs shadow: $k" "$(debugfs_value shadow "$k")" 0
done
ktap_expect "debugfs shadow: domain lines" "$(grep -c '^domain ' "$pthru_debugfs/shadow")" 0
ktap_expect "debugfs wrap: wrapped" "$(debugfs_value wrap wrapped)" 0
ktap_expect "debugfs wrap: tables" "$(debugfs_value wrap tables)" 0
ktap_expect "debugfs wrap: groups wrapped" \
	"$(grep -c '^group [0-9]* wrapped yes$' "$pthru_debugfs/wrap")" 0
ktap_expect "debugfs mappings: lines" "$(wc -l <"$pthru_debugfs/mappings" | tr -d ' ')" 0
ktap_expect "debugfs flush-window: domain windows" \
	"$(grep -c '^window domain-' "$pthru_debugfs/flush-window")" 0
ktap_checked=$((ktap_checked + 1))
if pthructl -j map show >"$t/map.json" 2>"$t/map.json.err"; then
	ktap_expect "map show: ranges" "$(json_dump_objects "$t/map.json" | wc -l | tr -d ' ')" 0
else
	ktap_mismatch "pthructl -j map show: $(head -n 1 "$t/map.json.err")"
fi
# An audit walks every tracked domain: none, and no note is kept.
ktap_checked=$((ktap_checked + 1))
if pthructl -j audit --fail-on none >"$t/audit" 2>"$t/audit.err"; then
	ktap_expect "debugfs verify: domains and ranges of the last walk" \
		"$(sed -n 's/^last: \(domains [0-9]* ranges [0-9]*\) .*/\1/p' "$pthru_debugfs/verify")" \
		"domains 0 ranges 0"
	ktap_expect "debugfs verify: notes" "$(grep -c '^note ' "$pthru_debugfs/verify")" 0
else
	ktap_mismatch "pthructl -j audit: $(head -n 1 "$t/audit.err")"
fi
ktap_end "with no VFIO container open, the shadow tracks, wraps and lists no domain, range or note"

# ---------------------------------------------------------------------
# 5. the shadow's memory, once it disarms

disarmed() {
	[ "$(debugfs_value shadow status)" = disarmed ]
}

ktap_begin
ktap_checked=$((ktap_checked + 1))
if ! restore_driver "$edu" "$edu_orig"; then
	ktap_mismatch "$edu is on $(sysfs_driver "$edu"), not $edu_orig"
elif ! wait_for 30 disarmed; then
	ktap_mismatch "the shadow did not disarm within 30 s of $edu leaving vfio-pci (status $(debugfs_value shadow status), drivers: $(for d in $(pci_addrs); do echo "$d=$(sysfs_driver "$d")"; done | grep -E 'vfio|stub|uio' | tr '\n' ' '))"
else
	ktap_expect "debugfs shadow: memory-bytes" "$(debugfs_value shadow memory-bytes)" 0
	ktap_checked=$((ktap_checked + 1))
	if stats_answers; then
		ktap_expect "stats: mem_bytes" "$st_mem_bytes" 0
		ktap_expect "stats: armed" "$st_armed" false
	else
		ktap_mismatch "$(stats_err)"
	fi
fi
ktap_end "the shadow's range memory is 0 once it disarms ($edu back on $edu_orig)"

# ---------------------------------------------------------------------
# 6. the module answers; the kernel said nothing bad

ktap_begin
pthructl status >"$t/status" 2>"$t/status.err"
ktap_expect "exit status of pthructl status ($(head -n 1 "$t/status.err"))" "$?" 0
ktap_checked=$((ktap_checked + 1))
klog_since | grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t:' >"$t/klog.bad"
while read -r l; do
	ktap_mismatch "kernel log: $l"
done <"$t/klog.bad"
ktap_checked=$((ktap_checked + 1))
policy_restore || ktap_mismatch "loading the policy back failed"
ktap_end "pthru answers status after the soak, the kernel log has no new warning, the policy is back"

ktap_diag "figures: cycles $i, maps $maps ($runs runs of $pairs pairs and one untimed), dumps $dumps ($dumps_allowed met a reload), rmmod retries $busy, seconds $((end - start)) (the whole test $(($(date +%s) - t0)))"
ktap_finished
