/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACS control value pthru first read for each PCI function.
 */
#ifndef _PTHRU_ACS_BASELINE_H
#define _PTHRU_ACS_BASELINE_H

#include <linux/types.h>

#include "core/snapshot.h"

u16 pthru_acs_baseline_note(u32 addr, u16 ctrl);
u16 pthru_acs_baseline_peek(u32 addr, u16 ctrl);
void pthru_acs_baseline_forget(u32 addr);
void pthru_acs_baseline_prune(const struct pthru_snapshot *snap);
void pthru_acs_baseline_exit(void);

#endif /* _PTHRU_ACS_BASELINE_H */
