// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the deferred-flush window statistics: histogram bounds,
 * count/sum/max, merging, percentiles, and the pending-unmap ring with its
 * overflow accounting.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "../flushwin.h"

static void fw_bucket_bounds(struct kunit *test)
{
	struct pthru_fw_hist wait, depth;
	unsigned int k;

	pthru_fw_hist_init(&wait, PTHRU_FW_WAIT_SHIFT);
	pthru_fw_hist_init(&depth, PTHRU_FW_DEPTH_SHIFT);

	/* Wait: bucket 0 is under ~1 us, the last one from 2^40 ns up. */
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, 0), 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, 1023), 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, 1024), 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, 2047), 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, 2048), 2);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, 10000000), 14);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, (1ULL << 40) - 1), 30);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, 1ULL << 40), 31);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&wait, U64_MAX), 31);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket_max(&wait, 0), 1023);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket_max(&wait, 1), 2047);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket_max(&wait, 30), (1ULL << 40) - 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket_max(&wait, 31), U64_MAX);

	/* Depth: 0, 1, [2, 4), [4, 8), ... */
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&depth, 0), 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&depth, 1), 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&depth, 2), 2);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&depth, 3), 2);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&depth, 4), 3);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&depth, 256), 9);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket(&depth, 1U << 30), 31);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket_max(&depth, 0), 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket_max(&depth, 1), 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_bucket_max(&depth, 2), 3);

	/* Every inner bucket: its two edges land in it, and its max is right. */
	for (k = 1; k < PTHRU_FW_BUCKETS - 1; k++) {
		u64 lo = 1ULL << (k - 1 + PTHRU_FW_WAIT_SHIFT);
		u64 hi = (1ULL << (k + PTHRU_FW_WAIT_SHIFT)) - 1;

		KUNIT_EXPECT_EQ_MSG(test, pthru_fw_hist_bucket(&wait, lo), k,
				    "bucket %u", k);
		KUNIT_EXPECT_EQ_MSG(test, pthru_fw_hist_bucket(&wait, hi), k,
				    "bucket %u", k);
		KUNIT_EXPECT_EQ_MSG(test, pthru_fw_hist_bucket(&wait, lo - 1), k - 1,
				    "bucket %u", k);
		KUNIT_EXPECT_EQ_MSG(test, pthru_fw_hist_bucket_max(&wait, k), hi,
				    "bucket %u", k);
	}
}

static void fw_count_sum_max(struct kunit *test)
{
	struct pthru_fw_hist h;

	pthru_fw_hist_init(&h, PTHRU_FW_WAIT_SHIFT);
	pthru_fw_hist_record(&h, 5);
	pthru_fw_hist_record(&h, 1500);
	pthru_fw_hist_record(&h, 3000000);
	pthru_fw_hist_record(&h, 700);
	KUNIT_EXPECT_EQ(test, h.count, 4);
	KUNIT_EXPECT_EQ(test, h.sum, 3002205);
	KUNIT_EXPECT_EQ(test, h.max, 3000000);
	KUNIT_EXPECT_EQ(test, h.bucket[0], 2);
	KUNIT_EXPECT_EQ(test, h.bucket[1], 1);
	/* 3000000 >> 10 = 2929, whose top bit is bit 11: bucket 12. */
	KUNIT_EXPECT_EQ(test, h.bucket[12], 1);

	/* The sum saturates rather than wrapping. */
	pthru_fw_hist_record(&h, U64_MAX - 10);
	KUNIT_EXPECT_EQ(test, h.sum, U64_MAX);
	KUNIT_EXPECT_EQ(test, h.max, U64_MAX - 10);
	KUNIT_EXPECT_EQ(test, h.bucket[PTHRU_FW_BUCKETS - 1], 1);
	KUNIT_EXPECT_EQ(test, h.count, 5);
}

static void fw_merge(struct kunit *test)
{
	/* Three windows and a histogram are too much for the stack. */
	struct pthru_fw_window *w = kunit_kcalloc(test, 3, sizeof(*w), GFP_KERNEL);
	struct pthru_fw_window *a, *b, *g;
	struct pthru_fw_hist odd;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, w);
	a = &w[0];
	b = &w[1];
	g = &w[2];
	pthru_fw_window_init(a);
	pthru_fw_window_init(b);
	pthru_fw_window_init(g);
	pthru_fw_hist_record(&a->wait, 100);
	pthru_fw_hist_record(&a->wait, 5000);
	pthru_fw_hist_record(&b->wait, 200);
	pthru_fw_hist_record(&b->wait, 9000000);
	pthru_fw_hist_record(&b->depth, 3);
	a->unmaps = 2;
	a->flushes = 1;
	b->unmaps = 7;
	b->flushes = 4;
	b->overflows = 3;
	b->dropped = 1;

	KUNIT_EXPECT_EQ(test, pthru_fw_window_merge(g, a), 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_window_merge(g, b), 0);
	KUNIT_EXPECT_EQ(test, g->wait.count, 4);
	KUNIT_EXPECT_EQ(test, g->wait.sum, 9005300);
	KUNIT_EXPECT_EQ(test, g->wait.max, 9000000);
	KUNIT_EXPECT_EQ(test, g->wait.bucket[0], 2);
	KUNIT_EXPECT_EQ(test, g->wait.bucket[3], 1);
	KUNIT_EXPECT_EQ(test, g->wait.bucket[14], 1);
	KUNIT_EXPECT_EQ(test, g->depth.count, 1);
	KUNIT_EXPECT_EQ(test, g->depth.bucket[2], 1);
	KUNIT_EXPECT_EQ(test, g->unmaps, 9);
	KUNIT_EXPECT_EQ(test, g->flushes, 5);
	KUNIT_EXPECT_EQ(test, g->overflows, 3);
	KUNIT_EXPECT_EQ(test, g->dropped, 1);
	/* The sources are untouched. */
	KUNIT_EXPECT_EQ(test, a->wait.count, 2);
	KUNIT_EXPECT_EQ(test, b->wait.max, 9000000);

	/* Different bounds do not mix: refused, nothing added. */
	pthru_fw_hist_init(&odd, 4);
	pthru_fw_hist_record(&odd, 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_merge(&g->wait, &odd), -EINVAL);
	KUNIT_EXPECT_EQ(test, g->wait.count, 4);
	a->depth.shift = 3;
	KUNIT_EXPECT_EQ(test, pthru_fw_window_merge(g, a), -EINVAL);
	KUNIT_EXPECT_EQ(test, g->unmaps, 9);
	KUNIT_EXPECT_EQ(test, g->wait.count, 4);
}

static void fw_percentiles(struct kunit *test)
{
	struct pthru_fw_hist h, d;
	unsigned int i;

	pthru_fw_hist_init(&h, PTHRU_FW_WAIT_SHIFT);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 500), 0);

	for (i = 0; i < 90; i++)
		pthru_fw_hist_record(&h, 500);		/* bucket 0 */
	for (i = 0; i < 9; i++)
		pthru_fw_hist_record(&h, 5000);		/* bucket 3 */
	pthru_fw_hist_record(&h, 1000000);		/* bucket 10 */

	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 0), 1023);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 500), 1023);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 900), 1023);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 901), 8191);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 990), 8191);
	/* Bucket 10 ends at 2^20 - 1, but nothing above the max was seen. */
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 991), 1000000);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 1000), 1000000);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&h, 5000), 1000000);

	/* The rank rounds up: of 0, 1, 7, p33 is the 1st value, p34 the 2nd. */
	pthru_fw_hist_init(&d, PTHRU_FW_DEPTH_SHIFT);
	pthru_fw_hist_record(&d, 0);
	pthru_fw_hist_record(&d, 1);
	pthru_fw_hist_record(&d, 7);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&d, 330), 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&d, 340), 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&d, 500), 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&d, 667), 7);

	/* Counts near 2^64 must not overflow the rank. */
	pthru_fw_hist_init(&d, PTHRU_FW_DEPTH_SHIFT);
	d.bucket[5] = U64_MAX / 2;
	d.bucket[9] = U64_MAX / 2;
	d.count = U64_MAX - 1;
	d.max = U64_MAX;
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&d, 500), 31);
	KUNIT_EXPECT_EQ(test, pthru_fw_hist_percentile(&d, 501), 511);
}

static void fw_ring_init(struct kunit *test)
{
	struct pthru_fw_ring r;
	u64 slots[8];

	KUNIT_EXPECT_EQ(test, pthru_fw_ring_init(&r, slots, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_init(&r, slots, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_init(&r, slots, 6), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_init(&r, NULL, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_init(&r, slots, 1), 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_init(&r, slots, 8), 0);
	KUNIT_EXPECT_EQ(test, r.mask, 7);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 0);
}

static void fw_ring_flush(struct kunit *test)
{
	struct pthru_fw_window w;
	struct pthru_fw_ring r;
	u64 slots[4];

	pthru_fw_window_init(&w);
	KUNIT_ASSERT_EQ(test, pthru_fw_ring_init(&r, slots, 4), 0);

	pthru_fw_unmap(&w, &r, 100);
	pthru_fw_unmap(&w, &r, 200);
	pthru_fw_unmap(&w, &r, 300);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 3);
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 3000), 3);
	KUNIT_EXPECT_EQ(test, w.wait.count, 3);
	KUNIT_EXPECT_EQ(test, w.wait.sum, 2900 + 2800 + 2700);
	KUNIT_EXPECT_EQ(test, w.wait.max, 2900);
	KUNIT_EXPECT_EQ(test, w.wait.bucket[2], 3);
	KUNIT_EXPECT_EQ(test, w.depth.bucket[2], 1);	/* 3 waited */
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 0);

	/* A flush with nothing pending still counts, at depth 0. */
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 4000), 0);
	KUNIT_EXPECT_EQ(test, w.depth.bucket[0], 1);
	KUNIT_EXPECT_EQ(test, w.flushes, 2);

	/* Only what is not newer than the flush; equal time counts. */
	pthru_fw_unmap(&w, &r, 5000);
	pthru_fw_unmap(&w, &r, 7000);
	pthru_fw_unmap(&w, &r, 8000);
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 6000), 1);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 2);
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 7000), 1);
	KUNIT_EXPECT_EQ(test, w.wait.max, 2900);
	KUNIT_EXPECT_EQ(test, w.wait.bucket[0], 2);	/* 1000 and 0 ns */
	/* The ring wrapped: head moved past the last slot. */
	pthru_fw_unmap(&w, &r, 9000);
	pthru_fw_unmap(&w, &r, 9500);
	pthru_fw_unmap(&w, &r, 9600);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 4);
	KUNIT_EXPECT_EQ(test, w.overflows, 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 10000), 4);
	KUNIT_EXPECT_EQ(test, w.wait.max, 2900);
	KUNIT_EXPECT_EQ(test, w.wait.count, 9);
	KUNIT_EXPECT_EQ(test, w.wait.sum,
			8400 + 1000 + 0 + 2000 + 1000 + 500 + 400);
	KUNIT_EXPECT_EQ(test, w.unmaps, 9);
	KUNIT_EXPECT_EQ(test, w.flushes, 5);
	KUNIT_EXPECT_EQ(test, w.depth.sum, 9);
}

static void fw_ring_overflow(struct kunit *test)
{
	struct pthru_fw_window w;
	struct pthru_fw_ring r;
	u64 slots[4], t;

	pthru_fw_window_init(&w);
	KUNIT_ASSERT_EQ(test, pthru_fw_ring_init(&r, slots, 4), 0);

	for (t = 10; t <= 60; t += 10)
		pthru_fw_unmap(&w, &r, t);
	KUNIT_EXPECT_EQ(test, w.unmaps, 6);
	KUNIT_EXPECT_EQ(test, w.overflows, 2);
	KUNIT_EXPECT_EQ(test, r.len, 4);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 6);
	/* All six waited; four waits were timed. */
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 100), 6);
	KUNIT_EXPECT_EQ(test, w.wait.count, 4);
	KUNIT_EXPECT_EQ(test, w.wait.sum, 90 + 80 + 70 + 60);
	KUNIT_EXPECT_EQ(test, w.depth.bucket[3], 1);	/* 6 in [4, 8) */
	KUNIT_EXPECT_EQ(test, w.depth.max, 6);
	KUNIT_EXPECT_EQ(test, w.unmaps, w.wait.count + w.overflows);

	/* The ring is empty again: unmaps are timed again. */
	pthru_fw_unmap(&w, &r, 200);
	KUNIT_EXPECT_EQ(test, w.overflows, 2);
	KUNIT_EXPECT_EQ(test, r.len, 1);

	/*
	 * A flush older than some entries leaves them and the untimed ones
	 * behind; a later unmap then queues untimed too, to stay in order.
	 */
	pthru_fw_unmap(&w, &r, 210);
	pthru_fw_unmap(&w, &r, 220);
	pthru_fw_unmap(&w, &r, 230);
	pthru_fw_unmap(&w, &r, 240);		/* untimed */
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 215), 2);
	KUNIT_EXPECT_EQ(test, r.len, 2);
	KUNIT_EXPECT_EQ(test, r.untimed, 1);
	pthru_fw_unmap(&w, &r, 250);		/* behind an untimed one */
	KUNIT_EXPECT_EQ(test, r.len, 2);
	KUNIT_EXPECT_EQ(test, r.untimed, 2);
	KUNIT_EXPECT_EQ(test, w.overflows, 4);
	/* Timed ones go, but the newest untimed is newer than the flush. */
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 245), 2);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 2);
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 250), 2);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 0);
	KUNIT_EXPECT_EQ(test, w.unmaps, 12);
	KUNIT_EXPECT_EQ(test, w.wait.count, 8);
	KUNIT_EXPECT_EQ(test, w.unmaps, w.wait.count + w.overflows);
	KUNIT_EXPECT_EQ(test, w.depth.sum, w.unmaps);
}

static void fw_ring_reset(struct kunit *test)
{
	struct pthru_fw_window w;
	struct pthru_fw_ring r;
	u64 slots[2];

	pthru_fw_window_init(&w);
	KUNIT_ASSERT_EQ(test, pthru_fw_ring_init(&r, slots, 2), 0);
	pthru_fw_unmap(&w, &r, 1);
	pthru_fw_unmap(&w, &r, 2);
	pthru_fw_unmap(&w, &r, 3);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_reset(&w, &r), 3);
	KUNIT_EXPECT_EQ(test, w.dropped, 2);
	KUNIT_EXPECT_EQ(test, w.overflows, 1);
	KUNIT_EXPECT_EQ(test, w.wait.count, 0);
	KUNIT_EXPECT_EQ(test, w.depth.count, 0);
	KUNIT_EXPECT_EQ(test, pthru_fw_ring_pending(&r), 0);
	KUNIT_EXPECT_EQ(test, w.unmaps, w.wait.count + w.overflows + w.dropped);
	/* The ring works after a reset. */
	pthru_fw_unmap(&w, &r, 10);
	KUNIT_EXPECT_EQ(test, pthru_fw_flush(&w, &r, 15), 1);
	KUNIT_EXPECT_EQ(test, w.wait.sum, 5);
}

/* A fixed-seed xorshift32: the same sequence on every run and kernel. */
static u32 xs_next(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/*
 * Many unmaps and flushes through a small ring: no unmap is unaccounted
 * for at any step.
 */
static void fw_ring_accounting(struct kunit *test)
{
	struct pthru_fw_window w;
	struct pthru_fw_ring r;
	u64 slots[8], now = 0, consumed = 0;
	unsigned int step;
	u32 x = 0x12345678;

	pthru_fw_window_init(&w);
	KUNIT_ASSERT_EQ(test, pthru_fw_ring_init(&r, slots, 8), 0);
	for (step = 0; step < 5000; step++) {
		now += xs_next(&x) % 5000;
		if (xs_next(&x) % 100 < 80)
			pthru_fw_unmap(&w, &r, now);
		else
			/* Sometimes a flush stamped a little in the past. */
			consumed += pthru_fw_flush(&w, &r, now -
						   min_t(u64, now, xs_next(&x) % 3000));
		KUNIT_ASSERT_EQ_MSG(test, w.unmaps,
				    w.wait.count + w.overflows + r.len,
				    "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, w.unmaps,
				    consumed + pthru_fw_ring_pending(&r),
				    "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, w.depth.sum, consumed, "step %u", step);
	}
	KUNIT_EXPECT_GT(test, w.overflows, 0);
	KUNIT_EXPECT_GT(test, w.wait.count, 1000);
}

static struct kunit_case flushwin_cases[] = {
	KUNIT_CASE(fw_bucket_bounds),
	KUNIT_CASE(fw_count_sum_max),
	KUNIT_CASE(fw_merge),
	KUNIT_CASE(fw_percentiles),
	KUNIT_CASE(fw_ring_init),
	KUNIT_CASE(fw_ring_flush),
	KUNIT_CASE(fw_ring_overflow),
	KUNIT_CASE(fw_ring_reset),
	KUNIT_CASE(fw_ring_accounting),
	{}
};

static struct kunit_suite flushwin_suite = {
	.name = "pthru_flushwin",
	.test_cases = flushwin_cases,
};

kunit_test_suites(&flushwin_suite);

MODULE_LICENSE("GPL");
