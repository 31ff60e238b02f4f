// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl group: IOMMU groups (group-get do and dump).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "group.h"
#include "local_view.h"
#include "names.h"
#include "pthructl.h"
#include "source.h"
#include "table.h"

static const enum mnl_attr_data_type group_policy[PTHRU_A_GROUP_MAX + 1] = {
	[PTHRU_A_GROUP_ID]		= MNL_TYPE_U32,
	[PTHRU_A_GROUP_DOMAIN_TYPE]	= MNL_TYPE_U32,
	[PTHRU_A_GROUP_MEMBER]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_GROUP_RESV_REGION]	= MNL_TYPE_NESTED,
	[PTHRU_A_GROUP_ISOLATED_MSI]	= MNL_TYPE_U32,
};

static const enum mnl_attr_data_type resv_policy[PTHRU_A_RESV_REGION_MAX + 1] = {
	[PTHRU_A_RESV_REGION_START]	= MNL_TYPE_U64,
	[PTHRU_A_RESV_REGION_END]	= MNL_TYPE_U64,
	[PTHRU_A_RESV_REGION_TYPE]	= MNL_TYPE_U32,
};

int group_id_parse(const char *s, uint32_t *id)
{
	uint64_t val = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		val = val * 10 + (uint64_t)(*s - '0');
		if (val > UINT32_MAX)
			return -EINVAL;
	}
	*id = val;
	return 0;
}

static int group_parse_resv(const struct nlattr *nest, struct resv_view *resv,
			    uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_RESV_REGION_MAX + 1];
	uint16_t bad_nested, type;

	memset(resv, 0, sizeof(*resv));
	if (nl_parse_nested(nest, tb, PTHRU_A_RESV_REGION_MAX, resv_policy,
			    &bad_nested)) {
		*bad_type = PTHRU_A_GROUP_RESV_REGION;
		return -EBADMSG;
	}
	for (type = 1; type <= PTHRU_A_RESV_REGION_MAX; type++)
		if (tb[type])
			resv->present |= 1U << type;
	if (tb[PTHRU_A_RESV_REGION_START])
		resv->start = mnl_attr_get_u64(tb[PTHRU_A_RESV_REGION_START]);
	if (tb[PTHRU_A_RESV_REGION_END])
		resv->end = mnl_attr_get_u64(tb[PTHRU_A_RESV_REGION_END]);
	if (tb[PTHRU_A_RESV_REGION_TYPE])
		resv->type = mnl_attr_get_u32(tb[PTHRU_A_RESV_REGION_TYPE]);
	return 0;
}

/* Second pass over the attributes: the multi-attr members and regions. */
static int group_parse_lists(const struct nlmsghdr *nlh,
			     struct group_view *grp, uint16_t *bad_type)
{
	const struct nlattr *attr;
	unsigned int n_members = 0, n_resv = 0;
	int err;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == PTHRU_A_GROUP_MEMBER)
			n_members++;
		else if (mnl_attr_get_type(attr) == PTHRU_A_GROUP_RESV_REGION)
			n_resv++;
	}
	if (n_members) {
		grp->members = calloc(n_members, sizeof(*grp->members));
		if (!grp->members)
			return -ENOMEM;
	}
	if (n_resv) {
		grp->resv = calloc(n_resv, sizeof(*grp->resv));
		if (!grp->resv)
			return -ENOMEM;
	}

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case PTHRU_A_GROUP_MEMBER:
			/* Validated as a NUL-terminated string by the policy. */
			if (nl_attr_strcpy(grp->members[grp->n_members],
					   PCI_ADDR_STRLEN, attr)) {
				*bad_type = PTHRU_A_GROUP_MEMBER;
				return -EBADMSG;
			}
			grp->n_members++;
			break;
		case PTHRU_A_GROUP_RESV_REGION:
			err = group_parse_resv(attr, &grp->resv[grp->n_resv],
					       bad_type);
			if (err)
				return err;
			grp->n_resv++;
			break;
		}
	}
	return 0;
}

int group_parse(const struct nlmsghdr *nlh, struct group_view *grp,
		uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_GROUP_MAX + 1];
	uint16_t type;
	int err;

	memset(grp, 0, sizeof(*grp));
	/* This also validates every member and region, not just the last. */
	if (nl_parse_attrs(nlh, tb, PTHRU_A_GROUP_MAX, group_policy, bad_type))
		return -EBADMSG;
	for (type = 1; type <= PTHRU_A_GROUP_MAX; type++)
		if (tb[type])
			grp->present |= 1ULL << type;
	if (tb[PTHRU_A_GROUP_ID])
		grp->id = mnl_attr_get_u32(tb[PTHRU_A_GROUP_ID]);
	if (tb[PTHRU_A_GROUP_DOMAIN_TYPE])
		grp->domain_type = mnl_attr_get_u32(tb[PTHRU_A_GROUP_DOMAIN_TYPE]);
	if (tb[PTHRU_A_GROUP_ISOLATED_MSI])
		grp->isolated_msi = mnl_attr_get_u32(tb[PTHRU_A_GROUP_ISOLATED_MSI]);

	err = group_parse_lists(nlh, grp, bad_type);
	if (err)
		group_free(grp);
	return err;
}

void group_free(struct group_view *grp)
{
	free(grp->members);
	free(grp->resv);
	grp->members = NULL;
	grp->resv = NULL;
	grp->n_members = 0;
	grp->n_resv = 0;
}

static void resv_addr_text(const struct resv_view *resv, uint16_t attr,
			   uint64_t val, char *buf, size_t len)
{
	if (resv->present & (1U << attr))
		snprintf(buf, len, "0x%016" PRIx64, val);
	else
		snprintf(buf, len, "-");
}

static void resv_json(struct json *j, const struct resv_view *resv)
{
	char start[24], end[24];
	bool has_type = resv->present & (1U << PTHRU_A_RESV_REGION_TYPE);

	resv_addr_text(resv, PTHRU_A_RESV_REGION_START, resv->start, start,
		       sizeof(start));
	resv_addr_text(resv, PTHRU_A_RESV_REGION_END, resv->end, end,
		       sizeof(end));
	json_object_begin(j, NULL);
	json_string(j, "start", strcmp(start, "-") ? start : NULL);
	json_string(j, "end", strcmp(end, "-") ? end : NULL);
	json_string(j, "type", has_type ? resv_type_name(resv->type) : NULL);
	json_object_end(j);
}

static void group_json_members(struct json *j, const struct group_view *grp)
{
	unsigned int i;

	if (group_has(grp, PTHRU_A_GROUP_ID))
		json_uint(j, "id", grp->id);
	else
		json_null(j, "id");
	json_string(j, "domain_type",
		    group_has(grp, PTHRU_A_GROUP_DOMAIN_TYPE) ?
		    domain_type_name(grp->domain_type) : NULL);
	json_string(j, "isolated_msi",
		    group_has(grp, PTHRU_A_GROUP_ISOLATED_MSI) ?
		    tristate_name(grp->isolated_msi) : NULL);
	json_array_begin(j, "members");
	for (i = 0; i < grp->n_members; i++)
		json_string(j, NULL, grp->members[i]);
	json_array_end(j);
	json_array_begin(j, "reserved_regions");
	for (i = 0; i < grp->n_resv; i++)
		resv_json(j, &grp->resv[i]);
	json_array_end(j);
}

void group_json(struct json *j, const char *key, const struct group_view *grp)
{
	json_object_begin(j, key);
	group_json_members(j, grp);
	json_object_end(j);
}

/* Members as "a,b,c", or "-" for none; the caller frees the result. */
static char *group_members_text(const struct group_view *grp)
{
	size_t len = 2, pos = 0, n, i;
	char *text;

	for (i = 0; i < grp->n_members; i++)
		len += strlen(grp->members[i]) + 1;
	text = malloc(len);
	if (!text)
		return NULL;
	if (!grp->n_members)
		return memcpy(text, "-", 2);
	for (i = 0; i < grp->n_members; i++) {
		if (i)
			text[pos++] = ',';
		n = strlen(grp->members[i]);
		memcpy(text + pos, grp->members[i], n);
		pos += n;
	}
	text[pos] = '\0';
	return text;
}

struct group_text {
	char id[16];
	const char *domain_type;
	const char *isolated_msi;
};

static void group_text(const struct group_view *grp, struct group_text *t)
{
	if (group_has(grp, PTHRU_A_GROUP_ID))
		snprintf(t->id, sizeof(t->id), "%u", grp->id);
	else
		snprintf(t->id, sizeof(t->id), "-");
	t->domain_type = group_has(grp, PTHRU_A_GROUP_DOMAIN_TYPE) ?
			 domain_type_name(grp->domain_type) : "-";
	t->isolated_msi = group_has(grp, PTHRU_A_GROUP_ISOLATED_MSI) ?
			  tristate_name(grp->isolated_msi) : "-";
}

static int group_show_text(FILE *out, const struct group_view *grp)
{
	char start[24], end[24];
	struct group_text t;
	unsigned int i;
	char *members;

	members = group_members_text(grp);
	if (!members)
		return pt_err("out of memory");
	group_text(grp, &t);
	source_text_line(out);
	fprintf(out, "id: %s\n", t.id);
	fprintf(out, "domain_type: %s\n", t.domain_type);
	fprintf(out, "isolated_msi: %s\n", t.isolated_msi);
	fprintf(out, "members: %s\n", members);
	for (i = 0; i < grp->n_resv; i++) {
		const struct resv_view *resv = &grp->resv[i];
		bool has_type = resv->present & (1U << PTHRU_A_RESV_REGION_TYPE);

		resv_addr_text(resv, PTHRU_A_RESV_REGION_START, resv->start,
			       start, sizeof(start));
		resv_addr_text(resv, PTHRU_A_RESV_REGION_END, resv->end, end,
			       sizeof(end));
		fprintf(out, "resv: %s-%s %s\n", start, end,
		       has_type ? resv_type_name(resv->type) : "-");
	}
	free(members);
	return EXIT_OK;
}

struct group_list {
	struct group_view *groups;
	size_t n;
	size_t cap;
	int parse_err;		/* -ENOMEM or -EBADMSG from group_parse() */
	uint16_t bad_type;
};

static void group_list_free(struct group_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		group_free(&list->groups[i]);
	free(list->groups);
}

static int group_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct group_list *list = data;
	int err;

	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 32;
		struct group_view *grown;

		grown = realloc(list->groups, cap * sizeof(*grown));
		if (!grown) {
			list->parse_err = -ENOMEM;
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		list->groups = grown;
		list->cap = cap;
	}
	err = group_parse(nlh, &list->groups[list->n], &list->bad_type);
	if (err) {
		list->parse_err = err;
		errno = -err;
		return MNL_CB_ERROR;
	}
	list->n++;
	return MNL_CB_OK;
}

static int group_parse_error(int err, uint16_t bad_type)
{
	if (err == -ENOMEM)
		return pt_err("out of memory");
	return pt_err("malformed group-get reply from the kernel (attribute %u)",
		      bad_type);
}

static int group_list_text(FILE *out, const struct group_view *groups,
			   size_t n)
{
	static const char *const header[] = {
		"ID", "DOMAIN", "ISOLATED-MSI", "MEMBERS",
	};
	struct group_text t;
	struct table tab;
	size_t i;
	int err;

	source_text_line(out);
	table_init(&tab, 4, "  ");
	err = table_add_row(&tab, header);
	for (i = 0; i < n && !err; i++) {
		char *members = group_members_text(&groups[i]);
		const char *row[4];

		if (!members) {
			err = -ENOMEM;
			break;
		}
		group_text(&groups[i], &t);
		row[0] = t.id;
		row[1] = t.domain_type;
		row[2] = t.isolated_msi;
		row[3] = members;
		err = table_add_row(&tab, row);
		free(members);
	}
	if (!err)
		table_print(&tab, out);
	table_free(&tab);
	return err ? pt_err("out of memory") : EXIT_OK;
}

static void group_list_json(FILE *out, const struct group_view *groups,
			    size_t n)
{
	struct json j;
	size_t i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
	source_json(&j);
	json_array_begin(&j, "groups");
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		json_init(&j, out);
		group_json(&j, NULL, &groups[i]);
		fputs(i + 1 < n ? ",\n" : "\n", out);
	}
	fputs("]}\n", out);
}

int group_list_print(FILE *out, const struct group_view *groups, size_t n,
		     bool json)
{
	if (json) {
		group_list_json(out, groups, n);
		return EXIT_OK;
	}
	return group_list_text(out, groups, n);
}

int group_show_print(FILE *out, const struct group_view *grp, bool json)
{
	struct json j;

	if (!json)
		return group_show_text(out, grp);
	json_init(&j, out);
	json_object_begin(&j, NULL);
	source_json(&j);
	group_json_members(&j, grp);
	json_object_end(&j);
	fputc('\n', out);
	return EXIT_OK;
}

int group_fetch_all(struct pthructl *ctl, struct group_view **groups,
		    size_t *n)
{
	struct group_list list = {};
	struct nlmsghdr *nlh;
	unsigned int try;
	int err, ret = EXIT_OK;

	/* A bind or a hot plug during the dump: list the groups again. */
	for (try = 0; try < NL_DUMP_TRIES; try++) {
		group_list_free(&list);
		memset(&list, 0, sizeof(list));
		nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id,
				   PTHRU_CMD_GROUP_GET, PTHRU_FAMILY_VERSION);
		err = nl_dump(&ctl->nl, nlh, group_list_cb, &list);
		if (!nl_dump_interrupted(err))
			break;
	}
	if (list.parse_err)
		ret = group_parse_error(list.parse_err, list.bad_type);
	else if (try == NL_DUMP_TRIES)
		ret = pt_err("the groups changed %d times during the dump; try again",
			     NL_DUMP_TRIES);
	else if (err)
		ret = pthructl_nl_err(ctl, err, NULL);
	if (ret) {
		group_list_free(&list);
		return ret;
	}
	*groups = list.groups;
	*n = list.n;
	return EXIT_OK;
}

static int group_dump(struct pthructl *ctl)
{
	struct group_view *groups;
	size_t n;
	int ret;

	ret = group_fetch_all(ctl, &groups, &n);
	if (ret)
		return ret;
	ret = group_list_print(stdout, groups, n, ctl->json);
	local_group_list_free(groups, n);
	return ret;
}

struct group_one {
	struct group_view grp;
	bool replied;
	int parse_err;
	uint16_t bad_type;
};

static int group_one_cb(const struct nlmsghdr *nlh, void *data)
{
	struct group_one *one = data;
	int err;

	/* A second reply to a do request would leak the first one's lists. */
	if (one->replied)
		return MNL_CB_OK;
	one->replied = true;
	err = group_parse(nlh, &one->grp, &one->bad_type);
	if (err) {
		one->parse_err = err;
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int group_fetch(struct pthructl *ctl, uint32_t id, struct group_view *grp)
{
	struct group_one one = {};
	struct nlmsghdr *nlh;
	char fallback[64];
	int err;

	memset(grp, 0, sizeof(*grp));
	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_GROUP_GET,
			   PTHRU_FAMILY_VERSION);
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ID, id);
	err = nl_do(&ctl->nl, nlh, group_one_cb, &one);
	if (one.parse_err) {
		group_free(&one.grp);
		return group_parse_error(one.parse_err, one.bad_type);
	}
	if (err) {
		group_free(&one.grp);
		snprintf(fallback, sizeof(fallback), "no IOMMU group %u", id);
		return pthructl_nl_err(ctl, err,
				       err == -ENOENT ? fallback : NULL);
	}
	if (!one.replied)
		return pt_err("the kernel sent no group-get reply");
	*grp = one.grp;
	return 0;
}

static int group_show(struct pthructl *ctl, const char *arg)
{
	struct group_view grp;
	uint32_t id = 0;
	int err, ret;

	if (group_id_parse(arg, &id))
		return pt_err("invalid IOMMU group id '%s' (expected a decimal number)",
			      arg);
	err = pthructl_connect(ctl);
	if (err)
		return err;
	err = group_fetch(ctl, id, &grp);
	if (err)
		return err;
	ret = group_show_print(stdout, &grp, ctl->json);
	group_free(&grp);
	return ret;
}

/* group and group show over facts pthructl reads itself. */
static int group_local(struct pthructl *ctl, const struct facts *facts,
		       const uint32_t *id)
{
	struct group_view *groups;
	size_t n, i;
	int ret;

	if (local_group_list(facts->snap, &groups, &n))
		return pt_err("out of memory");
	if (!id) {
		ret = group_list_print(stdout, groups, n, ctl->json);
	} else {
		for (i = 0; i < n && groups[i].id != *id; i++)
			;
		ret = i < n ? group_show_print(stdout, &groups[i], ctl->json) :
		      pt_err("no IOMMU group %u in the %s", *id,
			     report_source.file ? "snapshot" : "sysfs inventory");
	}
	local_group_list_free(groups, n);
	return ret;
}

int cmd_group(struct pthructl *ctl, int argc, char **argv)
{
	struct facts facts;
	uint32_t id = 0;
	bool local;
	int err;

	if (argc > 0 && strcmp(argv[0], "show"))
		return pt_err("unknown group command '%s' (see pthructl help group)",
			      argv[0]);
	if (argc > 2)
		return pt_err_extra_arg("group", argv[2]);
	if (argc == 2 && group_id_parse(argv[1], &id))
		return pt_err("invalid IOMMU group id '%s' (expected a decimal number)",
			      argv[1]);

	err = source_gather(ctl, &facts, &local);
	if (err)
		return err;
	if (local) {
		err = group_local(ctl, &facts, argc == 2 ? &id : NULL);
		facts_free(&facts);
		return err;
	}
	if (argc == 2)
		return group_show(ctl, argv[1]);
	return group_dump(ctl);
}
