/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core returns only errno values that libc has too.  libc's <errno.h>
 * includes this file by its kernel name, so hand on to the system's.
 */
#ifndef _KCOMPAT_LINUX_ERRNO_H
#define _KCOMPAT_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif /* _KCOMPAT_LINUX_ERRNO_H */
