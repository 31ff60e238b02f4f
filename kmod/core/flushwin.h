/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The deferred-flush window: how long an unmapped IOVA stays translatable
 * because the IOTLB flush that covers it comes later (a DMA-FQ domain
 * queues its unmaps and flushes them together), and how many unmapped
 * ranges wait at each flush.
 *
 * Two pieces, both allocation-free and O(1) per event (a flush is O(the
 * entries it consumes)), for kprobe handlers in atomic context:
 *
 *  - a log2 histogram with count, sum and max, mergeable (per domain into
 *    global) and with percentile estimates;
 *  - a bounded ring of pending unmaps per domain: an unmap queues its
 *    timestamp, a flush consumes every entry not newer than itself and
 *    records each one's wait and how many waited.  When the ring is full
 *    an unmap is still counted as waiting, so the depth histogram stays
 *    exact, but its wait cannot be timed: it counts in @overflows.  So
 *    for a domain, at any time,
 *
 *	unmaps == wait.count + overflows + dropped + (timed entries pending)
 *
 *    and no unmap goes unaccounted for.
 *
 * Locking is the caller's: a window and its ring are serialised by the
 * domain's lock (spin_lock_irqsave() in the observer).  Timestamps are
 * nanoseconds from one clock (ktime_get_ns()), taken under that lock so
 * that the ring is in time order.
 */
#ifndef _PTHRU_CORE_FLUSHWIN_H
#define _PTHRU_CORE_FLUSHWIN_H

#include <linux/types.h>

#define PTHRU_FW_BUCKETS	32

/*
 * Bucket 0 of the wait histogram is below 2^10 ns (about 1 us); bucket k
 * (1..30) is [2^(k + 9), 2^(k + 10)) ns; bucket 31 is from 2^40 ns (about
 * 18 minutes) up.  The depth histogram counts ranges: bucket 0 is 0,
 * bucket k is [2^(k - 1), 2^k).
 */
#define PTHRU_FW_WAIT_SHIFT	10
#define PTHRU_FW_DEPTH_SHIFT	0

/**
 * struct pthru_fw_hist - a log2 histogram
 * @bucket: counts; see pthru_fw_hist_bucket() for the bounds
 * @count: values recorded, the sum of @bucket
 * @sum: sum of the values, saturating at U64_MAX
 * @max: largest value recorded
 * @shift: bucket 0 holds values below 2^@shift
 */
struct pthru_fw_hist {
	u64 bucket[PTHRU_FW_BUCKETS];
	u64 count;
	u64 sum;
	u64 max;
	u32 shift;
};

/**
 * struct pthru_fw_window - the flush-window statistics of a domain, or of
 *	all domains after merging
 * @wait: nanoseconds from an unmap to the flush that covered it
 * @depth: unmapped ranges waiting at each flush
 * @unmaps: unmaps queued, timed or not
 * @flushes: flushes seen
 * @overflows: unmaps whose wait could not be timed (the ring was full)
 * @dropped: timed unmaps still waiting when the ring was reset (the
 *	domain went away without a flush pthru saw); untimed ones are
 *	already in @overflows
 */
struct pthru_fw_window {
	struct pthru_fw_hist wait;
	struct pthru_fw_hist depth;
	u64 unmaps;
	u64 flushes;
	u64 overflows;
	u64 dropped;
};

/**
 * struct pthru_fw_ring - unmaps waiting for their flush, oldest first
 * @slot: caller-provided array of @mask + 1 timestamps
 * @mask: number of slots minus one (the number is a power of two)
 * @head: index of the oldest entry
 * @len: entries held
 * @untimed: unmaps waiting that did not fit, all newer than every entry
 *	(once one did not fit, later unmaps queue behind it here too)
 * @untimed_last: timestamp of the newest of @untimed
 */
struct pthru_fw_ring {
	u64 *slot;
	u32 mask;
	u32 head;
	u32 len;
	u64 untimed;
	u64 untimed_last;
};

void pthru_fw_hist_init(struct pthru_fw_hist *h, u32 shift);
unsigned int pthru_fw_hist_bucket(const struct pthru_fw_hist *h, u64 v);
u64 pthru_fw_hist_bucket_max(const struct pthru_fw_hist *h, unsigned int k);
void pthru_fw_hist_record(struct pthru_fw_hist *h, u64 v);
int pthru_fw_hist_merge(struct pthru_fw_hist *dst,
			const struct pthru_fw_hist *src);
u64 pthru_fw_hist_percentile(const struct pthru_fw_hist *h, u32 permille);

void pthru_fw_window_init(struct pthru_fw_window *w);
int pthru_fw_window_merge(struct pthru_fw_window *dst,
			  const struct pthru_fw_window *src);

int pthru_fw_ring_init(struct pthru_fw_ring *r, u64 *slots, u32 nr);
void pthru_fw_unmap(struct pthru_fw_window *w, struct pthru_fw_ring *r,
		    u64 now);
u64 pthru_fw_flush(struct pthru_fw_window *w, struct pthru_fw_ring *r,
		   u64 now);
u64 pthru_fw_ring_reset(struct pthru_fw_window *w, struct pthru_fw_ring *r);

/**
 * pthru_fw_ring_pending() - unmaps waiting for a flush
 * @r: the ring
 *
 * Return: the entries held plus those that did not fit.
 */
static inline u64 pthru_fw_ring_pending(const struct pthru_fw_ring *r)
{
	return r->len + r->untimed;
}

#endif /* _PTHRU_CORE_FLUSHWIN_H */
