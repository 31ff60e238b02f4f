// SPDX-License-Identifier: GPL-2.0
/*
 * Multicasting the pthru family's events: PCI function events (dev-*-ntf,
 * acs-change-ntf) on the inventory group, open to every user; findings
 * that appeared or went away (hazard-raise-ntf, hazard-clear-ntf) on the
 * alerts group, which only CAP_NET_ADMIN may join, and never with a
 * physical address.  The policy events (nl_policy_ntf.c) go to the alerts
 * group through the two helpers at the top.
 *
 * Every sender runs in process context on the module's workqueue, so the
 * messages are allocated with GFP_KERNEL.  Nothing is built when nobody
 * listens.  A message that cannot be built is lost with a rate-limited
 * warning; -ESRCH from the multicast only means that the last listener
 * left meanwhile.
 */
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <uapi/linux/pthru.h>

#include "core/pciaddr.h"
#include "gen/pthru-nl.h"
#include "netlink.h"
#include "nl_family.h"
#include "nl_fill.h"

/**
 * pthru_nl_nobody_listens() - is a multicast group without a listener?
 * @group: PTHRU_NLGRP_INVENTORY or PTHRU_NLGRP_ALERTS
 *
 * Return: true when an event would reach nobody and need not be built.
 */
bool pthru_nl_nobody_listens(unsigned int group)
{
	return !genl_has_listeners(&pthru_nl_family, &init_net, group);
}

/**
 * pthru_nl_multicast() - finish an event and send it to a group
 * @msg: the event, allocated with GFP_KERNEL; consumed
 * @hdr: its genetlink header
 * @group: PTHRU_NLGRP_INVENTORY or PTHRU_NLGRP_ALERTS
 *
 * Sleeps: call from process context only.
 */
void pthru_nl_multicast(struct sk_buff *msg, void *hdr, unsigned int group)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&pthru_nl_family, msg, 0, group, GFP_KERNEL);
}

/**
 * pthru_nl_notify_dev() - multicast an event about one PCI function
 * @cmd: PTHRU_CMD_DEV_ADD_NTF, _DEL_NTF, _BIND_NTF, _UNBIND_NTF or
 *	PTHRU_CMD_ACS_CHANGE_NTF
 * @func: the function's attributes to carry
 * @state: the current state, for the function's reachability; NULL, or a
 *	state without the function (it was removed), leaves it out
 *
 * Sleeps: call from process context only.
 */
void pthru_nl_notify_dev(u8 cmd, const struct pthru_dev *func,
			 const struct pthru_state *state)
{
	char name[PTHRU_PCIADDR_BUFSZ];
	struct sk_buff *msg;
	void *hdr;

	if (pthru_nl_nobody_listens(PTHRU_NLGRP_INVENTORY))
		return;

	msg = genlmsg_new(pthru_nl_dev_size(), GFP_KERNEL);
	if (!msg)
		goto fail;
	hdr = genlmsg_put(msg, 0, 0, &pthru_nl_family, 0, cmd);
	if (!hdr || pthru_nl_put_dev(msg, func, state)) {
		nlmsg_free(msg);
		goto fail;
	}
	pthru_nl_multicast(msg, hdr, PTHRU_NLGRP_INVENTORY);
	return;
fail:
	pr_warn_ratelimited("event %u for %s lost: cannot build the message\n",
			    cmd, pthru_pciaddr_format(func->addr, name));
}

/**
 * pthru_nl_notify_finding() - multicast a finding that appeared or went
 * @cmd: PTHRU_CMD_HAZARD_RAISE_NTF or PTHRU_CMD_HAZARD_CLEAR_NTF
 * @generation: generation of the evaluation that saw the change
 * @finding: the finding
 *
 * Sleeps: call from process context only.
 */
void pthru_nl_notify_finding(u8 cmd, u32 generation,
			     const struct pthru_finding *finding)
{
	struct sk_buff *msg;
	void *hdr;

	if (pthru_nl_nobody_listens(PTHRU_NLGRP_ALERTS))
		return;

	msg = genlmsg_new(nla_total_size(sizeof(u32)) +
			  pthru_nl_finding_size(finding, false), GFP_KERNEL);
	if (!msg)
		goto fail;
	hdr = genlmsg_put(msg, 0, 0, &pthru_nl_family, 0, cmd);
	if (!hdr ||
	    nla_put_u32(msg, PTHRU_A_HAZARD_GENERATION, generation) ||
	    pthru_nl_put_finding(msg, PTHRU_A_HAZARD_FINDING, finding, false)) {
		nlmsg_free(msg);
		goto fail;
	}
	pthru_nl_multicast(msg, hdr, PTHRU_NLGRP_ALERTS);
	return;
fail:
	pr_warn_ratelimited("event %u for finding PTHRU-%03u lost: cannot build the message\n",
			    cmd, finding->id);
}
