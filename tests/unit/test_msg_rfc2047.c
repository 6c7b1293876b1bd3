/*
 * tests/unit/test_msg_rfc2047.c -- RFC 2047 encoded words in unstructured
 * text: Q and B, charsets through iconv, joining, malformed words left as
 * written, output sanitised to UTF-8.
 */
#include "testutil.h"

#include <dmarcguard/arena.h>
#include <dmarcguard/msg.h>

#include "util/alloc.h"
#include "util/limits.h"

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;
} rows[] = {
	{ "plain", "plain text", "plain text" },
	{ "ws-kept", "  lead  and  trail  ", "  lead  and  trail  " },
	{ "tab", "tab\there", "tab here" },
	{ "folding-dropped", "a\r\n b", "a b" },
	{ "q-then-text", "=?utf-8?q?a?= b", "a b" },
	{ "text-then-q", "a =?utf-8?q?b?=", "a b" },
	{ "q-underscore", "=?UTF-8?Q?a_b?=", "a b" },
	{ "b-utf8", "=?utf-8?b?5pel5pys?=", "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "b-no-padding", "=?utf-8?b?YQ?=", "a" },
	{ "adjacent-ws-dropped", "=?utf-8?q?a?=\t=?utf-8?q?b?=", "ab" },
	{ "adjacent-charsets", "=?utf-8?q?a?= =?iso-8859-1?q?=E9?=",
	    "a\xc3\xa9" },
	{ "split-multibyte", "=?utf-8?q?=E6=97?= =?utf-8?q?=A5?=",
	    "\xe6\x97\xa5" },
	{ "lang-suffix", "=?utf-8*en?q?lang?=", "lang" },
	{ "back-to-back", "=?utf-8?q?a?==?utf-8?q?b?=", "ab" },
	{ "empty-text", "=?utf-8?q?" "?=", "" },
	{ "latin1-as-1252", "=?iso-8859-1?q?=80?=", "\xe2\x82\xac" },
	{ "windows-1251", "=?windows-1251?b?8OXw?=",
	    "\xd1\x80\xd0\xb5\xd1\x80" },
	{ "koi8-r", "=?koi8-r?q?=F0=D2=C9?=", "\xd0\x9f\xd1\x80\xd0\xb8" },
	{ "shift-jis", "=?Shift_JIS?B?k4yLng==?=", "\xe6\x9d\xb1\xe4\xba\xac" },
	{ "euc-jp", "=?euc-jp?b?xvzL3A==?=", "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "iso-2022-jp", "=?iso-2022-jp?b?GyRCRnxLXBsoQg==?=",
	    "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "gb2312", "=?gb2312?b?1tDOxA==?=", "\xe4\xb8\xad\xe6\x96\x87" },
	/* Left as written: not delimited, malformed, unknown charset. */
	{ "not-delimited-before", "x=?utf-8?q?a?=", "x=?utf-8?q?a?=" },
	{ "not-delimited-after", "=?utf-8?q?a?=x", "=?utf-8?q?a?=x" },
	{ "in-parens", "(=?utf-8?q?a?=)", "(=?utf-8?q?a?=)" },
	{ "bad-encoding", "=?utf-8?x?a?=", "=?utf-8?x?a?=" },
	{ "space-inside", "=?utf-8?q?a b?=", "=?utf-8?q?a b?=" },
	{ "no-encoding", "=?utf-8??a?=", "=?utf-8??a?=" },
	{ "no-charset", "=??q?a?=", "=??q?a?=" },
	{ "bad-b64", "=?utf-8?b?" "?" "?" "?" "?=",
	    "=?utf-8?b?" "?" "?" "?" "?=" },
	{ "b64-one-char", "=?utf-8?b?Y?=", "=?utf-8?b?Y?=" },
	{ "b64-extra-pad", "=?utf-8?b?YQ===?=", "=?utf-8?b?YQ===?=" },
	{ "bad-hex", "=?utf-8?q?b=ZZ?=", "=?utf-8?q?b=ZZ?=" },
	{ "short-hex", "=?utf-8?q?b=4?=", "=?utf-8?q?b=4?=" },
	{ "charset-slash", "=?UTF-8/TRANSLIT?q?a?=", "=?UTF-8/TRANSLIT?q?a?=" },
	{ "unknown-charset", "=?x-unknown?q?abc?=", "=?x-unknown?q?abc?=" },
	{ "malformed-between", "=?utf-8?q?a?= =?utf-8?q?b=ZZ?= =?utf-8?q?c?=",
	    "a =?utf-8?q?b=ZZ?= c" },
	/* Sanitised output. */
	{ "nul", "=?utf-8?q?a=00b?=", "a\xef\xbf\xbd" "b" },
	{ "crlf-injected", "=?utf-8?q?a=0D=0Ab?=",
	    "a\xef\xbf\xbd\xef\xbf\xbd" "b" },
	{ "surrogate", "=?utf-8?b?7aCA?=", "\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd" },
	{ "overlong", "=?utf-8?q?=C0=80?=", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "ascii-8bit", "=?us-ascii?q?=FF?=", "\xef\xbf\xbd" },
	{ "raw-8bit", "caf\xe9", "caf\xef\xbf\xbd" },
	{ "raw-utf8", "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "sjis-invalid", "=?Shift_JIS?q?=81?=", "\xef\xbf\xbd" },
};

static void
test_rows(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena	*a = dg_arena_new(0);
		const char	*out = NULL;
		size_t		 len = 0;

		CHECK_INT(rows[i].name, dg_msg_rfc2047_decode(a, rows[i].in,
		    strlen(rows[i].in), &out, &len), DG_OK);
		CHECK_STR(rows[i].name, out, rows[i].want);
		CHECK_INT(rows[i].name, len, strlen(rows[i].want));
		dg_arena_free(a);
	}
}

static void
test_limits(void **state)
{
	struct dg_arena	*a = dg_arena_new(0);
	const char	*out;
	size_t		 len, i, o;
	char		*s;

	(void)state;
	s = malloc(DG_HDR_FIELD_MAX + 2);
	assert_non_null(s);
	/* A word longer than DG_RFC2047_WORD_MAX stays as written. */
	memcpy(s, "=?utf-8?q?", 10);
	memset(s + 10, 'a', DG_RFC2047_WORD_MAX);
	memcpy(s + 10 + DG_RFC2047_WORD_MAX, "?=", 2);
	o = 12 + DG_RFC2047_WORD_MAX;
	CHECK_INT("long word", dg_msg_rfc2047_decode(a, s, o, &out, &len),
	    DG_OK);
	CHECK_INT("long word len", len, o);
	/* Words past DG_RFC2047_MAX_WORDS stay as written. */
	for (i = 0, o = 0; i < DG_RFC2047_MAX_WORDS + 1; i++) {
		memcpy(s + o, "=?utf-8?q?x?= ", 14);
		o += 14;
	}
	CHECK_INT("many", dg_msg_rfc2047_decode(a, s, o - 1, &out, &len),
	    DG_OK);
	CHECK_INT("many len", len, DG_RFC2047_MAX_WORDS + 1 + 13);
	/* Input size. */
	memset(s, 'a', DG_HDR_FIELD_MAX + 1);
	CHECK_INT("too long", dg_msg_rfc2047_decode(a, s, DG_HDR_FIELD_MAX + 1,
	    &out, &len), DG_ETOOBIG);
	CHECK_INT("einval", dg_msg_rfc2047_decode(a, NULL, 1, &out, &len),
	    DG_EINVAL);
	free(s);
	dg_arena_free(a);
}

static void
test_enomem(void **state)
{
	static const char	in[] = "=?iso-8859-1?q?caf=E9?= and "
	    "=?Shift_JIS?B?k4yLng==?= =?utf-8?q?x?=";
	unsigned long		n;
	enum dg_err		e;

	(void)state;
	for (n = 1; n < 100; n++) {
		struct dg_arena	*a = dg_arena_new(0);
		const char	*out;
		size_t		 len;

		assert_non_null(a);
		dg_alloc_fail_after(n);
		e = dg_msg_rfc2047_decode(a, in, strlen(in), &out, &len);
		if (!dg_alloc_failed()) {
			dg_alloc_fail_after(0);
			CHECK_INT("final", e, DG_OK);
			CHECK_STR("final", out, "caf\xc3\xa9 and "
			    "\xe6\x9d\xb1\xe4\xba\xac" "x");
			dg_arena_free(a);
			break;
		}
		dg_alloc_fail_after(0);
		CHECK_INT("enomem", e, DG_ENOMEM);
		dg_arena_free(a);
	}
	assert_true(n > 2 && n < 100);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
