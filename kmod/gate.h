/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bind gate: evaluates the policy when a PCI function is bound to a
 * gated driver, and refuses the bind in enforce mode.
 */
#ifndef _PTHRU_GATE_H
#define _PTHRU_GATE_H

int pthru_gate_init(void);
void pthru_gate_exit(void);

#endif /* _PTHRU_GATE_H */
