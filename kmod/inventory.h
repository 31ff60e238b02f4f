/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the live kernel into pthru snapshots.
 */
#ifndef _PTHRU_INVENTORY_H
#define _PTHRU_INVENTORY_H

#include <linux/iommu.h>
#include <linux/pci.h>

#include "core/snapshot.h"

/*
 * The buses whose functions decide whether one function is isolated: the
 * bus of the function and of each bridge above it, as packed addresses
 * shifted right by 8 (domain << 8 | bus).  More buses than fit, or one
 * that pthru does not inventory, set @overflow: nothing is then current.
 */
#define PTHRU_PATH_BUSES_MAX	32

struct pthru_path_buses {
	u32 nr;
	bool overflow;
	u32 key[PTHRU_PATH_BUSES_MAX];
};

void pthru_inventory_read_params(void);
struct pthru_snapshot *pthru_inventory_build(void);
struct pthru_snapshot *pthru_inventory_build_private(void);
bool pthru_inventory_capture(struct pci_dev *pdev, struct pthru_dev *dev);
bool pthru_inventory_acs_changed(const struct pthru_snapshot *snap);
void pthru_path_buses_add(struct pthru_path_buses *pb, struct pci_dev *pdev);
bool pthru_inventory_paths_current(const struct pthru_snapshot *snap,
				   const struct pthru_path_buses *pb);
enum pthru_domain_type pthru_domain_type_of(const struct iommu_domain *domain);

#endif /* _PTHRU_INVENTORY_H */
