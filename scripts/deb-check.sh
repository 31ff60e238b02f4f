#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The deb lane: build the Debian packages, install them on this machine as
# a user would, check them, purge them, and check that nothing is left.
# Run as root; puts the machine back as it was, on failure too (trap).
#
#  1. "make deb" builds pthru-dkms_<version>_all.deb and
#     pthructl_<version>_<arch>.deb in build/deb/;
#  2. lintian reports no error on them (warnings are printed);
#  3. "apt-get install ./build/deb/*.deb": DKMS builds and installs
#     pthru.ko for the kernels with headers; a kernel without headers (the
#     running one when it has none; when it is not in /lib/modules either,
#     a made-up one in /lib/modules for the lane) is skipped with DKMS's
#     message and the install goes on;
#  4. "dkms status", "modinfo -k", "pthructl --version", "man -w pthructl",
#     the bash completion, the example policy, the systemd units (and that
#     the programs they run are there), the JSON Schemas when the tree has
#     them;
#  5. "apt-get purge": every file the packages listed is gone, the
#     packages are unknown to dpkg, nothing of pthru in /var/lib/dkms or
#     /lib/modules, no systemd state left.
#
# Prints one "ok"/"not ok" line per check and ends with
# "deb: N passed, N failed".  The packages stay in build/deb/.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
out=$top/build/deb-check
rm -rf "$out"
mkdir -p "$out"
export DEBIAN_FRONTEND=noninteractive
pkgs=(pthru-dkms pthructl)

# shellcheck source=scripts/results.sh
. "$top/scripts/results.sh"
result() {
	echo "deb: $pass passed, $fail failed"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
	exit
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'installed$'; }
known() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -qv '^unknown ok not-installed$'; }

if [ "$(id -u)" != 0 ]; then
	not_ok "the deb lane runs as root"
	result
fi
for t in dpkg-buildpackage dh_dkms lintian dkms man; do
	if ! command -v $t >/dev/null; then
		echo "# $t is missing: scripts/install-deps.sh"
		scripts/install-deps.sh || true
		break
	fi
done

# Refuse to purge packages or a DKMS module that are not ours.
for p in "${pkgs[@]}"; do
	if known "$p"; then
		not_ok "$p is not installed before the lane (it is: apt-get purge $p first)"
		result
	fi
done
if [ -e /var/lib/dkms/pthru ]; then
	not_ok "no pthru in DKMS before the lane (found one: make dkms-remove first)"
	result
fi
ver=$(scripts/version-check.sh -p) || {
	not_ok "the version files agree (scripts/version-check.sh)"
	result
}
arch=$(dpkg --print-architecture)

# The kernel without headers the install must survive.
fake=
nohdr=$(uname -r)
if [ -d "/lib/modules/$nohdr/build/include" ]; then
	nohdr=	# the running kernel has headers: DKMS builds for it
elif [ ! -d "/lib/modules/$nohdr" ]; then
	# The running kernel is not installed (a container, a VM booted
	# from outside): DKMS's postinst then builds for every kernel in
	# /lib/modules.  Give it one without headers.
	fake=6.99.0-pthru-noheaders
	nohdr=$fake
fi

mok_existed=0
[ -e /var/lib/dkms/mok.key ] && mok_existed=1
preexisting_dirs=$(ls -d /lib/modules/*/updates /lib/modules/*/updates/dkms 2>/dev/null)
# shellcheck disable=SC2317 # (called by the trap)
cleanup() {
	local p d
	for p in "${pkgs[@]}"; do
		known "$p" && apt-get purge -y -q "$p" >/dev/null 2>&1
	done
	for d in /var/lib/dkms/pthru/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		dkms remove -m pthru -v "${d##*/}" --all >/dev/null 2>&1
	done
	rm -rf /var/lib/dkms/pthru
	[ -n "$fake" ] && rm -rf "/lib/modules/$fake"
	[ "$mok_existed" = 0 ] && rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	for d in /lib/modules/*/updates/dkms /lib/modules/*/updates; do
		[ -d "$d" ] || continue
		grep -qxF "$d" <<<"$preexisting_dirs" || rmdir "$d" 2>/dev/null
	done
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. build
run build "make deb" make deb || result
debs=("build/deb/pthru-dkms_${ver}_all.deb" "build/deb/pthructl_${ver}_${arch}.deb")
for d in "${debs[@]}"; do
	if [ -f "$d" ]; then ok "$d built"; else not_ok "$d built"; fi
done
[ "$fail" -eq 0 ] || result

# 2. lintian (as root it says it would rather not be; that line is not a tag)
lintian --fail-on error --display-level '>=warning' "build/deb/pthru_${ver}_${arch}.changes" \
	>"$out/lintian.log" 2>&1
rc=$?
grep -v '^running with root privileges' "$out/lintian.log" | indent
if [ $rc -eq 0 ] && ! grep -q '^E: ' "$out/lintian.log"; then
	ok "lintian: no errors ($(grep -c '^W: ' "$out/lintian.log") warnings)"
else
	not_ok "lintian: no errors (exit $rc)"
fi

# What the packages will put on the machine: the non-directory entries.
for d in "${debs[@]}"; do
	dpkg-deb --fsys-tarfile "$d" | tar -t | grep -v '/$' | sed 's|^\./|/|'
done >"$out/files"

# 3. install
[ -n "$fake" ] && mkdir -p "/lib/modules/$fake"
kernels=()
for k in /lib/modules/*; do
	[ -d "$k/build/include" ] && kernels+=("${k##*/}")
done
echo "# kernels with headers: ${kernels[*]:-none}; without: ${nohdr:-none}"
run install "apt-get install ./build/deb/*.deb" \
	apt-get install -y -q ./build/deb/*.deb || result
indent <"$out/install.log" | grep -iE 'dkms|kernel|build|skip|sign|pthru' | head -n 40
if [ -n "$nohdr" ]; then
	if grep -q "Module build for kernel $nohdr was skipped since" "$out/install.log"; then
		ok "the install went on past $nohdr (no headers): DKMS says it skipped it"
	else
		not_ok "the install says DKMS skipped $nohdr (no headers)"
	fi
fi
for p in "${pkgs[@]}"; do
	if installed "$p"; then ok "$p is installed"; else not_ok "$p is installed"; fi
done

# 4. what the packages gave
dkms status -m pthru >"$out/dkms-status" 2>&1
indent <"$out/dkms-status"
for k in "${kernels[@]}"; do
	if grep -q "^pthru/$ver, $k, [^:]*: installed" "$out/dkms-status"; then
		ok "dkms status: pthru/$ver installed for $k"
	else
		not_ok "dkms status: pthru/$ver installed for $k"
	fi
	got=$(modinfo -k "$k" -F version pthru 2>/dev/null)
	if [ "$got" = "$ver" ]; then
		ok "modinfo -k $k: pthru $got"
	else
		not_ok "modinfo -k $k: pthru version '$got', expected $ver"
	fi
done
got=$(pthructl --version 2>&1)
if [ "$got" = "pthructl $ver" ]; then
	ok "pthructl --version: $got"
else
	not_ok "pthructl --version: '$got', expected 'pthructl $ver'"
fi
got=$(man -w pthructl 2>&1)
if [ "$got" = /usr/share/man/man8/pthructl.8.gz ]; then
	ok "man -w pthructl: $got"
else
	not_ok "man -w pthructl: '$got'"
fi
comp=/usr/share/bash-completion/completions/pthructl
if [ -f "$comp" ] &&
   bash -c "source '$comp' && complete -p pthructl" >"$out/complete" 2>&1; then
	ok "bash completion: $comp defines $(cat "$out/complete")"
else
	not_ok "bash completion: $comp loads and completes pthructl"
	indent <"$out/complete"
fi
ex=/usr/share/doc/pthructl/examples/pthru-policy.conf
if cmp -s "$ex" examples/policy/pthru-policy.conf; then
	ok "example policy: $ex"
else
	not_ok "example policy: $ex is examples/policy/pthru-policy.conf"
fi
# Every unit of examples/systemd is installed, and what it runs exists
# (a bare name is looked up where systemd looks); a timer's service is
# installed.
for u in examples/systemd/*.service examples/systemd/*.timer; do
	[ -e "$u" ] || continue
	inst=/lib/systemd/system/${u##*/}
	if ! cmp -s "$u" "$inst"; then
		not_ok "systemd unit $inst installed"
		continue
	fi
	if [[ $inst == *.timer ]]; then
		svc=$(sed -n 's/^Unit=//p' "$inst")
		svc=${svc:-$(basename "$inst" .timer).service}
		if [ -f "/lib/systemd/system/$svc" ]; then
			ok "systemd unit $inst installed, and $svc it starts"
		else
			not_ok "systemd unit $inst starts $svc, which is not installed"
		fi
		continue
	fi
	missing=
	while read -r cmd; do
		cmd=${cmd#ExecStart=}
		cmd=${cmd##[-@:+!]}
		cmd=${cmd##[-@:+!]}
		cmd=${cmd%% *}
		case $cmd in
		/*) [ -x "$cmd" ] || missing+=" $cmd" ;;
		*) PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin \
			command -v "$cmd" >/dev/null || missing+=" $cmd" ;;
		esac
	done < <(grep -E '^ExecStart(Pre|Post)?=' "$inst" | sed -E 's/^ExecStart(Pre|Post)?=/ExecStart=/')
	if [ -z "$missing" ]; then
		ok "systemd unit $inst installed, and what it runs is there"
	else
		not_ok "systemd unit $inst runs what is not installed:$missing"
	fi
done
if [ -d Documentation/schemas ]; then
	want=$(find Documentation/schemas -maxdepth 1 -name '*.json' | wc -l)
	got=$(find /usr/share/pthru/schemas -maxdepth 1 -name '*.json' 2>/dev/null | wc -l)
	if [ "$want" -gt 0 ] && [ "$got" -eq "$want" ]; then
		ok "JSON Schemas: $got in /usr/share/pthru/schemas"
	else
		not_ok "JSON Schemas: $got of $want in /usr/share/pthru/schemas"
	fi
fi

# 5. purge, and nothing left
run purge "apt-get purge ${pkgs[*]}" apt-get purge -y -q "${pkgs[@]}"
left=$(while read -r f; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done <"$out/files")
if [ -z "$left" ]; then
	ok "after purge: none of the packages' $(wc -l <"$out/files") files is left"
else
	not_ok "after purge, the packages' files left:"
	indent <<<"$left"
fi
left=$(ls -d /usr/src/pthru-* /usr/share/doc/pthructl /usr/share/doc/pthru-dkms \
	/usr/lib/pthru /usr/share/pthru /var/lib/dkms/pthru \
	/lib/modules/*/updates/dkms/pthru.ko* \
	/var/lib/systemd/deb-systemd-helper-enabled/*pthru* \
	/var/lib/systemd/deb-systemd-helper-masked/*pthru* 2>/dev/null)
for p in "${pkgs[@]}"; do
	known "$p" && left+=$'\n'"dpkg still knows $p: $(dpkg-query -W -f='${Status}' "$p")"
done
for k in "${kernels[@]}"; do
	modinfo -k "$k" -n pthru >/dev/null 2>&1 && left+=$'\n'"modinfo -k $k still finds pthru"
done
left=$(sed '/^$/d' <<<"$left")
if [ -z "$left" ]; then
	ok "after purge: no pthru in /usr/src, /var/lib/dkms, /lib/modules, dpkg or systemd's state"
else
	not_ok "after purge, left behind:"
	indent <<<"$left"
fi

result
