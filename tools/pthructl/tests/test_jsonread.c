// SPDX-License-Identifier: GPL-2.0
/*
 * The strict JSON reader: the grammar, escapes to UTF-8, the positions of
 * values and of errors, the paths errors name, the limits, and the
 * integer helpers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "unit.h"

/* Parse @text; on success return the document (free it), else NULL. */
static bool parse(const char *text, struct jr_doc *doc, struct jr_error *err)
{
	return jr_parse(text, strlen(text), doc, err) == 0;
}

/* @text must be refused at @line:@col in @path with @msg. */
static void refused(const char *text, unsigned int line, unsigned int col,
		    const char *path, const char *msg)
{
	struct jr_error err;
	struct jr_doc doc;
	char got[512], want[512];
	int ret;

	ret = jr_parse(text, strlen(text), &doc, &err);
	CHECK_INT(ret, -EINVAL);
	CHECK(doc.root == NULL && doc.arena == NULL);
	snprintf(got, sizeof(got), "%u:%u (%s) %s", err.line, err.col,
		 err.path, err.msg);
	snprintf(want, sizeof(want), "%u:%u (%s) %s", line, col, path, msg);
	CHECK_STR(got, want);
	jr_free(&doc);
}

static void test_values(void)
{
	const char *text = "{\"a\": [1, -2.5e+3, true, false, null],\n"
			   "  \"s\": \"x\\u00e9\\ud83d\\ude00\\n\\/\",\n"
			   "\t\"o\": {}, \"e\": [], \"z\": \"a\\u0000b\"}";
	const struct jr_value *a, *s, *o, *z;
	struct jr_error err;
	struct jr_doc doc;

	if (!parse(text, &doc, &err)) {
		CHECK(!"the document parses");
		printf("  %u:%u %s\n", err.line, err.col, err.msg);
		return;
	}
	CHECK_INT(doc.root->type, JR_OBJECT);
	CHECK_INT(doc.root->len, 5);
	CHECK_INT(doc.root->line, 1);
	CHECK_INT(doc.root->col, 1);
	CHECK_STR(doc.root->u.members[0].key, "a");
	CHECK_INT(doc.root->u.members[0].col, 2);

	a = jr_get(doc.root, "a");
	CHECK(a && a->type == JR_ARRAY && a->len == 5);
	if (a && a->len == 5) {
		CHECK_INT(a->col, 7);
		CHECK_INT(a->u.items[0].type, JR_NUMBER);
		CHECK_STR(a->u.items[0].u.str, "1");
		CHECK_INT(a->u.items[0].col, 8);
		CHECK_STR(a->u.items[1].u.str, "-2.5e+3");
		CHECK_INT(a->u.items[1].col, 11);
		CHECK(a->u.items[2].type == JR_BOOL && a->u.items[2].u.b);
		CHECK(a->u.items[3].type == JR_BOOL && !a->u.items[3].u.b);
		CHECK_INT(a->u.items[4].type, JR_NULL);
		CHECK_INT(a->u.items[4].col, 33);
	}

	/* é as two bytes, U+1F600 from its surrogate pair as four. */
	s = jr_get(doc.root, "s");
	CHECK(s && s->type == JR_STRING);
	if (s) {
		CHECK_STR(s->u.str, "x\xc3\xa9\xf0\x9f\x98\x80\n/");
		CHECK_INT(s->len, 9);
		CHECK_INT(s->line, 2);
		CHECK_INT(s->col, 8);
	}
	o = jr_get(doc.root, "o");
	CHECK(o && o->type == JR_OBJECT && o->len == 0 && o->line == 3 &&
	      o->col == 7);
	CHECK(jr_get(doc.root, "e") && jr_get(doc.root, "e")->len == 0);
	/* \u0000 is kept: the length tells it from the end. */
	z = jr_get(doc.root, "z");
	CHECK(z && z->len == 3 && !memcmp(z->u.str, "a\0b", 3));
	CHECK(jr_get(doc.root, "missing") == NULL);
	CHECK(jr_get(a, "a") == NULL);
	jr_free(&doc);
	CHECK(doc.root == NULL && doc.arena == NULL);

	/* Columns count characters: é before the value is one column. */
	if (parse("{\"\xc3\xa9\": \"\xe2\x82\xac\", \"k\":1}", &doc, &err)) {
		CHECK_INT(doc.root->u.members[0].value.col, 7);
		CHECK_INT(doc.root->u.members[1].col, 12);
		jr_free(&doc);
	} else {
		CHECK(!"UTF-8 keys parse");
	}

	/* Any value at the top, with whitespace around. */
	if (parse("\t\r\n\t\"top\"\t\n", &doc, &err)) {
		CHECK_STR(doc.root->u.str, "top");
		CHECK_INT(doc.root->line, 2);
		CHECK_INT(doc.root->col, 2);
		jr_free(&doc);
	} else {
		CHECK(!"a string at the top parses");
	}
	CHECK_STR(jr_type_name(JR_OBJECT), "an object");
	CHECK_STR(jr_type_name(JR_NULL), "null");
}

static void test_errors(void)
{
	refused("", 1, 1, "", "no JSON value (the text is empty)");
	refused("\t\n\t", 2, 2, "", "no JSON value (the text is empty)");
	refused("{\"a\":1", 1, 7, "a",
		"unexpected end of input (the text is cut short)");
	refused("{\"a\":[1,{\"b\":tru}]}", 1, 14, "a[1].b",
		"invalid literal (true, false or null?)");
	refused("{\"a\":[1,{\"b\":tru", 1, 17, "a[1].b",
		"unexpected end of input (the text is cut short)");
	refused("{\"a\":\"abc", 1, 10, "a",
		"unexpected end of input (the text is cut short)");
	refused("{\"a\":\"ab\\", 1, 10, "a",
		"unexpected end of input (the text is cut short)");
	refused("[1,]", 1, 4, "[1]", "unexpected ']', expected a value");
	refused("{\"a\":1,}", 1, 8, "",
		"unexpected '}', expected a key in double quotes");
	refused("{\"a\" 1}", 1, 6, "a", "unexpected '1', expected ':'");
	refused("[1 2]", 1, 4, "[0]", "unexpected '2', expected ',' or ']'");
	refused("{\"a\":1 \"b\":2}", 1, 8, "a",
		"unexpected '\"', expected ',' or '}'");
	refused("{a:1}", 1, 2, "", "unexpected 'a', expected a key in double quotes");
	refused("[1] x", 1, 5, "", "unexpected 'x', after the end of the JSON value");
	refused("{} {}", 1, 4, "", "unexpected '{', after the end of the JSON value");
	refused("\xef\xbb\xbf{}", 1, 1, "", "unexpected byte 0xef, expected a value");
	refused("[01]", 1, 2, "[0]", "invalid number: a leading zero");
	refused("[-]", 1, 3, "[0]", "unexpected ']', expected a digit");
	refused("[1.]", 1, 4, "[0]", "unexpected ']', expected a digit after '.'");
	refused("[1e]", 1, 4, "[0]",
		"unexpected ']', expected a digit in the exponent");
	refused("[+1]", 1, 2, "[0]", "unexpected '+', expected a value");
	refused("[.5]", 1, 2, "[0]", "unexpected '.', expected a value");
	refused("[NaN]", 1, 2, "[0]", "unexpected 'N', expected a value");
	refused("[\"a\tb\"]", 1, 4, "[0]",
		"control character U+0009 in a string (write it as an escape)");
	refused("[\"\\x\"]", 1, 3, "[0]", "invalid escape \\x");
	refused("[\"\\u12\"]", 1, 3, "[0]", "\\u needs four hex digits");
	refused("[\"\\ud800\"]", 1, 3, "[0]", "unpaired surrogate \\ud800");
	refused("[\"\\ud800\\u0041\"]", 1, 3, "[0]", "unpaired surrogate \\ud800");
	refused("[\"\\udc00\"]", 1, 3, "[0]", "unpaired surrogate \\udc00");
	refused("[\"a\xff\"]", 1, 4, "[0]", "invalid UTF-8 in a string");
	refused("[\"\xc0\xaf\"]", 1, 3, "[0]", "invalid UTF-8 in a string");
	refused("[\"\xed\xa0\x80\"]", 1, 3, "[0]", "invalid UTF-8 in a string");
	refused("[\"\xf4\x90\x80\x80\"]", 1, 3, "[0]", "invalid UTF-8 in a string");
	refused("[\"\xc3\"]", 1, 3, "[0]", "invalid UTF-8 in a string");
	/* The duplicate is named where it stands, with the first. */
	refused("{\"x\":{\"b\":1,\n \"a\":2, \"b\":3}}", 2, 9, "x",
		"duplicate key \"b\" (first at line 1, col 7)");
	refused("{\"\":1,\"\":2}", 1, 7, "", "duplicate key \"\" (first at line 1, col 2)");
	/* Keys that differ only after a NUL are two keys. */
	{
		struct jr_error err;
		struct jr_doc doc;

		CHECK(parse("{\"a\\u0000b\":1,\"a\":2}", &doc, &err));
		jr_free(&doc);
	}
}

static void test_limits(void)
{
	char deep[2 * JR_MAX_DEPTH + 8];
	struct jr_error err;
	struct jr_doc doc;
	char *big;
	int i;

	/* 64 levels are fine, the 65th is refused where it opens. */
	for (i = 0; i < JR_MAX_DEPTH; i++) {
		deep[i] = '[';
		deep[JR_MAX_DEPTH + i] = ']';
	}
	deep[2 * JR_MAX_DEPTH] = '\0';
	CHECK(parse(deep, &doc, &err));
	jr_free(&doc);
	memmove(deep + 1, deep, 2 * JR_MAX_DEPTH + 1);
	deep[0] = '[';
	strcat(deep, "]");
	CHECK_INT(jr_parse(deep, strlen(deep), &doc, &err), -EINVAL);
	CHECK_INT(err.col, JR_MAX_DEPTH + 1);
	CHECK_STR(err.msg, "nested deeper than 64 levels");

	/* 64 MiB is the most it reads: a value padded to it, then a byte more. */
	big = malloc(JR_MAX_INPUT + 1);
	if (!big) {
		CHECK(!"64 MiB for the size test");
		return;
	}
	memset(big, ' ', JR_MAX_INPUT + 1);
	big[0] = '0';
	CHECK_INT(jr_parse(big, JR_MAX_INPUT, &doc, &err), 0);
	jr_free(&doc);
	CHECK_INT(jr_parse(big, JR_MAX_INPUT + 1, &doc, &err), -EINVAL);
	CHECK_STR(err.msg, "larger than 64 MiB");
	free(big);

	/* Long keys are cut in the path, which stays one line. */
	{
		char text[400];

		snprintf(text, sizeof(text), "{\"%0300d\\n\":x}", 7);
		CHECK_INT(jr_parse(text, strlen(text), &doc, &err), -EINVAL);
		CHECK_INT(strlen(err.path), JR_PATH_MAX - 1);
		CHECK_STR(err.path + JR_PATH_MAX - 4, "...");
		CHECK(!strchr(err.path, '\n'));
	}
	{
		const char *nl = "{\"a\\nb\":x}";

		CHECK_INT(jr_parse(nl, strlen(nl), &doc, &err), -EINVAL);
		CHECK_STR(err.path, "a?b");
	}
}

static void check_u64(const char *text, int want_err, uint64_t want)
{
	struct jr_error err;
	struct jr_doc doc;
	uint64_t val = 12345;

	if (!parse(text, &doc, &err)) {
		CHECK(!"a number parses");
		return;
	}
	CHECK_INT(jr_u64(doc.root, &val), want_err);
	if (!want_err)
		CHECK(val == want);
	else
		CHECK(val == 12345);
	jr_free(&doc);
}

static void check_s64(const char *text, int want_err, int64_t want)
{
	struct jr_error err;
	struct jr_doc doc;
	int64_t val = 12345;

	if (!parse(text, &doc, &err)) {
		CHECK(!"a number parses");
		return;
	}
	CHECK_INT(jr_s64(doc.root, &val), want_err);
	CHECK_INT(val, want_err ? 12345 : want);
	jr_free(&doc);
}

static void test_integers(void)
{
	struct jr_value str = { .type = JR_STRING, .u.str = "1", .len = 1 };
	uint64_t u;
	int64_t s;

	check_u64("0", 0, 0);
	check_u64("4294967296", 0, 4294967296ULL);
	check_u64("18446744073709551615", 0, UINT64_MAX);
	check_u64("18446744073709551616", -ERANGE, 0);
	check_u64("99999999999999999999999", -ERANGE, 0);
	check_u64("-1", -EINVAL, 0);
	check_u64("-0", -EINVAL, 0);
	check_u64("1.0", -EINVAL, 0);
	check_u64("1e3", -EINVAL, 0);
	check_s64("-9223372036854775808", 0, INT64_MIN);
	check_s64("9223372036854775807", 0, INT64_MAX);
	check_s64("9223372036854775808", -ERANGE, 0);
	check_s64("-9223372036854775809", -ERANGE, 0);
	check_s64("-0", 0, 0);
	check_s64("-12", 0, -12);
	check_s64("-1.5", -EINVAL, 0);
	check_s64("2E1", -EINVAL, 0);
	CHECK_INT(jr_u64(&str, &u), -EINVAL);
	CHECK_INT(jr_s64(&str, &s), -EINVAL);
	CHECK_INT(jr_u64(NULL, &u), -EINVAL);
}

static void test_utf8(void)
{
	CHECK(jr_utf8_valid("", 0));
	CHECK(jr_utf8_valid("abc\xc3\xa9\xf0\x9f\x98\x80", 9));
	CHECK(!jr_utf8_valid("\xc3", 1));
	CHECK(!jr_utf8_valid("\xc0\xaf", 2));
	CHECK(!jr_utf8_valid("\xed\xa0\x80", 3));
	CHECK(!jr_utf8_valid("a\xff", 2));
	/* Only @len bytes count: a cut sequence is invalid. */
	CHECK(!jr_utf8_valid("\xc3\xa9", 1));
}

void test_jsonread(void)
{
	test_values();
	test_errors();
	test_limits();
	test_integers();
	test_utf8();
}
