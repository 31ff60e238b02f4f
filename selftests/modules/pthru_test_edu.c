// SPDX-License-Identifier: GPL-2.0
/*
 * pthru_test_edu - for pthru's selftests only: a driver for QEMU's edu
 * device (1234:11e8), a DMA engine behind the guest's IOMMU, that shows
 * what pthru's deferred-flush window is about and times the DMA API.
 *
 * It has no ID table, so loading it binds nothing: other selftests give
 * edu to vfio-pci, and this driver takes it only when a test names it in
 * the function's driver_override and probes.  One edu at a time.
 *
 * A test writes a command to /sys/kernel/debug/pthru_test_edu/cmd (0200;
 * the write returns when the command is done, or its error) and reads the
 * outcome, one line, from .../result (0400):
 *
 *   stale     Map a victim page (pattern A) for both directions, a source
 *             page (pattern P) and a control page (zeroes); let edu read
 *             the victim (so the IOMMU caches its translation) and then
 *             the source (edu's buffer holds P).  With interrupts off,
 *             unmap the victim and tell edu to write its buffer to the
 *             victim's old IOVA, polling edu until it is done.  Then edu
 *             writes its buffer to the control page.  The victim page is
 *             still ours (only its mapping went), and only the device
 *             could have put P in it: a victim of P is a write that went
 *             through a translation the IOMMU should no longer have held.
 *             Interrupts are off so that the CPU that queued the unmap
 *             cannot run the flush queue's timer (10 ms) before edu
 *             writes (100 ms after its command): on a DMA-FQ domain the
 *             IOTLB still holds the old entry.  The result line:
 *
 *	stale irqs off iova 0x.. unmap-ns U busy-ns B done-ns D
 *	write-min-ns W victim-p N victim-a N control-p N
 *	result landed|blocked|partial|broken
 *
 *             U is ktime_get_ns() just after dma_unmap_single() returned
 *             (the clock pthru times unmaps with), B the last poll that
 *             found edu busy, D the first that found it done: the write
 *             happened in (B, D], W = B - U.  Each transfer moves the
 *             first 2 KiB of a page (EDU_XFER); victim-p/-a: how many of
 *             those bytes of the victim page hold P/A; control-p: of the
 *             control page, P.  "broken" when the control page did not
 *             get P (edu's buffer was not P: nothing to conclude).
 *   stale-sleep  The same with interrupts on, the poll sleeping: the
 *             flush queue's timer runs before edu writes, which the
 *             IOMMU must block ("irqs on" in the result line).
 *   bench N   N times dma_map_single() + dma_unmap_single() of one page,
 *             no device access, on ktime:
 *
 *	bench ops N ns T ns-per-op X
 *
 *   hold      Map HOLD_PAGES contiguous pages with dma_map_single() and
 *             keep them mapped (no device access), for a test to find
 *             the mapping in pthru's shadow of the DMA-API domain:
 *
 *	hold iova 0x.. phys 0x.. size S
 *
 *   release   Unmap what hold mapped ("release iova 0x.. size S").
 *             Removing the driver releases it too.
 *
 * edu's registers (QEMU hw/misc/edu.c): 0x00 identification 0x010000ed,
 * DMA source 0x80, destination 0x88, count 0x90, command 0x98 (bit 0
 * start/busy, bit 1 edu's buffer to RAM, else RAM to the buffer); the
 * buffer is 4 KiB at 0x40000 in edu's DMA address space.  edu masks the
 * addresses it is given to 28 bits.  Not for a machine that matters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

#define EDU_REG_ID		0x00
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_CMD_RUN		BIT(0)
#define EDU_CMD_TO_RAM		BIT(1)
#define EDU_BUF			0x40000
/*
 * edu's buffer is 4 KiB, but QEMU up to 7.2 at least aborts (hw_error)
 * on a transfer that ends at its end: move half of it.
 */
#define EDU_XFER		2048

#define PATTERN_A		0x5a
#define PATTERN_P		0xa5

/* edu needs 100 ms of QEMU's virtual clock per command; TCG is slow. */
#define EDU_DMA_TIMEOUT_MS	5000
/* The stale write's poll gives up after this long (interrupts off). */
#define EDU_IRQOFF_TIMEOUT_NS	(2000ULL * NSEC_PER_MSEC)
#define EDU_POLL_US		50

#define BENCH_MAX_OPS		10000000U

#define HOLD_ORDER		2
#define HOLD_PAGES		(1U << HOLD_ORDER)

struct edu {
	struct pci_dev *pdev;
	void __iomem *regs;
	struct page *held;	/* what "hold" mapped, or NULL */
	dma_addr_t held_iova;
};

static DEFINE_MUTEX(edu_lock);	/* the_edu, wedged, outcome: one command at a time */
static struct edu *the_edu;
/* A DMA never finished: edu may still write somewhere, start nothing. */
static bool wedged;
static char outcome[256];
static struct dentry *dir;

static bool edu_busy(struct edu *edu)
{
	return readl(edu->regs + EDU_REG_DMA_CMD) & EDU_CMD_RUN;
}

/*
 * edu takes a 4-byte write as the whole register; the 28-bit DMA mask
 * keeps every IOVA below 4 GiB.
 */
static void edu_start(struct edu *edu, dma_addr_t ram, bool to_ram)
{
	u32 addr = lower_32_bits(ram);

	writel(to_ram ? EDU_BUF : addr, edu->regs + EDU_REG_DMA_SRC);
	writel(to_ram ? addr : EDU_BUF, edu->regs + EDU_REG_DMA_DST);
	writel(EDU_XFER, edu->regs + EDU_REG_DMA_CNT);
	writel(EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0),
	       edu->regs + EDU_REG_DMA_CMD);
}

static int edu_wait(struct edu *edu)
{
	unsigned long end = jiffies + msecs_to_jiffies(EDU_DMA_TIMEOUT_MS);

	while (edu_busy(edu)) {
		if (time_after(jiffies, end)) {
			wedged = true;
			pci_err(edu->pdev, "DMA did not finish in %u ms; no further command\n",
				EDU_DMA_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		usleep_range(1000, 2000);
	}
	return 0;
}

static unsigned int count_bytes(const u8 *p, u8 val)
{
	unsigned int i, n = 0;

	for (i = 0; i < EDU_XFER; i++)
		n += p[i] == val;
	return n;
}

struct stale_run {
	u64 unmap_ns;
	u64 busy_ns;
	u64 done_ns;
	bool done;
};

/*
 * Unmap @iova and have edu write its buffer there, polling until edu is
 * done (or EDU_IRQOFF_TIMEOUT_NS passed); with @irqs_off, interrupts are
 * off from before the unmap until then, else the poll sleeps.
 */
static void stale_write(struct edu *edu, dma_addr_t iova, bool irqs_off,
			struct stale_run *r)
{
	struct device *dev = &edu->pdev->dev;
	unsigned long flags = 0;
	u64 now;

	if (irqs_off)
		local_irq_save(flags);
	dma_unmap_single(dev, iova, PAGE_SIZE, DMA_BIDIRECTIONAL);
	r->unmap_ns = ktime_get_ns();
	edu_start(edu, iova, true);
	r->busy_ns = ktime_get_ns();
	for (;;) {
		now = ktime_get_ns();
		if (!edu_busy(edu)) {
			r->done = true;
			break;
		}
		r->busy_ns = now;
		if (now - r->unmap_ns > EDU_IRQOFF_TIMEOUT_NS)
			break;
		if (irqs_off)
			udelay(EDU_POLL_US);
		else
			usleep_range(EDU_POLL_US, 2 * EDU_POLL_US);
	}
	r->done_ns = now;
	if (irqs_off)
		local_irq_restore(flags);
}

static int edu_stale(struct edu *edu, bool irqs_off)
{
	struct device *dev = &edu->pdev->dev;
	u8 *victim, *src, *ctl;
	dma_addr_t v, s, c;
	struct stale_run r = {};
	unsigned int vp, va, cp;
	const char *verdict;
	int err = -ENOMEM;

	victim = (u8 *)__get_free_page(GFP_KERNEL);
	src = (u8 *)__get_free_page(GFP_KERNEL);
	ctl = (u8 *)get_zeroed_page(GFP_KERNEL);
	if (!victim || !src || !ctl)
		goto free;
	memset(victim, PATTERN_A, PAGE_SIZE);
	memset(src, PATTERN_P, PAGE_SIZE);

	err = -EIO;
	v = dma_map_single(dev, victim, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, v))
		goto free;
	s = dma_map_single(dev, src, PAGE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, s))
		goto unmap_v;
	c = dma_map_single(dev, ctl, PAGE_SIZE, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, c))
		goto unmap_s;

	/* The IOMMU learns the victim's translation, read and write. */
	edu_start(edu, v, false);
	err = edu_wait(edu);
	if (err)
		goto leak;
	edu_start(edu, s, false);
	err = edu_wait(edu);
	if (err)
		goto leak;

	stale_write(edu, v, irqs_off, &r);
	if (!r.done && edu_wait(edu)) {
		/* The write to the victim may still come: never free it. */
		victim = NULL;
		err = -ETIMEDOUT;
		goto unmap_c;
	}

	/* edu's buffer still holds P, and edu can write: the control. */
	edu_start(edu, c, true);
	err = edu_wait(edu);
	if (err) {
		/* edu may still write the control page: keep it mapped. */
		ctl = NULL;
		goto unmap_c;
	}
	dma_unmap_single(dev, c, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_single(dev, s, PAGE_SIZE, DMA_TO_DEVICE);

	vp = count_bytes(victim, PATTERN_P);
	va = count_bytes(victim, PATTERN_A);
	cp = count_bytes(ctl, PATTERN_P);
	if (cp != EDU_XFER)
		verdict = "broken";
	else if (vp == EDU_XFER)
		verdict = "landed";
	else if (va == EDU_XFER)
		verdict = "blocked";
	else
		verdict = "partial";
	snprintf(outcome, sizeof(outcome),
		 "stale irqs %s iova %pad unmap-ns %llu busy-ns %llu done-ns %llu write-min-ns %llu victim-p %u victim-a %u control-p %u result %s\n",
		 irqs_off ? "off" : "on", &v, r.unmap_ns, r.busy_ns,
		 r.done_ns, r.busy_ns - r.unmap_ns, vp, va, cp, verdict);
	pci_info(edu->pdev, "%s", outcome);
	err = 0;
	goto free;

leak:
	/* edu may still read the victim or the source: keep both. */
	victim = NULL;
	src = NULL;
	dma_unmap_single(dev, c, PAGE_SIZE, DMA_FROM_DEVICE);
	goto free;
unmap_c:
	if (ctl)
		dma_unmap_single(dev, c, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_single(dev, s, PAGE_SIZE, DMA_TO_DEVICE);
	goto free;
unmap_s:
	dma_unmap_single(dev, s, PAGE_SIZE, DMA_TO_DEVICE);
unmap_v:
	dma_unmap_single(dev, v, PAGE_SIZE, DMA_BIDIRECTIONAL);
free:
	free_page((unsigned long)ctl);
	free_page((unsigned long)src);
	free_page((unsigned long)victim);
	return err;
}

static int edu_bench(struct edu *edu, unsigned int n)
{
	struct device *dev = &edu->pdev->dev;
	unsigned int i;
	dma_addr_t a;
	u64 t0, ns;
	void *buf;

	buf = (void *)__get_free_page(GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		a = dma_map_single(dev, buf, PAGE_SIZE, DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, a))
			break;
		dma_unmap_single(dev, a, PAGE_SIZE, DMA_BIDIRECTIONAL);
		if (!(i & 1023))
			cond_resched();
	}
	ns = ktime_get_ns() - t0;
	free_page((unsigned long)buf);
	if (i < n) {
		pci_err(edu->pdev, "bench: dma_map_single failed after %u of %u\n",
			i, n);
		return -EIO;
	}
	snprintf(outcome, sizeof(outcome), "bench ops %u ns %llu ns-per-op %llu\n",
		 n, ns, div_u64(ns, n));
	return 0;
}

/* Under edu_lock. */
static int edu_hold(struct edu *edu)
{
	size_t size = PAGE_SIZE << HOLD_ORDER;
	struct page *page;
	phys_addr_t phys;
	dma_addr_t iova;

	if (edu->held)
		return -EBUSY;
	page = alloc_pages(GFP_KERNEL, HOLD_ORDER);
	if (!page)
		return -ENOMEM;
	iova = dma_map_single(&edu->pdev->dev, page_address(page), size,
			      DMA_BIDIRECTIONAL);
	if (dma_mapping_error(&edu->pdev->dev, iova)) {
		__free_pages(page, HOLD_ORDER);
		return -EIO;
	}
	edu->held = page;
	edu->held_iova = iova;
	phys = page_to_phys(page);
	snprintf(outcome, sizeof(outcome), "hold iova %pad phys %pa size %zu\n",
		 &iova, &phys, size);
	return 0;
}

/* Under edu_lock. */
static int edu_release(struct edu *edu)
{
	size_t size = PAGE_SIZE << HOLD_ORDER;

	if (!edu->held)
		return -ENOENT;
	dma_unmap_single(&edu->pdev->dev, edu->held_iova, size,
			 DMA_BIDIRECTIONAL);
	__free_pages(edu->held, HOLD_ORDER);
	edu->held = NULL;
	snprintf(outcome, sizeof(outcome), "release iova %pad size %zu\n",
		 &edu->held_iova, size);
	return 0;
}

static ssize_t cmd_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	unsigned int n;
	char buf[32];
	char end;
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	mutex_lock(&edu_lock);
	outcome[0] = '\0';
	if (!the_edu)
		err = -ENODEV;
	else if (wedged || edu_busy(the_edu))
		err = -EBUSY;
	else if (sysfs_streq(buf, "stale"))
		err = edu_stale(the_edu, true);
	else if (sysfs_streq(buf, "stale-sleep"))
		err = edu_stale(the_edu, false);
	else if (sscanf(buf, "bench %u %c", &n, &end) == 1 &&
		 n && n <= BENCH_MAX_OPS)
		err = edu_bench(the_edu, n);
	else if (sysfs_streq(buf, "hold"))
		err = edu_hold(the_edu);
	else if (sysfs_streq(buf, "release"))
		err = edu_release(the_edu);
	else
		err = -EINVAL;
	mutex_unlock(&edu_lock);
	return err ? err : len;
}

static const struct file_operations cmd_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = cmd_write,
	.llseek = noop_llseek,
};

static int result_show(struct seq_file *m, void *unused)
{
	mutex_lock(&edu_lock);
	seq_puts(m, outcome);
	mutex_unlock(&edu_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(result);

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *edu;
	u32 ident;
	int err;

	/* driver_override matches any function: take edu only. */
	if (pdev->vendor != EDU_VENDOR || pdev->device != EDU_DEVICE)
		return -ENODEV;
	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	err = pci_enable_device(pdev);
	if (err)
		return err;
	err = pci_request_regions(pdev, KBUILD_MODNAME);
	if (err)
		goto disable;
	err = -ENOMEM;
	edu->regs = pci_iomap(pdev, 0, 0);
	if (!edu->regs)
		goto release;
	err = -ENODEV;
	ident = readl(edu->regs + EDU_REG_ID);
	if ((ident & 0xff) != 0xed) {
		pci_err(pdev, "identification register 0x%08x is not edu's\n",
			ident);
		goto unmap;
	}
	/* edu drops the address bits above 28. */
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(28));
	if (err)
		goto unmap;
	pci_set_master(pdev);

	mutex_lock(&edu_lock);
	if (the_edu) {
		mutex_unlock(&edu_lock);
		err = -EBUSY;
		goto clear_master;
	}
	the_edu = edu;
	wedged = false;
	outcome[0] = '\0';
	mutex_unlock(&edu_lock);
	pci_set_drvdata(pdev, edu);
	pci_info(pdev, "edu %u.%u, for pthru's selftests\n", ident >> 24,
		 (ident >> 16) & 0xff);
	return 0;

clear_master:
	pci_clear_master(pdev);
unmap:
	pci_iounmap(pdev, edu->regs);
release:
	pci_release_regions(pdev);
disable:
	pci_disable_device(pdev);
	return err;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);

	/* Waits for a running command. */
	mutex_lock(&edu_lock);
	if (edu->held)
		edu_release(edu);
	the_edu = NULL;
	mutex_unlock(&edu_lock);
	pci_clear_master(pdev);
	pci_iounmap(pdev, edu->regs);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver edu_driver = {
	.name = KBUILD_MODNAME,
	.probe = edu_probe,
	.remove = edu_remove,
};

static int __init pthru_test_edu_init(void)
{
	int err;

	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("cmd", 0200, dir, NULL, &cmd_fops);
	debugfs_create_file("result", 0400, dir, NULL, &result_fops);
	err = pci_register_driver(&edu_driver);
	if (err)
		debugfs_remove_recursive(dir);
	return err;
}

static void __exit pthru_test_edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
	debugfs_remove_recursive(dir);
}

module_init(pthru_test_edu_init);
module_exit(pthru_test_edu_exit);
MODULE_DESCRIPTION("pthru selftests: QEMU edu driver for a stale-IOTLB DMA and a DMA-API benchmark");
MODULE_LICENSE("GPL");
