#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build pthru.ko against every installed Debian headers tree with W=1, or
# against the kernel build trees given as arguments (the debug kernel's).
# Each kernel gets its own copy of the sources under build/kmod/<release>
# so the two builds never share object files.  Any warning fails the build.
# Prints one KTAP-like line per kernel and a closing count.
#
#	scripts/build-modules.sh [KERNEL_BUILD_DIR...]
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
trees=("$@")
[ $# -gt 0 ] || trees=(/usr/src/linux-headers-*-amd64)
for kd in "${trees[@]}"; do
	[ -f "$kd/Makefile" ] || continue
	# Debian's 6.1 headers say 6.1.192 in kernel.release; the release
	# they build for (uname -r) is in their name.
	case $kd in
	/usr/src/linux-headers-*) rel=${kd#/usr/src/linux-headers-} ;;
	*) rel=$(cat "$kd/include/config/kernel.release" 2>/dev/null) || {
		echo "not ok - $kd has no include/config/kernel.release"
		fail=$((fail + 1))
		continue
	} ;;
	esac
	out=$top/build/kmod/$rel
	rm -rf "$out"
	mkdir -p "$out"
	(cd "$top" && cp --parents Kbuild $(git ls-files -co --exclude-standard kmod uapi) "$out/")
	log=$out/build.log
	if make -C "$kd" M="$out" W=1 modules >"$log" 2>&1 &&
	   ! grep -qE 'warning:|error:' "$log" && [ -f "$out/pthru.ko" ]; then
		echo "ok - build pthru.ko for $rel (W=1, no warnings)"
		pass=$((pass + 1))
	else
		echo "not ok - build pthru.ko for $rel"
		grep -E 'warning:|error:' "$log" | head -20 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
if [ $((pass + fail)) -eq 0 ]; then
	echo "not ok - no /usr/src/linux-headers-*-amd64 tree installed"
	fail=1
fi
echo "build: $pass passed, $fail failed"
[ $fail -eq 0 ]
