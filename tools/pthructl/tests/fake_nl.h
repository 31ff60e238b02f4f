/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake kernel behind a struct nl, for tests of how requests and their
 * replies are read.  The unit binary is linked with
 * --wrap=mnl_socket_sendto,--wrap=mnl_socket_recvfrom: on a struct nl
 * opened by fake_nl_open() those two calls reach the fake instead of a
 * netlink socket; every other socket goes to libmnl as before.
 *
 * Like the kernel, the fake answers a do request at once, but puts a
 * dump's replies on the socket one datagram at a time: the first when
 * the request comes, the next on each read of the socket; a dump request
 * while a dump is still running is answered with -EBUSY, as
 * __netlink_dump_start() does.
 */
#ifndef PTHRUCTL_FAKE_NL_H
#define PTHRUCTL_FAKE_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nl.h"

/* libmnl's own, and the fake's that the linker puts in their place. */
ssize_t __real_mnl_socket_sendto(const struct mnl_socket *sock,
				 const void *req, size_t siz);
ssize_t __real_mnl_socket_recvfrom(const struct mnl_socket *sock, void *buf,
				   size_t siz);
ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *sock,
				 const void *req, size_t siz);
ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *sock, void *buf,
				   size_t siz);

#define FAKE_DGRAM_SIZE		8192
#define FAKE_MAX_DGRAMS		8

/* One datagram: one or more netlink messages, as one recvmsg() gets. */
struct fake_dgram {
	char buf[FAKE_DGRAM_SIZE];	/* zeroed after the last message */
	/* Keep the messages' sequence numbers instead of the request's. */
	bool keep_seq;
};

/* The replies to one request, in order. */
struct fake_reply {
	unsigned int n;
	struct fake_dgram dgram[FAKE_MAX_DGRAMS];
};

/* Open @nl on the fake kernel, which starts with no replies scripted. */
void fake_nl_open(struct nl *nl);
void fake_nl_close(struct nl *nl);

/*
 * The replies to the next request sent that has none yet (a zeroed @reply
 * the tests fill in with the helpers below, valid until it is answered).
 */
void fake_nl_script(struct fake_reply *reply);

/* Put @d on the socket now, ahead of whatever is answered next. */
void fake_nl_inject(struct fake_dgram *d);

/* Make the @n-th receive from now (1: the next) fail with @err. */
void fake_nl_fail_recv(unsigned int n, int err);

/* Append the next datagram to @r. */
struct fake_dgram *fake_dgram_add(struct fake_reply *r);

/* Append a generic netlink message to @d; add attributes to it at once. */
struct nlmsghdr *fake_genl_msg(struct fake_dgram *d, uint16_t family,
			       uint8_t cmd, uint16_t flags);
/* Append an NLMSG_DONE carrying @error to @d. */
void fake_done(struct fake_dgram *d, uint16_t flags, int error);
/* Append an NLMSG_ERROR (@error 0: an ack) to @d. */
void fake_ack(struct fake_dgram *d, int error);

/* What the fake saw. */
struct fake_nl_stats {
	unsigned int n_requests;
	unsigned int seq[16];		/* of the first 16 requests */
	unsigned int n_busy;		/* dump requests answered -EBUSY */
	unsigned int n_starved;		/* receives from an empty socket */
	unsigned int n_queued;		/* datagrams still on the socket */
	bool dump_running;		/* a dump has replies not yet queued */
};

void fake_nl_stats(struct fake_nl_stats *st);

#endif /* PTHRUCTL_FAKE_NL_H */
