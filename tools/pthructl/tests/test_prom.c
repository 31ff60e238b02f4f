// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus exposition: label escaping, seconds, the stats families,
 * audit series that must not repeat, the stats command's -p options, and
 * "audit -p" and "stats -p" run whole against the fake kernel.  The last
 * are what "unit --prometheus audit|stats" prints for tests/prometheus.sh,
 * which hands them to promtool.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/pthru.h>

#include "audit.h"
#include "fake_nl.h"
#include "prom.h"
#include "pthructl.h"
#include "stats.h"
#include "unit.h"

#define FAMILY	0x20

static void test_prom_labels(void)
{
	struct prom_labels l;
	char big[PROM_LABELS_MAX];

	prom_labels_init(&l);
	CHECK_INT(prom_labels_add(&l, "addr", "a\"b\\c\nd"), 0);
	CHECK_INT(prom_labels_add(&l, "name", "caf\xc3\xa9\x01"), 0);
	CHECK_INT(prom_labels_add(&l, "group", ""), 0);
	CHECK_STR(l.text, "addr=\"a\\\"b\\\\c\\nd\",name=\"caf???\",group=\"\"");
	CHECK(!l.overflow);

	/* What does not fit is left out whole, and said. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(prom_labels_add(&l, "big", big), -ENOSPC);
	CHECK(l.overflow);
	CHECK_STR(l.text, "addr=\"a\\\"b\\\\c\\nd\",name=\"caf???\",group=\"\"");
}

static void test_prom_seconds(void)
{
	char buf[32];

	CHECK_STR(prom_seconds(0, buf, sizeof(buf)), "0");
	CHECK_STR(prom_seconds(1, buf, sizeof(buf)), "0.000000001");
	CHECK_STR(prom_seconds(850, buf, sizeof(buf)), "0.00000085");
	CHECK_STR(prom_seconds(10250000, buf, sizeof(buf)), "0.01025");
	CHECK_STR(prom_seconds(2000000000, buf, sizeof(buf)), "2");
	CHECK_STR(prom_seconds(2500000000ULL, buf, sizeof(buf)), "2.5");
	CHECK_STR(prom_seconds(UINT64_MAX, buf, sizeof(buf)),
		  "18446744073.709551615");
}

/* A global stats-get reply's attributes; the DMA-API window's when @dma. */
static void stats_put(struct nlmsghdr *nlh, bool dma, uint32_t status)
{
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_ARMED, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_DOMAINS, 2);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_RANGES, 4);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_RANGE_BYTES, 48);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MAPS, 1234567890123ULL);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_UNMAPS, 17);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_LOST, 5);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_INCOMPLETE_DOMAINS, 1);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_FLUSHES, 40);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_WAIT_COUNT, 300);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_WAIT_MAX_NS, 10250000);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_WAIT_P50_NS, 16384);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_WAIT_P99_NS, 524288);
	if (dma) {
		mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_FLUSHES, 2);
		mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_WAIT_COUNT, 257);
		mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_WAIT_MAX_NS, 7800000);
		mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_WAIT_P50_NS, 4194304);
		mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_WAIT_P99_NS, 8388608);
		mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_UNTRACKED, 9);
	}
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_STATUS, status);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_BLIND, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_WRAPPED_DOMAINS, 2);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_UNWRAPPED_DOMAINS, 1);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MEM_BYTES, 2498560);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MEM_MAX_BYTES, 8388608);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MEM_REFUSED, 3);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MEM_FAILED, 0);
}

static struct nlmsghdr *stats_msg(void *buf, bool dma, uint32_t status)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_STATS_GET);

	stats_put(nlh, dma, status);
	return nlh;
}

#define STATS_HEAD							\
	"# HELP pthru_shadow_armed Whether the mapping shadow's probes are armed (1) or not (0).\n" \
	"# TYPE pthru_shadow_armed gauge\n"				\
	"pthru_shadow_armed 1\n"					\
	"# HELP pthru_shadow_status The shadow's status: 1 for the current one of off, disarmed, armed, refused.\n" \
	"# TYPE pthru_shadow_status gauge\n"				\
	"pthru_shadow_status{status=\"off\"} 0\n"			\
	"pthru_shadow_status{status=\"disarmed\"} 0\n"			\
	"pthru_shadow_status{status=\"armed\"} 1\n"			\
	"pthru_shadow_status{status=\"refused\"} 0\n"

#define STATS_SHADOW							\
	"# HELP pthru_shadow_blind Whether the shadow armed while a function was already on a passthrough driver (1).\n" \
	"# TYPE pthru_shadow_blind gauge\n"				\
	"pthru_shadow_blind 0\n"					\
	"# HELP pthru_shadow_domains IOMMU domains the shadow tracks.\n" \
	"# TYPE pthru_shadow_domains gauge\n"				\
	"pthru_shadow_domains 2\n"					\
	"# HELP pthru_shadow_incomplete_domains Tracked domains whose shadow may miss mappings.\n" \
	"# TYPE pthru_shadow_incomplete_domains gauge\n"		\
	"pthru_shadow_incomplete_domains 1\n"				\
	"# HELP pthru_shadow_wrapped_domains Domains whose ops are pthru's wrapped copy.\n" \
	"# TYPE pthru_shadow_wrapped_domains gauge\n"			\
	"pthru_shadow_wrapped_domains 2\n"				\
	"# HELP pthru_shadow_unwrapped_domains_total Unmanaged domains born while armed that could not be wrapped, and so are not tracked.\n" \
	"# TYPE pthru_shadow_unwrapped_domains_total counter\n"	\
	"pthru_shadow_unwrapped_domains_total 1\n"			\
	"# HELP pthru_shadow_ranges Merged ranges in the shadow.\n"	\
	"# TYPE pthru_shadow_ranges gauge\n"				\
	"pthru_shadow_ranges 4\n"					\
	"# HELP pthru_shadow_range_node_bytes Memory one merged range costs in the shadow, in bytes.\n" \
	"# TYPE pthru_shadow_range_node_bytes gauge\n"			\
	"pthru_shadow_range_node_bytes 48\n"				\
	"# HELP pthru_shadow_maps_total Successful maps of tracked domains.\n" \
	"# TYPE pthru_shadow_maps_total counter\n"			\
	"pthru_shadow_maps_total 1234567890123\n"			\
	"# HELP pthru_shadow_unmaps_total Successful unmaps of tracked domains.\n" \
	"# TYPE pthru_shadow_unmaps_total counter\n"			\
	"pthru_shadow_unmaps_total 17\n"				\
	"# HELP pthru_shadow_lost_maps_total Maps the shadow could not record.\n" \
	"# TYPE pthru_shadow_lost_maps_total counter\n"		\
	"pthru_shadow_lost_maps_total 5\n"				\
	"# HELP pthru_shadow_memory_bytes Memory the shadow's ranges use, in bytes.\n" \
	"# TYPE pthru_shadow_memory_bytes gauge\n"			\
	"pthru_shadow_memory_bytes 2498560\n"				\
	"# HELP pthru_shadow_memory_max_bytes Cap on the shadow's range memory (shadow_mem_max_mb), in bytes.\n" \
	"# TYPE pthru_shadow_memory_max_bytes gauge\n"			\
	"pthru_shadow_memory_max_bytes 8388608\n"			\
	"# HELP pthru_shadow_memory_refused_total Range-memory chunk allocations the cap refused.\n" \
	"# TYPE pthru_shadow_memory_refused_total counter\n"		\
	"pthru_shadow_memory_refused_total 3\n"			\
	"# HELP pthru_shadow_memory_failed_total Range-memory chunk allocations that failed.\n" \
	"# TYPE pthru_shadow_memory_failed_total counter\n"		\
	"pthru_shadow_memory_failed_total 0\n"

static void test_prom_stats(void)
{
	struct pthru_stats st;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	CHECK_INT(stats_parse(stats_msg(buf, true, PTHRU_SHADOW_STATUS_ARMED),
			      &st, &bad), 0);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_PROMETHEUS), 0);
	CHECK_STR(capture_close(&c),
		  STATS_HEAD STATS_SHADOW
		  "# HELP pthru_flush_window_flushes_total IOTLB flushes that closed the stale-translation window.\n"
		  "# TYPE pthru_flush_window_flushes_total counter\n"
		  "pthru_flush_window_flushes_total{window=\"tracked\"} 40\n"
		  "pthru_flush_window_flushes_total{window=\"dma_api\"} 2\n"
		  "# HELP pthru_flush_window_waits_total Unmaps whose wait for the IOTLB flush covering them was measured.\n"
		  "# TYPE pthru_flush_window_waits_total counter\n"
		  "pthru_flush_window_waits_total{window=\"tracked\"} 300\n"
		  "pthru_flush_window_waits_total{window=\"dma_api\"} 257\n"
		  "# HELP pthru_flush_window_wait_max_seconds Longest wait from an unmap to the IOTLB flush covering it.\n"
		  "# TYPE pthru_flush_window_wait_max_seconds gauge\n"
		  "pthru_flush_window_wait_max_seconds{window=\"tracked\"} 0.01025\n"
		  "pthru_flush_window_wait_max_seconds{window=\"dma_api\"} 0.0078\n"
		  "# HELP pthru_flush_window_wait_p50_seconds Median wait from an unmap to the IOTLB flush covering it (log2 bucket bound).\n"
		  "# TYPE pthru_flush_window_wait_p50_seconds gauge\n"
		  "pthru_flush_window_wait_p50_seconds{window=\"tracked\"} 0.000016384\n"
		  "pthru_flush_window_wait_p50_seconds{window=\"dma_api\"} 0.004194304\n"
		  "# HELP pthru_flush_window_wait_p99_seconds 99th-percentile wait from an unmap to the IOTLB flush covering it (log2 bucket bound).\n"
		  "# TYPE pthru_flush_window_wait_p99_seconds gauge\n"
		  "pthru_flush_window_wait_p99_seconds{window=\"tracked\"} 0.000524288\n"
		  "pthru_flush_window_wait_p99_seconds{window=\"dma_api\"} 0.008388608\n"
		  "# HELP pthru_flush_window_untracked_unmaps_total Unmaps of DMA-API domains not timed: more than 16 domains at once.\n"
		  "# TYPE pthru_flush_window_untracked_unmaps_total counter\n"
		  "pthru_flush_window_untracked_unmaps_total{window=\"dma_api\"} 9\n");
	free(c.text);

	/*
	 * Without flush_window_dma=1: no dma_api series, and no header of a
	 * family left without any.  A status this version does not know.
	 */
	CHECK_INT(stats_parse(stats_msg(buf, false, 9), &st, &bad), 0);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_PROMETHEUS), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "pthru_shadow_status{status=\"armed\"} 0\n"
			     "pthru_shadow_status{status=\"refused\"} 0\n"
			     "pthru_shadow_status{status=\"unknown\"} 1\n"
			     "# HELP pthru_shadow_blind ") != NULL);
	CHECK(strstr(c.text, "dma_api") == NULL);
	CHECK(strstr(c.text, "untracked_unmaps") == NULL);
	CHECK(strstr(c.text, "pthru_flush_window_wait_p99_seconds{window=\"tracked\"} 0.000524288\n") != NULL);
	free(c.text);

	/* A module that sends nothing: nothing at all, not even a header. */
	memset(&st, 0, sizeof(st));
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_PROMETHEUS), 0);
	CHECK_STR(capture_close(&c), "");
	free(c.text);
}

/*
 * Findings that print the same labels are one series, even when their
 * fields differ (two unknown severities, an address sent empty and none)
 * and the sort does not put them next to each other.
 */
static void test_prom_audit_series(void)
{
	struct audit_report r = {};
	struct finding f = {};
	struct capture c;

	/* Sorted (8, 40), (8, 41), (7, 40): the two 40s apart. */
	f.id = 40;
	f.severity = 7;
	CHECK_INT(finding_list_add(&r.list, &f), 0);
	f.id = 41;
	f.severity = 8;
	CHECK_INT(finding_list_add(&r.list, &f), 0);
	f.id = 40;
	CHECK_INT(finding_list_add(&r.list, &f), 0);
	f.id = PTHRU_HAZARD_ID_ATS_EXPOSED;
	f.severity = PTHRU_SEVERITY_MEDIUM;
	CHECK_INT(finding_list_add(&r.list, &f), 0);
	f.present = 1U << PTHRU_A_FINDING_ADDR;
	CHECK_INT(finding_list_add(&r.list, &f), 0);
	finding_list_sort(&r.list);

	CHECK_INT(audit_print(capture_open(&c), &r, FORMAT_PROMETHEUS), 0);
	CHECK_STR(capture_close(&c),
		  "# HELP pthru_findings Findings of the last pthru audit by severity.\n"
		  "# TYPE pthru_findings gauge\n"
		  "pthru_findings{severity=\"critical\"} 0\n"
		  "pthru_findings{severity=\"high\"} 0\n"
		  "pthru_findings{severity=\"medium\"} 2\n"
		  "pthru_findings{severity=\"low\"} 0\n"
		  "pthru_findings{severity=\"info\"} 0\n"
		  "pthru_findings{severity=\"unknown\"} 3\n"
		  "# HELP pthru_finding Findings of the last pthru audit with these labels.\n"
		  "# TYPE pthru_finding gauge\n"
		  "pthru_finding{id=\"PTHRU-040\",name=\"unknown\",severity=\"unknown\",addr=\"\",group=\"\"} 2\n"
		  "pthru_finding{id=\"PTHRU-041\",name=\"unknown\",severity=\"unknown\",addr=\"\",group=\"\"} 1\n"
		  "pthru_finding{id=\"PTHRU-013\",name=\"ats-exposed\",severity=\"medium\",addr=\"\",group=\"\"} 2\n");
	free(c.text);
	finding_list_free(&r.list);
}

#define CHECK_RUN_ERROR(msg, ...)					\
	do {								\
		struct unit_run r_;					\
									\
		unit_run(&r_, NULL, __VA_ARGS__, NULL);			\
		CHECK_INT(r_.status, EXIT_ERROR);			\
		CHECK_STR(r_.out, "");					\
		CHECK_STR(r_.err, msg "\n");				\
		unit_run_free(&r_);					\
	} while (0)

static void test_prom_cli(void)
{
	CHECK_RUN_ERROR("pthructl: the prometheus format has the global figures only: drop DOMAIN '3'",
			"stats", "-p", "3");
	CHECK_RUN_ERROR("pthructl: the prometheus format has the global figures only: drop DOMAIN '3'",
			"stats", "--format", "Prometheus", "3");
	CHECK_RUN_ERROR("pthructl: conflicting output formats: choose one of -j, -p and --format",
			"-j", "stats", "-p");
	CHECK_RUN_ERROR("pthructl: conflicting output formats: choose one of -j, -p and --format",
			"stats", "--format", "text", "--prometheus");
	CHECK_RUN_ERROR("pthructl: invalid format 'prom' (expected text, json or prometheus)",
			"stats", "--format=prom");
}

/* The fake kernel's answers to audit: the audit, status-get, hazard-get. */
static void script_audit(struct fake_reply *audit, struct fake_reply *status,
			 struct fake_reply *hazard)
{
	struct fake_dgram *d;
	struct nlmsghdr *nlh;

	memset(audit, 0, sizeof(*audit));
	d = fake_dgram_add(audit);
	nlh = fake_genl_msg(d, FAMILY, PTHRU_CMD_AUDIT, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_AUDIT_GENERATION, 12);
	mnl_attr_put_u32(nlh, PTHRU_A_AUDIT_QUIRK_HOPS, 2);
	fake_ack(d, 0);

	memset(status, 0, sizeof(*status));
	d = fake_dgram_add(status);
	nlh = fake_genl_msg(d, FAMILY, PTHRU_CMD_STATUS_GET, 0);
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_VERSION, "0.1.0");
	mnl_attr_put_strz(nlh, PTHRU_A_STATUS_KERNEL_RELEASE, "6.12.9-amd64");
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_IOMMU_PRESENT, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_STATUS_GENERATION, 12);
	fake_ack(d, 0);

	memset(hazard, 0, sizeof(*hazard));
	d = fake_dgram_add(hazard);
	nlh = fake_genl_msg(d, FAMILY, PTHRU_CMD_HAZARD_GET, NLM_F_MULTI);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 12);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_ACS_MISSING, PTHRU_SEVERITY_HIGH,
			 "0000:04:00.0", 7, "switch port lets 0000:04:00.0 reach 0000:04:00.1",
			 "assign them together");
	nlh = fake_genl_msg(d, FAMILY, PTHRU_CMD_HAZARD_GET, NLM_F_MULTI);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 12);
	unit_put_finding(nlh, PTHRU_HAZARD_ID_RELAXABLE_REGION,
			 PTHRU_SEVERITY_LOW, NULL, 2, "a relaxable region",
			 "none needed");
	d = fake_dgram_add(hazard);
	nlh = fake_genl_msg(d, FAMILY, PTHRU_CMD_HAZARD_GET, NLM_F_MULTI);
	mnl_attr_put_u32(nlh, PTHRU_A_HAZARD_GENERATION, 12);
	/* A newer module's finding, with an address that needs escaping. */
	unit_put_finding(nlh, 90, 6, "x\"y\\z", -1, "from the future", NULL);
	fake_done(d, 0, 0);
}

static void script_stats(struct fake_reply *stats)
{
	struct fake_dgram *d;

	memset(stats, 0, sizeof(*stats));
	d = fake_dgram_add(stats);
	stats_put(fake_genl_msg(d, FAMILY, PTHRU_CMD_STATS_GET, 0), true,
		  PTHRU_SHADOW_STATUS_ARMED);
	fake_ack(d, 0);
}

static const struct pthructl_opt prom_audit_opts[] = {
	{ "--fail-on", NULL, "SEVERITY" },
	{ "--prometheus", "-p", NULL },
	{ NULL, NULL, NULL },
};

static const struct pthructl_cmd prom_audit_cmd = {
	"audit", "", "", "", cmd_audit, prom_audit_opts,
};

static const struct pthructl_opt prom_stats_opts[] = {
	{ "--prometheus", "-p", NULL },
	{ NULL, NULL, NULL },
};

static const struct pthructl_cmd prom_stats_cmd = {
	"stats", "", "", "", cmd_stats, prom_stats_opts,
};

/*
 * "pthructl audit -p --fail-on none" (@what "audit") or "pthructl stats
 * -p" ("stats") against the fake kernel: the exposition goes to stdout.
 * Returns the command's exit status; 2 when the fake kept replies back,
 * -1 for an unknown @what.
 */
int unit_prometheus_sample(const char *what)
{
	struct fake_reply r1, r2, r3;
	struct pthructl ctl = {};
	struct fake_nl_stats st;
	char path[] = "/tmp/pthructl-cmdline.XXXXXX";
	int ret, fd;

	fake_nl_open(&ctl.nl);
	ctl.nl.family.id = FAMILY;
	ctl.connected = true;
	if (!strcmp(what, "audit")) {
		fd = mkstemp(path);
		if (fd < 0 || write(fd, "ro iommu.strict=0\n", 18) != 18) {
			perror(path);
			exit(1);
		}
		close(fd);
		setenv("PTHRU_CMDLINE", path, 1);
		script_audit(&r1, &r2, &r3);
		fake_nl_script(&r1);
		fake_nl_script(&r2);
		fake_nl_script(&r3);
		ctl.cmd = &prom_audit_cmd;
		ctl.opt_val[0] = "none";
		ctl.opt_val[1] = "";
		ret = cmd_audit(&ctl, 0, NULL);
		unsetenv("PTHRU_CMDLINE");
		unlink(path);
	} else if (!strcmp(what, "stats")) {
		script_stats(&r1);
		fake_nl_script(&r1);
		ctl.cmd = &prom_stats_cmd;
		ctl.opt_val[0] = "";
		ret = cmd_stats(&ctl, 0, NULL);
	} else {
		ret = -1;
	}
	fflush(stdout);
	fake_nl_stats(&st);
	if (ret >= 0 && (st.n_queued || st.dump_running))
		ret = EXIT_ERROR;
	fake_nl_close(&ctl.nl);
	return ret;
}

/* The samples, run here too, with their output caught. */
static void test_prom_samples(void)
{
	FILE *out = tmpfile();
	char text[16384];
	size_t n;
	int saved;

	if (!out) {
		perror("tmpfile");
		exit(1);
	}
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(out), 1);
	CHECK_INT(unit_prometheus_sample("audit"), EXIT_OK);
	CHECK_INT(unit_prometheus_sample("stats"), EXIT_OK);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(out);
	n = fread(text, 1, sizeof(text) - 1, out);
	text[n] = '\0';
	fclose(out);
	CHECK(strstr(text, "# HELP pthru_findings ") == text);
	CHECK(strstr(text, "pthru_findings{severity=\"high\"} 1\n"
			   "pthru_findings{severity=\"medium\"} 1\n") != NULL);
	CHECK(strstr(text, "pthru_findings{severity=\"unknown\"} 1\n") != NULL);
	CHECK(strstr(text, "pthru_quirk_hops 2\n") != NULL);
	CHECK(strstr(text, "pthru_finding{id=\"PTHRU-090\",name=\"unknown\",severity=\"unknown\",addr=\"x\\\"y\\\\z\",group=\"\"} 1\n") != NULL);
	CHECK(strstr(text, "pthru_shadow_maps_total 1234567890123\n") != NULL);
}

void test_prom(void)
{
	test_prom_labels();
	test_prom_seconds();
	test_prom_stats();
	test_prom_audit_series();
	test_prom_cli();
	test_prom_samples();
}
