// SPDX-License-Identifier: GPL-2.0
/* See pthru_nl_common.h. */
#include <errno.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pthru.h>

#include "pthru_nl_common.h"

int pthru_nl_open(struct mnl_socket **nl)
{
	int one = 1;

	*nl = mnl_socket_open(NETLINK_GENERIC);
	if (!*nl || mnl_socket_bind(*nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -1;
	if (mnl_socket_setsockopt(*nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(*nl, NETLINK_CAP_ACK, &one, sizeof(one)))
		return -1;
	return 0;
}

int pthru_nl_request(struct mnl_socket *nl, const struct nlmsghdr *nlh,
		     mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len < 0)
			return -1;
		ret = mnl_cb_run(buf, len, seq, mnl_socket_get_portid(nl), cb,
				 data);
	} while (ret > 0);
	return ret < 0 ? -1 : 0;
}

/* What the answer's attributes are parsed into. */
struct family_query {
	unsigned short id;
	void (*mcast_group)(const struct nlattr *grp);
};

static int family_id_cb(const struct nlattr *attr, void *data)
{
	struct family_query *q = data;
	const struct nlattr *grp;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		q->id = mnl_attr_get_u16(attr);
	if (q->mcast_group && mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GROUPS)
		mnl_attr_for_each_nested(grp, attr)
			q->mcast_group(grp);
	return MNL_CB_OK;
}

static int getfamily_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, family_id_cb, data);
}

int pthru_nl_resolve_family(struct mnl_socket *nl, unsigned int seq,
			    void (*mcast_group)(const struct nlattr *grp))
{
	struct family_query q = { .id = 0, .mcast_group = mcast_group };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PTHRU_FAMILY_NAME);
	/* An unregistered family is an ENOENT answer (a socket's never is). */
	if (pthru_nl_request(nl, nlh, getfamily_cb, &q) && errno != ENOENT)
		return -1;
	return q.id;
}
