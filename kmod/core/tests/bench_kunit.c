// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark, not a timed test: a full evaluation (reachability, isolation
 * groups, every hazard rule) of a synthetic 4,096-function host, printed as
 * the cost per function.  It asserts only what the evaluation must find,
 * never a time; scripts/bench-core.sh runs it alone and prints the figure.
 *
 * Per PCI domain (4 of them), 16 root ports (multifunction, like a
 * chipset's); each root port has a switch with 6 downstream ports, each
 * downstream port a 9-function endpoint set; plus 32 root-complex
 * integrated endpoints per domain.  Half the downstream ports lack ACS, the
 * root ports of odd domains have ACS switched off, and a third of the
 * multifunction endpoints have an ACS capability that is not enabled.
 *
 * A second case decides a bind of every endpoint of that host against a
 * 1,000-rule policy whose last rule is the one that matches (the worst
 * case of first-match), and prints the median cost of one decision.
 *
 * A third fills the shadow's interval store with 10^3, 10^5 and 10^6
 * ranges that cannot merge, in a scrambled order, looks each up and
 * removes them, and prints the cost of one insert, lookup and remove at
 * each size (the median of 3 runs; 1 run at 10^6).
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sort.h>

#include "../hazard.h"
#include "../pciaddr.h"
#include "../policy.h"
#include "../reach.h"
#include "ivscale.h"

#define DOMAINS		4
#define PORTS		16
#define DSPS		6
#define FUNCS		9
#define RCIEPS		32
#define RUNS		7
#define EXPECTED_FNS	(DOMAINS * (PORTS * (2 + DSPS + DSPS * FUNCS) + RCIEPS))

static s32 next_group;

static struct pthru_dev *fn(struct kunit *test, struct pthru_snapshot *snap,
			    u16 domain, u8 bus, u8 devfn, u32 up, u8 type,
			    bool bridge)
{
	struct pthru_dev *dev;

	dev = pthru_snapshot_add_dev(snap, PTHRU_PCIADDR(domain, bus, devfn),
				     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->class = bridge ? 0x060400 : 0x020000;
	dev->is_pcie = true;
	dev->pcie_type = type;
	dev->group_id = next_group;
	if (up != U32_MAX) {
		dev->has_upstream = true;
		dev->upstream_addr = up;
	}
	KUNIT_ASSERT_NOT_NULL(test, pthru_snapshot_add_group(snap, next_group++,
							     GFP_KERNEL));
	return dev;
}

static void acs(struct pthru_dev *dev, u16 cap, u16 ctrl)
{
	dev->acs_pos = 0x100;
	dev->acs_cap = cap;
	dev->acs_ctrl = ctrl;
	dev->acs_ctrl_baseline = ctrl;
}

static struct pthru_snapshot *build_big_host(struct kunit *test)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	unsigned int d, p, s, f;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	next_group = 0;
	for (d = 0; d < DOMAINS; d++) {
		for (p = 0; p < PORTS; p++) {
			u8 usp_bus = p * 9 + 1, dsp_bus = p * 9 + 2;
			u32 rp = PTHRU_PCIADDR(d, 0, p);
			u32 usp = PTHRU_PCIADDR(d, usp_bus, 0);
			struct pthru_dev *dev;

			dev = fn(test, snap, d, 0, p, U32_MAX, 4, true);
			dev->multifunction = true;
			acs(dev, 0x1f, d & 1 ? 0 : 0x1d);
			fn(test, snap, d, usp_bus, 0, rp, 5, true);
			for (s = 0; s < DSPS; s++) {
				u32 dsp = PTHRU_PCIADDR(d, dsp_bus, s << 3);
				u8 ep_bus = dsp_bus + 1 + s;

				dev = fn(test, snap, d, dsp_bus, s << 3, usp, 6, true);
				if (s & 1)
					acs(dev, 0x1f, 0x1d);
				for (f = 0; f < FUNCS; f++) {
					u8 devfn = f < 8 ? f : 1 << 3;

					dev = fn(test, snap, d, ep_bus, devfn, dsp, 0,
						 false);
					dev->multifunction = f < 8;
					if (f < 8 && (p + s) % 3 == 0)
						acs(dev, 0x0c, 0);
				}
			}
		}
		for (f = 0; f < RCIEPS; f++)
			fn(test, snap, d, 0, 0x80 + f, U32_MAX, 9, false);
	}
	snap->iommu_present = true;
	KUNIT_ASSERT_EQ(test, pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, snap->nr_devs, (u32)EXPECTED_FNS);
	return snap;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void bench_full_evaluation(struct kunit *test)
{
	struct pthru_snapshot *snap = build_big_host(test);
	struct pthru_isolation iso;
	struct pthru_findings set;
	u64 ns[RUNS];
	unsigned int r;

	for (r = 0; r < RUNS; r++) {
		u64 start = ktime_get_ns();

		KUNIT_ASSERT_EQ(test, pthru_isolation_compute(snap, &iso,
							      GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, pthru_hazards_evaluate(snap, &iso, &set,
							     GFP_KERNEL), 0);
		ns[r] = ktime_get_ns() - start;
		if (r == RUNS - 1)
			break;
		pthru_findings_free(&set);
		pthru_isolation_free(&iso);
	}
	/* The evaluation must still be right at this size. */
	KUNIT_EXPECT_GT(test, set.nr, 0u);
	KUNIT_EXPECT_GT(test, iso.nr_iso_groups, 0u);
	KUNIT_EXPECT_LT(test, iso.nr_iso_groups, snap->nr_devs);

	sort(ns, RUNS, sizeof(ns[0]), cmp_u64, NULL);
	kunit_info(test,
		   "bench: full evaluation of %u functions: median %llu ns, %llu ns per function (%u runs, %u findings, %u isolation groups)\n",
		   snap->nr_devs, ns[RUNS / 2], ns[RUNS / 2] / snap->nr_devs,
		   RUNS, set.nr, iso.nr_iso_groups);
	pthru_findings_free(&set);
	pthru_isolation_free(&iso);
	pthru_snapshot_put(snap);
}

#define POLICY_RULES	1000

/*
 * 999 rules that look like an administrator's (vendor, device and an
 * address) but match none of the host's functions, then an allow for
 * network controllers that requires what the synthetic host can establish
 * (it has no domains or MSI facts), so each decision walks the whole list
 * and computes the topology requirements.
 */
static struct pthru_policy_rule *build_policy(struct kunit *test,
					      struct pthru_policy *policy)
{
	struct pthru_policy_rule *rules;
	u32 i;

	rules = kunit_kcalloc(test, POLICY_RULES, sizeof(*rules), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rules);
	for (i = 0; i < POLICY_RULES - 1; i++) {
		rules[i].id = i + 1;
		rules[i].action = i & 1 ? PTHRU_POLICY_ACTION_ALLOW :
					  PTHRU_POLICY_ACTION_DENY;
		rules[i].requirements = i & 1 ? PTHRU_POLICY_REQ_ALL : 0;
		rules[i].match.fields = PTHRU_POLICY_MATCH_VENDOR |
					PTHRU_POLICY_MATCH_DEVICE |
					PTHRU_POLICY_MATCH_ADDR;
		rules[i].match.vendor = 0x8086;
		rules[i].match.device = i;
		rules[i].match.addr = PTHRU_PCIADDR(7, i >> 3, i & 7);
	}
	rules[i].id = POLICY_RULES;
	rules[i].action = PTHRU_POLICY_ACTION_ALLOW;
	rules[i].requirements = PTHRU_POLICY_REQ_ACS_ISOLATED |
				PTHRU_POLICY_REQ_NO_ATS |
				PTHRU_POLICY_REQ_NO_DIRECT_REGIONS |
				PTHRU_POLICY_REQ_VIABLE_GROUP;
	rules[i].match.fields = PTHRU_POLICY_MATCH_CLASS;
	rules[i].match.class = 0x020000;
	rules[i].match.class_mask = 0xff0000;
	policy->rules = rules;
	policy->nr_rules = POLICY_RULES;
	policy->default_action = PTHRU_POLICY_ACTION_DENY;
	policy->default_requirements = 0;
	KUNIT_ASSERT_EQ(test, pthru_policy_validate(policy), 0);
	return rules;
}

static void bench_policy_decision(struct kunit *test)
{
	struct pthru_snapshot *snap = build_big_host(test);
	struct pthru_policy_subject subject = { .target_driver = "vfio-pci" };
	struct pthru_decision decision;
	struct pthru_policy policy;
	struct pthru_isolation iso;
	u32 i, decided = 0, allowed = 0;
	u64 ns[RUNS];
	unsigned int r;

	build_policy(test, &policy);
	KUNIT_ASSERT_EQ(test, pthru_isolation_compute(snap, &iso, GFP_KERNEL),
			0);
	for (r = 0; r < RUNS; r++) {
		u64 start = ktime_get_ns();

		decided = 0;
		allowed = 0;
		for (i = 0; i < snap->nr_devs; i++) {
			if (snap->devs[i].class == 0x060400)
				continue;
			subject.dev = &snap->devs[i];
			subject.dev_idx = i;
			KUNIT_ASSERT_EQ(test, pthru_policy_decide(&policy, snap,
								  &iso, &subject,
								  &decision), 0);
			/* Every endpoint is decided by the last rule. */
			KUNIT_ASSERT_EQ(test, decision.rule_id,
					(u32)POLICY_RULES);
			decided++;
			if (decision.verdict == PTHRU_POLICY_ACTION_ALLOW)
				allowed++;
		}
		ns[r] = ktime_get_ns() - start;
	}
	/* Some endpoints sit behind isolating ports, most do not. */
	KUNIT_EXPECT_GT(test, allowed, 0u);
	KUNIT_EXPECT_LT(test, allowed, decided);

	sort(ns, RUNS, sizeof(ns[0]), cmp_u64, NULL);
	kunit_info(test,
		   "bench: policy decision with %u rules (last rule decides): median %llu ns per decision (%u decisions per run, %u allowed, %u runs)\n",
		   POLICY_RULES, ns[RUNS / 2] / decided, decided, allowed, RUNS);
	pthru_isolation_free(&iso);
	pthru_snapshot_put(snap);
}

static void bench_ivstore(struct kunit *test)
{
	static const u32 sizes[] = { 1000, 100000, 1000000 };
	u64 ins[3], look[3], rem[3];
	struct iv_scale r;
	unsigned int i, k, runs;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		runs = sizes[i] >= 1000000 ? 1 : 3;
		for (k = 0; k < runs; k++) {
			iv_scale_run(test, sizes[i], &r);
			ins[k] = r.insert_ns;
			look[k] = r.lookup_ns;
			rem[k] = r.remove_ns;
		}
		sort(ins, runs, sizeof(ins[0]), cmp_u64, NULL);
		sort(look, runs, sizeof(look[0]), cmp_u64, NULL);
		sort(rem, runs, sizeof(rem[0]), cmp_u64, NULL);
		kunit_info(test,
			   "bench: ivstore at %u ranges: %llu ns per insert, %llu ns per lookup, %llu ns per remove (tree height %u, %llu bytes, %zu bytes per node, median of %u runs)\n",
			   sizes[i], ins[runs / 2], look[runs / 2], rem[runs / 2],
			   r.height, r.mem_bytes, sizeof(struct pthru_iv_node),
			   runs);
	}
}

static struct kunit_case bench_cases[] = {
	KUNIT_CASE(bench_full_evaluation),
	KUNIT_CASE(bench_policy_decision),
	KUNIT_CASE(bench_ivstore),
	{}
};

static struct kunit_suite bench_suite = {
	.name = "pthru_bench",
	.test_cases = bench_cases,
};

kunit_test_suites(&bench_suite);

MODULE_LICENSE("GPL");
