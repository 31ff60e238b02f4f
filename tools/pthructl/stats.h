/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow and stale-window statistics as the pthru family reports them
 * (the "stats" attribute set, stats-get): global, or of one domain.
 */
#ifndef PTHRUCTL_STATS_H
#define PTHRUCTL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "pthructl.h"

struct pthru_stats {
	uint32_t present;	/* bit N: attribute PTHRU_A_STATS_N was sent */
	uint32_t domain_id;
	uint32_t armed;
	uint32_t domains;
	uint32_t range_bytes;
	uint32_t incomplete_domains;
	uint64_t ranges;
	uint64_t maps;
	uint64_t unmaps;
	uint64_t lost;
	uint64_t flushes;
	uint64_t wait_count;
	uint64_t wait_max_ns;
	uint64_t wait_p50_ns;
	uint64_t wait_p99_ns;
	uint64_t dma_flushes;
	uint64_t dma_wait_count;
	uint64_t dma_wait_max_ns;
	uint64_t dma_wait_p50_ns;
	uint64_t dma_wait_p99_ns;
	uint64_t dma_untracked;
	uint32_t status;
	uint32_t blind;
	uint32_t wrapped_domains;
	uint32_t nodes_used;
	uint32_t nodes_reserved;
	uint64_t unwrapped_domains;
	uint64_t mem_bytes;
	uint64_t mem_max_bytes;
	uint64_t mem_refused;
	uint64_t mem_failed;
};

static inline bool stats_has(const struct pthru_stats *st, uint16_t attr)
{
	return st->present & (1U << attr);
}

/*
 * Fill @st from a stats-get reply.  Returns 0, or -EBADMSG with *@bad_type
 * naming the malformed attribute.
 */
int stats_parse(const struct nlmsghdr *nlh, struct pthru_stats *st,
		uint16_t *bad_type);

/*
 * A duration in nanoseconds for people: "850ns", "12.3us", "4.5ms",
 * "2.0s" (tenths rounded down).
 */
const char *duration_text(uint64_t ns, char *buf, size_t len);

/*
 * The stats command's output: aligned "key: value" lines ("-" for what
 * the module did not report; the dma_* lines only when it reported them),
 * one JSON object on one line (null for what it did not report), or the
 * Prometheus families (no series for what it did not report).
 */
int stats_print(FILE *out, const struct pthru_stats *st,
		enum pthructl_format format);

#endif /* PTHRUCTL_STATS_H */
