// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding snapshot records as the attributes of the pthru netlink family
 * (Documentation/netlink/specs/pthru.yaml).  Optional attributes are left
 * out when their value is not known or does not apply, as the spec says.
 * Each *_size() function is the exact payload its put function needs, so
 * replies are allocated once.
 */
#include <linux/string.h>
#include <linux/utsname.h>
#include <net/netlink.h>
#include <uapi/linux/pthru.h>

#include "core/mapcheck.h"
#include "core/pciaddr.h"
#include "core/reach.h"
#include "nl_fill.h"
#include "version.h"

/**
 * pthru_nl_status_size() - payload size of pthru_nl_put_status()
 *
 * Return: bytes.
 */
size_t pthru_nl_status_size(void)
{
	return nla_total_size(sizeof(PTHRU_VERSION)) +	/* version */
	       nla_total_size(__NEW_UTS_LEN + 1) +	/* kernel-release */
	       nla_total_size(sizeof(u32)) +		/* iommu-present */
	       nla_total_size(PTHRU_IOMMU_DRIVER_LEN) +	/* iommu-driver */
	       nla_total_size(sizeof(u32)) +		/* iommu-units */
	       nla_total_size(sizeof(u32)) +		/* default-passthrough */
	       nla_total_size(sizeof(u32)) +		/* intr-remap */
	       nla_total_size(sizeof(u32)) +		/* dev-count */
	       nla_total_size(sizeof(u32)) +		/* group-count */
	       nla_total_size(sizeof(u32));		/* generation */
}

/**
 * pthru_nl_put_status() - the status attribute set
 * @skb: message being built
 * @snap: snapshot to describe
 *
 * Return: 0 or -EMSGSIZE.
 */
int pthru_nl_put_status(struct sk_buff *skb, const struct pthru_snapshot *snap)
{
	if (nla_put_string(skb, PTHRU_A_STATUS_VERSION, PTHRU_VERSION) ||
	    nla_put_string(skb, PTHRU_A_STATUS_KERNEL_RELEASE,
			   utsname()->release) ||
	    nla_put_u32(skb, PTHRU_A_STATUS_IOMMU_PRESENT, snap->iommu_present) ||
	    nla_put_string(skb, PTHRU_A_STATUS_IOMMU_DRIVER,
			   snap->iommu_driver) ||
	    nla_put_u32(skb, PTHRU_A_STATUS_IOMMU_UNITS, snap->iommu_units) ||
	    nla_put_u32(skb, PTHRU_A_STATUS_DEFAULT_PASSTHROUGH,
		       snap->default_passthrough) ||
	    nla_put_u32(skb, PTHRU_A_STATUS_INTR_REMAP, snap->intr_remap) ||
	    nla_put_u32(skb, PTHRU_A_STATUS_DEV_COUNT, snap->nr_devs) ||
	    nla_put_u32(skb, PTHRU_A_STATUS_GROUP_COUNT, snap->nr_groups) ||
	    nla_put_u32(skb, PTHRU_A_STATUS_GENERATION, snap->generation))
		return -EMSGSIZE;
	return 0;
}

/**
 * pthru_nl_dev_size() - largest payload of pthru_nl_put_dev()
 *
 * Return: bytes.
 */
size_t pthru_nl_dev_size(void)
{
	return nla_total_size(PTHRU_PCIADDR_BUFSZ) +	/* addr */
	       4 * nla_total_size(sizeof(u32)) +	/* vendor .. subsys-device */
	       nla_total_size(sizeof(u32)) +		/* class */
	       nla_total_size(PTHRU_DRIVER_NAME_LEN) +	/* driver */
	       nla_total_size(sizeof(u32)) +		/* group-id */
	       nla_total_size(sizeof(u32)) +		/* domain-type */
	       4 * nla_total_size(sizeof(u32)) +		/* ats-*, untrusted, ext. */
	       3 * nla_total_size(sizeof(u32)) +	/* acs-* */
	       nla_total_size(sizeof(u32)) +		/* multifunction */
	       nla_total_size(sizeof(u32)) +		/* iommu-self */
	       nla_total_size(PTHRU_PCIADDR_BUFSZ) +	/* upstream */
	       nla_total_size(sizeof(u32)) +		/* pcie-type */
	       nla_total_size(sizeof(u32)) +		/* acs-ctrl-baseline */
	       2 * nla_total_size(sizeof(u32)) +	/* isolation-group, reach-count */
	       nla_total_size(PTHRU_PCIADDR_BUFSZ) +	/* p2p-hop */
	       nla_total_size(PTHRU_PCIADDR_BUFSZ) +	/* sriov-pf */
	       2 * nla_total_size(sizeof(u32));	/* sriov-vfs, -assumed */
}

/* The function's SR-IOV device: its PF, its VFs, whether ACS is assumed. */
static int put_sriov(struct sk_buff *skb, const struct pthru_dev *func,
		     const struct pthru_state *state)
{
	const struct pthru_dev *pf = NULL;
	char addr[PTHRU_PCIADDR_BUFSZ];
	u32 pf_addr;

	if (!pthru_sriov_pf(func, &pf_addr))
		return 0;
	if (func->is_vf && state)
		pf = pthru_snapshot_find_dev(state->snap, pf_addr);
	if (nla_put_string(skb, PTHRU_A_DEV_SRIOV_PF,
			   pthru_pciaddr_format(pf_addr, addr)) ||
	    (func->sriov &&
	     nla_put_u32(skb, PTHRU_A_DEV_SRIOV_VFS, func->sriov_vfs)) ||
	    nla_put_u32(skb, PTHRU_A_DEV_SRIOV_ASSUMED,
			pthru_sriov_assumed(func, pf)))
		return -EMSGSIZE;
	return 0;
}

static int put_acs(struct sk_buff *skb, const struct pthru_dev *func)
{
	if (!func->acs_pos)
		return 0;
	if (nla_put_u32(skb, PTHRU_A_DEV_ACS_POS, func->acs_pos) ||
	    nla_put_u32(skb, PTHRU_A_DEV_ACS_CAP, func->acs_cap) ||
	    nla_put_u32(skb, PTHRU_A_DEV_ACS_CTRL, func->acs_ctrl))
		return -EMSGSIZE;
	return 0;
}

/* What the pure core concluded about the function, when @state knows it. */
static int put_reach(struct sk_buff *skb, const struct pthru_dev *func,
		     const struct pthru_state *state)
{
	const struct pthru_reach *reach;
	char addr[PTHRU_PCIADDR_BUFSZ];
	const struct pthru_dev *hop;

	reach = state ? pthru_state_reach(state, func->addr) : NULL;
	if (!reach)
		return 0;
	if (reach->iso_group >= 0 &&
	    nla_put_u32(skb, PTHRU_A_DEV_ISOLATION_GROUP, reach->iso_group))
		return -EMSGSIZE;
	if (nla_put_u32(skb, PTHRU_A_DEV_REACH_COUNT, reach->reach_count))
		return -EMSGSIZE;
	if (reach->open.idx == PTHRU_NO_INDEX)
		return 0;
	hop = &state->snap->devs[reach->open.idx];
	if (nla_put_string(skb, PTHRU_A_DEV_P2P_HOP,
			   pthru_pciaddr_format(hop->addr, addr)))
		return -EMSGSIZE;
	return 0;
}

/**
 * pthru_nl_put_dev() - the dev attribute set of one PCI function
 * @skb: message being built
 * @func: the function
 * @state: where its reachability comes from; NULL, or a state whose
 *	snapshot lacks the function, leaves isolation-group, reach-count
 *	and p2p-hop out
 *
 * Return: 0 or -EMSGSIZE.
 */
int pthru_nl_put_dev(struct sk_buff *skb, const struct pthru_dev *func,
		     const struct pthru_state *state)
{
	char addr[PTHRU_PCIADDR_BUFSZ];

	if (nla_put_string(skb, PTHRU_A_DEV_ADDR,
			   pthru_pciaddr_format(func->addr, addr)) ||
	    nla_put_u32(skb, PTHRU_A_DEV_VENDOR, func->vendor) ||
	    nla_put_u32(skb, PTHRU_A_DEV_DEVICE, func->device) ||
	    nla_put_u32(skb, PTHRU_A_DEV_SUBSYS_VENDOR, func->subsys_vendor) ||
	    nla_put_u32(skb, PTHRU_A_DEV_SUBSYS_DEVICE, func->subsys_device) ||
	    nla_put_u32(skb, PTHRU_A_DEV_CLASS, func->class))
		return -EMSGSIZE;
	if (func->driver[0] &&
	    nla_put_string(skb, PTHRU_A_DEV_DRIVER, func->driver))
		return -EMSGSIZE;
	if (func->group_id != PTHRU_NO_GROUP &&
	    nla_put_u32(skb, PTHRU_A_DEV_GROUP_ID, func->group_id))
		return -EMSGSIZE;
	if (nla_put_u32(skb, PTHRU_A_DEV_DOMAIN_TYPE, func->domain_type) ||
	    nla_put_u32(skb, PTHRU_A_DEV_ATS_SUPPORTED, func->ats_supported) ||
	    nla_put_u32(skb, PTHRU_A_DEV_ATS_ENABLED, func->ats_enabled) ||
	    nla_put_u32(skb, PTHRU_A_DEV_UNTRUSTED, func->untrusted) ||
	    nla_put_u32(skb, PTHRU_A_DEV_EXTERNAL_FACING,
		       func->external_facing) ||
	    put_acs(skb, func) ||
	    nla_put_u32(skb, PTHRU_A_DEV_MULTIFUNCTION, func->multifunction) ||
	    nla_put_u32(skb, PTHRU_A_DEV_IOMMU_SELF,
			func->iommu_self ||
			(state && pthru_dev_is_iommu(state->snap, func))))
		return -EMSGSIZE;
	if (func->has_upstream &&
	    nla_put_string(skb, PTHRU_A_DEV_UPSTREAM,
			   pthru_pciaddr_format(func->upstream_addr, addr)))
		return -EMSGSIZE;
	if (func->is_pcie &&
	    nla_put_u32(skb, PTHRU_A_DEV_PCIE_TYPE, func->pcie_type))
		return -EMSGSIZE;
	if (func->acs_pos &&
	    nla_put_u32(skb, PTHRU_A_DEV_ACS_CTRL_BASELINE,
			func->acs_ctrl_baseline))
		return -EMSGSIZE;
	return put_reach(skb, func, state) ?: put_sriov(skb, func, state);
}

/* One nested resv-region entry. */
static size_t resv_region_size(void)
{
	return nla_total_size(0) +				/* the nest */
	       2 * nla_total_size_64bit(sizeof(u64)) +		/* start, end */
	       nla_total_size(sizeof(u32));			/* type */
}

/**
 * pthru_nl_group_size() - payload size of pthru_nl_put_group()
 * @group: the group
 *
 * Return: bytes.
 */
size_t pthru_nl_group_size(const struct pthru_group *group)
{
	return nla_total_size(sizeof(u32)) +			/* id */
	       nla_total_size(sizeof(u32)) +			/* domain-type */
	       group->nr_members * nla_total_size(PTHRU_PCIADDR_BUFSZ) +
	       group->nr_resv * resv_region_size() +
	       nla_total_size(sizeof(u32));			/* isolated-msi */
}

static int put_resv_region(struct sk_buff *skb,
			   const struct pthru_resv_region *region)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PTHRU_A_GROUP_RESV_REGION);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PTHRU_A_RESV_REGION_START, region->start,
			      PTHRU_A_RESV_REGION_PAD) ||
	    nla_put_u64_64bit(skb, PTHRU_A_RESV_REGION_END, region->end,
			      PTHRU_A_RESV_REGION_PAD) ||
	    nla_put_u32(skb, PTHRU_A_RESV_REGION_TYPE, region->type)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * pthru_nl_put_group() - the group attribute set of one IOMMU group
 * @skb: message being built
 * @snap: the finalized snapshot @group belongs to (for member addresses)
 * @group: the group
 *
 * Return: 0 or -EMSGSIZE.
 */
int pthru_nl_put_group(struct sk_buff *skb, const struct pthru_snapshot *snap,
		       const struct pthru_group *group)
{
	char addr[PTHRU_PCIADDR_BUFSZ];
	u32 i;

	if (nla_put_u32(skb, PTHRU_A_GROUP_ID, group->id) ||
	    nla_put_u32(skb, PTHRU_A_GROUP_DOMAIN_TYPE, group->domain_type))
		return -EMSGSIZE;
	for (i = 0; i < group->nr_members; i++) {
		const struct pthru_dev *func = &snap->devs[group->members[i]];

		if (nla_put_string(skb, PTHRU_A_GROUP_MEMBER,
				   pthru_pciaddr_format(func->addr, addr)))
			return -EMSGSIZE;
	}
	for (i = 0; i < group->nr_resv; i++)
		if (put_resv_region(skb, &group->resv[i]))
			return -EMSGSIZE;
	if (nla_put_u32(skb, PTHRU_A_GROUP_ISOLATED_MSI, group->isolated_msi))
		return -EMSGSIZE;
	return 0;
}

/* The physical-address facts: for privileged readers only. */
#define PHYS_FACTS	(PTHRU_FACT_PHYS | PTHRU_FACT_PHYS_EXPECTED)

/**
 * pthru_nl_finding_size() - payload size of pthru_nl_put_finding()
 * @finding: the finding
 * @with_phys: the physical addresses go in too
 *
 * Return: bytes (an upper bound).
 */
size_t pthru_nl_finding_size(const struct pthru_finding *finding,
			     bool with_phys)
{
	return nla_total_size(0) +				/* the nest */
	       nla_total_size(sizeof(u32)) +			/* id */
	       nla_total_size(sizeof(u32)) +			/* severity */
	       nla_total_size(PTHRU_PCIADDR_BUFSZ) +		/* addr */
	       nla_total_size(sizeof(u32)) +			/* group-id */
	       nla_total_size(strlen(finding->message) + 1) +
	       nla_total_size(strlen(pthru_hazard_remediation(finding->id)) + 1) +
	       2 * nla_total_size(PTHRU_PCIADDR_BUFSZ) +	/* hop, peer */
	       2 * nla_total_size(PTHRU_DRIVER_NAME_LEN) +	/* drivers */
	       14 * nla_total_size(sizeof(u32)) +		/* hop-kind .. */
	       (with_phys ? 6 : 4) * nla_total_size_64bit(sizeof(u64));
}

static int put_fact_addr(struct sk_buff *skb, int attrtype, u32 addr)
{
	char name[PTHRU_PCIADDR_BUFSZ];

	return nla_put_string(skb, attrtype,
			      pthru_pciaddr_format(addr, name));
}

static int put_facts(struct sk_buff *skb, const struct pthru_finding_facts *f,
		     bool with_phys)
{
	u32 has = f->present & (with_phys ? ~0u : ~(u32)PHYS_FACTS);

	/* The core's kinds go on the wire as they are. */
	BUILD_BUG_ON((int)PTHRU_HOP_FUNCTION != (int)PTHRU_P2P_HOP_FUNCTION);
	BUILD_BUG_ON((int)PTHRU_HOP_DOWNSTREAM != (int)PTHRU_P2P_HOP_DOWNSTREAM);
	BUILD_BUG_ON((int)PTHRU_HOP_ROOT != (int)PTHRU_P2P_HOP_ROOT);
	BUILD_BUG_ON((int)PTHRU_HOP_PCI_BUS != (int)PTHRU_P2P_HOP_PCI_BUS);
	BUILD_BUG_ON((int)PTHRU_HOP_UNKNOWN != (int)PTHRU_P2P_HOP_UNCLASSIFIED);
	BUILD_BUG_ON((int)PTHRU_PHYS_NOT_RAM != (int)PTHRU_MEMORY_KIND_NOT_RAM);
	BUILD_BUG_ON((int)PTHRU_PHYS_USER != (int)PTHRU_MEMORY_KIND_USER);
	BUILD_BUG_ON((int)PTHRU_PHYS_UNKNOWN != (int)PTHRU_MEMORY_KIND_UNKNOWN);
	BUILD_BUG_ON((int)PTHRU_PHYS_RESERVED != (int)PTHRU_MEMORY_KIND_RESERVED);
	BUILD_BUG_ON((int)PTHRU_PHYS_SLAB != (int)PTHRU_MEMORY_KIND_SLAB);
	BUILD_BUG_ON((int)PTHRU_PHYS_FREE != (int)PTHRU_MEMORY_KIND_FREE);

	if ((has & PTHRU_FACT_HOP) &&
	    (put_fact_addr(skb, PTHRU_A_FINDING_HOP, f->hop) ||
	     nla_put_u32(skb, PTHRU_A_FINDING_HOP_KIND, f->hop_kind) ||
	     nla_put_u32(skb, PTHRU_A_FINDING_ACS_NEEDED, f->acs_needed) ||
	     nla_put_u32(skb, PTHRU_A_FINDING_REACH_COUNT, f->reach_count)))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_ACS) &&
	    (nla_put_u32(skb, PTHRU_A_FINDING_ACS_POS, f->acs_pos) ||
	     nla_put_u32(skb, PTHRU_A_FINDING_ACS_CTRL, f->acs_ctrl)))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_ACS_BASELINE) &&
	    nla_put_u32(skb, PTHRU_A_FINDING_ACS_CTRL_BASELINE,
			f->acs_ctrl_baseline))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_PEER) &&
	    put_fact_addr(skb, PTHRU_A_FINDING_PEER, f->peer))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_PEER_GROUP) &&
	    ((f->peer_group_id != PTHRU_NO_GROUP &&
	      nla_put_u32(skb, PTHRU_A_FINDING_PEER_GROUP_ID,
			  f->peer_group_id)) ||
	     nla_put_u32(skb, PTHRU_A_FINDING_ISOLATION_GROUP,
			 f->isolation_group)))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_DRIVER) &&
	    nla_put_string(skb, PTHRU_A_FINDING_DRIVER, f->driver))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_PEER_DRIVER) &&
	    nla_put_string(skb, PTHRU_A_FINDING_PEER_DRIVER, f->peer_driver))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_REGION) &&
	    (nla_put_u32(skb, PTHRU_A_FINDING_REGION_TYPE, f->region_type) ||
	     nla_put_u64_64bit(skb, PTHRU_A_FINDING_REGION_START,
			       f->region_start, PTHRU_A_FINDING_PAD) ||
	     nla_put_u64_64bit(skb, PTHRU_A_FINDING_REGION_END,
			       f->region_end, PTHRU_A_FINDING_PAD)))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_MAP) &&
	    (nla_put_u32(skb, PTHRU_A_FINDING_DOMAIN_ID, f->domain_id) ||
	     nla_put_u64_64bit(skb, PTHRU_A_FINDING_COUNT, f->count,
			       PTHRU_A_FINDING_PAD) ||
	     nla_put_u32(skb, PTHRU_A_FINDING_DOMAINS, f->domains)))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_IOVA) &&
	    nla_put_u64_64bit(skb, PTHRU_A_FINDING_IOVA, f->iova,
			      PTHRU_A_FINDING_PAD))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_MEMORY) &&
	    nla_put_u32(skb, PTHRU_A_FINDING_MEMORY_KIND, f->memory))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_PHYS) &&
	    nla_put_u64_64bit(skb, PTHRU_A_FINDING_PHYS, f->phys,
			      PTHRU_A_FINDING_PAD))
		return -EMSGSIZE;
	if ((has & PTHRU_FACT_PHYS_EXPECTED) &&
	    nla_put_u64_64bit(skb, PTHRU_A_FINDING_PHYS_EXPECTED,
			      f->phys_expected, PTHRU_A_FINDING_PAD))
		return -EMSGSIZE;
	return 0;
}

/**
 * pthru_nl_put_finding() - one finding as a nested finding attribute set
 * @skb: message being built
 * @attrtype: type of the nest (PTHRU_A_HAZARD_FINDING)
 * @finding: the finding
 * @with_phys: include the host physical addresses (the reader may see
 *	them: pthru_nl_may_see_phys(); never in an event)
 *
 * Return: 0 or -EMSGSIZE; nothing is left in @skb on error.
 */
int pthru_nl_put_finding(struct sk_buff *skb, int attrtype,
			 const struct pthru_finding *finding, bool with_phys)
{
	char addr[PTHRU_PCIADDR_BUFSZ];
	struct nlattr *nest;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PTHRU_A_FINDING_ID, finding->id) ||
	    nla_put_u32(skb, PTHRU_A_FINDING_SEVERITY, finding->severity))
		goto cancel;
	if (finding->has_addr &&
	    nla_put_string(skb, PTHRU_A_FINDING_ADDR,
			   pthru_pciaddr_format(finding->addr, addr)))
		goto cancel;
	if (finding->group_id != PTHRU_NO_GROUP &&
	    nla_put_u32(skb, PTHRU_A_FINDING_GROUP_ID, finding->group_id))
		goto cancel;
	if (nla_put_string(skb, PTHRU_A_FINDING_MESSAGE, finding->message) ||
	    nla_put_string(skb, PTHRU_A_FINDING_REMEDIATION,
			   pthru_hazard_remediation(finding->id)) ||
	    put_facts(skb, &finding->facts, with_phys))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
