/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's device-specific ACS knowledge, as pthru carries it.
 *
 * Before the kernel reads a device's ACS registers it asks its quirk
 * table, pci_dev_acs_enabled[] in drivers/pci/quirks.c (through
 * pci_dev_specific_acs_enabled() in pci_acs_enabled()).  A quirk that
 * answers (0 or 1) decides: vendors assert isolation for root ports and
 * multi-function devices that have no ACS capability, some Intel PCH root
 * ports keep their ACS control at a non-standard offset, and a few quirks
 * declare a device not isolated whatever its registers say.  Only when no
 * quirk answers do the registers decide.
 *
 * pthru carries that table for each kernel it supports (Debian's 6.1 and
 * 6.12), entry by entry with its line in quirks.c, plus the device-ID lists
 * the quirk functions match on, and judges a device as the kernel would.
 * scripts/acs-quirks-check.py fails when the table and the pinned sources
 * disagree; Documentation/acs-quirks.rst says how to refresh it.
 */
#ifndef _PTHRU_CORE_ACS_QUIRKS_H
#define _PTHRU_CORE_ACS_QUIRKS_H

#include <linux/types.h>

#include "snapshot.h"

/* PCI_ANY_ID as the kernel's table compares it: (u16)PCI_ANY_ID. */
#define PTHRU_ACS_QUIRK_ANY_ID	0xffff

/**
 * enum pthru_acs_quirk_fn - the quirk functions of pci_dev_acs_enabled[]
 * @PTHRU_ACS_QUIRK_AMD_SB: pci_quirk_amd_sb_acs
 * @PTHRU_ACS_QUIRK_MF_ENDPOINT: pci_quirk_mf_endpoint_acs
 * @PTHRU_ACS_QUIRK_RCIEP: pci_quirk_rciep_acs
 * @PTHRU_ACS_QUIRK_QCOM_RP: pci_quirk_qcom_rp_acs
 * @PTHRU_ACS_QUIRK_INTEL_PCH: pci_quirk_intel_pch_acs
 * @PTHRU_ACS_QUIRK_INTEL_SPT_PCH: pci_quirk_intel_spt_pch_acs
 * @PTHRU_ACS_QUIRK_CAVIUM: pci_quirk_cavium_acs
 * @PTHRU_ACS_QUIRK_XGENE: pci_quirk_xgene_acs
 * @PTHRU_ACS_QUIRK_BRCM: pci_quirk_brcm_acs
 * @PTHRU_ACS_QUIRK_LOONGSON: pci_quirk_loongson_acs
 * @PTHRU_ACS_QUIRK_AL: pci_quirk_al_acs
 * @PTHRU_ACS_QUIRK_NXP_RP: pci_quirk_nxp_rp_acs
 * @PTHRU_ACS_QUIRK_ZHAOXIN_PORTS: pci_quirk_zhaoxin_pcie_ports_acs
 * @PTHRU_ACS_QUIRK_WANGXUN_NIC: pci_quirk_wangxun_nic_acs
 * @PTHRU_ACS_QUIRK_NR_FNS: number of quirk functions
 */
enum pthru_acs_quirk_fn {
	PTHRU_ACS_QUIRK_AMD_SB,
	PTHRU_ACS_QUIRK_MF_ENDPOINT,
	PTHRU_ACS_QUIRK_RCIEP,
	PTHRU_ACS_QUIRK_QCOM_RP,
	PTHRU_ACS_QUIRK_INTEL_PCH,
	PTHRU_ACS_QUIRK_INTEL_SPT_PCH,
	PTHRU_ACS_QUIRK_CAVIUM,
	PTHRU_ACS_QUIRK_XGENE,
	PTHRU_ACS_QUIRK_BRCM,
	PTHRU_ACS_QUIRK_LOONGSON,
	PTHRU_ACS_QUIRK_AL,
	PTHRU_ACS_QUIRK_NXP_RP,
	PTHRU_ACS_QUIRK_ZHAOXIN_PORTS,
	PTHRU_ACS_QUIRK_WANGXUN_NIC,
	PTHRU_ACS_QUIRK_NR_FNS,
};

/**
 * enum pthru_acs_quirk_kernel - the kernels whose table pthru carries
 * @PTHRU_ACS_QUIRK_KERNEL_6_1: Debian's linux-source-6.1; chosen for every
 *	kernel_version below 6.12.0, 0 (unknown) included
 * @PTHRU_ACS_QUIRK_KERNEL_6_12: Debian's linux-source-6.12; chosen for
 *	6.12.0 and every later kernel_version
 * @PTHRU_ACS_QUIRK_NR_KERNELS: number of kernels
 */
enum pthru_acs_quirk_kernel {
	PTHRU_ACS_QUIRK_KERNEL_6_1,
	PTHRU_ACS_QUIRK_KERNEL_6_12,
	PTHRU_ACS_QUIRK_NR_KERNELS,
};

/**
 * struct pthru_acs_quirk - one line of pci_dev_acs_enabled[]
 * @vendor: vendor ID, or PTHRU_ACS_QUIRK_ANY_ID
 * @device: device ID, or PTHRU_ACS_QUIRK_ANY_ID
 * @fn: enum pthru_acs_quirk_fn: the function the line names
 * @line: the line in drivers/pci/quirks.c of each kernel
 *	(enum pthru_acs_quirk_kernel), 0 when that kernel lacks the entry
 */
struct pthru_acs_quirk {
	u16 vendor;
	u16 device;
	u8 fn;
	u16 line[PTHRU_ACS_QUIRK_NR_KERNELS];
};

/**
 * struct pthru_acs_quirk_verdict - what a quirk decided for one device
 * @entry: the table line whose function answered
 * @kernel: enum pthru_acs_quirk_kernel whose table was used
 * @asked: the flags asked, after the quirk's own masking (the AMD
 *	southbridge quirk keeps RR CR EC DT, the Sunrise Point quirk keeps
 *	what the capability implements plus EC, as the kernel does)
 * @asserted: the flags the quirk treats as enabled (for the Sunrise Point
 *	quirk, the control dword read at acs_pos + 8)
 * @enabled: the quirk's answer: every flag of @asked is in @asserted
 * @unlisted: the quirk answered "not enabled" because the device ID is
 *	not in its list (Zhaoxin ports, Wangxun NICs)
 * @unread: the Sunrise Point quirk applies but the glue did not read the
 *	control dword at acs_pos + 8; pthru then judges "not enabled"
 */
struct pthru_acs_quirk_verdict {
	const struct pthru_acs_quirk *entry;
	u8 kernel;
	u16 asked;
	u16 asserted;
	bool enabled;
	bool unlisted;
	bool unread;
};

enum pthru_acs_quirk_kernel pthru_acs_quirk_kernel(u32 kernel_version);
const char *pthru_acs_quirk_kernel_name(enum pthru_acs_quirk_kernel kernel);
const char *pthru_acs_quirk_fn_name(enum pthru_acs_quirk_fn fn);
bool pthru_acs_quirk_eval(const struct pthru_snapshot *snap,
			  const struct pthru_dev *dev, u16 need,
			  struct pthru_acs_quirk_verdict *v);
bool pthru_acs_quirk_eval_table(const struct pthru_acs_quirk *table, u32 nr,
				enum pthru_acs_quirk_kernel kernel,
				const struct pthru_snapshot *snap,
				const struct pthru_dev *dev, u16 need,
				struct pthru_acs_quirk_verdict *v);
int pthru_acs_quirk_describe(const struct pthru_dev *dev,
			     const struct pthru_acs_quirk_verdict *v,
			     char *buf, size_t len);
u16 pthru_acs_quirk_ctrl(const struct pthru_dev *dev,
			 const struct pthru_acs_quirk_verdict *v);

extern const struct pthru_acs_quirk pthru_acs_quirk_table[];
extern const u32 pthru_acs_quirk_table_len;
extern const u16 pthru_acs_quirk_vendors[];
extern const u32 pthru_acs_quirk_vendors_len;

#endif /* _PTHRU_CORE_ACS_QUIRKS_H */
