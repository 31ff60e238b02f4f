/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic topologies for the reachability and hazard tests: a table of
 * functions, each naming its upstream bridge, becomes a finalized snapshot
 * with one IOMMU group per distinct group number.
 */
#ifndef _PTHRU_TEST_TOPO_H
#define _PTHRU_TEST_TOPO_H

#include <kunit/test.h>
#include <linux/string.h>

#include "../pciaddr.h"
#include "../snapshot.h"

#define TOPO_ROOT	0x0400	/* class codes >> 8 */
#define TOPO_BRIDGE	0x0604
#define TOPO_NIC	0x0200
#define TOPO_NONE	(-1)

#define PT_RP		4	/* PCIe Device/Port Types */
#define PT_USP		5
#define PT_DSP		6
#define PT_EP		0
#define PT_PCIE_PCI	7
#define PT_LEGACY	0xff	/* conventional PCI: no PCIe capability */

#define ACS_ALL		0x001f	/* SV TB RR CR UF implemented */
#define ACS_ON		0x001d	/* SV RR CR UF enabled */

/**
 * struct topo_fn - one row of a synthetic topology
 * @addr: "dddd:bb:dd.f"
 * @up: address of the upstream bridge, or NULL on a root bus
 * @type: PT_* PCIe type
 * @group: IOMMU group number, or TOPO_NONE
 * @acs_cap: ACS capability (0: no ACS capability at all)
 * @acs_ctrl: ACS control
 * @mf: multifunction
 * @driver: bound driver or NULL
 * @pf: for an SR-IOV virtual function, the address of its PF; else NULL
 * @vfs: for an SR-IOV physical function, its number of VFs now (the row
 *	has an SR-IOV capability when @vfs or @sriov is set)
 * @sriov: the row has an SR-IOV capability
 */
struct topo_fn {
	const char *addr;
	const char *up;
	u8 type;
	s32 group;
	u16 acs_cap;
	u16 acs_ctrl;
	bool mf;
	const char *driver;
	const char *pf;
	u16 vfs;
	bool sriov;
};

static inline u32 topo_addr(struct kunit *test, const char *str)
{
	u32 addr;

	KUNIT_ASSERT_EQ(test, pthru_pciaddr_parse(str, &addr), 0);
	return addr;
}

/* Add group @id unless an earlier row already did (find needs finalize). */
static inline void topo_add_group(struct kunit *test,
				  struct pthru_snapshot *snap, s32 id)
{
	struct pthru_group *group;
	unsigned int g;

	for (g = 0; g < snap->nr_groups; g++)
		if (snap->groups[g].id == id)
			return;
	group = pthru_snapshot_add_group(snap, id, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, group);
	group->domain_type = PTHRU_DOMAIN_TYPE_DMA;
	group->isolated_msi = PTHRU_TRISTATE_YES;
}

static inline struct pthru_snapshot *
topo_build(struct kunit *test, const struct topo_fn *fns, unsigned int nr)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	strscpy(snap->iommu_driver, "intel-vtd", sizeof(snap->iommu_driver));
	for (i = 0; i < nr; i++) {
		const struct topo_fn *fn = &fns[i];
		struct pthru_dev *dev;

		dev = pthru_snapshot_add_dev(snap, topo_addr(test, fn->addr),
					     GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, dev);
		dev->class = (fn->type == PT_RP || fn->type == PT_USP ||
			      fn->type == PT_DSP || fn->type == PT_PCIE_PCI) ?
			     TOPO_BRIDGE << 8 : TOPO_NIC << 8;
		dev->is_pcie = fn->type != PT_LEGACY;
		dev->pcie_type = fn->type == PT_LEGACY ? 0 : fn->type;
		dev->group_id = fn->group;
		if (fn->acs_cap) {
			dev->acs_pos = 0x100;
			dev->acs_cap = fn->acs_cap;
			dev->acs_ctrl = fn->acs_ctrl;
			dev->acs_ctrl_baseline = fn->acs_ctrl;
		}
		dev->multifunction = fn->mf;
		if (fn->driver)
			strscpy(dev->driver, fn->driver, sizeof(dev->driver));
		if (fn->pf) {
			dev->is_vf = true;
			dev->pf_addr = topo_addr(test, fn->pf);
		}
		dev->sriov = fn->sriov || fn->vfs;
		dev->sriov_vfs = fn->vfs;
		if (fn->up) {
			dev->has_upstream = true;
			dev->upstream_addr = topo_addr(test, fn->up);
		}
		if (fn->group != TOPO_NONE)
			topo_add_group(test, snap, fn->group);
	}
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	return snap;
}

static inline u32 topo_idx(struct kunit *test, struct pthru_snapshot *snap,
			   const char *addr)
{
	struct pthru_dev *dev = pthru_snapshot_find_dev(snap, topo_addr(test, addr));

	KUNIT_ASSERT_NOT_NULL(test, dev);
	return dev - snap->devs;
}

#endif /* _PTHRU_TEST_TOPO_H */
