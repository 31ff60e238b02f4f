// SPDX-License-Identifier: GPL-2.0
/*
 * pthru: report whether the IOMMU isolates each PCI function of a
 * passthrough host.
 *
 * Module init and exit.  Each step depends on the ones before it: events
 * and requests read the snapshot store, and events are sent through the
 * netlink family; exit undoes the steps in reverse order.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "debugfs.h"
#include "netlink.h"
#include "notifier.h"
#include "store.h"
#include "version.h"

static int __init pthru_init(void)
{
	struct pthru_snapshot *snap;
	int err;

	err = pthru_store_init();
	if (err) {
		pr_err("cannot read the PCI inventory: %d\n", err);
		return err;
	}
	err = pthru_netlink_init();
	if (err)
		goto err_store;
	err = pthru_notifier_init();
	if (err)
		goto err_netlink;
	pthru_debugfs_init();

	snap = pthru_store_get();
	pr_info("version %s: %u PCI functions, %u IOMMU groups, IOMMU driver %s\n",
		PTHRU_VERSION, snap->nr_devs, snap->nr_groups,
		snap->iommu_driver);
	pthru_snapshot_put(snap);
	return 0;

err_netlink:
	pthru_netlink_exit();
err_store:
	pthru_store_exit();
	return err;
}

static void __exit pthru_exit(void)
{
	pthru_debugfs_exit();
	pthru_notifier_exit();
	pthru_netlink_exit();
	pthru_store_exit();
}

module_init(pthru_init);
module_exit(pthru_exit);

MODULE_DESCRIPTION("Report whether the IOMMU isolates each PCI function");
MODULE_LICENSE("GPL");
MODULE_VERSION(PTHRU_VERSION);
MODULE_ALIAS_GENL_FAMILY(PTHRU_FAMILY_NAME);
