// SPDX-License-Identifier: GPL-2.0
/*
 * check ADDR: reasons (medium and above) against notes, the bridge rule,
 * and the verdict in text and JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "check.h"
#include "unit.h"

#define FAMILY	0x20

static void make_dev(struct dev_view *dev, const char *addr, uint32_t class,
		     long long group)
{
	char buf[8192];
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DEV_GET);
	uint16_t bad;

	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, addr);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_CLASS, class);
	if (group >= 0)
		mnl_attr_put_u32(nlh, PTHRU_A_DEV_GROUP_ID, group);
	CHECK_INT(dev_parse(nlh, dev, &bad), 0);
}

/* What hazard-get with addr=0000:04:00.0 could answer. */
static void make_findings(struct finding_list *list, bool with_medium)
{
	struct nlmsghdr *nlh;
	struct hazard_msg msg;
	char buf[8192];
	uint16_t bad;

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 3);
	if (with_medium)
		unit_put_finding(nlh, PTHRU_HAZARD_ID_ACS_MISSING,
				 PTHRU_SEVERITY_MEDIUM, "0000:04:00.0", 7,
				 "switch downstream port 0000:03:00.0 is open, nobody reachable yet",
				 "enable ACS on 0000:03:00.0");
	unit_put_finding(nlh, PTHRU_HAZARD_ID_RELAXABLE_REGION,
			 PTHRU_SEVERITY_LOW, NULL, 7, "group 7 has a relaxable region",
			 "none needed");
	unit_put_finding(nlh, 40, PTHRU_SEVERITY_INFO, NULL, -1,
			 "something a newer module knows", NULL);
	memset(list, 0, sizeof(*list));
	CHECK_INT(hazard_msg_parse(nlh, &msg, list, &bad), 0);
	finding_list_sort(list);
}

static void test_check_verdicts(void)
{
	struct finding_list findings;
	struct check_verdict v;
	struct dev_view dev;
	struct capture c;

	/* An endpoint with a medium finding: not assignable. */
	make_dev(&dev, "0000:04:00.0", 0x020000, 7);
	CHECK(!dev_is_bridge(&dev));
	make_findings(&findings, true);
	CHECK_INT(check_judge(&dev, &findings, &v), 0);
	CHECK(!v.assignable);
	CHECK_INT(v.reasons.n, 1);
	CHECK_INT(v.notes.n, 2);
	check_print(capture_open(&c), "0000:04:00.0", &v, false);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "0000:04:00.0: NOT assignable\n"
		  "reasons:\n"
		  "  medium   PTHRU-006 acs-missing       0000:04:00.0  switch downstream port 0000:03:00.0 is open, nobody reachable yet\n"
		  "    fix: enable ACS on 0000:03:00.0\n"
		  "notes:\n"
		  "  low      PTHRU-009 relaxable-region  group 7       group 7 has a relaxable region\n"
		  "    fix: none needed\n"
		  "  info     PTHRU-040 unknown           host          something a newer module knows\n");
	free(c.text);
	check_print(capture_open(&c), "0000:04:00.0", &v, true);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"module\",\"addr\":\"0000:04:00.0\",\"assignable\":false,\"established\":true,\"reasons\":[{\"id\":\"PTHRU-006\",\"name\":\"acs-missing\",\"severity\":\"medium\",\"addr\":\"0000:04:00.0\",\"group\":7,\"message\":\"switch downstream port 0000:03:00.0 is open, nobody reachable yet\",\"remediation\":\"enable ACS on 0000:03:00.0\"" UNIT_NO_FACTS "}],\"notes\":[{\"id\":\"PTHRU-009\",\"name\":\"relaxable-region\",\"severity\":\"low\",\"addr\":null,\"group\":7,\"message\":\"group 7 has a relaxable region\",\"remediation\":\"none needed\"" UNIT_NO_FACTS "},{\"id\":\"PTHRU-040\",\"name\":\"unknown\",\"severity\":\"info\",\"addr\":null,\"group\":null,\"message\":\"something a newer module knows\",\"remediation\":null" UNIT_NO_FACTS "}],\"with_group\":null,\"sriov\":null,\"not_established\":[]}\n");
	unit_json_doc("check", c.text);
	free(c.text);
	check_verdict_free(&v);
	finding_list_free(&findings);

	/* Only low findings: assignable, with notes. */
	make_findings(&findings, false);
	CHECK_INT(check_judge(&dev, &findings, &v), 0);
	CHECK(v.assignable);
	CHECK_INT(v.reasons.n, 0);
	check_print(capture_open(&c), "0000:04:00.0", &v, false);
	capture_close(&c);
	CHECK(strstr(c.text, "source: module\n0000:04:00.0: assignable\nnotes:\n") == c.text);
	CHECK(strstr(c.text, "reasons:") == NULL);
	free(c.text);
	check_print(capture_open(&c), "0000:04:00.0", &v, true);
	capture_close(&c);
	CHECK(strstr(c.text, "\"assignable\":true,\"established\":true,\"reasons\":[],\"notes\":[{") != NULL);
	unit_json_doc("check", c.text);
	free(c.text);
	check_verdict_free(&v);

	/* Nothing at all: the verdict line alone. */
	findings.n = 0;
	CHECK_INT(check_judge(&dev, &findings, &v), 0);
	CHECK(v.assignable);
	check_print(capture_open(&c), "0000:04:00.0", &v, false);
	CHECK_STR(capture_close(&c), "source: module\n0000:04:00.0: assignable\n");
	free(c.text);
	check_print(capture_open(&c), "0000:04:00.0", &v, true);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"module\",\"addr\":\"0000:04:00.0\",\"assignable\":true,\"established\":true,\"reasons\":[],\"notes\":[],\"with_group\":null,\"sriov\":null,\"not_established\":[]}\n");
	unit_json_doc("check", c.text);
	free(c.text);
	check_verdict_free(&v);
	finding_list_free(&findings);
}

/*
 * Reach inside its own IOMMU group (acs-missing at info): assignable,
 * together with the group, whose members are listed.
 */
static void test_check_whole_group(void)
{
	static char members[3][PCI_ADDR_STRLEN] = {
		"0000:09:00.0", "0000:0a:01.0", "0000:0a:02.0",
	};
	struct finding_list findings = {};
	struct check_verdict v;
	struct dev_view dev;
	struct nlmsghdr *nlh;
	struct hazard_msg msg;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	make_dev(&dev, "0000:0a:01.0", 0x000000, 7);
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 3);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_ACS_MISSING, PTHRU_SEVERITY_INFO,
			 "0000:0a:01.0", 7,
			 "0000:0a:01.0 reaches 1 other function(s) of its own IOMMU group 7 without the IOMMU",
			 "assign every device the hop can reach to the same guest");
	CHECK_INT(hazard_msg_parse(nlh, &msg, &findings, &bad), 0);
	CHECK_INT(check_judge(&dev, &findings, &v), 0);
	CHECK(v.assignable);
	CHECK(v.whole_group);
	CHECK_INT(v.group_id, 7);
	/* What cmd_check() gets from group-get. */
	v.group.members = members;
	v.group.n_members = 3;
	check_print(capture_open(&c), "0000:0a:01.0", &v, false);
	capture_close(&c);
	CHECK(strstr(c.text, "source: module\n0000:0a:01.0: assignable together with IOMMU group 7\n"
			     "with: 0000:09:00.0 0000:0a:01.0 0000:0a:02.0 (reach inside the group: assign them all to the same owner)\n"
			     "notes:\n") == c.text);
	free(c.text);
	check_print(capture_open(&c), "0000:0a:01.0", &v, true);
	capture_close(&c);
	CHECK(strstr(c.text, "\"with_group\":{\"group\":7,\"members\":[\"0000:09:00.0\",\"0000:0a:01.0\",\"0000:0a:02.0\"]},\"sriov\":null,\"not_established\":[]}\n"));
	unit_json_doc("check", c.text);
	free(c.text);
	v.group.members = NULL;
	v.group.n_members = 0;
	check_verdict_free(&v);
	finding_list_free(&findings);
}

/*
 * A VF whose PF has no ACS capability: the verdict names the PF and says
 * the isolation inside the device is assumed, in text and JSON.
 */
static void test_check_sriov_assumed(void)
{
	struct finding_list findings = {};
	struct check_verdict v;
	struct dev_view dev;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DEV_GET);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, "0000:01:00.1");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_CLASS, 0x010802);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_GROUP_ID, 9);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_SRIOV_PF, "0000:01:00.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SRIOV_ASSUMED, 1);
	CHECK_INT(dev_parse(nlh, &dev, &bad), 0);
	CHECK_INT(check_judge(&dev, &findings, &v), 0);
	CHECK(v.assignable);
	CHECK(v.sriov && v.sriov_assumed);
	check_print(capture_open(&c), "0000:01:00.1", &v, false);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "0000:01:00.1: assignable\n"
		  "sr-iov: a function of the SR-IOV device of PF 0000:01:00.0; isolation between the PF and its VFs is assumed (no ACS capability governs it)\n");
	free(c.text);
	check_print(capture_open(&c), "0000:01:00.1", &v, true);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"module\",\"addr\":\"0000:01:00.1\",\"assignable\":true,\"established\":true,\"reasons\":[],\"notes\":[],\"with_group\":null,\"sriov\":{\"pf\":\"0000:01:00.0\",\"assumed\":true},\"not_established\":[]}\n");
	unit_json_doc("check", c.text);
	free(c.text);
	check_verdict_free(&v);
}

/*
 * A path pthru cannot classify: topology-unknown is info, yet about the
 * function it is a reason (never judged isolated); about the host a note.
 */
static void test_check_topology_unknown(void)
{
	struct finding_list findings = {};
	struct check_verdict v;
	struct dev_view dev;
	struct nlmsghdr *nlh;
	struct hazard_msg msg;
	char buf[8192];
	uint16_t bad;

	make_dev(&dev, "0000:05:00.0", 0x020000, 4);
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 3);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN,
			 PTHRU_SEVERITY_INFO, "0000:05:00.0", 4,
			 "0000:05:00.0 sits below 0000:04:00.0, a bridge of PCIe port type a that pthru does not know",
			 "report the host");
	unit_put_finding(nlh, PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN,
			 PTHRU_SEVERITY_INFO, NULL, -1,
			 "the IOMMU driver is foo-iommu, which pthru does not know",
			 "report the host");
	CHECK_INT(hazard_msg_parse(nlh, &msg, &findings, &bad), 0);
	CHECK_INT(check_judge(&dev, &findings, &v), 0);
	CHECK(!v.assignable);
	CHECK_INT(v.reasons.n, 1);
	CHECK_INT(v.notes.n, 1);
	CHECK_STR(v.reasons.items[0].addr, "0000:05:00.0");
	check_verdict_free(&v);
	finding_list_free(&findings);
}

static void test_check_bridge(void)
{
	struct finding_list none = {};
	struct check_verdict v;
	struct dev_view dev;
	struct capture c;

	/* A PCIe port without any finding is still refused. */
	make_dev(&dev, "0000:00:03.0", 0x060400, 3);
	CHECK(dev_is_bridge(&dev));
	CHECK_INT(check_judge(&dev, &none, &v), 0);
	CHECK(!v.assignable);
	CHECK_INT(v.reasons.n, 1);
	check_print(capture_open(&c), "0000:00:03.0", &v, false);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "0000:00:03.0: NOT assignable\n"
		  "reasons:\n"
		  "  high     -         bridge  0000:00:03.0  0000:00:03.0 is a PCI bridge (class 060400): a bridge is never assigned to a guest\n"
		  "    fix: assign the endpoint functions below the bridge instead\n");
	free(c.text);
	check_print(capture_open(&c), "0000:00:03.0", &v, true);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"module\",\"addr\":\"0000:00:03.0\",\"assignable\":false,\"established\":true,\"reasons\":[{\"id\":null,\"name\":\"bridge\",\"severity\":\"high\",\"addr\":\"0000:00:03.0\",\"group\":3,\"message\":\"0000:00:03.0 is a PCI bridge (class 060400): a bridge is never assigned to a guest\",\"remediation\":\"assign the endpoint functions below the bridge instead\"" UNIT_NO_FACTS "}],\"notes\":[],\"with_group\":null,\"sriov\":null,\"not_established\":[]}\n");
	unit_json_doc("check", c.text);
	free(c.text);
	check_verdict_free(&v);

	/* Subtractive-decode bridges too; host bridges (0600) are not ports. */
	make_dev(&dev, "0000:00:1e.0", 0x060401, -1);
	CHECK(dev_is_bridge(&dev));
	make_dev(&dev, "0000:00:1c.0", 0x060900, -1);
	CHECK(dev_is_bridge(&dev));
	make_dev(&dev, "0000:02:00.0", 0x060700, -1);
	CHECK(dev_is_bridge(&dev));
	make_dev(&dev, "0000:00:1f.0", 0x060100, 5);
	CHECK(!dev_is_bridge(&dev));
	make_dev(&dev, "0000:00:00.0", 0x060000, 0);
	CHECK(!dev_is_bridge(&dev));
	CHECK_INT(check_judge(&dev, &none, &v), 0);
	CHECK(v.assignable);
	check_verdict_free(&v);
}

void test_check(void)
{
	test_check_verdicts();
	test_check_bridge();
	test_check_whole_group();
	test_check_sriov_assumed();
	test_check_topology_unknown();
}
