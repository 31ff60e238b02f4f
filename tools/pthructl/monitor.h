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
#include "policy.h"

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
			 const struct pthru_dev *dev, bool json);

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
