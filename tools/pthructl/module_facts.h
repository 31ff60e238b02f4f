/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loaded module's facts, for "pthructl snapshot save": sysfs's
 * reading, corrected by what the module reports and sysfs cannot show.
 */
#ifndef PTHRUCTL_MODULE_FACTS_H
#define PTHRUCTL_MODULE_FACTS_H

#include "facts.h"
#include "pthructl.h"

/*
 * Read the host from @root (see sysfs_facts_read()), then take from the
 * connected module, function by function and group by group, the
 * untrusted and external-facing flags, the capabilities it read, the
 * first ACS readings, the current domains, whether MSIs are isolated and
 * the default domain.  Prints the error and returns EXIT_ERROR on
 * failure, leaving @facts zeroed.
 */
int module_facts_read(struct pthructl *ctl, const char *root,
		      struct facts *facts);

#endif /* PTHRUCTL_MODULE_FACTS_H */
