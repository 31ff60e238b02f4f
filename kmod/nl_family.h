/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the request handlers and the notifications of the pthru family
 * share: the family itself and the steps every handler takes.
 */
#ifndef _PTHRU_NL_FAMILY_H
#define _PTHRU_NL_FAMILY_H

#include <net/genetlink.h>

#include "state.h"

extern struct genl_family pthru_nl_family;

/*
 * cb->args[] slot every dump uses: the first call has read the state.  Each dump numbers its own slots from PTHRU_NL_DUMP_FIRST.
 */
#define PTHRU_NL_DUMP_STARTED	0
#define PTHRU_NL_DUMP_FIRST	1

struct pthru_state *pthru_nl_read_state(const struct sk_buff *skb,
					struct netlink_ext_ack *extack);
bool pthru_nl_may_see_phys(const struct sk_buff *skb);
int pthru_nl_require_admin(const struct sk_buff *skb,
			   struct netlink_ext_ack *extack);
struct sk_buff *pthru_nl_new_reply(struct genl_info *info, size_t size,
				   void **hdr);
int pthru_nl_send_reply(struct genl_info *info, struct sk_buff *msg,
			void *hdr, int err);
int pthru_nl_parse_addr(const struct nlattr *attr,
			struct netlink_ext_ack *extack, u32 *addr);
int pthru_nl_no_such_dev(const struct nlattr *attr,
			 struct netlink_ext_ack *extack, u32 addr);

int pthru_nl_dump_parse(struct netlink_callback *cb, struct nlattr **attrs);
struct pthru_state *pthru_nl_dump_state(struct netlink_callback *cb);
void *pthru_nl_dump_start_record(struct sk_buff *skb,
				 struct netlink_callback *cb, u8 cmd);
int pthru_nl_dump_result(struct sk_buff *skb, bool stopped_early);

/*
 * The multicast groups' sending side (nl_notify.c), shared by every
 * event: whether anybody listens, and sending a finished message
 * (consumed).
 * Both may sleep.
 */
bool pthru_nl_nobody_listens(unsigned int group);
void pthru_nl_multicast(struct sk_buff *msg, void *hdr, unsigned int group);

#endif /* _PTHRU_NL_FAMILY_H */
