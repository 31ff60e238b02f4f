/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's sort(), from its own lib/sort.c (kcompat/upstream/sort.c):
 * like qsort() it is not stable, but unlike qsort() it orders equal
 * elements the same way in both homes.
 */
#ifndef _KCOMPAT_LINUX_SORT_H
#define _KCOMPAT_LINUX_SORT_H

#include <linux/types.h>

void sort_r(void *base, size_t num, size_t size,
	    cmp_r_func_t cmp_func,
	    swap_r_func_t swap_func,
	    const void *priv);

void sort(void *base, size_t num, size_t size,
	  cmp_func_t cmp_func,
	  swap_func_t swap_func);

#endif /* _KCOMPAT_LINUX_SORT_H */
