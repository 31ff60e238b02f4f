// SPDX-License-Identifier: GPL-2.0
/*
 * The policy requests of the pthru family: policy-get, policy-set,
 * rule-get (do and dump), policy-replace and policy-test; and the two
 * policy events, policy-change-ntf and decision-ntf.
 *
 * The changing requests are serialised from reading the installed policy
 * to publishing the next one: policy-set copies the rules it does not
 * change, and without the mutex it could undo a policy-replace published
 * in between.  A locked policy is refused before the request is read, and
 * the refusal goes to the Linux audit log as a change does.
 *
 * A request is read and checked completely before anything is installed,
 * so that an error changes nothing.  Error messages name a rule by its id
 * ("rule 12: ..."), or by its position when it has none ("rule #3: ..."),
 * and point at the offending attribute.
 *
 * rule-get dumps hold no reference between calls (the generated table has
 * no .done that could drop one).  Each call takes the installed policy
 * again and resumes at the next index; the generation seen by the first
 * call is kept in cb->args, and a later call that finds another ends the
 * dump with EAGAIN and an extack message (the closing message is also
 * flagged NLM_F_DUMP_INTR) instead of mixing the rules of two policies.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "audit_log.h"
#include "compat.h"
#include "core/gated.h"
#include "core/pciaddr.h"
#include "core/policy.h"
#include "gen/pthru-nl.h"
#include "nl_family.h"
#include "nl_policy.h"
#include "policy_state.h"

/*
 * Actions and requirement bits are copied between the core and the uapi
 * attributes without translation (policy_state.c asserts that the values
 * agree), and the spec's name lengths are the core's buffers less the NUL.
 */
static_assert(PTHRU_POLICY_LABEL_LEN == 63 + 1);
static_assert(PTHRU_POLICY_SLOT_LEN == 31 + 1);
static_assert(PTHRU_DRIVER_NAME_LEN == 31 + 1);

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

/* cb->args[] slots of a rule-get dump. */
enum {
	DUMP_GENERATION = PTHRU_NL_DUMP_FIRST,	/* of the policy being sent */
	DUMP_NEXT,				/* index of the next rule */
};

static DEFINE_MUTEX(policy_write_lock);

/* Gated driver names of a request; @nr 0 keeps the installed list. */
struct gated_list {
	u32 nr;
	char names[PTHRU_GATED_MAX][PTHRU_DRIVER_NAME_LEN];
};

/* What a policy-set request asks for, read before anything changes. */
struct set_request {
	bool has_mode;
	u8 mode;
	bool has_default;
	u8 default_action;
	u32 default_requirements;
	struct gated_list gated;
	bool lock;
};

/* One evaluated function of a policy-test. */
struct test_result {
	u32 addr;
	struct pthru_decision decision;
};

/*
 * A slot or driver name of a match: one token of the policy language (no
 * blank, quote or comment sign), so that every policy can be saved as text
 * and loaded back.
 */
static bool token_ok(const char *name)
{
	const char *p = name;

	if (!*p)
		return false;
	for (; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '"' || *p == '#')
			return false;
	return true;
}

/* A label is printable ASCII; the language quotes it. */
static bool label_ok(const char *label)
{
	for (; *label; label++)
		if (*label < ' ' || *label > '~')
			return false;
	return true;
}

static size_t policy_size(void)
{
	return 2 * nla_total_size(sizeof(u8)) +	/* mode, default-action */
	       nla_total_size(sizeof(u32)) +	/* default-requirements */
	       nla_total_size(sizeof(u8)) +	/* locked */
	       PTHRU_GATED_MAX * nla_total_size(PTHRU_DRIVER_NAME_LEN) +
	       5 * nla_total_size(sizeof(u32));	/* rule-count .. audited */
}

/* The attributes of a policy-get reply and a policy-change-ntf. */
static int put_policy(struct sk_buff *skb, const struct pthru_active_policy *ap)
{
	u32 allowed, denied, audited, i;

	pthru_policy_counters(&allowed, &denied, &audited);
	if (nla_put_u8(skb, PTHRU_A_POLICY_MODE, ap->mode) ||
	    nla_put_u8(skb, PTHRU_A_POLICY_DEFAULT_ACTION,
		       ap->policy.default_action) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS,
			ap->policy.default_requirements) ||
	    nla_put_u8(skb, PTHRU_A_POLICY_LOCKED, pthru_policy_locked()))
		return -EMSGSIZE;
	for (i = 0; i < ap->nr_gated; i++)
		if (nla_put_string(skb, PTHRU_A_POLICY_GATED_DRIVER,
				   ap->gated[i]))
			return -EMSGSIZE;
	if (nla_put_u32(skb, PTHRU_A_POLICY_RULE_COUNT, ap->policy.nr_rules) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_GENERATION, ap->generation) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_ALLOWED, allowed) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_DENIED, denied) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_AUDITED, audited))
		return -EMSGSIZE;
	return 0;
}

static size_t rule_size(void)
{
	return nla_total_size(0) +				/* the nest */
	       nla_total_size(sizeof(u32)) +			/* id */
	       nla_total_size(PTHRU_POLICY_LABEL_LEN) +		/* label */
	       nla_total_size(sizeof(u8)) +			/* action */
	       nla_total_size(sizeof(u32)) +			/* requirements */
	       4 * nla_total_size(sizeof(u16)) +		/* vendor .. */
	       2 * nla_total_size(sizeof(u32)) +		/* class, mask */
	       nla_total_size(PTHRU_PCIADDR_BUFSZ) +		/* addr */
	       nla_total_size(PTHRU_POLICY_SLOT_LEN) +		/* slot */
	       nla_total_size_64bit(sizeof(u64)) +		/* dsn */
	       nla_total_size(PTHRU_DRIVER_NAME_LEN);		/* driver */
}

/* One rule nest; the match fields that are set, the label if any. */
static int put_rule(struct sk_buff *skb, const struct pthru_policy_rule *rule)
{
	const struct pthru_policy_match *match = &rule->match;
	char addr[PTHRU_PCIADDR_BUFSZ];
	u32 fields = match->fields;
	struct nlattr *nest;

	nest = nla_nest_start(skb, PTHRU_A_POLICY_RULE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PTHRU_A_RULE_ID, rule->id) ||
	    (rule->label[0] &&
	     nla_put_string(skb, PTHRU_A_RULE_LABEL, rule->label)) ||
	    nla_put_u8(skb, PTHRU_A_RULE_ACTION, rule->action) ||
	    nla_put_u32(skb, PTHRU_A_RULE_REQUIREMENTS, rule->requirements))
		goto cancel;
	if (((fields & PTHRU_POLICY_MATCH_VENDOR) &&
	     nla_put_u16(skb, PTHRU_A_RULE_VENDOR, match->vendor)) ||
	    ((fields & PTHRU_POLICY_MATCH_DEVICE) &&
	     nla_put_u16(skb, PTHRU_A_RULE_DEVICE, match->device)) ||
	    ((fields & PTHRU_POLICY_MATCH_SUBSYS_VENDOR) &&
	     nla_put_u16(skb, PTHRU_A_RULE_SUBSYS_VENDOR,
			 match->subsys_vendor)) ||
	    ((fields & PTHRU_POLICY_MATCH_SUBSYS_DEVICE) &&
	     nla_put_u16(skb, PTHRU_A_RULE_SUBSYS_DEVICE,
			 match->subsys_device)))
		goto cancel;
	if ((fields & PTHRU_POLICY_MATCH_CLASS) &&
	    (nla_put_u32(skb, PTHRU_A_RULE_CLASS, match->class) ||
	     (match->class_mask &&
	      nla_put_u32(skb, PTHRU_A_RULE_CLASS_MASK, match->class_mask))))
		goto cancel;
	if (((fields & PTHRU_POLICY_MATCH_ADDR) &&
	     nla_put_string(skb, PTHRU_A_RULE_ADDR,
			    pthru_pciaddr_format(match->addr, addr))) ||
	    ((fields & PTHRU_POLICY_MATCH_SLOT) &&
	     nla_put_string(skb, PTHRU_A_RULE_SLOT, match->slot)) ||
	    ((fields & PTHRU_POLICY_MATCH_DSN) &&
	     nla_put_u64_64bit(skb, PTHRU_A_RULE_DSN, match->dsn,
			       PTHRU_A_RULE_PAD)) ||
	    ((fields & PTHRU_POLICY_MATCH_DRIVER) &&
	     nla_put_string(skb, PTHRU_A_RULE_DRIVER, match->driver)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* The verdict and why, inside a decision nest. */
static size_t verdict_size(const struct pthru_decision *decision)
{
	size_t size = 2 * nla_total_size(sizeof(u8)) +	/* verdict, by-default */
		      nla_total_size(sizeof(u32));		/* unmet */

	if (!decision->by_default)
		size += nla_total_size(sizeof(u32));	/* rule-id */
	if (decision->rule_label[0])
		size += nla_total_size(strlen(decision->rule_label) + 1);
	return size;
}

static int put_verdict(struct sk_buff *skb,
		       const struct pthru_decision *decision)
{
	if (nla_put_u8(skb, PTHRU_A_DECISION_VERDICT, decision->verdict) ||
	    nla_put_u8(skb, PTHRU_A_DECISION_BY_DEFAULT, decision->by_default) ||
	    (!decision->by_default &&
	     nla_put_u32(skb, PTHRU_A_DECISION_RULE_ID, decision->rule_id)) ||
	    (decision->rule_label[0] &&
	     nla_put_string(skb, PTHRU_A_DECISION_RULE_LABEL,
			    decision->rule_label)) ||
	    nla_put_u32(skb, PTHRU_A_DECISION_UNMET, decision->unmet))
		return -EMSGSIZE;
	return 0;
}

static struct pthru_active_policy *copy_policy(const struct pthru_active_policy *cur)
{
	struct pthru_active_policy *next;
	u32 nr = cur->policy.nr_rules;

	next = pthru_policy_alloc(nr);
	if (!next)
		return NULL;
	next->mode = cur->mode;
	next->nr_gated = cur->nr_gated;
	memcpy(next->gated, cur->gated, sizeof(next->gated));
	next->policy = cur->policy;
	next->policy.rules = next->rules;
	memcpy(next->rules, cur->rules, array_size(nr, sizeof(*next->rules)));
	return next;
}

static void set_gated(struct pthru_active_policy *next,
		      const struct gated_list *gated)
{
	next->nr_gated = gated->nr;
	memset(next->gated, 0, sizeof(next->gated));
	memcpy(next->gated, gated->names, sizeof(gated->names[0]) * gated->nr);
}

static int refuse_locked(const char *op, const struct pthru_active_policy *cur,
			 struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "policy is locked until reboot");
	pthru_audit_policy_change(op, cur, -EPERM);
	return -EPERM;
}

/*
 * Install @next (consumed) for request @op and log the change, or the
 * refusal when the policy was locked meanwhile.  Call with the write lock.
 */
static int install(const char *op, struct pthru_active_policy *next,
		   struct netlink_ext_ack *extack)
{
	struct pthru_active_policy *now;
	int err;

	err = pthru_policy_install(next, extack);
	if (err && err != -EPERM)
		return err;
	now = pthru_policy_active_get();
	if (err)
		err = refuse_locked(op, now, extack);
	else
		pthru_audit_policy_change(op, now, 0);
	pthru_policy_active_put(now);
	return err;
}

/* Answer with the policy in force, as policy-get does. */
static int reply_policy(struct genl_info *info)
{
	struct pthru_active_policy *ap = pthru_policy_active_get();
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = pthru_nl_new_reply(info, policy_size(), &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr, put_policy(msg, ap));
	else
		err = -ENOMEM;
	pthru_policy_active_put(ap);
	return err;
}

/*
 * Copy a string attribute that the request policy bounded; false when it
 * holds a NUL before its end, which would hide what follows.
 */
static bool get_name(char *dst, const struct nlattr *attr, size_t size)
{
	return nla_strscpy(dst, attr, size) >= 0 &&
	       (int)strnlen(nla_data(attr), nla_len(attr)) >= nla_len(attr) - 1;
}

/* The gated-driver attributes of a request, in order. */
static int parse_gated(const struct genl_info *info, struct gated_list *gated)
{
	struct nlattr *attr;
	char *name;
	int rem;

	gated->nr = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != PTHRU_A_POLICY_GATED_DRIVER)
			continue;
		if (gated->nr == PTHRU_GATED_MAX) {
			NL_SET_BAD_ATTR(info->extack, attr);
			pthru_nl_set_err_msg_fmt(info->extack,
						 "more than %u gated drivers",
						 PTHRU_GATED_MAX);
			return -E2BIG;
		}
		name = gated->names[gated->nr];
		if (!get_name(name, attr, PTHRU_DRIVER_NAME_LEN) ||
		    !pthru_gated_name_valid(name, PTHRU_DRIVER_NAME_LEN)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "bad gated driver name (NAME or *SUFFIX of A-Z a-z 0-9 _ . -)");
			return -EINVAL;
		}
		gated->nr++;
	}
	return 0;
}

static int check_default(const struct nlattr *reqs_attr, u8 action, u32 reqs,
			 struct netlink_ext_ack *extack)
{
	if (action == PTHRU_ACTION_DENY && reqs) {
		NL_SET_ERR_MSG_ATTR(extack, reqs_attr,
				    "default: requirements need an allow");
		return -EINVAL;
	}
	return 0;
}

/* The required default of a policy-replace or policy-test request. */
static int parse_default(struct genl_info *info,
			 struct pthru_policy *policy)
{
	struct nlattr *reqs_attr = info->attrs[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS];

	if (GENL_REQ_ATTR_CHECK(info, PTHRU_A_POLICY_DEFAULT_ACTION)) {
		GENL_SET_ERR_MSG(info, "missing attribute default-action");
		return -EINVAL;
	}
	/* The request policy bounds both values. */
	policy->default_action =
		nla_get_u8(info->attrs[PTHRU_A_POLICY_DEFAULT_ACTION]);
	policy->default_requirements = reqs_attr ? nla_get_u32(reqs_attr) : 0;
	return check_default(reqs_attr, policy->default_action,
			     policy->default_requirements, info->extack);
}

/* Count the rule nests of a request: E2BIG beyond what the core takes. */
static int count_rules(const struct genl_info *info, u32 *nr)
{
	struct nlattr *attr;
	int rem;

	*nr = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != PTHRU_A_POLICY_RULE)
			continue;
		if (*nr == PTHRU_POLICY_MAX_RULES) {
			NL_SET_BAD_ATTR(info->extack, attr);
			pthru_nl_set_err_msg_fmt(info->extack,
						 "more than %u rules",
						 PTHRU_POLICY_MAX_RULES);
			return -E2BIG;
		}
		(*nr)++;
	}
	return 0;
}

/* Refuse rule @pos (0-based), naming it, and point at @attr. */
static int bad_rule(struct netlink_ext_ack *extack, const struct nlattr *attr,
		    const struct pthru_policy_rule *rule, u32 pos,
		    const char *why)
{
	NL_SET_BAD_ATTR(extack, attr);
	if (rule->id)
		pthru_nl_set_err_msg_fmt(extack, "rule %u: %s", rule->id, why);
	else
		pthru_nl_set_err_msg_fmt(extack, "rule #%u: %s", pos + 1, why);
	return -EINVAL;
}

static void match_u16(struct pthru_policy_match *match, u32 field,
		      const struct nlattr *attr, u16 *value)
{
	if (!attr)
		return;
	match->fields |= field;
	*value = nla_get_u16(attr);
}

static int parse_match(struct nlattr **tb, struct pthru_policy_rule *rule,
		       u32 pos, struct netlink_ext_ack *extack)
{
	struct pthru_policy_match *match = &rule->match;
	const struct nlattr *attr;

	match_u16(match, PTHRU_POLICY_MATCH_VENDOR, tb[PTHRU_A_RULE_VENDOR],
		  &match->vendor);
	match_u16(match, PTHRU_POLICY_MATCH_DEVICE, tb[PTHRU_A_RULE_DEVICE],
		  &match->device);
	match_u16(match, PTHRU_POLICY_MATCH_SUBSYS_VENDOR,
		  tb[PTHRU_A_RULE_SUBSYS_VENDOR], &match->subsys_vendor);
	match_u16(match, PTHRU_POLICY_MATCH_SUBSYS_DEVICE,
		  tb[PTHRU_A_RULE_SUBSYS_DEVICE], &match->subsys_device);

	/*
	 * The request policy bounds both to 24 bits today; the check is
	 * repeated so that the error names the rule whatever the spec's
	 * checks become.
	 */
	attr = tb[PTHRU_A_RULE_CLASS];
	if (attr) {
		match->fields |= PTHRU_POLICY_MATCH_CLASS;
		match->class = nla_get_u32(attr);
		if (match->class & ~PTHRU_POLICY_CLASS_MASK)
			return bad_rule(extack, attr, rule, pos,
					"class is 24 bits");
	}
	attr = tb[PTHRU_A_RULE_CLASS_MASK];
	if (attr) {
		if (!tb[PTHRU_A_RULE_CLASS])
			return bad_rule(extack, attr, rule, pos,
					"class-mask without class");
		match->class_mask = nla_get_u32(attr);
		if (match->class_mask & ~PTHRU_POLICY_CLASS_MASK)
			return bad_rule(extack, attr, rule, pos,
					"class-mask is 24 bits");
	}

	attr = tb[PTHRU_A_RULE_ADDR];
	if (attr) {
		if (pthru_pciaddr_parse(nla_data(attr), &match->addr))
			return bad_rule(extack, attr, rule, pos,
					"malformed addr (expected DDDD:BB:DD.F)");
		match->fields |= PTHRU_POLICY_MATCH_ADDR;
	}

	attr = tb[PTHRU_A_RULE_SLOT];
	if (attr) {
		if (!get_name(match->slot, attr, sizeof(match->slot)) ||
		    !token_ok(match->slot))
			return bad_rule(extack, attr, rule, pos,
					"slot must be 1-31 printable, no blank, quote or #");
		match->fields |= PTHRU_POLICY_MATCH_SLOT;
	}

	if (tb[PTHRU_A_RULE_DSN]) {
		match->fields |= PTHRU_POLICY_MATCH_DSN;
		match->dsn = nla_get_u64(tb[PTHRU_A_RULE_DSN]);
	}

	attr = tb[PTHRU_A_RULE_DRIVER];
	if (attr) {
		if (!get_name(match->driver, attr, sizeof(match->driver)) ||
		    !token_ok(match->driver))
			return bad_rule(extack, attr, rule, pos,
					"driver must be 1-31 printable, no blank, quote or #");
		match->fields |= PTHRU_POLICY_MATCH_DRIVER;
	}
	return 0;
}

/* One rule nest of a request into @rule; @pos is its 0-based position. */
static int parse_rule(struct nlattr *nest, u32 pos,
		      struct pthru_policy_rule *rule,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PTHRU_A_RULE_MAX + 1];
	struct nlattr *attr;
	int err;

	memset(rule, 0, sizeof(*rule));
	err = nla_parse_nested(tb, PTHRU_A_RULE_MAX, nest, pthru_rule_nl_policy,
			       extack);
	if (err)
		return err;

	/* The policy keeps an id above 0 and an action within the enum. */
	if (!tb[PTHRU_A_RULE_ID]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, PTHRU_A_RULE_ID);
		return bad_rule(extack, nest, rule, pos, "missing attribute id");
	}
	rule->id = nla_get_u32(tb[PTHRU_A_RULE_ID]);
	if (!tb[PTHRU_A_RULE_ACTION]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, PTHRU_A_RULE_ACTION);
		return bad_rule(extack, nest, rule, pos,
				"missing attribute action");
	}
	rule->action = nla_get_u8(tb[PTHRU_A_RULE_ACTION]);

	attr = tb[PTHRU_A_RULE_REQUIREMENTS];
	if (attr) {
		rule->requirements = nla_get_u32(attr);
		if (rule->action == PTHRU_POLICY_ACTION_DENY &&
		    rule->requirements)
			return bad_rule(extack, attr, rule, pos,
					"requirements need an allow");
	}

	attr = tb[PTHRU_A_RULE_LABEL];
	if (attr && (!get_name(rule->label, attr, sizeof(rule->label)) ||
		     !label_ok(rule->label)))
		return bad_rule(extack, attr, rule, pos,
				"label must be printable ASCII");

	return parse_match(tb, rule, pos, extack);
}

/* Every rule nest of a request into @rules, which has room for @nr. */
static int parse_rules(const struct genl_info *info,
		       struct pthru_policy_rule *rules, u32 nr)
{
	struct nlattr *attr;
	u32 i = 0, j;
	int rem, err;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != PTHRU_A_POLICY_RULE)
			continue;
		if (WARN_ON_ONCE(i == nr))
			return -EINVAL;
		err = parse_rule(attr, i, &rules[i], info->extack);
		if (err)
			return err;
		for (j = 0; j < i; j++)
			if (rules[j].id == rules[i].id)
				return bad_rule(info->extack, attr, &rules[i],
						i, "duplicate id");
		i++;
	}
	return 0;
}

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

int pthru_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_policy(info);
}

/*
 * A default-action comes with its requirements (none when the request
 * has none); requirements alone apply to the installed default action.
 */
static int parse_set(const struct genl_info *info,
		     const struct pthru_active_policy *cur,
		     struct set_request *req)
{
	struct nlattr *action_attr = info->attrs[PTHRU_A_POLICY_DEFAULT_ACTION];
	struct nlattr *reqs_attr = info->attrs[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS];
	struct nlattr *attr;
	int err;

	memset(req, 0, sizeof(*req));
	attr = info->attrs[PTHRU_A_POLICY_MODE];
	if (attr) {
		req->has_mode = true;
		req->mode = nla_get_u8(attr);
	}
	if (action_attr || reqs_attr) {
		req->has_default = true;
		req->default_action = action_attr ? nla_get_u8(action_attr) :
						    cur->policy.default_action;
		req->default_requirements = reqs_attr ? nla_get_u32(reqs_attr) : 0;
		err = check_default(reqs_attr, req->default_action,
				    req->default_requirements, info->extack);
		if (err)
			return err;
	}
	attr = info->attrs[PTHRU_A_POLICY_LOCKED];
	if (attr) {
		if (nla_get_u8(attr) > 1) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "locked must be 0 or 1");
			return -EINVAL;
		}
		req->lock = nla_get_u8(attr);
	}
	return parse_gated(info, &req->gated);
}

/*
 * Everything is checked before anything changes; the changes are
 * installed first and the lock comes last, so that a request changing the
 * mode and asking for the lock pins the new mode.
 */
int pthru_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pthru_active_policy *cur, *next, *now;
	struct set_request req;
	bool changes;
	int err;

	mutex_lock(&policy_write_lock);
	cur = pthru_policy_active_get();
	if (pthru_policy_locked()) {
		err = refuse_locked("policy-set", cur, info->extack);
		goto out;
	}
	err = parse_set(info, cur, &req);
	if (err)
		goto out;

	changes = req.has_mode || req.has_default || req.gated.nr;
	if (changes) {
		next = copy_policy(cur);
		if (!next) {
			err = -ENOMEM;
			goto out;
		}
		if (req.has_mode)
			next->mode = req.mode;
		if (req.has_default) {
			next->policy.default_action = req.default_action;
			next->policy.default_requirements =
				req.default_requirements;
		}
		if (req.gated.nr)
			set_gated(next, &req.gated);
		err = install("policy-set", next, info->extack);
		if (err)
			goto out;
	}
	if (req.lock) {
		pthru_policy_lock();
		now = pthru_policy_active_get();
		pthru_audit_policy_change("lock", now, 0);
		pthru_policy_active_put(now);
	}
	if (changes || req.lock)
		pthru_nl_notify_policy_change();
out:
	pthru_policy_active_put(cur);
	mutex_unlock(&policy_write_lock);
	return err ?: reply_policy(info);
}

/* The rule-id of a rule-get, looked up in @ap. */
static const struct pthru_policy_rule *find_rule(const struct pthru_active_policy *ap,
						 u32 id)
{
	u32 i;

	for (i = 0; i < ap->policy.nr_rules; i++)
		if (ap->rules[i].id == id)
			return &ap->rules[i];
	return NULL;
}

int pthru_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct pthru_policy_rule *rule;
	struct pthru_active_policy *ap;
	struct nlattr *attr;
	struct sk_buff *msg;
	void *hdr;
	int err;
	u32 id;

	if (GENL_REQ_ATTR_CHECK(info, PTHRU_A_POLICY_RULE_ID)) {
		GENL_SET_ERR_MSG(info, "missing attribute rule-id");
		return -EINVAL;
	}
	attr = info->attrs[PTHRU_A_POLICY_RULE_ID];
	id = nla_get_u32(attr);

	ap = pthru_policy_active_get();
	rule = find_rule(ap, id);
	if (!rule) {
		NL_SET_BAD_ATTR(info->extack, attr);
		pthru_nl_set_err_msg_fmt(info->extack, "no rule %u", id);
		err = -ENOENT;
		goto out;
	}
	msg = pthru_nl_new_reply(info, nla_total_size(sizeof(u32)) +
					rule_size(), &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  nla_put_u32(msg, PTHRU_A_POLICY_GENERATION,
						      ap->generation) ?:
					  put_rule(msg, rule));
	else
		err = -ENOMEM;
out:
	pthru_policy_active_put(ap);
	return err;
}

int pthru_nl_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pthru_active_policy *ap = pthru_policy_active_get();
	u32 nr = ap->policy.nr_rules;
	void *hdr;
	int ret;
	u32 i;

	if (!cb->args[PTHRU_NL_DUMP_STARTED]) {
		cb->args[PTHRU_NL_DUMP_STARTED] = 1;
		cb->args[DUMP_GENERATION] = ap->generation;
		cb->args[DUMP_NEXT] = 0;
	}
	/* Never 0, which would turn the consistency check off. */
	cb->seq = ap->generation + 1;
	if (ap->generation != (u32)cb->args[DUMP_GENERATION]) {
		NL_SET_ERR_MSG(cb->extack,
			       "the policy changed during the dump: dump again");
		ret = -EAGAIN;
		goto out;
	}

	for (i = cb->args[DUMP_NEXT]; i < nr; i++) {
		hdr = pthru_nl_dump_start_record(skb, cb, PTHRU_CMD_RULE_GET);
		if (!hdr)
			break;
		if (nla_put_u32(skb, PTHRU_A_POLICY_GENERATION, ap->generation) ||
		    put_rule(skb, &ap->rules[i])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[DUMP_NEXT] = i;
	ret = pthru_nl_dump_result(skb, i < nr);
out:
	pthru_policy_active_put(ap);
	return ret;
}

int pthru_nl_policy_replace_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pthru_active_policy *cur, *next;
	struct pthru_policy policy = {};
	struct gated_list gated;
	struct nlattr *attr;
	u32 nr;
	int err;

	mutex_lock(&policy_write_lock);
	cur = pthru_policy_active_get();
	if (pthru_policy_locked()) {
		err = refuse_locked("policy-replace", cur, info->extack);
		goto out;
	}
	err = parse_default(info, &policy);
	if (!err)
		err = parse_gated(info, &gated);
	if (!err)
		err = count_rules(info, &nr);
	if (err)
		goto out;

	next = pthru_policy_alloc(nr);
	if (!next) {
		err = -ENOMEM;
		goto out;
	}
	err = parse_rules(info, next->rules, nr);
	if (err) {
		pthru_policy_active_put(next);
		goto out;
	}
	next->policy.rules = next->rules;
	next->policy.nr_rules = nr;
	next->policy.default_action = policy.default_action;
	next->policy.default_requirements = policy.default_requirements;
	attr = info->attrs[PTHRU_A_POLICY_MODE];
	next->mode = attr ? nla_get_u8(attr) : cur->mode;
	if (gated.nr) {
		set_gated(next, &gated);
	} else {
		next->nr_gated = cur->nr_gated;
		memcpy(next->gated, cur->gated, sizeof(next->gated));
	}

	err = install("policy-replace", next, info->extack);
	if (!err)
		pthru_nl_notify_policy_change();
out:
	pthru_policy_active_put(cur);
	mutex_unlock(&policy_write_lock);
	return err ?: reply_policy(info);
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
	       verdict_size(&res->decision) +
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
	    put_verdict(skb, &res->decision) ||
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

	err = parse_default(info, &policy);
	if (!err)
		err = count_rules(info, &nr);
	if (err)
		return err;
	if (nr) {
		rules = kvcalloc(nr, sizeof(*rules), GFP_KERNEL);
		if (!rules)
			return -ENOMEM;
	}
	err = parse_rules(info, rules, nr);
	if (err)
		goto out;
	policy.rules = rules;
	policy.nr_rules = nr;
	err = check_policy(&policy, info->extack);
	if (err)
		goto out;

	attr = info->attrs[PTHRU_A_POLICY_TEST_DRIVER];
	if (attr && (!get_name(driver, attr, sizeof(driver)) ||
		     !token_ok(driver))) {
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

	if (pthru_nl_nobody_listens())
		return;

	ap = pthru_policy_active_get();
	msg = genlmsg_new(policy_size(), GFP_KERNEL);
	if (!msg)
		goto fail;
	hdr = genlmsg_put(msg, 0, 0, &pthru_nl_family, 0,
			  PTHRU_CMD_POLICY_CHANGE_NTF);
	if (!hdr || put_policy(msg, ap)) {
		nlmsg_free(msg);
		goto fail;
	}
	pthru_nl_multicast(msg, hdr);
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
		      2 * nla_total_size(sizeof(u8)) +		/* outcome, mode */
		      2 * nla_total_size(sizeof(u32)) +		/* pid, uid */
		      nla_total_size(strlen(ev->comm) + 1) +
		      nla_total_size(sizeof(u32));		/* generation */

	if (ev->evaluated)
		size += verdict_size(&ev->decision);
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
	    (ev->evaluated && put_verdict(skb, &ev->decision)) ||
	    nla_put_u8(skb, PTHRU_A_DECISION_OUTCOME, ev->outcome) ||
	    nla_put_u8(skb, PTHRU_A_DECISION_MODE, ev->mode) ||
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

	if (pthru_nl_nobody_listens())
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
	pthru_nl_multicast(msg, hdr);
	return;
fail:
	pr_warn_ratelimited("decision event for %s lost: cannot build the message\n",
			    ev->addr);
}
