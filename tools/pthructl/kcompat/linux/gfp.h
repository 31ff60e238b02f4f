/* SPDX-License-Identifier: GPL-2.0 */
/* Allocation flags: accepted and ignored, malloc() has no contexts. */
#ifndef _KCOMPAT_LINUX_GFP_H
#define _KCOMPAT_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_NOWARN	0x1u
#define __GFP_ZERO	0x2u
#define GFP_KERNEL	0x10u
#define GFP_ATOMIC	0x20u
#define GFP_NOWAIT	0x40u

#endif /* _KCOMPAT_LINUX_GFP_H */
