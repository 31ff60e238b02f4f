// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the bind-gate policy engine: rule order, every match
 * field, every requirement met and unmet on a synthetic host, the default
 * action, what a decision names, and policy validation.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "../policy.h"
#include "../reach.h"
#include "topo.h"

/*
 *   00:02.0 RP (ACS on) - 01:00.0 USP - 02:00.0 DSP (no ACS) - 03:00.0
 *                                     \ 02:01.0 DSP (ACS on) - 04:00.0
 *   00:03.0 RP (ACS on) - 05:00.0 / 05:00.1 multifunction, one group
 *   00:04.0 RP (ACS on) - 06:00.0
 *   00:05.0 RP (ACS on) - 07:00.0, outside every IOMMU group
 *
 * 03:00.0 sits behind an open switch port; 04:00.0 is reachable from it,
 * so its own group 4 is narrower than the hardware allows; 06:00.0 is
 * fully isolated.
 */
static const struct topo_fn host[] = {
	{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:00:03.0", NULL, PT_RP, 2, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:00:04.0", NULL, PT_RP, 7, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:00:05.0", NULL, PT_RP, 8, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:01:00.0", "0000:00:02.0", PT_USP, 1, 0, 0, false, "pcieport" },
	{ "0000:02:00.0", "0000:01:00.0", PT_DSP, 3, 0, 0, false, "pcieport" },
	{ "0000:02:01.0", "0000:01:00.0", PT_DSP, 4, ACS_ALL, ACS_ON, false, "pcieport" },
	{ "0000:03:00.0", "0000:02:00.0", PT_EP, 3, 0, 0, false, "e1000e" },
	{ "0000:04:00.0", "0000:02:01.0", PT_EP, 4, 0, 0, false, "e1000e" },
	{ "0000:05:00.0", "0000:00:03.0", PT_EP, 5, 0, 0, true, "e1000e" },
	{ "0000:05:00.1", "0000:00:03.0", PT_EP, 5, 0, 0, true, "e1000e" },
	{ "0000:06:00.0", "0000:00:04.0", PT_EP, 6, 0, 0, false, "nvme" },
	{ "0000:07:00.0", "0000:00:05.0", PT_EP, TOPO_NONE, 0, 0, false, NULL },
};

struct policy_case {
	struct pthru_snapshot *snap;
	struct pthru_isolation iso;
};

static void setup(struct kunit *test, struct policy_case *pc)
{
	pc->snap = topo_build(test, host, ARRAY_SIZE(host));
	pc->snap->iommu_present = true;
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(pc->snap, &pc->iso,
						      GFP_KERNEL), 0);
}

static void release(struct policy_case *pc)
{
	pthru_isolation_free(&pc->iso);
	pthru_snapshot_put(pc->snap);
}

static struct pthru_dev *dev_at(struct kunit *test, struct policy_case *pc,
				const char *addr)
{
	return &pc->snap->devs[topo_idx(test, pc->snap, addr)];
}

static struct pthru_group *group(struct policy_case *pc, s32 id)
{
	return pthru_snapshot_find_group(pc->snap, id);
}

/* The device at @addr about to be bound to vfio-pci. */
static struct pthru_policy_subject subject(struct kunit *test,
					   struct policy_case *pc,
					   const char *addr)
{
	u32 idx = topo_idx(test, pc->snap, addr);

	return (struct pthru_policy_subject) {
		.dev = &pc->snap->devs[idx],
		.dev_idx = idx,
		.target_driver = "vfio-pci",
	};
}

static u32 unmet(struct kunit *test, struct policy_case *pc,
		 const char *addr, u32 reqs)
{
	struct pthru_policy_subject s = subject(test, pc, addr);

	return pthru_policy_unmet(pc->snap, &pc->iso, &s, reqs);
}

static struct pthru_decision decide(struct kunit *test, struct policy_case *pc,
				    const struct pthru_policy *policy,
				    const struct pthru_policy_subject *s)
{
	struct pthru_decision d;

	KUNIT_EXPECT_EQ(test, pthru_policy_validate(policy), 0);
	KUNIT_EXPECT_EQ(test, pthru_policy_decide(policy, pc->snap, &pc->iso,
						  s, &d), 0);
	return d;
}

static void policy_first_match_wins(struct kunit *test)
{
	struct pthru_policy_rule rules[] = {
		{ .id = 5, .label = "other vendor",
		  .match = { .fields = PTHRU_POLICY_MATCH_VENDOR, .vendor = 0x10de },
		  .action = PTHRU_POLICY_ACTION_DENY },
		{ .id = 10, .label = "intel ok",
		  .match = { .fields = PTHRU_POLICY_MATCH_VENDOR, .vendor = 0x8086 },
		  .action = PTHRU_POLICY_ACTION_ALLOW },
		{ .id = 20, .label = "intel no",
		  .match = { .fields = PTHRU_POLICY_MATCH_VENDOR, .vendor = 0x8086 },
		  .action = PTHRU_POLICY_ACTION_DENY },
	};
	struct pthru_policy policy = { .rules = rules, .nr_rules = 3 };
	struct policy_case pc;
	struct pthru_policy_subject s;
	struct pthru_decision d;

	setup(test, &pc);
	dev_at(test, &pc, "0000:06:00.0")->vendor = 0x8086;
	s = subject(test, &pc, "0000:06:00.0");

	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_ALLOW);
	KUNIT_EXPECT_EQ(test, d.rule_id, 10u);
	KUNIT_EXPECT_FALSE(test, d.by_default);

	/* Swap the two Intel rules: the other one decides now. */
	swap(rules[1], rules[2]);
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, d.rule_id, 20u);
	KUNIT_EXPECT_STREQ(test, d.rule_label, "intel no");
	release(&pc);
}

/* Does a single-rule policy with @match pick the subject? */
static bool matches(struct kunit *test, struct policy_case *pc,
		    const struct pthru_policy_match *match,
		    const struct pthru_policy_subject *s)
{
	struct pthru_policy_rule rule = {
		.id = 1, .match = *match, .action = PTHRU_POLICY_ACTION_ALLOW,
	};
	struct pthru_policy policy = { .rules = &rule, .nr_rules = 1 };
	struct pthru_decision d = decide(test, pc, &policy, s);

	KUNIT_EXPECT_EQ(test, pthru_policy_match(match, s), !d.by_default);
	return !d.by_default;
}

static void policy_match_fields(struct kunit *test)
{
	struct pthru_policy_match m;
	struct pthru_policy_subject s;
	struct policy_case pc;
	struct pthru_dev *dev;

	setup(test, &pc);
	dev = dev_at(test, &pc, "0000:06:00.0");
	dev->vendor = 0x144d;
	dev->device = 0xa808;
	dev->subsys_vendor = 0x1028;
	dev->subsys_device = 0x1fe0;
	dev->class = 0x010802;		/* NVMe */
	s = subject(test, &pc, "0000:06:00.0");
	s.slot = "4";
	s.has_dsn = true;
	s.dsn = 0x0011223344556677ULL;

#define EXPECT_MATCH(want, ...) do {					\
		m = (struct pthru_policy_match) { __VA_ARGS__ };	\
		KUNIT_EXPECT_EQ(test, matches(test, &pc, &m, &s), want); \
	} while (0)

	EXPECT_MATCH(true);	/* no field set: matches everything */
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_VENDOR, .vendor = 0x144d);
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_VENDOR, .vendor = 0x8086);
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_DEVICE, .device = 0xa808);
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_DEVICE, .device = 0xa809);
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_SUBSYS_VENDOR,
		     .subsys_vendor = 0x1028);
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_SUBSYS_VENDOR,
		     .subsys_vendor = 0x144d);
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_SUBSYS_DEVICE,
		     .subsys_device = 0x1fe0);
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_SUBSYS_DEVICE,
		     .subsys_device = 0x1fe1);
	/* Class: exact without a mask, base class only with 0xff0000. */
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_CLASS, .class = 0x010802);
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_CLASS, .class = 0x010800);
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_CLASS, .class = 0x010000,
		     .class_mask = 0xff0000);
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_CLASS, .class = 0x010800,
		     .class_mask = 0xffff00);
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_CLASS, .class = 0x020000,
		     .class_mask = 0xff0000);
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_ADDR,
		     .addr = topo_addr(test, "0000:06:00.0"));
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_ADDR,
		     .addr = topo_addr(test, "0001:06:00.0"));
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_SLOT, .slot = "4");
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_SLOT, .slot = "40");
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_DSN,
		     .dsn = 0x0011223344556677ULL);
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_DSN,
		     .dsn = 0x0011223344556676ULL);
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_DRIVER, .driver = "vfio-pci");
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_DRIVER, .driver = "pci-stub");
	/* Every set field must fit. */
	EXPECT_MATCH(true, .fields = PTHRU_POLICY_MATCH_VENDOR |
		     PTHRU_POLICY_MATCH_DRIVER, .vendor = 0x144d, .driver = "vfio-pci");
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_VENDOR |
		     PTHRU_POLICY_MATCH_DRIVER, .vendor = 0x144d, .driver = "pci-stub");

	/* A slot, serial or target driver the device lacks never matches. */
	s.slot = NULL;
	s.has_dsn = false;
	s.target_driver = NULL;
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_SLOT, .slot = "4");
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_DSN,
		     .dsn = 0x0011223344556677ULL);
	EXPECT_MATCH(false, .fields = PTHRU_POLICY_MATCH_DRIVER, .driver = "vfio-pci");
#undef EXPECT_MATCH
	release(&pc);
}

static void policy_req_acs_isolated(struct kunit *test)
{
	struct policy_case pc;

	setup(test, &pc);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_ACS_ISOLATED), 0u);
	/* Behind the open switch port. */
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:03:00.0",
				    PTHRU_POLICY_REQ_ACS_ISOLATED),
			(u32)PTHRU_POLICY_REQ_ACS_ISOLATED);
	/* Its own path isolates, but its group is narrower than the hardware. */
	KUNIT_EXPECT_TRUE(test, pc.iso.reach[topo_idx(test, pc.snap,
						      "0000:04:00.0")].narrower);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:04:00.0",
				    PTHRU_POLICY_REQ_ACS_ISOLATED),
			(u32)PTHRU_POLICY_REQ_ACS_ISOLATED);
	release(&pc);
}

/* Reach inside its own IOMMU group meets acs-isolated; across does not. */
static void policy_req_acs_isolated_inside_group(struct kunit *test)
{
	static const struct topo_fn shared[] = {
		{ "0000:00:04.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:09:00.0", "0000:00:04.0", PT_PCIE_PCI, 2 },
		{ "0000:0a:01.0", "0000:09:00.0", PT_LEGACY, 2 },
		{ "0000:0a:02.0", "0000:09:00.0", PT_LEGACY, 2 },
	};
	struct topo_fn split[ARRAY_SIZE(shared)];
	struct policy_case pc;

	pc.snap = topo_build(test, shared, ARRAY_SIZE(shared));
	pc.snap->iommu_present = true;
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(pc.snap, &pc.iso,
						      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:0a:01.0",
				    PTHRU_POLICY_REQ_ACS_ISOLATED), 0u);
	release(&pc);

	/* The same bus split over two groups: the reach crosses them. */
	memcpy(split, shared, sizeof(split));
	split[3].group = 3;
	pc.snap = topo_build(test, split, ARRAY_SIZE(split));
	pc.snap->iommu_present = true;
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(pc.snap, &pc.iso,
						      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:0a:01.0",
				    PTHRU_POLICY_REQ_ACS_ISOLATED),
			(u32)PTHRU_POLICY_REQ_ACS_ISOLATED);
	release(&pc);
}

/* A path pthru cannot classify never meets acs-isolated. */
static void policy_req_acs_isolated_unclassified(struct kunit *test)
{
	static const struct topo_fn fns[] = {
		{ "0000:00:02.0", NULL, PT_RP, 1, ACS_ALL, ACS_ON },
		{ "0000:01:00.0", "0000:00:02.0", PT_DSP, 1, ACS_ALL, ACS_ON },
		{ "0000:02:00.0", "0000:01:00.0", PT_EP, 2 },
	};
	struct policy_case pc;

	pc.snap = topo_build(test, fns, ARRAY_SIZE(fns));
	pc.snap->iommu_present = true;
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(pc.snap, &pc.iso,
						      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:02:00.0",
				    PTHRU_POLICY_REQ_ACS_ISOLATED), 0u);
	pthru_isolation_free(&pc.iso);
	pc.snap->devs[topo_idx(test, pc.snap, "0000:01:00.0")].pcie_type = 0xa;
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(pc.snap, &pc.iso,
						      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:02:00.0",
				    PTHRU_POLICY_REQ_ACS_ISOLATED),
			(u32)PTHRU_POLICY_REQ_ACS_ISOLATED);
	release(&pc);
}

static void policy_req_domain(struct kunit *test)
{
	static const struct {
		enum pthru_domain_type type;
		bool translated, strict;
	} cases[] = {
		{ PTHRU_DOMAIN_TYPE_DMA,	true,	true },
		{ PTHRU_DOMAIN_TYPE_DMA_FQ,	true,	false },
		{ PTHRU_DOMAIN_TYPE_UNMANAGED,	true,	true },
		{ PTHRU_DOMAIN_TYPE_BLOCKED,	true,	true },
		{ PTHRU_DOMAIN_TYPE_IDENTITY,	false,	true },
		{ PTHRU_DOMAIN_TYPE_NONE,	false,	true },
		{ PTHRU_DOMAIN_TYPE_UNKNOWN,	false,	false },
	};
	struct policy_case pc;
	unsigned int i;

	setup(test, &pc);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 want = 0;

		if (!cases[i].translated)
			want |= PTHRU_POLICY_REQ_TRANSLATED;
		if (!cases[i].strict)
			want |= PTHRU_POLICY_REQ_STRICT_INVALIDATION;
		dev_at(test, &pc, "0000:06:00.0")->domain_type = cases[i].type;
		KUNIT_EXPECT_EQ_MSG(test, unmet(test, &pc, "0000:06:00.0",
						PTHRU_POLICY_REQ_TRANSLATED |
						PTHRU_POLICY_REQ_STRICT_INVALIDATION),
				    want, "domain type %d", cases[i].type);
	}
	release(&pc);
}

static void policy_req_ats_msi_regions(struct kunit *test)
{
	struct policy_case pc;

	setup(test, &pc);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_NO_ATS), 0u);
	dev_at(test, &pc, "0000:06:00.0")->ats_supported = true;
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_NO_ATS), 0u);
	dev_at(test, &pc, "0000:06:00.0")->ats_enabled = true;
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_NO_ATS),
			(u32)PTHRU_POLICY_REQ_NO_ATS);

	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_ISOLATED_MSI), 0u);
	group(&pc, 6)->isolated_msi = PTHRU_TRISTATE_UNKNOWN;
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_ISOLATED_MSI),
			(u32)PTHRU_POLICY_REQ_ISOLATED_MSI);
	group(&pc, 6)->isolated_msi = PTHRU_TRISTATE_NO;
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_ISOLATED_MSI),
			(u32)PTHRU_POLICY_REQ_ISOLATED_MSI);

	/* MSI windows and relaxable regions are fine; a direct one is not. */
	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group(&pc, 6), 0xfee00000,
						   0xfeefffff, PTHRU_RESV_TYPE_MSI,
						   GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group(&pc, 6), 0, 0xffffff,
						   PTHRU_RESV_TYPE_DIRECT_RELAXABLE,
						   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_NO_DIRECT_REGIONS), 0u);
	KUNIT_ASSERT_EQ(test, pthru_group_add_resv(group(&pc, 6), 0x7a000000,
						   0x7a0fffff, PTHRU_RESV_TYPE_DIRECT,
						   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_NO_DIRECT_REGIONS),
			(u32)PTHRU_POLICY_REQ_NO_DIRECT_REGIONS);
	/* Another group's region does not count. */
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:05:00.0",
				    PTHRU_POLICY_REQ_NO_DIRECT_REGIONS), 0u);
	release(&pc);
}

static void policy_req_viable_group(struct kunit *test)
{
	static const char * const fine[] = { "", "vfio-pci", "pci-stub",
					     "mlx5-vfio-pci", "pcieport" };
	struct policy_case pc;
	struct pthru_dev *sibling;
	unsigned int i;

	setup(test, &pc);
	/* 05:00.0 itself is on e1000e: the target driver replaces that. */
	sibling = dev_at(test, &pc, "0000:05:00.1");
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:05:00.0",
				    PTHRU_POLICY_REQ_VIABLE_GROUP),
			(u32)PTHRU_POLICY_REQ_VIABLE_GROUP);
	for (i = 0; i < ARRAY_SIZE(fine); i++) {
		strscpy(sibling->driver, fine[i], sizeof(sibling->driver));
		KUNIT_EXPECT_EQ_MSG(test, unmet(test, &pc, "0000:05:00.0",
						PTHRU_POLICY_REQ_VIABLE_GROUP),
				    0u, "sibling on \"%s\"", fine[i]);
	}
	/* A group of one is always viable. */
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_VIABLE_GROUP), 0u);
	release(&pc);
}

static void policy_req_no_group(struct kunit *test)
{
	struct policy_case pc;

	setup(test, &pc);
	/* Only NO_ATS can be met without an IOMMU group. */
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:07:00.0",
				    PTHRU_POLICY_REQ_ALL),
			(u32)(PTHRU_POLICY_REQ_ALL & ~PTHRU_POLICY_REQ_NO_ATS));
	dev_at(test, &pc, "0000:07:00.0")->ats_enabled = true;
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:07:00.0",
				    PTHRU_POLICY_REQ_ALL),
			(u32)PTHRU_POLICY_REQ_ALL);
	release(&pc);
}

static void policy_unmet_lists_every_failure(struct kunit *test)
{
	struct policy_case pc;
	struct pthru_dev *dev;

	setup(test, &pc);
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0",
				    PTHRU_POLICY_REQ_ALL), 0u);
	dev = dev_at(test, &pc, "0000:03:00.0");
	dev->ats_enabled = true;
	dev->domain_type = PTHRU_DOMAIN_TYPE_DMA_FQ;
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:03:00.0",
				    PTHRU_POLICY_REQ_ALL),
			(u32)(PTHRU_POLICY_REQ_ACS_ISOLATED | PTHRU_POLICY_REQ_NO_ATS |
			      PTHRU_POLICY_REQ_STRICT_INVALIDATION));
	/* Only what was asked for is reported. */
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:03:00.0",
				    PTHRU_POLICY_REQ_NO_ATS |
				    PTHRU_POLICY_REQ_TRANSLATED),
			(u32)PTHRU_POLICY_REQ_NO_ATS);
	/* A bit pthru does not know fails closed. */
	KUNIT_EXPECT_EQ(test, unmet(test, &pc, "0000:06:00.0", 1U << 30),
			1U << 30);
	release(&pc);
}

static void policy_default_action(struct kunit *test)
{
	struct pthru_policy_rule rule = {
		.id = 3, .label = "nvidia",
		.match = { .fields = PTHRU_POLICY_MATCH_VENDOR, .vendor = 0x10de },
		.action = PTHRU_POLICY_ACTION_ALLOW,
	};
	struct pthru_policy policy = { .rules = &rule, .nr_rules = 1 };
	struct pthru_policy_subject s;
	struct policy_case pc;
	struct pthru_decision d;

	setup(test, &pc);
	s = subject(test, &pc, "0000:03:00.0");
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_TRUE(test, d.by_default);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, d.rule_id, 0u);
	KUNIT_EXPECT_STREQ(test, d.rule_label, "");
	KUNIT_EXPECT_EQ(test, d.unmet, 0u);

	policy.default_action = PTHRU_POLICY_ACTION_ALLOW;
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_TRUE(test, d.by_default);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_ALLOW);

	/* The default's requirements apply like a rule's. */
	policy.default_requirements = PTHRU_POLICY_REQ_ACS_ISOLATED |
				      PTHRU_POLICY_REQ_NO_ATS;
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_TRUE(test, d.by_default);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, d.unmet, (u32)PTHRU_POLICY_REQ_ACS_ISOLATED);

	s = subject(test, &pc, "0000:06:00.0");
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_ALLOW);

	/* An empty policy is just its default. */
	policy.nr_rules = 0;
	policy.rules = NULL;
	policy.default_action = PTHRU_POLICY_ACTION_DENY;
	policy.default_requirements = 0;
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_TRUE(test, d.by_default);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_DENY);
	release(&pc);
}

static void policy_decision_names_rule(struct kunit *test)
{
	struct pthru_policy_rule rules[] = {
		{ .id = 7, .label = "storage to guests",
		  .match = { .fields = PTHRU_POLICY_MATCH_CLASS, .class = 0x010000,
			     .class_mask = 0xff0000 },
		  .action = PTHRU_POLICY_ACTION_ALLOW,
		  .requirements = PTHRU_POLICY_REQ_NO_ATS |
				  PTHRU_POLICY_REQ_ISOLATED_MSI |
				  PTHRU_POLICY_REQ_VIABLE_GROUP },
		{ .id = 9, .label = "no vfio for NICs",
		  .match = { .fields = PTHRU_POLICY_MATCH_CLASS |
				       PTHRU_POLICY_MATCH_DRIVER,
			     .class = 0x020000, .class_mask = 0xff0000,
			     .driver = "vfio-pci" },
		  .action = PTHRU_POLICY_ACTION_DENY },
	};
	struct pthru_policy policy = {
		.rules = rules, .nr_rules = ARRAY_SIZE(rules),
		.default_action = PTHRU_POLICY_ACTION_ALLOW,
	};
	struct pthru_policy_subject s;
	struct policy_case pc;
	struct pthru_decision d;

	setup(test, &pc);
	dev_at(test, &pc, "0000:06:00.0")->class = 0x010802;
	dev_at(test, &pc, "0000:06:00.0")->ats_enabled = true;
	group(&pc, 6)->isolated_msi = PTHRU_TRISTATE_NO;
	s = subject(test, &pc, "0000:06:00.0");
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_DENY);
	KUNIT_EXPECT_FALSE(test, d.by_default);
	KUNIT_EXPECT_EQ(test, d.rule_id, 7u);
	KUNIT_EXPECT_STREQ(test, d.rule_label, "storage to guests");
	KUNIT_EXPECT_EQ(test, d.unmet, (u32)(PTHRU_POLICY_REQ_NO_ATS |
					     PTHRU_POLICY_REQ_ISOLATED_MSI));
	/* The label is a copy: replacing the policy does not change it. */
	strscpy(rules[0].label, "gone", sizeof(rules[0].label));
	KUNIT_EXPECT_STREQ(test, d.rule_label, "storage to guests");

	/* 03:00.0 is a NIC (topo class 0x0200xx): the deny rule. */
	s = subject(test, &pc, "0000:03:00.0");
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, d.rule_id, 9u);
	KUNIT_EXPECT_EQ(test, d.unmet, 0u);
	/* ...but not when it goes to pci-stub. */
	s.target_driver = "pci-stub";
	d = decide(test, &pc, &policy, &s);
	KUNIT_EXPECT_TRUE(test, d.by_default);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_ALLOW);
	release(&pc);
}

static void policy_decide_rejects_bad_input(struct kunit *test)
{
	struct pthru_policy_rule rule = { .id = 1, .action = 7 };
	struct pthru_policy policy = { .default_action = PTHRU_POLICY_ACTION_ALLOW };
	struct pthru_policy_subject s;
	struct pthru_isolation none = { 0 };
	struct policy_case pc;
	struct pthru_decision d;

	setup(test, &pc);
	s = subject(test, &pc, "0000:06:00.0");
	s.dev_idx = pc.snap->nr_devs;
	KUNIT_EXPECT_EQ(test, pthru_policy_decide(&policy, pc.snap, &pc.iso,
						  &s, &d), -EINVAL);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_DENY);
	/* The device is not the snapshot's entry at that index. */
	s.dev_idx = topo_idx(test, pc.snap, "0000:05:00.0");
	KUNIT_EXPECT_EQ(test, pthru_policy_decide(&policy, pc.snap, &pc.iso,
						  &s, &d), -EINVAL);
	s = subject(test, &pc, "0000:06:00.0");
	KUNIT_EXPECT_EQ(test, pthru_policy_decide(&policy, pc.snap, &none,
						  &s, &d), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_policy_decide(&policy, pc.snap, &pc.iso,
						  &s, &d), 0);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_ALLOW);

	/* An action the engine does not know denies. */
	policy.rules = &rule;
	policy.nr_rules = 1;
	KUNIT_EXPECT_EQ(test, pthru_policy_validate(&policy), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_policy_decide(&policy, pc.snap, &pc.iso,
						  &s, &d), 0);
	KUNIT_EXPECT_EQ(test, d.verdict, PTHRU_POLICY_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, d.rule_id, 1u);
	release(&pc);
}

/* Expect @policy to be rejected at rule @where for a reason naming @what. */
static void expect_invalid(struct kunit *test, const struct pthru_policy *policy,
			   u32 where, const char *what)
{
	const char *why = NULL;
	u32 bad = 12345;

	KUNIT_EXPECT_EQ(test, pthru_policy_check(policy, &bad, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, pthru_policy_validate(policy), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad, where);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, what), "reason \"%s\"", why);
}

static void policy_validate(struct kunit *test)
{
	struct pthru_policy_rule rules[3] = {
		{ .id = 1, .action = PTHRU_POLICY_ACTION_DENY },	/* empty match */
		{ .id = 2, .action = PTHRU_POLICY_ACTION_ALLOW,
		  .requirements = PTHRU_POLICY_REQ_ALL },
		{ .id = 3, .action = PTHRU_POLICY_ACTION_ALLOW,
		  .match = { .fields = PTHRU_POLICY_MATCH_ALL, .class = 0x0c0330,
			     .class_mask = 0xffff00, .slot = "1", .driver = "vfio-pci" } },
	};
	struct pthru_policy policy = { .rules = rules, .nr_rules = 3 };
	struct pthru_policy_rule good = rules[2];
	const char *why = "unset";
	u32 bad = 0;

	KUNIT_EXPECT_EQ(test, pthru_policy_check(&policy, &bad, &why), 0);
	KUNIT_EXPECT_EQ(test, bad, U32_MAX);
	KUNIT_EXPECT_NULL(test, why);

	rules[2].id = 1;
	expect_invalid(test, &policy, 2, "duplicate rule id");
	rules[2] = good;

	rules[2].match.fields &= ~PTHRU_POLICY_MATCH_CLASS;
	expect_invalid(test, &policy, 2, "class mask without class");
	rules[2] = good;

	rules[2].match.class = 0x1000000;
	expect_invalid(test, &policy, 2, "24 bits");
	rules[2] = good;

	rules[2].match.fields |= 1U << 20;
	expect_invalid(test, &policy, 2, "unknown match field");
	rules[2] = good;

	rules[2].match.slot[0] = '\0';
	expect_invalid(test, &policy, 2, "slot");
	rules[2] = good;

	memset(rules[2].match.driver, 'x', sizeof(rules[2].match.driver));
	expect_invalid(test, &policy, 2, "driver");
	rules[2] = good;

	memset(rules[2].label, 'x', sizeof(rules[2].label));
	expect_invalid(test, &policy, 2, "label");
	rules[2] = good;

	rules[1].requirements = PTHRU_POLICY_REQ_ALL + 1;
	expect_invalid(test, &policy, 1, "unknown requirement");
	rules[1].requirements = PTHRU_POLICY_REQ_NO_ATS;

	rules[0].requirements = PTHRU_POLICY_REQ_NO_ATS;
	expect_invalid(test, &policy, 0, "deny");
	rules[0].requirements = 0;

	rules[0].action = 2;
	expect_invalid(test, &policy, 0, "unknown action");
	rules[0].action = PTHRU_POLICY_ACTION_DENY;

	/* Policy-wide errors name no rule. */
	policy.default_requirements = PTHRU_POLICY_REQ_TRANSLATED;
	expect_invalid(test, &policy, U32_MAX, "deny");
	policy.default_action = PTHRU_POLICY_ACTION_ALLOW;
	KUNIT_EXPECT_EQ(test, pthru_policy_validate(&policy), 0);
	policy.default_requirements = 1U << 31;
	expect_invalid(test, &policy, U32_MAX, "unknown requirement");
	policy.default_requirements = 0;

	policy.nr_rules = PTHRU_POLICY_MAX_RULES + 1;
	expect_invalid(test, &policy, U32_MAX, "too many rules");
	policy.nr_rules = 3;
	policy.rules = NULL;
	expect_invalid(test, &policy, U32_MAX, "without rules");
	expect_invalid(test, NULL, U32_MAX, "no policy");
}

static void policy_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_ACS_ISOLATED),
			   "acs-isolated");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_TRANSLATED),
			   "translated");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_STRICT_INVALIDATION),
			   "strict-invalidation");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_NO_ATS),
			   "no-ats");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_ISOLATED_MSI),
			   "isolated-msi");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_NO_DIRECT_REGIONS),
			   "no-direct-regions");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_VIABLE_GROUP),
			   "viable-group");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(0), "unknown");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_NO_ATS |
						       PTHRU_POLICY_REQ_TRANSLATED),
			   "unknown");
	KUNIT_EXPECT_STREQ(test, pthru_policy_req_name(PTHRU_POLICY_REQ_ALL + 1),
			   "unknown");
	KUNIT_EXPECT_STREQ(test, pthru_policy_action_name(PTHRU_POLICY_ACTION_ALLOW),
			   "allow");
	KUNIT_EXPECT_STREQ(test, pthru_policy_action_name(PTHRU_POLICY_ACTION_DENY),
			   "deny");
	KUNIT_EXPECT_STREQ(test, pthru_policy_action_name(5), "unknown");
}

static struct kunit_case policy_cases[] = {
	KUNIT_CASE(policy_first_match_wins),
	KUNIT_CASE(policy_match_fields),
	KUNIT_CASE(policy_req_acs_isolated),
	KUNIT_CASE(policy_req_acs_isolated_inside_group),
	KUNIT_CASE(policy_req_acs_isolated_unclassified),
	KUNIT_CASE(policy_req_domain),
	KUNIT_CASE(policy_req_ats_msi_regions),
	KUNIT_CASE(policy_req_viable_group),
	KUNIT_CASE(policy_req_no_group),
	KUNIT_CASE(policy_unmet_lists_every_failure),
	KUNIT_CASE(policy_default_action),
	KUNIT_CASE(policy_decision_names_rule),
	KUNIT_CASE(policy_decide_rejects_bad_input),
	KUNIT_CASE(policy_validate),
	KUNIT_CASE(policy_names),
	{}
};

static struct kunit_suite policy_suite = {
	.name = "pthru_policy",
	.test_cases = policy_cases,
};

kunit_test_suites(&policy_suite);

MODULE_LICENSE("GPL");
