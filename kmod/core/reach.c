// SPDX-License-Identifier: GPL-2.0
/*
 * Peer reachability from ACS hardware truth: see reach.h for the model.
 *
 * The walk for one function visits the hops of its upstream path.  At a
 * hop that does not isolate, the function can reach whole subtrees of the
 * topology (every function of a sibling downstream port, say); reaching a
 * subtree means sharing an isolation group with everything in it, so the
 * subtree is merged once into a union-find set and the function joins it.
 * That keeps the whole computation close to linear in the number of
 * functions, which matters for the 4,096-function benchmark.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "reach.h"

/* PCI Express Device/Port Types (PCIe r6.0, 7.5.3.2), as PCI_EXP_TYPE_*. */
#define PCIE_TYPE_ROOT_PORT	0x4
#define PCIE_TYPE_UPSTREAM	0x5
#define PCIE_TYPE_DOWNSTREAM	0x6
#define PCIE_TYPE_PCIE_TO_PCI	0x7
#define PCIE_TYPE_PCI_TO_PCIE	0x8

#define CLASS_BRIDGE_PCI	0x0604
#define CLASS_BRIDGE_SEMI	0x0609
#define CLASS_SYSTEM_IOMMU	0x0806

/* Scratch state of one pthru_isolation_compute() run. */
struct reach_ctx {
	const struct pthru_snapshot *snap;
	u32 n;
	u32 *child_start;	/* children of i: child[child_start[i] .. [i+1]) */
	u32 *child;
	u32 *endpoints;		/* endpoints in the subtree of i, i included */
	s32 *parent;		/* union-find over endpoints */
	bool *merged;		/* subtree of i is already one set */
	u32 *stack;
	bool any_sriov;		/* some function is a VF or a PF with VFs */
	s32 self;		/* the function being walked */
	u32 reached;
};

static const char * const hop_kind_names[] = {
	[PTHRU_HOP_FUNCTION] = "function",
	[PTHRU_HOP_DOWNSTREAM] = "downstream",
	[PTHRU_HOP_ROOT] = "root",
	[PTHRU_HOP_PCI_BUS] = "pci-bus",
	[PTHRU_HOP_PASS] = "upstream",
	[PTHRU_HOP_UNKNOWN] = "unclassified",
};

/**
 * pthru_hop_kind_name() - stable name of a hop kind
 * @kind: the kind
 *
 * Return: the name, "unknown" for a value out of range.
 */
const char *pthru_hop_kind_name(enum pthru_hop_kind kind)
{
	if ((unsigned int)kind >= ARRAY_SIZE(hop_kind_names))
		return "unknown";
	return hop_kind_names[kind];
}

/**
 * pthru_acs_flags_text() - ACS flag names, as messages quote them
 * @buf: output buffer
 * @len: size of @buf
 * @flags: PTHRU_ACS_* bits
 *
 * Return: the length written: the names in bit order separated by spaces
 * ("SV RR CR UF"), or "none".
 */
int pthru_acs_flags_text(char *buf, size_t len, u16 flags)
{
	static const char * const names[] = {
		"SV", "TB", "RR", "CR", "UF", "EC", "DT",
	};
	int used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & (1u << i))
			used += scnprintf(buf + used, len - used, "%s%s",
					  used ? " " : "", names[i]);
	if (!used)
		used = scnprintf(buf, len, "none");
	return used;
}

/**
 * pthru_dev_is_bridge() - is this function a PCI-to-PCI bridge (a port)?
 * @dev: the function
 *
 * Return: true for bridges, which forward traffic but are not assigned.
 */
bool pthru_dev_is_bridge(const struct pthru_dev *dev)
{
	u32 base_sub = dev->class >> 8;

	return base_sub == CLASS_BRIDGE_PCI || base_sub == CLASS_BRIDGE_SEMI;
}

/**
 * pthru_dev_is_iommu() - is this function the IOMMU itself?
 * @snap: the snapshot
 * @dev: the function
 *
 * AMD-Vi's IOMMU is a PCI function (class 0x0806, 00:00.2 on AMD
 * servers), which the kernel does not put behind itself: it has no IOMMU
 * group.  It is one when the kernel registered an IOMMU on it, or when it
 * has the IOMMU class and no group while an IOMMU is active.
 *
 * Return: true for the IOMMU's own function.
 */
bool pthru_dev_is_iommu(const struct pthru_snapshot *snap,
			const struct pthru_dev *dev)
{
	if (dev->iommu_self)
		return true;
	return (dev->class >> 8) == CLASS_SYSTEM_IOMMU && snap->iommu_present &&
	       dev->group_id == PTHRU_NO_GROUP;
}

/*
 * PCIe r6.0, 6.12.1.2: a single-function device with an SR-IOV capability
 * is a multi-function device for ACS once it has VFs, whatever its header
 * says (VFs never have the multi-function bit).  A PF without VFs has no
 * other function to talk to.
 */
static bool sriov_member(const struct pthru_dev *dev)
{
	return dev->is_vf || (dev->sriov && dev->sriov_vfs);
}

/* The slot that names a function's device: a VF's is its PF's. */
static u32 device_slot(const struct pthru_dev *dev)
{
	return (dev->is_vf ? dev->pf_addr : dev->addr) & ~7u;
}

/*
 * The function whose ACS governs a function's requests to the other
 * functions of its device: its own, except for a VF without an ACS
 * capability, which follows its PF's.
 */
static u32 governing_function(const struct pthru_snapshot *snap, u32 idx)
{
	const struct pthru_dev *dev = &snap->devs[idx];

	if (dev->is_vf && !dev->acs_pos && dev->pf_idx != PTHRU_NO_INDEX)
		return dev->pf_idx;
	return idx;
}

/**
 * pthru_sriov_pf() - the physical function of a function's SR-IOV device
 * @dev: the function
 * @addr: set to the PF's address (the function's own for a PF)
 *
 * Return: true for a PF (with an SR-IOV capability) or a VF.
 */
bool pthru_sriov_pf(const struct pthru_dev *dev, u32 *addr)
{
	if (!dev->is_vf && !dev->sriov)
		return false;
	*addr = dev->is_vf ? dev->pf_addr : dev->addr;
	return true;
}

/**
 * pthru_sriov_assumed() - is isolation inside an SR-IOV device assumed?
 * @dev: a PF or a VF
 * @pf: a VF's physical function, NULL when unknown (and for a PF)
 *
 * The function that governs @dev's requests to the other functions of its
 * device (itself, or a VF's PF when the VF has no ACS capability) has no
 * ACS capability: like a function of any multi-function device without
 * ACS, it is taken to have no internal peer-to-peer path.
 *
 * Return: true when that is an assumption, not a register reading.
 */
bool pthru_sriov_assumed(const struct pthru_dev *dev,
			 const struct pthru_dev *pf)
{
	if (dev->is_vf)
		return !dev->acs_pos && (!pf || !pf->acs_pos);
	return dev->sriov && !dev->acs_pos;
}

/**
 * pthru_same_sriov_device() - are two functions of one SR-IOV device?
 * @a: a function
 * @b: another
 *
 * Return: true when both belong to the SR-IOV device of one PF.
 */
bool pthru_same_sriov_device(const struct pthru_dev *a,
			     const struct pthru_dev *b)
{
	u32 pa, pb;

	return pthru_sriov_pf(a, &pa) && pthru_sriov_pf(b, &pb) && pa == pb;
}

static bool is_pcie_type(const struct pthru_dev *dev, u8 type)
{
	return dev->is_pcie && dev->pcie_type == type;
}

static bool same_slot(const struct pthru_dev *a, const struct pthru_dev *b)
{
	return (a->addr & ~7u) == (b->addr & ~7u);
}

static bool same_root_bus(const struct pthru_dev *a, const struct pthru_dev *b)
{
	return !a->has_upstream && !b->has_upstream &&
	       (a->addr >> 8) == (b->addr >> 8);
}

/**
 * pthru_hop_eval() - decide whether one hop isolates
 * @snap: the snapshot
 * @idx: index of the function or port
 * @kind: the role it plays on the path
 * @hop: filled in
 *
 * A flag the hop does not implement is not required of it, as in the
 * kernel's pci_acs_flags_enabled(): the spec makes RR and CR mandatory only
 * where peer-to-peer is possible.  A hop without an ACS capability does
 * not isolate, except a function (the spec requires ACS of functions that
 * can talk to each other) and a root port (the 2025 upstream rework keeps
 * treating those as having no internal loopback); both are "assumed".
 *
 * Before the registers, the host kernel's device-specific quirks are asked
 * (acs_quirks.h), as pci_acs_enabled() does: at root and downstream ports
 * for PTHRU_ACS_PORT_FLAGS, at a function of a multifunction device for
 * PTHRU_ACS_FUNC_FLAGS.  A quirk that answers decides the hop either way,
 * whatever the registers say; a conventional PCI bus and a forwarding-only
 * bridge make no decision the kernel would ask a quirk about.
 *
 * Return: @hop->isolates.
 */
bool pthru_hop_eval(const struct pthru_snapshot *snap, u32 idx,
		    enum pthru_hop_kind kind, struct pthru_hop *hop)
{
	const struct pthru_dev *dev = &snap->devs[idx];
	u16 need;

	memset(hop, 0, sizeof(*hop));
	hop->idx = idx;
	hop->kind = kind;

	switch (kind) {
	case PTHRU_HOP_PASS:
		hop->isolates = true;
		return true;
	case PTHRU_HOP_PCI_BUS:
		hop->missing = PTHRU_ACS_PORT_FLAGS;
		return false;
	case PTHRU_HOP_UNKNOWN:
		/* Not understood, so never isolating; no flag is claimed. */
		return false;
	case PTHRU_HOP_FUNCTION:
		need = PTHRU_ACS_FUNC_FLAGS;
		break;
	default:
		need = PTHRU_ACS_PORT_FLAGS;
		break;
	}

	if (pthru_acs_quirk_eval(snap, dev, need, &hop->quirk)) {
		hop->missing = hop->quirk.asked & ~hop->quirk.asserted;
		hop->isolates = hop->quirk.enabled;
		return hop->isolates;
	}
	if (!dev->acs_pos) {
		if (kind == PTHRU_HOP_FUNCTION || kind == PTHRU_HOP_ROOT) {
			hop->isolates = true;
			hop->assumed = true;
		} else {
			hop->missing = need;
		}
		return hop->isolates;
	}
	need &= dev->acs_cap;
	hop->missing = need & ~dev->acs_ctrl;
	hop->isolates = !hop->missing;
	return hop->isolates;
}

static s32 uf_find(s32 *parent, s32 i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static void uf_union(s32 *parent, s32 a, s32 b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a == b)
		return;
	/* The lower index (lower address) stays the root: deterministic. */
	if (a < b)
		parent[b] = a;
	else
		parent[a] = b;
}

/* Union every endpoint below @root into one set; return one of them. */
static s32 merge_subtree(struct reach_ctx *ctx, u32 root)
{
	const struct pthru_snapshot *snap = ctx->snap;
	s32 first = -1;
	u32 sp = 0, i, c;

	ctx->stack[sp++] = root;
	while (sp) {
		i = ctx->stack[--sp];
		if (!pthru_dev_is_bridge(&snap->devs[i])) {
			if (first < 0)
				first = i;
			else
				uf_union(ctx->parent, first, i);
		}
		for (c = ctx->child_start[i]; c < ctx->child_start[i + 1]; c++)
			ctx->stack[sp++] = ctx->child[c];
	}
	ctx->merged[root] = true;
	return first;
}

/* Any endpoint below @root: in a merged subtree it stands for all of them. */
static s32 first_endpoint(struct reach_ctx *ctx, u32 root)
{
	u32 sp = 0, i, c;

	ctx->stack[sp++] = root;
	while (sp) {
		i = ctx->stack[--sp];
		if (!pthru_dev_is_bridge(&ctx->snap->devs[i]))
			return i;
		for (c = ctx->child_start[i]; c < ctx->child_start[i + 1]; c++)
			ctx->stack[sp++] = ctx->child[c];
	}
	return -1;
}

/* @self can reach every function below @target (and @target itself). */
static void reach_subtree(struct reach_ctx *ctx, u32 target)
{
	s32 rep;

	if (!ctx->endpoints[target])
		return;
	rep = ctx->merged[target] ? first_endpoint(ctx, target) :
				    merge_subtree(ctx, target);
	if (rep >= 0)
		uf_union(ctx->parent, ctx->self, rep);
	ctx->reached += ctx->endpoints[target];
}

/* Reach the subtrees of the children of @bridge except @skip (and its slot). */
static void reach_siblings(struct reach_ctx *ctx, s32 bridge, u32 skip,
			   bool skip_slot)
{
	const struct pthru_snapshot *snap = ctx->snap;
	const struct pthru_dev *me = &snap->devs[skip];
	u32 c, t;

	for (c = ctx->child_start[bridge]; c < ctx->child_start[bridge + 1]; c++) {
		t = ctx->child[c];
		if (t == skip || (skip_slot && same_slot(&snap->devs[t], me)))
			continue;
		reach_subtree(ctx, t);
	}
}

/*
 * The functions of one bus, and so of one slot, are neighbours in the
 * address-sorted array: scan outwards from @idx while @same holds.
 */
static void reach_neighbours(struct reach_ctx *ctx, u32 idx,
			     bool (*same)(const struct pthru_dev *a,
					  const struct pthru_dev *b),
			     bool root_ports_only)
{
	const struct pthru_dev *devs = ctx->snap->devs;
	s32 t;

	for (t = (s32)idx - 1; t >= 0 && same(&devs[t], &devs[idx]); t--)
		if (!root_ports_only || is_pcie_type(&devs[t], PCIE_TYPE_ROOT_PORT))
			reach_subtree(ctx, t);
	for (t = idx + 1; t < (s32)ctx->n && same(&devs[t], &devs[idx]); t++)
		if (!root_ports_only || is_pcie_type(&devs[t], PCIE_TYPE_ROOT_PORT))
			reach_subtree(ctx, t);
}

/*
 * With SR-IOV, the functions of one device are not all neighbours in the
 * address-sorted array (VFs may sit on other slots, or on the next bus):
 * reach every function whose device slot is @idx's.
 */
static void reach_device(struct reach_ctx *ctx, u32 idx)
{
	const struct pthru_dev *devs = ctx->snap->devs;
	u32 slot = device_slot(&devs[idx]), t;

	for (t = 0; t < ctx->n; t++)
		if (t != idx && device_slot(&devs[t]) == slot &&
		    !pthru_dev_is_bridge(&devs[t]))
			reach_subtree(ctx, t);
}

/**
 * pthru_bridge_type_known() - does pthru know this bridge's port type?
 * @bridge: a bridge
 *
 * Return: true for a conventional bridge and for the PCIe port types that
 * forward requests (root, switch upstream and downstream, PCIe-to-PCI and
 * PCI-to-PCIe bridges); false for a bridge that calls itself an endpoint
 * or an event collector.
 */
bool pthru_bridge_type_known(const struct pthru_dev *bridge)
{
	if (!bridge->is_pcie)
		return true;
	return bridge->pcie_type >= PCIE_TYPE_ROOT_PORT &&
	       bridge->pcie_type <= PCIE_TYPE_PCI_TO_PCIE;
}

/*
 * Classify the hop a request from @cur meets at @cur's upstream bridge.
 * The bridge decides, not @cur: a function without a PCI Express
 * capability directly below a root or downstream port (QEMU puts many
 * emulated devices there) sits on that port's link, and the port's ACS
 * governs its requests as it does a PCIe endpoint's.  Only the secondary
 * bus of a conventional bridge or of a PCIe-to-PCI/PCI-X bridge is a
 * shared medium.
 */
static enum pthru_hop_kind parent_hop_kind(const struct pthru_dev *cur,
					   const struct pthru_dev *bridge)
{
	if (!pthru_dev_is_bridge(bridge))
		return PTHRU_HOP_UNKNOWN;
	if (!bridge->is_pcie || bridge->pcie_type == PCIE_TYPE_PCIE_TO_PCI)
		return PTHRU_HOP_PCI_BUS;
	if (!pthru_bridge_type_known(bridge))
		return PTHRU_HOP_UNKNOWN;
	if (bridge->pcie_type == PCIE_TYPE_DOWNSTREAM)
		return PTHRU_HOP_DOWNSTREAM;
	if (bridge->pcie_type == PCIE_TYPE_ROOT_PORT)
		return PTHRU_HOP_ROOT;
	return PTHRU_HOP_PASS;
}

/*
 * Walk the upstream path of function @idx, calling @fn on every hop.
 * With @ctx set, also collect what the function can reach.  Returns the
 * first non-zero value of @fn.
 */
static int walk(const struct pthru_snapshot *snap, u32 idx,
		struct reach_ctx *ctx,
		int (*fn)(const struct pthru_snapshot *snap,
			  const struct pthru_hop *hop, void *arg),
		void *arg)
{
	const struct pthru_dev *self = &snap->devs[idx];
	struct pthru_hop hop;
	bool slot_reached = false;
	s32 cur = idx, up;
	u32 steps = 0;
	int ret;

	if (self->multifunction || sriov_member(self)) {
		if (!pthru_hop_eval(snap, governing_function(snap, idx),
				    PTHRU_HOP_FUNCTION, &hop) && ctx) {
			if (ctx->any_sriov)
				reach_device(ctx, idx);
			else
				reach_neighbours(ctx, idx, same_slot, false);
			slot_reached = true;
		}
		ret = fn ? fn(snap, &hop, arg) : 0;
		if (ret)
			return ret;
	}

	while ((up = snap->devs[cur].upstream_idx) != PTHRU_NO_INDEX) {
		enum pthru_hop_kind kind;

		kind = parent_hop_kind(&snap->devs[cur], &snap->devs[up]);
		/* Upstream links that loop never reach a root: unclassified. */
		if (++steps > snap->nr_devs)
			kind = PTHRU_HOP_UNKNOWN;
		if (!pthru_hop_eval(snap, up, kind, &hop) && ctx) {
			if (kind == PTHRU_HOP_PCI_BUS || kind == PTHRU_HOP_UNKNOWN)
				reach_siblings(ctx, up, cur,
					       cur == (s32)idx && slot_reached);
			else if (kind == PTHRU_HOP_DOWNSTREAM &&
				 snap->devs[up].upstream_idx != PTHRU_NO_INDEX)
				reach_siblings(ctx, snap->devs[up].upstream_idx,
					       up, false);
			else if (kind == PTHRU_HOP_ROOT)
				reach_neighbours(ctx, up, same_root_bus, true);
		}
		ret = fn ? fn(snap, &hop, arg) : 0;
		if (ret)
			return ret;
		/* A request that reached the root complex meets the IOMMU. */
		if (kind == PTHRU_HOP_ROOT || steps > snap->nr_devs)
			break;
		cur = up;
	}
	return 0;
}

/**
 * pthru_path_walk() - visit the hops of a function's upstream path
 * @snap: a finalized snapshot
 * @idx: index of the function
 * @fn: called for each hop, nearest first; a non-zero return stops the walk
 * @ctx: passed to @fn
 *
 * Return: 0, -EINVAL for a bad index, or the first non-zero @fn return.
 */
int pthru_path_walk(const struct pthru_snapshot *snap, u32 idx,
		    int (*fn)(const struct pthru_snapshot *snap,
			      const struct pthru_hop *hop, void *ctx),
		    void *ctx)
{
	if (!snap->finalized || idx >= snap->nr_devs)
		return -EINVAL;
	return walk(snap, idx, NULL, fn, ctx);
}

/* What the walk of one function notes in its reach, and host-wide. */
struct note_ctx {
	struct pthru_reach *reach;
	bool *quirk_seen;	/* per device: a hop isolated by a quirk */
};

/*
 * A device is one hop at most (a port as a port, a function of a
 * multifunction endpoint as a function; bridges are never walked from),
 * so marking devices counts the quirk hops of the host once each.
 */
static int note_hop(const struct pthru_snapshot *snap,
		    const struct pthru_hop *hop, void *arg)
{
	struct note_ctx *note = arg;
	struct pthru_reach *reach = note->reach;

	if (!hop->isolates && reach->open.idx == PTHRU_NO_INDEX)
		reach->open = *hop;
	if (hop->kind == PTHRU_HOP_UNKNOWN && reach->unknown.idx == PTHRU_NO_INDEX)
		reach->unknown = *hop;
	if (hop->quirk.entry && hop->isolates) {
		if (!reach->nr_quirk_hops++)
			reach->quirk = *hop;
		note->quirk_seen[hop->idx] = true;
	}
	return 0;
}

static int build_tree(struct reach_ctx *ctx)
{
	const struct pthru_snapshot *snap = ctx->snap;
	u32 n = ctx->n, i, sp;
	u32 *fill, *order;
	s32 up;

	ctx->child_start = kcalloc(n + 1, sizeof(u32), GFP_KERNEL);
	ctx->child = kcalloc(n ? n : 1, sizeof(u32), GFP_KERNEL);
	fill = kcalloc(n + 1, sizeof(u32), GFP_KERNEL);
	order = kcalloc(n ? n : 1, sizeof(u32), GFP_KERNEL);
	if (!ctx->child_start || !ctx->child || !fill || !order) {
		kfree(fill);
		kfree(order);
		return -ENOMEM;
	}

	for (i = 0; i < n; i++) {
		up = snap->devs[i].upstream_idx;
		if (up != PTHRU_NO_INDEX)
			ctx->child_start[up + 1]++;
	}
	for (i = 0; i < n; i++)
		ctx->child_start[i + 1] += ctx->child_start[i];
	memcpy(fill, ctx->child_start, (n + 1) * sizeof(u32));
	for (i = 0; i < n; i++) {
		up = snap->devs[i].upstream_idx;
		if (up != PTHRU_NO_INDEX)
			ctx->child[fill[up]++] = i;
	}

	/* Endpoint counts per subtree: children before parents (DFS order). */
	sp = 0;
	for (i = 0; i < n; i++) {
		u32 head = sp, c, j;

		if (snap->devs[i].upstream_idx != PTHRU_NO_INDEX)
			continue;
		order[sp++] = i;
		for (j = head; j < sp; j++)
			for (c = ctx->child_start[order[j]];
			     c < ctx->child_start[order[j] + 1]; c++)
				order[sp++] = ctx->child[c];
	}
	while (sp--) {
		i = order[sp];
		if (!pthru_dev_is_bridge(&snap->devs[i]))
			ctx->endpoints[i]++;
		up = snap->devs[i].upstream_idx;
		if (up != PTHRU_NO_INDEX)
			ctx->endpoints[up] += ctx->endpoints[i];
	}
	kfree(fill);
	kfree(order);
	return 0;
}

/*
 * Every member of an isolation set that spans more than one IOMMU group
 * is in a group narrower than the hardware allows, whichever member the
 * walk met first.  Two passes: the first notes per set its first member
 * and one member of another group than the first's (@other, -1 while the
 * set has one group); the second marks every member of a mixed set with a
 * peer in another group.
 */
static void find_narrower(const struct pthru_snapshot *snap,
			  struct pthru_isolation *iso, s32 *parent,
			  s32 *first_in_set, s32 *other)
{
	struct pthru_reach *r;
	s32 root, first;
	u32 i;

	for (i = 0; i < iso->nr_devs; i++) {
		first_in_set[i] = -1;
		other[i] = -1;
	}
	for (i = 0; i < iso->nr_devs; i++) {
		if (pthru_dev_is_bridge(&snap->devs[i]) ||
		    snap->devs[i].group_id == PTHRU_NO_GROUP)
			continue;
		root = uf_find(parent, i);
		first = first_in_set[root];
		if (first < 0)
			first_in_set[root] = i;
		else if (other[root] < 0 &&
			 snap->devs[first].group_id != snap->devs[i].group_id)
			other[root] = i;
	}
	for (i = 0; i < iso->nr_devs; i++) {
		if (pthru_dev_is_bridge(&snap->devs[i]) ||
		    snap->devs[i].group_id == PTHRU_NO_GROUP)
			continue;
		root = uf_find(parent, i);
		if (other[root] < 0)
			continue;
		first = first_in_set[root];
		r = &iso->reach[i];
		r->narrower = true;
		r->narrower_peer =
			snap->devs[i].group_id == snap->devs[first].group_id ?
			other[root] : first;
	}
}

/**
 * pthru_isolation_compute() - reachability and isolation groups of a host
 * @snap: a finalized snapshot
 * @iso: filled in; free with pthru_isolation_free()
 * @gfp: allocation flags for @iso itself (scratch memory uses GFP_KERNEL)
 *
 * Return: 0, -EINVAL for a snapshot that is not finalized, or -ENOMEM.
 */
int pthru_isolation_compute(const struct pthru_snapshot *snap,
			    struct pthru_isolation *iso, gfp_t gfp)
{
	struct reach_ctx ctx = { .snap = snap, .n = snap->nr_devs };
	struct note_ctx note = {};
	s32 *number;
	u32 i;
	int ret = -ENOMEM;

	memset(iso, 0, sizeof(*iso));
	if (!snap->finalized)
		return -EINVAL;

	iso->reach = kcalloc(ctx.n ? ctx.n : 1, sizeof(*iso->reach), gfp);
	ctx.endpoints = kcalloc(ctx.n ? ctx.n : 1, sizeof(u32), GFP_KERNEL);
	ctx.parent = kcalloc(ctx.n ? ctx.n : 1, sizeof(s32), GFP_KERNEL);
	ctx.merged = kcalloc(ctx.n ? ctx.n : 1, sizeof(bool), GFP_KERNEL);
	ctx.stack = kcalloc(ctx.n ? ctx.n : 1, sizeof(u32), GFP_KERNEL);
	note.quirk_seen = kcalloc(ctx.n ? ctx.n : 1, sizeof(bool), GFP_KERNEL);
	if (!iso->reach || !ctx.endpoints || !ctx.parent || !ctx.merged ||
	    !ctx.stack || !note.quirk_seen)
		goto out;
	ret = build_tree(&ctx);
	if (ret)
		goto out;
	iso->nr_devs = ctx.n;

	for (i = 0; i < ctx.n; i++) {
		ctx.parent[i] = i;
		ctx.any_sriov |= sriov_member(&snap->devs[i]);
	}
	for (i = 0; i < ctx.n; i++) {
		struct pthru_reach *r = &iso->reach[i];

		r->open.idx = PTHRU_NO_INDEX;
		r->unknown.idx = PTHRU_NO_INDEX;
		r->quirk.idx = PTHRU_NO_INDEX;
		r->narrower_peer = PTHRU_NO_INDEX;
		r->iso_group = -1;
		if (pthru_dev_is_bridge(&snap->devs[i]))
			continue;
		ctx.self = i;
		ctx.reached = 0;
		note.reach = r;
		walk(snap, i, &ctx, note_hop, &note);
		r->reach_count = ctx.reached;
	}

	/* Number the isolation groups in address order of their first member. */
	number = (s32 *)ctx.stack;	/* reuse: same size, no longer needed */
	for (i = 0; i < ctx.n; i++)
		number[i] = -1;
	for (i = 0; i < ctx.n; i++) {
		s32 root;

		if (pthru_dev_is_bridge(&snap->devs[i]))
			continue;
		root = uf_find(ctx.parent, i);
		if (number[root] < 0)
			number[root] = iso->nr_iso_groups++;
		iso->reach[i].iso_group = number[root];
	}
	/* Scratch reused: the counts and the numbering are done with. */
	find_narrower(snap, iso, ctx.parent, (s32 *)ctx.endpoints,
		      (s32 *)ctx.stack);
	for (i = 0; i < ctx.n; i++)
		iso->quirk_hops += note.quirk_seen[i];
	ret = 0;
out:
	kfree(ctx.child_start);
	kfree(ctx.child);
	kfree(ctx.endpoints);
	kfree(ctx.parent);
	kfree(ctx.merged);
	kfree(ctx.stack);
	kfree(note.quirk_seen);
	if (ret)
		pthru_isolation_free(iso);
	return ret;
}

/**
 * pthru_isolation_free() - release what pthru_isolation_compute() allocated
 * @iso: the result; may be all zero
 */
void pthru_isolation_free(struct pthru_isolation *iso)
{
	kfree(iso->reach);
	memset(iso, 0, sizeof(*iso));
}
