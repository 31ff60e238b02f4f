/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pthru policy language: parse a policy file into a policy document,
 * and print a document back in canonical form, so that what "policy save"
 * prints, "policy load" reads back into the same document and the same
 * bytes.  Documentation/policy.rst is the reference of the language.
 */
#ifndef PTHRUCTL_POLICY_LANG_H
#define PTHRUCTL_POLICY_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define POLICY_MAX_RULES	1024
#define POLICY_MAX_GATED	16
#define POLICY_LABEL_MAX	63	/* bytes, without the NUL */
#define POLICY_NAME_MAX		31	/* driver and slot names */
#define POLICY_ADDR_LEN		12	/* "DDDD:BB:DD.F" */
#define POLICY_LINE_MAX		4096	/* bytes, without the line end */

/* Which match fields of a rule are set. */
enum policy_field {
	POLICY_F_VENDOR		= 1U << 0,
	POLICY_F_DEVICE		= 1U << 1,
	POLICY_F_SUBVENDOR	= 1U << 2,
	POLICY_F_SUBDEVICE	= 1U << 3,
	POLICY_F_CLASS		= 1U << 4,	/* class_mask 0 = all 24 bits */
	POLICY_F_ADDR		= 1U << 5,
	POLICY_F_SLOT		= 1U << 6,
	POLICY_F_SERIAL		= 1U << 7,
	POLICY_F_DRIVER		= 1U << 8,
};

struct policy_rule {
	uint32_t id;				/* 1..UINT32_MAX, unique */
	char label[POLICY_LABEL_MAX + 1];
	uint8_t action;				/* PTHRU_ACTION_* */
	uint32_t requirements;			/* PTHRU_REQUIREMENT_*; 0 for deny */
	uint32_t fields;			/* POLICY_F_* */
	uint16_t vendor;
	uint16_t device;
	uint16_t subvendor;
	uint16_t subdevice;
	uint32_t class;
	uint32_t class_mask;
	char addr[POLICY_ADDR_LEN + 1];		/* canonical, lower case */
	char slot[POLICY_NAME_MAX + 1];
	uint64_t serial;
	char driver[POLICY_NAME_MAX + 1];
	unsigned int line;			/* line in the file; 0 if not parsed */
};

struct policy_doc {
	bool has_mode;				/* a "mode" line was given */
	uint8_t mode;				/* PTHRU_POLICY_MODE_* */
	unsigned int nr_gated;			/* 0: no "gate" line */
	char gated[POLICY_MAX_GATED][POLICY_NAME_MAX + 1];
	uint8_t default_action;			/* deny when no "default" line */
	uint32_t default_requirements;
	unsigned int nr_rules;
	struct policy_rule *rules;		/* malloc'd, in file order */
};

/*
 * Parse @len bytes of @text, read from the file called @file.  Returns 0
 * and fills @doc, or returns -1, leaves @doc empty and writes
 * "FILE:LINE:COL: reason" (one line, no newline) to @err.  COL is the
 * 1-based byte column of the offending token; for an error inside a word
 * (one name of a requirement list, the mask of "class X/MASK", a bad byte)
 * it is the column of that part, and for something missing it is the
 * column just after the last token.  The first error in reading order is
 * the one reported, except that a line over POLICY_LINE_MAX bytes is
 * refused (at column POLICY_LINE_MAX + 1) before it is read.
 *
 * @text need not be NUL-terminated and is never read past @len.  Lines end
 * in "\n" or "\r\n" (CRLF is accepted so that a file edited on Windows
 * loads; a CR anywhere else is an error); the last line needs no line end.
 * The text is ASCII: NUL, other control characters except tab, and bytes
 * above 0x7e are errors everywhere, comments included.  Choices beyond
 * Documentation/policy.rst: a rule id with a leading zero is refused (it
 * would read as octal elsewhere); "serial" takes exactly 16 hex digits;
 * a gate name or a requirement listed twice is an error; "class X/0xffffff"
 * is stored as class_mask 0, the one form of "all 24 bits"; an empty label
 * ("") is the same as none.
 *
 * An empty text is a valid document: no mode, no gate list, default deny,
 * no rules.
 */
int policy_parse(const char *file, const char *text, size_t len,
		 struct policy_doc *doc, char *err, size_t errsz);

/*
 * Print @doc in canonical form.  Returns 0, or -1 with errno EINVAL if
 * @doc fails policy_doc_check() (nothing is printed then: what would be
 * printed could not be read back), or EIO on a write error.
 */
int policy_format(FILE *out, const struct policy_doc *doc);

/*
 * Whether policy_format() can print @doc so that policy_parse() reads the
 * same document back: known mode, action and requirement values, no
 * requirements on a deny, valid and distinct names, canonical addresses,
 * printable labels, distinct non-zero rule ids, within the limits.
 * Returns 0, or -1 with the reason (no file or line) in @err.
 */
int policy_doc_check(const struct policy_doc *doc, char *err, size_t errsz);

/*
 * Whether two documents are the same, field by field, strings compared up
 * to their NUL; the rules' line numbers are not compared.
 */
bool policy_doc_equal(const struct policy_doc *a, const struct policy_doc *b);

void policy_doc_free(struct policy_doc *doc);

/* "off", "audit", "enforce" for PTHRU_POLICY_MODE_*; NULL if unknown. */
const char *policy_mode_name(uint8_t mode);

/* "acs-isolated" for PTHRU_REQUIREMENT_ACS_ISOLATED, ...; NULL if unknown. */
const char *policy_req_name(uint32_t bit);
/* Comma-separated names of @reqs in bit order into @buf ("" for none). */
void policy_reqs_str(uint32_t reqs, char *buf, size_t size);

#endif /* PTHRUCTL_POLICY_LANG_H */
