#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate the files that come from Documentation/netlink/specs/pthru.yaml
# (the kernel's ynl-gen-c.py, then scripts/ynl-derive.py for what it cannot
# make: the 6.1 per-op table, multicast group flags, the init-netns family),
# or with --check, fail if the committed ones differ from what the generator
# makes now.  The generator is the kernel's own ynl-gen-c.py from Debian's
# linux-source-6.12 package; it is unpacked once into build/ynl.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
spec=Documentation/netlink/specs/pthru.yaml
spec_path=$top/$spec
tarball=${YNL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
ynl_root=$top/build/ynl
src=$ynl_root/linux-source-6.12
check=0
[ "${1:-}" = "--check" ] && check=1

if [ ! -f "$src/tools/net/ynl/ynl-gen-c.py" ]; then
	if [ ! -f "$tarball" ]; then
		echo "ynl-regen: $tarball not found (apt-get install linux-source-6.12)" >&2
		exit 2
	fi
	mkdir -p "$ynl_root"
	tar -xJf "$tarball" -C "$ynl_root" --wildcards \
		'linux-source-6.12/tools/net/ynl/*' \
		'linux-source-6.12/Documentation/netlink/*.yaml'
fi

# The generator finds the kernel tree root by a MAINTAINERS file and the
# schema beside the spec's directory: give it a tree of that shape.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Documentation/netlink/specs" "$work/out"
touch "$work/MAINTAINERS"
cp "$src"/Documentation/netlink/genetlink*.yaml "$work/Documentation/netlink/"
cp "$top/$spec" "$work/$spec"
derive=$top/scripts/ynl-derive.py
legacy=Documentation/netlink/specs/pthru-legacy.yaml

gen() { # spec mode kind output
	(cd "$work" && /usr/bin/python3 "$src/tools/net/ynl/ynl-gen-c.py" \
		--mode "$2" "--$3" --spec "$1" -o "out/$4")
}
# Every attribute, entry and op documented; u32/u64, never u8/u16.
/usr/bin/python3 "$derive" lint "$spec_path"
gen "$spec" uapi header pthru.h
gen "$spec" kernel header pthru-nl.h
gen "$spec" kernel source pthru-nl.c
/usr/bin/python3 "$derive" fix-split "$work/$spec" "$work/out/pthru-nl.c"
# Debian's 6.1 has no split ops: a per-op table derived from the spec.
/usr/bin/python3 "$derive" legacy-spec "$work/$spec" "$work/$legacy"
gen "$legacy" kernel source pthru-nl-legacy-policies.c
/usr/bin/python3 "$derive" legacy-source "$work/$spec" \
	"$work/out/pthru-nl-legacy-policies.c" "$work/out/pthru-nl-legacy.c"
(cd "$work" && /usr/bin/python3 "$src/tools/net/ynl/ynl-gen-rst.py" \
	-i "$spec" -o out/pthru.rst)

# generated file -> its place in the tree
pairs="pthru.h:uapi/linux/pthru.h
pthru-nl.h:kmod/gen/pthru-nl.h
pthru-nl.c:kmod/gen/pthru-nl.c
pthru-nl-legacy.c:kmod/gen/pthru-nl-legacy.c
pthru.rst:Documentation/netlink/pthru.rst"

status=0
for p in $pairs; do
	from=$work/out/${p%%:*}
	to=$top/${p#*:}
	if [ $check = 1 ]; then
		if ! cmp -s "$from" "$to"; then
			echo "ynl-regen: ${p#*:} is not what $spec generates; run scripts/ynl-regen.sh" >&2
			diff -u "$to" "$from" | head -20 >&2 || true
			status=1
		fi
	else
		mkdir -p "$(dirname "$to")"
		cp "$from" "$to"
	fi
done
[ $check = 1 ] && [ $status = 0 ] && echo "ynl-regen: generated files are current"
exit $status
