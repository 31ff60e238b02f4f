/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verification of the shadow against the IOMMU's own page tables.
 *
 * The glue (verify.c) walks each tracked domain; for each shadow range it
 * asks this file which IOVAs to translate and what a translation means.
 * Translating (iommu_iova_to_phys()) and classifying host memory are the
 * glue's, behind struct pthru_mapcheck_ops, so that a KUnit test can play
 * the IOMMU and the memory map.  What the walk finds are notes, at most one
 * per (kind, domain): the first place it was seen and how many times.  The
 * hazard engine turns the notes a snapshot carries into findings.
 */
#ifndef _PTHRU_CORE_MAPCHECK_H
#define _PTHRU_CORE_MAPCHECK_H

#include <linux/types.h>

#include "ivstore.h"

/* What a note is about; each kind has its own hazard ID (hazard.c). */
enum pthru_map_note_kind {
	PTHRU_MAP_NOTE_DISAGREES,	/* translation differs from the shadow */
	PTHRU_MAP_NOTE_STALE,		/* a recent unmap still translates */
	PTHRU_MAP_NOTE_IDENTITY,	/* IOVA == phys over host RAM */
	PTHRU_MAP_NOTE_KERNEL,		/* memory no process owns */
	PTHRU_MAP_NOTE_OVERREACH,	/* translation continues past an end */
	PTHRU_MAP_NOTE_INCOMPLETE,	/* the shadow may miss mappings */
	PTHRU_MAP_NOTE_KINDS
};

/* No physical address (@expected or @found of a note). */
#define PTHRU_MAP_NO_PHYS	(~0ULL)

/**
 * struct pthru_map_note - what one walk found in one domain, of one kind
 * @kind: enum pthru_map_note_kind
 * @group_id: IOMMU group the domain serves, or PTHRU_NO_GROUP
 * @domain_id: pthru's number for the domain (shadow.h)
 * @iova: first IOVA where it was seen (for INCOMPLETE: 0)
 * @expected: physical address the shadow says @iova maps to, or
 *	PTHRU_MAP_NO_PHYS when the shadow holds no mapping there
 * @found: physical address the IOMMU translates @iova to, or
 *	PTHRU_MAP_NO_PHYS when it does not translate it
 * @memory: for KERNEL and IDENTITY: enum pthru_phys_kind of @found
 * @count: how many points (ranges for IDENTITY and STALE; for
 *	INCOMPLETE, the mappings the shadow lost) showed it
 */
struct pthru_map_note {
	u32 kind;
	s32 group_id;
	u32 domain_id;
	u64 iova;
	u64 expected;
	u64 found;
	u32 memory;
	u64 count;
};

/**
 * struct pthru_map_notes - notes, at most one per (kind, domain_id)
 * @items: the notes
 * @nr: number of notes
 * @cap: allocated entries
 */
struct pthru_map_notes {
	struct pthru_map_note *items;
	u32 nr;
	u32 cap;
};

/* What the IOMMU said about one IOVA. */
enum pthru_xlate {
	PTHRU_XLATE_NONE,	/* not translated */
	PTHRU_XLATE_MAPPED,	/* translated; *phys says where */
	PTHRU_XLATE_BUSY,	/* the domain was changing: no answer */
};

/* What kind of host memory a physical page is, as far as can be told. */
enum pthru_phys_kind {
	PTHRU_PHYS_NOT_RAM,	/* MMIO or a hole: not host memory */
	PTHRU_PHYS_USER,	/* anonymous, page cache, hugetlb, zero page */
	PTHRU_PHYS_UNKNOWN,	/* RAM pthru cannot attribute */
	PTHRU_PHYS_RESERVED,	/* reserved: kernel image, firmware */
	PTHRU_PHYS_SLAB,	/* kernel heap */
	PTHRU_PHYS_FREE,	/* free page: nobody holds it */
};

/**
 * struct pthru_mapcheck_ops - the glue's side of a walk
 * @translate: translate @iova in the domain being walked
 * @classify: what kind of memory the page at @phys is
 *
 * Both are called in process context and may take locks; @translate
 * returns PTHRU_XLATE_BUSY rather than an answer it cannot stand behind.
 */
struct pthru_mapcheck_ops {
	enum pthru_xlate (*translate)(void *ctx, u64 iova, u64 *phys);
	enum pthru_phys_kind (*classify)(void *ctx, u64 phys);
};

/**
 * struct pthru_mapcheck_domain - the domain being walked
 * @domain_id: pthru's number for it
 * @group_id: its IOMMU group, or PTHRU_NO_GROUP
 * @page_size: its smallest page size (a power of two, >= 4096)
 * @superpages: its larger page sizes, as a bitmap like the IOMMU API's
 *	pgsize_bitmap (bits below @page_size ignored)
 * @incomplete: the shadow may miss mappings: translations outside its
 *	ranges prove nothing, so DISAGREES for them, OVERREACH and STALE
 *	are not noted
 * @lost: mappings the shadow lost (for the INCOMPLETE note)
 * @kernel_owned: a DMA-API domain, where the kernel maps its own memory
 *	for its drivers on purpose: neither KERNEL nor IDENTITY is noted
 *	(an IOVA equal to its physical address is then the allocator's
 *	coincidence, not a window), and memory is not classified
 */
struct pthru_mapcheck_domain {
	u32 domain_id;
	s32 group_id;
	u64 page_size;
	u64 superpages;
	bool incomplete;
	u64 lost;
	bool kernel_owned;
};

/**
 * struct pthru_mapcheck_counts - what a walk did, summed over calls
 * @ranges: shadow ranges checked
 * @translations: calls of ops->translate
 * @skipped: points not answered (PTHRU_XLATE_BUSY) or over budget
 * @budget: translations still allowed; a check stops when it reaches 0
 *	and counts the points it did not translate as skipped
 */
struct pthru_mapcheck_counts {
	u64 ranges;
	u64 translations;
	u64 skipped;
	u64 budget;
};

/* Interior points sampled per range, besides ends and superpage edges. */
#define PTHRU_MAPCHECK_SAMPLES		8
/* Superpage boundaries checked per range, at most. */
#define PTHRU_MAPCHECK_EDGES		8
/* Points one range can cost: ends, edges (both sides), samples, outside. */
#define PTHRU_MAPCHECK_MAX_POINTS \
	(2 + 2 * PTHRU_MAPCHECK_EDGES + PTHRU_MAPCHECK_SAMPLES + 2)

u32 pthru_mapcheck_points(const struct pthru_mapcheck_domain *d,
			  const struct pthru_iv_range *r, u64 *iova, u32 max);

int pthru_mapcheck_range(const struct pthru_mapcheck_domain *d,
			 const struct pthru_iv_range *r,
			 const struct pthru_iv_range *prev,
			 const struct pthru_iv_range *next,
			 const struct pthru_mapcheck_ops *ops, void *ctx,
			 struct pthru_map_notes *out,
			 struct pthru_mapcheck_counts *c, gfp_t gfp);
int pthru_mapcheck_unmapped(const struct pthru_mapcheck_domain *d,
			    u64 iova, u64 size,
			    const struct pthru_mapcheck_ops *ops, void *ctx,
			    struct pthru_map_notes *out,
			    struct pthru_mapcheck_counts *c, gfp_t gfp);
int pthru_mapcheck_incomplete(const struct pthru_mapcheck_domain *d,
			      struct pthru_map_notes *out, gfp_t gfp);

int pthru_map_notes_add(struct pthru_map_notes *set,
			const struct pthru_map_note *n, gfp_t gfp);
void pthru_map_notes_free(struct pthru_map_notes *set);
const char *pthru_phys_kind_name(enum pthru_phys_kind kind);

#endif /* _PTHRU_CORE_MAPCHECK_H */
