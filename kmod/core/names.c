// SPDX-License-Identifier: GPL-2.0
/*
 * Names for domain types, reserved-region types, tristates, PCIe port
 * types and IOMMU drivers.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "names.h"

/* The words of /sys/kernel/iommu_groups/N/type, plus "none". */
static const char * const domain_type_names[] = {
	[PTHRU_DOMAIN_TYPE_NONE]	= "none",
	[PTHRU_DOMAIN_TYPE_BLOCKED]	= "blocked",
	[PTHRU_DOMAIN_TYPE_IDENTITY]	= "identity",
	[PTHRU_DOMAIN_TYPE_UNMANAGED]	= "unmanaged",
	[PTHRU_DOMAIN_TYPE_DMA]		= "DMA",
	[PTHRU_DOMAIN_TYPE_DMA_FQ]	= "DMA-FQ",
	[PTHRU_DOMAIN_TYPE_UNKNOWN]	= "unknown",
};

/*
 * The words of /sys/kernel/iommu_groups/N/reserved_regions.  The kernel
 * prints a software MSI window as "msi" too; pthru keeps the two apart
 * because only the hardware window bypasses translation.
 */
static const char * const resv_type_names[] = {
	[PTHRU_RESV_TYPE_DIRECT]		= "direct",
	[PTHRU_RESV_TYPE_DIRECT_RELAXABLE]	= "direct-relaxable",
	[PTHRU_RESV_TYPE_RESERVED]		= "reserved",
	[PTHRU_RESV_TYPE_MSI]			= "msi",
	[PTHRU_RESV_TYPE_SW_MSI]		= "sw-msi",
};

static const char * const tristate_names[] = {
	[PTHRU_TRISTATE_NO]		= "no",
	[PTHRU_TRISTATE_YES]		= "yes",
	[PTHRU_TRISTATE_UNKNOWN]	= "unknown",
};

/* Indexed by the Device/Port Type field of the PCIe capability. */
static const char * const pcie_type_names[] = {
	[0x0] = "endpoint",
	[0x1] = "legacy-endpoint",
	[0x4] = "root-port",
	[0x5] = "upstream-port",
	[0x6] = "downstream-port",
	[0x7] = "pcie-to-pci-bridge",
	[0x8] = "pci-to-pcie-bridge",
	[0x9] = "rc-integrated",
	[0xa] = "rc-event-collector",
};

/**
 * pthru_domain_type_name() - sysfs-style name of a domain type
 * @type: the domain type
 *
 * Return: "none", "blocked", "identity", "unmanaged", "DMA", "DMA-FQ" or
 * "unknown" (also for values outside the enumeration).
 */
const char *pthru_domain_type_name(enum pthru_domain_type type)
{
	if ((unsigned int)type >= ARRAY_SIZE(domain_type_names))
		return domain_type_names[PTHRU_DOMAIN_TYPE_UNKNOWN];
	return domain_type_names[type];
}

/**
 * pthru_resv_type_name() - name of a reserved-region type
 * @type: the region type
 *
 * Return: "direct", "direct-relaxable", "reserved", "msi", "sw-msi", or
 * "unknown" for values outside the enumeration.
 */
const char *pthru_resv_type_name(enum pthru_resv_type type)
{
	if ((unsigned int)type >= ARRAY_SIZE(resv_type_names))
		return "unknown";
	return resv_type_names[type];
}

/**
 * pthru_tristate_name() - name of a tristate
 * @state: the tristate
 *
 * Return: "no", "yes", or "unknown" (also for values outside the enumeration).
 */
const char *pthru_tristate_name(enum pthru_tristate state)
{
	if ((unsigned int)state >= ARRAY_SIZE(tristate_names))
		return tristate_names[PTHRU_TRISTATE_UNKNOWN];
	return tristate_names[state];
}

/**
 * pthru_pcie_type_name() - name of a PCIe Device/Port Type
 * @type: the 4-bit type from the PCIe capability
 *
 * Return: the name, or NULL for a reserved type (print it as a number).
 */
const char *pthru_pcie_type_name(u8 type)
{
	if (type >= ARRAY_SIZE(pcie_type_names))
		return NULL;
	return pcie_type_names[type];
}

/**
 * pthru_iommu_driver_name() - name the IOMMU driver behind a unit
 * @buf: output buffer
 * @len: size of @buf
 * @unit_name: name of the IOMMU unit's sysfs device (/sys/class/iommu), or
 *	NULL when the driver registered none
 * @parent_driver: name of the driver bound to that device's parent, or NULL
 *
 * Intel VT-d names its units dmarN and AMD-Vi ivhdN; every other driver is
 * named after the driver of the device that provides the unit, with
 * underscores written as dashes (virtio_iommu becomes virtio-iommu).
 * Without either name the driver is "unknown".
 */
void pthru_iommu_driver_name(char *buf, size_t len, const char *unit_name,
			     const char *parent_driver)
{
	char *p;

	if (!len)
		return;
	if (unit_name && str_has_prefix(unit_name, "dmar")) {
		strscpy(buf, "intel-vtd", len);
	} else if (unit_name && str_has_prefix(unit_name, "ivhd")) {
		strscpy(buf, "amd-vi", len);
	} else if (parent_driver && parent_driver[0]) {
		strscpy(buf, parent_driver, len);
		for (p = buf; *p; p++)
			if (*p == '_')
				*p = '-';
	} else {
		strscpy(buf, "unknown", len);
	}
}
