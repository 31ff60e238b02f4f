// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl snapshot: save this host's facts to a file, and compare two
 * saved snapshots (functions, ACS, groups, drivers, and the findings the
 * module's rules raise on each).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/pthru.h>

#include <core/pciaddr.h>

#include "evaluate.h"
#include "module_facts.h"
#include "names.h"
#include "pthructl.h"
#include "snapfile.h"
#include "source.h"
#include "sysfs_source.h"

#define SNAPSHOT_DIFF_KIND	"pthru-snapshot-diff"

/* Write @facts to @path whole, or leave @path as it was. */
static int snapshot_write_file(const struct facts *facts, const char *path)
{
	char *dir_copy, *tmp;
	FILE *out;
	int fd, err = 0;

	if (!strcmp(path, "-")) {
		if (snapfile_write(stdout, facts) || fflush(stdout))
			return pt_err("cannot write the snapshot to standard output: %s",
				      strerror(errno));
		return EXIT_OK;
	}
	dir_copy = strdup(path);
	if (!dir_copy || asprintf(&tmp, "%s/.pthru-snapshot.XXXXXX",
				  dirname(dir_copy)) < 0) {
		free(dir_copy);
		return pt_err("out of memory");
	}
	free(dir_copy);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = pt_err("cannot create a file beside %s: %s", path,
			     strerror(errno));
		free(tmp);
		return err;
	}
	out = fdopen(fd, "w");
	if (!out || snapfile_write(out, facts) || fflush(out) ||
	    fsync(fd) || fchmod(fd, 0644)) {
		err = pt_err("cannot write %s: %s", path, strerror(errno));
	}
	if (out ? fclose(out) : close(fd))
		err = err ?: pt_err("cannot write %s: %s", path, strerror(errno));
	if (!err && rename(tmp, path))
		err = pt_err("cannot rename the snapshot to %s: %s", path,
			     strerror(errno));
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

static int snapshot_save(struct pthructl *ctl, const char *path)
{
	struct facts facts = {};
	int ret;

	ret = EXIT_OK;
	if (!pthructl_opt(ctl, "--no-module")) {
		ret = nl_open_family(&ctl->nl, PTHRU_FAMILY_NAME);
		if (!ret) {
			ctl->connected = true;
			ret = module_facts_read(ctl, source_sysfs_root(), &facts);
			if (ret)
				return ret;
			goto write;
		}
		if (ret != -ENOENT)
			return pt_err("cannot reach generic netlink: %s",
				      strerror(-ret));
	}
	ret = sysfs_facts_read(source_sysfs_root(), &facts);
	if (ret == -ENOENT)
		return pt_err("no /sys/bus/pci/devices under %s: sysfs is not mounted, or this host has no PCI",
			      source_sysfs_root());
	if (ret)
		return pt_err("cannot read the host's facts from sysfs: %s",
			      strerror(-ret));
write:
	if (facts.n_unread)
		pt_note("%zu file%s could not be read (%s: %s%s): the snapshot records %s as unknown",
			facts.n_unread, facts.n_unread == 1 ? "" : "s",
			facts.unread[0].path, strerror(facts.unread[0].err),
			facts.n_unread > 1 ? ", ..." : "",
			facts.n_unread == 1 ? "what it holds" : "what they hold");
	ret = snapshot_write_file(&facts, path);
	facts_free(&facts);
	return ret;
}

/* One saved snapshot, evaluated. */
struct side {
	const char *file;
	struct facts facts;
	struct evaluation ev;
};

static int side_load(struct side *s, const char *file)
{
	char why[512];
	int err;

	s->file = file;
	err = snapfile_read(file, &s->facts, why, sizeof(why));
	if (err == -ENOMEM)
		return pt_err("out of memory");
	if (err)
		return pt_err("%s", why);
	if (evaluate_facts(&s->facts, &s->ev)) {
		facts_free(&s->facts);
		return pt_err("out of memory");
	}
	return EXIT_OK;
}

static void side_free(struct side *s)
{
	evaluation_free(&s->ev);
	facts_free(&s->facts);
}

/* A change of one fact of a function present in both snapshots. */
struct fact_change {
	u32 addr;
	const char *fact;
	char from[40];
	char to[40];
};

struct diff {
	u32 *appeared;
	size_t n_appeared;
	u32 *vanished;
	size_t n_vanished;
	struct fact_change *changes;
	size_t n_changes;
	size_t cap_changes;
	struct finding_list raised;
	struct finding_list cleared;
};

static int diff_addr(u32 **list, size_t *n, u32 addr)
{
	u32 *bigger = realloc(*list, (*n + 1) * sizeof(**list));

	if (!bigger)
		return -ENOMEM;
	bigger[(*n)++] = addr;
	*list = bigger;
	return 0;
}

__printf(5, 6) static int diff_change(struct diff *d, u32 addr,
				      const char *fact, const char *from,
				      const char *fmt, ...)
{
	struct fact_change *c;
	va_list ap;

	if (d->n_changes == d->cap_changes) {
		size_t cap = d->cap_changes ? 2 * d->cap_changes : 16;

		c = realloc(d->changes, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		d->changes = c;
		d->cap_changes = cap;
	}
	c = &d->changes[d->n_changes++];
	c->addr = addr;
	c->fact = fact;
	snprintf(c->from, sizeof(c->from), "%s", from);
	va_start(ap, fmt);
	vsnprintf(c->to, sizeof(c->to), fmt, ap);
	va_end(ap);
	return 0;
}

static void group_text(s32 id, char *buf, size_t len)
{
	if (id == PTHRU_NO_GROUP)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%d", id);
}

static void acs_text(const struct pthru_dev *d, bool cap, char *buf, size_t len)
{
	if (d->unknown & PTHRU_DEV_UNKNOWN_CONFIG)
		snprintf(buf, len, "unknown");
	else if (!d->acs_pos)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "0x%04x", cap ? d->acs_cap : d->acs_ctrl);
}

/* What changed on a function present in both. */
static int diff_dev(struct diff *d, const struct pthru_dev *a,
		    const struct pthru_dev *b)
{
	char from[40], to[40];
	int err = 0;

	acs_text(a, true, from, sizeof(from));
	acs_text(b, true, to, sizeof(to));
	if (strcmp(from, to))
		err = diff_change(d, a->addr, "acs_cap", from, "%s", to);
	acs_text(a, false, from, sizeof(from));
	acs_text(b, false, to, sizeof(to));
	if (!err && strcmp(from, to))
		err = diff_change(d, a->addr, "acs_ctrl", from, "%s", to);
	group_text(a->group_id, from, sizeof(from));
	group_text(b->group_id, to, sizeof(to));
	if (!err && strcmp(from, to))
		err = diff_change(d, a->addr, "group", from, "%s", to);
	if (!err && strcmp(a->driver, b->driver))
		err = diff_change(d, a->addr, "driver",
				  a->driver[0] ? a->driver : "none", "%s",
				  b->driver[0] ? b->driver : "none");
	return err;
}

static bool same_finding(const struct finding *x, const struct finding *y)
{
	return x->id == y->id && x->severity == y->severity &&
	       finding_has(x, PTHRU_A_FINDING_ADDR) ==
	       finding_has(y, PTHRU_A_FINDING_ADDR) &&
	       (!finding_has(x, PTHRU_A_FINDING_ADDR) ||
		!strcmp(x->addr, y->addr)) &&
	       finding_has(x, PTHRU_A_FINDING_GROUP_ID) ==
	       finding_has(y, PTHRU_A_FINDING_GROUP_ID) &&
	       (!finding_has(x, PTHRU_A_FINDING_GROUP_ID) ||
		x->group_id == y->group_id);
}

/* Each finding of @from that @to lacks goes to @out. */
static int diff_findings(const struct finding_list *from,
			 const struct finding_list *to, struct finding_list *out)
{
	size_t i, k;

	for (i = 0; i < from->n; i++) {
		for (k = 0; k < to->n; k++)
			if (same_finding(&from->items[i], &to->items[k]))
				break;
		if (k == to->n && finding_list_add(out, &from->items[i]))
			return -ENOMEM;
	}
	return 0;
}

static int diff_compute(const struct side *a, const struct side *b,
			struct diff *d)
{
	const struct pthru_snapshot *sa = a->facts.snap, *sb = b->facts.snap;
	u32 i = 0, k = 0;
	int err = 0;

	/* Both are sorted by address: one merge pass. */
	while (!err && (i < sa->nr_devs || k < sb->nr_devs)) {
		if (k == sb->nr_devs ||
		    (i < sa->nr_devs && sa->devs[i].addr < sb->devs[k].addr)) {
			err = diff_addr(&d->vanished, &d->n_vanished,
					sa->devs[i++].addr);
		} else if (i == sa->nr_devs ||
			   sb->devs[k].addr < sa->devs[i].addr) {
			err = diff_addr(&d->appeared, &d->n_appeared,
					sb->devs[k++].addr);
		} else {
			err = diff_dev(d, &sa->devs[i++], &sb->devs[k++]);
		}
	}
	if (!err)
		err = diff_findings(&b->ev.findings, &a->ev.findings, &d->raised);
	if (!err)
		err = diff_findings(&a->ev.findings, &b->ev.findings, &d->cleared);
	return err;
}

static void diff_free(struct diff *d)
{
	free(d->appeared);
	free(d->vanished);
	free(d->changes);
	finding_list_free(&d->raised);
	finding_list_free(&d->cleared);
}

static bool diff_empty(const struct diff *d)
{
	return !d->n_appeared && !d->n_vanished && !d->n_changes &&
	       !d->raised.n && !d->cleared.n;
}

static void format_taken(int64_t when, char *buf, size_t len)
{
	time_t t = when;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)when);
}

static void side_text(FILE *out, const char *label, const struct side *s)
{
	char when[32];

	format_taken(s->facts.taken, when, sizeof(when));
	fprintf(out, "%s: %s (%s facts of %s, kernel %s, taken %s)\n", label,
		s->file, facts_source_name(s->facts.source), s->facts.host,
		s->facts.kernel_release, when);
}

static void side_json(struct json *j, const char *key, const struct side *s)
{
	char when[32];

	format_taken(s->facts.taken, when, sizeof(when));
	json_object_begin(j, key);
	json_string(j, "file", s->file);
	json_string(j, "source", facts_source_name(s->facts.source));
	json_string(j, "host", s->facts.host);
	json_string(j, "kernel_release", s->facts.kernel_release);
	json_string(j, "taken", when);
	json_object_end(j);
}

static const struct pthru_dev *side_dev(const struct side *s, u32 addr)
{
	return pthru_snapshot_find_dev(s->facts.snap, addr);
}

static void diff_print_text(FILE *out, const struct side *a,
			    const struct side *b, const struct diff *d)
{
	char addr[PTHRU_PCIADDR_BUFSZ];
	const struct pthru_dev *dev;
	struct finding_widths w;
	size_t i;

	side_text(out, "from", a);
	side_text(out, "to", b);
	for (i = 0; i < d->n_vanished; i++) {
		dev = side_dev(a, d->vanished[i]);
		fprintf(out, "- %s %04x:%04x vanished\n",
			pthru_pciaddr_format(d->vanished[i], addr),
			dev->vendor, dev->device);
	}
	for (i = 0; i < d->n_appeared; i++) {
		dev = side_dev(b, d->appeared[i]);
		fprintf(out, "+ %s %04x:%04x appeared\n",
			pthru_pciaddr_format(d->appeared[i], addr),
			dev->vendor, dev->device);
	}
	for (i = 0; i < d->n_changes; i++)
		fprintf(out, "~ %s %s %s -> %s\n",
			pthru_pciaddr_format(d->changes[i].addr, addr),
			d->changes[i].fact, d->changes[i].from,
			d->changes[i].to);
	finding_widths_init(&w);
	for (i = 0; i < d->raised.n; i++)
		finding_widths_add(&w, &d->raised.items[i]);
	for (i = 0; i < d->cleared.n; i++)
		finding_widths_add(&w, &d->cleared.items[i]);
	for (i = 0; i < d->raised.n; i++)
		finding_print_text(out, &d->raised.items[i], &w, "", "raised  ");
	for (i = 0; i < d->cleared.n; i++)
		finding_print_text(out, &d->cleared.items[i], &w, "", "cleared ");
	if (diff_empty(d))
		fputs("no difference\n", out);
}

static void diff_json_addrs(struct json *j, const char *key, const u32 *addrs,
			    size_t n)
{
	char addr[PTHRU_PCIADDR_BUFSZ];
	size_t i;

	json_array_begin(j, key);
	for (i = 0; i < n; i++)
		json_string(j, NULL, pthru_pciaddr_format(addrs[i], addr));
	json_array_end(j);
}

static void diff_print_json(FILE *out, const struct side *a,
			    const struct side *b, const struct diff *d)
{
	char addr[PTHRU_PCIADDR_BUFSZ];
	struct json j;
	size_t i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
	json_string(&j, "kind", SNAPSHOT_DIFF_KIND);
	side_json(&j, "from", a);
	side_json(&j, "to", b);
	diff_json_addrs(&j, "appeared", d->appeared, d->n_appeared);
	diff_json_addrs(&j, "vanished", d->vanished, d->n_vanished);
	json_array_begin(&j, "changes");
	for (i = 0; i < d->n_changes; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "addr",
			    pthru_pciaddr_format(d->changes[i].addr, addr));
		json_string(&j, "fact", d->changes[i].fact);
		json_string(&j, "from", d->changes[i].from);
		json_string(&j, "to", d->changes[i].to);
		json_object_end(&j);
	}
	json_array_end(&j);
	finding_list_json(&j, "raised", &d->raised);
	finding_list_json(&j, "cleared", &d->cleared);
	json_object_end(&j);
	fputc('\n', out);
}

static int snapshot_diff(struct pthructl *ctl, const char *file_a,
			 const char *file_b)
{
	struct side a = {}, b = {};
	struct diff d = {};
	int ret;

	ret = side_load(&a, file_a);
	if (ret)
		return ret;
	ret = side_load(&b, file_b);
	if (ret) {
		side_free(&a);
		return ret;
	}
	if (diff_compute(&a, &b, &d)) {
		ret = pt_err("out of memory");
	} else {
		if (ctl->json)
			diff_print_json(stdout, &a, &b, &d);
		else
			diff_print_text(stdout, &a, &b, &d);
		ret = diff_empty(&d) ? EXIT_OK : EXIT_FINDINGS;
	}
	diff_free(&d);
	side_free(&a);
	side_free(&b);
	return ret;
}

int cmd_snapshot(struct pthructl *ctl, int argc, char **argv)
{
	if (argc == 0)
		return pt_err("missing snapshot command: save FILE or diff A B (see pthructl help snapshot)");
	if (!strcmp(argv[0], "save")) {
		if (argc < 2)
			return pt_err("missing file for snapshot save (- for standard output)");
		if (argc > 2)
			return pt_err_extra_arg("snapshot save", argv[2]);
		return snapshot_save(ctl, argv[1]);
	}
	if (!strcmp(argv[0], "diff")) {
		if (pthructl_opt(ctl, "--no-module"))
			return pt_err("option '--no-module' is only for snapshot save");
		if (argc < 3)
			return pt_err("snapshot diff needs two snapshot files");
		if (argc > 3)
			return pt_err_extra_arg("snapshot diff", argv[3]);
		return snapshot_diff(ctl, argv[1], argv[2]);
	}
	return pt_err("unknown snapshot command '%s' (see pthructl help snapshot)",
		      argv[0]);
}
