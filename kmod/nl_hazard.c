// SPDX-License-Identifier: GPL-2.0
/*
 * The hazard requests of the pthru family: hazard-get (a dump, one
 * finding per message) and audit.
 *
 * Findings come from the current state, so they always belong to the
 * snapshot whose generation goes with them.  hazard-get reads the state
 * like every other request (pthru_nl_read_state()); audit rebuilds, also
 * evaluates the rules again when nothing changed, and reports how the
 * finding set moved.  Physical addresses go only to CAP_SYS_ADMIN.
 */
#include <linux/err.h>
#include <net/genetlink.h>
#include <uapi/linux/pthru.h>

#include "announce.h"
#include "compat.h"
#include "gen/pthru-nl.h"
#include "nl_family.h"
#include "nl_fill.h"
#include "store.h"
#include "verify.h"

/* cb->args[] slots of a hazard-get dump: the key of the last finding sent. */
enum {
	DUMP_HAVE_LAST = PTHRU_NL_DUMP_FIRST,
	DUMP_LAST_ID,
	DUMP_LAST_GROUP,
	DUMP_LAST_HAS_ADDR,
	DUMP_LAST_ADDR,
};

/* What a hazard-get request selects. */
struct hazard_filter {
	u32 min_severity;
	const struct nlattr *addr_attr;	/* NULL: every function */
	u32 addr;
	s32 group_id;		/* the function's IOMMU group, or none */
};

/* Read the filters; the function is looked up later, in a state. */
static int parse_filter(struct nlattr **attrs, struct netlink_ext_ack *extack,
			struct hazard_filter *filter)
{
	memset(filter, 0, sizeof(*filter));
	filter->group_id = PTHRU_NO_GROUP;
	/* The policy bounds the value to the severities. */
	if (attrs[PTHRU_A_HAZARD_MIN_SEVERITY])
		filter->min_severity =
			nla_get_u32(attrs[PTHRU_A_HAZARD_MIN_SEVERITY]);
	if (!attrs[PTHRU_A_HAZARD_ADDR])
		return 0;
	filter->addr_attr = attrs[PTHRU_A_HAZARD_ADDR];
	return pthru_nl_parse_addr(filter->addr_attr, extack, &filter->addr);
}

/* Find the filter's function in @snap; false when it has none such. */
static bool resolve_filter(struct hazard_filter *filter,
			   const struct pthru_snapshot *snap)
{
	const struct pthru_dev *func;

	if (!filter->addr_attr)
		return true;
	func = pthru_snapshot_find_dev(snap, filter->addr);
	if (!func)
		return false;
	filter->group_id = func->group_id;
	return true;
}

/*
 * With an address, a finding bears on assigning that function when it is
 * about the function itself, about its IOMMU group, or about the host.
 */
static bool filter_matches(const struct hazard_filter *filter,
			   const struct pthru_finding *finding)
{
	if (finding->severity < filter->min_severity)
		return false;
	if (!filter->addr_attr)
		return true;
	if (finding->has_addr && finding->addr == filter->addr)
		return true;
	if (finding->group_id != PTHRU_NO_GROUP &&
	    finding->group_id == filter->group_id)
		return true;
	return !finding->has_addr && finding->group_id == PTHRU_NO_GROUP;
}

/* Was @finding sent already by an earlier call of the dump? */
static bool dump_sent(struct netlink_callback *cb,
		      const struct pthru_finding *finding)
{
	struct pthru_finding last = {
		.id = cb->args[DUMP_LAST_ID],
		.group_id = cb->args[DUMP_LAST_GROUP],
		.has_addr = cb->args[DUMP_LAST_HAS_ADDR],
		.addr = cb->args[DUMP_LAST_ADDR],
	};

	return cb->args[DUMP_HAVE_LAST] && pthru_finding_cmp(finding, &last) <= 0;
}

static void dump_end_record(struct sk_buff *skb, struct netlink_callback *cb,
			    void *hdr, const struct pthru_finding *finding)
{
	genlmsg_end(skb, hdr);
	cb->args[DUMP_HAVE_LAST] = 1;
	cb->args[DUMP_LAST_ID] = finding->id;
	cb->args[DUMP_LAST_GROUP] = finding->group_id;
	cb->args[DUMP_LAST_HAS_ADDR] = finding->has_addr;
	cb->args[DUMP_LAST_ADDR] = finding->addr;
}

/*
 * One message per finding.  The findings are sorted by key, so a call
 * resumes after the key of the last finding sent, in whatever state is
 * current then.  A filter function that is gone by a later call ends the
 * dump; the changed generation has flagged it as interrupted.
 */
int pthru_nl_hazard_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *attrs[PTHRU_A_HAZARD_MAX + 1];
	bool with_phys = pthru_nl_may_see_phys(cb->skb);
	bool first = !cb->args[PTHRU_NL_DUMP_STARTED];
	const struct pthru_finding *finding;
	struct hazard_filter filter;
	struct pthru_state *state;
	void *hdr;
	u32 i;
	int ret;

	ret = pthru_nl_dump_parse(cb, attrs);
	if (!ret)
		ret = parse_filter(attrs, cb->extack, &filter);
	if (ret)
		return ret;

	state = pthru_nl_dump_state(cb);
	if (IS_ERR(state))
		return PTR_ERR(state);

	if (!resolve_filter(&filter, state->snap)) {
		ret = first ? pthru_nl_no_such_dev(filter.addr_attr, cb->extack,
						   filter.addr) : 0;
		goto out;
	}

	for (i = 0; i < state->findings.nr; i++) {
		finding = &state->findings.items[i];
		if (!filter_matches(&filter, finding) || dump_sent(cb, finding))
			continue;
		hdr = pthru_nl_dump_start_record(skb, cb, PTHRU_CMD_HAZARD_GET);
		if (!hdr)
			break;
		if (nla_put_u32(skb, PTHRU_A_HAZARD_GENERATION,
				state->snap->generation) ||
		    pthru_nl_put_finding(skb, PTHRU_A_HAZARD_FINDING, finding,
					 with_phys)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		dump_end_record(skb, cb, hdr, finding);
	}
	ret = pthru_nl_dump_result(skb, i < state->findings.nr);
out:
	pthru_state_put(state);
	return ret;
}

struct audit_counts {
	u32 raised;
	u32 cleared;
};

static void count_raised(const struct pthru_finding *finding, void *ctx)
{
	struct audit_counts *counts = ctx;

	counts->raised++;
}

static void count_cleared(const struct pthru_finding *finding, void *ctx)
{
	struct audit_counts *counts = ctx;

	counts->cleared++;
}

static size_t audit_reply_size(void)
{
	return 4 * nla_total_size(sizeof(u32)) +	/* generation .. cleared */
	       nla_total_size(sizeof(u32)) +		/* max-severity */
	       nla_total_size(sizeof(u32));		/* quirk-hops */
}

static int put_audit(struct sk_buff *msg, const struct pthru_state *state,
		     const struct audit_counts *counts)
{
	int worst = pthru_state_max_severity(state);

	if (nla_put_u32(msg, PTHRU_A_AUDIT_GENERATION, state->snap->generation) ||
	    nla_put_u32(msg, PTHRU_A_AUDIT_FINDINGS, state->findings.nr) ||
	    nla_put_u32(msg, PTHRU_A_AUDIT_RAISED, counts->raised) ||
	    nla_put_u32(msg, PTHRU_A_AUDIT_CLEARED, counts->cleared))
		return -EMSGSIZE;
	if (worst >= 0 && nla_put_u32(msg, PTHRU_A_AUDIT_MAX_SEVERITY, worst))
		return -EMSGSIZE;
	if (nla_put_u32(msg, PTHRU_A_AUDIT_QUIRK_HOPS, state->iso.quirk_hops))
		return -EMSGSIZE;
	return 0;
}

/*
 * Walk the shadow (as map-verify does), re-read the hardware and evaluate
 * every rule now.  A walk that fails leaves the notes of the last one in
 * place and does not fail the audit.  raised and cleared
 * compare with the evaluation that was current before.  The announcer
 * multicasts the change on the events group before the reply goes out, so
 * a listener has seen every event of an audit once the audit returns.
 */
int pthru_nl_audit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct audit_counts counts = {};
	struct pthru_verify_result res;
	struct pthru_state *state, *prev;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = pthru_nl_require_admin(skb, info->extack);
	if (err)
		return err;
	err = pthru_verify_run(PTHRU_NO_GROUP, &res);
	if (err)
		pr_warn_ratelimited("audit: the verification walk failed: %d\n",
				    err);
	state = pthru_store_refresh(PTHRU_REFRESH_EVALUATE, &prev);
	if (IS_ERR(state)) {
		GENL_SET_ERR_MSG(info, "cannot read or evaluate the PCI inventory");
		return PTR_ERR(state);
	}
	pthru_findings_diff(&prev->findings, &state->findings, count_raised,
			    count_cleared, &counts);
	pthru_state_put(prev);
	pthru_announce_flush();

	msg = pthru_nl_new_reply(info, audit_reply_size(), &hdr);
	if (msg)
		err = pthru_nl_send_reply(info, msg, hdr,
					  put_audit(msg, state, &counts));
	else
		err = -ENOMEM;
	pthru_state_put(state);
	return err;
}
