/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An IOMMU group as the pthru family reports it (the "group" attribute set).
 */
#ifndef PTHRUCTL_GROUP_H
#define PTHRUCTL_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "json.h"
#include "pciaddr.h"

struct resv_view {
	uint8_t present;	/* bit N: attribute PTHRU_A_RESV_REGION_N */
	uint64_t start;
	uint64_t end;		/* inclusive */
	uint32_t type;
};

struct group_view {
	uint64_t present;	/* bit N: attribute PTHRU_A_GROUP_N was sent */
	uint32_t id;
	uint32_t domain_type;
	uint32_t isolated_msi;
	char (*members)[PCI_ADDR_STRLEN];
	unsigned int n_members;
	struct resv_view *resv;
	unsigned int n_resv;
};

static inline bool group_has(const struct group_view *grp, uint16_t attr)
{
	return grp->present & (1ULL << attr);
}

/*
 * Fill @grp from a group-get reply.  Returns 0, -ENOMEM, or -EBADMSG with
 * *@bad_type naming the malformed attribute.  Free with group_free().
 */
int group_parse(const struct nlmsghdr *nlh, struct group_view *grp,
		uint16_t *bad_type);
void group_free(struct group_view *grp);

struct pthructl;

/*
 * group-get for IOMMU group @id into @grp (free with group_free()).
 * Returns 0, or the exit status after one error line (ENOENT: "no IOMMU
 * group N").
 */
int group_fetch(struct pthructl *ctl, uint32_t id, struct group_view *grp);

/*
 * group-get dump: every group, into a new array; release each with
 * group_free(), then the array.  Prints the error and returns EXIT_ERROR
 * on failure.
 */
int group_fetch_all(struct pthructl *ctl, struct group_view **groups,
		    size_t *n);

/* Write @grp as the JSON group object of the output contract. */
void group_json(struct json *j, const char *key,
		const struct group_view *grp);

/*
 * The group command's output: a table with a header, or the JSON document
 * {"schema":2,"groups":[ with one group object per line.
 */
int group_list_print(FILE *out, const struct group_view *groups, size_t n,
		     bool json);

/* One group: "key: value" and "resv:" lines, or its JSON object. */
int group_show_print(FILE *out, const struct group_view *grp, bool json);

/* Parse a decimal IOMMU group number; 0 or -EINVAL. */
int group_id_parse(const char *s, uint32_t *id);

#endif /* PTHRUCTL_GROUP_H */
