// SPDX-License-Identifier: GPL-2.0
/*
 * policy-test of the pthru family: evaluate the policy of a request, which
 * is read and checked as policy-replace reads and checks it but never
 * installed, against one PCI function (do) or every one (dump), and answer
 * with one decision per message.
 *
 * Nothing is installed or counted, so the request is open to every user
 * and does not take the writers' mutex of nl_policy.c; the installed
 * policy is read only for its mode.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "compat.h"
#include "core/pciaddr.h"
#include "core/policy.h"
#include "gen/pthru-nl.h"
#include "nl_family.h"
#include "nl_policy_priv.h"
#include "policy_state.h"

/* policy-test evaluates binding to this driver unless told another. */
#define TEST_DEFAULT_DRIVER	"vfio-pci"

/* One evaluated function of a policy-test. */
struct test_result {
	u32 addr;
	struct pthru_decision decision;
};

/* A last check by the core of a policy that will not be installed. */
static int check_policy(const struct pthru_policy *policy,
			struct netlink_ext_ack *extack)
{
	const char *why;
	u32 bad;
	int err;

	err = pthru_policy_check(policy, &bad, &why);
	if (!err)
		return 0;
	if (bad < policy->nr_rules)
		pthru_nl_set_err_msg_fmt(extack, "rule %u: %s",
					 policy->rules[bad].id, why);
	else
		pthru_nl_set_err_msg_fmt(extack, "policy: %s", why);
	return err;
}

/*
 * policy-test skips bridges and ports, which are never passed through,
 * unless the request names one.
 */
static bool test_skips(const struct pthru_dev *func)
{
	if (func->class >> 8 == PCI_CLASS_BRIDGE_PCI)
		return true;
	return func->is_pcie &&
	       (func->pcie_type == PCI_EXP_TYPE_ROOT_PORT ||
		func->pcie_type == PCI_EXP_TYPE_UPSTREAM ||
		func->pcie_type == PCI_EXP_TYPE_DOWNSTREAM);
}

static int evaluate_one(const struct pthru_policy *policy,
			const struct pthru_state *state, u32 addr,
			const char *driver, struct pthru_decision *out)
{
	struct pci_dev *pdev;
	int err;

	pdev = pci_get_domain_bus_and_slot(PTHRU_PCIADDR_DOMAIN(addr),
					   PTHRU_PCIADDR_BUS(addr),
					   PTHRU_PCIADDR_DEVFN(addr));
	if (!pdev)
		return -ENODEV;
	err = pthru_policy_evaluate(policy, state, pdev, driver, out);
	pci_dev_put(pdev);
	return err;
}

static size_t test_decision_size(const struct test_result *res,
				 const char *driver)
{
	return nla_total_size(0) +				/* the nest */
	       nla_total_size(PTHRU_PCIADDR_BUFSZ) +		/* addr */
	       nla_total_size(strlen(driver) + 1) +		/* driver */
	       pthru_nl_verdict_size(&res->decision) +
	       nla_total_size(sizeof(u32)) +			/* mode */
	       nla_total_size(sizeof(u32));			/* generation */
}

/* A decision of policy-test: policy-generation 0, the policy is not installed. */
static int put_test_decision(struct sk_buff *skb, const struct test_result *res,
			     const char *driver, u8 mode)
{
	char addr[PTHRU_PCIADDR_BUFSZ];
	struct nlattr *nest;

	nest = nla_nest_start(skb, PTHRU_A_POLICY_DECISION);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, PTHRU_A_DECISION_ADDR,
			   pthru_pciaddr_format(res->addr, addr)) ||
	    nla_put_string(skb, PTHRU_A_DECISION_DRIVER, driver) ||
	    pthru_nl_put_verdict(skb, &res->decision) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_MODE, mode) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_POLICY_GENERATION, 0)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* What a policy-test request asks: a policy, a driver, maybe a function. */
struct test_request {
	struct pthru_policy policy;
	struct pthru_policy_rule *rules;	/* kvfree() */
	char driver[PTHRU_DRIVER_NAME_LEN];
	const struct nlattr *addr_attr;		/* NULL: every function */
	u32 addr;
	u8 mode;				/* of the installed policy */
};

/*
 * Read and check the request's policy as policy-replace does, without
 * installing it.  On error nothing is left to free.
 */
static int parse_test_request(struct genl_info *info, struct test_request *req)
{
	struct pthru_active_policy *ap;
	struct nlattr *attr;
	u32 nr;
	int err;

	memset(req, 0, sizeof(*req));
	strscpy(req->driver, TEST_DEFAULT_DRIVER, sizeof(req->driver));
	err = pthru_nl_parse_default(info, &req->policy);
	if (!err)
		err = pthru_nl_count_rules(info, &nr);
	if (err)
		return err;
	if (nr) {
		req->rules = kvcalloc(nr, sizeof(*req->rules), GFP_KERNEL);
		if (!req->rules)
			return -ENOMEM;
	}
	err = pthru_nl_parse_rules(info, req->rules, nr);
	if (err)
		goto fail;
	req->policy.rules = req->rules;
	req->policy.nr_rules = nr;
	err = check_policy(&req->policy, info->extack);
	if (err)
		goto fail;

	attr = info->attrs[PTHRU_A_POLICY_TEST_DRIVER];
	if (attr && (!pthru_nl_get_name(req->driver, attr,
					sizeof(req->driver)) ||
		     !pthru_nl_token_ok(req->driver))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "test-driver must be a driver name");
		err = -EINVAL;
		goto fail;
	}
	req->addr_attr = info->attrs[PTHRU_A_POLICY_TEST_ADDR];
	if (req->addr_attr) {
		err = pthru_nl_parse_addr(req->addr_attr, info->extack,
					  &req->addr);
		if (err)
			goto fail;
	}
	ap = pthru_policy_active_get();
	req->mode = ap->mode;
	pthru_policy_active_put(ap);
	return 0;
fail:
	kvfree(req->rules);
	req->rules = NULL;
	return err;
}

/* Evaluate one function; -ENODEV when it is not (or no longer) there. */
static int test_one(const struct test_request *req,
		    const struct pthru_state *state, u32 addr,
		    struct netlink_ext_ack *extack, struct test_result *res)
{
	char name[PTHRU_PCIADDR_BUFSZ];
	int err;

	res->addr = addr;
	err = evaluate_one(&req->policy, state, addr, req->driver,
			   &res->decision);
	if (err && err != -ENODEV)
		pthru_nl_set_err_msg_fmt(extack, "cannot evaluate %s: %d",
					 pthru_pciaddr_format(addr, name), err);
	return err;
}

/*
 * Do: the decision for test-addr, which the request must name (a dump
 * answers for every function).
 */
int pthru_nl_policy_test_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct test_request req;
	struct test_result res;
	struct pthru_state *state;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PTHRU_A_POLICY_TEST_ADDR)) {
		GENL_SET_ERR_MSG(info,
				 "missing attribute test-addr (dump policy-test for every function)");
		return -EINVAL;
	}
	err = parse_test_request(info, &req);
	if (err)
		return err;
	state = pthru_nl_read_state(skb, info->extack);
	if (IS_ERR(state)) {
		err = PTR_ERR(state);
		goto out_rules;
	}
	err = test_one(&req, state, req.addr, info->extack, &res);
	if (err == -ENODEV)
		err = pthru_nl_no_such_dev(req.addr_attr, info->extack,
					   req.addr);
	if (err)
		goto out;
	msg = pthru_nl_new_reply(info, test_decision_size(&res, req.driver),
				 &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  put_test_decision(msg, &res,
							    req.driver,
							    req.mode));
	else
		err = -ENOMEM;
out:
	pthru_state_put(state);
out_rules:
	kvfree(req.rules);
	return err;
}

/* cb->args[] slots of a policy-test dump. */
enum {
	DUMP_HAVE_LAST = PTHRU_NL_DUMP_FIRST,	/* a decision was sent */
	DUMP_LAST_ADDR,				/* its function */
};

/*
 * Dump: one decision per message, in address order, for every function
 * (bridges and ports skipped) or for test-addr only.  Each call reads the
 * request's policy again (a dump keeps no state between calls) and
 * resumes after the last address sent.
 */
int pthru_nl_policy_test_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	bool first = !cb->args[PTHRU_NL_DUMP_STARTED];
	struct nlattr *attrs[PTHRU_A_POLICY_MAX + 1];
	/*
	 * What the request's parsers read of a do; 6.1's genl_info points
	 * to a request it may not change, uncast.
	 */
	struct genl_info info = {
		.nlhdr = (struct nlmsghdr *)cb->nlh,
		.genlhdr = nlmsg_data(cb->nlh),
		.attrs = attrs,
		.extack = cb->extack,
	};
	const struct pthru_snapshot *snap;
	struct pthru_state *state;
	struct test_request req;
	struct test_result res;
	bool full = false;
	void *hdr;
	u32 i, sent = 0;
	int err;

	err = pthru_nl_dump_parse(cb, attrs);
	if (!err)
		err = parse_test_request(&info, &req);
	if (err)
		return err;
	state = pthru_nl_dump_state(cb);
	if (IS_ERR(state)) {
		err = PTR_ERR(state);
		goto out_rules;
	}
	snap = state->snap;
	for (i = 0; i < snap->nr_devs; i++) {
		const struct pthru_dev *func = &snap->devs[i];

		if (req.addr_attr ? func->addr != req.addr : test_skips(func))
			continue;
		if (cb->args[DUMP_HAVE_LAST] &&
		    func->addr <= (u32)cb->args[DUMP_LAST_ADDR])
			continue;
		err = test_one(&req, state, func->addr, cb->extack, &res);
		/* A function removed since the inventory is not tested. */
		if (err == -ENODEV && !req.addr_attr)
			continue;
		if (err)
			break;
		hdr = pthru_nl_dump_start_record(skb, cb,
						 PTHRU_CMD_POLICY_TEST);
		if (!hdr || put_test_decision(skb, &res, req.driver,
					      req.mode)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			full = true;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[DUMP_HAVE_LAST] = 1;
		cb->args[DUMP_LAST_ADDR] = func->addr;
		sent++;
	}
	if (err == -ENODEV || (!err && first && req.addr_attr && !sent &&
			       !full)) {
		err = first ? pthru_nl_no_such_dev(req.addr_attr, cb->extack,
						   req.addr) : 0;
		goto out;
	}
	if (!err)
		err = pthru_nl_dump_result(skb, full);
out:
	pthru_state_put(state);
out_rules:
	kvfree(req.rules);
	return err;
}
