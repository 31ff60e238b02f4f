/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printable names of the values the pthru family reports as numbers, as
 * the module's core names them.  A value this pthructl does not know
 * prints as "unknown" (or "type-N" for PCIe types), so a newer module
 * never breaks an older tool.
 */
#ifndef PTHRUCTL_NAMES_H
#define PTHRUCTL_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "PTHRU-006" and its NUL; ids above 999 print with more digits. */
#define HAZARD_ID_STRLEN	16

/* The words of the kernel's sysfs iommu_group "type" file. */
const char *domain_type_name(uint32_t type);
const char *resv_type_name(uint32_t type);
const char *tristate_name(uint32_t val);

/* "function", "downstream", "root", "pci-bus" (enum p2p-hop). */
const char *hop_kind_name(uint32_t kind);

/* "not-ram", "user", "unknown", "reserved", "slab", "free" (enum memory-kind). */
const char *memory_kind_name(uint32_t kind);

/* PCI_EXP_TYPE_* as "root-port" etc., or "type-N" written to @buf. */
const char *pcie_type_name(uint32_t type, char *buf, size_t len);

/* "info" ... "critical", or "unknown" for a value from a newer module. */
const char *severity_name(uint32_t severity);

/*
 * Parse a severity name as users type it (any case) into @severity.
 * Returns 0 or -EINVAL.
 */
int severity_parse(const char *s, uint8_t *severity);

/* The spec's name of a hazard-id, "acs-missing", or "unknown". */
const char *hazard_name(uint32_t id);

/* The stable ID of a hazard as printed, "PTHRU-006", written to @buf. */
const char *hazard_id_text(uint32_t id, char *buf, size_t len);

/* A policy rule's action: "deny", "allow" or "unknown". */
const char *policy_action_name(uint32_t action);

/*
 * Does @driver give DMA to userspace or a guest?  vfio-pci, its variant
 * drivers (*_vfio_pci, *-vfio-pci), pci-stub and uio_pci_generic, as the
 * module's hazard engine decides.
 */
bool policy_driver_is_passthrough(const char *driver);

#endif /* PTHRUCTL_NAMES_H */
