/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Aligned text output: rows of cells printed in columns as wide as their
 * widest cell, without trailing blanks.  Used for the human tables and
 * for aligned "key: value" lines alike.
 */
#ifndef PTHRUCTL_TABLE_H
#define PTHRUCTL_TABLE_H

#include <stdio.h>

#define TABLE_MAX_COLS	16

struct table {
	unsigned int n_cols;
	const char *sep;	/* printed between columns */
	unsigned int n_rows;
	unsigned int cap_rows;
	char **cells;		/* n_rows * n_cols copies */
};

void table_init(struct table *t, unsigned int n_cols, const char *sep);

/* Add a row of n_cols strings (copied).  Returns 0 or -ENOMEM. */
int table_add_row(struct table *t, const char *const *cells);

void table_print(const struct table *t, FILE *out);
void table_free(struct table *t);

#endif /* PTHRUCTL_TABLE_H */
