/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Announcements of the bind gate on the events group (nl_policy_ntf.c).
 */
#ifndef _PTHRU_NL_POLICY_H
#define _PTHRU_NL_POLICY_H

#include "policy_state.h"

/* A decision-ntf with one decision nest; may sleep (GFP_KERNEL). */
void pthru_nl_notify_decision(const struct pthru_decision_event *ev);
/* A policy-change-ntf carrying what policy-get would answer now. */
void pthru_nl_notify_policy_change(void);

#endif /* _PTHRU_NL_POLICY_H */
