// SPDX-License-Identifier: GPL-2.0
/*
 * Name tables for the enums of Documentation/netlink/specs/pthru.yaml and
 * for the PCIe device/port type.
 */
#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include <linux/pthru.h>

#include "names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const domain_type_names[] = {
	[PTHRU_DOMAIN_TYPE_NONE]	= "none",
	[PTHRU_DOMAIN_TYPE_BLOCKED]	= "blocked",
	[PTHRU_DOMAIN_TYPE_IDENTITY]	= "identity",
	[PTHRU_DOMAIN_TYPE_UNMANAGED]	= "unmanaged",
	[PTHRU_DOMAIN_TYPE_DMA]		= "DMA",
	[PTHRU_DOMAIN_TYPE_DMA_FQ]	= "DMA-FQ",
	[PTHRU_DOMAIN_TYPE_UNKNOWN]	= "unknown",
};

static const char *const resv_type_names[] = {
	[PTHRU_RESV_TYPE_DIRECT]		= "direct",
	[PTHRU_RESV_TYPE_DIRECT_RELAXABLE]	= "direct-relaxable",
	[PTHRU_RESV_TYPE_RESERVED]		= "reserved",
	[PTHRU_RESV_TYPE_MSI]			= "msi",
	[PTHRU_RESV_TYPE_SW_MSI]		= "sw-msi",
};

static const char *const tristate_names[] = {
	[PTHRU_TRISTATE_NO]		= "no",
	[PTHRU_TRISTATE_YES]		= "yes",
	[PTHRU_TRISTATE_UNKNOWN]	= "unknown",
};

/* PCI_EXP_TYPE_* from the PCIe capability's Device/Port Type field. */
static const char *const pcie_type_names[] = {
	[0x0]	= "endpoint",
	[0x1]	= "legacy-endpoint",
	[0x4]	= "root-port",
	[0x5]	= "upstream-port",
	[0x6]	= "downstream-port",
	[0x7]	= "pcie-to-pci-bridge",
	[0x8]	= "pci-to-pcie-bridge",
	[0x9]	= "rc-integrated",
	[0xa]	= "rc-event-collector",
};

static const char *const severity_names[] = {
	[PTHRU_SEVERITY_INFO]		= "info",
	[PTHRU_SEVERITY_LOW]		= "low",
	[PTHRU_SEVERITY_MEDIUM]		= "medium",
	[PTHRU_SEVERITY_HIGH]		= "high",
	[PTHRU_SEVERITY_CRITICAL]	= "critical",
};

/* The entries of the spec's hazard-id enum; the names never change. */
static const char *const hazard_names[] = {
	[PTHRU_HAZARD_ID_IOMMU_ABSENT]		= "iommu-absent",
	[PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH]	= "default-passthrough",
	[PTHRU_HAZARD_ID_NO_GROUP]		= "no-group",
	[PTHRU_HAZARD_ID_IDENTITY_DOMAIN]	= "identity-domain",
	[PTHRU_HAZARD_ID_GROUP_NARROWER]	= "group-narrower",
	[PTHRU_HAZARD_ID_ACS_MISSING]		= "acs-missing",
	[PTHRU_HAZARD_ID_ACS_CHANGED]		= "acs-changed",
	[PTHRU_HAZARD_ID_DIRECT_REGION]		= "direct-region",
	[PTHRU_HAZARD_ID_RELAXABLE_REGION]	= "relaxable-region",
	[PTHRU_HAZARD_ID_NO_ISOLATED_MSI]	= "no-isolated-msi",
	[PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS]	= "unsafe-interrupts",
	[PTHRU_HAZARD_ID_GROUP_NOT_VIABLE]	= "group-not-viable",
	[PTHRU_HAZARD_ID_ATS_EXPOSED]		= "ats-exposed",
	[PTHRU_HAZARD_ID_LAZY_INVALIDATION]	= "lazy-invalidation",
	[PTHRU_HAZARD_ID_CMDLINE_WEAKENING]	= "cmdline-weakening",
	[PTHRU_HAZARD_ID_MAP_DISAGREES]		= "map-disagrees",
	[PTHRU_HAZARD_ID_STALE_TRANSLATION]	= "stale-translation",
	[PTHRU_HAZARD_ID_IDENTITY_OVER_RAM]	= "identity-over-ram",
	[PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED]	= "kernel-memory-mapped",
	[PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH]	= "superpage-overreach",
	[PTHRU_HAZARD_ID_SHADOW_INCOMPLETE]	= "shadow-incomplete",
	[PTHRU_HAZARD_ID_ACS_QUIRK]		= "acs-quirk",
	[PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN]	= "topology-unknown",
};

/* Where on a path peer-to-peer requests turn back (enum p2p-hop). */
static const char *const hop_kind_names[] = {
	[PTHRU_P2P_HOP_FUNCTION]	= "function",
	[PTHRU_P2P_HOP_DOWNSTREAM]	= "downstream",
	[PTHRU_P2P_HOP_ROOT]		= "root",
	[PTHRU_P2P_HOP_PCI_BUS]	= "pci-bus",
	[PTHRU_P2P_HOP_UNCLASSIFIED]	= "unclassified",
};

/* What host memory a translation reaches (enum memory-kind). */
static const char *const memory_kind_names[] = {
	[PTHRU_MEMORY_KIND_NOT_RAM]	= "not-ram",
	[PTHRU_MEMORY_KIND_USER]	= "user",
	[PTHRU_MEMORY_KIND_UNKNOWN]	= "unknown",
	[PTHRU_MEMORY_KIND_RESERVED]	= "reserved",
	[PTHRU_MEMORY_KIND_SLAB]	= "slab",
	[PTHRU_MEMORY_KIND_FREE]	= "free",
};

static const char *lookup(const char *const *names, size_t n, uint32_t val)
{
	if (val < n && names[val])
		return names[val];
	return "unknown";
}

const char *domain_type_name(uint32_t type)
{
	return lookup(domain_type_names, ARRAY_SIZE(domain_type_names), type);
}

const char *resv_type_name(uint32_t type)
{
	return lookup(resv_type_names, ARRAY_SIZE(resv_type_names), type);
}

const char *tristate_name(uint32_t val)
{
	return lookup(tristate_names, ARRAY_SIZE(tristate_names), val);
}

const char *pcie_type_name(uint32_t type, char *buf, size_t len)
{
	if (type < ARRAY_SIZE(pcie_type_names) && pcie_type_names[type])
		return pcie_type_names[type];
	snprintf(buf, len, "type-%u", type);
	return buf;
}

const char *severity_name(uint32_t severity)
{
	return lookup(severity_names, ARRAY_SIZE(severity_names), severity);
}

int severity_parse(const char *s, uint8_t *severity)
{
	uint8_t i;

	for (i = 0; i < ARRAY_SIZE(severity_names); i++) {
		if (!strcasecmp(s, severity_names[i])) {
			*severity = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *hazard_name(uint32_t id)
{
	if (id < ARRAY_SIZE(hazard_names) && hazard_names[id])
		return hazard_names[id];
	return "unknown";
}

const char *hazard_id_text(uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "PTHRU-%03u", id);
	return buf;
}

const char *hop_kind_name(uint32_t kind)
{
	return lookup(hop_kind_names, ARRAY_SIZE(hop_kind_names), kind);
}

const char *memory_kind_name(uint32_t kind)
{
	return lookup(memory_kind_names, ARRAY_SIZE(memory_kind_names), kind);
}
