/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PCI function as the pthru family reports it (the "dev" attribute set),
 * shared by the dev command and the monitor, whose events carry the same
 * attributes.
 */
#ifndef PTHRUCTL_DEV_H
#define PTHRUCTL_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "json.h"
#include "pciaddr.h"

/* Linux driver names are short; the buffer leaves room for odd ones. */
#define DEV_DRIVER_MAX	128

struct dev_view {
	uint64_t present;	/* bit N: attribute PTHRU_A_DEV_N was sent */
	char addr[PCI_ADDR_STRLEN];
	uint32_t vendor;
	uint32_t device;
	uint32_t subsys_vendor;
	uint32_t subsys_device;
	uint32_t class;
	char driver[DEV_DRIVER_MAX];
	uint32_t group_id;
	uint32_t domain_type;
	uint32_t ats_supported;
	uint32_t ats_enabled;
	uint32_t untrusted;
	uint32_t external_facing;
	uint32_t acs_pos;
	uint32_t acs_cap;
	uint32_t acs_ctrl;
	uint32_t multifunction;
	uint32_t iommu_self;
	char upstream[PCI_ADDR_STRLEN];
	uint32_t pcie_type;
	uint32_t acs_ctrl_baseline;
	uint32_t isolation_group;
	uint32_t reach_count;
	char p2p_hop[PCI_ADDR_STRLEN];
	char sriov_pf[PCI_ADDR_STRLEN];
	uint32_t sriov_vfs;
	uint32_t sriov_assumed;
};

struct pthructl;

static inline bool dev_has(const struct dev_view *dev, uint16_t attr)
{
	return dev->present & (1ULL << attr);
}

/*
 * Fill @dev from a dev-get reply or a dev-*-ntf notification.
 * Returns 0, or -EBADMSG with *@bad_type naming the malformed attribute.
 */
int dev_parse(const struct nlmsghdr *nlh, struct dev_view *dev,
	      uint16_t *bad_type);

/*
 * A PCI-to-PCI or CardBus bridge (class 0604xx, 0609xx, 0607xx), such as
 * a PCIe port: the functions vfio-pci refuses (no type 0 header).  Host
 * and ISA bridges (0600xx, 0601xx) are not among them.
 */
bool dev_is_bridge(const struct dev_view *dev);

/*
 * dev-get of the canonical address @addr into @dev.  Prints the error
 * ("no PCI function ADDR" unless the kernel said more) and returns
 * EXIT_ERROR on failure.
 */
int dev_fetch(struct pthructl *ctl, const char *addr, struct dev_view *dev);

/*
 * dev-get dump: every function, into a new array (free it).  Prints the
 * error and returns EXIT_ERROR on failure.
 */
int dev_fetch_all(struct pthructl *ctl, struct dev_view **devs, size_t *n);

/* Write @dev as the JSON device object of the output contract. */
void dev_json(struct json *j, const char *key, const struct dev_view *dev);

/*
 * The dev command's output: a table with a header, or the JSON document
 * {"schema":2,"devices":[ with one device object per line.
 */
int dev_list_print(FILE *out, const struct dev_view *devs, size_t n,
		   bool json);

/* One function: "key: value" lines, or its JSON object on one line. */
int dev_show_print(FILE *out, const struct dev_view *dev, bool json);

#endif /* PTHRUCTL_DEV_H */
