// SPDX-License-Identifier: GPL-2.0
/*
 * Fill a pthru snapshot from the live kernel: every PCI function, its IOMMU
 * group, the group's current domain, reserved regions and MSI isolation,
 * the IOMMU units behind them, each function's ACS baseline and vfio's
 * allow_unsafe_interrupts, and what the verification walks found in the
 * shadowed domains (verify.c).  Also the cheap checks that tell whether a
 * snapshot still holds: the one the ACS poll runs over every function, and
 * the one the bind gate runs over the buses that decide one function's
 * isolation.
 *
 * Locking.  A group's mutex is held by iommu_group_for_each_dev() around
 * every callback and is not recursive, so the callbacks here only read
 * (the current domain, the device's IOMMU unit); everything that takes the
 * mutex itself (reserved regions, MSI isolation) runs between passes.  The
 * mutex is also what keeps those reads safe: domains are replaced and a
 * device's IOMMU data is freed under it.  No device_lock is taken, so this
 * code may run from a netlink handler, debugfs or a work item alike.
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/kstrtox.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#include "acs_baseline.h"
#include "compat.h"
#include "core/names.h"
#include "core/pciaddr.h"
#include "inventory.h"
#include "verify.h"

/* What a pass over the PCI bus collects beside the snapshot itself. */
struct inventory_ctx {
	struct pthru_snapshot *snap;
	/* Record new ACS baselines and forget old ones (published builds). */
	bool record;
	/* groups[i] is the kernel's group of snap->groups[i], referenced. */
	struct iommu_group **groups;
	u32 nr_groups;
	u32 groups_cap;
	/* The distinct IOMMU units seen, compared by address only. */
	const struct iommu_device **units;
	u32 nr_units;
	u32 units_cap;
};

/* What an iommu_group_for_each_dev() pass over one group collects. */
struct member_ctx {
	struct inventory_ctx *inv;	/* NULL: the domain type only */
	bool have_domain;
	enum pthru_domain_type domain_type;
};

/*
 * Pack a function's address.  Domains above 0xffff (Intel VMD numbers its
 * domains from 0x10000) do not fit the DDDD:BB:DD.F form pthru reports.
 */
static bool pdev_addr(struct pci_dev *pdev, u32 *addr)
{
	int domain = pci_domain_nr(pdev->bus);

	if (domain < 0 || domain > 0xffff)
		return false;
	*addr = PTHRU_PCIADDR(domain, pdev->bus->number, pdev->devfn);
	return true;
}

/**
 * pthru_domain_type_of() - what kind of domain @domain is
 * @domain: the domain, or NULL for none
 *
 * Return: its type as the netlink API names it.
 */
enum pthru_domain_type pthru_domain_type_of(const struct iommu_domain *domain)
{
	if (!domain)
		return PTHRU_DOMAIN_TYPE_NONE;
	switch (domain->type) {
	case IOMMU_DOMAIN_BLOCKED:
		return PTHRU_DOMAIN_TYPE_BLOCKED;
	case IOMMU_DOMAIN_IDENTITY:
		return PTHRU_DOMAIN_TYPE_IDENTITY;
	case IOMMU_DOMAIN_UNMANAGED:
		return PTHRU_DOMAIN_TYPE_UNMANAGED;
	case IOMMU_DOMAIN_DMA:
		return PTHRU_DOMAIN_TYPE_DMA;
	case IOMMU_DOMAIN_DMA_FQ:
		return PTHRU_DOMAIN_TYPE_DMA_FQ;
	default:
		return PTHRU_DOMAIN_TYPE_UNKNOWN;
	}
}

static enum pthru_resv_type resv_type_of(enum iommu_resv_type type)
{
	switch (type) {
	case IOMMU_RESV_DIRECT:
		return PTHRU_RESV_TYPE_DIRECT;
	case IOMMU_RESV_DIRECT_RELAXABLE:
		return PTHRU_RESV_TYPE_DIRECT_RELAXABLE;
	case IOMMU_RESV_MSI:
		return PTHRU_RESV_TYPE_MSI;
	case IOMMU_RESV_SW_MSI:
		return PTHRU_RESV_TYPE_SW_MSI;
	case IOMMU_RESV_RESERVED:
	default:
		/* A type this module does not know: at least never map it. */
		return PTHRU_RESV_TYPE_RESERVED;
	}
}

/* A device of the "iommu" class: an IOMMU the kernel registered. */
static int is_iommu_class_dev(struct device *dev, void *unused)
{
	return dev->class && !strcmp(dev->class->name, "iommu");
}

/*
 * A child of a PCI function that is an IOMMU, or (virtio-iommu) whose own
 * child is: AMD-Vi registers its ivhdN below the IOMMU's PCI function,
 * virtio-iommu its virtioN below the virtio device on that function.
 */
static int has_iommu_class_dev(struct device *dev, void *unused)
{
	return is_iommu_class_dev(dev, NULL) ||
	       device_for_each_child(dev, NULL, is_iommu_class_dev);
}

/*
 * Everything about one function that needs no IOMMU group.  @func->addr
 * is set: the ACS baseline is kept by address; with @record, a function
 * seen for the first time gets its baseline recorded.
 */
static void fill_func(struct pci_dev *pdev, struct pthru_dev *func,
		      bool record)
{
	/*
	 * dev->driver turns NULL on unbind; read it once.  The driver it
	 * pointed to outlives the read, which dev_driver_string() relies on
	 * in the same way.
	 */
	struct device_driver *drv = READ_ONCE(pdev->dev.driver);
	struct pci_dev *bridge = pci_upstream_bridge(pdev);

	func->vendor = pdev->vendor;
	func->device = pdev->device;
	func->subsys_vendor = pdev->subsystem_vendor;
	func->subsys_device = pdev->subsystem_device;
	func->class = pdev->class;
	if (drv)
		strscpy(func->driver, drv->name, sizeof(func->driver));
	func->ats_supported = pthru_ats_supported(pdev);
	func->ats_enabled = pdev->ats_enabled;
	func->untrusted = pdev->untrusted;
	func->external_facing = pdev->external_facing;
	func->multifunction = pdev->multifunction;
	func->iommu_self = device_for_each_child(&pdev->dev, NULL,
						 has_iommu_class_dev) != 0;
	if (pdev->acs_cap) {
		func->acs_pos = pdev->acs_cap;
		pci_read_config_word(pdev, pdev->acs_cap + PCI_ACS_CAP,
				     &func->acs_cap);
		pci_read_config_word(pdev, pdev->acs_cap + PCI_ACS_CTRL,
				     &func->acs_ctrl);
		func->acs_ctrl_baseline = record ?
			pthru_acs_baseline_note(func->addr, func->acs_ctrl) :
			pthru_acs_baseline_peek(func->addr, func->acs_ctrl);
		/* Some Intel PCH root ports keep ACS control at +8 (quirks.c). */
		if (pdev->vendor == PCI_VENDOR_ID_INTEL && pci_is_pcie(pdev) &&
		    pci_pcie_type(pdev) == PCI_EXP_TYPE_ROOT_PORT) {
			pci_read_config_dword(pdev, pdev->acs_cap + 8,
					      &func->acs_alt_ctrl);
			func->acs_alt_read = true;
		}
	}
	func->acs_quirk_enabled =
		!!(pdev->dev_flags & PCI_DEV_FLAGS_ACS_ENABLED_QUIRK);
	func->sriov = pdev->is_physfn;
	if (pdev->is_virtfn && pdev_addr(pci_physfn(pdev), &func->pf_addr))
		func->is_vf = true;
	if (bridge && pdev_addr(bridge, &func->upstream_addr))
		func->has_upstream = true;
	if (pci_is_pcie(pdev)) {
		func->is_pcie = true;
		func->pcie_type = pci_pcie_type(pdev);
	}
}

static int grow(void **array, u32 nr, u32 *cap, size_t size)
{
	u32 new_cap = *cap ? 2 * *cap : 8;
	void *bigger;

	if (nr < *cap)
		return 0;
	bigger = krealloc_array(*array, new_cap, size, GFP_KERNEL);
	if (!bigger)
		return -ENOMEM;
	*array = bigger;
	*cap = new_cap;
	return 0;
}

/* Add @group (a reference the caller passes on) unless it is known. */
static int track_group(struct inventory_ctx *ctx, struct iommu_group *group)
{
	u32 known = ctx->snap->nr_groups;
	int err;

	if (!pthru_snapshot_add_group(ctx->snap, iommu_group_id(group),
				      GFP_KERNEL)) {
		iommu_group_put(group);
		return -ENOMEM;
	}
	if (ctx->snap->nr_groups == known) {
		iommu_group_put(group);
		return 0;
	}
	err = grow((void **)&ctx->groups, ctx->nr_groups, &ctx->groups_cap,
		   sizeof(*ctx->groups));
	if (err) {
		iommu_group_put(group);
		return err;
	}
	ctx->groups[ctx->nr_groups++] = group;
	return 0;
}

/* bus_for_each_dev() callback: one PCI function. */
static int collect_func(struct device *dev, void *data)
{
	struct inventory_ctx *ctx = data;
	struct pci_dev *pdev = to_pci_dev(dev);
	struct iommu_group *group;
	struct pthru_dev *func;
	u32 addr;

	if (!pdev_addr(pdev, &addr)) {
		pr_warn_once("%s: PCI domain above ffff, not inventoried\n",
			     pci_name(pdev));
		return 0;
	}
	func = pthru_snapshot_add_dev(ctx->snap, addr, GFP_KERNEL);
	if (!func)
		return -ENOMEM;
	fill_func(pdev, func, ctx->record);

	group = iommu_group_get(dev);
	if (!group)
		return 0;
	func->group_id = iommu_group_id(group);
	return track_group(ctx, group);
}

/* Name the host's IOMMU driver after the first unit seen. */
static void name_iommu_driver(struct pthru_snapshot *snap,
			      const struct iommu_device *unit)
{
	const struct device *unit_dev = unit->dev;
	const struct device_driver *drv = NULL;

	if (unit_dev && unit_dev->parent)
		drv = READ_ONCE(unit_dev->parent->driver);
	pthru_iommu_driver_name(snap->iommu_driver, sizeof(snap->iommu_driver),
				unit_dev ? dev_name(unit_dev) : NULL,
				drv ? drv->name : NULL);
}

static int note_unit(struct inventory_ctx *ctx, const struct iommu_device *unit)
{
	u32 i;
	int err;

	for (i = 0; i < ctx->nr_units; i++)
		if (ctx->units[i] == unit)
			return 0;
	err = grow((void **)&ctx->units, ctx->nr_units, &ctx->units_cap,
		   sizeof(*ctx->units));
	if (err)
		return err;
	if (!ctx->nr_units)
		name_iommu_driver(ctx->snap, unit);
	ctx->units[ctx->nr_units++] = unit;
	return 0;
}

/*
 * iommu_group_for_each_dev() callback, group mutex held: the group's
 * current domain (the same for every member) and each member's IOMMU unit.
 * The unit stays registered while a member still points at it, since
 * unregistering a unit first releases its devices under this mutex.
 */
static int inspect_member(struct device *dev, void *data)
{
	struct member_ctx *mc = data;

	if (!mc->have_domain) {
		mc->domain_type = pthru_domain_type_of(iommu_get_domain_for_dev(dev));
		mc->have_domain = true;
	}
	if (mc->inv && dev->iommu && dev->iommu->iommu_dev)
		return note_unit(mc->inv, dev->iommu->iommu_dev);
	return 0;
}

static int read_resv_regions(struct iommu_group *group,
			     struct pthru_group *pgroup)
{
	struct iommu_resv_region *region, *next;
	LIST_HEAD(regions);
	int err;

	/* The list holds copies that belong to the caller, even on error. */
	err = iommu_get_group_resv_regions(group, &regions);
	list_for_each_entry_safe(region, next, &regions, list) {
		if (!err && region->length)
			err = pthru_group_add_resv(pgroup, region->start,
						   region->start + region->length - 1,
						   resv_type_of(region->type),
						   GFP_KERNEL);
		list_del(&region->list);
		kfree(region);
	}
	return err;
}

static int inspect_group(struct inventory_ctx *ctx, struct iommu_group *group,
			 struct pthru_group *pgroup)
{
	struct member_ctx mc = { .inv = ctx };
	int err;

	err = iommu_group_for_each_dev(group, &mc, inspect_member);
	if (err)
		return err;
	pgroup->domain_type = mc.domain_type;

	err = read_resv_regions(group, pgroup);
	if (err)
		return err;

	pgroup->isolated_msi = pthru_group_isolated_msi(group) ?
			       PTHRU_TRISTATE_YES : PTHRU_TRISTATE_NO;
	return 0;
}

/* vfio_iommu_type1's switch that lets VFIO work without MSI isolation. */
#define UNSAFE_INTERRUPTS_PARAM \
	"/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"

struct param_read {
	struct work_struct work;
	enum pthru_tristate value;
};

static void read_unsafe_interrupts_work(struct work_struct *work)
{
	struct param_read *rd = container_of(work, struct param_read, work);
	char buf[8] = "";
	struct file *file;
	loff_t pos = 0;
	ssize_t len;
	bool value;

	rd->value = PTHRU_TRISTATE_UNKNOWN;
	file = filp_open(UNSAFE_INTERRUPTS_PARAM, O_RDONLY, 0);
	if (IS_ERR(file)) {
		/* Not loaded: nobody uses VFIO type1, the value is unknown. */
		if (PTR_ERR(file) != -ENOENT)
			pr_warn_ratelimited("cannot open %s: %pe\n",
					    UNSAFE_INTERRUPTS_PARAM, file);
		return;
	}
	len = kernel_read(file, buf, sizeof(buf) - 1, &pos);
	filp_close(file, NULL);
	if (len < 0)
		pr_warn_ratelimited("cannot read %s: %pe\n",
				    UNSAFE_INTERRUPTS_PARAM, ERR_PTR(len));
	else if (kstrtobool(buf, &value))
		pr_warn_ratelimited("%s holds \"%s\", not a boolean\n",
				    UNSAFE_INTERRUPTS_PARAM, strim(buf));
	else
		rd->value = value ? PTHRU_TRISTATE_YES : PTHRU_TRISTATE_NO;
}

/* The last reading of the parameter; snapshots copy it. */
static atomic_t unsafe_interrupts = ATOMIC_INIT(PTHRU_TRISTATE_UNKNOWN);

/**
 * pthru_inventory_read_params() - read vfio_iommu_type1's parameter again
 *
 * The parameter is static in vfio_iommu_type1 and writable at run time, so
 * its sysfs file is the one way to read it.  The read runs in a kworker:
 * with the root directory and credentials of the kernel, the answer does
 * not depend on the mount namespace, chroot or security label of whoever
 * sent the request that triggered this build.
 *
 * Reading a sysfs file takes its seq_file's lock, so the caller must hold
 * no lock that is ever taken under a seq_file's: not the store's
 * rebuild_lock (a debugfs read takes it), not a device lock (sysfs shows
 * such as driver_override take it), not a seq_file's own.  Lockdep knows
 * every seq_file's lock as one class and would see a cycle.  Sleeps.
 */
void pthru_inventory_read_params(void)
{
	struct param_read rd;

	INIT_WORK_ONSTACK(&rd.work, read_unsafe_interrupts_work);
	queue_work(system_unbound_wq, &rd.work);
	flush_work(&rd.work);
	destroy_work_on_stack(&rd.work);
	atomic_set(&unsafe_interrupts, rd.value);
}

/*
 * The running kernel's version, as KERNEL_VERSION() packs it, from its
 * release string ("6.12.118+deb12-amd64"): the same reading a snapshot
 * taken from userspace makes of uname -r.  0 when it does not parse.
 */
static u32 running_kernel_version(void)
{
	unsigned int major, minor, patch = 0;

	if (sscanf(utsname()->release, "%u.%u.%u", &major, &minor, &patch) < 2)
		return 0;
	return KERNEL_VERSION(major, minor, min(patch, 255u));
}

/* AMD southbridge ACS quirks apply only where the firmware has IVRS. */
static bool acpi_ivrs_present(void)
{
#ifdef CONFIG_ACPI
	struct acpi_table_header *header;

	if (ACPI_FAILURE(acpi_get_table("IVRS", 0, &header)))
		return false;
	acpi_put_table(header);
	return true;
#else
	return false;
#endif
}

static struct pthru_snapshot *inventory_build(bool record)
{
	struct inventory_ctx ctx = { .record = record };
	struct pthru_snapshot *snap;
	int err;
	u32 i;

	snap = pthru_snapshot_alloc(GFP_KERNEL);
	if (!snap)
		return ERR_PTR(-ENOMEM);
	ctx.snap = snap;

	err = bus_for_each_dev(&pci_bus_type, NULL, &ctx, collect_func);
	for (i = 0; !err && i < ctx.nr_groups; i++)
		err = inspect_group(&ctx, ctx.groups[i], &snap->groups[i]);
	if (!err) {
		snap->iommu_units = ctx.nr_units;
		if (ctx.nr_groups && !ctx.nr_units)
			strscpy(snap->iommu_driver, "unknown",
				sizeof(snap->iommu_driver));
		snap->kernel_version = running_kernel_version();
		snap->acpi_ivrs = acpi_ivrs_present();
		snap->default_passthrough = iommu_default_passthrough();
		snap->unsafe_interrupts = atomic_read(&unsafe_interrupts);
		err = pthru_verify_fill(snap, GFP_KERNEL);
	}
	if (!err)
		err = pthru_snapshot_finalize(snap, GFP_KERNEL);
	if (!err && record)
		pthru_acs_baseline_prune(snap);

	for (i = 0; i < ctx.nr_groups; i++)
		iommu_group_put(ctx.groups[i]);
	kfree(ctx.groups);
	kfree(ctx.units);
	if (err) {
		pthru_snapshot_put(snap);
		return ERR_PTR(err);
	}
	return snap;
}

/**
 * pthru_inventory_build() - take a snapshot of the host
 *
 * Sleeps.  The snapshot's generation is left at 0 for the caller to set.
 * Records the ACS baseline of functions seen for the first time and
 * forgets those of functions that are gone, so builds must not run
 * concurrently (the store serialises them).
 *
 * Return: a finalized snapshot holding one reference, or an ERR_PTR.
 */
struct pthru_snapshot *pthru_inventory_build(void)
{
	return inventory_build(true);
}

/**
 * pthru_inventory_build_private() - a snapshot that is never published
 *
 * The same reading of the host as pthru_inventory_build(), for a caller
 * that decides by it alone (the bind gate).  It records no ACS baseline
 * and forgets none, which is what keeps builds apart, so it may run
 * beside the store's rebuilds and other private builds without waiting
 * for them; it takes only the locks each reading takes (the group
 * mutexes, the verification notes' mutex) for as long as that reading.
 * Sleeps.  The generation is left at 0.
 *
 * Return: a finalized snapshot holding one reference, or an ERR_PTR.
 */
struct pthru_snapshot *pthru_inventory_build_private(void)
{
	return inventory_build(false);
}

/**
 * pthru_inventory_capture() - record one function as it is now
 * @pdev: the function
 * @func: where to store it
 *
 * For events: the record outlives the device and its driver binding.
 * Takes the group's mutex, so the caller must not hold it; device_lock may
 * be held (it orders before the group mutex).  Sleeps.
 *
 * Return: false when the function's address cannot be represented.
 */
bool pthru_inventory_capture(struct pci_dev *pdev, struct pthru_dev *func)
{
	struct member_ctx mc = {};
	struct iommu_group *group;
	u32 addr;

	if (!pdev_addr(pdev, &addr))
		return false;
	pthru_dev_init(func, addr);
	fill_func(pdev, func, true);

	group = iommu_group_get(&pdev->dev);
	if (group) {
		func->group_id = iommu_group_id(group);
		iommu_group_for_each_dev(group, &mc, inspect_member);
		func->domain_type = mc.domain_type;
		iommu_group_put(group);
	}
	return true;
}

/* The Intel PCH alternate ACS control (fill_func()) no longer as recorded? */
static bool acs_alt_differs(struct pci_dev *pdev, const struct pthru_dev *func)
{
	u32 alt;

	if (!func->acs_alt_read)
		return false;
	if (pci_read_config_dword(pdev, pdev->acs_cap + 8, &alt) ||
	    PCI_POSSIBLE_ERROR(alt))
		return false;
	return alt != func->acs_alt_ctrl;
}

/* bus_for_each_dev() callback: does this function's ACS control differ? */
static int acs_ctrl_differs(struct device *dev, void *data)
{
	const struct pthru_snapshot *snap = data;
	struct pci_dev *pdev = to_pci_dev(dev);
	const struct pthru_dev *func;
	u16 ctrl;
	u32 addr;

	if (!pdev->acs_cap || !pdev_addr(pdev, &addr))
		return 0;
	func = pthru_snapshot_find_dev(snap, addr);
	/* A new function is the bus notifier's business. */
	if (!func || !func->acs_pos)
		return 0;
	if (pci_read_config_word(pdev, pdev->acs_cap + PCI_ACS_CTRL, &ctrl) ||
	    PCI_POSSIBLE_ERROR(ctrl))
		return 0;	/* not answering now (removal, D3cold) */
	return ctrl != func->acs_ctrl || acs_alt_differs(pdev, func);
}

/**
 * pthru_inventory_acs_changed() - has an ACS control register changed?
 * @snap: the snapshot to compare with
 *
 * Reads only the ACS control register of each function that has an ACS
 * capability, so it is cheap enough to poll.  Sleeps.
 *
 * Return: true when a function's register differs from its value in @snap.
 */
bool pthru_inventory_acs_changed(const struct pthru_snapshot *snap)
{
	return bus_for_each_dev(&pci_bus_type, NULL, (void *)snap,
				acs_ctrl_differs) > 0;
}

/* The key of a bus in struct pthru_path_buses: a packed address >> 8. */
static bool bus_key(struct pci_bus *bus, u32 *key)
{
	int domain = pci_domain_nr(bus);

	if (domain < 0 || domain > 0xffff)
		return false;
	*key = PTHRU_PCIADDR(domain, bus->number, 0) >> 8;
	return true;
}

static void path_buses_note(struct pthru_path_buses *pb,
			    struct pci_bus *bus)
{
	u32 key, i;

	if (!bus_key(bus, &key)) {
		pb->overflow = true;	/* never inventoried: cannot compare */
		return;
	}
	for (i = 0; i < pb->nr; i++)
		if (pb->key[i] == key)
			return;
	if (pb->nr == ARRAY_SIZE(pb->key)) {
		pb->overflow = true;
		return;
	}
	pb->key[pb->nr++] = key;
}

static bool path_buses_has(const struct pthru_path_buses *pb, u32 key)
{
	u32 i;

	for (i = 0; i < pb->nr; i++)
		if (pb->key[i] == key)
			return true;
	return false;
}

/**
 * pthru_path_buses_add() - note the buses that decide @pdev's isolation
 * @pb: the set to add to (zeroed before the first call)
 * @pdev: the function
 *
 * The bus of @pdev and the bus of every bridge on its way to the root
 * bus, as pthru's path walk goes (pci_upstream_bridge(): a virtual
 * function's path is its physical function's, whose bus is noted too).
 * On those buses sit every hop of the path and every function that can
 * route into it: the other functions of @pdev's device, the other
 * downstream ports of each switch, the other root ports (core/reach.c).
 * Only follows pointers: may be called under a group mutex.
 */
void pthru_path_buses_add(struct pthru_path_buses *pb, struct pci_dev *pdev)
{
	struct pci_dev *cur;

	for (cur = pdev; cur; cur = pci_upstream_bridge(cur)) {
		path_buses_note(pb, cur->bus);
		path_buses_note(pb, pci_physfn(cur)->bus);
	}
}

struct path_check {
	const struct pthru_snapshot *snap;
	const struct pthru_path_buses *pb;
	u32 seen;
};

/*
 * bus_for_each_dev() callback: does a function on one of the buses differ
 * from its record (absent, another ACS capability, another ACS control)?
 */
static int path_func_differs(struct device *dev, void *data)
{
	struct path_check *pc = data;
	struct pci_dev *pdev = to_pci_dev(dev);
	const struct pthru_dev *func;
	u16 ctrl;
	u32 addr;

	if (!pdev_addr(pdev, &addr) || !path_buses_has(pc->pb, addr >> 8))
		return 0;
	func = pthru_snapshot_find_dev(pc->snap, addr);
	if (!func)
		return 1;	/* appeared since */
	pc->seen++;
	if (func->acs_pos != pdev->acs_cap)
		return 1;
	if (!pdev->acs_cap)
		return 0;
	if (pci_read_config_word(pdev, pdev->acs_cap + PCI_ACS_CTRL, &ctrl))
		return 1;
	return ctrl != func->acs_ctrl || acs_alt_differs(pdev, func);
}

/**
 * pthru_inventory_paths_current() - do the buses still look as recorded?
 * @snap: a finalized snapshot
 * @pb: the buses (pthru_path_buses_add())
 *
 * Reads the ACS control register of every function with an ACS
 * capability on those buses (a handful of config reads) and compares it
 * with @snap, and checks that the functions there are the ones @snap has.
 * Sleeps (config access may).
 *
 * Return: true when every function and register is as @snap has it.
 */
bool pthru_inventory_paths_current(const struct pthru_snapshot *snap,
				   const struct pthru_path_buses *pb)
{
	struct path_check pc = { .snap = snap, .pb = pb };
	u32 i, recorded = 0;

	if (pb->overflow)
		return false;
	if (bus_for_each_dev(&pci_bus_type, NULL, &pc, path_func_differs))
		return false;
	for (i = 0; i < snap->nr_devs; i++)
		if (path_buses_has(pb, snap->devs[i].addr >> 8))
			recorded++;
	return recorded == pc.seen;	/* and none is gone */
}
