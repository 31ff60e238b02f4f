#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The dkms lane: pthru.ko through Debian's DKMS on this machine, then gone
# again.  Run as root; it changes /usr/src, /var/lib/dkms and
# /lib/modules/*/updates/dkms and puts them back as they were, on failure
# too (trap).
#
#  1. dkms.conf, pthructl and the changelog agree with kmod/version.h;
#  2. the source goes to /usr/src/pthru-<version> ("make dkms-src") and
#     "dkms add" registers it;
#  3. for every kernel in /lib/modules with its headers installed
#     (/usr/src/linux-headers-*): "dkms build", "dkms install", then
#     "modinfo -k <release> pthru" finds the installed module with
#     MODULE_VERSION = the DKMS version, signed with DKMS's MOK key;
#  4. a kernel without headers (the running one when it has none, else a
#     made-up release): "dkms build" fails with DKMS's message, no crash,
#     nothing built;
#  5. "dkms remove --all": nothing of pthru left in /var/lib/dkms or
#     /lib/modules, modinfo no longer finds it;
#  6. "make dkms-install" (for one kernel, DKMS_KERNELS) and "make
#     dkms-remove": the same, and afterwards nothing left at all, the
#     source in /usr/src included.
#
# Prints one "ok"/"not ok" line per check and ends with
# "dkms: N passed, N failed".  A failing command's output follows its
# "not ok" line, indented.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
out=$top/build/dkms-check
rm -rf "$out"
mkdir -p "$out"

# shellcheck source=scripts/results.sh
. "$top/scripts/results.sh"
result() {
	echo "dkms: $pass passed, $fail failed"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
	exit
}

if [ "$(id -u)" != 0 ]; then
	not_ok "the dkms lane runs as root"
	result
fi
if ! command -v dkms >/dev/null; then
	echo "# dkms is not installed: scripts/install-deps.sh"
	scripts/install-deps.sh || true
fi
run version "dkms.conf and the others agree with kmod/version.h" \
	scripts/version-check.sh || result
ver=$(scripts/version-check.sh -p)
run dkms-present "Debian's dkms is installed ($(dpkg-query -W -f='${Version}' dkms 2>/dev/null))" \
	command -v dkms || result

# Refuse to touch a pthru that is not ours.
if [ -e /var/lib/dkms/pthru ] || compgen -G "/usr/src/pthru-*" >/dev/null ||
   compgen -G "/lib/modules/*/updates/dkms/pthru.ko*" >/dev/null; then
	not_ok "no pthru in DKMS before the lane (found one; make dkms-remove or purge pthru-dkms first)"
	result
fi

# What is put back at the end: DKMS creates its MOK key pair on the first
# build that signs; the updates/dkms directories on the first install.
mok_existed=0
[ -e /var/lib/dkms/mok.key ] && mok_existed=1
preexisting_dirs=$(ls -d /lib/modules/*/updates /lib/modules/*/updates/dkms 2>/dev/null)
# shellcheck disable=SC2317 # (called by the trap)
cleanup() {
	if [ -n "$(dkms status -m pthru 2>/dev/null)" ]; then
		local v
		for v in /var/lib/dkms/pthru/*/; do
			v=${v%/}
			dkms remove -m pthru -v "${v##*/}" --all >/dev/null 2>&1
		done
	fi
	rm -rf /var/lib/dkms/pthru /usr/src/pthru-"$ver"
	if [ "$mok_existed" = 0 ]; then
		rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	fi
	local d
	for d in /lib/modules/*/updates/dkms /lib/modules/*/updates; do
		[ -d "$d" ] || continue
		grep -qxF "$d" <<<"$preexisting_dirs" || rmdir "$d" 2>/dev/null
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

kernels=()
for k in /lib/modules/*; do
	[ -d "$k/build/include" ] && kernels+=("${k##*/}")
done
if [ ${#kernels[@]} -eq 0 ]; then
	not_ok "a kernel in /lib/modules has its headers installed"
	result
fi
echo "# kernels with headers: ${kernels[*]}"

if ! run dkms-src "source in /usr/src/pthru-$ver (make dkms-src)" make -s dkms-src ||
   ! run add "dkms add pthru/$ver" dkms add -m pthru -v "$ver"; then
	result
fi

# The key DKMS signs with (once a build has made it) and the name
# modinfo shows as the signer.
mok_cn() {
	openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject \
		-nameopt multiline 2>/dev/null | sed -nE 's/^ *commonName *= *//p'
}

# modversion REL: the version "modinfo -k REL pthru" reports
modversion() { modinfo -k "$1" -F version pthru 2>/dev/null; }

for k in "${kernels[@]}"; do
	run "build-$k" "dkms build pthru/$ver for $k" \
		dkms build -m pthru -v "$ver" -k "$k" || continue
	run "install-$k" "dkms install pthru/$ver for $k" \
		dkms install -m pthru -v "$ver" -k "$k" || continue
	if dkms status -m pthru -v "$ver" -k "$k" | grep -q ': installed'; then
		ok "dkms status: pthru/$ver installed for $k"
	else
		not_ok "dkms status: pthru/$ver installed for $k"
		dkms status | indent
	fi
	file=$(modinfo -k "$k" -n pthru 2>/dev/null)
	case $file in
	/lib/modules/"$k"/updates/dkms/pthru.ko*) ok "modinfo -k $k finds $file" ;;
	*) not_ok "modinfo -k $k finds pthru in updates/dkms (found '$file')" ;;
	esac
	got=$(modversion "$k")
	if [ "$got" = "$ver" ]; then
		ok "modinfo -k $k: version $got = dkms.conf's PACKAGE_VERSION"
	else
		not_ok "modinfo -k $k: version '$got', dkms.conf says $ver"
	fi
	# Debian's kernels want signed modules; DKMS signs with its MOK.
	if grep -q '^CONFIG_MODULE_SIG=y' "/lib/modules/$k/build/.config" 2>/dev/null; then
		signer=$(modinfo -k "$k" -F signer pthru 2>/dev/null)
		cn=$(mok_cn)
		if [ -n "$signer" ] && [ "$signer" = "$cn" ]; then
			ok "signed by DKMS's MOK (/var/lib/dkms/mok.pub, '$cn')"
		else
			not_ok "signed by DKMS's MOK: signer '$signer', mok.pub '$cn'"
		fi
	fi
done

# A kernel without headers: DKMS's own error, an ordinary exit status.
nohdr=$(uname -r)
[ -d "/lib/modules/$nohdr/build/include" ] && nohdr=6.99.0-pthru-noheaders
dkms build -m pthru -v "$ver" -k "$nohdr" >"$out/noheaders.log" 2>&1
rc=$?
indent <"$out/noheaders.log"
if [ $rc -ne 0 ] && [ $rc -lt 128 ] &&
   grep -q "Your kernel headers for kernel $nohdr cannot be found" "$out/noheaders.log"; then
	ok "dkms build for $nohdr (no headers) fails with DKMS's message (exit $rc)"
else
	not_ok "dkms build for $nohdr (no headers): exit $rc, expected DKMS's 'kernel headers ... cannot be found'"
fi
if [ -e "/var/lib/dkms/pthru/$ver/$nohdr" ]; then
	not_ok "nothing built or registered for $nohdr"
else
	ok "nothing built or registered for $nohdr"
fi

# left_over: print what of pthru is left in DKMS's tree and /lib/modules,
# and in /usr/src too with "all"
left_over() {
	ls -d /var/lib/dkms/pthru /lib/modules/*/updates/dkms/pthru.ko* 2>/dev/null
	[ "${1:-}" = all ] && ls -d /usr/src/pthru-* 2>/dev/null
	local k
	for k in "${kernels[@]}"; do
		modinfo -k "$k" -n pthru >/dev/null 2>&1 && echo "modinfo -k $k still finds pthru"
	done
}

run remove "dkms remove pthru/$ver --all" dkms remove -m pthru -v "$ver" --all
left=$(left_over)
if [ -z "$left" ]; then
	ok "after dkms remove: no /var/lib/dkms/pthru, no updates/dkms/pthru.ko*, modinfo finds nothing"
else
	not_ok "after dkms remove, left behind:"
	indent <<<"$left"
fi
rm -rf "/usr/src/pthru-$ver"

# The make targets, for the newest kernel only (the loop above built
# them all).
newest=$(printf '%s\n' "${kernels[@]}" | sort -V | tail -n 1)
if run make-install "make dkms-install (DKMS_KERNELS=$newest)" \
	make -s dkms-install DKMS_KERNELS="$newest"; then
	got=$(modversion "$newest")
	if [ "$got" = "$ver" ]; then
		ok "after make dkms-install: modinfo -k $newest version $got"
	else
		not_ok "after make dkms-install: modinfo -k $newest version '$got', expected $ver"
	fi
fi
run make-remove "make dkms-remove" make -s dkms-remove
left=$(left_over all)
if [ -z "$left" ]; then
	ok "after make dkms-remove: nothing of pthru in /var/lib/dkms, /usr/src, /lib/modules"
else
	not_ok "after make dkms-remove, left behind:"
	indent <<<"$left"
fi

result
