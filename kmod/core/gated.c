// SPDX-License-Identifier: GPL-2.0
/*
 * The gated-driver list: what an entry may look like and what it matches.
 * gated.h describes the two forms.
 */
#include <linux/string.h>

#include "gated.h"

/*
 * The characters the policy language allows in a driver name.  Every PCI
 * driver of Debian's kernels is named with these; a name outside the set
 * would be a typo that silently gates nothing.  ASCII only: the kernel's
 * isalnum() follows Latin-1 and takes 0xe9 for a letter.
 */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/**
 * pthru_gated_name_valid() - is @entry a well-formed gated-list entry?
 * @entry: the entry, in a buffer of @size bytes
 * @size: size of that buffer; the entry must be terminated inside it
 *
 * A name is 1 to PTHRU_GATED_NAME_LEN - 1 characters of [A-Za-z0-9_.-];
 * a suffix entry is '*' and at least one such character.  A lone '*' is
 * refused: it would gate every PCI driver of the host, host drivers
 * included, which no policy means to do.
 *
 * Return: true when @entry is an exact name or a suffix entry.
 */
bool pthru_gated_name_valid(const char *entry, size_t size)
{
	size_t len = strnlen(entry, size), i;

	if (len == size || len >= PTHRU_GATED_NAME_LEN)
		return false;
	i = entry[0] == '*';
	if (len == i)
		return false;
	for (; i < len; i++)
		if (!name_char(entry[i]))
			return false;
	return true;
}

/**
 * pthru_gated_match() - does a gated-list entry cover a driver?
 * @entry: a valid entry
 * @driver: the driver's name
 *
 * A suffix entry covers a driver whose name ends with the suffix, the
 * suffix alone included ("*-vfio-pci" covers "-vfio-pci").
 *
 * Return: true when @driver is gated by @entry.
 */
bool pthru_gated_match(const char *entry, const char *driver)
{
	size_t len, suffix;

	if (entry[0] != '*')
		return !strcmp(entry, driver);
	len = strlen(driver);
	suffix = strlen(entry + 1);
	return len >= suffix && !strcmp(driver + len - suffix, entry + 1);
}
