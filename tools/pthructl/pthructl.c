// SPDX-License-Identifier: GPL-2.0
/*
 * What every pthructl command shares: error lines, the connection to the
 * pthru family, and the final flush of the output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/pthru.h>

#include "pthructl.h"

int pt_err(const char *fmt, ...)
{
	va_list ap;

	fputs("pthructl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERROR;
}

void pt_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("pthructl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void pt_note(const char *fmt, ...)
{
	va_list ap;

	fputs("pthructl: note: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *pthructl_opt(const struct pthructl *ctl, const char *name)
{
	const struct pthructl_opt *opt;
	unsigned int i;

	if (!ctl->cmd || !ctl->cmd->opts)
		return NULL;
	for (i = 0, opt = ctl->cmd->opts; opt->name && i < PTHRUCTL_MAX_OPTS;
	     i++, opt++)
		if (!strcmp(opt->name, name))
			return ctl->opt_val[i];
	return NULL;
}

int pt_err_extra_arg(const char *cmd, const char *arg)
{
	return pt_err("unexpected argument '%s' (see pthructl help %s)", arg,
		      cmd);
}

int pt_err_bad_addr(const char *arg)
{
	return pt_err("invalid PCI address '%s' (expected DDDD:BB:DD.F or BB:DD.F)",
		      arg);
}

int pthructl_connect(struct pthructl *ctl)
{
	int err;

	if (ctl->connected)
		return EXIT_OK;
	err = nl_open_family(&ctl->nl, PTHRU_FAMILY_NAME);
	if (err == -ENOENT)
		return pt_err("the pthru module is not loaded (modprobe pthru)");
	if (err)
		return pt_err("cannot reach generic netlink: %s",
			      strerror(-err));
	ctl->connected = true;
	return EXIT_OK;
}

int pthructl_nl_err(struct pthructl *ctl, int err, const char *fallback)
{
	if (ctl->nl.ext_msg[0])
		return pt_err("%s", ctl->nl.ext_msg);
	if (fallback)
		return pt_err("%s", fallback);
	return pt_err("%s", strerror(-err));
}

int pthructl_parse_format(const char *s, enum pthructl_format *format)
{
	static const char *const names[] = {
		[FORMAT_TEXT]		= "text",
		[FORMAT_JSON]		= "json",
		[FORMAT_PROMETHEUS]	= "prometheus",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcasecmp(s, names[i])) {
			*format = i;
			return 0;
		}
	}
	return -EINVAL;
}

int pthructl_format_opts(struct pthructl *ctl, enum pthructl_format *format)
{
	const char *name = pthructl_opt(ctl, "--format");
	bool prometheus = pthructl_opt(ctl, "--prometheus");

	*format = FORMAT_TEXT;
	if (name && pthructl_parse_format(name, format))
		return pt_err("invalid format '%s' (expected text, json or prometheus)",
			      name);
	if ((ctl->json && name && *format != FORMAT_JSON) ||
	    (prometheus && name && *format != FORMAT_PROMETHEUS) ||
	    (ctl->json && prometheus))
		return pt_err("conflicting output formats: choose one of -j, -p and --format");
	if (ctl->json)
		*format = FORMAT_JSON;
	if (prometheus)
		*format = FORMAT_PROMETHEUS;
	return EXIT_OK;
}

int pthructl_finish_output(int status)
{
	/* A full disk or closed pipe must not look like success. */
	if (fflush(stdout) || ferror(stdout)) {
		pt_err("cannot write output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return status;
}
