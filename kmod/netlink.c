// SPDX-License-Identifier: GPL-2.0
/*
 * The pthru generic netlink family: registration, the steps every handler
 * shares, and the inventory requests (status-get, dev-get, group-get).
 * The hazard requests are in nl_hazard.c, the notifications in
 * nl_notify.c.
 *
 * The family, its operation table, request policies and multicast groups
 * are generated from the spec (gen/pthru-nl.c, or gen/pthru-nl-legacy.c
 * for 6.1, see compat.h).  That file is included here instead of being
 * compiled on its own because its tables are static.  The family exists
 * in the initial network namespace only (netnsok is false).
 *
 * A request of a caller with CAP_NET_ADMIN rebuilds the inventory first,
 * so that it answers with the host as it is now; every other caller is
 * answered from the current state and never makes anybody wait for a
 * rebuild (store.c).  Handlers run in parallel (the family does not use
 * genl_mutex); the store does its own locking.
 *
 * Dumps hold no state between calls (the generated table has no .done to
 * release one): each call resumes after the last key it sent, which stays
 * correct when a newer state replaces the one the dump began with.  The
 * snapshot's generation is the dump's sequence number, so a dump that
 * spans a change is flagged NLM_F_DUMP_INTR.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <net/genetlink.h>

#include "compat.h"
#include "core/pciaddr.h"
#include PTHRU_NL_GENERATED
#include "netlink.h"
#include "nl_family.h"
#include "nl_fill.h"
#include "store.h"

/* cb->args[] slots of the dev and group dumps. */
enum {
	DUMP_HAVE_LAST = PTHRU_NL_DUMP_FIRST,	/* a record was sent */
	DUMP_LAST_KEY,		/* address or group id of the last record sent */
};

/**
 * pthru_nl_read_state() - the state to answer a read request from
 * @skb: the request, whose sender's capabilities decide
 * @extack: where to explain a failure
 *
 * CAP_NET_ADMIN (the capability that may change pthru's state) buys a
 * rebuild now; anybody else gets the current state, refreshed in the
 * background when it is old, so that no user can make pthru rebuild in a
 * loop or make a bind wait behind its requests.
 *
 * Return: a state with a reference to put, or an ERR_PTR.
 */
struct pthru_state *pthru_nl_read_state(const struct sk_buff *skb,
					struct netlink_ext_ack *extack)
{
	struct pthru_state *state;

	if (!netlink_capable(skb, CAP_NET_ADMIN))
		return pthru_store_get_cached();
	state = pthru_store_refresh(0, NULL);
	if (IS_ERR(state))
		NL_SET_ERR_MSG(extack, "cannot read the PCI inventory");
	return state;
}

/**
 * pthru_nl_require_admin() - refuse a request that changes state unless
 *	its sender has CAP_NET_ADMIN
 * @skb: the request
 * @extack: where to name the capability
 *
 * The check genetlink's admin-perm flag makes, done here so that the
 * caller is told which capability it lacks.
 *
 * Return: 0 or -EPERM.
 */
int pthru_nl_require_admin(const struct sk_buff *skb,
			   struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "needs CAP_NET_ADMIN in the initial user namespace");
	return -EPERM;
}

/**
 * pthru_nl_may_see_phys() - may the sender of @skb read physical addresses?
 * @skb: the request
 *
 * The kernel shows page frame numbers (pagemap) and /proc/iomem's
 * addresses only to CAP_SYS_ADMIN; pthru does the same.
 *
 * Return: true when it may.
 */
bool pthru_nl_may_see_phys(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_SYS_ADMIN);
}

/**
 * pthru_nl_new_reply() - allocate a reply to a do request
 * @info: the request
 * @size: payload size
 * @hdr: receives the genetlink header to pass to pthru_nl_send_reply()
 *
 * Return: the message, or NULL when out of memory.
 */
struct sk_buff *pthru_nl_new_reply(struct genl_info *info, size_t size,
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

/**
 * pthru_nl_send_reply() - send a reply that the caller filled
 * @info: the request
 * @msg: the reply
 * @hdr: its genetlink header
 * @err: the result of filling it; the reply is freed when not 0
 *
 * Return: 0 or a negative errno.
 */
int pthru_nl_send_reply(struct genl_info *info, struct sk_buff *msg,
			void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		GENL_SET_ERR_MSG(info, "reply does not fit in a message");
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * pthru_nl_parse_addr() - a PCI address attribute of a request
 * @attr: the attribute; the policy guarantees a NUL-terminated string
 * @extack: where to explain a malformed address
 * @addr: receives the packed address
 *
 * Return: 0 or -EINVAL.
 */
int pthru_nl_parse_addr(const struct nlattr *attr,
			struct netlink_ext_ack *extack, u32 *addr)
{
	if (pthru_pciaddr_parse(nla_data(attr), addr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "malformed PCI address (expected DDDD:BB:DD.F)");
		return -EINVAL;
	}
	return 0;
}

/**
 * pthru_nl_no_such_dev() - answer a request for an unknown function
 * @attr: the request's address attribute
 * @extack: where to say so
 * @addr: the packed address
 *
 * Return: -ENODEV.
 */
int pthru_nl_no_such_dev(const struct nlattr *attr,
			 struct netlink_ext_ack *extack, u32 addr)
{
	char name[PTHRU_PCIADDR_BUFSZ];

	NL_SET_BAD_ATTR(extack, attr);
	pthru_nl_set_err_msg_fmt(extack, "no PCI function %s",
				 pthru_pciaddr_format(addr, name));
	return -ENODEV;
}

int pthru_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pthru_state *state;
	struct sk_buff *msg;
	void *hdr;
	int err;

	state = pthru_nl_read_state(skb, info->extack);
	if (IS_ERR(state))
		return PTR_ERR(state);

	msg = pthru_nl_new_reply(info, pthru_nl_status_size(), &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  pthru_nl_put_status(msg, state->snap));
	else
		err = -ENOMEM;
	pthru_state_put(state);
	return err;
}

int pthru_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct pthru_dev *func;
	struct pthru_state *state;
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
	err = pthru_nl_parse_addr(attr, info->extack, &addr);
	if (err)
		return err;

	state = pthru_nl_read_state(skb, info->extack);
	if (IS_ERR(state))
		return PTR_ERR(state);

	func = pthru_snapshot_find_dev(state->snap, addr);
	if (!func) {
		err = pthru_nl_no_such_dev(attr, info->extack, addr);
		goto out;
	}

	msg = pthru_nl_new_reply(info, pthru_nl_dev_size(), &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  pthru_nl_put_dev(msg, func, state));
	else
		err = -ENOMEM;
out:
	pthru_state_put(state);
	return err;
}

int pthru_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct pthru_group *group = NULL;
	struct pthru_state *state;
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

	state = pthru_nl_read_state(skb, info->extack);
	if (IS_ERR(state))
		return PTR_ERR(state);

	if (id <= S32_MAX)
		group = pthru_snapshot_find_group(state->snap, id);
	if (!group) {
		NL_SET_BAD_ATTR(info->extack, attr);
		pthru_nl_set_err_msg_fmt(info->extack, "no IOMMU group %u", id);
		err = -ENOENT;
		goto out;
	}

	msg = pthru_nl_new_reply(info, pthru_nl_group_size(group), &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  pthru_nl_put_group(msg, state->snap,
							     group));
	else
		err = -ENOMEM;
out:
	pthru_state_put(state);
	return err;
}

/**
 * pthru_nl_dump_parse() - the attributes of a dump's request
 * @cb: the dump
 * @attrs: receives them; room for the attribute set's maximum + 1
 *
 * genetlink has parsed them with the op's policy already, but where it
 * keeps them moved in 6.6 (genl_dumpit_info(cb)->attrs became
 * genl_info_dump(cb)->attrs), and nothing the preprocessor can test marks
 * the change; the op and its policy have the same place in both, so
 * parsing again with them works on every kernel.
 *
 * Return: 0 or a negative errno (the extack says why).
 */
int pthru_nl_dump_parse(struct netlink_callback *cb, struct nlattr **attrs)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);

	return genlmsg_parse(cb->nlh, &pthru_nl_family, attrs, di->op.maxattr,
			     di->op.policy, cb->extack);
}

/**
 * pthru_nl_dump_state() - the state for one call of a dump
 * @cb: the dump
 *
 * The first call reads the state as a do would (pthru_nl_read_state());
 * later calls take the current state as it is.  The state's generation becomes the dump's sequence.
 *
 * Return: the state with a reference to put, or an ERR_PTR.
 */
struct pthru_state *pthru_nl_dump_state(struct netlink_callback *cb)
{
	struct pthru_state *state;

	if (cb->args[PTHRU_NL_DUMP_STARTED]) {
		state = pthru_store_get();
	} else {
		state = pthru_nl_read_state(cb->skb, cb->extack);
		if (IS_ERR(state))
			return state;
		cb->args[PTHRU_NL_DUMP_STARTED] = 1;
	}
	cb->seq = state->snap->generation;
	return state;
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

/**
 * pthru_nl_dump_start_record() - begin one message of a dump
 * @skb: the dump's buffer
 * @cb: the dump
 * @cmd: the command the message answers
 *
 * Return: the genetlink header, or NULL when the buffer is full.
 */
void *pthru_nl_dump_start_record(struct sk_buff *skb,
				 struct netlink_callback *cb, u8 cmd)
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

/**
 * pthru_nl_dump_result() - what one call of a dump returns
 * @skb: the dump's buffer
 * @stopped_early: a record was left for the next call
 *
 * Return: the bytes added, or -EMSGSIZE when a record was left that does
 * not fit even into an empty message.
 */
int pthru_nl_dump_result(struct sk_buff *skb, bool stopped_early)
{
	return stopped_early && !skb->len ? -EMSGSIZE : skb->len;
}

int pthru_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pthru_state *state;
	void *hdr;
	u32 i;
	int ret;

	state = pthru_nl_dump_state(cb);
	if (IS_ERR(state))
		return PTR_ERR(state);

	for (i = 0; i < state->snap->nr_devs; i++) {
		const struct pthru_dev *func = &state->snap->devs[i];

		if (dump_sent(cb, func->addr))
			continue;
		hdr = pthru_nl_dump_start_record(skb, cb, PTHRU_CMD_DEV_GET);
		if (!hdr)
			break;
		if (pthru_nl_put_dev(skb, func, state)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		dump_end_record(skb, cb, hdr, func->addr);
	}
	ret = pthru_nl_dump_result(skb, i < state->snap->nr_devs);
	pthru_state_put(state);
	return ret;
}

int pthru_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct pthru_snapshot *snap;
	struct pthru_state *state;
	void *hdr;
	u32 i;
	int ret;

	state = pthru_nl_dump_state(cb);
	if (IS_ERR(state))
		return PTR_ERR(state);
	snap = state->snap;

	for (i = 0; i < snap->nr_groups; i++) {
		const struct pthru_group *group = &snap->groups[i];

		if (dump_sent(cb, group->id))
			continue;
		hdr = pthru_nl_dump_start_record(skb, cb, PTHRU_CMD_GROUP_GET);
		if (!hdr)
			break;
		if (pthru_nl_put_group(skb, snap, group)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		dump_end_record(skb, cb, hdr, group->id);
	}
	ret = pthru_nl_dump_result(skb, i < snap->nr_groups);
	pthru_state_put(state);
	return ret;
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
	pthru_store_stop_readers();
}
