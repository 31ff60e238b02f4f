/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pthructl audit: the report of every finding, in text, JSON (a versioned
 * document for fleet pipelines) or Prometheus textfile-collector format,
 * and its exit status.
 */
#ifndef PTHRUCTL_AUDIT_H
#define PTHRUCTL_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "finding.h"
#include "unsettled.h"
#include "pthructl.h"
#include "status.h"

/* Version of the audit JSON document ("schema"); bump on incompatible change. */
#define AUDIT_JSON_SCHEMA	2
#define AUDIT_JSON_KIND		"pthru-audit"

/* --fail-on none: no finding makes audit exit 1. */
#define FAIL_ON_NONE		(-1)

struct audit_report {
	struct finding_list list;	/* module's and command line's, sorted */
	bool has_generation;
	uint32_t generation;
	bool refreshed;			/* the module re-evaluated for us */
	bool has_quirk_hops;		/* the audit reply said (refreshed) */
	uint32_t quirk_hops;		/* hops isolated only by a kernel quirk */
	const struct pthru_status *status;
	const char *kernel_release;	/* NULL when unknown */
	const char *cmdline;
	bool local;			/* pthructl evaluated, not the module */
	const struct unsettled_list *unsettled;	/* NULL: none */
};

/* "info" .. "critical" into a severity, "none" into FAIL_ON_NONE; 0 or -EINVAL. */
int audit_parse_fail_on(const char *s, int *threshold);

/* EXIT_FINDINGS when a finding is at or above @threshold, else EXIT_OK. */
int audit_exit_status(const struct finding_list *list, int threshold);

/*
 * The report in @format (text, JSON or Prometheus).  Returns 0, or
 * -ENOMEM (-ENOSPC: a label longer than any pthru makes) when the
 * Prometheus series could not be built.
 */
int audit_print(FILE *out, const struct audit_report *report,
		enum pthructl_format format);

#endif /* PTHRUCTL_AUDIT_H */
