// SPDX-License-Identifier: GPL-2.0
/*
 * Column alignment of the human output.
 */
#include <stdlib.h>

#include "table.h"
#include "unit.h"

void test_table(void)
{
	static const char *const r1[] = { "ID", "NAME", "X" };
	static const char *const r2[] = { "1234", "a", "last" };
	static const char *const r3[] = { "5", "longer", "" };
	static const char *const kv1[] = { "key:", "v" };
	static const char *const kv2[] = { "longer_key:", "value two" };
	struct capture c;
	struct table t;

	table_init(&t, 3, "  ");
	CHECK_INT(table_add_row(&t, r1), 0);
	CHECK_INT(table_add_row(&t, r2), 0);
	CHECK_INT(table_add_row(&t, r3), 0);
	table_print(&t, capture_open(&c));
	CHECK_STR(capture_close(&c),
		  "ID    NAME    X\n"
		  "1234  a       last\n"
		  "5     longer\n");
	free(c.text);
	table_free(&t);

	table_init(&t, 2, " ");
	CHECK_INT(table_add_row(&t, kv1), 0);
	CHECK_INT(table_add_row(&t, kv2), 0);
	table_print(&t, capture_open(&c));
	CHECK_STR(capture_close(&c),
		  "key:        v\n"
		  "longer_key: value two\n");
	free(c.text);
	table_free(&t);

	/* Many rows force the row array to grow. */
	table_init(&t, 2, " ");
	for (int i = 0; i < 100; i++)
		CHECK_INT(table_add_row(&t, kv1), 0);
	CHECK_INT(t.n_rows, 100);
	table_free(&t);
}
