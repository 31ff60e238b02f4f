// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink over libmnl, in the style of iproute2's mnl_utils.c:
 * the socket, nlctrl lookups, do and dump requests and extack parsing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>

#include "nl.h"

/* State of one request while its replies are processed. */
struct nl_run {
	nl_msg_cb_t cb;
	void *data;
	int err;		/* first error, kernel's or the callback's */
	char *ext_msg;
	uint32_t *ext_offs;
};

int nl_open(struct nl *nl)
{
	int one = 1;
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(NL_BUF_SIZE);
	if (!nl->buf)
		return -ENOMEM;

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		goto err_errno;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err_errno;
	nl->portid = mnl_socket_get_portid(nl->sock);

	/*
	 * Extended acks carry the kernel's reason for an error; capped acks
	 * keep our request out of the error message.  Kernels before 4.12
	 * lack them: errors then come without a message, which still works.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;

err_errno:
	err = -errno;
	nl_close(nl);
	return err;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

int nl_open_family(struct nl *nl, const char *name)
{
	int err;

	err = nl_open(nl);
	if (err)
		return err;
	err = nl_resolve_family(nl, name, &nl->family);
	if (err)
		nl_close(nl);
	return err;
}

int nl_fd(const struct nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

struct nl_attr_parse {
	const struct nlattr **tb;
	uint16_t maxtype;
	const enum mnl_attr_data_type *policy;
	uint16_t bad_type;
};

static int nl_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_attr_parse *p = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > p->maxtype)
		return MNL_CB_OK;
	if (p->policy[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(attr, p->policy[type]) < 0) {
		p->bad_type = type;
		return MNL_CB_ERROR;
	}
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
		   uint16_t maxtype, const enum mnl_attr_data_type *policy,
		   uint16_t *bad_type)
{
	struct nl_attr_parse p = { tb, maxtype, policy, 0 };

	memset(tb, 0, (maxtype + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr)) {
		*bad_type = 0;
		return -EBADMSG;
	}
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), nl_attr_cb,
			   &p) < 0) {
		*bad_type = p.bad_type;
		return -EBADMSG;
	}
	return 0;
}

int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    uint16_t maxtype, const enum mnl_attr_data_type *policy,
		    uint16_t *bad_type)
{
	struct nl_attr_parse p = { tb, maxtype, policy, 0 };

	memset(tb, 0, (maxtype + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, nl_attr_cb, &p) < 0) {
		*bad_type = p.bad_type;
		return -EBADMSG;
	}
	return 0;
}

int nl_attr_strcpy(char *dst, size_t len, const struct nlattr *attr)
{
	const char *src = mnl_attr_get_str(attr);
	size_t n = strnlen(src, mnl_attr_get_payload_len(attr));

	if (n >= len)
		return -EBADMSG;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int nl_genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return -1;
	return genl->cmd;
}

static const enum mnl_attr_data_type nlmsgerr_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]	= MNL_TYPE_NUL_STRING,
	[NLMSGERR_ATTR_OFFS]	= MNL_TYPE_U32,
};

/*
 * Copy the extack message found in the TLVs after @offset bytes of
 * payload, and the offset of the attribute it blames if @offs is set.
 */
static void nl_parse_ext_msg(const struct nlmsghdr *nlh, size_t offset,
			     char *msg, size_t len, uint32_t *offs)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	struct nl_attr_parse p = { tb, NLMSGERR_ATTR_MAX, nlmsgerr_policy, 0 };
	const char *text;

	if (len)
		msg[0] = '\0';
	if (offs)
		*offs = 0;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !len)
		return;
	if (offset > mnl_nlmsg_get_payload_len(nlh))
		return;
	/* A malformed TLV area still leaves what was parsed before it. */
	mnl_attr_parse(nlh, offset, nl_attr_cb, &p);
	if (offs && tb[NLMSGERR_ATTR_OFFS])
		*offs = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (!tb[NLMSGERR_ATTR_MSG])
		return;
	text = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	/* A longer message is cut: it is only shown to the user. */
	snprintf(msg, len, "%s", text);
}

int nl_parse_error(const struct nlmsghdr *nlh, char *msg, size_t len)
{
	return nl_parse_error_offs(nlh, msg, len, NULL);
}

int nl_parse_error_offs(const struct nlmsghdr *nlh, char *msg, size_t len,
			uint32_t *offs)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*err);

	if (len)
		msg[0] = '\0';
	if (offs)
		*offs = 0;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
		return -EBADMSG;
	if (err->error > 0 || err->error < -4095)
		return -EBADMSG;
	/* Unless capped, the request we sent is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return err->error;
		offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	nl_parse_ext_msg(nlh, offset, msg, len, offs);
	return err->error;
}

int nl_parse_done(const struct nlmsghdr *nlh, char *msg, size_t len)
{
	int error;

	if (len)
		msg[0] = '\0';
	/* Very old kernels send an empty NLMSG_DONE. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(error))
		return 0;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error > 0 || error < -4095)
		return -EBADMSG;
	nl_parse_ext_msg(nlh, sizeof(error), msg, len, NULL);
	return error;
}

static void nl_run_error(struct nl_run *run, const struct nlmsghdr *nlh)
{
	int err;

	err = nl_parse_error_offs(nlh, run->ext_msg, NL_EXT_MSG_MAX,
				  run->ext_offs);
	if (!run->err)
		run->err = err;
}

static void nl_run_done(struct nl_run *run, const struct nlmsghdr *nlh)
{
	char msg[NL_EXT_MSG_MAX];
	int err;

	err = nl_parse_done(nlh, msg, sizeof(msg));
	if (!run->err && err) {
		run->err = err;
		memcpy(run->ext_msg, msg, sizeof(msg));
	}
}

/*
 * After a callback failed, the rest of the replies are still read (without
 * callbacks) so the socket stays in step for the next request.
 */
static void nl_run_data(struct nl_run *run, const struct nlmsghdr *nlh)
{
	int ret;

	if (run->err || !run->cb)
		return;
	errno = 0;
	ret = run->cb(nlh, run->data);
	if (ret == MNL_CB_ERROR)
		run->err = errno ? -errno : -EBADMSG;
}

static bool nl_ends_request(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR;
}

static void nl_forget_abandoned(struct nl *nl, unsigned int i)
{
	nl->n_abandoned--;
	memmove(&nl->abandoned[i], &nl->abandoned[i + 1],
		(nl->n_abandoned - i) * sizeof(nl->abandoned[0]));
}

static void nl_abandon(struct nl *nl, unsigned int seq)
{
	/* Sequence number 0 turns the check off; no request of ours has it. */
	if (!seq)
		return;
	/* The oldest has had the longest time to end: forget it first. */
	if (nl->n_abandoned == NL_MAX_ABANDONED)
		nl_forget_abandoned(nl, 0);
	nl->abandoned[nl->n_abandoned++] = seq;
}

/*
 * Is @nlh a late reply to a request of ours that was given up on?  It is
 * then dropped.  Its last reply forgets the request, so any reply after
 * that, like one with a sequence number we never sent, stays an error.
 */
static bool nl_drop_abandoned(struct nl *nl, const struct nlmsghdr *nlh)
{
	unsigned int i;

	for (i = 0; i < nl->n_abandoned; i++) {
		if (nl->abandoned[i] != nlh->nlmsg_seq)
			continue;
		if (nl_ends_request(nlh))
			nl_forget_abandoned(nl, i);
		return true;
	}
	return false;
}

/*
 * Run the @len bytes of replies in nl->buf for request @seq.  Returns 0
 * once its ack, error or NLMSG_DONE was seen, 1 while more are to come,
 * or -ESRCH/-EPROTO for a message that is no reply to it.
 *
 * This is libmnl's mnl_cb_run2() but for two things.  libmnl stops at a
 * message flagged NLM_F_DUMP_INTR and fails with EINTR, leaving the rest
 * of the dump, NLMSG_DONE included, unread: the retry's replies then come
 * after it, and libmnl's sequence check fails the retry with EPROTO.  Here
 * the flag is the request's error (no callback runs from that message on,
 * as after a callback's error) and the dump is read on to its end.  And
 * late replies to an abandoned request are dropped.
 */
static int nl_run_batch(struct nl *nl, struct nl_run *run, unsigned int seq,
			int len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (!mnl_nlmsg_portid_ok(nlh, nl->portid))
			return -ESRCH;
		if (!mnl_nlmsg_seq_ok(nlh, seq)) {
			if (nl_drop_abandoned(nl, nlh))
				continue;
			return -EPROTO;
		}
		/* The objects changed: the records are no snapshot. */
		if ((nlh->nlmsg_flags & NLM_F_DUMP_INTR) && !run->err)
			run->err = -EINTR;
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
			nl_run_data(run, nlh);
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			/* An ack or an error both end the request. */
			nl_run_error(run, nlh);
			return 0;
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			nl_run_done(run, nlh);
			return 0;
		}
		/* NLMSG_NOOP and NLMSG_OVERRUN are ignored, as by libmnl. */
	}
	return 1;
}

static int nl_run(struct nl *nl, struct nlmsghdr *req, nl_msg_cb_t cb,
		  void *data)
{
	struct nl_run run = { cb, data, 0, nl->ext_msg, &nl->ext_offs };
	unsigned int seq = req->nlmsg_seq;
	ssize_t n;
	int ret;

	nl->ext_msg[0] = '\0';
	nl->ext_offs = 0;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		ret = nl_run_batch(nl, &run, seq, n);
		if (!ret)
			return run.err;
		if (ret < 0)
			break;
	}
	/* The rest of its replies must not fail a later request. */
	nl_abandon(nl, seq);
	return ret;
}

struct nlmsghdr *nl_msg_start(struct nl *nl, uint16_t family, uint8_t cmd,
			      uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

int nl_do(struct nl *nl, struct nlmsghdr *req, nl_msg_cb_t cb, void *data)
{
	req->nlmsg_flags |= NLM_F_ACK;
	return nl_run(nl, req, cb, data);
}

int nl_dump(struct nl *nl, struct nlmsghdr *req, nl_msg_cb_t cb, void *data)
{
	req->nlmsg_flags |= NLM_F_DUMP;
	return nl_run(nl, req, cb, data);
}

static const enum mnl_attr_data_type ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= MNL_TYPE_U16,
	[CTRL_ATTR_VERSION]		= MNL_TYPE_U32,
	[CTRL_ATTR_MCAST_GROUPS]	= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type mcgrp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GRP_ID]	= MNL_TYPE_U32,
};

static int nl_parse_mcgrp(const struct nlattr *nest, struct nl_mcgrp *grp)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	uint16_t bad;

	if (nl_parse_nested(nest, tb, CTRL_ATTR_MCAST_GRP_MAX, mcgrp_policy,
			    &bad))
		return -EBADMSG;
	if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
		return -EBADMSG;
	if (nl_attr_strcpy(grp->name, sizeof(grp->name),
			   tb[CTRL_ATTR_MCAST_GRP_NAME]))
		return -EBADMSG;
	grp->id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return 0;
}

int nl_parse_family(const struct nlmsghdr *nlh, struct nl_family *fam)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *nest;
	uint16_t bad;
	int err;

	memset(fam, 0, sizeof(*fam));
	err = nl_parse_attrs(nlh, tb, CTRL_ATTR_MAX, ctrl_policy, &bad);
	if (err)
		return err;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return -EBADMSG;
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	mnl_attr_for_each_nested(nest, tb[CTRL_ATTR_MCAST_GROUPS]) {
		/* Families have a handful of groups; more would be ignored. */
		if (fam->n_mcgrps == NL_MAX_MCGRPS)
			break;
		err = nl_parse_mcgrp(nest, &fam->mcgrps[fam->n_mcgrps]);
		if (err)
			return err;
		fam->n_mcgrps++;
	}
	return 0;
}

static int nl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	int err = nl_parse_family(nlh, data);

	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int nl_resolve_family(struct nl *nl, const char *name, struct nl_family *fam)
{
	struct nlmsghdr *nlh;

	if (strlen(name) >= GENL_NAMSIZ)
		return -ENOENT;
	memset(fam, 0, sizeof(*fam));
	nlh = nl_msg_start(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return nl_do(nl, nlh, nl_family_cb, fam);
}

int nl_family_mcgrp(const struct nl_family *fam, const char *name,
		    uint32_t *id)
{
	unsigned int i;

	for (i = 0; i < fam->n_mcgrps; i++) {
		if (!strcmp(fam->mcgrps[i].name, name)) {
			*id = fam->mcgrps[i].id;
			return 0;
		}
	}
	return -ENOENT;
}

int nl_join_mcgrp(struct nl *nl, uint32_t group)
{
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

int nl_recv_events(struct nl *nl, nl_msg_cb_t cb, void *data)
{
	ssize_t n;
	int ret;

	n = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUF_SIZE);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	/* Notifications have sequence number and port id 0: no checks. */
	errno = 0;
	ret = mnl_cb_run(nl->buf, n, 0, 0, cb, data);
	if (ret == MNL_CB_ERROR)
		return errno ? -errno : -EBADMSG;
	return 0;
}
