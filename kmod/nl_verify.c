// SPDX-License-Identifier: GPL-2.0
/*
 * map-verify: placeholder until the verification walk lands (helper VG
 * replaces this file).
 */
#include <net/genetlink.h>

#include "gen/pthru-nl.h"

int pthru_nl_map_verify_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}
