/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's rules, run by pthructl on facts it did not get from the
 * module: a sysfs reading or a snapshot file.  Such facts can lack some
 * that the rules use (struct pthru_dev's unknown bits); a finding that
 * depends on one is reported as not established, with the reason, and
 * never as a finding.
 */
#ifndef PTHRUCTL_EVALUATE_H
#define PTHRUCTL_EVALUATE_H

#include <stdbool.h>
#include <stddef.h>

#include <core/hazard.h>
#include <core/reach.h>

#include "facts.h"
#include "finding.h"
#include "unsettled.h"

/**
 * struct evaluation - what the rules made of a struct facts
 * @iso: reachability over the facts as they were read
 * @findings: findings every reading of the unknown facts raises, sorted
 *	worst first (the command line's are the audit's to add)
 * @unsettled: what could not be established, in rule order
 * @quirk_hops: hops isolated only by a device-specific kernel quirk
 * @quirk_hops_known: @quirk_hops means something: every function's
 *	capabilities were read
 */
struct evaluation {
	struct pthru_isolation iso;
	struct finding_list findings;
	struct unsettled_list unsettled;
	u32 quirk_hops;
	bool quirk_hops_known;
};

/*
 * A copy of the finalized @src with each unknown fact at its safest (not
 * untrusted, not external-facing, ACS enabled by a quirk, MSIs isolated,
 * default domain translated), or with @worst at its worst; NULL without
 * memory.  Every rule is monotonic in these facts: what both readings
 * conclude holds whatever the truth.  Release with pthru_snapshot_put().
 */
struct pthru_snapshot *evaluate_reading(const struct pthru_snapshot *src,
					bool worst);

/*
 * Whether a source without the module can leave rule @id not established
 * (Documentation/usage.rst's table of sources lists every such rule):
 * over facts it could not read at all, or by unknown facts deciding it.
 */
bool evaluate_rule_may_be_unsettled(u32 id);

/* Evaluate @facts; 0, -ENOMEM or -EINVAL (@facts->snap not finalized). */
int evaluate_facts(const struct facts *facts, struct evaluation *ev);
void evaluation_free(struct evaluation *ev);

#endif /* PTHRUCTL_EVALUATE_H */
