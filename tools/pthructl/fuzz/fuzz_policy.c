// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the policy language.  Whatever the input, parsing
 * must not crash, leak or read past it; and whatever parses must survive
 * the save -> load round trip: the canonical text parses again into the
 * same document, and prints as the same bytes.  Any failure of that
 * oracle aborts, which libFuzzer reports as a crash with its input.
 *
 * Built by scripts/fuzz.sh with clang -fsanitize=fuzzer,address,undefined.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* @doc in canonical form, malloc'd, its length in @len; aborts on failure. */
static char *format_doc(const struct policy_doc *doc, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		abort();	/* out of memory: not the parser's fault */
	if (policy_format(f, doc)) {
		fprintf(stderr, "fuzz_policy: a parsed document does not format\n");
		abort();
	}
	if (fclose(f))
		abort();
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_doc doc, again;
	char err[256], *out, *out2;
	size_t len, len2;

	if (policy_parse("fuzz", (const char *)data, size, &doc, err,
			 sizeof(err))) {
		/* an error is one line naming the file */
		if (strncmp(err, "fuzz:", 5) || strchr(err, '\n')) {
			fprintf(stderr, "fuzz_policy: bad error \"%s\"\n", err);
			abort();
		}
		return 0;
	}
	out = format_doc(&doc, &len);
	if (policy_parse("canonical", out, len, &again, err, sizeof(err))) {
		fprintf(stderr, "fuzz_policy: canonical form refused: %s\n--\n%s--\n",
			err, out);
		abort();
	}
	if (!policy_doc_equal(&doc, &again)) {
		fprintf(stderr, "fuzz_policy: parse(format(D)) != D\n--\n%s--\n",
			out);
		abort();
	}
	out2 = format_doc(&again, &len2);
	if (len != len2 || memcmp(out, out2, len)) {
		fprintf(stderr, "fuzz_policy: format is not stable\n--\n%s--\n%s--\n",
			out, out2);
		abort();
	}
	free(out2);
	free(out);
	policy_doc_free(&again);
	policy_doc_free(&doc);
	return 0;
}
