# SPDX-License-Identifier: GPL-2.0
#
# pthru: the human entry point.  The module itself is described by Kbuild.
#
#   make                 module for KDIR (default: the running kernel) and pthructl
#   make modules-all     module for every installed Debian headers tree, W=1,
#                        warnings are errors; outputs in build/kmod/<release>/
#   make check           install what is needed and run every test lane
#   make check-debug     the debug lane: the selftests and soaks under a
#                        KASAN/lockdep/UBSAN kernel built once and cached
#   make soak            the soaks at full size on Debian's kernels, and the
#                        policy-file fuzzer for ten minutes
#   make demo            boot the emulated host and show what pthru sees
#   make bench           benchmarks: the core on a 4,096-function host (KUnit/UML),
#                        and pthructl audit against lspci -vvv in the VM
#   make genl            regenerate the files made from the netlink spec
#   make acs-quirks-check  compare the ACS quirk table with the pinned quirks.c
#   make fuzz            fuzz the policy-file parser for FUZZ_SECONDS (60)
#                        and the snapshot reader for FUZZ_SNAPFILE_SECONDS (20)
#   make install         install pthru.ko (for KDIR), pthructl and its man page,
#                        the JSON Schemas in $(PREFIX)/share/pthru/schemas/
#                        and what install-textfile installs
#   make install-textfile  the node_exporter feed alone: the writer in
#                        $(PREFIX)/lib/pthru, its service and timer, the
#                        example alert rules (PREFIX, DESTDIR)
#   make dkms-install    pthru.ko through DKMS: source in /usr/src/pthru-<version>,
#                        built and installed for every kernel with headers (root)
#   make dkms-remove     undo dkms-install: dkms remove --all, delete the source
#   make deb             Debian packages pthru-dkms and pthructl in build/deb/
#   make dkms-src        the module's DKMS source tree in
#                        $(DESTDIR)/usr/src/pthru-<version> (used by the above)
#   make version-check   every file stating the version agrees with kmod/version.h

KDIR	?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		       $(wildcard /usr/src/linux-headers-*-amd64))
PREFIX	?= /usr/local
TOP	:= $(CURDIR)
# kmod/version.h is the source of truth (scripts/version-check.sh)
VERSION	:= $(shell sed -nE 's/^\#define[[:space:]]+PTHRU_VERSION[[:space:]]+"([^"]+)".*/\1/p' kmod/version.h)
# What DKMS needs to build pthru.ko: the top-level Kbuild reads nothing else.
DKMS_FILES := dkms.conf Kbuild $(sort $(wildcard kmod/*.[ch] kmod/core/*.[ch] \
		kmod/gen/*.[ch] uapi/linux/*.h))

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(TOP) modules

tool:
	$(MAKE) -C tools/pthructl

modules-all:
	scripts/build-modules.sh

genl:
	scripts/ynl-regen.sh

genl-check:
	scripts/ynl-regen.sh --check

acs-quirks-check:
	scripts/acs-quirks-check.py

kunit:
	scripts/kunit.sh

fuzz:
	scripts/fuzz.sh

checkpatch:
	scripts/checkpatch.sh

bench: modules-all tool
	scripts/bench-core.sh
	scripts/bench-vm.sh

vm-test: modules-all tool
	selftests/vm/run-all.sh

deps:
	scripts/install-deps.sh

check:
	scripts/check.sh

check-debug:
	scripts/check-debug.sh

soak:
	scripts/soak.sh

demo:
	scripts/demo.sh

install: module tool install-textfile
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install
	$(MAKE) -C tools/pthructl install PREFIX=$(PREFIX)
	install -D -m 0644 examples/systemd/pthru-policy.service \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/pthru-policy.service
	install -D -m 0644 examples/policy/pthru-policy.conf \
		$(DESTDIR)$(PREFIX)/share/doc/pthru/examples/policy/pthru-policy.conf
	install -D -m 0644 examples/modprobe.d/pthru.conf \
		$(DESTDIR)$(PREFIX)/share/doc/pthru/examples/modprobe.d/pthru.conf

# The unit names the writer by its path, which follows PREFIX.
install-textfile:
	install -D -m 0755 scripts/pthru-textfile \
		$(DESTDIR)$(PREFIX)/lib/pthru/pthru-textfile
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	sed 's|/usr/lib/pthru/|$(PREFIX)/lib/pthru/|' \
		examples/systemd/pthru-textfile.service \
		>$(DESTDIR)$(PREFIX)/lib/systemd/system/pthru-textfile.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/pthru-textfile.service
	install -m 0644 examples/systemd/pthru-textfile.timer \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/pthru-textfile.timer
	install -D -m 0644 examples/prometheus/pthru.rules.yml \
		$(DESTDIR)$(PREFIX)/share/doc/pthru/examples/prometheus/pthru.rules.yml

version-check:
	scripts/version-check.sh

dkms-src: version-check
	rm -rf $(DESTDIR)/usr/src/pthru-$(VERSION)
	for f in $(DKMS_FILES); do \
		install -D -m 0644 $$f $(DESTDIR)/usr/src/pthru-$(VERSION)/$$f || exit 1; \
	done

dkms-install:
	scripts/dkms.sh install

dkms-remove:
	scripts/dkms.sh remove

deb:
	scripts/build-deb.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	$(MAKE) -C tools/pthructl clean
	rm -rf build

.PHONY: all module tool modules-all genl genl-check acs-quirks-check kunit fuzz checkpatch bench vm-test deps check check-debug soak demo install install-textfile clean \
	version-check dkms-src dkms-install dkms-remove deb
