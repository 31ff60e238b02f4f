/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Invalidation probes and the deferred-flush window of the domains the
 * shadow tracks.  flush_probe.c says what is measured and how.
 */
#ifndef _PTHRU_FLUSH_PROBE_H
#define _PTHRU_FLUSH_PROBE_H

#include <linux/types.h>

#include "core/flushwin.h"

/* The invalidation probes, as bits of pthru_flush_armed(). */
enum pthru_flush_probe {
	PTHRU_FLUSH_INTEL_SYNC,		/* intel_iommu_tlb_sync */
	PTHRU_FLUSH_INTEL_ALL,		/* intel_flush_iotlb_all */
	PTHRU_FLUSH_AMD_SYNC,		/* amd_iommu_iotlb_sync */
	PTHRU_FLUSH_AMD_ALL,		/* amd_iommu_flush_iotlb_all */
	PTHRU_FLUSH_VIRTIO_SYNC,	/* viommu_iotlb_sync */
	PTHRU_FLUSH_VIRTIO_ALL,		/* viommu_flush_iotlb_all */
	PTHRU_FLUSH_NR_PROBES,
};

int pthru_flush_init(unsigned int nr_slots);
void pthru_flush_exit(void);
void pthru_flush_register(int (*fail)(const char *what));
void pthru_flush_unregister(void);

void pthru_flush_slot_start(u32 idx, u32 id, const void *domain);
void pthru_flush_slot_end(u32 idx);
void pthru_flush_unmap(u32 idx, const void *domain);
void pthru_flush_synced(u32 idx, const void *domain);

bool pthru_flush_domain(u32 idx, u32 id, struct pthru_fw_window *out);
void pthru_flush_global(struct pthru_fw_window *out);
bool pthru_flush_dma(struct pthru_fw_window *out, u64 *untracked);
unsigned long pthru_flush_armed(void);
const char *pthru_flush_probe_name(unsigned int probe);
u64 pthru_flush_calls(unsigned int probe);
u64 pthru_flush_missed(void);

#endif /* _PTHRU_FLUSH_PROBE_H */
