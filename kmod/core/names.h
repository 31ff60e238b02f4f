/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stable names for pthru's enumerations, shared by debugfs and log
 * messages.  They match the words the kernel itself uses in sysfs where it
 * has one (/sys/kernel/iommu_groups/N/type and .../reserved_regions), so
 * that an operator can compare pthru's view with sysfs by eye.
 */
#ifndef _PTHRU_CORE_NAMES_H
#define _PTHRU_CORE_NAMES_H

#include <linux/types.h>
#include <uapi/linux/pthru.h>

const char *pthru_domain_type_name(enum pthru_domain_type type);
const char *pthru_resv_type_name(enum pthru_resv_type type);
const char *pthru_tristate_name(enum pthru_tristate state);
const char *pthru_pcie_type_name(u8 type);
void pthru_iommu_driver_name(char *buf, size_t len, const char *unit_name,
			     const char *parent_driver);

#endif /* _PTHRU_CORE_NAMES_H */
