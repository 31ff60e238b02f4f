// SPDX-License-Identifier: GPL-2.0
/*
 * pthru_nocap - run a command the way an unprivileged user of pthru would.
 *
 *	pthru_nocap COMMAND [ARG...]		without CAP_NET_ADMIN
 *	pthru_nocap -u UID COMMAND [ARG...]	as UID (and gid UID), no capability
 *
 * Without -u the process stays uid 0 and loses only CAP_NET_ADMIN, the
 * capability pthru's operations that change state (audit, policy-set,
 * policy-replace, map-verify) check for themselves, answering EPERM with
 * an extack message naming it, and that joining the "alerts" multicast
 * group needs: it is dropped from the bounding set (so exec cannot give
 * it back to root) and from the inheritable, permitted, effective and
 * ambient sets.  CAP_SYS_ADMIN stays, so physical addresses are still
 * shown.  With -u the kernel clears every capability on the switch to a
 * non-zero uid (no physical addresses either).  busybox's setpriv can do
 * neither.
 * Exits 127 when it cannot set things up, with one line on stderr.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#define SETUP_FAILED	127

static int fail(const char *what)
{
	fprintf(stderr, "pthru_nocap: %s: %s\n", what, strerror(errno));
	return SETUP_FAILED;
}

static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	const unsigned int i = CAP_TO_INDEX(CAP_NET_ADMIN);
	const unsigned int mask = CAP_TO_MASK(CAP_NET_ADMIN);

	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN, 0, 0, 0))
		return fail("cannot drop CAP_NET_ADMIN from the bounding set");
	/* Kernels without ambient capabilities answer EINVAL: none to drop. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_NET_ADMIN, 0, 0) &&
	    errno != EINVAL)
		return fail("cannot lower the ambient CAP_NET_ADMIN");
	if (syscall(SYS_capget, &hdr, data))
		return fail("capget");
	data[i].effective &= ~mask;
	data[i].permitted &= ~mask;
	data[i].inheritable &= ~mask;
	if (syscall(SYS_capset, &hdr, data))
		return fail("capset");
	return 0;
}

static int become(const char *arg)
{
	char *end;
	unsigned long id;

	errno = 0;
	id = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || id == 0 || id > 0xfffffffeUL) {
		fprintf(stderr, "pthru_nocap: -u %s: not a non-zero uid\n", arg);
		return SETUP_FAILED;
	}
	if (setgroups(0, NULL))
		return fail("setgroups");
	if (setgid((gid_t)id))
		return fail("setgid");
	if (setuid((uid_t)id))
		return fail("setuid");
	return 0;
}

int main(int argc, char **argv)
{
	int first = 1, err;

	if (argc > 2 && !strcmp(argv[1], "-u")) {
		err = become(argv[2]);
		first = 3;
	} else {
		err = drop_net_admin();
	}
	if (err)
		return err;
	if (first >= argc) {
		fprintf(stderr, "usage: pthru_nocap [-u UID] COMMAND [ARG...]\n");
		return SETUP_FAILED;
	}
	execvp(argv[first], argv + first);
	fprintf(stderr, "pthru_nocap: cannot run %s: %s\n", argv[first],
		strerror(errno));
	return SETUP_FAILED;
}
