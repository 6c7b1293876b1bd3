/*
 * tests/unit/test_dmarc_extauth.c -- external report destinations (RFC
 * 9990 4, RFC 9991 5, RFC 7489 7.1) against an in-memory zone: authorized,
 * missing, not DMARC, several records, overrides, temperror, same
 * Organizational Domain, subdomain destinations, names over the DNS limit.
 */
#include "testutil.h"

#include <dmarcguard/dmarc.h>

#include "util/alloc.h"

static const char zone[] =
    "$TTL 300\n"
    "_dmarc.example.com. TXT \"v=DMARC1; p=reject; "
    "rua=mailto:d@reports.example.net\"\n"
    "example.com._report._dmarc.reports.example.net. TXT \"v=DMARC1;\"\n"
    "sub.example.com._report._dmarc.reports.example.net. TXT "
    "\"v=DMARC1\"\n"
    "xn--b-0fa.example._report._dmarc.reports.example.net. TXT "
    "\"v=DMARC1\"\n"
    "example.com._report._dmarc.notdmarc.example.net. TXT \"hello\"\n"
    "example.com._report._dmarc.lower.example.net. TXT \"v=dmarc1\"\n"
    "example.com._report._dmarc.multi.example.net. TXT \"v=spf1 -all\"\n"
    "example.com._report._dmarc.multi.example.net. TXT \"v=DMARC1\"\n"
    "example.com._report._dmarc.split.example.net. TXT \"v=DMA\" \"RC1\"\n"
    "example.com._report._dmarc.override.example.net. TXT \"v=DMARC1; "
    "rua=mailto:agg@override.example.net, bad; "
    "ruf=mailto:fail@Override.Example.NET!1m\"\n"
    "example.com._report._dmarc.foreign.example.net. TXT \"v=DMARC1; "
    "rua=mailto:x@victim.example\"\n"
    "example.com._report._dmarc.slow.example.net. A 192.0.2.1\n"
    "$TIMEOUT example.com._report._dmarc.slow.example.net.\n"
    "$SERVFAIL example.com._report._dmarc.broken.example.net.\n"
    "$TIMEOUT _dmarc.sloworg.example.\n";

#define AGG	DG_DMARC_REPORT_AGGREGATE
#define FAIL	DG_DMARC_REPORT_FAILURE
#define R7489	DG_DMARC_EXTAUTH_RFC7489

static const struct {
	const char			*name;
	const char			*policy, *policy_org;
	const char			*dest, *dest_org;
	enum dg_dmarc_report_kind	 kind;
	unsigned			 flags;
	enum dg_dmarc_extauth_result	 want;
	const char			*qname;
	enum dg_dns_status		 dns;
	size_t				 ntxt, ndmarc, noverride;
	const char			*override0;
} rows[] = {
	{ "same-org", "example.com", "example.com", "mail.example.com",
	  "example.com", AGG, 0, DG_DMARC_EXTAUTH_NOT_NEEDED, NULL,
	  DG_DNS_UNSET, 0, 0, 0, NULL },
	{ "same-org-case-dot", "example.com", "Example.COM.",
	  "reports.example.com", "EXAMPLE.com", AGG, 0,
	  DG_DMARC_EXTAUTH_NOT_NEEDED, NULL, DG_DNS_UNSET, 0, 0, 0, NULL },
	{ "authorized", "example.com", "example.com", "reports.example.net",
	  "example.net", AGG, 0, DG_DMARC_EXTAUTH_AUTHORIZED,
	  "example.com._report._dmarc.reports.example.net", DG_DNS_OK, 1, 1,
	  0, NULL },
	{ "authorized-case", "EXAMPLE.COM.", "example.com",
	  "Reports.Example.NET", "example.net", FAIL, 0,
	  DG_DMARC_EXTAUTH_AUTHORIZED,
	  "example.com._report._dmarc.reports.example.net", DG_DNS_OK, 1, 1,
	  0, NULL },
	{ "subdomain-policy", "sub.example.com", "example.com",
	  "reports.example.net", "example.net", AGG, 0,
	  DG_DMARC_EXTAUTH_AUTHORIZED,
	  "sub.example.com._report._dmarc.reports.example.net", DG_DNS_OK, 1,
	  1, 0, NULL },
	{ "idn-policy-a-label", "b\xc3\xa4.example", "b\xc3\xa4.example",
	  "reports.example.net", "example.net", AGG, 0,
	  DG_DMARC_EXTAUTH_AUTHORIZED,
	  "xn--b-0fa.example._report._dmarc.reports.example.net", DG_DNS_OK,
	  1, 1, 0, NULL },
	{ "subdomain-policy-missing", "other.example.com", "example.com",
	  "reports.example.net", "example.net", AGG, 0,
	  DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
	  "other.example.com._report._dmarc.reports.example.net",
	  DG_DNS_NXDOMAIN, 0, 0, 0, NULL },
	{ "subdomain-destination", "example.com", "example.com",
	  "a.reports.example.net", "example.net", AGG, 0,
	  DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
	  "example.com._report._dmarc.a.reports.example.net",
	  DG_DNS_NXDOMAIN, 0, 0, 0, NULL },
	{ "missing", "example.com", "example.com", "nobody.example.net",
	  "example.net", AGG, 0, DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
	  "example.com._report._dmarc.nobody.example.net", DG_DNS_NXDOMAIN,
	  0, 0, 0, NULL },
	{ "not-dmarc", "example.com", "example.com", "notdmarc.example.net",
	  "example.net", AGG, 0, DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
	  "example.com._report._dmarc.notdmarc.example.net", DG_DNS_OK, 1, 0,
	  0, NULL },
	{ "lower-case-version", "example.com", "example.com",
	  "lower.example.net", "example.net", AGG, 0,
	  DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
	  "example.com._report._dmarc.lower.example.net", DG_DNS_OK, 1, 0, 0,
	  NULL },
	{ "several-rrs", "example.com", "example.com", "multi.example.net",
	  "example.net", AGG, 0, DG_DMARC_EXTAUTH_AUTHORIZED,
	  "example.com._report._dmarc.multi.example.net", DG_DNS_OK, 2, 1, 0,
	  NULL },
	{ "several-rrs-7489", "example.com", "example.com",
	  "multi.example.net", "example.net", AGG, R7489,
	  DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
	  "example.com._report._dmarc.multi.example.net", DG_DNS_OK, 2, 1, 0,
	  NULL },
	{ "one-rr-7489", "example.com", "example.com", "reports.example.net",
	  "example.net", AGG, R7489, DG_DMARC_EXTAUTH_AUTHORIZED,
	  "example.com._report._dmarc.reports.example.net", DG_DNS_OK, 1, 1,
	  0, NULL },
	{ "split-strings", "example.com", "example.com", "split.example.net",
	  "example.net", AGG, 0, DG_DMARC_EXTAUTH_AUTHORIZED,
	  "example.com._report._dmarc.split.example.net", DG_DNS_OK, 1, 1, 0,
	  NULL },
	{ "override-rua", "example.com", "example.com",
	  "override.example.net", "example.net", AGG, 0,
	  DG_DMARC_EXTAUTH_AUTHORIZED,
	  "example.com._report._dmarc.override.example.net", DG_DNS_OK, 1, 1,
	  1, "agg@override.example.net" },
	{ "override-ruf", "example.com", "example.com",
	  "override.example.net", "example.net", FAIL, 0,
	  DG_DMARC_EXTAUTH_AUTHORIZED,
	  "example.com._report._dmarc.override.example.net", DG_DNS_OK, 1, 1,
	  1, "fail@Override.Example.NET" },
	{ "override-foreign", "example.com", "example.com",
	  "foreign.example.net", "example.net", AGG, 0,
	  DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
	  "example.com._report._dmarc.foreign.example.net", DG_DNS_OK, 1, 1,
	  0, NULL },
	{ "override-foreign-ruf-absent", "example.com", "example.com",
	  "foreign.example.net", "example.net", FAIL, 0,
	  DG_DMARC_EXTAUTH_AUTHORIZED,
	  "example.com._report._dmarc.foreign.example.net", DG_DNS_OK, 1, 1,
	  0, NULL },
	{ "timeout", "example.com", "example.com", "slow.example.net",
	  "example.net", AGG, 0, DG_DMARC_EXTAUTH_TEMPERROR,
	  "example.com._report._dmarc.slow.example.net", DG_DNS_TIMEOUT, 0, 0,
	  0, NULL },
	{ "servfail", "example.com", "example.com", "broken.example.net",
	  "example.net", AGG, 0, DG_DMARC_EXTAUTH_TEMPERROR,
	  "example.com._report._dmarc.broken.example.net", DG_DNS_SERVFAIL,
	  0, 0, 0, NULL },
	{ "too-long",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb."
	  "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc."
	  "dddddddddddddddddddd.example.com",
	  "example.com", "reports.example.net", "example.net", AGG, 0,
	  DG_DMARC_EXTAUTH_NOT_AUTHORIZED, NULL, DG_DNS_UNSET, 0, 0, 0,
	  NULL },
};

static struct dg_resolver *
make_zone(void)
{
	struct dg_resolver	*res = NULL;
	char			 err[256];

	if (dg_resolver_zone_text(zone, sizeof(zone) - 1, "extauth", &res,
	    err, sizeof(err)) != DG_OK)
		fail_msg("zone: %s", err);
	return res;
}

static void
test_rows(void **state)
{
	struct dg_resolver	*res = make_zone();
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dmarc_extauth	 x;

		assert_non_null(a);
		CHECK_INT(rows[i].name, dg_dmarc_extauth_check(res, a,
		    rows[i].policy, rows[i].policy_org, rows[i].dest,
		    rows[i].dest_org, rows[i].kind, rows[i].flags, &x), DG_OK);
		CHECK_STR(rows[i].name, dg_dmarc_extauth_result_str(x.result),
		    dg_dmarc_extauth_result_str(rows[i].want));
		CHECK_STR(rows[i].name, x.qname, rows[i].qname);
		CHECK_STR(rows[i].name, dg_dns_status_str(x.dns),
		    dg_dns_status_str(rows[i].dns));
		CHECK_INT(rows[i].name, x.ntxt, rows[i].ntxt);
		CHECK_INT(rows[i].name, x.ndmarc, rows[i].ndmarc);
		CHECK_INT(rows[i].name, x.noverride, rows[i].noverride);
		CHECK_STR(rows[i].name, x.noverride > 0 ?
		    x.override[0].address : NULL, rows[i].override0);
		if (x.detail == NULL || x.detail[0] == '\0')
			fail_msg("%s: no detail", rows[i].name);
		dg_arena_free(a);
	}
	dg_resolver_free(res);
}

static void
test_details(void **state)
{
	struct dg_resolver	*res = make_zone();
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_extauth	 x;

	(void)state;
	assert_non_null(a);
	assert_int_equal(dg_dmarc_extauth_check(res, a, "example.com",
	    "example.com", "foreign.example.net", "example.net", AGG, 0, &x),
	    DG_OK);
	CHECK_STR("foreign", x.detail, "the authorization record redirects "
	    "reports to another host: no report to either URI");
	CHECK_INT("foreign-override", x.override == NULL, 1);
	assert_int_equal(dg_dmarc_extauth_check(res, a, "example.com",
	    "example.com", "multi.example.net", "example.net", AGG, R7489,
	    &x), DG_OK);
	CHECK_STR("7489", x.detail,
	    "several TXT records (RFC 7489 7.1 step 5)");
	assert_int_equal(dg_dmarc_extauth_check(res, a, "example.com",
	    "example.com", "override.example.net", "example.net", FAIL, 0,
	    &x), DG_OK);
	CHECK_STR("override-host", x.override[0].host,
	    "override.example.net");
	CHECK_INT("override-size", x.override[0].size, 1048576);
	CHECK_STR("override-detail", x.detail,
	    "authorized, with a destination override");

	/* Bad arguments */
	CHECK_INT("null-res", dg_dmarc_extauth_check(NULL, a, "a.example",
	    "a.example", "b.example", "b.example", AGG, 0, &x), DG_EINVAL);
	CHECK_INT("null-dest", dg_dmarc_extauth_check(res, a, "a.example",
	    "a.example", NULL, "b.example", AGG, 0, &x), DG_EINVAL);
	CHECK_INT("bad-name", dg_dmarc_extauth_check(res, a, "a..example",
	    "a.example", "b.example", "b.example", AGG, 0, &x), DG_EINVAL);
	CHECK_INT("bad-kind", dg_dmarc_extauth_check(res, a, "a.example",
	    "a.example", "b.example", "b.example", DG_DMARC_REPORT_UNSET, 0,
	    &x), DG_EINVAL);
	CHECK_STR("str", dg_dmarc_extauth_result_str(
	    DG_DMARC_EXTAUTH_NOT_AUTHORIZED), "not-authorized");
	dg_arena_free(a);
	dg_resolver_free(res);
}

/* Organizational Domains from the RFC 9989 tree walk. */
static void
test_walk(void **state)
{
	static const struct {
		const char			*name, *policy, *dest;
		enum dg_dmarc_extauth_result	 want;
		const char			*qname;
	} w[] = {
		/* _dmarc.example.com makes example.com the org of both */
		{ "walk-same-org", "example.com", "mail.example.com",
		  DG_DMARC_EXTAUTH_NOT_NEEDED, NULL },
		{ "walk-sub-same-org", "sub.example.com", "example.com",
		  DG_DMARC_EXTAUTH_NOT_NEEDED, NULL },
		{ "walk-authorized", "example.com", "reports.example.net",
		  DG_DMARC_EXTAUTH_AUTHORIZED,
		  "example.com._report._dmarc.reports.example.net" },
		{ "walk-missing", "example.com", "x.example.org",
		  DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
		  "example.com._report._dmarc.x.example.org" },
		{ "walk-temperror", "example.com", "r.sloworg.example",
		  DG_DMARC_EXTAUTH_TEMPERROR, NULL },
	};
	struct dg_resolver	*res = make_zone();
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(w); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dmarc_extauth	 x;

		assert_non_null(a);
		CHECK_INT(w[i].name, dg_dmarc_extauth_check_walk(res, a,
		    w[i].policy, w[i].dest, AGG, &x), DG_OK);
		CHECK_STR(w[i].name, dg_dmarc_extauth_result_str(x.result),
		    dg_dmarc_extauth_result_str(w[i].want));
		CHECK_STR(w[i].name, x.qname, w[i].qname);
		dg_arena_free(a);
	}
	dg_resolver_free(res);
}

/* RFC 7489 mode: Organizational Domains from the Public Suffix List. */
static void
test_psl(void **state)
{
	static const struct {
		const char			*name, *policy, *dest;
		enum dg_dmarc_extauth_result	 want;
	} w[] = {
		{ "psl-same-org", "mail.example.co.uk", "dmarc.example.co.uk",
		  DG_DMARC_EXTAUTH_NOT_NEEDED },
		{ "psl-other-org", "example.co.uk", "reports.example.net",
		  DG_DMARC_EXTAUTH_NOT_AUTHORIZED },
		{ "psl-authorized", "example.com", "reports.example.net",
		  DG_DMARC_EXTAUTH_AUTHORIZED },
	};
	struct dg_resolver	*res = make_zone();
	struct dg_psl		*psl = NULL;
	size_t			 i;

	(void)state;
	assert_int_equal(dg_psl_new_system(&psl), DG_OK);
	for (i = 0; i < NELEM(w); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dmarc_extauth	 x;
		char			 po[256], dor[256];

		assert_non_null(a);
		assert_int_equal(dg_psl_org_domain(psl, w[i].policy, 0, po,
		    sizeof(po)), DG_OK);
		assert_int_equal(dg_psl_org_domain(psl, w[i].dest, 0, dor,
		    sizeof(dor)), DG_OK);
		CHECK_INT(w[i].name, dg_dmarc_extauth_check(res, a,
		    w[i].policy, po, w[i].dest, dor, AGG,
		    DG_DMARC_EXTAUTH_RFC7489, &x), DG_OK);
		CHECK_STR(w[i].name, dg_dmarc_extauth_result_str(x.result),
		    dg_dmarc_extauth_result_str(w[i].want));
		dg_arena_free(a);
	}
	dg_psl_free(psl);
	dg_resolver_free(res);
}

static void
test_enomem(void **state)
{
	struct dg_resolver	*res = make_zone();
	unsigned long		 n;
	bool			 done = false;

	(void)state;
	for (n = 1; n < 2000 && !done; n++) {
		struct dg_arena		*a;
		struct dg_dmarc_extauth	 x;
		enum dg_err		 err;

		dg_alloc_fail_after(n);
		if ((a = dg_arena_new(0)) == NULL) {
			dg_alloc_fail_after(0);
			continue;
		}
		err = dg_dmarc_extauth_check_walk(res, a, "example.com",
		    "override.example.net", FAIL, &x);
		if (!dg_alloc_failed()) {
			CHECK_INT("final", err, DG_OK);
			CHECK_INT("final-result", x.result,
			    DG_DMARC_EXTAUTH_AUTHORIZED);
			done = true;
		} else if (err != DG_ENOMEM) {
			fail_msg("n=%lu: got %d, want DG_ENOMEM", n, err);
		}
		dg_alloc_fail_after(0);
		dg_arena_free(a);
	}
	assert_true(done);
	dg_resolver_free(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_psl),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
