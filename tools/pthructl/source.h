/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the facts of a report come from: the module, or, for audit,
 * check, dev and group, pthructl's own reading of sysfs (the module is
 * not loaded, or --no-module) or a snapshot file (--snapshot FILE).
 * Every report says which, once: a "source:" line at the top of the text
 * and a "source" member in JSON.
 */
#ifndef PTHRUCTL_SOURCE_H
#define PTHRUCTL_SOURCE_H

#include <stdbool.h>
#include <stdio.h>

#include "facts.h"
#include "json.h"
#include "pthructl.h"

/*
 * What the report being printed rests on.  One per run of pthructl, set
 * by source_gather(); "module" until then.
 */
struct report_source {
	enum facts_source source;
	const struct facts *facts;	/* NULL: the module answered */
	const char *file;		/* the snapshot file, or NULL */
};

extern struct report_source report_source;

/*
 * Facts for a command that can work without the module: from --snapshot
 * FILE, from sysfs with --no-module or when the module is not loaded, or
 * none (*@local false) when the module is loaded: then the caller asks
 * the module, connected.  Prints the error and returns EXIT_ERROR on
 * failure; a snapshot file that is refused is EXIT_ERROR too, with one
 * line naming the file, the place and the problem.
 */
int source_gather(struct pthructl *ctl, struct facts *facts, bool *local);

/*
 * The root under which the sysfs source reads /sys, /proc and /boot: "/",
 * or $PTHRU_SYSFS_ROOT (the tests' fake trees).
 */
const char *source_sysfs_root(void);

/* The report's first line: "source: module" and the like. */
void source_text_line(FILE *out);

/* "source" (and "snapshot" for a file) members of the report's object. */
void source_json(struct json *j);

#endif /* PTHRUCTL_SOURCE_H */
