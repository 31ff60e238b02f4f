// SPDX-License-Identifier: GPL-2.0
/*
 * The deferred-flush window of the domains the shadow tracks, and, with
 * flush_window_dma=1, of DMA-API domains.
 *
 * Tracked domains: driver-neutral, from the shadow's wrapped ops
 * (domain_wrap.c).  The unmap wrapper queues the unmap's time in its
 * domain's ring (pthru_flush_unmap()); the wrapped .iotlb_sync and
 * .flush_iotlb_all, when the driver's returns, consume every unmap queued
 * before (pthru_flush_synced()): the wait histogram gets each one's wait,
 * the depth histogram how many waited (core/flushwin.h).  No probe is
 * involved, whatever the IOMMU driver.
 *
 * What it measures.  The shadow tracks IOMMU_DOMAIN_UNMANAGED domains,
 * which are strict: VFIO type1 syncs right after its unmaps, in batches of
 * up to 512 (VFIO_IOMMU_TLB_SYNC_MAX) before it unpins the pages.  So the
 * window measured is short, and that is the honest figure.
 *
 * DMA-API domains (DMA, DMA-FQ), with flush_window_dma=1 only: their ops
 * are not wrapped (the shadow leaves the host's own DMA alone), so this
 * is the one place probes remain, and only then.  A kretprobe on
 * __iommu_unmap queues their unmaps in a window per domain, up to
 * FLUSH_DMA_SLOTS domains claimed on their first unmap (more count in
 * dma_untracked); kprobes on the IOMMU drivers' .iotlb_sync and
 * .flush_iotlb_all callbacks (intel_iommu_tlb_sync, intel_flush_iotlb_all,
 * and the AMD and virtio-iommu ones where they exist; virtio_iommu is a
 * module, loaded before the arming or not probed: the core's
 * iommu_iotlb_sync() is a static inline, and the flush queue's
 * fq_flush_iotlb calls the driver's flush_iotlb_all) close them; kprobes
 * on iommu_domain_free and the
 * drivers' domain free callbacks release a domain's slot.  These windows
 * merge into one "dma" window, apart from the VFIO one.  They are armed
 * with the shadow (shadow=on measures DMA-API domains without a
 * passthrough bind), and every DMA-API unmap pays the kretprobe then: off
 * by default.  A symbol that the running kernel lacks is skipped and
 * pthru_flush_armed() tells which probes are armed.
 *
 * A flush that covers only part of a domain
 * (a gather's range) is counted as covering every unmap queued before it;
 * a driver that syncs a range at a time would make the waits look shorter
 * than they are, never longer.
 *
 * Memory and locking.  One window and one ring of FLUSH_RING_SLOTS
 * timestamps per shadow slot, allocated at load.  A window is under its
 * own spinlock (irqsave; handlers run with preemption off, possibly in
 * IRQ), timestamps taken under it.  When the shadow releases a slot, its
 * window merges into gone_win, the windows of domains that went away
 * (a DMA-API domain's into dma_gone);
 * that is done under gone_lock, which readers of the global window hold
 * for their whole read, so a window is counted once, live or gone.  Lock
 * order: the shadow's claim_lock, gone_lock, a window's lock.
 */
#include <linux/atomic.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "flush_probe.h"

/*
 * Pending unmaps timed per domain.  A strict domain holds at most one
 * VFIO batch (512) pending; past this many, unmaps still count, untimed.
 */
#define FLUSH_RING_SLOTS	1024
/* DMA-API domains timed at once: a guest or host has a handful of groups. */
#define FLUSH_DMA_SLOTS		16

static bool flush_window_dma;
module_param(flush_window_dma, bool, 0444);
MODULE_PARM_DESC(flush_window_dma, "also measure the deferred-flush window of DMA-API (DMA, DMA-FQ) domains while the shadow is armed; every DMA unmap pays a kretprobe (default off)");

struct flush_slot {
	spinlock_t lock;		/* everything below */
	const void *domain;		/* NULL: slot free; compared only */
	u32 id;
	struct pthru_fw_window win;
	struct pthru_fw_ring ring;
};

static struct flush_slot *fslots;
static u64 *ring_mem;
static unsigned int nr_fslots;

static DEFINE_SPINLOCK(gone_lock);
static struct pthru_fw_window gone_win;	/* under gone_lock */
static struct pthru_fw_window dma_gone;	/* under gone_lock */

/* DMA-API domains; NULL unless flush_window_dma. */
static const char * const free_names[] = {
	"iommu_domain_free",
	"intel_iommu_domain_free",
	"amd_iommu_domain_free",
	"viommu_domain_free",
};
static struct kprobe free_probes[ARRAY_SIZE(free_names)];
static bool free_armed[ARRAY_SIZE(free_names)];	/* (un)register only */
static struct flush_slot *dslots;
static u64 *dma_ring_mem;
static unsigned int nr_dslots;
static DEFINE_SPINLOCK(dma_claim_lock);	/* claims of dslots */
static atomic64_t dma_untracked = ATOMIC64_INIT(0);
static struct kretprobe dma_unmap_probe;
static bool dma_armed;			/* written by (un)register only */

static const char * const probe_names[PTHRU_FLUSH_NR_PROBES] = {
	[PTHRU_FLUSH_INTEL_SYNC] = "intel_iommu_tlb_sync",
	[PTHRU_FLUSH_INTEL_ALL] = "intel_flush_iotlb_all",
	[PTHRU_FLUSH_AMD_SYNC] = "amd_iommu_iotlb_sync",
	[PTHRU_FLUSH_AMD_ALL] = "amd_iommu_flush_iotlb_all",
	[PTHRU_FLUSH_VIRTIO_SYNC] = "viommu_iotlb_sync",
	[PTHRU_FLUSH_VIRTIO_ALL] = "viommu_flush_iotlb_all",
};

static struct kprobe probes[PTHRU_FLUSH_NR_PROBES];
static unsigned long armed_mask;	/* written by (un)register only */

/*
 * Per CPU: flush_pre() runs on every IOTLB flush of every domain, the
 * strict DMA API's included, and a shared counter would bounce one cache
 * line between all the CPUs that flush.  Summed when read.
 */
struct flush_call_counts {
	u64 n[PTHRU_FLUSH_NR_PROBES];
};
static DEFINE_PER_CPU(struct flush_call_counts, flush_calls);

/*
 * Timestamps of the window: the scheduler's clock, which reads the TSC
 * where the kernel trusts it for that, and costs no clocksource read (an
 * HPET read is a slow MMIO access, and 6.1 under QEMU uses the HPET as its
 * clocksource).  Not strictly monotonic across CPUs; an unmap and its
 * flush are mostly on one CPU, and the error is far below a bucket.
 */
static u64 flush_now(void)
{
	return local_clock();
}

static struct flush_slot *slot_of(struct flush_slot *fss, unsigned int nr,
				  const void *domain)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (READ_ONCE(fss[i].domain) == domain)
			return &fss[i];
	return NULL;
}

/*
 * An unmap (@flush false) or a flush of @domain in @fs's window, if @fs
 * still holds it: it may have been released, maybe reused, since the
 * caller's unlocked compare.
 */
static void window_event(struct flush_slot *fs, const void *domain, bool flush)
{
	unsigned long flags;

	spin_lock_irqsave(&fs->lock, flags);
	if (fs->domain == domain) {
		if (flush)
			pthru_fw_flush(&fs->win, &fs->ring, flush_now());
		else
			pthru_fw_unmap(&fs->win, &fs->ring, flush_now());
	}
	spin_unlock_irqrestore(&fs->lock, flags);
}

static int flush_pre(struct kprobe *p, struct pt_regs *regs)
{
	const void *domain = (void *)regs_get_kernel_argument(regs, 0);
	struct flush_slot *fs;

	this_cpu_inc(flush_calls.n[p - probes]);
	/* A tracked domain's flushes come through its wrapped ops. */
	fs = slot_of(dslots, READ_ONCE(nr_dslots), domain);
	if (fs)
		window_event(fs, domain, true);
	return 0;
}

static void slot_reset(struct flush_slot *fs, u64 *ring, const void *domain)
{
	pthru_fw_window_init(&fs->win);
	pthru_fw_ring_init(&fs->ring, ring, FLUSH_RING_SLOTS);
	WRITE_ONCE(fs->domain, domain);
}

/* The slot of DMA-API @domain, claiming a free one; NULL when full. */
static struct flush_slot *dma_slot_get(const void *domain)
{
	struct flush_slot *fs = slot_of(dslots, nr_dslots, domain);
	unsigned long flags;
	unsigned int i;

	if (fs)
		return fs;
	spin_lock_irqsave(&dma_claim_lock, flags);
	fs = slot_of(dslots, nr_dslots, domain);
	for (i = 0; !fs && i < nr_dslots; i++) {
		if (dslots[i].domain)
			continue;
		fs = &dslots[i];
		spin_lock(&fs->lock);
		slot_reset(fs, dma_ring_mem + (size_t)i * FLUSH_RING_SLOTS,
			   domain);
		spin_unlock(&fs->lock);
	}
	spin_unlock_irqrestore(&dma_claim_lock, flags);
	return fs;
}

static bool dma_type(const struct iommu_domain *domain)
{
	unsigned int type = domain ? READ_ONCE(domain->type) : 0;

	return type == IOMMU_DOMAIN_DMA || type == IOMMU_DOMAIN_DMA_FQ;
}

static int dma_unmap_entry(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct iommu_domain *domain =
		(void *)regs_get_kernel_argument(regs, 0);

	if (!dma_type(domain))
		return 1;
	*(const void **)ri->data = domain;
	return 0;
}

static int dma_unmap_return(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	const void *domain = *(const void **)ri->data;
	struct flush_slot *fs;

	if (!regs_return_value(regs))
		return 0;
	fs = dma_slot_get(domain);
	if (!fs) {
		atomic64_inc(&dma_untracked);
		return 0;
	}
	window_event(fs, domain, false);
	return 0;
}

/*
 * A domain is being freed (flush_window_dma=1): a DMA-API domain's window
 * goes into the global "dma" one, its slot to the next domain.
 */
static void dma_domain_free(const void *domain)
{
	struct flush_slot *fs;
	unsigned long flags;

	if (!domain)
		return;
	fs = slot_of(dslots, READ_ONCE(nr_dslots), domain);
	if (!fs)
		return;
	spin_lock_irqsave(&gone_lock, flags);
	spin_lock(&fs->lock);
	if (fs->domain == domain) {
		pthru_fw_ring_reset(&fs->win, &fs->ring);
		pthru_fw_window_merge(&dma_gone, &fs->win);
		pthru_fw_window_init(&fs->win);
		WRITE_ONCE(fs->domain, NULL);
	}
	spin_unlock(&fs->lock);
	spin_unlock_irqrestore(&gone_lock, flags);
}

/**
 * pthru_flush_unmap() - a tracked domain's unmap returned
 * @idx: the domain's shadow slot
 * @domain: the domain; ignored unless the slot still holds it
 *
 * From the shadow's unmap wrapper (any context).
 */
void pthru_flush_unmap(u32 idx, const void *domain)
{
	if (idx < nr_fslots)
		window_event(&fslots[idx], domain, false);
}

/**
 * pthru_flush_synced() - a tracked domain's IOTLB flush returned
 * @idx: the domain's shadow slot
 * @domain: the domain; ignored unless the slot still holds it
 *
 * From the shadow's wrapped iotlb_sync and flush_iotlb_all (any context):
 * every unmap queued before it has waited until now.
 */
void pthru_flush_synced(u32 idx, const void *domain)
{
	if (idx < nr_fslots)
		window_event(&fslots[idx], domain, true);
}

/**
 * pthru_flush_slot_start() - the shadow claimed a slot for a domain
 * @idx: the slot
 * @id: pthru's number for the domain
 * @domain: the domain, compared only
 *
 * Under the shadow's claim_lock.  The slot's window starts empty.
 */
void pthru_flush_slot_start(u32 idx, u32 id, const void *domain)
{
	struct flush_slot *fs;
	unsigned long flags;

	if (idx >= nr_fslots)
		return;
	fs = &fslots[idx];
	spin_lock_irqsave(&fs->lock, flags);
	fs->id = id;
	slot_reset(fs, ring_mem + (size_t)idx * FLUSH_RING_SLOTS, domain);
	spin_unlock_irqrestore(&fs->lock, flags);
}

/**
 * pthru_flush_slot_end() - the shadow released a slot
 * @idx: the slot
 *
 * Under the shadow's claim_lock.  Unmaps still waiting count as dropped;
 * the window goes into the global one.
 */
void pthru_flush_slot_end(u32 idx)
{
	struct flush_slot *fs;
	unsigned long flags;

	if (idx >= nr_fslots)
		return;
	fs = &fslots[idx];
	spin_lock_irqsave(&gone_lock, flags);
	spin_lock(&fs->lock);
	if (fs->domain) {
		pthru_fw_ring_reset(&fs->win, &fs->ring);
		pthru_fw_window_merge(&gone_win, &fs->win);
		pthru_fw_window_init(&fs->win);
		fs->id = 0;
		WRITE_ONCE(fs->domain, NULL);
	}
	spin_unlock(&fs->lock);
	spin_unlock_irqrestore(&gone_lock, flags);
}

/**
 * pthru_flush_domain() - copy one tracked domain's window
 * @idx: its shadow slot
 * @id: its number, from the shadow
 * @out: the window
 *
 * Return: false when the slot no longer holds that domain.
 */
bool pthru_flush_domain(u32 idx, u32 id, struct pthru_fw_window *out)
{
	struct flush_slot *fs;
	unsigned long flags;
	bool found;

	pthru_fw_window_init(out);
	if (idx >= nr_fslots)
		return false;
	fs = &fslots[idx];
	spin_lock_irqsave(&fs->lock, flags);
	found = fs->domain && fs->id == id;
	if (found)
		*out = fs->win;
	spin_unlock_irqrestore(&fs->lock, flags);
	return found;
}

/**
 * pthru_flush_global() - every window since load, live and gone, merged
 * @out: the window
 */
void pthru_flush_global(struct pthru_fw_window *out)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&gone_lock, flags);
	*out = gone_win;
	for (i = 0; i < nr_fslots; i++) {
		spin_lock(&fslots[i].lock);
		if (fslots[i].domain)
			pthru_fw_window_merge(out, &fslots[i].win);
		spin_unlock(&fslots[i].lock);
	}
	spin_unlock_irqrestore(&gone_lock, flags);
}

/**
 * pthru_flush_dma() - the windows of DMA-API domains, live and gone
 * @out: the window, empty without flush_window_dma
 * @untracked: unmaps of DMA-API domains that found no free slot
 *
 * Return: flush_window_dma.
 */
bool pthru_flush_dma(struct pthru_fw_window *out, u64 *untracked)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&gone_lock, flags);
	*out = dma_gone;
	for (i = 0; i < nr_dslots; i++) {
		spin_lock(&dslots[i].lock);
		if (dslots[i].domain)
			pthru_fw_window_merge(out, &dslots[i].win);
		spin_unlock(&dslots[i].lock);
	}
	spin_unlock_irqrestore(&gone_lock, flags);
	*untracked = atomic64_read(&dma_untracked);
	return nr_dslots;
}

/*
 * Every DMA-API domain forgotten: after a disarm nothing sees their
 * flushes or frees, and a pointer may come back as another domain.
 */
static void dma_release_all(void)
{
	unsigned int i;

	for (i = 0; i < nr_dslots; i++)
		dma_domain_free(READ_ONCE(dslots[i].domain));
}

static int free_pre(struct kprobe *p, struct pt_regs *regs)
{
	dma_domain_free((void *)regs_get_kernel_argument(regs, 0));
	return 0;
}

/**
 * pthru_flush_register() - arm the invalidation probes
 * @fail: the shadow's fault injection (test only): called before each
 *	registration, an error from it stands for the registration's
 *
 * With the shadow's arming; does nothing without flush_window_dma.  A
 * callback the kernel does not have is skipped quietly; so is one that
 * cannot be probed, with a note.  pthru_flush_unregister() undoes it.
 */
void pthru_flush_register(int (*fail)(const char *what))
{
	unsigned int i;
	int err;

	if (!nr_dslots)
		return;
	/* Frees first: no DMA-API slot is claimed before they are seen. */
	for (i = 0; i < ARRAY_SIZE(free_probes); i++) {
		memset(&free_probes[i], 0, sizeof(free_probes[i]));
		free_probes[i].symbol_name = free_names[i];
		free_probes[i].pre_handler = free_pre;
		err = fail(free_names[i]);
		if (!err)
			err = register_kprobe(&free_probes[i]);
		free_armed[i] = !err;
		if (err && err != -ENOENT && err != -EINVAL)
			pr_notice("flush window: cannot probe %s: %d\n",
				  free_names[i], err);
	}
	if (!free_armed[0]) {
		pr_notice("flush window: iommu_domain_free cannot be probed: DMA-API windows are not measured\n");
		pthru_flush_unregister();
		return;
	}
	for (i = 0; i < PTHRU_FLUSH_NR_PROBES; i++) {
		memset(&probes[i], 0, sizeof(probes[i]));
		probes[i].symbol_name = probe_names[i];
		probes[i].pre_handler = flush_pre;
		err = fail(probe_names[i]);
		if (!err)
			err = register_kprobe(&probes[i]);
		if (!err)
			set_bit(i, &armed_mask);
		else if (err != -ENOENT && err != -EINVAL)
			pr_notice("flush window: cannot probe %s: %d\n",
				  probe_names[i], err);
	}
	if (!armed_mask)
		pr_notice("flush window: no invalidation callback could be probed; DMA-API waits are not measured\n");
	memset(&dma_unmap_probe, 0, sizeof(dma_unmap_probe));
	dma_unmap_probe.kp.symbol_name = "__iommu_unmap";
	dma_unmap_probe.entry_handler = dma_unmap_entry;
	dma_unmap_probe.handler = dma_unmap_return;
	dma_unmap_probe.data_size = sizeof(void *);
	dma_unmap_probe.maxactive = 8 * num_possible_cpus();
	err = fail("__iommu_unmap for DMA-API domains");
	if (!err)
		err = register_kretprobe(&dma_unmap_probe);
	if (err)
		pr_notice("flush window: cannot probe __iommu_unmap for DMA-API domains: %d\n",
			  err);
	dma_armed = !err;
}

/**
 * pthru_flush_unregister() - disarm the invalidation probes
 *
 * Waits for their handlers to finish.
 */
void pthru_flush_unregister(void)
{
	unsigned int i;

	if (dma_armed)
		unregister_kretprobe(&dma_unmap_probe);
	dma_armed = false;
	for (i = 0; i < PTHRU_FLUSH_NR_PROBES; i++)
		if (test_and_clear_bit(i, &armed_mask))
			unregister_kprobe(&probes[i]);
	/* With the frees gone, a slot's domain pointer may come back. */
	for (i = 0; i < ARRAY_SIZE(free_probes); i++) {
		if (free_armed[i])
			unregister_kprobe(&free_probes[i]);
		free_armed[i] = false;
	}
	dma_release_all();
}

/**
 * pthru_flush_armed() - which probes are armed
 *
 * Return: a mask of BIT(enum pthru_flush_probe).
 */
unsigned long pthru_flush_armed(void)
{
	return READ_ONCE(armed_mask);
}

/**
 * pthru_flush_probe_name() - the function a probe is on
 * @probe: an enum pthru_flush_probe
 *
 * Return: its name, "?" out of range.
 */
const char *pthru_flush_probe_name(unsigned int probe)
{
	return probe < PTHRU_FLUSH_NR_PROBES ? probe_names[probe] : "?";
}

/**
 * pthru_flush_calls() - calls a probe saw, of any domain, since load
 * @probe: an enum pthru_flush_probe
 *
 * Return: the count.
 */
u64 pthru_flush_calls(unsigned int probe)
{
	unsigned int cpu;
	u64 n = 0;

	if (probe >= PTHRU_FLUSH_NR_PROBES)
		return 0;
	/* A CPU's count is one u64, read whole on a 64-bit kernel. */
	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu(flush_calls.n[probe], cpu));
	return n;
}

/**
 * pthru_flush_missed() - calls the armed probes missed
 *
 * Return: the sum of their nmissed.
 */
u64 pthru_flush_missed(void)
{
	unsigned long mask = READ_ONCE(armed_mask);
	unsigned int i;
	u64 n = 0;

	for (i = 0; i < PTHRU_FLUSH_NR_PROBES; i++)
		if (mask & BIT(i))
			n += READ_ONCE(probes[i].nmissed);
	if (READ_ONCE(dma_armed))
		n += READ_ONCE(dma_unmap_probe.nmissed);
	return n;
}

/**
 * pthru_flush_init() - allocate a window and a ring per shadow slot
 * @nr_slots: the shadow's slots
 *
 * Return: 0 or -ENOMEM.
 */
int pthru_flush_init(unsigned int nr_slots)
{
	unsigned int i;

	pthru_fw_window_init(&gone_win);
	pthru_fw_window_init(&dma_gone);
	if (flush_window_dma) {
		dslots = kcalloc(FLUSH_DMA_SLOTS, sizeof(*dslots), GFP_KERNEL);
		dma_ring_mem = kvcalloc(FLUSH_DMA_SLOTS * FLUSH_RING_SLOTS,
					sizeof(*dma_ring_mem), GFP_KERNEL);
		if (!dslots || !dma_ring_mem)
			goto err;
		for (i = 0; i < FLUSH_DMA_SLOTS; i++)
			spin_lock_init(&dslots[i].lock);
	}
	fslots = kcalloc(nr_slots, sizeof(*fslots), GFP_KERNEL);
	ring_mem = kvcalloc((size_t)nr_slots * FLUSH_RING_SLOTS,
			    sizeof(*ring_mem), GFP_KERNEL);
	if (!fslots || !ring_mem)
		goto err;
	for (i = 0; i < nr_slots; i++) {
		spin_lock_init(&fslots[i].lock);
		pthru_fw_window_init(&fslots[i].win);
	}
	nr_fslots = nr_slots;
	if (dslots)
		nr_dslots = FLUSH_DMA_SLOTS;
	return 0;

err:
	pthru_flush_exit();
	return -ENOMEM;
}

/**
 * pthru_flush_exit() - free; the probes must be unregistered
 */
void pthru_flush_exit(void)
{
	nr_fslots = 0;
	nr_dslots = 0;
	kvfree(ring_mem);
	kfree(fslots);
	kvfree(dma_ring_mem);
	kfree(dslots);
	ring_mem = NULL;
	fslots = NULL;
	dma_ring_mem = NULL;
	dslots = NULL;
}
