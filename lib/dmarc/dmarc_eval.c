/*
 * lib/dmarc/dmarc_eval.c -- the receiver's DMARC verdict for one message:
 * RFC 9989 5.3 (Mail Receiver Actions) with policy discovery by the DNS
 * Tree Walk (4.10.1), or RFC 7489 6.6 in compatibility mode (PSL, pct).
 *
 * Steps: the From domain(s) -> policy record -> identifier alignment of
 * the SPF (MAIL FROM) and DKIM (d=) identifiers that passed -> result ->
 * which of p / sp / np applies -> the disposition it asks for, lowered by
 * t=y (RFC 9989 4.7) or a pct miss (RFC 7489 6.6.4).
 *
 * Left out on purpose: the local policy that may raise the disposition
 * (dmarc_shield.c) and reporting.  Deviations from RFC 9989, documented in
 * docs/internals/dmarc.md: a From that can't be evaluated is permerror
 * with a configurable disposition (reject), and one From with mailboxes in
 * several domains is evaluated per domain with the strictest disposition
 * applied, where 5.3.1 would exempt the message (a known bypass).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <dmarcguard/dmarc_eval.h>

#include "dmarc/dmarc_eval_int.h"
#include "util/limits.h"
#include "util/str.h"

#define NAME_BUF	256	/* dg_domain_normalize() output */

struct eval {
	struct dg_resolver		*res;
	struct dg_arena			*a;
	const struct dg_dmarc_eval_input *in;
	struct dg_dmarc_eval_opts	 o;
};

/* How policy discovery ended. */
enum found {
	FOUND_RECORD = 1,
	FOUND_NONE,
	FOUND_TEMPERROR
};

struct discovery {
	enum found		 status;
	const char		*record;
	size_t			 record_len;
	const char		*policy_domain;
	const char		*org_domain;
	bool			 own;		/* record at the From domain */
	const char		*failed;	/* TEMPERROR: the name */
	enum dg_dns_status	 failed_dns;
	const char		*why_none;
};

static void DG_PRINTF(2, 3)
reason(struct dg_dmarc_verdict *v, const char *fmt, ...)
{
	va_list	ap;

	if (v->nreasons >= DG_DMARC_REASONS_MAX) {
		v->reasons_dropped++;
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(v->reasons[v->nreasons], DG_DETAIL_MAX, fmt, ap);
	va_end(ap);
	v->nreasons++;
}

static bool
dns_failed(enum dg_dns_status s)
{
	return s == DG_DNS_SERVFAIL || s == DG_DNS_TIMEOUT ||
	    s == DG_DNS_MALFORMED;
}

/*
 * RFC 7489 6.6.3 for one name: TXT at _dmarc.<d>, keep the RRs that start
 * with v=DMARC1; none or several mean no record.
 */
static enum dg_err
query_7489(struct eval *ev, const char *d, struct discovery *f, bool *got)
{
	struct dg_dns_answer	 ans;
	const char		*qname, *rec = NULL, *txt;
	size_t			 i, n = 0, len, rec_len = 0;
	enum dg_err		 err;

	*got = false;
	if (strlen(d) + sizeof("_dmarc.") - 1 > DG_DNS_NAME_MAX)
		return DG_OK;
	if ((qname = dg_arena_printf(ev->a, "_dmarc.%s", d)) == NULL)
		return dg_arena_err(ev->a);
	err = dg_dns_query(ev->res, qname, DG_DNS_T_TXT, ev->a, &ans);
	if (err == DG_EINVAL)
		return DG_OK;		/* not a name: nothing to find */
	if (err != DG_OK)
		return err;
	if (dns_failed(ans.status)) {
		f->status = FOUND_TEMPERROR;
		f->failed = qname;
		f->failed_dns = ans.status;
		return DG_OK;
	}
	for (i = 0; ans.status == DG_DNS_OK && i < ans.count; i++) {
		if (ans.rrs[i].type != DG_DNS_T_TXT)
			continue;
		if ((txt = dg_dns_txt_join(ev->a, &ans.rrs[i], &len)) == NULL)
			return dg_arena_err(ev->a);
		if (!dg_dmarc_record_is_dmarc(txt, len, NULL))
			continue;
		if (n++ == 0) {
			rec = txt;
			rec_len = len;
		}
	}
	if (n > 1) {
		f->why_none = dg_arena_printf(ev->a, "%zu DMARC records at "
		    "%s: all discarded", n, qname);
		return f->why_none == NULL ? dg_arena_err(ev->a) : DG_OK;
	}
	if (n == 1) {
		f->record = rec;
		f->record_len = rec_len;
		f->policy_domain = d;
		*got = true;
	}
	return DG_OK;
}

/*
 * RFC 7489 6.6.3: the From domain's record, else the record of its
 * Organizational Domain by the Public Suffix List (3.2).
 */
static enum dg_err
discover_7489(struct eval *ev, const char *d, struct discovery *f)
{
	char		 org[NAME_BUF];
	enum dg_err	 err;
	bool		 got;

	err = dg_psl_org_domain(ev->o.psl, d, 0, org, sizeof(org));
	if (err != DG_OK && err != DG_EINVAL)
		return err;
	if (err != DG_OK || org[0] == '\0')
		dg_strlcpy(org, d, sizeof(org));	/* a public suffix */
	if ((f->org_domain = dg_arena_strdup(ev->a, org)) == NULL)
		return dg_arena_err(ev->a);
	if ((err = query_7489(ev, d, f, &got)) != DG_OK)
		return err;
	if (f->status == FOUND_TEMPERROR)
		return DG_OK;
	if (got) {
		f->status = FOUND_RECORD;
		f->own = true;
		return DG_OK;
	}
	if (!dg_dmarc_domain_eq(org, d)) {
		if ((err = query_7489(ev, f->org_domain, f, &got)) != DG_OK)
			return err;
		if (f->status == FOUND_TEMPERROR)
			return DG_OK;
		if (got) {
			f->status = FOUND_RECORD;
			return DG_OK;
		}
	}
	f->status = FOUND_NONE;
	return DG_OK;
}

/* RFC 9989 4.10.1 by the tree walk. */
static enum dg_err
discover_9989(struct eval *ev, const char *d, struct discovery *f)
{
	struct dg_dmarc_walk	 w;
	enum dg_err		 err;

	if ((err = dg_dmarc_tree_walk(ev->res, d, ev->a, &w)) != DG_OK)
		return err;
	f->org_domain = w.org_domain;
	switch (w.status) {
	case DG_DMARC_WALK_FOUND:
		f->status = FOUND_RECORD;
		f->record = w.policy_record;
		f->record_len = w.policy_record_len;
		f->policy_domain = w.policy_domain;
		f->own = w.policy_source == DG_DMARC_SRC_AUTHOR;
		break;
	case DG_DMARC_WALK_NONE:
		f->status = FOUND_NONE;
		break;
	default:
		/* Any temperror beats found and none (RFC 9989 5.3.6). */
		f->status = FOUND_TEMPERROR;
		f->failed = w.failed_qname;
		f->failed_dns = w.failed_dns;
		break;
	}
	return DG_OK;
}

/*
 * The Organizational Domain of an identifier, for relaxed alignment with
 * a From domain whose org is from_org.  org(x) == from_org can only hold
 * when x is from_org or below it, so other names need no DNS at all (and
 * "d=com" never aligns).  *temp is set when the lookup failed.
 */
static enum dg_err
ident_org(struct eval *ev, const char *x, const char *from_org,
    const char **org, bool *temp)
{
	struct dg_dmarc_walk	 w;
	char			 buf[NAME_BUF];
	enum dg_err		 err;

	*org = NULL;
	*temp = false;
	if (from_org == NULL || !dg_dmarc_domain_under(x, from_org))
		return DG_OK;
	if (ev->o.mode == DG_DMARC_MODE_RFC7489) {
		err = dg_psl_org_domain(ev->o.psl, x, 0, buf, sizeof(buf));
		if (err == DG_EINVAL)
			return DG_OK;
		if (err != DG_OK)
			return err;
		if ((*org = dg_arena_strdup(ev->a, buf[0] != '\0' ? buf : x))
		    == NULL)
			return dg_arena_err(ev->a);
		return DG_OK;
	}
	err = dg_dmarc_tree_walk(ev->res, x, ev->a, &w);
	if (err == DG_EINVAL)
		return DG_OK;
	if (err != DG_OK)
		return err;
	if (w.status == DG_DMARC_WALK_TEMPERROR)
		*temp = true;
	*org = w.org_domain;
	return DG_OK;
}

/* Alignment of one identifier: 1 aligned, 0 not, -1 unknown (DNS). */
static enum dg_err
ident_aligned(struct eval *ev, const char *x, const char *from,
    const char *from_org, enum dg_dmarc_align mode, int *state)
{
	const char	*org;
	bool		 temp;
	enum dg_err	 err;

	*state = 0;
	if (x == NULL || *x == '\0')
		return DG_OK;
	if (dg_dmarc_domain_eq(x, from)) {
		*state = 1;
		return DG_OK;
	}
	if (mode == DG_DMARC_ALIGN_STRICT)
		return DG_OK;
	if ((err = ident_org(ev, x, from_org, &org, &temp)) != DG_OK)
		return err;
	if (temp)
		*state = -1;
	else if (dg_dmarc_aligned(x, org, from, from_org, mode))
		*state = 1;
	return DG_OK;
}

/* The SPF identifier: MAIL FROM's domain, or HELO for the null path. */
static enum dg_err
spf_identifier(struct eval *ev, const char **out)
{
	const char	*mf = ev->in->mail_from, *at, *src;
	char		 norm[NAME_BUF];
	size_t		 len;
	char		*tmp;

	*out = NULL;
	src = NULL;
	if (mf != NULL) {
		while (*mf == '<' || dg_iswsp((unsigned char)*mf))
			mf++;
		len = strlen(mf);
		while (len > 0 && (mf[len - 1] == '>' ||
		    dg_iswsp((unsigned char)mf[len - 1])))
			len--;
		if ((tmp = dg_arena_strndup(ev->a, mf, len)) == NULL)
			return dg_arena_err(ev->a);
		at = strrchr(tmp, '@');
		src = at != NULL ? at + 1 : tmp;
		if (*tmp == '\0')
			src = NULL;
	}
	if (src == NULL)
		src = ev->in->helo;	/* RFC 7208 2.4 */
	if (src == NULL || *src == '\0')
		return DG_OK;
	if (dg_domain_normalize(src, norm, sizeof(norm)) != DG_OK)
		return DG_OK;		/* not a domain: can't align */
	if ((*out = dg_arena_strdup(ev->a, norm)) == NULL)
		return dg_arena_err(ev->a);
	return DG_OK;
}

/*
 * Does the From domain exist (RFC 9989 3.2.7: NXDOMAIN means it does
 * not)?  A, AAAA and MX are asked as RFC 9091 2.7 listed them; any answer
 * other than NXDOMAIN or a failure shows the name exists.  *state: 1
 * exists, 0 does not, -1 unknown (a lookup failed).
 */
static enum dg_err
domain_exists(struct eval *ev, const char *d, int *state)
{
	static const enum dg_dns_type types[] = {
		DG_DNS_T_A, DG_DNS_T_AAAA, DG_DNS_T_MX
	};
	struct dg_dns_answer	 ans;
	size_t			 i;
	bool			 failed = false;
	enum dg_err		 err;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		err = dg_dns_query(ev->res, d, types[i], ev->a, &ans);
		if (err != DG_OK)
			return err;
		if (ans.status == DG_DNS_OK || ans.status == DG_DNS_NODATA) {
			*state = 1;
			return DG_OK;
		}
		if (ans.status != DG_DNS_NXDOMAIN)
			failed = true;
	}
	*state = failed ? -1 : 0;
	return DG_OK;
}

static enum dg_dmarc_policy
stricter(enum dg_dmarc_policy a, enum dg_dmarc_policy b)
{
	return dg_dmarc_disposition_of(a) >= dg_dmarc_disposition_of(b) ?
	    a : b;
}

/*
 * Which policy applies (RFC 9989 4.10.1): p for a record at the From
 * domain itself; else sp for an existing subdomain and np for one that
 * does not exist, each defaulting as 4.7 says (np -> sp -> p).  RFC 7489
 * 6.6.3 knows only p and sp.  The existence query is only made when it
 * matters: a failed message whose np and sp differ.
 */
static enum dg_err
select_policy(struct eval *ev, const char *d, const struct discovery *f,
    const struct dg_dmarc_record *rec, struct dg_dmarc_verdict *v)
{
	bool		 sp_given, np_given;
	int		 exists;
	enum dg_err	 err;

	sp_given = dg_dmarc_record_explicit(rec, DG_DMARC_TAG_SP);
	np_given = ev->o.mode == DG_DMARC_MODE_RFC9989 &&
	    dg_dmarc_record_explicit(rec, DG_DMARC_TAG_NP);
	if (f->own || dg_dmarc_domain_eq(d, f->policy_domain)) {
		v->policy = rec->p_eff;
		v->policy_tag = DG_DMARC_PTAG_P;
		return DG_OK;
	}
	v->policy = rec->sp_eff;
	v->policy_tag = sp_given ? DG_DMARC_PTAG_SP : DG_DMARC_PTAG_P;
	if (ev->o.mode != DG_DMARC_MODE_RFC9989 ||
	    v->result != DG_DMARC_RESULT_FAIL || rec->np_eff == rec->sp_eff)
		return DG_OK;
	if ((err = domain_exists(ev, d, &exists)) != DG_OK)
		return err;
	if (exists == 0) {
		v->nonexistent = true;
		v->policy = rec->np_eff;
		v->policy_tag = np_given ? DG_DMARC_PTAG_NP : v->policy_tag;
		reason(v, "%s does not exist (NXDOMAIN): np applies", d);
	} else if (exists < 0) {
		v->policy = stricter(rec->sp_eff, rec->np_eff);
		v->policy_tag = v->policy == rec->np_eff && np_given ?
		    DG_DMARC_PTAG_NP : v->policy_tag;
		reason(v, "existence of %s unknown (DNS failure): the "
		    "stricter of sp and np applies", d);
	}
	return DG_OK;
}

/* Evaluate one (normalised) From domain into *v. */
static enum dg_err
eval_domain(struct eval *ev, const char *d, struct dg_dmarc_verdict *v)
{
	struct discovery		 f;
	struct dg_dmarc_record		 rec;
	const struct dg_dkim_sig_result	*sig;
	const char			*spf_id;
	int				 st;
	bool				 temp = false;
	size_t				 i;
	enum dg_err			 err;

	memset(&f, 0, sizeof(f));
	v->from_domain = d;
	v->pct = 100;
	v->sampled = true;
	err = ev->o.mode == DG_DMARC_MODE_RFC7489 ? discover_7489(ev, d, &f) :
	    discover_9989(ev, d, &f);
	if (err != DG_OK)
		return err;
	v->org_domain = f.org_domain;
	v->disposition = DG_DMARC_DISP_NONE;
	if (f.status == FOUND_TEMPERROR) {
		v->result = DG_DMARC_RESULT_TEMPERROR;
		reason(v, "DNS failure looking up %s (%s): no verdict",
		    f.failed != NULL ? f.failed : "_dmarc",
		    dg_dns_status_str(f.failed_dns));
		return DG_OK;
	}
	if (f.status == FOUND_NONE) {
		v->result = DG_DMARC_RESULT_NONE;
		if (f.why_none != NULL)
			reason(v, "%s", f.why_none);
		reason(v, "no DMARC policy record for %s", d);
		return DG_OK;
	}
	v->policy_domain = f.policy_domain;
	if ((v->record = dg_arena_strndup(ev->a, f.record, f.record_len)) ==
	    NULL)
		return dg_arena_err(ev->a);
	err = dg_dmarc_record_parse_ex(ev->a, f.record, f.record_len,
	    ev->o.mode == DG_DMARC_MODE_RFC7489 ? DG_DMARC_PARSE_RFC7489 : 0,
	    &rec);
	if (err != DG_OK)
		return err;
	if (rec.status == DG_DMARC_REC_INVALID) {
		/* RFC 9989 4.10.1: no p and no valid rua: no DMARC at all. */
		v->result = DG_DMARC_RESULT_NONE;
		reason(v, "DMARC record at %s not usable (%s): not applied",
		    f.policy_domain, dg_dmarc_invalid_str(rec.invalid_reason));
		return DG_OK;
	}
	if (rec.policy_fallback)
		reason(v, "p or sp/np missing or invalid with a valid rua: "
		    "acting as p=none (RFC 9989 4.10.1)");
	v->adkim = rec.adkim;
	v->aspf = rec.aspf;
	if (ev->o.mode == DG_DMARC_MODE_RFC9989)
		v->testing = rec.t;
	else
		v->pct = rec.pct;

	/* SPF (RFC 9989 3.1.2): only the MAIL FROM identity counts. */
	if ((err = spf_identifier(ev, &spf_id)) != DG_OK)
		return err;
	v->spf_domain = spf_id;
	if (spf_id != NULL && (ev->in->spf == DG_SPF_PASS ||
	    ev->in->spf == DG_SPF_TEMPERROR)) {
		err = ident_aligned(ev, spf_id, d, f.org_domain, rec.aspf, &st);
		if (err != DG_OK)
			return err;
		if (st == 1 && ev->in->spf == DG_SPF_PASS)
			v->spf_aligned = true;
		else if (st != 0)
			temp = true;	/* aligned temperror, or unknown */
	}

	/* DKIM (RFC 9989 3.1.1): any verified signature whose d= aligns. */
	for (i = 0; i < ev->in->ndkim; i++) {
		sig = &ev->in->dkim[i];
		if (sig->domain == NULL || (sig->result != DG_DKIM_PASS &&
		    sig->result != DG_DKIM_TEMPERROR))
			continue;
		err = ident_aligned(ev, sig->domain, d, f.org_domain, rec.adkim,
		    &st);
		if (err != DG_OK)
			return err;
		if (st == 1 && sig->result == DG_DKIM_PASS) {
			if (!v->dkim_aligned) {
				v->dkim_domain = sig->domain;
				v->dkim_selector = sig->selector;
			}
			v->dkim_aligned = true;
		} else if (st != 0) {
			temp = true;
		}
	}

	/*
	 * Precedence: an aligned pass beats everything; then a temperror on
	 * an identifier that would align (RFC 9989 5.3.2: no permanent
	 * failure can be concluded); else fail.  A temperror on a foreign
	 * identifier does not count, or any sender could dodge the policy by
	 * adding a signature whose key lookup times out.
	 */
	if (v->spf_aligned || v->dkim_aligned) {
		v->result = DG_DMARC_RESULT_PASS;
		if (v->dkim_aligned)
			reason(v, "dkim pass aligned (%s d=%s)",
			    rec.adkim == DG_DMARC_ALIGN_STRICT ? "strict" :
			    "relaxed", v->dkim_domain);
		if (v->spf_aligned)
			reason(v, "spf pass aligned (%s %s)",
			    rec.aspf == DG_DMARC_ALIGN_STRICT ? "strict" :
			    "relaxed", spf_id);
	} else if (temp) {
		v->result = DG_DMARC_RESULT_TEMPERROR;
		reason(v, "an aligned identifier had a temporary error: "
		    "no verdict");
	} else {
		v->result = DG_DMARC_RESULT_FAIL;
		reason(v, "no aligned pass: spf=%s for %s (aspf=%s), "
		    "%zu dkim signature%s (adkim=%s)",
		    dg_spf_result_str(ev->in->spf), spf_id != NULL ? spf_id :
		    "(none)", rec.aspf == DG_DMARC_ALIGN_STRICT ? "s" : "r",
		    ev->in->ndkim, ev->in->ndkim == 1 ? "" : "s",
		    rec.adkim == DG_DMARC_ALIGN_STRICT ? "s" : "r");
	}

	if ((err = select_policy(ev, d, &f, &rec, v)) != DG_OK)
		return err;
	if (v->result != DG_DMARC_RESULT_FAIL)
		return DG_OK;
	v->disposition = dg_dmarc_disposition_of(v->policy);
	if (v->testing && v->disposition != DG_DMARC_DISP_NONE) {
		/* RFC 9989 4.7 t=y: one level below the policy. */
		v->disposition = dg_dmarc_disposition_lower(v->disposition);
		reason(v, "t=y (testing): %s applied one level lower",
		    dg_dmarc_policy_str(v->policy));
	}
	if (ev->o.mode == DG_DMARC_MODE_RFC7489 && v->pct < 100) {
		v->sampled = dg_dmarc_pct_roll(ev->o.seed, d) < v->pct;
		if (!v->sampled && v->disposition != DG_DMARC_DISP_NONE) {
			v->disposition =
			    dg_dmarc_disposition_lower(v->disposition);
			reason(v, "pct=%u: not sampled, %s applied one level "
			    "lower (RFC 7489 6.6.4)", v->pct,
			    dg_dmarc_policy_str(v->policy));
		}
	}
	return DG_OK;
}

/* A From that can't be evaluated (RFC 9989 5.3.1 leaves it to us). */
static void
bad_from(struct eval *ev, const struct dg_msg_from *from,
    struct dg_dmarc_verdict *v)
{
	v->result = DG_DMARC_RESULT_PERMERROR;
	v->disposition = ev->o.bad_from != DG_DMARC_DISP_UNSET ?
	    ev->o.bad_from : DG_DMARC_DISP_REJECT;
	reason(v, "bad From (%s%s%s): not evaluable, disposition %s",
	    dg_msg_from_status_str(from->status),
	    from->detail[0] != '\0' ? ": " : "", from->detail,
	    dg_dmarc_disposition_str(v->disposition));
}

/* Result order for ties in the strictest-domain choice. */
static int
result_rank(enum dg_dmarc_result r)
{
	switch (r) {
	case DG_DMARC_RESULT_FAIL:	return 4;
	case DG_DMARC_RESULT_TEMPERROR:	return 3;
	case DG_DMARC_RESULT_NONE:	return 2;
	default:			return 1;
	}
}

static enum dg_err
eval_multi(struct eval *ev, const struct dg_msg_from *from,
    struct dg_dmarc_verdict *v)
{
	struct dg_dmarc_verdict		 one, best;
	struct dg_dmarc_domain_result	*dr;
	char				 norm[NAME_BUF];
	const char			*d;
	size_t				 i, k;
	enum dg_err			 err;

	for (i = 0; i < from->nmb; i++) {
		if (from->mb[i]->problem != DG_MSG_ADDR_P_NONE) {
			bad_from(ev, from, v);
			reason(v, "a From mailbox has an unusable domain (%s)",
			    dg_msg_addr_problem_str(from->mb[i]->problem));
			return DG_OK;
		}
	}
	if (from->ndomains == 0) {
		bad_from(ev, from, v);
		return DG_OK;
	}
	if ((dr = dg_arena_calloc(ev->a, from->ndomains, sizeof(*dr))) ==
	    NULL)
		return dg_arena_err(ev->a);
	memset(&best, 0, sizeof(best));
	for (i = 0; i < from->ndomains; i++) {
		memset(&one, 0, sizeof(one));
		one.mode = ev->o.mode;
		if (dg_domain_normalize(from->domains[i], norm, sizeof(norm)) !=
		    DG_OK) {
			bad_from(ev, from, v);
			return DG_OK;
		}
		if ((d = dg_arena_strdup(ev->a, norm)) == NULL)
			return dg_arena_err(ev->a);
		if ((err = eval_domain(ev, d, &one)) != DG_OK)
			return err;
		dr[i].domain = d;
		dr[i].result = one.result;
		dr[i].disposition = one.disposition;
		dr[i].policy = one.policy;
		if (i == 0 || one.disposition > best.disposition ||
		    (one.disposition == best.disposition &&
		    result_rank(one.result) > result_rank(best.result)))
			best = one;
	}
	*v = best;
	v->domains = dr;
	v->ndomains = from->ndomains;
	if (from->ndomains > 1) {
		/* Put the multi-domain note first, keep the chosen reasons. */
		memmove(v->reasons[1], v->reasons[0],
		    sizeof(v->reasons[0]) * (DG_DMARC_REASONS_MAX - 1));
		if (v->nreasons == DG_DMARC_REASONS_MAX)
			v->reasons_dropped++;
		else
			v->nreasons++;
		k = from->ndomains;
		(void)snprintf(v->reasons[0], DG_DETAIL_MAX, "From has %zu "
		    "mailboxes in %zu domains: each evaluated, the strictest "
		    "(%s) applies", from->nmb, k, v->from_domain);
	}
	return DG_OK;
}

enum dg_err
dg_dmarc_evaluate(struct dg_resolver *res, struct dg_arena *a,
    const struct dg_dmarc_eval_input *in,
    const struct dg_dmarc_eval_opts *opts, struct dg_dmarc_verdict *out)
{
	struct eval		 ev;
	struct dg_dmarc_verdict	 v;
	const struct dg_msg_from *from;
	enum dg_err		 err;

	if (res == NULL || a == NULL || in == NULL || in->from == NULL ||
	    out == NULL || (in->ndkim > 0 && in->dkim == NULL))
		return DG_EINVAL;
	memset(&ev, 0, sizeof(ev));
	ev.res = res;
	ev.a = a;
	ev.in = in;
	if (opts != NULL)
		ev.o = *opts;
	if (ev.o.mode == DG_DMARC_MODE_RFC7489 && ev.o.psl == NULL)
		return DG_EINVAL;
	memset(&v, 0, sizeof(v));
	v.mode = ev.o.mode;
	v.pct = 100;
	from = in->from;

	switch (from->status) {
	case DG_MSG_FROM_OK:
	case DG_MSG_FROM_MULTIPLE_MAILBOXES:
		err = eval_multi(&ev, from, &v);
		if (err != DG_OK)
			return err;
		break;
	default:
		/* none, several fields, unparseable, no mailbox, bad domain */
		bad_from(&ev, from, &v);
		break;
	}
	*out = v;
	return DG_OK;
}
