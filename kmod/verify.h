/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verification walk: the shadow against the IOMMU's page tables.
 */
#ifndef _PTHRU_VERIFY_H
#define _PTHRU_VERIFY_H

#include <linux/types.h>

#include "core/mapcheck.h"
#include "core/snapshot.h"

/**
 * struct pthru_verify_result - what one walk did and found
 * @domains: tracked domains walked
 * @ranges: shadow ranges checked
 * @translations: iommu_iova_to_phys() calls
 * @skipped: points not checked (busy domain, or over the budget)
 * @notes: per enum pthru_map_note_kind, the counts of the notes of that
 *	kind summed over the domains walked; for PTHRU_MAP_NOTE_INCOMPLETE,
 *	the domains walked whose shadow may miss mappings
 */
struct pthru_verify_result {
	u32 domains;
	u64 ranges;
	u64 translations;
	u64 skipped;
	u64 notes[PTHRU_MAP_NOTE_KINDS];
};

int pthru_verify_run(s32 group_id, struct pthru_verify_result *res);
int pthru_verify_fill(struct pthru_snapshot *snap, gfp_t gfp);
void pthru_verify_exit(void);

struct seq_file;
void pthru_verify_show(struct seq_file *m);

#endif /* _PTHRU_VERIFY_H */
