/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The current snapshot of the host and its generation counter.
 */
#ifndef _PTHRU_STORE_H
#define _PTHRU_STORE_H

#include <linux/types.h>

#include "core/snapshot.h"

int pthru_store_init(void);
void pthru_store_exit(void);
struct pthru_snapshot *pthru_store_get(void);
struct pthru_snapshot *pthru_store_refresh(bool changed);

#endif /* _PTHRU_STORE_H */
