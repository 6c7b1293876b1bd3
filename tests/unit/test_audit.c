/*
 * tests/unit/test_audit.c -- the domain audit (lib/engine/audit*.c) over
 * tests/data/zones/check.zone through the zone backend: for every domain
 * the exact verdict, the exact list of finding ids (worst first) and the
 * DMARC and SPF records to publish; result fields for a few; the RFC 7489
 * PSL comparison; hostile and NULL arguments; every allocation failure.
 */
#include "testutil.h"

#include <dmarcguard/arena.h>
#include <dmarcguard/audit.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/orgdomain.h>

#include "util/alloc.h"

#define ZONE	"data/zones/check.zone"

/* Option sets for the rows. */
enum {
	O_CORE = 0,	/* no DKIM, no extras */
	O_DKIM,		/* the test selectors, no extras */
	O_EXTRA,	/* extras, no DKIM */
	O_PSL		/* core plus the system PSL */
};

static const char *const test_selectors[] = {
	"rsa2048", "rsa1024", "rsa512", "ed", "revoked", "testing", "bad",
	"slow", "RSA2048"
};

static const struct {
	const char		*name;
	const char		*domain;
	int			 opts;
	enum dg_audit_verdict	 verdict;
	const char		*ids;
	const char		*dmarc;		/* to publish; NULL: none */
	const char		*spf;		/* to publish; NULL: none */
	size_t			 rollout;	/* steps */
} rows[] = {
	{ "protected", "good.check.test", O_CORE, DG_AUDIT_PROTECTED, "",
	    NULL, NULL, 0 },
	{ "protected-case-dot", "GOOD.Check.Test.", O_CORE,
	    DG_AUDIT_PROTECTED, "", NULL, NULL, 0 },
	{ "inherited", "sub.good.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-inherited", NULL, NULL, 0 },
	{ "dmarc-missing", "nodmarc.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-missing",
	    "v=DMARC1; p=none; rua=mailto:dmarc-reports@nodmarc.check.test;",
	    NULL, 4 },
	{ "dmarc-multiple", "multi.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-multiple",
	    "v=DMARC1; p=none; rua=mailto:dmarc-reports@multi.check.test;",
	    NULL, 4 },
	{ "p-none", "none.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-policy-none",
	    "v=DMARC1; p=quarantine; t=y; pct=0; "
	    "rua=mailto:d@none.check.test;", NULL, 3 },
	{ "p-fallback", "fallback.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-policy-fallback dmarc-invalid-value",
	    "v=DMARC1; p=none; rua=mailto:d@fallback.check.test;", NULL, 4 },
	{ "no-policy", "nopolicy.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-invalid",
	    "v=DMARC1; p=none; rua=mailto:dmarc-reports@nopolicy.check.test;",
	    NULL, 4 },
	{ "t-quarantine", "testq.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-testing",
	    "v=DMARC1; p=quarantine; rua=mailto:d@testq.check.test;", NULL,
	    2 },
	{ "t-reject", "testr.check.test", O_CORE, DG_AUDIT_WEAK,
	    "dmarc-testing",
	    "v=DMARC1; p=reject; rua=mailto:d@testr.check.test;", NULL, 0 },
	{ "pct-0", "pct0.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-pct-zero",
	    "v=DMARC1; p=reject; rua=mailto:d@pct0.check.test;", NULL, 0 },
	{ "pct-50", "pct50.check.test", O_CORE, DG_AUDIT_WEAK,
	    "dmarc-pct-partial",
	    "v=DMARC1; p=quarantine; rua=mailto:d@pct50.check.test;", NULL,
	    2 },
	{ "pct-100", "pct100.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-obsolete-tag",
	    "v=DMARC1; p=reject; rua=mailto:d@pct100.check.test;", NULL, 0 },
	{ "rf-ri", "rfri.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-obsolete-tag dmarc-obsolete-tag",
	    "v=DMARC1; p=reject; rua=mailto:d@rfri.check.test;", NULL, 0 },
	{ "sp-weaker", "spweak.check.test", O_CORE, DG_AUDIT_WEAK,
	    "dmarc-sp-weaker",
	    "v=DMARC1; p=reject; rua=mailto:d@spweak.check.test;", NULL, 0 },
	{ "np-weaker", "npweak.check.test", O_CORE, DG_AUDIT_WEAK,
	    "dmarc-np-weaker",
	    "v=DMARC1; p=reject; rua=mailto:d@npweak.check.test;", NULL, 0 },
	{ "psd-y", "psd.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-psd",
	    "v=DMARC1; p=reject; rua=mailto:d@psd.check.test;", NULL, 0 },
	{ "strict", "strict.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-strict-alignment", NULL, NULL, 0 },
	{ "bad-uri", "baduri.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-bad-uri",
	    "v=DMARC1; p=reject; rua=mailto:d@baduri.check.test;", NULL, 0 },
	{ "no-rua", "norua.check.test", O_CORE, DG_AUDIT_WEAK,
	    "dmarc-no-rua",
	    "v=DMARC1; p=reject; rua=mailto:dmarc-reports@norua.check.test;",
	    NULL, 0 },
	{ "external-unauth", "extrua.check.test", O_CORE, DG_AUDIT_WEAK,
	    "dmarc-external-unauthorized", NULL, NULL, 0 },
	{ "external-ok", "extok.check.test", O_CORE, DG_AUDIT_PROTECTED, "",
	    NULL, NULL, 0 },
	{ "unknown-tag", "unknowntag.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-unknown-tag",
	    "v=DMARC1; p=reject; rua=mailto:d@unknowntag.check.test;", NULL,
	    0 },
	{ "syntax", "syntax.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-syntax",
	    "v=DMARC1; p=reject; rua=mailto:d@syntax.check.test;", NULL, 0 },
	{ "duplicate", "dup.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-duplicate-tag",
	    "v=DMARC1; p=reject; rua=mailto:d@dup.check.test;", NULL, 0 },
	{ "dmarc-timeout", "slow.check.test", O_CORE, DG_AUDIT_ERROR,
	    "dmarc-dns-error", NULL, NULL, 0 },
	{ "spf-missing", "nospf.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-missing", NULL, "v=spf1 mx -all", 0 },
	{ "spf-multiple", "spf2.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-multiple", NULL, "v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 -all",
	    0 },
	{ "spf-syntax", "spfsyntax.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-syntax", NULL, NULL, 0 },
	{ "spf-pass-all", "passall.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "spf-pass-all", NULL, "v=spf1 mx -all", 0 },
	{ "spf-neutral", "neutral.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-neutral-all", NULL, "v=spf1 ip4:192.0.2.1 -all", 0 },
	{ "spf-softfail", "softfail.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-softfail-all", NULL,
	    "v=spf1 ip4:192.0.2.1 include:inc.good.check.test -all", 0 },
	{ "spf-no-all", "noall.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-no-all", NULL, "v=spf1 ip4:192.0.2.1 -all", 0 },
	{ "spf-ptr", "ptr.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "spf-ptr", NULL, NULL, 0 },
	{ "spf-lookups", "toomany.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-too-many-lookups", NULL, NULL, 0 },
	{ "spf-void", "void.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "spf-void-lookup", NULL, NULL, 0 },
	{ "spf-voids", "voids.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-too-many-voids spf-void-lookup spf-void-lookup "
	    "spf-void-lookup", NULL, NULL, 0 },
	{ "spf-include-none", "incnone.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-include-none", NULL, NULL, 0 },
	{ "spf-loop", "loop.check.test", O_CORE, DG_AUDIT_WEAK, "spf-loop",
	    NULL, NULL, 0 },
	{ "spf-timeout", "spfslow.check.test", O_CORE, DG_AUDIT_ERROR,
	    "spf-dns-error", NULL, NULL, 0 },
	{ "keep-ruf-fo-adkim", "rufkeep.check.test", O_CORE,
	    DG_AUDIT_SPOOFABLE,
	    "dmarc-policy-none dmarc-obsolete-tag dmarc-strict-alignment",
	    "v=DMARC1; p=quarantine; t=y; pct=0; adkim=s; "
	    "rua=mailto:a@rufkeep.check.test,mailto:b@rufkeep.check.test; "
	    "ruf=mailto:f@rufkeep.check.test; fo=1;", NULL, 3 },
	{ "spf-redirect-with-all", "spfredir.check.test", O_CORE,
	    DG_AUDIT_WEAK, "spf-neutral-all", NULL,
	    "v=spf1 ip4:192.0.2.1 -all", 0 },
	{ "spf-redirect-none", "redirnone.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-redirect-none", NULL, NULL, 0 },
	{ "spf-macro", "macro.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "spf-macro", NULL, NULL, 0 },
	{ "spf-mx-limit", "mxlimit.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-mx-limit", NULL, NULL, 0 },
	{ "spf-too-deep", "deep.check.test", O_CORE, DG_AUDIT_WEAK,
	    "spf-too-deep spf-too-many-lookups", NULL, NULL, 0 },
	{ "null-mx-locked", "nullmx.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "dmarc-no-rua mx-null", NULL, NULL, 0 },
	{ "parked-unlocked", "parked.check.test", O_CORE, DG_AUDIT_WEAK,
	    "parked-spf-not-locked parked-dmarc-not-reject mx-null",
	    "v=DMARC1; p=reject; rua=mailto:d@parked.check.test;",
	    "v=spf1 -all", 0 },
	{ "parked-bare", "nothing.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-missing parked-spf-not-locked mx-none",
	    "v=DMARC1; p=reject;", "v=spf1 -all", 0 },
	{ "nxdomain", "absent.check.test", O_CORE, DG_AUDIT_SPOOFABLE,
	    "dmarc-missing domain-nxdomain", "v=DMARC1; p=reject;", NULL, 0 },
	{ "null-mx-mixed", "nullmix.check.test", O_CORE, DG_AUDIT_PROTECTED,
	    "mx-null-mixed", NULL, NULL, 0 },
	{ "mx-servfail", "mxfail.check.test", O_CORE, DG_AUDIT_ERROR,
	    "mx-dns-error", NULL, NULL, 0 },
	{ "dkim-rsa2048", "dkim.check.test", O_DKIM, DG_AUDIT_PROTECTED, "",
	    NULL, NULL, 0 },
	{ "dkim-rsa1024", "dkimshort.check.test", O_DKIM, DG_AUDIT_WEAK,
	    "dkim-rsa-weak", NULL, NULL, 0 },
	{ "dkim-rsa512", "dkimtiny.check.test", O_DKIM, DG_AUDIT_WEAK,
	    "dkim-rsa-too-short", NULL, NULL, 0 },
	{ "dkim-ed25519", "dkimed.check.test", O_DKIM, DG_AUDIT_PROTECTED,
	    "dkim-ed25519-only", NULL, NULL, 0 },
	{ "dkim-revoked", "dkimrevoked.check.test", O_DKIM,
	    DG_AUDIT_PROTECTED, "dkim-revoked", NULL, NULL, 0 },
	{ "dkim-testing", "dkimtest.check.test", O_DKIM, DG_AUDIT_PROTECTED,
	    "dkim-testing", NULL, NULL, 0 },
	{ "dkim-invalid", "dkimbad.check.test", O_DKIM, DG_AUDIT_WEAK,
	    "dkim-key-invalid", NULL, NULL, 0 },
	{ "dkim-timeout", "dkimslow.check.test", O_DKIM, DG_AUDIT_PROTECTED,
	    "dkim-dns-error dkim-none-found", NULL, NULL, 0 },
	{ "dkim-none", "good.check.test", O_DKIM, DG_AUDIT_PROTECTED,
	    "dkim-none-found", NULL, NULL, 0 },
	{ "dkim-parked-none", "nullmx.check.test", O_DKIM, DG_AUDIT_PROTECTED,
	    "dmarc-no-rua mx-null", NULL, NULL, 0 },
	{ "extras-ok", "extras.check.test", O_EXTRA, DG_AUDIT_PROTECTED, "",
	    NULL, NULL, 0 },
	{ "extras-bad", "badextras.check.test", O_EXTRA, DG_AUDIT_PROTECTED,
	    "mta-sts-invalid tls-rpt-invalid bimi-invalid", NULL, NULL, 0 },
	{ "extras-missing", "good.check.test", O_EXTRA, DG_AUDIT_PROTECTED,
	    "mta-sts-missing tls-rpt-missing", NULL, NULL, 0 },
	{ "extras-parked", "nullmx.check.test", O_EXTRA, DG_AUDIT_PROTECTED,
	    "dmarc-no-rua mx-null", NULL, NULL, 0 },
	{ "extras-timeout", "extrafail.check.test", O_EXTRA,
	    DG_AUDIT_PROTECTED, "extra-dns-error tls-rpt-missing", NULL, NULL,
	    0 },
	{ "bimi-p-none", "bimiweak.check.test", O_EXTRA, DG_AUDIT_SPOOFABLE,
	    "dmarc-policy-none bimi-without-enforcement mta-sts-missing "
	    "tls-rpt-missing",
	    "v=DMARC1; p=quarantine; t=y; pct=0; "
	    "rua=mailto:d@bimiweak.check.test;", NULL, 3 },
	/* check.test is under an unlisted TLD: the PSL's implicit "*" rule
	 * makes check.test the RFC 7489 Organizational Domain, which has no
	 * record, while the tree walk finds good.check.test's. */
	{ "rfc7489-differs", "sub.good.check.test", O_PSL, DG_AUDIT_WEAK,
	    "dmarc-rfc7489-differs dmarc-inherited",
	    "v=DMARC1; p=reject; rua=mailto:d@good.check.test;", NULL, 0 },
	{ "rfc7489-same", "good.check.test", O_PSL, DG_AUDIT_PROTECTED, "",
	    NULL, NULL, 0 },
};

static struct dg_resolver	*res;
static struct dg_psl		*psl;

static int
setup(void **state)
{
	char	err[256];

	(void)state;
	if (dg_resolver_zone_file(ZONE, &res, err, sizeof(err)) != DG_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (dg_psl_new_system(&psl) != DG_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	dg_resolver_free(res);
	dg_psl_free(psl);
	return 0;
}

static void
opts_for(int which, struct dg_audit_opts *o)
{
	memset(o, 0, sizeof(*o));
	switch (which) {
	case O_DKIM:
		o->selectors = test_selectors;
		o->nselectors = NELEM(test_selectors);
		o->flags = DG_AUDIT_NO_EXTRA;
		break;
	case O_EXTRA:
		o->flags = DG_AUDIT_NO_DKIM;
		break;
	case O_PSL:
		o->psl = psl;
		o->flags = DG_AUDIT_NO_DKIM | DG_AUDIT_NO_EXTRA;
		break;
	default:
		o->flags = DG_AUDIT_NO_DKIM | DG_AUDIT_NO_EXTRA;
		break;
	}
}

static const char *
published(const struct dg_audit_result *r, const char *what)
{
	size_t	i;

	for (i = 0; i < r->npublish; i++)
		if (strcmp(r->publish[i].what, what) == 0)
			return r->publish[i].text;
	return NULL;
}

static void
test_rows(void **state)
{
	struct dg_audit_opts	 o;
	struct dg_audit_result	 r;
	struct dg_arena		*a;
	char			 ids[1024];
	size_t			 i, k;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		a = dg_arena_new(0);
		assert_non_null(a);
		opts_for(rows[i].opts, &o);
		CHECK_INT(rows[i].name, dg_audit_domain(res, &o,
		    rows[i].domain, a, &r), DG_OK);
		ids[0] = '\0';
		for (k = 0; k < r.nfindings; k++) {
			if (k > 0)
				strcat(ids, " ");
			strcat(ids, r.findings[k].id);
			/* every finding is a sentence with a severity */
			if (r.findings[k].severity !=
			    dg_audit_code_severity(r.findings[k].code) &&
			    r.findings[k].severity < DG_AUDIT_SEV_MEDIUM)
				fail_msg("%s: %s: severity below its table "
				    "value", rows[i].name, r.findings[k].id);
			if (r.findings[k].message[0] == '\0')
				fail_msg("%s: %s: no message", rows[i].name,
				    r.findings[k].id);
		}
		CHECK_STR(rows[i].name, ids, rows[i].ids);
		CHECK_STR(rows[i].name, dg_audit_verdict_str(r.verdict),
		    dg_audit_verdict_str(rows[i].verdict));
		CHECK_STR(rows[i].name, published(&r, "dmarc"),
		    rows[i].dmarc);
		CHECK_STR(rows[i].name, published(&r, "spf"), rows[i].spf);
		CHECK_INT(rows[i].name, r.nrollout, rows[i].rollout);
		if (r.nrollout > 0)
			CHECK_STR(rows[i].name,
			    r.rollout[r.nrollout - 1].record,
			    rows[i].dmarc == NULL ? "" :
			    r.rollout[r.nrollout - 1].record);
		if (r.verdict == DG_AUDIT_ERROR && r.error == NULL)
			fail_msg("%s: error verdict without error text",
			    rows[i].name);
		dg_arena_free(a);
	}
}

/* The result fields for a few domains, and the full rollout of one. */
static void
test_details(void **state)
{
	struct dg_audit_opts	 o;
	struct dg_audit_result	 r;
	struct dg_arena		*a = dg_arena_new(0);

	(void)state;
	opts_for(O_CORE, &o);
	assert_int_equal(dg_audit_domain(res, &o, "good.check.test", a, &r),
	    DG_OK);
	CHECK_STR("good", r.domain, "good.check.test");
	CHECK_STR("good", r.policy, "reject");
	CHECK_STR("good", r.dmarc_domain, "good.check.test");
	CHECK_INT("good", r.dmarc_source, DG_DMARC_SRC_AUTHOR);
	CHECK_STR("good", r.dmarc_record,
	    "v=DMARC1; p=reject; rua=mailto:d@good.check.test");
	CHECK_STR("good", r.spf_record, "v=spf1 ip4:192.0.2.1 -all");
	CHECK_INT("good", r.nmx, 1);
	CHECK_INT("good", r.null_mx, 0);
	CHECK_INT("good", r.parked, 0);
	CHECK_INT("good", r.dnssec, DG_DNSSEC_UNKNOWN);
	CHECK_INT("good", r.npublish, 0);
	CHECK_STR("good", r.error, NULL);

	dg_arena_reset(a);
	assert_int_equal(dg_audit_domain(res, &o, "sub.good.check.test", a,
	    &r), DG_OK);
	CHECK_STR("sub", r.policy, "reject");
	CHECK_STR("sub", r.dmarc_domain, "good.check.test");
	CHECK_INT("sub", r.dmarc_source, DG_DMARC_SRC_ORG);

	dg_arena_reset(a);
	assert_int_equal(dg_audit_domain(res, &o, "nodmarc.check.test", a,
	    &r), DG_OK);
	CHECK_INT("rollout", r.nrollout, 4);
	CHECK_STR("rollout-1", r.rollout[0].record, "v=DMARC1; p=none; "
	    "rua=mailto:dmarc-reports@nodmarc.check.test;");
	CHECK_STR("rollout-2", r.rollout[1].record, "v=DMARC1; p=quarantine; "
	    "t=y; pct=0; rua=mailto:dmarc-reports@nodmarc.check.test;");
	CHECK_STR("rollout-3", r.rollout[2].record, "v=DMARC1; p=quarantine; "
	    "rua=mailto:dmarc-reports@nodmarc.check.test;");
	CHECK_STR("rollout-4", r.rollout[3].record, "v=DMARC1; p=reject; "
	    "rua=mailto:dmarc-reports@nodmarc.check.test;");
	CHECK_STR("missing-msg", r.findings[0].message,
	    "nodmarc.check.test has no DMARC record, here or at its "
	    "Organizational Domain, so receivers accept mail that only "
	    "pretends to come from it.");
	CHECK_INT("missing-sev", r.findings[0].severity, DG_AUDIT_SEV_HIGH);

	dg_arena_reset(a);
	assert_int_equal(dg_audit_domain(res, &o, "nothing.check.test", a,
	    &r), DG_OK);
	CHECK_INT("parked", r.parked, 1);
	CHECK_INT("parked-publish", r.npublish, 3);
	CHECK_STR("parked-mx", r.publish[2].what, "mx");
	CHECK_STR("parked-mx", r.publish[2].text, "0 .");
	CHECK_STR("parked-dmarc-name", r.publish[0].name,
	    "_dmarc.nothing.check.test");

	/* RFC 8020: no _domainkey at all, so no selector is asked. */
	dg_arena_reset(a);
	opts_for(O_DKIM, &o);
	assert_int_equal(dg_audit_domain(res, &o, "good.check.test", a, &r),
	    DG_OK);
	CHECK_STR("dkim-nxdomain", r.findings[0].message, "good.check.test "
	    "has no DKIM keys at all: _domainkey.good.check.test does not "
	    "exist.");
	opts_for(O_CORE, &o);

	dg_arena_reset(a);
	assert_int_equal(dg_audit_domain(res, &o, "pct50.check.test", a, &r),
	    DG_OK);
	CHECK_STR("pct-msg", r.findings[0].message, "The DMARC record at "
	    "_dmarc.pct50.check.test has pct=50: RFC 9989 removed pct, but "
	    "RFC 7489 receivers still apply the policy to only 50% of "
	    "failing mail.");
	dg_arena_free(a);
}

/* DNSSEC: the state of the MX answer, forced through a custom resolver
 * (the zone backend only ever says "unknown"). */
static enum dg_dnssec	forced;

static enum dg_err
forcing(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	enum dg_err	err;

	(void)ctx;
	err = dg_dns_query(res, name, type, a, out);
	if (err == DG_OK && type == DG_DNS_T_MX)
		out->dnssec = forced;
	return err;
}

static void
test_dnssec(void **state)
{
	static const struct {
		const char		*name;
		enum dg_dnssec		 state;
		const char		*ids;
		enum dg_audit_verdict	 verdict;
	} drows[] = {
		{ "secure", DG_DNSSEC_SECURE, "", DG_AUDIT_PROTECTED },
		{ "insecure", DG_DNSSEC_INSECURE, "dnssec-insecure",
		    DG_AUDIT_PROTECTED },
		{ "bogus", DG_DNSSEC_BOGUS, "dnssec-bogus", DG_AUDIT_WEAK },
		{ "unknown", DG_DNSSEC_UNKNOWN, "", DG_AUDIT_PROTECTED },
	};
	struct dg_resolver	*fres;
	struct dg_audit_opts	 o;
	struct dg_audit_result	 r;
	struct dg_arena		*a = dg_arena_new(0);
	size_t			 i;

	(void)state;
	assert_int_equal(dg_resolver_custom(forcing, NULL, &fres), DG_OK);
	opts_for(O_CORE, &o);
	for (i = 0; i < NELEM(drows); i++) {
		forced = drows[i].state;
		dg_arena_reset(a);
		CHECK_INT(drows[i].name, dg_audit_domain(fres, &o,
		    "good.check.test", a, &r), DG_OK);
		CHECK_INT(drows[i].name, r.dnssec, drows[i].state);
		CHECK_STR(drows[i].name, r.nfindings > 0 ? r.findings[0].id :
		    "", drows[i].ids);
		CHECK_INT(drows[i].name, r.nfindings, drows[i].ids[0] != '\0');
		CHECK_STR(drows[i].name, dg_audit_verdict_str(r.verdict),
		    dg_audit_verdict_str(drows[i].verdict));
	}
	dg_resolver_free(fres);
	dg_arena_free(a);
}

static void
test_strings(void **state)
{
	int	c;

	(void)state;
	for (c = 1; c < DG_AUDIT_F__COUNT; c++) {
		if (dg_audit_code_id((enum dg_audit_code)c)[0] == '\0')
			fail_msg("code %d has no id", c);
		if (dg_audit_code_severity((enum dg_audit_code)c) ==
		    DG_AUDIT_SEV_UNSET)
			fail_msg("code %d has no severity", c);
	}
	CHECK_STR("unset", dg_audit_code_id(DG_AUDIT_F_UNSET), "");
	CHECK_STR("range", dg_audit_code_id(DG_AUDIT_F__COUNT), "");
	CHECK_STR("verdict", dg_audit_verdict_str(DG_AUDIT_WEAK), "weak");
	CHECK_STR("verdict-unset", dg_audit_verdict_str(DG_AUDIT_UNSET),
	    "unset");
	CHECK_STR("sev", dg_audit_severity_str(DG_AUDIT_SEV_HIGH), "high");
	CHECK_STR("area", dg_audit_area_str(DG_AUDIT_AREA_TLS_RPT),
	    "tls-rpt");
}

static void
test_hostile(void **state)
{
	static const char	*bad[] = {
		"", ".", "a..b", "a b", "exa mple.com", "ex\"ample.com",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
	};
	struct dg_audit_result	 r;
	struct dg_arena		*a = dg_arena_new(0);
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++)
		CHECK_INT(bad[i], dg_audit_domain(res, NULL, bad[i], a, &r),
		    DG_EINVAL);
	CHECK_INT("null-res", dg_audit_domain(NULL, NULL, "a.test", a, &r),
	    DG_EINVAL);
	CHECK_INT("null-domain", dg_audit_domain(res, NULL, NULL, a, &r),
	    DG_EINVAL);
	CHECK_INT("null-arena", dg_audit_domain(res, NULL, "a.test", NULL,
	    &r), DG_EINVAL);
	CHECK_INT("null-out", dg_audit_domain(res, NULL, "a.test", a, NULL),
	    DG_EINVAL);
	/* An absent domain: no MX, no SPF, no DMARC: a parked target. */
	CHECK_INT("absent", dg_audit_domain(res, NULL, "absent.check.test",
	    a, &r), DG_OK);
	CHECK_STR("absent", dg_audit_verdict_str(r.verdict), "spoofable");
	dg_arena_free(a);
}

/* Every allocation failure gives ENOMEM (or ETOOBIG), never a crash or
 * leak; the run that no longer fails gives the full answer. */
static void
test_enomem(void **state)
{
	struct dg_audit_opts	 o;
	struct dg_audit_result	 r;
	struct dg_arena		*a;
	enum dg_err		 err;
	unsigned long		 n;
	bool			 done = false;

	(void)state;
	opts_for(O_DKIM, &o);
	o.flags = 0;
	o.psl = psl;
	for (n = 1; n < 100000 && !done; n++) {
		dg_alloc_fail_after(n);
		if ((a = dg_arena_new(0)) == NULL) {
			dg_alloc_fail_after(0);
			continue;
		}
		err = dg_audit_domain(res, &o, "dkimed.check.test", a, &r);
		if (!dg_alloc_failed()) {
			CHECK_INT("final", err, DG_OK);
			CHECK_STR("final", dg_audit_verdict_str(r.verdict),
			    "protected");
			done = true;
		} else if (err != DG_ENOMEM && err != DG_ETOOBIG) {
			fail_msg("n=%lu: got %d, want DG_ENOMEM", n, err);
		}
		dg_alloc_fail_after(0);
		dg_arena_free(a);
	}
	assert_true(done);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_dnssec),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
