/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records for the Linux audit log: gated bind decisions and policy changes.
 */
#ifndef _PTHRU_AUDIT_LOG_H
#define _PTHRU_AUDIT_LOG_H

#include "policy_state.h"

void pthru_audit_decision(const struct pthru_decision_event *ev);
/*
 * @op names the change ("policy-set", "policy-replace", "lock"); @ap is
 * the policy in force afterwards; @err is 0 or the refusal.
 */
void pthru_audit_policy_change(const char *op,
			       const struct pthru_active_policy *ap, int err);

#endif /* _PTHRU_AUDIT_LOG_H */
