// SPDX-License-Identifier: GPL-2.0
/*
 * Parse and format PCI function addresses ("DDDD:BB:DD.F").
 *
 * The parser is deliberately strict: every field has its exact width, the
 * separators are fixed and nothing may follow.  A lenient parser would let
 * two spellings name one function, and userspace is expected to normalise
 * what a person typed before it reaches the kernel.
 */
#include <linux/errno.h>
#include <linux/kernel.h>

#include "pciaddr.h"

/* Read @width hex digits (either case) from @str into @val. */
static bool parse_hex_field(const char *str, unsigned int width, u32 *val)
{
	unsigned int i;
	int digit;

	*val = 0;
	for (i = 0; i < width; i++) {
		digit = hex_to_bin(str[i]);
		if (digit < 0)
			return false;
		*val = *val << 4 | digit;
	}
	return true;
}

/**
 * pthru_pciaddr_parse() - parse "DDDD:BB:DD.F" into a packed address
 * @str: NUL-terminated text, hexadecimal in either case
 * @addr: where to store domain << 16 | bus << 8 | devfn
 *
 * Return: 0, or -EINVAL when @str is not exactly one well-formed address
 * (wrong field width, wrong separator, device above 0x1f, function above
 * 7, or anything after the function).  @addr is left alone on error.
 */
int pthru_pciaddr_parse(const char *str, u32 *addr)
{
	u32 domain, bus, slot, func;

	/* Field by field so that a NUL anywhere stops at the first mismatch. */
	if (!parse_hex_field(str, 4, &domain) || str[4] != ':' ||
	    !parse_hex_field(str + 5, 2, &bus) || str[7] != ':' ||
	    !parse_hex_field(str + 8, 2, &slot) || str[10] != '.' ||
	    !parse_hex_field(str + 11, 1, &func) || str[12] != '\0')
		return -EINVAL;
	if (slot > 0x1f || func > 7)
		return -EINVAL;

	*addr = PTHRU_PCIADDR(domain, bus, slot << 3 | func);
	return 0;
}

/**
 * pthru_pciaddr_format() - write a packed address as "dddd:bb:dd.f"
 * @addr: domain << 16 | bus << 8 | devfn
 * @buf: at least PTHRU_PCIADDR_BUFSZ bytes
 *
 * Return: @buf, so that the call can be used as a printf argument.
 */
char *pthru_pciaddr_format(u32 addr, char buf[PTHRU_PCIADDR_BUFSZ])
{
	u16 domain = PTHRU_PCIADDR_DOMAIN(addr);
	u8 bus = PTHRU_PCIADDR_BUS(addr);
	u8 slot = PTHRU_PCIADDR_SLOT(addr);
	u8 func = PTHRU_PCIADDR_FUNC(addr);

	snprintf(buf, PTHRU_PCIADDR_BUFSZ, "%04x:%02x:%02x.%x",
		 domain, bus, slot, func);
	return buf;
}
