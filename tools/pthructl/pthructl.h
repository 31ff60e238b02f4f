/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pthructl: what every command shares - the run context, the exit status
 * contract and the one-line error reporter.
 */
#ifndef PTHRUCTL_H
#define PTHRUCTL_H

#include <stdbool.h>

#include "nl.h"

#define PTHRUCTL_VERSION	"0.1.0"

/* Files that also see the core's kcompat headers get these from there. */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
/* printf-style checking of our own message functions, spelt as the kernel does. */
#define PT_PRINTF_FORMAT(a, b)	__format__(__printf__, a, b)
#ifndef __printf
#define __printf(a, b)		__attribute__((PT_PRINTF_FORMAT(a, b)))
#endif

/* Version of the JSON documents printed with -j; bump on incompatible change. */
#define PTHRUCTL_JSON_SCHEMA	2

/*
 * Exit status contract: 0 success, 2 any error.  1 is kept for commands
 * that report findings (audit, check), so an error is never mistaken for one.
 */
#define EXIT_OK		0
#define EXIT_FINDINGS	1
#define EXIT_ERROR	2

/* Options of one command, as "--fail-on SEVERITY" or "--fail-on=SEVERITY". */
struct pthructl_opt {
	const char *name;	/* "--fail-on"; NULL ends a table */
	const char *short_name;	/* "-p", or NULL */
	const char *arg;	/* name of its value, or NULL for a flag */
};

#define PTHRUCTL_MAX_OPTS	8

struct pthructl_cmd;

struct pthructl {
	bool json;		/* -j: print JSON instead of text */
	struct nl nl;		/* valid after pthructl_connect() */
	bool connected;
	const struct pthructl_cmd *cmd;	/* the command being run */
	/* Value of each option of cmd->opts given, "" for a flag; else NULL. */
	const char *opt_val[PTHRUCTL_MAX_OPTS];
};

/*
 * A command handler gets the words after the command name (argv[0] is the
 * first argument, not the command) and returns an exit status.
 */
struct pthructl_cmd {
	const char *name;
	const char *args;	/* synopsis of the arguments, "" if none */
	const char *summary;	/* one line for the command list */
	const char *help;	/* paragraphs for "pthructl help NAME" */
	int (*run)(struct pthructl *ctl, int argc, char **argv);
	const struct pthructl_opt *opts;	/* its options, or NULL */
};

/*
 * The value given to the option @name ("--fail-on") of the running
 * command: "" for a flag, NULL when the option was not given.
 */
const char *pthructl_opt(const struct pthructl *ctl, const char *name);

/* Print "pthructl: MESSAGE" as one line on stderr; returns EXIT_ERROR. */
__printf(1, 2) int pt_err(const char *fmt, ...);

/* Print a non-fatal warning line on stderr. */
__printf(1, 2) void pt_warn(const char *fmt, ...);

/* Print a "pthructl: note: " line on stderr: how to read the output. */
__printf(1, 2) void pt_note(const char *fmt, ...);

/* Complain about a malformed PCI address argument; returns EXIT_ERROR. */
int pt_err_bad_addr(const char *arg);

/* Complain about an argument a command does not take; returns EXIT_ERROR. */
int pt_err_extra_arg(const char *cmd, const char *arg);

/*
 * Open the netlink socket and resolve the pthru family.  Prints the error
 * (module not loaded, no netlink) and returns EXIT_ERROR on failure.
 */
int pthructl_connect(struct pthructl *ctl);

/*
 * Report a failed request: the kernel's extack message if it sent one,
 * else @fallback if not NULL, else strerror(-err).  Returns EXIT_ERROR.
 */
int pthructl_nl_err(struct pthructl *ctl, int err, const char *fallback);

/* The output formats of the commands that offer more than text and -j. */
enum pthructl_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_PROMETHEUS,
};

/* "text", "json" or "prometheus", in any case; 0 or -EINVAL. */
int pthructl_parse_format(const char *s, enum pthructl_format *format);

/*
 * The format that -j, --format and -p (--prometheus) ask for; they must
 * agree.  Prints the error and returns EXIT_ERROR when they do not.
 */
int pthructl_format_opts(struct pthructl *ctl, enum pthructl_format *format);

/* Flush stdout and turn a write error into a message; returns the status. */
int pthructl_finish_output(int status);

int cmd_status(struct pthructl *ctl, int argc, char **argv);
int cmd_dev(struct pthructl *ctl, int argc, char **argv);
int cmd_group(struct pthructl *ctl, int argc, char **argv);
int cmd_monitor(struct pthructl *ctl, int argc, char **argv);
int cmd_audit(struct pthructl *ctl, int argc, char **argv);
int cmd_hazard(struct pthructl *ctl, int argc, char **argv);
int cmd_check(struct pthructl *ctl, int argc, char **argv);
int cmd_snapshot(struct pthructl *ctl, int argc, char **argv);
int cmd_policy(struct pthructl *ctl, int argc, char **argv);
int cmd_map(struct pthructl *ctl, int argc, char **argv);
int cmd_stats(struct pthructl *ctl, int argc, char **argv);

#endif /* PTHRUCTL_H */
