/*
 * tests/unit/test_spf_macro.c -- SPF macro expansion, RFC 7208 7: the
 * 7.4 examples verbatim, every letter, escapes, URL-escaping, and hostile
 * inputs (huge DIGIT transformers, thousands of delimiters, nested and
 * truncated "%{", expansions past the cap).
 */
#include "testutil.h"

#include <dmarcguard/buf.h>

#include "spf/spf_int.h"
#include "util/alloc.h"
#include "util/limits.h"

static enum dg_err
fake_p(void *ctx, struct dg_span *out)
{
	const char	*name = ctx;

	out->p = name;
	out->len = name != NULL ? strlen(name) : 0;
	return DG_OK;
}

static struct dg_span
sp(const char *s)
{
	struct dg_span	x;

	x.p = s;
	x.len = strlen(s);
	return x;
}

/* RFC 7208 7.4's environment. */
static void
env_74(struct spf_macro_env *env, const char *ip)
{
	memset(env, 0, sizeof(*env));
	env->sender = sp("strong-bad@email.example.com");
	env->local = sp("strong-bad");
	env->sender_dom = sp("email.example.com");
	env->domain = sp("email.example.com");
	env->helo = sp("mx.example.org");
	env->now = 1700000000;
	assert_true(dg_ip_parse(ip, strlen(ip), &env->ip));
	env->get_p = fake_p;
	env->ctx = (void *)"mx.example.org";
}

static const struct {
	const char	*name;
	const char	*ip;
	const char	*in;
	bool		 is_exp;
	const char	*want;		/* NULL: error */
	enum spf_macro_fail why;
} rows[] = {
	/* RFC 7208 7.4, exactly as printed. */
	{ "7.4-s", "192.0.2.3", "%{s}", false,
	  "strong-bad@email.example.com", 0 },
	{ "7.4-o", "192.0.2.3", "%{o}", false, "email.example.com", 0 },
	{ "7.4-d", "192.0.2.3", "%{d}", false, "email.example.com", 0 },
	{ "7.4-d4", "192.0.2.3", "%{d4}", false, "email.example.com", 0 },
	{ "7.4-d3", "192.0.2.3", "%{d3}", false, "email.example.com", 0 },
	{ "7.4-d2", "192.0.2.3", "%{d2}", false, "example.com", 0 },
	{ "7.4-d1", "192.0.2.3", "%{d1}", false, "com", 0 },
	{ "7.4-dr", "192.0.2.3", "%{dr}", false, "com.example.email", 0 },
	{ "7.4-d2r", "192.0.2.3", "%{d2r}", false, "example.email", 0 },
	{ "7.4-l", "192.0.2.3", "%{l}", false, "strong-bad", 0 },
	{ "7.4-l-", "192.0.2.3", "%{l-}", false, "strong.bad", 0 },
	{ "7.4-lr", "192.0.2.3", "%{lr}", false, "strong-bad", 0 },
	{ "7.4-lr-", "192.0.2.3", "%{lr-}", false, "bad.strong", 0 },
	{ "7.4-l1r-", "192.0.2.3", "%{l1r-}", false, "strong", 0 },
	{ "7.4-ir-v4", "192.0.2.3", "%{ir}.%{v}._spf.%{d2}", false,
	  "3.2.0.192.in-addr._spf.example.com", 0 },
	{ "7.4-lr-lp", "192.0.2.3", "%{lr-}.lp._spf.%{d2}", false,
	  "bad.strong.lp._spf.example.com", 0 },
	{ "7.4-lr-ir", "192.0.2.3", "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", false,
	  "bad.strong.lp.3.2.0.192.in-addr._spf.example.com", 0 },
	{ "7.4-ir-l1r", "192.0.2.3", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
	  false, "3.2.0.192.in-addr.strong.lp._spf.example.com", 0 },
	{ "7.4-trusted", "192.0.2.3", "%{d2}.trusted-domains.example.net",
	  false, "example.com.trusted-domains.example.net", 0 },
	{ "7.4-ir-v6", "2001:db8::cb01", "%{ir}.%{v}._spf.%{d2}", false,
	  "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
	  ".ip6._spf.example.com", 0 },
	/* Other letters and escapes. */
	{ "i-v4", "192.0.2.3", "%{i}", false, "192.0.2.3", 0 },
	{ "i-v6", "2001:db8::cb01", "%{i}", false,
	  "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1",
	  0 },
	{ "v-v6", "2001:db8::cb01", "%{v}", false, "ip6", 0 },
	{ "h", "192.0.2.3", "%{h}", false, "mx.example.org", 0 },
	{ "p", "192.0.2.3", "%{p}", false, "mx.example.org", 0 },
	{ "p2r", "192.0.2.3", "%{p2r}", false, "example.mx", 0 },
	{ "c-v6", "2001:db8::cb01", "%{c}", true, "2001:db8::cb01", 0 },
	{ "c-v4", "192.0.2.3", "%{c}", true, "192.0.2.3", 0 },
	{ "t", "192.0.2.3", "%{t}", true, "1700000000", 0 },
	{ "r-default", "192.0.2.3", "%{r}", true, "unknown", 0 },
	{ "pct", "192.0.2.3", "a%%b", false, "a%b", 0 },
	{ "underscore", "192.0.2.3", "a%_b", true, "a b", 0 },
	{ "dash", "192.0.2.3", "a%-b", false, "a%20b", 0 },
	{ "exp-space", "192.0.2.3", "not from %{i} ok", true,
	  "not from 192.0.2.3 ok", 0 },
	{ "upper-S", "192.0.2.3", "%{S}", true,
	  "strong-bad%40email.example.com", 0 },
	{ "upper-L-r", "192.0.2.3", "%{L1r-}", false, "strong", 0 },
	{ "multi-delim", "192.0.2.3", "%{l-.}", false, "strong.bad", 0 },
	{ "all-delims", "192.0.2.3", "%{d.-+,/_=}", false,
	  "email.example.com", 0 },
	{ "digits-over-parts", "192.0.2.3", "%{d40}", false,
	  "email.example.com", 0 },
	{ "empty", "192.0.2.3", "", false, "", 0 },
	/* Errors. */
	{ "c-outside-exp", "192.0.2.3", "%{c}", false, NULL,
	  SPF_MACRO_LETTER },
	{ "r-outside-exp", "192.0.2.3", "%{r}.x", false, NULL,
	  SPF_MACRO_LETTER },
	{ "t-outside-exp", "192.0.2.3", "%{t}", false, NULL,
	  SPF_MACRO_LETTER },
	{ "unknown-letter", "192.0.2.3", "%{x}", true, NULL,
	  SPF_MACRO_LETTER },
	{ "a-letter", "192.0.2.3", "%{a}.example.com", false, NULL,
	  SPF_MACRO_LETTER },
	{ "digit-zero", "192.0.2.3", "%{d0}", false, NULL, SPF_MACRO_SYNTAX },
	{ "trailing-pct", "192.0.2.3", "foo%", false, NULL, SPF_MACRO_SYNTAX },
	{ "pct-junk", "192.0.2.3", "%x", false, NULL, SPF_MACRO_SYNTAX },
	{ "parens", "192.0.2.3", "%(ir).sbl", false, NULL, SPF_MACRO_SYNTAX },
	{ "truncated", "192.0.2.3", "%{", false, NULL, SPF_MACRO_SYNTAX },
	{ "truncated-letter", "192.0.2.3", "%{d", false, NULL,
	  SPF_MACRO_SYNTAX },
	{ "truncated-digits", "192.0.2.3", "%{d2r", false, NULL,
	  SPF_MACRO_SYNTAX },
	{ "nested", "192.0.2.3", "%{d%{d}}", false, NULL, SPF_MACRO_SYNTAX },
	{ "bad-delim", "192.0.2.3", "%{d;}", false, NULL, SPF_MACRO_SYNTAX },
	{ "r-twice", "192.0.2.3", "%{drr}", false, NULL, SPF_MACRO_SYNTAX },
	{ "space-in-spec", "192.0.2.3", "a b", false, NULL, SPF_MACRO_SYNTAX },
	{ "non-ascii", "192.0.2.3", "caf\xc3\xa9", true, NULL,
	  SPF_MACRO_SYNTAX },
};

static void
test_macro_rows(void **state)
{
	struct spf_macro_env	env;
	struct dg_buf		b;
	size_t			i, pos;

	(void)state;
	dg_buf_init(&b, DG_SPF_MACRO_MAX);
	for (i = 0; i < NELEM(rows); i++) {
		enum spf_macro_fail	why = 99;
		enum dg_err		err;

		env_74(&env, rows[i].ip);
		err = spf_macro_expand(&env, rows[i].in, strlen(rows[i].in),
		    rows[i].is_exp, &b, &why);
		if (rows[i].want != NULL) {
			CHECK_INT(rows[i].name, err, DG_OK);
			CHECK_STR(rows[i].name, dg_buf_str(&b), rows[i].want);
			CHECK_INT(rows[i].name, spf_macro_valid(rows[i].in,
			    strlen(rows[i].in), rows[i].is_exp, &pos), true);
		} else {
			CHECK_INT(rows[i].name, err, DG_ESYNTAX);
			CHECK_INT(rows[i].name, why, rows[i].why);
			CHECK_INT(rows[i].name, spf_macro_valid(rows[i].in,
			    strlen(rows[i].in), rows[i].is_exp, &pos), false);
		}
	}
	dg_buf_free(&b);
}

static void
test_macro_url_escape(void **state)
{
	struct spf_macro_env	env;
	struct dg_buf		b;
	enum spf_macro_fail	why;

	(void)state;
	env_74(&env, "192.0.2.3");
	/* The suite's upper-macro row: unreserved stays, the rest %XX. */
	env.local = sp("~jack&jill=up-a_b3.c");
	dg_buf_init(&b, 0);
	assert_int_equal(spf_macro_expand(&env, "l=%{L}", 6, true, &b, &why),
	    DG_OK);
	CHECK_STR("upper-L", dg_buf_str(&b), "l=~jack%26jill%3Dup-a_b3.c");
	/* Non-ASCII bytes in a value split with delimiters (a fuzz find:
	 * the delimiter table was indexed by the value byte). */
	env.local = sp("x\x82y=z\xff");
	assert_int_equal(spf_macro_expand(&env, "%{l=}", 5, false, &b, &why),
	    DG_OK);
	CHECK_STR("delim-nonascii", dg_buf_str(&b), "x\x82y.z\xff");
	env.local = sp("a b\x01\xff");
	assert_int_equal(spf_macro_expand(&env, "%{L}", 4, true, &b, &why),
	    DG_OK);
	CHECK_STR("upper-L-ctrl", dg_buf_str(&b), "a%20b%01%FF");
	/* No get_p, or no validated name: "unknown". */
	env.ctx = NULL;
	assert_int_equal(spf_macro_expand(&env, "%{p}", 4, false, &b, &why),
	    DG_OK);
	CHECK_STR("p-unknown", dg_buf_str(&b), "unknown");
	dg_buf_free(&b);
}

static void
test_macro_hostile(void **state)
{
	struct spf_macro_env	 env;
	struct dg_buf		 b;
	enum spf_macro_fail	 why;
	char			*in, *val;
	size_t			 i, n;

	(void)state;
	env_74(&env, "192.0.2.3");
	dg_buf_init(&b, 0);
	/* A DIGIT transformer far past any integer type saturates. */
	in = "%{d99999999999999999999999999999999999999r}";
	assert_int_equal(spf_macro_expand(&env, in, strlen(in), false, &b,
	    &why), DG_OK);
	CHECK_STR("huge-digits", dg_buf_str(&b), "com.example.email");
	/* Thousands of delimiters in one macro. */
	n = 5000;
	in = malloc(n + 8);
	assert_non_null(in);
	memcpy(in, "%{l", 3);
	for (i = 0; i < n; i++)
		in[3 + i] = "-.+,/_="[i % 7];
	memcpy(in + 3 + n, "}", 2);
	assert_int_equal(spf_macro_expand(&env, in, strlen(in), false, &b,
	    &why), DG_OK);
	CHECK_STR("many-delims", dg_buf_str(&b), "strong.bad");
	/* The same, never closed. */
	in[3 + n] = '\0';
	assert_int_equal(spf_macro_expand(&env, in, strlen(in), false, &b,
	    &why), DG_ESYNTAX);
	CHECK_INT("many-delims-open", why, SPF_MACRO_SYNTAX);
	free(in);
	/* Deeply nested "%{". */
	n = 3000;
	in = malloc(2 * n + 1);
	assert_non_null(in);
	for (i = 0; i < n; i++)
		memcpy(in + 2 * i, "%{", 2);
	in[2 * n] = '\0';
	assert_int_equal(spf_macro_expand(&env, in, strlen(in), false, &b,
	    &why), DG_ESYNTAX);
	free(in);
	/* Growth past the cap: %{s} repeated, and URL-escaped (x3). */
	n = 2000;
	in = malloc(4 * n + 1);
	assert_non_null(in);
	for (i = 0; i < n; i++)
		memcpy(in + 4 * i, "%{S}", 4);
	in[4 * n] = '\0';
	assert_int_equal(spf_macro_expand(&env, in, strlen(in), true, &b,
	    &why), DG_ETOOBIG);
	CHECK_INT("grow-cap", why, SPF_MACRO_TOOBIG);
	assert_true(b.len <= DG_SPF_MACRO_MAX);
	/* A syntax error after the point where output would pass the cap
	 * is still a syntax error (a fuzz find: validation and expansion
	 * disagreed). */
	memcpy(in + 4 * (n - 1), "%{x}", 4);
	assert_int_equal(spf_macro_expand(&env, in, strlen(in), true, &b,
	    &why), DG_ESYNTAX);
	CHECK_INT("syntax-after-cap", why, SPF_MACRO_LETTER);
	free(in);
	/* A value that splits into more parts than we keep. */
	n = 2 * DG_SPF_MACRO_PARTS_MAX;
	val = malloc(n + 1);
	assert_non_null(val);
	memset(val, '.', n);
	val[n] = '\0';
	env.local = sp(val);
	assert_int_equal(spf_macro_expand(&env, "%{lr}", 5, false, &b, &why),
	    DG_ETOOBIG);
	CHECK_INT("parts-cap", why, SPF_MACRO_TOOBIG);
	/* Without a transformer the value is copied, not split. */
	assert_int_equal(spf_macro_expand(&env, "%{l}", 4, false, &b, &why),
	    DG_OK);
	CHECK_INT("parts-plain", b.len, n);
	free(val);
	/* Output exactly at the cap is fine; one more byte is not. */
	val = malloc(DG_SPF_MACRO_MAX + 2);
	assert_non_null(val);
	memset(val, 'a', DG_SPF_MACRO_MAX + 1);
	val[DG_SPF_MACRO_MAX + 1] = '\0';
	assert_int_equal(spf_macro_expand(&env, val, DG_SPF_MACRO_MAX, false,
	    &b, &why), DG_OK);
	assert_int_equal(spf_macro_expand(&env, val, DG_SPF_MACRO_MAX + 1,
	    false, &b, &why), DG_ETOOBIG);
	free(val);
	dg_buf_free(&b);
}

static void
test_macro_enomem(void **state)
{
	struct spf_macro_env	env;
	struct dg_buf		b;
	enum spf_macro_fail	why;
	const char		*in = "%{ir}.%{v}._spf.%{d2}.%{S}";
	unsigned long		n;
	enum dg_err		err;

	(void)state;
	env_74(&env, "2001:db8::cb01");
	for (n = 1; n < 100; n++) {
		dg_buf_init(&b, 0);
		dg_alloc_fail_after(n);
		err = spf_macro_expand(&env, in, strlen(in), false, &b, &why);
		dg_alloc_fail_after(0);
		dg_buf_free(&b);
		if (err == DG_OK)
			break;
		CHECK_INT("enomem", err, DG_ENOMEM);
	}
	assert_true(n > 1 && n < 100);
}

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;		/* NULL: nothing valid left */
} trim_rows[] = {
	{ "short", "a.example.com", "a.example.com" },
	{ "final-dot", "a.example.com.", "a.example.com" },
	{ "only-dot", ".", NULL },
	{ "empty", "", NULL },
};

static void
test_name_trim(void **state)
{
	char		 big[400];
	const char	*start;
	size_t		 i, len;

	(void)state;
	for (i = 0; i < NELEM(trim_rows); i++) {
		len = strlen(trim_rows[i].in);
		if (trim_rows[i].want == NULL) {
			CHECK_INT(trim_rows[i].name, spf_name_trim(
			    trim_rows[i].in, &len, &start), false);
			continue;
		}
		assert_true(spf_name_trim(trim_rows[i].in, &len, &start));
		CHECK_INT(trim_rows[i].name, len, strlen(trim_rows[i].want));
		assert_memory_equal(start, trim_rows[i].want, len);
	}
	/* 7.3: 26 labels of 9+1 = 260 + "example.com": cut from the left
	 * until <= 253. */
	big[0] = '\0';
	for (i = 0; i < 26; i++)
		dg_strlcpy(big + strlen(big), "abcdefghi.", sizeof(big) -
		    strlen(big));
	dg_strlcpy(big + strlen(big), "example.com", sizeof(big) -
	    strlen(big));
	len = strlen(big);
	assert_true(spf_name_trim(big, &len, &start));
	CHECK_INT("trim-long len", len, 251);
	CHECK_INT("trim-long start", start - big, 20);
	/* One label longer than 253: nothing left. */
	memset(big, 'x', 300);
	len = 300;
	CHECK_INT("trim-one-label", spf_name_trim(big, &len, &start), false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_macro_rows),
		cmocka_unit_test(test_macro_url_escape),
		cmocka_unit_test(test_macro_hostile),
		cmocka_unit_test(test_macro_enomem),
		cmocka_unit_test(test_name_trim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
