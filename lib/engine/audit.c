/*
 * lib/engine/audit.c -- the domain posture audit (`dmarcguard check`):
 * runs the parts (MX, DMARC, SPF, parked-domain locks, DKIM, MTA-STS /
 * TLS-RPT / BIMI, fixes) for one domain and decides the verdict from the
 * worst finding.  The finding table here is the one docs/check.md lists.
 *
 * Left out on purpose: fetching the MTA-STS policy over HTTPS and the BIMI
 * logo/certificate (the audit reads DNS only).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <dmarcguard/audit.h>
#include <dmarcguard/dns.h>

#include "engine/audit_int.h"
#include "util/str.h"

static const struct {
	const char		*id;
	enum dg_audit_area	 area;
	enum dg_audit_severity	 sev;
} codes[DG_AUDIT_F__COUNT] = {
#define D	DG_AUDIT_AREA_DMARC
#define S	DG_AUDIT_AREA_SPF
#define M	DG_AUDIT_AREA_MX
#define K	DG_AUDIT_AREA_DKIM
#define I	DG_AUDIT_SEV_INFO
#define L	DG_AUDIT_SEV_LOW
#define MED	DG_AUDIT_SEV_MEDIUM
#define H	DG_AUDIT_SEV_HIGH
#define E	DG_AUDIT_SEV_ERROR
	[DG_AUDIT_F_DMARC_MISSING] = { "dmarc-missing", D, H },
	[DG_AUDIT_F_DMARC_MULTIPLE] = { "dmarc-multiple", D, H },
	[DG_AUDIT_F_DMARC_INVALID] = { "dmarc-invalid", D, H },
	[DG_AUDIT_F_DMARC_SYNTAX] = { "dmarc-syntax", D, L },
	[DG_AUDIT_F_DMARC_UNKNOWN_TAG] = { "dmarc-unknown-tag", D, L },
	[DG_AUDIT_F_DMARC_INVALID_VALUE] = { "dmarc-invalid-value", D, L },
	[DG_AUDIT_F_DMARC_DUPLICATE_TAG] = { "dmarc-duplicate-tag", D, L },
	[DG_AUDIT_F_DMARC_POLICY_NONE] = { "dmarc-policy-none", D, H },
	[DG_AUDIT_F_DMARC_POLICY_FALLBACK] =
	    { "dmarc-policy-fallback", D, H },
	[DG_AUDIT_F_DMARC_TESTING] = { "dmarc-testing", D, MED },
	[DG_AUDIT_F_DMARC_PCT_ZERO] = { "dmarc-pct-zero", D, H },
	[DG_AUDIT_F_DMARC_PCT_PARTIAL] = { "dmarc-pct-partial", D, MED },
	[DG_AUDIT_F_DMARC_OBSOLETE_TAG] = { "dmarc-obsolete-tag", D, L },
	[DG_AUDIT_F_DMARC_SP_WEAKER] = { "dmarc-sp-weaker", D, MED },
	[DG_AUDIT_F_DMARC_NP_WEAKER] = { "dmarc-np-weaker", D, MED },
	[DG_AUDIT_F_DMARC_PSD] = { "dmarc-psd", D, L },
	[DG_AUDIT_F_DMARC_STRICT_ALIGN] = { "dmarc-strict-alignment", D, I },
	[DG_AUDIT_F_DMARC_BAD_URI] = { "dmarc-bad-uri", D, L },
	[DG_AUDIT_F_DMARC_NO_RUA] = { "dmarc-no-rua", D, L },
	[DG_AUDIT_F_DMARC_EXTERNAL_UNAUTH] =
	    { "dmarc-external-unauthorized", D, L },
	[DG_AUDIT_F_DMARC_INHERITED] = { "dmarc-inherited", D, I },
	[DG_AUDIT_F_DMARC_RFC7489_DIFFERS] =
	    { "dmarc-rfc7489-differs", D, L },
	[DG_AUDIT_F_DMARC_DNS_ERROR] = { "dmarc-dns-error", D, E },
	[DG_AUDIT_F_SPF_MISSING] = { "spf-missing", S, MED },
	[DG_AUDIT_F_SPF_MULTIPLE] = { "spf-multiple", S, MED },
	[DG_AUDIT_F_SPF_SYNTAX] = { "spf-syntax", S, MED },
	[DG_AUDIT_F_SPF_PASS_ALL] = { "spf-pass-all", S, H },
	[DG_AUDIT_F_SPF_NEUTRAL_ALL] = { "spf-neutral-all", S, MED },
	[DG_AUDIT_F_SPF_SOFTFAIL_ALL] = { "spf-softfail-all", S, MED },
	[DG_AUDIT_F_SPF_NO_ALL] = { "spf-no-all", S, MED },
	[DG_AUDIT_F_SPF_TOO_MANY_LOOKUPS] =
	    { "spf-too-many-lookups", S, MED },
	[DG_AUDIT_F_SPF_VOID_LOOKUP] = { "spf-void-lookup", S, L },
	[DG_AUDIT_F_SPF_TOO_MANY_VOIDS] = { "spf-too-many-voids", S, MED },
	[DG_AUDIT_F_SPF_PTR] = { "spf-ptr", S, L },
	[DG_AUDIT_F_SPF_INCLUDE_NONE] = { "spf-include-none", S, MED },
	[DG_AUDIT_F_SPF_REDIRECT_NONE] = { "spf-redirect-none", S, MED },
	[DG_AUDIT_F_SPF_LOOP] = { "spf-loop", S, MED },
	[DG_AUDIT_F_SPF_MACRO] = { "spf-macro", S, I },
	[DG_AUDIT_F_SPF_TOO_DEEP] = { "spf-too-deep", S, MED },
	[DG_AUDIT_F_SPF_MX_LIMIT] = { "spf-mx-limit", S, MED },
	[DG_AUDIT_F_SPF_DNS_ERROR] = { "spf-dns-error", S, E },
	[DG_AUDIT_F_MX_NONE] = { "mx-none", M, I },
	[DG_AUDIT_F_MX_NULL] = { "mx-null", M, I },
	[DG_AUDIT_F_MX_NULL_MIXED] = { "mx-null-mixed", M, L },
	[DG_AUDIT_F_PARKED_SPF] = { "parked-spf-not-locked", M, MED },
	[DG_AUDIT_F_PARKED_DMARC] = { "parked-dmarc-not-reject", M, MED },
	[DG_AUDIT_F_MX_DNS_ERROR] = { "mx-dns-error", M, E },
	[DG_AUDIT_F_DOMAIN_NXDOMAIN] = { "domain-nxdomain", M, I },
	[DG_AUDIT_F_DKIM_NONE_FOUND] = { "dkim-none-found", K, I },
	[DG_AUDIT_F_DKIM_KEY_INVALID] = { "dkim-key-invalid", K, MED },
	[DG_AUDIT_F_DKIM_REVOKED] = { "dkim-revoked", K, I },
	[DG_AUDIT_F_DKIM_TESTING] = { "dkim-testing", K, L },
	[DG_AUDIT_F_DKIM_RSA_TOO_SHORT] = { "dkim-rsa-too-short", K, MED },
	[DG_AUDIT_F_DKIM_RSA_WEAK] = { "dkim-rsa-weak", K, MED },
	[DG_AUDIT_F_DKIM_ED25519_ONLY] = { "dkim-ed25519-only", K, L },
	[DG_AUDIT_F_DKIM_DNS_ERROR] = { "dkim-dns-error", K, L },
	[DG_AUDIT_F_MTA_STS_MISSING] =
	    { "mta-sts-missing", DG_AUDIT_AREA_MTA_STS, I },
	[DG_AUDIT_F_MTA_STS_INVALID] =
	    { "mta-sts-invalid", DG_AUDIT_AREA_MTA_STS, L },
	[DG_AUDIT_F_TLS_RPT_MISSING] =
	    { "tls-rpt-missing", DG_AUDIT_AREA_TLS_RPT, I },
	[DG_AUDIT_F_TLS_RPT_INVALID] =
	    { "tls-rpt-invalid", DG_AUDIT_AREA_TLS_RPT, L },
	[DG_AUDIT_F_BIMI_INVALID] = { "bimi-invalid", DG_AUDIT_AREA_BIMI, L },
	[DG_AUDIT_F_BIMI_NOT_ENFORCED] =
	    { "bimi-without-enforcement", DG_AUDIT_AREA_BIMI, L },
	[DG_AUDIT_F_EXTRA_DNS_ERROR] =
	    { "extra-dns-error", DG_AUDIT_AREA_MTA_STS, L },
	[DG_AUDIT_F_DNSSEC_BOGUS] =
	    { "dnssec-bogus", DG_AUDIT_AREA_DNSSEC, MED },
	[DG_AUDIT_F_DNSSEC_INSECURE] =
	    { "dnssec-insecure", DG_AUDIT_AREA_DNSSEC, I },
#undef D
#undef S
#undef M
#undef K
#undef I
#undef L
#undef MED
#undef H
#undef E
};

const char *
dg_audit_code_id(enum dg_audit_code c)
{
	if ((unsigned)c >= DG_AUDIT_F__COUNT || codes[c].id == NULL)
		return "";
	return codes[c].id;
}

enum dg_audit_severity
dg_audit_code_severity(enum dg_audit_code c)
{
	if ((unsigned)c >= DG_AUDIT_F__COUNT)
		return DG_AUDIT_SEV_UNSET;
	return codes[c].sev;
}

const char *
dg_audit_verdict_str(enum dg_audit_verdict v)
{
	switch (v) {
	case DG_AUDIT_PROTECTED:	return "protected";
	case DG_AUDIT_WEAK:		return "weak";
	case DG_AUDIT_SPOOFABLE:	return "spoofable";
	case DG_AUDIT_ERROR:		return "error";
	default:			return "unset";
	}
}

const char *
dg_audit_severity_str(enum dg_audit_severity s)
{
	switch (s) {
	case DG_AUDIT_SEV_INFO:		return "info";
	case DG_AUDIT_SEV_LOW:		return "low";
	case DG_AUDIT_SEV_MEDIUM:	return "medium";
	case DG_AUDIT_SEV_HIGH:		return "high";
	case DG_AUDIT_SEV_ERROR:	return "error";
	default:			return "unset";
	}
}

const char *
dg_audit_area_str(enum dg_audit_area a)
{
	switch (a) {
	case DG_AUDIT_AREA_DMARC:	return "dmarc";
	case DG_AUDIT_AREA_SPF:		return "spf";
	case DG_AUDIT_AREA_DKIM:	return "dkim";
	case DG_AUDIT_AREA_MX:		return "mx";
	case DG_AUDIT_AREA_MTA_STS:	return "mta-sts";
	case DG_AUDIT_AREA_TLS_RPT:	return "tls-rpt";
	case DG_AUDIT_AREA_BIMI:	return "bimi";
	case DG_AUDIT_AREA_DNSSEC:	return "dnssec";
	default:			return "unset";
	}
}

int
audit_policy_rank(enum dg_dmarc_policy p)
{
	switch (p) {
	case DG_DMARC_POLICY_NONE:		return 1;
	case DG_DMARC_POLICY_QUARANTINE:	return 2;
	case DG_DMARC_POLICY_REJECT:		return 3;
	default:				return 0;
	}
}

/* ---- appenders ---- */

static const char	*vprintf_arena(struct audit *au, const char *fmt,
			    va_list ap) DG_PRINTF(2, 0);

static const char *
vprintf_arena(struct audit *au, const char *fmt, va_list ap)
{
	va_list	 ap2;
	char	*s;
	int	 n;

	if (au->err != DG_OK)
		return "";
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		au->err = DG_EINTERNAL;
		return "";
	}
	s = dg_arena_alloc(au->a, (size_t)n + 1);
	if (s == NULL) {
		au->err = dg_arena_err(au->a);
		return "";
	}
	(void)vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

const char *
audit_printf(struct audit *au, const char *fmt, ...)
{
	va_list		 ap;
	const char	*s;

	va_start(ap, fmt);
	s = vprintf_arena(au, fmt, ap);
	va_end(ap);
	return s;
}

void
audit_add(struct audit *au, enum dg_audit_code c, enum dg_audit_severity sev,
    const char *fix, const char *fmt, ...)
{
	struct dg_audit_finding	*f;
	va_list			 ap;

	if (au->err != DG_OK || (unsigned)c >= DG_AUDIT_F__COUNT ||
	    au->nf >= DG_AUDIT_MAX_FINDINGS)
		return;
	f = &au->f[au->nf];
	f->code = c;
	f->id = codes[c].id;
	f->area = codes[c].area;
	f->severity = sev > codes[c].sev ? sev : codes[c].sev;
	f->fix = fix != NULL ? fix : "";
	va_start(ap, fmt);
	f->message = vprintf_arena(au, fmt, ap);
	va_end(ap);
	au->nf++;
}

bool
audit_has(const struct audit *au, enum dg_audit_code c)
{
	size_t	i;

	for (i = 0; i < au->nf; i++)
		if (au->f[i].code == c)
			return true;
	return false;
}

void
audit_seen(struct audit *au, const char *what, const char *name,
    enum dg_dns_type type, enum dg_dns_status status, const char *text)
{
	struct dg_audit_seen	*s;

	if (au->err != DG_OK || au->nseen >= DG_AUDIT_MAX_SEEN)
		return;
	s = &au->seen[au->nseen++];
	s->what = what;
	s->name = name;
	s->type = type;
	s->status = status;
	s->text = text;
}

void
audit_publish(struct audit *au, const char *what, const char *name,
    enum dg_dns_type type, const char *text, const char *why)
{
	struct dg_audit_publish	*p;

	/* At most one record per kind (dmarc, spf, mx). */
	if (au->err != DG_OK || au->npub >= 4)
		return;
	p = &au->pub[au->npub++];
	p->what = what;
	p->name = name;
	p->type = type;
	p->text = text;
	p->why = why;
}

bool
audit_query(struct audit *au, const char *name, enum dg_dns_type type,
    struct dg_dns_answer *ans)
{
	enum dg_err	e;

	if (au->err != DG_OK)
		return false;
	e = dg_dns_query(au->res, name, type, au->a, ans);
	if (e == DG_EINVAL) {
		/* A name made longer than DNS allows (a long selector):
		 * nothing can be published there. */
		memset(ans, 0, sizeof(*ans));
		ans->status = DG_DNS_NXDOMAIN;
		ans->qname = name;
		ans->qtype = type;
		return true;
	}
	if (e != DG_OK) {
		au->err = e;
		return false;
	}
	return true;
}

bool
audit_query_many(struct audit *au, const struct dg_dns_question *qs,
    size_t n, struct dg_dns_answer *ans)
{
	enum dg_err	e;
	size_t		i;

	if (au->err != DG_OK)
		return false;
	e = dg_dns_query_many(au->res, qs, n, au->a, ans);
	if (e == DG_EINVAL) {
		/* A name DNS cannot hold: one at a time, as audit_query()
		 * treats such names. */
		for (i = 0; i < n; i++)
			if (!audit_query(au, qs[i].name, qs[i].type, &ans[i]))
				return false;
		return true;
	}
	if (e != DG_OK) {
		au->err = e;
		return false;
	}
	return true;
}

size_t
audit_txt_matching(struct audit *au, const struct dg_dns_answer *ans,
    const char *prefix, const char **out, size_t cap)
{
	size_t	 i, n = 0, len, plen = strlen(prefix);
	char	*t;

	if (ans->status != DG_DNS_OK)
		return 0;
	for (i = 0; i < ans->count; i++) {
		if (ans->rrs[i].type != DG_DNS_T_TXT)
			continue;
		t = dg_dns_txt_join(au->a, &ans->rrs[i], &len);
		if (t == NULL) {
			au->err = dg_arena_err(au->a);
			return n;
		}
		if (len < plen || !dg_memcaseeq(t, plen, prefix, plen))
			continue;
		if (plen > 0 && len > plen && t[plen] != ';' &&
		    t[plen] != ' ' && t[plen] != '\t')
			continue;
		if (n < cap)
			out[n] = t;
		n++;
	}
	return n;
}

/* ---- verdict ---- */

/* Worst first; equal severities keep the order they were found in. */
static void
sort_findings(struct audit *au)
{
	struct dg_audit_finding	tmp;
	size_t			i, j;

	for (i = 1; i < au->nf; i++) {
		tmp = au->f[i];
		for (j = i; j > 0 && au->f[j - 1].severity < tmp.severity; j--)
			au->f[j] = au->f[j - 1];
		au->f[j] = tmp;
	}
}

/*
 * The worst finding decides: an ERROR (a lookup that decides the verdict
 * failed) beats everything, then HIGH -> spoofable, MEDIUM -> weak.
 */
static enum dg_audit_verdict
verdict(const struct audit *au)
{
	enum dg_audit_severity	worst = DG_AUDIT_SEV_INFO;
	size_t			i;

	for (i = 0; i < au->nf; i++)
		if (au->f[i].severity > worst)
			worst = au->f[i].severity;
	switch (worst) {
	case DG_AUDIT_SEV_ERROR:	return DG_AUDIT_ERROR;
	case DG_AUDIT_SEV_HIGH:		return DG_AUDIT_SPOOFABLE;
	case DG_AUDIT_SEV_MEDIUM:	return DG_AUDIT_WEAK;
	default:			return DG_AUDIT_PROTECTED;
	}
}

/*
 * The questions every audit asks whatever the answers (MX and TXT of the
 * domain, _dmarc, _domainkey, the extras) go out first as one batch: with
 * libunbound they are in flight together, which saves wake-ups as well as
 * round trips.  The parts then ask as before, through a resolver in front
 * of the caller's that answers those questions from the batch.
 */
#define PREFETCH_MAX	8

struct prefetch {
	struct dg_resolver	*inner;
	size_t			 n;
	struct dg_dns_question	 q[PREFETCH_MAX];
	struct dg_dns_answer	 ans[PREFETCH_MAX];
};

static bool
prefetch_find(const struct prefetch *p, const char *name,
    enum dg_dns_type type, struct dg_dns_answer *out)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		if (p->q[i].type == type &&
		    strcmp(p->ans[i].qname, name) == 0) {
			*out = p->ans[i];
			out->qname = NULL;	/* dg_dns_query() sets it */
			return true;
		}
	return false;
}

static enum dg_err
prefetch_query(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct prefetch		*p = ctx;
	struct dg_dns_answer	 ans;
	enum dg_err		 err;

	if (prefetch_find(p, name, type, out))
		return DG_OK;
	if ((err = dg_dns_query(p->inner, name, type, a, &ans)) != DG_OK)
		return err;
	*out = ans;
	out->qname = NULL;
	return DG_OK;
}

/* The misses of a batch go on to the inner resolver as one batch. */
static enum dg_err
prefetch_query_many(void *ctx, const struct dg_dns_question *qs, size_t n,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct prefetch		*p = ctx;
	struct dg_dns_question	 miss[DG_DNS_MANY_MAX];
	struct dg_dns_answer	 ans[DG_DNS_MANY_MAX];
	size_t			 at[DG_DNS_MANY_MAX], m = 0, i;
	enum dg_err		 err;

	for (i = 0; i < n; i++) {
		if (prefetch_find(p, qs[i].name, qs[i].type, &out[i]))
			continue;
		miss[m] = qs[i];
		at[m++] = i;
	}
	if (m == 0)
		return DG_OK;
	if ((err = dg_dns_query_many(p->inner, miss, m, a, ans)) != DG_OK)
		return err;
	for (i = 0; i < m; i++) {
		out[at[i]] = ans[i];
		out[at[i]].qname = NULL;
	}
	return DG_OK;
}

static void
prefetch_add(struct prefetch *p, const char *name, enum dg_dns_type type)
{
	if (name == NULL || p->n >= PREFETCH_MAX)
		return;
	p->q[p->n].name = name;
	p->q[p->n].type = type;
	p->n++;
}

/*
 * Ask what every part will ask anyway, in one batch, and return a resolver
 * answering from it in front of au->res; NULL to go on without (a name too
 * long for DNS, which the parts report) or when au->err is set.
 */
static struct dg_resolver *
prefetch(struct audit *au, struct prefetch *p)
{
	const struct dg_audit_opts	*o = au->opts;
	const char			*d = au->r->domain;
	struct dg_resolver		*front;
	enum dg_err			 e;

	memset(p, 0, sizeof(*p));
	p->inner = au->res;
	prefetch_add(p, d, DG_DNS_T_MX);
	prefetch_add(p, d, DG_DNS_T_TXT);
	prefetch_add(p, audit_printf(au, "_dmarc.%s", d), DG_DNS_T_TXT);
	if (!(o->flags & DG_AUDIT_NO_DKIM) && o->nselectors > 0)
		prefetch_add(p, audit_printf(au, "_domainkey.%s", d),
		    DG_DNS_T_TXT);
	if (!(o->flags & DG_AUDIT_NO_EXTRA)) {
		prefetch_add(p, audit_printf(au, "_mta-sts.%s", d),
		    DG_DNS_T_TXT);
		prefetch_add(p, audit_printf(au, "_smtp._tls.%s", d),
		    DG_DNS_T_TXT);
		prefetch_add(p, audit_printf(au, "default._bimi.%s", d),
		    DG_DNS_T_TXT);
	}
	if (au->err != DG_OK)
		return NULL;
	e = dg_dns_query_many(au->res, p->q, p->n, au->a, p->ans);
	if (e == DG_EINVAL)
		return NULL;
	if (e != DG_OK) {
		au->err = e;
		return NULL;
	}
	if ((au->err = dg_resolver_custom_many(prefetch_query,
	    prefetch_query_many, p, &front)) != DG_OK)
		return NULL;
	return front;
}

enum dg_err
dg_audit_domain(struct dg_resolver *res, const struct dg_audit_opts *opts,
    const char *domain, struct dg_arena *a, struct dg_audit_result *out)
{
	static const struct dg_audit_opts	 none;
	struct dg_audit_result			*r;
	struct audit				 au;
	struct prefetch				 pf;
	struct dg_resolver			*front;
	char					 name[256];
	size_t					 i;
	enum dg_err				 e;

	if (res == NULL || domain == NULL || a == NULL || out == NULL)
		return DG_EINVAL;
	if (opts == NULL)
		opts = &none;
	if ((e = dg_domain_normalize(domain, name, sizeof(name))) != DG_OK)
		return e == DG_ETOOBIG ? DG_EINVAL : e;
	if (name[0] == '\0')
		return DG_EINVAL;

	memset(&au, 0, sizeof(au));
	au.res = res;
	au.opts = opts;
	au.a = a;
	r = dg_arena_calloc(a, 1, sizeof(*r));
	au.f = dg_arena_calloc(a, DG_AUDIT_MAX_FINDINGS, sizeof(*au.f));
	au.seen = dg_arena_calloc(a, DG_AUDIT_MAX_SEEN, sizeof(*au.seen));
	au.pub = dg_arena_calloc(a, 4, sizeof(*au.pub));
	au.stages = dg_arena_calloc(a, 4, sizeof(*au.stages));
	if (r == NULL || au.f == NULL || au.seen == NULL || au.pub == NULL ||
	    au.stages == NULL)
		return dg_arena_err(a);
	au.r = r;
	r->domain = dg_arena_strdup(a, name);
	if (r->domain == NULL)
		return dg_arena_err(a);
	r->dnssec = DG_DNSSEC_UNKNOWN;

	if ((front = prefetch(&au, &pf)) != NULL)
		au.res = front;
	/* MX and SPF first: they decide whether the domain is parked,
	 * which the DMARC checks need. */
	audit_mx(&au);
	audit_spf(&au);
	audit_dmarc(&au);
	audit_parked(&au);
	if (!(opts->flags & DG_AUDIT_NO_DKIM))
		audit_dkim(&au);
	if (!(opts->flags & DG_AUDIT_NO_EXTRA))
		audit_extra(&au);
	audit_fixes(&au);
	dg_resolver_free(front);
	if (au.err != DG_OK)
		return au.err;

	sort_findings(&au);
	r->verdict = verdict(&au);
	if (r->verdict == DG_AUDIT_ERROR) {
		for (i = 0; i < au.nf; i++)
			if (au.f[i].severity == DG_AUDIT_SEV_ERROR) {
				r->error = au.f[i].message;
				break;
			}
	}
	r->findings = au.f;
	r->nfindings = au.nf;
	r->seen = au.seen;
	r->nseen = au.nseen;
	r->publish = au.pub;
	r->npublish = au.npub;
	r->rollout = au.stages;
	r->nrollout = au.nstages;
	*out = *r;
	return DG_OK;
}
