#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the policy-file parser of pthructl for a bounded time with libFuzzer,
# under AddressSanitizer (with leak detection) and UndefinedBehaviorSanitizer.
# The target (tools/pthructl/fuzz/fuzz_policy.c) also aborts when a parsed
# policy does not survive the save -> load round trip.  Then the same for
# the snapshot-file reader (fuzz/fuzz_snapfile.c: write -> read -> write
# must give the same bytes), for a shorter time.
#
#   scripts/fuzz.sh               run for FUZZ_SECONDS (default 60), then
#                                 FUZZ_SNAPFILE_SECONDS (default 20)
#   FUZZ_SECONDS=600 scripts/fuzz.sh
#
# Needs clang and libFuzzer's runtime: on Debian 12 the packages clang and
# libclang-rt-dev (clang only recommends the latter, and install-deps.sh
# installs without recommends); they are installed here if missing and we
# are root.  Builds into build/fuzz/, fuzzes a copy of the seed corpus
# (tools/pthructl/fuzz/corpus/, left untouched) in build/fuzz/corpus/, and
# the snapshot seeds (fuzz/snapfile-corpus/) in build/fuzz/snapfile-corpus/,
# and ends with "fuzz: 2 passed, 0 failed", or a failure per target that
# crashed, leaked, hung or ran out of memory, with the path of its input.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/tools/pthructl
out=$top/build/fuzz
secs=${FUZZ_SECONDS:-60}
snap_secs=${FUZZ_SNAPFILE_SECONDS:-20}
CLANG=${CLANG:-clang}

result() { # passed(0|1) [message]
	[ $# -gt 1 ] && echo "$2"
	if [ "$1" = 1 ]; then
		echo "fuzz: 1 passed, 0 failed"
		exit 0
	fi
	echo "fuzz: 0 passed, 1 failed"
	exit 1
}

case $secs in
'' | *[!0-9]*) result 0 "fuzz: FUZZ_SECONDS must be a whole number of seconds, not '$secs'" ;;
esac
case $snap_secs in
'' | *[!0-9]*) result 0 "fuzz: FUZZ_SNAPFILE_SECONDS must be a whole number of seconds, not '$snap_secs'" ;;
esac

# Whether clang can build and link a libFuzzer target with the sanitizers.
can_fuzz() {
	local probe=$out/probe

	command -v "$CLANG" >/dev/null || return 1
	printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		>"$probe.c"
	"$CLANG" -fsanitize=fuzzer,address,undefined -o "$probe" "$probe.c" \
		>"$probe.log" 2>&1
}

mkdir -p "$out"
if ! can_fuzz; then
	pkgs=(clang libclang-rt-dev)
	if [ "$(id -u)" != 0 ]; then
		result 0 "fuzz: clang with libFuzzer is missing; as root: apt-get install ${pkgs[*]}"
	fi
	echo "fuzz: installing ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
	can_fuzz || result 0 "fuzz: clang cannot link a libFuzzer target: $(tail -n 3 "$out/probe.log")"
fi

echo "fuzz: building build/fuzz/fuzz_policy with $("$CLANG" --version | head -n 1)"
cflags=(-g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Werror -I"$src" -I"$top/uapi" -D_GNU_SOURCE)
# The parser takes its requirement names from the module's core, through
# names.c: build those as tools/pthructl/core.mk does (kernel code, so
# without -Wunused-parameter, like the kernel's W=1), then link them in.
core_objs=()
mkdir -p "$out/core"
for c in "$src/names.c" "$top"/kmod/core/*.c "$src"/kcompat/upstream/*.c; do
	o=$out/core/$(basename "$(dirname "$c")")-$(basename "$c" .c).o
	"$CLANG" "${cflags[@]}" -Wno-unused-parameter \
		-I"$src/kcompat" -I"$src/kcompat/upstream" -I"$top/kmod" \
		-c -o "$o" "$c" || result 0 "fuzz: the fuzz target does not build"
	core_objs+=("$o")
done
if ! "$CLANG" "${cflags[@]}" -o "$out/fuzz_policy" \
	"$src/fuzz/fuzz_policy.c" "$src/policy_lang.c" "${core_objs[@]}"; then
	result 0 "fuzz: the fuzz target does not build"
fi

# The snapshot reader and writer, with the core's snapshot code (above)
# and the tool files around them; those that include the core's headers
# need its include paths, as CORE_USERS in core.mk.
echo "fuzz: building build/fuzz/fuzz_snapfile"
snap_objs=()
for c in "$src/snapfile.c" "$src/facts.c" "$src/jsonread.c" "$src/json.c"; do
	o=$out/snapfile-$(basename "$c" .c).o
	"$CLANG" "${cflags[@]}" -I"$src/kcompat" -I"$src/kcompat/upstream" \
		-I"$top/kmod" -c -o "$o" "$c" ||
		result 0 "fuzz: the snapfile fuzz target does not build"
	snap_objs+=("$o")
done
if ! "$CLANG" "${cflags[@]}" -I"$src/kcompat" -I"$src/kcompat/upstream" \
	-I"$top/kmod" -o "$out/fuzz_snapfile" "$src/fuzz/fuzz_snapfile.c" \
	"${snap_objs[@]}" "${core_objs[@]}"; then
	result 0 "fuzz: the snapfile fuzz target does not build"
fi

passed=0
failed=0

# run_target NAME SECONDS MAX_LEN DICT SEEDS CORPUS ARTIFACTS LOG
run_target() {
	local name=$1 time=$2 max_len=$3 dict=$4 seeds=$5 corpus=$6
	local artifacts=$7 log=$8 rc execs rate cov crash

	# A fresh copy each run: what libFuzzer adds stays in build/.
	rm -rf "$corpus" "$artifacts"
	mkdir -p "$corpus" "$artifacts"
	cp "$seeds"/* "$corpus/"

	# -timeout: one input taking this long is a hang, and a failure.
	echo "fuzz: running $name for $time s"
	ASAN_OPTIONS=detect_leaks=1:symbolize=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$out/$name" -max_total_time="$time" -rss_limit_mb=1024 \
		-max_len="$max_len" -timeout=10 -detect_leaks=1 \
		-print_final_stats=1 -dict="$dict" \
		-artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
	rc=$?

	# The figures of the run, for the log and the benchmark notes.
	execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
	rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
	echo "fuzz stats: $name: ${execs:-?} executions, ${rate:-?}/s, coverage ${cov:-?} edges, corpus $(find "$corpus" -type f | wc -l) inputs"

	crash=$(find "$artifacts" -type f | head -n 1)
	if [ "$rc" -ne 0 ] || [ -n "$crash" ]; then
		grep -E "ERROR|SUMMARY|$name:|runtime error|Test unit written" "$log" | head -n 20
		echo "fuzz: full log in $log"
		[ -n "$crash" ] && echo "fuzz: crashing input: $crash (reproduce: $out/$name $crash)"
		return 1
	fi
	if [ -z "$execs" ] || [ "$execs" -eq 0 ]; then
		tail -n 20 "$log"
		echo "fuzz: $name ran no input"
		return 1
	fi
	return 0
}

# -max_len: past POLICY_LINE_MAX, so that over-long lines are reached; a
# snapshot of a few functions and groups for the other.
if run_target fuzz_policy "$secs" 10000 "$src/fuzz/policy.dict" \
	"$src/fuzz/corpus" "$out/corpus" "$out/artifacts" "$out/fuzz.log"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi
if run_target fuzz_snapfile "$snap_secs" 16384 "$src/fuzz/snapfile.dict" \
	"$src/fuzz/snapfile-corpus" "$out/snapfile-corpus" \
	"$out/snapfile-artifacts" "$out/fuzz_snapfile.log"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
