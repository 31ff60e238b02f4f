/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An evaluated snapshot: the snapshot together with the peer reachability
 * and the findings computed from it.
 */
#ifndef _PTHRU_STATE_H
#define _PTHRU_STATE_H

#include <linux/kref.h>

#include "core/hazard.h"
#include "core/reach.h"
#include "core/snapshot.h"

/**
 * struct pthru_state - a snapshot and what the pure core concluded from it
 * @ref: reference count; the last pthru_state_put() frees
 * @snap: the snapshot (one reference held by the state)
 * @iso: reachability and isolation groups of @snap's functions
 * @findings: the findings of every rule on @snap, sorted by key
 *
 * The three never change after pthru_state_evaluate() and always belong
 * together: whoever holds a state reads findings of exactly that snapshot.
 */
struct pthru_state {
	struct kref ref;
	struct pthru_snapshot *snap;
	struct pthru_isolation iso;
	struct pthru_findings findings;
};

struct pthru_state *pthru_state_evaluate(struct pthru_snapshot *snap);
void pthru_state_get(struct pthru_state *state);
void pthru_state_put(struct pthru_state *state);
const struct pthru_reach *pthru_state_reach(const struct pthru_state *state,
					    u32 addr);
int pthru_state_max_severity(const struct pthru_state *state);

#endif /* _PTHRU_STATE_H */
