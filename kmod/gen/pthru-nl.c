// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pthru.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "pthru-nl.h"

#include <uapi/linux/pthru.h>

/* Integer value ranges */
static const struct netlink_range_validation pthru_a_rule_vendor_range = {
	.max	= U16_MAX,
};

static const struct netlink_range_validation pthru_a_rule_device_range = {
	.max	= U16_MAX,
};

static const struct netlink_range_validation pthru_a_rule_subsys_vendor_range = {
	.max	= U16_MAX,
};

static const struct netlink_range_validation pthru_a_rule_subsys_device_range = {
	.max	= U16_MAX,
};

/* Common nested types */
const struct nla_policy pthru_rule_nl_policy[PTHRU_A_RULE_PAD + 1] = {
	[PTHRU_A_RULE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PTHRU_A_RULE_LABEL] = { .type = NLA_NUL_STRING, .len = 63, },
	[PTHRU_A_RULE_ACTION] = NLA_POLICY_MAX(NLA_U32, 1),
	[PTHRU_A_RULE_REQUIREMENTS] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[PTHRU_A_RULE_VENDOR] = NLA_POLICY_FULL_RANGE(NLA_U32, &pthru_a_rule_vendor_range),
	[PTHRU_A_RULE_DEVICE] = NLA_POLICY_FULL_RANGE(NLA_U32, &pthru_a_rule_device_range),
	[PTHRU_A_RULE_SUBSYS_VENDOR] = NLA_POLICY_FULL_RANGE(NLA_U32, &pthru_a_rule_subsys_vendor_range),
	[PTHRU_A_RULE_SUBSYS_DEVICE] = NLA_POLICY_FULL_RANGE(NLA_U32, &pthru_a_rule_subsys_device_range),
	[PTHRU_A_RULE_CLASS] = { .type = NLA_U32, },
	[PTHRU_A_RULE_CLASS_MASK] = { .type = NLA_U32, },
	[PTHRU_A_RULE_ADDR] = { .type = NLA_NUL_STRING, .len = 16, },
	[PTHRU_A_RULE_SLOT] = { .type = NLA_NUL_STRING, .len = 31, },
	[PTHRU_A_RULE_DSN] = { .type = NLA_U64, },
	[PTHRU_A_RULE_DRIVER] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PTHRU_CMD_DEV_GET - do */
static const struct nla_policy pthru_dev_get_nl_policy[PTHRU_A_DEV_ADDR + 1] = {
	[PTHRU_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = 16, },
};

/* PTHRU_CMD_GROUP_GET - do */
static const struct nla_policy pthru_group_get_nl_policy[PTHRU_A_GROUP_ID + 1] = {
	[PTHRU_A_GROUP_ID] = { .type = NLA_U32, },
};

/* PTHRU_CMD_HAZARD_GET - dump */
static const struct nla_policy pthru_hazard_get_nl_policy[PTHRU_A_HAZARD_ADDR + 1] = {
	[PTHRU_A_HAZARD_MIN_SEVERITY] = NLA_POLICY_MAX(NLA_U32, 4),
	[PTHRU_A_HAZARD_ADDR] = { .type = NLA_NUL_STRING, .len = 16, },
};

/* PTHRU_CMD_POLICY_SET - do */
static const struct nla_policy pthru_policy_set_nl_policy[PTHRU_A_POLICY_GATED_DRIVER + 1] = {
	[PTHRU_A_POLICY_MODE] = NLA_POLICY_MAX(NLA_U32, 2),
	[PTHRU_A_POLICY_DEFAULT_ACTION] = NLA_POLICY_MAX(NLA_U32, 1),
	[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[PTHRU_A_POLICY_LOCKED] = NLA_POLICY_MAX(NLA_U32, 1),
	[PTHRU_A_POLICY_GATED_DRIVER] = { .type = NLA_STRING, .len = 31, },
};

/* PTHRU_CMD_RULE_GET - do */
static const struct nla_policy pthru_rule_get_nl_policy[PTHRU_A_POLICY_RULE_ID + 1] = {
	[PTHRU_A_POLICY_RULE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PTHRU_CMD_POLICY_REPLACE - do */
static const struct nla_policy pthru_policy_replace_nl_policy[PTHRU_A_POLICY_RULE + 1] = {
	[PTHRU_A_POLICY_MODE] = NLA_POLICY_MAX(NLA_U32, 2),
	[PTHRU_A_POLICY_DEFAULT_ACTION] = NLA_POLICY_MAX(NLA_U32, 1),
	[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[PTHRU_A_POLICY_GATED_DRIVER] = { .type = NLA_STRING, .len = 31, },
	[PTHRU_A_POLICY_RULE] = NLA_POLICY_NESTED(pthru_rule_nl_policy),
};

/* PTHRU_CMD_POLICY_TEST - do */
static const struct nla_policy pthru_policy_test_do_nl_policy[PTHRU_A_POLICY_TEST_DRIVER + 1] = {
	[PTHRU_A_POLICY_DEFAULT_ACTION] = NLA_POLICY_MAX(NLA_U32, 1),
	[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[PTHRU_A_POLICY_RULE] = NLA_POLICY_NESTED(pthru_rule_nl_policy),
	[PTHRU_A_POLICY_TEST_ADDR] = { .type = NLA_NUL_STRING, .len = 16, },
	[PTHRU_A_POLICY_TEST_DRIVER] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PTHRU_CMD_POLICY_TEST - dump */
static const struct nla_policy pthru_policy_test_dump_nl_policy[PTHRU_A_POLICY_TEST_DRIVER + 1] = {
	[PTHRU_A_POLICY_DEFAULT_ACTION] = NLA_POLICY_MAX(NLA_U32, 1),
	[PTHRU_A_POLICY_DEFAULT_REQUIREMENTS] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[PTHRU_A_POLICY_RULE] = NLA_POLICY_NESTED(pthru_rule_nl_policy),
	[PTHRU_A_POLICY_TEST_ADDR] = { .type = NLA_NUL_STRING, .len = 16, },
	[PTHRU_A_POLICY_TEST_DRIVER] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PTHRU_CMD_MAP_GET - do */
static const struct nla_policy pthru_map_get_do_nl_policy[PTHRU_A_MAPPING_IOVA + 1] = {
	[PTHRU_A_MAPPING_GROUP_ID] = { .type = NLA_U32, },
	[PTHRU_A_MAPPING_IOVA] = { .type = NLA_U64, },
};

/* PTHRU_CMD_MAP_GET - dump */
static const struct nla_policy pthru_map_get_dump_nl_policy[PTHRU_A_MAPPING_IOVA + 1] = {
	[PTHRU_A_MAPPING_GROUP_ID] = { .type = NLA_U32, },
	[PTHRU_A_MAPPING_IOVA] = { .type = NLA_U64, },
};

/* PTHRU_CMD_STATS_GET - do */
static const struct nla_policy pthru_stats_get_nl_policy[PTHRU_A_STATS_DOMAIN_ID + 1] = {
	[PTHRU_A_STATS_DOMAIN_ID] = { .type = NLA_U32, },
};

/* PTHRU_CMD_MAP_VERIFY - do */
static const struct nla_policy pthru_map_verify_nl_policy[PTHRU_A_VERIFY_GROUP_ID + 1] = {
	[PTHRU_A_VERIFY_GROUP_ID] = { .type = NLA_U32, },
};

/*
 * Ops that take no attribute: the kernel fills in its reject-all policy
 * only for policy dumps of split ops, so without a policy of their own
 * they would accept anything (scripts/ynl-derive.py).
 */
static const struct nla_policy pthru_reject_all_nl_policy[] = {
	[0 ... 1] = { .type = NLA_REJECT },
};

/* Ops table for pthru */
static const struct genl_split_ops pthru_nl_ops[] = {
	{
		.cmd		= PTHRU_CMD_STATUS_GET,
		.doit		= pthru_nl_status_get_doit,
		.policy		= pthru_reject_all_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_DEV_GET,
		.doit		= pthru_nl_dev_get_doit,
		.policy		= pthru_dev_get_nl_policy,
		.maxattr	= PTHRU_A_DEV_ADDR,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_DEV_GET,
		.dumpit		= pthru_nl_dev_get_dumpit,
		.policy		= pthru_reject_all_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PTHRU_CMD_GROUP_GET,
		.doit		= pthru_nl_group_get_doit,
		.policy		= pthru_group_get_nl_policy,
		.maxattr	= PTHRU_A_GROUP_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_GROUP_GET,
		.dumpit		= pthru_nl_group_get_dumpit,
		.policy		= pthru_reject_all_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PTHRU_CMD_HAZARD_GET,
		.dumpit		= pthru_nl_hazard_get_dumpit,
		.policy		= pthru_hazard_get_nl_policy,
		.maxattr	= PTHRU_A_HAZARD_ADDR,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PTHRU_CMD_AUDIT,
		.doit		= pthru_nl_audit_doit,
		.policy		= pthru_reject_all_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_POLICY_GET,
		.doit		= pthru_nl_policy_get_doit,
		.policy		= pthru_reject_all_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_POLICY_SET,
		.doit		= pthru_nl_policy_set_doit,
		.policy		= pthru_policy_set_nl_policy,
		.maxattr	= PTHRU_A_POLICY_GATED_DRIVER,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_RULE_GET,
		.doit		= pthru_nl_rule_get_doit,
		.policy		= pthru_rule_get_nl_policy,
		.maxattr	= PTHRU_A_POLICY_RULE_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_RULE_GET,
		.dumpit		= pthru_nl_rule_get_dumpit,
		.policy		= pthru_reject_all_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PTHRU_CMD_POLICY_REPLACE,
		.doit		= pthru_nl_policy_replace_doit,
		.policy		= pthru_policy_replace_nl_policy,
		.maxattr	= PTHRU_A_POLICY_RULE,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_POLICY_TEST,
		.doit		= pthru_nl_policy_test_doit,
		.policy		= pthru_policy_test_do_nl_policy,
		.maxattr	= PTHRU_A_POLICY_TEST_DRIVER,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_POLICY_TEST,
		.dumpit		= pthru_nl_policy_test_dumpit,
		.policy		= pthru_policy_test_dump_nl_policy,
		.maxattr	= PTHRU_A_POLICY_TEST_DRIVER,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PTHRU_CMD_MAP_GET,
		.doit		= pthru_nl_map_get_doit,
		.policy		= pthru_map_get_do_nl_policy,
		.maxattr	= PTHRU_A_MAPPING_IOVA,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_MAP_GET,
		.dumpit		= pthru_nl_map_get_dumpit,
		.policy		= pthru_map_get_dump_nl_policy,
		.maxattr	= PTHRU_A_MAPPING_IOVA,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PTHRU_CMD_STATS_GET,
		.doit		= pthru_nl_stats_get_doit,
		.policy		= pthru_stats_get_nl_policy,
		.maxattr	= PTHRU_A_STATS_DOMAIN_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PTHRU_CMD_MAP_VERIFY,
		.doit		= pthru_nl_map_verify_doit,
		.policy		= pthru_map_verify_nl_policy,
		.maxattr	= PTHRU_A_VERIFY_GROUP_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group pthru_nl_mcgrps[] = {
	[PTHRU_NLGRP_INVENTORY] = { .name = "inventory", },
	[PTHRU_NLGRP_ALERTS] = { .name = "alerts", .flags = GENL_MCAST_CAP_NET_ADMIN, },
};

struct genl_family pthru_nl_family __ro_after_init = {
	.name		= PTHRU_FAMILY_NAME,
	.version	= PTHRU_FAMILY_VERSION,
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= pthru_nl_ops,
	.n_split_ops	= ARRAY_SIZE(pthru_nl_ops),
	.mcgrps		= pthru_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pthru_nl_mcgrps),
};
