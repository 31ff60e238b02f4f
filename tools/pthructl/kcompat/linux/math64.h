/* SPDX-License-Identifier: GPL-2.0 */
/* A 64-bit host divides 64-bit numbers itself. */
#ifndef _KCOMPAT_LINUX_MATH64_H
#define _KCOMPAT_LINUX_MATH64_H

#include <linux/math.h>
#include <linux/types.h>

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

static inline u64 div64_u64_rem(u64 dividend, u64 divisor, u64 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#endif /* _KCOMPAT_LINUX_MATH64_H */
