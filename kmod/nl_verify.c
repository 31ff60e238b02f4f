// SPDX-License-Identifier: GPL-2.0
/*
 * map-verify: walk the shadow now (verify.c), then evaluate the rules, so
 * that what the walk found is raised, and what it no longer finds is
 * cleared, before the reply says what the walk did.  Listeners get the
 * hazard events before the reply goes out, as with audit.
 */
#include <linux/err.h>
#include <linux/minmax.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "announce.h"
#include "compat.h"
#include "core/snapshot.h"
#include "gen/pthru-nl.h"
#include "nl_family.h"
#include "store.h"
#include "verify.h"

static size_t verify_reply_size(void)
{
	return 2 * nla_total_size(sizeof(u32)) +	/* group-id, domains */
	       3 * nla_total_size_64bit(sizeof(u64)) +	/* ranges .. skipped */
	       5 * nla_total_size_64bit(sizeof(u64)) +	/* disagreements .. */
	       nla_total_size(sizeof(u32)) +		/* incomplete-domains */
	       nla_total_size(sizeof(u32));		/* generation */
}

static int put_verify(struct sk_buff *msg, s32 group_id,
		      const struct pthru_verify_result *res, u32 generation)
{
	const struct {
		int type;
		u64 value;
	} counts[] = {
		{ PTHRU_A_VERIFY_DISAGREEMENTS,
		  res->notes[PTHRU_MAP_NOTE_DISAGREES] },
		{ PTHRU_A_VERIFY_STALE, res->notes[PTHRU_MAP_NOTE_STALE] },
		{ PTHRU_A_VERIFY_IDENTITY, res->notes[PTHRU_MAP_NOTE_IDENTITY] },
		{ PTHRU_A_VERIFY_KERNEL_MEMORY,
		  res->notes[PTHRU_MAP_NOTE_KERNEL] },
		{ PTHRU_A_VERIFY_OVERREACH,
		  res->notes[PTHRU_MAP_NOTE_OVERREACH] },
	};
	unsigned int i;

	if (group_id != PTHRU_NO_GROUP &&
	    nla_put_u32(msg, PTHRU_A_VERIFY_GROUP_ID, group_id))
		return -EMSGSIZE;
	if (nla_put_u32(msg, PTHRU_A_VERIFY_DOMAINS, res->domains) ||
	    nla_put_u64_64bit(msg, PTHRU_A_VERIFY_RANGES, res->ranges,
			      PTHRU_A_VERIFY_PAD) ||
	    nla_put_u64_64bit(msg, PTHRU_A_VERIFY_TRANSLATIONS,
			      res->translations, PTHRU_A_VERIFY_PAD) ||
	    nla_put_u64_64bit(msg, PTHRU_A_VERIFY_SKIPPED, res->skipped,
			      PTHRU_A_VERIFY_PAD))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(counts); i++)
		if (nla_put_u64_64bit(msg, counts[i].type, counts[i].value,
				      PTHRU_A_VERIFY_PAD))
			return -EMSGSIZE;
	if (nla_put_u32(msg, PTHRU_A_VERIFY_INCOMPLETE_DOMAINS,
			min_t(u64, res->notes[PTHRU_MAP_NOTE_INCOMPLETE],
			      U32_MAX)) ||
	    nla_put_u32(msg, PTHRU_A_VERIFY_GENERATION, generation))
		return -EMSGSIZE;
	return 0;
}

int pthru_nl_map_verify_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PTHRU_A_VERIFY_GROUP_ID];
	struct pthru_verify_result res;
	struct pthru_state *state, *prev;
	s32 group_id = PTHRU_NO_GROUP;
	struct sk_buff *msg;
	u32 generation;
	void *hdr;
	int err;

	err = pthru_nl_require_admin(skb, info->extack);
	if (err)
		return err;
	if (attr) {
		if (nla_get_u32(attr) > S32_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "no such IOMMU group");
			return -ENOENT;
		}
		group_id = nla_get_u32(attr);
	}
	err = pthru_verify_run(group_id, &res);
	if (err == -ENOENT) {
		NL_SET_BAD_ATTR(info->extack, attr);
		pthru_nl_set_err_msg_fmt(info->extack,
					 "IOMMU group %d has no domain the shadow tracks",
					 group_id);
		return err;
	}
	if (err) {
		GENL_SET_ERR_MSG(info, "the verification walk failed");
		return err;
	}

	state = pthru_store_refresh(PTHRU_REFRESH_EVALUATE, &prev);
	if (IS_ERR(state)) {
		GENL_SET_ERR_MSG(info, "cannot read or evaluate the PCI inventory");
		return PTR_ERR(state);
	}
	pthru_state_put(prev);
	pthru_announce_flush();
	generation = state->snap->generation;
	pthru_state_put(state);

	msg = pthru_nl_new_reply(info, verify_reply_size(), &hdr);
	if (!msg)
		return -ENOMEM;
	return pthru_nl_send_reply(info, msg, hdr,
				   put_verify(msg, group_id, &res, generation));
}
