// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred-flush window statistics.  flushwin.h describes the histogram
 * bounds, the pending-unmap ring and its overflow rule, and the locking.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "flushwin.h"

/**
 * pthru_fw_hist_init() - make an empty histogram
 * @h: the histogram
 * @shift: bucket 0 holds values below 2^@shift (at most 63)
 */
void pthru_fw_hist_init(struct pthru_fw_hist *h, u32 shift)
{
	memset(h, 0, sizeof(*h));
	h->shift = min_t(u32, shift, 63);
}

/**
 * pthru_fw_hist_bucket() - the bucket a value falls in
 * @h: the histogram
 * @v: the value
 *
 * Bucket 0 is [0, 2^shift); bucket k (1 to PTHRU_FW_BUCKETS - 2) is
 * [2^(k - 1 + shift), 2^(k + shift)); the last bucket takes everything
 * from 2^(PTHRU_FW_BUCKETS - 2 + shift) up.
 *
 * Return: the bucket index.
 */
unsigned int pthru_fw_hist_bucket(const struct pthru_fw_hist *h, u64 v)
{
	u64 scaled = v >> h->shift;

	return scaled ? min_t(unsigned int, fls64(scaled), PTHRU_FW_BUCKETS - 1)
		      : 0;
}

/**
 * pthru_fw_hist_bucket_max() - the largest value a bucket can hold
 * @h: the histogram
 * @k: a bucket index
 *
 * Return: 2^(@k + shift) - 1, or U64_MAX for the last bucket (and for any
 * bucket whose bound does not fit in 64 bits).
 */
u64 pthru_fw_hist_bucket_max(const struct pthru_fw_hist *h, unsigned int k)
{
	if (k >= PTHRU_FW_BUCKETS - 1 || k + h->shift >= 64)
		return U64_MAX;
	return (1ULL << (k + h->shift)) - 1;
}

/**
 * pthru_fw_hist_record() - count one value
 * @h: the histogram
 * @v: the value
 *
 * O(1), allocates nothing.
 */
void pthru_fw_hist_record(struct pthru_fw_hist *h, u64 v)
{
	h->bucket[pthru_fw_hist_bucket(h, v)]++;
	h->count++;
	if (check_add_overflow(h->sum, v, &h->sum))
		h->sum = U64_MAX;
	if (v > h->max)
		h->max = v;
}

/**
 * pthru_fw_hist_merge() - add one histogram into another
 * @dst: the histogram added to (a global one, say)
 * @src: the histogram added (a domain's)
 *
 * Return: 0, or -EINVAL when the two have different bucket bounds
 * (nothing is added then).
 */
int pthru_fw_hist_merge(struct pthru_fw_hist *dst,
			const struct pthru_fw_hist *src)
{
	unsigned int k;

	if (dst->shift != src->shift)
		return -EINVAL;
	for (k = 0; k < PTHRU_FW_BUCKETS; k++)
		dst->bucket[k] += src->bucket[k];
	dst->count += src->count;
	if (check_add_overflow(dst->sum, src->sum, &dst->sum))
		dst->sum = U64_MAX;
	dst->max = max(dst->max, src->max);
	return 0;
}

/**
 * pthru_fw_hist_percentile() - estimate a percentile from the buckets
 * @h: the histogram
 * @permille: which one, in thousandths (500 for p50, 990 for p99, 999 for
 *	p99.9); above 1000 counts as 1000
 *
 * The estimate is the upper bound of the bucket holding the value of rank
 * ceil(count * permille / 1000) (at least 1), capped at the largest value
 * recorded.  It is never below the true percentile; below the last bucket
 * it is less than twice the true value, or at most the bucket 0 bound.
 *
 * Return: the estimate, 0 for an empty histogram.
 */
u64 pthru_fw_hist_percentile(const struct pthru_fw_hist *h, u32 permille)
{
	u64 rank, seen = 0;
	unsigned int k;

	if (!h->count)
		return 0;
	permille = min_t(u32, permille, 1000);
	/* count * permille could overflow; split count by 1000 first. */
	rank = h->count / 1000 * permille +
	       DIV_ROUND_UP((h->count % 1000) * permille, 1000);
	rank = max_t(u64, rank, 1);
	for (k = 0; k < PTHRU_FW_BUCKETS; k++) {
		seen += h->bucket[k];
		if (seen >= rank)
			return min(pthru_fw_hist_bucket_max(h, k), h->max);
	}
	/* Unreachable while count is the sum of the buckets. */
	return h->max;
}

/**
 * pthru_fw_window_init() - make empty window statistics
 * @w: the statistics
 */
void pthru_fw_window_init(struct pthru_fw_window *w)
{
	memset(w, 0, sizeof(*w));
	pthru_fw_hist_init(&w->wait, PTHRU_FW_WAIT_SHIFT);
	pthru_fw_hist_init(&w->depth, PTHRU_FW_DEPTH_SHIFT);
}

/**
 * pthru_fw_window_merge() - add a domain's statistics into global ones
 * @dst: the statistics added to
 * @src: the statistics added
 *
 * Return: 0, or -EINVAL when the histograms' bounds differ (nothing is
 * added then).
 */
int pthru_fw_window_merge(struct pthru_fw_window *dst,
			  const struct pthru_fw_window *src)
{
	if (dst->wait.shift != src->wait.shift ||
	    dst->depth.shift != src->depth.shift)
		return -EINVAL;
	pthru_fw_hist_merge(&dst->wait, &src->wait);
	pthru_fw_hist_merge(&dst->depth, &src->depth);
	dst->unmaps += src->unmaps;
	dst->flushes += src->flushes;
	dst->overflows += src->overflows;
	dst->dropped += src->dropped;
	return 0;
}

/**
 * pthru_fw_ring_init() - make an empty ring of pending unmaps
 * @r: the ring
 * @slots: caller-provided storage for @nr timestamps
 * @nr: number of slots, a power of two
 *
 * Return: 0, or -EINVAL when @nr is not a power of two (or above 2^31).
 */
int pthru_fw_ring_init(struct pthru_fw_ring *r, u64 *slots, u32 nr)
{
	memset(r, 0, sizeof(*r));
	if (!slots || !is_power_of_2(nr) || nr > 1U << 31)
		return -EINVAL;
	r->slot = slots;
	r->mask = nr - 1;
	return 0;
}

/**
 * pthru_fw_unmap() - an unmap now waits for its flush
 * @w: the domain's statistics
 * @r: the domain's ring
 * @now: the unmap's timestamp, ns
 *
 * O(1).  When the ring is full the unmap still waits, untimed (see
 * flushwin.h), and counts in @overflows.
 */
void pthru_fw_unmap(struct pthru_fw_window *w, struct pthru_fw_ring *r,
		    u64 now)
{
	w->unmaps++;
	/* Behind an untimed unmap, queue untimed too, to stay in order. */
	if (r->untimed || r->len > r->mask) {
		r->untimed++;
		r->untimed_last = now;
		w->overflows++;
		return;
	}
	r->slot[(r->head + r->len) & r->mask] = now;
	r->len++;
}

/**
 * pthru_fw_flush() - a flush covers the unmaps queued before it
 * @w: the domain's statistics
 * @r: the domain's ring
 * @now: the flush's timestamp, ns
 *
 * Consumes, oldest first, every pending unmap not newer than @now and
 * records its wait; untimed unmaps go once every timed one has, if the
 * newest of them is not newer than @now.  Records the number consumed in
 * the depth histogram, 0 included.  O(1) per unmap consumed.
 *
 * Return: the number of unmaps the flush covered.
 */
u64 pthru_fw_flush(struct pthru_fw_window *w, struct pthru_fw_ring *r,
		   u64 now)
{
	u64 done = 0;

	w->flushes++;
	while (r->len && r->slot[r->head] <= now) {
		pthru_fw_hist_record(&w->wait, now - r->slot[r->head]);
		r->head = (r->head + 1) & r->mask;
		r->len--;
		done++;
	}
	if (!r->len && r->untimed && r->untimed_last <= now) {
		done += r->untimed;
		r->untimed = 0;
	}
	pthru_fw_hist_record(&w->depth, done);
	return done;
}

/**
 * pthru_fw_ring_reset() - forget the pending unmaps
 * @w: the domain's statistics
 * @r: the domain's ring
 *
 * For a domain that goes away: what still waits was not seen flushed.
 * Timed entries count in @dropped, untimed ones are in @overflows already;
 * none goes in the histograms.
 *
 * Return: the number of unmaps dropped, timed and untimed.
 */
u64 pthru_fw_ring_reset(struct pthru_fw_window *w, struct pthru_fw_ring *r)
{
	u64 n = pthru_fw_ring_pending(r);

	w->dropped += r->len;
	r->head = 0;
	r->len = 0;
	r->untimed = 0;
	r->untimed_last = 0;
	return n;
}
