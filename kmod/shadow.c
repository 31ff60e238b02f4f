// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow of userspace-owned IOMMU domains.
 *
 * Observation.  Per-domain op wrapping (domain_wrap.c): a domain the
 * shadow may track gets pthru's copy of its driver's iommu_domain_ops, in
 * which map_pages/unmap_pages (and map/unmap on 6.1), iotlb_sync,
 * flush_iotlb_all and free call pthru_shadow_call_begin() and the *_done()
 * hooks below around the driver's own.  Domains are wrapped when they are
 * born: kretprobes on the returns of the IOMMU core's allocators
 * (iommu_domain_alloc, and iommu_paging_domain_alloc on 6.12: the only
 * ones a module such as VFIO or vhost-vdpa can call) wrap every
 * IOMMU_DOMAIN_UNMANAGED domain allocated while the shadow is armed.
 * Allocation is a cold path; no probe sits on map or unmap, and a domain
 * that is not wrapped (the host's DMA-API domains) runs the driver's ops
 * with no pthru instruction in between.  A domain that already existed
 * when the shadow armed cannot be wrapped safely (nothing keeps it alive
 * while pthru would write its ops pointer): it is not tracked, and the
 * arming says so (blind).
 *
 * Memory.  Wrappers run in any context the driver's ops do, possibly in
 * hard IRQ, so nothing is allocated there.  shadow_domains slots (module
 * parameter) are allocated at load.  Each slot's store draws range nodes
 * from its own pool, made of one-page chunks (core/ivstore.h) charged to
 * one host-wide cap (shadow_mem_max_mb).  Arming gives every slot a small
 * reserve; from then on grow_work, in process context, tops a tracked
 * domain's reserve up to shadow_ranges free nodes whenever a wrapper
 * finds it below half of that (the wrapper only queues the work), and
 * frees the chunks of a released slot beyond that small reserve.  A map
 * that finds the reserve empty (the work was late, the cap was reached,
 * an allocation failed) is dropped by the store, which marks the domain
 * incomplete.  The first map or unmap of a wrapped domain claims a free
 * slot under claim_lock; a domain that finds none is not tracked and its
 * maps count as lost, and it is marked incomplete if it claims one later.
 * A slot's store and pool are under the slot's spinlock (irqsave).
 * Lookups compare the domain pointers of the slots without a lock: a
 * slot's pointer changes only when its domain is freed (a domain cannot
 * be freed while one of its own maps or unmaps runs), or when a teardown
 * releases every slot, after which no slot can be claimed until the next
 * arming (Lifetime).
 *
 * Never silently wrong.  A domain is marked incomplete ("the ranges listed
 * are mapped, the list may miss some") when its pool ran dry, when its
 * first call was an unmap, or when it found no free slot earlier.
 *
 * Arming.  shadow=auto (default): armed when a function is being bound to
 * a passthrough driver (the bind gate's BIND_DRIVER hook, before the
 * driver's probe can create a domain), or at load when one is bound
 * already; disarmed by a periodic check once no function is bound to a
 * passthrough driver and no domain is tracked.  shadow=on: armed from load
 * to unload.  shadow=off: never.  A kernel whose allocators cannot be
 * probed is not armed at all (status "unsupported"): there is no fallback
 * to probes on the map path.
 *
 * Lifetime.  A slot holds a pointer to a struct iommu_domain that pthru
 * does not own: slot_copy() reads the domain and pthru_shadow_translate()
 * walks its page tables, from any reader, under the slot's lock.  The one
 * thing that keeps the domain alive for them is the free wrapper: it
 * releases the slot under that same lock before the driver frees the
 * domain.  So the invariant is: a slot's domain pointer is reachable only
 * while the domain is wrapped.  Slots are claimed only from wrappers and
 * only while claims_open; every teardown (disarm, unload, an error path of
 * arm()) first closes the claims and releases every slot, under
 * claim_lock and each slot's lock (so a reader that holds a slot lock
 * finishes first, and no wrapper can claim the slot again), then removes
 * the allocation probes, then gives every wrapped domain its driver's ops
 * back, then waits until no CPU can be inside a wrapper
 * (pthru_wrap_quiesce()).  A wrapper still running meanwhile finds no
 * slot, or one whose domain is not its own any more, and touches nothing
 * else.
 *
 * Invalidation.  The wrapped iotlb_sync and flush_iotlb_all of a tracked
 * domain close its flush window (flush_probe.c), which the unmap wrapper
 * feeds; each slot's window starts when the slot is claimed and is merged
 * into the global window when the slot is released.  Only the DMA-API
 * window (flush_window_dma=1, off by default) still uses probes.
 *
 * Translation.  The verification walk (verify.c) asks the IOMMU driver
 * what an IOVA of a tracked domain translates to, with
 * iommu_iova_to_phys(), which walks page tables that a concurrent map may
 * be filling and a concurrent unmap may be taking apart.  So each slot
 * counts the maps and unmaps in flight (wrapper entry to driver return)
 * and the changes its store has seen; a translation is made under the
 * slot's lock, only when none is in flight and the store has not changed
 * since the walk read the ranges it checks, and otherwise answers
 * PTHRU_XLATE_BUSY.  An unmap's wrapper waits for that lock before the
 * driver's unmap, so no page table is unlinked during a translation, and
 * the domain cannot be freed either: the free wrapper releases the slot
 * under the same lock.  Each slot also remembers its last SHADOW_RECENT
 * unmaps, for the walk to check that they no longer translate.
 *
 * DMA-API domains (DMA, DMA-FQ), with shadow_dma=1 only: those allocated
 * while armed are wrapped like the others (a kretprobe on the core's
 * static __iommu_domain_alloc sees them), and at arming the default domain
 * of every function bound to a host driver is wrapped too (the function's
 * device lock and a group reference keep that domain alive meanwhile).
 * They claim slots like the others, but at most half of them (so VFIO
 * domains always find room), and one that finds none counts in
 * dma_untracked.  Such a domain held mappings before pthru saw it, so it
 * is always incomplete, and its memory is the kernel's on purpose: the
 * walk checks its translations only (core/mapcheck.h, kernel_owned).  Its
 * flush window is flush_probe.c's (flush_window_dma), not the slot's.
 * Every DMA-API map and unmap of those devices then runs pthru's wrapper:
 * off by default.
 */
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/kprobes.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <uapi/linux/pthru.h>

#include "core/hazard.h"
#include "domain_wrap.h"
#include "flush_probe.h"
#include "inventory.h"
#include "shadow.h"

#define SHADOW_MAX_DOMAINS	PTHRU_SHADOW_MAX_DOMAINS
#define SHADOW_MIN_RANGES	16
#define SHADOW_MAX_RANGES	(1U << 20)
/* shadow_mem_max_mb: 0 is 1/256 of RAM, at least SHADOW_MEM_AUTO_MIN_MB. */
#define SHADOW_MEM_MAX_MB	65536
#define SHADOW_MEM_AUTO_MIN_MB	8
/* A free slot's reserve, for a new domain's first maps: shadow_ranges / 4. */
#define SHADOW_IDLE_DIV		4
/* grow_work retries an allocation the allocator failed after this. */
#define SHADOW_GROW_RETRY	HZ
/* How often shadow=auto asks whether the probes are still needed (ms). */
#define SHADOW_CHECK_MS		10000
#define SHADOW_CHECK_MIN_MS	100
#define SHADOW_CHECK_MAX_MS	600000

static char *shadow = "auto";
module_param(shadow, charp, 0444);
MODULE_PARM_DESC(shadow, "shadow map of VFIO domains: auto (default: armed while a function is bound to a passthrough driver), on or off");

static unsigned int shadow_domains = 8;
module_param(shadow_domains, uint, 0444);
MODULE_PARM_DESC(shadow_domains, "userspace-owned IOMMU domains the shadow can track at once (1-64, default 8)");

static unsigned int shadow_ranges = 4096;
module_param(shadow_ranges, uint, 0444);
MODULE_PARM_DESC(shadow_ranges, "free range nodes a tracked domain keeps in reserve, topped up in process context when half are used; a free slot keeps a quarter (16-1048576, default 4096)");

static unsigned int shadow_mem_max_mb;
module_param(shadow_mem_max_mb, uint, 0444);
MODULE_PARM_DESC(shadow_mem_max_mb, "host-wide cap on the shadow's range memory, in MiB (1-65536; 0, default: 1/256 of RAM, at least 8)");

static bool shadow_dma;
module_param(shadow_dma, bool, 0444);
MODULE_PARM_DESC(shadow_dma, "also shadow DMA-API (DMA, DMA-FQ) domains while armed, in up to half the slots; every DMA-API map and unmap pays for it (default off)");

/* Test only: the selftests make arming fail, and disarm quickly. */
static unsigned int shadow_fail_arm;
module_param(shadow_fail_arm, uint, 0444);
MODULE_PARM_DESC(shadow_fail_arm, "test only: make the Nth probe registration of every arming fail (0, default: never)");

static bool shadow_fail_grow;
module_param(shadow_fail_grow, bool, 0444);
MODULE_PARM_DESC(shadow_fail_grow, "test only: refuse every allocation after an arming's first reserves, as at the memory cap (default off)");

static unsigned int shadow_check_ms = SHADOW_CHECK_MS;
module_param(shadow_check_ms, uint, 0444);
MODULE_PARM_DESC(shadow_check_ms, "test only: how often shadow=auto checks whether to disarm, in ms (100-600000, default 10000)");

enum shadow_mode { SHADOW_OFF, SHADOW_AUTO, SHADOW_ON };

/* Why a domain may miss mappings, besides its store's own pool exhaustion. */
enum {
	SLOT_EARLY_UNMAP = BIT(0),	/* first seen unmapping */
	SLOT_WAS_UNTRACKED = BIT(2),	/* found no free slot earlier */
	SLOT_DMA_API = BIT(3),		/* a DMA-API domain (shadow_dma) */
};

/*
 * Domains that found no free slot, so that one claiming a slot later is
 * marked: its earlier maps were lost.  When more are untracked at once
 * than the table holds, every later claim is marked until disarm.
 */
#define UNTRACKED_MAX	16

#define SHADOW_RECENT	PTHRU_SHADOW_RECENT

struct shadow_slot {
	spinlock_t lock;		/* all but domain */
	struct iommu_domain *domain;	/* NULL: free; written under claim_lock */
	u32 id;
	u32 why;
	u32 inflight;			/* maps and unmaps between entry and return */
	u64 changes;			/* maps and unmaps recorded */
	struct pthru_iv_store store;
	struct pthru_iv_pool pool;	/* its chunks too */
	bool grow_asked;		/* grow_work queued for it, or refused */
	struct pthru_iv_range recent[SHADOW_RECENT];	/* a ring */
	u32 nr_recent;			/* valid entries of @recent */
	u32 next_recent;		/* where the next unmap goes */
};

static enum shadow_mode mode;
static struct shadow_slot *slots;
static unsigned int nr_slots;

static DEFINE_SPINLOCK(claim_lock);	/* claims and releases of slots */
static u32 next_id = 1;			/* under claim_lock */
static u32 generation;			/* under claim_lock */
/* Armed while a function was on a passthrough driver: its domain unseen. */
static bool blind;			/* under arm_mutex */
/* Slots may be claimed: only while the free probe is registered. */
static bool claims_open;		/* written under claim_lock */
static const void *untracked[UNTRACKED_MAX];	/* under claim_lock */
static bool untracked_overflow;			/* under claim_lock */
static unsigned int dma_slots_used;	/* written under claim_lock */
static unsigned int dma_slots_max;	/* set at init: 0 without shadow_dma */

static DEFINE_MUTEX(arm_mutex);
static bool armed;			/* written under arm_mutex */
static bool stopping;			/* under arm_mutex */
static bool dropped;			/* under arm_mutex: disarm dropped domains */
static unsigned long check_period;	/* jiffies, from shadow_check_ms */
static unsigned int arm_registrations;	/* under arm_mutex: this arming's */

/* Range memory: the cap, the work that grows the pools, dead chunks. */
static struct pthru_iv_cap mem_cap;
static bool pools_live;			/* under arm_mutex: armed, pools in use */
static bool arming;			/* under arm_mutex: first reserves */
static struct workqueue_struct *grow_wq;
static void grow_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(grow_work, grow_work_fn);
static DEFINE_SPINLOCK(dead_lock);	/* leaf lock */
static struct pthru_iv_chunk *dead_chunks;	/* under dead_lock */

/* Per CPU: every tracked map and unmap counts, and a shared line bounces. */
static DEFINE_PER_CPU(u64, total_maps);
static DEFINE_PER_CPU(u64, total_unmaps);
static atomic64_t total_lost = ATOMIC64_INIT(0);
static atomic64_t total_untracked = ATOMIC64_INIT(0);
static atomic64_t total_dma_untracked = ATOMIC64_INIT(0);
static atomic64_t total_unwrapped = ATOMIC64_INIT(0);

/*
 * Where domains are born.  A module (VFIO, vhost-vdpa) can only call the
 * exported allocators, so their returns see every userspace-owned domain;
 * a name the running kernel lacks is skipped.  The IOMMU core's static
 * __iommu_domain_alloc, behind both and behind the default domains, is
 * probed for shadow_dma=1 only.
 */
static const char * const alloc_names[] = {
	"iommu_domain_alloc",		/* 6.1: VFIO type1 */
	"iommu_paging_domain_alloc",	/* 6.12: VFIO type1 */
	"__iommu_domain_alloc",		/* DMA-API domains: shadow_dma=1 */
};
#define ALLOC_DMA_ONLY		2
static struct kretprobe alloc_probes[ARRAY_SIZE(alloc_names)];
static bool alloc_registered[ARRAY_SIZE(alloc_names)];	/* arm_mutex */
static bool dma_claims;		/* under claim_lock: DMA-API slots allowed */
/* Allocations the probes missed since load: domains never wrapped. */
static atomic64_t alloc_missed = ATOMIC64_INIT(0);
/* Why the shadow is not armed, when it could not be; under arm_mutex. */
static const char *arm_refused;

static void check_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(check_work, check_work_fn);

/* Free nodes a free slot keeps, for a new domain's first maps. */
static u32 idle_reserve(void)
{
	return DIV_ROUND_UP(shadow_ranges, SHADOW_IDLE_DIV);
}

/* Under the slot's lock: the free nodes grow_work tops @slot up to. */
static u32 slot_target(const struct shadow_slot *slot)
{
	return READ_ONCE(slot->domain) ? shadow_ranges : idle_reserve();
}

/*
 * Under the slot's lock, in any context: a map or a split may have taken
 * one of the last nodes of @slot's reserve.  Below half of shadow_ranges,
 * grow_work is asked once; until it has topped the reserve up, or while
 * it cannot (the cap, no memory), a handler does not ask again.
 */
static void grow_ask(struct shadow_slot *slot)
{
	if (slot->grow_asked || !pthru_iv_pool_low(&slot->pool, shadow_ranges))
		return;
	slot->grow_asked = true;
	mod_delayed_work(grow_wq, &grow_work, 0);
}

/*
 * Under arm_mutex, in process context: top @slot's reserve up.  Allocates
 * with GFP_KERNEL outside the slot's lock, then adds under it what the
 * slot still wants (it may have been claimed or released meanwhile), and
 * frees the rest.
 *
 * Return: 0, -ENOSPC when the cap refused a chunk, -ENOMEM when the
 * allocator failed one (what it got is added all the same).
 */
static int grow_slot(struct shadow_slot *slot)
{
	struct pthru_iv_chunk *list = NULL, *c;
	unsigned long flags;
	u32 want, got;
	int err;

	lockdep_assert_held(&arm_mutex);
	spin_lock_irqsave(&slot->lock, flags);
	want = pthru_iv_pool_chunks_wanted(&slot->pool, slot_target(slot));
	if (!want)
		slot->grow_asked = false;
	spin_unlock_irqrestore(&slot->lock, flags);
	if (!want)
		return 0;
	if (shadow_fail_grow && !arming) {
		atomic64_inc(&mem_cap.refused);
		return -ENOSPC;
	}
	err = pthru_iv_chunks_alloc(&mem_cap, want, GFP_KERNEL, &list, &got);

	spin_lock_irqsave(&slot->lock, flags);
	want = pthru_iv_pool_chunks_wanted(&slot->pool, slot_target(slot));
	for (; list && want; want--) {
		c = list;
		list = c->next;
		c->next = NULL;
		pthru_iv_pool_add_chunks(&slot->pool, c);
	}
	/* Asked again by the next handler that finds the reserve low. */
	if (!err)
		slot->grow_asked = false;
	spin_unlock_irqrestore(&slot->lock, flags);
	pthru_iv_chunks_free(&mem_cap, list);
	return err;
}

/*
 * Free the chunks released slots gave back, then top every slot's
 * reserve up.  A slot the cap refused is tried again when a release gives
 * memory back (that queues this work); one the allocator failed, after
 * SHADOW_GROW_RETRY.
 */
static void grow_work_fn(struct work_struct *work)
{
	struct pthru_iv_chunk *dead;
	unsigned long flags;
	bool retry = false;
	unsigned int i;

	spin_lock_irqsave(&dead_lock, flags);
	dead = dead_chunks;
	dead_chunks = NULL;
	spin_unlock_irqrestore(&dead_lock, flags);
	pthru_iv_chunks_free(&mem_cap, dead);

	mutex_lock(&arm_mutex);
	for (i = 0; pools_live && i < nr_slots; i++)
		retry |= grow_slot(&slots[i]) == -ENOMEM;
	mutex_unlock(&arm_mutex);
	if (retry)
		queue_delayed_work(grow_wq, &grow_work, SHADOW_GROW_RETRY);
}

static struct shadow_slot *slot_find(const struct iommu_domain *domain)
{
	unsigned int i;

	for (i = 0; i < nr_slots; i++)
		if (READ_ONCE(slots[i].domain) == domain)
			return &slots[i];
	return NULL;
}

/* Under claim_lock: forget @domain as untracked; was it? */
static bool untracked_forget(const void *domain)
{
	unsigned int i;

	for (i = 0; i < UNTRACKED_MAX; i++) {
		if (untracked[i] == domain) {
			untracked[i] = NULL;
			return true;
		}
	}
	return false;
}

/* Under claim_lock: @domain found no free slot. */
static void untracked_note(const void *domain)
{
	unsigned int i, free = UNTRACKED_MAX;

	for (i = 0; i < UNTRACKED_MAX; i++) {
		if (untracked[i] == domain)
			return;
		if (!untracked[i] && free == UNTRACKED_MAX)
			free = i;
	}
	if (free < UNTRACKED_MAX)
		untracked[free] = domain;
	else
		untracked_overflow = true;
}

/*
 * Under claim_lock: a free slot for @domain, or NULL (then noted, unless
 * @dma: a DMA-API domain, which is incomplete anyway).
 */
static struct shadow_slot *slot_claim(struct iommu_domain *domain, bool unmap,
				      bool dma)
{
	struct shadow_slot *slot = NULL;
	unsigned int i;

	/* Being torn down: no domain pointer past its free probe. */
	if (!claims_open)
		return NULL;
	if (dma && (!dma_claims || dma_slots_used >= dma_slots_max))
		return NULL;
	for (i = 0; !slot && i < nr_slots; i++) {
		if (slots[i].domain)
			continue;
		slot = &slots[i];
		spin_lock(&slot->lock);
		slot->id = next_id++;
		if (!next_id)
			next_id = 1;
		if (dma)
			slot->why = SLOT_DMA_API;
		else
			slot->why = (unmap ? SLOT_EARLY_UNMAP : 0) |
				    (untracked_forget(domain) ||
				     untracked_overflow ? SLOT_WAS_UNTRACKED : 0);
		/* From a free slot's reserve up to a tracked domain's. */
		grow_ask(slot);
		spin_unlock(&slot->lock);
		if (dma)
			WRITE_ONCE(dma_slots_used, dma_slots_used + 1);
		else
			pthru_flush_slot_start(i, slot->id, domain);
		WRITE_ONCE(slot->domain, domain);
		generation++;
	}
	if (!slot && !dma)
		untracked_note(domain);
	return slot;
}

/*
 * The slot of @domain, claiming a free one for a domain seen for the
 * first time.  Claims are rare (once per domain), so one lock for all of
 * them keeps two CPUs from claiming two slots for one new domain.
 */
static struct shadow_slot *slot_get(struct iommu_domain *domain, bool unmap,
				     bool dma)
{
	struct shadow_slot *slot = slot_find(domain);
	unsigned long flags;

	if (slot)
		return slot;
	/* No lock for every DMA-API call of a domain that cannot have one. */
	if (dma && READ_ONCE(dma_slots_used) >= dma_slots_max)
		return NULL;
	spin_lock_irqsave(&claim_lock, flags);
	slot = slot_find(domain);
	if (!slot)
		slot = slot_claim(domain, unmap, dma);
	spin_unlock_irqrestore(&claim_lock, flags);
	return slot;
}

/*
 * Under claim_lock: forget @slot's domain, if it is still @domain; every
 * node goes back to the pool.  Taking the slot's lock waits for a reader
 * that holds it (slot_copy(), a translation); one that takes it after
 * sees no domain.
 */
static void slot_release_locked(struct shadow_slot *slot,
				const struct iommu_domain *domain)
{
	struct pthru_iv_chunk *dead, *last;

	lockdep_assert_held(&claim_lock);
	if (!domain || slot->domain != domain)
		return;
	pthru_flush_slot_end(slot - slots);
	spin_lock(&slot->lock);
	pthru_iv_clear(&slot->store);
	dead = pthru_iv_pool_shrink(&slot->pool, idle_reserve());
	slot->grow_asked = false;
	if (slot->why & SLOT_DMA_API)
		WRITE_ONCE(dma_slots_used, dma_slots_used - 1);
	slot->why = 0;
	slot->id = 0;
	/*
	 * A call of the domain still in flight (a disarm releases the slots
	 * while the probes are armed) finds the slot not its own any more
	 * when it returns, and leaves it alone.
	 */
	slot->inflight = 0;
	slot->nr_recent = 0;
	slot->next_recent = 0;
	WRITE_ONCE(slot->domain, NULL);
	spin_unlock(&slot->lock);
	generation++;
	/* Freed by grow_work: a free probe's handler frees no memory. */
	if (dead) {
		spin_lock(&dead_lock);
		for (last = dead; last->next; last = last->next)
			;
		last->next = dead_chunks;
		dead_chunks = dead;
		spin_unlock(&dead_lock);
		mod_delayed_work(grow_wq, &grow_work, 0);
	}
}

/* @domain is being freed: release its slot, if it still has one. */
static void slot_release(struct shadow_slot *slot,
			 const struct iommu_domain *domain)
{
	unsigned long flags;

	spin_lock_irqsave(&claim_lock, flags);
	slot_release_locked(slot, domain);
	spin_unlock_irqrestore(&claim_lock, flags);
}

static bool dma_type(unsigned int type)
{
	return type == IOMMU_DOMAIN_DMA || type == IOMMU_DOMAIN_DMA_FQ;
}

/* Is @domain one to shadow?  @dma: a DMA-API one. */
static bool tracked_type(const struct iommu_domain *domain, bool *dma)
{
	unsigned int type;

	if (!domain)
		return false;
	type = READ_ONCE(domain->type);
	*dma = dma_type(type);
	return type == IOMMU_DOMAIN_UNMANAGED || (shadow_dma && *dma);
}

/*
 * A map or unmap of @domain starts: no translation until it returns.  Its
 * *_done() hook always follows.
 */
static void call_start(struct shadow_slot *slot, struct iommu_domain *domain)
{
	unsigned long flags;

	spin_lock_irqsave(&slot->lock, flags);
	if (READ_ONCE(slot->domain) == domain)
		slot->inflight++;
	spin_unlock_irqrestore(&slot->lock, flags);
}

/* Under the slot's lock: @call has returned; false if the slot is not its. */
static bool call_end(struct shadow_slot *slot,
		     const struct pthru_shadow_call *call)
{
	if (READ_ONCE(slot->domain) != call->domain)
		return false;
	if (!WARN_ON_ONCE(!slot->inflight))
		slot->inflight--;
	return true;
}

/**
 * pthru_shadow_call_begin() - a wrapped domain's map or unmap starts
 * @call: filled in, for the *_done() hook that must follow
 * @domain: the domain
 * @unmap: an unmap
 *
 * From the wrappers (domain_wrap.c), in any context.
 */
void pthru_shadow_call_begin(struct pthru_shadow_call *call,
			     struct iommu_domain *domain, bool unmap)
{
	struct shadow_slot *slot;
	bool dma;

	call->slot = NULL;
	call->domain = domain;
	if (!tracked_type(domain, &dma))
		return;
	slot = slot_get(domain, unmap, dma);
	if (!slot) {
		/* Torn down: a call that was on its way in. */
		if (!READ_ONCE(claims_open))
			return;
		if (dma) {
			atomic64_inc(&total_dma_untracked);
			return;
		}
		atomic64_inc(&total_untracked);
		if (!unmap)
			atomic64_inc(&total_lost);
		return;
	}
	call->slot = slot;
	call_start(slot, domain);
}

/**
 * pthru_shadow_map_done() - the driver's map of @call returned
 * @call: from pthru_shadow_call_begin()
 * @iova: where it mapped
 * @paddr: what
 * @size: the bytes it mapped (0: none)
 * @prot: IOMMU_READ, IOMMU_WRITE
 */
void pthru_shadow_map_done(struct pthru_shadow_call *call, u64 iova,
			   u64 paddr, u64 size, int prot)
{
	struct shadow_slot *slot = call->slot;
	unsigned long flags;
	int err = 0;

	if (!slot)
		return;
	if (size)
		this_cpu_inc(total_maps);
	spin_lock_irqsave(&slot->lock, flags);
	/* The domain is alive until its maps return: the slot is still its. */
	if (call_end(slot, call) && size) {
		err = pthru_iv_map(&slot->store, iova, size, paddr, prot);
		slot->changes++;
		grow_ask(slot);
	}
	spin_unlock_irqrestore(&slot->lock, flags);
	if (err)
		atomic64_inc(&total_lost);
}

/* Under the slot's lock: remember an unmap for the verification walk. */
static void recent_note(struct shadow_slot *slot, u64 iova, u64 size)
{
	struct pthru_iv_range *r = &slot->recent[slot->next_recent];

	r->iova = iova;
	r->size = size;
	r->phys = 0;
	r->prot = 0;
	slot->next_recent = (slot->next_recent + 1) % SHADOW_RECENT;
	if (slot->nr_recent < SHADOW_RECENT)
		slot->nr_recent++;
}

/**
 * pthru_shadow_unmap_done() - the driver's unmap of @call returned
 * @call: from pthru_shadow_call_begin()
 * @iova: where it unmapped
 * @size: the bytes it unmapped (0: none)
 */
void pthru_shadow_unmap_done(struct pthru_shadow_call *call, u64 iova,
			     u64 size)
{
	struct shadow_slot *slot = call->slot;
	unsigned long flags;

	if (!slot)
		return;
	if (size)
		this_cpu_inc(total_unmaps);
	spin_lock_irqsave(&slot->lock, flags);
	if (call_end(slot, call) && size) {
		pthru_iv_unmap(&slot->store, iova, size);
		recent_note(slot, iova, size);
		slot->changes++;
		/* A split takes a node too. */
		grow_ask(slot);
	}
	spin_unlock_irqrestore(&slot->lock, flags);
	/* Its flush (iotlb_sync) comes after this. */
	if (size)
		pthru_flush_unmap(slot - slots, call->domain);
}

/**
 * pthru_shadow_flushed() - a wrapped domain's IOTLB flush returned
 * @domain: the domain
 *
 * Closes the flush window of the unmaps before it.
 */
void pthru_shadow_flushed(struct iommu_domain *domain)
{
	struct shadow_slot *slot = slot_find(domain);

	if (slot)
		pthru_flush_synced(slot - slots, domain);
}

/**
 * pthru_shadow_freeing() - a wrapped domain is about to be freed
 * @domain: the domain, alive until this returns
 *
 * Releases its slot, under the slot's lock: no reader reaches the domain
 * afterwards.
 */
void pthru_shadow_freeing(struct iommu_domain *domain)
{
	struct shadow_slot *slot = slot_find(domain);
	unsigned long flags;

	if (!slot) {
		spin_lock_irqsave(&claim_lock, flags);
		untracked_forget(domain);
		spin_unlock_irqrestore(&claim_lock, flags);
		return;
	}
	slot_release(slot, domain);
	if (mode == SHADOW_AUTO)
		mod_delayed_work(system_wq, &check_work,
				 min_t(unsigned long, check_period, HZ));
}

/* A domain is born: wrap it when the shadow may track it. */
static int alloc_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct iommu_domain *domain = (void *)regs_return_value(regs);
	bool dma;
	int err;

	if (IS_ERR_OR_NULL(domain) || !tracked_type(domain, &dma) ||
	    !READ_ONCE(claims_open))
		return 0;
	err = pthru_wrap_domain(domain);
	if (err && err != -EEXIST && !dma)
		atomic64_inc(&total_unwrapped);
	return 0;
}

/* Is a PCI function other than @except bound to a passthrough driver? */
static bool passthrough_bound(const struct device *except)
{
	const struct device_driver *drv;
	struct pci_dev *pdev = NULL;
	bool found = false;

	for_each_pci_dev(pdev) {
		if (found || &pdev->dev == except)
			continue;
		drv = READ_ONCE(pdev->dev.driver);
		found = drv && pthru_driver_is_passthrough(drv->name);
	}
	return found;
}

/* Under arm_mutex, disarmed: every slot is released, every node free. */
static void free_nodes(void)
{
	struct pthru_iv_chunk *list;
	unsigned long flags;
	unsigned int i;

	lockdep_assert_held(&arm_mutex);
	pools_live = false;
	for (i = 0; i < nr_slots; i++) {
		spin_lock_irqsave(&slots[i].lock, flags);
		list = pthru_iv_pool_shrink(&slots[i].pool, 0);
		WARN_ON_ONCE(slots[i].pool.nr_total);
		spin_unlock_irqrestore(&slots[i].lock, flags);
		pthru_iv_chunks_free(&mem_cap, list);
	}
	spin_lock_irqsave(&dead_lock, flags);
	list = dead_chunks;
	dead_chunks = NULL;
	spin_unlock_irqrestore(&dead_lock, flags);
	pthru_iv_chunks_free(&mem_cap, list);
}

/* Under arm_mutex: the first reserves of every slot. */
static int alloc_nodes(void)
{
	struct shadow_slot *slot;
	unsigned long flags;
	unsigned int i;
	int err = 0;

	lockdep_assert_held(&arm_mutex);
	for (i = 0; i < nr_slots; i++) {
		slot = &slots[i];
		spin_lock_irqsave(&slot->lock, flags);
		pthru_iv_pool_init(&slot->pool);
		pthru_iv_init(&slot->store, &slot->pool);
		slot->grow_asked = false;
		spin_unlock_irqrestore(&slot->lock, flags);
	}
	pools_live = true;
	arming = true;
	for (i = 0; i < nr_slots && err != -ENOMEM; i++)
		err = grow_slot(&slots[i]);
	arming = false;
	if (err == -ENOMEM) {
		free_nodes();
		return err;
	}
	if (err)
		pr_warn("shadow: shadow_mem_max_mb=%llu leaves free slots short of their reserve\n",
			mem_cap.max >> 20);
	return 0;
}

/*
 * Under arm_mutex: 0, or an error when shadow_fail_arm (test only) says
 * that this, the arming's next probe registration, is to fail.
 */
static int fail_point(const char *what)
{
	lockdep_assert_held(&arm_mutex);
	arm_registrations++;
	if (!shadow_fail_arm || arm_registrations != shadow_fail_arm)
		return 0;
	pr_err("shadow: shadow_fail_arm=%u: failing registration %u (%s)\n",
	       shadow_fail_arm, arm_registrations, what);
	return -ENOMEM;
}

/*
 * Under arm_mutex: no slot holds a domain, and none can be claimed until
 * claims_open again.  Every map and unmap probe may still be registered:
 * a call of a released domain finds the slot not its own when it returns.
 */
static void release_all(void)
{
	struct iommu_domain *domain;
	unsigned long flags;
	unsigned int i;

	lockdep_assert_held(&arm_mutex);
	spin_lock_irqsave(&claim_lock, flags);
	claims_open = false;
	dma_claims = false;
	for (i = 0; i < nr_slots; i++) {
		domain = slots[i].domain;
		if (!domain)
			continue;
		/* A VFIO domain seen between the check and now: re-arm blind. */
		if (!(slots[i].why & SLOT_DMA_API))
			dropped = true;
		slot_release_locked(&slots[i], domain);
	}
	memset(untracked, 0, sizeof(untracked));
	untracked_overflow = false;
	spin_unlock_irqrestore(&claim_lock, flags);
}

/*
 * Under arm_mutex: undo what register_probes() did, whether all of it
 * (disarm, unload) or part (an error).  The order is the lifetime rule of
 * the comment at the top: first every slot goes, while every tracked
 * domain is still wrapped so that its free releases its slot, so that no
 * reader can reach a domain pointer any more and no wrapper can claim a
 * slot again; then the allocation probes, so that nothing is wrapped any
 * more; then every wrapped domain gets its driver's ops back; then the
 * flush probes; last, pthru_wrap_quiesce() waits until no CPU is or can
 * be inside a wrapper.  Each unregister waits until no handler of its
 * probe runs, so the pools can go after this.
 */
static void unregister_probes(void)
{
	unsigned int i;

	lockdep_assert_held(&arm_mutex);
	release_all();
	for (i = 0; i < ARRAY_SIZE(alloc_probes); i++) {
		if (!alloc_registered[i])
			continue;
		unregister_kretprobe(&alloc_probes[i]);
		/* Registering again zeroes the counts: keep them whole. */
		atomic64_add(alloc_probes[i].nmissed +
			     alloc_probes[i].kp.nmissed, &alloc_missed);
		alloc_registered[i] = false;
	}
	pthru_wrap_unwrap_all();
	pthru_flush_unregister();
	pthru_wrap_quiesce();
	/* The rule held: nothing claimed a slot after release_all(). */
	for (i = 0; i < nr_slots; i++)
		WARN_ON_ONCE(READ_ONCE(slots[i].domain));
}

/*
 * Under arm_mutex and @dev's device lock, shadow_dma=1: wrap @dev's
 * DMA-API domain when a host driver is bound to it (or being bound: the
 * gate's BIND_DRIVER).  The reasoning is wrap_dma_domains()'s.
 */
static void wrap_dma_domain(struct device *dev)
{
	const struct device_driver *drv = dev->driver;
	struct iommu_domain *domain;
	struct iommu_group *group;
	bool dma;

	if (!drv || pthru_driver_is_passthrough(drv->name))
		return;
	group = iommu_group_get(dev);
	if (!group)
		return;
	domain = iommu_get_domain_for_dev(dev);
	if (domain && tracked_type(domain, &dma) && dma)
		pthru_wrap_domain(domain);
	iommu_group_put(group);
}

/*
 * Under arm_mutex, shadow_dma=1: wrap the default domain of every
 * function bound to a host driver.  While the function's device lock is
 * held and a host driver (one that uses the DMA API, not a passthrough
 * one) is bound, its group cannot be handed to userspace, so the group's
 * domain is its default domain, and the group reference keeps that alive.
 * A device lock held elsewhere (@except, whose bind is under way, or any
 * other) is not waited for: that function's domain is left alone.
 */
static void wrap_dma_domains(const struct device *except)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		if (&pdev->dev == except || !device_trylock(&pdev->dev))
			continue;
		wrap_dma_domain(&pdev->dev);
		device_unlock(&pdev->dev);
	}
}

/*
 * Register the probes: the flush probes (flush_window_dma=1 only) before
 * the allocation probes, and the claims open before any domain is
 * wrapped.  On an error nothing is left registered, no domain wrapped and
 * no slot claimed.
 */
static int register_probes(const struct device *except)
{
	int maxactive = 8 * num_possible_cpus();
	unsigned long flags;
	unsigned int i, nr = 0;
	int err;

	pthru_flush_register(fail_point);
	spin_lock_irqsave(&claim_lock, flags);
	claims_open = true;
	dma_claims = shadow_dma;
	spin_unlock_irqrestore(&claim_lock, flags);

	for (i = 0; i < ARRAY_SIZE(alloc_probes); i++) {
		if (i == ALLOC_DMA_ONLY && !shadow_dma)
			continue;
		memset(&alloc_probes[i], 0, sizeof(alloc_probes[i]));
		alloc_probes[i].kp.symbol_name = alloc_names[i];
		alloc_probes[i].handler = alloc_return;
		alloc_probes[i].maxactive = maxactive;
		err = fail_point(alloc_names[i]);
		if (!err)
			err = register_kretprobe(&alloc_probes[i]);
		/* Not in this kernel. */
		if (err == -ENOENT || err == -EINVAL)
			continue;
		if (err) {
			pr_err("shadow: cannot probe %s: %d\n", alloc_names[i],
			       err);
			goto err;
		}
		alloc_registered[i] = true;
		nr++;
	}
	if (!nr) {
		arm_refused = "no domain allocator can be probed";
		pr_err("shadow: cannot wrap domains on this kernel: none of iommu_domain_alloc, iommu_paging_domain_alloc can be probed\n");
		err = -EOPNOTSUPP;
		goto err;
	}
	if (shadow_dma)
		wrap_dma_domains(except);
	return 0;

err:
	unregister_probes();
	return err;
}

/* Under arm_mutex.  @except: a function being bound right now. */
static int arm(const struct device *except)
{
	bool was_blind;
	int err;

	lockdep_assert_held(&arm_mutex);
	if (armed || stopping || mode == SHADOW_OFF)
		return 0;
	arm_registrations = 0;
	arm_refused = NULL;
	was_blind = dropped || passthrough_bound(except);
	err = alloc_nodes();
	if (err) {
		pr_err("shadow: cannot allocate %u x %u ranges\n", nr_slots,
		       idle_reserve());
		arm_refused = "no memory for the first reserves";
		return err;
	}
	err = register_probes(except);
	if (err) {
		free_nodes();
		if (!arm_refused)
			arm_refused = "a probe could not be registered";
		pr_err("shadow: not armed (%d): no probe left, no domain wrapped\n",
		       err);
		return err;
	}
	blind = was_blind;
	dropped = false;
	WRITE_ONCE(armed, true);
	pr_info("shadow: armed (%u domains, reserve %u ranges, memory cap %llu MiB%s)%s\n",
		nr_slots, shadow_ranges, mem_cap.max >> 20,
		shadow_dma ? ", DMA-API domains too" : "",
		was_blind ? "; domains userspace made before now are not tracked" : "");
	if (mode == SHADOW_AUTO)
		mod_delayed_work(system_wq, &check_work, check_period);
	return 0;
}

/* Under arm_mutex. */
static void disarm(void)
{
	lockdep_assert_held(&arm_mutex);
	if (!armed)
		return;
	unregister_probes();
	WRITE_ONCE(armed, false);
	free_nodes();
	pr_info("shadow: disarmed\n");
}

/* DMA-API domains live as long as their devices: they keep nothing armed. */
static bool any_slot_used(void)
{
	unsigned int i;

	for (i = 0; i < nr_slots; i++)
		if (READ_ONCE(slots[i].domain) &&
		    !(READ_ONCE(slots[i].why) & SLOT_DMA_API))
			return true;
	return false;
}

static void check_work_fn(struct work_struct *work)
{
	mutex_lock(&arm_mutex);
	if (armed && !stopping && mode == SHADOW_AUTO) {
		if (!any_slot_used() && !passthrough_bound(NULL))
			disarm();
		else
			mod_delayed_work(system_wq, &check_work,
					 check_period);
	}
	mutex_unlock(&arm_mutex);
}

/**
 * pthru_shadow_bind() - a PCI function is being bound to a driver
 * @dev: the function; dev->driver is set, its probe has not run
 *
 * Called by the bind gate at BUS_NOTIFY_BIND_DRIVER, in the binding
 * thread, which holds @dev's device lock (may sleep).  Arms the shadow for
 * a passthrough driver, before the driver can hand the function to
 * userspace.  With shadow_dma=1 and the shadow armed, a host driver's
 * function gets its DMA-API domain wrapped.
 */
void pthru_shadow_bind(struct device *dev)
{
	const struct device_driver *drv = dev->driver;

	if (!drv)
		return;
	if (!pthru_driver_is_passthrough(drv->name)) {
		if (shadow_dma) {
			mutex_lock(&arm_mutex);
			if (armed)
				wrap_dma_domain(dev);
			mutex_unlock(&arm_mutex);
		}
		return;
	}
	if (mode != SHADOW_AUTO)
		return;
	/*
	 * No lockless "already armed" shortcut: the periodic check may be
	 * disarming right now (armed until its probes are gone), having
	 * found nothing bound before this function; arm() under the mutex
	 * sees the outcome and arms again.
	 */
	mutex_lock(&arm_mutex);
	arm(dev);
	mutex_unlock(&arm_mutex);
}

/**
 * pthru_shadow_init() - read the parameters, arm when needed
 *
 * Return: 0, or -EINVAL for a bad parameter, -ENOMEM.  Failing to arm is
 * reported and is not an error: the module works without the shadow.
 */
int pthru_shadow_init(void)
{
	u64 mem_max;
	unsigned int i;

	if (!strcmp(shadow, "auto")) {
		mode = SHADOW_AUTO;
	} else if (!strcmp(shadow, "on")) {
		mode = SHADOW_ON;
	} else if (!strcmp(shadow, "off")) {
		mode = SHADOW_OFF;
	} else {
		pr_err("shadow=%s: expected auto, on or off\n", shadow);
		return -EINVAL;
	}
	if (!shadow_domains || shadow_domains > SHADOW_MAX_DOMAINS ||
	    shadow_ranges < SHADOW_MIN_RANGES ||
	    shadow_ranges > SHADOW_MAX_RANGES) {
		pr_err("shadow_domains=%u shadow_ranges=%u: out of range (1-%d, %d-%u)\n",
		       shadow_domains, shadow_ranges, SHADOW_MAX_DOMAINS,
		       SHADOW_MIN_RANGES, SHADOW_MAX_RANGES);
		return -EINVAL;
	}
	if (shadow_check_ms < SHADOW_CHECK_MIN_MS ||
	    shadow_check_ms > SHADOW_CHECK_MAX_MS) {
		pr_err("shadow_check_ms=%u: out of range (%d-%d)\n",
		       shadow_check_ms, SHADOW_CHECK_MIN_MS, SHADOW_CHECK_MAX_MS);
		return -EINVAL;
	}
	if (shadow_mem_max_mb > SHADOW_MEM_MAX_MB) {
		pr_err("shadow_mem_max_mb=%u: out of range (0 for 1/256 of RAM, or 1-%d)\n",
		       shadow_mem_max_mb, SHADOW_MEM_MAX_MB);
		return -EINVAL;
	}
	if (shadow_mem_max_mb)
		mem_max = (u64)shadow_mem_max_mb << 20;
	else
		mem_max = max_t(u64, ((u64)totalram_pages() << PAGE_SHIFT) / 256,
				(u64)SHADOW_MEM_AUTO_MIN_MB << 20);
	pthru_iv_cap_init(&mem_cap, mem_max);
	check_period = msecs_to_jiffies(shadow_check_ms);
	grow_wq = alloc_workqueue("pthru_shadow_grow", WQ_UNBOUND | WQ_HIGHPRI,
				  1);
	if (!grow_wq)
		return -ENOMEM;
	slots = kcalloc(shadow_domains, sizeof(*slots), GFP_KERNEL);
	if (!slots) {
		destroy_workqueue(grow_wq);
		grow_wq = NULL;
		return -ENOMEM;
	}
	if (pthru_flush_init(shadow_domains)) {
		kfree(slots);
		slots = NULL;
		destroy_workqueue(grow_wq);
		grow_wq = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < shadow_domains; i++)
		spin_lock_init(&slots[i].lock);
	nr_slots = shadow_domains;
	dma_slots_max = shadow_dma ? nr_slots / 2 : 0;

	mutex_lock(&arm_mutex);
	if (mode == SHADOW_ON || (mode == SHADOW_AUTO && passthrough_bound(NULL)))
		arm(NULL);
	mutex_unlock(&arm_mutex);
	return 0;
}

/**
 * pthru_shadow_gate_ready() - the bind gate's notifier is registered
 *
 * A function bound to a passthrough driver between pthru_shadow_init()
 * and the gate's registration was seen by neither: arm for it now (blind,
 * since its domain may already hold mappings).
 */
void pthru_shadow_gate_ready(void)
{
	mutex_lock(&arm_mutex);
	if (mode == SHADOW_AUTO && passthrough_bound(NULL))
		arm(NULL);
	mutex_unlock(&arm_mutex);
}

/**
 * pthru_shadow_exit() - disarm and free
 *
 * The bind gate must be gone: nothing arms again after this.
 */
void pthru_shadow_exit(void)
{
	/* Disarm first: the free probe's handler queues the check. */
	mutex_lock(&arm_mutex);
	stopping = true;
	disarm();
	mutex_unlock(&arm_mutex);
	cancel_delayed_work_sync(&check_work);
	/* Disarmed: no handler asks for it again; dead chunks went too. */
	cancel_delayed_work_sync(&grow_work);
	destroy_workqueue(grow_wq);
	grow_wq = NULL;
	WARN_ON_ONCE(atomic64_read(&mem_cap.used));
	pthru_flush_exit();
	kfree(slots);
	slots = NULL;
	nr_slots = 0;
}

/*
 * Under arm_mutex: allocations the probes missed since load (kretprobe
 * maxactive, or another probe's handler on the CPU): domains that were
 * never wrapped.
 */
static u64 missed_allocs(void)
{
	u64 n = atomic64_read(&alloc_missed);
	unsigned int i;

	lockdep_assert_held(&arm_mutex);
	for (i = 0; i < ARRAY_SIZE(alloc_probes); i++)
		if (alloc_registered[i])
			n += READ_ONCE(alloc_probes[i].nmissed) +
			     READ_ONCE(alloc_probes[i].kp.nmissed);
	return n;
}

/* Copy @slot when it is in use; false when it is free. */
static bool slot_copy(u32 idx, struct pthru_shadow_domain *out)
{
	struct shadow_slot *slot = &slots[idx];
	unsigned long flags;
	bool used;

	spin_lock_irqsave(&slot->lock, flags);
	out->domain = READ_ONCE(slot->domain);
	used = out->domain;
	if (used) {
		out->idx = idx;
		out->id = slot->id;
		out->st = slot->store.st;
		out->incomplete = out->st.incomplete || slot->why;
		out->dma_api = slot->why & SLOT_DMA_API;
		out->lost = out->st.lost;
		/* Alive: the free probe releases the slot under this lock. */
		out->pgsize_bitmap = slot->domain->pgsize_bitmap;
		/* DMA becomes DMA-FQ in place (the group's type in sysfs). */
		out->type = pthru_domain_type_of(slot->domain);
		out->changes = slot->changes;
		out->nodes_free = slot->pool.nr_free;
		out->nodes_total = slot->pool.nr_total;
	}
	spin_unlock_irqrestore(&slot->lock, flags);
	if (!used)
		return false;
	out->page_size = out->pgsize_bitmap ?
			 1ULL << __ffs64(out->pgsize_bitmap) : PAGE_SIZE;
	return true;
}

/**
 * pthru_shadow_next() - the next tracked domain of a walk
 * @idx: the slot to start at (0 for the first); advanced past the one found
 * @out: the domain
 *
 * Return: false when no slot at or after @idx is in use.
 */
bool pthru_shadow_next(u32 *idx, struct pthru_shadow_domain *out)
{
	for (; *idx < nr_slots; (*idx)++) {
		if (slot_copy(*idx, out)) {
			(*idx)++;
			out->group_id = pthru_shadow_group_of(out->domain);
			return true;
		}
	}
	return false;
}

/**
 * pthru_shadow_reread() - copy a tracked domain again
 * @d: the domain, from pthru_shadow_next() or a find; updated
 *
 * The verification walk calls this before it reads the ranges it checks:
 * pthru_shadow_translate() answers only while the store is as it was
 * then.  @d->group_id is kept.
 *
 * Return: false when the domain is gone.
 */
bool pthru_shadow_reread(struct pthru_shadow_domain *d)
{
	struct pthru_shadow_domain cur;

	if (d->idx >= nr_slots || !slot_copy(d->idx, &cur) ||
	    cur.domain != d->domain || cur.id != d->id)
		return false;
	cur.group_id = d->group_id;
	*d = cur;
	return true;
}

/**
 * pthru_shadow_find_id() - the tracked domain numbered @id
 * @id: pthru's number for it
 * @out: the domain
 *
 * Return: false when no tracked domain has that number.
 */
bool pthru_shadow_find_id(u32 id, struct pthru_shadow_domain *out)
{
	u32 idx = 0;

	while (pthru_shadow_next(&idx, out))
		if (out->id == id)
			return true;
	return false;
}

/* The domain @group_id's functions are attached to, compared only. */
static const void *group_domain(u32 group_id)
{
	const void *domain = NULL;
	struct iommu_group *group;
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		if (domain)
			continue;
		group = iommu_group_get(&pdev->dev);
		if (!group)
			continue;
		if (iommu_group_id(group) == group_id)
			domain = iommu_get_domain_for_dev(&pdev->dev);
		iommu_group_put(group);
	}
	return domain;
}

/**
 * pthru_shadow_find_group() - the tracked domain of an IOMMU group
 * @group_id: the group
 * @out: the domain
 *
 * Return: false when the group has no domain, or one that is not tracked.
 */
bool pthru_shadow_find_group(u32 group_id, struct pthru_shadow_domain *out)
{
	const void *domain = group_domain(group_id);
	u32 idx = 0;

	if (!domain)
		return false;
	while (pthru_shadow_next(&idx, out))
		if (out->domain == domain)
			return true;
	return false;
}

/**
 * pthru_shadow_group_of() - the IOMMU group attached to a domain
 * @domain: from a struct pthru_shadow_domain; only compared
 *
 * Several groups can share one VFIO domain; this is the lowest-numbered.
 *
 * Return: the group number, or -1 when no PCI function is attached to it.
 */
s32 pthru_shadow_group_of(const void *domain)
{
	struct iommu_group *group;
	struct pci_dev *pdev = NULL;
	s32 best = -1;
	int id;

	for_each_pci_dev(pdev) {
		group = iommu_group_get(&pdev->dev);
		if (!group)
			continue;
		id = iommu_group_id(group);
		if (iommu_get_domain_for_dev(&pdev->dev) == domain &&
		    (best < 0 || id < best))
			best = id;
		iommu_group_put(group);
	}
	return best;
}

/* Run @fn on @d's store under its lock, if the slot still holds @d. */
static bool with_store(const struct pthru_shadow_domain *d, u64 key,
		       struct pthru_iv_range *out,
		       bool (*fn)(const struct pthru_iv_store *s, u64 key,
				  struct pthru_iv_range *out))
{
	struct shadow_slot *slot;
	unsigned long flags;
	bool found = false;

	if (d->idx >= nr_slots)
		return false;
	slot = &slots[d->idx];
	spin_lock_irqsave(&slot->lock, flags);
	if (READ_ONCE(slot->domain) == d->domain && slot->id == d->id)
		found = fn(&slot->store, key, out);
	spin_unlock_irqrestore(&slot->lock, flags);
	return found;
}

/**
 * pthru_shadow_get() - copy the next range of a walk of one domain
 * @d: the domain, from pthru_shadow_next() or a find
 * @from: 0 to start, then the end of the last range copied
 * @out: the range
 *
 * Return: false when no range ends after @from, or the domain is gone.
 */
bool pthru_shadow_get(const struct pthru_shadow_domain *d, u64 from,
		      struct pthru_iv_range *out)
{
	return with_store(d, from, out, pthru_iv_get);
}

static bool lookup_one(const struct pthru_iv_store *s, u64 iova,
		       struct pthru_iv_range *out)
{
	const struct pthru_iv_node *v = pthru_iv_lookup(s, iova);

	if (!v)
		return false;
	out->iova = v->iova;
	out->size = v->size;
	out->phys = pthru_iv_phys(v);
	out->prot = pthru_iv_prot(v);
	return true;
}

/**
 * pthru_shadow_lookup() - the range of a domain that contains @iova
 * @d: the domain
 * @iova: the address
 * @out: the range
 *
 * Return: false when none does, or the domain is gone.
 */
bool pthru_shadow_lookup(const struct pthru_shadow_domain *d, u64 iova,
			 struct pthru_iv_range *out)
{
	return with_store(d, iova, out, lookup_one);
}

/* The slot of @d under its lock, or NULL (unlocked) when @d is gone. */
static struct shadow_slot *slot_lock(const struct pthru_shadow_domain *d,
				     unsigned long *flags)
{
	struct shadow_slot *slot;

	if (d->idx >= nr_slots)
		return NULL;
	slot = &slots[d->idx];
	spin_lock_irqsave(&slot->lock, *flags);
	if (READ_ONCE(slot->domain) == d->domain && slot->id == d->id)
		return slot;
	spin_unlock_irqrestore(&slot->lock, *flags);
	return NULL;
}

/**
 * pthru_shadow_translate() - what the IOMMU translates an IOVA of @d to
 * @d: the domain, as pthru_shadow_reread() last copied it
 * @iova: the address
 * @phys: where the translation goes
 *
 * Runs iommu_iova_to_phys() under the slot's lock, so that the domain
 * stays alive and no map or unmap of it starts meanwhile.  It answers only
 * when no map or unmap of the domain is in flight, none was recorded since
 * @d was copied (the caller's view of the ranges still holds) and the
 * probes have missed no call (then the count of calls in flight is not
 * to be trusted).  The IOMMU API reads an untranslated IOVA as 0.
 *
 * Return: PTHRU_XLATE_MAPPED with @phys set, PTHRU_XLATE_NONE, or
 * PTHRU_XLATE_BUSY when it cannot tell now (or @d is gone).
 */
enum pthru_xlate pthru_shadow_translate(const struct pthru_shadow_domain *d,
					u64 iova, u64 *phys)
{
	enum pthru_xlate x = PTHRU_XLATE_BUSY;
	struct shadow_slot *slot;
	unsigned long flags;
	phys_addr_t pa;

	slot = slot_lock(d, &flags);
	if (!slot)
		return PTHRU_XLATE_BUSY;
	if (!slot->inflight && slot->changes == d->changes) {
		pa = iommu_iova_to_phys(slot->domain, iova);
		*phys = pa;
		x = pa ? PTHRU_XLATE_MAPPED : PTHRU_XLATE_NONE;
	}
	spin_unlock_irqrestore(&slot->lock, flags);
	return x;
}

/**
 * pthru_shadow_recent_unmaps() - the last unmaps recorded in @d
 * @d: the domain
 * @out: where they go, the most recent first; @phys and @prot are 0
 * @max: room in @out
 *
 * Return: how many were copied (0 when @d is gone).
 */
u32 pthru_shadow_recent_unmaps(const struct pthru_shadow_domain *d,
			       struct pthru_iv_range *out, u32 max)
{
	struct shadow_slot *slot;
	unsigned long flags;
	u32 i, n, pos;

	slot = slot_lock(d, &flags);
	if (!slot)
		return 0;
	n = min(max, slot->nr_recent);
	pos = slot->next_recent;
	for (i = 0; i < n; i++) {
		pos = (pos + SHADOW_RECENT - 1) % SHADOW_RECENT;
		out[i] = slot->recent[pos];
	}
	spin_unlock_irqrestore(&slot->lock, flags);
	return n;
}

/**
 * pthru_shadow_totals() - the shadow as a whole
 * @t: filled in
 */
void pthru_shadow_totals(struct pthru_shadow_totals *t)
{
	struct pthru_wrap_stats ws;
	unsigned int cpu;
	struct pthru_shadow_domain d;
	unsigned long flags;
	u32 idx = 0;

	memset(t, 0, sizeof(*t));
	t->armed = READ_ONCE(armed);
	while (pthru_shadow_next(&idx, &d)) {
		t->domains++;
		t->ranges += d.st.nr_ranges;
		if (d.incomplete)
			t->incomplete_domains++;
	}
	for_each_possible_cpu(cpu) {
		/* One u64 a CPU, read whole on a 64-bit kernel. */
		t->maps += READ_ONCE(per_cpu(total_maps, cpu));
		t->unmaps += READ_ONCE(per_cpu(total_unmaps, cpu));
	}
	t->lost = atomic64_read(&total_lost);
	t->unwrapped = atomic64_read(&total_unwrapped);
	pthru_wrap_get_stats(&ws);
	t->wrapped = ws.wrapped;
	mutex_lock(&arm_mutex);
	t->missed = missed_allocs();
	if (armed)
		t->status = PTHRU_SHADOW_STATUS_ARMED;
	else if (mode == SHADOW_OFF)
		t->status = PTHRU_SHADOW_STATUS_OFF;
	else if (arm_refused)
		t->status = PTHRU_SHADOW_STATUS_REFUSED;
	else
		t->status = PTHRU_SHADOW_STATUS_DISARMED;
	t->refused_why = armed ? NULL : arm_refused;
	t->blind = armed && blind;
	mutex_unlock(&arm_mutex);
	t->mem_used = atomic64_read(&mem_cap.used);
	t->mem_max = mem_cap.max;
	t->mem_refused = atomic64_read(&mem_cap.refused);
	t->mem_failed = atomic64_read(&mem_cap.failed);
	t->untracked = atomic64_read(&total_untracked);
	t->dma_untracked = atomic64_read(&total_dma_untracked);
	spin_lock_irqsave(&claim_lock, flags);
	t->generation = generation;
	spin_unlock_irqrestore(&claim_lock, flags);
}
