// SPDX-License-Identifier: GPL-2.0
/*
 * Documents for the JSON Schemas (Documentation/schemas/): the commands
 * run against the fake kernel, whose replies carry every attribute, so
 * that each key a document can hold is printed with a value and checked
 * by tests/schema-check.py; the monitor's events of every type; and the
 * tool's name tables, which the schemas' enumerations must match; and
 * snapshot files.  The other tests keep their JSON output for the same
 * check.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/pthru.h>

#include "dev.h"
#include "fake_nl.h"
#include "group.h"
#include "hazard.h"
#include "json.h"
#include "map.h"
#include "monitor.h"
#include "names.h"
#include "policy.h"
#include "policy_lang.h"
#include "pthructl.h"
#include "stats.h"
#include "status.h"
#include "unit.h"

#define FAMILY	0x20

typedef int (*cmd_fn)(struct pthructl *ctl, int argc, char **argv);

/* Run @cmd as main() would, its stdout kept in a file; NULL on failure. */
static char *run_cmd(struct pthructl *ctl, cmd_fn cmd, int argc, char **argv,
		     int *status)
{
	FILE *tmp = tmpfile();
	struct stat st;
	char *text;
	int saved;

	if (!tmp) {
		perror("tmpfile");
		exit(1);
	}
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	*status = cmd(ctl, argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	text = fstat(fileno(tmp), &st) ? NULL : calloc(1, st.st_size + 1);
	if (!text || pread(fileno(tmp), text, st.st_size, 0) != st.st_size) {
		perror("run_cmd");
		exit(1);
	}
	fclose(tmp);
	return text;
}

/* Run @cmd and keep its output as a document of @kind. */
static void doc_of(const char *kind, struct pthructl *ctl, cmd_fn cmd,
		   int argc, char **argv, int want)
{
	int status;
	char *text = run_cmd(ctl, cmd, argc, argv, &status);

	CHECK_INT(status, want);
	CHECK(text[0] == '{');
	unit_json_doc(kind, text);
	free(text);
}

static void put_dev(struct nlmsghdr *nlh, const char *addr)
{
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, addr);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_VENDOR, 0x8086);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DEVICE, 0x10ca);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SUBSYS_VENDOR, 0x8086);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SUBSYS_DEVICE, 0xa01c);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_CLASS, 0x020000);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_DRIVER, "vfio-pci");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_GROUP_ID, 8);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_DOMAIN_TYPE,
			 PTHRU_DOMAIN_TYPE_UNMANAGED);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ATS_SUPPORTED, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ATS_ENABLED, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_UNTRUSTED, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_EXTERNAL_FACING, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_POS, 0x148);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CAP, 0x005f);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CTRL, 0x001d);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_MULTIFUNCTION, 1);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_UPSTREAM, "0000:03:00.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_PCIE_TYPE, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ACS_CTRL_BASELINE, 0x001d);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_ISOLATION_GROUP, 2);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_REACH_COUNT, 1);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_P2P_HOP, "0000:03:00.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_IOMMU_SELF, 0);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_SRIOV_PF, "0000:04:00.0");
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SRIOV_VFS, 4);
	mnl_attr_put_u32(nlh, PTHRU_A_DEV_SRIOV_ASSUMED, 1);
}

static void put_group(struct nlmsghdr *nlh, uint32_t id)
{
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ID, id);
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_DOMAIN_TYPE, PTHRU_DOMAIN_TYPE_DMA_FQ);
	mnl_attr_put_u32(nlh, PTHRU_A_GROUP_ISOLATED_MSI, PTHRU_TRISTATE_YES);
	mnl_attr_put_strz(nlh, PTHRU_A_GROUP_MEMBER, "0000:04:00.0");
	mnl_attr_put_strz(nlh, PTHRU_A_GROUP_MEMBER, "0000:04:00.1");
	nest = mnl_attr_nest_start(nlh, PTHRU_A_GROUP_RESV_REGION);
	mnl_attr_put_u64(nlh, PTHRU_A_RESV_REGION_START, 0xfee00000);
	mnl_attr_put_u64(nlh, PTHRU_A_RESV_REGION_END, 0xfeefffff);
	mnl_attr_put_u32(nlh, PTHRU_A_RESV_REGION_TYPE, PTHRU_RESV_TYPE_SW_MSI);
	mnl_attr_nest_end(nlh, nest);
}

/* A finding nest with every typed fact the finding attribute set has. */
static void put_finding(struct nlmsghdr *nlh, uint32_t id)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);

	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID, id);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, PTHRU_SEVERITY_HIGH);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_ADDR, "0000:04:00.0");
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_GROUP_ID, 8);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_MESSAGE, "a message");
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_REMEDIATION, "a remedy");
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_HOP, "0000:03:00.0");
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_HOP_KIND,
			 PTHRU_P2P_HOP_DOWNSTREAM);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_POS, 0x148);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_CTRL, 0x0001);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_CTRL_BASELINE, 0x001d);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ACS_NEEDED, 0x001c);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_REACH_COUNT, 1);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_PEER, "0000:04:00.1");
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_PEER_GROUP_ID, 9);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ISOLATION_GROUP, 2);
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_DRIVER, "vfio-pci");
	mnl_attr_put_strz(nlh, PTHRU_A_FINDING_PEER_DRIVER, "e1000e");
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_REGION_TYPE,
			 PTHRU_RESV_TYPE_DIRECT_RELAXABLE);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_REGION_START, 0);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_REGION_END, 0xffffff);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_DOMAIN_ID, 2);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_IOVA, 0x100000);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_COUNT, 1ULL << 40);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_DOMAINS, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_MEMORY_KIND,
			 PTHRU_MEMORY_KIND_SLAB);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_PHYS, 0x12a3f4000ULL);
	mnl_attr_put_u64(nlh, PTHRU_A_FINDING_PHYS_EXPECTED, 0x12b000000ULL);
	mnl_attr_nest_end(nlh, nest);
}

static void put_mapping(struct nlmsghdr *nlh, uint64_t iova, uint32_t prot)
{
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_GROUP_ID, 8);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_DOMAIN_ID, 2);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_DOMAIN_TYPE,
			 PTHRU_DOMAIN_TYPE_UNMANAGED);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_IOVA, iova);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_PHYS, 0x12a3f4000ULL);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_SIZE, 0x200000);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_PROT, prot);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_INCOMPLETE, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_PHYS_HIDDEN, 0);
}

static void put_stats(struct nlmsghdr *nlh, uint32_t status)
{
	uint16_t attr;

	for (attr = PTHRU_A_STATS_ARMED; attr <= PTHRU_A_STATS_MAX; attr++) {
		switch (attr) {
		case PTHRU_A_STATS_ARMED:
		case PTHRU_A_STATS_DOMAINS:
		case PTHRU_A_STATS_RANGE_BYTES:
		case PTHRU_A_STATS_INCOMPLETE_DOMAINS:
		case PTHRU_A_STATS_BLIND:
		case PTHRU_A_STATS_WRAPPED_DOMAINS:
		case PTHRU_A_STATS_NODES_USED:
		case PTHRU_A_STATS_NODES_RESERVED:
			mnl_attr_put_u32(nlh, attr, 1);
			break;
		case PTHRU_A_STATS_STATUS:
			mnl_attr_put_u32(nlh, attr, status);
			break;
		default:
			mnl_attr_put_u64(nlh, attr, 1ULL << 33);
			break;
		}
	}
}

static void fake_do(struct fake_reply *r, uint8_t cmd,
		    void (*put)(struct nlmsghdr *nlh, uint32_t arg),
		    uint32_t arg)
{
	struct fake_dgram *d;

	memset(r, 0, sizeof(*r));
	d = fake_dgram_add(r);
	put(fake_genl_msg(d, FAMILY, cmd, 0), arg);
	fake_ack(d, 0);
	fake_nl_script(r);
}

static void put_dev_arg(struct nlmsghdr *nlh, uint32_t arg)
{
	put_dev(nlh, arg ? "0000:04:00.1" : "0000:04:00.0");
}

static void put_verify(struct nlmsghdr *nlh, uint32_t group)
{
	uint16_t attr;

	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_GROUP_ID, group);
	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_DOMAINS, 1);
	for (attr = PTHRU_A_VERIFY_RANGES; attr <= PTHRU_A_VERIFY_OVERREACH;
	     attr++)
		mnl_attr_put_u64(nlh, attr, 5);
	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_INCOMPLETE_DOMAINS, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_VERIFY_GENERATION, 12);
}

static void put_status(struct nlmsghdr *nlh, uint32_t arg)
{
	(void)arg;
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_VERSION, "0.1.0");
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_KERNEL_RELEASE, "6.12.117+deb12-amd64");
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_IOMMU_PRESENT, 1);
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_IOMMU_DRIVER, "amd-vi");
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_IOMMU_UNITS, 2);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_DEFAULT_PASSTHROUGH, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_INTR_REMAP, PTHRU_TRISTATE_NO);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_DEV_COUNT, 12);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_GROUP_COUNT, 9);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_GENERATION, 4);
}

/* The read commands, each from the fake kernel's replies. */
static void test_schema_commands(void)
{
	char *show_dev[2] = { "show", "04:00.0" };
	char *show_group[2] = { "show", "8" };
	char *verify[2] = { "verify", "8" };
	char *domain[1] = { "2" };
	struct pthructl ctl = { .json = true, .connected = true };
	struct fake_reply r;
	struct fake_dgram *d;
	struct nlmsghdr *nlh;
	uint32_t i;

	fake_nl_open(&ctl.nl);
	ctl.nl.family.id = FAMILY;

	fake_do(&r, PTHRU_CMD_STATUS_GET, put_status, 0);
	doc_of("status", &ctl, cmd_status, 0, NULL, EXIT_OK);

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 2; i++)
		put_dev_arg(fake_genl_msg(fake_dgram_add(&r), FAMILY,
					  PTHRU_CMD_DEV_GET, NLM_F_MULTI), i);
	fake_done(fake_dgram_add(&r), 0, 0);
	fake_nl_script(&r);
	doc_of("dev", &ctl, cmd_dev, 0, NULL, EXIT_OK);

	fake_do(&r, PTHRU_CMD_DEV_GET, put_dev_arg, 0);
	doc_of("dev-show", &ctl, cmd_dev, 2, show_dev, EXIT_OK);

	memset(&r, 0, sizeof(r));
	put_group(fake_genl_msg(fake_dgram_add(&r), FAMILY, PTHRU_CMD_GROUP_GET,
				NLM_F_MULTI), 8);
	fake_done(fake_dgram_add(&r), 0, 0);
	fake_nl_script(&r);
	doc_of("group", &ctl, cmd_group, 0, NULL, EXIT_OK);

	fake_do(&r, PTHRU_CMD_GROUP_GET, put_group, 8);
	doc_of("group-show", &ctl, cmd_group, 2, show_group, EXIT_OK);

	/* Every hazard-id, and one this tool does not know. */
	memset(&r, 0, sizeof(r));
	d = fake_dgram_add(&r);
	for (i = 1; i <= PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN + 1; i++) {
		if (i == 13)
			d = fake_dgram_add(&r);
		nlh = fake_genl_msg(d, FAMILY, PTHRU_CMD_HAZARD_GET,
				    NLM_F_MULTI);
		mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 4);
		put_finding(nlh, i);
	}
	fake_done(fake_dgram_add(&r), 0, 0);
	fake_nl_script(&r);
	doc_of("hazard", &ctl, cmd_hazard, 0, NULL, EXIT_OK);

	/* Every permission bit, and one this tool does not know. */
	memset(&r, 0, sizeof(r));
	d = fake_dgram_add(&r);
	put_mapping(fake_genl_msg(d, FAMILY, PTHRU_CMD_MAP_GET, NLM_F_MULTI),
		    0x100000, 0x3);
	put_mapping(fake_genl_msg(d, FAMILY, PTHRU_CMD_MAP_GET, NLM_F_MULTI),
		    0x400000, 0xffffffff);
	fake_done(fake_dgram_add(&r), 0, 0);
	fake_nl_script(&r);
	doc_of("map", &ctl, cmd_map, 0, NULL, EXIT_OK);

	fake_do(&r, PTHRU_CMD_MAP_VERIFY, put_verify, 8);
	doc_of("map-verify", &ctl, cmd_map, 2, verify, EXIT_FINDINGS);

	/* Every shadow status, and one this tool does not know. */
	for (i = PTHRU_SHADOW_STATUS_OFF; i <= PTHRU_SHADOW_STATUS_REFUSED + 1;
	     i++) {
		fake_do(&r, PTHRU_CMD_STATS_GET, put_stats, i);
		doc_of("stats", &ctl, cmd_stats, 1, domain, EXIT_OK);
	}
	fake_nl_close(&ctl.nl);
}

/* One line of each event type, as the monitor prints them. */
static void test_schema_events(void)
{
	static const int dev_events[] = {
		PTHRU_CMD_DEV_ADD_NTF, PTHRU_CMD_DEV_DEL_NTF,
		PTHRU_CMD_DEV_BIND_NTF, PTHRU_CMD_DEV_UNBIND_NTF,
		PTHRU_CMD_ACS_CHANGE_NTF,
	};
	struct policy_decision_list decisions = {};
	struct finding_list list = {};
	struct policy_info info;
	struct hazard_msg msg;
	struct dev_view dev;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct capture c;
	char buf[8192];
	uint16_t bad;
	size_t i;
	FILE *out;

	out = capture_open(&c);
	for (i = 0; i < ARRAY_SIZE(dev_events); i++) {
		nlh = unit_genl_msg(buf, FAMILY, dev_events[i]);
		put_dev(nlh, "0000:04:00.0");
		CHECK_INT(dev_parse(nlh, &dev, &bad), 0);
		monitor_print_event(out, monitor_event_name(dev_events[i]),
				    &dev, true);
	}
	for (i = PTHRU_CMD_HAZARD_RAISE_NTF; i <= PTHRU_CMD_HAZARD_CLEAR_NTF;
	     i++) {
		CHECK(monitor_event_has_finding(i));
		nlh = unit_genl_msg(buf, FAMILY, i);
		mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 4);
		put_finding(nlh, PTHRU_HAZARD_ID_ACS_MISSING);
		CHECK_INT(hazard_msg_parse(nlh, &msg, &list, &bad), 0);
		monitor_print_finding(out, monitor_event_name(i), &msg,
				      &list.items[0], true);
		finding_list_free(&list);
	}

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_DECISION_NTF);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_DECISION);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_ADDR, "0000:04:00.0");
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_DRIVER, "vfio-pci");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_VERDICT, PTHRU_ACTION_ALLOW);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_OUTCOME, PTHRU_OUTCOME_AUDITED);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_MODE, PTHRU_POLICY_MODE_AUDIT);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_BY_DEFAULT, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_RULE_ID, 10);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_RULE_LABEL, "guests");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_UNMET, 0xffffffff);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_PID, 4242);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_UID, 0);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_COMM, "sh");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_POLICY_GENERATION, 3);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(policy_decisions_parse(nlh, &decisions, &bad), 0);
	CHECK_INT(decisions.n, 1);
	if (decisions.n)
		monitor_print_decision(out, &decisions.items[0], true);
	policy_decision_list_free(&decisions);

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_CHANGE_NTF);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_MODE, PTHRU_POLICY_MODE_ENFORCE);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_LOCKED, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION, PTHRU_ACTION_ALLOW);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS,
			 PTHRU_REQUIREMENT_ACS_ISOLATED);
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_GATED_DRIVER, "vfio-pci");
	mnl_attr_put_u64(nlh, PTHRU_A_POLICY_ALLOWED, 1ULL << 40);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_GENERATION, 5);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_RULE_COUNT, 2);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), 0);
	monitor_print_policy_change(out, &info, true);

	unit_json_doc("monitor", capture_close(&c));
	free(c.text);
}

/*
 * policy show with rules that use every match key, every requirement and
 * one the tool has no name for, each rule passed through its netlink nest
 * as the kernel's reply carries it.
 */
static void test_schema_policy(void)
{
	static const char text[] =
		"mode enforce\n"
		"gate vfio-pci *-vfio-pci\n"
		"default allow require all\n"
		"rule 4294967295 deny driver uio_pci_generic\n"
		"rule 1 allow addr 0001:0A:1F.7 vendor 1234 device 11e8 subvendor 1af4 subdevice 1100 require all label \"edu \\\"1\\\"\"\n"
		"rule 30 deny class 0x020000/0xff0000 slot 2 serial 00-1b-44-11-3a-b7-00-01\n"
		"rule 31 deny class c0330\n";
	struct policy_rule rules[8];
	struct policy_info info;
	struct policy_doc doc;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192], err[256];
	uint16_t bad;
	unsigned int i;

	CHECK_INT(policy_parse("rich.conf", text, strlen(text), &doc, err,
			       sizeof(err)), 0);
	CHECK_INT(doc.nr_rules, 4);
	if (doc.nr_rules != 4)
		return;
	doc.rules[3].requirements |= 1U << 31;
	for (i = 0; i < doc.nr_rules; i++) {
		nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_GET);
		policy_rule_put(nlh, PTHRU_A_POLICY_RULE, &doc.rules[i]);
		CHECK_INT(policy_rule_parse(mnl_nlmsg_get_payload_offset(nlh,
				GENL_HDRLEN), &rules[i], &bad), 0);
	}
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_GET);
	policy_doc_put(nlh, &doc, true);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_LOCKED, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_GENERATION, 9);
	mnl_attr_put_u64(nlh, PTHRU_A_POLICY_ALLOWED, 1);
	mnl_attr_put_u64(nlh, PTHRU_A_POLICY_DENIED, 2);
	mnl_attr_put_u64(nlh, PTHRU_A_POLICY_AUDITED, 3);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), 0);
	CHECK_INT(policy_show_print(capture_open(&c), &info, rules,
				    doc.nr_rules, true), 0);
	unit_json_doc("policy", capture_close(&c));
	free(c.text);
	policy_doc_free(&doc);
}

/* The words of a name table: its function's answers to every value. */
static void names_of(struct json *j, const char *key,
		     const char *(*name)(uint32_t val), uint32_t n)
{
	const char *seen[64];
	unsigned int n_seen = 0, k;
	uint32_t val;
	const char *s;

	json_array_begin(j, key);
	for (val = 0; val < n; val++) {
		s = name(val);
		if (!s)
			continue;
		for (k = 0; k < n_seen && strcmp(seen[k], s); k++)
			;
		if (k < n_seen || n_seen == ARRAY_SIZE(seen))
			continue;
		seen[n_seen++] = s;
		json_string(j, NULL, s);
	}
	json_array_end(j);
}

static const char *pcie_type_known(uint32_t type)
{
	static char buf[16];
	const char *s = pcie_type_name(type, buf, sizeof(buf));

	return s == buf ? NULL : s;
}

static const char *req_word(uint32_t bit)
{
	const char *s = bit < 32 ? policy_req_name(1U << bit) : NULL;

	/* What reqs_json() prints for a requirement it has no name for. */
	return s ? s : "unknown";
}

static const char *event_word(uint32_t cmd)
{
	return monitor_event_name(cmd);
}

static void test_schema_names(void)
{
	struct capture c;
	struct json j;

	json_init(&j, capture_open(&c));
	json_object_begin(&j, NULL);
	names_of(&j, "severity", severity_name, 256);
	names_of(&j, "hazard_name", hazard_name, 1024);
	names_of(&j, "domain_type", domain_type_name, 256);
	names_of(&j, "resv_type", resv_type_name, 256);
	names_of(&j, "tristate_or_null", tristate_name, 256);
	names_of(&j, "hop_kind_or_null", hop_kind_name, 256);
	names_of(&j, "memory_kind_or_null", memory_kind_name, 256);
	names_of(&j, "pcie_type_or_null", pcie_type_known, 256);
	names_of(&j, "policy_mode_or_null", policy_mode_text, 256);
	names_of(&j, "policy_action", policy_action_name, 256);
	names_of(&j, "policy_outcome_or_null", policy_outcome_name, 256);
	names_of(&j, "requirements", req_word, 32);
	names_of(&j, "event", event_word, 256);
	json_object_end(&j);
	unit_json_doc("names", capture_close(&c));
	free(c.text);
}

/*
 * Snapshot files (snapfile_write(), through test_snapfile.c's sample):
 * once with each of the sample's functions first, since schema-check.py
 * mutates the first element of an array.
 */
static void test_schema_snapshot(void)
{
	unsigned int skip;
	char *text;

	for (skip = 0; skip < 6; skip++) {
		text = unit_snapshot_sample(skip);
		CHECK(text && text[0] == '{');
		if (text)
			unit_json_doc("snapshot", text);
		free(text);
	}
}

void test_schema(void)
{
	test_schema_commands();
	test_schema_events();
	test_schema_policy();
	test_schema_names();
	test_schema_snapshot();
}
