/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's views of the core's objects, made in userspace: a
 * function, a group, a finding and the host status, as the tool's netlink
 * parsers would have read them from the module.  A snapshot evaluated by
 * pthructl itself (sysfs, a snapshot file) then prints through the same
 * code, with the same fields, as the module's answers.
 */
#ifndef PTHRUCTL_LOCAL_VIEW_H
#define PTHRUCTL_LOCAL_VIEW_H

#include <core/hazard.h>
#include <core/reach.h>
#include <core/snapshot.h>

#include "dev.h"
#include "finding.h"
#include "group.h"
#include "status.h"

/*
 * @func of @snap, with what @iso concluded about it.  Facts the source
 * could not establish (@func->unknown) are left out, as a module that
 * did not send them: the printers show "-" and JSON null.
 */
int local_dev_view(const struct pthru_snapshot *snap,
		   const struct pthru_isolation *iso,
		   const struct pthru_dev *func, struct dev_view *view);

/* @group of @snap; release it with group_free(). */
int local_group_view(const struct pthru_snapshot *snap,
		     const struct pthru_group *group, struct group_view *view);

/* A finding of the core; remediation from the core's table. */
int local_finding(const struct pthru_finding *finding, struct finding *view);

/*
 * The host's status from @snap, as status-get would give it, without the
 * module's version (there is no module) and with @release as the kernel.
 */
int local_status(const struct pthru_snapshot *snap, const char *release,
		 struct pthru_status *st);

/*
 * Every function of @snap, in address order, into a new array (free it);
 * 0, -ENOMEM or -EINVAL.
 */
int local_dev_list(const struct pthru_snapshot *snap,
		   const struct pthru_isolation *iso, struct dev_view **devs,
		   size_t *n);

/* Every group, by id, into a new array; free with local_group_list_free(). */
int local_group_list(const struct pthru_snapshot *snap,
		     struct group_view **groups, size_t *n);
void local_group_list_free(struct group_view *groups, size_t n);

#endif /* PTHRUCTL_LOCAL_VIEW_H */
