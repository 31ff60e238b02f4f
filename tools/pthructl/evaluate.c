// SPDX-License-Identifier: GPL-2.0
/*
 * The module's rules over facts pthructl gathered itself.
 *
 * A placeholder for an unknown fact must not decide a finding.  So the
 * rules run twice: once with every unknown fact at its safest value (not
 * untrusted, MSIs isolated, ACS enabled by the kernel's quirk, default
 * domain translated) and once at its worst.  Every rule is monotonic in
 * those facts, so a finding both readings raise holds whatever the truth,
 * and one that only the worst reading raises may or may not: that one is
 * reported as not established, with the facts it lacks.  Facts with more
 * than two values (capabilities that could not be read, a group's domain
 * while VFIO owns it, the mappings only the module's shadow sees) settle
 * nothing: the rules that read them are not established at all there.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include <core/pciaddr.h>

#include "evaluate.h"
#include "local_view.h"

/* Rules that read a function's capabilities (PCIe type, ACS, ATS). */
static const enum pthru_hazard_id config_rules[] = {
	PTHRU_HAZARD_ID_GROUP_NARROWER, PTHRU_HAZARD_ID_ACS_MISSING,
	PTHRU_HAZARD_ID_ACS_CHANGED, PTHRU_HAZARD_ID_ATS_EXPOSED,
	PTHRU_HAZARD_ID_ACS_QUIRK, PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN,
};

/* Rules over the mappings of userspace-owned domains: the shadow's. */
static const enum pthru_hazard_id mapping_rules[] = {
	PTHRU_HAZARD_ID_MAP_DISAGREES, PTHRU_HAZARD_ID_STALE_TRANSLATION,
	PTHRU_HAZARD_ID_IDENTITY_OVER_RAM, PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED,
	PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH, PTHRU_HAZARD_ID_SHADOW_INCOMPLETE,
};

/* Rules that read a group's current domain. */
static const enum pthru_hazard_id domain_rules[] = {
	PTHRU_HAZARD_ID_IDENTITY_DOMAIN, PTHRU_HAZARD_ID_LAZY_INVALIDATION,
};

/* Rules an unknown yes/no fact can decide (evaluate_reading()'s facts). */
static const enum pthru_hazard_id fact_rules[] = {
	PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH, PTHRU_HAZARD_ID_NO_ISOLATED_MSI,
	PTHRU_HAZARD_ID_IDENTITY_DOMAIN, PTHRU_HAZARD_ID_ATS_EXPOSED,
	PTHRU_HAZARD_ID_LAZY_INVALIDATION, PTHRU_HAZARD_ID_ACS_QUIRK,
};

static bool in_rules(const enum pthru_hazard_id *rules, size_t n, u32 id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rules[i] == id)
			return true;
	return false;
}

bool evaluate_rule_may_be_unsettled(u32 id)
{
	return in_rules(config_rules, ARRAY_SIZE(config_rules), id) ||
	       in_rules(mapping_rules, ARRAY_SIZE(mapping_rules), id) ||
	       in_rules(domain_rules, ARRAY_SIZE(domain_rules), id) ||
	       in_rules(fact_rules, ARRAY_SIZE(fact_rules), id);
}

struct pthru_snapshot *evaluate_reading(const struct pthru_snapshot *src,
					bool worst)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	u32 i, r;

	if (!snap)
		return NULL;
	snap->generation = src->generation;
	memcpy(snap->iommu_driver, src->iommu_driver, sizeof(snap->iommu_driver));
	snap->iommu_units = src->iommu_units;
	snap->kernel_version = src->kernel_version;
	snap->acpi_ivrs = src->acpi_ivrs;
	snap->default_passthrough = src->default_passthrough;
	snap->unsafe_interrupts = src->unsafe_interrupts;
	snap->unknown = src->unknown;
	if (src->unknown & PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN)
		snap->default_passthrough = worst;

	for (i = 0; i < src->nr_devs; i++) {
		const struct pthru_dev *from = &src->devs[i];
		struct pthru_dev *dev;

		dev = pthru_snapshot_add_dev(snap, from->addr, GFP_KERNEL);
		if (!dev)
			goto err;
		*dev = *from;
		if (from->unknown & PTHRU_DEV_UNKNOWN_UNTRUSTED)
			dev->untrusted = worst;
		if (from->unknown & PTHRU_DEV_UNKNOWN_EXTERNAL)
			dev->external_facing = worst;
		if (from->unknown & PTHRU_DEV_UNKNOWN_ACS_QUIRK)
			dev->acs_quirk_enabled = !worst;
	}
	for (i = 0; i < src->nr_groups; i++) {
		const struct pthru_group *from = &src->groups[i];
		struct pthru_group *group;

		group = pthru_snapshot_add_group(snap, from->id, GFP_KERNEL);
		if (!group)
			goto err;
		group->domain_type = from->domain_type;
		group->isolated_msi = from->isolated_msi;
		if (from->isolated_msi == PTHRU_TRISTATE_UNKNOWN)
			group->isolated_msi = worst ? PTHRU_TRISTATE_NO :
						      PTHRU_TRISTATE_YES;
		for (r = 0; r < from->nr_resv; r++)
			if (pthru_group_add_resv(group, from->resv[r].start,
						 from->resv[r].end,
						 from->resv[r].type, GFP_KERNEL))
				goto err;
	}
	if (pthru_snapshot_finalize(snap, GFP_KERNEL))
		goto err;
	return snap;
err:
	pthru_snapshot_put(snap);
	return NULL;
}

/* The rules over one reading; @iso is freed by the caller. */
static int run_rules(const struct pthru_snapshot *snap,
		     struct pthru_isolation *iso, struct pthru_findings *out)
{
	int err = pthru_isolation_compute(snap, iso, GFP_KERNEL);

	if (err)
		return err;
	return pthru_hazards_evaluate(snap, iso, out, GFP_KERNEL);
}

static int unsettled_add(struct unsettled_list *list, const struct unsettled *u)
{
	struct unsettled *bigger;

	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 16;

		bigger = realloc(list->items, cap * sizeof(*bigger));
		if (!bigger)
			return -ENOMEM;
		list->items = bigger;
		list->cap = cap;
	}
	list->items[list->n++] = *u;
	return 0;
}

/* An entry for rule @id about the host (@group -1) or group @group. */
static int unsettled_rule(struct unsettled_list *list, u32 id, s32 group,
			  bool decisive, const char *why)
{
	struct unsettled u = { .decisive = decisive };

	u.f.id = id;
	u.f.present = 1ULL << PTHRU_A_FINDING_ID;
	if (group >= 0) {
		u.f.group_id = group;
		u.f.present |= 1ULL << PTHRU_A_FINDING_GROUP_ID;
	}
	snprintf(u.why, sizeof(u.why), "%s", why);
	return unsettled_add(list, &u);
}

__printf(4, 5) static size_t appendf(char *buf, size_t len, size_t at,
				     const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + n;
}

/* The unknown facts of the function at @addr that a rule may have read. */
static size_t why_dev(const struct pthru_snapshot *snap, u32 addr, char *buf,
		      size_t len, size_t at)
{
	const struct pthru_dev *dev = pthru_snapshot_find_dev(snap, addr);
	char name[PTHRU_PCIADDR_BUFSZ];
	const char *sep;

	if (!dev)
		return at;
	pthru_pciaddr_format(addr, name);
	if (dev->unknown & (PTHRU_DEV_UNKNOWN_UNTRUSTED | PTHRU_DEV_UNKNOWN_EXTERNAL)) {
		sep = at ? "; " : "";
		at = appendf(buf, len, at, "%swhether %s is untrusted or external-facing (sysfs does not show the kernel's flags)",
			     sep, name);
	}
	if (dev->unknown & PTHRU_DEV_UNKNOWN_ACS_QUIRK) {
		sep = at ? "; " : "";
		at = appendf(buf, len, at, "%swhether the kernel enabled ACS on %s by a device quirk (sysfs does not show it)",
			     sep, name);
	}
	return at;
}

/* Which unknown facts make @f unsettled, in words. */
static void why_finding(const struct pthru_snapshot *snap,
			const struct pthru_finding *f, char *buf, size_t len)
{
	const struct pthru_group *group;
	size_t at = 0;

	buf[0] = '\0';
	if (f->id == PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH)
		at = appendf(buf, len, at, "the kernel's default domain type (neither the command line nor the kernel's config file says)");
	if (f->id == PTHRU_HAZARD_ID_NO_ISOLATED_MSI)
		at = appendf(buf, len, at, "whether MSIs are isolated (sysfs does not show interrupt remapping)");
	if (f->has_addr)
		at = why_dev(snap, f->addr, buf, len, at);
	if (f->facts.present & PTHRU_FACT_HOP)
		at = why_dev(snap, f->facts.hop, buf, len, at);
	if (f->facts.present & PTHRU_FACT_PEER)
		at = why_dev(snap, f->facts.peer, buf, len, at);
	group = f->group_id == PTHRU_NO_GROUP ? NULL :
		pthru_snapshot_find_group(snap, f->group_id);
	if (group && group->isolated_msi == PTHRU_TRISTATE_UNKNOWN &&
	    f->id != PTHRU_HAZARD_ID_NO_ISOLATED_MSI) {
		at = appendf(buf, len, at, "%swhether group %d's MSIs are isolated (sysfs does not show interrupt remapping)",
			     at ? "; " : "", group->id);
	}
	if (!at)
		snprintf(buf, len, "facts the source could not establish");
}

struct settle_ctx {
	const struct pthru_snapshot *src;
	struct unsettled_list *list;
	const struct pthru_findings *safe;
	bool *dropped;		/* per entry of @safe: only the safe reading */
	int err;
};

static int unsettled_possible(struct settle_ctx *ctx,
			      const struct pthru_finding *f)
{
	struct unsettled u = {};
	int err;

	err = local_finding(f, &u.f);
	if (err)
		return err;
	u.possible = true;
	u.decisive = f->severity >= PTHRU_SEVERITY_MEDIUM;
	why_finding(ctx->src, f, u.why, sizeof(u.why));
	return unsettled_add(ctx->list, &u);
}

/* Only the worst reading raises it. */
static void settle_raised(const struct pthru_finding *f, void *data)
{
	struct settle_ctx *ctx = data;

	if (!ctx->err)
		ctx->err = unsettled_possible(ctx, f);
}

/* Only the safest reading raises it (a rule a fact at its worst silences). */
static void settle_cleared(const struct pthru_finding *f, void *data)
{
	struct settle_ctx *ctx = data;

	ctx->dropped[f - ctx->safe->items] = true;
	if (!ctx->err)
		ctx->err = unsettled_possible(ctx, f);
}

/* Findings both readings raise, and what only one of them raises. */
static int settle(const struct pthru_snapshot *src,
		  const struct pthru_findings *safe,
		  const struct pthru_findings *worst,
		  struct evaluation *ev)
{
	struct settle_ctx ctx = { src, &ev->unsettled, safe, NULL, 0 };
	struct finding view;
	u32 i, w = 0;
	int err;

	ctx.dropped = calloc(safe->nr + 1, sizeof(*ctx.dropped));
	if (!ctx.dropped)
		return -ENOMEM;
	pthru_findings_diff(safe, worst, settle_raised, settle_cleared, &ctx);
	err = ctx.err;
	for (i = 0; i < safe->nr && !err; i++) {
		const struct pthru_finding *f = &safe->items[i];

		if (ctx.dropped[i])
			continue;
		/* Same key: the worst reading may still be graver. */
		while (w < worst->nr && pthru_finding_cmp(&worst->items[w], f) < 0)
			w++;
		if (w < worst->nr && !pthru_finding_cmp(&worst->items[w], f) &&
		    worst->items[w].severity != f->severity)
			err = unsettled_possible(&ctx, &worst->items[w]);
		if (!err)
			err = local_finding(f, &view);
		if (!err)
			err = finding_list_add(&ev->findings, &view);
	}
	free(ctx.dropped);
	return err;
}

/* Drop what rests on facts that settle nothing; say which rules. */
static int unsettled_rules(const struct facts *facts, struct evaluation *ev)
{
	const struct pthru_snapshot *snap = facts->snap;
	u32 unread = 0, no_baseline = 0, i;
	size_t k, n;
	char why[UNSETTLED_WHY_MAX];
	int err = 0;

	for (i = 0; i < snap->nr_devs; i++) {
		unread += !!(snap->devs[i].unknown & PTHRU_DEV_UNKNOWN_CONFIG);
		no_baseline += !!(snap->devs[i].unknown &
				  PTHRU_DEV_UNKNOWN_ACS_BASELINE);
	}
	ev->quirk_hops_known = !unread;
	if (unread) {
		for (k = 0, n = 0; k < ev->findings.n; k++)
			if (!in_rules(config_rules, ARRAY_SIZE(config_rules),
				      ev->findings.items[k].id))
				ev->findings.items[n++] = ev->findings.items[k];
		ev->findings.n = n;
		for (k = 0, n = 0; k < ev->unsettled.n; k++)
			if (!in_rules(config_rules, ARRAY_SIZE(config_rules),
				      ev->unsettled.items[k].f.id))
				ev->unsettled.items[n++] = ev->unsettled.items[k];
		ev->unsettled.n = n;
		snprintf(why, sizeof(why),
			 "the config space of %u of %u functions could not be read (it needs root): their PCIe type, ACS and ATS are unknown",
			 unread, snap->nr_devs);
		for (k = 0; k < ARRAY_SIZE(config_rules) && !err; k++)
			err = unsettled_rule(&ev->unsettled, config_rules[k], -1,
					     config_rules[k] != PTHRU_HAZARD_ID_ACS_CHANGED,
					     why);
	} else if (no_baseline && !err) {
		snprintf(why, sizeof(why),
			 "no earlier reading of the ACS control registers of %u functions: the module keeps the first one it makes; compare two snapshots with \"pthructl snapshot diff\"",
			 no_baseline);
		err = unsettled_rule(&ev->unsettled, PTHRU_HAZARD_ID_ACS_CHANGED,
				     -1, false, why);
	}
	for (i = 0; i < snap->nr_groups && !err; i++) {
		const struct pthru_group *group = &snap->groups[i];

		if (group->domain_type != PTHRU_DOMAIN_TYPE_UNKNOWN)
			continue;
		snprintf(why, sizeof(why),
			 "the current domain of group %d: a passthrough driver owns a member, and /sys/kernel/iommu_groups/%d/type shows the default domain",
			 group->id, group->id);
		for (k = 0; k < ARRAY_SIZE(domain_rules) && !err; k++)
			err = unsettled_rule(&ev->unsettled, domain_rules[k],
					     group->id, true, why);
	}
	if (snap->unknown & PTHRU_SNAP_UNKNOWN_MAPPINGS)
		for (k = 0; k < ARRAY_SIZE(mapping_rules) && !err; k++)
			err = unsettled_rule(&ev->unsettled, mapping_rules[k], -1,
					     false, "the mappings of userspace-owned domains: only the module's shadow sees them");
	(void)facts;
	return err;
}

int evaluate_facts(const struct facts *facts, struct evaluation *ev)
{
	struct pthru_findings safe = {}, worst = {};
	struct pthru_isolation safe_iso = {}, worst_iso = {};
	struct pthru_snapshot *lo = NULL, *hi = NULL;
	int err = -ENOMEM;

	memset(ev, 0, sizeof(*ev));
	if (!facts->snap || !facts->snap->finalized)
		return -EINVAL;
	lo = evaluate_reading(facts->snap, false);
	hi = evaluate_reading(facts->snap, true);
	if (!lo || !hi)
		goto out;
	err = run_rules(lo, &safe_iso, &safe);
	if (!err)
		err = run_rules(hi, &worst_iso, &worst);
	if (!err)
		err = pthru_isolation_compute(facts->snap, &ev->iso, GFP_KERNEL);
	if (!err) {
		ev->quirk_hops = safe_iso.quirk_hops;
		err = settle(facts->snap, &safe, &worst, ev);
	}
	if (!err)
		err = unsettled_rules(facts, ev);
	if (!err)
		finding_list_sort(&ev->findings);
out:
	pthru_findings_free(&safe);
	pthru_findings_free(&worst);
	pthru_isolation_free(&safe_iso);
	pthru_isolation_free(&worst_iso);
	if (lo)
		pthru_snapshot_put(lo);
	if (hi)
		pthru_snapshot_put(hi);
	if (err)
		evaluation_free(ev);
	return err;
}

void evaluation_free(struct evaluation *ev)
{
	pthru_isolation_free(&ev->iso);
	finding_list_free(&ev->findings);
	unsettled_list_free(&ev->unsettled);
	memset(ev, 0, sizeof(*ev));
}
