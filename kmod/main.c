// SPDX-License-Identifier: GPL-2.0
/*
 * pthru: report whether the IOMMU isolates each PCI function of a
 * passthrough host.
 *
 * Module init and exit.  Each step depends on the ones before it: the
 * event senders run on the workqueue, events and requests read the store,
 * and events are sent through the netlink family.  Exit undoes the steps
 * in reverse order, except that the announcer stops before the family goes
 * away: requests still running may publish states until the family is
 * unregistered, and their announcements must not reach a dead family.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "acs_baseline.h"
#include "acs_poll.h"
#include "announce.h"
#include "debugfs.h"
#include "netlink.h"
#include "notifier.h"
#include "store.h"
#include "version.h"
#include "wq.h"

static int __init pthru_init(void)
{
	struct pthru_state *state;
	int err;

	err = pthru_wq_init();
	if (err)
		return err;
	err = pthru_store_init();
	if (err) {
		pr_err("cannot read the PCI inventory: %d\n", err);
		goto err_wq;
	}
	pthru_announce_init();
	err = pthru_netlink_init();
	if (err)
		goto err_announce;
	err = pthru_notifier_init();
	if (err)
		goto err_netlink;
	pthru_acs_poll_init();
	pthru_debugfs_init();

	state = pthru_store_get();
	pr_info("version %s: %u PCI functions, %u IOMMU groups, IOMMU driver %s, %u findings\n",
		PTHRU_VERSION, state->snap->nr_devs, state->snap->nr_groups,
		state->snap->iommu_driver, state->findings.nr);
	pthru_state_put(state);
	return 0;

err_netlink:
	pthru_netlink_exit();
err_announce:
	pthru_announce_exit();
	pthru_store_exit();
err_wq:
	pthru_wq_exit();
	pthru_acs_baseline_exit();
	return err;
}

static void __exit pthru_exit(void)
{
	pthru_debugfs_exit();
	pthru_acs_poll_exit();
	pthru_notifier_exit();
	pthru_announce_exit();
	pthru_netlink_exit();
	pthru_wq_exit();
	pthru_store_exit();
	pthru_acs_baseline_exit();
}

module_init(pthru_init);
module_exit(pthru_exit);

MODULE_DESCRIPTION("Report whether the IOMMU isolates each PCI function");
MODULE_LICENSE("GPL");
MODULE_VERSION(PTHRU_VERSION);
MODULE_ALIAS_GENL_FAMILY(PTHRU_FAMILY_NAME);
