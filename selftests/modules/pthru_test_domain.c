// SPDX-License-Identifier: GPL-2.0
/*
 * pthru_test_domain - for pthru's selftests only: an IOMMU domain whose
 * page tables differ from what pthru's shadow saw, in the ways the
 * verification walk must find.
 *
 * Loading allocates one unmanaged paging domain (IOMMU_DOMAIN_UNMANAGED,
 * the type of a VFIO container's domain, so pthru's shadow tracks it) of
 * the IOMMU driver behind the PCI bus, attaches it to no device, and maps
 * pages in it two ways: with iommu_map() and iommu_unmap(), which go
 * through the domain's ops, which pthru's shadow wraps when it allocates
 * the domain, and with the driver's own map_pages() and unmap_pages()
 * (its iommu_ops' default_domain_ops, which the domain's ops copy), which
 * the shadow cannot see, the way a buggy IOMMU driver or a corrupted page
 * table would leave the tables.  No device is
 * attached, so nothing can DMA through any of it.  Each scenario of
 * scenario= (comma-separated) sets up one difference at its own IOVAs:
 *
 *	kernel		iommu_map() of a kmalloc()ed page (slab memory)
 *	identity	iommu_map() of a kmalloc()ed page at IOVA == its
 *			physical address (identity over RAM, and slab)
 *	disagree	iommu_map() of a page, then unmap_pages() of it: the
 *			shadow holds a mapping the page tables do not
 *	untracked	iommu_map() of a page, then map_pages() of the page
 *			after next at the next IOVA: a translation next to a
 *			range that the shadow never saw
 *	overreach	iommu_map() of a page, then map_pages() of the next
 *			page at the next IOVA: the range translates past its
 *			end, as a superpage that is too large would
 *	stale		iommu_map(), iommu_unmap(), then map_pages() of the
 *			same page at the same IOVA: the shadow saw the unmap,
 *			the page tables still translate
 *	fragment	iommu_map() of fragments= pages (default 32) at IOVAs
 *			with a gap between each two: as many ranges, to run a
 *			reserve that may not grow dry (shadow_fail_grow,
 *			shadow incomplete)
 *
 * Unloading unmaps what map_pages() mapped (unmap_pages() and the IOTLB
 * sync the IOMMU core would do), frees the domain, which the shadow sees,
 * and then the pages.  Needs pthru's shadow armed (shadow=on) before the
 * load to be of any use, and an IOMMU.
 *
 * Its own compatibility: iommu_map() took no gfp argument before 6.3,
 * and nothing the preprocessor can see marks the change (see
 * test_iommu_map()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *scenario = "";
module_param(scenario, charp, 0444);
MODULE_PARM_DESC(scenario, "comma-separated: kernel, identity, disagree, untracked, overreach, stale, fragment");

static unsigned int fragments = 32;
module_param(fragments, uint, 0444);
MODULE_PARM_DESC(fragments, "pages the fragment scenario maps, each its own range (default 32, at most 1024)");

#define MAX_FRAGMENTS	1024
/* Each scenario's IOVAs, far above the RAM of a test guest. */
#define SCENARIO_IOVA(n)	(0x1000000000ULL + (u64)(n) * 0x10000000ULL)
#define PROT			(IOMMU_READ | IOMMU_WRITE)

enum { KERNEL, IDENTITY, DISAGREE, UNTRACKED, OVERREACH, STALE, FRAGMENT };

static struct iommu_domain *domain;
static size_t pg;		/* the domain's smallest page */
/* The IOMMU driver's own domain ops, not the shadow's wrapped copy. */
static const struct iommu_domain_ops *drv_ops;

/* What unload gives back: at most two direct mappings and pages per scenario. */
#define MAX_HELD	16
static struct {
	u64 iova;
	size_t size;
} direct[MAX_HELD];
static unsigned int nr_direct;
static struct page *held_pages[MAX_HELD];
static unsigned int held_order[MAX_HELD];
static unsigned int nr_pages;
static void *held_bufs[MAX_HELD];
static unsigned int nr_bufs;

static phys_addr_t get_pages(unsigned int order)
{
	struct page *page;

	if (nr_pages == MAX_HELD)
		return 0;
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!page)
		return 0;
	held_pages[nr_pages] = page;
	held_order[nr_pages++] = order;
	return page_to_phys(page);
}

/* A page of slab memory (kmalloc of a power of two is aligned to it). */
static phys_addr_t get_slab_page(void)
{
	void *buf;

	if (nr_bufs == MAX_HELD)
		return 0;
	buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return 0;
	held_bufs[nr_bufs++] = buf;
	if (!PAGE_ALIGNED(buf)) {
		pr_err("kmalloc(PAGE_SIZE) is not page-aligned\n");
		return 0;
	}
	return virt_to_phys(buf);
}

/*
 * iommu_map(), with a gfp argument when it takes one: the call is chosen
 * by iommu_map()'s own type, through a pointer of exactly that type.  The
 * pointer is hidden from the compiler, which would otherwise see the
 * other call, never made, go to a function of another type.
 */
static int test_iommu_map(u64 iova, phys_addr_t pa, size_t size)
{
	int (*with_gfp)(struct iommu_domain *d, unsigned long iova,
			phys_addr_t pa, size_t size, int prot, gfp_t gfp);
	int (*without)(struct iommu_domain *d, unsigned long iova,
		       phys_addr_t pa, size_t size, int prot);
	void *fn = &iommu_map;

	OPTIMIZER_HIDE_VAR(fn);
	with_gfp = fn;
	without = fn;
	if (__builtin_types_compatible_p(typeof(&iommu_map), typeof(with_gfp)))
		return with_gfp(domain, iova, pa, size, PROT, GFP_KERNEL);
	return without(domain, iova, pa, size, PROT);
}

static int shadow_map(u64 iova, phys_addr_t pa, size_t size)
{
	int err = test_iommu_map(iova, pa, size);

	if (err)
		pr_err("iommu_map 0x%llx -> %pa: %d\n", iova, &pa, err);
	return err;
}

static int shadow_unmap(u64 iova, size_t size)
{
	size_t done = iommu_unmap(domain, iova, size);

	if (done == size)
		return 0;
	pr_err("iommu_unmap 0x%llx: %zu of %zu bytes\n", iova, done, size);
	return -EIO;
}

/* What iommu_map() does, with the driver's ops instead of the domain's. */
static int direct_map(u64 iova, phys_addr_t pa, size_t size)
{
	const struct iommu_domain_ops *ops = drv_ops;
	size_t mapped = 0;
	int err;

	if (nr_direct == MAX_HELD)
		return -ENOSPC;
	err = ops->map_pages(domain, iova, pa, pg, size / pg, PROT, GFP_KERNEL,
			     &mapped);
	if (!err && mapped != size)
		err = -EIO;
	if (err) {
		pr_err("map_pages 0x%llx -> %pa: %d (%zu bytes)\n", iova, &pa,
		       err, mapped);
		return err;
	}
	if (ops->iotlb_sync_map)
		ops->iotlb_sync_map(domain, iova, size);
	direct[nr_direct].iova = iova;
	direct[nr_direct++].size = size;
	return 0;
}

/* What iommu_unmap() does, with the driver's ops instead of the domain's. */
static int direct_unmap(u64 iova, size_t size)
{
	struct iommu_iotlb_gather gather;
	size_t done;

	iommu_iotlb_gather_init(&gather);
	done = drv_ops->unmap_pages(domain, iova, pg, size / pg, &gather);
	if (drv_ops->iotlb_sync)
		drv_ops->iotlb_sync(domain, &gather);
	if (done == size)
		return 0;
	pr_err("unmap_pages 0x%llx: %zu of %zu bytes\n", iova, done, size);
	return -EIO;
}

static int set_up(int which)
{
	u64 iova = SCENARIO_IOVA(which);
	phys_addr_t pa;
	unsigned int i;
	int err;

	switch (which) {
	case KERNEL:
		pa = get_slab_page();
		return pa ? shadow_map(iova, pa, pg) : -ENOMEM;
	case IDENTITY:
		pa = get_slab_page();
		return pa ? shadow_map(pa, pa, pg) : -ENOMEM;
	case DISAGREE:
		pa = get_pages(0);
		if (!pa)
			return -ENOMEM;
		err = shadow_map(iova, pa, pg);
		return err ?: direct_unmap(iova, pg);
	case UNTRACKED:
		pa = get_pages(2);
		if (!pa)
			return -ENOMEM;
		err = shadow_map(iova, pa, pg);
		return err ?: direct_map(iova + pg, pa + 2 * pg, pg);
	case OVERREACH:
		pa = get_pages(1);
		if (!pa)
			return -ENOMEM;
		err = shadow_map(iova, pa, pg);
		return err ?: direct_map(iova + pg, pa + pg, pg);
	case STALE:
		pa = get_pages(0);
		if (!pa)
			return -ENOMEM;
		err = shadow_map(iova, pa, pg);
		if (!err)
			err = shadow_unmap(iova, pg);
		return err ?: direct_map(iova, pa, pg);
	case FRAGMENT:
		pa = get_pages(0);
		if (!pa)
			return -ENOMEM;
		/* One page at every other IOVA page: no two ranges merge. */
		for (i = 0; i < fragments; i++) {
			err = shadow_map(iova + 2ULL * i * pg, pa, pg);
			if (err)
				return err;
		}
		return 0;
	}
	return -EINVAL;
}

static void tear_down(void)
{
	unsigned int i;

	for (i = 0; i < nr_direct; i++)
		direct_unmap(direct[i].iova, direct[i].size);
	nr_direct = 0;
	/* The rest goes with the page tables; the shadow forgets the domain. */
	iommu_domain_free(domain);
	domain = NULL;
	for (i = 0; i < nr_pages; i++)
		__free_pages(held_pages[i], held_order[i]);
	nr_pages = 0;
	for (i = 0; i < nr_bufs; i++)
		kfree(held_bufs[i]);
	nr_bufs = 0;
}

static const char *const names[] = {
	[KERNEL] = "kernel",
	[IDENTITY] = "identity",
	[DISAGREE] = "disagree",
	[UNTRACKED] = "untracked",
	[OVERREACH] = "overreach",
	[STALE] = "stale",
	[FRAGMENT] = "fragment",
};

static int parse(unsigned long *which)
{
	char *list, *cur, *tok;
	int err = 0;
	int i;

	list = kstrdup(scenario, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	*which = 0;
	while (!err && (tok = strsep(&cur, ","))) {
		if (!*tok)
			continue;
		i = match_string(names, ARRAY_SIZE(names), tok);
		if (i < 0) {
			pr_err("scenario %s: not one of kernel, identity, disagree, untracked, overreach, stale, fragment\n",
			       tok);
			err = -EINVAL;
		} else {
			*which |= BIT(i);
		}
	}
	kfree(list);
	return err;
}

/* The domain ops of the IOMMU driver behind the first PCI function it has. */
static const struct iommu_domain_ops *driver_ops(void)
{
	const struct iommu_domain_ops *ops = NULL;
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		if (!ops && pdev->dev.iommu && pdev->dev.iommu->iommu_dev)
			ops = pdev->dev.iommu->iommu_dev->ops->default_domain_ops;
	}
	return ops;
}

static int __init pthru_test_domain_init(void)
{
	unsigned long which;
	int err, i;

	err = parse(&which);
	if (err)
		return err;
	if (fragments > MAX_FRAGMENTS) {
		pr_err("fragments=%u: at most %d\n", fragments, MAX_FRAGMENTS);
		return -EINVAL;
	}
	drv_ops = driver_ops();
	domain = iommu_domain_alloc(&pci_bus_type);
	if (!domain || !drv_ops) {
		pr_err("no IOMMU domain for the PCI bus (no IOMMU?)\n");
		if (domain)
			iommu_domain_free(domain);
		return -ENODEV;
	}
	if (!drv_ops->map_pages || !drv_ops->unmap_pages ||
	    !domain->pgsize_bitmap) {
		pr_err("the IOMMU driver has no map_pages/unmap_pages\n");
		iommu_domain_free(domain);
		return -EOPNOTSUPP;
	}
	/*
	 * virtio-iommu sets a domain up (its aperture, map flags and device)
	 * only when the first device attaches: a domain attached to no
	 * device refuses every map, and the IOTLB sync the core then does
	 * dereferences the device it does not have yet (6.12).  VT-d and
	 * AMD-Vi set the aperture when they allocate the domain.
	 */
	if (!domain->geometry.force_aperture) {
		pr_err("the IOMMU driver sets a domain up only at its first attach (virtio-iommu): a domain attached to no device cannot be mapped\n");
		iommu_domain_free(domain);
		return -EOPNOTSUPP;
	}
	pg = 1UL << __ffs(domain->pgsize_bitmap);
	for_each_set_bit(i, &which, ARRAY_SIZE(names)) {
		err = set_up(i);
		if (err) {
			pr_err("scenario %s: %d\n", names[i], err);
			tear_down();
			return err;
		}
	}
	pr_info("domain with scenarios \"%s\" (page size %zu, pgsize_bitmap 0x%lx)\n",
		scenario, pg, domain->pgsize_bitmap);
	return 0;
}

static void __exit pthru_test_domain_exit(void)
{
	tear_down();
}

module_init(pthru_test_domain_init);
module_exit(pthru_test_domain_exit);

MODULE_DESCRIPTION("pthru selftests: an IOMMU domain whose page tables differ from the shadow");
MODULE_LICENSE("GPL");
