// SPDX-License-Identifier: GPL-2.0
/*
 * The pure part of the verification walk: which IOVAs of a shadow range to
 * translate, and what each answer means.  mapcheck.h has the contract;
 * Documentation/hazards.rst (PTHRU-016 to PTHRU-021) what the notes become.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mapcheck.h"

/*
 * The pages wholly inside [@iova, @iova + @size): [*first, *last], both
 * aligned to @ps.  Shadow ranges are page-aligned, so this is the range
 * itself; for a range that is not, a partial page at either end is left
 * out rather than checked against an offset the shadow never recorded.
 */
static bool inner_pages(u64 iova, u64 size, u64 ps, u64 *first, u64 *last)
{
	u64 end = iova + size - 1;	/* inclusive: iova + size may be 2^64 */

	if (!size || !ps || end < iova || iova > U64_MAX - (ps - 1))
		return false;
	*first = round_up(iova, ps);
	if (end - *first < ps - 1 || *first > end)
		return false;
	*last = round_down(end - (ps - 1), ps);
	return *first <= *last;
}

struct point_set {
	u64 *iova;
	u32 nr;
	u32 max;
};

/* Add @iova unless present; false once the set is full. */
static bool point_add(struct point_set *s, u64 iova)
{
	u32 i;

	for (i = 0; i < s->nr; i++)
		if (s->iova[i] == iova)
			return true;
	if (s->nr == s->max)
		return false;
	s->iova[s->nr++] = iova;
	return true;
}

/*
 * Superpage boundaries strictly inside the range whose both neighbouring
 * pages are inside too, at most PTHRU_MAPCHECK_EDGES.  Larger sizes come
 * first: their boundaries are also boundaries of every smaller size, and
 * an IOMMU that advertises every power of two (AMD-Vi's ~0xfff) would
 * otherwise spend the whole allowance on the lowest 8 KiB steps.  Within
 * one size, the lowest boundaries first.
 */
static u32 superpage_edges(const struct pthru_mapcheck_domain *d,
			   u64 first, u64 last, u64 *edge)
{
	u64 ps = d->page_size;
	u32 nr = 0, i;
	int bit;

	for (bit = 63; bit >= 0 && nr < PTHRU_MAPCHECK_EDGES; bit--) {
		u64 sz = 1ULL << bit, b;

		if (!(d->superpages & sz) || sz <= ps)
			continue;
		/* The first multiple of sz above first. */
		b = round_down(first, sz);
		if (b > U64_MAX - sz)
			continue;
		b += sz;
		for (; b <= last && nr < PTHRU_MAPCHECK_EDGES; b += sz) {
			for (i = 0; i < nr && edge[i] != b; i++)
				;
			if (i == nr)
				edge[nr++] = b;
			if (b > U64_MAX - sz)
				break;
		}
	}
	return nr;
}

/**
 * pthru_mapcheck_points() - the IOVAs of a range worth translating
 * @d: the domain (@page_size, @superpages)
 * @r: the range
 * @iova: receives the IOVAs, ascending, each aligned to @d->page_size
 * @max: room in @iova; PTHRU_MAPCHECK_MAX_POINTS is always enough
 *
 * The first and the last page; for each superpage boundary inside the
 * range (at most PTHRU_MAPCHECK_EDGES of them), the pages on both sides of
 * it; and PTHRU_MAPCHECK_SAMPLES pages spread evenly in between, without
 * duplicates.  Only pages wholly inside the range count.  When @max is too
 * small, the ends are kept first, then the edges, then the samples.
 *
 * Return: the number of IOVAs written.
 */
u32 pthru_mapcheck_points(const struct pthru_mapcheck_domain *d,
			  const struct pthru_iv_range *r, u64 *iova, u32 max)
{
	struct point_set s = { .iova = iova, .max = max };
	u64 edge[PTHRU_MAPCHECK_EDGES];
	u64 ps = d->page_size, first, last, pages, q, rem;
	u32 nr_edges, i, j;

	if (!max || !is_power_of_2(ps) ||
	    !inner_pages(r->iova, r->size, ps, &first, &last))
		return 0;
	if (!point_add(&s, first) || !point_add(&s, last))
		goto sort;

	nr_edges = superpage_edges(d, first, last, edge);
	for (i = 0; i < nr_edges; i++)
		if (!point_add(&s, edge[i] - ps) || !point_add(&s, edge[i]))
			goto sort;

	/*
	 * Sample i of n sits at page (pages - 1) * i / (n + 1), computed in
	 * two parts so that the product cannot overflow.
	 */
	pages = (last - first) >> ilog2(ps);	/* the page count minus one */
	q = div64_u64_rem(pages, PTHRU_MAPCHECK_SAMPLES + 1, &rem);
	for (i = 1; i <= PTHRU_MAPCHECK_SAMPLES && pages > 1; i++) {
		u64 k = q * i + div64_u64(rem * i, PTHRU_MAPCHECK_SAMPLES + 1);

		if (!point_add(&s, first + (k << ilog2(ps))))
			break;
	}

sort:
	/* Insertion sort: at most PTHRU_MAPCHECK_MAX_POINTS entries. */
	for (i = 1; i < s.nr; i++) {
		u64 v = iova[i];

		for (j = i; j > 0 && iova[j - 1] > v; j--)
			iova[j] = iova[j - 1];
		iova[j] = v;
	}
	return s.nr;
}

/* One translation, charged to the budget; BUSY when none was made. */
static enum pthru_xlate translate(const struct pthru_mapcheck_ops *ops,
				  void *ctx, struct pthru_mapcheck_counts *c,
				  u64 iova, u64 *phys)
{
	enum pthru_xlate x;

	if (!c->budget) {
		c->skipped++;
		return PTHRU_XLATE_BUSY;
	}
	c->budget--;
	c->translations++;
	*phys = PTHRU_MAP_NO_PHYS;
	x = ops->translate(ctx, iova, phys);
	if (x == PTHRU_XLATE_BUSY)
		c->skipped++;
	else if (x != PTHRU_XLATE_MAPPED)
		x = PTHRU_XLATE_NONE;
	return x;
}

static int note(const struct pthru_mapcheck_domain *d,
		struct pthru_map_notes *out, enum pthru_map_note_kind kind,
		u64 iova, u64 expected, u64 found, u32 memory, gfp_t gfp)
{
	struct pthru_map_note n = {
		.kind = kind,
		.group_id = d->group_id,
		.domain_id = d->domain_id,
		.iova = iova,
		.expected = expected,
		.found = found,
		.memory = memory,
		.count = 1,
	};

	return pthru_map_notes_add(out, &n, gfp);
}

static bool is_kernel_memory(enum pthru_phys_kind k)
{
	return k == PTHRU_PHYS_RESERVED || k == PTHRU_PHYS_SLAB ||
	       k == PTHRU_PHYS_FREE;
}

/*
 * A page just outside a range, where the shadow holds nothing: a
 * translation that carries on the range's physical run (@cont) is the
 * range's page reaching too far; any other is a mapping the shadow missed.
 */
static int check_outside(const struct pthru_mapcheck_domain *d,
			 const struct pthru_mapcheck_ops *ops, void *ctx,
			 u64 iova, u64 cont, struct pthru_map_notes *out,
			 struct pthru_mapcheck_counts *c, gfp_t gfp)
{
	u64 phys;

	if (translate(ops, ctx, c, iova, &phys) != PTHRU_XLATE_MAPPED)
		return 0;
	return note(d, out, phys == cont ? PTHRU_MAP_NOTE_OVERREACH :
					   PTHRU_MAP_NOTE_DISAGREES,
		    iova, PTHRU_MAP_NO_PHYS, phys, 0, gfp);
}

/**
 * pthru_mapcheck_range() - translate one shadow range at its points
 * @d: the domain
 * @r: the range, as the shadow holds it
 * @prev: the shadow's range below @r, or NULL
 * @next: the shadow's range above @r, or NULL
 * @ops: how to translate and classify
 * @ctx: passed to @ops
 * @out: notes are merged into it
 * @c: counts; @c->budget limits the translations
 * @gfp: allocation flags for @out
 *
 * Translates the points of pthru_mapcheck_points() and, unless the shadow
 * is incomplete, the page just below and the page just above the range
 * when no neighbouring shadow range holds them.  Points the budget does
 * not cover, or that @ops could not answer, count as skipped.  In a
 * kernel-owned domain only disagreements and overreach are noted.
 *
 * Return: 0, or -ENOMEM when a note could not be kept; the range's
 * remaining points are then neither translated nor counted.
 */
int pthru_mapcheck_range(const struct pthru_mapcheck_domain *d,
			 const struct pthru_iv_range *r,
			 const struct pthru_iv_range *prev,
			 const struct pthru_iv_range *next,
			 const struct pthru_mapcheck_ops *ops, void *ctx,
			 struct pthru_map_notes *out,
			 struct pthru_mapcheck_counts *c, gfp_t gfp)
{
	u64 pts[PTHRU_MAPCHECK_MAX_POINTS];
	u64 ps = d->page_size, id_iova = 0, id_phys = 0, phys, o;
	enum pthru_phys_kind k, id_kind = PTHRU_PHYS_NOT_RAM;
	bool identity = r->iova == r->phys;
	u32 n, i;
	int ret;

	c->ranges++;
	n = pthru_mapcheck_points(d, r, pts, ARRAY_SIZE(pts));
	for (i = 0; i < n; i++) {
		u64 expected = r->phys + (pts[i] - r->iova);

		switch (translate(ops, ctx, c, pts[i], &phys)) {
		case PTHRU_XLATE_BUSY:
			continue;
		case PTHRU_XLATE_NONE:
			ret = note(d, out, PTHRU_MAP_NOTE_DISAGREES, pts[i],
				   expected, PTHRU_MAP_NO_PHYS, 0, gfp);
			if (ret)
				return ret;
			continue;
		case PTHRU_XLATE_MAPPED:
			break;
		}
		if (phys != expected) {
			ret = note(d, out, PTHRU_MAP_NOTE_DISAGREES, pts[i],
				   expected, phys, 0, gfp);
			if (ret)
				return ret;
			continue;
		}
		if (d->kernel_owned)
			continue;
		k = ops->classify(ctx, phys);
		if (is_kernel_memory(k)) {
			ret = note(d, out, PTHRU_MAP_NOTE_KERNEL, pts[i], phys,
				   phys, k, gfp);
			if (ret)
				return ret;
		}
		if (identity && k != PTHRU_PHYS_NOT_RAM &&
		    id_kind == PTHRU_PHYS_NOT_RAM) {
			id_kind = k;
			id_iova = pts[i];
			id_phys = phys;
		}
	}
	if (id_kind != PTHRU_PHYS_NOT_RAM) {
		ret = note(d, out, PTHRU_MAP_NOTE_IDENTITY, id_iova, id_phys,
			   id_phys, id_kind, gfp);
		if (ret)
			return ret;
	}

	/* Without a complete shadow, "holds nothing here" proves nothing. */
	if (d->incomplete || !is_power_of_2(ps) || !r->size)
		return 0;

	/* The page below: [o, o + ps) ends at or below r->iova. */
	o = round_down(r->iova, ps);
	if (o >= ps) {
		o -= ps;
		if (!prev || prev->iova + prev->size <= o) {
			u64 back = r->iova - o;

			ret = check_outside(d, ops, ctx, o,
					    r->phys >= back ? r->phys - back :
							      PTHRU_MAP_NO_PHYS,
					    out, c, gfp);
			if (ret)
				return ret;
		}
	}

	/* The page above, when the range does not end the address space. */
	o = r->iova + r->size;
	if (o > r->iova && o <= U64_MAX - (ps - 1)) {
		o = round_up(o, ps);
		if (!next || next->iova > o + (ps - 1))
			return check_outside(d, ops, ctx, o,
					     r->phys + (o - r->iova), out, c,
					     gfp);
	}
	return 0;
}

/**
 * pthru_mapcheck_unmapped() - does a recent unmap still translate?
 * @d: the domain
 * @iova: first IOVA of the range the shadow saw unmapped
 * @size: its length; the shadow holds none of it any more
 * @ops: how to translate
 * @ctx: passed to @ops
 * @out: a STALE note (count 1 per range) is merged into it
 * @c: counts (@c->ranges is left alone: this is not a shadow range)
 * @gfp: allocation flags for @out
 *
 * Translates the range's first and last page.  Nothing is checked when
 * the shadow is incomplete: it may have dropped a later map of the range.
 *
 * Return: 0 or -ENOMEM.
 */
int pthru_mapcheck_unmapped(const struct pthru_mapcheck_domain *d,
			    u64 iova, u64 size,
			    const struct pthru_mapcheck_ops *ops, void *ctx,
			    struct pthru_map_notes *out,
			    struct pthru_mapcheck_counts *c, gfp_t gfp)
{
	u64 pg[2], phys, seen_iova = 0, seen_phys = 0;
	bool seen = false;
	u32 n, i;

	if (d->incomplete || !is_power_of_2(d->page_size) ||
	    !inner_pages(iova, size, d->page_size, &pg[0], &pg[1]))
		return 0;
	n = pg[0] == pg[1] ? 1 : 2;
	for (i = 0; i < n; i++) {
		if (translate(ops, ctx, c, pg[i], &phys) != PTHRU_XLATE_MAPPED ||
		    seen)
			continue;
		seen = true;
		seen_iova = pg[i];
		seen_phys = phys;
	}
	if (!seen)
		return 0;
	return note(d, out, PTHRU_MAP_NOTE_STALE, seen_iova, PTHRU_MAP_NO_PHYS,
		    seen_phys, 0, gfp);
}

/**
 * pthru_mapcheck_incomplete() - note that a domain's shadow may miss mappings
 * @d: the domain
 * @out: an INCOMPLETE note (count @d->lost) is merged into it
 * @gfp: allocation flags
 *
 * A kernel-owned (DMA-API) domain gets no note: it had mappings before
 * pthru saw it by nature, which is no fault of the host to report.
 *
 * Return: 0 (nothing to note when the shadow is complete) or -ENOMEM.
 */
int pthru_mapcheck_incomplete(const struct pthru_mapcheck_domain *d,
			      struct pthru_map_notes *out, gfp_t gfp)
{
	struct pthru_map_note n = {
		.kind = PTHRU_MAP_NOTE_INCOMPLETE,
		.group_id = d->group_id,
		.domain_id = d->domain_id,
		.iova = 0,
		.expected = PTHRU_MAP_NO_PHYS,
		.found = PTHRU_MAP_NO_PHYS,
		.count = d->lost,
	};

	if (!d->incomplete || d->kernel_owned)
		return 0;
	return pthru_map_notes_add(out, &n, gfp);
}

/**
 * pthru_map_notes_add() - merge a note into a set
 * @set: the set
 * @n: the note
 * @gfp: allocation flags
 *
 * A note of a (kind, domain) the set already holds only adds its count:
 * the first place it was seen is the one kept.
 *
 * Return: 0, or -ENOMEM with @set unchanged.
 */
int pthru_map_notes_add(struct pthru_map_notes *set,
			const struct pthru_map_note *n, gfp_t gfp)
{
	struct pthru_map_note *items;
	u32 i, cap;

	for (i = 0; i < set->nr; i++) {
		struct pthru_map_note *m = &set->items[i];

		if (m->kind == n->kind && m->domain_id == n->domain_id) {
			m->count += n->count;
			return 0;
		}
	}
	if (set->nr == set->cap) {
		cap = set->cap ? set->cap * 2 : 8;
		items = krealloc_array(set->items, cap, sizeof(*items), gfp);
		if (!items)
			return -ENOMEM;
		set->items = items;
		set->cap = cap;
	}
	set->items[set->nr++] = *n;
	return 0;
}

/**
 * pthru_map_notes_free() - release a note set
 * @set: the set; left empty
 */
void pthru_map_notes_free(struct pthru_map_notes *set)
{
	kfree(set->items);
	memset(set, 0, sizeof(*set));
}

/**
 * pthru_phys_kind_name() - stable name of a kind of host memory
 * @kind: the kind
 *
 * Return: the name, "unknown" when out of range.
 */
const char *pthru_phys_kind_name(enum pthru_phys_kind kind)
{
	static const char * const names[] = {
		[PTHRU_PHYS_NOT_RAM] = "not-ram",
		[PTHRU_PHYS_USER] = "user",
		[PTHRU_PHYS_UNKNOWN] = "unknown",
		[PTHRU_PHYS_RESERVED] = "reserved",
		[PTHRU_PHYS_SLAB] = "slab",
		[PTHRU_PHYS_FREE] = "free",
	};

	if ((unsigned int)kind >= ARRAY_SIZE(names))
		return "unknown";
	return names[kind];
}
