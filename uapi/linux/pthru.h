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
 * @PTHRU_TRISTATE_NO: Known false.
 * @PTHRU_TRISTATE_YES: Known true.
 * @PTHRU_TRISTATE_UNKNOWN: The kernel does not say.
 */
enum pthru_tristate {
	PTHRU_TRISTATE_NO,
	PTHRU_TRISTATE_YES,
	PTHRU_TRISTATE_UNKNOWN,
};

/**
 * enum pthru_severity - How bad a finding is.
 * @PTHRU_SEVERITY_INFO: A fact worth knowing; nothing to fix.
 * @PTHRU_SEVERITY_LOW: Weakens isolation only in unusual conditions.
 * @PTHRU_SEVERITY_MEDIUM: Weakens isolation; fix before assigning the device.
 * @PTHRU_SEVERITY_HIGH: A device can reach what it should not, or could soon.
 * @PTHRU_SEVERITY_CRITICAL: A device can reach host memory or forge interrupts
 *   now.
 */
enum pthru_severity {
	PTHRU_SEVERITY_INFO,
	PTHRU_SEVERITY_LOW,
	PTHRU_SEVERITY_MEDIUM,
	PTHRU_SEVERITY_HIGH,
	PTHRU_SEVERITY_CRITICAL,
};

/**
 * enum pthru_shadow_status - What the shadow of userspace-owned IOMMU domains
 *   is doing.
 * @PTHRU_SHADOW_STATUS_OFF: Loaded with shadow=off; never armed.
 * @PTHRU_SHADOW_STATUS_DISARMED: Not armed now; no function is bound to a
 *   passthrough driver.
 * @PTHRU_SHADOW_STATUS_ARMED: Armed: userspace-owned domains born now get
 *   pthru's wrapped ops and are tracked.
 * @PTHRU_SHADOW_STATUS_REFUSED: The last arming failed (see the kernel log):
 *   for example this kernel's domain allocators cannot be probed, so domains
 *   cannot be wrapped. pthru does not fall back to probing the map path.
 */
enum pthru_shadow_status {
	PTHRU_SHADOW_STATUS_OFF,
	PTHRU_SHADOW_STATUS_DISARMED,
	PTHRU_SHADOW_STATUS_ARMED,
	PTHRU_SHADOW_STATUS_REFUSED,
};

/**
 * enum pthru_hazard_id - Stable identifier of a kind of finding. The numeric
 *   value is the finding's stable ID (printed as PTHRU-NNN); the name never
 *   changes. Documentation/hazards.rst describes each one.
 * @PTHRU_HAZARD_ID_IOMMU_ABSENT: No IOMMU translates PCI devices.
 * @PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH: The kernel's default domain is
 *   identity (iommu=pt).
 * @PTHRU_HAZARD_ID_NO_GROUP: A PCI function has no IOMMU group although an
 *   IOMMU is present.
 * @PTHRU_HAZARD_ID_IDENTITY_DOMAIN: An identity domain on a function that is
 *   untrusted, external-facing or bound to a passthrough driver.
 * @PTHRU_HAZARD_ID_GROUP_NARROWER: An IOMMU group is narrower than the
 *   isolation the hardware provides.
 * @PTHRU_HAZARD_ID_ACS_MISSING: A port or function on the device's path lets
 *   peer-to-peer requests through without the IOMMU (ACS absent or not
 *   enabled).
 * @PTHRU_HAZARD_ID_ACS_CHANGED: An ACS control register changed since pthru
 *   first saw the function.
 * @PTHRU_HAZARD_ID_DIRECT_REGION: A firmware direct-mapped region (RMRR/IVMD)
 *   that must stay 1:1.
 * @PTHRU_HAZARD_ID_RELAXABLE_REGION: A firmware direct-mapped region that may
 *   be dropped for assignment.
 * @PTHRU_HAZARD_ID_NO_ISOLATED_MSI: MSIs of an IOMMU group are not isolated
 *   (no interrupt remapping).
 * @PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS: vfio_iommu_type1's
 *   allow_unsafe_interrupts is enabled.
 * @PTHRU_HAZARD_ID_GROUP_NOT_VIABLE: An IOMMU group has members bound to host
 *   drivers and members bound to passthrough drivers at once.
 * @PTHRU_HAZARD_ID_ATS_EXPOSED: ATS is enabled on an untrusted,
 *   external-facing or assigned function.
 * @PTHRU_HAZARD_ID_LAZY_INVALIDATION: Lazy (DMA-FQ) IOTLB invalidation on an
 *   untrusted or external-facing function or in a group with an assigned
 *   function.
 * @PTHRU_HAZARD_ID_CMDLINE_WEAKENING: A kernel command-line setting weakens
 *   isolation. pthructl reads /proc/cmdline and raises these itself; the
 *   module never does.
 * @PTHRU_HAZARD_ID_MAP_DISAGREES: The IOMMU translates an IOVA of a
 *   userspace-owned domain to another physical address than pthru's shadow
 *   recorded, translates an IOVA the shadow holds no mapping for, or does not
 *   translate one it holds.
 * @PTHRU_HAZARD_ID_STALE_TRANSLATION: An IOVA of a userspace-owned domain
 *   still translates after a successful unmap of it: the device can still
 *   reach memory that was given back.
 * @PTHRU_HAZARD_ID_IDENTITY_OVER_RAM: A userspace-owned domain maps host RAM
 *   at an IOVA equal to its physical address (a 1:1 window onto host memory).
 * @PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED: A userspace-owned domain maps host
 *   memory that no process owns: reserved memory (the kernel image, firmware),
 *   slab, or free pages.
 * @PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH: A translation continues past an end of
 *   a mapped range: the IOMMU maps a larger page than the range, so the device
 *   reaches beyond the buffer it was given.
 * @PTHRU_HAZARD_ID_SHADOW_INCOMPLETE: pthru's shadow of a userspace-owned
 *   domain may miss mappings, so the mapping findings cannot vouch for that
 *   domain.
 * @PTHRU_HAZARD_ID_ACS_QUIRK: A hop on the function's path isolates by a
 *   device-specific quirk of the kernel (drivers/pci/quirks.c), not by its ACS
 *   registers; the message names the quirk and what it asserts.
 * @PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN: pthru met something it cannot classify (a
 *   PCIe port type it does not know, a loop in the upstream links, an IOMMU
 *   driver it does not know); what depends on it is never judged isolated.
 */
enum pthru_hazard_id {
	PTHRU_HAZARD_ID_IOMMU_ABSENT = 1,
	PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH,
	PTHRU_HAZARD_ID_NO_GROUP,
	PTHRU_HAZARD_ID_IDENTITY_DOMAIN,
	PTHRU_HAZARD_ID_GROUP_NARROWER,
	PTHRU_HAZARD_ID_ACS_MISSING,
	PTHRU_HAZARD_ID_ACS_CHANGED,
	PTHRU_HAZARD_ID_DIRECT_REGION,
	PTHRU_HAZARD_ID_RELAXABLE_REGION,
	PTHRU_HAZARD_ID_NO_ISOLATED_MSI,
	PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS,
	PTHRU_HAZARD_ID_GROUP_NOT_VIABLE,
	PTHRU_HAZARD_ID_ATS_EXPOSED,
	PTHRU_HAZARD_ID_LAZY_INVALIDATION,
	PTHRU_HAZARD_ID_CMDLINE_WEAKENING,
	PTHRU_HAZARD_ID_MAP_DISAGREES,
	PTHRU_HAZARD_ID_STALE_TRANSLATION,
	PTHRU_HAZARD_ID_IDENTITY_OVER_RAM,
	PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED,
	PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH,
	PTHRU_HAZARD_ID_SHADOW_INCOMPLETE,
	PTHRU_HAZARD_ID_ACS_QUIRK,
	PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN,
};

/**
 * enum pthru_policy_mode - What the bind gate does with a decision. off: gated
 *   binds are not evaluated; audit: every gated bind is evaluated and
 *   announced, and allowed whatever the verdict; enforce: a denied bind fails.
 * @PTHRU_POLICY_MODE_OFF: Gated binds are not evaluated.
 * @PTHRU_POLICY_MODE_AUDIT: Gated binds are evaluated and announced, and
 *   always allowed.
 * @PTHRU_POLICY_MODE_ENFORCE: A gated bind the policy denies fails.
 */
enum pthru_policy_mode {
	PTHRU_POLICY_MODE_OFF,
	PTHRU_POLICY_MODE_AUDIT,
	PTHRU_POLICY_MODE_ENFORCE,
};

/**
 * enum pthru_action - What a policy rule, or the policy's default, does.
 * @PTHRU_ACTION_DENY: Refuse the bind.
 * @PTHRU_ACTION_ALLOW: Allow the bind when the device meets the requirements.
 */
enum pthru_action {
	PTHRU_ACTION_DENY,
	PTHRU_ACTION_ALLOW,
};

/**
 * enum pthru_requirement - What an allow needs of the device; each is
 *   established by the isolation audit. A device without an IOMMU group meets
 *   none of them except no-ats.
 * @PTHRU_REQUIREMENT_ACS_ISOLATED: It reaches no other function without the
 *   IOMMU, every hop of its path isolates, and its IOMMU group is not narrower
 *   than its hardware isolation group.
 * @PTHRU_REQUIREMENT_TRANSLATED: Its domain translates (not identity, none or
 *   unknown).
 * @PTHRU_REQUIREMENT_STRICT_INVALIDATION: Its domain does not flush the IOTLB
 *   lazily (not DMA-FQ).
 * @PTHRU_REQUIREMENT_NO_ATS: ATS is not enabled on it.
 * @PTHRU_REQUIREMENT_ISOLATED_MSI: Its IOMMU group isolates MSIs (interrupt
 *   remapping).
 * @PTHRU_REQUIREMENT_NO_DIRECT_REGIONS: Its IOMMU group has no direct-mapped
 *   reserved region.
 * @PTHRU_REQUIREMENT_VIABLE_GROUP: Every other function of its group is
 *   unbound, bound to a passthrough driver, or bound to pcieport.
 */
enum pthru_requirement {
	PTHRU_REQUIREMENT_ACS_ISOLATED = 1,
	PTHRU_REQUIREMENT_TRANSLATED = 2,
	PTHRU_REQUIREMENT_STRICT_INVALIDATION = 4,
	PTHRU_REQUIREMENT_NO_ATS = 8,
	PTHRU_REQUIREMENT_ISOLATED_MSI = 16,
	PTHRU_REQUIREMENT_NO_DIRECT_REGIONS = 32,
	PTHRU_REQUIREMENT_VIABLE_GROUP = 64,
};

/**
 * enum pthru_outcome - What became of a gated bind.
 * @PTHRU_OUTCOME_ALLOWED: The policy allowed it; the driver's probe ran.
 * @PTHRU_OUTCOME_DENIED: The policy denied it in enforce mode; the probe
 *   failed with EPERM and the device was left unbound. A bind through the
 *   driver's bind file fails with EPERM; driver_override + drivers_probe,
 *   new_id and ids= swallow the error, so this event is the only trace.
 * @PTHRU_OUTCOME_AUDITED: The policy would have denied it, but the mode is
 *   audit: the probe ran.
 * @PTHRU_OUTCOME_UNEVALUATED: The mode is off, or pthru could not evaluate
 *   (the device is not in its inventory yet); the probe ran in off mode and
 *   was refused in enforce mode.
 */
enum pthru_outcome {
	PTHRU_OUTCOME_ALLOWED,
	PTHRU_OUTCOME_DENIED,
	PTHRU_OUTCOME_AUDITED,
	PTHRU_OUTCOME_UNEVALUATED,
};

/**
 * enum pthru_map_prot - Permissions of a mapping, as the IOMMU API's IOMMU_*
 *   prot bits.
 * @PTHRU_MAP_PROT_READ: The device may read (IOMMU_READ).
 * @PTHRU_MAP_PROT_WRITE: The device may write (IOMMU_WRITE).
 * @PTHRU_MAP_PROT_CACHE: DMA is cache coherent (IOMMU_CACHE).
 * @PTHRU_MAP_PROT_NOEXEC: Not executable (IOMMU_NOEXEC).
 * @PTHRU_MAP_PROT_MMIO: Maps MMIO, not memory (IOMMU_MMIO).
 * @PTHRU_MAP_PROT_PRIV: Privileged accesses only (IOMMU_PRIV).
 */
enum pthru_map_prot {
	PTHRU_MAP_PROT_READ = 1,
	PTHRU_MAP_PROT_WRITE = 2,
	PTHRU_MAP_PROT_CACHE = 4,
	PTHRU_MAP_PROT_NOEXEC = 8,
	PTHRU_MAP_PROT_MMIO = 16,
	PTHRU_MAP_PROT_PRIV = 32,
};

/**
 * enum pthru_p2p_hop - Where on a device's upstream path peer-to-peer requests
 *   can turn back.
 * @PTHRU_P2P_HOP_FUNCTION: Inside a multifunction device (function loopback).
 * @PTHRU_P2P_HOP_DOWNSTREAM: A switch downstream port (the switch's internal
 *   bus).
 * @PTHRU_P2P_HOP_ROOT: A root port (between root ports of one root complex).
 * @PTHRU_P2P_HOP_PCI_BUS: A conventional PCI bus, which has no ACS at all.
 * @PTHRU_P2P_HOP_UNCLASSIFIED: A hop pthru cannot classify (a PCIe port type
 *   it does not know, a function that is not a bridge above another, upstream
 *   links that loop); it is never judged isolated.
 */
enum pthru_p2p_hop {
	PTHRU_P2P_HOP_FUNCTION,
	PTHRU_P2P_HOP_DOWNSTREAM,
	PTHRU_P2P_HOP_ROOT,
	PTHRU_P2P_HOP_PCI_BUS,
	PTHRU_P2P_HOP_UNCLASSIFIED,
};

/**
 * enum pthru_memory_kind - What kind of host memory a translation reaches.
 * @PTHRU_MEMORY_KIND_NOT_RAM: MMIO or a hole, not host memory.
 * @PTHRU_MEMORY_KIND_USER: Memory a process owns (anonymous, page cache,
 *   hugetlb).
 * @PTHRU_MEMORY_KIND_UNKNOWN: RAM pthru cannot attribute.
 * @PTHRU_MEMORY_KIND_RESERVED: Reserved memory (the kernel image, firmware).
 * @PTHRU_MEMORY_KIND_SLAB: The kernel heap.
 * @PTHRU_MEMORY_KIND_FREE: A free page that nobody holds.
 */
enum pthru_memory_kind {
	PTHRU_MEMORY_KIND_NOT_RAM,
	PTHRU_MEMORY_KIND_USER,
	PTHRU_MEMORY_KIND_UNKNOWN,
	PTHRU_MEMORY_KIND_RESERVED,
	PTHRU_MEMORY_KIND_SLAB,
	PTHRU_MEMORY_KIND_FREE,
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
	PTHRU_A_DEV_ACS_CTRL_BASELINE,
	PTHRU_A_DEV_ISOLATION_GROUP,
	PTHRU_A_DEV_REACH_COUNT,
	PTHRU_A_DEV_P2P_HOP,
	PTHRU_A_DEV_IOMMU_SELF,
	PTHRU_A_DEV_SRIOV_PF,
	PTHRU_A_DEV_SRIOV_VFS,
	PTHRU_A_DEV_SRIOV_ASSUMED,

	__PTHRU_A_DEV_MAX,
	PTHRU_A_DEV_MAX = (__PTHRU_A_DEV_MAX - 1)
};

enum {
	PTHRU_A_RESV_REGION_START = 1,
	PTHRU_A_RESV_REGION_END,
	PTHRU_A_RESV_REGION_TYPE,
	PTHRU_A_RESV_REGION_PAD,

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
	PTHRU_A_FINDING_ID = 1,
	PTHRU_A_FINDING_SEVERITY,
	PTHRU_A_FINDING_ADDR,
	PTHRU_A_FINDING_GROUP_ID,
	PTHRU_A_FINDING_MESSAGE,
	PTHRU_A_FINDING_REMEDIATION,
	PTHRU_A_FINDING_HOP,
	PTHRU_A_FINDING_HOP_KIND,
	PTHRU_A_FINDING_ACS_POS,
	PTHRU_A_FINDING_ACS_CTRL,
	PTHRU_A_FINDING_ACS_CTRL_BASELINE,
	PTHRU_A_FINDING_ACS_NEEDED,
	PTHRU_A_FINDING_REACH_COUNT,
	PTHRU_A_FINDING_PEER,
	PTHRU_A_FINDING_PEER_GROUP_ID,
	PTHRU_A_FINDING_ISOLATION_GROUP,
	PTHRU_A_FINDING_DRIVER,
	PTHRU_A_FINDING_PEER_DRIVER,
	PTHRU_A_FINDING_REGION_TYPE,
	PTHRU_A_FINDING_REGION_START,
	PTHRU_A_FINDING_REGION_END,
	PTHRU_A_FINDING_DOMAIN_ID,
	PTHRU_A_FINDING_IOVA,
	PTHRU_A_FINDING_COUNT,
	PTHRU_A_FINDING_DOMAINS,
	PTHRU_A_FINDING_MEMORY_KIND,
	PTHRU_A_FINDING_PHYS,
	PTHRU_A_FINDING_PHYS_EXPECTED,
	PTHRU_A_FINDING_PAD,

	__PTHRU_A_FINDING_MAX,
	PTHRU_A_FINDING_MAX = (__PTHRU_A_FINDING_MAX - 1)
};

enum {
	PTHRU_A_HAZARD_MIN_SEVERITY = 1,
	PTHRU_A_HAZARD_ADDR,
	PTHRU_A_HAZARD_FINDING,
	PTHRU_A_HAZARD_GENERATION,

	__PTHRU_A_HAZARD_MAX,
	PTHRU_A_HAZARD_MAX = (__PTHRU_A_HAZARD_MAX - 1)
};

enum {
	PTHRU_A_AUDIT_GENERATION = 1,
	PTHRU_A_AUDIT_FINDINGS,
	PTHRU_A_AUDIT_RAISED,
	PTHRU_A_AUDIT_CLEARED,
	PTHRU_A_AUDIT_MAX_SEVERITY,
	PTHRU_A_AUDIT_QUIRK_HOPS,

	__PTHRU_A_AUDIT_MAX,
	PTHRU_A_AUDIT_MAX = (__PTHRU_A_AUDIT_MAX - 1)
};

enum {
	PTHRU_A_RULE_ID = 1,
	PTHRU_A_RULE_LABEL,
	PTHRU_A_RULE_ACTION,
	PTHRU_A_RULE_REQUIREMENTS,
	PTHRU_A_RULE_VENDOR,
	PTHRU_A_RULE_DEVICE,
	PTHRU_A_RULE_SUBSYS_VENDOR,
	PTHRU_A_RULE_SUBSYS_DEVICE,
	PTHRU_A_RULE_CLASS,
	PTHRU_A_RULE_CLASS_MASK,
	PTHRU_A_RULE_ADDR,
	PTHRU_A_RULE_SLOT,
	PTHRU_A_RULE_DSN,
	PTHRU_A_RULE_DRIVER,
	PTHRU_A_RULE_PAD,

	__PTHRU_A_RULE_MAX,
	PTHRU_A_RULE_MAX = (__PTHRU_A_RULE_MAX - 1)
};

enum {
	PTHRU_A_DECISION_ADDR = 1,
	PTHRU_A_DECISION_DRIVER,
	PTHRU_A_DECISION_VERDICT,
	PTHRU_A_DECISION_OUTCOME,
	PTHRU_A_DECISION_MODE,
	PTHRU_A_DECISION_BY_DEFAULT,
	PTHRU_A_DECISION_RULE_ID,
	PTHRU_A_DECISION_RULE_LABEL,
	PTHRU_A_DECISION_UNMET,
	PTHRU_A_DECISION_PID,
	PTHRU_A_DECISION_UID,
	PTHRU_A_DECISION_COMM,
	PTHRU_A_DECISION_POLICY_GENERATION,

	__PTHRU_A_DECISION_MAX,
	PTHRU_A_DECISION_MAX = (__PTHRU_A_DECISION_MAX - 1)
};

enum {
	PTHRU_A_POLICY_MODE = 1,
	PTHRU_A_POLICY_DEFAULT_ACTION,
	PTHRU_A_POLICY_DEFAULT_REQUIREMENTS,
	PTHRU_A_POLICY_LOCKED,
	PTHRU_A_POLICY_GATED_DRIVER,
	PTHRU_A_POLICY_RULE_COUNT,
	PTHRU_A_POLICY_RULE,
	PTHRU_A_POLICY_GENERATION,
	PTHRU_A_POLICY_ALLOWED,
	PTHRU_A_POLICY_DENIED,
	PTHRU_A_POLICY_AUDITED,
	PTHRU_A_POLICY_TEST_ADDR,
	PTHRU_A_POLICY_TEST_DRIVER,
	PTHRU_A_POLICY_DECISION,
	PTHRU_A_POLICY_RULE_ID,
	PTHRU_A_POLICY_PAD,

	__PTHRU_A_POLICY_MAX,
	PTHRU_A_POLICY_MAX = (__PTHRU_A_POLICY_MAX - 1)
};

enum {
	PTHRU_A_MAPPING_GROUP_ID = 1,
	PTHRU_A_MAPPING_DOMAIN_ID,
	PTHRU_A_MAPPING_DOMAIN_TYPE,
	PTHRU_A_MAPPING_IOVA,
	PTHRU_A_MAPPING_PHYS,
	PTHRU_A_MAPPING_SIZE,
	PTHRU_A_MAPPING_PROT,
	PTHRU_A_MAPPING_INCOMPLETE,
	PTHRU_A_MAPPING_PHYS_HIDDEN,
	PTHRU_A_MAPPING_PAD,

	__PTHRU_A_MAPPING_MAX,
	PTHRU_A_MAPPING_MAX = (__PTHRU_A_MAPPING_MAX - 1)
};

enum {
	PTHRU_A_VERIFY_GROUP_ID = 1,
	PTHRU_A_VERIFY_DOMAINS,
	PTHRU_A_VERIFY_RANGES,
	PTHRU_A_VERIFY_TRANSLATIONS,
	PTHRU_A_VERIFY_SKIPPED,
	PTHRU_A_VERIFY_DISAGREEMENTS,
	PTHRU_A_VERIFY_STALE,
	PTHRU_A_VERIFY_IDENTITY,
	PTHRU_A_VERIFY_KERNEL_MEMORY,
	PTHRU_A_VERIFY_OVERREACH,
	PTHRU_A_VERIFY_INCOMPLETE_DOMAINS,
	PTHRU_A_VERIFY_GENERATION,
	PTHRU_A_VERIFY_PAD,

	__PTHRU_A_VERIFY_MAX,
	PTHRU_A_VERIFY_MAX = (__PTHRU_A_VERIFY_MAX - 1)
};

enum {
	PTHRU_A_STATS_DOMAIN_ID = 1,
	PTHRU_A_STATS_ARMED,
	PTHRU_A_STATS_DOMAINS,
	PTHRU_A_STATS_RANGES,
	PTHRU_A_STATS_RANGE_BYTES,
	PTHRU_A_STATS_MAPS,
	PTHRU_A_STATS_UNMAPS,
	PTHRU_A_STATS_LOST,
	PTHRU_A_STATS_INCOMPLETE_DOMAINS,
	PTHRU_A_STATS_FLUSHES,
	PTHRU_A_STATS_WAIT_COUNT,
	PTHRU_A_STATS_WAIT_MAX_NS,
	PTHRU_A_STATS_WAIT_P50_NS,
	PTHRU_A_STATS_WAIT_P99_NS,
	PTHRU_A_STATS_PAD,
	PTHRU_A_STATS_DMA_FLUSHES,
	PTHRU_A_STATS_DMA_WAIT_COUNT,
	PTHRU_A_STATS_DMA_WAIT_MAX_NS,
	PTHRU_A_STATS_DMA_WAIT_P50_NS,
	PTHRU_A_STATS_DMA_WAIT_P99_NS,
	PTHRU_A_STATS_DMA_UNTRACKED,
	PTHRU_A_STATS_STATUS,
	PTHRU_A_STATS_BLIND,
	PTHRU_A_STATS_WRAPPED_DOMAINS,
	PTHRU_A_STATS_UNWRAPPED_DOMAINS,
	PTHRU_A_STATS_MEM_BYTES,
	PTHRU_A_STATS_MEM_MAX_BYTES,
	PTHRU_A_STATS_MEM_REFUSED,
	PTHRU_A_STATS_MEM_FAILED,
	PTHRU_A_STATS_NODES_USED,
	PTHRU_A_STATS_NODES_RESERVED,

	__PTHRU_A_STATS_MAX,
	PTHRU_A_STATS_MAX = (__PTHRU_A_STATS_MAX - 1)
};

enum {
	PTHRU_CMD_STATUS_GET = 1,
	PTHRU_CMD_DEV_GET,
	PTHRU_CMD_GROUP_GET,
	PTHRU_CMD_DEV_ADD_NTF,
	PTHRU_CMD_DEV_DEL_NTF,
	PTHRU_CMD_DEV_BIND_NTF,
	PTHRU_CMD_DEV_UNBIND_NTF,
	PTHRU_CMD_HAZARD_GET,
	PTHRU_CMD_AUDIT,
	PTHRU_CMD_ACS_CHANGE_NTF,
	PTHRU_CMD_HAZARD_RAISE_NTF,
	PTHRU_CMD_HAZARD_CLEAR_NTF,
	PTHRU_CMD_POLICY_GET,
	PTHRU_CMD_POLICY_SET,
	PTHRU_CMD_RULE_GET,
	PTHRU_CMD_POLICY_REPLACE,
	PTHRU_CMD_POLICY_TEST,
	PTHRU_CMD_POLICY_CHANGE_NTF,
	PTHRU_CMD_DECISION_NTF,
	PTHRU_CMD_MAP_GET,
	PTHRU_CMD_STATS_GET,
	PTHRU_CMD_MAP_VERIFY,

	__PTHRU_CMD_MAX,
	PTHRU_CMD_MAX = (__PTHRU_CMD_MAX - 1)
};

#define PTHRU_MCGRP_INVENTORY	"inventory"
#define PTHRU_MCGRP_ALERTS	"alerts"

#endif /* _UAPI_LINUX_PTHRU_H */
