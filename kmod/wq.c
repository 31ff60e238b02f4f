// SPDX-License-Identifier: GPL-2.0
/*
 * The module's ordered workqueue.
 *
 * The bus-event work, the announcer and the ACS poll all rebuild the
 * inventory and multicast events.  Running them one at a time, in the
 * order they were queued, keeps the events in cause-and-effect order: the
 * dev-add of a function goes out before the findings its arrival raised,
 * because the announcement is queued by the rebuild inside the bus-event
 * work and so runs after it.
 *
 * No WQ_MEM_RECLAIM: nothing here helps to free memory, and its items wait
 * for a system_unbound_wq item (see inventory.c), which only a
 * non-reclaim workqueue may do.
 */
#include <linux/errno.h>
#include <linux/workqueue.h>

#include "wq.h"

struct workqueue_struct *pthru_wq;

/**
 * pthru_wq_init() - create the workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int pthru_wq_init(void)
{
	pthru_wq = alloc_ordered_workqueue("pthru", 0);
	if (!pthru_wq) {
		pr_err("cannot create the pthru workqueue\n");
		return -ENOMEM;
	}
	return 0;
}

/**
 * pthru_wq_exit() - drain and destroy the workqueue
 *
 * Whoever queues work must have stopped before this runs.
 */
void pthru_wq_exit(void)
{
	destroy_workqueue(pthru_wq);
	pthru_wq = NULL;
}
