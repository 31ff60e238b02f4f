# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC3043,SC2034,SC2154 # local; variables for the sourcing scripts
#
# Helpers of the shadow selftests (pthru_map*.sh, pthru_bench_map.sh,
# pthru_bench_dma.sh, pthru_stale_dma.sh, and the reloads of
# pthru_bench_bind.sh), POSIX sh.  It sources ktap_helpers.sh and
# pthru_policy_lib.sh, whose helpers these tests use as well:
#
#	. "$(dirname "$0")/pthru_shadow_lib.sh"
#
# Not a test itself: run_tests.sh does not list it.  Moving a function to
# vfio-pci or a test driver, driving pthru_vfio_map through its FIFO,
# "pthructl -j stats", reloading pthru and leaving it as the next test
# expects it.  Most helpers write into $t (the script's $ktap_tmp).

# shellcheck source=selftests/ktap_helpers.sh
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

# shadow_test_start: the KTAP header, then a skip unless this runs as root
# with the module loaded, an IOMMU and pthructl: every shadow test needs
# them all.
shadow_test_start() {
	ktap_print_header
	pthru_require_root
	pthru_require_module
	pthru_require_iommu
	pthru_require_tool
}

# ---------------------------------------------------------------------
# VFIO and the functions the tests move.

# vfio_missing: vfio-pci and vfio_iommu_type1 loaded if they can be; prints
# why a type1 container cannot be had here, or nothing.  A test guest's
# kernel may have either as a module that nothing loaded yet.
vfio_missing() {
	[ -d "$vfio" ] || modprobe vfio-pci 2>/dev/null
	[ -d /sys/module/vfio_iommu_type1 ] || modprobe vfio_iommu_type1 2>/dev/null
	if [ ! -d "$vfio" ]; then
		echo "the vfio-pci driver is not available"
	elif [ ! -d /sys/module/vfio_iommu_type1 ]; then
		echo "vfio_iommu_type1 is not loaded (a test guest's profile must list it)"
	fi
}

# require_vfio_type1: vfio_missing, or the script is skipped.
require_vfio_type1() {
	local why

	why=$(vfio_missing)
	[ -z "$why" ] || ktap_skip_all "$why"
}

# group_other_member ADDR GROUP: a member of GROUP that is not ADDR, or
# nothing: moving ADDR alone to vfio-pci leaves GROUP not viable otherwise.
group_other_member() {
	local m

	for m in $(pci_names "/sys/kernel/iommu_groups/$2/devices"); do
		[ "$m" = "$1" ] || { echo "$m"; return; }
	done
}

# edu_vfio_group: $group gets the IOMMU group of $edu (policy_subjects'
# function safe to rebind); $edu_why why it cannot go to vfio-pci alone,
# or nothing.
edu_vfio_group() {
	local m

	group=
	edu_why=
	if [ -z "$edu" ]; then
		edu_why="no function that is safe to rebind (QEMU edu, or set PTHRU_TEST_BIND_DEV=ADDR)"
	elif [ ! -d "$pci_devices/$edu" ]; then
		edu_why="$edu does not exist"
	else
		group=$(sysfs_group "$edu")
		if [ "$group" = null ]; then
			edu_why="$edu has no IOMMU group"
		elif m=$(group_other_member "$edu" "$group") && [ -n "$m" ]; then
			edu_why="$edu shares IOMMU group $group with $m: moving only $edu leaves it not viable"
		fi
	fi
}

# require_edu_vfio_group: edu_vfio_group, or the script is skipped.
require_edu_vfio_group() {
	edu_vfio_group
	[ -z "$edu_why" ] || ktap_skip_all "$edu_why"
}

# require_edu_test_driver: $ko is the pthru_test_edu module
# ($PTHRU_TEST_EDU_KO), not loaded yet (a loaded one may be in use); or
# the script is skipped.
require_edu_test_driver() {
	ko=${PTHRU_TEST_EDU_KO:-}
	[ -n "$ko" ] ||
		ktap_skip_all "no test module (make -C selftests/modules; set PTHRU_TEST_EDU_KO=path/to/pthru_test_edu.ko)"
	[ -f "$ko" ] || ktap_skip_all "PTHRU_TEST_EDU_KO=$ko does not exist"
	[ -d /sys/module/pthru_test_edu ] && ktap_skip_all "pthru_test_edu is already loaded"
}

# require_qemu_edu: $edu is QEMU's edu (pthru_test_edu drives its DMA
# engine), its IOMMU group in $group; or the script is skipped.
require_qemu_edu() {
	[ -n "$edu" ] ||
		ktap_skip_all "no QEMU edu function (or PTHRU_TEST_BIND_DEV=ADDR of one)"
	[ -d "$pci_devices/$edu" ] || ktap_skip_all "$edu does not exist"
	[ "$(sysfs_hex "$edu" vendor):$(sysfs_hex "$edu" device)" = 1234:11e8 ] ||
		ktap_skip_all "$edu is not QEMU's edu (1234:11e8)"
	group=$(sysfs_group "$edu")
	[ "$group" != null ] || ktap_skip_all "$edu has no IOMMU group"
}

# edu_dma_setup: for a test that drives edu through pthru_test_edu's DMA
# API (after require_edu_test_driver): reload_test_setup, require_qemu_edu,
# edu's domain type in $gtype (DMA or DMA-FQ, else a skip), its driver in
# $edu_orig, the test driver's debugfs directory in $edu_dbg, the policy
# kept (policy_keep) to be put back.
edu_dma_setup() {
	reload_test_setup
	require_qemu_edu
	gtype=$(sysfs_group_type "$group")
	case $gtype in
	DMA | DMA-FQ) ;;
	*) ktap_skip_all "$edu's domain is $gtype, not a DMA-API domain: its DMA API does not go through the IOMMU's map and unmap" ;;
	esac
	edu_orig=$(sysfs_driver "$edu")
	edu_dbg=/sys/kernel/debug/pthru_test_edu
	policy_keep
}

# move_to ADDR DRIVER: ADDR unbound and probed again with driver_override
# naming DRIVER (vfio-pci has no ID table: an override is the way onto
# it); 1 with the reason in $move_err when ADDR is not on DRIVER then.
move_to() {
	move_err=
	if ! release "$1"; then
		move_err="cannot unbind $1 from $(sysfs_driver "$1")"
		return 1
	fi
	set_override "$1" "$2"
	echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	[ "$(sysfs_driver "$1")" = "$2" ] || { move_err="$1 did not bind to $2"; return 1; }
}

# to_vfio ADDR GROUP: ADDR on vfio-pci and /dev/vfio/GROUP there (udev
# may create it a moment later); 1 with the reason in $move_err.
to_vfio() {
	move_to "$1" vfio-pci || return 1
	wait_for 5 test -c "/dev/vfio/$2" ||
		{ move_err="vfio-pci has $1 but /dev/vfio/$2 did not appear"; return 1; }
}

# policy_allow_all: an audit-mode policy that allows every bind, since the
# default policy may want more than a guest's edu has; 1 with load.err.
policy_allow_all() {
	printf 'mode audit\ndefault allow\n' >"$ktap_tmp/allow.conf"
	policy_load "$ktap_tmp/allow.conf"
}

# ---------------------------------------------------------------------
# pthru_vfio_map, driven through a FIFO: it prints "wait STEP" and reads a
# line from the FIFO before it takes the next step.

# prog_start ARGS...: $prog on $group with ARGS, until its first pause.
prog_start() {
	rm -f "$t/go"
	mkfifo "$t/go" || return 1
	# Emptied here, not only by the redirection: that happens in the
	# background child, and prog_wait could meet the previous run's
	# "wait mapped" before it does.
	: >"$t/out"
	"$prog" "$group" "$@" --hold "$t/go" >"$t/out" 2>"$t/err" &
	prog_pid=$!
}

prog_at() {
	grep -q "^$1\$" "$t/out"
}

prog_alive() {
	kill -0 "$prog_pid" 2>/dev/null
}

# prog_wait LINE: until the program prints LINE (60 s: TCG is slow to pin);
# 1 when it exits first or takes longer.
prog_wait() {
	local tries=600

	while [ $tries -gt 0 ]; do
		prog_at "$1" && return 0
		prog_alive || { prog_at "$1"; return; }
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# prog_go: let the program take its next step.  The FIFO is open in the
# program (read-write), so this write cannot block while it lives.
prog_go() {
	prog_alive && echo go >"$t/go"
}

# prog_end: let the program close and wait for it; 1 if it failed.
prog_end() {
	local rc

	prog_go
	prog_wait closed
	wait "$prog_pid"
	rc=$?
	prog_pid=
	return $rc
}

# prog_kill: for a cleanup hook; a held container would keep edu on
# vfio-pci.
prog_kill() {
	[ -n "${prog_pid:-}" ] || return 0
	kill "$prog_pid" 2>/dev/null
	wait "$prog_pid" 2>/dev/null
	prog_pid=
}

# prog_fail_diag: what the program said on its way out.
prog_fail_diag() {
	ktap_diag "pthru_vfio_map: $(tr '\n' ' ' <"$t/err")(last line: $(tail -n 1 "$t/out"))"
}

# ---------------------------------------------------------------------
# What the shadow says.

# stats_state: "pthructl -j stats" into st_* (st__keys "invalid" on
# failure); nothing stale survives a failed call.
stats_state() {
	st__keys=invalid
	st_armed='' st_domains='' st_ranges='' st_range_bytes='' st_maps=''
	st_unmaps='' st_lost='' st_incomplete_domains=''
	pthructl -j stats >"$t/stats" 2>"$t/stats.err" || return 1
	json_load st_ "$(tr -d '\n' <"$t/stats")"
}

stats_answers() {
	stats_state && [ "$st__keys" != invalid ]
}

stats_err() {
	echo "pthructl -j stats: $(head -n 1 "$t/stats.err") $(head -n 1 "$t/stats")"
}

# expect_clean NAME FILE: no line in FILE (a problem each, written as it
# was met); no FILE is clean.
expect_clean() {
	local l

	ktap_checked=$((ktap_checked + 1))
	[ -f "$2" ] || return 0
	while read -r l; do
		ktap_mismatch "$1: $l"
	done <"$2"
}

# median NAME: the median of the list file $t/NAME (0 when empty).
median() {
	sort -n "$t/$1" 2>/dev/null |
		awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'
}

# ---------------------------------------------------------------------
# Loading pthru again.

refcnt_zero() {
	[ "$(cat /sys/module/pthru/refcnt 2>/dev/null)" = 0 ]
}

# pthru_wait_unused: no reference on pthru (a netlink dump just ended may
# hold one for a moment); 1 with the reason in $reload_err.
pthru_wait_unused() {
	wait_for 10 refcnt_zero && return 0
	reload_err="pthru's refcnt is $(cat /sys/module/pthru/refcnt) for 10 s"
	return 1
}

# pthru_rmmod: rmmod once, no retry: a reference left is a finding here;
# 1 with the reason in $reload_err.
pthru_rmmod() {
	rmmod pthru 2>"$t/rmmod.err" && ! pthru_module_loaded && return 0
	reload_err="rmmod pthru: $(cat "$t/rmmod.err")"
	return 1
}

# pthru_insmod [PARAM...]: pthru loaded with the parameters; $plain says
# whether it has none (the cleanup hook reloads it otherwise); 1 with the
# reason in $reload_err.
pthru_insmod() {
	plain=$(($# == 0))
	module_load "$@" 2>"$t/insmod.err" && return 0
	reload_err="loading pthru $*: $(cat "$t/insmod.err")"
	return 1
}

# reload_test_setup: for a test that loads pthru again with parameters
# and changes its policy: a skip unless both can be done; then $t, the
# scratch directory, the policy in pol_* and the functions safe to move
# (policy_subjects).
reload_test_setup() {
	pthru_can_reload ||
		ktap_skip_all "cannot reload: pthru is not installed (set PTHRU_KO=path/to/pthru.ko)"
	ktap_tmpdir
	t=$ktap_tmp
	policy_must_answer
	policy_require_unlocked
	policy_subjects
}

# unload_noting / load_noting [PARAM...]: module_unload (which waits out
# a moment of "in use") or module_load with the parameters, for the
# blocks of a benchmark; 1 with the reason in $reload_err.
unload_noting() {
	module_unload && return 0
	reload_err="rmmod pthru failed: $(cat "$t/rmmod.err")"
	return 1
}

load_noting() {
	module_load "$@" 2>"$t/insmod.err" && return 0
	reload_err="loading pthru${*:+ $*} failed: $(cat "$t/insmod.err")"
	return 1
}

# pthru_back_to_plain [PLAIN]: for a cleanup hook: pthru loaded, without
# parameters as the next tests expect; PLAIN=1 when it already is.
pthru_back_to_plain() {
	if pthru_module_loaded; then
		[ "${1:-0}" -eq 1 ] || { module_unload && module_load; }
	else
		module_load
	fi >/dev/null 2>&1
}

# put_back_quietly [TESTMOD]: for a cleanup hook: $edu on $edu_orig, the
# test module TESTMOD unloaded, pthru without parameters unless $reloaded
# says it is so already, the policy kept by policy_keep.
put_back_quietly() {
	restore_driver "$edu" "$edu_orig"
	[ -n "${1:-}" ] && [ -d "/sys/module/$1" ] && rmmod "$1"
	pthru_back_to_plain "${reloaded:-0}"
	policy_restore
}

# expect_put_back [TESTMOD]: within a test, $edu back on $edu_orig, the
# test module TESTMOD unloaded, pthru loaded again without parameters
# ($reloaded set: the cleanup hook has nothing left to reload) and the
# policy kept by policy_keep loaded back.
expect_put_back() {
	ktap_checked=$((ktap_checked + 1))
	restore_driver "$edu" "$edu_orig" ||
		ktap_mismatch "$edu is on $(sysfs_driver "$edu"), not $edu_orig"
	if [ -n "${1:-}" ]; then
		ktap_checked=$((ktap_checked + 1))
		rmmod "$1" 2>"$t/err" || ktap_mismatch "rmmod $1: $(cat "$t/err")"
	fi
	ktap_checked=$((ktap_checked + 1))
	{ module_unload && module_load 2>"$t/insmod.err"; } ||
		ktap_mismatch "reloading pthru: $(cat "$t/rmmod.err" "$t/insmod.err" 2>/dev/null)"
	reloaded=1
	ktap_checked=$((ktap_checked + 1))
	pthructl policy load "$t/policy-orig" >/dev/null 2>"$t/err" ||
		ktap_mismatch "loading the policy back: $(head -n 1 "$t/err")"
}
