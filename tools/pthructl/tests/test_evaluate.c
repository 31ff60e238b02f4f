// SPDX-License-Identifier: GPL-2.0
/*
 * The rules over facts pthructl gathers itself (evaluate.c): findings
 * that rest on an unknown fact are never reported as findings, and each
 * such case is listed with the facts it lacks; with every fact known, the
 * evaluation is the module's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include <core/pciaddr.h>

#include "../evaluate.h"
#include "../local_view.h"
#include "unit.h"

/* A function of a test host: where it sits and what it is. */
struct fn {
	const char *addr;
	const char *up;		/* upstream bridge, or NULL */
	u8 type;		/* PCIe Device/Port Type */
	s32 group;		/* PTHRU_NO_GROUP for none */
	u16 acs_ctrl;		/* with an ACS capability when not 0 */
	const char *driver;
	u8 unknown;
};

#define PT_RP	4
#define PT_EP	0

static u32 addr_of(const char *s)
{
	u32 addr = 0;

	CHECK(!pthru_pciaddr_parse(s, &addr));
	return addr;
}

/* Build facts: groups DMA-FQ, MSIs isolated unless @msi_unknown. */
static void build(struct facts *facts, const struct fn *fns, size_t n,
		  enum pthru_domain_type domain, bool msi_unknown)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct pthru_group *group;
	size_t i;

	memset(facts, 0, sizeof(*facts));
	strcpy(snap->iommu_driver, "intel-vtd");
	snap->iommu_units = 1;
	snap->unsafe_interrupts = PTHRU_TRISTATE_NO;
	for (i = 0; i < n; i++) {
		struct pthru_dev *dev = pthru_snapshot_add_dev(snap,
						addr_of(fns[i].addr), GFP_KERNEL);

		dev->class = fns[i].type == PT_RP ? 0x060400 : 0x020000;
		dev->vendor = 0x8086;
		dev->is_pcie = true;
		dev->pcie_type = fns[i].type;
		dev->group_id = fns[i].group;
		dev->unknown = fns[i].unknown;
		if (fns[i].acs_ctrl) {
			dev->acs_pos = 0x100;
			dev->acs_cap = 0x001f;
			dev->acs_ctrl = fns[i].acs_ctrl;
			dev->acs_ctrl_baseline = fns[i].acs_ctrl;
		}
		if (fns[i].driver)
			strcpy(dev->driver, fns[i].driver);
		if (fns[i].up) {
			dev->has_upstream = true;
			dev->upstream_addr = addr_of(fns[i].up);
		}
		if (fns[i].group == PTHRU_NO_GROUP ||
		    pthru_snapshot_find_group(snap, fns[i].group))
			continue;
		group = pthru_snapshot_add_group(snap, fns[i].group, GFP_KERNEL);
		group->domain_type = domain;
		group->isolated_msi = msi_unknown ? PTHRU_TRISTATE_UNKNOWN :
						    PTHRU_TRISTATE_YES;
	}
	CHECK_INT(pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	facts->snap = snap;
}

static const struct unsettled *find_unsettled(const struct evaluation *ev,
					      u32 id, const char *addr)
{
	size_t i;

	for (i = 0; i < ev->unsettled.n; i++) {
		const struct unsettled *u = &ev->unsettled.items[i];

		if (u->f.id != id)
			continue;
		if (!addr || (finding_has(&u->f, PTHRU_A_FINDING_ADDR) &&
			      !strcmp(u->f.addr, addr)))
			return u;
	}
	return NULL;
}

static size_t count_findings(const struct evaluation *ev, u32 id)
{
	size_t i, n = 0;

	for (i = 0; i < ev->findings.n; i++)
		n += ev->findings.items[i].id == id;
	return n;
}

/* A root port with ACS, an endpoint below it; lazy invalidation. */
static const struct fn port_and_nic[] = {
	{ "0000:00:1c.0", NULL, PT_RP, 1, 0x001d, "pcieport", 0 },
	{ "0000:01:00.0", "0000:00:1c.0", PT_EP, 2, 0, "e1000e", 0 },
};

/* With every fact known: the module's own findings, nothing unsettled. */
static void test_evaluate_known(void)
{
	struct pthru_findings direct = {};
	struct pthru_isolation iso = {};
	struct evaluation ev;
	struct facts facts;

	build(&facts, port_and_nic, ARRAY_SIZE(port_and_nic),
	      PTHRU_DOMAIN_TYPE_DMA_FQ, false);
	CHECK_INT(evaluate_facts(&facts, &ev), 0);
	CHECK_INT(pthru_isolation_compute(facts.snap, &iso, GFP_KERNEL), 0);
	CHECK_INT(pthru_hazards_evaluate(facts.snap, &iso, &direct, GFP_KERNEL), 0);
	CHECK_INT(ev.findings.n, direct.nr);
	CHECK_INT(ev.unsettled.n, 0);
	pthru_findings_free(&direct);
	pthru_isolation_free(&iso);
	evaluation_free(&ev);
	facts_free(&facts);
}

/*
 * The endpoint's untrusted flag unknown: under DMA-FQ, lazy invalidation
 * is a finding only if it is untrusted, so it is possible, not raised.
 */
static void test_evaluate_untrusted_unknown(void)
{
	struct fn fns[ARRAY_SIZE(port_and_nic)];
	const struct unsettled *u;
	struct evaluation ev;
	struct facts facts;

	memcpy(fns, port_and_nic, sizeof(fns));
	fns[1].unknown = PTHRU_DEV_UNKNOWN_UNTRUSTED | PTHRU_DEV_UNKNOWN_EXTERNAL;
	build(&facts, fns, ARRAY_SIZE(fns), PTHRU_DOMAIN_TYPE_DMA_FQ, false);
	CHECK_INT(evaluate_facts(&facts, &ev), 0);
	CHECK_INT(count_findings(&ev, PTHRU_HAZARD_ID_LAZY_INVALIDATION), 0);
	u = find_unsettled(&ev, PTHRU_HAZARD_ID_LAZY_INVALIDATION,
			   "0000:01:00.0");
	CHECK(u != NULL);
	if (u) {
		CHECK(u->possible);
		CHECK(strstr(u->why, "whether 0000:01:00.0 is untrusted or external-facing") != NULL);
		CHECK(u->f.message[0] != '\0');
	}
	/* The same host with a translated strict domain: nothing to settle. */
	evaluation_free(&ev);
	facts_free(&facts);
	build(&facts, fns, ARRAY_SIZE(fns), PTHRU_DOMAIN_TYPE_DMA, false);
	CHECK_INT(evaluate_facts(&facts, &ev), 0);
	CHECK(find_unsettled(&ev, PTHRU_HAZARD_ID_LAZY_INVALIDATION, NULL) == NULL);
	CHECK(find_unsettled(&ev, PTHRU_HAZARD_ID_IDENTITY_DOMAIN, NULL) == NULL);
	evaluation_free(&ev);
	facts_free(&facts);
}

/* No group's MSI isolation is known: no-isolated-msi is only possible. */
static void test_evaluate_msi_unknown(void)
{
	const struct unsettled *u;
	struct evaluation ev;
	struct facts facts;

	build(&facts, port_and_nic, ARRAY_SIZE(port_and_nic),
	      PTHRU_DOMAIN_TYPE_DMA, true);
	CHECK_INT(facts.snap->intr_remap, PTHRU_TRISTATE_UNKNOWN);
	CHECK_INT(evaluate_facts(&facts, &ev), 0);
	CHECK_INT(count_findings(&ev, PTHRU_HAZARD_ID_NO_ISOLATED_MSI), 0);
	u = find_unsettled(&ev, PTHRU_HAZARD_ID_NO_ISOLATED_MSI, NULL);
	CHECK(u && u->possible && u->decisive);
	CHECK(u && strstr(u->why, "sysfs does not show interrupt remapping"));
	evaluation_free(&ev);
	facts_free(&facts);
}

/*
 * Config space unread (no root): the port's ACS reads as absent, which
 * would raise acs-missing; no such finding, and every rule over the
 * capabilities is listed as not judged, with the count.
 */
static void test_evaluate_config_unread(void)
{
	struct fn fns[ARRAY_SIZE(port_and_nic)];
	const struct unsettled *u;
	struct dev_view view;
	struct evaluation ev;
	struct facts facts;

	memcpy(fns, port_and_nic, sizeof(fns));
	fns[0].acs_ctrl = 0;
	fns[0].unknown = PTHRU_DEV_UNKNOWN_CONFIG;
	fns[1].unknown = PTHRU_DEV_UNKNOWN_CONFIG;
	build(&facts, fns, ARRAY_SIZE(fns), PTHRU_DOMAIN_TYPE_DMA, false);
	CHECK_INT(evaluate_facts(&facts, &ev), 0);
	CHECK_INT(count_findings(&ev, PTHRU_HAZARD_ID_ACS_MISSING), 0);
	CHECK_INT(count_findings(&ev, PTHRU_HAZARD_ID_GROUP_NARROWER), 0);
	u = find_unsettled(&ev, PTHRU_HAZARD_ID_ACS_MISSING, NULL);
	CHECK(u && !u->possible && u->decisive);
	CHECK(u && strstr(u->why, "the config space of 2 of 2 functions could not be read"));
	CHECK(find_unsettled(&ev, PTHRU_HAZARD_ID_ATS_EXPOSED, NULL) != NULL);

	/* The view leaves out what could not be read: "-" and null. */
	CHECK_INT(local_dev_view(facts.snap, &ev.iso, &facts.snap->devs[0],
				 &view), 0);
	CHECK_STR(view.addr, "0000:00:1c.0");
	CHECK(!dev_has(&view, PTHRU_A_DEV_ACS_CTRL));
	CHECK(!dev_has(&view, PTHRU_A_DEV_PCIE_TYPE));
	CHECK(!dev_has(&view, PTHRU_A_DEV_REACH_COUNT));
	CHECK(dev_has(&view, PTHRU_A_DEV_UNTRUSTED));
	evaluation_free(&ev);
	facts_free(&facts);
}

/* A group VFIO owns: its domain is unknown, the domain rules not judged. */
static void test_evaluate_domain_unknown(void)
{
	struct fn fns[ARRAY_SIZE(port_and_nic)];
	const struct unsettled *u;
	struct evaluation ev;
	struct facts facts;

	memcpy(fns, port_and_nic, sizeof(fns));
	fns[1].driver = "vfio-pci";
	build(&facts, fns, ARRAY_SIZE(fns), PTHRU_DOMAIN_TYPE_UNKNOWN, false);
	CHECK_INT(evaluate_facts(&facts, &ev), 0);
	u = find_unsettled(&ev, PTHRU_HAZARD_ID_IDENTITY_DOMAIN, NULL);
	CHECK(u && !u->possible && u->decisive);
	CHECK(u && finding_has(&u->f, PTHRU_A_FINDING_GROUP_ID));
	CHECK(u && strstr(u->why, "/sys/kernel/iommu_groups/"));
	CHECK(find_unsettled(&ev, PTHRU_HAZARD_ID_LAZY_INVALIDATION, NULL) != NULL);
	evaluation_free(&ev);
	facts_free(&facts);
}

/* No ACS history, no shadow: the rules that need them are not judged. */
static void test_evaluate_history(void)
{
	struct fn fns[ARRAY_SIZE(port_and_nic)];
	const struct unsettled *u;
	struct evaluation ev;
	struct facts facts;

	memcpy(fns, port_and_nic, sizeof(fns));
	fns[0].unknown = PTHRU_DEV_UNKNOWN_ACS_BASELINE;
	build(&facts, fns, ARRAY_SIZE(fns), PTHRU_DOMAIN_TYPE_DMA, false);
	facts.snap->unknown = PTHRU_SNAP_UNKNOWN_MAPPINGS;
	CHECK_INT(evaluate_facts(&facts, &ev), 0);
	u = find_unsettled(&ev, PTHRU_HAZARD_ID_ACS_CHANGED, NULL);
	CHECK(u && !u->decisive && strstr(u->why, "snapshot diff"));
	u = find_unsettled(&ev, PTHRU_HAZARD_ID_STALE_TRANSLATION, NULL);
	CHECK(u && !u->decisive && strstr(u->why, "shadow"));
	evaluation_free(&ev);
	facts_free(&facts);
}

/* The row of @name in usage.rst's table of sources, or NULL. */
static const char *table_row(const char *doc, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\n``%s`` ", name);
	p = strstr(doc, key);
	return p ? p + 1 : NULL;
}

/*
 * Documentation/usage.rst's table of what each source can establish
 * names every rule a source without the module can leave not
 * established, and does not say "yes" for it in both sysfs columns.
 */
static void test_evaluate_doc_table(void)
{
	const char *start, *sep, *row;
	char *doc = NULL, line[160];
	size_t len = 0, col3, col4, n;
	FILE *f = fopen("../../../Documentation/usage.rst", "r");
	u32 id;

	CHECK(f != NULL);
	if (!f)
		return;
	n = getdelim(&doc, &len, '\0', f);
	fclose(f);
	CHECK(n > 0);
	start = doc ? strstr(doc, "\nfinding                  module") : NULL;
	CHECK(start != NULL);
	if (!start)
		goto out;
	/* The columns start where the separator line's runs of = do. */
	sep = strchr(start + 1, '\n') + 1;
	col3 = strchr(strchr(sep, ' ') + 1, ' ') + 1 - sep;
	col4 = strchr(sep + col3, ' ') + 1 - sep;
	for (id = PTHRU_HAZARD_ID_IOMMU_ABSENT;
	     id <= PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN; id++) {
		const char *name = pthru_hazard_name(id);

		if (!evaluate_rule_may_be_unsettled(id))
			continue;
		row = table_row(start, name);
		if (!row && strstr(start, "\nthe mapping rules ") &&
		    strstr(start, "The mapping rules are") &&
		    strstr(strstr(start, "The mapping rules are"), name))
			row = strstr(start, "\nthe mapping rules ") + 1;
		snprintf(line, sizeof(line), "usage.rst's table has %s", name);
		unit_check(row != NULL, __FILE__, __LINE__, line);
		if (!row)
			continue;
		snprintf(line, sizeof(line),
			 "usage.rst's table does not say yes, yes for %s", name);
		unit_check(strncmp(row + col3, "yes ", 4) ||
			   strncmp(row + col4, "yes\n", 4), __FILE__, __LINE__,
			   line);
	}
out:
	free(doc);
}

void test_evaluate(void)
{
	test_evaluate_known();
	test_evaluate_untrusted_unknown();
	test_evaluate_msi_unknown();
	test_evaluate_config_unread();
	test_evaluate_domain_unknown();
	test_evaluate_history();
	test_evaluate_doc_table();
}
