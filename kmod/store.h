/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The current evaluated snapshot of the host and its generation counter.
 */
#ifndef _PTHRU_STORE_H
#define _PTHRU_STORE_H

#include <linux/bits.h>

#include "state.h"

/*
 * What pthru_store_refresh() is asked to do beyond rebuilding the
 * inventory and publishing it when the host looks different.
 */
enum pthru_refresh_flags {
	/* A bus event happened: publish a new generation even if unchanged. */
	PTHRU_REFRESH_BUS_EVENT = BIT(0),
	/* An audit: evaluate the rules again even if nothing changed. */
	PTHRU_REFRESH_EVALUATE = BIT(1),
	/*
	 * The caller holds a seq_file's lock: keep the last reading of
	 * vfio_iommu_type1's parameter (pthru_inventory_read_params()).
	 */
	PTHRU_REFRESH_KEEP_PARAMS = BIT(2),
};

int pthru_store_init(void);
void pthru_store_exit(void);
struct pthru_state *pthru_store_get(void);
struct pthru_state *pthru_store_get_cached(void);
void pthru_store_stop_readers(void);
struct pthru_state *pthru_store_refresh(unsigned int flags,
					struct pthru_state **prev);

#endif /* _PTHRU_STORE_H */
