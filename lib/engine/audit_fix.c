/*
 * lib/engine/audit_fix.c -- the records to publish and the staged DMARC
 * rollout, built from what the audit found.
 *
 * DMARC: the target record keeps the owner's valid rua and ruf (and fo
 * with ruf), and explicit strict alignment; it drops what RFC 9989
 * removed (pct, rf, ri), t, unknown tags, and sp/np weaker than p.  With
 * no rua a placeholder mailbox dmarc-reports@<domain> is proposed.
 * Moving a domain that sends mail straight to p=reject risks losing its
 * own mail, so from a missing, invalid or p=none record the rollout is:
 *   1. p=none with rua (monitor),
 *   2. p=quarantine; t=y; pct=0 (test: RFC 9989 receivers read t=y,
 *      RFC 7489 receivers pct=0, and both apply no policy yet),
 *   3. p=quarantine,
 *   4. p=reject,
 * starting at the step after the current state; the record to publish is
 * the first step.  A parked domain gets "v=DMARC1; p=reject;" at once.
 *
 * SPF: parked domains get "v=spf1 -all".  Otherwise the owner's record(s)
 * are rewritten term by term: duplicates merged, any "all" replaced by a
 * final -all (unless a redirect= decides instead).  ptr is kept: dropping
 * it could cut off a real sender, so its finding asks a person to replace
 * it.  A
 * missing record gets "v=spf1 mx -all" as a start to complete.
 */
#include <string.h>

#include <dmarcguard/buf.h>

#include "engine/audit_int.h"
#include "util/str.h"

/* DMARC findings that the record to publish fixes. */
static bool
dmarc_needs_fix(const struct audit *au)
{
	static const enum dg_audit_code	fixable[] = {
		DG_AUDIT_F_DMARC_MISSING, DG_AUDIT_F_DMARC_MULTIPLE,
		DG_AUDIT_F_DMARC_INVALID, DG_AUDIT_F_DMARC_SYNTAX,
		DG_AUDIT_F_DMARC_UNKNOWN_TAG, DG_AUDIT_F_DMARC_INVALID_VALUE,
		DG_AUDIT_F_DMARC_DUPLICATE_TAG, DG_AUDIT_F_DMARC_POLICY_NONE,
		DG_AUDIT_F_DMARC_POLICY_FALLBACK, DG_AUDIT_F_DMARC_TESTING,
		DG_AUDIT_F_DMARC_PCT_ZERO, DG_AUDIT_F_DMARC_PCT_PARTIAL,
		DG_AUDIT_F_DMARC_OBSOLETE_TAG, DG_AUDIT_F_DMARC_SP_WEAKER,
		DG_AUDIT_F_DMARC_NP_WEAKER, DG_AUDIT_F_DMARC_PSD,
		DG_AUDIT_F_DMARC_BAD_URI, DG_AUDIT_F_DMARC_RFC7489_DIFFERS,
		DG_AUDIT_F_PARKED_DMARC
	};
	size_t	i, k;

	for (i = 0; i < au->nf; i++) {
		if (au->f[i].code == DG_AUDIT_F_DMARC_NO_RUA &&
		    au->f[i].severity >= DG_AUDIT_SEV_MEDIUM)
			return true;
		for (k = 0; k < sizeof(fixable) / sizeof(fixable[0]); k++)
			if (au->f[i].code == fixable[k])
				return true;
	}
	return false;
}

static void
uri_list(struct dg_buf *b, const char *tag, const struct dg_dmarc_uri *u,
    size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++) {
		if (u[i].status != DG_DMARC_URI_OK)
			continue;
		dg_buf_printf(b, "%s%s", k++ == 0 ? tag : ",", u[i].text);
	}
	if (k > 0)
		dg_buf_puts(b, "; ");
}

/* One DMARC record: v, p, the test tags, and what is kept. */
static const char *
dmarc_text(struct audit *au, const char *p, bool test, bool placeholder)
{
	const struct dg_dmarc_record	*rec = au->dmarc;
	struct dg_buf			 b;
	const char			*s;
	size_t				 nrua = 0, nruf = 0, i;

	dg_buf_init(&b, 4096);
	dg_buf_printf(&b, "v=DMARC1; p=%s; ", p);
	if (test)
		dg_buf_puts(&b, "t=y; pct=0; ");
	if (rec != NULL) {
		if (rec->adkim == DG_DMARC_ALIGN_STRICT)
			dg_buf_puts(&b, "adkim=s; ");
		if (rec->aspf == DG_DMARC_ALIGN_STRICT)
			dg_buf_puts(&b, "aspf=s; ");
		for (i = 0; i < rec->nrua; i++)
			nrua += rec->rua[i].status == DG_DMARC_URI_OK;
		for (i = 0; i < rec->nruf; i++)
			nruf += rec->ruf[i].status == DG_DMARC_URI_OK;
		uri_list(&b, "rua=", rec->rua, rec->nrua);
		uri_list(&b, "ruf=", rec->ruf, rec->nruf);
		if (nruf > 0 && rec->raw[DG_DMARC_TAG_FO] != NULL &&
		    dg_dmarc_record_explicit(rec, DG_DMARC_TAG_FO))
			dg_buf_printf(&b, "fo=%s; ", rec->raw[DG_DMARC_TAG_FO]);
	}
	if (nrua == 0 && placeholder)
		dg_buf_printf(&b, "rua=mailto:dmarc-reports@%s; ",
		    au->r->domain);
	if (b.len > 0 && b.data[b.len - 1] == ' ')
		b.len--;	/* "...; " -> "...;" */
	if (dg_buf_err(&b) != DG_OK) {
		au->err = dg_buf_err(&b);
		dg_buf_free(&b);
		return "";
	}
	b.data[b.len] = '\0';
	s = dg_arena_strdup(au->a, b.data);
	dg_buf_free(&b);
	if (s == NULL) {
		au->err = dg_arena_err(au->a);
		return "";
	}
	return s;
}

static void
stage(struct audit *au, const char *record, const char *advice)
{
	if (au->nstages < 4) {
		au->stages[au->nstages].record = record;
		au->stages[au->nstages].advice = advice;
		au->nstages++;
	}
}

static void
fix_dmarc(struct audit *au)
{
	const struct dg_dmarc_record	*rec = au->dmarc;
	const char			*name, *why;
	bool				 partial, usable;
	int				 start;

	if (au->dmarc_temperror || !dmarc_needs_fix(au))
		return;
	name = audit_printf(au, "_dmarc.%s", au->r->domain);
	if (au->r->parked) {
		audit_publish(au, "dmarc", name, DG_DNS_T_TXT,
		    dmarc_text(au, "reject", false, false),
		    "The domain sends no mail, so it can refuse all mail "
		    "that uses its name at once.");
		return;
	}
	usable = rec != NULL && rec->status != DG_DMARC_REC_INVALID &&
	    !rec->policy_fallback && !au->dmarc_multiple;
	partial = rec != NULL && (rec->t || (dg_dmarc_record_explicit(rec,
	    DG_DMARC_TAG_PCT) && rec->pct < 100));
	/* The first step not yet reached (1-4, see the top comment). */
	if (!usable)
		start = 1;
	else if (au->dmarc_policy == DG_DMARC_POLICY_NONE)
		start = audit_has(au, DG_AUDIT_F_DMARC_NO_RUA) ? 1 : 2;
	else if (au->dmarc_policy == DG_DMARC_POLICY_QUARANTINE)
		start = partial ? 3 : 4;
	else
		start = 4;

	if (start <= 1)
		stage(au, dmarc_text(au, "none", false, true),
		    "Monitor: read the aggregate reports (rua) for two to four "
		    "weeks, until every service that sends as you passes SPF "
		    "or DKIM aligned with your domain.");
	if (start <= 2)
		stage(au, dmarc_text(au, "quarantine", true, true),
		    "Test: RFC 9989 receivers read t=y and RFC 7489 receivers "
		    "pct=0, so neither quarantines yet, but failures show in "
		    "the reports; keep it a week or two.");
	if (start <= 3)
		stage(au, dmarc_text(au, "quarantine", false, true),
		    "Enforce: mail failing DMARC goes to spam; watch the "
		    "reports for your own mail failing.");
	stage(au, dmarc_text(au, "reject", false, true),
	    "Protect: mail failing DMARC is refused.");
	if (au->nstages == 1) {
		au->nstages = 0;	/* one step is not a rollout */
		why = "The record to publish now (the existing report "
		    "addresses are kept).";
		audit_publish(au, "dmarc", name, DG_DNS_T_TXT,
		    dmarc_text(au, "reject", false, true), why);
		return;
	}
	audit_publish(au, "dmarc", name, DG_DNS_T_TXT, au->stages[0].record,
	    "Step 1 of the rollout below: going straight to p=reject could "
	    "lose mail from senders you have not listed yet.");
}

/* The all term's name after an optional qualifier, case-insensitively. */
static bool
term_is(const char *t, size_t len, const char *name)
{
	size_t	n = strlen(name);

	if (len > 0 && (t[0] == '+' || t[0] == '-' || t[0] == '~' ||
	    t[0] == '?')) {
		t++;
		len--;
	}
	return len >= n && dg_strncaseeq(t, name, n) && (len == n ||
	    t[n] == ':' || t[n] == '/' || t[n] == '=');
}

/* The owner's record(s) rewritten, or NULL when no mechanism would be
 * left (a record that was only "+all" or "?all"). */
static const char *
spf_rewrite(struct audit *au)
{
	struct dg_span	 terms[DG_AUDIT_MAX_SPF_TERMS];
	struct dg_buf	 b;
	const char	*p, *s;
	size_t		 nterms = 0, i, k, len;
	bool		 redirect = false, all = false, dup;

	for (i = 0; i < au->nspf; i++) {
		p = au->spf_texts[i];
		while (*p != '\0') {
			while (*p == ' ')
				p++;
			len = strcspn(p, " ");
			if (len == 0)
				break;
			dup = term_is(p, len, "v=spf1");
			if (term_is(p, len, "all")) {
				all = true;
				dup = true;
			}
			for (k = 0; !dup && k < nterms; k++)
				dup = dg_memcaseeq(terms[k].p, terms[k].len,
				    p, len);
			if (!dup && nterms < DG_AUDIT_MAX_SPF_TERMS) {
				if (term_is(p, len, "redirect"))
					redirect = true;
				terms[nterms].p = p;
				terms[nterms++].len = len;
			}
			p += len;
		}
	}
	if (nterms == 0)
		return NULL;
	dg_buf_init(&b, 4096);
	dg_buf_puts(&b, "v=spf1");
	for (i = 0; i < nterms; i++) {
		/* redirect= is ignored when an all term is present (RFC
		 * 7208 6.1): with our -all it goes. */
		if (all && term_is(terms[i].p, terms[i].len, "redirect"))
			continue;
		dg_buf_putc(&b, ' ');
		dg_buf_append(&b, terms[i].p, terms[i].len);
	}
	if (all || !redirect)
		dg_buf_puts(&b, " -all");
	if (dg_buf_err(&b) != DG_OK) {
		au->err = dg_buf_err(&b);
		dg_buf_free(&b);
		return "";
	}
	s = dg_arena_strdup(au->a, dg_buf_str(&b));
	dg_buf_free(&b);
	if (s == NULL)
		au->err = dg_arena_err(au->a);
	return s != NULL ? s : "";
}

#define SPF_START	"v=spf1 mx -all"
#define SPF_START_WHY	"A start that authorizes your MX hosts only: add " \
			"include: or ip4:/ip6: for every service that sends " \
			"as you before publishing it."

static void
fix_spf(struct audit *au)
{
	const struct dg_spf_issue	*is;
	const char			*text;
	size_t				 i;
	bool				 rewrite = false;

	if (au->spf == NULL || au->spf_temperror)
		return;
	if (au->r->parked) {
		if (audit_has(au, DG_AUDIT_F_PARKED_SPF))
			audit_publish(au, "spf", au->r->domain, DG_DNS_T_TXT,
			    "v=spf1 -all", au->nspf > 1 ? "The domain sends "
			    "no mail: replace all its SPF records with this "
			    "one." : "The domain sends no mail: no server "
			    "may send as it.");
		return;
	}
	if (au->nspf == 0) {
		if (audit_has(au, DG_AUDIT_F_SPF_MISSING))
			audit_publish(au, "spf", au->r->domain, DG_DNS_T_TXT,
			    SPF_START, SPF_START_WHY);
		return;
	}
	for (i = 0; i < au->spf->issues_len; i++) {
		is = &au->spf->issues[i];
		if (is->depth != 0)
			continue;
		switch (is->code) {
		case DG_SPF_I_MULTIPLE:
		case DG_SPF_I_PASS_ALL:
		case DG_SPF_I_NEUTRAL_ALL:
		case DG_SPF_I_SOFTFAIL_ALL:
		case DG_SPF_I_NO_ALL:
			rewrite = true;
			break;
		default:
			break;	/* needs a person: syntax, limits, includes */
		}
	}
	if (!rewrite)
		return;
	if ((text = spf_rewrite(au)) == NULL) {
		audit_publish(au, "spf", au->r->domain, DG_DNS_T_TXT,
		    SPF_START, SPF_START_WHY);
		return;
	}
	audit_publish(au, "spf", au->r->domain, DG_DNS_T_TXT, text,
	    au->nspf > 1 ? "Your SPF records merged into "
	    "one, ending in -all; delete the others." :
	    "Your SPF record with its includes and addresses kept, ending "
	    "in -all.");
}

void
audit_fixes(struct audit *au)
{
	if (au->err != DG_OK)
		return;
	fix_dmarc(au);
	fix_spf(au);
	if (au->r->parked && !au->r->null_mx && au->r->nmx == 0 &&
	    !au->nxdomain)
		audit_publish(au, "mx", au->r->domain, DG_DNS_T_MX, "0 .",
		    "A null MX (RFC 7505): the domain takes no mail.");
}
