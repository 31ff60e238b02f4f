/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiler helpers.  Userspace runs the core single-threaded, so the
 * *_ONCE() accessors need only stop the compiler from tearing accesses.
 */
#ifndef _KCOMPAT_LINUX_COMPILER_H
#define _KCOMPAT_LINUX_COMPILER_H

#include <stddef.h>
#include <sys/cdefs.h>	/* __always_inline */

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define __maybe_unused		__attribute__((__unused__))
#ifndef __printf	/* pthructl.h may have it first */
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#endif
#define __must_check		__attribute__((__warn_unused_result__))
#define fallthrough		__attribute__((__fallthrough__))

#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile typeof(x) *)&(x) = (val))

#define __PASTE_(a, b)		a##b
#define __PASTE(a, b)		__PASTE_(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#define container_of(ptr, type, member) ({				\
	const typeof(((type *)0)->member) * __mptr = (ptr);		\
	(type *)((char *)__mptr - offsetof(type, member)); })

#endif /* _KCOMPAT_LINUX_COMPILER_H */
