#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The lifetime of the shadow's slots: a slot holds a pointer to an IOMMU
# domain that pthru does not own, and readers dereference it (every
# inventory build copies the slots, "map verify" translates through the
# domain), so a slot must be released while the domain is still wrapped
# (its wrapped free releases the slot before the driver frees it), on
# every disarm and on every failed arming, and every wrapped domain must
# get its driver's ops back (Documentation/architecture.rst, The shadow).
#
#   lifetime    pthru is loaded with shadow=auto, shadow_check_ms=200 (the
#               disarm check, 10 s by default, comes within 0.2 s) and
#               shadow_dma=1 (DMA-API domains take slots too, and are
#               released at each disarm).  Readers run in the background
#               all along, by turns "pthructl map show", "pthructl -j dev"
#               (an inventory build, which copies every slot) and
#               "pthructl map verify" (translations through the domain);
#               each must exit 0 or 1 (findings), never 2, but for a dump
#               that a new inventory interrupted ("Interrupted system
#               call": a bind changed the inventory; "dev" does not retry).  Then
#               PTHRU_LIFETIME_CYCLES times (4): edu goes to vfio-pci (the
#               shadow arms at the bind), a loop of "pthru_vfio_map GROUP
#               --bench 20 4K" runs opens a container, maps, unmaps and
#               closes it, its domain freed at each run's end, for about
#               PTHRU_LIFETIME_SECONDS (3); then edu goes back to its
#               driver and the shadow must disarm within 10 s, the readers
#               still running.  The map loop is stopped (each run ends,
#               its domain freed) before edu leaves vfio-pci, because a
#               run fails while edu is off vfio-pci, and starts again once
#               the shadow armed; the readers run through it all.
#               PTHRU_LIFETIME_LIVE=1 keeps the map loop running through
#               the binds and the disarms (a run may then fail while edu
#               is off vfio-pci; one run a cycle must work).  At the end:
#               every run of the loop worked (unless live), every reader
#               exited 0 or 1, the module answers "stats" with the shadow
#               disarmed and no domain, range or incomplete domain, debugfs
#               shadow counts no missed call and no tracked domain, no
#               kprobe of the shadow is left in
#               /sys/kernel/debug/kprobes/list, and the kernel log has no
#               BUG, WARNING, Oops or general protection fault (the test
#               guest boots with panic_on_warn=1 oops=panic: there one ends
#               the run; pthru's WARN_ON_ONCE after every teardown checks
#               that no slot still holds a domain).
#   DMA-API     with pthru_test_edu (PTHRU_TEST_EDU_KO) and a second
#               function alone in its IOMMU group (the profile's
#               expect_policy_isolated_dev, or PTHRU_TEST_BIND_DEV2), and
#               the same parameters, readers running all along, twice: the
#               second function goes to vfio-pci (armed); edu, on
#               pthru_test_edu (its DMA-API domain wrapped at that bind,
#               or at the arming), holds a DMA-API mapping ("hold"), and
#               its domain is tracked; edu is hot removed, which frees the
#               domain while tracked: its slot must go; after a rescan edu
#               holds a mapping again, and the second function leaves
#               vfio-pci: the check disarms with edu's domain tracked
#               (DMA-API domains keep nothing armed), and the disarm must
#               release it.  At the end: readers never exited 2, no domain or
#               range left, no kprobe of the shadow, nothing in the kernel
#               log.  Skipped without the test module or the function.
#   fail arm    for N = 1, 2, ...: pthru loaded with shadow_fail_arm=N
#               (test only: the Nth probe registration of every arming
#               fails), shadow_dma=1 and flush_window_dma=1 (so that every
#               probe an arming can register is registered), and edu bound
#               to vfio-pci, which arms.  The log names the registration
#               failed ("shadow_fail_arm=N: failing registration N
#               (NAME)").  For a probe of the DMA-API flush window (the
#               arming goes on without it, as without one the kernel cannot
#               probe): armed, "flush window: cannot probe NAME" logged,
#               NAME not in the kprobes list.  For a domain allocator
#               (iommu_domain_alloc, iommu_paging_domain_alloc,
#               __iommu_domain_alloc): "shadow: cannot probe NAME" and
#               "shadow: not armed" logged, "stats" not armed, no domain
#               wrapped (debugfs wrap), no kprobe of the shadow left.
#               Either way a VFIO run on edu's group then works, and after
#               it "stats" shows no domain (a failed arming claims
#               nothing); edu leaves vfio-pci, rmmod succeeds at its first
#               try and no kprobe of the shadow is left.  The first N
#               whose loading logs no failure ends the walk (the arming
#               succeeds); it must come after the three allocators and
#               iommu_domain_free were each failed once.
#
# Nothing here needs the IOMMU's caching mode: no DMA is done.  pthru is
# loaded again without parameters at the end, with the policy it had;
# edu goes back to its driver.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

shadow_test_start
prog=$ktap_dir/pthru_vfio_map
[ -x "$prog" ] || ktap_skip_all "$prog is not built (make -C selftests)"
cycles=${PTHRU_LIFETIME_CYCLES:-4}
seconds=${PTHRU_LIFETIME_SECONDS:-3}
case $cycles$seconds in
*[!0-9]*) ktap_skip_all "PTHRU_LIFETIME_CYCLES=$cycles PTHRU_LIFETIME_SECONDS=$seconds: not numbers" ;;
esac
[ "$cycles" -gt 0 ] || ktap_skip_all "PTHRU_LIFETIME_CYCLES=0"
live=${PTHRU_LIFETIME_LIVE:-0}
require_vfio_type1
[ -f "$pthru_debugfs/shadow" ] ||
	ktap_skip_all "no $pthru_debugfs/shadow (debugfs not mounted?)"
kprobes_list=/sys/kernel/debug/kprobes/list
[ -r "$kprobes_list" ] ||
	ktap_skip_all "no $kprobes_list (debugfs not mounted, or no CONFIG_KPROBES)"
reload_test_setup
require_edu_vfio_group

edu_orig=$(sysfs_driver "$edu")
[ "$edu_orig" = vfio-pci ] &&
	ktap_skip_all "$edu is on vfio-pci already: the shadow could not disarm"
policy_keep
plain=1		# the module is loaded without parameters
loop_pid=
readers_pid=
ktap_cleanup_hook() {
	touch "$t/stop" "$t/readers.stop"
	for p in $loop_pid $readers_pid; do
		kill "$p" 2>/dev/null
		kill -CONT "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -d "$pci_devices/$edu" ] || echo 1 >/sys/bus/pci/rescan
	[ -e "$edu_dbg/cmd" ] && echo release >"$edu_dbg/cmd" 2>/dev/null
	restore_driver "$edu" "$edu_orig"
	[ -d /sys/module/pthru_test_edu ] && rmmod pthru_test_edu
	[ -n "${second_group:-}" ] && restore_driver "$second" "$second_orig"
	pthru_back_to_plain "$plain"
	policy_restore
}

# The functions the shadow probes: none may stay in the kprobes list once
# the shadow is disarmed (nothing else probes them in a test guest).
shadow_probes='iommu_domain_alloc|iommu_paging_domain_alloc|__iommu_domain_alloc|__iommu_map|__iommu_unmap|iommu_domain_free|intel_iommu_domain_free|amd_iommu_domain_free|intel_iommu_tlb_sync|intel_flush_iotlb_all|amd_iommu_iotlb_sync|amd_iommu_flush_iotlb_all|viommu_domain_free|viommu_iotlb_sync|viommu_flush_iotlb_all'

# probes_left: the kprobes list's lines of the shadow's functions.
probes_left() {
	grep -E " ($shadow_probes)\+" "$kprobes_list"
}

no_probes_left() {
	[ -z "$(probes_left)" ]
}

# debugfs_shadow KEY: a "KEY: value" line of debugfs shadow.
debugfs_shadow() {
	sed -n "s/^$1: //p" "$pthru_debugfs/shadow"
}

armed_is() {
	stats_answers && [ "$st_armed" = "$1" ]
}

no_domain() {
	stats_answers && [ "$st_domains" = 0 ]
}

# load_with PARAM...: rmmod (at the first try) when loaded, and load
# with PARAM, the audit-mode allow-all policy loaded; 1 with the reason in
# $reload_err.
load_with() {
	if pthru_module_loaded; then
		pthru_wait_unused && pthru_rmmod || return 1
	fi
	pthru_insmod "$@" || return 1
	policy_load "$t/allow.conf" && return 0
	reload_err="pthructl policy load: $(head -n 1 "$t/load.err")"
	return 1
}

policy_allow_all ||
	ktap_skip_all "pthructl policy load: $(head -n 1 "$t/load.err")"

ktap_set_plan 3

# ---------------------------------------------------------------------
# 1. domains freed while the shadow arms and disarms under readers

# readers: until $t/readers.stop exists, the three readers by turns; a
# line in $t/readers.bad for each exit above 1, the count in $t/readers.n.
# (pthructl dumps again when a bind interrupts a dump.)
readers() {
	local n=0 rc

	trap - EXIT INT TERM
	while [ ! -e "$t/readers.stop" ]; do
		n=$((n + 1))
		case $((n % 3)) in
		0) pthructl map show >/dev/null 2>"$t/reader.err" ;;
		1) pthructl -j dev >/dev/null 2>"$t/reader.err" ;;
		2) pthructl map verify >/dev/null 2>"$t/reader.err" ;;
		esac
		rc=$?
		if [ $rc -gt 1 ]; then
			echo "reader $n (case $((n % 3))): exit $rc: $(head -n 1 "$t/reader.err")" \
				>>"$t/readers.bad"
		fi
		echo "$n" >"$t/readers.n"
	done
	exit 0
}

# map_loop: runs of pthru_vfio_map until $t/stop exists; each run that
# fails adds a line to $t/loop.bad, each that works to $t/loop.good.
map_loop() {
	local i=0 rc

	trap - EXIT INT TERM
	while [ ! -e "$t/stop" ]; do
		i=$((i + 1))
		"$prog" "$group" --bench 20 4K >"$t/loop.out" 2>"$t/loop.err"
		rc=$?
		if [ $rc -eq 0 ] && grep -q '^bench 0x1000 20 [0-9]*$' "$t/loop.out"; then
			echo "$i" >>"$t/loop.good"
		else
			echo "run $i: exit $rc: $(tr '\n' ' ' <"$t/loop.err")" >>"$t/loop.bad"
			[ "$live" = 1 ] && sleep 0.2
		fi
	done
	exit 0
}

loop_start() {
	rm -f "$t/stop"
	map_loop &
	loop_pid=$!
}

# loop_stop: the loop ends after its run (its domain freed); 1 after 60 s.
loop_stop() {
	local tries=600

	touch "$t/stop"
	while kill -0 "$loop_pid" 2>/dev/null && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	kill -0 "$loop_pid" 2>/dev/null && return 1
	wait "$loop_pid"
	loop_pid=
}

# count_lines FILE: its lines, 0 when there is no FILE.
count_lines() {
	if [ -f "$1" ]; then
		wc -l <"$1" | tr -d ' '
	else
		echo 0
	fi
}

good_runs() {
	count_lines "$t/loop.good"
}

lifetime_case() {
	local c=0 good0 name

	name="$cycles cycles of arm at bind, VFIO domains freed, disarm at the check, under readers (map show, dev, map verify): no oops, every count back to 0"
	ktap_begin
	ktap_checked=$((ktap_checked + 1))
	if ! load_with shadow_check_ms=200 shadow_dma=1; then
		ktap_mismatch "$reload_err"
		ktap_end "$name"
		return
	fi
	ktap_checked=$((ktap_checked + 1))
	wait_for 10 armed_is false ||
		ktap_mismatch "not disarmed with nothing on a passthrough driver (armed '$st_armed')"
	klog_mark lifetime
	rm -f "$t/readers.stop" "$t/readers.bad" "$t/loop.bad" "$t/loop.good"
	readers &
	readers_pid=$!
	[ "$live" = 1 ] && loop_start
	while [ $c -lt "$cycles" ]; do
		c=$((c + 1))
		good0=$(good_runs)
		ktap_checked=$((ktap_checked + 1))
		if ! to_vfio "$edu" "$group"; then
			ktap_mismatch "cycle $c: $move_err"
			break
		fi
		ktap_checked=$((ktap_checked + 1))
		wait_for 10 armed_is true ||
			ktap_mismatch "cycle $c: not armed 10 s after the bind to vfio-pci"
		[ "$live" = 1 ] || loop_start
		sleep "$seconds"
		# The loop's runs end (their domains freed) before edu leaves
		# vfio-pci, where they would fail, unless live.
		if [ "$live" != 1 ]; then
			ktap_checked=$((ktap_checked + 1))
			loop_stop || { ktap_mismatch "cycle $c: the map loop did not stop in 60 s"; break; }
		fi
		ktap_checked=$((ktap_checked + 1))
		[ "$(good_runs)" -gt "$good0" ] ||
			ktap_mismatch "cycle $c: no run of pthru_vfio_map worked: $(tail -n 1 "$t/loop.bad" 2>/dev/null)"
		ktap_checked=$((ktap_checked + 1))
		if ! restore_driver "$edu" "$edu_orig"; then
			ktap_mismatch "cycle $c: $edu does not go back to $edu_orig"
			break
		fi
		ktap_checked=$((ktap_checked + 1))
		wait_for 10 armed_is false ||
			ktap_mismatch "cycle $c: not disarmed 10 s after $edu left vfio-pci (armed '$st_armed', domains '$st_domains')"
	done
	[ "$live" = 1 ] && loop_stop
	touch "$t/readers.stop"
	wait "$readers_pid"
	readers_pid=
	ktap_diag "$c cycles; $(good_runs) runs of pthru_vfio_map worked, $(count_lines "$t/loop.bad") failed; $(cat "$t/readers.n" 2>/dev/null || echo 0) reader runs"

	ktap_checked=$((ktap_checked + 1))
	[ "$(cat "$t/readers.n" 2>/dev/null || echo 0)" -gt 0 ] ||
		ktap_mismatch "no reader ran"
	expect_clean "reader" "$t/readers.bad"
	[ "$live" = 1 ] || expect_clean "pthru_vfio_map" "$t/loop.bad"
	ktap_checked=$((ktap_checked + 1))
	if stats_answers; then
		ktap_expect "stats: armed at the end" "$st_armed" false
		ktap_expect "stats: domains at the end" "$st_domains" 0
		ktap_expect "stats: ranges at the end" "$st_ranges" 0
		ktap_expect "stats: incomplete domains at the end" "$st_incomplete_domains" 0
		ktap_diag "stats: maps $st_maps, unmaps $st_unmaps, lost $st_lost"
	else
		ktap_mismatch "the module does not answer: $(stats_err)"
	fi
	ktap_expect "debugfs shadow: missed at the end" "$(debugfs_shadow missed)" 0
	ktap_expect "debugfs shadow: tracked domains at the end" \
		"$(grep -c '^domain ' "$pthru_debugfs/shadow")" 0
	ktap_checked=$((ktap_checked + 1))
	probes_left >"$t/left"
	while read -r l; do
		ktap_mismatch "kprobe left after the disarm: $l"
	done <"$t/left"
	ktap_checked=$((ktap_checked + 1))
	klog_since | grep -E 'BUG:|WARNING:|Oops|general protection|refcount_t:|cannot probe' \
		>"$t/klog.bad"
	while read -r l; do
		ktap_mismatch "kernel log: $l"
	done <"$t/klog.bad"
	ktap_end "$name"
}

lifetime_case

# ---------------------------------------------------------------------
# 2. a DMA-API domain (shadow_dma=1) freed by a hot remove while it is
# tracked, and one released by the check's disarm while it is tracked

# What the DMA-API case needs: pthru_test_edu, QEMU's edu in a DMA-API
# domain, and a second function alone in its IOMMU group to arm with.
edu_dbg=/sys/kernel/debug/pthru_test_edu
ko=${PTHRU_TEST_EDU_KO:-}
second=${PTHRU_TEST_BIND_DEV2:-$isolated}
second_group=
second_orig=null
dma_why=
if [ -z "$ko" ] || [ ! -f "$ko" ]; then
	dma_why="no test module (make -C selftests/modules; PTHRU_TEST_EDU_KO=path/to/pthru_test_edu.ko)"
elif [ -d /sys/module/pthru_test_edu ]; then
	dma_why="pthru_test_edu is already loaded"
elif [ "$(sysfs_hex "$edu" vendor):$(sysfs_hex "$edu" device)" != 1234:11e8 ]; then
	dma_why="$edu is not QEMU's edu (1234:11e8)"
elif [ -z "$second" ] || [ ! -d "$pci_devices/$second" ]; then
	dma_why="no second function safe to rebind (the profile's expect_policy_isolated_dev, or PTHRU_TEST_BIND_DEV2=ADDR)"
elif [ "$(sysfs_group "$second")" = null ] || [ "$(sysfs_group "$second")" = "$group" ] ||
	[ -n "$(group_other_member "$second" "$(sysfs_group "$second")")" ]; then
	dma_why="$second is not alone in an IOMMU group of its own"
else
	case $(sysfs_group_type "$group") in
	DMA | DMA-FQ)
		second_group=$(sysfs_group "$second")
		second_orig=$(sysfs_driver "$second")
		;;
	*) dma_why="$edu's domain is $(sysfs_group_type "$group"), not a DMA-API one" ;;
	esac
fi

edu_cmd() {
	if ! sysfs_write "$edu_dbg/cmd" "$1"; then
		edu_out="echo $1 >$edu_dbg/cmd: $write_err"
		return 1
	fi
	edu_out=$(cat "$edu_dbg/result")
}

# dma_tracked: debugfs shadow lists a DMA-API domain of edu's group; its
# number in $edu_domain.
dma_tracked() {
	edu_domain=$(sed -n "s/^domain \([0-9]*\) group $group type DMA\(-FQ\)\{0,1\} .*/\1/p" \
		"$pthru_debugfs/shadow" | head -n 1)
	[ -n "$edu_domain" ]
}

# domain_gone ID: debugfs shadow does not list domain ID (another
# function's DMA-API domain, a NIC's, may be tracked meanwhile).
domain_gone() {
	! grep -q "^domain $1 " "$pthru_debugfs/shadow"
}

# dma_none: debugfs shadow lists no domain at all.
dma_none() {
	! grep -q '^domain ' "$pthru_debugfs/shadow"
}

# shadow_domains: debugfs shadow's domain lines, on one line.
shadow_domains() {
	grep '^domain ' "$pthru_debugfs/shadow" | tr '\n' ';'
}

# edu_hold C WHAT: edu on pthru_test_edu holds a DMA-API mapping, and its
# domain is tracked; 1 after a mismatch.
edu_hold() {
	if [ "$(sysfs_driver "$edu")" != pthru_test_edu ] &&
		! move_to "$edu" pthru_test_edu; then
		ktap_mismatch "cycle $1: $move_err"
		return 1
	fi
	# Its group now: behind a VIOT IOMMU (6.12) a rescanned function
	# gets one only when a driver first probes it.
	group=$(sysfs_group "$edu")
	if ! edu_cmd hold; then
		ktap_mismatch "cycle $1: $edu_out"
		return 1
	fi
	ktap_checked=$((ktap_checked + 1))
	wait_for 5 dma_tracked && return 0
	ktap_mismatch "cycle $1: edu's DMA-API domain is not tracked $2 ($edu_out)"
	return 1
}

edu_back() {
	test -d "$pci_devices/$edu"
}

dma_cycle() {
	local c="$1" held

	ktap_checked=$((ktap_checked + 1))
	if ! to_vfio "$second" "$second_group"; then
		ktap_mismatch "cycle $c: $move_err"
		return 1
	fi
	ktap_checked=$((ktap_checked + 1))
	wait_for 10 armed_is true ||
		{ ktap_mismatch "cycle $c: not armed 10 s after $second went to vfio-pci"; return 1; }
	edu_hold "$c" "before the remove" || return 1
	# Freed while tracked and wrapped: its slot goes at the wrapped free.
	ktap_checked=$((ktap_checked + 1))
	held=$edu_domain
	echo 1 >"$pci_devices/$edu/remove"
	wait_for 10 domain_gone "$held" ||
		ktap_mismatch "cycle $c: edu's DMA-API domain $held is still tracked 10 s after $edu was removed: $(shadow_domains)"
	echo 1 >/sys/bus/pci/rescan
	ktap_checked=$((ktap_checked + 1))
	if ! wait_for 10 edu_back; then
		ktap_mismatch "cycle $c: $edu did not come back at the rescan"
		return 1
	fi
	edu_hold "$c" "after the rescan" || return 1
	# Released by the check's disarm while tracked (DMA-API domains keep
	# nothing armed), the readers still running.
	ktap_checked=$((ktap_checked + 1))
	restore_driver "$second" "$second_orig" ||
		{ ktap_mismatch "cycle $c: $second does not go back to $second_orig"; return 1; }
	ktap_checked=$((ktap_checked + 1))
	wait_for 10 armed_is false ||
		ktap_mismatch "cycle $c: not disarmed 10 s after $second left vfio-pci, edu's domain tracked"
	ktap_checked=$((ktap_checked + 1))
	dma_none || ktap_mismatch "cycle $c: domains tracked after the disarm: $(shadow_domains)"
	edu_cmd release || ktap_mismatch "cycle $c: $edu_out"
}

dma_case() {
	local c=0 name

	name="shadow_dma=1: a tracked DMA-API domain freed by a hot remove, and one released by the check's disarm, under readers: no oops, nothing left"
	if [ -n "$dma_why" ]; then
		ktap_test_skip "$name" "$dma_why"
		return
	fi
	ktap_begin
	ktap_checked=$((ktap_checked + 1))
	if ! load_with shadow_check_ms=200 shadow_dma=1; then
		ktap_mismatch "$reload_err"
		ktap_end "$name"
		return
	fi
	ktap_checked=$((ktap_checked + 1))
	if ! insmod "$ko" 2>"$t/err"; then
		ktap_mismatch "insmod $ko: $(cat "$t/err")"
		ktap_end "$name"
		return
	fi
	klog_mark dma
	rm -f "$t/readers.stop" "$t/readers.bad"
	readers &
	readers_pid=$!
	while [ $c -lt 2 ]; do
		c=$((c + 1))
		dma_cycle $c || break
	done
	touch "$t/readers.stop"
	wait "$readers_pid"
	readers_pid=
	[ -e "$edu_dbg/cmd" ] && echo release >"$edu_dbg/cmd" 2>/dev/null
	restore_driver "$second" "$second_orig"
	ktap_checked=$((ktap_checked + 1))
	restore_driver "$edu" "$edu_orig" ||
		ktap_mismatch "$edu does not go back to $edu_orig"
	ktap_checked=$((ktap_checked + 1))
	rmmod pthru_test_edu 2>"$t/err" || ktap_mismatch "rmmod pthru_test_edu: $(cat "$t/err")"
	ktap_diag "$c cycles; $(cat "$t/readers.n" 2>/dev/null || echo 0) reader runs; edu in IOMMU group $group now"
	expect_clean "reader" "$t/readers.bad"
	ktap_checked=$((ktap_checked + 1))
	if stats_answers; then
		ktap_expect "stats: domains at the end" "$st_domains" 0
		ktap_expect "stats: ranges at the end" "$st_ranges" 0
		ktap_expect "stats: incomplete domains at the end" "$st_incomplete_domains" 0
	else
		ktap_mismatch "the module does not answer: $(stats_err)"
	fi
	ktap_checked=$((ktap_checked + 1))
	probes_left >"$t/left"
	while read -r l; do
		ktap_mismatch "kprobe left after the disarm: $l"
	done <"$t/left"
	ktap_checked=$((ktap_checked + 1))
	klog_since | grep -E 'BUG:|WARNING:|Oops|general protection|refcount_t:|cannot probe' \
		>"$t/klog.bad"
	while read -r l; do
		ktap_mismatch "kernel log: $l"
	done <"$t/klog.bad"
	ktap_end "$name"
}

dma_case

# ---------------------------------------------------------------------
# 3. every probe registration of an arming fails once

# klog_has PATTERN: a kernel log line since the mark matches PATTERN.
klog_has() {
	klog_since | grep -q -- "$1"
}

# fail_one N: one load with shadow_fail_arm=N and one arming; sets
# $failed_name to the registration failed, or nothing when none was.
# Returns 1 when the walk cannot go on.
fail_one() {
	local n="$1"

	failed_name=
	ktap_checked=$((ktap_checked + 1))
	restore_driver "$edu" "$edu_orig" ||
		{ ktap_mismatch "N=$n: $edu does not go back to $edu_orig"; return 1; }
	if ! load_with shadow_fail_arm="$n" shadow_check_ms=200 shadow_dma=1 \
		flush_window_dma=1; then
		ktap_mismatch "N=$n: $reload_err"
		return 1
	fi
	ktap_expect "N=$n: shadow_fail_arm reads back" \
		"$(cat /sys/module/pthru/parameters/shadow_fail_arm 2>/dev/null)" "$n"
	klog_mark "fail-arm-$n"
	# The arming happens at this bind, with nothing else mapping.
	ktap_checked=$((ktap_checked + 1))
	if ! to_vfio "$edu" "$group"; then
		ktap_mismatch "N=$n: $move_err"
		return 1
	fi
	klog_since >"$t/klog"
	failed_name=$(sed -n "s/.*shadow: shadow_fail_arm=$n: failing registration $n (\([^)]*\)).*/\1/p" "$t/klog" |
		head -n 1)
	if [ -z "$failed_name" ]; then
		# Past the last registration: the arming succeeds.
		ktap_checked=$((ktap_checked + 1))
		grep -q 'shadow: armed' "$t/klog" ||
			ktap_mismatch "N=$n: no registration failed, and no \"shadow: armed\" line"
		ktap_expect "N=$n: armed" "$(armed_is true && echo true)" true
	else
		case $failed_name in
		*iommu_domain_alloc | iommu_paging_domain_alloc)
			ktap_checked=$((ktap_checked + 1))
			grep -q "shadow: cannot probe $failed_name: -12" "$t/klog" ||
				ktap_mismatch "N=$n: no \"shadow: cannot probe $failed_name: -12\" line"
			ktap_checked=$((ktap_checked + 1))
			grep -q 'shadow: not armed' "$t/klog" ||
				ktap_mismatch "N=$n: no \"shadow: not armed\" line"
			ktap_expect "N=$n ($failed_name): armed" \
				"$(stats_answers && echo "$st_armed")" false
			ktap_expect "N=$n ($failed_name): domains wrapped" \
				"$(sed -n 's/^wrapped: //p' "$pthru_debugfs/wrap")" 0
			ktap_checked=$((ktap_checked + 1))
			probes_left >"$t/left"
			while read -r l; do
				ktap_mismatch "N=$n ($failed_name): kprobe left after the failed arming: $l"
			done <"$t/left"
			;;
		*)
			ktap_checked=$((ktap_checked + 1))
			grep -q "flush window: cannot probe $failed_name: -12" "$t/klog" ||
				ktap_mismatch "N=$n: no \"flush window: cannot probe $failed_name: -12\" line"
			ktap_expect "N=$n ($failed_name): armed without it" \
				"$(stats_answers && echo "$st_armed")" true
			ktap_checked=$((ktap_checked + 1))
			grep -q " $failed_name+" "$kprobes_list" &&
				ktap_mismatch "N=$n: $failed_name is in the kprobes list"
			;;
		esac
	fi
	# A VFIO domain comes and goes: nothing claimed is left.
	"$prog" "$group" --bench 20 4K >"$t/run.out" 2>"$t/run.err"
	ktap_expect "N=$n: pthru_vfio_map's exit ($(tr '\n' ' ' <"$t/run.err"))" "$?" 0
	ktap_checked=$((ktap_checked + 1))
	wait_for 10 no_domain ||
		ktap_mismatch "N=$n: stats shows domains '$st_domains' after the run"
	ktap_checked=$((ktap_checked + 1))
	restore_driver "$edu" "$edu_orig" ||
		{ ktap_mismatch "N=$n: $edu does not go back to $edu_orig"; return 1; }
	ktap_checked=$((ktap_checked + 1))
	if ! pthru_wait_unused || ! pthru_rmmod; then
		ktap_mismatch "N=$n: $reload_err"
		return 1
	fi
	ktap_checked=$((ktap_checked + 1))
	probes_left >"$t/left"
	while read -r l; do
		ktap_mismatch "N=$n: kprobe left after rmmod: $l"
	done <"$t/left"
	ktap_checked=$((ktap_checked + 1))
	klog_since | grep -E 'BUG:|WARNING:|Oops|general protection|refcount_t:' >"$t/klog.bad"
	while read -r l; do
		ktap_mismatch "N=$n: kernel log: $l"
	done <"$t/klog.bad"
}

fail_case() {
	local n=0 seen=

	ktap_begin
	while [ $n -lt 16 ]; do
		n=$((n + 1))
		fail_one $n || break
		[ -n "$failed_name" ] || break
		ktap_diag "shadow_fail_arm=$n failed $failed_name"
		seen="$seen $failed_name"
	done
	ktap_diag "registrations of one arming: $((n - 1)):$seen"
	for p in iommu_domain_alloc iommu_paging_domain_alloc __iommu_domain_alloc \
		iommu_domain_free; do
		ktap_checked=$((ktap_checked + 1))
		case " $seen " in
		*" $p "*) ;;
		*) ktap_mismatch "the registration of $p was never failed" ;;
		esac
	done
	ktap_end "shadow_fail_arm=N for every registration of an arming: a failed arming leaves no probe and no domain, logs why, and rmmod works"
}

fail_case

restore_driver "$edu" "$edu_orig"
pthru_module_loaded || pthru_insmod
pthructl policy load "$t/policy-orig" >/dev/null 2>&1
ktap_finished
