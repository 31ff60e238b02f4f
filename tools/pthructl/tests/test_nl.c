// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink layer: error and extack parsing on crafted
 * messages, nlctrl replies, and live requests to this host's nlctrl
 * (present on every Linux kernel, so no module is needed); and how
 * replies are read, against the fake kernel of fake_nl.h.
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>

#include "fake_nl.h"
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

#define FAKE_FAMILY	0x20
#define FAKE_CMD	1

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	unsigned int *count = data;

	(void)nlh;
	(*count)++;
	return MNL_CB_OK;
}

/* A dump of @n messages, one per datagram, flagged with @flags, then DONE. */
static void fake_dump(struct fake_reply *r, unsigned int n, uint16_t flags)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++)
		fake_genl_msg(fake_dgram_add(r), FAKE_FAMILY, FAKE_CMD,
			      NLM_F_MULTI | flags);
	fake_done(fake_dgram_add(r), flags, 0);
}

static int fake_run_dump(struct nl *nl, unsigned int *count)
{
	*count = 0;
	return nl_dump(nl, nl_msg_start(nl, FAKE_FAMILY, FAKE_CMD, 1),
		       count_cb, count);
}

static int fake_run_do(struct nl *nl)
{
	return nl_do(nl, nl_msg_start(nl, FAKE_FAMILY, FAKE_CMD, 1), NULL,
		     NULL);
}

/*
 * A dump flagged NLM_F_DUMP_INTR is read to its NLMSG_DONE before
 * nl_dump() reports it, so the retry finds a clean socket.  libmnl alone
 * stops at the flag: the retry then read the old dump's rest and failed
 * with EPROTO, or got EBUSY as the old dump still ran.
 */
static void test_dump_interrupted(void)
{
	struct fake_reply first, retry;
	struct fake_nl_stats st;
	struct fake_dgram *d;
	unsigned int count;
	struct nl nl;

	fake_nl_open(&nl);

	/* Flagged from its first reply on. */
	fake_dump(&first, 2, NLM_F_DUMP_INTR);
	fake_nl_script(&first);
	CHECK_INT(fake_run_dump(&nl, &count), -EINTR);
	CHECK(nl_dump_interrupted(-EINTR));
	CHECK_INT(count, 0);
	fake_nl_stats(&st);
	CHECK_INT(st.n_queued, 0);
	CHECK(!st.dump_running);

	fake_dump(&retry, 3, 0);
	fake_nl_script(&retry);
	CHECK_INT(fake_run_dump(&nl, &count), 0);
	CHECK_INT(count, 3);
	fake_nl_stats(&st);
	CHECK_INT(st.n_requests, 2);
	CHECK(st.seq[1] > st.seq[0]);
	CHECK_INT(st.n_busy, 0);
	CHECK_INT(st.n_queued, 0);
	CHECK_INT(st.n_starved, 0);

	/*
	 * Flagged in the middle of a datagram: the callback saw the message
	 * before, none from the flagged one on; the rest is still read.
	 */
	memset(&first, 0, sizeof(first));
	d = fake_dgram_add(&first);
	fake_genl_msg(d, FAKE_FAMILY, FAKE_CMD, NLM_F_MULTI);
	fake_genl_msg(d, FAKE_FAMILY, FAKE_CMD, NLM_F_MULTI | NLM_F_DUMP_INTR);
	fake_genl_msg(d, FAKE_FAMILY, FAKE_CMD, NLM_F_MULTI | NLM_F_DUMP_INTR);
	fake_genl_msg(fake_dgram_add(&first), FAKE_FAMILY, FAKE_CMD,
		      NLM_F_MULTI | NLM_F_DUMP_INTR);
	fake_done(fake_dgram_add(&first), NLM_F_DUMP_INTR, 0);
	fake_nl_script(&first);
	CHECK_INT(fake_run_dump(&nl, &count), -EINTR);
	CHECK_INT(count, 1);
	fake_dump(&retry, 1, 0);
	fake_nl_script(&retry);
	CHECK_INT(fake_run_dump(&nl, &count), 0);
	CHECK_INT(count, 1);

	/* Only its NLMSG_DONE is flagged: still no snapshot. */
	fake_dump(&first, 2, 0);
	first.dgram[2].buf[offsetof(struct nlmsghdr, nlmsg_flags)] |=
		NLM_F_DUMP_INTR;
	fake_nl_script(&first);
	CHECK_INT(fake_run_dump(&nl, &count), -EINTR);
	CHECK_INT(count, 2);

	/* An error in the interrupted dump's NLMSG_DONE: the flag came first. */
	fake_dump(&first, 1, NLM_F_DUMP_INTR);
	memset(&first.dgram[1], 0, sizeof(first.dgram[1]));
	fake_done(&first.dgram[1], NLM_F_DUMP_INTR, -EMSGSIZE);
	fake_nl_script(&first);
	CHECK_INT(fake_run_dump(&nl, &count), -EINTR);

	fake_nl_stats(&st);
	CHECK_INT(st.n_busy, 0);
	CHECK_INT(st.n_queued, 0);
	CHECK_INT(st.n_starved, 0);
	fake_nl_close(&nl);
}

/*
 * A request given up on (here a receive error in the middle of a dump)
 * leaves replies behind: later requests drop them instead of failing
 * with EPROTO, until the abandoned request's end.
 */
static void test_abandoned(void)
{
	struct fake_reply dump, ack1, ack2;
	struct fake_nl_stats st;
	struct fake_dgram late;
	unsigned int count;
	struct nl nl;

	fake_nl_open(&nl);
	fake_dump(&dump, 3, 0);
	fake_nl_script(&dump);
	fake_nl_fail_recv(2, ENOBUFS);
	CHECK_INT(fake_run_dump(&nl, &count), -ENOBUFS);
	CHECK_INT(count, 1);
	CHECK_INT(nl.n_abandoned, 1);

	/* The dump's next reply is queued ahead of the ack. */
	memset(&ack1, 0, sizeof(ack1));
	fake_ack(fake_dgram_add(&ack1), 0);
	fake_nl_script(&ack1);
	CHECK_INT(fake_run_do(&nl), 0);

	/* Its last ones, NLMSG_DONE included, too: then it is forgotten. */
	memset(&ack2, 0, sizeof(ack2));
	fake_ack(fake_dgram_add(&ack2), 0);
	fake_nl_script(&ack2);
	CHECK_INT(fake_run_do(&nl), 0);
	fake_nl_stats(&st);
	CHECK_INT(st.n_queued, 0);
	CHECK(!st.dump_running);
	CHECK_INT(nl.n_abandoned, 0);

	/* A reply to it after its end is no longer expected: an error. */
	memset(&late, 0, sizeof(late));
	fake_genl_msg(&late, FAKE_FAMILY, FAKE_CMD, NLM_F_MULTI)->nlmsg_seq =
		st.seq[0];
	late.keep_seq = true;
	fake_nl_inject(&late);
	memset(&ack1, 0, sizeof(ack1));
	fake_ack(fake_dgram_add(&ack1), 0);
	fake_nl_script(&ack1);
	CHECK_INT(fake_run_do(&nl), -EPROTO);
	fake_nl_close(&nl);
}

/* A sequence number we never sent is a protocol error, as with libmnl. */
static void test_foreign_seq(void)
{
	struct fake_nl_stats st;
	struct fake_reply ack;
	struct fake_dgram odd;
	struct nl nl;

	fake_nl_open(&nl);
	memset(&ack, 0, sizeof(ack));
	fake_ack(fake_dgram_add(&ack), 0);
	fake_nl_script(&ack);
	CHECK_INT(fake_run_do(&nl), 0);

	/* Not yet sent. */
	memset(&odd, 0, sizeof(odd));
	fake_genl_msg(&odd, FAKE_FAMILY, FAKE_CMD, 0)->nlmsg_seq = nl.seq + 7;
	odd.keep_seq = true;
	fake_nl_inject(&odd);
	fake_nl_script(&ack);
	CHECK_INT(fake_run_do(&nl), -EPROTO);

	/* That of a request that got its ack. */
	fake_nl_close(&nl);
	fake_nl_open(&nl);
	fake_nl_script(&ack);
	CHECK_INT(fake_run_do(&nl), 0);
	fake_nl_stats(&st);
	memset(&odd, 0, sizeof(odd));
	fake_ack(&odd, 0);
	((struct nlmsghdr *)odd.buf)->nlmsg_seq = st.seq[0];
	odd.keep_seq = true;
	fake_nl_inject(&odd);
	fake_nl_script(&ack);
	CHECK_INT(fake_run_do(&nl), -EPROTO);
	fake_nl_close(&nl);
}

void test_nl(void)
{
	test_parse_error();
	test_parse_done();
	test_parse_family();
	test_attr_strcpy();
	test_live();
	test_dump_interrupted();
	test_abandoned();
	test_foreign_seq();
}
