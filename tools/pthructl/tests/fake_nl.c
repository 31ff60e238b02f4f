// SPDX-License-Identifier: GPL-2.0
/*
 * The fake kernel of fake_nl.h: the wrapped libmnl send and receive, a
 * receive queue, and the dump that is running.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>

#include "fake_nl.h"
#include "unit.h"

#define FAKE_QUEUE_MAX	16
#define FAKE_SCRIPT_MAX	4
#define FAKE_PORTID	4242

/* Only its address is used: it tells the fake's socket from real ones. */
static char fake_sock_obj;
#define FAKE_SOCK	((struct mnl_socket *)&fake_sock_obj)

static struct {
	/* Replies to the next requests, in order. */
	struct fake_reply *script[FAKE_SCRIPT_MAX];
	unsigned int n_script;
	struct fake_dgram queue[FAKE_QUEUE_MAX];
	unsigned int n_queued;
	/* The running dump: its replies, the next to queue, its request. */
	struct fake_reply *dump;
	unsigned int dump_next;
	unsigned int dump_seq;
	unsigned int fail_in;		/* receives until the injected error */
	int fail_err;
	struct fake_nl_stats st;
} fake;

static size_t fake_dgram_len(const struct fake_dgram *d)
{
	const struct nlmsghdr *nlh;
	size_t len = 0;

	while (len + sizeof(*nlh) <= sizeof(d->buf)) {
		nlh = (const struct nlmsghdr *)(d->buf + len);
		if (nlh->nlmsg_len < sizeof(*nlh))
			break;
		len += MNL_ALIGN(nlh->nlmsg_len);
	}
	return len;
}

/* Put a copy of @d on the socket as the kernel's reply to @seq. */
static void fake_queue(const struct fake_dgram *d, unsigned int seq)
{
	struct fake_dgram *q;
	struct nlmsghdr *nlh;
	int len;

	if (fake.n_queued == FAKE_QUEUE_MAX) {
		fprintf(stderr, "fake_nl: socket queue full\n");
		exit(1);
	}
	q = &fake.queue[fake.n_queued++];
	*q = *d;
	len = fake_dgram_len(q);
	for (nlh = (struct nlmsghdr *)q->buf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		nlh->nlmsg_pid = FAKE_PORTID;
		if (!q->keep_seq)
			nlh->nlmsg_seq = seq;
	}
}

/* The next datagram of the running dump, as netlink_dump() makes it. */
static void fake_dump_next(void)
{
	fake_queue(&fake.dump->dgram[fake.dump_next++], fake.dump_seq);
	/* Its last datagram queued, the dump is over (cb_running false). */
	if (fake.dump_next == fake.dump->n)
		fake.dump = NULL;
}

static void fake_busy(unsigned int seq)
{
	struct fake_dgram d = {};

	fake_ack(&d, -EBUSY);
	fake_queue(&d, seq);
	fake.st.n_busy++;
}

ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *sock,
				 const void *req, size_t siz)
{
	const struct nlmsghdr *nlh = req;
	struct fake_reply *r;
	unsigned int i;

	if (sock != FAKE_SOCK)
		return __real_mnl_socket_sendto(sock, req, siz);

	if (fake.st.n_requests < ARRAY_SIZE(fake.st.seq))
		fake.st.seq[fake.st.n_requests] = nlh->nlmsg_seq;
	fake.st.n_requests++;
	if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP && fake.dump) {
		fake_busy(nlh->nlmsg_seq);
		return siz;
	}
	r = fake.n_script ? fake.script[0] : NULL;
	if (fake.n_script) {
		fake.n_script--;
		memmove(&fake.script[0], &fake.script[1],
			fake.n_script * sizeof(fake.script[0]));
	}
	if (!r || !r->n) {
		fprintf(stderr, "fake_nl: no reply scripted for request %u\n",
			nlh->nlmsg_seq);
		exit(1);
	}
	if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		fake.dump = r;
		fake.dump_next = 0;
		fake.dump_seq = nlh->nlmsg_seq;
		fake_dump_next();
	} else {
		for (i = 0; i < r->n; i++)
			fake_queue(&r->dgram[i], nlh->nlmsg_seq);
	}
	return siz;
}

ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *sock, void *buf,
				   size_t siz)
{
	size_t len;

	if (sock != FAKE_SOCK)
		return __real_mnl_socket_recvfrom(sock, buf, siz);

	if (fake.fail_in && !--fake.fail_in) {
		errno = fake.fail_err;
		return -1;
	}
	if (!fake.n_queued) {
		/* A real socket would block for ever. */
		fake.st.n_starved++;
		errno = EDEADLK;
		return -1;
	}
	len = fake_dgram_len(&fake.queue[0]);
	if (len > siz) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(buf, fake.queue[0].buf, len);
	fake.n_queued--;
	memmove(&fake.queue[0], &fake.queue[1],
		fake.n_queued * sizeof(fake.queue[0]));
	/*
	 * netlink_recvmsg() goes on with a running dump on each read while
	 * the receive buffer is less than half full, as it is here.
	 */
	if (fake.dump)
		fake_dump_next();
	return len;
}

void fake_nl_open(struct nl *nl)
{
	memset(&fake, 0, sizeof(fake));
	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(NL_BUF_SIZE);
	if (!nl->buf) {
		perror("fake_nl_open");
		exit(1);
	}
	nl->sock = FAKE_SOCK;
	nl->portid = FAKE_PORTID;
}

void fake_nl_close(struct nl *nl)
{
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
	memset(&fake, 0, sizeof(fake));
}

void fake_nl_script(struct fake_reply *reply)
{
	if (fake.n_script == FAKE_SCRIPT_MAX) {
		fprintf(stderr, "fake_nl: too many replies scripted\n");
		exit(1);
	}
	fake.script[fake.n_script++] = reply;
}

void fake_nl_inject(struct fake_dgram *d)
{
	fake_queue(d, 0);
}

void fake_nl_fail_recv(unsigned int n, int err)
{
	fake.fail_in = n;
	fake.fail_err = err;
}

struct fake_dgram *fake_dgram_add(struct fake_reply *r)
{
	struct fake_dgram *d;

	if (r->n == FAKE_MAX_DGRAMS) {
		fprintf(stderr, "fake_nl: too many datagrams\n");
		exit(1);
	}
	d = &r->dgram[r->n++];
	memset(d, 0, sizeof(*d));
	return d;
}

static struct nlmsghdr *fake_msg(struct fake_dgram *d, uint16_t type,
				 uint16_t flags)
{
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(d->buf + fake_dgram_len(d));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	return nlh;
}

struct nlmsghdr *fake_genl_msg(struct fake_dgram *d, uint16_t family,
			       uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = fake_msg(d, family, flags);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = 1;
	return nlh;
}

void fake_done(struct fake_dgram *d, uint16_t flags, int error)
{
	struct nlmsghdr *nlh = fake_msg(d, NLMSG_DONE, flags | NLM_F_MULTI);
	int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	*err = error;
}

void fake_ack(struct fake_dgram *d, int error)
{
	struct nlmsghdr *nlh = fake_msg(d, NLMSG_ERROR, NLM_F_CAPPED);
	struct nlmsgerr *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	err->error = error;
	err->msg.nlmsg_len = sizeof(struct nlmsghdr);
}

void fake_nl_stats(struct fake_nl_stats *st)
{
	*st = fake.st;
	st->n_queued = fake.n_queued;
	st->dump_running = fake.dump != NULL;
}
