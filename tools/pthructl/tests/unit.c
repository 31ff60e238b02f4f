// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every unit test of pthructl and prints "N passed, N failed".
 * Usage: unit PTHRUCTL_BINARY
 *        unit --prometheus audit|stats   (tests/prometheus.sh's samples)
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

void unit_put_finding(struct nlmsghdr *nlh, uint32_t id, uint32_t severity,
		      const char *addr, long long group, const char *message,
		      const char *remediation)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PTHRU_A_HAZARD_FINDING);

	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_ID, id);
	mnl_attr_put_u32(nlh, PTHRU_A_FINDING_SEVERITY, severity);
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

static char *slurp(FILE *f)
{
	size_t len = 0, cap = 4096, n;
	char *text = malloc(cap);

	rewind(f);
	while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			text = realloc(text, cap);
		}
	}
	if (!text) {
		perror("slurp");
		exit(1);
	}
	text[len] = '\0';
	fclose(f);
	return text;
}

static const char *json_dir;

void unit_json_doc(const char *kind, const char *text)
{
	static unsigned int n;
	char path[4096];
	FILE *f;

	if (!json_dir)
		return;
	snprintf(path, sizeof(path), "%s/%03u.%s.json", json_dir, ++n, kind);
	f = fopen(path, "w");
	/* A document not written would pass the schema check unseen. */
	if (!f || fputs(text, f) == EOF || fclose(f)) {
		perror(path);
		exit(1);
	}
}

void unit_run(struct unit_run *r, const char *out_path, ...)
{
	char *argv[UNIT_RUN_MAX_ARGS + 2] = { (char *)unit_pthructl };
	FILE *out = tmpfile(), *err = tmpfile();
	int i = 1, wstatus, fd;
	va_list ap;
	pid_t pid;

	va_start(ap, out_path);
	while (i <= UNIT_RUN_MAX_ARGS && (argv[i] = va_arg(ap, char *)))
		i++;
	va_end(ap);
	if (!out || !err) {
		perror("tmpfile");
		exit(1);
	}

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fd = out_path ? open(out_path, O_WRONLY) : fileno(out);
		dup2(fd, 1);
		dup2(fileno(err), 2);
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &wstatus, 0);
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	r->out = slurp(out);
	r->err = slurp(err);
}

void unit_run_free(struct unit_run *r)
{
	free(r->out);
	free(r->err);
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
		{ "policy_local", test_policy_local },
		{ "map", test_map },
		{ "verify", test_verify },
		{ "schema", test_schema },
		{ "prom", test_prom },
		{ "evaluate", test_evaluate },
		{ "sysfs_source", test_sysfs_source },
		{ "jsonread", test_jsonread },
		{ "snapfile", test_snapfile },
		{ "cli", test_cli },
	};
	size_t i;

	if (argc == 3 && !strcmp(argv[1], "--prometheus"))
		return unit_prometheus_sample(argv[2]) ? 1 : 0;
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s PTHRUCTL_BINARY [JSON_DIR]\n",
			argv[0]);
		return 2;
	}
	unit_pthructl = argv[1];
	json_dir = argc == 3 ? argv[2] : NULL;
	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		unsigned int before = failed;

		suites[i].run();
		printf("%s %s\n", failed == before ? "ok  " : "FAIL",
		       suites[i].name);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
