/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interval store at scale, shared by the ivstore suite (which asserts
 * that the store is right at 10^6 ranges and that its tree stays
 * balanced) and the bench suite (which prints the figures): N ranges that
 * cannot merge, inserted in a scrambled order, looked up, then removed in
 * another scrambled order, each phase timed.  Times are reported, never
 * asserted.
 */
#ifndef _PTHRU_CORE_TESTS_IVSCALE_H
#define _PTHRU_CORE_TESTS_IVSCALE_H

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/log2.h>

#include "../ivstore.h"

struct iv_scale {
	u32 n;
	u64 insert_ns;		/* per insert */
	u64 lookup_ns;		/* per lookup */
	u64 remove_ns;		/* per remove */
	u32 height;		/* of the tree holding all n */
	u64 mem_bytes;		/* chunks for n ranges */
};

/* Range i: one page at IOVA 2i pages (a gap to the next: no merge). */
static inline u64 iv_scale_iova(u32 i)
{
	return (u64)i * 0x2000;
}

/* The k-th of a scrambled order of 0..n-1: @mul is prime, not 2 or 5. */
static inline u32 iv_scale_perm(u32 k, u32 n, u32 mul)
{
	return ((u64)k * mul) % n;
}

static inline u32 iv_scale_height(const struct rb_node *rb)
{
	u32 l, r;

	if (!rb)
		return 0;
	l = iv_scale_height(rb->rb_left);
	r = iv_scale_height(rb->rb_right);
	return 1 + (l > r ? l : r);
}

/*
 * Run the three phases at @n ranges; asserts that every insert, lookup and
 * remove did what it should, and that the store's invariants hold with
 * all @n held.
 */
static inline void iv_scale_run(struct kunit *test, u32 n, struct iv_scale *r)
{
	u32 chunks = DIV_ROUND_UP(n, PTHRU_IV_CHUNK_NODES), got, k, i, bad = 0;
	struct pthru_iv_chunk *list = NULL;
	struct pthru_iv_store store;
	struct pthru_iv_pool pool;
	const struct pthru_iv_node *v;
	struct pthru_iv_cap cap;
	const char *why;
	u64 t0;

	memset(r, 0, sizeof(*r));
	r->n = n;
	pthru_iv_cap_init(&cap, (u64)chunks * PTHRU_IV_CHUNK_BYTES);
	KUNIT_ASSERT_EQ(test, pthru_iv_chunks_alloc(&cap, chunks, GFP_KERNEL,
						    &list, &got), 0);
	pthru_iv_pool_init(&pool);
	pthru_iv_pool_add_chunks(&pool, list);
	pthru_iv_init(&store, &pool);
	r->mem_bytes = atomic64_read(&cap.used);

	t0 = ktime_get_ns();
	for (k = 0; k < n; k++) {
		i = iv_scale_perm(k, n, 7919);
		bad += pthru_iv_map(&store, iv_scale_iova(i), 0x1000,
				    0x100000000ULL + (u64)i * 0x2000, 3) != 0;
	}
	r->insert_ns = (ktime_get_ns() - t0) / n;
	KUNIT_ASSERT_EQ_MSG(test, bad, 0u, "%u inserts failed", bad);
	KUNIT_ASSERT_EQ(test, store.st.nr_ranges, (u64)n);
	KUNIT_ASSERT_FALSE(test, pthru_iv_incomplete(&store));
	why = pthru_iv_check(&store);
	KUNIT_ASSERT_FALSE_MSG(test, why, "invariant at %u: %s", n, why);
	/* A red-black tree of n nodes is at most 2 log2(n + 1) high. */
	r->height = iv_scale_height(store.root.rb_node);
	KUNIT_ASSERT_LE(test, r->height, 2 * (u32)ilog2(n + 1) + 2);

	t0 = ktime_get_ns();
	for (k = 0; k < n; k++) {
		i = iv_scale_perm(k, n, 104729);
		v = pthru_iv_lookup(&store, iv_scale_iova(i) + 0x800);
		bad += !v || v->iova != iv_scale_iova(i) ||
		       pthru_iv_phys(v) != 0x100000000ULL + (u64)i * 0x2000;
		/* The gap after each range is a miss. */
		bad += !!pthru_iv_lookup(&store, iv_scale_iova(i) + 0x1000);
	}
	r->lookup_ns = (ktime_get_ns() - t0) / (2 * (u64)n);
	KUNIT_ASSERT_EQ_MSG(test, bad, 0u, "%u lookups wrong", bad);

	t0 = ktime_get_ns();
	for (k = 0; k < n; k++) {
		i = iv_scale_perm(k, n, 15485863);
		bad += pthru_iv_unmap(&store, iv_scale_iova(i), 0x1000) !=
		       0x1000;
	}
	r->remove_ns = (ktime_get_ns() - t0) / n;
	KUNIT_ASSERT_EQ_MSG(test, bad, 0u, "%u removes wrong", bad);
	KUNIT_ASSERT_NULL(test, pthru_iv_first(&store));
	KUNIT_ASSERT_EQ(test, pool.nr_free, pool.nr_total);

	pthru_iv_clear(&store);
	pthru_iv_chunks_free(&cap, pthru_iv_pool_shrink(&pool, 0));
	KUNIT_ASSERT_EQ(test, atomic64_read(&cap.used), 0);
}

#endif /* _PTHRU_CORE_TESTS_IVSCALE_H */
