#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PCI hot remove and rescan: removing a function sends a dev-del event
# for it and takes it out of the inventory; a rescan sends dev-add and
# puts it back.  Events are read from "pthructl -j monitor" running in the
# background.  Removing a device is only safe for one nothing depends
# on: the QEMU edu device (1234:11e8), or the one named by PTHRU_TEST_DEV.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154,SC2034 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool

addr=${PTHRU_TEST_DEV:-$(pci_find_device 0x1234 0x11e8)}
[ -n "$addr" ] ||
	ktap_skip_all "no device that is safe to remove (QEMU edu, or set PTHRU_TEST_DEV=ADDR)"
[ -d "$pci_devices/$addr" ] || ktap_skip_all "PTHRU_TEST_DEV=$addr does not exist"

ktap_tmpdir
t=$ktap_tmp
removed=0
ktap_cleanup_hook() {
	monitor_stop
	[ $removed -eq 1 ] && [ ! -d "$pci_devices/$addr" ] &&
		echo 1 >/sys/bus/pci/rescan
}

ktap_set_plan 7
ktap_diag "device under test: $addr ($(sysfs_hex "$addr" vendor):$(sysfs_hex "$addr" device))"
vendor=$(sysfs_hex "$addr" vendor)
device=$(sysfs_hex "$addr" device)
class=$(sysfs_hex "$addr" class)

generation() {
	pthructl -j status | sed -n 's/.*"generation":\([0-9]*\).*/\1/p'
}

in_dump() {
	pthructl -j dev | grep -q "^{\"addr\":\"$1\""
}

gone() {
	[ ! -d "$pci_devices/$addr" ] && monitor_has dev-del "$addr"
}

back() {
	[ -d "$pci_devices/$addr" ] && monitor_has dev-add "$addr"
}

# event_identity EVENT: the device object of the first EVENT for addr
# names the same function sysfs did.
event_identity() {
	local line

	line=$(grep "^{\"event\":\"$1\",\"dev\":{\"addr\":\"$addr\"" "$monitor_file" | head -n 1)
	json_load ev_ "$line"
	ktap_expect "$1 event keys" "$ev__keys" "event dev"
	json_load evdev_ "$ev_dev"
	ktap_expect "$1 vendor" "$evdev_vendor" "$vendor"
	ktap_expect "$1 device" "$evdev_device" "$device"
	ktap_expect "$1 class" "$evdev_class" "$class"
}

monitor_start "$t/events" || ktap_diag "the monitor did not start"
gen0=$(generation)

# 1. remove -> dev-del
ktap_begin
removed=1
echo 1 >"$pci_devices/$addr/remove"
ktap_checked=1
wait_for 20 gone || ktap_mismatch "no dev-del event for $addr within 20 s" \
	"(events: $(tr '\n' ' ' <"$t/events"))"
ktap_end "removing the device sends dev-del for it"

# 2. the inventory follows
ktap_begin
pthructl -j dev show "$addr" >/dev/null 2>"$t/err"
ktap_expect "exit status of 'pthructl -j dev show $addr' after remove" $? 2
in_dump "$addr" && ktap_mismatch "$addr is still in the dev dump"
gen1=$(generation)
[ "${gen1:-0}" -gt "${gen0:-0}" ] ||
	ktap_mismatch "generation did not advance on remove ($gen0 -> $gen1)"
ktap_end "the removed device leaves the inventory"

# 3. rescan -> dev-add
ktap_begin
echo 1 >/sys/bus/pci/rescan
ktap_checked=1
wait_for 20 back || ktap_mismatch "no dev-add event for $addr within 20 s" \
	"(events: $(tr '\n' ' ' <"$t/events"))"
removed=0
ktap_end "a rescan sends dev-add for it"

# 4. the inventory follows
ktap_begin
pthructl -j dev show "$addr" >"$t/show" 2>"$t/err"
ktap_expect "exit status of 'pthructl -j dev show $addr' after rescan" $? 0
json_load d_ "$(cat "$t/show")"
ktap_expect "group after rescan" "$d_group" "$(sysfs_group "$addr")"
ktap_expect "driver after rescan" "$d_driver" "$(sysfs_driver "$addr")"
in_dump "$addr" || ktap_mismatch "$addr is not back in the dev dump"
gen2=$(generation)
[ "${gen2:-0}" -gt "${gen1:-0}" ] ||
	ktap_mismatch "generation did not advance on rescan ($gen1 -> $gen2)"
ktap_end "the rescanned device is back in the inventory"

# 5. events name the function
ktap_begin
event_identity dev-del
event_identity dev-add
ktap_end "dev-del and dev-add events carry the device's identity"

# 6. and nothing else disappeared or appeared for good
ktap_begin
ktap_expect "functions in the dev dump after rescan" \
	"$(pthructl -j dev | grep -c '^{"addr"')" "$(ls "$pci_devices" | wc -l | tr -d ' ')"
ktap_end "the dev dump and sysfs agree after remove and rescan"

monitor_stop

# Every event line (dev-add, dev-del), against its JSON Schema.
json_schema_check monitor "$t/events"

ktap_finished
