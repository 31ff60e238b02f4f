// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the hazard engine: every rule on a synthetic host, the
 * ordering of the finding set, and the raise/clear diff.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "../hazard.h"
#include "topo.h"

/*
 *   00:02.0 RP (ACS on) - 01:00.0 USP - 02:00.0 DSP (no ACS) - 03:00.0
 *                                     \ 02:01.0 DSP (ACS on) - 04:00.0
 *   00:03.0 RP (ACS on) - 05:00.0 / 05:00.1 multifunction, one group
 *   00:04.0 RP (ACS on) - 06:00.0
 */
static const struct topo_fn host[] = {
	{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:00:03.0", NULL, PT_RP, 2, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:00:04.0", NULL, PT_RP, 7, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:01:00.0", "0000:00:02.0", PT_USP, 1, 0, 0, false, "pcieport" },
	{ "0000:02:00.0", "0000:01:00.0", PT_DSP, 3, 0, 0, false, "pcieport" },
	{ "0000:02:01.0", "0000:01:00.0", PT_DSP, 4, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:03:00.0", "0000:02:00.0", PT_EP, 3, 0, 0, false, "e1000e" },
	{ "0000:04:00.0", "0000:02:01.0", PT_EP, 4, 0, 0, false, "e1000e" },
	{ "0000:05:00.0", "0000:00:03.0", PT_EP, 5, 0, 0, true, "e1000e" },
	{ "0000:05:00.1", "0000:00:03.0", PT_EP, 5, 0, 0, true, "e1000e" },
	{ "0000:06:00.0", "0000:00:04.0", PT_EP, 6, 0, 0, false, "nvme" },
};

struct eval_case {
	struct pthru_snapshot *snap;
	struct pthru_isolation iso;
	struct pthru_findings set;
};

static struct pthru_snapshot *build(struct kunit *test)
{
	struct pthru_snapshot *snap = topo_build(test, host, ARRAY_SIZE(host));

	snap->iommu_present = true;
	snap->intr_remap = PTHRU_TRISTATE_YES;
	return snap;
}

static void evaluate(struct kunit *test, struct eval_case *ec)
{
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(ec->snap, &ec->iso,
						      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pthru_hazards_evaluate(ec->snap, &ec->iso,
						     &ec->set, GFP_KERNEL), 0);
}

static void release(struct eval_case *ec)
{
	pthru_findings_free(&ec->set);
	pthru_isolation_free(&ec->iso);
	pthru_snapshot_put(ec->snap);
}

/* Number of findings of @id, about @addr when not NULL. */
static int count(struct kunit *test, struct eval_case *ec,
		 enum pthru_hazard_id id, const char *addr)
{
	u32 i, want = addr ? topo_addr(test, addr) : 0;
	int n = 0;

	for (i = 0; i < ec->set.nr; i++) {
		const struct pthru_finding *f = &ec->set.items[i];

		if (f->id == id && (!addr || (f->has_addr && f->addr == want)))
			n++;
	}
	return n;
}

static const struct pthru_finding *find(struct eval_case *ec,
					enum pthru_hazard_id id)
{
	u32 i;

	for (i = 0; i < ec->set.nr; i++)
		if (ec->set.items[i].id == id)
			return &ec->set.items[i];
	return NULL;
}

static struct pthru_group *group(struct eval_case *ec, s32 id)
{
	return pthru_snapshot_find_group(ec->snap, id);
}

static void hazard_clean_parts_of_host(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	const struct pthru_finding *f;

	evaluate(test, &ec);
	/* Only the open switch port produces findings on this host. */
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_MISSING, NULL), 1);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_MISSING,
				    "0000:03:00.0"), 1);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_MISSING,
				    "0000:04:00.0"), 0);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_MISSING,
				    "0000:06:00.0"), 0);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_GROUP_NARROWER, NULL), 2);
	KUNIT_EXPECT_EQ(test, ec.set.nr, 3u);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_ACS_MISSING)->severity,
			PTHRU_SEVERITY_HIGH);
	KUNIT_EXPECT_NOT_NULL(test, strstr(find(&ec, PTHRU_HAZARD_ID_ACS_MISSING)->message,
					   "0000:02:00.0"));
	/* The message's facts, typed. */
	f = find(&ec, PTHRU_HAZARD_ID_ACS_MISSING);
	KUNIT_EXPECT_TRUE(test, f->facts.present & PTHRU_FACT_HOP);
	KUNIT_EXPECT_EQ(test, f->facts.hop, topo_addr(test, "0000:02:00.0"));
	KUNIT_EXPECT_EQ(test, f->facts.hop_kind, (u8)PTHRU_HOP_DOWNSTREAM);
	KUNIT_EXPECT_NE(test, f->facts.acs_needed, 0);
	KUNIT_EXPECT_EQ(test, f->facts.reach_count, 1u);
	KUNIT_EXPECT_NOT_NULL(test, strstr(find(&ec, PTHRU_HAZARD_ID_GROUP_NARROWER)->message,
					   "narrower"));
	f = find(&ec, PTHRU_HAZARD_ID_GROUP_NARROWER);
	KUNIT_EXPECT_EQ(test, f->facts.present,
			(u32)(PTHRU_FACT_PEER | PTHRU_FACT_PEER_GROUP));
	KUNIT_EXPECT_NE(test, f->facts.peer, f->addr);
	release(&ec);
}

static void hazard_acs_missing_nobody_there(struct kunit *test)
{
	static const struct topo_fn lone[] = {
		{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:01:00.0", "0000:00:02.0", PT_USP, 1 },
		{ "0000:02:00.0", "0000:01:00.0", PT_DSP, 3 },
		{ "0000:03:00.0", "0000:02:00.0", PT_EP, 3 },
	};
	struct eval_case ec = { .snap = topo_build(test, lone, ARRAY_SIZE(lone)) };

	ec.snap->iommu_present = true;
	evaluate(test, &ec);
	KUNIT_ASSERT_NOT_NULL(test, find(&ec, PTHRU_HAZARD_ID_ACS_MISSING));
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_ACS_MISSING)->severity,
			PTHRU_SEVERITY_MEDIUM);
	release(&ec);
}

/*
 * Two conventional functions on the bus of a PCIe-to-PCI bridge reach
 * each other, and the kernel put them (and the bridge) in one IOMMU group:
 * reach inside the group, which VFIO hands out whole, is info.
 */
static void hazard_acs_missing_inside_group(struct kunit *test)
{
	static const struct topo_fn shared[] = {
		{ "0000:00:04.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:09:00.0", "0000:00:04.0", PT_PCIE_PCI, 2 },
		{ "0000:0a:01.0", "0000:09:00.0", PT_LEGACY, 2 },
		{ "0000:0a:02.0", "0000:09:00.0", PT_LEGACY, 2 },
	};
	struct eval_case ec = { .snap = topo_build(test, shared, ARRAY_SIZE(shared)) };
	const struct pthru_finding *f;

	ec.snap->iommu_present = true;
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_MISSING, NULL), 2);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_GROUP_NARROWER, NULL), 0);
	f = find(&ec, PTHRU_HAZARD_ID_ACS_MISSING);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->severity, PTHRU_SEVERITY_INFO);
	KUNIT_EXPECT_EQ(test, f->facts.reach_count, 1u);
	KUNIT_EXPECT_EQ(test, f->facts.hop_kind, (u8)PTHRU_HOP_PCI_BUS);
	KUNIT_EXPECT_NOT_NULL(test, strstr(f->message, "of its own IOMMU group 2 only"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(f->message, "0000:09:00.0"));
	release(&ec);
}

/*
 * SR-IOV with the PF's ACS flags off: PF and VFs reach each other inside
 * the device, which the kernel split into groups: group-narrower says so.
 */
static void hazard_sriov_narrower(struct kunit *test)
{
	static const struct topo_fn fns[] = {
		{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:01:00.0", "0000:00:02.0", PT_EP, 2,
		  PTHRU_ACS_RR | PTHRU_ACS_CR, 0, .vfs = 1 },
		{ "0000:01:00.1", "0000:00:02.0", PT_EP, 3, .pf = "0000:01:00.0" },
	};
	struct eval_case ec = { .snap = topo_build(test, fns, ARRAY_SIZE(fns)) };
	const struct pthru_finding *f;
	u32 i;

	ec.snap->iommu_present = true;
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_GROUP_NARROWER, NULL), 2);
	f = find(&ec, PTHRU_HAZARD_ID_GROUP_NARROWER);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_NOT_NULL(test, strstr(f->message, "inside one SR-IOV device"));
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_MISSING,
				    "0000:01:00.1"), 1);
	/* The VF follows its PF's registers: the clause names the PF. */
	f = NULL;
	for (i = 0; i < ec.set.nr; i++)
		if (ec.set.items[i].id == PTHRU_HAZARD_ID_ACS_MISSING &&
		    ec.set.items[i].addr == topo_addr(test, "0000:01:00.1"))
			f = &ec.set.items[i];
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_NOT_NULL(test, strstr(f->message,
					   "function 0000:01:00.0 (its SR-IOV PF) has ACS flags not enabled: RR CR (cap 000c ctl 0000)"));
	KUNIT_EXPECT_EQ(test, f->severity, PTHRU_SEVERITY_HIGH);
	release(&ec);
}

/*
 * A bridge of a PCIe type pthru does not know: topology-unknown (info)
 * instead of an acs-missing that would claim flags; an unknown IOMMU
 * driver is named too.
 */
static void hazard_topology_unknown(struct kunit *test)
{
	static const struct topo_fn fns[] = {
		{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:01:00.0", "0000:00:02.0", PT_DSP, 1, ACS_ALL, ACS_ON },
		{ "0000:02:00.0", "0000:01:00.0", PT_EP, 2 },
	};
	struct eval_case ec = { .snap = topo_build(test, fns, ARRAY_SIZE(fns)) };
	const struct pthru_finding *f;

	ec.snap->iommu_present = true;
	ec.snap->devs[topo_idx(test, ec.snap, "0000:01:00.0")].pcie_type = 0xa;
	strscpy(ec.snap->iommu_driver, "foo-iommu", sizeof(ec.snap->iommu_driver));
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_MISSING, NULL), 0);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN,
				    "0000:02:00.0"), 1);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN,
				    NULL), 2);
	f = find(&ec, PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->severity, PTHRU_SEVERITY_INFO);
	KUNIT_EXPECT_TRUE(test,
			  strstr(f->message, "PCIe port type a that pthru does not know") ||
			  strstr(f->message, "foo-iommu, which pthru does not know"));
	release(&ec);
}

static void hazard_iommu_absent(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };

	ec.snap->iommu_present = false;
	evaluate(test, &ec);
	/* One host-wide finding; per-device rules make no sense without an IOMMU. */
	KUNIT_ASSERT_EQ(test, ec.set.nr, 1u);
	KUNIT_EXPECT_EQ(test, ec.set.items[0].id, PTHRU_HAZARD_ID_IOMMU_ABSENT);
	KUNIT_EXPECT_EQ(test, ec.set.items[0].severity, PTHRU_SEVERITY_CRITICAL);
	KUNIT_EXPECT_FALSE(test, ec.set.items[0].has_addr);
	release(&ec);
}

static void hazard_host_settings(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	u32 i;

	ec.snap->default_passthrough = true;
	ec.snap->unsafe_interrupts = PTHRU_TRISTATE_YES;
	ec.snap->intr_remap = PTHRU_TRISTATE_NO;
	for (i = 0; i < ec.snap->nr_groups; i++)
		ec.snap->groups[i].isolated_msi = PTHRU_TRISTATE_NO;
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH, NULL), 1);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS)->severity,
			PTHRU_SEVERITY_CRITICAL);
	/* No group isolated: one host-wide finding, not one per group. */
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_NO_ISOLATED_MSI, NULL), 1);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_NO_ISOLATED_MSI)->group_id,
			PTHRU_NO_GROUP);
	release(&ec);
}

static void hazard_one_group_without_isolated_msi(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };

	ec.snap->intr_remap = PTHRU_TRISTATE_NO;
	group(&ec, 6)->isolated_msi = PTHRU_TRISTATE_NO;
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_NO_ISOLATED_MSI, NULL), 1);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_NO_ISOLATED_MSI)->group_id, 6);
	release(&ec);
}

static void hazard_no_group_and_identity(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	struct pthru_dev *dev;

	dev = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:06:00.0"));
	dev->domain_type = PTHRU_DOMAIN_TYPE_IDENTITY;
	strscpy(dev->driver, "vfio-pci", sizeof(dev->driver));
	dev = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:04:00.0"));
	dev->domain_type = PTHRU_DOMAIN_TYPE_IDENTITY;	/* host driver: fine */
	dev = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:05:00.1"));
	dev->group_id = PTHRU_NO_GROUP;
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_IDENTITY_DOMAIN,
				    "0000:06:00.0"), 1);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_IDENTITY_DOMAIN, NULL), 1);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_IDENTITY_DOMAIN)->severity,
			PTHRU_SEVERITY_CRITICAL);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_NO_GROUP,
				    "0000:05:00.1"), 1);
	release(&ec);
}

static void hazard_acs_changed(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	struct pthru_dev *port;

	port = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:02:01.0"));
	port->acs_ctrl = 0;		/* setpci wrote it after boot */
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_CHANGED,
				    "0000:02:01.0"), 1);
	KUNIT_EXPECT_NOT_NULL(test, strstr(find(&ec, PTHRU_HAZARD_ID_ACS_CHANGED)->message,
					   "from 001d to 0000"));
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_ACS_CHANGED)->facts.acs_ctrl_baseline,
			0x001d);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_ACS_CHANGED)->facts.acs_ctrl, 0);
	/* ...and the port now lets 04:00.0 out too. */
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ACS_MISSING,
				    "0000:04:00.0"), 1);
	release(&ec);
}

static void hazard_regions(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };

	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group(&ec, 6), 0xfee00000,
						   0xfeefffff, PTHRU_RESV_TYPE_MSI,
						   GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group(&ec, 6), 0x7a000000,
						   0x7a0fffff, PTHRU_RESV_TYPE_DIRECT,
						   GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group(&ec, 5), 0, 0xffffff,
						   PTHRU_RESV_TYPE_DIRECT_RELAXABLE,
						   GFP_KERNEL), 0);
	/* Group 2 holds only a root port: not assignable, no finding. */
	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group(&ec, 2), 0x1000, 0x1fff,
						   PTHRU_RESV_TYPE_DIRECT,
						   GFP_KERNEL), 0);
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_DIRECT_REGION, NULL), 1);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_DIRECT_REGION)->group_id, 6);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_DIRECT_REGION)->severity,
			PTHRU_SEVERITY_HIGH);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_RELAXABLE_REGION)->group_id, 5);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_RELAXABLE_REGION)->severity,
			PTHRU_SEVERITY_LOW);
	release(&ec);
}

static void hazard_group_not_viable(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	struct pthru_dev *dev;

	dev = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:05:00.1"));
	strscpy(dev->driver, "vfio-pci", sizeof(dev->driver));
	/* A DSP on pcieport next to vfio-pci is viable: VFIO allows it. */
	dev = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:04:00.0"));
	strscpy(dev->driver, "vfio-pci", sizeof(dev->driver));
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_GROUP_NOT_VIABLE, NULL), 1);
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_GROUP_NOT_VIABLE)->group_id, 5);
	KUNIT_EXPECT_NOT_NULL(test, strstr(find(&ec, PTHRU_HAZARD_ID_GROUP_NOT_VIABLE)->message,
					   "e1000e"));
	release(&ec);
}

static void hazard_ats_and_lazy(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	struct pthru_dev *dev;

	dev = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:06:00.0"));
	dev->untrusted = true;
	dev->ats_enabled = true;
	dev->domain_type = PTHRU_DOMAIN_TYPE_DMA_FQ;
	dev = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:04:00.0"));
	dev->ats_enabled = true;
	strscpy(dev->driver, "uio_pci_generic", sizeof(dev->driver));
	group(&ec, 4)->domain_type = PTHRU_DOMAIN_TYPE_DMA_FQ;
	dev->domain_type = PTHRU_DOMAIN_TYPE_DMA_FQ;
	/* Trusted, host driver, lazy: the distribution default, no finding. */
	dev = pthru_snapshot_find_dev(ec.snap, topo_addr(test, "0000:03:00.0"));
	dev->domain_type = PTHRU_DOMAIN_TYPE_DMA_FQ;
	dev->ats_enabled = true;
	evaluate(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ATS_EXPOSED,
				    "0000:06:00.0"), 1);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ATS_EXPOSED,
				    "0000:04:00.0"), 1);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_ATS_EXPOSED, NULL), 2);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_LAZY_INVALIDATION,
				    "0000:06:00.0"), 1);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_LAZY_INVALIDATION,
				    "0000:03:00.0"), 0);
	/* One per-device (untrusted) and one per-group (uio on DMA-FQ). */
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_LAZY_INVALIDATION, NULL), 2);
	release(&ec);
}

static void hazard_sorted_and_named(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	u32 i;

	ec.snap->default_passthrough = true;
	evaluate(test, &ec);
	for (i = 1; i < ec.set.nr; i++)
		KUNIT_EXPECT_LT(test, pthru_finding_cmp(&ec.set.items[i - 1],
							&ec.set.items[i]), 0);
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_ACS_MISSING),
			   "acs-missing");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_CMDLINE_WEAKENING),
			   "cmdline-weakening");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_MAP_DISAGREES),
			   "map-disagrees");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_STALE_TRANSLATION),
			   "stale-translation");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_IDENTITY_OVER_RAM),
			   "identity-over-ram");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED),
			   "kernel-memory-mapped");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH),
			   "superpage-overreach");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_SHADOW_INCOMPLETE),
			   "shadow-incomplete");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_ACS_QUIRK),
			   "acs-quirk");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN),
			   "topology-unknown");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN + 1),
			   "unknown");
	KUNIT_EXPECT_STREQ(test, pthru_hazard_name(0), "unknown");
	KUNIT_EXPECT_STREQ(test, pthru_severity_name(PTHRU_SEVERITY_CRITICAL),
			   "critical");
	KUNIT_EXPECT_STREQ(test, pthru_severity_name(9), "unknown");
	for (i = PTHRU_HAZARD_ID_IOMMU_ABSENT; i <= PTHRU_HAZARD_ID_SHADOW_INCOMPLETE; i++) {
		KUNIT_EXPECT_STRNEQ(test, pthru_hazard_name(i), "unknown");
		KUNIT_EXPECT_GT(test, strlen(pthru_hazard_remediation(i)), (size_t)10);
	}
	KUNIT_EXPECT_TRUE(test, pthru_driver_is_passthrough("vfio-pci"));
	KUNIT_EXPECT_TRUE(test, pthru_driver_is_passthrough("mlx5-vfio-pci"));
	KUNIT_EXPECT_TRUE(test, pthru_driver_is_passthrough("mlx5_vfio_pci"));
	KUNIT_EXPECT_FALSE(test, pthru_driver_is_passthrough("_vfio_pci"));
	KUNIT_EXPECT_FALSE(test, pthru_driver_is_passthrough("mlx5_vfio"));
	KUNIT_EXPECT_TRUE(test, pthru_driver_is_passthrough("pci-stub"));
	KUNIT_EXPECT_FALSE(test, pthru_driver_is_passthrough("-vfio-pci"));
	KUNIT_EXPECT_FALSE(test, pthru_driver_is_passthrough("e1000e"));
	KUNIT_EXPECT_FALSE(test, pthru_driver_is_passthrough(""));
	release(&ec);
}

struct diff_log {
	int raised, cleared;
	enum pthru_hazard_id last_raised, last_cleared;
};

static void on_raise(const struct pthru_finding *f, void *ctx)
{
	struct diff_log *log = ctx;

	log->raised++;
	log->last_raised = f->id;
}

static void on_clear(const struct pthru_finding *f, void *ctx)
{
	struct diff_log *log = ctx;

	log->cleared++;
	log->last_cleared = f->id;
}

static void hazard_diff(struct kunit *test)
{
	struct eval_case before = { .snap = build(test) };
	struct eval_case after = { .snap = build(test) };
	struct diff_log log = { 0 };
	struct pthru_dev *port;

	evaluate(test, &before);
	/* Someone enables ACS on the open port and disables passthrough-safety. */
	port = pthru_snapshot_find_dev(after.snap, topo_addr(test, "0000:02:00.0"));
	port->acs_pos = 0x100;
	port->acs_cap = ACS_ALL;
	port->acs_ctrl = ACS_ON;
	port->acs_ctrl_baseline = ACS_ON;
	after.snap->unsafe_interrupts = PTHRU_TRISTATE_YES;
	evaluate(test, &after);

	pthru_findings_diff(&before.set, &after.set, on_raise, on_clear, &log);
	KUNIT_EXPECT_EQ(test, log.raised, 1);
	KUNIT_EXPECT_EQ(test, log.last_raised, PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS);
	KUNIT_EXPECT_EQ(test, log.cleared, 3);	/* acs-missing + 2 group-narrower */

	memset(&log, 0, sizeof(log));
	pthru_findings_diff(&after.set, &after.set, on_raise, on_clear, &log);
	KUNIT_EXPECT_EQ(test, log.raised + log.cleared, 0);
	release(&before);
	release(&after);
}

/* Notes of a verification walk, added before the snapshot is refinalized. */
static void add_note(struct kunit *test, struct eval_case *ec,
		     enum pthru_map_note_kind kind, s32 group, u32 domain,
		     u64 iova, u64 expected, u64 found, u32 memory, u64 count)
{
	struct pthru_map_note n = {
		.kind = kind, .group_id = group, .domain_id = domain,
		.iova = iova, .expected = expected, .found = found,
		.memory = memory, .count = count,
	};

	KUNIT_ASSERT_EQ(test, pthru_snapshot_add_map_note(ec->snap, &n,
							  GFP_KERNEL), 0);
}

static void evaluate_notes(struct kunit *test, struct eval_case *ec)
{
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(ec->snap, GFP_KERNEL), 0);
	evaluate(test, ec);
}

static void expect_finding(struct kunit *test, struct eval_case *ec,
			   enum pthru_hazard_id id, enum pthru_severity severity,
			   s32 group, const char *message)
{
	const struct pthru_finding *f = find(ec, id);

	KUNIT_ASSERT_NOT_NULL_MSG(test, f, "%s", pthru_hazard_name(id));
	KUNIT_EXPECT_EQ(test, count(test, ec, id, NULL), 1);
	KUNIT_EXPECT_EQ(test, f->severity, severity);
	KUNIT_EXPECT_EQ(test, f->group_id, group);
	KUNIT_EXPECT_FALSE(test, f->has_addr);
	KUNIT_EXPECT_STREQ(test, f->message, message);
}

#define NOP	PTHRU_MAP_NO_PHYS

static void hazard_map_notes(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };

	add_note(test, &ec, PTHRU_MAP_NOTE_INCOMPLETE, 6, 3, 0, NOP, NOP, 0, 12);
	add_note(test, &ec, PTHRU_MAP_NOTE_DISAGREES, 6, 3, 0x200000, 0x5678000,
		 0x1234000, 0, 2);
	add_note(test, &ec, PTHRU_MAP_NOTE_STALE, 6, 3, 0x10000, NOP, 0x7654000,
		 0, 1);
	add_note(test, &ec, PTHRU_MAP_NOTE_IDENTITY, 6, 3, 0x3f000000,
		 0x3f000000, 0x3f000000, PTHRU_PHYS_USER, 1);
	add_note(test, &ec, PTHRU_MAP_NOTE_KERNEL, 6, 3, 0x200000, 0x1234000,
		 0x1234000, PTHRU_PHYS_SLAB, 3);
	add_note(test, &ec, PTHRU_MAP_NOTE_OVERREACH, 6, 3, 0x201000, NOP,
		 0x1235000, 0, 1);
	evaluate_notes(test, &ec);

	expect_finding(test, &ec, PTHRU_HAZARD_ID_MAP_DISAGREES,
		       PTHRU_SEVERITY_HIGH, 6,
		       "domain 3: IOVA 0x200000 translates to another physical address than the shadow recorded (2 points)");
	expect_finding(test, &ec, PTHRU_HAZARD_ID_STALE_TRANSLATION,
		       PTHRU_SEVERITY_CRITICAL, 6,
		       "domain 3: IOVA 0x10000 still translates after its unmap (1 range)");
	expect_finding(test, &ec, PTHRU_HAZARD_ID_IDENTITY_OVER_RAM,
		       PTHRU_SEVERITY_HIGH, 6,
		       "domain 3 maps host RAM 1:1, IOVA equal to physical address (1 range)");
	expect_finding(test, &ec, PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED,
		       PTHRU_SEVERITY_CRITICAL, 6,
		       "domain 3: IOVA 0x200000 maps slab memory (3 points)");
	expect_finding(test, &ec, PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH,
		       PTHRU_SEVERITY_HIGH, 6,
		       "domain 3: IOVA 0x201000, past an end of a mapped range, still translates (1 point)");
	expect_finding(test, &ec, PTHRU_HAZARD_ID_SHADOW_INCOMPLETE,
		       PTHRU_SEVERITY_MEDIUM, 6,
		       "domain 3: the shadow lost 12 mappings; mapping findings cannot vouch for it");
	/* The host's own three findings plus one per note. */
	KUNIT_EXPECT_EQ(test, ec.set.nr, 3u + 6u);
	release(&ec);
}

/*
 * The physical addresses of mapping findings are typed facts of their own
 * (only privileged readers get them) and never part of a message; the
 * IOVA of a 1:1 mapping is one too.
 */
static void hazard_map_facts(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	const struct pthru_finding *f;
	char hex[24];
	u32 i;

	add_note(test, &ec, PTHRU_MAP_NOTE_DISAGREES, 6, 3, 0x200000, 0x5678000,
		 0x1234000, 0, 2);
	add_note(test, &ec, PTHRU_MAP_NOTE_IDENTITY, 6, 3, 0x3f000000,
		 0x3f000000, 0x3f000000, PTHRU_PHYS_USER, 1);
	add_note(test, &ec, PTHRU_MAP_NOTE_KERNEL, 6, 3, 0x200000, 0x1234000,
		 0x1234000, PTHRU_PHYS_SLAB, 3);
	add_note(test, &ec, PTHRU_MAP_NOTE_INCOMPLETE, 6, 3, 0, NOP, NOP, 0, 12);
	evaluate_notes(test, &ec);

	f = find(&ec, PTHRU_HAZARD_ID_MAP_DISAGREES);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->facts.present,
			(u32)(PTHRU_FACT_MAP | PTHRU_FACT_IOVA | PTHRU_FACT_PHYS |
			      PTHRU_FACT_PHYS_EXPECTED));
	KUNIT_EXPECT_EQ(test, f->facts.domain_id, 3u);
	KUNIT_EXPECT_EQ(test, f->facts.iova, 0x200000ull);
	KUNIT_EXPECT_EQ(test, f->facts.phys, 0x1234000ull);
	KUNIT_EXPECT_EQ(test, f->facts.phys_expected, 0x5678000ull);
	KUNIT_EXPECT_EQ(test, f->facts.count, 2ull);

	f = find(&ec, PTHRU_HAZARD_ID_IDENTITY_OVER_RAM);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_FALSE(test, f->facts.present & PTHRU_FACT_IOVA);
	KUNIT_EXPECT_TRUE(test, f->facts.present & PTHRU_FACT_PHYS);
	KUNIT_EXPECT_EQ(test, f->facts.phys, 0x3f000000ull);
	KUNIT_EXPECT_EQ(test, f->facts.memory, (u8)PTHRU_PHYS_USER);

	f = find(&ec, PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->facts.memory, (u8)PTHRU_PHYS_SLAB);
	KUNIT_EXPECT_EQ(test, f->facts.phys, 0x1234000ull);

	f = find(&ec, PTHRU_HAZARD_ID_SHADOW_INCOMPLETE);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->facts.present, (u32)PTHRU_FACT_MAP);
	KUNIT_EXPECT_EQ(test, f->facts.count, 12ull);

	/* No message holds any of the physical addresses. */
	for (i = 0; i < ec.set.nr; i++) {
		static const u64 phys[] = { 0x1234000, 0x5678000, 0x3f000000 };
		unsigned int p;

		for (p = 0; p < ARRAY_SIZE(phys); p++) {
			snprintf(hex, sizeof(hex), "%#llx", phys[p]);
			KUNIT_EXPECT_NULL_MSG(test,
					      strstr(ec.set.items[i].message, hex),
					      "%s", ec.set.items[i].message);
		}
	}
	release(&ec);
}

static void hazard_map_disagrees_wording(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };

	/* A translation the shadow does not hold, and one that is missing. */
	add_note(test, &ec, PTHRU_MAP_NOTE_DISAGREES, 5, 3, 0x200000, NOP,
		 0x1234000, 0, 1);
	add_note(test, &ec, PTHRU_MAP_NOTE_DISAGREES, 6, 4, 0x200000, 0x5678000,
		 NOP, 0, 4);
	add_note(test, &ec, PTHRU_MAP_NOTE_KERNEL, 6, 4, 0x9000, 0xa000,
		 0xa000, PTHRU_PHYS_RESERVED, 1);
	add_note(test, &ec, PTHRU_MAP_NOTE_INCOMPLETE, 5, 3, 0, NOP, NOP, 0, 0);
	evaluate_notes(test, &ec);
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_MAP_DISAGREES,
				    NULL), 2);
	KUNIT_EXPECT_STREQ(test, ec.set.items[3].message,
			   "domain 3: IOVA 0x200000 translates although the shadow holds no mapping for it (1 point)");
	KUNIT_EXPECT_EQ(test, ec.set.items[3].group_id, 5);
	KUNIT_EXPECT_STREQ(test, ec.set.items[4].message,
			   "domain 4: IOVA 0x200000 does not translate although the shadow maps it (4 points)");
	KUNIT_EXPECT_STREQ(test, find(&ec, PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED)->message,
			   "domain 4: IOVA 0x9000 maps reserved memory (1 point)");
	KUNIT_EXPECT_STREQ(test, find(&ec, PTHRU_HAZARD_ID_SHADOW_INCOMPLETE)->message,
			   "domain 3: the shadow may miss mappings; mapping findings cannot vouch for it");
	release(&ec);
}

static void hazard_map_notes_aggregate(struct kunit *test)
{
	struct eval_case ec = { .snap = build(test) };
	u32 i;

	/* Added out of order: finalize sorts by kind, group and domain. */
	add_note(test, &ec, PTHRU_MAP_NOTE_KERNEL, PTHRU_NO_GROUP, 9, 0x1000,
		 0x2000, 0x2000, PTHRU_PHYS_FREE, 1);
	add_note(test, &ec, PTHRU_MAP_NOTE_DISAGREES, 6, 8, 0x4000, 0x5000,
		 0x6000, 0, 5);
	add_note(test, &ec, PTHRU_MAP_NOTE_KERNEL, PTHRU_NO_GROUP, 2, 0x3000,
		 0x7000, 0x7000, PTHRU_PHYS_SLAB, 2);
	add_note(test, &ec, PTHRU_MAP_NOTE_KERNEL, PTHRU_NO_GROUP, 4, 0x3000,
		 0x8000, 0x8000, PTHRU_PHYS_SLAB, 4);
	add_note(test, &ec, PTHRU_MAP_NOTE_DISAGREES, 6, 3, 0x200000, 0x5678000,
		 0x1234000, 0, 2);
	add_note(test, &ec, PTHRU_MAP_NOTE_DISAGREES, 4, 1, 0x1000, 0x1000,
		 0x2000, 0, 1);
	evaluate_notes(test, &ec);

	/* Two domains in group 6: one finding, the lower domain named. */
	KUNIT_EXPECT_EQ(test, count(test, &ec, PTHRU_HAZARD_ID_MAP_DISAGREES,
				    NULL), 2);
	KUNIT_EXPECT_EQ(test, count(test, &ec,
				    PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED, NULL),
			1);
	for (i = 0; i < ec.set.nr; i++) {
		const struct pthru_finding *f = &ec.set.items[i];

		if (f->id == PTHRU_HAZARD_ID_MAP_DISAGREES && f->group_id == 6)
			KUNIT_EXPECT_STREQ(test, f->message,
					   "domain 3: IOVA 0x200000 translates to another physical address than the shadow recorded (7 points) and 1 more domain");
	}
	/* Three domains outside any group share the no-group finding. */
	KUNIT_EXPECT_EQ(test, find(&ec, PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED)->group_id,
			PTHRU_NO_GROUP);
	KUNIT_EXPECT_STREQ(test, find(&ec, PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED)->message,
			   "domain 2: IOVA 0x3000 maps slab memory (7 points) and 2 more domains");

	/* Sorted and unique by key, which the raise/clear diff relies on. */
	for (i = 1; i < ec.set.nr; i++)
		KUNIT_EXPECT_LT(test, pthru_finding_cmp(&ec.set.items[i - 1],
							&ec.set.items[i]), 0);
	release(&ec);
}

static void hazard_map_notes_diff(struct kunit *test)
{
	struct eval_case before = { .snap = build(test) };
	struct eval_case after = { .snap = build(test) };
	struct diff_log log = { 0 };

	add_note(test, &before, PTHRU_MAP_NOTE_STALE, 6, 3, 0x10000, NOP,
		 0x7654000, 0, 1);
	evaluate_notes(test, &before);
	/* The same stale range seen twice more, and a new kind. */
	add_note(test, &after, PTHRU_MAP_NOTE_STALE, 6, 3, 0x10000, NOP,
		 0x7654000, 0, 3);
	add_note(test, &after, PTHRU_MAP_NOTE_OVERREACH, 6, 3, 0x201000, NOP,
		 0x1235000, 0, 1);
	evaluate_notes(test, &after);
	pthru_findings_diff(&before.set, &after.set, on_raise, on_clear, &log);
	KUNIT_EXPECT_EQ(test, log.raised, 1);
	KUNIT_EXPECT_EQ(test, log.last_raised, PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH);
	KUNIT_EXPECT_EQ(test, log.cleared, 0);
	release(&before);
	release(&after);
}

static struct kunit_case hazard_cases[] = {
	KUNIT_CASE(hazard_clean_parts_of_host),
	KUNIT_CASE(hazard_acs_missing_nobody_there),
	KUNIT_CASE(hazard_acs_missing_inside_group),
	KUNIT_CASE(hazard_sriov_narrower),
	KUNIT_CASE(hazard_topology_unknown),
	KUNIT_CASE(hazard_iommu_absent),
	KUNIT_CASE(hazard_host_settings),
	KUNIT_CASE(hazard_one_group_without_isolated_msi),
	KUNIT_CASE(hazard_no_group_and_identity),
	KUNIT_CASE(hazard_acs_changed),
	KUNIT_CASE(hazard_regions),
	KUNIT_CASE(hazard_group_not_viable),
	KUNIT_CASE(hazard_ats_and_lazy),
	KUNIT_CASE(hazard_sorted_and_named),
	KUNIT_CASE(hazard_diff),
	KUNIT_CASE(hazard_map_notes),
	KUNIT_CASE(hazard_map_facts),
	KUNIT_CASE(hazard_map_disagrees_wording),
	KUNIT_CASE(hazard_map_notes_aggregate),
	KUNIT_CASE(hazard_map_notes_diff),
	{}
};

static struct kunit_suite hazard_suite = {
	.name = "pthru_hazard",
	.test_cases = hazard_cases,
};

kunit_test_suites(&hazard_suite);

MODULE_LICENSE("GPL");
