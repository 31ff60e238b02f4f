/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The global state the pthru family reports (the "status" attribute set).
 */
#ifndef PTHRUCTL_STATUS_H
#define PTHRUCTL_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "json.h"

struct pthructl;

#define STATUS_STR_MAX	128

struct pthru_status {
	uint64_t present;	/* bit N: attribute PTHRU_A_STATUS_N was sent */
	char version[STATUS_STR_MAX];
	char kernel_release[STATUS_STR_MAX];
	char iommu_driver[STATUS_STR_MAX];
	uint32_t iommu_present;
	uint32_t default_passthrough;
	uint32_t intr_remap;
	uint32_t iommu_units;
	uint32_t dev_count;
	uint32_t group_count;
	uint32_t generation;
	bool replied;		/* a reply arrived */
	bool malformed;		/* ... and could not be parsed */
	uint16_t bad_type;	/* offending attribute of a malformed reply */
};

static inline bool status_has(const struct pthru_status *st, uint16_t attr)
{
	return st->present & (1ULL << attr);
}

/* Fill @st from a status-get reply; 0 or -EBADMSG (see st->bad_type). */
int status_parse(const struct nlmsghdr *nlh, struct pthru_status *st);

/*
 * The members of the status JSON object, without "schema": the status
 * command's document and the "host" object of the audit report.
 */
void status_json_members(struct json *j, const struct pthru_status *st);

/* status-get into @st; prints the error and returns EXIT_ERROR on failure. */
int status_fetch(struct pthructl *ctl, struct pthru_status *st);

/* Aligned "key: value" lines, or one JSON object on one line. */
int status_print(FILE *out, const struct pthru_status *st, bool json);

#endif /* PTHRUCTL_STATUS_H */
