/*
 * lib/engine/audit_extra.c -- the records around the mail authentication
 * ones, presence and syntax only:
 *   - MTA-STS (RFC 8461 3.1): _mta-sts.<domain> TXT "v=STSv1; id=...";
 *     the policy file fetched over HTTPS is not checked;
 *   - TLS-RPT (RFC 8460 3): _smtp._tls.<domain> TXT "v=TLSRPTv1;
 *     rua=mailto:...|https:...";
 *   - BIMI (draft-brand-indicators-for-message-identification 4.2):
 *     default._bimi.<domain> TXT "v=BIMI1; l=https:...; a=...", which
 *     receivers honour only under an enforced DMARC policy; the logo and
 *     its certificate are not fetched.
 * In each, several records with the version tag mean "no record" to the
 * sender (RFC 8461 3.1, RFC 8460 3), so that is reported as invalid.
 */
#include <string.h>

#include "engine/audit_int.h"
#include "util/str.h"
#include "util/taglist.h"

/* The tags of a record that must start with v=<version>; NULL (and *why
 * set) when it does not parse or the version is wrong. */
static bool
parse_tags(const char *txt, const char *version, struct dg_tag *tags,
    size_t *n, const char **why)
{
	struct dg_taglist_error	te;

	if (dg_taglist_parse(txt, strlen(txt), 0, tags, DG_TAGLIST_MAX, n,
	    &te) != DG_OK) {
		*why = dg_taglist_reason_str(te.reason);
		return false;
	}
	if (*n == 0 || tags[0].name.len != 1 || tags[0].name.p[0] != 'v' ||
	    tags[0].value.len != strlen(version) ||
	    memcmp(tags[0].value.p, version, tags[0].value.len) != 0) {
		*why = "it does not start with the version tag";
		return false;
	}
	return true;
}

/* RFC 8461 3.1: sts-id = 1*32( ALPHA / DIGIT ). */
static const char *
mta_sts_why(const char *txt)
{
	struct dg_tag		 tags[DG_TAGLIST_MAX];
	const struct dg_tag	*id;
	const char		*why = NULL;
	size_t			 n, i;

	if (!parse_tags(txt, "STSv1", tags, &n, &why))
		return why;
	id = dg_taglist_find(tags, n, "id", false);
	if (id == NULL)
		return "there is no id= tag";
	if (id->value.len == 0 || id->value.len > 32)
		return "id= must be 1 to 32 letters and digits";
	for (i = 0; i < id->value.len; i++)
		if (!dg_isalnum((unsigned char)id->value.p[i]))
			return "id= must be 1 to 32 letters and digits";
	return NULL;
}

/* RFC 8460 3: rua = a comma-separated list of mailto: or https: URIs. */
static const char *
tls_rpt_why(const char *txt)
{
	struct dg_tag		 tags[DG_TAGLIST_MAX];
	const struct dg_tag	*rua;
	const char		*why = NULL, *p, *end, *comma;
	size_t			 n, len;

	if (!parse_tags(txt, "TLSRPTv1", tags, &n, &why))
		return why;
	rua = dg_taglist_find(tags, n, "rua", false);
	if (rua == NULL || rua->value.len == 0)
		return "there is no rua= tag";
	p = rua->value.p;
	end = p + rua->value.len;
	while (p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		while (p < comma && dg_iswsp((unsigned char)*p))
			p++;
		len = (size_t)(comma - p);
		while (len > 0 && dg_iswsp((unsigned char)p[len - 1]))
			len--;
		if (!(len > 7 && dg_strncaseeq(p, "mailto:", 7)) &&
		    !(len > 8 && dg_strncaseeq(p, "https://", 8)))
			return "each rua= entry must be a mailto: or "
			    "https: URI";
		p = comma + 1;
	}
	return NULL;
}

/* An optional https: URL (empty allowed: "declined"). */
static bool
https_or_empty(const struct dg_tag *t)
{
	return t == NULL || t->value.len == 0 || (t->value.len > 8 &&
	    dg_strncaseeq(t->value.p, "https://", 8));
}

static const char *
bimi_why(const char *txt)
{
	struct dg_tag	 tags[DG_TAGLIST_MAX];
	const char	*why = NULL;
	size_t		 n;

	if (!parse_tags(txt, "BIMI1", tags, &n, &why))
		return why;
	if (dg_taglist_find(tags, n, "l", false) == NULL)
		return "there is no l= tag";
	if (!https_or_empty(dg_taglist_find(tags, n, "l", false)))
		return "l= must be an https: URL or empty";
	if (!https_or_empty(dg_taglist_find(tags, n, "a", false)))
		return "a= must be an https: URL or empty";
	return NULL;
}

/*
 * Look up name for a record starting with prefix.  Returns the record
 * text, or NULL when there is none (or a failure, already reported);
 * *why gets the syntax problem of a record found.
 */
/* The record of one kind from its answer (asked by audit_extra()). */
static const char *
fetch(struct audit *au, const char *what, const char *name,
    const struct dg_dns_answer *ans, const char *prefix,
    const char *(*check)(const char *), const char **why, bool *failed)
{
	const char	*txt[2];
	size_t		 n;

	*why = NULL;
	*failed = true;
	if (au->err != DG_OK)
		return NULL;
	if (ans->status != DG_DNS_OK && ans->status != DG_DNS_NXDOMAIN &&
	    ans->status != DG_DNS_NODATA) {
		audit_seen(au, what, name, DG_DNS_T_TXT, ans->status, NULL);
		audit_add(au, DG_AUDIT_F_EXTRA_DNS_ERROR, 0,
		    "Check the name servers, then run the check again.",
		    "The %s lookup of %s failed (%s).", what, name,
		    dg_dns_status_str(ans->status));
		return NULL;
	}
	*failed = false;
	n = audit_txt_matching(au, ans, prefix, txt, 2);
	if (n == 0)
		return NULL;
	audit_seen(au, what, name, DG_DNS_T_TXT, ans->status, txt[0]);
	if (n > 1) {
		audit_seen(au, what, name, DG_DNS_T_TXT, ans->status, txt[1]);
		*why = "there are several records, which counts as none";
	} else {
		*why = check(txt[0]);
	}
	return txt[0];
}

void
audit_extra(struct audit *au)
{
	struct dg_audit_result	*r = au->r;
	struct dg_dns_question	 qs[3];
	struct dg_dns_answer	 ans[3];
	const char		*why, *name, *rec;
	bool			 mail = !r->parked && r->nmx > 0, failed;

	if (au->err != DG_OK)
		return;
	/* The three names at once. */
	qs[0].name = audit_printf(au, "_mta-sts.%s", r->domain);
	qs[1].name = audit_printf(au, "_smtp._tls.%s", r->domain);
	qs[2].name = audit_printf(au, "default._bimi.%s", r->domain);
	qs[0].type = qs[1].type = qs[2].type = DG_DNS_T_TXT;
	if (au->err != DG_OK || !audit_query_many(au, qs, 3, ans))
		return;
	name = qs[0].name;
	rec = fetch(au, "mta-sts", name, &ans[0], "v=STSv1", mta_sts_why,
	    &why, &failed);
	if (rec != NULL && why != NULL)
		audit_add(au, DG_AUDIT_F_MTA_STS_INVALID, 0,
		    "Publish one record of the form \"v=STSv1; id=20260101;\" "
		    "and change id whenever the policy file changes.",
		    "The MTA-STS record at %s is not valid: %s.", name, why);
	else if (rec == NULL && mail && !failed)
		audit_add(au, DG_AUDIT_F_MTA_STS_MISSING, 0,
		    "Publish an MTA-STS policy (RFC 8461) so senders insist "
		    "on TLS to your MX hosts.",
		    "%s has no MTA-STS record, so mail to it can be "
		    "downgraded to plain text in transit.", r->domain);

	name = qs[1].name;
	rec = fetch(au, "tls-rpt", name, &ans[1], "v=TLSRPTv1", tls_rpt_why,
	    &why, &failed);
	if (rec != NULL && why != NULL)
		audit_add(au, DG_AUDIT_F_TLS_RPT_INVALID, 0,
		    "Publish one record of the form \"v=TLSRPTv1; "
		    "rua=mailto:tlsrpt@your.domain\".",
		    "The TLS-RPT record at %s is not valid: %s.", name, why);
	else if (rec == NULL && mail && !failed)
		audit_add(au, DG_AUDIT_F_TLS_RPT_MISSING, 0,
		    "Publish a TLS-RPT record (RFC 8460) to hear about TLS "
		    "failures delivering to you.",
		    "%s has no TLS-RPT record.", r->domain);

	name = qs[2].name;
	rec = fetch(au, "bimi", name, &ans[2], "v=BIMI1", bimi_why, &why,
	    &failed);
	if (rec != NULL && why != NULL)
		audit_add(au, DG_AUDIT_F_BIMI_INVALID, 0,
		    "Publish \"v=BIMI1; l=https://.../logo.svg;\" (a= for "
		    "the mark certificate, if you have one).",
		    "The BIMI record at %s is not valid: %s.", name, why);
	if (rec != NULL && audit_policy_rank(au->dmarc_policy) < 2)
		audit_add(au, DG_AUDIT_F_BIMI_NOT_ENFORCED, 0,
		    "Move DMARC to p=quarantine or p=reject first.",
		    "%s publishes BIMI, but receivers show the logo only "
		    "under an enforced DMARC policy.", r->domain);
}
