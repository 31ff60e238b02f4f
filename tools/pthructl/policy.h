/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bind policy as the pthru family carries it: the policy attribute
 * set (policy-get replies, policy-change events), rule nests to and from
 * struct policy_rule, decisions (policy-test replies, decision events),
 * and the text and JSON the policy command prints from them.  Nothing
 * here opens a socket; the commands are in policy_cmd.c.
 */
#ifndef PTHRUCTL_POLICY_H
#define PTHRUCTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "dev.h"
#include "json.h"
#include "names.h"
#include "pciaddr.h"
#include "policy_lang.h"

/* Room for every requirement name, comma-separated, and "unknown"s. */
#define POLICY_REQS_STRLEN	160
/* "vendor 0x1af4 ... driver NAME": every match field at its longest. */
#define POLICY_MATCH_STRLEN	256
/* A bigger policy file is refused before it is parsed. */
#define POLICY_FILE_MAX		(1 << 20)
/* The driver "policy test" evaluates binds to unless told otherwise. */
#define POLICY_TEST_DRIVER	"vfio-pci"

/* A policy-get (or policy-set / policy-replace) reply or a policy-change. */
struct policy_info {
	uint32_t present;	/* bit N: attribute PTHRU_A_POLICY_N was sent */
	uint32_t mode;		/* enum pthru_policy_mode */
	uint32_t default_action;	/* enum pthru_action */
	uint32_t default_requirements;
	uint32_t locked;
	unsigned int nr_gated;
	char gated[POLICY_MAX_GATED][POLICY_NAME_MAX + 1];
	uint32_t rule_count;
	uint32_t generation;
	uint64_t allowed;
	uint64_t denied;
	uint64_t audited;
};

static inline bool policy_info_has(const struct policy_info *info,
				   uint16_t attr)
{
	return info->present & (1U << attr);
}

/* Most entries of a decision's "undetermined" list: each requirement, the serial. */
#define POLICY_UNDETERMINED_MAX	8
#define POLICY_WHAT_MAX		24
#define POLICY_WHY_MAX		320

/*
 * What a decision made by pthructl over facts it gathered itself
 * (policy_local.c) could not establish: a requirement ("isolated-msi"), or
 * "serial" when the match on a serial number is, and the facts it lacks.
 */
struct policy_undetermined {
	char what[POLICY_WHAT_MAX];
	char why[POLICY_WHY_MAX];
};

/*
 * One verdict: a policy-test reply's or a decision event's.  The parsers
 * leave @not_established false and @n_undetermined 0 (the module knows
 * every fact); only policy_local.c sets them.
 */
struct policy_decision {
	uint32_t present;	/* bit N: attribute PTHRU_A_DECISION_N was sent */
	char addr[PCI_ADDR_STRLEN];
	char driver[DEV_DRIVER_MAX];
	uint32_t verdict;	/* enum pthru_action */
	uint32_t outcome;	/* enum pthru_outcome; events only */
	uint32_t mode;		/* enum pthru_policy_mode */
	uint32_t by_default;
	uint32_t rule_id;
	char rule_label[POLICY_LABEL_MAX + 1];
	uint32_t unmet;		/* PTHRU_REQUIREMENT_* */
	uint32_t pid;
	uint32_t uid;
	char comm[64];
	uint32_t policy_generation;
	bool not_established;
	unsigned int n_undetermined;
	struct policy_undetermined undetermined[POLICY_UNDETERMINED_MAX];
};

static inline bool policy_decision_has(const struct policy_decision *d,
				       uint16_t attr)
{
	return d->present & (1U << attr);
}

struct policy_decision_list {
	struct policy_decision *items;
	size_t n;
	size_t cap;
};

/* One rule-get reply: the policy generation and one rule. */
struct policy_rule_msg {
	bool has_generation;
	uint32_t generation;
	bool has_rule;
	struct policy_rule rule;
};

/* policy_mode_name(), or "unknown" for a value from a newer module. */
const char *policy_mode_text(uint32_t mode);
/* Parse a mode word as users type it (lower case); 0 or -EINVAL. */
int policy_mode_parse(const char *s, uint8_t *mode);
/* "allowed", "denied", "audited", "unevaluated" or "unknown". */
const char *policy_outcome_name(uint32_t outcome);

/*
 * Requirement names of @reqs in bit order, comma-separated, a bit this
 * version does not know as "unknown"; "-" for none.
 */
const char *policy_reqs_text(uint32_t reqs, char *buf, size_t size);

/*
 * The match of @r in the policy language, "vendor 0x1af4 device 0x1041",
 * or "any" for a rule without match fields.
 */
const char *policy_match_text(const struct policy_rule *r, char *buf,
			      size_t size);

/*
 * Fill @info from a policy-get reply or a policy-change-ntf.  Returns 0,
 * or -EBADMSG with *@bad_type naming the malformed attribute.
 */
int policy_info_parse(const struct nlmsghdr *nlh, struct policy_info *info,
		      uint16_t *bad_type);

/* Append @r to @nlh as a nest of type @type (PTHRU_A_POLICY_RULE). */
void policy_rule_put(struct nlmsghdr *nlh, uint16_t type,
		     const struct policy_rule *r);

/* Fill @r from a rule nest; 0 or -EBADMSG with *@bad_type. */
int policy_rule_parse(const struct nlattr *nest, struct policy_rule *r,
		      uint16_t *bad_type);

/* Parse a rule-get reply; 0 or -EBADMSG with *@bad_type. */
int policy_rule_msg_parse(const struct nlmsghdr *nlh,
			  struct policy_rule_msg *msg, uint16_t *bad_type);

/*
 * Most bytes policy_doc_put() can add for @doc, so a request buffer can be
 * sized before it is built.
 */
size_t policy_doc_msg_size(const struct policy_doc *doc);

/*
 * Append @doc's attributes to a policy-replace request (@replace: the
 * default, the mode if has_mode, the gated drivers if any, every rule)
 * or to a policy-test request (the default and the rules only, which is
 * all policy-test reads).
 */
void policy_doc_put(struct nlmsghdr *nlh, const struct policy_doc *doc,
		    bool replace);

/*
 * Index of the rule nest of request @req that holds byte @offset (the
 * kernel's extack offset, counted from the start of @req), or -1.
 */
int policy_req_rule_at(const struct nlmsghdr *req, uint32_t offset);

/* The rule ID an extack message names as "rule ID", or 0 if none. */
uint32_t policy_msg_rule_id(const char *msg);

/*
 * Append the decision nests of a policy-test reply or a decision-ntf to
 * @list.  Returns 0, -ENOMEM, or -EBADMSG with *@bad_type.
 */
int policy_decisions_parse(const struct nlmsghdr *nlh,
			   struct policy_decision_list *list,
			   uint16_t *bad_type);
void policy_decision_list_free(struct policy_decision_list *list);

/*
 * policy show: "key: value" lines, then the rules as a table; or the JSON
 * document {"schema":2,...,"rules":[ with one rule object per line.
 * Returns an exit status (EXIT_ERROR when out of memory).
 */
int policy_show_print(FILE *out, const struct policy_info *info,
		      const struct policy_rule *rules, size_t n, bool json);

/* The policy keys of the show document, without schema and rules. */
void policy_info_json(struct json *j, const struct policy_info *info);

/*
 * "rule 10 \"label\"", "rule 10" without a label, or "default": what
 * decided @d; "-" when it was not evaluated.
 */
const char *policy_decided_by(const struct policy_decision *d, char *buf,
			      size_t size);

/*
 * A decision as a JSON object; the event-only keys (outcome, mode, pid,
 * uid, comm, policy_generation) when @event.
 */
void policy_decision_json(struct json *j, const char *key,
			  const struct policy_decision *d, bool event);

/*
 * policy test: the "source:" line, a table ADDRESS VERDICT DECIDED-BY
 * UNMET (VERDICT "not established" for a decision that is not, which a
 * "not established (N):" section then explains), or the JSON document
 * {"schema":2,"source":..,"driver":..,"decisions":[ with one decision per
 * line, each with "established" and "undetermined".
 */
int policy_test_print(FILE *out, const char *driver,
		      const struct policy_decision_list *list, bool json);

/* A function "policy generate" looked at: its IDs, driver and what it meets. */
struct policy_gen_entry {
	char addr[PCI_ADDR_STRLEN];
	uint16_t vendor;
	uint16_t device;
	char driver[POLICY_NAME_MAX + 1];
	uint32_t met;		/* requirements it meets now */
};

/*
 * Build the generated policy: "mode audit", "default deny", and rule 10,
 * 20, ... allowing each entry that is acs-isolated and translated, with
 * every requirement it meets.  Returns 0 or -ENOMEM.
 */
int policy_generate_doc(const struct policy_gen_entry *e, size_t n,
			struct policy_doc *doc);

/*
 * Print the generated policy: comment lines (what it is, the host, and
 * each entry left out with what it lacks), then @doc in canonical form.
 * Returns 0 or -1 on a write error.
 */
int policy_generate_print(FILE *out, const char *host,
			  const struct policy_gen_entry *e, size_t n,
			  const struct policy_doc *doc);

#endif /* PTHRUCTL_POLICY_H */
