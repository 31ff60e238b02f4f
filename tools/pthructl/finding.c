// SPDX-License-Identifier: GPL-2.0
/*
 * Findings: parsing the finding nests of hazard-get replies and hazard
 * events, ordering and counting them, and their JSON object and text
 * lines, shared by audit, hazard, check and monitor.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "finding.h"
#include "names.h"
#include "nl.h"
#include "pthructl.h"

_Static_assert(PTHRU_A_FINDING_MAX < 64, "finding.present has 64 bits");

static const enum mnl_attr_data_type finding_policy[PTHRU_A_FINDING_MAX + 1] = {
	[PTHRU_A_FINDING_ID]		= MNL_TYPE_U32,
	[PTHRU_A_FINDING_SEVERITY]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_ADDR]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_FINDING_GROUP_ID]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_MESSAGE]	= MNL_TYPE_NUL_STRING,
	[PTHRU_A_FINDING_REMEDIATION]	= MNL_TYPE_NUL_STRING,
	[PTHRU_A_FINDING_HOP]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_FINDING_HOP_KIND]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_ACS_POS]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_ACS_CTRL]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_ACS_CTRL_BASELINE] = MNL_TYPE_U32,
	[PTHRU_A_FINDING_ACS_NEEDED]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_REACH_COUNT]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_PEER]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_FINDING_PEER_GROUP_ID]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_ISOLATION_GROUP] = MNL_TYPE_U32,
	[PTHRU_A_FINDING_DRIVER]	= MNL_TYPE_NUL_STRING,
	[PTHRU_A_FINDING_PEER_DRIVER]	= MNL_TYPE_NUL_STRING,
	[PTHRU_A_FINDING_REGION_TYPE]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_REGION_START]	= MNL_TYPE_U64,
	[PTHRU_A_FINDING_REGION_END]	= MNL_TYPE_U64,
	[PTHRU_A_FINDING_DOMAIN_ID]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_IOVA]		= MNL_TYPE_U64,
	[PTHRU_A_FINDING_COUNT]		= MNL_TYPE_U64,
	[PTHRU_A_FINDING_DOMAINS]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_MEMORY_KIND]	= MNL_TYPE_U32,
	[PTHRU_A_FINDING_PHYS]		= MNL_TYPE_U64,
	[PTHRU_A_FINDING_PHYS_EXPECTED]	= MNL_TYPE_U64,
};

/* How a typed fact is stored and written in JSON. */
enum fact_kind {
	FACT_STR,	/* a string, as is */
	FACT_U32,	/* a number */
	FACT_REG,	/* a 16-bit register, "%04x" as the dev document's */
	FACT_U64,	/* a number */
	FACT_ADDR,	/* an address, "0x%016x" as the map document's */
	FACT_HOP_KIND,	/* enum hop-kind, by name */
	FACT_RESV_TYPE,	/* enum resv-type, by name */
	FACT_MEMORY,	/* enum memory-kind, by name */
};

/* The typed facts of a finding, in JSON output order. */
static const struct finding_fact {
	uint16_t attr;
	enum fact_kind kind;
	const char *key;
	size_t offset;
	size_t size;		/* of a FACT_STR buffer */
} finding_facts[] = {
#define FACT(attr, kind, key, member)					\
	{ PTHRU_A_FINDING_##attr, FACT_##kind, key,			\
	  offsetof(struct finding, member),				\
	  sizeof(((struct finding *)NULL)->member) }
	FACT(HOP, STR, "hop", hop),
	FACT(HOP_KIND, HOP_KIND, "hop_kind", hop_kind),
	FACT(ACS_POS, U32, "acs_pos", acs_pos),
	FACT(ACS_CTRL, REG, "acs_ctrl", acs_ctrl),
	FACT(ACS_CTRL_BASELINE, REG, "acs_ctrl_baseline", acs_ctrl_baseline),
	FACT(ACS_NEEDED, REG, "acs_needed", acs_needed),
	FACT(REACH_COUNT, U32, "reach_count", reach_count),
	FACT(PEER, STR, "peer", peer),
	FACT(PEER_GROUP_ID, U32, "peer_group_id", peer_group_id),
	FACT(ISOLATION_GROUP, U32, "isolation_group", isolation_group),
	FACT(DRIVER, STR, "driver", driver),
	FACT(PEER_DRIVER, STR, "peer_driver", peer_driver),
	FACT(REGION_TYPE, RESV_TYPE, "region_type", region_type),
	FACT(REGION_START, ADDR, "region_start", region_start),
	FACT(REGION_END, ADDR, "region_end", region_end),
	FACT(DOMAIN_ID, U32, "domain_id", domain_id),
	FACT(IOVA, ADDR, "iova", iova),
	FACT(COUNT, U64, "count", count),
	FACT(DOMAINS, U32, "domains", domains),
	FACT(MEMORY_KIND, MEMORY, "memory_kind", memory_kind),
	FACT(PHYS, ADDR, "phys", phys),
	FACT(PHYS_EXPECTED, ADDR, "phys_expected", phys_expected),
#undef FACT
};

static bool fact_is_u64(const struct finding_fact *fact)
{
	return fact->kind == FACT_U64 || fact->kind == FACT_ADDR;
}

/* Store the fact @attr of a parsed nest into @f; 0 or -EBADMSG. */
static int fact_parse(const struct finding_fact *fact,
		      const struct nlattr *attr, struct finding *f)
{
	char *base = (char *)f + fact->offset;

	if (fact->kind == FACT_STR)
		return nl_attr_strcpy(base, fact->size, attr);
	if (fact_is_u64(fact))
		*(uint64_t *)base = mnl_attr_get_u64(attr);
	else
		*(uint32_t *)base = mnl_attr_get_u32(attr);
	return 0;
}

static void fact_json(struct json *j, const struct finding_fact *fact,
		      const struct finding *f)
{
	const char *base = (const char *)f + fact->offset;
	uint32_t u32 = 0;
	uint64_t u64 = 0;
	char buf[24];

	if (!finding_has(f, fact->attr)) {
		json_null(j, fact->key);
		return;
	}
	if (fact_is_u64(fact))
		u64 = *(const uint64_t *)base;
	else if (fact->kind != FACT_STR)
		u32 = *(const uint32_t *)base;
	switch (fact->kind) {
	case FACT_STR:
		json_string(j, fact->key, base);
		break;
	case FACT_U32:
		json_uint(j, fact->key, u32);
		break;
	case FACT_REG:
		snprintf(buf, sizeof(buf), "%04x", u32);
		json_string(j, fact->key, buf);
		break;
	case FACT_U64:
		json_uint(j, fact->key, u64);
		break;
	case FACT_ADDR:
		/* A string: a u64 is not exact in every JSON parser. */
		snprintf(buf, sizeof(buf), "0x%016" PRIx64, u64);
		json_string(j, fact->key, buf);
		break;
	case FACT_HOP_KIND:
		json_string(j, fact->key, hop_kind_name(u32));
		break;
	case FACT_RESV_TYPE:
		json_string(j, fact->key, resv_type_name(u32));
		break;
	case FACT_MEMORY:
		json_string(j, fact->key, memory_kind_name(u32));
		break;
	}
}

static const enum mnl_attr_data_type hazard_policy[PTHRU_A_HAZARD_MAX + 1] = {
	[PTHRU_A_HAZARD_MIN_SEVERITY]	= MNL_TYPE_U32,
	[PTHRU_A_HAZARD_ADDR]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_HAZARD_FINDING]	= MNL_TYPE_NESTED,
	[PTHRU_A_HAZARD_GENERATION]	= MNL_TYPE_U32,
};

int finding_parse(const struct nlattr *nest, struct finding *f,
		  uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_FINDING_MAX + 1];
	const struct {
		uint16_t attr;
		char *dst;
		size_t len;
	} strings[] = {
		{ PTHRU_A_FINDING_ADDR, f->addr, sizeof(f->addr) },
		{ PTHRU_A_FINDING_MESSAGE, f->message, sizeof(f->message) },
		{ PTHRU_A_FINDING_REMEDIATION, f->remediation,
		  sizeof(f->remediation) },
	};
	uint16_t type;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (nl_parse_nested(nest, tb, PTHRU_A_FINDING_MAX, finding_policy,
			    bad_type))
		return -EBADMSG;
	/* Without what it is and how bad, a finding cannot be judged. */
	if (!tb[PTHRU_A_FINDING_ID] || !tb[PTHRU_A_FINDING_SEVERITY]) {
		*bad_type = tb[PTHRU_A_FINDING_ID] ? PTHRU_A_FINDING_SEVERITY :
						     PTHRU_A_FINDING_ID;
		return -EBADMSG;
	}
	for (type = 1; type <= PTHRU_A_FINDING_MAX; type++)
		if (tb[type])
			f->present |= 1ULL << type;
	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		if (tb[strings[i].attr] &&
		    nl_attr_strcpy(strings[i].dst, strings[i].len,
				   tb[strings[i].attr])) {
			*bad_type = strings[i].attr;
			return -EBADMSG;
		}
	}
	f->id = mnl_attr_get_u32(tb[PTHRU_A_FINDING_ID]);
	f->severity = mnl_attr_get_u32(tb[PTHRU_A_FINDING_SEVERITY]);
	if (tb[PTHRU_A_FINDING_GROUP_ID])
		f->group_id = mnl_attr_get_u32(tb[PTHRU_A_FINDING_GROUP_ID]);
	for (i = 0; i < ARRAY_SIZE(finding_facts); i++) {
		if (tb[finding_facts[i].attr] &&
		    fact_parse(&finding_facts[i], tb[finding_facts[i].attr], f)) {
			*bad_type = finding_facts[i].attr;
			return -EBADMSG;
		}
	}
	return 0;
}

int finding_list_add(struct finding_list *list, const struct finding *f)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 16;
		struct finding *grown;

		grown = realloc(list->items, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		list->items = grown;
		list->cap = cap;
	}
	list->items[list->n++] = *f;
	return 0;
}

void finding_list_free(struct finding_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

int hazard_msg_parse(const struct nlmsghdr *nlh, struct hazard_msg *msg,
		     struct finding_list *list, uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_HAZARD_MAX + 1];
	const struct nlattr *attr;
	struct finding *f;
	uint16_t bad_nested;
	int err = 0;

	memset(msg, 0, sizeof(*msg));
	/* Validates every finding nest's type, not only the last one's. */
	if (nl_parse_attrs(nlh, tb, PTHRU_A_HAZARD_MAX, hazard_policy,
			   bad_type))
		return -EBADMSG;
	if (tb[PTHRU_A_HAZARD_GENERATION]) {
		msg->has_generation = true;
		msg->generation = mnl_attr_get_u32(tb[PTHRU_A_HAZARD_GENERATION]);
	}

	f = malloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != PTHRU_A_HAZARD_FINDING)
			continue;
		if (finding_parse(attr, f, &bad_nested)) {
			*bad_type = PTHRU_A_HAZARD_FINDING;
			err = -EBADMSG;
			break;
		}
		err = finding_list_add(list, f);
		if (err)
			break;
		msg->n_findings++;
	}
	free(f);
	return err;
}

/* 0 host-wide, 1 about a group, 2 about a function. */
static int finding_scope(const struct finding *f)
{
	if (finding_has(f, PTHRU_A_FINDING_ADDR))
		return 2;
	return finding_has(f, PTHRU_A_FINDING_GROUP_ID) ? 1 : 0;
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int d;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	d = finding_scope(a) - finding_scope(b);
	if (d)
		return d;
	if (a->group_id != b->group_id)
		return a->group_id < b->group_id ? -1 : 1;
	d = strcmp(a->addr, b->addr);
	if (d)
		return d;
	return strcmp(a->message, b->message);
}

void finding_list_sort(struct finding_list *list)
{
	if (list->n > 1)
		qsort(list->items, list->n, sizeof(*list->items), finding_cmp);
}

void finding_list_count(const struct finding_list *list,
			size_t counts[SEVERITY_COUNT], size_t *total)
{
	size_t i;

	memset(counts, 0, SEVERITY_COUNT * sizeof(counts[0]));
	for (i = 0; i < list->n; i++)
		if (list->items[i].severity < SEVERITY_COUNT)
			counts[list->items[i].severity]++;
	*total = list->n;
}

bool finding_list_reaches(const struct finding_list *list, uint32_t threshold)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->items[i].severity >= threshold)
			return true;
	return false;
}

void finding_json(struct json *j, const char *key, const struct finding *f)
{
	char id[HAZARD_ID_STRLEN];
	size_t i;

	json_object_begin(j, key);
	json_string(j, "id", f->id ? hazard_id_text(f->id, id, sizeof(id)) :
		    NULL);
	json_string(j, "name", finding_name(f));
	json_string(j, "severity", severity_name(f->severity));
	json_string(j, "addr",
		    finding_has(f, PTHRU_A_FINDING_ADDR) ? f->addr : NULL);
	if (finding_has(f, PTHRU_A_FINDING_GROUP_ID))
		json_uint(j, "group", f->group_id);
	else
		json_null(j, "group");
	json_string(j, "message",
		    finding_has(f, PTHRU_A_FINDING_MESSAGE) ? f->message : NULL);
	json_string(j, "remediation",
		    finding_has(f, PTHRU_A_FINDING_REMEDIATION) ?
		    f->remediation : NULL);
	for (i = 0; i < ARRAY_SIZE(finding_facts); i++)
		fact_json(j, &finding_facts[i], f);
	json_object_end(j);
}

const char *finding_name(const struct finding *f)
{
	if (!f->id && f->name)
		return f->name;
	return hazard_name(f->id);
}

const char *finding_subject(const struct finding *f, char *buf, size_t len)
{
	if (finding_has(f, PTHRU_A_FINDING_ADDR))
		return f->addr;
	if (finding_has(f, PTHRU_A_FINDING_GROUP_ID)) {
		snprintf(buf, len, "group %u", f->group_id);
		return buf;
	}
	return "host";
}

void finding_widths_init(struct finding_widths *w)
{
	w->name = 0;
	w->subject = 0;
}

void finding_widths_add(struct finding_widths *w, const struct finding *f)
{
	char buf[32];
	int len;

	len = strlen(finding_name(f));
	if (len > w->name)
		w->name = len;
	len = strlen(finding_subject(f, buf, sizeof(buf)));
	if (len > w->subject)
		w->subject = len;
}

void finding_print_text(FILE *out, const struct finding *f,
			const struct finding_widths *w, const char *indent,
			const char *prefix)
{
	char id[HAZARD_ID_STRLEN], subject[32];

	fprintf(out, "%s%s%-9s %-*s  %-*s  %s\n", indent, prefix,
		f->id ? hazard_id_text(f->id, id, sizeof(id)) : "-",
		w->name, finding_name(f), w->subject,
		finding_subject(f, subject, sizeof(subject)),
		finding_has(f, PTHRU_A_FINDING_MESSAGE) ? f->message : "-");
	if (finding_has(f, PTHRU_A_FINDING_REMEDIATION))
		fprintf(out, "%s  fix: %s\n", indent, f->remediation);
}

void finding_list_json(struct json *j, const char *key,
		       const struct finding_list *list)
{
	size_t i;

	json_array_begin(j, key);
	for (i = 0; i < list->n; i++)
		finding_json(j, NULL, &list->items[i]);
	json_array_end(j);
}
