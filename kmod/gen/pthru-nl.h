/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pthru.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_PTHRU_GEN_H
#define _LINUX_PTHRU_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/pthru.h>

/* Common nested types */
extern const struct nla_policy pthru_rule_nl_policy[PTHRU_A_RULE_PAD + 1];

extern const struct nla_policy pthru_status_get_nl_policy[PTHRU_A_STATUS_VERSION + 1];

extern const struct nla_policy pthru_dev_get_nl_policy[PTHRU_A_DEV_ADDR + 1];

extern const struct nla_policy pthru_group_get_nl_policy[PTHRU_A_GROUP_ID + 1];

extern const struct nla_policy pthru_hazard_get_nl_policy[PTHRU_A_HAZARD_ADDR + 1];

extern const struct nla_policy pthru_audit_nl_policy[PTHRU_A_AUDIT_GENERATION + 1];

extern const struct nla_policy pthru_policy_get_nl_policy[PTHRU_A_POLICY_GENERATION + 1];

extern const struct nla_policy pthru_policy_set_nl_policy[PTHRU_A_POLICY_GATED_DRIVER + 1];

extern const struct nla_policy pthru_rule_get_nl_policy[PTHRU_A_POLICY_RULE_ID + 1];

extern const struct nla_policy pthru_policy_replace_nl_policy[PTHRU_A_POLICY_RULE + 1];

extern const struct nla_policy pthru_policy_test_nl_policy[PTHRU_A_POLICY_TEST_DRIVER + 1];

extern const struct nla_policy pthru_map_get_nl_policy[PTHRU_A_MAPPING_IOVA + 1];

extern const struct nla_policy pthru_stats_get_nl_policy[PTHRU_A_STATS_DOMAIN_ID + 1];

extern const struct nla_policy pthru_map_verify_nl_policy[PTHRU_A_VERIFY_GROUP_ID + 1];

/* Ops table for pthru */
extern const struct genl_ops pthru_nl_ops[13];

int pthru_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pthru_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pthru_nl_hazard_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_hazard_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int pthru_nl_audit_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pthru_nl_policy_replace_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_policy_test_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_map_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_map_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pthru_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_map_verify_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	PTHRU_NLGRP_EVENTS,
};

#endif /* _LINUX_PTHRU_GEN_H */
