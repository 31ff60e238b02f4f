// SPDX-License-Identifier: GPL-2.0
/*
 * What the policy command prints: the active policy (show), the verdicts
 * of a policy under test, and a generated starting policy.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "policy.h"
#include "pthructl.h"
#include "source.h"
#include "table.h"

/* Every requirement the policy language knows. */
#define POLICY_REQ_KNOWN	(((uint32_t)PTHRU_REQUIREMENT_VIABLE_GROUP << 1) - 1)
/* What a generated rule insists on before it allows anything. */
#define POLICY_GEN_NEEDED	(PTHRU_REQUIREMENT_ACS_ISOLATED | \
				 PTHRU_REQUIREMENT_TRANSLATED)

static void reqs_json(struct json *j, const char *key, uint32_t reqs)
{
	const char *name;
	unsigned int i;

	json_array_begin(j, key);
	for (i = 0; i < 32; i++) {
		if (!(reqs & (1U << i)))
			continue;
		name = policy_req_name(1U << i);
		json_string(j, NULL, name ? name : "unknown");
	}
	json_array_end(j);
}

static void hex_json(struct json *j, const char *key, bool set,
		     unsigned long long val, int digits)
{
	char buf[24];

	if (!set) {
		json_null(j, key);
		return;
	}
	snprintf(buf, sizeof(buf), "%0*llx", digits, val);
	json_string(j, key, buf);
}

static void rule_json(struct json *j, const struct policy_rule *r)
{
	uint32_t f = r->fields;

	json_object_begin(j, NULL);
	json_uint(j, "id", r->id);
	json_string(j, "action", policy_action_name(r->action));
	json_object_begin(j, "match");
	hex_json(j, "vendor", f & POLICY_F_VENDOR, r->vendor, 4);
	hex_json(j, "device", f & POLICY_F_DEVICE, r->device, 4);
	hex_json(j, "subvendor", f & POLICY_F_SUBVENDOR, r->subvendor, 4);
	hex_json(j, "subdevice", f & POLICY_F_SUBDEVICE, r->subdevice, 4);
	hex_json(j, "class", f & POLICY_F_CLASS, r->class, 6);
	/* The mask in effect: 0 compares all 24 bits. */
	hex_json(j, "class_mask", f & POLICY_F_CLASS,
		 r->class_mask ? r->class_mask : 0xffffff, 6);
	json_string(j, "addr", f & POLICY_F_ADDR ? r->addr : NULL);
	json_string(j, "slot", f & POLICY_F_SLOT ? r->slot : NULL);
	hex_json(j, "serial", f & POLICY_F_SERIAL, r->serial, 16);
	json_string(j, "driver", f & POLICY_F_DRIVER ? r->driver : NULL);
	json_object_end(j);
	reqs_json(j, "requirements", r->requirements);
	json_string(j, "label", r->label);
	json_object_end(j);
}

void policy_info_json(struct json *j, const struct policy_info *info)
{
	unsigned int i;

	if (policy_info_has(info, PTHRU_A_POLICY_MODE))
		json_string(j, "mode", policy_mode_text(info->mode));
	else
		json_null(j, "mode");
	if (policy_info_has(info, PTHRU_A_POLICY_LOCKED))
		json_bool(j, "locked", info->locked);
	else
		json_null(j, "locked");
	if (policy_info_has(info, PTHRU_A_POLICY_DEFAULT_ACTION)) {
		json_object_begin(j, "default");
		json_string(j, "action",
			    policy_action_name(info->default_action));
		reqs_json(j, "requirements", info->default_requirements);
		json_object_end(j);
	} else {
		json_null(j, "default");
	}
	json_array_begin(j, "gated");
	for (i = 0; i < info->nr_gated; i++)
		json_string(j, NULL, info->gated[i]);
	json_array_end(j);
	json_object_begin(j, "counters");
	json_uint(j, "allowed", info->allowed);
	json_uint(j, "denied", info->denied);
	json_uint(j, "audited", info->audited);
	json_object_end(j);
	if (policy_info_has(info, PTHRU_A_POLICY_GENERATION))
		json_uint(j, "generation", info->generation);
	else
		json_null(j, "generation");
}

static void policy_show_json(FILE *out, const struct policy_info *info,
			     const struct policy_rule *rules, size_t n)
{
	struct json j;
	size_t i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
	policy_info_json(&j, info);
	json_array_begin(&j, "rules");
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		json_init(&j, out);
		rule_json(&j, &rules[i]);
		fputs(i + 1 < n ? ",\n" : "\n", out);
	}
	fputs("]}\n", out);
}

/* "allow require a,b", "allow" or "deny", as the language writes it. */
static const char *default_text(const struct policy_info *info, char *buf,
				size_t size)
{
	char reqs[POLICY_REQS_STRLEN];

	if (!policy_info_has(info, PTHRU_A_POLICY_DEFAULT_ACTION))
		return "-";
	if (info->default_action == PTHRU_ACTION_ALLOW &&
	    info->default_requirements)
		snprintf(buf, size, "allow require %s",
			 policy_reqs_text(info->default_requirements, reqs,
					  sizeof(reqs)));
	else
		snprintf(buf, size, "%s",
			 policy_action_name(info->default_action));
	return buf;
}

static const char *u32_text(const struct policy_info *info, uint16_t attr,
			    uint32_t val, char *buf, size_t size)
{
	if (!policy_info_has(info, attr))
		return "-";
	snprintf(buf, size, "%u", val);
	return buf;
}

static int policy_show_head(FILE *out, const struct policy_info *info,
			    size_t n)
{
	char def[POLICY_REQS_STRLEN + 32], counters[96], gen[16], nrules[16];
	char gated[POLICY_MAX_GATED * (POLICY_NAME_MAX + 1) + 1];
	size_t len = 0;
	unsigned int i;
	struct table t;
	int err = 0;

	gated[0] = '\0';
	for (i = 0; i < info->nr_gated; i++)
		len += snprintf(gated + len, sizeof(gated) - len, "%s%s",
				i ? " " : "", info->gated[i]);
	snprintf(counters, sizeof(counters),
		 "%" PRIu64 " allowed, %" PRIu64 " denied, %" PRIu64 " audited",
		 info->allowed, info->denied, info->audited);
	snprintf(nrules, sizeof(nrules), "%zu", n);
	{
		const char *rows[][2] = {
			{ "mode:", policy_info_has(info, PTHRU_A_POLICY_MODE) ?
				policy_mode_text(info->mode) : "-" },
			{ "locked:", !policy_info_has(info, PTHRU_A_POLICY_LOCKED) ?
				"-" : info->locked ? "yes" : "no" },
			{ "default:", default_text(info, def, sizeof(def)) },
			{ "gated:", info->nr_gated ? gated : "-" },
			{ "counters:", counters },
			{ "generation:", u32_text(info, PTHRU_A_POLICY_GENERATION,
				info->generation, gen, sizeof(gen)) },
			{ "rules:", nrules },
		};

		table_init(&t, 2, " ");
		for (i = 0; i < ARRAY_SIZE(rows) && !err; i++)
			err = table_add_row(&t, rows[i]);
	}
	if (!err)
		table_print(&t, out);
	table_free(&t);
	return err;
}

static int policy_show_rules(FILE *out, const struct policy_rule *rules,
			     size_t n)
{
	static const char *const header[] = {
		"ID", "ACTION", "MATCH", "REQUIRES", "LABEL",
	};
	char id[16], match[POLICY_MATCH_STRLEN], reqs[POLICY_REQS_STRLEN];
	struct table t;
	size_t i;
	int err;

	table_init(&t, 5, "  ");
	err = table_add_row(&t, header);
	for (i = 0; i < n && !err; i++) {
		const char *row[5];

		snprintf(id, sizeof(id), "%u", rules[i].id);
		row[0] = id;
		row[1] = policy_action_name(rules[i].action);
		row[2] = policy_match_text(&rules[i], match, sizeof(match));
		row[3] = policy_reqs_text(rules[i].requirements, reqs,
					  sizeof(reqs));
		row[4] = rules[i].label[0] ? rules[i].label : "-";
		err = table_add_row(&t, row);
	}
	if (!err)
		table_print(&t, out);
	table_free(&t);
	return err;
}

int policy_show_print(FILE *out, const struct policy_info *info,
		      const struct policy_rule *rules, size_t n, bool json)
{
	if (json) {
		policy_show_json(out, info, rules, n);
		return EXIT_OK;
	}
	if (policy_show_head(out, info, n))
		return pt_err("out of memory");
	if (!n)
		return EXIT_OK;
	fputc('\n', out);
	if (policy_show_rules(out, rules, n))
		return pt_err("out of memory");
	return EXIT_OK;
}

/* @label between double quotes, with the language's \" and \\ escapes. */
static void quote_label(const char *label, char *buf, size_t size)
{
	size_t len = 0;

	if (size < 3)
		return;
	buf[len++] = '"';
	for (; *label && len + 3 < size; label++) {
		if (*label == '"' || *label == '\\')
			buf[len++] = '\\';
		buf[len++] = *label;
	}
	buf[len++] = '"';
	buf[len] = '\0';
}

const char *policy_decided_by(const struct policy_decision *d, char *buf,
			      size_t size)
{
	char label[2 * POLICY_LABEL_MAX + 3];

	if (d->by_default)
		return "default";
	if (!policy_decision_has(d, PTHRU_A_DECISION_RULE_ID))
		return "-";
	if (!d->rule_label[0]) {
		snprintf(buf, size, "rule %u", d->rule_id);
		return buf;
	}
	quote_label(d->rule_label, label, sizeof(label));
	snprintf(buf, size, "rule %u %s", d->rule_id, label);
	return buf;
}

static void str_or_null(struct json *j, const struct policy_decision *d,
			uint16_t attr, const char *key, const char *val)
{
	json_string(j, key, policy_decision_has(d, attr) ? val : NULL);
}

static void u32_or_null(struct json *j, const struct policy_decision *d,
			uint16_t attr, const char *key, uint32_t val)
{
	if (policy_decision_has(d, attr))
		json_uint(j, key, val);
	else
		json_null(j, key);
}

static void decision_members(struct json *j, const struct policy_decision *d,
			     bool event)
{
	str_or_null(j, d, PTHRU_A_DECISION_ADDR, "addr", d->addr);
	str_or_null(j, d, PTHRU_A_DECISION_DRIVER, "driver", d->driver);
	str_or_null(j, d, PTHRU_A_DECISION_VERDICT, "verdict",
		    policy_action_name(d->verdict));
	json_bool(j, "by_default", d->by_default);
	u32_or_null(j, d, PTHRU_A_DECISION_RULE_ID, "rule_id", d->rule_id);
	str_or_null(j, d, PTHRU_A_DECISION_RULE_ID, "rule_label",
		    d->rule_label);
	reqs_json(j, "unmet", d->unmet);
	if (event) {
		str_or_null(j, d, PTHRU_A_DECISION_OUTCOME, "outcome",
			    policy_outcome_name(d->outcome));
		str_or_null(j, d, PTHRU_A_DECISION_MODE, "mode",
			    policy_mode_text(d->mode));
		u32_or_null(j, d, PTHRU_A_DECISION_PID, "pid", d->pid);
		u32_or_null(j, d, PTHRU_A_DECISION_UID, "uid", d->uid);
		str_or_null(j, d, PTHRU_A_DECISION_COMM, "comm", d->comm);
		u32_or_null(j, d, PTHRU_A_DECISION_POLICY_GENERATION,
			    "policy_generation", d->policy_generation);
	}
}

void policy_decision_json(struct json *j, const char *key,
			  const struct policy_decision *d, bool event)
{
	json_object_begin(j, key);
	decision_members(j, d, event);
	json_object_end(j);
}

/* A decision of policy test: whether it is established, and what is not. */
static void test_decision_json(struct json *j, const struct policy_decision *d)
{
	unsigned int i;

	json_object_begin(j, NULL);
	decision_members(j, d, false);
	json_bool(j, "established", !d->not_established);
	json_array_begin(j, "undetermined");
	for (i = 0; i < d->n_undetermined; i++) {
		json_object_begin(j, NULL);
		json_string(j, "what", d->undetermined[i].what);
		json_string(j, "why", d->undetermined[i].why);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void policy_test_json(FILE *out, const char *driver,
			     const struct policy_decision_list *list)
{
	struct json j;
	size_t i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
	source_json(&j);
	json_string(&j, "driver", driver);
	json_array_begin(&j, "decisions");
	fputc('\n', out);
	for (i = 0; i < list->n; i++) {
		json_init(&j, out);
		test_decision_json(&j, &list->items[i]);
		fputs(i + 1 < list->n ? ",\n" : "\n", out);
	}
	fputs("]}\n", out);
}

/*
 * After the table, what each decision that is not established lacks: its
 * shown verdict, rule and unmet requirements are those of the worst
 * reading of the facts it lacks.
 */
static void test_undetermined_text(FILE *out,
				   const struct policy_decision_list *list)
{
	const struct policy_decision *d;
	size_t i, n = 0;
	unsigned int k;

	for (i = 0; i < list->n; i++)
		n += list->items[i].not_established;
	if (!n)
		return;
	fprintf(out, "not established (%zu), shown as decided with the facts it lacks at their worst:\n",
		n);
	for (i = 0; i < list->n; i++) {
		d = &list->items[i];
		if (!d->not_established)
			continue;
		if (!d->n_undetermined)
			fprintf(out, "  %s: facts the source could not establish\n",
				d->addr);
		for (k = 0; k < d->n_undetermined; k++)
			fprintf(out, "  %s: %s: %s\n", d->addr,
				d->undetermined[k].what,
				d->undetermined[k].why);
	}
}

int policy_test_print(FILE *out, const char *driver,
		      const struct policy_decision_list *list, bool json)
{
	static const char *const header[] = {
		"ADDRESS", "VERDICT", "DECIDED-BY", "UNMET",
	};
	char by[2 * POLICY_LABEL_MAX + 32], unmet[POLICY_REQS_STRLEN];
	const struct policy_decision *d;
	struct table t;
	size_t i;
	int err;

	if (json) {
		policy_test_json(out, driver, list);
		return EXIT_OK;
	}
	source_text_line(out);
	table_init(&t, 4, "  ");
	err = table_add_row(&t, header);
	for (i = 0; i < list->n && !err; i++) {
		const char *row[4];

		d = &list->items[i];
		row[0] = policy_decision_has(d, PTHRU_A_DECISION_ADDR) ?
			 d->addr : "-";
		row[1] = d->not_established ? "not established" :
			 policy_decision_has(d, PTHRU_A_DECISION_VERDICT) ?
			 policy_action_name(d->verdict) : "-";
		row[2] = policy_decided_by(d, by, sizeof(by));
		row[3] = policy_reqs_text(d->unmet, unmet, sizeof(unmet));
		err = table_add_row(&t, row);
	}
	if (!err)
		table_print(&t, out);
	table_free(&t);
	if (err)
		return pt_err("out of memory");
	test_undetermined_text(out, list);
	return EXIT_OK;
}

int policy_generate_doc(const struct policy_gen_entry *e, size_t n,
			struct policy_doc *doc)
{
	struct policy_rule *r;
	size_t i;

	memset(doc, 0, sizeof(*doc));
	doc->has_mode = true;
	doc->mode = PTHRU_POLICY_MODE_AUDIT;
	doc->default_action = PTHRU_ACTION_DENY;
	doc->rules = calloc(n ? n : 1, sizeof(*doc->rules));
	if (!doc->rules)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if ((e[i].met & POLICY_GEN_NEEDED) != POLICY_GEN_NEEDED)
			continue;
		if (doc->nr_rules == POLICY_MAX_RULES) {
			policy_doc_free(doc);
			return -E2BIG;
		}
		r = &doc->rules[doc->nr_rules++];
		r->id = 10 * doc->nr_rules;
		r->action = PTHRU_ACTION_ALLOW;
		r->requirements = e[i].met & POLICY_REQ_KNOWN;
		r->fields = POLICY_F_VENDOR | POLICY_F_DEVICE;
		r->vendor = e[i].vendor;
		r->device = e[i].device;
		/* The language has 4-digit domains only; IDs still match. */
		if (strlen(e[i].addr) <= POLICY_ADDR_LEN) {
			r->fields |= POLICY_F_ADDR;
			snprintf(r->addr, sizeof(r->addr), "%s", e[i].addr);
		}
		if (e[i].driver[0]) {
			r->fields |= POLICY_F_DRIVER;
			snprintf(r->driver, sizeof(r->driver), "%s",
				 e[i].driver);
		}
		snprintf(r->label, sizeof(r->label),
			 "generated: %04x:%04x at %s", e[i].vendor,
			 e[i].device, e[i].addr);
	}
	return 0;
}

int policy_generate_print(FILE *out, const char *host,
			  const struct policy_gen_entry *e, size_t n,
			  const struct policy_doc *doc)
{
	char lacks[POLICY_REQS_STRLEN];
	size_t i;

	fprintf(out,
		"# generated by pthructl policy generate on %s\n"
		"# Allows each function bound now to a passthrough driver that is\n"
		"# acs-isolated and translated, with every requirement it meets now;\n"
		"# denies every other gated bind. Mode audit only reports the binds\n"
		"# enforce would deny: review them (pthructl monitor), then change it\n"
		"# to \"mode enforce\".\n", host);
	if (!n)
		fputs("# No function is bound to a passthrough driver now.\n",
		      out);
	for (i = 0; i < n; i++) {
		uint32_t missing = POLICY_GEN_NEEDED & ~e[i].met;

		if (!missing)
			continue;
		fprintf(out, "# left out: %s %04x:%04x %s, not %s\n",
			e[i].addr, e[i].vendor, e[i].device, e[i].driver,
			policy_reqs_text(missing, lacks, sizeof(lacks)));
	}
	return policy_format(out, doc);
}
