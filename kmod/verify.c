// SPDX-License-Identifier: GPL-2.0
/*
 * The verification walk: each tracked domain's shadow against the IOMMU
 * driver's own page tables.
 *
 * The pure core (core/mapcheck.c) picks the points of a range to translate
 * and says what a translation means; this file reads the ranges in IOVA
 * order, each with the neighbours that decide whether the page just
 * outside it may be mapped, translates through pthru_shadow_translate()
 * (which answers BUSY while the domain is changing) and tells what kind of
 * memory a physical page is.  Then it checks the domain's recent unmaps
 * (shadow.c remembers PTHRU_SHADOW_RECENT) that no shadow range holds
 * again: none of them may still translate.  Before each range it copies
 * the domain again, so a translation is compared only with ranges read
 * after the last change the shadow recorded.
 *
 * Memory is told apart by page flags, which is racy by nature: a page can
 * be freed or reused between the translation and the look at its flags,
 * and a page pthru cannot attribute is UNKNOWN, which never raises a
 * finding.  A page with no reference is FREE even when it is a tail of a
 * kernel allocation of several pages that is not a compound page.
 *
 * Walks are serialised by walk_lock.  What a walk found is kept, per
 * domain, until the next walk of that domain or until the domain is no
 * longer tracked, and every inventory build copies it into its snapshot
 * (pthru_verify_fill()), so a finding stands between walks and goes away
 * with its domain.  A domain whose shadow may miss mappings gets a fresh
 * INCOMPLETE note at every build, walked or not.
 */
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/pfn.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "shadow.h"
#include "verify.h"

static unsigned int verify_budget = 65536;
module_param(verify_budget, uint, 0444);
MODULE_PARM_DESC(verify_budget, "iommu_iova_to_phys() calls one verification walk may make (default 65536)");

/* One walk at a time: they share kept and last. */
static DEFINE_MUTEX(walk_lock);
/* kept and last; taken by inventory builds, so never held across a walk. */
static DEFINE_MUTEX(kept_lock);
static struct pthru_map_notes kept;
static struct pthru_verify_result last;
static u64 walks;

/* The domain being walked, and room for its recent unmaps. */
struct walk {
	struct pthru_shadow_domain d;
	struct pthru_mapcheck_domain md;
	struct pthru_iv_range recent[PTHRU_SHADOW_RECENT];
};

static void domain_of(const struct pthru_shadow_domain *d,
		      struct pthru_mapcheck_domain *md)
{
	md->domain_id = d->id;
	md->group_id = d->group_id < 0 ? PTHRU_NO_GROUP : d->group_id;
	md->page_size = d->page_size;
	md->superpages = d->pgsize_bitmap;
	md->incomplete = d->incomplete;
	md->lost = d->lost;
	md->kernel_owned = d->dma_api;
}

static enum pthru_xlate walk_translate(void *ctx, u64 iova, u64 *phys)
{
	struct walk *w = ctx;

	return pthru_shadow_translate(&w->d, iova, phys);
}

/*
 * The zero page is reserved but is what every process reads from memory
 * it never wrote, so it is tested first.
 */
static enum pthru_phys_kind walk_classify(void *ctx, u64 phys)
{
	unsigned long pfn = PHYS_PFN(phys);
	struct folio *folio;
	struct page *page;

	if (!pfn_valid(pfn) || !page_is_ram(pfn))
		return PTHRU_PHYS_NOT_RAM;
	if (is_zero_pfn(pfn))
		return PTHRU_PHYS_USER;
	page = pfn_to_page(pfn);
	if (PageReserved(page))
		return PTHRU_PHYS_RESERVED;
	folio = page_folio(page);
	if (folio_test_slab(folio))
		return PTHRU_PHYS_SLAB;
	if (!folio_ref_count(folio))
		return PTHRU_PHYS_FREE;
	if (folio_test_hugetlb(folio) || folio_test_anon(folio) ||
	    folio_mapping(folio))
		return PTHRU_PHYS_USER;
	return PTHRU_PHYS_UNKNOWN;
}

static const struct pthru_mapcheck_ops walk_ops = {
	.translate = walk_translate,
	.classify = walk_classify,
};

/* Copy @w's domain again; false when it is gone. */
static bool walk_reread(struct walk *w)
{
	if (!pthru_shadow_reread(&w->d))
		return false;
	domain_of(&w->d, &w->md);
	return true;
}

static int walk_ranges(struct walk *w, struct pthru_map_notes *out,
		       struct pthru_mapcheck_counts *c)
{
	struct pthru_iv_range prev, cur, next;
	bool has_prev, has_next;
	u64 from = 0;
	int err;

	for (;;) {
		if (fatal_signal_pending(current))
			return -EINTR;
		if (!walk_reread(w) || !pthru_shadow_get(&w->d, from, &cur))
			return 0;
		/* The one range that ends where @cur starts, if any. */
		has_prev = cur.iova &&
			   pthru_shadow_lookup(&w->d, cur.iova - 1, &prev);
		has_next = cur.iova + cur.size &&
			   pthru_shadow_get(&w->d, cur.iova + cur.size, &next);
		err = pthru_mapcheck_range(&w->md, &cur,
					   has_prev ? &prev : NULL,
					   has_next ? &next : NULL,
					   &walk_ops, w, out, c, GFP_KERNEL);
		if (err)
			return err;
		from = cur.iova + cur.size;
		if (!from)
			return 0;
		cond_resched();
	}
}

/* Was the unmap at @i of @w->recent seen at a more recent position? */
static bool recent_seen(const struct walk *w, u32 i)
{
	u32 j;

	for (j = 0; j < i; j++)
		if (w->recent[j].iova == w->recent[i].iova &&
		    w->recent[j].size == w->recent[i].size)
			return true;
	return false;
}

static int walk_unmaps(struct walk *w, struct pthru_map_notes *out,
		       struct pthru_mapcheck_counts *c)
{
	struct pthru_iv_range r;
	u32 i, n;
	u64 end;
	int err;

	n = pthru_shadow_recent_unmaps(&w->d, w->recent, PTHRU_SHADOW_RECENT);
	for (i = 0; i < n; i++) {
		if (recent_seen(w, i))
			continue;
		if (!walk_reread(w))
			return 0;
		end = w->recent[i].iova + w->recent[i].size;
		if (end < w->recent[i].iova)
			end = U64_MAX;
		/* Mapped again, even in part: the ranges were checked. */
		if (pthru_shadow_get(&w->d, w->recent[i].iova, &r) &&
		    r.iova < end)
			continue;
		err = pthru_mapcheck_unmapped(&w->md, w->recent[i].iova,
					      w->recent[i].size, &walk_ops, w,
					      out, c, GFP_KERNEL);
		if (err)
			return err;
	}
	return 0;
}

static int walk_domain(struct walk *w, struct pthru_map_notes *out,
		       struct pthru_mapcheck_counts *c,
		       struct pthru_verify_result *res)
{
	int err;

	domain_of(&w->d, &w->md);
	err = walk_ranges(w, out, c);
	if (!err)
		err = walk_unmaps(w, out, c);
	res->domains++;
	/* As pthru_mapcheck_incomplete(): a DMA-API domain always is. */
	if (w->md.incomplete && !w->md.kernel_owned)
		res->notes[PTHRU_MAP_NOTE_INCOMPLETE]++;
	return err;
}

static bool walked(const u32 *ids, u32 nr, u32 id)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/*
 * Keep @found in place of what earlier walks found in the domains @ids,
 * dropping the notes of domains that are no longer tracked.  INCOMPLETE
 * notes are not kept: pthru_verify_fill() makes them fresh.
 */
static int keep(const struct pthru_map_notes *found, const u32 *ids, u32 nr)
{
	struct pthru_map_notes next = {};
	struct pthru_shadow_domain d;
	const struct pthru_map_note *n;
	int err = 0;
	u32 i;

	mutex_lock(&kept_lock);
	for (i = 0; !err && i < kept.nr; i++) {
		n = &kept.items[i];
		if (!walked(ids, nr, n->domain_id) &&
		    pthru_shadow_find_id(n->domain_id, &d))
			err = pthru_map_notes_add(&next, n, GFP_KERNEL);
	}
	for (i = 0; !err && i < found->nr; i++) {
		n = &found->items[i];
		if (n->kind != PTHRU_MAP_NOTE_INCOMPLETE)
			err = pthru_map_notes_add(&next, n, GFP_KERNEL);
	}
	if (err) {
		pthru_map_notes_free(&next);
	} else {
		pthru_map_notes_free(&kept);
		kept = next;
	}
	mutex_unlock(&kept_lock);
	return err;
}

/**
 * pthru_verify_run() - walk the shadow now
 * @group_id: only the domain of this IOMMU group, or PTHRU_NO_GROUP for
 *	every tracked domain
 * @res: what the walk did and found
 *
 * Sleeps; walks run one at a time.  At most verify_budget translations
 * are made; points beyond are counted as skipped.  What the walk found is
 * kept for pthru_verify_fill(); the caller refreshes the store so that it
 * becomes findings.
 *
 * Return: 0, -ENOENT when @group_id has no tracked domain, -ENOMEM, or
 * -EINTR when the caller was killed (nothing is kept then).
 */
int pthru_verify_run(s32 group_id, struct pthru_verify_result *res)
{
	struct pthru_mapcheck_counts c = {};
	struct pthru_map_notes found = {};
	u32 ids[PTHRU_SHADOW_MAX_DOMAINS];
	struct walk *w;
	u32 idx = 0, nr = 0, i;
	int err = 0;

	memset(res, 0, sizeof(*res));
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	mutex_lock(&walk_lock);
	c.budget = READ_ONCE(verify_budget);
	if (group_id != PTHRU_NO_GROUP) {
		if (pthru_shadow_find_group(group_id, &w->d)) {
			ids[nr++] = w->d.id;
			err = walk_domain(w, &found, &c, res);
		} else {
			err = -ENOENT;
		}
	} else {
		while (!err && nr < ARRAY_SIZE(ids) &&
		       pthru_shadow_next(&idx, &w->d)) {
			ids[nr++] = w->d.id;
			err = walk_domain(w, &found, &c, res);
		}
	}
	if (!err)
		err = keep(&found, ids, nr);
	if (!err) {
		res->ranges = c.ranges;
		res->translations = c.translations;
		res->skipped = c.skipped;
		for (i = 0; i < found.nr; i++)
			if (found.items[i].kind != PTHRU_MAP_NOTE_INCOMPLETE)
				res->notes[found.items[i].kind] +=
					found.items[i].count;
		mutex_lock(&kept_lock);
		last = *res;
		walks++;
		mutex_unlock(&kept_lock);
	}
	mutex_unlock(&walk_lock);
	pthru_map_notes_free(&found);
	kfree(w);
	return err;
}

/* Add @n to @snap as a note of @d's group as it is now. */
static int fill_note(struct pthru_snapshot *snap,
		     const struct pthru_shadow_domain *d,
		     const struct pthru_map_note *n, gfp_t gfp)
{
	struct pthru_map_note copy = *n;

	copy.group_id = d->group_id < 0 ? PTHRU_NO_GROUP : d->group_id;
	return pthru_snapshot_add_map_note(snap, &copy, gfp);
}

/* An INCOMPLETE note for @d, made now. */
static int fill_incomplete(struct pthru_snapshot *snap,
			   const struct pthru_shadow_domain *d, gfp_t gfp)
{
	struct pthru_mapcheck_domain md;
	struct pthru_map_notes tmp = {};
	int err;
	u32 i;

	domain_of(d, &md);
	err = pthru_mapcheck_incomplete(&md, &tmp, gfp);
	for (i = 0; !err && i < tmp.nr; i++)
		err = fill_note(snap, d, &tmp.items[i], gfp);
	pthru_map_notes_free(&tmp);
	return err;
}

/**
 * pthru_verify_fill() - add the mapping notes to a snapshot being built
 * @snap: the snapshot, not finalized yet
 * @gfp: allocation flags
 *
 * The notes the walks keep of domains still tracked, with each domain's
 * group as it is now, and an INCOMPLETE note for every tracked domain
 * whose shadow may miss mappings.  Sleeps.
 *
 * Return: 0 or -ENOMEM.
 */
int pthru_verify_fill(struct pthru_snapshot *snap, gfp_t gfp)
{
	struct pthru_shadow_domain d;
	u32 idx = 0, i;
	int err = 0;

	mutex_lock(&kept_lock);
	while (!err && pthru_shadow_next(&idx, &d)) {
		for (i = 0; !err && i < kept.nr; i++)
			if (kept.items[i].domain_id == d.id)
				err = fill_note(snap, &d, &kept.items[i], gfp);
		if (!err && d.incomplete)
			err = fill_incomplete(snap, &d, gfp);
	}
	mutex_unlock(&kept_lock);
	return err;
}

static const char *const kind_names[PTHRU_MAP_NOTE_KINDS] = {
	[PTHRU_MAP_NOTE_DISAGREES] = "disagrees",
	[PTHRU_MAP_NOTE_STALE] = "stale",
	[PTHRU_MAP_NOTE_IDENTITY] = "identity",
	[PTHRU_MAP_NOTE_KERNEL] = "kernel-memory",
	[PTHRU_MAP_NOTE_OVERREACH] = "overreach",
	[PTHRU_MAP_NOTE_INCOMPLETE] = "incomplete",
};

/**
 * pthru_verify_show() - the last walk and the kept notes, for debugfs
 * @m: the file
 */
void pthru_verify_show(struct seq_file *m)
{
	const struct pthru_map_note *n;
	u32 i;

	mutex_lock(&kept_lock);
	seq_printf(m, "walks: %llu\n", walks);
	seq_printf(m, "budget: %u\n", READ_ONCE(verify_budget));
	seq_printf(m, "last: domains %u ranges %llu translations %llu skipped %llu disagreements %llu stale %llu identity %llu kernel-memory %llu overreach %llu incomplete %llu\n",
		   last.domains, last.ranges, last.translations, last.skipped,
		   last.notes[PTHRU_MAP_NOTE_DISAGREES],
		   last.notes[PTHRU_MAP_NOTE_STALE],
		   last.notes[PTHRU_MAP_NOTE_IDENTITY],
		   last.notes[PTHRU_MAP_NOTE_KERNEL],
		   last.notes[PTHRU_MAP_NOTE_OVERREACH],
		   last.notes[PTHRU_MAP_NOTE_INCOMPLETE]);
	for (i = 0; i < kept.nr; i++) {
		n = &kept.items[i];
		seq_printf(m, "note %s domain %u iova 0x%llx",
			   n->kind < PTHRU_MAP_NOTE_KINDS ?
			   kind_names[n->kind] : "?", n->domain_id, n->iova);
		if (n->expected != PTHRU_MAP_NO_PHYS)
			seq_printf(m, " expected 0x%llx", n->expected);
		if (n->found != PTHRU_MAP_NO_PHYS)
			seq_printf(m, " found 0x%llx", n->found);
		if (n->kind == PTHRU_MAP_NOTE_KERNEL ||
		    n->kind == PTHRU_MAP_NOTE_IDENTITY)
			seq_printf(m, " memory %s",
				   pthru_phys_kind_name(n->memory));
		seq_printf(m, " count %llu\n", n->count);
	}
	mutex_unlock(&kept_lock);
}

/**
 * pthru_verify_exit() - forget what the walks found
 *
 * No walk runs any more: the netlink family is gone.
 */
void pthru_verify_exit(void)
{
	mutex_lock(&kept_lock);
	pthru_map_notes_free(&kept);
	mutex_unlock(&kept_lock);
}
