// SPDX-License-Identifier: GPL-2.0
/*
 * The words for the values the pthru family reports as numbers, and which
 * drivers hand a device's DMA away.  They are the module's own, from its
 * core (kmod/core, built into the tool), so the tool and the module cannot
 * drift apart.  What this file adds is only how the tool shows a value the
 * core has no word for.
 */
#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include <linux/pthru.h>

#include <core/hazard.h>
#include <core/mapcheck.h>
#include <core/names.h>
#include <core/policy.h>
#include <core/reach.h>

#include "names.h"
#include "policy_lang.h"

/*
 * The core has enumerations of its own where the family has one; the
 * module sends the core's values as they are (kmod/nl_fill.c), and the
 * tool names the family's values with the core's words.
 */
#define SAME_VALUE(core, family) \
	static_assert((long long)(core) == (long long)(family))

SAME_VALUE(PTHRU_HOP_FUNCTION, PTHRU_P2P_HOP_FUNCTION);
SAME_VALUE(PTHRU_HOP_DOWNSTREAM, PTHRU_P2P_HOP_DOWNSTREAM);
SAME_VALUE(PTHRU_HOP_ROOT, PTHRU_P2P_HOP_ROOT);
SAME_VALUE(PTHRU_HOP_PCI_BUS, PTHRU_P2P_HOP_PCI_BUS);
SAME_VALUE(PTHRU_HOP_UNKNOWN, PTHRU_P2P_HOP_UNCLASSIFIED);
SAME_VALUE(PTHRU_PHYS_NOT_RAM, PTHRU_MEMORY_KIND_NOT_RAM);
SAME_VALUE(PTHRU_PHYS_USER, PTHRU_MEMORY_KIND_USER);
SAME_VALUE(PTHRU_PHYS_UNKNOWN, PTHRU_MEMORY_KIND_UNKNOWN);
SAME_VALUE(PTHRU_PHYS_RESERVED, PTHRU_MEMORY_KIND_RESERVED);
SAME_VALUE(PTHRU_PHYS_SLAB, PTHRU_MEMORY_KIND_SLAB);
SAME_VALUE(PTHRU_PHYS_FREE, PTHRU_MEMORY_KIND_FREE);
SAME_VALUE(PTHRU_POLICY_ACTION_DENY, PTHRU_ACTION_DENY);
SAME_VALUE(PTHRU_POLICY_ACTION_ALLOW, PTHRU_ACTION_ALLOW);
SAME_VALUE(PTHRU_POLICY_REQ_ACS_ISOLATED, PTHRU_REQUIREMENT_ACS_ISOLATED);
SAME_VALUE(PTHRU_POLICY_REQ_TRANSLATED, PTHRU_REQUIREMENT_TRANSLATED);
SAME_VALUE(PTHRU_POLICY_REQ_STRICT_INVALIDATION,
	   PTHRU_REQUIREMENT_STRICT_INVALIDATION);
SAME_VALUE(PTHRU_POLICY_REQ_NO_ATS, PTHRU_REQUIREMENT_NO_ATS);
SAME_VALUE(PTHRU_POLICY_REQ_ISOLATED_MSI, PTHRU_REQUIREMENT_ISOLATED_MSI);
SAME_VALUE(PTHRU_POLICY_REQ_NO_DIRECT_REGIONS,
	   PTHRU_REQUIREMENT_NO_DIRECT_REGIONS);
SAME_VALUE(PTHRU_POLICY_REQ_VIABLE_GROUP, PTHRU_REQUIREMENT_VIABLE_GROUP);

const char *domain_type_name(uint32_t type)
{
	return pthru_domain_type_name(type);
}

const char *resv_type_name(uint32_t type)
{
	return pthru_resv_type_name(type);
}

const char *tristate_name(uint32_t val)
{
	return pthru_tristate_name(val);
}

const char *pcie_type_name(uint32_t type, char *buf, size_t len)
{
	const char *name = type <= U8_MAX ? pthru_pcie_type_name(type) : NULL;

	if (name)
		return name;
	snprintf(buf, len, "type-%u", type);
	return buf;
}

const char *severity_name(uint32_t severity)
{
	return pthru_severity_name(severity);
}

int severity_parse(const char *s, uint8_t *severity)
{
	uint8_t i;

	for (i = PTHRU_SEVERITY_INFO; i <= PTHRU_SEVERITY_CRITICAL; i++) {
		if (!strcasecmp(s, pthru_severity_name(i))) {
			*severity = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *hazard_name(uint32_t id)
{
	return pthru_hazard_name(id);
}

const char *hazard_id_text(uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "PTHRU-%03u", id);
	return buf;
}

/*
 * The core also names the hop that only forwards upstream, which the
 * module never sends: past the family's last hop kind is a newer module's.
 */
const char *hop_kind_name(uint32_t kind)
{
	if (kind > PTHRU_P2P_HOP_UNCLASSIFIED)
		return "unknown";
	return pthru_hop_kind_name(kind);
}

const char *memory_kind_name(uint32_t kind)
{
	return pthru_phys_kind_name(kind);
}

const char *policy_req_name(uint32_t bit)
{
	if (!bit || (bit & (bit - 1)) || (bit & ~PTHRU_POLICY_REQ_ALL))
		return NULL;
	return pthru_policy_req_name(bit);
}

const char *policy_action_name(uint32_t action)
{
	return pthru_policy_action_name(action);
}

bool policy_driver_is_passthrough(const char *driver)
{
	return pthru_driver_is_passthrough(driver);
}
