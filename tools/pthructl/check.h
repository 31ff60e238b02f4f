/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pthructl check: can one PCI function be assigned to a guest now?
 */
#ifndef PTHRUCTL_CHECK_H
#define PTHRUCTL_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "dev.h"
#include "finding.h"
#include "group.h"
#include "unsettled.h"

/* Findings at or above this severity make a function not assignable. */
#define CHECK_REASON_SEVERITY	PTHRU_SEVERITY_MEDIUM

struct check_verdict {
	bool assignable;
	struct finding_list reasons;	/* why not, worst first */
	struct finding_list notes;	/* lower findings, for information */
	/*
	 * Assignable only together with its IOMMU group: it reaches other
	 * members of the group without the IOMMU (acs-missing at info).
	 * @group is filled by cmd_check() (group-get) when this is set.
	 */
	bool whole_group;
	uint32_t group_id;
	struct group_view group;
	/*
	 * The function belongs to the SR-IOV device of PF @sriov_pf, and the
	 * isolation between the PF and its VFs is assumed, not read, when
	 * @sriov_assumed.
	 */
	bool sriov;
	bool sriov_assumed;
	char sriov_pf[PCI_ADDR_STRLEN];
	/*
	 * What the facts could not settle about the function (a copy; only
	 * when pthructl evaluated them itself).  A decisive one leaves the
	 * verdict not established: @assignable is then false.
	 */
	struct unsettled_list unsettled;
	bool established;
};

/*
 * Keep what of @list bears on assigning @dev: entries about @dev, its
 * group or the host.  Sets @v->established, and clears @v->assignable
 * when a decisive entry is among them.  0 or -ENOMEM.
 */
int check_add_unsettled(const struct dev_view *dev,
			const struct unsettled_list *list,
			struct check_verdict *v);

/*
 * Judge @dev from @findings (those about it, its group and the host, worst
 * first).  A bridge is never assignable: it becomes the first reason, a
 * finding without an ID named "bridge".  A topology-unknown finding about
 * the function is a reason whatever its severity: pthru never judges what
 * it does not understand isolated.  Returns 0 or -ENOMEM; free the
 * verdict with check_verdict_free().
 */
int check_judge(const struct dev_view *dev, const struct finding_list *findings,
		struct check_verdict *v);
void check_verdict_free(struct check_verdict *v);

/*
 * "ADDR: assignable" or "ADDR: NOT assignable", then "reasons:" and
 * "notes:" with one finding each; or the JSON object
 * {"schema":2,"addr":..,"assignable":..,"reasons":[..],"notes":[..]}.
 */
void check_print(FILE *out, const char *addr, const struct check_verdict *v,
		 bool json);

#endif /* PTHRUCTL_CHECK_H */
