// SPDX-License-Identifier: GPL-2.0
/*
 * The policy command's netlink objects and output: rule nests both ways,
 * policy-replace and policy-test requests, where an extack points, the
 * policy-get and rule-get replies, decisions, show / test / generate in
 * text and JSON, and the command's errors before it reaches the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/pthru.h>

#include "nl.h"
#include "policy.h"
#include "unit.h"

#define FAMILY	0x20

#define REQ_AT	(PTHRU_REQUIREMENT_ACS_ISOLATED | PTHRU_REQUIREMENT_TRANSLATED)

/* A rule with every match field set. */
static void full_rule(struct policy_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->id = 4294967295U;
	snprintf(r->label, sizeof(r->label), "all \"fields\" \\ set");
	r->action = PTHRU_ACTION_ALLOW;
	r->requirements = REQ_AT | PTHRU_REQUIREMENT_VIABLE_GROUP;
	r->fields = POLICY_F_VENDOR | POLICY_F_DEVICE | POLICY_F_SUBVENDOR |
		    POLICY_F_SUBDEVICE | POLICY_F_CLASS | POLICY_F_ADDR |
		    POLICY_F_SLOT | POLICY_F_SERIAL | POLICY_F_DRIVER;
	r->vendor = 0x1af4;
	r->device = 0x1041;
	r->subvendor = 0x8086;
	r->subdevice = 0x0001;
	r->class = 0x020000;
	r->class_mask = 0xff0000;
	snprintf(r->addr, sizeof(r->addr), "0000:01:00.0");
	snprintf(r->slot, sizeof(r->slot), "slot-7");
	r->serial = 0x0011223344556677ULL;
	snprintf(r->driver, sizeof(r->driver), "vfio-pci");
}

/* The attribute types directly inside @nest, in order, as a string. */
static const char *nest_types(const struct nlattr *nest, char *buf,
			      size_t size)
{
	const struct nlattr *a;
	size_t len = 0;

	buf[0] = '\0';
	mnl_attr_for_each_nested(a, nest)
		len += snprintf(buf + len, size - len, "%s%u", len ? "," : "",
				mnl_attr_get_type(a));
	return buf;
}

static void test_policy_rule_nests(void)
{
	struct policy_rule in, out;
	const struct nlattr *nest;
	struct nlmsghdr *nlh;
	char buf[8192], types[128];
	uint16_t bad = 0;

	/* Every field, both ways. */
	full_rule(&in);
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
	policy_rule_put(nlh, PTHRU_A_POLICY_RULE, &in);
	nest = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	CHECK_INT(mnl_attr_get_type(nest), PTHRU_A_POLICY_RULE);
	CHECK_STR(nest_types(nest, types, sizeof(types)),
		  "1,2,3,4,5,6,7,8,9,10,11,12,13,14");
	CHECK_INT(policy_rule_parse(nest, &out, &bad), 0);
	CHECK_INT(out.id, 4294967295U);
	CHECK_STR(out.label, "all \"fields\" \\ set");
	CHECK_INT(out.action, PTHRU_ACTION_ALLOW);
	CHECK_INT(out.requirements, in.requirements);
	CHECK_INT(out.fields, in.fields);
	CHECK_INT(out.vendor, 0x1af4);
	CHECK_INT(out.device, 0x1041);
	CHECK_INT(out.subvendor, 0x8086);
	CHECK_INT(out.subdevice, 0x0001);
	CHECK_INT(out.class, 0x020000);
	CHECK_INT(out.class_mask, 0xff0000);
	CHECK_STR(out.addr, "0000:01:00.0");
	CHECK_STR(out.slot, "slot-7");
	CHECK(out.serial == 0x0011223344556677ULL);
	CHECK_STR(out.driver, "vfio-pci");
	CHECK_INT(out.line, 0);

	/*
	 * A bare deny: no label, no requirements, no match attributes; a
	 * class with mask 0 (all 24 bits) sends no mask.
	 */
	memset(&in, 0, sizeof(in));
	in.id = 20;
	in.action = PTHRU_ACTION_DENY;
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
	policy_rule_put(nlh, PTHRU_A_POLICY_RULE, &in);
	nest = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	CHECK_STR(nest_types(nest, types, sizeof(types)), "1,3");
	CHECK_INT(policy_rule_parse(nest, &out, &bad), 0);
	CHECK_INT(out.id, 20);
	CHECK_INT(out.fields, 0);
	CHECK_STR(out.label, "");
	in.fields = POLICY_F_CLASS;
	in.class = 0x0c0330;
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
	policy_rule_put(nlh, PTHRU_A_POLICY_RULE, &in);
	nest = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	CHECK_STR(nest_types(nest, types, sizeof(types)), "1,3,9");
	CHECK_INT(policy_rule_parse(nest, &out, &bad), 0);
	CHECK_INT(out.fields, POLICY_F_CLASS);
	CHECK_INT(out.class_mask, 0);

	/* A rule without its id, or a label longer than 63 bytes, is malformed. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_RULE);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_ACTION, 0);
	mnl_attr_nest_end(nlh, (struct nlattr *)nest);
	CHECK_INT(policy_rule_parse(nest, &out, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_RULE_ID);
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_RULE);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_ID, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_ACTION, 0);
	mnl_attr_put_strz(nlh, PTHRU_A_RULE_LABEL,
			  "0123456789012345678901234567890123456789012345678901234567890123");
	mnl_attr_nest_end(nlh, (struct nlattr *)nest);
	CHECK_INT(policy_rule_parse(nest, &out, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_RULE_LABEL);
	/* The IDs are u32s now: a u16 is caught by type. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_RULE);
	mnl_attr_put_u16(nlh, PTHRU_A_RULE_VENDOR, 0x1af4);
	mnl_attr_nest_end(nlh, (struct nlattr *)nest);
	CHECK_INT(policy_rule_parse(nest, &out, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_RULE_VENDOR);

	/* ... and a u32 ID above 16 bits is no PCI ID. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
	nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_RULE);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_ID, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_ACTION, PTHRU_ACTION_DENY);
	mnl_attr_put_u32(nlh, PTHRU_A_RULE_SUBSYS_DEVICE, 0x10000);
	mnl_attr_nest_end(nlh, (struct nlattr *)nest);
	CHECK_INT(policy_rule_parse(nest, &out, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_RULE_SUBSYS_DEVICE);
}

/* Every top-level attribute type of @nlh, in order. */
static const char *msg_types(const struct nlmsghdr *nlh, char *buf,
			     size_t size)
{
	const struct nlattr *a;
	size_t len = 0;

	buf[0] = '\0';
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		len += snprintf(buf + len, size - len, "%s%u", len ? "," : "",
				mnl_attr_get_type(a));
	return buf;
}

static void test_policy_requests(void)
{
	struct policy_rule rules[3];
	struct policy_doc doc = {
		.has_mode = true,
		.mode = PTHRU_POLICY_MODE_ENFORCE,
		.nr_gated = 2,
		.gated = { "vfio-pci", "*-vfio-pci" },
		.default_action = PTHRU_ACTION_ALLOW,
		.default_requirements = REQ_AT,
		.nr_rules = 3,
		.rules = rules,
	};
	const struct nlattr *a, *inner = NULL;
	struct nlmsghdr *nlh;
	char buf[8192], types[128];
	unsigned int i, n = 0;
	uint32_t offs;

	memset(rules, 0, sizeof(rules));
	for (i = 0; i < 3; i++) {
		rules[i].id = 10 * (i + 1);
		rules[i].action = PTHRU_ACTION_DENY;
		rules[i].fields = POLICY_F_VENDOR;
		rules[i].vendor = 0x8086 + i;
	}

	/* policy-replace: default, mode, gated drivers, rules in order. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_REPLACE);
	policy_doc_put(nlh, &doc, true);
	CHECK_STR(msg_types(nlh, types, sizeof(types)), "2,3,1,5,5,7,7,7");
	CHECK(nlh->nlmsg_len - MNL_NLMSG_HDRLEN - sizeof(struct genlmsghdr) <=
	      policy_doc_msg_size(&doc));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == PTHRU_A_POLICY_GATED_DRIVER)
			CHECK_STR(mnl_attr_get_str(a), n++ ? "*-vfio-pci" : "vfio-pci");
		if (mnl_attr_get_type(a) == PTHRU_A_POLICY_DEFAULT_REQUIREMENTS)
			CHECK_INT(mnl_attr_get_u32(a), REQ_AT);
		/* Remember the vendor attribute inside the second rule. */
		if (mnl_attr_get_type(a) == PTHRU_A_POLICY_RULE &&
		    mnl_attr_get_u32(mnl_attr_get_payload(a)) == 20)
			inner = (const struct nlattr *)((const char *)mnl_attr_get_payload(a) + 16);
	}

	/* Which rule an extack offset falls in. */
	CHECK(inner != NULL);
	CHECK_INT(mnl_attr_get_type(inner), PTHRU_A_RULE_VENDOR);
	CHECK_INT(mnl_attr_get_u32(inner), 0x8087);
	offs = (const char *)inner - (const char *)nlh;
	CHECK_INT(policy_req_rule_at(nlh, offs), 1);
	a = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	CHECK_INT(policy_req_rule_at(nlh, (const char *)a - (const char *)nlh),
		  -1);
	CHECK_INT(policy_req_rule_at(nlh, nlh->nlmsg_len - 4), 2);
	CHECK_INT(policy_req_rule_at(nlh, nlh->nlmsg_len), -1);
	CHECK_INT(policy_req_rule_at(nlh, 0), -1);

	/* policy-test reads only the default and the rules. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_TEST);
	policy_doc_put(nlh, &doc, false);
	CHECK_STR(msg_types(nlh, types, sizeof(types)), "2,3,7,7,7");
	/* Without a mode line or gate line, replace keeps them: none sent. */
	doc.has_mode = false;
	doc.nr_gated = 0;
	doc.default_action = PTHRU_ACTION_DENY;
	doc.default_requirements = 0;
	doc.nr_rules = 0;
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_REPLACE);
	policy_doc_put(nlh, &doc, true);
	CHECK_STR(msg_types(nlh, types, sizeof(types)), "2,3");
}

/* The biggest policy the language allows fits the size policy_doc_msg_size says. */
static void test_policy_big_request(void)
{
	struct policy_doc doc = {
		.has_mode = true,
		.nr_gated = POLICY_MAX_GATED,
		.default_action = PTHRU_ACTION_DENY,
		.nr_rules = POLICY_MAX_RULES,
	};
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	size_t size;
	unsigned int i;
	char *buf;

	doc.rules = calloc(POLICY_MAX_RULES, sizeof(*doc.rules));
	CHECK(doc.rules != NULL);
	if (!doc.rules)
		return;
	for (i = 0; i < POLICY_MAX_GATED; i++)
		memset(doc.gated[i], 'g', POLICY_NAME_MAX);
	for (i = 0; i < POLICY_MAX_RULES; i++) {
		full_rule(&doc.rules[i]);
		doc.rules[i].id = i + 1;
		memset(doc.rules[i].label, 'l', POLICY_LABEL_MAX);
		memset(doc.rules[i].slot, 's', POLICY_NAME_MAX);
		memset(doc.rules[i].driver, 'd', POLICY_NAME_MAX);
	}
	size = MNL_NLMSG_HDRLEN + sizeof(*genl) + policy_doc_msg_size(&doc);
	buf = calloc(1, size + 4096);
	CHECK(buf != NULL);
	if (buf) {
		nlh = mnl_nlmsg_put_header(buf);
		genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
		genl->cmd = PTHRU_CMD_POLICY_REPLACE;
		policy_doc_put(nlh, &doc, true);
		CHECK(nlh->nlmsg_len <= size);
		/* The figure the send buffer is raised for: about 250 KiB. */
		CHECK(nlh->nlmsg_len > 200 * 1024 && nlh->nlmsg_len < 300 * 1024);
		CHECK_INT(policy_req_rule_at(nlh, nlh->nlmsg_len - 8), 1023);
	}
	free(buf);
	free(doc.rules);
}

static void test_policy_extack(void)
{
	struct nlmsgerr *err;
	struct nlmsghdr *nlh;
	char buf[512], msg[NL_EXT_MSG_MAX];
	uint32_t offs = 99;

	/* A capped ack naming the attribute it blames. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = -EINVAL;
	err->msg.nlmsg_len = 250000;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "rule 20: class-mask without class");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 1234);
	CHECK_INT(nl_parse_error_offs(nlh, msg, sizeof(msg), &offs), -EINVAL);
	CHECK_STR(msg, "rule 20: class-mask without class");
	CHECK_INT(offs, 1234);
	CHECK_INT(policy_msg_rule_id(msg), 20);

	/* Without an offset, it is 0; nl_parse_error() is unchanged. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = -EPERM;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "policy is locked until reboot");
	CHECK_INT(nl_parse_error_offs(nlh, msg, sizeof(msg), &offs), -EPERM);
	CHECK_INT(offs, 0);
	CHECK_INT(nl_parse_error(nlh, msg, sizeof(msg)), -EPERM);
	CHECK_STR(msg, "policy is locked until reboot");
	CHECK_INT(policy_msg_rule_id(msg), 0);

	/* Only "rule N" as words, with N a whole 32-bit number from 1. */
	CHECK_INT(policy_msg_rule_id("bad rule 7"), 7);
	CHECK_INT(policy_msg_rule_id("duplicate id (rule 4294967295)"), 4294967295U);
	CHECK_INT(policy_msg_rule_id("rule 12, its label is too long"), 12);
	CHECK_INT(policy_msg_rule_id("overrule 5"), 0);
	CHECK_INT(policy_msg_rule_id("rule 0"), 0);
	CHECK_INT(policy_msg_rule_id("rule 4294967296"), 0);
	CHECK_INT(policy_msg_rule_id("rule 12x"), 0);
	CHECK_INT(policy_msg_rule_id("a rule with no id"), 0);
	CHECK_INT(policy_msg_rule_id("rule rule 3"), 3);
}

/* A policy-get reply as the module sends it by default. */
static struct nlmsghdr *policy_get_reply(char *buf, unsigned int gated)
{
	static const char *const names[] = {
		"vfio-pci", "pci-stub", "uio_pci_generic", "*-vfio-pci",
	};
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_GET);
	unsigned int i;

	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_MODE, PTHRU_POLICY_MODE_AUDIT);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION, PTHRU_ACTION_ALLOW);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS,
			 REQ_AT | PTHRU_REQUIREMENT_VIABLE_GROUP);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_LOCKED, 0);
	for (i = 0; i < gated; i++)
		mnl_attr_put_strz(nlh, PTHRU_A_POLICY_GATED_DRIVER,
				  names[i % ARRAY_SIZE(names)]);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_RULE_COUNT, 2);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_GENERATION, 7);
	mnl_attr_put_u64(nlh, PTHRU_A_POLICY_ALLOWED, 3);
	mnl_attr_put_u64(nlh, PTHRU_A_POLICY_DENIED, 1);
	mnl_attr_put_u64(nlh, PTHRU_A_POLICY_AUDITED, 0);
	return nlh;
}

/* The two rules of the example policy, as rule-get sends them. */
static void example_rules(struct policy_rule *rules)
{
	memset(rules, 0, 2 * sizeof(*rules));
	rules[0].id = 10;
	rules[0].action = PTHRU_ACTION_ALLOW;
	rules[0].requirements = REQ_AT;
	rules[0].fields = POLICY_F_VENDOR | POLICY_F_DEVICE;
	rules[0].vendor = 0x1af4;
	rules[0].device = 0x1041;
	snprintf(rules[0].label, sizeof(rules[0].label), "virtio-net for guests");
	rules[1].id = 20;
	rules[1].action = PTHRU_ACTION_DENY;
	rules[1].fields = POLICY_F_CLASS;
	rules[1].class = 0x0c0300;
	rules[1].class_mask = 0xffff00;
}

static void test_policy_show(void)
{
	struct policy_rule rules[2];
	struct policy_info info;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad = 0;

	nlh = policy_get_reply(buf, 4);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), 0);
	CHECK_INT(info.nr_gated, 4);
	CHECK_STR(info.gated[3], "*-vfio-pci");
	CHECK_INT(info.generation, 7);
	CHECK(policy_info_has(&info, PTHRU_A_POLICY_LOCKED));
	CHECK(!policy_info_has(&info, PTHRU_A_POLICY_DECISION));
	example_rules(rules);

	CHECK_INT(policy_show_print(capture_open(&c), &info, rules, 2, false), 0);
	CHECK_STR(capture_close(&c),
		  "mode:       audit\n"
		  "locked:     no\n"
		  "default:    allow require acs-isolated,translated,viable-group\n"
		  "gated:      vfio-pci pci-stub uio_pci_generic *-vfio-pci\n"
		  "counters:   3 allowed, 1 denied, 0 audited\n"
		  "generation: 7\n"
		  "rules:      2\n"
		  "\n"
		  "ID  ACTION  MATCH                        REQUIRES                 LABEL\n"
		  "10  allow   vendor 0x1af4 device 0x1041  acs-isolated,translated  virtio-net for guests\n"
		  "20  deny    class 0x0c0300/0xffff00      -                        -\n");
	free(c.text);

	CHECK_INT(policy_show_print(capture_open(&c), &info, rules, 2, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"mode\":\"audit\",\"locked\":false,\"default\":{\"action\":\"allow\",\"requirements\":[\"acs-isolated\",\"translated\",\"viable-group\"]},\"gated\":[\"vfio-pci\",\"pci-stub\",\"uio_pci_generic\",\"*-vfio-pci\"],\"counters\":{\"allowed\":3,\"denied\":1,\"audited\":0},\"generation\":7,\"rules\":[\n"
		  "{\"id\":10,\"action\":\"allow\",\"match\":{\"vendor\":\"1af4\",\"device\":\"1041\",\"subvendor\":null,\"subdevice\":null,\"class\":null,\"class_mask\":null,\"addr\":null,\"slot\":null,\"serial\":null,\"driver\":null},\"requirements\":[\"acs-isolated\",\"translated\"],\"label\":\"virtio-net for guests\"},\n"
		  "{\"id\":20,\"action\":\"deny\",\"match\":{\"vendor\":null,\"device\":null,\"subvendor\":null,\"subdevice\":null,\"class\":\"0c0300\",\"class_mask\":\"ffff00\",\"addr\":null,\"slot\":null,\"serial\":null,\"driver\":null},\"requirements\":[],\"label\":\"\"}\n"
		  "]}\n");
	unit_json_doc("policy", c.text);
	free(c.text);

	/*
	 * Locked, deny by default, nothing gated, no rules: no table at all,
	 * and an empty JSON array.
	 */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_MODE, PTHRU_POLICY_MODE_ENFORCE);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION, PTHRU_ACTION_DENY);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_LOCKED, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_GENERATION, 12);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), 0);
	CHECK_INT(policy_show_print(capture_open(&c), &info, rules, 0, false), 0);
	CHECK_STR(capture_close(&c),
		  "mode:       enforce\n"
		  "locked:     yes\n"
		  "default:    deny\n"
		  "gated:      -\n"
		  "counters:   0 allowed, 0 denied, 0 audited\n"
		  "generation: 12\n"
		  "rules:      0\n");
	free(c.text);
	CHECK_INT(policy_show_print(capture_open(&c), &info, rules, 0, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"mode\":\"enforce\",\"locked\":true,\"default\":{\"action\":\"deny\",\"requirements\":[]},\"gated\":[],\"counters\":{\"allowed\":0,\"denied\":0,\"audited\":0},\"generation\":12,\"rules\":[\n"
		  "]}\n");
	unit_json_doc("policy", c.text);
	free(c.text);

	/* Values of a newer module, and fields it left out. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_MODE, 7);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_ACTION, PTHRU_ACTION_ALLOW);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_DEFAULT_REQUIREMENTS, 0x81);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_MAX + 1, 5);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), 0);
	CHECK_INT(policy_show_print(capture_open(&c), &info, rules, 0, false), 0);
	CHECK_STR(capture_close(&c),
		  "mode:       unknown\n"
		  "locked:     -\n"
		  "default:    allow require acs-isolated,unknown\n"
		  "gated:      -\n"
		  "counters:   0 allowed, 0 denied, 0 audited\n"
		  "generation: -\n"
		  "rules:      0\n");
	free(c.text);
	CHECK_INT(policy_show_print(capture_open(&c), &info, rules, 0, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"mode\":\"unknown\",\"locked\":null,\"default\":{\"action\":\"allow\",\"requirements\":[\"acs-isolated\",\"unknown\"]},\"gated\":[],\"counters\":{\"allowed\":0,\"denied\":0,\"audited\":0},\"generation\":null,\"rules\":[\n"
		  "]}\n");
	unit_json_doc("policy", c.text);
	free(c.text);

	/* More gated drivers than a policy has, or a name too long: malformed. */
	nlh = policy_get_reply(buf, POLICY_MAX_GATED + 1);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_POLICY_GATED_DRIVER);
	nlh = policy_get_reply(buf, 0);
	mnl_attr_put_strz(nlh, PTHRU_A_POLICY_GATED_DRIVER,
			  "a-driver-name-of-thirty-two-char");
	CHECK_INT(policy_info_parse(nlh, &info, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_POLICY_GATED_DRIVER);
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_GET);
	mnl_attr_put_u8(nlh, PTHRU_A_POLICY_MODE, 2);
	CHECK_INT(policy_info_parse(nlh, &info, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_POLICY_MODE);
}

/*
 * save: rule-get replies to a document, printed; the text loads into the
 * same attributes, which print the same text (save -> load -> save).
 */
static void test_policy_save_round_trip(void)
{
	static const char text[] =
		"mode enforce\n"
		"gate vfio-pci pci-stub uio_pci_generic *-vfio-pci\n"
		"default allow require acs-isolated,translated,viable-group\n"
		"rule 10 allow vendor 0x1af4 device 0x1041 require acs-isolated,translated label \"virtio-net for guests\"\n"
		"rule 20 deny class 0x0c0300/0xffff00\n"
		"rule 30 allow subvendor 0x8086 subdevice 0x0001 class 0x010802 addr 0000:01:00.0 slot 7 serial 0x0011223344556677 driver vfio-pci require no-ats label \"a \\\"quoted\\\" \\\\ label\"\n"
		"rule 4294967295 deny\n";
	struct policy_doc doc, back = {};
	struct policy_rule_msg msg;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192], err[256];
	uint16_t bad = 0;
	unsigned int i;

	CHECK_INT(policy_parse("t.conf", text, strlen(text), &doc, err,
			       sizeof(err)), 0);
	CHECK_INT(doc.nr_rules, 4);
	back = doc;
	back.rules = calloc(doc.nr_rules, sizeof(*back.rules));
	CHECK(back.rules != NULL);
	if (!back.rules)
		return;
	for (i = 0; i < doc.nr_rules; i++) {
		/* One rule-get dump message per rule. */
		nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
		mnl_attr_put_u32(nlh, PTHRU_A_POLICY_GENERATION, 9);
		policy_rule_put(nlh, PTHRU_A_POLICY_RULE, &doc.rules[i]);
		CHECK_INT(policy_rule_msg_parse(nlh, &msg, &bad), 0);
		CHECK(msg.has_generation && msg.generation == 9);
		CHECK(msg.has_rule);
		back.rules[i] = msg.rule;
	}
	CHECK(policy_doc_equal(&doc, &back));
	CHECK_INT(policy_format(capture_open(&c), &back), 0);
	CHECK_STR(capture_close(&c), text);
	free(c.text);
	free(back.rules);
	policy_doc_free(&doc);

	/* A reply without a rule (an empty dump's last word) is not a rule. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_RULE_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_POLICY_GENERATION, 9);
	CHECK_INT(policy_rule_msg_parse(nlh, &msg, &bad), 0);
	CHECK(!msg.has_rule);
}

static void put_decision(struct nlmsghdr *nlh, const char *addr,
			 uint8_t verdict, bool by_default, uint32_t rule_id,
			 const char *label, uint32_t unmet)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PTHRU_A_POLICY_DECISION);

	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_ADDR, addr);
	mnl_attr_put_strz(nlh, PTHRU_A_DECISION_DRIVER, "vfio-pci");
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_VERDICT, verdict);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_BY_DEFAULT, by_default);
	if (rule_id)
		mnl_attr_put_u32(nlh, PTHRU_A_DECISION_RULE_ID, rule_id);
	if (label)
		mnl_attr_put_strz(nlh, PTHRU_A_DECISION_RULE_LABEL, label);
	mnl_attr_put_u32(nlh, PTHRU_A_DECISION_UNMET, unmet);
	mnl_attr_nest_end(nlh, nest);
}

static void test_policy_test_output(void)
{
	struct policy_decision_list list = {};
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad = 0;

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_TEST);
	put_decision(nlh, "0000:00:03.0", PTHRU_ACTION_ALLOW, false, 10,
		     "virtio \"net\"", 0);
	put_decision(nlh, "0000:00:1f.0", PTHRU_ACTION_DENY, true, 0, NULL, 0);
	put_decision(nlh, "0000:04:00.0", PTHRU_ACTION_DENY, false, 30, "", REQ_AT);
	CHECK_INT(policy_decisions_parse(nlh, &list, &bad), 0);
	CHECK_INT(list.n, 3);

	CHECK_INT(policy_test_print(capture_open(&c), "vfio-pci", &list, false), 0);
	CHECK_STR(capture_close(&c),
		  "source: module\n"
		  "ADDRESS       VERDICT  DECIDED-BY                UNMET\n"
		  "0000:00:03.0  allow    rule 10 \"virtio \\\"net\\\"\"  -\n"
		  "0000:00:1f.0  deny     default                   -\n"
		  "0000:04:00.0  deny     rule 30                   acs-isolated,translated\n");
	free(c.text);
	CHECK_INT(policy_test_print(capture_open(&c), "vfio-pci", &list, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"module\",\"driver\":\"vfio-pci\",\"decisions\":[\n"
		  "{\"addr\":\"0000:00:03.0\",\"driver\":\"vfio-pci\",\"verdict\":\"allow\",\"by_default\":false,\"rule_id\":10,\"rule_label\":\"virtio \\\"net\\\"\",\"unmet\":[],\"established\":true,\"undetermined\":[]},\n"
		  "{\"addr\":\"0000:00:1f.0\",\"driver\":\"vfio-pci\",\"verdict\":\"deny\",\"by_default\":true,\"rule_id\":null,\"rule_label\":null,\"unmet\":[],\"established\":true,\"undetermined\":[]},\n"
		  "{\"addr\":\"0000:04:00.0\",\"driver\":\"vfio-pci\",\"verdict\":\"deny\",\"by_default\":false,\"rule_id\":30,\"rule_label\":\"\",\"unmet\":[\"acs-isolated\",\"translated\"],\"established\":true,\"undetermined\":[]}\n"
		  "]}\n");
	unit_json_doc("policy-test", c.text);
	free(c.text);

	/* A second reply message adds to the list. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_TEST);
	put_decision(nlh, "0000:05:00.0", PTHRU_ACTION_ALLOW, true, 0, NULL, 0);
	CHECK_INT(policy_decisions_parse(nlh, &list, &bad), 0);
	CHECK_INT(list.n, 4);
	CHECK_STR(list.items[3].addr, "0000:05:00.0");
	policy_decision_list_free(&list);
	CHECK_INT(list.n, 0);

	/* No function at all: the header, an empty array. */
	CHECK_INT(policy_test_print(capture_open(&c), "pci-stub", &list, false), 0);
	CHECK_STR(capture_close(&c),
		  "source: module\nADDRESS  VERDICT  DECIDED-BY  UNMET\n");
	free(c.text);
	CHECK_INT(policy_test_print(capture_open(&c), "pci-stub", &list, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"source\":\"module\",\"driver\":\"pci-stub\",\"decisions\":[\n]}\n");
	unit_json_doc("policy-test", c.text);
	free(c.text);

	/* A decision that is not a nest is malformed. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_POLICY_TEST);
	mnl_attr_put_u8(nlh, PTHRU_A_POLICY_DECISION, 1);
	CHECK_INT(policy_decisions_parse(nlh, &list, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_POLICY_DECISION);
	policy_decision_list_free(&list);
}

static void test_policy_texts(void)
{
	struct policy_rule r;
	char buf[POLICY_MATCH_STRLEN];

	full_rule(&r);
	CHECK_STR(policy_match_text(&r, buf, sizeof(buf)),
		  "vendor 0x1af4 device 0x1041 subvendor 0x8086 subdevice 0x0001 class 0x020000/0xff0000 addr 0000:01:00.0 slot slot-7 serial 0x0011223344556677 driver vfio-pci");
	r.class_mask = 0xffffff;
	r.fields = POLICY_F_CLASS | POLICY_F_DRIVER;
	CHECK_STR(policy_match_text(&r, buf, sizeof(buf)),
		  "class 0x020000 driver vfio-pci");
	r.fields = 0;
	CHECK_STR(policy_match_text(&r, buf, sizeof(buf)), "any");
	CHECK_STR(policy_reqs_text(0, buf, sizeof(buf)), "-");
	CHECK_STR(policy_reqs_text(0x7f, buf, sizeof(buf)),
		  "acs-isolated,translated,strict-invalidation,no-ats,isolated-msi,no-direct-regions,viable-group");
	CHECK_STR(policy_reqs_text(0x80000008, buf, sizeof(buf)), "no-ats,unknown");
	CHECK_STR(policy_mode_text(PTHRU_POLICY_MODE_OFF), "off");
	CHECK_STR(policy_mode_text(3), "unknown");
	CHECK_STR(policy_action_name(PTHRU_ACTION_ALLOW), "allow");
	CHECK_STR(policy_action_name(2), "unknown");
	CHECK_STR(policy_outcome_name(PTHRU_OUTCOME_UNEVALUATED), "unevaluated");
	CHECK_STR(policy_outcome_name(4), "unknown");

	CHECK(policy_driver_is_passthrough("vfio-pci"));
	CHECK(policy_driver_is_passthrough("pci-stub"));
	CHECK(policy_driver_is_passthrough("uio_pci_generic"));
	CHECK(policy_driver_is_passthrough("mlx5-vfio-pci"));
	CHECK(!policy_driver_is_passthrough("-vfio-pci"));
	CHECK(!policy_driver_is_passthrough("virtio-pci"));
	CHECK(!policy_driver_is_passthrough("vfio-pci2"));
	CHECK(!policy_driver_is_passthrough(""));
}

static void test_policy_mode_parse(void)
{
	uint8_t mode = 9;

	CHECK_INT(policy_mode_parse("enforce", &mode), 0);
	CHECK_INT(mode, PTHRU_POLICY_MODE_ENFORCE);
	CHECK_INT(policy_mode_parse("off", &mode), 0);
	CHECK_INT(mode, PTHRU_POLICY_MODE_OFF);
	CHECK_INT(policy_mode_parse("Audit", &mode), -EINVAL);
	CHECK_INT(policy_mode_parse("", &mode), -EINVAL);
	CHECK_INT(mode, PTHRU_POLICY_MODE_OFF);
}

static void test_policy_generate(void)
{
	static const struct policy_gen_entry entries[] = {
		{ "0000:01:00.0", 0x1af4, 0x1041, "vfio-pci", 0x7f },
		/* Translated but not isolated: left out. */
		{ "0000:04:00.0", 0x1234, 0x11e8, "vfio-pci",
		  0x7f & ~PTHRU_REQUIREMENT_ACS_ISOLATED },
		{ "0000:05:00.0", 0x8086, 0x10ca, "pci-stub",
		  REQ_AT | PTHRU_REQUIREMENT_NO_ATS },
		/* Neither. */
		{ "0000:06:00.0", 0x10de, 0x1db4, "uio_pci_generic",
		  PTHRU_REQUIREMENT_NO_ATS },
	};
	static const char body[] =
		"mode audit\n"
		"default deny\n"
		"rule 10 allow vendor 0x1af4 device 0x1041 addr 0000:01:00.0 driver vfio-pci require acs-isolated,translated,strict-invalidation,no-ats,isolated-msi,no-direct-regions,viable-group label \"generated: 1af4:1041 at 0000:01:00.0\"\n"
		"rule 20 allow vendor 0x8086 device 0x10ca addr 0000:05:00.0 driver pci-stub require acs-isolated,translated,no-ats label \"generated: 8086:10ca at 0000:05:00.0\"\n";
	static const char head[] =
		"# generated by pthructl policy generate on host1\n"
		"# Allows each function bound now to a passthrough driver that is\n"
		"# acs-isolated and translated, with every requirement it meets now;\n"
		"# denies every other gated bind. Mode audit only reports the binds\n"
		"# enforce would deny: review them (pthructl monitor), then change it\n"
		"# to \"mode enforce\".\n";
	struct policy_doc doc, again;
	struct capture c;
	char err[256], *text;

	CHECK_INT(policy_generate_doc(entries, ARRAY_SIZE(entries), &doc), 0);
	CHECK_INT(doc.nr_rules, 2);
	CHECK_INT(policy_doc_check(&doc, err, sizeof(err)), 0);
	CHECK_INT(policy_generate_print(capture_open(&c), "host1", entries,
					ARRAY_SIZE(entries), &doc), 0);
	text = (char *)capture_close(&c);
	CHECK(!strncmp(text, head, strlen(head)));
	CHECK_STR(text + strlen(head),
		  "# left out: 0000:04:00.0 1234:11e8 vfio-pci, not acs-isolated\n"
		  "# left out: 0000:06:00.0 10de:1db4 uio_pci_generic, not acs-isolated,translated\n"
		  "mode audit\n"
		  "default deny\n"
		  "rule 10 allow vendor 0x1af4 device 0x1041 addr 0000:01:00.0 driver vfio-pci require acs-isolated,translated,strict-invalidation,no-ats,isolated-msi,no-direct-regions,viable-group label \"generated: 1af4:1041 at 0000:01:00.0\"\n"
		  "rule 20 allow vendor 0x8086 device 0x10ca addr 0000:05:00.0 driver pci-stub require acs-isolated,translated,no-ats label \"generated: 8086:10ca at 0000:05:00.0\"\n");
	/* What generate prints loads, comments and all, as the same policy. */
	CHECK_INT(policy_parse("gen.conf", text, strlen(text), &again, err,
			       sizeof(err)), 0);
	CHECK(policy_doc_equal(&doc, &again));
	free(text);
	policy_doc_free(&again);
	CHECK_INT(policy_format(capture_open(&c), &doc), 0);
	CHECK_STR(capture_close(&c), body);
	free(c.text);
	policy_doc_free(&doc);

	/* Nothing bound to a passthrough driver: deny everything, in audit. */
	CHECK_INT(policy_generate_doc(entries, 0, &doc), 0);
	CHECK_INT(policy_generate_print(capture_open(&c), "host1", entries, 0,
					&doc), 0);
	text = (char *)capture_close(&c);
	CHECK_STR(text + strlen(head),
		  "# No function is bound to a passthrough driver now.\n"
		  "mode audit\n"
		  "default deny\n");
	free(text);
	policy_doc_free(&doc);
}

/* Run pthructl with @args (NULL-terminated); stdin from @in if set. */
static int run_tool(const char *in, char **out, char **err, ...)
{
	char *argv[8] = { (char *)unit_pthructl };
	FILE *fo = tmpfile(), *fe = tmpfile();
	FILE *files[2] = { fo, fe };
	char **texts[2] = { out, err };
	int i = 1, wstatus, fd;
	size_t len;
	va_list ap;
	pid_t pid;

	va_start(ap, err);
	while (i < 7 && (argv[i] = va_arg(ap, char *)))
		i++;
	va_end(ap);
	argv[i] = NULL;
	if (!fo || !fe) {
		perror("tmpfile");
		exit(1);
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fd = in ? open(in, O_RDONLY) : open("/dev/null", O_RDONLY);
		dup2(fd, 0);
		dup2(fileno(fo), 1);
		dup2(fileno(fe), 2);
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &wstatus, 0);
	for (i = 0; i < 2; i++) {
		len = ftell(files[i]);
		rewind(files[i]);
		*texts[i] = calloc(1, len + 1);
		if (!*texts[i] || fread(*texts[i], 1, len, files[i]) != len) {
			perror("run_tool");
			exit(1);
		}
		fclose(files[i]);
	}
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

#define CHECK_RUN(status, want_out, want_err, in, ...)			\
	do {								\
		char *o, *e;						\
									\
		CHECK_INT(run_tool(in, &o, &e, __VA_ARGS__, NULL), status); \
		CHECK_STR(o, want_out);					\
		CHECK_STR(e, want_err);					\
		free(o);						\
		free(e);						\
	} while (0)

/*
 * Errors found before the kernel is asked, so they hold with or without
 * the module: parse errors in compiler style (no "pthructl:" prefix),
 * unreadable files, bad arguments.  Nothing on stdout, exit 2.
 */
static void test_policy_cli(void)
{
	static const char bad[] =
		"mode enforce\n"
		"\n"
		"rule 10 allow vendor 0x1af4 require acs\n";
	char path[] = "/tmp/pthructl-test-policy-XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(write(fd, bad, strlen(bad)), (int)strlen(bad));
	close(fd);

	{
		char want[128];

		snprintf(want, sizeof(want),
			 "%s:3:37: unknown requirement \"acs\"\n", path);
		CHECK_RUN(2, "", want, NULL, "policy", "load", path);
		CHECK_RUN(2, "", want, NULL, "policy", "test", path);
		CHECK_RUN(2, "", want, NULL, "policy", "test", path,
			  "01:00.0", "--driver", "pci-stub");
	}
	CHECK_RUN(2, "", "<stdin>:3:37: unknown requirement \"acs\"\n", path,
		  "policy", "load", "-");
	CHECK_RUN(2, "", "pthructl: cannot read /: Is a directory\n", NULL,
		  "policy", "load", "/");
	CHECK_RUN(2, "",
		  "pthructl: cannot read /nonexistent/p.conf: No such file or directory\n",
		  NULL, "policy", "load", "/nonexistent/p.conf");
	CHECK_RUN(2, "", "pthructl: missing policy file (see pthructl help policy)\n",
		  NULL, "policy", "load");
	CHECK_RUN(2, "", "pthructl: unexpected argument 'x' (see pthructl help policy)\n",
		  NULL, "policy", "load", path, "x");
	CHECK_RUN(2, "",
		  "pthructl: invalid PCI address 'zz' (expected DDDD:BB:DD.F or BB:DD.F)\n",
		  NULL, "policy", "test", path, "zz");
	CHECK_RUN(2, "",
		  "pthructl: invalid driver name 'a-driver-name-of-thirty-two-char' (1 to 31 characters)\n",
		  NULL, "policy", "test", path, "--driver",
		  "a-driver-name-of-thirty-two-char");
	CHECK_RUN(2, "", "pthructl: option '--driver' is only for policy test\n",
		  NULL, "policy", "show", "--driver", "vfio-pci");
	CHECK_RUN(2, "",
		  "pthructl: invalid mode 'strict' (expected off, audit or enforce)\n",
		  NULL, "policy", "mode", "strict");
	CHECK_RUN(2, "",
		  "pthructl: missing mode: off, audit or enforce (see pthructl help policy)\n",
		  NULL, "policy", "mode");
	CHECK_RUN(2, "", "pthructl: unexpected argument 'now' (see pthructl help policy)\n",
		  NULL, "policy", "lock", "now");
	CHECK_RUN(2, "", "pthructl: policy save prints the policy language, not JSON\n",
		  NULL, "-j", "policy", "save");
	CHECK_RUN(2, "",
		  "pthructl: unknown policy command 'list' (see pthructl help policy)\n",
		  NULL, "policy", "list");
	unlink(path);
}

void test_policy(void)
{
	test_policy_rule_nests();
	test_policy_requests();
	test_policy_big_request();
	test_policy_extack();
	test_policy_show();
	test_policy_save_round_trip();
	test_policy_test_output();
	test_policy_texts();
	test_policy_mode_parse();
	test_policy_generate();
	test_policy_cli();
}
