// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the gated-driver list: which entries policy installation
 * accepts, and which drivers an entry covers.  A wrong answer here either
 * lets a passthrough driver bind unchecked or gates a host driver.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../gated.h"

static bool valid(const char *entry)
{
	return pthru_gated_name_valid(entry, strlen(entry) + 1);
}

static void gated_valid_names(struct kunit *test)
{
	char full[PTHRU_GATED_NAME_LEN];

	KUNIT_EXPECT_TRUE(test, valid("vfio-pci"));
	KUNIT_EXPECT_TRUE(test, valid("uio_pci_generic"));
	KUNIT_EXPECT_TRUE(test, valid("pci-stub"));
	KUNIT_EXPECT_TRUE(test, valid("*-vfio-pci"));
	KUNIT_EXPECT_TRUE(test, valid("*x"));
	KUNIT_EXPECT_TRUE(test, valid("a.b"));

	/* 31 characters fit, 32 do not. */
	memset(full, 'a', sizeof(full) - 1);
	full[sizeof(full) - 1] = '\0';
	KUNIT_EXPECT_TRUE(test, pthru_gated_name_valid(full, sizeof(full)));
	full[0] = '*';
	KUNIT_EXPECT_TRUE(test, pthru_gated_name_valid(full, sizeof(full)));
}

static void gated_invalid_names(struct kunit *test)
{
	char big[PTHRU_GATED_NAME_LEN + 1];

	KUNIT_EXPECT_FALSE(test, valid(""));
	KUNIT_EXPECT_FALSE(test, valid("*"));
	KUNIT_EXPECT_FALSE(test, valid("**x"));
	KUNIT_EXPECT_FALSE(test, valid("vfio*"));
	KUNIT_EXPECT_FALSE(test, valid("vfio pci"));
	KUNIT_EXPECT_FALSE(test, valid("vfio/pci"));
	KUNIT_EXPECT_FALSE(test, valid("vfio-pci\n"));
	KUNIT_EXPECT_FALSE(test, valid("\xe9t\xe9"));

	/* 32 characters: too long even in a buffer that holds them. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	KUNIT_EXPECT_FALSE(test, pthru_gated_name_valid(big, sizeof(big)));

	/* No NUL inside the buffer. */
	memset(big, 'a', sizeof(big));
	KUNIT_EXPECT_FALSE(test, pthru_gated_name_valid(big, 8));
}

static void gated_match_exact(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, pthru_gated_match("vfio-pci", "vfio-pci"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("vfio-pci", "vfio-pci2"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("vfio-pci", "vfio"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("vfio-pci", "mlx5-vfio-pci"));
	/* Exact names are exact: no case folding, no '_' for '-'. */
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("vfio-pci", "VFIO-PCI"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("vfio-pci", "vfio_pci"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("pci-stub", ""));
}

static void gated_match_suffix(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, pthru_gated_match("*-vfio-pci", "mlx5-vfio-pci"));
	KUNIT_EXPECT_TRUE(test, pthru_gated_match("*-vfio-pci", "-vfio-pci"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("*-vfio-pci", "vfio-pci"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("*-vfio-pci", "mlx5-vfio-pci0"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("*-vfio-pci", "e1000e"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("*-vfio-pci", ""));
	KUNIT_EXPECT_TRUE(test, pthru_gated_match("*pci", "vfio-pci"));
	KUNIT_EXPECT_FALSE(test, pthru_gated_match("*pci", "pci-stub"));
}

static struct kunit_case gate_cases[] = {
	KUNIT_CASE(gated_valid_names),
	KUNIT_CASE(gated_invalid_names),
	KUNIT_CASE(gated_match_exact),
	KUNIT_CASE(gated_match_suffix),
	{}
};

static struct kunit_suite gate_suite = {
	.name = "pthru-gated",
	.test_cases = gate_cases,
};

kunit_test_suites(&gate_suite);

MODULE_DESCRIPTION("KUnit tests for pthru's gated-driver list");
MODULE_LICENSE("GPL");
