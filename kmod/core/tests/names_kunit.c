// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pthru's stable names.  The expected words are spelled out
 * here rather than derived, because scripts and people read them: a change
 * must show up as a failing test.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../names.h"

static void names_domain_type(struct kunit *test)
{
	/* The words of /sys/kernel/iommu_groups/N/type, plus "none". */
	KUNIT_EXPECT_STREQ(test, pthru_domain_type_name(PTHRU_DOMAIN_TYPE_NONE),
			   "none");
	KUNIT_EXPECT_STREQ(test,
			   pthru_domain_type_name(PTHRU_DOMAIN_TYPE_BLOCKED),
			   "blocked");
	KUNIT_EXPECT_STREQ(test,
			   pthru_domain_type_name(PTHRU_DOMAIN_TYPE_IDENTITY),
			   "identity");
	KUNIT_EXPECT_STREQ(test,
			   pthru_domain_type_name(PTHRU_DOMAIN_TYPE_UNMANAGED),
			   "unmanaged");
	KUNIT_EXPECT_STREQ(test, pthru_domain_type_name(PTHRU_DOMAIN_TYPE_DMA),
			   "DMA");
	KUNIT_EXPECT_STREQ(test,
			   pthru_domain_type_name(PTHRU_DOMAIN_TYPE_DMA_FQ),
			   "DMA-FQ");
	KUNIT_EXPECT_STREQ(test,
			   pthru_domain_type_name(PTHRU_DOMAIN_TYPE_UNKNOWN),
			   "unknown");
	KUNIT_EXPECT_STREQ(test,
			   pthru_domain_type_name((enum pthru_domain_type)99),
			   "unknown");
	KUNIT_EXPECT_STREQ(test,
			   pthru_domain_type_name((enum pthru_domain_type)-1),
			   "unknown");
}

static void names_resv_type(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, pthru_resv_type_name(PTHRU_RESV_TYPE_DIRECT),
			   "direct");
	KUNIT_EXPECT_STREQ(test,
			   pthru_resv_type_name(PTHRU_RESV_TYPE_DIRECT_RELAXABLE),
			   "direct-relaxable");
	KUNIT_EXPECT_STREQ(test,
			   pthru_resv_type_name(PTHRU_RESV_TYPE_RESERVED),
			   "reserved");
	KUNIT_EXPECT_STREQ(test, pthru_resv_type_name(PTHRU_RESV_TYPE_MSI),
			   "msi");
	KUNIT_EXPECT_STREQ(test, pthru_resv_type_name(PTHRU_RESV_TYPE_SW_MSI),
			   "sw-msi");
	KUNIT_EXPECT_STREQ(test,
			   pthru_resv_type_name((enum pthru_resv_type)5),
			   "unknown");
}

static void names_tristate(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, pthru_tristate_name(PTHRU_TRISTATE_NO), "no");
	KUNIT_EXPECT_STREQ(test, pthru_tristate_name(PTHRU_TRISTATE_YES), "yes");
	KUNIT_EXPECT_STREQ(test, pthru_tristate_name(PTHRU_TRISTATE_UNKNOWN),
			   "unknown");
	KUNIT_EXPECT_STREQ(test, pthru_tristate_name((enum pthru_tristate)3),
			   "unknown");
}

static void names_pcie_type(struct kunit *test)
{
	static const u8 reserved[] = { 0x2, 0x3, 0xb, 0xc, 0xf, 0x10, 0xff };
	unsigned int i;

	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0x0), "endpoint");
	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0x1), "legacy-endpoint");
	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0x4), "root-port");
	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0x5), "upstream-port");
	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0x6), "downstream-port");
	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0x7),
			   "pcie-to-pci-bridge");
	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0x8),
			   "pci-to-pcie-bridge");
	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0x9), "rc-integrated");
	KUNIT_EXPECT_STREQ(test, pthru_pcie_type_name(0xa),
			   "rc-event-collector");
	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		KUNIT_EXPECT_NULL_MSG(test, pthru_pcie_type_name(reserved[i]),
				      "type %#x", reserved[i]);
}

struct driver_case {
	const char *unit;
	const char *parent_driver;
	const char *expected;
};

static const struct driver_case driver_cases[] = {
	{ "dmar0", NULL, "intel-vtd" },
	{ "dmar12", "ignored", "intel-vtd" },
	{ "ivhd0", NULL, "amd-vi" },
	{ "ivhd3", "ignored", "amd-vi" },
	{ "virtio0", "virtio_iommu", "virtio-iommu" },
	{ NULL, "virtio_iommu", "virtio-iommu" },
	{ "smmu3.0x0000000009050000", "arm-smmu-v3", "arm-smmu-v3" },
	{ "mydmar", "some_driver", "some-driver" },	/* prefix, not substring */
	{ "virtio0", NULL, "unknown" },
	{ "virtio0", "", "unknown" },
	{ NULL, NULL, "unknown" },
};

static void driver_case_desc(const struct driver_case *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s/%s",
		 t->unit ? t->unit : "(none)",
		 t->parent_driver ? t->parent_driver : "(none)");
}

KUNIT_ARRAY_PARAM(driver_case, driver_cases, driver_case_desc);

static void names_iommu_driver(struct kunit *test)
{
	const struct driver_case *t = test->param_value;
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	pthru_iommu_driver_name(buf, sizeof(buf), t->unit, t->parent_driver);
	KUNIT_EXPECT_STREQ(test, buf, t->expected);
}

static void names_iommu_driver_short_buffer(struct kunit *test)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	pthru_iommu_driver_name(buf, 4, NULL, "virtio_iommu");
	KUNIT_EXPECT_STREQ(test, buf, "vir");
	KUNIT_EXPECT_EQ(test, buf[4], 'x');

	/* A zero-sized buffer is left alone. */
	pthru_iommu_driver_name(buf, 0, "dmar0", NULL);
	KUNIT_EXPECT_STREQ(test, buf, "vir");
}

static struct kunit_case names_cases[] = {
	KUNIT_CASE(names_domain_type),
	KUNIT_CASE(names_resv_type),
	KUNIT_CASE(names_tristate),
	KUNIT_CASE(names_pcie_type),
	KUNIT_CASE_PARAM(names_iommu_driver, driver_case_gen_params),
	KUNIT_CASE(names_iommu_driver_short_buffer),
	{}
};

static struct kunit_suite names_suite = {
	.name = "pthru-names",
	.test_cases = names_cases,
};

kunit_test_suites(&names_suite);

MODULE_DESCRIPTION("KUnit tests for pthru's stable names");
MODULE_LICENSE("GPL");
