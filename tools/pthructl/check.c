// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl check ADDR: the verdict on assigning one PCI function, in the
 * manner of Hyper-V's SurveyDDA: the device facts (dev-get) and every
 * finding that bears on it (hazard-get with addr), each reason with its fix.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "check.h"
#include "evaluate.h"
#include "hazard.h"
#include "local_view.h"
#include "names.h"
#include "pthructl.h"
#include "source.h"

/* The reason a bridge is refused, stated by pthructl itself. */
static void check_bridge_reason(const struct dev_view *dev, struct finding *f)
{
	memset(f, 0, sizeof(*f));
	f->name = "bridge";
	f->severity = PTHRU_SEVERITY_HIGH;
	f->present = 1U << PTHRU_A_FINDING_SEVERITY | 1U << PTHRU_A_FINDING_ADDR |
		     1U << PTHRU_A_FINDING_MESSAGE |
		     1U << PTHRU_A_FINDING_REMEDIATION;
	snprintf(f->addr, sizeof(f->addr), "%s", dev->addr);
	if (dev_has(dev, PTHRU_A_DEV_GROUP_ID)) {
		f->present |= 1U << PTHRU_A_FINDING_GROUP_ID;
		f->group_id = dev->group_id;
	}
	snprintf(f->message, sizeof(f->message),
		 "%s is a PCI bridge (class %06x): a bridge is never assigned to a guest",
		 dev->addr, dev->class);
	snprintf(f->remediation, sizeof(f->remediation),
		 "assign the endpoint functions below the bridge instead");
}

int check_judge(const struct dev_view *dev, const struct finding_list *findings,
		struct check_verdict *v)
{
	const struct finding *f;
	struct finding bridge;
	size_t i;
	int err = 0;

	memset(v, 0, sizeof(*v));
	if (dev_is_bridge(dev)) {
		check_bridge_reason(dev, &bridge);
		err = finding_list_add(&v->reasons, &bridge);
	}
	for (i = 0; i < findings->n && !err; i++) {
		f = &findings->items[i];
		if (f->severity >= CHECK_REASON_SEVERITY ||
		    (f->id == PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN &&
		     f->present & 1U << PTHRU_A_FINDING_ADDR))
			err = finding_list_add(&v->reasons, f);
		else
			err = finding_list_add(&v->notes, f);
	}
	if (err) {
		check_verdict_free(v);
		return err;
	}
	v->assignable = !v->reasons.n;
	v->established = true;
	if (dev_has(dev, PTHRU_A_DEV_SRIOV_PF)) {
		v->sriov = true;
		v->sriov_assumed = dev_has(dev, PTHRU_A_DEV_SRIOV_ASSUMED) &&
				   dev->sriov_assumed;
		snprintf(v->sriov_pf, sizeof(v->sriov_pf), "%s", dev->sriov_pf);
	}
	for (i = 0; i < v->notes.n && v->assignable; i++) {
		f = &v->notes.items[i];
		if (f->id == PTHRU_HAZARD_ID_ACS_MISSING &&
		    f->severity == PTHRU_SEVERITY_INFO &&
		    dev_has(dev, PTHRU_A_DEV_GROUP_ID)) {
			v->whole_group = true;
			v->group_id = dev->group_id;
		}
	}
	return 0;
}

void check_verdict_free(struct check_verdict *v)
{
	finding_list_free(&v->reasons);
	finding_list_free(&v->notes);
	group_free(&v->group);
	unsettled_list_free(&v->unsettled);
}

static void check_json_group(struct json *j, const struct check_verdict *v)
{
	unsigned int i;

	if (!v->whole_group) {
		json_null(j, "with_group");
		return;
	}
	json_object_begin(j, "with_group");
	json_uint(j, "group", v->group_id);
	json_array_begin(j, "members");
	for (i = 0; i < v->group.n_members; i++)
		json_string(j, NULL, v->group.members[i]);
	json_array_end(j);
	json_object_end(j);
}

static void check_json_sriov(struct json *j, const struct check_verdict *v)
{
	if (!v->sriov) {
		json_null(j, "sriov");
		return;
	}
	json_object_begin(j, "sriov");
	json_string(j, "pf", v->sriov_pf);
	json_bool(j, "assumed", v->sriov_assumed);
	json_object_end(j);
}

static void check_text_list(FILE *out, const char *title,
			    const struct finding_list *list,
			    const struct finding_widths *w)
{
	char prefix[16];
	size_t i;

	if (!list->n)
		return;
	fprintf(out, "%s:\n", title);
	for (i = 0; i < list->n; i++) {
		snprintf(prefix, sizeof(prefix), "%-8s ",
			 severity_name(list->items[i].severity));
		finding_print_text(out, &list->items[i], w, "  ", prefix);
	}
}

/* Whether an entry about @f's subject bears on @dev: as nl_hazard.c's filter. */
static bool bears_on(const struct dev_view *dev, const struct finding *f)
{
	bool has_addr = finding_has(f, PTHRU_A_FINDING_ADDR);
	bool has_group = finding_has(f, PTHRU_A_FINDING_GROUP_ID);

	if (has_addr && !strcmp(f->addr, dev->addr))
		return true;
	if (has_group && dev_has(dev, PTHRU_A_DEV_GROUP_ID) &&
	    f->group_id == dev->group_id)
		return true;
	return !has_addr && !has_group;
}

int check_add_unsettled(const struct dev_view *dev,
			const struct unsettled_list *list,
			struct check_verdict *v)
{
	struct unsettled *bigger;
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct unsettled *u = &list->items[i];

		if (!bears_on(dev, &u->f))
			continue;
		if (v->unsettled.n == v->unsettled.cap) {
			size_t cap = v->unsettled.cap ? 2 * v->unsettled.cap : 8;

			bigger = realloc(v->unsettled.items, cap * sizeof(*bigger));
			if (!bigger)
				return -ENOMEM;
			v->unsettled.items = bigger;
			v->unsettled.cap = cap;
		}
		v->unsettled.items[v->unsettled.n++] = *u;
		if (u->decisive && v->established && !v->reasons.n) {
			v->established = false;
			v->assignable = false;
			v->whole_group = false;
		}
	}
	return 0;
}

void check_print(FILE *out, const char *addr, const struct check_verdict *v,
		 bool json)
{
	struct finding_widths w;
	struct json j;
	size_t i;

	if (json) {
		json_init(&j, out);
		json_object_begin(&j, NULL);
		json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
		source_json(&j);
		json_string(&j, "addr", addr);
		json_bool(&j, "assignable", v->assignable);
		json_bool(&j, "established", v->established);
		finding_list_json(&j, "reasons", &v->reasons);
		finding_list_json(&j, "notes", &v->notes);
		check_json_group(&j, v);
		check_json_sriov(&j, v);
		unsettled_json(&j, "not_established", &v->unsettled);
		json_object_end(&j);
		fputc('\n', out);
		return;
	}

	source_text_line(out);
	if (!v->established) {
		fprintf(out, "%s: not established: the rules lack facts the source could not read (see \"not established\")\n",
			addr);
	} else if (v->whole_group) {
		fprintf(out, "%s: assignable together with IOMMU group %u\n",
			addr, v->group_id);
		fprintf(out, "with:");
		for (i = 0; i < v->group.n_members; i++)
			fprintf(out, " %s", v->group.members[i]);
		fprintf(out, " (reach inside the group: assign them all to the same owner)\n");
	} else {
		fprintf(out, "%s: %s\n", addr,
			v->assignable ? "assignable" : "NOT assignable");
	}
	if (v->sriov)
		fprintf(out, "sr-iov: a function of the SR-IOV device of PF %s; isolation between the PF and its VFs is %s\n",
			v->sriov_pf,
			v->sriov_assumed ?
			"assumed (no ACS capability governs it)" :
			"read from ACS registers");
	/* One alignment for both lists, so they read as one table. */
	finding_widths_init(&w);
	for (i = 0; i < v->reasons.n; i++)
		finding_widths_add(&w, &v->reasons.items[i]);
	for (i = 0; i < v->notes.n; i++)
		finding_widths_add(&w, &v->notes.items[i]);
	check_text_list(out, "reasons", &v->reasons, &w);
	check_text_list(out, "notes", &v->notes, &w);
	unsettled_print_text(out, &v->unsettled);
}

/* The findings of @ev that bear on @dev, as hazard-get with an address. */
static int check_local_findings(const struct dev_view *dev,
				const struct evaluation *ev,
				struct finding_list *out)
{
	size_t i;

	for (i = 0; i < ev->findings.n; i++)
		if (bears_on(dev, &ev->findings.items[i]) &&
		    finding_list_add(out, &ev->findings.items[i]))
			return -ENOMEM;
	return 0;
}

/* check over facts pthructl gathered: the module's verdict, made here. */
static int check_local(struct pthructl *ctl, const struct facts *facts,
		       const char *addr)
{
	struct finding_list findings = {};
	struct check_verdict v = {};
	struct dev_view *devs = NULL;
	struct group_view *groups = NULL;
	size_t n_devs = 0, n_groups = 0, i;
	struct evaluation ev;
	int ret;

	if (evaluate_facts(facts, &ev))
		return pt_err("out of memory");
	ret = local_dev_list(facts->snap, &ev.iso, &devs, &n_devs);
	if (!ret)
		ret = local_group_list(facts->snap, &groups, &n_groups);
	if (ret) {
		ret = pt_err("out of memory");
		goto out;
	}
	for (i = 0; i < n_devs && strcmp(devs[i].addr, addr); i++)
		;
	if (i == n_devs) {
		ret = pt_err("no PCI function %s in the %s", addr,
			     report_source.file ? "snapshot" : "sysfs inventory");
		goto out;
	}
	if (check_local_findings(&devs[i], &ev, &findings) ||
	    check_judge(&devs[i], &findings, &v) ||
	    check_add_unsettled(&devs[i], &ev.unsettled, &v)) {
		ret = pt_err("out of memory");
		goto out;
	}
	if (v.whole_group) {
		for (i = 0; i < n_groups && groups[i].id != v.group_id; i++)
			;
		if (i < n_groups) {
			v.group = groups[i];
			memset(&groups[i], 0, sizeof(groups[i]));
		}
	}
	check_print(stdout, addr, &v, ctl->json);
	ret = v.assignable ? EXIT_OK : EXIT_FINDINGS;
out:
	check_verdict_free(&v);
	finding_list_free(&findings);
	local_group_list_free(groups, n_groups);
	free(devs);
	evaluation_free(&ev);
	return ret;
}

int cmd_check(struct pthructl *ctl, int argc, char **argv)
{
	char addr[PCI_ADDR_STRLEN];
	struct hazard_query q = { .addr = addr };
	struct hazard_result res;
	struct check_verdict v;
	struct dev_view dev;
	struct facts facts;
	bool local;
	int ret;

	if (argc == 0)
		return pt_err("missing PCI address (see pthructl help check)");
	if (argc > 1)
		return pt_err_extra_arg("check", argv[1]);
	if (pci_addr_normalize(argv[0], addr, sizeof(addr)))
		return pt_err_bad_addr(argv[0]);

	ret = source_gather(ctl, &facts, &local);
	if (ret)
		return ret;
	if (local) {
		ret = check_local(ctl, &facts, addr);
		facts_free(&facts);
		return ret;
	}
	ret = dev_fetch(ctl, addr, &dev);
	if (ret)
		return ret;
	ret = hazard_fetch(ctl, &q, &res);
	if (ret) {
		hazard_result_free(&res);
		return ret;
	}
	if (check_judge(&dev, &res.list, &v)) {
		hazard_result_free(&res);
		return pt_err("out of memory");
	}
	if (v.whole_group) {
		ret = group_fetch(ctl, v.group_id, &v.group);
		if (ret) {
			check_verdict_free(&v);
			hazard_result_free(&res);
			return ret;
		}
	}
	check_print(stdout, addr, &v, ctl->json);
	ret = v.assignable ? EXIT_OK : EXIT_FINDINGS;
	check_verdict_free(&v);
	hazard_result_free(&res);
	return ret;
}
