#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a timed test: what the bind gate adds to a bind.  Binds
# the edu function to vfio-pci and unbinds it, through vfio-pci's bind and
# unbind files, three ways:
#   ungated  pthru unloaded: the kernel alone;
#   off      pthru loaded, mode off: the probe wrapper and pthru's bus
#            events, no evaluation;
#   gated    pthru loaded, enforce, the default policy (allow require
#            acs-isolated,translated,viable-group), which allows edu: every
#            bind is evaluated;
#   control  gated, while a loop as uid 65534 starts pthructl --version
#            (a process per round, no request to pthru);
#   readers  gated, while the same loop asks pthru (pthructl -j dev as
#            uid 65534): unprivileged requests are answered
#            from the current state and must not slow binds, so readers
#            against control is the ratio that counts.  Both take four
#            times as many rounds, so that the loop runs during them; the
#            request loop's pthructl also does more work in the guest than
#            --version, so the ratio is an upper bound of what the requests
#            cost a bind;
# PTHRU_BENCH_BINDS rounds each (default ten per PTHRU_BENCH_RUNS: 200), in
# PTHRU_BENCH_BLOCKS blocks (5) that take turns, so that a busy host slows
# the three alike, each block after 2 warm-up rounds, after a first cycle
# of blocks that is not timed.  Prints
#
#	# bench: bind+unbind: X us (ungated), Y us (gated), ratio Y/X; off Z us; median of B blocks of N
#	# bench: bind+unbind under unprivileged requests: C us (control loop), R us (request loop), ratio R/C; Q requests
#
# microseconds per bind and unbind, the median of the blocks, timed with
# /proc/timer_list's clock (else /proc/uptime).  The tests check that every
# round bound the function and that the gated rounds were judged: the
# allowed counter moves by exactly their number.  The figure is reported,
# never judged.  The module is loaded again without parameters at the end.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

shadow_test_start
pthru_bench_profile_gate
# Ten rounds per run of pthru_bench.sh, so scripts/bench-vm.sh -n scales both.
rounds=${PTHRU_BENCH_BINDS:-$((${PTHRU_BENCH_RUNS:-20} * 10))}
case $rounds in
'' | 0 | *[!0-9]*) ktap_skip_all "PTHRU_BENCH_BINDS=$rounds is not a positive number" ;;
esac
[ -d $vfio ] || modprobe vfio-pci 2>/dev/null
[ -d $vfio ] || ktap_skip_all "the vfio-pci driver is not available"
reload_test_setup
[ -n "$edu" ] ||
	ktap_skip_all "no function that is safe to rebind (QEMU edu, or set PTHRU_TEST_BIND_DEV=ADDR)"
edu_orig=$(sysfs_driver "$edu")
ktap_cleanup_hook() {
	# Every load of the loop sets mode: audit is a load without one.
	plain=0
	[ "$(cat /sys/module/pthru/parameters/mode 2>/dev/null)" = audit ] && plain=1
	pthru_back_to_plain "$plain"
	restore_driver "$edu" "$edu_orig"
}

nocap=$ktap_dir/pthru_nocap
[ -x "$nocap" ] || ktap_skip_all "$nocap is not built (make -C selftests)"

ktap_set_plan 5

# now_ns: a monotonic clock in nanoseconds; /proc/timer_list has one,
# /proc/uptime only centiseconds.
now_ns() {
	local ns

	ns=$(head -n 3 /proc/timer_list 2>/dev/null | sed -n 's/^now at \([0-9]*\) nsecs$/\1/p')
	if [ -n "$ns" ]; then
		echo "$ns"
	else
		awk '{ printf "%d0000000\n", $1 * 100 }' /proc/uptime
	fi
}

# time_block NAME [N]: N (default $per) binds and unbinds after 2 warm-up
# rounds; adds
# the rounds that did not bind to $bad_NAME and, except in the warm-up
# cycle (b = 0), appends the microseconds per round to the list file NAME.
# The writes are shell builtins: no process is started per round.
time_block() {
	local i=0 start us bad=0 n=${2:-$per}

	set_override "$edu" vfio-pci
	while [ $i -lt 2 ]; do
		echo "$edu" >$vfio/bind 2>/dev/null
		echo "$edu" >$vfio/unbind 2>/dev/null
		i=$((i + 1))
	done
	i=0
	start=$(now_ns)
	while [ $i -lt "$n" ]; do
		echo "$edu" >$vfio/bind 2>/dev/null || bad=$((bad + 1))
		echo "$edu" >$vfio/unbind 2>/dev/null
		i=$((i + 1))
	done
	us=$((($(now_ns) - start) / n / 1000))
	set_override "$edu" ""
	[ "$b" -gt 0 ] && echo "$us" >>"$t/$1"
	eval "bad_$1=\$((bad_$1 + bad))"
}

# loop_start ARGS...: as uid 65534, start pthructl with ARGS over and
# over in the background, counting the runs in $t/loop.count; loop_stop
# ends it.
loop_start() {
	: >"$t/loop.count"
	(
		while :; do
			"$nocap" -u 65534 "$PTHRUCTL" "$@" >/dev/null 2>&1
			echo >>"$t/loop.count"
		done
	) &
	loop_pid=$!
}

loop_stop() {
	kill "$loop_pid" 2>/dev/null
	wait "$loop_pid" 2>/dev/null
	loop_runs=$(($(wc -l <"$t/loop.count")))
}

# The ways alternate block by block, so that whatever else the host
# does slows them alike; each figure is the median of its blocks.  A first
# cycle (b = 0) is not timed: the first binds after boot are slower.
blocks=${PTHRU_BENCH_BLOCKS:-5}
[ "$blocks" -ge 1 ] 2>/dev/null || blocks=5
per=$((rounds / blocks))
[ $per -ge 1 ] || per=1
bad_ungated=0
bad_off=0
bad_gated=0
bad_control=0
bad_readers=0
requests=0
judged=0
reload_err=
release "$edu"
b=-1
while [ $b -lt "$blocks" ] && [ -z "$reload_err" ]; do
	b=$((b + 1))
	unload_noting || break
	time_block ungated
	load_noting mode=off || break
	time_block off
	if ! pthructl policy mode enforce 2>"$t/err"; then
		reload_err="pthructl policy mode enforce failed: $(cat "$t/err")"
		break
	fi
	policy_state
	a0=$polc_allowed
	time_block gated
	# Four times longer: a pthructl run takes a good part of a block.
	loop_start --version
	time_block control $((4 * per))
	loop_stop
	loop_start -j dev
	time_block readers $((4 * per))
	loop_stop
	[ "$b" -gt 0 ] && requests=$((requests + loop_runs))
	policy_state
	judged=$((judged + polc_allowed - a0))
	[ "$pol_mode" = enforce ] && [ "$polc_denied" -eq 0 ] ||
		reload_err="after gated block $b: mode $pol_mode, $polc_denied denied"
done
[ -n "$reload_err" ] && ktap_diag "$reload_err"
ktap_diag "us per bind+unbind by block: ungated $(tr '\n' ' ' <"$t/ungated" 2>/dev/null)," \
	"off $(tr '\n' ' ' <"$t/off" 2>/dev/null), gated $(tr '\n' ' ' <"$t/gated" 2>/dev/null)," \
	"control $(tr '\n' ' ' <"$t/control" 2>/dev/null), readers $(tr '\n' ' ' <"$t/readers" 2>/dev/null)"

ktap_begin
ktap_expect "blocks run" "$b" "$blocks"
ktap_expect "binds that failed" "$bad_ungated" 0
ktap_end "ungated: $rounds binds and unbinds with pthru unloaded"

ktap_begin
ktap_expect "blocks run" "$b" "$blocks"
ktap_expect "binds that failed" "$bad_off" 0
ktap_end "mode off: $rounds binds and unbinds"

ktap_begin
ktap_expect "blocks run" "$b" "$blocks"
ktap_expect "binds that failed" "$bad_gated" 0
ktap_expect "problems" "$reload_err" ""
ktap_expect "binds the gate allowed" "$judged" $(((blocks + 1) * (9 * per + 6)))
ktap_end "gated: $rounds binds and unbinds, each judged and allowed"

ktap_begin
ktap_expect "blocks run" "$b" "$blocks"
ktap_expect "binds that failed under the control loop" "$bad_control" 0
ktap_expect "binds that failed under the request loop" "$bad_readers" 0
ktap_checked=$((ktap_checked + 1))
[ "$requests" -gt 0 ] || ktap_mismatch "the request loop made no request"
ktap_end "gated under a loop of unprivileged requests: $rounds binds and unbinds"

ungated=$(median ungated)
off=$(median off)
gated=$(median gated)
control=$(median control)
readers=$(median readers)
if [ "$ktap_nfail" -eq 0 ] && [ "$ungated" -gt 0 ] && [ "$control" -gt 0 ]; then
	figure=$(awk -v u="$ungated" -v g="$gated" -v o="$off" -v b="$blocks" -v n="$per" 'BEGIN {
		printf "bind+unbind: %d us (ungated), %d us (gated), ratio %.2f; off %d us; median of %d blocks of %d\n",
		       u, g, g / u, o, b, n
	}')
	ktap_diag "bench: $figure"
	figure=$(awk -v c="$control" -v r="$readers" -v q="$requests" 'BEGIN {
		printf "bind+unbind under unprivileged requests: %d us (control loop), %d us (request loop), ratio %.2f; %d requests\n",
		       c, r, r / c, q
	}')
	ktap_diag "bench: $figure"
	ktap_test_pass "the benchmark figure is printed"
else
	ktap_test_skip "the benchmark figure is printed" "a round failed: no figure"
fi

module_unload && module_load
ktap_finished
