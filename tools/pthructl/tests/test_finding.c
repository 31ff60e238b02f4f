// SPDX-License-Identifier: GPL-2.0
/*
 * Findings: parsing hazard-get replies built by hand, malformed nests,
 * ordering, counting, the severity threshold, and the JSON object and
 * text lines of the output contract.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "finding.h"
#include "unit.h"

#define FAMILY	0x20

#define ACS_MSG	"0000:04:00.0 reaches 0000:05:00.0 through switch downstream port 0000:03:00.0 (ACS SV RR CR UF not enabled)"
#define ACS_FIX	"enable ACS on 0000:03:00.0 or assign the whole isolation group"

#define ACS_JSON							\
	"{\"id\":\"PTHRU-006\",\"name\":\"acs-missing\",\"severity\":\"high\","	\
	"\"addr\":\"0000:04:00.0\",\"group\":7,\"message\":\"" ACS_MSG	\
	"\",\"remediation\":\"" ACS_FIX "\"" UNIT_NO_FACTS "}"

/* A dump message as the module sends it: the generation and one finding. */
static struct nlmsghdr *acs_msg(char *buf)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY,
					     PTHRU_CMD_HAZARD_GET);

	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 12);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_ACS_MISSING,
			 PTHRU_SEVERITY_HIGH, "0000:04:00.0", 7, ACS_MSG,
			 ACS_FIX);
	return nlh;
}

static void test_finding_parse(void)
{
	struct finding_list list = {};
	struct hazard_msg msg;
	struct nlmsghdr *nlh;
	const struct finding *f;
	char buf[8192];
	uint16_t bad = 0;

	CHECK_INT(hazard_msg_parse(acs_msg(buf), &msg, &list, &bad), 0);
	CHECK(msg.has_generation);
	CHECK_INT(msg.generation, 12);
	CHECK_INT(msg.n_findings, 1);
	CHECK_INT(list.n, 1);
	f = &list.items[0];
	CHECK_INT(f->id, PTHRU_HAZARD_ID_ACS_MISSING);
	CHECK_INT(f->severity, PTHRU_SEVERITY_HIGH);
	CHECK_STR(f->addr, "0000:04:00.0");
	CHECK(finding_has(f, PTHRU_A_FINDING_GROUP_ID));
	CHECK_INT(f->group_id, 7);
	CHECK_STR(f->message, ACS_MSG);
	CHECK_STR(f->remediation, ACS_FIX);

	/* A do reply: every finding nested in one message, appended. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 13);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_IOMMU_ABSENT,
			 PTHRU_SEVERITY_CRITICAL, NULL, -1, "no IOMMU", NULL);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_DIRECT_REGION,
			 PTHRU_SEVERITY_HIGH, NULL, 0, NULL, "fix it");
	/* An attribute from a newer module is ignored. */
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_MAX + 1, 5);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	CHECK_INT(msg.generation, 13);
	CHECK_INT(msg.n_findings, 2);
	CHECK_INT(list.n, 3);
	f = &list.items[1];
	CHECK_INT(f->id, PTHRU_HAZARD_ID_IOMMU_ABSENT);
	CHECK(!finding_has(f, PTHRU_A_FINDING_ADDR));
	CHECK(!finding_has(f, PTHRU_A_FINDING_GROUP_ID));
	CHECK(!finding_has(f, PTHRU_A_FINDING_REMEDIATION));
	f = &list.items[2];
	CHECK(finding_has(f, PTHRU_A_FINDING_GROUP_ID));
	CHECK_INT(f->group_id, 0);
	CHECK(!finding_has(f, PTHRU_A_FINDING_MESSAGE));

	/* A message without generation or finding: nothing added. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	CHECK(!msg.has_generation);
	CHECK_INT(msg.n_findings, 0);
	CHECK_INT(list.n, 3);
	finding_list_free(&list);
	CHECK(list.items == NULL && list.n == 0);
}

static void test_finding_malformed(void)
{
	struct finding_list list = {};
	struct hazard_msg msg;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct finding f;
	char buf[8192], long_text[FINDING_TEXT_MAX + 8];
	uint16_t bad = 0;

	/* No severity: a finding that cannot be judged. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID, 6);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_HAZARD_FINDING);
	CHECK_INT(list.n, 0);

	/* No id. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, 3);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(finding_parse(nest, &f, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_FINDING_ID);

	/* An id of the wrong width. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u16(nlh, PTHRU_A_FINDING_ID, 6);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, 3);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(finding_parse(nest, &f, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_FINDING_ID);

	/* An address longer than any PCI address. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	unit_put_finding(nlh, 6, 3, "0000:04:00.0.0.0.0", 1, "m", "r");
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_HAZARD_FINDING);

	/* A message longer than the tool takes. */
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	unit_put_finding(nlh, 6, 3, NULL, 1, long_text, "r");
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), -EBADMSG);

	/* A message string without its NUL. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID, 6);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, 3);
	mnl_attr_put(nlh, PTHRU_A_FINDING_MESSAGE, 3, "abc");
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), -EBADMSG);

	/* A generation of the wrong width. */
	nlh = acs_msg(buf);
	mnl_attr_put_u16(nlh, PTHRU_A_HAZARD_GENERATION, 1);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_HAZARD_GENERATION);

	/* A finding that is not a nest. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_FINDING, 1);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), -EBADMSG);
	finding_list_free(&list);
}

static struct finding make(uint16_t id, uint8_t severity, const char *addr,
			   long long group, const char *message)
{
	struct finding f = {};

	f.id = id;
	f.severity = severity;
	f.present = 1U << PTHRU_A_FINDING_ID | 1U << PTHRU_A_FINDING_SEVERITY |
		    1U << PTHRU_A_FINDING_MESSAGE;
	if (addr) {
		snprintf(f.addr, sizeof(f.addr), "%s", addr);
		f.present |= 1U << PTHRU_A_FINDING_ADDR;
	}
	if (group >= 0) {
		f.group_id = group;
		f.present |= 1U << PTHRU_A_FINDING_GROUP_ID;
	}
	snprintf(f.message, sizeof(f.message), "%s", message);
	return f;
}

static void test_finding_order(void)
{
	struct finding_list list = {};
	const struct finding in[] = {
		make(13, PTHRU_SEVERITY_MEDIUM, "0000:01:00.0", 3, "ats"),
		make(6, PTHRU_SEVERITY_HIGH, "0000:05:00.0", 8, "b"),
		make(6, PTHRU_SEVERITY_HIGH, "0000:04:00.0", 7, "a"),
		make(1, PTHRU_SEVERITY_CRITICAL, NULL, -1, "absent"),
		make(9, PTHRU_SEVERITY_LOW, NULL, 2, "relaxable"),
		make(8, PTHRU_SEVERITY_HIGH, NULL, 2, "direct"),
		make(10, PTHRU_SEVERITY_HIGH, NULL, -1, "host-wide msi"),
		make(10, PTHRU_SEVERITY_HIGH, NULL, 4, "group msi"),
		make(99, 7, NULL, -1, "from a newer module"),
	};
	static const char *const want[] = {
		"from a newer module", "absent", "a", "b", "direct",
		"host-wide msi", "group msi", "ats", "relaxable",
	};
	size_t counts[SEVERITY_COUNT], total, i;

	for (i = 0; i < ARRAY_SIZE(in); i++)
		CHECK_INT(finding_list_add(&list, &in[i]), 0);
	finding_list_sort(&list);
	CHECK_INT(list.n, ARRAY_SIZE(want));
	for (i = 0; i < list.n; i++)
		CHECK_STR(list.items[i].message, want[i]);

	finding_list_count(&list, counts, &total);
	CHECK_INT(counts[PTHRU_SEVERITY_CRITICAL], 1);
	CHECK_INT(counts[PTHRU_SEVERITY_HIGH], 5);
	CHECK_INT(counts[PTHRU_SEVERITY_MEDIUM], 1);
	CHECK_INT(counts[PTHRU_SEVERITY_LOW], 1);
	CHECK_INT(counts[PTHRU_SEVERITY_INFO], 0);
	/* The unknown severity counts in the total only. */
	CHECK_INT(total, 9);

	/* The newer module's severity 7 reaches every threshold. */
	CHECK(finding_list_reaches(&list, PTHRU_SEVERITY_CRITICAL));
	list.items[0].severity = PTHRU_SEVERITY_INFO;
	CHECK(finding_list_reaches(&list, PTHRU_SEVERITY_CRITICAL));
	list.items[1].severity = PTHRU_SEVERITY_INFO;
	CHECK(!finding_list_reaches(&list, PTHRU_SEVERITY_CRITICAL));
	CHECK(finding_list_reaches(&list, PTHRU_SEVERITY_HIGH));
	finding_list_free(&list);

	/* An empty list reaches nothing, not even info. */
	CHECK(!finding_list_reaches(&list, PTHRU_SEVERITY_INFO));
	finding_list_count(&list, counts, &total);
	CHECK_INT(total, 0);
}

static void test_finding_output(void)
{
	struct finding_list list = {};
	struct finding_widths w;
	struct hazard_msg msg;
	struct capture c;
	struct json j;
	struct finding host, bridge;
	char buf[8192], subject[32];
	uint16_t bad = 0;

	CHECK_INT(hazard_msg_parse(acs_msg(buf), &msg, &list, &bad), 0);
	json_init(&j, capture_open(&c));
	finding_json(&j, NULL, &list.items[0]);
	CHECK_STR(capture_close(&c), ACS_JSON);
	free(c.text);

	/* Host-wide, without a remediation: nulls. */
	host = make(1, PTHRU_SEVERITY_CRITICAL, NULL, -1,
		    "no PCI function has an IOMMU group");
	json_init(&j, capture_open(&c));
	finding_json(&j, NULL, &host);
	CHECK_STR(capture_close(&c),
		  "{\"id\":\"PTHRU-001\",\"name\":\"iommu-absent\",\"severity\":\"critical\",\"addr\":null,\"group\":null,\"message\":\"no PCI function has an IOMMU group\",\"remediation\":null" UNIT_NO_FACTS "}");
	free(c.text);

	/* A reason without an ID, and an unknown severity. */
	bridge = make(0, 9, "0000:00:03.0", -1, "a \"bridge\"");
	bridge.name = "bridge";
	json_init(&j, capture_open(&c));
	finding_json(&j, "reason", &bridge);
	CHECK_STR(capture_close(&c),
		  "\"reason\":{\"id\":null,\"name\":\"bridge\",\"severity\":\"unknown\",\"addr\":\"0000:00:03.0\",\"group\":null,\"message\":\"a \\\"bridge\\\"\",\"remediation\":null" UNIT_NO_FACTS "}");
	free(c.text);

	CHECK_STR(finding_subject(&list.items[0], subject, sizeof(subject)),
		  "0000:04:00.0");
	CHECK_STR(finding_subject(&host, subject, sizeof(subject)), "host");
	host.present |= 1U << PTHRU_A_FINDING_GROUP_ID;
	host.group_id = 4294967295U;
	CHECK_STR(finding_subject(&host, subject, sizeof(subject)),
		  "group 4294967295");

	/* Text: columns aligned over the findings given to the widths. */
	finding_widths_init(&w);
	finding_widths_add(&w, &list.items[0]);
	finding_widths_add(&w, &host);
	finding_widths_add(&w, &bridge);
	CHECK_INT(w.name, strlen("iommu-absent"));
	CHECK_INT(w.subject, strlen("group 4294967295"));
	finding_print_text(capture_open(&c), &list.items[0], &w, "  ", "");
	finding_print_text(c.f, &host, &w, "  ", "");
	finding_print_text(c.f, &bridge, &w, "", "> ");
	CHECK_STR(capture_close(&c),
		  "  PTHRU-006 acs-missing   0000:04:00.0      " ACS_MSG "\n"
		  "    fix: " ACS_FIX "\n"
		  "  PTHRU-001 iommu-absent  group 4294967295  no PCI function has an IOMMU group\n"
		  "> -         bridge        0000:00:03.0      a \"bridge\"\n");
	free(c.text);
	finding_list_free(&list);
}

/* The typed facts of three kinds of finding, and their JSON keys. */
static void test_finding_facts(void)
{
	static struct finding f;
	struct finding_list list = {};
	struct hazard_msg msg;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct capture c;
	struct json j;
	char buf[8192];
	uint16_t bad = 0;

	/* acs-missing: the hop and its registers. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 3);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID, PTHRU_HAZARD_ID_ACS_MISSING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, PTHRU_SEVERITY_HIGH);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_ADDR, "0000:04:00.0");
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_MESSAGE, "m");
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_HOP, "0000:03:00.0");
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_HOP_KIND,
			 PTHRU_P2P_HOP_DOWNSTREAM);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_POS, 0x148);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_CTRL, 0x0001);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_NEEDED, 0x001c);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_REACH_COUNT, 2);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	CHECK_INT(list.n, 1);
	CHECK_STR(list.items[0].hop, "0000:03:00.0");
	CHECK_INT(list.items[0].acs_needed, 0x1c);
	json_init(&j, capture_open(&c));
	finding_json(&j, NULL, &list.items[0]);
	CHECK_STR(capture_close(&c),
		  "{\"id\":\"PTHRU-006\",\"name\":\"acs-missing\",\"severity\":\"high\",\"addr\":\"0000:04:00.0\",\"group\":null,\"message\":\"m\",\"remediation\":null,\"hop\":\"0000:03:00.0\",\"hop_kind\":\"downstream\",\"acs_pos\":328,\"acs_ctrl\":\"0001\",\"acs_ctrl_baseline\":null,\"acs_needed\":\"001c\",\"reach_count\":2,\"peer\":null,\"peer_group_id\":null,\"isolation_group\":null,\"driver\":null,\"peer_driver\":null,\"region_type\":null,\"region_start\":null,\"region_end\":null,\"domain_id\":null,\"iova\":null,\"count\":null,\"domains\":null,\"memory_kind\":null,\"phys\":null,\"phys_expected\":null}");
	free(c.text);
	finding_list_free(&list);

	/* kernel-memory-mapped as CAP_SYS_ADMIN sees it: the mapping facts. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID,
			 PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY,
			 PTHRU_SEVERITY_CRITICAL);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_GROUP_ID, 7);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_DRIVER, "vfio-pci");
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_DOMAIN_ID, 4);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_IOVA, 0x100000);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_COUNT, 5000000000ULL);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_DOMAINS, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_MEMORY_KIND,
			 PTHRU_MEMORY_KIND_SLAB);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_PHYS, 0x12a3f4000ULL);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_PHYS_EXPECTED, 0x1000);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	json_init(&j, capture_open(&c));
	finding_json(&j, NULL, &list.items[0]);
	CHECK(strstr(capture_close(&c),
		     "\"driver\":\"vfio-pci\",\"peer_driver\":null,\"region_type\":null,\"region_start\":null,\"region_end\":null,\"domain_id\":4,\"iova\":\"0x0000000000100000\",\"count\":5000000000,\"domains\":1,\"memory_kind\":\"slab\",\"phys\":\"0x000000012a3f4000\",\"phys_expected\":\"0x0000000000001000\"}") != NULL);
	free(c.text);
	finding_list_free(&list);

	/* direct-region: the region, a type from a newer module by name. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID,
			 PTHRU_HAZARD_ID_DIRECT_REGION);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, PTHRU_SEVERITY_MEDIUM);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_REGION_TYPE,
			 PTHRU_RESV_TYPE_DIRECT);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_REGION_START, 0xe0000);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_REGION_END, 0xeffff);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_HOP_KIND, 77);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	json_init(&j, capture_open(&c));
	finding_json(&j, NULL, &list.items[0]);
	capture_close(&c);
	CHECK(strstr(c.text, "\"hop_kind\":\"unknown\"") != NULL);
	CHECK(strstr(c.text, "\"region_type\":\"direct\",\"region_start\":\"0x00000000000e0000\",\"region_end\":\"0x00000000000effff\"") != NULL);
	free(c.text);
	finding_list_free(&list);

	/* A fact of the wrong width, or an address too long: malformed. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID, 6);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, 3);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_IOVA, 1);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(finding_parse(nest, &f, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_FINDING_IOVA);
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID, 6);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, 3);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_PEER, "0000:05:00.0.0.0.0");
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_HAZARD_FINDING);
	CHECK_INT(list.n, 0);
	finding_list_free(&list);
}

void test_finding(void)
{
	test_finding_facts();
	test_finding_parse();
	test_finding_malformed();
	test_finding_order();
	test_finding_output();
}
