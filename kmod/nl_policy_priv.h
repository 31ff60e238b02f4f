/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the policy files of the pthru family share, and no other file
 * includes: the rules of a request and of a reply (nl_rule.c), the default
 * of a request and the policy attributes (nl_policy.c), and the verdict of
 * a decision (nl_policy_ntf.c, also used by nl_policy_test.c).
 */
#ifndef _PTHRU_NL_POLICY_PRIV_H
#define _PTHRU_NL_POLICY_PRIV_H

#include <linux/build_bug.h>
#include <linux/types.h>
#include <net/genetlink.h>

#include "core/policy.h"
#include "policy_state.h"

/*
 * Actions and requirement bits are copied between the core and the uapi
 * attributes without translation (policy_state.c asserts that the values
 * agree), and the spec's name lengths are the core's buffers less the NUL.
 */
static_assert(PTHRU_POLICY_LABEL_LEN == 63 + 1);
static_assert(PTHRU_POLICY_SLOT_LEN == 31 + 1);
static_assert(PTHRU_DRIVER_NAME_LEN == 31 + 1);

/* nl_rule.c */
bool pthru_nl_get_name(char *dst, const struct nlattr *attr, size_t size);
bool pthru_nl_token_ok(const char *name);
int pthru_nl_count_rules(const struct genl_info *info, u32 *nr);
int pthru_nl_parse_rules(const struct genl_info *info,
			 struct pthru_policy_rule *rules, u32 nr);
size_t pthru_nl_rule_size(void);
int pthru_nl_put_rule(struct sk_buff *skb,
		      const struct pthru_policy_rule *rule);

/* nl_policy.c */
int pthru_nl_parse_default(struct genl_info *info,
			   struct pthru_policy *policy);
size_t pthru_nl_policy_size(void);
int pthru_nl_put_policy(struct sk_buff *skb,
			const struct pthru_active_policy *ap);

/* nl_policy_ntf.c */
size_t pthru_nl_verdict_size(const struct pthru_decision *decision);
int pthru_nl_put_verdict(struct sk_buff *skb,
			 const struct pthru_decision *decision);

#endif /* _PTHRU_NL_POLICY_PRIV_H */
