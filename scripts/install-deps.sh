#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, from Debian's archive, everything the build, the tests and the
# demo need on a fresh Debian 12 machine.  Run as root.  Does nothing
# (and needs no network) when every package is already installed.
set -euo pipefail

pkgs=(
	build-essential make gcc pkg-config
	linux-headers-amd64 linux-headers-6.12-amd64	# 6.1 and 6.12 headers
	linux-image-amd64 linux-image-6.12-amd64	# kernels booted under QEMU
	linux-source-6.1 linux-source-6.12		# KUnit (UML), ynl generator, checkpatch
	libmnl-dev					# pthructl
	libnl-genl-3-dev				# examples/libnl
	python3 python3-yaml python3-jsonschema		# ynl generator, JSON Schema checks
	qemu-system-x86 qemu-system-data seabios ipxe-qemu
	busybox-static cpio kmod xz-utils zstd util-linux libcap2-bin pciutils
	bc flex bison libelf-dev libssl-dev		# kernel builds: UML for KUnit, the debug lane's
	clang libclang-rt-dev				# libFuzzer for the policy-file fuzzer
	dkms openssl					# the dkms lane (DKMS makes its MOK with openssl)
	debhelper dh-dkms dpkg-dev fakeroot lintian man-db	# make deb and the deb lane
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
		exit 2
	fi
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# promtool (check metrics, check rules) for the Prometheus feed's tests.
# Debian ships it only in the server's package (21 MB to download, about
# 325 MB installed, and a server started on a systemd host), so only the
# binary is taken from it, into a cache (scripts/fetch-promtool.sh).
if ! "$(dirname "$0")"/fetch-promtool.sh >/dev/null; then
	echo "install-deps: cannot fetch promtool from Debian's prometheus package" >&2
	exit 1
fi
