// SPDX-License-Identifier: GPL-2.0
/*
 * The audit report: --fail-on and --format parsing, the exit status, and
 * the exact text, JSON and Prometheus output for findings that come from
 * a hand-built hazard-get reply and from a command line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "audit.h"
#include "cmdline.h"
#include "pthructl.h"
#include "unit.h"

#define FAMILY	0x20

static void test_audit_options(void)
{
	enum pthructl_format format;
	int t = 99;

	CHECK_INT(audit_parse_fail_on("info", &t), 0);
	CHECK_INT(t, PTHRU_SEVERITY_INFO);
	CHECK_INT(audit_parse_fail_on("low", &t), 0);
	CHECK_INT(t, PTHRU_SEVERITY_LOW);
	CHECK_INT(audit_parse_fail_on("medium", &t), 0);
	CHECK_INT(t, PTHRU_SEVERITY_MEDIUM);
	CHECK_INT(audit_parse_fail_on("high", &t), 0);
	CHECK_INT(t, PTHRU_SEVERITY_HIGH);
	CHECK_INT(audit_parse_fail_on("Critical", &t), 0);
	CHECK_INT(t, PTHRU_SEVERITY_CRITICAL);
	CHECK_INT(audit_parse_fail_on("none", &t), 0);
	CHECK_INT(t, FAIL_ON_NONE);
	CHECK_INT(audit_parse_fail_on("NONE", &t), 0);
	t = 99;
	CHECK_INT(audit_parse_fail_on("", &t), -EINVAL);
	CHECK_INT(audit_parse_fail_on("never", &t), -EINVAL);
	CHECK_INT(audit_parse_fail_on("2", &t), -EINVAL);
	CHECK_INT(audit_parse_fail_on("high ", &t), -EINVAL);
	CHECK_INT(t, 99);

	CHECK_INT(pthructl_parse_format("text", &format), 0);
	CHECK_INT(format, FORMAT_TEXT);
	CHECK_INT(pthructl_parse_format("json", &format), 0);
	CHECK_INT(format, FORMAT_JSON);
	CHECK_INT(pthructl_parse_format("prometheus", &format), 0);
	CHECK_INT(format, FORMAT_PROMETHEUS);
	CHECK_INT(pthructl_parse_format("prom", &format), -EINVAL);
	CHECK_INT(pthructl_parse_format("", &format), -EINVAL);
}

static struct nlmsghdr *findings_msg(char *buf)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY,
					     PTHRU_CMD_HAZARD_GET);

	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 12);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_ACS_MISSING,
			 PTHRU_SEVERITY_HIGH, "0000:04:00.0", 7,
			 "switch downstream port 0000:03:00.0 lets 0000:04:00.0 reach 1 function (ACS SV RR CR UF missing)",
			 "assign 0000:04:00.0 with every function it reaches");
	unit_put_finding(nlh, PTHRU_HAZARD_ID_RELAXABLE_REGION,
			 PTHRU_SEVERITY_LOW, NULL, 2,
			 "group 2 has a direct-relaxable region 0x0-0xffffff",
			 "none needed for assignment");
	unit_put_finding(nlh, PTHRU_HAZARD_ID_GROUP_NARROWER,
			 PTHRU_SEVERITY_HIGH, "0000:04:00.0", 7,
			 "group 7 holds 0000:04:00.0 but 0000:05:00.0 in group 8 reaches it",
			 "assign groups 7 and 8 together");
	return nlh;
}

static void make_status(char *buf, struct pthru_status *st)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY,
					     PTHRU_CMD_STATUS_GET);

	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_VERSION, "0.1.0");
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_KERNEL_RELEASE, "6.1.0-56-amd64");
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_IOMMU_PRESENT, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_GENERATION, 12);
	CHECK_INT(status_parse(nlh, st), 0);
}

/* Module findings and "iommu.strict=0" on the command line, sorted. */
static void make_report(struct audit_report *r, struct pthru_status *st,
			const char *cmdline)
{
	struct hazard_msg msg;
	char buf[8192];
	uint16_t bad;

	memset(r, 0, sizeof(*r));
	CHECK_INT(hazard_msg_parse(findings_msg(buf), &msg, &r->list, &bad), 0);
	CHECK_INT(cmdline_findings(cmdline, &r->list), 0);
	finding_list_sort(&r->list);
	make_status(buf, st);
	r->status = st;
	r->has_generation = true;
	r->generation = msg.generation;
	r->refreshed = true;
	r->has_quirk_hops = true;
	r->quirk_hops = 3;
	r->kernel_release = "6.1.0-56-amd64";
	r->cmdline = cmdline;
}

#define STRICT_MSG	"kernel command line has 'iommu.strict=0': IOTLB invalidation is lazy: a device can use stale translations of freed pages"
#define STRICT_FIX	"remove 'iommu.strict=0' (or set iommu.strict=1) from the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) and reboot"

static void test_audit_text(void)
{
	struct audit_report r;
	struct pthru_status st;
	struct capture c;

	make_report(&r, &st, "ro quiet iommu.strict=0");
	audit_print(capture_open(&c), &r, FORMAT_TEXT);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "pthru audit: kernel 6.1.0-56-amd64, generation 12, re-evaluated now\n"
		  "\n"
		  "high (2):\n"
		  "  PTHRU-005 group-narrower     0000:04:00.0  group 7 holds 0000:04:00.0 but 0000:05:00.0 in group 8 reaches it\n"
		  "    fix: assign groups 7 and 8 together\n"
		  "  PTHRU-006 acs-missing        0000:04:00.0  switch downstream port 0000:03:00.0 lets 0000:04:00.0 reach 1 function (ACS SV RR CR UF missing)\n"
		  "    fix: assign 0000:04:00.0 with every function it reaches\n"
		  "\n"
		  "medium (1):\n"
		  "  PTHRU-015 cmdline-weakening  host          " STRICT_MSG "\n"
		  "    fix: " STRICT_FIX "\n"
		  "\n"
		  "low (1):\n"
		  "  PTHRU-009 relaxable-region   group 2       group 2 has a direct-relaxable region 0x0-0xffffff\n"
		  "    fix: none needed for assignment\n"
		  "\n"
		  "summary: 0 critical, 2 high, 1 medium, 1 low, 0 info (4 findings)\n"
		  "quirk hops: 3 (isolation that rests on the kernel's device-specific ACS quirks, not on ACS registers)\n");
	free(c.text);

	/* Exit status by threshold. */
	CHECK_INT(audit_exit_status(&r.list, PTHRU_SEVERITY_HIGH), EXIT_FINDINGS);
	CHECK_INT(audit_exit_status(&r.list, PTHRU_SEVERITY_CRITICAL), EXIT_OK);
	CHECK_INT(audit_exit_status(&r.list, PTHRU_SEVERITY_INFO), EXIT_FINDINGS);
	CHECK_INT(audit_exit_status(&r.list, FAIL_ON_NONE), EXIT_OK);
	finding_list_free(&r.list);

	/* Nothing found, nothing known of the generation, not refreshed. */
	r.has_generation = false;
	r.refreshed = false;
	r.has_quirk_hops = false;
	r.kernel_release = NULL;
	audit_print(capture_open(&c), &r, FORMAT_TEXT);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "pthru audit: kernel -, generation -, as last evaluated by the module\n"
		  "\n"
		  "no findings\n"
		  "\n"
		  "summary: 0 critical, 0 high, 0 medium, 0 low, 0 info (0 findings)\n");
	free(c.text);
	CHECK_INT(audit_exit_status(&r.list, PTHRU_SEVERITY_INFO), EXIT_OK);
	CHECK_INT(audit_exit_status(&r.list, FAIL_ON_NONE), EXIT_OK);
}

static void test_audit_json(void)
{
	struct audit_report r;
	struct pthru_status st;
	struct capture c;

	make_report(&r, &st, "ro \"quiet\" iommu.strict=0");
	audit_print(capture_open(&c), &r, FORMAT_JSON);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"kind\":\"pthru-audit\",\"source\":\"module\",\"generation\":12,\"refreshed\":true,\"kernel_release\":\"6.1.0-56-amd64\",\"host\":{\"version\":\"0.1.0\",\"kernel_release\":\"6.1.0-56-amd64\",\"iommu_present\":true,\"iommu_driver\":null,\"iommu_units\":null,\"default_passthrough\":null,\"intr_remap\":null,\"dev_count\":null,\"group_count\":null,\"generation\":12},\"cmdline\":\"ro \\\"quiet\\\" iommu.strict=0\",\"summary\":{\"critical\":0,\"high\":2,\"medium\":1,\"low\":1,\"info\":0,\"total\":4,\"quirk_hops\":3},\"not_established\":[],\"findings\":[\n"
		  "{\"id\":\"PTHRU-005\",\"name\":\"group-narrower\",\"severity\":\"high\",\"addr\":\"0000:04:00.0\",\"group\":7,\"message\":\"group 7 holds 0000:04:00.0 but 0000:05:00.0 in group 8 reaches it\",\"remediation\":\"assign groups 7 and 8 together\"" UNIT_NO_FACTS "},\n"
		  "{\"id\":\"PTHRU-006\",\"name\":\"acs-missing\",\"severity\":\"high\",\"addr\":\"0000:04:00.0\",\"group\":7,\"message\":\"switch downstream port 0000:03:00.0 lets 0000:04:00.0 reach 1 function (ACS SV RR CR UF missing)\",\"remediation\":\"assign 0000:04:00.0 with every function it reaches\"" UNIT_NO_FACTS "},\n"
		  "{\"id\":\"PTHRU-015\",\"name\":\"cmdline-weakening\",\"severity\":\"medium\",\"addr\":null,\"group\":null,\"message\":\"" STRICT_MSG "\",\"remediation\":\"" STRICT_FIX "\"" UNIT_NO_FACTS "},\n"
		  "{\"id\":\"PTHRU-009\",\"name\":\"relaxable-region\",\"severity\":\"low\",\"addr\":null,\"group\":2,\"message\":\"group 2 has a direct-relaxable region 0x0-0xffffff\",\"remediation\":\"none needed for assignment\"" UNIT_NO_FACTS "}\n"
		  "]}\n");
	unit_json_doc("audit", c.text);
	free(c.text);
	finding_list_free(&r.list);

	r.has_generation = false;
	r.has_quirk_hops = false;
	r.kernel_release = NULL;
	audit_print(capture_open(&c), &r, FORMAT_JSON);
	capture_close(&c);
	CHECK(strstr(c.text, "{\"schema\":2,\"kind\":\"pthru-audit\",\"source\":\"module\",\"generation\":null,\"refreshed\":true,\"kernel_release\":null,") == c.text);
	CHECK(strstr(c.text, "\"summary\":{\"critical\":0,\"high\":0,\"medium\":0,\"low\":0,\"info\":0,\"total\":0,\"quirk_hops\":null},\"not_established\":[],\"findings\":[\n]}\n") != NULL);
	unit_json_doc("audit", c.text);
	free(c.text);
}

static void test_audit_prometheus(void)
{
	struct audit_report r;
	struct pthru_status st;
	struct capture c;
	struct finding odd = {};

	/* Two findings that differ only in their message share a series. */
	make_report(&r, &st, "nointremap intremap=nosid iommu=pt");
	odd.id = 77;
	odd.severity = PTHRU_SEVERITY_INFO;
	odd.present = 1U << PTHRU_A_FINDING_ADDR;
	snprintf(odd.addr, sizeof(odd.addr), "a\"b\\c");
	CHECK_INT(finding_list_add(&r.list, &odd), 0);
	finding_list_sort(&r.list);
	audit_print(capture_open(&c), &r, FORMAT_PROMETHEUS);
	CHECK_STR(capture_close(&c),
		  "# HELP pthru_findings Findings of the last pthru audit by severity.\n"
		  "# TYPE pthru_findings gauge\n"
		  "pthru_findings{severity=\"critical\"} 0\n"
		  "pthru_findings{severity=\"high\"} 5\n"
		  "pthru_findings{severity=\"medium\"} 0\n"
		  "pthru_findings{severity=\"low\"} 1\n"
		  "pthru_findings{severity=\"info\"} 1\n"
		  "# HELP pthru_quirk_hops Hops isolated only by the kernel's device-specific ACS quirks.\n"
		  "# TYPE pthru_quirk_hops gauge\n"
		  "pthru_quirk_hops 3\n"
		  "# HELP pthru_finding Findings of the last pthru audit with these labels.\n"
		  "# TYPE pthru_finding gauge\n"
		  "pthru_finding{id=\"PTHRU-005\",name=\"group-narrower\",severity=\"high\",addr=\"0000:04:00.0\",group=\"7\"} 1\n"
		  "pthru_finding{id=\"PTHRU-006\",name=\"acs-missing\",severity=\"high\",addr=\"0000:04:00.0\",group=\"7\"} 1\n"
		  "pthru_finding{id=\"PTHRU-015\",name=\"cmdline-weakening\",severity=\"high\",addr=\"\",group=\"\"} 3\n"
		  "pthru_finding{id=\"PTHRU-009\",name=\"relaxable-region\",severity=\"low\",addr=\"\",group=\"2\"} 1\n"
		  "pthru_finding{id=\"PTHRU-077\",name=\"unknown\",severity=\"info\",addr=\"a\\\"b\\\\c\",group=\"\"} 1\n");
	free(c.text);
	finding_list_free(&r.list);

	r.has_quirk_hops = false;
	audit_print(capture_open(&c), &r, FORMAT_PROMETHEUS);
	capture_close(&c);
	CHECK(strstr(c.text, "pthru_quirk_hops") == NULL);
	CHECK(strstr(c.text, "pthru_findings{severity=\"high\"} 0\n") != NULL);
	CHECK(strstr(c.text, "pthru_finding{") == NULL);
	free(c.text);
}

void test_audit(void)
{
	test_audit_options();
	test_audit_text();
	test_audit_json();
	test_audit_prometheus();
}
