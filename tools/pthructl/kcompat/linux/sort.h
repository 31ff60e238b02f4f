/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sort() over qsort().  Neither is stable, so the core's comparisons are
 * total orders wherever the result is shown.  A custom swap function is
 * not supported: the core passes none.
 */
#ifndef _KCOMPAT_LINUX_SORT_H
#define _KCOMPAT_LINUX_SORT_H

#include <stdlib.h>

#include <linux/types.h>

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

static inline void sort(void *base, size_t num, size_t size,
			cmp_func_t cmp_func, swap_func_t swap_func)
{
	(void)swap_func;
	if (num > 1)
		qsort(base, num, size, cmp_func);
}

#endif /* _KCOMPAT_LINUX_SORT_H */
