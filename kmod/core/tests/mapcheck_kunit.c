// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pure part of the verification walk: which IOVAs a
 * range is checked at, and what the answers of a fake IOMMU (a table of
 * mappings plus pages that answer "busy") and a fake memory map turn into.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "../mapcheck.h"

#define PG	0x1000ULL
#define NOP	PTHRU_MAP_NO_PHYS

/* A mapping of the fake IOMMU; the first entry that holds an IOVA wins. */
struct fake_map {
	u64 iova, size, phys;
};

/* A region of the fake memory map; memory outside every region is user. */
struct fake_mem {
	u64 phys, size;
	enum pthru_phys_kind kind;
};

struct fake {
	const struct fake_map *map;
	u32 nr_map;
	const u64 *busy;
	u32 nr_busy;
	const struct fake_mem *mem;
	u32 nr_mem;
	u32 classified;
};

static enum pthru_xlate fake_translate(void *ctx, u64 iova, u64 *phys)
{
	struct fake *f = ctx;
	u32 i;

	for (i = 0; i < f->nr_busy; i++)
		if (f->busy[i] == iova)
			return PTHRU_XLATE_BUSY;
	for (i = 0; i < f->nr_map; i++) {
		const struct fake_map *m = &f->map[i];

		if (iova >= m->iova && iova - m->iova < m->size) {
			*phys = m->phys + (iova - m->iova);
			return PTHRU_XLATE_MAPPED;
		}
	}
	return PTHRU_XLATE_NONE;
}

static enum pthru_phys_kind fake_classify(void *ctx, u64 phys)
{
	struct fake *f = ctx;
	u32 i;

	f->classified++;
	for (i = 0; i < f->nr_mem; i++)
		if (phys >= f->mem[i].phys && phys - f->mem[i].phys < f->mem[i].size)
			return f->mem[i].kind;
	return PTHRU_PHYS_USER;
}

static const struct pthru_mapcheck_ops fake_ops = {
	.translate = fake_translate,
	.classify = fake_classify,
};

#define FAKE(m)	{ .map = (m), .nr_map = ARRAY_SIZE(m) }

static struct pthru_mapcheck_domain domain(void)
{
	return (struct pthru_mapcheck_domain){
		.domain_id = 3,
		.group_id = 7,
		.page_size = PG,
		.superpages = SZ_2M | SZ_1G,
	};
}

/* 16 pages at 1 MiB, backed at 80 MiB: first/last, 8 samples, 2 outside. */
static const struct pthru_iv_range r16 = {
	.iova = 0x100000, .size = 16 * PG, .phys = 0x5000000,
};

#define R16_POINTS	10
#define R16_XLATES	(R16_POINTS + 2)

struct walk {
	struct pthru_map_notes notes;
	struct pthru_mapcheck_counts c;
};

static void walk_init(struct walk *w, u64 budget)
{
	memset(w, 0, sizeof(*w));
	w->c.budget = budget;
}

static void walk_range(struct kunit *test, struct walk *w,
		       const struct pthru_mapcheck_domain *d,
		       const struct pthru_iv_range *r,
		       const struct pthru_iv_range *prev,
		       const struct pthru_iv_range *next, struct fake *f)
{
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_range(d, r, prev, next, &fake_ops,
						   f, &w->notes, &w->c,
						   GFP_KERNEL), 0);
}

/* The only note of @kind, checked for domain and group; NULL if none. */
static const struct pthru_map_note *only(struct kunit *test, struct walk *w,
					 enum pthru_map_note_kind kind)
{
	const struct pthru_map_note *found = NULL;
	u32 i;

	for (i = 0; i < w->notes.nr; i++) {
		if (w->notes.items[i].kind != kind)
			continue;
		KUNIT_EXPECT_NULL(test, found);
		found = &w->notes.items[i];
		KUNIT_EXPECT_EQ(test, found->domain_id, 3u);
		KUNIT_EXPECT_EQ(test, found->group_id, 7);
	}
	return found;
}

static void walk_free(struct walk *w)
{
	pthru_map_notes_free(&w->notes);
}

static u32 points(const struct pthru_mapcheck_domain *d, u64 iova, u64 size,
		  u64 *out, u32 max)
{
	struct pthru_iv_range r = { .iova = iova, .size = size, .phys = iova };

	return pthru_mapcheck_points(d, &r, out, max);
}

/* Ascending, unique, page-aligned, wholly inside [iova, iova + size). */
static void expect_well_formed(struct kunit *test, const u64 *p, u32 n,
			       u64 iova, u64 size)
{
	u32 i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, p[i] % PG, 0ULL);
		KUNIT_EXPECT_GE(test, p[i], iova);
		KUNIT_EXPECT_LE(test, p[i] + PG, iova + size);
		if (i)
			KUNIT_EXPECT_LT(test, p[i - 1], p[i]);
	}
}

static bool has(const u64 *p, u32 n, u64 iova)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (p[i] == iova)
			return true;
	return false;
}

static void points_ends_and_samples(struct kunit *test)
{
	/* Pages 0, 15 and (15 * i / 9) for i = 1..8. */
	static const u64 want[] = { 0, 1, 3, 5, 6, 8, 10, 11, 13, 15 };
	struct pthru_mapcheck_domain d = domain();
	u64 p[PTHRU_MAPCHECK_MAX_POINTS];
	u32 n, i;

	n = pthru_mapcheck_points(&d, &r16, p, ARRAY_SIZE(p));
	KUNIT_ASSERT_EQ(test, n, (u32)ARRAY_SIZE(want));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, p[i], r16.iova + want[i] * PG);
}

static void points_small_ranges(struct kunit *test)
{
	struct pthru_mapcheck_domain d = domain();
	u64 p[PTHRU_MAPCHECK_MAX_POINTS];

	KUNIT_ASSERT_EQ(test, points(&d, 0x7000, PG, p, ARRAY_SIZE(p)), 1u);
	KUNIT_EXPECT_EQ(test, p[0], 0x7000ULL);
	KUNIT_ASSERT_EQ(test, points(&d, 0x7000, 2 * PG, p, ARRAY_SIZE(p)), 2u);
	KUNIT_EXPECT_EQ(test, p[1], 0x8000ULL);
	/* Three pages: the samples all fall on pages already taken or 1. */
	KUNIT_ASSERT_EQ(test, points(&d, 0x7000, 3 * PG, p, ARRAY_SIZE(p)), 3u);
	expect_well_formed(test, p, 3, 0x7000, 3 * PG);
	KUNIT_EXPECT_EQ(test, points(&d, 0x7000, 0, p, ARRAY_SIZE(p)), 0u);
	KUNIT_EXPECT_EQ(test, points(&d, 0x7000, PG, p, 0), 0u);
}

static void points_unaligned(struct kunit *test)
{
	struct pthru_mapcheck_domain d = domain();
	u64 p[PTHRU_MAPCHECK_MAX_POINTS];

	/* Only the pages wholly inside count: 0x2000 and 0x3000. */
	KUNIT_ASSERT_EQ(test, points(&d, 0x1800, 0x3000, p, ARRAY_SIZE(p)), 2u);
	KUNIT_EXPECT_EQ(test, p[0], 0x2000ULL);
	KUNIT_EXPECT_EQ(test, p[1], 0x3000ULL);
	/* Less than a page: nothing to check rather than a page outside. */
	KUNIT_EXPECT_EQ(test, points(&d, 0x1800, 0x800, p, ARRAY_SIZE(p)), 0u);
	KUNIT_EXPECT_EQ(test, points(&d, 0x1800, 0x1000, p, ARRAY_SIZE(p)), 0u);
}

static void points_superpage_2m(struct kunit *test)
{
	struct pthru_mapcheck_domain d = domain();
	u64 p[PTHRU_MAPCHECK_MAX_POINTS];
	u32 n;

	/* 1 MiB to 5 MiB: 2 MiB boundaries at 2 and 4 MiB, 5 MiB is the end. */
	n = points(&d, SZ_1M, SZ_4M, p, ARRAY_SIZE(p));
	KUNIT_EXPECT_EQ(test, n, 2u + 4u + PTHRU_MAPCHECK_SAMPLES);
	expect_well_formed(test, p, n, SZ_1M, SZ_4M);
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_1M));
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_1M + SZ_4M - PG));
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_2M - PG));
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_2M));
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_4M - PG));
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_4M));

	/* A range that starts or ends on a boundary has no edge there. */
	n = points(&d, SZ_2M, SZ_2M, p, ARRAY_SIZE(p));
	KUNIT_EXPECT_EQ(test, n, 2u + PTHRU_MAPCHECK_SAMPLES);
	KUNIT_EXPECT_FALSE(test, has(p, n, SZ_2M - PG));
	KUNIT_EXPECT_FALSE(test, has(p, n, SZ_4M));

	/* Without superpages only the ends and samples remain. */
	d.superpages = PG;
	n = points(&d, SZ_1M, SZ_4M, p, ARRAY_SIZE(p));
	KUNIT_EXPECT_EQ(test, n, 2u + PTHRU_MAPCHECK_SAMPLES);
	KUNIT_EXPECT_FALSE(test, has(p, n, SZ_2M));
}

static void points_superpage_1g(struct kunit *test)
{
	struct pthru_mapcheck_domain d = domain();
	u64 p[PTHRU_MAPCHECK_MAX_POINTS];
	u64 edge;
	u32 n;

	/*
	 * 4 GiB from 0: the three 1 GiB boundaries come first, then the
	 * lowest 2 MiB ones up to PTHRU_MAPCHECK_EDGES in all.
	 */
	n = points(&d, 0, SZ_4G, p, ARRAY_SIZE(p));
	KUNIT_EXPECT_EQ(test, n, 2u + 2 * PTHRU_MAPCHECK_EDGES +
				 PTHRU_MAPCHECK_SAMPLES);
	expect_well_formed(test, p, n, 0, SZ_4G);
	for (edge = SZ_1G; edge < SZ_4G; edge += SZ_1G) {
		KUNIT_EXPECT_TRUE(test, has(p, n, edge - PG));
		KUNIT_EXPECT_TRUE(test, has(p, n, edge));
	}
	for (edge = SZ_2M; edge <= 5 * SZ_2M; edge += SZ_2M) {
		KUNIT_EXPECT_TRUE(test, has(p, n, edge - PG));
		KUNIT_EXPECT_TRUE(test, has(p, n, edge));
	}
	KUNIT_EXPECT_FALSE(test, has(p, n, 6 * SZ_2M));
	KUNIT_EXPECT_FALSE(test, has(p, n, 6 * SZ_2M - PG));

	/* A 2 MiB and a 1 GiB boundary in one place is one edge. */
	n = points(&d, SZ_1G - SZ_2M, 2 * SZ_2M, p, ARRAY_SIZE(p));
	KUNIT_EXPECT_EQ(test, n, 2u + 2 + PTHRU_MAPCHECK_SAMPLES);
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_1G));
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_1G - PG));
}

static void points_every_page_size(struct kunit *test)
{
	struct pthru_mapcheck_domain d = domain();
	u64 p[PTHRU_MAPCHECK_MAX_POINTS];
	u32 n;

	/* AMD-Vi advertises every power of two from 4 KiB on. */
	d.superpages = ~0xfffULL;
	n = points(&d, SZ_1M, SZ_1G, p, ARRAY_SIZE(p));
	KUNIT_EXPECT_LE(test, n, (u32)PTHRU_MAPCHECK_MAX_POINTS - 2);
	expect_well_formed(test, p, n, SZ_1M, SZ_1G);
	/* The largest boundary inside is checked; an 8 KiB one is not. */
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_512M));
	KUNIT_EXPECT_TRUE(test, has(p, n, SZ_512M - PG));
	KUNIT_EXPECT_FALSE(test, has(p, n, SZ_1M + 2 * PG));
}

static void points_max_cap(struct kunit *test)
{
	struct pthru_mapcheck_domain d = domain();
	u64 p[PTHRU_MAPCHECK_MAX_POINTS];
	u32 n;

	/* The ends first, then the first edge's two pages. */
	memset(p, 0xaa, sizeof(p));
	n = points(&d, 0, SZ_4G, p, 4);
	KUNIT_ASSERT_EQ(test, n, 4u);
	KUNIT_EXPECT_EQ(test, p[0], 0ULL);
	KUNIT_EXPECT_EQ(test, p[1], SZ_1G - PG);
	KUNIT_EXPECT_EQ(test, p[2], (u64)SZ_1G);
	KUNIT_EXPECT_EQ(test, p[3], SZ_4G - PG);
	KUNIT_EXPECT_EQ(test, p[4], 0xaaaaaaaaaaaaaaaaULL);

	n = points(&d, 0, SZ_4G, p, 1);
	KUNIT_ASSERT_EQ(test, n, 1u);
	KUNIT_EXPECT_EQ(test, p[0], 0ULL);
}

static void points_top_of_address_space(struct kunit *test)
{
	struct pthru_mapcheck_domain d = domain();
	u64 p[PTHRU_MAPCHECK_MAX_POINTS];
	u32 n;

	/* The last 4 MiB below 2^64: no overflow, nothing past the end. */
	n = points(&d, 0ULL - SZ_4M, SZ_4M, p, ARRAY_SIZE(p));
	KUNIT_EXPECT_EQ(test, n, 2u + 2 + PTHRU_MAPCHECK_SAMPLES);
	KUNIT_EXPECT_EQ(test, p[0], 0ULL - SZ_4M);
	KUNIT_EXPECT_EQ(test, p[n - 1], 0ULL - PG);
	KUNIT_EXPECT_TRUE(test, has(p, n, 0ULL - SZ_2M));
}

static void range_clean(struct kunit *test)
{
	static const struct fake_map map[] = { { 0x100000, 16 * PG, 0x5000000 } };
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	struct walk w;

	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 0u);
	KUNIT_EXPECT_EQ(test, w.c.ranges, 1ULL);
	KUNIT_EXPECT_EQ(test, w.c.translations, (u64)R16_XLATES);
	KUNIT_EXPECT_EQ(test, w.c.skipped, 0ULL);
	KUNIT_EXPECT_EQ(test, w.c.budget, 100ULL - R16_XLATES);
	/* Every inside point that agreed was classified. */
	KUNIT_EXPECT_EQ(test, f.classified, (u32)R16_POINTS);
	walk_free(&w);
}

static void range_disagrees(struct kunit *test)
{
	static const struct fake_map map[] = {
		{ 0x101000, PG, 0x9999000 },	/* point: page 1 */
		{ 0x10d000, PG, 0x8888000 },	/* point: page 13 */
		{ 0x100000, 16 * PG, 0x5000000 },
	};
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	n = only(test, &w, PTHRU_MAP_NOTE_DISAGREES);
	KUNIT_ASSERT_NOT_NULL(test, n);
	/* The first point where it was seen, and how many points. */
	KUNIT_EXPECT_EQ(test, n->iova, 0x101000ULL);
	KUNIT_EXPECT_EQ(test, n->expected, 0x5001000ULL);
	KUNIT_EXPECT_EQ(test, n->found, 0x9999000ULL);
	KUNIT_EXPECT_EQ(test, n->count, 2ULL);
	walk_free(&w);
}

static void range_missing_translation(struct kunit *test)
{
	/* Only the lower half is mapped: points 8, 10, 11, 13, 15 miss. */
	static const struct fake_map map[] = { { 0x100000, 8 * PG, 0x5000000 } };
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	n = only(test, &w, PTHRU_MAP_NOTE_DISAGREES);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->iova, 0x108000ULL);
	KUNIT_EXPECT_EQ(test, n->expected, 0x5008000ULL);
	KUNIT_EXPECT_EQ(test, n->found, NOP);
	KUNIT_EXPECT_EQ(test, n->count, 5ULL);
	walk_free(&w);
}

static void range_identity(struct kunit *test)
{
	static const struct pthru_iv_range r = {
		.iova = 0x3f000000, .size = 4 * PG, .phys = 0x3f000000,
	};
	static const struct fake_map map[] = { { 0x3f000000, 4 * PG, 0x3f000000 } };
	static const struct fake_mem mmio[] = {
		{ 0x3f000000, SZ_16M, PTHRU_PHYS_NOT_RAM },
	};
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 100);
	walk_range(test, &w, &d, &r, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	n = only(test, &w, PTHRU_MAP_NOTE_IDENTITY);
	KUNIT_ASSERT_NOT_NULL(test, n);
	/* One per range, whatever the number of points. */
	KUNIT_EXPECT_EQ(test, n->count, 1ULL);
	KUNIT_EXPECT_EQ(test, n->iova, 0x3f000000ULL);
	KUNIT_EXPECT_EQ(test, n->found, 0x3f000000ULL);
	KUNIT_EXPECT_EQ(test, n->memory, (u32)PTHRU_PHYS_USER);
	walk_free(&w);

	/* 1:1 over MMIO (a peer BAR, say) is not host RAM. */
	f.mem = mmio;
	f.nr_mem = ARRAY_SIZE(mmio);
	walk_init(&w, 100);
	walk_range(test, &w, &d, &r, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 0u);
	walk_free(&w);
}

static const struct fake_mem kernel_mem[] = {
	{ 0x1000000, SZ_1M, PTHRU_PHYS_RESERVED },
	{ 0x2000000, SZ_1M, PTHRU_PHYS_SLAB },
	{ 0x3000000, SZ_1M, PTHRU_PHYS_FREE },
	{ 0x4000000, SZ_1M, PTHRU_PHYS_UNKNOWN },
	{ 0x5000000, SZ_1M, PTHRU_PHYS_USER },
};

static void kernel_mem_desc(const struct fake_mem *m, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 pthru_phys_kind_name(m->kind));
}

KUNIT_ARRAY_PARAM(kernel_mem, kernel_mem, kernel_mem_desc);

static void range_kernel_memory(struct kunit *test)
{
	const struct fake_mem *m = test->param_value;
	const struct pthru_iv_range r = {
		.iova = 0x100000, .size = 16 * PG, .phys = m->phys,
	};
	const struct fake_map map[] = { { 0x100000, 16 * PG, m->phys } };
	struct pthru_mapcheck_domain d = domain();
	struct fake f = {
		.map = map, .nr_map = 1,
		.mem = kernel_mem, .nr_mem = ARRAY_SIZE(kernel_mem),
	};
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 100);
	walk_range(test, &w, &d, &r, NULL, NULL, &f);
	n = only(test, &w, PTHRU_MAP_NOTE_KERNEL);
	if (m->kind == PTHRU_PHYS_USER || m->kind == PTHRU_PHYS_UNKNOWN) {
		/* Unknown RAM is not counted as the kernel's: no proof. */
		KUNIT_EXPECT_EQ(test, w.notes.nr, 0u);
	} else {
		KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
		KUNIT_ASSERT_NOT_NULL(test, n);
		KUNIT_EXPECT_EQ(test, n->memory, (u32)m->kind);
		KUNIT_EXPECT_EQ(test, n->iova, 0x100000ULL);
		KUNIT_EXPECT_EQ(test, n->expected, m->phys);
		KUNIT_EXPECT_EQ(test, n->found, m->phys);
		KUNIT_EXPECT_EQ(test, n->count, (u64)R16_POINTS);
	}
	walk_free(&w);
}

static void range_overreach(struct kunit *test)
{
	/* One page more on each side, physically contiguous with the range. */
	static const struct fake_map after[] = { { 0x100000, 17 * PG, 0x5000000 } };
	static const struct fake_map before[] = { { 0xff000, 17 * PG, 0x4fff000 } };
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(after);
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	n = only(test, &w, PTHRU_MAP_NOTE_OVERREACH);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->iova, 0x110000ULL);
	KUNIT_EXPECT_EQ(test, n->expected, NOP);
	KUNIT_EXPECT_EQ(test, n->found, 0x5010000ULL);
	KUNIT_EXPECT_EQ(test, n->count, 1ULL);
	walk_free(&w);

	f.map = before;
	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	n = only(test, &w, PTHRU_MAP_NOTE_OVERREACH);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->iova, 0xff000ULL);
	KUNIT_EXPECT_EQ(test, n->found, 0x4fff000ULL);
	walk_free(&w);
}

static void range_outside_elsewhere(struct kunit *test)
{
	/* Mapped just outside, but not where the range's run continues. */
	static const struct fake_map map[] = {
		{ 0x100000, 16 * PG, 0x5000000 },
		{ 0x110000, PG, 0x9000000 },
		{ 0xff000, PG, 0x5010000 },
	};
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	n = only(test, &w, PTHRU_MAP_NOTE_DISAGREES);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->iova, 0xff000ULL);
	KUNIT_EXPECT_EQ(test, n->expected, NOP);
	KUNIT_EXPECT_EQ(test, n->found, 0x5010000ULL);
	KUNIT_EXPECT_EQ(test, n->count, 2ULL);
	walk_free(&w);
}

static void range_adjacent_neighbours(struct kunit *test)
{
	/* Neighbours in the shadow hold the pages next to the range. */
	static const struct pthru_iv_range prev = {
		.iova = 0xf0000, .size = 16 * PG, .phys = 0x4ff0000, .prot = 1,
	};
	static const struct pthru_iv_range next = {
		.iova = 0x110000, .size = PG, .phys = 0x7000000,
	};
	static const struct pthru_iv_range far = {
		.iova = 0x200000, .size = PG, .phys = 0x7000000,
	};
	static const struct fake_map map[] = { { 0xf0000, 33 * PG, 0x4ff0000 } };
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	struct walk w;

	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, &prev, &next, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 0u);
	KUNIT_EXPECT_EQ(test, w.c.translations, (u64)R16_POINTS);
	walk_free(&w);

	/* A neighbour that does not touch the range leaves its side checked. */
	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, &prev, &far, &f);
	KUNIT_EXPECT_EQ(test, w.c.translations, (u64)R16_POINTS + 1);
	KUNIT_EXPECT_NOT_NULL(test, only(test, &w, PTHRU_MAP_NOTE_OVERREACH));
	walk_free(&w);
}

static void range_incomplete_domain(struct kunit *test)
{
	static const struct fake_map map[] = {
		{ 0x101000, PG, 0x9999000 },
		{ 0xff000, 18 * PG, 0x4fff000 },
	};
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	const struct pthru_map_note *n;
	struct walk w;

	d.incomplete = true;
	d.lost = 5;
	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	/* Inside, the shadow's word still counts; outside, it proves nothing. */
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	n = only(test, &w, PTHRU_MAP_NOTE_DISAGREES);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->iova, 0x101000ULL);
	KUNIT_EXPECT_EQ(test, w.c.translations, (u64)R16_POINTS);

	/* ...and an unmap that still translates is not noted either. */
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_unmapped(&d, 0xff000, PG, &fake_ops,
						      &f, &w.notes, &w.c,
						      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	KUNIT_EXPECT_EQ(test, w.c.translations, (u64)R16_POINTS);
	walk_free(&w);
}

static void range_busy(struct kunit *test)
{
	static const struct fake_map map[] = { { 0xff000, 18 * PG, 0x4fff000 } };
	static const u64 busy[] = { 0x100000, 0x110000, 0xff000 };
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	struct walk w;

	f.busy = busy;
	f.nr_busy = ARRAY_SIZE(busy);
	walk_init(&w, 100);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	/* The overreach on both sides is not seen: those answers were busy. */
	KUNIT_EXPECT_EQ(test, w.notes.nr, 0u);
	KUNIT_EXPECT_EQ(test, w.c.translations, (u64)R16_XLATES);
	KUNIT_EXPECT_EQ(test, w.c.skipped, 3ULL);
	KUNIT_EXPECT_EQ(test, f.classified, (u32)R16_POINTS - 1);
	walk_free(&w);
}

static void range_budget(struct kunit *test)
{
	static const struct fake_map map[] = {
		{ 0x100000, PG, 0x9999000 },	/* the first point disagrees */
		{ 0x10f000, PG, 0x8888000 },	/* the last, out of budget */
		{ 0x100000, 16 * PG, 0x5000000 },
	};
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 4);
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.c.translations, 4ULL);
	KUNIT_EXPECT_EQ(test, w.c.skipped, (u64)R16_XLATES - 4);
	KUNIT_EXPECT_EQ(test, w.c.budget, 0ULL);
	n = only(test, &w, PTHRU_MAP_NOTE_DISAGREES);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->count, 1ULL);

	/* An exhausted budget skips a whole range but still counts it. */
	walk_range(test, &w, &d, &r16, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.c.ranges, 2ULL);
	KUNIT_EXPECT_EQ(test, w.c.translations, 4ULL);
	KUNIT_EXPECT_EQ(test, w.c.skipped, 2ULL * R16_XLATES - 4);
	KUNIT_EXPECT_EQ(test, n->count, 1ULL);
	walk_free(&w);
}

static void unmapped_stale_or_clean(struct kunit *test)
{
	static const struct fake_map stale[] = { { 0x200000, 4 * PG, 0x7654000 } };
	static const struct fake_map tail[] = { { 0x203000, PG, 0x7657000 } };
	struct pthru_mapcheck_domain d = domain();
	struct fake f = { 0 };
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 100);
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_unmapped(&d, 0x200000, 4 * PG,
						      &fake_ops, &f, &w.notes,
						      &w.c, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 0u);
	KUNIT_EXPECT_EQ(test, w.c.translations, 2ULL);
	KUNIT_EXPECT_EQ(test, w.c.ranges, 0ULL);

	f.map = stale;
	f.nr_map = 1;
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_unmapped(&d, 0x200000, 4 * PG,
						      &fake_ops, &f, &w.notes,
						      &w.c, GFP_KERNEL), 0);
	n = only(test, &w, PTHRU_MAP_NOTE_STALE);
	KUNIT_ASSERT_NOT_NULL(test, n);
	/* One per range although both its ends still translate. */
	KUNIT_EXPECT_EQ(test, n->count, 1ULL);
	KUNIT_EXPECT_EQ(test, n->iova, 0x200000ULL);
	KUNIT_EXPECT_EQ(test, n->expected, NOP);
	KUNIT_EXPECT_EQ(test, n->found, 0x7654000ULL);
	KUNIT_EXPECT_EQ(test, w.c.translations, 4ULL);
	walk_free(&w);

	/* Only the last page still translates; one page is translated once. */
	f.map = tail;
	walk_init(&w, 100);
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_unmapped(&d, 0x200000, 4 * PG,
						      &fake_ops, &f, &w.notes,
						      &w.c, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_unmapped(&d, 0x203000, PG,
						      &fake_ops, &f, &w.notes,
						      &w.c, GFP_KERNEL), 0);
	n = only(test, &w, PTHRU_MAP_NOTE_STALE);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->iova, 0x203000ULL);
	KUNIT_EXPECT_EQ(test, n->count, 2ULL);
	KUNIT_EXPECT_EQ(test, w.c.translations, 3ULL);

	/* Over budget: skipped, not noted. */
	w.c.budget = 1;
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_unmapped(&d, 0x200000, 4 * PG,
						      &fake_ops, &f, &w.notes,
						      &w.c, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, n->count, 2ULL);
	KUNIT_EXPECT_EQ(test, w.c.skipped, 1ULL);
	walk_free(&w);
}

static void incomplete_note(struct kunit *test)
{
	struct pthru_mapcheck_domain d = domain();
	const struct pthru_map_note *n;
	struct walk w;

	walk_init(&w, 100);
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_incomplete(&d, &w.notes,
							GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 0u);

	d.incomplete = true;
	d.lost = 12;
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_incomplete(&d, &w.notes,
							GFP_KERNEL), 0);
	n = only(test, &w, PTHRU_MAP_NOTE_INCOMPLETE);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->count, 12ULL);
	KUNIT_EXPECT_EQ(test, n->iova, 0ULL);
	KUNIT_EXPECT_EQ(test, n->expected, NOP);
	KUNIT_EXPECT_EQ(test, n->found, NOP);
	KUNIT_EXPECT_EQ(test, w.c.translations, 0ULL);
	walk_free(&w);
}

/*
 * A DMA-API domain maps kernel memory on purpose: a walk of one notes
 * what the page tables get wrong, never the memory itself.
 */
static void range_kernel_owned(struct kunit *test)
{
	static const struct pthru_iv_range r = {
		.iova = 0x2000000, .size = 4 * PG, .phys = 0x2000000,
	};
	static const struct fake_map map[] = {
		{ 0x2000000, 3 * PG, 0x2000000 },
		{ 0x2003000, PG, 0x7000000 },
	};
	static const struct fake_mem slab[] = {
		{ 0x2000000, SZ_1M, PTHRU_PHYS_SLAB },
	};
	struct pthru_mapcheck_domain d = domain();
	struct fake f = FAKE(map);
	const struct pthru_map_note *n;
	struct walk w;

	f.mem = slab;
	f.nr_mem = ARRAY_SIZE(slab);
	/* The same walk of a userspace domain notes all three. */
	walk_init(&w, 100);
	walk_range(test, &w, &d, &r, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 3u);
	KUNIT_EXPECT_NOT_NULL(test, only(test, &w, PTHRU_MAP_NOTE_KERNEL));
	KUNIT_EXPECT_NOT_NULL(test, only(test, &w, PTHRU_MAP_NOTE_IDENTITY));
	walk_free(&w);

	d.kernel_owned = true;
	d.incomplete = true;
	walk_init(&w, 100);
	walk_range(test, &w, &d, &r, NULL, NULL, &f);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	n = only(test, &w, PTHRU_MAP_NOTE_DISAGREES);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->iova, 0x2003000ULL);
	KUNIT_EXPECT_EQ(test, n->found, 0x7000000ULL);
	/* Incomplete by nature: no INCOMPLETE note either. */
	KUNIT_ASSERT_EQ(test, pthru_mapcheck_incomplete(&d, &w.notes,
							GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, w.notes.nr, 1u);
	walk_free(&w);
}

static void notes_merge(struct kunit *test)
{
	struct pthru_map_notes set = { 0 };
	struct pthru_map_note n = {
		.kind = PTHRU_MAP_NOTE_DISAGREES, .group_id = 7, .domain_id = 3,
		.iova = 0x1000, .expected = 0x2000, .found = 0x3000, .count = 1,
	};
	u32 i;

	KUNIT_ASSERT_EQ(test, pthru_map_notes_add(&set, &n, GFP_KERNEL), 0);
	n.iova = 0x9000;
	n.found = 0x4000;
	n.count = 2;
	KUNIT_ASSERT_EQ(test, pthru_map_notes_add(&set, &n, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, set.nr, 1u);
	KUNIT_EXPECT_EQ(test, set.items[0].count, 3ULL);
	KUNIT_EXPECT_EQ(test, set.items[0].iova, 0x1000ULL);
	KUNIT_EXPECT_EQ(test, set.items[0].found, 0x3000ULL);

	/* Another domain, another kind: separate notes. */
	n.domain_id = 4;
	KUNIT_ASSERT_EQ(test, pthru_map_notes_add(&set, &n, GFP_KERNEL), 0);
	n.kind = PTHRU_MAP_NOTE_KERNEL;
	KUNIT_ASSERT_EQ(test, pthru_map_notes_add(&set, &n, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, set.nr, 3u);

	/* Growth keeps what is there. */
	for (i = 10; i < 50; i++) {
		n.domain_id = i;
		KUNIT_ASSERT_EQ(test, pthru_map_notes_add(&set, &n, GFP_KERNEL), 0);
	}
	KUNIT_EXPECT_EQ(test, set.nr, 43u);
	KUNIT_EXPECT_GE(test, set.cap, set.nr);
	KUNIT_EXPECT_EQ(test, set.items[0].count, 3ULL);
	KUNIT_EXPECT_EQ(test, set.items[42].domain_id, 49u);

	pthru_map_notes_free(&set);
	KUNIT_EXPECT_NULL(test, set.items);
	KUNIT_EXPECT_EQ(test, set.nr, 0u);
	KUNIT_EXPECT_EQ(test, set.cap, 0u);
}

static void phys_kind_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, pthru_phys_kind_name(PTHRU_PHYS_NOT_RAM), "not-ram");
	KUNIT_EXPECT_STREQ(test, pthru_phys_kind_name(PTHRU_PHYS_USER), "user");
	KUNIT_EXPECT_STREQ(test, pthru_phys_kind_name(PTHRU_PHYS_UNKNOWN), "unknown");
	KUNIT_EXPECT_STREQ(test, pthru_phys_kind_name(PTHRU_PHYS_RESERVED), "reserved");
	KUNIT_EXPECT_STREQ(test, pthru_phys_kind_name(PTHRU_PHYS_SLAB), "slab");
	KUNIT_EXPECT_STREQ(test, pthru_phys_kind_name(PTHRU_PHYS_FREE), "free");
	KUNIT_EXPECT_STREQ(test, pthru_phys_kind_name((enum pthru_phys_kind)6),
			   "unknown");
}

static struct kunit_case mapcheck_cases[] = {
	KUNIT_CASE(points_ends_and_samples),
	KUNIT_CASE(points_small_ranges),
	KUNIT_CASE(points_unaligned),
	KUNIT_CASE(points_superpage_2m),
	KUNIT_CASE(points_superpage_1g),
	KUNIT_CASE(points_every_page_size),
	KUNIT_CASE(points_max_cap),
	KUNIT_CASE(points_top_of_address_space),
	KUNIT_CASE(range_clean),
	KUNIT_CASE(range_disagrees),
	KUNIT_CASE(range_missing_translation),
	KUNIT_CASE(range_identity),
	KUNIT_CASE_PARAM(range_kernel_memory, kernel_mem_gen_params),
	KUNIT_CASE(range_overreach),
	KUNIT_CASE(range_outside_elsewhere),
	KUNIT_CASE(range_adjacent_neighbours),
	KUNIT_CASE(range_incomplete_domain),
	KUNIT_CASE(range_busy),
	KUNIT_CASE(range_budget),
	KUNIT_CASE(unmapped_stale_or_clean),
	KUNIT_CASE(incomplete_note),
	KUNIT_CASE(range_kernel_owned),
	KUNIT_CASE(notes_merge),
	KUNIT_CASE(phys_kind_names),
	{}
};

static struct kunit_suite mapcheck_suite = {
	.name = "pthru_mapcheck",
	.test_cases = mapcheck_cases,
};

kunit_test_suites(&mapcheck_suite);

MODULE_DESCRIPTION("KUnit tests for pthru's verification walk");
MODULE_LICENSE("GPL");
