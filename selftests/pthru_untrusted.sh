#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Findings about untrusted functions.  Nothing in sysfs can mark a PCI
# function untrusted, so the test-only module pthru_test_untrusted.ko
# (selftests/modules/) sets pci_dev->untrusted on one function while it is
# loaded.  The kernel chose that function's IOMMU domain while it was
# trusted: when that domain flushes lazily (DMA-FQ) the audit must add
# lazy-invalidation (high) for it, and nothing when it is strict; no
# trusted function on a host driver is ever named; unloading the module
# clears what it caused.  The module comes from PTHRU_TEST_UNTRUSTED_KO;
# the function from the expectation file (expect_untrusted_dev) or
# PTHRU_TEST_UNTRUSTED_DEV.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool

ko=${PTHRU_TEST_UNTRUSTED_KO:-}
[ -n "$ko" ] ||
	ktap_skip_all "no test module (make -C selftests/modules; set PTHRU_TEST_UNTRUSTED_KO=path/to/pthru_test_untrusted.ko)"
[ -f "$ko" ] || ktap_skip_all "PTHRU_TEST_UNTRUSTED_KO=$ko does not exist"
have_expect=0
pthru_load_expect && have_expect=1
addr=${PTHRU_TEST_UNTRUSTED_DEV:-${expect_untrusted_dev:-}}
[ -n "$addr" ] ||
	ktap_skip_all "no function that is safe to mark untrusted (set PTHRU_TEST_UNTRUSTED_DEV=ADDR)"
[ -d "$pci_devices/$addr" ] || ktap_skip_all "$addr does not exist"
[ -d /sys/module/pthru_test_untrusted ] &&
	ktap_skip_all "pthru_test_untrusted is already loaded"

ktap_tmpdir
t=$ktap_tmp
ktap_cleanup_hook() {
	monitor_stop
	[ -d /sys/module/pthru_test_untrusted ] && rmmod pthru_test_untrusted
}
group=$(sysfs_group "$addr")
gtype=null
[ "$group" != null ] && gtype=$(sysfs_group_type "$group")

ktap_set_plan 5
ktap_diag "function $addr, driver $(sysfs_driver "$addr"), IOMMU group $group ($gtype)"

untrusted_of() {
	json_load d_ "$(pthructl -j dev show "$1" 2>&1)"
	echo "$d_untrusted"
}

audit_findings "$t/before"
monitor_start "$t/events" || ktap_diag "the monitor did not start"

# ---------------------------------------------------------------------
ktap_begin
ktap_expect "untrusted of $addr before" "$(untrusted_of "$addr")" false
insmod "$ko" addr="$addr" 2>"$t/err" ||
	ktap_mismatch "insmod $ko addr=$addr failed: $(cat "$t/err")"
audit_findings "$t/marked"
ktap_expect "untrusted of $addr after insmod and an audit" "$(untrusted_of "$addr")" true
ktap_end "the test module marks $addr untrusted and pthru sees it"

ktap_begin
lines_not_in "$t/marked.list" "$t/before.list" >"$t/added"
lines_not_in "$t/before.list" "$t/marked.list" >"$t/removed"
ktap_diag "added: $(tr '\n' ';' <"$t/added")"
ktap_checked=1
[ -s "$t/removed" ] && ktap_mismatch "marking it untrusted cleared findings: $(tr '\n' ';' <"$t/removed")"
# The rule, from sysfs: lazy invalidation on an untrusted function.
if [ "$gtype" = DMA-FQ ]; then
	grep -q "^lazy-invalidation high $addr " "$t/added" ||
		ktap_mismatch "no 'lazy-invalidation high' for untrusted $addr in a DMA-FQ domain"
else
	grep -q "^lazy-invalidation [^ ]* $addr " "$t/added" &&
		ktap_mismatch "lazy-invalidation for $addr although its domain is $gtype"
fi
if [ $have_expect -eq 1 ] && [ -z "${PTHRU_TEST_UNTRUSTED_DEV:-}" ]; then
	expect_resolve "$expect_untrusted_findings" >"$t/expected"
	findings_compare "$t/expected" "$t/added" >"$t/diff"
	while IFS= read -r line; do
		ktap_mismatch "$line"
	done <"$t/diff"
fi
ktap_end "an untrusted function adds lazy-invalidation exactly when its domain is DMA-FQ"

# No lazy-invalidation about a trusted, internal function: only a group
# finding (no addr) for a group with a function on a passthrough driver.
ktap_begin
pthructl -j dev >"$t/dev.json" 2>"$t/err"
json_dump_objects "$t/dev.json" | sed 's/,$//' >"$t/devs"
lazy_hosted=0
while IFS= read -r line; do
	json_load d_ "$line"
	ktap_checked=$((ktap_checked + 1))
	[ "$d_untrusted" = false ] && [ "$d_external_facing" = false ] || continue
	[ "$d_domain_type" = DMA-FQ ] && [ "$d_driver" != null ] &&
		lazy_hosted=$((lazy_hosted + 1))
	grep -q "^lazy-invalidation [^ ]* $d_addr " "$t/marked.list" &&
		ktap_mismatch "lazy-invalidation names $d_addr (trusted, internal, driver $d_driver, domain $d_domain_type)"
done <"$t/devs"
ktap_diag "$lazy_hosted trusted internal function(s) on a driver in a DMA-FQ domain"
grep '^lazy-invalidation [^ ]* null ' "$t/marked.list" >"$t/lazy.groups"
while read -r _ _ _ g; do
	passthrough=
	for m in $(pci_names "/sys/kernel/iommu_groups/$g/devices"); do
		case $(sysfs_driver "$m") in
		vfio-pci | pci-stub | uio_pci_generic | *-vfio-pci | *_vfio_pci) passthrough=$m ;;
		esac
	done
	[ -n "$passthrough" ] ||
		ktap_mismatch "lazy-invalidation for group $g, which has no function on a passthrough driver"
done <"$t/lazy.groups"
ktap_end "no trusted internal function is named by lazy-invalidation"

ktap_begin
rmmod pthru_test_untrusted 2>"$t/err" ||
	ktap_mismatch "rmmod pthru_test_untrusted failed: $(cat "$t/err")"
audit_findings "$t/after"
ktap_expect "untrusted of $addr after rmmod and an audit" "$(untrusted_of "$addr")" false
ktap_expect "findings after rmmod" \
	"$(tr '\n' ';' <"$t/after.list")" "$(tr '\n' ';' <"$t/before.list")"
ktap_end "unloading the module makes $addr trusted again and clears what it caused"

# Raised and cleared again, each announced.
announced() {
	monitor_findings hazard-raise | sort -u >"$t/raised.ev"
	monitor_findings hazard-clear | sort -u >"$t/cleared.ev"
	[ -z "$(lines_not_in "$t/added" "$t/raised.ev")" ] &&
		[ -z "$(lines_not_in "$t/added" "$t/cleared.ev")" ]
}
ktap_begin
ktap_checked=1
wait_for 10 announced ||
	ktap_mismatch "not announced: raised $(tr '\n' ';' <"$t/raised.ev"), cleared $(tr '\n' ';' <"$t/cleared.ev"), added $(tr '\n' ';' <"$t/added")"
ktap_end "the findings it caused were raised and cleared on the alerts group"

monitor_stop
ktap_finished
