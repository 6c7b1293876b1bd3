/*
 * lib/engine/audit_spf.c -- the SPF, MX and parked-domain parts of the
 * domain audit.
 *
 * SPF findings come from dg_spf_analyze() (RFC 7208: the worst-case count
 * of DNS-querying terms, 4.6.4; void lookups; +all/?all/~all; ptr, 5.5;
 * includes without a record, 5.2; loops), mapped to audit findings.
 *
 * MX: a null MX (RFC 7505 3: a single "0 ." record) says the domain takes
 * no mail.  A domain "sends no mail" (parked) when it has a null MX and no
 * other MX, or no
 * MX at all and no SPF record that authorizes any sender.  Parked domains
 * are the easiest spoof targets, so they must carry the locking records
 * "v=spf1 -all" and "v=DMARC1; p=reject;".
 */
#include <string.h>

#include <dmarcguard/spf.h>

#include "engine/audit_int.h"
#include "util/str.h"

static bool
mx_after(const struct dg_dns_rr *a, const struct dg_dns_rr *b)
{
	if (a->u.mx.pref != b->u.mx.pref)
		return a->u.mx.pref > b->u.mx.pref;
	return strcmp(a->u.mx.host, b->u.mx.host) > 0;
}

void
audit_mx(struct audit *au)
{
	struct dg_dns_answer	 ans;
	struct dg_audit_result	*r = au->r;
	const struct dg_dns_rr	**order;
	const char		*text;
	size_t			 i, k, n;

	if (!audit_query(au, r->domain, DG_DNS_T_MX, &ans))
		return;
	r->dnssec = ans.dnssec;
	if (ans.dnssec == DG_DNSSEC_BOGUS)
		audit_add(au, DG_AUDIT_F_DNSSEC_BOGUS, 0,
		    "Fix the zone's signatures or DS record at the parent.",
		    "The DNSSEC signatures of %s do not validate (%s): "
		    "validating receivers cannot read its records.",
		    r->domain, ans.why != NULL ? ans.why : "bogus");
	else if (ans.dnssec == DG_DNSSEC_INSECURE)
		audit_add(au, DG_AUDIT_F_DNSSEC_INSECURE, 0,
		    "Sign the zone (DNSSEC) so receivers can trust its "
		    "answers.",
		    "The answers for %s are not signed (DNSSEC insecure).",
		    r->domain);
	switch (ans.status) {
	case DG_DNS_OK:
		break;
	case DG_DNS_NXDOMAIN:
	case DG_DNS_NODATA:
		au->nxdomain = ans.status == DG_DNS_NXDOMAIN;
		audit_seen(au, "mx", r->domain, DG_DNS_T_MX, ans.status, NULL);
		return;
	default:
		audit_seen(au, "mx", r->domain, DG_DNS_T_MX, ans.status, NULL);
		audit_add(au, DG_AUDIT_F_MX_DNS_ERROR, 0,
		    "Check the domain's name servers, then run the check "
		    "again.",
		    "The MX lookup of %s failed (%s).", r->domain,
		    dg_dns_status_str(ans.status));
		return;
	}
	/* By preference, then name: the RRset's order means nothing. */
	order = dg_arena_calloc(au->a, ans.count + 1, sizeof(*order));
	if (order == NULL) {
		au->err = dg_arena_err(au->a);
		return;
	}
	for (i = 0, n = 0; i < ans.count; i++) {
		if (ans.rrs[i].type != DG_DNS_T_MX)
			continue;
		for (k = n; k > 0 && mx_after(order[k - 1], &ans.rrs[i]); k--)
			order[k] = order[k - 1];
		order[k] = &ans.rrs[i];
		n++;
	}
	for (i = 0; i < n; i++) {
		text = audit_printf(au, "%u %s", (unsigned)order[i]->u.mx.pref,
		    order[i]->u.mx.host[0] != '\0' ? order[i]->u.mx.host :
		    ".");
		audit_seen(au, "mx", r->domain, DG_DNS_T_MX, ans.status, text);
		if (order[i]->u.mx.host[0] == '\0')
			r->null_mx = true;
		r->nmx++;
	}
	if (r->null_mx && r->nmx > 1)
		audit_add(au, DG_AUDIT_F_MX_NULL_MIXED, 0,
		    "Remove the other MX records, or the null MX if the "
		    "domain does take mail.",
		    "%s publishes a null MX together with other MX records, "
		    "which RFC 7505 forbids; senders may still try them.",
		    r->domain);
}

/* RFC 7208 4.5: "v=spf1" followed by a space or the end. */
static bool
is_spf(const char *t)
{
	return dg_strncaseeq(t, "v=spf1", 6) && (t[6] == '\0' ||
	    t[6] == ' ');
}

static void
fetch_records(struct audit *au)
{
	struct dg_dns_answer	 ans;
	size_t			 i, k, len;
	const char		*c;
	char			*t;

	if (!audit_query(au, au->r->domain, DG_DNS_T_TXT, &ans))
		return;
	for (i = 0; ans.status == DG_DNS_OK && i < ans.count; i++) {
		if (ans.rrs[i].type != DG_DNS_T_TXT)
			continue;
		t = dg_dns_txt_join(au->a, &ans.rrs[i], &len);
		if (t == NULL) {
			au->err = dg_arena_err(au->a);
			return;
		}
		if (!is_spf(t))
			continue;
		if (au->nspf < sizeof(au->spf_texts) /
		    sizeof(au->spf_texts[0]))
			au->spf_texts[au->nspf++] = t;
	}
	/* An RRset has no order (RFC 2181 5): sort, so that the output and
	 * a merged record do not depend on the server's rotation. */
	for (i = 1; i < au->nspf; i++)
		for (k = i; k > 0 && strcmp(au->spf_texts[k - 1],
		    au->spf_texts[k]) > 0; k--) {
			c = au->spf_texts[k];
			au->spf_texts[k] = au->spf_texts[k - 1];
			au->spf_texts[k - 1] = c;
		}
	for (i = 0; i < au->nspf; i++)
		audit_seen(au, "spf", au->r->domain, DG_DNS_T_TXT, ans.status,
		    au->spf_texts[i]);
	if (au->nspf == 0)
		audit_seen(au, "spf", au->r->domain, DG_DNS_T_TXT, ans.status,
		    NULL);
}

/* "the record of d" or "the record of d (included)" for findings. */
static const char *
whose(struct audit *au, const struct dg_spf_issue *is)
{
	if (is->depth == 0)
		return audit_printf(au, "The SPF record of %s", is->domain);
	return audit_printf(au, "The SPF record of %s (reached through "
	    "%s's includes)", is->domain, au->r->domain);
}

static void
map_issue(struct audit *au, const struct dg_spf_issue *is)
{
	const char	*w = whose(au, is);

	switch (is->code) {
	case DG_SPF_I_NO_RECORD:
		if (au->r->parked)
			break;		/* parked-spf-not-locked says it */
		audit_add(au, DG_AUDIT_F_SPF_MISSING, 0,
		    "Publish an SPF record listing every server and service "
		    "that sends your mail, ending in -all.",
		    "%s has no SPF record, so receivers cannot tell its "
		    "servers from anyone else's.", is->domain);
		break;
	case DG_SPF_I_MULTIPLE:
		audit_add(au, DG_AUDIT_F_SPF_MULTIPLE, 0,
		    "Merge them into one record (see below).",
		    "%s has several SPF records, which is a permanent error: "
		    "SPF never passes for it.", is->domain);
		break;
	case DG_SPF_I_SYNTAX:
		audit_add(au, DG_AUDIT_F_SPF_SYNTAX, 0,
		    "Correct the term; a record that does not parse is a "
		    "permanent error.",
		    "%s does not parse at position %zu: %s.", w, is->pos,
		    is->term);
		break;
	case DG_SPF_I_DNS_ERROR:
		au->spf_temperror = true;
		audit_add(au, DG_AUDIT_F_SPF_DNS_ERROR, 0,
		    "Check the name servers of the name, then run the check "
		    "again.",
		    "An SPF lookup for %s failed%s%s.", is->domain,
		    is->term[0] != '\0' ? " at " : "", is->term);
		break;
	case DG_SPF_I_TOO_MANY_LOOKUPS:
		audit_add(au, DG_AUDIT_F_SPF_TOO_MANY_LOOKUPS, 0,
		    "Remove includes you no longer use, or replace some with "
		    "ip4:/ip6: ranges, to stay within 10.",
		    "The SPF record of %s needs up to %u DNS lookups through "
		    "its includes; over 10 is a permanent error (RFC 7208 "
		    "4.6.4) and SPF fails.", is->domain,
		    au->spf->dns_lookups);
		break;
	case DG_SPF_I_VOID_LOOKUP:
		audit_add(au, DG_AUDIT_F_SPF_VOID_LOOKUP, 0,
		    "Remove the term or fix the name it points to.",
		    "%s has \"%s\", a name that does not exist (a void "
		    "lookup).", w, is->term);
		break;
	case DG_SPF_I_TOO_MANY_VOIDS:
		audit_add(au, DG_AUDIT_F_SPF_TOO_MANY_VOIDS, 0,
		    "Remove the terms that point to names that do not exist.",
		    "The SPF record of %s has %u void lookups; over 2 is a "
		    "permanent error (RFC 7208 4.6.4).", is->domain,
		    au->spf->void_lookups);
		break;
	case DG_SPF_I_PASS_ALL:
		audit_add(au, DG_AUDIT_F_SPF_PASS_ALL, 0,
		    "Replace +all with -all.",
		    "%s ends in \"%s\": every server in the world passes SPF "
		    "as this domain, and so passes DMARC.", w, is->term);
		break;
	case DG_SPF_I_NEUTRAL_ALL:
		audit_add(au, DG_AUDIT_F_SPF_NEUTRAL_ALL, 0,
		    "Replace ?all with -all once every sender is listed.",
		    "%s ends in \"%s\": mail from unlisted servers is "
		    "neutral, not a failure.", w, is->term);
		break;
	case DG_SPF_I_SOFTFAIL_ALL:
		audit_add(au, DG_AUDIT_F_SPF_SOFTFAIL_ALL, 0,
		    "Replace ~all with -all once every sender is listed.",
		    "%s ends in \"%s\": mail from unlisted servers only "
		    "soft-fails, and many receivers still deliver it.", w,
		    is->term);
		break;
	case DG_SPF_I_NO_ALL:
		audit_add(au, DG_AUDIT_F_SPF_NO_ALL, 0,
		    "End the record with -all.",
		    "%s has no \"all\" term and no redirect, so mail from "
		    "unlisted servers is neutral.", w);
		break;
	case DG_SPF_I_PTR:
		audit_add(au, DG_AUDIT_F_SPF_PTR, 0,
		    "Replace ptr with ip4:/ip6: ranges or a:/mx: terms.",
		    "%s uses \"%s\", which RFC 7208 5.5 says not to use: it "
		    "is slow and many receivers skip it.", w, is->term);
		break;
	case DG_SPF_I_INCLUDE_NONE:
		audit_add(au, DG_AUDIT_F_SPF_INCLUDE_NONE, 0,
		    "Remove the include or correct its domain.",
		    "%s includes \"%s\", which has no SPF record: a "
		    "permanent error whenever it is reached.", w, is->term);
		break;
	case DG_SPF_I_REDIRECT_NONE:
		audit_add(au, DG_AUDIT_F_SPF_REDIRECT_NONE, 0,
		    "Correct the redirect target.",
		    "%s redirects with \"%s\" to a name with no SPF record: "
		    "a permanent error.", w, is->term);
		break;
	case DG_SPF_I_LOOP:
		audit_add(au, DG_AUDIT_F_SPF_LOOP, 0,
		    "Remove the include or redirect that leads back.",
		    "%s leads back to itself through \"%s\": a permanent "
		    "error.", w, is->term);
		break;
	case DG_SPF_I_MACRO:
		audit_add(au, DG_AUDIT_F_SPF_MACRO, 0,
		    "Nothing; make sure the macro expands to names you "
		    "publish.",
		    "%s has \"%s\", a macro target the audit cannot follow "
		    "without a message.", w, is->term);
		break;
	case DG_SPF_I_TOO_DEEP:
		audit_add(au, DG_AUDIT_F_SPF_TOO_DEEP, 0,
		    "Flatten the include chain.",
		    "%s nests includes too deeply at \"%s\".", w, is->term);
		break;
	case DG_SPF_I_MX_LIMIT:
		audit_add(au, DG_AUDIT_F_SPF_MX_LIMIT, 0,
		    "Use ip4:/ip6: ranges instead of mx for this name.",
		    "%s has \"%s\", whose name has more than 10 MX hosts: a "
		    "permanent error (RFC 7208 4.6.4).", w, is->term);
		break;
	default:
		break;
	}
}

/* Does the SPF record authorize nobody ("v=spf1 -all", any spacing)? */
static bool
spf_locked(const char *t)
{
	const char	*p = t + 6;

	while (*p == ' ')
		p++;
	if (!dg_strncaseeq(p, "-all", 4))
		return false;
	p += 4;
	while (*p == ' ')
		p++;
	return *p == '\0';
}

void
audit_spf(struct audit *au)
{
	size_t	i;

	if (au->err != DG_OK)
		return;
	fetch_records(au);
	/* Parked: a null MX, or no MX and no SPF record that lets any
	 * server send. */
	if ((au->r->null_mx && au->r->nmx == 1) || (au->r->nmx == 0 &&
	    !audit_has(au, DG_AUDIT_F_MX_DNS_ERROR) && (au->nspf == 0 ||
	    (au->nspf == 1 && spf_locked(au->spf_texts[0])))))
		au->r->parked = true;
	au->spf = dg_arena_calloc(au->a, 1, sizeof(*au->spf));
	if (au->spf == NULL) {
		au->err = dg_arena_err(au->a);
		return;
	}
	if ((au->err = dg_spf_analyze(au->res, au->r->domain, au->spf)) !=
	    DG_OK)
		return;
	if (au->spf->record[0] != '\0')
		au->r->spf_record = au->nspf > 0 ? au->spf_texts[0] :
		    au->spf->record;
	au->r->spf_lookups = au->spf->dns_lookups;
	for (i = 0; i < au->spf->issues_len; i++)
		map_issue(au, &au->spf->issues[i]);
}

void
audit_parked(struct audit *au)
{
	struct dg_audit_result	*r = au->r;

	if (au->err != DG_OK)
		return;
	if (r->null_mx && r->nmx == 1)
		audit_add(au, DG_AUDIT_F_MX_NULL, 0, "",
		    "%s has a null MX (RFC 7505): it takes no mail, so it "
		    "should send none either.", r->domain);
	else if (r->nmx == 0 && !au->nxdomain &&
	    !audit_has(au, DG_AUDIT_F_MX_DNS_ERROR))
		audit_add(au, DG_AUDIT_F_MX_NONE, 0,
		    r->parked ? "If the domain takes no mail, publish a null "
		    "MX (\"0 .\", RFC 7505) so senders stop trying." : "",
		    "%s has no MX record%s.", r->domain, r->parked ?
		    " and no SPF record authorizing any sender: it looks "
		    "parked" : "");
	if (au->nxdomain)
		audit_add(au, DG_AUDIT_F_DOMAIN_NXDOMAIN, 0,
		    "Nothing to publish here; make sure the Organizational "
		    "Domain's DMARC record has p=reject (or np=reject for "
		    "names that do not exist).",
		    "%s does not exist in DNS (NXDOMAIN): no mail can "
		    "legitimately come from it, but a forger can still put "
		    "it in From, and only the DMARC policy of its "
		    "Organizational Domain stops that.", r->domain);
	if (!r->parked)
		return;
	/* A name that does not exist has nowhere to hold an SPF record:
	 * its Organizational Domain's np= is the lock. */
	if (!au->nxdomain &&
	    (au->nspf != 1 || !spf_locked(au->spf_texts[0])))
		audit_add(au, DG_AUDIT_F_PARKED_SPF, 0,
		    "Publish exactly \"v=spf1 -all\".",
		    "%s sends no mail but its SPF record does not say so: "
		    "parked domains are the easiest spoof targets.",
		    r->domain);
	if (au->dmarc != NULL && au->dmarc_policy ==
	    DG_DMARC_POLICY_QUARANTINE)
		audit_add(au, DG_AUDIT_F_PARKED_DMARC, 0,
		    "Publish \"v=DMARC1; p=reject;\".",
		    "%s sends no mail, so its DMARC policy can be p=reject "
		    "at once, not quarantine.", r->domain);
}
