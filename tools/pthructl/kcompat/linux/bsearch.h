/* SPDX-License-Identifier: GPL-2.0 */
/* libc's bsearch() has the kernel's signature and contract. */
#ifndef _KCOMPAT_LINUX_BSEARCH_H
#define _KCOMPAT_LINUX_BSEARCH_H

#include <stdlib.h>

#endif /* _KCOMPAT_LINUX_BSEARCH_H */
