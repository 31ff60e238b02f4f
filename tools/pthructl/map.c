// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl map: the shadow of userspace-owned (VFIO type1) IOMMU domains,
 * from the map-get dump, optionally limited to one IOMMU group; "map
 * verify" hands over to verify.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "group.h"
#include "map.h"
#include "names.h"
#include "pthructl.h"
#include "table.h"
#include "verify.h"

/* Re-dumps when the module ends a dump the shadow changed under. */
#define MAP_FETCH_TRIES	3

static const enum mnl_attr_data_type mapping_policy[PTHRU_A_MAPPING_MAX + 1] = {
	[PTHRU_A_MAPPING_GROUP_ID]	= MNL_TYPE_U32,
	[PTHRU_A_MAPPING_DOMAIN_ID]	= MNL_TYPE_U32,
	[PTHRU_A_MAPPING_DOMAIN_TYPE]	= MNL_TYPE_U32,
	[PTHRU_A_MAPPING_IOVA]		= MNL_TYPE_U64,
	[PTHRU_A_MAPPING_PHYS]		= MNL_TYPE_U64,
	[PTHRU_A_MAPPING_SIZE]		= MNL_TYPE_U64,
	[PTHRU_A_MAPPING_PROT]		= MNL_TYPE_U32,
	[PTHRU_A_MAPPING_INCOMPLETE]	= MNL_TYPE_U32,
	[PTHRU_A_MAPPING_PHYS_HIDDEN]	= MNL_TYPE_U32,
};

/* Names of the map-prot bits, in bit order, as the spec spells them. */
static const char *const prot_names[] = {
	"read", "write", "cache", "noexec", "mmio", "priv",
};

#define PROT_KNOWN	((1U << ARRAY_SIZE(prot_names)) - 1)

int mapping_parse(const struct nlmsghdr *nlh, struct pthru_mapping *m,
		  uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_MAPPING_MAX + 1];
	uint16_t type;

	memset(m, 0, sizeof(*m));
	if (nl_parse_attrs(nlh, tb, PTHRU_A_MAPPING_MAX, mapping_policy,
			   bad_type))
		return -EBADMSG;
	for (type = 1; type <= PTHRU_A_MAPPING_MAX; type++)
		if (tb[type])
			m->present |= 1U << type;
	if (tb[PTHRU_A_MAPPING_GROUP_ID])
		m->group_id = mnl_attr_get_u32(tb[PTHRU_A_MAPPING_GROUP_ID]);
	if (tb[PTHRU_A_MAPPING_DOMAIN_ID])
		m->domain_id = mnl_attr_get_u32(tb[PTHRU_A_MAPPING_DOMAIN_ID]);
	if (tb[PTHRU_A_MAPPING_DOMAIN_TYPE])
		m->domain_type = mnl_attr_get_u32(tb[PTHRU_A_MAPPING_DOMAIN_TYPE]);
	if (tb[PTHRU_A_MAPPING_IOVA])
		m->iova = mnl_attr_get_u64(tb[PTHRU_A_MAPPING_IOVA]);
	if (tb[PTHRU_A_MAPPING_PHYS])
		m->phys = mnl_attr_get_u64(tb[PTHRU_A_MAPPING_PHYS]);
	if (tb[PTHRU_A_MAPPING_SIZE])
		m->size = mnl_attr_get_u64(tb[PTHRU_A_MAPPING_SIZE]);
	if (tb[PTHRU_A_MAPPING_PROT])
		m->prot = mnl_attr_get_u32(tb[PTHRU_A_MAPPING_PROT]);
	if (tb[PTHRU_A_MAPPING_INCOMPLETE])
		m->incomplete = mnl_attr_get_u32(tb[PTHRU_A_MAPPING_INCOMPLETE]);
	if (tb[PTHRU_A_MAPPING_PHYS_HIDDEN])
		m->phys_hidden =
			mnl_attr_get_u32(tb[PTHRU_A_MAPPING_PHYS_HIDDEN]);
	return 0;
}

bool mapping_phys_hidden(const struct pthru_mapping *m)
{
	return mapping_has(m, PTHRU_A_MAPPING_PHYS_HIDDEN) && m->phys_hidden;
}

/* A physical address to print: sent, and not marked hidden. */
static bool mapping_phys_known(const struct pthru_mapping *m)
{
	return mapping_has(m, PTHRU_A_MAPPING_PHYS) && !mapping_phys_hidden(m);
}

bool mappings_phys_hidden(const struct pthru_mapping *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mapping_phys_hidden(&m[i]))
			return true;
	return false;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

/* An absent id sorts after every present one. */
static int cmp_opt_u32(bool has_a, uint32_t a, bool has_b, uint32_t b)
{
	if (has_a != has_b)
		return has_a ? -1 : 1;
	return has_a ? cmp_u32(a, b) : 0;
}

/* Same table section: same group and same domain. */
static int mapping_cmp_section(const struct pthru_mapping *a,
			       const struct pthru_mapping *b)
{
	int c;

	c = cmp_opt_u32(mapping_has(a, PTHRU_A_MAPPING_GROUP_ID), a->group_id,
			mapping_has(b, PTHRU_A_MAPPING_GROUP_ID), b->group_id);
	if (c)
		return c;
	return cmp_opt_u32(mapping_has(a, PTHRU_A_MAPPING_DOMAIN_ID),
			   a->domain_id,
			   mapping_has(b, PTHRU_A_MAPPING_DOMAIN_ID),
			   b->domain_id);
}

static int mapping_cmp(const void *pa, const void *pb)
{
	const struct pthru_mapping *a = pa, *b = pb;
	int c = mapping_cmp_section(a, b);

	if (c)
		return c;
	return a->iova < b->iova ? -1 : a->iova > b->iova;
}

void mapping_sort(struct pthru_mapping *m, size_t n)
{
	if (n > 1)
		qsort(m, n, sizeof(*m), mapping_cmp);
}

const char *map_prot_text(uint32_t prot, char *buf, size_t len)
{
	size_t pos;
	unsigned int bit;

	snprintf(buf, len, "%c%c", prot & PTHRU_MAP_PROT_READ ? 'r' : '-',
		 prot & PTHRU_MAP_PROT_WRITE ? 'w' : '-');
	for (bit = 2; bit < ARRAY_SIZE(prot_names); bit++) {
		if (!(prot & (1U << bit)))
			continue;
		pos = strlen(buf);
		snprintf(buf + pos, len - pos, ",%s", prot_names[bit]);
	}
	/* A bit from a newer module is shown, never dropped. */
	if (prot & ~PROT_KNOWN) {
		pos = strlen(buf);
		snprintf(buf + pos, len - pos, ",0x%x", prot & ~PROT_KNOWN);
	}
	return buf;
}

const char *size_human(uint64_t size, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	unsigned int i = 0;

	if (!size || size & 1023) {
		snprintf(buf, len, "%" PRIu64 "B", size);
		return buf;
	}
	size >>= 10;
	while (i + 1 < sizeof(units) - 1 && !(size & 1023)) {
		size >>= 10;
		i++;
	}
	snprintf(buf, len, "%" PRIu64 "%c", size, units[i]);
	return buf;
}

static void hex64_text(char *buf, size_t len, uint64_t val, bool has)
{
	if (has)
		snprintf(buf, len, "0x%016" PRIx64, val);
	else
		snprintf(buf, len, "-");
}

void mapping_json(struct json *j, const char *key,
		  const struct pthru_mapping *m)
{
	char iova[24], phys[24], size[24];
	unsigned int bit;

	json_object_begin(j, key);
	if (mapping_has(m, PTHRU_A_MAPPING_GROUP_ID))
		json_uint(j, "group", m->group_id);
	else
		json_null(j, "group");
	if (mapping_has(m, PTHRU_A_MAPPING_DOMAIN_ID))
		json_uint(j, "domain", m->domain_id);
	else
		json_null(j, "domain");
	json_string(j, "type", mapping_has(m, PTHRU_A_MAPPING_DOMAIN_TYPE) ?
		    domain_type_name(m->domain_type) : NULL);
	/*
	 * Hexadecimal strings, not numbers: a u64 does not survive a JSON
	 * parser that reads numbers as doubles (exact only up to 2^53).
	 */
	hex64_text(iova, sizeof(iova), m->iova,
		   mapping_has(m, PTHRU_A_MAPPING_IOVA));
	hex64_text(phys, sizeof(phys), m->phys, mapping_phys_known(m));
	snprintf(size, sizeof(size), "0x%" PRIx64, m->size);
	json_string(j, "iova", mapping_has(m, PTHRU_A_MAPPING_IOVA) ?
		    iova : NULL);
	/* A hidden address is null, never a number that looks like one. */
	json_string(j, "phys", mapping_phys_known(m) ? phys : NULL);
	json_bool(j, "phys_hidden", mapping_phys_hidden(m));
	json_string(j, "size", mapping_has(m, PTHRU_A_MAPPING_SIZE) ?
		    size : NULL);
	if (mapping_has(m, PTHRU_A_MAPPING_PROT)) {
		json_array_begin(j, "prot");
		for (bit = 0; bit < ARRAY_SIZE(prot_names); bit++)
			if (m->prot & (1U << bit))
				json_string(j, NULL, prot_names[bit]);
		if (m->prot & ~PROT_KNOWN)
			json_string(j, NULL, "unknown");
		json_array_end(j);
	} else {
		json_null(j, "prot");
	}
	if (mapping_has(m, PTHRU_A_MAPPING_INCOMPLETE))
		json_bool(j, "incomplete", m->incomplete);
	else
		json_null(j, "incomplete");
	json_object_end(j);
}

static void map_json(FILE *out, const struct pthru_mapping *m, size_t n)
{
	struct json j;
	size_t i;

	fprintf(out, "{\"schema\":%d,\"mappings\":[\n", PTHRUCTL_JSON_SCHEMA);
	for (i = 0; i < n; i++) {
		json_init(&j, out);
		mapping_json(&j, NULL, &m[i]);
		fputs(i + 1 < n ? ",\n" : "\n", out);
	}
	fputs("]}\n", out);
}

static void map_section_header(FILE *out, const struct pthru_mapping *m,
			       size_t n)
{
	char group[16] = "-", domain[16] = "-";
	bool incomplete = false;
	size_t i;

	if (mapping_has(m, PTHRU_A_MAPPING_GROUP_ID))
		snprintf(group, sizeof(group), "%u", m->group_id);
	if (mapping_has(m, PTHRU_A_MAPPING_DOMAIN_ID))
		snprintf(domain, sizeof(domain), "%u", m->domain_id);
	/* The flag is the domain's, repeated on each of its ranges. */
	for (i = 0; i < n; i++)
		incomplete |= m[i].incomplete != 0;
	fprintf(out, "group %s domain %s (%s)%s\n", group, domain,
		mapping_has(m, PTHRU_A_MAPPING_DOMAIN_TYPE) ?
		domain_type_name(m->domain_type) : "-",
		incomplete ? " shadow incomplete" : "");
}

/* The table of one section: @n ranges of one group and domain. */
static int map_section_table(FILE *out, const struct pthru_mapping *m,
			     size_t n)
{
	static const char *const header[] = { "IOVA", "PHYS", "SIZE", "PROT" };
	char iova[24], phys[24], size[48], human[24], prot[64];
	struct table tab;
	size_t i;
	int err;

	table_init(&tab, 4, "  ");
	err = table_add_row(&tab, header);
	for (i = 0; i < n && !err; i++) {
		const char *row[4] = { iova, phys, size, prot };

		hex64_text(iova, sizeof(iova), m[i].iova,
			   mapping_has(&m[i], PTHRU_A_MAPPING_IOVA));
		hex64_text(phys, sizeof(phys), m[i].phys,
			   mapping_phys_known(&m[i]));
		if (mapping_has(&m[i], PTHRU_A_MAPPING_SIZE))
			snprintf(size, sizeof(size), "0x%" PRIx64 " (%s)",
				 m[i].size,
				 size_human(m[i].size, human, sizeof(human)));
		else
			snprintf(size, sizeof(size), "-");
		if (mapping_has(&m[i], PTHRU_A_MAPPING_PROT))
			map_prot_text(m[i].prot, prot, sizeof(prot));
		else
			snprintf(prot, sizeof(prot), "-");
		err = table_add_row(&tab, row);
	}
	if (!err)
		table_print(&tab, out);
	table_free(&tab);
	return err;
}

static int map_text(FILE *out, const struct pthru_mapping *m, size_t n)
{
	size_t start, end;

	if (!n) {
		fputs("no userspace-owned mappings\n", out);
		return EXIT_OK;
	}
	for (start = 0; start < n; start = end) {
		for (end = start + 1; end < n; end++)
			if (mapping_cmp_section(&m[start], &m[end]))
				break;
		if (start)
			fputc('\n', out);
		map_section_header(out, &m[start], end - start);
		if (map_section_table(out, &m[start], end - start))
			return pt_err("out of memory");
	}
	return EXIT_OK;
}

int map_print(FILE *out, const struct pthru_mapping *m, size_t n, bool json)
{
	if (json) {
		map_json(out, m, n);
		return EXIT_OK;
	}
	return map_text(out, m, n);
}

int map_nl_err(struct pthructl *ctl, int err, bool has_group, uint32_t group,
	       const char *unsupported)
{
	char fallback[80];

	if (err == -ENOENT && has_group) {
		snprintf(fallback, sizeof(fallback),
			 "IOMMU group %u has no userspace-owned domain", group);
		return pthructl_nl_err(ctl, err, fallback);
	}
	return pthructl_nl_err(ctl, err,
			       err == -EOPNOTSUPP ? unsupported : NULL);
}

struct map_list {
	struct pthru_mapping *items;
	size_t n;
	size_t cap;
	bool malformed;
	uint16_t bad_type;
};

static int map_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct map_list *list = data;

	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 64;
		struct pthru_mapping *grown;

		grown = realloc(list->items, cap * sizeof(*grown));
		if (!grown) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		list->items = grown;
		list->cap = cap;
	}
	if (mapping_parse(nlh, &list->items[list->n], &list->bad_type)) {
		list->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	list->n++;
	return MNL_CB_OK;
}

static int map_error(struct pthructl *ctl, const struct map_list *list,
		     int err, bool has_group, uint32_t group)
{
	if (list->malformed)
		return pt_err("malformed map-get reply from the kernel (attribute %u)",
			      list->bad_type);
	if (err == -ENOMEM)
		return pt_err("out of memory");
	return map_nl_err(ctl, err, has_group, group,
			  "the loaded pthru module keeps no shadow of mappings (it predates map-get)");
}

static int map_show(struct pthructl *ctl, bool has_group, uint32_t group)
{
	struct map_list list = {};
	struct nlmsghdr *nlh;
	unsigned int try;
	int err = 0, ret;

	for (try = 0; try < MAP_FETCH_TRIES; try++) {
		list.n = 0;
		nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id,
				   PTHRU_CMD_MAP_GET, PTHRU_FAMILY_VERSION);
		if (has_group)
			mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_GROUP_ID, group);
		err = nl_dump(&ctl->nl, nlh, map_list_cb, &list);
		/* The shadow changed under the dump: its ranges are no snapshot. */
		if (!nl_dump_interrupted(err))
			break;
	}
	if (try == MAP_FETCH_TRIES) {
		ret = pt_err("the mappings changed %d times during the dump; try again",
			     MAP_FETCH_TRIES);
	} else if (err) {
		ret = map_error(ctl, &list, err, has_group, group);
	} else {
		mapping_sort(list.items, list.n);
		/* Once, not per range: "-" in the PHYS column is this. */
		if (mappings_phys_hidden(list.items, list.n))
			pt_note("physical addresses are hidden: they need CAP_SYS_ADMIN");
		ret = map_print(stdout, list.items, list.n, ctl->json);
	}
	free(list.items);
	return ret;
}

int cmd_map(struct pthructl *ctl, int argc, char **argv)
{
	uint32_t group = 0;
	bool has_group = false;
	int err;

	if (argc > 0 && strcmp(argv[0], "show") && strcmp(argv[0], "verify"))
		return pt_err("unknown map command '%s' (see pthructl help map)",
			      argv[0]);
	if (argc > 2)
		return pt_err_extra_arg("map", argv[2]);
	if (argc == 2) {
		if (group_id_parse(argv[1], &group))
			return pt_err("invalid IOMMU group id '%s' (expected a decimal number)",
				      argv[1]);
		has_group = true;
	}
	err = pthructl_connect(ctl);
	if (err)
		return err;
	if (argc > 0 && !strcmp(argv[0], "verify"))
		return verify_run(ctl, has_group, group);
	return map_show(ctl, has_group, group);
}
