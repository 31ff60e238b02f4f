/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer.  It writes compact JSON with no spaces
 * or newlines of its own: the caller decides the line layout, which is
 * part of pthructl's output contract (one record per line).
 */
#ifndef PTHRUCTL_JSON_H
#define PTHRUCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *out;
	unsigned int depth;
	bool has_items[JSON_MAX_DEPTH];	/* a comma is due before the next item */
};

void json_init(struct json *j, FILE *out);

/*
 * Every value call takes a @key: the member name inside an object, or NULL
 * for an array element or the top-level value.
 */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);

/* A NULL @val writes null. */
void json_string(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

/*
 * Write @s as a quoted JSON string: quote, backslash and control
 * characters escaped, and bytes that are not valid UTF-8 replaced by
 * U+FFFD so the output is always valid JSON.
 */
void json_write_string(FILE *out, const char *s);

/*
 * Length of the valid UTF-8 sequence at @s (at most @n bytes; a NUL
 * stops it, so SIZE_MAX does for a string), 0 when it is none: overlong
 * forms, surrogates and values past U+10FFFF are invalid.
 */
size_t json_utf8_len(const unsigned char *s, size_t n);

#endif /* PTHRUCTL_JSON_H */
