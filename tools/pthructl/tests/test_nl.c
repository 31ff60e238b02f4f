// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink layer: error and extack parsing on crafted
 * messages, nlctrl replies, and live requests to this host's nlctrl
 * (present on every Linux kernel, so no module is needed).
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>

#include "nl.h"
#include "unit.h"

#define EXT_MSG	"no PCI function 0000:ff:1f.7"

static void test_parse_error(void)
{
	char buf[8192], msg[NL_EXT_MSG_MAX];
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;
	char *echo;

	/* Capped error with an extack message and offset. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = -ENODEV;
	err->msg.nlmsg_len = 40;	/* the request's length, not echoed */
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, EXT_MSG);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	CHECK_INT(nl_parse_error(nlh, msg, sizeof(msg)), -ENODEV);
	CHECK_STR(msg, EXT_MSG);

	/* A small buffer truncates the message but keeps it terminated. */
	CHECK_INT(nl_parse_error(nlh, msg, 6), -ENODEV);
	CHECK_STR(msg, "no PC");

	/* Not capped: the 24-byte request is echoed before the TLVs. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err) + 8);
	err->error = -EINVAL;
	err->msg.nlmsg_len = sizeof(struct nlmsghdr) + 8;
	echo = (char *)(err + 1);
	/* An echoed payload that looks like an attribute must be skipped. */
	memcpy(echo, "\x08\x00\x01\x00\x62\x61\x64\x21", 8);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "missing attribute: addr");
	CHECK_INT(nl_parse_error(nlh, msg, sizeof(msg)), -EINVAL);
	CHECK_STR(msg, "missing attribute: addr");

	/* An error without TLVs has no message. */
	nlh->nlmsg_flags = 0;
	memcpy(msg, "stale", 6);
	CHECK_INT(nl_parse_error(nlh, msg, sizeof(msg)), -EINVAL);
	CHECK_STR(msg, "");

	/* An ack. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	CHECK_INT(nl_parse_error(nlh, msg, sizeof(msg)), 0);
	CHECK_STR(msg, "");

	/* Too short to hold a struct nlmsgerr. */
	nlh->nlmsg_len = mnl_nlmsg_size(2);
	CHECK_INT(nl_parse_error(nlh, msg, sizeof(msg)), -EBADMSG);

	/* A positive error is not an errno. */
	nlh->nlmsg_len = mnl_nlmsg_size(sizeof(*err));
	err->error = 5;
	CHECK_INT(nl_parse_error(nlh, msg, sizeof(msg)), -EBADMSG);
}

static void test_parse_done(void)
{
	char buf[8192], msg[NL_EXT_MSG_MAX];
	struct nlmsghdr *nlh;
	int *error;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	error = mnl_nlmsg_put_extra_header(nlh, sizeof(*error));
	CHECK_INT(nl_parse_done(nlh, msg, sizeof(msg)), 0);

	*error = -EMSGSIZE;
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	CHECK_INT(nl_parse_done(nlh, msg, sizeof(msg)), -EMSGSIZE);
	CHECK_STR(msg, "dump failed");

	/* Old kernels: an empty NLMSG_DONE. */
	nlh->nlmsg_len = mnl_nlmsg_size(0);
	CHECK_INT(nl_parse_done(nlh, msg, sizeof(msg)), 0);
}

static void test_parse_family(void)
{
	struct nlattr *groups, *grp;
	struct nl_family fam;
	struct nlmsghdr *nlh;
	char buf[8192];
	uint32_t id = 0;

	nlh = unit_genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "pthru");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1234);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "events");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 7);
	mnl_attr_nest_end(nlh, grp);
	grp = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 9);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "audit");
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, groups);
	/* An attribute type this tool does not know is ignored. */
	mnl_attr_put_u32(nlh, 200, 1);

	CHECK_INT(nl_parse_family(nlh, &fam), 0);
	CHECK_INT(fam.id, 0x1234);
	CHECK_INT(fam.version, 1);
	CHECK_INT(fam.n_mcgrps, 2);
	CHECK_INT(nl_family_mcgrp(&fam, "events", &id), 0);
	CHECK_INT(id, 7);
	CHECK_INT(nl_family_mcgrp(&fam, "audit", &id), 0);
	CHECK_INT(id, 9);
	CHECK_INT(nl_family_mcgrp(&fam, "other", &id), -ENOENT);
	CHECK_INT(nl_genl_cmd(nlh), CTRL_CMD_NEWFAMILY);

	/* A family id of the wrong size is a malformed reply. */
	nlh = unit_genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x1234);
	CHECK_INT(nl_parse_family(nlh, &fam), -EBADMSG);

	/* No family id at all. */
	nlh = unit_genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "pthru");
	CHECK_INT(nl_parse_family(nlh, &fam), -EBADMSG);

	/* A group without an id. */
	nlh = unit_genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1234);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "events");
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, groups);
	CHECK_INT(nl_parse_family(nlh, &fam), -EBADMSG);

	/* Too short for a generic netlink header. */
	nlh->nlmsg_len = mnl_nlmsg_size(2);
	CHECK_INT(nl_parse_family(nlh, &fam), -EBADMSG);
	CHECK_INT(nl_genl_cmd(nlh), -1);
}

static void test_attr_strcpy(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *attr;
	char buf[8192], out[8];

	nlh = unit_genl_msg(buf, 0x20, 1);
	attr = (struct nlattr *)mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_strz(nlh, 1, "1234567");
	CHECK_INT(nl_attr_strcpy(out, sizeof(out), attr), 0);
	CHECK_STR(out, "1234567");
	attr = (struct nlattr *)mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_strz(nlh, 1, "12345678");
	CHECK_INT(nl_attr_strcpy(out, sizeof(out), attr), -EBADMSG);
}

static int count_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_family fam;
	unsigned int *count = data;

	if (nl_parse_family(nlh, &fam))
		return MNL_CB_ERROR;
	/* Count nlctrl itself in the high bits to check it was seen. */
	*count += fam.id == GENL_ID_CTRL ? 1000 : 1;
	return MNL_CB_OK;
}

static void test_live(void)
{
	struct nl_family fam;
	struct nlmsghdr *nlh;
	unsigned int count = 0;
	uint32_t id;
	struct nl nl;
	int err;

	CHECK_INT(nl_open_family(&nl, "nlctrl"), 0);
	if (!nl.sock)
		return;
	CHECK_INT(nl.family.id, GENL_ID_CTRL);
	CHECK_INT(nl_family_mcgrp(&nl.family, "notify", &id), 0);
	CHECK(id > 0);

	CHECK_INT(nl_resolve_family(&nl, "pthru-no-such-family", &fam),
		  -ENOENT);
	/* Longer than any family name can be: no request is sent. */
	CHECK_INT(nl_resolve_family(&nl, "a-family-name-far-too-long-to-exist",
				    &fam), -ENOENT);

	/* A dump of every family, through NLMSG_DONE. */
	nlh = nl_msg_start(&nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	CHECK_INT(nl_dump(&nl, nlh, count_family_cb, &count), 0);
	CHECK_INT(count / 1000, 1);

	/* The kernel's policy rejects an over-long name with an extack. */
	nlh = nl_msg_start(&nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME,
			  "a-family-name-far-too-long-to-exist");
	err = nl_do(&nl, nlh, NULL, NULL);
	CHECK(err < 0);
	CHECK(nl.ext_msg[0] != '\0');

	/* The socket is still in step after that error. */
	CHECK_INT(nl_resolve_family(&nl, "nlctrl", &fam), 0);
	CHECK_INT(fam.id, GENL_ID_CTRL);
	CHECK_STR(nl.ext_msg, "");
	nl_close(&nl);

	CHECK_INT(nl_open_family(&nl, "pthru-no-such-family"), -ENOENT);
	CHECK(nl.sock == NULL);
}

void test_nl(void)
{
	test_parse_error();
	test_parse_done();
	test_parse_family();
	test_attr_strcpy();
	test_live();
}
