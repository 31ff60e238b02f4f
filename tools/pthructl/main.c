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

static const struct pthructl_cmd commands[] = {
	{
		"status", "",
		"global IOMMU state and inventory counts",
		"Show the pthru module version, the kernel release, whether an\n"
		"IOMMU translates PCI functions and which driver does, the number\n"
		"of IOMMU units, whether the default domain is identity (iommu=pt),\n"
		"whether interrupts are remapped, and the device and group counts.\n",
		cmd_status,
	},
	{
		"dev", "[show [ADDR]]",
		"all PCI functions, or one",
		"Without ADDR, list every PCI function: address, vendor:device,\n"
		"class, driver, IOMMU group, domain type, ATS (on, off, or - without\n"
		"the capability), ACS control register and upstream bridge.\n"
		"With ADDR, show every field of that function.  ADDR is\n"
		"DDDD:BB:DD.F or BB:DD.F (domain 0000), hexadecimal, any case.\n",
		cmd_dev,
	},
	{
		"group", "[show [ID]]",
		"all IOMMU groups, or one",
		"Without ID, list every IOMMU group: id, domain type, whether its\n"
		"MSIs are isolated (interrupt remapping) and its member functions.\n"
		"With ID (a decimal group number), show that group and one \"resv:\"\n"
		"line per reserved region.\n",
		cmd_group,
	},
	{
		"monitor", "",
		"print events until interrupted",
		"Print one line per inventory event (dev-add, dev-del, dev-bind,\n"
		"dev-unbind) as it happens, until SIGINT or SIGTERM, then exit 0.\n"
		"Exits 2 if the pthru module is unloaded meanwhile.\n",
		cmd_monitor,
	},
	{
		"help", "[COMMAND]",
		"this help, or the help of one command",
		"Without COMMAND, list the commands; with it, explain that command.\n",
		cmd_help,
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
	char synopsis[64];

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
		printf("  %-22s %s\n", synopsis, commands[i].summary);
	}
	printf("\n"
	       "ADDR is DDDD:BB:DD.F or BB:DD.F (hexadecimal); ID is a decimal\n"
	       "IOMMU group number.\n"
	       "\n"
	       "Run 'pthructl help COMMAND' or 'pthructl COMMAND --help' for\n"
	       "the details of a command.\n"
	       "\n"
	       "Exit status: 0 success; 2 error (bad command line, module not\n"
	       "loaded, or an error from the kernel: one line on stderr).\n");
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

	/*
	 * The command's arguments, compacted in place.  -j and --help are
	 * also taken after the command, as in "pthructl monitor -j".
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
