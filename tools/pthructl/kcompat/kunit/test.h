/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Enough of KUnit to run the core's suites (kmod/core/tests/NAME_kunit.c) as
 * a userspace program: test cases and suites, parameterised cases,
 * expectations and assertions, memory that is freed after each case, and
 * kunit_info()/kunit_err().
 *
 * An expectation that fails marks the case failed and the case goes on; an
 * assertion that fails also ends the case, by longjmp() back into the
 * runner.  Memory the case allocated from the core itself is then leaked,
 * which a test program can afford.  Suites register themselves from a
 * constructor, so kunit_test_suites() works unchanged.
 *
 * Not provided: suite_init/suite_exit, resources and deferred actions
 * beyond kunit_kmalloc() and friends, skipping, and KTAP output.
 */
#ifndef _KCOMPAT_KUNIT_TEST_H
#define _KCOMPAT_KUNIT_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/types.h>

#define KUNIT_PARAM_DESC_SIZE	128

struct kunit;

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char *name;
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

/**
 * struct kunit - one running case
 * @name: the case's name
 * @param_value: the current parameter of a parameterised case
 * @priv: for the suite's init and exit
 * @failed: an expectation or assertion failed
 * @shim: the runner's own state
 */
struct kunit {
	const char *name;
	const void *param_value;
	void *priv;
	bool failed;
	void *shim;
};

#define KUNIT_CASE(test_name)	{ .run_case = test_name, .name = #test_name }
#define KUNIT_CASE_PARAM(test_name, gen_params)				\
	{ .run_case = test_name, .name = #test_name,			\
	  .generate_params = gen_params }

#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof(&(array)[0]) __prev = prev;			\
		typeof(&(array)[0]) __next = __prev ? __prev + 1 : (array); \
		if ((size_t)(__next - (array)) < ARRAY_SIZE(array)) {	\
			void (*__get_desc)(typeof(__next), char *) = get_desc; \
			if (__get_desc)					\
				__get_desc(__next, desc);		\
			return __next;					\
		}							\
		return NULL;						\
	}

void kunit_shim_register(struct kunit_suite **suites);

/* A number a test takes from the environment, or @def. */
unsigned long kunit_shim_param(const char *name, unsigned long def);

#define kunit_test_suites(...)						\
	static struct kunit_suite *__kunit_shim_suites[] = {		\
		__VA_ARGS__, NULL					\
	};								\
	__attribute__((constructor))					\
	static void __kunit_shim_register(void)				\
	{								\
		kunit_shim_register(__kunit_shim_suites);		\
	}

void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp);

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	void *p = kunit_kmalloc(test, size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

static inline void *kunit_kmalloc_array(struct kunit *test, size_t n,
					size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return kunit_kmalloc(test, bytes, gfp);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	void *p = kunit_kmalloc_array(test, n, size, gfp);

	if (p)
		memset(p, 0, n * size);
	return p;
}

void kunit_kfree(struct kunit *test, const void *ptr);

__printf(2, 3) void kunit_shim_log(struct kunit *test, const char *fmt, ...);

#define kunit_info(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)

/*
 * Report a failed check: @what is the check as written, @values what its
 * operands were (or NULL), @fmt the test's own message (or NULL).  When
 * @abort is set this does not return.
 */
__printf(7, 8)
void kunit_shim_failed(struct kunit *test, bool abort, const char *file,
		       int line, const char *what, const char *values,
		       const char *fmt, ...);
const char *kunit_shim_ints(struct kunit *test, long long left,
			    long long right);
const char *kunit_shim_ptrs(struct kunit *test, const void *left,
			    const void *right);
const char *kunit_shim_strs(struct kunit *test, const char *left,
			    const char *right);

/*
 * Integers compare as the kernel's KUnit compares them, with their own
 * types; the kernel's W=1 does not warn about mixed signedness, so
 * neither does this.
 */
#define KUNIT_SHIM_INT(test, abort, left, op, right, fmt, ...) do {	\
	const typeof(left) __kunit_l = (left);				\
	const typeof(right) __kunit_r = (right);			\
	bool __kunit_ok;						\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wsign-compare\"")		\
	__kunit_ok = __kunit_l op __kunit_r;				\
	_Pragma("GCC diagnostic pop")					\
	if (!__kunit_ok)						\
		kunit_shim_failed(test, abort, __FILE__, __LINE__,	\
				  #left " " #op " " #right,		\
				  kunit_shim_ints(test,			\
						  (long long)__kunit_l,	\
						  (long long)__kunit_r),\
				  fmt, ##__VA_ARGS__);			\
} while (0)

#define KUNIT_SHIM_PTR(test, abort, left, op, right, fmt, ...) do {	\
	const void *__kunit_l = (left);					\
	const void *__kunit_r = (right);				\
	if (!(__kunit_l op __kunit_r))					\
		kunit_shim_failed(test, abort, __FILE__, __LINE__,	\
				  #left " " #op " " #right,		\
				  kunit_shim_ptrs(test, __kunit_l,	\
						  __kunit_r),		\
				  fmt, ##__VA_ARGS__);			\
} while (0)

#define KUNIT_SHIM_STR(test, abort, left, op, right, fmt, ...) do {	\
	const char *__kunit_l = (left);					\
	const char *__kunit_r = (right);				\
	bool __kunit_ok = __kunit_l && __kunit_r &&			\
			  strcmp(__kunit_l, __kunit_r) op 0;		\
	if (!__kunit_ok)						\
		kunit_shim_failed(test, abort, __FILE__, __LINE__,	\
				  #left " " #op " " #right,		\
				  kunit_shim_strs(test, __kunit_l,	\
						  __kunit_r),		\
				  fmt, ##__VA_ARGS__);			\
} while (0)

#define KUNIT_SHIM_BOOL(test, abort, cond, want, text, fmt, ...) do {	\
	if ((bool)(cond) != (want))					\
		kunit_shim_failed(test, abort, __FILE__, __LINE__,	\
				  text, NULL, fmt, ##__VA_ARGS__);	\
} while (0)

/* Expectations: the case goes on. */
#define KUNIT_EXPECT_TRUE_MSG(test, cond, fmt, ...)			\
	KUNIT_SHIM_BOOL(test, false, cond, true, #cond " is true", fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(test, cond, fmt, ...)			\
	KUNIT_SHIM_BOOL(test, false, cond, false, #cond " is false", fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, false, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, false, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, false, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, false, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, false, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_PTR(test, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_PTR(test, false, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL_MSG(test, p, fmt, ...)			\
	KUNIT_SHIM_PTR(test, false, p, ==, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, fmt, ...)			\
	KUNIT_SHIM_PTR(test, false, p, !=, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...)		\
	KUNIT_SHIM_BOOL(test, false, IS_ERR_OR_NULL(p), false,		\
			#p " is not an error or NULL", fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_STR(test, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_STR(test, false, l, !=, r, fmt, ##__VA_ARGS__)

/* Assertions: the case ends. */
#define KUNIT_ASSERT_TRUE_MSG(test, cond, fmt, ...)			\
	KUNIT_SHIM_BOOL(test, true, cond, true, #cond " is true", fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(test, cond, fmt, ...)			\
	KUNIT_SHIM_BOOL(test, true, cond, false, #cond " is false", fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, true, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, true, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, true, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, true, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, true, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_INT(test, true, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_PTR(test, true, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL_MSG(test, p, fmt, ...)			\
	KUNIT_SHIM_PTR(test, true, p, ==, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL_MSG(test, p, fmt, ...)			\
	KUNIT_SHIM_PTR(test, true, p, !=, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...)		\
	KUNIT_SHIM_BOOL(test, true, IS_ERR_OR_NULL(p), false,		\
			#p " is not an error or NULL", fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_SHIM_STR(test, true, l, ==, r, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_TRUE(test, c)	KUNIT_EXPECT_TRUE_MSG(test, c, NULL)
#define KUNIT_EXPECT_FALSE(test, c)	KUNIT_EXPECT_FALSE_MSG(test, c, NULL)
#define KUNIT_EXPECT_EQ(test, l, r)	KUNIT_EXPECT_EQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_NE(test, l, r)	KUNIT_EXPECT_NE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_LT(test, l, r)	KUNIT_EXPECT_LT_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_LE(test, l, r)	KUNIT_EXPECT_LE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_GT(test, l, r)	KUNIT_EXPECT_GT_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_GE(test, l, r)	KUNIT_EXPECT_GE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_PTR_EQ(test, l, r)	KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_PTR_NE(test, l, r)	KUNIT_EXPECT_PTR_NE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_NULL(test, p)	KUNIT_EXPECT_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_NOT_NULL(test, p)	KUNIT_EXPECT_NOT_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p)				\
	KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_STREQ(test, l, r)	KUNIT_EXPECT_STREQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_STRNEQ(test, l, r)	KUNIT_EXPECT_STRNEQ_MSG(test, l, r, NULL)

#define KUNIT_ASSERT_TRUE(test, c)	KUNIT_ASSERT_TRUE_MSG(test, c, NULL)
#define KUNIT_ASSERT_FALSE(test, c)	KUNIT_ASSERT_FALSE_MSG(test, c, NULL)
#define KUNIT_ASSERT_EQ(test, l, r)	KUNIT_ASSERT_EQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_NE(test, l, r)	KUNIT_ASSERT_NE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_LT(test, l, r)	KUNIT_ASSERT_LT_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_LE(test, l, r)	KUNIT_ASSERT_LE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_GT(test, l, r)	KUNIT_ASSERT_GT_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_GE(test, l, r)	KUNIT_ASSERT_GE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_PTR_EQ(test, l, r)	KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_NULL(test, p)	KUNIT_ASSERT_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NOT_NULL(test, p)	KUNIT_ASSERT_NOT_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p)				\
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_STREQ(test, l, r)	KUNIT_ASSERT_STREQ_MSG(test, l, r, NULL)

#endif /* _KCOMPAT_KUNIT_TEST_H */
