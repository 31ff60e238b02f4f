// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl: report and control pthru, the PCI passthrough isolation
 * auditor.  This file holds option parsing, the command table and help;
 * each command lives in a file of its own.
 */
#include <stdio.h>
#include <string.h>

#include "pthructl.h"

static int cmd_help(struct pthructl *ctl, int argc, char **argv);

static const struct pthructl_opt audit_opts[] = {
	{ "--fail-on", NULL, "SEVERITY" },
	{ "--no-refresh", NULL, NULL },
	{ "--format", NULL, "FORMAT" },
	{ "--prometheus", "-p", NULL },
	{ "--no-module", NULL, NULL },
	{ "--snapshot", NULL, "FILE" },
	{ NULL, NULL, NULL },
};

/* dev, group and check: where the facts come from. */
static const struct pthructl_opt source_opts[] = {
	{ "--no-module", NULL, NULL },
	{ "--snapshot", NULL, "FILE" },
	{ NULL, NULL, NULL },
};

static const struct pthructl_opt snapshot_opts[] = {
	{ "--no-module", NULL, NULL },
	{ NULL, NULL, NULL },
};

/* The sources' paragraph of the help of audit, check, dev and group. */
#define SOURCE_HELP							\
	"\n"								\
	"Without the pthru module (not loaded, or --no-module) the facts\n" \
	"come from sysfs and pthructl runs the module's rules itself; with\n" \
	"--snapshot FILE they come from a file \"pthructl snapshot save\"\n" \
	"wrote, on any machine, without root.  The first line of text, or\n" \
	"\"source\" in JSON, says which: module or sysfs.  What sysfs does\n" \
	"not show (the untrusted and external-facing flags, whether MSIs\n" \
	"are isolated, the domain of a group a passthrough driver owns, the\n" \
	"mappings) is unknown: \"-\" or null, and a rule that needs it is\n" \
	"listed as not established, never guessed.  Reading ACS, ATS and the\n" \
	"PCIe type from config space needs root.\n"			\
	"\n"								\
	"  --no-module         read sysfs even when the module is loaded\n" \
	"  --snapshot FILE     evaluate the facts saved in FILE\n"


static const struct pthructl_opt stats_opts[] = {
	{ "--format", NULL, "FORMAT" },
	{ "--prometheus", "-p", NULL },
	{ NULL, NULL, NULL },
};

static const struct pthructl_opt hazard_opts[] = {
	{ "--severity", NULL, "SEVERITY" },
	{ "--dev", NULL, "ADDR" },
	{ NULL, NULL, NULL },
};

/* All three are for policy test only (policy_cmd.c refuses them elsewhere). */
static const struct pthructl_opt policy_opts[] = {
	{ "--driver", NULL, "NAME" },
	{ "--no-module", NULL, NULL },
	{ "--snapshot", NULL, "FILE" },
	{ NULL, NULL, NULL },
};

static const struct pthructl_cmd commands[] = {
	{
		"status", "",
		"global IOMMU state and inventory counts",
		"Show the pthru module version, the kernel release, whether an\n"
		"IOMMU translates PCI functions and which driver does, the number\n"
		"of IOMMU units, whether the default domain is identity (iommu=pt),\n"
		"whether interrupts are remapped, and the device and group counts.\n",
		cmd_status, NULL,
	},
	{
		"dev", "[show [ADDR]] [--no-module|--snapshot FILE]",
		"all PCI functions, or one",
		"Without ADDR, list every PCI function: address, vendor:device,\n"
		"class, driver, IOMMU group, domain type, ATS (on, off, or - without\n"
		"the capability), ACS control register and upstream bridge.\n"
		"With ADDR, show every field of that function.  ADDR is\n"
		"DDDD:BB:DD.F or BB:DD.F (domain 0000), hexadecimal, any case.\n"
		SOURCE_HELP,
		cmd_dev, source_opts,
	},
	{
		"group", "[show [ID]] [--no-module|--snapshot FILE]",
		"all IOMMU groups, or one",
		"Without ID, list every IOMMU group: id, domain type, whether its\n"
		"MSIs are isolated (interrupt remapping) and its member functions.\n"
		"With ID (a decimal group number), show that group and one \"resv:\"\n"
		"line per reserved region.\n"
		SOURCE_HELP,
		cmd_group, source_opts,
	},
	{
		"monitor", "",
		"print events until interrupted",
		"Print one line per event as it happens, until SIGINT or SIGTERM,\n"
		"then exit 0: inventory events (dev-add, dev-del, dev-bind,\n"
		"dev-unbind), acs-change (an ACS control register differs from the\n"
		"value pthru first read), hazard-raise / hazard-clear (a finding\n"
		"appeared or went away), decision (a gated bind was evaluated:\n"
		"its outcome, what decided it, the unmet requirements and the\n"
		"process) and policy-change.  Exits 2 if the pthru module is\n"
		"unloaded meanwhile.\n"
		"\n"
		"The events come from two multicast groups: inventory (dev-*,\n"
		"acs-change), open to every user, and alerts (hazard-*, decision,\n"
		"policy-change), which needs CAP_NET_ADMIN to join.  Without it\n"
		"the monitor prints inventory events only, after one line on\n"
		"stderr saying that findings, bind decisions and policy changes\n"
		"are not received.\n",
		cmd_monitor, NULL,
	},
	{
		"audit", "[--fail-on SEVERITY] [--no-refresh] [-p|--format FORMAT] [--no-module|--snapshot FILE]",
		"re-evaluate every hazard rule and report the findings",
		"Ask the module to re-read the hardware (ACS registers included) and\n"
		"re-evaluate every rule, then report its findings together with the\n"
		"kernel command-line settings that weaken isolation (read from\n"
		"/proc/cmdline, or the file named by $PTHRU_CMDLINE), grouped by\n"
		"severity, worst first, each with its stable ID and a fix.\n"
		"\n"
		"Re-evaluating needs CAP_NET_ADMIN; without it, or with\n"
		"--no-refresh, the module's current findings are reported and a\n"
		"note on stderr says so.\n"
		"\n"
		"  --fail-on SEVERITY  exit 1 when a finding is at or above SEVERITY:\n"
		"                      info, low, medium, high (default), critical,\n"
		"                      or none to never exit 1\n"
		"  --no-refresh        do not re-evaluate; report the current findings\n"
		"  --format FORMAT     text (default), json (as -j) or prometheus\n"
		"  -p, --prometheus    the same as --format prometheus: lines for the\n"
		"                      node_exporter textfile collector\n"
		SOURCE_HELP
		"\n"
		"Without the module, --no-refresh changes nothing, and a \"not\n"
		"established\" section follows the findings.\n"
		"\n"
		"Exit status: 0 no finding at or above the --fail-on severity, 1 at\n"
		"least one, 2 error.\n",
		cmd_audit, audit_opts,
	},
	{
		"hazard", "[list] [--severity SEVERITY] [--dev ADDR]",
		"the module's current findings",
		"List the findings the module holds now, worst first, without\n"
		"re-evaluating: severity, stable ID, name, the function and IOMMU\n"
		"group each is about, and its message.\n"
		"\n"
		"  --severity SEVERITY  only findings at or above SEVERITY (info, low,\n"
		"                       medium, high, critical)\n"
		"  --dev ADDR           only the findings that bear on assigning the\n"
		"                       function ADDR: about it, about its IOMMU\n"
		"                       group, and the host-wide ones\n"
		"\n"
		"With -j, each finding also has its typed facts (the hop and ACS\n"
		"registers of acs-missing, the peer of group-narrower, the region\n"
		"of direct-region, the IOVA and counts of mapping findings, ...),\n"
		"null where the finding has none; phys and phys_expected only for\n"
		"callers with CAP_SYS_ADMIN.  The messages are for people.\n",
		cmd_hazard, hazard_opts,
	},
	{
		"check", "ADDR [--no-module|--snapshot FILE]",
		"can this PCI function be assigned to a guest now?",
		"Print a verdict line, \"ADDR: assignable\" or \"ADDR: NOT\n"
		"assignable\", then every reason: each finding at medium or above\n"
		"about the function, its IOMMU group or the host, with its fix.  A\n"
		"bridge is never assignable.  Findings below medium follow as notes.\n"
		SOURCE_HELP
		"\n"
		"Without the module the verdict can be \"ADDR: not established\":\n"
		"no reason is known, but a rule that bears on the function lacks a\n"
		"fact (listed under \"not established\").\n"
		"\n"
		"Exit status: 0 assignable, 1 not assignable or not established,\n"
		"2 error.\n",
		cmd_check, source_opts,
	},
	{
		"policy", "[show|mode MODE|lock|load FILE|save|test FILE [ADDR]|generate]",
		"the bind gate's policy: show, change, load, save, test",
		"The bind gate evaluates every bind of a gated driver (vfio-pci,\n"
		"pci-stub, uio_pci_generic, *-vfio-pci and *_vfio_pci unless\n"
		"changed) against the policy: its rules in order, the first that\n"
		"matches decides, else the default.  Documentation/policy.rst\n"
		"describes the language.\n"
		"\n"
		"  show            (or no subcommand) the mode, the lock, the default,\n"
		"                  the gated drivers, the counters, the generation,\n"
		"                  then the rules as a table\n"
		"  mode MODE       off (binds are not evaluated), audit (evaluated,\n"
		"                  announced, always allowed) or enforce (a denied\n"
		"                  bind fails with EPERM)\n"
		"  lock            lock the policy until reboot: no change of mode,\n"
		"                  rules, default or gated drivers, and no rmmod\n"
		"  load FILE       parse FILE (- for standard input) and install it\n"
		"                  whole; on a parse error print FILE:LINE:COL: reason\n"
		"                  and change nothing\n"
		"  save            print the active policy in the language; loading\n"
		"                  it gives the same policy and the same text\n"
		"  test FILE [ADDR] [--driver NAME] [--no-module|--snapshot SNAP]\n"
		"                  evaluate FILE's rules and default against the live\n"
		"                  host without installing them: the verdict, what\n"
		"                  decided it and the unmet requirements for binding\n"
		"                  each function but bridges and ports (or ADDR) to\n"
		"                  NAME (default vfio-pci).  Without the module (not\n"
		"                  loaded, or --no-module) pthructl decides with the\n"
		"                  module's rules itself over the facts sysfs shows;\n"
		"                  with --snapshot SNAP, over the facts \"pthructl\n"
		"                  snapshot save\" wrote to SNAP.  A decision that\n"
		"                  rests on a fact the source could not establish\n"
		"                  (whether MSIs are isolated, an ACS quirk, a serial\n"
		"                  number, config space read without root, the domain\n"
		"                  of a group a passthrough driver owns) is \"not\n"
		"                  established\", shown as those facts at their worst\n"
		"                  would decide and followed by what it lacks.  The\n"
		"                  first line, or \"source\" in JSON, says the source.\n"
		"  generate        print a starting policy: allow each function bound\n"
		"                  now to a passthrough driver that is acs-isolated\n"
		"                  and translated, deny the rest, in audit mode\n"
		"\n"
		"mode, lock and load need CAP_NET_ADMIN and print nothing on success;\n"
		"once the policy is locked they fail.  show and test take -j; save and\n"
		"generate print the policy language.\n"
		"\n"
		"Exit status: 0 success; 1 from test with ADDR when the bind would be\n"
		"denied or the decision is not established; 2 error.\n",
		cmd_policy, policy_opts,
	},
	{
		"map", "[show|verify] [GROUP]",
		"the userspace-owned IOMMU mappings pthru shadows; check them",
		"List the ranges mapped in every userspace-owned (VFIO type1)\n"
		"IOMMU domain, as pthru's shadow recorded them from successful\n"
		"maps and unmaps, merged where adjacent in IOVA and physical\n"
		"address with the same permissions.  Per domain, a line \"group G\n"
		"domain D (unmanaged)\", followed by \"shadow incomplete\" when the\n"
		"shadow may miss maps (its reserve ran out, or the domain predates\n"
		"the probes), then a table: IOVA, physical address (\"-\" when\n"
		"hidden: the module gives physical addresses only to callers\n"
		"with CAP_SYS_ADMIN, and a note on stderr says so), size (in\n"
		"hexadecimal and in K, M, G) and permissions (r, w, then cache,\n"
		"noexec, mmio, priv when set).  With GROUP (a decimal IOMMU group\n"
		"number), only that group's domain; a group with no\n"
		"userspace-owned domain is an error.\n"
		"\n"
		"With -j, iova, phys and size are hexadecimal strings (\"0x...\"):\n"
		"a 64-bit number is not exact in every JSON parser.  A hidden\n"
		"physical address is \"phys\":null with \"phys_hidden\":true.\n"
		"\n"
		"verify [GROUP] (needs CAP_NET_ADMIN) makes the module check its\n"
		"shadow against the IOMMU's page tables now: each range is\n"
		"translated at its first and last page, at superpage boundaries,\n"
		"at a few pages in between and just past its ends, and recently\n"
		"unmapped ranges are translated again.  It prints the domains,\n"
		"ranges, translations and skipped points (the domain was busy or\n"
		"the walk's budget ran out), then what it found: disagreements,\n"
		"stale translations, identity maps of host RAM, kernel memory,\n"
		"overreaching superpages, domains with an incomplete shadow\n"
		"(incomplete-domains).  What it found is raised as hazards\n"
		"(pthructl hazard).  audit walks too.\n"
		"\n"
		"Exit status: 0 success (verify: nothing found); 1 verify found\n"
		"something; 2 error.\n",
		cmd_map, NULL,
	},
	{
		"stats", "[-p|--format FORMAT] [DOMAIN]",
		"counters of the mapping shadow and the stale-IOTLB window",
		"Show whether the map/unmap probes are armed, the tracked\n"
		"domains, the merged ranges and the bytes each costs, the maps and\n"
		"unmaps recorded, those the shadow lost, the domains whose shadow\n"
		"is incomplete, and the deferred-flush window: IOTLB flushes, the\n"
		"unmapped ranges that waited for one, and the longest, median and\n"
		"99th-percentile wait.  With DOMAIN (the decimal domain number\n"
		"\"map show\" prints), that domain's; an unknown one is an error.\n"
		"\n"
		"  --format FORMAT     text (default), json (as -j) or prometheus\n"
		"  -p, --prometheus    the same as --format prometheus: the global\n"
		"                      figures for the node_exporter textfile\n"
		"                      collector, waits in seconds (not with DOMAIN)\n",
		cmd_stats, stats_opts,
	},
	{
		"snapshot", "save FILE [--no-module] | diff A B",
		"save this host's facts; compare two saved snapshots",
		"  save FILE   write this host's facts, not findings, to FILE as\n"
		"              JSON (Documentation/schemas/pthru-snapshot.schema.json)\n"
		"              with the host name, the kernel, the time and the\n"
		"              source: the module when it is loaded (sysfs fills in\n"
		"              what the module does not report), else sysfs alone\n"
		"              (see \"pthructl help audit\").  Run it as root: without\n"
		"              root, config space cannot be read.  FILE - is\n"
		"              standard output; a file is written whole or not at all.\n"
		"  diff A B    what changed from snapshot A to snapshot B: functions\n"
		"              that appeared or vanished, ACS capability or control\n"
		"              register changes, IOMMU group and driver changes, and\n"
		"              the findings raised and cleared, both snapshots being\n"
		"              evaluated here with the module's rules.\n"
		"\n"
		"\"pthructl audit --snapshot FILE\" (and check, dev, group, policy test)\n"
		"evaluate a saved snapshot on any machine, without root or module.\n"
		"A file that is not a valid snapshot is refused with one line:\n"
		"the file, the place in it, and the problem.\n"
		"\n"
		"Exit status: 0 saved, or no difference; 1 differences; 2 error.\n",
		cmd_snapshot, snapshot_opts,
	},
	{
		"help", "[COMMAND]",
		"this help, or the help of one command",
		"Without COMMAND, list the commands; with it, explain that command.\n",
		cmd_help, NULL,
	},
};

#define N_COMMANDS	ARRAY_SIZE(commands)

static const struct pthructl_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage(void)
{
	size_t i;
	char synopsis[128];

	printf("Usage: pthructl [-j|--json] COMMAND [ARGS]\n"
	       "       pthructl --help | -h | help [COMMAND]\n"
	       "       pthructl --version\n"
	       "\n"
	       "Report whether the IOMMU isolates each PCI function of a PCI\n"
	       "passthrough host, as seen by the pthru kernel module.\n"
	       "\n"
	       "Options:\n"
	       "  -j, --json     print JSON, one record per line\n"
	       "  -h, --help     print this help; after COMMAND, its help\n"
	       "      --version  print the version of pthructl\n"
	       "\n"
	       "Commands:\n");
	for (i = 0; i < N_COMMANDS; i++) {
		snprintf(synopsis, sizeof(synopsis), "%s %s", commands[i].name,
			 commands[i].args);
		/* A long synopsis gets a line of its own. */
		if (strlen(synopsis) > 22)
			printf("  %s\n  %-22s %s\n", synopsis, "",
			       commands[i].summary);
		else
			printf("  %-22s %s\n", synopsis, commands[i].summary);
	}
	printf("\n"
	       "ADDR is DDDD:BB:DD.F or BB:DD.F (hexadecimal); ID is a decimal\n"
	       "IOMMU group number.\n"
	       "\n"
	       "Run 'pthructl help COMMAND' or 'pthructl COMMAND --help' for\n"
	       "the details of a command.\n"
	       "\n"
	       "Exit status: 0 success; 1 findings (audit, check, policy test\n"
	       "ADDR, map verify: see their help); 2 error (bad command line,\n"
	       "module not loaded, or an error from the kernel: one line on\n"
	       "stderr).\n");
}

static void command_usage(const struct pthructl_cmd *cmd)
{
	printf("Usage: pthructl [-j|--json] %s%s%s\n\n%s", cmd->name,
	       cmd->args[0] ? " " : "", cmd->args, cmd->help);
}

static int cmd_help(struct pthructl *ctl, int argc, char **argv)
{
	const struct pthructl_cmd *cmd;

	(void)ctl;
	if (argc == 0) {
		usage();
		return EXIT_OK;
	}
	if (argc > 1)
		return pt_err_extra_arg("help", argv[1]);
	cmd = find_command(argv[0]);
	if (!cmd)
		return pt_err("unknown command '%s' (see pthructl --help)",
			      argv[0]);
	command_usage(cmd);
	return EXIT_OK;
}

static bool is_json_opt(const char *arg)
{
	return !strcmp(arg, "-j") || !strcmp(arg, "--json");
}

static bool is_help_opt(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/*
 * Take argv[*i] if it is an option of @cmd, with its value ("--opt VALUE"
 * or "--opt=VALUE").  Returns 1 when taken, 0 when it is not one of the
 * command's options, or -1 after printing the error.
 */
static int take_cmd_opt(struct pthructl *ctl, const struct pthructl_cmd *cmd,
			int argc, char **argv, int *i)
{
	const struct pthructl_opt *opt;
	const char *word = argv[*i];
	size_t len;
	int k;

	if (!cmd->opts)
		return 0;
	for (k = 0, opt = cmd->opts; opt->name && k < PTHRUCTL_MAX_OPTS;
	     k++, opt++) {
		len = strlen(opt->name);
		if (!strcmp(word, opt->name) ||
		    (opt->short_name && !strcmp(word, opt->short_name))) {
			if (!opt->arg) {
				ctl->opt_val[k] = "";
				return 1;
			}
			if (*i + 1 >= argc) {
				pt_err("option '%s' needs a value (see pthructl help %s)",
				       word, cmd->name);
				return -1;
			}
			ctl->opt_val[k] = argv[++*i];
			return 1;
		}
		if (!strncmp(word, opt->name, len) && word[len] == '=') {
			if (!opt->arg) {
				pt_err("option '%s' takes no value (see pthructl help %s)",
				       opt->name, cmd->name);
				return -1;
			}
			ctl->opt_val[k] = word + len + 1;
			return 1;
		}
	}
	return 0;
}

/* An option is a word that starts with '-' and is not "-" itself. */
static bool is_option(const char *arg)
{
	return arg[0] == '-' && arg[1];
}

static int run(int argc, char **argv)
{
	struct pthructl ctl = {};
	const struct pthructl_cmd *cmd;
	bool want_help = false, opts_done = false;
	int i, n_args = 0, ret;

	/* Options before the command. */
	for (i = 1; i < argc && !opts_done && is_option(argv[i]); i++) {
		if (is_json_opt(argv[i])) {
			ctl.json = true;
		} else if (is_help_opt(argv[i])) {
			want_help = true;
		} else if (!strcmp(argv[i], "--version")) {
			printf("pthructl %s\n", PTHRUCTL_VERSION);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--")) {
			opts_done = true;
		} else {
			return pt_err("unknown option '%s' (see pthructl --help)",
				      argv[i]);
		}
	}
	if (i == argc) {
		if (want_help) {
			usage();
			return EXIT_OK;
		}
		return pt_err("no command given (see pthructl --help)");
	}
	cmd = find_command(argv[i]);
	if (!cmd)
		return pt_err("unknown command '%s' (see pthructl --help)",
			      argv[i]);
	ctl.cmd = cmd;

	/*
	 * The command's arguments, compacted in place.  -j and --help are
	 * also taken after the command, as in "pthructl monitor -j", and so
	 * are the command's own options, whose values go to ctl.opt_val.
	 */
	for (i++; i < argc; i++) {
		if (!opts_done && is_option(argv[i])) {
			if (is_json_opt(argv[i])) {
				ctl.json = true;
				continue;
			}
			if (is_help_opt(argv[i])) {
				want_help = true;
				continue;
			}
			if (!strcmp(argv[i], "--")) {
				opts_done = true;
				continue;
			}
			ret = take_cmd_opt(&ctl, cmd, argc, argv, &i);
			if (ret < 0)
				return EXIT_ERROR;
			if (ret)
				continue;
			return pt_err("unknown option '%s' (see pthructl help %s)",
				      argv[i], cmd->name);
		}
		argv[n_args++] = argv[i];
	}
	if (want_help) {
		command_usage(cmd);
		return EXIT_OK;
	}

	ret = cmd->run(&ctl, n_args, argv);
	if (ctl.connected)
		nl_close(&ctl.nl);
	return ret;
}

int main(int argc, char **argv)
{
	return pthructl_finish_output(run(argc, argv));
}
