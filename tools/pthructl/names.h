/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printable names of the values the pthru family reports as numbers.
 * A value this pthructl does not know prints as "unknown" (or "type-N"
 * for PCIe types), so a newer module never breaks an older tool.
 */
#ifndef PTHRUCTL_NAMES_H
#define PTHRUCTL_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* The words of the kernel's sysfs iommu_group "type" file. */
const char *domain_type_name(uint8_t type);
const char *resv_type_name(uint8_t type);
const char *tristate_name(uint8_t val);

/* PCI_EXP_TYPE_* as "root-port" etc., or "type-N" written to @buf. */
const char *pcie_type_name(uint8_t type, char *buf, size_t len);

#endif /* PTHRUCTL_NAMES_H */
