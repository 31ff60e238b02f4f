#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of Debian's promtool, for the Prometheus feed's checks
# (tools/pthructl/tests/prometheus.sh, selftests/pthru_prometheus.sh).
# The host's own when it has one; else usr/bin/promtool alone, taken from
# Debian's prometheus package (apt-get download, never installed: the
# package is 325 MB installed and starts a server on a systemd host), and
# cached in ${PTHRU_CACHE:-~/.cache/pthru}/promtool/<version>/.  Exit 1,
# printing nothing, when it can be neither found nor fetched.
set -uo pipefail

if command -v promtool 2>/dev/null; then
	exit 0
fi
ver=$(apt-cache policy prometheus 2>/dev/null | sed -n 's/^ *Candidate: //p')
[ -n "$ver" ] && [ "$ver" != "(none)" ] || exit 1
dir=${PTHRU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pthru}/promtool/$ver
if [ ! -x "$dir/usr/bin/promtool" ]; then
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
		"prometheus=$ver" >/dev/null 2>&1) || exit 1
	mkdir -p "$tmp/root" &&
		dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb |
		tar -x -C "$tmp/root" ./usr/bin/promtool || exit 1
	mkdir -p "$dir/usr/bin" &&
		mv "$tmp/root/usr/bin/promtool" "$dir/usr/bin/promtool.part" &&
		mv "$dir/usr/bin/promtool.part" "$dir/usr/bin/promtool" || exit 1
fi
echo "$dir/usr/bin/promtool"
