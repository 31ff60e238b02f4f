// SPDX-License-Identifier: GPL-2.0
/*
 * The ACS poll.
 *
 * Nothing tells the kernel when an ACS control register is written: root
 * can do it through /sys/bus/pci/devices/X/config (setpci) at any time,
 * and the IOMMU groups, formed at enumeration, keep describing the old
 * value.  So every acs_poll_ms milliseconds a delayed work reads the ACS
 * control register of each function that has an ACS capability (a few
 * config reads, nothing else) and, when one differs from the current
 * snapshot, refreshes the store.  The refresh publishes a new generation
 * and the announcer sends acs-change-ntf and the findings it raised.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>

#include "acs_poll.h"
#include "inventory.h"
#include "store.h"
#include "wq.h"

/* Below this, polling would keep a CPU busy for little gain. */
#define ACS_POLL_MIN_MS		10

static unsigned int acs_poll_ms = 1000;
module_param(acs_poll_ms, uint, 0444);
MODULE_PARM_DESC(acs_poll_ms,
		 "Interval in ms between reads of the ACS control registers (0: never; default 1000, at least 10)");

static void acs_poll(struct work_struct *work);
static DECLARE_DELAYED_WORK(acs_poll_work, acs_poll);

static void acs_poll(struct work_struct *work)
{
	struct pthru_state *state = pthru_store_get();
	bool changed = pthru_inventory_acs_changed(state->snap);

	pthru_state_put(state);
	if (changed) {
		/* An error is reported by the store; the next poll retries. */
		state = pthru_store_refresh(0, NULL);
		if (!IS_ERR(state))
			pthru_state_put(state);
	}
	queue_delayed_work(pthru_wq, &acs_poll_work,
			   msecs_to_jiffies(acs_poll_ms));
}

/**
 * pthru_acs_poll_init() - start polling, unless acs_poll_ms is 0
 */
void pthru_acs_poll_init(void)
{
	if (!acs_poll_ms)
		return;
	if (acs_poll_ms < ACS_POLL_MIN_MS) {
		pr_info("acs_poll_ms=%u raised to %u\n", acs_poll_ms,
			ACS_POLL_MIN_MS);
		acs_poll_ms = ACS_POLL_MIN_MS;
	}
	queue_delayed_work(pthru_wq, &acs_poll_work,
			   msecs_to_jiffies(acs_poll_ms));
}

/**
 * pthru_acs_poll_exit() - stop polling
 *
 * Waits for a poll in progress; cancel_delayed_work_sync() also stops the
 * work from queueing itself again.
 */
void pthru_acs_poll_exit(void)
{
	cancel_delayed_work_sync(&acs_poll_work);
}
