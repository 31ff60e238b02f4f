#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the policy-file parser of pthructl for a bounded time with libFuzzer,
# under AddressSanitizer (with leak detection) and UndefinedBehaviorSanitizer.
# The target (tools/pthructl/fuzz/fuzz_policy.c) also aborts when a parsed
# policy does not survive the save -> load round trip.
#
#   scripts/fuzz.sh               run for FUZZ_SECONDS (default 60)
#   FUZZ_SECONDS=600 scripts/fuzz.sh
#
# Needs clang and libFuzzer's runtime: on Debian 12 the packages clang and
# libclang-rt-dev (clang only recommends the latter, and install-deps.sh
# installs without recommends); they are installed here if missing and we
# are root.  Builds into build/fuzz/, fuzzes a copy of the seed corpus
# (tools/pthructl/fuzz/corpus/, left untouched) in build/fuzz/corpus/ and
# ends with "fuzz: 1 passed, 0 failed", or "fuzz: 0 passed, 1 failed" and
# the path of the input that crashed, leaked, hung or ran out of memory.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/tools/pthructl
out=$top/build/fuzz
secs=${FUZZ_SECONDS:-60}
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

# A fresh copy each run: what libFuzzer adds stays in build/.
rm -rf "$out/corpus" "$out/artifacts"
mkdir -p "$out/corpus" "$out/artifacts"
cp "$src"/fuzz/corpus/* "$out/corpus/"

# -max_len: past POLICY_LINE_MAX, so that over-long lines are reached.
# -timeout: one input taking this long is a hang, and a failure.
echo "fuzz: running for $secs s"
ASAN_OPTIONS=detect_leaks=1:symbolize=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	"$out/fuzz_policy" -max_total_time="$secs" -rss_limit_mb=1024 \
	-max_len=10000 -timeout=10 -detect_leaks=1 -print_final_stats=1 \
	-dict="$src/fuzz/policy.dict" -artifact_prefix="$out/artifacts/" \
	"$out/corpus" >"$out/fuzz.log" 2>&1
rc=$?

# The figures of the run, for the log and the benchmark notes.
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$out/fuzz.log")
rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$out/fuzz.log")
cov=$(grep -E '^#[0-9]+' "$out/fuzz.log" | tail -n 1 | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
echo "fuzz stats: ${execs:-?} executions, ${rate:-?}/s, coverage ${cov:-?} edges, corpus $(find "$out/corpus" -type f | wc -l) inputs"

crash=$(find "$out/artifacts" -type f | head -n 1)
if [ "$rc" -ne 0 ] || [ -n "$crash" ]; then
	grep -E 'ERROR|SUMMARY|fuzz_policy:|runtime error|Test unit written' "$out/fuzz.log" | head -n 20
	echo "fuzz: full log in $out/fuzz.log"
	[ -n "$crash" ] && echo "fuzz: crashing input: $crash (reproduce: $out/fuzz_policy $crash)"
	result 0
fi
if [ -z "$execs" ] || [ "$execs" -eq 0 ]; then
	tail -n 20 "$out/fuzz.log"
	result 0 "fuzz: the fuzzer ran no input"
fi
result 1
