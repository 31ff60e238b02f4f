// SPDX-License-Identifier: GPL-2.0
/*
 * A randomized check of the reachability model: thousands of random
 * topologies (root ports with and without ACS, switches nested up to three
 * deep, multifunction devices with and without ACS, PCIe-to-PCI bridges,
 * conventional and PCIe functions at every level), each compared pair by
 * pair with a reference written here from the specification's rules and
 * not from reach.c's walk: find where the upstream paths of A and B meet,
 * and apply the egress rule of the hop there.  Every disagreement fails
 * the test and prints the topology and the seed, which reproduces it.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "../reach.h"
#include "topo.h"

#define MODEL_SEED		0x70747275u	/* "ptru" */
/* The userspace build (tools/pthructl/core.mk) runs many more. */
#ifndef MODEL_TOPOLOGIES
#define MODEL_TOPOLOGIES	2000
#endif
#define MODEL_MAX_FNS		96
#define MODEL_MAX_DEPTH		3	/* switches nested */

/* One function of a generated topology, before it becomes a snapshot. */
struct gen_fn {
	u32 addr;
	s32 up;			/* index in gen->fns, -1 on the root bus */
	u8 type;		/* PT_* */
	u16 acs_cap;
	u16 acs_ctrl;
	bool mf;
};

struct gen {
	u32 rng;
	u32 next_bus;
	u32 nr;
	struct gen_fn fns[MODEL_MAX_FNS];
};

static u32 gen_rand(struct gen *g, u32 n)
{
	/* xorshift32: the same seed gives the same topology everywhere. */
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 17;
	g->rng ^= g->rng << 5;
	return g->rng % n;
}

static u32 gen_addr(u32 bus, u32 dev, u32 fn)
{
	return bus << 8 | dev << 3 | fn;
}

/* ACS of a port or function: none, implemented but off (any subset), on. */
static void gen_acs(struct gen *g, struct gen_fn *f, u16 on)
{
	switch (gen_rand(g, 4)) {
	case 0:
		break;
	case 1:
		f->acs_cap = ACS_ALL;
		f->acs_ctrl = gen_rand(g, 0x20) & ACS_ALL;
		break;
	default:
		f->acs_cap = ACS_ALL;
		f->acs_ctrl = on;
		break;
	}
}

static s32 gen_add(struct gen *g, u32 addr, s32 up, u8 type)
{
	struct gen_fn *f;

	if (g->nr >= MODEL_MAX_FNS)
		return -1;
	f = &g->fns[g->nr];
	memset(f, 0, sizeof(*f));
	f->addr = addr;
	f->up = up;
	f->type = type;
	return g->nr++;
}

/* One device of 1-3 functions in slot @dev of @bus, PCIe or conventional. */
static void gen_device(struct gen *g, u32 bus, u32 dev, s32 up, u8 type)
{
	u32 n = 1 + gen_rand(g, 3), i;
	s32 idx;

	for (i = 0; i < n; i++) {
		idx = gen_add(g, gen_addr(bus, dev, i), up, type);
		if (idx < 0)
			return;
		g->fns[idx].mf = n > 1;
		if (type != PT_LEGACY)
			gen_acs(g, &g->fns[idx], ACS_ALL & (PTHRU_ACS_RR | PTHRU_ACS_CR));
	}
}

/* What sits on the secondary bus of PCIe port @port (one link). */
static void gen_link(struct gen *g, s32 port, u32 depth)
{
	u32 bus = g->next_bus++, bus2, i, n;
	s32 usp, dsp, br;

	switch (gen_rand(g, depth < MODEL_MAX_DEPTH ? 6 : 4)) {
	case 0:		/* an empty slot */
		return;
	case 1:
		gen_device(g, bus, 0, port, PT_EP);
		return;
	case 2:		/* a function without PCIe capability on the link */
		gen_device(g, bus, 0, port, PT_LEGACY);
		return;
	case 3:		/* a PCIe-to-PCI bridge and its shared bus */
		br = gen_add(g, gen_addr(bus, 0, 0), port, PT_PCIE_PCI);
		if (br < 0)
			return;
		bus2 = g->next_bus++;
		n = gen_rand(g, 4);
		for (i = 0; i < n; i++)
			gen_device(g, bus2, 1 + i, br, PT_LEGACY);
		return;
	default:	/* a switch */
		usp = gen_add(g, gen_addr(bus, 0, 0), port, PT_USP);
		if (usp < 0)
			return;
		bus2 = g->next_bus++;
		n = 1 + gen_rand(g, 3);
		for (i = 0; i < n; i++) {
			dsp = gen_add(g, gen_addr(bus2, i, 0), usp, PT_DSP);
			if (dsp < 0)
				return;
			gen_acs(g, &g->fns[dsp], ACS_ON);
			gen_link(g, dsp, depth + 1);
		}
		return;
	}
}

static void gen_topology(struct gen *g, u32 seed)
{
	u32 nr_rp, i;
	s32 rp;

	memset(g, 0, sizeof(*g));
	g->rng = seed ? seed : 1;
	g->next_bus = 1;
	nr_rp = 1 + gen_rand(g, 3);
	for (i = 0; i < nr_rp; i++) {
		rp = gen_add(g, gen_addr(0, 1 + i, 0), -1, PT_RP);
		if (rp < 0)
			break;
		gen_acs(g, &g->fns[rp], ACS_ON);
		gen_link(g, rp, 0);
	}
	/* Root complex integrated endpoints, PCIe or not, maybe multifunction. */
	if (gen_rand(g, 2))
		gen_device(g, 0, 0x10, -1, gen_rand(g, 2) ? PT_EP : PT_LEGACY);
}

static bool is_bridge_type(u8 type)
{
	return type == PT_RP || type == PT_USP || type == PT_DSP ||
	       type == PT_PCIE_PCI;
}

/* Does the egress control of @f let a peer-to-peer request through? */
static bool egress_open(const struct gen_fn *f, u16 needed, bool assume)
{
	if (!f->acs_cap)
		return !assume;
	return (needed & f->acs_cap & ~f->acs_ctrl) != 0;
}

/*
 * The reference: can A's request reach B without going up to the IOMMU?
 * The paths of A and B meet where their parents first coincide.
 */
static bool ref_reach(const struct gen *g, s32 a, s32 b)
{
	const struct gen_fn *fa = &g->fns[a], *fb = &g->fns[b];
	s32 x, y, pa, pb;

	/* Two functions of one device: the same slot of the same bus. */
	if (fa->up == fb->up && (fa->addr & ~7u) == (fb->addr & ~7u)) {
		if (fa->up >= 0 && g->fns[fa->up].type == PT_PCIE_PCI)
			return true;	/* a shared bus carries it anyway */
		return fa->mf && egress_open(fa, PTHRU_ACS_RR | PTHRU_ACS_CR,
					     true);
	}
	/* The ancestors of A and B just below the place their paths meet. */
	for (x = a; x >= 0; x = g->fns[x].up) {
		for (y = b; y >= 0; y = g->fns[y].up) {
			pa = g->fns[x].up;
			pb = g->fns[y].up;
			if (pa == pb && x != y)
				goto met;
		}
	}
	return false;
met:
	if (pa < 0) {
		/* On the root bus: between root ports, by the first's ACS. */
		return g->fns[x].type == PT_RP && g->fns[y].type == PT_RP &&
		       egress_open(&g->fns[x], PTHRU_ACS_PORT_FLAGS, true);
	}
	switch (g->fns[pa].type) {
	case PT_PCIE_PCI:
		return true;		/* one shared conventional bus */
	case PT_USP:
		/* Across the switch: the downstream port A came up through. */
		return egress_open(&g->fns[x], PTHRU_ACS_PORT_FLAGS, false);
	default:
		return false;
	}
}

static struct pthru_snapshot *gen_snapshot(struct kunit *test,
					   const struct gen *g)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	const struct gen_fn *f;
	struct pthru_dev *dev;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	for (i = 0; i < g->nr; i++) {
		f = &g->fns[i];
		dev = pthru_snapshot_add_dev(snap, f->addr, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, dev);
		dev->class = (is_bridge_type(f->type) ? TOPO_BRIDGE : TOPO_NIC) << 8;
		dev->is_pcie = f->type != PT_LEGACY;
		dev->pcie_type = f->type == PT_LEGACY ? 0 : f->type;
		dev->group_id = i + 1;
		if (f->acs_cap) {
			dev->acs_pos = 0x100;
			dev->acs_cap = f->acs_cap;
			dev->acs_ctrl = f->acs_ctrl;
			dev->acs_ctrl_baseline = f->acs_ctrl;
		}
		dev->multifunction = f->mf;
		if (f->up >= 0) {
			dev->has_upstream = true;
			dev->upstream_addr = g->fns[f->up].addr;
		}
		topo_add_group(test, snap, i + 1);
	}
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	return snap;
}

static void gen_print(struct kunit *test, const struct gen *g, u32 seed)
{
	u32 i;

	kunit_info(test, "seed 0x%08x, %u functions (addr up type acs_cap acs_ctrl mf):\n",
		   seed, g->nr);
	for (i = 0; i < g->nr; i++)
		kunit_info(test, "  %02x:%02x.%u up %d type %u cap %04x ctl %04x mf %d\n",
			   g->fns[i].addr >> 8, (g->fns[i].addr >> 3) & 0x1f,
			   g->fns[i].addr & 7, g->fns[i].up, g->fns[i].type,
			   g->fns[i].acs_cap, g->fns[i].acs_ctrl, g->fns[i].mf);
}

static s32 ref_find(s32 *uf, s32 i)
{
	while (uf[i] != i)
		i = uf[i] = uf[uf[i]];
	return i;
}

/*
 * One topology: each function's reach count, then the isolation groups as
 * the closure of the reference's reach, against pthru's.
 */
static int check_one(struct kunit *test, struct gen *g, u32 seed, s32 *map,
		     s32 *uf)
{
	struct pthru_snapshot *snap;
	struct pthru_isolation iso;
	const struct pthru_reach *ra, *rb;
	u32 a, b, want, bad = 0;
	bool ab;

	snap = gen_snapshot(test, g);
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(snap, &iso, GFP_KERNEL), 0);
	for (a = 0; a < g->nr; a++) {
		map[a] = pthru_snapshot_find_dev(snap, g->fns[a].addr) - snap->devs;
		KUNIT_ASSERT_LT(test, (u32)map[a], snap->nr_devs);
		uf[a] = a;
	}
	for (a = 0; a < g->nr && !bad; a++) {
		if (is_bridge_type(g->fns[a].type))
			continue;
		want = 0;
		ra = &iso.reach[map[a]];
		for (b = 0; b < g->nr; b++) {
			if (b == a || is_bridge_type(g->fns[b].type))
				continue;
			ab = ref_reach(g, a, b);
			want += ab;
			if (ab)
				uf[ref_find(uf, a)] = ref_find(uf, b);
			rb = &iso.reach[map[b]];
			/* Reach puts both in one isolation group. */
			if (ab && ra->iso_group != rb->iso_group) {
				kunit_err(test, "%02x:%02x.%u reaches %02x:%02x.%u but their isolation groups differ (%d, %d)\n",
					  g->fns[a].addr >> 8,
					  (g->fns[a].addr >> 3) & 0x1f,
					  g->fns[a].addr & 7, g->fns[b].addr >> 8,
					  (g->fns[b].addr >> 3) & 0x1f,
					  g->fns[b].addr & 7, ra->iso_group,
					  rb->iso_group);
				bad++;
			}
		}
		if (ra->reach_count != want) {
			kunit_err(test, "%02x:%02x.%u: reach_count %u, the reference %u\n",
				  g->fns[a].addr >> 8, (g->fns[a].addr >> 3) & 0x1f,
				  g->fns[a].addr & 7, ra->reach_count, want);
			bad++;
		}
	}
	/* Same isolation group exactly when the reference's closure joins them. */
	for (a = 0; a < g->nr && !bad; a++) {
		if (is_bridge_type(g->fns[a].type))
			continue;
		for (b = a + 1; b < g->nr && !bad; b++) {
			if (is_bridge_type(g->fns[b].type))
				continue;
			ab = ref_find(uf, a) == ref_find(uf, b);
			if (ab != (iso.reach[map[a]].iso_group ==
				   iso.reach[map[b]].iso_group)) {
				kunit_err(test, "%02x:%02x.%u and %02x:%02x.%u: the reference %s them in one isolation group, pthru %s\n",
					  g->fns[a].addr >> 8,
					  (g->fns[a].addr >> 3) & 0x1f,
					  g->fns[a].addr & 7, g->fns[b].addr >> 8,
					  (g->fns[b].addr >> 3) & 0x1f,
					  g->fns[b].addr & 7, ab ? "puts" : "does not put",
					  ab ? "does not" : "does");
				bad++;
			}
		}
	}
	if (bad)
		gen_print(test, g, seed);
	pthru_isolation_free(&iso);
	pthru_snapshot_put(snap);
	return bad;
}

static void reach_model_random(struct kunit *test)
{
	struct gen *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	s32 *map = kunit_kcalloc(test, MODEL_MAX_FNS, sizeof(*map), GFP_KERNEL);
	s32 *uf = kunit_kcalloc(test, MODEL_MAX_FNS, sizeof(*uf), GFP_KERNEL);
	u32 i, seed, failed = 0, fns = 0, pairs = 0;

	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_ASSERT_NOT_NULL(test, uf);
	for (i = 0; i < MODEL_TOPOLOGIES && failed < 3; i++) {
		seed = MODEL_SEED + i;
		gen_topology(g, seed);
		fns += g->nr;
		pairs += g->nr * g->nr;
		failed += check_one(test, g, seed, map, uf) != 0;
	}
	kunit_info(test, "%u random topologies, %u functions, %u pairs compared\n",
		   i, fns, pairs);
	KUNIT_EXPECT_EQ(test, failed, 0u);
}

static struct kunit_case reach_model_cases[] = {
	KUNIT_CASE(reach_model_random),
	{}
};

static struct kunit_suite reach_model_suite = {
	.name = "pthru_reach_model",
	.test_cases = reach_model_cases,
};

kunit_test_suites(&reach_model_suite);

MODULE_LICENSE("GPL");
