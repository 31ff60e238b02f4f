// SPDX-License-Identifier: GPL-2.0
/*
 * Monitor event lines, text and JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "monitor.h"
#include "unit.h"

static void test_monitor_findings(void)
{
	struct finding_list list = {};
	struct hazard_msg msg;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_HAZARD_RAISE_NTF);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 9);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_ACS_CHANGED, PTHRU_SEVERITY_HIGH,
			 "0000:00:03.0", 3, "ACS control of 0000:00:03.0 is 0000, was 001d",
			 "restore ACS control 001d on 0000:00:03.0");
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	CHECK_INT(list.n, 1);
	monitor_print_finding(capture_open(&c), "hazard-raise", &msg,
			      &list.items[0], false);
	CHECK_STR(capture_close(&c),
		  "hazard-raise PTHRU-007 acs-changed high 0000:00:03.0 ACS control of 0000:00:03.0 is 0000, was 001d\n");
	free(c.text);
	monitor_print_finding(capture_open(&c), "hazard-raise", &msg,
			      &list.items[0], true);
	CHECK_STR(capture_close(&c),
		  "{\"event\":\"hazard-raise\",\"generation\":9,\"finding\":{\"id\":\"PTHRU-007\",\"name\":\"acs-changed\",\"severity\":\"high\",\"addr\":\"0000:00:03.0\",\"group\":3,\"message\":\"ACS control of 0000:00:03.0 is 0000, was 001d\",\"remediation\":\"restore ACS control 001d on 0000:00:03.0\"" UNIT_NO_FACTS "}}\n");
	unit_json_doc("monitor", c.text);
	free(c.text);
	finding_list_free(&list);

	/* A host-wide finding going away, without a generation. */
	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_HAZARD_CLEAR_NTF);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS,
			 PTHRU_SEVERITY_CRITICAL, NULL, -1,
			 "vfio_iommu_type1 allow_unsafe_interrupts is Y", NULL);
	CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
	monitor_print_finding(capture_open(&c), "hazard-clear", &msg,
			      &list.items[0], false);
	CHECK_STR(capture_close(&c),
		  "hazard-clear PTHRU-011 unsafe-interrupts critical host vfio_iommu_type1 allow_unsafe_interrupts is Y\n");
	free(c.text);
	monitor_print_finding(capture_open(&c), "hazard-clear", &msg,
			      &list.items[0], true);
	capture_close(&c);
	CHECK(strstr(c.text, "{\"event\":\"hazard-clear\",\"generation\":null,\"finding\":{\"id\":\"PTHRU-011\",") == c.text);
	unit_json_doc("monitor", c.text);
	free(c.text);
	finding_list_free(&list);
}

/* decision and policy-change events, text and JSON. */
static void test_monitor_policy(void)
{
	struct policy_decision_list list = {};
	struct policy_info info;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	CHECK_STR(monitor_event_name(PTHRU_CMD_DECISION_NTF), "decision");
	CHECK_STR(monitor_event_name(PTHRU_CMD_POLICY_CHANGE_NTF),
		  "policy-change");
	CHECK(monitor_event_name(PTHRU_CMD_POLICY_GET) == NULL);
	CHECK(monitor_event_name(PTHRU_CMD_POLICY_TEST) == NULL);
	CHECK(!monitor_event_has_finding(PTHRU_CMD_DECISION_NTF));

	/* Denied in enforce mode by a rule whose allow was not met. */
	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_DECISION_NTF);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_DECISION);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_ADDR, "0000:04:00.0");
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_DRIVER, "vfio-pci");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_VERDICT, PTHRU_ACTION_DENY);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_OUTCOME, PTHRU_OUTCOME_DENIED);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_MODE, PTHRU_POLICY_MODE_ENFORCE);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_BY_DEFAULT, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_RULE_ID, 10);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_RULE_LABEL, "guest \"nics\"");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_UNMET,
			 PTHRU_REQUIREMENT_ACS_ISOLATED |
			 PTHRU_REQUIREMENT_VIABLE_GROUP);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_PID, 4242);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_UID, 0);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_COMM, "bash");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_POLICY_GENERATION, 3);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(policy_decisions_parse(nlh, &list, &bad), 0);
	CHECK_INT(list.n, 1);
	monitor_print_decision(capture_open(&c), &list.items[0], false);
	CHECK_STR(capture_close(&c),
		  "decision 0000:04:00.0 vfio-pci denied rule 10 \"guest \\\"nics\\\"\" unmet acs-isolated,viable-group pid=4242 uid=0 comm=bash\n");
	free(c.text);
	monitor_print_decision(capture_open(&c), &list.items[0], true);
	CHECK_STR(capture_close(&c),
		  "{\"event\":\"decision\",\"decision\":{\"addr\":\"0000:04:00.0\",\"driver\":\"vfio-pci\",\"verdict\":\"deny\",\"by_default\":false,\"rule_id\":10,\"rule_label\":\"guest \\\"nics\\\"\",\"unmet\":[\"acs-isolated\",\"viable-group\"],\"outcome\":\"denied\",\"mode\":\"enforce\",\"pid\":4242,\"uid\":0,\"comm\":\"bash\",\"policy_generation\":3}}\n");
	unit_json_doc("monitor", c.text);
	free(c.text);
	policy_decision_list_free(&list);

	/*
	 * Off mode: not evaluated, so neither a rule nor the default decided;
	 * a process name with a space and a control byte stays one field.
	 */
	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_DECISION_NTF);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_DECISION);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_ADDR, "0000:00:03.0");
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_DRIVER, "pci-stub");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_OUTCOME,
			PTHRU_OUTCOME_UNEVALUATED);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_MODE, PTHRU_POLICY_MODE_OFF);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_PID, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_UID, 1000);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_COMM, "my tool\x01");
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(policy_decisions_parse(nlh, &list, &bad), 0);
	monitor_print_decision(capture_open(&c), &list.items[0], false);
	CHECK_STR(capture_close(&c),
		  "decision 0000:00:03.0 pci-stub unevaluated pid=1 uid=1000 comm=my?tool?\n");
	free(c.text);
	monitor_print_decision(capture_open(&c), &list.items[0], true);
	CHECK_STR(capture_close(&c),
		  "{\"event\":\"decision\",\"decision\":{\"addr\":\"0000:00:03.0\",\"driver\":\"pci-stub\",\"verdict\":null,\"by_default\":false,\"rule_id\":null,\"rule_label\":null,\"unmet\":[],\"outcome\":\"unevaluated\",\"mode\":\"off\",\"pid\":1,\"uid\":1000,\"comm\":\"my tool\\u0001\",\"policy_generation\":null}}\n");
	unit_json_doc("monitor", c.text);
	free(c.text);
	policy_decision_list_free(&list);

	/* Audited by the default; the process fields missing print as "-". */
	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_DECISION_NTF);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_DECISION);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_ADDR, "0000:00:1f.2");
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_DRIVER, "vfio-pci");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_VERDICT, PTHRU_ACTION_DENY);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_OUTCOME, PTHRU_OUTCOME_AUDITED);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_BY_DEFAULT, 1);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(policy_decisions_parse(nlh, &list, &bad), 0);
	monitor_print_decision(capture_open(&c), &list.items[0], false);
	CHECK_STR(capture_close(&c),
		  "decision 0000:00:1f.2 vfio-pci audited default pid=- uid=- comm=-\n");
	free(c.text);
	policy_decision_list_free(&list);

	/* policy-change carries what policy-get answers. */
	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_POLICY_CHANGE_NTF);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_MODE, PTHRU_POLICY_MODE_ENFORCE);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION, PTHRU_ACTION_DENY);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_LOCKED, 1);
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_GATED_DRIVER, "vfio-pci");
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_RULE_COUNT, 1024);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_GENERATION, 5);
	mnl_attr_put_u64(nlh, PTHRU_A_POLICY_ALLOWED, 2);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), 0);
	monitor_print_policy_change(capture_open(&c), &info, false);
	CHECK_STR(capture_close(&c),
		  "policy-change generation=5 mode=enforce locked=yes rules=1024\n");
	free(c.text);
	monitor_print_policy_change(capture_open(&c), &info, true);
	CHECK_STR(capture_close(&c),
		  "{\"event\":\"policy-change\",\"policy\":{\"mode\":\"enforce\",\"locked\":true,\"default\":{\"action\":\"deny\",\"requirements\":[]},\"gated\":[\"vfio-pci\"],\"counters\":{\"allowed\":2,\"denied\":0,\"audited\":0},\"generation\":5,\"rule_count\":1024}}\n");
	unit_json_doc("monitor", c.text);
	free(c.text);
	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_POLICY_CHANGE_NTF);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), 0);
	monitor_print_policy_change(capture_open(&c), &info, false);
	CHECK_STR(capture_close(&c),
		  "policy-change generation=- mode=- locked=- rules=-\n");
	free(c.text);
}

/* A fake socket: the groups joined, and which one refuses. */
struct fake_sock {
	uint32_t joined[4];
	unsigned int n;
	uint32_t refuse;	/* group id that fails with err */
	int err;
};

static int fake_join(void *ctx, uint32_t id)
{
	struct fake_sock *s = ctx;

	if (id == s->refuse)
		return s->err;
	if (s->n < ARRAY_SIZE(s->joined))
		s->joined[s->n++] = id;
	return 0;
}

static void fake_family(struct nl_family *fam, const char *a, uint32_t a_id,
			const char *b, uint32_t b_id)
{
	memset(fam, 0, sizeof(*fam));
	if (a) {
		snprintf(fam->mcgrps[fam->n_mcgrps].name, GENL_NAMSIZ, "%s", a);
		fam->mcgrps[fam->n_mcgrps++].id = a_id;
	}
	if (b) {
		snprintf(fam->mcgrps[fam->n_mcgrps].name, GENL_NAMSIZ, "%s", b);
		fam->mcgrps[fam->n_mcgrps++].id = b_id;
	}
}

static void test_monitor_groups(void)
{
	struct monitor_groups g;
	struct nl_family fam;
	struct fake_sock s;
	struct capture c;

	/* Privileged: both groups. */
	fake_family(&fam, "alerts", 12, "inventory", 11);
	memset(&s, 0, sizeof(s));
	CHECK_INT(monitor_join_groups(&fam, fake_join, &s, &g), 0);
	CHECK(g.inventory && g.alerts);
	CHECK_INT(s.n, 2);
	CHECK_INT(s.joined[0], 11);
	CHECK_INT(s.joined[1], 12);
	monitor_alerts_note(capture_open(&c), &g);
	CHECK_STR(capture_close(&c), "");
	free(c.text);

	/* Without CAP_NET_ADMIN: inventory only, and one line says so. */
	memset(&s, 0, sizeof(s));
	s.refuse = 12;
	s.err = -EPERM;
	CHECK_INT(monitor_join_groups(&fam, fake_join, &s, &g), 0);
	CHECK(g.inventory && !g.alerts);
	CHECK_INT(g.alerts_err, -EPERM);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.joined[0], 11);
	monitor_alerts_note(capture_open(&c), &g);
	CHECK_STR(capture_close(&c),
		  "pthructl: not receiving findings, bind decisions and policy changes: the alerts group needs CAP_NET_ADMIN\n");
	free(c.text);

	/* Any other failure is an error. */
	memset(&s, 0, sizeof(s));
	s.refuse = 12;
	s.err = -ENOBUFS;
	CHECK_INT(monitor_join_groups(&fam, fake_join, &s, &g), -ENOBUFS);
	memset(&s, 0, sizeof(s));
	s.refuse = 11;
	s.err = -EPERM;
	CHECK_INT(monitor_join_groups(&fam, fake_join, &s, &g), -EPERM);

	/* A module before the split: its one group carries everything. */
	fake_family(&fam, "events", 9, NULL, 0);
	memset(&s, 0, sizeof(s));
	CHECK_INT(monitor_join_groups(&fam, fake_join, &s, &g), 0);
	CHECK(g.inventory && g.alerts);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.joined[0], 9);

	/* No group it knows, or inventory without alerts. */
	fake_family(&fam, "other", 9, NULL, 0);
	CHECK_INT(monitor_join_groups(&fam, fake_join, &s, &g), -ENOENT);
	fake_family(&fam, "inventory", 11, NULL, 0);
	CHECK_INT(monitor_join_groups(&fam, fake_join, &s, &g), -ENOENT);
}

void test_monitor(void)
{
	struct dev_view dev;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	CHECK_STR(monitor_event_name(PTHRU_CMD_DEV_ADD_NTF), "dev-add");
	CHECK_STR(monitor_event_name(PTHRU_CMD_DEV_DEL_NTF), "dev-del");
	CHECK_STR(monitor_event_name(PTHRU_CMD_DEV_BIND_NTF), "dev-bind");
	CHECK_STR(monitor_event_name(PTHRU_CMD_DEV_UNBIND_NTF), "dev-unbind");
	/* Replies and commands of a newer module are not events. */
	CHECK_STR(monitor_event_name(PTHRU_CMD_ACS_CHANGE_NTF), "acs-change");
	CHECK_STR(monitor_event_name(PTHRU_CMD_HAZARD_RAISE_NTF),
		  "hazard-raise");
	CHECK_STR(monitor_event_name(PTHRU_CMD_HAZARD_CLEAR_NTF),
		  "hazard-clear");
	CHECK(monitor_event_has_finding(PTHRU_CMD_HAZARD_RAISE_NTF));
	CHECK(monitor_event_has_finding(PTHRU_CMD_HAZARD_CLEAR_NTF));
	CHECK(!monitor_event_has_finding(PTHRU_CMD_ACS_CHANGE_NTF));
	CHECK(!monitor_event_has_finding(PTHRU_CMD_DEV_ADD_NTF));
	CHECK(monitor_event_name(PTHRU_CMD_DEV_GET) == NULL);
	CHECK(monitor_event_name(PTHRU_CMD_HAZARD_GET) == NULL);
	CHECK(monitor_event_name(PTHRU_CMD_AUDIT) == NULL);
	CHECK(monitor_event_name(PTHRU_CMD_MAX + 1) == NULL);
	CHECK(monitor_event_name(-1) == NULL);

	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_DEV_ADD_NTF);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, "0000:00:03.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_VENDOR, 0x1234);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DEVICE, 0x11e8);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_GROUP_ID, 4);
	CHECK_INT(dev_parse(nlh, &dev, &bad), 0);

	monitor_print_event(capture_open(&c), "dev-add", &dev, false);
	CHECK_STR(capture_close(&c), "dev-add 0000:00:03.0 1234:11e8 driver=-\n");
	free(c.text);

	monitor_print_event(capture_open(&c), "dev-add", &dev, true);
	CHECK_STR(capture_close(&c),
		  "{\"event\":\"dev-add\",\"dev\":{\"addr\":\"0000:00:03.0\",\"vendor\":\"1234\",\"device\":\"11e8\",\"subsys_vendor\":null,\"subsys_device\":null,\"class\":null,\"driver\":null,\"group\":4,\"domain_type\":null,\"ats_supported\":null,\"ats_enabled\":null,\"untrusted\":null,\"external_facing\":null,\"acs_pos\":null,\"acs_cap\":null,\"acs_ctrl\":null,\"multifunction\":null,\"upstream\":null,\"pcie_type\":null,\"acs_ctrl_baseline\":null,\"isolation_group\":null,\"reach_count\":null,\"p2p_hop\":null,\"iommu\":null,\"sriov_pf\":null,\"sriov_vfs\":null,\"sriov_assumed\":null}}\n");
	unit_json_doc("monitor", c.text);
	free(c.text);

	mnl_attr_put_strz(nlh, PTHRU_A_DEV_DRIVER, "vfio-pci");
	CHECK_INT(dev_parse(nlh, &dev, &bad), 0);
	monitor_print_event(capture_open(&c), "dev-bind", &dev, false);
	CHECK_STR(capture_close(&c),
		  "dev-bind 0000:00:03.0 1234:11e8 driver=vfio-pci\n");
	free(c.text);

	/* acs-change shows the register against its baseline. */
	nlh = unit_genl_msg(buf, 0x20, PTHRU_CMD_ACS_CHANGE_NTF);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, "0000:00:03.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_VENDOR, 0x1b36);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DEVICE, 0x000c);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CTRL, 0x0000);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CTRL_BASELINE, 0x001d);
	CHECK_INT(dev_parse(nlh, &dev, &bad), 0);
	monitor_print_event(capture_open(&c), "acs-change", &dev, false);
	CHECK_STR(capture_close(&c),
		  "acs-change 0000:00:03.0 1b36:000c acs_ctrl=0000 baseline=001d\n");
	free(c.text);
	monitor_print_event(capture_open(&c), "acs-change", &dev, true);
	capture_close(&c);
	CHECK(strstr(c.text, "{\"event\":\"acs-change\",\"dev\":{\"addr\":\"0000:00:03.0\",") == c.text);
	CHECK(strstr(c.text, "\"acs_ctrl\":\"0000\",") != NULL);
	CHECK(strstr(c.text, "\"acs_ctrl_baseline\":\"001d\",") != NULL);
	unit_json_doc("monitor", c.text);
	free(c.text);
	dev.present &= ~(1ULL << PTHRU_A_DEV_ACS_CTRL_BASELINE);
	monitor_print_event(capture_open(&c), "acs-change", &dev, false);
	CHECK_STR(capture_close(&c),
		  "acs-change 0000:00:03.0 1b36:000c acs_ctrl=0000 baseline=-\n");
	free(c.text);

	test_monitor_findings();
	test_monitor_policy();
	test_monitor_groups();
}
