/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pthru snapshot: one self-contained description of the host's PCI
 * functions and IOMMU groups, taken at one moment.
 *
 * The kernel glue fills a snapshot from the live kernel; everything that
 * decides something (reporting, and later peer reachability, hazard rules
 * and policy) reads only the snapshot.  So this file knows nothing about
 * struct pci_dev or struct iommu_group: it works on plain values that a
 * KUnit test can write by hand.
 *
 * Life cycle: pthru_snapshot_alloc(), then add functions and groups, then
 * pthru_snapshot_finalize() sorts and links them.  After that the snapshot
 * is read-only and shared through its reference count, so that a reader
 * (a netlink message, a debugfs file) can keep using one snapshot while a
 * newer one replaces it.
 */
#ifndef _PTHRU_CORE_SNAPSHOT_H
#define _PTHRU_CORE_SNAPSHOT_H

#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/types.h>
#include <uapi/linux/pthru.h>

#include "mapcheck.h"

#define PTHRU_DRIVER_NAME_LEN	32
#define PTHRU_SLOT_NAME_LEN	32	/* as PTHRU_POLICY_SLOT_LEN */
#define PTHRU_IOMMU_DRIVER_LEN	32

/* No IOMMU group (group_id), or no such entry (index fields). */
#define PTHRU_NO_GROUP		(-1)
#define PTHRU_NO_INDEX		(-1)

/*
 * Facts a snapshot built without the module (pthructl's sysfs source)
 * cannot establish.  No rule reads these bits: pthructl evaluates such a
 * snapshot twice, with the placeholders at their safest and at their worst,
 * and reports what differs as not established.
 */
enum pthru_dev_unknown {
	PTHRU_DEV_UNKNOWN_UNTRUSTED = BIT(0),	/* @untrusted */
	PTHRU_DEV_UNKNOWN_EXTERNAL = BIT(1),	/* @external_facing */
	PTHRU_DEV_UNKNOWN_CONFIG = BIT(2),	/* capabilities: PCIe, ACS, ATS */
	PTHRU_DEV_UNKNOWN_ACS_BASELINE = BIT(3), /* @acs_ctrl_baseline */
	PTHRU_DEV_UNKNOWN_ACS_QUIRK = BIT(4),	/* @acs_quirk_enabled */
	PTHRU_DEV_UNKNOWN_DSN = BIT(5),		/* @has_dsn, @dsn */
};

enum pthru_snapshot_unknown {
	PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN = BIT(0), /* @default_passthrough */
	PTHRU_SNAP_UNKNOWN_MAPPINGS = BIT(1),	/* @map_notes: no shadow */
};

/**
 * struct pthru_dev - one PCI function
 * @addr: domain << 16 | bus << 8 | devfn (see pciaddr.h)
 * @vendor: vendor ID
 * @device: device ID
 * @subsys_vendor: subsystem vendor ID
 * @subsys_device: subsystem device ID
 * @class: 24-bit class code (base class, subclass, programming interface)
 * @driver: name of the bound driver, empty when unbound
 * @group_id: IOMMU group number, or PTHRU_NO_GROUP
 * @domain_type: type of the domain the function is attached to now; the
 *	domain belongs to the group, so finalize copies it from the group
 * @ats_supported: the function has an ATS capability
 * @ats_enabled: ATS is enabled
 * @untrusted: the kernel treats the function as untrusted (external)
 * @external_facing: the function is an external-facing port
 * @multifunction: the function belongs to a multifunction device
 * @iommu_self: the function is an IOMMU: the kernel registered an IOMMU
 *	(a device of the "iommu" class, as AMD-Vi's ivhdN) on it
 * @acs_pos: config-space offset of the ACS capability, 0 when there is none
 * @acs_cap: ACS capability register (valid when @acs_pos is not 0)
 * @acs_ctrl: ACS control register (valid when @acs_pos is not 0)
 * @acs_ctrl_baseline: @acs_ctrl as pthru first read it, at load or when
 *	the function appeared (valid when @acs_pos is not 0)
 * @has_upstream: the function sits below a bridge (not on a root bus)
 * @upstream_addr: address of that bridge (valid when @has_upstream)
 * @is_pcie: the function has a PCI Express capability
 * @pcie_type: its Device/Port Type (valid when @is_pcie)
 * @sriov: the function has an SR-IOV capability (a physical function)
 * @sriov_vfs: set by finalize: number of its virtual functions in the
 *	snapshot (valid when @sriov)
 * @is_vf: the function is an SR-IOV virtual function
 * @pf_addr: address of its physical function (valid when @is_vf)
 * @acs_alt_ctrl: the dword at @acs_pos + 8, where some Intel PCH root
 *	ports keep their ACS control (valid when @acs_alt_read)
 * @acs_alt_read: @acs_alt_ctrl was read (Intel root ports with an ACS
 *	capability)
 * @acs_quirk_enabled: the kernel enabled ACS on the function through a
 *	device-specific quirk (PCI_DEV_FLAGS_ACS_ENABLED_QUIRK)
 * @pf_idx: set by finalize: index of the physical function of a virtual
 *	function in the snapshot's @devs, or PTHRU_NO_INDEX
 * @upstream_idx: set by finalize: index of the upstream bridge in the
 *	snapshot's @devs, or PTHRU_NO_INDEX
 * @group_idx: set by finalize: index of the group in the snapshot's
 *	@groups, or PTHRU_NO_INDEX
 * @slot: physical slot name ("" for none) and
 * @has_dsn: Device Serial Number capability, and
 * @dsn: the serial number, which policy rules can match: pthructl's
 *	sources fill them; the module reads them from the pci_dev when it
 *	decides, and leaves these empty
 * @unknown: PTHRU_DEV_UNKNOWN_* bits, facts the snapshot's source could not
 *	establish; the fields they cover hold a placeholder.  The module's
 *	snapshots know every fact: only pthructl's sysfs source sets them.
 */
struct pthru_dev {
	u32 addr;
	u16 vendor;
	u16 device;
	u16 subsys_vendor;
	u16 subsys_device;
	u32 class;
	char driver[PTHRU_DRIVER_NAME_LEN];
	s32 group_id;
	enum pthru_domain_type domain_type;
	bool ats_supported;
	bool ats_enabled;
	bool untrusted;
	bool external_facing;
	bool multifunction;
	bool iommu_self;
	u16 acs_pos;
	u16 acs_cap;
	u16 acs_ctrl;
	u16 acs_ctrl_baseline;
	bool has_upstream;
	u32 upstream_addr;
	bool is_pcie;
	u8 pcie_type;
	bool sriov;
	u16 sriov_vfs;
	bool is_vf;
	u32 pf_addr;
	u32 acs_alt_ctrl;
	bool acs_alt_read;
	bool acs_quirk_enabled;
	s32 pf_idx;
	s32 upstream_idx;
	s32 group_idx;
	char slot[PTHRU_SLOT_NAME_LEN];
	bool has_dsn;
	u64 dsn;
	u8 unknown;
};

/**
 * struct pthru_resv_region - one reserved region of an IOMMU group
 * @start: first byte (IOVA)
 * @end: last byte, inclusive
 * @type: what the IOMMU driver reserves it for
 */
struct pthru_resv_region {
	u64 start;
	u64 end;
	enum pthru_resv_type type;
};

/**
 * struct pthru_group - one IOMMU group
 * @id: IOMMU group number
 * @domain_type: type of the group's current domain
 * @isolated_msi: whether MSIs from the group's functions are isolated
 * @resv: reserved regions, sorted by start address after finalize
 * @nr_resv: number of entries in @resv
 * @resv_cap: allocated entries in @resv
 * @members: set by finalize: indices into the snapshot's @devs of the
 *	group's PCI functions, in address order
 * @nr_members: number of entries in @members
 */
struct pthru_group {
	s32 id;
	enum pthru_domain_type domain_type;
	enum pthru_tristate isolated_msi;
	struct pthru_resv_region *resv;
	u32 nr_resv;
	u32 resv_cap;
	u32 *members;
	u32 nr_members;
};

/**
 * struct pthru_snapshot - the host at one moment
 * @ref: reference count; the last pthru_snapshot_put() frees
 * @generation: inventory generation this snapshot represents
 * @iommu_present: set by finalize: at least one function has a group
 * @iommu_driver: "intel-vtd", "amd-vi", another driver's name, or "none"
 * @iommu_units: number of distinct IOMMU units behind PCI functions
 * @kernel_version: LINUX_VERSION_CODE of the host kernel, which decides
 *	the device-specific ACS quirks that kernel applies (acs_quirks.h)
 * @acpi_ivrs: the firmware has an ACPI IVRS table (AMD-Vi), which some
 *	AMD quirks require
 * @default_passthrough: the kernel's default domain type is identity
 * @unsafe_interrupts: vfio_iommu_type1's allow_unsafe_interrupts, or
 *	UNKNOWN when that module is not loaded
 * @intr_remap: set by finalize: YES when every group has isolated MSI,
 *	NO when one has not, UNKNOWN without groups or when a group is unknown
 * @devs: PCI functions, sorted by address after finalize
 * @nr_devs: number of entries in @devs
 * @devs_cap: allocated entries in @devs
 * @groups: IOMMU groups, sorted by id after finalize
 * @nr_groups: number of entries in @groups
 * @groups_cap: allocated entries in @groups
 * @member_idx: set by finalize: storage behind every group's @members
 * @map_notes: what the last verification walk found in the shadowed
 *	domains, at most one note per (kind, domain); sorted by kind, group
 *	and domain after finalize
 * @unknown: PTHRU_SNAP_UNKNOWN_* bits, as struct pthru_dev's @unknown
 * @finalized: finalize succeeded; lookups and links are valid
 */
struct pthru_snapshot {
	struct kref ref;
	u32 generation;
	bool iommu_present;
	char iommu_driver[PTHRU_IOMMU_DRIVER_LEN];
	u32 iommu_units;
	u32 kernel_version;
	bool acpi_ivrs;
	bool default_passthrough;
	enum pthru_tristate unsafe_interrupts;
	enum pthru_tristate intr_remap;
	struct pthru_dev *devs;
	u32 nr_devs;
	u32 devs_cap;
	struct pthru_group *groups;
	u32 nr_groups;
	u32 groups_cap;
	u32 *member_idx;
	struct pthru_map_notes map_notes;
	u32 unknown;
	bool finalized;
};

struct pthru_snapshot *pthru_snapshot_alloc(gfp_t gfp);
void pthru_snapshot_get(struct pthru_snapshot *snap);
void pthru_snapshot_put(struct pthru_snapshot *snap);

void pthru_dev_init(struct pthru_dev *dev, u32 addr);
struct pthru_dev *pthru_snapshot_add_dev(struct pthru_snapshot *snap, u32 addr,
					 gfp_t gfp);
struct pthru_group *pthru_snapshot_add_group(struct pthru_snapshot *snap,
					     s32 id, gfp_t gfp);
int pthru_group_add_resv(struct pthru_group *group, u64 start, u64 end,
			 enum pthru_resv_type type, gfp_t gfp);
int pthru_snapshot_add_map_note(struct pthru_snapshot *snap,
				const struct pthru_map_note *n, gfp_t gfp);
int pthru_snapshot_finalize(struct pthru_snapshot *snap, gfp_t gfp);

struct pthru_dev *pthru_snapshot_find_dev(const struct pthru_snapshot *snap,
					  u32 addr);
struct pthru_group *pthru_snapshot_find_group(const struct pthru_snapshot *snap,
					      s32 id);
bool pthru_snapshot_same_host(const struct pthru_snapshot *a,
			      const struct pthru_snapshot *b);

#endif /* _PTHRU_CORE_SNAPSHOT_H */
