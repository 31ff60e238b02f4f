# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2054 # read by lib.sh; commas are QEMU's
#
# Profile "lazy": an IOMMU without caching mode, so the kernel's default
# DMA domains use lazy invalidation (DMA-FQ), the configuration Debian
# ships and the one where stale IOTLB entries outlive an unmap.
# Sourced by selftests/vm/lib.sh.
#
#   00:00.0 host bridge            00:1f.x LPC/SATA/SMBus (q35, multifunction)
#   00:02.0 root port (ACS) ------ 01:00.0 e1000e
#   00:03.0 root port (ACS) ------ 02:00.0 virtio-rng
#   00:04.0 edu (DMA engine behind the IOMMU; the hotplug and vfio subject)
#
# lazy.expect says what the isolation audit must find here.

profile_about="lazy (DMA-FQ) IOMMU domains, two root ports, edu; run by the kernel's run_kselftest.sh"

# One vCPU: under TCG a second one costs more than it gives (every
# fork, exec and munmap of the shell scripts flushes both vCPUs' TLBs),
# and two guests at a time keep both cores busy.  acs keeps two, for the
# tests whose races need a second CPU.
profile_smp=1

# VT-d is off unless asked for on these kernels.  pthru_map_reload.sh's
# reloads are 20 here, not 50: its VFIO domain is the same strict VT-d
# domain as acs's (lazy invalidation is the DMA API's), and acs runs the
# 50.  VM_APPEND=pthru.map_reloads=N overrides.
profile_append="intel_iommu=on pthru.map_reloads=20"

# vfio-pci: binding works without caching mode (only DMA through a VFIO
# container would need it), so the bind tests run here too.
profile_modules="virtio_pci virtio-rng e1000e vfio-pci vfio_iommu_type1"

profile_qemu=(
	-device intel-iommu,intremap=on
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x2,chassis=1
	-device e1000e,bus=rp1,romfile=
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x3,chassis=2
	-device virtio-rng-pci,bus=rp2,disable-legacy=on
	-device edu,bus=pcie.0,addr=0x4
)

# Kernel CI's way: the suite installed as a kselftest collection
# (make -C selftests install) and run by the kernel's run_kselftest.sh.
profile_runner=kselftest
