// SPDX-License-Identifier: GPL-2.0
/*
 * policy-test of the pthru family: evaluate the policy of a request, which
 * is read and checked as policy-replace reads and checks it but never
 * installed, against one PCI function or every one, and answer with a
 * decision per function.
 *
 * Nothing is installed or counted, so the request is open to every user
 * and does not take the writers' mutex of nl_policy.c; the installed
 * policy is read only for its mode.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sizes.h>
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

/*
 * The largest policy-test reply.  With the skb's own overhead it is one
 * 128 KiB allocation, whose truesize still leaves room for the ack that
 * follows it in a receive buffer of the default size (rmem_default is
 * 208 KiB), so that an unprivileged caller needs no bigger buffer.  A
 * decision takes 88 to 164 bytes: 790 to 1,470 functions fit.
 */
#define TEST_REPLY_MAX		(SZ_128K - SZ_1K)

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
	       nla_total_size(sizeof(u8)) +			/* mode */
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
	    nla_put_u8(skb, PTHRU_A_DECISION_MODE, mode) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_POLICY_GENERATION, 0)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_test_results(struct sk_buff *skb,
			    const struct test_result *results, u32 nr,
			    const char *driver, u8 mode)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (put_test_decision(skb, &results[i], driver, mode))
			return -EMSGSIZE;
	return 0;
}

/* The candidates of a policy-test: @addr_attr's function, or every one. */
static int evaluate_all(const struct genl_info *info,
			const struct pthru_policy *policy,
			const struct pthru_state *state,
			const struct nlattr *addr_attr, u32 addr,
			const char *driver, struct test_result *results,
			u32 *nr)
{
	const struct pthru_snapshot *snap = state->snap;
	char name[PTHRU_PCIADDR_BUFSZ];
	const struct pthru_dev *func;
	u32 i;
	int err;

	*nr = 0;
	for (i = 0; i < snap->nr_devs; i++) {
		func = &snap->devs[i];
		if (addr_attr ? func->addr != addr : test_skips(func))
			continue;
		err = evaluate_one(policy, state, func->addr, driver,
				   &results[*nr].decision);
		/* A function removed since the inventory is not tested. */
		if (err == -ENODEV && !addr_attr)
			continue;
		if (err == -ENODEV)
			return pthru_nl_no_such_dev(addr_attr, info->extack, addr);
		if (err) {
			pthru_nl_set_err_msg_fmt(info->extack,
						 "cannot evaluate %s: %d",
						 pthru_pciaddr_format(func->addr, name),
						 err);
			return err;
		}
		results[(*nr)++].addr = func->addr;
	}
	if (addr_attr && !*nr)
		return pthru_nl_no_such_dev(addr_attr, info->extack, addr);
	return 0;
}

static int test_policy(struct genl_info *info, const struct pthru_policy *policy,
		       const struct nlattr *addr_attr, u32 addr,
		       const char *driver)
{
	struct pthru_active_policy *ap;
	struct test_result *results;
	struct pthru_state *state;
	struct sk_buff *msg;
	size_t size = 0;
	u32 nr, i;
	void *hdr;
	int err;
	u8 mode;

	ap = pthru_policy_active_get();
	mode = ap->mode;
	pthru_policy_active_put(ap);

	state = pthru_nl_fresh_state(info->extack);
	if (IS_ERR(state))
		return PTR_ERR(state);
	results = kvmalloc_array(max(state->snap->nr_devs, 1U),
				 sizeof(*results), GFP_KERNEL);
	if (!results) {
		err = -ENOMEM;
		goto out;
	}
	err = evaluate_all(info, policy, state, addr_attr, addr, driver,
			   results, &nr);
	if (err)
		goto out;

	for (i = 0; i < nr; i++)
		size += test_decision_size(&results[i], driver);
	if (size > TEST_REPLY_MAX) {
		pthru_nl_set_err_msg_fmt(info->extack,
					 "%u decisions exceed one message: test with test-addr",
					 nr);
		err = -EMSGSIZE;
		goto out;
	}
	msg = pthru_nl_new_reply(info, size, &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  put_test_results(msg, results, nr,
							   driver, mode));
	else
		err = -ENOMEM;
out:
	kvfree(results);
	pthru_state_put(state);
	return err;
}

/*
 * The policy of the request is checked as policy-replace checks it, but
 * not installed; decisions come in address order.
 */
int pthru_nl_policy_test_doit(struct sk_buff *skb, struct genl_info *info)
{
	char driver[PTHRU_DRIVER_NAME_LEN] = TEST_DEFAULT_DRIVER;
	struct pthru_policy_rule *rules = NULL;
	struct pthru_policy policy = {};
	struct nlattr *addr_attr, *attr;
	u32 addr = 0, nr;
	int err;

	err = pthru_nl_parse_default(info, &policy);
	if (!err)
		err = pthru_nl_count_rules(info, &nr);
	if (err)
		return err;
	if (nr) {
		rules = kvcalloc(nr, sizeof(*rules), GFP_KERNEL);
		if (!rules)
			return -ENOMEM;
	}
	err = pthru_nl_parse_rules(info, rules, nr);
	if (err)
		goto out;
	policy.rules = rules;
	policy.nr_rules = nr;
	err = check_policy(&policy, info->extack);
	if (err)
		goto out;

	attr = info->attrs[PTHRU_A_POLICY_TEST_DRIVER];
	if (attr && (!pthru_nl_get_name(driver, attr, sizeof(driver)) ||
		     !pthru_nl_token_ok(driver))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "test-driver must be a driver name");
		err = -EINVAL;
		goto out;
	}
	addr_attr = info->attrs[PTHRU_A_POLICY_TEST_ADDR];
	if (addr_attr) {
		err = pthru_nl_parse_addr(addr_attr, info->extack, &addr);
		if (err)
			goto out;
	}
	err = test_policy(info, &policy, addr_attr, addr, driver);
out:
	kvfree(rules);
	return err;
}
