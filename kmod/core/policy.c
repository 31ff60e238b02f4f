// SPDX-License-Identifier: GPL-2.0
/*
 * The bind-gate policy engine: rule validation, matching, and the
 * requirement checks an allow rule asks for.  policy.h describes the model.
 *
 * The gate fails closed: an action it does not know denies, and a
 * requirement bit it does not know counts as unmet.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/string.h>

#include "hazard.h"
#include "policy.h"

static const char * const req_names[] = {
	"acs-isolated",
	"translated",
	"strict-invalidation",
	"no-ats",
	"isolated-msi",
	"no-direct-regions",
	"viable-group",
};

static_assert(ARRAY_SIZE(req_names) == ilog2(PTHRU_POLICY_REQ_ALL + 1));
static_assert(PTHRU_SLOT_NAME_LEN == PTHRU_POLICY_SLOT_LEN);

/**
 * pthru_policy_req_name() - stable name of one requirement
 * @req: a single PTHRU_POLICY_REQ_* bit
 *
 * Return: the name, "unknown" for anything but one known bit.
 */
const char *pthru_policy_req_name(enum pthru_policy_req req)
{
	u32 bit = req;

	if (!bit || (bit & (bit - 1)) || (bit & ~PTHRU_POLICY_REQ_ALL))
		return "unknown";
	return req_names[ilog2(bit)];
}

/**
 * pthru_policy_action_name() - stable name of an action
 * @action: the action
 *
 * Return: "allow", "deny", or "unknown".
 */
const char *pthru_policy_action_name(enum pthru_policy_action action)
{
	switch (action) {
	case PTHRU_POLICY_ACTION_DENY:
		return "deny";
	case PTHRU_POLICY_ACTION_ALLOW:
		return "allow";
	}
	return "unknown";
}

static bool terminated(const char *str, size_t size)
{
	return strnlen(str, size) < size;
}

static bool names_ok(const char *str, size_t size)
{
	return str[0] && terminated(str, size);
}

/* What is wrong with an action and its requirements, or NULL. */
static const char *check_action(enum pthru_policy_action action, u32 reqs)
{
	if (action != PTHRU_POLICY_ACTION_DENY &&
	    action != PTHRU_POLICY_ACTION_ALLOW)
		return "unknown action";
	if (reqs & ~PTHRU_POLICY_REQ_ALL)
		return "unknown requirement";
	if (action == PTHRU_POLICY_ACTION_DENY && reqs)
		return "requirements on a deny action";
	return NULL;
}

static const char *check_match(const struct pthru_policy_match *match)
{
	u32 fields = match->fields;

	if (fields & ~PTHRU_POLICY_MATCH_ALL)
		return "unknown match field";
	if (match->class_mask && !(fields & PTHRU_POLICY_MATCH_CLASS))
		return "class mask without class";
	if ((fields & PTHRU_POLICY_MATCH_CLASS) &&
	    ((match->class | match->class_mask) & ~PTHRU_POLICY_CLASS_MASK))
		return "class or class mask wider than 24 bits";
	if ((fields & PTHRU_POLICY_MATCH_SLOT) &&
	    !names_ok(match->slot, sizeof(match->slot)))
		return "slot name empty or too long";
	if ((fields & PTHRU_POLICY_MATCH_DRIVER) &&
	    !names_ok(match->driver, sizeof(match->driver)))
		return "driver name empty or too long";
	return NULL;
}

static const char *check_rule(const struct pthru_policy *policy, u32 i)
{
	const struct pthru_policy_rule *rule = &policy->rules[i];
	const char *why;
	u32 j;

	if (!terminated(rule->label, sizeof(rule->label)))
		return "label too long";
	why = check_action(rule->action, rule->requirements);
	if (!why)
		why = check_match(&rule->match);
	if (why)
		return why;
	for (j = 0; j < i; j++)
		if (policy->rules[j].id == rule->id)
			return "duplicate rule id";
	return NULL;
}

/**
 * pthru_policy_check() - find the first thing wrong with a policy
 * @policy: the policy
 * @bad_rule: if not NULL, set to the index of the offending rule, or to
 *	U32_MAX when the policy as a whole (its size or default) is wrong
 * @why: if not NULL, set to a one-line static reason
 *
 * Checking is O(rules^2) for the duplicate-id test, so the glue runs it
 * once when a policy is installed, not per decision.
 *
 * Return: 0, or -EINVAL with @bad_rule and @why set.
 */
int pthru_policy_check(const struct pthru_policy *policy, u32 *bad_rule,
		       const char **why)
{
	const char *reason = NULL;
	u32 where = U32_MAX, i;

	if (!policy)
		reason = "no policy";
	else if (policy->nr_rules > PTHRU_POLICY_MAX_RULES)
		reason = "too many rules";
	else if (policy->nr_rules && !policy->rules)
		reason = "rule count without rules";
	else
		reason = check_action(policy->default_action,
				      policy->default_requirements);
	for (i = 0; !reason && i < policy->nr_rules; i++) {
		reason = check_rule(policy, i);
		if (reason)
			where = i;
	}
	if (bad_rule)
		*bad_rule = reason ? where : U32_MAX;
	if (why)
		*why = reason;
	return reason ? -EINVAL : 0;
}

/**
 * pthru_policy_validate() - is a policy well formed?
 * @policy: the policy
 *
 * Return: 0, or -EINVAL; pthru_policy_check() says what and where.
 */
int pthru_policy_validate(const struct pthru_policy *policy)
{
	return pthru_policy_check(policy, NULL, NULL);
}

static bool str_equal(const char *have, const char *want)
{
	return have && !strcmp(have, want);
}

/**
 * pthru_policy_match() - does a match fit a device?
 * @match: a validated match
 * @subject: the device
 *
 * A slot, serial number or target driver the subject does not have never
 * matches a match that names one.
 *
 * Return: true when the device equals every field the match sets.
 */
bool pthru_policy_match(const struct pthru_policy_match *match,
			const struct pthru_policy_subject *subject)
{
	const struct pthru_dev *dev = subject->dev;
	u32 fields = match->fields;
	u32 mask;

	if ((fields & PTHRU_POLICY_MATCH_VENDOR) && dev->vendor != match->vendor)
		return false;
	if ((fields & PTHRU_POLICY_MATCH_DEVICE) && dev->device != match->device)
		return false;
	if ((fields & PTHRU_POLICY_MATCH_SUBSYS_VENDOR) &&
	    dev->subsys_vendor != match->subsys_vendor)
		return false;
	if ((fields & PTHRU_POLICY_MATCH_SUBSYS_DEVICE) &&
	    dev->subsys_device != match->subsys_device)
		return false;
	if (fields & PTHRU_POLICY_MATCH_CLASS) {
		mask = match->class_mask ?: PTHRU_POLICY_CLASS_MASK;
		if ((dev->class ^ match->class) & mask)
			return false;
	}
	if ((fields & PTHRU_POLICY_MATCH_ADDR) && dev->addr != match->addr)
		return false;
	if ((fields & PTHRU_POLICY_MATCH_SLOT) &&
	    !str_equal(subject->slot, match->slot))
		return false;
	if ((fields & PTHRU_POLICY_MATCH_DSN) &&
	    (!subject->has_dsn || subject->dsn != match->dsn))
		return false;
	if ((fields & PTHRU_POLICY_MATCH_DRIVER) &&
	    !str_equal(subject->target_driver, match->driver))
		return false;
	return true;
}

/*
 * Isolated as VFIO isolates: nothing reached outside the function's own
 * IOMMU group (which goes to one owner whole), no open hop that reaches
 * nothing yet (an empty hot-plug slot below it may fill), and no hop pthru
 * could not classify.
 */
static bool acs_isolated(const struct pthru_reach *reach)
{
	if (reach->narrower || reach->unknown.idx != PTHRU_NO_INDEX)
		return false;
	return reach->open.idx == PTHRU_NO_INDEX || reach->reach_count;
}

/*
 * At bind time the device is still in its default DMA domain (VFIO puts it
 * in its own domain only when userspace opens it).  An identity default
 * means the kernel itself let the device DMA anywhere: not translated.
 */
static bool translated(enum pthru_domain_type type)
{
	return type == PTHRU_DOMAIN_TYPE_DMA ||
	       type == PTHRU_DOMAIN_TYPE_DMA_FQ ||
	       type == PTHRU_DOMAIN_TYPE_UNMANAGED ||
	       type == PTHRU_DOMAIN_TYPE_BLOCKED;
}

static bool strict_invalidation(enum pthru_domain_type type)
{
	return type != PTHRU_DOMAIN_TYPE_DMA_FQ &&
	       type != PTHRU_DOMAIN_TYPE_UNKNOWN;
}

static bool no_direct_regions(const struct pthru_group *group)
{
	u32 r;

	/* A relaxable direct region is dropped for device assignment. */
	for (r = 0; r < group->nr_resv; r++)
		if (group->resv[r].type == PTHRU_RESV_TYPE_DIRECT)
			return false;
	return true;
}

/*
 * VFIO refuses a group while a member is bound to a host driver; pcieport
 * is driver_managed_dma and allowed.  The subject itself is about to be
 * bound to the target driver, so its current driver does not count.
 */
static bool viable_group(const struct pthru_snapshot *snap,
			 const struct pthru_group *group, u32 self)
{
	u32 m;

	for (m = 0; m < group->nr_members; m++) {
		const char *driver = snap->devs[group->members[m]].driver;

		if (group->members[m] == self || !driver[0])
			continue;
		if (!pthru_driver_is_passthrough(driver) &&
		    strcmp(driver, "pcieport"))
			return false;
	}
	return true;
}

/**
 * pthru_policy_unmet() - which requirements a device does not meet
 * @snap: a finalized snapshot
 * @iso: its reachability
 * @subject: the device, at a valid index of @snap
 * @reqs: PTHRU_POLICY_REQ_* bits to check
 *
 * Every requirement is checked, so the answer lists all that fail.
 *
 * Return: the subset of @reqs that is not met; unknown bits are unmet.
 */
u32 pthru_policy_unmet(const struct pthru_snapshot *snap,
		       const struct pthru_isolation *iso,
		       const struct pthru_policy_subject *subject, u32 reqs)
{
	const struct pthru_dev *dev = &snap->devs[subject->dev_idx];
	const struct pthru_group *group = NULL;
	u32 unmet = reqs & ~PTHRU_POLICY_REQ_ALL;

	if (dev->group_idx != PTHRU_NO_INDEX)
		group = &snap->groups[dev->group_idx];

	if ((reqs & PTHRU_POLICY_REQ_NO_ATS) && dev->ats_enabled)
		unmet |= PTHRU_POLICY_REQ_NO_ATS;
	if (!group)
		return unmet | (reqs & ~PTHRU_POLICY_REQ_NO_ATS);

	if ((reqs & PTHRU_POLICY_REQ_ACS_ISOLATED) &&
	    !acs_isolated(&iso->reach[subject->dev_idx]))
		unmet |= PTHRU_POLICY_REQ_ACS_ISOLATED;
	if ((reqs & PTHRU_POLICY_REQ_TRANSLATED) &&
	    !translated(dev->domain_type))
		unmet |= PTHRU_POLICY_REQ_TRANSLATED;
	if ((reqs & PTHRU_POLICY_REQ_STRICT_INVALIDATION) &&
	    !strict_invalidation(dev->domain_type))
		unmet |= PTHRU_POLICY_REQ_STRICT_INVALIDATION;
	if ((reqs & PTHRU_POLICY_REQ_ISOLATED_MSI) &&
	    group->isolated_msi != PTHRU_TRISTATE_YES)
		unmet |= PTHRU_POLICY_REQ_ISOLATED_MSI;
	if ((reqs & PTHRU_POLICY_REQ_NO_DIRECT_REGIONS) &&
	    !no_direct_regions(group))
		unmet |= PTHRU_POLICY_REQ_NO_DIRECT_REGIONS;
	if ((reqs & PTHRU_POLICY_REQ_VIABLE_GROUP) &&
	    !viable_group(snap, group, subject->dev_idx))
		unmet |= PTHRU_POLICY_REQ_VIABLE_GROUP;
	return unmet;
}

static bool subject_ok(const struct pthru_snapshot *snap,
		       const struct pthru_isolation *iso,
		       const struct pthru_policy_subject *subject)
{
	return snap->finalized && subject->dev &&
	       subject->dev_idx < snap->nr_devs &&
	       snap->devs[subject->dev_idx].addr == subject->dev->addr &&
	       iso->reach && iso->nr_devs == snap->nr_devs;
}

/**
 * pthru_policy_decide() - decide whether a device may be bound
 * @policy: a validated policy
 * @snap: a finalized snapshot that holds the device
 * @iso: the snapshot's reachability
 * @subject: the device and the driver it is about to be bound to
 * @out: the decision
 *
 * The first rule that matches decides; without one, the default does.  An
 * allow whose requirements are not all met becomes a deny that lists the
 * unmet ones.  Allocates nothing.
 *
 * Return: 0, or -EINVAL when the subject is not the snapshot's device at
 * its index or the reachability is not the snapshot's (@out then denies).
 */
int pthru_policy_decide(const struct pthru_policy *policy,
			const struct pthru_snapshot *snap,
			const struct pthru_isolation *iso,
			const struct pthru_policy_subject *subject,
			struct pthru_decision *out)
{
	const struct pthru_policy_rule *rule = NULL;
	enum pthru_policy_action action;
	u32 reqs, i;

	memset(out, 0, sizeof(*out));
	out->verdict = PTHRU_POLICY_ACTION_DENY;
	if (!policy || !snap || !iso || !subject ||
	    !subject_ok(snap, iso, subject))
		return -EINVAL;

	for (i = 0; i < policy->nr_rules; i++) {
		if (pthru_policy_match(&policy->rules[i].match, subject)) {
			rule = &policy->rules[i];
			break;
		}
	}
	if (rule) {
		out->rule_id = rule->id;
		strscpy(out->rule_label, rule->label, sizeof(out->rule_label));
		action = rule->action;
		reqs = rule->requirements;
	} else {
		out->by_default = true;
		action = policy->default_action;
		reqs = policy->default_requirements;
	}
	if (action != PTHRU_POLICY_ACTION_ALLOW)
		return 0;
	out->unmet = pthru_policy_unmet(snap, iso, subject, reqs);
	if (!out->unmet)
		out->verdict = PTHRU_POLICY_ACTION_ALLOW;
	return 0;
}
