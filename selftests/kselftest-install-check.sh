#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check the selftests as kernel CI (KernelCI, LKFT) takes them: installed
# with "make -C selftests install" next to a kernel's own kselftest
# install, and run by that kernel's run_kselftest.sh -c pthru.
#
#   selftests/kselftest-install-check.sh
#
# The runner (run_kselftest.sh, kselftest/) comes from Debian's
# linux-source-6.12 (KSFT_TARBALL to use another), unpacked once into
# build/kselftest/.  The installed collection runs in a mount namespace
# where every mount at or below /sys, and /proc/sys, is read-only: on a
# host without the module every test must skip before it touches
# anything, and this makes sure that one that does not cannot change the
# host while it is checked.  Where the module is loaded the tests would
# run for real, so they are not run here at all.
#
# Prints "ok N - ..." / "not ok N - ..." per check and ends with
# "kselftest: N passed, N failed"; exits non-zero on any failure.
#
# The sandbox script and the sed, grep and awk patterns name shell text
# ($5, $(dirname "$0"), $ktap_dir) that must not expand here.
# shellcheck disable=SC2016
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
collection=pthru
not_loaded="the pthru module is not loaded (modprobe pthru)"

num=0
npass=0
nfail=0

# check OK DESCRIPTION: one result line; OK is a command's status.
check() {
	num=$((num + 1))
	if [ "$1" -eq 0 ]; then
		npass=$((npass + 1))
		echo "ok $num - $2"
	else
		nfail=$((nfail + 1))
		echo "not ok $num - $2"
	fi
}

# skip DESCRIPTION REASON: a check that cannot be made here (neither
# passed nor failed).
skip() {
	num=$((num + 1))
	echo "ok $num - $1 # SKIP $2"
}

finish() {
	echo "kselftest: $npass passed, $nfail failed"
	[ "$nfail" -eq 0 ]
	exit
}

# diag FILE: a file's lines as diagnostics (what a failed check found).
diag() {
	sed 's/^/# /' "$1"
}

# check_none FILE DESCRIPTION: passes when FILE, the problems found, is
# empty; otherwise they are shown.
check_none() {
	if [ -s "$1" ]; then
		diag "$1"
		check 1 "$2"
	else
		check 0 "$2"
	fi
}

# The sandbox's own script (sh; $1 the install, $2 where to report what
# the mounts and the write probes gave).  A bind remount changes only this namespace's
# view, never the sysfs superblock the host shares; unshare makes the
# namespace's mounts private, so nothing propagates back.  Opening a
# file for appending writes nothing, so the probes are harmless even
# where a remount did not take.
sandbox_script='
for mp in $(awk '\''$5 ~ "^/sys(/|$)" { print $5 }'\'' /proc/self/mountinfo); do
	mount -o remount,bind,ro "$mp" || exit 97
done
{ mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys; } || exit 97
awk '\''$5 ~ "^/(sys|proc/sys)(/|$)" && $6 !~ /^ro(,|$)/ { print "writable mount " $5 }'\'' \
	/proc/self/mountinfo >>"$2"
for f in /sys/bus/pci/rescan /sys/kernel/uevent_helper /proc/sys/kernel/printk_ratelimit_burst; do
	[ -e "$f" ] || continue
	if (true >>"$f") 2>/dev/null; then
		echo "writable $f" >>"$2"
	else
		echo "read-only $f: $( (true >>"$f") 2>&1 | sed "s/.*: //")" >>"$2"
	fi
done
grep -q "^writable" "$2" && exit 97
# What the guest harness or a developer set must not steer the run.
unset $(env | sed -n "s/^\(PTHRU[A-Z0-9_]*\)=.*/\1/p")
cd "$1" && timeout 900 ./run_kselftest.sh -c pthru
'

# The default list run_tests.sh runs, in its order: the installed list
# must be the same, since the order matters (see run_tests.sh).
run_tests_order() {
	PTHRU_SOAK='' "$top/selftests/run_tests.sh" --list
}

# ktap_problems OUT TESTS: what in the runner's output OUT is not the
# kselftest runner's KTAP for the tests listed in TESTS (one name a line):
# "TAP version 13", "1..N" with N the count of TESTS, then "# " lines and
# one "ok|not ok K selftests: pthru: NAME[ # ...]" per test, in order.
ktap_problems() {
	awk -v list="$2" '
	FILENAME == list { n++; want[n] = $0; next }
	FNR == 1 { if ($0 != "TAP version 13") print "line 1 is not TAP version 13: " $0; next }
	FNR == 2 { if ($0 != "1.." n) print "plan is \"" $0 "\", not 1.." n; next }
	/^#( |$)/ { next }
	/^(not )?ok [0-9]+ / {
		k++
		num = $0; sub(/^(not )?ok /, "", num); sub(/ .*/, "", num)
		name = $0; sub(/^(not )?ok [0-9]+ selftests: pthru: /, "", name)
		sub(/ # .*/, "", name)
		if (num != k)
			print "result " k " is numbered " num
		if (name != want[k])
			print "result " k " is " name ", not " want[k]
		next
	}
	{ print "not KTAP: " $0 }
	END { if (k != n) print k " results for " n " tests" }' "$2" "$1"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/pthru-kselftest.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
dest=$work/install

# The runner first: the install copies it in, as the kernel's does.
runner_dir=$("$top/selftests/kselftest-runner.sh")
check $? "the kselftest runner unpacked from ${KSFT_TARBALL:-/usr/src/linux-source-6.12.tar.xz}"
[ -f "$runner_dir/kselftest/runner.sh" ] || finish

# Into a kernel's kselftest install: its list's lines must stay, a stale
# pthru line must go.
mkdir -p "$dest"
printf 'size:get_size\npthru:pthru_gone.sh\nzram:zram.sh\n' >"$dest/kselftest-list.txt"
make -s -C "$top/selftests" install INSTALL_PATH="$dest" \
	KSFT_RUNNER_DIR="$runner_dir" >"$work/make.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] || diag "$work/make.log"
check "$rc" "make -C selftests install INSTALL_PATH=DIR KSFT_RUNNER_DIR=... succeeds"
[ $rc -eq 0 ] || finish

list=$dest/kselftest-list.txt
sed -n "s/^$collection://p" "$list" >"$work/tests"
grep -v "^$collection:" "$list" >"$work/others"
printf 'size:get_size\nzram:zram.sh\n' | cmp -s - "$work/others"
check $? "kselftest-list.txt keeps the other collections' lines"
run_tests_order >"$work/order"
{
	[ -s "$work/order" ] || echo "no test list found in run_tests.sh"
	diff "$work/order" "$work/tests"
} >"$work/bad"
check_none "$work/bad" "kselftest-list.txt lists pthru:<test> for exactly run_tests.sh's tests, in its order"

: >"$work/bad"
while read -r t; do
	[ -f "$dest/$collection/$t" ] && [ -x "$dest/$collection/$t" ] ||
		echo "$t is not installed or not executable" >>"$work/bad"
done <"$work/tests"
check_none "$work/bad" "every listed test is installed and executable"

# What the scripts source (". "$(dirname "$0")/X"", also from a sourced
# library) and the helpers they run from their own directory
# ($ktap_dir/X): all must be installed, the helpers executable.
: >"$work/bad"
for f in "$dest/$collection"/*.sh; do
	sed -n 's/^[[:space:]]*\. "$(dirname "$0")\/\([^"]*\)".*/\1/p' "$f" |
		while read -r s; do
			[ -f "$dest/$collection/$s" ] ||
				echo "${f##*/} sources $s, which is not installed"
		done
	grep -o '\$ktap_dir/[A-Za-z0-9_.-]*' "$f" | sed 's/^\$ktap_dir\///' |
		sort -u | while read -r h; do
			case $h in
			.. | "") continue ;;
			esac
			[ -x "$dest/$collection/$h" ] ||
				echo "${f##*/} runs $h, which is not installed executable"
		done
done >>"$work/bad"
check_none "$work/bad" "every file a test sources and every helper it runs is installed"

timeout=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' "$dest/$collection/settings" 2>/dev/null)
[ -n "$timeout" ]
check $? "settings is installed with the timeout= the runner reads"

[ -x "$dest/run_kselftest.sh" ] && [ -f "$dest/kselftest/runner.sh" ] &&
	[ -f "$dest/kselftest/prefix.pl" ]
check $? "run_kselftest.sh and kselftest/ are installed from KSFT_RUNNER_DIR"

make -s -C "$top/selftests" gen_tar INSTALL_PATH="$dest" \
	KSFT_RUNNER_DIR="$runner_dir" >"$work/tar.log" 2>&1 &&
	tar -tzf "$dest/kselftest-packages/kselftest.tar.gz" |
		grep -x "./$collection/settings" >/dev/null
rc=$?
[ "$rc" -eq 0 ] || diag "$work/tar.log"
check "$rc" "make -C selftests gen_tar packs the install"
rm -rf "$dest/kselftest-packages"

# The run, in the sandbox.  Not as root: a user namespace, whose root
# the tests take for root (they must still skip for the module).
run_desc="run_kselftest.sh -c $collection"
if [ -d /sys/module/pthru ]; then
	skip "$run_desc in a read-only-/sys sandbox" \
		"the pthru module is loaded here: the tests would run for real"
	finish
fi
unshare_opts=-m
[ "$(id -u)" -eq 0 ] || unshare_opts=-rm
sys_before=$(awk '$5 == "/sys" { print $6 }' /proc/self/mountinfo)
# Through a pipe: the runner appends the tests' output to /dev/stdout,
# which on a file opened without O_APPEND overwrites its own lines.
unshare $unshare_opts sh -c "$sandbox_script" sandbox "$dest" "$work/probe" \
	2>"$work/run.err" | cat >"$work/run.out"
rc=${PIPESTATUS[0]}
sys_after=$(awk '$5 == "/sys" { print $6 }' /proc/self/mountinfo)

if [ "$rc" -eq 97 ] || ! [ -s "$work/probe" ]; then
	[ -f "$work/probe" ] && diag "$work/probe"
	diag "$work/run.err"
	check 1 "a sandbox where /sys and /proc/sys are read-only (unshare $unshare_opts)"
	finish
fi
diag "$work/probe"
check 0 "a sandbox where /sys and /proc/sys are read-only (every mount there ro, writes fail)"
[ "$sys_before" = "$sys_after" ]
check $? "the host's /sys mount is as it was ($sys_after)"

[ "$rc" -eq 0 ] || diag "$work/run.err"
check "$rc" "$run_desc exits 0"

ktap_problems "$work/run.out" "$work/tests" >"$work/bad"
check_none "$work/bad" "$run_desc prints valid KTAP, one result per listed test, in order"

n=$(wc -l <"$work/tests")
skips=$(grep -cE "^ok [0-9]+ selftests: $collection: [^ ]+ # SKIP$" "$work/run.out")
[ "$skips" -eq "$n" ]
check $? "every test is ok # SKIP without the module ($skips of $n)"

# Each test's own KTAP says why it skipped, and as root that is the
# module: a test that skipped for root, or for anything it looked at
# before the module, has not put its require checks first.
{
	grep '^# 1\.\.0 # SKIP' "$work/run.out" | grep -vF "$not_loaded" | sort | uniq -c
	nskip=$(grep -cxF "# 1..0 # SKIP $not_loaded" "$work/run.out")
	[ "$nskip" -eq "$n" ] || echo "$nskip of $n tests say so"
} >"$work/bad"
check_none "$work/bad" "every test skips saying \"$not_loaded\" (none for root)"

[ "$(grep -cx "# timeout set to $timeout" "$work/run.out")" -eq "$n" ]
check $? "the runner takes timeout=$timeout from settings for every test"

finish
