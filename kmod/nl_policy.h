/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Announcements of the bind gate on the events group.
 */
#ifndef _PTHRU_NL_POLICY_H
#define _PTHRU_NL_POLICY_H

#include <linux/skbuff.h>

#include "policy_state.h"

/* A decision-ntf with one decision nest; may sleep (GFP_KERNEL). */
void pthru_nl_notify_decision(const struct pthru_decision_event *ev);
/* A policy-change-ntf carrying what policy-get would answer now. */
void pthru_nl_notify_policy_change(void);

/*
 * The events group's sending side, shared with the other events
 * (nl_notify.c): whether anybody listens, and sending a finished message
 * (consumed).  Both may sleep.
 */
bool pthru_nl_nobody_listens(void);
void pthru_nl_multicast(struct sk_buff *msg, void *hdr);

#endif /* _PTHRU_NL_POLICY_H */
