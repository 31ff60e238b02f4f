/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel command line: settings that weaken IOMMU isolation, which the
 * module cannot see but pthructl audit reports (hazard cmdline-weakening).
 */
#ifndef PTHRUCTL_CMDLINE_H
#define PTHRUCTL_CMDLINE_H

#include <stdbool.h>

#include "finding.h"

/* Tests point this environment variable at a file of their own. */
#define CMDLINE_ENV		"PTHRU_CMDLINE"
#define CMDLINE_DEFAULT_PATH	"/proc/cmdline"

/* $PTHRU_CMDLINE when set and not empty, else /proc/cmdline. */
const char *cmdline_path(void);

/*
 * Read the command line at @path into a malloc()ed string without its
 * trailing newline.  Returns 0 or -errno (-EFBIG beyond 1 MiB).
 */
int cmdline_read(const char *path, char **text);

/*
 * Split the next parameter off the writable string *@args exactly as the
 * kernel's next_arg() does: whitespace separates parameters except inside
 * double quotes, the first '=' separates name and value, and quotes around
 * the whole parameter or the value are dropped.  *@val is NULL without
 * '='.  Returns false at the end, and at "--", after which the words are
 * init's and not the kernel's.
 */
bool cmdline_next(char **args, char **param, char **val);

/*
 * Append one cmdline-weakening finding per isolation-weakening setting in
 * @cmdline to @list.  Settings are applied in order as the kernel applies
 * them, so "iommu=pt iommu=nopt" is no finding.  Returns 0 or -ENOMEM.
 */
int cmdline_findings(const char *cmdline, struct finding_list *list);

#endif /* PTHRUCTL_CMDLINE_H */
