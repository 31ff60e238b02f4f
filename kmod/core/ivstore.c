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
#include <linux/rbtree.h>
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
				tail->phys = v->phys + (end - start);
				tail->prot = v->prot;
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
		v->phys += end - start;
		v->size = stop - end;
		break;
	}
	return covered;
}

static bool iv_joins(const struct pthru_iv_node *lo, u64 iova, u64 phys,
		     u32 prot)
{
	return iv_end(lo) == iova && lo->phys + lo->size == phys &&
	       lo->prot == prot;
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
 * nothing counted) or a range that wraps past the end of the IOVA space
 * (dropped); -ENOMEM when the pool was empty (dropped).  A dropped map
 * leaves the store incomplete.
 */
int pthru_iv_map(struct pthru_iv_store *s, u64 iova, u64 size, u64 phys,
		 u32 prot)
{
	struct pthru_iv_node *v, *left, *right;
	u64 end;

	if (!size)
		return -EINVAL;
	s->st.maps++;
	/* A range ending exactly at 2^64 wraps to 0 and is refused too. */
	if (check_add_overflow(iova, size, &end)) {
		iv_lost(s);
		return -EINVAL;
	}

	v = iv_seek(s, iova);
	if (v && v->iova < end) {
		s->st.overlaps++;
		if (v->iova <= iova && iv_end(v) >= end && v->prot == prot &&
		    v->phys + (iova - v->iova) == phys)
			return 0;
		iv_remove(s, iova, end, false);
		left = iv_floor(s, iova);
		right = iv_entry(left ? rb_next(&left->rb) : rb_first(&s->root));
	} else {
		right = v;
		left = iv_entry(right ? rb_prev(&right->rb) : rb_last(&s->root));
	}

	if (left && !iv_joins(left, iova, phys, prot))
		left = NULL;
	if (right && !(right->iova == end && phys + size == right->phys &&
		       right->prot == prot))
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
		right->phys = phys;
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
		v->phys = phys;
		v->prot = prot;
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
 * A span that wraps past the end of the IOVA space is cut at the end.
 * O(log n) plus the ranges the span touches.
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
	out->phys = v->phys;
	out->prot = v->prot;
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
		if (prev && iv_joins(prev, v->iova, v->phys, v->prot))
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
