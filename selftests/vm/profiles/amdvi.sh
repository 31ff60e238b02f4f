# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2054,SC2016 # read by lib.sh; commas are QEMU's; profile_setup runs in the guest
#
# Profile "amdvi": QEMU's AMD-Vi (amd-iommu, interrupt remapping on) with
# the topology corners of issue 12: an ACS-less switch, a conventional
# function below a root port and one below an ACS-less downstream port, a
# PCIe-to-PCI bridge with two conventional functions on its shared bus, a
# root-complex integrated endpoint, an NVMe controller with SR-IOV and a
# pxb-pcie expander host bridge with a root port.  Sourced by lib.sh.
#
#   00:00.0 host bridge            00:1f.x LPC/SATA/SMBus (q35, multifunction)
#   00:01.0 AMD IOMMU (class 0x0806, created by amd-iommu)
#   00:02.0 root port (ACS) ------ 01:00.0 e1000e
#   00:03.0 root port (ACS) ------ 02:00.0 switch upstream port
#                                    03:00.0 downstream port (no ACS) -- 04:00.0 virtio-rng
#                                    03:01.0 downstream port (no ACS) -- 05:00.0 pci-testdev (conventional)
#   00:04.0 root port (ACS) ------ 06:00.0 pci-testdev (conventional)
#   00:05.0 PCIe-to-PCI bridge --- 07:01.0 pci-testdev  } one conventional
#                                  07:02.0 virtio-rng   } bus
#   00:06.0 NVMe, a root-complex integrated endpoint with SR-IOV: its
#   00:06.1 two virtual functions, created at boot (profile_setup)
#   00:06.2
#   00:07.0 edu (DMA engine behind the IOMMU; the hotplug and vfio subject)
#   00:08.0 pxb-pcie (host bridge of root bus 80)
#           80:00.0 root port (ACS) -- 81:00.0 virtio-rng
#
# amdvi.expect says what the isolation audit must find here.
#
# QEMU 7.2's AMD-Vi translates DMA only for functions on a root bus (00 or
# an expander's): it keys a function's requester ID to the bus number the
# bus had when the function was created, before the firmware numbered the
# buses, so a function below a bridge is translated with the device table
# entry of 00:<devfn>
# (trace amdvi_translation_result: "devid: 00:00.0" for an NVMe at 08:00.0,
# whose admin commands then time out).  Interrupt remapping takes the
# requester ID of each write and works everywhere.  So every function
# whose DMA the guest uses (edu, the NVMe, whose driver must work for its
# virtual functions to be created) sits on bus 00; those below bridges are there for the topology audit only.

profile_about="AMD-Vi, ACS-less switch, conventional functions, PCIe-to-PCI bridge, RCiEP, NVMe SR-IOV, pxb-pcie"

# One vCPU: under TCG a second one costs more than it gives (every
# fork, exec and munmap of the shell scripts flushes both vCPUs' TLBs),
# and two guests at a time keep both cores busy.  acs keeps two, for the
# tests whose races need a second CPU.
profile_smp=1

# Debian's kernels turn AMD-Vi on whenever the firmware has an IVRS table.
# Its default domains are strict (DMA) here: the kernel sees QEMU's
# NpCache capability ("AMD-Vi: Using strict mode due to virtualization").
# pthru_map_reload.sh's reloads: 20 here, 100 in acs (CI time).
profile_append="pthru.map_reloads=20"

profile_modules="virtio_pci virtio-rng e1000e nvme vfio-pci vfio_iommu_type1"

# amd-iommu takes the first free slot of pcie.0 (00:01.0), so it comes
# first and everything else names its slot.
profile_qemu=(
	-device amd-iommu,intremap=on
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x2,chassis=1
	-device e1000e,bus=rp1,romfile=
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x3,chassis=2
	-device x3130-upstream,id=swup,bus=rp2
	-device xio3130-downstream,id=swdp1,bus=swup,chassis=3,slot=0
	-device virtio-rng-pci,bus=swdp1,disable-legacy=on
	-device xio3130-downstream,id=swdp2,bus=swup,chassis=4,slot=1
	-device pci-testdev,bus=swdp2
	-device pcie-root-port,id=rp3,bus=pcie.0,addr=0x4,chassis=5
	-device pci-testdev,bus=rp3
	-device pcie-pci-bridge,id=pbr,bus=pcie.0,addr=0x5
	-device pci-testdev,bus=pbr,addr=0x1
	-device virtio-rng-pci,bus=pbr,addr=0x2
	-device nvme-subsys,id=nvsub
	-device nvme,bus=pcie.0,addr=0x6,serial=pthru-sriov,subsys=nvsub,sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2
	-device edu,bus=pcie.0,addr=0x7
	-device pxb-pcie,id=pxb,bus_nr=0x80,bus=pcie.0,addr=0x8
	-device pcie-root-port,id=rp5,bus=pxb,addr=0x0,chassis=7
	-device virtio-rng-pci,bus=rp5,disable-legacy=on
)

# Create the NVMe controller's two virtual functions before pthru.ko loads,
# so the audit sees them from the start.  They stay without a driver: the
# secondary controllers are offline until an NVMe Virtualization
# Management command brings them up, and the nvme driver would wait for
# them to become ready.
profile_setup='
for f in /sys/bus/pci/devices/*; do
	[ -f "$f/sriov_numvfs" ] && [ "$(cat "$f/vendor"):$(cat "$f/device")" = 0x1b36:0x0010 ] || continue
	echo 0 >"$f/sriov_drivers_autoprobe"
	echo 2 >"$f/sriov_numvfs" && echo "pthru-vm: ${f##*/}: 2 SR-IOV virtual functions"
done
'
