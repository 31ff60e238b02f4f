// SPDX-License-Identifier: GPL-2.0
/*
 * The ACS control baseline: the value of each function's ACS control
 * register as pthru first read it, at load or when the function appeared.
 *
 * The kernel forms IOMMU groups from the ACS registers at enumeration and
 * never looks again, so a later write (setpci, a driver, firmware) leaves
 * the groups describing isolation the hardware no longer provides.  The
 * hazard rules compare every reading with this baseline (acs-changed).
 *
 * The table maps a packed PCI address to its value in an xarray, which
 * locks itself: the inventory build (under the store's rebuild mutex) and
 * the bus notifier (in the thread that adds or removes a device) use it
 * concurrently.  An entry goes when its function is removed, and every
 * build also drops entries of functions it did not find, in case a build
 * that raced with the removal wrote one back.
 */
#include <linux/pci.h>
#include <linux/xarray.h>

#include "acs_baseline.h"

static DEFINE_XARRAY(baselines);

/**
 * pthru_acs_baseline_note() - the baseline of a function, recorded if new
 * @addr: packed PCI address
 * @ctrl: the ACS control value just read
 *
 * Sleeps (GFP_KERNEL).
 *
 * Return: the recorded baseline; @ctrl itself when there was none and
 * @ctrl became the baseline, or could not be recorded (unreadable value,
 * out of memory: the next reading tries again).
 */
u16 pthru_acs_baseline_note(u32 addr, u16 ctrl)
{
	void *old;

	old = xa_load(&baselines, addr);
	if (old)
		return xa_to_value(old);
	/*
	 * All ones is what a config read returns when the function does not
	 * answer (surprise removal, D3cold): never a baseline.
	 */
	if (PCI_POSSIBLE_ERROR(ctrl))
		return ctrl;
	old = xa_cmpxchg(&baselines, addr, NULL, xa_mk_value(ctrl),
			 GFP_KERNEL);
	/* Another reader recorded it first: that one is the baseline. */
	if (old && !xa_is_err(old))
		return xa_to_value(old);
	return ctrl;
}

/**
 * pthru_acs_baseline_peek() - the baseline of a function, never recorded
 * @addr: packed PCI address
 * @ctrl: the ACS control value just read
 *
 * For snapshots that are never published (the bind gate's private
 * builds): they run beside the store's builds and the bus notifier, so
 * they neither record a baseline nor forget one.
 *
 * Return: the recorded baseline, or @ctrl when there is none.
 */
u16 pthru_acs_baseline_peek(u32 addr, u16 ctrl)
{
	void *old = xa_load(&baselines, addr);

	return old ? xa_to_value(old) : ctrl;
}

/**
 * pthru_acs_baseline_forget() - a function went away
 * @addr: packed PCI address
 */
void pthru_acs_baseline_forget(u32 addr)
{
	xa_erase(&baselines, addr);
}

/**
 * pthru_acs_baseline_prune() - forget every function a build did not find
 * @snap: a finalized snapshot of the whole host
 */
void pthru_acs_baseline_prune(const struct pthru_snapshot *snap)
{
	const struct pthru_dev *func;
	unsigned long addr;
	void *entry;

	xa_for_each(&baselines, addr, entry) {
		func = pthru_snapshot_find_dev(snap, addr);
		if (!func || !func->acs_pos)
			xa_erase(&baselines, addr);
	}
}

/**
 * pthru_acs_baseline_exit() - forget everything (module unload)
 */
void pthru_acs_baseline_exit(void)
{
	xa_destroy(&baselines);
}
