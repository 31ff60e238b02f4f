#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own kselftest runner (run_kselftest.sh and kselftest/) from
# Debian's linux-source-6.12, unpacked once into build/kselftest/; prints
# the directory that holds them (a kernel's tools/testing/selftests), to
# give make -C selftests install as KSFT_RUNNER_DIR.  Used by
# kselftest-install-check.sh and by the QEMU harness's kselftest profile.
# KSFT_TARBALL names another kernel source tarball.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tarball=${KSFT_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
tree=$(basename "$tarball" .tar.xz)
root=$top/build/kselftest/$tree
sub=tools/testing/selftests
dir=$root/$sub

if [ -f "$dir/run_kselftest.sh" ] && [ -f "$dir/kselftest/runner.sh" ]; then
	echo "$dir"
	exit 0
fi
[ -f "$tarball" ] || {
	echo "kselftest-runner: $tarball not found (apt-get install linux-source-6.12)" >&2
	exit 1
}
echo "kselftest-runner: unpacking the kselftest runner from $tarball (once)" >&2
mkdir -p "$top/build/kselftest"
# Unpacked aside and moved into place only when tar succeeded, so an
# interrupted run is redone.
tmp=$(mktemp -d "$top/build/kselftest/.unpack.XXXXXX") || exit 1
if ! tar -xJf "$tarball" -C "$tmp" "$tree/$sub/run_kselftest.sh" "$tree/$sub/kselftest"; then
	rm -rf "$tmp"
	exit 1
fi
rm -rf "$root"
mv "$tmp/$tree" "$root"
rmdir "$tmp"
echo "$dir"
