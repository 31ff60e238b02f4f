// SPDX-License-Identifier: GPL-2.0
/*
 * pthru_nl_errors - send raw, deliberately wrong requests to the pthru
 * generic netlink family and check that each one is refused with the errno
 * the spec documents and an extended-ack message that says what was wrong.
 * Talks to the kernel directly (libmnl) so that pthructl's own argument
 * checks cannot hide a missing check in the module.  Also checks that the
 * operations that change state (audit, policy-set, policy-replace,
 * map-verify) answer a caller with CAP_NET_ADMIN and refuse one without it
 * (a child process that dropped the capability) with EPERM and an extack
 * message naming the capability; that the alerts multicast group needs
 * CAP_NET_ADMIN and the inventory group does not; and that map-get hides
 * physical addresses from a caller without CAP_SYS_ADMIN.
 * The policy operations get the same treatment: malformed policies,
 * rules and settings are refused with the errno and a message naming the
 * rule, nothing is installed, and the changing operations refuse a caller
 * without CAP_NET_ADMIN while policy-test answers it.
 * hazard-get and policy-test dumps answer errors in the NLMSG_DONE that
 * ends the dump, with the extack message there.
 * Prints KTAP; exits 0 when all pass, 1 on a failure, 4 (skip) when the
 * family is absent.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pthru.h>

#include "pthru_nl_common.h"

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

/* What the kernel answered to one request. */
struct reply {
	int error;		/* 0, or the positive errno of NLMSG_ERROR */
	int data_msgs;		/* messages of the family before the ack */
	bool has_msg;		/* NLMSGERR_ATTR_MSG was present */
	char msg[256];		/* its text */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	int offs;		/* NLMSGERR_ATTR_OFFS, or -1 */
	bool done;		/* ended by NLMSG_DONE (a dump) */
};

/* Called for each message of the family in a reply; false fails it. */
typedef bool (*msg_cb)(const struct nlmsghdr *nlh, void *data);

/* How check_error() judges the extack message. */
#define MSG_TEXT	0	/* required; MUST_MENTION anywhere in it */
#define MSG_WORD	1	/* required; MUST_MENTION as a word */
#define MSG_ANY		2	/* not required (the core answers bare) */

/* One request: a command and at most one attribute. */
struct request {
	unsigned char cmd;
	bool dump;			/* NLM_F_DUMP */
	unsigned short attr_type;	/* 0: no attribute */
	enum { ATTR_STR, ATTR_U32, ATTR_U8 } attr_kind;
	const char *str;
	unsigned int u32;	/* ATTR_U32 and ATTR_U8 */
};

static struct mnl_socket *nl;
static unsigned int seq;
static int test_num;
static int failures;
static int skips;
static unsigned int grp_inventory;	/* multicast group ids, 0: absent */
static unsigned int grp_alerts;

static void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

static void result(bool ok, const char *name)
{
	printf("%s %d %s\n", ok ? "ok" : "not ok", ++test_num, name);
	if (!ok)
		failures++;
	fflush(stdout);
}

static void skip(const char *name, const char *reason)
{
	printf("ok %d %s # SKIP %s\n", ++test_num, name, reason);
	skips++;
	fflush(stdout);
}

/*
 * The errno and extack TLVs of an NLMSG_ERROR, or of the NLMSG_DONE that
 * ends a dump (an int errno, then the TLVs, no echoed request).
 */
static void parse_extack(const struct nlmsghdr *nlh, struct reply *r)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr, *tlvs;
	size_t off = sizeof(*err);

	if (nlh->nlmsg_type == NLMSG_DONE) {
		r->done = true;
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
			return;
		r->error = -*(const int *)mnl_nlmsg_get_payload(nlh);
		off = sizeof(int);
	} else {
		r->error = -err->error;
		/* Without NLM_F_CAPPED the request is echoed before the TLVs. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	tlvs = (const struct nlattr *)((const char *)mnl_nlmsg_get_payload(nlh) +
				       off);
	mnl_attr_for_each_payload(tlvs, mnl_nlmsg_get_payload_len(nlh) - off) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
				break;
			snprintf(r->msg, sizeof(r->msg), "%s",
				 mnl_attr_get_str(attr));
			r->has_msg = true;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				r->miss_type = mnl_attr_get_u32(attr);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				r->offs = mnl_attr_get_u32(attr);
			break;
		}
	}
}

/*
 * Send one message and read until its ack, error or NLMSG_DONE arrives,
 * passing each message of the family to CB (when set).  Returns 0 with *r
 * filled (data_msgs counts the messages, failed those CB refused), or -1
 * when the socket itself failed.
 */
static int transact_cb(struct nlmsghdr *nlh, struct reply *r, msg_cb cb,
		       void *data, int *failed)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int want = nlh->nlmsg_seq;
	ssize_t len;

	memset(r, 0, sizeof(*r));
	r->miss_type = -1;
	r->offs = -1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		diag("sendto: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len < 0) {
			diag("recvfrom: %s", strerror(errno));
			return -1;
		}
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, (int *)&len)) {
			if (nlh->nlmsg_seq != want)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				parse_extack(nlh, r);
				return 0;
			}
			r->data_msgs++;
			if (cb && !cb(nlh, data))
				(*failed)++;
		}
	}
}

static int transact(struct nlmsghdr *nlh, struct reply *r)
{
	return transact_cb(nlh, r, NULL, NULL, NULL);
}

static struct nlmsghdr *genl_start(char *buf, unsigned short family,
				   unsigned char cmd, unsigned char version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* A dump request of the family. */
static struct nlmsghdr *genl_dump_start(char *buf, unsigned short family,
					unsigned char cmd)
{
	struct nlmsghdr *nlh = genl_start(buf, family, cmd,
					  PTHRU_FAMILY_VERSION);

	nlh->nlmsg_flags |= NLM_F_DUMP;
	return nlh;
}

/* One CTRL_ATTR_MCAST_GRP_* nest: remember the ids of pthru's groups. */
static void mcast_group(const struct nlattr *grp)
{
	const struct nlattr *attr;
	const char *name = NULL;
	unsigned int id = 0;

	mnl_attr_for_each_nested(attr, grp) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			name = mnl_attr_get_str(attr);
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			id = mnl_attr_get_u32(attr);
	}
	if (name && !strcmp(name, PTHRU_MCGRP_INVENTORY))
		grp_inventory = id;
	if (name && !strcmp(name, PTHRU_MCGRP_ALERTS))
		grp_alerts = id;
}

/* Case-insensitive: does TEXT contain WORD with no letter or digit around it? */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = text; *p; p++) {
		if (strncasecmp(p, word, n))
			continue;
		if ((p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	}
	return false;
}

static bool has_text(const char *text, const char *part)
{
	size_t n = strlen(part);
	const char *p;

	for (p = text; *p; p++)
		if (!strncasecmp(p, part, n))
			return true;
	return false;
}

/*
 * One test: send REQ, expect errno WANT_ERR and an extack message; when
 * MUST_MENTION is set the message must contain it (as a word when HOW is
 * MSG_WORD).  HOW MSG_ANY accepts an answer without a message.
 */
static bool check_error(struct nlmsghdr *nlh, struct reply *r, int want_err,
			const char *must_mention, int how);

static void expect_error(const char *name, unsigned short family,
			 const struct request *req, int want_err,
			 const char *must_mention, int how)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct reply r;

	nlh = genl_start(buf, family, req->cmd, PTHRU_FAMILY_VERSION);
	if (req->dump)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (req->attr_type && req->attr_kind == ATTR_STR)
		mnl_attr_put_strz(nlh, req->attr_type, req->str);
	else if (req->attr_type && req->attr_kind == ATTR_U8)
		mnl_attr_put_u8(nlh, req->attr_type, req->u32);
	else if (req->attr_type)
		mnl_attr_put_u32(nlh, req->attr_type, req->u32);

	result(check_error(nlh, &r, want_err, must_mention, how), name);
}

/*
 * Send NLH, a request the caller built, and judge the answer as
 * expect_error() does; *R keeps it for further checks.
 */
static bool check_error(struct nlmsghdr *nlh, struct reply *r, int want_err,
			const char *must_mention, int how)
{
	bool ok = true;

	if (transact(nlh, r) < 0)
		return false;
	diag("errno %d (%s) in %s, extack message: %s%s%s, missing-attribute type %d",
	     r->error, strerror(r->error),
	     r->done ? "NLMSG_DONE" : "NLMSG_ERROR", r->has_msg ? "\"" : "",
	     r->has_msg ? r->msg : "none", r->has_msg ? "\"" : "",
	     r->miss_type);
	if (r->error != want_err) {
		diag("expected errno %d (%s)", want_err, strerror(want_err));
		ok = false;
	}
	if (r->data_msgs) {
		diag("expected no reply data, got %d message(s)", r->data_msgs);
		ok = false;
	}
	if (how == MSG_ANY) {
		/* The answer's errno is all there is to check. */
	} else if (!r->has_msg || !r->msg[0]) {
		diag("expected an extack message saying what was wrong");
		ok = false;
	} else if (must_mention &&
		   !(how == MSG_WORD ? has_word(r->msg, must_mention) :
				       has_text(r->msg, must_mention))) {
		diag("expected the message to mention \"%s\"", must_mention);
		ok = false;
	}
	return ok;
}

/* The family answers a well-formed request: the error tests mean something. */
static void expect_status_answers(unsigned short family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct reply r;
	bool ok;

	nlh = genl_start(buf, family, PTHRU_CMD_STATUS_GET,
			 PTHRU_FAMILY_VERSION);
	ok = transact(nlh, &r) == 0 && r.error == 0 && r.data_msgs == 1;
	if (!ok)
		diag("status-get: errno %d (%s), %d reply message(s)",
		     r.error, strerror(r.error), r.data_msgs);
	result(ok, "status-get answers a well-formed request");
}

/* Send an audit request; 0 with *r filled, -1 on a socket error. */
static int send_audit(unsigned short family, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return transact(genl_start(buf, family, PTHRU_CMD_AUDIT,
				   PTHRU_FAMILY_VERSION), r);
}

static void expect_audit_answers(unsigned short family)
{
	struct reply r;
	bool ok;

	ok = send_audit(family, &r) == 0 && r.error == 0 && r.data_msgs == 1;
	if (!ok)
		diag("audit: errno %d (%s), %d reply message(s)", r.error,
		     strerror(r.error), r.data_msgs);
	result(ok, "audit answers a caller with CAP_NET_ADMIN");
}

/* In the child: lose CAP from the effective set. */
static int drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	return syscall(SYS_capset, &hdr, data);
}

/* What a check run in a child answers, as its exit status. */
#define CHILD_PASS	0
#define CHILD_FAIL	1
#define CHILD_BROKEN	2
#define CHILD_SKIP	3

typedef int (*child_fn)(unsigned short family, const void *arg);

/*
 * Run FN in a child that dropped CAP from its effective set and opened a
 * socket of its own (the kernel checks both the sender and the opener of
 * the socket), and report its verdict as test NAME; SKIP_REASON is the
 * reason printed when FN answers CHILD_SKIP.
 */
static void in_child(const char *name, int cap, child_fn fn,
		     unsigned short family, const void *arg,
		     const char *skip_reason)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		diag("fork: %s", strerror(errno));
		result(false, name);
		return;
	}
	if (pid == 0) {
		mnl_socket_close(nl);
		if (drop_cap(cap)) {
			diag("cannot drop capability %d: %s", cap,
			     strerror(errno));
			fflush(stdout);
			_exit(CHILD_BROKEN);
		}
		if (pthru_nl_open(&nl)) {
			diag("cannot open a socket: %s", strerror(errno));
			fflush(stdout);
			_exit(CHILD_BROKEN);
		}
		status = fn(family, arg);
		fflush(stdout);
		_exit(status);
	}
	if (waitpid(pid, &status, 0) < 0) {
		diag("waitpid: %s", strerror(errno));
		result(false, name);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_SKIP)
		skip(name, skip_reason);
	else
		result(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_PASS,
		       name);
}

/*
 * Join multicast group GROUP (its id) on the current socket:
 * CHILD_PASS when the answer is WANT_ERR (0: the join works).
 */
static int join_group(unsigned int group, int want_err)
{
	int err = 0;

	if (!group) {
		diag("nlctrl did not list the group");
		return CHILD_FAIL;
	}
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)))
		err = errno;
	diag("NETLINK_ADD_MEMBERSHIP %u: %s", group,
	     err ? strerror(err) : "joined");
	return err == want_err ? CHILD_PASS : CHILD_FAIL;
}

static int join_alerts_refused(unsigned short family, const void *arg)
{
	(void)family;
	(void)arg;
	return join_group(grp_alerts, EPERM);
}

static int join_inventory(unsigned short family, const void *arg)
{
	(void)family;
	(void)arg;
	return join_group(grp_inventory, 0);
}

static void expect_mcast_groups(unsigned short family)
{
	struct mnl_socket *saved = nl;
	bool ok;

	diag("multicast groups: inventory %u, alerts %u", grp_inventory,
	     grp_alerts);
	in_child("joining alerts without CAP_NET_ADMIN is EPERM",
		 CAP_NET_ADMIN, join_alerts_refused, family, NULL, NULL);
	in_child("joining inventory without CAP_NET_ADMIN works",
		 CAP_NET_ADMIN, join_inventory, family, NULL, NULL);
	/* A socket of its own: notifications must not reach the requests'. */
	ok = pthru_nl_open(&nl) == 0 && join_group(grp_alerts, 0) == CHILD_PASS;
	if (nl && nl != saved)
		mnl_socket_close(nl);
	nl = saved;
	result(ok, "joining alerts with CAP_NET_ADMIN works");
}

/* What a map-get reply carried. */
struct map_seen {
	int msgs;		/* mapping messages */
	int phys;		/* of them with phys */
	int hidden;		/* of them with phys-hidden 1 */
	bool first;		/* group and iova below are set */
	unsigned int group;	/* the first message's group-id */
	unsigned long long iova;	/* and iova */
};

static int map_attr_cb(const struct nlattr *attr, void *data)
{
	struct map_seen *m = data;

	switch (mnl_attr_get_type(attr)) {
	case PTHRU_A_MAPPING_PHYS:
		m->phys++;
		break;
	case PTHRU_A_MAPPING_PHYS_HIDDEN:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0 &&
		    mnl_attr_get_u32(attr) == 1)
			m->hidden++;
		break;
	case PTHRU_A_MAPPING_GROUP_ID:
		if (!m->first && mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			m->group = mnl_attr_get_u32(attr);
		break;
	case PTHRU_A_MAPPING_IOVA:
		if (!m->first && mnl_attr_validate(attr, MNL_TYPE_U64) == 0)
			m->iova = mnl_attr_get_u64(attr);
		break;
	}
	return MNL_CB_OK;
}

static bool map_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct map_seen *m = data;

	m->msgs++;
	mnl_attr_parse(nlh, GENL_HDRLEN, map_attr_cb, m);
	m->first = true;
	return true;
}

/*
 * map-get, dump and do, on the current socket: with PRIVILEGED (the caller
 * has CAP_SYS_ADMIN) every range carries phys and none phys-hidden,
 * without it the other way round.  CHILD_SKIP when no domain is tracked.
 */
static int map_get_phys(unsigned short family, const void *arg)
{
	bool privileged = *(const bool *)arg;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct map_seen dump = { 0 }, one = { 0 };
	struct nlmsghdr *nlh;
	struct reply r;
	bool ok;

	nlh = genl_dump_start(buf, family, PTHRU_CMD_MAP_GET);
	if (transact_cb(nlh, &r, map_msg_cb, &dump, &(int){ 0 }) < 0)
		return CHILD_BROKEN;
	diag("map-get dump%s: errno %d, %d range(s), %d with phys, %d with phys-hidden",
	     privileged ? "" : " without CAP_SYS_ADMIN", r.error, dump.msgs,
	     dump.phys, dump.hidden);
	if (r.error)
		return CHILD_FAIL;
	if (!dump.msgs) {
		diag("no tracked domain: nothing to check");
		return CHILD_SKIP;
	}
	ok = privileged ? dump.phys == dump.msgs && !dump.hidden :
			  !dump.phys && dump.hidden == dump.msgs;

	nlh = genl_start(buf, family, PTHRU_CMD_MAP_GET, PTHRU_FAMILY_VERSION);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_GROUP_ID, dump.group);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_IOVA, dump.iova);
	if (transact_cb(nlh, &r, map_msg_cb, &one, &(int){ 0 }) < 0)
		return CHILD_BROKEN;
	diag("map-get do of group %u iova 0x%llx: errno %d, %d message(s), phys %d, phys-hidden %d",
	     dump.group, dump.iova, r.error, one.msgs, one.phys, one.hidden);
	ok = ok && !r.error && one.msgs == 1 &&
	     (privileged ? one.phys == 1 && !one.hidden :
			   !one.phys && one.hidden == 1);
	return ok ? CHILD_PASS : CHILD_FAIL;
}

#define NO_DOMAIN \
	"no tracked domain (needs a VFIO type1 mapping, see pthru_unpriv.sh)"

static void expect_map_phys(unsigned short family)
{
	static const bool privileged = true, unprivileged;
	int ret;

	in_child("map-get without CAP_SYS_ADMIN carries phys-hidden and no phys",
		 CAP_SYS_ADMIN, map_get_phys, family, &unprivileged, NO_DOMAIN);
	ret = map_get_phys(family, &privileged);
	if (ret == CHILD_SKIP)
		skip("map-get with CAP_SYS_ADMIN carries phys and no phys-hidden",
		     NO_DOMAIN);
	else
		result(ret == CHILD_PASS,
		       "map-get with CAP_SYS_ADMIN carries phys and no phys-hidden");
}

/* Each message of a dump holds exactly one attribute of type *data. */
static bool one_nest_cb(const struct nlmsghdr *nlh, void *data)
{
	unsigned int type = *(const unsigned int *)data;
	const struct nlattr *attr;
	int n = 0;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == type)
			n++;
	if (n != 1)
		diag("a message holds %d nests of type %u", n, type);
	return n == 1;
}

/*
 * Send the dump NLH; pass when it ends without error, has at least
 * MIN_MSGS messages and each has exactly one attribute of type TYPE.
 */
static void expect_one_nest_each(const char *name, struct nlmsghdr *nlh,
				 unsigned int type, int min_msgs)
{
	struct reply r;
	int bad = 0;
	bool ok;

	ok = transact_cb(nlh, &r, one_nest_cb, &type, &bad) == 0;
	diag("%d message(s), %d without exactly one nest, errno %d (%s)%s%s",
	     r.data_msgs, bad, r.error, strerror(r.error),
	     r.has_msg ? ": " : "", r.has_msg ? r.msg : "");
	result(ok && !r.error && r.done && !bad && r.data_msgs >= min_msgs,
	       name);
}

/*
 * The policy operations.  None of these requests may change the policy:
 * each is refused, and the generation is compared before and after.
 */

/* Room for the largest request below: 1,025 rules with every field. */
#define BIG_REQUEST	(512 * 1024)
static char big_buf[BIG_REQUEST];

#define ALL_REQUIREMENTS \
	(PTHRU_REQUIREMENT_ACS_ISOLATED | PTHRU_REQUIREMENT_TRANSLATED | \
	 PTHRU_REQUIREMENT_STRICT_INVALIDATION | PTHRU_REQUIREMENT_NO_ATS | \
	 PTHRU_REQUIREMENT_ISOLATED_MSI | PTHRU_REQUIREMENT_NO_DIRECT_REGIONS | \
	 PTHRU_REQUIREMENT_VIABLE_GROUP)

/* The longest label (63) and name (31) the spec allows. */
#define LONG_LABEL \
	"0123456789 0123456789 0123456789 0123456789 0123456789 01234567"
#define LONG_NAME	"slot-name-of-thirty-one-chars-x"

static int policy_gen_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == PTHRU_A_POLICY_GENERATION &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		*(long long *)data = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int policy_gen_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, policy_gen_attr, data);
}

/* The generation policy-get reports, or -1. */
static long long policy_generation(unsigned short family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	long long gen = -1;

	nlh = genl_start(buf, family, PTHRU_CMD_POLICY_GET,
			 PTHRU_FAMILY_VERSION);
	return pthru_nl_request(nl, nlh, policy_gen_cb, &gen) ? -1 : gen;
}

/* Does the error point at ATTR of the request NLH? */
static bool check_offs(const struct reply *r, const struct nlmsghdr *nlh,
		       const void *attr)
{
	int want = (int)((const char *)attr - (const char *)nlh);

	if (r->offs == want)
		return true;
	diag("expected the error to point at offset %d, got %d", want,
	     r->offs);
	return false;
}

static bool check_miss(const struct reply *r, int type)
{
	if (r->miss_type == type)
		return true;
	diag("expected missing-attribute type %d, got %d", type, r->miss_type);
	return false;
}

/* A policy-replace (or policy-test) request with a deny default. */
static struct nlmsghdr *policy_start(char *buf, unsigned short family,
				     unsigned char cmd)
{
	struct nlmsghdr *nlh = genl_start(buf, family, cmd,
					  PTHRU_FAMILY_VERSION);

	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION, PTHRU_ACTION_DENY);
	return nlh;
}

/* Open a rule nest; id 0 and action -1 leave the attribute out. */
static struct nlattr *rule_start(struct nlmsghdr *nlh, unsigned int id,
				 int action)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_RULE);

	if (id)
		mnl_attr_put_u32(nlh, PTHRU_A_RULE_ID, id);
	if (action >= 0)
		mnl_attr_put_u32(nlh, PTHRU_A_RULE_ACTION, action);
	return nest;
}

static void put_rule(struct nlmsghdr *nlh, unsigned int id, int action)
{
	mnl_attr_nest_end(nlh, rule_start(nlh, id, action));
}

/* The largest rule: every match field, the longest label and names. */
static void put_full_rule(struct nlmsghdr *nlh, unsigned int id,
			  const char *addr)
{
	struct nlattr *nest = rule_start(nlh, id, PTHRU_ACTION_ALLOW);

	mnl_attr_put_u32(nlh, PTHRU_A_RULE_REQUIREMENTS, ALL_REQUIREMENTS);
	mnl_attr_put_strz(nlh, PTHRU_A_RULE_LABEL, LONG_LABEL);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_VENDOR, 0x1af4);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_DEVICE, 0x1041);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_SUBSYS_VENDOR, 0x1af4);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_SUBSYS_DEVICE, 0x1100);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_CLASS, 0x020000);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_CLASS_MASK, 0xff0000);
	mnl_attr_put_strz(nlh, PTHRU_A_RULE_ADDR, addr);
	mnl_attr_put_strz(nlh, PTHRU_A_RULE_SLOT, LONG_NAME);
	mnl_attr_put_u64(nlh, PTHRU_A_RULE_DSN, 0x0011223344556677ULL);
	mnl_attr_put_strz(nlh, PTHRU_A_RULE_DRIVER, LONG_NAME);
	mnl_attr_nest_end(nlh, nest);
}

static void expect_policy_set_errors(unsigned short family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *attr = NULL;
	struct nlmsghdr *nlh;
	struct reply r;
	bool ok;
	int i;

	/* The request policy bounds the mode, as for any family. */
	expect_error("policy-set with mode 7 is ERANGE", family,
		     &(struct request){ .cmd = PTHRU_CMD_POLICY_SET,
					.attr_type = PTHRU_A_POLICY_MODE,
					.attr_kind = ATTR_U32, .u32 = 7 },
		     ERANGE, NULL, MSG_TEXT);

	nlh = genl_start(buf, family, PTHRU_CMD_POLICY_SET,
			 PTHRU_FAMILY_VERSION);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION, PTHRU_ACTION_DENY);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS,
			 PTHRU_REQUIREMENT_ACS_ISOLATED);
	ok = check_error(nlh, &r, EINVAL, "allow", MSG_WORD);
	result(ok && check_offs(&r, nlh, attr),
	       "policy-set of a deny default with requirements is EINVAL");

	/* locked is 0 or 1: the request policy bounds it now. */
	nlh = genl_start(buf, family, PTHRU_CMD_POLICY_SET,
			 PTHRU_FAMILY_VERSION);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_LOCKED, 2);
	ok = check_error(nlh, &r, ERANGE, NULL, MSG_TEXT);
	result(ok && check_offs(&r, nlh, attr),
	       "policy-set with locked 2 is ERANGE at the attribute");

	/* The u8 the family took before: a u32 attribute must be 4 bytes. */
	nlh = genl_start(buf, family, PTHRU_CMD_POLICY_SET,
			 PTHRU_FAMILY_VERSION);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u8(nlh, PTHRU_A_POLICY_MODE, PTHRU_POLICY_MODE_OFF);
	ok = check_error(nlh, &r, EINVAL, NULL, MSG_TEXT);
	result(ok && check_offs(&r, nlh, attr),
	       "policy-set with a u8 mode (a u32 attribute) is EINVAL at it");

	nlh = genl_start(buf, family, PTHRU_CMD_POLICY_SET,
			 PTHRU_FAMILY_VERSION);
	for (i = 0; i < 17; i++) {
		attr = mnl_nlmsg_get_payload_tail(nlh);
		mnl_attr_put_strz(nlh, PTHRU_A_POLICY_GATED_DRIVER, "vfio-pci");
	}
	ok = check_error(nlh, &r, E2BIG, "gated", MSG_WORD);
	result(ok && check_offs(&r, nlh, attr),
	       "policy-set with 17 gated drivers is E2BIG at the 17th");

	/* A lone '*' would gate every driver of the host. */
	expect_error("policy-set with gated driver \"*\" is EINVAL", family,
		     &(struct request){ .cmd = PTHRU_CMD_POLICY_SET,
					.attr_type = PTHRU_A_POLICY_GATED_DRIVER,
					.attr_kind = ATTR_STR, .str = "*" },
		     EINVAL, "gated", MSG_WORD);
	expect_error("policy-set with gated driver \"vfio pci\" is EINVAL",
		     family,
		     &(struct request){ .cmd = PTHRU_CMD_POLICY_SET,
					.attr_type = PTHRU_A_POLICY_GATED_DRIVER,
					.attr_kind = ATTR_STR, .str = "vfio pci" },
		     EINVAL, "gated", MSG_WORD);
}

static void expect_replace_errors(unsigned short family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *nest, *attr;
	struct nlmsghdr *nlh;
	struct reply r;
	bool ok;

	nlh = genl_start(buf, family, PTHRU_CMD_POLICY_REPLACE,
			 PTHRU_FAMILY_VERSION);
	put_rule(nlh, 1, PTHRU_ACTION_DENY);
	ok = check_error(nlh, &r, EINVAL, "default-action", MSG_TEXT);
	result(ok && check_miss(&r, PTHRU_A_POLICY_DEFAULT_ACTION),
	       "policy-replace without default-action is EINVAL naming it");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_REPLACE);
	put_rule(nlh, 10, PTHRU_ACTION_ALLOW);
	nest = rule_start(nlh, 12, PTHRU_ACTION_DENY);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_REQUIREMENTS,
			 PTHRU_REQUIREMENT_TRANSLATED);
	mnl_attr_nest_end(nlh, nest);
	ok = check_error(nlh, &r, EINVAL, "rule 12", MSG_TEXT);
	result(ok && check_offs(&r, nlh, attr),
	       "policy-replace with requirements on a deny rule names rule 12");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_REPLACE);
	nest = mnl_nlmsg_get_payload_tail(nlh);
	put_rule(nlh, 5, -1);
	ok = check_error(nlh, &r, EINVAL, "rule 5", MSG_TEXT);
	result(ok && check_miss(&r, PTHRU_A_RULE_ACTION) &&
	       check_offs(&r, nlh, nest),
	       "policy-replace with a rule without action names rule 5");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_REPLACE);
	put_rule(nlh, 1, PTHRU_ACTION_DENY);
	put_rule(nlh, 0, PTHRU_ACTION_DENY);
	ok = check_error(nlh, &r, EINVAL, "rule #2", MSG_TEXT);
	result(ok && check_miss(&r, PTHRU_A_RULE_ID),
	       "policy-replace with a rule without id names its position");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_REPLACE);
	put_rule(nlh, 7, PTHRU_ACTION_DENY);
	put_rule(nlh, 8, PTHRU_ACTION_DENY);
	nest = mnl_nlmsg_get_payload_tail(nlh);
	put_rule(nlh, 7, PTHRU_ACTION_ALLOW);
	ok = check_error(nlh, &r, EINVAL, "duplicate", MSG_WORD);
	result(ok && has_text(r.msg, "rule 7") && check_offs(&r, nlh, nest),
	       "policy-replace with a duplicate rule id is EINVAL at the second");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_REPLACE);
	nest = rule_start(nlh, 3, PTHRU_ACTION_DENY);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_strz(nlh, PTHRU_A_RULE_ADDR, "0000:00:1f");
	mnl_attr_nest_end(nlh, nest);
	ok = check_error(nlh, &r, EINVAL, "rule 3", MSG_TEXT);
	result(ok && check_offs(&r, nlh, attr),
	       "policy-replace with a malformed rule addr is EINVAL at the addr");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_REPLACE);
	nest = rule_start(nlh, 4, PTHRU_ACTION_DENY);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_CLASS_MASK, 0xff0000);
	mnl_attr_nest_end(nlh, nest);
	ok = check_error(nlh, &r, EINVAL, "class", MSG_TEXT);
	result(ok && has_text(r.msg, "rule 4"),
	       "policy-replace with a class mask without class is EINVAL");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_REPLACE);
	nest = rule_start(nlh, 6, PTHRU_ACTION_DENY);
	mnl_attr_put_strz(nlh, PTHRU_A_RULE_LABEL, "tab\there");
	mnl_attr_nest_end(nlh, nest);
	ok = check_error(nlh, &r, EINVAL, "label", MSG_WORD);
	result(ok && has_text(r.msg, "rule 6"),
	       "policy-replace with a control character in a label is EINVAL");
}

/* Room for the largest policy-replace in the kernel's receive path too. */
static void widen_send_buffer(void)
{
	int size = BIG_REQUEST;

	/* Capped at wmem_max and doubled by the kernel: 416 KiB by default. */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUF, &size,
		       sizeof(size)))
		diag("SO_SNDBUF: %s", strerror(errno));
}

static void expect_big_replace_errors(unsigned short family)
{
	struct nlattr *attr = NULL;
	struct nlmsghdr *nlh;
	unsigned int i;
	struct reply r;
	bool ok;

	widen_send_buffer();

	nlh = policy_start(big_buf, family, PTHRU_CMD_POLICY_REPLACE);
	for (i = 1; i <= 1025; i++) {
		attr = mnl_nlmsg_get_payload_tail(nlh);
		put_rule(nlh, i, PTHRU_ACTION_DENY);
	}
	ok = check_error(nlh, &r, E2BIG, "1024", MSG_WORD);
	result(ok && check_offs(&r, nlh, attr),
	       "policy-replace with 1025 rules is E2BIG at the 1025th");

	/*
	 * The largest request the spec allows: 1024 rules with every field.
	 * The last rule's address is malformed, so an answer naming that
	 * rule shows that the module read all of it, and nothing changes.
	 */
	nlh = policy_start(big_buf, family, PTHRU_CMD_POLICY_REPLACE);
	for (i = 1; i <= 1024; i++)
		put_full_rule(nlh, i, i < 1024 ? "0000:01:00.0" : "0000:01:00.8");
	diag("policy-replace of 1024 rules with every field: %u bytes",
	     nlh->nlmsg_len);
	result(check_error(nlh, &r, EINVAL, "rule 1024", false),
	       "policy-replace of 1024 full rules is read up to the last rule");
}

static void expect_test_errors(unsigned short family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *nest, *attr;
	struct nlmsghdr *nlh;
	struct reply r;
	bool ok;

	nlh = genl_start(buf, family, PTHRU_CMD_POLICY_TEST,
			 PTHRU_FAMILY_VERSION);
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_ADDR, "0000:00:00.0");
	ok = check_error(nlh, &r, EINVAL, "default-action", MSG_TEXT);
	result(ok && check_miss(&r, PTHRU_A_POLICY_DEFAULT_ACTION),
	       "policy-test without default-action is EINVAL naming it");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_TEST);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_ADDR, "zz");
	ok = check_error(nlh, &r, EINVAL, NULL, MSG_TEXT);
	result(ok && check_offs(&r, nlh, attr),
	       "policy-test with a malformed test-addr is EINVAL");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_TEST);
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_ADDR, "0000:ff:1f.7");
	result(check_error(nlh, &r, ENODEV, "0000:ff:1f.7", MSG_TEXT),
	       "policy-test of an unknown test-addr is ENODEV naming it");

	/* The dump's error comes in its NLMSG_DONE. */
	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_TEST);
	nlh->nlmsg_flags |= NLM_F_DUMP;
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_ADDR, "0000:ff:1f.7");
	result(check_error(nlh, &r, ENODEV, "0000:ff:1f.7", MSG_TEXT),
	       "policy-test dump of an unknown test-addr is ENODEV naming it");

	/* A do decides for one function: test-addr is required. */
	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_TEST);
	ok = check_error(nlh, &r, EINVAL, "test-addr", MSG_TEXT);
	if (ok && r.miss_type >= 0)
		ok = check_miss(&r, PTHRU_A_POLICY_TEST_ADDR);
	result(ok, "policy-test do without test-addr is EINVAL naming it");

	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_TEST);
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_ADDR, "0000:00:00.0");
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_DRIVER, "vfio pci");
	result(check_error(nlh, &r, EINVAL, "test-driver", MSG_TEXT),
	       "policy-test with a malformed test-driver is EINVAL");

	/* A policy that is only tested is checked as one to install. */
	nlh = policy_start(buf, family, PTHRU_CMD_POLICY_TEST);
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_ADDR, "0000:00:00.0");
	nest = rule_start(nlh, 9, PTHRU_ACTION_DENY);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_REQUIREMENTS,
			 PTHRU_REQUIREMENT_NO_ATS);
	mnl_attr_nest_end(nlh, nest);
	result(check_error(nlh, &r, EINVAL, "rule 9", MSG_TEXT),
	       "policy-test with a bad rule is EINVAL naming it");

	/* Dump: every function (bridges and ports aside), one per message. */
	nlh = genl_dump_start(buf, family, PTHRU_CMD_POLICY_TEST);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION,
			 PTHRU_ACTION_ALLOW);
	expect_one_nest_each("policy-test dump answers one decision nest per message",
			     nlh, PTHRU_A_POLICY_DECISION, 1);
}

static void expect_rule_get_errors(unsigned short family)
{
	expect_error("rule-get without rule-id is EINVAL naming it", family,
		     &(struct request){ .cmd = PTHRU_CMD_RULE_GET },
		     EINVAL, "rule-id", MSG_TEXT);
	expect_error("rule-get of an unknown rule is ENOENT", family,
		     &(struct request){ .cmd = PTHRU_CMD_RULE_GET,
					.attr_type = PTHRU_A_POLICY_RULE_ID,
					.attr_kind = ATTR_U32,
					.u32 = 0xfffffff0 },
		     ENOENT, NULL, MSG_TEXT);
}

static void expect_policy_get_answers(unsigned short family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct reply r;
	bool ok;

	ok = transact(genl_start(buf, family, PTHRU_CMD_POLICY_GET,
				 PTHRU_FAMILY_VERSION), &r) == 0 &&
	     r.error == 0 && r.data_msgs == 1;
	if (!ok)
		diag("policy-get: errno %d (%s), %d reply message(s)",
		     r.error, strerror(r.error), r.data_msgs);
	result(ok, "policy-get answers");
}

/*
 * In a child without CAP_NET_ADMIN: the operations that change state are
 * refused with EPERM and an extack message naming the capability.  The
 * requests are ones the module would refuse too (valid for the request
 * policy, wrong for the operation), so a missing check cannot change
 * anything; policy-test changes nothing and answers.
 */
static int without_net_admin(unsigned short family, const void *arg)
{
	const struct request *req = arg;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct reply r;
	int want_err = req->u32;
	bool ok;

	nlh = genl_start(buf, family, req->cmd, PTHRU_FAMILY_VERSION);
	switch (req->cmd) {
	case PTHRU_CMD_POLICY_SET:
		/* Requirements on a deny default: the module says EINVAL. */
		mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION,
				 PTHRU_ACTION_DENY);
		mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS,
				 PTHRU_REQUIREMENT_ACS_ISOLATED);
		break;
	case PTHRU_CMD_POLICY_REPLACE:
		/* A duplicate rule id: the module says EINVAL. */
		mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION,
				 PTHRU_ACTION_DENY);
		put_rule(nlh, 7, PTHRU_ACTION_DENY);
		put_rule(nlh, 7, PTHRU_ACTION_DENY);
		break;
	case PTHRU_CMD_MAP_VERIFY:
		/* A group without a tracked domain: the module says ENOENT. */
		mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_GROUP_ID, 0xfffffff0);
		break;
	case PTHRU_CMD_POLICY_TEST:
		mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION,
				 PTHRU_ACTION_DENY);
		mnl_attr_put_strz(nlh, PTHRU_A_POLICY_TEST_ADDR,
				  "0000:00:00.0");
		break;
	}
	if (transact(nlh, &r) < 0)
		return CHILD_BROKEN;
	diag("without CAP_NET_ADMIN: errno %d (%s), %d reply message(s), extack message: %s",
	     r.error, strerror(r.error), r.data_msgs,
	     r.has_msg ? r.msg : "none");
	ok = r.error == want_err && r.data_msgs == !want_err;
	if (want_err && !(r.has_msg && has_text(r.msg, "CAP_NET_ADMIN"))) {
		diag("expected an extack message naming CAP_NET_ADMIN");
		ok = false;
	}
	return ok ? CHILD_PASS : CHILD_FAIL;
}

static void expect_without_net_admin(const char *name, unsigned short family,
				     unsigned char cmd, int want_err)
{
	const struct request req = { .cmd = cmd, .u32 = want_err };

	in_child(name, CAP_NET_ADMIN, without_net_admin, family, &req, NULL);
}

/* Every policy test; POLICY_TESTS results. */
#define POLICY_TESTS	33
static void expect_policy_errors(unsigned short family)
{
	long long before, after;

	before = policy_generation(family);
	expect_policy_get_answers(family);
	expect_policy_set_errors(family);
	expect_replace_errors(family);
	expect_big_replace_errors(family);
	expect_test_errors(family);
	expect_rule_get_errors(family);
	/* A reply-only do takes no request attribute. */
	expect_error("policy-get with an attribute is EINVAL", family,
		     &(struct request){ .cmd = PTHRU_CMD_POLICY_GET,
					.attr_type = PTHRU_A_POLICY_MODE,
					.attr_kind = ATTR_U32, .u32 = 0 },
		     EINVAL, NULL, MSG_TEXT);
	expect_without_net_admin("policy-set without CAP_NET_ADMIN is EPERM naming the capability",
				 family, PTHRU_CMD_POLICY_SET, EPERM);
	expect_without_net_admin("policy-replace without CAP_NET_ADMIN is EPERM naming the capability",
				 family, PTHRU_CMD_POLICY_REPLACE, EPERM);
	expect_without_net_admin("policy-test answers without CAP_NET_ADMIN",
				 family, PTHRU_CMD_POLICY_TEST, 0);
	after = policy_generation(family);
	diag("policy generation before %lld, after %lld", before, after);
	result(before > 0 && after == before,
	       "no refused policy request changed the policy");
}

/* The tests main() runs before the policy ones. */
#define MAIN_TESTS	24

int main(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int family;

	printf("TAP version 13\n");
	if (pthru_nl_open(&nl)) {
		printf("1..0 # SKIP no generic netlink socket with extended acks: %s\n",
		       strerror(errno));
		return KSFT_SKIP;
	}
	/* The family's id (0: not registered); its groups to mcast_group(). */
	family = pthru_nl_resolve_family(nl, ++seq, mcast_group);
	if (family < 0) {
		printf("1..0 # SKIP cannot ask nlctrl for the family: %s\n",
		       strerror(errno));
		return KSFT_SKIP;
	}
	if (family == 0) {
		printf("1..0 # SKIP the pthru module is not loaded (modprobe pthru)\n");
		return KSFT_SKIP;
	}

	printf("1..%d\n", MAIN_TESTS + POLICY_TESTS);
	expect_status_answers(family);
	/* A reply-only do takes no request attribute. */
	expect_error("status-get with an attribute is EINVAL", family,
		     &(struct request){ .cmd = PTHRU_CMD_STATUS_GET,
					.attr_type = PTHRU_A_STATUS_VERSION,
					.attr_kind = ATTR_STR, .str = "0" },
		     EINVAL, NULL, MSG_TEXT);
	expect_error("dev-get without addr is EINVAL naming the attribute",
		     family, &(struct request){ .cmd = PTHRU_CMD_DEV_GET },
		     EINVAL, "addr", MSG_TEXT);
	expect_error("dev-get with a malformed addr is EINVAL", family,
		     &(struct request){ .cmd = PTHRU_CMD_DEV_GET,
					.attr_type = PTHRU_A_DEV_ADDR,
					.attr_kind = ATTR_STR, .str = "zz" },
		     EINVAL, NULL, MSG_TEXT);
	expect_error("dev-get with an over-long addr is EINVAL", family,
		     &(struct request){ .cmd = PTHRU_CMD_DEV_GET,
					.attr_type = PTHRU_A_DEV_ADDR,
					.attr_kind = ATTR_STR,
					.str = "0000:00:00.0000000" },
		     EINVAL, NULL, MSG_TEXT);
	expect_error("dev-get of an unknown device is ENODEV naming it",
		     family, &(struct request){ .cmd = PTHRU_CMD_DEV_GET,
						.attr_type = PTHRU_A_DEV_ADDR,
						.attr_kind = ATTR_STR,
						.str = "0000:ff:1f.7" },
		     ENODEV, "0000:ff:1f.7", MSG_TEXT);
	expect_error("group-get without id is EINVAL naming the attribute",
		     family, &(struct request){ .cmd = PTHRU_CMD_GROUP_GET },
		     EINVAL, "id", MSG_WORD);
	expect_error("group-get of an unknown group is ENOENT", family,
		     &(struct request){ .cmd = PTHRU_CMD_GROUP_GET,
					.attr_type = PTHRU_A_GROUP_ID,
					.attr_kind = ATTR_U32,
					.u32 = 0xfffffff0 },
		     ENOENT, NULL, MSG_TEXT);
	/* Strict validation: an attribute the op does not know is refused. */
	expect_error("dev-get with an unknown attribute type is EINVAL",
		     family, &(struct request){ .cmd = PTHRU_CMD_DEV_GET,
						.attr_type = PTHRU_A_DEV_MAX + 10,
						.attr_kind = ATTR_U32, .u32 = 1 },
		     EINVAL, NULL, MSG_TEXT);
	/* hazard-get is dump-only: generic netlink answers a do itself. */
	expect_error("hazard-get do is EOPNOTSUPP", family,
		     &(struct request){ .cmd = PTHRU_CMD_HAZARD_GET },
		     EOPNOTSUPP, NULL, MSG_ANY);
	expect_error("hazard-get dump with a malformed addr is EINVAL", family,
		     &(struct request){ .cmd = PTHRU_CMD_HAZARD_GET,
					.dump = true,
					.attr_type = PTHRU_A_HAZARD_ADDR,
					.attr_kind = ATTR_STR, .str = "zz" },
		     EINVAL, NULL, MSG_TEXT);
	expect_error("hazard-get dump of an unknown device is ENODEV naming it",
		     family, &(struct request){ .cmd = PTHRU_CMD_HAZARD_GET,
						.dump = true,
						.attr_type = PTHRU_A_HAZARD_ADDR,
						.attr_kind = ATTR_STR,
						.str = "0000:ff:1f.7" },
		     ENODEV, "0000:ff:1f.7", MSG_TEXT);
	/* A value outside the policy's range is ERANGE, as for any family. */
	expect_error("hazard-get dump with a min-severity above critical is ERANGE",
		     family, &(struct request){ .cmd = PTHRU_CMD_HAZARD_GET,
						.dump = true,
						.attr_type = PTHRU_A_HAZARD_MIN_SEVERITY,
						.attr_kind = ATTR_U32,
						.u32 = PTHRU_SEVERITY_CRITICAL + 1 },
		     ERANGE, NULL, MSG_TEXT);
	/* min-severity was a u8: the old form fails validation now. */
	expect_error("hazard-get dump with a u8 min-severity (a u32 attribute) is EINVAL",
		     family, &(struct request){ .cmd = PTHRU_CMD_HAZARD_GET,
						.dump = true,
						.attr_type = PTHRU_A_HAZARD_MIN_SEVERITY,
						.attr_kind = ATTR_U8,
						.u32 = PTHRU_SEVERITY_INFO },
		     EINVAL, NULL, MSG_TEXT);
	expect_one_nest_each("hazard-get dump answers one finding nest per message",
			     genl_dump_start(buf, family, PTHRU_CMD_HAZARD_GET),
			     PTHRU_A_HAZARD_FINDING, 0);
	expect_error("audit with an unknown attribute type is EINVAL",
		     family, &(struct request){ .cmd = PTHRU_CMD_AUDIT,
						.attr_type = PTHRU_A_AUDIT_MAX + 10,
						.attr_kind = ATTR_U32, .u32 = 1 },
		     EINVAL, NULL, MSG_TEXT);
	expect_audit_answers(family);
	expect_without_net_admin("audit without CAP_NET_ADMIN is EPERM naming the capability",
				 family, PTHRU_CMD_AUDIT, EPERM);
	expect_without_net_admin("map-verify without CAP_NET_ADMIN is EPERM naming the capability",
				 family, PTHRU_CMD_MAP_VERIFY, EPERM);
	expect_mcast_groups(family);
	expect_map_phys(family);
	expect_policy_errors(family);

	mnl_socket_close(nl);
	if (test_num != MAIN_TESTS + POLICY_TESTS) {
		diag("ran %d tests, planned %d", test_num,
		     MAIN_TESTS + POLICY_TESTS);
		failures++;
	}
	printf("# Totals: pass:%d fail:%d skip:%d\n",
	       test_num - failures - skips, failures, skips);
	return failures ? KSFT_FAIL : KSFT_PASS;
}
