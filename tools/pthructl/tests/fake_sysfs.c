// SPDX-License-Identifier: GPL-2.0
/*
 * Fake sysfs and procfs trees for the sysfs source's tests: real
 * directories, files and relative symbolic links in a temporary directory,
 * laid out as the kernel lays them out, and config spaces composed byte by
 * byte.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_sysfs.h"

char fake_sysfs_root[PATH_MAX];

/* The config file that reads as for a reader without CAP_SYS_ADMIN. */
static struct stat short_config;
static bool short_config_armed;

/* pci_read_config(): 64 bytes to whoever lacks CAP_SYS_ADMIN. */
ssize_t __wrap_pread(int fd, void *buf, size_t count, off_t off)
{
	struct stat st;

	if (short_config_armed && !fstat(fd, &st) &&
	    st.st_dev == short_config.st_dev &&
	    st.st_ino == short_config.st_ino) {
		if (off >= 64)
			return 0;
		if (off + count > 64)
			count = 64 - off;
	}
	return __real_pread(fd, buf, count, off);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

void fake_path(char *buf, const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (snprintf(buf, PATH_MAX, "%s/%s", fake_sysfs_root, rel) >= PATH_MAX)
		die("path too long");
}

/* mkdir -p of @rel's directory (@rel itself too with @self). */
void fake_mkdir(const char *rel, bool self)
{
	char full[PATH_MAX], *p;

	fake_path(full, "%s", rel);
	for (p = full + strlen(fake_sysfs_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(full, 0755) && errno != EEXIST)
			die(full);
		*p = '/';
	}
	if (self && mkdir(full, 0755) && errno != EEXIST)
		die(full);
}

void fake_put_blob(const char *rel, const void *data, size_t len)
{
	char full[PATH_MAX];
	FILE *f;

	fake_mkdir(rel, false);
	fake_path(full, "%s", rel);
	f = fopen(full, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		die(full);
}

void fake_put(const char *rel, const char *fmt, ...)
{
	char text[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fake_put_blob(rel, text, strlen(text));
}

/* A relative link at @rel to @target (both from the fake_sysfs_root), as sysfs has. */
void fake_link(const char *rel, const char *target)
{
	char full[PATH_MAX], up[PATH_MAX] = "";
	const char *p;

	fake_mkdir(rel, false);
	for (p = strchr(rel, '/'); p; p = strchr(p + 1, '/'))
		strcat(up, "../");
	strcat(up, target);
	fake_path(full, "%s", rel);
	if (symlink(up, full))
		die(full);
}

static int rm_one(const char *fpath, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(fpath);
}

void fake_sysfs_new(void)
{
	snprintf(fake_sysfs_root, sizeof(fake_sysfs_root), "%s/pthru-sysfs.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fake_sysfs_root))
		die("mkdtemp");
}

void fake_sysfs_free(void)
{
	if (nftw(fake_sysfs_root, rm_one, 16, FTW_DEPTH | FTW_PHYS))
		die("nftw");
	short_config_armed = false;
}

void fake_short_config(const char *rel)
{
	char full[PATH_MAX];

	fake_path(full, "%s", rel);
	if (stat(full, &short_config))
		die(full);
	short_config_armed = true;
}

void fake_w16(struct fake_cfg *c, unsigned int pos, unsigned int v)
{
	c->d[pos] = v;
	c->d[pos + 1] = v >> 8;
}

void fake_w32(struct fake_cfg *c, unsigned int pos, unsigned int v)
{
	fake_w16(c, pos, v);
	fake_w16(c, pos + 2, v >> 16);
}

void fake_cfg_init(struct fake_cfg *c, size_t size, unsigned int vendor,
		     unsigned int device, unsigned int hdr)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
	fake_w16(c, 0x00, vendor);
	fake_w16(c, 0x02, device);
	c->d[0x0e] = hdr;
}

/* A standard capability at @pos; the first one starts the list. */
void fake_cfg_cap(struct fake_cfg *c, unsigned int pos, unsigned int id,
		    unsigned int next)
{
	if (!(c->d[0x06] & 0x10)) {
		c->d[0x06] |= 0x10;
		c->d[0x34] = pos;
	}
	c->d[pos] = id;
	c->d[pos + 1] = next;
}

void fake_cfg_pcie(struct fake_cfg *c, unsigned int pos, unsigned int next,
		     unsigned int type)
{
	fake_cfg_cap(c, pos, 0x10, next);
	fake_w16(c, pos + 2, type << 4 | 2);
}

void fake_cfg_ext(struct fake_cfg *c, unsigned int pos, unsigned int id,
		    unsigned int next)
{
	fake_w32(c, pos, id | 1 << 16 | next << 20);
}

void fake_cfg_acs(struct fake_cfg *c, unsigned int pos, unsigned int next,
		    unsigned int cap, unsigned int ctrl)
{
	fake_cfg_ext(c, pos, 0x000d, next);
	fake_w16(c, pos + 4, cap);
	fake_w16(c, pos + 6, ctrl);
}

/*
 * A PCI function at sys/devices/@devpath (its last component is its
 * address), with its attributes, config file and bus link.
 */
void fake_func(const char *devpath, unsigned int class,
		     const struct fake_cfg *c)
{
	const char *name = strrchr(devpath, '/') + 1;
	char rel[PATH_MAX], target[PATH_MAX];

	snprintf(rel, sizeof(rel), "sys/devices/%s", devpath);
	fake_mkdir(rel, true);
	snprintf(rel, sizeof(rel), "sys/devices/%s/uevent", devpath);
	fake_put(rel, "PCI_SLOT_NAME=%s\n", name);
	snprintf(rel, sizeof(rel), "sys/devices/%s/vendor", devpath);
	fake_put(rel, "0x%04x\n", c->d[0] | c->d[1] << 8);
	snprintf(rel, sizeof(rel), "sys/devices/%s/device", devpath);
	fake_put(rel, "0x%04x\n", c->d[2] | c->d[3] << 8);
	snprintf(rel, sizeof(rel), "sys/devices/%s/subsystem_vendor", devpath);
	fake_put(rel, "0x%04x\n", 0x1d49);
	snprintf(rel, sizeof(rel), "sys/devices/%s/subsystem_device", devpath);
	fake_put(rel, "0x%04x\n", 0x0101);
	snprintf(rel, sizeof(rel), "sys/devices/%s/class", devpath);
	fake_put(rel, "0x%06x\n", class);
	snprintf(rel, sizeof(rel), "sys/devices/%s/config", devpath);
	fake_put_blob(rel, c->d, c->size);
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", name);
	snprintf(target, sizeof(target), "sys/devices/%s", devpath);
	fake_link(rel, target);
}

void fake_bind(const char *devpath, const char *bus, const char *driver)
{
	char rel[PATH_MAX], target[PATH_MAX];

	snprintf(target, sizeof(target), "sys/bus/%s/drivers/%s", bus, driver);
	fake_mkdir(target, true);
	snprintf(rel, sizeof(rel), "sys/devices/%s/driver", devpath);
	fake_link(rel, target);
}

/* Group @id with its type and reserved regions; members come with fake_join(). */
void fake_group(int id, const char *type, const char *resv)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices", id);
	fake_mkdir(rel, true);
	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/type", id);
	fake_put(rel, "%s\n", type);
	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/reserved_regions",
		 id);
	fake_put(rel, "%s", resv);
}

/* Put sys/devices/@devpath in group @id, translated by @unit (a path). */
void fake_join(const char *devpath, int id, const char *unit)
{
	const char *name = strrchr(devpath, '/') + 1;
	char rel[PATH_MAX], target[PATH_MAX];

	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices/%s",
		 id, name);
	snprintf(target, sizeof(target), "sys/devices/%s", devpath);
	fake_link(rel, target);
	snprintf(rel, sizeof(rel), "sys/devices/%s/iommu_group", devpath);
	snprintf(target, sizeof(target), "sys/kernel/iommu_groups/%d", id);
	fake_link(rel, target);
	if (unit) {
		snprintf(rel, sizeof(rel), "sys/devices/%s/iommu", devpath);
		fake_link(rel, unit);
	}
}

/* An IOMMU class device at @devdir; its class link too. */
void fake_unit(const char *devdir)
{
	char rel[PATH_MAX];

	fake_mkdir(devdir, true);
	snprintf(rel, sizeof(rel), "%s/uevent", devdir);
	fake_put(rel, "\n");
	snprintf(rel, sizeof(rel), "sys/class/iommu/%s",
		 strrchr(devdir, '/') + 1);
	fake_link(rel, devdir);
}

void fake_host(const char *release, const char *cmdline)
{
	fake_put("proc/sys/kernel/osrelease", "%s\n", release);
	fake_put("proc/sys/kernel/hostname", "fakehost\n");
	fake_put("proc/cmdline", "%s\n", cmdline);
}

