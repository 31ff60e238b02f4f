/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's ordered workqueue: everything that multicasts events runs
 * on it, one item at a time.
 */
#ifndef _PTHRU_WQ_H
#define _PTHRU_WQ_H

#include <linux/workqueue.h>

extern struct workqueue_struct *pthru_wq;

int pthru_wq_init(void);
void pthru_wq_exit(void);

#endif /* _PTHRU_WQ_H */
