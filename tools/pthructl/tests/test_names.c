// SPDX-License-Identifier: GPL-2.0
/*
 * Enum names: the words of the output contract, and unknown values.
 */
#include <errno.h>

#include <linux/pthru.h>

#include "names.h"
#include "unit.h"

static void test_enum_names(void)
{
	char buf[16];

	CHECK_STR(domain_type_name(PTHRU_DOMAIN_TYPE_NONE), "none");
	CHECK_STR(domain_type_name(PTHRU_DOMAIN_TYPE_BLOCKED), "blocked");
	CHECK_STR(domain_type_name(PTHRU_DOMAIN_TYPE_IDENTITY), "identity");
	CHECK_STR(domain_type_name(PTHRU_DOMAIN_TYPE_UNMANAGED), "unmanaged");
	CHECK_STR(domain_type_name(PTHRU_DOMAIN_TYPE_DMA), "DMA");
	CHECK_STR(domain_type_name(PTHRU_DOMAIN_TYPE_DMA_FQ), "DMA-FQ");
	CHECK_STR(domain_type_name(PTHRU_DOMAIN_TYPE_UNKNOWN), "unknown");
	CHECK_STR(domain_type_name(200), "unknown");

	CHECK_STR(resv_type_name(PTHRU_RESV_TYPE_DIRECT), "direct");
	CHECK_STR(resv_type_name(PTHRU_RESV_TYPE_DIRECT_RELAXABLE),
		  "direct-relaxable");
	CHECK_STR(resv_type_name(PTHRU_RESV_TYPE_RESERVED), "reserved");
	CHECK_STR(resv_type_name(PTHRU_RESV_TYPE_MSI), "msi");
	CHECK_STR(resv_type_name(PTHRU_RESV_TYPE_SW_MSI), "sw-msi");
	CHECK_STR(resv_type_name(5), "unknown");

	CHECK_STR(tristate_name(PTHRU_TRISTATE_NO), "no");
	CHECK_STR(tristate_name(PTHRU_TRISTATE_YES), "yes");
	CHECK_STR(tristate_name(PTHRU_TRISTATE_UNKNOWN), "unknown");
	CHECK_STR(tristate_name(3), "unknown");

	CHECK_STR(pcie_type_name(0, buf, sizeof(buf)), "endpoint");
	CHECK_STR(pcie_type_name(1, buf, sizeof(buf)), "legacy-endpoint");
	CHECK_STR(pcie_type_name(4, buf, sizeof(buf)), "root-port");
	CHECK_STR(pcie_type_name(5, buf, sizeof(buf)), "upstream-port");
	CHECK_STR(pcie_type_name(6, buf, sizeof(buf)), "downstream-port");
	CHECK_STR(pcie_type_name(7, buf, sizeof(buf)), "pcie-to-pci-bridge");
	CHECK_STR(pcie_type_name(8, buf, sizeof(buf)), "pci-to-pcie-bridge");
	CHECK_STR(pcie_type_name(9, buf, sizeof(buf)), "rc-integrated");
	CHECK_STR(pcie_type_name(10, buf, sizeof(buf)), "rc-event-collector");
	CHECK_STR(pcie_type_name(2, buf, sizeof(buf)), "type-2");
	CHECK_STR(pcie_type_name(3, buf, sizeof(buf)), "type-3");
	CHECK_STR(pcie_type_name(11, buf, sizeof(buf)), "type-11");
	CHECK_STR(pcie_type_name(255, buf, sizeof(buf)), "type-255");
}

static void test_severity_names(void)
{
	static const char *const words[] = {
		"info", "low", "medium", "high", "critical",
	};
	uint8_t sev, i;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		CHECK_STR(severity_name(i), words[i]);
		sev = 99;
		CHECK_INT(severity_parse(words[i], &sev), 0);
		CHECK_INT(sev, i);
	}
	CHECK_INT(PTHRU_SEVERITY_CRITICAL, 4);
	CHECK_STR(severity_name(5), "unknown");
	CHECK_STR(severity_name(255), "unknown");

	/* Any case; nothing else: no prefixes, numbers, blanks or "none". */
	CHECK_INT(severity_parse("HIGH", &sev), 0);
	CHECK_INT(sev, PTHRU_SEVERITY_HIGH);
	CHECK_INT(severity_parse("Medium", &sev), 0);
	CHECK_INT(sev, PTHRU_SEVERITY_MEDIUM);
	sev = 77;
	CHECK_INT(severity_parse("hi", &sev), -EINVAL);
	CHECK_INT(severity_parse("highest", &sev), -EINVAL);
	CHECK_INT(severity_parse("3", &sev), -EINVAL);
	CHECK_INT(severity_parse("", &sev), -EINVAL);
	CHECK_INT(severity_parse(" high", &sev), -EINVAL);
	CHECK_INT(severity_parse("none", &sev), -EINVAL);
	CHECK_INT(severity_parse("unknown", &sev), -EINVAL);
	CHECK_INT(sev, 77);
}

static void test_hazard_names(void)
{
	static const char *const spec[] = {
		NULL, "iommu-absent", "default-passthrough", "no-group",
		"identity-domain", "group-narrower", "acs-missing",
		"acs-changed", "direct-region", "relaxable-region",
		"no-isolated-msi", "unsafe-interrupts", "group-not-viable",
		"ats-exposed", "lazy-invalidation", "cmdline-weakening",
		"map-disagrees", "stale-translation", "identity-over-ram",
		"kernel-memory-mapped", "superpage-overreach",
		"shadow-incomplete", "acs-quirk", "topology-unknown",
	};
	char buf[HAZARD_ID_STRLEN];
	uint16_t id;

	/* The numeric values are the stable IDs: they must never move. */
	CHECK_INT(PTHRU_HAZARD_ID_IOMMU_ABSENT, 1);
	CHECK_INT(PTHRU_HAZARD_ID_ACS_MISSING, 6);
	CHECK_INT(PTHRU_HAZARD_ID_CMDLINE_WEAKENING, 15);
	CHECK_INT(PTHRU_HAZARD_ID_MAP_DISAGREES, 16);
	CHECK_INT(PTHRU_HAZARD_ID_SHADOW_INCOMPLETE, 21);
	CHECK_INT(PTHRU_HAZARD_ID_ACS_QUIRK, 22);
	CHECK_INT(PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN, 23);
	for (id = 1; id < ARRAY_SIZE(spec); id++)
		CHECK_STR(hazard_name(id), spec[id]);
	CHECK_STR(hazard_name(0), "unknown");
	CHECK_STR(hazard_name(24), "unknown");
	CHECK_STR(hazard_name(65535), "unknown");

	CHECK_STR(hazard_id_text(6, buf, sizeof(buf)), "PTHRU-006");
	CHECK_STR(hazard_id_text(15, buf, sizeof(buf)), "PTHRU-015");
	CHECK_STR(hazard_id_text(1000, buf, sizeof(buf)), "PTHRU-1000");
	CHECK_STR(hazard_id_text(65535, buf, sizeof(buf)), "PTHRU-65535");
}

void test_names(void)
{
	test_enum_names();
	test_severity_names();
	test_hazard_names();
}
