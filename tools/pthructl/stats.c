// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl stats: the shadow's counters and the stale-window statistics
 * (stats-get), global or of one tracked domain.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <linux/pthru.h>

#include "group.h"
#include "json.h"
#include "prom.h"
#include "pthructl.h"
#include "stats.h"
#include "table.h"

static const enum mnl_attr_data_type stats_policy[PTHRU_A_STATS_MAX + 1] = {
	[PTHRU_A_STATS_DOMAIN_ID]		= MNL_TYPE_U32,
	[PTHRU_A_STATS_ARMED]			= MNL_TYPE_U32,
	[PTHRU_A_STATS_DOMAINS]			= MNL_TYPE_U32,
	[PTHRU_A_STATS_RANGES]			= MNL_TYPE_U64,
	[PTHRU_A_STATS_RANGE_BYTES]		= MNL_TYPE_U32,
	[PTHRU_A_STATS_MAPS]			= MNL_TYPE_U64,
	[PTHRU_A_STATS_UNMAPS]			= MNL_TYPE_U64,
	[PTHRU_A_STATS_LOST]			= MNL_TYPE_U64,
	[PTHRU_A_STATS_INCOMPLETE_DOMAINS]	= MNL_TYPE_U32,
	[PTHRU_A_STATS_FLUSHES]			= MNL_TYPE_U64,
	[PTHRU_A_STATS_WAIT_COUNT]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_WAIT_MAX_NS]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_WAIT_P50_NS]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_WAIT_P99_NS]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_DMA_FLUSHES]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_DMA_WAIT_COUNT]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_DMA_WAIT_MAX_NS]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_DMA_WAIT_P50_NS]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_DMA_WAIT_P99_NS]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_DMA_UNTRACKED]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_STATUS]			= MNL_TYPE_U32,
	[PTHRU_A_STATS_BLIND]			= MNL_TYPE_U32,
	[PTHRU_A_STATS_WRAPPED_DOMAINS]		= MNL_TYPE_U32,
	[PTHRU_A_STATS_UNWRAPPED_DOMAINS]	= MNL_TYPE_U64,
	[PTHRU_A_STATS_MEM_BYTES]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_MEM_MAX_BYTES]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_MEM_REFUSED]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_MEM_FAILED]		= MNL_TYPE_U64,
	[PTHRU_A_STATS_NODES_USED]		= MNL_TYPE_U32,
	[PTHRU_A_STATS_NODES_RESERVED]		= MNL_TYPE_U32,
};

_Static_assert(PTHRU_A_STATS_MAX < 32, "pthru_stats.present has 32 bits");

enum stat_kind {
	STAT_BOOL,	/* u32 attribute, "yes"/"no", JSON true/false */
	STAT_U32,
	STAT_U64,
	STAT_NS,	/* u64 nanoseconds, duration_text() in the text */
	STAT_STATUS,	/* u32 enum pthru_shadow_status, by name */
};

static const char *const status_names[] = {
	[PTHRU_SHADOW_STATUS_OFF]	= "off",
	[PTHRU_SHADOW_STATUS_DISARMED]	= "disarmed",
	[PTHRU_SHADOW_STATUS_ARMED]	= "armed",
	[PTHRU_SHADOW_STATUS_REFUSED]	= "refused",
};

static const char *status_name(uint64_t status)
{
	if (status < ARRAY_SIZE(status_names) && status_names[status])
		return status_names[status];
	return "unknown";
}

/*
 * The counters in output order.  The text key is the JSON key, but a
 * duration's drops "_ns": the text shows it with its unit.  An optional
 * one (the DMA-API window, measured only with flush_window_dma=1; a
 * domain's nodes, in per-domain replies only) has no text line when the
 * module did not send it.
 */
static const struct stat_field {
	uint16_t attr;
	enum stat_kind kind;
	const char *key;
	const char *text_key;
	size_t offset;
	bool optional;
} stat_fields[] = {
#define ENTRY(attr, kind, key, text_key, member, optional)		\
	{ PTHRU_A_STATS_##attr, STAT_##kind, key, text_key,		\
	  offsetof(struct pthru_stats, member), optional }
#define FIELD(...)	ENTRY(__VA_ARGS__, false)
#define DMA_FIELD(...)	ENTRY(__VA_ARGS__, true)
#define OPT_FIELD(...)	ENTRY(__VA_ARGS__, true)
	FIELD(ARMED, BOOL, "armed", "armed:", armed),
	FIELD(DOMAINS, U32, "domains", "domains:", domains),
	FIELD(RANGES, U64, "ranges", "ranges:", ranges),
	FIELD(RANGE_BYTES, U32, "range_bytes", "range_bytes:", range_bytes),
	FIELD(MAPS, U64, "maps", "maps:", maps),
	FIELD(UNMAPS, U64, "unmaps", "unmaps:", unmaps),
	FIELD(LOST, U64, "lost", "lost:", lost),
	FIELD(INCOMPLETE_DOMAINS, U32, "incomplete_domains",
	      "incomplete_domains:", incomplete_domains),
	FIELD(FLUSHES, U64, "flushes", "flushes:", flushes),
	FIELD(WAIT_COUNT, U64, "wait_count", "wait_count:", wait_count),
	FIELD(WAIT_MAX_NS, NS, "wait_max_ns", "wait_max:", wait_max_ns),
	FIELD(WAIT_P50_NS, NS, "wait_p50_ns", "wait_p50:", wait_p50_ns),
	FIELD(WAIT_P99_NS, NS, "wait_p99_ns", "wait_p99:", wait_p99_ns),
	DMA_FIELD(DMA_FLUSHES, U64, "dma_flushes", "dma_flushes:",
		  dma_flushes),
	DMA_FIELD(DMA_WAIT_COUNT, U64, "dma_wait_count", "dma_wait_count:",
		  dma_wait_count),
	DMA_FIELD(DMA_WAIT_MAX_NS, NS, "dma_wait_max_ns", "dma_wait_max:",
		  dma_wait_max_ns),
	DMA_FIELD(DMA_WAIT_P50_NS, NS, "dma_wait_p50_ns", "dma_wait_p50:",
		  dma_wait_p50_ns),
	DMA_FIELD(DMA_WAIT_P99_NS, NS, "dma_wait_p99_ns", "dma_wait_p99:",
		  dma_wait_p99_ns),
	DMA_FIELD(DMA_UNTRACKED, U64, "dma_untracked", "dma_untracked:",
		  dma_untracked),
	FIELD(STATUS, STATUS, "status", "status:", status),
	FIELD(BLIND, BOOL, "blind", "blind:", blind),
	FIELD(WRAPPED_DOMAINS, U32, "wrapped_domains", "wrapped_domains:",
	      wrapped_domains),
	FIELD(UNWRAPPED_DOMAINS, U64, "unwrapped_domains",
	      "unwrapped_domains:", unwrapped_domains),
	OPT_FIELD(NODES_USED, U32, "nodes_used", "nodes_used:", nodes_used),
	OPT_FIELD(NODES_RESERVED, U32, "nodes_reserved", "nodes_reserved:",
		  nodes_reserved),
	FIELD(MEM_BYTES, U64, "mem_bytes", "mem_bytes:", mem_bytes),
	FIELD(MEM_MAX_BYTES, U64, "mem_max_bytes", "mem_max_bytes:",
	      mem_max_bytes),
	FIELD(MEM_REFUSED, U64, "mem_refused", "mem_refused:", mem_refused),
	FIELD(MEM_FAILED, U64, "mem_failed", "mem_failed:", mem_failed),
#undef OPT_FIELD
#undef DMA_FIELD
#undef FIELD
#undef ENTRY
};

static uint64_t stat_value(const struct pthru_stats *st,
			   const struct stat_field *f)
{
	const char *base = (const char *)st + f->offset;

	switch (f->kind) {
	case STAT_BOOL:
	case STAT_U32:
	case STAT_STATUS:
		return *(const uint32_t *)base;
	default:
		return *(const uint64_t *)base;
	}
}

int stats_parse(const struct nlmsghdr *nlh, struct pthru_stats *st,
		uint16_t *bad_type)
{
	const struct nlattr *tb[PTHRU_A_STATS_MAX + 1];
	const struct stat_field *f;
	char *base;
	size_t i;

	memset(st, 0, sizeof(*st));
	if (nl_parse_attrs(nlh, tb, PTHRU_A_STATS_MAX, stats_policy, bad_type))
		return -EBADMSG;
	if (tb[PTHRU_A_STATS_DOMAIN_ID]) {
		st->present |= 1U << PTHRU_A_STATS_DOMAIN_ID;
		st->domain_id = mnl_attr_get_u32(tb[PTHRU_A_STATS_DOMAIN_ID]);
	}
	for (i = 0; i < ARRAY_SIZE(stat_fields); i++) {
		f = &stat_fields[i];
		if (!tb[f->attr])
			continue;
		st->present |= 1U << f->attr;
		base = (char *)st + f->offset;
		switch (f->kind) {
		case STAT_BOOL:
		case STAT_U32:
		case STAT_STATUS:
			*(uint32_t *)base = mnl_attr_get_u32(tb[f->attr]);
			break;
		default:
			*(uint64_t *)base = mnl_attr_get_u64(tb[f->attr]);
			break;
		}
	}
	return 0;
}

const char *duration_text(uint64_t ns, char *buf, size_t len)
{
	static const struct {
		uint64_t scale;
		const char *unit;
	} units[] = {
		{ 1000000000ULL, "s" },
		{ 1000000ULL, "ms" },
		{ 1000ULL, "us" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (ns >= units[i].scale) {
			snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%s",
				 ns / units[i].scale,
				 ns % units[i].scale / (units[i].scale / 10),
				 units[i].unit);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRIu64 "ns", ns);
	return buf;
}

static void stats_json(FILE *out, const struct pthru_stats *st)
{
	const struct stat_field *f;
	struct json j;
	size_t i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "schema", PTHRUCTL_JSON_SCHEMA);
	if (stats_has(st, PTHRU_A_STATS_DOMAIN_ID))
		json_uint(&j, "domain", st->domain_id);
	else
		json_null(&j, "domain");
	for (i = 0; i < ARRAY_SIZE(stat_fields); i++) {
		f = &stat_fields[i];
		if (!stats_has(st, f->attr))
			json_null(&j, f->key);
		else if (f->kind == STAT_BOOL)
			json_bool(&j, f->key, stat_value(st, f));
		else if (f->kind == STAT_STATUS)
			json_string(&j, f->key, status_name(stat_value(st, f)));
		else
			json_uint(&j, f->key, stat_value(st, f));
	}
	json_object_end(&j);
	fputc('\n', out);
}

static int stats_text(FILE *out, const struct pthru_stats *st)
{
	char val[32];
	const char *row[2] = { NULL, val };
	const struct stat_field *f;
	struct table t;
	size_t i;
	int err = 0;

	table_init(&t, 2, " ");
	/* Only a per-domain reply names its domain. */
	if (stats_has(st, PTHRU_A_STATS_DOMAIN_ID)) {
		row[0] = "domain:";
		snprintf(val, sizeof(val), "%u", st->domain_id);
		err = table_add_row(&t, row);
	}
	for (i = 0; i < ARRAY_SIZE(stat_fields) && !err; i++) {
		f = &stat_fields[i];
		if (f->optional && !stats_has(st, f->attr))
			continue;
		row[0] = f->text_key;
		if (!stats_has(st, f->attr))
			snprintf(val, sizeof(val), "-");
		else if (f->kind == STAT_BOOL)
			snprintf(val, sizeof(val), "%s",
				 stat_value(st, f) ? "yes" : "no");
		else if (f->kind == STAT_NS)
			duration_text(stat_value(st, f), val, sizeof(val));
		else if (f->kind == STAT_STATUS)
			snprintf(val, sizeof(val), "%s",
				 status_name(stat_value(st, f)));
		else
			snprintf(val, sizeof(val), "%" PRIu64,
				 stat_value(st, f));
		err = table_add_row(&t, row);
	}
	if (!err)
		table_print(&t, out);
	table_free(&t);
	return err ? pt_err("out of memory") : EXIT_OK;
}

static const struct stat_field *stat_field_of(uint16_t attr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stat_fields); i++)
		if (stat_fields[i].attr == attr)
			return &stat_fields[i];
	return NULL;
}

/*
 * The Prometheus families, in output order.  A family of the flush
 * window has one series per window: the tracked domains' and, measured
 * only with flush_window_dma=1, the DMA-API domains'.  Counters count
 * since the module was loaded; the wait figures are of the same span,
 * percentiles being the upper bounds of log2 buckets.
 */
#define WINDOW_TRACKED	"tracked"
#define WINDOW_DMA	"dma_api"

static const struct stat_prom {
	const char *name;
	const char *type;
	const char *help;
	struct {
		uint16_t attr;
		const char *window;	/* the window label, or NULL */
	} series[2];
} stat_prom[] = {
#define GAUGE(n, h, ...)	{ n, "gauge", h, { __VA_ARGS__ } }
#define COUNTER(n, h, ...)	{ n, "counter", h, { __VA_ARGS__ } }
#define ONE(attr)		{ PTHRU_A_STATS_##attr, NULL }
#define WINDOWED(n, t, h, attr)						\
	{ n, t, h, { { PTHRU_A_STATS_##attr, WINDOW_TRACKED },		\
		     { PTHRU_A_STATS_DMA_##attr, WINDOW_DMA } } }
	GAUGE("pthru_shadow_armed",
	      "Whether the mapping shadow's probes are armed (1) or not (0).",
	      ONE(ARMED)),
	GAUGE("pthru_shadow_blind",
	      "Whether the shadow armed while a function was already on a passthrough driver (1).",
	      ONE(BLIND)),
	GAUGE("pthru_shadow_domains",
	      "IOMMU domains the shadow tracks.", ONE(DOMAINS)),
	GAUGE("pthru_shadow_incomplete_domains",
	      "Tracked domains whose shadow may miss mappings.",
	      ONE(INCOMPLETE_DOMAINS)),
	GAUGE("pthru_shadow_wrapped_domains",
	      "Domains whose ops are pthru's wrapped copy.",
	      ONE(WRAPPED_DOMAINS)),
	COUNTER("pthru_shadow_unwrapped_domains_total",
		"Unmanaged domains born while armed that could not be wrapped, and so are not tracked.",
		ONE(UNWRAPPED_DOMAINS)),
	GAUGE("pthru_shadow_ranges",
	      "Merged ranges in the shadow.", ONE(RANGES)),
	GAUGE("pthru_shadow_range_node_bytes",
	      "Memory one merged range costs in the shadow, in bytes.",
	      ONE(RANGE_BYTES)),
	COUNTER("pthru_shadow_maps_total",
		"Successful maps of tracked domains.", ONE(MAPS)),
	COUNTER("pthru_shadow_unmaps_total",
		"Successful unmaps of tracked domains.", ONE(UNMAPS)),
	COUNTER("pthru_shadow_lost_maps_total",
		"Maps the shadow could not record.", ONE(LOST)),
	GAUGE("pthru_shadow_memory_bytes",
	      "Memory the shadow's ranges use, in bytes.", ONE(MEM_BYTES)),
	GAUGE("pthru_shadow_memory_max_bytes",
	      "Cap on the shadow's range memory (shadow_mem_max_mb), in bytes.",
	      ONE(MEM_MAX_BYTES)),
	COUNTER("pthru_shadow_memory_refused_total",
		"Range-memory chunk allocations the cap refused.",
		ONE(MEM_REFUSED)),
	COUNTER("pthru_shadow_memory_failed_total",
		"Range-memory chunk allocations that failed.", ONE(MEM_FAILED)),
	WINDOWED("pthru_flush_window_flushes_total", "counter",
		 "IOTLB flushes that closed the stale-translation window.",
		 FLUSHES),
	WINDOWED("pthru_flush_window_waits_total", "counter",
		 "Unmaps whose wait for the IOTLB flush covering them was measured.",
		 WAIT_COUNT),
	WINDOWED("pthru_flush_window_wait_max_seconds", "gauge",
		 "Longest wait from an unmap to the IOTLB flush covering it.",
		 WAIT_MAX_NS),
	WINDOWED("pthru_flush_window_wait_p50_seconds", "gauge",
		 "Median wait from an unmap to the IOTLB flush covering it (log2 bucket bound).",
		 WAIT_P50_NS),
	WINDOWED("pthru_flush_window_wait_p99_seconds", "gauge",
		 "99th-percentile wait from an unmap to the IOTLB flush covering it (log2 bucket bound).",
		 WAIT_P99_NS),
	COUNTER("pthru_flush_window_untracked_unmaps_total",
		"Unmaps of DMA-API domains not timed: more than 16 domains at once.",
		{ PTHRU_A_STATS_DMA_UNTRACKED, WINDOW_DMA }),
#undef WINDOWED
#undef ONE
#undef COUNTER
#undef GAUGE
};

/*
 * The shadow's status as a state set: one series per state, 1 for the
 * current one, so that an alert can say status="refused" without knowing
 * the enumeration's numbers.
 */
static void stats_prom_status(FILE *out, const struct pthru_stats *st)
{
	struct prom_family fam = PROM_FAMILY("pthru_shadow_status", "gauge",
		"The shadow's status: 1 for the current one of off, disarmed, armed, refused.");
	struct prom_labels l;
	size_t i;

	if (!stats_has(st, PTHRU_A_STATS_STATUS))
		return;
	for (i = 0; i < ARRAY_SIZE(status_names); i++) {
		prom_labels_init(&l);
		prom_labels_add(&l, "status", status_names[i]);
		prom_sample_u64(out, &fam, &l, st->status == i);
	}
	if (st->status >= ARRAY_SIZE(status_names)) {
		prom_labels_init(&l);
		prom_labels_add(&l, "status", "unknown");
		prom_sample_u64(out, &fam, &l, 1);
	}
}

static void stats_prometheus(FILE *out, const struct pthru_stats *st)
{
	const struct stat_field *f;
	struct prom_family fam;
	struct prom_labels l;
	char val[32];
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(stat_prom); i++) {
		fam = (struct prom_family)PROM_FAMILY(stat_prom[i].name,
						      stat_prom[i].type,
						      stat_prom[i].help);
		for (k = 0; k < ARRAY_SIZE(stat_prom[i].series); k++) {
			f = stat_field_of(stat_prom[i].series[k].attr);
			/* A module that did not send it has no series. */
			if (!f || !stats_has(st, f->attr))
				continue;
			prom_labels_init(&l);
			if (stat_prom[i].series[k].window)
				prom_labels_add(&l, "window",
						stat_prom[i].series[k].window);
			if (f->kind == STAT_NS)
				prom_seconds(stat_value(st, f), val,
					     sizeof(val));
			else
				snprintf(val, sizeof(val), "%" PRIu64,
					 stat_value(st, f));
			prom_sample(out, &fam, &l, val);
		}
		/* The state set follows the boolean it details. */
		if (stat_prom[i].series[0].attr == PTHRU_A_STATS_ARMED)
			stats_prom_status(out, st);
	}
}

int stats_print(FILE *out, const struct pthru_stats *st,
		enum pthructl_format format)
{
	switch (format) {
	case FORMAT_JSON:
		stats_json(out, st);
		return EXIT_OK;
	case FORMAT_PROMETHEUS:
		stats_prometheus(out, st);
		return EXIT_OK;
	default:
		return stats_text(out, st);
	}
}

struct stats_reply {
	struct pthru_stats st;
	bool replied;
	bool malformed;
	uint16_t bad_type;
};

static int stats_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats_reply *r = data;

	if (r->replied)
		return MNL_CB_OK;
	r->replied = true;
	if (stats_parse(nlh, &r->st, &r->bad_type)) {
		r->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int stats_get(struct pthructl *ctl, bool has_domain, uint32_t domain,
		     enum pthructl_format format)
{
	struct stats_reply r = {};
	struct nlmsghdr *nlh;
	char fallback[64];
	int err;

	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_STATS_GET,
			   PTHRU_FAMILY_VERSION);
	if (has_domain)
		mnl_attr_put_u32(nlh, PTHRU_A_STATS_DOMAIN_ID, domain);
	err = nl_do(&ctl->nl, nlh, stats_reply_cb, &r);
	if (r.malformed)
		return pt_err("malformed stats-get reply from the kernel (attribute %u)",
			      r.bad_type);
	if (err == -ENOENT && has_domain) {
		snprintf(fallback, sizeof(fallback), "no tracked domain %u",
			 domain);
		return pthructl_nl_err(ctl, err, fallback);
	}
	if (err == -EOPNOTSUPP)
		return pthructl_nl_err(ctl, err,
				       "the loaded pthru module keeps no shadow statistics (it predates stats-get)");
	if (err)
		return pthructl_nl_err(ctl, err, NULL);
	if (!r.replied)
		return pt_err("the kernel sent no stats-get reply");
	return stats_print(stdout, &r.st, format);
}

int cmd_stats(struct pthructl *ctl, int argc, char **argv)
{
	enum pthructl_format format;
	uint32_t domain = 0;
	int err;

	if (argc > 1)
		return pt_err_extra_arg("stats", argv[1]);
	/* Domain ids are decimal u32s, as group ids are. */
	if (argc == 1 && group_id_parse(argv[0], &domain))
		return pt_err("invalid domain id '%s' (expected a decimal number)",
			      argv[0]);
	err = pthructl_format_opts(ctl, &format);
	if (err)
		return err;
	/*
	 * Domain ids are never reused: as a label each would start a series
	 * that lives as long as one guest's container.
	 */
	if (argc == 1 && format == FORMAT_PROMETHEUS)
		return pt_err("the prometheus format has the global figures only: drop DOMAIN '%s'",
			      argv[0]);
	err = pthructl_connect(ctl);
	if (err)
		return err;
	return stats_get(ctl, argc == 1, domain, format);
}
