/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake sysfs and procfs trees for the sysfs source's tests.  Paths are
 * relative to the tree's root ("sys/devices/..."); every helper creates
 * the directories it needs and exits the test program when the file
 * system refuses.
 */
#ifndef PTHRUCTL_FAKE_SYSFS_H
#define PTHRUCTL_FAKE_SYSFS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The current tree's root, a directory made by fake_sysfs_new(). */
extern char fake_sysfs_root[PATH_MAX];

void fake_sysfs_new(void);
/* Remove the tree and disarm fake_short_config(). */
void fake_sysfs_free(void);

/*
 * From now on the config file at @rel reads as sysfs reads it to a reader
 * without CAP_SYS_ADMIN: its first 64 bytes (the unit tests link with
 * --wrap=pread).
 */
void fake_short_config(const char *rel);

/* @rel under the root, into @buf (PATH_MAX bytes). */
void fake_path(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* mkdir -p of @rel's directory (and of @rel itself with @self). */
void fake_mkdir(const char *rel, bool self);
void fake_put_blob(const char *rel, const void *data, size_t len);
void fake_put(const char *rel, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A relative link at @rel to @target (both from the root), as sysfs has. */
void fake_link(const char *rel, const char *target);

/* A config space: @size is the file's, the kernel's cfg_size. */
struct fake_cfg {
	unsigned char d[4096];
	size_t size;
};

void fake_w16(struct fake_cfg *c, unsigned int pos, unsigned int v);
void fake_w32(struct fake_cfg *c, unsigned int pos, unsigned int v);
void fake_cfg_init(struct fake_cfg *c, size_t size, unsigned int vendor,
		   unsigned int device, unsigned int hdr);
/* A standard capability at @pos; the first one starts the list. */
void fake_cfg_cap(struct fake_cfg *c, unsigned int pos, unsigned int id,
		  unsigned int next);
/* A PCI Express capability of Device/Port Type @type. */
void fake_cfg_pcie(struct fake_cfg *c, unsigned int pos, unsigned int next,
		   unsigned int type);
void fake_cfg_ext(struct fake_cfg *c, unsigned int pos, unsigned int id,
		  unsigned int next);
void fake_cfg_acs(struct fake_cfg *c, unsigned int pos, unsigned int next,
		  unsigned int cap, unsigned int ctrl);

/*
 * A PCI function at sys/devices/@devpath (its last component is its
 * address): vendor, device, subsystem IDs, class, config file, uevent,
 * and its link in sys/bus/pci/devices.
 */
void fake_func(const char *devpath, unsigned int class,
	       const struct fake_cfg *c);
/* Bind sys/devices/@devpath to @driver of @bus. */
void fake_bind(const char *devpath, const char *bus, const char *driver);
/* Group @id with its type and reserved regions; members come with join. */
void fake_group(int id, const char *type, const char *resv);
/* Put sys/devices/@devpath in group @id, translated by @unit (a path). */
void fake_join(const char *devpath, int id, const char *unit);
/* An IOMMU class device at @devdir, and its sys/class/iommu link. */
void fake_unit(const char *devdir);
/* osrelease, hostname ("fakehost") and the command line. */
void fake_host(const char *release, const char *cmdline);

ssize_t __real_pread(int fd, void *buf, size_t count, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t count, off_t off);

#endif /* PTHRUCTL_FAKE_SYSFS_H */
