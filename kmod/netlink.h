/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pthru generic netlink family.
 */
#ifndef _PTHRU_NETLINK_H
#define _PTHRU_NETLINK_H

#include <linux/types.h>

#include "core/snapshot.h"

int pthru_netlink_init(void);
void pthru_netlink_exit(void);
void pthru_nl_notify_dev(u8 cmd, const struct pthru_dev *func);

#endif /* _PTHRU_NETLINK_H */
