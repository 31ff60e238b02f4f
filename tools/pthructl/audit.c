// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl audit: have the module re-evaluate every rule (audit), fetch
 * its findings (hazard-get), add the kernel command line's, and report
 * them worst first with an exit status for scripts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include <linux/pthru.h>

#include "audit.h"
#include "cmdline.h"
#include "evaluate.h"
#include "hazard.h"
#include "local_view.h"
#include "names.h"
#include "prom.h"
#include "pthructl.h"
#include "source.h"

struct audit_reply {
	bool replied;
	bool malformed;
	uint16_t bad_type;
	bool has_quirk_hops;
	uint32_t quirk_hops;
};

static const enum mnl_attr_data_type audit_policy[PTHRU_A_AUDIT_MAX + 1] = {
	[PTHRU_A_AUDIT_GENERATION]	= MNL_TYPE_U32,
	[PTHRU_A_AUDIT_FINDINGS]	= MNL_TYPE_U32,
	[PTHRU_A_AUDIT_RAISED]		= MNL_TYPE_U32,
	[PTHRU_A_AUDIT_CLEARED]		= MNL_TYPE_U32,
	[PTHRU_A_AUDIT_MAX_SEVERITY]	= MNL_TYPE_U32,
	[PTHRU_A_AUDIT_QUIRK_HOPS]	= MNL_TYPE_U32,
};

int audit_parse_fail_on(const char *s, int *threshold)
{
	uint8_t severity;

	if (!strcasecmp(s, "none")) {
		*threshold = FAIL_ON_NONE;
		return 0;
	}
	if (severity_parse(s, &severity))
		return -EINVAL;
	*threshold = severity;
	return 0;
}

int audit_exit_status(const struct finding_list *list, int threshold)
{
	if (threshold == FAIL_ON_NONE)
		return EXIT_OK;
	return finding_list_reaches(list, threshold) ? EXIT_FINDINGS : EXIT_OK;
}

/* Severities from critical down to info, as the report lists them. */
static const uint8_t worst_first[SEVERITY_COUNT] = {
	PTHRU_SEVERITY_CRITICAL, PTHRU_SEVERITY_HIGH, PTHRU_SEVERITY_MEDIUM,
	PTHRU_SEVERITY_LOW, PTHRU_SEVERITY_INFO,
};

static void audit_text_section(FILE *out, const struct finding_list *list,
			       const struct finding_widths *w, size_t *next,
			       const char *title, bool (*in)(uint32_t, uint32_t),
			       uint32_t severity)
{
	size_t first = *next;

	while (*next < list->n && in(list->items[*next].severity, severity))
		(*next)++;
	if (*next == first)
		return;
	fprintf(out, "\n%s (%zu):\n", title, *next - first);
	for (; first < *next; first++)
		finding_print_text(out, &list->items[first], w, "  ", "");
}

static bool is_unknown_severity(uint32_t severity, uint32_t unused)
{
	(void)unused;
	return severity >= SEVERITY_COUNT;
}

static bool is_severity(uint32_t severity, uint32_t want)
{
	return severity == want;
}

static void audit_print_text(FILE *out, const struct audit_report *r)
{
	size_t counts[SEVERITY_COUNT], total, i, next = 0;
	struct finding_widths w;

	source_text_line(out);
	if (r->local) {
		fprintf(out, "pthru audit: kernel %s, evaluated by pthructl with the module's rules\n",
			r->kernel_release ? r->kernel_release : "-");
	} else {
		fprintf(out, "pthru audit: kernel %s, generation ",
			r->kernel_release ? r->kernel_release : "-");
		if (r->has_generation)
			fprintf(out, "%u", r->generation);
		else
			fputs("-", out);
		fprintf(out, ", %s\n", r->refreshed ? "re-evaluated now" :
			"as last evaluated by the module");
	}

	finding_widths_init(&w);
	for (i = 0; i < r->list.n; i++)
		finding_widths_add(&w, &r->list.items[i]);
	/* The list is sorted worst first: each section is a run of it. */
	audit_text_section(out, &r->list, &w, &next, "unknown severity",
			   is_unknown_severity, 0);
	for (i = 0; i < SEVERITY_COUNT; i++)
		audit_text_section(out, &r->list, &w, &next,
				   severity_name(worst_first[i]), is_severity,
				   worst_first[i]);
	if (!r->list.n)
		fputs("\nno findings\n", out);
	if (r->unsettled)
		unsettled_print_text(out, r->unsettled);

	finding_list_count(&r->list, counts, &total);
	fprintf(out, "\nsummary: %zu critical, %zu high, %zu medium, %zu low, %zu info (%zu finding%s)\n",
		counts[PTHRU_SEVERITY_CRITICAL], counts[PTHRU_SEVERITY_HIGH],
		counts[PTHRU_SEVERITY_MEDIUM], counts[PTHRU_SEVERITY_LOW],
		counts[PTHRU_SEVERITY_INFO], total, total == 1 ? "" : "s");
	if (r->has_quirk_hops)
		fprintf(out, "quirk hops: %u (isolation that rests on the kernel's device-specific ACS quirks, not on ACS registers)\n",
			r->quirk_hops);
}

static void audit_print_json(FILE *out, const struct audit_report *r)
{
	size_t counts[SEVERITY_COUNT], total, i;
	struct json j;

	finding_list_count(&r->list, counts, &total);
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", AUDIT_JSON_SCHEMA);
	json_string(&j, "kind", AUDIT_JSON_KIND);
	source_json(&j);
	if (r->has_generation)
		json_uint(&j, "generation", r->generation);
	else
		json_null(&j, "generation");
	json_bool(&j, "refreshed", r->refreshed);
	json_string(&j, "kernel_release", r->kernel_release);
	json_object_begin(&j, "host");
	status_json_members(&j, r->status);
	json_object_end(&j);
	json_string(&j, "cmdline", r->cmdline);
	json_object_begin(&j, "summary");
	for (i = 0; i < SEVERITY_COUNT; i++)
		json_uint(&j, severity_name(worst_first[i]),
			  counts[worst_first[i]]);
	json_uint(&j, "total", total);
	if (r->has_quirk_hops)
		json_uint(&j, "quirk_hops", r->quirk_hops);
	else
		json_null(&j, "quirk_hops");
	json_object_end(&j);
	unsettled_json(&j, "not_established", r->unsettled);
	json_array_begin(&j, "findings");
	fputc('\n', out);
	/* One finding per line; the document stays open around them. */
	for (i = 0; i < r->list.n; i++) {
		json_init(&j, out);
		finding_json(&j, NULL, &r->list.items[i]);
		fputs(i + 1 < r->list.n ? ",\n" : "\n", out);
	}
	fputs("]}\n", out);
}

/* A finding's series: its label set, and where in the list it is. */
struct prom_series {
	struct prom_labels labels;
	size_t index;
	size_t count;	/* findings with these labels; 0 but at the first */
};

static int prom_series_cmp(const void *pa, const void *pb)
{
	const struct prom_series *a = pa, *b = pb;
	int d = strcmp(a->labels.text, b->labels.text);

	if (d)
		return d;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int prom_index_cmp(const void *pa, const void *pb)
{
	const struct prom_series *a = pa, *b = pb;

	return a->index < b->index ? -1 : a->index > b->index;
}

static void prom_finding_labels(struct prom_labels *l, const struct finding *f)
{
	char id[HAZARD_ID_STRLEN], group[16];

	group[0] = '\0';
	if (finding_has(f, PTHRU_A_FINDING_GROUP_ID))
		snprintf(group, sizeof(group), "%u", f->group_id);
	prom_labels_init(l);
	prom_labels_add(l, "id", f->id ? hazard_id_text(f->id, id, sizeof(id)) : "");
	prom_labels_add(l, "name", finding_name(f));
	prom_labels_add(l, "severity", severity_name(f->severity));
	prom_labels_add(l, "addr", finding_has(f, PTHRU_A_FINDING_ADDR) ?
			f->addr : "");
	prom_labels_add(l, "group", group);
}

/*
 * One pthru_finding series per label set, its value the number of
 * findings that print the same labels (several cmdline-weakening ones
 * do).  Findings are compared by their printed labels, not by their
 * fields: two severities this version does not know both print
 * "unknown", and a series must not appear twice.  Returns the series in
 * list order, the first finding of each with its count, the others with
 * 0 (NULL for an empty list); NULL with -ENOMEM or -ENOSPC in *@err.
 */
static struct prom_series *audit_prom_series(const struct finding_list *list,
					     int *err)
{
	struct prom_series *s;
	size_t i, first;

	*err = 0;
	if (!list->n)
		return NULL;
	s = calloc(list->n, sizeof(*s));
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < list->n; i++) {
		prom_finding_labels(&s[i].labels, &list->items[i]);
		if (s[i].labels.overflow) {
			free(s);
			*err = -ENOSPC;
			return NULL;
		}
		s[i].index = i;
	}
	qsort(s, list->n, sizeof(*s), prom_series_cmp);
	for (first = 0, i = 1; i <= list->n; i++) {
		if (i < list->n && !strcmp(s[i].labels.text, s[first].labels.text))
			continue;
		s[first].count = i - first;
		first = i;
	}
	qsort(s, list->n, sizeof(*s), prom_index_cmp);
	return s;
}

/* Nothing is printed unless all of it can be: no half an exposition. */
static int audit_print_prometheus(FILE *out, const struct audit_report *r)
{
	struct prom_family findings = PROM_FAMILY("pthru_findings", "gauge",
		"Findings of the last pthru audit by severity.");
	struct prom_family quirk_hops = PROM_FAMILY("pthru_quirk_hops", "gauge",
		"Hops isolated only by the kernel's device-specific ACS quirks.");
	struct prom_family finding = PROM_FAMILY("pthru_finding", "gauge",
		"Findings of the last pthru audit with these labels.");
	size_t counts[SEVERITY_COUNT], total, known = 0, i;
	struct prom_series *series;
	struct prom_labels l;
	int err;

	series = audit_prom_series(&r->list, &err);
	if (err)
		return err;
	finding_list_count(&r->list, counts, &total);
	for (i = 0; i < SEVERITY_COUNT; i++) {
		prom_labels_init(&l);
		prom_labels_add(&l, "severity", severity_name(worst_first[i]));
		prom_sample_u64(out, &findings, &l, counts[worst_first[i]]);
		known += counts[worst_first[i]];
	}
	/* Only a newer module sends these; consumers rank them critical. */
	if (total > known) {
		prom_labels_init(&l);
		prom_labels_add(&l, "severity", "unknown");
		prom_sample_u64(out, &findings, &l, total - known);
	}
	if (r->has_quirk_hops)
		prom_sample_u64(out, &quirk_hops, NULL, r->quirk_hops);
	for (i = 0; i < r->list.n; i++)
		if (series[i].count)
			prom_sample_u64(out, &finding, &series[i].labels,
					series[i].count);
	free(series);
	return 0;
}

int audit_print(FILE *out, const struct audit_report *report,
		enum pthructl_format format)
{
	switch (format) {
	case FORMAT_JSON:
		audit_print_json(out, report);
		return 0;
	case FORMAT_PROMETHEUS:
		return audit_print_prometheus(out, report);
	default:
		audit_print_text(out, report);
		return 0;
	}
}

static int audit_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PTHRU_A_AUDIT_MAX + 1];
	struct audit_reply *reply = data;

	reply->replied = true;
	if (nl_parse_attrs(nlh, tb, PTHRU_A_AUDIT_MAX, audit_policy,
			   &reply->bad_type)) {
		reply->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (tb[PTHRU_A_AUDIT_QUIRK_HOPS]) {
		reply->has_quirk_hops = true;
		reply->quirk_hops = mnl_attr_get_u32(tb[PTHRU_A_AUDIT_QUIRK_HOPS]);
	}
	return MNL_CB_OK;
}

/*
 * Ask the module to re-evaluate.  Sets @report's refreshed and quirk hops,
 * or leaves them unset and notes why when the caller lacks CAP_NET_ADMIN.
 */
static int audit_refresh(struct pthructl *ctl, struct audit_report *report)
{
	struct audit_reply reply = {};
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_AUDIT,
			   PTHRU_FAMILY_VERSION);
	err = nl_do(&ctl->nl, nlh, audit_reply_cb, &reply);
	if (reply.malformed)
		return pt_err("malformed audit reply from the kernel (attribute %u)",
			      reply.bad_type);
	if (err == -EPERM) {
		pt_note("re-evaluating needs CAP_NET_ADMIN; reporting the module's current findings");
		return EXIT_OK;
	}
	if (err)
		return pthructl_nl_err(ctl, err, err == -EOPNOTSUPP ?
				       "the loaded pthru module cannot audit (it predates the audit operation)" :
				       NULL);
	if (!reply.replied)
		return pt_err("the kernel sent no audit reply");
	report->refreshed = true;
	report->has_quirk_hops = reply.has_quirk_hops;
	report->quirk_hops = reply.quirk_hops;
	return EXIT_OK;
}

/* Everything after the options are checked: fetch, add, print. */
static int audit_run(struct pthructl *ctl, bool refresh, int threshold,
		     enum pthructl_format format, const char *cmdline)
{
	struct audit_report report = { .cmdline = cmdline };
	struct hazard_query all = {};
	struct hazard_result res;
	struct pthru_status st;
	struct utsname uts;
	int ret;

	ret = pthructl_connect(ctl);
	if (ret)
		return ret;
	if (refresh)
		ret = audit_refresh(ctl, &report);
	else
		pt_note("not re-evaluated (--no-refresh); reporting the module's current findings");
	if (!ret)
		ret = status_fetch(ctl, &st);
	if (ret)
		return ret;
	ret = hazard_fetch(ctl, &all, &res);
	if (ret) {
		hazard_result_free(&res);
		return ret;
	}
	if (cmdline_findings(cmdline, &res.list)) {
		hazard_result_free(&res);
		return pt_err("out of memory");
	}
	finding_list_sort(&res.list);

	report.list = res.list;
	report.has_generation = res.has_generation;
	report.generation = res.generation;
	report.status = &st;
	if (status_has(&st, PTHRU_A_STATUS_KERNEL_RELEASE))
		report.kernel_release = st.kernel_release;
	else if (!uname(&uts))
		report.kernel_release = uts.release;
	if (audit_print(stdout, &report, format))
		ret = pt_err("out of memory");
	else
		ret = audit_exit_status(&res.list, threshold);
	hazard_result_free(&res);
	return ret;
}

/* The audit over facts pthructl gathered: the core's rules, here. */
static int audit_local(const struct facts *facts, int threshold,
		       enum pthructl_format format)
{
	struct audit_report report = { .local = true };
	struct pthru_status st;
	struct evaluation ev;
	int ret;

	if (evaluate_facts(facts, &ev))
		return pt_err("out of memory");
	if (cmdline_findings(facts->cmdline, &ev.findings) ||
	    local_status(facts->snap, facts->kernel_release, &st)) {
		evaluation_free(&ev);
		return pt_err("out of memory");
	}
	finding_list_sort(&ev.findings);
	report.list = ev.findings;
	report.status = &st;
	report.kernel_release = facts->kernel_release;
	report.cmdline = facts->cmdline;
	report.unsettled = &ev.unsettled;
	report.has_quirk_hops = ev.quirk_hops_known;
	report.quirk_hops = ev.quirk_hops;
	if (audit_print(stdout, &report, format))
		ret = pt_err("out of memory");
	else
		ret = audit_exit_status(&ev.findings, threshold);
	evaluation_free(&ev);
	return ret;
}

int cmd_audit(struct pthructl *ctl, int argc, char **argv)
{
	const char *fail_on = pthructl_opt(ctl, "--fail-on");
	const char *path = cmdline_path();
	int threshold = PTHRU_SEVERITY_HIGH;
	enum pthructl_format format;
	struct facts facts;
	char *cmdline;
	bool local;
	int ret;

	if (argc > 0)
		return pt_err_extra_arg("audit", argv[0]);
	if (fail_on && audit_parse_fail_on(fail_on, &threshold))
		return pt_err_bad_severity(fail_on, true);
	ret = pthructl_format_opts(ctl, &format);
	if (ret)
		return ret;
	ret = source_gather(ctl, &facts, &local);
	if (ret)
		return ret;
	if (local) {
		ret = audit_local(&facts, threshold, format);
		facts_free(&facts);
		return ret;
	}
	/* An audit that cannot read the command line would pass it silently. */
	ret = cmdline_read(path, &cmdline);
	if (ret)
		return pt_err("cannot read the kernel command line from %s: %s",
			      path, strerror(-ret));

	ret = audit_run(ctl, !pthructl_opt(ctl, "--no-refresh"), threshold,
			format, cmdline);
	free(cmdline);
	return ret;
}
