// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pthru.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "pthru-nl.h"

#include <uapi/linux/pthru.h>

/* PTHRU_CMD_STATUS_GET - do */
const struct nla_policy pthru_status_get_nl_policy[PTHRU_A_STATUS_VERSION + 1] = {
	[PTHRU_A_STATUS_VERSION] = { .type = NLA_NUL_STRING, },
};

/* PTHRU_CMD_DEV_GET - do */
const struct nla_policy pthru_dev_get_nl_policy[PTHRU_A_DEV_ADDR + 1] = {
	[PTHRU_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = 16, },
};

/* PTHRU_CMD_GROUP_GET - do */
const struct nla_policy pthru_group_get_nl_policy[PTHRU_A_GROUP_ID + 1] = {
	[PTHRU_A_GROUP_ID] = { .type = NLA_U32, },
};

/* PTHRU_CMD_HAZARD_GET - do */
const struct nla_policy pthru_hazard_get_nl_policy[PTHRU_A_HAZARD_ADDR + 1] = {
	[PTHRU_A_HAZARD_MIN_SEVERITY] = NLA_POLICY_MAX(NLA_U8, 4),
	[PTHRU_A_HAZARD_ADDR] = { .type = NLA_NUL_STRING, .len = 16, },
};

/* PTHRU_CMD_AUDIT - do */
const struct nla_policy pthru_audit_nl_policy[PTHRU_A_AUDIT_GENERATION + 1] = {
	[PTHRU_A_AUDIT_GENERATION] = { .type = NLA_U32, },
};

/* Ops table for pthru */
const struct genl_ops pthru_nl_ops[5] = {
	{
		.cmd		= PTHRU_CMD_STATUS_GET,
		.doit		= pthru_nl_status_get_doit,
		.policy		= pthru_status_get_nl_policy,
		.maxattr	= PTHRU_A_STATUS_VERSION,
	},
	{
		.cmd		= PTHRU_CMD_DEV_GET,
		.doit		= pthru_nl_dev_get_doit,
		.dumpit		= pthru_nl_dev_get_dumpit,
		.policy		= pthru_dev_get_nl_policy,
		.maxattr	= PTHRU_A_DEV_ADDR,
	},
	{
		.cmd		= PTHRU_CMD_GROUP_GET,
		.doit		= pthru_nl_group_get_doit,
		.dumpit		= pthru_nl_group_get_dumpit,
		.policy		= pthru_group_get_nl_policy,
		.maxattr	= PTHRU_A_GROUP_ID,
	},
	{
		.cmd		= PTHRU_CMD_HAZARD_GET,
		.doit		= pthru_nl_hazard_get_doit,
		.dumpit		= pthru_nl_hazard_get_dumpit,
		.policy		= pthru_hazard_get_nl_policy,
		.maxattr	= PTHRU_A_HAZARD_ADDR,
	},
	{
		.cmd		= PTHRU_CMD_AUDIT,
		.doit		= pthru_nl_audit_doit,
		.policy		= pthru_audit_nl_policy,
		.maxattr	= PTHRU_A_AUDIT_GENERATION,
		.flags		= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group pthru_nl_mcgrps[] = {
	[PTHRU_NLGRP_EVENTS] = { "events", },
};
