// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs source against fake trees (fake_sysfs.h): a host's functions,
 * groups and IOMMU units as sysfs shows them, and what the snapshot makes
 * of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/version.h>

#include <core/pciaddr.h>

#include "facts.h"
#include "fake_sysfs.h"
#include "sysfs_source.h"
#include "unit.h"

static const struct pthru_dev *dev_at(const struct facts *f, const char *addr)
{
	u32 a;

	if (pthru_pciaddr_parse(addr, &a) || !f->snap)
		return NULL;
	return pthru_snapshot_find_dev(f->snap, a);
}

static bool unread_has(const struct facts *f, const char *path, int err)
{
	size_t i;

	for (i = 0; i < f->n_unread; i++)
		if (!strcmp(f->unread[i].path, path) && f->unread[i].err == err)
			return true;
	return false;
}

#define RP	"pci0000:00/0000:00:01.0"
#define USP	RP "/0000:01:00.0"
#define DSP0	USP "/0000:02:00.0"
#define DSP1	USP "/0000:02:01.0"
#define NIC	DSP0 "/0000:03:00.0"
#define VF	DSP0 "/0000:03:00.1"
#define EP	DSP1 "/0000:04:00.0"
#define DMAR0	"sys/devices/virtual/iommu/dmar0"
#define DMAR1	"sys/devices/virtual/iommu/dmar1"

/*
 * An Intel host: root port, a switch with ACS on its downstream ports, a
 * NIC with ATS enabled and SR-IOV, its VF on vfio-pci, an endpoint whose
 * config space the kernel sees as 256 bytes, and VT-d.
 */
static void intel_tree(void)
{
	struct fake_cfg c;

	fake_cfg_init(&c, 4096, 0x8086, 0x0d57, 0x00);
	fake_func("pci0000:00/0000:00:00.0", 0x060000, &c);

	/* Multifunction root port, Intel alternate ACS control at +8. */
	fake_cfg_init(&c, 4096, 0x8086, 0x7ab8, 0x81);
	fake_cfg_cap(&c, 0x40, 0x05, 0x60);			/* MSI */
	fake_cfg_pcie(&c, 0x60, 0x00, 0x4);
	fake_cfg_ext(&c, 0x100, 0x0001, 0x148);		/* AER */
	fake_cfg_acs(&c, 0x148, 0x000, 0x005f, 0x001d);
	fake_w32(&c, 0x150, 0x0000005f);
	fake_func(RP, 0x060400, &c);
	fake_bind(RP, "pci", "pcieport");

	/* An upstream port that says it is a downstream port. */
	fake_cfg_init(&c, 4096, 0x10b5, 0x8747, 0x01);
	fake_cfg_pcie(&c, 0x68, 0x00, 0x6);
	fake_func(USP, 0x060400, &c);
	fake_bind(USP, "pci", "pcieport");

	fake_cfg_init(&c, 4096, 0x10b5, 0x8747, 0x01);
	fake_cfg_pcie(&c, 0x68, 0x00, 0x6);
	fake_cfg_acs(&c, 0x100, 0x000, 0x001f, 0x001d);
	fake_func(DSP0, 0x060400, &c);
	fake_bind(DSP0, "pci", "pcieport");

	fake_cfg_init(&c, 4096, 0x10b5, 0x8747, 0x01);
	fake_cfg_pcie(&c, 0x68, 0x00, 0x6);
	fake_cfg_acs(&c, 0x100, 0x000, 0x001f, 0x0000);
	fake_func(DSP1, 0x060400, &c);
	fake_bind(DSP1, "pci", "pcieport");

	/* NIC: ATS enabled, SR-IOV with its sysfs attributes. */
	fake_cfg_init(&c, 4096, 0x15b3, 0x101d, 0x80);
	fake_cfg_pcie(&c, 0x60, 0x00, 0x0);
	fake_cfg_ext(&c, 0x100, 0x000f, 0x180);
	fake_w16(&c, 0x106, 0x8000);
	fake_cfg_ext(&c, 0x180, 0x0010, 0x1c0);
	fake_cfg_ext(&c, 0x1c0, 0x0003, 0x000);		/* DSN */
	fake_w32(&c, 0x1c4, 0x89abcdef);
	fake_w32(&c, 0x1c8, 0x01234567);
	fake_func(NIC, 0x020000, &c);
	/* Its slot; a slot without a device number holds nothing. */
	fake_put("sys/bus/pci/slots/5-1/address", "0000:03:00\n");
	fake_put("sys/bus/pci/slots/9/address", "0000:04\n");
	fake_put("sys/devices/" NIC "/sriov_totalvfs", "8\n");
	fake_bind(NIC, "pci", "mlx5_core");

	/* Its VF, beside it below the same port; ATS present, not enabled. */
	fake_cfg_init(&c, 4096, 0x15b3, 0x101e, 0x00);
	fake_cfg_pcie(&c, 0x60, 0x00, 0x0);
	fake_cfg_ext(&c, 0x100, 0x000f, 0x000);
	fake_func(VF, 0x020000, &c);
	fake_link("sys/devices/" VF "/physfn", "sys/devices/" NIC);
	fake_bind(VF, "pci", "vfio-pci");

	/* A PCIe endpoint the kernel gives 256 bytes: no extended space. */
	fake_cfg_init(&c, 256, 0x1344, 0x5411, 0x00);
	fake_cfg_pcie(&c, 0x80, 0x00, 0x0);
	fake_func(EP, 0x010802, &c);
	fake_bind(EP, "pci", "nvme");
	/* Its ARI function 8, single-function by its header. */
	fake_cfg_init(&c, 256, 0x1344, 0x5411, 0x00);
	fake_cfg_pcie(&c, 0x80, 0x00, 0x0);
	fake_func(DSP1 "/0000:04:01.0", 0x010802, &c);

	fake_unit(DMAR0);
	fake_unit(DMAR1);
	fake_group(0, "DMA-FQ", "0x00000000fee00000 0x00000000feefffff msi\n");
	fake_join("pci0000:00/0000:00:00.0", 0, DMAR0);
	fake_group(1, "DMA", "0x00000000fee00000 0x00000000feefffff msi\n");
	fake_join(RP, 1, DMAR0);
	fake_join(USP, 1, DMAR0);
	fake_join(DSP0, 1, DMAR0);
	fake_join(DSP1, 1, DMAR0);
	fake_group(5, "identity",
		  "0x00000000fee00000 0x00000000feefffff msi\n"
		  "0x00000000000e8000 0x00000000000e8fff direct\n"
		  "0x0000000000000000 0x0000000000000fff direct-relaxable\n"
		  "0x00000000fd000000 0x00000000fdffffff reserved\n");
	fake_join(NIC, 5, DMAR0);
	/* The type file shows the default domain, not VFIO's. */
	fake_group(6, "DMA", "0x00000000fee00000 0x00000000feefffff msi\n");
	fake_join(VF, 6, DMAR0);
	fake_group(7, "DMA", "");
	fake_join(EP, 7, DMAR1);
	/* A group with no PCI function in it. */
	fake_group(9, "DMA", "");
	fake_mkdir("sys/devices/platform/INT0800:00", true);
	fake_link("sys/kernel/iommu_groups/9/devices/INT0800:00",
		"sys/devices/platform/INT0800:00");

	fake_host("6.12.118+deb12-amd64",
		 "BOOT_IMAGE=/vmlinuz-6.12.118+deb12-amd64 ro intel_iommu=on iommu=pt");
	fake_put("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
	    "N\n");
}

static void test_intel(void)
{
	const struct pthru_dev *d;
	const struct pthru_group *g;
	struct facts f;
	time_t before = time(NULL);
	u32 upstream;

	fake_sysfs_new();
	intel_tree();
	CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
	CHECK(f.snap && f.snap->finalized);
	if (!f.snap)
		goto out;
	CHECK_INT(f.source, FACTS_SYSFS);
	CHECK(f.taken >= before && f.taken <= time(NULL));
	CHECK_STR(f.host, "fakehost");
	CHECK_STR(f.kernel_release, "6.12.118+deb12-amd64");
	CHECK_STR(f.cmdline,
		  "BOOT_IMAGE=/vmlinuz-6.12.118+deb12-amd64 ro intel_iommu=on iommu=pt");
	CHECK_INT(f.n_unread, 0);
	CHECK_INT(f.snap->nr_devs, 9);
	CHECK_INT(f.snap->kernel_version, KERNEL_VERSION(6, 12, 118));
	CHECK_STR(f.snap->iommu_driver, "intel-vtd");
	CHECK_INT(f.snap->iommu_units, 2);
	CHECK(f.snap->iommu_present);
	CHECK(!f.snap->acpi_ivrs);
	CHECK(f.snap->default_passthrough);
	CHECK_INT(f.snap->unsafe_interrupts, PTHRU_TRISTATE_NO);
	CHECK_INT(f.snap->unknown, PTHRU_SNAP_UNKNOWN_MAPPINGS);
	CHECK_INT(f.snap->intr_remap, PTHRU_TRISTATE_UNKNOWN);

	d = dev_at(&f, "0000:00:00.0");
	CHECK(d && !d->has_upstream && !d->is_pcie && !d->multifunction &&
	      !d->driver[0] && d->group_id == 0 && !d->iommu_self &&
	      d->domain_type == PTHRU_DOMAIN_TYPE_DMA_FQ && d->class == 0x060000);

	d = dev_at(&f, "0000:00:01.0");
	CHECK(d != NULL);
	if (d) {
		CHECK_INT(d->vendor, 0x8086);
		CHECK_INT(d->device, 0x7ab8);
		CHECK_INT(d->subsys_vendor, 0x1d49);
		CHECK_INT(d->subsys_device, 0x0101);
		CHECK_STR(d->driver, "pcieport");
		CHECK(d->multifunction);
		CHECK(d->is_pcie);
		CHECK_INT(d->pcie_type, 0x4);
		CHECK(!d->has_upstream);
		CHECK_INT(d->acs_pos, 0x148);
		CHECK_INT(d->acs_cap, 0x005f);
		CHECK_INT(d->acs_ctrl, 0x001d);
		CHECK_INT(d->acs_ctrl_baseline, 0x001d);
		CHECK(d->acs_alt_read);
		CHECK_INT(d->acs_alt_ctrl, 0x0000005f);
		CHECK(!d->acs_quirk_enabled && !d->untrusted &&
		      !d->external_facing);
		/* On the root bus: never untrusted (set_pcie_untrusted()). */
		CHECK_INT(d->unknown, PTHRU_DEV_UNKNOWN_EXTERNAL |
				      PTHRU_DEV_UNKNOWN_ACS_QUIRK |
				      PTHRU_DEV_UNKNOWN_ACS_BASELINE);
	}

	/* set_pcie_port_type(): a "downstream" port below a root port. */
	d = dev_at(&f, "0000:01:00.0");
	CHECK(d && d->is_pcie && d->pcie_type == 0x5 && !d->acs_pos &&
	      !d->acs_alt_read && d->has_upstream &&
	      !pthru_pciaddr_parse("0000:00:01.0", &upstream) &&
	      d->upstream_addr == upstream && d->upstream_idx == 1);
	CHECK(d && d->unknown == (PTHRU_DEV_UNKNOWN_UNTRUSTED |
				  PTHRU_DEV_UNKNOWN_EXTERNAL |
				  PTHRU_DEV_UNKNOWN_ACS_QUIRK));

	d = dev_at(&f, "0000:02:00.0");
	CHECK(d && d->pcie_type == 0x6 && d->acs_pos == 0x100 &&
	      d->acs_cap == 0x001f && d->acs_ctrl == 0x001d &&
	      !d->acs_alt_read && d->upstream_idx == 2 &&
	      (d->unknown & PTHRU_DEV_UNKNOWN_ACS_BASELINE));
	d = dev_at(&f, "0000:02:01.0");
	CHECK(d && d->pcie_type == 0x6 && d->acs_pos == 0x100 &&
	      d->acs_ctrl == 0 && d->acs_ctrl_baseline == 0 &&
	      d->upstream_idx == 2);

	d = dev_at(&f, "0000:03:00.0");
	CHECK(d != NULL);
	if (d) {
		CHECK(d->ats_supported);
		CHECK(d->ats_enabled);
		CHECK(d->sriov);
		CHECK_INT(d->sriov_vfs, 1);
		CHECK(!d->is_vf);
		CHECK(d->multifunction);
		CHECK_STR(d->driver, "mlx5_core");
		/* An endpoint: never external-facing, but maybe untrusted. */
		CHECK_INT(d->unknown, PTHRU_DEV_UNKNOWN_UNTRUSTED |
				      PTHRU_DEV_UNKNOWN_ACS_QUIRK);
		CHECK(d->has_dsn);
		CHECK(d->dsn == 0x0123456789abcdefULL);
		CHECK_STR(d->slot, "5-1");
		CHECK_INT(d->group_id, 5);
		CHECK_INT(d->domain_type, PTHRU_DOMAIN_TYPE_IDENTITY);
		CHECK_INT(d->upstream_idx, 3);
	}
	d = dev_at(&f, "0000:03:00.1");
	CHECK(d != NULL);
	if (d) {
		CHECK(d->is_vf);
		CHECK(!pthru_pciaddr_parse("0000:03:00.0", &upstream) &&
		      d->pf_addr == upstream);
		CHECK_INT(d->pf_idx, 5);
		CHECK(!d->sriov);
		CHECK(d->ats_supported && !d->ats_enabled);
		/* Not scanned, so its header decides. */
		CHECK(!d->multifunction);
		CHECK_STR(d->driver, "vfio-pci");
		CHECK_INT(d->domain_type, PTHRU_DOMAIN_TYPE_UNKNOWN);
		CHECK_STR(d->slot, "5-1");
		CHECK(!d->has_dsn && !(d->unknown & PTHRU_DEV_UNKNOWN_DSN));
		/* The PF's upstream port, as pci_upstream_bridge(). */
		CHECK_INT(d->upstream_idx, 3);
	}

	/* 256 bytes of a PCIe function: no ACS or ATS, and known so. */
	d = dev_at(&f, "0000:04:00.0");
	CHECK(d && d->is_pcie && d->pcie_type == 0 && !d->acs_pos &&
	      !d->ats_supported && d->group_id == 7 &&
	      !(d->unknown & PTHRU_DEV_UNKNOWN_CONFIG) &&
	      d->upstream_idx == 4 && !d->multifunction);
	/* pci_scan_slot(): any function after the first is multifunction. */
	d = dev_at(&f, "0000:04:01.0");
	CHECK(d && d->multifunction && d->upstream_idx == 4);

	CHECK_INT(f.snap->nr_groups, 5);
	g = pthru_snapshot_find_group(f.snap, 1);
	CHECK(g && g->nr_members == 4 && g->domain_type == PTHRU_DOMAIN_TYPE_DMA &&
	      g->isolated_msi == PTHRU_TRISTATE_UNKNOWN);
	g = pthru_snapshot_find_group(f.snap, 5);
	CHECK(g && g->nr_resv == 4);
	if (g && g->nr_resv == 4) {
		CHECK(g->resv[0].start == 0 && g->resv[0].end == 0xfff &&
		      g->resv[0].type == PTHRU_RESV_TYPE_DIRECT_RELAXABLE);
		CHECK(g->resv[1].start == 0xe8000 && g->resv[1].end == 0xe8fff &&
		      g->resv[1].type == PTHRU_RESV_TYPE_DIRECT);
		CHECK(g->resv[2].start == 0xfd000000 &&
		      g->resv[2].end == 0xfdffffff &&
		      g->resv[2].type == PTHRU_RESV_TYPE_RESERVED);
		CHECK(g->resv[3].start == 0xfee00000 &&
		      g->resv[3].end == 0xfeefffff &&
		      g->resv[3].type == PTHRU_RESV_TYPE_MSI);
	}
	g = pthru_snapshot_find_group(f.snap, 6);
	CHECK(g && g->domain_type == PTHRU_DOMAIN_TYPE_UNKNOWN &&
	      g->nr_resv == 1);
	g = pthru_snapshot_find_group(f.snap, 7);
	CHECK(g && g->domain_type == PTHRU_DOMAIN_TYPE_DMA && g->nr_resv == 0);
	CHECK(!pthru_snapshot_find_group(f.snap, 9));
out:
	facts_free(&f);
	fake_sysfs_free();
}

/*
 * AMD-Vi: the unit ivhd0 below the IOMMU's own function, in the class's
 * glue directory; a VMD domain the snapshot cannot hold.
 */
static void test_amd(void)
{
	const struct pthru_dev *d;
	struct fake_cfg c;
	struct facts f;

	fake_sysfs_new();
	fake_cfg_init(&c, 4096, 0x1022, 0x1481, 0x00);
	fake_func("pci0000:00/0000:00:00.2", 0x080600, &c);
	fake_unit("sys/devices/pci0000:00/0000:00:00.2/iommu/ivhd0");
	fake_cfg_init(&c, 4096, 0x1022, 0x1483, 0x00);
	fake_cfg_pcie(&c, 0x50, 0x00, 0x4);
	fake_func("pci0000:00/0000:00:01.1", 0x060400, &c);
	fake_bind("pci0000:00/0000:00:01.1", "pci", "pcieport");
	fake_group(0, "DMA", "0x00000000fee00000 0x00000000feefffff msi\n"
		  "0x000000fd00000000 0x000000ffffffffff reserved\n");
	fake_join("pci0000:00/0000:00:01.1", 0,
	     "sys/devices/pci0000:00/0000:00:00.2/iommu/ivhd0");
	fake_cfg_init(&c, 4096, 0x8086, 0x09ab, 0x00);
	fake_func("pci0000:00/0000:00:0e.0/pci10000:00/10000:00:02.0", 0x010400,
		 &c);
	fake_put("sys/firmware/acpi/tables/IVRS", "IVRS");
	fake_put("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
	    "Y\n");
	fake_host("6.1.0-57-amd64", "quiet");
	fake_put("boot/config-6.1.0-57-amd64",
	    "CONFIG_IOMMU_DEFAULT_DMA_LAZY=y\n"
	    "# CONFIG_IOMMU_DEFAULT_PASSTHROUGH is not set\n");

	CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
	if (!f.snap)
		goto out;
	CHECK_INT(f.snap->nr_devs, 2);
	CHECK_STR(f.snap->iommu_driver, "amd-vi");
	CHECK_INT(f.snap->iommu_units, 1);
	CHECK(f.snap->acpi_ivrs);
	CHECK_INT(f.snap->unsafe_interrupts, PTHRU_TRISTATE_YES);
	CHECK_INT(f.snap->kernel_version, KERNEL_VERSION(6, 1, 0));
	CHECK(!f.snap->default_passthrough);
	CHECK_INT(f.snap->unknown, PTHRU_SNAP_UNKNOWN_MAPPINGS);
	d = dev_at(&f, "0000:00:00.2");
	CHECK(d && d->iommu_self && d->group_id == PTHRU_NO_GROUP);
	d = dev_at(&f, "0000:00:01.1");
	CHECK(d && !d->iommu_self && d->group_id == 0 &&
	      d->domain_type == PTHRU_DOMAIN_TYPE_DMA);
	/* Function 1, whatever its header says. */
	CHECK(d && d->multifunction);
	CHECK_INT(f.n_unread, 1);
	CHECK(unread_has(&f, "/sys/bus/pci/devices/10000:00:02.0", EOVERFLOW));
out:
	facts_free(&f);
	fake_sysfs_free();
}

/* virtio-iommu: the unit below the virtio device on the function. */
static void test_virtio_iommu(void)
{
	const struct pthru_dev *d;
	struct fake_cfg c;
	struct facts f;

	fake_sysfs_new();
	fake_cfg_init(&c, 4096, 0x1af4, 0x1057, 0x00);
	fake_cfg_cap(&c, 0x40, 0x09, 0x00);
	fake_func("pci0000:00/0000:00:04.0", 0x088000, &c);
	fake_bind("pci0000:00/0000:00:04.0", "pci", "virtio-pci");
	fake_mkdir("sys/devices/pci0000:00/0000:00:04.0/virtio0", true);
	fake_put("sys/devices/pci0000:00/0000:00:04.0/virtio0/uevent", "\n");
	fake_bind("pci0000:00/0000:00:04.0/virtio0", "virtio", "virtio_iommu");
	fake_unit("sys/devices/pci0000:00/0000:00:04.0/virtio0/iommu/virtio0");
	fake_cfg_init(&c, 4096, 0x1af4, 0x1041, 0x00);
	fake_func("pci0000:00/0000:00:05.0", 0x020000, &c);
	fake_bind("pci0000:00/0000:00:05.0", "pci", "virtio-pci");
	/* sysfs prints virtio-iommu's software MSI window as "msi" too. */
	fake_group(2, "DMA", "0x0000000008000000 0x00000000080fffff msi\n");
	fake_join("pci0000:00/0000:00:05.0", 2,
	     "sys/devices/pci0000:00/0000:00:04.0/virtio0/iommu/virtio0");
	fake_host("6.12.118+deb12-amd64", "iommu.passthrough=1");

	CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
	if (!f.snap)
		goto out;
	CHECK_STR(f.snap->iommu_driver, "virtio-iommu");
	CHECK_INT(f.snap->iommu_units, 1);
	CHECK_INT(f.snap->unsafe_interrupts, PTHRU_TRISTATE_UNKNOWN);
	CHECK(f.snap->default_passthrough);
	d = dev_at(&f, "0000:00:04.0");
	CHECK(d && d->iommu_self && !d->is_pcie);
	d = dev_at(&f, "0000:00:05.0");
	CHECK(d && !d->iommu_self && d->group_id == 2);
	CHECK(f.snap->nr_groups == 1 && f.snap->groups[0].nr_resv == 1 &&
	      f.snap->groups[0].resv[0].type == PTHRU_RESV_TYPE_MSI);
	CHECK_INT(f.n_unread, 0);
out:
	facts_free(&f);
	fake_sysfs_free();
}

/*
 * Config space as a reader without CAP_SYS_ADMIN sees it: 64 bytes of a
 * 4096-byte file.  The header still counts; the capabilities are unknown.
 */
static void test_short_config(void)
{
	const struct pthru_dev *d;
	struct fake_cfg c;
	struct facts f;

	fake_sysfs_new();
	fake_cfg_init(&c, 4096, 0x8086, 0x7a84, 0x80);
	fake_cfg_pcie(&c, 0x80, 0x00, 0x9);
	fake_cfg_acs(&c, 0x100, 0x000, 0x001f, 0x001d);
	fake_func("pci0000:00/0000:00:1f.0", 0x060100, &c);
	fake_host("6.12.118+deb12-amd64", "");
	fake_short_config("sys/devices/pci0000:00/0000:00:1f.0/config");

	CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
	d = dev_at(&f, "0000:00:1f.0");
	CHECK(d != NULL);
	if (d) {
		CHECK(d->unknown & PTHRU_DEV_UNKNOWN_CONFIG);
		CHECK(d->multifunction);
		CHECK_INT(d->vendor, 0x8086);
		CHECK(!d->is_pcie && !d->acs_pos && !d->ats_supported);
		CHECK(!(d->unknown & PTHRU_DEV_UNKNOWN_ACS_BASELINE));
	}
	CHECK_INT(f.n_unread, 1);
	CHECK(unread_has(&f, "/sys/bus/pci/devices/0000:00:1f.0/config",
			 EACCES));
	/* No groups: the module leaves "none" and counts no unit. */
	CHECK(f.snap && !strcmp(f.snap->iommu_driver, "none") &&
	      !f.snap->iommu_units && !f.snap->iommu_present);
	/* An empty command line and no kernel config: not established. */
	CHECK(f.snap && !f.snap->default_passthrough &&
	      f.snap->unknown == (PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN |
				  PTHRU_SNAP_UNKNOWN_MAPPINGS));
	CHECK_STR(f.cmdline, "");
	facts_free(&f);
	fake_sysfs_free();
}

/* Capability lists that loop end where the kernel's bounds end them. */
static void test_cap_loops(void)
{
	const struct pthru_dev *d;
	struct fake_cfg c;
	struct facts f;

	fake_sysfs_new();
	/* 0x40 -> 0x50 -> 0x40 ..., no PCIe; extended 0x100 -> 0x100 ... */
	fake_cfg_init(&c, 4096, 0x1234, 0x0001, 0x00);
	fake_cfg_cap(&c, 0x40, 0x05, 0x50);
	fake_cfg_cap(&c, 0x50, 0x11, 0x40);
	fake_cfg_ext(&c, 0x100, 0x0001, 0x100);
	fake_func("pci0000:00/0000:00:02.0", 0x020000, &c);
	/* Extended 0x100 -> 0x140 (ACS) -> 0x100: found before the loop. */
	fake_cfg_init(&c, 4096, 0x1234, 0x0002, 0x00);
	fake_cfg_pcie(&c, 0x40, 0x40, 0x0);
	fake_cfg_ext(&c, 0x100, 0x0001, 0x140);
	fake_cfg_acs(&c, 0x140, 0x100, 0x0001, 0x0001);
	fake_func("pci0000:00/0000:00:03.0", 0x020000, &c);
	/* Not answering: all ones. */
	memset(c.d, 0xff, sizeof(c.d));
	fake_func("pci0000:00/0000:00:06.0", 0x020000, &c);
	/* A VF: its vendor and device IDs read 0xffff (SR-IOV), the rest not. */
	fake_cfg_init(&c, 4096, 0xffff, 0xffff, 0x00);
	fake_cfg_pcie(&c, 0x40, 0x00, 0x0);
	fake_cfg_acs(&c, 0x100, 0x000, 0x0001, 0x0001);
	fake_func("pci0000:00/0000:00:03.1", 0x010802, &c);
	fake_link("sys/devices/pci0000:00/0000:00:03.1/physfn",
		  "sys/devices/pci0000:00/0000:00:03.0");
	fake_host("6.12.118+deb12-amd64", "pci=realloc,noats");

	CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
	d = dev_at(&f, "0000:00:02.0");
	CHECK(d && !d->is_pcie && !d->acs_pos && !d->ats_supported &&
	      !(d->unknown & PTHRU_DEV_UNKNOWN_CONFIG));
	d = dev_at(&f, "0000:00:03.0");
	CHECK(d && d->is_pcie && d->acs_pos == 0x140 && d->acs_ctrl == 1);
	d = dev_at(&f, "0000:00:06.0");
	CHECK(d && (d->unknown & PTHRU_DEV_UNKNOWN_CONFIG) && !d->acs_pos &&
	      !d->multifunction);
	CHECK(unread_has(&f, "/sys/bus/pci/devices/0000:00:06.0/config", EIO));
	d = dev_at(&f, "0000:00:03.1");
	CHECK(d && d->is_vf && d->is_pcie && d->acs_pos == 0x100 &&
	      !(d->unknown & PTHRU_DEV_UNKNOWN_CONFIG));
	CHECK_INT(f.n_unread, 1);
	facts_free(&f);
	fake_sysfs_free();
}

/* pci=noats: the PCI core records no ATS capability. */
static void test_noats(void)
{
	const struct pthru_dev *d;
	struct fake_cfg c;
	struct facts f;

	fake_sysfs_new();
	fake_cfg_init(&c, 4096, 0x15b3, 0x101d, 0x00);
	fake_cfg_pcie(&c, 0x60, 0x00, 0x0);
	fake_cfg_ext(&c, 0x100, 0x000f, 0x000);
	fake_w16(&c, 0x106, 0x8000);
	fake_func("pci0000:00/0000:00:02.0", 0x020000, &c);
	fake_host("6.12.118+deb12-amd64", "root=/dev/sda1 pci=noats");
	CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
	d = dev_at(&f, "0000:00:02.0");
	CHECK(d && d->is_pcie && !d->ats_supported && !d->ats_enabled);
	facts_free(&f);
	fake_sysfs_free();
}

/* Default domain from the command line, else the kernel's config. */
static void test_default_domain(void)
{
	static const struct {
		const char *cmdline;
		const char *config;	/* NULL: no /boot/config-RELEASE */
		bool pt;
		bool unknown;
	} cases[] = {
		{ "ro iommu=pt", NULL, true, false },
		{ "ro iommu=nopt", "CONFIG_IOMMU_DEFAULT_PASSTHROUGH=y\n",
		  false, false },
		{ "iommu=force,pt", NULL, true, false },
		{ "iommu=pt iommu.passthrough=0", NULL, false, false },
		{ "iommu.passthrough=on iommu=nopt", NULL, false, false },
		{ "iommu=nopt iommu.passthrough=Y", NULL, true, false },
		{ "\"iommu.passthrough=1\"", NULL, true, false },
		{ "iommu=usedac,pt", "CONFIG_IOMMU_DEFAULT_DMA_STRICT=y\n",
		  false, false },
		{ "iommu.passthrough=maybe",
		  "CONFIG_IOMMU_DEFAULT_PASSTHROUGH=y\n", true, false },
		{ "intel_iommu=on", "CONFIG_IOMMU_DEFAULT_PASSTHROUGH=y\n",
		  true, false },
		{ "quiet", "CONFIG_IOMMU_DEFAULT_DMA_LAZY=y\n", false, false },
		/* After "--" everything belongs to init. */
		{ "quiet -- iommu=pt", NULL, false, true },
		{ "quiet", "# CONFIG_IOMMU_DEFAULT_PASSTHROUGH is not set\n",
		  false, true },
		{ "quiet", NULL, false, true },
	};
	struct fake_cfg c;
	struct facts f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		fake_sysfs_new();
		fake_cfg_init(&c, 256, 0x1234, 0x0001, 0x00);
		fake_func("pci0000:00/0000:00:02.0", 0x020000, &c);
		fake_host("6.12.118+deb12-amd64", cases[i].cmdline);
		if (cases[i].config)
			fake_put("boot/config-6.12.118+deb12-amd64", "%s",
			    cases[i].config);
		CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
		if (f.snap) {
			CHECK_INT(f.snap->default_passthrough, cases[i].pt);
			CHECK_INT(!!(f.snap->unknown &
				     PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN),
				  cases[i].unknown);
		} else {
			CHECK(f.snap);
		}
		CHECK_STR(f.cmdline, cases[i].cmdline);
		facts_free(&f);
		fake_sysfs_free();
	}
}

/* vfio_iommu_type1's allow_unsafe_interrupts: Y, N, 1, absent, nonsense. */
static void test_unsafe_interrupts(void)
{
	static const struct {
		const char *value;	/* NULL: module not loaded */
		enum pthru_tristate want;
		size_t unread;
	} cases[] = {
		{ "Y\n", PTHRU_TRISTATE_YES, 0 },
		{ "N\n", PTHRU_TRISTATE_NO, 0 },
		{ "1\n", PTHRU_TRISTATE_YES, 0 },
		{ NULL, PTHRU_TRISTATE_UNKNOWN, 0 },
		{ "x\n", PTHRU_TRISTATE_UNKNOWN, 1 },
	};
	struct fake_cfg c;
	struct facts f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		fake_sysfs_new();
		fake_cfg_init(&c, 256, 0x1234, 0x0001, 0x00);
		fake_func("pci0000:00/0000:00:02.0", 0x020000, &c);
		fake_host("6.12.118+deb12-amd64", "quiet");
		if (cases[i].value)
			fake_put("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
			    "%s", cases[i].value);
		CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
		CHECK(f.snap && f.snap->unsafe_interrupts == cases[i].want);
		CHECK_INT(f.n_unread, cases[i].unread);
		facts_free(&f);
		fake_sysfs_free();
	}
}

/*
 * Links are resolved inside the root, an absolute one too: a tree's
 * functions never mix with the real /sys.  A config file shorter than the
 * kernel ever makes one is no config space.
 */
static void test_absolute_link(void)
{
	const struct pthru_dev *d;
	struct fake_cfg c;
	char full[PATH_MAX];
	struct facts f;

	fake_sysfs_new();
	fake_cfg_init(&c, 64, 0x1234, 0x5678, 0x80);
	fake_func("pci0000:00/0000:00:1c.0/0000:7e:00.0", 0x020000, &c);
	fake_path(full, "sys/bus/pci/devices/0000:7e:00.0");
	if (unlink(full) ||
	    symlink("/sys/devices/pci0000:00/0000:00:1c.0/0000:7e:00.0", full)) {
		perror(full);
		exit(1);
	}
	fake_host("6.12.118+deb12-amd64", "quiet");
	CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), 0);
	d = dev_at(&f, "0000:7e:00.0");
	CHECK(d && d->vendor == 0x1234 && d->device == 0x5678 &&
	      d->has_upstream && d->upstream_addr == PTHRU_PCIADDR(0, 0, 0xe0));
	CHECK(d && (d->unknown & PTHRU_DEV_UNKNOWN_CONFIG) &&
	      !d->multifunction);
	CHECK(unread_has(&f, "/sys/bus/pci/devices/0000:7e:00.0/config",
			 EINVAL));
	CHECK_INT(f.n_unread, 1);
	facts_free(&f);
	fake_sysfs_free();
}

/* No sysfs: -ENOENT, and nothing left in the facts. */
static void test_no_sysfs(void)
{
	struct facts f;

	fake_sysfs_new();
	fake_host("6.12.118+deb12-amd64", "quiet");
	memset(&f, 0x5a, sizeof(f));
	CHECK_INT(sysfs_facts_read(fake_sysfs_root, &f), -ENOENT);
	CHECK(!f.snap && !f.cmdline && !f.unread && !f.n_unread &&
	      !f.host[0] && !f.taken);
	fake_sysfs_free();
}

/* Run the pthructl under test on the fake tree; @want its exit status. */
#define run_on_tree(r, want, ...)					\
	do {								\
		unit_run((r), NULL, __VA_ARGS__, NULL);			\
		CHECK_INT((r)->status, (want));				\
		if ((r)->status != (want))				\
			fprintf(stderr, "  stderr: %s\n", (r)->err);	\
	} while (0)

/* Write the 16-bit @val at @pos of @devpath's config file in the tree. */
static void poke_config(const char *devpath, off_t pos, unsigned int val)
{
	unsigned char b[2] = { val & 0xff, val >> 8 };
	char path[PATH_MAX];
	int fd;

	fake_path(path, "sys/devices/%s/config", devpath);
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, b, 2, pos) == 2);
	if (fd >= 0)
		close(fd);
}

/*
 * snapshot save, the audit of a saved snapshot, snapshot diff across an
 * ACS write, and a snapshot file refused.
 */
static void test_snapshot_commands(struct unit_run *r)
{
	char a[PATH_MAX], b[PATH_MAX], bad[PATH_MAX];
	char *live;

	fake_path(a, "a.json");
	fake_path(b, "b.json");
	run_on_tree(r, 0, "snapshot", "save", a, "--no-module");
	CHECK_STR(r->err, "");
	unit_run_free(r);
	run_on_tree(r, 0, "-j", "audit", "--no-module", "--fail-on", "none");
	live = strdup(strstr(r->out, "\"findings\":[") ?: "");
	unit_run_free(r);
	/* The snapshot's audit: its source and file, the same findings. */
	run_on_tree(r, 0, "-j", "audit", "--snapshot", a, "--fail-on", "none");
	CHECK(strstr(r->out, "\"source\":\"sysfs\",\"snapshot\":{\"file\":\""));
	CHECK(strstr(r->out, "\"host\":\"fakehost\",\"kernel_release\":\"6.12.118+deb12-amd64\",\"taken\":\""));
	CHECK(live && strstr(r->out, "\"findings\":[") &&
	      !strcmp(strstr(r->out, "\"findings\":["), live));
	unit_json_doc("audit", r->out);
	unit_run_free(r);
	free(live);
	run_on_tree(r, 0, "-j", "dev", "--snapshot", a);
	unit_json_doc("dev", r->out);
	unit_run_free(r);

	/* Nothing changed: exit 0; then an ACS control write on 02:01.0. */
	run_on_tree(r, 0, "snapshot", "diff", a, a);
	CHECK(strstr(r->out, "\nno difference\n"));
	unit_run_free(r);
	poke_config(DSP1, 0x106, 0x001d);
	run_on_tree(r, 0, "snapshot", "save", b, "--no-module");
	unit_run_free(r);
	run_on_tree(r, 1, "-j", "snapshot", "diff", a, b);
	CHECK(strstr(r->out, "\"appeared\":[],\"vanished\":[],\"changes\":[{\"addr\":\"0000:02:01.0\",\"fact\":\"acs_ctrl\",\"from\":\"0x0000\",\"to\":\"0x001d\"}],\"raised\":[],\"cleared\":[{"));
	unit_json_doc("snapshot-diff", r->out);
	unit_run_free(r);
	run_on_tree(r, 1, "snapshot", "diff", a, b);
	CHECK(strstr(r->out, "\n~ 0000:02:01.0 acs_ctrl 0x0000 -> 0x001d\n"));
	CHECK(strstr(r->out, "\ncleared "));
	unit_run_free(r);

	/* A refused file: one line, the file, the place, the problem. */
	fake_path(bad, "bad.json");
	fake_put("bad.json", "{\"schema\":2,\"kind\":\"pthru-snapshot\"}\n");
	run_on_tree(r, 2, "audit", "--snapshot", bad);
	CHECK_STR(r->out, "");
	CHECK(strstr(r->err, "pthructl: ") == r->err &&
	      strstr(r->err, "bad.json: line 1, col ") &&
	      strstr(r->err, "schema version 2 is newer than this pthructl reads (1)") &&
	      strchr(r->err, '\n') == r->err + strlen(r->err) - 1);
	unit_run_free(r);
	run_on_tree(r, 2, "audit", "--snapshot", a, "--no-module");
	CHECK(strstr(r->err, "--snapshot and --no-module do not go together"));
	unit_run_free(r);
}

/*
 * The commands over the sysfs source, end to end: the Intel tree through
 * the real binary, its documents kept for the schema check.
 */
static void test_commands(void)
{
	char policy[PATH_MAX];
	struct unit_run r;

	fake_sysfs_new();
	intel_tree();
	setenv("PTHRU_SYSFS_ROOT", fake_sysfs_root, 1);

	run_on_tree(&r, 0, "audit", "--no-module", "--fail-on", "none");
	CHECK(strstr(r.out, "source: sysfs\npthru audit: kernel 6.12.118+deb12-amd64, evaluated by pthructl") == r.out);
	/* Established: the switch port without ACS, the command line's pt. */
	CHECK(strstr(r.out, "PTHRU-006 acs-missing") &&
	      strstr(r.out, "0000:04:00.0"));
	CHECK(strstr(r.out, "PTHRU-002 default-passthrough"));
	/* The NIC's identity domain rests on its untrusted flag. */
	CHECK(strstr(r.out, "PTHRU-004 identity-domain 0000:03:00.0: possible ") &&
	      strstr(r.out, "unknown: whether 0000:03:00.0 is untrusted or external-facing"));
	/* The VF's group: vfio-pci owns it, its domain is not in sysfs. */
	CHECK(strstr(r.out, "group 6: not judged: unknown: the current domain of group 6"));
	CHECK(!strstr(r.out, "PTHRU-004 identity-domain  0000:03:00.0"));
	unit_run_free(&r);

	run_on_tree(&r, 0, "-j", "audit", "--no-module", "--fail-on", "none");
	CHECK(strstr(r.out, "{\"schema\":2,\"kind\":\"pthru-audit\",\"source\":\"sysfs\",\"generation\":null,\"refreshed\":false,") == r.out);
	CHECK(strstr(r.out, "\"not_established\":[{\"id\":"));
	unit_json_doc("audit", r.out);
	unit_run_free(&r);
	/* The default threshold (high): acs-missing and pt are high. */
	run_on_tree(&r, 1, "audit", "--no-module");
	unit_run_free(&r);

	run_on_tree(&r, 0, "-j", "dev", "--no-module");
	CHECK(strstr(r.out, "{\"schema\":2,\"source\":\"sysfs\",\"devices\":[\n") == r.out);
	/* Unknown facts are null, known ones are not. */
	CHECK(strstr(r.out, "{\"addr\":\"0000:03:00.0\",\"vendor\":\"15b3\""));
	CHECK(strstr(r.out, "\"driver\":\"mlx5_core\",\"group\":5,\"domain_type\":\"identity\",\"ats_supported\":true,\"ats_enabled\":true,\"untrusted\":null,\"external_facing\":false,"));
	unit_json_doc("dev", r.out);
	unit_run_free(&r);
	run_on_tree(&r, 0, "-j", "dev", "show", "03:00.1", "--no-module");
	CHECK(strstr(r.out, "{\"source\":\"sysfs\",\"addr\":\"0000:03:00.1\",") == r.out);
	CHECK(strstr(r.out, "\"domain_type\":\"unknown\""));
	unit_json_doc("dev-show", r.out);
	unit_run_free(&r);
	run_on_tree(&r, 0, "-j", "group", "--no-module");
	CHECK(strstr(r.out, "{\"schema\":2,\"source\":\"sysfs\",\"groups\":[\n") == r.out);
	CHECK(strstr(r.out, "{\"id\":6,\"domain_type\":\"unknown\",\"isolated_msi\":\"unknown\",\"members\":[\"0000:03:00.1\"]"));
	unit_json_doc("group", r.out);
	unit_run_free(&r);
	run_on_tree(&r, 0, "-j", "group", "show", "5", "--no-module");
	unit_json_doc("group-show", r.out);
	unit_run_free(&r);
	run_on_tree(&r, 2, "group", "show", "8", "--no-module");
	CHECK_STR(r.err, "pthructl: no IOMMU group 8 in the sysfs inventory\n");
	unit_run_free(&r);

	/* A reason: the switch port without ACS. */
	run_on_tree(&r, 1, "check", "04:00.0", "--no-module");
	CHECK(strstr(r.out, "source: sysfs\n0000:04:00.0: NOT assignable\nreasons:\n"));
	unit_run_free(&r);
	run_on_tree(&r, 1, "-j", "check", "04:00.0", "--no-module");
	CHECK(strstr(r.out, "\"assignable\":false,\"established\":true,"));
	unit_json_doc("check", r.out);
	unit_run_free(&r);
	/*
	 * Without iommu=pt, no reason bears on the host bridge, but what
	 * does rests on unknown facts (MSI isolation, the default domain):
	 * not established.
	 */
	fake_host("6.12.118+deb12-amd64", "ro intel_iommu=on");
	run_on_tree(&r, 1, "check", "00:00.0", "--no-module");
	CHECK(strstr(r.out, "source: sysfs\n0000:00:00.0: not established: ") == r.out);
	CHECK(strstr(r.out, "\nnot established ("));
	unit_run_free(&r);
	run_on_tree(&r, 1, "-j", "check", "00:00.0", "--no-module");
	CHECK(strstr(r.out, "\"assignable\":false,\"established\":false,"));
	unit_json_doc("check", r.out);
	unit_run_free(&r);

	fake_path(policy, "policy.conf");
	fake_put("policy.conf", "rule 1 allow vendor 15b3 require acs-isolated\ndefault deny\n");
	run_on_tree(&r, 0, "-j", "policy", "test", policy, "--no-module");
	CHECK(strstr(r.out, "{\"schema\":2,\"source\":\"sysfs\","));
	unit_json_doc("policy-test", r.out);
	unit_run_free(&r);

	test_snapshot_commands(&r);
	unsetenv("PTHRU_SYSFS_ROOT");
	fake_sysfs_free();
}

void test_sysfs_source(void)
{
	test_intel();
	test_amd();
	test_virtio_iommu();
	test_short_config();
	test_cap_loops();
	test_noats();
	test_default_domain();
	test_unsafe_interrupts();
	test_absolute_link();
	test_no_sysfs();
	test_commands();
}
