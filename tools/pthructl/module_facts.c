// SPDX-License-Identifier: GPL-2.0
/*
 * Facts from the module, laid over sysfs's.  The module's dev-get and
 * group-get carry most of a snapshot but not all (the vendor-specific ACS
 * dword of Intel root ports, whether the firmware has IVRS, the VFIO
 * parameter): sysfs gives those, the module what sysfs cannot show.  A
 * function only one of them lists (it came or went between the two
 * readings) keeps sysfs's facts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include <core/pciaddr.h>

#include "dev.h"
#include "group.h"
#include "local_view.h"
#include "module_facts.h"
#include "status.h"
#include "sysfs_source.h"

static void overlay_dev(struct pthru_snapshot *snap, const struct dev_view *v)
{
	struct pthru_dev *dev;
	u32 addr;

	if (pthru_pciaddr_parse(v->addr, &addr))
		return;
	dev = pthru_snapshot_find_dev(snap, addr);
	if (!dev)
		return;
	if (dev_has(v, PTHRU_A_DEV_UNTRUSTED)) {
		dev->untrusted = v->untrusted;
		dev->unknown &= ~PTHRU_DEV_UNKNOWN_UNTRUSTED;
	}
	if (dev_has(v, PTHRU_A_DEV_EXTERNAL_FACING)) {
		dev->external_facing = v->external_facing;
		dev->unknown &= ~PTHRU_DEV_UNKNOWN_EXTERNAL;
	}
	/* The module reads every function's capabilities, root or not. */
	if (dev_has(v, PTHRU_A_DEV_ATS_SUPPORTED)) {
		dev->ats_supported = v->ats_supported;
		dev->ats_enabled = v->ats_enabled;
		dev->is_pcie = dev_has(v, PTHRU_A_DEV_PCIE_TYPE);
		dev->pcie_type = v->pcie_type;
		dev->acs_pos = dev_has(v, PTHRU_A_DEV_ACS_POS) ? v->acs_pos : 0;
		dev->acs_cap = v->acs_cap;
		dev->acs_ctrl = v->acs_ctrl;
		dev->unknown &= ~PTHRU_DEV_UNKNOWN_CONFIG;
	}
	if (dev_has(v, PTHRU_A_DEV_ACS_CTRL_BASELINE)) {
		dev->acs_ctrl_baseline = v->acs_ctrl_baseline;
		dev->unknown &= ~PTHRU_DEV_UNKNOWN_ACS_BASELINE;
	} else if (!dev->acs_pos) {
		dev->unknown &= ~PTHRU_DEV_UNKNOWN_ACS_BASELINE;
	}
}

static void overlay_group(struct pthru_snapshot *snap,
			  const struct group_view *v)
{
	struct pthru_group *group = pthru_snapshot_find_group(snap, v->id);

	if (!group)
		return;
	if (group_has(v, PTHRU_A_GROUP_DOMAIN_TYPE))
		group->domain_type = v->domain_type;
	if (group_has(v, PTHRU_A_GROUP_ISOLATED_MSI))
		group->isolated_msi = v->isolated_msi;
}

static void overlay_status(struct pthru_snapshot *snap,
			   const struct pthru_status *st)
{
	if (status_has(st, PTHRU_A_STATUS_DEFAULT_PASSTHROUGH)) {
		snap->default_passthrough = st->default_passthrough;
		snap->unknown &= ~PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN;
	}
	if (status_has(st, PTHRU_A_STATUS_IOMMU_DRIVER) &&
	    strlen(st->iommu_driver) < sizeof(snap->iommu_driver))
		strcpy(snap->iommu_driver, st->iommu_driver);
	if (status_has(st, PTHRU_A_STATUS_IOMMU_UNITS))
		snap->iommu_units = st->iommu_units;
	if (status_has(st, PTHRU_A_STATUS_GENERATION))
		snap->generation = st->generation;
}

int module_facts_read(struct pthructl *ctl, const char *root,
		      struct facts *facts)
{
	struct group_view *groups = NULL;
	struct dev_view *devs = NULL;
	size_t n_devs = 0, n_groups = 0, i;
	struct pthru_status st;
	int ret;

	ret = sysfs_facts_read(root, facts);
	if (ret)
		return pt_err("cannot read the host's facts from sysfs: %s",
			      strerror(-ret));
	ret = status_fetch(ctl, &st);
	if (!ret)
		ret = dev_fetch_all(ctl, &devs, &n_devs);
	if (!ret)
		ret = group_fetch_all(ctl, &groups, &n_groups);
	if (ret)
		goto out;
	for (i = 0; i < n_devs; i++)
		overlay_dev(facts->snap, &devs[i]);
	for (i = 0; i < n_groups; i++)
		overlay_group(facts->snap, &groups[i]);
	overlay_status(facts->snap, &st);
	facts->source = FACTS_MODULE;
	/* Finalize again: each function takes its group's domain. */
	if (pthru_snapshot_finalize(facts->snap, GFP_KERNEL))
		ret = pt_err("the module's facts contradict sysfs's");
out:
	free(devs);
	local_group_list_free(groups, n_groups);
	if (ret)
		facts_free(facts);
	return ret;
}
