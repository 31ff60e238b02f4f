// SPDX-License-Identifier: GPL-2.0
/*
 * The announcer: tells listeners what changed between the state they last
 * heard about and the current one.
 *
 * Every publication of a new state schedules the announcement work on the
 * module's ordered workqueue.  The work compares the current state with
 * the last one it announced and multicasts, in this order:
 *
 *  - acs-change-ntf for each function whose ACS control register differs
 *    from its value in the announced state (a function that is new has
 *    nothing to differ from);
 *  - hazard-clear-ntf and hazard-raise-ntf for each finding that went away
 *    or appeared, in the order of the finding key.
 *
 * Comparing with the last announced state rather than with each
 * predecessor means that states published in quick succession are
 * announced together: listeners see the net change, and a finding that
 * came and went in between is not announced at all.  Only the work reads
 * or replaces the announced state, and the workqueue runs it one at a
 * time.
 */
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <uapi/linux/pthru.h>

#include "announce.h"
#include "netlink.h"
#include "store.h"
#include "wq.h"

static void announce(struct work_struct *work);
static DECLARE_WORK(announce_work, announce);

static DEFINE_SPINLOCK(schedule_lock);
static bool stopped = true;		/* under schedule_lock */
static struct pthru_state *announced;	/* the work's own */

static void announce_acs_changes(const struct pthru_state *was,
				 const struct pthru_state *now)
{
	const struct pthru_dev *func, *before;
	u32 i;

	for (i = 0; i < now->snap->nr_devs; i++) {
		func = &now->snap->devs[i];
		if (!func->acs_pos)
			continue;
		before = pthru_snapshot_find_dev(was->snap, func->addr);
		if (before && before->acs_pos &&
		    before->acs_ctrl != func->acs_ctrl)
			pthru_nl_notify_dev(PTHRU_CMD_ACS_CHANGE_NTF, func, now);
	}
}

static void finding_raised(const struct pthru_finding *finding, void *ctx)
{
	const struct pthru_state *now = ctx;

	pthru_nl_notify_finding(PTHRU_CMD_HAZARD_RAISE_NTF,
				now->snap->generation, finding);
}

static void finding_cleared(const struct pthru_finding *finding, void *ctx)
{
	const struct pthru_state *now = ctx;

	pthru_nl_notify_finding(PTHRU_CMD_HAZARD_CLEAR_NTF,
				now->snap->generation, finding);
}

static void announce(struct work_struct *work)
{
	struct pthru_state *now = pthru_store_get();

	if (now == announced) {
		pthru_state_put(now);
		return;
	}
	announce_acs_changes(announced, now);
	pthru_findings_diff(&announced->findings, &now->findings,
			    finding_raised, finding_cleared, now);
	pthru_state_put(announced);
	announced = now;
}

/**
 * pthru_announce_init() - start from the current state
 *
 * What is true at load is not announced: nobody could listen yet.  The
 * store must be initialised.
 */
void pthru_announce_init(void)
{
	announced = pthru_store_get();
	spin_lock(&schedule_lock);
	stopped = false;
	spin_unlock(&schedule_lock);
}

/**
 * pthru_announce_schedule() - a new state was published
 *
 * Any context that may take a spinlock.  A no-op once the announcer has
 * stopped.
 */
void pthru_announce_schedule(void)
{
	spin_lock(&schedule_lock);
	if (!stopped)
		queue_work(pthru_wq, &announce_work);
	spin_unlock(&schedule_lock);
}

/**
 * pthru_announce_flush() - wait until what was published is announced
 *
 * For audit, whose reply comes after the events it caused.  Sleeps; the
 * caller must hold none of the locks the workqueue's items take.
 */
void pthru_announce_flush(void)
{
	flush_work(&announce_work);
}

/**
 * pthru_announce_exit() - stop announcing
 *
 * Call before the netlink family goes away.  Requests still running may
 * publish states; their announcements are dropped.
 */
void pthru_announce_exit(void)
{
	spin_lock(&schedule_lock);
	stopped = true;
	spin_unlock(&schedule_lock);
	cancel_work_sync(&announce_work);
	pthru_state_put(announced);
	announced = NULL;
}
