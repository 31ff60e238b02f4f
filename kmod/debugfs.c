// SPDX-License-Identifier: GPL-2.0
/*
 * The read-only debugfs view: /sys/kernel/debug/pthru/{status,devices,
 * groups,hazards,paths,policy,mappings,shadow,wrap,flush-window,verify}.
 *
 * The format is documented in Documentation/debugfs.rst and is meant to be
 * read by scripts as well as people: change it only together with that
 * file.  The files are 0444 because kernel lockdown refuses writable
 * debugfs files; control goes through netlink.  Every read rebuilds the
 * inventory, as a netlink request does, except those of policy, which
 * shows the installed bind policy and reads no hardware, and of mappings
 * and shadow, which show the shadow of userspace-owned IOMMU domains, of
 * wrap, which shows whose domain ops are pthru's, of
 * flush-window, which shows its deferred-flush windows, and of verify,
 * which shows what the verification walks found.
 */
#include <linux/bits.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/utsname.h>

#include <uapi/linux/pthru.h>

#include "core/acs_quirks.h"
#include "core/hazard.h"
#include "core/names.h"
#include "core/pciaddr.h"
#include "core/policy.h"
#include "core/reach.h"
#include "debugfs.h"
#include "domain_wrap.h"
#include "flush_probe.h"
#include "policy_state.h"
#include "shadow.h"
#include "store.h"
#include "verify.h"
#include "version.h"

static struct dentry *pthru_debugfs_dir;

/* Groups numbered beyond this are left out of the wrap file. */
#define PTHRU_DEBUGFS_MAX_GROUPS	65536

static const char *yes_no(bool value)
{
	return value ? "yes" : "no";
}

/* Print @str as one token: whitespace would split the key=value list. */
static void put_token(struct seq_file *m, const char *str)
{
	for (; *str; str++)
		seq_putc(m, isspace(*str) ? '_' : *str);
}

/*
 * The host as it is now, as a netlink request sees it, but for vfio's
 * parameter: its last reading, since this runs under the seq_file's lock.
 */
static struct pthru_state *fresh_state(void)
{
	return pthru_store_refresh(PTHRU_REFRESH_KEEP_PARAMS, NULL);
}

static int status_show(struct seq_file *m, void *unused)
{
	struct pthru_state *state = fresh_state();
	const struct pthru_snapshot *snap;

	if (IS_ERR(state))
		return PTR_ERR(state);
	snap = state->snap;
	seq_printf(m, "version: %s\n", PTHRU_VERSION);
	seq_printf(m, "kernel-release: %s\n", utsname()->release);
	seq_printf(m, "iommu-present: %s\n", yes_no(snap->iommu_present));
	seq_printf(m, "iommu-driver: %s\n", snap->iommu_driver);
	seq_printf(m, "iommu-units: %u\n", snap->iommu_units);
	seq_printf(m, "default-passthrough: %s\n",
		   yes_no(snap->default_passthrough));
	seq_printf(m, "intr-remap: %s\n", pthru_tristate_name(snap->intr_remap));
	seq_printf(m, "dev-count: %u\n", snap->nr_devs);
	seq_printf(m, "group-count: %u\n", snap->nr_groups);
	seq_printf(m, "generation: %u\n", snap->generation);
	pthru_state_put(state);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/* The fields added after pcie-type: ACS baseline and reachability. */
static void show_func_reach(struct seq_file *m, const struct pthru_state *state,
			    u32 idx)
{
	const struct pthru_dev *func = &state->snap->devs[idx];
	const struct pthru_reach *reach = &state->iso.reach[idx];
	char addr[PTHRU_PCIADDR_BUFSZ];

	if (func->acs_pos)
		seq_printf(m, " acs-ctrl-baseline=%04x", func->acs_ctrl_baseline);
	else
		seq_puts(m, " acs-ctrl-baseline=-");
	if (reach->iso_group >= 0)
		seq_printf(m, " isolation-group=%d", reach->iso_group);
	else
		seq_puts(m, " isolation-group=-");
	seq_printf(m, " reach-count=%u", reach->reach_count);
	if (reach->open.idx != PTHRU_NO_INDEX)
		seq_printf(m, " p2p-hop=%s\n",
			   pthru_pciaddr_format(state->snap->devs[reach->open.idx].addr,
						addr));
	else
		seq_puts(m, " p2p-hop=-\n");
}

static void show_func(struct seq_file *m, const struct pthru_state *state,
		      u32 idx)
{
	const struct pthru_dev *func = &state->snap->devs[idx];
	char addr[PTHRU_PCIADDR_BUFSZ];
	const char *pcie_type;

	seq_printf(m, "addr=%s vendor=%04x device=%04x subsys-vendor=%04x subsys-device=%04x class=%06x",
		   pthru_pciaddr_format(func->addr, addr), func->vendor,
		   func->device, func->subsys_vendor, func->subsys_device,
		   func->class);

	seq_puts(m, " driver=");
	if (func->driver[0])
		put_token(m, func->driver);
	else
		seq_putc(m, '-');

	if (func->group_id != PTHRU_NO_GROUP)
		seq_printf(m, " group=%d", func->group_id);
	else
		seq_puts(m, " group=-");

	seq_printf(m, " domain-type=%s ats-supported=%s ats-enabled=%s untrusted=%s external-facing=%s",
		   pthru_domain_type_name(func->domain_type),
		   yes_no(func->ats_supported), yes_no(func->ats_enabled),
		   yes_no(func->untrusted), yes_no(func->external_facing));

	if (func->acs_pos)
		seq_printf(m, " acs-pos=%03x acs-cap=%04x acs-ctrl=%04x",
			   func->acs_pos, func->acs_cap, func->acs_ctrl);
	else
		seq_puts(m, " acs-pos=- acs-cap=- acs-ctrl=-");

	seq_printf(m, " multifunction=%s", yes_no(func->multifunction));

	if (func->has_upstream)
		seq_printf(m, " upstream=%s",
			   pthru_pciaddr_format(func->upstream_addr, addr));
	else
		seq_puts(m, " upstream=-");

	pcie_type = func->is_pcie ? pthru_pcie_type_name(func->pcie_type) : "-";
	if (pcie_type)
		seq_printf(m, " pcie-type=%s", pcie_type);
	else
		seq_printf(m, " pcie-type=type-%u", func->pcie_type);

	show_func_reach(m, state, idx);
}

static int devices_show(struct seq_file *m, void *unused)
{
	struct pthru_state *state = fresh_state();
	u32 i;

	if (IS_ERR(state))
		return PTR_ERR(state);
	for (i = 0; i < state->snap->nr_devs; i++)
		show_func(m, state, i);
	pthru_state_put(state);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(devices);

static void show_group(struct seq_file *m, const struct pthru_snapshot *snap,
		       const struct pthru_group *group)
{
	char addr[PTHRU_PCIADDR_BUFSZ];
	u32 i;

	seq_printf(m, "id=%d domain-type=%s isolated-msi=%s members=",
		   group->id, pthru_domain_type_name(group->domain_type),
		   pthru_tristate_name(group->isolated_msi));
	for (i = 0; i < group->nr_members; i++)
		seq_printf(m, "%s%s", i ? "," : "",
			   pthru_pciaddr_format(snap->devs[group->members[i]].addr,
						addr));
	if (!group->nr_members)
		seq_putc(m, '-');

	seq_puts(m, " resv=");
	for (i = 0; i < group->nr_resv; i++)
		seq_printf(m, "%s0x%016llx-0x%016llx:%s", i ? "," : "",
			   group->resv[i].start, group->resv[i].end,
			   pthru_resv_type_name(group->resv[i].type));
	if (!group->nr_resv)
		seq_putc(m, '-');
	seq_putc(m, '\n');
}

static int groups_show(struct seq_file *m, void *unused)
{
	struct pthru_state *state = fresh_state();
	const struct pthru_snapshot *snap;
	u32 i;

	if (IS_ERR(state))
		return PTR_ERR(state);
	snap = state->snap;
	for (i = 0; i < snap->nr_groups; i++)
		show_group(m, snap, &snap->groups[i]);
	pthru_state_put(state);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(groups);

/* Print @str between double quotes, with " and \ escaped by a \. */
static void put_quoted(struct seq_file *m, const char *str)
{
	seq_putc(m, '"');
	for (; *str; str++) {
		if (*str == '"' || *str == '\\')
			seq_putc(m, '\\');
		seq_putc(m, *str);
	}
	seq_putc(m, '"');
}

static void show_finding(struct seq_file *m,
			 const struct pthru_finding *finding)
{
	char addr[PTHRU_PCIADDR_BUFSZ];

	seq_printf(m, "PTHRU-%03u %s %s", finding->id,
		   pthru_hazard_name(finding->id),
		   pthru_severity_name(finding->severity));
	if (finding->has_addr)
		seq_printf(m, " addr=%s",
			   pthru_pciaddr_format(finding->addr, addr));
	else
		seq_puts(m, " addr=-");
	if (finding->group_id != PTHRU_NO_GROUP)
		seq_printf(m, " group=%d", finding->group_id);
	else
		seq_puts(m, " group=-");
	seq_puts(m, " message=");
	put_quoted(m, finding->message);
	seq_puts(m, " remediation=");
	put_quoted(m, pthru_hazard_remediation(finding->id));
	seq_putc(m, '\n');
}

static int hazards_show(struct seq_file *m, void *unused)
{
	struct pthru_state *state = fresh_state();
	u32 i;

	if (IS_ERR(state))
		return PTR_ERR(state);
	for (i = 0; i < state->findings.nr; i++)
		show_finding(m, &state->findings.items[i]);
	pthru_state_put(state);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hazards);

/* ACS flag names by bit, as in the PCIe specification. */
static const char * const acs_flag_names[] = {
	"SV", "TB", "RR", "CR", "UF", "EC", "DT",
};

/* The names of the flags set in @flags, joined by '+'. */
static void show_acs_flags(struct seq_file *m, u16 flags)
{
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(acs_flag_names); i++) {
		if (flags & BIT(i)) {
			seq_printf(m, "%s%s", sep, acs_flag_names[i]);
			sep = "+";
		}
	}
}

struct path_ctx {
	struct seq_file *m;
	bool first;
};

/* pthru_path_walk() callback: one hop of the path. */
static int show_hop(const struct pthru_snapshot *snap,
		    const struct pthru_hop *hop, void *data)
{
	const struct pthru_dev *port = &snap->devs[hop->idx];
	struct path_ctx *ctx = data;
	struct seq_file *m = ctx->m;
	char addr[PTHRU_PCIADDR_BUFSZ];

	seq_printf(m, "%s%s %s", ctx->first ? " " : " -> ",
		   pthru_pciaddr_format(port->addr, addr),
		   pthru_hop_kind_name(hop->kind));
	ctx->first = false;
	/* A bridge that only forwards upstream decides nothing. */
	if (hop->kind == PTHRU_HOP_PASS)
		return 0;

	if (port->acs_pos) {
		seq_printf(m, " acs=cap:%04x,ctrl:%04x(", port->acs_cap,
			   port->acs_ctrl);
		show_acs_flags(m, port->acs_ctrl);
		seq_putc(m, ')');
	} else {
		seq_puts(m, " acs=none");
	}
	seq_puts(m, hop->isolates ? " isolates" : " open");
	if (hop->assumed)
		seq_puts(m, " assumed");
	if (hop->quirk.entry)
		seq_printf(m, " quirk=%s",
			   pthru_acs_quirk_fn_name(hop->quirk.entry->fn));
	if (hop->missing) {
		seq_puts(m, " missing=");
		show_acs_flags(m, hop->missing);
	}
	return 0;
}

static int paths_show(struct seq_file *m, void *unused)
{
	struct pthru_state *state = fresh_state();
	const struct pthru_snapshot *snap;
	char addr[PTHRU_PCIADDR_BUFSZ];
	struct path_ctx ctx = { .m = m };
	u32 i;

	if (IS_ERR(state))
		return PTR_ERR(state);
	snap = state->snap;
	for (i = 0; i < snap->nr_devs; i++) {
		seq_printf(m, "%s:", pthru_pciaddr_format(snap->devs[i].addr,
							  addr));
		ctx.first = true;
		pthru_path_walk(snap, i, show_hop, &ctx);
		seq_puts(m, ctx.first ? " -\n" : "\n");
	}
	pthru_state_put(state);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(paths);

/*
 * The rest of a "rule" or "default" statement of the policy language:
 * " require NAME,NAME" in bit order, nothing without requirements.
 */
static void show_requirements(struct seq_file *m, u32 reqs)
{
	const char *sep = " require ";
	u32 bit;

	for (bit = 1; bit & PTHRU_POLICY_REQ_ALL; bit <<= 1) {
		if (reqs & bit) {
			seq_printf(m, "%s%s", sep, pthru_policy_req_name(bit));
			sep = ",";
		}
	}
}

/* One rule in the canonical form of the policy language (policy.rst). */
static void show_rule(struct seq_file *m, const struct pthru_policy_rule *rule)
{
	const struct pthru_policy_match *match = &rule->match;
	char addr[PTHRU_PCIADDR_BUFSZ];
	u32 fields = match->fields;

	seq_printf(m, "rule %u %s", rule->id,
		   pthru_policy_action_name(rule->action));
	if (fields & PTHRU_POLICY_MATCH_VENDOR)
		seq_printf(m, " vendor 0x%04x", match->vendor);
	if (fields & PTHRU_POLICY_MATCH_DEVICE)
		seq_printf(m, " device 0x%04x", match->device);
	if (fields & PTHRU_POLICY_MATCH_SUBSYS_VENDOR)
		seq_printf(m, " subvendor 0x%04x", match->subsys_vendor);
	if (fields & PTHRU_POLICY_MATCH_SUBSYS_DEVICE)
		seq_printf(m, " subdevice 0x%04x", match->subsys_device);
	if (fields & PTHRU_POLICY_MATCH_CLASS) {
		seq_printf(m, " class 0x%06x", match->class);
		if (match->class_mask &&
		    match->class_mask != PTHRU_POLICY_CLASS_MASK)
			seq_printf(m, "/0x%06x", match->class_mask);
	}
	if (fields & PTHRU_POLICY_MATCH_ADDR)
		seq_printf(m, " addr %s", pthru_pciaddr_format(match->addr, addr));
	if (fields & PTHRU_POLICY_MATCH_SLOT)
		seq_printf(m, " slot %s", match->slot);
	if (fields & PTHRU_POLICY_MATCH_DSN)
		seq_printf(m, " serial 0x%016llx", match->dsn);
	if (fields & PTHRU_POLICY_MATCH_DRIVER)
		seq_printf(m, " driver %s", match->driver);
	show_requirements(m, rule->requirements);
	if (rule->label[0]) {
		seq_puts(m, " label ");
		put_quoted(m, rule->label);
	}
	seq_putc(m, '\n');
}

/*
 * The installed bind policy: "key: value" lines, then each rule as the
 * policy language writes it, in evaluation order.
 */
static int policy_show(struct seq_file *m, void *unused)
{
	struct pthru_active_policy *ap = pthru_policy_active_get();
	u64 allowed, denied, audited;
	u32 i;

	pthru_policy_counters(&allowed, &denied, &audited);
	seq_printf(m, "mode: %s\n", pthru_policy_mode_name(ap->mode));
	seq_printf(m, "locked: %s\n", yes_no(pthru_policy_locked()));
	seq_printf(m, "generation: %u\n", ap->generation);
	seq_printf(m, "default: %s",
		   pthru_policy_action_name(ap->policy.default_action));
	show_requirements(m, ap->policy.default_requirements);
	seq_puts(m, "\ngated:");
	for (i = 0; i < ap->nr_gated; i++) {
		seq_putc(m, ' ');
		put_token(m, ap->gated[i]);
	}
	seq_puts(m, ap->nr_gated ? "\n" : " -\n");
	seq_printf(m, "allowed: %llu\n", allowed);
	seq_printf(m, "denied: %llu\n", denied);
	seq_printf(m, "audited: %llu\n", audited);
	seq_printf(m, "rule-count: %u\n", ap->policy.nr_rules);
	for (i = 0; i < ap->policy.nr_rules; i++)
		show_rule(m, &ap->rules[i]);
	pthru_policy_active_put(ap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(policy);

static void show_domain_head(struct seq_file *m,
			     const struct pthru_shadow_domain *d)
{
	s32 group = pthru_shadow_group_of(d->domain);

	seq_printf(m, "domain %u group ", d->id);
	if (group >= 0)
		seq_printf(m, "%d", group);
	else
		seq_putc(m, '-');
	seq_printf(m, " type %s", pthru_domain_type_name(d->type));
}

/* IOMMU_READ, IOMMU_WRITE, ... as letters, in bit order. */
static void show_prot(struct seq_file *m, u32 prot)
{
	static const char letters[] = "rwcnmp";
	unsigned int i;

	seq_puts(m, " prot ");
	if (!(prot & (BIT(sizeof(letters) - 1) - 1)))
		seq_putc(m, '-');
	for (i = 0; i < sizeof(letters) - 1; i++)
		if (prot & BIT(i))
			seq_putc(m, letters[i]);
}

/*
 * One line per merged range.  A domain whose list may miss ranges ends
 * each of its lines with "incomplete", and shows that line alone when it
 * holds no range.
 */
static int mappings_show(struct seq_file *m, void *unused)
{
	struct pthru_shadow_domain d;
	struct pthru_iv_range r;
	bool any;
	u32 idx = 0;
	u64 from;

	while (pthru_shadow_next(&idx, &d)) {
		any = false;
		for (from = 0; pthru_shadow_get(&d, from, &r);
		     from = r.iova + r.size) {
			any = true;
			show_domain_head(m, &d);
			seq_printf(m, " iova 0x%llx phys 0x%llx size 0x%llx",
				   r.iova, r.phys, r.size);
			show_prot(m, r.prot);
			seq_puts(m, d.incomplete ? " incomplete\n" : "\n");
			if (!(r.iova + r.size))
				break;
		}
		if (!any && d.incomplete) {
			show_domain_head(m, &d);
			seq_puts(m, " incomplete\n");
		}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mappings);

static const char *shadow_status_name(u32 status)
{
	switch (status) {
	case PTHRU_SHADOW_STATUS_OFF:
		return "off";
	case PTHRU_SHADOW_STATUS_DISARMED:
		return "disarmed";
	case PTHRU_SHADOW_STATUS_ARMED:
		return "armed";
	case PTHRU_SHADOW_STATUS_REFUSED:
		return "refused";
	}
	return "?";
}

/* The totals as "key: value" lines, then one line per tracked domain. */
static int shadow_show(struct seq_file *m, void *unused)
{
	struct pthru_shadow_totals t;
	struct pthru_shadow_domain d;
	u32 idx = 0;

	pthru_shadow_totals(&t);
	seq_printf(m, "armed: %s\n", yes_no(t.armed));
	seq_printf(m, "status: %s\n", shadow_status_name(t.status));
	if (t.refused_why)
		seq_printf(m, "refused: %s\n", t.refused_why);
	seq_printf(m, "blind: %s\n", yes_no(t.blind));
	seq_printf(m, "wrapped: %u\n", t.wrapped);
	seq_printf(m, "unwrapped: %llu\n", t.unwrapped);
	seq_printf(m, "domains: %u\n", t.domains);
	seq_printf(m, "ranges: %llu\n", t.ranges);
	seq_printf(m, "range-bytes: %zu\n", sizeof(struct pthru_iv_node));
	seq_printf(m, "maps: %llu\n", t.maps);
	seq_printf(m, "unmaps: %llu\n", t.unmaps);
	seq_printf(m, "lost: %llu\n", t.lost);
	seq_printf(m, "incomplete-domains: %u\n", t.incomplete_domains);
	seq_printf(m, "untracked: %llu\n", t.untracked);
	seq_printf(m, "dma-untracked: %llu\n", t.dma_untracked);
	seq_printf(m, "missed: %llu\n", t.missed);
	seq_printf(m, "memory-bytes: %llu\n", t.mem_used);
	seq_printf(m, "memory-max-bytes: %llu\n", t.mem_max);
	seq_printf(m, "memory-refused: %llu\n", t.mem_refused);
	seq_printf(m, "memory-failed: %llu\n", t.mem_failed);
	while (pthru_shadow_next(&idx, &d)) {
		show_domain_head(m, &d);
		seq_printf(m, " ranges %llu bytes 0x%llx maps %llu unmaps %llu merges %llu splits %llu overlaps %llu unmap-misses %llu lost %llu incomplete %s nodes-used %u nodes-reserved %u\n",
			   d.st.nr_ranges, d.st.bytes, d.st.maps, d.st.unmaps,
			   d.st.merges, d.st.splits, d.st.overlaps,
			   d.st.unmap_misses, d.st.lost, yes_no(d.incomplete),
			   d.nodes_total - d.nodes_free, d.nodes_free);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(shadow);

/*
 * The wrapping: counts, the driver op tables copied, then one line per
 * IOMMU group with a PCI function: is its current domain wrapped?  The
 * domain pointer is only compared, never dereferenced.
 */
static int wrap_show(struct seq_file *m, void *unused)
{
	struct pthru_wrap_stats st;
	struct iommu_group *group;
	struct pci_dev *pdev = NULL;
	unsigned long *seen;
	unsigned int i;
	char buf[64];
	int id;

	seen = bitmap_zalloc(PTHRU_DEBUGFS_MAX_GROUPS, GFP_KERNEL);
	if (!seen)
		return -ENOMEM;
	pthru_wrap_get_stats(&st);
	seq_printf(m, "wrapped: %u\n", st.wrapped);
	seq_printf(m, "wrapped-since-load: %llu\n", st.wrapped_total);
	seq_printf(m, "refused: %llu\n", st.refused);
	seq_printf(m, "tables: %u\n", st.tables);
	for (i = 0; i < PTHRU_WRAP_MAX_TABLES; i++)
		if (pthru_wrap_table_driver(i, buf, sizeof(buf)))
			seq_printf(m, "table %u free-op %s\n", i, buf);
	for_each_pci_dev(pdev) {
		group = iommu_group_get(&pdev->dev);
		if (!group)
			continue;
		id = iommu_group_id(group);
		if (id >= 0 && id < PTHRU_DEBUGFS_MAX_GROUPS &&
		    !test_and_set_bit(id, seen))
			seq_printf(m, "group %d wrapped %s\n", id,
				   yes_no(pthru_wrap_is_wrapped(iommu_get_domain_for_dev(&pdev->dev))));
		iommu_group_put(group);
	}
	bitmap_free(seen);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(wrap);

/* The non-empty buckets of @h, one line each: upper bound, count. */
static void show_hist(struct seq_file *m, const char *what, const char *who,
		      const struct pthru_fw_hist *h)
{
	unsigned int k;
	u64 le;

	for (k = 0; k < PTHRU_FW_BUCKETS; k++) {
		if (!h->bucket[k])
			continue;
		le = pthru_fw_hist_bucket_max(h, k);
		seq_printf(m, "%s %s le ", what, who);
		if (le == U64_MAX)
			seq_puts(m, "inf");
		else
			seq_printf(m, "%llu", le);
		seq_printf(m, " count %llu\n", h->bucket[k]);
	}
}

static void show_window(struct seq_file *m, const char *who,
			const struct pthru_fw_window *w)
{
	seq_printf(m, "window %s unmaps %llu flushes %llu waits %llu overflows %llu dropped %llu wait-max-ns %llu wait-p50-ns %llu wait-p99-ns %llu depth-max %llu\n",
		   who, w->unmaps, w->flushes, w->wait.count, w->overflows,
		   w->dropped, w->wait.max,
		   pthru_fw_hist_percentile(&w->wait, 500),
		   pthru_fw_hist_percentile(&w->wait, 990), w->depth.max);
	show_hist(m, "wait-ns", who, &w->wait);
	show_hist(m, "depth", who, &w->depth);
}

/*
 * The invalidation probes, then the global window (every domain since
 * load, gone ones included) and each tracked domain's: a summary line and
 * the non-empty buckets of its wait (ns) and depth histograms.  With
 * flush_window_dma=1, last the merged window of DMA-API domains.
 */
static int flush_window_show(struct seq_file *m, void *unused)
{
	unsigned long armed = pthru_flush_armed();
	struct pthru_shadow_domain d;
	struct pthru_fw_window *w;
	u64 dma_untracked;
	char who[24];
	unsigned int i;
	u32 idx = 0;

	/* Two histograms: too big for the stack. */
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	seq_puts(m, "probes:");
	for (i = 0; i < PTHRU_FLUSH_NR_PROBES; i++)
		if (armed & BIT(i))
			seq_printf(m, " %s", pthru_flush_probe_name(i));
	seq_puts(m, armed ? "\n" : " none\n");
	for (i = 0; i < PTHRU_FLUSH_NR_PROBES; i++)
		seq_printf(m, "calls %s %llu\n", pthru_flush_probe_name(i),
			   pthru_flush_calls(i));
	seq_printf(m, "missed: %llu\n", pthru_flush_missed());
	pthru_flush_global(w);
	show_window(m, "global", w);
	while (pthru_shadow_next(&idx, &d)) {
		if (!pthru_flush_domain(d.idx, d.id, w))
			continue;
		snprintf(who, sizeof(who), "domain-%u", d.id);
		show_window(m, who, w);
	}
	if (pthru_flush_dma(w, &dma_untracked)) {
		seq_printf(m, "dma-untracked: %llu\n", dma_untracked);
		show_window(m, "dma", w);
	}
	kfree(w);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(flush_window);

/* The last verification walk and the notes the walks keep (verify.c). */
static int verify_show(struct seq_file *m, void *unused)
{
	pthru_verify_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(verify);

/**
 * pthru_debugfs_init() - create /sys/kernel/debug/pthru/
 *
 * debugfs failures are not errors for the module (debugfs may be disabled
 * or locked down); the calls handle an error directory themselves.
 */
void pthru_debugfs_init(void)
{
	pthru_debugfs_dir = debugfs_create_dir("pthru", NULL);
	debugfs_create_file("status", 0444, pthru_debugfs_dir, NULL,
			    &status_fops);
	debugfs_create_file("devices", 0444, pthru_debugfs_dir, NULL,
			    &devices_fops);
	debugfs_create_file("groups", 0444, pthru_debugfs_dir, NULL,
			    &groups_fops);
	debugfs_create_file("hazards", 0444, pthru_debugfs_dir, NULL,
			    &hazards_fops);
	debugfs_create_file("paths", 0444, pthru_debugfs_dir, NULL,
			    &paths_fops);
	debugfs_create_file("policy", 0444, pthru_debugfs_dir, NULL,
			    &policy_fops);
	debugfs_create_file("mappings", 0444, pthru_debugfs_dir, NULL,
			    &mappings_fops);
	debugfs_create_file("shadow", 0444, pthru_debugfs_dir, NULL,
			    &shadow_fops);
	debugfs_create_file("wrap", 0444, pthru_debugfs_dir, NULL,
			    &wrap_fops);
	debugfs_create_file("flush-window", 0444, pthru_debugfs_dir, NULL,
			    &flush_window_fops);
	debugfs_create_file("verify", 0444, pthru_debugfs_dir, NULL,
			    &verify_fops);
}

/**
 * pthru_debugfs_exit() - remove /sys/kernel/debug/pthru/
 *
 * Waits for readers of the files to finish.
 */
void pthru_debugfs_exit(void)
{
	debugfs_remove(pthru_debugfs_dir);
	pthru_debugfs_dir = NULL;
}
