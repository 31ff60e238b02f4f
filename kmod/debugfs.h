/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The read-only debugfs view under /sys/kernel/debug/pthru/.
 */
#ifndef _PTHRU_DEBUGFS_H
#define _PTHRU_DEBUGFS_H

void pthru_debugfs_init(void);
void pthru_debugfs_exit(void);

#endif /* _PTHRU_DEBUGFS_H */
