// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for snapshot files.  Whatever the input, reading must
 * not crash, leak or read past it, and a refusal must be one line naming
 * the file with the facts left zeroed; whatever reads must write, read
 * back, and write again as the same bytes.  Any failure of that oracle
 * aborts, which libFuzzer reports as a crash with its input.
 *
 * Built by scripts/fuzz.sh with clang -fsanitize=fuzzer,address,undefined.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* snapfile_write()'s text of @f, malloc'd; aborts when it refuses. */
static char *write_facts(const struct facts *f, size_t *len)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	int ret;

	if (!out)
		abort();	/* out of memory: not the reader's fault */
	ret = snapfile_write(out, f);
	if (fclose(out))
		abort();
	if (ret) {
		fprintf(stderr, "fuzz_snapfile: facts read do not write (%d)\n",
			ret);
		abort();
	}
	return text;
}

static bool zeroed(const struct facts *f)
{
	static const struct facts zero;

	return !memcmp(f, &zero, sizeof(*f));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct facts f, again;
	char why[512], *out, *out2;
	size_t len, len2;

	if (snapfile_parse((const char *)data, size, "fuzz", &f, why,
			   sizeof(why))) {
		if (strncmp(why, "fuzz: ", 6) || strchr(why, '\n') ||
		    !zeroed(&f)) {
			fprintf(stderr, "fuzz_snapfile: bad refusal \"%s\"\n",
				why);
			abort();
		}
		return 0;
	}
	out = write_facts(&f, &len);
	if (snapfile_parse(out, len, "written", &again, why, sizeof(why))) {
		fprintf(stderr, "fuzz_snapfile: what it wrote is refused: %s\n--\n%s--\n",
			why, out);
		abort();
	}
	if (!pthru_snapshot_same_host(f.snap, again.snap)) {
		fprintf(stderr, "fuzz_snapfile: read(write(F)) != F\n--\n%s--\n",
			out);
		abort();
	}
	out2 = write_facts(&again, &len2);
	if (len != len2 || memcmp(out, out2, len)) {
		fprintf(stderr, "fuzz_snapfile: write is not stable\n--\n%s--\n%s--\n",
			out, out2);
		abort();
	}
	free(out2);
	free(out);
	facts_free(&again);
	facts_free(&f);
	return 0;
}
