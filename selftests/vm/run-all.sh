#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the pthru selftests in QEMU guests: every installed Debian kernel
# (headers, image and modules present) times every topology profile in
# selftests/vm/profiles/.  Each guest boots the Debian kernel with an
# emulated intel-iommu and a busybox initramfs, loads that kernel's
# build/kmod/<release>/pthru.ko and runs selftests/run_tests.sh; KTAP comes
# back over a second serial port.  Prints one line per test,
#   ok N <kernel>/<profile>: <test> / not ok ... / ... # SKIP reason
# benchmark figures as "# <kernel>/<profile>: bench: ...", and ends with
# "vm: N passed, N failed, N skipped".  Exits non-zero when anything failed
# or nothing ran.
#
#	selftests/vm/run-all.sh [-k RELEASE]... [-p PROFILE]...
#
# Needs: make modules-all tool (the module and pthructl) beforehand; the
# selftests' C helpers and test modules are built here.  Logs stay in
# build/vm/<release>/<profile>/ (VM_OUT overrides build/vm).
# VM_TIMEOUT (seconds, default 1200) bounds each boot; VM_TESTS=a.sh,b.sh
# runs only those selftests; VM_APPEND adds kernel command-line words
# (init.sh reads pthru.soak=1 and the soak sizes); VM_DEBUG_DIR names a
# kernel built by scripts/debug-kernel.sh, whose release -k may then name
# (its kmemleak report is judged too); VM_LANE names the summary line.
set -uo pipefail

# shellcheck source=selftests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

want_rel=()
want_prof=()
while getopts "k:p:h" opt; do
	case $opt in
	k) want_rel+=("$OPTARG") ;;
	p) want_prof+=("$OPTARG") ;;
	*) sed -n '3,20s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done

n=0
passed=0
failed=0
skipped=0

# report STATUS NAME REASON: one numbered result line.
report() {
	n=$((n + 1))
	case $1 in
	pass) passed=$((passed + 1)); echo "ok $n $2" ;;
	skip) skipped=$((skipped + 1)); echo "ok $n $2 # SKIP ${3:-}" ;;
	*) failed=$((failed + 1)); echo "not ok $n $2${3:+ # $3}" ;;
	esac
}

finish() {
	echo "${VM_LANE:-vm}: $passed passed, $failed failed, $skipped skipped"
	[ $failed -eq 0 ] && [ $passed -gt 0 ]
	exit
}

if ! command -v qemu-system-x86_64 >/dev/null; then
	report fail "setup: qemu-system-x86_64 is installed" "run scripts/install-deps.sh"
	finish
fi
if ! make -s -C "$vm_top/selftests" all >/dev/null; then
	report fail "setup: the selftests' C helpers build" "make -C selftests"
	finish
fi
# The libnl example client, for pthru_libnl_events.sh (which skips, saying
# so, without it): built when libnl-genl-3-dev is there.
if pkg-config --exists libnl-genl-3.0 2>/dev/null &&
	! make -s -C "$vm_top/examples/libnl" >/dev/null; then
	report fail "setup: the libnl example client builds" "make -C examples/libnl"
	finish
fi
vm_fetch_auditd ||
	echo "# no auditd from Debian's archive (apt-get download auditd libauparse0 libwrap0 failed): pthru_auditd.sh will skip"

mapfile -t releases < <(vm_releases)
mapfile -t profiles < <(vm_profiles)
[ ${#want_rel[@]} -gt 0 ] && releases=("${want_rel[@]}")
[ ${#want_prof[@]} -gt 0 ] && profiles=("${want_prof[@]}")
if [ ${#releases[@]} -eq 0 ] || [ ${#profiles[@]} -eq 0 ]; then
	report fail "setup: a kernel and a profile to boot" \
		"kernels: ${releases[*]:-none}, profiles: ${profiles[*]:-none}"
	finish
fi

# run_one RELEASE PROFILE: build, boot, judge.
run_one() {
	local rel=$1 profile=$2 label="$1/$2" out rc status name reason
	local failed_before=$failed start words debug=0

	vm_load_profile "$profile"
	# shellcheck disable=SC2053 # a pattern, from the profile
	if [[ $rel != $profile_kernels ]]; then
		echo "# $label: not run: the profile is for kernels $profile_kernels"
		return
	fi
	out=$vm_out/$rel/$profile
	mkdir -p "$out"
	start=$SECONDS
	if ! (vm_build_initramfs "$rel" "$profile" "$out") 2>"$out/build.log"; then
		report fail "$label: initramfs" "$(tail -n 1 "$out/build.log")"
		return
	fi
	vm_load_profile "$profile"
	echo "# $label: $profile_about"
	words="${VM_TESTS:+pthru.tests=$VM_TESTS}${VM_APPEND:+ $VM_APPEND}"
	vm_is_debug "$rel" && debug=1
	vm_boot "$rel" "$profile" "$out" test "$words"
	rc=$?
	# A kernel that died before the guest's init started the tests (TCG's
	# text patching now and then, DESIGN.md): boot again, once, and only
	# then.  The first console is kept, its first problem line reported.
	if [ ! -s "$out/result.ktap" ] && ! grep -aq '^pthru-vm: kernel ' "$out/console.log"; then
		mv "$out/console.log" "$out/console.boot1.log"
		echo "# $label: the kernel died before the tests started ($(vm_console_problems "$out/console.boot1.log" | head -n 1 | tr -d '\r')); booting again, once"
		vm_boot "$rel" "$profile" "$out" test "$words"
		rc=$?
	fi
	echo "# $label: guest ran $((SECONDS - start)) s, qemu exit $rc"

	if [ ! -s "$out/result.ktap" ]; then
		report fail "$label: the guest wrote results" "no result file"
	else
		while IFS=$'\t' read -r status name reason; do
			case $status in
			diag) echo "#   $name" ;;
			bench) echo "# $label: $name" ;;
			*) report "$status" "$label: $name" "$reason" ;;
			esac
		done < <(awk -v kmemleak=$debug -f "$vm_dir/ktap-results.awk" "$out/result.ktap")
		while IFS=$'\t' read -r status name reason; do
			report "$status" "$label: $name" "$reason"
		done < <("$vm_dir/snapshot-check.sh" "$out/result.ktap" "$out" "$vm_pthructl")
	fi
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		report fail "$label: the guest finished in time" "killed after $vm_timeout s"
	elif [ "$rc" -ne 0 ]; then
		report fail "$label: qemu ran" "exit $rc: $(tail -n 1 "$out/qemu.log")"
	fi
	if vm_console_problems "$out/console.log" >"$out/problems.log"; then
		report fail "$label: the kernel log is clean" \
			"$(head -n 1 "$out/problems.log" | tr -d '\r')"
	fi
	if [ $failed -gt "$failed_before" ]; then
		echo "# $label: last lines of $out/console.log:"
		tail -n 30 "$out/console.log" | tr -d '\r' | sed 's/^/#   /'
	fi
}

# replay LOG: a guest run in the background, its results renumbered into
# this run's and its other lines as they were.
replay() {
	local line rest

	while IFS= read -r line; do
		if [[ $line =~ ^ok\ [0-9]+\ (.*)\ \#\ SKIP\ ?(.*)$ ]]; then
			report skip "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
		elif [[ $line =~ ^ok\ [0-9]+\ (.*)$ ]]; then
			report pass "${BASH_REMATCH[1]}"
		elif [[ $line =~ ^not\ ok\ [0-9]+\ (.*)$ ]]; then
			rest=${BASH_REMATCH[1]}
			if [[ $rest == *" # "* ]]; then
				report fail "${rest%% # *}" "${rest#* # }"
			else
				report fail "$rest"
			fi
		else
			printf '%s\n' "$line"
		fi
	done <"$1"
}

# VM_JOBS guests at a time (default 1).  A guest's shell scripts keep one
# of its two vCPUs busy, so two guests use a 2-core host about fully.
jobs_max=${VM_JOBS:-1}
if [ "$jobs_max" -le 1 ]; then
	for rel in "${releases[@]}"; do
		for profile in "${profiles[@]}"; do
			run_one "$rel" "$profile"
		done
	done
	finish
fi

# What guests of one release share is built before any of them starts.
for rel in "${releases[@]}"; do
	mkdir -p "$vm_out/$rel"
	if ! (vm_build_test_modules "$rel") 2>"$vm_out/$rel/prepare.log"; then
		report fail "$rel: the test modules build" "$(tail -n 1 "$vm_out/$rel/prepare.log")"
		finish
	fi
done
vm_unpack_ynl || echo "# no ynl CLI from linux-source-6.12: pthru_ynl.sh will skip"
"$vm_top"/selftests/kselftest-runner.sh >/dev/null ||
	echo "# no kselftest runner from linux-source-6.12: a kselftest profile will fail"
logs=()
for rel in "${releases[@]}"; do
	for profile in "${profiles[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
			wait -n
		done
		echo "# $rel/$profile: started at $SECONDS s"
		log=$vm_out/$rel/$profile.run.log
		(run_one "$rel" "$profile") >"$log" 2>&1 &
		logs+=("$log")
	done
done
wait
for log in "${logs[@]}"; do
	replay "$log"
done
finish
