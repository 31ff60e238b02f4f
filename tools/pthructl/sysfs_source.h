/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host's facts without the module: the core's snapshot built from sysfs
 * and procfs, with what those files cannot show marked unknown.
 */
#ifndef PTHRUCTL_SYSFS_SOURCE_H
#define PTHRUCTL_SYSFS_SOURCE_H

struct facts;

/*
 * Read the host under @root ("/" normally; the tests pass a fake tree)
 * into @facts: a finalized snapshot, its source FACTS_SYSFS, and the files
 * that exist but could not be read in @facts->unread, named as the kernel
 * shows them ("/sys/...", without @root).
 *
 * Return: 0; -ENOENT when @root has no /sys/bus/pci/devices (no sysfs);
 * -ENOMEM; -EINVAL when the core refuses the snapshot (two functions at
 * one address); another negative errno when that directory cannot be
 * listed.  On error @facts is left zeroed.
 */
int sysfs_facts_read(const char *root, struct facts *facts);

#endif /* PTHRUCTL_SYSFS_SOURCE_H */
