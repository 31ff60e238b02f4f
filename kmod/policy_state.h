/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The installed bind policy: mode, gated drivers, default and rules, as one
 * immutable object that is replaced whole, plus the lock and the counters.
 *
 * Readers (the gate's probe wrapper, netlink replies) take a reference and
 * see one consistent policy; writers build a new object, validate it, and
 * publish it under a mutex, so a rejected change leaves nothing behind.
 */
#ifndef _PTHRU_POLICY_STATE_H
#define _PTHRU_POLICY_STATE_H

#include <linux/kref.h>
#include <linux/netlink.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <uapi/linux/pthru.h>

#include "core/pciaddr.h"
#include "core/policy.h"
#include "state.h"

/* Most gated driver names; each is an exact name or "*suffix". */
#define PTHRU_GATED_MAX		16

/**
 * struct pthru_active_policy - one complete, validated policy
 * @ref: readers hold a reference while they use it
 * @rcu: freed after a grace period once the last reference is gone
 * @generation: incremented by every published change
 * @mode: enum pthru_policy_mode (uapi)
 * @nr_gated: number of entries in @gated
 * @gated: driver names whose binds are evaluated
 * @policy: the core policy; @policy.rules points at @rules
 * @rules: @policy.nr_rules rules, in evaluation order
 */
struct pthru_active_policy {
	struct kref ref;
	struct rcu_head rcu;
	u32 generation;
	u8 mode;
	u32 nr_gated;
	char gated[PTHRU_GATED_MAX][PTHRU_DRIVER_NAME_LEN];
	struct pthru_policy policy;
	struct pthru_policy_rule rules[];
};

/**
 * struct pthru_decision_event - what a gated bind became, for the events
 *	group and the Linux audit log
 * @addr: the function, "DDDD:BB:DD.F"
 * @driver: the driver it was being bound to
 * @decision: the verdict and why (meaningless when @evaluated is false)
 * @evaluated: the policy was evaluated (false in off mode, or when the
 *	function was not in pthru's inventory)
 * @outcome: enum pthru_outcome (uapi)
 * @mode: enum pthru_policy_mode in force
 * @policy_generation: generation of the policy that decided
 * @pid: the process that asked for the bind (captured at BIND_DRIVER,
 *	because the probe itself may run in a kworker)
 * @uid: its real uid in the initial user namespace
 * @comm: its name
 */
struct pthru_decision_event {
	char addr[PTHRU_PCIADDR_BUFSZ];
	char driver[PTHRU_DRIVER_NAME_LEN];
	struct pthru_decision decision;
	bool evaluated;
	u8 outcome;
	u8 mode;
	u32 policy_generation;
	pid_t pid;
	u32 uid;
	char comm[TASK_COMM_LEN];
};

int pthru_policy_state_init(const char *initial_mode);
void pthru_policy_state_exit(void);

/* A new policy with room for @nr_rules rules, zeroed, one reference. */
struct pthru_active_policy *pthru_policy_alloc(u32 nr_rules);
/* The installed policy, with a reference taken; never NULL after init. */
struct pthru_active_policy *pthru_policy_active_get(void);
void pthru_policy_active_put(struct pthru_active_policy *ap);

/*
 * Validate @next (core rules check, gated names, mode) and install it:
 * its generation becomes the current one plus one.  Consumes the caller's
 * reference either way.  -EPERM when locked, -EINVAL with an extack
 * message naming the bad rule; on error nothing changes.
 */
int pthru_policy_install(struct pthru_active_policy *next,
			 struct netlink_ext_ack *extack);

/* Lock until reboot: no change is accepted and the module stays loaded. */
void pthru_policy_lock(void);
bool pthru_policy_locked(void);

/* Whether @driver is one of @ap's gated drivers. */
bool pthru_policy_gates(const struct pthru_active_policy *ap,
			const char *driver);

/*
 * Evaluate @policy for binding @pdev to @driver, from @state (the
 * function must be in its snapshot; -ENODEV otherwise).  Reads the slot
 * name and the Device Serial Number from @pdev.  Does not sleep.
 */
int pthru_policy_evaluate(const struct pthru_policy *policy,
			  const struct pthru_state *state,
			  struct pci_dev *pdev, const char *driver,
			  struct pthru_decision *out);

/* Stable words for logs and audit records; "unknown" out of range. */
const char *pthru_policy_mode_name(u8 mode);
const char *pthru_outcome_name(u8 outcome);

/* Room for every requirement name, comma-separated. */
#define PTHRU_POLICY_REQS_BUFSZ	128
/* Requirement names of @reqs in bit order, comma-separated; "" for none. */
char *pthru_policy_reqs_str(u32 reqs, char *buf, size_t size);

/* Count one outcome; read the counters. */
void pthru_policy_count(u8 outcome);
void pthru_policy_counters(u64 *allowed, u64 *denied, u64 *audited);

#endif /* _PTHRU_POLICY_STATE_H */
