// SPDX-License-Identifier: GPL-2.0
/*
 * Column alignment for human output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

void table_init(struct table *t, unsigned int n_cols, const char *sep)
{
	memset(t, 0, sizeof(*t));
	t->n_cols = n_cols < TABLE_MAX_COLS ? n_cols : TABLE_MAX_COLS;
	t->sep = sep;
}

int table_add_row(struct table *t, const char *const *cells)
{
	unsigned int c, base;
	char **grown;

	if (t->n_rows == t->cap_rows) {
		unsigned int cap = t->cap_rows ? 2 * t->cap_rows : 16;

		grown = realloc(t->cells, (size_t)cap * t->n_cols *
				sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		t->cells = grown;
		t->cap_rows = cap;
	}
	base = t->n_rows * t->n_cols;
	for (c = 0; c < t->n_cols; c++) {
		t->cells[base + c] = strdup(cells[c] ? cells[c] : "");
		if (!t->cells[base + c]) {
			while (c--)
				free(t->cells[base + c]);
			return -ENOMEM;
		}
	}
	t->n_rows++;
	return 0;
}

void table_print(const struct table *t, FILE *out)
{
	size_t width[TABLE_MAX_COLS] = {};
	unsigned int r, c;
	size_t len;

	for (r = 0; r < t->n_rows; r++) {
		for (c = 0; c < t->n_cols; c++) {
			len = strlen(t->cells[r * t->n_cols + c]);
			if (len > width[c])
				width[c] = len;
		}
	}
	for (r = 0; r < t->n_rows; r++) {
		char **row = &t->cells[r * t->n_cols];
		unsigned int last = t->n_cols - 1;

		/* Pad only up to the last non-empty cell: no trailing blanks. */
		while (last > 0 && !row[last][0])
			last--;
		for (c = 0; c < last; c++)
			fprintf(out, "%-*s%s", (int)width[c], row[c], t->sep);
		fprintf(out, "%s\n", row[last]);
	}
}

void table_free(struct table *t)
{
	unsigned int i;

	for (i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
