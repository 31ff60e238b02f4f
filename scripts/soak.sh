#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak`: the soaks at full size on Debian's kernels, and the
# policy-file fuzzer for ten minutes.  Every installed Debian kernel boots
# the acs and amdvi profiles and runs only the soaks: 200 hot remove and
# rescan cycles, 100 module reloads under VFIO traffic, 100,000 fuzzed
# netlink messages (the debug lane runs the same soaks under KASAN and
# lockdep; scripts/check-debug.sh).  Sizes: SOAK_CYCLES, SOAK_RELOADS,
# SOAK_NL_MESSAGES, FUZZ_SECONDS and FUZZ_SNAPFILE_SECONDS (600 each);
# SOAK_TEST_TIMEOUT (1800 s) bounds
# each soak.  Ends with
# "soak: N passed, N failed, N skipped".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# shellcheck source=scripts/results.sh
. scripts/results.sh

make -s modules-all tool >/dev/null || { echo "soak: 0 passed, 1 failed"; exit 1; }
words="pthru.soak_cycles=${SOAK_CYCLES:-200} pthru.soak_reloads=${SOAK_RELOADS:-100}"
words+=" pthru.soak_nl_messages=${SOAK_NL_MESSAGES:-100000}"
# A full-size soak takes 4 to 6 minutes on Debian's kernels, close to
# settings' 360 s.
words+=" pthru.timeout=${SOAK_TEST_TIMEOUT:-1800}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
VM_LANE=soak-vm VM_APPEND="$words" VM_OUT=$top/build/vm-soak \
	VM_TESTS=pthru_soak_reload.sh,pthru_soak_hotplug.sh,pthru_soak_netlink.sh \
	VM_TIMEOUT=${VM_TIMEOUT:-3600} \
	selftests/vm/run-all.sh -p acs -p amdvi | tee "$out"
results_add "$(grep -E '^soak-vm: [0-9]+ passed' "$out" | tail -n 1)"
FUZZ_SECONDS=${FUZZ_SECONDS:-600} FUZZ_SNAPFILE_SECONDS=${FUZZ_SNAPFILE_SECONDS:-600} \
	scripts/fuzz.sh | tee "$out"
results_add "$(grep -E '^fuzz: [0-9]+ passed' "$out" | tail -n 1)"
echo "soak: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
