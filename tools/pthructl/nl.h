/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink over libmnl: one socket, family and multicast group
 * resolution through nlctrl, do and dump requests, extended-ack messages.
 * Nothing here knows about pthru; every function returns 0 or -errno and
 * prints nothing, so the caller decides how to word an error.
 */
#ifndef PTHRUCTL_NL_H
#define PTHRUCTL_NL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

/*
 * The kernel sizes dump messages after the largest receive buffer it has
 * seen, capped at 32 KiB; do replies are smaller.  A bigger buffer never
 * truncates a message.
 */
#define NL_BUF_SIZE		131072
#define NL_EXT_MSG_MAX		256
#define NL_MAX_MCGRPS		16
/* Requests given up on before their end whose late replies are dropped. */
#define NL_MAX_ABANDONED	4

struct nl_mcgrp {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

struct nl_family {
	uint16_t id;
	uint32_t version;
	unsigned int n_mcgrps;
	struct nl_mcgrp mcgrps[NL_MAX_MCGRPS];
};

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	char *buf;			/* NL_BUF_SIZE bytes */
	char ext_msg[NL_EXT_MSG_MAX];	/* extack text of the last error, or "" */
	uint32_t ext_offs;		/* its offset of the bad attribute, or 0 */
	struct nl_family family;	/* set by nl_open_family() */
	/*
	 * Sequence numbers of our requests that nl_do()/nl_dump() returned
	 * from before their ack or NLMSG_DONE (a receive or protocol error):
	 * the rest of their replies may still come, ahead of a later
	 * request's, and are read and dropped instead of failing it.
	 */
	unsigned int abandoned[NL_MAX_ABANDONED];
	unsigned int n_abandoned;
};

/* Per-message callback for replies: return MNL_CB_OK, _STOP or _ERROR. */
typedef int (*nl_msg_cb_t)(const struct nlmsghdr *nlh, void *data);

/* Open a NETLINK_GENERIC socket with extended and capped acks. */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/*
 * nl_open() plus resolution of @name into nl->family.
 * -ENOENT means the kernel has no such family.
 */
int nl_open_family(struct nl *nl, const char *name);

/* Ask nlctrl about @name; -ENOENT when there is no such family. */
int nl_resolve_family(struct nl *nl, const char *name, struct nl_family *fam);

/* Id of multicast group @name of @fam, or -ENOENT. */
int nl_family_mcgrp(const struct nl_family *fam, const char *name,
		    uint32_t *id);

/*
 * Start a generic netlink request for @cmd of @family in nl->buf.
 * Add attributes with mnl_attr_put*(), then pass it to nl_do/nl_dump.
 */
struct nlmsghdr *nl_msg_start(struct nl *nl, uint16_t family, uint8_t cmd,
			      uint8_t version);

/*
 * Send @req as a do request and run @cb on each reply until the ack.
 * On error nl->ext_msg holds the kernel's extack message, if any.
 */
int nl_do(struct nl *nl, struct nlmsghdr *req, nl_msg_cb_t cb, void *data);

/* Send @req as a dump request and run @cb on each message until done. */
int nl_dump(struct nl *nl, struct nlmsghdr *req, nl_msg_cb_t cb, void *data);

/* How often a listing is dumped again when the kernel changed under it. */
#define NL_DUMP_TRIES	3

/*
 * Did nl_dump() fail only because the objects changed during the dump?
 * A message of it was then flagged NLM_F_DUMP_INTR (-EINTR; the callback
 * ran for none from that one on, and the dump was still read to its end,
 * so the socket is ready for the retry), or the kernel answered EAGAIN:
 * the records are no snapshot, dump again.
 */
static inline bool nl_dump_interrupted(int err)
{
	return err == -EINTR || err == -EAGAIN;
}

/* Join multicast group @group on the socket. */
int nl_join_mcgrp(struct nl *nl, uint32_t group);

/* Descriptor to poll for nl_recv_events(). */
int nl_fd(const struct nl *nl);

/*
 * Receive one batch of unsolicited messages (multicast notifications) and
 * run @cb on each.  -ENOBUFS means the kernel dropped messages for us.
 */
int nl_recv_events(struct nl *nl, nl_msg_cb_t cb, void *data);

/*
 * Parse an NLMSG_ERROR message: returns its error (0 for an ack, else
 * -errno) and copies the extack message, if any, into @msg ("" if none).
 * Returns -EBADMSG if the message is too short to be an error.
 */
int nl_parse_error(const struct nlmsghdr *nlh, char *msg, size_t len);

/*
 * nl_parse_error() that also sets *@offs to the extack's offset of the
 * attribute it blames, counted from the start of the request (0 if none).
 */
int nl_parse_error_offs(const struct nlmsghdr *nlh, char *msg, size_t len,
			uint32_t *offs);

/* Same for an NLMSG_DONE that ends a dump, which may carry an error too. */
int nl_parse_done(const struct nlmsghdr *nlh, char *msg, size_t len);

/* Parse a CTRL_CMD_NEWFAMILY reply into @fam; -EBADMSG if malformed. */
int nl_parse_family(const struct nlmsghdr *nlh, struct nl_family *fam);

/*
 * Fill @tb[0..@maxtype] with the top-level attributes of a generic netlink
 * message, checking each against @policy (MNL_TYPE_UNSPEC: no check).
 * Attributes above @maxtype are ignored: a newer kernel may add some.
 * Returns 0, or -EBADMSG with *@bad_type set to the offending type.
 */
int nl_parse_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
		   uint16_t maxtype, const enum mnl_attr_data_type *policy,
		   uint16_t *bad_type);

/* Same for the attributes inside the nest @nest. */
int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    uint16_t maxtype, const enum mnl_attr_data_type *policy,
		    uint16_t *bad_type);

/*
 * Copy string attribute @attr (validated as MNL_TYPE_NUL_STRING) into @dst.
 * Returns -EBADMSG if it does not fit: a reply field longer than the
 * protocol allows is a malformed reply, not something to cut short.
 */
int nl_attr_strcpy(char *dst, size_t len, const struct nlattr *attr);

/* The generic netlink command of a message, or -1 if it has no header. */
int nl_genl_cmd(const struct nlmsghdr *nlh);

#endif /* PTHRUCTL_NL_H */
