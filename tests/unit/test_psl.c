/*
 * tests/unit/test_psl.c -- RFC 7489 3.2 Organizational Domains from the
 * Public Suffix List (lib/domain/psl.c).  Rows run against the list
 * snapshot in shared/conformance/psl, so they do not drift with the
 * system's list; a few stable facts are checked on the system list too.
 */
#include "testutil.h"

#include <dmarcguard/orgdomain.h>

static struct dg_psl *
load_snapshot(void)
{
	const char	*shared = getenv("DG_SHARED_DIR");
	char		 path[1024];
	struct dg_psl	*psl = NULL;

	snprintf(path, sizeof(path),
	    "%s/conformance/psl/public_suffix_list.dat",
	    shared != NULL && shared[0] != '\0' ? shared : "../../shared");
	if (dg_psl_new_file(path, &psl) != DG_OK)
		fail_msg("cannot load %s", path);
	return psl;
}

static const struct {
	const char	*name;
	const char	*domain;
	unsigned	 flags;
	const char	*want_org;	/* "" = is a public suffix */
	const char	*want_label;
	bool		 want_ps;
} rows[] = {
	{ "apex", "example.com", 0, "example.com", "example", false },
	{ "subdomain", "www.example.com", 0, "example.com", "example", false },
	{ "deep", "a.b.c.d.example.com", 0, "example.com", "example", false },
	{ "tld", "com", 0, "", "", true },
	{ "case-dot", "WWW.Example.COM.", 0, "example.com", "example", false },
	{ "multi-label", "a.b.example.co.uk", 0, "example.co.uk", "example",
	    false },
	{ "multi-label-ps", "co.uk", 0, "", "", true },
	{ "wildcard-ps", "test.ck", 0, "", "", true },
	{ "wildcard-org", "a.b.test.ck", 0, "b.test.ck", "b", false },
	{ "exception", "www.ck", 0, "www.ck", "www", false },
	{ "exception-sub", "www.www.ck", 0, "www.ck", "www", false },
	{ "wildcard-jp", "x.y.kawasaki.jp", 0, "x.y.kawasaki.jp", "x", false },
	{ "exception-jp", "www.city.kawasaki.jp", 0, "city.kawasaki.jp",
	    "city", false },
	{ "unlisted-tld", "a.b.example", 0, "b.example", "b", false },
	{ "unlisted-tld-ps", "example", 0, "", "", true },
	/* the PSL side of the table in docs/internals/orgdomain.md */
	{ "doc-psd-example", "foo.bar.psd.example", 0, "psd.example", "psd",
	    false },
	{ "doc-gov", "www.agency.gov", 0, "agency.gov", "agency", false },
	{ "doc-no-records", "a.b.example.org", 0, "example.org", "example",
	    false },
	{ "doc-blogspot", "x.user.blogspot.com", 0, "user.blogspot.com",
	    "user", false },
	/* PRIVATE section entries count unless DG_PSL_ICANN_ONLY. */
	{ "private", "foo.blogspot.com", 0, "foo.blogspot.com", "foo", false },
	{ "private-icann", "foo.blogspot.com", DG_PSL_ICANN_ONLY,
	    "blogspot.com", "blogspot", false },
	{ "private-ps", "blogspot.com", 0, "", "", true },
	{ "private-ps-icann", "blogspot.com", DG_PSL_ICANN_ONLY,
	    "blogspot.com", "blogspot", false },
	{ "private-github", "a.user.github.io", 0, "user.github.io", "user",
	    false },
	/* IDN: answers in the form of the input; labels in A-label form. */
	{ "idn-ulabel", "www.\xe9\xa3\x9f\xe7\x8b\xae.\xe5\x85\xac\xe5\x8f\xb8"
	    ".cn", 0, "\xe9\xa3\x9f\xe7\x8b\xae.\xe5\x85\xac\xe5\x8f\xb8.cn",
	    "xn--85x722f", false },
	{ "idn-alabel", "www.xn--85x722f.xn--55qx5d.cn", 0,
	    "xn--85x722f.xn--55qx5d.cn", "xn--85x722f", false },
	{ "idn-ps", "\xe5\x85\xac\xe5\x8f\xb8.cn", 0, "", "", true },
	{ "idn-upper", "WWW.B\xc3\x9c" "CHER.example", 0,
	    "b\xc3\xbc" "cher.example", "xn--bcher-kva", false },
};

static void
test_rows(void **state)
{
	struct dg_psl	*psl = load_snapshot();
	char		 got[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		memset(got, 'X', sizeof(got));
		CHECK_INT(rows[i].name, dg_psl_org_domain(psl, rows[i].domain,
		    rows[i].flags, got, sizeof(got)), DG_OK);
		CHECK_STR(rows[i].name, got, rows[i].want_org);
		CHECK_INT(rows[i].name, dg_psl_registrable_label(psl,
		    rows[i].domain, rows[i].flags, got, sizeof(got)), DG_OK);
		CHECK_STR(rows[i].name, got, rows[i].want_label);
		CHECK_INT(rows[i].name, dg_psl_is_public_suffix(psl,
		    rows[i].domain, rows[i].flags), rows[i].want_ps);
	}
	dg_psl_free(psl);
}

static const struct {
	const char	*name;
	const char	*domain;
} bad[] = {
	{ "empty", "" },
	{ "root", "." },
	{ "leading-dot", ".com" },
	{ "leading-dot-2", ".example.com" },
	{ "empty-label", "a..example.com" },
	{ "two-final-dots", "example.com.." },
	{ "space", "exa mple.com" },
	{ "at-sign", "user@example.com" },
	{ "ctl", "exa\x01mple.com" },
	{ "label-64", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com" },
	{ "bad-utf8", "\xff\xfe.com" },
	{ "bad-punycode-only-in-utf8", "\xc3\xa9..com" },
};

static void
test_invalid(void **state)
{
	struct dg_psl	*psl = load_snapshot();
	char		 got[256], big[400];
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		strcpy(got, "untouched");
		CHECK_INT(bad[i].name, dg_psl_org_domain(psl, bad[i].domain, 0,
		    got, sizeof(got)), DG_EINVAL);
		CHECK_STR(bad[i].name, got, "untouched");
		CHECK_INT(bad[i].name, dg_psl_is_public_suffix(psl,
		    bad[i].domain, 0), false);
		CHECK_INT(bad[i].name, dg_psl_registrable_label(psl,
		    bad[i].domain, 0, got, sizeof(got)), DG_EINVAL);
	}
	/* 254 octets: one too many (RFC 1035 2.3.4). */
	memset(big, 'a', sizeof(big));
	for (i = 63; i < 254; i += 64)
		big[i] = '.';
	big[254] = '\0';
	CHECK_INT("name-254", dg_psl_org_domain(psl, big, 0, got,
	    sizeof(got)), DG_EINVAL);
	big[253] = '\0';
	CHECK_INT("name-253", dg_psl_org_domain(psl, big, 0, got,
	    sizeof(got)), DG_OK);

	CHECK_INT("null-domain", dg_psl_org_domain(psl, NULL, 0, got,
	    sizeof(got)), DG_EINVAL);
	CHECK_INT("null-psl", dg_psl_org_domain(NULL, "example.com", 0, got,
	    sizeof(got)), DG_EINVAL);
	CHECK_INT("null-out", dg_psl_org_domain(psl, "example.com", 0, NULL,
	    0), DG_EINVAL);
	CHECK_INT("small-out", dg_psl_org_domain(psl, "www.example.com", 0,
	    got, 11), DG_ETOOBIG);
	CHECK_INT("fits-out", dg_psl_org_domain(psl, "www.example.com", 0,
	    got, 12), DG_OK);
	CHECK_INT("small-label", dg_psl_registrable_label(psl,
	    "www.example.com", 0, got, 7), DG_ETOOBIG);
	dg_psl_free(psl);
}

static void
test_load(void **state)
{
	struct dg_psl	*psl = NULL;
	char		 got[256];

	(void)state;
	CHECK_INT("missing-file", dg_psl_new_file("/nonexistent/psl.dat",
	    &psl), DG_EIO);
	assert_null(psl);
	CHECK_INT("null-path", dg_psl_new_file(NULL, &psl), DG_EINVAL);
	dg_psl_free(NULL);

	/* The system list (or libpsl's built-in): facts that won't move. */
	CHECK_INT("system", dg_psl_new_system(&psl), DG_OK);
	assert_non_null(psl);
	CHECK_INT("system-co-uk", dg_psl_org_domain(psl, "mail.example.co.uk",
	    0, got, sizeof(got)), DG_OK);
	CHECK_STR("system-co-uk", got, "example.co.uk");
	CHECK_INT("system-com", dg_psl_is_public_suffix(psl, "com", 0), true);
	dg_psl_free(psl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
