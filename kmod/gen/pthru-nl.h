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

int pthru_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pthru_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pthru_nl_hazard_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int pthru_nl_audit_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pthru_nl_policy_replace_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_policy_test_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_policy_test_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int pthru_nl_map_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_map_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pthru_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int pthru_nl_map_verify_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	PTHRU_NLGRP_INVENTORY,
	PTHRU_NLGRP_ALERTS,
};

extern struct genl_family pthru_nl_family;

#endif /* _LINUX_PTHRU_GEN_H */
