#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark of the pure core: a full evaluation (reachability, isolation
# groups, every hazard rule) of a synthetic 4,096-function host, run as the
# pthru_bench KUnit suite on UML.  Prints the cost per function; asserts no
# time (the suite asserts only that the evaluation is right at that size).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$("$top/scripts/kunit.sh" --raw_output=kunit pthru_bench 2>&1)
line=$(echo "$out" | grep -o 'bench: full evaluation.*')
if [ -z "$line" ] || echo "$out" | grep -q 'not ok'; then
	echo "$out" | tail -20
	echo "bench-core: the benchmark did not run" >&2
	exit 1
fi
echo "$line"
