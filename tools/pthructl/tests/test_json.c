// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer: separators, nesting, null, and string escaping.
 */
#include <stdlib.h>

#include "json.h"
#include "unit.h"

static void check_escape(const char *in, const char *want)
{
	struct capture c;

	json_write_string(capture_open(&c), in);
	CHECK_STR(capture_close(&c), want);
	free(c.text);
}

void test_json(void)
{
	struct capture c;
	struct json j;

	check_escape("", "\"\"");
	check_escape("plain", "\"plain\"");
	check_escape("a\"b", "\"a\\\"b\"");
	check_escape("a\\b", "\"a\\\\b\"");
	check_escape("/", "\"/\"");
	check_escape("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	check_escape("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	/* Valid UTF-8 passes through: é, €, U+1F600. */
	check_escape("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
		     "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	/* Invalid bytes become U+FFFD, one escape per bad byte. */
	check_escape("a\xffz", "\"a\\ufffdz\"");
	check_escape("\xc3", "\"\\ufffd\"");		/* truncated */
	check_escape("\xc0\xaf", "\"\\ufffd\\ufffd\"");	/* overlong '/' */
	check_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	check_escape("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");

	json_init(&j, capture_open(&c));
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", 1);
	json_string(&j, "s", "x\"y");
	json_string(&j, "none", NULL);
	json_null(&j, "n");
	json_bool(&j, "t", true);
	json_bool(&j, "f", false);
	json_uint(&j, "big", 18446744073709551615ULL);
	json_array_begin(&j, "empty");
	json_array_end(&j);
	json_array_begin(&j, "list");
	json_string(&j, NULL, "a");
	json_uint(&j, NULL, 2);
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_object_begin(&j, NULL);
	json_bool(&j, "k", true);
	json_object_end(&j);
	json_array_end(&j);
	json_object_begin(&j, "obj");
	json_null(&j, "z");
	json_object_end(&j);
	json_object_end(&j);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":1,\"s\":\"x\\\"y\",\"none\":null,\"n\":null,\"t\":true,\"f\":false,\"big\":18446744073709551615,\"empty\":[],\"list\":[\"a\",2,{},{\"k\":true}],\"obj\":{\"z\":null}}");
	free(c.text);

	/* Keys are escaped too. */
	json_init(&j, capture_open(&c));
	json_object_begin(&j, NULL);
	json_uint(&j, "a\nb", 0);
	json_object_end(&j);
	CHECK_STR(capture_close(&c), "{\"a\\nb\":0}");
	free(c.text);
}
