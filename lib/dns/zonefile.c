/*
 * lib/dns/zonefile.c -- RFC 1035 5.1 master files, the subset dmarcguard
 * needs: $ORIGIN, $TTL, "@", relative names, optional TTL and class (IN
 * only) in either order, ( ) spanning lines, ; comments, quoted and
 * unquoted character-strings with \DDD and \X escapes, and the types A,
 * AAAA, MX, TXT, SPF, PTR, CNAME, NS.  Our own directives $TIMEOUT,
 * $SERVFAIL and $NODATA are passed to the sink.
 *
 * Left out on purpose: $INCLUDE (a zone file must not read other files),
 * $GENERATE, other classes and types, SOA (we answer no authority data).
 * The input is hostile: every line, token, name and string is capped
 * (limits.h) and every error names the file and line.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>

#include "dns/zonefile.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/str.h"

/* RFC 2181 8: TTLs are unsigned 31-bit values. */
#define TTL_MAX		2147483647u
/* TTL when neither the record, $TTL nor an earlier record gives one. */
#define TTL_DEFAULT	3600u
/* RFC 1035 3.3: a <character-string> is at most 255 octets. */
#define CHARSTR_MAX	255
/* Fields in one entry: a TXT RR of DG_DNS_TXT_MAX octets holds at most
 * that many (empty) character-strings, plus owner, TTL, class, type. */
#define FIELDS_MAX	(DG_DNS_TXT_MAX + 4)
/* Longest token quoted back in an error message. */
#define SHOW_MAX	40

struct tok {
	const char	*p;	/* raw text; inside the quotes if quoted */
	size_t		 len;
	unsigned long	 line;
	bool		 quoted;
};

struct parser {
	const char		*text;
	size_t			 len;
	size_t			 pos;
	size_t			 line_start;	/* where the line begins */
	unsigned long		 line;
	const char		*fname;
	char			*err;
	size_t			 errlen;
	const struct dg_zone_sink *sink;

	char			 origin[DG_DNS_NAME_MAX + 1];
	bool			 have_origin;
	char			 owner[DG_DNS_NAME_MAX + 1];
	bool			 have_owner;
	uint32_t		 dir_ttl;	/* $TTL */
	bool			 have_dir_ttl;
	uint32_t		 last_ttl;	/* previous record's TTL */
	bool			 have_last_ttl;

	struct tok		*toks;
	size_t			 ntok;
	size_t			 tokcap;
	bool			 first_col;	/* entry starts at column 0 */
	struct dg_arena		*scratch;	/* one entry's RDATA */
};

static enum dg_err perr(struct parser *p, unsigned long line,
    enum dg_err code, const char *fmt, ...) DG_PRINTF(4, 5);

static enum dg_err
perr(struct parser *p, unsigned long line, enum dg_err code,
    const char *fmt, ...)
{
	char	msg[256];
	va_list	ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	if (p->err != NULL && p->errlen > 0)
		dg_fmt(p->err, p->errlen, "%s:%lu: %s", p->fname, line, msg);
	return code;
}

/* A token made safe to quote in a message: printable, truncated. */
static const char *
show(const struct tok *t, char *buf, size_t cap)
{
	size_t	i, n = 0;

	for (i = 0; i < t->len && n + 4 < cap && i < SHOW_MAX; i++) {
		unsigned char	c = (unsigned char)t->p[i];

		buf[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (i < t->len && n + 4 < cap) {
		buf[n++] = '.';
		buf[n++] = '.';
		buf[n++] = '.';
	}
	buf[n] = '\0';
	return buf;
}

/*
 * Before tokenizing: refuse NUL bytes and over-long lines, so the rest of
 * the parser may assume both away.
 */
static enum dg_err
prescan(struct parser *p)
{
	size_t		i, start = 0;
	unsigned long	line = 1;

	for (i = 0; i <= p->len; i++) {
		if (i == p->len || p->text[i] == '\n') {
			if (i - start > DG_ZONE_LINE_MAX)
				return perr(p, line, DG_ETOOBIG,
				    "line too long (max %u bytes)",
				    DG_ZONE_LINE_MAX);
			start = i + 1;
			line++;
		} else if (p->text[i] == '\0') {
			return perr(p, line, DG_ESYNTAX,
			    "NUL byte in zone file");
		}
	}
	return DG_OK;
}

static enum dg_err
push_tok(struct parser *p, const char *s, size_t len, unsigned long line,
    bool quoted)
{
	if (p->ntok == p->tokcap) {
		size_t		 ncap = p->tokcap != 0 ? p->tokcap * 2 : 16;
		struct tok	*n;

		if (p->tokcap >= FIELDS_MAX)
			return perr(p, line, DG_ETOOBIG,
			    "too many fields in one record (max %u)",
			    (unsigned)FIELDS_MAX);
		n = dg_realloc(p->toks, ncap * sizeof(*n));
		if (n == NULL)
			return perr(p, line, DG_ENOMEM, "out of memory");
		p->toks = n;
		p->tokcap = ncap;
	}
	p->toks[p->ntok].p = s;
	p->toks[p->ntok].len = len;
	p->toks[p->ntok].line = line;
	p->toks[p->ntok].quoted = quoted;
	p->ntok++;
	return DG_OK;
}

/*
 * Collect the fields of the next entry: tokens up to the end of a line
 * outside parentheses.  *eof is set when the input holds no more entries.
 */
static enum dg_err
read_entry(struct parser *p, bool *eof)
{
	unsigned long	paren_line = 0, paren_lines = 0;
	bool		in_paren = false;
	enum dg_err	err;

	p->ntok = 0;
	*eof = false;
	while (p->pos < p->len) {
		char	c = p->text[p->pos];
		size_t	start;

		if (c == '\n') {
			p->pos++;
			p->line++;
			p->line_start = p->pos;
			if (in_paren) {
				if (++paren_lines > DG_ZONE_PAREN_LINES)
					return perr(p, paren_line, DG_ETOOBIG,
					    "parentheses span more than %u "
					    "lines",
					    (unsigned)DG_ZONE_PAREN_LINES);
				continue;
			}
			if (p->ntok > 0)
				return DG_OK;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			p->pos++;
			continue;
		}
		if (c == ';') {
			while (p->pos < p->len && p->text[p->pos] != '\n')
				p->pos++;
			continue;
		}
		if (c == '(') {
			if (in_paren)
				return perr(p, p->line, DG_ESYNTAX,
				    "nested parentheses");
			in_paren = true;
			paren_line = p->line;
			p->pos++;
			continue;
		}
		if (c == ')') {
			if (!in_paren)
				return perr(p, p->line, DG_ESYNTAX,
				    "unbalanced parentheses: ')' without '('");
			in_paren = false;
			p->pos++;
			continue;
		}
		if (p->ntok == 0)
			p->first_col = p->pos == p->line_start;
		if (c == '"') {
			start = ++p->pos;
			for (;;) {
				if (p->pos >= p->len ||
				    p->text[p->pos] == '\n')
					return perr(p, p->line, DG_ESYNTAX,
					    "unterminated quote");
				if (p->text[p->pos] == '"')
					break;
				if (p->text[p->pos] == '\\')
					p->pos++;
				p->pos++;
			}
			err = push_tok(p, p->text + start, p->pos - start,
			    p->line, true);
			p->pos++;
		} else {
			start = p->pos;
			while (p->pos < p->len) {
				c = p->text[p->pos];
				if (c == '\\') {
					if (p->pos + 1 >= p->len ||
					    p->text[p->pos + 1] == '\n')
						return perr(p, p->line,
						    DG_ESYNTAX, "bad escape "
						    "at end of line");
					p->pos += 2;
					continue;
				}
				if (c == ' ' || c == '\t' || c == '\r' ||
				    c == '\n' || c == ';' || c == '(' ||
				    c == ')' || c == '"')
					break;
				p->pos++;
			}
			err = push_tok(p, p->text + start, p->pos - start,
			    p->line, false);
		}
		if (err != DG_OK)
			return err;
	}
	if (in_paren)
		return perr(p, paren_line, DG_ESYNTAX,
		    "unbalanced parentheses: '(' not closed");
	if (p->ntok == 0)
		*eof = true;
	return DG_OK;
}

/*
 * One escape at s[*i] == '\\' (RFC 1035 5.1): \DDD is the octet DDD, \X
 * is X.  Advances *i past it; false when malformed.
 */
static bool
unescape(const char *s, size_t len, size_t *i, unsigned char *out)
{
	size_t	j = *i + 1;

	if (j >= len)
		return false;
	if (dg_isdigit((unsigned char)s[j])) {
		unsigned	v;

		if (j + 2 >= len || !dg_isdigit((unsigned char)s[j + 1]) ||
		    !dg_isdigit((unsigned char)s[j + 2]))
			return false;
		v = (unsigned)(s[j] - '0') * 100 +
		    (unsigned)(s[j + 1] - '0') * 10 +
		    (unsigned)(s[j + 2] - '0');
		if (v > 255)
			return false;
		*out = (unsigned char)v;
		*i = j + 3;
		return true;
	}
	*out = (unsigned char)s[j];
	*i = j + 1;
	return true;
}

/*
 * A domain name field: "@", absolute ("a.example.") or relative to
 * $ORIGIN.  Writes the absolute lower-case name without the final dot.
 */
static enum dg_err
parse_name(struct parser *p, const struct tok *t, char *out)
{
	char		 buf[DG_DNS_NAME_MAX + 2], sh[64];
	size_t		 i = 0, n = 0, label = 0;
	bool		 absolute = false;

	if (t->quoted)
		return perr(p, t->line, DG_ESYNTAX, "quoted name \"%s\"",
		    show(t, sh, sizeof(sh)));
	if (t->len == 1 && t->p[0] == '@') {
		if (!p->have_origin)
			return perr(p, t->line, DG_ESYNTAX,
			    "'@' without $ORIGIN");
		memcpy(out, p->origin, strlen(p->origin) + 1);
		return DG_OK;
	}
	if (t->len == 1 && t->p[0] == '.') {
		out[0] = '\0';
		return DG_OK;
	}
	while (i < t->len) {
		unsigned char	c = (unsigned char)t->p[i];

		if (c == '.') {
			if (label == 0)
				return perr(p, t->line, DG_ESYNTAX,
				    "empty label in name '%s'",
				    show(t, sh, sizeof(sh)));
			i++;
			if (i == t->len) {
				absolute = true;
				break;
			}
			label = 0;
			c = '.';
		} else if (c == '\\') {
			if (!unescape(t->p, t->len, &i, &c))
				return perr(p, t->line, DG_ESYNTAX,
				    "bad escape in name '%s'",
				    show(t, sh, sizeof(sh)));
			if (c == '.' || c == '\0')
				return perr(p, t->line, DG_ESYNTAX,
				    "escaped dot or NUL in name '%s' is not "
				    "supported", show(t, sh, sizeof(sh)));
			if (++label > DG_DNS_LABEL_MAX)
				goto longlabel;
		} else {
			i++;
			if (++label > DG_DNS_LABEL_MAX)
				goto longlabel;
		}
		if (n > DG_DNS_NAME_MAX)
			return perr(p, t->line, DG_ESYNTAX,
			    "name too long: '%s'", show(t, sh, sizeof(sh)));
		buf[n++] = (char)dg_tolower(c);
	}
	buf[n] = '\0';
	if (!absolute) {
		size_t	olen;

		if (!p->have_origin)
			return perr(p, t->line, DG_ESYNTAX,
			    "relative name '%s' without $ORIGIN",
			    show(t, sh, sizeof(sh)));
		olen = strlen(p->origin);
		if (olen > 0) {
			if (n + 1 + olen > DG_DNS_NAME_MAX)
				return perr(p, t->line, DG_ESYNTAX,
				    "name too long: '%s' + $ORIGIN",
				    show(t, sh, sizeof(sh)));
			buf[n++] = '.';
			memcpy(buf + n, p->origin, olen + 1);
			n += olen;
		}
	}
	if (n > DG_DNS_NAME_MAX)
		return perr(p, t->line, DG_ESYNTAX, "name too long: '%s'",
		    show(t, sh, sizeof(sh)));
	memcpy(out, buf, n + 1);
	return DG_OK;
longlabel:
	return perr(p, t->line, DG_ESYNTAX,
	    "label longer than %u octets in '%s'", DG_DNS_LABEL_MAX,
	    show(t, sh, sizeof(sh)));
}

/* A TTL: decimal seconds, or BIND-style units such as 1h30m or 2d. */
static bool
parse_ttl(const struct tok *t, uint32_t *out)
{
	uint64_t	total = 0, cur = 0;
	size_t		i;
	bool		digits = false, units = false;

	if (t->quoted || t->len == 0 || t->len > 32)
		return false;
	for (i = 0; i < t->len; i++) {
		int		c = dg_tolower((unsigned char)t->p[i]);
		uint64_t	mul;

		if (dg_isdigit(c)) {
			cur = cur * 10 + (uint64_t)(c - '0');
			if (cur > TTL_MAX)
				return false;
			digits = true;
			continue;
		}
		switch (c) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		case 'w': mul = 604800; break;
		default: return false;
		}
		if (!digits)
			return false;
		total += cur * mul;
		if (total > TTL_MAX)
			return false;
		cur = 0;
		digits = false;
		units = true;
	}
	if (digits)
		total += cur;
	else if (!units)
		return false;
	if (total > TTL_MAX)
		return false;
	*out = (uint32_t)total;
	return true;
}

/* Is the token (case-insensitively) s? */
static bool
tok_is(const struct tok *t, const char *s)
{
	return !t->quoted && dg_memcaseeq(t->p, t->len, s, strlen(s));
}

/* A character-string, quoted or not, decoded into the scratch arena. */
static enum dg_err
parse_charstr(struct parser *p, const struct tok *t, struct dg_dns_str *out)
{
	unsigned char	*s;
	size_t		 i = 0, n = 0;
	char		 sh[64];

	s = dg_arena_alloc(p->scratch, t->len + 1);
	if (s == NULL)
		return perr(p, t->line, DG_ENOMEM, "out of memory");
	while (i < t->len) {
		unsigned char	c = (unsigned char)t->p[i];

		if (c == '\\') {
			if (!unescape(t->p, t->len, &i, &c))
				return perr(p, t->line, DG_ESYNTAX,
				    "bad escape in \"%s\"",
				    show(t, sh, sizeof(sh)));
		} else {
			i++;
		}
		s[n++] = c;
	}
	if (n > CHARSTR_MAX)
		return perr(p, t->line, DG_ESYNTAX,
		    "character-string longer than %u octets",
		    (unsigned)CHARSTR_MAX);
	s[n] = '\0';
	out->p = (const char *)s;
	out->len = n;
	return DG_OK;
}

/* Copy an address token to a C string for inet_pton. */
static bool
addr_tok(const struct tok *t, char *buf, size_t cap)
{
	if (t->quoted || t->len == 0 || t->len >= cap)
		return false;
	memcpy(buf, t->p, t->len);
	buf[t->len] = '\0';
	return true;
}

static enum dg_err
parse_rdata(struct parser *p, const struct tok *tt, size_t first,
    struct dg_dns_rr *rr)
{
	const struct tok	*t = p->toks + first;
	size_t			 n = p->ntok - first, want = 1, i, total = 0;
	const char		*tname = dg_dns_type_str(rr->type);
	char			 buf[64], sh[64], *name;
	struct dg_dns_str	*strs;
	uint64_t		 pref;
	enum dg_err		 err;

	if (n == 0)
		return perr(p, tt->line, DG_ESYNTAX, "missing RDATA for %s",
		    tname);
	switch (rr->type) {
	case DG_DNS_T_A:
		if (!addr_tok(t, buf, sizeof(buf)) ||
		    inet_pton(AF_INET, buf, rr->u.a) != 1)
			return perr(p, t->line, DG_ESYNTAX,
			    "bad IPv4 address '%s'", show(t, sh, sizeof(sh)));
		break;
	case DG_DNS_T_AAAA:
		if (!addr_tok(t, buf, sizeof(buf)) ||
		    inet_pton(AF_INET6, buf, rr->u.aaaa) != 1)
			return perr(p, t->line, DG_ESYNTAX,
			    "bad IPv6 address '%s'", show(t, sh, sizeof(sh)));
		break;
	case DG_DNS_T_MX:
		want = 2;
		if (t->quoted || !dg_parse_uint(t->p, t->len, 65535, &pref))
			return perr(p, t->line, DG_ESYNTAX,
			    "bad MX preference '%s'", show(t, sh, sizeof(sh)));
		if (n < 2)
			return perr(p, t->line, DG_ESYNTAX,
			    "missing MX exchange");
		name = dg_arena_alloc(p->scratch, DG_DNS_NAME_MAX + 1);
		if (name == NULL)
			return perr(p, t->line, DG_ENOMEM, "out of memory");
		if ((err = parse_name(p, t + 1, name)) != DG_OK)
			return err;
		rr->u.mx.pref = (uint16_t)pref;
		rr->u.mx.host = name;
		break;
	case DG_DNS_T_PTR:
	case DG_DNS_T_CNAME:
	case DG_DNS_T_NS:
		name = dg_arena_alloc(p->scratch, DG_DNS_NAME_MAX + 1);
		if (name == NULL)
			return perr(p, t->line, DG_ENOMEM, "out of memory");
		if ((err = parse_name(p, t, name)) != DG_OK)
			return err;
		rr->u.name = name;
		break;
	case DG_DNS_T_TXT:
	case DG_DNS_T_SPF:
		want = n;
		strs = dg_arena_calloc(p->scratch, n, sizeof(*strs));
		if (strs == NULL)
			return perr(p, t->line, DG_ENOMEM, "out of memory");
		for (i = 0; i < n; i++) {
			if ((err = parse_charstr(p, t + i, strs + i)) != DG_OK)
				return err;
			/* RFC 1035 3.3.14: length octet + data. */
			total += 1 + strs[i].len;
			if (total > DG_DNS_TXT_MAX)
				return perr(p, t[i].line, DG_ETOOBIG,
				    "%s RDATA longer than %u octets", tname,
				    (unsigned)DG_DNS_TXT_MAX);
		}
		rr->u.txt.count = n;
		rr->u.txt.strings = strs;
		break;
	default:
		return perr(p, tt->line, DG_EINTERNAL, "unhandled type");
	}
	if (n > want)
		return perr(p, t[want].line, DG_ESYNTAX,
		    "trailing data after %s RDATA: '%s'", tname,
		    show(t + want, sh, sizeof(sh)));
	return DG_OK;
}

/* Report a sink refusal with the entry's line. */
static enum dg_err
sink_err(struct parser *p, unsigned long line, enum dg_err err,
    const char *msg)
{
	if (err == DG_OK)
		return DG_OK;
	return perr(p, line, err, "%s", msg[0] != '\0' ? msg :
	    dg_strerror(err));
}

static enum dg_err
do_directive(struct parser *p)
{
	const struct tok	*t = p->toks;
	char			 name[DG_DNS_NAME_MAX + 1], msg[200], sh[64];
	enum dg_zone_dir	 dir = DG_ZONE_DIR_UNSET;
	enum dg_err		 err;

	if (tok_is(t, "$INCLUDE"))
		return perr(p, t->line, DG_ESYNTAX,
		    "$INCLUDE is not supported");
	if (tok_is(t, "$TIMEOUT"))
		dir = DG_ZONE_DIR_TIMEOUT;
	else if (tok_is(t, "$SERVFAIL"))
		dir = DG_ZONE_DIR_SERVFAIL;
	else if (tok_is(t, "$NODATA"))
		dir = DG_ZONE_DIR_NODATA;
	else if (!tok_is(t, "$ORIGIN") && !tok_is(t, "$TTL"))
		return perr(p, t->line, DG_ESYNTAX, "unknown directive '%s'",
		    show(t, sh, sizeof(sh)));
	if (p->ntok != 2)
		return perr(p, t->line, DG_ESYNTAX,
		    "%s takes exactly one argument", show(t, sh, sizeof(sh)));
	if (tok_is(t, "$TTL")) {
		if (!parse_ttl(t + 1, &p->dir_ttl))
			return perr(p, t->line, DG_ESYNTAX, "bad TTL '%s'",
			    show(t + 1, sh, sizeof(sh)));
		p->have_dir_ttl = true;
		return DG_OK;
	}
	if ((err = parse_name(p, t + 1, name)) != DG_OK)
		return err;
	if (dir == DG_ZONE_DIR_UNSET) {		/* $ORIGIN */
		memcpy(p->origin, name, strlen(name) + 1);
		p->have_origin = true;
		return DG_OK;
	}
	msg[0] = '\0';
	err = p->sink->directive(p->sink->ctx, dir, name, msg, sizeof(msg));
	return sink_err(p, t->line, err, msg);
}

/* RFC 1035 5.1: <owner> [<TTL>] [<class>] <type> <RDATA>, the TTL and
 * class in either order, a blank owner meaning the previous one. */
static enum dg_err
do_record(struct parser *p)
{
	const struct tok	*t = p->toks;
	struct dg_dns_rr	 rr;
	size_t			 i = 0;
	bool			 have_ttl = false, have_class = false;
	char			 tbuf[16], msg[200], sh[64];
	enum dg_err		 err;

	memset(&rr, 0, sizeof(rr));
	if (p->first_col) {
		if ((err = parse_name(p, t, p->owner)) != DG_OK)
			return err;
		p->have_owner = true;
		i = 1;
	} else if (!p->have_owner) {
		return perr(p, t->line, DG_ESYNTAX,
		    "blank owner with no previous owner");
	}
	for (; i < p->ntok; i++) {
		const struct tok	*f = t + i;

		if (!f->quoted && f->len > 0 &&
		    dg_isdigit((unsigned char)f->p[0])) {
			if (have_ttl || !parse_ttl(f, &rr.ttl))
				return perr(p, f->line, DG_ESYNTAX,
				    "bad TTL '%s'", show(f, sh, sizeof(sh)));
			have_ttl = true;
		} else if (tok_is(f, "IN")) {
			if (have_class)
				return perr(p, f->line, DG_ESYNTAX,
				    "class given twice");
			have_class = true;
		} else if (tok_is(f, "CH") || tok_is(f, "HS") ||
		    tok_is(f, "CS") || tok_is(f, "ANY") ||
		    tok_is(f, "NONE")) {
			return perr(p, f->line, DG_ESYNTAX,
			    "unsupported class '%s'", show(f, sh, sizeof(sh)));
		} else {
			break;
		}
	}
	if (i >= p->ntok)
		return perr(p, t[p->ntok - 1].line, DG_ESYNTAX,
		    "missing type");
	if (t[i].quoted || t[i].len >= sizeof(tbuf))
		goto badtype;
	memcpy(tbuf, t[i].p, t[i].len);
	tbuf[t[i].len] = '\0';
	if (!dg_dns_type_parse(tbuf, &rr.type))
		goto badtype;
	if (!have_ttl) {
		/* RFC 1035 5.1 uses the last explicit TTL; RFC 2308 4
		 * added $TTL, which wins. */
		if (p->have_dir_ttl)
			rr.ttl = p->dir_ttl;
		else if (p->have_last_ttl)
			rr.ttl = p->last_ttl;
		else
			rr.ttl = TTL_DEFAULT;
	} else {
		p->last_ttl = rr.ttl;
		p->have_last_ttl = true;
	}
	if ((err = parse_rdata(p, t + i, i + 1, &rr)) != DG_OK)
		return err;
	msg[0] = '\0';
	err = p->sink->record(p->sink->ctx, p->owner, &rr, msg, sizeof(msg));
	return sink_err(p, t->line, err, msg);
badtype:
	return perr(p, t[i].line, DG_ESYNTAX, "unknown type '%s'",
	    show(t + i, sh, sizeof(sh)));
}

enum dg_err
dg_zonefile_parse(const char *text, size_t len, const char *fname,
    const struct dg_zone_sink *sink, char *err, size_t errlen)
{
	struct parser	p;
	enum dg_err	rc;
	bool		eof;

	memset(&p, 0, sizeof(p));
	p.text = text;
	p.len = len;
	p.line = 1;
	p.fname = fname != NULL ? fname : "<zone>";
	p.err = err;
	p.errlen = errlen;
	p.sink = sink;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (text == NULL && len > 0)
		return DG_EINVAL;
	if (len > DG_ZONE_FILE_MAX)
		return perr(&p, 1, DG_ETOOBIG, "file too big (max %u bytes)",
		    DG_ZONE_FILE_MAX);
	if ((rc = prescan(&p)) != DG_OK)
		return rc;
	p.scratch = dg_arena_new(0);
	if (p.scratch == NULL)
		return perr(&p, 1, DG_ENOMEM, "out of memory");
	for (;;) {
		if ((rc = read_entry(&p, &eof)) != DG_OK || eof)
			break;
		dg_arena_reset(p.scratch);
		if (!p.toks[0].quoted && p.toks[0].len > 0 &&
		    p.toks[0].p[0] == '$')
			rc = do_directive(&p);
		else
			rc = do_record(&p);
		if (rc != DG_OK)
			break;
	}
	free(p.toks);
	dg_arena_free(p.scratch);
	return rc;
}

bool
dg_zonefile_rr_copy(struct dg_arena *a, const struct dg_dns_rr *src,
    struct dg_dns_rr *dst)
{
	struct dg_dns_str	*strs;
	size_t			 i;

	*dst = *src;
	switch (src->type) {
	case DG_DNS_T_MX:
		dst->u.mx.host = dg_arena_strdup(a, src->u.mx.host);
		return dst->u.mx.host != NULL;
	case DG_DNS_T_PTR:
	case DG_DNS_T_CNAME:
	case DG_DNS_T_NS:
		dst->u.name = dg_arena_strdup(a, src->u.name);
		return dst->u.name != NULL;
	case DG_DNS_T_TXT:
	case DG_DNS_T_SPF:
		strs = dg_arena_calloc(a, src->u.txt.count > 0 ?
		    src->u.txt.count : 1, sizeof(*strs));
		if (strs == NULL)
			return false;
		for (i = 0; i < src->u.txt.count; i++) {
			strs[i].len = src->u.txt.strings[i].len;
			strs[i].p = dg_arena_strndup(a,
			    src->u.txt.strings[i].p, strs[i].len);
			if (strs[i].p == NULL)
				return false;
		}
		dst->u.txt.strings = strs;
		return true;
	default:
		return true;	/* A, AAAA: plain bytes */
	}
}

/* Bytes written as \DDD in names and strings: controls, non-ASCII, and
 * what the tokenizer reads as syntax. */
static bool
needs_escape(unsigned char c, bool in_name)
{
	if (c <= 0x20 || c >= 0x7f)
		return true;
	if (c == '"' || c == '\\')
		return true;
	return in_name && (c == ';' || c == '(' || c == ')' || c == '@' ||
	    c == '$');
}

static void
put_escaped(struct dg_buf *b, unsigned char c)
{
	char	e[5];

	e[0] = '\\';
	e[1] = (char)('0' + c / 100);
	e[2] = (char)('0' + c / 10 % 10);
	e[3] = (char)('0' + c % 10);
	e[4] = '\0';
	dg_buf_append(b, e, 4);
}

void
dg_zonefile_put_name(struct dg_buf *b, const char *name)
{
	size_t	i;

	for (i = 0; name[i] != '\0'; i++) {
		unsigned char	c = (unsigned char)name[i];

		if (c != '.' && needs_escape(c, true))
			put_escaped(b, c);
		else
			dg_buf_putc(b, (char)c);
	}
	dg_buf_putc(b, '.');
}

void
dg_zonefile_put_string(struct dg_buf *b, const char *p, size_t len)
{
	size_t	i;

	dg_buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)p[i];

		if (c == '"' || c == '\\') {
			dg_buf_putc(b, '\\');
			dg_buf_putc(b, (char)c);
		} else if (c != ' ' && needs_escape(c, false)) {
			put_escaped(b, c);
		} else {
			dg_buf_putc(b, (char)c);
		}
	}
	dg_buf_putc(b, '"');
}
