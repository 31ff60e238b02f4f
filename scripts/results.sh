# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the scripts that count results: those that add up other
# scripts' result lines (check-debug.sh, soak.sh: results_add) and the
# lanes that print their own ok/not ok lines (dkms-check.sh,
# deb-check.sh: ok, not_ok, run).  pass, fail and skip.

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

ok() { echo "ok - $*"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $*"; fail=$((fail + 1)); }
indent() { sed 's/^/#   /'; }

# run NAME DESCRIPTION COMMAND...: ok when COMMAND succeeds; its output is
# kept in $out/NAME.log and its last 30 lines shown when it fails.
run() {
	local name=$1 desc=$2

	shift 2
	# shellcheck disable=SC2154 # $out: the sourcing lane's log directory
	if "$@" >"$out/$name.log" 2>&1; then
		ok "$desc"
		return 0
	fi
	not_ok "$desc"
	tail -n 30 "$out/$name.log" | indent
	return 1
}
