// SPDX-License-Identifier: GPL-2.0
/*
 * The bind gate.
 *
 * A bus notifier cannot veto a bind, but BUS_NOTIFY_BIND_DRIVER runs in
 * the binding thread, under the device lock, after dev->driver is set and
 * before the PCI core reads the driver's probe pointer.  So on that event,
 * for a gated driver, the gate saves the driver's probe and puts its own
 * wrapper in its place; the very bind that triggered the wrap already
 * goes through the wrapper.  The wrapper evaluates the policy and, in
 * enforce mode, returns -EPERM instead of calling the driver: the writer
 * of .../drivers/vfio-pci/bind gets EPERM; the paths that swallow probe
 * errors (driver_override + drivers_probe, new_id, ids=, hotplug) leave
 * the device unbound, and the decision event says so.
 *
 * Every PCI bind is counted in flight, from BIND_DRIVER to the
 * BOUND_DRIVER or DRIVER_NOT_BOUND that always follows it in the same
 * thread, whether its driver is wrapped, gated or neither: a bind whose
 * driver was not gated at its BIND_DRIVER may still read the wrapper's
 * address, if a policy change gates the driver and another bind wraps it
 * before this one reaches the PCI core's read of the probe pointer.
 * Unloading restores every probe pointer under wrap_mutex, stops
 * counting, and waits for the count to drain before the notifier goes: a
 * thread that read the wrapper's address before the restore started
 * after the notifier was registered, so it is counted, and the wrapper's
 * code and its table stay until it has returned.
 *
 * That leaves the binds whose BIND_DRIVER ran before the notifier was
 * registered.  Loading waits for them (pthru_gate_init()): after the
 * registration it takes and drops the device lock of every PCI device
 * once, as driver_attach() does.  Each bind holds its device's lock from
 * before BIND_DRIVER until after BOUND_DRIVER or DRIVER_NOT_BOUND (every
 * bind goes through __driver_probe_device() under device_lock, and a
 * probe moved to another CPU by pci_call_probe() is waited for under it),
 * so once the lock has been taken every bind that started before the
 * registration is over.  A device that leaves the bus's list before the
 * pass reaches it cannot hide one: device_del() takes its lock and marks
 * it dead (kill_device()) before it unlinks it, which waits for its bind,
 * and a dead device binds no more.  Binds that start during the pass are
 * counted, and may wrap drivers meanwhile: an uncounted bind may then
 * enter the wrapper, which copes (it finds the wrap entry and no record),
 * and it is over before pthru_gate_init() returns, while the module cannot
 * be unloaded yet (delete_module() refuses a module that is not live).
 * The pass waits for slow probes as driver_attach() does, and for anything
 * else that holds a device lock: an unbind from vfio-pci waits under it
 * until userspace closes the device, and the load waits as long.  Nothing
 * holds a device lock while waiting for pthru to load (no driver requests
 * it), so the wait ends.
 *
 * A driver that a later policy no longer gates keeps its wrapper, which
 * then just calls the driver.  Restoring the pointer on a policy change
 * would need the policy writer to reach into the gate, and a bind that
 * has already read the wrapper's address must find its entry anyway; one
 * table lookup per bind is the whole cost.  When a wrapped driver's module
 * goes away (MODULE_STATE_GOING, after its exit has unregistered the
 * driver), its entry is dropped: the memory holding the pointer is about
 * to be freed.
 *
 * The decision runs in the wrapper, which may be a kworker (pci_call_probe
 * moves the probe to the device's NUMA node), so the process that asked
 * for the bind is captured at BIND_DRIVER, per device.
 */
#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "audit_log.h"
#include "compat.h"
#include "core/pciaddr.h"
#include "gate.h"
#include "inventory.h"
#include "nl_policy.h"
#include "policy_state.h"
#include "shadow.h"
#include "store.h"

/*
 * Distinct driver structures the gate can wrap.  The default list names
 * three drivers and a suffix no Debian driver has; a static table means a
 * bind never fails to be gated for want of memory.
 */
#define GATE_MAX_WRAPS	32

typedef int (*pci_probe_fn)(struct pci_dev *pdev,
			    const struct pci_device_id *id);

struct wrap {
	struct pci_driver *pdrv;
	pci_probe_fn orig;
};

/* The process that asked for a bind. */
struct requester {
	pid_t pid;
	u32 uid;
	char comm[TASK_COMM_LEN];
};

/* A bind in flight, from BIND_DRIVER to its end. */
struct bind_record {
	struct list_head node;
	struct device *dev;
	struct requester who;
};

static DEFINE_MUTEX(wrap_mutex);
static struct wrap wraps[GATE_MAX_WRAPS];	/* under wrap_mutex */
static unsigned int nr_wraps;			/* under wrap_mutex */
static LIST_HEAD(bind_records);			/* under wrap_mutex */
static bool stopping;				/* under wrap_mutex */
/* Changed under wrap_mutex; atomic so that wait_event() can read it. */
static atomic_t inflight = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(drain_wq);

static int gate_probe(struct pci_dev *pdev, const struct pci_device_id *id);

static struct wrap *find_wrap(const struct pci_driver *pdrv)
{
	unsigned int i;

	lockdep_assert_held(&wrap_mutex);
	for (i = 0; i < nr_wraps; i++)
		if (wraps[i].pdrv == pdrv)
			return &wraps[i];
	return NULL;
}

static struct bind_record *find_record(const struct device *dev)
{
	struct bind_record *rec;

	lockdep_assert_held(&wrap_mutex);
	list_for_each_entry(rec, &bind_records, node)
		if (rec->dev == dev)
			return rec;
	return NULL;
}

/* Put the wrapper in front of @pdrv's probe; NULL when it cannot be. */
static struct wrap *wrap_driver(struct pci_driver *pdrv)
{
	struct wrap *w;

	lockdep_assert_held(&wrap_mutex);
	/*
	 * Without a probe the PCI core binds without matching or asking the
	 * driver; a wrapper would change that, so such a driver is left as
	 * it is (no passthrough driver lacks a probe).
	 */
	if (!pdrv->probe || pdrv->probe == gate_probe) {
		pr_warn_once("%s: no probe to gate\n", pdrv->name);
		return NULL;
	}
	if (nr_wraps == GATE_MAX_WRAPS) {
		pr_err_ratelimited("%s: more than %d gated drivers; its binds are not gated\n",
				   pdrv->name, GATE_MAX_WRAPS);
		return NULL;
	}
	w = &wraps[nr_wraps++];
	w->pdrv = pdrv;
	w->orig = pdrv->probe;
	WRITE_ONCE(pdrv->probe, gate_probe);
	pr_info("gating binds to %s\n", pdrv->name);
	return w;
}

static void capture_current(struct requester *who)
{
	who->pid = task_tgid_nr(current);
	who->uid = from_kuid(&init_user_ns, current_uid());
	get_task_comm(who->comm, current);
}

/*
 * BUS_NOTIFY_BIND_DRIVER: wrap a gated driver, count the bind.  Every
 * bind is counted, wrapped or not (see the top of this file).
 */
static void bind_starts(struct device *dev)
{
	struct device_driver *drv = dev->driver;
	struct pthru_active_policy *ap;
	struct bind_record *rec;
	struct pci_driver *pdrv;
	bool gated;

	if (!drv)
		return;
	pdrv = to_pci_driver(drv);
	ap = pthru_policy_active_get();
	gated = pthru_policy_gates(ap, drv->name);
	pthru_policy_active_put(ap);

	mutex_lock(&wrap_mutex);
	if (stopping)
		goto unlock;
	if (gated && !find_wrap(pdrv))
		wrap_driver(pdrv);
	/* A device binds once at a time: a record left over is reused. */
	rec = find_record(dev);
	if (!rec) {
		/*
		 * A few dozen bytes in process context: failing would let
		 * the bind through uncounted, so the allocation may not.
		 */
		rec = kzalloc(sizeof(*rec), GFP_KERNEL | __GFP_NOFAIL);
		rec->dev = dev;
		list_add(&rec->node, &bind_records);
		atomic_inc(&inflight);
	}
	capture_current(&rec->who);
unlock:
	mutex_unlock(&wrap_mutex);
}

/* BUS_NOTIFY_BOUND_DRIVER or DRIVER_NOT_BOUND: the bind is over. */
static void bind_ends(struct device *dev)
{
	struct bind_record *rec;

	mutex_lock(&wrap_mutex);
	rec = find_record(dev);
	if (rec) {
		list_del(&rec->node);
		if (atomic_dec_and_test(&inflight))
			wake_up(&drain_wq);
	}
	mutex_unlock(&wrap_mutex);
	kfree(rec);
}

static int gate_bus_event(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct device *dev = data;

	/* The event numbers differ between 6.1 and 6.12: names only. */
	switch (action) {
	case BUS_NOTIFY_BIND_DRIVER:
		/* Before the driver's probe can give the function a domain. */
		pthru_shadow_bind(dev);
		bind_starts(dev);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
	case BUS_NOTIFY_DRIVER_NOT_BOUND:
		bind_ends(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block gate_bus_nb = {
	.notifier_call = gate_bus_event,
};

/*
 * MODULE_STATE_GOING comes after the module's exit (which unregistered its
 * drivers, so none of their binds is in flight) and before its memory is
 * freed: forget its drivers, and never write to them again.
 */
static int gate_module_event(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct module *mod = data;
	unsigned int i;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&wrap_mutex);
	for (i = 0; i < nr_wraps; ) {
		if (wraps[i].pdrv->driver.owner == mod) {
			pr_info("%s is going: no longer gating its binds\n",
				wraps[i].pdrv->name);
			wraps[i] = wraps[--nr_wraps];
		} else {
			i++;
		}
	}
	mutex_unlock(&wrap_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block gate_module_nb = {
	.notifier_call = gate_module_event,
};

/* Does the snapshot still show @pdev's group as the kernel has it? */
struct member_check {
	const struct pthru_snapshot *snap;
	const struct device *self;
	s32 group_idx;
	u32 seen;
	enum pthru_domain_type domain_type;	/* the group's, in the snapshot */
	bool domain_checked;
	struct pthru_path_buses buses;		/* of every PCI member */
};

static bool pdev_addr(struct pci_dev *pdev, u32 *addr)
{
	int domain = pci_domain_nr(pdev->bus);

	if (domain < 0 || domain > 0xffff)
		return false;
	*addr = PTHRU_PCIADDR(domain, pdev->bus->number, pdev->devfn);
	return true;
}

/*
 * iommu_group_for_each_dev() callback, group mutex held: reads only.  The
 * group's current domain (replaced only under this mutex), then per PCI
 * member its record, its driver and whether ATS is on; its buses are
 * noted for the ACS reading that follows outside the mutex.
 */
static int member_differs(struct device *dev, void *data)
{
	struct member_check *mc = data;
	char driver[PTHRU_DRIVER_NAME_LEN] = "";
	const struct device_driver *drv;
	const struct pthru_dev *func;
	struct pci_dev *pdev;
	u32 addr;

	if (!mc->domain_checked) {
		mc->domain_checked = true;
		if (pthru_domain_type_of(iommu_get_domain_for_dev(dev)) !=
		    mc->domain_type)
			return 1;
	}
	if (!dev_is_pci(dev))
		return 0;	/* not inventoried */
	pdev = to_pci_dev(dev);
	if (!pdev_addr(pdev, &addr))
		return 1;
	func = pthru_snapshot_find_dev(mc->snap, addr);
	if (!func || func->group_idx != mc->group_idx)
		return 1;
	mc->seen++;
	if (pdev->ats_enabled != func->ats_enabled)
		return 1;
	pthru_path_buses_add(&mc->buses, pdev);
	/* The subject's own driver is the one being bound: not compared. */
	if (dev == mc->self)
		return 0;
	drv = READ_ONCE(dev->driver);
	if (drv)
		strscpy(driver, drv->name, sizeof(driver));
	return strcmp(driver, func->driver) != 0;
}

/*
 * Is the snapshot still right about what a decision on @pdev reads?  The
 * store is rebuilt after bus events by a work item, and some changes raise
 * no event at all, so this reads the live kernel for each of the
 * requirements' facts that can change at run time (Documentation/policy.rst,
 * "What the gate re-reads at bind time"):
 *
 * - the group's membership and the members' drivers (viable-group; right
 *   after "unbind the other functions, then bind this one" the rebuild
 *   that follows the unbind events may not have run yet);
 * - the group's current domain type (translated, strict-invalidation: a
 *   write to /sys/kernel/iommu_groups/N/type raises no event);
 * - whether ATS is enabled on each member (no-ats);
 * - whether the group isolates MSIs (isolated-msi);
 * - the functions on the buses of every member's path to the root and
 *   their ACS control registers (acs-isolated: setpci raises no event and
 *   the ACS poll may be off or not due yet).
 *
 * One group mutex and a handful of config reads: cheap enough for every
 * bind.  Anything else is fixed once the function and its group exist.
 */
static bool state_current(const struct pthru_state *state,
			  struct pci_dev *pdev)
{
	const struct pthru_snapshot *snap = state->snap;
	struct member_check mc = { .snap = snap, .self = &pdev->dev };
	const struct pthru_group *pgroup;
	const struct pthru_dev *func;
	struct iommu_group *group;
	enum pthru_tristate msi;
	bool same;
	u32 addr;

	if (!pdev_addr(pdev, &addr))
		return true;	/* never inventoried: rebuilding cannot help */
	func = pthru_snapshot_find_dev(snap, addr);
	if (!func)
		return false;
	group = iommu_group_get(&pdev->dev);
	if (!group)	/* every requirement but no-ats is unmet anyway */
		return func->group_idx == PTHRU_NO_INDEX &&
		       func->ats_enabled == pdev->ats_enabled;
	same = func->group_idx != PTHRU_NO_INDEX &&
	       func->group_id == iommu_group_id(group);
	if (same) {
		pgroup = &snap->groups[func->group_idx];
		mc.group_idx = func->group_idx;
		mc.domain_type = pgroup->domain_type;
		same = !iommu_group_for_each_dev(group, &mc, member_differs) &&
		       mc.seen == pgroup->nr_members;
	}
	if (same) {
		/* Takes the group mutex itself, on 6.12. */
		msi = pthru_group_isolated_msi(group) ? PTHRU_TRISTATE_YES :
							PTHRU_TRISTATE_NO;
		same = msi == pgroup->isolated_msi;
	}
	iommu_group_put(group);
	return same && pthru_inventory_paths_current(snap, &mc.buses);
}

/*
 * A state of the host as it is now, for this decision only.  It is built
 * and evaluated the way the store does (store.c), but without the store's
 * rebuild_lock: a bind, which holds its device's lock, never waits for a
 * reader's rebuild, and a private build records no ACS baseline, which is
 * what keeps the store's builds apart (inventory.c).  It is never
 * published: the bus notifier's work publishes the host's state after the
 * bind's events.  So it keeps generation 0, which no published state has.
 * The inventory takes no device lock, only group mutexes, which order
 * after ours (inventory.c).  vfio_iommu_type1's parameter is its last
 * reading by the store: under the device lock its sysfs file may not be
 * read (pthru_inventory_read_params()).
 */
static struct pthru_state *private_state(void)
{
	struct pthru_snapshot *snap;
	struct pthru_state *state;

	snap = pthru_inventory_build_private();
	if (IS_ERR(snap))
		return ERR_CAST(snap);
	snap->generation = 0;
	state = pthru_state_evaluate(snap);
	pthru_snapshot_put(snap);
	return state;
}

/*
 * The state to decide by: the store's when it is still right about
 * @pdev, else a private one.  Return: a state with a reference, or an
 * ERR_PTR when the store's is stale and no fresh one could be made (the
 * decision is then unevaluated: a stale state is what this avoids).
 */
static struct pthru_state *decision_state(struct pci_dev *pdev)
{
	struct pthru_state *state = pthru_store_get(), *fresh;

	if (state_current(state, pdev))
		return state;
	pthru_state_put(state);
	fresh = private_state();
	if (IS_ERR(fresh))
		pr_warn_ratelimited("%s: cannot read the host for a bind decision: %pe\n",
				    pci_name(pdev), fresh);
	return fresh;
}

/* The kernel-log line of a refusal, or of what enforce would refuse. */
static void log_refusal(const struct pthru_decision_event *ev)
{
	char reqs[PTHRU_POLICY_REQS_BUFSZ];
	const struct pthru_decision *d = &ev->decision;
	const char *what = ev->outcome == PTHRU_OUTCOME_AUDITED ?
			   "would be denied (audit mode)" : "denied";
	char rule[24];

	if (!ev->evaluated) {
		pr_notice_ratelimited("%s: bind to %s denied: cannot evaluate (not in pthru's inventory, or the host could not be read)\n",
				      ev->addr, ev->driver);
		return;
	}
	if (d->by_default)
		strscpy(rule, "the default", sizeof(rule));
	else
		snprintf(rule, sizeof(rule), "rule %u", d->rule_id);
	pr_notice_ratelimited("%s: bind to %s %s by %s%s%s\n", ev->addr,
			      ev->driver, what, rule,
			      d->unmet ? ", unmet " : "",
			      pthru_policy_reqs_str(d->unmet, reqs,
						    sizeof(reqs)));
}

/*
 * Decide for a bind of @pdev to @driver under @ap.  Fills @ev's decision
 * and outcome.  Return: true when the bind must be refused.
 */
static bool decide(const struct pthru_active_policy *ap, struct pci_dev *pdev,
		   struct pthru_decision_event *ev)
{
	struct pthru_state *state;

	ev->mode = ap->mode;
	ev->policy_generation = ap->generation;
	if (ap->mode == PTHRU_POLICY_MODE_OFF) {
		ev->outcome = PTHRU_OUTCOME_UNEVALUATED;
		return false;
	}

	state = decision_state(pdev);
	if (IS_ERR(state)) {
		ev->evaluated = false;
		memset(&ev->decision, 0, sizeof(ev->decision));
		ev->decision.verdict = PTHRU_POLICY_ACTION_DENY;
	} else {
		ev->evaluated = !pthru_policy_evaluate(&ap->policy, state, pdev,
						       ev->driver,
						       &ev->decision);
		pthru_state_put(state);
	}

	if (!ev->evaluated) {
		/* Fail closed: what cannot be judged is not isolated. */
		ev->outcome = PTHRU_OUTCOME_UNEVALUATED;
		return ap->mode == PTHRU_POLICY_MODE_ENFORCE;
	}
	if (ev->decision.verdict == PTHRU_POLICY_ACTION_ALLOW) {
		ev->outcome = PTHRU_OUTCOME_ALLOWED;
		return false;
	}
	if (ap->mode == PTHRU_POLICY_MODE_AUDIT) {
		ev->outcome = PTHRU_OUTCOME_AUDITED;
		return false;
	}
	ev->outcome = PTHRU_OUTCOME_DENIED;
	return true;
}

/* The probe of every wrapped driver; runs under the device's lock. */
static int gate_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pci_driver *pdrv = to_pci_driver(pdev->dev.driver);
	struct pthru_decision_event ev = {};
	struct pthru_active_policy *ap;
	struct bind_record *rec;
	struct requester who;
	pci_probe_fn orig = NULL;
	struct wrap *w;
	bool refuse;

	mutex_lock(&wrap_mutex);
	w = find_wrap(pdrv);
	if (w)
		orig = w->orig;
	rec = find_record(&pdev->dev);
	if (rec)
		who = rec->who;
	mutex_unlock(&wrap_mutex);
	if (!rec)
		capture_current(&who);	/* began before the notifier was registered */
	if (!orig) {
		/*
		 * Cannot happen: an entry outlives every thread that read the
		 * wrapper's address.  Not a WARN: hosts that run with
		 * panic_on_warn would go down for a bind that is refused.
		 */
		pr_err_ratelimited("%s: bind to %s: no saved probe, refused\n",
				   pci_name(pdev), pdrv->name);
		return -ENODEV;
	}

	ap = pthru_policy_active_get();
	if (!pthru_policy_gates(ap, pdrv->name)) {
		pthru_policy_active_put(ap);
		return orig(pdev, id);
	}
	ev.pid = who.pid;
	ev.uid = who.uid;
	memcpy(ev.comm, who.comm, sizeof(ev.comm));
	strscpy(ev.addr, pci_name(pdev), sizeof(ev.addr));
	strscpy(ev.driver, pdrv->name, sizeof(ev.driver));
	refuse = decide(ap, pdev, &ev);
	pthru_policy_active_put(ap);

	pthru_policy_count(refuse ? PTHRU_OUTCOME_DENIED : ev.outcome);
	if (refuse || ev.outcome == PTHRU_OUTCOME_AUDITED)
		log_refusal(&ev);
	pthru_nl_notify_decision(&ev);
	pthru_audit_decision(&ev);
	if (refuse)
		return -EPERM;
	return orig(pdev, id);
}

/* bus_for_each_dev() callback: wait for a bind in progress on @dev. */
static int wait_for_bind(struct device *dev, void *unused)
{
	device_lock(dev);
	device_unlock(dev);
	return 0;
}

/**
 * pthru_gate_init() - start gating binds
 *
 * The policy state, the store and the netlink family must be up: the
 * first bind may come as soon as the notifier is registered.  Nothing is
 * wrapped before the first gated bind, so a failure leaves nothing behind.
 * Returns only once every bind that began before the notifier was
 * registered, and so is not counted, is over (see the top of this file).
 * Sleeps, for as long as the slowest of those probes.
 *
 * Return: 0 or a negative errno.
 */
int pthru_gate_init(void)
{
	int err;

	err = register_module_notifier(&gate_module_nb);
	if (err) {
		pr_err("cannot register a module notifier: %d\n", err);
		return err;
	}
	err = bus_register_notifier(&pci_bus_type, &gate_bus_nb);
	if (err) {
		pr_err("cannot register the bind gate's PCI bus notifier: %d\n",
		       err);
		unregister_module_notifier(&gate_module_nb);
		return err;
	}
	bus_for_each_dev(&pci_bus_type, NULL, NULL, wait_for_bind);
	return 0;
}

/**
 * pthru_gate_exit() - restore every probe pointer and wait for binds
 *
 * After the restore no bind reaches the wrapper except one that read its
 * address before, and such a bind is counted (every bind since the
 * notifier was registered is, and pthru_gate_init() waited for the ones
 * before); the notifier stays until the count drains so that it sees the
 * end of each of them.  Sleeps, for as long as the slowest PCI probe in
 * progress.
 */
void pthru_gate_exit(void)
{
	struct bind_record *rec, *next;
	unsigned int i;

	mutex_lock(&wrap_mutex);
	stopping = true;
	for (i = 0; i < nr_wraps; i++)
		if (READ_ONCE(wraps[i].pdrv->probe) == gate_probe)
			WRITE_ONCE(wraps[i].pdrv->probe, wraps[i].orig);
	mutex_unlock(&wrap_mutex);

	wait_event(drain_wq, !atomic_read(&inflight));
	/* Waits for notifier calls in progress. */
	bus_unregister_notifier(&pci_bus_type, &gate_bus_nb);
	unregister_module_notifier(&gate_module_nb);

	mutex_lock(&wrap_mutex);
	nr_wraps = 0;
	list_for_each_entry_safe(rec, next, &bind_records, node) {
		list_del(&rec->node);
		kfree(rec);
	}
	mutex_unlock(&wrap_mutex);
}
