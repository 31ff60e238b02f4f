// SPDX-License-Identifier: GPL-2.0
/*
 * A host's facts without the module: the core's snapshot built from sysfs
 * and procfs under a root directory ("/" normally, a fake tree in the
 * tests), reading what kmod/inventory.c reads from the kernel's own
 * structures as closely as those files allow.  What they cannot show is
 * left at a placeholder and marked in the snapshot's unknown bits, so that
 * the caller can evaluate the snapshot both ways.
 *
 * Paths are written as the kernel shows them ("/sys/...") and opened under
 * the root.  Symbolic links are resolved inside the root, as a chroot
 * would: an absolute target starts again from the root and ".." stops at
 * it, so a tree's link never reads the real /sys by accident.
 *
 * Files that are missing where that is normal (no driver, no IOMMU group,
 * no vfio_iommu_type1) are not errors.  A file that exists and cannot be
 * read, or reads as nonsense, goes in the facts' unread list and its fact
 * falls back to what the module would have left unset.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/string.h>
#include <linux/version.h>

#include <core/hazard.h>
#include <core/names.h>
#include <core/pciaddr.h>
#include <core/snapshot.h>

#include "cmdline.h"
#include "facts.h"
#include "sysfs_source.h"

/* The kernel's bound on a standard capability list (drivers/pci/pci.c). */
#define PCI_FIND_CAP_TTL	48
#define HDR_TYPE_MASK		0x7f
#define HDR_TYPE_MFD		0x80
#define PCI_VENDOR_INTEL	0x8086
#define PCI_BASE_CLASS_BRIDGE	0x06	/* the kernel's pci_ids.h */

/* Where the kernel gives up following symbolic links (MAXSYMLINKS). */
#define SYMLINK_HOPS_MAX		40

/* Nothing sysfs or procfs shows here is anywhere near this. */
#define READ_ALL_MAX		(1 << 20)

struct sysfs_ctx {
	/* The root without trailing slashes: "" for "/". */
	char root[PATH_MAX];
	struct facts *facts;
	struct pthru_snapshot *snap;
	/* -ENOMEM once a note could not be kept; everything stops. */
	int err;
	/* pci=noats: the PCI core records no ATS capability. */
	bool noats;
	/* The command line's default domain: 1 passthrough, 0 not, -1 silent. */
	int cmdline_pt;
};

/* One entry of /sys/bus/pci/devices beside its record in the snapshot. */
struct func_info {
	u32 addr;
	char name[NAME_MAX + 1];
	/* Its device directory, resolved inside the root; NULL if unknown. */
	char *real;
	/* Name of the IOMMU unit its "iommu" link points to, "" for none. */
	char unit[NAME_MAX + 1];
};

/* Config space as the config file gave it. */
struct cfg {
	u8 data[PCI_CFG_SPACE_EXP_SIZE];
	size_t len;	/* bytes read */
	size_t size;	/* the file's size: the kernel's cfg_size */
};

static void note(struct sysfs_ctx *ctx, const char *rel, int err)
{
	if (facts_note_unread(ctx->facts, rel, err))
		ctx->err = -ENOMEM;
}

static __printf(2, 3) int relf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* @rel ("/sys/...") as a path under the root. */
static int in_root(const struct sysfs_ctx *ctx, char *buf, const char *rel)
{
	return relf(buf, "%s%s", ctx->root, rel);
}

/*
 * Resolve @rel inside the root into @out (PATH_MAX bytes, root-relative,
 * "" for the root itself).  Return: 0 or a negative errno.
 */
static int resolve(const struct sysfs_ctx *ctx, const char *rel, char *out)
{
	char todo[PATH_MAX], target[PATH_MAX], full[PATH_MAX], rest[PATH_MAX];
	unsigned int links = 0;
	size_t olen = 0;
	struct stat st;
	char *p, *comp;
	ssize_t n;

	if (relf(todo, "%s", rel))
		return -ENAMETOOLONG;
	out[0] = '\0';
	p = todo;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		comp = p;
		p += strcspn(p, "/");
		if (*p)
			*p++ = '\0';
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *slash = strrchr(out, '/');

			if (slash)
				*slash = '\0';
			olen = strlen(out);
			continue;
		}
		if (olen + 1 + strlen(comp) >= PATH_MAX)
			return -ENAMETOOLONG;
		out[olen] = '/';
		strcpy(out + olen + 1, comp);
		if (in_root(ctx, full, out))
			return -ENAMETOOLONG;
		if (lstat(full, &st))
			return -errno;
		if (!S_ISLNK(st.st_mode)) {
			olen = strlen(out);
			continue;
		}
		if (++links > SYMLINK_HOPS_MAX)
			return -ELOOP;
		n = readlink(full, target, sizeof(target) - 1);
		if (n < 0)
			return -errno;
		target[n] = '\0';
		/* What is left of the path continues from the link's target. */
		if (relf(rest, "%s/%s", target, p))
			return -ENAMETOOLONG;
		strcpy(todo, rest);
		p = todo;
		if (target[0] == '/')
			olen = 0;
		out[olen] = '\0';
	}
	return 0;
}

/*
 * @rel as a path to hand to the system: every link on the way resolved
 * inside the root, the last component's own too with @follow (open, not
 * readlink or lstat).
 */
static int root_file(const struct sysfs_ctx *ctx, const char *rel, char *full,
		     bool follow)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *base = strrchr(rel, '/');
	int err;

	if (follow || !base) {
		err = resolve(ctx, rel, real);
		return err ? err : in_root(ctx, full, real);
	}
	if (relf(dir, "%.*s", (int)(base - rel), rel))
		return -ENAMETOOLONG;
	err = resolve(ctx, dir, real);
	return err ? err : relf(full, "%s%s%s", ctx->root, real, base);
}

static char *last_component(char *path)
{
	char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The last component of the target of the link @rel, into @buf. */
static int link_name(const struct sysfs_ctx *ctx, const char *rel, char *buf,
		     size_t len)
{
	char full[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;
	int err;

	err = root_file(ctx, rel, full, false);
	if (err)
		return err;
	n = readlink(full, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	while (n > 1 && target[n - 1] == '/')
		n--;
	target[n] = '\0';
	base = last_component(target);
	if (!*base || strlen(base) >= len)
		return -EINVAL;
	strcpy(buf, base);
	return 0;
}

/* Does @rel exist (as anything, links not followed)? */
static int exists(const struct sysfs_ctx *ctx, const char *rel)
{
	char full[PATH_MAX];
	struct stat st;

	int err = root_file(ctx, rel, full, false);

	if (err)
		return err;
	return lstat(full, &st) ? -errno : 0;
}

/* The whole file @rel, NUL-terminated, into a buffer the caller frees. */
static int read_all(const struct sysfs_ctx *ctx, const char *rel, char **text,
		    size_t *len)
{
	size_t cap = 4096, got = 0;
	char full[PATH_MAX], *buf, *bigger;
	ssize_t n;
	int fd, err = 0;

	err = root_file(ctx, rel, full, true);
	if (err)
		return err;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	while (buf) {
		n = read(fd, buf + got, cap - got - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		got += n;
		if (got + 1 < cap)
			continue;
		if (cap >= READ_ALL_MAX) {
			err = -EFBIG;
			break;
		}
		cap *= 2;
		bigger = realloc(buf, cap);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	close(fd);
	if (!buf)
		return -ENOMEM;
	if (err) {
		free(buf);
		return err;
	}
	buf[got] = '\0';
	*text = buf;
	if (len)
		*len = got;
	return 0;
}

/* The first line of @rel, without its newline, into @buf. */
static int read_line(const struct sysfs_ctx *ctx, const char *rel, char *buf,
		     size_t len)
{
	size_t got;
	char *text;
	int err;

	err = read_all(ctx, rel, &text, &got);
	if (err)
		return err;
	text[strcspn(text, "\n")] = '\0';
	if (strlen(text) >= len) {
		free(text);
		return -EINVAL;
	}
	strcpy(buf, text);
	free(text);
	return 0;
}

/* A hexadecimal attribute ("0x8086") no wider than @max. */
static bool read_hex(struct sysfs_ctx *ctx, const char *rel,
		     unsigned long max, unsigned long *val)
{
	char buf[32], *end;
	int err;

	err = read_line(ctx, rel, buf, sizeof(buf));
	if (!err) {
		errno = 0;
		*val = strtoul(buf, &end, 16);
		if (errno || end == buf || *end || *val > max)
			err = -EINVAL;
	}
	if (err)
		note(ctx, rel, -err);
	return !err;
}

/* kstrtobool() (lib/kstrtox.c): the first character decides, or "on"/"off". */
static int parse_bool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

static u8 cfg_byte(const struct cfg *c, unsigned int pos)
{
	return pos < c->len ? c->data[pos] : 0xff;
}

/*
 * Config space is little-endian.  Past what was read the value is all
 * ones, what a failed config read gives in the kernel too.
 */
static u16 cfg_word(const struct cfg *c, unsigned int pos)
{
	return cfg_byte(c, pos) | cfg_byte(c, pos + 1) << 8;
}

static u32 cfg_dword(const struct cfg *c, unsigned int pos)
{
	return cfg_word(c, pos) | (u32)cfg_word(c, pos + 2) << 16;
}

/* pci_find_capability(): the standard list, bounded as the kernel bounds it. */
static unsigned int cfg_find_cap(const struct cfg *c, u8 cap)
{
	unsigned int pos, ttl = PCI_FIND_CAP_TTL;
	u16 ent;

	if (!(cfg_word(c, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	switch (cfg_byte(c, PCI_HEADER_TYPE) & HDR_TYPE_MASK) {
	case PCI_HEADER_TYPE_NORMAL:
	case PCI_HEADER_TYPE_BRIDGE:
		pos = cfg_byte(c, PCI_CAPABILITY_LIST);
		break;
	case PCI_HEADER_TYPE_CARDBUS:
		pos = cfg_byte(c, PCI_CB_CAPABILITY_LIST);
		break;
	default:
		return 0;
	}
	while (ttl--) {
		if (pos < PCI_STD_HEADER_SIZEOF)
			break;
		pos &= ~3u;
		ent = cfg_word(c, pos);
		if ((ent & 0xff) == 0xff)
			break;
		if ((ent & 0xff) == cap)
			return pos;
		pos = ent >> 8;
	}
	return 0;
}

/*
 * pci_find_ext_capability(): none when the kernel's cfg_size is 256, as
 * the PCI core sees none then either; at most one step per 8 bytes.
 */
static unsigned int cfg_find_ext_cap(const struct cfg *c, u16 cap)
{
	int ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	unsigned int pos = PCI_CFG_SPACE_SIZE;
	u32 header;

	if (c->size <= PCI_CFG_SPACE_SIZE)
		return 0;
	header = cfg_dword(c, pos);
	if (!header)
		return 0;
	while (ttl-- > 0) {
		if (PCI_EXT_CAP_ID(header) == cap)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE)
			break;
		header = cfg_dword(c, pos);
	}
	return 0;
}

static int read_config(const struct sysfs_ctx *ctx, const char *rel,
		       struct cfg *c)
{
	char full[PATH_MAX];
	struct stat st;
	size_t want;
	ssize_t n;
	int fd, err = 0;

	c->len = 0;
	err = root_file(ctx, rel, full, true);
	if (err)
		return err;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	c->size = st.st_size;
	want = c->size < sizeof(c->data) ? c->size : sizeof(c->data);
	while (c->len < want) {
		n = pread(fd, c->data + c->len, want - c->len, c->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		c->len += n;
	}
out:
	close(fd);
	return err;
}

/*
 * The capabilities fill_func() takes from struct pci_dev, which the PCI
 * core found in this same config space at enumeration.
 */
static void fill_caps(const struct sysfs_ctx *ctx, const struct cfg *c,
		      struct pthru_dev *func)
{
	unsigned int pos;

	pos = cfg_find_cap(c, PCI_CAP_ID_EXP);
	if (pos) {
		func->is_pcie = true;
		func->pcie_type = (cfg_word(c, pos + PCI_EXP_FLAGS) &
				   PCI_EXP_FLAGS_TYPE) >> 4;
	}
	pos = cfg_find_ext_cap(c, PCI_EXT_CAP_ID_ACS);
	if (pos) {
		func->acs_pos = pos;
		func->acs_cap = cfg_word(c, pos + PCI_ACS_CAP);
		func->acs_ctrl = cfg_word(c, pos + PCI_ACS_CTRL);
		/* Some Intel PCH root ports keep ACS control at +8 (quirks.c). */
		if (func->vendor == PCI_VENDOR_INTEL && func->is_pcie &&
		    func->pcie_type == PCI_EXP_TYPE_ROOT_PORT) {
			func->acs_alt_ctrl = cfg_dword(c, pos + 8);
			func->acs_alt_read = true;
		}
	}
	/* pci_ats_init(): with pci=noats the core records no capability. */
	pos = ctx->noats ? 0 : cfg_find_ext_cap(c, PCI_EXT_CAP_ID_ATS);
	if (pos) {
		func->ats_supported = true;
		func->ats_enabled = !!(cfg_word(c, pos + PCI_ATS_CTRL) &
				       PCI_ATS_CTRL_ENABLE);
	}
	/* pci_get_dsn(): the low dword first, the high one after it. */
	pos = cfg_find_ext_cap(c, PCI_EXT_CAP_ID_DSN);
	if (pos) {
		func->has_dsn = true;
		func->dsn = (u64)cfg_dword(c, pos + 8) << 32 |
			    cfg_dword(c, pos + 4);
	}
}

/* A header of all ones: the function did not answer the reads. */
static bool cfg_all_ones(const struct cfg *c)
{
	size_t i, n = c->len < PCI_STD_HEADER_SIZEOF ? c->len :
		      PCI_STD_HEADER_SIZEOF;

	for (i = 0; i < n; i++)
		if (c->data[i] != 0xff)
			return false;
	return n > 0;
}

static void fill_config(struct sysfs_ctx *ctx, const char *rel,
			struct pthru_dev *func)
{
	struct cfg *c;
	int err;

	c = malloc(sizeof(*c));
	if (!c) {
		ctx->err = -ENOMEM;
		return;
	}
	err = read_config(ctx, rel, c);
	if (!err && cfg_all_ones(c))
		/*
		 * Not answering (D3cold, surprise removal): nothing to walk.
		 * Not the vendor ID alone: a virtual function's reads 0xffff
		 * by the SR-IOV spec, its header does not.
		 */
		err = -EIO;
	else if (!err && c->len < c->size && c->len < sizeof(c->data))
		/* Without CAP_SYS_ADMIN the kernel gives the first 64 bytes. */
		err = -EACCES;
	else if (!err && c->size < PCI_CFG_SPACE_SIZE)
		/* The kernel's cfg_size is 256 or 4096: this is no config file. */
		err = -EINVAL;
	if (err) {
		func->unknown |= PTHRU_DEV_UNKNOWN_CONFIG |
				 PTHRU_DEV_UNKNOWN_DSN;
		note(ctx, rel, -err);
	} else {
		fill_caps(ctx, c, func);
	}
	/* The header type is in the first 64 bytes anyone may read. */
	if ((!err || err == -EACCES) && c->len >= PCI_STD_HEADER_SIZEOF)
		func->multifunction = !!(cfg_byte(c, PCI_HEADER_TYPE) &
					 HDR_TYPE_MFD);
	free(c);
}

/*
 * Cut @real (a resolved device directory) to its parent device's.  A
 * class device whose parent is no class device lives in a glue directory
 * named after its class (drivers/base/core.c, get_device_parent()):
 * .../0000:00:00.2/iommu/ivhd0.  @class is the device's class, NULL for
 * none.
 */
static void to_parent_device(char *real, const char *class)
{
	char *slash = strrchr(real, '/');

	if (slash)
		*slash = '\0';
	if (class && !strcmp(last_component(real), class)) {
		slash = strrchr(real, '/');
		if (slash)
			*slash = '\0';
	}
}

static void fill_ids(struct sysfs_ctx *ctx, const struct func_info *fi,
		     struct pthru_dev *func)
{
	char rel[PATH_MAX];
	unsigned long val;

	if (!relf(rel, "/sys/bus/pci/devices/%s/vendor", fi->name) &&
	    read_hex(ctx, rel, 0xffff, &val))
		func->vendor = val;
	if (!relf(rel, "/sys/bus/pci/devices/%s/device", fi->name) &&
	    read_hex(ctx, rel, 0xffff, &val))
		func->device = val;
	if (!relf(rel, "/sys/bus/pci/devices/%s/subsystem_vendor", fi->name) &&
	    read_hex(ctx, rel, 0xffff, &val))
		func->subsys_vendor = val;
	if (!relf(rel, "/sys/bus/pci/devices/%s/subsystem_device", fi->name) &&
	    read_hex(ctx, rel, 0xffff, &val))
		func->subsys_device = val;
	if (!relf(rel, "/sys/bus/pci/devices/%s/class", fi->name) &&
	    read_hex(ctx, rel, 0xffffff, &val))
		func->class = val;
}

/*
 * Read the optional link @attr of the function; false when it has none.
 * "iommu" may also be a directory: the glue directory of the IOMMU class
 * on the function an AMD-Vi unit lives on (0000:00:00.2/iommu/ivhd0).
 */
static bool func_link(struct sysfs_ctx *ctx, const struct func_info *fi,
		      const char *attr, char *buf, size_t len)
{
	char rel[PATH_MAX];
	int err;

	err = relf(rel, "/sys/bus/pci/devices/%s/%s", fi->name, attr);
	if (!err)
		err = link_name(ctx, rel, buf, len);
	if (err == -EINVAL && !strcmp(attr, "iommu"))
		return false;
	if (err && err != -ENOENT)
		note(ctx, rel, -err);
	return !err;
}

/* What fill_func() reads for one function, less the IOMMU's own devices. */
static void fill_func(struct sysfs_ctx *ctx, struct func_info *fi,
		      struct pthru_dev *func)
{
	char rel[PATH_MAX], name[NAME_MAX + 1], real[PATH_MAX];
	long id;
	char *end;
	u32 addr;
	int err;

	fill_ids(ctx, fi, func);
	if (func_link(ctx, fi, "driver", name, sizeof(name)))
		strscpy(func->driver, name, sizeof(func->driver));

	if (func_link(ctx, fi, "iommu_group", name, sizeof(name))) {
		errno = 0;
		id = strtol(name, &end, 10);
		if (errno || end == name || *end || id < 0 || id > INT32_MAX) {
			if (!relf(rel, "/sys/bus/pci/devices/%s/iommu_group",
				  fi->name))
				note(ctx, rel, EINVAL);
		} else {
			func->group_id = id;
		}
	}
	if (!func_link(ctx, fi, "iommu", fi->unit, sizeof(fi->unit)))
		fi->unit[0] = '\0';

	/*
	 * pci_upstream_bridge(): the device's parent, when that is a PCI
	 * function and not a host bridge ("pci0000:00").  A virtual function's
	 * parent is its physical function's (iov.c), as the kernel's helper
	 * has it.
	 */
	if (relf(rel, "/sys/bus/pci/devices/%s", fi->name))
		return;
	err = resolve(ctx, rel, real);
	if (err) {
		note(ctx, rel, -err);
	} else {
		fi->real = strdup(real);
		if (!fi->real) {
			ctx->err = -ENOMEM;
			return;
		}
		to_parent_device(real, NULL);
		if (!pthru_pciaddr_parse(last_component(real), &addr)) {
			func->has_upstream = true;
			func->upstream_addr = addr;
		}
	}

	/* A physical function beyond ffff leaves is_vf unset, as pdev_addr(). */
	if (func_link(ctx, fi, "physfn", name, sizeof(name)) &&
	    !pthru_pciaddr_parse(name, &addr)) {
		func->is_vf = true;
		func->pf_addr = addr;
	}

	/*
	 * pdev->is_physfn, exactly: the SR-IOV attributes are visible on a
	 * physical function only (iov.c, sriov_pf_attrs_are_visible()).  The
	 * capability alone is not enough: sriov_init() leaves a function
	 * with TotalVFs 0 out.
	 */
	if (!relf(rel, "/sys/bus/pci/devices/%s/sriov_totalvfs", fi->name)) {
		err = exists(ctx, rel);
		if (!err)
			func->sriov = true;
		else if (err != -ENOENT)
			note(ctx, rel, -err);
	}

	if (!relf(rel, "/sys/bus/pci/devices/%s/config", fi->name))
		fill_config(ctx, rel, func);

	/*
	 * Not in sysfs at all: set from firmware and quirks at enumeration
	 * (untrusted, external_facing, PCI_DEV_FLAGS_ACS_ENABLED_QUIRK), or
	 * kept by the module since it loaded (the ACS baseline).  Where the
	 * kernel's rules leave no choice they are known, though:
	 * set_pcie_untrusted() (probe.c) never marks a function without an
	 * upstream bridge, and only a bridge is ever external-facing (ACPI's
	 * ExternalFacingPort on root ports, pci-acpi.c; the devicetree's
	 * "external-facing" on a bus's bridge, of.c).
	 */
	func->unknown |= PTHRU_DEV_UNKNOWN_ACS_QUIRK;
	if (func->has_upstream)
		func->unknown |= PTHRU_DEV_UNKNOWN_UNTRUSTED;
	if (func->class >> 16 == PCI_BASE_CLASS_BRIDGE)
		func->unknown |= PTHRU_DEV_UNKNOWN_EXTERNAL;
	if (func->acs_pos) {
		func->acs_ctrl_baseline = func->acs_ctrl;
		func->unknown |= PTHRU_DEV_UNKNOWN_ACS_BASELINE;
	}
}

static int cmp_func_info(const void *a, const void *b)
{
	const struct func_info *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* A name with a domain of more than four digits and the rest of an address. */
static bool wide_domain(const char *name)
{
	const char *colon = strchr(name, ':');

	return colon && colon - name > 4 &&
	       !pthru_pciaddr_parse(colon - 4, &(u32){ 0 });
}

/* The entries of /sys/bus/pci/devices, in address order. */
static int list_funcs(struct sysfs_ctx *ctx, struct func_info **out,
		      size_t *nr)
{
	static const char rel[] = "/sys/bus/pci/devices";
	struct func_info *funcs = NULL, *bigger;
	char full[PATH_MAX], entry[PATH_MAX];
	size_t n = 0, cap = 0;
	struct dirent *de;
	u32 addr;
	DIR *dir;

	int err;

	err = root_file(ctx, rel, full, true);
	if (err)
		return err;
	dir = opendir(full);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (pthru_pciaddr_parse(de->d_name, &addr)) {
			/*
			 * Intel VMD numbers its domains from 10000; pthru's
			 * addresses hold four digits, so the module leaves
			 * such functions out (collect_func()).  So does this,
			 * but says so.
			 */
			if (!relf(entry, "%s/%s", rel, de->d_name))
				note(ctx, entry, wide_domain(de->d_name) ?
					  EOVERFLOW : EINVAL);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			bigger = realloc(funcs, cap * sizeof(*funcs));
			if (!bigger) {
				ctx->err = -ENOMEM;
				break;
			}
			funcs = bigger;
		}
		memset(&funcs[n], 0, sizeof(funcs[n]));
		funcs[n].addr = addr;
		strcpy(funcs[n].name, de->d_name);
		n++;
	}
	closedir(dir);
	if (ctx->err) {
		free(funcs);
		return ctx->err;
	}
	qsort(funcs, n, sizeof(*funcs), cmp_func_info);
	*out = funcs;
	*nr = n;
	return 0;
}

static bool pcie_downstream_port(const struct pthru_dev *dev)
{
	return dev->is_pcie && (dev->pcie_type == PCI_EXP_TYPE_ROOT_PORT ||
				dev->pcie_type == PCI_EXP_TYPE_DOWNSTREAM ||
				dev->pcie_type == PCI_EXP_TYPE_PCIE_BRIDGE);
}

static struct pthru_dev *find_dev(struct pthru_snapshot *snap, u32 addr)
{
	u32 i;

	for (i = 0; i < snap->nr_devs; i++)
		if (snap->devs[i].addr == addr)
			return &snap->devs[i];
	return NULL;
}

/*
 * What the PCI core changes at enumeration, from the function above, which
 * it has seen already: the functions are in address order, bridges before
 * what is below them.
 *
 * set_pcie_port_type() (probe.c) corrects ports that misreport their
 * direction.  pci_scan_slot() marks every function it finds after the
 * slot's first multifunction, whatever its header says: a function other
 * than 0, or with ARI (below a downstream port, where only slot 0 is
 * scanned) any function but 0.  Virtual functions are not scanned so.
 */
static void scan_fixups(struct pthru_snapshot *snap)
{
	struct pthru_dev *dev, *parent;
	u32 i;

	for (i = 0; i < snap->nr_devs; i++) {
		dev = &snap->devs[i];
		parent = dev->has_upstream ?
			 find_dev(snap, dev->upstream_addr) : NULL;
		if (dev->is_pcie && parent) {
			if (dev->pcie_type == PCI_EXP_TYPE_DOWNSTREAM &&
			    pcie_downstream_port(parent))
				dev->pcie_type = PCI_EXP_TYPE_UPSTREAM;
			else if (dev->pcie_type == PCI_EXP_TYPE_UPSTREAM &&
				 parent->is_pcie &&
				 parent->pcie_type == PCI_EXP_TYPE_UPSTREAM)
				dev->pcie_type = PCI_EXP_TYPE_DOWNSTREAM;
		}
		if (dev->is_vf)
			continue;
		if (PTHRU_PCIADDR_FUNC(dev->addr) ||
		    (PTHRU_PCIADDR_DEVFN(dev->addr) && parent &&
		     pcie_downstream_port(parent)))
			dev->multifunction = true;
	}
}

/* The function whose device directory is @real, or -1. */
static long func_at(const struct func_info *funcs, size_t nr,
		    const char *real)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (funcs[i].real && !strcmp(funcs[i].real, real))
			return i;
	return -1;
}

/* The class of the device at @real, from its "subsystem" link. */
static bool device_class(const struct sysfs_ctx *ctx, const char *real,
			 char *class, size_t len)
{
	char rel[PATH_MAX], target[PATH_MAX], full[PATH_MAX];
	ssize_t n;

	if (relf(rel, "%s/subsystem", real) || root_file(ctx, rel, full, false))
		return false;
	n = readlink(full, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	if (!strstr(target, "/class/") || strlen(last_component(target)) >= len)
		return false;
	strcpy(class, last_component(target));
	return true;
}

/*
 * iommu_self: has_iommu_class_dev() in the module marks a function with a
 * child of the "iommu" class (AMD-Vi's ivhdN below the IOMMU's function),
 * or a child whose own child is one (virtio-iommu's unit below the virtio
 * device on the function).
 */
static void mark_iommu_self(struct sysfs_ctx *ctx, struct func_info *funcs,
			    size_t nr)
{
	static const char rel[] = "/sys/class/iommu";
	char full[PATH_MAX], entry[PATH_MAX], real[PATH_MAX];
	char class[NAME_MAX + 1];
	struct dirent *de;
	long idx;
	DIR *dir;
	int err;

	err = root_file(ctx, rel, full, true);
	dir = err ? NULL : opendir(full);
	if (!dir) {
		if (!err)
			err = -errno;
		if (err != -ENOENT)
			note(ctx, rel, -err);
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || relf(entry, "%s/%s", rel, de->d_name))
			continue;
		err = resolve(ctx, entry, real);
		if (err) {
			note(ctx, entry, -err);
			continue;
		}
		to_parent_device(real, "iommu");
		idx = func_at(funcs, nr, real);
		if (idx < 0) {
			if (!device_class(ctx, real, class, sizeof(class)))
				class[0] = '\0';
			to_parent_device(real, class[0] ? class : NULL);
			idx = func_at(funcs, nr, real);
		}
		if (idx >= 0)
			ctx->snap->devs[idx].iommu_self = true;
	}
	closedir(dir);
}

/*
 * name_iommu_driver(): the unit's device name and the driver of its
 * parent device.  dmar0's parent is none (/sys/devices/virtual/iommu/dmar0
 * has no driver above it), ivhd0's the IOMMU's PCI function,
 * virtio-iommu's the virtio device.
 */
static void name_iommu_driver(struct sysfs_ctx *ctx, const struct func_info *fi)
{
	char rel[PATH_MAX], real[PATH_MAX], drv[NAME_MAX + 1];
	const char *parent_drv = NULL;
	int err;

	if (relf(rel, "/sys/bus/pci/devices/%s/iommu", fi->name))
		return;
	err = resolve(ctx, rel, real);
	if (err) {
		note(ctx, rel, -err);
	} else {
		to_parent_device(real, "iommu");
		if (!relf(rel, "%s/driver", real)) {
			err = link_name(ctx, rel, drv, sizeof(drv));
			if (!err)
				parent_drv = drv;
			else if (err != -ENOENT)
				note(ctx, rel, -err);
		}
	}
	pthru_iommu_driver_name(ctx->snap->iommu_driver,
				sizeof(ctx->snap->iommu_driver), fi->unit,
				parent_drv);
}

/* Distinct units in address order, as note_unit() counts them. */
static void count_units(struct sysfs_ctx *ctx, const struct func_info *funcs,
			size_t nr)
{
	size_t i, j;

	for (i = 0; i < nr; i++) {
		if (!funcs[i].unit[0])
			continue;
		for (j = 0; j < i; j++)
			if (!strcmp(funcs[j].unit, funcs[i].unit))
				break;
		if (j < i)
			continue;
		if (!ctx->snap->iommu_units)
			name_iommu_driver(ctx, &funcs[i]);
		ctx->snap->iommu_units++;
	}
	if (ctx->snap->nr_groups && !ctx->snap->iommu_units)
		strscpy(ctx->snap->iommu_driver, "unknown",
			sizeof(ctx->snap->iommu_driver));
}

/* A word of /sys/kernel/iommu_groups/N/type, with the core's names. */
static enum pthru_domain_type parse_domain_type(const char *word)
{
	int t;

	/* The kernel never prints "none": a group shows "unknown" instead. */
	for (t = PTHRU_DOMAIN_TYPE_NONE + 1; t < PTHRU_DOMAIN_TYPE_UNKNOWN; t++)
		if (!strcmp(word, pthru_domain_type_name(t)))
			return t;
	return PTHRU_DOMAIN_TYPE_UNKNOWN;
}

/*
 * A word of reserved_regions.  The kernel prints IOMMU_RESV_SW_MSI as
 * "msi" too (iommu.c, iommu_group_resv_type_string[]), so "sw-msi" never
 * appears.  On x86 the "msi" region is the hardware interrupt window
 * (Intel VT-d and AMD-Vi report IOMMU_RESV_MSI at 0xfee00000), so that is
 * what "msi" becomes.  virtio-iommu without a device-reported MSI window
 * and the Arm SMMUs report a software window instead; no rule tells the
 * two apart.  An unknown word is at least never mapped, as resv_type_of().
 */
static enum pthru_resv_type parse_resv_type(const char *word)
{
	int t;

	for (t = 0; t < PTHRU_RESV_TYPE_SW_MSI; t++)
		if (!strcmp(word, pthru_resv_type_name(t)))
			return t;
	return PTHRU_RESV_TYPE_RESERVED;
}

static void read_resv_regions(struct sysfs_ctx *ctx, struct pthru_group *group)
{
	char rel[PATH_MAX], word[32], *text, *line, *next;
	unsigned long long start, end;
	int err;

	if (relf(rel, "/sys/kernel/iommu_groups/%d/reserved_regions",
		 group->id))
		return;
	err = read_all(ctx, rel, &text, NULL);
	if (err) {
		note(ctx, rel, -err);
		return;
	}
	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (sscanf(line, "%llx %llx %31s", &start, &end, word) != 3) {
			note(ctx, rel, EINVAL);
			break;
		}
		/* A region of length 0 prints its end below its start. */
		if (end < start)
			continue;
		if (pthru_group_add_resv(group, start, end,
					 parse_resv_type(word), GFP_KERNEL)) {
			ctx->err = -ENOMEM;
			break;
		}
	}
	free(text);
}

/* Is a member of the group, PCI or not, bound to a passthrough driver? */
static bool group_passthrough(struct sysfs_ctx *ctx,
			      const struct pthru_group *group)
{
	char rel[PATH_MAX], full[PATH_MAX], name[NAME_MAX + 1];
	bool found = false;
	struct dirent *de;
	DIR *dir;
	u32 i;
	int err;

	for (i = 0; i < ctx->snap->nr_devs; i++)
		if (ctx->snap->devs[i].group_id == group->id &&
		    pthru_driver_is_passthrough(ctx->snap->devs[i].driver))
			return true;

	if (relf(rel, "/sys/kernel/iommu_groups/%d/devices", group->id))
		return false;
	err = root_file(ctx, rel, full, true);
	dir = err ? NULL : opendir(full);
	if (!dir) {
		note(ctx, rel, err ? -err : errno);
		return false;
	}
	while (!found && (de = readdir(dir))) {
		if (de->d_name[0] == '.' ||
		    relf(rel, "/sys/kernel/iommu_groups/%d/devices/%s/driver",
			 group->id, de->d_name))
			continue;
		err = link_name(ctx, rel, name, sizeof(name));
		if (!err)
			found = pthru_driver_is_passthrough(name);
		else if (err != -ENOENT)
			note(ctx, rel, -err);
	}
	closedir(dir);
	return found;
}

static void fill_group(struct sysfs_ctx *ctx, struct pthru_group *group)
{
	char rel[PATH_MAX], word[32];
	int err;

	/*
	 * The type file shows the group's default domain (iommu.c,
	 * iommu_group_show_type()), while the module reads the domain the
	 * group is attached to now.  The two are one until a passthrough
	 * driver's user takes the group over (VFIO attaches its own
	 * unmanaged domain, or blocks DMA), which sysfs does not show.
	 */
	if (group_passthrough(ctx, group)) {
		group->domain_type = PTHRU_DOMAIN_TYPE_UNKNOWN;
	} else if (!relf(rel, "/sys/kernel/iommu_groups/%d/type", group->id)) {
		err = read_line(ctx, rel, word, sizeof(word));
		if (err)
			note(ctx, rel, -err);
		group->domain_type = err ? PTHRU_DOMAIN_TYPE_UNKNOWN :
					   parse_domain_type(word);
	}
	read_resv_regions(ctx, group);
	/* pthru_group_isolated_msi() asks the IOMMU driver; sysfs does not. */
	group->isolated_msi = PTHRU_TRISTATE_UNKNOWN;
}

/*
 * The physical slot names policy rules match (pdev->slot): each entry of
 * /sys/bus/pci/slots names its "address", DDDD:BB:SS, and holds the
 * functions of that bus and device number (slot.c, address_read_file()).
 * A slot whose number the platform does not give prints DDDD:BB only, and
 * holds no function.
 */
static void fill_slots(struct sysfs_ctx *ctx)
{
	char full[PATH_MAX], rel[PATH_MAX], line[64];
	unsigned int domain, bus, dev;
	struct dirent *de;
	DIR *dir;
	u32 i;
	int err;

	err = root_file(ctx, "/sys/bus/pci/slots", full, true);
	dir = err ? NULL : opendir(full);
	if (!dir) {
		err = err ? err : -errno;
		if (err != -ENOENT)
			note(ctx, "/sys/bus/pci/slots", -err);
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= PTHRU_SLOT_NAME_LEN ||
		    relf(rel, "/sys/bus/pci/slots/%s/address", de->d_name))
			continue;
		err = read_line(ctx, rel, line, sizeof(line));
		if (err) {
			note(ctx, rel, -err);
			continue;
		}
		if (sscanf(line, "%x:%x:%x", &domain, &bus, &dev) != 3)
			continue;
		for (i = 0; i < ctx->snap->nr_devs; i++) {
			struct pthru_dev *func = &ctx->snap->devs[i];

			if (PTHRU_PCIADDR_DOMAIN(func->addr) == domain &&
			    PTHRU_PCIADDR_BUS(func->addr) == bus &&
			    PTHRU_PCIADDR_DEVFN(func->addr) >> 3 == dev)
				strcpy(func->slot, de->d_name);
		}
	}
	closedir(dir);
}

static int add_groups(struct sysfs_ctx *ctx)
{
	struct pthru_snapshot *snap = ctx->snap;
	u32 i;

	/* Only the groups of PCI functions, as collect_func() finds them. */
	for (i = 0; i < snap->nr_devs; i++)
		if (snap->devs[i].group_id != PTHRU_NO_GROUP &&
		    !pthru_snapshot_add_group(snap, snap->devs[i].group_id,
					      GFP_KERNEL))
			return -ENOMEM;
	for (i = 0; i < snap->nr_groups && !ctx->err; i++)
		fill_group(ctx, &snap->groups[i]);
	return ctx->err;
}

/* The early parameter "iommu=" on x86 (arch/x86/kernel/pci-dma.c). */
static void x86_iommu_option(const char *val, int *pt)
{
	const char *p = val;

	while (*p) {
		/* iommu_setup() returns at "usedac", before "pt" is seen. */
		if (!strncmp(p, "usedac", 6))
			return;
		if (!strncmp(p, "pt", 2))
			*pt = 1;
		if (!strncmp(p, "nopt", 4))
			*pt = 0;
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
}

/* pci=noats (drivers/pci/pci.c, pci_setup()). */
static void pci_option(const char *val, bool *noats)
{
	const char *p = val;
	size_t n;

	while (*p) {
		n = strcspn(p, ",");
		if (n >= 5 && !strncmp(p, "noats", 5))
			*noats = true;
		p += n;
		if (*p == ',')
			p++;
	}
}

static int parse_cmdline(const char *cmdline, bool *noats)
{
	char *copy, *args, *param, *val;
	bool on;
	int pt = -1;

	copy = strdup(cmdline);
	if (!copy)
		return -2;
	args = copy;
	/* The kernel's own splitting, as cmdline.c reads it for the audit. */
	while (cmdline_next(&args, &param, &val)) {
		if (!val)
			continue;
		if (!strcmp(param, "iommu"))
			x86_iommu_option(val, &pt);
		else if (!strcmp(param, "iommu.passthrough") &&
			 !parse_bool(val, &on))
			pt = on;
		else if (!strcmp(param, "pci"))
			pci_option(val, noats);
	}
	free(copy);
	return pt;
}

/*
 * iommu_subsys_init() (iommu.c) without a command-line choice: the
 * kernel's configured default.
 */
static int config_default(struct sysfs_ctx *ctx)
{
	char rel[PATH_MAX], *text, *line, *next;
	int pt = -1, err;

	if (!ctx->facts->kernel_release[0] ||
	    relf(rel, "/boot/config-%s", ctx->facts->kernel_release))
		return -1;
	err = read_all(ctx, rel, &text, NULL);
	if (err) {
		if (err != -ENOENT)
			note(ctx, rel, -err);
		return -1;
	}
	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (!strcmp(line, "CONFIG_IOMMU_DEFAULT_PASSTHROUGH=y"))
			pt = 1;
		else if (!strcmp(line, "CONFIG_IOMMU_DEFAULT_DMA_STRICT=y") ||
			 !strcmp(line, "CONFIG_IOMMU_DEFAULT_DMA_LAZY=y"))
			pt = 0;
	}
	free(text);
	return pt;
}

/* running_kernel_version(): "6.12.118+deb12-amd64" as KERNEL_VERSION(). */
static u32 release_version(const char *release)
{
	unsigned int major, minor, patch = 0;

	if (sscanf(release, "%u.%u.%u", &major, &minor, &patch) < 2)
		return 0;
	return KERNEL_VERSION(major, minor, patch < 255 ? patch : 255);
}

static void read_host(struct sysfs_ctx *ctx)
{
	static const char release[] = "/proc/sys/kernel/osrelease";
	static const char hostname[] = "/proc/sys/kernel/hostname";
	static const char cmdline[] = "/proc/cmdline";
	struct facts *facts = ctx->facts;
	size_t len;
	int err;

	err = read_line(ctx, release, facts->kernel_release,
			sizeof(facts->kernel_release));
	if (err) {
		note(ctx, release, -err);
		facts->kernel_release[0] = '\0';
	}
	err = read_line(ctx, hostname, facts->host, sizeof(facts->host));
	if (err) {
		note(ctx, hostname, -err);
		facts->host[0] = '\0';
	}
	err = read_all(ctx, cmdline, &facts->cmdline, &len);
	if (err == -ENOMEM) {
		ctx->err = err;
	} else if (err) {
		note(ctx, cmdline, -err);
		facts->cmdline = NULL;
	} else if (len && facts->cmdline[len - 1] == '\n') {
		facts->cmdline[len - 1] = '\0';
	}
}

/* vfio_iommu_type1's switch, as read_unsafe_interrupts_work() reads it. */
static enum pthru_tristate read_unsafe_interrupts(struct sysfs_ctx *ctx)
{
	static const char rel[] =
		"/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts";
	char buf[8];
	bool value;
	int err;

	err = read_line(ctx, rel, buf, sizeof(buf));
	if (err == -ENOENT)
		return PTHRU_TRISTATE_UNKNOWN;	/* not loaded */
	if (!err)
		err = parse_bool(buf, &value);
	if (err) {
		note(ctx, rel, -err);
		return PTHRU_TRISTATE_UNKNOWN;
	}
	return value ? PTHRU_TRISTATE_YES : PTHRU_TRISTATE_NO;
}

static void fill_host(struct sysfs_ctx *ctx)
{
	static const char ivrs[] = "/sys/firmware/acpi/tables/IVRS";
	struct pthru_snapshot *snap = ctx->snap;
	int pt = ctx->cmdline_pt, err;

	snap->kernel_version = release_version(ctx->facts->kernel_release);
	err = exists(ctx, ivrs);
	snap->acpi_ivrs = !err;
	if (err && err != -ENOENT)
		note(ctx, ivrs, -err);
	snap->unsafe_interrupts = read_unsafe_interrupts(ctx);

	/*
	 * The command line decides when it says anything, else the kernel's
	 * configuration.  Beyond both, and not seen here: memory encryption
	 * turns a configured (not a command-line) passthrough default off,
	 * and Intel's platform opt-in turns passthrough on when VT-d was
	 * off by default.
	 */
	if (pt < 0 && ctx->facts->cmdline)
		pt = config_default(ctx);
	if (pt < 0) {
		snap->default_passthrough = false;
		snap->unknown |= PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN;
	} else {
		snap->default_passthrough = pt;
	}
	/* Without the module there is no shadow of the mappings to walk. */
	snap->unknown |= PTHRU_SNAP_UNKNOWN_MAPPINGS;
}

static int read_funcs(struct sysfs_ctx *ctx, struct func_info *funcs,
		      size_t nr)
{
	struct pthru_dev *func;
	size_t i;

	/*
	 * In address order, so the snapshot's index i is funcs[i] until
	 * finalize (which then keeps the order).  A record stays valid only
	 * until the next one is added.
	 */
	for (i = 0; i < nr && !ctx->err; i++) {
		func = pthru_snapshot_add_dev(ctx->snap, funcs[i].addr,
					      GFP_KERNEL);
		if (!func)
			return -ENOMEM;
		fill_func(ctx, &funcs[i], func);
	}
	return ctx->err;
}

int sysfs_facts_read(const char *root, struct facts *facts)
{
	struct sysfs_ctx *ctx;
	struct func_info *funcs = NULL;
	size_t nr = 0, i, len;
	int err;

	memset(facts, 0, sizeof(*facts));
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	if (!root || !*root)
		root = "/";
	len = strlen(root);
	while (len && root[len - 1] == '/')
		len--;
	if (len >= sizeof(ctx->root)) {
		free(ctx);
		return -ENAMETOOLONG;
	}
	memcpy(ctx->root, root, len);
	ctx->facts = facts;
	facts->source = FACTS_SYSFS;
	facts->taken = time(NULL);

	err = list_funcs(ctx, &funcs, &nr);
	if (err)
		goto out;
	read_host(ctx);
	ctx->cmdline_pt = -1;
	if (facts->cmdline)
		ctx->cmdline_pt = parse_cmdline(facts->cmdline, &ctx->noats);
	if (ctx->cmdline_pt == -2)
		ctx->err = -ENOMEM;
	err = ctx->err;
	if (err)
		goto out;

	ctx->snap = pthru_snapshot_alloc(GFP_KERNEL);
	if (!ctx->snap) {
		err = -ENOMEM;
		goto out;
	}
	err = read_funcs(ctx, funcs, nr);
	if (err)
		goto out;
	scan_fixups(ctx->snap);
	mark_iommu_self(ctx, funcs, nr);
	fill_slots(ctx);
	err = add_groups(ctx);
	if (err)
		goto out;
	count_units(ctx, funcs, nr);
	fill_host(ctx);
	err = ctx->err;
	if (!err)
		err = pthru_snapshot_finalize(ctx->snap, GFP_KERNEL);
out:
	for (i = 0; i < nr; i++)
		free(funcs[i].real);
	free(funcs);
	if (err) {
		pthru_snapshot_put(ctx->snap);
		facts_free(facts);
	} else {
		facts->snap = ctx->snap;
	}
	free(ctx);
	return err;
}
