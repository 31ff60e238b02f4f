// SPDX-License-Identifier: GPL-2.0
/*
 * The pthru generic netlink family: registration, request handlers and
 * event notifications.
 *
 * The operation table and request policies are generated from the spec
 * (gen/pthru-nl.c).  That file is included here instead of being compiled
 * on its own because its multicast group table is static and belongs to
 * the family defined below.
 *
 * Every request rebuilds the inventory first, so that it answers with the
 * host as it is now.  Handlers run in parallel (the family does not use
 * genl_mutex); the snapshot store does its own locking.
 *
 * Dumps hold no snapshot between calls (the generated table has no .done
 * to release one): each call resumes after the last key it sent, which
 * stays correct when a newer snapshot replaces the one the dump began
 * with.  The snapshot's generation is the dump's sequence number, so a
 * dump that spans a change is flagged NLM_F_DUMP_INTR.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "core/pciaddr.h"
#include "gen/pthru-nl.c"
#include "netlink.h"
#include "nl_fill.h"
#include "store.h"

static struct genl_family pthru_nl_family = {
	.name		= PTHRU_FAMILY_NAME,
	.version	= PTHRU_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.ops		= pthru_nl_ops,
	.n_ops		= ARRAY_SIZE(pthru_nl_ops),
	.mcgrps		= pthru_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pthru_nl_mcgrps),
	.netnsok	= false,
	.parallel_ops	= true,
};

/* cb->args[] slots of a dump in progress. */
enum {
	DUMP_STARTED,	/* the first call has rebuilt the inventory */
	DUMP_HAVE_LAST,	/* at least one record was sent */
	DUMP_LAST_KEY,	/* address or group id of the last record sent */
};

static struct pthru_snapshot *fresh_snapshot(struct netlink_ext_ack *extack)
{
	struct pthru_snapshot *snap = pthru_store_refresh(false);

	if (IS_ERR(snap))
		NL_SET_ERR_MSG(extack, "cannot read the PCI inventory");
	return snap;
}

static struct sk_buff *new_reply(struct genl_info *info, size_t size,
				 void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &pthru_nl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Send a reply that the caller filled with result @err. */
static int send_reply(struct genl_info *info, struct sk_buff *msg, void *hdr,
		      int err)
{
	if (err) {
		nlmsg_free(msg);
		GENL_SET_ERR_MSG(info, "reply does not fit in a message");
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int pthru_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pthru_snapshot *snap;
	struct sk_buff *msg;
	void *hdr;
	int err;

	snap = fresh_snapshot(info->extack);
	if (IS_ERR(snap))
		return PTR_ERR(snap);

	msg = new_reply(info, pthru_nl_status_size(), &hdr);
	if (msg)
		err = send_reply(info, msg, hdr,
				 pthru_nl_put_status(msg, snap));
	else
		err = -ENOMEM;
	pthru_snapshot_put(snap);
	return err;
}

int pthru_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	char name[PTHRU_PCIADDR_BUFSZ];
	struct pthru_snapshot *snap;
	const struct pthru_dev *func;
	struct nlattr *attr;
	struct sk_buff *msg;
	void *hdr;
	u32 addr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PTHRU_A_DEV_ADDR)) {
		GENL_SET_ERR_MSG(info, "missing attribute addr (the PCI address)");
		return -EINVAL;
	}
	attr = info->attrs[PTHRU_A_DEV_ADDR];
	/* The policy guarantees a NUL-terminated string. */
	if (pthru_pciaddr_parse(nla_data(attr), &addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "malformed PCI address (expected DDDD:BB:DD.F)");
		return -EINVAL;
	}

	snap = fresh_snapshot(info->extack);
	if (IS_ERR(snap))
		return PTR_ERR(snap);

	func = pthru_snapshot_find_dev(snap, addr);
	if (!func) {
		NL_SET_BAD_ATTR(info->extack, attr);
		pthru_nl_set_err_msg_fmt(info->extack, "no PCI function %s",
					 pthru_pciaddr_format(addr, name));
		err = -ENODEV;
		goto out;
	}

	msg = new_reply(info, pthru_nl_dev_size(), &hdr);
	if (msg)
		err = send_reply(info, msg, hdr, pthru_nl_put_dev(msg, func));
	else
		err = -ENOMEM;
out:
	pthru_snapshot_put(snap);
	return err;
}

int pthru_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct pthru_group *group = NULL;
	struct pthru_snapshot *snap;
	struct nlattr *attr;
	struct sk_buff *msg;
	void *hdr;
	u32 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PTHRU_A_GROUP_ID)) {
		GENL_SET_ERR_MSG(info, "missing attribute id (the IOMMU group number)");
		return -EINVAL;
	}
	attr = info->attrs[PTHRU_A_GROUP_ID];
	id = nla_get_u32(attr);

	snap = fresh_snapshot(info->extack);
	if (IS_ERR(snap))
		return PTR_ERR(snap);

	if (id <= S32_MAX)
		group = pthru_snapshot_find_group(snap, id);
	if (!group) {
		NL_SET_BAD_ATTR(info->extack, attr);
		pthru_nl_set_err_msg_fmt(info->extack, "no IOMMU group %u", id);
		err = -ENOENT;
		goto out;
	}

	msg = new_reply(info, pthru_nl_group_size(group), &hdr);
	if (msg)
		err = send_reply(info, msg, hdr,
				 pthru_nl_put_group(msg, snap, group));
	else
		err = -ENOMEM;
out:
	pthru_snapshot_put(snap);
	return err;
}

/* The snapshot for one call of a dump: rebuilt by the first call only. */
static struct pthru_snapshot *dump_snapshot(struct netlink_callback *cb)
{
	struct pthru_snapshot *snap;

	if (cb->args[DUMP_STARTED])
		return pthru_store_get();
	snap = fresh_snapshot(cb->extack);
	if (!IS_ERR(snap))
		cb->args[DUMP_STARTED] = 1;
	return snap;
}

/*
 * Was the record with @key sent already by an earlier call of the dump?
 * Keys are addresses or group ids, both sorted and never negative.
 */
static bool dump_sent(struct netlink_callback *cb, u32 key)
{
	return cb->args[DUMP_HAVE_LAST] &&
	       key <= (u32)cb->args[DUMP_LAST_KEY];
}

static void *dump_start_record(struct sk_buff *skb, struct netlink_callback *cb,
			       u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pthru_nl_family, NLM_F_MULTI, cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static void dump_end_record(struct sk_buff *skb, struct netlink_callback *cb,
			    void *hdr, u32 key)
{
	genlmsg_end(skb, hdr);
	cb->args[DUMP_HAVE_LAST] = 1;
	cb->args[DUMP_LAST_KEY] = key;
}

/*
 * What a dump call returns: the bytes it added, or an error when a record
 * was left that does not fit even into an empty message.
 */
static int dump_result(struct sk_buff *skb, bool stopped_early)
{
	return stopped_early && !skb->len ? -EMSGSIZE : skb->len;
}

int pthru_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pthru_snapshot *snap;
	void *hdr;
	u32 i;
	int ret;

	snap = dump_snapshot(cb);
	if (IS_ERR(snap))
		return PTR_ERR(snap);
	cb->seq = snap->generation;

	for (i = 0; i < snap->nr_devs; i++) {
		const struct pthru_dev *func = &snap->devs[i];

		if (dump_sent(cb, func->addr))
			continue;
		hdr = dump_start_record(skb, cb, PTHRU_CMD_DEV_GET);
		if (!hdr)
			break;
		if (pthru_nl_put_dev(skb, func)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		dump_end_record(skb, cb, hdr, func->addr);
	}
	ret = dump_result(skb, i < snap->nr_devs);
	pthru_snapshot_put(snap);
	return ret;
}

int pthru_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pthru_snapshot *snap;
	void *hdr;
	u32 i;
	int ret;

	snap = dump_snapshot(cb);
	if (IS_ERR(snap))
		return PTR_ERR(snap);
	cb->seq = snap->generation;

	for (i = 0; i < snap->nr_groups; i++) {
		const struct pthru_group *group = &snap->groups[i];

		if (dump_sent(cb, group->id))
			continue;
		hdr = dump_start_record(skb, cb, PTHRU_CMD_GROUP_GET);
		if (!hdr)
			break;
		if (pthru_nl_put_group(skb, snap, group)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		dump_end_record(skb, cb, hdr, group->id);
	}
	ret = dump_result(skb, i < snap->nr_groups);
	pthru_snapshot_put(snap);
	return ret;
}

/**
 * pthru_nl_notify_dev() - multicast a PCI function event
 * @cmd: PTHRU_CMD_DEV_ADD_NTF, _DEL_NTF, _BIND_NTF or _UNBIND_NTF
 * @func: the function's attributes to carry
 *
 * Sleeps (GFP_KERNEL): call from process context only.  Nothing is built
 * when nobody listens.
 */
void pthru_nl_notify_dev(u8 cmd, const struct pthru_dev *func)
{
	char name[PTHRU_PCIADDR_BUFSZ];
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&pthru_nl_family, &init_net,
				PTHRU_NLGRP_EVENTS))
		return;

	msg = genlmsg_new(pthru_nl_dev_size(), GFP_KERNEL);
	if (!msg)
		goto fail;
	hdr = genlmsg_put(msg, 0, 0, &pthru_nl_family, 0, cmd);
	if (!hdr || pthru_nl_put_dev(msg, func)) {
		nlmsg_free(msg);
		goto fail;
	}
	genlmsg_end(msg, hdr);
	/* -ESRCH only means the last listener left meanwhile. */
	genlmsg_multicast(&pthru_nl_family, msg, 0, PTHRU_NLGRP_EVENTS,
			  GFP_KERNEL);
	return;
fail:
	pr_warn_ratelimited("event %u for %s lost: cannot build the message\n",
			    cmd, pthru_pciaddr_format(func->addr, name));
}

/**
 * pthru_netlink_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int pthru_netlink_init(void)
{
	int err;

	err = genl_register_family(&pthru_nl_family);
	if (err)
		pr_err("cannot register generic netlink family %s: %d\n",
		       PTHRU_FAMILY_NAME, err);
	return err;
}

/**
 * pthru_netlink_exit() - unregister the family
 *
 * Waits for handlers and dumps in progress to finish.
 */
void pthru_netlink_exit(void)
{
	genl_unregister_family(&pthru_nl_family);
}
