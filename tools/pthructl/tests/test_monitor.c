// SPDX-License-Identifier: GPL-2.0
/*
 * Monitor event lines, text and JSON.
 */
#include <stdlib.h>

#include <linux/pthru.h>

#include "monitor.h"
#include "unit.h"

void test_monitor(void)
{
	struct pthru_dev dev;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	CHECK_STR(monitor_event_name(PTHRU_CMD_DEV_ADD_NTF), "dev-add");
	CHECK_STR(monitor_event_name(PTHRU_CMD_DEV_DEL_NTF), "dev-del");
	CHECK_STR(monitor_event_name(PTHRU_CMD_DEV_BIND_NTF), "dev-bind");
	CHECK_STR(monitor_event_name(PTHRU_CMD_DEV_UNBIND_NTF), "dev-unbind");
	/* Replies and commands of a newer module are not events. */
	CHECK(monitor_event_name(PTHRU_CMD_DEV_GET) == NULL);
	CHECK(monitor_event_name(PTHRU_CMD_MAX + 1) == NULL);
	CHECK(monitor_event_name(-1) == NULL);

	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_DEV_ADD_NTF);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, "0000:00:03.0");
	mnl_attr_put_u16(nlh, PTHRU_A_DEV_VENDOR, 0x1234);
	mnl_attr_put_u16(nlh, PTHRU_A_DEV_DEVICE, 0x11e8);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_GROUP_ID, 4);
	CHECK_INT(dev_parse(nlh, &dev, &bad), 0);

	monitor_print_event(capture_open(&c), "dev-add", &dev, false);
	CHECK_STR(capture_close(&c), "dev-add 0000:00:03.0 1234:11e8 driver=-\n");
	free(c.text);

	monitor_print_event(capture_open(&c), "dev-add", &dev, true);
	CHECK_STR(capture_close(&c),
		  "{\"event\":\"dev-add\",\"dev\":{\"addr\":\"0000:00:03.0\",\"vendor\":\"1234\",\"device\":\"11e8\",\"subsys_vendor\":null,\"subsys_device\":null,\"class\":null,\"driver\":null,\"group\":4,\"domain_type\":null,\"ats_supported\":null,\"ats_enabled\":null,\"untrusted\":null,\"external_facing\":null,\"acs_pos\":null,\"acs_cap\":null,\"acs_ctrl\":null,\"multifunction\":null,\"upstream\":null,\"pcie_type\":null}}\n");
	free(c.text);

	mnl_attr_put_strz(nlh, PTHRU_A_DEV_DRIVER, "vfio-pci");
	CHECK_INT(dev_parse(nlh, &dev, &bad), 0);
	monitor_print_event(capture_open(&c), "dev-bind", &dev, false);
	CHECK_STR(capture_close(&c),
		  "dev-bind 0000:00:03.0 1234:11e8 driver=vfio-pci\n");
	free(c.text);
}
