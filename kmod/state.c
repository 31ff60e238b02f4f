// SPDX-License-Identifier: GPL-2.0
/*
 * Evaluated snapshots.  The pure core computes reachability
 * (pthru_isolation_compute()) and findings (pthru_hazards_evaluate()) from
 * a snapshot; this file binds the three into one reference-counted object,
 * so that a reader can never pair a finding set with a snapshot it was not
 * computed from.
 */
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "state.h"

/**
 * pthru_state_evaluate() - run the pure core on a snapshot
 * @snap: a finalized snapshot; the state takes a reference of its own
 *
 * Sleeps (GFP_KERNEL).
 *
 * Return: a state holding one reference, or an ERR_PTR.
 */
struct pthru_state *pthru_state_evaluate(struct pthru_snapshot *snap)
{
	struct pthru_state *state;
	int err;

	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return ERR_PTR(-ENOMEM);
	kref_init(&state->ref);

	err = pthru_isolation_compute(snap, &state->iso, GFP_KERNEL);
	if (err)
		goto err_free;
	err = pthru_hazards_evaluate(snap, &state->iso, &state->findings,
				     GFP_KERNEL);
	if (err)
		goto err_iso;

	pthru_snapshot_get(snap);
	state->snap = snap;
	return state;

err_iso:
	pthru_isolation_free(&state->iso);
err_free:
	kfree(state);
	return ERR_PTR(err);
}

/**
 * pthru_state_get() - take another reference
 * @state: the state
 */
void pthru_state_get(struct pthru_state *state)
{
	kref_get(&state->ref);
}

static void state_release(struct kref *ref)
{
	struct pthru_state *state = container_of(ref, struct pthru_state, ref);

	pthru_findings_free(&state->findings);
	pthru_isolation_free(&state->iso);
	pthru_snapshot_put(state->snap);
	kfree(state);
}

/**
 * pthru_state_put() - drop a reference; the last one frees the state
 * @state: the state, or NULL
 */
void pthru_state_put(struct pthru_state *state)
{
	if (state)
		kref_put(&state->ref, state_release);
}

/**
 * pthru_state_reach() - reachability of the function at @addr
 * @state: the state
 * @addr: packed PCI address
 *
 * Return: the entry, or NULL when @state's snapshot has no such function.
 */
const struct pthru_reach *pthru_state_reach(const struct pthru_state *state,
					    u32 addr)
{
	const struct pthru_dev *func = pthru_snapshot_find_dev(state->snap, addr);

	return func ? &state->iso.reach[func - state->snap->devs] : NULL;
}

/**
 * pthru_state_max_severity() - the severity of the worst finding
 * @state: the state
 *
 * Return: an enum pthru_severity value, or -1 when there is no finding.
 */
int pthru_state_max_severity(const struct pthru_state *state)
{
	int worst = -1;
	u32 i;

	for (i = 0; i < state->findings.nr; i++)
		worst = max_t(int, worst, state->findings.items[i].severity);
	return worst;
}
