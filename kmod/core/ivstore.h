/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow of one IOMMU domain's mappings: the IOVA ranges that are
 * mapped, each with the physical address and permissions it maps to, kept
 * merged so that one range is one IOVA- and physically-contiguous span of
 * one permission.  The mapping observer feeds it every successful map and
 * unmap of the domain; the verifier and the dumps read it.
 *
 * The store runs inside kretprobe handlers, in atomic context, possibly in
 * hard IRQ: map and unmap never allocate and never sleep.  Range nodes come
 * from a pool the caller fills beforehand.  When a map or a split finds the
 * pool empty, the store drops what it cannot hold and marks itself
 * incomplete, a mark only pthru_iv_clear() removes.  What it drops is
 * always a mapping, never an unmap, so at every moment:
 *
 *	every byte the store lists is mapped as listed, and
 *	when the store is not incomplete, it lists every mapped byte.
 *
 * Locking is the caller's.  Every call on a store, and on the pool it
 * draws from, must be serialised by one lock; in the observer that is a
 * spinlock per domain taken with spin_lock_irqsave() (handlers may run in
 * hard IRQ).  A pool shared by several stores needs a lock covering all of
 * them; the simple arrangement is one pool per store.
 */
#ifndef _PTHRU_CORE_IVSTORE_H
#define _PTHRU_CORE_IVSTORE_H

#include <linux/build_bug.h>
#include <linux/rbtree.h>
#include <linux/types.h>

/**
 * struct pthru_iv_node - one merged range, or a free node of a pool
 * @rb: link in the store's tree, ordered by @iova (a node in a store)
 * @next_free: next free node (a node in a pool)
 * @iova: first IOVA of the range
 * @size: length in bytes, never 0; @iova + @size does not wrap
 * @phys: physical address @iova translates to
 * @prot: permissions (IOMMU_READ, IOMMU_WRITE, ... as the IOMMU API
 *	passed them; the store only compares them)
 */
struct pthru_iv_node {
	union {
		struct rb_node rb;
		struct pthru_iv_node *next_free;
	};
	u64 iova;
	u64 size;
	u64 phys;
	u32 prot;
};

/* The memory aim: at most 64 bytes per merged range. */
static_assert(sizeof(struct pthru_iv_node) <= 64);

/**
 * struct pthru_iv_pool - preallocated range nodes
 * @free: singly linked list of free nodes
 * @nr_free: nodes on @free
 * @nr_total: nodes ever handed to the pool
 *
 * The caller owns the memory: it may free the arrays it added only when
 * @nr_free == @nr_total, that is when every store drawing from the pool
 * has been cleared.
 */
struct pthru_iv_pool {
	struct pthru_iv_node *free;
	u32 nr_free;
	u32 nr_total;
};

/**
 * struct pthru_iv_stats - what a store holds and what it has seen
 * @nr_ranges: merged ranges held
 * @bytes: bytes mapped, the sum of the ranges' sizes
 * @maps: map calls (with a non-zero size)
 * @unmaps: unmap calls (with a non-zero size)
 * @merges: joins of a map with a neighbouring range (a map that joins
 *	both neighbours counts 2)
 * @splits: ranges an unmap cut into: trimmed at the front or the back, or
 *	split in two
 * @overlaps: maps that overlapped a held range (the IOMMU API forbids it;
 *	the new mapping replaces the overlapped part)
 * @unmap_misses: unmaps that covered a byte the store did not hold
 * @lost: times the store dropped a mapping: the pool was empty, or a map
 *	wrapped past the end of the IOVA space
 * @incomplete: @lost is non-zero, the store may miss mappings
 */
struct pthru_iv_stats {
	u64 nr_ranges;
	u64 bytes;
	u64 maps;
	u64 unmaps;
	u64 merges;
	u64 splits;
	u64 overlaps;
	u64 unmap_misses;
	u64 lost;
	bool incomplete;
};

/**
 * struct pthru_iv_store - the shadow of one domain
 * @root: the ranges, non-overlapping, ordered by IOVA
 * @pool: where nodes come from and go back to
 * @st: counters; read them under the caller's lock
 */
struct pthru_iv_store {
	struct rb_root root;
	struct pthru_iv_pool *pool;
	struct pthru_iv_stats st;
};

/**
 * struct pthru_iv_range - a copy of one range, for use outside the lock
 * @iova: first IOVA
 * @size: length in bytes
 * @phys: physical address @iova translates to
 * @prot: permissions
 */
struct pthru_iv_range {
	u64 iova;
	u64 size;
	u64 phys;
	u32 prot;
};

void pthru_iv_pool_init(struct pthru_iv_pool *pool);
void pthru_iv_pool_add(struct pthru_iv_pool *pool, struct pthru_iv_node *nodes,
		       u32 nr);

void pthru_iv_init(struct pthru_iv_store *s, struct pthru_iv_pool *pool);
void pthru_iv_clear(struct pthru_iv_store *s);

int pthru_iv_map(struct pthru_iv_store *s, u64 iova, u64 size, u64 phys,
		 u32 prot);
u64 pthru_iv_unmap(struct pthru_iv_store *s, u64 iova, u64 size);

const struct pthru_iv_node *pthru_iv_first(const struct pthru_iv_store *s);
const struct pthru_iv_node *pthru_iv_next(const struct pthru_iv_node *v);
const struct pthru_iv_node *pthru_iv_seek(const struct pthru_iv_store *s,
					  u64 iova);
const struct pthru_iv_node *pthru_iv_lookup(const struct pthru_iv_store *s,
					    u64 iova);
bool pthru_iv_get(const struct pthru_iv_store *s, u64 from,
		  struct pthru_iv_range *out);

const char *pthru_iv_check(const struct pthru_iv_store *s);

/**
 * pthru_iv_incomplete() - may the store miss mappings?
 * @s: the store
 *
 * Return: true once the store has dropped a mapping, until it is cleared.
 */
static inline bool pthru_iv_incomplete(const struct pthru_iv_store *s)
{
	return s->st.incomplete;
}

#endif /* _PTHRU_CORE_IVSTORE_H */
