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

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/gfp.h>
#include <linux/rbtree.h>
#include <linux/types.h>

/*
 * Every address and size the store holds is a multiple of this: the IOMMU
 * core refuses a map or unmap that is not aligned to the domain's smallest
 * page, never below 4 KiB.  The low bits of a range's physical address are
 * free, and hold its permissions.
 */
#define PTHRU_IV_ALIGN		0x1000ULL
#define PTHRU_IV_PROT_MASK	(PTHRU_IV_ALIGN - 1)

/**
 * struct pthru_iv_node - one merged range, or a free node of a pool
 * @rb: link in the store's tree, ordered by @iova (a node in a store)
 * @next_free: next free node (a node in a pool)
 * @iova: first IOVA of the range, a multiple of PTHRU_IV_ALIGN
 * @size: length in bytes, never 0, a multiple of PTHRU_IV_ALIGN; @iova +
 *	@size does not wrap
 * @phys_prot: the physical address @iova translates to (a multiple of
 *	PTHRU_IV_ALIGN) ORed with the permissions (IOMMU_READ, IOMMU_WRITE,
 *	... as the IOMMU API passed them, below PTHRU_IV_ALIGN; the store
 *	only compares them).  Read them with pthru_iv_phys() and
 *	pthru_iv_prot().
 *
 * 24 bytes of rb_node and three u64: 48 bytes on 64-bit.
 */
struct pthru_iv_node {
	union {
		struct rb_node rb;
		struct pthru_iv_node *next_free;
	};
	u64 iova;
	u64 size;
	u64 phys_prot;
};

/* The memory aim: at most 48 bytes per merged range. */
static_assert(sizeof(struct pthru_iv_node) <= 48);

static inline u64 pthru_iv_phys(const struct pthru_iv_node *v)
{
	return v->phys_prot & ~PTHRU_IV_PROT_MASK;
}

static inline u32 pthru_iv_prot(const struct pthru_iv_node *v)
{
	return v->phys_prot & PTHRU_IV_PROT_MASK;
}

/* Nodes come in chunks of one page: a link and 85 nodes, 4088 bytes. */
#define PTHRU_IV_CHUNK_BYTES	4096
#define PTHRU_IV_CHUNK_NODES	\
	((PTHRU_IV_CHUNK_BYTES - sizeof(void *)) / sizeof(struct pthru_iv_node))

/**
 * struct pthru_iv_chunk - one allocation of range nodes
 * @next: the pool's next chunk, or the next one of a list being freed
 * @nodes: the nodes
 */
struct pthru_iv_chunk {
	struct pthru_iv_chunk *next;
	struct pthru_iv_node nodes[PTHRU_IV_CHUNK_NODES];
};

static_assert(sizeof(struct pthru_iv_chunk) <= PTHRU_IV_CHUNK_BYTES);

/**
 * struct pthru_iv_pool - range nodes set aside for a store
 * @free: singly linked list of free nodes
 * @nr_free: nodes on @free
 * @nr_total: nodes ever handed to the pool
 * @chunks: the chunks handed with pthru_iv_pool_add_chunks(), which
 *	pthru_iv_pool_shrink() gives back
 *
 * The caller owns the memory: it may free the arrays it added only when
 * @nr_free == @nr_total, that is when every store drawing from the pool
 * has been cleared.
 */
struct pthru_iv_pool {
	struct pthru_iv_node *free;
	u32 nr_free;
	u32 nr_total;
	struct pthru_iv_chunk *chunks;
};

/**
 * struct pthru_iv_cap - the memory several growing pools may take together
 * @used: bytes of chunks allocated and not yet freed
 * @max: the most @used may reach
 * @refused: allocations refused because @max was reached
 * @failed: allocations the allocator failed
 *
 * Shared by every pool of the host: charged and uncharged without a lock.
 */
struct pthru_iv_cap {
	atomic64_t used;
	u64 max;
	atomic64_t refused;
	atomic64_t failed;
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
 * @lost: times the store dropped a mapping: the pool was empty, a map
 *	wrapped past the end of the IOVA space, or a map or unmap was not
 *	aligned to PTHRU_IV_ALIGN (or had permissions above its low bits)
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

void pthru_iv_cap_init(struct pthru_iv_cap *cap, u64 max);
int pthru_iv_chunks_alloc(struct pthru_iv_cap *cap, u32 nr, gfp_t gfp,
			  struct pthru_iv_chunk **list, u32 *got);
u32 pthru_iv_chunks_free(struct pthru_iv_cap *cap,
			 struct pthru_iv_chunk *list);
void pthru_iv_pool_add_chunks(struct pthru_iv_pool *pool,
			      struct pthru_iv_chunk *list);
struct pthru_iv_chunk *pthru_iv_pool_shrink(struct pthru_iv_pool *pool,
					    u32 keep);
u32 pthru_iv_pool_chunks_wanted(const struct pthru_iv_pool *pool, u32 target);

/**
 * pthru_iv_pool_low() - should a pool be topped up?
 * @pool: the pool
 * @target: the free nodes it is topped up to (its watermark)
 *
 * Return: true when fewer than half of @target nodes are free.
 */
static inline bool pthru_iv_pool_low(const struct pthru_iv_pool *pool,
				     u32 target)
{
	return pool->nr_free < target / 2;
}

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
