# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2054 # read by lib.sh; commas are QEMU's
#
# Profile "acs": an IOMMU in caching mode (strict "DMA" domains, VFIO works
# in the guest) and a topology with every kind of isolation boundary pthru
# reports on.  Sourced by selftests/vm/lib.sh.
#
#   00:00.0 host bridge            00:1f.x LPC/SATA/SMBus (q35, multifunction)
#   00:02.0 root port (ACS) ------ 01:00.0 virtio-net, ATS (device-iotlb)
#   00:03.0 root port (ACS) ------ 02:00.0 switch upstream port
#                                    03:00.0 downstream port (no ACS) -- 04:00.0 e1000e
#                                    03:01.0 downstream port (no ACS) -- 05:00.0 virtio-rng
#   00:04.0 root port (ACS) ------ 06:00.0 e1000e      } one multifunction
#                                  06:00.1 virtio-rng  } device, no ACS
#   00:05.0 edu (DMA engine behind the IOMMU; the hotplug and vfio subject)
#
# The bus numbers are what the guest assigns, the same every boot.  Only
# acs.expect (what the isolation audit must find) names them, and the tests
# check its expect_topology before relying on it.

# Debian's promtool judges the node_exporter feed here (pthru_prometheus.sh);
# the other profiles run the feed's checks without it.
profile_promtool=yes

profile_about="caching-mode IOMMU, ACS root ports, ACS-less switch, multifunction, ATS, edu"

# VT-d is off unless asked for on these kernels.  pthru_map_reload.sh
# reloads 50 times here (the others 20): about 140 s of a 750 s guest for
# the other 50 were more than the CI budget could keep.  VM_APPEND or the
# test's own default (100, PTHRU_MAP_RELOADS) gives more.
profile_append="intel_iommu=on pthru.map_reloads=50"

# Guest drivers for the devices above; vfio-pci for the bind tests.
profile_modules="virtio_pci virtio_net virtio-rng e1000e vfio-pci vfio_iommu_type1"

# The IOMMU must be created before any PCI device it translates.
# romfile= keeps SeaBIOS from loading network boot ROMs (slow, unused).
profile_qemu=(
	-device intel-iommu,intremap=on,caching-mode=on,device-iotlb=on
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x2,chassis=1
	-device virtio-net-pci,bus=rp1,iommu_platform=on,ats=on,disable-legacy=on,romfile=
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x3,chassis=2
	-device x3130-upstream,id=swup,bus=rp2
	-device xio3130-downstream,id=swdp1,bus=swup,chassis=3,slot=0
	-device e1000e,bus=swdp1,romfile=
	-device xio3130-downstream,id=swdp2,bus=swup,chassis=4,slot=1
	-device virtio-rng-pci,bus=swdp2,disable-legacy=on
	-device pcie-root-port,id=rp3,bus=pcie.0,addr=0x4,chassis=5
	-device e1000e,bus=rp3,addr=0x0.0x0,multifunction=on,romfile=
	-device virtio-rng-pci,bus=rp3,addr=0x0.0x1,disable-legacy=on
	-device edu,bus=pcie.0,addr=0x5
)
