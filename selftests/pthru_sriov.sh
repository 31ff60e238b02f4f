#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# SR-IOV as one multi-function device (PCIe r6.0, 6.12.1.2): a PF and its
# VFs, as VFs come and go through sriov_numvfs.  pthru must name the PF on
# every function of the device, say whether the isolation inside it is
# read from ACS registers or assumed, keep the VF count current, and raise
# nothing for an assumption it makes visible.  The subject is the first
# function with an SR-IOV capability (QEMU's NVMe controller with
# sriov_max_vfs in the amdvi profile); its VFs are not bound to a driver
# (sriov_drivers_autoprobe=0): QEMU's VFs stay offline until the PF's
# driver brings them up with NVMe virtualization commands.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154,SC2034 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool

pf=
for d in "$pci_devices"/*; do
	[ -f "$d/sriov_totalvfs" ] || continue
	pf=${d##*/}
	break
done
[ -n "$pf" ] ||
	ktap_skip_all "no function with an SR-IOV capability in this guest (the amdvi profile has one: QEMU NVMe with sriov_max_vfs)"

ktap_tmpdir
nvfs=2
total=$(cat "$pci_devices/$pf/sriov_totalvfs")
[ "$total" -ge $nvfs ] || nvfs=$total
autoprobe=$(cat "$pci_devices/$pf/sriov_drivers_autoprobe")
# The profile may have created VFs at boot (its expectations list them):
# the test starts from none and leaves the PF as it found it.
numvfs0=$(cat "$pci_devices/$pf/sriov_numvfs")
ktap_cleanup_hook() {
	echo 0 >"$pci_devices/$pf/sriov_numvfs" 2>/dev/null
	echo "$autoprobe" >"$pci_devices/$pf/sriov_drivers_autoprobe"
	[ "$numvfs0" -gt 0 ] &&
		echo "$numvfs0" >"$pci_devices/$pf/sriov_numvfs"
}
if [ "$numvfs0" -gt 0 ]; then
	echo 0 >"$pci_devices/$pf/sriov_numvfs" ||
		ktap_skip_all "$pf has $numvfs0 VFs and refuses to remove them"
	ktap_diag "$pf had $numvfs0 VFs; removed for the test, restored after it"
fi

ktap_set_plan 6
ktap_diag "PF under test: $pf ($(sysfs_hex "$pf" vendor):$(sysfs_hex "$pf" device), driver $(sysfs_driver "$pf"), $total VFs at most)"

# dev_load PREFIX ADDR: the device object of ADDR.
dev_load() {
	json_load "$1" "$(pthructl -j dev show "$2")"
}

# The PF's own ACS capability decides whether the isolation is assumed.
if [ "$(cfg_find_ext "$pf" "$PCI_EXT_CAP_ID_ACS")" != 0 ]; then
	want_assumed=false
else
	want_assumed=true
fi

# 1. Without VFs: the PF is named, it has 0 VFs.
ktap_begin
dev_load p_ "$pf"
ktap_expect "PF sriov_pf" "$p_sriov_pf" "$pf"
ktap_expect "PF sriov_vfs" "$p_sriov_vfs" 0
ktap_expect "PF sriov_assumed" "$p_sriov_assumed" "$want_assumed"
reach0=$p_reach_count
hop0=$p_p2p_hop
ktap_end "the PF without VFs: sriov_pf names itself, sriov_vfs 0, sriov_assumed by its ACS capability"

# 2. Enable VFs: they appear in the inventory, named after the PF.
vfs_present() {
	local vf n=0

	for vf in "$pci_devices/$pf"/virtfn*; do
		[ -e "$vf" ] || continue
		vf=$(readlink "$vf")
		pthructl -j dev | grep -q "^{\"addr\":\"${vf##*/}\"" || return 1
		n=$((n + 1))
	done
	[ "$n" -eq "$nvfs" ]
}

ktap_begin
echo 0 >"$pci_devices/$pf/sriov_drivers_autoprobe"
if ! echo "$nvfs" >"$pci_devices/$pf/sriov_numvfs"; then
	ktap_mismatch "writing $nvfs to $pf/sriov_numvfs failed (driver $(sysfs_driver "$pf"))"
fi
ktap_checked=1
wait_for 20 vfs_present ||
	ktap_mismatch "the $nvfs VFs did not all appear in pthructl dev within 20 s"
vfs=
for vf in "$pci_devices/$pf"/virtfn*; do
	[ -e "$vf" ] || continue
	vf=$(readlink "$vf")
	vfs="$vfs ${vf##*/}"
done
ktap_diag "VFs:$vfs"
dev_load p_ "$pf"
ktap_expect "PF sriov_vfs" "$p_sriov_vfs" "$nvfs"
for vf in $vfs; do
	dev_load v_ "$vf"
	ktap_expect "$vf sriov_pf" "$v_sriov_pf" "$pf"
	ktap_expect "$vf sriov_vfs" "$v_sriov_vfs" null
	ktap_expect "$vf sriov_assumed" "$v_sriov_assumed" "$want_assumed"
	ktap_diag "$vf: IOMMU group $(sysfs_group "$vf") (PF: $(sysfs_group "$pf")), acs_pos $v_acs_pos"
done
ktap_end "with $nvfs VFs: each VF names the PF, the PF counts them"

# 3. check names the PF and says what is assumed.
ktap_begin
vf=${vfs# }
vf=${vf%% *}
out=$(pthructl check "$vf")
line=$(printf '%s\n' "$out" | grep '^sr-iov: ')
if [ "$want_assumed" = true ]; then
	ktap_expect "check sr-iov line" "$line" \
		"sr-iov: a function of the SR-IOV device of PF $pf; isolation between the PF and its VFs is assumed (no ACS capability governs it)"
else
	ktap_expect "check sr-iov line" "$line" \
		"sr-iov: a function of the SR-IOV device of PF $pf; isolation between the PF and its VFs is read from ACS registers"
fi
json_load c_ "$(pthructl -j check "$vf")"
ktap_expect "check JSON sriov" "$c_sriov" "{\"pf\":\"$pf\",\"assumed\":$want_assumed}"
ktap_end "check on a VF names its PF and whether the isolation is assumed"

# 4. An assumption made visible raises nothing; registers that isolate
# neither.  Only with flags off would PF and VFs reach each other.
ktap_begin
pthructl -j audit >/dev/null
addrs=$(echo "$pf$vfs" | tr ' ' '|')
findings=$(pthructl -j hazard | grep -E "\"addr\":\"($addrs)\"" |
	grep -E '"name":"(acs-missing|group-narrower|topology-unknown)"')
ktap_expect "isolation findings about the PF and its VFs" "$findings" ""
for vf in $vfs; do
	dev_load v_ "$vf"
	ktap_expect "$vf reach_count" "$v_reach_count" 0
done
ktap_end "no isolation finding for the PF and its VFs (the device's ACS says none, or the assumption is shown)"

# 5. Remove the VFs: they leave the inventory, the count follows.
vfs_gone() {
	local vf

	for vf in $vfs; do
		pthructl -j dev | grep -q "^{\"addr\":\"$vf\"" && return 1
	done
	return 0
}

ktap_begin
echo 0 >"$pci_devices/$pf/sriov_numvfs"
ktap_checked=1
wait_for 20 vfs_gone || ktap_mismatch "VFs still in pthructl dev after 20 s"
dev_load p_ "$pf"
ktap_expect "PF sriov_vfs" "$p_sriov_vfs" 0
ktap_end "removing the VFs takes them out of the inventory and the PF counts 0"

# 6. Without VFs the PF is back where it started: no open function hop.
ktap_begin
dev_load p_ "$pf"
ktap_expect "PF reach_count" "$p_reach_count" "$reach0"
ktap_expect "PF p2p_hop" "$p_p2p_hop" "$hop0"
ktap_end "the PF without VFs reaches what it reached before the VFs"

ktap_finished
