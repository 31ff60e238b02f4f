/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference counts.  Userspace runs the core in one thread, so a plain
 * counter does; there is no saturation or underflow warning.
 */
#ifndef _KCOMPAT_LINUX_KREF_H
#define _KCOMPAT_LINUX_KREF_H

#include <linux/types.h>

struct kref {
	unsigned int refcount;
};

static inline void kref_init(struct kref *kref)
{
	kref->refcount = 1;
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return kref->refcount;
}

static inline void kref_get(struct kref *kref)
{
	kref->refcount++;
}

static inline int kref_put(struct kref *kref,
			   void (*release)(struct kref *kref))
{
	if (--kref->refcount)
		return 0;
	release(kref);
	return 1;
}

#endif /* _KCOMPAT_LINUX_KREF_H */
