// SPDX-License-Identifier: GPL-2.0
/*
 * The status record: the contract's JSON line and the aligned text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "status.h"
#include "unit.h"

#define FAMILY	0x20

static struct nlmsghdr *status_msg(char *buf)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY,
					     PTHRU_CMD_STATUS_GET);

	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_VERSION, "0.1.0");
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_KERNEL_RELEASE,
			  "6.1.0-56-amd64");
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_IOMMU_PRESENT, 1);
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_IOMMU_DRIVER, "intel-vtd");
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_IOMMU_UNITS, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_DEFAULT_PASSTHROUGH, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_INTR_REMAP, PTHRU_TRISTATE_YES);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_DEV_COUNT, 9);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_GROUP_COUNT, 7);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_GENERATION, 3);
	return nlh;
}

void test_status(void)
{
	struct pthru_status st;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];

	CHECK_INT(status_parse(status_msg(buf), &st), 0);
	CHECK_INT(status_print(capture_open(&c), &st, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"version\":\"0.1.0\",\"kernel_release\":\"6.1.0-56-amd64\",\"iommu_present\":true,\"iommu_driver\":\"intel-vtd\",\"iommu_units\":1,\"default_passthrough\":false,\"intr_remap\":\"yes\",\"dev_count\":9,\"group_count\":7,\"generation\":3}\n");
	unit_json_doc("status", c.text);
	free(c.text);

	CHECK_INT(status_print(capture_open(&c), &st, false), 0);
	CHECK_STR(capture_close(&c),
		  "version:             0.1.0\n"
		  "kernel_release:      6.1.0-56-amd64\n"
		  "iommu_present:       yes\n"
		  "iommu_driver:        intel-vtd\n"
		  "iommu_units:         1\n"
		  "default_passthrough: no\n"
		  "intr_remap:          yes\n"
		  "dev_count:           9\n"
		  "group_count:         7\n"
		  "generation:          3\n");
	free(c.text);

	/* Nothing known: null in JSON, "-" in text. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_STATUS_GET);
	CHECK_INT(status_parse(nlh, &st), 0);
	CHECK_INT(status_print(capture_open(&c), &st, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"version\":null,\"kernel_release\":null,\"iommu_present\":null,\"iommu_driver\":null,\"iommu_units\":null,\"default_passthrough\":null,\"intr_remap\":null,\"dev_count\":null,\"group_count\":null,\"generation\":null}\n");
	unit_json_doc("status", c.text);
	free(c.text);
	CHECK_INT(status_print(capture_open(&c), &st, false), 0);
	capture_close(&c);
	CHECK_STR(c.text,
		  "version:             -\n"
		  "kernel_release:      -\n"
		  "iommu_present:       -\n"
		  "iommu_driver:        -\n"
		  "iommu_units:         -\n"
		  "default_passthrough: -\n"
		  "intr_remap:          -\n"
		  "dev_count:           -\n"
		  "group_count:         -\n"
		  "generation:          -\n");
	free(c.text);

	/* An unknown tristate value, and a malformed count. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_STATUS_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_INTR_REMAP, 9);
	CHECK_INT(status_parse(nlh, &st), 0);
	CHECK_INT(status_print(capture_open(&c), &st, true), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "\"intr_remap\":\"unknown\""));
	unit_json_doc("status", c.text);
	free(c.text);
	mnl_attr_put_u16(nlh, PTHRU_A_STATUS_DEV_COUNT, 9);
	CHECK_INT(status_parse(nlh, &st), -EBADMSG);
	CHECK_INT(st.bad_type, PTHRU_A_STATUS_DEV_COUNT);
}
