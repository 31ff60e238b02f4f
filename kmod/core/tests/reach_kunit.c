// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for peer reachability: ACS as an egress control at each hop,
 * isolation groups as the closure of "can reach", and the comparison with
 * the kernel's IOMMU groups.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "../reach.h"
#include "topo.h"

struct reach_case {
	struct pthru_snapshot *snap;
	struct pthru_isolation iso;
};

static const struct pthru_reach *reach_of(struct kunit *test,
					  struct reach_case *rc,
					  const char *addr)
{
	return &rc->iso.reach[topo_idx(test, rc->snap, addr)];
}

static void compute(struct kunit *test, struct reach_case *rc,
		    const struct topo_fn *fns, unsigned int nr)
{
	rc->snap = topo_build(test, fns, nr);
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(rc->snap, &rc->iso,
						      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, rc->iso.nr_devs, rc->snap->nr_devs);
}

static void release(struct reach_case *rc)
{
	pthru_isolation_free(&rc->iso);
	pthru_snapshot_put(rc->snap);
}

/*
 * The QEMU "acs" profile: a root port with ACS above a switch whose first
 * downstream port has no ACS and whose second has ACS enabled; the kernel
 * gave each downstream port's subtree its own group.
 *
 *   00:02.0 RP (ACS on) - 01:00.0 USP - 02:00.0 DSP (no ACS) - 03:00.0 NIC
 *                                     \ 02:01.0 DSP (ACS on) - 04:00.0 NIC
 */
static const struct topo_fn partial_switch[] = {
	{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
	{ "0000:01:00.0", "0000:00:02.0", PT_USP, 2 },
	{ "0000:02:00.0", "0000:01:00.0", PT_DSP, 3 },
	{ "0000:02:01.0", "0000:01:00.0", PT_DSP, 4, ACS_ALL, ACS_ON },
	{ "0000:03:00.0", "0000:02:00.0", PT_EP, 3 },
	{ "0000:04:00.0", "0000:02:01.0", PT_EP, 4 },
};

static void reach_switch_partial_acs(struct kunit *test)
{
	struct reach_case rc;
	const struct pthru_reach *a, *b;

	compute(test, &rc, partial_switch, ARRAY_SIZE(partial_switch));
	a = reach_of(test, &rc, "0000:03:00.0");
	b = reach_of(test, &rc, "0000:04:00.0");

	/* Egress: the open port lets 03:00.0 out, the ACS port keeps 04:00.0 in. */
	KUNIT_EXPECT_EQ(test, a->reach_count, 1u);
	KUNIT_EXPECT_EQ(test, a->open.idx, (s32)topo_idx(test, rc.snap, "0000:02:00.0"));
	KUNIT_EXPECT_EQ(test, a->open.kind, PTHRU_HOP_DOWNSTREAM);
	KUNIT_EXPECT_EQ(test, a->open.missing, (u16)PTHRU_ACS_PORT_FLAGS);
	KUNIT_EXPECT_EQ(test, b->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, b->open.idx, PTHRU_NO_INDEX);

	/* ...but reaching is enough to share an isolation group. */
	KUNIT_EXPECT_EQ(test, a->iso_group, b->iso_group);
	KUNIT_EXPECT_EQ(test, rc.iso.nr_iso_groups, 1u);
	KUNIT_EXPECT_TRUE(test, a->narrower);
	KUNIT_EXPECT_TRUE(test, b->narrower);
	KUNIT_EXPECT_EQ(test, a->narrower_peer, (s32)topo_idx(test, rc.snap, "0000:04:00.0"));

	/* Bridges are not assigned and get no isolation group. */
	KUNIT_EXPECT_EQ(test, reach_of(test, &rc, "0000:02:00.0")->iso_group, -1);
	release(&rc);
}

/*
 * An isolation set that spans two IOMMU groups makes every member's group
 * narrower, also the members that share the group of the set's first
 * function.  A multifunction device without ACS (one group) below a port
 * with ACS, and a NIC below the switch's other port, which has none: the
 * NIC reaches both functions.
 *
 *   00:02.0 RP (ACS on) - 01:00.0 USP - 02:00.0 DSP (ACS on) - 03:00.0/.1
 *                                     \ 02:01.0 DSP (no ACS) - 04:00.0 NIC
 */
static void reach_narrower_every_member(struct kunit *test)
{
	static const struct topo_fn fns[] = {
		{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:01:00.0", "0000:00:02.0", PT_USP, 2 },
		{ "0000:02:00.0", "0000:01:00.0", PT_DSP, 3, ACS_ALL, ACS_ON },
		{ "0000:02:01.0", "0000:01:00.0", PT_DSP, 4 },
		{ "0000:03:00.0", "0000:02:00.0", PT_EP, 3, 0, 0, true },
		{ "0000:03:00.1", "0000:02:00.0", PT_EP, 3, 0, 0, true },
		{ "0000:04:00.0", "0000:02:01.0", PT_EP, 4 },
	};
	const struct pthru_reach *f0, *f1, *nic;
	struct reach_case rc;
	s32 nic_idx;

	compute(test, &rc, fns, ARRAY_SIZE(fns));
	f0 = reach_of(test, &rc, "0000:03:00.0");
	f1 = reach_of(test, &rc, "0000:03:00.1");
	nic = reach_of(test, &rc, "0000:04:00.0");
	nic_idx = topo_idx(test, rc.snap, "0000:04:00.0");
	KUNIT_EXPECT_EQ(test, nic->reach_count, 2u);
	KUNIT_EXPECT_EQ(test, f0->iso_group, nic->iso_group);
	KUNIT_EXPECT_EQ(test, f1->iso_group, nic->iso_group);
	KUNIT_EXPECT_TRUE(test, f0->narrower);
	KUNIT_EXPECT_TRUE(test, f1->narrower);
	KUNIT_EXPECT_TRUE(test, nic->narrower);
	/* Each one's peer is in another IOMMU group than its own. */
	KUNIT_EXPECT_EQ(test, f0->narrower_peer, nic_idx);
	KUNIT_EXPECT_EQ(test, f1->narrower_peer, nic_idx);
	KUNIT_EXPECT_EQ(test, rc.snap->devs[nic->narrower_peer].group_id, 3);
	release(&rc);
}

static void reach_switch_full_acs(struct kunit *test)
{
	struct topo_fn fns[ARRAY_SIZE(partial_switch)];
	struct reach_case rc;
	const struct pthru_reach *a, *b;

	memcpy(fns, partial_switch, sizeof(fns));
	fns[2].acs_cap = ACS_ALL;
	fns[2].acs_ctrl = ACS_ON;
	compute(test, &rc, fns, ARRAY_SIZE(fns));
	a = reach_of(test, &rc, "0000:03:00.0");
	b = reach_of(test, &rc, "0000:04:00.0");
	KUNIT_EXPECT_EQ(test, a->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, a->open.idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_NE(test, a->iso_group, b->iso_group);
	KUNIT_EXPECT_EQ(test, rc.iso.nr_iso_groups, 2u);
	KUNIT_EXPECT_FALSE(test, a->narrower);
	KUNIT_EXPECT_FALSE(test, b->narrower);
	release(&rc);
}

/* A port that implements only some flags needs only those (kernel rule). */
static void reach_acs_missing_flag(struct kunit *test)
{
	struct topo_fn fns[ARRAY_SIZE(partial_switch)];
	struct reach_case rc;
	const struct pthru_reach *a;

	memcpy(fns, partial_switch, sizeof(fns));
	fns[2].acs_cap = ACS_ALL;
	fns[2].acs_ctrl = ACS_ON & ~PTHRU_ACS_RR;	/* RR switched off */
	compute(test, &rc, fns, ARRAY_SIZE(fns));
	a = reach_of(test, &rc, "0000:03:00.0");
	KUNIT_EXPECT_EQ(test, a->reach_count, 1u);
	KUNIT_EXPECT_EQ(test, a->open.missing, (u16)PTHRU_ACS_RR);
	pthru_isolation_free(&rc.iso);
	pthru_snapshot_put(rc.snap);

	fns[2].acs_cap = ACS_ALL & ~PTHRU_ACS_SV;	/* SV not implemented */
	fns[2].acs_ctrl = ACS_ON & ~PTHRU_ACS_SV;
	compute(test, &rc, fns, ARRAY_SIZE(fns));
	KUNIT_EXPECT_EQ(test, reach_of(test, &rc, "0000:03:00.0")->reach_count, 0u);
	release(&rc);
}

/* The kernel grouped the whole switch together: hardware agrees, no finding. */
static void reach_kernel_group_wide_enough(struct kunit *test)
{
	struct topo_fn fns[ARRAY_SIZE(partial_switch)];
	struct reach_case rc;

	memcpy(fns, partial_switch, sizeof(fns));
	fns[3].group = 3;
	fns[5].group = 3;
	compute(test, &rc, fns, ARRAY_SIZE(fns));
	KUNIT_EXPECT_FALSE(test, reach_of(test, &rc, "0000:03:00.0")->narrower);
	KUNIT_EXPECT_FALSE(test, reach_of(test, &rc, "0000:04:00.0")->narrower);
	release(&rc);
}

/*
 * Multifunction: no ACS capability means no internal loopback; an ACS
 * capability without RR/CR enabled lets the function reach its siblings.
 */
static const struct topo_fn multifunction[] = {
	{ "0000:00:03.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
	{ "0000:05:00.0", "0000:00:03.0", PT_EP, 5, 0, 0, true },
	{ "0000:05:00.1", "0000:00:03.0", PT_EP, 6, 0, 0, true },
};

static void reach_multifunction_no_acs(struct kunit *test)
{
	struct reach_case rc;
	const struct pthru_reach *f0, *f1;

	compute(test, &rc, multifunction, ARRAY_SIZE(multifunction));
	f0 = reach_of(test, &rc, "0000:05:00.0");
	f1 = reach_of(test, &rc, "0000:05:00.1");
	KUNIT_EXPECT_EQ(test, f0->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, f1->reach_count, 0u);
	KUNIT_EXPECT_NE(test, f0->iso_group, f1->iso_group);
	KUNIT_EXPECT_FALSE(test, f0->narrower);
	release(&rc);
}

static void reach_multifunction_acs_off(struct kunit *test)
{
	struct topo_fn fns[ARRAY_SIZE(multifunction)];
	struct reach_case rc;
	const struct pthru_reach *f0, *f1;

	memcpy(fns, multifunction, sizeof(fns));
	fns[1].acs_cap = PTHRU_ACS_RR | PTHRU_ACS_CR;
	fns[1].acs_ctrl = 0;
	fns[2].acs_cap = PTHRU_ACS_RR | PTHRU_ACS_CR;
	fns[2].acs_ctrl = PTHRU_ACS_RR | PTHRU_ACS_CR;
	compute(test, &rc, fns, ARRAY_SIZE(fns));
	f0 = reach_of(test, &rc, "0000:05:00.0");
	f1 = reach_of(test, &rc, "0000:05:00.1");
	KUNIT_EXPECT_EQ(test, f0->reach_count, 1u);
	KUNIT_EXPECT_EQ(test, f0->open.kind, PTHRU_HOP_FUNCTION);
	KUNIT_EXPECT_EQ(test, f0->open.idx, (s32)topo_idx(test, rc.snap, "0000:05:00.0"));
	KUNIT_EXPECT_EQ(test, f1->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, f0->iso_group, f1->iso_group);
	KUNIT_EXPECT_TRUE(test, f0->narrower);	/* groups 5 and 6 */
	release(&rc);
}

/*
 * Root ports: without an ACS capability they are assumed to isolate; with
 * one that is not enabled, requests may turn to a sibling root port.
 */
static const struct topo_fn root_ports[] = {
	{ "0000:00:1c.0", NULL, PT_RP, 1 },
	{ "0000:00:1c.1", NULL, PT_RP, 2 },
	{ "0000:00:1d.0", NULL, PT_RP, 3, ACS_ALL, ACS_ON },
	{ "0000:06:00.0", "0000:00:1c.0", PT_EP, 1 },
	{ "0000:07:00.0", "0000:00:1c.1", PT_EP, 2 },
	{ "0000:08:00.0", "0000:00:1d.0", PT_EP, 3 },
};

static void reach_root_port_without_acs(struct kunit *test)
{
	struct reach_case rc;
	const struct pthru_reach *a;
	struct pthru_hop hop;

	compute(test, &rc, root_ports, ARRAY_SIZE(root_ports));
	a = reach_of(test, &rc, "0000:06:00.0");
	KUNIT_EXPECT_EQ(test, a->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, a->open.idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_EQ(test, rc.iso.nr_iso_groups, 3u);
	KUNIT_EXPECT_TRUE(test, pthru_hop_eval(rc.snap,
					       topo_idx(test, rc.snap, "0000:00:1c.0"),
					       PTHRU_HOP_ROOT, &hop));
	KUNIT_EXPECT_TRUE(test, hop.assumed);
	release(&rc);
}

static void reach_root_port_acs_off(struct kunit *test)
{
	struct topo_fn fns[ARRAY_SIZE(root_ports)];
	struct reach_case rc;
	const struct pthru_reach *a;

	memcpy(fns, root_ports, sizeof(fns));
	fns[0].acs_cap = ACS_ALL;
	fns[0].acs_ctrl = 0;
	compute(test, &rc, fns, ARRAY_SIZE(fns));
	a = reach_of(test, &rc, "0000:06:00.0");
	/* Both other root ports' subtrees: egress at 1c.0 is what counts. */
	KUNIT_EXPECT_EQ(test, a->reach_count, 2u);
	KUNIT_EXPECT_EQ(test, a->open.kind, PTHRU_HOP_ROOT);
	KUNIT_EXPECT_EQ(test, reach_of(test, &rc, "0000:08:00.0")->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, rc.iso.nr_iso_groups, 1u);
	release(&rc);
}

/* Everything on a conventional PCI bus reaches everything else on it. */
static void reach_conventional_bus(struct kunit *test)
{
	static const struct topo_fn fns[] = {
		{ "0000:00:04.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:09:00.0", "0000:00:04.0", PT_PCIE_PCI, 1 },
		{ "0000:0a:01.0", "0000:09:00.0", PT_LEGACY, 1 },
		{ "0000:0a:02.0", "0000:09:00.0", PT_LEGACY, 1 },
		{ "0000:0a:03.0", "0000:09:00.0", PT_LEGACY, 1 },
	};
	struct reach_case rc;
	const struct pthru_reach *a;

	compute(test, &rc, fns, ARRAY_SIZE(fns));
	a = reach_of(test, &rc, "0000:0a:02.0");
	KUNIT_EXPECT_EQ(test, a->reach_count, 2u);
	KUNIT_EXPECT_EQ(test, a->open.kind, PTHRU_HOP_PCI_BUS);
	KUNIT_EXPECT_EQ(test, rc.iso.nr_iso_groups, 1u);
	KUNIT_EXPECT_FALSE(test, a->narrower);	/* the kernel agrees: group 1 */
	release(&rc);
}

/*
 * A conventional function (no PCIe capability) directly below a root port
 * with ACS enabled, as QEMU places edu: the port's ACS governs it, it
 * reaches nothing, and the hop is the root port's, judged by its
 * registers.  Below a downstream port without ACS it reaches the function
 * behind the sibling downstream port, as a PCIe endpoint there would.
 */
static void reach_conventional_below_port(struct kunit *test)
{
	static const struct topo_fn fns[] = {
		{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:00:03.0", NULL, PT_RP, 2, ACS_ALL, ACS_ON },
		{ "0000:01:00.0", "0000:00:02.0", PT_LEGACY, 1 },
		{ "0000:02:00.0", "0000:00:03.0", PT_USP, 3 },
		{ "0000:03:00.0", "0000:02:00.0", PT_DSP, 4 },
		{ "0000:03:01.0", "0000:02:00.0", PT_DSP, 5 },
		{ "0000:04:00.0", "0000:03:00.0", PT_LEGACY, 4 },
		{ "0000:05:00.0", "0000:03:01.0", PT_EP, 5 },
	};
	struct reach_case rc;
	const struct pthru_reach *a;
	struct pthru_hop hop;

	compute(test, &rc, fns, ARRAY_SIZE(fns));
	a = reach_of(test, &rc, "0000:01:00.0");
	KUNIT_EXPECT_EQ(test, a->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, a->open.idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_FALSE(test, a->narrower);
	KUNIT_EXPECT_TRUE(test, pthru_hop_eval(rc.snap,
					       topo_idx(test, rc.snap, "0000:00:02.0"),
					       PTHRU_HOP_ROOT, &hop));
	KUNIT_EXPECT_EQ(test, hop.missing, 0);

	a = reach_of(test, &rc, "0000:04:00.0");
	KUNIT_EXPECT_EQ(test, a->reach_count, 1u);
	KUNIT_EXPECT_EQ(test, a->open.kind, PTHRU_HOP_DOWNSTREAM);
	KUNIT_EXPECT_EQ(test, a->open.idx,
			topo_idx(test, rc.snap, "0000:03:00.0"));
	KUNIT_EXPECT_TRUE(test, a->narrower);
	KUNIT_EXPECT_EQ(test, reach_of(test, &rc, "0000:05:00.0")->reach_count,
			1u);
	release(&rc);
}

struct hop_log {
	int nr;
	enum pthru_hop_kind kinds[8];
	bool isolates[8];
};

static int log_hop(const struct pthru_snapshot *snap,
		   const struct pthru_hop *hop, void *ctx)
{
	struct hop_log *log = ctx;

	if (log->nr < 8) {
		log->kinds[log->nr] = hop->kind;
		log->isolates[log->nr] = hop->isolates;
	}
	log->nr++;
	return 0;
}

/*
 * SR-IOV (PCIe r6.0, 6.12.1.2): a single-function PF with VFs is a
 * multi-function device for ACS.  The kernel groups by the header's
 * multi-function bit, which neither has, so it gives each its own group.
 *
 *   00:02.0 RP (ACS on) - 01:00.0 PF (ACS RR CR, off), VFs 01:00.1 01:00.2
 *   and 01:01.0 (another slot, as with ARI)
 */
static const struct topo_fn sriov[] = {
	{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
	{ "0000:01:00.0", "0000:00:02.0", PT_EP, 2,
	  PTHRU_ACS_RR | PTHRU_ACS_CR, 0, .vfs = 3 },
	{ "0000:01:00.1", "0000:00:02.0", PT_EP, 3, .pf = "0000:01:00.0" },
	{ "0000:01:00.2", "0000:00:02.0", PT_EP, 4, .pf = "0000:01:00.0" },
	{ "0000:01:01.0", "0000:00:02.0", PT_EP, 5, .pf = "0000:01:00.0" },
};

static void reach_sriov_acs_off(struct kunit *test)
{
	struct reach_case rc;
	const struct pthru_reach *pf, *vf, *far;
	u32 pf_idx;

	compute(test, &rc, sriov, ARRAY_SIZE(sriov));
	pf_idx = topo_idx(test, rc.snap, "0000:01:00.0");
	pf = reach_of(test, &rc, "0000:01:00.0");
	vf = reach_of(test, &rc, "0000:01:00.2");
	far = reach_of(test, &rc, "0000:01:01.0");
	KUNIT_EXPECT_EQ(test, pf->reach_count, 3u);
	KUNIT_EXPECT_EQ(test, vf->reach_count, 3u);
	KUNIT_EXPECT_EQ(test, far->reach_count, 3u);
	/* A VF without ACS follows its PF's registers. */
	KUNIT_EXPECT_EQ(test, vf->open.kind, PTHRU_HOP_FUNCTION);
	KUNIT_EXPECT_EQ(test, vf->open.idx, (s32)pf_idx);
	KUNIT_EXPECT_EQ(test, vf->open.missing, PTHRU_ACS_RR | PTHRU_ACS_CR);
	KUNIT_EXPECT_EQ(test, pf->iso_group, far->iso_group);
	KUNIT_EXPECT_TRUE(test, pf->narrower);
	KUNIT_EXPECT_TRUE(test, far->narrower);
	KUNIT_EXPECT_FALSE(test, pthru_sriov_assumed(&rc.snap->devs[pf_idx],
						     NULL));
	/* finalize counts the VFs the snapshot holds, wherever they sit. */
	KUNIT_EXPECT_EQ(test, rc.snap->devs[pf_idx].sriov_vfs, 3);
	release(&rc);
}

static void reach_sriov_no_acs(struct kunit *test)
{
	struct topo_fn fns[ARRAY_SIZE(sriov)];
	struct reach_case rc;
	const struct pthru_dev *pf, *vf;
	u32 addr;

	memcpy(fns, sriov, sizeof(fns));
	fns[1].acs_cap = 0;
	fns[1].acs_ctrl = 0;
	compute(test, &rc, fns, ARRAY_SIZE(fns));
	pf = &rc.snap->devs[topo_idx(test, rc.snap, "0000:01:00.0")];
	vf = &rc.snap->devs[topo_idx(test, rc.snap, "0000:01:00.1")];
	KUNIT_EXPECT_EQ(test, reach_of(test, &rc, "0000:01:00.0")->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, reach_of(test, &rc, "0000:01:00.1")->reach_count, 0u);
	KUNIT_EXPECT_FALSE(test, reach_of(test, &rc, "0000:01:00.1")->narrower);
	/* Assumed, and said so: the PF governs and has no ACS. */
	KUNIT_EXPECT_TRUE(test, pthru_sriov_assumed(pf, NULL));
	KUNIT_EXPECT_TRUE(test, pthru_sriov_assumed(vf, pf));
	KUNIT_EXPECT_TRUE(test, pthru_sriov_pf(vf, &addr));
	KUNIT_EXPECT_EQ(test, addr, pf->addr);
	KUNIT_EXPECT_TRUE(test, pthru_same_sriov_device(pf, vf));
	release(&rc);
}

/* A VF with ACS of its own enabled: its requests stay; the PF's do not. */
static void reach_sriov_vf_own_acs(struct kunit *test)
{
	struct topo_fn fns[ARRAY_SIZE(sriov)];
	struct reach_case rc;
	const struct pthru_reach *vf;

	memcpy(fns, sriov, sizeof(fns));
	fns[2].acs_cap = PTHRU_ACS_RR | PTHRU_ACS_CR;
	fns[2].acs_ctrl = PTHRU_ACS_RR | PTHRU_ACS_CR;
	compute(test, &rc, fns, ARRAY_SIZE(fns));
	vf = reach_of(test, &rc, "0000:01:00.1");
	KUNIT_EXPECT_EQ(test, vf->reach_count, 0u);
	KUNIT_EXPECT_EQ(test, vf->open.idx, PTHRU_NO_INDEX);
	/* The PF reaches it, so they share an isolation group all the same. */
	KUNIT_EXPECT_EQ(test, vf->iso_group,
			reach_of(test, &rc, "0000:01:00.0")->iso_group);
	KUNIT_EXPECT_FALSE(test,
			   pthru_sriov_assumed(&rc.snap->devs[topo_idx(test, rc.snap, "0000:01:00.1")],
					       NULL));
	release(&rc);
}

/* A PF whose VFs are all gone has nobody to reach: no open hop. */
static void reach_sriov_no_vfs(struct kunit *test)
{
	static const struct topo_fn fns[] = {
		{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:01:00.0", "0000:00:02.0", PT_EP, 2,
		  PTHRU_ACS_RR | PTHRU_ACS_CR, 0, .sriov = true },
	};
	struct reach_case rc;

	compute(test, &rc, fns, ARRAY_SIZE(fns));
	KUNIT_EXPECT_EQ(test, reach_of(test, &rc, "0000:01:00.0")->open.idx,
			PTHRU_NO_INDEX);
	release(&rc);
}

/*
 * What pthru does not understand is never isolated: a bridge that calls
 * itself a root-complex event collector (PCIe type 0xa), and upstream
 * links that loop.
 */
static void reach_unclassified(struct kunit *test)
{
	static const struct topo_fn fns[] = {
		{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:01:00.0", "0000:00:02.0", PT_DSP, 1, ACS_ALL, ACS_ON },
		{ "0000:02:00.0", "0000:01:00.0", PT_EP, 2 },
		{ "0000:02:01.0", "0000:01:00.0", PT_EP, 3 },
	};
	struct reach_case rc;
	const struct pthru_reach *r;
	struct pthru_dev *bridge;
	u32 b;

	rc.snap = topo_build(test, fns, ARRAY_SIZE(fns));
	b = topo_idx(test, rc.snap, "0000:01:00.0");
	bridge = &rc.snap->devs[b];
	bridge->pcie_type = 0xa;
	KUNIT_EXPECT_FALSE(test, pthru_bridge_type_known(bridge));
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(rc.snap, &rc.iso,
						      GFP_KERNEL), 0);
	r = reach_of(test, &rc, "0000:02:00.0");
	KUNIT_EXPECT_EQ(test, r->unknown.idx, (s32)b);
	KUNIT_EXPECT_EQ(test, r->unknown.kind, PTHRU_HOP_UNKNOWN);
	KUNIT_EXPECT_FALSE(test, r->unknown.isolates);
	KUNIT_EXPECT_EQ(test, r->unknown.missing, 0);
	KUNIT_EXPECT_EQ(test, r->reach_count, 1u);
	pthru_isolation_free(&rc.iso);

	/* The bridge's upstream link points at itself: a loop. */
	bridge->pcie_type = PT_DSP;
	bridge->upstream_idx = b;
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(rc.snap, &rc.iso,
						      GFP_KERNEL), 0);
	r = reach_of(test, &rc, "0000:02:00.0");
	KUNIT_EXPECT_NE(test, r->unknown.idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_EQ(test, r->unknown.kind, PTHRU_HOP_UNKNOWN);
	release(&rc);
}

static void reach_path_walk(struct kunit *test)
{
	struct reach_case rc;
	struct hop_log log = { 0 };

	compute(test, &rc, partial_switch, ARRAY_SIZE(partial_switch));
	KUNIT_ASSERT_EQ(test, pthru_path_walk(rc.snap,
					      topo_idx(test, rc.snap, "0000:03:00.0"),
					      log_hop, &log), 0);
	KUNIT_ASSERT_EQ(test, log.nr, 3);
	KUNIT_EXPECT_EQ(test, log.kinds[0], PTHRU_HOP_DOWNSTREAM);
	KUNIT_EXPECT_FALSE(test, log.isolates[0]);
	KUNIT_EXPECT_EQ(test, log.kinds[1], PTHRU_HOP_PASS);
	KUNIT_EXPECT_EQ(test, log.kinds[2], PTHRU_HOP_ROOT);
	KUNIT_EXPECT_TRUE(test, log.isolates[2]);
	KUNIT_EXPECT_EQ(test, pthru_path_walk(rc.snap, rc.snap->nr_devs, log_hop,
					      &log), -EINVAL);
	KUNIT_EXPECT_STREQ(test, pthru_hop_kind_name(PTHRU_HOP_DOWNSTREAM),
			   "downstream");
	release(&rc);
}

static struct kunit_case reach_cases[] = {
	KUNIT_CASE(reach_switch_partial_acs),
	KUNIT_CASE(reach_switch_full_acs),
	KUNIT_CASE(reach_narrower_every_member),
	KUNIT_CASE(reach_acs_missing_flag),
	KUNIT_CASE(reach_kernel_group_wide_enough),
	KUNIT_CASE(reach_multifunction_no_acs),
	KUNIT_CASE(reach_multifunction_acs_off),
	KUNIT_CASE(reach_root_port_without_acs),
	KUNIT_CASE(reach_root_port_acs_off),
	KUNIT_CASE(reach_conventional_bus),
	KUNIT_CASE(reach_conventional_below_port),
	KUNIT_CASE(reach_sriov_acs_off),
	KUNIT_CASE(reach_sriov_no_acs),
	KUNIT_CASE(reach_sriov_vf_own_acs),
	KUNIT_CASE(reach_sriov_no_vfs),
	KUNIT_CASE(reach_unclassified),
	KUNIT_CASE(reach_path_walk),
	{}
};

static struct kunit_suite reach_suite = {
	.name = "pthru_reach",
	.test_cases = reach_cases,
};

kunit_test_suites(&reach_suite);

MODULE_LICENSE("GPL");
