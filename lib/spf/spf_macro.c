/*
 * lib/spf/spf_macro.c -- SPF macro strings, RFC 7208 7.
 *
 * One scanner serves validation and expansion, so the two can never
 * disagree.  Output goes into a struct dg_buf capped at DG_SPF_MACRO_MAX:
 * there is no fixed buffer to overflow, and an expansion that grows past
 * the cap (a record full of %{s}, a huge DIGIT transformer) fails as a
 * whole.  DIGIT transformers saturate at DG_SPF_MACRO_DIGITS_MAX, values
 * split into at most DG_SPF_MACRO_PARTS_MAX parts.  The %{p} lookup is
 * the caller's (it needs DNS and the lookup budget).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "spf/spf_int.h"
#include "util/limits.h"

/* One parsed "%..." sequence. */
struct mtok {
	size_t		len;		/* bytes consumed */
	char		lit;		/* %% %_ : the character; 0 if macro */
	bool		dash;		/* %- : "%20" */
	char		letter;		/* lower case */
	bool		upper;		/* URL-escape the value (7.3) */
	unsigned	digits;		/* 0: all parts */
	bool		reverse;
	bool		delim[256];	/* by value byte; empty: "." */
	bool		any_delim;
};

static bool
is_delim(int c)
{
	return c == '.' || c == '-' || c == '+' || c == ',' || c == '/' ||
	    c == '_' || c == '=';
}

/*
 * Scan the sequence at p[i] == '%'.  Returns SPF_MACRO_OK with *t filled,
 * or the failure.
 */
static enum spf_macro_fail
scan_pct(const char *p, size_t len, size_t i, bool is_exp, struct mtok *t)
{
	size_t		j;
	int		c;
	uint64_t	n = 0;
	bool		have_digits = false;

	memset(t, 0, sizeof(*t));
	if (i + 1 >= len)
		return SPF_MACRO_SYNTAX;	/* truncated "%" */
	switch (p[i + 1]) {
	case '%':
		t->lit = '%';
		t->len = 2;
		return SPF_MACRO_OK;
	case '_':
		t->lit = ' ';
		t->len = 2;
		return SPF_MACRO_OK;
	case '-':
		t->dash = true;
		t->len = 2;
		return SPF_MACRO_OK;
	case '{':
		break;
	default:
		return SPF_MACRO_SYNTAX;
	}
	j = i + 2;
	if (j >= len)
		return SPF_MACRO_SYNTAX;
	c = (unsigned char)p[j];
	t->letter = (char)dg_tolower(c);
	t->upper = c >= 'A' && c <= 'Z';
	switch (t->letter) {
	case 's': case 'l': case 'o': case 'd': case 'i': case 'p':
	case 'h': case 'v':
		break;
	case 'c': case 'r': case 't':
		/* 7.2: allowed only in explanation text. */
		if (!is_exp)
			return SPF_MACRO_LETTER;
		break;
	default:
		return SPF_MACRO_LETTER;
	}
	j++;
	/* Saturating: "%{d99999999999999999999}" means every part. */
	while (j < len && dg_isdigit((unsigned char)p[j])) {
		have_digits = true;
		if (n < DG_SPF_MACRO_DIGITS_MAX)
			n = n * 10 + (uint64_t)(p[j] - '0');
		j++;
	}
	if (have_digits && n == 0)
		return SPF_MACRO_SYNTAX;	/* 7.3: DIGIT must be nonzero */
	t->digits = n > DG_SPF_MACRO_DIGITS_MAX ? DG_SPF_MACRO_DIGITS_MAX :
	    (unsigned)n;
	if (j < len && (p[j] == 'r' || p[j] == 'R')) {
		t->reverse = true;
		j++;
	}
	while (j < len && is_delim((unsigned char)p[j])) {
		t->delim[(unsigned char)p[j]] = true;
		t->any_delim = true;
		j++;
	}
	if (j >= len || p[j] != '}')
		return SPF_MACRO_SYNTAX;	/* truncated, junk, nested %{ */
	t->len = j + 1 - i;
	return SPF_MACRO_OK;
}

/*
 * 7.1 macro-literal (%x21-24 / %x26-7E); explanation text (6.2,
 * explain-string = *( macro-string / SP )) adds SP.  Anything else,
 * non-ASCII and control bytes included, is a syntax error.
 */
static bool
literal_ok(int c, bool is_exp)
{
	if (is_exp && c == ' ')
		return true;
	return c >= 0x21 && c <= 0x7e && c != '%';
}

bool
spf_macro_valid(const char *p, size_t len, bool is_exp, size_t *fail_pos)
{
	struct mtok	t;
	size_t		i = 0;

	while (i < len) {
		if (p[i] != '%') {
			if (!literal_ok((unsigned char)p[i], is_exp)) {
				*fail_pos = i;
				return false;
			}
			i++;
			continue;
		}
		if (scan_pct(p, len, i, is_exp, &t) != SPF_MACRO_OK) {
			*fail_pos = i;
			return false;
		}
		i += t.len;
	}
	return true;
}

/* RFC 3986 unreserved characters stay as they are when URL-escaping. */
static bool
unreserved(int c)
{
	return dg_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static void
put_value(struct dg_buf *out, const char *p, size_t len, bool escape)
{
	static const char	hex[] = "0123456789ABCDEF";
	size_t			i;

	if (!escape) {
		dg_buf_append(out, p, len);
		return;
	}
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)p[i];
		char		e[3];

		if (unreserved(c)) {
			dg_buf_putc(out, (char)c);
			continue;
		}
		e[0] = '%';
		e[1] = hex[c >> 4];
		e[2] = hex[c & 15];
		dg_buf_append(out, e, 3);
	}
}

/*
 * 7.3: split v on the delimiters, reverse if asked, keep the rightmost
 * digits parts, join with ".".
 */
static enum dg_err
transform(struct dg_buf *out, const struct mtok *t, const char *v, size_t vlen,
    enum spf_macro_fail *why)
{
	struct dg_span	parts[DG_SPF_MACRO_PARTS_MAX];
	size_t		n = 0, i, start = 0, first, k;

	if (t->digits == 0 && !t->reverse && !t->any_delim) {
		put_value(out, v, vlen, t->upper);
		return DG_OK;
	}
	for (i = 0; i <= vlen; i++) {
		bool	cut;

		if (i == vlen)
			cut = true;
		else if (t->any_delim)
			cut = t->delim[(unsigned char)v[i]];
		else
			cut = v[i] == '.';
		if (!cut)
			continue;
		if (n == DG_SPF_MACRO_PARTS_MAX) {
			*why = SPF_MACRO_TOOBIG;
			return DG_ETOOBIG;
		}
		parts[n].p = v + start;
		parts[n].len = i - start;
		n++;
		start = i + 1;
	}
	if (t->reverse) {
		for (i = 0; i < n / 2; i++) {
			struct dg_span	tmp = parts[i];

			parts[i] = parts[n - 1 - i];
			parts[n - 1 - i] = tmp;
		}
	}
	first = (t->digits != 0 && t->digits < n) ? n - t->digits : 0;
	for (k = first; k < n; k++) {
		if (k > first)
			dg_buf_putc(out, '.');
		put_value(out, parts[k].p, parts[k].len, t->upper);
	}
	return DG_OK;
}

/* %{i}: dotted quad, or 32 dot-separated nibbles for IPv6 (7.3). */
static void
ip_dotted(const struct dg_ip *ip, char *buf, size_t cap)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, o = 0;

	if (ip->family == DG_IP_V4) {
		dg_fmt(buf, cap, "%u.%u.%u.%u", ip->addr[0], ip->addr[1],
		    ip->addr[2], ip->addr[3]);
		return;
	}
	for (i = 0; i < 16 && o + 4 <= cap; i++) {
		buf[o++] = hex[ip->addr[i] >> 4];
		buf[o++] = '.';
		buf[o++] = hex[ip->addr[i] & 15];
		buf[o++] = '.';
	}
	if (o > 0)
		o--;		/* no final dot */
	buf[o] = '\0';
}

enum dg_err
spf_macro_expand(const struct spf_macro_env *env, const char *p, size_t len,
    bool is_exp, struct dg_buf *out, enum spf_macro_fail *why)
{
	struct mtok		t;
	struct dg_span		v;
	enum spf_macro_fail	f;
	enum dg_err		err;
	char			tmp[72];
	size_t			i = 0, run;

	*why = SPF_MACRO_OK;
	dg_buf_reset(out);
	out->max = DG_SPF_MACRO_MAX;
	/* A syntax error is reported as one even when the output would
	 * pass the cap before reaching it. */
	if (!spf_macro_valid(p, len, is_exp, &run)) {
		*why = p[run] == '%' ? scan_pct(p, len, run, is_exp, &t) :
		    SPF_MACRO_SYNTAX;
		if (*why == SPF_MACRO_OK)
			*why = SPF_MACRO_SYNTAX;
		return DG_ESYNTAX;
	}
	while (i < len) {
		if (p[i] != '%') {
			for (run = i; run < len && p[run] != '%'; run++)
				if (!literal_ok((unsigned char)p[run], is_exp))
					break;
			if (run == i) {
				*why = SPF_MACRO_SYNTAX;
				return DG_ESYNTAX;
			}
			dg_buf_append(out, p + i, run - i);
			i = run;
			continue;
		}
		f = scan_pct(p, len, i, is_exp, &t);
		if (f != SPF_MACRO_OK) {
			*why = f;
			return DG_ESYNTAX;
		}
		i += t.len;
		if (t.lit != 0) {
			dg_buf_putc(out, t.lit);
			continue;
		}
		if (t.dash) {
			dg_buf_append(out, "%20", 3);
			continue;
		}
		v.p = tmp;
		switch (t.letter) {
		case 's':	v = env->sender;	break;
		case 'l':	v = env->local;		break;
		case 'o':	v = env->sender_dom;	break;
		case 'd':	v = env->domain;	break;
		case 'h':	v = env->helo;		break;
		case 'r':
			v = env->receiver;
			if (v.p == NULL || v.len == 0) {
				v.p = "unknown";
				v.len = 7;
			}
			break;
		case 'i':
			ip_dotted(&env->ip, tmp, sizeof(tmp));
			v.len = strlen(tmp);
			break;
		case 'c':
			dg_ip_format(&env->ip, tmp, sizeof(tmp));
			v.len = strlen(tmp);
			break;
		case 'v':
			v.p = env->ip.family == DG_IP_V6 ? "ip6" : "in-addr";
			v.len = strlen(v.p);
			break;
		case 't':
			dg_fmt(tmp, sizeof(tmp), "%" PRId64, env->now);
			v.len = strlen(tmp);
			break;
		case 'p':
			v.p = NULL;
			v.len = 0;
			if (env->get_p != NULL) {
				err = env->get_p(env->ctx, &v);
				if (err != DG_OK)
					return err;
			}
			if (v.p == NULL) {
				v.p = "unknown";
				v.len = 7;
			}
			break;
		default:
			*why = SPF_MACRO_LETTER;	/* scan_pct checked */
			return DG_ESYNTAX;
		}
		if (v.p == NULL)
			v.p = "";
		err = transform(out, &t, v.p, v.len, why);
		if (err != DG_OK)
			return err;
		if (dg_buf_err(out) != DG_OK)
			break;
	}
	err = dg_buf_err(out);
	if (err == DG_ETOOBIG)
		*why = SPF_MACRO_TOOBIG;
	return err;
}

bool
spf_name_trim(const char *s, size_t *len, const char **start)
{
	size_t	n = *len;

	if (n > 0 && s[n - 1] == '.')
		n--;
	while (n > DG_DNS_NAME_MAX) {
		const char	*dot = memchr(s, '.', n);

		if (dot == NULL)
			return false;
		n -= (size_t)(dot + 1 - s);
		s = dot + 1;
	}
	if (n == 0)
		return false;
	*start = s;
	*len = n;
	return true;
}

bool
spf_domain_valid(const char *p, size_t len)
{
	size_t	i, label = 0, labels = 1;

	if (len > 0 && p[len - 1] == '.')
		len--;
	if (len == 0 || len > DG_DNS_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
			labels++;
		} else if (p[i] == '\0' || ++label > DG_DNS_LABEL_MAX) {
			return false;
		}
	}
	return label > 0 && labels >= 2;
}
