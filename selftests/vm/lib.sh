# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The pieces of the QEMU harness that selftests/vm/run-all.sh and
# scripts/demo.sh share: which kernels can be booted, how a guest's
# initramfs is packed, and how the guest is booted.  Source it from bash;
# it sets nothing but functions and the vm_* variables below.

vm_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vm_dir=$vm_top/selftests/vm
vm_timeout=${VM_TIMEOUT:-1200}
# What goes into the guest; override to test other builds.
vm_kmod_dir=${VM_KMOD_DIR:-$vm_top/build/kmod}
# Where guests and test modules are built (one tree per concurrent run).
vm_out=${VM_OUT:-$vm_top/build/vm}
vm_pthructl=${VM_PTHRUCTL:-$vm_top/tools/pthructl/pthructl}
# A kernel built by scripts/debug-kernel.sh (its cache directory): its
# release boots from there, with every driver built in.
vm_debug_dir=${VM_DEBUG_DIR:-}
# vCPUs per guest: VM_SMP, else the profile's profile_smp, else 2.
vm_smp=${VM_SMP:-}

vm_die() {
	echo "vm: $*" >&2
	exit 2
}

# Every installed Debian kernel that has headers (to build pthru.ko), an
# image (to boot) and its modules (for the guest's drivers), one per line.
vm_releases() {
	local hdr rel

	for hdr in /usr/src/linux-headers-*-amd64; do
		[ -f "$hdr/Makefile" ] || continue
		rel=${hdr#/usr/src/linux-headers-}
		[ -f "/boot/vmlinuz-$rel" ] && [ -d "/lib/modules/$rel/kernel" ] &&
			echo "$rel"
	done
}

# vm_is_debug RELEASE: RELEASE is the debug kernel of $VM_DEBUG_DIR.
vm_is_debug() {
	[ -n "$vm_debug_dir" ] && [ -f "$vm_debug_dir/release" ] &&
		[ "$1" = "$(cat "$vm_debug_dir/release")" ]
}

# The image a release boots and the tree its modules are built against.
vm_kernel_image() {
	if vm_is_debug "$1"; then
		echo "$vm_debug_dir/bzImage"
	else
		echo "/boot/vmlinuz-$1"
	fi
}

vm_kernel_build() {
	if vm_is_debug "$1"; then
		echo "$vm_debug_dir/build"
	else
		echo "/usr/src/linux-headers-$1"
	fi
}

vm_profiles() {
	local f

	for f in "$vm_dir"/profiles/*.sh; do
		[ -f "$f" ] && basename "$f" .sh
	done
}

# Sets profile_about, profile_modules, profile_append (kernel command-line
# words: which IOMMU to turn on), profile_kernels (a shell pattern of the
# releases the profile runs on, "*" unless it says), profile_setup (busybox
# sh the guest's init runs after the drivers load and before pthru.ko,
# usually empty), profile_runner ("kselftest": the guest runs the suite
# installed as a kselftest collection with the kernel's own
# run_kselftest.sh, instead of run_tests.sh) and profile_qemu.
vm_load_profile() {
	local f=$vm_dir/profiles/$1.sh

	[ -f "$f" ] || vm_die "no profile '$1' ($f)"
	# shellcheck disable=SC2034 # read by run-all.sh
	profile_about=
	profile_modules=
	profile_append=
	# shellcheck disable=SC2034 # read by run-all.sh
	profile_kernels='*'
	profile_setup=
	profile_runner=
	profile_promtool=
	profile_smp=
	profile_qemu=()
	# shellcheck source=/dev/null
	. "$f"
	[ ${#profile_qemu[@]} -gt 0 ] || vm_die "profile $1 defines no profile_qemu"
}

# Copy a binary and the shared libraries ldd names for it into the tree
# at $1, keeping their paths (libmnl has no static library on Debian).
vm_copy_binary() {
	local root=$1 bin=$2 dest=$3 lib

	install -D -m 0755 "$bin" "$root$dest"
	for lib in $(ldd "$bin" | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

# Resolve the profile's guest drivers (and their dependencies) with the
# host's modprobe and that kernel's modules.dep, decompress them (busybox
# insmod loads plain .ko only), and record the load order.
vm_copy_modules() {
	local root=$1 rel=$2 mod line path name
	local -A seen=()
	local dir=$root/lib/modules/pthru-vm

	mkdir -p "$dir"
	: >"$root/etc/pthru-vm/modules"
	if vm_is_debug "$rel"; then
		vm_check_builtin "$rel"
		return
	fi
	for mod in $profile_modules; do
		modprobe -S "$rel" --show-depends "$mod" >"$root/.deps" 2>&1 ||
			vm_die "$rel: cannot resolve module $mod: $(head -1 "$root/.deps")"
		while read -r line; do
			case $line in
			insmod\ *) ;;
			*) continue ;;	# "builtin NAME": nothing to load
			esac
			path=${line#insmod }
			path=${path%% *}
			[ -n "${seen[$path]:-}" ] && continue
			seen[$path]=1
			name=$(basename "$path")
			case $name in
			*.ko.xz) name=${name%.xz}; xz -dc "$path" >"$dir/$name" ;;
			*.ko.zst) name=${name%.zst}; zstd -qdc "$path" >"$dir/$name" ;;
			*.ko.gz) name=${name%.gz}; gzip -dc "$path" >"$dir/$name" ;;
			*.ko) cp "$path" "$dir/$name" ;;
			*) vm_die "$rel: unexpected module file $path" ;;
			esac || vm_die "$rel: cannot unpack $path"
			echo "$name" >>"$root/etc/pthru-vm/modules"
		done <"$root/.deps"
	done
	rm -f "$root/.deps"
}

# The debug kernel has the profile's drivers built in; one that is not
# would leave its devices without a driver and the tests wrong.
vm_check_builtin() {
	local rel=$1 mod builtin

	builtin=$(vm_kernel_build "$rel")/modules.builtin
	[ -f "$builtin" ] || vm_die "$rel: no $builtin"
	for mod in $profile_modules; do
		sed 's,.*/,,; s,\.ko$,,; s,-,_,g' "$builtin" | grep -qx "${mod//-/_}" ||
			vm_die "$rel: $mod is not built into the debug kernel (selftests/vm/debug.config)"
	done
}

# vm_build_test_modules RELEASE: build the selftests' test-only modules
# (selftests/modules/) for RELEASE in $vm_out/<release>/modules/, W=1, a
# warning failing the build as for pthru.ko; skipped when up to date.
vm_build_test_modules() {
	local rel=$1 src=$vm_top/selftests/modules
	local out=$vm_out/$1/modules kd
	local f stale=0

	for f in "$src"/*; do
		[ "$f" -nt "$out/pthru_test_untrusted.ko" ] && stale=1
	done
	[ $stale -eq 0 ] && return 0
	kd=$(vm_kernel_build "$rel")
	[ -f "$kd/Makefile" ] || vm_die "$rel: no kernel headers in $kd"
	rm -rf "$out"
	mkdir -p "$out"
	cp "$src"/Kbuild "$src"/*.c "$out/" || vm_die "$rel: cannot copy $src"
	if ! make -C "$kd" M="$out" W=1 modules >"$out/build.log" 2>&1 ||
	   grep -qE 'warning:|error:' "$out/build.log"; then
		vm_die "$rel: selftests/modules: $(grep -m 1 -E 'warning:|error:' "$out/build.log" ||
			tail -n 1 "$out/build.log") (see $out/build.log)"
	fi
}

# vm_build_initramfs RELEASE PROFILE OUTDIR: pack OUTDIR/initramfs.cpio.gz.
# vm_copy_python ROOT: Debian's own python3 (whose site has PyYAML and
# python3-jsonschema) with the standard library it needs, once.
vm_copy_python() {
	local root=$1 py=/usr/bin/python3 stdlib

	[ -x "$root/usr/bin/python3" ] && return 0
	[ -x "$py" ] || return 1
	stdlib=$("$py" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))') || return 1
	vm_copy_binary "$root" "$(readlink -f "$py")" /usr/bin/python3
	# The standard library without its tests, GUI and build parts.
	(cd / && find "${stdlib#/}" \( -name test -o -name tests -o -name __pycache__ \
		-o -name tkinter -o -name idlelib -o -name ensurepip -o -name lib2to3 \
		-o -name pydoc_data -o -name 'config-*' -o -name turtledemo \) -prune \
		-o -print | cpio -pdm --quiet "$root") || return 1
	mkdir -p "$root/usr/lib/python3/dist-packages"
}

# vm_copy_ynl ROOT: python3, PyYAML, and the kernel's ynl CLI with
# pthru's spec, laid out as the tree has them (/tools/net/ynl,
# /Documentation/netlink/specs), for pthru_ynl.sh.  The CLI comes from
# Debian's linux-source-6.12 as scripts/ynl-regen.sh unpacks it.  Returns
# non-zero, copying nothing, when something is missing on this host: the
# test then skips and says what.
vm_copy_ynl() {
	local root=$1 ynl=$vm_top/build/ynl/linux-source-6.12

	[ -f /usr/lib/python3/dist-packages/yaml/__init__.py ] || return 1
	vm_unpack_ynl || return 1
	vm_copy_python "$root" || return 1
	cp -r /usr/lib/python3/dist-packages/yaml "$root/usr/lib/python3/dist-packages/"
	mkdir -p "$root/tools/net" "$root/Documentation/netlink/specs"
	cp -r "$ynl/tools/net/ynl" "$root/tools/net/"
	cp "$ynl"/Documentation/netlink/*.yaml "$root/Documentation/netlink/"
	cp "$vm_top/Documentation/netlink/specs/pthru.yaml" \
		"$root/Documentation/netlink/specs/"
}

# Debian's auditd for pthru_auditd.sh: the host's own when it has one,
# else its packages fetched once (apt-get download) and unpacked into
# build/auditd, never installed: installing auditd would start a daemon
# on the build host.
vm_auditd_dir=$vm_top/build/auditd
vm_fetch_auditd() {
	local deb

	[ -x /sbin/auditd ] && return 0
	[ -x "$vm_auditd_dir/root/sbin/auditd" ] && return 0
	rm -rf "$vm_auditd_dir"
	mkdir -p "$vm_auditd_dir/debs"
	(cd "$vm_auditd_dir/debs" &&
		apt-get download -q -o APT::Sandbox::User=root \
			auditd libauparse0 libwrap0 >/dev/null 2>&1) || return 1
	for deb in "$vm_auditd_dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$vm_auditd_dir/root" || return 1
	done
}

# vm_copy_auditd ROOT: auditd, auditctl and ausearch with their libraries,
# at the paths they have on a Debian host.
vm_copy_auditd() {
	local root=$1 src=/ bin lib libpath dest

	[ -x /sbin/auditd ] || src=$vm_auditd_dir/root/
	[ -x "${src}sbin/auditd" ] || return 1
	libpath=${src}lib/x86_64-linux-gnu:${src}usr/lib/x86_64-linux-gnu
	for bin in auditd auditctl ausearch; do
		install -D -m 0755 "${src}sbin/$bin" "$root/sbin/$bin"
		for lib in $(LD_LIBRARY_PATH=$libpath ldd "${src}sbin/$bin" |
			     awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
			# an unpacked library goes where the package puts it
			dest=${lib#"${src%/}"}
			[ -e "$root$dest" ] ||
				install -D -m 0755 "$(readlink -f "$lib")" "$root$dest"
		done
	done
	# glibc dlopens it for pthread_cancel, which auditd calls on exit.
	lib=$(readlink -f /lib/x86_64-linux-gnu/libgcc_s.so.1) || return 1
	install -D -m 0755 "$lib" "$root/lib/x86_64-linux-gnu/libgcc_s.so.1"
}

# vm_copy_jsonschema ROOT: python3 and Debian 12's python3-jsonschema
# (4.10) with what it imports: python3-attr (attr, attrs) and
# python3-pyrsistent (pyrsistent and its C extension pvectorc); the
# importlib-metadata, importlib-resources and typing-extensions it may
# also depend on are python3.11's standard library.  Without their tests
# and benchmarks, about 0.7 MB.  For json_schema_check (ktap_helpers.sh),
# which reads the schemas from /Documentation/schemas.  Returns non-zero,
# copying nothing, when one is missing on this host: the checks then skip
# and say what.
vm_copy_jsonschema() {
	local root=$1 site=/usr/lib/python3/dist-packages p

	for p in jsonschema/__init__.py attr/__init__.py attrs/__init__.py \
		 pyrsistent/__init__.py _pyrsistent_version.py; do
		[ -f "$site/$p" ] || return 1
	done
	vm_copy_python "$root" || return 1
	(cd "$site" && find jsonschema attr attrs pyrsistent _pyrsistent_version.py \
		pvectorc.*.so \( -name tests -o -name benchmarks -o -name __pycache__ \) \
		-prune -o -print 2>/dev/null | cpio -pdm --quiet "$root$site") || return 1
}

# The ynl CLI from Debian's linux-source-6.12, unpacked once into build/.
vm_unpack_ynl() {
	local ynl=$vm_top/build/ynl/linux-source-6.12
	local tarball=/usr/src/linux-source-6.12.tar.xz

	[ -f "$ynl/tools/net/ynl/cli.py" ] && return 0
	[ -f "$tarball" ] || return 1
	mkdir -p "$vm_top/build/ynl"
	tar -xJf "$tarball" -C "$vm_top/build/ynl" --wildcards \
		'linux-source-6.12/tools/net/ynl/*' \
		'linux-source-6.12/Documentation/netlink/*.yaml'
}

vm_build_initramfs() {
	local rel=$1 profile=$2 out=$3
	local root=$out/root
	local ko=$vm_kmod_dir/$rel/pthru.ko
	local tool=$vm_pthructl
	local st=$vm_top/selftests applet f runner promtool

	[ -f "$ko" ] || vm_die "$ko is missing (make modules-all)"
	[ -x "$tool" ] || vm_die "$tool is missing (make tool)"
	[ -x "$st/pthru_nl_errors" ] && [ -x "$st/pthru_nocap" ] &&
		[ -x "$st/pthru_vfio_map" ] ||
		vm_die "the selftests' C helpers are missing (make -C selftests)"
	command -v lspci >/dev/null && [ -f /usr/share/misc/pci.ids ] ||
		vm_die "lspci or /usr/share/misc/pci.ids is missing (apt-get install pciutils)"
	command -v busybox >/dev/null || vm_die "busybox is missing (apt-get install busybox-static)"
	ldd "$(command -v busybox)" >/dev/null 2>&1 &&
		vm_die "$(command -v busybox) is not static (apt-get install busybox-static)"

	vm_load_profile "$profile"
	vm_build_test_modules "$rel"
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc/pthru-vm,lib/pthru,selftests,usr/bin}

	cp "$(command -v busybox)" "$root/bin/busybox"
	for applet in $(busybox --list); do
		[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
	done
	install -m 0755 "$vm_dir/init.sh" "$root/init"
	echo "$profile" >"$root/etc/pthru-vm/profile"
	# What the audit must find in this profile (the selftests read it).
	if [ -f "$vm_dir/profiles/$profile.expect" ]; then
		install -m 0644 "$vm_dir/profiles/$profile.expect" "$root/etc/pthru-vm/expect"
	fi
	vm_copy_modules "$root" "$rel"
	[ -z "$profile_setup" ] || printf '%s\n' "$profile_setup" >"$root/etc/pthru-vm/setup"
	cp "$ko" "$root/lib/pthru/pthru.ko"
	cp "$vm_out/$rel/modules/"*.ko "$root/lib/pthru/"
	vm_copy_binary "$root" "$tool" /usr/bin/pthructl
	vm_copy_binary "$root" "$st/pthru_nl_errors" /selftests/pthru_nl_errors
	vm_copy_binary "$root" "$st/pthru_nl_fuzz" /selftests/pthru_nl_fuzz
	vm_copy_binary "$root" "$st/pthru_nocap" /selftests/pthru_nocap
	vm_copy_binary "$root" "$st/pthru_vfio_map" /selftests/pthru_vfio_map
	[ ! -x "$vm_top/examples/libnl/pthru-events" ] ||
		vm_copy_binary "$root" "$vm_top/examples/libnl/pthru-events" /usr/bin/pthru-events
	# lspci -vvv: the independent ACS decoder and the benchmark's yardstick.
	vm_copy_binary "$root" "$(command -v lspci)" /usr/bin/lspci
	install -D -m 0644 /usr/share/misc/pci.ids "$root/usr/share/misc/pci.ids"
	for f in "$st"/run_tests.sh "$st"/ktap_helpers.sh "$st"/settings "$st"/pthru_*.sh \
		 "$st"/prom_lint.awk; do
		install -m 0755 "$f" "$root/selftests/" || vm_die "cannot copy $f"
	done
	if [ "$profile_runner" = kselftest ]; then
		runner=$("$vm_top/selftests/kselftest-runner.sh") ||
			vm_die "no kselftest runner (linux-source-6.12)"
		make -s -C "$st" install INSTALL_PATH="$root/kselftest" \
			KSFT_RUNNER_DIR="$runner" >/dev/null ||
			vm_die "make -C selftests install failed"
	fi
	# The node_exporter feed's writer; promtool (48 MB, static but for
	# libc) only where the profile asks for it, to judge the feed once
	# per kernel.
	install -D -m 0755 "$vm_top/scripts/pthru-textfile" "$root/usr/lib/pthru/pthru-textfile"
	if [ -n "$profile_promtool" ]; then
		if promtool=$("$vm_top/scripts/fetch-promtool.sh"); then
			vm_copy_binary "$root" "$promtool" /usr/bin/promtool
		else
			echo "vm: no promtool to put in the guest: pthru_prometheus.sh's promtool checks will skip" >&2
		fi
	fi
	vm_copy_auditd "$root" ||
		echo "vm: no auditd to put in the guest (apt-get download auditd failed): pthru_auditd.sh will skip" >&2
	vm_copy_ynl "$root" ||
		echo "vm: no python3, PyYAML or ynl CLI to put in the guest: pthru_ynl.sh will skip" >&2
	mkdir -p "$root/Documentation/schemas"
	cp "$vm_top"/Documentation/schemas/*.schema.json "$root/Documentation/schemas/"
	vm_copy_jsonschema "$root" ||
		echo "vm: no python3 or python3-jsonschema to put in the guest: the JSON Schema checks will skip" >&2

	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$out/initramfs.cpio.gz" || vm_die "$rel/$profile: cpio failed"
}

# vm_boot RELEASE PROFILE OUTDIR MODE [WORDS]: boot the guest once, WORDS
# added to the kernel command line (init.sh reads pthru.tests= and
# pthru.bench_runs=).  The console goes to OUTDIR/console.log, the guest's
# result channel (ttyS1) to OUTDIR/result.ktap, QEMU's own messages to
# OUTDIR/qemu.log.  Returns QEMU's status (124 when the hard timeout hit).
vm_boot() {
	local rel=$1 profile=$2 out=$3 mode=$4 words=${5:-}
	local append="console=ttyS0 panic_on_warn=1 oops=panic" mem=1G

	vm_load_profile "$profile"
	# The profile's words first: init.sh takes the last of a pthru.*
	# word, so the caller's (VM_APPEND) override a profile's defaults.
	append+=" panic=-1 softlockup_panic=1 pthru_vm.mode=$mode"
	append+="${profile_append:+ $profile_append}${words:+ $words}"
	# 6.12 stalls in the timer check under TCG with interrupt remapping.
	case $rel in
	6.[0-9].* | 6.1[01].*) ;;
	*) append+=" no_timer_check" ;;
	esac

	# KASAN reports panic at once, so the first report is the last line;
	# its shadow memory and quarantine need more than the usual 1 GiB.
	if vm_is_debug "$rel"; then
		append+=" kasan.fault=panic"
		mem=2G
	fi

	rm -f "$out/console.log" "$out/result.ktap" "$out/qemu.log"
	timeout -k 10 "$vm_timeout" qemu-system-x86_64 \
		-accel tcg -M q35,kernel-irqchip=split -cpu max -smp "${vm_smp:-${profile_smp:-2}}" -m "$mem" \
		-nographic -no-reboot -nodefaults -monitor none \
		"${profile_qemu[@]}" \
		-kernel "$(vm_kernel_image "$rel")" -initrd "$out/initramfs.cpio.gz" \
		-append "$append" \
		-serial "file:$out/console.log" -serial "file:$out/result.ktap" \
		</dev/null >"$out/qemu.log" 2>&1
}

# Kernel trouble in a console log, one line per hit; empty when clean.
# The sanitizers' and lockdep's reports only appear on the debug kernel,
# whatever module they name; kmemleak is judged apart (vm_kmemleak).
vm_console_problems() {
	grep -a -E 'WARNING:|BUG:|Oops|Kernel panic|general protection|KASAN:|UBSAN:|possible circular locking|suspicious RCU usage|ODEBUG:|kmemleak: Kernel memory leak detector disabled' \
		"$1" 2>/dev/null
}
