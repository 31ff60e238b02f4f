/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A finding as the pthru family reports it (the "finding" attribute set,
 * nested in hazard-get replies and hazard-*-ntf events), or as pthructl
 * derives it itself (cmdline-weakening), and the lists of findings that
 * audit, hazard and check print.
 */
#ifndef PTHRUCTL_FINDING_H
#define PTHRUCTL_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "json.h"
#include "pciaddr.h"

/*
 * The module's messages are at most 191 bytes; remediations are fixed
 * sentences.  A longer text is a malformed reply, not something to cut.
 */
#define FINDING_TEXT_MAX	512

/* Number of severities this version knows: info .. critical. */
#define SEVERITY_COUNT		5

/* Driver names in findings, as DEV_DRIVER_MAX. */
#define FINDING_DRIVER_MAX	128

struct finding {
	uint64_t present;	/* bit N: attribute PTHRU_A_FINDING_N was sent */
	uint32_t id;		/* enum pthru_hazard_id; 0: no stable ID */
	const char *name;	/* for id 0: what to call it, as "bridge" */
	uint32_t severity;	/* enum pthru_severity */
	char addr[PCI_ADDR_STRLEN];
	uint32_t group_id;
	char message[FINDING_TEXT_MAX];
	char remediation[FINDING_TEXT_MAX];
	/*
	 * The typed facts, each valid only when its bit in @present is set:
	 * which ones a finding has depends on its kind (the spec's finding
	 * attribute set says which).
	 */
	char hop[PCI_ADDR_STRLEN];
	uint32_t hop_kind;		/* enum pthru_p2p_hop */
	uint32_t acs_pos;
	uint32_t acs_ctrl;
	uint32_t acs_ctrl_baseline;
	uint32_t acs_needed;
	uint32_t reach_count;
	char peer[PCI_ADDR_STRLEN];
	uint32_t peer_group_id;
	uint32_t isolation_group;
	char driver[FINDING_DRIVER_MAX];
	char peer_driver[FINDING_DRIVER_MAX];
	uint32_t region_type;		/* enum pthru_resv_type */
	uint64_t region_start;
	uint64_t region_end;
	uint32_t domain_id;
	uint64_t iova;
	uint64_t count;
	uint32_t domains;
	uint32_t memory_kind;		/* enum pthru_memory_kind */
	uint64_t phys;			/* CAP_SYS_ADMIN callers of hazard-get only */
	uint64_t phys_expected;
};

static inline bool finding_has(const struct finding *f, uint16_t attr)
{
	return attr < 64 && (f->present & (1ULL << attr));
}

struct finding_list {
	struct finding *items;
	size_t n;
	size_t cap;
};

/* One hazard-get dump message or hazard-*-ntf event: one finding each. */
struct hazard_msg {
	bool has_generation;
	uint32_t generation;
	unsigned int n_findings;	/* finding nests it carried */
};

/*
 * Parse one finding nest.  The id and severity are required; returns 0,
 * or -EBADMSG with *@bad_type naming the malformed attribute.
 */
int finding_parse(const struct nlattr *nest, struct finding *f,
		  uint16_t *bad_type);

/*
 * Parse a hazard-get dump message or hazard event: its generation into
 * @msg and its finding nest appended to @list (every one, should a message
 * carry more than the one the protocol sends).  Returns 0, -ENOMEM, or -EBADMSG
 * with *@bad_type naming the malformed attribute (of the message, or
 * PTHRU_A_HAZARD_FINDING for a malformed nest).
 */
int hazard_msg_parse(const struct nlmsghdr *nlh, struct hazard_msg *msg,
		     struct finding_list *list, uint16_t *bad_type);

/* Append a copy of @f; 0 or -ENOMEM. */
int finding_list_add(struct finding_list *list, const struct finding *f);
void finding_list_free(struct finding_list *list);

/*
 * Worst first: severity (an unknown, newer one above critical), then id,
 * host-wide before group before function, group id, address, message.
 */
void finding_list_sort(struct finding_list *list);

/* Findings per severity (info .. critical); unknown ones only in @total. */
void finding_list_count(const struct finding_list *list,
			size_t counts[SEVERITY_COUNT], size_t *total);

/*
 * Is any finding at or above @threshold (an enum pthru_severity)?
 * A severity this version does not know counts as above critical, so a
 * newer module's findings never pass silently.
 */
bool finding_list_reaches(const struct finding_list *list, uint32_t threshold);

/*
 * Write @f as the JSON finding object of the output contract (schema 2):
 * {"id":"PTHRU-006","name":"acs-missing","severity":"high",
 *  "addr":"0000:04:00.0"|null,"group":7|null,"message":..,"remediation":..,
 * then every typed fact, null when the finding does not have it:
 *  "hop","hop_kind","acs_pos","acs_ctrl","acs_ctrl_baseline","acs_needed",
 *  "reach_count","peer","peer_group_id","isolation_group","driver",
 *  "peer_driver","region_type","region_start","region_end","domain_id",
 *  "iova","count","domains","memory_kind","phys","phys_expected"}
 * Registers are "%04x" strings and addresses "0x%016x" strings, as in the
 * dev, group and map documents; counts and ids are numbers.
 * An id of 0 (a reason pthructl states itself) is null.
 */
void finding_json(struct json *j, const char *key, const struct finding *f);

/* The findings of @list as the JSON array @key. */
void finding_list_json(struct json *j, const char *key,
		       const struct finding_list *list);

/* The spec's name of its id ("acs-missing"), or @name for id 0. */
const char *finding_name(const struct finding *f);

/* What a finding is about: its address, "group N", or "host". */
const char *finding_subject(const struct finding *f, char *buf, size_t len);

/* Column widths that align the name and subject of findings' lines. */
struct finding_widths {
	int name;
	int subject;
};

void finding_widths_init(struct finding_widths *w);
void finding_widths_add(struct finding_widths *w, const struct finding *f);

/*
 * Two lines: "@indent@prefixPTHRU-006 acs-missing  0000:04:00.0  MESSAGE"
 * and "@indent  fix: REMEDIATION" (left out when there is none).
 */
void finding_print_text(FILE *out, const struct finding *f,
			const struct finding_widths *w, const char *indent,
			const char *prefix);

#endif /* PTHRUCTL_FINDING_H */
