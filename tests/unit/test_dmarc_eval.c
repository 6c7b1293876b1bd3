/*
 * tests/unit/test_dmarc_eval.c -- the receiver's DMARC verdict against a
 * static zone: the advisory's two samples, strict vs relaxed alignment,
 * p / sp / np, t=y, PSD, the RFC 9989 tree-walk examples, both modes where
 * they differ, pct sampling, temperror, and every From case.
 */
#include "testutil.h"

#include <dmarcguard/dmarc_eval.h>

#include "dmarc/dmarc_eval_int.h"
#include "util/alloc.h"

static const char zone[] =
    "$TTL 300\n"
    /* advisory (a): think tank with p=none; university sends */
    "_dmarc.thinktank.example. TXT \"v=DMARC1; p=none; "
    "rua=mailto:dmarc@thinktank.example\"\n"
    "thinktank.example. A 192.0.2.10\n"
    "_dmarc.university.example. TXT \"v=DMARC1; p=none\"\n"
    /* advisory (b): news outlet without DMARC */
    "newsoutlet.example. A 192.0.2.20\n"
    "newsoutlet.example. MX 10 mx.newsoutlet.example.\n"
    /* alignment */
    "_dmarc.relaxed.example. TXT \"v=DMARC1; p=reject\"\n"
    "_dmarc.strict.example. TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"\n"
    "_dmarc.none.example. TXT \"v=DMARC1; p=none\"\n"
    /* p / sp / np */
    "_dmarc.sub.example. TXT \"v=DMARC1; p=none; sp=quarantine; "
    "np=reject\"\n"
    "sub.example. A 192.0.2.30\n"
    "exists.sub.example. A 192.0.2.31\n"
    "mxonly.sub.example. MX 10 mx.sub.example.\n"
    "$SERVFAIL flaky.sub.example.\n"
    /* t=y */
    "_dmarc.testing.example. TXT \"v=DMARC1; p=reject; t=y\"\n"
    "_dmarc.testq.example. TXT \"v=DMARC1; p=quarantine; t=y\"\n"
    /* pct (RFC 7489) */
    "_dmarc.pct.example. TXT \"v=DMARC1; p=reject; pct=50\"\n"
    /* RFC 9989 4.10.2 example: records at mail.example.com and
     * example.com, none at a.mail.example.com */
    "_dmarc.example.com. TXT \"v=DMARC1; p=quarantine; sp=none\"\n"
    "_dmarc.mail.example.com. TXT \"v=DMARC1; p=reject\"\n"
    "a.mail.example.com. A 192.0.2.40\n"
    /* PSD: only _dmarc.ps with psd=y */
    "_dmarc.ps. TXT \"v=DMARC1; p=reject; psd=y\"\n"
    "bank.ps. A 192.0.2.50\n"
    /* DNS failure */
    "$SERVFAIL _dmarc.broken.example.\n"
    /* a record without p and without rua: no DMARC processing */
    "_dmarc.nop.example. TXT \"v=DMARC1; adkim=s\"\n"
    /* several records: all discarded */
    "_dmarc.twice.example. TXT \"v=DMARC1; p=reject\"\n"
    "_dmarc.twice.example. TXT \"v=DMARC1; p=none\"\n";

#define PASS	DG_SPF_PASS
#define SFAIL	DG_SPF_FAIL
#define SNONE	DG_SPF_NONE
#define STEMP	DG_SPF_TEMPERROR
#define R9989	DG_DMARC_MODE_RFC9989
#define R7489	DG_DMARC_MODE_RFC7489

struct sig {
	const char		*d;
	enum dg_dkim_result	 r;
};

struct row {
	const char		*name;
	enum dg_dmarc_mode	 mode;
	const char		*hdr;
	const char		*mail_from;
	const char		*helo;
	enum dg_spf_result	 spf;
	struct sig		 sigs[3];
	/* want */
	const char		*result;
	const char		*disposition;
	const char		*policy;	/* dg_dmarc_policy_str */
	const char		*ptag;
	const char		*from_domain;
	const char		*org_domain;
	const char		*policy_domain;
	bool			 spf_aligned;
	bool			 dkim_aligned;
	const char		*reason0;	/* prefix of reasons[0] */
};

static const struct row rows[] = {
	/* Advisory sample (a): SPF and DKIM pass for the university, From
	 * is the think tank with p=none. */
	{ "advisory-a", R9989,
	    "From: \"Dr. Analyst\" <analyst@thinktank.example>\r\n"
	    "Reply-To: <analyst.office@thinktank-research.example>\r\n",
	    "bounce@university.example", "mail.university.example", PASS,
	    { { "university.example", DG_DKIM_PASS } },
	    "fail", "none", "none", "p", "thinktank.example",
	    "thinktank.example", "thinktank.example", false, false,
	    "no aligned pass: spf=pass for university.example" },
	/* Advisory sample (b): no DMARC record at the news outlet. */
	{ "advisory-b", R9989,
	    "From: Reporter <reporter@newsoutlet.example>\r\n"
	    "Sender: reporter@newsoutlet.example\r\n"
	    "Reply-To: reporter.newsoutlet@gmail.com\r\n",
	    "x@attacker.example", "attacker.example", PASS, { { NULL, 0 } },
	    "none", "none", "unset", "", "newsoutlet.example",
	    "newsoutlet.example", NULL, false, false,
	    "no DMARC policy record for newsoutlet.example" },
	/* Alignment. */
	{ "relaxed-dkim-sub", R9989, "From: a@relaxed.example\r\n",
	    "b@other.example", NULL, SFAIL,
	    { { "sub.relaxed.example", DG_DKIM_PASS } },
	    "pass", "none", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", false, true,
	    "dkim pass aligned (relaxed d=sub.relaxed.example)" },
	{ "relaxed-spf-sub", R9989, "From: a@relaxed.example\r\n",
	    "b@bounce.relaxed.example", NULL, PASS, { { NULL, 0 } },
	    "pass", "none", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", true, false,
	    "spf pass aligned (relaxed bounce.relaxed.example)" },
	{ "strict-dkim-sub-fails", R9989, "From: a@strict.example\r\n",
	    "b@other.example", NULL, SFAIL,
	    { { "sub.strict.example", DG_DKIM_PASS } },
	    "fail", "reject", "reject", "p", "strict.example",
	    "strict.example", "strict.example", false, false,
	    "no aligned pass" },
	{ "strict-spf-sub-fails", R9989, "From: a@strict.example\r\n",
	    "b@sub.strict.example", NULL, PASS, { { NULL, 0 } },
	    "fail", "reject", "reject", "p", "strict.example",
	    "strict.example", "strict.example", false, false,
	    "no aligned pass: spf=pass for sub.strict.example (aspf=s)" },
	{ "strict-exact-passes", R9989, "From: a@Strict.Example\r\n",
	    "b@STRICT.example", NULL, PASS,
	    { { "strict.example", DG_DKIM_PASS } },
	    "pass", "none", "reject", "p", "strict.example",
	    "strict.example", "strict.example", true, true,
	    "dkim pass aligned (strict d=strict.example)" },
	{ "any-sig-aligned", R9989, "From: a@relaxed.example\r\n",
	    "b@other.example", NULL, SFAIL,
	    { { "other.example", DG_DKIM_PASS },
	      { "relaxed.example", DG_DKIM_FAIL },
	      { "relaxed.example", DG_DKIM_PASS } },
	    "pass", "none", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", false, true, "dkim pass" },
	{ "aligned-sig-failed", R9989, "From: a@relaxed.example\r\n",
	    "b@other.example", NULL, SFAIL,
	    { { "relaxed.example", DG_DKIM_FAIL } },
	    "fail", "reject", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", false, false,
	    "no aligned pass" },
	{ "d-is-tld-never-aligns", R9989, "From: a@relaxed.example\r\n",
	    NULL, NULL, SNONE, { { "example", DG_DKIM_PASS } },
	    "fail", "reject", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", false, false,
	    "no aligned pass" },
	/* HELO only for the null reverse-path (RFC 7208 2.4). */
	{ "helo-null-path", R9989, "From: a@relaxed.example\r\n",
	    "", "mx.relaxed.example", PASS, { { NULL, 0 } },
	    "pass", "none", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", true, false, "spf pass" },
	{ "helo-ignored-with-mailfrom", R9989, "From: a@relaxed.example\r\n",
	    "b@other.example", "mx.relaxed.example", PASS, { { NULL, 0 } },
	    "fail", "reject", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", false, false,
	    "no aligned pass: spf=pass for other.example" },
	/* p / sp / np (RFC 9989 4.7, 4.10.1). */
	{ "p-at-domain", R9989, "From: a@sub.example\r\n", NULL, NULL,
	    SNONE, { { NULL, 0 } }, "fail", "none", "none", "p",
	    "sub.example", "sub.example", "sub.example", false, false,
	    "no aligned pass" },
	{ "sp-existing", R9989, "From: a@exists.sub.example\r\n", NULL, NULL,
	    SNONE, { { NULL, 0 } }, "fail", "quarantine", "quarantine", "sp",
	    "exists.sub.example", "sub.example", "sub.example", false, false,
	    "no aligned pass" },
	{ "sp-existing-mx-only", R9989, "From: a@mxonly.sub.example\r\n",
	    NULL, NULL, SNONE, { { NULL, 0 } }, "fail", "quarantine",
	    "quarantine", "sp", "mxonly.sub.example", "sub.example",
	    "sub.example", false, false, "no aligned pass" },
	{ "np-nonexistent", R9989, "From: a@ghost.sub.example\r\n", NULL,
	    NULL, SNONE, { { NULL, 0 } }, "fail", "reject", "reject", "np",
	    "ghost.sub.example", "sub.example", "sub.example", false, false,
	    "no aligned pass" },
	{ "np-unknown-stricter", R9989, "From: a@flaky.sub.example\r\n",
	    NULL, NULL, SNONE, { { NULL, 0 } }, "fail", "reject", "reject",
	    "np", "flaky.sub.example", "sub.example", "sub.example", false,
	    false, "no aligned pass" },
	{ "np-ignored-7489", R7489, "From: a@ghost.sub.example\r\n", NULL,
	    NULL, SNONE, { { NULL, 0 } }, "fail", "quarantine", "quarantine",
	    "sp", "ghost.sub.example", "sub.example", "sub.example", false,
	    false, "no aligned pass" },
	/* t=y (RFC 9989 4.7): one level lower; unknown in RFC 7489. */
	{ "t-reject", R9989, "From: a@testing.example\r\n", NULL, NULL,
	    SNONE, { { NULL, 0 } }, "fail", "quarantine", "reject", "p",
	    "testing.example", "testing.example", "testing.example", false,
	    false, "no aligned pass" },
	{ "t-quarantine", R9989, "From: a@testq.example\r\n", NULL, NULL,
	    SNONE, { { NULL, 0 } }, "fail", "none", "quarantine", "p",
	    "testq.example", "testq.example", "testq.example", false, false,
	    "no aligned pass" },
	{ "t-unknown-7489", R7489, "From: a@testing.example\r\n", NULL, NULL,
	    SNONE, { { NULL, 0 } }, "fail", "reject", "reject", "p",
	    "testing.example", "testing.example", "testing.example", false,
	    false, "no aligned pass" },
	/* RFC 9989 4.10.2 examples (tree walk) */
	{ "walk-org-sp", R9989, "From: a@a.mail.example.com\r\n", NULL, NULL,
	    SNONE, { { NULL, 0 } }, "fail", "none", "none", "sp",
	    "a.mail.example.com", "example.com", "example.com", false, false,
	    "no aligned pass" },
	{ "walk-own-record", R9989, "From: a@mail.example.com\r\n", NULL,
	    NULL, SNONE, { { NULL, 0 } }, "fail", "reject", "reject", "p",
	    "mail.example.com", "example.com", "mail.example.com", false,
	    false, "no aligned pass" },
	{ "walk-relaxed-across", R9989, "From: a@a.mail.example.com\r\n",
	    NULL, NULL, SNONE, { { "example.com", DG_DKIM_PASS } }, "pass",
	    "none", "none", "sp", "a.mail.example.com", "example.com",
	    "example.com", false, true, "dkim pass" },
	/* PSD (RFC 9989 4.10.1): the PSD's record when the org has none;
	 * RFC 7489 has no such thing. */
	{ "psd-policy", R9989, "From: a@bank.ps\r\n", NULL, NULL, SNONE,
	    { { NULL, 0 } }, "fail", "reject", "reject", "p", "bank.ps",
	    "bank.ps", "ps", false, false, "no aligned pass" },
	{ "psd-align", R9989, "From: a@bank.ps\r\n", NULL, NULL, SNONE,
	    { { "mail.bank.ps", DG_DKIM_PASS } }, "pass", "none", "reject",
	    "p", "bank.ps", "bank.ps", "ps", false, true, "dkim pass" },
	{ "psd-none-7489", R7489, "From: a@bank.ps\r\n", NULL, NULL, SNONE,
	    { { NULL, 0 } }, "none", "none", "unset", "", "bank.ps",
	    "bank.ps", NULL, false, false, "no DMARC policy record" },
	/* temperror */
	{ "dns-servfail", R9989, "From: a@broken.example\r\n", NULL, NULL,
	    PASS, { { "broken.example", DG_DKIM_PASS } }, "temperror", "none",
	    "unset", "", "broken.example", NULL, NULL, false, false,
	    "DNS failure looking up _dmarc.broken.example (servfail)" },
	{ "dns-servfail-7489", R7489, "From: a@broken.example\r\n", NULL,
	    NULL, PASS, { { NULL, 0 } }, "temperror", "none", "unset", "",
	    "broken.example", "broken.example", NULL, false, false,
	    "DNS failure looking up _dmarc.broken.example (servfail)" },
	{ "aligned-dkim-temperror", R9989, "From: a@relaxed.example\r\n",
	    NULL, NULL, SNONE, { { "relaxed.example", DG_DKIM_TEMPERROR } },
	    "temperror", "none", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", false, false,
	    "an aligned identifier had a temporary error" },
	{ "aligned-spf-temperror", R9989, "From: a@relaxed.example\r\n",
	    "b@relaxed.example", NULL, STEMP, { { NULL, 0 } },
	    "temperror", "none", "reject", "p", "relaxed.example",
	    "relaxed.example", "relaxed.example", false, false,
	    "an aligned identifier" },
	/* a foreign temperror must not downgrade a fail */
	{ "foreign-temperror-still-fails", R9989,
	    "From: a@relaxed.example\r\n", "b@attacker.example", NULL, STEMP,
	    { { "attacker.example", DG_DKIM_TEMPERROR } }, "fail", "reject",
	    "reject", "p", "relaxed.example", "relaxed.example",
	    "relaxed.example", false, false, "no aligned pass" },
	/* records that don't apply */
	{ "no-p-no-rua", R9989, "From: a@nop.example\r\n", NULL, NULL, SNONE,
	    { { NULL, 0 } }, "none", "none", "unset", "", "nop.example",
	    "nop.example", "nop.example", false, false,
	    "DMARC record at nop.example not usable" },
	{ "two-records-7489", R7489, "From: a@twice.example\r\n", NULL, NULL,
	    SNONE, { { NULL, 0 } }, "none", "none", "unset", "",
	    "twice.example", "twice.example", NULL, false, false,
	    "2 DMARC records at _dmarc.twice.example: all discarded" },
	{ "two-records-9989", R9989, "From: a@twice.example\r\n", NULL, NULL,
	    SNONE, { { NULL, 0 } }, "none", "none", "unset", "",
	    "twice.example", "twice.example", NULL, false, false,
	    "no DMARC policy record" },
	/* From cases */
	{ "no-from", R9989, "To: a@relaxed.example\r\n", NULL, NULL, PASS,
	    { { NULL, 0 } }, "permerror", "reject", "unset", "", NULL, NULL,
	    NULL, false, false, "bad From (no-from: no From field): not evaluable, disposition reject" },
	{ "two-from-fields", R9989, "From: a@attacker.example\r\n"
	    "From: b@relaxed.example\r\n", "x@attacker.example", NULL, PASS,
	    { { "attacker.example", DG_DKIM_PASS } }, "permerror", "reject",
	    "unset", "", NULL, NULL, NULL, false, false,
	    "bad From (multiple-from-fields: 2 From fields)" },
	{ "unparseable-from", R9989, "From: <a@relaxed.example\r\n", NULL,
	    NULL, PASS, { { NULL, 0 } }, "permerror", "reject", "unset", "",
	    NULL, NULL, NULL, false, false, "bad From (unparseable: " },
	{ "empty-from", R9989, "From: \r\n", NULL, NULL, PASS,
	    { { NULL, 0 } }, "permerror", "reject", "unset", "", NULL, NULL,
	    NULL, false, false, "bad From (no-mailbox: From has no mailbox)" },
	{ "literal-from", R9989, "From: a@[192.0.2.1]\r\n", NULL, NULL, PASS,
	    { { NULL, 0 } }, "permerror", "reject", "unset", "", NULL, NULL,
	    NULL, false, false, "bad From (bad-domain: From domain: " },
	/* several mailboxes: each domain, strictest applies (multi-From
	 * bypass regression: the attacker's own aligned mailbox first) */
	{ "multi-mailbox-strictest", R9989,
	    "From: a@attacker.example, b@relaxed.example\r\n",
	    "x@attacker.example", NULL, PASS,
	    { { "attacker.example", DG_DKIM_PASS } }, "fail", "reject",
	    "reject", "p", "relaxed.example", "relaxed.example",
	    "relaxed.example", false, false,
	    "From has 2 mailboxes in 2 domains" },
	{ "multi-mailbox-same-domain", R9989,
	    "From: a@relaxed.example, b@Relaxed.Example\r\n",
	    "x@relaxed.example", NULL, PASS, { { NULL, 0 } }, "pass", "none",
	    "reject", "p", "relaxed.example", "relaxed.example",
	    "relaxed.example", true, false, "spf pass" },
	/* the domain never comes from a display name or comment */
	{ "display-name-domain-ignored", R9989,
	    "From: \"a@relaxed.example\" (b@relaxed.example) "
	    "<x@none.example>\r\n", "x@relaxed.example", NULL, PASS,
	    { { "relaxed.example", DG_DKIM_PASS } }, "fail", "none", "none",
	    "p", "none.example", "none.example", "none.example", false,
	    false, "no aligned pass" },
	{ "encoded-word-domain-ignored", R9989,
	    "From: =?utf-8?q?a=40relaxed=2Eexample?= <x@none.example>\r\n",
	    "x@relaxed.example", NULL, PASS, { { NULL, 0 } }, "fail", "none",
	    "none", "p", "none.example", "none.example", "none.example",
	    false, false, "no aligned pass" },
};

static struct dg_resolver *
make_zone(void)
{
	struct dg_resolver	*res = NULL;
	char			 err[256];

	if (dg_resolver_zone_text(zone, sizeof(zone) - 1, "eval", &res,
	    err, sizeof(err)) != DG_OK)
		fail_msg("zone: %s", err);
	return res;
}

static struct dg_psl	*psl;

static enum dg_err
run(struct dg_resolver *res, struct dg_arena *a, const struct row *r,
    uint64_t seed, enum dg_dmarc_disposition bad,
    struct dg_dmarc_verdict *v)
{
	struct dg_msg_hdr		 h;
	struct dg_msg_from		 from;
	struct dg_dkim_sig_result	*sigs;
	struct dg_dmarc_eval_input	 in;
	struct dg_dmarc_eval_opts	 o;
	size_t				 n = 0, i;

	if (dg_msg_hdr_parse(a, r->hdr, strlen(r->hdr), 0, &h, NULL) !=
	    DG_OK)
		fail_msg("%s: header", r->name);
	if (dg_msg_from_extract(a, &h, &from) != DG_OK)
		fail_msg("%s: from", r->name);
	sigs = dg_arena_calloc(a, 3, sizeof(*sigs));
	assert_non_null(sigs);
	for (i = 0; i < 3 && r->sigs[i].d != NULL; i++, n++) {
		sigs[i].domain = r->sigs[i].d;
		sigs[i].selector = "sel";
		sigs[i].result = r->sigs[i].r;
	}
	memset(&in, 0, sizeof(in));
	in.from = &from;
	in.spf = r->spf;
	in.mail_from = r->mail_from;
	in.helo = r->helo;
	in.dkim = sigs;
	in.ndkim = n;
	memset(&o, 0, sizeof(o));
	o.mode = r->mode;
	o.psl = psl;
	o.seed = seed;
	o.bad_from = bad;
	return dg_dmarc_evaluate(res, a, &in, &o, v);
}

static void
test_rows(void **state)
{
	struct dg_resolver	*res = make_zone();
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		const struct row	*r = &rows[i];
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dmarc_verdict	 v;

		assert_non_null(a);
		CHECK_INT(r->name, run(res, a, r, 0, DG_DMARC_DISP_UNSET, &v),
		    DG_OK);
		CHECK_STR(r->name, dg_dmarc_result_str(v.result), r->result);
		CHECK_STR(r->name, dg_dmarc_disposition_str(v.disposition),
		    r->disposition);
		CHECK_STR(r->name, dg_dmarc_policy_str(v.policy), r->policy);
		CHECK_STR(r->name, dg_dmarc_policy_tag_str(v.policy_tag),
		    r->ptag);
		CHECK_STR(r->name, v.from_domain, r->from_domain);
		CHECK_STR(r->name, v.org_domain, r->org_domain);
		CHECK_STR(r->name, v.policy_domain, r->policy_domain);
		CHECK_INT(r->name, v.spf_aligned, r->spf_aligned);
		CHECK_INT(r->name, v.dkim_aligned, r->dkim_aligned);
		CHECK_STR(r->name, dg_dmarc_mode_str(v.mode),
		    dg_dmarc_mode_str(r->mode));
		if (v.nreasons == 0 || strncmp(v.reasons[0], r->reason0,
		    strlen(r->reason0)) != 0)
			fail_msg("%s: reasons[0]: got \"%s\", want prefix "
			    "\"%s\"", r->name, v.nreasons ? v.reasons[0] : "",
			    r->reason0);
		dg_arena_free(a);
	}
	dg_resolver_free(res);
}

static const struct row *
find_row(const char *name)
{
	size_t	i;

	for (i = 0; i < NELEM(rows); i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	fail_msg("no row %s", name);
	return NULL;
}

/* Details the table does not show. */
static void
test_details(void **state)
{
	struct dg_resolver	*res = make_zone();
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_verdict	 v;

	(void)state;
	assert_int_equal(run(res, a, find_row("advisory-a"), 0, 0, &v),
	    DG_OK);
	CHECK_STR("advisory-a", v.record,
	    "v=DMARC1; p=none; rua=mailto:dmarc@thinktank.example");
	CHECK_STR("advisory-a", v.spf_domain, "university.example");
	CHECK_INT("advisory-a", v.ndomains, 1);
	CHECK_STR("advisory-a", v.domains[0].domain, "thinktank.example");

	assert_int_equal(run(res, a, find_row("np-nonexistent"), 0, 0, &v),
	    DG_OK);
	CHECK_INT("np", v.nonexistent, true);
	CHECK_STR("np", v.reasons[1],
	    "ghost.sub.example does not exist (NXDOMAIN): np applies");
	assert_int_equal(run(res, a, find_row("sp-existing"), 0, 0, &v),
	    DG_OK);
	CHECK_INT("sp", v.nonexistent, false);

	assert_int_equal(run(res, a, find_row("t-reject"), 0, 0, &v), DG_OK);
	CHECK_INT("t", v.testing, true);
	CHECK_STR("t", v.reasons[1],
	    "t=y (testing): reject applied one level lower");

	assert_int_equal(run(res, a, find_row("multi-mailbox-strictest"), 0,
	    0, &v), DG_OK);
	CHECK_INT("multi", v.ndomains, 2);
	CHECK_STR("multi", v.domains[0].domain, "attacker.example");
	CHECK_STR("multi", dg_dmarc_result_str(v.domains[0].result), "none");
	CHECK_STR("multi", v.domains[1].domain, "relaxed.example");
	CHECK_STR("multi", dg_dmarc_result_str(v.domains[1].result), "fail");
	CHECK_STR("multi", v.reasons[0], "From has 2 mailboxes in 2 domains: "
	    "each evaluated, the strictest (relaxed.example) applies");

	/* bad_from is configurable */
	assert_int_equal(run(res, a, find_row("two-from-fields"), 0,
	    DG_DMARC_DISP_QUARANTINE, &v), DG_OK);
	CHECK_STR("bad-from-quarantine", dg_dmarc_disposition_str(
	    v.disposition), "quarantine");
	dg_arena_free(a);
	dg_resolver_free(res);
}

/* RFC 7489 6.6.4: pct=50, reproducible per seed. */
static void
test_pct(void **state)
{
	struct dg_resolver	*res = make_zone();
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_verdict	 v;
	struct row		 r;
	uint64_t		 seed, in_seed = 0, out_seed = 0;
	bool			 have_in = false, have_out = false;
	unsigned		 hits = 0;

	(void)state;
	/* fixed values: the roll must never change between versions */
	CHECK_INT("roll-0", dg_dmarc_pct_roll(0, "pct.example"),
	    dg_dmarc_pct_roll(0, "PCT.Example"));
	CHECK_INT("roll-0-fixed", dg_dmarc_pct_roll(0, "pct.example"), 22);
	CHECK_INT("roll-1-fixed", dg_dmarc_pct_roll(1, "pct.example"), 37);
	for (seed = 0; seed < 1000; seed++) {
		if (dg_dmarc_pct_roll(seed, "pct.example") < 50) {
			hits++;
			if (!have_in) {
				in_seed = seed;
				have_in = true;
			}
		} else if (!have_out) {
			out_seed = seed;
			have_out = true;
		}
	}
	/* about half: a binomial(1000, 0.5) is within 430..570 */
	if (hits < 430 || hits > 570)
		fail_msg("pct: %u of 1000 sampled", hits);

	memset(&r, 0, sizeof(r));
	r.name = "pct";
	r.mode = DG_DMARC_MODE_RFC7489;
	r.hdr = "From: a@pct.example\r\n";
	r.spf = SNONE;
	assert_int_equal(run(res, a, &r, in_seed, 0, &v), DG_OK);
	CHECK_STR("pct-sampled", dg_dmarc_disposition_str(v.disposition),
	    "reject");
	CHECK_INT("pct-sampled", v.sampled, true);
	CHECK_INT("pct-sampled", v.pct, 50);
	assert_int_equal(run(res, a, &r, out_seed, 0, &v), DG_OK);
	CHECK_STR("pct-not-sampled", dg_dmarc_disposition_str(v.disposition),
	    "quarantine");
	CHECK_INT("pct-not-sampled", v.sampled, false);
	CHECK_STR("pct-not-sampled", v.reasons[1], "pct=50: not sampled, "
	    "reject applied one level lower (RFC 7489 6.6.4)");
	/* RFC 9989 removed pct: always applied */
	r.mode = DG_DMARC_MODE_RFC9989;
	assert_int_equal(run(res, a, &r, out_seed, 0, &v), DG_OK);
	CHECK_STR("pct-9989", dg_dmarc_disposition_str(v.disposition),
	    "reject");
	CHECK_INT("pct-9989", v.pct, 100);
	dg_arena_free(a);
	dg_resolver_free(res);
}

static void
test_aligned_fn(void **state)
{
	(void)state;
	CHECK_INT("strict-eq", dg_dmarc_aligned("Example.com.", NULL,
	    "example.com", NULL, DG_DMARC_ALIGN_STRICT), true);
	CHECK_INT("strict-sub", dg_dmarc_aligned("sub.example.com",
	    "example.com", "example.com", "example.com",
	    DG_DMARC_ALIGN_STRICT), false);
	CHECK_INT("relaxed-sub", dg_dmarc_aligned("sub.example.com",
	    "example.com", "example.com", "example.com",
	    DG_DMARC_ALIGN_RELAXED), true);
	CHECK_INT("relaxed-other", dg_dmarc_aligned("example.net",
	    "example.net", "example.com", "example.com",
	    DG_DMARC_ALIGN_RELAXED), false);
	CHECK_INT("empty", dg_dmarc_aligned("", "", "", "",
	    DG_DMARC_ALIGN_RELAXED), false);
	CHECK_INT("lower-reject", dg_dmarc_disposition_lower(
	    DG_DMARC_DISP_REJECT), DG_DMARC_DISP_QUARANTINE);
	CHECK_INT("lower-none", dg_dmarc_disposition_lower(
	    DG_DMARC_DISP_NONE), DG_DMARC_DISP_NONE);
}

static void
test_einval(void **state)
{
	struct dg_resolver		*res = make_zone();
	struct dg_arena			*a = dg_arena_new(0);
	struct dg_dmarc_eval_input	 in;
	struct dg_dmarc_eval_opts	 o;
	struct dg_msg_from		 from;
	struct dg_dmarc_verdict		 v;

	(void)state;
	memset(&in, 0, sizeof(in));
	memset(&o, 0, sizeof(o));
	memset(&from, 0, sizeof(from));
	CHECK_INT("null-from", dg_dmarc_evaluate(res, a, &in, NULL, &v),
	    DG_EINVAL);
	in.from = &from;
	o.mode = DG_DMARC_MODE_RFC7489;
	CHECK_INT("7489-no-psl", dg_dmarc_evaluate(res, a, &in, &o, &v),
	    DG_EINVAL);
	in.ndkim = 1;
	CHECK_INT("dkim-null", dg_dmarc_evaluate(res, a, &in, NULL, &v),
	    DG_EINVAL);
	dg_arena_free(a);
	dg_resolver_free(res);
}

/* Every allocation failure is reported cleanly. */
static void
test_enomem(void **state)
{
	struct dg_resolver	*res = make_zone();
	struct dg_dmarc_verdict	 v;
	const struct row	*r = find_row("np-nonexistent");
	enum dg_err		 err;
	int			 n;

	(void)state;
	for (n = 1; n < 400; n++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_hdr	 h;
		struct dg_msg_from	 from;
		struct dg_dmarc_eval_input in;

		assert_non_null(a);
		assert_int_equal(dg_msg_hdr_parse(a, r->hdr, strlen(r->hdr), 0,
		    &h, NULL), DG_OK);
		assert_int_equal(dg_msg_from_extract(a, &h, &from), DG_OK);
		memset(&in, 0, sizeof(in));
		in.from = &from;
		in.spf = SNONE;
		dg_alloc_fail_after(n);
		err = dg_dmarc_evaluate(res, a, &in, NULL, &v);
		dg_alloc_fail_after(0);
		dg_arena_free(a);
		if (err == DG_OK)
			break;
		CHECK_INT("enomem", err, DG_ENOMEM);
	}
	if (n == 400)
		fail_msg("enomem: never succeeded");
	dg_resolver_free(res);
}

static int
setup(void **state)
{
	(void)state;
	return dg_psl_new_system(&psl) == DG_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	dg_psl_free(psl);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_pct),
		cmocka_unit_test(test_aligned_fn),
		cmocka_unit_test(test_einval),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
