// SPDX-License-Identifier: GPL-2.0
/*
 * The interval store of a domain's shadow map.  ivstore.h describes the
 * model, the guarantee it keeps when its pool runs dry, and the locking.
 *
 * Ranges live in an rbtree keyed by their first IOVA.  They never overlap,
 * so "the last range starting at or below X" is the only range that can
 * contain X, and every operation is a few O(log n) descents plus work
 * proportional to the ranges it changes.  Merging happens on map only: an
 * unmap can only shorten or split ranges, never make two of them
 * mergeable, so the ranges stay maximally merged.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/math.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ivstore.h"

/**
 * pthru_iv_pool_init() - make an empty pool
 * @pool: the pool
 */
void pthru_iv_pool_init(struct pthru_iv_pool *pool)
{
	memset(pool, 0, sizeof(*pool));
}

/**
 * pthru_iv_pool_add() - hand nodes to a pool
 * @pool: the pool
 * @nodes: an array of @nr nodes, owned by the caller, unused elsewhere
 * @nr: number of nodes
 *
 * The nodes are allocated beforehand, in process context; adding them is
 * O(@nr) and allocates nothing, so a pool can be topped up under the
 * store's lock.
 */
void pthru_iv_pool_add(struct pthru_iv_pool *pool, struct pthru_iv_node *nodes,
		       u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		nodes[i].next_free = pool->free;
		pool->free = &nodes[i];
	}
	pool->nr_free += nr;
	pool->nr_total += nr;
}

/**
 * pthru_iv_cap_init() - set a host-wide memory cap
 * @cap: the cap
 * @max: bytes the pools charged to it may take together
 */
void pthru_iv_cap_init(struct pthru_iv_cap *cap, u64 max)
{
	atomic64_set(&cap->used, 0);
	atomic64_set(&cap->refused, 0);
	atomic64_set(&cap->failed, 0);
	cap->max = max;
}

/* Take @bytes of @cap, unless that would pass its max. */
static bool cap_charge(struct pthru_iv_cap *cap, u64 bytes)
{
	s64 used = atomic64_read(&cap->used);

	do {
		if ((u64)used + bytes > cap->max)
			return false;
	} while (!atomic64_try_cmpxchg(&cap->used, &used, used + bytes));
	return true;
}

/**
 * pthru_iv_chunks_alloc() - allocate chunks of nodes, charged to a cap
 * @cap: the host-wide cap
 * @nr: chunks wanted
 * @gfp: allocation flags (process context: GFP_KERNEL)
 * @list: where the chunks go, linked by @next (prepended)
 * @got: chunks allocated
 *
 * For the caller to hand to pthru_iv_pool_add_chunks() under the store's
 * lock.  Stops at the first chunk the cap refuses or the allocator fails.
 *
 * Return: 0 when all @nr were allocated, -ENOSPC when the cap refused one
 * (counted in @cap->refused), -ENOMEM when the allocator failed (counted in
 * @cap->failed).
 */
int pthru_iv_chunks_alloc(struct pthru_iv_cap *cap, u32 nr, gfp_t gfp,
			  struct pthru_iv_chunk **list, u32 *got)
{
	struct pthru_iv_chunk *c;

	for (*got = 0; *got < nr; (*got)++) {
		if (!cap_charge(cap, PTHRU_IV_CHUNK_BYTES)) {
			atomic64_inc(&cap->refused);
			return -ENOSPC;
		}
		c = kmalloc(PTHRU_IV_CHUNK_BYTES, gfp | __GFP_NOWARN);
		if (!c) {
			atomic64_sub(PTHRU_IV_CHUNK_BYTES, &cap->used);
			atomic64_inc(&cap->failed);
			return -ENOMEM;
		}
		c->next = *list;
		*list = c;
	}
	return 0;
}

/**
 * pthru_iv_chunks_free() - free chunks and give their memory back to a cap
 * @cap: the cap they were charged to
 * @list: chunks linked by @next, none of them in a pool
 *
 * Return: the chunks freed.
 */
u32 pthru_iv_chunks_free(struct pthru_iv_cap *cap, struct pthru_iv_chunk *list)
{
	struct pthru_iv_chunk *c;
	u32 n = 0;

	while (list) {
		c = list;
		list = c->next;
		kfree(c);
		n++;
	}
	atomic64_sub((u64)n * PTHRU_IV_CHUNK_BYTES, &cap->used);
	return n;
}

/**
 * pthru_iv_pool_add_chunks() - hand chunks to a pool
 * @pool: the pool
 * @list: chunks from pthru_iv_chunks_alloc(), linked by @next
 *
 * O(nodes added), allocates nothing: for the store's lock.  The pool keeps
 * the chunks until pthru_iv_pool_shrink().
 */
void pthru_iv_pool_add_chunks(struct pthru_iv_pool *pool,
			      struct pthru_iv_chunk *list)
{
	struct pthru_iv_chunk *c;

	while (list) {
		c = list;
		list = c->next;
		c->next = pool->chunks;
		pool->chunks = c;
		pthru_iv_pool_add(pool, c->nodes, PTHRU_IV_CHUNK_NODES);
	}
}

/**
 * pthru_iv_pool_shrink() - give back all but @keep nodes' worth of chunks
 * @pool: a pool whose every node is free (its stores are cleared)
 * @keep: free nodes to keep, rounded up to whole chunks
 *
 * The pool is rebuilt from the chunks it keeps; nodes added with
 * pthru_iv_pool_add() rather than in chunks are forgotten.  O(nodes kept +
 * chunks), allocates and frees nothing: for the store's lock.
 *
 * Return: the chunks given back, linked by @next, for
 * pthru_iv_chunks_free() (NULL when none).  When nodes are still in use,
 * nothing is given back.
 */
struct pthru_iv_chunk *pthru_iv_pool_shrink(struct pthru_iv_pool *pool,
					    u32 keep)
{
	struct pthru_iv_chunk *kept = pool->chunks, *rest, *c;
	u32 n = DIV_ROUND_UP(keep, PTHRU_IV_CHUNK_NODES);

	if (pool->nr_free != pool->nr_total)
		return NULL;
	if (!n || !kept) {
		rest = kept;
		kept = NULL;
	} else {
		for (c = kept; --n && c->next; c = c->next)
			;
		rest = c->next;
		c->next = NULL;
	}
	pthru_iv_pool_init(pool);
	pthru_iv_pool_add_chunks(pool, kept);
	return rest;
}

/**
 * pthru_iv_pool_chunks_wanted() - chunks that top a pool up to @target
 * @pool: the pool
 * @target: free nodes wanted
 *
 * Return: the chunks to add, 0 when @target nodes are free already.
 */
u32 pthru_iv_pool_chunks_wanted(const struct pthru_iv_pool *pool, u32 target)
{
	if (pool->nr_free >= target)
		return 0;
	return DIV_ROUND_UP(target - pool->nr_free, PTHRU_IV_CHUNK_NODES);
}

static struct pthru_iv_node *pool_get(struct pthru_iv_pool *pool)
{
	struct pthru_iv_node *v = pool->free;

	if (v) {
		pool->free = v->next_free;
		pool->nr_free--;
	}
	return v;
}

static void pool_put(struct pthru_iv_pool *pool, struct pthru_iv_node *v)
{
	v->next_free = pool->free;
	pool->free = v;
	pool->nr_free++;
}

/**
 * pthru_iv_init() - make an empty, complete store
 * @s: the store
 * @pool: the pool its nodes come from
 */
void pthru_iv_init(struct pthru_iv_store *s, struct pthru_iv_pool *pool)
{
	s->root = RB_ROOT;
	s->pool = pool;
	memset(&s->st, 0, sizeof(s->st));
}

/**
 * pthru_iv_clear() - forget every range and every counter
 * @s: the store
 *
 * For a domain that is freed (or that the observer stops tracking): every
 * node goes back to the pool, the counters return to zero, and the store
 * is complete again.  O(ranges).
 */
void pthru_iv_clear(struct pthru_iv_store *s)
{
	struct pthru_iv_node *v, *tmp;

	/* Postorder: a node is freed only after both its subtrees. */
	rbtree_postorder_for_each_entry_safe(v, tmp, &s->root, rb)
		pool_put(s->pool, v);
	s->root = RB_ROOT;
	memset(&s->st, 0, sizeof(s->st));
}

static struct pthru_iv_node *iv_entry(struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct pthru_iv_node, rb) : NULL;
}

/* Ranges never end past U64_MAX: map refuses one that would wrap. */
static u64 iv_end(const struct pthru_iv_node *v)
{
	return v->iova + v->size;
}

/* The last range starting at or below @addr. */
static struct pthru_iv_node *iv_floor(const struct pthru_iv_store *s, u64 addr)
{
	struct rb_node *n = s->root.rb_node;
	struct pthru_iv_node *best = NULL;

	while (n) {
		struct pthru_iv_node *v = iv_entry(n);

		if (v->iova <= addr) {
			best = v;
			n = n->rb_right;
		} else {
			n = n->rb_left;
		}
	}
	return best;
}

/* The first range that ends after @addr: the one holding it, or the next. */
static struct pthru_iv_node *iv_seek(const struct pthru_iv_store *s, u64 addr)
{
	struct pthru_iv_node *v = iv_floor(s, addr);

	if (!v)
		return iv_entry(rb_first(&s->root));
	if (iv_end(v) > addr)
		return v;
	return iv_entry(rb_next(&v->rb));
}

static void iv_insert(struct pthru_iv_store *s, struct pthru_iv_node *v)
{
	struct rb_node **link = &s->root.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (v->iova < iv_entry(parent)->iova)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&v->rb, parent, link);
	rb_insert_color(&v->rb, &s->root);
	s->st.nr_ranges++;
}

/* The caller accounts for the bytes: a merge keeps them, an unmap not. */
static void iv_erase(struct pthru_iv_store *s, struct pthru_iv_node *v)
{
	rb_erase(&v->rb, &s->root);
	pool_put(s->pool, v);
	s->st.nr_ranges--;
}

static void iv_lost(struct pthru_iv_store *s)
{
	s->st.lost++;
	s->st.incomplete = true;
}

/*
 * Remove [@iova, @end) from the ranges, @end exclusive and above @iova.
 * Return the bytes that were held.  Counts splits only for a real unmap:
 * the part a replacing map removes is not an unmap of the domain.
 *
 * Splitting a range in two needs a node; without one the part above @end
 * is dropped (it is still mapped, so dropping it keeps "every byte listed
 * is mapped" true) and the store becomes incomplete.
 */
static u64 iv_remove(struct pthru_iv_store *s, u64 iova, u64 end,
		     bool is_unmap)
{
	struct pthru_iv_node *v = iv_seek(s, iova), *next;
	u64 covered = 0;

	while (v && v->iova < end) {
		u64 start = v->iova, stop = iv_end(v);

		next = iv_entry(rb_next(&v->rb));
		if (start >= iova && stop <= end) {
			covered += v->size;
			s->st.bytes -= v->size;
			iv_erase(s, v);
			v = next;
			continue;
		}
		s->st.splits += is_unmap;
		if (start < iova && stop > end) {
			struct pthru_iv_node *tail = pool_get(s->pool);

			v->size = iova - start;
			covered += end - iova;
			if (tail) {
				tail->iova = end;
				tail->size = stop - end;
				/* Aligned: the permissions' bits stay. */
				tail->phys_prot = v->phys_prot + (end - start);
				iv_insert(s, tail);
				s->st.bytes -= end - iova;
			} else {
				s->st.bytes -= stop - iova;
				iv_lost(s);
			}
			break;
		}
		if (start < iova) {
			/* Cut the back; the next range may be covered too. */
			covered += stop - iova;
			s->st.bytes -= stop - iova;
			v->size = iova - start;
			v = next;
			continue;
		}
		/*
		 * Cut the front.  Moving the key up to @end keeps the tree
		 * ordered: no other range starts below this one's end.
		 */
		covered += end - start;
		s->st.bytes -= end - start;
		v->iova = end;
		v->phys_prot += end - start;
		v->size = stop - end;
		break;
	}
	return covered;
}

/*
 * Does @lo end where [@iova, ...) to @phys_prot begins, in IOVA and in
 * physical address, with the same permissions?  Sizes are aligned, so one
 * sum and one compare check both the address and the permissions.
 */
static bool iv_joins(const struct pthru_iv_node *lo, u64 iova, u64 phys_prot)
{
	return iv_end(lo) == iova && lo->phys_prot + lo->size == phys_prot;
}

/* Does @hi begin at @end, at @phys_prot (address and permissions)? */
static bool iv_joins_right(const struct pthru_iv_node *hi, u64 end,
			   u64 phys_prot)
{
	return hi->iova == end && hi->phys_prot == phys_prot;
}

/**
 * pthru_iv_map() - record a successful map of [@iova, @iova + @size)
 * @s: the store
 * @iova: first IOVA
 * @size: bytes mapped
 * @phys: physical address @iova now translates to
 * @prot: permissions
 *
 * The range joins a neighbour that continues it in IOVA and in physical
 * address with the same permissions.  A map over a held range replaces the
 * overlapped part (counted in @overlaps); a map identical to what the store
 * already holds changes nothing.  Never allocates: O(log n) plus the
 * ranges the map overlaps.
 *
 * Return: 0 when recorded; -EINVAL for a zero @size (nothing recorded,
 * nothing counted), a range that wraps past the end of the IOVA space, an
 * @iova, @size or @phys that is not a multiple of PTHRU_IV_ALIGN or a
 * @prot that does not fit below it (dropped); -ENOMEM when the pool was empty (dropped).  A dropped map
 * leaves the store incomplete.
 */
int pthru_iv_map(struct pthru_iv_store *s, u64 iova, u64 size, u64 phys,
		 u32 prot)
{
	struct pthru_iv_node *v, *left, *right;
	u64 end, pp = phys | prot;

	if (!size)
		return -EINVAL;
	s->st.maps++;
	/*
	 * A range ending exactly at 2^64 wraps to 0 and is refused too, as is
	 * one the node cannot hold (the IOMMU core maps neither).
	 */
	if (check_add_overflow(iova, size, &end) ||
	    ((iova | size | phys) & PTHRU_IV_PROT_MASK) ||
	    (prot & ~(u32)PTHRU_IV_PROT_MASK)) {
		iv_lost(s);
		return -EINVAL;
	}

	v = iv_seek(s, iova);
	if (v && v->iova < end) {
		s->st.overlaps++;
		if (v->iova <= iova && iv_end(v) >= end &&
		    v->phys_prot + (iova - v->iova) == pp)
			return 0;
		iv_remove(s, iova, end, false);
		left = iv_floor(s, iova);
		right = iv_entry(left ? rb_next(&left->rb) : rb_first(&s->root));
	} else {
		right = v;
		left = iv_entry(right ? rb_prev(&right->rb) : rb_last(&s->root));
	}

	if (left && !iv_joins(left, iova, pp))
		left = NULL;
	if (right && !iv_joins_right(right, end, pp + size))
		right = NULL;

	if (left && right) {
		left->size += size + right->size;
		iv_erase(s, right);
		s->st.merges += 2;
	} else if (left) {
		left->size += size;
		s->st.merges++;
	} else if (right) {
		/* Growing down to @iova keeps the order: nothing is between. */
		right->iova = iova;
		right->phys_prot = pp;
		right->size += size;
		s->st.merges++;
	} else {
		v = pool_get(s->pool);
		if (!v) {
			iv_lost(s);
			return -ENOMEM;
		}
		v->iova = iova;
		v->size = size;
		v->phys_prot = pp;
		iv_insert(s, v);
	}
	s->st.bytes += size;
	return 0;
}

/**
 * pthru_iv_unmap() - record a successful unmap of [@iova, @iova + @size)
 * @s: the store
 * @iova: first IOVA
 * @size: bytes unmapped (what __iommu_unmap() returned)
 *
 * Removes the covered part of every range in the span: a range is
 * trimmed, split in two (which takes a node; see iv_remove()), or removed.
 * Bytes of the span that the store did not hold count one @unmap_misses.
 * A span that wraps past the end of the IOVA space is cut at the end; one
 * that is not aligned to PTHRU_IV_ALIGN is widened to whole pages and
 * leaves the store incomplete.  O(log n) plus the ranges the span touches.
 *
 * Return: the bytes of the span that the store held.
 */
u64 pthru_iv_unmap(struct pthru_iv_store *s, u64 iova, u64 size)
{
	u64 end, covered;

	if (!size)
		return 0;
	s->st.unmaps++;
	if (check_add_overflow(iova, size, &end))
		end = U64_MAX;
	if ((iova | size) & PTHRU_IV_PROT_MASK) {
		/*
		 * The IOMMU core unmaps whole pages only; were it to unmap
		 * part of one, the store forgets the whole page, which may
		 * still be partly mapped: dropped, like a lost map.
		 */
		iova = round_down(iova, PTHRU_IV_ALIGN);
		if (end != U64_MAX)
			end = round_up(end, PTHRU_IV_ALIGN) ?: U64_MAX;
		iv_lost(s);
	}
	covered = iv_remove(s, iova, end, true);
	if (covered != size)
		s->st.unmap_misses++;
	return covered;
}

/**
 * pthru_iv_first() - the range with the lowest IOVA
 * @s: the store
 *
 * With pthru_iv_next(), walks the ranges in IOVA order under the lock.
 *
 * Return: the range, or NULL when the store is empty.
 */
const struct pthru_iv_node *pthru_iv_first(const struct pthru_iv_store *s)
{
	return iv_entry(rb_first(&s->root));
}

/**
 * pthru_iv_next() - the range after @v in IOVA order
 * @v: a range of the store
 *
 * Return: the next range, or NULL after the last one.
 */
const struct pthru_iv_node *pthru_iv_next(const struct pthru_iv_node *v)
{
	return iv_entry(rb_next(&v->rb));
}

/**
 * pthru_iv_seek() - the first range that ends after @iova
 * @s: the store
 * @iova: an IOVA
 *
 * That is the range holding @iova if there is one, else the next range
 * above it.  O(log n).
 *
 * Return: the range, or NULL when no range ends after @iova.
 */
const struct pthru_iv_node *pthru_iv_seek(const struct pthru_iv_store *s,
					  u64 iova)
{
	return iv_seek(s, iova);
}

/**
 * pthru_iv_lookup() - the range holding @iova
 * @s: the store
 * @iova: an IOVA
 *
 * Return: the range, or NULL when @iova is not mapped in the store.
 */
const struct pthru_iv_node *pthru_iv_lookup(const struct pthru_iv_store *s,
					    u64 iova)
{
	const struct pthru_iv_node *v = iv_floor(s, iova);

	return v && iv_end(v) > iova ? v : NULL;
}

/**
 * pthru_iv_get() - copy out the next range of a dump
 * @s: the store
 * @from: the dump's cursor: 0 to start, then the end of the last range
 *	copied (@out->iova + @out->size)
 * @out: where the range goes
 *
 * A dump copies one range under the lock, drops the lock to emit it, and
 * resumes from its end.  Between two calls the store may change; a range
 * that grew down over the cursor is then copied whole again rather than
 * skipped, so a dump may repeat bytes but never omits a range that was
 * held throughout.
 *
 * Return: true when a range ending after @from was copied.
 */
bool pthru_iv_get(const struct pthru_iv_store *s, u64 from,
		  struct pthru_iv_range *out)
{
	const struct pthru_iv_node *v = iv_seek(s, from);

	if (!v)
		return false;
	out->iova = v->iova;
	out->size = v->size;
	out->phys = pthru_iv_phys(v);
	out->prot = pthru_iv_prot(v);
	return true;
}

/**
 * pthru_iv_check() - verify the store's invariants
 * @s: the store
 *
 * For tests and self-checks: ranges are non-empty, do not wrap, are
 * ordered and disjoint, no two of them could be merged, and @nr_ranges and
 * @bytes agree with them.  O(n).
 *
 * Return: NULL when all hold, else what was wrong.
 */
const char *pthru_iv_check(const struct pthru_iv_store *s)
{
	const struct pthru_iv_node *v, *prev = NULL;
	u64 nr = 0, bytes = 0, end;

	for (v = pthru_iv_first(s); v; prev = v, v = pthru_iv_next(v)) {
		if (!v->size)
			return "empty range";
		if (check_add_overflow(v->iova, v->size, &end))
			return "range wraps";
		if (prev && iv_end(prev) > v->iova)
			return "ranges overlap or are out of order";
		if ((v->iova | v->size) & PTHRU_IV_PROT_MASK)
			return "range not aligned";
		if (prev && iv_joins(prev, v->iova, v->phys_prot))
			return "mergeable neighbours";
		nr++;
		bytes += v->size;
	}
	if (nr != s->st.nr_ranges)
		return "nr_ranges disagrees";
	if (bytes != s->st.bytes)
		return "bytes disagrees";
	if (s->st.incomplete != !!s->st.lost)
		return "incomplete disagrees with lost";
	return NULL;
}
