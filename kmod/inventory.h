/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the live kernel into pthru snapshots.
 */
#ifndef _PTHRU_INVENTORY_H
#define _PTHRU_INVENTORY_H

#include <linux/iommu.h>
#include <linux/pci.h>

#include "core/snapshot.h"

struct pthru_snapshot *pthru_inventory_build(void);
bool pthru_inventory_capture(struct pci_dev *pdev, struct pthru_dev *dev);
bool pthru_inventory_acs_changed(const struct pthru_snapshot *snap);
enum pthru_domain_type pthru_domain_type_of(const struct iommu_domain *domain);

#endif /* _PTHRU_INVENTORY_H */
