# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2054 # read by lib.sh; commas are QEMU's
#
# Profile "virtio": a virtio-iommu (the paravirtual IOMMU of nested and
# cloud guests) instead of VT-d.  On x86 q35, QEMU describes it and the
# endpoints it translates in the ACPI VIOT table.  Sourced by
# selftests/vm/lib.sh.
#
#   00:00.0 host bridge            00:1f.x LPC/SATA/SMBus (q35, multifunction)
#   00:02.0 virtio-iommu (the IOMMU itself, not translated)
#   00:03.0 root port (ACS) ------ 01:00.0 e1000e
#   00:04.0 root port (ACS) ------ 02:00.0 e1000e
#   00:05.0 edu (DMA engine behind the IOMMU; the hotplug and vfio subject)
#
# virtio.expect says what the isolation audit must find here.

profile_about="virtio-iommu (ACPI VIOT), no interrupt remapping, two root ports, edu"

# Only 6.12: Debian's 6.1 does not build the driver
# (# CONFIG_VIRTIO_IOMMU is not set in /boot/config-6.1.0-*-amd64).
profile_kernels='6.12*'

# One vCPU: under TCG a second one costs more than it gives (every
# fork, exec and munmap of the shell scripts flushes both vCPUs' TLBs),
# and two guests at a time keep both cores busy.  acs keeps two, for the
# tests whose races need a second CPU.
profile_smp=1

# Nothing to turn on: the VIOT table is enough.  intel_iommu stays off.
# pthru_map_reload.sh's reloads: 20 here, 100 in acs (CI time).
profile_append="pthru.map_reloads=20"

# Debian builds virtio-iommu as a module (CONFIG_VIRTIO_IOMMU=m);
# virtio_pci is built in and binds the IOMMU's PCI function at boot.  A
# driver that probes a function the VIOT table puts behind the IOMMU
# before the IOMMU registers is deferred (-EPROBE_DEFER) until it does:
# the built-in pcieport binds the root ports only once virtio_iommu has
# loaded.  So virtio_iommu comes first, and the endpoints are not virtio
# devices (virtio_pci would probe them at boot, before it): every endpoint
# driver binds once, behind the IOMMU.  vfio-pci for the bind tests.
profile_modules="virtio_iommu e1000e vfio-pci vfio_iommu_type1"

# romfile= keeps SeaBIOS from loading network boot ROMs (slow, unused).
profile_qemu=(
	-device virtio-iommu-pci,bus=pcie.0,addr=0x2
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x3,chassis=1
	-device e1000e,bus=rp1,romfile=
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x4,chassis=2
	-device e1000e,bus=rp2,romfile=
	-device edu,bus=pcie.0,addr=0x5
)

# Run by the guest's init after the drivers load, before pthru.ko.
# - On 6.12 a function behind a VIOT IOMMU gets its fwspec, so its IOMMU
#   group, only when a driver first probes it (dma_configure); one that no
#   driver ever probed has no group.  The edu tests need edu's group, so
#   edu is probed once by vfio-pci, as a host binds a function to vfio-pci
#   before it assigns it, and given back unbound.  00:1f.x stay unprobed:
#   no-group (virtio.expect).
# - No interrupt remapping on x86 virtio-iommu: VFIO type1 refuses every
#   group ("No interrupt remapping support") unless allow_unsafe_interrupts
#   is on.  The VFIO tests need a container, so it is on for the whole run
#   and every audit here reports unsafe-interrupts (critical).
profile_setup='
echo vfio-pci >/sys/bus/pci/devices/0000:00:05.0/driver_override
echo 0000:00:05.0 >/sys/bus/pci/drivers_probe
echo 0000:00:05.0 >/sys/bus/pci/drivers/vfio-pci/unbind
echo >/sys/bus/pci/devices/0000:00:05.0/driver_override
echo Y >/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts
'
