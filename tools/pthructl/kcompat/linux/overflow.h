/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KCOMPAT_LINUX_OVERFLOW_H
#define _KCOMPAT_LINUX_OVERFLOW_H

#include <stddef.h>
#include <stdint.h>

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

static inline size_t array_size(size_t a, size_t b)
{
	size_t bytes;

	return __builtin_mul_overflow(a, b, &bytes) ? SIZE_MAX : bytes;
}

#endif /* _KCOMPAT_LINUX_OVERFLOW_H */
