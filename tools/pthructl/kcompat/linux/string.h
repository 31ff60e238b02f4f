/* SPDX-License-Identifier: GPL-2.0 */
/* libc's string functions plus the kernel's strscpy() and str_has_prefix(). */
#ifndef _KCOMPAT_LINUX_STRING_H
#define _KCOMPAT_LINUX_STRING_H

#include <errno.h>
#include <string.h>
#include <sys/types.h>

/*
 * Copy as much of @src as fits, always terminated (when @size is not 0).
 * Return: the length copied, or -E2BIG when @src was cut.
 */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

/* Return: the length of @prefix when @str starts with it, else 0. */
static inline size_t str_has_prefix(const char *str, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(str, prefix, len) == 0 ? len : 0;
}

#endif /* _KCOMPAT_LINUX_STRING_H */
