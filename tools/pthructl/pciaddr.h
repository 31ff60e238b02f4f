/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI addresses as users type them: DDDD:BB:DD.F or BB:DD.F, hexadecimal,
 * either case.  The kernel side only accepts the canonical lowercase
 * DDDD:BB:DD.F form, so the tool normalises before sending.
 */
#ifndef PTHRUCTL_PCIADDR_H
#define PTHRUCTL_PCIADDR_H

#include <stddef.h>

/* "ffffffff:ff:1f.7" and its NUL: the longest canonical address. */
#define PCI_ADDR_STRLEN		17

/*
 * Parse @in and write its canonical form (lowercase, four or more domain
 * digits) to @out.  Returns 0, or -EINVAL if @in is not an address or
 * -ENOSPC if @len is too small.
 */
int pci_addr_normalize(const char *in, char *out, size_t len);

#endif /* PTHRUCTL_PCIADDR_H */
