#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pthru's version lives in kmod/version.h (PTHRU_VERSION, which is also
# MODULE_VERSION).  Every other file that states it must agree: dkms.conf
# (DKMS names /usr/src/pthru-<version> and /var/lib/dkms/pthru/<version>
# after it), pthructl's --version and man page, and the Debian changelog
# (the packages' version).  Exits 1 naming each file that differs.
#
#	scripts/version-check.sh	check, print nothing when all agree
#	scripts/version-check.sh -p	check, then print the version
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

ver=$(sed -nE 's/^#define[[:space:]]+PTHRU_VERSION[[:space:]]+"([^"]+)".*/\1/p' kmod/version.h)
if [ -z "$ver" ]; then
	echo "version-check: no PTHRU_VERSION in kmod/version.h" >&2
	exit 1
fi

bad=0
check() { # file what-it-says
	if [ "$2" != "$ver" ]; then
		echo "version-check: $1 says '${2}', kmod/version.h says '$ver'" >&2
		bad=1
	fi
}
check dkms.conf "$(sed -nE 's/^PACKAGE_VERSION="?([^"]*)"?.*/\1/p' dkms.conf)"
check tools/pthructl/pthructl.h \
	"$(sed -nE 's/^#define[[:space:]]+PTHRUCTL_VERSION[[:space:]]+"([^"]+)".*/\1/p' tools/pthructl/pthructl.h)"
check tools/pthructl/pthructl.8 \
	"$(sed -nE 's/^\.TH .*"pthru ([^"]+)".*/\1/p' tools/pthructl/pthructl.8)"
# A native package: the Debian version is the upstream version.
check packaging/debian/changelog \
	"$(sed -nE '1s/^pthru \(([^)]+)\).*/\1/p' packaging/debian/changelog)"

[ $bad -eq 0 ] || exit 1
[ "${1:-}" = -p ] && echo "$ver"
exit 0
