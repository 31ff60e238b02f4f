#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A stale IOTLB entry, observed, and pthru's flush window accounting for
# it.  On a lazy (DMA-FQ) domain an unmapped IOVA stays translatable until
# the flush queue flushes (its timer runs 10 ms after the unmap); this
# test has a device write through it.  The test-only driver
# pthru_test_edu.ko (selftests/modules/, from PTHRU_TEST_EDU_KO) takes
# QEMU's edu function; its "stale" command (see the module) maps a victim
# page, lets edu read it, unmaps it with interrupts off and has edu write
# a pattern to the old IOVA, then to a control page, and says whether the
# write landed in the victim page (still the module's; only its mapping
# went) or was blocked.  edu writes 100 ms after its command; with
# interrupts off on the CPU that queued the unmap, the flush queue's timer
# cannot run before that.  "stale-sleep" does the same with interrupts on.
#
# pthru is loaded again with shadow=on flush_window_dma=1, so that its
# flush window times the unmaps of DMA-API domains (the "window dma" line
# of debugfs flush-window, and the dma_* figures of pthructl stats).
# PTHRU_STALE_RUNS (3) "stale" runs and one "stale-sleep"; each must
# complete with the control page holding the pattern and the victim
# all old or all new; the window must count each run's three unmaps as
# waited for and flushed; a write that landed must have raised no IOMMU
# fault and have waited in the window at least as long as the write took
# after the unmap, one that was blocked must have raised an IOMMU fault
# naming the IOVA; on a DMA-FQ domain (the lazy profile) every "stale"
# write must land, on a strict DMA domain (acs, where caching mode makes
# every domain strict) every one must be blocked, the unmap having
# flushed before it returned; the "stale-sleep" one must be blocked in
# both.  Each run's outcome, IOVA and times are printed.
#
# The profile's expectation file may say how its IOMMU shows itself
# (defaults: Intel VT-d's): expect_iommu_flush_probe, the driver's
# flush_iotlb_all that pthru must probe; expect_iommu_fault, a grep
# pattern with %s for the IOVA that the kernel's fault message matches;
# expect_iommu_fault_unreported, why the IOMMU reports no fault for a
# blocked DMA (then no run is judged by its fault, and test 3 says so);
# expect_stale_domain, the domain type edu's group gets for the test when
# the kernel's default is another (the type is put back at the end).  pthru is loaded
# again without parameters at the end, its policy loaded back, edu put
# back on the driver it had.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

shadow_test_start
require_edu_test_driver
runs=${PTHRU_STALE_RUNS:-3}
case $runs in
'' | 0 | *[!0-9]*) ktap_skip_all "PTHRU_STALE_RUNS=$runs: not a positive number" ;;
esac
edu_dma_setup
flush_probe=${expect_iommu_flush_probe:-intel_flush_iotlb_all}
fault_re=${expect_iommu_fault:-'DMAR.* fault addr %s '}
gtype_orig=$gtype
if [ -n "${expect_stale_domain:-}" ] && [ "$gtype" != "$expect_stale_domain" ]; then
	# DMA to DMA-FQ works with a driver bound; the way back needs edu
	# unbound, as the cleanup leaves it.
	echo "$expect_stale_domain" >"/sys/kernel/iommu_groups/$group/type" 2>/dev/null
	gtype=$(sysfs_group_type "$group")
	[ "$gtype" = "$expect_stale_domain" ] ||
		ktap_skip_all "cannot give group $group of $edu the $expect_stale_domain domain the profile asks for (it stays $gtype)"
	ktap_diag "group $group of $edu: $gtype_orig -> $gtype for this test (expect_stale_domain)"
fi
# What the interrupts-off runs must show: a lazy domain's IOTLB still
# holds the entry; a strict one's unmap flushed it before returning.
expect_stale=blocked
[ "$gtype" = DMA-FQ ] && expect_stale=landed
ktap_cleanup_hook() {
	put_back_quietly pthru_test_edu
	[ "$gtype_orig" = "$(sysfs_group_type "$group")" ] ||
		echo "$gtype_orig" >"/sys/kernel/iommu_groups/$group/type" 2>/dev/null
}

# dma_window: the "window dma" line of debugfs flush-window into dw_*
# (dw_unmaps, dw_waits, dw_flushes, dw_dropped, dw_wait_max_ns, ...);
# 1 when there is none.
dma_window() {
	local line

	dw_unmaps='' dw_waits='' dw_flushes='' dw_dropped='' dw_wait_max_ns=''
	line=$(grep '^window dma ' "$pthru_debugfs/flush-window" 2>/dev/null) || return 1
	eval "$(echo "$line" | awk '{
		for (i = 3; i < NF; i += 2) {
			k = $i
			gsub(/-/, "_", k)
			if ($(i + 1) ~ /^[0-9]+$/)
				printf "dw_%s=%s\n", k, $(i + 1)
		}
	}')"
}

# stale_result: the module's result line into sr_* (sr_irqs, sr_iova, sr_unmap_ns,
# sr_busy_ns, sr_done_ns, sr_write_min_ns, sr_victim_p, sr_victim_a,
# sr_control_p, sr_result).
stale_result() {
	sr_irqs='' sr_iova='' sr_write_min_ns='' sr_result=''
	eval "$(awk '$1 == "stale" {
		for (i = 2; i < NF; i += 2) {
			k = $i
			gsub(/-/, "_", k)
			if ($(i + 1) ~ /^[0-9a-z]+$/)
				printf "sr_%s=%s\n", k, $(i + 1)
		}
	}' "$edu_dbg/result")"
}

# waits_from NS: the waits in the window's histogram buckets that reach
# NS ns ("wait-ns dma le MAX count N" lines with MAX >= NS).
waits_from() {
	awk -v ns="$1" '$1 == "wait-ns" && $2 == "dma" && $3 == "le" &&
		($4 == "inf" || $4 + 0 >= ns + 0) { n += $6 } END { print n + 0 }' \
		"$pthru_debugfs/flush-window"
}

# window_done: the window saw the run's three unmaps flushed.
window_done() {
	dma_window && [ $((dw_waits - w0)) -ge 3 ]
}

# fault: the kernel logged an IOMMU fault at $iova since the run's mark.
fault() {
	# shellcheck disable=SC2059 # the format is the profile's
	klog_since | grep -q "$(printf "$fault_re" "$iova")"
}

shadow_maps() {
	stats_state
	echo "${st_maps:-?}"
}

ktap_set_plan 7

# ---------------------------------------------------------------------
ktap_begin
reloaded=0
ktap_checked=1
if ! module_unload; then
	ktap_mismatch "rmmod pthru failed: $(cat "$t/rmmod.err")"
elif ! module_load shadow=on flush_window_dma=1 2>"$t/insmod.err"; then
	ktap_mismatch "loading pthru shadow=on flush_window_dma=1 failed: $(cat "$t/insmod.err")"
fi
json_load st_ "$(pthructl -j stats 2>"$t/err")"
ktap_expect "pthructl -j stats: armed" "${st_armed:-}" true
ktap_checked=$((ktap_checked + 1))
dma_window ||
	ktap_mismatch "no 'window dma' line in $pthru_debugfs/flush-window: $(head -n 3 "$pthru_debugfs/flush-window" 2>&1 | tr '\n' ' ')"
ktap_checked=$((ktap_checked + 1))
grep -q "^probes:.* $flush_probe" "$pthru_debugfs/flush-window" ||
	ktap_mismatch "$flush_probe is not probed: $(grep '^probes:' "$pthru_debugfs/flush-window")"
ktap_end "pthru loaded with shadow=on flush_window_dma=1 times DMA-API unmaps"
if [ "$ktap_nfail" -gt 0 ]; then
	ktap_test_skip "edu on pthru_test_edu" "pthru is not measuring DMA-API domains"
	ktap_test_skip "stale runs complete" "pthru is not measuring DMA-API domains"
	ktap_test_skip "pthru's DMA window accounts for every run" "pthru is not measuring DMA-API domains"
	ktap_test_skip "the write landed" "pthru is not measuring DMA-API domains"
	ktap_test_skip "interrupts on: blocked" "pthru is not measuring DMA-API domains"
	ktap_test_skip "put back" "see above"
	ktap_finished
fi

# ---------------------------------------------------------------------
ktap_begin
ktap_checked=1
if ! insmod "$ko" 2>"$t/err"; then
	ktap_mismatch "insmod $ko failed: $(cat "$t/err")"
else
	release "$edu" || ktap_mismatch "cannot unbind $edu from $edu_orig"
	set_override "$edu" pthru_test_edu
	echo "$edu" >/sys/bus/pci/drivers_probe 2>/dev/null
	ktap_expect "driver of $edu" "$(sysfs_driver "$edu")" pthru_test_edu
	ktap_checked=$((ktap_checked + 1))
	[ -e "$edu_dbg/cmd" ] || ktap_mismatch "$edu_dbg/cmd does not exist"
fi
ktap_end "edu ($edu, group $group, $gtype) on pthru_test_edu"
if [ "$ktap_nfail" -gt 0 ]; then
	ktap_test_skip "stale runs complete" "edu is not on pthru_test_edu"
	ktap_test_skip "pthru's DMA window accounts for every run" "edu is not on pthru_test_edu"
	ktap_test_skip "the write landed" "edu is not on pthru_test_edu"
	ktap_test_skip "interrupts on: blocked" "edu is not on pthru_test_edu"
	ktap_test_skip "put back" "see above"
	ktap_finished
fi

# ---------------------------------------------------------------------
# The runs.  Each result line, the window around it and the faults go to
# files; the tests below judge them.

# stale_run CMD NAME: one run of the module's CMD; the outcome (landed,
# blocked, or failed) in $outcome, problems appended to $t/runs.bad and
# $t/window.bad.
stale_run() {
	local cmd="$1" name="$2" u0 h0 faulted fault_line

	outcome=failed
	dma_window
	u0=${dw_unmaps:-0} w0=${dw_waits:-0}
	klog_mark "$name"
	# Before the run its write-min is not known: every bucket, by bound.
	awk '$1 == "wait-ns" && $2 == "dma" { print $4, $6 }' \
		"$pthru_debugfs/flush-window" >"$t/hist0"
	if ! sysfs_write "$edu_dbg/cmd" "$cmd"; then
		echo "$name: echo $cmd: $write_err" >>"$t/runs.bad"
		return
	fi
	stale_result
	case $sr_result in
	landed | blocked) outcome=$sr_result ;;
	*) echo "$name: $(cat "$edu_dbg/result")" >>"$t/runs.bad" ;;
	esac
	# The last unmaps (source and control pages) wait for the flush
	# queue's timer: 10 ms, and TCG is slow.
	wait_for 5 window_done
	iova=$(printf '0x%x' $((sr_iova)))
	if [ "$outcome" = blocked ]; then
		wait_for 2 fault
		faulted=$?
	else
		sleep 0.2
		fault
		faulted=$?
	fi
	# shellcheck disable=SC2059 # the format is the profile's
	fault_line=$(klog_since | grep -m 1 "$(printf "$fault_re" "$iova")")
	ktap_diag "$name: second DMA landed: $([ "$outcome" = landed ] && echo yes || echo no)" \
		"($sr_result, interrupts $sr_irqs); IOVA $iova; write >= ${sr_write_min_ns:-?} ns" \
		"after the unmap; IOMMU fault: ${fault_line:-none}"
	ktap_diag "$name: window dma: unmaps +$((dw_unmaps - u0)) waits +$((dw_waits - w0))" \
		"flushes ${dw_flushes:-?} wait-max-ns ${dw_wait_max_ns:-?} dropped ${dw_dropped:-?}"
	[ $((dw_unmaps - u0)) -ge 3 ] ||
		echo "$name: the window counted $((dw_unmaps - u0)) unmaps, 3 were made" >>"$t/window.bad"
	[ $((dw_waits - w0)) -ge 3 ] ||
		echo "$name: the window saw $((dw_waits - w0)) unmaps flushed within 5 s, 3 were made" >>"$t/window.bad"
	case $outcome in
	landed)
		# The victim's flush came after the write: its wait is at
		# least write-min, so the buckets that reach it gained one.
		h0=$(awk -v ns="$sr_write_min_ns" '$1 == "inf" || $1 + 0 >= ns + 0 { n += $2 }
			END { print n + 0 }' "$t/hist0")
		[ "${dw_wait_max_ns:-0}" -ge "${sr_write_min_ns:-0}" ] &&
			[ "$(waits_from "$sr_write_min_ns")" -gt "$h0" ] ||
			echo "$name: the write landed >= $sr_write_min_ns ns after the unmap, but no new wait reaches that (max $dw_wait_max_ns ns, waits in buckets reaching it: $h0 before, $(waits_from "$sr_write_min_ns") after)" >>"$t/window.bad"
		[ $faulted -ne 0 ] ||
			echo "$name: the write landed, yet an IOMMU fault names $iova: $fault_line" >>"$t/runs.bad"
		;;
	blocked)
		[ $faulted -eq 0 ] || [ -n "${expect_iommu_fault_unreported:-}" ] ||
			echo "$name: the write was blocked, but no IOMMU fault names $iova" >>"$t/runs.bad"
		;;
	esac
}

# fault_pause: after a blocked write, let the kernel's IOMMU fault
# ratelimit (10 messages per 5 s; a fault takes three) start afresh, or
# the fault of the fourth blocked write in a row goes unprinted.
fault_pause() {
	if [ "$outcome" = blocked ]; then
		sleep 5.2
	fi
}

landed=0
blocked=0
outcome=
: >"$t/runs.bad"
: >"$t/window.bad"
maps0=$(shadow_maps)
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	fault_pause
	stale_run stale "run $i"
	case $outcome in
	landed) landed=$((landed + 1)) ;;
	blocked) blocked=$((blocked + 1)) ;;
	esac
done
# The contrast: interrupts on, so the flush queue's timer (10 ms) runs
# long before edu writes (100 ms).
fault_pause
stale_run stale-sleep "interrupts on"
sleep_outcome=$outcome

ktap_begin
expect_clean "stale" "$t/runs.bad"
ktap_expect "shadow maps (DMA-API domains are not in the shadow)" "$(shadow_maps)" "$maps0"
if [ -n "${expect_iommu_fault_unreported:-}" ]; then
	ktap_end "$runs+1 stale runs complete: the control page got edu's buffer, the victim all old or all new, a landed write raised no fault (blocked writes' faults not checked: $expect_iommu_fault_unreported)"
else
	ktap_end "$runs+1 stale runs complete: the control page got edu's buffer, the victim all old or all new, IOMMU faults as the outcome says"
fi

ktap_begin
expect_clean "window" "$t/window.bad"
# stats-get reports the same window: between two reads of debugfs (other
# devices' DMA-API unmaps may come in between).
dma_window
w1=${dw_waits:-0}
json_load st_ "$(pthructl -j stats 2>"$t/err")"
dma_window
w2=${dw_waits:-0}
ktap_diag "pthructl stats: dma_flushes ${st_dma_flushes:-?} dma_wait_count ${st_dma_wait_count:-?}" \
	"dma_wait_max_ns ${st_dma_wait_max_ns:-?} dma_untracked ${st_dma_untracked:-?}; debugfs waits $w1..$w2"
ktap_checked=$((ktap_checked + 1))
if ! { [ -n "${st_dma_wait_count:-}" ] && [ "$st_dma_wait_count" != null ] &&
	[ "$st_dma_wait_count" -ge "$w1" ] && [ "$st_dma_wait_count" -le "$w2" ]; }; then
	ktap_mismatch "pthructl -j stats: dma_wait_count ${st_dma_wait_count:-none} is not between debugfs's $w1 and $w2 $(head -n 1 "$t/err")"
fi
ktap_checked=$((ktap_checked + 1))
if ! { [ "${st_dma_flushes:-0}" != null ] && [ "${st_dma_flushes:-0}" -gt 0 ]; }; then
	ktap_mismatch "pthructl -j stats: dma_flushes ${st_dma_flushes:-none}, expected more than 0"
fi
ktap_end "pthru's DMA window counts every run's unmaps as waited for and flushed, and a landed write's wait; pthructl stats reports it"

ktap_diag "second DMA landed: $landed of $runs runs with interrupts off, blocked: $blocked;" \
	"with interrupts on: $sleep_outcome"
ktap_begin
if [ "$expect_stale" = landed ]; then
	ktap_expect "runs in which the write landed" "$landed" "$runs"
	ktap_end "interrupts off on the unmapping CPU: the write to the unmapped IOVA landed in every run"
else
	ktap_expect "runs in which the write was blocked" "$blocked" "$runs"
	ktap_end "strict ($gtype) domain: the unmap flushed before it returned, the write to the unmapped IOVA was blocked in every run even with interrupts off"
fi

ktap_begin
ktap_expect "outcome" "$sleep_outcome" blocked
ktap_end "interrupts on: the flush queue flushed first and the IOMMU blocked the write"

# As the next tests expect it: pthru a fresh load with its policy, edu on
# its driver, the test module gone.
ktap_begin
expect_put_back pthru_test_edu
ktap_expect "flush_window_dma" "$(cat /sys/module/pthru/parameters/flush_window_dma 2>&1)" N
ktap_end "pthru loaded again without parameters, its policy back, $edu back on $edu_orig, pthru_test_edu unloaded"

ktap_finished
