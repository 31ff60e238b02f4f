// SPDX-License-Identifier: GPL-2.0
/*
 * The two policy events of the pthru family on the "events" group:
 * policy-change-ntf after a change of the installed policy (nl_policy.c),
 * and decision-ntf for every gated bind (gate.c).  They go out through the
 * events group's helpers of nl_notify.c: nothing is built when nobody
 * listens, and a message that cannot be built is lost with a rate-limited
 * warning.
 *
 * The verdict of a decision is also what each decision of a policy-test
 * reply carries (nl_policy_test.c).
 */
#include <linux/printk.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "gen/pthru-nl.h"
#include "nl_family.h"
#include "nl_policy.h"
#include "nl_policy_priv.h"
#include "policy_state.h"

/**
 * pthru_nl_verdict_size() - payload size of pthru_nl_put_verdict()
 * @decision: the decision
 *
 * Return: bytes.
 */
size_t pthru_nl_verdict_size(const struct pthru_decision *decision)
{
	size_t size = 2 * nla_total_size(sizeof(u32)) +	/* verdict, by-default */
		      nla_total_size(sizeof(u32));		/* unmet */

	if (!decision->by_default)
		size += nla_total_size(sizeof(u32));	/* rule-id */
	if (decision->rule_label[0])
		size += nla_total_size(strlen(decision->rule_label) + 1);
	return size;
}

/**
 * pthru_nl_put_verdict() - the verdict and why, inside a decision nest
 * @skb: message being built
 * @decision: the decision; the rule only when it did not go by default,
 *	its label only when it has one
 *
 * Return: 0 or -EMSGSIZE.
 */
int pthru_nl_put_verdict(struct sk_buff *skb,
			 const struct pthru_decision *decision)
{
	if (nla_put_u32(skb, PTHRU_A_DECISION_VERDICT, decision->verdict) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_BY_DEFAULT, decision->by_default) ||
	    (!decision->by_default &&
	     nla_put_u32(skb, PTHRU_A_DECISION_RULE_ID, decision->rule_id)) ||
	    (decision->rule_label[0] &&
	     nla_put_string(skb, PTHRU_A_DECISION_RULE_LABEL,
			    decision->rule_label)) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_UNMET, decision->unmet))
		return -EMSGSIZE;
	return 0;
}

/**
 * pthru_nl_notify_policy_change() - multicast the policy in force
 *
 * Sleeps: call from process context only.
 */
void pthru_nl_notify_policy_change(void)
{
	struct pthru_active_policy *ap;
	struct sk_buff *msg;
	void *hdr;

	if (pthru_nl_nobody_listens(PTHRU_NLGRP_ALERTS))
		return;

	ap = pthru_policy_active_get();
	msg = genlmsg_new(pthru_nl_policy_size(), GFP_KERNEL);
	if (!msg)
		goto fail;
	hdr = genlmsg_put(msg, 0, 0, &pthru_nl_family, 0,
			  PTHRU_CMD_POLICY_CHANGE_NTF);
	if (!hdr || pthru_nl_put_policy(msg, ap)) {
		nlmsg_free(msg);
		goto fail;
	}
	pthru_nl_multicast(msg, hdr, PTHRU_NLGRP_ALERTS);
	pthru_policy_active_put(ap);
	return;
fail:
	pr_warn_ratelimited("policy-change event for generation %u lost: cannot build the message\n",
			    ap->generation);
	pthru_policy_active_put(ap);
}

static size_t event_decision_size(const struct pthru_decision_event *ev)
{
	size_t size = nla_total_size(0) +			/* the nest */
		      nla_total_size(strlen(ev->addr) + 1) +
		      nla_total_size(strlen(ev->driver) + 1) +
		      2 * nla_total_size(sizeof(u32)) +		/* outcome, mode */
		      2 * nla_total_size(sizeof(u32)) +		/* pid, uid */
		      nla_total_size(strlen(ev->comm) + 1) +
		      nla_total_size(sizeof(u32));		/* generation */

	if (ev->evaluated)
		size += pthru_nl_verdict_size(&ev->decision);
	return size;
}

static int put_event_decision(struct sk_buff *skb,
			      const struct pthru_decision_event *ev)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PTHRU_A_POLICY_DECISION);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, PTHRU_A_DECISION_ADDR, ev->addr) ||
	    nla_put_string(skb, PTHRU_A_DECISION_DRIVER, ev->driver) ||
	    (ev->evaluated && pthru_nl_put_verdict(skb, &ev->decision)) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_OUTCOME, ev->outcome) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_MODE, ev->mode) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_PID, ev->pid) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_UID, ev->uid) ||
	    nla_put_string(skb, PTHRU_A_DECISION_COMM, ev->comm) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_POLICY_GENERATION,
			ev->policy_generation)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * pthru_nl_notify_decision() - multicast what became of a gated bind
 * @ev: the decision; verdict, rule and unmet only when @ev->evaluated
 *
 * Sleeps: call from process context only (the probe path is).
 */
void pthru_nl_notify_decision(const struct pthru_decision_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	if (pthru_nl_nobody_listens(PTHRU_NLGRP_ALERTS))
		return;

	msg = genlmsg_new(event_decision_size(ev), GFP_KERNEL);
	if (!msg)
		goto fail;
	hdr = genlmsg_put(msg, 0, 0, &pthru_nl_family, 0,
			  PTHRU_CMD_DECISION_NTF);
	if (!hdr || put_event_decision(msg, ev)) {
		nlmsg_free(msg);
		goto fail;
	}
	pthru_nl_multicast(msg, hdr, PTHRU_NLGRP_ALERTS);
	return;
fail:
	pr_warn_ratelimited("decision event for %s lost: cannot build the message\n",
			    ev->addr);
}
