// SPDX-License-Identifier: GPL-2.0
/*
 * pthru_nl_fuzz - throw many malformed generic netlink messages at the
 * pthru family and check that every answer is well formed.
 *
 * pthru_nl_errors checks one deliberate mistake at a time; this program
 * checks the cases nobody thought of: it builds requests from the spec's
 * attributes for each command (and for unknown command numbers), mutates
 * them (wrong types and lengths, nests for scalars and scalars for nests,
 * deep nesting, flag bits in nla_type, duplicates, strings without NUL,
 * huge values, flipped bytes, nlmsg_len that disagrees with the datagram,
 * up to 64 KiB of attributes) and sends them with random nlmsg_flags, from
 * a privileged process and from a child without any capability, at once.
 * Bytes after nlmsg_len are always fewer than a netlink header, so the
 * kernel never reads them as a second message: one datagram, one request
 * to account for.
 *
 *	pthru_nl_fuzz [-n N] [-s SEED] [-u FRACTION] [-w] [-L]
 *	pthru_nl_fuzz -s SEED [-w] [-L] [-U] [-f ID] -x INDEX
 *
 * -n N		messages in all (default 100000)
 * -s SEED	PRNG seed (default: from the clock; always printed, so that
 *		a run can be replayed: the messages depend only on the seed,
 *		never on the kernel's answers)
 * -u FRACTION	share of the messages sent by the unprivileged child
 *		(default 0.5)
 * -w		let the privileged process send the operations that change
 *		state too (see "What may be sent" below)
 * -L		allow requests that would lock the policy (until reboot!)
 * -x INDEX	send nothing: print message INDEX (from 0) of the privileged
 *		stream (-U: of the unprivileged one) in hex, as a failure
 *		example names it, to replay it by hand; -f ID gives the
 *		family id instead of asking the kernel
 *
 * What may be sent.  The spec has four operations that change state, all
 * of them needing CAP_NET_ADMIN, checked in pthru's handlers:
 *   audit		re-reads the hardware and re-evaluates the findings;
 *   map-verify	walks the shadow and re-evaluates the findings;
 *   policy-set	mode, default, gated drivers, and the lock;
 *   policy-replace	the whole policy.
 * No operation writes a device's ACS control (audit only reads it) or
 * binds a driver.  The unprivileged child sends all four, mutated like the
 * rest: each must be refused, and one that succeeds is a failure (c).  The
 * privileged process sends them only with -w, because a random policy can
 * refuse every bind (enforce mode with a deny default) and leave the host
 * unusable for the tests that follow; a script that passes -w must save
 * and restore the policy.  audit and map-verify only recompute what pthru
 * derives from the hardware, but they are kept behind -w with the others
 * so that the default run changes nothing at all.
 *
 * The lock (policy-set's locked attribute) cannot be undone before a
 * reboot and keeps the module from being unloaded, so without -L it is
 * never generated and, since a mutation can turn any attribute into it,
 * the final datagram is checked before it is sent: it is walked as
 * netlink_rcv_skb() and __nla_parse() walk it (every message the kernel
 * would dispatch, every top-level attribute, flag bits masked off), and
 * one that carries an attribute of type PTHRU_A_POLICY_LOCKED to any
 * operation of the policy attribute set is dropped and replaced by a new
 * message.  A locked value nested in a rule is another attribute (the
 * rule's requirements) and is harmless.
 *
 * How answers are collected.  Each message is followed by a barrier: an
 * NLMSG_NOOP with NLM_F_REQUEST | NLM_F_ACK, which netlink_rcv_skb() acks
 * without passing it to any family.  The kernel handles a datagram in the
 * sender's context, so every answer to the message (none for a do without
 * NLM_F_ACK that succeeded, one reply and/or an ack, an error) is queued
 * before the barrier's ack; only a dump continues as it is read and may
 * end after it, with NLMSG_DONE or an error.  A message the kernel never looks
 * at (nlmsg_len below the netlink header or beyond the datagram) gets no
 * answer, whatever its flags.
 *
 * Assertions, each one KTAP test:
 *   (a) every reply parses: nlmsg_len within the datagram, an NLMSG_ERROR
 *       at least as long as struct nlmsgerr, the echoed request within it;
 *   (b) no NLMSG_ERROR or NLMSG_DONE carries a positive errno;
 *   (c) no operation that changes state succeeds for the child without
 *       capabilities (an ack of 0 or a reply to a request it handled);
 *   (d) every message that must be answered (one the kernel reads with
 *       NLM_F_ACK, or a dump) is answered, and the barrier within
 *       the receive timeout;
 *   (e) an error to a known pthru command carries an extack message,
 *       unless generic netlink itself answered before pthru's handler ran
 *       (gen_answers_bare() lists those cases).
 *
 * Prints KTAP; exits 0 when all pass, 1 on a failure, 4 (skip) when the
 * family is absent.
 */
#define _GNU_SOURCE	/* strerrorname_np() */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
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

/* Up to 64 KiB of attributes, plus the headers and some junk after them. */
#define MSG_MAX		(65536 + 256)
/* A dump's skb is at most 64 KiB; a bigger buffer never truncates one. */
#define RECV_MAX	(256 * 1024)
#define RECV_TIMEOUT_S	5
#define EXAMPLES_MAX	10
#define ERRNO_MAX	256
#define EXAMPLE_BYTES	48
/* Barriers and the family query number apart from the stream's messages. */
#define BARRIER_SEQ	0x80000000u
#define QUERY_SEQ	0x7fffffffu
/* The unprivileged child's stream: the seed, this xor'ed in. */
#define UNPRIV_SEED	0x5deece66dULL

/* The assertion classes, in the order of their KTAP tests. */
enum {
	FAIL_PARSE, FAIL_POSITIVE, FAIL_UNPRIV, FAIL_SILENT, FAIL_NO_MSG,
	FAIL_CLASSES
};

static const char *const fail_names[FAIL_CLASSES] = {
	"(a) every reply parses",
	"(b) no reply carries a positive errno",
	"(c) no state-changing operation succeeds without capabilities",
	"(d) every message that must be answered is answered in time",
	"(e) every error to a pthru command carries an extack message",
};

struct example {
	unsigned long index;	/* message number within its sender */
	unsigned int nlmsg_len;	/* as written in the header */
	unsigned int sent;	/* bytes in the datagram */
	unsigned short flags;
	unsigned char cmd;
	unsigned char cls;
	bool priv;
	int error;
	unsigned int nbytes;
	unsigned char bytes[EXAMPLE_BYTES];
};

/* What one sender counted; the child hands its copy over a pipe. */
struct stats {
	unsigned long sent;
	unsigned long filtered;	/* dropped by the lock filter */
	unsigned long replies;
	unsigned long acks;
	unsigned long dumps;	/* NLMSG_DONE received */
	unsigned long enobufs;
	unsigned long errs[ERRNO_MAX];
	unsigned long fails[FAIL_CLASSES];
	unsigned int nexamples;
	struct example examples[EXAMPLES_MAX];
	bool broken;		/* the sender could not run at all */
};

/* The message being sent, as the checks need to know it. */
struct sent_msg {
	unsigned long index;
	const unsigned char *buf;
	unsigned int len;	/* bytes in the datagram */
	unsigned int nlmsg_len;
	unsigned short flags;
	unsigned char cmd;	/* the genl cmd byte as sent, if present */
	bool seen;		/* netlink_rcv_skb() reads it */
	bool request;		/* ... and hands it to generic netlink */
	bool dump;		/* ... as a dump */
	bool must_answer;
	bool priv;
};

static struct mnl_socket *nl;
static unsigned short family;
static unsigned int seq;		/* of the messages: part of the stream */
static unsigned int barrier_seq;	/* of the barriers, from BARRIER_SEQ */
static struct stats st;
static bool opt_writes;
static bool opt_lock;
static long opt_show = -1;
static uint64_t rng;

/* splitmix64: small, fast, and the same everywhere for a given seed. */
static uint64_t rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(unsigned int n)
{
	return n ? (unsigned int)(rnd64() % n) : 0;
}

/* True with probability 1/N. */
static bool one_in(unsigned int n)
{
	return rnd(n) == 0;
}

/*
 * The request side of the spec: for each operation, the attributes of its
 * do and of its dump request.  Kinds are what the policy expects; rules
 * are nests of the rule attribute set.
 */
enum kind { K_U32, K_U64, K_STR, K_RULE };

struct aspec {
	unsigned short type;
	unsigned char kind;
	unsigned short maxlen;	/* strings: the policy's len */
	uint32_t max;		/* integers: the policy's maximum, 0: none */
};

struct opspec {
	unsigned char cmd;
	bool has_do, has_dump;
	bool writes;		/* changes state; needs CAP_NET_ADMIN */
	const struct aspec *do_attrs, *dump_attrs;
	unsigned int n_do, n_dump;
};

static const struct aspec dev_do[] = {
	{ PTHRU_A_DEV_ADDR, K_STR, 16, 0 },
};
static const struct aspec group_do[] = {
	{ PTHRU_A_GROUP_ID, K_U32, 0, 0 },
};
static const struct aspec hazard_dump[] = {
	{ PTHRU_A_HAZARD_MIN_SEVERITY, K_U32, 0, PTHRU_SEVERITY_CRITICAL },
	{ PTHRU_A_HAZARD_ADDR, K_STR, 16, 0 },
};
/* The last entry, the lock, is used only with -L. */
static const struct aspec policy_set_do[] = {
	{ PTHRU_A_POLICY_MODE, K_U32, 0, PTHRU_POLICY_MODE_ENFORCE },
	{ PTHRU_A_POLICY_DEFAULT_ACTION, K_U32, 0, PTHRU_ACTION_ALLOW },
	{ PTHRU_A_POLICY_DEFAULT_REQUIREMENTS, K_U32, 0, 0x7f },
	{ PTHRU_A_POLICY_GATED_DRIVER, K_STR, 31, 0 },
	{ PTHRU_A_POLICY_LOCKED, K_U32, 0, 1 },
};
static const struct aspec rule_get_do[] = {
	{ PTHRU_A_POLICY_RULE_ID, K_U32, 0, 0 },
};
static const struct aspec policy_replace_do[] = {
	{ PTHRU_A_POLICY_MODE, K_U32, 0, PTHRU_POLICY_MODE_ENFORCE },
	{ PTHRU_A_POLICY_DEFAULT_ACTION, K_U32, 0, PTHRU_ACTION_ALLOW },
	{ PTHRU_A_POLICY_DEFAULT_REQUIREMENTS, K_U32, 0, 0x7f },
	{ PTHRU_A_POLICY_GATED_DRIVER, K_STR, 31, 0 },
	{ PTHRU_A_POLICY_RULE, K_RULE, 0, 0 },
};
static const struct aspec policy_test_req[] = {
	{ PTHRU_A_POLICY_DEFAULT_ACTION, K_U32, 0, PTHRU_ACTION_ALLOW },
	{ PTHRU_A_POLICY_DEFAULT_REQUIREMENTS, K_U32, 0, 0x7f },
	{ PTHRU_A_POLICY_RULE, K_RULE, 0, 0 },
	{ PTHRU_A_POLICY_TEST_ADDR, K_STR, 16, 0 },
	{ PTHRU_A_POLICY_TEST_DRIVER, K_STR, 31, 0 },
};
static const struct aspec map_req[] = {
	{ PTHRU_A_MAPPING_GROUP_ID, K_U32, 0, 0 },
	{ PTHRU_A_MAPPING_IOVA, K_U64, 0, 0 },
};
static const struct aspec stats_do[] = {
	{ PTHRU_A_STATS_DOMAIN_ID, K_U32, 0, 0 },
};
static const struct aspec verify_do[] = {
	{ PTHRU_A_VERIFY_GROUP_ID, K_U32, 0, 0 },
};
static const struct aspec rule_attrs[] = {
	{ PTHRU_A_RULE_ID, K_U32, 0, 0 },
	{ PTHRU_A_RULE_LABEL, K_STR, 63, 0 },
	{ PTHRU_A_RULE_ACTION, K_U32, 0, PTHRU_ACTION_ALLOW },
	{ PTHRU_A_RULE_REQUIREMENTS, K_U32, 0, 0x7f },
	{ PTHRU_A_RULE_VENDOR, K_U32, 0, 0xffff },
	{ PTHRU_A_RULE_DEVICE, K_U32, 0, 0xffff },
	{ PTHRU_A_RULE_SUBSYS_VENDOR, K_U32, 0, 0xffff },
	{ PTHRU_A_RULE_SUBSYS_DEVICE, K_U32, 0, 0xffff },
	{ PTHRU_A_RULE_CLASS, K_U32, 0, 0 },
	{ PTHRU_A_RULE_CLASS_MASK, K_U32, 0, 0 },
	{ PTHRU_A_RULE_ADDR, K_STR, 16, 0 },
	{ PTHRU_A_RULE_SLOT, K_STR, 31, 0 },
	{ PTHRU_A_RULE_DSN, K_U64, 0, 0 },
	{ PTHRU_A_RULE_DRIVER, K_STR, 31, 0 },
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))
#define OP(c, d, dn, w, da, nd, pa, np) \
	[c] = { c, d, dn, w, da, pa, nd, np }

/* Indexed by command; the notifications have neither do nor dump. */
static const struct opspec ops[PTHRU_CMD_MAX + 1] = {
	OP(PTHRU_CMD_STATUS_GET, true, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_DEV_GET, true, true, false, dev_do, N(dev_do), NULL, 0),
	OP(PTHRU_CMD_GROUP_GET, true, true, false, group_do, N(group_do),
	   NULL, 0),
	OP(PTHRU_CMD_DEV_ADD_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_DEV_DEL_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_DEV_BIND_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_DEV_UNBIND_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_HAZARD_GET, false, true, false, NULL, 0, hazard_dump,
	   N(hazard_dump)),
	OP(PTHRU_CMD_AUDIT, true, false, true, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_ACS_CHANGE_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_HAZARD_RAISE_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_HAZARD_CLEAR_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_POLICY_GET, true, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_POLICY_SET, true, false, true, policy_set_do,
	   N(policy_set_do), NULL, 0),
	OP(PTHRU_CMD_RULE_GET, true, true, false, rule_get_do, N(rule_get_do),
	   NULL, 0),
	OP(PTHRU_CMD_POLICY_REPLACE, true, false, true, policy_replace_do,
	   N(policy_replace_do), NULL, 0),
	OP(PTHRU_CMD_POLICY_TEST, true, true, false, policy_test_req,
	   N(policy_test_req), policy_test_req, N(policy_test_req)),
	OP(PTHRU_CMD_POLICY_CHANGE_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_DECISION_NTF, false, false, false, NULL, 0, NULL, 0),
	OP(PTHRU_CMD_MAP_GET, true, true, false, map_req, N(map_req), map_req,
	   N(map_req)),
	OP(PTHRU_CMD_STATS_GET, true, false, false, stats_do, N(stats_do),
	   NULL, 0),
	OP(PTHRU_CMD_MAP_VERIFY, true, false, true, verify_do, N(verify_do),
	   NULL, 0),
};

static bool known_cmd(unsigned int cmd)
{
	return cmd >= 1 && cmd <= PTHRU_CMD_MAX;
}

static bool writes(unsigned int cmd)
{
	return known_cmd(cmd) && ops[cmd].writes;
}

/* The operations on the policy attribute set, where the lock lives. */
static bool policy_set_op(unsigned int cmd)
{
	return cmd == PTHRU_CMD_POLICY_GET || cmd == PTHRU_CMD_POLICY_SET ||
	       cmd == PTHRU_CMD_RULE_GET || cmd == PTHRU_CMD_POLICY_REPLACE ||
	       cmd == PTHRU_CMD_POLICY_TEST;
}

/* ---- building messages ------------------------------------------------ */

struct builder {
	unsigned char *b;
	unsigned int len;
};

static bool room(const struct builder *m, unsigned int n)
{
	return m->len + n <= MSG_MAX - 64;
}

/*
 * An attribute whose nla_len is 4 + DLEN (LEN_FIX, when not 0, replaces
 * it: a lie about the payload) followed by DLEN bytes of DATA, padded.
 * Returns its offset, or 0 when it does not fit.
 */
static unsigned int put_attr_len(struct builder *m, uint16_t type,
				 const void *data, unsigned int dlen,
				 unsigned int len_fix)
{
	unsigned int off = m->len;
	struct nlattr nla;

	if (dlen > 0xffff - NLA_HDRLEN || !room(m, NLA_ALIGN(NLA_HDRLEN + dlen)))
		return 0;
	nla.nla_len = len_fix ? len_fix : NLA_HDRLEN + dlen;
	nla.nla_type = type;
	memcpy(m->b + off, &nla, sizeof(nla));
	if (dlen)
		memcpy(m->b + off + NLA_HDRLEN, data, dlen);
	memset(m->b + off + NLA_HDRLEN + dlen, 0,
	       NLA_ALIGN(NLA_HDRLEN + dlen) - NLA_HDRLEN - dlen);
	m->len += NLA_ALIGN(NLA_HDRLEN + dlen);
	return off;
}

static unsigned int put_attr(struct builder *m, uint16_t type,
			     const void *data, unsigned int dlen)
{
	return put_attr_len(m, type, data, dlen, 0);
}

static unsigned int nest_start(struct builder *m, uint16_t type)
{
	return put_attr(m, type, NULL, 0);
}

static void nest_end(struct builder *m, unsigned int off)
{
	struct nlattr nla;
	unsigned int len = m->len - off;

	memcpy(&nla, m->b + off, sizeof(nla));
	/* A nest past 64 KiB wraps nla_len: a malformed nest is fine too. */
	nla.nla_len = (uint16_t)len;
	memcpy(m->b + off, &nla, sizeof(nla));
}

static uint32_t rnd_u32(uint32_t max)
{
	switch (rnd(10)) {
	case 0:
		return 0;
	case 1:
		return max;
	case 2:
		return max + 1;
	case 3:
		return 0xffffffffu;
	case 4:
		return 0x80000000u;
	case 5:
		return (uint32_t)rnd64();
	default:
		return max ? rnd(max + 1) : rnd(64);
	}
}

static uint64_t rnd_u64(void)
{
	switch (rnd(6)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return 1ULL << 63;
	case 3:
		return rnd64();
	default:
		return (uint64_t)rnd(1 << 20) << 12;
	}
}

static const char *const strings[] = {
	"0000:00:00.0", "0000:00:01.0", "0000:00:02.0", "0000:00:03.0",
	"0000:00:04.0", "0000:ff:1f.7", "0000:00:1f", "00:02.0", "zz", "",
	"vfio-pci", "pci-stub", "pcieport", "edu", "vfio pci", "tab\there",
	"0000:00:00.0000000", "ffff:ff:1f.7", "-1", "%s%s%n",
};

/* A string for an attribute of at most MAXLEN: valid, long or binary. */
static unsigned int rnd_string(char *s, unsigned int cap, unsigned int maxlen,
			       bool *nul)
{
	unsigned int n, i;

	*nul = !one_in(8);
	switch (rnd(6)) {
	case 0:		/* exactly the policy's len, then one more */
	case 1:
		n = maxlen + rnd(2);
		for (i = 0; i < n && i < cap; i++)
			s[i] = 'a' + rnd(26);
		break;
	case 2:		/* binary, NULs inside */
		n = rnd(maxlen * 2 + 2);
		for (i = 0; i < n && i < cap; i++)
			s[i] = (char)rnd(256);
		break;
	default:	/* addresses, drivers, and near misses of both */
		snprintf(s, cap, "%s", strings[rnd(N(strings))]);
		n = strlen(s);
		break;
	}
	return n < cap ? n : cap;
}

static void put_value(struct builder *m, uint16_t type, const struct aspec *a,
		      int depth);

/* Random attributes of random kinds, nested DEPTH deep at most. */
static void put_junk(struct builder *m, unsigned int count, int depth)
{
	unsigned char data[64];
	unsigned int i, j, n;

	for (i = 0; i < count; i++) {
		uint16_t type = rnd(40);

		if (one_in(4))
			type |= one_in(2) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		if (depth > 0 && one_in(4)) {
			unsigned int nest = nest_start(m, type | NLA_F_NESTED);

			if (!nest)
				return;
			put_junk(m, 1 + rnd(3), depth - 1);
			nest_end(m, nest);
			continue;
		}
		n = rnd(sizeof(data));
		for (j = 0; j < n; j++)
			data[j] = rnd(256);
		if (!put_attr(m, type, data, n))
			return;
	}
}

/* Nests inside nests, deeper than the kernel's recursion limit at times. */
static void put_deep(struct builder *m, uint16_t type)
{
	unsigned int offs[64], depth = 1 + rnd(N(offs)), i;
	uint32_t v = rnd_u32(0);

	for (i = 0; i < depth; i++) {
		offs[i] = nest_start(m, (i ? 1 + rnd(15) : type) |
				     (one_in(3) ? 0 : NLA_F_NESTED));
		if (!offs[i])
			break;
	}
	depth = i;
	put_attr(m, 1 + rnd(15), &v, sizeof(v));
	while (depth--)
		nest_end(m, offs[depth]);
}

/* One rule nest: a random subset of the rule's attributes. */
static void put_rule(struct builder *m, uint16_t type, int depth)
{
	unsigned int nest = nest_start(m, type | (one_in(10) ? 0 : NLA_F_NESTED));
	unsigned int i, n = rnd(N(rule_attrs) + 2);

	if (!nest)
		return;
	for (i = 0; i < n; i++) {
		const struct aspec *a = &rule_attrs[rnd(N(rule_attrs))];

		put_value(m, a->type, a, depth - 1);
	}
	nest_end(m, nest);
}

/*
 * An attribute of TYPE as A describes it, usually well formed, sometimes
 * not: wrong length, flag bits in the type, a nest where a scalar belongs
 * and the other way round, deep nesting, a lying nla_len, no payload.
 */
static void put_value(struct builder *m, uint16_t type, const struct aspec *a,
		      int depth)
{
	unsigned char raw[16];
	char s[160];
	uint32_t v32;
	uint64_t v64;
	unsigned int n;
	bool nul;

	switch (rnd(24)) {
	case 0:		/* zero-length */
		put_attr(m, type, NULL, 0);
		return;
	case 1:		/* wrong length */
		n = rnd(sizeof(raw));
		memset(raw, 0xff, sizeof(raw));
		put_attr(m, type, raw, n);
		return;
	case 2:		/* flag bits in nla_type */
		type |= one_in(2) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		break;
	case 3:		/* a nest where the policy has a scalar */
		if (depth > 0) {
			n = nest_start(m, type | NLA_F_NESTED);
			if (n) {
				put_junk(m, 1 + rnd(4), depth - 1);
				nest_end(m, n);
			}
			return;
		}
		break;
	case 4:		/* nested far too deep */
		put_deep(m, type);
		return;
	case 5:		/* nla_len says more (or less) than there is */
		v32 = rnd_u32(a->max);
		put_attr_len(m, type, &v32, sizeof(v32),
			     one_in(2) ? 0xffff : 1 + rnd(NLA_HDRLEN + 3));
		return;
	case 6:		/* the wrong type for the value */
		type = rnd(one_in(4) ? 0x10000 : 24);
		break;
	default:
		break;
	}

	switch (a->kind) {
	case K_U32:
		v32 = rnd_u32(a->max);
		put_attr(m, type, &v32, sizeof(v32));
		break;
	case K_U64:
		v64 = rnd_u64();
		put_attr(m, type, &v64, sizeof(v64));
		break;
	case K_STR:
		n = rnd_string(s, sizeof(s) - 1, a->maxlen, &nul);
		s[n] = '\0';
		put_attr(m, type, s, n + nul);
		break;
	case K_RULE:
		if (one_in(8)) {	/* a scalar where the policy has a nest */
			v32 = rnd_u32(0);
			put_attr(m, type, &v32, sizeof(v32));
		} else {
			put_rule(m, type, depth);
		}
		break;
	}
}

/* The attributes of one request, from the spec's list for it. */
static void put_request_attrs(struct builder *m, const struct aspec *list,
			      unsigned int n)
{
	unsigned int i, count;

	/* The lock attribute is the last of policy-set's list. */
	if (list == policy_set_do && !opt_lock)
		n--;
	if (!n) {
		if (one_in(4))
			put_junk(m, 1 + rnd(3), 2);
		return;
	}
	count = rnd(n + 3);
	for (i = 0; i < count; i++) {
		const struct aspec *a = &list[rnd(n)];

		put_value(m, a->type, a, 3);
		if (one_in(10))		/* a duplicate */
			put_value(m, a->type, a, 3);
	}
	if (one_in(10))
		put_junk(m, 1 + rnd(3), 2);
}

/* Fill up to about 64 KiB: many rules, or many of the op's attributes. */
static void put_oversize(struct builder *m, const struct aspec *list,
			 unsigned int n)
{
	unsigned int target = 4096 + rnd(65536 - 4096);

	if (list == policy_set_do && !opt_lock)
		n--;
	while (m->len < target && room(m, 512)) {
		unsigned int before = m->len;

		if (n && !one_in(8)) {
			const struct aspec *a = &list[rnd(n)];

			put_value(m, a->type, a, 2);
		} else {
			put_junk(m, 4, 2);
		}
		if (m->len == before)
			break;
	}
}

/*
 * Flags for a request of CMD.  Mostly what its op takes (a dump for a
 * dump-only op, a do for a do-only one), so that most requests get past
 * generic netlink to pthru's policy and handler; the rest are the wrong
 * kind, not requests, or carry the ambiguous and reserved bits that
 * genl_header_check() refuses.
 */
static unsigned short rnd_flags(unsigned char cmd)
{
	const struct opspec *op = known_cmd(cmd) ? &ops[cmd] : NULL;
	static const unsigned short bits[] = {
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_ECHO,
		NLM_F_EXCL, NLM_F_CREATE, NLM_F_REPLACE, NLM_F_APPEND,
		NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, NLM_F_MULTI,
	};
	unsigned short f = one_in(12) ? 0 : NLM_F_REQUEST;
	unsigned int i;

	if (one_in(2))
		f |= NLM_F_ACK;
	switch (rnd(8)) {
	case 0:
	case 1:
	case 2:
	case 5:
		/* The kind the op has: a do when it has both, half the time. */
		if (op && op->has_dump && (!op->has_do || one_in(2)))
			f |= NLM_F_DUMP;
		break;
	case 6:		/* either kind, whatever the op has */
		if (one_in(2))
			f |= NLM_F_DUMP;
		break;
	case 3:
		for (i = rnd(3) + 1; i; i--)
			f |= bits[rnd(N(bits))];
		break;
	case 4:
		if (one_in(3))
			f |= (unsigned short)rnd64();	/* junk bits */
		break;
	default:
		break;
	}
	return f;
}

static unsigned char rnd_cmd(bool priv)
{
	unsigned char cmd;

	/*
	 * An eighth unknown numbers, the rest known ones: mostly those with
	 * an op, sometimes a notification's number, which has none.
	 */
	do {
		if (one_in(8))
			cmd = one_in(3) ? 0 : PTHRU_CMD_MAX + 1 +
					      rnd(255 - PTHRU_CMD_MAX);
		else
			cmd = 1 + rnd(PTHRU_CMD_MAX);
	} while ((priv && !opt_writes && writes(cmd)) ||
		 (known_cmd(cmd) && !ops[cmd].has_do && !ops[cmd].has_dump &&
		  !one_in(5)));
	return cmd;
}

/*
 * Does the datagram D of N bytes ask for the policy lock?  Walked as
 * netlink_rcv_skb() walks it (every message it would dispatch) and as
 * __nla_parse() walks each (top-level attributes, NLA_TYPE_MASK applied).
 */
static bool asks_for_lock(const unsigned char *d, unsigned int n)
{
	unsigned int off = 0, step;

	while (n - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;
		unsigned int a, end;

		memcpy(&h, d + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > n - off)
			return false;
		if ((h.nlmsg_flags & NLM_F_REQUEST) &&
		    h.nlmsg_type == family &&
		    h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN &&
		    policy_set_op(d[off + NLMSG_HDRLEN])) {
			end = off + h.nlmsg_len;
			for (a = off + NLMSG_HDRLEN + GENL_HDRLEN;
			     end - a >= NLA_HDRLEN;) {
				struct nlattr nla;

				memcpy(&nla, d + a, sizeof(nla));
				if (nla.nla_len < NLA_HDRLEN ||
				    nla.nla_len > end - a)
					break;
				if ((nla.nla_type & NLA_TYPE_MASK) ==
				    PTHRU_A_POLICY_LOCKED)
					return true;
				if ((unsigned int)NLA_ALIGN(nla.nla_len) >= end - a)
					break;
				a += NLA_ALIGN(nla.nla_len);
			}
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		off += step < n - off ? step : n - off;
	}
	return false;
}

/*
 * Build the next message of the stream into BUF: returns the datagram's
 * length and fills *M with what the checks need.
 */
static unsigned int build(unsigned char *buf, bool priv, struct sent_msg *m)
{
	struct builder b = { .b = buf };
	const struct opspec *op;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	unsigned char cmd = rnd_cmd(priv);
	unsigned short flags = rnd_flags(cmd);
	unsigned int len, sent, i, flips;
	bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = ++seq;
	genl = (struct genlmsghdr *)(buf + NLMSG_HDRLEN);
	genl->cmd = cmd;
	genl->version = one_in(10) ? rnd(256) : PTHRU_FAMILY_VERSION;
	genl->reserved = one_in(20) ? rnd(65536) : 0;
	b.len = NLMSG_HDRLEN + GENL_HDRLEN;

	op = known_cmd(cmd) ? &ops[cmd] : NULL;
	if (op && one_in(40))
		put_oversize(&b, dump ? op->dump_attrs : op->do_attrs,
			     dump ? op->n_dump : op->n_do);
	else if (op)
		put_request_attrs(&b, dump ? op->dump_attrs : op->do_attrs,
				  dump ? op->n_dump : op->n_do);
	else if (one_in(2))
		put_junk(&b, rnd(6), 3);
	len = b.len;

	/* Flipped bytes anywhere after the netlink header. */
	if (one_in(6)) {
		for (flips = 1 + rnd(4), i = 0; i < flips; i++)
			buf[NLMSG_HDRLEN + rnd(len - NLMSG_HDRLEN)] ^=
				1 << rnd(8);
	}

	/* nlmsg_len against the datagram. */
	sent = len;
	switch (rnd(30)) {
	case 0:		/* shorter than the genl header: EINVAL */
		len = NLMSG_HDRLEN + rnd(GENL_HDRLEN);
		sent = len;
		break;
	case 1:		/* cut inside the attributes */
		if (len > NLMSG_HDRLEN + GENL_HDRLEN)
			len = NLMSG_HDRLEN + GENL_HDRLEN +
			      rnd(len - NLMSG_HDRLEN - GENL_HDRLEN);
		sent = len;
		break;
	case 2:		/* longer than the datagram: never read */
		len += 1 + rnd(one_in(2) ? 8 : 0x10000);
		break;
	case 3:		/* shorter than a netlink header: never read */
		len = rnd(NLMSG_HDRLEN);
		break;
	case 4:		/* junk after nlmsg_len, too short for a message */
		for (i = 1 + rnd(NLMSG_HDRLEN - 1); i; i--)
			buf[sent++] = rnd(256);
		break;
	default:
		break;
	}
	nlh->nlmsg_len = len;

	m->buf = buf;
	m->len = sent;
	m->nlmsg_len = len;
	m->flags = flags;
	m->cmd = len >= NLMSG_HDRLEN + 1 ? buf[NLMSG_HDRLEN] : 0;
	m->seen = len >= NLMSG_HDRLEN && len <= sent;
	m->request = m->seen && (flags & NLM_F_REQUEST);
	m->dump = m->request && dump;
	/* A request is always answered once read, except a do without ACK. */
	m->must_answer = m->seen && ((flags & NLM_F_ACK) || m->dump);
	m->priv = priv;
	return sent;
}

/* ---- answers ------------------------------------------------------------ */

static void example(const struct sent_msg *m, int cls, int error)
{
	struct example *e;

	st.fails[cls]++;
	if (st.nexamples >= EXAMPLES_MAX)
		return;
	e = &st.examples[st.nexamples++];
	e->index = m->index;
	e->nlmsg_len = m->nlmsg_len;
	e->sent = m->len;
	e->flags = m->flags;
	e->cmd = m->cmd;
	e->cls = cls;
	e->priv = m->priv;
	e->error = error;
	e->nbytes = m->len < EXAMPLE_BYTES ? m->len : EXAMPLE_BYTES;
	memcpy(e->bytes, m->buf, e->nbytes);
}

/*
 * May this error come without an extack message?  Only when generic
 * netlink answered before pthru's handler ran.  Checked against
 * Debian's 6.1 and 6.12 sources; every attribute validation error of
 * lib/nlattr.c (__nla_validate_parse, validate_nla) and both errors of
 * genetlink.c:genl_header_check() carry a message, so they are not here.
 * pthru sets no GENL_ADMIN_PERM/GENL_UNS_ADMIN_PERM flag (its handlers
 * check CAP_NET_ADMIN and say so), so genl_family_rcv_msg()'s bare
 * EPERM cannot happen and is not here either.
 */
static bool gen_answers_bare(const struct sent_msg *m, int error)
{
	bool has_op;

	switch (error) {
	case EINVAL:
		/*
		 * net/netlink/genetlink.c:genl_family_rcv_msg() (and
		 * genl_start() for a dump): nlmsg_len below the genl header.
		 */
		return m->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN;
	case EOPNOTSUPP:
		/*
		 * genetlink.c:genl_family_rcv_msg(): no split op for this
		 * command and do/dump (6.12, genl_get_cmd()); 6.1 finds the
		 * op and refuses in genl_family_rcv_msg_doit()/_dumpit()
		 * when it lacks doit/dumpit.
		 */
		has_op = known_cmd(m->cmd) &&
			 (m->dump ? ops[m->cmd].has_dump : ops[m->cmd].has_do);
		return !has_op;
	case ENOMEM:
		/*
		 * genetlink.c:genl_family_rcv_msg_attrs_parse() and
		 * genl_start(): the attribute table or dump info allocation.
		 */
		return true;
	case EBUSY:
		/*
		 * net/netlink/af_netlink.c:__netlink_dump_start(): a dump is
		 * already running on this socket.
		 */
		return m->dump;
	default:
		return false;
	}
}

/*
 * The errno and extack message of an NLMSG_ERROR or NLMSG_DONE: false
 * when it does not parse.
 */
static bool parse_error(const struct nlmsghdr *nlh, int *error, bool *has_msg)
{
	const void *payload = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	const struct nlmsgerr *err = payload;
	const struct nlattr *attr, *tlvs;
	size_t off;
	int e;

	*has_msg = false;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (plen < sizeof(int)) {
			/* A dump's end may carry no errno at all. */
			*error = 0;
			return plen == 0;
		}
		memcpy(&e, payload, sizeof(e));
		off = sizeof(int);
	} else {
		if (plen < sizeof(*err))
			return false;
		e = err->error;
		off = sizeof(*err);
		/* Without NLM_F_CAPPED the request is echoed before the TLVs. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (err->msg.nlmsg_len < NLMSG_HDRLEN ||
			    err->msg.nlmsg_len - NLMSG_HDRLEN > plen - off)
				return false;
			off += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
		}
	}
	*error = e;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= plen)
		return true;
	tlvs = (const struct nlattr *)((const char *)payload + off);
	mnl_attr_for_each_payload(tlvs, plen - off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0 &&
		    mnl_attr_get_payload_len(attr) > 1)
			*has_msg = true;
	}
	return true;
}

/*
 * Judge one answer to M: *ANSWERED is set, and *ENDED when it is an
 * NLMSG_ERROR or NLMSG_DONE, after which nothing more comes for M.
 */
static void judge(const struct sent_msg *m, const struct nlmsghdr *nlh,
		  bool *answered, bool *ended)
{
	bool has_msg;
	int error;

	st.replies++;
	*answered = true;
	if (nlh->nlmsg_type != NLMSG_ERROR && nlh->nlmsg_type != NLMSG_DONE) {
		/* A reply of the family: the request was carried out. */
		if (nlh->nlmsg_type == family && !m->priv && m->request &&
		    !m->dump && writes(m->cmd))
			example(m, FAIL_UNPRIV, 0);
		return;
	}
	*ended = true;
	if (!parse_error(nlh, &error, &has_msg)) {
		example(m, FAIL_PARSE, 0);
		return;
	}
	if (nlh->nlmsg_type == NLMSG_DONE)
		st.dumps++;
	if (error > 0) {
		example(m, FAIL_POSITIVE, error);
		return;
	}
	error = -error;
	if (!error) {
		if (nlh->nlmsg_type == NLMSG_ERROR)
			st.acks++;
		if (!m->priv && m->request && !m->dump && writes(m->cmd))
			example(m, FAIL_UNPRIV, 0);
		return;
	}
	st.errs[error < ERRNO_MAX ? error : 0]++;
	if (m->request && known_cmd(m->cmd) && !has_msg &&
	    !gen_answers_bare(m, error))
		example(m, FAIL_NO_MSG, error);
}

/* Send a barrier; its sequence number in *BSEQ.  -1 on a socket error. */
static int send_barrier(unsigned int *bseq)
{
	struct nlmsghdr h = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = BARRIER_SEQ | ++barrier_seq,
	};

	*bseq = h.nlmsg_seq;
	return mnl_socket_sendto(nl, &h, sizeof(h)) < 0 ? -1 : 0;
}

/*
 * Send M and read until the barrier behind it is acked and, for a dump,
 * until the dump ended.  Returns -1 when the socket failed for good.
 */
static int exchange(const struct sent_msg *m, unsigned char *rbuf)
{
	unsigned int want = ((const struct nlmsghdr *)m->buf)->nlmsg_seq;
	bool answered = false, ended = false, barrier = false, lost = false;
	unsigned int bseq;
	ssize_t n;

	if (send(mnl_socket_get_fd(nl), m->buf, m->len, 0) < 0) {
		fprintf(stderr, "send: %s\n", strerror(errno));
		return -1;
	}
	st.sent++;
	if (send_barrier(&bseq))
		return -1;
	while (!barrier || (m->dump && !ended && !lost)) {
		const struct nlmsghdr *nlh;
		int left;

		n = recv(mnl_socket_get_fd(nl), rbuf, RECV_MAX, MSG_TRUNC);
		if (n < 0 && errno == ENOBUFS) {
			/* Answers were dropped: resynchronise, judge nothing. */
			st.enobufs++;
			lost = true;
			barrier = false;
			if (send_barrier(&bseq))
				return -1;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			example(m, FAIL_SILENT, 0);
			return 0;
		}
		if (n < 0) {
			fprintf(stderr, "recv: %s\n", strerror(errno));
			return -1;
		}
		if (n > RECV_MAX) {
			example(m, FAIL_PARSE, 0);
			n = RECV_MAX;
		}
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_seq == bseq &&
			    nlh->nlmsg_type == NLMSG_ERROR) {
				barrier = true;
				continue;
			}
			if (nlh->nlmsg_seq != want)
				continue;	/* late, from an earlier one */
			judge(m, nlh, &answered, &ended);
		}
		if (left > 0)
			example(m, FAIL_PARSE, 0);
	}
	if (m->must_answer && !answered && !lost)
		example(m, FAIL_SILENT, 0);
	return 0;
}

/* ---- senders ------------------------------------------------------------ */

static int open_socket(bool force_rcvbuf)
{
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	int size = 4 << 20, fd;

	if (pthru_nl_open(&nl))
		return -1;
	fd = mnl_socket_get_fd(nl);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -1;
	/* A big buffer; without CAP_NET_ADMIN rmem_max caps it. */
	if (!force_rcvbuf ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* Room for a 64 KiB request. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return 0;
}

/* In the child: lose every capability, effective, permitted and more. */
static int drop_all_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int cap;

	/* Nothing is exec'd, but a bounding set without them costs nothing. */
	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (data[0].effective || data[1].effective || data[0].permitted ||
	    data[1].permitted) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* -x: the whole datagram, 32 bytes a line. */
static void print_hex(const struct sent_msg *m)
{
	unsigned int i;

	printf("message %lu: cmd %u, flags 0x%04x, nlmsg_len %u, sent %u\n",
	       m->index, m->cmd, m->flags, m->nlmsg_len, m->len);
	for (i = 0; i < m->len; i++)
		printf("%02x%s", m->buf[i],
		       (i % 32 == 31 || i + 1 == m->len) ? "\n" : "");
}

/*
 * Send COUNT messages from stream SEED (with -x, build them up to the one
 * to print); false when the socket failed.
 */
static bool run(unsigned long count, uint64_t seed, bool priv)
{
	unsigned char *buf = malloc(MSG_MAX), *rbuf = malloc(RECV_MAX);
	struct sent_msg m;
	unsigned long i;
	bool ok = true;

	if (!buf || !rbuf)
		return false;
	rng = seed;
	for (i = 0; i < count; i++) {
		memset(&m, 0, sizeof(m));
		build(buf, priv, &m);
		m.index = i;
		if (!opt_lock && asks_for_lock(buf, m.len)) {
			st.filtered++;
			i--;
			continue;
		}
		if (opt_show >= 0) {
			if (i < (unsigned long)opt_show)
				continue;
			print_hex(&m);
			break;
		}
		if (exchange(&m, rbuf) < 0) {
			ok = false;
			break;
		}
	}
	free(buf);
	free(rbuf);
	return ok;
}

/* Fold the child's counts into the parent's. */
static void merge(const struct stats *c)
{
	unsigned int i;

	st.sent += c->sent;
	st.filtered += c->filtered;
	st.replies += c->replies;
	st.acks += c->acks;
	st.dumps += c->dumps;
	st.enobufs += c->enobufs;
	for (i = 0; i < ERRNO_MAX; i++)
		st.errs[i] += c->errs[i];
	for (i = 0; i < FAIL_CLASSES; i++)
		st.fails[i] += c->fails[i];
	for (i = 0; i < c->nexamples && st.nexamples < EXAMPLES_MAX; i++)
		st.examples[st.nexamples++] = c->examples[i];
	st.broken |= c->broken;
}

static void print_examples(void)
{
	unsigned int i, j;
	char hex[EXAMPLE_BYTES * 2 + 1];

	for (i = 0; i < st.nexamples; i++) {
		const struct example *e = &st.examples[i];

		for (j = 0; j < e->nbytes; j++)
			sprintf(hex + 2 * j, "%02x", e->bytes[j]);
		hex[2 * e->nbytes] = '\0';
		printf("# example %c: %s message %lu, cmd %u, flags 0x%04x, nlmsg_len %u, sent %u, errno %d (%s), bytes %s%s\n",
		       'a' + e->cls, e->priv ? "privileged" : "unprivileged",
		       e->index, e->cmd, e->flags, e->nlmsg_len, e->sent,
		       e->error, e->error ? strerror(e->error) : "none", hex,
		       e->sent > e->nbytes ? "..." : "");
	}
}

static void print_errnos(void)
{
	char line[2048];
	int i, n = 0;

	line[0] = '\0';
	for (i = 1; i < ERRNO_MAX && n < (int)sizeof(line) - 64; i++) {
		if (!st.errs[i])
			continue;
		n += snprintf(line + n, sizeof(line) - n, "%s%s=%lu",
			      n ? ", " : "", strerrorname_np(i) ?: "?",
			      st.errs[i]);
	}
	if (st.errs[0])
		n += snprintf(line + n, sizeof(line) - n, "%sother=%lu",
			      n ? ", " : "", st.errs[0]);
	printf("%s", n ? line : "none");
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: pthru_nl_fuzz [-n N] [-s SEED] [-u FRACTION] [-w] [-L]\n"
		"       pthru_nl_fuzz -s SEED [-w] [-L] [-U] [-f ID] -x INDEX\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long total = 100000, nunpriv, npriv;
	unsigned long long seed;
	struct timespec t0, t1;
	double unpriv = 0.5, secs;
	struct stats child;
	int opt, fd[2], status, id, i, failures = 0;
	bool seeded = false, ok, show_unpriv = false;
	long family_arg = -1;
	pid_t pid;
	char *end;

	while ((opt = getopt(argc, argv, "n:s:u:wLx:Uf:")) != -1) {
		switch (opt) {
		case 'n':
			total = strtoul(optarg, &end, 0);
			if (*end || !*optarg)
				bad_usage();
			break;
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg)
				bad_usage();
			seeded = true;
			break;
		case 'u':
			unpriv = strtod(optarg, &end);
			if (*end || unpriv < 0 || unpriv > 1)
				bad_usage();
			break;
		case 'w':
			opt_writes = true;
			break;
		case 'L':
			opt_lock = true;
			break;
		case 'x':
			opt_show = strtol(optarg, &end, 0);
			if (*end || !*optarg || opt_show < 0)
				bad_usage();
			break;
		case 'U':
			show_unpriv = true;
			break;
		case 'f':
			family_arg = strtol(optarg, &end, 0);
			if (*end || !*optarg || family_arg <= 0 ||
			    family_arg > 0xffff)
				bad_usage();
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc || (opt_show >= 0 && !seeded))
		bad_usage();
	if (!seeded) {
		clock_gettime(CLOCK_REALTIME, &t0);
		seed = (unsigned long long)t0.tv_sec * 1000000000ULL +
		       t0.tv_nsec;
	}

	if (opt_show >= 0 && family_arg > 0) {
		family = family_arg;
		return run(opt_show + 1, show_unpriv ? seed ^ UNPRIV_SEED : seed,
			   !show_unpriv) ? KSFT_PASS : KSFT_FAIL;
	}
	printf("TAP version 13\n");
	printf("# seed %llu (replay: pthru_nl_fuzz -n %lu -s %llu -u %g%s%s)\n",
	       seed, total, seed, unpriv, opt_writes ? " -w" : "",
	       opt_lock ? " -L" : "");
	fflush(stdout);
	if (open_socket(true)) {
		printf("1..1\nok 1 # SKIP no generic netlink socket with extended acks: %s\n",
		       strerror(errno));
		return KSFT_SKIP;
	}
	/* The family's id, 0 when it is not registered, -1 on a socket error. */
	id = pthru_nl_resolve_family(nl, QUERY_SEQ, NULL);
	if (id <= 0) {
		printf("1..1\nok 1 # SKIP pthru module not loaded%s%s\n",
		       id < 0 ? ": cannot ask nlctrl: " : "",
		       id < 0 ? strerror(errno) : "");
		return KSFT_SKIP;
	}
	family = id;
	if (opt_show >= 0)
		return run(opt_show + 1, show_unpriv ? seed ^ UNPRIV_SEED : seed,
			   !show_unpriv) ? KSFT_PASS : KSFT_FAIL;
	printf("1..%d\n", FAIL_CLASSES);
	fflush(stdout);

	nunpriv = (unsigned long)(total * unpriv + 0.5);
	npriv = total - nunpriv;
	if (pipe(fd))
		return KSFT_FAIL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		return KSFT_FAIL;
	}
	if (pid == 0) {
		/* Its own socket: the kernel checks the opener's caps too. */
		close(fd[0]);
		mnl_socket_close(nl);
		memset(&st, 0, sizeof(st));
		if (drop_all_caps() || open_socket(false)) {
			fprintf(stderr, "unprivileged child: %s\n",
				strerror(errno));
			st.broken = true;
		} else {
			st.broken = !run(nunpriv, seed ^ UNPRIV_SEED, false);
		}
		ok = write(fd[1], &st, sizeof(st)) == sizeof(st);
		_exit(ok ? 0 : 1);
	}
	close(fd[1]);
	ok = run(npriv, seed, true);
	if (!ok)
		st.broken = true;
	memset(&child, 0, sizeof(child));
	if (read(fd[0], &child, sizeof(child)) != sizeof(child)) {
		printf("# no counts from the unprivileged child\n");
		child.broken = true;
	}
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	npriv = st.sent;
	nunpriv = child.sent;
	merge(&child);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (i = 0; i < FAIL_CLASSES; i++) {
		/* A sender that stopped early proves nothing. */
		bool pass = !st.fails[i] && !st.broken;

		printf("%s %d %s\n", pass ? "ok" : "not ok", i + 1,
		       fail_names[i]);
		if (st.fails[i])
			printf("# %lu failure(s) of class %c\n", st.fails[i],
			       'a' + i);
		failures += !pass;
	}
	if (st.broken)
		printf("# a sender stopped before its last message (see stderr)\n");
	printf("# sent %lu (privileged %lu, unprivileged %lu), replies %lu, errors by errno: ",
	       st.sent, npriv, nunpriv, st.replies);
	print_errnos();
	printf(", acks %lu, dumps %lu, seed %llu, seconds %.1f\n", st.acks,
	       st.dumps, seed, secs);
	printf("# %.0f messages/s, %lu lock requests filtered out, ENOBUFS %lu\n",
	       secs > 0 ? st.sent / secs : 0.0, st.filtered, st.enobufs);
	if (failures)
		print_examples();
	printf("# Totals: pass:%d fail:%d skip:0\n", FAIL_CLASSES - failures,
	       failures);
	return failures ? KSFT_FAIL : KSFT_PASS;
}
