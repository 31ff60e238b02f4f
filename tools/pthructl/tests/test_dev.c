// SPDX-License-Identifier: GPL-2.0
/*
 * Device records: parsing dev-get replies and the exact text and JSON of
 * the output contract.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "dev.h"
#include "unit.h"

#define FAMILY	0x20

/* The contract's example device, as the module would send it. */
static struct nlmsghdr *virtio_net_msg(char *buf)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DEV_GET);

	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, "0000:00:02.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_VENDOR, 0x1af4);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DEVICE, 0x1041);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SUBSYS_VENDOR, 0x1af4);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SUBSYS_DEVICE, 0x1100);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_CLASS, 0x020000);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_DRIVER, "virtio-pci");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_GROUP_ID, 5);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DOMAIN_TYPE, PTHRU_DOMAIN_TYPE_DMA_FQ);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ATS_SUPPORTED, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ATS_ENABLED, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_UNTRUSTED, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_EXTERNAL_FACING, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_POS, 336);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CAP, 0x001f);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CTRL, 0x001d);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_MULTIFUNCTION, 0);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_UPSTREAM, "0000:00:1c.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_PCIE_TYPE, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CTRL_BASELINE, 0x001f);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ISOLATION_GROUP, 3);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_REACH_COUNT, 0);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_P2P_HOP, "0000:00:1c.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_IOMMU_SELF, 0);
	return nlh;
}

#define VIRTIO_NET_MEMBERS							\
	"\"addr\":\"0000:00:02.0\",\"vendor\":\"1af4\",\"device\":\"1041\","	\
	"\"subsys_vendor\":\"1af4\",\"subsys_device\":\"1100\","		\
	"\"class\":\"020000\",\"driver\":\"virtio-pci\",\"group\":5,"	\
	"\"domain_type\":\"DMA-FQ\",\"ats_supported\":false,"		\
	"\"ats_enabled\":false,\"untrusted\":false,"			\
	"\"external_facing\":false,\"acs_pos\":336,\"acs_cap\":\"001f\","	\
	"\"acs_ctrl\":\"001d\",\"multifunction\":false,"			\
	"\"upstream\":\"0000:00:1c.0\",\"pcie_type\":\"endpoint\","	\
	"\"acs_ctrl_baseline\":\"001f\",\"isolation_group\":3,"	\
	"\"reach_count\":0,\"p2p_hop\":\"0000:00:1c.0\",\"iommu\":false,\"sriov_pf\":null,\"sriov_vfs\":null,\"sriov_assumed\":null}"
#define VIRTIO_NET_JSON	"{" VIRTIO_NET_MEMBERS

/* Only the address: every other field is unknown. */
#define BARE_MEMBERS							\
	"\"addr\":\"0000:00:03.0\",\"vendor\":null,\"device\":null,"	\
	"\"subsys_vendor\":null,\"subsys_device\":null,\"class\":null,"	\
	"\"driver\":null,\"group\":null,\"domain_type\":null,"		\
	"\"ats_supported\":null,\"ats_enabled\":null,\"untrusted\":null,"	\
	"\"external_facing\":null,\"acs_pos\":null,\"acs_cap\":null,"	\
	"\"acs_ctrl\":null,\"multifunction\":null,\"upstream\":null,"	\
	"\"pcie_type\":null,\"acs_ctrl_baseline\":null,"		\
	"\"isolation_group\":null,\"reach_count\":null,\"p2p_hop\":null,"	\
	"\"iommu\":null,\"sriov_pf\":null,\"sriov_vfs\":null,\"sriov_assumed\":null}"
#define BARE_JSON	"{" BARE_MEMBERS

static void test_dev_show(void)
{
	struct dev_view dev;
	struct capture c;
	char buf[8192];
	uint16_t bad = 0;

	CHECK_INT(dev_parse(virtio_net_msg(buf), &dev, &bad), 0);
	CHECK_INT(dev_show_print(capture_open(&c), &dev, true), 0);
	CHECK_STR(capture_close(&c), "{\"source\":\"module\"," VIRTIO_NET_MEMBERS "\n");
	unit_json_doc("dev-show", c.text);
	free(c.text);

	CHECK_INT(dev_show_print(capture_open(&c), &dev, false), 0);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "addr: 0000:00:02.0\n"
		  "vendor: 1af4\n"
		  "device: 1041\n"
		  "subsys_vendor: 1af4\n"
		  "subsys_device: 1100\n"
		  "class: 020000\n"
		  "driver: virtio-pci\n"
		  "group: 5\n"
		  "domain_type: DMA-FQ\n"
		  "ats_supported: no\n"
		  "ats_enabled: no\n"
		  "untrusted: no\n"
		  "external_facing: no\n"
		  "acs_pos: 0x150\n"
		  "acs_cap: 001f\n"
		  "acs_ctrl: 001d\n"
		  "multifunction: no\n"
		  "upstream: 0000:00:1c.0\n"
		  "pcie_type: endpoint\n"
		  "acs_ctrl_baseline: 001f\n"
		  "isolation_group: 3\n"
		  "reach_count: 0\n"
		  "p2p_hop: 0000:00:1c.0\n"
		  "iommu: no\n"
		  "sriov_pf: -\n"
		  "sriov_vfs: -\n"
		  "sriov_assumed: -\n");
	free(c.text);
}

/*
 * AMD-Vi's own PCI function: no IOMMU group, by design.  The list shows
 * "iommu" where a group would be, and show says so.
 */
static void test_dev_iommu(void)
{
	struct dev_view dev;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad = 0;

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DEV_GET);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, "0000:00:00.2");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_CLASS, 0x080600);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_IOMMU_SELF, 1);
	CHECK_INT(dev_parse(nlh, &dev, &bad), 0);
	CHECK_INT(dev_show_print(capture_open(&c), &dev, false), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "\ngroup: iommu\n"));
	CHECK(strstr(c.text, "\niommu: yes\n"));
	free(c.text);
	CHECK_INT(dev_show_print(capture_open(&c), &dev, true), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "\"group\":null,"));
	CHECK(strstr(c.text, "\"iommu\":true,"));
	unit_json_doc("dev-show", c.text);
	free(c.text);
	CHECK_INT(dev_list_print(capture_open(&c), &dev, 1, false), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "0000:00:00.2  -:-            080600  -       iommu"));
	free(c.text);
}

static struct nlmsghdr *bare_msg(char *buf)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DEV_GET);

	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, "0000:00:03.0");
	return nlh;
}

static void test_dev_absent(void)
{
	struct dev_view dev;
	struct capture c;
	char buf[8192];
	uint16_t bad = 0;
	struct nlmsghdr *nlh;

	CHECK_INT(dev_parse(bare_msg(buf), &dev, &bad), 0);
	CHECK_INT(dev_show_print(capture_open(&c), &dev, true), 0);
	CHECK_STR(capture_close(&c), "{\"source\":\"module\"," BARE_MEMBERS "\n");
	unit_json_doc("dev-show", c.text);
	free(c.text);

	/* Values this tool does not know, and attributes from the future. */
	nlh = bare_msg(buf);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DOMAIN_TYPE, 77);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_PCIE_TYPE, 3);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ATS_SUPPORTED, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ATS_ENABLED, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_MAX + 1, 42);
	mnl_attr_put_u64(nlh, 300, 42);
	CHECK_INT(dev_parse(nlh, &dev, &bad), 0);
	CHECK_INT(dev_show_print(capture_open(&c), &dev, true), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "\"domain_type\":\"unknown\""));
	CHECK(strstr(c.text, "\"pcie_type\":\"type-3\""));
	CHECK(strstr(c.text, "\"ats_supported\":true,\"ats_enabled\":true,"));
	unit_json_doc("dev-show", c.text);
	free(c.text);

	CHECK_INT(dev_show_print(capture_open(&c), &dev, false), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "\ndriver: -\n"));
	CHECK(strstr(c.text, "\ngroup: -\n"));
	CHECK(strstr(c.text, "\ndomain_type: unknown\n"));
	CHECK(strstr(c.text, "\nats_supported: yes\n"));
	CHECK(strstr(c.text, "\nuntrusted: -\n"));
	CHECK(strstr(c.text, "\npcie_type: type-3\n"));
	CHECK(strstr(c.text, "\nacs_ctrl_baseline: -\nisolation_group: -\nreach_count: -\np2p_hop: -\niommu: -\nsriov_pf: -\nsriov_vfs: -\nsriov_assumed: -\n"));
	free(c.text);
}

static void test_dev_list(void)
{
	struct dev_view devs[2];
	struct capture c;
	char buf[8192];
	uint16_t bad;

	CHECK_INT(dev_parse(virtio_net_msg(buf), &devs[0], &bad), 0);
	CHECK_INT(dev_parse(bare_msg(buf), &devs[1], &bad), 0);

	CHECK_INT(dev_list_print(capture_open(&c), devs, 2, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"module\",\"devices\":[\n"
		  VIRTIO_NET_JSON ",\n"
		  BARE_JSON "\n"
		  "]}\n");
	unit_json_doc("dev", c.text);
	free(c.text);

	CHECK_INT(dev_list_print(capture_open(&c), devs, 0, true), 0);
	CHECK_STR(capture_close(&c), "{\"schema\":2,\"source\":\"module\",\"devices\":[\n]}\n");
	unit_json_doc("dev", c.text);
	free(c.text);

	CHECK_INT(dev_list_print(capture_open(&c), devs, 2, false), 0);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "ADDRESS       VENDOR:DEVICE  CLASS   DRIVER      GROUP  DOMAIN  ATS  ACS-CTRL  UPSTREAM\n"
		  "0000:00:02.0  1af4:1041      020000  virtio-pci  5      DMA-FQ  -    001d      0000:00:1c.0\n"
		  "0000:00:03.0  -:-            -       -           -      -       -    -         -\n");
	free(c.text);

	/* The ATS column: off when supported but disabled, on when enabled. */
	devs[1].present |= 1ULL << PTHRU_A_DEV_ATS_SUPPORTED |
			   1ULL << PTHRU_A_DEV_ATS_ENABLED;
	devs[1].ats_supported = 1;
	devs[1].ats_enabled = 0;
	CHECK_INT(dev_list_print(capture_open(&c), &devs[1], 1, false), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "  off  "));
	free(c.text);
	devs[1].ats_enabled = 1;
	CHECK_INT(dev_list_print(capture_open(&c), &devs[1], 1, false), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "  on   "));
	free(c.text);
}

static void test_dev_malformed(void)
{
	struct nlmsghdr *nlh;
	struct dev_view dev;
	char buf[8192];
	uint16_t bad = 0;

	nlh = bare_msg(buf);
	mnl_attr_put_u16(nlh, PTHRU_A_DEV_VENDOR, 1);
	CHECK_INT(dev_parse(nlh, &dev, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_DEV_VENDOR);

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DEV_GET);
	mnl_attr_put(nlh, PTHRU_A_DEV_ADDR, 4, "0000");	/* no NUL */
	CHECK_INT(dev_parse(nlh, &dev, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_DEV_ADDR);

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DEV_GET);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_UPSTREAM, "0000:00:1c.0-and-more");
	CHECK_INT(dev_parse(nlh, &dev, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_DEV_UPSTREAM);

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DEV_GET);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_P2P_HOP, "0000:00:1c.0-and-more");
	CHECK_INT(dev_parse(nlh, &dev, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_DEV_P2P_HOP);

	nlh = bare_msg(buf);
	mnl_attr_put_u8(nlh, PTHRU_A_DEV_REACH_COUNT, 1);
	CHECK_INT(dev_parse(nlh, &dev, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_DEV_REACH_COUNT);

	nlh = bare_msg(buf);
	mnl_attr_put_u64(nlh, PTHRU_A_DEV_ACS_CTRL_BASELINE, 1);
	CHECK_INT(dev_parse(nlh, &dev, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_DEV_ACS_CTRL_BASELINE);

	nlh = bare_msg(buf);
	mnl_attr_put_u64(nlh, PTHRU_A_DEV_CLASS, 0x020000);
	CHECK_INT(dev_parse(nlh, &dev, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_DEV_CLASS);
}

void test_dev(void)
{
	test_dev_show();
	test_dev_iommu();
	test_dev_absent();
	test_dev_list();
	test_dev_malformed();
}
