// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pthru snapshot: building, finalizing (sorting,
 * linking, derived state), lookups, comparison and reference counting.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../pciaddr.h"
#include "../snapshot.h"

#define ROOT_PORT	PTHRU_PCIADDR(0, 0x00, 0x08)	/* 0000:00:01.0 */
#define HOST_BRIDGE	PTHRU_PCIADDR(0, 0x00, 0x00)	/* 0000:00:00.0 */
#define NIC_FN0		PTHRU_PCIADDR(0, 0x01, 0x00)	/* 0000:01:00.0 */
#define NIC_FN1		PTHRU_PCIADDR(0, 0x01, 0x01)	/* 0000:01:00.1 */
#define LONE_DEV	PTHRU_PCIADDR(0, 0x00, 0x18)	/* 0000:00:03.0 */
#define OTHER_DOMAIN	PTHRU_PCIADDR(1, 0x00, 0x00)	/* 0001:00:00.0 */

static struct pthru_dev *add_dev(struct kunit *test,
				 struct pthru_snapshot *snap, u32 addr,
				 s32 group_id)
{
	struct pthru_dev *dev = pthru_snapshot_add_dev(snap, addr, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->group_id = group_id;
	return dev;
}

static struct pthru_group *add_group(struct kunit *test,
				     struct pthru_snapshot *snap, s32 id,
				     enum pthru_domain_type type,
				     enum pthru_tristate isolated_msi)
{
	struct pthru_group *group;

	group = pthru_snapshot_add_group(snap, id, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, group);
	group->domain_type = type;
	group->isolated_msi = isolated_msi;
	return group;
}

/*
 * A small host, added in a scrambled order:
 *   group 7 (DMA-FQ): 0000:01:00.1, 0000:01:00.0 (a two-function NIC behind
 *                     the root port)
 *   group 2 (DMA):    0000:00:01.0 (the root port)
 *   group 5 (identity, no members)
 *   no group:         0001:00:00.0, 0000:00:00.0
 */
static struct pthru_snapshot *build_host(struct kunit *test)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct pthru_group *group;
	struct pthru_dev *dev;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	strscpy(snap->iommu_driver, "intel-vtd", sizeof(snap->iommu_driver));
	snap->iommu_units = 1;

	dev = add_dev(test, snap, NIC_FN1, 7);
	dev->vendor = 0x8086;
	dev->has_upstream = true;
	dev->upstream_addr = ROOT_PORT;
	dev->multifunction = true;
	dev = add_dev(test, snap, OTHER_DOMAIN, PTHRU_NO_GROUP);
	dev = add_dev(test, snap, ROOT_PORT, 2);
	dev->is_pcie = true;
	dev->pcie_type = 4;
	dev->acs_pos = 0x148;
	dev->acs_cap = 0x1f;
	dev->acs_ctrl = 0x1d;
	dev = add_dev(test, snap, NIC_FN0, 7);
	dev->vendor = 0x8086;
	strscpy(dev->driver, "ixgbe", sizeof(dev->driver));
	dev->has_upstream = true;
	dev->upstream_addr = ROOT_PORT;
	dev->multifunction = true;
	dev = add_dev(test, snap, HOST_BRIDGE, PTHRU_NO_GROUP);

	add_group(test, snap, 7, PTHRU_DOMAIN_TYPE_DMA_FQ, PTHRU_TRISTATE_YES);
	group = add_group(test, snap, 2, PTHRU_DOMAIN_TYPE_DMA,
			  PTHRU_TRISTATE_YES);
	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group, 0xfee00000,
						   0xfeefffff,
						   PTHRU_RESV_TYPE_MSI,
						   GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group, 0x7c000000,
						   0x7fffffff,
						   PTHRU_RESV_TYPE_DIRECT,
						   GFP_KERNEL), 0);
	add_group(test, snap, 5, PTHRU_DOMAIN_TYPE_IDENTITY,
		  PTHRU_TRISTATE_YES);
	return snap;
}

static struct pthru_snapshot *build_final_host(struct kunit *test)
{
	struct pthru_snapshot *snap = build_host(test);

	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	return snap;
}

static void snapshot_alloc_defaults(struct kunit *test)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, snap);
	KUNIT_EXPECT_EQ(test, kref_read(&snap->ref), 1U);
	KUNIT_EXPECT_EQ(test, snap->generation, 0U);
	KUNIT_EXPECT_STREQ(test, snap->iommu_driver, "none");
	KUNIT_EXPECT_EQ(test, snap->intr_remap, PTHRU_TRISTATE_UNKNOWN);
	KUNIT_EXPECT_EQ(test, snap->nr_devs, 0U);
	KUNIT_EXPECT_EQ(test, snap->nr_groups, 0U);

	/* An empty host finalizes: nothing to find, no IOMMU. */
	KUNIT_EXPECT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, snap->iommu_present);
	KUNIT_EXPECT_EQ(test, snap->intr_remap, PTHRU_TRISTATE_UNKNOWN);
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_dev(snap, 0));
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_group(snap, 0));
	pthru_snapshot_put(snap);
}

static void snapshot_new_dev_defaults(struct kunit *test)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct pthru_dev *dev;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	dev = pthru_snapshot_add_dev(snap, NIC_FN0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, dev->addr, NIC_FN0);
	KUNIT_EXPECT_EQ(test, dev->group_id, PTHRU_NO_GROUP);
	KUNIT_EXPECT_EQ(test, dev->group_idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_EQ(test, dev->upstream_idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_EQ(test, dev->domain_type, PTHRU_DOMAIN_TYPE_NONE);
	KUNIT_EXPECT_STREQ(test, dev->driver, "");
	KUNIT_EXPECT_EQ(test, dev->acs_pos, 0);
	KUNIT_EXPECT_FALSE(test, dev->has_upstream);
	KUNIT_EXPECT_FALSE(test, dev->is_pcie);
	pthru_snapshot_put(snap);
}

static void snapshot_sorts_devs(struct kunit *test)
{
	struct pthru_snapshot *snap = build_final_host(test);
	static const u32 order[] = {
		HOST_BRIDGE, ROOT_PORT, NIC_FN0, NIC_FN1, OTHER_DOMAIN,
	};
	u32 i;

	KUNIT_ASSERT_EQ(test, snap->nr_devs, (u32)ARRAY_SIZE(order));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		KUNIT_EXPECT_EQ_MSG(test, snap->devs[i].addr, order[i],
				    "position %u", i);
	pthru_snapshot_put(snap);
}

static void snapshot_finds_devs(struct kunit *test)
{
	struct pthru_snapshot *snap = build_host(test);
	struct pthru_dev *dev;

	/* Nothing is found before finalize. */
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_dev(snap, NIC_FN0));
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);

	dev = pthru_snapshot_find_dev(snap, NIC_FN0);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, dev->addr, NIC_FN0);
	KUNIT_EXPECT_STREQ(test, dev->driver, "ixgbe");

	dev = pthru_snapshot_find_dev(snap, ROOT_PORT);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, dev->acs_ctrl, 0x1d);

	KUNIT_EXPECT_NOT_NULL(test, pthru_snapshot_find_dev(snap, HOST_BRIDGE));
	KUNIT_EXPECT_NOT_NULL(test, pthru_snapshot_find_dev(snap, OTHER_DOMAIN));
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_dev(snap, LONE_DEV));
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_dev(snap, 0xffffffff));
	pthru_snapshot_put(snap);
}

static void snapshot_links_upstream(struct kunit *test)
{
	struct pthru_snapshot *snap = build_host(test);
	struct pthru_dev *dev, *port;

	/* A bridge that is not in the snapshot keeps its address only. */
	dev = add_dev(test, snap, LONE_DEV, PTHRU_NO_GROUP);
	dev->has_upstream = true;
	dev->upstream_addr = PTHRU_PCIADDR(0, 0x42, 0);
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);

	port = pthru_snapshot_find_dev(snap, ROOT_PORT);
	KUNIT_ASSERT_NOT_NULL(test, port);
	KUNIT_EXPECT_EQ(test, port->upstream_idx, PTHRU_NO_INDEX);

	dev = pthru_snapshot_find_dev(snap, NIC_FN0);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_ASSERT_NE(test, dev->upstream_idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_PTR_EQ(test, &snap->devs[dev->upstream_idx], port);

	dev = pthru_snapshot_find_dev(snap, NIC_FN1);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_PTR_EQ(test, &snap->devs[dev->upstream_idx], port);

	dev = pthru_snapshot_find_dev(snap, LONE_DEV);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, dev->upstream_idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_EQ(test, dev->upstream_addr, PTHRU_PCIADDR(0, 0x42, 0));
	pthru_snapshot_put(snap);
}

static void snapshot_links_groups(struct kunit *test)
{
	struct pthru_snapshot *snap = build_final_host(test);
	struct pthru_group *group;
	struct pthru_dev *dev;

	KUNIT_ASSERT_EQ(test, snap->nr_groups, 3U);
	KUNIT_EXPECT_EQ(test, snap->groups[0].id, 2);
	KUNIT_EXPECT_EQ(test, snap->groups[1].id, 5);
	KUNIT_EXPECT_EQ(test, snap->groups[2].id, 7);

	/* Members are listed in address order, whatever the add order. */
	group = pthru_snapshot_find_group(snap, 7);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_ASSERT_EQ(test, group->nr_members, 2U);
	KUNIT_EXPECT_EQ(test, snap->devs[group->members[0]].addr, NIC_FN0);
	KUNIT_EXPECT_EQ(test, snap->devs[group->members[1]].addr, NIC_FN1);

	group = pthru_snapshot_find_group(snap, 2);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_ASSERT_EQ(test, group->nr_members, 1U);
	KUNIT_EXPECT_EQ(test, snap->devs[group->members[0]].addr, ROOT_PORT);

	group = pthru_snapshot_find_group(snap, 5);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_EXPECT_EQ(test, group->nr_members, 0U);

	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_group(snap, 3));
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_group(snap, -1));

	/* Functions point back at their group and take its domain type. */
	dev = pthru_snapshot_find_dev(snap, NIC_FN1);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, snap->groups[dev->group_idx].id, 7);
	KUNIT_EXPECT_EQ(test, dev->domain_type, PTHRU_DOMAIN_TYPE_DMA_FQ);
	dev = pthru_snapshot_find_dev(snap, ROOT_PORT);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, dev->domain_type, PTHRU_DOMAIN_TYPE_DMA);
	dev = pthru_snapshot_find_dev(snap, HOST_BRIDGE);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, dev->group_idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_EQ(test, dev->domain_type, PTHRU_DOMAIN_TYPE_NONE);
	pthru_snapshot_put(snap);
}

static void snapshot_add_group_dedups(struct kunit *test)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct pthru_group *first, *again;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	first = add_group(test, snap, 4, PTHRU_DOMAIN_TYPE_DMA,
			  PTHRU_TRISTATE_NO);
	KUNIT_EXPECT_EQ(test, first->id, 4);
	again = pthru_snapshot_add_group(snap, 4, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, again, first);
	KUNIT_EXPECT_EQ(test, snap->nr_groups, 1U);
	/* Finding the group again does not reset it. */
	KUNIT_EXPECT_EQ(test, again->domain_type, PTHRU_DOMAIN_TYPE_DMA);

	KUNIT_EXPECT_NULL(test, pthru_snapshot_add_group(snap, -1, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, snap->nr_groups, 1U);

	again = pthru_snapshot_add_group(snap, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_EXPECT_EQ(test, again->domain_type, PTHRU_DOMAIN_TYPE_NONE);
	KUNIT_EXPECT_EQ(test, again->isolated_msi, PTHRU_TRISTATE_UNKNOWN);
	KUNIT_EXPECT_EQ(test, snap->nr_groups, 2U);
	pthru_snapshot_put(snap);
}

/* Far more entries than the first allocation holds. */
static void snapshot_grows(struct kunit *test)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct pthru_group *group;
	struct pthru_dev *dev;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	/* Add 200 functions from the top down, one group per two. */
	for (i = 200; i-- > 0;) {
		dev = add_dev(test, snap, PTHRU_PCIADDR(0, i, 0), i / 2);
		dev->device = i;
		KUNIT_ASSERT_NOT_NULL(test, pthru_snapshot_add_group(snap, i / 2,
								     GFP_KERNEL));
	}
	group = pthru_snapshot_add_group(snap, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, group);
	for (i = 0; i < 40; i++)
		KUNIT_ASSERT_EQ(test,
				pthru_group_add_resv(group, 0x1000 * (40 - i),
						     0x1000 * (40 - i) + 0xfff,
						     PTHRU_RESV_TYPE_RESERVED,
						     GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);

	KUNIT_ASSERT_EQ(test, snap->nr_devs, 200U);
	KUNIT_ASSERT_EQ(test, snap->nr_groups, 100U);
	for (i = 0; i < 200; i++) {
		KUNIT_EXPECT_EQ(test, snap->devs[i].addr, PTHRU_PCIADDR(0, i, 0));
		KUNIT_EXPECT_EQ(test, snap->devs[i].device, i);
		KUNIT_EXPECT_EQ(test, snap->devs[i].group_idx, i / 2);
	}
	for (i = 0; i < 100; i++) {
		KUNIT_EXPECT_EQ(test, snap->groups[i].nr_members, 2U);
		KUNIT_EXPECT_EQ(test, snap->groups[i].members[0], 2 * i);
		KUNIT_EXPECT_EQ(test, snap->groups[i].members[1], 2 * i + 1);
	}
	group = pthru_snapshot_find_group(snap, 0);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_ASSERT_EQ(test, group->nr_resv, 40U);
	for (i = 0; i < 40; i++)
		KUNIT_EXPECT_EQ(test, group->resv[i].start, 0x1000ULL * (i + 1));
	pthru_snapshot_put(snap);
}

static void snapshot_sorts_resv(struct kunit *test)
{
	struct pthru_snapshot *snap = build_final_host(test);
	struct pthru_group *group = pthru_snapshot_find_group(snap, 2);

	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_ASSERT_EQ(test, group->nr_resv, 2U);
	KUNIT_EXPECT_EQ(test, group->resv[0].start, 0x7c000000ULL);
	KUNIT_EXPECT_EQ(test, group->resv[0].end, 0x7fffffffULL);
	KUNIT_EXPECT_EQ(test, group->resv[0].type, PTHRU_RESV_TYPE_DIRECT);
	KUNIT_EXPECT_EQ(test, group->resv[1].start, 0xfee00000ULL);
	KUNIT_EXPECT_EQ(test, group->resv[1].type, PTHRU_RESV_TYPE_MSI);
	pthru_snapshot_put(snap);
}

static void snapshot_rejects_empty_resv(struct kunit *test)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct pthru_group *group;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	group = add_group(test, snap, 1, PTHRU_DOMAIN_TYPE_DMA,
			  PTHRU_TRISTATE_YES);
	KUNIT_EXPECT_EQ(test, pthru_group_add_resv(group, 0x2000, 0x1fff,
						   PTHRU_RESV_TYPE_MSI,
						   GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, group->nr_resv, 0U);
	/* A one-byte region is not empty. */
	KUNIT_EXPECT_EQ(test, pthru_group_add_resv(group, 0x2000, 0x2000,
						   PTHRU_RESV_TYPE_MSI,
						   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, group->nr_resv, 1U);
	pthru_snapshot_put(snap);
}

static void snapshot_rejects_duplicate_dev(struct kunit *test)
{
	struct pthru_snapshot *snap = build_host(test);

	add_dev(test, snap, NIC_FN0, PTHRU_NO_GROUP);
	KUNIT_EXPECT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_FALSE(test, snap->finalized);
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_dev(snap, ROOT_PORT));
	pthru_snapshot_put(snap);
}

static void snapshot_rejects_duplicate_group(struct kunit *test)
{
	struct pthru_snapshot *snap = build_host(test);

	/* add_group() never duplicates; a caller writing ids directly can. */
	snap->groups[1].id = snap->groups[0].id;
	KUNIT_EXPECT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_group(snap, 7));
	pthru_snapshot_put(snap);
}

static void snapshot_rejects_unknown_group(struct kunit *test)
{
	struct pthru_snapshot *snap = build_host(test);

	add_dev(test, snap, LONE_DEV, 9);
	KUNIT_EXPECT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_FALSE(test, snap->finalized);
	pthru_snapshot_put(snap);
}

static void snapshot_refinalizes(struct kunit *test)
{
	struct pthru_snapshot *snap = build_final_host(test);
	struct pthru_group *group;

	/* Adding after finalize needs another finalize, which relinks. */
	add_dev(test, snap, LONE_DEV, 5);
	KUNIT_EXPECT_NULL(test, pthru_snapshot_find_dev(snap, NIC_FN0));
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	group = pthru_snapshot_find_group(snap, 5);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_ASSERT_EQ(test, group->nr_members, 1U);
	KUNIT_EXPECT_EQ(test, snap->devs[group->members[0]].addr, LONE_DEV);
	group = pthru_snapshot_find_group(snap, 7);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_EXPECT_EQ(test, group->nr_members, 2U);
	pthru_snapshot_put(snap);
}

static void snapshot_derives_host_state(struct kunit *test)
{
	struct pthru_snapshot *snap = build_final_host(test);

	KUNIT_EXPECT_TRUE(test, snap->iommu_present);
	KUNIT_EXPECT_EQ(test, snap->intr_remap, PTHRU_TRISTATE_YES);

	/* One group without isolated MSI makes the host "no"... */
	snap->groups[1].isolated_msi = PTHRU_TRISTATE_NO;
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, snap->intr_remap, PTHRU_TRISTATE_NO);

	/* ...even when another is unknown, */
	snap->groups[0].isolated_msi = PTHRU_TRISTATE_UNKNOWN;
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, snap->intr_remap, PTHRU_TRISTATE_NO);

	/* ...and an unknown group without a "no" makes it unknown. */
	snap->groups[1].isolated_msi = PTHRU_TRISTATE_YES;
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, snap->intr_remap, PTHRU_TRISTATE_UNKNOWN);
	pthru_snapshot_put(snap);
}

static void snapshot_same_host(struct kunit *test)
{
	struct pthru_snapshot *a = build_final_host(test);
	struct pthru_snapshot *b = build_final_host(test);
	struct pthru_dev *dev;

	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(b, a));

	/* The generation is not part of the host's state. */
	b->generation = 42;
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));

	/* Registers behind an absent ACS capability do not count... */
	dev = pthru_snapshot_find_dev(b, NIC_FN0);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->acs_ctrl = 0xffff;
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));
	dev->acs_ctrl = 0;

	/* ...but a present one's do. */
	dev = pthru_snapshot_find_dev(b, ROOT_PORT);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->acs_ctrl ^= 0x1;
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	dev->acs_ctrl ^= 0x1;
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));

	dev = pthru_snapshot_find_dev(b, NIC_FN1);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	strscpy(dev->driver, "vfio-pci", sizeof(dev->driver));
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	dev->driver[0] = '\0';
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));

	b->groups[2].domain_type = PTHRU_DOMAIN_TYPE_UNMANAGED;
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	b->groups[2].domain_type = PTHRU_DOMAIN_TYPE_DMA_FQ;

	b->groups[0].resv[1].type = PTHRU_RESV_TYPE_RESERVED;
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	b->groups[0].resv[1].type = PTHRU_RESV_TYPE_MSI;

	b->iommu_units = 2;
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	b->iommu_units = 1;
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));

	/* A function more is a different host; so is an unfinalized one. */
	add_dev(test, b, LONE_DEV, PTHRU_NO_GROUP);
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(b, GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));

	pthru_snapshot_put(a);
	pthru_snapshot_put(b);
}

static void add_note(struct kunit *test, struct pthru_snapshot *snap,
		     enum pthru_map_note_kind kind, s32 group, u32 domain,
		     u64 found, u64 count)
{
	struct pthru_map_note n = {
		.kind = kind, .group_id = group, .domain_id = domain,
		.iova = 0x200000, .expected = 0x5000000, .found = found,
		.count = count,
	};

	KUNIT_ASSERT_EQ(test, pthru_snapshot_add_map_note(snap, &n, GFP_KERNEL),
			0);
	/* A note is part of the snapshot's state: finalize again. */
	KUNIT_EXPECT_FALSE(test, snap->finalized);
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
}

static void snapshot_map_notes(struct kunit *test)
{
	struct pthru_snapshot *a = build_final_host(test);
	struct pthru_snapshot *b = build_final_host(test);
	const struct pthru_map_note *n;

	/* A new note is a new state... */
	add_note(test, b, PTHRU_MAP_NOTE_DISAGREES, 7, 3, 0x1234000, 1);
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(b, a));
	add_note(test, a, PTHRU_MAP_NOTE_DISAGREES, 7, 3, 0x1234000, 1);
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));

	/* ...a count that grows is not: the same thing seen again. */
	add_note(test, b, PTHRU_MAP_NOTE_DISAGREES, 7, 3, 0x9999000, 4);
	KUNIT_ASSERT_EQ(test, b->map_notes.nr, 1u);
	KUNIT_EXPECT_EQ(test, b->map_notes.items[0].count, 5ULL);
	KUNIT_EXPECT_EQ(test, b->map_notes.items[0].found, 0x1234000ULL);
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));

	/* ...but any other field is. */
	b->map_notes.items[0].found = 0x1235000;
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	b->map_notes.items[0].found = 0x1234000;
	b->map_notes.items[0].memory = PTHRU_PHYS_SLAB;
	KUNIT_EXPECT_FALSE(test, pthru_snapshot_same_host(a, b));
	b->map_notes.items[0].memory = 0;
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));

	/* Notes are sorted by kind, group and domain, whatever the order. */
	add_note(test, a, PTHRU_MAP_NOTE_STALE, 2, 5, 0x1000, 1);
	add_note(test, a, PTHRU_MAP_NOTE_DISAGREES, 2, 9, 0x1000, 1);
	add_note(test, a, PTHRU_MAP_NOTE_DISAGREES, 2, 4, 0x1000, 1);
	add_note(test, b, PTHRU_MAP_NOTE_DISAGREES, 2, 4, 0x1000, 1);
	add_note(test, b, PTHRU_MAP_NOTE_STALE, 2, 5, 0x1000, 1);
	add_note(test, b, PTHRU_MAP_NOTE_DISAGREES, 2, 9, 0x1000, 1);
	KUNIT_EXPECT_TRUE(test, pthru_snapshot_same_host(a, b));
	KUNIT_ASSERT_EQ(test, a->map_notes.nr, 4u);
	n = a->map_notes.items;
	KUNIT_EXPECT_EQ(test, n[0].domain_id, 4u);
	KUNIT_EXPECT_EQ(test, n[1].domain_id, 9u);
	KUNIT_EXPECT_EQ(test, n[2].group_id, 7);
	KUNIT_EXPECT_EQ(test, n[3].kind, (u32)PTHRU_MAP_NOTE_STALE);

	/* Released with the snapshot (kmemleak or KASAN would tell). */
	pthru_snapshot_put(a);
	pthru_snapshot_put(b);
}

static void snapshot_refcount(struct kunit *test)
{
	struct pthru_snapshot *snap = build_final_host(test);

	pthru_snapshot_get(snap);
	KUNIT_EXPECT_EQ(test, kref_read(&snap->ref), 2U);
	pthru_snapshot_put(snap);
	KUNIT_EXPECT_EQ(test, kref_read(&snap->ref), 1U);
	/* Still usable by the remaining holder. */
	KUNIT_EXPECT_NOT_NULL(test, pthru_snapshot_find_dev(snap, NIC_FN0));
	pthru_snapshot_put(snap);
	/* Putting NULL is allowed and does nothing. */
	pthru_snapshot_put(NULL);
}

static struct kunit_case snapshot_cases[] = {
	KUNIT_CASE(snapshot_alloc_defaults),
	KUNIT_CASE(snapshot_new_dev_defaults),
	KUNIT_CASE(snapshot_sorts_devs),
	KUNIT_CASE(snapshot_finds_devs),
	KUNIT_CASE(snapshot_links_upstream),
	KUNIT_CASE(snapshot_links_groups),
	KUNIT_CASE(snapshot_add_group_dedups),
	KUNIT_CASE(snapshot_grows),
	KUNIT_CASE(snapshot_sorts_resv),
	KUNIT_CASE(snapshot_rejects_empty_resv),
	KUNIT_CASE(snapshot_rejects_duplicate_dev),
	KUNIT_CASE(snapshot_rejects_duplicate_group),
	KUNIT_CASE(snapshot_rejects_unknown_group),
	KUNIT_CASE(snapshot_refinalizes),
	KUNIT_CASE(snapshot_derives_host_state),
	KUNIT_CASE(snapshot_same_host),
	KUNIT_CASE(snapshot_map_notes),
	KUNIT_CASE(snapshot_refcount),
	{}
};

static struct kunit_suite snapshot_suite = {
	.name = "pthru-snapshot",
	.test_cases = snapshot_cases,
};

kunit_test_suites(&snapshot_suite);

MODULE_DESCRIPTION("KUnit tests for pthru's host snapshot");
MODULE_LICENSE("GPL");
