/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow of userspace-owned IOMMU domains (IOMMU_DOMAIN_UNMANAGED,
 * that is VFIO type1 and iommufd): every successful map and unmap,
 * recorded as merged ranges per domain.  shadow.c says how, and what it
 * cannot see.
 */
#ifndef _PTHRU_SHADOW_H
#define _PTHRU_SHADOW_H

#include <linux/types.h>

#include "core/ivstore.h"
#include "core/mapcheck.h"

struct device;
struct iommu_domain;

/* Most domains the shadow tracks at once (shadow_domains). */
#define PTHRU_SHADOW_MAX_DOMAINS	64
/* Unmaps each tracked domain remembers for the verification walk. */
#define PTHRU_SHADOW_RECENT		32

/**
 * struct pthru_shadow_domain - a copy of one tracked domain, for readers
 * @idx: its slot
 * @id: pthru's number for it, never 0, stable while it lives
 * @domain: the struct iommu_domain; compare it, never dereference it
 * @group_id: the lowest-numbered IOMMU group attached to it, or -1
 *	(pthru_shadow_group_of() when copied)
 * @type: its kind now (PTHRU_DOMAIN_TYPE_*): unmanaged, or DMA / DMA-FQ
 *	when DMA-API domains are shadowed (shadow_dma=1)
 * @dma_api: a DMA-API domain: the kernel's own, mapped before it was seen
 * @incomplete: the ranges listed are mapped, but the list may miss some
 * @lost: maps its store dropped (the pool ran dry, a map wrapped)
 * @page_size: its smallest page size (lowest bit of @pgsize_bitmap)
 * @pgsize_bitmap: the page sizes its IOMMU driver maps with
 * @changes: maps and unmaps recorded in it, when copied
 * @nodes_free: range nodes in its reserve, when copied
 * @nodes_total: range nodes it holds, in use or in reserve
 * @st: the store's counters when copied
 */
struct pthru_shadow_domain {
	u32 idx;
	u32 id;
	const void *domain;
	s32 group_id;
	u8 type;
	bool dma_api;
	bool incomplete;
	u64 lost;
	u64 page_size;
	u64 pgsize_bitmap;
	u64 changes;
	u32 nodes_free;
	u32 nodes_total;
	struct pthru_iv_stats st;
};

/**
 * struct pthru_shadow_totals - the shadow as a whole
 * @armed: new domains are wrapped
 * @status: an enum pthru_shadow_status (uapi)
 * @refused_why: why the last arming failed, with PTHRU_SHADOW_STATUS_REFUSED
 * @blind: armed while a function was on a passthrough driver: domains
 *	made before then are not tracked
 * @wrapped: domains whose ops are pthru's now
 * @unwrapped: userspace-owned domains born while armed and left
 *	unwrapped (no room), since load: not tracked
 * @domains: tracked domains
 * @ranges: merged ranges held, over every domain
 * @maps: successful maps recorded since the module was loaded
 * @unmaps: successful unmaps recorded since the module was loaded
 * @lost: maps not recorded: pool exhausted, or no free domain slot
 * @incomplete_domains: tracked domains marked incomplete
 * @untracked: map and unmap calls of wrapped domains that found no
 *	free slot
 * @dma_untracked: the same for DMA-API domains (shadow_dma=1), which may
 *	take only half the slots
 * @missed: domain allocations the probes missed, since load: domains
 *	never wrapped
 * @generation: changes whenever a domain starts or stops being tracked
 * @mem_used: bytes of range memory allocated, every slot's (and chunks
 *	released but not yet freed)
 * @mem_max: the host-wide cap on @mem_used (shadow_mem_max_mb)
 * @mem_refused: chunk allocations the cap refused, since load
 * @mem_failed: chunk allocations the allocator failed, since load
 */
struct pthru_shadow_totals {
	bool armed;
	u32 status;
	const char *refused_why;
	bool blind;
	u32 wrapped;
	u64 unwrapped;
	u32 domains;
	u64 ranges;
	u64 maps;
	u64 unmaps;
	u64 lost;
	u32 incomplete_domains;
	u64 untracked;
	u64 dma_untracked;
	u64 missed;
	u32 generation;
	u64 mem_used;
	u64 mem_max;
	u64 mem_refused;
	u64 mem_failed;
};

/**
 * struct pthru_shadow_call - one wrapped map or unmap of a domain
 * @slot: the domain's slot (shadow.c's), or NULL when it has none
 * @domain: the domain
 */
struct pthru_shadow_call {
	void *slot;
	struct iommu_domain *domain;
};

/* The wrappers of domain_wrap.c call these around the driver's ops. */
void pthru_shadow_call_begin(struct pthru_shadow_call *call,
			     struct iommu_domain *domain, bool unmap);
void pthru_shadow_map_done(struct pthru_shadow_call *call, u64 iova,
			   u64 paddr, u64 size, int prot);
void pthru_shadow_unmap_done(struct pthru_shadow_call *call, u64 iova,
			     u64 size);
void pthru_shadow_flushed(struct iommu_domain *domain);
void pthru_shadow_freeing(struct iommu_domain *domain);

int pthru_shadow_init(void);
void pthru_shadow_exit(void);
void pthru_shadow_bind(struct device *dev);
void pthru_shadow_gate_ready(void);

void pthru_shadow_totals(struct pthru_shadow_totals *t);
bool pthru_shadow_next(u32 *idx, struct pthru_shadow_domain *out);
bool pthru_shadow_find_id(u32 id, struct pthru_shadow_domain *out);
bool pthru_shadow_find_group(u32 group_id, struct pthru_shadow_domain *out);
bool pthru_shadow_get(const struct pthru_shadow_domain *d, u64 from,
		      struct pthru_iv_range *out);
bool pthru_shadow_lookup(const struct pthru_shadow_domain *d, u64 iova,
			 struct pthru_iv_range *out);
s32 pthru_shadow_group_of(const void *domain);

/* For the verification walk (verify.c). */
bool pthru_shadow_reread(struct pthru_shadow_domain *d);
enum pthru_xlate pthru_shadow_translate(const struct pthru_shadow_domain *d,
					u64 iova, u64 *phys);
u32 pthru_shadow_recent_unmaps(const struct pthru_shadow_domain *d,
			       struct pthru_iv_range *out, u32 max);

#endif /* _PTHRU_SHADOW_H */
