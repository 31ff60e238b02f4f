// SPDX-License-Identifier: GPL-2.0
/*
 * The runner behind kunit/test.h: runs every registered suite's cases (or
 * those of the suites named on the command line, glob patterns allowed),
 * one "ok - suite.case" or "not ok - suite.case" line each, then
 * "N passed, N failed".  A parameterised case passes when every parameter
 * passes.  Exit status 1 when a case failed.
 */
#include <errno.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <kunit/test.h>

#define MAX_SUITES	64

/* Memory handed out by kunit_kmalloc(), freed when the case ends. */
struct shim_alloc {
	struct shim_alloc *next;
	max_align_t data[];
};

struct shim_case {
	jmp_buf abort;
	struct shim_alloc *allocs;
	const char *param_desc;
	char values[256];
};

static struct kunit_suite *suites[MAX_SUITES];
static unsigned int nr_suites;

void kunit_shim_register(struct kunit_suite **list)
{
	for (; *list; list++) {
		if (nr_suites == MAX_SUITES) {
			fprintf(stderr, "kunit: more than %d suites\n",
				MAX_SUITES);
			exit(2);
		}
		suites[nr_suites++] = *list;
	}
}

unsigned long kunit_shim_param(const char *name, unsigned long def)
{
	const char *text = getenv(name);
	unsigned long val;
	char *end;

	if (!text || !*text)
		return def;
	errno = 0;
	val = strtoul(text, &end, 0);
	if (errno || *end) {
		fprintf(stderr, "kunit: %s=%s is not a number\n", name, text);
		exit(2);
	}
	return val;
}

static struct shim_case *shim(struct kunit *test)
{
	return test->shim;
}

void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	struct shim_alloc *a;

	(void)gfp;
	a = malloc(sizeof(*a) + size);
	if (!a)
		return NULL;
	a->next = shim(test)->allocs;
	shim(test)->allocs = a;
	return a->data;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct shim_alloc **pp, *a;

	for (pp = &shim(test)->allocs; (a = *pp); pp = &a->next) {
		if ((const void *)a->data == ptr) {
			*pp = a->next;
			free(a);
			return;
		}
	}
}

static void free_allocs(struct shim_case *c)
{
	struct shim_alloc *a;

	while ((a = c->allocs)) {
		c->allocs = a->next;
		free(a);
	}
}

void kunit_shim_log(struct kunit *test, const char *fmt, ...)
{
	va_list args;

	(void)test;
	fputs("    # ", stdout);
	va_start(args, fmt);
	vprintf(fmt, args);
	va_end(args);
}

const char *kunit_shim_ints(struct kunit *test, long long left,
			    long long right)
{
	char *buf = shim(test)->values;

	snprintf(buf, sizeof(shim(test)->values),
		 "left %lld (0x%llx), right %lld (0x%llx)", left,
		 (unsigned long long)left, right, (unsigned long long)right);
	return buf;
}

const char *kunit_shim_ptrs(struct kunit *test, const void *left,
			    const void *right)
{
	char *buf = shim(test)->values;

	snprintf(buf, sizeof(shim(test)->values), "left %p, right %p", left,
		 right);
	return buf;
}

const char *kunit_shim_strs(struct kunit *test, const char *left,
			    const char *right)
{
	char *buf = shim(test)->values;

	snprintf(buf, sizeof(shim(test)->values), "left \"%s\", right \"%s\"",
		 left ? left : "(null)", right ? right : "(null)");
	return buf;
}

void kunit_shim_failed(struct kunit *test, bool abort, const char *file,
		       int line, const char *what, const char *values,
		       const char *fmt, ...)
{
	struct shim_case *c = shim(test);
	va_list args;

	test->failed = true;
	printf("    # %s%s%s: %s FAILED at %s:%d\n", test->name,
	       c->param_desc ? " " : "", c->param_desc ? c->param_desc : "",
	       abort ? "ASSERTION" : "EXPECTATION", file, line);
	printf("    # expected %s\n", what);
	if (values)
		printf("    # %s\n", values);
	if (fmt) {
		fputs("    # ", stdout);
		va_start(args, fmt);
		vprintf(fmt, args);
		va_end(args);
		putchar('\n');
	}
	if (abort)
		longjmp(c->abort, 1);
}

/* One run of a case, with one parameter or none: false when it failed. */
static bool run_once(struct kunit_suite *suite, struct kunit_case *kc,
		     const void *param, const char *desc)
{
	struct shim_case c = { .param_desc = desc };
	struct kunit test = {
		.name = kc->name,
		.param_value = param,
		.shim = &c,
	};

	/* volatile: it must survive the longjmp() of a failed assertion */
	volatile bool init_ok = true;

	if (!setjmp(c.abort)) {
		if (suite->init && suite->init(&test)) {
			init_ok = false;
			test.failed = true;
			printf("    # %s: the suite's init failed\n", kc->name);
		} else {
			kc->run_case(&test);
		}
	}
	if (init_ok && suite->exit && !setjmp(c.abort))
		suite->exit(&test);
	free_allocs(&c);
	return !test.failed;
}

static bool run_case(struct kunit_suite *suite, struct kunit_case *kc)
{
	char desc[KUNIT_PARAM_DESC_SIZE];
	const void *param = NULL;
	bool ok = true;

	if (!kc->generate_params)
		return run_once(suite, kc, NULL, NULL);
	for (;;) {
		desc[0] = '\0';
		param = kc->generate_params(param, desc);
		if (!param)
			break;
		ok &= run_once(suite, kc, param, desc);
	}
	return ok;
}

static bool wanted(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return true;
	for (i = 1; i < argc; i++)
		if (!fnmatch(argv[i], name, 0))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0, i;
	struct kunit_case *kc;
	bool ok;

	/* Lines, not blocks, even when the output goes to a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < nr_suites; i++) {
		if (!wanted(suites[i]->name, argc, argv))
			continue;
		for (kc = suites[i]->test_cases; kc->run_case; kc++) {
			ok = run_case(suites[i], kc);
			printf("%s - %s.%s\n", ok ? "ok" : "not ok",
			       suites[i]->name, kc->name);
			if (ok)
				passed++;
			else
				failed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
