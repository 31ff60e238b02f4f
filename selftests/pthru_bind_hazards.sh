#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Findings that follow driver binding: moving one function to vfio-pci
# raises what the profile's expectation file lists (group-not-viable when
# a function of its IOMMU group stays on a host driver, lazy-invalidation
# when the group's domain is DMA-FQ), each announced by hazard-raise;
# moving it back clears them.  Only the function the expectation file
# names (expect_bind_dev) or PTHRU_TEST_VIABLE_DEV is moved; it is left
# with the driver it had.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool

have_expect=0
pthru_load_expect && have_expect=1
addr=${PTHRU_TEST_VIABLE_DEV:-${expect_bind_dev:-}}
[ -n "$addr" ] ||
	ktap_skip_all "no function that is safe to rebind (set PTHRU_TEST_VIABLE_DEV=ADDR)"
[ -d "$pci_devices/$addr" ] || ktap_skip_all "$addr does not exist"
vfio=/sys/bus/pci/drivers/vfio-pci
[ -d $vfio ] || modprobe vfio-pci 2>/dev/null
[ -d $vfio ] || ktap_skip_all "the vfio-pci driver is not available"

ktap_tmpdir
t=$ktap_tmp
dev=$pci_devices/$addr
orig=$(sysfs_driver "$addr")
group=$(sysfs_group "$addr")
ktap_cleanup_hook() {
	monitor_stop
	echo >"$dev/driver_override" 2>/dev/null
	[ "$(sysfs_driver "$addr")" = vfio-pci ] && echo "$addr" >$vfio/unbind
	[ "$orig" != null ] && [ "$(sysfs_driver "$addr")" = null ] &&
		echo "$addr" >/sys/bus/pci/drivers_probe 2>/dev/null
}

# The rest of the group and their drivers, for the diagnostics and for the
# ground truth of group-not-viable.
others=
host_bound=
for m in $(pci_names "/sys/kernel/iommu_groups/$group/devices"); do
	[ "$m" = "$addr" ] && continue
	others="$others $m($(sysfs_driver "$m"))"
	case $(sysfs_driver "$m") in
	null | pcieport | vfio-pci | pci-stub | uio_pci_generic | *-vfio-pci | *_vfio_pci) ;;
	*) host_bound="$host_bound $m" ;;
	esac
done

ktap_set_plan 5
ktap_diag "function $addr, driver $orig, IOMMU group $group ($(sysfs_group_type "$group")), others:${others:- none}"

audit_findings "$t/before"
monitor_start "$t/events" || ktap_diag "the monitor did not start"

# raised_all FILE: every finding of FILE (findings_of lines) was announced.
raised_all() {
	monitor_findings hazard-raise | sort -u >"$t/raised.ev"
	[ -z "$(lines_not_in "$1" "$t/raised.ev")" ]
}

cleared_all() {
	monitor_findings hazard-clear | sort -u >"$t/cleared.ev"
	[ -z "$(lines_not_in "$1" "$t/cleared.ev")" ]
}

# ---------------------------------------------------------------------
ktap_begin
[ "$orig" != null ] && echo "$addr" >"$dev/driver/unbind"
echo vfio-pci >"$dev/driver_override"
echo "$addr" >/sys/bus/pci/drivers_probe
ktap_expect "driver of $addr after drivers_probe" "$(sysfs_driver "$addr")" vfio-pci
ktap_end "$addr binds to vfio-pci"

ktap_begin
audit_findings "$t/bound"
lines_not_in "$t/bound.list" "$t/before.list" >"$t/added"
lines_not_in "$t/before.list" "$t/bound.list" >"$t/removed"
ktap_diag "added by the bind: $(tr '\n' ';' <"$t/added")"
ktap_checked=1
[ -s "$t/removed" ] && ktap_mismatch "the bind cleared findings: $(tr '\n' ';' <"$t/removed")"
# Ground truth for group-not-viable: a sibling still on a host driver.
if [ -n "$host_bound" ]; then
	grep -q "^group-not-viable high [^ ]* $group\$" "$t/added" ||
		ktap_mismatch "no group-not-viable for group $group although$host_bound stay(s) on host drivers"
else
	grep -q '^group-not-viable ' "$t/added" &&
		ktap_mismatch "group-not-viable although no other function of group $group is on a host driver"
fi
if [ $have_expect -eq 1 ] && [ -z "${PTHRU_TEST_VIABLE_DEV:-}" ]; then
	expect_resolve "$expect_bind_findings" >"$t/expected"
	findings_compare "$t/expected" "$t/added" >"$t/diff"
	while IFS= read -r line; do
		ktap_mismatch "$line"
	done <"$t/diff"
fi
ktap_end "the bind adds the expected findings"

ktap_begin
ktap_checked=1
wait_for 10 raised_all "$t/added" ||
	ktap_mismatch "added but never raised: $(lines_not_in "$t/added" "$t/raised.ev" | tr '\n' ';')"
ktap_end "each finding the bind added is announced by hazard-raise"

# ---------------------------------------------------------------------
ktap_begin
echo "$addr" >$vfio/unbind
echo >"$dev/driver_override"
[ "$orig" != null ] && echo "$addr" >/sys/bus/pci/drivers_probe
ktap_expect "driver of $addr at the end" "$(sysfs_driver "$addr")" "$orig"
ktap_checked=$((ktap_checked + 1))
wait_for 10 cleared_all "$t/added" ||
	ktap_mismatch "added but never cleared: $(lines_not_in "$t/added" "$t/cleared.ev" | tr '\n' ';')"
ktap_end "moving it back to $orig clears them with hazard-clear"

ktap_begin
audit_findings "$t/after"
ktap_expect "findings at the end" \
	"$(tr '\n' ';' <"$t/after.list")" "$(tr '\n' ';' <"$t/before.list")"
ktap_end "the audit is back to where it was"

monitor_stop
ktap_finished
