/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test harness: CHECK macros that count and report, and
 * helpers to build netlink messages and capture output.
 */
#ifndef PTHRUCTL_UNIT_H
#define PTHRUCTL_UNIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

/* pthructl.h and the core's <linux/kernel.h> may have defined it already. */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

void unit_check(bool ok, const char *file, int line, const char *what);
void unit_check_str(const char *got, const char *want, const char *file,
		    int line, const char *what);
void unit_check_int(long long got, long long want, const char *file,
		    int line, const char *what);

#define CHECK(cond)	unit_check(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_STR(got, want)	\
	unit_check_str((got), (want), __FILE__, __LINE__, #got)
#define CHECK_INT(got, want)	\
	unit_check_int((got), (want), __FILE__, __LINE__, #got)

/* Start a generic netlink message of @family/@cmd in @buf (8 KiB). */
struct nlmsghdr *unit_genl_msg(void *buf, uint16_t family, uint8_t cmd);

/* Output captured in memory through a FILE. */
struct capture {
	char *text;
	size_t len;
	FILE *f;
};

FILE *capture_open(struct capture *c);
/* Close the stream; c->text then holds the output (free it). */
const char *capture_close(struct capture *c);

/* Path of the pthructl binary under test (the first argument). */
extern const char *unit_pthructl;

/* What a run of the pthructl under test gave. */
struct unit_run {
	int status;		/* exit status, or -1 if it did not exit */
	char *out;
	char *err;
};

#define UNIT_RUN_MAX_ARGS	8

/*
 * Run the pthructl under test with the NULL-terminated words (at most
 * UNIT_RUN_MAX_ARGS); its stdout goes to @out_path when set, else into
 * @r->out.  Free with unit_run_free().
 */
void unit_run(struct unit_run *r, const char *out_path, ...);
void unit_run_free(struct unit_run *r);

/*
 * Keep @text, one -j document of KIND (pthru-KIND.schema.json; for
 * "monitor" one event per line), as NNN.KIND.json in the directory named
 * by the unit binary's second argument, for tests/schema-check.py.
 * Without that argument it does nothing.
 */
void unit_json_doc(const char *kind, const char *text);

void test_pciaddr(void);
void test_json(void);
void test_names(void);
void test_table(void);
void test_nl(void);
void test_dev(void);
void test_group(void);
void test_status(void);
void test_monitor(void);
void test_cli(void);
void test_evaluate(void);
void test_finding(void);
void test_cmdline(void);
void test_audit(void);
void test_check(void);
void test_hazard(void);
void test_policy_lang(void);
void test_policy(void);
void test_map(void);
void test_verify(void);
void test_schema(void);
void test_prom(void);
void test_sysfs_source(void);
void test_policy_local(void);
void test_jsonread(void);
void test_snapfile(void);

/*
 * A snapshot document of the sample facts test_snapfile.c builds, without
 * their first @skip functions (so that each kind of function can come
 * first, where schema-check.py mutates it); malloc'd.
 */
char *unit_snapshot_sample(unsigned int skip);

/*
 * Print what "pthructl audit -p --fail-on none" (@what "audit") or
 * "pthructl stats -p" ("stats") prints against a scripted fake kernel;
 * returns the command's exit status, -1 for an unknown @what.
 */
int unit_prometheus_sample(const char *what);

/*
 * Append a finding nest to @nlh as the module sends it; NULL strings and
 * a negative @group are left out.
 */
void unit_put_finding(struct nlmsghdr *nlh, uint32_t id, uint32_t severity,
		      const char *addr, long long group, const char *message,
		      const char *remediation);

/* The typed facts of a finding's JSON object when it has none of them. */
#define UNIT_NO_FACTS							\
	",\"hop\":null,\"hop_kind\":null,\"acs_pos\":null,"			\
	"\"acs_ctrl\":null,\"acs_ctrl_baseline\":null,\"acs_needed\":null,"	\
	"\"reach_count\":null,\"peer\":null,\"peer_group_id\":null,"		\
	"\"isolation_group\":null,\"driver\":null,\"peer_driver\":null,"	\
	"\"region_type\":null,\"region_start\":null,\"region_end\":null,"	\
	"\"domain_id\":null,\"iova\":null,\"count\":null,\"domains\":null,"	\
	"\"memory_kind\":null,\"phys\":null,\"phys_expected\":null"

#endif /* PTHRUCTL_UNIT_H */
