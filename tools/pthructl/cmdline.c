// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel command-line settings that weaken IOMMU isolation.
 *
 * Only settings whose effect is unambiguous are reported: the IOMMU or
 * interrupt remapping turned off, identity default domains, lazy IOTLB
 * invalidation, ACS overridden or disabled, and vfio's unsafe interrupts.
 * Options that tune without weakening (pci=noats, intel_iommu=sm_off, ...)
 * are not.  The settings are applied in order, as the kernel applies them,
 * so that a later "iommu=nopt" undoes an earlier "iommu=pt".
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "cmdline.h"
#include "pthructl.h"

/* /proc/cmdline is at most a few KiB; anything this big is not one. */
#define CMDLINE_MAX_SIZE	(1 << 20)

/* A setting quoted in a finding; a longer one is cut with "...". */
#define CMDLINE_SETTING_MAX	128

/* What a setting weakens; each yields at most one finding. */
enum cmdline_slot {
	SLOT_PASSTHROUGH,
	SLOT_IOMMU_OFF,
	SLOT_INTEL_OFF,
	SLOT_AMD_OFF,
	SLOT_LAZY,
	SLOT_ACS_OVERRIDE,
	SLOT_ACS_REDIR,
	SLOT_CONFIG_ACS,
	SLOT_INTREMAP_OFF,
	SLOT_NOSID,
	SLOT_UNSAFE_INTR,
	NR_SLOTS,
};

/* How a rule matches the value of its parameter. */
enum cmdline_match {
	MATCH_ANY,		/* any value, or none */
	MATCH_TRUE,		/* a value kstrtobool() reads as true */
	MATCH_FALSE,		/* a value kstrtobool() reads as false */
	MATCH_BOOL_PARAM_TRUE,	/* as MATCH_TRUE, and no value means true */
	MATCH_BOOL_PARAM_FALSE,
	MATCH_OPTION,		/* one word of a comma-separated list */
	MATCH_OPTION_PREFIX,	/* a list item starting with @option */
};

enum cmdline_effect {
	WEAKEN,		/* the setting weakens isolation */
	RESTORE,	/* it undoes an earlier weakening setting */
	PIN,		/* it restores isolation whatever comes before or after */
};

struct cmdline_rule {
	const char *param;	/* '-' and '_' are alike, as for the kernel */
	enum cmdline_match match;
	const char *option;	/* for MATCH_OPTION and _PREFIX */
	enum cmdline_slot slot;
	enum cmdline_effect effect;
};

static const struct cmdline_rule cmdline_rules[] = {
	{ "iommu", MATCH_OPTION, "pt", SLOT_PASSTHROUGH, WEAKEN },
	{ "iommu", MATCH_OPTION, "nopt", SLOT_PASSTHROUGH, RESTORE },
	{ "iommu", MATCH_OPTION, "off", SLOT_IOMMU_OFF, WEAKEN },
	{ "iommu.passthrough", MATCH_TRUE, NULL, SLOT_PASSTHROUGH, WEAKEN },
	{ "iommu.passthrough", MATCH_FALSE, NULL, SLOT_PASSTHROUGH, RESTORE },
	{ "iommu.strict", MATCH_FALSE, NULL, SLOT_LAZY, WEAKEN },
	{ "iommu.strict", MATCH_TRUE, NULL, SLOT_LAZY, RESTORE },
	{ "intel_iommu", MATCH_OPTION, "off", SLOT_INTEL_OFF, WEAKEN },
	{ "intel_iommu", MATCH_OPTION, "on", SLOT_INTEL_OFF, RESTORE },
	/*
	 * The deprecated strict options are __setup() handlers, run after
	 * every early parameter such as iommu.strict, and force strict mode.
	 */
	{ "intel_iommu", MATCH_OPTION, "strict", SLOT_LAZY, PIN },
	{ "amd_iommu", MATCH_OPTION, "off", SLOT_AMD_OFF, WEAKEN },
	{ "amd_iommu", MATCH_OPTION, "fullflush", SLOT_LAZY, PIN },
	{ "pcie_acs_override", MATCH_ANY, NULL, SLOT_ACS_OVERRIDE, WEAKEN },
	{ "pci", MATCH_OPTION_PREFIX, "disable_acs_redir=", SLOT_ACS_REDIR,
	  WEAKEN },
	{ "pci", MATCH_OPTION_PREFIX, "config_acs=", SLOT_CONFIG_ACS, WEAKEN },
	{ "intremap", MATCH_OPTION, "off", SLOT_INTREMAP_OFF, WEAKEN },
	{ "intremap", MATCH_OPTION, "on", SLOT_INTREMAP_OFF, RESTORE },
	{ "intremap", MATCH_OPTION, "nosid", SLOT_NOSID, WEAKEN },
	{ "nointremap", MATCH_ANY, NULL, SLOT_INTREMAP_OFF, WEAKEN },
	{ "vfio_iommu_type1.allow_unsafe_interrupts", MATCH_BOOL_PARAM_TRUE,
	  NULL, SLOT_UNSAFE_INTR, WEAKEN },
	{ "vfio_iommu_type1.allow_unsafe_interrupts", MATCH_BOOL_PARAM_FALSE,
	  NULL, SLOT_UNSAFE_INTR, RESTORE },
};

/*
 * What each slot means.  The remediation reads "remove 'SETTING'@alternative
 * from the kernel command line ... and reboot@advice".
 */
static const struct {
	uint8_t severity;
	const char *fact;
	const char *alternative;
	const char *advice;
} cmdline_slots[NR_SLOTS] = {
	[SLOT_PASSTHROUGH] = { PTHRU_SEVERITY_HIGH,
		"the default domain is identity: DMA of devices on host drivers bypasses the IOMMU",
		"", "" },
	[SLOT_IOMMU_OFF] = { PTHRU_SEVERITY_HIGH,
		"the IOMMU is off: no device's DMA is translated", "", "" },
	[SLOT_INTEL_OFF] = { PTHRU_SEVERITY_HIGH,
		"Intel VT-d is off: no device's DMA is translated", "", "" },
	[SLOT_AMD_OFF] = { PTHRU_SEVERITY_HIGH,
		"AMD-Vi is off: no device's DMA is translated", "", "" },
	[SLOT_LAZY] = { PTHRU_SEVERITY_MEDIUM,
		"IOTLB invalidation is lazy: a device can use stale translations of freed pages",
		" (or set iommu.strict=1)", "" },
	[SLOT_ACS_OVERRIDE] = { PTHRU_SEVERITY_HIGH,
		"the ACS override makes IOMMU groups narrower than the hardware isolates",
		"", "; assign whole hardware isolation groups" },
	[SLOT_ACS_REDIR] = { PTHRU_SEVERITY_HIGH,
		"ACS redirection is disabled on the listed ports: peer-to-peer requests bypass the IOMMU",
		"", "" },
	[SLOT_CONFIG_ACS] = { PTHRU_SEVERITY_HIGH,
		"ACS controls of the listed devices are overridden and can let peer-to-peer requests bypass the IOMMU",
		"", "" },
	[SLOT_INTREMAP_OFF] = { PTHRU_SEVERITY_HIGH,
		"interrupt remapping is off: a device can forge MSIs", "", "" },
	[SLOT_NOSID] = { PTHRU_SEVERITY_HIGH,
		"interrupt source-id checking is off: a device can raise another device's interrupts",
		"", "" },
	[SLOT_UNSAFE_INTR] = { PTHRU_SEVERITY_HIGH,
		"vfio assigns devices without interrupt remapping: an assigned device can forge MSIs",
		"", "" },
};

struct cmdline_state {
	bool weak[NR_SLOTS];
	bool pinned[NR_SLOTS];
	char setting[NR_SLOTS][CMDLINE_SETTING_MAX];
};

const char *cmdline_path(void)
{
	const char *path = getenv(CMDLINE_ENV);

	return path && *path ? path : CMDLINE_DEFAULT_PATH;
}

int cmdline_read(const char *path, char **text)
{
	size_t len = 0, cap = 4096, n;
	char *buf, *grown;
	FILE *f;
	int err = 0;

	*text = NULL;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	buf = malloc(cap);
	errno = 0;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 < cap)
			continue;
		if (cap >= CMDLINE_MAX_SIZE) {
			err = -EFBIG;
			break;
		}
		cap *= 2;
		grown = realloc(buf, cap);
		if (!grown)
			free(buf);
		buf = grown;
	}
	if (!buf)
		err = -ENOMEM;
	else if (!err && ferror(f))
		err = errno ? -errno : -EIO;
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	*text = buf;
	return 0;
}

static char *skip_spaces(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* lib/cmdline.c next_arg(), including its handling of quotes. */
static char *next_arg(char *args, char **param, char **val)
{
	unsigned int i, equals = 0;
	bool in_quote = false, quoted = false;

	if (*args == '"') {
		args++;
		in_quote = true;
		quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (isspace((unsigned char)args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}

	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		/* Don't include quotes in the value. */
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';

	if (args[i]) {
		args[i] = '\0';
		args += i + 1;
	} else {
		args += i;
	}
	return skip_spaces(args);
}

bool cmdline_next(char **args, char **param, char **val)
{
	*args = skip_spaces(*args);
	if (!**args)
		return false;
	*args = next_arg(*args, param, val);
	/* parse_args() stops here: the rest is init's. */
	return *val || strcmp(*param, "--");
}

/* Parameter names compare with '-' and '_' alike (the kernel's parameq). */
static bool param_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char ca = *a == '-' ? '_' : *a;
		char cb = *b == '-' ? '_' : *b;

		if (ca != cb)
			return false;
		if (!ca)
			return true;
	}
}

/* As the kernel's kstrtobool(): 1 true, 0 false, -1 not a boolean. */
static int parse_bool(const char *s)
{
	if (!s)
		return -1;
	if (s[0] && strchr("yYtT1", s[0]))
		return 1;
	if (s[0] && strchr("nNfF0", s[0]))
		return 0;
	if (s[0] == 'o' || s[0] == 'O') {
		if (s[1] == 'n' || s[1] == 'N')
			return 1;
		if (s[1] == 'f' || s[1] == 'F')
			return 0;
	}
	return -1;
}

/* Record @text as the setting of @slot, cut with "..." when too long. */
static void cmdline_note(struct cmdline_state *st, enum cmdline_slot slot,
			 const char *param, const char *sep, const char *text)
{
	char *dst = st->setting[slot];
	int n;

	n = snprintf(dst, CMDLINE_SETTING_MAX, "%s%s%s", param, sep,
		     text ? text : "");
	if (n >= CMDLINE_SETTING_MAX)
		memcpy(dst + CMDLINE_SETTING_MAX - 4, "...", 4);
}

static void cmdline_apply(struct cmdline_state *st,
			  const struct cmdline_rule *rule, const char *param,
			  const char *val)
{
	enum cmdline_slot slot = rule->slot;

	switch (rule->effect) {
	case WEAKEN:
		if (st->pinned[slot])
			return;
		st->weak[slot] = true;
		cmdline_note(st, slot, param, val ? "=" : "", val);
		break;
	case RESTORE:
		st->weak[slot] = false;
		break;
	case PIN:
		st->weak[slot] = false;
		st->pinned[slot] = true;
		break;
	}
}

/* The rules of @param that match its whole value. */
static void cmdline_match_value(struct cmdline_state *st, const char *param,
				const char *val)
{
	const struct cmdline_rule *rule;
	int truth = parse_bool(val);
	int param_truth = val ? truth : 1;	/* a bare bool param is set */
	bool hit;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmdline_rules); i++) {
		rule = &cmdline_rules[i];
		if (!param_eq(param, rule->param))
			continue;
		switch (rule->match) {
		case MATCH_ANY:
			hit = true;
			break;
		case MATCH_TRUE:
			hit = truth == 1;
			break;
		case MATCH_FALSE:
			hit = truth == 0;
			break;
		case MATCH_BOOL_PARAM_TRUE:
			hit = param_truth == 1;
			break;
		case MATCH_BOOL_PARAM_FALSE:
			hit = param_truth == 0;
			break;
		default:
			hit = false;
			break;
		}
		if (hit)
			cmdline_apply(st, rule, param, val);
	}
}

/* The rules of @param that match one item of its comma-separated list. */
static void cmdline_match_option(struct cmdline_state *st, const char *param,
				 const char *item)
{
	const struct cmdline_rule *rule;
	bool hit;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmdline_rules); i++) {
		rule = &cmdline_rules[i];
		if (!param_eq(param, rule->param))
			continue;
		if (rule->match == MATCH_OPTION)
			hit = !strcmp(item, rule->option);
		else if (rule->match == MATCH_OPTION_PREFIX)
			hit = !strncmp(item, rule->option,
				       strlen(rule->option));
		else
			hit = false;
		if (hit)
			cmdline_apply(st, rule, param, item);
	}
}

/* Whole-value rules first: the list is then split in place. */
static void cmdline_match(struct cmdline_state *st, const char *param,
			  char *val)
{
	char *item, *rest;

	cmdline_match_value(st, param, val);
	if (!val)
		return;
	for (rest = val; rest;) {
		item = rest;
		rest = strchr(rest, ',');
		if (rest)
			*rest++ = '\0';
		if (*item)
			cmdline_match_option(st, param, item);
	}
}

static int cmdline_emit(const struct cmdline_state *st,
			struct finding_list *list)
{
	struct finding *f;
	unsigned int slot;
	int err = 0;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	for (slot = 0; slot < NR_SLOTS && !err; slot++) {
		if (!st->weak[slot])
			continue;
		memset(f, 0, sizeof(*f));
		f->id = PTHRU_HAZARD_ID_CMDLINE_WEAKENING;
		f->severity = cmdline_slots[slot].severity;
		f->present = 1U << PTHRU_A_FINDING_ID |
			     1U << PTHRU_A_FINDING_SEVERITY |
			     1U << PTHRU_A_FINDING_MESSAGE |
			     1U << PTHRU_A_FINDING_REMEDIATION;
		snprintf(f->message, sizeof(f->message),
			 "kernel command line has '%s': %s", st->setting[slot],
			 cmdline_slots[slot].fact);
		snprintf(f->remediation, sizeof(f->remediation),
			 "remove '%s'%s from the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) and reboot%s",
			 st->setting[slot], cmdline_slots[slot].alternative,
			 cmdline_slots[slot].advice);
		err = finding_list_add(list, f);
	}
	free(f);
	return err;
}

int cmdline_findings(const char *cmdline, struct finding_list *list)
{
	struct cmdline_state *st;
	char *copy, *args, *param, *val;
	int err = -ENOMEM;

	copy = strdup(cmdline);
	st = calloc(1, sizeof(*st));
	if (!copy || !st)
		goto out;
	args = copy;
	while (cmdline_next(&args, &param, &val))
		cmdline_match(st, param, val);
	err = cmdline_emit(st, list);
out:
	free(st);
	free(copy);
	return err;
}
