// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's device-specific ACS quirks (drivers/pci/quirks.c), judged as
 * the kernel judges them: see acs_quirks.h, and Documentation/acs-quirks.rst
 * for how the table is kept current.
 *
 * The table and the ID lists below are checked against the pinned sources
 * by scripts/acs-quirks-check.py, which also compares a fingerprint of the
 * body of every kernel function this file reproduces (whitespace and
 * comments ignored).  When one changes, read the new body, update the
 * judge below, then the fingerprint:
 *
 * fingerprint pci_acs_ctrl_enabled 87081c6bd79ef08b
 * fingerprint pci_dev_specific_acs_enabled fa9e09864f2ce220
 * fingerprint pci_quirk_amd_sb_acs 4d24476e68344a0a
 * fingerprint pci_quirk_cavium_acs_match 7bee25e06b148296
 * fingerprint pci_quirk_cavium_acs 0376312d359c4cdb
 * fingerprint pci_quirk_xgene_acs 8b053a350140fafa
 * fingerprint pci_quirk_zhaoxin_pcie_ports_acs f8166a2bda70f353
 * fingerprint pci_quirk_intel_pch_acs_match 4dfd6cb5ebcaf25b
 * fingerprint pci_quirk_intel_pch_acs 3f64246086121d8a
 * fingerprint pci_quirk_qcom_rp_acs ad5c3f628f73ab92
 * fingerprint pci_quirk_nxp_rp_acs 7b1c5af34540cf10
 * fingerprint pci_quirk_al_acs e50ca890c45f73fe
 * fingerprint pci_quirk_intel_spt_pch_acs_match b55cc3fe411bea7c
 * fingerprint pci_quirk_intel_spt_pch_acs 1e3b691b5cf3c4c0
 * fingerprint pci_quirk_mf_endpoint_acs 610e6a0650e2db63
 * fingerprint pci_quirk_rciep_acs d6f96893038e8458
 * fingerprint pci_quirk_brcm_acs b0aaf7c629a87b46
 * fingerprint pci_quirk_loongson_acs d731e58d048c3958
 * fingerprint pci_quirk_wangxun_nic_acs 22a164dbcf6e35d4
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "acs_quirks.h"
#include "reach.h"

/* PCI Express Device/Port Types (PCIe r6.0, 7.5.3.2), as PCI_EXP_TYPE_*. */
#define PCIE_TYPE_ROOT_PORT	0x4
#define PCIE_TYPE_DOWNSTREAM	0x6
#define PCIE_TYPE_RC_END	0x9

/* The flags most quirks assert: what a root or downstream port needs. */
#define QUIRK_PORT_FLAGS	(PTHRU_ACS_SV | PTHRU_ACS_RR | PTHRU_ACS_CR | \
				 PTHRU_ACS_UF)

/* KERNEL_VERSION(6, 12, 0), without <linux/version.h> in the core. */
#define PTHRU_KV_6_12		((6u << 16) | (12u << 8))

struct id_range {
	u16 lo;
	u16 hi;
};

struct quirk_fn_info {
	const char *name;
};

static const struct quirk_fn_info quirk_fns[PTHRU_ACS_QUIRK_NR_FNS] = {
	[PTHRU_ACS_QUIRK_AMD_SB] = { "pci_quirk_amd_sb_acs" },
	[PTHRU_ACS_QUIRK_MF_ENDPOINT] = { "pci_quirk_mf_endpoint_acs" },
	[PTHRU_ACS_QUIRK_RCIEP] = { "pci_quirk_rciep_acs" },
	[PTHRU_ACS_QUIRK_QCOM_RP] = { "pci_quirk_qcom_rp_acs" },
	[PTHRU_ACS_QUIRK_INTEL_PCH] = { "pci_quirk_intel_pch_acs" },
	[PTHRU_ACS_QUIRK_INTEL_SPT_PCH] = { "pci_quirk_intel_spt_pch_acs" },
	[PTHRU_ACS_QUIRK_CAVIUM] = { "pci_quirk_cavium_acs" },
	[PTHRU_ACS_QUIRK_XGENE] = { "pci_quirk_xgene_acs" },
	[PTHRU_ACS_QUIRK_BRCM] = { "pci_quirk_brcm_acs" },
	[PTHRU_ACS_QUIRK_LOONGSON] = { "pci_quirk_loongson_acs" },
	[PTHRU_ACS_QUIRK_AL] = { "pci_quirk_al_acs" },
	[PTHRU_ACS_QUIRK_NXP_RP] = { "pci_quirk_nxp_rp_acs" },
	[PTHRU_ACS_QUIRK_ZHAOXIN_PORTS] = { "pci_quirk_zhaoxin_pcie_ports_acs" },
	[PTHRU_ACS_QUIRK_WANGXUN_NIC] = { "pci_quirk_wangxun_nic_acs" },
};

static const char * const kernel_names[PTHRU_ACS_QUIRK_NR_KERNELS] = {
	[PTHRU_ACS_QUIRK_KERNEL_6_1] = "6.1",
	[PTHRU_ACS_QUIRK_KERNEL_6_12] = "6.12",
};

/*
 * pci_dev_acs_enabled[], in the kernel's order (the first function that
 * answers decides).  Columns: vendor, device (ANY: PCI_ANY_ID), function,
 * line in drivers/pci/quirks.c of Debian's 6.1 and of 6.12 (0: absent).
 */
#define ANY	PTHRU_ACS_QUIRK_ANY_ID
#define Q(v, d, f, l61, l612) \
	{ .vendor = (v), .device = (d), .fn = PTHRU_ACS_QUIRK_##f, \
	  .line = { (l61), (l612) } }

const struct pthru_acs_quirk pthru_acs_quirk_table[] = {
	Q(0x1002, 0x4385, AMD_SB, 4952, 5073),	/* ATI */
	Q(0x1002, 0x439c, AMD_SB, 4953, 5074),	/* ATI */
	Q(0x1002, 0x4383, AMD_SB, 4954, 5075),	/* ATI */
	Q(0x1002, 0x439d, AMD_SB, 4955, 5076),	/* ATI */
	Q(0x1002, 0x4384, AMD_SB, 4956, 5077),	/* ATI */
	Q(0x1002, 0x4399, AMD_SB, 4957, 5078),	/* ATI */
	Q(0x1022, 0x780f, AMD_SB, 4958, 5079),	/* AMD */
	Q(0x1022, 0x7809, AMD_SB, 4959, 5080),	/* AMD */
	Q(0x1924, 0x0903, MF_ENDPOINT, 4960, 5081),	/* SOLARFLARE */
	Q(0x1924, 0x0923, MF_ENDPOINT, 4961, 5082),	/* SOLARFLARE */
	Q(0x1924, 0x0a03, MF_ENDPOINT, 4962, 5083),	/* SOLARFLARE */
	Q(0x8086, 0x10c6, MF_ENDPOINT, 4963, 5084),	/* INTEL */
	Q(0x8086, 0x10db, MF_ENDPOINT, 4964, 5085),	/* INTEL */
	Q(0x8086, 0x10dd, MF_ENDPOINT, 4965, 5086),	/* INTEL */
	Q(0x8086, 0x10e1, MF_ENDPOINT, 4966, 5087),	/* INTEL */
	Q(0x8086, 0x10f1, MF_ENDPOINT, 4967, 5088),	/* INTEL */
	Q(0x8086, 0x10f7, MF_ENDPOINT, 4968, 5089),	/* INTEL */
	Q(0x8086, 0x10f8, MF_ENDPOINT, 4969, 5090),	/* INTEL */
	Q(0x8086, 0x10f9, MF_ENDPOINT, 4970, 5091),	/* INTEL */
	Q(0x8086, 0x10fa, MF_ENDPOINT, 4971, 5092),	/* INTEL */
	Q(0x8086, 0x10fb, MF_ENDPOINT, 4972, 5093),	/* INTEL */
	Q(0x8086, 0x10fc, MF_ENDPOINT, 4973, 5094),	/* INTEL */
	Q(0x8086, 0x1507, MF_ENDPOINT, 4974, 5095),	/* INTEL */
	Q(0x8086, 0x1514, MF_ENDPOINT, 4975, 5096),	/* INTEL */
	Q(0x8086, 0x151c, MF_ENDPOINT, 4976, 5097),	/* INTEL */
	Q(0x8086, 0x1529, MF_ENDPOINT, 4977, 5098),	/* INTEL */
	Q(0x8086, 0x152a, MF_ENDPOINT, 4978, 5099),	/* INTEL */
	Q(0x8086, 0x154d, MF_ENDPOINT, 4979, 5100),	/* INTEL */
	Q(0x8086, 0x154f, MF_ENDPOINT, 4980, 5101),	/* INTEL */
	Q(0x8086, 0x1551, MF_ENDPOINT, 4981, 5102),	/* INTEL */
	Q(0x8086, 0x1558, MF_ENDPOINT, 4982, 5103),	/* INTEL */
	Q(0x8086, 0x1509, MF_ENDPOINT, 4984, 5105),	/* INTEL */
	Q(0x8086, 0x150e, MF_ENDPOINT, 4985, 5106),	/* INTEL */
	Q(0x8086, 0x150f, MF_ENDPOINT, 4986, 5107),	/* INTEL */
	Q(0x8086, 0x1510, MF_ENDPOINT, 4987, 5108),	/* INTEL */
	Q(0x8086, 0x1511, MF_ENDPOINT, 4988, 5109),	/* INTEL */
	Q(0x8086, 0x1516, MF_ENDPOINT, 4989, 5110),	/* INTEL */
	Q(0x8086, 0x1527, MF_ENDPOINT, 4990, 5111),	/* INTEL */
	Q(0x8086, 0x10c9, MF_ENDPOINT, 4992, 5113),	/* INTEL */
	Q(0x8086, 0x10e6, MF_ENDPOINT, 4993, 5114),	/* INTEL */
	Q(0x8086, 0x10e7, MF_ENDPOINT, 4994, 5115),	/* INTEL */
	Q(0x8086, 0x10e8, MF_ENDPOINT, 4995, 5116),	/* INTEL */
	Q(0x8086, 0x150a, MF_ENDPOINT, 4996, 5117),	/* INTEL */
	Q(0x8086, 0x150d, MF_ENDPOINT, 4997, 5118),	/* INTEL */
	Q(0x8086, 0x1518, MF_ENDPOINT, 4998, 5119),	/* INTEL */
	Q(0x8086, 0x1526, MF_ENDPOINT, 4999, 5120),	/* INTEL */
	Q(0x8086, 0x10a7, MF_ENDPOINT, 5001, 5122),	/* INTEL */
	Q(0x8086, 0x10a9, MF_ENDPOINT, 5002, 5123),	/* INTEL */
	Q(0x8086, 0x10d6, MF_ENDPOINT, 5003, 5124),	/* INTEL */
	Q(0x8086, 0x1521, MF_ENDPOINT, 5005, 5126),	/* INTEL */
	Q(0x8086, 0x1522, MF_ENDPOINT, 5006, 5127),	/* INTEL */
	Q(0x8086, 0x1523, MF_ENDPOINT, 5007, 5128),	/* INTEL */
	Q(0x8086, 0x1524, MF_ENDPOINT, 5008, 5129),	/* INTEL */
	Q(0x8086, 0x105e, MF_ENDPOINT, 5010, 5131),	/* INTEL */
	Q(0x8086, 0x105f, MF_ENDPOINT, 5011, 5132),	/* INTEL */
	Q(0x8086, 0x1060, MF_ENDPOINT, 5012, 5133),	/* INTEL */
	Q(0x8086, 0x10d9, MF_ENDPOINT, 5013, 5134),	/* INTEL */
	Q(0x8086, 0x15b7, MF_ENDPOINT, 5015, 5136),	/* INTEL */
	Q(0x8086, 0x15b8, MF_ENDPOINT, 5016, 5137),	/* INTEL */
	Q(0x8086, ANY, RCIEP, 5017, 5138),	/* INTEL */
	Q(0x17cb, 0x0400, QCOM_RP, 5019, 5140),	/* QCOM */
	Q(0x17cb, 0x0401, QCOM_RP, 5020, 5141),	/* QCOM */
	Q(0x17cb, 0x0115, QCOM_RP, 5022, 5143),	/* QCOM */
	Q(0x17cb, 0x0111, QCOM_RP, 5024, 5145),	/* QCOM */
	Q(0x17cb, 0x0120, QCOM_RP, 5026, 5147),	/* QCOM */
	Q(0x1dbf, 0x0401, QCOM_RP, 5028, 5149),	/* HXT */
	Q(0x8086, ANY, INTEL_PCH, 5030, 5151),	/* INTEL */
	Q(0x8086, ANY, INTEL_SPT_PCH, 5031, 5152),	/* INTEL */
	Q(0x19a2, 0x0710, MF_ENDPOINT, 5032, 5153),	/* 0x19a2 */
	Q(0x10df, 0x0720, MF_ENDPOINT, 5033, 5154),	/* 0x10df */
	Q(0x177d, ANY, CAVIUM, 5035, 5156),	/* CAVIUM */
	Q(0x177d, 0xa026, MF_ENDPOINT, 5037, 5158),	/* CAVIUM */
	Q(0x177d, 0xa059, MF_ENDPOINT, 5038, 5159),	/* CAVIUM */
	Q(0x177d, 0xa060, MF_ENDPOINT, 5039, 5160),	/* CAVIUM */
	Q(0x10e8, 0xe004, XGENE, 5041, 5162),	/* AMCC */
	Q(0x1def, 0xe005, XGENE, 5043, 5164),	/* AMPERE */
	Q(0x1def, 0xe006, XGENE, 5044, 5165),	/* AMPERE */
	Q(0x1def, 0xe007, XGENE, 5045, 5166),	/* AMPERE */
	Q(0x1def, 0xe008, XGENE, 5046, 5167),	/* AMPERE */
	Q(0x1def, 0xe009, XGENE, 5047, 5168),	/* AMPERE */
	Q(0x1def, 0xe00a, XGENE, 5048, 5169),	/* AMPERE */
	Q(0x1def, 0xe00b, XGENE, 5049, 5170),	/* AMPERE */
	Q(0x1def, 0xe00c, XGENE, 5050, 5171),	/* AMPERE */
	Q(0x14e4, 0x16d7, MF_ENDPOINT, 5052, 5173),	/* BROADCOM */
	Q(0x14e4, 0x1750, MF_ENDPOINT, 5053, 5174),	/* BROADCOM */
	Q(0x14e4, 0x1751, MF_ENDPOINT, 5054, 5175),	/* BROADCOM */
	Q(0x14e4, 0x1752, MF_ENDPOINT, 5055, 5176),	/* BROADCOM */
	Q(0x14e4, 0x1760, MF_ENDPOINT, 5056, 5177),	/* BROADCOM */
	Q(0x14e4, 0x1761, MF_ENDPOINT, 5057, 5178),	/* BROADCOM */
	Q(0x14e4, 0x1762, MF_ENDPOINT, 5058, 5179),	/* BROADCOM */
	Q(0x14e4, 0x1763, MF_ENDPOINT, 5059, 5180),	/* BROADCOM */
	Q(0x14e4, 0xd714, BRCM, 5060, 5181),	/* BROADCOM */
	Q(0x0014, 0x3c09, LOONGSON, 5062, 5183),	/* LOONGSON */
	Q(0x0014, 0x3c19, LOONGSON, 5063, 5184),	/* LOONGSON */
	Q(0x0014, 0x3c29, LOONGSON, 5064, 5185),	/* LOONGSON */
	Q(0x0014, 0x7a09, LOONGSON, 5065, 5186),	/* LOONGSON */
	Q(0x0014, 0x7a19, LOONGSON, 5066, 5187),	/* LOONGSON */
	Q(0x0014, 0x7a29, LOONGSON, 5067, 5188),	/* LOONGSON */
	Q(0x0014, 0x7a39, LOONGSON, 5068, 5189),	/* LOONGSON */
	Q(0x0014, 0x7a49, LOONGSON, 5069, 5190),	/* LOONGSON */
	Q(0x0014, 0x7a59, LOONGSON, 5070, 5191),	/* LOONGSON */
	Q(0x0014, 0x7a69, LOONGSON, 5071, 5192),	/* LOONGSON */
	Q(0x1c36, 0x0031, AL, 5073, 5194),	/* AMAZON_ANNAPURNA_LABS */
	Q(0x1d17, 0x3038, MF_ENDPOINT, 5075, 5196),	/* ZHAOXIN */
	Q(0x1d17, 0x3104, MF_ENDPOINT, 5076, 5197),	/* ZHAOXIN */
	Q(0x1d17, 0x9083, MF_ENDPOINT, 5077, 5198),	/* ZHAOXIN */
	Q(0x1957, 0x8d81, NXP_RP, 5080, 5201),	/* NXP */
	Q(0x1957, 0x8da1, NXP_RP, 5081, 5202),	/* NXP */
	Q(0x1957, 0x8d83, NXP_RP, 5082, 5203),	/* NXP */
	Q(0x1957, 0x8d80, NXP_RP, 5084, 5205),	/* NXP */
	Q(0x1957, 0x8da0, NXP_RP, 5085, 5206),	/* NXP */
	Q(0x1957, 0x8d82, NXP_RP, 5086, 5207),	/* NXP */
	Q(0x1957, 0x8d90, NXP_RP, 5088, 5209),	/* NXP */
	Q(0x1957, 0x8db0, NXP_RP, 5089, 5210),	/* NXP */
	Q(0x1957, 0x8d92, NXP_RP, 5090, 5211),	/* NXP */
	Q(0x1957, 0x8d91, NXP_RP, 5092, 5213),	/* NXP */
	Q(0x1957, 0x8db1, NXP_RP, 5093, 5214),	/* NXP */
	Q(0x1957, 0x8d93, NXP_RP, 5094, 5215),	/* NXP */
	Q(0x1957, 0x8d89, NXP_RP, 5096, 5217),	/* NXP */
	Q(0x1957, 0x8da9, NXP_RP, 5097, 5218),	/* NXP */
	Q(0x1957, 0x8d8b, NXP_RP, 5098, 5219),	/* NXP */
	Q(0x1957, 0x8d88, NXP_RP, 5100, 5221),	/* NXP */
	Q(0x1957, 0x8da8, NXP_RP, 5101, 5222),	/* NXP */
	Q(0x1957, 0x8d8a, NXP_RP, 5102, 5223),	/* NXP */
	Q(0x1957, 0x8d98, NXP_RP, 5104, 5225),	/* NXP */
	Q(0x1957, 0x8db8, NXP_RP, 5105, 5226),	/* NXP */
	Q(0x1957, 0x8d9a, NXP_RP, 5106, 5227),	/* NXP */
	Q(0x1957, 0x8d99, NXP_RP, 5108, 5229),	/* NXP */
	Q(0x1957, 0x8db9, NXP_RP, 5109, 5230),	/* NXP */
	Q(0x1957, 0x8d9b, NXP_RP, 5110, 5231),	/* NXP */
	Q(0x1d17, ANY, ZHAOXIN_PORTS, 5112, 5233),	/* ZHAOXIN */
	Q(0x8088, ANY, WANGXUN_NIC, 5114, 5235),	/* WANGXUN */
};

#undef Q
#undef ANY

const u32 pthru_acs_quirk_table_len = ARRAY_SIZE(pthru_acs_quirk_table);

/*
 * Every vendor of the table, sorted: most devices are of no vendor here,
 * and one look at 17 IDs answers for them before the 132 lines are read.
 * No line has vendor ANY.  The KUnit suite checks this list against the
 * table.
 */
const u16 pthru_acs_quirk_vendors[] = {
	0x0014, 0x1002, 0x1022, 0x10df, 0x10e8, 0x14e4, 0x177d, 0x17cb,
	0x1924, 0x1957, 0x19a2, 0x1c36, 0x1d17, 0x1dbf, 0x1def, 0x8086,
	0x8088,
};

const u32 pthru_acs_quirk_vendors_len = ARRAY_SIZE(pthru_acs_quirk_vendors);

static bool vendor_listed(u16 vendor)
{
	u32 lo = 0, hi = ARRAY_SIZE(pthru_acs_quirk_vendors);

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;

		if (pthru_acs_quirk_vendors[mid] == vendor)
			return true;
		if (pthru_acs_quirk_vendors[mid] < vendor)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * Many Intel PCH root ports have no ACS capability but can disable peer
 * transactions; the kernel enables that (pci_quirk_enable_intel_pch_acs)
 * and marks the device PCI_DEV_FLAGS_ACS_ENABLED_QUIRK.
 */
/* ids: pci_quirk_intel_pch_acs_ids */
static const u16 intel_pch_ids[] = {
	/* Ibexpeak PCH */
	0x3b42, 0x3b43, 0x3b44, 0x3b45, 0x3b46, 0x3b47, 0x3b48, 0x3b49,
	0x3b4a, 0x3b4b, 0x3b4c, 0x3b4d, 0x3b4e, 0x3b4f, 0x3b50, 0x3b51,
	/* Cougarpoint PCH */
	0x1c10, 0x1c11, 0x1c12, 0x1c13, 0x1c14, 0x1c15, 0x1c16, 0x1c17,
	0x1c18, 0x1c19, 0x1c1a, 0x1c1b, 0x1c1c, 0x1c1d, 0x1c1e, 0x1c1f,
	/* Pantherpoint PCH */
	0x1e10, 0x1e11, 0x1e12, 0x1e13, 0x1e14, 0x1e15, 0x1e16, 0x1e17,
	0x1e18, 0x1e19, 0x1e1a, 0x1e1b, 0x1e1c, 0x1e1d, 0x1e1e, 0x1e1f,
	/* Lynxpoint-H PCH */
	0x8c10, 0x8c11, 0x8c12, 0x8c13, 0x8c14, 0x8c15, 0x8c16, 0x8c17,
	0x8c18, 0x8c19, 0x8c1a, 0x8c1b, 0x8c1c, 0x8c1d, 0x8c1e, 0x8c1f,
	/* Lynxpoint-LP PCH */
	0x9c10, 0x9c11, 0x9c12, 0x9c13, 0x9c14, 0x9c15, 0x9c16, 0x9c17,
	0x9c18, 0x9c19, 0x9c1a, 0x9c1b,
	/* Wildcat PCH */
	0x9c90, 0x9c91, 0x9c92, 0x9c93, 0x9c94, 0x9c95, 0x9c96, 0x9c97,
	0x9c98, 0x9c99, 0x9c9a, 0x9c9b,
	/* Patsburg (X79) PCH */
	0x1d10, 0x1d12, 0x1d14, 0x1d16, 0x1d18, 0x1d1a, 0x1d1c, 0x1d1e,
	/* Wellsburg (X99) PCH */
	0x8d10, 0x8d11, 0x8d12, 0x8d13, 0x8d14, 0x8d15, 0x8d16, 0x8d17,
	0x8d18, 0x8d19, 0x8d1a, 0x8d1b, 0x8d1c, 0x8d1d, 0x8d1e,
	/* Lynx Point (9 series) PCH */
	0x8c90, 0x8c92, 0x8c94, 0x8c96, 0x8c98, 0x8c9a, 0x8c9c, 0x8c9e,
};

/* Sunrise Point, Union Point, 7th/8th gen mobile: ACS control at +8. */
/* ids: pci_quirk_intel_spt_pch_acs_match */
static const struct id_range intel_spt_ids[] = {
	{ 0xa110, 0xa11f }, { 0xa167, 0xa16a },
	{ 0xa290, 0xa29f }, { 0xa2e7, 0xa2ee },
	{ 0x9d10, 0x9d1b },
};

/* ids: pci_quirk_cavium_acs_match */
static const struct id_range cavium_ids[] = {
	{ 0xa000, 0xa7ff }, { 0xaf84, 0xaf84 }, { 0xb884, 0xb884 },
};

/* ids: pci_quirk_zhaoxin_pcie_ports_acs */
static const struct id_range zhaoxin_ids[] = {
	{ 0x0710, 0x071e }, { 0x0721, 0x0721 }, { 0x0723, 0x0752 },
};

/* ids: pci_quirk_wangxun_nic_acs */
static const struct id_range wangxun_ids[] = {
	{ 0x0100, 0x010f }, { 0x1001, 0x1001 }, { 0x2001, 0x2001 },
	{ 0x5010, 0x5010 }, { 0x5025, 0x5025 }, { 0x5040, 0x5040 },
	{ 0x5110, 0x5110 }, { 0x5125, 0x5125 }, { 0x5140, 0x5140 },
};

static bool in_ranges(const struct id_range *r, size_t nr, u16 id)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (id >= r[i].lo && id <= r[i].hi)
			return true;
	return false;
}

static bool is_pcie_type(const struct pthru_dev *dev, u8 type)
{
	return dev->is_pcie && dev->pcie_type == type;
}

/*
 * pci_pcie_type() of a device without a PCI Express capability reads 0
 * (an endpoint), so a quirk that only tests the type without
 * pci_is_pcie() (pci_quirk_rciep_acs, pci_quirk_al_acs) never matches it.
 */
#define is_root_port(dev)	is_pcie_type(dev, PCIE_TYPE_ROOT_PORT)

/* pci_quirk_intel_pch_acs_match() */
static bool intel_pch_match(const struct pthru_dev *dev)
{
	size_t i;

	if (!is_root_port(dev))
		return false;
	for (i = 0; i < ARRAY_SIZE(intel_pch_ids); i++)
		if (intel_pch_ids[i] == dev->device)
			return true;
	return false;
}

/*
 * One quirk function of the kernel: -1 when it does not answer (the
 * kernel's negative returns, -ENOTTY or -ENODEV, after which the next
 * matching line is tried), else 0 or 1 with @v->asked and @v->asserted
 * set so that the answer is "every asked flag is asserted", which is
 * pci_acs_ctrl_enabled() and also what pci_quirk_al_acs() computes.
 */
static int judge(enum pthru_acs_quirk_fn fn, const struct pthru_snapshot *snap,
		 const struct pthru_dev *dev, u16 flags,
		 struct pthru_acs_quirk_verdict *v)
{
	v->asked = flags;
	v->asserted = QUIRK_PORT_FLAGS;
	v->unlisted = false;
	v->unread = false;

	switch (fn) {
	case PTHRU_ACS_QUIRK_AMD_SB:
		/* Multifunction devices on a root bus, with an AMD IOMMU. */
		if (!dev->multifunction || dev->has_upstream || !snap->acpi_ivrs)
			return -1;
		v->asked = flags & (PTHRU_ACS_RR | PTHRU_ACS_CR | PTHRU_ACS_EC |
				    PTHRU_ACS_DT);
		v->asserted = PTHRU_ACS_RR | PTHRU_ACS_CR;
		break;
	case PTHRU_ACS_QUIRK_MF_ENDPOINT:
		v->asserted = PTHRU_ACS_SV | PTHRU_ACS_TB | PTHRU_ACS_RR |
			      PTHRU_ACS_CR | PTHRU_ACS_UF | PTHRU_ACS_DT;
		break;
	case PTHRU_ACS_QUIRK_RCIEP:
		if (!is_pcie_type(dev, PCIE_TYPE_RC_END))
			return -1;
		break;
	case PTHRU_ACS_QUIRK_QCOM_RP:
	case PTHRU_ACS_QUIRK_XGENE:
	case PTHRU_ACS_QUIRK_BRCM:
	case PTHRU_ACS_QUIRK_LOONGSON:
	case PTHRU_ACS_QUIRK_NXP_RP:
		/* No type test: the device ID alone selects root ports. */
		break;
	case PTHRU_ACS_QUIRK_INTEL_PCH:
		if (!intel_pch_match(dev))
			return -1;
		if (!dev->acs_quirk_enabled)
			v->asserted = 0;
		break;
	case PTHRU_ACS_QUIRK_INTEL_SPT_PCH:
		if (!is_root_port(dev) ||
		    !in_ranges(intel_spt_ids, ARRAY_SIZE(intel_spt_ids),
			       dev->device) || !dev->acs_pos)
			return -1;
		/* pci_acs_flags_enabled()'s masking, control at +8. */
		v->asked = flags & (dev->acs_cap | PTHRU_ACS_EC);
		v->asserted = (u16)dev->acs_alt_ctrl;
		if (!dev->acs_alt_read) {
			v->asserted = 0;
			v->unread = true;
		}
		break;
	case PTHRU_ACS_QUIRK_CAVIUM:
		if (!is_root_port(dev) ||
		    !in_ranges(cavium_ids, ARRAY_SIZE(cavium_ids), dev->device))
			return -1;
		break;
	case PTHRU_ACS_QUIRK_AL:
		if (!is_root_port(dev))
			return -1;
		break;
	case PTHRU_ACS_QUIRK_ZHAOXIN_PORTS:
		if (!is_root_port(dev) &&
		    !is_pcie_type(dev, PCIE_TYPE_DOWNSTREAM))
			return -1;
		/* Any other Zhaoxin port: "return false", a decision. */
		if (!in_ranges(zhaoxin_ids, ARRAY_SIZE(zhaoxin_ids),
			       dev->device)) {
			v->asserted = 0;
			v->unlisted = true;
		}
		break;
	case PTHRU_ACS_QUIRK_WANGXUN_NIC:
		/* Any other Wangxun device, of any type: "return false". */
		if (!in_ranges(wangxun_ids, ARRAY_SIZE(wangxun_ids),
			       dev->device)) {
			v->asserted = 0;
			v->unlisted = true;
		}
		break;
	default:
		return -1;
	}
	v->enabled = (v->asked & v->asserted) == v->asked;
	return v->enabled;
}

/**
 * pthru_acs_quirk_kernel() - whose table applies to a host kernel
 * @kernel_version: LINUX_VERSION_CODE of the host, 0 when unknown
 *
 * Below 6.12.0 (0 included) the 6.1 table, from 6.12.0 on the 6.12 one:
 * the nearest kernel pthru was checked against.
 *
 * Return: the table's kernel.
 */
enum pthru_acs_quirk_kernel pthru_acs_quirk_kernel(u32 kernel_version)
{
	return kernel_version < PTHRU_KV_6_12 ? PTHRU_ACS_QUIRK_KERNEL_6_1 :
						PTHRU_ACS_QUIRK_KERNEL_6_12;
}

/**
 * pthru_acs_quirk_kernel_name() - "6.1" or "6.12"
 * @kernel: the table's kernel
 *
 * Return: the name, "?" when out of range.
 */
const char *pthru_acs_quirk_kernel_name(enum pthru_acs_quirk_kernel kernel)
{
	if ((unsigned int)kernel >= ARRAY_SIZE(kernel_names))
		return "?";
	return kernel_names[kernel];
}

/**
 * pthru_acs_quirk_fn_name() - the kernel's name of a quirk function
 * @fn: the function
 *
 * Return: e.g. "pci_quirk_intel_pch_acs", "unknown" when out of range.
 */
const char *pthru_acs_quirk_fn_name(enum pthru_acs_quirk_fn fn)
{
	if ((unsigned int)fn >= ARRAY_SIZE(quirk_fns))
		return "unknown";
	return quirk_fns[fn].name;
}

/**
 * pthru_acs_quirk_eval_table() - pci_dev_specific_acs_enabled() on a table
 * @table: the lines, in the kernel's order
 * @nr: number of lines
 * @kernel: whose lines count (a line with no line number there is skipped)
 * @snap: the snapshot (for the IVRS table)
 * @dev: the device asked about
 * @need: the ACS flags asked (PTHRU_ACS_*)
 * @v: filled in when a quirk decides; zeroed otherwise
 *
 * Return: true when a quirk decides (then @v->enabled is its answer),
 * false when the registers decide, as the kernel's -ENOTTY.
 */
bool pthru_acs_quirk_eval_table(const struct pthru_acs_quirk *table, u32 nr,
				enum pthru_acs_quirk_kernel kernel,
				const struct pthru_snapshot *snap,
				const struct pthru_dev *dev, u16 need,
				struct pthru_acs_quirk_verdict *v)
{
	u32 i;

	memset(v, 0, sizeof(*v));
	if ((unsigned int)kernel >= PTHRU_ACS_QUIRK_NR_KERNELS)
		return false;
	for (i = 0; i < nr; i++) {
		const struct pthru_acs_quirk *q = &table[i];

		if (!q->line[kernel])
			continue;
		if (q->vendor != dev->vendor &&
		    q->vendor != PTHRU_ACS_QUIRK_ANY_ID)
			continue;
		if (q->device != dev->device &&
		    q->device != PTHRU_ACS_QUIRK_ANY_ID)
			continue;
		if (judge(q->fn, snap, dev, need, v) >= 0) {
			v->entry = q;
			v->kernel = kernel;
			return true;
		}
	}
	memset(v, 0, sizeof(*v));
	return false;
}

/**
 * pthru_acs_quirk_eval() - does the host kernel's quirk table decide?
 * @snap: the snapshot; its kernel_version picks the table
 * @dev: the device asked about
 * @need: the ACS flags asked (PTHRU_ACS_*)
 * @v: filled in when a quirk decides
 *
 * Return: true when a quirk decides, see pthru_acs_quirk_eval_table().
 */
bool pthru_acs_quirk_eval(const struct pthru_snapshot *snap,
			  const struct pthru_dev *dev, u16 need,
			  struct pthru_acs_quirk_verdict *v)
{
	if (!vendor_listed(dev->vendor)) {
		memset(v, 0, sizeof(*v));
		return false;
	}
	return pthru_acs_quirk_eval_table(pthru_acs_quirk_table,
					  pthru_acs_quirk_table_len,
					  pthru_acs_quirk_kernel(snap->kernel_version),
					  snap, dev, need, v);
}

/**
 * pthru_acs_quirk_ctrl() - the ACS control value a quirk judged
 * @dev: the device
 * @v: the verdict
 *
 * Return: the low word of the dword at acs_pos + 8 for the Sunrise Point
 * quirk, the standard control register otherwise (0 without ACS).
 */
u16 pthru_acs_quirk_ctrl(const struct pthru_dev *dev,
			 const struct pthru_acs_quirk_verdict *v)
{
	if (v->entry && v->entry->fn == PTHRU_ACS_QUIRK_INTEL_SPT_PCH &&
	    dev->acs_alt_read)
		return (u16)dev->acs_alt_ctrl;
	return dev->acs_pos ? dev->acs_ctrl : 0;
}

/**
 * pthru_acs_quirk_describe() - the facts a quirk judged, for a message
 * @dev: the device
 * @v: the verdict
 * @buf: filled with one short clause, e.g. "no ACS cap; asserts SV RR CR UF"
 *	or "cap 005f ctl@+8 0000001d" (at most 31 characters when the quirk
 *	says "not isolated" to the flags pthru asks)
 * @len: size of @buf
 *
 * Return: characters written, as scnprintf().
 */
int pthru_acs_quirk_describe(const struct pthru_dev *dev,
			     const struct pthru_acs_quirk_verdict *v,
			     char *buf, size_t len)
{
	char flags[32];
	int n = 0;

	if (!v->entry)
		return scnprintf(buf, len, "no quirk");
	switch (v->entry->fn) {
	case PTHRU_ACS_QUIRK_INTEL_SPT_PCH:
		if (v->unread)
			return scnprintf(buf, len, "cap %04x ctl@+8 not read",
					 dev->acs_cap);
		return scnprintf(buf, len, "cap %04x ctl@+8 %08x",
				 dev->acs_cap, dev->acs_alt_ctrl);
	case PTHRU_ACS_QUIRK_INTEL_PCH:
		/* The flag decides; the capability plays no part. */
		return scnprintf(buf, len, "PCH ACS %s by kernel",
				 dev->acs_quirk_enabled ? "enabled" : "not enabled");
	case PTHRU_ACS_QUIRK_ZHAOXIN_PORTS:
	case PTHRU_ACS_QUIRK_WANGXUN_NIC:
		if (v->unlisted)
			return scnprintf(buf, len, "id %04x unlisted",
					 dev->device);
		break;
	case PTHRU_ACS_QUIRK_AMD_SB:
		n = scnprintf(buf, len, "mf on root bus, IVRS; ");
		break;
	default:
		break;
	}
	if (!n) {
		if (dev->acs_pos)
			n = scnprintf(buf, len, "cap %04x ctl %04x unused; ",
				      dev->acs_cap, dev->acs_ctrl);
		else
			n = scnprintf(buf, len, "no ACS cap; ");
	}
	pthru_acs_flags_text(flags, sizeof(flags), v->asserted);
	n += scnprintf(buf + n, len - n, "asserts %s", flags);
	return n;
}
