#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl over every git-visible C source and header
# of the module (kmod/, except the generated kmod/gen/), the control tool
# (tools/) and the selftests (selftests/).  checkpatch.pl and its two data
# files come from Debian's linux-source package; they are unpacked once into
# build/checkpatch/.
#
#   scripts/checkpatch.sh [FILE...]     (default: every file named above)
#
# Prints "ok"/"not ok" per file, the complaints of each failing file, and
# ends with "checkpatch: N passed, N failed"; exits non-zero on any failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cp_root=$top/build/checkpatch
checkpatch=$cp_root/scripts/checkpatch.pl

# Userspace files (tools/, selftests/) follow kernel style too, but some of
# checkpatch's advice names kernel-only facilities that libc does not have,
# so it cannot be followed there:
#   STRCPY, STRLCPY, STRNCPY   "prefer strscpy": strscpy() is kernel-only
#   SSCANF_TO_KSTRTO           "prefer kstrto<type>": kernel-only
#   PREFER_FALLTHROUGH         the 'fallthrough' pseudo-keyword is a kernel
#                              macro (<linux/compiler_attributes.h>)
#   PREFER_DEFINED_ATTRIBUTE_MACRO  __packed, __printf, __aligned, ... are
#                              kernel macros, not in the uapi headers
#   OOM_MESSAGE                the kernel's allocators already report a
#                              failed allocation; malloc() does not, so the
#                              tool must say it itself
#   VOLATILE                   volatile sig_atomic_t is how a signal handler
#                              talks to the main loop in userspace
# PREFER_KERNEL_TYPES (u32 over uint32_t) needs no entry: it is a --strict
# check and this lane does not run --strict.  The module (kmod/) gets every
# check.
userspace_ignore=STRCPY,STRLCPY,STRNCPY,SSCANF_TO_KSTRTO,PREFER_FALLTHROUGH
userspace_ignore+=,PREFER_DEFINED_ATTRIBUTE_MACRO,OOM_MESSAGE,VOLATILE

# pthructl's kcompat/ re-creates kernel headers for the module's core, so it
# declares what they declare: the typedef atomic64_t, and EXPORT_SYMBOL()
# and MODULE_LICENSE() that drop their argument.  Its upstream/ holds
# files copied unchanged from the kernel, which are not ours to restyle.
kcompat_ignore=$userspace_ignore,NEW_TYPEDEFS,EXPORT_SYMBOL,MACRO_ARG_UNUSED

# The first installed linux-source tarball, newest first.
find_tarball() {
	local t

	for t in ${CHECKPATCH_TARBALL:-} /usr/src/linux-source-6.12.tar.xz \
		 /usr/src/linux-source-6.1.tar.xz; do
		[ -f "$t" ] && { echo "$t"; return 0; }
	done
	return 1
}

# Unpack the three files into a scratch directory and move them into place
# only when tar succeeded, so an interrupted run is simply redone.
unpack_checkpatch() {
	local tarball tree tmp f

	[ -x "$checkpatch" ] && [ -f "$cp_root/scripts/spelling.txt" ] &&
		[ -f "$cp_root/scripts/const_structs.checkpatch" ] && return 0
	if ! tarball=$(find_tarball); then
		echo "checkpatch: no /usr/src/linux-source-*.tar.xz" \
			"(apt-get install linux-source-6.12)" >&2
		return 2
	fi
	tree=$(basename "$tarball" .tar.xz)
	echo "checkpatch: unpacking checkpatch.pl from $tarball (once)" >&2
	tmp=$(mktemp -d "$top/build/.checkpatch.XXXXXX")
	if ! tar -xJf "$tarball" -C "$tmp" "$tree/scripts/checkpatch.pl" \
		"$tree/scripts/spelling.txt" "$tree/scripts/const_structs.checkpatch"; then
		rm -rf "$tmp"
		echo "checkpatch: cannot unpack checkpatch.pl from $tarball" >&2
		return 2
	fi
	mkdir -p "$cp_root/scripts"
	for f in checkpatch.pl spelling.txt const_structs.checkpatch; do
		mv "$tmp/$tree/scripts/$f" "$cp_root/scripts/$f"
	done
	rm -rf "$tmp"
}

# Every C file git can see (tracked, or new and not ignored) in our trees.
list_files() {
	git -C "$top" ls-files -co --exclude-standard -- \
		'kmod/*.c' 'kmod/*.h' 'tools/*.c' 'tools/*.h' \
		'selftests/*.c' 'selftests/*.h' ':!kmod/gen/' \
		':!tools/pthructl/kcompat/upstream/' | sort -u |
		while IFS= read -r f; do
			# skip a tracked file deleted in the work tree
			if [ -f "$top/$f" ]; then printf '%s\n' "$f"; fi
		done
}

check_file() { # path relative to $top
	local extra=()

	case $1 in
	kmod/*) ;;
	tools/pthructl/kcompat/*) extra=(--ignore "$kcompat_ignore") ;;
	*) extra=(--ignore "$userspace_ignore") ;;
	esac
	(cd "$top" && perl "$checkpatch" --no-tree --terse --show-types \
		--no-summary "${extra[@]}" -f "$1")
}

main() {
	local files=() f out pass=0 fail=0

	mkdir -p "$top/build"
	unpack_checkpatch || { echo "checkpatch: 0 passed, 1 failed"; exit 2; }
	if [ $# -gt 0 ]; then
		for f in "$@"; do
			[ -f "$f" ] || { echo "checkpatch: no such file $f" >&2; exit 2; }
			files+=("$(realpath --relative-to="$top" "$f")")
		done
	else
		mapfile -t files < <(list_files)
	fi
	if [ ${#files[@]} -eq 0 ]; then
		echo "not ok - no C files found under kmod/, tools/, selftests/"
		echo "checkpatch: 0 passed, 1 failed"
		exit 1
	fi

	for f in "${files[@]}"; do
		if out=$(check_file "$f" 2>&1); then
			echo "ok - $f"
			pass=$((pass + 1))
		else
			echo "not ok - $f"
			# With no complaint printed, the failure was checkpatch's own.
			printf '%s\n' "${out:-checkpatch.pl failed without a message}" |
				sed 's/^/#   /'
			fail=$((fail + 1))
		fi
	done
	echo "checkpatch: $pass passed, $fail failed"
	[ $fail -eq 0 ]
}

main "$@"
