/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Telling listeners what an evaluation changed: hazard-raise-ntf,
 * hazard-clear-ntf and acs-change-ntf.
 */
#ifndef _PTHRU_ANNOUNCE_H
#define _PTHRU_ANNOUNCE_H

void pthru_announce_init(void);
void pthru_announce_schedule(void);
void pthru_announce_flush(void);
void pthru_announce_exit(void);

#endif /* _PTHRU_ANNOUNCE_H */
