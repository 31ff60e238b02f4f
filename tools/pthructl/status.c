// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl status: the module's global view (status-get).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/pthru.h>

#include "json.h"
#include "names.h"
#include "pthructl.h"
#include "status.h"
#include "table.h"

static const enum mnl_attr_data_type status_policy[PTHRU_A_STATUS_MAX + 1] = {
	[PTHRU_A_STATUS_VERSION]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_STATUS_KERNEL_RELEASE]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_STATUS_IOMMU_PRESENT]		= MNL_TYPE_U32,
	[PTHRU_A_STATUS_IOMMU_DRIVER]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_STATUS_IOMMU_UNITS]		= MNL_TYPE_U32,
	[PTHRU_A_STATUS_DEFAULT_PASSTHROUGH]	= MNL_TYPE_U32,
	[PTHRU_A_STATUS_INTR_REMAP]		= MNL_TYPE_U32,
	[PTHRU_A_STATUS_DEV_COUNT]		= MNL_TYPE_U32,
	[PTHRU_A_STATUS_GROUP_COUNT]		= MNL_TYPE_U32,
	[PTHRU_A_STATUS_GENERATION]		= MNL_TYPE_U32,
};

int status_parse(const struct nlmsghdr *nlh, struct pthru_status *st)
{
	const struct nlattr *tb[PTHRU_A_STATUS_MAX + 1];
	const struct {
		uint16_t attr;
		char *dst;	/* STATUS_STR_MAX bytes */
	} strings[] = {
		{ PTHRU_A_STATUS_VERSION, st->version },
		{ PTHRU_A_STATUS_KERNEL_RELEASE, st->kernel_release },
		{ PTHRU_A_STATUS_IOMMU_DRIVER, st->iommu_driver },
	};
	uint16_t type;
	size_t i;

	memset(st, 0, sizeof(*st));
	if (nl_parse_attrs(nlh, tb, PTHRU_A_STATUS_MAX, status_policy,
			   &st->bad_type))
		return -EBADMSG;
	for (type = 1; type <= PTHRU_A_STATUS_MAX; type++)
		if (tb[type])
			st->present |= 1ULL << type;

	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		if (tb[strings[i].attr] &&
		    nl_attr_strcpy(strings[i].dst, STATUS_STR_MAX,
				   tb[strings[i].attr])) {
			st->bad_type = strings[i].attr;
			return -EBADMSG;
		}
	}

	if (tb[PTHRU_A_STATUS_IOMMU_PRESENT])
		st->iommu_present = mnl_attr_get_u32(tb[PTHRU_A_STATUS_IOMMU_PRESENT]);
	if (tb[PTHRU_A_STATUS_DEFAULT_PASSTHROUGH])
		st->default_passthrough =
			mnl_attr_get_u32(tb[PTHRU_A_STATUS_DEFAULT_PASSTHROUGH]);
	if (tb[PTHRU_A_STATUS_INTR_REMAP])
		st->intr_remap = mnl_attr_get_u32(tb[PTHRU_A_STATUS_INTR_REMAP]);
	if (tb[PTHRU_A_STATUS_IOMMU_UNITS])
		st->iommu_units = mnl_attr_get_u32(tb[PTHRU_A_STATUS_IOMMU_UNITS]);
	if (tb[PTHRU_A_STATUS_DEV_COUNT])
		st->dev_count = mnl_attr_get_u32(tb[PTHRU_A_STATUS_DEV_COUNT]);
	if (tb[PTHRU_A_STATUS_GROUP_COUNT])
		st->group_count = mnl_attr_get_u32(tb[PTHRU_A_STATUS_GROUP_COUNT]);
	if (tb[PTHRU_A_STATUS_GENERATION])
		st->generation = mnl_attr_get_u32(tb[PTHRU_A_STATUS_GENERATION]);
	return 0;
}

static int status_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pthru_status *st = data;
	int err = status_parse(nlh, st);

	st->replied = true;
	if (err) {
		st->malformed = true;
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

void status_json_members(struct json *j, const struct pthru_status *st)
{
	json_string(j, "version",
		    status_has(st, PTHRU_A_STATUS_VERSION) ? st->version : NULL);
	json_string(j, "kernel_release",
		    status_has(st, PTHRU_A_STATUS_KERNEL_RELEASE) ?
		    st->kernel_release : NULL);
	if (status_has(st, PTHRU_A_STATUS_IOMMU_PRESENT))
		json_bool(j, "iommu_present", st->iommu_present);
	else
		json_null(j, "iommu_present");
	json_string(j, "iommu_driver",
		    status_has(st, PTHRU_A_STATUS_IOMMU_DRIVER) ?
		    st->iommu_driver : NULL);
	if (status_has(st, PTHRU_A_STATUS_IOMMU_UNITS))
		json_uint(j, "iommu_units", st->iommu_units);
	else
		json_null(j, "iommu_units");
	if (status_has(st, PTHRU_A_STATUS_DEFAULT_PASSTHROUGH))
		json_bool(j, "default_passthrough", st->default_passthrough);
	else
		json_null(j, "default_passthrough");
	json_string(j, "intr_remap",
		    status_has(st, PTHRU_A_STATUS_INTR_REMAP) ?
		    tristate_name(st->intr_remap) : NULL);
	if (status_has(st, PTHRU_A_STATUS_DEV_COUNT))
		json_uint(j, "dev_count", st->dev_count);
	else
		json_null(j, "dev_count");
	if (status_has(st, PTHRU_A_STATUS_GROUP_COUNT))
		json_uint(j, "group_count", st->group_count);
	else
		json_null(j, "group_count");
	if (status_has(st, PTHRU_A_STATUS_GENERATION))
		json_uint(j, "generation", st->generation);
	else
		json_null(j, "generation");
}

static void status_json(FILE *out, const struct pthru_status *st)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
	status_json_members(&j, st);
	json_object_end(&j);
	fputc('\n', out);
}

static const char *yes_no(bool val)
{
	return val ? "yes" : "no";
}

/* Format @val into @buf, or "-" when the attribute was absent. */
static const char *u32_or_dash(const struct pthru_status *st, uint16_t attr,
			       uint32_t val, char *buf, size_t len)
{
	if (!status_has(st, attr))
		return "-";
	snprintf(buf, len, "%u", val);
	return buf;
}

static int status_text(FILE *out, const struct pthru_status *st)
{
	char units[16], devs[16], groups[16], gen[16];
	const char *rows[][2] = {
		{ "version:", status_has(st, PTHRU_A_STATUS_VERSION) ?
			st->version : "-" },
		{ "kernel_release:", status_has(st, PTHRU_A_STATUS_KERNEL_RELEASE) ?
			st->kernel_release : "-" },
		{ "iommu_present:", status_has(st, PTHRU_A_STATUS_IOMMU_PRESENT) ?
			yes_no(st->iommu_present) : "-" },
		{ "iommu_driver:", status_has(st, PTHRU_A_STATUS_IOMMU_DRIVER) ?
			st->iommu_driver : "-" },
		{ "iommu_units:", u32_or_dash(st, PTHRU_A_STATUS_IOMMU_UNITS,
			st->iommu_units, units, sizeof(units)) },
		{ "default_passthrough:",
			status_has(st, PTHRU_A_STATUS_DEFAULT_PASSTHROUGH) ?
			yes_no(st->default_passthrough) : "-" },
		{ "intr_remap:", status_has(st, PTHRU_A_STATUS_INTR_REMAP) ?
			tristate_name(st->intr_remap) : "-" },
		{ "dev_count:", u32_or_dash(st, PTHRU_A_STATUS_DEV_COUNT,
			st->dev_count, devs, sizeof(devs)) },
		{ "group_count:", u32_or_dash(st, PTHRU_A_STATUS_GROUP_COUNT,
			st->group_count, groups, sizeof(groups)) },
		{ "generation:", u32_or_dash(st, PTHRU_A_STATUS_GENERATION,
			st->generation, gen, sizeof(gen)) },
	};
	struct table t;
	size_t i;

	table_init(&t, 2, " ");
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		if (table_add_row(&t, rows[i])) {
			table_free(&t);
			return pt_err("out of memory");
		}
	}
	table_print(&t, out);
	table_free(&t);
	return EXIT_OK;
}

int status_print(FILE *out, const struct pthru_status *st, bool json)
{
	if (json) {
		status_json(out, st);
		return EXIT_OK;
	}
	return status_text(out, st);
}

int status_fetch(struct pthructl *ctl, struct pthru_status *st)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_STATUS_GET,
			   PTHRU_FAMILY_VERSION);
	memset(st, 0, sizeof(*st));
	err = nl_do(&ctl->nl, nlh, status_reply_cb, st);
	if (st->malformed)
		return pt_err("malformed status-get reply from the kernel (attribute %u)",
			      st->bad_type);
	if (err)
		return pthructl_nl_err(ctl, err, NULL);
	if (!st->replied)
		return pt_err("the kernel sent no status-get reply");
	return EXIT_OK;
}

int cmd_status(struct pthructl *ctl, int argc, char **argv)
{
	struct pthru_status st;
	int err;

	if (argc > 0)
		return pt_err_extra_arg("status", argv[0]);
	err = pthructl_connect(ctl);
	if (!err)
		err = status_fetch(ctl, &st);
	if (err)
		return err;
	return status_print(stdout, &st, ctl->json);
}
