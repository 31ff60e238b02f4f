// SPDX-License-Identifier: GPL-2.0
/*
 * Linux audit records of the bind gate.
 *
 * Type AUDIT_KERNEL_OTHER (1316), the type the audit uapi reserves for
 * third-party modules.  The alternatives all belong to someone: the
 * AUDIT_MAC_* types are the LSMs' (an ausearch -m MAC_POLICY_LOAD would
 * mix pthru's records with SELinux policy loads), AUDIT_CONFIG_CHANGE is
 * the audit subsystem's own configuration, and AUDIT_DEV_* is for
 * SELinux-era device allocation.  Every record starts with op=pthru-... so
 * "ausearch -m KERNEL_OTHER" plus a grep on op= finds them.
 *
 * Records are emitted whether or not auditing is enabled (audit_enabled),
 * as the LSMs do for their denials: a refused bind is a security decision
 * an administrator must be able to find.  Without auditd the kernel's
 * kauditd thread prints each record to the kernel log ("audit: type=1316
 * ..."), subject to printk_ratelimit(); with audit=0 on the command line
 * audit_log_start() returns NULL and nothing is recorded.
 *
 * Fields are key=value without spaces.  Strings that could come from
 * userspace (a process name, a driver name) are written the way
 * audit_log_untrustedstring() writes them, which is not exported: quoted,
 * or hex-encoded when they hold a space, a quote or a control character,
 * so that ausearch -i decodes them.  A field that does not apply is "?",
 * as elsewhere in audit records.  A policy change is made by the process
 * sending the request, so its record ends with audit_log_task_info()'s
 * standard subject fields; a bind decision may run in a kworker and logs
 * the requester pthru captured at BIND_DRIVER instead.
 */
#include <linux/audit.h>
#include <linux/sched.h>

#include "audit_log.h"

/* Like audit_string_contains_control(): what audit hex-encodes. */
static bool needs_hex(const char *str)
{
	const unsigned char *p;

	for (p = str; *p; p++)
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			return true;
	return false;
}

static void log_untrusted(struct audit_buffer *ab, const char *str)
{
	const unsigned char *p;

	if (!needs_hex(str)) {
		audit_log_format(ab, "\"%s\"", str);
		return;
	}
	for (p = str; *p; p++)
		audit_log_format(ab, "%02X", *p);
}

static void log_rule(struct audit_buffer *ab,
		     const struct pthru_decision_event *ev)
{
	char reqs[PTHRU_POLICY_REQS_BUFSZ];
	const struct pthru_decision *d = &ev->decision;

	if (!ev->evaluated) {
		audit_log_format(ab, " verdict=? rule=? unmet=?");
		return;
	}
	audit_log_format(ab, " verdict=%s",
			 pthru_policy_action_name(d->verdict));
	if (d->by_default)
		audit_log_format(ab, " rule=default");
	else
		audit_log_format(ab, " rule=%u", d->rule_id);
	audit_log_format(ab, " unmet=%s",
			 d->unmet ? pthru_policy_reqs_str(d->unmet, reqs,
							  sizeof(reqs)) :
				    "none");
}

/**
 * pthru_audit_decision() - record what became of a gated bind
 * @ev: the decision
 *
 * Sleeps (GFP_KERNEL).  Example:
 *   op=pthru-bind addr=0000:04:00.0 driver="vfio-pci" verdict=deny
 *   outcome=denied mode=enforce rule=default unmet=acs-isolated
 *   generation=1 pid=215 uid=0 comm="sh"
 */
void pthru_audit_decision(const struct pthru_decision_event *ev)
{
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_KERNEL, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "op=pthru-bind addr=%s driver=", ev->addr);
	log_untrusted(ab, ev->driver);
	log_rule(ab, ev);
	audit_log_format(ab, " outcome=%s mode=%s generation=%u pid=%d uid=%u comm=",
			 pthru_outcome_name(ev->outcome),
			 pthru_policy_mode_name(ev->mode),
			 ev->policy_generation, ev->pid, ev->uid);
	log_untrusted(ab, ev->comm);
	audit_log_end(ab);
}

/**
 * pthru_audit_policy_change() - record a change of the policy, or a refusal
 * @op: "policy-set", "policy-replace" or "lock"
 * @ap: the policy in force afterwards (the unchanged one on refusal)
 * @err: 0, or the error the change was refused with
 *
 * The process is the one asking (netlink requests run in its context).
 * Sleeps (GFP_KERNEL).  Example:
 *   op=pthru-policy-replace generation=3 mode=enforce rules=12 locked=0
 *   res=1 ppid=1 pid=230 auid=4294967295 uid=0 gid=0 euid=0 ... ses=...
 *   comm="pthructl" exe="/usr/bin/pthructl"
 */
void pthru_audit_policy_change(const char *op,
			       const struct pthru_active_policy *ap, int err)
{
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_KERNEL, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "op=pthru-%s generation=%u mode=%s rules=%u locked=%d res=%d",
			 op, ap->generation, pthru_policy_mode_name(ap->mode),
			 ap->policy.nr_rules, pthru_policy_locked(), !err);
	if (err)
		audit_log_format(ab, " errno=%d", -err);
	audit_log_task_info(ab);
	audit_log_end(ab);
}
