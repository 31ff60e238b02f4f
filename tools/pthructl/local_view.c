// SPDX-License-Identifier: GPL-2.0
/*
 * The module's netlink fill (kmod/nl_fill.c), in userspace: each core
 * object is put into a netlink message the way the module puts it, then
 * read back with the parser the tool uses for the module's replies.  So
 * what the tool prints cannot depend on where a snapshot was evaluated,
 * except for the facts the source could not establish, which are left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/pthru.h>

#include <core/names.h>
#include <core/pciaddr.h>

#include "local_view.h"

/* Large enough for any one object: a group's members are its functions. */
#define LOCAL_MSG_MAX	(1U << 20)

static char msg_buf[LOCAL_MSG_MAX];

static struct nlmsghdr *msg_start(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msg_buf);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = PTHRU_FAMILY_VERSION;
	return nlh;
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type, u32 addr)
{
	char buf[PTHRU_PCIADDR_BUFSZ];

	mnl_attr_put_strz(nlh, type, pthru_pciaddr_format(addr, buf));
}

static void put_reach(struct nlmsghdr *nlh, const struct pthru_snapshot *snap,
		      const struct pthru_reach *reach)
{
	if (reach->iso_group >= 0)
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_ISOLATION_GROUP,
				 reach->iso_group);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_REACH_COUNT, reach->reach_count);
	if (reach->open.idx != PTHRU_NO_INDEX)
		put_addr(nlh, PTHRU_A_DEV_P2P_HOP,
			 snap->devs[reach->open.idx].addr);
}

static void put_sriov(struct nlmsghdr *nlh, const struct pthru_snapshot *snap,
		      const struct pthru_dev *func)
{
	const struct pthru_dev *pf = NULL;
	u32 pf_addr;

	if (!pthru_sriov_pf(func, &pf_addr))
		return;
	if (func->is_vf)
		pf = pthru_snapshot_find_dev(snap, pf_addr);
	put_addr(nlh, PTHRU_A_DEV_SRIOV_PF, pf_addr);
	if (func->sriov)
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_SRIOV_VFS, func->sriov_vfs);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SRIOV_ASSUMED,
			 pthru_sriov_assumed(func, pf));
}

int local_dev_view(const struct pthru_snapshot *snap,
		   const struct pthru_isolation *iso,
		   const struct pthru_dev *func, struct dev_view *view)
{
	bool config = !(func->unknown & PTHRU_DEV_UNKNOWN_CONFIG);
	struct nlmsghdr *nlh = msg_start(PTHRU_CMD_DEV_GET);
	uint16_t bad_type;

	put_addr(nlh, PTHRU_A_DEV_ADDR, func->addr);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_VENDOR, func->vendor);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DEVICE, func->device);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SUBSYS_VENDOR, func->subsys_vendor);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SUBSYS_DEVICE, func->subsys_device);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_CLASS, func->class);
	if (func->driver[0])
		mnl_attr_put_strz(nlh, PTHRU_A_DEV_DRIVER, func->driver);
	if (func->group_id != PTHRU_NO_GROUP)
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_GROUP_ID, func->group_id);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DOMAIN_TYPE, func->domain_type);
	if (config) {
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_ATS_SUPPORTED,
				 func->ats_supported);
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_ATS_ENABLED,
				 func->ats_enabled);
	}
	if (!(func->unknown & PTHRU_DEV_UNKNOWN_UNTRUSTED))
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_UNTRUSTED, func->untrusted);
	if (!(func->unknown & PTHRU_DEV_UNKNOWN_EXTERNAL))
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_EXTERNAL_FACING,
				 func->external_facing);
	if (config && func->acs_pos) {
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_POS, func->acs_pos);
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CAP, func->acs_cap);
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CTRL, func->acs_ctrl);
	}
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_MULTIFUNCTION, func->multifunction);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_IOMMU_SELF,
			 func->iommu_self || pthru_dev_is_iommu(snap, func));
	if (func->has_upstream)
		put_addr(nlh, PTHRU_A_DEV_UPSTREAM, func->upstream_addr);
	if (config && func->is_pcie)
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_PCIE_TYPE, func->pcie_type);
	if (config && func->acs_pos &&
	    !(func->unknown & PTHRU_DEV_UNKNOWN_ACS_BASELINE))
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CTRL_BASELINE,
				 func->acs_ctrl_baseline);
	/* Reachability rests on the capabilities: without them, nothing. */
	if (config && iso)
		put_reach(nlh, snap, &iso->reach[func - snap->devs]);
	put_sriov(nlh, snap, func);
	return dev_parse(nlh, view, &bad_type) ? -EINVAL : 0;
}

int local_group_view(const struct pthru_snapshot *snap,
		     const struct pthru_group *group, struct group_view *view)
{
	struct nlmsghdr *nlh = msg_start(PTHRU_CMD_GROUP_GET);
	uint16_t bad_type;
	struct nlattr *nest;
	u32 i;

	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ID, group->id);
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_DOMAIN_TYPE, group->domain_type);
	for (i = 0; i < group->nr_members; i++)
		put_addr(nlh, PTHRU_A_GROUP_MEMBER,
			 snap->devs[group->members[i]].addr);
	for (i = 0; i < group->nr_resv; i++) {
		nest = mnl_attr_nest_start(nlh, PTHRU_A_GROUP_RESV_REGION);
		mnl_attr_put_u64(nlh, PTHRU_A_RESV_REGION_START,
				 group->resv[i].start);
		mnl_attr_put_u64(nlh, PTHRU_A_RESV_REGION_END,
				 group->resv[i].end);
		mnl_attr_put_u32(nlh, PTHRU_A_RESV_REGION_TYPE,
				 group->resv[i].type);
		mnl_attr_nest_end(nlh, nest);
	}
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ISOLATED_MSI, group->isolated_msi);
	return group_parse(nlh, view, &bad_type) ? -EINVAL : 0;
}

static void put_facts(struct nlmsghdr *nlh, const struct pthru_finding_facts *f)
{
	/* A snapshot has no mappings: physical addresses never come up. */
	if (f->present & PTHRU_FACT_HOP) {
		put_addr(nlh, PTHRU_A_FINDING_HOP, f->hop);
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_HOP_KIND, f->hop_kind);
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_NEEDED, f->acs_needed);
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_REACH_COUNT,
				 f->reach_count);
	}
	if (f->present & PTHRU_FACT_ACS) {
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_POS, f->acs_pos);
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_CTRL, f->acs_ctrl);
	}
	if (f->present & PTHRU_FACT_ACS_BASELINE)
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_CTRL_BASELINE,
				 f->acs_ctrl_baseline);
	if (f->present & PTHRU_FACT_PEER)
		put_addr(nlh, PTHRU_A_FINDING_PEER, f->peer);
	if (f->present & PTHRU_FACT_PEER_GROUP) {
		if (f->peer_group_id != PTHRU_NO_GROUP)
			mnl_attr_put_u32(nlh, PTHRU_A_FINDING_PEER_GROUP_ID,
					 f->peer_group_id);
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ISOLATION_GROUP,
				 f->isolation_group);
	}
	if (f->present & PTHRU_FACT_DRIVER)
		mnl_attr_put_strz(nlh, PTHRU_A_FINDING_DRIVER, f->driver);
	if (f->present & PTHRU_FACT_PEER_DRIVER)
		mnl_attr_put_strz(nlh, PTHRU_A_FINDING_PEER_DRIVER,
				  f->peer_driver);
	if (f->present & PTHRU_FACT_REGION) {
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_REGION_TYPE,
				 f->region_type);
		mnl_attr_put_u64(nlh, PTHRU_A_FINDING_REGION_START,
				 f->region_start);
		mnl_attr_put_u64(nlh, PTHRU_A_FINDING_REGION_END,
				 f->region_end);
	}
	if (f->present & PTHRU_FACT_MAP) {
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_DOMAIN_ID, f->domain_id);
		mnl_attr_put_u64(nlh, PTHRU_A_FINDING_COUNT, f->count);
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_DOMAINS, f->domains);
	}
	if (f->present & PTHRU_FACT_IOVA)
		mnl_attr_put_u64(nlh, PTHRU_A_FINDING_IOVA, f->iova);
	if (f->present & PTHRU_FACT_MEMORY)
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_MEMORY_KIND, f->memory);
}

int local_finding(const struct pthru_finding *finding, struct finding *view)
{
	struct nlmsghdr *nlh = msg_start(PTHRU_CMD_HAZARD_GET);
	struct finding_list list = {};
	struct hazard_msg msg;
	uint16_t bad_type;
	struct nlattr *nest;
	int err;

	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID, finding->id);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, finding->severity);
	if (finding->has_addr)
		put_addr(nlh, PTHRU_A_FINDING_ADDR, finding->addr);
	if (finding->group_id != PTHRU_NO_GROUP)
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_GROUP_ID,
				 finding->group_id);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_MESSAGE, finding->message);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_REMEDIATION,
			  pthru_hazard_remediation(finding->id));
	put_facts(nlh, &finding->facts);
	mnl_attr_nest_end(nlh, nest);

	err = hazard_msg_parse(nlh, &msg, &list, &bad_type);
	if (!err && list.n != 1)
		err = -EINVAL;
	if (!err)
		*view = list.items[0];
	finding_list_free(&list);
	return err ? -EINVAL : 0;
}

int local_status(const struct pthru_snapshot *snap, const char *release,
		 struct pthru_status *st)
{
	struct nlmsghdr *nlh = msg_start(PTHRU_CMD_STATUS_GET);

	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_KERNEL_RELEASE, release);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_IOMMU_PRESENT, snap->iommu_present);
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_IOMMU_DRIVER, snap->iommu_driver);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_IOMMU_UNITS, snap->iommu_units);
	if (!(snap->unknown & PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN))
		mnl_attr_put_u32(nlh, PTHRU_A_STATUS_DEFAULT_PASSTHROUGH,
				 snap->default_passthrough);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_INTR_REMAP, snap->intr_remap);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_DEV_COUNT, snap->nr_devs);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_GROUP_COUNT, snap->nr_groups);
	return status_parse(nlh, st) ? -EINVAL : 0;
}

int local_dev_list(const struct pthru_snapshot *snap,
		   const struct pthru_isolation *iso, struct dev_view **devs,
		   size_t *n)
{
	struct dev_view *views;
	u32 i;
	int err = 0;

	*devs = NULL;
	*n = 0;
	views = calloc(snap->nr_devs + 1, sizeof(*views));
	if (!views)
		return -ENOMEM;
	for (i = 0; i < snap->nr_devs && !err; i++)
		err = local_dev_view(snap, iso, &snap->devs[i], &views[i]);
	if (err) {
		free(views);
		return err;
	}
	*devs = views;
	*n = snap->nr_devs;
	return 0;
}

void local_group_list_free(struct group_view *groups, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		group_free(&groups[i]);
	free(groups);
}

int local_group_list(const struct pthru_snapshot *snap,
		     struct group_view **groups, size_t *n)
{
	struct group_view *views;
	u32 i;
	int err = 0;

	*groups = NULL;
	*n = 0;
	views = calloc(snap->nr_groups + 1, sizeof(*views));
	if (!views)
		return -ENOMEM;
	for (i = 0; i < snap->nr_groups && !err; i++)
		err = local_group_view(snap, &snap->groups[i], &views[i]);
	if (err) {
		local_group_list_free(views, i);
		return err;
	}
	*groups = views;
	*n = snap->nr_groups;
	return 0;
}
