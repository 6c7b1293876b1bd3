/*
 * tests/unit/test_orgdomain.c -- the RFC 9989 4.10 DNS Tree Walk against a
 * mock resolver (dg_resolver_custom) serving a small per-row table of
 * name -> TXT records or DNS status.  Each row asserts the exact query
 * sequence, the status, where the applied record was found and the
 * Organizational Domain.
 */
#include "testutil.h"

#include <dmarcguard/orgdomain.h>

#include "util/alloc.h"
#include "util/limits.h"

/* One name in a mock zone.  status 0 means DG_DNS_OK; each txt[] entry is
 * one TXT RR, whose character-strings are separated by "|". */
struct zent {
	const char		*name;
	enum dg_dns_status	 status;
	const char		*txt[3];
};

struct mock {
	const struct zent	*zone;
	enum dg_dns_status	 dflt;		/* names not in the zone */
	char			 log[2048];	/* names asked, " "-separated */
	unsigned		 calls;
};

static enum dg_err
build_txt(struct dg_arena *a, const char *spec, struct dg_dns_rr *rr)
{
	struct dg_dns_str	*strs;
	const char		*p, *bar;
	size_t			 n = 1, i;

	for (p = spec; (p = strchr(p, '|')) != NULL; p++)
		n++;
	strs = dg_arena_calloc(a, n, sizeof(*strs));
	if (strs == NULL)
		return dg_arena_err(a);
	for (p = spec, i = 0; i < n; i++) {
		bar = strchr(p, '|');
		strs[i].len = bar ? (size_t)(bar - p) : strlen(p);
		strs[i].p = dg_arena_strndup(a, p, strs[i].len);
		if (strs[i].p == NULL)
			return dg_arena_err(a);
		p = bar ? bar + 1 : p;
	}
	rr->type = DG_DNS_T_TXT;
	rr->ttl = 300;
	rr->u.txt.count = n;
	rr->u.txt.strings = strs;
	return DG_OK;
}

static enum dg_err
mock_query(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct mock		*m = ctx;
	const struct zent	*z;
	struct dg_dns_rr	*rrs;
	size_t			 n, i, off = strlen(m->log);
	enum dg_err		 err;

	assert_int_equal(type, DG_DNS_T_TXT);
	snprintf(m->log + off, sizeof(m->log) - off, "%s%s", off ? " " : "",
	    name);
	m->calls++;
	for (z = m->zone; z != NULL && z->name != NULL; z++)
		if (strcmp(z->name, name) == 0)
			break;
	if (z == NULL || z->name == NULL) {
		out->status = m->dflt ? m->dflt : DG_DNS_NXDOMAIN;
		return DG_OK;
	}
	if (z->status != 0 && z->status != DG_DNS_OK) {
		out->status = z->status;
		return DG_OK;
	}
	for (n = 0; n < NELEM(z->txt) && z->txt[n] != NULL; n++)
		continue;
	out->status = n ? DG_DNS_OK : DG_DNS_NODATA;
	if (n == 0)
		return DG_OK;
	rrs = dg_arena_calloc(a, n, sizeof(*rrs));
	if (rrs == NULL)
		return dg_arena_err(a);
	for (i = 0; i < n; i++)
		if ((err = build_txt(a, z->txt[i], &rrs[i])) != DG_OK)
			return err;
	out->count = n;
	out->rrs = rrs;
	return DG_OK;
}

#define DMARC_REJECT	"v=DMARC1; p=reject"
#define DMARC_NONE	"v=DMARC1; p=none"
#define DMARC_PSD_Y	"v=DMARC1; p=reject; psd=y"
#define DMARC_PSD_N	"v=DMARC1; p=quarantine; psd=n"

static const char DEEP13[] = "a.b.c.d.e.f.g.h.i.j.mail.example.com";

static const struct {
	const char			*name;
	const char			*domain;
	struct zent			 zone[5];
	enum dg_dmarc_walk_status	 want_status;
	const char			*want_queries;
	const char			*want_policy_domain;	/* NULL: none */
	enum dg_dmarc_source		 want_source;
	const char			*want_org;
	const char			*want_psd_domain;	/* NULL: none */
} rows[] = {
	{ "exact-domain", "example.com",
	    { { "_dmarc.example.com", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_AUTHOR, "example.com", NULL },
	{ "at-org-domain", "mail.example.com",
	    { { "_dmarc.example.com", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND,
	    "_dmarc.mail.example.com _dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_ORG, "example.com", NULL },
	/* RFC 9989 4.10.2, first example: records at mail.example.com and
	 * example.com; the fewest labels win, and an intermediate record
	 * is not the subject's policy (4.10.1 lists author, org, PSD). */
	{ "fewest-labels", "a.mail.example.com",
	    { { "_dmarc.mail.example.com", 0, { DMARC_NONE } },
	      { "_dmarc.example.com", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.a.mail.example.com "
	    "_dmarc.mail.example.com _dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_ORG, "example.com", NULL },
	/* 4.10.2, second example: psd=n stops the walk. */
	{ "psd-n-stops", "a.mail.example.com",
	    { { "_dmarc.mail.example.com", 0, { DMARC_PSD_N } },
	      { "_dmarc.example.com", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND,
	    "_dmarc.a.mail.example.com _dmarc.mail.example.com",
	    "mail.example.com", DG_DMARC_SRC_ORG, "mail.example.com", NULL },
	{ "psd-n-at-author", "mail.example.com",
	    { { "_dmarc.mail.example.com", 0, { DMARC_PSD_N } },
	      { "_dmarc.example.com", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.mail.example.com",
	    "mail.example.com", DG_DMARC_SRC_AUTHOR, "mail.example.com",
	    NULL },
	/* 4.10.2, last example: only _dmarc.com with psd=y: the org is one
	 * label below, and the PSD's record is the policy (4.10.1). */
	{ "psd-y-tld", "a.mail.example.com",
	    { { "_dmarc.com", 0, { DMARC_PSD_Y } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.a.mail.example.com "
	    "_dmarc.mail.example.com _dmarc.example.com _dmarc.com",
	    "com", DG_DMARC_SRC_PSD, "example.com", "com" },
	{ "psd-y-gov-org-record", "www.agency.gov",
	    { { "_dmarc.agency.gov", 0, { "v=DMARC1; p=quarantine" } },
	      { "_dmarc.gov", 0, { DMARC_PSD_Y } } },
	    DG_DMARC_WALK_FOUND,
	    "_dmarc.www.agency.gov _dmarc.agency.gov _dmarc.gov",
	    "agency.gov", DG_DMARC_SRC_ORG, "agency.gov", "gov" },
	/* A private PSD (two labels): the walk stops there, nothing asked
	 * above it. */
	{ "psd-y-private", "foo.bar.psd.example",
	    { { "_dmarc.psd.example", 0, { DMARC_PSD_Y } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.foo.bar.psd.example "
	    "_dmarc.bar.psd.example _dmarc.psd.example",
	    "psd.example", DG_DMARC_SRC_PSD, "bar.psd.example",
	    "psd.example" },
	/* docs/internals/orgdomain.md: a record without psd at a private
	 * suffix makes it the Organizational Domain (the PSL says
	 * user.blogspot.com). */
	{ "doc-blogspot", "x.user.blogspot.com",
	    { { "_dmarc.blogspot.com", 0, { DMARC_NONE } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.x.user.blogspot.com "
	    "_dmarc.user.blogspot.com _dmarc.blogspot.com _dmarc.com",
	    "blogspot.com", DG_DMARC_SRC_ORG, "blogspot.com", NULL },
	/* psd=y at the subject itself: its own record applies, and rule 2
	 * of 4.10.2 excludes the starting domain. */
	{ "psd-y-at-author", "gov",
	    { { "_dmarc.gov", 0, { DMARC_PSD_Y } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.gov",
	    "gov", DG_DMARC_SRC_AUTHOR, "gov", "gov" },
	/* RFC 9989 4.10 example: 13 labels, exactly these eight queries. */
	{ "deep-13-labels", DEEP13, { { NULL, 0, { NULL } } },
	    DG_DMARC_WALK_NONE,
	    "_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com "
	    "_dmarc.g.h.i.j.mail.example.com _dmarc.h.i.j.mail.example.com "
	    "_dmarc.i.j.mail.example.com _dmarc.j.mail.example.com "
	    "_dmarc.mail.example.com _dmarc.example.com _dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, DEEP13, NULL },
	{ "deep-9-labels", "x.a.b.c.d.e.f.example.com",
	    { { "_dmarc.example.com", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND,
	    "_dmarc.x.a.b.c.d.e.f.example.com _dmarc.b.c.d.e.f.example.com "
	    "_dmarc.c.d.e.f.example.com _dmarc.d.e.f.example.com "
	    "_dmarc.e.f.example.com _dmarc.f.example.com _dmarc.example.com "
	    "_dmarc.com",
	    "example.com", DG_DMARC_SRC_ORG, "example.com", NULL },
	{ "exactly-8-labels", "a.b.c.d.e.f.example.com",
	    { { NULL, 0, { NULL } } },
	    DG_DMARC_WALK_NONE,
	    "_dmarc.a.b.c.d.e.f.example.com _dmarc.b.c.d.e.f.example.com "
	    "_dmarc.c.d.e.f.example.com _dmarc.d.e.f.example.com "
	    "_dmarc.e.f.example.com _dmarc.f.example.com _dmarc.example.com "
	    "_dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, "a.b.c.d.e.f.example.com", NULL },
	/* RFC 9989 5.1.8: the psd=n record at the 8-label zone cut is
	 * never queried for a 10-label Author Domain. */
	{ "deep-zone-cut-unseen", "mail.a.b.c.d.e.f.g.example.com",
	    { { "_dmarc.b.c.d.e.f.g.example.com", 0, { DMARC_PSD_N } },
	      { "_dmarc.example.com", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND,
	    "_dmarc.mail.a.b.c.d.e.f.g.example.com "
	    "_dmarc.c.d.e.f.g.example.com _dmarc.d.e.f.g.example.com "
	    "_dmarc.e.f.g.example.com _dmarc.f.g.example.com "
	    "_dmarc.g.example.com _dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_ORG, "example.com", NULL },
	/* 4.10 step 2: several DMARC records at one name: all discarded. */
	{ "multiple-discarded", "mail.example.com",
	    { { "_dmarc.mail.example.com", 0, { DMARC_REJECT, DMARC_NONE } },
	      { "_dmarc.example.com", 0, { DMARC_NONE } } },
	    DG_DMARC_WALK_FOUND,
	    "_dmarc.mail.example.com _dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_ORG, "example.com", NULL },
	{ "multiple-only", "example.com",
	    { { "_dmarc.example.com", 0, { DMARC_REJECT, DMARC_PSD_N } } },
	    DG_DMARC_WALK_NONE, "_dmarc.example.com _dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, "example.com", NULL },
	{ "non-dmarc-ignored", "example.com",
	    { { "_dmarc.example.com", 0,
	        { "v=spf1 -all", DMARC_REJECT, "site-verification=x" } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_AUTHOR, "example.com", NULL },
	{ "non-dmarc-only", "example.com",
	    { { "_dmarc.example.com", 0, { "hello world", "v=spf1 -all" } } },
	    DG_DMARC_WALK_NONE, "_dmarc.example.com _dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, "example.com", NULL },
	{ "v-not-first", "example.com",
	    { { "_dmarc.example.com", 0, { "p=reject; v=DMARC1" } } },
	    DG_DMARC_WALK_NONE, "_dmarc.example.com _dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, "example.com", NULL },
	{ "v-value-case", "example.com",
	    { { "_dmarc.example.com", 0, { "v=dmarc1; p=reject" } } },
	    DG_DMARC_WALK_NONE, "_dmarc.example.com _dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, "example.com", NULL },
	{ "leading-space", "example.com",
	    { { "_dmarc.example.com", 0, { " v=DMARC1; p=reject" } } },
	    DG_DMARC_WALK_NONE, "_dmarc.example.com _dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, "example.com", NULL },
	{ "v-name-case", "example.com",
	    { { "_dmarc.example.com", 0, { "V = DMARC1;p=reject" } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_AUTHOR, "example.com", NULL },
	{ "split-strings-joined", "example.com",
	    { { "_dmarc.example.com", 0, { "v=DMARC|1; p=|reject" } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_AUTHOR, "example.com", NULL },
	/* RFC 9989 4.8: a broken tag does not hide a later psd=n. */
	{ "psd-after-junk", "mail.example.com",
	    { { "_dmarc.mail.example.com", 0,
	        { "v=DMARC1; p=reject; !!junk; psd=n" } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.mail.example.com",
	    "mail.example.com", DG_DMARC_SRC_AUTHOR, "mail.example.com",
	    NULL },
	{ "psd-bad-value-is-u", "mail.example.com",
	    { { "_dmarc.mail.example.com", 0, { "v=DMARC1; psd=x" } } },
	    DG_DMARC_WALK_FOUND,
	    "_dmarc.mail.example.com _dmarc.example.com _dmarc.com",
	    "mail.example.com", DG_DMARC_SRC_AUTHOR, "mail.example.com",
	    NULL },
	{ "nodata-nxdomain", "example.com",
	    { { "_dmarc.example.com", DG_DNS_NODATA, { NULL } } },
	    DG_DMARC_WALK_NONE, "_dmarc.example.com _dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, "example.com", NULL },
	{ "nxdomain-everywhere", "a.b.example.org", { { NULL, 0, { NULL } } },
	    DG_DMARC_WALK_NONE, "_dmarc.a.b.example.org _dmarc.b.example.org "
	    "_dmarc.example.org _dmarc.org",
	    NULL, DG_DMARC_SRC_UNSET, "a.b.example.org", NULL },
	/* RFC 9989 5.3.1: U-labels become A-labels before the walk. */
	{ "idn-u-label", "www.B\xc3\xbc" "cher.example",
	    { { "_dmarc.xn--bcher-kva.example", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND, "_dmarc.www.xn--bcher-kva.example "
	    "_dmarc.xn--bcher-kva.example _dmarc.example",
	    "xn--bcher-kva.example", DG_DMARC_SRC_ORG, "xn--bcher-kva.example",
	    NULL },
	{ "upper-trailing-dot", "Mail.EXAMPLE.com.",
	    { { "_dmarc.example.com", 0, { DMARC_REJECT } } },
	    DG_DMARC_WALK_FOUND,
	    "_dmarc.mail.example.com _dmarc.example.com _dmarc.com",
	    "example.com", DG_DMARC_SRC_ORG, "example.com", NULL },
	{ "temperror-after-author", "a.example.com",
	    { { "_dmarc.a.example.com", 0, { DMARC_REJECT } },
	      { "_dmarc.example.com", DG_DNS_SERVFAIL, { NULL } } },
	    DG_DMARC_WALK_TEMPERROR, "_dmarc.a.example.com _dmarc.example.com",
	    "a.example.com", DG_DMARC_SRC_AUTHOR, NULL, NULL },
	{ "temperror-beats-found", "a.example.com",
	    { { "_dmarc.example.com", 0, { DMARC_REJECT } },
	      { "_dmarc.com", DG_DNS_TIMEOUT, { NULL } } },
	    DG_DMARC_WALK_TEMPERROR,
	    "_dmarc.a.example.com _dmarc.example.com _dmarc.com",
	    NULL, DG_DMARC_SRC_UNSET, NULL, NULL },
};

static struct dg_resolver *
mock_new(struct mock *m, const struct zent *zone, enum dg_dns_status dflt)
{
	struct dg_resolver	*res = NULL;

	memset(m, 0, sizeof(*m));
	m->zone = zone;
	m->dflt = dflt;
	assert_int_equal(dg_resolver_custom(mock_query, m, &res), DG_OK);
	return res;
}

/* The steps' qnames that were asked, " "-separated. */
static void
steps_str(const struct dg_dmarc_walk *w, char *out, size_t cap)
{
	size_t	i, off = 0;

	out[0] = '\0';
	for (i = 0; i < w->nsteps; i++) {
		if (w->steps[i].answer == DG_DMARC_ANS_NOT_ASKED)
			continue;
		off += (size_t)snprintf(out + off, cap - off, "%s%s",
		    off ? " " : "", w->steps[i].qname);
	}
}

static void
test_rows(void **state)
{
	char	got[2048];
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		const char		*rn = rows[i].name;
		struct mock		 m;
		struct dg_resolver	*res = mock_new(&m, rows[i].zone, 0);
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dmarc_walk	 w;

		memset(&w, 0, sizeof(w));
		CHECK_INT(rn, dg_dmarc_tree_walk(res, rows[i].domain, a, &w),
		    DG_OK);
		CHECK_STR(rn, dg_dmarc_walk_status_str(w.status),
		    dg_dmarc_walk_status_str(rows[i].want_status));
		CHECK_STR(rn, m.log, rows[i].want_queries);
		steps_str(&w, got, sizeof(got));
		CHECK_STR(rn, got, rows[i].want_queries);
		CHECK_INT(rn, w.dns_queries, m.calls);
		CHECK_INT(rn, w.nsteps <= DG_DMARC_WALK_MAX_QUERIES, 1);
		CHECK_STR(rn, w.policy_domain, rows[i].want_policy_domain);
		CHECK_STR(rn, dg_dmarc_source_str(w.policy_source),
		    dg_dmarc_source_str(rows[i].want_source));
		CHECK_INT(rn, w.policy_record != NULL,
		    rows[i].want_policy_domain != NULL);
		CHECK_STR(rn, w.org_domain, rows[i].want_org);
		CHECK_STR(rn, w.psd_domain, rows[i].want_psd_domain);
		CHECK_INT(rn, w.psd_seen, rows[i].want_psd_domain != NULL);
		CHECK_INT(rn, w.failed_qname != NULL,
		    rows[i].want_status == DG_DMARC_WALK_TEMPERROR);
		dg_arena_free(a);
		dg_resolver_free(res);
	}
}

/* What the applied record says, and the per-step details. */
static void
test_details(void **state)
{
	static const struct zent zone[] = {
		{ "_dmarc.mail.example.com", 0, { DMARC_REJECT, DMARC_NONE } },
		{ "_dmarc.example.com", 0, { "v=spf1 -all",
		    "v=DMARC1; p=|none; psd=n" } },
		{ NULL, 0, { NULL } },
	};
	struct mock		 m;
	struct dg_resolver	*res = mock_new(&m, zone, 0);
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_walk	 w;

	(void)state;
	assert_int_equal(dg_dmarc_tree_walk(res, "x.mail.example.com", a, &w),
	    DG_OK);
	CHECK_STR("domain", w.domain, "x.mail.example.com");
	CHECK_INT("nsteps", w.nsteps, 3);
	CHECK_STR("s0", dg_dmarc_answer_str(w.steps[0].answer), "none");
	CHECK_INT("s0 dns", w.steps[0].dns, DG_DNS_NXDOMAIN);
	CHECK_STR("s1", dg_dmarc_answer_str(w.steps[1].answer), "multiple");
	CHECK_INT("s1 ntxt", w.steps[1].ntxt, 2);
	CHECK_INT("s1 ndmarc", w.steps[1].ndmarc, 2);
	assert_null(w.steps[1].record);
	CHECK_STR("s2", dg_dmarc_answer_str(w.steps[2].answer), "record");
	CHECK_INT("s2 ntxt", w.steps[2].ntxt, 2);
	CHECK_INT("s2 ndmarc", w.steps[2].ndmarc, 1);
	CHECK_STR("s2 domain", w.steps[2].domain, "example.com");
	CHECK_STR("s2 psd", dg_dmarc_psd_str(w.steps[2].psd), "n");
	CHECK_STR("record", w.policy_record, "v=DMARC1; p=none; psd=n");
	CHECK_INT("record len", w.policy_record_len, 23);
	CHECK_STR("policy psd", dg_dmarc_psd_str(w.policy_psd), "n");
	CHECK_STR("org", w.org_domain, "example.com");
	dg_arena_free(a);
	dg_resolver_free(res);
}

/*
 * Any failed lookup at any step is a temperror naming that query, and the
 * walk stops there (never a silent "none").
 */
static void
test_temperror_each_step(void **state)
{
	static const char *const qnames[] = {
		"_dmarc.a.mail.example.com", "_dmarc.mail.example.com",
		"_dmarc.example.com", "_dmarc.com",
	};
	static const enum dg_dns_status fails[] = {
		DG_DNS_TIMEOUT, DG_DNS_SERVFAIL, DG_DNS_MALFORMED,
	};
	size_t	i, j;

	(void)state;
	for (j = 0; j < NELEM(fails); j++) {
		for (i = 0; i < NELEM(qnames); i++) {
			struct zent		 zone[3];
			struct mock		 m;
			struct dg_resolver	*res;
			struct dg_arena		*a = dg_arena_new(0);
			struct dg_dmarc_walk	 w;
			char			 rn[128];

			memset(zone, 0, sizeof(zone));
			zone[0].name = qnames[i];
			zone[0].status = fails[j];
			/* a record above the failure must not rescue it */
			zone[1].name = "_dmarc.com";
			zone[1].txt[0] = DMARC_PSD_Y;
			if (i == 3)
				zone[1].name = NULL;
			res = mock_new(&m, zone, 0);
			snprintf(rn, sizeof(rn), "%s at %s",
			    dg_dns_status_str(fails[j]), qnames[i]);
			assert_int_equal(dg_dmarc_tree_walk(res,
			    "a.mail.example.com", a, &w), DG_OK);
			CHECK_STR(rn, dg_dmarc_walk_status_str(w.status),
			    "temperror");
			CHECK_STR(rn, w.failed_qname, qnames[i]);
			CHECK_INT(rn, w.failed_dns, fails[j]);
			CHECK_INT(rn, w.nsteps, i + 1);
			CHECK_INT(rn, m.calls, i + 1);
			CHECK_STR(rn, dg_dmarc_answer_str(w.steps[i].answer),
			    "temperror");
			assert_null(w.org_domain);
			assert_null(w.policy_record);
			dg_arena_free(a);
			dg_resolver_free(res);
		}
	}
}

/* _dmarc.<name> longer than 253 octets is not asked, not an error. */
static void
test_long_name(void **state)
{
	char			 name[300], want[300];
	struct mock		 m;
	struct dg_resolver	*res = mock_new(&m, NULL, 0);
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_walk	 w;
	size_t			 i;

	(void)state;
	/* four 60-octet labels + ".com": 247 octets, 254 with "_dmarc." */
	memset(name, 0, sizeof(name));
	for (i = 0; i < 4; i++) {
		memset(name + i * 61, 'a' + (char)i, 60);
		name[i * 61 + 60] = '.';
	}
	memcpy(name + 244, "com", 3);
	CHECK_INT("len", strlen(name), 247);
	assert_int_equal(dg_dmarc_tree_walk(res, name, a, &w), DG_OK);
	CHECK_STR("status", dg_dmarc_walk_status_str(w.status), "none");
	CHECK_INT("nsteps", w.nsteps, 5);
	CHECK_STR("s0", dg_dmarc_answer_str(w.steps[0].answer), "not-asked");
	CHECK_INT("s0 dns", w.steps[0].dns, DG_DNS_UNSET);
	CHECK_INT("queries", w.dns_queries, 4);
	CHECK_INT("calls", m.calls, 4);
	snprintf(want, sizeof(want), "_dmarc.%s", name + 61);
	CHECK_STR("s1", w.steps[1].qname, want);
	CHECK_STR("org", w.org_domain, name);
	dg_arena_free(a);
	dg_resolver_free(res);
}

static void
test_invalid(void **state)
{
	static const char *const bad[] = {
		"", ".", "..", "a..example.com", ".example.com",
		"exa mple.com", "user@example.com", "exa\x01mple.com",
		"\xff\xfe.example", "example.com..",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
	};
	struct mock		 m;
	struct dg_resolver	*res = mock_new(&m, NULL, 0);
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_walk	 w;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		memset(&w, 0x5a, sizeof(w));
		CHECK_INT(bad[i], dg_dmarc_tree_walk(res, bad[i], a, &w),
		    DG_EINVAL);
		CHECK_INT(bad[i], w.status, 0x5a5a5a5a);	/* untouched */
	}
	CHECK_INT("no-queries", m.calls, 0);
	CHECK_INT("null-res", dg_dmarc_tree_walk(NULL, "example.com", a, &w),
	    DG_EINVAL);
	CHECK_INT("null-domain", dg_dmarc_tree_walk(res, NULL, a, &w),
	    DG_EINVAL);
	CHECK_INT("null-arena", dg_dmarc_tree_walk(res, "example.com", NULL,
	    &w), DG_EINVAL);
	CHECK_INT("null-out", dg_dmarc_tree_walk(res, "example.com", a, NULL),
	    DG_EINVAL);
	dg_arena_free(a);
	dg_resolver_free(res);
}

static void
test_normalize(void **state)
{
	char	out[256];

	(void)state;
	CHECK_INT("upper", dg_domain_normalize("WWW.Example.COM.", out,
	    sizeof(out)), DG_OK);
	CHECK_STR("upper", out, "www.example.com");
	CHECK_INT("idn", dg_domain_normalize("B\xc3\xbc" "cher.Example", out,
	    sizeof(out)), DG_OK);
	CHECK_STR("idn", out, "xn--bcher-kva.example");
	CHECK_INT("underscore", dg_domain_normalize("_spf.Example.com", out,
	    sizeof(out)), DG_OK);
	CHECK_STR("underscore", out, "_spf.example.com");
	CHECK_INT("small", dg_domain_normalize("example.com", out, 11),
	    DG_ETOOBIG);
	CHECK_INT("fits", dg_domain_normalize("example.com", out, 12), DG_OK);
}

static void
test_record_check(void **state)
{
	static const struct {
		const char		*rec;
		bool			 dmarc;
		enum dg_dmarc_psd	 psd;
	} r[] = {
		{ "v=DMARC1", true, DG_DMARC_PSD_U },
		{ "v=DMARC1;", true, DG_DMARC_PSD_U },
		{ "v=DMARC1; psd=y", true, DG_DMARC_PSD_Y },
		{ "v=DMARC1; PSD=N", true, DG_DMARC_PSD_N },
		{ "v=DMARC1; psd=u; psd=y", true, DG_DMARC_PSD_U },
		{ "v=DMARC1; psd=yes", true, DG_DMARC_PSD_U },
		{ "v=DMARC1;;psd=y", true, DG_DMARC_PSD_Y },
		{ "v=DMARC1; p=\xc3\xa9; psd=y", true, DG_DMARC_PSD_Y },
		{ "v=DMARC1 p=reject", false, DG_DMARC_PSD_UNSET },
		{ "v=DMARC10", false, DG_DMARC_PSD_UNSET },
		{ "v=DMARC", false, DG_DMARC_PSD_UNSET },
		{ "v=", false, DG_DMARC_PSD_UNSET },
		{ "v", false, DG_DMARC_PSD_UNSET },
		{ "", false, DG_DMARC_PSD_UNSET },
		{ "vv=DMARC1", false, DG_DMARC_PSD_UNSET },
		{ "x=1; v=DMARC1", false, DG_DMARC_PSD_UNSET },
	};
	enum dg_dmarc_psd	psd;
	size_t			i;

	(void)state;
	for (i = 0; i < NELEM(r); i++) {
		psd = DG_DMARC_PSD_UNSET;
		CHECK_INT(r[i].rec, dg_dmarc_record_is_dmarc(r[i].rec,
		    strlen(r[i].rec), &psd), r[i].dmarc);
		if (r[i].dmarc)
			CHECK_STR(r[i].rec, dg_dmarc_psd_str(psd),
			    dg_dmarc_psd_str(r[i].psd));
		CHECK_INT(r[i].rec, dg_dmarc_record_is_dmarc(r[i].rec,
		    strlen(r[i].rec), NULL), r[i].dmarc);
	}
	CHECK_INT("null", dg_dmarc_record_is_dmarc(NULL, 0, NULL), false);
}

/* Every allocation failure comes back as DG_ENOMEM, with no leak. */
static void
test_enomem(void **state)
{
	static const struct zent zone[] = {
		{ "_dmarc.mail.example.com", 0, { DMARC_REJECT, DMARC_NONE } },
		{ "_dmarc.example.com", 0, { DMARC_NONE } },
		{ "_dmarc.com", 0, { DMARC_PSD_Y } },
		{ NULL, 0, { NULL } },
	};
	struct mock		 m;
	struct dg_resolver	*res = mock_new(&m, zone, 0);
	struct dg_dmarc_walk	 w;
	unsigned long		 n;
	enum dg_err		 err = DG_ENOMEM;

	(void)state;
	for (n = 1; n < 1000 && err != DG_OK; n++) {
		struct dg_arena	*a = dg_arena_new(0);

		assert_non_null(a);
		m.log[0] = '\0';
		dg_alloc_fail_after(n);
		err = dg_dmarc_tree_walk(res, "x.mail.example.com", a, &w);
		dg_alloc_fail_after(0);
		if (err != DG_OK)
			CHECK_INT("enomem", err, DG_ENOMEM);
		dg_arena_free(a);
	}
	CHECK_INT("eventually ok", err, DG_OK);
	assert_true(n > 1);

	/* an arena ceiling gives DG_ETOOBIG */
	{
		struct dg_arena	*a = dg_arena_new(512);

		CHECK_INT("ceiling", dg_dmarc_tree_walk(res,
		    "x.mail.example.com", a, &w), DG_ETOOBIG);
		dg_arena_free(a);
	}
	dg_resolver_free(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_temperror_each_step),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_record_check),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
