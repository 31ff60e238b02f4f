// SPDX-License-Identifier: GPL-2.0
/*
 * Per-domain op wrapping.
 *
 * The shadow sees a domain's maps, unmaps, IOTLB flushes and its free by
 * pointing its domain->ops at a copy of the driver's ops in which those
 * operations are pthru's wrappers (the ops that exist on the running
 * kernel: map_pages and unmap_pages, and on 6.1 map and unmap too;
 * iotlb_sync, flush_iotlb_all, free).  Every other operation is the
 * driver's own, and a domain pthru does not track keeps the driver's ops
 * pointer: the DMA API of the host's own drivers runs exactly the
 * kernel's instructions.
 *
 * One copy per driver ops table, shared by every domain of that driver.
 * VFIO type1 puts a second group into an existing domain of its container
 * only when d->domain->ops == domain->domain->ops; with one shared copy
 * the comparison stays true for two wrapped domains.  (A wrapped and an
 * unwrapped domain compare unequal, and VFIO gives the group its own
 * domain: correct, only less shared.)  Tables are static, at most
 * PTHRU_WRAP_MAX_TABLES drivers; a table is copied again when its first
 * domain comes after none used it, and given to another driver only once
 * it is quiesced (below).
 *
 * Which wrapped domains exist is in wrapped[], under wrap_lock: the free
 * wrapper takes its domain out of it, under that lock, before the driver
 * frees the domain, so a domain that pthru_wrap_unwrap_all() finds there
 * is alive while it restores its ops pointer.  A wrapper finds the
 * driver's op from domain->ops itself: pthru's table (then the table's
 * saved pointer), or already the driver's own table again (unwrapped
 * while the caller was on its way in).
 *
 * Retirement.  After every domain's ops pointer is the driver's again, a
 * CPU may still be inside a wrapper, or about to enter one through a
 * pointer it loaded before; the module's text and the tables must outlive
 * them.  synchronize_rcu_tasks() alone does not cover this: a wrapper
 * calls the driver's map_pages(), which may sleep (VFIO maps with
 * GFP_KERNEL), and a voluntary sleep is a quiescent state of RCU Tasks
 * although the sleeper returns into the wrapper.  So each wrapper counts
 * itself in a per-CPU counter from its first instruction to its last, and
 * pthru_wrap_quiesce() (1) waits for RCU Tasks: every task that had
 * loaded a wrapper's address has since been counted in, since the only
 * place it could be uncounted and quiescent is before the call, where it
 * cannot sleep, and a preempted task is not quiescent for RCU Tasks;
 * (2) waits until the counters sum to zero: with no way in any more they
 * only fall, so a sum read at zero was zero; (3) waits for RCU Tasks
 * again, for the instructions after the decrement.  Then no CPU runs or
 * will run pthru's wrapper code or reads its tables.
 */
#include <linux/delay.h>
#include <linux/iommu.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "compat.h"
#include "domain_wrap.h"
#include "shadow.h"

struct wrap_table {
	struct iommu_domain_ops ops;		/* what wrapped domains point to */
	const struct iommu_domain_ops *orig;	/* the driver's */
	unsigned int users;			/* domains wrapped with it */
	bool dirty;				/* used since the last quiesce */
};

static DEFINE_SPINLOCK(wrap_lock);		/* everything below */
static struct wrap_table tables[PTHRU_WRAP_MAX_TABLES];
static struct iommu_domain *wrapped[PTHRU_WRAP_MAX_DOMAINS];
static unsigned int nr_wrapped;
static u64 wrapped_total;
static atomic64_t refused = ATOMIC64_INIT(0);

/* Wrapped calls running; see Retirement above. */
static DEFINE_PER_CPU(long, inflight);

static bool is_table(const struct iommu_domain_ops *ops)
{
	uintptr_t p = (uintptr_t)ops;

	return p >= (uintptr_t)&tables[0] &&
	       p < (uintptr_t)&tables[PTHRU_WRAP_MAX_TABLES];
}

/* The driver's ops of @domain, whether it is still wrapped or not. */
static const struct iommu_domain_ops *driver_ops(struct iommu_domain *domain)
{
	const struct iommu_domain_ops *ops = READ_ONCE(domain->ops);

	if (!is_table(ops))
		return ops;
	return READ_ONCE(container_of(ops, struct wrap_table, ops)->orig);
}

static int wrap_map_pages(struct iommu_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t pgsize, size_t pgcount,
			  int prot, gfp_t gfp, size_t *mapped)
{
	struct pthru_shadow_call call;
	size_t before;
	int ret;

	this_cpu_inc(inflight);
	before = *mapped;
	pthru_shadow_call_begin(&call, domain, false);
	ret = driver_ops(domain)->map_pages(domain, iova, paddr, pgsize,
					      pgcount, prot, gfp, mapped);
	pthru_shadow_map_done(&call, iova, paddr, *mapped - before, prot);
	this_cpu_dec(inflight);
	return ret;
}

static size_t wrap_unmap_pages(struct iommu_domain *domain,
			       unsigned long iova, size_t pgsize,
			       size_t pgcount,
			       struct iommu_iotlb_gather *gather)
{
	struct pthru_shadow_call call;
	size_t done;

	this_cpu_inc(inflight);
	pthru_shadow_call_begin(&call, domain, true);
	done = driver_ops(domain)->unmap_pages(domain, iova, pgsize, pgcount,
					       gather);
	pthru_shadow_unmap_done(&call, iova, done);
	this_cpu_dec(inflight);
	return done;
}

#ifdef PTHRU_HAVE_DOMAIN_OPS_MAP

static int wrap_map(struct iommu_domain *domain, unsigned long iova,
		    phys_addr_t paddr, size_t size, int prot, gfp_t gfp)
{
	struct pthru_shadow_call call;
	int ret;

	this_cpu_inc(inflight);
	pthru_shadow_call_begin(&call, domain, false);
	ret = driver_ops(domain)->map(domain, iova, paddr, size, prot, gfp);
	pthru_shadow_map_done(&call, iova, paddr, ret ? 0 : size, prot);
	this_cpu_dec(inflight);
	return ret;
}

static size_t wrap_unmap(struct iommu_domain *domain, unsigned long iova,
			 size_t size, struct iommu_iotlb_gather *gather)
{
	struct pthru_shadow_call call;
	size_t done;

	this_cpu_inc(inflight);
	pthru_shadow_call_begin(&call, domain, true);
	done = driver_ops(domain)->unmap(domain, iova, size, gather);
	pthru_shadow_unmap_done(&call, iova, done);
	this_cpu_dec(inflight);
	return done;
}

#endif

static void wrap_iotlb_sync(struct iommu_domain *domain,
			    struct iommu_iotlb_gather *gather)
{
	this_cpu_inc(inflight);
	driver_ops(domain)->iotlb_sync(domain, gather);
	pthru_shadow_flushed(domain);
	this_cpu_dec(inflight);
}

static void wrap_flush_iotlb_all(struct iommu_domain *domain)
{
	this_cpu_inc(inflight);
	driver_ops(domain)->flush_iotlb_all(domain);
	pthru_shadow_flushed(domain);
	this_cpu_dec(inflight);
}

/*
 * Out of wrapped[] and back to the driver's ops before the driver frees
 * it: from here on pthru_wrap_unwrap_all() does not touch it.
 */
static const struct iommu_domain_ops *unwrap_one(struct iommu_domain *domain)
{
	const struct iommu_domain_ops *ops;
	struct wrap_table *t;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&wrap_lock, flags);
	ops = domain->ops;
	for (i = 0; i < nr_wrapped; i++) {
		if (wrapped[i] != domain)
			continue;
		wrapped[i] = wrapped[--nr_wrapped];
		wrapped[nr_wrapped] = NULL;
		if (is_table(ops)) {
			t = container_of(ops, struct wrap_table, ops);
			ops = t->orig;
			WRITE_ONCE(domain->ops, ops);
			t->users--;
		}
		break;
	}
	spin_unlock_irqrestore(&wrap_lock, flags);
	/* Not in wrapped[] (unwrapped meanwhile): the pointer was restored. */
	return driver_ops(domain);
}

static void wrap_free(struct iommu_domain *domain)
{
	const struct iommu_domain_ops *ops;

	this_cpu_inc(inflight);
	pthru_shadow_freeing(domain);
	ops = unwrap_one(domain);
	ops->free(domain);
	this_cpu_dec(inflight);
}

/* Under wrap_lock: @t becomes @orig's copy, with pthru's wrappers in. */
static void table_fill(struct wrap_table *t,
		       const struct iommu_domain_ops *orig)
{
	t->ops = *orig;
	t->orig = orig;
	if (orig->map_pages)
		t->ops.map_pages = wrap_map_pages;
	if (orig->unmap_pages)
		t->ops.unmap_pages = wrap_unmap_pages;
#ifdef PTHRU_HAVE_DOMAIN_OPS_MAP
	if (orig->map)
		t->ops.map = wrap_map;
	if (orig->unmap)
		t->ops.unmap = wrap_unmap;
#endif
	if (orig->iotlb_sync)
		t->ops.iotlb_sync = wrap_iotlb_sync;
	if (orig->flush_iotlb_all)
		t->ops.flush_iotlb_all = wrap_flush_iotlb_all;
	t->ops.free = wrap_free;
	t->dirty = true;
}

/*
 * Under wrap_lock: the table for @orig.  One that is @orig's already, in
 * use or not (copied again when unused: a driver module reloaded at the
 * same address would have changed), else one quiesced since it was last
 * used, for any driver.
 */
static struct wrap_table *table_for(const struct iommu_domain_ops *orig)
{
	struct wrap_table *t, *clean = NULL;
	unsigned int i;

	for (i = 0; i < PTHRU_WRAP_MAX_TABLES; i++) {
		t = &tables[i];
		if (t->orig == orig) {
			if (!t->users)
				table_fill(t, orig);
			return t;
		}
		if (!clean && !t->users && !t->dirty)
			clean = &tables[i];
	}
	if (clean)
		table_fill(clean, orig);
	return clean;
}

static bool ops_wrappable(const struct iommu_domain_ops *ops)
{
	bool map = ops->map_pages, unmap = ops->unmap_pages;

#ifdef PTHRU_HAVE_DOMAIN_OPS_MAP
	map |= !!ops->map;
	unmap |= !!ops->unmap;
#endif
	return map && unmap && ops->free;
}

/**
 * pthru_wrap_domain() - turn a new or pinned domain's ops to pthru's
 * @domain: a domain nobody can free meanwhile (just allocated, or pinned
 *	by its caller)
 *
 * Any context; does not sleep.
 *
 * Return: 0; -EEXIST when wrapped already; -EOPNOTSUPP when its ops lack
 * a map, an unmap or a free; -ENOSPC when no table or no room is left.
 * The last two count as refused.
 */
int pthru_wrap_domain(struct iommu_domain *domain)
{
	const struct iommu_domain_ops *ops;
	struct wrap_table *t = NULL;
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&wrap_lock, flags);
	ops = domain->ops;
	if (is_table(ops))
		err = -EEXIST;
	else if (!ops || !ops_wrappable(ops))
		err = -EOPNOTSUPP;
	else if (nr_wrapped >= PTHRU_WRAP_MAX_DOMAINS)
		err = -ENOSPC;
	if (!err) {
		t = table_for(ops);
		if (!t)
			err = -ENOSPC;
	}
	if (!err) {
		t->users++;
		wrapped[nr_wrapped++] = domain;
		wrapped_total++;
		WRITE_ONCE(domain->ops, &t->ops);
	}
	spin_unlock_irqrestore(&wrap_lock, flags);
	if (err && err != -EEXIST)
		atomic64_inc(&refused);
	return err;
}

/**
 * pthru_wrap_unwrap_all() - every wrapped domain back to its driver's ops
 *
 * Nothing may wrap a domain meanwhile (the allocation probes are gone).
 * A wrapper may still run: pthru_wrap_quiesce() waits for it.
 */
void pthru_wrap_unwrap_all(void)
{
	struct iommu_domain *domain;
	struct wrap_table *t;
	unsigned long flags;

	spin_lock_irqsave(&wrap_lock, flags);
	while (nr_wrapped) {
		domain = wrapped[--nr_wrapped];
		wrapped[nr_wrapped] = NULL;
		/* Alive: its free takes it out of wrapped[] first. */
		if (WARN_ON_ONCE(!is_table(domain->ops)))
			continue;
		t = container_of(domain->ops, struct wrap_table, ops);
		WRITE_ONCE(domain->ops, t->orig);
		t->users--;
	}
	spin_unlock_irqrestore(&wrap_lock, flags);
}

static long inflight_sum(void)
{
	long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu(inflight, cpu));
	return n;
}

/**
 * pthru_wrap_quiesce() - wait until no CPU runs a wrapper or can enter one
 *
 * After pthru_wrap_unwrap_all(), in process context; sleeps (for an RCU
 * Tasks grace period, twice).  Afterwards every table is free for any
 * driver, and the module's text may go.  The argument is at the top.
 */
void pthru_wrap_quiesce(void)
{
	unsigned long flags;
	unsigned int i;

	synchronize_rcu_tasks();
	while (inflight_sum() > 0)
		usleep_range(1000, 2000);
	synchronize_rcu_tasks();
	spin_lock_irqsave(&wrap_lock, flags);
	for (i = 0; i < PTHRU_WRAP_MAX_TABLES; i++)
		if (!tables[i].users)
			tables[i].dirty = false;
	spin_unlock_irqrestore(&wrap_lock, flags);
}

/**
 * pthru_wrap_is_wrapped() - are @domain's ops pthru's now?
 * @domain: compared only, never dereferenced
 *
 * Return: true when it is one of the wrapped domains.
 */
bool pthru_wrap_is_wrapped(const void *domain)
{
	unsigned long flags;
	bool found = false;
	unsigned int i;

	spin_lock_irqsave(&wrap_lock, flags);
	for (i = 0; !found && i < nr_wrapped; i++)
		found = wrapped[i] == domain;
	spin_unlock_irqrestore(&wrap_lock, flags);
	return found;
}

/**
 * pthru_wrap_get_stats() - the wrapping as a whole
 * @st: filled in
 */
void pthru_wrap_get_stats(struct pthru_wrap_stats *st)
{
	unsigned long flags;
	unsigned int i;

	memset(st, 0, sizeof(*st));
	spin_lock_irqsave(&wrap_lock, flags);
	st->wrapped = nr_wrapped;
	st->wrapped_total = wrapped_total;
	for (i = 0; i < PTHRU_WRAP_MAX_TABLES; i++)
		st->tables += tables[i].users != 0;
	spin_unlock_irqrestore(&wrap_lock, flags);
	st->refused = atomic64_read(&refused);
	st->inflight = inflight_sum();
}

/**
 * pthru_wrap_table_driver() - whose ops table @i copies, for debugfs
 * @i: the table
 * @buf: where the name goes
 * @len: its size
 *
 * Return: @buf holding the driver's domain free callback, or NULL when
 * table @i is not in use.
 */
const char *pthru_wrap_table_driver(unsigned int i, char *buf, size_t len)
{
	void (*free)(struct iommu_domain *domain) = NULL;
	unsigned long flags;

	if (i >= PTHRU_WRAP_MAX_TABLES)
		return NULL;
	spin_lock_irqsave(&wrap_lock, flags);
	if (tables[i].users)
		free = tables[i].orig->free;
	spin_unlock_irqrestore(&wrap_lock, flags);
	if (!free)
		return NULL;
	/* The driver's free callback names it; the table itself may not. */
	snprintf(buf, len, "%ps", free);
	return buf;
}
