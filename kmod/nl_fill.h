/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Encoding snapshot records as pthru netlink attributes.
 */
#ifndef _PTHRU_NL_FILL_H
#define _PTHRU_NL_FILL_H

#include <linux/skbuff.h>

#include "core/hazard.h"
#include "core/snapshot.h"
#include "state.h"

size_t pthru_nl_status_size(void);
int pthru_nl_put_status(struct sk_buff *skb, const struct pthru_snapshot *snap);
size_t pthru_nl_dev_size(void);
int pthru_nl_put_dev(struct sk_buff *skb, const struct pthru_dev *func,
		     const struct pthru_state *state);
size_t pthru_nl_group_size(const struct pthru_group *group);
int pthru_nl_put_group(struct sk_buff *skb, const struct pthru_snapshot *snap,
		       const struct pthru_group *group);
size_t pthru_nl_finding_size(const struct pthru_finding *finding,
			     bool with_phys);
int pthru_nl_put_finding(struct sk_buff *skb, int attrtype,
			 const struct pthru_finding *finding, bool with_phys);

#endif /* _PTHRU_NL_FILL_H */
