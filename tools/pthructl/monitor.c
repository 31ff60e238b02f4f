// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl monitor: print the events of pthru's multicast groups,
 * "inventory" (open to every user) and "alerts" (CAP_NET_ADMIN), until
 * SIGINT or SIGTERM.  Also listens to nlctrl so that an unloaded module
 * ends the monitor instead of leaving it silent forever.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/pthru.h>

#include "dev.h"
#include "monitor.h"
#include "names.h"
#include "pthructl.h"

/* Large enough to ride out a burst such as a PCI rescan of a big host. */
#define MONITOR_RCVBUF	(4 << 20)

struct monitor {
	struct pthructl *ctl;
	uint16_t family_id;
	bool module_gone;
	bool malformed;
	uint16_t bad_type;
};

const char *monitor_event_name(int cmd)
{
	switch (cmd) {
	case PTHRU_CMD_DEV_ADD_NTF:
		return "dev-add";
	case PTHRU_CMD_DEV_DEL_NTF:
		return "dev-del";
	case PTHRU_CMD_DEV_BIND_NTF:
		return "dev-bind";
	case PTHRU_CMD_DEV_UNBIND_NTF:
		return "dev-unbind";
	case PTHRU_CMD_ACS_CHANGE_NTF:
		return "acs-change";
	case PTHRU_CMD_HAZARD_RAISE_NTF:
		return "hazard-raise";
	case PTHRU_CMD_HAZARD_CLEAR_NTF:
		return "hazard-clear";
	case PTHRU_CMD_DECISION_NTF:
		return "decision";
	case PTHRU_CMD_POLICY_CHANGE_NTF:
		return "policy-change";
	default:
		return NULL;
	}
}

bool monitor_event_has_finding(int cmd)
{
	return cmd == PTHRU_CMD_HAZARD_RAISE_NTF ||
	       cmd == PTHRU_CMD_HAZARD_CLEAR_NTF;
}

/* "acs_ctrl=001d" or "acs_ctrl=-" when the attribute was not sent. */
static void print_hex_field(FILE *out, const char *name,
			    const struct dev_view *dev, uint16_t attr,
			    unsigned int val)
{
	if (dev_has(dev, attr))
		fprintf(out, " %s=%04x", name, val);
	else
		fprintf(out, " %s=-", name);
}

void monitor_print_event(FILE *out, const char *event,
			 const struct dev_view *dev, bool json)
{
	struct json j;

	if (json) {
		json_init(&j, out);
		json_object_begin(&j, NULL);
		json_string(&j, "event", event);
		dev_json(&j, "dev", dev);
		json_object_end(&j);
		fputc('\n', out);
	} else {
		fprintf(out, "%s %s ", event,
			dev_has(dev, PTHRU_A_DEV_ADDR) ? dev->addr : "-");
		if (dev_has(dev, PTHRU_A_DEV_VENDOR))
			fprintf(out, "%04x:", dev->vendor);
		else
			fputs("-:", out);
		if (dev_has(dev, PTHRU_A_DEV_DEVICE))
			fprintf(out, "%04x", dev->device);
		else
			fputs("-", out);
		if (!strcmp(event, "acs-change")) {
			print_hex_field(out, "acs_ctrl", dev,
					PTHRU_A_DEV_ACS_CTRL, dev->acs_ctrl);
			print_hex_field(out, "baseline", dev,
					PTHRU_A_DEV_ACS_CTRL_BASELINE,
					dev->acs_ctrl_baseline);
			fputc('\n', out);
		} else {
			fprintf(out, " driver=%s\n",
				dev_has(dev, PTHRU_A_DEV_DRIVER) ?
				dev->driver : "-");
		}
	}
	/* A reader on a pipe sees each event as it happens. */
	fflush(out);
}

void monitor_print_finding(FILE *out, const char *event,
			   const struct hazard_msg *msg,
			   const struct finding *f, bool json)
{
	char id[HAZARD_ID_STRLEN], subject[32];
	struct json j;

	if (json) {
		json_init(&j, out);
		json_object_begin(&j, NULL);
		json_string(&j, "event", event);
		if (msg->has_generation)
			json_uint(&j, "generation", msg->generation);
		else
			json_null(&j, "generation");
		finding_json(&j, "finding", f);
		json_object_end(&j);
		fputc('\n', out);
	} else {
		fprintf(out, "%s %s %s %s %s %s\n", event,
			hazard_id_text(f->id, id, sizeof(id)), finding_name(f),
			severity_name(f->severity),
			finding_subject(f, subject, sizeof(subject)),
			finding_has(f, PTHRU_A_FINDING_MESSAGE) ?
			f->message : "-");
	}
	fflush(out);
}

/* A field of an event line, or "-" when the module did not send it. */
static void print_u32_field(FILE *out, const char *name, bool has,
			    uint32_t val)
{
	if (has)
		fprintf(out, " %s=%u", name, val);
	else
		fprintf(out, " %s=-", name);
}

/* The process name last, bytes that would break the line as '?'. */
static void print_comm(FILE *out, const struct policy_decision *d)
{
	const char *c = d->comm;

	fputs(" comm=", out);
	if (!policy_decision_has(d, PTHRU_A_DECISION_COMM) || !*c) {
		fputc('-', out);
		return;
	}
	for (; *c; c++)
		fputc(*c > ' ' && *c < 0x7f ? *c : '?', out);
}

void monitor_print_decision(FILE *out, const struct policy_decision *d,
			    bool json)
{
	char by[2 * POLICY_LABEL_MAX + 32], unmet[POLICY_REQS_STRLEN];
	struct json j;

	if (json) {
		json_init(&j, out);
		json_object_begin(&j, NULL);
		json_string(&j, "event", "decision");
		policy_decision_json(&j, "decision", d, true);
		json_object_end(&j);
		fputc('\n', out);
		fflush(out);
		return;
	}
	fprintf(out, "decision %s %s %s",
		policy_decision_has(d, PTHRU_A_DECISION_ADDR) ? d->addr : "-",
		policy_decision_has(d, PTHRU_A_DECISION_DRIVER) ?
		d->driver : "-",
		policy_decision_has(d, PTHRU_A_DECISION_OUTCOME) ?
		policy_outcome_name(d->outcome) : "-");
	/* An unevaluated bind was decided by nothing. */
	if (d->by_default || policy_decision_has(d, PTHRU_A_DECISION_RULE_ID))
		fprintf(out, " %s", policy_decided_by(d, by, sizeof(by)));
	if (d->unmet)
		fprintf(out, " unmet %s",
			policy_reqs_text(d->unmet, unmet, sizeof(unmet)));
	print_u32_field(out, "pid", policy_decision_has(d, PTHRU_A_DECISION_PID),
			d->pid);
	print_u32_field(out, "uid", policy_decision_has(d, PTHRU_A_DECISION_UID),
			d->uid);
	print_comm(out, d);
	fputc('\n', out);
	fflush(out);
}

void monitor_print_policy_change(FILE *out, const struct policy_info *info,
				 bool json)
{
	struct json j;

	if (json) {
		json_init(&j, out);
		json_object_begin(&j, NULL);
		json_string(&j, "event", "policy-change");
		json_object_begin(&j, "policy");
		policy_info_json(&j, info);
		if (policy_info_has(info, PTHRU_A_POLICY_RULE_COUNT))
			json_uint(&j, "rule_count", info->rule_count);
		else
			json_null(&j, "rule_count");
		json_object_end(&j);
		json_object_end(&j);
		fputc('\n', out);
		fflush(out);
		return;
	}
	fputs("policy-change", out);
	print_u32_field(out, "generation",
			policy_info_has(info, PTHRU_A_POLICY_GENERATION),
			info->generation);
	fprintf(out, " mode=%s locked=%s",
		policy_info_has(info, PTHRU_A_POLICY_MODE) ?
		policy_mode_text(info->mode) : "-",
		!policy_info_has(info, PTHRU_A_POLICY_LOCKED) ? "-" :
		info->locked ? "yes" : "no");
	print_u32_field(out, "rules",
			policy_info_has(info, PTHRU_A_POLICY_RULE_COUNT),
			info->rule_count);
	fputc('\n', out);
	fflush(out);
}

/* nlctrl tells every listener when a family goes away. */
static void monitor_ctrl_msg(struct monitor *mon, const struct nlmsghdr *nlh)
{
	struct nl_family fam;

	if (nl_genl_cmd(nlh) != CTRL_CMD_DELFAMILY)
		return;
	if (nl_parse_family(nlh, &fam))
		return;
	if (fam.id == mon->family_id)
		mon->module_gone = true;
}

/* A decision event carries one decision nest. */
static int monitor_decision_msg(struct monitor *mon,
				const struct nlmsghdr *nlh)
{
	struct policy_decision_list list = {};
	int err;

	err = policy_decisions_parse(nlh, &list, &mon->bad_type);
	if (!err && list.n != 1) {
		mon->bad_type = PTHRU_A_POLICY_DECISION;
		err = -EBADMSG;
	}
	if (!err)
		monitor_print_decision(stdout, &list.items[0], mon->ctl->json);
	policy_decision_list_free(&list);
	if (err) {
		mon->malformed = err == -EBADMSG;
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int monitor_policy_msg(struct monitor *mon, const struct nlmsghdr *nlh)
{
	struct policy_info info;

	if (policy_info_parse(nlh, &info, &mon->bad_type)) {
		mon->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	monitor_print_policy_change(stdout, &info, mon->ctl->json);
	return MNL_CB_OK;
}

/* A hazard event carries its finding in one nest. */
static int monitor_finding_msg(struct monitor *mon, const char *event,
			       const struct nlmsghdr *nlh)
{
	struct finding_list list = {};
	struct hazard_msg msg;
	int err;

	err = hazard_msg_parse(nlh, &msg, &list, &mon->bad_type);
	if (!err && msg.n_findings != 1) {
		mon->bad_type = PTHRU_A_HAZARD_FINDING;
		err = -EBADMSG;
	}
	if (!err)
		monitor_print_finding(stdout, event, &msg, &list.items[0],
				      mon->ctl->json);
	finding_list_free(&list);
	if (err) {
		mon->malformed = err == -EBADMSG;
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int monitor_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *mon = data;
	struct dev_view dev;
	const char *event;
	int cmd;

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		monitor_ctrl_msg(mon, nlh);
		return MNL_CB_OK;
	}
	if (nlh->nlmsg_type != mon->family_id)
		return MNL_CB_OK;
	/* Commands added by a newer module are skipped, not errors. */
	cmd = nl_genl_cmd(nlh);
	event = monitor_event_name(cmd);
	if (!event)
		return MNL_CB_OK;
	if (monitor_event_has_finding(cmd))
		return monitor_finding_msg(mon, event, nlh);
	if (cmd == PTHRU_CMD_DECISION_NTF)
		return monitor_decision_msg(mon, nlh);
	if (cmd == PTHRU_CMD_POLICY_CHANGE_NTF)
		return monitor_policy_msg(mon, nlh);
	if (dev_parse(nlh, &dev, &mon->bad_type)) {
		mon->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	monitor_print_event(stdout, event, &dev, mon->ctl->json);
	return MNL_CB_OK;
}

/* The one group of modules before the inventory/alerts split. */
#define MONITOR_MCGRP_OLD	"events"

int monitor_join_groups(const struct nl_family *fam, monitor_join_t join,
			void *ctx, struct monitor_groups *joined)
{
	uint32_t id;
	int err;

	memset(joined, 0, sizeof(*joined));
	if (nl_family_mcgrp(fam, PTHRU_MCGRP_INVENTORY, &id)) {
		/* A module that predates the split sends everything there. */
		if (nl_family_mcgrp(fam, MONITOR_MCGRP_OLD, &id))
			return -ENOENT;
		err = join(ctx, id);
		if (err)
			return err;
		joined->inventory = true;
		joined->alerts = true;
		return 0;
	}
	err = join(ctx, id);
	if (err)
		return err;
	joined->inventory = true;

	if (nl_family_mcgrp(fam, PTHRU_MCGRP_ALERTS, &id))
		return -ENOENT;
	err = join(ctx, id);
	/* alerts is admin-perm: without CAP_NET_ADMIN, inventory only. */
	if (err == -EPERM || err == -EACCES) {
		joined->alerts_err = err;
		return 0;
	}
	if (err)
		return err;
	joined->alerts = true;
	return 0;
}

void monitor_alerts_note(FILE *out, const struct monitor_groups *joined)
{
	if (joined->alerts)
		return;
	fprintf(out, "pthructl: not receiving findings, bind decisions and policy changes: the %s group needs CAP_NET_ADMIN\n",
		PTHRU_MCGRP_ALERTS);
}

static int monitor_join_nl(void *ctx, uint32_t id)
{
	return nl_join_mcgrp(ctx, id);
}

/*
 * Subscribe to pthru's groups and to nlctrl's notifications.  Both
 * families are resolved before joining, so no notification can interleave
 * with the replies to the lookups.
 */
static int monitor_subscribe(struct pthructl *ctl)
{
	struct monitor_groups joined;
	struct nl_family ctrl;
	int rcvbuf = MONITOR_RCVBUF;
	uint32_t notify;
	int err;

	err = nl_resolve_family(&ctl->nl, "nlctrl", &ctrl);
	if (err)
		return pthructl_nl_err(ctl, err, NULL);
	if (nl_family_mcgrp(&ctrl, "notify", &notify))
		return pt_err("nlctrl has no 'notify' multicast group");

	err = monitor_join_groups(&ctl->nl.family, monitor_join_nl, &ctl->nl,
				  &joined);
	if (err == -ENOENT)
		return pt_err("the pthru module has no '%s' and '%s' multicast groups",
			      PTHRU_MCGRP_INVENTORY, PTHRU_MCGRP_ALERTS);
	if (!err)
		err = nl_join_mcgrp(&ctl->nl, notify);
	if (err)
		return pt_err("cannot subscribe to pthru events: %s",
			      strerror(-err));
	/* Said once, before any event: what this monitor will not show. */
	monitor_alerts_note(stderr, &joined);
	fflush(stderr);
	/* Best effort: the kernel caps it at net.core.rmem_max. */
	setsockopt(nl_fd(&ctl->nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	return EXIT_OK;
}

static int monitor_signalfd(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -1;
	return signalfd(-1, &mask, SFD_CLOEXEC);
}

static int monitor_loop(struct pthructl *ctl, int sigfd)
{
	struct monitor mon = { ctl, ctl->nl.family.id, false, false, 0 };
	struct pollfd fds[2] = {
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = nl_fd(&ctl->nl), .events = POLLIN },
	};
	int err;

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return pt_err("poll: %s", strerror(errno));
		}
		/* Interrupted: a normal way to end, so exit 0. */
		if (fds[0].revents)
			return EXIT_OK;
		if (!fds[1].revents)
			continue;

		err = nl_recv_events(&ctl->nl, monitor_msg_cb, &mon);
		if (mon.malformed)
			return pt_err("malformed event from the kernel (attribute %u)",
				      mon.bad_type);
		if (err == -ENOBUFS) {
			pt_warn("events were lost: the receive buffer overflowed");
			continue;
		}
		if (err)
			return pt_err("receiving events: %s", strerror(-err));
		if (mon.module_gone)
			return pt_err("the pthru module was unloaded");
	}
}

int cmd_monitor(struct pthructl *ctl, int argc, char **argv)
{
	int sigfd, ret;

	if (argc > 0)
		return pt_err_extra_arg("monitor", argv[0]);
	/* Block the signals first: one sent during setup still exits 0. */
	sigfd = monitor_signalfd();
	if (sigfd < 0)
		return pt_err("signalfd: %s", strerror(errno));
	ret = pthructl_connect(ctl);
	if (!ret)
		ret = monitor_subscribe(ctl);
	if (!ret)
		ret = monitor_loop(ctl, sigfd);
	close(sigfd);
	return ret;
}
