// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl map verify: ask the module to walk its shadow against the
 * IOMMU's page tables now (map-verify) and print what the walk did and
 * found.  What it found is also raised as hazards, which "pthructl
 * hazard" lists with their messages and remediations.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <linux/pthru.h>

#include "json.h"
#include "map.h"
#include "pthructl.h"
#include "verify.h"

static const enum mnl_attr_data_type verify_policy[PTHRU_A_VERIFY_MAX + 1] = {
	[PTHRU_A_VERIFY_GROUP_ID]	= MNL_TYPE_U32,
	[PTHRU_A_VERIFY_DOMAINS]	= MNL_TYPE_U32,
	[PTHRU_A_VERIFY_RANGES]		= MNL_TYPE_U64,
	[PTHRU_A_VERIFY_TRANSLATIONS]	= MNL_TYPE_U64,
	[PTHRU_A_VERIFY_SKIPPED]	= MNL_TYPE_U64,
	[PTHRU_A_VERIFY_DISAGREEMENTS]	= MNL_TYPE_U64,
	[PTHRU_A_VERIFY_STALE]		= MNL_TYPE_U64,
	[PTHRU_A_VERIFY_IDENTITY]	= MNL_TYPE_U64,
	[PTHRU_A_VERIFY_KERNEL_MEMORY]	= MNL_TYPE_U64,
	[PTHRU_A_VERIFY_OVERREACH]	= MNL_TYPE_U64,
	[PTHRU_A_VERIFY_INCOMPLETE_DOMAINS] = MNL_TYPE_U32,
	[PTHRU_A_VERIFY_GENERATION]	= MNL_TYPE_U32,
};

/* The counts in output order; the JSON key, then the text's name. */
static const struct verify_field {
	uint16_t attr;
	bool wide;		/* u64, else u32 */
	const char *key;
	const char *text;
	size_t offset;
	bool finding;		/* a count of a finding kind */
} verify_fields[] = {
#define FIELD(attr, wide, key, text, member, finding)			\
	{ PTHRU_A_VERIFY_##attr, wide, key, text,			\
	  offsetof(struct pthru_verify, member), finding }
	FIELD(DOMAINS, false, "domains", "domains", domains, false),
	FIELD(RANGES, true, "ranges", "ranges", ranges, false),
	FIELD(TRANSLATIONS, true, "translations", "translations",
	      translations, false),
	FIELD(SKIPPED, true, "skipped", "skipped", skipped, false),
	FIELD(DISAGREEMENTS, true, "disagreements", "disagreements",
	      disagreements, true),
	FIELD(STALE, true, "stale", "stale", stale, true),
	FIELD(IDENTITY, true, "identity", "identity", identity, true),
	FIELD(KERNEL_MEMORY, true, "kernel_memory", "kernel-memory",
	      kernel_memory, true),
	FIELD(OVERREACH, true, "overreach", "overreach", overreach, true),
	FIELD(INCOMPLETE_DOMAINS, false, "incomplete_domains",
	      "incomplete-domains", incomplete_domains, true),
	FIELD(GENERATION, false, "generation", "generation", generation,
	      false),
#undef FIELD
};

static const struct verify_field *field_of(uint16_t attr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verify_fields); i++)
		if (verify_fields[i].attr == attr)
			return &verify_fields[i];
	return NULL;
}

static uint64_t field_value(const struct pthru_verify *v,
			    const struct verify_field *f)
{
	const char *base = (const char *)v + f->offset;

	return f->wide ? *(const uint64_t *)base : *(const uint32_t *)base;
}

static bool verify_has(const struct pthru_verify *v, uint16_t attr)
{
	return v->present & (1U << attr);
}

int verify_parse(const struct nlmsghdr *nlh, struct pthru_verify *v,
		 uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_VERIFY_MAX + 1];
	const struct verify_field *f;
	char *base;
	size_t i;

	memset(v, 0, sizeof(*v));
	if (nl_parse_attrs(nlh, tb, PTHRU_A_VERIFY_MAX, verify_policy,
			   bad_type))
		return -EBADMSG;
	if (tb[PTHRU_A_VERIFY_GROUP_ID]) {
		v->present |= 1U << PTHRU_A_VERIFY_GROUP_ID;
		v->group_id = mnl_attr_get_u32(tb[PTHRU_A_VERIFY_GROUP_ID]);
	}
	for (i = 0; i < ARRAY_SIZE(verify_fields); i++) {
		f = &verify_fields[i];
		if (!tb[f->attr])
			continue;
		v->present |= 1U << f->attr;
		base = (char *)v + f->offset;
		if (f->wide)
			*(uint64_t *)base = mnl_attr_get_u64(tb[f->attr]);
		else
			*(uint32_t *)base = mnl_attr_get_u32(tb[f->attr]);
	}
	return 0;
}

bool verify_found(const struct pthru_verify *v)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verify_fields); i++)
		if (verify_fields[i].finding &&
		    field_value(v, &verify_fields[i]))
			return true;
	return false;
}

/* "5" or "-" when the module did not send it. */
static const char *count_text(const struct pthru_verify *v, uint16_t attr,
			      char *buf, size_t len)
{
	if (!verify_has(v, attr))
		return "-";
	snprintf(buf, len, "%" PRIu64, field_value(v, field_of(attr)));
	return buf;
}

static void verify_text(FILE *out, const struct pthru_verify *v)
{
	char a[24], b[24], c[24], d[24];
	const char *sep = "";
	size_t i;

	fprintf(out, "verified %s domain%s: %s ranges, %s translations, %s skipped\n",
		count_text(v, PTHRU_A_VERIFY_DOMAINS, a, sizeof(a)),
		verify_has(v, PTHRU_A_VERIFY_DOMAINS) && v->domains == 1 ?
		"" : "s",
		count_text(v, PTHRU_A_VERIFY_RANGES, b, sizeof(b)),
		count_text(v, PTHRU_A_VERIFY_TRANSLATIONS, c, sizeof(c)),
		count_text(v, PTHRU_A_VERIFY_SKIPPED, d, sizeof(d)));
	for (i = 0; i < ARRAY_SIZE(verify_fields); i++) {
		if (!verify_fields[i].finding)
			continue;
		fprintf(out, "%s%s %s", sep, verify_fields[i].text,
			count_text(v, verify_fields[i].attr, a, sizeof(a)));
		sep = ", ";
	}
	fputc('\n', out);
}

static void verify_json(FILE *out, const struct pthru_verify *v)
{
	const struct verify_field *f;
	struct json j;
	size_t i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
	if (verify_has(v, PTHRU_A_VERIFY_GROUP_ID))
		json_uint(&j, "group", v->group_id);
	for (i = 0; i < ARRAY_SIZE(verify_fields); i++) {
		f = &verify_fields[i];
		if (verify_has(v, f->attr))
			json_uint(&j, f->key, field_value(v, f));
		else
			json_null(&j, f->key);
	}
	json_object_end(&j);
	fputc('\n', out);
}

void verify_print(FILE *out, const struct pthru_verify *v, bool json)
{
	if (json)
		verify_json(out, v);
	else
		verify_text(out, v);
}

struct verify_reply {
	struct pthru_verify v;
	bool replied;
	bool malformed;
	uint16_t bad_type;
};

static int verify_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct verify_reply *r = data;

	if (r->replied)
		return MNL_CB_OK;
	r->replied = true;
	if (verify_parse(nlh, &r->v, &r->bad_type)) {
		r->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int verify_run(struct pthructl *ctl, bool has_group, uint32_t group)
{
	struct verify_reply r = {};
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_MAP_VERIFY,
			   PTHRU_FAMILY_VERSION);
	if (has_group)
		mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_GROUP_ID, group);
	err = nl_do(&ctl->nl, nlh, verify_reply_cb, &r);
	if (r.malformed)
		return pt_err("malformed map-verify reply from the kernel (attribute %u)",
			      r.bad_type);
	if (err)
		return map_nl_err(ctl, err, has_group, group,
				  "the loaded pthru module cannot verify mappings (it predates map-verify)");
	if (!r.replied)
		return pt_err("the kernel sent no map-verify reply");
	verify_print(stdout, &r.v, ctl->json);
	return verify_found(&r.v) ? EXIT_FINDINGS : EXIT_OK;
}
