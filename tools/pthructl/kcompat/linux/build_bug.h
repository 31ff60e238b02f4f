/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KCOMPAT_LINUX_BUILD_BUG_H
#define _KCOMPAT_LINUX_BUILD_BUG_H

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

/* The kernel's static_assert() takes the message as optional. */
#undef static_assert
#define static_assert(expr, ...)	__static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...)	_Static_assert(expr, msg)

#endif /* _KCOMPAT_LINUX_BUILD_BUG_H */
