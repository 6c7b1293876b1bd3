/*
 * tests/unit/test_spf_parse.c -- the SPF record parser (RFC 7208 4.6.1,
 * 12): terms, qualifiers, CIDR lengths, modifiers, and syntax errors
 * with their exact byte offsets, through the public
 * dg_spf_record_validate() and the internal spf_record_parse().
 */
#include "testutil.h"

#include <dmarcguard/arena.h>
#include <dmarcguard/spf.h>

#include "spf/spf_int.h"
#include "util/alloc.h"
#include "util/limits.h"

static const struct {
	const char	*name;
	const char	*record;
	bool		 ok;
	size_t		 pos_or_terms;	/* error offset, or term count */
	const char	*message;	/* NULL when ok */
} rows[] = {
	{ "dash-all", "v=spf1 -all", true, 1, NULL },
	{ "empty", "v=spf1", true, 0, NULL },
	{ "upper-version", "V=SPF1 ip4:192.0.2.1 -ALL", true, 2, NULL },
	{ "trailing-spaces", "v=spf1 a -all   ", true, 2, NULL },
	{ "many-spaces", "v=spf1    a    mx", true, 2, NULL },
	{ "dual-cidr", "v=spf1 a/24//64 mx:foo.com/0//0 ?a:b.org//128",
	  true, 3, NULL },
	{ "quals", "v=spf1 +a ~mx ?ptr:x.org -include:y.net", true, 4, NULL },
	{ "macros", "v=spf1 exists:%{ir}.%{l1r-}.%{d2}.bl.example ptr:%{d}",
	  true, 2, NULL },
	{ "toplabel-dash", "v=spf1 a:abc.123-45", true, 1, NULL },
	{ "toplabel-dot", "v=spf1 a:example.com.", true, 1, NULL },
	{ "ends-with-macro", "v=spf1 a:%{d} a:x%%", true, 2, NULL },
	{ "modifiers", "v=spf1 redirect=_spf.example.com exp=e.%{d} "
	  "foo.bar-baz_1=%{t}anything", true, 3, NULL },
	{ "ip6-forms", "v=spf1 ip6:::1 ip6:2001:db8::/32 ip6:::ffff:1.2.3.4",
	  true, 3, NULL },
	{ "unknown-mod-empty", "v=spf1 x=", true, 1, NULL },
	/* Errors, offset of the bad term or byte. */
	{ "not-spf", "v=spf10 -all", false, 0, "not a v=spf1 record" },
	{ "no-space", "v=spf1-all", false, 0, "not a v=spf1 record" },
	{ "unknown-mech", "v=spf1 foo", false, 7, "unknown mechanism" },
	{ "unknown-mech-2nd", "v=spf1 -all  bogus:x.org", false, 13,
	  "unknown mechanism" },
	{ "tab", "v=spf1 -all\t", false, 7, "unknown mechanism" },
	{ "nul", "v=spf1 a:foo.com\0", false, 16, "bad domain-spec" },
	{ "only-toplabel", "v=spf1 a:museum", false, 9, "bad domain-spec" },
	{ "only-toplabel-dot", "v=spf1 a:museum.", false, 9,
	  "bad domain-spec" },
	{ "numeric-toplabel", "v=spf1 a:111.222.33.44", false, 9,
	  "bad domain-spec" },
	{ "toplabel-end-dash", "v=spf1 a:foo.bar-", false, 9,
	  "bad domain-spec" },
	{ "macro-then-dot", "v=spf1 a:%{d}.", false, 13, "bad domain-spec" },
	{ "bad-macro-letter", "v=spf1 a:%{x}.com", false, 9,
	  "bad domain-spec" },
	{ "crt-in-record", "v=spf1 exists:%{c}.example.com", false, 14,
	  "bad domain-spec" },
	{ "bad-macro-mid", "v=spf1 a:foo.%{d0}.com", false, 13,
	  "bad domain-spec" },
	{ "cidr4-33", "v=spf1 ip4:192.0.2.1/33", false, 20, "bad CIDR length" },
	{ "cidr4-lead0", "v=spf1 ip4:192.0.2.0/024", false, 20,
	  "bad CIDR length" },
	{ "cidr6-129", "v=spf1 ip6:::1/129", false, 14, "bad CIDR length" },
	{ "a-cidr6-129", "v=spf1 a//129", false, 8, "bad CIDR length" },
	{ "a-cidr4-33", "v=spf1 mx:foo.com/33", false, 17,
	  "bad CIDR length" },
	{ "ip4-as-ip6", "v=spf1 ip6:192.0.2.1", false, 11, "bad address" },
	{ "ip6-as-ip4", "v=spf1 ip4:::1", false, 11, "bad address" },
	{ "ip4-empty", "v=spf1 ip4:", false, 10, "address missing" },
	{ "ip4-junk", "v=spf1 ip4:1.2.3.4.5", false, 11, "bad address" },
	{ "include-empty", "v=spf1 include:", false, 15,
	  "domain-spec missing" },
	{ "include-bare", "v=spf1 include", false, 14,
	  "domain-spec missing" },
	{ "exists-empty", "v=spf1 exists:", false, 14,
	  "domain-spec missing" },
	{ "all-arg", "v=spf1 all:foo.com", false, 10,
	  "all takes no argument" },
	{ "ptr-cidr", "v=spf1 ptr:foo.com/24", false, 11, "bad domain-spec" },
	{ "redirect-twice", "v=spf1 redirect=a.com redirect=b.com", false,
	  22, "redirect= given twice" },
	{ "exp-twice", "v=spf1 exp=a.com exp=b.com", false, 17,
	  "exp= given twice" },
	{ "exp-empty", "v=spf1 exp=", false, 11, "bad domain-spec" },
	{ "redirect-bad", "v=spf1 redirect=foo", false, 16,
	  "bad domain-spec" },
	{ "unknown-mod-bad-macro", "v=spf1 foo=%{", false, 11,
	  "bad macro in modifier" },
	{ "mod-digit-start", "v=spf1 1foo=bar", false, 7,
	  "unknown mechanism" },
	{ "qual-on-mod", "v=spf1 -redirect=a.com", false, 7,
	  "unknown mechanism" },
	{ "double-qual", "v=spf1 --all", false, 7, "unknown mechanism" },
	{ "a-colon-empty", "v=spf1 a:", false, 9, "domain-spec missing" },
	{ "mx-junk", "v=spf1 mxfoo", false, 7, "unknown mechanism" },
};

static void
test_parse_rows(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_spf_syntax	syn;
		size_t			len = strlen(rows[i].record);

		/* The "nul" row carries its NUL in the length. */
		if (strcmp(rows[i].name, "nul") == 0)
			len++;
		memset(&syn, 0xa5, sizeof(syn));
		CHECK_INT(rows[i].name, dg_spf_record_validate(rows[i].record,
		    len, &syn), DG_OK);
		CHECK_INT(rows[i].name, syn.ok, rows[i].ok);
		if (rows[i].ok) {
			CHECK_INT(rows[i].name, syn.terms,
			    rows[i].pos_or_terms);
			continue;
		}
		CHECK_INT(rows[i].name, syn.pos, rows[i].pos_or_terms);
		CHECK_STR(rows[i].name, syn.message, rows[i].message);
	}
}

static void
test_parse_terms(void **state)
{
	const char		*r = "v=spf1 ~a:Ex.com/24//64 ip4:192.0.2.0/23 "
	    "ip6:2001:db8::/32 mx -all redirect=x.org exp=e.org";
	struct dg_arena		*a = dg_arena_new(0);
	struct spf_record	 rec;
	struct dg_spf_syntax	 syn;
	const struct spf_term	*t;

	(void)state;
	assert_non_null(a);
	assert_int_equal(spf_record_parse(a, r, strlen(r), &rec, &syn), DG_OK);
	CHECK_INT("nterms", rec.nterms, 7);
	t = &rec.terms[0];
	CHECK_INT("a kind", t->kind, SPF_T_A);
	CHECK_INT("a qual", t->qual, DG_SPF_SOFTFAIL);
	CHECK_INT("a cidr4", t->cidr4, 24);
	CHECK_INT("a cidr6", t->cidr6, 64);
	CHECK_INT("a spec len", t->spec.len, 6);
	assert_memory_equal(t->spec.p, "Ex.com", 6);
	CHECK_INT("a pos", t->pos, 7);
	t = &rec.terms[1];
	CHECK_INT("ip4 kind", t->kind, SPF_T_IP4);
	CHECK_INT("ip4 cidr", t->cidr4, 23);
	CHECK_INT("ip4 qual", t->qual, DG_SPF_PASS);
	t = &rec.terms[2];
	CHECK_INT("ip6 cidr", t->cidr6, 32);
	CHECK_INT("ip6 family", t->ip.family, DG_IP_V6);
	t = &rec.terms[3];
	CHECK_INT("mx has spec", t->has_spec, false);
	CHECK_INT("mx cidr4", t->cidr4, 32);
	CHECK_INT("mx cidr6", t->cidr6, 128);
	CHECK_INT("all qual", rec.terms[4].qual, DG_SPF_FAIL);
	CHECK_INT("has_all", rec.has_all, true);
	assert_ptr_equal(rec.redirect, &rec.terms[5]);
	assert_ptr_equal(rec.exp, &rec.terms[6]);
	dg_arena_free(a);
}

static void
test_parse_limits(void **state)
{
	struct dg_spf_syntax	 syn;
	char			*r;
	size_t			 i, n = DG_SPF_MAX_TERMS + 1, len;

	(void)state;
	/* One term too many: refused before any term is parsed. */
	r = malloc(6 + 3 * n + 1);
	assert_non_null(r);
	memcpy(r, "v=spf1", 6);
	for (i = 0; i < n; i++)
		memcpy(r + 6 + 3 * i, " mx", 3);
	len = 6 + 3 * n;
	r[len] = '\0';
	assert_int_equal(dg_spf_record_validate(r, len, &syn), DG_OK);
	CHECK_INT("terms+1 ok", syn.ok, false);
	CHECK_STR("terms+1 msg", syn.message, "too many terms");
	assert_int_equal(dg_spf_record_validate(r, len - 3, &syn), DG_OK);
	CHECK_INT("terms ok", syn.ok, true);
	CHECK_INT("terms", syn.terms, DG_SPF_MAX_TERMS);
	free(r);
	/* Only SP separates terms; NULL with length 0 is an empty input. */
	assert_int_equal(dg_spf_record_validate(NULL, 0, &syn), DG_OK);
	CHECK_INT("null", syn.ok, false);
	assert_int_equal(dg_spf_record_validate(NULL, 3, &syn), DG_EINVAL);
	assert_int_equal(dg_spf_record_validate("v=spf1", 6, NULL), DG_EINVAL);
}

static void
test_parse_enomem(void **state)
{
	const char		*r = "v=spf1 a mx include:x.org -all";
	struct dg_spf_syntax	 syn;
	unsigned long		 n;
	enum dg_err		 err;

	(void)state;
	for (n = 1; n < 50; n++) {
		dg_alloc_fail_after(n);
		err = dg_spf_record_validate(r, strlen(r), &syn);
		dg_alloc_fail_after(0);
		if (err == DG_OK && syn.ok)
			break;
		CHECK_INT("enomem", err, DG_ENOMEM);
	}
	assert_true(n > 1 && n < 50);
}

static void
test_is_record(void **state)
{
	(void)state;
	CHECK_INT("bare", spf_is_record("v=spf1", 6), true);
	CHECK_INT("space", spf_is_record("v=spf1 ", 7), true);
	CHECK_INT("case", spf_is_record("V=Spf1 -all", 11), true);
	CHECK_INT("spf10", spf_is_record("v=spf10", 7), false);
	CHECK_INT("short", spf_is_record("v=spf", 5), false);
	CHECK_INT("leading space", spf_is_record(" v=spf1", 7), false);
	CHECK_INT("tab", spf_is_record("v=spf1\t-all", 11), false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_rows),
		cmocka_unit_test(test_parse_terms),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_parse_enomem),
		cmocka_unit_test(test_is_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
