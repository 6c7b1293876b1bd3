/*
 * tests/unit/test_spf_analyze.c -- dg_spf_analyze(): worst-case lookup
 * counts through nested includes and redirects, void lookups, loops,
 * includes of names without a record, risky "all" and "ptr" terms.
 */
#include "testutil.h"

#include <dmarcguard/dns.h>
#include <dmarcguard/spf.h>

#include "util/alloc.h"

static const char zone[] =
	"$ORIGIN example.com.\n"
	"h        A 192.0.2.1\n"
	/* nested: include(1) + [include(1) + [a(1)]] + include(1) +
	 * [ptr(1)] + mx(1) + redirect ignored (has all) = 6 */
	"nested   TXT \"v=spf1 include:a.example.com include:b.example.com "
	"mx -all redirect=h.example.com\"\n"
	"nested   MX 10 h.example.com.\n"
	"a        TXT \"v=spf1 include:c.example.com ip4:192.0.2.0/24 -all\"\n"
	"c        TXT \"v=spf1 a ~all\"\n"
	"c        A 192.0.2.3\n"
	"b        TXT \"v=spf1 ptr ~all\"\n"
	"loop1    TXT \"v=spf1 include:loop2.example.com -all\"\n"
	"loop2    TXT \"v=spf1 include:loop1.example.com -all\"\n"
	"self     TXT \"v=spf1 redirect=self.example.com\"\n"
	"missing  TXT \"v=spf1 include:nothere.example.com -all\"\n"
	"redirmis TXT \"v=spf1 redirect=nothere.example.com\"\n"
	"plusall  TXT \"v=spf1 +all\"\n"
	"softall  TXT \"v=spf1 ip4:192.0.2.1 ~all\"\n"
	"neutall  TXT \"v=spf1 ?all\"\n"
	"noall    TXT \"v=spf1 ip4:192.0.2.1\"\n"
	"leaf     TXT \"v=spf1 -all\"\n"
	"eleven   TXT \"v=spf1 \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"-all\"\n"
	"ten      TXT \"v=spf1 \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"include:leaf.example.com \""
	" \"-all\"\n"
	"voids    TXT \"v=spf1 a:nx1.example.com mx:nx2.example.com "
	"exists:nx3.example.com -all\"\n"
	"v6only   TXT \"v=spf1 a:six.example.com -all\"\n"
	"six      AAAA 2001:db8::6\n"
	"syntax   TXT \"v=spf1 a -all foo\"\n"
	"multi    TXT \"v=spf1 -all\"\n"
	"multi    TXT \"v=spf1 ~all\"\n"
	"macro    TXT \"v=spf1 include:%{d}.x.example.com -all\"\n"
	"incsyn   TXT \"v=spf1 include:syntax.example.com -all\"\n"
	"plusinc  TXT \"v=spf1 include:plusall.example.com -all\"\n"
	"$TIMEOUT slow\n"
	"incslow  TXT \"v=spf1 include:slow.example.com -all\"\n";

struct want_issue {
	enum dg_spf_issue_code	 code;
	const char		*domain;
	const char		*term;
};

static const struct {
	const char		*name;
	const char		*domain;
	enum dg_spf_result	 result;
	unsigned		 lookups;
	unsigned		 voids;
	size_t			 nissues;
	struct want_issue	 issues[4];
} rows[] = {
	{ "nested", "nested.example.com", DG_SPF_NEUTRAL, 6, 0, 1, {
	  { DG_SPF_I_PTR, "b.example.com", "ptr" } } },
	{ "loop", "loop1.example.com", DG_SPF_PERMERROR, 2, 0, 1, {
	  { DG_SPF_I_LOOP, "loop2.example.com",
	    "include:loop1.example.com" } } },
	{ "self-redirect", "self.example.com", DG_SPF_PERMERROR, 1, 0, 1, {
	  { DG_SPF_I_LOOP, "self.example.com",
	    "redirect=self.example.com" } } },
	{ "include-missing", "missing.example.com", DG_SPF_PERMERROR, 1, 0, 1, {
	  { DG_SPF_I_INCLUDE_NONE, "missing.example.com",
	    "include:nothere.example.com" } } },
	{ "redirect-missing", "redirmis.example.com", DG_SPF_PERMERROR, 1, 0,
	  1, { { DG_SPF_I_REDIRECT_NONE, "redirmis.example.com",
	    "redirect=nothere.example.com" } } },
	{ "plus-all", "plusall.example.com", DG_SPF_NEUTRAL, 0, 0, 1, {
	  { DG_SPF_I_PASS_ALL, "plusall.example.com", "+all" } } },
	{ "plus-all-included", "plusinc.example.com", DG_SPF_NEUTRAL, 1, 0, 1,
	  { { DG_SPF_I_PASS_ALL, "plusall.example.com", "+all" } } },
	{ "softfail-all", "softall.example.com", DG_SPF_NEUTRAL, 0, 0, 1, {
	  { DG_SPF_I_SOFTFAIL_ALL, "softall.example.com", "~all" } } },
	{ "neutral-all", "neutall.example.com", DG_SPF_NEUTRAL, 0, 0, 1, {
	  { DG_SPF_I_NEUTRAL_ALL, "neutall.example.com", "?all" } } },
	{ "no-all", "noall.example.com", DG_SPF_NEUTRAL, 0, 0, 1, {
	  { DG_SPF_I_NO_ALL, "noall.example.com", "" } } },
	{ "ten", "ten.example.com", DG_SPF_NEUTRAL, 10, 0, 0, { { 0 } } },
	{ "eleven", "eleven.example.com", DG_SPF_PERMERROR, 11, 0, 1, {
	  { DG_SPF_I_TOO_MANY_LOOKUPS, "eleven.example.com", "" } } },
	{ "voids", "voids.example.com", DG_SPF_PERMERROR, 3, 3, 4, {
	  { DG_SPF_I_VOID_LOOKUP, "voids.example.com", "a:nx1.example.com" },
	  { DG_SPF_I_VOID_LOOKUP, "voids.example.com", "mx:nx2.example.com" },
	  { DG_SPF_I_VOID_LOOKUP, "voids.example.com",
	    "exists:nx3.example.com" },
	  { DG_SPF_I_TOO_MANY_VOIDS, "voids.example.com", "" } } },
	{ "a-v6-only-not-void", "v6only.example.com", DG_SPF_NEUTRAL, 1, 0, 0,
	  { { 0 } } },
	{ "syntax", "syntax.example.com", DG_SPF_PERMERROR, 0, 0, 1, {
	  { DG_SPF_I_SYNTAX, "syntax.example.com", "unknown mechanism" } } },
	{ "include-syntax", "incsyn.example.com", DG_SPF_PERMERROR, 1, 0, 1, {
	  { DG_SPF_I_SYNTAX, "syntax.example.com", "unknown mechanism" } } },
	{ "multiple", "multi.example.com", DG_SPF_PERMERROR, 0, 0, 1, {
	  { DG_SPF_I_MULTIPLE, "multi.example.com", "" } } },
	{ "macro", "macro.example.com", DG_SPF_NEUTRAL, 1, 0, 1, {
	  { DG_SPF_I_MACRO, "macro.example.com",
	    "include:%{d}.x.example.com" } } },
	{ "no-record", "h.example.com", DG_SPF_NONE, 0, 0, 1, {
	  { DG_SPF_I_NO_RECORD, "h.example.com", "" } } },
	{ "bad-domain", "localhost", DG_SPF_NONE, 0, 0, 1, {
	  { DG_SPF_I_NO_RECORD, "localhost", "" } } },
	{ "timeout", "slow.example.com", DG_SPF_TEMPERROR, 0, 0, 1, {
	  { DG_SPF_I_DNS_ERROR, "slow.example.com", "" } } },
	{ "include-timeout", "incslow.example.com", DG_SPF_TEMPERROR, 1, 0, 1,
	  { { DG_SPF_I_DNS_ERROR, "slow.example.com", "" } } },
};

static struct dg_resolver *
load_zone(void)
{
	struct dg_resolver	*res = NULL;
	char			 err[256] = "";

	if (dg_resolver_zone_text(zone, strlen(zone), "test", &res, err,
	    sizeof(err)) != DG_OK)
		fail_msg("zone: %s", err);
	return res;
}

static void
test_analyze_rows(void **state)
{
	struct dg_resolver	*res = load_zone();
	size_t			 i, k;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_spf_analysis	*an = malloc(sizeof(*an));

		assert_non_null(an);
		CHECK_INT(rows[i].name, dg_spf_analyze(res, rows[i].domain,
		    an), DG_OK);
		CHECK_STR(rows[i].name, dg_spf_result_str(an->result),
		    dg_spf_result_str(rows[i].result));
		CHECK_INT(rows[i].name, an->dns_lookups, rows[i].lookups);
		CHECK_INT(rows[i].name, an->void_lookups, rows[i].voids);
		for (k = 0; k < an->issues_len && k < rows[i].nissues; k++) {
			CHECK_STR(rows[i].name, dg_spf_issue_str(
			    an->issues[k].code),
			    dg_spf_issue_str(rows[i].issues[k].code));
			CHECK_STR(rows[i].name, an->issues[k].domain,
			    rows[i].issues[k].domain);
			CHECK_STR(rows[i].name, an->issues[k].term,
			    rows[i].issues[k].term);
		}
		CHECK_INT(rows[i].name, an->issues_len, rows[i].nissues);
		free(an);
	}
	dg_resolver_free(res);
}

static void
test_analyze_details(void **state)
{
	struct dg_resolver	*res = load_zone();
	struct dg_spf_analysis	*an = malloc(sizeof(*an));
	unsigned long		 n;
	enum dg_err		 err;

	(void)state;
	assert_non_null(an);
	assert_int_equal(dg_spf_analyze(res, "nested.example.com", an), DG_OK);
	CHECK_STR("record", an->record, "v=spf1 include:a.example.com "
	    "include:b.example.com mx -all redirect=h.example.com");
	CHECK_INT("includes", an->includes, 3);
	CHECK_STR("trace 0", an->trace[0].name, "nested.example.com");
	CHECK_INT("issue depth", an->issues[0].depth, 1);
	assert_int_equal(dg_spf_analyze(res, "syntax.example.com", an), DG_OK);
	CHECK_INT("syntax pos", an->issues[0].pos, 14);
	assert_int_equal(dg_spf_analyze(NULL, "x.com", an), DG_EINVAL);
	assert_int_equal(dg_spf_analyze(res, NULL, an), DG_EINVAL);
	for (n = 1; n < 10000; n++) {
		dg_alloc_fail_after(n);
		err = dg_spf_analyze(res, "nested.example.com", an);
		dg_alloc_fail_after(0);
		if (err == DG_OK)
			break;
		CHECK_INT("enomem", err, DG_ENOMEM);
	}
	assert_true(n > 1 && n < 10000);
	CHECK_INT("after enomem", an->dns_lookups, 6);
	free(an);
	dg_resolver_free(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analyze_rows),
		cmocka_unit_test(test_analyze_details),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
