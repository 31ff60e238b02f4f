#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pthru's inventory against ground truth read here without it: every PCI
# function under /sys/bus/pci/devices is reported once, with the IOMMU
# group, group type, driver and topology sysfs shows, and the ACS, ATS,
# header and PCIe registers its config space holds (the capability lists
# are walked here, pthru's offsets are not trusted); every group with the
# members, type and reserved regions sysfs shows; the status counts.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

dev_keys="addr vendor device subsys_vendor subsys_device class driver group"
dev_keys="$dev_keys domain_type ats_supported ats_enabled untrusted"
dev_keys="$dev_keys external_facing acs_pos acs_cap acs_ctrl multifunction"
dev_keys="$dev_keys upstream pcie_type acs_ctrl_baseline isolation_group"
dev_keys="$dev_keys reach_count p2p_hop iommu sriov_pf sriov_vfs sriov_assumed"
group_keys="id domain_type isolated_msi members reserved_regions"
status_keys="schema version kernel_release iommu_present iommu_driver"
status_keys="$status_keys iommu_units default_passthrough intr_remap"
status_keys="$status_keys dev_count group_count generation"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
ktap_tmpdir
ktap_set_plan 23

t=$ktap_tmp
pthructl -j dev >"$t/dev.json" 2>"$t/dev.err" ||
	ktap_diag "pthructl -j dev failed: $(cat "$t/dev.err")"
pthructl -j group >"$t/group.json" 2>"$t/group.err" ||
	ktap_diag "pthructl -j group failed: $(cat "$t/group.err")"
pthructl -j status >"$t/status.json" 2>"$t/status.err" ||
	ktap_diag "pthructl -j status failed: $(cat "$t/status.err")"

# check_dump FILE HEAD: a dump is HEAD, one object per line with a comma
# after all but the last, then ]}.  Each object is saved, parsed, as
# $t/<prefix>.<key>, keyed by its first member, and its key list checked.
check_dump() {
	local file=$1 head=$2 keys=$3 prefix=$4 lines n=0 line key first

	first=${keys%% *}
	lines=$(($(wc -l <"$file")))
	[ "$lines" -ge 2 ] || { ktap_mismatch "$file: $lines lines"; return; }
	ktap_expect "first line" "$(head -n 1 "$file")" "$head"
	ktap_expect "last line" "$(tail -n 1 "$file")" "]}"
	json_dump_objects "$file" >"$t/objects"
	while IFS= read -r line; do
		n=$((n + 1))
		case $line in
		*,) [ $n -lt $((lines - 2)) ] ||
			ktap_mismatch "object $n: a comma after the last object" ;;
		*) [ $n -eq $((lines - 2)) ] ||
			ktap_mismatch "object $n: no comma after it" ;;
		esac
		json_vars "$prefix" "$line" >"$t/parsed"
		eval "${prefix}${first}="
		. "$t/parsed"
		eval "key=\${${prefix}_keys}"
		ktap_expect "keys of object $n" "$key" "$keys"
		eval "key=\${${prefix}${first}}"
		[ -n "$key" ] || continue
		mv "$t/parsed" "$t/$prefix.$key"
		printf '%s\n' "${line%,}" >"$t/$prefix.$key.line"
	done <"$t/objects"
}

# ---------------------------------------------------------------------
ktap_begin
check_dump "$t/dev.json" '{"schema":2,"source":"module","devices":[' "$dev_keys" dev_
ktap_end "dev dump is one object per line with the contract's keys"

ktap_begin
pci_addrs >"$t/sysfs.addrs"
sed -n 's/^{"addr":"\([^"]*\)".*/\1/p' "$t/objects" | sort >"$t/dump.addrs"
ktap_expect "number of functions" "$(($(wc -l <"$t/dump.addrs")))" \
	"$(($(wc -l <"$t/sysfs.addrs")))"
for a in $(sort "$t/dump.addrs" | uniq -d); do
	ktap_mismatch "$a is listed more than once"
done
for a in $(sort "$t/dump.addrs" "$t/dump.addrs" "$t/sysfs.addrs" | uniq -u); do
	ktap_mismatch "$a is in sysfs but not in the dump"
done
for a in $(sort "$t/sysfs.addrs" "$t/sysfs.addrs" "$t/dump.addrs" | uniq -u); do
	ktap_mismatch "$a is in the dump but not in sysfs"
done
ktap_end "dev dump lists every PCI function once"

# Each per-field test below walks the functions sysfs lists; one the dump
# lacks was reported above and is skipped here.
for_each_dev() {
	local a

	for a in $(cat "$t/sysfs.addrs"); do
		[ -f "$t/dev_.$a" ] || continue
		. "$t/dev_.$a"
		"$@" "$a"
	done
}

check_ids() {
	ktap_expect "$1 vendor" "$dev_vendor" "$(sysfs_hex "$1" vendor)"
	ktap_expect "$1 device" "$dev_device" "$(sysfs_hex "$1" device)"
	ktap_expect "$1 subsys_vendor" "$dev_subsys_vendor" \
		"$(sysfs_hex "$1" subsystem_vendor)"
	ktap_expect "$1 subsys_device" "$dev_subsys_device" \
		"$(sysfs_hex "$1" subsystem_device)"
	ktap_expect "$1 class" "$dev_class" "$(sysfs_hex "$1" class)"
}
ktap_begin
for_each_dev check_ids
ktap_end "vendor, device, subsystem and class match sysfs"

check_group() {
	ktap_expect "$1 group" "$dev_group" "$(sysfs_group "$1")"
}
ktap_begin
for_each_dev check_group
ktap_end "IOMMU group matches sysfs"

check_domain() {
	local g

	g=$(sysfs_group "$1")
	if [ "$g" = null ]; then
		ktap_expect "$1 domain_type (no group)" "$dev_domain_type" none
	else
		ktap_expect "$1 domain_type" "$dev_domain_type" "$(sysfs_group_type "$g")"
	fi
}
ktap_begin
for_each_dev check_domain
ktap_end "domain type matches the group's sysfs type"

check_driver() {
	ktap_expect "$1 driver" "$dev_driver" "$(sysfs_driver "$1")"
}
ktap_begin
for_each_dev check_driver
ktap_end "driver matches sysfs"

check_acs() {
	local pos

	pos=$(cfg_find_ext "$1" $PCI_EXT_CAP_ID_ACS)
	if [ "$pos" -eq 0 ]; then
		ktap_expect "$1 acs_pos" "$dev_acs_pos" null
		ktap_expect "$1 acs_cap" "$dev_acs_cap" null
		ktap_expect "$1 acs_ctrl" "$dev_acs_ctrl" null
	else
		ktap_expect "$1 acs_pos" "$dev_acs_pos" "$pos"
		ktap_expect "$1 acs_cap" "$dev_acs_cap" \
			"$(printf %04x "$(cfg_read "$1" $((pos + 4)) 2)")"
		ktap_expect "$1 acs_ctrl" "$dev_acs_ctrl" \
			"$(printf %04x "$(cfg_read "$1" $((pos + 6)) 2)")"
		acs_seen=$((acs_seen + 1))
	fi
}
ktap_begin
acs_seen=0
for_each_dev check_acs
ktap_diag "$acs_seen function(s) with an ACS capability"
ktap_end "ACS capability and control match config space"

check_ats() {
	local pos

	pos=$(cfg_find_ext "$1" $PCI_EXT_CAP_ID_ATS)
	if [ "$pos" -eq 0 ]; then
		ktap_expect "$1 ats_supported" "$dev_ats_supported" false
		ktap_expect "$1 ats_enabled" "$dev_ats_enabled" false
	else
		ktap_expect "$1 ats_supported" "$dev_ats_supported" true
		if [ $(($(cfg_read "$1" $((pos + 6)) 2) & 0x8000)) -ne 0 ]; then
			ktap_expect "$1 ats_enabled" "$dev_ats_enabled" true
		else
			ktap_expect "$1 ats_enabled" "$dev_ats_enabled" false
		fi
	fi
}
ktap_begin
for_each_dev check_ats
ktap_end "ATS capability and enable match config space"

# The kernel's rule (pci_scan_slot): functions above 0 belong to a
# multifunction device; function 0 does when its header type says so.
# An SR-IOV virtual function (a physfn link) is not scanned: the kernel
# takes its header type alone (pci_setup_device).
check_multifunction() {
	if { [ "${1##*.}" != 0 ] && [ ! -e "$pci_devices/$1/physfn" ]; } ||
	   [ $(($(cfg_read "$1" 14 1) & 0x80)) -ne 0 ]; then
		ktap_expect "$1 multifunction" "$dev_multifunction" true
	else
		ktap_expect "$1 multifunction" "$dev_multifunction" false
	fi
}
ktap_begin
for_each_dev check_multifunction
ktap_end "multifunction matches the header type and function number"

# SR-IOV from sysfs: a PF has sriov_numvfs, a VF a physfn link.
check_sriov() {
	local d=$pci_devices/$1

	if [ -e "$d/physfn" ]; then
		ktap_expect "$1 sriov_pf" "$dev_sriov_pf" "$(basename "$(readlink "$d/physfn")")"
		ktap_expect "$1 sriov_vfs" "$dev_sriov_vfs" null
	elif [ -f "$d/sriov_numvfs" ]; then
		ktap_expect "$1 sriov_pf" "$dev_sriov_pf" "$1"
		ktap_expect "$1 sriov_vfs" "$dev_sriov_vfs" "$(cat "$d/sriov_numvfs")"
	else
		ktap_expect "$1 sriov_pf" "$dev_sriov_pf" null
		ktap_expect "$1 sriov_assumed" "$dev_sriov_assumed" null
	fi
}
ktap_begin
for_each_dev check_sriov
ktap_end "SR-IOV PF and VF links match sysfs (physfn, sriov_numvfs)"

check_upstream() {
	ktap_expect "$1 upstream" "$dev_upstream" "$(sysfs_upstream "$1")"
}
ktap_begin
for_each_dev check_upstream
ktap_end "upstream bridge matches the sysfs topology"

# PCI Express device/port type (PCIe capability register bits 7:4).
pcie_type_name() {
	case $1 in
	0) echo endpoint ;;
	1) echo legacy-endpoint ;;
	4) echo root-port ;;
	5) echo upstream-port ;;
	6) echo downstream-port ;;
	7) echo pcie-to-pci-bridge ;;
	8) echo pci-to-pcie-bridge ;;
	9) echo rc-integrated ;;
	10) echo rc-event-collector ;;
	*) echo "type-$1" ;;
	esac
}
check_pcie_type() {
	local pos

	pos=$(cfg_find_cap "$1" $PCI_CAP_ID_EXP)
	if [ "$pos" -eq 0 ]; then
		ktap_expect "$1 pcie_type" "$dev_pcie_type" null
	else
		ktap_expect "$1 pcie_type" "$dev_pcie_type" \
			"$(pcie_type_name $((($(cfg_read "$1" $((pos + 2)) 2) >> 4) & 0xf)))"
	fi
}
ktap_begin
for_each_dev check_pcie_type
ktap_end "PCIe type matches the PCIe capability"

# ---------------------------------------------------------------------
# Groups: the ones PCI functions are in, per sysfs.
for a in $(cat "$t/sysfs.addrs"); do
	sysfs_group "$a"
done | grep -v '^null$' | sort -n | uniq >"$t/sysfs.groups"

ktap_begin
check_dump "$t/group.json" '{"schema":2,"source":"module","groups":[' "$group_keys" grp_
sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$t/objects" | sort -n >"$t/dump.groups"
for g in $(sort -n "$t/dump.groups" | uniq -d); do
	ktap_mismatch "group $g is listed more than once"
done
for g in $(sort "$t/dump.groups" "$t/dump.groups" "$t/sysfs.groups" | uniq -u); do
	ktap_mismatch "group $g has PCI functions in sysfs but is not in the dump"
done
for g in $(sort "$t/sysfs.groups" "$t/sysfs.groups" "$t/dump.groups" | uniq -u); do
	ktap_mismatch "group $g is in the dump but no PCI function is in it"
done
ktap_end "group dump lists every IOMMU group of a PCI function once"

for_each_group() {
	local g

	for g in $(cat "$t/sysfs.groups"); do
		[ -f "$t/grp_.$g" ] || continue
		. "$t/grp_.$g"
		"$@" "$g"
	done
}

check_members() {
	ktap_expect "group $1 members" \
		"$(json_strings "$grp_members" | tr ' ' '\n' | sort | tr '\n' ' ')" \
		"$(pci_names "/sys/kernel/iommu_groups/$1/devices" | sort | tr '\n' ' ')"
}
ktap_begin
for_each_group check_members
ktap_end "group members match sysfs"

check_group_type() {
	ktap_expect "group $1 domain_type" "$grp_domain_type" "$(sysfs_group_type "$1")"
}
ktap_begin
for_each_group check_group_type
ktap_end "group domain type matches sysfs"

# "0x00000000fee00000" -> "fee00000": compare numbers as text, any width.
hex_norm() {
	sed -E 's/0x0*([0-9a-fA-F])/\1/g' | tr 'A-F' 'a-f'
}
check_regions() {
	local got want

	# [{"start":"0x..","end":"0x..","type":"msi"},...] -> "start end type"
	# lines; sysfs names software MSI windows "msi" too.
	got=$(printf '%s\n' "$grp_reserved_regions" | sed 's/},{/}\n{/g' |
		sed -n -E 's/.*"start":"([^"]*)","end":"([^"]*)","type":"([^"]*)".*/\1 \2 \3/p' |
		sed 's/ sw-msi$/ msi/' | hex_norm | sort | tr '\n' ';')
	want=$(hex_norm <"/sys/kernel/iommu_groups/$1/reserved_regions" |
		sort | tr '\n' ';')
	ktap_expect "group $1 reserved regions" "$got" "$want"
}
ktap_begin
for_each_group check_regions
ktap_end "group reserved regions match sysfs"

# ---------------------------------------------------------------------
ktap_begin
status=$(head -n 1 "$t/status.json")
json_load st_ "$status"
ktap_expect "status keys" "$st__keys" "$status_keys"
ktap_expect "status lines" "$(($(wc -l <"$t/status.json")))" 1
ktap_expect "schema" "$st_schema" 2
ktap_expect "dev_count" "$st_dev_count" "$(($(wc -l <"$t/sysfs.addrs")))"
ktap_expect "group_count" "$st_group_count" "$(($(wc -l <"$t/sysfs.groups")))"
ktap_end "status counts match sysfs"

# IOMMU units that translate at least one PCI function.
iommu_units=0
iommu_kind=
for u in /sys/class/iommu/*; do
	[ -d "$u/devices" ] || continue
	[ -n "$(pci_names "$u/devices")" ] || continue
	iommu_units=$((iommu_units + 1))
	case ${u##*/} in
	dmar*) iommu_kind=intel-vtd ;;
	ivhd*) iommu_kind=amd-vi ;;
	esac
done
# Default domains of the groups: all DMA/DMA-FQ means no passthrough
# default, all identity means one.
types=$(for g in $(cat "$t/sysfs.groups"); do sysfs_group_type "$g"; done | sort -u | tr '\n' ' ')
ktap_begin
ktap_expect "kernel_release" "$st_kernel_release" "$(uname -r)"
ktap_expect "iommu_present" "$st_iommu_present" true
ktap_expect "iommu_units" "$st_iommu_units" "$iommu_units"
[ -n "$iommu_kind" ] && ktap_expect "iommu_driver" "$st_iommu_driver" "$iommu_kind"
case " $types" in
*" identity "*) [ "$types" = "identity " ] &&
	ktap_expect "default_passthrough (groups: $types)" "$st_default_passthrough" true ;;
*" DMA"*) ktap_expect "default_passthrough (groups: $types)" "$st_default_passthrough" false ;;
esac
ktap_end "status describes this kernel and its IOMMU"

# Interrupt remapping is "yes" exactly when every group has isolated MSI.
ktap_begin
all_isolated=yes
for g in $(cat "$t/sysfs.groups"); do
	[ -f "$t/grp_.$g" ] || continue
	. "$t/grp_.$g"
	case $grp_isolated_msi in
	yes) ;;
	no | unknown) all_isolated=no ;;
	*) ktap_mismatch "group $g isolated_msi '$grp_isolated_msi' is not yes/no/unknown" ;;
	esac
done
ktap_expect "intr_remap" "$st_intr_remap" "$all_isolated"
ktap_end "intr_remap agrees with every group's isolated_msi"

# Every function's domain type is its group's.
check_dev_vs_group() {
	[ "$dev_group" = null ] && return
	[ -f "$t/grp_.$dev_group" ] || return
	local dt=$dev_domain_type

	. "$t/grp_.$dev_group"
	ktap_expect "$1 domain_type vs group $dev_group" "$dt" "$grp_domain_type"
	case " $(json_strings "$grp_members") " in
	*" $1 "*) ;;
	*) ktap_mismatch "$1 is not a member of its group $dev_group in the group dump" ;;
	esac
}
ktap_begin
for_each_dev check_dev_vs_group
ktap_end "dev and group dumps agree on membership and domain type"

# The documents read above, against their JSON Schemas.
json_schema_check status "$t/status.json"
json_schema_check dev "$t/dev.json"
json_schema_check group "$t/group.json"

ktap_finished
