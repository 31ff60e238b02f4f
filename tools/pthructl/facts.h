/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host's facts as one source gave them: the core's snapshot, plus what
 * a report needs around it (where it came from, when, which host, which
 * files could not be read).  The module, sysfs and a snapshot file all
 * produce one; evaluate.c turns one into findings with the module's own
 * rules.
 *
 * Files that include this header see the core's struct pthru_dev and
 * struct pthru_group; the tool's netlink views are struct dev_view and
 * struct group_view, so both can meet in one file.
 */
#ifndef PTHRUCTL_FACTS_H
#define PTHRUCTL_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include <core/snapshot.h>

/* Version of the snapshot file ("schema"); bump on incompatible change. */
#define SNAPSHOT_JSON_SCHEMA	1
#define SNAPSHOT_JSON_KIND	"pthru-snapshot"

#define FACTS_HOST_MAX		256
#define FACTS_RELEASE_MAX	65

enum facts_source {
	FACTS_MODULE,		/* the loaded module, over netlink */
	FACTS_SYSFS,		/* /sys and /proc, without the module */
};

/* A file the source needed and could not read, and why (an errno). */
struct facts_unread {
	char *path;
	int err;
};

/**
 * struct facts - one host at one moment
 * @snap: the facts, finalized; owned (one reference)
 * @source: where they came from
 * @host: the host's name
 * @kernel_release: its uname -r
 * @taken: when, in seconds since the epoch
 * @cmdline: its /proc/cmdline, without the trailing newline; owned
 * @unread: files the source could not read, in the order it met them
 * @n_unread: entries in @unread
 */
struct facts {
	struct pthru_snapshot *snap;
	enum facts_source source;
	char host[FACTS_HOST_MAX];
	char kernel_release[FACTS_RELEASE_MAX];
	int64_t taken;
	char *cmdline;
	struct facts_unread *unread;
	size_t n_unread;
};

/* "module" or "sysfs". */
const char *facts_source_name(enum facts_source source);
/* The reverse; 0 or -EINVAL. */
int facts_source_parse(const char *s, enum facts_source *source);

/* Record that @path could not be read (@err a positive errno); 0 or -ENOMEM. */
int facts_note_unread(struct facts *facts, const char *path, int err);

/* Free what @facts owns and zero it; a zeroed struct is fine. */
void facts_free(struct facts *facts);

#endif /* PTHRUCTL_FACTS_H */
