/* SPDX-License-Identifier: GPL-2.0 */
/*
 * min(), max() and friends.  Each evaluates its arguments once, into
 * uniquely named temporaries so that nesting them does not shadow.  Unlike
 * the kernel's they do not refuse mixed signedness; the kernel build does.
 */
#ifndef _KCOMPAT_LINUX_MINMAX_H
#define _KCOMPAT_LINUX_MINMAX_H

#include <linux/compiler.h>

#define __kc_min(x, y, ux, uy) ({					\
	__auto_type ux = (x);						\
	__auto_type uy = (y);						\
	ux < uy ? ux : uy; })
#define __kc_max(x, y, ux, uy) ({					\
	__auto_type ux = (x);						\
	__auto_type uy = (y);						\
	ux > uy ? ux : uy; })

#define min(x, y)	__kc_min(x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))
#define max(x, y)	__kc_max(x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))
#define min_t(type, x, y)	min((type)(x), (type)(y))
#define max_t(type, x, y)	max((type)(x), (type)(y))
#define clamp(val, lo, hi)	min(max(val, lo), hi)

#define swap(a, b) do {							\
	typeof(a) __kc_swap_tmp = (a);					\
	(a) = (b);							\
	(b) = __kc_swap_tmp;						\
} while (0)

#endif /* _KCOMPAT_LINUX_MINMAX_H */
