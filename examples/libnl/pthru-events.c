// SPDX-License-Identifier: GPL-2.0
/*
 * pthru-events: a minimal libnl-genl-3 client of pthru's "alerts"
 * multicast group.  It prints each bind decision and each finding raised
 * or cleared, one line per event, until SIGINT or SIGTERM, then exits 0.
 *
 * It is a template for an integrator's daemon (a SIEM forwarder, a
 * ticketing hook), not a second pthructl: it decodes only the attributes
 * it prints and ignores the rest, as a client of a frozen family should,
 * so that attributes added later never break it.  Joining "alerts" needs
 * CAP_NET_ADMIN (the group is admin-perm).
 *
 *	pthru-events [-i]	-i also prints the inventory group's events
 *
 * Output, line-buffered:
 *	listening on pthru alerts (family N)
 *	decision 0000:04:00.0 driver vfio-pci outcome denied mode enforce rule 2 "label" pid 123 uid 0 comm sh
 *	finding-raise PTHRU-006 acs-missing high 0000:01:00.0: message
 *	finding-clear PTHRU-006 acs-missing high 0000:01:00.0: message
 *	policy-change
 *	inventory dev-bind 0000:04:00.0 (-i)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include <linux/pthru.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX(a, b)	((int)(a) > (int)(b) ? (int)(a) : (int)(b))
/* The events carry the dev, hazard or policy attribute set. */
#define EVENT_MAXATTR	MAX(PTHRU_A_DEV_MAX, MAX(PTHRU_A_HAZARD_MAX, PTHRU_A_POLICY_MAX))

static const char * const severity_names[] = {
	[PTHRU_SEVERITY_INFO] = "info",
	[PTHRU_SEVERITY_LOW] = "low",
	[PTHRU_SEVERITY_MEDIUM] = "medium",
	[PTHRU_SEVERITY_HIGH] = "high",
	[PTHRU_SEVERITY_CRITICAL] = "critical",
};

static const char * const outcome_names[] = {
	[PTHRU_OUTCOME_ALLOWED] = "allowed",
	[PTHRU_OUTCOME_DENIED] = "denied",
	[PTHRU_OUTCOME_AUDITED] = "audited",
	[PTHRU_OUTCOME_UNEVALUATED] = "unevaluated",
};

static const char * const mode_names[] = {
	[PTHRU_POLICY_MODE_OFF] = "off",
	[PTHRU_POLICY_MODE_AUDIT] = "audit",
	[PTHRU_POLICY_MODE_ENFORCE] = "enforce",
};

/*
 * The finding's name is printed for a reader; a program should key on
 * the stable number (PTHRU-NNN), which never changes meaning.
 */
static const char * const hazard_names[] = {
	[PTHRU_HAZARD_ID_IOMMU_ABSENT] = "iommu-absent",
	[PTHRU_HAZARD_ID_DEFAULT_PASSTHROUGH] = "default-passthrough",
	[PTHRU_HAZARD_ID_NO_GROUP] = "no-group",
	[PTHRU_HAZARD_ID_IDENTITY_DOMAIN] = "identity-domain",
	[PTHRU_HAZARD_ID_GROUP_NARROWER] = "group-narrower",
	[PTHRU_HAZARD_ID_ACS_MISSING] = "acs-missing",
	[PTHRU_HAZARD_ID_ACS_CHANGED] = "acs-changed",
	[PTHRU_HAZARD_ID_DIRECT_REGION] = "direct-region",
	[PTHRU_HAZARD_ID_RELAXABLE_REGION] = "relaxable-region",
	[PTHRU_HAZARD_ID_NO_ISOLATED_MSI] = "no-isolated-msi",
	[PTHRU_HAZARD_ID_UNSAFE_INTERRUPTS] = "unsafe-interrupts",
	[PTHRU_HAZARD_ID_GROUP_NOT_VIABLE] = "group-not-viable",
	[PTHRU_HAZARD_ID_ATS_EXPOSED] = "ats-exposed",
	[PTHRU_HAZARD_ID_LAZY_INVALIDATION] = "lazy-invalidation",
	[PTHRU_HAZARD_ID_CMDLINE_WEAKENING] = "cmdline-weakening",
	[PTHRU_HAZARD_ID_MAP_DISAGREES] = "map-disagrees",
	[PTHRU_HAZARD_ID_STALE_TRANSLATION] = "stale-translation",
	[PTHRU_HAZARD_ID_IDENTITY_OVER_RAM] = "identity-over-ram",
	[PTHRU_HAZARD_ID_KERNEL_MEMORY_MAPPED] = "kernel-memory-mapped",
	[PTHRU_HAZARD_ID_SUPERPAGE_OVERREACH] = "superpage-overreach",
	[PTHRU_HAZARD_ID_SHADOW_INCOMPLETE] = "shadow-incomplete",
	[PTHRU_HAZARD_ID_ACS_QUIRK] = "acs-quirk",
	[PTHRU_HAZARD_ID_TOPOLOGY_UNKNOWN] = "topology-unknown",
};

/* A value from a newer module than this client knows prints as "?". */
static const char *name_of(const char * const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "?";
}

static struct nla_policy decision_policy[PTHRU_A_DECISION_MAX + 1] = {
	[PTHRU_A_DECISION_ADDR] = { .type = NLA_NUL_STRING },
	[PTHRU_A_DECISION_DRIVER] = { .type = NLA_NUL_STRING },
	[PTHRU_A_DECISION_OUTCOME] = { .type = NLA_U32 },
	[PTHRU_A_DECISION_MODE] = { .type = NLA_U32 },
	[PTHRU_A_DECISION_RULE_ID] = { .type = NLA_U32 },
	[PTHRU_A_DECISION_RULE_LABEL] = { .type = NLA_NUL_STRING },
	[PTHRU_A_DECISION_PID] = { .type = NLA_U32 },
	[PTHRU_A_DECISION_UID] = { .type = NLA_U32 },
	[PTHRU_A_DECISION_COMM] = { .type = NLA_NUL_STRING },
};

static struct nla_policy finding_policy[PTHRU_A_FINDING_MAX + 1] = {
	[PTHRU_A_FINDING_ID] = { .type = NLA_U32 },
	[PTHRU_A_FINDING_SEVERITY] = { .type = NLA_U32 },
	[PTHRU_A_FINDING_ADDR] = { .type = NLA_NUL_STRING },
	[PTHRU_A_FINDING_MESSAGE] = { .type = NLA_NUL_STRING },
};

static const char *str_or(struct nlattr *a, const char *dflt)
{
	return a ? nla_get_string(a) : dflt;
}

static void print_decision(struct nlattr *nest)
{
	struct nlattr *tb[PTHRU_A_DECISION_MAX + 1];

	if (!nest || nla_parse_nested(tb, PTHRU_A_DECISION_MAX, nest,
				      decision_policy) < 0) {
		printf("decision (malformed)\n");
		return;
	}
	printf("decision %s driver %s", str_or(tb[PTHRU_A_DECISION_ADDR], "?"),
	       str_or(tb[PTHRU_A_DECISION_DRIVER], "?"));
	if (tb[PTHRU_A_DECISION_OUTCOME])
		printf(" outcome %s",
		       name_of(outcome_names, ARRAY_SIZE(outcome_names),
			       nla_get_u32(tb[PTHRU_A_DECISION_OUTCOME])));
	if (tb[PTHRU_A_DECISION_MODE])
		printf(" mode %s", name_of(mode_names, ARRAY_SIZE(mode_names),
					   nla_get_u32(tb[PTHRU_A_DECISION_MODE])));
	if (tb[PTHRU_A_DECISION_RULE_ID])
		printf(" rule %u", nla_get_u32(tb[PTHRU_A_DECISION_RULE_ID]));
	if (tb[PTHRU_A_DECISION_RULE_LABEL])
		printf(" \"%s\"", nla_get_string(tb[PTHRU_A_DECISION_RULE_LABEL]));
	if (tb[PTHRU_A_DECISION_PID])
		printf(" pid %u", nla_get_u32(tb[PTHRU_A_DECISION_PID]));
	if (tb[PTHRU_A_DECISION_UID])
		printf(" uid %u", nla_get_u32(tb[PTHRU_A_DECISION_UID]));
	if (tb[PTHRU_A_DECISION_COMM])
		printf(" comm %s", nla_get_string(tb[PTHRU_A_DECISION_COMM]));
	printf("\n");
}

static void print_finding(const char *what, struct nlattr *nest)
{
	struct nlattr *tb[PTHRU_A_FINDING_MAX + 1];
	uint32_t id;

	if (!nest || nla_parse_nested(tb, PTHRU_A_FINDING_MAX, nest,
				      finding_policy) < 0 ||
	    !tb[PTHRU_A_FINDING_ID] || !tb[PTHRU_A_FINDING_SEVERITY]) {
		printf("%s (malformed)\n", what);
		return;
	}
	id = nla_get_u32(tb[PTHRU_A_FINDING_ID]);
	printf("%s PTHRU-%03u %s %s %s: %s\n", what, id,
	       name_of(hazard_names, ARRAY_SIZE(hazard_names), id),
	       name_of(severity_names, ARRAY_SIZE(severity_names),
		       nla_get_u32(tb[PTHRU_A_FINDING_SEVERITY])),
	       str_or(tb[PTHRU_A_FINDING_ADDR], "host"),
	       str_or(tb[PTHRU_A_FINDING_MESSAGE], ""));
}

/* Parsed without a policy (the sets differ by event): check it ends in NUL. */
static const char *checked_str(struct nlattr *a)
{
	const char *s = a ? nla_data(a) : NULL;
	int len = a ? nla_len(a) : 0;

	return len > 0 && s[len - 1] == '\0' ? s : "?";
}

static void print_dev(const char *what, struct nlattr **tb)
{
	printf("inventory %s %s\n", what, checked_str(tb[PTHRU_A_DEV_ADDR]));
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = genlmsg_hdr(nlmsg_hdr(msg));
	struct nlattr *tb[EVENT_MAXATTR + 1];

	(void)arg;
	/* Attributes newer than this client's header are skipped, not refused. */
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, EVENT_MAXATTR, NULL) < 0) {
		printf("event %u (malformed)\n", gh->cmd);
		return NL_OK;
	}
	switch (gh->cmd) {
	case PTHRU_CMD_DECISION_NTF:
		print_decision(tb[PTHRU_A_POLICY_DECISION]);
		break;
	case PTHRU_CMD_HAZARD_RAISE_NTF:
		print_finding("finding-raise", tb[PTHRU_A_HAZARD_FINDING]);
		break;
	case PTHRU_CMD_HAZARD_CLEAR_NTF:
		print_finding("finding-clear", tb[PTHRU_A_HAZARD_FINDING]);
		break;
	case PTHRU_CMD_POLICY_CHANGE_NTF:
		printf("policy-change\n");
		break;
	case PTHRU_CMD_DEV_ADD_NTF:
		print_dev("dev-add", tb);
		break;
	case PTHRU_CMD_DEV_DEL_NTF:
		print_dev("dev-del", tb);
		break;
	case PTHRU_CMD_DEV_BIND_NTF:
		print_dev("dev-bind", tb);
		break;
	case PTHRU_CMD_DEV_UNBIND_NTF:
		print_dev("dev-unbind", tb);
		break;
	case PTHRU_CMD_ACS_CHANGE_NTF:
		print_dev("acs-change", tb);
		break;
	default:
		/* Commands added later: ignore, as a frozen family's client must. */
		break;
	}
	return NL_OK;
}

static int join(struct nl_sock *sk, const char *group)
{
	int grp = genl_ctrl_resolve_grp(sk, PTHRU_FAMILY_NAME, group);

	if (grp < 0) {
		fprintf(stderr, "pthru-events: group %s: %s\n", group,
			nl_geterror(grp));
		return grp;
	}
	grp = nl_socket_add_membership(sk, grp);
	if (grp < 0)
		fprintf(stderr, "pthru-events: joining %s: %s%s\n", group,
			nl_geterror(grp),
			grp == -NLE_PERM ? " (needs CAP_NET_ADMIN)" : "");
	return grp;
}

static void ignore_signal(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	/* A handler, not SIG_DFL: the signal must end ppoll(), not us. */
	struct sigaction on_signal = { .sa_handler = ignore_signal };
	struct pollfd pfd = { .events = POLLIN };
	sigset_t block, empty;
	struct nl_sock *sk;
	bool inventory = false;
	int family, err, opt;

	while ((opt = getopt(argc, argv, "ih")) != -1) {
		switch (opt) {
		case 'i':
			inventory = true;
			break;
		case 'h':
			printf("usage: pthru-events [-i]\n");
			return 0;
		default:
			fprintf(stderr, "usage: pthru-events [-i]\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "pthru-events: unexpected argument %s\n",
			argv[optind]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * SIGINT and SIGTERM stay blocked except inside ppoll(), so a signal
	 * can only interrupt the wait, never a half-printed event, and none
	 * is lost between the check and the wait.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&empty);
	sigaction(SIGINT, &on_signal, NULL);
	sigaction(SIGTERM, &on_signal, NULL);

	sk = nl_socket_alloc();
	if (!sk) {
		fprintf(stderr, "pthru-events: out of memory\n");
		return 1;
	}
	err = genl_connect(sk);
	if (err < 0) {
		fprintf(stderr, "pthru-events: %s\n", nl_geterror(err));
		goto out;
	}
	family = genl_ctrl_resolve(sk, PTHRU_FAMILY_NAME);
	if (family < 0) {
		err = family;
		fprintf(stderr, "pthru-events: family %s: %s (is pthru loaded?)\n",
			PTHRU_FAMILY_NAME, nl_geterror(err));
		goto out;
	}
	err = join(sk, PTHRU_MCGRP_ALERTS);
	if (!err && inventory)
		err = join(sk, PTHRU_MCGRP_INVENTORY);
	if (err < 0)
		goto out;
	/* Events are not answers: they carry no sequence number of ours. */
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, NULL);
	err = nl_socket_set_nonblocking(sk);
	if (err < 0)
		goto out;
	printf("listening on pthru %s (family %d)\n",
	       inventory ? "alerts and inventory" : "alerts", family);

	pfd.fd = nl_socket_get_fd(sk);
	for (;;) {
		int n = ppoll(&pfd, 1, NULL, &empty);

		if (n < 0 && errno == EINTR)
			break;	/* SIGINT or SIGTERM: a clean exit */
		if (n < 0) {
			perror("pthru-events: poll");
			err = -1;
			break;
		}
		err = nl_recvmsgs_default(sk);
		if (err == -NLE_AGAIN) {
			err = 0;
			continue;
		}
		if (err < 0) {
			/* ENOBUFS: events were dropped; say so and go on. */
			fprintf(stderr, "pthru-events: %s\n", nl_geterror(err));
			if (err != -NLE_NOMEM)
				break;
		}
	}
out:
	nl_socket_free(sk);
	return err < 0 ? 1 : 0;
}
