// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the shadow map's interval store: merging, splitting,
 * overlap, pool exhaustion, iteration, and a randomized run against a
 * page-by-page reference model.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../ivstore.h"
#include "ivscale.h"

#define P	0x1000ULL	/* one page */
#define RD	1		/* IOMMU_READ */
#define RW	3		/* IOMMU_READ | IOMMU_WRITE */

struct iv_fixture {
	struct pthru_iv_pool pool;
	struct pthru_iv_store store;
	struct pthru_iv_node *nodes;
	u32 nr_nodes;
};

static struct iv_fixture *iv_setup(struct kunit *test, u32 nr_nodes)
{
	struct iv_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	f->nodes = kunit_kcalloc(test, nr_nodes, sizeof(*f->nodes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->nodes);
	f->nr_nodes = nr_nodes;
	pthru_iv_pool_init(&f->pool);
	pthru_iv_pool_add(&f->pool, f->nodes, nr_nodes);
	pthru_iv_init(&f->store, &f->pool);
	return f;
}

/*
 * The store holds exactly @want, in order, its invariants hold, and every
 * node of the pool is either free or a range (the pool is the store's own).
 */
static void expect_ranges(struct kunit *test, struct iv_fixture *f,
			  const struct pthru_iv_range *want, unsigned int n)
{
	const struct pthru_iv_node *v = pthru_iv_first(&f->store);
	const char *why = pthru_iv_check(&f->store);
	unsigned int i;

	KUNIT_EXPECT_FALSE_MSG(test, why, "invariant: %s", why);
	for (i = 0; i < n; i++, v = pthru_iv_next(v)) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, v, "range %u missing", i);
		KUNIT_EXPECT_EQ_MSG(test, v->iova, want[i].iova, "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v->size, want[i].size, "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pthru_iv_phys(v), want[i].phys, "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pthru_iv_prot(v), want[i].prot, "range %u", i);
	}
	KUNIT_EXPECT_NULL_MSG(test, v, "more than %u ranges", n);
	KUNIT_EXPECT_EQ(test, f->store.st.nr_ranges, n);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free + f->store.st.nr_ranges,
			f->nr_nodes);
}

static void iv_node_size(struct kunit *test)
{
	kunit_info(test, "sizeof node %zu, store %zu, pool %zu\n",
		   sizeof(struct pthru_iv_node), sizeof(struct pthru_iv_store),
		   sizeof(struct pthru_iv_pool));
	/* The aim; the header's static_assert says the same. */
	KUNIT_EXPECT_LE(test, sizeof(struct pthru_iv_node), 48);
}

static void iv_merge_left(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 4);
	static const struct pthru_iv_range want[] = {
		{ 0x10000, 2 * P, 0x100000, RW },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x10000, P, 0x100000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x11000, P, 0x101000, RW), 0);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, f->store.st.merges, 1);
	KUNIT_EXPECT_EQ(test, f->store.st.maps, 2);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 2 * P);
	KUNIT_EXPECT_FALSE(test, pthru_iv_incomplete(&f->store));
}

static void iv_merge_right(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 4);
	static const struct pthru_iv_range want[] = {
		{ 0x10000, 3 * P, 0x100000, RD },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x11000, 2 * P, 0x101000, RD), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x10000, P, 0x100000, RD), 0);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, f->store.st.merges, 1);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 3 * P);
}

static void iv_merge_both(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 4);
	static const struct pthru_iv_range want[] = {
		{ 0x10000, 4 * P, 0x100000, RW },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x10000, P, 0x100000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x12000, 2 * P, 0x102000, RW), 0);
	KUNIT_EXPECT_EQ(test, f->store.st.nr_ranges, 2);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 2);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x11000, P, 0x101000, RW), 0);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, f->store.st.merges, 2);
	/* The right neighbour's node went back to the pool. */
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 3);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 4 * P);
}

static void iv_no_merge(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 8);
	static const struct pthru_iv_range want[] = {
		/* IOVA-contiguous, physical gap */
		{ 0x10000, P, 0x100000, RW },
		{ 0x11000, P, 0x102000, RW },
		/* IOVA-contiguous, physically contiguous, prot differs */
		{ 0x20000, P, 0x200000, RW },
		{ 0x21000, P, 0x201000, RD },
		/* physically contiguous, IOVA gap */
		{ 0x30000, P, 0x300000, RW },
		{ 0x32000, P, 0x301000, RW },
		/* IOVA-contiguous, physically contiguous the other way round */
		{ 0x40000, P, 0x401000, RW },
		{ 0x41000, P, 0x400000, RW },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, want[i].iova,
						   want[i].size, want[i].phys,
						   want[i].prot), 0);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, f->store.st.merges, 0);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 0);
}

static void iv_split(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 4);
	static const struct pthru_iv_range after_front[] = {
		{ 0x11000, 7 * P, 0x101000, RW },
	};
	static const struct pthru_iv_range after_back[] = {
		{ 0x11000, 5 * P, 0x101000, RW },
	};
	static const struct pthru_iv_range after_middle[] = {
		{ 0x11000, P, 0x101000, RW },
		{ 0x14000, 2 * P, 0x104000, RW },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x10000, 8 * P, 0x100000, RW), 0);

	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x10000, P), P);
	expect_ranges(test, f, after_front, ARRAY_SIZE(after_front));
	KUNIT_EXPECT_EQ(test, f->store.st.splits, 1);

	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x16000, 2 * P), 2 * P);
	expect_ranges(test, f, after_back, ARRAY_SIZE(after_back));
	KUNIT_EXPECT_EQ(test, f->store.st.splits, 2);

	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x12000, 2 * P), 2 * P);
	expect_ranges(test, f, after_middle, ARRAY_SIZE(after_middle));
	KUNIT_EXPECT_EQ(test, f->store.st.splits, 3);

	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 3 * P);
	KUNIT_EXPECT_EQ(test, f->store.st.unmaps, 3);
	KUNIT_EXPECT_EQ(test, f->store.st.unmap_misses, 0);
	/* The middle piece is still a lookup miss, its neighbours hits. */
	KUNIT_EXPECT_NULL(test, pthru_iv_lookup(&f->store, 0x12000));
	KUNIT_EXPECT_NULL(test, pthru_iv_lookup(&f->store, 0x13fff));
	KUNIT_EXPECT_PTR_EQ(test, pthru_iv_lookup(&f->store, 0x14000),
			    pthru_iv_next(pthru_iv_first(&f->store)));
	KUNIT_EXPECT_PTR_EQ(test, pthru_iv_lookup(&f->store, 0x11fff),
			    pthru_iv_first(&f->store));
}

static void iv_unmap_across(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 4);
	static const struct pthru_iv_range want[] = {
		{ 0x0000, P, 0x500000, RW },
		{ 0x7000, P, 0x907000, RW },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x0000, 2 * P, 0x500000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x3000, 2 * P, 0x700000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x6000, 2 * P, 0x906000, RW), 0);

	/* Trims the first, removes the second, trims the third; two holes. */
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x1000, 6 * P), 4 * P);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, f->store.st.splits, 2);
	KUNIT_EXPECT_EQ(test, f->store.st.unmap_misses, 1);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 2 * P);

	/* Two touching, unmergeable ranges unmapped in one go: no miss. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x1000, P, 0x123000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x0000, 2 * P), 2 * P);
	KUNIT_EXPECT_EQ(test, f->store.st.unmap_misses, 1);
	expect_ranges(test, f, want + 1, 1);
}

static void iv_unmap_unmapped(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 4);
	static const struct pthru_iv_range want[] = {
		{ 0x10000, 2 * P, 0x100000, RW },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x10000, 2 * P, 0x100000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x12000, P), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x0, 0x10000), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x80000, 16 * P), 0);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, f->store.st.unmaps, 3);
	KUNIT_EXPECT_EQ(test, f->store.st.unmap_misses, 3);
	KUNIT_EXPECT_EQ(test, f->store.st.splits, 0);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 2 * P);

	/* A zero-length unmap is no call at all. */
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x10000, 0), 0);
	KUNIT_EXPECT_EQ(test, f->store.st.unmaps, 3);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
}

static void iv_overlap(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 8);
	static const struct pthru_iv_range replaced[] = {
		{ 0x10000, P, 0x100000, RW },
		{ 0x11000, P, 0x800000, RW },
		{ 0x12000, 2 * P, 0x102000, RW },
	};
	static const struct pthru_iv_range reprot[] = {
		{ 0x10000, P, 0x100000, RW },
		{ 0x11000, P, 0x800000, RW },
		{ 0x12000, P, 0x102000, RD },
		{ 0x13000, P, 0x103000, RW },
	};
	static const struct pthru_iv_range rejoined[] = {
		{ 0x10000, 4 * P, 0x100000, RW },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x10000, 4 * P, 0x100000, RW), 0);

	/* Another physical page in the middle: three ranges. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x11000, P, 0x800000, RW), 0);
	expect_ranges(test, f, replaced, ARRAY_SIZE(replaced));
	KUNIT_EXPECT_EQ(test, f->store.st.overlaps, 1);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 4 * P);

	/* What is already there: counted, nothing changes. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x13000, P, 0x103000, RW), 0);
	expect_ranges(test, f, replaced, ARRAY_SIZE(replaced));
	KUNIT_EXPECT_EQ(test, f->store.st.overlaps, 2);
	KUNIT_EXPECT_EQ(test, f->store.st.merges, 0);

	/* The same page with other permissions. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x12000, P, 0x102000, RD), 0);
	expect_ranges(test, f, reprot, ARRAY_SIZE(reprot));
	KUNIT_EXPECT_EQ(test, f->store.st.overlaps, 3);

	/* Over three ranges: they go, and the map joins what is left. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x11000, 2 * P, 0x101000, RW), 0);
	expect_ranges(test, f, rejoined, ARRAY_SIZE(rejoined));
	KUNIT_EXPECT_EQ(test, f->store.st.overlaps, 4);
	KUNIT_EXPECT_EQ(test, f->store.st.merges, 2);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 4 * P);
	/* A replacing map is not an unmap of the domain. */
	KUNIT_EXPECT_EQ(test, f->store.st.unmaps, 0);
	KUNIT_EXPECT_EQ(test, f->store.st.splits, 0);
	KUNIT_EXPECT_FALSE(test, pthru_iv_incomplete(&f->store));
}

static void iv_pool_exhaustion(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 2);
	struct pthru_iv_node *more;
	static const struct pthru_iv_range two[] = {
		{ 0x10000, P, 0x100000, RW },
		{ 0x12000, P, 0x102000, RW },
	};
	static const struct pthru_iv_range joined[] = {
		{ 0x10000, 3 * P, 0x100000, RW },
	};
	static const struct pthru_iv_range after_lost_split[] = {
		{ 0x10000, P, 0x100000, RW },
		{ 0x40000, 4 * P, 0x400000, RW },
	};
	static const struct pthru_iv_range after_top_up[] = {
		{ 0x10000, P, 0x100000, RW },
		{ 0x40000, P, 0x400000, RW },
		{ 0x42000, 2 * P, 0x402000, RW },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x10000, P, 0x100000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x12000, P, 0x102000, RW), 0);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 0);

	/* No node: the map is dropped, and the store says so. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x20000, P, 0x200000, RW),
			-ENOMEM);
	KUNIT_EXPECT_TRUE(test, pthru_iv_incomplete(&f->store));
	KUNIT_EXPECT_EQ(test, f->store.st.lost, 1);
	KUNIT_EXPECT_EQ(test, f->store.st.maps, 3);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 2 * P);
	expect_ranges(test, f, two, ARRAY_SIZE(two));

	/* A map that only merges needs no node; joining both frees one. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x11000, P, 0x101000, RW), 0);
	expect_ranges(test, f, joined, ARRAY_SIZE(joined));
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 1);

	/* With the freed node, a new range fits again. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x40000, 4 * P, 0x400000, RW), 0);
	KUNIT_EXPECT_EQ(test, f->store.st.lost, 1);

	/*
	 * A split with no node to spare: the tail, still mapped, is dropped
	 * rather than the unmapped middle kept.
	 */
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x11000, P), P);
	expect_ranges(test, f, after_lost_split, ARRAY_SIZE(after_lost_split));
	KUNIT_EXPECT_EQ(test, f->store.st.lost, 2);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 5 * P);
	KUNIT_EXPECT_EQ(test, f->store.st.splits, 1);

	/* A top-up under the lock makes splits work again. */
	more = kunit_kcalloc(test, 2, sizeof(*more), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, more);
	pthru_iv_pool_add(&f->pool, more, 2);
	f->nr_nodes += 2;
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x41000, P), P);
	expect_ranges(test, f, after_top_up, ARRAY_SIZE(after_top_up));
	KUNIT_EXPECT_EQ(test, f->store.st.lost, 2);

	/* Incomplete sticks until the store is cleared, even when empty. */
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0, 0x100000), 4 * P);
	expect_ranges(test, f, NULL, 0);
	KUNIT_EXPECT_TRUE(test, pthru_iv_incomplete(&f->store));
	pthru_iv_clear(&f->store);
	KUNIT_EXPECT_FALSE(test, pthru_iv_incomplete(&f->store));
	KUNIT_EXPECT_EQ(test, f->store.st.lost, 0);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 4);
	KUNIT_EXPECT_EQ(test, f->pool.nr_total, 4);
}

static void iv_invalid(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 4);
	const u64 top = 0xfffffffffffff000ULL;
	const struct pthru_iv_range want[] = {
		{ top - 2 * P, P, 0x700000, RW },
	};

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x1000, 0, 0x1000, RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->store.st.maps, 0);
	KUNIT_EXPECT_FALSE(test, pthru_iv_incomplete(&f->store));

	/* Ending exactly at 2^64 does not fit: the map is lost. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, top, P, 0x1000, RW), -EINVAL);
	KUNIT_EXPECT_TRUE(test, pthru_iv_incomplete(&f->store));
	KUNIT_EXPECT_EQ(test, f->store.st.lost, 1);
	KUNIT_EXPECT_EQ(test, f->store.st.nr_ranges, 0);

	/* The highest range that fits, and an unmap running off the end. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, top - 2 * P, 2 * P, 0x700000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, top - P, 2 * P), P);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, f->store.st.unmap_misses, 1);
}

/* What a node cannot hold is dropped, and the store says so. */
static void iv_unaligned(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 4);
	static const struct pthru_iv_range want[] = {
		{ 0x10000, P, 0x100000, 0x3f },
	};
	static const struct pthru_iv_range after[] = {
		{ 0x10000, P, 0x100000, 0x3f },
		{ 0x13000, P, 0x203000, RW },
	};

	/* Every IOMMU_* permission bit (up to IOMMU_PRIV) fits. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x10000, P, 0x100000, 0x3f), 0);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_FALSE(test, pthru_iv_incomplete(&f->store));

	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x20800, P, 0x200000, RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x20000, 0x800, 0x200000, RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x20000, P, 0x200800, RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x20000, P, 0x200000, 0x1000), -EINVAL);
	expect_ranges(test, f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, f->store.st.lost, 4);
	KUNIT_EXPECT_EQ(test, f->store.st.maps, 5);
	KUNIT_EXPECT_TRUE(test, pthru_iv_incomplete(&f->store));

	/* An unaligned unmap forgets the whole pages it touches. */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x12000, 2 * P, 0x202000, RW), 0);
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&f->store, 0x12800, 0x100), P);
	expect_ranges(test, f, after, ARRAY_SIZE(after));
	KUNIT_EXPECT_EQ(test, f->store.st.lost, 5);
}

static void iv_iterate_resume(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 8);
	static const struct pthru_iv_range want[] = {
		{ 0x00000, P, 0x10000, RD },
		{ 0x04000, 2 * P, 0x30000, RW },
		{ 0x10000, P, 0x50000, RW },
		{ 0x20000, 4 * P, 0x70000, RD },
		{ 0x80000, P, 0x90000, RW },
	};
	static const unsigned int order[] = { 3, 0, 4, 2, 1 };
	struct pthru_iv_range got;
	unsigned int i, n;
	u64 cursor;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		const struct pthru_iv_range *r = &want[order[i]];

		KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, r->iova, r->size,
						   r->phys, r->prot), 0);
	}
	expect_ranges(test, f, want, ARRAY_SIZE(want));

	/* A dump, one range per call, resuming from the last end. */
	for (n = 0, cursor = 0; pthru_iv_get(&f->store, cursor, &got); n++) {
		KUNIT_ASSERT_LT(test, n, ARRAY_SIZE(want));
		KUNIT_EXPECT_EQ(test, got.iova, want[n].iova);
		KUNIT_EXPECT_EQ(test, got.size, want[n].size);
		KUNIT_EXPECT_EQ(test, got.phys, want[n].phys);
		KUNIT_EXPECT_EQ(test, got.prot, want[n].prot);
		cursor = got.iova + got.size;
	}
	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(want));

	/* From inside a range: that range; from a hole: the next one. */
	KUNIT_ASSERT_TRUE(test, pthru_iv_get(&f->store, 0x22000, &got));
	KUNIT_EXPECT_EQ(test, got.iova, 0x20000);
	KUNIT_ASSERT_TRUE(test, pthru_iv_get(&f->store, 0x06000, &got));
	KUNIT_EXPECT_EQ(test, got.iova, 0x10000);
	KUNIT_ASSERT_TRUE(test, pthru_iv_get(&f->store, 0x23fff, &got));
	KUNIT_EXPECT_EQ(test, got.iova, 0x20000);
	KUNIT_ASSERT_TRUE(test, pthru_iv_get(&f->store, 0x24000, &got));
	KUNIT_EXPECT_EQ(test, got.iova, 0x80000);
	KUNIT_EXPECT_FALSE(test, pthru_iv_get(&f->store, 0x81000, &got));

	/*
	 * The store changes between two calls: the range at the cursor grew
	 * down over it.  It comes again rather than being skipped.
	 */
	KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, 0x1f000, P, 0x6f000, RD), 0);
	KUNIT_ASSERT_TRUE(test, pthru_iv_get(&f->store, 0x20000, &got));
	KUNIT_EXPECT_EQ(test, got.iova, 0x1f000);
	KUNIT_EXPECT_EQ(test, got.size, 5 * P);

	KUNIT_EXPECT_PTR_EQ(test, pthru_iv_seek(&f->store, 0x24000),
			    pthru_iv_lookup(&f->store, 0x80000));
	KUNIT_EXPECT_NULL(test, pthru_iv_seek(&f->store, 0x81000));
	KUNIT_EXPECT_NULL(test, pthru_iv_lookup(&f->store, 0x81000));
	KUNIT_EXPECT_NULL(test, pthru_iv_lookup(&f->store, 0x01000));
}

static void iv_clear(struct kunit *test)
{
	struct iv_fixture *f = iv_setup(test, 64);
	unsigned int i;

	/* 50 ranges that cannot merge: every other page. */
	for (i = 0; i < 50; i++)
		KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, i * 2 * P, P,
						   0x100000 + i * P, RW), 0);
	KUNIT_EXPECT_EQ(test, f->store.st.nr_ranges, 50);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 14);

	pthru_iv_clear(&f->store);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 64);
	KUNIT_EXPECT_NULL(test, pthru_iv_first(&f->store));
	KUNIT_EXPECT_EQ(test, f->store.st.nr_ranges, 0);
	KUNIT_EXPECT_EQ(test, f->store.st.bytes, 0);
	KUNIT_EXPECT_EQ(test, f->store.st.maps, 0);

	/* Every node can be used again: fill the whole pool. */
	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_EQ(test, pthru_iv_map(&f->store, i * 2 * P, P,
						   0x100000 + i * P, RW), 0);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 0);
	KUNIT_EXPECT_FALSE(test, pthru_iv_incomplete(&f->store));
	pthru_iv_clear(&f->store);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, 64);
}

/*
 * The reference model: a small IOVA space, page by page.  Its maximal runs
 * of pages that continue each other in IOVA, in physical address and in
 * permissions are what the store must hold.
 */
#define REF_PAGES	128

struct iv_ref {
	bool mapped[REF_PAGES];
	u32 pfn[REF_PAGES];
	u32 prot[REF_PAGES];
};

/* A fixed-seed xorshift32: the same sequence on every run and kernel. */
static u32 xs_next(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static bool ref_joins(const struct iv_ref *ref, unsigned int i)
{
	return i > 0 && ref->mapped[i] && ref->mapped[i - 1] &&
	       ref->pfn[i] == ref->pfn[i - 1] + 1 &&
	       ref->prot[i] == ref->prot[i - 1];
}

static unsigned int ref_runs(const struct iv_ref *ref,
			     struct pthru_iv_range *out)
{
	unsigned int i = 0, j, n = 0;

	while (i < REF_PAGES) {
		if (!ref->mapped[i]) {
			i++;
			continue;
		}
		for (j = i + 1; j < REF_PAGES && ref_joins(ref, j); j++)
			;
		out[n].iova = i * P;
		out[n].size = (j - i) * P;
		out[n].phys = (u64)ref->pfn[i] * P;
		out[n].prot = ref->prot[i];
		n++;
		i = j;
	}
	return n;
}

/* Does the store hold exactly the reference's runs? */
static bool store_equals_ref(struct iv_fixture *f,
			     const struct iv_ref *ref,
			     struct pthru_iv_range *runs)
{
	unsigned int n = ref_runs(ref, runs), i;
	const struct pthru_iv_node *v = pthru_iv_first(&f->store);
	u64 bytes = 0;

	for (i = 0; i < n; i++, v = pthru_iv_next(v)) {
		if (!v || v->iova != runs[i].iova || v->size != runs[i].size ||
		    pthru_iv_phys(v) != runs[i].phys ||
		    pthru_iv_prot(v) != runs[i].prot)
			return false;
		bytes += v->size;
	}
	return !v && f->store.st.nr_ranges == n && f->store.st.bytes == bytes;
}

/* Is every byte the store lists mapped so in the reference? */
static bool store_within_ref(const struct iv_fixture *f,
			     const struct iv_ref *ref)
{
	const struct pthru_iv_node *v;
	u64 pg;

	for (v = pthru_iv_first(&f->store); v; v = pthru_iv_next(v)) {
		if (v->iova % P || v->size % P || pthru_iv_phys(v) % P)
			return false;
		for (pg = v->iova / P; pg < (v->iova + v->size) / P; pg++)
			if (pg >= REF_PAGES || !ref->mapped[pg] ||
			    ref->pfn[pg] != pthru_iv_phys(v) / P +
					    (pg - v->iova / P) ||
			    ref->prot[pg] != pthru_iv_prot(v))
				return false;
	}
	return true;
}

struct ref_counts {
	u64 maps, unmaps, merges, splits, overlaps, unmap_misses;
};

/* Apply a map to the reference; count what the store must count. */
static void ref_map(struct iv_ref *ref, struct ref_counts *c,
		    const struct pthru_iv_range *runs, unsigned int nr_runs,
		    unsigned int a, unsigned int b, u32 pfn, u32 prot)
{
	unsigned int i;
	bool overlap = false;

	c->maps++;
	for (i = a; i < b; i++)
		overlap |= ref->mapped[i];
	if (overlap) {
		c->overlaps++;
		for (i = 0; i < nr_runs; i++) {
			u64 rs = runs[i].iova / P, re = rs + runs[i].size / P;

			/* Already mapped exactly so: nothing changes. */
			if (rs <= a && re >= b && ref->pfn[a] == pfn &&
			    ref->prot[a] == prot)
				return;
		}
		for (i = a; i < b; i++)
			ref->mapped[i] = false;
	}
	c->merges += a > 0 && ref->mapped[a - 1] &&
		     ref->pfn[a - 1] + 1 == pfn && ref->prot[a - 1] == prot;
	c->merges += b < REF_PAGES && ref->mapped[b] &&
		     ref->pfn[b] == pfn + (b - a) && ref->prot[b] == prot;
	for (i = a; i < b; i++) {
		ref->mapped[i] = true;
		ref->pfn[i] = pfn + (i - a);
		ref->prot[i] = prot;
	}
}

/* Apply an unmap to the reference; return the bytes that were mapped. */
static u64 ref_unmap(struct iv_ref *ref, struct ref_counts *c,
		     const struct pthru_iv_range *runs, unsigned int nr_runs,
		     unsigned int a, unsigned int b)
{
	unsigned int i;
	u64 covered = 0;

	c->unmaps++;
	for (i = 0; i < nr_runs; i++) {
		u64 rs = runs[i].iova / P, re = rs + runs[i].size / P;

		if (rs < b && re > a && !(rs >= a && re <= b))
			c->splits++;
	}
	for (i = a; i < b; i++) {
		covered += ref->mapped[i] ? P : 0;
		ref->mapped[i] = false;
	}
	c->unmap_misses += covered != (b - a) * P;
	return covered;
}

/*
 * Random maps (a quarter of them continuing the page below them
 * physically, half following one global linear layout, so merges on both
 * sides are common, a quarter anywhere) and unmaps, some overlapping, over 128 pages.  @nr_nodes decides
 * whether the pool can run dry: with enough nodes the store must equal the
 * reference after every step and count exactly what it counts; with few,
 * it must stay within the reference, and equal it whenever it does not say
 * it is incomplete.
 */
static void iv_random_run(struct kunit *test, u32 nr_nodes, u32 seed,
			  unsigned int steps, bool expect_loss)
{
	struct iv_fixture *f = iv_setup(test, nr_nodes);
	struct iv_ref *ref = kunit_kzalloc(test, sizeof(*ref), GFP_KERNEL);
	struct pthru_iv_range *runs;
	struct ref_counts c = {};
	unsigned int step, nr_runs, a, b, eq = 0;
	u32 x = seed, pfn, prot, kind;
	u64 want, got;
	const char *why;
	int ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ref);
	runs = kunit_kcalloc(test, REF_PAGES, sizeof(*runs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, runs);

	for (step = 0; step < steps; step++) {
		nr_runs = ref_runs(ref, runs);
		a = xs_next(&x) % REF_PAGES;
		if (xs_next(&x) % 100 < 55) {
			b = min_t(unsigned int, REF_PAGES, a + 1 + xs_next(&x) % 8);
			kind = xs_next(&x) % 4;
			if (kind == 0 && a > 0 && ref->mapped[a - 1])
				pfn = ref->pfn[a - 1] + 1;
			else if (kind <= 2)
				pfn = 1000 + a;
			else
				pfn = 5000 + xs_next(&x) % 4096;
			prot = xs_next(&x) % 4 ? RW : RD;
			ref_map(ref, &c, runs, nr_runs, a, b, pfn, prot);
			ret = pthru_iv_map(&f->store, a * P, (b - a) * P,
					   (u64)pfn * P, prot);
			/* With a small pool a map may be dropped, no more. */
			if (!expect_loss || ret != -ENOMEM)
				KUNIT_ASSERT_EQ_MSG(test, ret, 0, "step %u", step);
		} else {
			b = min_t(unsigned int, REF_PAGES, a + 1 + xs_next(&x) % 16);
			want = ref_unmap(ref, &c, runs, nr_runs, a, b);
			got = pthru_iv_unmap(&f->store, a * P, (b - a) * P);
			/* A store that lost ranges may find less to unmap. */
			if (!expect_loss)
				KUNIT_ASSERT_EQ_MSG(test, got, want, "step %u", step);
			else
				KUNIT_ASSERT_LE_MSG(test, got, want, "step %u", step);
		}

		why = pthru_iv_check(&f->store);
		KUNIT_ASSERT_FALSE_MSG(test, why, "step %u: %s", step, why);
		KUNIT_ASSERT_EQ_MSG(test, f->pool.nr_free + f->store.st.nr_ranges,
				    nr_nodes, "step %u: nodes leaked", step);
		KUNIT_ASSERT_TRUE_MSG(test, store_within_ref(f, ref),
				      "step %u: store lists an unmapped byte",
				      step);
		if (pthru_iv_incomplete(&f->store)) {
			KUNIT_ASSERT_TRUE_MSG(test, expect_loss,
					      "step %u: lost with a big pool", step);
			continue;
		}
		KUNIT_ASSERT_TRUE_MSG(test, store_equals_ref(f, ref, runs),
				      "step %u: store and reference differ", step);
		eq++;
		if (expect_loss)
			continue;
		KUNIT_ASSERT_EQ_MSG(test, f->store.st.maps, c.maps, "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, f->store.st.unmaps, c.unmaps, "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, f->store.st.merges, c.merges, "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, f->store.st.splits, c.splits, "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, f->store.st.overlaps, c.overlaps,
				    "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, f->store.st.unmap_misses, c.unmap_misses,
				    "step %u", step);
	}
	kunit_info(test, "%u steps, pool %u: %llu merges, %llu splits, %llu overlaps, %llu lost, equal at %u steps\n",
		   steps, nr_nodes, f->store.st.merges, f->store.st.splits,
		   f->store.st.overlaps, f->store.st.lost, eq);
	/* The run must have exercised what it is about. */
	if (expect_loss) {
		KUNIT_EXPECT_TRUE(test, pthru_iv_incomplete(&f->store));
		KUNIT_EXPECT_GT(test, f->store.st.lost, 0);
	} else {
		KUNIT_EXPECT_GT(test, c.merges, 300);
		KUNIT_EXPECT_GT(test, c.splits, 500);
		KUNIT_EXPECT_GT(test, c.overlaps, 500);
	}
	pthru_iv_clear(&f->store);
	KUNIT_EXPECT_EQ(test, f->pool.nr_free, nr_nodes);
}

static void iv_random_vs_reference(struct kunit *test)
{
	/* One node per page: the pool cannot run dry. */
	iv_random_run(test, REF_PAGES, 0x2545f491, 4000, false);
}

static void iv_random_small_pool(struct kunit *test)
{
	iv_random_run(test, 6, 0x9e3779b9, 4000, true);
}

/*
 * The growable pool as shadow.c runs it: a handler that takes one of the
 * last nodes asks for a top-up (ask); the work, later and in process
 * context, allocates chunks charged to the host-wide cap and adds them to
 * the pool (grow).  @late: maps between the ask and the work.
 */
struct iv_grower {
	struct pthru_iv_cap cap;
	struct pthru_iv_pool pool;
	struct pthru_iv_store store;
	u32 watermark;
	bool asked;
	u32 since_ask;
	u32 grows;
	int last_err;
};

static void grow_run(struct iv_grower *g, u32 target)
{
	struct pthru_iv_chunk *list = NULL;
	u32 want = pthru_iv_pool_chunks_wanted(&g->pool, target), got = 0;

	g->last_err = want ? pthru_iv_chunks_alloc(&g->cap, want, GFP_KERNEL,
						   &list, &got) : 0;
	pthru_iv_pool_add_chunks(&g->pool, list);
	g->grows++;
	if (!g->last_err)
		g->asked = false;
}

static void grower_init(struct kunit *test, struct iv_grower *g, u64 cap,
			u32 watermark, u32 first)
{
	memset(g, 0, sizeof(*g));
	pthru_iv_cap_init(&g->cap, cap);
	pthru_iv_pool_init(&g->pool);
	pthru_iv_init(&g->store, &g->pool);
	g->watermark = watermark;
	grow_run(g, first);
	KUNIT_ASSERT_EQ(test, g->last_err, 0);
}

/* Map range @i (one page, a gap after it: no merge), then maybe ask. */
static int grower_map(struct iv_grower *g, u32 i, u32 late)
{
	int ret = pthru_iv_map(&g->store, (u64)i * 2 * P, P,
			       0x100000000ULL + (u64)i * P, RW);

	if (g->asked && ++g->since_ask >= late)
		grow_run(g, g->watermark);
	if (!g->asked && pthru_iv_pool_low(&g->pool, g->watermark)) {
		g->asked = true;
		g->since_ask = 0;
	}
	return ret;
}

static void grower_free(struct kunit *test, struct iv_grower *g)
{
	pthru_iv_clear(&g->store);
	pthru_iv_chunks_free(&g->cap, pthru_iv_pool_shrink(&g->pool, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->cap.used), 0);
}

/*
 * With room under the cap, a store fed from a pool that is topped up
 * ahead of need never runs dry, even when the top-up comes up to half a
 * watermark late: 20,000 ranges from a first reserve of one watermark.
 */
static void iv_grow_ahead(struct kunit *test)
{
	struct iv_grower *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	u32 i, dry = 0;

	KUNIT_ASSERT_NOT_NULL(test, g);
	grower_init(test, g, 64 << 20, 512, 512);
	KUNIT_EXPECT_EQ(test, g->pool.nr_total,
			(u32)DIV_ROUND_UP(512, PTHRU_IV_CHUNK_NODES) *
			PTHRU_IV_CHUNK_NODES);
	for (i = 0; i < 20000; i++) {
		dry += !g->pool.nr_free;
		KUNIT_ASSERT_EQ_MSG(test, grower_map(g, i, 255), 0, "map %u", i);
	}
	KUNIT_EXPECT_EQ(test, dry, 0u);
	KUNIT_EXPECT_FALSE(test, pthru_iv_incomplete(&g->store));
	KUNIT_EXPECT_EQ(test, g->store.st.nr_ranges, 20000);
	KUNIT_EXPECT_FALSE(test, pthru_iv_check(&g->store));
	/* The reserve stays between about half and one watermark. */
	KUNIT_EXPECT_GE(test, g->pool.nr_free, 256u - 255u);
	KUNIT_EXPECT_LE(test, g->pool.nr_free, 512u + PTHRU_IV_CHUNK_NODES);
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->cap.used),
			(s64)(g->pool.nr_total / PTHRU_IV_CHUNK_NODES) *
			PTHRU_IV_CHUNK_BYTES);
	kunit_info(test, "20000 ranges: %u nodes in %llu bytes, %u top-ups\n",
		   g->pool.nr_total, (u64)atomic64_read(&g->cap.used), g->grows);

	/* Freed nodes go back to the reserve; shrinking gives back memory. */
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&g->store, 0, 40000 * P), 20000 * P);
	KUNIT_EXPECT_EQ(test, g->pool.nr_free, g->pool.nr_total);
	grower_free(test, g);
	KUNIT_EXPECT_EQ(test, g->pool.nr_total, 0u);
}

/*
 * At the cap the pool stops growing; the store keeps recording from what
 * is left, and drops (incomplete, lost) only once that is used up.
 */
static void iv_grow_cap(struct kunit *test)
{
	struct iv_grower *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	const u32 chunks = 16, fits = chunks * PTHRU_IV_CHUNK_NODES;
	u32 i, ok = 0, lost = 0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, g);
	grower_init(test, g, chunks * PTHRU_IV_CHUNK_BYTES, 256, 1);
	for (i = 0; i < fits + 100; i++) {
		ret = grower_map(g, i, 0);
		if (!ret) {
			ok++;
			KUNIT_ASSERT_FALSE_MSG(test,
					       pthru_iv_incomplete(&g->store),
					       "map %u", i);
		} else {
			KUNIT_ASSERT_EQ(test, ret, -ENOMEM);
			lost++;
		}
	}
	KUNIT_EXPECT_EQ(test, ok, fits);
	KUNIT_EXPECT_EQ(test, lost, 100u);
	KUNIT_EXPECT_TRUE(test, pthru_iv_incomplete(&g->store));
	KUNIT_EXPECT_EQ(test, g->store.st.lost, 100);
	KUNIT_EXPECT_EQ(test, g->last_err, -ENOSPC);
	KUNIT_EXPECT_GT(test, atomic64_read(&g->cap.refused), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->cap.used),
			(s64)chunks * PTHRU_IV_CHUNK_BYTES);
	KUNIT_EXPECT_FALSE(test, pthru_iv_check(&g->store));

	/* Freeing ranges refills the reserve: recorded again, still marked. */
	KUNIT_EXPECT_EQ(test, pthru_iv_unmap(&g->store, 0, 20 * P), 10 * P);
	KUNIT_EXPECT_EQ(test, grower_map(g, fits + 200, 0), 0);
	KUNIT_EXPECT_TRUE(test, pthru_iv_incomplete(&g->store));

	/* Untracked: the store is cleared, every chunk goes back. */
	grower_free(test, g);
}

/*
 * The default configuration of shadow.c on a host with 2 GiB of RAM or
 * less: an 8 MiB cap, 8 slots of which 7 hold a free slot's reserve
 * (4096 / 4 nodes), and a watermark of 4096 nodes.  One domain of 131,072
 * ranges that cannot merge is tracked completely.
 */
static void iv_grow_defaults_131072(struct kunit *test)
{
	struct iv_grower *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	struct pthru_iv_chunk *idle = NULL;
	u32 idle_chunks = 7 * DIV_ROUND_UP(4096 / 4, PTHRU_IV_CHUNK_NODES);
	u32 i, got;

	KUNIT_ASSERT_NOT_NULL(test, g);
	grower_init(test, g, 8 << 20, 4096, 4096 / 4);
	KUNIT_ASSERT_EQ(test, pthru_iv_chunks_alloc(&g->cap, idle_chunks,
						    GFP_KERNEL, &idle, &got), 0);
	for (i = 0; i < 131072; i++)
		KUNIT_ASSERT_EQ_MSG(test, grower_map(g, i, 1000), 0, "map %u", i);
	KUNIT_EXPECT_FALSE(test, pthru_iv_incomplete(&g->store));
	KUNIT_EXPECT_EQ(test, g->store.st.nr_ranges, 131072);
	KUNIT_EXPECT_FALSE(test, pthru_iv_check(&g->store));
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->cap.refused), 0);
	kunit_info(test, "131072 ranges: %u nodes, %llu bytes with the other slots' reserves (cap %llu)\n",
		   g->pool.nr_total, (u64)atomic64_read(&g->cap.used),
		   g->cap.max);
	pthru_iv_chunks_free(&g->cap, idle);
	grower_free(test, g);
}

/* A pool shrinks to whole chunks, and only when every node is free. */
static void iv_pool_shrink(struct kunit *test)
{
	struct iv_grower *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	struct pthru_iv_chunk *rest;

	KUNIT_ASSERT_NOT_NULL(test, g);
	grower_init(test, g, 1 << 20, 0, 5 * PTHRU_IV_CHUNK_NODES);
	KUNIT_EXPECT_EQ(test, g->pool.nr_total, 5 * PTHRU_IV_CHUNK_NODES);
	KUNIT_EXPECT_EQ(test, pthru_iv_pool_chunks_wanted(&g->pool, 5 * PTHRU_IV_CHUNK_NODES), 0u);
	KUNIT_EXPECT_EQ(test, pthru_iv_pool_chunks_wanted(&g->pool, 5 * PTHRU_IV_CHUNK_NODES + 1), 1u);
	KUNIT_EXPECT_EQ(test, grower_map(g, 1, 0), 0);
	/* A node in use: nothing is given back. */
	KUNIT_EXPECT_NULL(test, pthru_iv_pool_shrink(&g->pool, 1));
	KUNIT_EXPECT_EQ(test, g->pool.nr_total, 5 * PTHRU_IV_CHUNK_NODES);
	pthru_iv_clear(&g->store);
	rest = pthru_iv_pool_shrink(&g->pool, PTHRU_IV_CHUNK_NODES + 1);
	KUNIT_EXPECT_EQ(test, g->pool.nr_total, 2 * PTHRU_IV_CHUNK_NODES);
	KUNIT_EXPECT_EQ(test, g->pool.nr_free, 2 * PTHRU_IV_CHUNK_NODES);
	KUNIT_EXPECT_EQ(test, pthru_iv_chunks_free(&g->cap, rest), 3u);
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->cap.used),
			2 * PTHRU_IV_CHUNK_BYTES);
	/* What is kept still works: every node of it. */
	for (rest = NULL, g->watermark = 0; g->pool.nr_free;)
		KUNIT_ASSERT_EQ(test, grower_map(g, g->store.st.nr_ranges, 0), 0);
	KUNIT_EXPECT_EQ(test, grower_map(g, 1000000, 0), -ENOMEM);
	grower_free(test, g);
}

/*
 * Correctness at 10^3, 10^5 and 10^6 ranges, and the tree's height
 * (O(log n) descents).  The times are printed, not asserted.
 */
static void iv_scale(struct kunit *test)
{
	static const u32 sizes[] = { 1000, 100000, 1000000 };
	struct iv_scale r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		iv_scale_run(test, sizes[i], &r);
		kunit_info(test, "%u ranges: height %u, %llu bytes; ns per insert %llu, lookup %llu, remove %llu\n",
			   r.n, r.height, r.mem_bytes, r.insert_ns,
			   r.lookup_ns, r.remove_ns);
	}
}

static struct kunit_case ivstore_cases[] = {
	KUNIT_CASE(iv_node_size),
	KUNIT_CASE(iv_merge_left),
	KUNIT_CASE(iv_merge_right),
	KUNIT_CASE(iv_merge_both),
	KUNIT_CASE(iv_no_merge),
	KUNIT_CASE(iv_split),
	KUNIT_CASE(iv_unmap_across),
	KUNIT_CASE(iv_unmap_unmapped),
	KUNIT_CASE(iv_overlap),
	KUNIT_CASE(iv_pool_exhaustion),
	KUNIT_CASE(iv_invalid),
	KUNIT_CASE(iv_unaligned),
	KUNIT_CASE(iv_iterate_resume),
	KUNIT_CASE(iv_clear),
	KUNIT_CASE(iv_random_vs_reference),
	KUNIT_CASE(iv_random_small_pool),
	KUNIT_CASE(iv_pool_shrink),
	KUNIT_CASE(iv_grow_ahead),
	KUNIT_CASE(iv_grow_cap),
	KUNIT_CASE(iv_grow_defaults_131072),
	KUNIT_CASE(iv_scale),
	{}
};

static struct kunit_suite ivstore_suite = {
	.name = "pthru_ivstore",
	.test_cases = ivstore_cases,
};

kunit_test_suites(&ivstore_suite);

MODULE_LICENSE("GPL");
