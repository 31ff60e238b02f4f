/* SPDX-License-Identifier: GPL-2.0 */
/* The KUnit suites' module boilerplate, for a program that is no module. */
#ifndef _KCOMPAT_LINUX_MODULE_H
#define _KCOMPAT_LINUX_MODULE_H

#include <linux/export.h>

#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)

#endif /* _KCOMPAT_LINUX_MODULE_H */
