// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every unit test of pthructl and prints "N passed, N failed".
 * Usage: unit PTHRUCTL_BINARY
 */
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/pthru.h>

#include "unit.h"

static unsigned int passed, failed;
const char *unit_pthructl;

void unit_check(bool ok, const char *file, int line, const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s:%d: %s\n", file, line, what);
}

void unit_check_str(const char *got, const char *want, const char *file,
		    int line, const char *what)
{
	if (got && want && !strcmp(got, want)) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s:%d: %s\n  got:  %s\n  want: %s\n", file, line, what,
	       got ? got : "(null)", want ? want : "(null)");
}

void unit_check_int(long long got, long long want, const char *file,
		    int line, const char *what)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s:%d: %s is %lld, want %lld\n", file, line, what, got,
	       want);
}

struct nlmsghdr *unit_genl_msg(void *buf, uint16_t family, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, 8192);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = 1;
	return nlh;
}

void unit_put_finding(struct nlmsghdr *nlh, uint16_t id, uint8_t severity,
		      const char *addr, long long group, const char *message,
		      const char *remediation)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);

	mnl_attr_put_u16(nlh, PTHRU_A_FINDING_ID, id);
	mnl_attr_put_u8(nlh, PTHRU_A_FINDING_SEVERITY, severity);
	if (addr)
		mnl_attr_put_strz(nlh, PTHRU_A_FINDING_ADDR, addr);
	if (group >= 0)
		mnl_attr_put_u32(nlh, PTHRU_A_FINDING_GROUP_ID, group);
	if (message)
		mnl_attr_put_strz(nlh, PTHRU_A_FINDING_MESSAGE, message);
	if (remediation)
		mnl_attr_put_strz(nlh, PTHRU_A_FINDING_REMEDIATION,
				  remediation);
	mnl_attr_nest_end(nlh, nest);
}

FILE *capture_open(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->f = open_memstream(&c->text, &c->len);
	if (!c->f) {
		perror("open_memstream");
		exit(1);
	}
	return c->f;
}

const char *capture_close(struct capture *c)
{
	fclose(c->f);
	c->f = NULL;
	return c->text;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} suites[] = {
		{ "pciaddr", test_pciaddr },
		{ "json", test_json },
		{ "names", test_names },
		{ "table", test_table },
		{ "nl", test_nl },
		{ "dev", test_dev },
		{ "group", test_group },
		{ "status", test_status },
		{ "monitor", test_monitor },
		{ "finding", test_finding },
		{ "cmdline", test_cmdline },
		{ "hazard", test_hazard },
		{ "audit", test_audit },
		{ "check", test_check },
		{ "policy_lang", test_policy_lang },
		{ "policy", test_policy },
		{ "map", test_map },
		{ "cli", test_cli },
	};
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PTHRUCTL_BINARY\n", argv[0]);
		return 2;
	}
	unit_pthructl = argv[1];
	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		unsigned int before = failed;

		suites[i].run();
		printf("%s %s\n", failed == before ? "ok  " : "FAIL",
		       suites[i].name);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
