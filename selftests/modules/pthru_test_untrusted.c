// SPDX-License-Identifier: GPL-2.0
/*
 * pthru_test_untrusted - for pthru's selftests only: while loaded, the PCI
 * function named by addr= is marked untrusted (pci_dev->untrusted).
 *
 * The kernel sets that flag only when it enumerates a function below an
 * external-facing port (Thunderbolt, firmware's ExternalFacingPort), which
 * QEMU cannot emulate, and nothing in sysfs can set it.  pthru's
 * identity-domain, ats-exposed and lazy-invalidation rules key on it, so
 * the selftests load this module, run an audit, and unload it, which puts
 * the old value back.  The kernel chose the function's IOMMU domain while
 * the function was trusted; an untrusted function in a domain the kernel
 * would not have given it is exactly what pthru must report.
 *
 * Not for a machine that matters: the kernel does not expect the flag to
 * change under a bound driver (DMA bouncing through swiotlb keys on it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>

static char *addr;
module_param(addr, charp, 0444);
MODULE_PARM_DESC(addr, "PCI function to mark untrusted, as DDDD:BB:DD.F");

static struct pci_dev *target;
static bool was_untrusted;

static int __init pthru_test_untrusted_init(void)
{
	unsigned int domain, bus, slot, func;
	char end;

	if (!addr || sscanf(addr, "%x:%x:%x.%x%c", &domain, &bus, &slot,
			    &func, &end) != 4 ||
	    domain > 0xffff || bus > 0xff || slot > 0x1f || func > 7) {
		pr_err("addr=%s is not a PCI address DDDD:BB:DD.F\n",
		       addr ? addr : "(not given)");
		return -EINVAL;
	}
	target = pci_get_domain_bus_and_slot(domain, bus,
					     PCI_DEVFN(slot, func));
	if (!target) {
		pr_err("no PCI function %s\n", addr);
		return -ENODEV;
	}
	/* The flag shares a word with others the PCI core sets under this lock. */
	pci_dev_lock(target);
	was_untrusted = target->untrusted;
	target->untrusted = 1;
	pci_dev_unlock(target);
	pci_info(target, "marked untrusted for pthru's selftests (was %s)\n",
		 was_untrusted ? "untrusted" : "trusted");
	return 0;
}

static void __exit pthru_test_untrusted_exit(void)
{
	pci_dev_lock(target);
	target->untrusted = was_untrusted;
	pci_dev_unlock(target);
	pci_info(target, "untrusted flag restored\n");
	pci_dev_put(target);
}

module_init(pthru_test_untrusted_init);
module_exit(pthru_test_untrusted_exit);
MODULE_DESCRIPTION("pthru selftests: mark one PCI function untrusted while loaded");
MODULE_LICENSE("GPL");
