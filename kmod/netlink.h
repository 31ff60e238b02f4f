/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pthru generic netlink family.
 */
#ifndef _PTHRU_NETLINK_H
#define _PTHRU_NETLINK_H

#include <linux/types.h>

#include "core/hazard.h"
#include "core/snapshot.h"
#include "state.h"

int pthru_netlink_init(void);
void pthru_netlink_exit(void);
void pthru_nl_notify_dev(u8 cmd, const struct pthru_dev *func,
			 const struct pthru_state *state);
void pthru_nl_notify_finding(u8 cmd, u32 generation,
			     const struct pthru_finding *finding);

#endif /* _PTHRU_NETLINK_H */
