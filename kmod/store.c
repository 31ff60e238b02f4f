// SPDX-License-Identifier: GPL-2.0
/*
 * The current state of the host: the latest snapshot, evaluated.
 *
 * Readers take a reference to the current state under a spinlock and
 * never wait for a rebuild; rebuilds are serialised by a mutex and publish
 * a new state by swapping the pointer.  A reader that holds the old one
 * keeps it until it drops its reference.
 *
 * The inventory is rebuilt after every PCI bus event, whenever the ACS
 * poll sees a register change, on audit, and for requests of callers with
 * CAP_NET_ADMIN.  Some state changes without an event (an IOMMU group may
 * be set up after our ADD_DEVICE notifier has run, and a group's domain
 * changes when VFIO attaches a container), so a request of any other user
 * that finds the state older than reader_refresh_ms queues one rebuild in
 * the background and is answered from the current state at once: a loop
 * of unprivileged requests costs at most one rebuild per interval, and
 * nobody waits behind it.  The generation goes up whenever a rebuild finds
 * anything different, and after every batch of bus events.
 *
 * Only a published snapshot is evaluated (reachability and findings), so a
 * request that finds the host unchanged costs one inventory build.  Every
 * publication asks the announcer to tell listeners what changed.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "announce.h"
#include "inventory.h"
#include "store.h"
#include "wq.h"

static unsigned int reader_refresh_ms = 1000;
module_param(reader_refresh_ms, uint, 0444);
MODULE_PARM_DESC(reader_refresh_ms,
		 "Age in ms after which a request of a user without CAP_NET_ADMIN queues a background rebuild (default 1000)");

static DEFINE_MUTEX(rebuild_lock);
static DEFINE_SPINLOCK(live_lock);
static struct pthru_state *live;	/* under live_lock; never NULL in use */
static unsigned long built_at;		/* jiffies of the last rebuild */

static void reader_refresh(struct work_struct *work);
static DECLARE_WORK(reader_refresh_work, reader_refresh);

/**
 * pthru_store_init() - take and evaluate the first snapshot (generation 1)
 *
 * Return: 0 or a negative errno.
 */
int pthru_store_init(void)
{
	struct pthru_snapshot *snap;
	struct pthru_state *state;

	pthru_inventory_read_params();
	snap = pthru_inventory_build();
	if (IS_ERR(snap))
		return PTR_ERR(snap);
	snap->generation = 1;
	state = pthru_state_evaluate(snap);
	pthru_snapshot_put(snap);
	if (IS_ERR(state))
		return PTR_ERR(state);
	live = state;
	WRITE_ONCE(built_at, jiffies);
	return 0;
}

/**
 * pthru_store_exit() - drop the current state
 *
 * Every user is gone by now: netlink, debugfs, the ACS poll and the event
 * work are torn down before this runs.
 */
void pthru_store_exit(void)
{
	pthru_state_put(live);
	live = NULL;
}

/**
 * pthru_store_get() - the current state, without rebuilding it
 *
 * Return: the state with a reference for the caller to put.
 */
struct pthru_state *pthru_store_get(void)
{
	struct pthru_state *state;

	spin_lock(&live_lock);
	state = live;
	pthru_state_get(state);
	spin_unlock(&live_lock);
	return state;
}

/* The snapshot to evaluate, or NULL when the current state stays. */
static struct pthru_snapshot *next_snapshot(struct pthru_snapshot *fresh,
					    unsigned int flags)
{
	struct pthru_snapshot *cur = live->snap;

	if (!(flags & PTHRU_REFRESH_BUS_EVENT) &&
	    pthru_snapshot_same_host(cur, fresh)) {
		pthru_snapshot_put(fresh);
		if (!(flags & PTHRU_REFRESH_EVALUATE))
			return NULL;
		/* Same host, same generation: evaluate what we have. */
		pthru_snapshot_get(cur);
		return cur;
	}
	/* Dumps use the generation as their sequence: skip 0 on wrap. */
	fresh->generation = cur->generation + 1 ?: 1;
	return fresh;
}

/**
 * pthru_store_refresh() - rebuild the snapshot from the live kernel
 * @flags: enum pthru_refresh_flags
 * @prev: if not NULL, receives the state that was current before, with a
 *	reference for the caller to put (the returned state itself when
 *	nothing was published)
 *
 * Sleeps.  When nothing changed (and no flag says otherwise) the current
 * state is kept.  A newly published state is evaluated before it becomes
 * visible, and listeners are told what changed from process context.
 *
 * Return: the current state with a reference for the caller to put, or
 * an ERR_PTR when the inventory could not be read or evaluated (the
 * previous state stays current then; @prev is left untouched).
 */
struct pthru_state *pthru_store_refresh(unsigned int flags,
					struct pthru_state **prev)
{
	struct pthru_snapshot *fresh, *snap;
	struct pthru_state *state, *old;

	if (!(flags & PTHRU_REFRESH_KEEP_PARAMS))
		pthru_inventory_read_params();
	mutex_lock(&rebuild_lock);
	fresh = pthru_inventory_build();
	WRITE_ONCE(built_at, jiffies);
	if (IS_ERR(fresh)) {
		mutex_unlock(&rebuild_lock);
		pr_warn_ratelimited("cannot read the PCI inventory: %pe\n",
				    fresh);
		return ERR_CAST(fresh);
	}

	/* Only rebuilds change the pointer, and they hold rebuild_lock. */
	old = live;
	snap = next_snapshot(fresh, flags);
	if (!snap) {
		state = pthru_store_get();
		mutex_unlock(&rebuild_lock);
		if (prev) {
			pthru_state_get(state);
			*prev = state;
		}
		return state;
	}

	state = pthru_state_evaluate(snap);
	pthru_snapshot_put(snap);
	if (IS_ERR(state)) {
		mutex_unlock(&rebuild_lock);
		pr_warn_ratelimited("cannot evaluate the PCI inventory: %pe\n",
				    state);
		return state;
	}

	pthru_state_get(state);		/* the caller's reference */
	spin_lock(&live_lock);
	live = state;
	spin_unlock(&live_lock);
	mutex_unlock(&rebuild_lock);

	pthru_announce_schedule();
	if (prev)
		*prev = old;	/* live's reference passes to the caller */
	else
		pthru_state_put(old);
	return state;
}

static void reader_refresh(struct work_struct *work)
{
	struct pthru_state *state = pthru_store_refresh(0, NULL);

	if (!IS_ERR(state))	/* an error was reported by the refresh */
		pthru_state_put(state);
}

/**
 * pthru_store_get_cached() - the current state, for an unprivileged reader
 *
 * Never rebuilds in the caller's context.  When the state is older than
 * reader_refresh_ms, one rebuild is queued on the module's workqueue (a
 * pending one is not queued twice); the caller is answered with what is
 * current now.
 *
 * Return: the current state with a reference to put.
 */
struct pthru_state *pthru_store_get_cached(void)
{
	unsigned long due = READ_ONCE(built_at) +
			    msecs_to_jiffies(reader_refresh_ms);

	if (time_after_eq(jiffies, due))
		queue_work(pthru_wq, &reader_refresh_work);
	return pthru_store_get();
}

/**
 * pthru_store_stop_readers() - wait for a rebuild that a reader queued
 *
 * Called once no request can arrive any more (the family is gone).
 */
void pthru_store_stop_readers(void)
{
	cancel_work_sync(&reader_refresh_work);
}
