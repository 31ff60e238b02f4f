// SPDX-License-Identifier: GPL-2.0
/*
 * The installed bind policy.
 *
 * The policy is one immutable object.  Readers find it through an RCU
 * pointer and take a reference, so a reader never waits for a writer and
 * keeps a consistent policy for as long as it needs (the probe wrapper
 * holds it across a decision that may sleep).  Writers are serialised by
 * a mutex: they validate a complete new object, give it the next
 * generation and swap the pointer; the old object goes when its last
 * reader is done.  A rejected change therefore leaves nothing behind.
 *
 * The lock is a one-way flag under the same mutex.  Locking also pins the
 * module: with a reference of its own, rmmod fails until reboot, so a
 * locked policy cannot be dropped by unloading pthru either.
 */
#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "core/gated.h"
#include "policy_state.h"

static DEFINE_MUTEX(policy_mutex);
static struct pthru_active_policy __rcu *active;	/* writers: policy_mutex */
static bool locked;		/* written under policy_mutex, never cleared */

static atomic64_t nr_allowed = ATOMIC64_INIT(0);
static atomic64_t nr_denied = ATOMIC64_INIT(0);
static atomic64_t nr_audited = ATOMIC64_INIT(0);

/* What the module installs at load; the lead's defaults (common.md). */
static const char * const default_gated[] = {
	"vfio-pci", "pci-stub", "uio_pci_generic", "*-vfio-pci", "*_vfio_pci",
};

#define DEFAULT_REQUIREMENTS	(PTHRU_POLICY_REQ_ACS_ISOLATED | \
				 PTHRU_POLICY_REQ_TRANSLATED | \
				 PTHRU_POLICY_REQ_VIABLE_GROUP)

/*
 * The core's values travel unchanged to and from netlink: the netlink
 * handlers copy actions and requirement bits without translating them.
 * (Two enum types: compared as ints.)
 */
#define SAME_VALUE(core, uapi)	BUILD_BUG_ON((int)(core) != (int)(uapi))

static void __init check_uapi_values(void)
{
	SAME_VALUE(PTHRU_POLICY_ACTION_DENY, PTHRU_ACTION_DENY);
	SAME_VALUE(PTHRU_POLICY_ACTION_ALLOW, PTHRU_ACTION_ALLOW);
	SAME_VALUE(PTHRU_POLICY_REQ_ACS_ISOLATED,
		   PTHRU_REQUIREMENT_ACS_ISOLATED);
	SAME_VALUE(PTHRU_POLICY_REQ_TRANSLATED, PTHRU_REQUIREMENT_TRANSLATED);
	SAME_VALUE(PTHRU_POLICY_REQ_STRICT_INVALIDATION,
		   PTHRU_REQUIREMENT_STRICT_INVALIDATION);
	SAME_VALUE(PTHRU_POLICY_REQ_NO_ATS, PTHRU_REQUIREMENT_NO_ATS);
	SAME_VALUE(PTHRU_POLICY_REQ_ISOLATED_MSI,
		   PTHRU_REQUIREMENT_ISOLATED_MSI);
	SAME_VALUE(PTHRU_POLICY_REQ_NO_DIRECT_REGIONS,
		   PTHRU_REQUIREMENT_NO_DIRECT_REGIONS);
	SAME_VALUE(PTHRU_POLICY_REQ_VIABLE_GROUP,
		   PTHRU_REQUIREMENT_VIABLE_GROUP);
	SAME_VALUE(PTHRU_POLICY_REQ_ALL,
		   ((int)PTHRU_REQUIREMENT_VIABLE_GROUP << 1) - 1);
	BUILD_BUG_ON(PTHRU_GATED_NAME_LEN != PTHRU_DRIVER_NAME_LEN);
}

/**
 * pthru_policy_alloc() - a new, empty policy
 * @nr_rules: rules it will hold, at most PTHRU_POLICY_MAX_RULES
 *
 * The rules array is part of the object: about 200 bytes a rule, so a
 * full policy is about 200 KiB and may come from vmalloc.  Everything is
 * zero (mode off, default deny, nothing gated) except @policy.rules and
 * @policy.nr_rules, which describe the array.  Sleeps.
 *
 * Return: the policy with one reference, or NULL (no memory, or too many
 * rules).
 */
struct pthru_active_policy *pthru_policy_alloc(u32 nr_rules)
{
	struct pthru_active_policy *ap;

	if (nr_rules > PTHRU_POLICY_MAX_RULES)
		return NULL;
	ap = kvzalloc(struct_size(ap, rules, nr_rules), GFP_KERNEL);
	if (!ap)
		return NULL;
	kref_init(&ap->ref);
	ap->policy.rules = ap->rules;
	ap->policy.nr_rules = nr_rules;
	return ap;
}

static void policy_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct pthru_active_policy, rcu));
}

/*
 * A reader may still be between rcu_dereference() and its failed
 * kref_get_unless_zero(): free only after a grace period.
 */
static void policy_release(struct kref *ref)
{
	struct pthru_active_policy *ap =
		container_of(ref, struct pthru_active_policy, ref);

	call_rcu(&ap->rcu, policy_free_rcu);
}

/**
 * pthru_policy_active_put() - drop a reference to a policy
 * @ap: the policy, or NULL
 */
void pthru_policy_active_put(struct pthru_active_policy *ap)
{
	if (ap)
		kref_put(&ap->ref, policy_release);
}

/**
 * pthru_policy_active_get() - the installed policy
 *
 * Does not sleep.
 *
 * Return: the policy with a reference for the caller to put.
 */
struct pthru_active_policy *pthru_policy_active_get(void)
{
	struct pthru_active_policy *ap;

	rcu_read_lock();
	do {
		/*
		 * A writer drops the pointer's reference after publishing
		 * the next policy; a failed get means that happened after
		 * our load, so the next load finds the new one.
		 */
		ap = rcu_dereference(active);
	} while (!kref_get_unless_zero(&ap->ref));
	rcu_read_unlock();
	return ap;
}

/**
 * pthru_policy_locked() - has the policy been locked?
 *
 * Return: true once pthru_policy_lock() has run, until reboot.
 */
bool pthru_policy_locked(void)
{
	return READ_ONCE(locked);
}

/**
 * pthru_policy_lock() - refuse every change and every unload until reboot
 *
 * Idempotent.  The module reference it takes is never dropped: that is
 * what makes rmmod fail.
 */
void pthru_policy_lock(void)
{
	mutex_lock(&policy_mutex);
	if (!locked) {
		__module_get(THIS_MODULE);
		WRITE_ONCE(locked, true);
		pr_notice("policy locked until reboot (generation %u)\n",
			  rcu_dereference_protected(active,
				lockdep_is_held(&policy_mutex))->generation);
	}
	mutex_unlock(&policy_mutex);
}

/* What is wrong with the parts of @ap the core does not check, or NULL. */
static const char *check_frame(const struct pthru_active_policy *ap,
			       u32 *bad_gated)
{
	u32 i;

	if (ap->mode > PTHRU_POLICY_MODE_ENFORCE)
		return "unknown mode";
	if (ap->nr_gated > PTHRU_GATED_MAX)
		return "too many gated drivers";
	if (ap->policy.rules != ap->rules)
		return "rules not in the policy object";
	for (i = 0; i < ap->nr_gated; i++) {
		if (!pthru_gated_name_valid(ap->gated[i],
					    sizeof(ap->gated[i]))) {
			*bad_gated = i;
			return "bad gated driver name";
		}
	}
	return NULL;
}

/* Check @ap and say why it is refused in @extack. */
static int check_policy(const struct pthru_active_policy *ap,
			struct netlink_ext_ack *extack)
{
	u32 bad = U32_MAX;
	const char *why;

	why = check_frame(ap, &bad);
	if (why) {
		if (bad != U32_MAX)
			pthru_nl_set_err_msg_fmt(extack, "gated driver %u: %s",
						 bad + 1, why);
		else
			pthru_nl_set_err_msg_fmt(extack, "policy: %s", why);
		return -EINVAL;
	}
	if (!pthru_policy_check(&ap->policy, &bad, &why))
		return 0;
	if (bad == U32_MAX)
		pthru_nl_set_err_msg_fmt(extack, "policy: %s", why);
	else
		pthru_nl_set_err_msg_fmt(extack, "rule %u: %s",
					 ap->rules[bad].id, why);
	return -EINVAL;
}

/* Publish @next (validated); consumes its reference. */
static void publish(struct pthru_active_policy *next)
{
	struct pthru_active_policy *old;

	old = rcu_replace_pointer(active, next,
				  lockdep_is_held(&policy_mutex));
	pthru_policy_active_put(old);
}

/**
 * pthru_policy_install() - validate and install a complete policy
 * @next: the new policy, with a reference that this function consumes
 * @extack: where to say why it was refused (may be NULL)
 *
 * Refuses anything once locked.  Otherwise checks the mode, the gated
 * names and (pthru_policy_check()) the rules and default; the first
 * problem is reported as "rule ID: why", "gated driver N: why" or
 * "policy: why".  Sleeps.
 *
 * Return: 0, -EPERM when the policy is locked, -EINVAL when @next is
 * malformed.  On error the installed policy is unchanged.
 */
int pthru_policy_install(struct pthru_active_policy *next,
			 struct netlink_ext_ack *extack)
{
	struct pthru_active_policy *cur;
	int err;

	mutex_lock(&policy_mutex);
	/* Locked comes first: a locked policy is not up for discussion. */
	if (locked) {
		NL_SET_ERR_MSG(extack, "policy is locked until reboot");
		err = -EPERM;
	} else {
		err = check_policy(next, extack);
	}
	if (err) {
		mutex_unlock(&policy_mutex);
		pthru_policy_active_put(next);
		return err;
	}
	cur = rcu_dereference_protected(active,
					lockdep_is_held(&policy_mutex));
	/* Userspace compares generations for equality: skip 0 on wrap. */
	next->generation = cur->generation + 1 ?: 1;
	publish(next);
	mutex_unlock(&policy_mutex);
	return 0;
}

/**
 * pthru_policy_gates() - is a driver gated by a policy?
 * @ap: the policy
 * @driver: the driver's name
 *
 * Return: true when an entry of @ap's gated list covers @driver.
 */
bool pthru_policy_gates(const struct pthru_active_policy *ap,
			const char *driver)
{
	u32 i;

	for (i = 0; i < ap->nr_gated; i++)
		if (pthru_gated_match(ap->gated[i], driver))
			return true;
	return false;
}

static int parse_mode(const char *name, u8 *mode)
{
	static const char * const names[] = {
		[PTHRU_POLICY_MODE_OFF] = "off",
		[PTHRU_POLICY_MODE_AUDIT] = "audit",
		[PTHRU_POLICY_MODE_ENFORCE] = "enforce",
	};
	int i = name ? sysfs_match_string(names, name) : -EINVAL;

	if (i < 0)
		return i;
	*mode = i;
	return 0;
}

/**
 * pthru_policy_state_init() - install the policy the module starts with
 * @initial_mode: "off", "audit" or "enforce" (the module parameter)
 *
 * The policy gates vfio-pci, pci-stub, uio_pci_generic and VFIO's variant
 * drivers, has no rule, and allows a bind when the function is isolated
 * by ACS, translated, and in a viable group.  Generation 1, unlocked.
 *
 * Return: 0, -EINVAL for an unknown mode, or -ENOMEM.
 */
int __init pthru_policy_state_init(const char *initial_mode)
{
	struct pthru_active_policy *ap;
	u8 mode;
	u32 i;

	check_uapi_values();
	if (parse_mode(initial_mode, &mode)) {
		pr_err("mode=%s: not off, audit or enforce\n",
		       initial_mode ?: "(null)");
		return -EINVAL;
	}
	ap = pthru_policy_alloc(0);
	if (!ap)
		return -ENOMEM;
	ap->generation = 1;
	ap->mode = mode;
	for (i = 0; i < ARRAY_SIZE(default_gated); i++)
		strscpy(ap->gated[i], default_gated[i], sizeof(ap->gated[i]));
	ap->nr_gated = ARRAY_SIZE(default_gated);
	ap->policy.default_action = PTHRU_POLICY_ACTION_ALLOW;
	ap->policy.default_requirements = DEFAULT_REQUIREMENTS;
	if (WARN_ON(check_policy(ap, NULL))) {
		pthru_policy_active_put(ap);
		return -EINVAL;
	}
	RCU_INIT_POINTER(active, ap);
	return 0;
}

/**
 * pthru_policy_state_exit() - drop the installed policy
 *
 * Every reader (netlink, the gate) is gone by now.  Waits for the frees
 * that are still queued behind a grace period: their callback is code of
 * this module.
 */
void pthru_policy_state_exit(void)
{
	struct pthru_active_policy *ap;

	mutex_lock(&policy_mutex);
	ap = rcu_replace_pointer(active, NULL,
				 lockdep_is_held(&policy_mutex));
	mutex_unlock(&policy_mutex);
	pthru_policy_active_put(ap);
	rcu_barrier();
}

/* Where the slot name is kept: the hotplug slot's kobject. */
static const char *slot_name(struct pci_dev *pdev)
{
	return pdev->slot ? pci_slot_name(pdev->slot) : NULL;
}

/**
 * pthru_policy_evaluate() - decide whether @pdev may be bound to @driver
 * @policy: a validated policy
 * @state: the evaluated snapshot to judge the function by
 * @pdev: the function
 * @driver: the driver it is being, or would be, bound to
 * @out: the decision
 *
 * The slot name and the Device Serial Number are read from @pdev, because
 * the snapshot does not carry them.  Reading the DSN is two config reads
 * under the PCI config spinlock: this does not sleep.
 *
 * Return: 0, or -ENODEV when @state has no function at @pdev's address
 * (@out then denies).
 */
int pthru_policy_evaluate(const struct pthru_policy *policy,
			  const struct pthru_state *state,
			  struct pci_dev *pdev, const char *driver,
			  struct pthru_decision *out)
{
	const struct pthru_snapshot *snap = state->snap;
	struct pthru_policy_subject subject = {};
	const struct pthru_dev *func;
	int domain = pci_domain_nr(pdev->bus);

	memset(out, 0, sizeof(*out));
	out->verdict = PTHRU_POLICY_ACTION_DENY;
	/* Addresses above domain ffff are not inventoried (inventory.c). */
	if (domain < 0 || domain > 0xffff)
		return -ENODEV;
	func = pthru_snapshot_find_dev(snap,
				       PTHRU_PCIADDR(domain, pdev->bus->number,
						     pdev->devfn));
	if (!func)
		return -ENODEV;

	subject.dev = func;
	subject.dev_idx = func - snap->devs;
	subject.target_driver = driver;
	subject.slot = slot_name(pdev);
	if (pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_DSN)) {
		subject.has_dsn = true;
		subject.dsn = pci_get_dsn(pdev);
	}
	return pthru_policy_decide(policy, snap, &state->iso, &subject, out);
}

/**
 * pthru_policy_mode_name() - the word for a mode
 * @mode: enum pthru_policy_mode
 *
 * Return: "off", "audit", "enforce", or "unknown".
 */
const char *pthru_policy_mode_name(u8 mode)
{
	switch (mode) {
	case PTHRU_POLICY_MODE_OFF:
		return "off";
	case PTHRU_POLICY_MODE_AUDIT:
		return "audit";
	case PTHRU_POLICY_MODE_ENFORCE:
		return "enforce";
	}
	return "unknown";
}

/**
 * pthru_outcome_name() - the word for an outcome
 * @outcome: enum pthru_outcome
 *
 * Return: "allowed", "denied", "audited", "unevaluated", or "unknown".
 */
const char *pthru_outcome_name(u8 outcome)
{
	switch (outcome) {
	case PTHRU_OUTCOME_ALLOWED:
		return "allowed";
	case PTHRU_OUTCOME_DENIED:
		return "denied";
	case PTHRU_OUTCOME_AUDITED:
		return "audited";
	case PTHRU_OUTCOME_UNEVALUATED:
		return "unevaluated";
	}
	return "unknown";
}

/**
 * pthru_policy_reqs_str() - requirement names, comma-separated
 * @reqs: PTHRU_POLICY_REQ_* bits; unknown bits print as "unknown"
 * @buf: where to write; PTHRU_POLICY_REQS_BUFSZ holds every name
 * @size: size of @buf, not 0
 *
 * Return: @buf; "" when @reqs is 0, cut short when @buf is too small.
 */
char *pthru_policy_reqs_str(u32 reqs, char *buf, size_t size)
{
	size_t len = 0;
	u32 bit;

	buf[0] = '\0';
	while (reqs && len < size) {
		bit = reqs & -reqs;
		reqs &= ~bit;
		len += scnprintf(buf + len, size - len, "%s%s", len ? "," : "",
				 pthru_policy_req_name(bit));
	}
	return buf;
}

/**
 * pthru_policy_count() - count one gated bind
 * @outcome: enum pthru_outcome
 *
 * Unevaluated binds (off mode, or a function pthru could not find) have
 * no counter of their own; the gate counts an unevaluated bind that it
 * refused in enforce mode as denied, so that "denied" is every bind the
 * gate refused.
 */
void pthru_policy_count(u8 outcome)
{
	switch (outcome) {
	case PTHRU_OUTCOME_ALLOWED:
		atomic64_inc(&nr_allowed);
		break;
	case PTHRU_OUTCOME_DENIED:
		atomic64_inc(&nr_denied);
		break;
	case PTHRU_OUTCOME_AUDITED:
		atomic64_inc(&nr_audited);
		break;
	}
}

/**
 * pthru_policy_counters() - the counters since load
 * @allowed: binds the policy allowed
 * @denied: binds it refused in enforce mode
 * @audited: binds it would have refused, allowed in audit mode
 */
void pthru_policy_counters(u64 *allowed, u64 *denied, u64 *audited)
{
	*allowed = atomic64_read(&nr_allowed);
	*denied = atomic64_read(&nr_denied);
	*audited = atomic64_read(&nr_audited);
}
