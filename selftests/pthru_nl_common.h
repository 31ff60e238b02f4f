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
 * Ask nlctrl on NL for the pthru family, the request numbered SEQ.  Each
 * CTRL_ATTR_MCAST_GRP_* nest of the answer goes to MCAST_GROUP when it is
 * set.  The family's id, 0 when it is not registered, -1 on a socket
 * error.
 */
int pthru_nl_resolve_family(struct mnl_socket *nl, unsigned int seq,
			    void (*mcast_group)(const struct nlattr *grp));

#endif
