/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-domain op wrapping: a tracked IOMMU domain's ops pointer is turned
 * to a pthru-owned copy of its driver's struct iommu_domain_ops whose map,
 * unmap, IOTLB flush and free operations call the shadow around the
 * driver's own.  Untracked domains are never touched.  domain_wrap.c says
 * how it is taken down safely.
 */
#ifndef _PTHRU_DOMAIN_WRAP_H
#define _PTHRU_DOMAIN_WRAP_H

#include <linux/types.h>

struct iommu_domain;

/* Most domains wrapped at once, and most driver op tables copied. */
#define PTHRU_WRAP_MAX_DOMAINS	1024
#define PTHRU_WRAP_MAX_TABLES	4

/**
 * struct pthru_wrap_stats - the wrapping as a whole
 * @wrapped: domains whose ops are pthru's now
 * @tables: driver op tables copied and in use
 * @wrapped_total: domains wrapped since load
 * @refused: domains left unwrapped (untracked): no room, or ops without
 *	map, unmap or free
 * @inflight: wrapped calls running now (a sum over CPUs; transient)
 */
struct pthru_wrap_stats {
	u32 wrapped;
	u32 tables;
	u64 wrapped_total;
	u64 refused;
	s64 inflight;
};

int pthru_wrap_domain(struct iommu_domain *domain);
void pthru_wrap_unwrap_all(void);
void pthru_wrap_quiesce(void);
bool pthru_wrap_is_wrapped(const void *domain);
void pthru_wrap_get_stats(struct pthru_wrap_stats *st);
const char *pthru_wrap_table_driver(unsigned int i, char *buf, size_t len);

#endif /* _PTHRU_DOMAIN_WRAP_H */
