/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KCOMPAT_LINUX_BITOPS_H
#define _KCOMPAT_LINUX_BITOPS_H

#include <linux/bits.h>
#include <linux/types.h>

/* Position of the highest set bit, counting from 1; 0 for 0. */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline unsigned long __fls(unsigned long word)
{
	return 63 - __builtin_clzl(word);
}

static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

#define hweight32(w)	__builtin_popcount(w)
#define hweight64(w)	__builtin_popcountll(w)

#endif /* _KCOMPAT_LINUX_BITOPS_H */
