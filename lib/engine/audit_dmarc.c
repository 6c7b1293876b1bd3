/*
 * lib/engine/audit_dmarc.c -- the DMARC part of the domain audit.
 *
 * The applied record comes from the RFC 9989 4.10 DNS Tree Walk
 * (dg_dmarc_tree_walk); where an RFC 7489 receiver (Public Suffix List,
 * RFC 7489 6.6.3) would use a different record, both are shown.  The
 * record is parsed by dg_dmarc_record_parse() and its findings are mapped
 * to audit findings; the policy checks (p=none, t=y, pct, sp/np weaker
 * than p, psd, alignment, rua/ruf and their external authorization, RFC
 * 9990 4) are made here.
 *
 * The policy that protects the domain itself is p when the record is the
 * domain's own, sp when it is inherited from the Organizational Domain or
 * the PSD (RFC 9989 4.10.1 and 5.3.3).
 */
#include <string.h>

#include <dmarcguard/dmarc.h>
#include <dmarcguard/orgdomain.h>

#include "engine/audit_int.h"
#include "util/str.h"

static const char *
pol(enum dg_dmarc_policy p)
{
	return dg_dmarc_policy_str(p);
}

/* Map the parser's findings about the record text. */
static void
record_findings(struct audit *au, const struct dg_dmarc_record *rec,
    const char *where)
{
	const struct dg_dmarc_finding	*f;
	size_t				 i;

	for (i = 0; i < rec->nfindings; i++) {
		f = &rec->findings[i];
		switch (f->code) {
		case DG_DMARC_F_SYNTAX:
			audit_add(au, DG_AUDIT_F_DMARC_SYNTAX, 0,
			    "Rewrite the tag as name=value; receivers skip "
			    "what they cannot parse.",
			    "The DMARC record at %s has a syntax error at "
			    "position %zu: %s.", where, f->pos, f->message);
			break;
		case DG_DMARC_F_UNKNOWN_TAG:
			audit_add(au, DG_AUDIT_F_DMARC_UNKNOWN_TAG, 0,
			    "Remove the tag or correct its name.",
			    "The DMARC record at %s has a tag receivers do "
			    "not know at position %zu: %s.", where, f->pos,
			    f->message);
			break;
		case DG_DMARC_F_INVALID_VALUE:
			audit_add(au, DG_AUDIT_F_DMARC_INVALID_VALUE, 0,
			    "Use one of the values the tag allows.",
			    "The DMARC record at %s has an invalid value at "
			    "position %zu: %s.", where, f->pos, f->message);
			break;
		case DG_DMARC_F_DUPLICATE_TAG:
			audit_add(au, DG_AUDIT_F_DMARC_DUPLICATE_TAG, 0,
			    "Keep one copy of each tag.",
			    "The DMARC record at %s repeats a tag at position "
			    "%zu: %s.", where, f->pos, f->message);
			break;
		case DG_DMARC_F_OBSOLETE_TAG:
			/* pct is reported by the policy checks, with what
			 * older receivers still do with it. */
			if (f->tag == DG_DMARC_TAG_PCT)
				break;
			audit_add(au, DG_AUDIT_F_DMARC_OBSOLETE_TAG, 0,
			    "Remove the tag; RFC 9989 dropped it and "
			    "receivers ignore it.",
			    "The DMARC record at %s uses the removed tag "
			    "\"%s\" (RFC 9989 removed rf and ri).", where,
			    dg_dmarc_tag_str(f->tag));
			break;
		case DG_DMARC_F_BAD_URI:
		case DG_DMARC_F_EMPTY_URI:
		case DG_DMARC_F_UNSUPPORTED_SCHEME:
		case DG_DMARC_F_TOO_MANY_URIS:
			audit_add(au, DG_AUDIT_F_DMARC_BAD_URI, 0,
			    "Write each report address as "
			    "mailto:user@domain, separated by commas.",
			    "The DMARC record at %s has a report URI "
			    "receivers will not use at position %zu: %s.",
			    where, f->pos, f->message);
			break;
		default:
			/* not-dmarc, too-long and no-policy make the record
			 * invalid (below); missing-p and policy-fallback are
			 * policy checks; empty-tag, obsolete-size and
			 * fo-without-ruf change nothing a receiver does. */
			break;
		}
	}
}

static size_t
valid_uris(const struct dg_dmarc_uri *u, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		if (u[i].status == DG_DMARC_URI_OK)
			k++;
	return k;
}

/* RFC 9990 4 / RFC 9991 5: a destination outside the policy domain's
 * Organizational Domain must publish <domain>._report._dmarc.<dest>. */
static void
external_dests(struct audit *au, const char *policy_domain,
    const struct dg_dmarc_uri *u, size_t n, enum dg_dmarc_report_kind kind,
    size_t *budget)
{
	struct dg_dmarc_extauth	 ext;
	const char		*tag = kind == DG_DMARC_REPORT_AGGREGATE ?
	    "rua" : "ruf";
	enum dg_err		 e;
	size_t			 i;

	for (i = 0; i < n && *budget > 0 && au->err == DG_OK; i++) {
		if (u[i].status != DG_DMARC_URI_OK || u[i].host == NULL)
			continue;
		(*budget)--;
		e = dg_dmarc_extauth_check_walk(au->res, au->a, policy_domain,
		    u[i].host, kind, &ext);
		if (e == DG_ENOMEM || e == DG_ETOOBIG) {
			au->err = e;
			return;
		}
		if (e != DG_OK)
			continue;	/* an invalid host: reported as URI */
		switch (ext.result) {
		case DG_DMARC_EXTAUTH_NOT_AUTHORIZED:
			audit_add(au, DG_AUDIT_F_DMARC_EXTERNAL_UNAUTH,
			    kind == DG_DMARC_REPORT_AGGREGATE ?
			    DG_AUDIT_SEV_MEDIUM : DG_AUDIT_SEV_LOW,
			    audit_printf(au, "Ask the owner of %s to publish "
			    "%s._report._dmarc.%s TXT \"v=DMARC1;\", or use "
			    "an address in your own domain.", u[i].host,
			    policy_domain, u[i].host),
			    "The %s address %s is in another domain that has "
			    "not agreed to receive your reports, so receivers "
			    "will not send them.", tag, u[i].address != NULL ?
			    u[i].address : u[i].text);
			break;
		case DG_DMARC_EXTAUTH_TEMPERROR:
			audit_add(au, DG_AUDIT_F_DMARC_EXTERNAL_UNAUTH, 0,
			    "Check again later.",
			    "Whether %s may receive your %s reports could not "
			    "be checked: the lookup of %s failed.", u[i].host,
			    tag, ext.qname != NULL ? ext.qname : u[i].host);
			break;
		default:
			break;	/* not needed, authorized */
		}
	}
}

/* The policy checks on a usable record. */
static void
policy_checks(struct audit *au, const struct dg_dmarc_record *rec,
    const char *where, bool own)
{
	enum dg_dmarc_policy	 p = au->dmarc_policy;
	const char		*ptag = own ? "p" : "sp";
	size_t			 budget = DG_AUDIT_MAX_EXTAUTH;

	if (rec->policy_fallback) {
		audit_add(au, DG_AUDIT_F_DMARC_POLICY_FALLBACK, 0,
		    "Give the record a valid p tag: p=reject (or the next "
		    "step of the rollout below).",
		    "The DMARC record at %s has no valid policy, so "
		    "receivers treat it as p=none and deliver spoofed mail.",
		    where);
	} else if (p == DG_DMARC_POLICY_NONE) {
		audit_add(au, DG_AUDIT_F_DMARC_POLICY_NONE, 0,
		    "Move to p=quarantine and then p=reject once the "
		    "aggregate reports show your own mail passing.",
		    "The DMARC policy for %s is %s=none, which only monitors: "
		    "receivers deliver mail that fails DMARC, so anyone can "
		    "send as this domain.", au->r->domain, ptag);
	}
	if (rec->t && audit_policy_rank(p) >= 2) {
		audit_add(au, DG_AUDIT_F_DMARC_TESTING,
		    p == DG_DMARC_POLICY_QUARANTINE ? DG_AUDIT_SEV_HIGH : 0,
		    "Remove t=y when the test period is over.",
		    "The DMARC record at %s is in test mode (t=y): RFC 9989 "
		    "receivers apply one step less than %s=%s, which is %s.",
		    where, ptag, pol(p), p == DG_DMARC_POLICY_QUARANTINE ?
		    "none" : "quarantine");
	}
	if (dg_dmarc_record_explicit(rec, DG_DMARC_TAG_PCT) &&
	    audit_policy_rank(p) >= 2) {
		if (rec->pct == 0)
			audit_add(au, DG_AUDIT_F_DMARC_PCT_ZERO, 0,
			    "Remove pct (RFC 9989 dropped it; the default "
			    "is all mail).",
			    "The DMARC record at %s has pct=0: RFC 9989 "
			    "removed pct, but RFC 7489 receivers, still most "
			    "of them, apply the policy to no mail at all.",
			    where);
		else if (rec->pct < 100)
			audit_add(au, DG_AUDIT_F_DMARC_PCT_PARTIAL, 0,
			    "Remove pct (RFC 9989 dropped it; the default "
			    "is all mail).",
			    "The DMARC record at %s has pct=%u: RFC 9989 "
			    "removed pct, but RFC 7489 receivers still apply "
			    "the policy to only %u%% of failing mail.", where,
			    rec->pct, rec->pct);
		else
			audit_add(au, DG_AUDIT_F_DMARC_OBSOLETE_TAG, 0,
			    "Remove the tag; pct=100 is the default.",
			    "The DMARC record at %s uses the removed tag "
			    "\"pct\" (RFC 9989 removed pct, rf and ri).",
			    where);
	}
	if (own && audit_policy_rank(rec->p_eff) >= 2 &&
	    audit_policy_rank(rec->sp_eff) < audit_policy_rank(rec->p_eff))
		audit_add(au, DG_AUDIT_F_DMARC_SP_WEAKER, 0,
		    "Remove sp (subdomains then get p) or set it to the "
		    "same value as p.",
		    "The DMARC record at %s sets sp=%s, weaker than p=%s: "
		    "its subdomains are easier to spoof.", where,
		    pol(rec->sp_eff), pol(rec->p_eff));
	/* np defaults to sp: only an explicit np is a finding of its own. */
	if (own && audit_policy_rank(rec->p_eff) >= 2 &&
	    dg_dmarc_record_explicit(rec, DG_DMARC_TAG_NP) &&
	    audit_policy_rank(rec->np_eff) < audit_policy_rank(rec->p_eff))
		audit_add(au, DG_AUDIT_F_DMARC_NP_WEAKER, 0,
		    "Remove np or set it to reject: names that do not "
		    "exist never send legitimate mail.",
		    "The DMARC record at %s sets np=%s, weaker than p=%s: "
		    "made-up subdomains are easier to spoof.", where,
		    pol(rec->np_eff), pol(rec->p_eff));
	if (rec->psd == DG_DMARC_PSD_Y &&
	    dg_dmarc_record_explicit(rec, DG_DMARC_TAG_PSD))
		audit_add(au, DG_AUDIT_F_DMARC_PSD, 0,
		    "Remove psd=y unless this is a public suffix operated "
		    "by a registry.",
		    "The DMARC record at %s declares a Public Suffix Domain "
		    "(psd=y), which changes where receivers find the "
		    "Organizational Domain of every name below it.", where);
	if (rec->adkim == DG_DMARC_ALIGN_STRICT ||
	    rec->aspf == DG_DMARC_ALIGN_STRICT)
		audit_add(au, DG_AUDIT_F_DMARC_STRICT_ALIGN, 0,
		    "Nothing, if all your mail is sent with exactly this "
		    "domain; otherwise use relaxed alignment.",
		    "The DMARC record at %s asks for strict alignment "
		    "(adkim=%s, aspf=%s): mail signed or sent by a "
		    "subdomain fails DMARC.", where, rec->adkim ==
		    DG_DMARC_ALIGN_STRICT ? "s" : "r", rec->aspf ==
		    DG_DMARC_ALIGN_STRICT ? "s" : "r");
	if (valid_uris(rec->rua, rec->nrua) == 0)
		audit_add(au, DG_AUDIT_F_DMARC_NO_RUA,
		    au->r->parked ? 0 : DG_AUDIT_SEV_MEDIUM,
		    "Add rua=mailto:an address you read, to receive "
		    "aggregate reports.",
		    "The DMARC record at %s has no valid rua, so you get no "
		    "aggregate reports and cannot see who sends as this "
		    "domain.", where);
	external_dests(au, au->r->dmarc_domain, rec->rua, rec->nrua,
	    DG_DMARC_REPORT_AGGREGATE, &budget);
	external_dests(au, au->r->dmarc_domain, rec->ruf, rec->nruf,
	    DG_DMARC_REPORT_FAILURE, &budget);
}

/* The DMARC record an RFC 7489 receiver uses: the domain's own, else the
 * PSL Organizational Domain's (RFC 7489 6.6.3). */
static void
rfc7489(struct audit *au, const struct dg_dmarc_walk *w)
{
	struct dg_dns_answer	 ans;
	struct dg_dmarc_record	 rec;
	const char		*txt[2], *rec7489 = NULL, *qname = NULL;
	enum dg_dmarc_policy	 p7489 = DG_DMARC_POLICY_UNSET;
	char			 org[256];
	enum dg_err		 e;
	size_t			 n;
	bool			 own = true;

	if (au->opts->psl == NULL || au->err != DG_OK)
		return;
	if (dg_psl_org_domain(au->opts->psl, au->r->domain, 0, org,
	    sizeof(org)) != DG_OK)
		return;
	au->r->org_domain_rfc7489 = audit_printf(au, "%s", org);
	if (w->nsteps == 0 || w->steps[0].answer == DG_DMARC_ANS_TEMPERROR)
		return;
	if (w->steps[0].answer == DG_DMARC_ANS_RECORD) {
		rec7489 = w->steps[0].record;
	} else if (w->steps[0].answer == DG_DMARC_ANS_NONE && org[0] != '\0' &&
	    strcmp(org, au->r->domain) != 0) {
		own = false;
		qname = audit_printf(au, "_dmarc.%s", org);
		if (!audit_query(au, qname, DG_DNS_T_TXT, &ans))
			return;
		if (ans.status == DG_DNS_SERVFAIL ||
		    ans.status == DG_DNS_TIMEOUT ||
		    ans.status == DG_DNS_MALFORMED)
			return;
		n = audit_txt_matching(au, &ans, "v=DMARC1", txt, 2);
		if (n == 1 && dg_dmarc_record_is_dmarc(txt[0],
		    strlen(txt[0]), NULL))
			rec7489 = txt[0];
	}
	if (rec7489 != NULL && au->r->dmarc_record != NULL &&
	    strcmp(rec7489, au->r->dmarc_record) == 0)
		return;
	if (rec7489 == NULL && au->r->dmarc_record == NULL)
		return;
	if (!own)
		audit_seen(au, "dmarc-rfc7489", qname, DG_DNS_T_TXT,
		    ans.status, rec7489);
	au->r->dmarc_record_rfc7489 = rec7489;
	if (rec7489 != NULL) {
		e = dg_dmarc_record_parse_ex(au->a, rec7489, strlen(rec7489),
		    DG_DMARC_PARSE_RFC7489, &rec);
		if (e != DG_OK) {
			au->err = e;
			return;
		}
		if (rec.status != DG_DMARC_REC_INVALID)
			p7489 = own ? rec.p_eff : rec.sp_eff;
	}
	audit_add(au, DG_AUDIT_F_DMARC_RFC7489_DIFFERS,
	    audit_policy_rank(p7489) < audit_policy_rank(au->dmarc_policy) ?
	    DG_AUDIT_SEV_MEDIUM : 0,
	    audit_printf(au, "Publish the record you want at _dmarc.%s "
	    "itself, so both kinds of receiver use it.", au->r->domain),
	    "RFC 7489 receivers (Public Suffix List, Organizational Domain "
	    "%s) use %s%s%s, not the record the RFC 9989 tree walk finds.",
	    org[0] != '\0' ? org : "(none)", rec7489 != NULL ? "\"" : "",
	    rec7489 != NULL ? rec7489 : "no DMARC record",
	    rec7489 != NULL ? "\"" : "");
}

void
audit_dmarc(struct audit *au)
{
	struct dg_dmarc_walk		 w;
	struct dg_dmarc_record		*rec;
	const struct dg_dmarc_walk_step	*st;
	const char			*where;
	enum dg_err			 e;
	size_t				 i;
	bool				 own;

	if (au->err != DG_OK)
		return;
	e = dg_dmarc_tree_walk(au->res, au->r->domain, au->a, &w);
	if (e != DG_OK) {
		au->err = e;
		return;
	}
	au->r->org_domain = w.org_domain;
	for (i = 0; i < w.nsteps; i++) {
		st = &w.steps[i];
		/* The domain's own name, and wherever something was found
		 * or failed; the empty steps between are left out. */
		if (st->answer == DG_DMARC_ANS_NOT_ASKED ||
		    (i > 0 && st->answer == DG_DMARC_ANS_NONE))
			continue;
		audit_seen(au, "dmarc", st->qname, DG_DNS_T_TXT, st->dns,
		    st->record);
		if (st->answer == DG_DMARC_ANS_MULTIPLE) {
			au->dmarc_multiple = true;
			audit_add(au, DG_AUDIT_F_DMARC_MULTIPLE, 0,
			    audit_printf(au, "Delete all but one of the "
			    "v=DMARC1 records at %s.", st->qname),
			    "%s has %zu DMARC records; receivers ignore them "
			    "all, as if there were none.", st->qname,
			    st->ndmarc);
		}
	}
	if (w.status == DG_DMARC_WALK_TEMPERROR) {
		au->dmarc_temperror = true;
		audit_add(au, DG_AUDIT_F_DMARC_DNS_ERROR, 0,
		    "Check the domain's name servers, then run the check "
		    "again.",
		    "The DMARC lookup of %s failed (%s), so receivers "
		    "cannot apply any policy right now.", w.failed_qname,
		    dg_dns_status_str(w.failed_dns));
	}
	if (w.policy_record == NULL) {
		if (w.status == DG_DMARC_WALK_NONE && !au->dmarc_multiple)
			audit_add(au, DG_AUDIT_F_DMARC_MISSING, 0,
			    audit_printf(au, "Publish a DMARC record at "
			    "_dmarc.%s (see the records to publish below).",
			    au->r->domain),
			    "%s has no DMARC record, here or at its "
			    "Organizational Domain, so receivers accept mail "
			    "that only pretends to come from it.",
			    au->r->domain);
		rfc7489(au, &w);
		return;
	}

	au->r->dmarc_record = w.policy_record;
	au->r->dmarc_domain = w.policy_domain;
	au->r->dmarc_source = w.policy_source;
	own = w.policy_source == DG_DMARC_SRC_AUTHOR;
	where = audit_printf(au, "_dmarc.%s", w.policy_domain);
	if (!own)
		audit_add(au, DG_AUDIT_F_DMARC_INHERITED, 0,
		    audit_printf(au, "Nothing, unless %s needs a policy of "
		    "its own: then publish it at _dmarc.%s.", au->r->domain,
		    au->r->domain),
		    "%s has no DMARC record of its own; the record at %s "
		    "applies (RFC 9989 tree walk), with its sp policy.",
		    au->r->domain, where);

	rec = dg_arena_calloc(au->a, 1, sizeof(*rec));
	if (rec == NULL) {
		au->err = dg_arena_err(au->a);
		return;
	}
	e = dg_dmarc_record_parse(au->a, w.policy_record,
	    w.policy_record_len, rec);
	if (e != DG_OK) {
		au->err = e;
		return;
	}
	au->dmarc = rec;
	record_findings(au, rec, where);
	if (rec->status == DG_DMARC_REC_INVALID) {
		audit_add(au, DG_AUDIT_F_DMARC_INVALID, 0,
		    "Replace it with the record to publish below.",
		    "The DMARC record at %s is not usable (%s), so receivers "
		    "apply no DMARC policy.", where,
		    dg_dmarc_invalid_str(rec->invalid_reason));
		rfc7489(au, &w);
		return;
	}
	au->dmarc_policy = own ? rec->p_eff : rec->sp_eff;
	au->r->policy = pol(au->dmarc_policy);
	policy_checks(au, rec, where, own);
	rfc7489(au, &w);
}
