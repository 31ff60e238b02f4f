// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot files: write a host's facts as JSON, read them back strictly.
 *
 * The writer puts one function, group or unread file per line, so that two
 * snapshots compare well with diff.  The reader checks the document
 * against the format by hand rather than through a generic schema
 * engine: the messages can then say what this format means ("the
 * function's config space is unknown"), and the checks that no schema can
 * express (two functions at one address, a loop in the upstream links)
 * sit next to the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/gfp.h>

#include <core/names.h>
#include <core/pciaddr.h>

#include "json.h"
#include "jsonread.h"
#include "snapfile.h"

/* 9999-12-31T23:59:59Z: the last time four year digits can write. */
#define TAKEN_MAX	253402300799LL
/* Linux's errno values end well below this; names are looked up in it. */
#define ERRNO_MAX	512
/* Values quoted in a message are cut to this many bytes. */
#define SHOW_MAX	40

/* The facts the config space holds: unknown together (CONFIG). */
#define CONFIG_NOTE	"(\"ats_supported\" null: the function's config space is unknown)"

/* ---- writing ---------------------------------------------------------- */

static void civil_from_days(int64_t z, unsigned int *y, unsigned int *m,
			    unsigned int *d)
{
	/* Howard Hinnant's algorithm, for days since 1970-01-01 >= 0. */
	unsigned int doe, yoe, doy, mp;
	int64_t era;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	unsigned int yoe, doy, doe;
	int64_t era;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* @t (0 to TAKEN_MAX) as RFC 3339 in UTC, "2026-12-07T23:00:00Z". */
static void format_taken(char buf[32], int64_t t)
{
	unsigned int y, m, d, secs = t % 86400;

	civil_from_days(t / 86400, &y, &m, &d);
	snprintf(buf, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", y, m, d,
		 secs / 3600, secs / 60 % 60, secs % 60);
}

static const char *errno_name(int err)
{
	return err > 0 && err < ERRNO_MAX ? strerrorname_np(err) : NULL;
}

/* A C string in a @size-byte field: terminated, UTF-8. */
static bool field_ok(const char *s, size_t size)
{
	size_t len = strnlen(s, size);

	return len < size && jr_utf8_valid(s, len);
}

/* Can @facts be written so that they read back as written? */
static bool writable(const struct facts *facts)
{
	const struct pthru_snapshot *snap = facts->snap;
	u32 i, k;

	if (!snap || !snap->finalized ||
	    (unsigned int)facts->source > FACTS_SYSFS ||
	    facts->taken < 0 || facts->taken > TAKEN_MAX ||
	    !field_ok(facts->host, sizeof(facts->host)) ||
	    !field_ok(facts->kernel_release, sizeof(facts->kernel_release)) ||
	    !field_ok(snap->iommu_driver, sizeof(snap->iommu_driver)) ||
	    (facts->cmdline &&
	     !jr_utf8_valid(facts->cmdline, strlen(facts->cmdline))))
		return false;
	for (i = 0; i < facts->n_unread; i++)
		if (!errno_name(facts->unread[i].err) ||
		    !jr_utf8_valid(facts->unread[i].path,
				   strlen(facts->unread[i].path)))
			return false;
	for (i = 0; i < snap->nr_devs; i++)
		if (!field_ok(snap->devs[i].driver,
			      sizeof(snap->devs[i].driver)) ||
		    !field_ok(snap->devs[i].slot, sizeof(snap->devs[i].slot)) ||
		    snap->devs[i].class > 0xffffff)
			return false;
	for (i = 0; i < snap->nr_groups; i++)
		for (k = 0; k < snap->groups[i].nr_resv; k++)
			if (snap->groups[i].resv[k].type > PTHRU_RESV_TYPE_SW_MSI)
				return false;
	return true;
}

static void put_hex(struct json *j, const char *key, u32 val, int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", digits, val);
	json_string(j, key, buf);
}

static void put_addr(struct json *j, const char *key, bool present, u32 addr)
{
	char buf[PTHRU_PCIADDR_BUFSZ];

	json_string(j, key, present ? pthru_pciaddr_format(addr, buf) : NULL);
}

/* A fact the source may not know: null when @unknown. */
static void put_fact(struct json *j, const char *key, bool unknown, bool val)
{
	if (unknown)
		json_null(j, key);
	else
		json_bool(j, key, val);
}

static void write_host_facts(FILE *out, const struct pthru_snapshot *snap)
{
	u32 v = snap->kernel_version;
	char version[32];
	struct json j;

	snprintf(version, sizeof(version), "%u.%u.%u", v >> 16, v >> 8 & 0xff,
		 v & 0xff);
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_string(&j, "iommu_driver", snap->iommu_driver);
	json_uint(&j, "iommu_units", snap->iommu_units);
	json_string(&j, "kernel_version", v ? version : NULL);
	json_bool(&j, "acpi_ivrs", snap->acpi_ivrs);
	put_fact(&j, "default_passthrough",
		 snap->unknown & PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN,
		 snap->default_passthrough);
	json_string(&j, "unsafe_interrupts",
		    pthru_tristate_name(snap->unsafe_interrupts));
	json_uint(&j, "generation", snap->generation);
	json_object_end(&j);
}

static void write_acs(struct json *j, const struct pthru_dev *dev)
{
	if ((dev->unknown & PTHRU_DEV_UNKNOWN_CONFIG) || !dev->acs_pos) {
		json_null(j, "acs");
		return;
	}
	json_object_begin(j, "acs");
	json_uint(j, "pos", dev->acs_pos);
	put_hex(j, "cap", dev->acs_cap, 4);
	put_hex(j, "ctrl", dev->acs_ctrl, 4);
	if (dev->unknown & PTHRU_DEV_UNKNOWN_ACS_BASELINE)
		json_null(j, "baseline");
	else
		put_hex(j, "baseline", dev->acs_ctrl_baseline, 4);
	if (dev->acs_alt_read)
		put_hex(j, "alt_ctrl", dev->acs_alt_ctrl, 8);
	else
		json_null(j, "alt_ctrl");
	json_object_end(j);
}

static void write_function(FILE *out, const struct pthru_dev *dev)
{
	bool config = dev->unknown & PTHRU_DEV_UNKNOWN_CONFIG;
	const char *type;
	char buf[20];
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	put_addr(&j, "addr", true, dev->addr);
	put_hex(&j, "vendor", dev->vendor, 4);
	put_hex(&j, "device", dev->device, 4);
	put_hex(&j, "subsys_vendor", dev->subsys_vendor, 4);
	put_hex(&j, "subsys_device", dev->subsys_device, 4);
	put_hex(&j, "class", dev->class, 6);
	json_string(&j, "driver", dev->driver[0] ? dev->driver : NULL);
	if (dev->group_id < 0)
		json_null(&j, "group");
	else
		json_uint(&j, "group", dev->group_id);
	put_fact(&j, "ats_supported", config, dev->ats_supported);
	put_fact(&j, "ats_enabled", config, dev->ats_enabled);
	put_fact(&j, "untrusted", dev->unknown & PTHRU_DEV_UNKNOWN_UNTRUSTED,
		 dev->untrusted);
	put_fact(&j, "external_facing",
		 dev->unknown & PTHRU_DEV_UNKNOWN_EXTERNAL,
		 dev->external_facing);
	json_bool(&j, "multifunction", dev->multifunction);
	json_bool(&j, "iommu_self", dev->iommu_self);
	write_acs(&j, dev);
	put_addr(&j, "upstream", dev->has_upstream, dev->upstream_addr);
	type = NULL;
	if (!config && dev->is_pcie) {
		/* A type the core has no name for: "type-N", as dev -j. */
		type = pthru_pcie_type_name(dev->pcie_type);
		if (!type) {
			snprintf(buf, sizeof(buf), "type-%u", dev->pcie_type);
			type = buf;
		}
	}
	json_string(&j, "pcie_type", type);
	put_fact(&j, "sriov", config, dev->sriov);
	put_addr(&j, "pf", dev->is_vf, dev->pf_addr);
	put_fact(&j, "acs_quirk_enabled",
		 dev->unknown & PTHRU_DEV_UNKNOWN_ACS_QUIRK,
		 dev->acs_quirk_enabled);
	json_string(&j, "slot", dev->slot[0] ? dev->slot : NULL);
	/* null is "no serial number": unknown has a word of its own. */
	if (dev->unknown & PTHRU_DEV_UNKNOWN_DSN) {
		json_string(&j, "dsn", "unknown");
	} else if (dev->has_dsn) {
		snprintf(buf, sizeof(buf), "%016llx",
			 (unsigned long long)dev->dsn);
		json_string(&j, "dsn", buf);
	} else {
		json_null(&j, "dsn");
	}
	json_object_end(&j);
}

static void write_group(FILE *out, const struct pthru_group *group)
{
	char start[24], end[24];
	struct json j;
	u32 i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "id", group->id);
	json_string(&j, "domain_type",
		    pthru_domain_type_name(group->domain_type));
	json_string(&j, "isolated_msi",
		    pthru_tristate_name(group->isolated_msi));
	json_array_begin(&j, "reserved_regions");
	for (i = 0; i < group->nr_resv; i++) {
		const struct pthru_resv_region *r = &group->resv[i];

		snprintf(start, sizeof(start), "0x%016llx",
			 (unsigned long long)r->start);
		snprintf(end, sizeof(end), "0x%016llx",
			 (unsigned long long)r->end);
		json_object_begin(&j, NULL);
		json_string(&j, "start", start);
		json_string(&j, "end", end);
		json_string(&j, "type", pthru_resv_type_name(r->type));
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
}

/* "[" then one entry per line, or "[]" without entries. */
static void list_sep(FILE *out, u32 i, u32 n)
{
	if (i < n)
		fputs(i ? ",\n" : "\n", out);
	else
		fputs(n ? "\n]" : "]", out);
}

int snapfile_write(FILE *out, const struct facts *facts)
{
	const struct pthru_snapshot *snap = facts->snap;
	char taken[32];
	struct json j;
	u32 i, n;

	if (!writable(facts))
		return -EINVAL;

	format_taken(taken, facts->taken);
	fprintf(out, "{\"schema\":%d,\"kind\":\"%s\",\"source\":\"%s\",\"host\":",
		SNAPSHOT_JSON_SCHEMA, SNAPSHOT_JSON_KIND,
		facts_source_name(facts->source));
	json_write_string(out, facts->host);
	fputs(",\"kernel_release\":", out);
	json_write_string(out, facts->kernel_release);
	fprintf(out, ",\"taken\":\"%s\",\"cmdline\":", taken);
	if (facts->cmdline)
		json_write_string(out, facts->cmdline);
	else
		fputs("null", out);

	fputs(",\n\"host_facts\":", out);
	write_host_facts(out, snap);
	/* This pthructl writes no map notes: readers always see "unknown". */
	fputs(",\n\"mappings\":null", out);

	fputs(",\n\"unread\":[", out);
	n = facts->n_unread;
	for (i = 0; i <= n; i++) {
		list_sep(out, i, n);
		if (i == n)
			break;
		json_init(&j, out);
		json_object_begin(&j, NULL);
		json_string(&j, "path", facts->unread[i].path);
		json_string(&j, "error", errno_name(facts->unread[i].err));
		json_object_end(&j);
	}

	fputs(",\n\"functions\":[", out);
	for (i = 0; i <= snap->nr_devs; i++) {
		list_sep(out, i, snap->nr_devs);
		if (i < snap->nr_devs)
			write_function(out, &snap->devs[i]);
	}

	fputs(",\n\"groups\":[", out);
	for (i = 0; i <= snap->nr_groups; i++) {
		list_sep(out, i, snap->nr_groups);
		if (i < snap->nr_groups)
			write_group(out, &snap->groups[i]);
	}
	fputs("}\n", out);

	return fflush(out) || ferror(out) ? -EIO : 0;
}

/* ---- reading ---------------------------------------------------------- */

struct reader {
	const char *name;
	char *why;
	size_t why_len;
	char path[JR_PATH_MAX];
	size_t plen;
};

/* What the checks after the walk need to know of one function. */
struct fn_note {
	size_t index;		/* in "functions" */
	u32 addr;
	const struct jr_value *addr_v;
	bool has_upstream;
	u32 upstream;
	const struct jr_value *upstream_v;
	s32 group;
	const struct jr_value *group_v;
	s32 up_idx;		/* the upstream function's note, or -1 */
	u8 state;		/* loop search: 0 new, 1 on the walk, 2 done */
};

struct group_note {
	size_t index;		/* in "groups" */
	s32 id;
	const struct jr_value *id_v;
};

/* @s (@len bytes) for a message: one line, cut to SHOW_MAX bytes. */
static const char *show(char *buf, size_t size, const char *s, size_t len)
{
	size_t i, n = len < SHOW_MAX ? len : SHOW_MAX;

	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	if (len > n && size > n + 3)
		strcpy(buf + n, "...");
	return buf;
}

static int __attribute__((format(printf, 4, 5)))
fail_at(struct reader *r, unsigned int line, unsigned int col,
	const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	size_t i;

	if (!r->why_len)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->why, r->why_len, "%s: line %u, col %u (%s): %s", r->name,
		 line, col, r->plen ? r->path : "top", msg);
	/* One line whatever the file's name holds. */
	for (i = 0; r->why[i]; i++)
		if ((unsigned char)r->why[i] < 0x20 || r->why[i] == 0x7f)
			r->why[i] = '?';
	return -EINVAL;
}

#define fail(r, v, ...)	fail_at(r, (v)->line, (v)->col, __VA_ARGS__)

static size_t push_key(struct reader *r, const char *key)
{
	size_t mark = r->plen;
	int n;

	n = snprintf(r->path + r->plen, sizeof(r->path) - r->plen, "%s%s",
		     r->plen ? "." : "", key);
	if (n > 0)
		r->plen += (size_t)n < sizeof(r->path) - r->plen ?
			   (size_t)n : sizeof(r->path) - r->plen - 1;
	return mark;
}

static size_t push_index(struct reader *r, size_t index)
{
	size_t mark = r->plen;
	int n;

	n = snprintf(r->path + r->plen, sizeof(r->path) - r->plen, "[%zu]",
		     index);
	if (n > 0)
		r->plen += (size_t)n < sizeof(r->path) - r->plen ?
			   (size_t)n : sizeof(r->path) - r->plen - 1;
	return mark;
}

static void pop(struct reader *r, size_t mark)
{
	r->plen = mark;
	r->path[mark] = '\0';
}

/* The path "@list[@index].@key", for the checks after the walk. */
static void set_path(struct reader *r, const char *list, size_t index,
		     const char *key)
{
	snprintf(r->path, sizeof(r->path), "%s[%zu].%s", list, index, key);
	r->plen = strlen(r->path);
}

static int wrong_type(struct reader *r, const struct jr_value *v,
		      const char *wanted)
{
	return fail(r, v, "expected %s, not %s", wanted, jr_type_name(v->type));
}

/*
 * @v must be an object with exactly the NULL-terminated @keys: an unknown
 * key is named where it stands, a missing one at the object.
 */
static int expect_keys(struct reader *r, const struct jr_value *v,
		       const char *const *keys)
{
	char buf[64];
	size_t i, k;

	if (v->type != JR_OBJECT)
		return wrong_type(r, v, "an object");
	for (i = 0; i < v->len; i++) {
		const struct jr_member *m = &v->u.members[i];

		for (k = 0; keys[k]; k++)
			if (strlen(keys[k]) == m->key_len &&
			    !memcmp(keys[k], m->key, m->key_len))
				break;
		if (!keys[k])
			return fail_at(r, m->line, m->col, "unknown key \"%s\"",
				       show(buf, sizeof(buf), m->key,
					    m->key_len));
	}
	for (k = 0; keys[k]; k++)
		if (!jr_get(v, keys[k]))
			return fail(r, v, "missing key \"%s\"", keys[k]);
	return 0;
}

/* Member @key of @obj (expect_keys() has made sure it is there). */
static const struct jr_value *enter(struct reader *r, const struct jr_value *obj,
				    const char *key)
{
	push_key(r, key);
	return jr_get(obj, key);
}

static int read_bool(struct reader *r, const struct jr_value *obj,
		     const char *key, bool *val)
{
	size_t mark = r->plen;
	const struct jr_value *v = enter(r, obj, key);

	if (v->type != JR_BOOL)
		return wrong_type(r, v, "true or false");
	*val = v->u.b;
	pop(r, mark);
	return 0;
}

/* A fact a source may not know: true, false, or null for unknown. */
static int read_fact(struct reader *r, const struct jr_value *obj,
		     const char *key, bool *val, bool *unknown)
{
	size_t mark = r->plen;
	const struct jr_value *v = enter(r, obj, key);

	*val = false;
	*unknown = v->type == JR_NULL;
	if (v->type != JR_BOOL && v->type != JR_NULL)
		return wrong_type(r, v, "true, false or null (unknown)");
	if (v->type == JR_BOOL)
		*val = v->u.b;
	pop(r, mark);
	return 0;
}

/* A whole number from 0 to @max. */
static int read_uint(struct reader *r, const struct jr_value *v, uint64_t max,
		     uint64_t *val)
{
	char buf[64];
	int err;

	if (v->type != JR_NUMBER)
		return wrong_type(r, v, "a whole number");
	err = jr_u64(v, val);
	if (err == -EINVAL)
		return fail(r, v, "%s is not a whole number from 0 up",
			    show(buf, sizeof(buf), v->u.str, v->len));
	if (err || *val > max)
		return fail(r, v, "%s is out of range (0 to %llu)",
			    show(buf, sizeof(buf), v->u.str, v->len),
			    (unsigned long long)max);
	return 0;
}

static int read_uint_key(struct reader *r, const struct jr_value *obj,
			 const char *key, uint64_t max, uint64_t *val)
{
	size_t mark = r->plen;
	int err = read_uint(r, enter(r, obj, key), max, val);

	if (!err)
		pop(r, mark);
	return err;
}

/*
 * A string of at most @max bytes without NUL (or any length when @max is
 * 0), or null when @nullable (then *@val is NULL).
 */
static int read_string(struct reader *r, const struct jr_value *obj,
		       const char *key, size_t max, bool nullable,
		       const char **val)
{
	size_t mark = r->plen;
	const struct jr_value *v = enter(r, obj, key);

	*val = NULL;
	if (nullable && v->type == JR_NULL)
		goto out;
	if (v->type != JR_STRING)
		return wrong_type(r, v, nullable ? "a string or null" :
				  "a string");
	if (strlen(v->u.str) != v->len)
		return fail(r, v, "a string with a NUL character (\\u0000)");
	if (max && v->len > max)
		return fail(r, v, "longer than %zu bytes", max);
	*val = v->u.str;
out:
	pop(r, mark);
	return 0;
}

#define HEX_DIGITS	"0123456789abcdefABCDEF"

/*
 * Are the @n bytes at @s all hex digits, more than @width of them when
 * leading zeros are left out?  Then the value is too big, not misspelt.
 */
static bool too_wide(const char *s, size_t n, size_t width)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!s[i] || !strchr(HEX_DIGITS, s[i]))
			return false;
	while (n > width && *s == '0') {
		s++;
		n--;
	}
	return n > width;
}

/* Exactly @digits hex digits (either case) in a string; *@null for null. */
static int read_hex_value(struct reader *r, const struct jr_value *v,
			  int digits, bool nullable, u32 *val, bool *null)
{
	char buf[64];

	*val = 0;
	if (null)
		*null = v->type == JR_NULL;
	if (nullable && v->type == JR_NULL)
		return 0;
	if (v->type != JR_STRING)
		return wrong_type(r, v, nullable ? "a hex string or null" :
				  "a hex string");
	if (too_wide(v->u.str, v->len, digits))
		return fail(r, v, "\"%s\" is out of range (%d bits)",
			    show(buf, sizeof(buf), v->u.str, v->len),
			    digits * 4);
	if (v->len != (size_t)digits ||
	    strspn(v->u.str, HEX_DIGITS) != (size_t)digits)
		return fail(r, v, "\"%s\" is not %d hex digits (as \"%0*x\")",
			    show(buf, sizeof(buf), v->u.str, v->len), digits,
			    digits, 0x1d);
	*val = strtoul(v->u.str, NULL, 16);
	return 0;
}

static int read_hex(struct reader *r, const struct jr_value *obj,
		    const char *key, int digits, bool nullable, u32 *val,
		    bool *null)
{
	size_t mark = r->plen;
	int err = read_hex_value(r, enter(r, obj, key), digits, nullable, val,
				 null);

	if (!err)
		pop(r, mark);
	return err;
}

/* A PCI address as pthru_pciaddr_parse() takes it, or null. */
static int read_addr(struct reader *r, const struct jr_value *obj,
		     const char *key, bool nullable, u32 *addr, bool *present,
		     const struct jr_value **where)
{
	size_t mark = r->plen;
	const struct jr_value *v = enter(r, obj, key);
	char buf[64];

	*addr = 0;
	if (present)
		*present = v->type != JR_NULL;
	if (where)
		*where = v;
	if (nullable && v->type == JR_NULL)
		goto out;
	if (v->type != JR_STRING)
		return wrong_type(r, v, nullable ?
				  "a PCI address (\"0000:00:1f.0\") or null" :
				  "a PCI address (\"0000:00:1f.0\")");
	if (strlen(v->u.str) != v->len || pthru_pciaddr_parse(v->u.str, addr))
		return fail(r, v, "\"%s\" is not a PCI address (as \"0000:00:1f.0\")",
			    show(buf, sizeof(buf), v->u.str, v->len));
out:
	pop(r, mark);
	return 0;
}

enum name_set {
	NAMES_DOMAIN_TYPE,
	NAMES_TRISTATE,
	NAMES_RESV_TYPE,
};

static const struct {
	const char *what;
	unsigned int count;
} name_sets[] = {
	[NAMES_DOMAIN_TYPE] = { "domain type", PTHRU_DOMAIN_TYPE_UNKNOWN + 1 },
	[NAMES_TRISTATE] = { "tristate", PTHRU_TRISTATE_UNKNOWN + 1 },
	[NAMES_RESV_TYPE] = { "reserved-region type",
			      PTHRU_RESV_TYPE_SW_MSI + 1 },
};

static const char *set_name(enum name_set set, unsigned int val)
{
	switch (set) {
	case NAMES_DOMAIN_TYPE:
		return pthru_domain_type_name(val);
	case NAMES_TRISTATE:
		return pthru_tristate_name(val);
	case NAMES_RESV_TYPE:
		return pthru_resv_type_name(val);
	}
	return NULL;
}

/* One of the core's names for a value of @set. */
static int read_name(struct reader *r, const struct jr_value *obj,
		     const char *key, enum name_set set, unsigned int *val)
{
	size_t mark = r->plen;
	const struct jr_value *v = enter(r, obj, key);
	char buf[64], list[160];
	size_t len = 0;
	unsigned int i;

	if (v->type != JR_STRING)
		return wrong_type(r, v, "a string");
	list[0] = '\0';
	for (i = 0; i < name_sets[set].count; i++) {
		if (!strcmp(v->u.str, set_name(set, i)) &&
		    strlen(v->u.str) == v->len) {
			*val = i;
			pop(r, mark);
			return 0;
		}
		len += snprintf(list + len, sizeof(list) - len, "%s%s",
				i ? ", " : "", set_name(set, i));
		if (len >= sizeof(list))
			len = sizeof(list) - 1;
	}
	return fail(r, v, "unknown %s \"%s\" (one of: %s)", name_sets[set].what,
		    show(buf, sizeof(buf), v->u.str, v->len), list);
}

/* "a.b.c" in decimal without leading zeros, each part a number. */
static bool parse_version_part(const char **s, unsigned long max,
			       unsigned long *val)
{
	const char *p = *s;

	if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	*val = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		*val = *val * 10 + (*p - '0');
		if (*val > max)
			return false;
	}
	*s = p;
	return true;
}

static int read_kernel_version(struct reader *r, const struct jr_value *obj,
			       u32 *version)
{
	size_t mark = r->plen;
	const struct jr_value *v = enter(r, obj, "kernel_version");
	unsigned long a, b, c;
	const char *s;
	char buf[64];

	*version = 0;
	if (v->type == JR_NULL)
		goto out;
	if (v->type != JR_STRING)
		return wrong_type(r, v, "a version (\"6.12.118\") or null");
	s = v->u.str;
	if (!parse_version_part(&s, 0xffff, &a) || *s++ != '.' ||
	    !parse_version_part(&s, 0xff, &b) || *s++ != '.' ||
	    !parse_version_part(&s, 0xff, &c) || *s ||
	    strlen(v->u.str) != v->len)
		return fail(r, v, "\"%s\" is not a kernel version as \"6.12.118\" (at most 65535.255.255)",
			    show(buf, sizeof(buf), v->u.str, v->len));
	*version = a << 16 | b << 8 | c;
	if (!*version)
		return fail(r, v, "0.0.0 is no kernel version: write null when it is unknown");
out:
	pop(r, mark);
	return 0;
}

static bool two_digits(const char *s, unsigned int *val)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*val = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

/* "YYYY-MM-DDTHH:MM:SSZ", from 1970 on, as seconds since the epoch. */
static int read_taken(struct reader *r, const struct jr_value *obj,
		      int64_t *taken)
{
	static const unsigned int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	size_t mark = r->plen;
	const struct jr_value *v = enter(r, obj, "taken");
	unsigned int y1, y2, mo, d, h, mi, s, y, dim;
	const char *t;
	char buf[64];

	if (v->type != JR_STRING)
		return wrong_type(r, v, "a time (\"2026-12-07T23:00:00Z\")");
	t = v->u.str;
	if (v->len != 20 || !two_digits(t, &y1) || !two_digits(t + 2, &y2) ||
	    t[4] != '-' || !two_digits(t + 5, &mo) || t[7] != '-' ||
	    !two_digits(t + 8, &d) || t[10] != 'T' || !two_digits(t + 11, &h) ||
	    t[13] != ':' || !two_digits(t + 14, &mi) || t[16] != ':' ||
	    !two_digits(t + 17, &s) || t[19] != 'Z')
		return fail(r, v, "\"%s\" is not a UTC time as \"2026-12-07T23:00:00Z\"",
			    show(buf, sizeof(buf), v->u.str, v->len));
	y = y1 * 100 + y2;
	dim = mo >= 1 && mo <= 12 ? mdays[mo - 1] : 0;
	if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		dim = 29;
	if (y < 1970 || !dim || d < 1 || d > dim || h > 23 || mi > 59 ||
	    s > 59)
		return fail(r, v, "\"%s\" is no time between 1970 and 9999",
			    show(buf, sizeof(buf), v->u.str, v->len));
	*taken = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	pop(r, mark);
	return 0;
}

static int read_unread(struct reader *r, const struct jr_value *list,
		       struct facts *f)
{
	static const char *const keys[] = { "path", "error", NULL };
	const char *path, *name;
	size_t i, mark;
	char buf[64];
	int err, e;

	if (list->type != JR_ARRAY)
		return wrong_type(r, list, "an array");
	for (i = 0; i < list->len; i++) {
		const struct jr_value *v = &list->u.items[i];

		mark = push_index(r, i);
		err = expect_keys(r, v, keys) ?:
		      read_string(r, v, "path", 0, false, &path) ?:
		      read_string(r, v, "error", 0, false, &name);
		if (err)
			return err;
		for (e = 1; e < ERRNO_MAX; e++)
			if (errno_name(e) && !strcmp(errno_name(e), name))
				break;
		if (e == ERRNO_MAX) {
			v = jr_get(v, "error");
			push_key(r, "error");
			return fail(r, v, "unknown errno name \"%s\" (as \"EACCES\")",
				    show(buf, sizeof(buf), name, strlen(name)));
		}
		if (facts_note_unread(f, path, e))
			return -ENOMEM;
		pop(r, mark);
	}
	return 0;
}

static int read_host_facts(struct reader *r, const struct jr_value *v,
			   struct pthru_snapshot *snap)
{
	static const char *const keys[] = {
		"iommu_driver", "iommu_units", "kernel_version", "acpi_ivrs",
		"default_passthrough", "unsafe_interrupts", "generation", NULL
	};
	const char *driver;
	bool unknown;
	unsigned int tri;
	uint64_t n;
	int err;

	err = expect_keys(r, v, keys) ?:
	      read_string(r, v, "iommu_driver", PTHRU_IOMMU_DRIVER_LEN - 1,
			  false, &driver) ?:
	      read_uint_key(r, v, "iommu_units", U32_MAX, &n);
	if (err)
		return err;
	strcpy(snap->iommu_driver, driver);
	snap->iommu_units = n;
	err = read_kernel_version(r, v, &snap->kernel_version) ?:
	      read_bool(r, v, "acpi_ivrs", &snap->acpi_ivrs) ?:
	      read_fact(r, v, "default_passthrough",
			&snap->default_passthrough, &unknown) ?:
	      read_name(r, v, "unsafe_interrupts", NAMES_TRISTATE, &tri) ?:
	      read_uint_key(r, v, "generation", U32_MAX, &n);
	if (err)
		return err;
	if (unknown)
		snap->unknown |= PTHRU_SNAP_UNKNOWN_DEFAULT_DOMAIN;
	snap->unsafe_interrupts = tri;
	snap->generation = n;
	return 0;
}

static int read_acs(struct reader *r, const struct jr_value *v,
		    struct pthru_dev *dev)
{
	static const char *const keys[] = {
		"pos", "cap", "ctrl", "baseline", "alt_ctrl", NULL
	};
	bool no_baseline, no_alt;
	u32 cap, ctrl, baseline;
	uint64_t pos;
	int err;

	err = expect_keys(r, v, keys) ?:
	      read_uint_key(r, v, "pos", U16_MAX, &pos);
	if (err)
		return err;
	if (!pos) {
		push_key(r, "pos");
		return fail(r, jr_get(v, "pos"),
			    "an ACS capability at offset 0: a function without one has \"acs\": null");
	}
	err = read_hex(r, v, "cap", 4, false, &cap, NULL) ?:
	      read_hex(r, v, "ctrl", 4, false, &ctrl, NULL) ?:
	      read_hex(r, v, "baseline", 4, true, &baseline, &no_baseline) ?:
	      read_hex(r, v, "alt_ctrl", 8, true, &dev->acs_alt_ctrl, &no_alt);
	if (err)
		return err;
	dev->acs_pos = pos;
	dev->acs_cap = cap;
	dev->acs_ctrl = ctrl;
	/* Unknown: the placeholder says it has not changed. */
	dev->acs_ctrl_baseline = no_baseline ? ctrl : baseline;
	if (no_baseline)
		dev->unknown |= PTHRU_DEV_UNKNOWN_ACS_BASELINE;
	dev->acs_alt_read = !no_alt;
	return 0;
}

static int read_pcie_type(struct reader *r, const struct jr_value *v,
			  struct pthru_dev *dev)
{
	char buf[64], *end;
	unsigned long n;
	unsigned int i;

	if (v->type == JR_NULL)
		return 0;
	if (v->type != JR_STRING)
		return wrong_type(r, v, "a PCIe type name or null");
	for (i = 0; i <= U8_MAX; i++) {
		const char *name = pthru_pcie_type_name(i);

		if (name && !strcmp(name, v->u.str) && strlen(name) == v->len)
			goto found;
	}
	/* "type-N" for a type without a name, N decimal from 0 to 255. */
	if (!strncmp(v->u.str, "type-", 5) && v->u.str[5] >= '0' &&
	    v->u.str[5] <= '9' && (v->u.str[5] != '0' || v->len == 6)) {
		errno = 0;
		n = strtoul(v->u.str + 5, &end, 10);
		if (!errno && !*end && end == v->u.str + v->len &&
		    n <= U8_MAX) {
			if (pthru_pcie_type_name(n))
				return fail(r, v, "type %lu has a name: \"%s\"",
					    n, pthru_pcie_type_name(n));
			i = n;
			goto found;
		}
	}
	return fail(r, v, "unknown PCIe type \"%s\" (endpoint, legacy-endpoint, root-port, upstream-port, downstream-port, pcie-to-pci-bridge, pci-to-pcie-bridge, rc-integrated, rc-event-collector or type-N)",
		    show(buf, sizeof(buf), v->u.str, v->len));
found:
	dev->is_pcie = true;
	dev->pcie_type = i;
	return 0;
}

/* The facts of the config space: all null or none of ats_*, sriov. */
static int config_agrees(struct reader *r, const struct jr_value *obj,
			 const char *key, bool unknown)
{
	const struct jr_value *v = jr_get(obj, key);

	if ((v->type == JR_NULL) == unknown)
		return 0;
	push_key(r, key);
	if (unknown)
		return fail(r, v, "must be null %s", CONFIG_NOTE);
	return fail(r, v, "may not be null while \"ats_supported\" is known");
}

/* The physical slot's name, or null for none. */
static int read_slot(struct reader *r, const struct jr_value *obj,
		     struct pthru_dev *dev)
{
	const char *slot;
	int err;

	err = read_string(r, obj, "slot", PTHRU_SLOT_NAME_LEN - 1, true, &slot);
	if (err)
		return err;
	if (slot && !*slot) {
		push_key(r, "slot");
		return fail(r, jr_get(obj, "slot"),
			    "a function in no slot has null, not \"\"");
	}
	if (slot)
		strcpy(dev->slot, slot);
	return 0;
}

/* The serial number: 16 hex digits, null for none, or "unknown". */
static int read_dsn(struct reader *r, const struct jr_value *obj,
		    struct pthru_dev *dev)
{
	size_t mark = push_key(r, "dsn");
	const struct jr_value *v = jr_get(obj, "dsn");
	char buf[64];

	if (v->type == JR_NULL)
		goto out;
	if (v->type != JR_STRING)
		return wrong_type(r, v, "16 hex digits, \"unknown\" or null");
	if (v->len == 7 && !strcmp(v->u.str, "unknown")) {
		dev->unknown |= PTHRU_DEV_UNKNOWN_DSN;
		goto out;
	}
	if (v->len != 16 || strspn(v->u.str, HEX_DIGITS) != 16)
		return fail(r, v, "\"%s\" is not 16 hex digits, \"unknown\" or null",
			    show(buf, sizeof(buf), v->u.str, v->len));
	dev->has_dsn = true;
	dev->dsn = strtoull(v->u.str, NULL, 16);
out:
	pop(r, mark);
	return 0;
}

static int read_function(struct reader *r, const struct jr_value *v,
			 struct pthru_dev *dev, struct fn_note *note)
{
	static const char *const keys[] = {
		"addr", "vendor", "device", "subsys_vendor", "subsys_device",
		"class", "driver", "group", "ats_supported", "ats_enabled",
		"untrusted", "external_facing", "multifunction", "iommu_self",
		"acs", "upstream", "pcie_type", "sriov", "pf",
		"acs_quirk_enabled", "slot", "dsn", NULL
	};
	bool config, unknown, dummy;
	const struct jr_value *g, *pf_v;
	const char *driver;
	u32 addr, id[5];
	size_t mark;
	uint64_t group;
	int err;

	err = expect_keys(r, v, keys) ?:
	      read_addr(r, v, "addr", false, &addr, NULL, &note->addr_v);
	if (err)
		return err;
	pthru_dev_init(dev, addr);
	note->addr = addr;
	err = read_hex(r, v, "vendor", 4, false, &id[0], NULL) ?:
	      read_hex(r, v, "device", 4, false, &id[1], NULL) ?:
	      read_hex(r, v, "subsys_vendor", 4, false, &id[2], NULL) ?:
	      read_hex(r, v, "subsys_device", 4, false, &id[3], NULL) ?:
	      read_hex(r, v, "class", 6, false, &id[4], NULL) ?:
	      read_string(r, v, "driver", PTHRU_DRIVER_NAME_LEN - 1, true,
			  &driver);
	if (err)
		return err;
	dev->vendor = id[0];
	dev->device = id[1];
	dev->subsys_vendor = id[2];
	dev->subsys_device = id[3];
	dev->class = id[4];
	if (driver && !*driver) {
		push_key(r, "driver");
		return fail(r, jr_get(v, "driver"),
			    "an unbound function's driver is null, not \"\"");
	}
	if (driver)
		strcpy(dev->driver, driver);

	g = jr_get(v, "group");
	note->group_v = g;
	note->group = PTHRU_NO_GROUP;
	if (g->type != JR_NULL) {
		mark = push_key(r, "group");
		if (g->type != JR_NUMBER)
			return wrong_type(r, g, "a group number or null");
		err = read_uint(r, g, S32_MAX, &group);
		if (err)
			return err;
		pop(r, mark);
		note->group = group;
	}
	dev->group_id = note->group;

	err = read_fact(r, v, "ats_supported", &dev->ats_supported, &config);
	if (err)
		return err;
	if (config)
		dev->unknown |= PTHRU_DEV_UNKNOWN_CONFIG;
	err = config_agrees(r, v, "ats_enabled", config) ?:
	      read_fact(r, v, "ats_enabled", &dev->ats_enabled, &dummy) ?:
	      read_fact(r, v, "untrusted", &dev->untrusted, &unknown);
	if (err)
		return err;
	if (unknown)
		dev->unknown |= PTHRU_DEV_UNKNOWN_UNTRUSTED;
	err = read_fact(r, v, "external_facing", &dev->external_facing,
			&unknown);
	if (err)
		return err;
	if (unknown)
		dev->unknown |= PTHRU_DEV_UNKNOWN_EXTERNAL;
	err = read_bool(r, v, "multifunction", &dev->multifunction) ?:
	      read_bool(r, v, "iommu_self", &dev->iommu_self);
	if (err)
		return err;

	mark = push_key(r, "acs");
	g = jr_get(v, "acs");
	if (g->type != JR_NULL) {
		if (config)
			return fail(r, g, "must be null %s", CONFIG_NOTE);
		err = read_acs(r, g, dev);
		if (err)
			return err;
	}
	pop(r, mark);

	err = read_addr(r, v, "upstream", true, &note->upstream,
			&note->has_upstream, &note->upstream_v);
	if (err)
		return err;
	dev->has_upstream = note->has_upstream;
	dev->upstream_addr = note->upstream;

	mark = push_key(r, "pcie_type");
	g = jr_get(v, "pcie_type");
	if (config && g->type != JR_NULL)
		return fail(r, g, "must be null %s", CONFIG_NOTE);
	err = read_pcie_type(r, g, dev);
	if (err)
		return err;
	pop(r, mark);

	err = config_agrees(r, v, "sriov", config) ?:
	      read_fact(r, v, "sriov", &dev->sriov, &dummy) ?:
	      read_addr(r, v, "pf", true, &dev->pf_addr, &dev->is_vf, &pf_v);
	if (err)
		return err;
	if (dev->is_vf && dev->pf_addr == addr) {
		push_key(r, "pf");
		return fail(r, pf_v,
			    "a virtual function cannot be its own physical function");
	}
	err = read_fact(r, v, "acs_quirk_enabled", &dev->acs_quirk_enabled,
			&unknown);
	if (err)
		return err;
	if (unknown)
		dev->unknown |= PTHRU_DEV_UNKNOWN_ACS_QUIRK;
	return read_slot(r, v, dev) ?: read_dsn(r, v, dev);
}

static int read_functions(struct reader *r, const struct jr_value *list,
			  struct pthru_snapshot *snap, struct fn_note *notes)
{
	struct pthru_dev dev, *slot;
	size_t i, mark;
	int err;

	for (i = 0; i < list->len; i++) {
		mark = push_index(r, i);
		notes[i].index = i;
		err = read_function(r, &list->u.items[i], &dev, &notes[i]);
		if (err)
			return err;
		slot = pthru_snapshot_add_dev(snap, dev.addr, GFP_KERNEL);
		if (!slot)
			return -ENOMEM;
		*slot = dev;
		pop(r, mark);
	}
	return 0;
}

static int read_region(struct reader *r, const struct jr_value *v,
		       struct pthru_group *group)
{
	static const char *const keys[] = { "start", "end", "type", NULL };
	const struct jr_value *bound;
	unsigned int type;
	uint64_t start = 0, end = 0, *val;
	const char *key;
	char buf[64];
	size_t mark;
	int err, i;

	err = expect_keys(r, v, keys);
	if (err)
		return err;
	for (i = 0; i < 2; i++) {
		key = i ? "end" : "start";
		val = i ? &end : &start;
		mark = push_key(r, key);
		bound = jr_get(v, key);
		if (bound->type != JR_STRING)
			return wrong_type(r, bound,
					  "an address (\"0x00000000fee00000\")");
		if (!strncmp(bound->u.str, "0x", 2) &&
		    too_wide(bound->u.str + 2, bound->len - 2, 16))
			return fail(r, bound, "\"%s\" is out of range (64 bits)",
				    show(buf, sizeof(buf), bound->u.str,
					 bound->len));
		if (bound->len != 18 || strncmp(bound->u.str, "0x", 2) ||
		    strspn(bound->u.str + 2, HEX_DIGITS) != 16)
			return fail(r, bound, "\"%s\" is not \"0x\" and 16 hex digits (as \"0x00000000fee00000\")",
				    show(buf, sizeof(buf), bound->u.str,
					 bound->len));
		*val = strtoull(bound->u.str + 2, NULL, 16);
		pop(r, mark);
	}
	if (end < start) {
		push_key(r, "end");
		return fail(r, jr_get(v, "end"),
			    "the region ends (0x%016llx) before it starts (0x%016llx)",
			    (unsigned long long)end, (unsigned long long)start);
	}
	err = read_name(r, v, "type", NAMES_RESV_TYPE, &type);
	if (err)
		return err;
	return pthru_group_add_resv(group, start, end, type, GFP_KERNEL);
}

static int read_group(struct reader *r, const struct jr_value *v,
		      struct pthru_snapshot *snap, struct group_note *note)
{
	static const char *const keys[] = {
		"id", "domain_type", "isolated_msi", "reserved_regions", NULL
	};
	const struct jr_value *regions;
	struct pthru_group *group;
	unsigned int type, msi;
	size_t i, mark;
	uint64_t id;
	int err;

	err = expect_keys(r, v, keys) ?:
	      read_uint_key(r, v, "id", S32_MAX, &id) ?:
	      read_name(r, v, "domain_type", NAMES_DOMAIN_TYPE, &type) ?:
	      read_name(r, v, "isolated_msi", NAMES_TRISTATE, &msi);
	if (err)
		return err;
	note->id = id;
	note->id_v = jr_get(v, "id");

	mark = push_key(r, "reserved_regions");
	regions = jr_get(v, "reserved_regions");
	if (regions->type != JR_ARRAY)
		return wrong_type(r, regions, "an array");
	/*
	 * A second group with this id comes back as the first one; the check
	 * for duplicates after the walk refuses the document then.
	 */
	group = pthru_snapshot_add_group(snap, id, GFP_KERNEL);
	if (!group)
		return -ENOMEM;
	group->domain_type = type;
	group->isolated_msi = msi;
	for (i = 0; i < regions->len; i++) {
		size_t at = push_index(r, i);

		err = read_region(r, &regions->u.items[i], group);
		if (err)
			return err;
		pop(r, at);
	}
	pop(r, mark);
	return 0;
}

static int cmp_fn_note(const void *a, const void *b)
{
	const struct fn_note *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_group_note(const void *a, const void *b)
{
	const struct group_note *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The note of the function at @addr in @notes, sorted; -1 if none. */
static s32 find_fn(const struct fn_note *notes, size_t n, u32 addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (notes[mid].addr == addr)
			return mid;
		if (notes[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool group_listed(const struct group_note *notes, size_t n, s32 id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (notes[mid].id == id)
			return true;
		if (notes[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The loop through @start: "a -> b -> a", the first few links. */
static int report_loop(struct reader *r, struct fn_note *notes, s32 start)
{
	char chain[128], addr[PTHRU_PCIADDR_BUFSZ];
	size_t len = 0, links = 0;
	s32 i = start;

	chain[0] = '\0';
	do {
		if (links == 4) {
			len += snprintf(chain + len, sizeof(chain) - len,
					" -> ...");
			break;
		}
		len += snprintf(chain + len, sizeof(chain) - len, "%s%s",
				links ? " -> " : "",
				pthru_pciaddr_format(notes[i].addr, addr));
		links++;
		i = notes[i].up_idx;
	} while (i != start);
	if (i == start)
		snprintf(chain + len, sizeof(chain) - len, " -> %s",
			 pthru_pciaddr_format(notes[start].addr, addr));
	set_path(r, "functions", notes[start].index, "upstream");
	return fail(r, notes[start].upstream_v,
		    "the upstream links make a loop: %s", chain);
}

/* Facts that contradict each other across functions and groups. */
static int check_links(struct reader *r, struct fn_note *fns, size_t n_fns,
		       struct group_note *groups, size_t n_groups)
{
	char addr[PTHRU_PCIADDR_BUFSZ];
	size_t i;
	s32 at, next;

	qsort(fns, n_fns, sizeof(*fns), cmp_fn_note);
	for (i = 1; i < n_fns; i++)
		if (fns[i].addr == fns[i - 1].addr) {
			set_path(r, "functions", fns[i].index, "addr");
			return fail(r, fns[i].addr_v,
				    "a second function at %s (the first is functions[%zu])",
				    pthru_pciaddr_format(fns[i].addr, addr),
				    fns[i - 1].index);
		}
	qsort(groups, n_groups, sizeof(*groups), cmp_group_note);
	for (i = 1; i < n_groups; i++)
		if (groups[i].id == groups[i - 1].id) {
			set_path(r, "groups", groups[i].index, "id");
			return fail(r, groups[i].id_v,
				    "a second group %d (the first is groups[%zu])",
				    groups[i].id, groups[i - 1].index);
		}
	for (i = 0; i < n_fns; i++) {
		fns[i].up_idx = fns[i].has_upstream ?
			find_fn(fns, n_fns, fns[i].upstream) : -1;
		if (fns[i].group == PTHRU_NO_GROUP ||
		    group_listed(groups, n_groups, fns[i].group))
			continue;
		set_path(r, "functions", fns[i].index, "group");
		return fail(r, fns[i].group_v,
			    "group %d is not in \"groups\"", fns[i].group);
	}

	/*
	 * Each function has at most one upstream link, so a walk from each
	 * one either ends or comes back to a function of the same walk.
	 */
	for (i = 0; i < n_fns; i++) {
		for (at = i; at >= 0 && !fns[at].state; at = fns[at].up_idx)
			fns[at].state = 1;
		if (at >= 0 && fns[at].state == 1)
			return report_loop(r, fns, at);
		for (next = i; next >= 0 && fns[next].state == 1;
		     next = fns[next].up_idx)
			fns[next].state = 2;
	}
	return 0;
}

/* Line and column just past the end of @len bytes of @text. */
static void end_of(const char *text, size_t len, unsigned int *line,
		   unsigned int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((text[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* "kind" and "schema" first: they decide what the rest may hold. */
static int read_header(struct reader *r, const struct jr_value *root)
{
	const struct jr_value *kind, *schema;
	char buf[64];
	uint64_t version;
	int err;

	if (root->type != JR_OBJECT)
		return fail(r, root, "expected an object (a pthru snapshot), not %s",
			    jr_type_name(root->type));
	kind = jr_get(root, "kind");
	if (!kind)
		return fail(r, root, "no \"kind\": not a pthru snapshot");
	push_key(r, "kind");
	if (kind->type != JR_STRING)
		return wrong_type(r, kind, "\"" SNAPSHOT_JSON_KIND "\"");
	if (strcmp(kind->u.str, SNAPSHOT_JSON_KIND) ||
	    kind->len != strlen(SNAPSHOT_JSON_KIND))
		return fail(r, kind, "kind \"%s\" is not \"%s\": not a pthru snapshot",
			    show(buf, sizeof(buf), kind->u.str, kind->len),
			    SNAPSHOT_JSON_KIND);
	pop(r, 0);
	schema = jr_get(root, "schema");
	if (!schema)
		return fail(r, root, "missing key \"schema\"");
	push_key(r, "schema");
	if (schema->type != JR_NUMBER)
		return wrong_type(r, schema, "a whole number");
	err = jr_u64(schema, &version);
	if (err == -EINVAL)
		return fail(r, schema, "%s is not a schema version",
			    show(buf, sizeof(buf), schema->u.str,
				 schema->len));
	if (err || version > SNAPSHOT_JSON_SCHEMA)
		return fail(r, schema, "schema version %s is newer than this pthructl reads (%d)",
			    show(buf, sizeof(buf), schema->u.str,
				 schema->len), SNAPSHOT_JSON_SCHEMA);
	if (version != SNAPSHOT_JSON_SCHEMA)
		return fail(r, schema, "schema version %s is not one this pthructl reads (%d)",
			    show(buf, sizeof(buf), schema->u.str,
				 schema->len), SNAPSHOT_JSON_SCHEMA);
	pop(r, 0);
	return 0;
}

static int read_document(struct reader *r, const struct jr_value *root,
			 const char *text, size_t len, struct facts *f)
{
	static const char *const keys[] = {
		"schema", "kind", "source", "host", "kernel_release", "taken",
		"cmdline", "host_facts", "mappings", "unread", "functions",
		"groups", NULL
	};
	const struct jr_value *fns, *groups, *v;
	struct group_note *group_notes = NULL;
	struct fn_note *fn_notes = NULL;
	struct pthru_snapshot *snap;
	const char *s, *cmdline;
	unsigned int line, col;
	size_t i, mark;
	char buf[64];
	int err;

	err = read_header(r, root);
	if (err)
		return err;
	/* The writer ends with a newline: without it, the file was cut. */
	if (!len || text[len - 1] != '\n') {
		end_of(text, len, &line, &col);
		return fail_at(r, line, col,
			       "no newline at the end: the file may be cut short");
	}
	err = expect_keys(r, root, keys);
	if (err)
		return err;

	err = read_string(r, root, "source", 0, false, &s);
	if (err)
		return err;
	if (facts_source_parse(s, &f->source)) {
		v = enter(r, root, "source");
		return fail(r, v, "unknown source \"%s\" (module or sysfs)",
			    show(buf, sizeof(buf), s, strlen(s)));
	}
	err = read_string(r, root, "host", FACTS_HOST_MAX - 1, false, &s);
	if (err)
		return err;
	strcpy(f->host, s);
	err = read_string(r, root, "kernel_release", FACTS_RELEASE_MAX - 1,
			  false, &s) ?:
	      read_taken(r, root, &f->taken) ?:
	      read_string(r, root, "cmdline", 0, true, &cmdline);
	if (err)
		return err;
	strcpy(f->kernel_release, s);
	if (cmdline) {
		f->cmdline = strdup(cmdline);
		if (!f->cmdline)
			return -ENOMEM;
	}

	snap = pthru_snapshot_alloc(GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	f->snap = snap;
	/* This pthructl writes no map notes, so none are ever known. */
	snap->unknown |= PTHRU_SNAP_UNKNOWN_MAPPINGS;

	mark = push_key(r, "host_facts");
	err = read_host_facts(r, jr_get(root, "host_facts"), snap);
	if (err)
		return err;
	pop(r, mark);

	v = enter(r, root, "mappings");
	if (v->type != JR_NULL)
		return fail(r, v, "expected null: this pthructl reads no mappings");
	pop(r, mark);

	mark = push_key(r, "unread");
	err = read_unread(r, jr_get(root, "unread"), f);
	if (err)
		return err;
	pop(r, mark);

	fns = enter(r, root, "functions");
	if (fns->type != JR_ARRAY)
		return wrong_type(r, fns, "an array");
	fn_notes = calloc(fns->len ? fns->len : 1, sizeof(*fn_notes));
	if (!fn_notes)
		return -ENOMEM;
	pop(r, mark);
	groups = enter(r, root, "groups");
	if (groups->type != JR_ARRAY) {
		err = wrong_type(r, groups, "an array");
		goto out;
	}
	group_notes = calloc(groups->len ? groups->len : 1,
			     sizeof(*group_notes));
	if (!group_notes) {
		err = -ENOMEM;
		goto out;
	}
	pop(r, mark);

	push_key(r, "functions");
	err = read_functions(r, fns, snap, fn_notes);
	if (err)
		goto out;
	pop(r, mark);
	push_key(r, "groups");
	for (i = 0; i < groups->len; i++) {
		size_t at = push_index(r, i);

		group_notes[i].index = i;
		err = read_group(r, &groups->u.items[i], snap, &group_notes[i]);
		if (err)
			goto out;
		pop(r, at);
	}
	pop(r, mark);

	err = check_links(r, fn_notes, fns->len, group_notes, groups->len);
	if (err)
		goto out;
	err = pthru_snapshot_finalize(snap, GFP_KERNEL);
	/* check_links() refused all finalize refuses; -ENOMEM remains. */
	if (err == -EINVAL)
		err = fail(r, root, "the functions and groups do not fit together");
out:
	free(group_notes);
	free(fn_notes);
	return err;
}

int snapfile_parse(const char *text, size_t len, const char *name,
		   struct facts *facts, char *why, size_t why_len)
{
	struct reader r = {
		.name = name,
		.why = why,
		.why_len = why_len,
	};
	struct facts f = { 0 };
	struct jr_error jerr;
	struct jr_doc doc;
	int err;

	memset(facts, 0, sizeof(*facts));
	if (why_len)
		why[0] = '\0';
	err = jr_parse(text, len, &doc, &jerr);
	if (err == -EINVAL) {
		memcpy(r.path, jerr.path, sizeof(r.path));
		r.plen = strlen(r.path);
		return fail_at(&r, jerr.line, jerr.col, "not valid JSON: %s",
			       jerr.msg);
	}
	if (!err)
		err = read_document(&r, doc.root, text, len, &f);
	jr_free(&doc);
	if (err) {
		if (err == -ENOMEM && why_len)
			snprintf(why, why_len, "%s: out of memory", name);
		facts_free(&f);
		return err;
	}
	*facts = f;
	return 0;
}

int snapfile_read(const char *path, struct facts *facts, char *why,
		  size_t why_len)
{
	size_t len = 0, cap = 0;
	char *text = NULL, *bigger;
	ssize_t n;
	int fd, err;

	memset(facts, 0, sizeof(*facts));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto io_error;
	}
	/* Read one byte past the limit, so that the reader sees it exceeded. */
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 64 * 1024;
			if (cap > JR_MAX_INPUT + 1)
				cap = JR_MAX_INPUT + 1;
			bigger = realloc(text, cap);
			if (!bigger) {
				err = -ENOMEM;
				goto io_error;
			}
			text = bigger;
		}
		if (len == JR_MAX_INPUT + 1)
			break;
		n = read(fd, text + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto io_error;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	err = snapfile_parse(text, len, path, facts, why, why_len);
	free(text);
	return err;

io_error:
	if (why_len)
		snprintf(why, why_len, "%s: %s", path, strerror(-err));
	for (n = 0; why_len && why[n]; n++)
		if ((unsigned char)why[n] < 0x20)
			why[n] = '?';
	if (fd >= 0)
		close(fd);
	free(text);
	return err;
}
