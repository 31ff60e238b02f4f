/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hazard engine: rules that read a snapshot (and its reachability) and
 * emit findings.  No rule reads the kernel.
 */
#ifndef _PTHRU_CORE_HAZARD_H
#define _PTHRU_CORE_HAZARD_H

#include <linux/types.h>
#include <uapi/linux/pthru.h>

#include "reach.h"
#include "snapshot.h"

#define PTHRU_FINDING_MSG_LEN	192

/**
 * struct pthru_finding - one finding
 * @id: what kind of hazard
 * @severity: how bad
 * @has_addr: the finding is about the PCI function @addr
 * @addr: packed PCI address (valid when @has_addr)
 * @group_id: the IOMMU group it is about, or PTHRU_NO_GROUP
 * @message: one line with the facts
 */
struct pthru_finding {
	enum pthru_hazard_id id;
	enum pthru_severity severity;
	bool has_addr;
	u32 addr;
	s32 group_id;
	char message[PTHRU_FINDING_MSG_LEN];
};

/**
 * struct pthru_findings - a set of findings, sorted by their key
 *	(id, group, address) so that two sets can be compared in one pass
 * @items: the findings
 * @nr: number of findings
 * @cap: allocated entries
 */
struct pthru_findings {
	struct pthru_finding *items;
	u32 nr;
	u32 cap;
};

const char *pthru_hazard_name(enum pthru_hazard_id id);
const char *pthru_hazard_remediation(enum pthru_hazard_id id);
const char *pthru_severity_name(enum pthru_severity severity);
bool pthru_driver_is_passthrough(const char *driver);

int pthru_hazards_evaluate(const struct pthru_snapshot *snap,
			   const struct pthru_isolation *iso,
			   struct pthru_findings *out, gfp_t gfp);
void pthru_findings_free(struct pthru_findings *set);
int pthru_finding_cmp(const struct pthru_finding *a,
		      const struct pthru_finding *b);
void pthru_findings_diff(const struct pthru_findings *old,
			 const struct pthru_findings *cur,
			 void (*raised)(const struct pthru_finding *f, void *ctx),
			 void (*cleared)(const struct pthru_finding *f, void *ctx),
			 void *ctx);

#endif /* _PTHRU_CORE_HAZARD_H */
