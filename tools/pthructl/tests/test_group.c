// SPDX-License-Identifier: GPL-2.0
/*
 * IOMMU group records: members and nested reserved regions, the text and
 * JSON of the output contract, and group id parsing.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/pthru.h>

#include "group.h"
#include "unit.h"

#define FAMILY	0x20

static void put_resv(struct nlmsghdr *nlh, uint64_t start, uint64_t end,
		     uint8_t type)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh,
						  PTHRU_A_GROUP_RESV_REGION);

	mnl_attr_put_u64(nlh, PTHRU_A_RESV_REGION_START, start);
	mnl_attr_put_u64(nlh, PTHRU_A_RESV_REGION_END, end);
	mnl_attr_put_u32(nlh, PTHRU_A_RESV_REGION_TYPE, type);
	mnl_attr_nest_end(nlh, nest);
}

/* The contract's example group. */
static struct nlmsghdr *group3_msg(char *buf)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_GROUP_GET);

	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ID, 3);
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_DOMAIN_TYPE, PTHRU_DOMAIN_TYPE_DMA);
	mnl_attr_put_strz(nlh, PTHRU_A_GROUP_MEMBER, "0000:00:03.0");
	put_resv(nlh, 0xfee00000, 0xfeefffff, PTHRU_RESV_TYPE_MSI);
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ISOLATED_MSI, PTHRU_TRISTATE_YES);
	return nlh;
}

#define GROUP3_MEMBERS							\
	"\"id\":3,\"domain_type\":\"DMA\",\"isolated_msi\":\"yes\","	\
	"\"members\":[\"0000:00:03.0\"],\"reserved_regions\":"		\
	"[{\"start\":\"0x00000000fee00000\",\"end\":\"0x00000000feefffff\","	\
	"\"type\":\"msi\"}]}"
#define GROUP3_JSON	"{" GROUP3_MEMBERS

/* Two members and two regions, one of an unknown type. */
static struct nlmsghdr *group12_msg(char *buf)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_GROUP_GET);

	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ID, 12);
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_DOMAIN_TYPE,
			PTHRU_DOMAIN_TYPE_IDENTITY);
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ISOLATED_MSI, PTHRU_TRISTATE_NO);
	mnl_attr_put_strz(nlh, PTHRU_A_GROUP_MEMBER, "0000:04:00.0");
	mnl_attr_put_strz(nlh, PTHRU_A_GROUP_MEMBER, "0000:04:00.1");
	put_resv(nlh, 0x7f000000, 0x7fffffff, PTHRU_RESV_TYPE_DIRECT);
	put_resv(nlh, 0x8000000000ULL, 0xffffffffffffffffULL, 9);
	return nlh;
}

#define GROUP12_JSON							\
	"{\"id\":12,\"domain_type\":\"identity\",\"isolated_msi\":\"no\","	\
	"\"members\":[\"0000:04:00.0\",\"0000:04:00.1\"],"		\
	"\"reserved_regions\":[{\"start\":\"0x000000007f000000\","	\
	"\"end\":\"0x000000007fffffff\",\"type\":\"direct\"},"		\
	"{\"start\":\"0x0000008000000000\",\"end\":\"0xffffffffffffffff\","	\
	"\"type\":\"unknown\"}]}"

static void test_group_show(void)
{
	struct group_view grp;
	struct capture c;
	char buf[8192];
	uint16_t bad = 0;

	CHECK_INT(group_parse(group3_msg(buf), &grp, &bad), 0);
	CHECK_INT(group_show_print(capture_open(&c), &grp, true), 0);
	CHECK_STR(capture_close(&c), "{\"source\":\"module\"," GROUP3_MEMBERS "\n");
	unit_json_doc("group-show", c.text);
	free(c.text);

	CHECK_INT(group_show_print(capture_open(&c), &grp, false), 0);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "id: 3\n"
		  "domain_type: DMA\n"
		  "isolated_msi: yes\n"
		  "members: 0000:00:03.0\n"
		  "resv: 0x00000000fee00000-0x00000000feefffff msi\n");
	free(c.text);
	group_free(&grp);

	CHECK_INT(group_parse(group12_msg(buf), &grp, &bad), 0);
	CHECK_INT(grp.n_members, 2);
	CHECK_INT(grp.n_resv, 2);
	CHECK_INT(group_show_print(capture_open(&c), &grp, false), 0);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "id: 12\n"
		  "domain_type: identity\n"
		  "isolated_msi: no\n"
		  "members: 0000:04:00.0,0000:04:00.1\n"
		  "resv: 0x000000007f000000-0x000000007fffffff direct\n"
		  "resv: 0x0000008000000000-0xffffffffffffffff unknown\n");
	free(c.text);
	group_free(&grp);

	/* Only an id: no members, no regions, unknown fields. */
	unit_genl_msg(buf, FAMILY, PTHRU_CMD_GROUP_GET);
	mnl_attr_put_u32((struct nlmsghdr *)buf, PTHRU_A_GROUP_ID, 0);
	CHECK_INT(group_parse((struct nlmsghdr *)buf, &grp, &bad), 0);
	CHECK_INT(group_show_print(capture_open(&c), &grp, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"source\":\"module\",\"id\":0,\"domain_type\":null,\"isolated_msi\":null,\"members\":[],\"reserved_regions\":[]}\n");
	unit_json_doc("group-show", c.text);
	free(c.text);
	CHECK_INT(group_show_print(capture_open(&c), &grp, false), 0);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "id: 0\ndomain_type: -\nisolated_msi: -\nmembers: -\n");
	free(c.text);
	group_free(&grp);
}

static void test_group_list(void)
{
	struct group_view groups[2];
	struct capture c;
	char buf[8192];
	uint16_t bad;

	CHECK_INT(group_parse(group3_msg(buf), &groups[0], &bad), 0);
	CHECK_INT(group_parse(group12_msg(buf), &groups[1], &bad), 0);

	CHECK_INT(group_list_print(capture_open(&c), groups, 2, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"module\",\"groups\":[\n"
		  GROUP3_JSON ",\n"
		  GROUP12_JSON "\n"
		  "]}\n");
	unit_json_doc("group", c.text);
	free(c.text);

	CHECK_INT(group_list_print(capture_open(&c), groups, 0, true), 0);
	CHECK_STR(capture_close(&c), "{\"schema\":2,\"source\":\"module\",\"groups\":[\n]}\n");
	unit_json_doc("group", c.text);
	free(c.text);

	CHECK_INT(group_list_print(capture_open(&c), groups, 2, false), 0);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "ID  DOMAIN    ISOLATED-MSI  MEMBERS\n"
		  "3   DMA       yes           0000:00:03.0\n"
		  "12  identity  no            0000:04:00.0,0000:04:00.1\n");
	free(c.text);

	group_free(&groups[0]);
	group_free(&groups[1]);
}

static void test_group_malformed(void)
{
	struct group_view grp;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char buf[8192];
	uint16_t bad = 0;

	/* A region whose start is 32 bits wide. */
	nlh = group3_msg(buf);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_GROUP_RESV_REGION);
	mnl_attr_put_u32(nlh, PTHRU_A_RESV_REGION_START, 0xfee00000);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(group_parse(nlh, &grp, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_GROUP_RESV_REGION);
	CHECK(grp.members == NULL && grp.resv == NULL);

	/* A second member that is not a NUL-terminated string. */
	nlh = group3_msg(buf);
	mnl_attr_put(nlh, PTHRU_A_GROUP_MEMBER, 4, "0000");
	CHECK_INT(group_parse(nlh, &grp, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_GROUP_MEMBER);

	/* A member longer than any PCI address. */
	nlh = group3_msg(buf);
	mnl_attr_put_strz(nlh, PTHRU_A_GROUP_MEMBER, "0000:00:03.0.0.0.0.0");
	CHECK_INT(group_parse(nlh, &grp, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_GROUP_MEMBER);

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_GROUP_GET);
	mnl_attr_put_u16(nlh, PTHRU_A_GROUP_ID, 3);
	CHECK_INT(group_parse(nlh, &grp, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_GROUP_ID);
}

static void test_group_id_parse(void)
{
	uint32_t id = 99;

	CHECK_INT(group_id_parse("0", &id), 0);
	CHECK_INT(id, 0);
	CHECK_INT(group_id_parse("17", &id), 0);
	CHECK_INT(id, 17);
	CHECK_INT(group_id_parse("007", &id), 0);
	CHECK_INT(id, 7);
	CHECK_INT(group_id_parse("4294967295", &id), 0);
	CHECK_INT(id, 4294967295U);
	CHECK_INT(group_id_parse("4294967296", &id), -EINVAL);
	CHECK_INT(group_id_parse("99999999999999999999999", &id), -EINVAL);
	CHECK_INT(group_id_parse("", &id), -EINVAL);
	CHECK_INT(group_id_parse("-1", &id), -EINVAL);
	CHECK_INT(group_id_parse("+1", &id), -EINVAL);
	CHECK_INT(group_id_parse("0x10", &id), -EINVAL);
	CHECK_INT(group_id_parse("1 ", &id), -EINVAL);
	CHECK_INT(group_id_parse("abc", &id), -EINVAL);
}

void test_group(void)
{
	test_group_show();
	test_group_list();
	test_group_malformed();
	test_group_id_parse();
}
