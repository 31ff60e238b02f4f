#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks of the pure core, run as the pthru_bench KUnit suite on UML:
# a full evaluation (reachability, isolation groups, every hazard rule) of
# a synthetic 4,096-function host, printed as the cost per function, and a
# bind decision against a 1,000-rule policy, printed as the median cost of
# one decision, and the shadow's interval store at 10^3, 10^5 and 10^6
# ranges, printed as the cost of one insert, lookup and remove.  Asserts no
# time (the suite asserts only that the results are right at that size).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$("$top/scripts/kunit.sh" --raw_output=kunit pthru_bench 2>&1)
line=$(echo "$out" | grep -o 'bench: \(full evaluation\|policy decision\|ivstore at\).*')
if [ "$(echo "$line" | grep -c .)" -ne 5 ] || echo "$out" | grep -q 'not ok'; then
	echo "$out" | tail -20
	echo "bench-core: the benchmark did not run" >&2
	exit 1
fi
echo "$line"
