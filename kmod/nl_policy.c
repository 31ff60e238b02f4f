// SPDX-License-Identifier: GPL-2.0
/*
 * The policy requests of the pthru family that read or change the
 * installed policy: policy-get, policy-set, rule-get (do and dump) and
 * policy-replace.  The rules of a request are read by nl_rule.c,
 * policy-test is nl_policy_test.c, and the two policy events are
 * nl_policy_ntf.c.
 *
 * The changing requests are serialised from reading the installed policy
 * to publishing the next one: policy-set copies the rules it does not
 * change, and without the mutex it could undo a policy-replace published
 * in between.  A locked policy is refused before the request is read, and
 * the refusal goes to the Linux audit log as a change does.
 *
 * A request is read and checked completely before anything is installed,
 * so that an error changes nothing.
 *
 * rule-get dumps hold no reference between calls (the generated table has
 * no .done that could drop one).  Each call takes the installed policy
 * again and resumes at the next index; the generation seen by the first
 * call is kept in cb->args, and a later call that finds another ends the
 * dump with EAGAIN and an extack message (the closing message is also
 * flagged NLM_F_DUMP_INTR) instead of mixing the rules of two policies.
 */
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "audit_log.h"
#include "compat.h"
#include "core/gated.h"
#include "core/policy.h"
#include "gen/pthru-nl.h"
#include "nl_family.h"
#include "nl_policy.h"
#include "nl_policy_priv.h"
#include "policy_state.h"

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

/**
 * pthru_nl_policy_size() - payload size of pthru_nl_put_policy()
 *
 * Return: bytes.
 */
size_t pthru_nl_policy_size(void)
{
	return 2 * nla_total_size(sizeof(u32)) +	/* mode, default-action */
	       nla_total_size(sizeof(u32)) +	/* default-requirements */
	       nla_total_size(sizeof(u32)) +	/* locked */
	       PTHRU_GATED_MAX * nla_total_size(PTHRU_DRIVER_NAME_LEN) +
	       2 * nla_total_size(sizeof(u32)) +	/* rule-count, generation */
	       3 * nla_total_size_64bit(sizeof(u64));	/* allowed .. audited */
}

/**
 * pthru_nl_put_policy() - the attributes of a policy-get reply and a
 *	policy-change-ntf
 * @skb: message being built
 * @ap: the policy to describe
 *
 * Return: 0 or -EMSGSIZE.
 */
int pthru_nl_put_policy(struct sk_buff *skb,
			const struct pthru_active_policy *ap)
{
	u64 allowed, denied, audited;
	u32 i;

	pthru_policy_counters(&allowed, &denied, &audited);
	if (nla_put_u32(skb, PTHRU_A_POLICY_MODE, ap->mode) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_DEFAULT_ACTION,
		       ap->policy.default_action) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS,
			ap->policy.default_requirements) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_LOCKED, pthru_policy_locked()))
		return -EMSGSIZE;
	for (i = 0; i < ap->nr_gated; i++)
		if (nla_put_string(skb, PTHRU_A_POLICY_GATED_DRIVER,
				   ap->gated[i]))
			return -EMSGSIZE;
	if (nla_put_u32(skb, PTHRU_A_POLICY_RULE_COUNT, ap->policy.nr_rules) ||
	    nla_put_u32(skb, PTHRU_A_POLICY_GENERATION, ap->generation) ||
	    nla_put_u64_64bit(skb, PTHRU_A_POLICY_ALLOWED, allowed,
			      PTHRU_A_POLICY_PAD) ||
	    nla_put_u64_64bit(skb, PTHRU_A_POLICY_DENIED, denied,
			      PTHRU_A_POLICY_PAD) ||
	    nla_put_u64_64bit(skb, PTHRU_A_POLICY_AUDITED, audited,
			      PTHRU_A_POLICY_PAD))
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

	msg = pthru_nl_new_reply(info, pthru_nl_policy_size(), &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  pthru_nl_put_policy(msg, ap));
	else
		err = -ENOMEM;
	pthru_policy_active_put(ap);
	return err;
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
		if (!pthru_nl_get_name(name, attr, PTHRU_DRIVER_NAME_LEN) ||
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

/**
 * pthru_nl_parse_default() - the required default of a policy-replace or
 *	policy-test request
 * @info: the request
 * @policy: receives the default action and requirements
 *
 * Return: 0, or -EINVAL with an extack message.
 */
int pthru_nl_parse_default(struct genl_info *info,
			   struct pthru_policy *policy)
{
	struct nlattr *reqs_attr = info->attrs[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS];

	if (GENL_REQ_ATTR_CHECK(info, PTHRU_A_POLICY_DEFAULT_ACTION)) {
		GENL_SET_ERR_MSG(info, "missing attribute default-action");
		return -EINVAL;
	}
	/* The request policy bounds both values. */
	policy->default_action =
		nla_get_u32(info->attrs[PTHRU_A_POLICY_DEFAULT_ACTION]);
	policy->default_requirements = reqs_attr ? nla_get_u32(reqs_attr) : 0;
	return check_default(reqs_attr, policy->default_action,
			     policy->default_requirements, info->extack);
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
		req->mode = nla_get_u32(attr);
	}
	if (action_attr || reqs_attr) {
		req->has_default = true;
		req->default_action = action_attr ? nla_get_u32(action_attr) :
						    cur->policy.default_action;
		req->default_requirements = reqs_attr ? nla_get_u32(reqs_attr) : 0;
		err = check_default(reqs_attr, req->default_action,
				    req->default_requirements, info->extack);
		if (err)
			return err;
	}
	attr = info->attrs[PTHRU_A_POLICY_LOCKED];
	if (attr) {
		if (nla_get_u32(attr) > 1) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "locked must be 0 or 1");
			return -EINVAL;
		}
		req->lock = nla_get_u32(attr);
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

	err = pthru_nl_require_admin(skb, info->extack);
	if (err)
		return err;
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
					pthru_nl_rule_size(), &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  nla_put_u32(msg, PTHRU_A_POLICY_GENERATION,
						      ap->generation) ?:
					  pthru_nl_put_rule(msg, rule));
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
		    pthru_nl_put_rule(skb, &ap->rules[i])) {
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

	err = pthru_nl_require_admin(skb, info->extack);
	if (err)
		return err;
	mutex_lock(&policy_write_lock);
	cur = pthru_policy_active_get();
	if (pthru_policy_locked()) {
		err = refuse_locked("policy-replace", cur, info->extack);
		goto out;
	}
	err = pthru_nl_parse_default(info, &policy);
	if (!err)
		err = parse_gated(info, &gated);
	if (!err)
		err = pthru_nl_count_rules(info, &nr);
	if (err)
		goto out;

	next = pthru_policy_alloc(nr);
	if (!next) {
		err = -ENOMEM;
		goto out;
	}
	err = pthru_nl_parse_rules(info, next->rules, nr);
	if (err) {
		pthru_policy_active_put(next);
		goto out;
	}
	next->policy.rules = next->rules;
	next->policy.nr_rules = nr;
	next->policy.default_action = policy.default_action;
	next->policy.default_requirements = policy.default_requirements;
	attr = info->attrs[PTHRU_A_POLICY_MODE];
	next->mode = attr ? nla_get_u32(attr) : cur->mode;
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
