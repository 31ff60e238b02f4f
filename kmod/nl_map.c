// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow requests of the pthru family: map-get (do and dump) and
 * stats-get.  A range's host physical address goes only to readers with
 * CAP_SYS_ADMIN (pthru_nl_may_see_phys()); others get phys-hidden.
 *
 * They read the shadow (shadow.c), not the inventory: no request here
 * rebuilds the snapshot.  A dump copies one range at a time under its
 * domain's lock and resumes from the end of the last range sent, so a
 * domain that changes between two calls may repeat bytes but never omits
 * a range it held throughout (pthru_iv_get()).  The dump's sequence is
 * the shadow's generation, which moves when a domain starts or stops being
 * tracked, so such a change marks the dump interrupted.
 *
 * stats-get's flushes and wait-* come from the flush windows of
 * flush_probe.c: one domain's with a domain-id, otherwise the global one,
 * which also holds the windows of domains that went away.  wait-p50-ns and
 * wait-p99-ns are the upper bounds of log2 buckets (never below the true
 * value, less than twice it).  A global reply adds the dma-* window of
 * DMA-API domains when flush_window_dma=1 measures one.
 */
#include <linux/iommu.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "compat.h"
#include "flush_probe.h"
#include "gen/pthru-nl.h"
#include "nl_family.h"
#include "shadow.h"

/* cb->args[] slots of a map-get dump. */
enum {
	DUMP_IDX = PTHRU_NL_DUMP_FIRST,	/* slot of the domain being sent */
	DUMP_ID,			/* its id; 0: start the next domain */
	DUMP_FROM,			/* end of the last range sent */
	DUMP_GROUP,			/* its group + 1; 0: none */
};

struct map_filter {
	bool has_group;
	u32 group_id;
	u64 iova;
};

static u32 map_prot(u32 prot)
{
	BUILD_BUG_ON(PTHRU_MAP_PROT_READ != IOMMU_READ);
	BUILD_BUG_ON(PTHRU_MAP_PROT_WRITE != IOMMU_WRITE);
	BUILD_BUG_ON(PTHRU_MAP_PROT_CACHE != IOMMU_CACHE);
	BUILD_BUG_ON(PTHRU_MAP_PROT_NOEXEC != IOMMU_NOEXEC);
	BUILD_BUG_ON(PTHRU_MAP_PROT_MMIO != IOMMU_MMIO);
	BUILD_BUG_ON(PTHRU_MAP_PROT_PRIV != IOMMU_PRIV);
	return prot & (PTHRU_MAP_PROT_READ | PTHRU_MAP_PROT_WRITE |
		       PTHRU_MAP_PROT_CACHE | PTHRU_MAP_PROT_NOEXEC |
		       PTHRU_MAP_PROT_MMIO | PTHRU_MAP_PROT_PRIV);
}

static void parse_filter(struct nlattr **attrs, struct map_filter *filter)
{
	memset(filter, 0, sizeof(*filter));
	if (attrs[PTHRU_A_MAPPING_GROUP_ID]) {
		filter->has_group = true;
		filter->group_id = nla_get_u32(attrs[PTHRU_A_MAPPING_GROUP_ID]);
	}
	if (attrs[PTHRU_A_MAPPING_IOVA])
		filter->iova = nla_get_u64(attrs[PTHRU_A_MAPPING_IOVA]);
}

static size_t mapping_size(void)
{
	return 2 * nla_total_size(sizeof(u32)) +	/* group-id, domain-id */
	       nla_total_size(sizeof(u32)) +		/* domain-type */
	       3 * nla_total_size_64bit(sizeof(u64)) +	/* iova, phys, size */
	       nla_total_size(sizeof(u32)) +		/* prot */
	       2 * nla_total_size(sizeof(u32));		/* incomplete, hidden */
}

/*
 * @group: the group, or -1 for a domain no group is attached to.
 * @with_phys: the reader may see host physical addresses; otherwise
 * phys-hidden says that phys was left out.
 */
static int put_mapping(struct sk_buff *msg, s32 group,
		       const struct pthru_shadow_domain *d,
		       const struct pthru_iv_range *r, bool with_phys)
{
	if (group >= 0 && nla_put_u32(msg, PTHRU_A_MAPPING_GROUP_ID, group))
		return -EMSGSIZE;
	if (with_phys ?
	    nla_put_u64_64bit(msg, PTHRU_A_MAPPING_PHYS, r->phys,
			      PTHRU_A_MAPPING_PAD) :
	    nla_put_u32(msg, PTHRU_A_MAPPING_PHYS_HIDDEN, 1))
		return -EMSGSIZE;
	if (nla_put_u32(msg, PTHRU_A_MAPPING_DOMAIN_ID, d->id) ||
	    nla_put_u32(msg, PTHRU_A_MAPPING_DOMAIN_TYPE, d->type) ||
	    nla_put_u64_64bit(msg, PTHRU_A_MAPPING_IOVA, r->iova,
			      PTHRU_A_MAPPING_PAD) ||
	    nla_put_u64_64bit(msg, PTHRU_A_MAPPING_SIZE, r->size,
			      PTHRU_A_MAPPING_PAD) ||
	    nla_put_u32(msg, PTHRU_A_MAPPING_PROT, map_prot(r->prot)) ||
	    nla_put_u32(msg, PTHRU_A_MAPPING_INCOMPLETE, d->incomplete))
		return -EMSGSIZE;
	return 0;
}

static int no_domain(struct netlink_ext_ack *extack, const struct nlattr *attr,
		     u32 group_id)
{
	NL_SET_BAD_ATTR(extack, attr);
	pthru_nl_set_err_msg_fmt(extack,
				 "IOMMU group %u has no domain the shadow tracks",
				 group_id);
	return -ENOENT;
}

int pthru_nl_map_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pthru_shadow_domain d;
	struct map_filter filter;
	struct pthru_iv_range r;
	struct sk_buff *msg;
	void *hdr;

	if (GENL_REQ_ATTR_CHECK(info, PTHRU_A_MAPPING_GROUP_ID) ||
	    GENL_REQ_ATTR_CHECK(info, PTHRU_A_MAPPING_IOVA)) {
		GENL_SET_ERR_MSG(info, "map-get needs group-id and iova (dump for every range)");
		return -EINVAL;
	}
	parse_filter(info->attrs, &filter);
	if (!pthru_shadow_find_group(filter.group_id, &d))
		return no_domain(info->extack,
				 info->attrs[PTHRU_A_MAPPING_GROUP_ID],
				 filter.group_id);
	if (!pthru_shadow_lookup(&d, filter.iova, &r)) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[PTHRU_A_MAPPING_IOVA]);
		pthru_nl_set_err_msg_fmt(info->extack,
					 "no range of group %u's domain holds iova 0x%llx",
					 filter.group_id, filter.iova);
		return -ENOENT;
	}
	msg = pthru_nl_new_reply(info, mapping_size(), &hdr);
	if (!msg)
		return -ENOMEM;
	return pthru_nl_send_reply(info, msg, hdr,
				   put_mapping(msg, filter.group_id, &d, &r,
					       pthru_nl_may_see_phys(skb)));
}

/*
 * Send @d's ranges from the cursor on.  Return: false when the buffer
 * filled up (the cursor says where to resume), true when the domain is
 * done.
 */
static bool dump_domain(struct sk_buff *skb, struct netlink_callback *cb,
			const struct pthru_shadow_domain *d, s32 group)
{
	struct pthru_iv_range r;
	void *hdr;

	while (pthru_shadow_get(d, cb->args[DUMP_FROM], &r)) {
		hdr = pthru_nl_dump_start_record(skb, cb, PTHRU_CMD_MAP_GET);
		if (!hdr)
			return false;
		if (put_mapping(skb, group, d, &r,
				pthru_nl_may_see_phys(cb->skb))) {
			genlmsg_cancel(skb, hdr);
			return false;
		}
		genlmsg_end(skb, hdr);
		cb->args[DUMP_FROM] = r.iova + r.size;
		/* A range that ends at the top of the IOVA space is the last. */
		if (!cb->args[DUMP_FROM])
			return true;
	}
	return true;
}

/* The domain the dump is in, or the next one; false when none is left. */
static bool dump_next_domain(struct netlink_callback *cb,
			     const struct map_filter *filter,
			     struct pthru_shadow_domain *d)
{
	u32 idx = cb->args[DUMP_IDX];

	while (pthru_shadow_next(&idx, d)) {
		if (cb->args[DUMP_ID] && d->id != cb->args[DUMP_ID]) {
			/* Ours was freed: its slot went to another domain. */
			cb->args[DUMP_ID] = 0;
		}
		if (!cb->args[DUMP_ID]) {
			cb->args[DUMP_ID] = d->id;
			cb->args[DUMP_FROM] = filter->iova;
			cb->args[DUMP_GROUP] = pthru_shadow_group_of(d->domain) + 1;
		}
		cb->args[DUMP_IDX] = d->idx;
		return true;
	}
	cb->args[DUMP_IDX] = idx;
	return false;
}

/*
 * One message per range, domain after domain in slot order, each in IOVA
 * order.  With a group-id, the dump stays on the domain the group had
 * when it started.
 */
int pthru_nl_map_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *attrs[PTHRU_A_MAPPING_MAX + 1];
	bool first = !cb->args[PTHRU_NL_DUMP_STARTED];
	struct pthru_shadow_totals totals;
	struct pthru_shadow_domain d;
	struct map_filter filter;
	int ret;

	ret = pthru_nl_dump_parse(cb, attrs);
	if (ret)
		return ret;
	parse_filter(attrs, &filter);
	cb->args[PTHRU_NL_DUMP_STARTED] = 1;
	pthru_shadow_totals(&totals);
	cb->seq = totals.generation;

	if (filter.has_group) {
		if (first) {
			if (!pthru_shadow_find_group(filter.group_id, &d))
				return no_domain(cb->extack,
						 attrs[PTHRU_A_MAPPING_GROUP_ID],
						 filter.group_id);
			cb->args[DUMP_ID] = d.id;
			cb->args[DUMP_FROM] = filter.iova;
		} else if (!cb->args[DUMP_ID] ||
			   !pthru_shadow_find_id(cb->args[DUMP_ID], &d)) {
			return skb->len;	/* done, or the domain is gone */
		}
		if (dump_domain(skb, cb, &d, filter.group_id))
			cb->args[DUMP_ID] = 0;
		return pthru_nl_dump_result(skb, cb->args[DUMP_ID] != 0);
	}

	while (dump_next_domain(cb, &filter, &d)) {
		if (!dump_domain(skb, cb, &d, (s32)cb->args[DUMP_GROUP] - 1))
			return pthru_nl_dump_result(skb, true);
		cb->args[DUMP_IDX]++;
		cb->args[DUMP_ID] = 0;
	}
	return skb->len;
}

static size_t stats_size(void)
{
	return 3 * nla_total_size(sizeof(u32)) +	/* domain-id, domains, */
							/* range-bytes */
	       nla_total_size(sizeof(u32)) +		/* armed */
	       nla_total_size(sizeof(u32)) +		/* incomplete-domains */
	       9 * nla_total_size_64bit(sizeof(u64)) +	/* ranges .. wait-p99 */
	       6 * nla_total_size_64bit(sizeof(u64)) +	/* dma-* */
	       5 * nla_total_size(sizeof(u32)) +	/* status .. nodes */
	       5 * nla_total_size_64bit(sizeof(u64));	/* unwrapped, mem-* */
}

/* Attribute numbers of one window's counters. */
struct window_attrs {
	int flushes, count, max, p50, p99;
};

static const struct window_attrs shadow_window = {
	PTHRU_A_STATS_FLUSHES, PTHRU_A_STATS_WAIT_COUNT,
	PTHRU_A_STATS_WAIT_MAX_NS, PTHRU_A_STATS_WAIT_P50_NS,
	PTHRU_A_STATS_WAIT_P99_NS,
};

static const struct window_attrs dma_window = {
	PTHRU_A_STATS_DMA_FLUSHES, PTHRU_A_STATS_DMA_WAIT_COUNT,
	PTHRU_A_STATS_DMA_WAIT_MAX_NS, PTHRU_A_STATS_DMA_WAIT_P50_NS,
	PTHRU_A_STATS_DMA_WAIT_P99_NS,
};

static int put_window(struct sk_buff *msg, const struct window_attrs *a,
		      const struct pthru_fw_window *w)
{
	const struct {
		int type;
		u64 value;
	} window[] = {
		{ a->flushes, w->flushes },
		{ a->count, w->wait.count },
		{ a->max, w->wait.max },
		{ a->p50, pthru_fw_hist_percentile(&w->wait, 500) },
		{ a->p99, pthru_fw_hist_percentile(&w->wait, 990) },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(window); i++)
		if (nla_put_u64_64bit(msg, window[i].type, window[i].value,
				      PTHRU_A_STATS_PAD))
			return -EMSGSIZE;
	return 0;
}

/* What the shadow is doing and what its memory is: the same in every reply. */
static int put_shadow_state(struct sk_buff *msg,
			    const struct pthru_shadow_totals *t)
{
	const struct {
		int type;
		u64 value;
	} mem[] = {
		{ PTHRU_A_STATS_UNWRAPPED_DOMAINS, t->unwrapped },
		{ PTHRU_A_STATS_MEM_BYTES, t->mem_used },
		{ PTHRU_A_STATS_MEM_MAX_BYTES, t->mem_max },
		{ PTHRU_A_STATS_MEM_REFUSED, t->mem_refused },
		{ PTHRU_A_STATS_MEM_FAILED, t->mem_failed },
	};
	unsigned int i;

	if (nla_put_u32(msg, PTHRU_A_STATS_STATUS, t->status) ||
	    nla_put_u32(msg, PTHRU_A_STATS_BLIND, t->blind) ||
	    nla_put_u32(msg, PTHRU_A_STATS_WRAPPED_DOMAINS, t->wrapped))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(mem); i++)
		if (nla_put_u64_64bit(msg, mem[i].type, mem[i].value,
				      PTHRU_A_STATS_PAD))
			return -EMSGSIZE;
	return 0;
}

/* @dma: the DMA-API window, or NULL when none is measured or @d is set. */
static int put_stats(struct sk_buff *msg, const struct pthru_shadow_totals *t,
		     const struct pthru_shadow_domain *d,
		     const struct pthru_fw_window *w,
		     const struct pthru_fw_window *dma, u64 dma_untracked)
{
	u64 ranges = d ? d->st.nr_ranges : t->ranges;

	if (d && nla_put_u32(msg, PTHRU_A_STATS_DOMAIN_ID, d->id))
		return -EMSGSIZE;
	if (nla_put_u32(msg, PTHRU_A_STATS_ARMED, t->armed) ||
	    nla_put_u32(msg, PTHRU_A_STATS_DOMAINS, d ? 1 : t->domains) ||
	    nla_put_u64_64bit(msg, PTHRU_A_STATS_RANGES, ranges,
			      PTHRU_A_STATS_PAD) ||
	    nla_put_u32(msg, PTHRU_A_STATS_RANGE_BYTES,
			sizeof(struct pthru_iv_node)) ||
	    nla_put_u64_64bit(msg, PTHRU_A_STATS_MAPS, d ? d->st.maps : t->maps,
			      PTHRU_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, PTHRU_A_STATS_UNMAPS,
			      d ? d->st.unmaps : t->unmaps, PTHRU_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, PTHRU_A_STATS_LOST, d ? d->st.lost : t->lost,
			      PTHRU_A_STATS_PAD) ||
	    nla_put_u32(msg, PTHRU_A_STATS_INCOMPLETE_DOMAINS,
			d ? d->incomplete : t->incomplete_domains) ||
	    put_window(msg, &shadow_window, w))
		return -EMSGSIZE;
	if (dma && (put_window(msg, &dma_window, dma) ||
		    nla_put_u64_64bit(msg, PTHRU_A_STATS_DMA_UNTRACKED,
				      dma_untracked, PTHRU_A_STATS_PAD)))
		return -EMSGSIZE;
	if (d && (nla_put_u32(msg, PTHRU_A_STATS_NODES_USED,
			      d->nodes_total - d->nodes_free) ||
		  nla_put_u32(msg, PTHRU_A_STATS_NODES_RESERVED, d->nodes_free)))
		return -EMSGSIZE;
	return put_shadow_state(msg, t);
}

int pthru_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pthru_shadow_domain d, *one = NULL;
	struct pthru_shadow_totals totals;
	struct pthru_fw_window *win, *dma = NULL;
	u64 dma_untracked = 0;
	struct nlattr *attr = info->attrs[PTHRU_A_STATS_DOMAIN_ID];
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (attr) {
		if (!pthru_shadow_find_id(nla_get_u32(attr), &d)) {
			NL_SET_BAD_ATTR(info->extack, attr);
			pthru_nl_set_err_msg_fmt(info->extack,
						 "no tracked domain %u",
						 nla_get_u32(attr));
			return -ENOENT;
		}
		one = &d;
	}
	/* Two histograms each: too big for the stack. */
	win = kmalloc_array(2, sizeof(*win), GFP_KERNEL);
	if (!win)
		return -ENOMEM;
	/* A domain freed since the find reads as an empty window. */
	if (one) {
		pthru_flush_domain(one->idx, one->id, win);
	} else {
		pthru_flush_global(win);
		if (pthru_flush_dma(&win[1], &dma_untracked))
			dma = &win[1];
	}
	pthru_shadow_totals(&totals);
	msg = pthru_nl_new_reply(info, stats_size(), &hdr);
	if (!msg) {
		kfree(win);
		return -ENOMEM;
	}
	err = pthru_nl_send_reply(info, msg, hdr,
				  put_stats(msg, &totals, one, win, dma,
					    dma_untracked));
	kfree(win);
	return err;
}
