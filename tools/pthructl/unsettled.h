/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a report could not establish: the rules that facts gathered
 * without the module (evaluate.c) left open, and why.
 */
#ifndef PTHRUCTL_UNSETTLED_H
#define PTHRUCTL_UNSETTLED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "finding.h"
#include "json.h"

#define UNSETTLED_WHY_MAX	320

/**
 * struct unsettled - a rule the facts could not settle for one subject
 * @f: the rule (id, name) and its subject (address, group or the host);
 *	its severity and message are those of the finding it would raise
 *	when @possible, else unset
 * @possible: some reading of the unknown facts raises @f, another not
 * @decisive: settling it could change whether a function is assignable
 *	now: a possible finding at medium or above, or a rule over facts
 *	the source could not read at all (not one about history, such as
 *	acs-changed, or about mappings, which only exist once assigned)
 * @why: the facts it lacks, and why the source lacks them
 */
struct unsettled {
	struct finding f;
	bool possible;
	bool decisive;
	char why[UNSETTLED_WHY_MAX];
};

struct unsettled_list {
	struct unsettled *items;
	size_t n;
	size_t cap;
};

/*
 * A "not established (N):" section, one line per entry: the possible
 * finding and the facts it lacks, or the rule not judged and why.
 * Nothing for an empty list.
 */
void unsettled_print_text(FILE *out, const struct unsettled_list *list);

/* The entries as the JSON array @key ([] when empty). */
void unsettled_json(struct json *j, const char *key,
		    const struct unsettled_list *list);

void unsettled_list_free(struct unsettled_list *list);

#endif /* PTHRUCTL_UNSETTLED_H */
