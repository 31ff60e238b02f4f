// SPDX-License-Identifier: GPL-2.0
/*
 * The policy, rule and decision attribute sets of the pthru family, to and
 * from the structures of policy_lang.h and policy.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "policy.h"
#include "pthructl.h"

const char *policy_mode_text(uint32_t mode)
{
	const char *name = mode <= UINT8_MAX ? policy_mode_name(mode) : NULL;

	return name ? name : "unknown";
}

int policy_mode_parse(const char *s, uint8_t *mode)
{
	uint8_t m;

	for (m = PTHRU_POLICY_MODE_OFF; m <= PTHRU_POLICY_MODE_ENFORCE; m++) {
		if (!strcmp(s, policy_mode_text(m))) {
			*mode = m;
			return 0;
		}
	}
	return -EINVAL;
}

const char *policy_outcome_name(uint32_t outcome)
{
	switch (outcome) {
	case PTHRU_OUTCOME_ALLOWED:
		return "allowed";
	case PTHRU_OUTCOME_DENIED:
		return "denied";
	case PTHRU_OUTCOME_AUDITED:
		return "audited";
	case PTHRU_OUTCOME_UNEVALUATED:
		return "unevaluated";
	default:
		return "unknown";
	}
}

const char *policy_reqs_text(uint32_t reqs, char *buf, size_t size)
{
	const char *name;
	size_t len = 0;
	unsigned int i;

	if (!reqs)
		return "-";
	buf[0] = '\0';
	for (i = 0; i < 32; i++) {
		if (!(reqs & (1U << i)))
			continue;
		name = policy_req_name(1U << i);
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
				len ? "," : "", name ? name : "unknown");
	}
	return buf;
}

/* snprintf at the end of @buf; the caller sized it for every field. */
static size_t append(char *buf, size_t size, size_t len, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

static size_t append(char *buf, size_t size, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len >= size)
		return len;
	va_start(ap, fmt);
	n = vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	return n < 0 ? len : len + n;
}

const char *policy_match_text(const struct policy_rule *r, char *buf,
			      size_t size)
{
	const char *sep = "";
	size_t len = 0;

	buf[0] = '\0';
	if (r->fields & POLICY_F_VENDOR) {
		len = append(buf, size, len, "%svendor 0x%04x", sep, r->vendor);
		sep = " ";
	}
	if (r->fields & POLICY_F_DEVICE) {
		len = append(buf, size, len, "%sdevice 0x%04x", sep, r->device);
		sep = " ";
	}
	if (r->fields & POLICY_F_SUBVENDOR) {
		len = append(buf, size, len, "%ssubvendor 0x%04x", sep,
			     r->subvendor);
		sep = " ";
	}
	if (r->fields & POLICY_F_SUBDEVICE) {
		len = append(buf, size, len, "%ssubdevice 0x%04x", sep,
			     r->subdevice);
		sep = " ";
	}
	if (r->fields & POLICY_F_CLASS) {
		len = append(buf, size, len, "%sclass 0x%06x", sep, r->class);
		if (r->class_mask && r->class_mask != 0xffffff)
			len = append(buf, size, len, "/0x%06x", r->class_mask);
		sep = " ";
	}
	if (r->fields & POLICY_F_ADDR) {
		len = append(buf, size, len, "%saddr %s", sep, r->addr);
		sep = " ";
	}
	if (r->fields & POLICY_F_SLOT) {
		len = append(buf, size, len, "%sslot %s", sep, r->slot);
		sep = " ";
	}
	if (r->fields & POLICY_F_SERIAL) {
		len = append(buf, size, len, "%sserial 0x%016llx", sep,
			     (unsigned long long)r->serial);
		sep = " ";
	}
	if (r->fields & POLICY_F_DRIVER)
		append(buf, size, len, "%sdriver %s", sep, r->driver);
	return buf[0] ? buf : "any";
}

static const enum mnl_attr_data_type policy_attr_types[PTHRU_A_POLICY_MAX + 1] = {
	[PTHRU_A_POLICY_MODE]			= MNL_TYPE_U32,
	[PTHRU_A_POLICY_DEFAULT_ACTION]		= MNL_TYPE_U32,
	[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS]	= MNL_TYPE_U32,
	[PTHRU_A_POLICY_LOCKED]			= MNL_TYPE_U32,
	[PTHRU_A_POLICY_GATED_DRIVER]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_POLICY_RULE_COUNT]		= MNL_TYPE_U32,
	[PTHRU_A_POLICY_RULE]			= MNL_TYPE_NESTED,
	[PTHRU_A_POLICY_GENERATION]		= MNL_TYPE_U32,
	[PTHRU_A_POLICY_ALLOWED]		= MNL_TYPE_U64,
	[PTHRU_A_POLICY_DENIED]			= MNL_TYPE_U64,
	[PTHRU_A_POLICY_AUDITED]		= MNL_TYPE_U64,
	[PTHRU_A_POLICY_TEST_ADDR]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_POLICY_TEST_DRIVER]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_POLICY_DECISION]		= MNL_TYPE_NESTED,
	[PTHRU_A_POLICY_RULE_ID]		= MNL_TYPE_U32,
};

/*
 * The gated drivers are a multi-attr, which nl_parse_attrs() keeps only
 * the last of: walk the message for every one.
 */
static int policy_gated_parse(const struct nlmsghdr *nlh,
			      struct policy_info *info, uint16_t *bad_type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != PTHRU_A_POLICY_GATED_DRIVER)
			continue;
		if (info->nr_gated == POLICY_MAX_GATED ||
		    nl_attr_strcpy(info->gated[info->nr_gated],
				   sizeof(info->gated[0]), attr)) {
			*bad_type = PTHRU_A_POLICY_GATED_DRIVER;
			return -EBADMSG;
		}
		info->nr_gated++;
	}
	return 0;
}

int policy_info_parse(const struct nlmsghdr *nlh, struct policy_info *info,
		      uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_POLICY_MAX + 1];
	uint16_t type;

	memset(info, 0, sizeof(*info));
	if (nl_parse_attrs(nlh, tb, PTHRU_A_POLICY_MAX, policy_attr_types,
			   bad_type))
		return -EBADMSG;
	for (type = 1; type <= PTHRU_A_POLICY_MAX; type++)
		if (tb[type])
			info->present |= 1U << type;
	if (tb[PTHRU_A_POLICY_MODE])
		info->mode = mnl_attr_get_u32(tb[PTHRU_A_POLICY_MODE]);
	if (tb[PTHRU_A_POLICY_DEFAULT_ACTION])
		info->default_action =
			mnl_attr_get_u32(tb[PTHRU_A_POLICY_DEFAULT_ACTION]);
	if (tb[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS])
		info->default_requirements =
			mnl_attr_get_u32(tb[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS]);
	if (tb[PTHRU_A_POLICY_LOCKED])
		info->locked = mnl_attr_get_u32(tb[PTHRU_A_POLICY_LOCKED]);
	if (tb[PTHRU_A_POLICY_RULE_COUNT])
		info->rule_count = mnl_attr_get_u32(tb[PTHRU_A_POLICY_RULE_COUNT]);
	if (tb[PTHRU_A_POLICY_GENERATION])
		info->generation = mnl_attr_get_u32(tb[PTHRU_A_POLICY_GENERATION]);
	if (tb[PTHRU_A_POLICY_ALLOWED])
		info->allowed = mnl_attr_get_u64(tb[PTHRU_A_POLICY_ALLOWED]);
	if (tb[PTHRU_A_POLICY_DENIED])
		info->denied = mnl_attr_get_u64(tb[PTHRU_A_POLICY_DENIED]);
	if (tb[PTHRU_A_POLICY_AUDITED])
		info->audited = mnl_attr_get_u64(tb[PTHRU_A_POLICY_AUDITED]);
	return policy_gated_parse(nlh, info, bad_type);
}

void policy_rule_put(struct nlmsghdr *nlh, uint16_t type,
		     const struct policy_rule *r)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, PTHRU_A_RULE_ID, r->id);
	if (r->label[0])
		mnl_attr_put_strz(nlh, PTHRU_A_RULE_LABEL, r->label);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_ACTION, r->action);
	if (r->requirements)
		mnl_attr_put_u32(nlh, PTHRU_A_RULE_REQUIREMENTS,
				 r->requirements);
	if (r->fields & POLICY_F_VENDOR)
		mnl_attr_put_u32(nlh, PTHRU_A_RULE_VENDOR, r->vendor);
	if (r->fields & POLICY_F_DEVICE)
		mnl_attr_put_u32(nlh, PTHRU_A_RULE_DEVICE, r->device);
	if (r->fields & POLICY_F_SUBVENDOR)
		mnl_attr_put_u32(nlh, PTHRU_A_RULE_SUBSYS_VENDOR, r->subvendor);
	if (r->fields & POLICY_F_SUBDEVICE)
		mnl_attr_put_u32(nlh, PTHRU_A_RULE_SUBSYS_DEVICE,
				 r->subdevice);
	if (r->fields & POLICY_F_CLASS) {
		mnl_attr_put_u32(nlh, PTHRU_A_RULE_CLASS, r->class);
		if (r->class_mask)
			mnl_attr_put_u32(nlh, PTHRU_A_RULE_CLASS_MASK,
					 r->class_mask);
	}
	if (r->fields & POLICY_F_ADDR)
		mnl_attr_put_strz(nlh, PTHRU_A_RULE_ADDR, r->addr);
	if (r->fields & POLICY_F_SLOT)
		mnl_attr_put_strz(nlh, PTHRU_A_RULE_SLOT, r->slot);
	if (r->fields & POLICY_F_SERIAL)
		mnl_attr_put_u64(nlh, PTHRU_A_RULE_DSN, r->serial);
	if (r->fields & POLICY_F_DRIVER)
		mnl_attr_put_strz(nlh, PTHRU_A_RULE_DRIVER, r->driver);
	mnl_attr_nest_end(nlh, nest);
}

static const enum mnl_attr_data_type rule_attr_types[PTHRU_A_RULE_MAX + 1] = {
	[PTHRU_A_RULE_ID]		= MNL_TYPE_U32,
	[PTHRU_A_RULE_LABEL]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_RULE_ACTION]		= MNL_TYPE_U32,
	[PTHRU_A_RULE_REQUIREMENTS]	= MNL_TYPE_U32,
	[PTHRU_A_RULE_VENDOR]		= MNL_TYPE_U32,
	[PTHRU_A_RULE_DEVICE]		= MNL_TYPE_U32,
	[PTHRU_A_RULE_SUBSYS_VENDOR]	= MNL_TYPE_U32,
	[PTHRU_A_RULE_SUBSYS_DEVICE]	= MNL_TYPE_U32,
	[PTHRU_A_RULE_CLASS]		= MNL_TYPE_U32,
	[PTHRU_A_RULE_CLASS_MASK]	= MNL_TYPE_U32,
	[PTHRU_A_RULE_ADDR]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_RULE_SLOT]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_RULE_DSN]		= MNL_TYPE_U64,
	[PTHRU_A_RULE_DRIVER]		= MNL_TYPE_NUL_STRING,
};

int policy_rule_parse(const struct nlattr *nest, struct policy_rule *r,
		      uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_RULE_MAX + 1];
	const struct {
		uint16_t attr;
		uint32_t field;
		char *dst;
		size_t size;
	} strings[] = {
		{ PTHRU_A_RULE_LABEL, 0, r->label, sizeof(r->label) },
		{ PTHRU_A_RULE_ADDR, POLICY_F_ADDR, r->addr, sizeof(r->addr) },
		{ PTHRU_A_RULE_SLOT, POLICY_F_SLOT, r->slot, sizeof(r->slot) },
		{ PTHRU_A_RULE_DRIVER, POLICY_F_DRIVER, r->driver,
		  sizeof(r->driver) },
	};
	static const uint16_t ids[] = {
		PTHRU_A_RULE_VENDOR, PTHRU_A_RULE_DEVICE,
		PTHRU_A_RULE_SUBSYS_VENDOR, PTHRU_A_RULE_SUBSYS_DEVICE,
	};
	size_t i;

	memset(r, 0, sizeof(*r));
	if (nl_parse_nested(nest, tb, PTHRU_A_RULE_MAX, rule_attr_types,
			    bad_type))
		return -EBADMSG;
	/* PCI IDs travel as u32 but are 16 bits; more is a malformed rule. */
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		if (tb[ids[i]] && mnl_attr_get_u32(tb[ids[i]]) > UINT16_MAX) {
			*bad_type = ids[i];
			return -EBADMSG;
		}
	}
	if (tb[PTHRU_A_RULE_ACTION] &&
	    mnl_attr_get_u32(tb[PTHRU_A_RULE_ACTION]) > UINT8_MAX) {
		*bad_type = PTHRU_A_RULE_ACTION;
		return -EBADMSG;
	}
	/* A rule without its id or action cannot be shown or saved. */
	if (!tb[PTHRU_A_RULE_ID] || !tb[PTHRU_A_RULE_ACTION]) {
		*bad_type = tb[PTHRU_A_RULE_ID] ? PTHRU_A_RULE_ACTION :
						  PTHRU_A_RULE_ID;
		return -EBADMSG;
	}
	r->id = mnl_attr_get_u32(tb[PTHRU_A_RULE_ID]);
	r->action = mnl_attr_get_u32(tb[PTHRU_A_RULE_ACTION]);
	if (tb[PTHRU_A_RULE_REQUIREMENTS])
		r->requirements = mnl_attr_get_u32(tb[PTHRU_A_RULE_REQUIREMENTS]);
	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		if (!tb[strings[i].attr])
			continue;
		if (nl_attr_strcpy(strings[i].dst, strings[i].size,
				   tb[strings[i].attr])) {
			*bad_type = strings[i].attr;
			return -EBADMSG;
		}
		r->fields |= strings[i].field;
	}
	if (tb[PTHRU_A_RULE_VENDOR]) {
		r->fields |= POLICY_F_VENDOR;
		r->vendor = mnl_attr_get_u32(tb[PTHRU_A_RULE_VENDOR]);
	}
	if (tb[PTHRU_A_RULE_DEVICE]) {
		r->fields |= POLICY_F_DEVICE;
		r->device = mnl_attr_get_u32(tb[PTHRU_A_RULE_DEVICE]);
	}
	if (tb[PTHRU_A_RULE_SUBSYS_VENDOR]) {
		r->fields |= POLICY_F_SUBVENDOR;
		r->subvendor = mnl_attr_get_u32(tb[PTHRU_A_RULE_SUBSYS_VENDOR]);
	}
	if (tb[PTHRU_A_RULE_SUBSYS_DEVICE]) {
		r->fields |= POLICY_F_SUBDEVICE;
		r->subdevice =
			mnl_attr_get_u32(tb[PTHRU_A_RULE_SUBSYS_DEVICE]);
	}
	if (tb[PTHRU_A_RULE_CLASS]) {
		r->fields |= POLICY_F_CLASS;
		r->class = mnl_attr_get_u32(tb[PTHRU_A_RULE_CLASS]);
		if (tb[PTHRU_A_RULE_CLASS_MASK])
			r->class_mask =
				mnl_attr_get_u32(tb[PTHRU_A_RULE_CLASS_MASK]);
	}
	if (tb[PTHRU_A_RULE_DSN]) {
		r->fields |= POLICY_F_SERIAL;
		r->serial = mnl_attr_get_u64(tb[PTHRU_A_RULE_DSN]);
	}
	return 0;
}

int policy_rule_msg_parse(const struct nlmsghdr *nlh,
			  struct policy_rule_msg *msg, uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_POLICY_MAX + 1];

	memset(msg, 0, sizeof(*msg));
	if (nl_parse_attrs(nlh, tb, PTHRU_A_POLICY_MAX, policy_attr_types,
			   bad_type))
		return -EBADMSG;
	if (tb[PTHRU_A_POLICY_GENERATION]) {
		msg->has_generation = true;
		msg->generation = mnl_attr_get_u32(tb[PTHRU_A_POLICY_GENERATION]);
	}
	if (!tb[PTHRU_A_POLICY_RULE])
		return 0;
	msg->has_rule = true;
	return policy_rule_parse(tb[PTHRU_A_POLICY_RULE], &msg->rule, bad_type);
}

/* An attribute of @payload bytes, padded, with its header. */
#define ATTR_SPACE(payload)	MNL_ALIGN(MNL_ATTR_HDRLEN + (payload))

size_t policy_doc_msg_size(const struct policy_doc *doc)
{
	size_t rule = ATTR_SPACE(0) +			/* the nest */
		      /* id, reqs, class, mask, action, the four IDs */
		      9 * ATTR_SPACE(sizeof(uint32_t)) +
		      ATTR_SPACE(sizeof(uint64_t)) +
		      ATTR_SPACE(POLICY_LABEL_MAX + 1) +
		      ATTR_SPACE(POLICY_ADDR_LEN + 1) +
		      2 * ATTR_SPACE(POLICY_NAME_MAX + 1);

	return ATTR_SPACE(sizeof(uint32_t)) * 3 +	/* action, mode, reqs */
	       POLICY_MAX_GATED * ATTR_SPACE(POLICY_NAME_MAX + 1) +
	       doc->nr_rules * rule;
}

void policy_doc_put(struct nlmsghdr *nlh, const struct policy_doc *doc,
		    bool replace)
{
	unsigned int i;

	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION,
			 doc->default_action);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS,
			 doc->default_requirements);
	if (replace && doc->has_mode)
		mnl_attr_put_u32(nlh, PTHRU_A_POLICY_MODE, doc->mode);
	for (i = 0; replace && i < doc->nr_gated; i++)
		mnl_attr_put_strz(nlh, PTHRU_A_POLICY_GATED_DRIVER,
				  doc->gated[i]);
	for (i = 0; i < doc->nr_rules; i++)
		policy_rule_put(nlh, PTHRU_A_POLICY_RULE, &doc->rules[i]);
}

int policy_req_rule_at(const struct nlmsghdr *req, uint32_t offset)
{
	const struct nlattr *attr;
	uint32_t start, end;
	int index = 0;

	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != PTHRU_A_POLICY_RULE)
			continue;
		start = (const char *)attr - (const char *)req;
		end = start + attr->nla_len;
		if (offset >= start && offset < end)
			return index;
		index++;
	}
	return -1;
}

uint32_t policy_msg_rule_id(const char *msg)
{
	const char *p = msg;
	unsigned long id;
	char *end;

	while ((p = strstr(p, "rule ")) != NULL) {
		/* A word of its own, not the end of "overrule ". */
		if (p == msg || p[-1] == ' ' || p[-1] == '(') {
			p += strlen("rule ");
			if (*p >= '1' && *p <= '9') {
				errno = 0;
				id = strtoul(p, &end, 10);
				if (!errno && id <= UINT32_MAX &&
				    (*end == '\0' || *end == ':' ||
				     *end == ' ' || *end == ',' ||
				     *end == ')'))
					return id;
			}
		} else {
			p += strlen("rule ");
		}
	}
	return 0;
}

static const enum mnl_attr_data_type decision_attr_types[PTHRU_A_DECISION_MAX + 1] = {
	[PTHRU_A_DECISION_ADDR]			= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DECISION_DRIVER]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DECISION_VERDICT]		= MNL_TYPE_U32,
	[PTHRU_A_DECISION_OUTCOME]		= MNL_TYPE_U32,
	[PTHRU_A_DECISION_MODE]			= MNL_TYPE_U32,
	[PTHRU_A_DECISION_BY_DEFAULT]		= MNL_TYPE_U32,
	[PTHRU_A_DECISION_RULE_ID]		= MNL_TYPE_U32,
	[PTHRU_A_DECISION_RULE_LABEL]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DECISION_UNMET]		= MNL_TYPE_U32,
	[PTHRU_A_DECISION_PID]			= MNL_TYPE_U32,
	[PTHRU_A_DECISION_UID]			= MNL_TYPE_U32,
	[PTHRU_A_DECISION_COMM]			= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DECISION_POLICY_GENERATION]	= MNL_TYPE_U32,
};

static int policy_decision_parse(const struct nlattr *nest,
				 struct policy_decision *d, uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_DECISION_MAX + 1];
	const struct {
		uint16_t attr;
		char *dst;
		size_t size;
	} strings[] = {
		{ PTHRU_A_DECISION_ADDR, d->addr, sizeof(d->addr) },
		{ PTHRU_A_DECISION_DRIVER, d->driver, sizeof(d->driver) },
		{ PTHRU_A_DECISION_RULE_LABEL, d->rule_label,
		  sizeof(d->rule_label) },
		{ PTHRU_A_DECISION_COMM, d->comm, sizeof(d->comm) },
	};
	const struct {
		uint16_t attr;
		uint32_t *dst;
	} u32s[] = {
		{ PTHRU_A_DECISION_VERDICT, &d->verdict },
		{ PTHRU_A_DECISION_OUTCOME, &d->outcome },
		{ PTHRU_A_DECISION_MODE, &d->mode },
		{ PTHRU_A_DECISION_BY_DEFAULT, &d->by_default },
		{ PTHRU_A_DECISION_RULE_ID, &d->rule_id },
		{ PTHRU_A_DECISION_UNMET, &d->unmet },
		{ PTHRU_A_DECISION_PID, &d->pid },
		{ PTHRU_A_DECISION_UID, &d->uid },
		{ PTHRU_A_DECISION_POLICY_GENERATION, &d->policy_generation },
	};
	uint16_t type;
	size_t i;

	memset(d, 0, sizeof(*d));
	if (nl_parse_nested(nest, tb, PTHRU_A_DECISION_MAX,
			    decision_attr_types, bad_type))
		return -EBADMSG;
	for (type = 1; type <= PTHRU_A_DECISION_MAX; type++)
		if (tb[type])
			d->present |= 1U << type;
	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		if (tb[strings[i].attr] &&
		    nl_attr_strcpy(strings[i].dst, strings[i].size,
				   tb[strings[i].attr])) {
			*bad_type = strings[i].attr;
			return -EBADMSG;
		}
	}
	for (i = 0; i < ARRAY_SIZE(u32s); i++)
		if (tb[u32s[i].attr])
			*u32s[i].dst = mnl_attr_get_u32(tb[u32s[i].attr]);
	return 0;
}

static int policy_decision_list_grow(struct policy_decision_list *list)
{
	size_t cap = list->cap ? 2 * list->cap : 16;
	struct policy_decision *grown;

	if (list->n < list->cap)
		return 0;
	grown = realloc(list->items, cap * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	list->items = grown;
	list->cap = cap;
	return 0;
}

int policy_decisions_parse(const struct nlmsghdr *nlh,
			   struct policy_decision_list *list,
			   uint16_t *bad_type)
{
	const struct nlattr *attr;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr)) {
		*bad_type = 0;
		return -EBADMSG;
	}
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != PTHRU_A_POLICY_DECISION)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0) {
			*bad_type = PTHRU_A_POLICY_DECISION;
			return -EBADMSG;
		}
		err = policy_decision_list_grow(list);
		if (err)
			return err;
		err = policy_decision_parse(attr, &list->items[list->n],
					    bad_type);
		if (err)
			return err;
		list->n++;
	}
	return 0;
}

void policy_decision_list_free(struct policy_decision_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}
