// SPDX-License-Identifier: GPL-2.0
/*
 * Enum names: the words of the output contract, and unknown values.
 */
#include <linux/pthru.h>

#include "names.h"
#include "unit.h"

void test_names(void)
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
