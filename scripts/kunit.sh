#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the KUnit suites of pthru's pure core under UML with the kernel's own
# tools/testing/kunit/kunit.py.  Debian's kernels have no CONFIG_KUNIT, so
# the core (kmod/core/*.[ch], kmod/core/tests/*_kunit.c) is staged into
# Debian's linux-source-6.1 tree as drivers/pthru_core and built into a UML
# kernel.  The tree is unpacked once into build/kunit/ and the UML build
# directory stays there too, so a second run only rebuilds what changed.
#
#   scripts/kunit.sh [kunit.py run arguments, e.g. a suite filter glob]
#
# Environment:
#   PTHRU_CORE_DIR  core to test instead of kmod/core (same layout)
#   KUNIT_TARBALL   kernel source tarball (default linux-source-6.1)
#
# Ends with exactly one line "kunit: N passed, N failed, N skipped" and exits
# non-zero on a build error, a failed test, or when no test ran at all.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
core=${PTHRU_CORE_DIR:-$top/kmod/core}
tarball=${KUNIT_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
tree_name=$(basename "$tarball" .tar.xz)
kunit_root=$top/build/kunit
src=$kunit_root/$tree_name
uml_build=$kunit_root/uml-$tree_name
stage=$src/drivers/pthru_core
templates=$top/scripts/kunit
log=$kunit_root/kunit.log
json=$kunit_root/results.json

# Failing before kunit.py could run still ends with the closing count line,
# so whoever collects the lanes sees the same last line from every outcome.
die() {
	echo "kunit: $*" >&2
	echo "kunit: 0 passed, 0 failed, 0 skipped"
	exit 2
}

check_prereqs() {
	local missing=() t

	for t in gcc make flex bison bc tar xz perl; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	[ -x /usr/bin/python3 ] || missing+=(python3)
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "kunit: missing ${missing[*]}; running scripts/install-deps.sh" >&2
	"$top/scripts/install-deps.sh" >&2 ||
		die "scripts/install-deps.sh failed; cannot build the UML kernel"
}

# Unpack into a scratch directory and rename it into place only when tar
# has finished, so an interrupted run never leaves a half tree that looks
# complete.  The stamp records which tarball the tree came from: a newer
# tarball replaces the tree and drops the UML objects built from the old
# one (tar restores old mtimes, which make would take for "up to date").
unpack_tree() {
	local stamp=$src/.pthru-unpacked id tmp

	[ -f "$tarball" ] ||
		die "$tarball not found (apt-get install ${tree_name})"
	id="$(basename "$tarball") $(stat -c '%s %Y' "$tarball")"
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$id" ] && return 0

	echo "kunit: unpacking $tarball into build/kunit (once, about a minute)"
	tmp=$kunit_root/.unpack.tmp
	rm -rf "$tmp" "$src" "$uml_build"
	mkdir -p "$tmp"
	tar -xJf "$tarball" -C "$tmp" || die "cannot unpack $tarball"
	[ -f "$tmp/$tree_name/tools/testing/kunit/kunit.py" ] ||
		die "$tarball has no $tree_name/tools/testing/kunit/kunit.py"
	echo "$id" >"$tmp/$tree_name/.pthru-unpacked"
	mv "$tmp/$tree_name" "$src"
	rm -rf "$tmp"
}

# Copy only when the content differs: an unchanged file keeps its mtime, so
# make does not rebuild it.
install_file() { # from to
	cmp -s "$1" "$2" && return 0
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2"
}

append_once() { # line file
	grep -qxF "$1" "$2" || printf '%s\n' "$1" >>"$2"
}

stage_core() {
	local f rel wanted=() n_c=0 n_tests=0

	[ -d "$core" ] || die "no core directory $core (set PTHRU_CORE_DIR?)"
	shopt -s nullglob
	for f in "$core"/*.c "$core"/*.h "$core"/tests/*_kunit.c "$core"/tests/*.h; do
		rel=${f#"$core"/}
		case $rel in
		tests/*_kunit.c) n_tests=$((n_tests + 1)) ;;
		*.c) n_c=$((n_c + 1)) ;;
		esac
		install_file "$f" "$stage/$rel"
		wanted+=("$stage/$rel")
	done
	shopt -u nullglob
	[ $n_tests -gt 0 ] || die "no KUnit tests in $core/tests/*_kunit.c"

	install_file "$templates/Kconfig" "$stage/Kconfig"
	install_file "$templates/Makefile" "$stage/Makefile"
	wanted+=("$stage/Kconfig" "$stage/Makefile")

	# Drop what is no longer in the core, or the wildcard in the staged
	# Makefile would keep building a deleted file.
	while IFS= read -r -d '' f; do
		printf '%s\n' "${wanted[@]}" | grep -qxF "$f" || rm -f "$f"
	done < <(find "$stage" -type f -print0)

	install_file "$top/uapi/linux/pthru.h" "$src/include/uapi/linux/pthru.h"
	append_once 'source "drivers/pthru_core/Kconfig"' "$src/drivers/Kconfig"
	# shellcheck disable=SC2016 # a make variable, not a shell one
	append_once 'obj-$(CONFIG_PTHRU_CORE_KUNIT_TEST) += pthru_core/' \
		"$src/drivers/Makefile"
	echo "kunit: staged $n_c core file(s) and $n_tests test file(s) from $core"
}

# Prints "passed failed skipped" from kunit.py's KernelCI-style JSON; a
# crashed or otherwise unfinished case counts as failed.
count_results() {
	/usr/bin/python3 - "$json" <<'EOF'
import json, sys

counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}

def walk(group):
    for case in group.get("test_cases", []):
        status = case.get("status", "FAIL")
        counts[status if status in counts else "FAIL"] += 1
    for sub in group.get("sub_groups", []):
        walk(sub)

with open(sys.argv[1]) as f:
    walk(json.load(f))
print(counts["PASS"], counts["FAIL"], counts["SKIP"])
EOF
}

# Fallback when there is no JSON: kunit.py's own closing line, e.g.
# "Testing complete. Ran 7 tests: passed: 6, failed: 1".
count_from_log() {
	sed -n 's/.*Testing complete\. Ran [0-9]* tests\?: \(.*\)$/\1/p' "$log" |
		tail -n 1 | tr ',' '\n' | awk -F': ' '
		$1 ~ /passed/ { p = $2 } $1 ~ /failed|crashed|errors/ { f += $2 }
		$1 ~ /skipped/ { s = $2 } END { print p + 0, f + 0, s + 0 }'
}

# kunit.py's output, with the staged paths in compiler errors and KUnit
# failures shown as the core's own paths, and without the "stty sane" noise
# kunit.py makes when stdin is not a terminal.  The log keeps it all.
show_output() {
	local shown=${core#"$top"/}

	sed -u -e "/^stty: 'standard input'/d" \
		-e "s|$stage/|$shown/|g" -e "s|drivers/pthru_core/|$shown/|g"
}

main() {
	local rc counts passed failed skipped executed

	check_prereqs
	mkdir -p "$kunit_root"
	# Two runs at once would race on the staged tree and the UML objects.
	exec 9>"$kunit_root/.lock"
	if ! flock -n 9; then
		echo "kunit: waiting for another kunit.sh run to finish" >&2
		flock 9
	fi
	unpack_tree
	stage_core

	rm -f "$json"
	echo "kunit: building UML kernel in ${uml_build#"$top"/} and running the suites"
	set +e
	(cd "$src" && /usr/bin/python3 tools/testing/kunit/kunit.py run \
		--kunitconfig="$templates/.kunitconfig" \
		--build_dir="$uml_build" --jobs=2 --json="$json" "$@") 2>&1 |
		tee "$log" | show_output
	rc=${PIPESTATUS[0]}
	set -e

	if [ -s "$json" ]; then
		counts=$(count_results) || die "cannot parse $json"
	else
		counts=$(count_from_log)
	fi
	read -r passed failed skipped <<<"$counts"

	# A skipped case checked nothing: at least one must pass or fail.
	executed=$((passed + failed))
	if [ $executed -eq 0 ]; then
		echo "kunit: no test ran (kunit.py exit $rc): a build error, a filter" \
			"that matches nothing, or no suite registered? Log: ${log#"$top"/}" >&2
	elif [ "$rc" -ne 0 ]; then
		echo "kunit: kunit.py exited $rc; log: ${log#"$top"/}" >&2
	fi
	echo "kunit: $passed passed, $failed failed, $skipped skipped"
	[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ $executed -gt 0 ]
}

main "$@"
