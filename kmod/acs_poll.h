/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Polling the ACS control registers for writes nobody announces.
 */
#ifndef _PTHRU_ACS_POLL_H
#define _PTHRU_ACS_POLL_H

void pthru_acs_poll_init(void);
void pthru_acs_poll_exit(void);

#endif /* _PTHRU_ACS_POLL_H */
