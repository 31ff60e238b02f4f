// SPDX-License-Identifier: GPL-2.0
/*
 * pthru_vfio_map - map buffers through a VFIO type1 container, say where
 * they are in physical memory, and let a script look at pthru's shadow
 * between the steps.
 *
 *	pthru_vfio_map GROUP [--hold FIFO | --steps]
 *	pthru_vfio_map GROUP --identity [--hold FIFO | --steps]
 *	pthru_vfio_map GROUP --bench N SIZE
 *	pthru_vfio_map GROUP --scatter N [--hold FIFO | --steps]
 *
 * Opens /dev/vfio/vfio and /dev/vfio/GROUP, puts the group in a new
 * container with the type1 (v2 when offered) IOMMU driver, and maps four
 * buffers with VFIO_IOMMU_MAP_DMA, read and write:
 *
 *	IOVA 0x100000	4 KiB	anonymous
 *	IOVA 0x200000	64 KiB	anonymous
 *	IOVA 0x400000	1 MiB	anonymous
 *	IOVA 0x800000	2 MiB	one 2 MiB huge page (MAP_HUGETLB), when one
 *				can be had (vm.nr_hugepages >= 1)
 *
 * The IOVAs leave gaps between the buffers, so no two buffers can ever be
 * one merged range in the shadow.  Then it unmaps the 1 MiB buffer, and
 * last closes the group and the container.  One line on stdout per fact,
 * flushed at once, numbers in lower-case hex with 0x:
 *
 *	container TYPE1v2|TYPE1
 *	map IOVA SIZE RUNS		a buffer mapped; RUNS "run" lines follow
 *	run IOVA PHYS LEN		physically contiguous pages of it, from
 *					/proc/self/pagemap after the map
 *					(VFIO's pinning may have moved them)
 *	nohuge REASON			no huge page: that buffer is left out
 *	wait mapped|unmapped		a pause (see below)
 *	unmap IOVA SIZE			the 1 MiB buffer is unmapped
 *	closed				group and container are closed
 *
 * A run is what the shadow must show as one range: pages adjacent in IOVA
 * and in physical memory, mapped with the same permissions.
 *
 * At each "wait" line it reads one line: from FIFO with --hold (opened
 * read-write, so it never sees end-of-file while the script has no writer
 * open), from stdin with --steps; without either it does not pause.
 * Exits 0 when every step worked; 4 when VFIO type1 is not there to test
 * (a "skip: REASON" line on stdout); 1 on any other failure, 2 on bad
 * usage, with one line on stderr.  Needs CAP_SYS_ADMIN for the physical
 * addresses in pagemap and CAP_IPC_LOCK (or enough RLIMIT_MEMLOCK) for
 * VFIO to pin 3 MiB.
 *
 * --bench: the same container, then one buffer of SIZE bytes (a number,
 * "K" or "M" after it for KiB or MiB; a multiple of 2 MiB is made of 2 MiB
 * huge pages, anything else of anonymous pages) mapped with
 * VFIO_IOMMU_MAP_DMA and unmapped again at IOVA 0x100000, once untimed
 * (VFIO's first pin of the pages, the IOMMU's first page tables), then N
 * times on CLOCK_MONOTONIC.  Each pair must map and unmap the whole
 * buffer.  Prints "container TYPE" and
 *
 *	bench SIZE N NS			N pairs took NS nanoseconds
 *
 * (SIZE in lower-case hex, N and NS decimal), or "nohuge REASON" and
 * exits 4 when no huge page can be had.  pagemap is not read.
 *
 * --scatter: the same container, then N pages of anonymous memory (one
 * buffer), each mapped by its own VFIO_IOMMU_MAP_DMA at IOVA 0x100000000
 * plus twice its offset in the buffer: a page-sized gap after each, so
 * that each page is a range of its own in the shadow, wherever it is in
 * physical memory.  Lines:
 *
 *	scatter IOVA N PAGESIZE		all N mapped, from IOVA, a page every
 *					two pages
 *	wait mapped			a pause, as above
 *	unmap IOVA SIZE			all of them unmapped, with one
 *					VFIO_IOMMU_UNMAP_DMA over the span
 *					(SIZE, twice the pages' bytes)
 *	wait unmapped
 *	closed
 *
 * VFIO keeps one entry per map, at most 65535 by default
 * (vfio_iommu_type1's dma_entry_limit).
 *
 * --identity: the same container, then one page of anonymous memory
 * mapped at an IOVA equal to its own physical address, which is what
 * pthru's verification walk must report (identity over host RAM).  VFIO
 * pins the page when it maps it and may move it then, so the page is
 * first mapped at IOVA 0x100000 (pinned), then at its physical address
 * from pagemap, and the first mapping is unmapped again.  Lines:
 *
 *	identity PHYS SIZE		mapped at IOVA PHYS (its address)
 *	wait identity			a pause, as above
 *	unmap PHYS SIZE			unmapped again
 *	wait unmapped
 *	closed
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/mman.h>
#include <linux/vfio.h>

#define EXIT_SKIP	4

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)

#define HUGE_2M		(2UL << 20)

struct buf {
	unsigned long long iova;
	size_t size;
	int huge;
	void *va;
	int mapped;
};

static struct buf bufs[] = {
	{ .iova = 0x100000, .size = 4UL << 10 },
	{ .iova = 0x200000, .size = 64UL << 10 },
	{ .iova = 0x400000, .size = 1UL << 20 },
	{ .iova = 0x800000, .size = HUGE_2M, .huge = 1 },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* The one unmapped in the middle: it has the most pages, so most runs. */
#define UNMAP_IDX	2

static FILE *hold;
static long page_size;

static void __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fputs("pthru_vfio_map: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((format(printf, 1, 2))) skip(const char *fmt, ...)
{
	va_list ap;

	fputs("skip: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(EXIT_SKIP);
}

static void pause_at(const char *what)
{
	char line[64];

	printf("wait %s\n", what);
	if (!hold)
		return;
	if (!fgets(line, sizeof(line), hold))
		die("no line to go on after \"wait %s\"", what);
}

/* Physical address of the page at va: 0 when pagemap hides PFNs. */
static unsigned long long phys_of(const void *va, int pagemap)
{
	uint64_t ent;
	off_t off = (off_t)((uintptr_t)va / page_size) * sizeof(ent);

	if (pread(pagemap, &ent, sizeof(ent), off) != sizeof(ent))
		die("read /proc/self/pagemap: %s", strerror(errno));
	if (!(ent & PM_PRESENT))
		die("page at %p is not present after the map", va);
	return (ent & PM_PFN_MASK) * (unsigned long long)page_size;
}

/* Print the "run" lines of a mapped buffer; returns how many. */
static unsigned int print_runs(const struct buf *b, int pagemap, int print)
{
	unsigned long long run_iova = b->iova, run_phys = 0, run_len = 0;
	unsigned int runs = 0;
	size_t off;

	for (off = 0; off < b->size; off += page_size) {
		unsigned long long phys = phys_of((char *)b->va + off, pagemap);

		if (!phys)
			die("pagemap gives no physical address (needs CAP_SYS_ADMIN)");
		if (run_len && phys == run_phys + run_len) {
			run_len += page_size;
			continue;
		}
		if (run_len && print)
			printf("run %#llx %#llx %#llx\n", run_iova, run_phys, run_len);
		if (run_len)
			runs++;
		run_iova = b->iova + off;
		run_phys = phys;
		run_len = page_size;
	}
	if (print)
		printf("run %#llx %#llx %#llx\n", run_iova, run_phys, run_len);
	return runs + 1;
}

static int get_buffer(struct buf *b)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;

	if (b->huge)
		flags |= MAP_HUGETLB | MAP_HUGE_2MB;
	b->va = mmap(NULL, b->size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (b->va == MAP_FAILED) {
		if (!b->huge)
			die("mmap %zu bytes: %s", b->size, strerror(errno));
		printf("nohuge mmap MAP_HUGETLB|MAP_HUGE_2MB: %s (vm.nr_hugepages = 0?)\n",
		       strerror(errno));
		b->va = NULL;
		return -1;
	}
	/* Touch every page: a page that was never written is the zero page. */
	memset(b->va, 0xa5, b->size);
	return 0;
}

static void map_dma(int container, struct buf *b)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)b->va,
		.iova = b->iova,
		.size = b->size,
	};

	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
		die("VFIO_IOMMU_MAP_DMA iova %#llx size %#zx: %s",
		    b->iova, b->size, strerror(errno));
	b->mapped = 1;
}

static void unmap_dma(int container, struct buf *b)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = b->iova,
		.size = b->size,
	};

	if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		die("VFIO_IOMMU_UNMAP_DMA iova %#llx size %#zx: %s",
		    b->iova, b->size, strerror(errno));
	if (unmap.size != b->size)
		die("VFIO_IOMMU_UNMAP_DMA iova %#llx unmapped %#llx of %#zx bytes",
		    b->iova, (unsigned long long)unmap.size, b->size);
	b->mapped = 0;
}

static void map_buffer(int container, struct buf *b, int pagemap)
{
	map_dma(container, b);
	printf("map %#llx %#zx %u\n", b->iova, b->size, print_runs(b, pagemap, 0));
	print_runs(b, pagemap, 1);
}

static void unmap_buffer(int container, struct buf *b)
{
	unmap_dma(container, b);
	printf("unmap %#llx %#zx\n", b->iova, b->size);
}

static int open_container(const char **type)
{
	int fd, api;

	fd = open("/dev/vfio/vfio", O_RDWR);
	if (fd < 0) {
		if (errno == ENOENT)
			skip("no /dev/vfio/vfio (the vfio module is not loaded)");
		die("open /dev/vfio/vfio: %s", strerror(errno));
	}
	api = ioctl(fd, VFIO_GET_API_VERSION);
	if (api != VFIO_API_VERSION)
		die("VFIO API version %d, this program knows %d", api, VFIO_API_VERSION);
	if (ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0) {
		*type = "TYPE1v2";
		return fd;
	}
	if (ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0) {
		*type = "TYPE1";
		return fd;
	}
	skip("no VFIO type1 IOMMU driver (vfio_iommu_type1 is not loaded)");
	return -1;
}

static int open_group(const char *num, int container, const char *type)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/vfio/%s", num);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &status))
		die("VFIO_GROUP_GET_STATUS: %s", strerror(errno));
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("group %s is not viable (a member is on a host driver)", num);
	if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &container))
		die("VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
	if (ioctl(container, VFIO_SET_IOMMU,
		  strcmp(type, "TYPE1v2") ? VFIO_TYPE1_IOMMU : VFIO_TYPE1v2_IOMMU))
		die("VFIO_SET_IOMMU %s: %s", type, strerror(errno));
	return fd;
}

static void bad_usage(void)
{
	fputs("usage: pthru_vfio_map GROUP [--hold FIFO | --steps]\n"
	      "       pthru_vfio_map GROUP --identity [--hold FIFO | --steps]\n"
	      "       pthru_vfio_map GROUP --bench N SIZE\n"
	      "       pthru_vfio_map GROUP --scatter N [--hold FIFO | --steps]\n",
	      stderr);
	exit(2);
}

/*
 * One page at IOVA == its physical address.  The first mapping pins the
 * page where it will stay (VFIO may migrate a page it pins for long), so
 * pagemap's address after it is the one the second mapping uses.
 */
static void identity_map(int container, int pagemap)
{
	struct buf pin = { .iova = 0x100000, .size = page_size };
	struct buf id = { .size = page_size };

	get_buffer(&pin);
	map_dma(container, &pin);
	id.va = pin.va;
	id.iova = phys_of(pin.va, pagemap);
	if (!id.iova)
		die("pagemap gives no physical address (needs CAP_SYS_ADMIN)");
	if (id.iova < pin.iova + pin.size && pin.iova < id.iova + id.size)
		die("the page is at %#llx, where it is pinned in IOVA", id.iova);
	map_dma(container, &id);
	unmap_dma(container, &pin);
	if (phys_of(id.va, pagemap) != id.iova)
		die("the page moved from %#llx while it was mapped", id.iova);
	printf("identity %#llx %#zx\n", id.iova, id.size);
	pause_at("identity");

	unmap_dma(container, &id);
	printf("unmap %#llx %#zx\n", id.iova, id.size);
	pause_at("unmapped");
}

#define SCATTER_IOVA	0x100000000ULL

/* N pages, each its own map with a one-page gap after it in IOVA. */
static void scatter_map(int container, unsigned long n)
{
	struct buf all = { .size = n * page_size };
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.size = page_size,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = SCATTER_IOVA,
		.size = 2 * n * page_size,
	};
	unsigned long i;

	get_buffer(&all);
	for (i = 0; i < n; i++) {
		map.vaddr = (uintptr_t)all.va + i * page_size;
		map.iova = SCATTER_IOVA + 2 * i * page_size;
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
			die("VFIO_IOMMU_MAP_DMA iova %#llx, page %lu of %lu: %s",
			    (unsigned long long)map.iova, i, n, strerror(errno));
	}
	printf("scatter %#llx %lu %#lx\n", SCATTER_IOVA, n, page_size);
	pause_at("mapped");

	/* type1 answers with the bytes it unmapped: the pages, not the gaps. */
	if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		die("VFIO_IOMMU_UNMAP_DMA iova %#llx size %#llx: %s",
		    SCATTER_IOVA, (unsigned long long)unmap.size,
		    strerror(errno));
	if (unmap.size != n * page_size)
		die("VFIO_IOMMU_UNMAP_DMA iova %#llx unmapped %#llx, not the %lu pages",
		    SCATTER_IOVA, (unsigned long long)unmap.size, n);
	printf("unmap %#llx %#lx\n", SCATTER_IOVA, 2 * n * page_size);
	pause_at("unmapped");
}

/* A positive decimal count, or a size with an optional K or M; 0 if bad. */
static unsigned long parse_count(const char *s, int with_unit)
{
	unsigned long v, shift = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno)
		return 0;
	if (with_unit && (*end == 'K' || *end == 'k'))
		shift = 10;
	else if (with_unit && (*end == 'M' || *end == 'm'))
		shift = 20;
	if (shift)
		end++;
	if (*end || v > (1UL << 30) >> shift)
		return 0;
	return v << shift;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime: %s", strerror(errno));
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Map and unmap one buffer n times, with neither output nor pagemap
 * between the two ioctls: what a VMM does when a guest's memory comes and
 * goes, and what pthru's probes sit on.
 */
static int map_unmap_loop(int container, unsigned long n, unsigned long size)
{
	struct buf b = { .iova = 0x100000, .size = size };
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.iova = b.iova,
		.size = size,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = b.iova,
	};
	unsigned long long start = 0;
	unsigned long i;

	b.huge = size % HUGE_2M == 0;
	if (get_buffer(&b))
		return EXIT_SKIP;
	map.vaddr = (uintptr_t)b.va;
	/* Round 0 is the warm-up, outside the clock. */
	for (i = 0; i <= n; i++) {
		if (i == 1)
			start = now_ns();
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
			die("VFIO_IOMMU_MAP_DMA iova %#llx size %#lx, round %lu: %s",
			    b.iova, size, i, strerror(errno));
		unmap.size = size;
		if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap))
			die("VFIO_IOMMU_UNMAP_DMA iova %#llx size %#lx, round %lu: %s",
			    b.iova, size, i, strerror(errno));
		if (unmap.size != size)
			die("VFIO_IOMMU_UNMAP_DMA iova %#llx, round %lu: unmapped %#llx of %#lx bytes",
			    b.iova, i, (unsigned long long)unmap.size, size);
	}
	printf("bench %#lx %lu %llu\n", size, n, now_ns() - start);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long bench_n = 0, bench_size = 0;
	const char *type = NULL;
	int container, group, pagemap;
	unsigned long scatter_n = 0;
	int identity = 0, opt = 2;
	unsigned int i;
	char *end;

	if (argc < 2 || argc > 6)
		bad_usage();
	errno = 0;
	if (!argv[1][0] || strtoul(argv[1], &end, 10) > 0x7fffffff || *end || errno)
		bad_usage();
	if (argc > 2 && !strcmp(argv[2], "--identity")) {
		identity = 1;
		opt = 3;
	} else if (argc > 3 && !strcmp(argv[2], "--scatter")) {
		scatter_n = parse_count(argv[3], 0);
		if (!scatter_n || scatter_n > 65535)
			bad_usage();
		opt = 4;
	}
	if (argc == opt + 1 && !strcmp(argv[opt], "--steps")) {
		hold = stdin;
	} else if (argc == opt + 2 && !strcmp(argv[opt], "--hold")) {
		int fd = open(argv[opt + 1], O_RDWR);

		hold = fd < 0 ? NULL : fdopen(fd, "r");
		if (!hold)
			die("open %s: %s", argv[opt + 1], strerror(errno));
	} else if (!identity && !scatter_n && argc == 5 &&
		   !strcmp(argv[2], "--bench")) {
		bench_n = parse_count(argv[3], 0);
		bench_size = parse_count(argv[4], 1);
		if (!bench_n || !bench_size || bench_size % 4096)
			bad_usage();
	} else if (argc != opt) {
		bad_usage();
	}
	/* The driving script reads each line as it comes. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);

	if (bench_n) {
		int rc;

		container = open_container(&type);
		group = open_group(argv[1], container, type);
		printf("container %s\n", type);
		rc = map_unmap_loop(container, bench_n, bench_size);
		if (close(group) || close(container))
			die("close: %s", strerror(errno));
		return rc;
	}
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap < 0)
		die("open /proc/self/pagemap: %s", strerror(errno));
	container = open_container(&type);
	group = open_group(argv[1], container, type);
	printf("container %s\n", type);

	if (identity || scatter_n) {
		if (identity)
			identity_map(container, pagemap);
		else
			scatter_map(container, scatter_n);
		if (close(group) || close(container))
			die("close: %s", strerror(errno));
		printf("closed\n");
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(bufs); i++)
		if (!get_buffer(&bufs[i]))
			map_buffer(container, &bufs[i], pagemap);
	pause_at("mapped");

	unmap_buffer(container, &bufs[UNMAP_IDX]);
	pause_at("unmapped");

	/* The last reference to the container goes: type1 frees the domain. */
	if (close(group) || close(container))
		die("close: %s", strerror(errno));
	printf("closed\n");
	return 0;
}
