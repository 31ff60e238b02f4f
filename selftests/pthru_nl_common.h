/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink setup pthru_nl_errors and pthru_nl_fuzz share: a
 * socket with extended and capped acks, and the pthru family's id.
 */
#ifndef PTHRU_NL_COMMON_H
#define PTHRU_NL_COMMON_H

#include <libmnl/libmnl.h>

/*
 * Open and bind a generic netlink socket into *NL and turn on extended
 * acks and capped acks.  0, or -1 (errno set) with *NL as far as it got:
 * NULL, or a socket that failed to bind or to take an option.
 */
int pthru_nl_open(struct mnl_socket **nl);

/*
 * Send NLH on NL and pass each message of the answer (those numbered as
 * NLH) to CB with DATA, as mnl_cb_run() does, until the answer ends.
 * 0 when it ended well; -1 with errno set when the socket failed or the
 * answer was an error (its errno) or CB stopped it with MNL_CB_ERROR.
 */
int pthru_nl_request(struct mnl_socket *nl, const struct nlmsghdr *nlh,
		     mnl_cb_t cb, void *data);

/*
 * Ask nlctrl on NL for the pthru family, the request numbered SEQ.  Each
 * CTRL_ATTR_MCAST_GRP_* nest of the answer goes to MCAST_GROUP when it is
 * set.  The family's id, 0 when it is not registered, -1 on a socket
 * error.
 */
int pthru_nl_resolve_family(struct mnl_socket *nl, unsigned int seq,
			    void (*mcast_group)(const struct nlattr *grp));

#endif
