/* SPDX-License-Identifier: GPL-2.0 */
/* One program, no modules: nothing to export. */
#ifndef _KCOMPAT_LINUX_EXPORT_H
#define _KCOMPAT_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)

#endif /* _KCOMPAT_LINUX_EXPORT_H */
