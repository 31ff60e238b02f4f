// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for parsing and formatting PCI function addresses.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../pciaddr.h"

struct good_addr {
	const char *text;
	u32 addr;
};

static const struct good_addr good_addrs[] = {
	{ "0000:00:00.0", 0x00000000 },
	{ "0000:00:1f.7", 0x000000ff },
	{ "0000:00:01.0", 0x00000008 },
	{ "0001:02:03.4", 0x0001021c },
	{ "ffff:ff:1f.7", 0xffffffff },
	{ "abcd:ef:0a.3", 0xabcdef53 },
	{ "ABCD:EF:0A.3", 0xabcdef53 },
	{ "AbCd:eF:0a.3", 0xabcdef53 },
};

static void good_addr_desc(const struct good_addr *t, char *desc)
{
	strscpy(desc, t->text, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(good_addr, good_addrs, good_addr_desc);

static void pciaddr_parse_good(struct kunit *test)
{
	const struct good_addr *t = test->param_value;
	u32 addr = 0x5a5a5a5a;

	KUNIT_ASSERT_EQ(test, pthru_pciaddr_parse(t->text, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, t->addr);
}

static const char * const bad_addrs[] = {
	"",
	"0",
	"0000:00:00",
	"0000:00:00.",
	"000:00:00.0",		/* short domain */
	"00000:00:00.0",	/* long domain */
	"0000:0:00.0",		/* short bus */
	"0000:000:00.0",	/* long bus */
	"0000:00:0.0",		/* short device */
	"0000:00:000.0",	/* long device */
	"0000:00:00.00",	/* long function */
	"0000:00:20.0",		/* device above 0x1f */
	"0000:00:ff.0",		/* device above 0x1f */
	"0000:00:00.8",		/* function above 7 */
	"0000:00:00.f",		/* function above 7 */
	"0000:00:00.0 ",	/* trailing space */
	"0000:00:00.0\n",	/* trailing newline */
	" 0000:00:00.0",	/* leading space */
	"0000-00:00.0",		/* wrong separators */
	"0000:00-00.0",
	"0000:00:00:0",
	"0000.00:00.0",
	"g000:00:00.0",		/* not hex */
	"0000:0g:00.0",
	"0000:00:0g.0",
	"0000:00:00.g",
	"00:00.0",		/* no domain (userspace adds it) */
	"+000:00:00.0",
	"0x00:00:00.0",
};

static void bad_addr_desc(const char * const *t, char *desc)
{
	/* Show the newline case readably. */
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"",
		 strcmp(*t, "0000:00:00.0\n") ? *t : "0000:00:00.0\\n");
}

KUNIT_ARRAY_PARAM(bad_addr, bad_addrs, bad_addr_desc);

static void pciaddr_parse_bad(struct kunit *test)
{
	const char * const *text = test->param_value;
	u32 addr = 0x5a5a5a5a;

	KUNIT_EXPECT_EQ(test, pthru_pciaddr_parse(*text, &addr), -EINVAL);
	/* A failed parse leaves the output alone. */
	KUNIT_EXPECT_EQ(test, addr, 0x5a5a5a5a);
}

static void pciaddr_format(struct kunit *test)
{
	char buf[PTHRU_PCIADDR_BUFSZ];
	char *ret;

	ret = pthru_pciaddr_format(0, buf);
	KUNIT_EXPECT_PTR_EQ(test, ret, &buf[0]);
	KUNIT_EXPECT_STREQ(test, buf, "0000:00:00.0");
	KUNIT_EXPECT_STREQ(test, pthru_pciaddr_format(0xffffffff, buf),
			   "ffff:ff:1f.7");
	KUNIT_EXPECT_STREQ(test, pthru_pciaddr_format(0xabcdef53, buf),
			   "abcd:ef:0a.3");
	KUNIT_EXPECT_STREQ(test, pthru_pciaddr_format(0x0001021c, buf),
			   "0001:02:03.4");
	KUNIT_EXPECT_EQ(test, strlen(buf), (size_t)PTHRU_PCIADDR_LEN);
}

/* Every device and function of a bus survives format then parse. */
static void pciaddr_round_trip(struct kunit *test)
{
	char buf[PTHRU_PCIADDR_BUFSZ];
	unsigned int devfn;
	u32 addr, parsed;

	for (devfn = 0; devfn < 256; devfn++) {
		addr = PTHRU_PCIADDR(0x1234, 0x5a, devfn);
		pthru_pciaddr_format(addr, buf);
		KUNIT_ASSERT_EQ_MSG(test, pthru_pciaddr_parse(buf, &parsed), 0,
				    "cannot parse %s", buf);
		KUNIT_EXPECT_EQ_MSG(test, parsed, addr, "%s", buf);
	}
}

static void pciaddr_pack(struct kunit *test)
{
	u32 addr = PTHRU_PCIADDR(0x1234, 0x56, 0x7b);

	KUNIT_EXPECT_EQ(test, addr, 0x1234567bU);
	KUNIT_EXPECT_EQ(test, PTHRU_PCIADDR_DOMAIN(addr), 0x1234);
	KUNIT_EXPECT_EQ(test, PTHRU_PCIADDR_BUS(addr), 0x56);
	KUNIT_EXPECT_EQ(test, PTHRU_PCIADDR_DEVFN(addr), 0x7b);
	KUNIT_EXPECT_EQ(test, PTHRU_PCIADDR_SLOT(addr), 0x0f);
	KUNIT_EXPECT_EQ(test, PTHRU_PCIADDR_FUNC(addr), 3);
	/* Sorting packed values sorts by domain, then bus, then devfn. */
	KUNIT_EXPECT_LT(test, PTHRU_PCIADDR(0, 0xff, 0xff),
			PTHRU_PCIADDR(1, 0, 0));
	KUNIT_EXPECT_LT(test, PTHRU_PCIADDR(0, 1, 0xff),
			PTHRU_PCIADDR(0, 2, 0));
}

static struct kunit_case pciaddr_cases[] = {
	KUNIT_CASE_PARAM(pciaddr_parse_good, good_addr_gen_params),
	KUNIT_CASE_PARAM(pciaddr_parse_bad, bad_addr_gen_params),
	KUNIT_CASE(pciaddr_format),
	KUNIT_CASE(pciaddr_round_trip),
	KUNIT_CASE(pciaddr_pack),
	{}
};

static struct kunit_suite pciaddr_suite = {
	.name = "pthru-pciaddr",
	.test_cases = pciaddr_cases,
};

kunit_test_suites(&pciaddr_suite);

MODULE_DESCRIPTION("KUnit tests for pthru's PCI address parsing");
MODULE_LICENSE("GPL");
