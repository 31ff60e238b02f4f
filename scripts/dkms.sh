#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make dkms-install" and "make dkms-remove": pthru.ko through DKMS from
# this tree, without a package.  Run as root, with Debian's dkms installed.
#
#	scripts/dkms.sh install	copy the module's source to /usr/src/pthru-<version>
#				(make dkms-src), register it with DKMS, then build and
#				install it for every kernel in /lib/modules whose
#				headers are installed, or for $DKMS_KERNELS
#	scripts/dkms.sh remove	unregister <version> from every kernel and delete
#				/usr/src/pthru-<version>
#
# A previous "make dkms-install" of the same version is removed first, so
# running it again after an edit builds the new sources.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
ver=$(scripts/version-check.sh -p) || exit 1
src=/usr/src/pthru-$ver

if ! command -v dkms >/dev/null; then
	echo "dkms.sh: dkms is not installed (apt-get install dkms)" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "dkms.sh: run as root" >&2
	exit 1
fi

remove() {
	if [ -n "$(dkms status -m pthru -v "$ver")" ]; then
		dkms remove -m pthru -v "$ver" --all || return 1
	fi
	rm -rf "$src"
}

install() {
	local kernels=() k rc=0
	remove || return 1
	make -s dkms-src || return 1
	dkms add -m pthru -v "$ver" || return 1
	if [ -n "${DKMS_KERNELS:-}" ]; then
		read -ra kernels <<<"$DKMS_KERNELS"
	else
		for k in /lib/modules/*; do
			[ -d "$k/build/include" ] && kernels+=("${k##*/}")
		done
	fi
	if [ ${#kernels[@]} -eq 0 ]; then
		echo "dkms.sh: no kernel in /lib/modules has its headers installed;" \
		     "pthru $ver is added, DKMS builds it when headers come" >&2
		return 0
	fi
	for k in "${kernels[@]}"; do
		# "dkms install" builds first; it signs the module when the
		# kernel wants signed modules (Documentation/install.rst).
		dkms install -m pthru -v "$ver" -k "$k" || rc=1
	done
	return $rc
}

case ${1:-} in
install) install ;;
remove) remove ;;
*) echo "usage: $0 install|remove" >&2; exit 2 ;;
esac
