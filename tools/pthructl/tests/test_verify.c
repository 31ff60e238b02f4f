// SPDX-License-Identifier: GPL-2.0
/*
 * map verify: parsing of canned map-verify replies, the exact text and
 * JSON of the output contract, and which counts make it report findings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "nl.h"
#include "unit.h"
#include "verify.h"

#define FAMILY	0x20

/* A map-verify reply as the module sends it; @group < 0: none. */
static struct nlmsghdr *verify_msg(char *buf, long long group,
				   uint32_t identity, uint32_t incomplete)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY,
					     PTHRU_CMD_MAP_VERIFY);

	if (group >= 0)
		mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_GROUP_ID, group);
	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_DOMAINS, 1);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_RANGES, 5);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_TRANSLATIONS, 5000000000ULL);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_SKIPPED, 3);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_DISAGREEMENTS, 0);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_STALE, 0);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_IDENTITY, identity);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_KERNEL_MEMORY, 0);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_OVERREACH, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_INCOMPLETE_DOMAINS, incomplete);
	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_GENERATION, 12);
	return nlh;
}

static void test_verify_print(void)
{
	struct pthru_verify v;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	CHECK_INT(verify_parse(verify_msg(buf, -1, 0, 0), &v, &bad), 0);
	CHECK(!verify_found(&v));
	verify_print(capture_open(&c), &v, false);
	CHECK_STR(capture_close(&c),
		  "verified 1 domain: 5 ranges, 5000000000 translations, 3 skipped\n"
		  "disagreements 0, stale 0, identity 0, kernel-memory 0, overreach 0, incomplete-domains 0\n");
	free(c.text);
	verify_print(capture_open(&c), &v, true);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"domains\":1,\"ranges\":5,\"translations\":5000000000,\"skipped\":3,\"disagreements\":0,\"stale\":0,\"identity\":0,\"kernel_memory\":0,\"overreach\":0,\"incomplete_domains\":0,\"generation\":12}\n");
	unit_json_doc("map-verify", c.text);
	free(c.text);

	/* The group is echoed when the request named one. */
	CHECK_INT(verify_parse(verify_msg(buf, 7, 2, 0), &v, &bad), 0);
	CHECK(verify_found(&v));
	verify_print(capture_open(&c), &v, true);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"group\":7,\"domains\":1,\"ranges\":5,\"translations\":5000000000,\"skipped\":3,\"disagreements\":0,\"stale\":0,\"identity\":2,\"kernel_memory\":0,\"overreach\":0,\"incomplete_domains\":0,\"generation\":12}\n");
	unit_json_doc("map-verify", c.text);
	free(c.text);

	/* An incomplete shadow cannot vouch: that is a finding too. */
	CHECK_INT(verify_parse(verify_msg(buf, -1, 0, 1), &v, &bad), 0);
	CHECK(verify_found(&v));

	/* Nothing sent: dashes and nulls, never a made-up zero. */
	unit_genl_msg(buf, FAMILY, PTHRU_CMD_MAP_VERIFY);
	CHECK_INT(verify_parse((struct nlmsghdr *)buf, &v, &bad), 0);
	CHECK(!verify_found(&v));
	verify_print(capture_open(&c), &v, false);
	CHECK_STR(capture_close(&c),
		  "verified - domains: - ranges, - translations, - skipped\n"
		  "disagreements -, stale -, identity -, kernel-memory -, overreach -, incomplete-domains -\n");
	free(c.text);
	verify_print(capture_open(&c), &v, true);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"domains\":null,\"ranges\":null,\"translations\":null,\"skipped\":null,\"disagreements\":null,\"stale\":null,\"identity\":null,\"kernel_memory\":null,\"overreach\":null,\"incomplete_domains\":null,\"generation\":null}\n");
	unit_json_doc("map-verify", c.text);
	free(c.text);
}

static void test_verify_malformed(void)
{
	struct pthru_verify v;
	struct nlmsghdr *nlh;
	char buf[8192];
	uint16_t bad = 0;

	/* A 64-bit count sent 32 bits wide. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_MAP_VERIFY);
	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_TRANSLATIONS, 5);
	CHECK_INT(verify_parse(nlh, &v, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_VERIFY_TRANSLATIONS);

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_MAP_VERIFY);
	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_STALE, 1);
	CHECK_INT(verify_parse(nlh, &v, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_VERIFY_STALE);

	/* An attribute from a newer module is ignored. */
	nlh = verify_msg(buf, -1, 0, 0);
	mnl_attr_put_u64(nlh, PTHRU_A_VERIFY_MAX + 1, 1);
	CHECK_INT(verify_parse(nlh, &v, &bad), 0);
	CHECK(v.ranges == 5);
}

void test_verify(void)
{
	test_verify_print();
	test_verify_malformed();
}
