/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hazard engine: rules that read a snapshot (and its reachability) and
 * emit findings.  No rule reads the kernel.
 */
#ifndef _PTHRU_CORE_HAZARD_H
#define _PTHRU_CORE_HAZARD_H

#include <linux/bits.h>
#include <linux/types.h>
#include <uapi/linux/pthru.h>

#include "reach.h"
#include "snapshot.h"

#define PTHRU_FINDING_MSG_LEN	192

/*
 * Which typed facts a finding carries (struct pthru_finding_facts), so
 * that programs never have to parse the message.  Host physical addresses
 * have a bit of their own: only privileged readers get them, and they
 * never appear in a message.
 */
enum pthru_fact {
	PTHRU_FACT_HOP = BIT(0),	/* hop, hop_kind, acs_needed, reach_count */
	PTHRU_FACT_ACS = BIT(1),	/* acs_pos, acs_ctrl */
	PTHRU_FACT_ACS_BASELINE = BIT(2),
	PTHRU_FACT_PEER = BIT(3),
	PTHRU_FACT_PEER_GROUP = BIT(4),	/* peer_group_id, isolation_group */
	PTHRU_FACT_DRIVER = BIT(5),
	PTHRU_FACT_PEER_DRIVER = BIT(6),
	PTHRU_FACT_REGION = BIT(7),	/* region_type, _start, _end */
	PTHRU_FACT_MAP = BIT(8),	/* domain_id, count, domains */
	PTHRU_FACT_IOVA = BIT(9),
	PTHRU_FACT_MEMORY = BIT(10),
	PTHRU_FACT_PHYS = BIT(11),
	PTHRU_FACT_PHYS_EXPECTED = BIT(12),
};

/**
 * struct pthru_finding_facts - what a finding judged, typed
 * @present: PTHRU_FACT_* bits: which fields below are valid
 * @hop: packed address of the port or function that lets P2P through
 * @hop_kind: enum pthru_hop_kind of @hop
 * @acs_pos: ACS capability offset of @hop (acs-missing) or of the function
 *	(acs-changed)
 * @acs_ctrl: the ACS control register there
 * @acs_ctrl_baseline: the control register as first read (acs-changed)
 * @acs_needed: control bits @hop needs and lacks (PCI_ACS_* layout)
 * @reach_count: other functions the device reaches
 * @peer: packed address of the other function involved
 * @peer_group_id: @peer's IOMMU group
 * @isolation_group: the hardware isolation group shared with @peer
 * @driver: the passthrough driver that makes the finding apply
 * @peer_driver: the host driver @peer is bound to
 * @region_type: enum pthru_resv_type of the reserved region
 * @region_start: its first byte
 * @region_end: its last byte
 * @domain_id: the tracked domain (mapping findings)
 * @iova: the IOVA judged
 * @count: points or ranges that showed it (or mappings lost)
 * @domains: domains of the group that showed it
 * @memory: enum pthru_phys_kind of what the IOVA reaches
 * @phys: host physical address the IOVA translates to
 * @phys_expected: host physical address the shadow recorded
 */
struct pthru_finding_facts {
	u32 present;
	u32 hop;
	u8 hop_kind;
	u16 acs_pos;
	u16 acs_ctrl;
	u16 acs_ctrl_baseline;
	u16 acs_needed;
	u32 reach_count;
	u32 peer;
	s32 peer_group_id;
	s32 isolation_group;
	char driver[PTHRU_DRIVER_NAME_LEN];
	char peer_driver[PTHRU_DRIVER_NAME_LEN];
	u8 region_type;
	u64 region_start;
	u64 region_end;
	u32 domain_id;
	u64 iova;
	u64 count;
	u32 domains;
	u8 memory;
	u64 phys;
	u64 phys_expected;
};

/**
 * struct pthru_finding - one finding
 * @id: what kind of hazard
 * @severity: how bad
 * @has_addr: the finding is about the PCI function @addr
 * @addr: packed PCI address (valid when @has_addr)
 * @group_id: the IOMMU group it is about, or PTHRU_NO_GROUP
 * @message: one line with the facts, for people; never a physical address
 * @facts: the same facts, typed, for programs
 */
struct pthru_finding {
	enum pthru_hazard_id id;
	enum pthru_severity severity;
	bool has_addr;
	u32 addr;
	s32 group_id;
	char message[PTHRU_FINDING_MSG_LEN];
	struct pthru_finding_facts facts;
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
bool pthru_iommu_driver_known(const char *name);
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
