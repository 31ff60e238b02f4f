/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshot files: a host's facts (struct facts) as one JSON document, so
 * that they can be evaluated elsewhere or later, and compared.  The
 * format is Documentation/schemas/pthru-snapshot.schema.json; it holds
 * facts only, never findings, which are derived again on reading.
 *
 * Writing is deterministic and reading is strict: write -> read -> write
 * gives the same bytes, and a file that is not exactly such a document
 * (an unknown key, a name this pthructl does not know, a value out of
 * range, facts that contradict each other, a cut-short file) is refused
 * with one line naming the file, the place and the problem.
 *
 * Files that include this header see the core's headers (facts.h), so
 * they go in core.mk's CORE_USERS.
 */
#ifndef PTHRUCTL_SNAPFILE_H
#define PTHRUCTL_SNAPFILE_H

#include <stddef.h>
#include <stdio.h>

#include "facts.h"

/*
 * Write @facts to @out.  Returns 0; -EINVAL when the facts cannot be
 * written so that they read back (no finalized snapshot, a source, errno
 * or reserved-region type without a name, a string that is not UTF-8 or
 * too long, a class past 24 bits, a time before 1970 or after 9999); -EIO
 * when @out failed.
 * -EINVAL is returned before anything is written.
 */
int snapfile_write(FILE *out, const struct facts *facts);

/*
 * Read the snapshot document in @text (@len bytes, no NUL needed) into
 * @facts, naming it @name in messages.  Returns 0, -EINVAL or -ENOMEM;
 * on error @facts is zeroed and @why (when @why_len is not 0) holds one
 * line: "NAME: line L, col C (PATH): PROBLEM", PATH as functions[3].acs.ctrl
 * or "top".
 */
int snapfile_parse(const char *text, size_t len, const char *name,
		   struct facts *facts, char *why, size_t why_len);

/*
 * snapfile_parse() on the file at @path, which also names it.  I/O
 * errors return -errno with "PATH: PROBLEM" in @why.
 */
int snapfile_read(const char *path, struct facts *facts, char *why,
		  size_t why_len);

#endif /* PTHRUCTL_SNAPFILE_H */
