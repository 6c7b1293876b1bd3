/*
 * lib/spf/spf_analyze.c -- static analysis of a domain's SPF policy for
 * "check": the record and everything its include: and redirect= reach,
 * without a client address.
 *
 * It counts the DNS-querying terms (RFC 7208 4.6.4) along every branch,
 * which is the worst case an evaluation can use, looks up a, mx and
 * exists targets to find void lookups (4.6.4), and lists risky terms:
 * "+all", "?all", "~all", "ptr" (5.5: do not use), includes and
 * redirects of names without a record (5.2, 6.1: permerror), loops.
 * Targets with macros depend on the message and are not followed.  The
 * walk is bounded by DG_SPF_MAX_DEPTH and DG_SPF_ANALYZE_MAX_RECORDS.
 */
#include <stdio.h>
#include <string.h>

#include "spf/spf_int.h"
#include "util/limits.h"
#include "util/str.h"

struct analyzer {
	struct dg_resolver	*res;
	struct dg_arena		*a;
	struct dg_spf_analysis	*out;
	const char		*chain[DG_SPF_MAX_DEPTH + 1];
	unsigned		 records;
	bool			 permerror;
	bool			 temperror;
};

static struct dg_spf_issue *
issue(struct analyzer *an, enum dg_spf_issue_code code, const char *domain,
    const struct spf_term *t, size_t pos, unsigned depth)
{
	struct dg_spf_analysis	*o = an->out;
	struct dg_spf_issue	*is;
	size_t			 n;

	switch (code) {
	case DG_SPF_I_MULTIPLE:
	case DG_SPF_I_SYNTAX:
	case DG_SPF_I_TOO_MANY_LOOKUPS:
	case DG_SPF_I_TOO_MANY_VOIDS:
	case DG_SPF_I_INCLUDE_NONE:
	case DG_SPF_I_REDIRECT_NONE:
	case DG_SPF_I_LOOP:
	case DG_SPF_I_TOO_DEEP:
	case DG_SPF_I_MX_LIMIT:
		an->permerror = true;	/* evaluation would say permerror */
		break;
	case DG_SPF_I_DNS_ERROR:
		an->temperror = true;
		break;
	default:
		break;			/* advice only */
	}
	if (o->issues_len == DG_SPF_ISSUES_MAX) {
		o->issues_dropped++;
		return NULL;
	}
	is = &o->issues[o->issues_len++];
	is->code = code;
	dg_strlcpy(is->domain, domain, sizeof(is->domain));
	if (t != NULL) {
		n = t->text.len < sizeof(is->term) ? t->text.len :
		    sizeof(is->term) - 1;
		memcpy(is->term, t->text.p, n);
		is->term[n] = '\0';
		pos = t->pos;
	}
	is->pos = pos;
	is->depth = depth;
	return is;
}

static enum dg_err
lookup(struct analyzer *an, const char *name, enum dg_dns_type type,
    unsigned depth, struct dg_dns_answer *ans)
{
	struct dg_spf_analysis	*o = an->out;

	return spf_traced_query(an->res, an->a, name, type, depth, o->trace,
	    &o->trace_len, &o->lookups, ans);
}

static bool
has_macro(const struct spf_term *t)
{
	return memchr(t->spec.p, '%', t->spec.len) != NULL;
}

/* The target of a term without macros, as a C string (final dot cut). */
static const char *
plain_target(struct analyzer *an, const struct spf_term *t,
    const char *domain)
{
	size_t	len = t->spec.len;

	if (!t->has_spec)
		return domain;
	if (len > 0 && t->spec.p[len - 1] == '.')
		len--;
	return dg_arena_strndup(an->a, t->spec.p, len);
}

/* a, mx, exists: is the target void (4.6.4)? */
static enum dg_err
check_void(struct analyzer *an, const struct spf_term *t, const char *domain,
    unsigned depth)
{
	struct dg_dns_answer	 ans;
	const char		*name;
	enum dg_dns_type	 type;
	enum dg_err		 err;

	if (t->has_spec && has_macro(t))
		return DG_OK;
	name = plain_target(an, t, domain);
	if (name == NULL)
		return dg_arena_err(an->a);
	type = t->kind == SPF_T_MX ? DG_DNS_T_MX : DG_DNS_T_A;
	err = lookup(an, name, type, depth, &ans);
	if (err != DG_OK)
		return err;
	switch (ans.status) {
	case DG_DNS_OK:
		if (t->kind == SPF_T_MX && ans.count > DG_SPF_MAX_MX_NAMES)
			issue(an, DG_SPF_I_MX_LIMIT, domain, t, 0, depth);
		/* An IPv6-only a target is not void for IPv6 clients. */
		if (t->kind == SPF_T_A && ans.count == 0)
			break;
		return DG_OK;
	case DG_DNS_NXDOMAIN:
	case DG_DNS_NODATA:
		if (t->kind == SPF_T_A) {
			err = lookup(an, name, DG_DNS_T_AAAA, depth, &ans);
			if (err != DG_OK)
				return err;
			if (ans.status == DG_DNS_OK && ans.count > 0)
				return DG_OK;
		}
		break;
	default:
		issue(an, DG_SPF_I_DNS_ERROR, domain, t, 0, depth);
		return DG_OK;
	}
	an->out->void_lookups++;
	issue(an, DG_SPF_I_VOID_LOOKUP, domain, t, 0, depth);
	return DG_OK;
}

static enum dg_err walk(struct analyzer *an, const char *domain,
    unsigned depth, const struct spf_term *via, const char *via_domain);

static enum dg_err
follow(struct analyzer *an, const struct spf_term *t, const char *domain,
    unsigned depth)
{
	const char	*name;
	unsigned	 i;

	if (has_macro(t)) {
		issue(an, DG_SPF_I_MACRO, domain, t, 0, depth);
		return DG_OK;
	}
	name = plain_target(an, t, domain);
	if (name == NULL)
		return dg_arena_err(an->a);
	for (i = 0; i <= depth; i++) {
		if (dg_strcaseeq(an->chain[i], name)) {
			issue(an, DG_SPF_I_LOOP, domain, t, 0, depth);
			return DG_OK;
		}
	}
	if (depth + 1 > DG_SPF_MAX_DEPTH ||
	    an->records >= DG_SPF_ANALYZE_MAX_RECORDS) {
		issue(an, DG_SPF_I_TOO_DEEP, domain, t, 0, depth);
		return DG_OK;
	}
	return walk(an, name, depth + 1, t, domain);
}

/*
 * One record: fetch, parse, count, recurse.  via is the include or
 * redirect term that led here (NULL for the domain asked).
 */
static enum dg_err
walk(struct analyzer *an, const char *domain, unsigned depth,
    const struct spf_term *via, const char *via_domain)
{
	struct dg_dns_answer	 ans;
	struct spf_record	 rec;
	struct dg_spf_syntax	 syn;
	const char		*text = NULL, *txt;
	size_t			 len = 0, tlen, i, found = 0;
	enum dg_err		 err;
	bool			 top = via == NULL ||
	    via->kind == SPF_T_REDIRECT;

	an->chain[depth] = domain;
	an->records++;
	err = lookup(an, domain, DG_DNS_T_TXT, depth, &ans);
	if (err != DG_OK)
		return err;
	if (ans.status != DG_DNS_OK && ans.status != DG_DNS_NXDOMAIN &&
	    ans.status != DG_DNS_NODATA) {
		issue(an, DG_SPF_I_DNS_ERROR, domain, NULL, 0, depth);
		return DG_OK;
	}
	for (i = 0; ans.status == DG_DNS_OK && i < ans.count; i++) {
		if (ans.rrs[i].type != DG_DNS_T_TXT)
			continue;
		txt = dg_dns_txt_join(an->a, &ans.rrs[i], &tlen);
		if (txt == NULL)
			return dg_arena_err(an->a);
		if (spf_is_record(txt, tlen) && found++ == 0) {
			text = txt;
			len = tlen;
		}
	}
	if (found == 0) {
		if (via == NULL)
			issue(an, DG_SPF_I_NO_RECORD, domain, NULL, 0, depth);
		else
			issue(an, via->kind == SPF_T_INCLUDE ?
			    DG_SPF_I_INCLUDE_NONE : DG_SPF_I_REDIRECT_NONE,
			    via_domain, via, 0, depth - 1);
		return DG_OK;
	}
	if (depth == 0)
		dg_strlcpy(an->out->record, text, sizeof(an->out->record));
	if (found > 1) {
		issue(an, DG_SPF_I_MULTIPLE, domain, NULL, 0, depth);
		return DG_OK;
	}
	err = spf_record_parse(an->a, text, len, &rec, &syn);
	if (err == DG_ESYNTAX) {
		struct dg_spf_issue	*is;

		/* The term field carries the parser's message. */
		is = issue(an, DG_SPF_I_SYNTAX, domain, NULL, syn.pos, depth);
		if (is != NULL)
			dg_strlcpy(is->term, syn.message, sizeof(is->term));
		return DG_OK;
	}
	if (err != DG_OK)
		return err;
	if (depth > 0)
		an->out->includes++;

	for (i = 0; i < rec.nterms; i++) {
		const struct spf_term	*t = &rec.terms[i];

		err = DG_OK;
		switch (t->kind) {
		case SPF_T_ALL:
			/* +all anywhere lets anyone pass; the weak
			 * defaults matter only where they decide. */
			if (t->qual == DG_SPF_PASS)
				issue(an, DG_SPF_I_PASS_ALL, domain, t, 0,
				    depth);
			else if (top && t->qual == DG_SPF_NEUTRAL)
				issue(an, DG_SPF_I_NEUTRAL_ALL, domain, t, 0,
				    depth);
			else if (top && t->qual == DG_SPF_SOFTFAIL)
				issue(an, DG_SPF_I_SOFTFAIL_ALL, domain, t, 0,
				    depth);
			break;
		case SPF_T_INCLUDE:
			an->out->dns_lookups++;
			err = follow(an, t, domain, depth);
			break;
		case SPF_T_A:
		case SPF_T_MX:
		case SPF_T_EXISTS:
			an->out->dns_lookups++;
			err = check_void(an, t, domain, depth);
			break;
		case SPF_T_PTR:
			an->out->dns_lookups++;
			issue(an, DG_SPF_I_PTR, domain, t, 0, depth);
			break;
		default:
			break;	/* ip4, ip6, modifiers: no DNS */
		}
		if (err != DG_OK)
			return err;
	}
	if (rec.redirect != NULL && !rec.has_all) {
		an->out->dns_lookups++;
		return follow(an, rec.redirect, domain, depth);
	}
	if (top && !rec.has_all && rec.redirect == NULL)
		issue(an, DG_SPF_I_NO_ALL, domain, NULL, 0, depth);
	return DG_OK;
}

enum dg_err
dg_spf_analyze(struct dg_resolver *res, const char *domain,
    struct dg_spf_analysis *out)
{
	struct analyzer		 an;
	struct dg_spf_analysis	*o = NULL;
	enum dg_err		 err = DG_OK;
	size_t			 len;

	if (res == NULL || domain == NULL || out == NULL)
		return DG_EINVAL;
	memset(&an, 0, sizeof(an));
	an.res = res;
	an.a = dg_arena_new(0);
	if (an.a != NULL)
		o = dg_arena_calloc(an.a, 1, sizeof(*o));
	if (o == NULL) {
		err = DG_ENOMEM;
		goto out;
	}
	an.out = o;
	len = strlen(domain);
	if (!spf_domain_valid(domain, len)) {
		issue(&an, DG_SPF_I_NO_RECORD, domain, NULL, 0, 0);
		o->result = DG_SPF_NONE;
		*out = *o;
		goto out;
	}
	err = walk(&an, domain, 0, NULL, NULL);
	if (err != DG_OK)
		goto out;
	if (o->dns_lookups > DG_SPF_MAX_DNS_MECH)
		issue(&an, DG_SPF_I_TOO_MANY_LOOKUPS, domain, NULL, 0, 0);
	if (o->void_lookups > DG_SPF_MAX_VOID)
		issue(&an, DG_SPF_I_TOO_MANY_VOIDS, domain, NULL, 0, 0);
	if (o->record[0] == '\0')
		o->result = an.temperror ? DG_SPF_TEMPERROR : DG_SPF_NONE;
	else if (an.permerror)
		o->result = DG_SPF_PERMERROR;
	else if (an.temperror)
		o->result = DG_SPF_TEMPERROR;
	else
		o->result = DG_SPF_NEUTRAL;
	*out = *o;
out:
	dg_arena_free(an.a);
	return err;
}
