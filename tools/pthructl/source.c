// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the source of a report's facts, and saying which it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmdline.h"
#include "snapfile.h"
#include "source.h"
#include "sysfs_source.h"

struct report_source report_source = { .source = FACTS_MODULE };

const char *source_sysfs_root(void)
{
	const char *root = getenv("PTHRU_SYSFS_ROOT");

	return root && *root ? root : "/";
}

static int gather_sysfs(struct facts *facts)
{
	int err = sysfs_facts_read(source_sysfs_root(), facts);

	if (err == -ENOENT)
		return pt_err("no /sys/bus/pci/devices under %s: sysfs is not mounted, or this host has no PCI",
			      source_sysfs_root());
	if (err)
		return pt_err("cannot read the host's facts from sysfs: %s",
			      strerror(-err));
	/* As the module's audit: $PTHRU_CMDLINE stands for /proc/cmdline. */
	if (getenv("PTHRU_CMDLINE")) {
		char *cmdline;

		err = cmdline_read(cmdline_path(), &cmdline);
		if (err) {
			facts_free(facts);
			return pt_err("cannot read the kernel command line from %s: %s",
				      cmdline_path(), strerror(-err));
		}
		free(facts->cmdline);
		facts->cmdline = cmdline;
	}
	if (facts->n_unread)
		pt_note("%zu file%s could not be read (%s: %s%s); what rests on %s is reported as not established",
			facts->n_unread, facts->n_unread == 1 ? "" : "s",
			facts->unread[0].path, strerror(facts->unread[0].err),
			facts->n_unread > 1 ? ", ..." : "",
			facts->n_unread == 1 ? "it" : "them");
	return EXIT_OK;
}

int source_gather(struct pthructl *ctl, struct facts *facts, bool *local)
{
	const char *file = pthructl_opt(ctl, "--snapshot");
	char why[512];
	int err;

	memset(facts, 0, sizeof(*facts));
	*local = true;
	if (file && pthructl_opt(ctl, "--no-module"))
		return pt_err("--snapshot and --no-module do not go together: a snapshot file is read without the module already");
	if (file) {
		err = snapfile_read(file, facts, why, sizeof(why));
		if (err == -ENOMEM)
			return pt_err("out of memory");
		if (err)
			return pt_err("%s", why);
		report_source.source = facts->source;
		report_source.facts = facts;
		report_source.file = file;
		return EXIT_OK;
	}
	if (!pthructl_opt(ctl, "--no-module") && ctl->connected) {
		*local = false;
		return EXIT_OK;
	}
	if (!pthructl_opt(ctl, "--no-module")) {
		err = nl_open_family(&ctl->nl, PTHRU_FAMILY_NAME);
		if (!err) {
			ctl->connected = true;
			*local = false;
			return EXIT_OK;
		}
		if (err != -ENOENT)
			return pt_err("cannot reach generic netlink: %s",
				      strerror(-err));
	}
	err = gather_sysfs(facts);
	if (err)
		return err;
	report_source.source = FACTS_SYSFS;
	report_source.facts = facts;
	return EXIT_OK;
}

static void format_time(int64_t when, char *buf, size_t len)
{
	time_t t = when;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)when);
}

void source_text_line(FILE *out)
{
	const struct facts *f = report_source.facts;
	char when[32];

	if (!report_source.file) {
		fprintf(out, "source: %s\n", facts_source_name(report_source.source));
		return;
	}
	format_time(f->taken, when, sizeof(when));
	fprintf(out, "source: snapshot %s (%s facts of %s, kernel %s, taken %s)\n",
		report_source.file, facts_source_name(f->source), f->host,
		f->kernel_release, when);
}

void source_json(struct json *j)
{
	const struct facts *f = report_source.facts;
	char when[32];

	json_string(j, "source", facts_source_name(report_source.source));
	if (!report_source.file)
		return;
	format_time(f->taken, when, sizeof(when));
	json_object_begin(j, "snapshot");
	json_string(j, "file", report_source.file);
	json_string(j, "host", f->host);
	json_string(j, "kernel_release", f->kernel_release);
	json_string(j, "taken", when);
	json_object_end(j);
}
