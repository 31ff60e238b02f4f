/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, strict JSON reader (RFC 8259) for files pthructl reads back,
 * such as snapshots.  It builds a tree in which every value knows the line
 * and column it starts at, so that a caller checking the tree against its
 * own format can name the place of a problem as precisely as the reader
 * names a syntax error.
 *
 * Strict means: exactly one value, surrounded only by JSON whitespace; no
 * duplicate keys in one object; strings must be valid UTF-8 and may not
 * hold raw control characters; \uXXXX escapes, surrogate pairs included,
 * become UTF-8 (an unpaired surrogate is an error); nesting deeper than
 * JR_MAX_DEPTH and inputs larger than JR_MAX_INPUT are refused.
 */
#ifndef PTHRUCTL_JSONREAD_H
#define PTHRUCTL_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JR_MAX_DEPTH	64
#define JR_MAX_INPUT	((size_t)64 << 20)

enum jr_type {
	JR_NULL,
	JR_BOOL,
	JR_NUMBER,
	JR_STRING,
	JR_ARRAY,
	JR_OBJECT,
};

struct jr_member;

/**
 * struct jr_value - one JSON value
 * @type: what it is
 * @line: line of its first character, from 1
 * @col: column of its first character, from 1, counted in characters
 *	(UTF-8 sequences), a tab counting as one
 * @len: bytes of @u.str (JR_STRING, JR_NUMBER); entries of @u.items or
 *	@u.members (JR_ARRAY, JR_OBJECT)
 * @u.b: JR_BOOL's value
 * @u.str: JR_STRING's bytes, UTF-8, NUL-terminated (a \u0000 escape puts a
 *	NUL inside: compare @len with strlen() where that matters);
 *	JR_NUMBER's text as written, checked against the grammar
 * @u.items: JR_ARRAY's elements
 * @u.members: JR_OBJECT's members, in the order written
 */
struct jr_value {
	enum jr_type type;
	unsigned int line;
	unsigned int col;
	size_t len;
	union {
		bool b;
		const char *str;
		struct jr_value *items;
		struct jr_member *members;
	} u;
};

/**
 * struct jr_member - one member of an object
 * @key: its name, UTF-8, NUL-terminated (see struct jr_value's @u.str)
 * @key_len: bytes of @key
 * @line: line of the key's opening quote
 * @col: column of the key's opening quote
 * @value: its value
 */
struct jr_member {
	const char *key;
	size_t key_len;
	unsigned int line;
	unsigned int col;
	struct jr_value value;
};

/* A parsed document; everything hangs off one arena, freed at once. */
struct jr_doc {
	struct jr_value *root;
	void *arena;
};

#define JR_PATH_MAX	160
#define JR_MSG_MAX	160

/**
 * struct jr_error - why a text is not JSON
 * @line: where the reader stopped, from 1
 * @col: column there, from 1
 * @path: the value it was in, as "functions[3].acs" ("" at the top level);
 *	one line, shortened when long
 * @msg: the problem, one line without the place
 */
struct jr_error {
	unsigned int line;
	unsigned int col;
	char path[JR_PATH_MAX];
	char msg[JR_MSG_MAX];
};

/*
 * Parse @len bytes at @text (no NUL needed) into @doc.  Returns 0, -EINVAL
 * with @err filled in, or -ENOMEM.  On error @doc is empty (jr_free() on it
 * is harmless).
 */
int jr_parse(const char *text, size_t len, struct jr_doc *doc,
	     struct jr_error *err);
void jr_free(struct jr_doc *doc);

/* "null", "a boolean", "a number", "a string", "an array", "an object". */
const char *jr_type_name(enum jr_type type);

/* The member @key of object @obj, or NULL (also when @obj is no object). */
const struct jr_value *jr_get(const struct jr_value *obj, const char *key);

/*
 * Integers.  jr_u64() takes a number written as a non-negative integer
 * without fraction or exponent ("-0" included in what it refuses) that
 * fits in 64 bits; jr_s64() one that fits in int64_t, sign allowed.  Both
 * return 0, -EINVAL when @v is not such a number (or no number), or
 * -ERANGE when it is but does not fit.
 */
int jr_u64(const struct jr_value *v, uint64_t *out);
int jr_s64(const struct jr_value *v, int64_t *out);

/*
 * Is @s (@len bytes) valid UTF-8 as the reader takes it: no overlong
 * forms, no surrogates, nothing past U+10FFFF?  A writer that must read
 * back what it wrote checks its strings with this.
 */
bool jr_utf8_valid(const char *s, size_t len);

#endif /* PTHRUCTL_JSONREAD_H */
