/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's current findings (hazard-get), fetched for the hazard,
 * audit and check commands.
 */
#ifndef PTHRUCTL_HAZARD_H
#define PTHRUCTL_HAZARD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "finding.h"

struct pthructl;

struct hazard_query {
	bool has_min_severity;
	uint8_t min_severity;	/* enum pthru_severity, sent as a u32 */
	const char *addr;	/* canonical PCI address, or NULL for all */
};

struct hazard_result {
	struct finding_list list;
	bool has_generation;
	uint32_t generation;	/* inventory generation they were evaluated on */
};

/*
 * Dump the findings that match @q into @res, sorted worst first.  A dump
 * whose messages disagree on the generation (the module re-evaluated
 * meanwhile) is retried, so the set is always one evaluation's.  An empty
 * dump carries no generation: it is then taken from status-get, asked
 * before and after a second dump (left unknown if it keeps changing).  Prints
 * the error and returns EXIT_ERROR on failure; free @res with
 * hazard_result_free() either way.
 */
int hazard_fetch(struct pthructl *ctl, const struct hazard_query *q,
		 struct hazard_result *res);
void hazard_result_free(struct hazard_result *res);

/*
 * The hazard command's output: a table with a header, or the JSON document
 * {"schema":2,"findings":[ with one finding object per line.
 */
int hazard_list_print(FILE *out, const struct finding_list *list, bool json);

/* Complain about a malformed severity; returns EXIT_ERROR. */
int pt_err_bad_severity(const char *arg, bool allow_none);

#endif /* PTHRUCTL_HAZARD_H */
