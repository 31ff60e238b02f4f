// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl hazard: the module's current findings (hazard-get dump, one
 * finding per message, with the min-severity and addr filters), and the
 * fetch that audit and check share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "hazard.h"
#include "names.h"
#include "pciaddr.h"
#include "pthructl.h"
#include "status.h"
#include "table.h"

/* Re-dumps when the module re-evaluates during a dump; then give up. */
#define HAZARD_FETCH_TRIES	3

struct hazard_dump {
	struct hazard_result *res;
	unsigned int n_msgs;
	bool mixed;		/* messages of different generations */
	bool malformed;
	uint16_t bad_type;
};

static int hazard_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct hazard_dump *d = data;
	struct hazard_msg msg;
	int err;

	err = hazard_msg_parse(nlh, &msg, &d->res->list, &d->bad_type);
	if (err) {
		d->malformed = err == -EBADMSG;
		errno = -err;
		return MNL_CB_ERROR;
	}
	if (msg.has_generation) {
		if (d->res->has_generation &&
		    d->res->generation != msg.generation)
			d->mixed = true;
		d->res->has_generation = true;
		d->res->generation = msg.generation;
	}
	d->n_msgs++;
	return MNL_CB_OK;
}

static struct nlmsghdr *hazard_request(struct pthructl *ctl,
				       const struct hazard_query *q)
{
	struct nlmsghdr *nlh;

	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_HAZARD_GET,
			   PTHRU_FAMILY_VERSION);
	if (q->has_min_severity)
		mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_MIN_SEVERITY,
				 q->min_severity);
	if (q->addr)
		mnl_attr_put_strz(nlh, PTHRU_A_HAZARD_ADDR, q->addr);
	return nlh;
}

static int hazard_error(struct pthructl *ctl, const struct hazard_query *q,
			const struct hazard_dump *d, int err)
{
	char fallback[64];

	if (d->malformed)
		return pt_err("malformed hazard-get reply from the kernel (attribute %u)",
			      d->bad_type);
	if (err == -ENOMEM)
		return pt_err("out of memory");
	if (err == -ENODEV && q->addr) {
		snprintf(fallback, sizeof(fallback), "no PCI function %s",
			 q->addr);
		return pthructl_nl_err(ctl, err, fallback);
	}
	if (err == -EOPNOTSUPP)
		return pthructl_nl_err(ctl, err,
				       "the loaded pthru module reports no findings (it predates hazard-get)");
	return pthructl_nl_err(ctl, err, NULL);
}

void hazard_result_free(struct hazard_result *res)
{
	finding_list_free(&res->list);
	res->has_generation = false;
	res->generation = 0;
}

/* The inventory generation from status-get, which every user may read. */
static int hazard_status_generation(struct pthructl *ctl, bool *has,
				    uint32_t *generation)
{
	struct pthru_status st;
	int ret;

	ret = status_fetch(ctl, &st);
	if (ret)
		return ret;
	*has = status_has(&st, PTHRU_A_STATUS_GENERATION);
	*generation = st.generation;
	return EXIT_OK;
}

int hazard_fetch(struct pthructl *ctl, const struct hazard_query *q,
		 struct hazard_result *res)
{
	bool has_before = false, has_after;
	uint32_t before = 0, after;
	struct hazard_dump d;
	unsigned int try;
	int err = 0, ret;

	memset(res, 0, sizeof(*res));
	for (try = 0; try < HAZARD_FETCH_TRIES; try++) {
		hazard_result_free(res);
		memset(&d, 0, sizeof(d));
		d.res = res;
		err = nl_dump(&ctl->nl, hazard_request(ctl, q), hazard_dump_cb,
			      &d);
		/* Flagged NLM_F_DUMP_INTR: the module re-evaluated meanwhile. */
		if (nl_dump_interrupted(err) || (!err && d.mixed)) {
			has_before = false;
			continue;
		}
		if (err)
			return hazard_error(ctl, q, &d, err);
		if (d.n_msgs)
			break;
		/*
		 * Every message carries the generation, but an empty dump
		 * has none: the generation status-get reports before and
		 * after an empty dump, when both agree, is that of "no
		 * findings".
		 */
		ret = hazard_status_generation(ctl, &has_after, &after);
		if (ret)
			return ret;
		if (has_before && has_after && before == after) {
			res->has_generation = true;
			res->generation = after;
			break;
		}
		has_before = has_after;
		before = after;
	}
	if (try == HAZARD_FETCH_TRIES && (err || d.mixed))
		return pt_err("the findings changed %d times during the dump; try again",
			      HAZARD_FETCH_TRIES);
	/* Empty each time while the generation moved: it stays unknown. */
	finding_list_sort(&res->list);
	return EXIT_OK;
}

int pt_err_bad_severity(const char *arg, bool allow_none)
{
	return pt_err("invalid severity '%s' (expected info, low, medium, high%s critical%s)",
		      arg, allow_none ? "," : " or",
		      allow_none ? " or none" : "");
}

static void hazard_list_json(FILE *out, const struct finding_list *list)
{
	struct json j;
	size_t i;

	fprintf(out, "{\"schema\":%d,\"findings\":[\n", PTHRUCTL_JSON_SCHEMA);
	for (i = 0; i < list->n; i++) {
		json_init(&j, out);
		finding_json(&j, NULL, &list->items[i]);
		fputs(i + 1 < list->n ? ",\n" : "\n", out);
	}
	fputs("]}\n", out);
}

static int hazard_list_text(FILE *out, const struct finding_list *list)
{
	static const char *const header[] = {
		"SEVERITY", "ID", "NAME", "ADDRESS", "GROUP", "MESSAGE",
	};
	char id[HAZARD_ID_STRLEN], group[16];
	const struct finding *f;
	struct table tab;
	size_t i;
	int err;

	table_init(&tab, 6, "  ");
	err = table_add_row(&tab, header);
	for (i = 0; i < list->n && !err; i++) {
		const char *row[6];

		f = &list->items[i];
		if (finding_has(f, PTHRU_A_FINDING_GROUP_ID))
			snprintf(group, sizeof(group), "%u", f->group_id);
		else
			snprintf(group, sizeof(group), "-");
		row[0] = severity_name(f->severity);
		row[1] = f->id ? hazard_id_text(f->id, id, sizeof(id)) : "-";
		row[2] = finding_name(f);
		row[3] = finding_has(f, PTHRU_A_FINDING_ADDR) ? f->addr : "-";
		row[4] = group;
		row[5] = finding_has(f, PTHRU_A_FINDING_MESSAGE) ?
			 f->message : "-";
		err = table_add_row(&tab, row);
	}
	if (!err)
		table_print(&tab, out);
	table_free(&tab);
	return err ? pt_err("out of memory") : EXIT_OK;
}

int hazard_list_print(FILE *out, const struct finding_list *list, bool json)
{
	if (json) {
		hazard_list_json(out, list);
		return EXIT_OK;
	}
	return hazard_list_text(out, list);
}

int cmd_hazard(struct pthructl *ctl, int argc, char **argv)
{
	const char *severity = pthructl_opt(ctl, "--severity");
	const char *dev = pthructl_opt(ctl, "--dev");
	struct hazard_query q = {};
	struct hazard_result res;
	char addr[PCI_ADDR_STRLEN];
	int ret;

	if (argc > 0 && strcmp(argv[0], "list"))
		return pt_err("unknown hazard command '%s' (see pthructl help hazard)",
			      argv[0]);
	if (argc > 1)
		return pt_err_extra_arg("hazard", argv[1]);
	if (severity) {
		if (severity_parse(severity, &q.min_severity))
			return pt_err_bad_severity(severity, false);
		q.has_min_severity = true;
	}
	if (dev) {
		if (pci_addr_normalize(dev, addr, sizeof(addr)))
			return pt_err_bad_addr(dev);
		q.addr = addr;
	}

	ret = pthructl_connect(ctl);
	if (ret)
		return ret;
	ret = hazard_fetch(ctl, &q, &res);
	if (!ret)
		ret = hazard_list_print(stdout, &res.list, ctl->json);
	hazard_result_free(&res);
	return ret;
}
