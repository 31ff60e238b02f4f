/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bind-gate policy: an ordered list of rules, the first rule whose
 * match fits the device decides, and a default action decides when none
 * does.  A rule either denies or allows with requirements; a requirement
 * is a property the hazard engine can establish from a snapshot and its
 * reachability.  An allow whose requirements are not all met is a deny
 * that lists what was missing.
 *
 * Pure core: the caller hands in the snapshot, the reachability and the
 * few facts about the device that the snapshot does not carry (physical
 * slot, serial number, the driver it is about to be bound to).  Deciding
 * allocates nothing and costs O(rules) plus the size of one IOMMU group.
 */
#ifndef _PTHRU_CORE_POLICY_H
#define _PTHRU_CORE_POLICY_H

#include <linux/types.h>

#include "reach.h"
#include "snapshot.h"

#define PTHRU_POLICY_LABEL_LEN	64
#define PTHRU_POLICY_SLOT_LEN	32
#define PTHRU_POLICY_MAX_RULES	1024
#define PTHRU_POLICY_CLASS_MASK	0xffffff	/* class codes are 24 bits */

/**
 * enum pthru_policy_field - which fields of a match are set
 * @PTHRU_POLICY_MATCH_VENDOR: @vendor
 * @PTHRU_POLICY_MATCH_DEVICE: @device
 * @PTHRU_POLICY_MATCH_SUBSYS_VENDOR: @subsys_vendor
 * @PTHRU_POLICY_MATCH_SUBSYS_DEVICE: @subsys_device
 * @PTHRU_POLICY_MATCH_CLASS: @class under @class_mask
 * @PTHRU_POLICY_MATCH_ADDR: @addr
 * @PTHRU_POLICY_MATCH_SLOT: @slot
 * @PTHRU_POLICY_MATCH_DSN: @dsn
 * @PTHRU_POLICY_MATCH_DRIVER: @driver, the driver the device is being
 *	bound to
 */
enum pthru_policy_field {
	PTHRU_POLICY_MATCH_VENDOR		= 1U << 0,
	PTHRU_POLICY_MATCH_DEVICE		= 1U << 1,
	PTHRU_POLICY_MATCH_SUBSYS_VENDOR	= 1U << 2,
	PTHRU_POLICY_MATCH_SUBSYS_DEVICE	= 1U << 3,
	PTHRU_POLICY_MATCH_CLASS		= 1U << 4,
	PTHRU_POLICY_MATCH_ADDR			= 1U << 5,
	PTHRU_POLICY_MATCH_SLOT			= 1U << 6,
	PTHRU_POLICY_MATCH_DSN			= 1U << 7,
	PTHRU_POLICY_MATCH_DRIVER		= 1U << 8,
};

#define PTHRU_POLICY_MATCH_ALL	((PTHRU_POLICY_MATCH_DRIVER << 1) - 1)

/**
 * enum pthru_policy_req - what an allow rule requires of the device
 * @PTHRU_POLICY_REQ_ACS_ISOLATED: it reaches no other function without
 *	the IOMMU, every hop of its path isolates, and its IOMMU group is not
 *	narrower than its hardware isolation group
 * @PTHRU_POLICY_REQ_TRANSLATED: its domain translates (not identity, not
 *	none, not unknown)
 * @PTHRU_POLICY_REQ_STRICT_INVALIDATION: its domain does not flush lazily
 *	(not DMA-FQ, not unknown)
 * @PTHRU_POLICY_REQ_NO_ATS: ATS is not enabled on it
 * @PTHRU_POLICY_REQ_ISOLATED_MSI: its group is known to isolate MSIs
 * @PTHRU_POLICY_REQ_NO_DIRECT_REGIONS: its group has no (unrelaxable)
 *	direct-mapped reserved region
 * @PTHRU_POLICY_REQ_VIABLE_GROUP: every other function of its group is
 *	unbound, bound to a passthrough driver, or bound to pcieport
 *
 * Every requirement except @PTHRU_POLICY_REQ_NO_ATS is unmet for a device
 * without an IOMMU group: nothing translates it.
 */
enum pthru_policy_req {
	PTHRU_POLICY_REQ_ACS_ISOLATED		= 1U << 0,
	PTHRU_POLICY_REQ_TRANSLATED		= 1U << 1,
	PTHRU_POLICY_REQ_STRICT_INVALIDATION	= 1U << 2,
	PTHRU_POLICY_REQ_NO_ATS			= 1U << 3,
	PTHRU_POLICY_REQ_ISOLATED_MSI		= 1U << 4,
	PTHRU_POLICY_REQ_NO_DIRECT_REGIONS	= 1U << 5,
	PTHRU_POLICY_REQ_VIABLE_GROUP		= 1U << 6,
};

#define PTHRU_POLICY_REQ_ALL	((PTHRU_POLICY_REQ_VIABLE_GROUP << 1) - 1)

/**
 * enum pthru_policy_action - what a rule or the default does
 * @PTHRU_POLICY_ACTION_DENY: refuse the bind
 * @PTHRU_POLICY_ACTION_ALLOW: allow it when every requirement is met
 */
enum pthru_policy_action {
	PTHRU_POLICY_ACTION_DENY,
	PTHRU_POLICY_ACTION_ALLOW,
};

/**
 * struct pthru_policy_match - which devices a rule is about
 * @fields: PTHRU_POLICY_MATCH_* bits of the fields that are set; a device
 *	matches when it equals every set field.  No field set matches every
 *	device.
 * @vendor: vendor ID
 * @device: device ID
 * @subsys_vendor: subsystem vendor ID
 * @subsys_device: subsystem device ID
 * @class: 24-bit class code
 * @class_mask: bits of @class to compare; 0 with @class set compares all
 *	24 bits
 * @addr: packed PCI address (see pciaddr.h)
 * @slot: physical slot name, as in /sys/bus/pci/slots/
 * @dsn: PCIe Device Serial Number
 * @driver: name of the driver the device is being bound to
 */
struct pthru_policy_match {
	u32 fields;
	u16 vendor;
	u16 device;
	u16 subsys_vendor;
	u16 subsys_device;
	u32 class;
	u32 class_mask;
	u32 addr;
	char slot[PTHRU_POLICY_SLOT_LEN];
	u64 dsn;
	char driver[PTHRU_DRIVER_NAME_LEN];
};

/**
 * struct pthru_policy_rule - one rule
 * @id: the administrator's number for the rule, unique in a policy
 * @label: the administrator's name for it (may be empty)
 * @match: which devices it is about
 * @action: deny, or allow
 * @requirements: PTHRU_POLICY_REQ_* bits an allow needs; 0 for a deny
 */
struct pthru_policy_rule {
	u32 id;
	char label[PTHRU_POLICY_LABEL_LEN];
	struct pthru_policy_match match;
	enum pthru_policy_action action;
	u32 requirements;
};

/**
 * struct pthru_policy - rules in order, and what happens when none matches
 * @rules: the rules; the first that matches decides
 * @nr_rules: number of entries in @rules
 * @default_action: the action when no rule matches
 * @default_requirements: PTHRU_POLICY_REQ_* bits when @default_action is
 *	allow; 0 for a deny
 */
struct pthru_policy {
	const struct pthru_policy_rule *rules;
	u32 nr_rules;
	enum pthru_policy_action default_action;
	u32 default_requirements;
};

/**
 * struct pthru_policy_subject - the device a decision is about
 * @dev: the function; must be the snapshot entry at @dev_idx
 * @dev_idx: its index in the snapshot's devs (and the isolation's reach)
 * @target_driver: the driver it is about to be bound to
 * @slot: its physical slot name, or NULL/"" when it has none
 * @has_dsn: it has a Device Serial Number capability
 * @dsn: the serial number (valid when @has_dsn)
 */
struct pthru_policy_subject {
	const struct pthru_dev *dev;
	u32 dev_idx;
	const char *target_driver;
	const char *slot;
	bool has_dsn;
	u64 dsn;
};

/**
 * struct pthru_decision - the outcome, and why
 * @verdict: allow or deny
 * @by_default: no rule matched; the policy's default decided
 * @rule_id: id of the rule that decided (0 when @by_default)
 * @rule_label: a copy of that rule's label ("" when @by_default), so the
 *	decision outlives a policy that is replaced
 * @unmet: PTHRU_POLICY_REQ_* bits the deciding allow required but the
 *	device does not meet; not 0 means the verdict is deny
 */
struct pthru_decision {
	enum pthru_policy_action verdict;
	bool by_default;
	u32 rule_id;
	char rule_label[PTHRU_POLICY_LABEL_LEN];
	u32 unmet;
};

const char *pthru_policy_req_name(enum pthru_policy_req req);
const char *pthru_policy_action_name(enum pthru_policy_action action);
int pthru_policy_check(const struct pthru_policy *policy, u32 *bad_rule,
		       const char **why);
int pthru_policy_validate(const struct pthru_policy *policy);
bool pthru_policy_match(const struct pthru_policy_match *match,
			const struct pthru_policy_subject *subject);
u32 pthru_policy_unmet(const struct pthru_snapshot *snap,
		       const struct pthru_isolation *iso,
		       const struct pthru_policy_subject *subject, u32 reqs);
int pthru_policy_decide(const struct pthru_policy *policy,
			const struct pthru_snapshot *snap,
			const struct pthru_isolation *iso,
			const struct pthru_policy_subject *subject,
			struct pthru_decision *out);

#endif /* _PTHRU_CORE_POLICY_H */
