#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Driver binding: moving a function to vfio-pci (driver_override and
# drivers_probe) and back sends dev-unbind/dev-bind events naming the
# driver, and the inventory's driver follows sysfs at each step.  Only a
# device nothing depends on is moved: the QEMU edu device (1234:11e8), or
# the one named by PTHRU_TEST_BIND_DEV.  It is left with the driver it had.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool

addr=${PTHRU_TEST_BIND_DEV:-$(pci_find_device 0x1234 0x11e8)}
[ -n "$addr" ] ||
	ktap_skip_all "no device that is safe to rebind (QEMU edu, or set PTHRU_TEST_BIND_DEV=ADDR)"
[ -d "$pci_devices/$addr" ] || ktap_skip_all "PTHRU_TEST_BIND_DEV=$addr does not exist"
vfio=/sys/bus/pci/drivers/vfio-pci
[ -d $vfio ] || modprobe vfio-pci 2>/dev/null
[ -d $vfio ] || ktap_skip_all "the vfio-pci driver is not available"

ktap_tmpdir
t=$ktap_tmp
dev=$pci_devices/$addr
orig=$(sysfs_driver "$addr")
ktap_cleanup_hook() {
	monitor_stop
	# Leave the device as it was found, whatever failed.
	echo >"$dev/driver_override" 2>/dev/null
	[ "$(sysfs_driver "$addr")" = vfio-pci ] && echo "$addr" >$vfio/unbind
	[ "$orig" != null ] && [ "$(sysfs_driver "$addr")" = null ] &&
		echo "$addr" >/sys/bus/pci/drivers_probe 2>/dev/null
}

ktap_set_plan 6
ktap_diag "device under test: $addr, driver $orig, group $(sysfs_group "$addr")"

# inventory_driver_is DRIVER: pthru reports DRIVER (or null) for addr.
inventory_driver_is() {
	local out

	out=$(pthructl -j dev show "$addr" 2>&1)
	json_load d_ "$out"
	ktap_expect "inventory driver of $addr" "$d_driver" "$1"
}

# event_seen EVENT DRIVER: an EVENT for addr whose object names DRIVER.
event_seen() {
	grep "^{\"event\":\"$1\",\"dev\":{\"addr\":\"$addr\"" "$monitor_file" |
		grep -q "\"driver\":$2[,}]"
}

# expect_event EVENT DRIVER
expect_event() {
	local want=\"$2\"

	[ "$2" = null ] && want=null
	ktap_checked=$((ktap_checked + 1))
	wait_for 20 event_seen "$1" "$want" ||
		ktap_mismatch "no $1 event for $addr naming driver $2 within 20 s" \
			"(events: $(tr '\n' ' ' <"$monitor_file"))"
}

monitor_start "$t/events" || ktap_diag "the monitor did not start"

# 1. release the host driver, if any, and bind vfio-pci
ktap_begin
if [ "$orig" != null ]; then
	echo "$addr" >"$dev/driver/unbind"
	expect_event dev-unbind "$orig"
fi
echo vfio-pci >"$dev/driver_override"
echo "$addr" >/sys/bus/pci/drivers_probe
ktap_expect "sysfs driver after drivers_probe" "$(sysfs_driver "$addr")" vfio-pci
expect_event dev-bind vfio-pci
ktap_end "binding to vfio-pci sends dev-bind naming vfio-pci"

ktap_begin
inventory_driver_is vfio-pci
ktap_end "the inventory shows vfio-pci as the driver"

# 2. unbind vfio-pci
ktap_begin
echo "$addr" >$vfio/unbind
ktap_expect "sysfs driver after unbind" "$(sysfs_driver "$addr")" null
expect_event dev-unbind vfio-pci
ktap_end "unbinding vfio-pci sends dev-unbind naming vfio-pci"

ktap_begin
inventory_driver_is null
ktap_end "the inventory shows no driver after the unbind"

# 3. back to the driver it had
ktap_begin
echo >"$dev/driver_override"
ktap_expect "driver_override after clearing" "$(cat "$dev/driver_override")" "(null)"
if [ "$orig" != null ]; then
	echo "$addr" >/sys/bus/pci/drivers_probe
	expect_event dev-bind "$orig"
fi
ktap_expect "sysfs driver at the end" "$(sysfs_driver "$addr")" "$orig"
inventory_driver_is "$orig"
ktap_end "the device is back with the driver it had ($orig)"

monitor_stop

# Every event line (dev-bind, dev-unbind), against its JSON Schema.
json_schema_check monitor "$t/events"

ktap_finished
