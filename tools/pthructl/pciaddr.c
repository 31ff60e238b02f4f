// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of user-supplied PCI addresses.  The grammar is strict on
 * purpose: a typo must give an error, never a different device.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pciaddr.h"

#define PCI_MAX_DEVICE		0x1f
#define PCI_MAX_FUNCTION	0x7

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Read between @min and @max hex digits at *@s into @val and advance *@s.
 * Fails if fewer than @min digits, or more than @max, are there.
 */
static bool read_hex(const char **s, unsigned int min, unsigned int max,
		     uint32_t *val)
{
	unsigned int n = 0;
	int d;

	*val = 0;
	while ((d = hex_digit((*s)[n])) >= 0) {
		if (n == max)
			return false;
		*val = *val << 4 | d;
		n++;
	}
	*s += n;
	return n >= min;
}

static bool expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

int pci_addr_normalize(const char *in, char *out, size_t len)
{
	uint32_t domain = 0, bus, dev, fn;
	const char *s = in;
	int n;

	/* With a domain there are two colons: DDDD:BB:DD.F. */
	if (strchr(in, ':') != strrchr(in, ':')) {
		/* Domains above ffff exist (Intel VMD uses 10000 and up). */
		if (!read_hex(&s, 4, 8, &domain) || !expect(&s, ':'))
			return -EINVAL;
	}
	if (!read_hex(&s, 2, 2, &bus) || !expect(&s, ':') ||
	    !read_hex(&s, 2, 2, &dev) || !expect(&s, '.') ||
	    !read_hex(&s, 1, 1, &fn) || *s)
		return -EINVAL;
	if (dev > PCI_MAX_DEVICE || fn > PCI_MAX_FUNCTION)
		return -EINVAL;

	n = snprintf(out, len, "%04x:%02x:%02x.%x", domain, bus, dev, fn);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}
