/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format, as node_exporter's textfile
 * collector reads it: metric families that print their HELP and TYPE
 * lines once, before their first sample, and label sets escaped as the
 * format requires.
 */
#ifndef PTHRUCTL_PROM_H
#define PTHRUCTL_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A family whose header is printed by its first sample, and only then. */
struct prom_family {
	const char *name;	/* pthru_..., with its unit and _total */
	const char *type;	/* "gauge" or "counter" */
	const char *help;	/* no backslash nor newline */
	bool started;
};

#define PROM_FAMILY(n, t, h)	{ .name = (n), .type = (t), .help = (h) }

/*
 * The inside of a label set, name="value",...  Room for the few short
 * labels pthructl prints: prom_labels_add() reports what does not fit.
 */
#define PROM_LABELS_MAX		512

struct prom_labels {
	char text[PROM_LABELS_MAX];
	size_t len;
	bool overflow;
};

void prom_labels_init(struct prom_labels *l);

/*
 * Append name="value": backslash, double quote and newline escaped, and
 * any byte that is not printable ASCII replaced by '?', so that the file
 * stays valid UTF-8 whatever the kernel sent.  Returns -ENOSPC (and sets
 * l->overflow) when it does not fit.
 */
int prom_labels_add(struct prom_labels *l, const char *name, const char *val);

/* One sample: the family's header first if it has none yet. */
void prom_sample(FILE *out, struct prom_family *fam,
		 const struct prom_labels *labels, const char *value);
void prom_sample_u64(FILE *out, struct prom_family *fam,
		     const struct prom_labels *labels, uint64_t value);

/* Nanoseconds as exact decimal seconds: "0", "0.000016384", "2.5". */
const char *prom_seconds(uint64_t ns, char *buf, size_t len);

#endif /* PTHRUCTL_PROM_H */
