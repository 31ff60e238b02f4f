// SPDX-License-Identifier: GPL-2.0
/*
 * Printing what a report could not establish, for audit and check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "names.h"
#include "unsettled.h"

/* Two rules not judged, about the same subject, for the same reason. */
static bool same_rule_line(const struct unsettled *a, const struct unsettled *b)
{
	return !b->possible && !strcmp(a->why, b->why) &&
	       finding_has(&a->f, PTHRU_A_FINDING_GROUP_ID) ==
	       finding_has(&b->f, PTHRU_A_FINDING_GROUP_ID) &&
	       a->f.group_id == b->f.group_id &&
	       finding_has(&a->f, PTHRU_A_FINDING_ADDR) ==
	       finding_has(&b->f, PTHRU_A_FINDING_ADDR) &&
	       !strcmp(a->f.addr, b->f.addr);
}

/* What the facts could not settle: possible findings, rules not judged. */
void unsettled_print_text(FILE *out, const struct unsettled_list *list)
{
	char id[HAZARD_ID_STRLEN], subject[PCI_ADDR_STRLEN + 16];
	const struct unsettled *u;
	size_t i, k;

	if (!list->n)
		return;
	fprintf(out, "\nnot established (%zu):\n", list->n);
	for (i = 0; i < list->n; i = k) {
		u = &list->items[i];
		fprintf(out, "  %s %s", hazard_id_text(u->f.id, id, sizeof(id)),
			finding_name(&u->f));
		/* Rules not judged for one reason and subject share a line. */
		for (k = i + 1; k < list->n && !u->possible &&
		     same_rule_line(u, &list->items[k]); k++)
			fprintf(out, ", %s %s",
				hazard_id_text(list->items[k].f.id, id, sizeof(id)),
				finding_name(&list->items[k].f));
		fprintf(out, " %s: ",
			finding_subject(&u->f, subject, sizeof(subject)));
		if (u->possible)
			fprintf(out, "possible %s: %s; unknown: %s\n",
				severity_name(u->f.severity), u->f.message,
				u->why);
		else
			fprintf(out, "not judged: unknown: %s\n", u->why);
	}
}

/* The unsettled list as JSON; [] when the module judged everything. */
void unsettled_json(struct json *j, const char *key,
		    const struct unsettled_list *list)
{
	char id[HAZARD_ID_STRLEN];
	const struct unsettled *u;
	size_t i;

	json_array_begin(j, key);
	for (i = 0; list && i < list->n; i++) {
		u = &list->items[i];
		json_object_begin(j, NULL);
		json_string(j, "id", hazard_id_text(u->f.id, id, sizeof(id)));
		json_string(j, "name", finding_name(&u->f));
		json_string(j, "addr", finding_has(&u->f, PTHRU_A_FINDING_ADDR) ?
			    u->f.addr : NULL);
		if (finding_has(&u->f, PTHRU_A_FINDING_GROUP_ID))
			json_uint(j, "group", u->f.group_id);
		else
			json_null(j, "group");
		json_bool(j, "possible", u->possible);
		json_bool(j, "decisive", u->decisive);
		json_string(j, "severity", u->possible ?
			    severity_name(u->f.severity) : NULL);
		json_string(j, "message", u->possible ? u->f.message : NULL);
		json_string(j, "why", u->why);
		json_object_end(j);
	}
	json_array_end(j);
}

void unsettled_list_free(struct unsettled_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}
