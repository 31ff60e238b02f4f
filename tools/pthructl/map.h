/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow of userspace-owned IOMMU mappings as the pthru family reports
 * it (the "mapping" attribute set, map-get): one merged range per message.
 */
#ifndef PTHRUCTL_MAP_H
#define PTHRUCTL_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "json.h"

struct pthru_mapping {
	uint32_t present;	/* bit N: attribute PTHRU_A_MAPPING_N was sent */
	uint32_t group_id;
	uint32_t domain_id;
	uint32_t domain_type;
	uint32_t incomplete;
	uint32_t phys_hidden;	/* phys left out: the caller lacks CAP_SYS_ADMIN */
	uint32_t prot;		/* enum pthru_map_prot bits */
	uint64_t iova;
	uint64_t phys;
	uint64_t size;
};

static inline bool mapping_has(const struct pthru_mapping *m, uint16_t attr)
{
	return m->present & (1U << attr);
}

/*
 * Did the module withhold @m's physical address (phys-hidden)?  It sends
 * phys only to callers with CAP_SYS_ADMIN.
 */
bool mapping_phys_hidden(const struct pthru_mapping *m);

/* Is the physical address of any of the @n mappings withheld? */
bool mappings_phys_hidden(const struct pthru_mapping *m, size_t n);

/*
 * Fill @m from a map-get reply.  Returns 0, or -EBADMSG with *@bad_type
 * naming the malformed attribute.
 */
int mapping_parse(const struct nlmsghdr *nlh, struct pthru_mapping *m,
		  uint16_t *bad_type);

/*
 * Order @m by group (absent last), domain, then IOVA: the order the table
 * prints, whatever order the dump's messages came in.
 */
void mapping_sort(struct pthru_mapping *m, size_t n);

/*
 * "rw", "r-", "-w" or "--", then ",cache", ",noexec", ",mmio", ",priv" for
 * the flags set and ",0x40" for bits this pthructl does not know.
 */
const char *map_prot_text(uint32_t prot, char *buf, size_t len);

/*
 * @size in the largest unit (K, M, G, T, P, E) that divides it exactly,
 * "2M", "1028K", else in bytes, "512B".
 */
const char *size_human(uint64_t size, char *buf, size_t len);

/* One mapping as the JSON object of the output contract. */
void mapping_json(struct json *j, const char *key,
		  const struct pthru_mapping *m);

/*
 * The map command's output for @n mappings sorted by mapping_sort(): per
 * group and domain a header line "group G domain D (TYPE)[ shadow
 * incomplete]" and a table IOVA PHYS SIZE PROT, the sections separated by
 * blank lines; "no userspace-owned mappings" for none.  PHYS is "-" where
 * the module withheld it.  With @json the document {"schema":2,"mappings":[
 * with one mapping object per line ("phys":null,"phys_hidden":true where
 * withheld).
 */
int map_print(FILE *out, const struct pthru_mapping *m, size_t n, bool json);

struct pthructl;

/*
 * Report @err of a request about the shadow: a named @group without a
 * tracked domain (ENOENT) says so, a module without the request
 * (EOPNOTSUPP) prints @unsupported, anything else as pthructl_nl_err().
 * Returns EXIT_ERROR.
 */
int map_nl_err(struct pthructl *ctl, int err, bool has_group, uint32_t group,
	       const char *unsupported);

#endif /* PTHRUCTL_MAP_H */
