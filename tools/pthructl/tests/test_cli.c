// SPDX-License-Identifier: GPL-2.0
/*
 * The command line contract, checked on the real binary: help and
 * version, and for every error exactly one "pthructl: " line on stderr,
 * nothing on stdout and exit status 2.
 */
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "unit.h"

#define NOT_LOADED_LINE	"pthructl: the pthru module is not loaded (modprobe pthru)"

/* An error: status 2, empty stdout, exactly @msg plus newline on stderr. */
#define CHECK_ERROR(msg, ...)						\
	do {								\
		struct unit_run mr;					\
									\
		unit_run(&mr, NULL, __VA_ARGS__, NULL);			\
		CHECK_INT(mr.status, 2);					\
		CHECK_STR(mr.out, "");					\
		CHECK_STR(mr.err, msg "\n");				\
		unit_run_free(&mr);					\
	} while (0)

/* Success with stdout containing @needle and nothing on stderr. */
#define CHECK_OUTPUT(needle, ...)					\
	do {								\
		struct unit_run mr;					\
									\
		unit_run(&mr, NULL, __VA_ARGS__, NULL);			\
		CHECK_INT(mr.status, 0);					\
		CHECK(strstr(mr.out, needle) != NULL);			\
		CHECK_STR(mr.err, "");					\
		unit_run_free(&mr);					\
	} while (0)

static void test_help(void)
{
	static const char *const commands[] = {
		"status", "dev [show [ADDR]]", "group [show [ID]]", "monitor",
		"audit [--fail-on SEVERITY] [--no-refresh] [-p|--format FORMAT]",
		"hazard [list] [--severity SEVERITY] [--dev ADDR]",
		"check ADDR", "help [COMMAND]",
	};
	struct unit_run r;
	size_t i;

	unit_run(&r, NULL, "--version", NULL);
	CHECK_INT(r.status, 0);
	CHECK_STR(r.out, "pthructl 0.1.0\n");
	CHECK_STR(r.err, "");
	unit_run_free(&r);

	unit_run(&r, NULL, "--help", NULL);
	CHECK_INT(r.status, 0);
	CHECK(strstr(r.out, "Usage: pthructl [-j|--json] COMMAND [ARGS]\n") ==
	      r.out);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		CHECK(strstr(r.out, commands[i]) != NULL);
	CHECK(strstr(r.out, "--version") != NULL);
	CHECK(strstr(r.out, "--json") != NULL);
	CHECK_STR(r.err, "");
	unit_run_free(&r);

	CHECK_OUTPUT("Usage: pthructl [-j|--json] COMMAND", "-h");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] COMMAND", "help");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] COMMAND", "-j", "--help");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] dev [show [ADDR]]",
		     "help", "dev");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] dev [show [ADDR]]",
		     "dev", "--help");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] dev [show [ADDR]]",
		     "--help", "dev");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] group [show [ID]]",
		     "group", "show", "-h");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] monitor", "help", "monitor");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] status", "status", "--help");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] audit [--fail-on SEVERITY] [--no-refresh] [-p|--format FORMAT] [--no-module|--snapshot FILE]\n",
		     "help", "audit");
	CHECK_OUTPUT("  --fail-on SEVERITY", "audit", "--help");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] audit", "audit",
		     "--fail-on", "bogus", "--help");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] hazard [list] [--severity SEVERITY] [--dev ADDR]\n",
		     "hazard", "-h");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] check ADDR [--no-module|--snapshot FILE]\n",
		     "check", "--help");
	CHECK_OUTPUT("Exit status: 0 assignable, 1 not assignable or not established,\n2 error.",
		     "help", "check");
	CHECK_OUTPUT("  --snapshot FILE     evaluate the facts saved in FILE\n",
		     "help", "dev");
	CHECK_OUTPUT("Usage: pthructl [-j|--json] snapshot save FILE [--no-module] | diff A B\n",
		     "help", "snapshot");
}

static void test_usage_errors(void)
{
	CHECK_ERROR("pthructl: no command given (see pthructl --help)", "-j");
	CHECK_ERROR("pthructl: unknown command 'foo' (see pthructl --help)",
		    "foo");
	CHECK_ERROR("pthructl: unknown command 'foo' (see pthructl --help)",
		    "-j", "foo", "bar");
	CHECK_ERROR("pthructl: unknown command 'foo' (see pthructl --help)",
		    "help", "foo");
	CHECK_ERROR("pthructl: unknown option '--bogus' (see pthructl --help)",
		    "--bogus", "status");
	CHECK_ERROR("pthructl: unknown option '-x' (see pthructl help status)",
		    "status", "-x");
	CHECK_ERROR("pthructl: unknown option '-1' (see pthructl help group)",
		    "group", "show", "-1");
	CHECK_ERROR("pthructl: unexpected argument 'now' (see pthructl help status)",
		    "status", "now");
	CHECK_ERROR("pthructl: unexpected argument 'x' (see pthructl help monitor)",
		    "-j", "monitor", "x");
	CHECK_ERROR("pthructl: unexpected argument 'x' (see pthructl help dev)",
		    "dev", "show", "00:02.0", "x");
	CHECK_ERROR("pthructl: unexpected argument '7' (see pthructl help group)",
		    "group", "show", "3", "7");
	CHECK_ERROR("pthructl: unexpected argument 'status' (see pthructl help help)",
		    "help", "dev", "status");
	CHECK_ERROR("pthructl: unknown dev command 'list' (see pthructl help dev)",
		    "dev", "list");
	CHECK_ERROR("pthructl: unknown group command '3' (see pthructl help group)",
		    "group", "3");
	CHECK_ERROR("pthructl: invalid PCI address 'xyz' (expected DDDD:BB:DD.F or BB:DD.F)",
		    "dev", "show", "xyz");
	CHECK_ERROR("pthructl: invalid PCI address '0000:00:20.0' (expected DDDD:BB:DD.F or BB:DD.F)",
		    "-j", "dev", "show", "0000:00:20.0");
	CHECK_ERROR("pthructl: invalid IOMMU group id 'abc' (expected a decimal number)",
		    "group", "show", "abc");
	CHECK_ERROR("pthructl: invalid IOMMU group id '4294967296' (expected a decimal number)",
		    "group", "show", "4294967296");
}

#define SEVERITIES	"info, low, medium, high or critical"
#define FAIL_ON_WORDS	"info, low, medium, high, critical or none"

/* audit, hazard and check refuse bad words before asking the module. */
static void test_finding_usage_errors(void)
{
	CHECK_ERROR("pthructl: invalid severity 'x' (expected " FAIL_ON_WORDS ")",
		    "audit", "--fail-on", "x");
	CHECK_ERROR("pthructl: invalid severity '' (expected " FAIL_ON_WORDS ")",
		    "audit", "--fail-on=");
	CHECK_ERROR("pthructl: invalid severity 'highest' (expected " FAIL_ON_WORDS ")",
		    "-j", "audit", "--fail-on=highest");
	CHECK_ERROR("pthructl: option '--fail-on' needs a value (see pthructl help audit)",
		    "audit", "--fail-on");
	CHECK_ERROR("pthructl: option '--no-refresh' takes no value (see pthructl help audit)",
		    "audit", "--no-refresh=yes");
	CHECK_ERROR("pthructl: unknown option '--fail' (see pthructl help audit)",
		    "audit", "--fail", "high");
	CHECK_ERROR("pthructl: unknown option '--fail-on' (see pthructl --help)",
		    "--fail-on", "high", "audit");
	CHECK_ERROR("pthructl: unexpected argument 'now' (see pthructl help audit)",
		    "audit", "now");
	CHECK_ERROR("pthructl: invalid format 'xml' (expected text, json or prometheus)",
		    "audit", "--format", "xml");
	CHECK_ERROR("pthructl: conflicting output formats: choose one of -j, -p and --format",
		    "audit", "-j", "-p");
	CHECK_ERROR("pthructl: conflicting output formats: choose one of -j, -p and --format",
		    "audit", "--format=text", "--prometheus");
	CHECK_ERROR("pthructl: conflicting output formats: choose one of -j, -p and --format",
		    "-j", "audit", "--format", "prometheus");
	/* Options of one command are not another's. */
	CHECK_ERROR("pthructl: unknown option '--severity' (see pthructl help audit)",
		    "audit", "--severity", "high");
	CHECK_ERROR("pthructl: unknown option '-p' (see pthructl help hazard)",
		    "hazard", "-p");

	CHECK_ERROR("pthructl: invalid severity 'none' (expected " SEVERITIES ")",
		    "hazard", "--severity", "none");
	CHECK_ERROR("pthructl: invalid severity '-j' (expected " SEVERITIES ")",
		    "hazard", "list", "--severity", "-j");
	CHECK_ERROR("pthructl: option '--dev' needs a value (see pthructl help hazard)",
		    "hazard", "--dev");
	CHECK_ERROR("pthructl: invalid PCI address '04:00' (expected DDDD:BB:DD.F or BB:DD.F)",
		    "hazard", "--dev", "04:00");
	CHECK_ERROR("pthructl: invalid PCI address '0000:04:00.8' (expected DDDD:BB:DD.F or BB:DD.F)",
		    "hazard", "--dev=0000:04:00.8");
	CHECK_ERROR("pthructl: unknown hazard command 'show' (see pthructl help hazard)",
		    "hazard", "show");
	CHECK_ERROR("pthructl: unexpected argument 'x' (see pthructl help hazard)",
		    "hazard", "list", "x");

	CHECK_ERROR("pthructl: missing PCI address (see pthructl help check)",
		    "check");
	CHECK_ERROR("pthructl: invalid PCI address 'eth0' (expected DDDD:BB:DD.F or BB:DD.F)",
		    "check", "eth0");
	CHECK_ERROR("pthructl: unexpected argument '05:00.0' (see pthructl help check)",
		    "check", "04:00.0", "05:00.0");
	CHECK_ERROR("pthructl: unknown option '--dev' (see pthructl help check)",
		    "check", "--dev", "04:00.0");
}

/* The command line is read before the module is asked anything. */
static void test_cmdline_env(void)
{
	setenv("PTHRU_CMDLINE", "/nonexistent/cmdline", 1);
	CHECK_ERROR("pthructl: cannot read the kernel command line from /nonexistent/cmdline: No such file or directory",
		    "audit");
	setenv("PTHRU_CMDLINE", "/", 1);
	CHECK_ERROR("pthructl: cannot read the kernel command line from /: Is a directory",
		    "-j", "audit", "--no-refresh");
	unsetenv("PTHRU_CMDLINE");
}

static void test_write_error(void)
{
	struct unit_run r;

	/* A full disk must not pass for success. */
	unit_run(&r, "/dev/full", "--version", NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.err, "pthructl: cannot write output: No space left on device\n");
	unit_run_free(&r);
}

static bool pthru_family_present(void)
{
	struct nl_family fam;
	struct nl nl;
	int err;

	if (nl_open(&nl))
		return false;
	err = nl_resolve_family(&nl, "pthru", &fam);
	nl_close(&nl);
	return err == 0;
}

static void test_module_state(void)
{
	struct unit_run r;

	if (pthru_family_present()) {
		/* A host with the module: the commands must work. */
		unit_run(&r, NULL, "-j", "status", NULL);
		CHECK_INT(r.status, 0);
		CHECK(strstr(r.out, "{\"schema\":2,\"version\":") == r.out);
		CHECK_STR(r.err, "");
		unit_run_free(&r);
		CHECK_OUTPUT("{\"schema\":2,\"source\":\"module\",\"devices\":[\n", "-j", "dev");
		CHECK_OUTPUT("{\"schema\":2,\"source\":\"module\",\"groups\":[\n", "group", "-j");
		CHECK_ERROR("pthructl: no PCI function 00ff:ff:1f.7",
			    "dev", "show", "00ff:ff:1f.7");
		CHECK_ERROR("pthructl: no PCI function 00ff:ff:1f.7",
			    "check", "00ff:ff:1f.7");
		CHECK_OUTPUT("{\"schema\":2,\"findings\":[\n", "-j", "hazard");
		return;
	}
	/* What needs the module says so. */
	CHECK_ERROR(NOT_LOADED_LINE, "status");
	CHECK_ERROR(NOT_LOADED_LINE, "-j", "status");
	CHECK_ERROR(NOT_LOADED_LINE, "monitor");
	CHECK_ERROR(NOT_LOADED_LINE, "monitor", "-j");
	CHECK_ERROR(NOT_LOADED_LINE, "hazard");
	CHECK_ERROR(NOT_LOADED_LINE, "hazard", "list", "--severity=low",
		    "--dev", "04:00.0");
	/* The audit and the inventory fall back on sysfs, and say so. */
	CHECK_OUTPUT("source: sysfs\nADDRESS ", "dev");
	CHECK_OUTPUT("{\"schema\":2,\"source\":\"sysfs\",\"devices\":[\n", "-j",
		     "dev");
	CHECK_OUTPUT("{\"schema\":2,\"source\":\"sysfs\",\"groups\":[\n",
		     "group", "--json");
	CHECK_OUTPUT("source: sysfs\npthru audit: kernel ", "audit",
		     "--fail-on", "none");
	CHECK_OUTPUT("{\"schema\":2,\"kind\":\"pthru-audit\",\"source\":\"sysfs\",",
		     "-j", "audit", "--fail-on", "none");
	CHECK_OUTPUT("\n# TYPE pthru_findings gauge\n", "audit", "--no-refresh",
		     "-p", "--fail-on", "none");
	CHECK_ERROR("pthructl: no PCI function 00ff:ff:1f.7 in the sysfs inventory",
		    "dev", "show", "00ff:ff:1f.7");
	CHECK_ERROR("pthructl: no IOMMU group 4000000 in the sysfs inventory",
		    "group", "show", "4000000");
	CHECK_ERROR("pthructl: no PCI function 00ff:ff:1f.7 in the sysfs inventory",
		    "check", "00ff:ff:1f.7");
}

void test_cli(void)
{
	test_help();
	test_usage_errors();
	test_finding_usage_errors();
	test_cmdline_env();
	test_write_error();
	test_module_state();
}
