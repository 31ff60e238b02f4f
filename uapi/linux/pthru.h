/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pthru.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_PTHRU_H
#define _UAPI_LINUX_PTHRU_H

#define PTHRU_FAMILY_NAME	"pthru"
#define PTHRU_FAMILY_VERSION	1

/**
 * enum pthru_domain_type - The kind of IOMMU domain a device is attached to
 *   right now.
 * @PTHRU_DOMAIN_TYPE_NONE: No IOMMU domain (no IOMMU, or the device is not
 *   translated).
 * @PTHRU_DOMAIN_TYPE_BLOCKED: All DMA is blocked.
 * @PTHRU_DOMAIN_TYPE_IDENTITY: IOVA equals physical address (iommu=pt or a
 *   forced identity domain).
 * @PTHRU_DOMAIN_TYPE_UNMANAGED: A domain owned by a kernel user such as VFIO
 *   type1 (userspace).
 * @PTHRU_DOMAIN_TYPE_DMA: Kernel DMA-API domain with strict invalidation.
 * @PTHRU_DOMAIN_TYPE_DMA_FQ: Kernel DMA-API domain with lazy (flush-queue)
 *   invalidation.
 * @PTHRU_DOMAIN_TYPE_UNKNOWN: A domain type pthru does not know.
 */
enum pthru_domain_type {
	PTHRU_DOMAIN_TYPE_NONE,
	PTHRU_DOMAIN_TYPE_BLOCKED,
	PTHRU_DOMAIN_TYPE_IDENTITY,
	PTHRU_DOMAIN_TYPE_UNMANAGED,
	PTHRU_DOMAIN_TYPE_DMA,
	PTHRU_DOMAIN_TYPE_DMA_FQ,
	PTHRU_DOMAIN_TYPE_UNKNOWN,
};

/**
 * enum pthru_resv_type - The type of an IOMMU reserved region.
 * @PTHRU_RESV_TYPE_DIRECT: Firmware requires a 1:1 mapping (Intel RMRR, AMD
 *   IVMD).
 * @PTHRU_RESV_TYPE_DIRECT_RELAXABLE: 1:1 mapping that may be dropped for
 *   device assignment.
 * @PTHRU_RESV_TYPE_RESERVED: Never mapped.
 * @PTHRU_RESV_TYPE_MSI: Hardware MSI window, untranslated.
 * @PTHRU_RESV_TYPE_SW_MSI: Software-managed MSI window.
 */
enum pthru_resv_type {
	PTHRU_RESV_TYPE_DIRECT,
	PTHRU_RESV_TYPE_DIRECT_RELAXABLE,
	PTHRU_RESV_TYPE_RESERVED,
	PTHRU_RESV_TYPE_MSI,
	PTHRU_RESV_TYPE_SW_MSI,
};

/**
 * enum pthru_tristate - A property that the kernel can report as known false,
 *   known true, or not known.
 */
enum pthru_tristate {
	PTHRU_TRISTATE_NO,
	PTHRU_TRISTATE_YES,
	PTHRU_TRISTATE_UNKNOWN,
};

enum {
	PTHRU_A_STATUS_VERSION = 1,
	PTHRU_A_STATUS_KERNEL_RELEASE,
	PTHRU_A_STATUS_IOMMU_PRESENT,
	PTHRU_A_STATUS_IOMMU_DRIVER,
	PTHRU_A_STATUS_IOMMU_UNITS,
	PTHRU_A_STATUS_DEFAULT_PASSTHROUGH,
	PTHRU_A_STATUS_INTR_REMAP,
	PTHRU_A_STATUS_DEV_COUNT,
	PTHRU_A_STATUS_GROUP_COUNT,
	PTHRU_A_STATUS_GENERATION,

	__PTHRU_A_STATUS_MAX,
	PTHRU_A_STATUS_MAX = (__PTHRU_A_STATUS_MAX - 1)
};

enum {
	PTHRU_A_DEV_ADDR = 1,
	PTHRU_A_DEV_VENDOR,
	PTHRU_A_DEV_DEVICE,
	PTHRU_A_DEV_SUBSYS_VENDOR,
	PTHRU_A_DEV_SUBSYS_DEVICE,
	PTHRU_A_DEV_CLASS,
	PTHRU_A_DEV_DRIVER,
	PTHRU_A_DEV_GROUP_ID,
	PTHRU_A_DEV_DOMAIN_TYPE,
	PTHRU_A_DEV_ATS_SUPPORTED,
	PTHRU_A_DEV_ATS_ENABLED,
	PTHRU_A_DEV_UNTRUSTED,
	PTHRU_A_DEV_EXTERNAL_FACING,
	PTHRU_A_DEV_ACS_POS,
	PTHRU_A_DEV_ACS_CAP,
	PTHRU_A_DEV_ACS_CTRL,
	PTHRU_A_DEV_MULTIFUNCTION,
	PTHRU_A_DEV_UPSTREAM,
	PTHRU_A_DEV_PCIE_TYPE,

	__PTHRU_A_DEV_MAX,
	PTHRU_A_DEV_MAX = (__PTHRU_A_DEV_MAX - 1)
};

enum {
	PTHRU_A_RESV_REGION_START = 1,
	PTHRU_A_RESV_REGION_END,
	PTHRU_A_RESV_REGION_TYPE,

	__PTHRU_A_RESV_REGION_MAX,
	PTHRU_A_RESV_REGION_MAX = (__PTHRU_A_RESV_REGION_MAX - 1)
};

enum {
	PTHRU_A_GROUP_ID = 1,
	PTHRU_A_GROUP_DOMAIN_TYPE,
	PTHRU_A_GROUP_MEMBER,
	PTHRU_A_GROUP_RESV_REGION,
	PTHRU_A_GROUP_ISOLATED_MSI,

	__PTHRU_A_GROUP_MAX,
	PTHRU_A_GROUP_MAX = (__PTHRU_A_GROUP_MAX - 1)
};

enum {
	PTHRU_CMD_STATUS_GET = 1,
	PTHRU_CMD_DEV_GET,
	PTHRU_CMD_GROUP_GET,
	PTHRU_CMD_DEV_ADD_NTF,
	PTHRU_CMD_DEV_DEL_NTF,
	PTHRU_CMD_DEV_BIND_NTF,
	PTHRU_CMD_DEV_UNBIND_NTF,

	__PTHRU_CMD_MAX,
	PTHRU_CMD_MAX = (__PTHRU_CMD_MAX - 1)
};

#define PTHRU_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_PTHRU_H */
