#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build, once, the debug kernel the "debug" lane boots: Debian's
# linux-source-6.12 with x86_64 defconfig + kvm_guest.config +
# selftests/vm/debug.config (KASAN, lockdep, UBSAN, KFENCE, kmemleak, the
# IOMMU and VFIO drivers built in).  The result is cached outside the
# clone, keyed by the source package's version, the fragment, the recipe
# version below and the compiler, so a machine that built it once never builds it again:
#
#	$PTHRU_CACHE/debug-kernel/<key>/	(PTHRU_CACHE defaults to
#		bzImage			 ${XDG_CACHE_HOME:-~/.cache}/pthru)
#		release			the kernel release, e.g. 6.12.118-pthru-debug
#		build/			the O= tree: build modules with make -C build M=...
#		src/			the source it was built from
#		build-seconds		how long the cold build took
#
# Prints the directory on the last line of stdout; the build's own output
# goes to build.log in that directory.  Exit 1 on any failure, with the
# reason on stderr.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
fragment=$top/selftests/vm/debug.config
tarball=/usr/src/linux-source-6.12.tar.xz
cache=${PTHRU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pthru}
# Bump when a change below changes what gets built.
recipe=1

die() {
	echo "debug-kernel: $*" >&2
	exit 1
}

[ -f "$tarball" ] || die "$tarball is missing (apt-get install linux-source-6.12)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "linux-source-6.12 is not installed"
key=$( { echo "$srcver $recipe"; cat "$fragment"; gcc -dumpfullversion; } |
	sha256sum | cut -c1-16)
dir=$cache/debug-kernel/$key

mkdir -p "$cache/debug-kernel" || die "cannot create $cache/debug-kernel"
exec 9>"$cache/debug-kernel/.lock"
flock 9 || die "cannot lock $cache/debug-kernel"

if [ -f "$dir/done" ]; then
	echo "debug-kernel: cached in $dir (linux-source-6.12 $srcver)" >&2
	echo "$dir"
	exit 0
fi

# Other keys are older builds of other fragments: at most one stays.
find "$cache/debug-kernel" -mindepth 1 -maxdepth 1 -type d ! -name "$key" \
	-exec rm -rf {} +
rm -rf "$dir"
mkdir -p "$dir/src" "$dir/build" || die "cannot create $dir"
log=$dir/build.log
start=$SECONDS
echo "debug-kernel: building linux-source-6.12 $srcver in $dir (about 15 minutes on 2 cores)" >&2

tar -xJf "$tarball" -C "$dir/src" --strip-components=1 ||
	die "cannot unpack $tarball"
kmake() {
	make -C "$dir/src" O="$dir/build" "$@" >>"$log" 2>&1
}
kmake defconfig kvm_guest.config || die "defconfig failed (see $log)"
"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/build" \
	"$dir/build/.config" "$fragment" >>"$log" 2>&1 ||
	die "merging $fragment failed (see $log)"
kmake olddefconfig || die "olddefconfig failed (see $log)"

# A line Kconfig dropped (a dependency missing) would silently build a
# kernel without the checker the lane promises.
lost=()
while read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$dir/build/.config" || lost+=("$line") ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" "$dir/build/.config" && lost+=("$line") ;;
	esac
done <"$fragment"
[ ${#lost[@]} -eq 0 ] ||
	die "olddefconfig did not keep: ${lost[*]} (see $dir/build/.config)"

kmake -j"$(nproc)" all || die "the build failed (see $log)"
[ -f "$dir/build/Module.symvers" ] ||
	cp "$dir/build/vmlinux.symvers" "$dir/build/Module.symvers"
cp "$dir/build/arch/x86/boot/bzImage" "$dir/bzImage" || die "no bzImage"
make -s -C "$dir/src" O="$dir/build" kernelrelease >"$dir/release" 2>>"$log" ||
	die "kernelrelease failed"

# Out-of-tree modules need the configuration, the generated headers, the
# host tools and Module.symvers, not the kernel's object files.
find "$dir/build" \( -path "$dir/build/scripts" -o -path "$dir/build/tools" \) -prune -o \
	\( -name '*.o' -o -name '*.a' -o -name '.tmp_vmlinux*' \) -type f -print0 |
	xargs -0 rm -f
echo $((SECONDS - start)) >"$dir/build-seconds"
touch "$dir/done"
echo "debug-kernel: built $(cat "$dir/release") in $((SECONDS - start)) s" >&2
echo "$dir"
