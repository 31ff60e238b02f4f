/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI function addresses as pthru stores and prints them.
 *
 * A function is named by its PCI domain (segment), bus, device and
 * function.  pthru packs the four into one u32, domain << 16 | bus << 8 |
 * devfn, so that sorting the packed values sorts functions the way lspci
 * lists them, and writes them as "DDDD:BB:DD.F" in lowercase hex, the form
 * sysfs uses under /sys/bus/pci/devices.
 */
#ifndef _PTHRU_CORE_PCIADDR_H
#define _PTHRU_CORE_PCIADDR_H

#include <linux/types.h>

/* "DDDD:BB:DD.F" plus the terminating NUL. */
#define PTHRU_PCIADDR_LEN	12
#define PTHRU_PCIADDR_BUFSZ	(PTHRU_PCIADDR_LEN + 1)

#define PTHRU_PCIADDR(domain, bus, devfn) \
	((u32)(u16)(domain) << 16 | (u32)(u8)(bus) << 8 | (u8)(devfn))
#define PTHRU_PCIADDR_DOMAIN(addr)	((u16)((addr) >> 16))
#define PTHRU_PCIADDR_BUS(addr)		((u8)((addr) >> 8))
#define PTHRU_PCIADDR_DEVFN(addr)	((u8)(addr))
#define PTHRU_PCIADDR_SLOT(addr)	((u8)((addr) >> 3 & 0x1f))
#define PTHRU_PCIADDR_FUNC(addr)	((u8)((addr) & 0x07))

int pthru_pciaddr_parse(const char *str, u32 *addr);
char *pthru_pciaddr_format(u32 addr, char buf[PTHRU_PCIADDR_BUFSZ]);

#endif /* _PTHRU_CORE_PCIADDR_H */
