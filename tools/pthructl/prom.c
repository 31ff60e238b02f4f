// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition format: family headers, escaped label
 * sets, values in base units.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "prom.h"

#define NSEC_PER_SEC	((uint64_t)1000000000)

void prom_labels_init(struct prom_labels *l)
{
	l->text[0] = '\0';
	l->len = 0;
	l->overflow = false;
}

static int prom_labels_putc(struct prom_labels *l, char c)
{
	/* Keep room for the terminating NUL. */
	if (l->len + 1 >= sizeof(l->text)) {
		l->overflow = true;
		return -ENOSPC;
	}
	l->text[l->len++] = c;
	l->text[l->len] = '\0';
	return 0;
}

static int prom_labels_puts(struct prom_labels *l, const char *s)
{
	int err = 0;

	for (; *s && !err; s++)
		err = prom_labels_putc(l, *s);
	return err;
}

int prom_labels_add(struct prom_labels *l, const char *name, const char *val)
{
	size_t start = l->len;
	int err = 0;

	if (l->len)
		err = prom_labels_putc(l, ',');
	if (!err)
		err = prom_labels_puts(l, name);
	if (!err)
		err = prom_labels_puts(l, "=\"");
	for (; *val && !err; val++) {
		unsigned char c = *val;

		if (c == '\\' || c == '"') {
			err = prom_labels_putc(l, '\\');
			if (!err)
				err = prom_labels_putc(l, c);
		} else if (c == '\n') {
			err = prom_labels_puts(l, "\\n");
		} else if (c < 0x20 || c >= 0x7f) {
			/*
			 * node_exporter rejects a whole file that is not
			 * UTF-8; what pthru labels (addresses, names) is
			 * ASCII, so anything else is a damaged value.
			 */
			err = prom_labels_putc(l, '?');
		} else {
			err = prom_labels_putc(l, c);
		}
	}
	if (!err)
		err = prom_labels_putc(l, '"');
	if (err) {
		/* Leave the set as it was, not with half a label. */
		l->len = start;
		l->text[start] = '\0';
	}
	return err;
}

void prom_sample(FILE *out, struct prom_family *fam,
		 const struct prom_labels *labels, const char *value)
{
	if (!fam->started) {
		fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", fam->name,
			fam->help, fam->name, fam->type);
		fam->started = true;
	}
	if (labels && labels->len)
		fprintf(out, "%s{%s} %s\n", fam->name, labels->text, value);
	else
		fprintf(out, "%s %s\n", fam->name, value);
}

void prom_sample_u64(FILE *out, struct prom_family *fam,
		     const struct prom_labels *labels, uint64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, value);
	prom_sample(out, fam, labels, buf);
}

const char *prom_seconds(uint64_t ns, char *buf, size_t len)
{
	uint64_t frac = ns % NSEC_PER_SEC;
	int digits = 9;

	if (!frac) {
		snprintf(buf, len, "%" PRIu64, ns / NSEC_PER_SEC);
		return buf;
	}
	/* Exact, without the trailing zeros a %.9f would print. */
	while (!(frac % 10)) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, len, "%" PRIu64 ".%0*" PRIu64, ns / NSEC_PER_SEC,
		 digits, frac);
	return buf;
}
