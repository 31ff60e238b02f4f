/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences between the kernels pthru builds for (Debian's 6.1 and
 * 6.12).  Every compatibility #if of the module lives in this file, so that
 * the rest of the code reads as if there were only one kernel.
 *
 * The tests look for the feature itself instead of comparing
 * LINUX_VERSION_CODE: distribution kernels backport features (Debian's 6.1
 * has GENL_MCAST_CAP_NET_ADMIN, from 6.7), which makes a version number a
 * guess where a feature test is exact.
 */
#ifndef _PTHRU_COMPAT_H
#define _PTHRU_COMPAT_H

#include <linux/atomic.h>
#include <linux/iommu.h>
#include <linux/irqdomain.h>
#include <linux/kernel.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/*
 * Split genetlink ops came in 6.2 without a macro to test, so Kbuild looks
 * for struct genl_split_ops in the kernel's headers and defines
 * PTHRU_HAVE_SPLIT_OPS.  scripts/ynl-regen.sh derives the per-op table
 * that older kernels (Debian's 6.1) need from the same spec.
 */
#ifdef PTHRU_HAVE_SPLIT_OPS
#define PTHRU_NL_GENERATED	"gen/pthru-nl.c"
#else
#define PTHRU_NL_GENERATED	"gen/pthru-nl-legacy.c"
#endif

/*
 * pthru_ats_supported() - does @pdev have an ATS capability?
 *
 * The PCI core records the capability only when it is built with ATS.
 */
static inline bool pthru_ats_supported(struct pci_dev *pdev)
{
#ifdef CONFIG_PCI_ATS
	return pdev->ats_cap != 0;
#else
	return false;
#endif
}

/*
 * pthru_group_isolated_msi() - can the group's functions forge MSIs?
 *
 * True when interrupts from every function of @group are isolated
 * (interrupt remapping on x86).  Takes the group's mutex: never call it
 * from an iommu_group_for_each_dev() callback.
 *
 * iommu_group_has_isolated_msi() replaced IOMMU_CAP_INTR_REMAP in the
 * series that also gave <linux/msi.h> its arch_is_isolated_msi() macro
 * (6.3), the one part of that change the preprocessor can see.
 */
#ifdef arch_is_isolated_msi

static inline bool pthru_group_isolated_msi(struct iommu_group *group)
{
	return iommu_group_has_isolated_msi(group);
}

#else

static inline int pthru_member_lacks_intr_remap(struct device *dev,
						void *unused)
{
	return !device_iommu_capable(dev, IOMMU_CAP_INTR_REMAP);
}

/*
 * 6.1 has no group-level query.  Ask every member, and accept an MSI
 * controller that isolates by itself, as vfio_iommu_type1 of 6.1 does.
 */
static inline bool pthru_group_isolated_msi(struct iommu_group *group)
{
	return irq_domain_check_msi_remap() ||
	       !iommu_group_for_each_dev(group, NULL,
					 pthru_member_lacks_intr_remap);
}

#endif

/*
 * pthru_nl_set_err_msg_fmt() - set a formatted extended-ack message
 *
 * NL_SET_ERR_MSG_FMT() (6.2) formats into a buffer inside the extack
 * itself.  6.1 only stores a pointer, and netlink_ack() reads it
 * after the handler has returned, so the text must outlive the handler:
 * it is formatted into one of a ring of static buffers.  A buffer is reused
 * only after PTHRU_EXTACK_SLOTS further formatted messages; a reader that
 * is preempted that long between its handler and its ack could see another
 * request's text, never a torn or unterminated string, because the last
 * byte of every buffer is never written.
 */
#ifdef NL_SET_ERR_MSG_FMT

#define pthru_nl_set_err_msg_fmt(extack, fmt, args...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##args)

#else

#define PTHRU_EXTACK_SLOTS	64
#define PTHRU_EXTACK_LEN	80

static inline char *pthru_extack_slot(void)
{
	static char slots[PTHRU_EXTACK_SLOTS][PTHRU_EXTACK_LEN];
	static atomic_t next = ATOMIC_INIT(0);
	unsigned int slot = (unsigned int)atomic_inc_return(&next);

	return slots[slot % PTHRU_EXTACK_SLOTS];
}

#define pthru_nl_set_err_msg_fmt(extack, fmt, args...) do {		\
	struct netlink_ext_ack *__extack = (extack);			\
	char *__buf;							\
									\
	if (__extack) {							\
		__buf = pthru_extack_slot();				\
		snprintf(__buf, PTHRU_EXTACK_LEN - 1, fmt, ##args);	\
		__extack->_msg = __buf;					\
	}								\
} while (0)

#endif

#endif /* _PTHRU_COMPAT_H */
