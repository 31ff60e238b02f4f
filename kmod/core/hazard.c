// SPDX-License-Identifier: GPL-2.0
/*
 * The hazard engine.  Each rule reads the snapshot and its reachability
 * and adds findings; the set is then sorted by key so that the glue can
 * tell, in one pass, which findings appeared and which went away.
 * Documentation/hazards.rst describes every finding.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "hazard.h"
#include "names.h"
#include "pciaddr.h"

struct hazard_info {
	const char *name;
	const char *remediation;
};

static const struct hazard_info hazards[] = {
	[PTHRU_HAZARD_ID_IOMMU_ABSENT] = { "iommu-absent",
		"enable VT-d/AMD-Vi in the firmware and boot with intel_iommu=on or amd_iommu=on; do not assign devices until an IOMMU translates them" },
	[PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH] = { "default-passthrough",
		"remove iommu=pt / iommu.passthrough=1 from the kernel command line so host devices get translated DMA domains" },
	[PTHRU_HAZARD_ID_NO_GROUP] = { "no-group",
		"check dmesg for DMAR/IVRS/VIOT errors about this device (under a virtio-iommu a function gets its group when a driver first probes it); a device outside every IOMMU group is not translated and must not be trusted" },
	[PTHRU_HAZARD_ID_IDENTITY_DOMAIN] = { "identity-domain",
		"give the device a translated domain: echo DMA > /sys/kernel/iommu_groups/N/type (device unbound) or drop iommu=pt" },
	[PTHRU_HAZARD_ID_GROUP_NARROWER] = { "group-narrower",
		"assign only whole isolation groups (pthructl dev shows isolation_group), move the card behind an ACS-capable port, and drop any ACS override" },
	[PTHRU_HAZARD_ID_ACS_MISSING] = { "acs-missing",
		"move the device to a slot behind ports with ACS (SV RR CR UF) enabled, or assign every device the hop can reach to the same guest" },
	[PTHRU_HAZARD_ID_ACS_CHANGED] = { "acs-changed",
		"find who rewrote ACS (setpci, pci=config_acs=), restore the control register and reboot so the kernel regroups devices" },
	[PTHRU_HAZARD_ID_DIRECT_REGION] = { "direct-region",
		"do not assign this group: firmware requires a 1:1 mapping (RMRR/IVMD); update the firmware or pick another device" },
	[PTHRU_HAZARD_ID_RELAXABLE_REGION] = { "relaxable-region",
		"the 1:1 region is dropped on assignment; make sure the device works without it (USB legacy or graphics firmware use)" },
	[PTHRU_HAZARD_ID_NO_ISOLATED_MSI] = { "no-isolated-msi",
		"enable interrupt remapping (firmware x2APIC/IR, intremap=on) so a device cannot forge interrupts; an x86 virtio-iommu has none: assign devices only to guests you trust with interrupts" },
	[PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS] = { "unsafe-interrupts",
		"set vfio_iommu_type1 allow_unsafe_interrupts=0 and enable interrupt remapping instead" },
	[PTHRU_HAZARD_ID_GROUP_NOT_VIABLE] = { "group-not-viable",
		"bind every member of the group to vfio-pci (or unbind it) before assigning any of them" },
	[PTHRU_HAZARD_ID_ATS_EXPOSED] = { "ats-exposed",
		"boot with pci=noats, or do not give this device to an untrusted owner: ATS lets it cache and send translated addresses" },
	[PTHRU_HAZARD_ID_LAZY_INVALIDATION] = { "lazy-invalidation",
		"boot with iommu.strict=1 (or echo DMA > /sys/kernel/iommu_groups/N/type) so unmapped pages are flushed before reuse" },
	[PTHRU_HAZARD_ID_CMDLINE_WEAKENING] = { "cmdline-weakening",
		"remove the parameter from the kernel command line and reboot" },
	[PTHRU_HAZARD_ID_MAP_DISAGREES] = { "map-disagrees",
		"stop the owner of the group (lsof /dev/vfio/N) and unbind the device; report the kernel and IOMMU driver versions with pthructl -j map show and map verify" },
	[PTHRU_HAZARD_ID_STALE_TRANSLATION] = { "stale-translation",
		"stop the owner of the group and unbind the device; a translation that outlives its unmap is a kernel or IOMMU-driver bug: report it" },
	[PTHRU_HAZARD_ID_IDENTITY_OVER_RAM] = { "identity-over-ram",
		"stop the process that owns the group: nothing legitimate maps host RAM at its own physical address; assign the device only to a VMM you trust" },
	[PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED] = { "kernel-memory-mapped",
		"stop the owner of the group and unbind the device now: it can read or write host memory that belongs to the kernel" },
	[PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH] = { "superpage-overreach",
		"boot with intel_iommu=sp_off (no superpages) and report the bug; stop the owner of the group until then" },
	[PTHRU_HAZARD_ID_SHADOW_INCOMPLETE] = { "shadow-incomplete",
		"load pthru before any device is bound to vfio-pci, or raise shadow_mem_max_mb / shadow_domains, then restart the owner of the group" },
	[PTHRU_HAZARD_ID_ACS_QUIRK] = { "acs-quirk",
		"nothing to do if you trust the vendor's statement the kernel carries; to depend on registers instead, use a slot behind ports with ACS (SV RR CR UF) enabled" },
	[PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN] = { "topology-unknown",
		"report the host (pthructl -j dev, lspci -vvv) to the pthru developers; until then treat the functions named as not isolated" },
};

static const char * const severity_names[] = {
	[PTHRU_SEVERITY_INFO] = "info",
	[PTHRU_SEVERITY_LOW] = "low",
	[PTHRU_SEVERITY_MEDIUM] = "medium",
	[PTHRU_SEVERITY_HIGH] = "high",
	[PTHRU_SEVERITY_CRITICAL] = "critical",
};

/* Drivers that hand a device's DMA to userspace or a guest. */
static const char * const passthrough_drivers[] = {
	"vfio-pci", "pci-stub", "uio_pci_generic",
};

/*
 * VFIO variant drivers register under their module names, which end in
 * "_vfio_pci" (mlx5_vfio_pci, hisi_acc_vfio_pci, ...); "-vfio-pci" is
 * how they are written in documentation and modprobe.
 */
static const char * const vfio_variant_suffixes[] = {
	"_vfio_pci", "-vfio-pci",
};

static bool ends_with(const char *str, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && !strcmp(str + len - n, suffix);
}

/**
 * pthru_hazard_name() - stable name of a finding kind
 * @id: the kind
 *
 * Return: the name as in the netlink spec, "unknown" when out of range.
 */
const char *pthru_hazard_name(enum pthru_hazard_id id)
{
	if ((unsigned int)id >= ARRAY_SIZE(hazards) || !hazards[id].name)
		return "unknown";
	return hazards[id].name;
}

/**
 * pthru_hazard_remediation() - one line that says how to fix a finding
 * @id: the kind
 *
 * Return: the text, "" when out of range.
 */
const char *pthru_hazard_remediation(enum pthru_hazard_id id)
{
	if ((unsigned int)id >= ARRAY_SIZE(hazards) || !hazards[id].name)
		return "";
	return hazards[id].remediation;
}

/**
 * pthru_severity_name() - name of a severity
 * @severity: the severity
 *
 * Return: the name, "unknown" when out of range.
 */
const char *pthru_severity_name(enum pthru_severity severity)
{
	if ((unsigned int)severity >= ARRAY_SIZE(severity_names))
		return "unknown";
	return severity_names[severity];
}

/**
 * pthru_driver_is_passthrough() - does this driver give DMA to userspace?
 * @driver: driver name, "" when unbound
 *
 * Return: true for vfio-pci, its variant drivers, pci-stub, uio_pci_generic.
 */
bool pthru_driver_is_passthrough(const char *driver)
{
	size_t len = strlen(driver);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(passthrough_drivers); i++)
		if (!strcmp(driver, passthrough_drivers[i]))
			return true;
	for (i = 0; i < ARRAY_SIZE(vfio_variant_suffixes); i++)
		if (ends_with(driver, len, vfio_variant_suffixes[i]))
			return true;
	return false;
}

/* IOMMU drivers whose behaviour pthru's rules and tests were written for. */
static const char * const known_iommu_drivers[] = {
	"intel-vtd", "amd-vi", "virtio-iommu",
};

/**
 * pthru_iommu_driver_known() - are pthru's rules written for this driver?
 * @name: the snapshot's iommu_driver
 *
 * Return: true for a driver pthru was checked against.
 */
bool pthru_iommu_driver_known(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(known_iommu_drivers); i++)
		if (!strcmp(name, known_iommu_drivers[i]))
			return true;
	return false;
}

static bool is_host_driver(const char *driver)
{
	/* pcieport is driver_managed_dma: VFIO accepts it in a viable group. */
	return driver[0] && !pthru_driver_is_passthrough(driver) &&
	       strcmp(driver, "pcieport");
}

static struct pthru_finding *add(struct pthru_findings *set,
				 enum pthru_hazard_id id,
				 enum pthru_severity severity, gfp_t gfp)
{
	struct pthru_finding *f;

	if (set->nr == set->cap) {
		u32 cap = set->cap ? set->cap * 2 : 16;
		struct pthru_finding *items;

		items = krealloc_array(set->items, cap, sizeof(*items), gfp);
		if (!items)
			return NULL;
		set->items = items;
		set->cap = cap;
	}
	f = &set->items[set->nr++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->severity = severity;
	f->group_id = PTHRU_NO_GROUP;
	return f;
}

static struct pthru_finding *add_dev(struct pthru_findings *set,
				     enum pthru_hazard_id id,
				     enum pthru_severity severity,
				     const struct pthru_dev *dev, gfp_t gfp)
{
	struct pthru_finding *f = add(set, id, severity, gfp);

	if (f) {
		f->has_addr = true;
		f->addr = dev->addr;
	}
	return f;
}

static struct pthru_finding *add_group(struct pthru_findings *set,
				       enum pthru_hazard_id id,
				       enum pthru_severity severity,
				       const struct pthru_group *group,
				       gfp_t gfp)
{
	struct pthru_finding *f = add(set, id, severity, gfp);

	if (f)
		f->group_id = group->id;
	return f;
}

static void set_driver(struct pthru_finding *f, const char *driver)
{
	f->facts.present |= PTHRU_FACT_DRIVER;
	strscpy(f->facts.driver, driver, sizeof(f->facts.driver));
}

struct eval {
	const struct pthru_snapshot *snap;
	const struct pthru_isolation *iso;
	struct pthru_findings *out;
	gfp_t gfp;
};

static const char *addr_str(const struct pthru_dev *dev, char *buf)
{
	pthru_pciaddr_format(dev->addr, buf);
	return buf;
}

static int host_rules(struct eval *ev)
{
	const struct pthru_snapshot *snap = ev->snap;
	struct pthru_finding *f;

	if (!snap->iommu_present) {
		f = add(ev->out, PTHRU_HAZARD_ID_IOMMU_ABSENT,
			PTHRU_SEVERITY_CRITICAL, ev->gfp);
		if (!f)
			return -ENOMEM;
		scnprintf(f->message, sizeof(f->message),
			  "no IOMMU translates any of the %u PCI functions: every device can DMA to all of memory",
			  snap->nr_devs);
		return 0;
	}
	if (!pthru_iommu_driver_known(snap->iommu_driver)) {
		f = add(ev->out, PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN,
			PTHRU_SEVERITY_INFO, ev->gfp);
		if (!f)
			return -ENOMEM;
		scnprintf(f->message, sizeof(f->message),
			  "the IOMMU driver is %s, which pthru does not know: its groups, domains and reserved regions are reported as the kernel gives them",
			  snap->iommu_driver);
	}
	if (snap->default_passthrough) {
		f = add(ev->out, PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH,
			PTHRU_SEVERITY_HIGH, ev->gfp);
		if (!f)
			return -ENOMEM;
		strscpy(f->message,
			"the default IOMMU domain is identity (iommu=pt): host devices can DMA to all of memory",
			sizeof(f->message));
	}
	if (snap->unsafe_interrupts == PTHRU_TRISTATE_YES) {
		f = add(ev->out, PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS,
			PTHRU_SEVERITY_CRITICAL, ev->gfp);
		if (!f)
			return -ENOMEM;
		strscpy(f->message,
			"vfio_iommu_type1 allow_unsafe_interrupts=Y: assigned devices may be used without interrupt isolation",
			sizeof(f->message));
	}
	if (snap->intr_remap == PTHRU_TRISTATE_NO) {
		u32 i, isolated = 0;

		for (i = 0; i < snap->nr_groups; i++)
			isolated += snap->groups[i].isolated_msi ==
				    PTHRU_TRISTATE_YES;
		if (!isolated) {
			f = add(ev->out, PTHRU_HAZARD_ID_NO_ISOLATED_MSI,
				PTHRU_SEVERITY_HIGH, ev->gfp);
			if (!f)
				return -ENOMEM;
			strscpy(f->message,
				"no IOMMU group has isolated MSI (no interrupt remapping): a device can forge interrupts",
				sizeof(f->message));
		}
	}
	return 0;
}

/*
 * The hop, the quirk of the host kernel that decided it, the quirk's line
 * in drivers/pci/quirks.c and the registers or facts it judged: "root
 * 0000:00:1c.0 isolated by pci_quirk_intel_pch_acs
 * (drivers/pci/quirks.c:5151 in 6.12): PCH ACS enabled by kernel".  Short
 * (!@full) inside acs-missing, whose own text takes up to 95 characters:
 * "root 0000:00:1c.0: pci_quirk_intel_pch_acs (quirks.c:5151): PCH ACS
 * not enabled by kernel", at most 92 characters for any quirk that can
 * say "not isolated" to the flags pthru asks.
 */
static void quirk_clause(char *buf, size_t len,
			 const struct pthru_snapshot *snap,
			 const struct pthru_hop *hop, bool full)
{
	const struct pthru_dev *dev = &snap->devs[hop->idx];
	const struct pthru_acs_quirk_verdict *v = &hop->quirk;
	char h[PTHRU_PCIADDR_BUFSZ];
	int n;

	if (full)
		n = scnprintf(buf, len, "%s %s %s by %s (drivers/pci/quirks.c:%u in %s): ",
			      pthru_hop_kind_name(hop->kind), addr_str(dev, h),
			      hop->isolates ? "isolated" : "not isolated",
			      pthru_acs_quirk_fn_name(v->entry->fn),
			      v->entry->line[v->kernel],
			      pthru_acs_quirk_kernel_name(v->kernel));
	else
		n = scnprintf(buf, len, "%s %s: %s (quirks.c:%u): ",
			      pthru_hop_kind_name(hop->kind), addr_str(dev, h),
			      pthru_acs_quirk_fn_name(v->entry->fn),
			      v->entry->line[v->kernel]);
	pthru_acs_quirk_describe(dev, v, buf + n, len - n);
}

/*
 * A hop on the function's path isolates only because the kernel carries
 * the vendor's word for it: not a hazard, but what the isolation rests on.
 * One finding per function, about the nearest such hop.
 */
static int acs_quirk_rule(struct eval *ev, u32 i)
{
	const struct pthru_dev *dev = &ev->snap->devs[i];
	const struct pthru_reach *r = &ev->iso->reach[i];
	const struct pthru_dev *hop;
	char a[PTHRU_PCIADDR_BUFSZ], clause[PTHRU_FINDING_MSG_LEN];
	struct pthru_finding *f;

	if (!r->nr_quirk_hops)
		return 0;
	hop = &ev->snap->devs[r->quirk.idx];
	f = add_dev(ev->out, PTHRU_HAZARD_ID_ACS_QUIRK, PTHRU_SEVERITY_INFO,
		    dev, ev->gfp);
	if (!f)
		return -ENOMEM;
	f->group_id = dev->group_id;
	f->facts.present |= PTHRU_FACT_HOP;
	f->facts.hop = hop->addr;
	f->facts.hop_kind = r->quirk.kind;
	f->facts.acs_needed = r->quirk.missing;
	f->facts.reach_count = r->reach_count;
	if (hop->acs_pos) {
		f->facts.present |= PTHRU_FACT_ACS;
		f->facts.acs_pos = hop->acs_pos;
		f->facts.acs_ctrl = pthru_acs_quirk_ctrl(hop, &r->quirk.quirk);
	}
	quirk_clause(clause, sizeof(clause), ev->snap, &r->quirk, true);
	if (r->nr_quirk_hops > 1)
		scnprintf(f->message, sizeof(f->message), "%s (%u quirk hops): %s",
			  addr_str(dev, a), r->nr_quirk_hops, clause);
	else
		scnprintf(f->message, sizeof(f->message), "%s: %s",
			  addr_str(dev, a), clause);
	return 0;
}

static int acs_missing_rule(struct eval *ev, u32 i)
{
	const struct pthru_dev *dev = &ev->snap->devs[i];
	const struct pthru_reach *r = &ev->iso->reach[i];
	const struct pthru_dev *hop;
	char a[PTHRU_PCIADDR_BUFSZ], h[PTHRU_PCIADDR_BUFSZ], flags[32];
	char clause[160];
	struct pthru_finding *f;
	const char *role;
	bool inside;

	/* An unclassified hop is topology-unknown's, which claims no flag. */
	if (r->open.idx == PTHRU_NO_INDEX || r->open.kind == PTHRU_HOP_UNKNOWN)
		return 0;
	hop = &ev->snap->devs[r->open.idx];
	/*
	 * In VFIO's model the IOMMU group is the unit of isolation: reach
	 * that stays inside the function's own group is expected (the group
	 * goes to one owner whole), reach across groups is the hazard
	 * (group-narrower too), and an open hop that reaches nothing now (an
	 * empty hot-plug slot) may reach a device later.
	 */
	inside = r->reach_count && !r->narrower;
	f = add_dev(ev->out, PTHRU_HAZARD_ID_ACS_MISSING,
		    !r->reach_count ? PTHRU_SEVERITY_MEDIUM :
		    inside ? PTHRU_SEVERITY_INFO : PTHRU_SEVERITY_HIGH,
		    dev, ev->gfp);
	if (!f)
		return -ENOMEM;
	f->group_id = dev->group_id;
	f->facts.present |= PTHRU_FACT_HOP;
	f->facts.hop = hop->addr;
	f->facts.hop_kind = r->open.kind;
	f->facts.acs_needed = r->open.missing;
	f->facts.reach_count = r->reach_count;
	if (hop->acs_pos) {
		f->facts.present |= PTHRU_FACT_ACS;
		f->facts.acs_pos = hop->acs_pos;
		f->facts.acs_ctrl = pthru_acs_quirk_ctrl(hop, &r->open.quirk);
	}
	pthru_acs_flags_text(flags, sizeof(flags), r->open.missing);
	/* The registers judged, quoted: never a flag called off that is on. */
	/* A VF without ACS follows its PF's, which the clause names. */
	role = hop != dev && r->open.kind == PTHRU_HOP_FUNCTION ?
	       " (its SR-IOV PF)" : "";
	if (r->open.quirk.entry)
		quirk_clause(clause, sizeof(clause), ev->snap, &r->open, false);
	else if (hop->acs_pos)
		scnprintf(clause, sizeof(clause),
			  "%s %s%s has ACS flags not enabled: %s (cap %04x ctl %04x)",
			  pthru_hop_kind_name(r->open.kind), addr_str(hop, h),
			  role, flags, hop->acs_cap, hop->acs_ctrl);
	else
		scnprintf(clause, sizeof(clause),
			  "%s %s%s has no ACS capability, needs %s",
			  pthru_hop_kind_name(r->open.kind), addr_str(hop, h),
			  role, flags);
	if (inside)
		scnprintf(f->message, sizeof(f->message),
			  "%s reaches %u function(s) of its own IOMMU group %d only, so assign the group whole: %s",
			  addr_str(dev, a), r->reach_count, dev->group_id,
			  clause);
	else
		scnprintf(f->message, sizeof(f->message),
			  "%s reaches %u other function(s) without the IOMMU: %s",
			  addr_str(dev, a), r->reach_count, clause);
	return 0;
}

/*
 * A hop pthru does not understand: say what it is, and judge nothing
 * behind it isolated (policy's acs-isolated is unmet for the function).
 */
static int topology_unknown_rule(struct eval *ev, u32 i)
{
	const struct pthru_dev *dev = &ev->snap->devs[i];
	const struct pthru_reach *r = &ev->iso->reach[i];
	const struct pthru_dev *hop;
	char a[PTHRU_PCIADDR_BUFSZ], h[PTHRU_PCIADDR_BUFSZ];
	struct pthru_finding *f;

	if (r->unknown.idx == PTHRU_NO_INDEX)
		return 0;
	hop = &ev->snap->devs[r->unknown.idx];
	f = add_dev(ev->out, PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN,
		    PTHRU_SEVERITY_INFO, dev, ev->gfp);
	if (!f)
		return -ENOMEM;
	f->group_id = dev->group_id;
	f->facts.present |= PTHRU_FACT_HOP;
	f->facts.hop = hop->addr;
	f->facts.hop_kind = PTHRU_HOP_UNKNOWN;
	if (!pthru_dev_is_bridge(hop))
		scnprintf(f->message, sizeof(f->message),
			  "%s sits below %s, which is not a bridge (class %06x): pthru cannot classify the path and does not judge it isolated",
			  addr_str(dev, a), addr_str(hop, h), hop->class);
	else if (!pthru_bridge_type_known(hop))
		scnprintf(f->message, sizeof(f->message),
			  "%s sits below %s, a bridge of PCIe port type %x that pthru does not know: it does not judge the path isolated",
			  addr_str(dev, a), addr_str(hop, h), hop->pcie_type);
	else
		scnprintf(f->message, sizeof(f->message),
			  "the upstream links of %s loop (at %s) and never reach a root: pthru does not judge the path isolated",
			  addr_str(dev, a), addr_str(hop, h));
	return 0;
}

static int dev_rules(struct eval *ev, u32 i)
{
	const struct pthru_dev *dev = &ev->snap->devs[i];
	bool assigned = pthru_driver_is_passthrough(dev->driver);
	bool exposed = dev->untrusted || dev->external_facing;
	char a[PTHRU_PCIADDR_BUFSZ];
	struct pthru_finding *f;
	int ret;

	if (dev->acs_pos && dev->acs_ctrl != dev->acs_ctrl_baseline) {
		f = add_dev(ev->out, PTHRU_HAZARD_ID_ACS_CHANGED,
			    PTHRU_SEVERITY_HIGH, dev, ev->gfp);
		if (!f)
			return -ENOMEM;
		f->facts.present |= PTHRU_FACT_ACS | PTHRU_FACT_ACS_BASELINE;
		f->facts.acs_pos = dev->acs_pos;
		f->facts.acs_ctrl = dev->acs_ctrl;
		f->facts.acs_ctrl_baseline = dev->acs_ctrl_baseline;
		scnprintf(f->message, sizeof(f->message),
			  "ACS control of %s changed from %04x to %04x since pthru first read it; IOMMU groups were formed on the old value",
			  addr_str(dev, a), dev->acs_ctrl_baseline, dev->acs_ctrl);
	}
	if (dev->domain_type == PTHRU_DOMAIN_TYPE_IDENTITY && (exposed || assigned)) {
		f = add_dev(ev->out, PTHRU_HAZARD_ID_IDENTITY_DOMAIN,
			    PTHRU_SEVERITY_CRITICAL, dev, ev->gfp);
		if (!f)
			return -ENOMEM;
		f->group_id = dev->group_id;
		if (assigned)
			set_driver(f, dev->driver);
		scnprintf(f->message, sizeof(f->message),
			  "%s (%s) is in an identity domain: it can DMA to all of host memory",
			  addr_str(dev, a),
			  assigned ? dev->driver : dev->untrusted ? "untrusted" : "external-facing");
	}
	if (dev->ats_enabled && (exposed || assigned)) {
		f = add_dev(ev->out, PTHRU_HAZARD_ID_ATS_EXPOSED,
			    exposed ? PTHRU_SEVERITY_HIGH : PTHRU_SEVERITY_MEDIUM,
			    dev, ev->gfp);
		if (!f)
			return -ENOMEM;
		if (!exposed)
			set_driver(f, dev->driver);
		scnprintf(f->message, sizeof(f->message),
			  "ATS is enabled on %s (%s): it can cache translations and send pre-translated requests",
			  addr_str(dev, a),
			  exposed ? (dev->untrusted ? "untrusted" : "external-facing") : dev->driver);
	}
	if (dev->domain_type == PTHRU_DOMAIN_TYPE_DMA_FQ && exposed) {
		f = add_dev(ev->out, PTHRU_HAZARD_ID_LAZY_INVALIDATION,
			    PTHRU_SEVERITY_HIGH, dev, ev->gfp);
		if (!f)
			return -ENOMEM;
		f->group_id = dev->group_id;
		scnprintf(f->message, sizeof(f->message),
			  "%s is %s and its domain is DMA-FQ: freed pages stay reachable until the lazy IOTLB flush (up to ~10 ms)",
			  addr_str(dev, a), dev->untrusted ? "untrusted" : "external-facing");
	}

	/* Neither forwards nor is translated: the IOMMU is not behind itself. */
	if (pthru_dev_is_bridge(dev) || pthru_dev_is_iommu(ev->snap, dev))
		return 0;
	if (dev->group_id == PTHRU_NO_GROUP) {
		f = add_dev(ev->out, PTHRU_HAZARD_ID_NO_GROUP, PTHRU_SEVERITY_HIGH,
			    dev, ev->gfp);
		if (!f)
			return -ENOMEM;
		scnprintf(f->message, sizeof(f->message),
			  "%s has no IOMMU group although an IOMMU is active: its DMA is not translated",
			  addr_str(dev, a));
		return 0;
	}
	ret = acs_missing_rule(ev, i);
	if (!ret)
		ret = acs_quirk_rule(ev, i);
	if (!ret)
		ret = topology_unknown_rule(ev, i);
	return ret;
}

static const char *resv_kind(const struct pthru_resv_region *region)
{
	return pthru_resv_type_name(region->type);
}

static int group_rules(struct eval *ev, const struct pthru_group *group)
{
	const struct pthru_snapshot *snap = ev->snap;
	const struct pthru_dev *host = NULL, *pass = NULL, *narrow = NULL;
	bool has_endpoint = false;
	char a[PTHRU_PCIADDR_BUFSZ], b[PTHRU_PCIADDR_BUFSZ];
	struct pthru_finding *f;
	u32 m;

	for (m = 0; m < group->nr_members; m++) {
		u32 i = group->members[m];
		const struct pthru_dev *dev = &snap->devs[i];

		has_endpoint |= !pthru_dev_is_bridge(dev);
		if (pthru_driver_is_passthrough(dev->driver) && !pass)
			pass = dev;
		else if (is_host_driver(dev->driver) && !host)
			host = dev;
		if (ev->iso->reach[i].narrower && !narrow)
			narrow = dev;
	}

	if (narrow) {
		const struct pthru_reach *r = &ev->iso->reach[narrow - snap->devs];
		const struct pthru_dev *peer = &snap->devs[r->narrower_peer];

		f = add_group(ev->out, PTHRU_HAZARD_ID_GROUP_NARROWER,
			      PTHRU_SEVERITY_HIGH, group, ev->gfp);
		if (!f)
			return -ENOMEM;
		f->has_addr = true;
		f->addr = narrow->addr;
		f->facts.present |= PTHRU_FACT_PEER | PTHRU_FACT_PEER_GROUP;
		f->facts.peer = peer->addr;
		f->facts.peer_group_id = peer->group_id;
		f->facts.isolation_group = r->iso_group;
		if (pthru_same_sriov_device(narrow, peer))
			scnprintf(f->message, sizeof(f->message),
				  "IOMMU group %d is narrower than the hardware allows: %s and %s (group %d) reach each other inside one SR-IOV device, a multi-function device for ACS by the PCIe spec",
				  group->id, addr_str(narrow, a),
				  addr_str(peer, b), peer->group_id);
		else
			scnprintf(f->message, sizeof(f->message),
				  "IOMMU group %d is narrower than the hardware allows: %s and %s (group %d) share isolation group %d and reach each other without the IOMMU",
				  group->id, addr_str(narrow, a),
				  addr_str(peer, b), peer->group_id,
				  r->iso_group);
	}
	if (pass && host) {
		f = add_group(ev->out, PTHRU_HAZARD_ID_GROUP_NOT_VIABLE,
			      PTHRU_SEVERITY_HIGH, group, ev->gfp);
		if (!f)
			return -ENOMEM;
		set_driver(f, pass->driver);
		f->facts.present |= PTHRU_FACT_PEER | PTHRU_FACT_PEER_DRIVER;
		f->facts.peer = host->addr;
		strscpy(f->facts.peer_driver, host->driver,
			sizeof(f->facts.peer_driver));
		scnprintf(f->message, sizeof(f->message),
			  "IOMMU group %d is split: %s is bound to %s while %s is bound to host driver %s",
			  group->id, addr_str(pass, a), pass->driver,
			  addr_str(host, b), host->driver);
	}
	if (pass && group->domain_type == PTHRU_DOMAIN_TYPE_DMA_FQ) {
		f = add_group(ev->out, PTHRU_HAZARD_ID_LAZY_INVALIDATION,
			      PTHRU_SEVERITY_MEDIUM, group, ev->gfp);
		if (!f)
			return -ENOMEM;
		set_driver(f, pass->driver);
		f->facts.present |= PTHRU_FACT_PEER;
		f->facts.peer = pass->addr;
		scnprintf(f->message, sizeof(f->message),
			  "IOMMU group %d flushes lazily (DMA-FQ) while %s is bound to %s",
			  group->id, addr_str(pass, a), pass->driver);
	}
	if (!has_endpoint)
		return 0;
	if (group->isolated_msi == PTHRU_TRISTATE_NO &&
	    snap->intr_remap == PTHRU_TRISTATE_NO) {
		/* Host-wide finding already covers "no group has it". */
		for (m = 0; m < snap->nr_groups; m++)
			if (snap->groups[m].isolated_msi == PTHRU_TRISTATE_YES)
				break;
		if (m < snap->nr_groups) {
			f = add_group(ev->out, PTHRU_HAZARD_ID_NO_ISOLATED_MSI,
				      PTHRU_SEVERITY_HIGH, group, ev->gfp);
			if (!f)
				return -ENOMEM;
			scnprintf(f->message, sizeof(f->message),
				  "MSIs of IOMMU group %d are not isolated: its devices can forge interrupts",
				  group->id);
		}
	}
	for (m = 0; m < group->nr_resv; m++) {
		const struct pthru_resv_region *region = &group->resv[m];
		bool direct = region->type == PTHRU_RESV_TYPE_DIRECT;

		if (!direct && region->type != PTHRU_RESV_TYPE_DIRECT_RELAXABLE)
			continue;
		f = add_group(ev->out,
			      direct ? PTHRU_HAZARD_ID_DIRECT_REGION :
				       PTHRU_HAZARD_ID_RELAXABLE_REGION,
			      direct ? PTHRU_SEVERITY_HIGH : PTHRU_SEVERITY_LOW,
			      group, ev->gfp);
		if (!f)
			return -ENOMEM;
		f->facts.present |= PTHRU_FACT_REGION;
		f->facts.region_type = region->type;
		f->facts.region_start = region->start;
		f->facts.region_end = region->end;
		/* sysfs shows every user these addresses (reserved_regions). */
		scnprintf(f->message, sizeof(f->message),
			  "IOMMU group %d has a firmware %s region %#llx-%#llx that stays mapped 1:1",
			  group->id, resv_kind(region),
			  (unsigned long long)region->start,
			  (unsigned long long)region->end);
	}
	return 0;
}

static const char *plural(u64 n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* What each kind of map note becomes. */
static const struct {
	enum pthru_hazard_id id;
	enum pthru_severity severity;
} map_note_hazards[PTHRU_MAP_NOTE_KINDS] = {
	[PTHRU_MAP_NOTE_DISAGREES] = { PTHRU_HAZARD_ID_MAP_DISAGREES,
				       PTHRU_SEVERITY_HIGH },
	[PTHRU_MAP_NOTE_STALE] = { PTHRU_HAZARD_ID_STALE_TRANSLATION,
				   PTHRU_SEVERITY_CRITICAL },
	[PTHRU_MAP_NOTE_IDENTITY] = { PTHRU_HAZARD_ID_IDENTITY_OVER_RAM,
				      PTHRU_SEVERITY_HIGH },
	[PTHRU_MAP_NOTE_KERNEL] = { PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED,
				    PTHRU_SEVERITY_CRITICAL },
	[PTHRU_MAP_NOTE_OVERREACH] = { PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH,
				       PTHRU_SEVERITY_HIGH },
	[PTHRU_MAP_NOTE_INCOMPLETE] = { PTHRU_HAZARD_ID_SHADOW_INCOMPLETE,
					PTHRU_SEVERITY_MEDIUM },
};

/*
 * One line about @n, the first note of its (kind, group), with @count
 * summed over the @domains notes of that (kind, group).  A host physical
 * address is never part of it (pthru_map_note_facts() keeps them apart for
 * privileged readers); nor is the IOVA of a 1:1 mapping, which equals one.
 */
static void map_note_message(char *buf, size_t len,
			     const struct pthru_map_note *n, u64 count,
			     u32 domains)
{
	unsigned long long iova = n->iova;
	size_t used = 0;

	switch (n->kind) {
	case PTHRU_MAP_NOTE_DISAGREES:
		if (n->found == PTHRU_MAP_NO_PHYS)
			used = scnprintf(buf, len,
					 "domain %u: IOVA %#llx does not translate although the shadow maps it",
					 n->domain_id, iova);
		else if (n->expected == PTHRU_MAP_NO_PHYS)
			used = scnprintf(buf, len,
					 "domain %u: IOVA %#llx translates although the shadow holds no mapping for it",
					 n->domain_id, iova);
		else
			used = scnprintf(buf, len,
					 "domain %u: IOVA %#llx translates to another physical address than the shadow recorded",
					 n->domain_id, iova);
		used += scnprintf(buf + used, len - used, " (%llu %s)",
				  count, plural(count, "point", "points"));
		break;
	case PTHRU_MAP_NOTE_STALE:
		used = scnprintf(buf, len,
				 "domain %u: IOVA %#llx still translates after its unmap (%llu %s)",
				 n->domain_id, iova, count,
				 plural(count, "range", "ranges"));
		break;
	case PTHRU_MAP_NOTE_IDENTITY:
		used = scnprintf(buf, len,
				 "domain %u maps host RAM 1:1, IOVA equal to physical address (%llu %s)",
				 n->domain_id, count,
				 plural(count, "range", "ranges"));
		break;
	case PTHRU_MAP_NOTE_KERNEL:
		used = scnprintf(buf, len,
				 "domain %u: IOVA %#llx maps %s memory (%llu %s)",
				 n->domain_id, iova,
				 pthru_phys_kind_name(n->memory), count,
				 plural(count, "point", "points"));
		break;
	case PTHRU_MAP_NOTE_OVERREACH:
		used = scnprintf(buf, len,
				 "domain %u: IOVA %#llx, past an end of a mapped range, still translates (%llu %s)",
				 n->domain_id, iova, count,
				 plural(count, "point", "points"));
		break;
	case PTHRU_MAP_NOTE_INCOMPLETE:
		if (count)
			used = scnprintf(buf, len,
					 "domain %u: the shadow lost %llu %s; mapping findings cannot vouch for it",
					 n->domain_id, count,
					 plural(count, "mapping", "mappings"));
		else
			used = scnprintf(buf, len,
					 "domain %u: the shadow may miss mappings; mapping findings cannot vouch for it",
					 n->domain_id);
		break;
	}
	if (domains > 1)
		scnprintf(buf + used, len - used, " and %u more %s",
			  domains - 1, plural(domains - 1, "domain", "domains"));
}

/* The typed facts of a mapping finding about @n. */
static void map_note_facts(struct pthru_finding_facts *facts,
			   const struct pthru_map_note *n, u64 count,
			   u32 domains)
{
	facts->present |= PTHRU_FACT_MAP;
	facts->domain_id = n->domain_id;
	facts->count = count;
	facts->domains = domains;
	if (n->kind == PTHRU_MAP_NOTE_INCOMPLETE)
		return;
	if (n->kind == PTHRU_MAP_NOTE_IDENTITY) {
		/* Its IOVA is a physical address. */
		facts->present |= PTHRU_FACT_PHYS | PTHRU_FACT_MEMORY;
		facts->phys = n->iova;
		facts->memory = n->memory;
		return;
	}
	facts->present |= PTHRU_FACT_IOVA;
	facts->iova = n->iova;
	if (n->kind == PTHRU_MAP_NOTE_KERNEL) {
		facts->present |= PTHRU_FACT_MEMORY;
		facts->memory = n->memory;
	}
	if (n->found != PTHRU_MAP_NO_PHYS) {
		facts->present |= PTHRU_FACT_PHYS;
		facts->phys = n->found;
	}
	if (n->kind == PTHRU_MAP_NOTE_DISAGREES &&
	    n->expected != PTHRU_MAP_NO_PHYS) {
		facts->present |= PTHRU_FACT_PHYS_EXPECTED;
		facts->phys_expected = n->expected;
	}
}

/*
 * One finding per (kind, group): the notes are sorted by kind, group and
 * domain, so each run of equal (kind, group) is one finding, and domains
 * outside any group (PTHRU_NO_GROUP) share one too.
 */
static int map_rules(struct eval *ev)
{
	const struct pthru_map_notes *notes = &ev->snap->map_notes;
	struct pthru_finding *f;
	u32 i, j;

	for (i = 0; i < notes->nr; i = j) {
		const struct pthru_map_note *n = &notes->items[i];
		u64 count = 0;

		for (j = i; j < notes->nr &&
			    notes->items[j].kind == n->kind &&
			    notes->items[j].group_id == n->group_id; j++)
			count += notes->items[j].count;
		if (n->kind >= PTHRU_MAP_NOTE_KINDS)
			continue;
		f = add(ev->out, map_note_hazards[n->kind].id,
			map_note_hazards[n->kind].severity, ev->gfp);
		if (!f)
			return -ENOMEM;
		f->group_id = n->group_id;
		map_note_message(f->message, sizeof(f->message), n, count,
				 j - i);
		map_note_facts(&f->facts, n, count, j - i);
	}
	return 0;
}

/**
 * pthru_finding_cmp() - order of findings by key: id, group, address
 * @a: one finding
 * @b: another
 *
 * Return: <0, 0 or >0.  Two findings with the same key are "the same
 * finding" for raise/clear purposes, even if the message changed.
 */
int pthru_finding_cmp(const struct pthru_finding *a,
		      const struct pthru_finding *b)
{
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (a->group_id != b->group_id)
		return a->group_id < b->group_id ? -1 : 1;
	if (a->has_addr != b->has_addr)
		return a->has_addr ? 1 : -1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return 0;
}

static int finding_sort_cmp(const void *a, const void *b)
{
	return pthru_finding_cmp(a, b);
}

/**
 * pthru_hazards_evaluate() - run every rule
 * @snap: a finalized snapshot
 * @iso: its reachability (pthru_isolation_compute())
 * @out: receives the findings sorted by key; free with pthru_findings_free()
 * @gfp: allocation flags
 *
 * Return: 0, -EINVAL when @iso does not belong to @snap, or -ENOMEM (then
 * @out is empty).
 */
int pthru_hazards_evaluate(const struct pthru_snapshot *snap,
			   const struct pthru_isolation *iso,
			   struct pthru_findings *out, gfp_t gfp)
{
	struct eval ev = { .snap = snap, .iso = iso, .out = out, .gfp = gfp };
	int ret;
	u32 i;

	memset(out, 0, sizeof(*out));
	if (!snap->finalized || iso->nr_devs != snap->nr_devs)
		return -EINVAL;

	ret = host_rules(&ev);
	if (ret || !snap->iommu_present)
		goto done;
	for (i = 0; i < snap->nr_devs && !ret; i++)
		ret = dev_rules(&ev, i);
	for (i = 0; i < snap->nr_groups && !ret; i++)
		ret = group_rules(&ev, &snap->groups[i]);
	if (!ret)
		ret = map_rules(&ev);
done:
	if (ret) {
		pthru_findings_free(out);
		return ret;
	}
	sort(out->items, out->nr, sizeof(*out->items), finding_sort_cmp, NULL);
	return 0;
}

/**
 * pthru_findings_free() - release a finding set
 * @set: the set; left empty
 */
void pthru_findings_free(struct pthru_findings *set)
{
	kfree(set->items);
	memset(set, 0, sizeof(*set));
}

/**
 * pthru_findings_diff() - report what changed between two finding sets
 * @old: the previous set (sorted by key)
 * @cur: the new set (sorted by key)
 * @raised: called for each finding in @cur whose key is not in @old
 * @cleared: called for each finding in @old whose key is not in @cur
 * @ctx: passed to both
 */
void pthru_findings_diff(const struct pthru_findings *old,
			 const struct pthru_findings *cur,
			 void (*raised)(const struct pthru_finding *f, void *ctx),
			 void (*cleared)(const struct pthru_finding *f, void *ctx),
			 void *ctx)
{
	u32 i = 0, j = 0;
	int c;

	while (i < old->nr || j < cur->nr) {
		if (i == old->nr)
			c = 1;
		else if (j == cur->nr)
			c = -1;
		else
			c = pthru_finding_cmp(&old->items[i], &cur->items[j]);
		if (c < 0)
			cleared(&old->items[i++], ctx);
		else if (c > 0)
			raised(&cur->items[j++], ctx);
		else
			i++, j++;
	}
}
