#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make deb": the Debian packages pthru-dkms_<version>_all.deb and
# pthructl_<version>_<arch>.deb in build/deb/, with their .changes and
# .buildinfo.  The tree's files (git ls-files, tracked and new) are copied
# to build/deb/src/pthru-<version>/ with packaging/debian/ as debian/, and
# dpkg-buildpackage builds them there, unsigned; nothing is written outside
# build/deb/.  Needs debhelper, dh-dkms, libmnl-dev and pkg-config
# (scripts/install-deps.sh); dpkg-buildpackage says what is missing.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
ver=$(scripts/version-check.sh -p) || exit 1
out=$top/build/deb
src=$out/src/pthru-$ver

rm -rf "$out"
mkdir -p "$src" || exit 1
# The tree as git sees it, without what .gitignore keeps out (builds);
# outside a git checkout (a release tarball), everything but build/.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$src" || exit 1
else
	tar -c --exclude=./build --exclude=./.git . | tar -x -C "$src" || exit 1
fi
cp -a packaging/debian "$src/debian" || exit 1

echo "build-deb: dpkg-buildpackage in ${src#"$top"/}"
(cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	tail -n 40 "$out/build.log"
	echo "build-deb: dpkg-buildpackage failed ($rc); the whole log is $out/build.log" >&2
	exit 1
fi
mv "$out/src/"*.deb "$out/src/"*.changes "$out/src/"*.buildinfo "$out/" || exit 1
rm -rf "$out/src"
ls -l "$out/"*.deb
