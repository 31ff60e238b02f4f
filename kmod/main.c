// SPDX-License-Identifier: GPL-2.0
/*
 * pthru: report whether the IOMMU isolates each PCI function of a
 * passthrough host.
 *
 * Module init and exit.  Each step depends on the ones before it: the
 * policy is installed first (a bad mode= fails the load before anything
 * else is set up, and requests read it), the event senders run on the
 * workqueue, events and requests read the store, and events are sent
 * through the netlink family.  The bind gate comes last among the steps
 * that can fail: it evaluates against the store and announces through the
 * family, and once it is up nothing else can fail and leave a wrapped
 * probe pointer behind.  Exit undoes the steps in reverse order, except
 * that the announcer stops before the family goes away: requests still
 * running may publish states until the family is unregistered, and their
 * announcements must not reach a dead family.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "acs_baseline.h"
#include "acs_poll.h"
#include "announce.h"
#include "debugfs.h"
#include "gate.h"
#include "netlink.h"
#include "notifier.h"
#include "policy_state.h"
#include "shadow.h"
#include "store.h"
#include "verify.h"
#include "version.h"
#include "wq.h"

/* The bind gate's mode at load; policy-set changes it later. */
static char *mode = "audit";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "bind gate mode at load: off, audit (default) or enforce");

static int __init pthru_init(void)
{
	struct pthru_active_policy *ap;
	struct pthru_state *state;
	int err;

	err = pthru_policy_state_init(mode);
	if (err)
		return err;
	err = pthru_wq_init();
	if (err)
		goto err_policy;
	err = pthru_store_init();
	if (err) {
		pr_err("cannot read the PCI inventory: %d\n", err);
		goto err_wq;
	}
	pthru_announce_init();
	err = pthru_shadow_init();
	if (err)
		goto err_announce;
	err = pthru_netlink_init();
	if (err)
		goto err_shadow;
	err = pthru_notifier_init();
	if (err)
		goto err_netlink;
	err = pthru_gate_init();
	if (err)
		goto err_notifier;
	pthru_shadow_gate_ready();
	pthru_acs_poll_init();
	pthru_debugfs_init();

	state = pthru_store_get();
	ap = pthru_policy_active_get();
	pr_info("version %s: %u PCI functions, %u IOMMU groups, IOMMU driver %s, %u findings, bind gate %s\n",
		PTHRU_VERSION, state->snap->nr_devs, state->snap->nr_groups,
		state->snap->iommu_driver, state->findings.nr,
		pthru_policy_mode_name(ap->mode));
	pthru_policy_active_put(ap);
	pthru_state_put(state);
	return 0;

err_notifier:
	pthru_notifier_exit();
err_netlink:
	pthru_netlink_exit();
err_shadow:
	pthru_shadow_exit();
	pthru_verify_exit();
err_announce:
	pthru_announce_exit();
	pthru_store_exit();
err_wq:
	pthru_wq_exit();
	pthru_acs_baseline_exit();
err_policy:
	pthru_policy_state_exit();
	return err;
}

static void __exit pthru_exit(void)
{
	pthru_debugfs_exit();
	pthru_acs_poll_exit();
	pthru_gate_exit();
	pthru_notifier_exit();
	pthru_announce_exit();
	pthru_netlink_exit();
	pthru_shadow_exit();
	pthru_verify_exit();
	pthru_wq_exit();
	pthru_store_exit();
	pthru_acs_baseline_exit();
	pthru_policy_state_exit();
}

module_init(pthru_init);
module_exit(pthru_exit);

MODULE_DESCRIPTION("Report whether the IOMMU isolates each PCI function");
MODULE_LICENSE("GPL");
MODULE_VERSION(PTHRU_VERSION);
MODULE_ALIAS_GENL_FAMILY(PTHRU_FAMILY_NAME);
