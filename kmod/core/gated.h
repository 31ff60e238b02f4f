/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which drivers the bind gate watches.  An entry of the gated list is a
 * driver name ("vfio-pci") or a '*' followed by a suffix ("*-vfio-pci":
 * every driver whose name ends with "-vfio-pci", the way VFIO names its
 * variant drivers).  Pure core: the gate and policy installation call it
 * with plain strings.
 */
#ifndef _PTHRU_CORE_GATED_H
#define _PTHRU_CORE_GATED_H

#include <linux/types.h>

#include "snapshot.h"

/* Room for one entry, its NUL included (same bound as a driver name). */
#define PTHRU_GATED_NAME_LEN	PTHRU_DRIVER_NAME_LEN

bool pthru_gated_name_valid(const char *entry, size_t size);
bool pthru_gated_match(const char *entry, const char *driver);

#endif /* _PTHRU_CORE_GATED_H */
