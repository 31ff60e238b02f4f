// SPDX-License-Identifier: GPL-2.0
/*
 * PCI bus events.
 *
 * A notifier on the PCI bus sees functions appear and go, and drivers bind
 * and unbind.  It runs in the thread doing that, often under the device's
 * device_lock, so it only captures the function's attributes and queues
 * them.  A work item on the module's ordered workqueue then rebuilds the
 * inventory (bumping its generation) and multicasts one event per queued
 * entry on the "events" group, in process context with GFP_KERNEL and
 * under no other subsystem's lock.  The findings the change raised or
 * cleared are announced after these events, by the announcer's work that
 * the rebuild queued behind this one.
 *
 * Events carry the attributes the function had when the event happened.
 * For an add, the rebuilt inventory's record is sent instead when it has
 * one, because the IOMMU may put the function into its group only after
 * this notifier ran.  At UNBOUND_DRIVER the driver is already gone, so an
 * unbind is captured at UNBIND_DRIVER (same thread, device_lock held
 * throughout) and parked until UNBOUND_DRIVER confirms it.
 *
 * A function's ACS baseline is recorded when it is first captured or
 * inventoried, and forgotten when it is removed: a function that comes
 * back at the same address gets a new baseline.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <uapi/linux/pthru.h>

#include "acs_baseline.h"
#include "core/pciaddr.h"
#include "inventory.h"
#include "netlink.h"
#include "notifier.h"
#include "store.h"
#include "wq.h"

/* Events waiting for the work item; beyond this, new ones are dropped. */
#define EVENT_QUEUE_MAX		1024

struct queued_event {
	struct list_head node;
	struct device *dev;	/* parked unbinds only; compared, not used */
	u8 cmd;
	struct pthru_dev func;
};

static DEFINE_SPINLOCK(event_lock);
static LIST_HEAD(event_queue);		/* under event_lock */
static unsigned int nr_queued;		/* under event_lock */
static LIST_HEAD(parked_unbinds);	/* under event_lock */

static void send_events(struct work_struct *work);
static DECLARE_WORK(event_work, send_events);

static const char *event_name(u8 cmd)
{
	switch (cmd) {
	case PTHRU_CMD_DEV_ADD_NTF:
		return "dev-add";
	case PTHRU_CMD_DEV_DEL_NTF:
		return "dev-del";
	case PTHRU_CMD_DEV_BIND_NTF:
		return "dev-bind";
	case PTHRU_CMD_DEV_UNBIND_NTF:
		return "dev-unbind";
	default:
		return "unknown";
	}
}

static void event_lost(struct pci_dev *pdev, u8 cmd, const char *why)
{
	pr_warn_ratelimited("%s: %s event lost: %s\n", pci_name(pdev),
			    event_name(cmd), why);
}

/* Capture @pdev now; NULL when out of memory or not representable. */
static struct queued_event *capture(struct pci_dev *pdev, u8 cmd)
{
	struct queued_event *ev;

	ev = kzalloc(sizeof(*ev), GFP_KERNEL);
	if (!ev) {
		event_lost(pdev, cmd, "out of memory");
		return NULL;
	}
	ev->cmd = cmd;
	if (!pthru_inventory_capture(pdev, &ev->func)) {
		/* Not inventoried either (PCI domain above ffff). */
		kfree(ev);
		return NULL;
	}
	return ev;
}

/*
 * Hand @ev (may be NULL: lost) to the work item.  The work is scheduled in
 * any case, since even a lost event means the host changed.
 */
static void queue_event(struct pci_dev *pdev, struct queued_event *ev)
{
	bool full = false;

	if (ev) {
		spin_lock(&event_lock);
		if (nr_queued < EVENT_QUEUE_MAX) {
			list_add_tail(&ev->node, &event_queue);
			nr_queued++;
		} else {
			full = true;
		}
		spin_unlock(&event_lock);
	}
	if (full) {
		event_lost(pdev, ev->cmd, "too many events pending");
		kfree(ev);
	}
	queue_work(pthru_wq, &event_work);
}

static void park_unbind(struct pci_dev *pdev)
{
	struct queued_event *ev = capture(pdev, PTHRU_CMD_DEV_UNBIND_NTF);

	if (!ev)
		return;
	ev->dev = &pdev->dev;
	spin_lock(&event_lock);
	list_add_tail(&ev->node, &parked_unbinds);
	spin_unlock(&event_lock);
}

/* The unbind parked for @pdev, or a capture without the driver. */
static struct queued_event *unpark_unbind(struct pci_dev *pdev)
{
	struct queued_event *ev, *found = NULL;

	spin_lock(&event_lock);
	list_for_each_entry(ev, &parked_unbinds, node) {
		if (ev->dev == &pdev->dev) {
			list_del(&ev->node);
			found = ev;
			break;
		}
	}
	spin_unlock(&event_lock);
	if (found)
		return found;
	/* UNBIND_DRIVER came before this module was listening. */
	return capture(pdev, PTHRU_CMD_DEV_UNBIND_NTF);
}

static int pci_bus_event(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct queued_event *ev;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		queue_event(pdev, capture(pdev, PTHRU_CMD_DEV_ADD_NTF));
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		ev = capture(pdev, PTHRU_CMD_DEV_DEL_NTF);
		if (ev)
			pthru_acs_baseline_forget(ev->func.addr);
		queue_event(pdev, ev);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		queue_event(pdev, capture(pdev, PTHRU_CMD_DEV_BIND_NTF));
		break;
	case BUS_NOTIFY_UNBIND_DRIVER:
		park_unbind(pdev);
		break;
	case BUS_NOTIFY_UNBOUND_DRIVER:
		queue_event(pdev, unpark_unbind(pdev));
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pci_bus_nb = {
	.notifier_call = pci_bus_event,
};

static void free_events(struct list_head *list)
{
	struct queued_event *ev, *next;

	list_for_each_entry_safe(ev, next, list, node) {
		list_del(&ev->node);
		kfree(ev);
	}
}

/*
 * The work item: rebuild the inventory, then multicast the batch.  Every
 * event carries the function's reachability in the rebuilt state, when
 * the function is still there.
 */
static void send_events(struct work_struct *work)
{
	struct pthru_state *state;
	struct queued_event *ev;
	LIST_HEAD(batch);

	spin_lock(&event_lock);
	list_splice_init(&event_queue, &batch);
	nr_queued = 0;
	spin_unlock(&event_lock);

	state = pthru_store_refresh(PTHRU_REFRESH_BUS_EVENT, NULL);
	if (IS_ERR(state))
		state = NULL;	/* already reported; send what was captured */

	list_for_each_entry(ev, &batch, node) {
		const struct pthru_dev *func = &ev->func;

		if (ev->cmd == PTHRU_CMD_DEV_ADD_NTF && state) {
			const struct pthru_dev *now;

			now = pthru_snapshot_find_dev(state->snap,
						      ev->func.addr);
			if (now)
				func = now;
		}
		pthru_nl_notify_dev(ev->cmd, func, state);
	}
	free_events(&batch);
	pthru_state_put(state);
}

/**
 * pthru_notifier_init() - start watching the PCI bus
 *
 * The netlink family must be registered already: events go out through it.
 *
 * Return: 0 or a negative errno.
 */
int pthru_notifier_init(void)
{
	int err;

	err = bus_register_notifier(&pci_bus_type, &pci_bus_nb);
	if (err)
		pr_err("cannot register a PCI bus notifier: %d\n", err);
	return err;
}

/**
 * pthru_notifier_exit() - stop watching and drop what is still queued
 *
 * Unregistering waits for notifier calls in progress; after that nothing
 * queues work, so cancelling it leaves no work behind.
 */
void pthru_notifier_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &pci_bus_nb);
	cancel_work_sync(&event_work);
	/* No notifier call and no work item runs any more. */
	free_events(&event_queue);
	free_events(&parked_unbinds);
}
