#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Netlink soak: pthru_nl_fuzz sends PTHRU_SOAK_NL_MESSAGES (default
# 100000) malformed and well-formed generic netlink messages to the pthru
# family, half of them from a child without capabilities, while the module
# is kept busy with what it does in real life:
#   dumps     a loop of "pthructl -j dev", "-j group" and "-j audit"
#             (--fail-on none: its findings are not failures here);
#   bind/map  a loop over the QEMU edu function (1234:11e8, or
#             PTHRU_TEST_BIND_DEV): bind it to vfio-pci, run pthru_vfio_map
#             on its group (map 4 KiB..2 MiB, unmap, close: shadow
#             traffic), bind it back to its own driver.  Binding and
#             mapping are phases of the same loop, so the map traffic
#             never meets a bind or unbind of the same function.
# Why: the fuzzer checks each answer, the loads make its requests race
# with inventory rebuilds, bind decisions and shadow updates, and the
# checks afterwards show the module survived all of it: no unexpected
# failure in the loops, nothing alarming in the kernel log, "pthructl
# status" answers, and the module unloads and loads again ($PTHRU_KO) --
# or, when the policy is locked, refuses to unload cleanly and answers.
#
# The fuzzer never asks for the policy lock (see pthru_nl_fuzz.c); its
# privileged half sends no request that changes state unless
# PTHRU_SOAK_NL_WRITES=1, which passes -w: then a random policy may
# refuse the binds, so the bind loop's failures are only reported.  The
# policy (audit mode, allow all, for the binds) and edu's driver are put
# back as they were.  PTHRU_SOAK_NL_SEED replays a fuzzer run.
#
# A soak: run_tests.sh does not list it.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; variables of the libraries
. "$(dirname "$0")/pthru_shadow_lib.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool
fuzz=$ktap_dir/pthru_nl_fuzz
prog=$ktap_dir/pthru_vfio_map
[ -x "$fuzz" ] || ktap_skip_all "$fuzz is not built (make -C selftests)"

ktap_tmpdir
t=$ktap_tmp
policy_must_answer
msgs=${PTHRU_SOAK_NL_MESSAGES:-100000}
writes=${PTHRU_SOAK_NL_WRITES:-0}
dump_pid=
bind_pid=
edu_orig=

# stop_load: end the background loops (each finishes its round, so edu is
# not left between drivers), killing them after 60 s.
stop_load() {
	local p tries=600

	: >"$t/stop"
	for p in $dump_pid $bind_pid; do
		while [ $tries -gt 0 ] && pid_alive "$p"; do
			sleep 0.1
			tries=$((tries - 1))
		done
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	dump_pid=
	bind_pid=
}

ktap_cleanup_hook() {
	stop_load
	[ -n "$edu_orig" ] && restore_driver "$edu" "$edu_orig"
	pthru_module_loaded || module_load >/dev/null 2>&1
	pthru_module_loaded && policy_restore
}

# count FILE: its lines, 0 when it does not exist.
count() {
	if [ -f "$1" ]; then
		echo $(($(wc -l <"$1")))
	else
		echo 0
	fi
}

# ---------------------------------------------------------------------
# The loads.

# dump_loop: the dumps (and audit) until $t/stop; a line per round in
# dump.rounds, one per failed command in dump.fail.
dump_loop() {
	local c

	while [ ! -e "$t/stop" ]; do
		for c in dev group audit; do
			# audit exits 1 on a high finding: only 2 is a failure.
			set -- -j "$c"
			[ "$c" = audit ] && set -- "$@" --fail-on none
			"$PTHRUCTL" "$@" >/dev/null 2>"$t/dump.err" ||
				echo "pthructl $* (exit $?): $(head -n 1 "$t/dump.err")" >>"$t/dump.fail"
		done
		echo >>"$t/dump.rounds"
	done
}

# bind_loop: edu to vfio-pci, map traffic, edu back; a line per round in
# bind.rounds, one per failed step in bind.fail.
bind_loop() {
	local rc

	while [ ! -e "$t/stop" ]; do
		if to_vfio "$edu" "$group"; then
			"$prog" "$group" >"$t/map.out" 2>"$t/map.err"
			rc=$?
			# 4: no type1 container here, a skip (counted apart).
			if [ $rc -eq 4 ]; then
				echo >>"$t/map.skips"
			elif [ $rc -ne 0 ]; then
				echo "pthru_vfio_map $group: exit $rc: $(head -n 1 "$t/map.err")" >>"$t/bind.fail"
			fi
		else
			echo "to vfio-pci: $move_err" >>"$t/bind.fail"
		fi
		restore_driver "$edu" "$edu_orig" ||
			echo "back to $edu_orig: $edu is on $(sysfs_driver "$edu")" >>"$t/bind.fail"
		echo >>"$t/bind.rounds"
	done
}

# Why the bind/map loop cannot run here, or nothing.
bind_why=
policy_subjects
if [ -z "$(vfio_missing)" ]; then
	edu_vfio_group
	bind_why=$edu_why
else
	bind_why=$(vfio_missing)
fi
[ -n "$bind_why" ] || [ -x "$prog" ] || bind_why="$prog is not built"
if [ -z "$bind_why" ]; then
	edu_orig=$(sysfs_driver "$edu")
	# Every bind must pass: audit mode, allow all (as pthru_map.sh).
	if [ "$pol_locked" = false ]; then
		policy_keep
		policy_allow_all ||
			bind_why="pthructl policy load: $(head -n 1 "$t/load.err")"
	fi
fi
if [ -z "$bind_why" ] && ! to_vfio "$edu" "$group"; then
	bind_why="$move_err (policy mode $pol_mode, locked $pol_locked)"
fi
[ -n "$edu_orig" ] && restore_driver "$edu" "$edu_orig"

ktap_set_plan 7
klog_mark soak-netlink
dump_loop &
dump_pid=$!
if [ -z "$bind_why" ]; then
	bind_loop &
	bind_pid=$!
fi

# ---------------------------------------------------------------------
# 1. the fuzzer, its KTAP as diagnostics

set -- -n "$msgs"
[ -n "${PTHRU_SOAK_NL_SEED:-}" ] && set -- "$@" -s "$PTHRU_SOAK_NL_SEED"
[ "$writes" = 1 ] && set -- "$@" -w
ktap_diag "pthru_nl_fuzz $*"
"$fuzz" "$@" >"$t/fuzz.out" 2>"$t/fuzz.err"
rc=$?
sed 's/^/# /' "$t/fuzz.out"
[ -s "$t/fuzz.err" ] && ktap_diag "stderr: $(head -n 5 "$t/fuzz.err" | tr '\n' ' ')"
case $rc in
0) ktap_test_pass "pthru_nl_fuzz: $msgs messages answered as they should be" ;;
4) ktap_test_skip "pthru_nl_fuzz: $msgs messages answered as they should be" \
	"$(grep -m 1 SKIP "$t/fuzz.out" | sed 's/.*# SKIP //')" ;;
*) ktap_test_fail "pthru_nl_fuzz: $msgs messages answered as they should be (exit $rc)" ;;
esac

stop_load

# 2. the dump loop
ktap_begin
rounds=$(count "$t/dump.rounds")
fails=$(count "$t/dump.fail")
ktap_diag "dump loop: $rounds rounds, $fails failures"
[ -s "$t/dump.fail" ] && ktap_diag "first: $(head -n 1 "$t/dump.fail")"
ktap_expect "rounds > 0" "$([ "$rounds" -gt 0 ] && echo yes)" yes
ktap_expect "failed dump or audit commands" "$fails" 0
ktap_end "the dump and audit loop ran without a failure"

# 3. the bind/map loop
if [ -n "$bind_why" ]; then
	ktap_test_skip "the bind and map loop ran without a failure" "$bind_why"
else
	ktap_begin
	rounds=$(count "$t/bind.rounds")
	fails=$(count "$t/bind.fail")
	ktap_diag "bind/map loop: $rounds rounds, $fails failures, $(count "$t/map.skips") map runs skipped"
	[ -s "$t/bind.fail" ] && ktap_diag "first: $(head -n 1 "$t/bind.fail")"
	ktap_expect "rounds > 0" "$([ "$rounds" -gt 0 ] && echo yes)" yes
	# With -w a random policy may refuse binds: reported, not failed.
	[ "$writes" = 1 ] || ktap_expect "failed binds or map runs" "$fails" 0
	ktap_end "the bind and map loop ran without a failure"
fi

# 4. the kernel log
ktap_begin
klog_since >"$t/klog"
grep -E 'WARNING:|BUG:|Oops|KASAN|UBSAN|general protection|refcount_t:|list_(add|del) corruption|Call Trace' \
	"$t/klog" >"$t/klog.bad"
ktap_diag "kernel log lines during the soak: $(wc -l <"$t/klog")"
ktap_expect "warning, bug or trace lines" "$(wc -l <"$t/klog.bad")" 0
[ -s "$t/klog.bad" ] && ktap_diag "$(head -n 20 "$t/klog.bad" | tr '\n' '|')"
ktap_end "the kernel logged no warning, bug or trace during the soak"

# 5. the module still answers
[ -n "$edu_orig" ] && restore_driver "$edu" "$edu_orig"
ktap_begin
ktap_checked=1
pthructl status >"$t/status" 2>"$t/status.err" ||
	ktap_mismatch "pthructl status: $(head -n 1 "$t/status.err")"
ktap_end "pthructl status answers after the soak"

# 6. and 7. unloading: refused when locked, else it unloads and loads again
policy_state
if [ "$pol_locked" = true ]; then
	ktap_begin
	ktap_checked=1
	if rmmod pthru 2>"$t/rmmod.err"; then
		ktap_mismatch "rmmod pthru succeeded with a locked policy"
	else
		ktap_diag "rmmod: $(cat "$t/rmmod.err")"
		pthru_module_loaded || ktap_mismatch "pthru is gone after a failed rmmod"
		pthructl status >/dev/null 2>"$t/status.err" ||
			ktap_mismatch "pthructl status after rmmod: $(head -n 1 "$t/status.err")"
	fi
	ktap_end "rmmod pthru fails while the policy is locked, and pthru answers"
	ktap_test_skip "pthru loads again and answers" "the policy is locked until reboot"
elif ! pthru_can_reload; then
	# Unloading what cannot be loaded back would strand the next tests.
	ktap_test_skip "rmmod pthru works after the soak" \
		"pthru could not be loaded back (set PTHRU_KO=path/to/pthru.ko)"
	ktap_test_skip "pthru loads again and answers" "PTHRU_KO is not set"
else
	ktap_begin
	ktap_checked=1
	module_unload ||
		ktap_mismatch "rmmod pthru: $(cat "$t/rmmod.err" 2>/dev/null)"
	ktap_end "rmmod pthru works after the soak"
	if [ -z "${PTHRU_KO:-}" ]; then
		# The cleanup hook modprobes it back.
		ktap_test_skip "pthru loads again and answers" "PTHRU_KO is not set"
	else
		ktap_begin
		ktap_checked=1
		if ! insmod "$PTHRU_KO" 2>"$t/insmod.err"; then
			ktap_mismatch "insmod $PTHRU_KO: $(cat "$t/insmod.err")"
		elif ! pthructl status >/dev/null 2>"$t/status.err"; then
			ktap_mismatch "pthructl status: $(head -n 1 "$t/status.err")"
		fi
		ktap_end "pthru loads again and answers"
	fi
fi

ktap_finished
