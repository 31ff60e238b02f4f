// SPDX-License-Identifier: GPL-2.0
/*
 * map show and stats: parsing of canned map-get and stats-get replies, the
 * exact text and JSON of the output contract, and the command line of the
 * real binary.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "map.h"
#include "nl.h"
#include "stats.h"
#include "unit.h"

#define FAMILY	0x20
#define RW	(PTHRU_MAP_PROT_READ | PTHRU_MAP_PROT_WRITE)

/* One map-get dump message as the module sends it. */
static struct nlmsghdr *map_msg(char *buf, uint32_t group, uint32_t domain,
				uint64_t iova, uint64_t phys, uint64_t size,
				uint32_t prot, uint8_t incomplete)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_MAP_GET);

	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_GROUP_ID, group);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_DOMAIN_ID, domain);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_DOMAIN_TYPE,
			PTHRU_DOMAIN_TYPE_UNMANAGED);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_IOVA, iova);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_PHYS, phys);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_SIZE, size);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_PROT, prot);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_INCOMPLETE, incomplete);
	return nlh;
}

static void test_size_human(void)
{
	char buf[24];

	CHECK_STR(size_human(0x1000, buf, sizeof(buf)), "4K");
	CHECK_STR(size_human(0x10000, buf, sizeof(buf)), "64K");
	CHECK_STR(size_human(0x200000, buf, sizeof(buf)), "2M");
	CHECK_STR(size_human(0x300000, buf, sizeof(buf)), "3M");
	/* Not a whole number of megabytes: exact in the smaller unit. */
	CHECK_STR(size_human(0x101000, buf, sizeof(buf)), "1028K");
	CHECK_STR(size_human(0x40000000, buf, sizeof(buf)), "1G");
	CHECK_STR(size_human(1ULL << 40, buf, sizeof(buf)), "1T");
	CHECK_STR(size_human(1ULL << 63, buf, sizeof(buf)), "8E");
	CHECK_STR(size_human(512, buf, sizeof(buf)), "512B");
	CHECK_STR(size_human(1025, buf, sizeof(buf)), "1025B");
	CHECK_STR(size_human(0, buf, sizeof(buf)), "0B");
	CHECK_STR(size_human(UINT64_MAX, buf, sizeof(buf)),
		  "18446744073709551615B");
}

static void test_prot_text(void)
{
	char buf[64];

	CHECK_STR(map_prot_text(RW, buf, sizeof(buf)), "rw");
	CHECK_STR(map_prot_text(PTHRU_MAP_PROT_READ, buf, sizeof(buf)), "r-");
	CHECK_STR(map_prot_text(PTHRU_MAP_PROT_WRITE, buf, sizeof(buf)), "-w");
	CHECK_STR(map_prot_text(0, buf, sizeof(buf)), "--");
	CHECK_STR(map_prot_text(RW | PTHRU_MAP_PROT_CACHE |
				PTHRU_MAP_PROT_NOEXEC, buf, sizeof(buf)),
		  "rw,cache,noexec");
	CHECK_STR(map_prot_text(PTHRU_MAP_PROT_READ | PTHRU_MAP_PROT_MMIO |
				PTHRU_MAP_PROT_PRIV, buf, sizeof(buf)),
		  "r-,mmio,priv");
	/* Bits from a newer module stay visible. */
	CHECK_STR(map_prot_text(RW | 0x40 | 0x100, buf, sizeof(buf)),
		  "rw,0x140");
}

/*
 * Three ranges of group 5 sent out of IOVA order, and one of group 3 whose
 * domain's shadow is incomplete: the output is sorted by group, domain,
 * IOVA.
 */
static size_t parse_example(struct pthru_mapping *m)
{
	char buf[8192];
	uint16_t bad = 0;
	size_t n = 0;

	CHECK_INT(mapping_parse(map_msg(buf, 5, 2, 0x800000, 0x134000000ULL,
					0x200000, RW, 0), &m[n++], &bad), 0);
	CHECK_INT(mapping_parse(map_msg(buf, 5, 2, 0x100000, 0x12a3f4000ULL,
					0x1000, RW, 0), &m[n++], &bad), 0);
	CHECK_INT(mapping_parse(map_msg(buf, 3, 1, 0xfffff000ULL,
					0xfebf0000ULL, 0x101000,
					PTHRU_MAP_PROT_READ |
					PTHRU_MAP_PROT_MMIO, 1), &m[n++], &bad),
		  0);
	CHECK_INT(mapping_parse(map_msg(buf, 5, 2, 0x200000, 0x12b000000ULL,
					0x10000, PTHRU_MAP_PROT_WRITE |
					PTHRU_MAP_PROT_NOEXEC, 0), &m[n++],
				&bad), 0);
	mapping_sort(m, n);
	return n;
}

static void test_map_print(void)
{
	struct pthru_mapping m[8];
	struct capture c;
	size_t n = parse_example(m);

	CHECK_INT(n, 4);
	CHECK_INT(m[0].group_id, 3);
	CHECK(m[1].iova == 0x100000 && m[3].iova == 0x800000);

	CHECK_INT(map_print(capture_open(&c), m, n, false), 0);
	CHECK_STR(capture_close(&c),
		  "group 3 domain 1 (unmanaged) shadow incomplete\n"
		  "IOVA                PHYS                SIZE              PROT\n"
		  "0x00000000fffff000  0x00000000febf0000  0x101000 (1028K)  r-,mmio\n"
		  "\n"
		  "group 5 domain 2 (unmanaged)\n"
		  "IOVA                PHYS                SIZE           PROT\n"
		  "0x0000000000100000  0x000000012a3f4000  0x1000 (4K)    rw\n"
		  "0x0000000000200000  0x000000012b000000  0x10000 (64K)  -w,noexec\n"
		  "0x0000000000800000  0x0000000134000000  0x200000 (2M)  rw\n");
	free(c.text);

	CHECK_INT(map_print(capture_open(&c), m, n, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"mappings\":[\n"
		  "{\"group\":3,\"domain\":1,\"type\":\"unmanaged\",\"iova\":\"0x00000000fffff000\",\"phys\":\"0x00000000febf0000\",\"phys_hidden\":false,\"size\":\"0x101000\",\"prot\":[\"read\",\"mmio\"],\"incomplete\":true},\n"
		  "{\"group\":5,\"domain\":2,\"type\":\"unmanaged\",\"iova\":\"0x0000000000100000\",\"phys\":\"0x000000012a3f4000\",\"phys_hidden\":false,\"size\":\"0x1000\",\"prot\":[\"read\",\"write\"],\"incomplete\":false},\n"
		  "{\"group\":5,\"domain\":2,\"type\":\"unmanaged\",\"iova\":\"0x0000000000200000\",\"phys\":\"0x000000012b000000\",\"phys_hidden\":false,\"size\":\"0x10000\",\"prot\":[\"write\",\"noexec\"],\"incomplete\":false},\n"
		  "{\"group\":5,\"domain\":2,\"type\":\"unmanaged\",\"iova\":\"0x0000000000800000\",\"phys\":\"0x0000000134000000\",\"phys_hidden\":false,\"size\":\"0x200000\",\"prot\":[\"read\",\"write\"],\"incomplete\":false}\n"
		  "]}\n");
	unit_json_doc("map", c.text);
	free(c.text);

	/* One group's domain alone: one section. */
	CHECK_INT(map_print(capture_open(&c), m, 1, false), 0);
	CHECK_STR(capture_close(&c),
		  "group 3 domain 1 (unmanaged) shadow incomplete\n"
		  "IOVA                PHYS                SIZE              PROT\n"
		  "0x00000000fffff000  0x00000000febf0000  0x101000 (1028K)  r-,mmio\n");
	free(c.text);

	CHECK_INT(map_print(capture_open(&c), m, 0, false), 0);
	CHECK_STR(capture_close(&c), "no userspace-owned mappings\n");
	free(c.text);
	CHECK_INT(map_print(capture_open(&c), m, 0, true), 0);
	CHECK_STR(capture_close(&c), "{\"schema\":2,\"mappings\":[\n]}\n");
	unit_json_doc("map", c.text);
	free(c.text);
}

/* Two domains of one group (a domain replaced meanwhile) stay apart. */
static void test_map_sections(void)
{
	struct pthru_mapping m[3];
	struct capture c;
	char buf[8192];
	uint16_t bad;

	CHECK_INT(mapping_parse(map_msg(buf, 7, 9, 0x2000, 0x5000, 0x1000, RW,
					0), &m[0], &bad), 0);
	CHECK_INT(mapping_parse(map_msg(buf, 7, 4, 0x1000, 0x3000, 0x1000, RW,
					0), &m[1], &bad), 0);
	/* A range whose group the module could not name sorts last. */
	unit_genl_msg(buf, FAMILY, PTHRU_CMD_MAP_GET);
	mnl_attr_put_u32((struct nlmsghdr *)buf, PTHRU_A_MAPPING_DOMAIN_ID, 1);
	mnl_attr_put_u64((struct nlmsghdr *)buf, PTHRU_A_MAPPING_IOVA, 0);
	CHECK_INT(mapping_parse((struct nlmsghdr *)buf, &m[2], &bad), 0);
	mapping_sort(m, 3);

	CHECK_INT(map_print(capture_open(&c), m, 3, false), 0);
	CHECK_STR(capture_close(&c),
		  "group 7 domain 4 (unmanaged)\n"
		  "IOVA                PHYS                SIZE         PROT\n"
		  "0x0000000000001000  0x0000000000003000  0x1000 (4K)  rw\n"
		  "\n"
		  "group 7 domain 9 (unmanaged)\n"
		  "IOVA                PHYS                SIZE         PROT\n"
		  "0x0000000000002000  0x0000000000005000  0x1000 (4K)  rw\n"
		  "\n"
		  "group - domain 1 (-)\n"
		  "IOVA                PHYS  SIZE  PROT\n"
		  "0x0000000000000000  -     -     -\n");
	free(c.text);

	CHECK_INT(map_print(capture_open(&c), &m[2], 1, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"mappings\":[\n"
		  "{\"group\":null,\"domain\":1,\"type\":null,\"iova\":\"0x0000000000000000\",\"phys\":null,\"phys_hidden\":false,\"size\":null,\"prot\":null,\"incomplete\":null}\n"
		  "]}\n");
	unit_json_doc("map", c.text);
	free(c.text);
}

static void test_map_malformed(void)
{
	struct pthru_mapping m;
	struct nlmsghdr *nlh;
	char buf[8192];
	uint16_t bad = 0;

	/* An IOVA 32 bits wide. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_GROUP_ID, 5);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_IOVA, 0x1000);
	CHECK_INT(mapping_parse(nlh, &m, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_MAPPING_IOVA);

	nlh = map_msg(buf, 5, 2, 0, 0, 0x1000, RW, 0);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_PROT, RW);
	CHECK_INT(mapping_parse(nlh, &m, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_MAPPING_PROT);

	/* An attribute from a newer module is ignored, not an error. */
	nlh = map_msg(buf, 5, 2, 0, 0, 0x1000, RW, 0);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_MAX + 1, 1);
	CHECK_INT(mapping_parse(nlh, &m, &bad), 0);
	CHECK(m.size == 0x1000);
}

static void test_duration(void)
{
	char buf[32];

	CHECK_STR(duration_text(0, buf, sizeof(buf)), "0ns");
	CHECK_STR(duration_text(999, buf, sizeof(buf)), "999ns");
	CHECK_STR(duration_text(1000, buf, sizeof(buf)), "1.0us");
	CHECK_STR(duration_text(12399, buf, sizeof(buf)), "12.3us");
	CHECK_STR(duration_text(999999, buf, sizeof(buf)), "999.9us");
	CHECK_STR(duration_text(4500000, buf, sizeof(buf)), "4.5ms");
	CHECK_STR(duration_text(10000000, buf, sizeof(buf)), "10.0ms");
	CHECK_STR(duration_text(2050000000ULL, buf, sizeof(buf)), "2.0s");
	CHECK_STR(duration_text(UINT64_MAX, buf, sizeof(buf)),
		  "18446744073.7s");
}

static struct nlmsghdr *stats_msg(char *buf, long long domain)
{
	struct nlmsghdr *nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_STATS_GET);

	if (domain >= 0)
		mnl_attr_put_u32(nlh, PTHRU_A_STATS_DOMAIN_ID, domain);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_ARMED, 1);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_DOMAINS, 2);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_RANGES, 4);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_RANGE_BYTES, 56);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MAPS, 1234567890123ULL);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_UNMAPS, 17);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_LOST, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_INCOMPLETE_DOMAINS, 1);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_FLUSHES, 40);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_WAIT_COUNT, 300);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_WAIT_MAX_NS, 10250000);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_WAIT_P50_NS, 850);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_WAIT_P99_NS, 4512345);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_STATUS, PTHRU_SHADOW_STATUS_ARMED);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_BLIND, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_WRAPPED_DOMAINS, 2);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_UNWRAPPED_DOMAINS, 1);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MEM_BYTES, 2498560);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MEM_MAX_BYTES, 8388608);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MEM_REFUSED, 3);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_MEM_FAILED, 0);
	if (domain >= 0) {
		mnl_attr_put_u32(nlh, PTHRU_A_STATS_NODES_USED, 40000);
		mnl_attr_put_u32(nlh, PTHRU_A_STATS_NODES_RESERVED, 4096);
	}
	return nlh;
}

static void test_stats(void)
{
	struct pthru_stats st;
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad = 0;

	CHECK_INT(stats_parse(stats_msg(buf, -1), &st, &bad), 0);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_TEXT), 0);
	CHECK_STR(capture_close(&c),
		  "armed:              yes\n"
		  "domains:            2\n"
		  "ranges:             4\n"
		  "range_bytes:        56\n"
		  "maps:               1234567890123\n"
		  "unmaps:             17\n"
		  "lost:               0\n"
		  "incomplete_domains: 1\n"
		  "flushes:            40\n"
		  "wait_count:         300\n"
		  "wait_max:           10.2ms\n"
		  "wait_p50:           850ns\n"
		  "wait_p99:           4.5ms\n"
		  "status:             armed\n"
		  "blind:              no\n"
		  "wrapped_domains:    2\n"
		  "unwrapped_domains:  1\n"
		  "mem_bytes:          2498560\n"
		  "mem_max_bytes:      8388608\n"
		  "mem_refused:        3\n"
		  "mem_failed:         0\n");
	free(c.text);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_JSON), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"domain\":null,\"armed\":true,\"domains\":2,\"ranges\":4,\"range_bytes\":56,\"maps\":1234567890123,\"unmaps\":17,\"lost\":0,\"incomplete_domains\":1,\"flushes\":40,\"wait_count\":300,\"wait_max_ns\":10250000,\"wait_p50_ns\":850,\"wait_p99_ns\":4512345,\"dma_flushes\":null,\"dma_wait_count\":null,\"dma_wait_max_ns\":null,\"dma_wait_p50_ns\":null,\"dma_wait_p99_ns\":null,\"dma_untracked\":null,\"status\":\"armed\",\"blind\":false,\"wrapped_domains\":2,\"unwrapped_domains\":1,\"nodes_used\":null,\"nodes_reserved\":null,\"mem_bytes\":2498560,\"mem_max_bytes\":8388608,\"mem_refused\":3,\"mem_failed\":0}\n");
	unit_json_doc("stats", c.text);
	free(c.text);

	CHECK_INT(stats_parse(stats_msg(buf, 3), &st, &bad), 0);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_TEXT), 0);
#define DOMAIN_HEAD "domain:             3\narmed:              yes\n"
	CHECK(strncmp(capture_close(&c), DOMAIN_HEAD,
		      strlen(DOMAIN_HEAD)) == 0);
#undef DOMAIN_HEAD
	CHECK(strstr(c.text,
		     "nodes_used:         40000\nnodes_reserved:     4096\n"));
	free(c.text);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_JSON), 0);
#define DOMAIN_JSON "{\"schema\":2,\"domain\":3,\"armed\":true,"
	CHECK(strncmp(capture_close(&c), DOMAIN_JSON,
		      strlen(DOMAIN_JSON)) == 0);
#undef DOMAIN_JSON
	CHECK(strstr(c.text, "\"nodes_used\":40000,\"nodes_reserved\":4096,") != NULL);
	unit_json_doc("stats", c.text);
	free(c.text);

	/* What the module does not send is "-" and null. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_ARMED, 0);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_RANGES, 0);
	CHECK_INT(stats_parse(nlh, &st, &bad), 0);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_TEXT), 0);
	CHECK_STR(capture_close(&c),
		  "armed:              no\n"
		  "domains:            -\n"
		  "ranges:             0\n"
		  "range_bytes:        -\n"
		  "maps:               -\n"
		  "unmaps:             -\n"
		  "lost:               -\n"
		  "incomplete_domains: -\n"
		  "flushes:            -\n"
		  "wait_count:         -\n"
		  "wait_max:           -\n"
		  "wait_p50:           -\n"
		  "wait_p99:           -\n"
		  "status:             -\n"
		  "blind:              -\n"
		  "wrapped_domains:    -\n"
		  "unwrapped_domains:  -\n"
		  "mem_bytes:          -\n"
		  "mem_max_bytes:      -\n"
		  "mem_refused:        -\n"
		  "mem_failed:         -\n");
	free(c.text);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_JSON), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"domain\":null,\"armed\":false,\"domains\":null,\"ranges\":0,\"range_bytes\":null,\"maps\":null,\"unmaps\":null,\"lost\":null,\"incomplete_domains\":null,\"flushes\":null,\"wait_count\":null,\"wait_max_ns\":null,\"wait_p50_ns\":null,\"wait_p99_ns\":null,\"dma_flushes\":null,\"dma_wait_count\":null,\"dma_wait_max_ns\":null,\"dma_wait_p50_ns\":null,\"dma_wait_p99_ns\":null,\"dma_untracked\":null,\"status\":null,\"blind\":null,\"wrapped_domains\":null,\"unwrapped_domains\":null,\"nodes_used\":null,\"nodes_reserved\":null,\"mem_bytes\":null,\"mem_max_bytes\":null,\"mem_refused\":null,\"mem_failed\":null}\n");
	unit_json_doc("stats", c.text);
	free(c.text);

	/* The DMA-API window (flush_window_dma=1): its lines, in order. */
	nlh = stats_msg(buf, -1);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_FLUSHES, 12);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_WAIT_COUNT, 9);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_WAIT_MAX_NS, 16777216);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_WAIT_P50_NS, 8388608);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_WAIT_P99_NS, 16777216);
	mnl_attr_put_u64(nlh, PTHRU_A_STATS_DMA_UNTRACKED, 2);
	CHECK_INT(stats_parse(nlh, &st, &bad), 0);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_TEXT), 0);
#define DMA_TAIL "wait_p99:           4.5ms\n"		\
		 "dma_flushes:        12\n"		\
		 "dma_wait_count:     9\n"		\
		 "dma_wait_max:       16.7ms\n"		\
		 "dma_wait_p50:       8.3ms\n"		\
		 "dma_wait_p99:       16.7ms\n"		\
		 "dma_untracked:      2\n"
	CHECK(strstr(capture_close(&c), DMA_TAIL) != NULL);
#undef DMA_TAIL
	free(c.text);
	CHECK_INT(stats_print(capture_open(&c), &st, FORMAT_JSON), 0);
	CHECK(strstr(capture_close(&c),
		     "\"wait_p99_ns\":4512345,\"dma_flushes\":12,\"dma_wait_count\":9,\"dma_wait_max_ns\":16777216,\"dma_wait_p50_ns\":8388608,\"dma_wait_p99_ns\":16777216,\"dma_untracked\":2,\"status\":\"armed\",") != NULL);
	unit_json_doc("stats", c.text);
	free(c.text);

	/* A counter 32 bits wide where the spec says 64. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_MAPS, 3);
	CHECK_INT(stats_parse(nlh, &st, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_STATS_MAPS);
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_STATS_DMA_WAIT_COUNT, 3);
	CHECK_INT(stats_parse(nlh, &st, &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_STATS_DMA_WAIT_COUNT);
}

/* Exit 2, nothing on stdout, exactly @msg as one line on stderr. */
#define CHECK_RUN_ERROR(msg, ...)					\
	do {								\
		struct unit_run mr;					\
									\
		unit_run(&mr, NULL, __VA_ARGS__, NULL);			\
		CHECK_INT(mr.status, 2);				\
		CHECK_STR(mr.out, "");					\
		CHECK_STR(mr.err, msg "\n");				\
		unit_run_free(&mr);					\
	} while (0)

static bool pthru_family_present(void)
{
	struct nl_family fam;
	struct nl nl;
	int err;

	if (nl_open(&nl))
		return false;
	err = nl_resolve_family(&nl, "pthru", &fam);
	nl_close(&nl);
	return err == 0;
}

static void test_map_cli(void)
{
	struct unit_run r;

	CHECK_RUN_ERROR("pthructl: invalid IOMMU group id 'abc' (expected a decimal number)",
			"map", "show", "abc");
	CHECK_RUN_ERROR("pthructl: invalid IOMMU group id '4294967296' (expected a decimal number)",
			"-j", "map", "show", "4294967296");
	CHECK_RUN_ERROR("pthructl: invalid IOMMU group id '' (expected a decimal number)",
			"map", "show", "");
	CHECK_RUN_ERROR("pthructl: unknown map command '5' (see pthructl help map)",
			"map", "5");
	CHECK_RUN_ERROR("pthructl: unexpected argument '6' (see pthructl help map)",
			"map", "show", "5", "6");
	CHECK_RUN_ERROR("pthructl: unknown option '-1' (see pthructl help map)",
			"map", "show", "-1");
	CHECK_RUN_ERROR("pthructl: invalid IOMMU group id 'g1' (expected a decimal number)",
			"map", "verify", "g1");
	CHECK_RUN_ERROR("pthructl: unexpected argument '2' (see pthructl help map)",
			"map", "verify", "1", "2");
	CHECK_RUN_ERROR("pthructl: unknown map command 'verfy' (see pthructl help map)",
			"map", "verfy");
	CHECK_RUN_ERROR("pthructl: invalid domain id 'x1' (expected a decimal number)",
			"stats", "x1");
	CHECK_RUN_ERROR("pthructl: invalid domain id '0x1' (expected a decimal number)",
			"-j", "stats", "0x1");
	CHECK_RUN_ERROR("pthructl: unexpected argument '2' (see pthructl help stats)",
			"stats", "1", "2");

	unit_run(&r, NULL, "help", "map", NULL);
	CHECK_INT(r.status, 0);
	CHECK(strstr(r.out, "Usage: pthructl [-j|--json] map [show|verify] [GROUP]\n") ==
	      r.out);
	CHECK_STR(r.err, "");
	unit_run_free(&r);
	unit_run(&r, NULL, "stats", "--help", NULL);
	CHECK_INT(r.status, 0);
	CHECK(strstr(r.out, "Usage: pthructl [-j|--json] stats [-p|--format FORMAT] [DOMAIN]\n") ==
	      r.out);
	unit_run_free(&r);
	unit_run(&r, NULL, "--help", NULL);
	CHECK(strstr(r.out, "  map [show|verify] [GROUP]\n") != NULL);
	CHECK(strstr(r.out, "  stats [-p|--format FORMAT] [DOMAIN]\n") != NULL);
	unit_run_free(&r);

	if (pthru_family_present()) {
		/* A module that predates map-get answers EOPNOTSUPP: also 2. */
		unit_run(&r, NULL, "-j", "stats", NULL);
		CHECK(r.status == 0 ?
		      strstr(r.out, "{\"schema\":2,\"domain\":null,") == r.out :
		      r.status == 2);
		unit_run_free(&r);
		return;
	}
#define NOT_LOADED "pthructl: the pthru module is not loaded (modprobe pthru)"
	CHECK_RUN_ERROR(NOT_LOADED, "map");
	CHECK_RUN_ERROR(NOT_LOADED, "map", "show");
	CHECK_RUN_ERROR(NOT_LOADED, "-j", "map", "show", "5");
	CHECK_RUN_ERROR(NOT_LOADED, "map", "verify");
	CHECK_RUN_ERROR(NOT_LOADED, "-j", "map", "verify", "5");
	CHECK_RUN_ERROR(NOT_LOADED, "stats");
	CHECK_RUN_ERROR(NOT_LOADED, "stats", "-j", "3");
#undef NOT_LOADED
}

/* A caller without CAP_SYS_ADMIN: phys-hidden instead of phys. */
static void test_map_phys_hidden(void)
{
	struct pthru_mapping m[2];
	struct nlmsghdr *nlh;
	struct capture c;
	char buf[8192];
	uint16_t bad;

	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_MAP_GET);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_GROUP_ID, 5);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_DOMAIN_ID, 2);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_DOMAIN_TYPE,
			 PTHRU_DOMAIN_TYPE_UNMANAGED);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_IOVA, 0x100000);
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_SIZE, 0x1000);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_PROT, RW);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_INCOMPLETE, 0);
	mnl_attr_put_u32(nlh, PTHRU_A_MAPPING_PHYS_HIDDEN, 1);
	CHECK_INT(mapping_parse(nlh, &m[0], &bad), 0);
	CHECK(mapping_phys_hidden(&m[0]));
	CHECK(mappings_phys_hidden(m, 1));

	/* The PHYS column says "-": never 0 as if it were an address. */
	CHECK_INT(map_print(capture_open(&c), m, 1, false), 0);
	CHECK_STR(capture_close(&c),
		  "group 5 domain 2 (unmanaged)\n"
		  "IOVA                PHYS  SIZE         PROT\n"
		  "0x0000000000100000  -     0x1000 (4K)  rw\n");
	free(c.text);
	CHECK_INT(map_print(capture_open(&c), m, 1, true), 0);
	CHECK_STR(capture_close(&c),
		  "{\"schema\":2,\"mappings\":[\n"
		  "{\"group\":5,\"domain\":2,\"type\":\"unmanaged\",\"iova\":\"0x0000000000100000\",\"phys\":null,\"phys_hidden\":true,\"size\":\"0x1000\",\"prot\":[\"read\",\"write\"],\"incomplete\":false}\n"
		  "]}\n");
	unit_json_doc("map", c.text);
	free(c.text);

	/* A phys beside phys-hidden is still not printed. */
	mnl_attr_put_u64(nlh, PTHRU_A_MAPPING_PHYS, 0);
	CHECK_INT(mapping_parse(nlh, &m[1], &bad), 0);
	CHECK_INT(map_print(capture_open(&c), &m[1], 1, true), 0);
	capture_close(&c);
	CHECK(strstr(c.text, "\"phys\":null,\"phys_hidden\":true,") != NULL);
	unit_json_doc("map", c.text);
	free(c.text);

	/* With phys and without phys-hidden, nothing is hidden. */
	CHECK_INT(mapping_parse(map_msg(buf, 3, 1, 0x1000, 0x2000, 0x1000, RW, 0),
				&m[1], &bad), 0);
	CHECK(!mapping_phys_hidden(&m[1]));
	CHECK(!mappings_phys_hidden(&m[1], 1));
	CHECK(mappings_phys_hidden(m, 2));

	/* A phys-hidden of the wrong width is malformed. */
	nlh = unit_genl_msg(buf, FAMILY, PTHRU_CMD_MAP_GET);
	mnl_attr_put_u8(nlh, PTHRU_A_MAPPING_PHYS_HIDDEN, 1);
	CHECK_INT(mapping_parse(nlh, &m[0], &bad), -EBADMSG);
	CHECK_INT(bad, PTHRU_A_MAPPING_PHYS_HIDDEN);
}

void test_map(void)
{
	test_map_phys_hidden();
	test_size_human();
	test_prot_text();
	test_map_print();
	test_map_sections();
	test_map_malformed();
	test_duration();
	test_stats();
	test_map_cli();
}
