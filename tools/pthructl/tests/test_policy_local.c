// SPDX-License-Identifier: GPL-2.0
/*
 * policy test without the module (policy_local.c): hand-built facts, a
 * policy in the language, the decisions the core makes and how they print.
 * Nothing here reads sysfs or a snapshot file.
 */
#include "unit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/pthru.h>

#include <core/pciaddr.h>
#include <core/policy.h>
#include <core/reach.h>

#include "policy_local.h"
#include "source.h"

#define ACS_ALL		0x001f	/* SV TB RR CR UF implemented */
#define ACS_ON		0x001d	/* SV RR CR UF enabled */

#define NIC_ADDR	"0000:01:00.0"	/* 1af4:1041 below 00:02.0 */
#define PEER_ADDR	"0000:02:00.0"	/* 8086:10ca below 00:03.0 */

static u32 addr_of(const char *s)
{
	u32 addr = 0;

	CHECK_INT(pthru_pciaddr_parse(s, &addr), 0);
	return addr;
}

static struct pthru_dev *add_dev(struct pthru_snapshot *snap, const char *addr,
				 const char *up, u32 class, s32 group)
{
	struct pthru_dev *dev = pthru_snapshot_add_dev(snap, addr_of(addr),
						       GFP_KERNEL);

	if (!dev) {
		CHECK(dev);
		exit(1);
	}
	dev->class = class;
	dev->is_pcie = true;
	dev->group_id = group;
	if (up) {
		dev->has_upstream = true;
		dev->upstream_addr = addr_of(up);
	}
	return dev;
}

static void add_group(struct pthru_snapshot *snap, s32 id,
		      enum pthru_tristate msi)
{
	struct pthru_group *group = pthru_snapshot_add_group(snap, id,
							     GFP_KERNEL);

	if (!group) {
		CHECK(group);
		exit(1);
	}
	group->domain_type = PTHRU_DOMAIN_TYPE_DMA;
	group->isolated_msi = msi;
}

/*
 *   00:02.0 root port (ACS @acs_ctrl) - 01:00.0 1af4:1041, group 3
 *   00:03.0 root port (ACS @acs_ctrl) - 02:00.0 8086:10ca, group 4
 *
 * With ACS enabled on both ports each endpoint reaches nothing; without,
 * they reach each other across their groups.  Group 3's MSI isolation is
 * @msi; @nic_unknown are 01:00.0's unknown facts.
 */
static void build(struct facts *facts, u16 acs_ctrl, enum pthru_tristate msi,
		  u8 nic_unknown)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct pthru_dev *dev;
	static const char *const rp[] = { "0000:00:02.0", "0000:00:03.0" };
	size_t i;

	memset(facts, 0, sizeof(*facts));
	if (!snap) {
		CHECK(snap);
		exit(1);
	}
	snprintf(snap->iommu_driver, sizeof(snap->iommu_driver), "intel-vtd");
	snap->iommu_present = true;
	for (i = 0; i < ARRAY_SIZE(rp); i++) {
		dev = add_dev(snap, rp[i], NULL, 0x060400, 1 + i);
		dev->pcie_type = 4;
		dev->acs_pos = 0x100;
		dev->acs_cap = ACS_ALL;
		dev->acs_ctrl = acs_ctrl;
		dev->acs_ctrl_baseline = acs_ctrl;
		snprintf(dev->driver, sizeof(dev->driver), "pcieport");
		add_group(snap, 1 + i, PTHRU_TRISTATE_YES);
	}
	dev = add_dev(snap, NIC_ADDR, "0000:00:02.0", 0x020000, 3);
	dev->vendor = 0x1af4;
	dev->device = 0x1041;
	dev->unknown = nic_unknown;
	snprintf(dev->driver, sizeof(dev->driver), "virtio-pci");
	add_group(snap, 3, msi);
	dev = add_dev(snap, PEER_ADDR, "0000:00:03.0", 0x020000, 4);
	dev->vendor = 0x8086;
	dev->device = 0x10ca;
	dev->has_dsn = true;
	dev->dsn = 0x0011223344556677ULL;
	snprintf(dev->driver, sizeof(dev->driver), "e1000e");
	add_group(snap, 4, PTHRU_TRISTATE_YES);
	CHECK_INT(pthru_snapshot_finalize(snap, GFP_KERNEL), 0);
	facts->snap = snap;
	facts->source = FACTS_SYSFS;
}

static void parse(const char *text, struct policy_doc *doc)
{
	char err[256] = "";

	CHECK_INT(policy_parse("test.policy", text, strlen(text), doc, err,
			       sizeof(err)), 0);
	CHECK_STR(err, "");
}

/* policy_local_test() of @text; its return, the decisions in @list. */
static int run(const struct facts *facts, const char *text, const char *addr,
	       struct policy_decision_list *list, char *err, size_t len)
{
	struct policy_doc doc;
	int ret;

	memset(list, 0, sizeof(*list));
	parse(text, &doc);
	ret = policy_local_test(facts, &doc, addr, "vfio-pci", list, err, len);
	policy_doc_free(&doc);
	return ret;
}

/* The decision about @addr in @list, or NULL. */
static const struct policy_decision *find(const struct policy_decision_list *l,
					  const char *addr)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].addr, addr))
			return &l->items[i];
	return NULL;
}

/* What the core itself says @addr lacks of @reqs on the facts as read. */
static u32 core_unmet(const struct facts *facts, const char *addr, u32 reqs)
{
	struct pthru_isolation iso = {};
	struct pthru_policy_subject s = { .target_driver = "vfio-pci" };
	const struct pthru_dev *dev;
	u32 unmet;

	dev = pthru_snapshot_find_dev(facts->snap, addr_of(addr));
	CHECK(dev);
	if (!dev)
		return 0;
	s.dev = dev;
	s.dev_idx = dev - facts->snap->devs;
	CHECK_INT(pthru_isolation_compute(facts->snap, &iso, GFP_KERNEL), 0);
	unmet = pthru_policy_unmet(facts->snap, &iso, &s, reqs);
	pthru_isolation_free(&iso);
	return unmet;
}

static const char acs_policy[] =
	"default deny\n"
	"rule 10 allow vendor 0x1af4 device 0x1041 require acs-isolated label \"virtio\"\n";

static void test_allow_and_deny_by_acs(void)
{
	struct policy_decision_list list;
	const struct policy_decision *d;
	struct facts facts;
	char err[POLICY_LOCAL_ERR_MAX] = "";

	/* ACS on: allowed by rule 10, established. */
	build(&facts, ACS_ON, PTHRU_TRISTATE_YES, 0);
	CHECK_INT(core_unmet(&facts, NIC_ADDR, PTHRU_POLICY_REQ_ACS_ISOLATED), 0);
	CHECK_INT(run(&facts, acs_policy, NULL, &list, err, sizeof(err)), 0);
	/* The root ports are skipped, as the module's dump skips them. */
	CHECK_INT(list.n, 2);
	d = find(&list, NIC_ADDR);
	CHECK(d);
	if (d) {
		CHECK_INT(d->verdict, PTHRU_ACTION_ALLOW);
		CHECK_INT(d->by_default, 0);
		CHECK_INT(d->rule_id, 10);
		CHECK_STR(d->rule_label, "virtio");
		CHECK_INT(d->unmet, 0);
		CHECK(!d->not_established);
		CHECK_INT(d->n_undetermined, 0);
		CHECK_STR(d->driver, "vfio-pci");
		CHECK(!policy_decision_has(d, PTHRU_A_DECISION_MODE));
		CHECK(policy_decision_has(d, PTHRU_A_DECISION_POLICY_GENERATION));
	}
	d = find(&list, PEER_ADDR);
	CHECK(d);
	if (d) {
		CHECK_INT(d->verdict, PTHRU_ACTION_DENY);
		CHECK_INT(d->by_default, 1);
		CHECK(!policy_decision_has(d, PTHRU_A_DECISION_RULE_ID));
		CHECK(!d->not_established);
	}
	CHECK(!find(&list, "0000:00:02.0"));
	policy_decision_list_free(&list);

	/* ADDR names a root port: it is decided, as the module's do decides. */
	CHECK_INT(run(&facts, acs_policy, "0000:00:02.0", &list, err,
		      sizeof(err)), 0);
	CHECK_INT(list.n, 1);
	CHECK_STR(list.items[0].addr, "0000:00:02.0");
	CHECK_INT(list.items[0].by_default, 1);
	policy_decision_list_free(&list);
	facts_free(&facts);

	/* ACS off: denied by rule 10, unmet exactly what the core says. */
	build(&facts, 0, PTHRU_TRISTATE_YES, 0);
	CHECK_INT(core_unmet(&facts, NIC_ADDR, PTHRU_POLICY_REQ_ALL),
		  PTHRU_POLICY_REQ_ACS_ISOLATED);
	CHECK_INT(run(&facts, acs_policy, NIC_ADDR, &list, err, sizeof(err)), 0);
	CHECK_INT(list.n, 1);
	if (list.n == 1) {
		d = &list.items[0];
		CHECK_STR(d->addr, NIC_ADDR);
		CHECK_INT(d->verdict, PTHRU_ACTION_DENY);
		CHECK_INT(d->rule_id, 10);
		CHECK_INT(d->unmet, core_unmet(&facts, NIC_ADDR,
					       PTHRU_POLICY_REQ_ACS_ISOLATED));
		CHECK_INT(d->unmet, PTHRU_REQUIREMENT_ACS_ISOLATED);
		CHECK(!d->not_established);
	}
	policy_decision_list_free(&list);
	facts_free(&facts);
}

/*
 * No requirement reads the untrusted or external-facing flags
 * (kmod/core/policy.c); isolated-msi reads the group's MSI isolation,
 * which sysfs does not show, and acs-isolated the kernel's ACS quirks.
 */
static void test_not_established(void)
{
	static const char msi_policy[] =
		"rule 10 allow vendor 0x1af4 require isolated-msi,acs-isolated\n";
	char err[POLICY_LOCAL_ERR_MAX] = "";
	struct policy_decision_list list;
	const struct policy_decision *d;
	struct facts facts;

	/* An unknown untrusted flag alone settles nothing a rule reads. */
	build(&facts, ACS_ON, PTHRU_TRISTATE_YES,
	      PTHRU_DEV_UNKNOWN_UNTRUSTED | PTHRU_DEV_UNKNOWN_EXTERNAL);
	CHECK_INT(run(&facts, msi_policy, NIC_ADDR, &list, err, sizeof(err)), 0);
	CHECK_INT(list.n, 1);
	if (list.n == 1) {
		CHECK_INT(list.items[0].verdict, PTHRU_ACTION_ALLOW);
		CHECK(!list.items[0].not_established);
	}
	policy_decision_list_free(&list);
	facts_free(&facts);

	/* Unknown MSI isolation: allowed at its safest, denied at its worst. */
	build(&facts, ACS_ON, PTHRU_TRISTATE_UNKNOWN,
	      PTHRU_DEV_UNKNOWN_UNTRUSTED);
	CHECK_INT(run(&facts, msi_policy, NIC_ADDR, &list, err, sizeof(err)), 0);
	CHECK_INT(list.n, 1);
	if (list.n == 1) {
		d = &list.items[0];
		CHECK(d->not_established);
		/* Shown as the worst reading decides. */
		CHECK_INT(d->verdict, PTHRU_ACTION_DENY);
		CHECK_INT(d->unmet, PTHRU_REQUIREMENT_ISOLATED_MSI);
		CHECK_INT(d->rule_id, 10);
		CHECK_INT(d->n_undetermined, 1);
		CHECK_STR(d->undetermined[0].what, "isolated-msi");
		CHECK_STR(d->undetermined[0].why,
			  "whether group 3's MSIs are isolated (sysfs does not show interrupt remapping)");
	}
	policy_decision_list_free(&list);

	/* A rule that does not require it is established all the same. */
	CHECK_INT(run(&facts, acs_policy, NIC_ADDR, &list, err, sizeof(err)), 0);
	CHECK_INT(list.n, 1);
	if (list.n == 1) {
		CHECK_INT(list.items[0].verdict, PTHRU_ACTION_ALLOW);
		CHECK(!list.items[0].not_established);
	}
	policy_decision_list_free(&list);
	facts_free(&facts);

	/* Config space not read: acs-isolated rests on it, both readings agree. */
	build(&facts, ACS_ON, PTHRU_TRISTATE_YES, PTHRU_DEV_UNKNOWN_CONFIG);
	CHECK_INT(run(&facts, acs_policy, NIC_ADDR, &list, err, sizeof(err)), 0);
	CHECK_INT(list.n, 1);
	if (list.n == 1) {
		d = &list.items[0];
		CHECK(d->not_established);
		CHECK_INT(d->n_undetermined, 1);
		CHECK_STR(d->undetermined[0].what, "acs-isolated");
		CHECK_STR(d->undetermined[0].why,
			  "the config space of 1 of 4 functions could not be read (it needs root): their PCIe type, ACS and ATS are unknown");
	}
	policy_decision_list_free(&list);
	facts_free(&facts);
}

static void test_serial_unknown(void)
{
	static const char serial_policy[] =
		"default deny\n"
		"rule 5 allow vendor 0x1af4 serial 0x0011223344556677\n"
		"rule 6 deny vendor 0x1af4 serial 0x8899aabbccddeeff\n"
		"rule 7 allow vendor 0x8086 serial 0x0011223344556677\n";
	static const char other_vendor[] =
		"default deny\n"
		"rule 5 allow vendor 0x10de serial 0x0011223344556677\n";
	char err[POLICY_LOCAL_ERR_MAX] = "";
	struct policy_decision_list list;
	const struct policy_decision *d;
	struct facts facts;

	build(&facts, ACS_ON, PTHRU_TRISTATE_YES, PTHRU_DEV_UNKNOWN_DSN);
	CHECK_INT(run(&facts, serial_policy, NULL, &list, err, sizeof(err)), 0);
	CHECK_INT(list.n, 2);
	d = find(&list, NIC_ADDR);
	CHECK(d);
	if (d) {
		CHECK(d->not_established);
		/* The worst: rule 6 or the default deny, rule 6 first. */
		CHECK_INT(d->verdict, PTHRU_ACTION_DENY);
		CHECK_INT(d->n_undetermined, 1);
		CHECK_STR(d->undetermined[0].what, "serial");
		CHECK_STR(d->undetermined[0].why,
			  "the serial number of 0000:01:00.0 (the source could not read its Device Serial Number capability), which rule 5 matches on, as 1 more rule does");
	}
	/* Its serial known: rule 7 allows, established. */
	d = find(&list, PEER_ADDR);
	CHECK(d);
	if (d) {
		CHECK(!d->not_established);
		CHECK_INT(d->verdict, PTHRU_ACTION_ALLOW);
		CHECK_INT(d->rule_id, 7);
	}
	policy_decision_list_free(&list);

	/* A serial rule that does not match otherwise changes nothing. */
	CHECK_INT(run(&facts, other_vendor, NIC_ADDR, &list, err, sizeof(err)),
		  0);
	CHECK_INT(list.n, 1);
	if (list.n == 1) {
		CHECK(!list.items[0].not_established);
		CHECK_INT(list.items[0].by_default, 1);
	}
	policy_decision_list_free(&list);
	facts_free(&facts);
}

static void test_errors(void)
{
	char err[POLICY_LOCAL_ERR_MAX] = "";
	struct policy_decision_list list = {};
	struct pthru_policy_rule rules[2] = {};
	struct pthru_policy policy = { .rules = rules, .nr_rules = 2 };
	struct policy_rule dup[2] = {};
	struct policy_doc doc = { .rules = dup, .nr_rules = 2 };
	struct pthru_policy_rule *parsed;
	struct pthru_policy converted;
	struct facts facts;

	build(&facts, ACS_ON, PTHRU_TRISTATE_YES, 0);
	CHECK_INT(run(&facts, acs_policy, "0000:09:00.0", &list, err,
		      sizeof(err)), -ENODEV);
	CHECK_STR(err, "no PCI function 0000:09:00.0 in the sysfs inventory");
	CHECK_INT(list.n, 0);

	/* Two rules with one id, which the language refuses: the module's words. */
	dup[0].id = 10;
	dup[0].action = PTHRU_ACTION_DENY;
	dup[1] = dup[0];
	CHECK_INT(policy_local_test(&facts, &doc, NULL, "vfio-pci", &list, err,
				    sizeof(err)), -EINVAL);
	CHECK_STR(err, "rule 10: duplicate id");
	CHECK_INT(list.n, 0);
	dup[1].id = 11;
	dup[1].requirements = PTHRU_REQUIREMENT_NO_ATS;
	CHECK_INT(policy_local_convert(&doc, &converted, &parsed, err,
				       sizeof(err)), -EINVAL);
	CHECK_STR(err, "rule 11: requirements need an allow");
	dup[1].action = PTHRU_ACTION_ALLOW;
	CHECK_INT(policy_local_convert(&doc, &converted, &parsed, err,
				       sizeof(err)), 0);
	CHECK_INT(converted.nr_rules, 2);
	CHECK_INT(converted.rules[1].id, 11);
	CHECK_INT(converted.rules[1].requirements, PTHRU_POLICY_REQ_NO_ATS);
	free(parsed);
	CHECK_INT(policy_local_test(&facts, &doc, NULL, "vfio pci", &list, err,
				    sizeof(err)), -EINVAL);
	CHECK_STR(err, "test-driver must be a driver name");

	/* What the core's own check refuses, worded as the module's extack. */
	rules[0].id = 1;
	rules[1].id = 7;
	rules[1].match.class_mask = 0xff0000;
	CHECK_INT(policy_local_check(&policy, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "rule 7: class mask without class");
	policy.default_action = PTHRU_POLICY_ACTION_DENY;
	policy.default_requirements = PTHRU_POLICY_REQ_NO_ATS;
	CHECK_INT(policy_local_check(&policy, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "policy: requirements on a deny action");
	facts_free(&facts);
}

/* How a decision that is not established prints, text and JSON. */
static void test_print(void)
{
	static const char msi_policy[] =
		"rule 10 allow vendor 0x1af4 require isolated-msi\n";
	char err[POLICY_LOCAL_ERR_MAX] = "";
	struct policy_decision_list list;
	struct capture c;
	struct facts facts;

	build(&facts, ACS_ON, PTHRU_TRISTATE_UNKNOWN, 0);
	report_source.source = FACTS_SYSFS;
	report_source.facts = &facts;
	CHECK_INT(run(&facts, msi_policy, NULL, &list, err, sizeof(err)), 0);
	CHECK_INT(policy_test_print(capture_open(&c), "vfio-pci", &list, false),
		  0);
	CHECK_STR(capture_close(&c),
		  "source: sysfs\n"
		  "ADDRESS       VERDICT          DECIDED-BY  UNMET\n"
		  "0000:01:00.0  not established  rule 10     isolated-msi\n"
		  "0000:02:00.0  deny             default     -\n"
		  "not established (1), shown as decided with the facts it lacks at their worst:\n"
		  "  0000:01:00.0: isolated-msi: whether group 3's MSIs are isolated (sysfs does not show interrupt remapping)\n");
	free(c.text);
	CHECK_INT(policy_test_print(capture_open(&c), "vfio-pci", &list, true),
		  0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"sysfs\",\"driver\":\"vfio-pci\",\"decisions\":[\n"
		  "{\"addr\":\"0000:01:00.0\",\"driver\":\"vfio-pci\",\"verdict\":\"deny\",\"by_default\":false,\"rule_id\":10,\"rule_label\":\"\",\"unmet\":[\"isolated-msi\"],\"established\":false,\"undetermined\":[{\"what\":\"isolated-msi\",\"why\":\"whether group 3's MSIs are isolated (sysfs does not show interrupt remapping)\"}]},\n"
		  "{\"addr\":\"0000:02:00.0\",\"driver\":\"vfio-pci\",\"verdict\":\"deny\",\"by_default\":true,\"rule_id\":null,\"rule_label\":null,\"unmet\":[],\"established\":true,\"undetermined\":[]}\n"
		  "]}\n");
	unit_json_doc("policy-test", c.text);
	free(c.text);
	policy_decision_list_free(&list);
	report_source.source = FACTS_MODULE;
	report_source.facts = NULL;
	facts_free(&facts);
}

/* The options, as the command line takes them; no source is read. */
static void test_cli_options(void)
{
	char path[] = "/tmp/pthructl-test-local-XXXXXX";
	struct unit_run r;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(write(fd, acs_policy, strlen(acs_policy)),
		  (int)strlen(acs_policy));
	close(fd);
	unit_run(&r, NULL, "policy", "show", "--no-module", NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.err, "pthructl: option '--no-module' is only for policy test\n");
	unit_run_free(&r);
	unit_run(&r, NULL, "policy", "save", "--snapshot", "s.json", NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.err, "pthructl: option '--snapshot' is only for policy test\n");
	unit_run_free(&r);
	unit_run(&r, NULL, "policy", "test", path, "--no-module", "--snapshot",
		 "s.json", NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "pthructl: --snapshot and --no-module do not go together: a snapshot file is read without the module already\n");
	unit_run_free(&r);
	unlink(path);
}

void test_policy_local(void)
{
	test_allow_and_deny_by_acs();
	test_not_established();
	test_serial_unknown();
	test_errors();
	test_print();
	test_cli_options();
}
