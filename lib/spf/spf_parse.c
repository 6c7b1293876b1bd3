/*
 * lib/spf/spf_parse.c -- the SPF record parser, RFC 7208 4.5, 4.6.1, 5,
 * 6 and the ABNF of 12.
 *
 * The whole record is checked before anything is evaluated (4.6: "If
 * there are any syntax errors anywhere in the record, check_host()
 * returns immediately with the result permerror"), macros and domain-end
 * included, so evaluation only ever sees valid terms.  Terms point into
 * the caller's text; nothing is copied but the term array.
 */
#include <string.h>

#include "spf/spf_int.h"
#include "util/limits.h"
#include "util/str.h"

#define VERSION		"v=spf1"
#define VERSION_LEN	6

bool
spf_is_record(const char *p, size_t len)
{
	if (len < VERSION_LEN || !dg_memcaseeq(p, VERSION_LEN, VERSION,
	    VERSION_LEN))
		return false;
	return len == VERSION_LEN || p[VERSION_LEN] == ' ';
}

static enum dg_err
syntax(struct dg_spf_syntax *syn, size_t pos, const char *msg)
{
	syn->ok = false;
	syn->pos = pos;
	dg_strlcpy(syn->message, msg, sizeof(syn->message));
	return DG_ESYNTAX;
}

/*
 * toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
 */
static bool
toplabel(const char *p, size_t len)
{
	size_t	i;
	bool	alpha = false, dash = false;

	if (len == 0 || !dg_isalnum((unsigned char)p[0]) ||
	    !dg_isalnum((unsigned char)p[len - 1]))
		return false;
	for (i = 0; i < len; i++) {
		if (dg_isalpha((unsigned char)p[i]))
			alpha = true;
		else if (p[i] == '-')
			dash = true;
		else if (!dg_isdigit((unsigned char)p[i]))
			return false;
	}
	return alpha || dash;
}

/*
 * domain-spec = macro-string domain-end
 * domain-end  = ( "." toplabel [ "." ] ) / macro-expand
 * Checked on the text as written: 7.1 says not after expansion.
 */
static bool
domain_spec_ok(const char *p, size_t len, size_t *bad)
{
	size_t	i = 0, lit = 0, end, dot;
	bool	last_macro = false;

	if (len == 0) {
		*bad = 0;
		return false;
	}
	if (!spf_macro_valid(p, len, false, bad))
		return false;
	/* Find where the trailing run of literal text starts. */
	while (i < len) {
		if (p[i] == '%') {
			/* Valid, so "%{...}" or a two-byte escape. */
			if (p[i + 1] == '{') {
				const char *c = memchr(p + i, '}', len - i);

				i = (size_t)(c - p) + 1;
			} else {
				i += 2;
			}
			last_macro = true;
			lit = i;
		} else {
			i++;
			last_macro = false;
		}
	}
	if (last_macro)
		return true;
	*bad = lit;
	end = len;
	if (p[end - 1] == '.')
		end--;
	for (dot = end; dot > lit && p[dot - 1] != '.'; dot--)
		;
	if (dot == lit)
		return false;		/* no "." toplabel */
	return toplabel(p + dot, end - dot);
}

/* "/" ( "0" / %x31-39 0*2DIGIT ), at most max. */
static bool
cidr_value(const char *p, size_t len, unsigned max, unsigned *out)
{
	uint64_t	v;

	if (len == 0 || len > 3 || (len > 1 && p[0] == '0'))
		return false;
	if (!dg_parse_uint(p, len, max, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

/* The length of a trailing "/" 1*DIGIT in s[0..len), or 0. */
static size_t
trailing_cidr(const char *s, size_t len)
{
	size_t	i = len;

	while (i > 0 && dg_isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == len || i == 0 || s[i - 1] != '/')
		return 0;
	return len - i + 1;
}

/*
 * dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ], cut
 * from the end of rest[0..*len).
 */
static bool
cut_dual_cidr(const char *rest, size_t *len, struct spf_term *t, size_t *bad)
{
	size_t	n;

	n = trailing_cidr(rest, *len);
	if (n > 0 && *len > n && rest[*len - n - 1] == '/') {
		*bad = *len - n - 1;
		if (!cidr_value(rest + *len - n + 1, n - 1, 128, &t->cidr6))
			return false;
		*len -= n + 1;
		n = trailing_cidr(rest, *len);
	}
	if (n > 0) {
		*bad = *len - n;
		if (!cidr_value(rest + *len - n + 1, n - 1, 32, &t->cidr4))
			return false;
		*len -= n;
	}
	return true;
}

static const struct {
	const char		*name;
	enum spf_term_kind	 kind;
} mechs[] = {
	{ "all", SPF_T_ALL }, { "include", SPF_T_INCLUDE },
	{ "a", SPF_T_A }, { "mx", SPF_T_MX }, { "ptr", SPF_T_PTR },
	{ "ip4", SPF_T_IP4 }, { "ip6", SPF_T_IP6 },
	{ "exists", SPF_T_EXISTS },
};

static enum dg_err
parse_modifier(struct spf_record *rec, struct spf_term *t, size_t name_len,
    size_t base, struct dg_spf_syntax *syn)
{
	const char	*p = t->text.p;
	size_t		 bad;

	t->spec.p = p + name_len + 1;
	t->spec.len = t->text.len - name_len - 1;
	t->has_spec = true;
	if (dg_memcaseeq(p, name_len, "redirect", 8)) {
		t->kind = SPF_T_REDIRECT;
		if (rec->redirect != NULL)
			return syntax(syn, base, "redirect= given twice");
	} else if (dg_memcaseeq(p, name_len, "exp", 3)) {
		t->kind = SPF_T_EXP;
		if (rec->exp != NULL)
			return syntax(syn, base, "exp= given twice");
	} else {
		/* 6: unknown modifiers are ignored, but must parse. */
		t->kind = SPF_T_UNKNOWN;
		if (!spf_macro_valid(t->spec.p, t->spec.len, true, &bad))
			return syntax(syn, base + name_len + 1 + bad,
			    "bad macro in modifier");
		return DG_OK;
	}
	if (!domain_spec_ok(t->spec.p, t->spec.len, &bad))
		return syntax(syn, base + name_len + 1 + bad,
		    "bad domain-spec");
	if (t->kind == SPF_T_REDIRECT)
		rec->redirect = t;
	else
		rec->exp = t;
	return DG_OK;
}

static enum dg_err
parse_term(struct spf_record *rec, struct spf_term *t, size_t base,
    struct dg_spf_syntax *syn)
{
	const char	*p = t->text.p, *rest;
	size_t		 len = t->text.len, k = 0, j, i, rlen, bad;
	bool		 found = false;

	t->qual = DG_SPF_PASS;
	t->cidr4 = 32;
	t->cidr6 = 128;
	t->pos = base;
	/* A modifier: name "=" ...; the name starts with ALPHA. */
	for (j = 0; j < len && (dg_isalnum((unsigned char)p[j]) ||
	    p[j] == '-' || p[j] == '_' || p[j] == '.'); j++)
		;
	if (j < len && p[j] == '=' && j > 0 &&
	    dg_isalpha((unsigned char)p[0]))
		return parse_modifier(rec, t, j, base, syn);

	switch (p[0]) {
	case '+': t->qual = DG_SPF_PASS;	k = 1; break;
	case '-': t->qual = DG_SPF_FAIL;	k = 1; break;
	case '~': t->qual = DG_SPF_SOFTFAIL;	k = 1; break;
	case '?': t->qual = DG_SPF_NEUTRAL;	k = 1; break;
	default: break;
	}
	for (j = k; j < len && p[j] != ':' && p[j] != '/'; j++)
		;
	for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
		if (dg_memcaseeq(p + k, j - k, mechs[i].name,
		    strlen(mechs[i].name))) {
			t->kind = mechs[i].kind;
			found = true;
			break;
		}
	}
	if (!found)
		return syntax(syn, base, "unknown mechanism");
	rest = p + j;
	rlen = len - j;
	switch (t->kind) {
	case SPF_T_ALL:
		if (rlen != 0)
			return syntax(syn, base + j, "all takes no argument");
		rec->has_all = true;
		return DG_OK;
	case SPF_T_IP4:
	case SPF_T_IP6:
		if (rlen < 2 || rest[0] != ':')
			return syntax(syn, base + j, "address missing");
		rest++;
		rlen--;
		i = trailing_cidr(rest, rlen);
		if (i > 0) {
			if (!cidr_value(rest + rlen - i + 1, i - 1,
			    t->kind == SPF_T_IP4 ? 32 : 128,
			    t->kind == SPF_T_IP4 ? &t->cidr4 : &t->cidr6))
				return syntax(syn, base + len - i,
				    "bad CIDR length");
			rlen -= i;
		}
		if (!dg_ip_parse(rest, rlen, &t->ip) ||
		    t->ip.family != (t->kind == SPF_T_IP4 ? DG_IP_V4 :
		    DG_IP_V6))
			return syntax(syn, base + j + 1, "bad address");
		return DG_OK;
	case SPF_T_A:
	case SPF_T_MX:
		if (!cut_dual_cidr(rest, &rlen, t, &bad))
			return syntax(syn, base + j + bad, "bad CIDR length");
		break;
	case SPF_T_INCLUDE:
	case SPF_T_EXISTS:
	case SPF_T_PTR:
		break;
	default:
		return syntax(syn, base, "unknown mechanism");
	}
	if (rlen == 0) {
		if (t->kind == SPF_T_INCLUDE || t->kind == SPF_T_EXISTS)
			return syntax(syn, base + j, "domain-spec missing");
		return DG_OK;
	}
	if (rest[0] != ':')
		return syntax(syn, base + j, "unexpected text after mechanism");
	if (rlen == 1)
		return syntax(syn, base + j + 1, "domain-spec missing");
	t->spec.p = rest + 1;
	t->spec.len = rlen - 1;
	t->has_spec = true;
	if (!domain_spec_ok(t->spec.p, t->spec.len, &bad))
		return syntax(syn, base + j + 1 + bad, "bad domain-spec");
	return DG_OK;
}

enum dg_err
spf_record_parse(struct dg_arena *a, const char *p, size_t len,
    struct spf_record *out, struct dg_spf_syntax *syn)
{
	struct spf_record	 rec;
	size_t			 i, n = 0, start;
	enum dg_err		 err;

	memset(&rec, 0, sizeof(rec));
	memset(syn, 0, sizeof(*syn));
	if (!spf_is_record(p, len))
		return syntax(syn, 0, "not a v=spf1 record");
	/* Count terms to size the array once. */
	for (i = VERSION_LEN; i < len; i++)
		if (p[i] != ' ' && p[i - 1] == ' ')
			n++;
	if (n > DG_SPF_MAX_TERMS)
		return syntax(syn, VERSION_LEN, "too many terms");
	if (n > 0) {
		rec.terms = dg_arena_calloc(a, n, sizeof(*rec.terms));
		if (rec.terms == NULL)
			return dg_arena_err(a);
	}
	i = VERSION_LEN;
	while (i < len) {
		/* terms = *( 1*SP ( directive / modifier ) ); record ends
		 * with *SP.  Only SP separates: a tab is part of a term. */
		while (i < len && p[i] == ' ')
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && p[i] != ' ')
			i++;
		rec.terms[rec.nterms].text.p = p + start;
		rec.terms[rec.nterms].text.len = i - start;
		err = parse_term(&rec, &rec.terms[rec.nterms], start, syn);
		if (err != DG_OK)
			return err;
		rec.nterms++;
	}
	syn->ok = true;
	syn->terms = rec.nterms;
	*out = rec;
	return DG_OK;
}

enum dg_err
dg_spf_record_validate(const char *p, size_t len, struct dg_spf_syntax *out)
{
	struct dg_arena		*a;
	struct spf_record	 rec;
	struct dg_spf_syntax	 syn;
	enum dg_err		 err;

	if ((p == NULL && len != 0) || out == NULL)
		return DG_EINVAL;
	a = dg_arena_new(0);
	if (a == NULL)
		return DG_ENOMEM;
	err = spf_record_parse(a, p != NULL ? p : "", len, &rec, &syn);
	dg_arena_free(a);
	if (err != DG_OK && err != DG_ESYNTAX)
		return err;
	*out = syn;
	return DG_OK;
}
