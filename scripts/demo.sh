#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: show what pthru sees on an emulated passthrough host.  Installs
# what is missing, builds the module for every installed kernel and
# pthructl, then boots the "acs" QEMU profile (an intel-iommu, ACS root
# ports, a switch without ACS, a multifunction device, an ATS device, edu;
# see selftests/vm/profiles/acs.sh) on the 6.12 kernel (6.1 when 6.12 is
# not installed).  The guest loads pthru, runs pthructl status, dev, group,
# audit and check, and powers off; their output is printed here.
# Non-interactive.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

"$top/scripts/install-deps.sh"
make -s -C "$top" modules-all tool
make -s -C "$top/selftests" all

# shellcheck source=selftests/vm/lib.sh
. "$top/selftests/vm/lib.sh"

rel=
for r in $(vm_releases); do
	case $r in
	6.12.*) rel=$r ;;
	6.1.*) [ -n "$rel" ] || rel=$r ;;
	esac
done
[ -n "$rel" ] || vm_die "no bootable 6.12 or 6.1 Debian kernel (scripts/install-deps.sh)"

out=$top/build/demo/$rel
mkdir -p "$out"
echo "demo: booting $rel, profile acs (about 10-20 s under TCG)"
vm_build_initramfs "$rel" acs "$out"
rc=0
vm_boot "$rel" acs "$out" demo || rc=$?

begin='===== pthru demo begin ====='
end='===== pthru demo end ====='
if [ $rc -ne 0 ] || ! grep -q "^$end" <(tr -d '\r' <"$out/console.log"); then
	echo "demo: the guest did not finish (qemu exit $rc); last console lines:" >&2
	tail -n 30 "$out/console.log" | tr -d '\r' >&2
	exit 1
fi
tr -d '\r' <"$out/console.log" | sed -n "/^$begin/,/^$end/{/^=====/d;p}"
echo "demo: console log in ${out#"$top"/}/console.log"
