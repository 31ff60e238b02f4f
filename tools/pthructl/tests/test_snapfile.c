// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot files: the round trip on facts with every kind of field, the
 * exact text of a function and of the header, every cut-short prefix and
 * corrupted byte, and each problem the reader must refuse with its
 * one-line message.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <core/pciaddr.h>
#include <core/snapshot.h>

#include "snapfile.h"
#include "unit.h"

#define NAME	"snap.json"
#define CORPUS_DIR	"../fuzz/snapfile-corpus"
/* 2026-12-07T23:00:00Z */
#define TAKEN	1796684400LL

static struct pthru_dev *add(struct pthru_snapshot *snap, u32 addr,
			     u16 vendor, u16 device, u32 class,
			     const char *driver, s32 group)
{
	struct pthru_dev *dev = pthru_snapshot_add_dev(snap, addr, GFP_KERNEL);

	if (!dev) {
		perror("pthru_snapshot_add_dev");
		exit(1);
	}
	dev->vendor = vendor;
	dev->device = device;
	dev->subsys_vendor = vendor;
	dev->subsys_device = 0x1234;
	dev->class = class;
	strcpy(dev->driver, driver);
	dev->group_id = group;
	return dev;
}

static struct pthru_group *group(struct pthru_snapshot *snap, s32 id,
				 enum pthru_domain_type type,
				 enum pthru_tristate msi)
{
	struct pthru_group *g = pthru_snapshot_add_group(snap, id, GFP_KERNEL);

	if (!g) {
		perror("pthru_snapshot_add_group");
		exit(1);
	}
	g->domain_type = type;
	g->isolated_msi = msi;
	return g;
}

/*
 * A host with every kind of fact: a host bridge, a root port with ACS and
 * the alternative control dword, an IOMMU function with an unknown
 * baseline, a PF with ATS and its VF of an unnamed PCIe type, a function
 * sysfs knows little of, and groups of each domain type with regions of
 * each type, added out of order.  @skip leaves out the first functions
 * in address order.
 */
static void sample(struct facts *f, unsigned int skip)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct pthru_dev *d;
	struct pthru_group *g;
	unsigned int n = 0;

	memset(f, 0, sizeof(*f));
	if (!snap) {
		perror("pthru_snapshot_alloc");
		exit(1);
	}
	f->snap = snap;
	f->source = FACTS_SYSFS;
	strcpy(f->host, "host-1");
	strcpy(f->kernel_release, "6.12.118-amd64");
	f->taken = TAKEN;
	f->cmdline = strdup("BOOT_IMAGE=/vmlinuz intel_iommu=on \"q\"\tt\xc3\xa9");
	facts_note_unread(f, "/sys/bus/pci/devices/0000:00:1f.0/config",
			  EACCES);
	facts_note_unread(f, "/sys/module/vfio_iommu_type1", ENOENT);

	strcpy(snap->iommu_driver, "intel-vtd");
	snap->iommu_units = 2;
	snap->kernel_version = 6 << 16 | 12 << 8 | 118;
	snap->acpi_ivrs = false;
	snap->unknown |= PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN;
	snap->unsafe_interrupts = PTHRU_TRISTATE_UNKNOWN;
	snap->generation = 42;

	if (skip <= n++) {
		d = add(snap, PTHRU_PCIADDR(0, 0, 0), 0x8086, 0x3e30, 0x060000,
			"", 0);
	}
	if (skip <= n++) {
		d = add(snap, PTHRU_PCIADDR(0, 0, 1 << 3), 0x8086, 0x1901,
			0x060400, "pcieport", 1);
		d->multifunction = true;
		d->acs_pos = 0x140;
		d->acs_cap = 0x005f;
		d->acs_ctrl = 0x001d;
		d->acs_ctrl_baseline = 0x0011;
		d->acs_alt_read = true;
		d->acs_alt_ctrl = 0xdeadbeef;
		d->is_pcie = true;
		d->pcie_type = 4;
		strcpy(d->slot, "1-2");
		d->has_dsn = true;
		d->dsn = 0x0011223344556677ULL;
	}
	if (skip <= n++) {
		d = add(snap, PTHRU_PCIADDR(0, 0, 0x1f << 3), 0x8086, 0xa305,
			0x060100, "lpc_ich", 1);
		d->iommu_self = true;
		d->acs_pos = 0x100;
		d->acs_cap = 0x0001;
		d->acs_ctrl = 0x0001;
		d->acs_ctrl_baseline = 0x0001;
		d->unknown |= PTHRU_DEV_UNKNOWN_ACS_BASELINE;
		d->is_pcie = true;
		d->pcie_type = 9;
		d->acs_quirk_enabled = true;
	}
	if (skip <= n++) {
		d = add(snap, PTHRU_PCIADDR(0, 1, 0), 0x8086, 0x10fb, 0x020000,
			"ixgbe", 2);
		d->ats_supported = true;
		d->ats_enabled = true;
		d->external_facing = true;
		d->untrusted = true;
		d->has_upstream = true;
		d->upstream_addr = PTHRU_PCIADDR(0, 0, 1 << 3);
		d->is_pcie = true;
		d->pcie_type = 0;
		d->sriov = true;
	}
	if (skip <= n++) {
		d = add(snap, PTHRU_PCIADDR(0, 1, 1), 0x8086, 0x10ed, 0x020000,
			"vfio-pci", 3);
		d->is_pcie = true;
		d->pcie_type = 3;
		d->is_vf = true;
		d->pf_addr = PTHRU_PCIADDR(0, 1, 0);
		d->has_upstream = true;
		d->upstream_addr = PTHRU_PCIADDR(0, 0, 1 << 3);
	}
	if (skip <= n++) {
		/* what sysfs cannot read stays unknown */
		d = add(snap, PTHRU_PCIADDR(0x10, 0x2, 0), 0x10de, 0x1eb8,
			0x030000, "", PTHRU_NO_GROUP);
		d->unknown = PTHRU_DEV_UNKNOWN_CONFIG | PTHRU_DEV_UNKNOWN_DSN |
			     PTHRU_DEV_UNKNOWN_UNTRUSTED |
			     PTHRU_DEV_UNKNOWN_EXTERNAL |
			     PTHRU_DEV_UNKNOWN_ACS_QUIRK;
		d->has_upstream = true;
		d->upstream_addr = PTHRU_PCIADDR(0x10, 0, 0);
	}

	g = group(snap, 3, PTHRU_DOMAIN_TYPE_UNMANAGED, PTHRU_TRISTATE_YES);
	g = group(snap, 0, PTHRU_DOMAIN_TYPE_IDENTITY, PTHRU_TRISTATE_YES);
	pthru_group_add_resv(g, 0xfee00000, 0xfeefffff, PTHRU_RESV_TYPE_MSI,
			     GFP_KERNEL);
	g = group(snap, 1, PTHRU_DOMAIN_TYPE_DMA, PTHRU_TRISTATE_NO);
	pthru_group_add_resv(g, 0x8000000, 0x80fffff, PTHRU_RESV_TYPE_SW_MSI,
			     GFP_KERNEL);
	pthru_group_add_resv(g, 0x7b800000, 0x7fffffff,
			     PTHRU_RESV_TYPE_DIRECT, GFP_KERNEL);
	pthru_group_add_resv(g, 0, 0xfff, PTHRU_RESV_TYPE_RESERVED,
			     GFP_KERNEL);
	g = group(snap, 2, PTHRU_DOMAIN_TYPE_DMA_FQ, PTHRU_TRISTATE_UNKNOWN);
	pthru_group_add_resv(g, 0xffffffffffff0000ULL, 0xffffffffffffffffULL,
			     PTHRU_RESV_TYPE_DIRECT_RELAXABLE, GFP_KERNEL);
	group(snap, 7, PTHRU_DOMAIN_TYPE_BLOCKED, PTHRU_TRISTATE_UNKNOWN);
	group(snap, 8, PTHRU_DOMAIN_TYPE_NONE, PTHRU_TRISTATE_NO);
	group(snap, 9, PTHRU_DOMAIN_TYPE_UNKNOWN, PTHRU_TRISTATE_YES);
	if (pthru_snapshot_finalize(snap, GFP_KERNEL)) {
		fprintf(stderr, "the hand-built facts do not finalize\n");
		exit(1);
	}
}

/* snapfile_write()'s text of @f, malloc'd; NULL when it refused. */
static char *write_text(const struct facts *f, int *ret)
{
	struct capture c;

	*ret = snapfile_write(capture_open(&c), f);
	capture_close(&c);
	if (*ret) {
		free(c.text);
		return NULL;
	}
	return c.text;
}

char *unit_snapshot_sample(unsigned int skip)
{
	struct facts f;
	char *text;
	int ret;

	sample(&f, skip);
	text = write_text(&f, &ret);
	facts_free(&f);
	return text;
}

/* Line and column of the first @needle in @text, + @off bytes. */
static void where(const char *text, const char *needle, size_t off,
		  unsigned int *line, unsigned int *col)
{
	const char *at = strstr(text, needle), *p;

	*line = 1;
	*col = 1;
	if (!at) {
		CHECK(!"the place to point at is in the text");
		return;
	}
	for (p = text; p < at + off; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else if ((*p & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* @text with its first @old replaced by @new; malloc'd. */
static char *edit(const char *text, const char *old, const char *new)
{
	const char *at = strstr(text, old);
	size_t len = strlen(text) - strlen(old) + strlen(new) + 1;
	char *out = malloc(len);

	if (!out) {
		perror("malloc");
		exit(1);
	}
	if (!at) {
		printf("  \"%s\" is not in the text\n", old);
		CHECK(!"the text to change is there");
		strcpy(out, text);
		return out;
	}
	memcpy(out, text, at - text);
	strcpy(out + (at - text), new);
	strcat(out, at + strlen(old));
	return out;
}

/*
 * @text must be refused with exactly: NAME: line L, col C (@path):
 * @problem, where L and C are those of the first @mark in @text plus
 * @off characters.  @facts must then be all zero.
 */
static void refuse_at(const char *text, const char *mark, size_t off,
		      const char *path, const char *problem)
{
	static const struct facts zero;
	char why[512], want[512];
	unsigned int line, col;
	struct facts f;
	int ret;

	memset(&f, 0x5a, sizeof(f));
	ret = snapfile_parse(text, strlen(text), NAME, &f, why, sizeof(why));
	CHECK_INT(ret, -EINVAL);
	CHECK(!memcmp(&f, &zero, sizeof(f)));
	if (!ret)
		facts_free(&f);
	where(text, mark, off, &line, &col);
	snprintf(want, sizeof(want), NAME ": line %u, col %u (%s): %s", line,
		 col, path, problem);
	CHECK_STR(why, want);
}

/* Edit the sample's text, then refuse_at() the new text at @new. */
static void refuse_edit(const char *base, const char *old, const char *new,
			size_t off, const char *path, const char *problem)
{
	char *text = edit(base, old, new);
	const char *at = strstr(base, old);

	/* Where @old was is where @new is: the text before is the same. */
	refuse_at(text, "", at ? at - base + off : 0, path, problem);
	free(text);
}

static bool same_dev(const struct pthru_dev *a, const struct pthru_dev *b)
{
	return a->addr == b->addr && a->vendor == b->vendor &&
	       a->device == b->device && a->subsys_vendor == b->subsys_vendor &&
	       a->subsys_device == b->subsys_device && a->class == b->class &&
	       !strcmp(a->driver, b->driver) && a->group_id == b->group_id &&
	       a->domain_type == b->domain_type &&
	       a->multifunction == b->multifunction &&
	       a->iommu_self == b->iommu_self &&
	       a->has_upstream == b->has_upstream &&
	       a->upstream_addr == b->upstream_addr &&
	       a->is_vf == b->is_vf && a->pf_addr == b->pf_addr &&
	       a->unknown == b->unknown && a->pf_idx == b->pf_idx &&
	       a->upstream_idx == b->upstream_idx &&
	       a->group_idx == b->group_idx && a->sriov_vfs == b->sriov_vfs;
}

static void test_round_trip(void)
{
	struct facts f, back;
	char *text, *again, why[512];
	const struct pthru_dev *d;
	const char *head;
	u32 i;
	int ret;

	sample(&f, 0);
	text = write_text(&f, &ret);
	CHECK_INT(ret, 0);
	if (!text)
		goto out;

	/* The header, and one function per line in address order. */
	head = "{\"schema\":1,\"kind\":\"pthru-snapshot\",\"source\":\"sysfs\",\"host\":\"host-1\",\"kernel_release\":\"6.12.118-amd64\",\"taken\":\"2026-12-07T23:00:00Z\",\"cmdline\":\"BOOT_IMAGE=/vmlinuz intel_iommu=on \\\"q\\\"\\tt\xc3\xa9\",\n"
			     "\"host_facts\":{\"iommu_driver\":\"intel-vtd\",\"iommu_units\":2,\"kernel_version\":\"6.12.118\",\"acpi_ivrs\":false,\"default_passthrough\":null,\"unsafe_interrupts\":\"unknown\",\"generation\":42},\n"
			     "\"mappings\":null,\n"
			     "\"unread\":[\n"
			     "{\"path\":\"/sys/bus/pci/devices/0000:00:1f.0/config\",\"error\":\"EACCES\"},\n"
			     "{\"path\":\"/sys/module/vfio_iommu_type1\",\"error\":\"ENOENT\"}\n"
			     "],\n\"functions\":[\n"
			     "{\"addr\":\"0000:00:00.0\",";
	CHECK(!strncmp(text, head, strlen(head)));
	CHECK(strstr(text, "\n{\"addr\":\"0000:00:01.0\",\"vendor\":\"8086\",\"device\":\"1901\",\"subsys_vendor\":\"8086\",\"subsys_device\":\"1234\",\"class\":\"060400\",\"driver\":\"pcieport\",\"group\":1,\"ats_supported\":false,\"ats_enabled\":false,\"untrusted\":false,\"external_facing\":false,\"multifunction\":true,\"iommu_self\":false,\"acs\":{\"pos\":320,\"cap\":\"005f\",\"ctrl\":\"001d\",\"baseline\":\"0011\",\"alt_ctrl\":\"deadbeef\"},\"upstream\":null,\"pcie_type\":\"root-port\",\"sriov\":false,\"pf\":null,\"acs_quirk_enabled\":false,\"slot\":\"1-2\",\"dsn\":\"0011223344556677\"},\n"));
	CHECK(strstr(text, "\n{\"addr\":\"0010:02:00.0\",\"vendor\":\"10de\",\"device\":\"1eb8\",\"subsys_vendor\":\"10de\",\"subsys_device\":\"1234\",\"class\":\"030000\",\"driver\":null,\"group\":null,\"ats_supported\":null,\"ats_enabled\":null,\"untrusted\":null,\"external_facing\":null,\"multifunction\":false,\"iommu_self\":false,\"acs\":null,\"upstream\":\"0010:00:00.0\",\"pcie_type\":null,\"sriov\":null,\"pf\":null,\"acs_quirk_enabled\":null,\"slot\":null,\"dsn\":\"unknown\"}\n],\n"));
	CHECK(strstr(text, "\"acs\":{\"pos\":256,\"cap\":\"0001\",\"ctrl\":\"0001\",\"baseline\":null,\"alt_ctrl\":null}"));
	CHECK(strstr(text, "\"pcie_type\":\"type-3\",\"sriov\":false,\"pf\":\"0000:01:00.0\""));
	CHECK(strstr(text, "\n{\"id\":1,\"domain_type\":\"DMA\",\"isolated_msi\":\"no\",\"reserved_regions\":[{\"start\":\"0x0000000000000000\",\"end\":\"0x0000000000000fff\",\"type\":\"reserved\"},{\"start\":\"0x0000000008000000\",\"end\":\"0x00000000080fffff\",\"type\":\"sw-msi\"},{\"start\":\"0x000000007b800000\",\"end\":\"0x000000007fffffff\",\"type\":\"direct\"}]},\n"));
	CHECK(strstr(text, "\n{\"id\":9,\"domain_type\":\"unknown\",\"isolated_msi\":\"yes\",\"reserved_regions\":[]}\n]}\n"));
	/* Derived facts are not written. */
	CHECK(!strstr(text, "sriov_vfs") && !strstr(text, "intr_remap") &&
	      !strstr(text, "iommu_present") && !strstr(text, "_idx"));

	ret = snapfile_parse(text, strlen(text), NAME, &back, why, sizeof(why));
	CHECK_INT(ret, 0);
	if (ret) {
		printf("  %s\n", why);
		goto out;
	}
	CHECK_STR(why, "");
	CHECK_INT(back.source, FACTS_SYSFS);
	CHECK_STR(back.host, "host-1");
	CHECK_STR(back.kernel_release, "6.12.118-amd64");
	CHECK_INT(back.taken, TAKEN);
	CHECK_STR(back.cmdline, f.cmdline);
	CHECK_INT(back.n_unread, 2);
	CHECK_STR(back.unread[1].path, "/sys/module/vfio_iommu_type1");
	CHECK_INT(back.unread[0].err, EACCES);
	CHECK_INT(back.unread[1].err, ENOENT);
	CHECK(back.snap->finalized);
	CHECK_STR(back.snap->iommu_driver, "intel-vtd");
	CHECK_INT(back.snap->kernel_version, f.snap->kernel_version);
	CHECK_INT(back.snap->generation, 42);
	CHECK_INT(back.snap->unsafe_interrupts, PTHRU_TRISTATE_UNKNOWN);
	/* Mappings are never written, so never known on reading. */
	CHECK_INT(back.snap->unknown, PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN |
				      PTHRU_SNAP_UNKNOWN_MAPPINGS);
	CHECK_INT(back.snap->intr_remap, f.snap->intr_remap);
	CHECK_INT(back.snap->iommu_present, true);
	CHECK_INT(back.snap->nr_devs, 6);
	CHECK_INT(back.snap->nr_groups, 7);
	for (i = 0; i < back.snap->nr_devs && i < f.snap->nr_devs; i++)
		CHECK(same_dev(&back.snap->devs[i], &f.snap->devs[i]));
	for (i = 0; i < back.snap->nr_groups && i < f.snap->nr_groups; i++) {
		CHECK_INT(back.snap->groups[i].nr_members,
			  f.snap->groups[i].nr_members);
		CHECK_INT(back.snap->groups[i].nr_resv,
			  f.snap->groups[i].nr_resv);
	}
	CHECK(pthru_snapshot_same_host(back.snap, f.snap));

	/* Placeholders of unknown facts: false and 0, baseline = ctrl. */
	d = pthru_snapshot_find_dev(back.snap, PTHRU_PCIADDR(0x10, 2, 0));
	CHECK(d && !d->ats_supported && !d->ats_enabled && !d->acs_pos &&
	      !d->is_pcie && !d->sriov && !d->untrusted &&
	      !d->external_facing && !d->acs_quirk_enabled);
	d = pthru_snapshot_find_dev(back.snap, PTHRU_PCIADDR(0, 0, 0x1f << 3));
	CHECK(d && d->acs_ctrl_baseline == d->acs_ctrl &&
	      d->unknown == PTHRU_DEV_UNKNOWN_ACS_BASELINE &&
	      !d->acs_alt_read && d->acs_quirk_enabled);
	d = pthru_snapshot_find_dev(back.snap, PTHRU_PCIADDR(0, 0, 1 << 3));
	CHECK(d && d->acs_alt_read && d->acs_alt_ctrl == 0xdeadbeef &&
	      d->acs_ctrl_baseline == 0x0011);
	d = pthru_snapshot_find_dev(back.snap, PTHRU_PCIADDR(0, 1, 0));
	CHECK(d && d->sriov && d->sriov_vfs == 1 && d->untrusted &&
	      d->ats_enabled);

	/* write -> read -> write: the same bytes. */
	again = write_text(&back, &ret);
	CHECK_INT(ret, 0);
	CHECK(again && !strcmp(again, text));
	free(again);
	facts_free(&back);
	CHECK(back.snap == NULL && back.cmdline == NULL);
out:
	free(text);
	facts_free(&f);
}

/* A host without functions, and with what the sample lacks. */
static void test_round_trip_empty(void)
{
	struct pthru_snapshot *snap = pthru_snapshot_alloc(GFP_KERNEL);
	struct facts f = { .snap = snap, .source = FACTS_MODULE }, back;
	char *text, *again, why[512];
	int ret;

	if (!snap || pthru_snapshot_finalize(snap, GFP_KERNEL)) {
		CHECK(!"an empty snapshot");
		return;
	}
	snap->default_passthrough = true;
	snap->unsafe_interrupts = PTHRU_TRISTATE_YES;
	snap->acpi_ivrs = true;
	text = write_text(&f, &ret);
	CHECK_INT(ret, 0);
	CHECK_STR(text, "{\"schema\":1,\"kind\":\"pthru-snapshot\",\"source\":\"module\",\"host\":\"\",\"kernel_release\":\"\",\"taken\":\"1970-01-01T00:00:00Z\",\"cmdline\":null,\n"
			"\"host_facts\":{\"iommu_driver\":\"none\",\"iommu_units\":0,\"kernel_version\":null,\"acpi_ivrs\":true,\"default_passthrough\":true,\"unsafe_interrupts\":\"yes\",\"generation\":0},\n"
			"\"mappings\":null,\n\"unread\":[],\n\"functions\":[],\n\"groups\":[]}\n");
	ret = text ? snapfile_parse(text, strlen(text), NAME, &back, why,
				    sizeof(why)) : -1;
	CHECK_INT(ret, 0);
	if (!ret) {
		CHECK(back.cmdline == NULL && back.snap->default_passthrough &&
		      !(back.snap->unknown &
			PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN) &&
		      back.snap->kernel_version == 0 && !back.snap->nr_devs);
		again = write_text(&back, &ret);
		CHECK(again && !strcmp(again, text));
		free(again);
		facts_free(&back);
	}
	free(text);

	/* The last second four digits can write, and the one after. */
	f.taken = 253402300799LL;
	text = write_text(&f, &ret);
	CHECK(text && strstr(text, "\"taken\":\"9999-12-31T23:59:59Z\""));
	if (text && !snapfile_parse(text, strlen(text), NAME, &back, why,
				    sizeof(why))) {
		CHECK_INT(back.taken, 253402300799LL);
		facts_free(&back);
	} else {
		CHECK(!"9999-12-31T23:59:59Z reads back");
	}
	free(text);
	f.taken = 253402300800LL;
	CHECK(write_text(&f, &ret) == NULL);
	CHECK_INT(ret, -EINVAL);
	f.taken = 951782400;	/* 2000-02-29, a leap day */
	text = write_text(&f, &ret);
	CHECK(text && strstr(text, "\"taken\":\"2000-02-29T00:00:00Z\""));
	free(text);
	facts_free(&f);
}

/* What snapfile_write() refuses, before it writes a byte. */
static void test_write_refuses(void)
{
	struct facts f;
	struct capture c;
	char *text;
	int ret;

	sample(&f, 0);
	f.taken = -1;
	ret = snapfile_write(capture_open(&c), &f);
	capture_close(&c);
	CHECK_INT(ret, -EINVAL);
	CHECK_INT(c.len, 0);
	free(c.text);
	f.taken = TAKEN;

	f.snap->groups[1].resv[0].type = 99;
	CHECK(write_text(&f, &ret) == NULL);
	CHECK_INT(ret, -EINVAL);
	f.snap->groups[1].resv[0].type = PTHRU_RESV_TYPE_MSI;

	f.unread[0].err = 0;
	CHECK(write_text(&f, &ret) == NULL);
	CHECK_INT(ret, -EINVAL);
	f.unread[0].err = EACCES;

	strcpy(f.snap->devs[0].driver, "bad\xff");
	CHECK(write_text(&f, &ret) == NULL);
	CHECK_INT(ret, -EINVAL);
	f.snap->devs[0].driver[0] = '\0';

	f.snap->devs[1].class = 0x1000000;
	CHECK(write_text(&f, &ret) == NULL);
	CHECK_INT(ret, -EINVAL);
	f.snap->devs[1].class = 0x060400;

	f.source = 7;
	CHECK(write_text(&f, &ret) == NULL);
	f.source = FACTS_SYSFS;

	f.snap->finalized = false;
	CHECK(write_text(&f, &ret) == NULL);
	CHECK_INT(ret, -EINVAL);
	f.snap->finalized = true;
	text = write_text(&f, &ret);
	CHECK(text != NULL);
	free(text);
	facts_free(&f);
}

/* Every prefix of a valid file is refused, cleanly. */
static void test_truncated(const char *text)
{
	size_t len = strlen(text), cut, refused = 0, one_line = 0;
	char why[512], *copy;
	struct facts f;

	for (cut = 0; cut < len; cut++) {
		int ret = snapfile_parse(text, cut, NAME, &f, why, sizeof(why));

		if (ret == -EINVAL && f.snap == NULL)
			refused++;
		else if (!ret)
			facts_free(&f);
		if (!strncmp(why, NAME ": line ", strlen(NAME ": line ")) &&
		    !strchr(why, '\n'))
			one_line++;
	}
	CHECK_INT(refused, len);
	CHECK_INT(one_line, len);
	/* The last cut: valid JSON, but the newline the writer ends with is gone. */
	copy = strndup(text, len - 1);
	refuse_at(copy, "", len - 1, "top",
		  "no newline at the end: the file may be cut short");
	free(copy);
}

/*
 * Every byte overwritten with a few others: each result is refused with
 * one line, or read and written back as a stable document.
 */
static void test_corrupted(const char *text)
{
	static const char with[] = { 'x', '"', '\0', '\xff', '{', '9', '\\' };
	size_t len = strlen(text), i, k, bad = 0, stable = 0, total = 0;
	char *copy = malloc(len + 1), why[512];
	struct facts f, g;
	char *out, *out2;
	int ret;

	if (!copy)
		return;
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(with); k++) {
			if (text[i] == with[k])
				continue;
			memcpy(copy, text, len + 1);
			copy[i] = with[k];
			total++;
			ret = snapfile_parse(copy, len, NAME, &f, why,
					     sizeof(why));
			if (ret) {
				bad += ret == -EINVAL && !f.snap &&
				       !strncmp(why, NAME ": line ", 15) &&
				       !strchr(why, '\n');
				continue;
			}
			out = write_text(&f, &ret);
			if (out && !snapfile_parse(out, strlen(out), NAME, &g,
						   why, sizeof(why))) {
				out2 = write_text(&g, &ret);
				stable += out2 && !strcmp(out, out2);
				free(out2);
				facts_free(&g);
			}
			free(out);
			facts_free(&f);
		}
	}
	CHECK_INT(bad + stable, total);
	/* Most of them break the document; some change a fact. */
	CHECK(bad > total / 2 && stable > 0);
	free(copy);
}

static void test_refusals(const char *s)
{
	char *t;

	refuse_at("hello\n", "hello", 0, "top",
		  "not valid JSON: unexpected 'h', expected a value");
	refuse_at("[1]\n", "[1]", 0, "top",
		  "expected an object (a pthru snapshot), not an array");
	refuse_at("{\"schema\":2,\"devices\":[]}\n", "{", 0, "top",
		  "no \"kind\": not a pthru snapshot");
	refuse_edit(s, "\"kind\":\"pthru-snapshot\"", "\"kind\":\"pthru-audit\"",
		    7, "kind",
		    "kind \"pthru-audit\" is not \"pthru-snapshot\": not a pthru snapshot");
	refuse_edit(s, "{\"schema\":1,", "{\"schema\":2,\"future\":[],", 10,
		    "schema",
		    "schema version 2 is newer than this pthructl reads (1)");
	refuse_edit(s, "{\"schema\":1,", "{\"schema\":0,", 10, "schema",
		    "schema version 0 is not one this pthructl reads (1)");
	refuse_edit(s, "{\"schema\":1,", "{\"schema\":1.0,", 10, "schema",
		    "1.0 is not a schema version");
	refuse_edit(s, "{\"schema\":1,", "{\"schema\":\"1\",", 10, "schema",
		    "expected a whole number, not a string");

	/* Unknown and missing keys, where they are. */
	refuse_edit(s, "\"mappings\":null,", "\"mappings\":null,\"extra\":1,",
		    16, "top", "unknown key \"extra\"");
	refuse_edit(s, "\"alt_ctrl\":\"deadbeef\"",
		    "\"alt_ctrl\":\"deadbeef\",\"alt\":0", 22,
		    "functions[1].acs", "unknown key \"alt\"");
	t = edit(s, "\"driver\":\"pcieport\",", "");
	refuse_at(t, "{\"addr\":\"0000:00:01.0\"", 0, "functions[1]",
		  "missing key \"driver\"");
	free(t);
	t = edit(s, "\"iommu_units\":2,", "");
	refuse_at(t, "\"host_facts\":{", 13, "host_facts",
		  "missing key \"iommu_units\"");
	free(t);
	refuse_edit(s, "\"mappings\":null", "\"mappings\":[]", 11, "mappings",
		    "expected null: this pthructl reads no mappings");

	/* Wrong types. */
	refuse_edit(s, "\"iommu_units\":2", "\"iommu_units\":\"2\"", 14,
		    "host_facts.iommu_units",
		    "expected a whole number, not a string");
	refuse_edit(s, "\"multifunction\":true", "\"multifunction\":1", 16,
		    "functions[1].multifunction",
		    "expected true or false, not a number");
	t = edit(s, "\"unread\":[", "\"unread\":{\"a\":[");
	{
		char *t2 = edit(t, "\n],\n\"functions\"", "\n]},\n\"functions\"");

		refuse_at(t2, "\"unread\":", 9, "unread",
			  "expected an array, not an object");
		free(t2);
	}
	free(t);
	refuse_edit(s, "\"iommu_self\":false,\"acs\":null",
		    "\"iommu_self\":false,\"acs\":\"yes\"", 25,
		    "functions[0].acs", "expected an object, not a string");

	/* Names this pthructl does not know. */
	refuse_edit(s, "\"source\":\"sysfs\"", "\"source\":\"netlink\"", 9,
		    "source", "unknown source \"netlink\" (module or sysfs)");
	refuse_edit(s, "\"domain_type\":\"DMA\"", "\"domain_type\":\"dma\"", 14,
		    "groups[1].domain_type",
		    "unknown domain type \"dma\" (one of: none, blocked, identity, unmanaged, DMA, DMA-FQ, unknown)");
	refuse_edit(s, "\"isolated_msi\":\"no\"", "\"isolated_msi\":\"maybe\"",
		    15, "groups[1].isolated_msi",
		    "unknown tristate \"maybe\" (one of: no, yes, unknown)");
	refuse_edit(s, "\"type\":\"sw-msi\"", "\"type\":\"msi-sw\"", 7,
		    "groups[1].reserved_regions[1].type",
		    "unknown reserved-region type \"msi-sw\" (one of: direct, direct-relaxable, reserved, msi, sw-msi)");
	refuse_edit(s, "\"pcie_type\":\"root-port\"", "\"pcie_type\":\"switch\"",
		    12, "functions[1].pcie_type",
		    "unknown PCIe type \"switch\" (endpoint, legacy-endpoint, root-port, upstream-port, downstream-port, pcie-to-pci-bridge, pci-to-pcie-bridge, rc-integrated, rc-event-collector or type-N)");
	refuse_edit(s, "\"pcie_type\":\"root-port\"", "\"pcie_type\":\"type-4\"",
		    12, "functions[1].pcie_type",
		    "type 4 has a name: \"root-port\"");
	refuse_edit(s, "\"pcie_type\":\"root-port\"",
		    "\"pcie_type\":\"type-256\"", 12, "functions[1].pcie_type",
		    "unknown PCIe type \"type-256\" (endpoint, legacy-endpoint, root-port, upstream-port, downstream-port, pcie-to-pci-bridge, pci-to-pcie-bridge, rc-integrated, rc-event-collector or type-N)");
	refuse_edit(s, "\"error\":\"EACCES\"", "\"error\":\"EPERMISSION\"", 8,
		    "unread[0].error",
		    "unknown errno name \"EPERMISSION\" (as \"EACCES\")");

	/* Values out of range or misspelt. */
	refuse_edit(s, "\"vendor\":\"8086\"", "\"vendor\":\"18086\"", 9,
		    "functions[0].vendor", "\"18086\" is out of range (16 bits)");
	refuse_edit(s, "\"vendor\":\"8086\"", "\"vendor\":\"808\"", 9,
		    "functions[0].vendor",
		    "\"808\" is not 4 hex digits (as \"001d\")");
	refuse_edit(s, "\"class\":\"060000\"", "\"class\":\"1060000\"", 8,
		    "functions[0].class", "\"1060000\" is out of range (24 bits)");
	refuse_edit(s, "\"pos\":320", "\"pos\":65536", 6,
		    "functions[1].acs.pos", "65536 is out of range (0 to 65535)");
	refuse_edit(s, "\"pos\":320", "\"pos\":0", 6, "functions[1].acs.pos",
		    "an ACS capability at offset 0: a function without one has \"acs\": null");
	refuse_edit(s, "\"ctrl\":\"001d\"", "\"ctrl\":\"0x1d\"", 7,
		    "functions[1].acs.ctrl",
		    "\"0x1d\" is not 4 hex digits (as \"001d\")");
	refuse_edit(s, "\"group\":1,", "\"group\":2147483648,", 8,
		    "functions[1].group",
		    "2147483648 is out of range (0 to 2147483647)");
	refuse_edit(s, "\"group\":1,", "\"group\":-1,", 8, "functions[1].group",
		    "-1 is not a whole number from 0 up");
	refuse_edit(s, "\"addr\":\"0000:00:1f.0\"", "\"addr\":\"0000:00:20.0\"", 7,
		    "functions[2].addr",
		    "\"0000:00:20.0\" is not a PCI address (as \"0000:00:1f.0\")");
	refuse_edit(s, "\"upstream\":\"0000:00:01.0\"",
		    "\"upstream\":\"0:0:1.0\"", 11, "functions[3].upstream",
		    "\"0:0:1.0\" is not a PCI address (as \"0000:00:1f.0\")");
	refuse_edit(s, "\"start\":\"0x0000000000000000\"",
		    "\"start\":\"0x10000000000000000\"", 8,
		    "groups[1].reserved_regions[0].start",
		    "\"0x10000000000000000\" is out of range (64 bits)");
	refuse_edit(s, "\"start\":\"0x0000000000000000\"", "\"start\":\"0x0\"", 8,
		    "groups[1].reserved_regions[0].start",
		    "\"0x0\" is not \"0x\" and 16 hex digits (as \"0x00000000fee00000\")");
	refuse_edit(s, "\"kernel_version\":\"6.12.118\"",
		    "\"kernel_version\":\"6.12.256\"", 17,
		    "host_facts.kernel_version",
		    "\"6.12.256\" is not a kernel version as \"6.12.118\" (at most 65535.255.255)");
	refuse_edit(s, "\"kernel_version\":\"6.12.118\"",
		    "\"kernel_version\":\"0.0.0\"", 17, "host_facts.kernel_version",
		    "0.0.0 is no kernel version: write null when it is unknown");
	refuse_edit(s, "\"taken\":\"2026-12-07T23:00:00Z\"",
		    "\"taken\":\"2026-02-29T23:00:00Z\"", 8, "taken",
		    "\"2026-02-29T23:00:00Z\" is no time between 1970 and 9999");
	refuse_edit(s, "\"taken\":\"2026-12-07T23:00:00Z\"",
		    "\"taken\":\"2026-12-07 23:00:00Z\"", 8, "taken",
		    "\"2026-12-07 23:00:00Z\" is not a UTC time as \"2026-12-07T23:00:00Z\"");
	refuse_edit(s, "\"host\":\"host-1\"", "\"host\":\"a\\u0000b\"", 7, "host",
		    "a string with a NUL character (\\u0000)");
	refuse_edit(s, "\"driver\":\"pcieport\"",
		    "\"driver\":\"0123456789abcdef0123456789abcdef\"", 9,
		    "functions[1].driver", "longer than 31 bytes");
	refuse_edit(s, "\"driver\":\"pcieport\"", "\"driver\":\"\"", 9,
		    "functions[1].driver",
		    "an unbound function's driver is null, not \"\"");

	/* The config space is known or unknown as a whole. */
	refuse_edit(s, "\"sriov\":null", "\"sriov\":false", 8,
		    "functions[5].sriov",
		    "must be null (\"ats_supported\" null: the function's config space is unknown)");
	refuse_edit(s, "\"ats_enabled\":null,\"untrusted\":null,\"external_facing\":null,\"multifunction\":false,\"iommu_self\":false,\"acs\":null,\"upstream\":\"0010:00:00.0\",\"pcie_type\":null",
		    "\"ats_enabled\":null,\"untrusted\":null,\"external_facing\":null,\"multifunction\":false,\"iommu_self\":false,\"acs\":null,\"upstream\":\"0010:00:00.0\",\"pcie_type\":\"endpoint\"",
		    sizeof("\"ats_enabled\":null,\"untrusted\":null,\"external_facing\":null,\"multifunction\":false,\"iommu_self\":false,\"acs\":null,\"upstream\":\"0010:00:00.0\",\"pcie_type\":") - 1,
		    "functions[5].pcie_type",
		    "must be null (\"ats_supported\" null: the function's config space is unknown)");
	refuse_edit(s, "\"ats_supported\":true,\"ats_enabled\":true",
		    "\"ats_supported\":true,\"ats_enabled\":null", 35,
		    "functions[3].ats_enabled",
		    "may not be null while \"ats_supported\" is known");

	/* Facts that contradict each other. */
	refuse_edit(s, "\"addr\":\"0000:00:1f.0\"", "\"addr\":\"0000:00:01.0\"", 7,
		    "functions[2].addr",
		    "a second function at 0000:00:01.0 (the first is functions[1])");
	refuse_edit(s, "{\"id\":9,", "{\"id\":7,", 6, "groups[6].id",
		    "a second group 7 (the first is groups[4])");
	refuse_edit(s, "\"driver\":\"ixgbe\",\"group\":2",
		    "\"driver\":\"ixgbe\",\"group\":5", 25, "functions[3].group",
		    "group 5 is not in \"groups\"");
	refuse_edit(s, "\"end\":\"0x00000000feefffff\"",
		    "\"end\":\"0x00000000fedfffff\"", 6,
		    "groups[0].reserved_regions[0].end",
		    "the region ends (0x00000000fedfffff) before it starts (0x00000000fee00000)");
	refuse_edit(s, "\"pf\":\"0000:01:00.0\"", "\"pf\":\"0000:01:00.1\"", 5,
		    "functions[4].pf",
		    "a virtual function cannot be its own physical function");
	/* A loop of two: 00:01.0 below 01:00.0, which is below 00:01.0. */
	t = edit(s, "\"multifunction\":true,\"iommu_self\":false,\"acs\":{\"pos\":320,\"cap\":\"005f\",\"ctrl\":\"001d\",\"baseline\":\"0011\",\"alt_ctrl\":\"deadbeef\"},\"upstream\":null",
		 "\"multifunction\":true,\"iommu_self\":false,\"acs\":{\"pos\":320,\"cap\":\"005f\",\"ctrl\":\"001d\",\"baseline\":\"0011\",\"alt_ctrl\":\"deadbeef\"},\"upstream\":\"0000:01:00.0\"");
	refuse_at(t, "\"upstream\":\"0000:01:00.0\"", 11, "functions[1].upstream",
		  "the upstream links make a loop: 0000:00:01.0 -> 0000:01:00.0 -> 0000:00:01.0");
	free(t);
	/* A loop of three, 00:00.0 -> 00:1f.0 -> 01:00.1 -> 00:00.0. */
	t = edit(s, "\"iommu_self\":false,\"acs\":null,\"upstream\":null,\"pcie_type\":null",
		 "\"iommu_self\":false,\"acs\":null,\"upstream\":\"0000:00:1f.0\",\"pcie_type\":null");
	{
		char *t2 = edit(t, "\"baseline\":null,\"alt_ctrl\":null},\"upstream\":null",
				"\"baseline\":null,\"alt_ctrl\":null},\"upstream\":\"0000:01:00.1\"");
		char *t3 = edit(t2, "\"upstream\":\"0000:00:01.0\",\"pcie_type\":\"type-3\"",
				"\"upstream\":\"0000:00:00.0\",\"pcie_type\":\"type-3\"");

		refuse_at(t3, "\"upstream\":\"0000:00:1f.0\"", 11,
			  "functions[0].upstream",
			  "the upstream links make a loop: 0000:00:00.0 -> 0000:00:1f.0 -> 0000:01:00.1 -> 0000:00:00.0");
		free(t3);
		free(t2);
	}
	free(t);
	/* A function as its own upstream bridge. */
	refuse_edit(s, "\"upstream\":\"0010:00:00.0\"", "\"upstream\":\"0010:02:00.0\"",
		    11, "functions[5].upstream",
		    "the upstream links make a loop: 0010:02:00.0 -> 0010:02:00.0");

	/* Duplicate keys, and trailing data, come from the JSON reader. */
	refuse_edit(s, "\"host\":\"host-1\"", "\"host\":\"host-1\",\"host\":\"x\"", 16,
		    "top", "not valid JSON: duplicate key \"host\" (first at line 1, col 54)");
	t = malloc(strlen(s) + 4);
	if (t) {
		sprintf(t, "%s{}\n", s);
		refuse_at(t, "", strlen(s), "top",
			  "not valid JSON: unexpected '{', after the end of the JSON value");
		free(t);
	}
}

/*
 * What a person may change without changing a fact: the order of keys,
 * whitespace, the case of hex digits.  It reads, and writes canonically.
 */
static void test_same_facts(const char *s)
{
	char *t = edit(s, "{\"schema\":1,\"kind\":\"pthru-snapshot\",",
		       "{ \"kind\" : \"pthru-snapshot\",\r\n\t\"schema\":1,");
	char *t2 = edit(t, "\"vendor\":\"10de\"", "\"vendor\":\"10DE\"");
	char *t3 = edit(t2, "\"addr\":\"0000:01:00.0\"", "\"addr\":\"0000:01:00.0\" ");
	char *out, why[512];
	struct facts f;
	int ret;

	ret = snapfile_parse(t3, strlen(t3), NAME, &f, why, sizeof(why));
	CHECK_INT(ret, 0);
	if (!ret) {
		out = write_text(&f, &ret);
		CHECK(out && !strcmp(out, s));
		free(out);
		facts_free(&f);
	}
	free(t3);
	free(t2);
	free(t);
}

/* The message stays one line whatever the file's name. */
static void test_messages(const char *s)
{
	char why[64], want[128], *t;
	unsigned int line, col;
	struct facts f;

	t = edit(s, "\"iommu_units\":2", "\"iommu_units\":-2");
	where(t, "-2", 0, &line, &col);
	snprintf(want, sizeof(want),
		 "a?b.json: line %u, col %u (host_facts.iommu_units): -2 is not a whole number from 0 up",
		 line, col);
	CHECK_INT(snapfile_parse(t, strlen(t), "a\nb.json", &f, why,
				 sizeof(why)), -EINVAL);
	/* Cut to the buffer, one line. */
	want[sizeof(why) - 1] = '\0';
	CHECK_STR(why, want);
	/* No room for a message is fine too. */
	CHECK_INT(snapfile_parse(t, strlen(t), NAME, &f, NULL, 0), -EINVAL);
	free(t);
}

static void test_read_file(const char *s)
{
	char path[] = "/tmp/pthructl-snapfile-XXXXXX", why[512];
	struct facts f;
	FILE *out;
	int fd;

	fd = mkstemp(path);
	out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out) {
		CHECK(!"a temporary file");
		return;
	}
	fputs(s, out);
	fclose(out);
	CHECK_INT(snapfile_read(path, &f, why, sizeof(why)), 0);
	CHECK(f.snap && f.snap->nr_devs == 6);
	facts_free(&f);

	/* The file's name is the one messages give. */
	out = fopen(path, "w");
	if (out) {
		fputs("{\"kind\":\"pthru-snapshot\",\"schema\":1}", out);
		fclose(out);
	}
	CHECK_INT(snapfile_read(path, &f, why, sizeof(why)), -EINVAL);
	CHECK(!strncmp(why, path, strlen(path)) &&
	      strstr(why, ": line 1, col 37 (top): no newline at the end"));
	unlink(path);

	CHECK_INT(snapfile_read(path, &f, why, sizeof(why)), -ENOENT);
	CHECK(!strncmp(why, path, strlen(path)) &&
	      !strcmp(why + strlen(path), ": No such file or directory"));
	CHECK(f.snap == NULL);
	CHECK_INT(snapfile_read("/", &f, why, sizeof(why)), -EISDIR);
}

/*
 * The fuzzer's seeds say what they expect in their names: "ok-*" must read
 * and write back as the same bytes, "bad-*" must be refused.
 */
static void test_corpus(void)
{
	unsigned int nr_ok = 0, nr_bad = 0;
	char path[512], why[512];
	struct dirent *de;
	struct facts f;
	DIR *dir;

	dir = opendir(CORPUS_DIR);
	CHECK(dir);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char *text, *out;
		FILE *in;
		long len;
		int ret;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, de->d_name);
		ret = snapfile_read(path, &f, why, sizeof(why));
		if (!strncmp(de->d_name, "bad-", 4)) {
			nr_bad++;
			unit_check(ret == -EINVAL && !strncmp(why, path,
							      strlen(path)),
				   __FILE__, __LINE__, path);
		} else if (!strncmp(de->d_name, "ok-", 3)) {
			nr_ok++;
			unit_check_str(ret ? why : "ok", "ok", __FILE__,
				       __LINE__, path);
		}
		if (ret)
			continue;
		in = fopen(path, "r");
		text = malloc(1 << 20);
		len = in && text ? (long)fread(text, 1, (1 << 20) - 1, in) : -1;
		if (in)
			fclose(in);
		out = write_text(&f, &ret);
		unit_check(len >= 0 && out && !strncmp(out, text, len) &&
			   strlen(out) == (size_t)len, __FILE__, __LINE__,
			   path);
		free(out);
		free(text);
		facts_free(&f);
	}
	closedir(dir);
	/* an empty or moved corpus must not pass quietly */
	CHECK(nr_ok >= 3);
	CHECK(nr_bad >= 10);
}

void test_snapfile(void)
{
	char *s = unit_snapshot_sample(0);

	test_round_trip();
	test_round_trip_empty();
	test_write_refuses();
	if (!s) {
		CHECK(!"the sample writes");
		return;
	}
	test_refusals(s);
	test_truncated(s);
	test_corrupted(s);
	test_same_facts(s);
	test_messages(s);
	test_read_file(s);
	test_corpus();
	free(s);
}
