// SPDX-License-Identifier: GPL-2.0
/*
 * PCI address parsing: accepted forms, normalisation, and rejects.
 */
#include <errno.h>

#include "pciaddr.h"
#include "unit.h"

/* Failures name the caller's line and the address under test. */
#define check_ok(in, want)	check_ok_at(in, want, __LINE__)
#define check_bad(in)		check_bad_at(in, __LINE__)

static void check_ok_at(const char *in, const char *want, int line)
{
	char out[PCI_ADDR_STRLEN] = "";

	unit_check_int(pci_addr_normalize(in, out, sizeof(out)), 0, __FILE__,
		       line, in);
	unit_check_str(out, want, __FILE__, line, in);
}

static void check_bad_at(const char *in, int line)
{
	char out[PCI_ADDR_STRLEN];

	unit_check_int(pci_addr_normalize(in, out, sizeof(out)), -EINVAL,
		       __FILE__, line, in);
}

void test_pciaddr(void)
{
	char small[8];

	check_ok("0000:00:02.0", "0000:00:02.0");
	check_ok("00:02.0", "0000:00:02.0");
	check_ok("FF:1F.7", "0000:ff:1f.7");
	check_ok("0000:Ff:1f.7", "0000:ff:1f.7");
	check_ok("abcd:01:00.1", "abcd:01:00.1");
	check_ok("ABCD:01:00.1", "abcd:01:00.1");
	/* Intel VMD domains have five digits. */
	check_ok("10000:e1:00.0", "10000:e1:00.0");
	check_ok("ffffffff:ff:1f.7", "ffffffff:ff:1f.7");

	check_bad("");
	check_bad("zz");
	check_bad("xyz");
	check_bad("0:2.0");
	check_bad("00:2.0");
	check_bad("0:02.0");
	check_bad("000:00:02.0");	/* domain needs four digits */
	check_bad("100000000:00:02.0");	/* domain wider than 32 bits */
	check_bad("0000:000:02.0");
	check_bad("0000:00:020.0");
	check_bad("0000:00:02.00");
	check_bad("0000:00:20.0");	/* device above 1f */
	check_bad("0000:00:02.8");	/* function above 7 */
	check_bad("0000:00:02");
	check_bad("0000:00:02.");
	check_bad("0000-00:02.0");
	check_bad("0000:00:02.0 ");
	check_bad(" 0000:00:02.0");
	check_bad("0000:00:02.0x");
	check_bad("0000::00:02.0");
	check_bad("0000:00:00:02.0");
	check_bad("+000:00:02.0");
	check_bad("0x00:00:02.0");
	check_bad("gg:00.0");

	CHECK_INT(pci_addr_normalize("00:02.0", small, sizeof(small)),
		  -ENOSPC);
}
