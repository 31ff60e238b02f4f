// SPDX-License-Identifier: GPL-2.0
/*
 * policy test over facts pthructl gathered itself, with the module's core.
 *
 * The policy: policy_doc_put() builds the policy-test request the tool
 * would send, and this file reads it back as the module does (the request
 * policy of kmod/gen/pthru-nl.c, then kmod/nl_rule.c and nl_policy.c, then
 * the core's pthru_policy_check() as nl_policy_test.c runs it), with the
 * module's error messages.  So a policy the module would refuse is refused
 * here with the same words, and the rules the core decides with are the
 * ones the module would decide with.
 *
 * The decisions: pthru_policy_decide() for each function, as
 * pthru_policy_evaluate() calls it, with the slot name and serial number
 * the source read (the module reads them from the pci_dev).  Each decision
 * is put into a decision nest the way put_test_decision() and
 * pthru_nl_put_verdict() put it, and read back with
 * policy_decisions_parse(), so that it prints as the module's would.
 *
 * Unknown facts must not decide.  The core decides on two readings of the
 * facts (evaluate_reading(): each unknown fact at its safest, then at its
 * worst; every requirement is monotonic in them), and for a function whose
 * serial number is unknown, once per serial number that changes which rule
 * matches (see dsn_hypotheses()).  A decision is established only when
 * every such decision agrees on the verdict, the deciding rule and the
 * unmet requirements, and no requirement it rests on reads a fact that
 * the readings do not vary because it has no safest value (config space
 * that could not be read, a group's domain sysfs does not show).  One that
 * is not is shown as the worst of them decides, and marked.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/pthru.h>

#include <core/pciaddr.h>
#include <core/reach.h>

#include "evaluate.h"
#include "policy_local.h"
#include "source.h"

/* What the module's request policy says when an attribute fails it. */
#define POLICY_FAILED		"Attribute failed policy validation"
#define OUT_OF_RANGE		"integer out of range"
#define RESERVED_BIT		"reserved bit set"

/* As kmod/nl_policy_test.c's test_skips(): pci_ids.h and pci_regs.h. */
#define CLASS_BRIDGE_PCI	0x0604
#define EXP_TYPE_ROOT_PORT	0x4
#define EXP_TYPE_UPSTREAM	0x5
#define EXP_TYPE_DOWNSTREAM	0x6

/* The module passes the uapi values to the core unchanged. */
static_assert((int)PTHRU_ACTION_DENY == (int)PTHRU_POLICY_ACTION_DENY);
static_assert((int)PTHRU_ACTION_ALLOW == (int)PTHRU_POLICY_ACTION_ALLOW);
static_assert((u32)PTHRU_REQUIREMENT_ACS_ISOLATED ==
	      (u32)PTHRU_POLICY_REQ_ACS_ISOLATED);
static_assert((u32)PTHRU_REQUIREMENT_VIABLE_GROUP ==
	      (u32)PTHRU_POLICY_REQ_VIABLE_GROUP);
static_assert(POLICY_UNDETERMINED_MAX >= 8);	/* seven requirements, serial */

__printf(3, 4) static int refuse(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* kmod/nl_rule.c's pthru_nl_token_ok(). */
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

static bool label_ok(const char *label)
{
	for (; *label; label++)
		if (*label < ' ' || *label > '~')
			return false;
	return true;
}

/*
 * kmod/nl_rule.c's pthru_nl_get_name(): the string fits @size and holds no
 * NUL before its end.
 */
static bool get_name(char *dst, const struct nlattr *attr, size_t size)
{
	const char *data = mnl_attr_get_payload(attr);
	size_t plen = mnl_attr_get_payload_len(attr);
	size_t n = strnlen(data, plen);

	if (n + 1 < plen || n >= size)
		return false;
	memcpy(dst, data, n);
	dst[n] = '\0';
	return true;
}

/* One attribute of the request policy (kmod/gen/pthru-nl.c). */
struct attr_rule {
	bool known;
	enum { A_U32, A_U64, A_STR } kind;
	u32 min;
	u32 max;
	u32 mask;	/* 0: no mask */
	u32 strmax;	/* characters, without the NUL */
};

static const struct attr_rule rule_attrs[PTHRU_A_RULE_MAX + 1] = {
	[PTHRU_A_RULE_ID]		= { true, A_U32, 1, U32_MAX, 0, 0 },
	[PTHRU_A_RULE_LABEL]		= { true, A_STR, 0, 0, 0, 63 },
	[PTHRU_A_RULE_ACTION]		= { true, A_U32, 0, 1, 0, 0 },
	[PTHRU_A_RULE_REQUIREMENTS]	= { true, A_U32, 0, U32_MAX, 0x7f, 0 },
	[PTHRU_A_RULE_VENDOR]		= { true, A_U32, 0, U16_MAX, 0, 0 },
	[PTHRU_A_RULE_DEVICE]		= { true, A_U32, 0, U16_MAX, 0, 0 },
	[PTHRU_A_RULE_SUBSYS_VENDOR]	= { true, A_U32, 0, U16_MAX, 0, 0 },
	[PTHRU_A_RULE_SUBSYS_DEVICE]	= { true, A_U32, 0, U16_MAX, 0, 0 },
	[PTHRU_A_RULE_CLASS]		= { true, A_U32, 0, U32_MAX, 0, 0 },
	[PTHRU_A_RULE_CLASS_MASK]	= { true, A_U32, 0, U32_MAX, 0, 0 },
	[PTHRU_A_RULE_ADDR]		= { true, A_STR, 0, 0, 0, 16 },
	[PTHRU_A_RULE_SLOT]		= { true, A_STR, 0, 0, 0, 31 },
	[PTHRU_A_RULE_DSN]		= { true, A_U64, 0, 0, 0, 0 },
	[PTHRU_A_RULE_DRIVER]		= { true, A_STR, 0, 0, 0, 31 },
};

/* What the request policy makes of @attr under @r; NULL when it passes. */
static const char *attr_check(const struct nlattr *attr,
			      const struct attr_rule *r)
{
	const char *data;
	size_t plen;
	u32 v;

	switch (r->kind) {
	case A_U32:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return POLICY_FAILED;
		v = mnl_attr_get_u32(attr);
		if (r->mask && (v & ~r->mask))
			return RESERVED_BIT;
		if (v < r->min || v > r->max)
			return OUT_OF_RANGE;
		return NULL;
	case A_U64:
		return mnl_attr_validate(attr, MNL_TYPE_U64) < 0 ?
		       POLICY_FAILED : NULL;
	case A_STR:
		data = mnl_attr_get_payload(attr);
		plen = mnl_attr_get_payload_len(attr);
		if (plen > r->strmax + 1)
			plen = r->strmax + 1;
		return plen && memchr(data, '\0', plen) ? NULL : POLICY_FAILED;
	}
	return POLICY_FAILED;
}

/* The request policy over every attribute, as genetlink applies it first. */
static int request_validate(const struct nlmsghdr *nlh, char *err, size_t len)
{
	static const struct attr_rule top_action = { true, A_U32, 0, 1, 0, 0 };
	static const struct attr_rule top_reqs = {
		true, A_U32, 0, U32_MAX, 0x7f, 0
	};
	static const struct attr_rule top_driver = { true, A_STR, 0, 0, 0, 31 };
	const struct nlattr *attr, *sub;
	const char *why;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		why = NULL;
		switch (mnl_attr_get_type(attr)) {
		case PTHRU_A_POLICY_DEFAULT_ACTION:
			why = attr_check(attr, &top_action);
			break;
		case PTHRU_A_POLICY_DEFAULT_REQUIREMENTS:
			why = attr_check(attr, &top_reqs);
			break;
		case PTHRU_A_POLICY_TEST_DRIVER:
			why = attr_check(attr, &top_driver);
			break;
		case PTHRU_A_POLICY_RULE:
			mnl_attr_for_each_nested(sub, attr) {
				u16 type = mnl_attr_get_type(sub);

				if (type > PTHRU_A_RULE_MAX ||
				    !rule_attrs[type].known)
					continue;
				why = attr_check(sub, &rule_attrs[type]);
				if (why)
					break;
			}
			break;
		}
		if (why)
			return refuse(err, len, "%s", why);
	}
	return 0;
}

/* kmod/nl_rule.c's bad_rule(): name the rule by id, or by position. */
static int bad_rule(const struct pthru_policy_rule *rule, u32 pos,
		    const char *why, char *err, size_t len)
{
	if (rule->id)
		return refuse(err, len, "rule %u: %s", rule->id, why);
	return refuse(err, len, "rule #%u: %s", pos + 1, why);
}

static void match_u16(struct pthru_policy_match *match, u32 field,
		      const struct nlattr *attr, u16 *value)
{
	if (!attr)
		return;
	match->fields |= field;
	*value = mnl_attr_get_u32(attr);
}

/* kmod/nl_rule.c's parse_match(). */
static int parse_match(const struct nlattr **tb, struct pthru_policy_rule *rule,
		       u32 pos, char *err, size_t len)
{
	struct pthru_policy_match *match = &rule->match;
	const struct nlattr *attr;
	char addr[PTHRU_PCIADDR_BUFSZ + 8];

	match_u16(match, PTHRU_POLICY_MATCH_VENDOR, tb[PTHRU_A_RULE_VENDOR],
		  &match->vendor);
	match_u16(match, PTHRU_POLICY_MATCH_DEVICE, tb[PTHRU_A_RULE_DEVICE],
		  &match->device);
	match_u16(match, PTHRU_POLICY_MATCH_SUBSYS_VENDOR,
		  tb[PTHRU_A_RULE_SUBSYS_VENDOR], &match->subsys_vendor);
	match_u16(match, PTHRU_POLICY_MATCH_SUBSYS_DEVICE,
		  tb[PTHRU_A_RULE_SUBSYS_DEVICE], &match->subsys_device);

	attr = tb[PTHRU_A_RULE_CLASS];
	if (attr) {
		match->fields |= PTHRU_POLICY_MATCH_CLASS;
		match->class = mnl_attr_get_u32(attr);
		if (match->class & ~PTHRU_POLICY_CLASS_MASK)
			return bad_rule(rule, pos, "class is 24 bits", err, len);
	}
	attr = tb[PTHRU_A_RULE_CLASS_MASK];
	if (attr) {
		if (!tb[PTHRU_A_RULE_CLASS])
			return bad_rule(rule, pos, "class-mask without class",
					err, len);
		match->class_mask = mnl_attr_get_u32(attr);
		if (match->class_mask & ~PTHRU_POLICY_CLASS_MASK)
			return bad_rule(rule, pos, "class-mask is 24 bits", err,
					len);
	}

	attr = tb[PTHRU_A_RULE_ADDR];
	if (attr) {
		if (!get_name(addr, attr, sizeof(addr)) ||
		    pthru_pciaddr_parse(addr, &match->addr))
			return bad_rule(rule, pos,
					"malformed addr (expected DDDD:BB:DD.F)",
					err, len);
		match->fields |= PTHRU_POLICY_MATCH_ADDR;
	}

	attr = tb[PTHRU_A_RULE_SLOT];
	if (attr) {
		if (!get_name(match->slot, attr, sizeof(match->slot)) ||
		    !token_ok(match->slot))
			return bad_rule(rule, pos,
					"slot must be 1-31 printable, no blank, quote or #",
					err, len);
		match->fields |= PTHRU_POLICY_MATCH_SLOT;
	}

	if (tb[PTHRU_A_RULE_DSN]) {
		match->fields |= PTHRU_POLICY_MATCH_DSN;
		match->dsn = mnl_attr_get_u64(tb[PTHRU_A_RULE_DSN]);
	}

	attr = tb[PTHRU_A_RULE_DRIVER];
	if (attr) {
		if (!get_name(match->driver, attr, sizeof(match->driver)) ||
		    !token_ok(match->driver))
			return bad_rule(rule, pos,
					"driver must be 1-31 printable, no blank, quote or #",
					err, len);
		match->fields |= PTHRU_POLICY_MATCH_DRIVER;
	}
	return 0;
}

/* kmod/nl_rule.c's parse_rule(): one rule nest, at 0-based @pos. */
static int parse_rule(const struct nlattr *nest, u32 pos,
		      struct pthru_policy_rule *rule, char *err, size_t len)
{
	const struct nlattr *tb[PTHRU_A_RULE_MAX + 1] = {};
	const struct nlattr *attr;

	memset(rule, 0, sizeof(*rule));
	/* As nla_parse_nested(): the last of an attribute given twice. */
	mnl_attr_for_each_nested(attr, nest)
		if (mnl_attr_get_type(attr) <= PTHRU_A_RULE_MAX)
			tb[mnl_attr_get_type(attr)] = attr;

	if (!tb[PTHRU_A_RULE_ID])
		return bad_rule(rule, pos, "missing attribute id", err, len);
	rule->id = mnl_attr_get_u32(tb[PTHRU_A_RULE_ID]);
	if (!tb[PTHRU_A_RULE_ACTION])
		return bad_rule(rule, pos, "missing attribute action", err, len);
	rule->action = mnl_attr_get_u32(tb[PTHRU_A_RULE_ACTION]);

	attr = tb[PTHRU_A_RULE_REQUIREMENTS];
	if (attr) {
		rule->requirements = mnl_attr_get_u32(attr);
		if (rule->action == PTHRU_POLICY_ACTION_DENY &&
		    rule->requirements)
			return bad_rule(rule, pos, "requirements need an allow",
					err, len);
	}

	attr = tb[PTHRU_A_RULE_LABEL];
	if (attr && (!get_name(rule->label, attr, sizeof(rule->label)) ||
		     !label_ok(rule->label)))
		return bad_rule(rule, pos, "label must be printable ASCII", err,
				len);

	return parse_match(tb, rule, pos, err, len);
}

int policy_local_check(const struct pthru_policy *policy, char *err,
		       size_t len)
{
	const char *why;
	u32 bad;

	if (!pthru_policy_check(policy, &bad, &why))
		return 0;
	if (bad < policy->nr_rules)
		return refuse(err, len, "rule %u: %s", policy->rules[bad].id,
			      why);
	return refuse(err, len, "policy: %s", why);
}

/*
 * The policy of a policy-test request, as kmod/nl_policy_test.c's
 * parse_test_request() reads it: the default (pthru_nl_parse_default()),
 * the rule count, the rules, the core's check.
 */
static int request_policy(const struct nlmsghdr *nlh,
			  struct pthru_policy *policy,
			  struct pthru_policy_rule **rules, char *err,
			  size_t len)
{
	const struct nlattr *action = NULL, *reqs = NULL, *attr;
	struct pthru_policy_rule *parsed;
	u32 nr = 0, i = 0, j;
	int ret;

	memset(policy, 0, sizeof(*policy));
	*rules = NULL;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case PTHRU_A_POLICY_DEFAULT_ACTION:
			action = attr;
			break;
		case PTHRU_A_POLICY_DEFAULT_REQUIREMENTS:
			reqs = attr;
			break;
		case PTHRU_A_POLICY_RULE:
			if (nr == PTHRU_POLICY_MAX_RULES)
				return refuse(err, len, "more than %u rules",
					      PTHRU_POLICY_MAX_RULES);
			nr++;
			break;
		}
	}
	if (!action)
		return refuse(err, len, "missing attribute default-action");
	policy->default_action = mnl_attr_get_u32(action);
	policy->default_requirements = reqs ? mnl_attr_get_u32(reqs) : 0;
	if (policy->default_action == PTHRU_POLICY_ACTION_DENY &&
	    policy->default_requirements)
		return refuse(err, len, "default: requirements need an allow");

	parsed = calloc(nr ? nr : 1, sizeof(*parsed));
	if (!parsed)
		return -ENOMEM;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != PTHRU_A_POLICY_RULE)
			continue;
		ret = parse_rule(attr, i, &parsed[i], err, len);
		for (j = 0; !ret && j < i; j++)
			if (parsed[j].id == parsed[i].id)
				ret = bad_rule(&parsed[i], i, "duplicate id", err,
					       len);
		if (ret) {
			free(parsed);
			return ret;
		}
		i++;
	}
	policy->rules = parsed;
	policy->nr_rules = nr;
	ret = policy_local_check(policy, err, len);
	if (ret) {
		free(parsed);
		memset(policy, 0, sizeof(*policy));
		return ret;
	}
	*rules = parsed;
	return 0;
}

/* The policy-test request the tool sends for @doc; free *@buf. */
static struct nlmsghdr *request_build(const struct policy_doc *doc,
				      const char *driver, char **buf)
{
	size_t size = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)) +
		      policy_doc_msg_size(doc) + 2 * 64;
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	*buf = calloc(1, size);
	if (!*buf)
		return NULL;
	nlh = mnl_nlmsg_put_header(*buf);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = PTHRU_CMD_POLICY_TEST;
	genl->version = PTHRU_FAMILY_VERSION;
	policy_doc_put(nlh, doc, false);
	if (driver)
		mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_DRIVER, driver);
	return nlh;
}

int policy_local_convert(const struct policy_doc *doc,
			 struct pthru_policy *policy,
			 struct pthru_policy_rule **rules, char *err,
			 size_t len)
{
	struct nlmsghdr *nlh;
	char *buf;
	int ret;

	memset(policy, 0, sizeof(*policy));
	*rules = NULL;
	nlh = request_build(doc, NULL, &buf);
	if (!nlh)
		return -ENOMEM;
	ret = request_validate(nlh, err, len);
	if (!ret)
		ret = request_policy(nlh, policy, rules, err, len);
	free(buf);
	return ret;
}

/* kmod/nl_policy_test.c's test_skips(): bridges and ports. */
static bool test_skips(const struct pthru_dev *func)
{
	if (func->class >> 8 == CLASS_BRIDGE_PCI)
		return true;
	return func->is_pcie &&
	       (func->pcie_type == EXP_TYPE_ROOT_PORT ||
		func->pcie_type == EXP_TYPE_UPSTREAM ||
		func->pcie_type == EXP_TYPE_DOWNSTREAM);
}

/* One reading of the facts, and its reachability. */
struct reading {
	struct pthru_snapshot *snap;
	struct pthru_isolation iso;
};

/* A serial number a function whose serial is unknown may have. */
struct dsn_hypothesis {
	bool has_dsn;
	u64 dsn;
	u32 rule_id;		/* a rule that matches on it; 0 for none */
};

struct local_ctx {
	const struct pthru_snapshot *src;
	const struct pthru_policy *policy;
	const char *driver;
	struct reading readings[2];	/* the safest, the worst */
	struct dsn_hypothesis *hyp;	/* room for every rule, and none */
	u32 n_config;		/* functions whose config space is unknown */
	u32 n_quirk;		/* functions whose ACS quirk is unknown */
	u32 quirk_addr;		/* the first of them */
};

/* What the decisions over every reading and serial made of a function. */
struct local_outcome {
	struct pthru_decision shown;	/* the worst of them */
	bool rule_differs;		/* they name different rules */
	u32 unmet_any;			/* unmet in one of them */
	u32 unmet_all;			/* unmet in all of them */
	u32 reqs_any;			/* required by a deciding allow */
	u32 n;				/* decisions made */
	u32 n_hyp;			/* serial numbers decided with */
};

/*
 * The serial numbers to decide a function with.  Its own when the source
 * read it.  When not, the match on a serial number is undetermined, and
 * only the core's own pthru_policy_decide() should say what follows: the
 * first rule that matches decides, and a rule that names a serial matches
 * only that serial, so the decisions with no serial (as one no rule names)
 * and with each serial a rule names that otherwise matches are every
 * decision the function can get.  Deciding each of them, rather than
 * calling every such function not established, keeps established what a
 * serial rule cannot change (a rule that does not match on the other
 * fields, or one behind the rule that decides).
 */
static u32 dsn_hypotheses(const struct local_ctx *ctx,
			  const struct pthru_dev *func,
			  const struct pthru_policy_subject *subject)
{
	const struct pthru_policy *policy = ctx->policy;
	struct dsn_hypothesis *hyp = ctx->hyp;
	struct pthru_policy_match match;
	u32 n = 1, i, k;

	hyp[0].has_dsn = func->has_dsn;
	hyp[0].dsn = func->dsn;
	hyp[0].rule_id = 0;
	if (!(func->unknown & PTHRU_DEV_UNKNOWN_DSN))
		return 1;
	hyp[0].has_dsn = false;
	for (i = 0; i < policy->nr_rules; i++) {
		if (!(policy->rules[i].match.fields & PTHRU_POLICY_MATCH_DSN))
			continue;
		match = policy->rules[i].match;
		match.fields &= ~PTHRU_POLICY_MATCH_DSN;
		if (!pthru_policy_match(&match, subject))
			continue;
		for (k = 1; k < n && hyp[k].dsn != match.dsn; k++)
			;
		if (k < n)
			continue;
		hyp[n].has_dsn = true;
		hyp[n].dsn = match.dsn;
		hyp[n].rule_id = policy->rules[i].id;
		n++;
	}
	return n;
}

/* The requirements of what decided @d, when it allows at all. */
static u32 decided_reqs(const struct pthru_policy *policy,
			const struct pthru_decision *d)
{
	u32 i;

	if (d->by_default)
		return policy->default_action == PTHRU_POLICY_ACTION_ALLOW ?
		       policy->default_requirements : 0;
	for (i = 0; i < policy->nr_rules; i++)
		if (policy->rules[i].id == d->rule_id)
			return policy->rules[i].action ==
			       PTHRU_POLICY_ACTION_ALLOW ?
			       policy->rules[i].requirements : 0;
	return 0;
}

/* Whether @d is worse than @than: a deny over an allow, then more unmet. */
static bool worse(const struct pthru_decision *d,
		  const struct pthru_decision *than)
{
	if (d->verdict != than->verdict)
		return d->verdict == PTHRU_POLICY_ACTION_DENY;
	return hweight32(d->unmet) > hweight32(than->unmet);
}

static void outcome_add(struct local_outcome *o,
			const struct pthru_policy *policy,
			const struct pthru_decision *d)
{
	if (!o->n) {
		o->shown = *d;
		o->unmet_all = d->unmet;
	} else {
		if (d->by_default != o->shown.by_default ||
		    d->rule_id != o->shown.rule_id)
			o->rule_differs = true;
		if (worse(d, &o->shown))
			o->shown = *d;
		o->unmet_all &= d->unmet;
	}
	o->unmet_any |= d->unmet;
	o->reqs_any |= decided_reqs(policy, d);
	o->n++;
}

/* Decide the function at @addr on every reading and serial it may have. */
static int decide_all(struct local_ctx *ctx, const struct pthru_dev *func,
		      struct local_outcome *o)
{
	struct pthru_policy_subject subject = {
		.dev = func,
		.dev_idx = func - ctx->src->devs,
		.target_driver = ctx->driver,
		.slot = func->slot[0] ? func->slot : NULL,
	};
	struct pthru_decision d;
	u32 n, h, r;
	int err;

	memset(o, 0, sizeof(*o));
	n = dsn_hypotheses(ctx, func, &subject);
	o->n_hyp = n;
	/* The worst reading first: of equals, its decision is shown. */
	for (r = 2; r-- > 0;) {
		const struct reading *rd = &ctx->readings[r];
		const struct pthru_dev *dev;

		dev = pthru_snapshot_find_dev(rd->snap, func->addr);
		if (!dev)
			return -EINVAL;
		subject.dev = dev;
		subject.dev_idx = dev - rd->snap->devs;
		for (h = 0; h < n; h++) {
			subject.has_dsn = ctx->hyp[h].has_dsn;
			subject.dsn = ctx->hyp[h].dsn;
			err = pthru_policy_decide(ctx->policy, rd->snap,
						  &rd->iso, &subject, &d);
			if (err)
				return err;
			outcome_add(o, ctx->policy, &d);
		}
	}
	return 0;
}

/*
 * Requirements whose facts the two readings do not vary because they
 * have no safest value: config space that could not be read (PCIe type,
 * ACS, ATS) and a group's current domain that sysfs does not show.  As
 * evaluate.c, a function whose config space is unknown leaves the
 * reachability of every function open.
 */
static u32 unsettled_reqs(const struct local_ctx *ctx,
			  const struct pthru_dev *func)
{
	const struct pthru_group *group = NULL;
	u32 reqs = 0;

	if (ctx->n_config)
		reqs |= PTHRU_POLICY_REQ_ACS_ISOLATED;
	if (func->unknown & PTHRU_DEV_UNKNOWN_CONFIG)
		reqs |= PTHRU_POLICY_REQ_NO_ATS;
	if (func->group_idx != PTHRU_NO_INDEX)
		group = &ctx->src->groups[func->group_idx];
	if (group && group->domain_type == PTHRU_DOMAIN_TYPE_UNKNOWN)
		reqs |= PTHRU_POLICY_REQ_TRANSLATED |
			PTHRU_POLICY_REQ_STRICT_INVALIDATION;
	return reqs;
}

__printf(4, 5) static size_t appendf(char *buf, size_t len, size_t at,
				     const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + n;
}

/* The facts requirement @req lacks for @func, in words. */
static void why_req(const struct local_ctx *ctx, const struct pthru_dev *func,
		    u32 req, char *buf, size_t len)
{
	const struct pthru_group *group = NULL;
	char addr[PTHRU_PCIADDR_BUFSZ];
	size_t at = 0;

	buf[0] = '\0';
	if (func->group_idx != PTHRU_NO_INDEX)
		group = &ctx->src->groups[func->group_idx];
	switch (req) {
	case PTHRU_POLICY_REQ_ACS_ISOLATED:
		if (ctx->n_config)
			at = appendf(buf, len, at, "the config space of %u of %u functions could not be read (it needs root): their PCIe type, ACS and ATS are unknown",
				     ctx->n_config, ctx->src->nr_devs);
		if (ctx->n_quirk)
			at = appendf(buf, len, at, "%swhether the kernel enabled ACS by a device quirk on %s%s (sysfs does not show it)",
				     at ? "; " : "",
				     pthru_pciaddr_format(ctx->quirk_addr, addr),
				     ctx->n_quirk > 1 ? " and others" : "");
		break;
	case PTHRU_POLICY_REQ_NO_ATS:
		if (func->unknown & PTHRU_DEV_UNKNOWN_CONFIG)
			at = appendf(buf, len, at, "the config space of %s could not be read (it needs root): whether ATS is enabled is unknown",
				     pthru_pciaddr_format(func->addr, addr));
		break;
	case PTHRU_POLICY_REQ_ISOLATED_MSI:
		if (group && group->isolated_msi == PTHRU_TRISTATE_UNKNOWN)
			at = appendf(buf, len, at, "whether group %d's MSIs are isolated (sysfs does not show interrupt remapping)",
				     group->id);
		break;
	case PTHRU_POLICY_REQ_TRANSLATED:
	case PTHRU_POLICY_REQ_STRICT_INVALIDATION:
		if (group && group->domain_type == PTHRU_DOMAIN_TYPE_UNKNOWN)
			at = appendf(buf, len, at, "the current domain of group %d: a passthrough driver owns a member, and /sys/kernel/iommu_groups/%d/type shows the default domain",
				     group->id, group->id);
		break;
	}
	if (!at)
		snprintf(buf, len, "facts the source could not establish");
}

static void add_undetermined(struct policy_decision *pd, const char *what,
			     const char *why)
{
	struct policy_undetermined *u;

	if (pd->n_undetermined == POLICY_UNDETERMINED_MAX)
		return;
	u = &pd->undetermined[pd->n_undetermined++];
	snprintf(u->what, sizeof(u->what), "%s", what);
	snprintf(u->why, sizeof(u->why), "%s", why);
}

/* Mark @pd not established when @o says so, and list what it lacks. */
static void settle(const struct local_ctx *ctx, const struct pthru_dev *func,
		   const struct local_outcome *o, struct policy_decision *pd)
{
	u32 undet = (o->unmet_any & ~o->unmet_all) |
		    (unsettled_reqs(ctx, func) & o->reqs_any);
	char addr[PTHRU_PCIADDR_BUFSZ], why[POLICY_WHY_MAX];
	u32 bit;
	int n;

	if (!undet && !o->rule_differs)
		return;
	pd->not_established = true;
	for (bit = 1; bit & PTHRU_POLICY_REQ_ALL; bit <<= 1) {
		if (!(undet & bit))
			continue;
		why_req(ctx, func, bit, why, sizeof(why));
		add_undetermined(pd, pthru_policy_req_name(bit), why);
	}
	/* Only a serial number changes which rule matches. */
	if (!o->rule_differs || o->n_hyp < 2)
		return;
	n = snprintf(why, sizeof(why), "the serial number of %s (the source could not read its Device Serial Number capability), which rule %u matches on",
		     pthru_pciaddr_format(func->addr, addr), ctx->hyp[1].rule_id);
	if (o->n_hyp > 2 && n > 0 && (size_t)n < sizeof(why))
		snprintf(why + n, sizeof(why) - n, ", as %u more rule%s",
			 o->n_hyp - 2, o->n_hyp == 3 ? " does" : "s do");
	add_undetermined(pd, "serial", why);
}

/*
 * kmod/nl_policy_test.c's put_test_decision() with pthru_nl_put_verdict(),
 * read back by policy_decisions_parse().  There is no mode: it is the
 * installed policy's, and there is no module to have one.
 */
static int put_decision(struct policy_decision_list *out, u32 addr,
			const char *driver, const struct pthru_decision *d)
{
	static char buf[8192];
	char name[PTHRU_PCIADDR_BUFSZ];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	size_t before = out->n;
	uint16_t bad_type;
	int err;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = PTHRU_CMD_POLICY_TEST;
	genl->version = PTHRU_FAMILY_VERSION;
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_DECISION);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_ADDR,
			  pthru_pciaddr_format(addr, name));
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_DRIVER, driver);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_VERDICT, d->verdict);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_BY_DEFAULT, d->by_default);
	if (!d->by_default)
		mnl_attr_put_u32(nlh, PTHRU_A_DECISION_RULE_ID, d->rule_id);
	if (d->rule_label[0])
		mnl_attr_put_strz(nlh, PTHRU_A_DECISION_RULE_LABEL,
				  d->rule_label);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_UNMET, d->unmet);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_POLICY_GENERATION, 0);
	mnl_attr_nest_end(nlh, nest);
	err = policy_decisions_parse(nlh, out, &bad_type);
	if (!err && out->n != before + 1)
		err = -EINVAL;
	return err == -ENOMEM ? err : err ? -EINVAL : 0;
}

static int test_function(struct local_ctx *ctx, const struct pthru_dev *func,
			 struct policy_decision_list *out)
{
	struct local_outcome o;
	int err;

	err = decide_all(ctx, func, &o);
	if (!err)
		err = put_decision(out, func->addr, ctx->driver, &o.shown);
	if (!err)
		settle(ctx, func, &o, &out->items[out->n - 1]);
	return err;
}

static int readings_make(struct local_ctx *ctx)
{
	u32 r;
	int err;

	for (r = 0; r < 2; r++) {
		ctx->readings[r].snap = evaluate_reading(ctx->src, r);
		if (!ctx->readings[r].snap)
			return -ENOMEM;
		err = pthru_isolation_compute(ctx->readings[r].snap,
					      &ctx->readings[r].iso, GFP_KERNEL);
		if (err)
			return err;
	}
	return 0;
}

static void ctx_free(struct local_ctx *ctx)
{
	u32 r;

	for (r = 0; r < 2; r++) {
		pthru_isolation_free(&ctx->readings[r].iso);
		if (ctx->readings[r].snap)
			pthru_snapshot_put(ctx->readings[r].snap);
	}
	free(ctx->hyp);
}

int policy_local_test(const struct facts *facts, const struct policy_doc *doc,
		      const char *addr, const char *driver,
		      struct policy_decision_list *out, char *err, size_t len)
{
	struct pthru_policy_rule *rules = NULL;
	struct local_ctx ctx = {};
	struct pthru_policy policy;
	const struct pthru_dev *one = NULL;
	struct nlmsghdr *nlh;
	u32 where = 0, i;
	char *buf;
	int ret;

	err[0] = '\0';
	if (!facts->snap || !facts->snap->finalized)
		return refuse(err, len, "the facts are not a finalized snapshot");
	/* The request the module would read: its driver too. */
	nlh = request_build(doc, driver, &buf);
	if (!nlh)
		return -ENOMEM;
	ret = request_validate(nlh, err, len);
	if (!ret)
		ret = request_policy(nlh, &policy, &rules, err, len);
	free(buf);
	if (ret)
		return ret;
	if (!token_ok(driver)) {
		ret = refuse(err, len, "test-driver must be a driver name");
		goto out;
	}
	if (addr) {
		if (pthru_pciaddr_parse(addr, &where)) {
			ret = refuse(err, len, "malformed address %s", addr);
			goto out;
		}
		one = pthru_snapshot_find_dev(facts->snap, where);
		if (!one) {
			snprintf(err, len, "no PCI function %s in the %s", addr,
				 report_source.file ? "snapshot" :
				 "sysfs inventory");
			ret = -ENODEV;
			goto out;
		}
	}

	ctx.src = facts->snap;
	ctx.policy = &policy;
	ctx.driver = driver;
	ctx.hyp = calloc(policy.nr_rules + 1, sizeof(*ctx.hyp));
	ret = ctx.hyp ? readings_make(&ctx) : -ENOMEM;
	if (ret)
		goto out;
	for (i = 0; i < ctx.src->nr_devs; i++) {
		const struct pthru_dev *func = &ctx.src->devs[i];

		if (func->unknown & PTHRU_DEV_UNKNOWN_CONFIG)
			ctx.n_config++;
		if (func->unknown & PTHRU_DEV_UNKNOWN_ACS_QUIRK &&
		    !ctx.n_quirk++)
			ctx.quirk_addr = func->addr;
	}
	for (i = 0; i < ctx.src->nr_devs && !ret; i++) {
		const struct pthru_dev *func = &ctx.src->devs[i];

		if (one ? func != one : test_skips(func))
			continue;
		ret = test_function(&ctx, func, out);
	}
	if (ret && ret != -ENOMEM)
		ret = refuse(err, len, "cannot evaluate the policy: %s",
			     strerror(-ret));
out:
	ctx_free(&ctx);
	free(rules);
	return ret;
}
