/*
 * lib/ar/ar_parse.c -- parsing Authentication-Results (RFC 8601 2.2) and
 * ARC-Authentication-Results (RFC 8617 4.1.1: "i=N;" first) field values.
 *
 *   authres-payload = [CFWS] authserv-id [CFWS authres-version]
 *                     ( no-result / 1*resinfo ) [CFWS]
 *   resinfo   = [CFWS] ";" methodspec [CFWS reasonspec] [CFWS 1*propspec]
 *   methodspec = [CFWS] method [CFWS] "=" [CFWS] result
 *   propspec  = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
 *
 * Tolerated on purpose, as deployed software writes them: a trailing ';',
 * property values that are neither token nor quoted-string but plain
 * printable runs (header.b=abc/d+e=, smtp.mailfrom=a@b).  Everything is
 * bounded: input length, comment nesting, results, properties.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <dmarcguard/ar.h>

#include "util/limits.h"
#include "util/str.h"

struct cur {
	struct dg_arena		*a;
	const char		*p;
	size_t			 len;
	size_t			 pos;
	struct dg_msg_error	*err;
	const char		*comment;	/* first comment seen, or NULL */
	bool			 want_comment;
};

static enum dg_err DG_PRINTF(3, 4)
fail(struct cur *c, enum dg_err e, const char *fmt, ...)
{
	va_list	ap;

	if (c->err != NULL) {
		c->err->line = 0;
		c->err->offset = c->pos;
		va_start(ap, fmt);
		(void)vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
		va_end(ap);
	}
	return e;
}

static bool
is_tspecial(int c)
{
	return c != 0 && strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

static bool
is_token_char(int c)
{
	return c > 0x20 && c < 0x7f && !is_tspecial(c);
}

/* A comment starting at '(' (RFC 5322 3.2.2), nested at most
 * DG_ADDR_COMMENT_DEPTH deep. */
static enum dg_err
comment(struct cur *c)
{
	size_t		 start = c->pos + 1, depth = 0;
	unsigned char	 ch;

	for (; c->pos < c->len; c->pos++) {
		ch = (unsigned char)c->p[c->pos];
		if (ch == '\\') {
			if (++c->pos >= c->len)
				break;
			continue;
		}
		if (ch == '(') {
			if (++depth > DG_ADDR_COMMENT_DEPTH)
				return fail(c, DG_ETOOBIG, "comments nested "
				    "deeper than %u", DG_ADDR_COMMENT_DEPTH);
		} else if (ch == ')') {
			if (--depth == 0) {
				if (c->want_comment && c->comment == NULL) {
					c->comment = dg_arena_strndup(c->a,
					    c->p + start, c->pos - start);
					if (c->comment == NULL)
						return dg_arena_err(c->a);
				}
				c->pos++;
				return DG_OK;
			}
		} else if (ch == '\0') {
			return fail(c, DG_ESYNTAX, "NUL byte");
		}
	}
	return fail(c, DG_ESYNTAX, "unterminated comment");
}

/* [CFWS]: WSP, line ends (folded input) and comments. */
static enum dg_err
cfws(struct cur *c)
{
	enum dg_err	err;
	char		ch;

	while (c->pos < c->len) {
		ch = c->p[c->pos];
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			c->pos++;
		} else if (ch == '(') {
			if ((err = comment(c)) != DG_OK)
				return err;
		} else {
			break;
		}
	}
	return DG_OK;
}

static bool
peek(const struct cur *c, char ch)
{
	return c->pos < c->len && c->p[c->pos] == ch;
}

/* A quoted-string at '"', unescaped into the arena. */
static enum dg_err
quoted(struct cur *c, const char **out)
{
	char		*buf;
	size_t		 n = 0;
	unsigned char	 ch;

	if ((buf = dg_arena_alloc(c->a, c->len - c->pos + 1)) == NULL)
		return dg_arena_err(c->a);
	for (c->pos++; c->pos < c->len; c->pos++) {
		ch = (unsigned char)c->p[c->pos];
		if (ch == '"') {
			c->pos++;
			buf[n] = '\0';
			*out = buf;
			return DG_OK;
		}
		if (ch == '\\') {
			if (++c->pos >= c->len)
				break;
			ch = (unsigned char)c->p[c->pos];
		}
		if (ch == '\0')
			return fail(c, DG_ESYNTAX, "NUL byte");
		if (ch == '\r' || ch == '\n')
			continue;	/* folding inside the string */
		buf[n++] = (char)ch;
	}
	return fail(c, DG_ESYNTAX, "unterminated quoted-string");
}

/* RFC 2045 value = token / quoted-string. */
static enum dg_err
value(struct cur *c, const char **out, const char *what)
{
	size_t	start = c->pos;

	if (peek(c, '"'))
		return quoted(c, out);
	while (c->pos < c->len && is_token_char((unsigned char)c->p[c->pos]))
		c->pos++;
	if (c->pos == start)
		return fail(c, DG_ESYNTAX, "expected %s", what);
	if ((*out = dg_arena_strndup(c->a, c->p + start, c->pos - start)) ==
	    NULL)
		return dg_arena_err(c->a);
	return DG_OK;
}

/* Keyword (RFC 5321 Ldh-str), lower-cased. */
static enum dg_err
keyword(struct cur *c, const char **out, const char *what)
{
	size_t	start = c->pos, i;
	char	*s;

	while (c->pos < c->len && (dg_isalnum((unsigned char)c->p[c->pos]) ||
	    c->p[c->pos] == '-' || c->p[c->pos] == '_'))
		c->pos++;
	if (c->pos == start)
		return fail(c, DG_ESYNTAX, "expected %s", what);
	if ((s = dg_arena_strndup(c->a, c->p + start, c->pos - start)) ==
	    NULL)
		return dg_arena_err(c->a);
	for (i = 0; s[i] != '\0'; i++)
		s[i] = (char)dg_tolower((unsigned char)s[i]);
	*out = s;
	return DG_OK;
}

static enum dg_err
digits(struct cur *c, unsigned *out)
{
	uint64_t	v;
	size_t		start = c->pos;

	while (c->pos < c->len && dg_isdigit((unsigned char)c->p[c->pos]))
		c->pos++;
	if (c->pos == start || !dg_parse_uint(c->p + start, c->pos - start,
	    UINT32_MAX, &v))
		return fail(c, DG_ESYNTAX, "expected a number");
	*out = (unsigned)v;
	return DG_OK;
}

/* pvalue: quoted-string ["@" domain], or a printable run. */
static enum dg_err
pvalue(struct cur *c, const char **out)
{
	const char	*q, *rest;
	size_t		 start;
	unsigned char	 ch;
	enum dg_err	 err;

	if (peek(c, '"')) {
		if ((err = quoted(c, &q)) != DG_OK)
			return err;
		if (!peek(c, '@')) {
			*out = q;
			return DG_OK;
		}
		start = c->pos;
		while (c->pos < c->len && (c->p[c->pos] == '@' ||
		    is_token_char((unsigned char)c->p[c->pos])))
			c->pos++;
		if ((rest = dg_arena_strndup(c->a, c->p + start,
		    c->pos - start)) == NULL ||
		    (*out = dg_arena_printf(c->a, "%s%s", q, rest)) == NULL)
			return dg_arena_err(c->a);
		return DG_OK;
	}
	start = c->pos;
	for (; c->pos < c->len; c->pos++) {
		ch = (unsigned char)c->p[c->pos];
		if (ch <= 0x20 || ch >= 0x7f || ch == ';' || ch == '(' ||
		    ch == ')' || ch == '"')
			break;
	}
	if (c->pos == start)
		return fail(c, DG_ESYNTAX, "expected a property value");
	if ((*out = dg_arena_strndup(c->a, c->p + start, c->pos - start)) ==
	    NULL)
		return dg_arena_err(c->a);
	return DG_OK;
}

static enum dg_err
resinfo(struct cur *c, struct dg_ar_result *r)
{
	struct dg_ar_prop	*props = NULL;
	const char		*word;
	size_t			 save;
	enum dg_err		 err;

	c->comment = NULL;
	c->want_comment = true;
	if ((err = cfws(c)) != DG_OK || (err = keyword(c, &r->method,
	    "a method")) != DG_OK || (err = cfws(c)) != DG_OK)
		return err;
	if (peek(c, '/')) {
		c->pos++;
		if ((err = cfws(c)) != DG_OK ||
		    (err = digits(c, &r->method_version)) != DG_OK ||
		    (err = cfws(c)) != DG_OK)
			return err;
	}
	if (!peek(c, '='))
		return fail(c, DG_ESYNTAX, "expected '=' after method %s",
		    r->method);
	c->pos++;
	if ((err = cfws(c)) != DG_OK ||
	    (err = keyword(c, &r->result, "a result")) != DG_OK ||
	    (err = cfws(c)) != DG_OK)
		return err;
	/* reasonspec, then propspecs, until ';' or the end */
	while (c->pos < c->len && !peek(c, ';')) {
		save = c->pos;
		if ((err = keyword(c, &word, "a property type")) != DG_OK)
			return err;
		if ((err = cfws(c)) != DG_OK)
			return err;
		if (strcmp(word, "reason") == 0 && peek(c, '=') &&
		    r->reason == NULL && r->nprops == 0) {
			c->pos++;
			if ((err = cfws(c)) != DG_OK ||
			    (err = value(c, &r->reason, "a reason")) !=
			    DG_OK || (err = cfws(c)) != DG_OK)
				return err;
			continue;
		}
		if (!peek(c, '.')) {
			c->pos = save;
			return fail(c, DG_ESYNTAX, "expected ptype.property");
		}
		if (r->nprops >= DG_AR_MAX_PROPS)
			return fail(c, DG_ETOOBIG, "more than %u properties",
			    DG_AR_MAX_PROPS);
		if (props == NULL && (props = dg_arena_calloc(c->a,
		    DG_AR_MAX_PROPS, sizeof(*props))) == NULL)
			return dg_arena_err(c->a);
		props[r->nprops].ptype = word;
		c->pos++;
		if ((err = cfws(c)) != DG_OK ||
		    (err = keyword(c, &props[r->nprops].property,
		    "a property")) != DG_OK || (err = cfws(c)) != DG_OK)
			return err;
		if (!peek(c, '='))
			return fail(c, DG_ESYNTAX, "expected '=' after "
			    "property");
		c->pos++;
		if ((err = cfws(c)) != DG_OK ||
		    (err = pvalue(c, &props[r->nprops].value)) != DG_OK ||
		    (err = cfws(c)) != DG_OK)
			return err;
		r->nprops++;
		r->props = props;
	}
	r->comment = c->comment;
	c->want_comment = false;
	return DG_OK;
}

enum dg_err
dg_ar_parse(struct dg_arena *a, const char *p, size_t len, unsigned flags,
    struct dg_ar *out, struct dg_msg_error *err)
{
	struct cur		 c;
	struct dg_ar		 ar;
	struct dg_ar_result	*res;
	size_t			 save;
	const char		*w;
	enum dg_err		 e;

	if (a == NULL || out == NULL || (p == NULL && len > 0))
		return DG_EINVAL;
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.p = p;
	c.len = len;
	c.err = err;
	if (len > DG_HDR_FIELD_MAX)
		return fail(&c, DG_ETOOBIG, "field over %u bytes",
		    DG_HDR_FIELD_MAX);
	memset(&ar, 0, sizeof(ar));
	ar.version = 1;
	if ((e = cfws(&c)) != DG_OK)
		return e;
	if (flags & DG_AR_PARSE_ARC) {
		if ((e = keyword(&c, &w, "i=")) != DG_OK)
			return e;
		if (strcmp(w, "i") != 0 || (e = cfws(&c)) != DG_OK ||
		    !peek(&c, '='))
			return fail(&c, DG_ESYNTAX, "expected i=");
		c.pos++;
		if ((e = cfws(&c)) != DG_OK ||
		    (e = digits(&c, &ar.instance)) != DG_OK ||
		    (e = cfws(&c)) != DG_OK)
			return e;
		if (ar.instance < 1 || ar.instance > 50)
			return fail(&c, DG_ESYNTAX, "i= out of 1..50 (RFC "
			    "8617 4.2.1)");
		if (!peek(&c, ';'))
			return fail(&c, DG_ESYNTAX, "expected ';' after i=");
		c.pos++;
		if ((e = cfws(&c)) != DG_OK)
			return e;
	}
	if ((e = value(&c, &ar.authserv_id, "an authserv-id")) != DG_OK ||
	    (e = cfws(&c)) != DG_OK)
		return e;
	if (c.pos < c.len && dg_isdigit((unsigned char)p[c.pos])) {
		if ((e = digits(&c, &ar.version)) != DG_OK ||
		    (e = cfws(&c)) != DG_OK)
			return e;
	}
	if ((res = dg_arena_calloc(a, DG_AR_MAX_RESULTS, sizeof(*res))) ==
	    NULL)
		return dg_arena_err(a);
	while (c.pos < c.len) {
		if (!peek(&c, ';'))
			return fail(&c, DG_ESYNTAX, "expected ';'");
		c.pos++;
		if ((e = cfws(&c)) != DG_OK)
			return e;
		if (c.pos >= c.len)
			break;		/* a trailing ';' */
		save = c.pos;
		if (ar.nresults == 0 && !ar.none &&
		    keyword(&c, &w, "none") == DG_OK &&
		    strcmp(w, "none") == 0) {
			if ((e = cfws(&c)) != DG_OK)
				return e;
			if (c.pos >= c.len || peek(&c, ';')) {
				ar.none = true;
				continue;
			}
		}
		c.pos = save;
		if (ar.none)
			return fail(&c, DG_ESYNTAX, "results after none");
		if (ar.nresults >= DG_AR_MAX_RESULTS)
			return fail(&c, DG_ETOOBIG, "more than %u results",
			    DG_AR_MAX_RESULTS);
		if ((e = resinfo(&c, &res[ar.nresults])) != DG_OK)
			return e;
		ar.nresults++;
	}
	if (ar.nresults == 0 && !ar.none)
		return fail(&c, DG_ESYNTAX, "no result (expected '; none' or "
		    "a resinfo)");
	ar.results = res;
	*out = ar;
	return DG_OK;
}

const struct dg_ar_result *
dg_ar_find(const struct dg_ar *ar, const char *method)
{
	size_t	i;

	if (ar == NULL || method == NULL)
		return NULL;
	for (i = 0; i < ar->nresults; i++)
		if (dg_strcaseeq(ar->results[i].method, method))
			return &ar->results[i];
	return NULL;
}

const char *
dg_ar_prop_get(const struct dg_ar_result *r, const char *ptype,
    const char *property)
{
	size_t	i;

	if (r == NULL || ptype == NULL || property == NULL)
		return NULL;
	for (i = 0; i < r->nprops; i++)
		if (dg_strcaseeq(r->props[i].ptype, ptype) &&
		    dg_strcaseeq(r->props[i].property, property))
			return r->props[i].value;
	return NULL;
}
