/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor's event lines, shared with the unit tests.
 */
#ifndef PTHRUCTL_MONITOR_H
#define PTHRUCTL_MONITOR_H

#include <stdbool.h>
#include <stdio.h>

#include "dev.h"
#include "finding.h"
#include "nl.h"
#include "policy.h"

/* The multicast groups the monitor joined. */
struct monitor_groups {
	bool inventory;		/* dev-*, acs-change */
	bool alerts;		/* hazard-*, decision, policy-change */
	int alerts_err;		/* -EPERM when alerts was refused, else 0 */
};

/* Join multicast group @id on the socket behind @ctx; 0 or -errno. */
typedef int (*monitor_join_t)(void *ctx, uint32_t id);

/*
 * Join the inventory and alerts groups of @fam with @join.  Joining alerts
 * needs CAP_NET_ADMIN: refused (EPERM), the monitor runs with inventory
 * only, as *@joined says.  A module before the split has one group,
 * "events", which carries both.  Returns 0, -ENOENT when @fam lacks the
 * groups, or the error of a join.
 */
int monitor_join_groups(const struct nl_family *fam, monitor_join_t join,
			void *ctx, struct monitor_groups *joined);

/*
 * Unless alerts was joined, one line on @out saying which events the
 * monitor cannot see and why.
 */
void monitor_alerts_note(FILE *out, const struct monitor_groups *joined);

/* "dev-add" etc. for a notification command (*_NTF), NULL for others. */
const char *monitor_event_name(int cmd);

/* Does the event of @cmd carry a finding (else it carries a device)? */
bool monitor_event_has_finding(int cmd);

/*
 * One device event on one line, flushed:
 * "dev-add ADDR VVVV:DDDD driver=NAME",
 * "acs-change ADDR VVVV:DDDD acs_ctrl=XXXX baseline=XXXX",
 * or {"event":"dev-add","dev":{...}} with @json.
 */
void monitor_print_event(FILE *out, const char *event,
			 const struct dev_view *dev, bool json);

/*
 * One finding event on one line, flushed:
 * "hazard-raise PTHRU-006 acs-missing high 0000:04:00.0 MESSAGE",
 * or {"event":"hazard-raise","generation":N,"finding":{...}} with @json.
 */
void monitor_print_finding(FILE *out, const char *event,
			   const struct hazard_msg *msg,
			   const struct finding *f, bool json);

/*
 * A gated bind on one line, flushed:
 * "decision ADDR DRIVER OUTCOME [rule ID ["LABEL"]|default] [unmet A,B]
 * pid=P uid=U comm=C", or {"event":"decision","decision":{...}} with @json.
 */
void monitor_print_decision(FILE *out, const struct policy_decision *d,
			    bool json);

/*
 * A policy change on one line, flushed:
 * "policy-change generation=G mode=M locked=yes|no rules=N", or
 * {"event":"policy-change","policy":{...,"rule_count":N}} with @json.
 */
void monitor_print_policy_change(FILE *out, const struct policy_info *info,
				 bool json);

#endif /* PTHRUCTL_MONITOR_H */
