/*
 * lib/spf/spf_eval.c -- check_host(), RFC 7208 4 to 6, and the public
 * dg_spf_check().
 *
 * One struct spf_eval carries everything an evaluation uses: the lookup
 * budgets of 4.6.4 (never globals), the arena for DNS answers and names,
 * the macro values and the verdict being filled.  A term that ends the
 * evaluation (temperror, permerror, a limit) calls finish(); the first
 * cause wins and every loop above it stops.  Recursion through include
 * and redirect is bounded by the 10-term budget and DG_SPF_MAX_DEPTH.
 *
 * Deliberate choices (docs/internals/spf.md): a "ptr" whose PTR lookup
 * fails does not match (5.5 says so) instead of temperror; %{p} lookups
 * do not count against the 10-term budget (they are not terms); names
 * that expansion makes invalid for DNS (empty label, label over 63)
 * are looked up as if they did not exist.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "spf/spf_int.h"
#include "util/limits.h"
#include "util/str.h"

_Static_assert(DG_SPF_EXPLANATION_MAX == DG_SPF_EXP_MAX,
    "spf.h and limits.h disagree on the explanation size");
_Static_assert(DG_SPF_TRACE_LEN == DG_SPF_TRACE_MAX,
    "spf.h and limits.h disagree on the trace size");

/* What one domain's record concluded. */
struct spf_outcome {
	enum dg_spf_result	result;
	enum dg_spf_reason	reason;
};

struct spf_eval {
	struct dg_resolver	*res;
	struct dg_arena		*a;
	struct dg_spf_verdict	*v;
	struct spf_macro_env	 env;
	struct dg_buf		 mbuf;		/* macro scratch */
	struct spf_pcache	*pc;		/* NULL: parse every time */
	unsigned		 depth;		/* include + redirect */
	unsigned		 incl;		/* include nesting only */
	bool			 done;
	struct spf_outcome	 final;
	/* %{p}: validated names of the client, fetched once. */
	bool			 p_fetched;
	size_t			 p_count;
	const char		*p_names[DG_SPF_MAX_PTR_NAMES];
};

static void
finish(struct spf_eval *ev, enum dg_spf_result r, enum dg_spf_reason why,
    const char *fmt, ...) DG_PRINTF(4, 5);

static void
finish(struct spf_eval *ev, enum dg_spf_result r, enum dg_spf_reason why,
    const char *fmt, ...)
{
	va_list	ap;

	if (ev->done)
		return;		/* the first cause is the one reported */
	ev->done = true;
	ev->final.result = r;
	ev->final.reason = why;
	va_start(ap, fmt);
	vsnprintf(ev->v->detail, sizeof(ev->v->detail), fmt, ap);
	va_end(ap);
}

/*
 * One DNS query, traced.  A name that cannot be a DNS name (empty label,
 * over 63 octets) can have no records: it reads as NXDOMAIN.
 */
enum dg_err
spf_traced_query(struct dg_resolver *res, struct dg_arena *a,
    const char *name, enum dg_dns_type type, unsigned depth,
    struct dg_spf_lookup *trace, size_t *trace_len, unsigned *lookups,
    struct dg_dns_answer *ans)
{
	enum dg_err	err;

	err = dg_dns_query(res, name, type, a, ans);
	if (err == DG_EINVAL) {
		memset(ans, 0, sizeof(*ans));
		ans->status = DG_DNS_NXDOMAIN;
		err = DG_OK;
	}
	if (err != DG_OK)
		return err;
	(*lookups)++;
	if (*trace_len < DG_SPF_TRACE_LEN) {
		struct dg_spf_lookup	*l = &trace[(*trace_len)++];

		dg_strlcpy(l->name, name, sizeof(l->name));
		l->type = type;
		l->status = ans->status;
		l->count = (unsigned)ans->count;
		l->depth = depth;
	}
	return DG_OK;
}

static enum dg_err
lookup(struct spf_eval *ev, const char *name, enum dg_dns_type type,
    struct dg_dns_answer *ans)
{
	struct dg_spf_verdict	*v = ev->v;

	return spf_traced_query(ev->res, ev->a, name, type, ev->depth,
	    v->trace, &v->trace_len, &v->lookups, ans);
}

static bool
dns_failed(enum dg_dns_status s)
{
	return s != DG_DNS_OK && s != DG_DNS_NXDOMAIN && s != DG_DNS_NODATA;
}

/* 4.6.4: each include a mx ptr exists redirect costs one of ten. */
static bool
take_dns_term(struct spf_eval *ev, const struct spf_term *t)
{
	if (ev->v->dns_queries >= DG_SPF_MAX_DNS_MECH) {
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_DNS_LIMIT,
		    "more than %d DNS-querying terms at %.*s",
		    DG_SPF_MAX_DNS_MECH, (int)t->text.len, t->text.p);
		return false;
	}
	ev->v->dns_queries++;
	return true;
}

/* 4.6.4: a lookup with no answer (NXDOMAIN or NODATA) is void. */
static void
count_void(struct spf_eval *ev, const struct dg_dns_answer *ans,
    const struct spf_term *t)
{
	if (ans->status == DG_DNS_OK && ans->count > 0)
		return;
	if (ans->status != DG_DNS_OK && ans->status != DG_DNS_NXDOMAIN &&
	    ans->status != DG_DNS_NODATA)
		return;
	ev->v->void_lookups++;
	if (ev->v->void_lookups > DG_SPF_MAX_VOID)
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_VOID_LIMIT,
		    "more than %d void lookups at %.*s", DG_SPF_MAX_VOID,
		    (int)t->text.len, t->text.p);
}

static enum dg_err	get_p(void *ctx, struct dg_span *out);

/*
 * Expand a domain-spec into a lookup name (7.3 truncation applied), or
 * the current domain when the term has none.  NULL *name with
 * ev->done set: permerror.
 */
static enum dg_err
target_name(struct spf_eval *ev, const struct spf_term *t,
    const char *domain, const char **name)
{
	enum spf_macro_fail	 why;
	enum dg_err		 err;
	const char		*s;
	size_t			 len;

	*name = NULL;
	if (!t->has_spec) {
		*name = domain;
		return DG_OK;
	}
	ev->env.domain.p = domain;
	ev->env.domain.len = strlen(domain);
	err = spf_macro_expand(&ev->env, t->spec.p, t->spec.len, false,
	    &ev->mbuf, &why);
	if (err == DG_ESYNTAX || err == DG_ETOOBIG) {
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_MACRO,
		    "macro expansion failed in %.*s", (int)t->text.len,
		    t->text.p);
		return DG_OK;
	}
	if (err != DG_OK)
		return err;
	len = ev->mbuf.len;
	if (!spf_name_trim(dg_buf_str(&ev->mbuf), &len, &s)) {
		/* Nothing left to look up: a name that cannot exist. */
		*name = "";
		return DG_OK;
	}
	*name = dg_arena_strndup(ev->a, s, len);
	if (*name == NULL)
		return dg_arena_err(ev->a);
	return DG_OK;
}

/* Does ans hold an address matching the client within the CIDR? */
static bool
addr_match(const struct spf_eval *ev, const struct dg_dns_answer *ans,
    const struct spf_term *t)
{
	struct dg_ip	ip;
	size_t		i;

	if (ans->status != DG_DNS_OK)
		return false;
	memset(&ip, 0, sizeof(ip));
	for (i = 0; i < ans->count; i++) {
		const struct dg_dns_rr	*rr = &ans->rrs[i];

		if (rr->type == DG_DNS_T_A) {
			ip.family = DG_IP_V4;
			memcpy(ip.addr, rr->u.a, 4);
			if (dg_ip_prefix_eq(&ip, &ev->env.ip, t->cidr4))
				return true;
		} else if (rr->type == DG_DNS_T_AAAA) {
			ip.family = DG_IP_V6;
			memcpy(ip.addr, rr->u.aaaa, 16);
			if (dg_ip_prefix_eq(&ip, &ev->env.ip, t->cidr6))
				return true;
		}
	}
	return false;
}

static enum dg_dns_type
addr_type(const struct spf_eval *ev)
{
	return ev->env.ip.family == DG_IP_V6 ? DG_DNS_T_AAAA : DG_DNS_T_A;
}

static void
temperror(struct spf_eval *ev, const struct dg_dns_answer *ans,
    const char *name, enum dg_dns_type type)
{
	finish(ev, DG_SPF_TEMPERROR, DG_SPF_R_DNS_ERROR, "%s %s: %s",
	    name, dg_dns_type_str(type), dg_dns_status_str(ans->status));
}

/* 5.3 "a": an address of the target matches within the CIDR. */
static enum dg_err
eval_a(struct spf_eval *ev, const struct spf_term *t, const char *domain,
    bool *matched)
{
	struct dg_dns_answer	 ans;
	const char		*name;
	enum dg_err		 err;

	if (!take_dns_term(ev, t))
		return DG_OK;
	err = target_name(ev, t, domain, &name);
	if (err != DG_OK || ev->done)
		return err;
	err = lookup(ev, name, addr_type(ev), &ans);
	if (err != DG_OK)
		return err;
	if (dns_failed(ans.status)) {
		temperror(ev, &ans, name, addr_type(ev));
		return DG_OK;
	}
	count_void(ev, &ans, t);
	*matched = !ev->done && addr_match(ev, &ans, t);
	return DG_OK;
}

/*
 * 5.4 "mx": an address of one of the target's MX hosts matches.  More
 * than 10 MX names is permerror (4.6.4); no implicit MX (5.4).
 */
static enum dg_err
eval_mx(struct spf_eval *ev, const struct spf_term *t, const char *domain,
    bool *matched)
{
	struct dg_dns_answer	 mx, ans;
	const char		*name;
	enum dg_err		 err;
	size_t			 i;

	if (!take_dns_term(ev, t))
		return DG_OK;
	err = target_name(ev, t, domain, &name);
	if (err != DG_OK || ev->done)
		return err;
	err = lookup(ev, name, DG_DNS_T_MX, &mx);
	if (err != DG_OK)
		return err;
	if (dns_failed(mx.status)) {
		temperror(ev, &mx, name, DG_DNS_T_MX);
		return DG_OK;
	}
	count_void(ev, &mx, t);
	if (ev->done || mx.status != DG_DNS_OK)
		return DG_OK;
	if (mx.count > DG_SPF_MAX_MX_NAMES) {
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_MX_LIMIT,
		    "%s has %zu MX records, more than %d", name, mx.count,
		    DG_SPF_MAX_MX_NAMES);
		return DG_OK;
	}
	for (i = 0; i < mx.count; i++) {
		const char	*host = mx.rrs[i].u.mx.host;

		if (mx.rrs[i].type != DG_DNS_T_MX || host == NULL ||
		    host[0] == '\0')
			continue;	/* null MX "." has no address */
		err = lookup(ev, host, addr_type(ev), &ans);
		if (err != DG_OK)
			return err;
		if (dns_failed(ans.status)) {
			temperror(ev, &ans, host, addr_type(ev));
			return DG_OK;
		}
		if (addr_match(ev, &ans, t)) {
			*matched = true;
			return DG_OK;
		}
	}
	return DG_OK;
}

/* The reverse-lookup name of the client: in-addr.arpa or ip6.arpa. */
static const char *
reverse_name(struct spf_eval *ev)
{
	static const char	 hex[] = "0123456789abcdef";
	const struct dg_ip	*ip = &ev->env.ip;
	char			 buf[80];
	size_t			 o = 0;
	int			 i;

	if (ip->family == DG_IP_V4)
		return dg_arena_printf(ev->a, "%u.%u.%u.%u.in-addr.arpa",
		    ip->addr[3], ip->addr[2], ip->addr[1], ip->addr[0]);
	for (i = 15; i >= 0; i--) {
		buf[o++] = hex[ip->addr[i] & 15];
		buf[o++] = '.';
		buf[o++] = hex[ip->addr[i] >> 4];
		buf[o++] = '.';
	}
	buf[o] = '\0';
	return dg_arena_printf(ev->a, "%sip6.arpa", buf);
}

/*
 * 5.5: the client's validated names, in PTR order: at most 10 PTR names
 * are tried (4.6.4), a name whose address lookup fails is skipped.
 * *status is the PTR lookup's status.
 */
static enum dg_err
validated_names(struct spf_eval *ev, const char **names, size_t *count,
    enum dg_dns_status *status, struct dg_dns_answer *ptr)
{
	struct dg_dns_answer	 ans;
	const char		*rev;
	enum dg_err		 err;
	size_t			 i, tried = 0;

	*count = 0;
	rev = reverse_name(ev);
	if (rev == NULL)
		return dg_arena_err(ev->a);
	err = lookup(ev, rev, DG_DNS_T_PTR, ptr);
	if (err != DG_OK)
		return err;
	*status = ptr->status;
	if (ptr->status != DG_DNS_OK)
		return DG_OK;
	for (i = 0; i < ptr->count && tried < DG_SPF_MAX_PTR_NAMES; i++) {
		const char	*host = ptr->rrs[i].u.name;

		if (ptr->rrs[i].type != DG_DNS_T_PTR || host == NULL)
			continue;
		tried++;
		err = lookup(ev, host, addr_type(ev), &ans);
		if (err != DG_OK)
			return err;
		if (ans.status != DG_DNS_OK)
			continue;
		{
			struct spf_term	full;

			memset(&full, 0, sizeof(full));
			full.cidr4 = 32;
			full.cidr6 = 128;
			if (addr_match(ev, &ans, &full))
				names[(*count)++] = host;
		}
	}
	return DG_OK;
}

/* Is name equal to domain or a subdomain of it (case-insensitive)? */
static bool
in_domain(const char *name, const char *domain)
{
	size_t	n = strlen(name), d = strlen(domain);

	if (d > 0 && domain[d - 1] == '.')
		d--;
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n < d || !dg_memcaseeq(name + n - d, d, domain, d))
		return false;
	return n == d || name[n - d - 1] == '.';
}

/* 5.5 "ptr": a validated name of the client is in the target domain. */
static enum dg_err
eval_ptr(struct spf_eval *ev, const struct spf_term *t, const char *domain,
    bool *matched)
{
	struct dg_dns_answer	 ptr;
	const char		*names[DG_SPF_MAX_PTR_NAMES];
	const char		*name;
	enum dg_dns_status	 st;
	enum dg_err		 err;
	size_t			 n, i;

	if (!take_dns_term(ev, t))
		return DG_OK;
	err = target_name(ev, t, domain, &name);
	if (err != DG_OK || ev->done)
		return err;
	err = validated_names(ev, names, &n, &st, &ptr);
	if (err != DG_OK)
		return err;
	/* 5.5: a failed PTR lookup makes "ptr" not match; no temperror. */
	count_void(ev, &ptr, t);
	if (ev->done)
		return DG_OK;
	for (i = 0; i < n; i++) {
		if (in_domain(names[i], name)) {
			*matched = true;
			break;
		}
	}
	return DG_OK;
}

/* 5.7 "exists": the expanded name has an A record, whatever the client. */
static enum dg_err
eval_exists(struct spf_eval *ev, const struct spf_term *t,
    const char *domain, bool *matched)
{
	struct dg_dns_answer	 ans;
	const char		*name;
	enum dg_err		 err;

	if (!take_dns_term(ev, t))
		return DG_OK;
	err = target_name(ev, t, domain, &name);
	if (err != DG_OK || ev->done)
		return err;
	err = lookup(ev, name, DG_DNS_T_A, &ans);
	if (err != DG_OK)
		return err;
	if (dns_failed(ans.status)) {
		temperror(ev, &ans, name, DG_DNS_T_A);
		return DG_OK;
	}
	count_void(ev, &ans, t);
	*matched = !ev->done && ans.status == DG_DNS_OK && ans.count > 0;
	return DG_OK;
}

static enum dg_err	check_domain(struct spf_eval *ev, const char *domain,
			    struct spf_outcome *out);

/*
 * RFC 7208 5.2: "include:".  Only pass from the target is a match; its
 * temperror and permerror end the evaluation, and none becomes permerror.
 */
static enum dg_err
eval_include(struct spf_eval *ev, const struct spf_term *t,
    const char *domain, bool *matched)
{
	struct spf_outcome	 sub;
	const char		*name;
	enum dg_err		 err;

	if (!take_dns_term(ev, t))
		return DG_OK;
	if (ev->depth >= DG_SPF_MAX_DEPTH) {
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_DEPTH,
		    "include nesting over %d", DG_SPF_MAX_DEPTH);
		return DG_OK;
	}
	err = target_name(ev, t, domain, &name);
	if (err != DG_OK || ev->done)
		return err;
	if (!spf_domain_valid(name, strlen(name))) {
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_BAD_TARGET,
		    "include target \"%s\" is not a domain name", name);
		return DG_OK;
	}
	ev->depth++;
	ev->incl++;
	err = check_domain(ev, name, &sub);
	ev->incl--;
	ev->depth--;
	if (err != DG_OK)
		return err;

	switch (sub.result) {
	case DG_SPF_PASS:
		*matched = true;
		break;
	case DG_SPF_TEMPERROR:
	case DG_SPF_PERMERROR:
		finish(ev, sub.result, sub.reason, "include:%s: %s", name,
		    dg_spf_result_str(sub.result));
		break;
	case DG_SPF_NONE:
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_INCLUDE_NONE,
		    "include:%s has no SPF record", name);
		break;
	default:
		break;		/* fail, softfail, neutral: not a match */
	}
	return DG_OK;
}

static enum dg_err
eval_term(struct spf_eval *ev, const struct spf_term *t, const char *domain,
    bool *matched)
{
	*matched = false;
	switch (t->kind) {
	case SPF_T_ALL:
		*matched = true;
		return DG_OK;
	case SPF_T_INCLUDE:
		return eval_include(ev, t, domain, matched);
	case SPF_T_A:
		return eval_a(ev, t, domain, matched);
	case SPF_T_MX:
		return eval_mx(ev, t, domain, matched);
	case SPF_T_PTR:
		return eval_ptr(ev, t, domain, matched);
	case SPF_T_IP4:
		*matched = dg_ip_prefix_eq(&t->ip, &ev->env.ip, t->cidr4);
		return DG_OK;
	case SPF_T_IP6:
		*matched = dg_ip_prefix_eq(&t->ip, &ev->env.ip, t->cidr6);
		return DG_OK;
	case SPF_T_EXISTS:
		return eval_exists(ev, t, domain, matched);
	default:
		return DG_OK;	/* modifiers are not evaluated in order */
	}
}

/*
 * 6.2: fetch and expand the explanation.  Any problem (DNS error, not
 * exactly one TXT record, macro error) means no explanation; the result
 * stays fail.  exp lookups do not count against the limits (4.6.4).
 */
static enum dg_err
explain(struct spf_eval *ev, const struct spf_record *rec, const char *domain)
{
	struct dg_dns_answer	 ans;
	enum spf_macro_fail	 why;
	enum dg_err		 err;
	const char		*name, *txt, *s;
	size_t			 len;

	if (rec->exp == NULL)
		return DG_OK;
	ev->env.domain.p = domain;
	ev->env.domain.len = strlen(domain);
	err = spf_macro_expand(&ev->env, rec->exp->spec.p, rec->exp->spec.len,
	    false, &ev->mbuf, &why);
	if (err == DG_ESYNTAX || err == DG_ETOOBIG)
		return DG_OK;
	if (err != DG_OK)
		return err;
	len = ev->mbuf.len;
	if (!spf_name_trim(dg_buf_str(&ev->mbuf), &len, &s))
		return DG_OK;
	name = dg_arena_strndup(ev->a, s, len);
	if (name == NULL)
		return dg_arena_err(ev->a);
	err = lookup(ev, name, DG_DNS_T_TXT, &ans);
	if (err != DG_OK)
		return err;
	if (ans.status != DG_DNS_OK || ans.count != 1)
		return DG_OK;
	txt = dg_dns_txt_join(ev->a, &ans.rrs[0], &len);
	if (txt == NULL)
		return dg_arena_err(ev->a);
	ev->env.domain.p = domain;
	ev->env.domain.len = strlen(domain);
	err = spf_macro_expand(&ev->env, txt, len, true, &ev->mbuf, &why);
	if (err == DG_ESYNTAX || err == DG_ETOOBIG)
		return DG_OK;
	if (err != DG_OK)
		return err;
	dg_strlcpy(ev->v->explanation, dg_buf_str(&ev->mbuf),
	    sizeof(ev->v->explanation));
	return DG_OK;
}

static void
set_mechanism(struct spf_eval *ev, const struct spf_term *t)
{
	size_t	n = t->text.len;

	if (ev->incl > 0)
		return;		/* only the top record's term is reported */
	if (n >= sizeof(ev->v->mechanism))
		n = sizeof(ev->v->mechanism) - 1;
	memcpy(ev->v->mechanism, t->text.p, n);
	ev->v->mechanism[n] = '\0';
}

/*
 * 4.4, 4.5: fetch domain's TXT records and pick the one v=spf1 record.
 * *rec_text NULL with *out set when there is none or several.
 */
static enum dg_err
fetch_record(struct spf_eval *ev, const char *domain, const char **rec_text,
    size_t *rec_len, struct spf_outcome *out)
{
	struct dg_dns_answer	 ans;
	enum dg_err		 err;
	size_t			 i, found = 0, len;

	*rec_text = NULL;
	err = lookup(ev, domain, DG_DNS_T_TXT, &ans);
	if (err != DG_OK)
		return err;
	switch (ans.status) {
	case DG_DNS_OK:
		break;
	case DG_DNS_NXDOMAIN:
		out->result = DG_SPF_NONE;
		out->reason = DG_SPF_R_NO_DOMAIN;
		return DG_OK;
	case DG_DNS_NODATA:
		out->result = DG_SPF_NONE;
		out->reason = DG_SPF_R_NO_RECORD;
		return DG_OK;
	default:
		/* 4.4: SERVFAIL, timeout, bad answer: temperror. */
		out->result = DG_SPF_TEMPERROR;
		out->reason = DG_SPF_R_DNS_ERROR;
		temperror(ev, &ans, domain, DG_DNS_T_TXT);
		return DG_OK;
	}
	for (i = 0; i < ans.count; i++) {
		const char	*txt;

		if (ans.rrs[i].type != DG_DNS_T_TXT)
			continue;
		txt = dg_dns_txt_join(ev->a, &ans.rrs[i], &len);
		if (txt == NULL)
			return dg_arena_err(ev->a);
		if (!spf_is_record(txt, len))
			continue;
		if (++found == 1) {
			*rec_text = txt;
			*rec_len = len;
		}
	}
	if (found == 0) {
		out->result = DG_SPF_NONE;
		out->reason = DG_SPF_R_NO_RECORD;
	} else if (found > 1) {
		*rec_text = NULL;
		out->result = DG_SPF_PERMERROR;
		out->reason = DG_SPF_R_MULTIPLE;
		if (ev->incl == 0 && ev->depth == 0)
			dg_fmt(ev->v->detail, sizeof(ev->v->detail),
			    "%s has %zu v=spf1 records", domain, found);
	}
	return DG_OK;
}

/* 6.1 "redirect=": the target's result is this record's result. */
static enum dg_err
eval_redirect(struct spf_eval *ev, const struct spf_term *t,
    const char *domain, struct spf_outcome *out)
{
	const char	*name;
	enum dg_err	 err;

	if (!take_dns_term(ev, t))
		return DG_OK;
	if (ev->depth >= DG_SPF_MAX_DEPTH) {
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_DEPTH,
		    "redirect nesting over %d", DG_SPF_MAX_DEPTH);
		return DG_OK;
	}
	err = target_name(ev, t, domain, &name);
	if (err != DG_OK || ev->done)
		return err;
	if (!spf_domain_valid(name, strlen(name))) {
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_BAD_TARGET,
		    "redirect target \"%s\" is not a domain name", name);
		return DG_OK;
	}
	ev->depth++;
	err = check_domain(ev, name, out);
	ev->depth--;
	if (err != DG_OK)
		return err;
	/* 6.1: no record at the target is permerror, not none. */
	if (out->result == DG_SPF_NONE)
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_REDIRECT_NONE,
		    "redirect=%s has no SPF record", name);
	return DG_OK;
}

/* check_host() for one domain (4.3 to 4.7). */
static enum dg_err
check_domain(struct spf_eval *ev, const char *domain, struct spf_outcome *out)
{
	struct spf_record	 rec;
	struct dg_spf_syntax	 syn;
	const char		*text;
	size_t			 len, i;
	enum dg_err		 err;
	bool			 matched;

	out->result = DG_SPF_NONE;
	out->reason = DG_SPF_R_BAD_DOMAIN;
	/* 4.3: a malformed or single-label domain gives none. */
	if (!spf_domain_valid(domain, strlen(domain)))
		return DG_OK;
	err = fetch_record(ev, domain, &text, &len, out);
	if (err != DG_OK || text == NULL)
		return err;
	err = spf_pcache_parse(ev->pc, ev->a, text, len, &rec, &syn);
	if (err == DG_ESYNTAX) {
		finish(ev, DG_SPF_PERMERROR, DG_SPF_R_SYNTAX,
		    "%s: %s at offset %zu", domain, syn.message, syn.pos);
		*out = ev->final;
		return DG_OK;
	}
	if (err != DG_OK)
		return err;

	for (i = 0; i < rec.nterms; i++) {
		const struct spf_term	*t = &rec.terms[i];

		err = eval_term(ev, t, domain, &matched);
		if (err != DG_OK)
			return err;
		if (ev->done) {
			*out = ev->final;
			return DG_OK;
		}
		if (!matched)
			continue;
		set_mechanism(ev, t);
		out->result = t->qual;
		out->reason = DG_SPF_R_MECHANISM;
		/* 6.2: the explanation of an included record is not used. */
		if (t->qual == DG_SPF_FAIL && ev->incl == 0)
			return explain(ev, &rec, domain);
		return DG_OK;
	}
	/* 6.1: redirect is ignored when the record has "all". */
	if (rec.redirect != NULL && !rec.has_all) {
		err = eval_redirect(ev, rec.redirect, domain, out);
		if (err == DG_OK && ev->done)
			*out = ev->final;
		return err;
	}
	out->result = DG_SPF_NEUTRAL;	/* 4.7 */
	out->reason = DG_SPF_R_DEFAULT;
	return DG_OK;
}

/* %{p} (7.3): a validated name in <domain>, else any, else "unknown". */
static enum dg_err
get_p(void *ctx, struct dg_span *out)
{
	struct spf_eval		*ev = ctx;
	struct dg_dns_answer	 ptr;
	enum dg_dns_status	 st;
	char			 dom[DG_DNS_NAME_MAX + 1];
	enum dg_err		 err;
	size_t			 i, n;
	const char		*pick = NULL;

	/* The domain span points into a buffer we may reuse; copy it. */
	n = ev->env.domain.len < sizeof(dom) ? ev->env.domain.len :
	    sizeof(dom) - 1;
	memcpy(dom, ev->env.domain.p, n);
	dom[n] = '\0';
	if (!ev->p_fetched) {
		ev->p_fetched = true;
		err = validated_names(ev, ev->p_names, &ev->p_count, &st,
		    &ptr);
		if (err != DG_OK)
			return err;
	}
	for (i = 0; i < ev->p_count && pick == NULL; i++)
		if (dg_strcaseeq(ev->p_names[i], dom))
			pick = ev->p_names[i];
	for (i = 0; i < ev->p_count && pick == NULL; i++)
		if (in_domain(ev->p_names[i], dom))
			pick = ev->p_names[i];
	if (pick == NULL && ev->p_count > 0)
		pick = ev->p_names[0];
	out->p = pick;
	out->len = pick != NULL ? strlen(pick) : 0;
	return DG_OK;
}

static struct dg_span
span_of(const char *s)
{
	struct dg_span	sp;

	sp.p = s != NULL ? s : "";
	sp.len = strlen(sp.p);
	return sp;
}

/*
 * dg_spf_check() with the parse cache pc (NULL: none).  With an arena to
 * reuse (dg_spf_check_many()), the evaluation works in it and resets it
 * at the end, and the verdict is built in *out directly, its unused trace
 * never touched; *out is then undefined on an error.
 */
static enum dg_err
check_one(struct dg_resolver *res, const struct dg_spf_query *q,
    struct dg_spf_verdict *out, struct spf_pcache *pc,
    struct dg_arena *reuse)
{
	struct spf_eval		 ev;
	struct spf_outcome	 o;
	struct dg_spf_verdict	*v = NULL;
	const char		*mf, *at, *domain, *local;
	char			*sender;
	enum dg_err		 err = DG_OK;

	if (res == NULL || q == NULL || out == NULL ||
	    q->client.family == DG_IP_UNSET)
		return DG_EINVAL;
	memset(&ev, 0, sizeof(ev));
	dg_buf_init(&ev.mbuf, DG_SPF_MACRO_MAX);
	ev.res = res;
	ev.pc = pc;
	if (reuse != NULL) {
		ev.a = reuse;
		v = out;
		memset(v, 0, offsetof(struct dg_spf_verdict, trace));
	} else {
		/* Built aside: *out is written only on success. */
		ev.a = dg_arena_new(0);
		if (ev.a != NULL)
			v = dg_arena_calloc(ev.a, 1, sizeof(*v));
	}
	if (v == NULL) {
		err = DG_ENOMEM;
		goto out;
	}
	ev.v = v;
	ev.env.ip = dg_ip_unmap(&q->client);	/* 5: v4-mapped is IPv4 */
	ev.env.helo = span_of(q->helo);
	ev.env.receiver = span_of(q->receiver);
	ev.env.now = q->now;
	ev.env.get_p = get_p;
	ev.env.ctx = &ev;

	/* 2.3, 2.4: the identity, and postmaster@HELO for a null path. */
	mf = q->mail_from != NULL ? q->mail_from : "";
	if (q->check_helo || mf[0] == '\0') {
		v->scope = q->check_helo ? DG_SPF_SCOPE_HELO :
		    DG_SPF_SCOPE_MFROM;
		local = "postmaster";
		domain = ev.env.helo.p;
		ev.env.local = span_of(local);
		ev.env.sender_dom = ev.env.helo;
	} else {
		v->scope = DG_SPF_SCOPE_MFROM;
		at = strrchr(mf, '@');
		if (at == NULL) {
			ev.env.local = span_of("postmaster");
			domain = mf;
		} else {
			ev.env.local.p = mf;
			ev.env.local.len = (size_t)(at - mf);
			if (ev.env.local.len == 0)
				ev.env.local = span_of("postmaster");
			domain = at + 1;
		}
		ev.env.sender_dom = span_of(domain);
	}
	/* %{s}: local-part "@" domain (7.3); built by hand, as this runs
	 * for every query. */
	ev.env.sender.len = ev.env.local.len + 1 + ev.env.sender_dom.len;
	sender = dg_arena_alloc(ev.a, ev.env.sender.len + 1);
	if (sender == NULL) {
		err = dg_arena_err(ev.a);
		goto out;
	}
	memcpy(sender, ev.env.local.p, ev.env.local.len);
	sender[ev.env.local.len] = '@';
	memcpy(sender + ev.env.local.len + 1, ev.env.sender_dom.p,
	    ev.env.sender_dom.len);
	sender[ev.env.sender.len] = '\0';
	ev.env.sender.p = sender;
	if (q->domain != NULL)
		domain = q->domain;
	dg_strlcpy(v->domain, domain, sizeof(v->domain));

	err = check_domain(&ev, domain, &o);
	if (err != DG_OK)
		goto out;
	if (ev.done)
		o = ev.final;
	v->result = o.result;
	v->reason = o.reason;
	if (v->detail[0] == '\0')
		dg_strlcpy(v->detail, dg_spf_reason_str(o.reason),
		    sizeof(v->detail));
	/* The trace entries past trace_len are not copied: a verdict is
	 * about 18 KiB, nearly all of it an unused trace. */
	if (v != out)
		memcpy(out, v, offsetof(struct dg_spf_verdict, trace) +
		    v->trace_len * sizeof(v->trace[0]));
out:
	dg_buf_free(&ev.mbuf);
	if (reuse != NULL)
		dg_arena_reset(reuse);
	else
		dg_arena_free(ev.a);
	return err;
}

enum dg_err
dg_spf_check(struct dg_resolver *res, const struct dg_spf_query *q,
    struct dg_spf_verdict *out)
{
	return check_one(res, q, out, NULL, NULL);
}

/*
 * The queries share a parse cache (spf_cache.c): the records they fetch
 * again are not parsed again.  Verdicts are the same as dg_spf_check()'s.
 */
enum dg_err
dg_spf_check_many(struct dg_resolver *res, const struct dg_spf_query *q,
    size_t n, struct dg_spf_verdict *out)
{
	struct spf_pcache	*pc;
	struct dg_arena		*a;
	enum dg_err		 err = DG_OK;
	size_t			 i;

	if (n == 0)
		return DG_OK;
	if (res == NULL || q == NULL || out == NULL)
		return DG_EINVAL;
	pc = spf_pcache_new();
	a = dg_arena_new(0);
	if (pc == NULL || a == NULL)
		err = DG_ENOMEM;
	/* One arena for all, reset after each query (its first block is
	 * kept), so an evaluation's memory is reused, not reallocated. */
	for (i = 0; i < n && err == DG_OK; i++)
		err = check_one(res, &q[i], &out[i], pc, a);
	dg_arena_free(a);
	spf_pcache_free(pc);
	return err;
}
