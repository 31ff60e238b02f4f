/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's short integer names and gfp_t, on top of the system's UAPI
 * types, which netlink and the pthru ABI header also include.
 */
#ifndef _KCOMPAT_LINUX_TYPES_H
#define _KCOMPAT_LINUX_TYPES_H

#include_next <linux/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

/* Allocation flags: accepted and ignored (<linux/gfp.h>). */
typedef unsigned int __bitwise gfp_t;

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef int (*cmp_r_func_t)(const void *a, const void *b, const void *priv);
typedef void (*swap_func_t)(void *a, void *b, int size);
typedef void (*swap_r_func_t)(void *a, void *b, int size, const void *priv);

#endif /* _KCOMPAT_LINUX_TYPES_H */
