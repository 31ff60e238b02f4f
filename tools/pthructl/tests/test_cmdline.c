// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel command line: tokens split as the kernel splits them, each
 * weakening setting found, harmless and undone settings not, and reading
 * the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/pthru.h>

#include "cmdline.h"
#include "unit.h"

#define FIX_TAIL	" from the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) and reboot"

/* The words cmdline_next() returns, as "param=val|param|..." */
static void check_tokens(const char *cmdline, const char *want, int line)
{
	char *copy = strdup(cmdline), *args = copy, *param, *val;
	char got[512] = "";

	while (cmdline_next(&args, &param, &val)) {
		strcat(got, param);
		if (val) {
			strcat(got, "=");
			strcat(got, val);
		}
		strcat(got, "|");
	}
	unit_check_str(got, want, __FILE__, line, cmdline);
	free(copy);
}

#define CHECK_TOKENS(cmdline, want)	check_tokens(cmdline, want, __LINE__)

static void test_cmdline_tokens(void)
{
	CHECK_TOKENS("", "");
	CHECK_TOKENS("   ", "");
	CHECK_TOKENS("quiet", "quiet|");
	CHECK_TOKENS("  a=1 \t b\n c=  ", "a=1|b|c=|");
	CHECK_TOKENS("root=UUID=1234-abcd ro", "root=UUID=1234-abcd|ro|");
	/* Quotes around the value, around the whole parameter, inside. */
	CHECK_TOKENS("f=\"g h\" x", "f=g h|x|");
	CHECK_TOKENS("\"c=d e\" x", "c=d e|x|");
	CHECK_TOKENS("dyndbg=\"file a.c +p\"", "dyndbg=file a.c +p|");
	CHECK_TOKENS("a=\"b\"c d", "a=b\"c|d|");
	/* "--" ends the kernel's parameters; "--=x" does not. */
	CHECK_TOKENS("quiet -- iommu=pt", "quiet|");
	CHECK_TOKENS("-- iommu=pt", "");
	CHECK_TOKENS("\"--\" iommu=pt", "");
	CHECK_TOKENS("--=1 ro", "--=1|ro|");
	CHECK_TOKENS("a --b c", "a|--b|c|");
}

/* The findings of @cmdline, their settings quoted, as "sev:setting|..." */
static void check_findings(const char *cmdline, const char *want, int line)
{
	static const char *const sev[] = {
		"info", "low", "medium", "high", "critical",
	};
	struct finding_list list = {};
	char got[1024] = "", *start, *end;
	const struct finding *f;
	size_t i;

	unit_check_int(cmdline_findings(cmdline, &list), 0, __FILE__, line,
		       "cmdline_findings");
	finding_list_sort(&list);
	for (i = 0; i < list.n; i++) {
		f = &list.items[i];
		/* Every one is a host-wide cmdline-weakening with a fix. */
		unit_check(f->id == PTHRU_HAZARD_ID_CMDLINE_WEAKENING &&
			   f->severity < 5 &&
			   finding_has(f, PTHRU_A_FINDING_MESSAGE) &&
			   finding_has(f, PTHRU_A_FINDING_REMEDIATION) &&
			   !finding_has(f, PTHRU_A_FINDING_ADDR) &&
			   !finding_has(f, PTHRU_A_FINDING_GROUP_ID) &&
			   strstr(f->remediation, FIX_TAIL),
			   __FILE__, line, "a well-formed cmdline finding");
		start = strchr(f->message, '\'');
		end = start ? strchr(start + 1, '\'') : NULL;
		if (!end)
			continue;
		strcat(got, sev[f->severity]);
		strcat(got, ":");
		strncat(got, start + 1, end - start - 1);
		strcat(got, "|");
	}
	unit_check_str(got, want, __FILE__, line, cmdline);
	finding_list_free(&list);
}

#define CHECK_FINDINGS(cmdline, want)	check_findings(cmdline, want, __LINE__)

static void test_cmdline_weakeners(void)
{
	/* Debian's own command lines: nothing. */
	CHECK_FINDINGS("", "");
	CHECK_FINDINGS("BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-amd64 root=UUID=0b1c ro quiet",
		       "");
	CHECK_FINDINGS("console=ttyS0 intel_iommu=on iommu=force panic=-1", "");

	/* Identity default domains, and how they are undone. */
	CHECK_FINDINGS("intel_iommu=on iommu=pt", "high:iommu=pt|");
	CHECK_FINDINGS("iommu=soft,pt", "high:iommu=pt|");
	CHECK_FINDINGS("iommu=pt iommu=nopt", "");
	CHECK_FINDINGS("iommu=nopt iommu=pt", "high:iommu=pt|");
	CHECK_FINDINGS("iommu=pt,nopt", "");
	CHECK_FINDINGS("iommu=ptx", "");
	CHECK_FINDINGS("iommu.passthrough=1", "high:iommu.passthrough=1|");
	CHECK_FINDINGS("iommu.passthrough=Y", "high:iommu.passthrough=Y|");
	CHECK_FINDINGS("iommu.passthrough=on", "high:iommu.passthrough=on|");
	CHECK_FINDINGS("iommu.passthrough=0", "");
	CHECK_FINDINGS("iommu.passthrough=off", "");
	CHECK_FINDINGS("iommu.passthrough", "");
	CHECK_FINDINGS("iommu.passthrough=maybe", "");
	CHECK_FINDINGS("iommu.passthrough=1 iommu=nopt", "");
	CHECK_FINDINGS("iommu=pt iommu.passthrough=0", "");

	/* The IOMMU off. */
	CHECK_FINDINGS("iommu=off", "high:iommu=off|");
	CHECK_FINDINGS("intel_iommu=off", "high:intel_iommu=off|");
	CHECK_FINDINGS("intel_iommu=igfx_off,off", "high:intel_iommu=off|");
	CHECK_FINDINGS("intel_iommu=off intel_iommu=on", "");
	CHECK_FINDINGS("intel_iommu=on,sm_off,igfx_off", "");
	CHECK_FINDINGS("amd_iommu=off", "high:amd_iommu=off|");
	CHECK_FINDINGS("amd_iommu=pgtbl_v2", "");
	CHECK_FINDINGS("IOMMU=off", "");

	/* Lazy invalidation: medium; the deprecated strict options win. */
	CHECK_FINDINGS("iommu.strict=0", "medium:iommu.strict=0|");
	CHECK_FINDINGS("iommu.strict=n", "medium:iommu.strict=n|");
	CHECK_FINDINGS("iommu.strict=1", "");
	CHECK_FINDINGS("iommu.strict=0 iommu.strict=1", "");
	CHECK_FINDINGS("iommu.strict=1 iommu.strict=0", "medium:iommu.strict=0|");
	CHECK_FINDINGS("iommu.strict=0 intel_iommu=strict", "");
	CHECK_FINDINGS("intel_iommu=on,strict iommu.strict=0", "");
	CHECK_FINDINGS("amd_iommu=fullflush iommu.strict=0", "");

	/* ACS overridden or disabled; pci=noats is not a weakener. */
	CHECK_FINDINGS("pcie_acs_override=downstream,multifunction",
		       "high:pcie_acs_override=downstream,multifunction|");
	CHECK_FINDINGS("pcie-acs-override=downstream",
		       "high:pcie-acs-override=downstream|");
	CHECK_FINDINGS("pcie_acs_override", "high:pcie_acs_override|");
	CHECK_FINDINGS("pci=noats", "");
	CHECK_FINDINGS("pci=noats,nomsi,realloc", "");
	CHECK_FINDINGS("pci=noats,disable_acs_redir=0000:01:00.0;0000:02:00.0",
		       "high:pci=disable_acs_redir=0000:01:00.0;0000:02:00.0|");
	CHECK_FINDINGS("pci=config_acs=xx0101@0000:01:00.0",
		       "high:pci=config_acs=xx0101@0000:01:00.0|");
	CHECK_FINDINGS("pci=disable_acs_redir", "");
	CHECK_FINDINGS("pci=\"noats,disable_acs_redir=0000:01:00.0\"",
		       "high:pci=disable_acs_redir=0000:01:00.0|");

	/* Interrupt remapping. */
	CHECK_FINDINGS("intremap=off", "high:intremap=off|");
	CHECK_FINDINGS("nointremap", "high:nointremap|");
	CHECK_FINDINGS("intremap=off intremap=on", "");
	CHECK_FINDINGS("nointremap intremap=on", "");
	CHECK_FINDINGS("intremap=on nointremap", "high:nointremap|");
	CHECK_FINDINGS("intremap=nosid", "high:intremap=nosid|");
	CHECK_FINDINGS("intremap=no_x2apic_optout,nopost", "");

	/* vfio's unsafe interrupts: a bool module parameter. */
	CHECK_FINDINGS("vfio_iommu_type1.allow_unsafe_interrupts=1",
		       "high:vfio_iommu_type1.allow_unsafe_interrupts=1|");
	CHECK_FINDINGS("vfio_iommu_type1.allow_unsafe_interrupts=Y",
		       "high:vfio_iommu_type1.allow_unsafe_interrupts=Y|");
	CHECK_FINDINGS("vfio_iommu_type1.allow_unsafe_interrupts",
		       "high:vfio_iommu_type1.allow_unsafe_interrupts|");
	CHECK_FINDINGS("vfio-iommu-type1.allow-unsafe-interrupts=1",
		       "high:vfio-iommu-type1.allow-unsafe-interrupts=1|");
	CHECK_FINDINGS("vfio_iommu_type1.allow_unsafe_interrupts=0", "");
	CHECK_FINDINGS("vfio_iommu_type1.allow_unsafe_interrupts=N", "");
	CHECK_FINDINGS("allow_unsafe_interrupts=1", "");
	CHECK_FINDINGS("vfio_pci.allow_unsafe_interrupts=1", "");

	/*
	 * Quoting, init's arguments, and several at once: worst first, then
	 * in the order of their messages.
	 */
	CHECK_FINDINGS("\"iommu=pt\"", "high:iommu=pt|");
	CHECK_FINDINGS("iommu=\"pt\"", "high:iommu=pt|");
	CHECK_FINDINGS("quiet -- iommu=pt nointremap", "");
	CHECK_FINDINGS("iommu.strict=0 nointremap iommu=pt pcie_acs_override=downstream",
		       "high:iommu=pt|high:nointremap|high:pcie_acs_override=downstream|medium:iommu.strict=0|");
}

static void test_cmdline_text(void)
{
	struct finding_list list = {};
	char cmdline[400] = "pcie_acs_override=";
	const struct finding *f;

	CHECK_INT(cmdline_findings("ro iommu=pt", &list), 0);
	CHECK_INT(list.n, 1);
	f = &list.items[0];
	CHECK_STR(f->message,
		  "kernel command line has 'iommu=pt': the default domain is identity: DMA of devices on host drivers bypasses the IOMMU");
	CHECK_STR(f->remediation, "remove 'iommu=pt'" FIX_TAIL);
	finding_list_free(&list);

	CHECK_INT(cmdline_findings("iommu.strict=0", &list), 0);
	CHECK_STR(list.items[0].remediation,
		  "remove 'iommu.strict=0' (or set iommu.strict=1)" FIX_TAIL);
	finding_list_free(&list);

	/* A very long setting is cut, never the finding dropped. */
	memset(cmdline + strlen(cmdline), 'x', 300);
	CHECK_INT(cmdline_findings(cmdline, &list), 0);
	CHECK_INT(list.n, 1);
	f = &list.items[0];
	CHECK(strstr(f->message, "'pcie_acs_override=xxx") != NULL);
	CHECK(strstr(f->message, "xxx...': the ACS override") != NULL);
	CHECK(strlen(f->message) < 300);
	finding_list_free(&list);
}

static void test_cmdline_read(void)
{
	char path[] = "/tmp/pthructl-cmdline-XXXXXX";
	char *text = NULL;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fputs("BOOT_IMAGE=/vmlinuz iommu=pt\n", f);
	fclose(f);
	CHECK_INT(cmdline_read(path, &text), 0);
	CHECK_STR(text, "BOOT_IMAGE=/vmlinuz iommu=pt");
	free(text);

	f = fopen(path, "w");
	fclose(f);
	CHECK_INT(cmdline_read(path, &text), 0);
	CHECK_STR(text, "");
	free(text);
	unlink(path);

	CHECK_INT(cmdline_read(path, &text), -ENOENT);
	CHECK(text == NULL);
	CHECK_INT(cmdline_read("/", &text), -EISDIR);

	unsetenv(CMDLINE_ENV);
	CHECK_STR(cmdline_path(), "/proc/cmdline");
	setenv(CMDLINE_ENV, "", 1);
	CHECK_STR(cmdline_path(), "/proc/cmdline");
	setenv(CMDLINE_ENV, path, 1);
	CHECK_STR(cmdline_path(), path);
	unsetenv(CMDLINE_ENV);

	/* The real one, when this host has it. */
	if (!access("/proc/cmdline", R_OK)) {
		CHECK_INT(cmdline_read("/proc/cmdline", &text), 0);
		CHECK(text && !strchr(text, '\n'));
		free(text);
	}
}

void test_cmdline(void)
{
	test_cmdline_tokens();
	test_cmdline_weakeners();
	test_cmdline_text();
	test_cmdline_read();
}
