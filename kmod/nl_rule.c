// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of the policy requests: reading the rule nests of a
 * policy-replace or policy-test request, and writing a rule into a
 * rule-get reply.
 *
 * A rule is read and checked completely before the request installs or
 * evaluates anything.  Error messages name a rule by its id ("rule 12:
 * ..."), or by its position when it has none ("rule #3: ..."), and point at
 * the offending attribute.
 */
#include <linux/bug.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "compat.h"
#include "core/pciaddr.h"
#include "core/policy.h"
#include "gen/pthru-nl.h"
#include "nl_policy_priv.h"

/**
 * pthru_nl_token_ok() - is @name one token of the policy language?
 * @name: a slot or driver name
 *
 * A name of a match has no blank, quote or comment sign, so that every
 * policy can be saved as text and loaded back.
 *
 * Return: true when @name is not empty and is such a token.
 */
bool pthru_nl_token_ok(const char *name)
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

/**
 * pthru_nl_get_name() - copy a string attribute that the request policy
 *	bounded
 * @dst: receives the string
 * @attr: the attribute
 * @size: size of @dst
 *
 * Return: false when @attr does not fit, or holds a NUL before its end,
 * which would hide what follows.
 */
bool pthru_nl_get_name(char *dst, const struct nlattr *attr, size_t size)
{
	return nla_strscpy(dst, attr, size) >= 0 &&
	       (int)strnlen(nla_data(attr), nla_len(attr)) >= nla_len(attr) - 1;
}

/**
 * pthru_nl_count_rules() - count the rule nests of a request
 * @info: the request
 * @nr: receives the count
 *
 * Return: 0, or -E2BIG beyond what the core takes.
 */
int pthru_nl_count_rules(const struct genl_info *info, u32 *nr)
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
	*value = nla_get_u32(attr);
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
		if (!pthru_nl_get_name(match->slot, attr, sizeof(match->slot)) ||
		    !pthru_nl_token_ok(match->slot))
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
		if (!pthru_nl_get_name(match->driver, attr,
				       sizeof(match->driver)) ||
		    !pthru_nl_token_ok(match->driver))
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
	rule->action = nla_get_u32(tb[PTHRU_A_RULE_ACTION]);

	attr = tb[PTHRU_A_RULE_REQUIREMENTS];
	if (attr) {
		rule->requirements = nla_get_u32(attr);
		if (rule->action == PTHRU_POLICY_ACTION_DENY &&
		    rule->requirements)
			return bad_rule(extack, attr, rule, pos,
					"requirements need an allow");
	}

	attr = tb[PTHRU_A_RULE_LABEL];
	if (attr && (!pthru_nl_get_name(rule->label, attr,
					sizeof(rule->label)) ||
		     !label_ok(rule->label)))
		return bad_rule(extack, attr, rule, pos,
				"label must be printable ASCII");

	return parse_match(tb, rule, pos, extack);
}

/**
 * pthru_nl_parse_rules() - every rule nest of a request, in order
 * @info: the request
 * @rules: receives the rules
 * @nr: room in @rules, as pthru_nl_count_rules() counted
 *
 * Return: 0, or -EINVAL with an extack message naming the bad rule.
 */
int pthru_nl_parse_rules(const struct genl_info *info,
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

/**
 * pthru_nl_rule_size() - largest payload of pthru_nl_put_rule()
 *
 * Return: bytes.
 */
size_t pthru_nl_rule_size(void)
{
	return nla_total_size(0) +				/* the nest */
	       nla_total_size(sizeof(u32)) +			/* id */
	       nla_total_size(PTHRU_POLICY_LABEL_LEN) +		/* label */
	       nla_total_size(sizeof(u32)) +			/* action */
	       nla_total_size(sizeof(u32)) +			/* requirements */
	       4 * nla_total_size(sizeof(u32)) +		/* vendor .. */
	       2 * nla_total_size(sizeof(u32)) +		/* class, mask */
	       nla_total_size(PTHRU_PCIADDR_BUFSZ) +		/* addr */
	       nla_total_size(PTHRU_POLICY_SLOT_LEN) +		/* slot */
	       nla_total_size_64bit(sizeof(u64)) +		/* dsn */
	       nla_total_size(PTHRU_DRIVER_NAME_LEN);		/* driver */
}

/**
 * pthru_nl_put_rule() - one rule nest
 * @skb: message being built
 * @rule: the rule; only the match fields that it sets are written, and the
 *	label only when it has one
 *
 * Return: 0 or -EMSGSIZE.
 */
int pthru_nl_put_rule(struct sk_buff *skb, const struct pthru_policy_rule *rule)
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
	    nla_put_u32(skb, PTHRU_A_RULE_ACTION, rule->action) ||
	    nla_put_u32(skb, PTHRU_A_RULE_REQUIREMENTS, rule->requirements))
		goto cancel;
	if (((fields & PTHRU_POLICY_MATCH_VENDOR) &&
	     nla_put_u32(skb, PTHRU_A_RULE_VENDOR, match->vendor)) ||
	    ((fields & PTHRU_POLICY_MATCH_DEVICE) &&
	     nla_put_u32(skb, PTHRU_A_RULE_DEVICE, match->device)) ||
	    ((fields & PTHRU_POLICY_MATCH_SUBSYS_VENDOR) &&
	     nla_put_u32(skb, PTHRU_A_RULE_SUBSYS_VENDOR,
			 match->subsys_vendor)) ||
	    ((fields & PTHRU_POLICY_MATCH_SUBSYS_DEVICE) &&
	     nla_put_u32(skb, PTHRU_A_RULE_SUBSYS_DEVICE,
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
