# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the scripts that add up other scripts' result lines
# (check-debug.sh, soak.sh): pass, fail and skip, and results_add.

pass=0
fail=0
skip=0

# results_add LINE: add a "<name>: N passed, N failed[, N skipped]" line;
# an empty one (the script printed none) is one failure.
results_add() {
	if [ -z "$1" ]; then
		fail=$((fail + 1))
		return 1
	fi
	pass=$((pass + $(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$1")))
	fail=$((fail + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$1")))
	if [[ $1 == *skipped* ]]; then
		skip=$((skip + $(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$1")))
	fi
}
