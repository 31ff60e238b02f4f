/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PTHRU_VERSION_H
#define _PTHRU_VERSION_H

/* Reported by MODULE_VERSION, status-get and debugfs. */
#define PTHRU_VERSION	"0.1.0"

#endif /* _PTHRU_VERSION_H */
