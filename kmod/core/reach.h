/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peer reachability from ACS hardware truth.
 *
 * ACS is an egress control: the flags of a hop decide where a request that
 * enters the hop from below may go, never who may reach into the hop.  So
 * for each PCI function we walk its upstream path and, at every hop that
 * lets peer-to-peer requests through, add the functions that hop can route
 * to.  "A can reach B" then puts A and B in one isolation group (the
 * symmetric, transitive closure), which is what a correct IOMMU group must
 * contain.  This models the PCIe specification, not the kernel's
 * pci_device_group(), which on the kernels we target checks ACS only on the
 * bridges above a device's bus and so splits switch downstream ports that
 * lack ACS into separate groups.
 */
#ifndef _PTHRU_CORE_REACH_H
#define _PTHRU_CORE_REACH_H

#include <linux/types.h>

#include "acs_quirks.h"
#include "snapshot.h"

/*
 * ACS capability and control bits (PCIe r6.0, 7.7.8.2/3).  They mirror
 * PCI_ACS_* of pci_regs.h, which the pure core does not include.
 */
#define PTHRU_ACS_SV	0x0001	/* Source Validation */
#define PTHRU_ACS_TB	0x0002	/* Translation Blocking */
#define PTHRU_ACS_RR	0x0004	/* P2P Request Redirect */
#define PTHRU_ACS_CR	0x0008	/* P2P Completion Redirect */
#define PTHRU_ACS_UF	0x0010	/* Upstream Forwarding */
#define PTHRU_ACS_EC	0x0020	/* P2P Egress Control */
#define PTHRU_ACS_DT	0x0040	/* Direct Translated P2P */

/* What a downstream or root port must enable, as the kernel's REQ_ACS_FLAGS. */
#define PTHRU_ACS_PORT_FLAGS	(PTHRU_ACS_SV | PTHRU_ACS_RR | \
				 PTHRU_ACS_CR | PTHRU_ACS_UF)
/* What a function of a multifunction device must enable. */
#define PTHRU_ACS_FUNC_FLAGS	(PTHRU_ACS_RR | PTHRU_ACS_CR)

/**
 * enum pthru_hop_kind - where on a path peer-to-peer traffic can turn
 * @PTHRU_HOP_FUNCTION: inside a multifunction device (function loopback)
 * @PTHRU_HOP_DOWNSTREAM: a switch downstream port (the switch's internal bus)
 * @PTHRU_HOP_ROOT: a root port (between root ports of one root complex)
 * @PTHRU_HOP_PCI_BUS: a conventional PCI bus, which has no ACS at all
 * @PTHRU_HOP_UNKNOWN: a hop pthru cannot classify (a PCIe port type it
 *	does not know, a function that is not a bridge above another, links
 *	that loop); it never isolates
 * @PTHRU_HOP_PASS: a bridge that only forwards upstream and makes no
 *	peer-to-peer decision of its own (a switch upstream port); never an
 *	open hop, so never sent
 */
enum pthru_hop_kind {
	PTHRU_HOP_FUNCTION,
	PTHRU_HOP_DOWNSTREAM,
	PTHRU_HOP_ROOT,
	PTHRU_HOP_PCI_BUS,
	PTHRU_HOP_UNKNOWN,
	PTHRU_HOP_PASS,
};

/**
 * struct pthru_hop - one hop of a function's upstream path
 * @idx: index in the snapshot's devs of the function or port
 * @kind: what kind of hop it is
 * @isolates: peer-to-peer requests entering here go upstream to the IOMMU
 * @assumed: @isolates is an assumption, not a register reading (a root
 *	port or a function of a multifunction device without an ACS
 *	capability is taken to have no internal loopback)
 * @missing: ACS flags the hop implements but has not enabled; for a hop
 *	without ACS capability, every flag it would need; for a hop a quirk
 *	decided, the asked flags the quirk does not assert
 * @quirk: when @quirk.entry is set, a device-specific quirk of the host
 *	kernel (acs_quirks.h) decided @isolates, not the registers
 */
struct pthru_hop {
	s32 idx;
	enum pthru_hop_kind kind;
	bool isolates;
	bool assumed;
	u16 missing;
	struct pthru_acs_quirk_verdict quirk;
};

/**
 * struct pthru_reach - what one PCI function can reach without the IOMMU
 * @iso_group: hardware isolation group number, or -1 for a bridge
 * @reach_count: other functions it can reach without the IOMMU
 * @open: the first hop on its path that lets peer-to-peer through;
 *	@open.idx is PTHRU_NO_INDEX when every hop isolates
 * @unknown: the first hop on its path pthru cannot classify;
 *	@unknown.idx is PTHRU_NO_INDEX when it understood every hop
 * @quirk: the first hop on its path that isolates by a device-specific
 *	ACS quirk of the host kernel; @quirk.idx is PTHRU_NO_INDEX for none
 * @nr_quirk_hops: the hops on its path that isolate by such a quirk
 * @narrower: its IOMMU group is narrower than its isolation group
 * @narrower_peer: when @narrower, the index of a function of the same
 *	isolation group that sits in another IOMMU group
 */
struct pthru_reach {
	s32 iso_group;
	u32 reach_count;
	struct pthru_hop open;
	struct pthru_hop unknown;
	struct pthru_hop quirk;
	u32 nr_quirk_hops;
	bool narrower;
	s32 narrower_peer;
};

/**
 * struct pthru_isolation - reachability of every function of a snapshot
 * @reach: one entry per snapshot function, in the snapshot's order
 * @nr_devs: number of entries
 * @nr_iso_groups: number of hardware isolation groups
 * @quirk_hops: distinct hops, on the paths of the functions, that isolate
 *	only because a device-specific quirk of the host kernel says so
 */
struct pthru_isolation {
	struct pthru_reach *reach;
	u32 nr_devs;
	u32 nr_iso_groups;
	u32 quirk_hops;
};

int pthru_acs_flags_text(char *buf, size_t len, u16 flags);
bool pthru_dev_is_bridge(const struct pthru_dev *dev);
bool pthru_bridge_type_known(const struct pthru_dev *bridge);
bool pthru_dev_is_iommu(const struct pthru_snapshot *snap,
			const struct pthru_dev *dev);
const char *pthru_hop_kind_name(enum pthru_hop_kind kind);
bool pthru_sriov_pf(const struct pthru_dev *dev, u32 *addr);
bool pthru_sriov_assumed(const struct pthru_dev *dev,
			 const struct pthru_dev *pf);
bool pthru_same_sriov_device(const struct pthru_dev *a,
			     const struct pthru_dev *b);
bool pthru_hop_eval(const struct pthru_snapshot *snap, u32 idx,
		    enum pthru_hop_kind kind, struct pthru_hop *hop);
int pthru_path_walk(const struct pthru_snapshot *snap, u32 idx,
		    int (*fn)(const struct pthru_snapshot *snap,
			      const struct pthru_hop *hop, void *ctx),
		    void *ctx);
int pthru_isolation_compute(const struct pthru_snapshot *snap,
			    struct pthru_isolation *iso, gfp_t gfp);
void pthru_isolation_free(struct pthru_isolation *iso);

#endif /* _PTHRU_CORE_REACH_H */
