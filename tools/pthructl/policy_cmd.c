// SPDX-License-Identifier: GPL-2.0
/*
 * pthructl policy: show, change, load, save, test and generate the bind
 * policy (policy-get, rule-get, policy-set, policy-replace, policy-test).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/pthru.h>

#include "policy.h"
#include "policy_local.h"
#include "pthructl.h"
#include "source.h"

/* Re-reads when the policy changes between policy-get and the rule dump. */
#define POLICY_FETCH_TRIES	3
/* Every requirement: what "policy generate" asks each function about. */
#define POLICY_REQ_ALL		(((uint32_t)PTHRU_REQUIREMENT_VIABLE_GROUP << 1) - 1)

#define STDIN_NAME		"<stdin>"

struct info_reply {
	struct policy_info *info;
	bool replied;
	bool malformed;
	uint16_t bad_type;
};

static int info_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct info_reply *r = data;

	r->replied = true;
	if (policy_info_parse(nlh, r->info, &r->bad_type)) {
		r->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* The "module too old" and malformed-reply errors every op shares. */
static int policy_nl_err(struct pthructl *ctl, const char *op, int err,
			 bool malformed, uint16_t bad_type)
{
	char fallback[128];

	if (malformed)
		return pt_err("malformed %s reply from the kernel (attribute %u)",
			      op, bad_type);
	if (err == -ENOMEM)
		return pt_err("out of memory");
	if (err == -EOPNOTSUPP) {
		snprintf(fallback, sizeof(fallback),
			 "the loaded pthru module has no bind policy (it predates %s)",
			 op);
		return pthructl_nl_err(ctl, err, fallback);
	}
	return pthructl_nl_err(ctl, err, NULL);
}

/* policy-get into @info; -errno, with *@r telling a malformed reply. */
static int policy_get(struct pthructl *ctl, struct info_reply *r)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_POLICY_GET,
			   PTHRU_FAMILY_VERSION);
	err = nl_do(&ctl->nl, nlh, info_reply_cb, r);
	if (!err && !r->replied)
		err = -ENOMSG;
	return err;
}

struct rule_dump {
	struct policy_rule *rules;
	size_t n;
	size_t cap;
	bool has_generation;
	uint32_t generation;
	bool mixed;		/* messages of different generations */
	bool malformed;
	uint16_t bad_type;
};

static int rule_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rule_dump *d = data;
	struct policy_rule_msg msg;

	if (policy_rule_msg_parse(nlh, &msg, &d->bad_type)) {
		d->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (msg.has_generation) {
		if (d->has_generation && d->generation != msg.generation)
			d->mixed = true;
		d->has_generation = true;
		d->generation = msg.generation;
	}
	if (!msg.has_rule)
		return MNL_CB_OK;
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct policy_rule *grown;

		grown = realloc(d->rules, cap * sizeof(*grown));
		if (!grown) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		d->rules = grown;
		d->cap = cap;
	}
	d->rules[d->n++] = msg.rule;
	return MNL_CB_OK;
}

/*
 * The whole active policy: policy-get and the rule dump, retried until
 * both are of one generation.  Prints the error and returns EXIT_ERROR on
 * failure; on success the caller frees *@rules.
 */
static int policy_fetch(struct pthructl *ctl, struct policy_info *info,
			struct policy_rule **rules, size_t *n)
{
	struct info_reply r = { .info = info };
	struct rule_dump d = {};
	struct nlmsghdr *nlh;
	unsigned int try;
	int err;

	for (try = 0; try < POLICY_FETCH_TRIES; try++) {
		free(d.rules);
		memset(&d, 0, sizeof(d));
		memset(&r, 0, sizeof(r));
		r.info = info;
		err = policy_get(ctl, &r);
		if (err)
			return policy_nl_err(ctl, "policy-get", err, r.malformed,
					     r.bad_type);
		nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id,
				   PTHRU_CMD_RULE_GET, PTHRU_FAMILY_VERSION);
		err = nl_dump(&ctl->nl, nlh, rule_dump_cb, &d);
		/* The policy changed under the dump. */
		if (nl_dump_interrupted(err))
			continue;
		if (err) {
			free(d.rules);
			return policy_nl_err(ctl, "rule-get", err, d.malformed,
					     d.bad_type);
		}
		if (!d.mixed &&
		    (!d.has_generation || d.generation == info->generation) &&
		    (!policy_info_has(info, PTHRU_A_POLICY_RULE_COUNT) ||
		     info->rule_count == d.n))
			break;
	}
	if (try == POLICY_FETCH_TRIES) {
		free(d.rules);
		return pt_err("the policy changed %d times while it was read; try again",
			      POLICY_FETCH_TRIES);
	}
	*rules = d.rules;
	*n = d.n;
	return EXIT_OK;
}

/*
 * A changing op failed: the kernel's reason if it gave one; else, for
 * EPERM, the lock or the missing capability, told apart by policy-get.
 */
static int policy_change_err(struct pthructl *ctl, const char *op, int err)
{
	struct policy_info info;
	struct info_reply r = { .info = &info };

	if (err != -EPERM || ctl->nl.ext_msg[0])
		return policy_nl_err(ctl, op, err, false, 0);
	if (!policy_get(ctl, &r) && info.locked)
		return pt_err("policy is locked until reboot");
	return pt_err("%s: changing the policy needs CAP_NET_ADMIN",
		      strerror(EPERM));
}

static int policy_set(struct pthructl *ctl, uint16_t attr, uint32_t val)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_POLICY_SET,
			   PTHRU_FAMILY_VERSION);
	mnl_attr_put_u32(nlh, attr, val);
	err = nl_do(&ctl->nl, nlh, NULL, NULL);
	return err ? policy_change_err(ctl, "policy-set", err) : EXIT_OK;
}

static int policy_cmd_mode(struct pthructl *ctl, int argc, char **argv)
{
	uint8_t mode;
	int ret;

	if (argc < 2)
		return pt_err("missing mode: off, audit or enforce (see pthructl help policy)");
	if (argc > 2)
		return pt_err_extra_arg("policy", argv[2]);
	if (policy_mode_parse(argv[1], &mode))
		return pt_err("invalid mode '%s' (expected off, audit or enforce)",
			      argv[1]);
	ret = pthructl_connect(ctl);
	return ret ? ret : policy_set(ctl, PTHRU_A_POLICY_MODE, mode);
}

static int policy_cmd_lock(struct pthructl *ctl, int argc, char **argv)
{
	int ret;

	if (argc > 1)
		return pt_err_extra_arg("policy", argv[1]);
	ret = pthructl_connect(ctl);
	return ret ? ret : policy_set(ctl, PTHRU_A_POLICY_LOCKED, 1);
}

static int policy_cmd_show(struct pthructl *ctl, int argc, char **argv)
{
	struct policy_rule *rules;
	struct policy_info info;
	size_t n;
	int ret;

	if (argc > 1)
		return pt_err_extra_arg("policy", argv[1]);
	ret = pthructl_connect(ctl);
	if (!ret)
		ret = policy_fetch(ctl, &info, &rules, &n);
	if (ret)
		return ret;
	ret = policy_show_print(stdout, &info, rules, n, ctl->json);
	free(rules);
	return ret;
}

/*
 * Print @doc in the language.  A document the language cannot express
 * (set by another netlink client) is refused whole rather than printed
 * so that it would load as something else.  A write error is reported
 * once, by pthructl_finish_output().
 */
static int policy_print_doc(const struct policy_doc *doc, const char *what)
{
	char err[256];

	if (policy_doc_check(doc, err, sizeof(err)))
		return pt_err("%s cannot be written in the policy language: %s",
			      what, err);
	policy_format(stdout, doc);
	return EXIT_OK;
}

static int policy_cmd_save(struct pthructl *ctl, int argc, char **argv)
{
	struct policy_doc doc = {};
	struct policy_info info;
	unsigned int i;
	size_t n;
	int ret;

	if (argc > 1)
		return pt_err_extra_arg("policy", argv[1]);
	ret = pthructl_connect(ctl);
	if (!ret)
		ret = policy_fetch(ctl, &info, &doc.rules, &n);
	if (ret)
		return ret;
	doc.nr_rules = n;
	doc.has_mode = true;
	/* A value from a newer module stays unknown, not cut to a known one. */
	doc.mode = info.mode > UINT8_MAX ? UINT8_MAX : info.mode;
	doc.nr_gated = info.nr_gated;
	for (i = 0; i < info.nr_gated; i++)
		memcpy(doc.gated[i], info.gated[i], sizeof(doc.gated[i]));
	doc.default_action = info.default_action > UINT8_MAX ? UINT8_MAX :
			     info.default_action;
	doc.default_requirements = info.default_requirements;
	ret = policy_print_doc(&doc, "the active policy");
	policy_doc_free(&doc);
	return ret;
}

/*
 * Read all of @path ("-": standard input), at most POLICY_FILE_MAX bytes.
 * Prints the error and returns EXIT_ERROR on failure; else the caller
 * frees *@text.
 */
static int policy_read_file(const char *path, char **text, size_t *len)
{
	const char *name = strcmp(path, "-") ? path : STDIN_NAME;
	size_t cap = 4096, used = 0;
	struct stat st;
	char *buf, *grown;
	ssize_t got;
	int fd;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return pt_err("cannot read %s: %s", name, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fd)
			close(fd);
		return pt_err("cannot read %s: %s", name, strerror(EISDIR));
	}
	buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		if (used == cap) {
			cap *= 2;
			grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
		}
		got = read(fd, buf + used, cap - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int saved = errno;

			free(buf);
			if (fd)
				close(fd);
			return pt_err("cannot read %s: %s", name,
				      strerror(saved));
		}
		if (!got)
			break;
		used += got;
		if (used > POLICY_FILE_MAX)
			break;
	}
	if (fd)
		close(fd);
	if (!buf)
		return pt_err("out of memory");
	if (used > POLICY_FILE_MAX) {
		free(buf);
		return pt_err("cannot read %s: larger than %d bytes", name,
			      POLICY_FILE_MAX);
	}
	*text = buf;
	*len = used;
	return EXIT_OK;
}

/* Read and parse @path; a parse error is printed as FILE:LINE:COL: reason. */
static int policy_load_file(const char *path, struct policy_doc *doc)
{
	const char *name = strcmp(path, "-") ? path : STDIN_NAME;
	char err[512], *text = NULL;
	size_t len = 0;
	int ret;

	ret = policy_read_file(path, &text, &len);
	if (ret)
		return ret;
	ret = policy_parse(name, text, len, doc, err, sizeof(err));
	free(text);
	if (ret) {
		/* Compiler style, without our prefix: editors jump to it. */
		fprintf(stderr, "%s\n", err);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

/*
 * A request too big for nl->buf (1024 rules take ~250 KiB), in a buffer
 * of its own.  The kernel refuses a message larger than the socket's send
 * buffer, so that is raised to fit: SO_SNDBUF is capped by
 * net.core.wmem_max, SO_SNDBUFFORCE is not but needs CAP_NET_ADMIN, which
 * policy-replace needs anyway.
 */
static struct nlmsghdr *policy_big_request(struct pthructl *ctl, uint8_t cmd,
					   const struct policy_doc *doc,
					   bool replace, char **buf)
{
	size_t size = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)) +
		      policy_doc_msg_size(doc) + 2 * 64;
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	*buf = calloc(1, size);
	if (!*buf)
		return NULL;
	nlh = mnl_nlmsg_put_header(*buf);
	nlh->nlmsg_type = ctl->nl.family.id;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++ctl->nl.seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = PTHRU_FAMILY_VERSION;
	policy_doc_put(nlh, doc, replace);
	return nlh;
}

static void policy_fit_sndbuf(struct pthructl *ctl, size_t len)
{
	int fd = nl_fd(&ctl->nl), have = 0, want;
	socklen_t optlen = sizeof(have);

	/* The kernel keeps 32 bytes of the buffer for itself. */
	if (len > (size_t)1 << 30)
		return;
	want = len + 64;
	if (!getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &optlen) &&
	    have >= want)
		return;
	/* Best effort: an oversized request then fails with EMSGSIZE. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	optlen = sizeof(have);
	if (!getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &optlen) &&
	    have >= want)
		return;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want));
}

/*
 * policy-replace refused: point at the rule the kernel blamed, by the
 * offset of the attribute it named or by "rule ID" in its message.
 */
static int policy_replace_err(struct pthructl *ctl, const char *name,
			      const struct policy_doc *doc,
			      const struct nlmsghdr *req, int err)
{
	const struct policy_rule *rule = NULL;
	uint32_t id;
	unsigned int i;
	int index = -1;

	if (err == -EMSGSIZE)
		return pt_err("the policy is too large to send (%u bytes): raise net.core.wmem_max",
			      req->nlmsg_len);
	if (ctl->nl.ext_offs)
		index = policy_req_rule_at(req, ctl->nl.ext_offs);
	if (index >= 0 && (unsigned int)index < doc->nr_rules) {
		rule = &doc->rules[index];
	} else if (ctl->nl.ext_msg[0]) {
		id = policy_msg_rule_id(ctl->nl.ext_msg);
		for (i = 0; id && i < doc->nr_rules && !rule; i++)
			if (doc->rules[i].id == id)
				rule = &doc->rules[i];
	}
	if (!rule || !rule->line)
		return policy_change_err(ctl, "policy-replace", err);
	if (ctl->nl.ext_msg[0])
		fprintf(stderr, "%s:%u: %s\n", name, rule->line,
			ctl->nl.ext_msg);
	else
		fprintf(stderr, "%s:%u: the kernel refused rule %u: %s\n",
			name, rule->line, rule->id, strerror(-err));
	return EXIT_ERROR;
}

static int policy_cmd_load(struct pthructl *ctl, int argc, char **argv)
{
	struct policy_doc doc;
	struct nlmsghdr *req;
	const char *name;
	char *buf;
	int ret;

	if (argc < 2)
		return pt_err("missing policy file (see pthructl help policy)");
	if (argc > 2)
		return pt_err_extra_arg("policy", argv[2]);
	name = strcmp(argv[1], "-") ? argv[1] : STDIN_NAME;
	ret = policy_load_file(argv[1], &doc);
	if (ret)
		return ret;
	ret = pthructl_connect(ctl);
	if (ret)
		goto out;
	req = policy_big_request(ctl, PTHRU_CMD_POLICY_REPLACE, &doc, true,
				 &buf);
	if (!req) {
		ret = pt_err("out of memory");
		goto out;
	}
	policy_fit_sndbuf(ctl, req->nlmsg_len);
	ret = nl_do(&ctl->nl, req, NULL, NULL);
	if (ret)
		ret = policy_replace_err(ctl, name, &doc, req, ret);
	free(buf);
out:
	policy_doc_free(&doc);
	return ret;
}

struct decisions_reply {
	struct policy_decision_list list;
	bool malformed;
	uint16_t bad_type;
};

/* Each policy-test reply, the do's or a dump message, has one decision. */
static int decisions_cb(const struct nlmsghdr *nlh, void *data)
{
	struct decisions_reply *r = data;
	size_t before = r->list.n;
	int err;

	err = policy_decisions_parse(nlh, &r->list, &r->bad_type);
	if (!err && r->list.n != before + 1) {
		r->bad_type = PTHRU_A_POLICY_DECISION;
		err = -EBADMSG;
	}
	if (err) {
		r->malformed = err == -EBADMSG;
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * policy-test of @doc for binding to @driver: a do for @addr (one
 * decision), else a dump (one decision per function).  Prints the error
 * and returns EXIT_ERROR on failure; else the caller frees @r->list.
 */
static int policy_test_send(struct pthructl *ctl, const struct policy_doc *doc,
			    const char *addr, const char *driver,
			    struct decisions_reply *r)
{
	char fallback[64];
	struct nlmsghdr *req;
	char *buf;
	int err;

	memset(r, 0, sizeof(*r));
	req = policy_big_request(ctl, PTHRU_CMD_POLICY_TEST, doc, false, &buf);
	if (!req)
		return pt_err("out of memory");
	if (addr)
		mnl_attr_put_strz(req, PTHRU_A_POLICY_TEST_ADDR, addr);
	mnl_attr_put_strz(req, PTHRU_A_POLICY_TEST_DRIVER, driver);
	policy_fit_sndbuf(ctl, req->nlmsg_len);
	if (addr)
		err = nl_do(&ctl->nl, req, decisions_cb, r);
	else
		err = nl_dump(&ctl->nl, req, decisions_cb, r);
	free(buf);
	if (!err)
		return EXIT_OK;
	policy_decision_list_free(&r->list);
	if (err == -ENODEV && addr && !r->malformed) {
		snprintf(fallback, sizeof(fallback), "no PCI function %s", addr);
		return pthructl_nl_err(ctl, err, fallback);
	}
	return policy_nl_err(ctl, "policy-test", err, r->malformed,
			     r->bad_type);
}

static int policy_check_driver(const char *driver)
{
	if (!driver[0] || strlen(driver) > POLICY_NAME_MAX)
		return pt_err("invalid driver name '%s' (1 to %d characters)",
			      driver, POLICY_NAME_MAX);
	return EXIT_OK;
}

/*
 * policy test over facts pthructl gathered itself: the module's
 * policy-test, made here (policy_local.c).  Prints the error and returns
 * EXIT_ERROR on failure; else the caller frees @list.
 */
static int policy_test_local(const struct facts *facts,
			     const struct policy_doc *doc, const char *addr,
			     const char *driver,
			     struct policy_decision_list *list)
{
	char err[POLICY_LOCAL_ERR_MAX];
	int ret;

	memset(list, 0, sizeof(*list));
	ret = policy_local_test(facts, doc, addr, driver, list, err,
				sizeof(err));
	if (!ret)
		return EXIT_OK;
	policy_decision_list_free(list);
	if (ret == -ENOMEM)
		return pt_err("out of memory");
	return pt_err("%s", err);
}

static int policy_cmd_test(struct pthructl *ctl, int argc, char **argv)
{
	const char *driver = pthructl_opt(ctl, "--driver");
	char addr[PCI_ADDR_STRLEN];
	struct decisions_reply r;
	struct policy_doc doc;
	struct facts facts;
	bool local;
	size_t i;
	int ret;

	if (argc < 2)
		return pt_err("missing policy file (see pthructl help policy)");
	if (argc > 3)
		return pt_err_extra_arg("policy", argv[3]);
	if (argc == 3 && pci_addr_normalize(argv[2], addr, sizeof(addr)))
		return pt_err_bad_addr(argv[2]);
	if (!driver)
		driver = POLICY_TEST_DRIVER;
	if (policy_check_driver(driver))
		return EXIT_ERROR;
	ret = policy_load_file(argv[1], &doc);
	if (ret)
		return ret;
	/* The module when it is loaded; else sysfs, or --snapshot FILE. */
	ret = source_gather(ctl, &facts, &local);
	if (!ret && local)
		ret = policy_test_local(&facts, &doc, argc == 3 ? addr : NULL,
					driver, &r.list);
	else if (!ret)
		ret = policy_test_send(ctl, &doc, argc == 3 ? addr : NULL,
				       driver, &r);
	policy_doc_free(&doc);
	if (ret) {
		facts_free(&facts);
		return ret;
	}
	ret = policy_test_print(stdout, driver, &r.list, ctl->json);
	/*
	 * "Would this bind be allowed?" is answered by the exit status; a
	 * decision that is not established is no allow.
	 */
	for (i = 0; !ret && argc == 3 && i < r.list.n; i++)
		if (r.list.items[i].verdict != PTHRU_ACTION_ALLOW ||
		    r.list.items[i].not_established)
			ret = EXIT_FINDINGS;
	policy_decision_list_free(&r.list);
	facts_free(&facts);
	return ret;
}

struct dev_dump {
	struct dev_view *devs;
	size_t n;
	size_t cap;
	bool malformed;
	uint16_t bad_type;
};

static int dev_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_dump *d = data;

	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct dev_view *grown;

		grown = realloc(d->devs, cap * sizeof(*grown));
		if (!grown) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		d->devs = grown;
		d->cap = cap;
	}
	if (dev_parse(nlh, &d->devs[d->n], &d->bad_type)) {
		d->malformed = true;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	d->n++;
	return MNL_CB_OK;
}

/*
 * What @dev meets, from policy-test of "rule 1 allow require all" on it:
 * every requirement but the unmet ones.
 */
static int policy_gen_probe(struct pthructl *ctl, const struct dev_view *dev,
			    struct policy_gen_entry *e)
{
	struct policy_rule all = {
		.id = 1,
		.action = PTHRU_ACTION_ALLOW,
		.requirements = POLICY_REQ_ALL,
	};
	struct policy_doc doc = {
		.default_action = PTHRU_ACTION_DENY,
		.nr_rules = 1,
		.rules = &all,
	};
	struct decisions_reply r;
	int ret;

	memset(e, 0, sizeof(*e));
	snprintf(e->addr, sizeof(e->addr), "%s", dev->addr);
	e->vendor = dev->vendor;
	e->device = dev->device;
	/* The caller skips longer names, which no rule could match. */
	snprintf(e->driver, sizeof(e->driver), "%.*s", POLICY_NAME_MAX,
		 dev->driver);
	ret = policy_test_send(ctl, &doc, dev->addr, e->driver, &r);
	if (ret)
		return ret;
	if (r.list.n != 1) {
		policy_decision_list_free(&r.list);
		return pt_err("policy-test of %s gave %zu decisions, not one",
			      dev->addr, r.list.n);
	}
	e->met = POLICY_REQ_ALL & ~r.list.items[0].unmet;
	policy_decision_list_free(&r.list);
	return EXIT_OK;
}

static int policy_cmd_generate(struct pthructl *ctl, int argc, char **argv)
{
	struct policy_gen_entry *entries = NULL;
	struct dev_dump d = {};
	struct policy_doc doc;
	struct nlmsghdr *nlh;
	char host[256] = "", err[256];
	size_t i, n = 0;
	int ret;

	if (argc > 1)
		return pt_err_extra_arg("policy", argv[1]);
	ret = pthructl_connect(ctl);
	if (ret)
		return ret;
	nlh = nl_msg_start(&ctl->nl, ctl->nl.family.id, PTHRU_CMD_DEV_GET,
			   PTHRU_FAMILY_VERSION);
	ret = nl_dump(&ctl->nl, nlh, dev_dump_cb, &d);
	if (d.malformed)
		ret = pt_err("malformed dev-get reply from the kernel (attribute %u)",
			     d.bad_type);
	else if (ret)
		ret = pthructl_nl_err(ctl, ret, NULL);
	if (!ret && d.n) {
		entries = calloc(d.n, sizeof(*entries));
		if (!entries)
			ret = pt_err("out of memory");
	}
	for (i = 0; !ret && i < d.n; i++) {
		if (!dev_has(&d.devs[i], PTHRU_A_DEV_DRIVER) ||
		    !policy_driver_is_passthrough(d.devs[i].driver) ||
		    strlen(d.devs[i].driver) > POLICY_NAME_MAX)
			continue;
		ret = policy_gen_probe(ctl, &d.devs[i], &entries[n]);
		if (!ret)
			n++;
	}
	free(d.devs);
	if (!ret) {
		ret = policy_generate_doc(entries, n, &doc);
		if (ret)
			ret = pt_err("%s", ret == -E2BIG ?
				     "more functions to allow than a policy has rules" :
				     "out of memory");
	}
	if (!ret) {
		if (policy_doc_check(&doc, err, sizeof(err)))
			ret = pt_err("the generated policy cannot be written in the policy language: %s",
				     err);
		else if (gethostname(host, sizeof(host) - 1))
			snprintf(host, sizeof(host), "this host");
		if (!ret)
			policy_generate_print(stdout, host, entries, n, &doc);
		policy_doc_free(&doc);
	}
	free(entries);
	return ret;
}

static const struct {
	const char *name;
	int (*run)(struct pthructl *ctl, int argc, char **argv);
	bool json;		/* -j means something to it */
} policy_cmds[] = {
	{ "show", policy_cmd_show, true },
	{ "mode", policy_cmd_mode, true },
	{ "lock", policy_cmd_lock, true },
	{ "load", policy_cmd_load, true },
	{ "save", policy_cmd_save, false },
	{ "test", policy_cmd_test, true },
	{ "generate", policy_cmd_generate, false },
};

int cmd_policy(struct pthructl *ctl, int argc, char **argv)
{
	/* Without a subcommand, show: its handler then gets argc 0. */
	static const char *const test_only[] = {
		"--driver", "--no-module", "--snapshot",
	};
	const char *sub = argc ? argv[0] : "show";
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(policy_cmds); i++) {
		if (strcmp(sub, policy_cmds[i].name))
			continue;
		for (k = 0; k < ARRAY_SIZE(test_only); k++)
			if (pthructl_opt(ctl, test_only[k]) &&
			    policy_cmds[i].run != policy_cmd_test)
				return pt_err("option '%s' is only for policy test",
					      test_only[k]);
		if (ctl->json && !policy_cmds[i].json)
			return pt_err("policy %s prints the policy language, not JSON",
				      sub);
		return policy_cmds[i].run(ctl, argc, argv);
	}
	return pt_err("unknown policy command '%s' (see pthructl help policy)",
		      sub);
}
