/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy test without the module: the module's policy-test, made by
 * pthructl over facts it gathered itself (sysfs, a snapshot file) with the
 * module's core.  The policy reaches the core as the module would receive
 * it, and each decision comes back as the module would send it, so that
 * policy_test_print() prints both alike.  A decision that rests on facts
 * the source could not establish is marked not established.
 */
#ifndef PTHRUCTL_POLICY_LOCAL_H
#define PTHRUCTL_POLICY_LOCAL_H

#include <stddef.h>

#include <core/policy.h>

#include "facts.h"
#include "policy.h"

/* Room for the one-line reason policy_local_test() gives. */
#define POLICY_LOCAL_ERR_MAX	256

/*
 * @doc as the module reads a policy-test request that policy_doc_put()
 * built: its default and rules (the rules allocated into *@rules, free
 * them), then pthru_policy_check().  Returns 0, -ENOMEM, or -EINVAL with
 * the module's extack message in @err ("rule 10: duplicate id").
 */
int policy_local_convert(const struct policy_doc *doc,
			 struct pthru_policy *policy,
			 struct pthru_policy_rule **rules, char *err,
			 size_t len);

/*
 * The module's last check of a policy it parsed: pthru_policy_check(),
 * worded as its extack would be ("rule 7: class mask without class",
 * "policy: too many rules").  Returns 0 or -EINVAL with @err set.
 */
int policy_local_check(const struct pthru_policy *policy, char *err,
		       size_t len);

/*
 * Decide @doc for binding to @driver, for every function of @facts but
 * bridges and ports, or for @addr alone (canonical, DDDD:BB:DD.F), as the
 * module's policy-test dump or do would.  Appends the decisions to @out
 * (free it with policy_decision_list_free()).  Returns 0, -ENOMEM, or
 * -EINVAL (the policy or @driver is refused) or -ENODEV (@addr is not in
 * the facts) with the one-line reason in @err.
 */
int policy_local_test(const struct facts *facts, const struct policy_doc *doc,
		      const char *addr, const char *driver,
		      struct policy_decision_list *out, char *err, size_t len);

#endif /* PTHRUCTL_POLICY_LOCAL_H */
