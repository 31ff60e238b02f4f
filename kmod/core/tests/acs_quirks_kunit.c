// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the kernel's device-specific ACS quirks: every kind of
 * quirk judged as pci_dev_specific_acs_enabled() judges it, the choice of
 * the kernel's table, and what reachability and the hazard rules make of
 * a hop a quirk decides.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../acs_quirks.h"
#include "../hazard.h"
#include "../reach.h"
#include "topo.h"

#define KV(a, b, c)	(((a) << 16) + ((b) << 8) + (c))
#define PT_RC_END	9

#define V_INTEL		0x8086
#define V_ATI		0x1002
#define V_CAVIUM	0x177d
#define V_ZHAOXIN	0x1d17
#define V_AMAZON_AL	0x1c36

#define PORT	PTHRU_ACS_PORT_FLAGS
#define FUNC	PTHRU_ACS_FUNC_FLAGS

static struct pthru_dev mkdev(u16 vendor, u16 device, u8 type, bool mf)
{
	struct pthru_dev dev;

	pthru_dev_init(&dev, 0);
	dev.vendor = vendor;
	dev.device = device;
	dev.is_pcie = type != PT_LEGACY;
	dev.pcie_type = type == PT_LEGACY ? 0 : type;
	dev.multifunction = mf;
	return dev;
}

static const char *fn_of(const struct pthru_acs_quirk_verdict *v)
{
	return pthru_acs_quirk_fn_name(v->entry->fn);
}

/* The table itself: well formed and in both kernels' order. */
static void quirks_table_shape(struct kunit *test)
{
	u32 i, k;

	KUNIT_EXPECT_EQ(test, pthru_acs_quirk_table_len, 132u);
	for (i = 0; i < pthru_acs_quirk_table_len; i++) {
		const struct pthru_acs_quirk *q = &pthru_acs_quirk_table[i];

		KUNIT_EXPECT_LT(test, q->fn, PTHRU_ACS_QUIRK_NR_FNS);
		KUNIT_EXPECT_STRNEQ(test, pthru_acs_quirk_fn_name(q->fn),
				    "unknown");
		for (k = 0; k < PTHRU_ACS_QUIRK_NR_KERNELS; k++) {
			KUNIT_EXPECT_NE(test, q->line[k], 0);
			if (i)
				KUNIT_EXPECT_GT(test, q->line[k],
						pthru_acs_quirk_table[i - 1].line[k]);
		}
	}
	KUNIT_EXPECT_STREQ(test, pthru_acs_quirk_fn_name(PTHRU_ACS_QUIRK_NR_FNS),
			   "unknown");

	/* The vendor list: sorted, and exactly the table's vendors. */
	for (k = 0; k < pthru_acs_quirk_vendors_len; k++) {
		bool used = false;

		if (k)
			KUNIT_EXPECT_GT(test, pthru_acs_quirk_vendors[k],
					pthru_acs_quirk_vendors[k - 1]);
		for (i = 0; i < pthru_acs_quirk_table_len; i++)
			used |= pthru_acs_quirk_table[i].vendor ==
				pthru_acs_quirk_vendors[k];
		KUNIT_EXPECT_TRUE_MSG(test, used, "vendor %04x in no line",
				      pthru_acs_quirk_vendors[k]);
	}
	for (i = 0; i < pthru_acs_quirk_table_len; i++) {
		bool listed = false;

		KUNIT_EXPECT_NE(test, pthru_acs_quirk_table[i].vendor,
				PTHRU_ACS_QUIRK_ANY_ID);
		for (k = 0; k < pthru_acs_quirk_vendors_len; k++)
			listed |= pthru_acs_quirk_table[i].vendor ==
				  pthru_acs_quirk_vendors[k];
		KUNIT_EXPECT_TRUE_MSG(test, listed, "line %u: vendor %04x not listed",
				      i, pthru_acs_quirk_table[i].vendor);
	}
}

/* Multifunction endpoint: asserts SV TB RR CR UF DT, never EC. */
static void quirks_mf_endpoint(struct kunit *test)
{
	struct pthru_snapshot snap = { .kernel_version = KV(6, 12, 118) };
	struct pthru_dev dev = mkdev(V_INTEL, 0x10c9, PT_EP, true); /* 82576 */
	struct pthru_acs_quirk_verdict v;

	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_mf_endpoint_acs");
	KUNIT_EXPECT_EQ(test, v.kernel, PTHRU_ACS_QUIRK_KERNEL_6_12);
	KUNIT_EXPECT_EQ(test, v.entry->line[v.kernel], 5113);
	/* The kernel asks SV RR CR UF of functions: the same answer. */
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	/* A flag outside what it asserts: decided, not enabled. */
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev,
						     FUNC | PTHRU_ACS_EC, &v));
	KUNIT_EXPECT_FALSE(test, v.enabled);
	/* Registers do not matter: the quirk answers first. */
	dev.acs_pos = 0x100;
	dev.acs_cap = ACS_ALL;
	dev.acs_ctrl = 0;
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	/* Another Intel endpoint: no line answers (rciep/pch/spt all pass). */
	dev = mkdev(V_INTEL, 0x1533, PT_EP, true);
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	KUNIT_EXPECT_NULL(test, v.entry);
}

/* { INTEL, PCI_ANY_ID, pci_quirk_rciep_acs }: RCiEPs only. */
static void quirks_rciep_any_id(struct kunit *test)
{
	struct pthru_snapshot snap = { 0 };
	struct pthru_dev dev = mkdev(V_INTEL, 0x1234, PT_RC_END, true);
	struct pthru_acs_quirk_verdict v;

	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_rciep_acs");
	KUNIT_EXPECT_EQ(test, v.kernel, PTHRU_ACS_QUIRK_KERNEL_6_1);
	/* Conventional PCI reads type 0: no match. */
	dev = mkdev(V_INTEL, 0x1234, PT_LEGACY, true);
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	/* Another vendor's RCiEP: no match. */
	dev = mkdev(0x1234, 0x1234, PT_RC_END, true);
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
}

/* Intel PCH root ports: enabled only when the kernel enabled them. */
static void quirks_intel_pch(struct kunit *test)
{
	struct pthru_snapshot snap = { .kernel_version = KV(6, 12, 0) };
	struct pthru_dev dev = mkdev(V_INTEL, 0x1c10, PT_RP, true);
	struct pthru_acs_quirk_verdict v;
	char buf[96];

	dev.acs_quirk_enabled = true;
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_intel_pch_acs");
	KUNIT_EXPECT_EQ(test, v.asserted, PORT);
	pthru_acs_quirk_describe(&dev, &v, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "PCH ACS enabled by kernel");

	dev.acs_quirk_enabled = false;
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_FALSE(test, v.enabled);
	KUNIT_EXPECT_EQ(test, v.asserted, 0);
	KUNIT_EXPECT_EQ(test, v.asked & ~v.asserted, PORT);
	pthru_acs_quirk_describe(&dev, &v, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "PCH ACS not enabled by kernel");

	/* Same ID, not a root port: the match filters it out. */
	dev = mkdev(V_INTEL, 0x1c10, PT_EP, true);
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	/* A PCH ID not in the list (0x1d11 between Patsburg's even IDs). */
	dev = mkdev(V_INTEL, 0x1d11, PT_RP, true);
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
}

/* Sunrise Point: ACS control is the dword at +8, not the word at +6. */
static void quirks_intel_spt(struct kunit *test)
{
	struct pthru_snapshot snap = { .kernel_version = KV(6, 12, 118) };
	struct pthru_dev dev = mkdev(V_INTEL, 0xa110, PT_RP, true);
	struct pthru_acs_quirk_verdict v;
	char buf[96];

	dev.acs_pos = 0x140;
	dev.acs_cap = ACS_ALL;
	dev.acs_ctrl = 0;		/* the word at +6: not the control */
	dev.acs_alt_read = true;
	dev.acs_alt_ctrl = 0x1d;	/* SV RR CR UF */
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_intel_spt_pch_acs");
	KUNIT_EXPECT_EQ(test, pthru_acs_quirk_ctrl(&dev, &v), 0x1d);
	pthru_acs_quirk_describe(&dev, &v, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "cap 001f ctl@+8 0000001d");

	/* The standard word enabled, the dword not: not enabled. */
	dev.acs_ctrl = 0x1d;
	dev.acs_alt_ctrl = 0x0100001c;	/* SV off; high word ignored */
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_FALSE(test, v.enabled);
	KUNIT_EXPECT_EQ(test, v.asked & ~v.asserted, PTHRU_ACS_SV);

	/* Masked by the capability, as pci_acs_flags_enabled(). */
	dev.acs_cap = PTHRU_ACS_RR | PTHRU_ACS_CR;
	dev.acs_alt_ctrl = PTHRU_ACS_RR | PTHRU_ACS_CR;
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	KUNIT_EXPECT_EQ(test, v.asked, PTHRU_ACS_RR | PTHRU_ACS_CR);

	/* Not read by the glue: decided, not enabled, and said so. */
	dev.acs_alt_read = false;
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_FALSE(test, v.enabled);
	KUNIT_EXPECT_TRUE(test, v.unread);

	/* Without an ACS capability the kernel's quirk says -ENOTTY. */
	dev.acs_pos = 0;
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	/* A root port outside the ranges. */
	dev = mkdev(V_INTEL, 0xa120, PT_RP, true);
	dev.acs_pos = 0x140;
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
}

/* AMD southbridge: multifunction, root bus, and only with IVRS. */
static void quirks_amd_sb_ivrs(struct kunit *test)
{
	struct pthru_snapshot snap = { .acpi_ivrs = true };
	struct pthru_dev dev = mkdev(V_ATI, 0x4385, PT_LEGACY, true);
	struct pthru_acs_quirk_verdict v;

	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_amd_sb_acs");
	/* SV and UF filtered out as not applicable to multifunction. */
	KUNIT_EXPECT_EQ(test, v.asked, PTHRU_ACS_RR | PTHRU_ACS_CR);
	KUNIT_EXPECT_EQ(test, v.entry->line[v.kernel], 4952);
	/* DT stays asked and is not asserted. */
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev,
						     FUNC | PTHRU_ACS_DT, &v));
	KUNIT_EXPECT_FALSE(test, v.enabled);

	snap.acpi_ivrs = false;
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	snap.acpi_ivrs = true;
	dev.has_upstream = true;
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	dev.has_upstream = false;
	dev.multifunction = false;
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
}

/* Zhaoxin ports: listed IDs assert, other ports are declared open. */
static void quirks_zhaoxin_unlisted(struct kunit *test)
{
	struct pthru_snapshot snap = { 0 };
	struct pthru_dev dev = mkdev(V_ZHAOXIN, 0x0715, PT_DSP, false);
	struct pthru_acs_quirk_verdict v;
	char buf[96];

	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_zhaoxin_pcie_ports_acs");

	/* "return false": a decision even with ACS enabled in registers. */
	dev.device = 0x0799;
	dev.acs_pos = 0x100;
	dev.acs_cap = ACS_ALL;
	dev.acs_ctrl = ACS_ON;
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_FALSE(test, v.enabled);
	KUNIT_EXPECT_TRUE(test, v.unlisted);
	pthru_acs_quirk_describe(&dev, &v, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "id 0799 unlisted");

	/* Zhaoxin multifunction endpoint lines follow their own rule. */
	dev = mkdev(V_ZHAOXIN, 0x3038, PT_EP, true);
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_mf_endpoint_acs");
	dev.device = 0x3039;
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
}

/* A line whose function passes lets later lines answer, in order. */
static void quirks_table_order(struct kunit *test)
{
	struct pthru_snapshot snap = { 0 };
	struct pthru_dev dev = mkdev(V_CAVIUM, 0xa026, PT_EP, true);
	struct pthru_acs_quirk_verdict v;

	/* { CAVIUM, ANY, cavium } passes a non-root-port: mf_endpoint. */
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, FUNC, &v));
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_mf_endpoint_acs");
	/* A ThunderX1 root port in the range answers for itself. */
	dev = mkdev(V_CAVIUM, 0xa123, PT_RP, false);
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_cavium_acs");
	KUNIT_EXPECT_TRUE(test, v.enabled);
	/* Annapurna Labs: root ports only, by type. */
	dev = mkdev(V_AMAZON_AL, 0x0031, PT_RP, false);
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_STREQ(test, fn_of(&v), "pci_quirk_al_acs");
	KUNIT_EXPECT_TRUE(test, v.enabled);
	dev.pcie_type = PT_DSP;
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
}

/* The host's kernel picks the table; a line missing there never answers. */
static void quirks_kernel_selection(struct kunit *test)
{
	static const struct pthru_acs_quirk only_612[] = {
		{ .vendor = 0x1234, .device = 0x5678,
		  .fn = PTHRU_ACS_QUIRK_BRCM, .line = { 0, 4242 } },
		{ .vendor = 0x1234, .device = PTHRU_ACS_QUIRK_ANY_ID,
		  .fn = PTHRU_ACS_QUIRK_WANGXUN_NIC, .line = { 4100, 0 } },
	};
	struct pthru_snapshot snap = { 0 };
	struct pthru_dev dev = mkdev(0x1234, 0x5678, PT_RP, false);
	struct pthru_acs_quirk_verdict v;

	KUNIT_EXPECT_EQ(test, pthru_acs_quirk_kernel(0),
			PTHRU_ACS_QUIRK_KERNEL_6_1);
	KUNIT_EXPECT_EQ(test, pthru_acs_quirk_kernel(KV(6, 1, 255)),
			PTHRU_ACS_QUIRK_KERNEL_6_1);
	KUNIT_EXPECT_EQ(test, pthru_acs_quirk_kernel(KV(6, 11, 9)),
			PTHRU_ACS_QUIRK_KERNEL_6_1);
	KUNIT_EXPECT_EQ(test, pthru_acs_quirk_kernel(KV(6, 12, 0)),
			PTHRU_ACS_QUIRK_KERNEL_6_12);
	KUNIT_EXPECT_EQ(test, pthru_acs_quirk_kernel(KV(6, 16, 1)),
			PTHRU_ACS_QUIRK_KERNEL_6_12);
	KUNIT_EXPECT_STREQ(test, pthru_acs_quirk_kernel_name(PTHRU_ACS_QUIRK_KERNEL_6_12),
			   "6.12");

	/* 6.12: the brcm line asserts isolation. */
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval_table(only_612, 2,
		PTHRU_ACS_QUIRK_KERNEL_6_12, &snap, &dev, PORT, &v));
	KUNIT_EXPECT_TRUE(test, v.enabled);
	KUNIT_EXPECT_EQ(test, v.entry->line[v.kernel], 4242);
	/* 6.1: only the wangxun-style line, which declares it open. */
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval_table(only_612, 2,
		PTHRU_ACS_QUIRK_KERNEL_6_1, &snap, &dev, PORT, &v));
	KUNIT_EXPECT_FALSE(test, v.enabled);
	KUNIT_EXPECT_EQ(test, v.entry->line[v.kernel], 4100);
	/* 6.1 with only the 6.12 line: registers decide. */
	KUNIT_EXPECT_FALSE(test, pthru_acs_quirk_eval_table(only_612, 1,
		PTHRU_ACS_QUIRK_KERNEL_6_1, &snap, &dev, PORT, &v));
	KUNIT_EXPECT_NULL(test, v.entry);

	/* The real table: same entry, the line of each kernel. */
	dev = mkdev(V_INTEL, 0x1c10, PT_RP, true);
	dev.acs_quirk_enabled = true;
	snap.kernel_version = KV(6, 1, 192);
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_EQ(test, v.entry->line[v.kernel], 5030);
	snap.kernel_version = KV(6, 12, 118);
	KUNIT_ASSERT_TRUE(test, pthru_acs_quirk_eval(&snap, &dev, PORT, &v));
	KUNIT_EXPECT_EQ(test, v.entry->line[v.kernel], 5151);
}

/* --- reachability and findings ---------------------------------------- */

struct quirk_case {
	struct pthru_snapshot *snap;
	struct pthru_isolation iso;
	struct pthru_findings set;
};

static void evaluate(struct kunit *test, struct quirk_case *qc)
{
	qc->snap->iommu_present = true;
	qc->snap->intr_remap = PTHRU_TRISTATE_YES;
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(qc->snap, &qc->iso,
						      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pthru_hazards_evaluate(qc->snap, &qc->iso,
						     &qc->set, GFP_KERNEL), 0);
}

static void release(struct quirk_case *qc)
{
	pthru_findings_free(&qc->set);
	pthru_isolation_free(&qc->iso);
	pthru_snapshot_put(qc->snap);
}

static struct pthru_dev *dev_at(struct kunit *test, struct quirk_case *qc,
				const char *addr)
{
	return &qc->snap->devs[topo_idx(test, qc->snap, addr)];
}

static const struct pthru_finding *finding(struct kunit *test,
					   struct quirk_case *qc,
					   enum pthru_hazard_id id,
					   const char *addr)
{
	u32 i, want = topo_addr(test, addr);

	for (i = 0; i < qc->set.nr; i++)
		if (qc->set.items[i].id == id && qc->set.items[i].has_addr &&
		    qc->set.items[i].addr == want)
			return &qc->set.items[i];
	return NULL;
}

static int count_id(struct quirk_case *qc, enum pthru_hazard_id id)
{
	int n = 0;
	u32 i;

	for (i = 0; i < qc->set.nr; i++)
		n += qc->set.items[i].id == id;
	return n;
}

static void expect_in(struct kunit *test, const char *msg, const char *part)
{
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(msg, part), "\"%s\" not in \"%s\"",
				  part, msg);
	/* Nothing cut off: the whole message fits. */
	KUNIT_EXPECT_LT(test, strlen(msg), (size_t)PTHRU_FINDING_MSG_LEN - 1);
}

/*
 *   00:1c.0 RP Intel PCH 1c10 (no ACS) - 02:00.0
 *   00:1c.4 RP Intel PCH 1c18 (no ACS) - 03:00.0
 */
static const struct topo_fn pch_host[] = {
	{ "0000:00:1c.0", NULL, PT_RP, 1, 0, 0, true, "pcieport" },
	{ "0000:00:1c.4", NULL, PT_RP, 2, 0, 0, true, "pcieport" },
	{ "0000:02:00.0", "0000:00:1c.0", PT_EP, 3, 0, 0, false, "e1000e" },
	{ "0000:03:00.0", "0000:00:1c.4", PT_EP, 4, 0, 0, false, "nvme" },
};

static struct quirk_case pch_case(struct kunit *test, bool enabled)
{
	struct quirk_case qc = {
		.snap = topo_build(test, pch_host, ARRAY_SIZE(pch_host)),
	};
	struct pthru_dev *rp;

	qc.snap->kernel_version = KV(6, 12, 118);
	rp = dev_at(test, &qc, "0000:00:1c.0");
	rp->vendor = V_INTEL;
	rp->device = 0x1c10;
	rp->acs_quirk_enabled = enabled;
	rp = dev_at(test, &qc, "0000:00:1c.4");
	rp->vendor = V_INTEL;
	rp->device = 0x1c18;
	rp->acs_quirk_enabled = enabled;
	evaluate(test, &qc);
	return qc;
}

static void quirks_pch_root_ports_isolate(struct kunit *test)
{
	struct quirk_case qc = pch_case(test, true);
	const struct pthru_reach *r;
	const struct pthru_finding *f;

	r = &qc.iso.reach[topo_idx(test, qc.snap, "0000:02:00.0")];
	KUNIT_EXPECT_EQ(test, r->reach_count, 0);
	KUNIT_EXPECT_EQ(test, r->open.idx, PTHRU_NO_INDEX);
	KUNIT_EXPECT_EQ(test, count_id(&qc, PTHRU_HAZARD_ID_ACS_MISSING), 0);
	KUNIT_EXPECT_EQ(test, count_id(&qc, PTHRU_HAZARD_ID_ACS_QUIRK), 2);
	KUNIT_EXPECT_EQ(test, qc.iso.quirk_hops, 2);

	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_QUIRK, "0000:02:00.0");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->severity, PTHRU_SEVERITY_INFO);
	KUNIT_EXPECT_EQ(test, f->group_id, 3);
	KUNIT_EXPECT_TRUE(test, f->facts.present & PTHRU_FACT_HOP);
	KUNIT_EXPECT_FALSE(test, f->facts.present & PTHRU_FACT_ACS);
	KUNIT_EXPECT_EQ(test, f->facts.hop,
			topo_addr(test, "0000:00:1c.0"));
	KUNIT_EXPECT_EQ(test, f->facts.hop_kind, PTHRU_HOP_ROOT);
	KUNIT_EXPECT_EQ(test, f->facts.acs_needed, 0);
	KUNIT_EXPECT_STREQ(test, f->message,
			   "0000:02:00.0: root 0000:00:1c.0 isolated by pci_quirk_intel_pch_acs (drivers/pci/quirks.c:5151 in 6.12): PCH ACS enabled by kernel");
	release(&qc);
}

/* The kernel did not enable the PCH's ACS: not isolated, by the quirk. */
static void quirks_pch_not_enabled_is_missing(struct kunit *test)
{
	struct quirk_case qc = pch_case(test, false);
	const struct pthru_reach *r;
	const struct pthru_finding *f;

	r = &qc.iso.reach[topo_idx(test, qc.snap, "0000:02:00.0")];
	KUNIT_EXPECT_EQ(test, r->reach_count, 1);
	KUNIT_EXPECT_FALSE(test, r->open.assumed);
	KUNIT_EXPECT_EQ(test, count_id(&qc, PTHRU_HAZARD_ID_ACS_QUIRK), 0);
	KUNIT_EXPECT_EQ(test, qc.iso.quirk_hops, 0);
	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_MISSING, "0000:02:00.0");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->facts.acs_needed, PORT);
	expect_in(test, f->message,
		  "root 0000:00:1c.0: pci_quirk_intel_pch_acs (quirks.c:5151): PCH ACS not enabled by kernel");
	/* No register flag is claimed off. */
	KUNIT_EXPECT_NULL(test, strstr(f->message, "has ACS flags"));
	release(&qc);
}

/*
 *   00:1c.0 RP Intel SPT a110 (ACS, control at +8) - 02:00.0
 *   00:1d.0 RP (ACS on) - 03:00.0
 */
static const struct topo_fn spt_host[] = {
	{ "0000:00:1c.0", NULL, PT_RP, 1, ACS_ALL, 0, false, "pcieport" },
	{ "0000:00:1d.0", NULL, PT_RP, 2, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:02:00.0", "0000:00:1c.0", PT_EP, 3, 0, 0, false, "e1000e" },
	{ "0000:03:00.0", "0000:00:1d.0", PT_EP, 4, 0, 0, false, "nvme" },
};

static void quirks_spt_alt_ctrl_isolates(struct kunit *test)
{
	struct quirk_case qc = {
		.snap = topo_build(test, spt_host, ARRAY_SIZE(spt_host)),
	};
	const struct pthru_finding *f;
	struct pthru_dev *rp;

	rp = dev_at(test, &qc, "0000:00:1c.0");
	rp->vendor = V_INTEL;
	rp->device = 0xa110;
	rp->acs_alt_read = true;
	rp->acs_alt_ctrl = ACS_ON;
	evaluate(test, &qc);

	KUNIT_EXPECT_EQ(test, qc.iso.reach[topo_idx(test, qc.snap,
						    "0000:02:00.0")].reach_count, 0);
	KUNIT_EXPECT_EQ(test, count_id(&qc, PTHRU_HAZARD_ID_ACS_MISSING), 0);
	KUNIT_EXPECT_EQ(test, qc.iso.quirk_hops, 1);
	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_QUIRK, "0000:02:00.0");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_TRUE(test, f->facts.present & PTHRU_FACT_ACS);
	KUNIT_EXPECT_EQ(test, f->facts.acs_pos, 0x100);
	KUNIT_EXPECT_EQ(test, f->facts.acs_ctrl, ACS_ON);
	expect_in(test, f->message,
		  "root 0000:00:1c.0 isolated by pci_quirk_intel_spt_pch_acs (drivers/pci/quirks.c:5031 in 6.1): cap 001f ctl@+8 0000001d");
	KUNIT_EXPECT_NULL(test, finding(test, &qc, PTHRU_HAZARD_ID_ACS_QUIRK,
					"0000:03:00.0"));
	release(&qc);

	/* Without the quirk the word at +6 (0) would be judged: missing. */
	qc = (struct quirk_case){
		.snap = topo_build(test, spt_host, ARRAY_SIZE(spt_host)),
	};
	evaluate(test, &qc);
	KUNIT_EXPECT_EQ(test, count_id(&qc, PTHRU_HAZARD_ID_ACS_MISSING), 1);
	KUNIT_EXPECT_EQ(test, qc.iso.quirk_hops, 0);
	release(&qc);
}

/*
 * An 82576's two functions with ACS off in the registers: the vendor's
 * word isolates them.  Two functions, two quirk hops.
 */
static const struct topo_fn mf_host[] = {
	{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:01:00.0", "0000:00:02.0", PT_EP, 2, ACS_ALL, 0, true, "igb" },
	{ "0000:01:00.1", "0000:00:02.0", PT_EP, 3, ACS_ALL, 0, true, "vfio-pci" },
};

static void quirks_mf_endpoint_functions(struct kunit *test)
{
	struct quirk_case qc = {
		.snap = topo_build(test, mf_host, ARRAY_SIZE(mf_host)),
	};
	const struct pthru_finding *f;

	dev_at(test, &qc, "0000:01:00.0")->vendor = V_INTEL;
	dev_at(test, &qc, "0000:01:00.0")->device = 0x10c9;
	dev_at(test, &qc, "0000:01:00.1")->vendor = V_INTEL;
	dev_at(test, &qc, "0000:01:00.1")->device = 0x10c9;
	evaluate(test, &qc);

	KUNIT_EXPECT_EQ(test, count_id(&qc, PTHRU_HAZARD_ID_ACS_MISSING), 0);
	KUNIT_EXPECT_EQ(test, count_id(&qc, PTHRU_HAZARD_ID_GROUP_NARROWER), 0);
	KUNIT_EXPECT_EQ(test, qc.iso.quirk_hops, 2);
	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_QUIRK, "0000:01:00.1");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->facts.hop_kind, PTHRU_HOP_FUNCTION);
	expect_in(test, f->message,
		  "0000:01:00.1: function 0000:01:00.1 isolated by pci_quirk_mf_endpoint_acs (drivers/pci/quirks.c:4992 in 6.1): cap 001f ctl 0000 unused; asserts SV TB RR CR UF DT");
	release(&qc);

	/* Below a PCH root port as well: two quirk hops on one path. */
	qc = (struct quirk_case){
		.snap = topo_build(test, mf_host, ARRAY_SIZE(mf_host)),
	};
	qc.snap->kernel_version = KV(6, 12, 118);
	dev_at(test, &qc, "0000:00:02.0")->vendor = V_INTEL;
	dev_at(test, &qc, "0000:00:02.0")->device = 0x1c10;
	dev_at(test, &qc, "0000:00:02.0")->acs_quirk_enabled = true;
	dev_at(test, &qc, "0000:01:00.0")->vendor = V_INTEL;
	dev_at(test, &qc, "0000:01:00.0")->device = 0x10c9;
	dev_at(test, &qc, "0000:01:00.1")->vendor = V_INTEL;
	dev_at(test, &qc, "0000:01:00.1")->device = 0x10c9;
	evaluate(test, &qc);
	KUNIT_EXPECT_EQ(test, qc.iso.quirk_hops, 3);
	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_QUIRK, "0000:01:00.1");
	KUNIT_ASSERT_NOT_NULL(test, f);
	/* The nearest quirk hop is the function's own. */
	KUNIT_EXPECT_EQ(test, f->facts.hop_kind, PTHRU_HOP_FUNCTION);
	expect_in(test, f->message,
		  "0000:01:00.1 (2 quirk hops): function 0000:01:00.1 isolated by pci_quirk_mf_endpoint_acs (drivers/pci/quirks.c:5113 in 6.12): cap 001f ctl 0000 unused; asserts SV TB RR CR UF DT");
	release(&qc);
}

/*
 * A Zhaoxin switch whose downstream ports are not in the quirk's list:
 * the kernel declares them open although their registers enable ACS.
 * The PCH root port above isolates by its quirk: one quirk hop, and a
 * function with both findings counts its quirk hop once.
 */
static const struct topo_fn zx_host[] = {
	{ "0000:00:1c.0", NULL, PT_RP, 1, 0, 0, false, "pcieport" },
	{ "0000:01:00.0", "0000:00:1c.0", PT_USP, 1, 0, 0, false, "pcieport" },
	{ "0000:02:00.0", "0000:01:00.0", PT_DSP, 1, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:02:01.0", "0000:01:00.0", PT_DSP, 1, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:03:00.0", "0000:02:00.0", PT_EP, 5, 0, 0, false, "e1000e" },
	{ "0000:04:00.0", "0000:02:01.0", PT_EP, 6, 0, 0, false, "vfio-pci" },
};

static void quirks_zhaoxin_ports_declared_open(struct kunit *test)
{
	struct quirk_case qc = {
		.snap = topo_build(test, zx_host, ARRAY_SIZE(zx_host)),
	};
	const struct pthru_finding *f;
	struct pthru_dev *d;

	d = dev_at(test, &qc, "0000:00:1c.0");
	d->vendor = V_INTEL;
	d->device = 0x8c10;
	d->acs_quirk_enabled = true;
	dev_at(test, &qc, "0000:02:00.0")->vendor = V_ZHAOXIN;
	dev_at(test, &qc, "0000:02:00.0")->device = 0x0799;
	dev_at(test, &qc, "0000:02:01.0")->vendor = V_ZHAOXIN;
	dev_at(test, &qc, "0000:02:01.0")->device = 0x0799;
	evaluate(test, &qc);

	KUNIT_EXPECT_EQ(test, qc.iso.reach[topo_idx(test, qc.snap,
						    "0000:04:00.0")].reach_count, 1);
	KUNIT_EXPECT_EQ(test, qc.iso.quirk_hops, 1);
	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_MISSING, "0000:04:00.0");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->severity, PTHRU_SEVERITY_HIGH);
	KUNIT_EXPECT_EQ(test, f->facts.acs_ctrl, ACS_ON);
	expect_in(test, f->message,
		  "downstream 0000:02:01.0: pci_quirk_zhaoxin_pcie_ports_acs (quirks.c:5112): id 0799 unlisted");
	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_QUIRK, "0000:04:00.0");
	KUNIT_ASSERT_NOT_NULL(test, f);
	expect_in(test, f->message, "root 0000:00:1c.0 isolated by pci_quirk_intel_pch_acs");
	release(&qc);
}

/*
 * What the kernel does with a quirk that says "not isolated": one IOMMU
 * group over both subtrees.  acs-missing is then info, and its longer text
 * still leaves room for the whole quirk clause.
 */
static const struct topo_fn zx_one_group[] = {
	{ "0000:00:1c.0", NULL, PT_RP, 123, 0, 0, false, "pcieport" },
	{ "0000:01:00.0", "0000:00:1c.0", PT_USP, 123, 0, 0, false, "pcieport" },
	{ "0000:02:00.0", "0000:01:00.0", PT_DSP, 123, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:02:01.0", "0000:01:00.0", PT_DSP, 123, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:03:00.0", "0000:02:00.0", PT_EP, 123, 0, 0, false, "e1000e" },
	{ "0000:04:00.0", "0000:02:01.0", PT_EP, 123, ACS_ALL, 0, false, "e1000e" },
};

static void quirks_missing_inside_group_fits(struct kunit *test)
{
	struct quirk_case qc = {
		.snap = topo_build(test, zx_one_group, ARRAY_SIZE(zx_one_group)),
	};
	const struct pthru_finding *f;
	struct pthru_dev *d;

	d = dev_at(test, &qc, "0000:00:1c.0");
	d->vendor = V_INTEL;
	d->device = 0xa110;		/* Sunrise Point, ACS off at +8 */
	d->acs_pos = 0x140;
	d->acs_cap = ACS_ALL;
	d->acs_alt_read = true;
	d->acs_alt_ctrl = 0x0000001c;
	dev_at(test, &qc, "0000:02:01.0")->vendor = V_ZHAOXIN;
	dev_at(test, &qc, "0000:02:01.0")->device = 0x0799;
	evaluate(test, &qc);

	KUNIT_EXPECT_EQ(test, qc.iso.quirk_hops, 0);
	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_MISSING, "0000:04:00.0");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->severity, PTHRU_SEVERITY_INFO);
	expect_in(test, f->message,
		  "own IOMMU group 123 only, so assign the group whole: downstream 0000:02:01.0: pci_quirk_zhaoxin_pcie_ports_acs (quirks.c:5112): id 0799 unlisted");
	/* 03:00.0's first open hop is the Sunrise Point root port. */
	f = finding(test, &qc, PTHRU_HAZARD_ID_ACS_MISSING, "0000:03:00.0");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->facts.acs_ctrl, 0x1c);
	KUNIT_EXPECT_EQ(test, f->facts.acs_needed, PTHRU_ACS_SV);
	expect_in(test, f->message,
		  "root 0000:00:1c.0: pci_quirk_intel_spt_pch_acs (quirks.c:5031): cap 001f ctl@+8 0000001c");
	release(&qc);
}

static struct kunit_case acs_quirks_cases[] = {
	KUNIT_CASE(quirks_table_shape),
	KUNIT_CASE(quirks_mf_endpoint),
	KUNIT_CASE(quirks_rciep_any_id),
	KUNIT_CASE(quirks_intel_pch),
	KUNIT_CASE(quirks_intel_spt),
	KUNIT_CASE(quirks_amd_sb_ivrs),
	KUNIT_CASE(quirks_zhaoxin_unlisted),
	KUNIT_CASE(quirks_table_order),
	KUNIT_CASE(quirks_kernel_selection),
	KUNIT_CASE(quirks_pch_root_ports_isolate),
	KUNIT_CASE(quirks_pch_not_enabled_is_missing),
	KUNIT_CASE(quirks_spt_alt_ctrl_isolates),
	KUNIT_CASE(quirks_mf_endpoint_functions),
	KUNIT_CASE(quirks_zhaoxin_ports_declared_open),
	KUNIT_CASE(quirks_missing_inside_group_fits),
	{}
};

static struct kunit_suite acs_quirks_suite = {
	.name = "pthru_acs_quirks",
	.test_cases = acs_quirks_cases,
};

kunit_test_suites(&acs_quirks_suite);

MODULE_LICENSE("GPL");
