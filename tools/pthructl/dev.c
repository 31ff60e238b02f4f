// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl dev: PCI functions (dev-get do and dump), and the device
 * record shared with the monitor.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "dev.h"
#include "evaluate.h"
#include "local_view.h"
#include "source.h"
#include "names.h"
#include "pthructl.h"
#include "table.h"

static const enum mnl_attr_data_type dev_policy[PTHRU_A_DEV_MAX + 1] = {
	[PTHRU_A_DEV_ADDR]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DEV_VENDOR]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_DEVICE]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_SUBSYS_VENDOR]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_SUBSYS_DEVICE]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_CLASS]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_DRIVER]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DEV_GROUP_ID]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_DOMAIN_TYPE]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_ATS_SUPPORTED]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_ATS_ENABLED]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_UNTRUSTED]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_EXTERNAL_FACING]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_ACS_POS]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_ACS_CAP]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_ACS_CTRL]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_MULTIFUNCTION]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_UPSTREAM]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DEV_PCIE_TYPE]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_ACS_CTRL_BASELINE]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_ISOLATION_GROUP]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_REACH_COUNT]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_P2P_HOP]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DEV_IOMMU_SELF]	= MNL_TYPE_U32,
	[PTHRU_A_DEV_SRIOV_PF]		= MNL_TYPE_NUL_STRING,
	[PTHRU_A_DEV_SRIOV_VFS]		= MNL_TYPE_U32,
	[PTHRU_A_DEV_SRIOV_ASSUMED]	= MNL_TYPE_U32,
};

int dev_parse(const struct nlmsghdr *nlh, struct dev_view *dev,
	      uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_DEV_MAX + 1];
	const struct {
		uint16_t attr;
		char *dst;
		size_t len;
	} strings[] = {
		{ PTHRU_A_DEV_ADDR, dev->addr, sizeof(dev->addr) },
		{ PTHRU_A_DEV_DRIVER, dev->driver, sizeof(dev->driver) },
		{ PTHRU_A_DEV_UPSTREAM, dev->upstream, sizeof(dev->upstream) },
		{ PTHRU_A_DEV_P2P_HOP, dev->p2p_hop, sizeof(dev->p2p_hop) },
		{ PTHRU_A_DEV_SRIOV_PF, dev->sriov_pf, sizeof(dev->sriov_pf) },
	};
	uint16_t type;
	size_t i;

	memset(dev, 0, sizeof(*dev));
	if (nl_parse_attrs(nlh, tb, PTHRU_A_DEV_MAX, dev_policy, bad_type))
		return -EBADMSG;
	for (type = 1; type <= PTHRU_A_DEV_MAX; type++)
		if (tb[type])
			dev->present |= 1ULL << type;
	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		if (tb[strings[i].attr] &&
		    nl_attr_strcpy(strings[i].dst, strings[i].len,
				   tb[strings[i].attr])) {
			*bad_type = strings[i].attr;
			return -EBADMSG;
		}
	}

#define U32(attr, field)						\
	do {								\
		if (tb[attr])						\
			dev->field = mnl_attr_get_u32(tb[attr]);	\
	} while (0)

	U32(PTHRU_A_DEV_VENDOR, vendor);
	U32(PTHRU_A_DEV_DEVICE, device);
	U32(PTHRU_A_DEV_SUBSYS_VENDOR, subsys_vendor);
	U32(PTHRU_A_DEV_SUBSYS_DEVICE, subsys_device);
	U32(PTHRU_A_DEV_CLASS, class);
	U32(PTHRU_A_DEV_GROUP_ID, group_id);
	U32(PTHRU_A_DEV_DOMAIN_TYPE, domain_type);
	U32(PTHRU_A_DEV_ATS_SUPPORTED, ats_supported);
	U32(PTHRU_A_DEV_ATS_ENABLED, ats_enabled);
	U32(PTHRU_A_DEV_UNTRUSTED, untrusted);
	U32(PTHRU_A_DEV_EXTERNAL_FACING, external_facing);
	U32(PTHRU_A_DEV_ACS_POS, acs_pos);
	U32(PTHRU_A_DEV_ACS_CAP, acs_cap);
	U32(PTHRU_A_DEV_ACS_CTRL, acs_ctrl);
	U32(PTHRU_A_DEV_MULTIFUNCTION, multifunction);
	U32(PTHRU_A_DEV_PCIE_TYPE, pcie_type);
	U32(PTHRU_A_DEV_ACS_CTRL_BASELINE, acs_ctrl_baseline);
	U32(PTHRU_A_DEV_ISOLATION_GROUP, isolation_group);
	U32(PTHRU_A_DEV_REACH_COUNT, reach_count);
	U32(PTHRU_A_DEV_IOMMU_SELF, iommu_self);
	U32(PTHRU_A_DEV_SRIOV_VFS, sriov_vfs);
	U32(PTHRU_A_DEV_SRIOV_ASSUMED, sriov_assumed);
#undef U32
	return 0;
}

bool dev_is_bridge(const struct dev_view *dev)
{
	uint32_t base_sub = dev->class >> 8;

	if (!dev_has(dev, PTHRU_A_DEV_CLASS))
		return false;
	return base_sub == 0x0604 || base_sub == 0x0607 || base_sub == 0x0609;
}

/* "%0*x" of @val as a JSON string, or null when @attr is absent. */
static void json_hex(struct json *j, const char *key,
		     const struct dev_view *dev, uint16_t attr,
		     unsigned int val, int digits)
{
	char buf[16];

	if (!dev_has(dev, attr)) {
		json_null(j, key);
		return;
	}
	snprintf(buf, sizeof(buf), "%0*x", digits, val);
	json_string(j, key, buf);
}

static void json_flag(struct json *j, const char *key,
		      const struct dev_view *dev, uint16_t attr, uint32_t val)
{
	if (dev_has(dev, attr))
		json_bool(j, key, val);
	else
		json_null(j, key);
}

/* @val as a JSON number, or null when @attr is absent. */
static void json_u32(struct json *j, const char *key,
		     const struct dev_view *dev, uint16_t attr, uint32_t val)
{
	if (dev_has(dev, attr))
		json_uint(j, key, val);
	else
		json_null(j, key);
}

static void dev_json_members(struct json *j, const struct dev_view *dev);

void dev_json(struct json *j, const char *key, const struct dev_view *dev)
{
	json_object_begin(j, key);
	dev_json_members(j, dev);
	json_object_end(j);
}

static void dev_json_members(struct json *j, const struct dev_view *dev)
{
	char buf[16];

	json_string(j, "addr",
		    dev_has(dev, PTHRU_A_DEV_ADDR) ? dev->addr : NULL);
	json_hex(j, "vendor", dev, PTHRU_A_DEV_VENDOR, dev->vendor, 4);
	json_hex(j, "device", dev, PTHRU_A_DEV_DEVICE, dev->device, 4);
	json_hex(j, "subsys_vendor", dev, PTHRU_A_DEV_SUBSYS_VENDOR,
		 dev->subsys_vendor, 4);
	json_hex(j, "subsys_device", dev, PTHRU_A_DEV_SUBSYS_DEVICE,
		 dev->subsys_device, 4);
	json_hex(j, "class", dev, PTHRU_A_DEV_CLASS, dev->class, 6);
	json_string(j, "driver",
		    dev_has(dev, PTHRU_A_DEV_DRIVER) ? dev->driver : NULL);
	json_u32(j, "group", dev, PTHRU_A_DEV_GROUP_ID, dev->group_id);
	json_string(j, "domain_type",
		    dev_has(dev, PTHRU_A_DEV_DOMAIN_TYPE) ?
		    domain_type_name(dev->domain_type) : NULL);
	json_flag(j, "ats_supported", dev, PTHRU_A_DEV_ATS_SUPPORTED,
		  dev->ats_supported);
	json_flag(j, "ats_enabled", dev, PTHRU_A_DEV_ATS_ENABLED,
		  dev->ats_enabled);
	json_flag(j, "untrusted", dev, PTHRU_A_DEV_UNTRUSTED, dev->untrusted);
	json_flag(j, "external_facing", dev, PTHRU_A_DEV_EXTERNAL_FACING,
		  dev->external_facing);
	json_u32(j, "acs_pos", dev, PTHRU_A_DEV_ACS_POS, dev->acs_pos);
	json_hex(j, "acs_cap", dev, PTHRU_A_DEV_ACS_CAP, dev->acs_cap, 4);
	json_hex(j, "acs_ctrl", dev, PTHRU_A_DEV_ACS_CTRL, dev->acs_ctrl, 4);
	json_flag(j, "multifunction", dev, PTHRU_A_DEV_MULTIFUNCTION,
		  dev->multifunction);
	json_string(j, "upstream",
		    dev_has(dev, PTHRU_A_DEV_UPSTREAM) ? dev->upstream : NULL);
	json_string(j, "pcie_type",
		    dev_has(dev, PTHRU_A_DEV_PCIE_TYPE) ?
		    pcie_type_name(dev->pcie_type, buf, sizeof(buf)) : NULL);
	json_hex(j, "acs_ctrl_baseline", dev, PTHRU_A_DEV_ACS_CTRL_BASELINE,
		 dev->acs_ctrl_baseline, 4);
	json_u32(j, "isolation_group", dev, PTHRU_A_DEV_ISOLATION_GROUP,
		 dev->isolation_group);
	json_u32(j, "reach_count", dev, PTHRU_A_DEV_REACH_COUNT,
		 dev->reach_count);
	json_string(j, "p2p_hop",
		    dev_has(dev, PTHRU_A_DEV_P2P_HOP) ? dev->p2p_hop : NULL);
	json_flag(j, "iommu", dev, PTHRU_A_DEV_IOMMU_SELF, dev->iommu_self);
	json_string(j, "sriov_pf",
		    dev_has(dev, PTHRU_A_DEV_SRIOV_PF) ? dev->sriov_pf : NULL);
	json_u32(j, "sriov_vfs", dev, PTHRU_A_DEV_SRIOV_VFS, dev->sriov_vfs);
	json_flag(j, "sriov_assumed", dev, PTHRU_A_DEV_SRIOV_ASSUMED,
		  dev->sriov_assumed);
}

/* Text of one field for the human output: "-" when it was not sent. */
struct dev_text {
	char vendor[8], device[8], subsys_vendor[8], subsys_device[8];
	char ids[16], class[8], group[16], acs_pos[8], acs_cap[8];
	char acs_ctrl[8], pcie_type[24], type_buf[16];
	char acs_ctrl_baseline[8], isolation_group[16], reach_count[16];
	char sriov_vfs[16];
	const char *addr, *driver, *domain_type, *ats, *upstream, *p2p_hop;
	const char *ats_supported, *ats_enabled, *untrusted;
	const char *external_facing, *multifunction, *iommu;
	const char *sriov_pf, *sriov_assumed;
};

static const char *flag_text(const struct dev_view *dev, uint16_t attr,
			     uint32_t val)
{
	if (!dev_has(dev, attr))
		return "-";
	return val ? "yes" : "no";
}

static void hex_text(char *buf, size_t len, const struct dev_view *dev,
		     uint16_t attr, unsigned int val, int digits)
{
	if (dev_has(dev, attr))
		snprintf(buf, len, "%0*x", digits, val);
	else
		snprintf(buf, len, "-");
}

static void u32_text(char *buf, size_t len, const struct dev_view *dev,
		     uint16_t attr, uint32_t val)
{
	if (dev_has(dev, attr))
		snprintf(buf, len, "%u", val);
	else
		snprintf(buf, len, "-");
}

static void dev_text(const struct dev_view *dev, struct dev_text *t)
{
	hex_text(t->vendor, sizeof(t->vendor), dev, PTHRU_A_DEV_VENDOR,
		 dev->vendor, 4);
	hex_text(t->device, sizeof(t->device), dev, PTHRU_A_DEV_DEVICE,
		 dev->device, 4);
	hex_text(t->subsys_vendor, sizeof(t->subsys_vendor), dev,
		 PTHRU_A_DEV_SUBSYS_VENDOR, dev->subsys_vendor, 4);
	hex_text(t->subsys_device, sizeof(t->subsys_device), dev,
		 PTHRU_A_DEV_SUBSYS_DEVICE, dev->subsys_device, 4);
	snprintf(t->ids, sizeof(t->ids), "%s:%s", t->vendor, t->device);
	hex_text(t->class, sizeof(t->class), dev, PTHRU_A_DEV_CLASS,
		 dev->class, 6);
	hex_text(t->acs_cap, sizeof(t->acs_cap), dev, PTHRU_A_DEV_ACS_CAP,
		 dev->acs_cap, 4);
	hex_text(t->acs_ctrl, sizeof(t->acs_ctrl), dev, PTHRU_A_DEV_ACS_CTRL,
		 dev->acs_ctrl, 4);
	hex_text(t->acs_ctrl_baseline, sizeof(t->acs_ctrl_baseline), dev,
		 PTHRU_A_DEV_ACS_CTRL_BASELINE, dev->acs_ctrl_baseline, 4);
	u32_text(t->isolation_group, sizeof(t->isolation_group), dev,
		 PTHRU_A_DEV_ISOLATION_GROUP, dev->isolation_group);
	u32_text(t->reach_count, sizeof(t->reach_count), dev,
		 PTHRU_A_DEV_REACH_COUNT, dev->reach_count);
	if (dev_has(dev, PTHRU_A_DEV_ACS_POS))
		snprintf(t->acs_pos, sizeof(t->acs_pos), "0x%x", dev->acs_pos);
	else
		snprintf(t->acs_pos, sizeof(t->acs_pos), "-");
	u32_text(t->group, sizeof(t->group), dev, PTHRU_A_DEV_GROUP_ID,
		 dev->group_id);
	/* The IOMMU's own function has no group: it is the IOMMU. */
	if (!dev_has(dev, PTHRU_A_DEV_GROUP_ID) &&
	    dev_has(dev, PTHRU_A_DEV_IOMMU_SELF) && dev->iommu_self)
		snprintf(t->group, sizeof(t->group), "iommu");
	if (dev_has(dev, PTHRU_A_DEV_PCIE_TYPE))
		snprintf(t->pcie_type, sizeof(t->pcie_type), "%s",
			 pcie_type_name(dev->pcie_type, t->type_buf,
					sizeof(t->type_buf)));
	else
		snprintf(t->pcie_type, sizeof(t->pcie_type), "-");

	t->addr = dev_has(dev, PTHRU_A_DEV_ADDR) ? dev->addr : "-";
	t->driver = dev_has(dev, PTHRU_A_DEV_DRIVER) ? dev->driver : "-";
	t->upstream = dev_has(dev, PTHRU_A_DEV_UPSTREAM) ? dev->upstream : "-";
	t->p2p_hop = dev_has(dev, PTHRU_A_DEV_P2P_HOP) ? dev->p2p_hop : "-";
	t->domain_type = dev_has(dev, PTHRU_A_DEV_DOMAIN_TYPE) ?
			 domain_type_name(dev->domain_type) : "-";
	/* One column for ATS: "-" without the capability, else its state. */
	if (!dev_has(dev, PTHRU_A_DEV_ATS_SUPPORTED) || !dev->ats_supported)
		t->ats = "-";
	else if (!dev_has(dev, PTHRU_A_DEV_ATS_ENABLED))
		t->ats = "?";
	else
		t->ats = dev->ats_enabled ? "on" : "off";
	t->ats_supported = flag_text(dev, PTHRU_A_DEV_ATS_SUPPORTED,
				     dev->ats_supported);
	t->ats_enabled = flag_text(dev, PTHRU_A_DEV_ATS_ENABLED,
				   dev->ats_enabled);
	t->untrusted = flag_text(dev, PTHRU_A_DEV_UNTRUSTED, dev->untrusted);
	t->external_facing = flag_text(dev, PTHRU_A_DEV_EXTERNAL_FACING,
				       dev->external_facing);
	t->multifunction = flag_text(dev, PTHRU_A_DEV_MULTIFUNCTION,
				     dev->multifunction);
	t->iommu = flag_text(dev, PTHRU_A_DEV_IOMMU_SELF, dev->iommu_self);
	t->sriov_pf = dev_has(dev, PTHRU_A_DEV_SRIOV_PF) ? dev->sriov_pf : "-";
	u32_text(t->sriov_vfs, sizeof(t->sriov_vfs), dev, PTHRU_A_DEV_SRIOV_VFS,
		 dev->sriov_vfs);
	t->sriov_assumed = flag_text(dev, PTHRU_A_DEV_SRIOV_ASSUMED,
				     dev->sriov_assumed);
}

static void dev_show_text(FILE *out, const struct dev_view *dev)
{
	struct dev_text t;

	dev_text(dev, &t);
	fprintf(out, "addr: %s\n", t.addr);
	fprintf(out, "vendor: %s\n", t.vendor);
	fprintf(out, "device: %s\n", t.device);
	fprintf(out, "subsys_vendor: %s\n", t.subsys_vendor);
	fprintf(out, "subsys_device: %s\n", t.subsys_device);
	fprintf(out, "class: %s\n", t.class);
	fprintf(out, "driver: %s\n", t.driver);
	fprintf(out, "group: %s\n", t.group);
	fprintf(out, "domain_type: %s\n", t.domain_type);
	fprintf(out, "ats_supported: %s\n", t.ats_supported);
	fprintf(out, "ats_enabled: %s\n", t.ats_enabled);
	fprintf(out, "untrusted: %s\n", t.untrusted);
	fprintf(out, "external_facing: %s\n", t.external_facing);
	fprintf(out, "acs_pos: %s\n", t.acs_pos);
	fprintf(out, "acs_cap: %s\n", t.acs_cap);
	fprintf(out, "acs_ctrl: %s\n", t.acs_ctrl);
	fprintf(out, "multifunction: %s\n", t.multifunction);
	fprintf(out, "upstream: %s\n", t.upstream);
	fprintf(out, "pcie_type: %s\n", t.pcie_type);
	fprintf(out, "acs_ctrl_baseline: %s\n", t.acs_ctrl_baseline);
	fprintf(out, "isolation_group: %s\n", t.isolation_group);
	fprintf(out, "reach_count: %s\n", t.reach_count);
	fprintf(out, "p2p_hop: %s\n", t.p2p_hop);
	fprintf(out, "iommu: %s\n", t.iommu);
	fprintf(out, "sriov_pf: %s\n", t.sriov_pf);
	fprintf(out, "sriov_vfs: %s\n", t.sriov_vfs);
	fprintf(out, "sriov_assumed: %s\n", t.sriov_assumed);
}

struct dev_list {
	struct dev_view *devs;
	size_t n;
	size_t cap;
	bool malformed;
	uint16_t bad_type;
};

static int dev_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_list *list = data;

	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 64;
		struct dev_view *grown;

		grown = realloc(list->devs, cap * sizeof(*grown));
		if (!grown) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		list->devs = grown;
		list->cap = cap;
	}
	if (dev_parse(nlh, &list->devs[list->n], &list->bad_type)) {
		list->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	list->n++;
	return MNL_CB_OK;
}

static int dev_list_text(FILE *out, const struct dev_view *devs, size_t n)
{
	static const char *const header[] = {
		"ADDRESS", "VENDOR:DEVICE", "CLASS", "DRIVER", "GROUP",
		"DOMAIN", "ATS", "ACS-CTRL", "UPSTREAM",
	};
	struct table tab;
	struct dev_text t;
	size_t i;
	int err;

	source_text_line(out);
	table_init(&tab, 9, "  ");
	err = table_add_row(&tab, header);
	for (i = 0; i < n && !err; i++) {
		const char *row[9];

		dev_text(&devs[i], &t);
		row[0] = t.addr;
		row[1] = t.ids;
		row[2] = t.class;
		row[3] = t.driver;
		row[4] = t.group;
		row[5] = t.domain_type;
		row[6] = t.ats;
		row[7] = t.acs_ctrl;
		row[8] = t.upstream;
		err = table_add_row(&tab, row);
	}
	if (!err)
		table_print(&tab, out);
	table_free(&tab);
	return err ? pt_err("out of memory") : EXIT_OK;
}

static void dev_list_json(FILE *out, const struct dev_view *devs, size_t n)
{
	struct json j;
	size_t i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
	source_json(&j);
	json_array_begin(&j, "devices");
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		json_init(&j, out);
		dev_json(&j, NULL, &devs[i]);
		fputs(i + 1 < n ? ",\n" : "\n", out);
	}
	fputs("]}\n", out);
}

int dev_list_print(FILE *out, const struct dev_view *devs, size_t n,
		   bool json)
{
	if (json) {
		dev_list_json(out, devs, n);
		return EXIT_OK;
	}
	return dev_list_text(out, devs, n);
}

int dev_show_print(FILE *out, const struct dev_view *dev, bool json)
{
	struct json j;

	if (json) {
		json_init(&j, out);
		json_object_begin(&j, NULL);
		source_json(&j);
		dev_json_members(&j, dev);
		json_object_end(&j);
		fputc('\n', out);
	} else {
		source_text_line(out);
		dev_show_text(out, dev);
	}
	return EXIT_OK;
}

int dev_fetch_all(struct pthructl *ctl, struct dev_view **devs, size_t *n)
{
	struct dev_list list = {};
	struct nlmsghdr *nlh;
	unsigned int try;
	int err, ret = EXIT_OK;

	/* A bind or a hot plug during the dump: list the host again. */
	for (try = 0; try < NL_DUMP_TRIES; try++) {
		free(list.devs);
		memset(&list, 0, sizeof(list));
		nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id,
				   PTHRU_CMD_DEV_GET, PTHRU_FAMILY_VERSION);
		err = nl_dump(&ctl->nl, nlh, dev_list_cb, &list);
		if (!nl_dump_interrupted(err))
			break;
	}
	if (list.malformed)
		ret = pt_err("malformed dev-get reply from the kernel (attribute %u)",
			     list.bad_type);
	else if (try == NL_DUMP_TRIES)
		ret = pt_err("the inventory changed %d times during the dump; try again",
			     NL_DUMP_TRIES);
	else if (err)
		ret = pthructl_nl_err(ctl, err, NULL);
	if (ret) {
		free(list.devs);
		return ret;
	}
	*devs = list.devs;
	*n = list.n;
	return EXIT_OK;
}

static int dev_dump(struct pthructl *ctl)
{
	struct dev_view *devs;
	size_t n;
	int ret;

	ret = dev_fetch_all(ctl, &devs, &n);
	if (ret)
		return ret;
	ret = dev_list_print(stdout, devs, n, ctl->json);
	free(devs);
	return ret;
}

struct dev_one {
	struct dev_view dev;
	bool replied;
	bool malformed;
	uint16_t bad_type;
};

static int dev_one_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_one *one = data;

	one->replied = true;
	if (dev_parse(nlh, &one->dev, &one->bad_type)) {
		one->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int dev_fetch(struct pthructl *ctl, const char *addr, struct dev_view *dev)
{
	char fallback[64];
	struct dev_one one = {};
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_DEV_GET,
			   PTHRU_FAMILY_VERSION);
	mnl_attr_put_strz(nlh, PTHRU_A_DEV_ADDR, addr);
	err = nl_do(&ctl->nl, nlh, dev_one_cb, &one);
	if (one.malformed)
		return pt_err("malformed dev-get reply from the kernel (attribute %u)",
			      one.bad_type);
	if (err) {
		snprintf(fallback, sizeof(fallback), "no PCI function %s", addr);
		return pthructl_nl_err(ctl, err,
				       err == -ENODEV ? fallback : NULL);
	}
	if (!one.replied)
		return pt_err("the kernel sent no dev-get reply");
	*dev = one.dev;
	return EXIT_OK;
}

static int dev_show(struct pthructl *ctl, const char *arg)
{
	char addr[PCI_ADDR_STRLEN];
	struct dev_view dev;
	int err;

	if (pci_addr_normalize(arg, addr, sizeof(addr)))
		return pt_err_bad_addr(arg);
	err = pthructl_connect(ctl);
	if (!err)
		err = dev_fetch(ctl, addr, &dev);
	if (err)
		return err;
	return dev_show_print(stdout, &dev, ctl->json);
}

/* dev and dev show over facts pthructl evaluates itself. */
static int dev_local(struct pthructl *ctl, const struct facts *facts,
		     const char *addr)
{
	struct evaluation ev;
	struct dev_view *devs;
	size_t n, i;
	int ret;

	if (evaluate_facts(facts, &ev))
		return pt_err("out of memory");
	ret = local_dev_list(facts->snap, &ev.iso, &devs, &n);
	evaluation_free(&ev);
	if (ret)
		return pt_err("out of memory");
	if (!addr) {
		ret = dev_list_print(stdout, devs, n, ctl->json);
	} else {
		for (i = 0; i < n && strcmp(devs[i].addr, addr); i++)
			;
		ret = i < n ? dev_show_print(stdout, &devs[i], ctl->json) :
		      pt_err("no PCI function %s in the %s", addr,
			     report_source.file ? "snapshot" : "sysfs inventory");
	}
	free(devs);
	return ret;
}

int cmd_dev(struct pthructl *ctl, int argc, char **argv)
{
	char addr[PCI_ADDR_STRLEN];
	struct facts facts;
	bool local;
	int err;

	if (argc > 0 && strcmp(argv[0], "show"))
		return pt_err("unknown dev command '%s' (see pthructl help dev)",
			      argv[0]);
	if (argc > 2)
		return pt_err_extra_arg("dev", argv[2]);
	if (argc == 2 && pci_addr_normalize(argv[1], addr, sizeof(addr)))
		return pt_err_bad_addr(argv[1]);

	err = source_gather(ctl, &facts, &local);
	if (err)
		return err;
	if (local) {
		err = dev_local(ctl, &facts, argc == 2 ? addr : NULL);
		facts_free(&facts);
		return err;
	}
	if (argc == 2)
		return dev_show(ctl, argv[1]);
	return dev_dump(ctl);
}
