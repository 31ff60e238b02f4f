// SPDX-License-Identifier: GPL-2.0
/*
 * hazard list: the table and the JSON document of the module's findings.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "hazard.h"
#include "unit.h"

#define FAMILY	0x20

void test_hazard(void)
{
	struct finding_list list = {};
	struct hazard_msg msg;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	/* Two dump messages, one finding each. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 4);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_ATS_EXPOSED,
			 PTHRU_SEVERITY_MEDIUM, "0000:01:00.0", 3,
			 "ATS is enabled on 0000:01:00.0, bound to vfio-pci",
			 "disable ATS (pci=noats) or do not assign 0000:01:00.0");
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_HAZARD_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 4);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_NO_ISOLATED_MSI,
			 PTHRU_SEVERITY_HIGH, NULL, -1,
			 "no IOMMU group has isolated MSIs", "enable interrupt remapping");
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	finding_list_sort(&list);

	CHECK_INT(hazard_list_print(capture_open(&c), &list, false), 0);
	CHECK_STR(capture_close(&c),
		  "SEVERITY  ID         NAME             ADDRESS       GROUP  MESSAGE\n"
		  "high      PTHRU-010  no-isolated-msi  -             -      no IOMMU group has isolated MSIs\n"
		  "medium    PTHRU-013  ats-exposed      0000:01:00.0  3      ATS is enabled on 0000:01:00.0, bound to vfio-pci\n");
	free(c.text);

	CHECK_INT(hazard_list_print(capture_open(&c), &list, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"findings\":[\n"
		  "{\"id\":\"PTHRU-010\",\"name\":\"no-isolated-msi\",\"severity\":\"high\",\"addr\":null,\"group\":null,\"message\":\"no IOMMU group has isolated MSIs\",\"remediation\":\"enable interrupt remapping\"" UNIT_NO_FACTS "},\n"
		  "{\"id\":\"PTHRU-013\",\"name\":\"ats-exposed\",\"severity\":\"medium\",\"addr\":\"0000:01:00.0\",\"group\":3,\"message\":\"ATS is enabled on 0000:01:00.0, bound to vfio-pci\",\"remediation\":\"disable ATS (pci=noats) or do not assign 0000:01:00.0\"" UNIT_NO_FACTS "}\n"
		  "]}\n");
	free(c.text);
	finding_list_free(&list);

	/* None: the header alone, or an empty array. */
	CHECK_INT(hazard_list_print(capture_open(&c), &list, false), 0);
	CHECK_STR(capture_close(&c),
		  "SEVERITY  ID  NAME  ADDRESS  GROUP  MESSAGE\n");
	free(c.text);
	CHECK_INT(hazard_list_print(capture_open(&c), &list, true), 0);
	CHECK_STR(capture_close(&c), "{\"schema\":2,\"findings\":[\n]}\n");
	free(c.text);
}
