// SPDX-License-Identifier: GPL-2.0
/*
 * Building, linking, looking up and comparing pthru snapshots.
 */
#include <linux/bsearch.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "snapshot.h"

/* First allocation of a growable array; it doubles from there. */
#define SNAPSHOT_MIN_ENTRIES	16

/**
 * pthru_snapshot_alloc() - allocate an empty snapshot
 * @gfp: allocation flags
 *
 * The snapshot starts with one reference, no IOMMU ("none") and generation 0.
 *
 * Return: the snapshot, or NULL when out of memory.
 */
struct pthru_snapshot *pthru_snapshot_alloc(gfp_t gfp)
{
	struct pthru_snapshot *snap;

	snap = kzalloc(sizeof(*snap), gfp);
	if (!snap)
		return NULL;
	kref_init(&snap->ref);
	strscpy(snap->iommu_driver, "none", sizeof(snap->iommu_driver));
	snap->intr_remap = PTHRU_TRISTATE_UNKNOWN;
	snap->unsafe_interrupts = PTHRU_TRISTATE_UNKNOWN;
	return snap;
}

static void snapshot_free(struct kref *ref)
{
	struct pthru_snapshot *snap = container_of(ref, struct pthru_snapshot, ref);
	u32 i;

	for (i = 0; i < snap->nr_groups; i++)
		kfree(snap->groups[i].resv);
	kfree(snap->groups);
	kfree(snap->member_idx);
	kfree(snap->devs);
	pthru_map_notes_free(&snap->map_notes);
	kfree(snap);
}

/**
 * pthru_snapshot_get() - take a reference
 * @snap: a snapshot the caller already holds a reference to
 */
void pthru_snapshot_get(struct pthru_snapshot *snap)
{
	kref_get(&snap->ref);
}

/**
 * pthru_snapshot_put() - drop a reference, freeing the snapshot with the last
 * @snap: the snapshot, or NULL
 */
void pthru_snapshot_put(struct pthru_snapshot *snap)
{
	if (snap)
		kref_put(&snap->ref, snapshot_free);
}

/*
 * Make room for one more entry of @size bytes in *@array (holding @nr of
 * @*cap allocated).  The new entry is zeroed.
 */
static void *grow_array(void **array, u32 nr, u32 *cap, size_t size, gfp_t gfp)
{
	u32 new_cap;
	void *bigger;

	if (nr < *cap)
		goto out;
	if (check_mul_overflow(*cap ? *cap : SNAPSHOT_MIN_ENTRIES / 2, 2u,
			       &new_cap))
		return NULL;
	bigger = krealloc_array(*array, new_cap, size, gfp);
	if (!bigger)
		return NULL;
	*array = bigger;
	*cap = new_cap;
out:
	return memset((char *)*array + (size_t)nr * size, 0, size);
}

/**
 * pthru_dev_init() - reset a function record to "nothing known"
 * @dev: the record
 * @addr: its packed PCI address
 *
 * Everything is zero except the address and the fields whose "none" value
 * is not zero: no group, no upstream bridge index, no group index.
 */
void pthru_dev_init(struct pthru_dev *dev, u32 addr)
{
	memset(dev, 0, sizeof(*dev));
	dev->addr = addr;
	dev->group_id = PTHRU_NO_GROUP;
	dev->domain_type = PTHRU_DOMAIN_TYPE_NONE;
	dev->upstream_idx = PTHRU_NO_INDEX;
	dev->group_idx = PTHRU_NO_INDEX;
	dev->pf_idx = PTHRU_NO_INDEX;
}

/**
 * pthru_snapshot_add_dev() - append a PCI function
 * @snap: a snapshot that is not finalized yet
 * @addr: packed PCI address of the function
 * @gfp: allocation flags
 *
 * The returned record is initialised by pthru_dev_init(); the caller fills
 * in the rest.  It stays valid until the next pthru_snapshot_add_dev().
 *
 * Return: the new record, or NULL when out of memory.
 */
struct pthru_dev *pthru_snapshot_add_dev(struct pthru_snapshot *snap, u32 addr,
					 gfp_t gfp)
{
	struct pthru_dev *dev;

	dev = grow_array((void **)&snap->devs, snap->nr_devs, &snap->devs_cap,
			 sizeof(*dev), gfp);
	if (!dev)
		return NULL;
	pthru_dev_init(dev, addr);
	snap->nr_devs++;
	snap->finalized = false;
	return dev;
}

/**
 * pthru_snapshot_add_group() - find the group with an id, or append it
 * @snap: a snapshot that is not finalized yet
 * @id: IOMMU group number (not negative)
 * @gfp: allocation flags
 *
 * A new group starts with domain type "none", isolated MSI unknown and no
 * reserved regions.  The returned record stays valid until the next
 * pthru_snapshot_add_group().
 *
 * Return: the group with @id, or NULL when out of memory or @id < 0.
 */
struct pthru_group *pthru_snapshot_add_group(struct pthru_snapshot *snap,
					     s32 id, gfp_t gfp)
{
	struct pthru_group *group;
	u32 i;

	if (id < 0)
		return NULL;
	for (i = 0; i < snap->nr_groups; i++)
		if (snap->groups[i].id == id)
			return &snap->groups[i];

	group = grow_array((void **)&snap->groups, snap->nr_groups,
			   &snap->groups_cap, sizeof(*group), gfp);
	if (!group)
		return NULL;
	group->id = id;
	group->domain_type = PTHRU_DOMAIN_TYPE_NONE;
	group->isolated_msi = PTHRU_TRISTATE_UNKNOWN;
	snap->nr_groups++;
	snap->finalized = false;
	return group;
}

/**
 * pthru_group_add_resv() - append a reserved region to a group
 * @group: the group
 * @start: first byte
 * @end: last byte, inclusive (not below @start)
 * @type: region type
 * @gfp: allocation flags
 *
 * Return: 0, -EINVAL for an empty region, or -ENOMEM.
 */
int pthru_group_add_resv(struct pthru_group *group, u64 start, u64 end,
			 enum pthru_resv_type type, gfp_t gfp)
{
	struct pthru_resv_region *region;

	if (end < start)
		return -EINVAL;
	region = grow_array((void **)&group->resv, group->nr_resv,
			    &group->resv_cap, sizeof(*region), gfp);
	if (!region)
		return -ENOMEM;
	region->start = start;
	region->end = end;
	region->type = type;
	group->nr_resv++;
	return 0;
}

/**
 * pthru_snapshot_add_map_note() - record what a verification walk found
 * @snap: a snapshot that is not finalized yet
 * @n: the note; one of the same kind and domain is merged into (its count
 *	grows, the rest stays as first recorded)
 * @gfp: allocation flags
 *
 * Return: 0, or -ENOMEM with the snapshot's notes unchanged.
 */
int pthru_snapshot_add_map_note(struct pthru_snapshot *snap,
				const struct pthru_map_note *n, gfp_t gfp)
{
	int ret = pthru_map_notes_add(&snap->map_notes, n, gfp);

	if (!ret)
		snap->finalized = false;
	return ret;
}

static int cmp_dev_addr(const void *a, const void *b)
{
	const struct pthru_dev *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_group_id(const void *a, const void *b)
{
	const struct pthru_group *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_map_note(const void *a, const void *b)
{
	const struct pthru_map_note *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->group_id != y->group_id)
		return x->group_id < y->group_id ? -1 : 1;
	return x->domain_id < y->domain_id ? -1 : x->domain_id > y->domain_id;
}

static int cmp_resv_start(const void *a, const void *b)
{
	const struct pthru_resv_region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Index of the function at @addr, or PTHRU_NO_INDEX; @snap is sorted. */
static s32 dev_index(const struct pthru_snapshot *snap, u32 addr)
{
	struct pthru_dev key = { .addr = addr };
	struct pthru_dev *found;

	found = bsearch(&key, snap->devs, snap->nr_devs, sizeof(key),
			cmp_dev_addr);
	return found ? found - snap->devs : PTHRU_NO_INDEX;
}

/* Index of the group with @id, or PTHRU_NO_INDEX; @snap is sorted. */
static s32 group_index(const struct pthru_snapshot *snap, s32 id)
{
	struct pthru_group key = { .id = id };
	struct pthru_group *found;

	found = bsearch(&key, snap->groups, snap->nr_groups, sizeof(key),
			cmp_group_id);
	return found ? found - snap->groups : PTHRU_NO_INDEX;
}

/* Combine the groups' isolated-MSI states into the host's. */
static enum pthru_tristate host_intr_remap(const struct pthru_snapshot *snap)
{
	enum pthru_tristate state = PTHRU_TRISTATE_YES;
	u32 i;

	if (!snap->nr_groups)
		return PTHRU_TRISTATE_UNKNOWN;
	for (i = 0; i < snap->nr_groups; i++) {
		if (snap->groups[i].isolated_msi == PTHRU_TRISTATE_NO)
			return PTHRU_TRISTATE_NO;
		if (snap->groups[i].isolated_msi != PTHRU_TRISTATE_YES)
			state = PTHRU_TRISTATE_UNKNOWN;
	}
	return state;
}

/* Point every group's @members into one shared array, in address order. */
static int link_members(struct pthru_snapshot *snap, gfp_t gfp)
{
	u32 i, next = 0;

	kfree(snap->member_idx);
	snap->member_idx = NULL;
	for (i = 0; i < snap->nr_groups; i++) {
		snap->groups[i].members = NULL;
		snap->groups[i].nr_members = 0;
	}
	if (!snap->nr_devs)
		return 0;

	snap->member_idx = kcalloc(snap->nr_devs, sizeof(u32), gfp);
	if (!snap->member_idx)
		return -ENOMEM;

	for (i = 0; i < snap->nr_devs; i++)
		if (snap->devs[i].group_idx != PTHRU_NO_INDEX)
			snap->groups[snap->devs[i].group_idx].nr_members++;
	for (i = 0; i < snap->nr_groups; i++) {
		snap->groups[i].members = snap->member_idx + next;
		next += snap->groups[i].nr_members;
		snap->groups[i].nr_members = 0;
	}
	for (i = 0; i < snap->nr_devs; i++) {
		struct pthru_group *group;

		if (snap->devs[i].group_idx == PTHRU_NO_INDEX)
			continue;
		group = &snap->groups[snap->devs[i].group_idx];
		group->members[group->nr_members++] = i;
	}
	return 0;
}

/**
 * pthru_snapshot_finalize() - sort, check and link a filled snapshot
 * @snap: the snapshot
 * @gfp: allocation flags
 *
 * Sorts functions by address, groups by id and each group's reserved
 * regions by start, and the map notes by kind, group and domain; resolves
 * every function's upstream bridge, physical function and group to
 * indices; counts each PF's VFs in the snapshot; copies each group's domain type to its functions (functions
 * without a group get "none"); builds the member lists; and derives
 * @iommu_present and @intr_remap.  An upstream bridge that is not in the
 * snapshot leaves @upstream_idx at PTHRU_NO_INDEX; the address is kept.
 * Map notes are not checked against the groups: a domain may serve a
 * group that went away since the walk.
 *
 * Return: 0; -EINVAL when two functions share an address, two groups share
 * an id, or a function names a group that is not in the snapshot; -ENOMEM.
 * On error the snapshot stays unfinalized and lookups find nothing.
 */
int pthru_snapshot_finalize(struct pthru_snapshot *snap, gfp_t gfp)
{
	u32 i;
	int err;

	snap->finalized = false;
	sort(snap->devs, snap->nr_devs, sizeof(*snap->devs), cmp_dev_addr, NULL);
	sort(snap->groups, snap->nr_groups, sizeof(*snap->groups), cmp_group_id,
	     NULL);
	sort(snap->map_notes.items, snap->map_notes.nr,
	     sizeof(*snap->map_notes.items), cmp_map_note, NULL);

	for (i = 1; i < snap->nr_devs; i++)
		if (snap->devs[i].addr == snap->devs[i - 1].addr)
			return -EINVAL;
	for (i = 0; i < snap->nr_groups; i++) {
		struct pthru_group *group = &snap->groups[i];

		if (i && group->id == snap->groups[i - 1].id)
			return -EINVAL;
		sort(group->resv, group->nr_resv, sizeof(*group->resv),
		     cmp_resv_start, NULL);
	}

	for (i = 0; i < snap->nr_devs; i++) {
		struct pthru_dev *dev = &snap->devs[i];

		dev->upstream_idx = dev->has_upstream ?
			dev_index(snap, dev->upstream_addr) : PTHRU_NO_INDEX;
		dev->pf_idx = dev->is_vf ? dev_index(snap, dev->pf_addr) :
					   PTHRU_NO_INDEX;
		dev->group_idx = PTHRU_NO_INDEX;
		dev->domain_type = PTHRU_DOMAIN_TYPE_NONE;
		if (dev->group_id == PTHRU_NO_GROUP)
			continue;
		dev->group_idx = group_index(snap, dev->group_id);
		if (dev->group_idx == PTHRU_NO_INDEX)
			return -EINVAL;
		dev->domain_type = snap->groups[dev->group_idx].domain_type;
	}

	/* A PF's VFs are those present: the count follows them as they go. */
	for (i = 0; i < snap->nr_devs; i++)
		if (snap->devs[i].sriov)
			snap->devs[i].sriov_vfs = 0;
	for (i = 0; i < snap->nr_devs; i++)
		if (snap->devs[i].pf_idx != PTHRU_NO_INDEX)
			snap->devs[snap->devs[i].pf_idx].sriov_vfs++;

	err = link_members(snap, gfp);
	if (err)
		return err;

	snap->iommu_present = snap->nr_groups > 0;
	snap->intr_remap = host_intr_remap(snap);
	snap->finalized = true;
	return 0;
}

/**
 * pthru_snapshot_find_dev() - look a PCI function up by address
 * @snap: a finalized snapshot
 * @addr: packed PCI address
 *
 * Return: the function, or NULL when it is not in @snap (or @snap is not
 * finalized).
 */
struct pthru_dev *pthru_snapshot_find_dev(const struct pthru_snapshot *snap,
					  u32 addr)
{
	s32 idx;

	if (!snap->finalized)
		return NULL;
	idx = dev_index(snap, addr);
	return idx == PTHRU_NO_INDEX ? NULL : &snap->devs[idx];
}

/**
 * pthru_snapshot_find_group() - look an IOMMU group up by id
 * @snap: a finalized snapshot
 * @id: IOMMU group number
 *
 * Return: the group, or NULL when it is not in @snap (or @snap is not
 * finalized).
 */
struct pthru_group *pthru_snapshot_find_group(const struct pthru_snapshot *snap,
					      s32 id)
{
	s32 idx;

	if (!snap->finalized)
		return NULL;
	idx = group_index(snap, id);
	return idx == PTHRU_NO_INDEX ? NULL : &snap->groups[idx];
}

static bool same_dev(const struct pthru_dev *a, const struct pthru_dev *b)
{
	return a->addr == b->addr &&
	       a->vendor == b->vendor && a->device == b->device &&
	       a->subsys_vendor == b->subsys_vendor &&
	       a->subsys_device == b->subsys_device &&
	       a->class == b->class &&
	       !strncmp(a->driver, b->driver, sizeof(a->driver)) &&
	       a->group_id == b->group_id &&
	       a->domain_type == b->domain_type &&
	       a->ats_supported == b->ats_supported &&
	       a->ats_enabled == b->ats_enabled &&
	       a->untrusted == b->untrusted &&
	       a->external_facing == b->external_facing &&
	       a->multifunction == b->multifunction &&
	       a->acs_pos == b->acs_pos &&
	       (!a->acs_pos || (a->acs_cap == b->acs_cap &&
				a->acs_ctrl == b->acs_ctrl &&
				a->acs_ctrl_baseline == b->acs_ctrl_baseline)) &&
	       a->has_upstream == b->has_upstream &&
	       (!a->has_upstream || a->upstream_addr == b->upstream_addr) &&
	       a->is_pcie == b->is_pcie &&
	       (!a->is_pcie || a->pcie_type == b->pcie_type);
}

static bool same_group(const struct pthru_group *a, const struct pthru_group *b)
{
	u32 i;

	if (a->id != b->id || a->domain_type != b->domain_type ||
	    a->isolated_msi != b->isolated_msi ||
	    a->nr_members != b->nr_members || a->nr_resv != b->nr_resv)
		return false;
	for (i = 0; i < a->nr_members; i++)
		if (a->members[i] != b->members[i])
			return false;
	for (i = 0; i < a->nr_resv; i++)
		if (a->resv[i].start != b->resv[i].start ||
		    a->resv[i].end != b->resv[i].end ||
		    a->resv[i].type != b->resv[i].type)
			return false;
	return true;
}

/*
 * The count is left out: it grows on every walk that sees the same thing
 * again, and that alone is no new state worth a new generation.
 */
static bool same_map_note(const struct pthru_map_note *a,
			  const struct pthru_map_note *b)
{
	return a->kind == b->kind && a->group_id == b->group_id &&
	       a->domain_id == b->domain_id && a->iova == b->iova &&
	       a->expected == b->expected && a->found == b->found &&
	       a->memory == b->memory;
}

/**
 * pthru_snapshot_same_host() - do two snapshots describe the same state?
 * @a: a finalized snapshot
 * @b: another finalized snapshot
 *
 * Compares everything a reader can see except the generation, so that a
 * rebuilt snapshot that differs in anything (a driver, a domain type, an
 * ACS control bit, a reserved region) counts as a change.  Fields that a
 * flag marks as not applicable (ACS registers without an ACS capability,
 * for example) are ignored.  Member indices are compared as indices, which
 * is exact because both function arrays have been compared first.  Map
 * notes are compared without their counts (see same_map_note()).
 *
 * Return: true when @a and @b are indistinguishable; false otherwise, or
 * when either is not finalized.
 */
bool pthru_snapshot_same_host(const struct pthru_snapshot *a,
			      const struct pthru_snapshot *b)
{
	u32 i;

	if (!a->finalized || !b->finalized)
		return false;
	if (a->iommu_present != b->iommu_present ||
	    strncmp(a->iommu_driver, b->iommu_driver, sizeof(a->iommu_driver)) ||
	    a->iommu_units != b->iommu_units ||
	    a->default_passthrough != b->default_passthrough ||
	    a->intr_remap != b->intr_remap ||
	    a->unsafe_interrupts != b->unsafe_interrupts ||
	    a->nr_devs != b->nr_devs || a->nr_groups != b->nr_groups ||
	    a->map_notes.nr != b->map_notes.nr)
		return false;
	for (i = 0; i < a->nr_devs; i++)
		if (!same_dev(&a->devs[i], &b->devs[i]))
			return false;
	for (i = 0; i < a->nr_groups; i++)
		if (!same_group(&a->groups[i], &b->groups[i]))
			return false;
	for (i = 0; i < a->map_notes.nr; i++)
		if (!same_map_note(&a->map_notes.items[i],
				   &b->map_notes.items[i]))
			return false;
	return true;
}
