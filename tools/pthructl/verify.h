/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A verification walk of the shadow as the pthru family reports it (the
 * "verify" attribute set, map-verify): what it translated and what it
 * found.  The findings themselves come as hazards.
 */
#ifndef PTHRUCTL_VERIFY_H
#define PTHRUCTL_VERIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

struct pthructl;

struct pthru_verify {
	uint32_t present;	/* bit N: attribute PTHRU_A_VERIFY_N was sent */
	uint32_t group_id;
	uint32_t domains;
	uint64_t ranges;
	uint64_t translations;
	uint64_t skipped;
	uint64_t disagreements;
	uint64_t stale;
	uint64_t identity;
	uint64_t kernel_memory;
	uint64_t overreach;
	uint32_t incomplete_domains;
	uint32_t generation;
};

/*
 * Fill @v from a map-verify reply.  Returns 0, or -EBADMSG with *@bad_type
 * naming the malformed attribute.
 */
int verify_parse(const struct nlmsghdr *nlh, struct pthru_verify *v,
		 uint16_t *bad_type);

/* Did the walk find anything (a non-zero count of a finding kind)? */
bool verify_found(const struct pthru_verify *v);

/*
 * The output of "map verify": two lines,
 *   verified N domain(s): R ranges, T translations, S skipped
 *   disagreements D, stale S, identity I, kernel-memory K, overreach O, incomplete-domains N
 * ("-" for a count the module did not send), or with @json one object on
 * one line.
 */
void verify_print(FILE *out, const struct pthru_verify *v, bool json);

/* pthructl map verify [GROUP]: run the walk, print it; 1 when it found. */
int verify_run(struct pthructl *ctl, bool has_group, uint32_t group);

#endif /* PTHRUCTL_VERIFY_H */
