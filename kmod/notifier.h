/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI bus events: the bus notifier and the event queue behind it.
 */
#ifndef _PTHRU_NOTIFIER_H
#define _PTHRU_NOTIFIER_H

int pthru_notifier_init(void);
void pthru_notifier_exit(void);

#endif /* _PTHRU_NOTIFIER_H */
