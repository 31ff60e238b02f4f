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
	python3 python3-yaml python3-jsonschema		# ynl generator
	qemu-system-x86 qemu-system-data seabios ipxe-qemu
	busybox-static cpio kmod xz-utils zstd util-linux libcap2-bin pciutils
	bc flex bison libelf-dev libssl-dev		# kernel builds: UML for KUnit, the debug lane's
	clang libclang-rt-dev				# libFuzzer for the policy-file fuzzer
	# promtool (check metrics, check rules) for the Prometheus feed's tests.
	# Debian ships it only in the server's package: 21 MB to download,
	# about 325 MB installed (promtool 48 MB, the server 50 MB, and the web
	# UI's libjs-moment-timezone 213 MB), and on a host booted with systemd
	# it enables prometheus.service (a server on :9090).
	prometheus
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 2
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
