// SPDX-License-Identifier: GPL-2.0
/*
 * The current snapshot of the host.
 *
 * Readers take a reference to the current snapshot under a spinlock and
 * never wait for a rebuild; rebuilds are serialised by a mutex and publish
 * a new snapshot by swapping the pointer.  A reader that holds the old one
 * keeps it until it drops its reference.
 *
 * The inventory is rebuilt whenever a request arrives as well as after
 * every PCI bus event, because some state changes without an event: an
 * IOMMU group may be set up after our ADD_DEVICE notifier has run, and a
 * group's domain changes when VFIO attaches a container.  The generation
 * goes up whenever a rebuild finds anything different, and after every
 * batch of bus events.
 */
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "inventory.h"
#include "store.h"

static DEFINE_MUTEX(rebuild_lock);
static DEFINE_SPINLOCK(live_lock);
static struct pthru_snapshot *live;	/* under live_lock; never NULL in use */

/**
 * pthru_store_init() - take the first snapshot (generation 1)
 *
 * Return: 0 or a negative errno.
 */
int pthru_store_init(void)
{
	struct pthru_snapshot *snap;

	snap = pthru_inventory_build();
	if (IS_ERR(snap))
		return PTR_ERR(snap);
	snap->generation = 1;
	live = snap;
	return 0;
}

/**
 * pthru_store_exit() - drop the current snapshot
 *
 * Every user is gone by now: netlink, debugfs and the event work are torn
 * down before this runs.
 */
void pthru_store_exit(void)
{
	pthru_snapshot_put(live);
	live = NULL;
}

/**
 * pthru_store_get() - the current snapshot, without rebuilding it
 *
 * Return: the snapshot with a reference for the caller to put.
 */
struct pthru_snapshot *pthru_store_get(void)
{
	struct pthru_snapshot *snap;

	spin_lock(&live_lock);
	snap = live;
	pthru_snapshot_get(snap);
	spin_unlock(&live_lock);
	return snap;
}

/**
 * pthru_store_refresh() - rebuild the snapshot from the live kernel
 * @changed: the caller knows the host changed (a bus event): bump the
 *	generation even if the rebuilt snapshot looks the same
 *
 * Sleeps.  When nothing changed the current snapshot is kept.
 *
 * Return: the current snapshot with a reference for the caller to put, or
 * an ERR_PTR when the inventory could not be read (the previous snapshot
 * stays current then).
 */
struct pthru_snapshot *pthru_store_refresh(bool changed)
{
	struct pthru_snapshot *fresh, *old;

	mutex_lock(&rebuild_lock);
	fresh = pthru_inventory_build();
	if (IS_ERR(fresh)) {
		mutex_unlock(&rebuild_lock);
		pr_warn_ratelimited("cannot read the PCI inventory: %pe\n",
				    fresh);
		return fresh;
	}

	/* Only rebuilds change the pointer, and they hold rebuild_lock. */
	old = live;
	if (!changed && pthru_snapshot_same_host(old, fresh)) {
		pthru_snapshot_put(fresh);
		fresh = pthru_store_get();
		mutex_unlock(&rebuild_lock);
		return fresh;
	}

	/* Dumps use the generation as their sequence: skip 0 on wrap. */
	fresh->generation = old->generation + 1 ?: 1;
	pthru_snapshot_get(fresh);	/* the caller's reference */
	spin_lock(&live_lock);
	live = fresh;
	spin_unlock(&live_lock);
	mutex_unlock(&rebuild_lock);

	pthru_snapshot_put(old);
	return fresh;
}
