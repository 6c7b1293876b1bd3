/*
 * tests/unit/test_util.c -- arena, buffer, ASCII helpers, logger.
 */
#include "testutil.h"

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/log.h>

#include "util/alloc.h"
#include "util/limits.h"
#include "util/str.h"

static void
test_arena_basic(void **state)
{
	struct dg_arena	*a = dg_arena_new(0);
	char		*s, *big;
	int		 i;

	(void)state;
	assert_non_null(a);
	s = dg_arena_strndup(a, "hello world", 5);
	CHECK_STR("strndup", s, "hello");
	assert_int_equal((uintptr_t)s % 16, 0);
	s = dg_arena_printf(a, "%s-%d", "x", 42);
	CHECK_STR("printf", s, "x-42");
	big = dg_arena_alloc(a, 100000);	/* larger than one block */
	assert_non_null(big);
	memset(big, 'x', 100000);
	for (i = 0; i < 1000; i++)
		assert_non_null(dg_arena_alloc(a, 100));
	assert_false(dg_arena_over_limit(a));
	dg_arena_reset(a);
	assert_int_equal(dg_arena_used(a), 0);
	s = dg_arena_strdup(a, "again");
	CHECK_STR("after reset", s, "again");
	dg_arena_free(a);
	dg_arena_free(NULL);
}

static void
test_arena_ceiling(void **state)
{
	struct dg_arena	*a = dg_arena_new(64 * 1024);

	(void)state;
	assert_non_null(dg_arena_alloc(a, 1000));
	assert_null(dg_arena_alloc(a, 70 * 1024));
	assert_true(dg_arena_over_limit(a));
	assert_int_equal(dg_arena_err(a), DG_ETOOBIG);
	assert_null(dg_arena_calloc(a, SIZE_MAX / 2, 4));
	assert_null(dg_arena_alloc(a, SIZE_MAX));
	dg_arena_free(a);
}

static void
test_arena_enomem(void **state)
{
	struct dg_arena	*a;

	(void)state;
	dg_alloc_fail_after(1);
	a = dg_arena_new(0);
	assert_null(a);
	assert_true(dg_alloc_failed());
	a = dg_arena_new(0);
	dg_alloc_fail_after(1);
	assert_null(dg_arena_alloc(a, 10));
	assert_int_equal(dg_arena_err(a), DG_ENOMEM);
	dg_alloc_fail_after(0);
	assert_non_null(dg_arena_alloc(a, 10));
	dg_arena_free(a);
}

static void
test_buf(void **state)
{
	struct dg_buf	b;
	char		*s;
	size_t		 len;
	int		 i;

	(void)state;
	dg_buf_init(&b, 0);
	CHECK_STR("empty", dg_buf_str(&b), "");
	dg_buf_puts(&b, "abc");
	dg_buf_putc(&b, '-');
	dg_buf_printf(&b, "%05d", 42);
	dg_buf_append(&b, "xyz", 2);
	CHECK_STR("concat", dg_buf_str(&b), "abc-00042xy");
	assert_int_equal(b.len, 11);
	for (i = 0; i < 10000; i++)
		dg_buf_putc(&b, 'z');
	assert_int_equal(dg_buf_err(&b), DG_OK);
	assert_int_equal(b.len, 10011);
	s = dg_buf_steal(&b, &len);
	assert_int_equal(len, 10011);
	free(s);
	dg_buf_free(&b);

	dg_buf_init(&b, 8);
	dg_buf_puts(&b, "12345678");
	assert_int_equal(dg_buf_err(&b), DG_OK);
	dg_buf_putc(&b, '9');
	assert_int_equal(dg_buf_err(&b), DG_ETOOBIG);
	dg_buf_puts(&b, "");			/* error is sticky */
	assert_int_equal(dg_buf_err(&b), DG_ETOOBIG);
	CHECK_STR("kept", dg_buf_str(&b), "12345678");
	dg_buf_free(&b);

	dg_buf_init(&b, 0);
	dg_alloc_fail_after(1);
	dg_buf_puts(&b, "x");
	assert_int_equal(dg_buf_err(&b), DG_ENOMEM);
	dg_alloc_fail_after(0);
	dg_buf_free(&b);
}

static void
test_str(void **state)
{
	static const struct {
		const char	*name;
		const char	*in;
		uint64_t	 max;
		bool		 ok;
		uint64_t	 want;
	} nums[] = {
		{ "zero", "0", 10, true, 0 },
		{ "max", "255", 255, true, 255 },
		{ "over", "256", 255, false, 0 },
		{ "huge", "99999999999999999999999", UINT64_MAX, false, 0 },
		{ "u64max", "18446744073709551615", UINT64_MAX, true,
		    UINT64_MAX },
		{ "sign", "-1", 10, false, 0 },
		{ "empty", "", 10, false, 0 },
		{ "junk", "1a", 10, false, 0 },
		{ "max-below-digit", "5", 3, false, 0 },
	};
	char		 buf[8];
	size_t		 i;

	(void)state;
	assert_true(dg_strcaseeq("Example.COM", "example.com"));
	assert_false(dg_strcaseeq("example.co", "example.com"));
	assert_true(dg_memcaseeq("ABC", 3, "abc", 3));
	assert_false(dg_memcaseeq("\xc4", 1, "\xe4", 1));	/* no locale */
	assert_true(dg_ends_with_ci("mail.Example.com", 16, ".EXAMPLE.com"));
	assert_false(dg_ends_with_ci("com", 3, ".com"));
	assert_int_equal(dg_strlcpy(buf, "truncate me", sizeof(buf)), 11);
	CHECK_STR("strlcpy", buf, "truncat");
	CHECK_STR("fmt", dg_fmt(buf, sizeof(buf), "%d-%s", 12, "abcdef"),
	    "12-abcd");
	for (i = 0; i < NELEM(nums); i++) {
		uint64_t	v = 0;
		bool		ok;

		ok = dg_parse_uint(nums[i].in, strlen(nums[i].in),
		    nums[i].max, &v);
		CHECK_INT(nums[i].name, ok, nums[i].ok);
		if (ok)
			CHECK_INT(nums[i].name, v, nums[i].want);
	}
}

static char	logged[256];
static int	nlogged;

static void
capture(void *ctx, enum dg_log_level level, const char *msg)
{
	(void)ctx;
	snprintf(logged, sizeof(logged), "%s|%s", dg_log_level_str(level),
	    msg);
	nlogged++;
}

static void
test_log(void **state)
{
	enum dg_log_level	lv;

	(void)state;
	dg_log_set_sink(capture, NULL);
	dg_log_set_level(DG_LOG_WARN);
	dg_log(DG_LOG_DEBUG, "hidden %d", 1);
	assert_int_equal(nlogged, 0);
	dg_log(DG_LOG_ERROR, "shown %d", 2);
	CHECK_STR("error", logged, "error|shown 2");
	assert_true(dg_log_level_parse("DEBUG", &lv));
	assert_int_equal(lv, DG_LOG_DEBUG);
	assert_false(dg_log_level_parse("loud", &lv));
	dg_log_set_level(lv);
	dg_log(DG_LOG_DEBUG, "now %s", "visible");
	CHECK_STR("debug", logged, "debug|now visible");
	assert_int_equal(nlogged, 2);
	dg_log_set_sink(NULL, NULL);
	dg_log(DG_LOG_ERROR, "dropped");
	assert_int_equal(nlogged, 2);
	CHECK_STR("strerror", dg_strerror(DG_ETOOBIG), "input exceeds a limit");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_basic),
		cmocka_unit_test(test_arena_ceiling),
		cmocka_unit_test(test_arena_enomem),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
