/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KCOMPAT_LINUX_LOG2_H
#define _KCOMPAT_LINUX_LOG2_H

#include <linux/bitops.h>
#include <linux/types.h>

/*
 * GCC folds __builtin_clzll() of a constant, so ilog2() of a constant is
 * an integer constant expression, as static_assert() in the core needs.
 * Like the kernel's, ilog2(0) is undefined.
 */
#define ilog2(n)	((int)(63 - __builtin_clzll((unsigned long long)(n))))

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}

#endif /* _KCOMPAT_LINUX_LOG2_H */
