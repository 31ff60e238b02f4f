// SPDX-License-Identifier: GPL-2.0
/*
 * hazard list: the table and the JSON document of the module's findings;
 * and hazard_fetch(), audit's and check's, against the fake kernel.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "fake_nl.h"
#include "hazard.h"
#include "pthructl.h"
#include "unit.h"

#define FAMILY	0x20

/* A hazard-get dump message of generation @gen with finding @id. */
static void fake_finding(struct fake_dgram *d, uint32_t gen, uint32_t id,
			 uint16_t flags)
{
	struct nlmsghdr *nlh;

	nlh = fake_genl_msg(d, FAMILY, PTHRU_CMD_HAZARD_GET,
			    NLM_F_MULTI | flags);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, gen);
	unit_put_finding(nlh, id, PTHRU_SEVERITY_HIGH, NULL, -1,
			 "a finding", "a remedy");
}

/*
 * The soak's "pthructl: Protocol error": the module re-evaluated during
 * the dump, which the kernel flagged NLM_F_DUMP_INTR from its first reply
 * on.  The retry must get its own, clean dump, not the rest of the old.
 */
static void test_hazard_fetch_interrupted(void)
{
	struct hazard_query q = {};
	struct hazard_result res;
	struct fake_reply first, retry;
	struct pthructl ctl = {};
	struct fake_nl_stats st;

	fake_nl_open(&ctl.nl);
	ctl.nl.family.id = FAMILY;

	memset(&first, 0, sizeof(first));
	fake_finding(fake_dgram_add(&first), 4, PTHRU_HAZARD_ID_ATS_EXPOSED,
		     NLM_F_DUMP_INTR);
	fake_finding(fake_dgram_add(&first), 5,
		     PTHRU_HAZARD_ID_NO_ISOLATED_MSI, NLM_F_DUMP_INTR);
	fake_done(fake_dgram_add(&first), NLM_F_DUMP_INTR, 0);

	memset(&retry, 0, sizeof(retry));
	fake_finding(fake_dgram_add(&retry), 6,
		     PTHRU_HAZARD_ID_NO_ISOLATED_MSI, 0);
	fake_finding(fake_dgram_add(&retry), 6, PTHRU_HAZARD_ID_ATS_EXPOSED,
		     0);
	fake_done(fake_dgram_add(&retry), 0, 0);

	fake_nl_script(&first);
	fake_nl_script(&retry);
	CHECK_INT(hazard_fetch(&ctl, &q, &res), EXIT_OK);
	CHECK_INT(res.list.n, 2);
	CHECK(res.has_generation);
	CHECK_INT(res.generation, 6);
	fake_nl_stats(&st);
	CHECK_INT(st.n_requests, 2);
	CHECK_INT(st.n_busy, 0);
	CHECK_INT(st.n_queued, 0);
	CHECK_INT(st.n_starved, 0);
	hazard_result_free(&res);
	fake_nl_close(&ctl.nl);
}

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
	unit_json_doc("hazard", c.text);
	free(c.text);
	finding_list_free(&list);

	/* None: the header alone, or an empty array. */
	CHECK_INT(hazard_list_print(capture_open(&c), &list, false), 0);
	CHECK_STR(capture_close(&c),
		  "SEVERITY  ID  NAME  ADDRESS  GROUP  MESSAGE\n");
	free(c.text);
	CHECK_INT(hazard_list_print(capture_open(&c), &list, true), 0);
	CHECK_STR(capture_close(&c), "{\"schema\":2,\"findings\":[\n]}\n");
	unit_json_doc("hazard", c.text);
	free(c.text);

	test_hazard_fetch_interrupted();
}
