/*
 * lib/msg/header.c -- the RFC 5322 header section over raw bytes.
 *
 * Splits the header section into fields (RFC 5322 2.2), keeping each
 * field's exact bytes (DKIM "simple" canonicalization, RFC 6376 3.4.1,
 * needs them) and an unfolded value (2.2.3).  Accepts CRLF, bare LF and a
 * mix, the obsolete "Name : value" form (4.5), lines over 998 octets
 * (counted, 2.1.1), 8-bit bytes (RFC 6532), a leading mbox "From " line
 * (skipped and reported) and a header with no body.  Rejects NUL bytes, a
 * continuation before the first field and a line that is neither a field
 * nor a continuation (DG_MSG_HDR_LENIENT skips those instead).  A bare CR
 * is an ordinary byte, not a line end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <dmarcguard/msg.h>

#include "msg/msg_int.h"
#include "util/limits.h"
#include "util/str.h"

/* A field while scanning: offsets into the input. */
struct span_field {
	size_t		start;		/* first byte of the name */
	size_t		end;		/* after the last line's terminator */
	size_t		name_len;
	size_t		colon;		/* offset of the colon */
	unsigned	line;
	unsigned	nlines;
	bool		obs;
};

struct scan {
	struct dg_arena		*a;
	struct span_field	*f;
	size_t			 n;
	size_t			 cap;
};

void
dg_msg_seterr(struct dg_msg_error *e, unsigned line, size_t offset,
    const char *fmt, ...)
{
	va_list	ap;

	if (e == NULL)
		return;
	e->line = line;
	e->offset = offset;
	va_start(ap, fmt);
	(void)vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/* RFC 5322 3.6.8 ftext: printable US-ASCII except colon. */
static bool
is_ftext(unsigned char c)
{
	return c >= 33 && c <= 126 && c != ':';
}

/*
 * Is line[0..len) the start of a field?  Sets the name length and the
 * colon position; obs tells whether WSP came between name and colon.
 * Returns false for a line with no colon after the name.
 */
static bool
field_start(const char *line, size_t len, size_t *name_len, size_t *colon,
    bool *obs)
{
	size_t	i = 0, n;

	while (i < len && is_ftext((unsigned char)line[i]))
		i++;
	n = i;
	if (n == 0)
		return false;
	while (i < len && dg_iswsp((unsigned char)line[i]))
		i++;
	if (i >= len || line[i] != ':')
		return false;
	*name_len = n;
	*colon = i;
	*obs = i != n;
	return true;
}

static enum dg_err
push_field(struct scan *s, const struct span_field *sf)
{
	struct span_field	*nf;
	size_t			 ncap;

	if (s->n == s->cap) {
		ncap = s->cap != 0 ? s->cap * 2 : 32;
		nf = dg_arena_calloc(s->a, ncap, sizeof(*nf));
		if (nf == NULL)
			return dg_arena_err(s->a);
		if (s->n > 0)
			memcpy(nf, s->f, s->n * sizeof(*nf));
		s->f = nf;
		s->cap = ncap;
	}
	s->f[s->n++] = *sf;
	return DG_OK;
}

/*
 * The unfolded value of raw[from..to): line terminators dropped (all of
 * them inside a field precede WSP by construction), then leading WSP.
 */
static char *
unfold(struct dg_arena *a, const char *raw, size_t from, size_t to,
    size_t *outlen)
{
	char	*v;
	size_t	 i, o = 0;
	bool	 lead = true;

	v = dg_arena_alloc(a, to - from + 1);
	if (v == NULL)
		return NULL;
	for (i = from; i < to; i++) {
		unsigned char	c = (unsigned char)raw[i];

		if (c == '\n')
			continue;
		if (c == '\r' && i + 1 < to && raw[i + 1] == '\n')
			continue;
		if (lead && dg_iswsp(c))
			continue;
		lead = false;
		v[o++] = (char)c;
	}
	v[o] = '\0';
	*outlen = o;
	return v;
}

enum dg_err
dg_msg_hdr_parse(struct dg_arena *a, const char *p, size_t len,
    unsigned flags, struct dg_msg_hdr *out, struct dg_msg_error *err)
{
	struct scan		 s;
	struct dg_msg_hdr	 h;
	struct span_field	 cur;
	bool			 open = false;
	size_t			 pos = 0, i;
	unsigned		 lineno = 0;
	char			*copy;
	enum dg_err		 e;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (a == NULL || out == NULL || (p == NULL && len > 0))
		return DG_EINVAL;
	memset(&s, 0, sizeof(s));
	memset(&h, 0, sizeof(h));
	memset(&cur, 0, sizeof(cur));
	s.a = a;
	h.header_len = len;
	h.body_offset = len;

	while (pos < len) {
		const char	*nl, *line = p + pos;
		size_t		 clen, next, name_len, colon;
		bool		 obs;

		lineno++;
		nl = memchr(line, '\n', len - pos);
		if (nl != NULL) {
			next = (size_t)(nl - p) + 1;
			clen = (size_t)(nl - line);
			if (clen > 0 && line[clen - 1] == '\r') {
				clen--;
				h.crlf = true;
			} else
				h.bare_lf = true;
		} else {
			next = len;
			clen = len - pos;
		}
		if (clen == 0 && nl != NULL) {
			/* RFC 5322 2.1: the empty line ends the header. */
			h.header_len = pos;
			h.body_offset = next;
			h.has_separator = true;
			break;
		}
		if (pos + clen > DG_HDR_SECTION_MAX) {
			dg_msg_seterr(err, lineno, pos, "line %u: header "
			    "section exceeds DG_HDR_SECTION_MAX (%u bytes)",
			    lineno, (unsigned)DG_HDR_SECTION_MAX);
			return DG_ETOOBIG;
		}
		if (memchr(line, '\0', clen) != NULL) {
			dg_msg_seterr(err, lineno, pos, "line %u: NUL byte "
			    "in header", lineno);
			return DG_ESYNTAX;
		}
		if (clen > DG_HDR_LINE_MAX)
			h.long_lines++;

		if (dg_iswsp((unsigned char)line[0])) {
			/* RFC 5322 2.2.3 folding: a continuation line. */
			if (!open) {
				if (flags & DG_MSG_HDR_LENIENT) {
					h.skipped_lines++;
					pos = next;
					continue;
				}
				dg_msg_seterr(err, lineno, pos, "line %u: "
				    "continuation line before any field",
				    lineno);
				return DG_ESYNTAX;
			}
			cur.end = next;
			cur.nlines++;
		} else if (field_start(line, clen, &name_len, &colon,
		    &obs)) {
			if (name_len > DG_HDR_NAME_MAX) {
				dg_msg_seterr(err, lineno, pos, "line %u: "
				    "field name exceeds DG_HDR_NAME_MAX (%u "
				    "bytes)", lineno,
				    (unsigned)DG_HDR_NAME_MAX);
				return DG_ETOOBIG;
			}
			if (open && (e = push_field(&s, &cur)) != DG_OK)
				goto fail;
			if (s.n >= DG_HDR_FIELDS_MAX) {
				dg_msg_seterr(err, lineno, pos, "line %u: "
				    "more than DG_HDR_FIELDS_MAX (%u) fields",
				    lineno, (unsigned)DG_HDR_FIELDS_MAX);
				return DG_ETOOBIG;
			}
			cur.start = pos;
			cur.end = next;
			cur.name_len = name_len;
			cur.colon = pos + colon;
			cur.line = lineno;
			cur.nlines = 1;
			cur.obs = obs;
			open = true;
		} else if (lineno == 1 && clen >= 5 &&
		    memcmp(line, "From ", 5) == 0) {
			/* An mbox separator line, not part of RFC 5322. */
			h.mbox_from_len = next;
			pos = next;
			continue;
		} else {
			if (flags & DG_MSG_HDR_LENIENT) {
				h.skipped_lines++;
				if (open && (e = push_field(&s, &cur)) !=
				    DG_OK)
					goto fail;
				open = false;
				pos = next;
				continue;
			}
			dg_msg_seterr(err, lineno, pos, "line %u: neither a "
			    "header field nor a continuation line", lineno);
			return DG_ESYNTAX;
		}
		if (open && cur.end - cur.start > DG_HDR_FIELD_MAX) {
			dg_msg_seterr(err, cur.line, cur.start, "line %u: "
			    "field exceeds DG_HDR_FIELD_MAX (%u bytes)",
			    cur.line, (unsigned)DG_HDR_FIELD_MAX);
			return DG_ETOOBIG;
		}
		pos = next;
	}
	if (open && (e = push_field(&s, &cur)) != DG_OK)
		goto fail;

	/* One copy of the section; raw and name point into it. */
	copy = dg_arena_strndup(a, p, h.header_len);
	if (copy == NULL) {
		e = dg_arena_err(a);
		goto fail;
	}
	if (h.mbox_from_len > 0)
		h.mbox_from = copy;
	if (s.n > 0) {
		h.fields = dg_arena_calloc(a, s.n, sizeof(*h.fields));
		if (h.fields == NULL) {
			e = dg_arena_err(a);
			goto fail;
		}
	}
	for (i = 0; i < s.n; i++) {
		struct dg_msg_field	*f = &h.fields[i];
		const struct span_field	*sf = &s.f[i];

		f->raw = copy + sf->start;
		f->raw_len = sf->end - sf->start;
		f->name = f->raw;
		f->name_len = sf->name_len;
		f->line = sf->line;
		f->nlines = sf->nlines;
		f->obs_wsp_colon = sf->obs;
		f->value = unfold(a, copy, sf->colon + 1, sf->end,
		    &f->value_len);
		if (f->value == NULL) {
			e = dg_arena_err(a);
			goto fail;
		}
	}
	h.nfields = s.n;
	*out = h;
	return DG_OK;
fail:
	dg_msg_seterr(err, lineno, pos, "line %u: %s", lineno,
	    e == DG_ETOOBIG ? "arena ceiling reached" : dg_strerror(e));
	return e;
}

bool
dg_msg_field_is(const struct dg_msg_field *f, const char *name)
{
	return dg_memcaseeq(f->name, f->name_len, name, strlen(name));
}

const struct dg_msg_field *
dg_msg_hdr_next(const struct dg_msg_hdr *h, const char *name, size_t *idx)
{
	size_t	i;

	if (h == NULL || name == NULL || idx == NULL)
		return NULL;
	for (i = *idx; i < h->nfields; i++) {
		if (dg_msg_field_is(&h->fields[i], name)) {
			*idx = i + 1;
			return &h->fields[i];
		}
	}
	*idx = h->nfields;
	return NULL;
}

const struct dg_msg_field *
dg_msg_hdr_prev(const struct dg_msg_hdr *h, const char *name, size_t *idx)
{
	size_t	i;

	if (h == NULL || name == NULL || idx == NULL)
		return NULL;
	i = *idx < h->nfields ? *idx : h->nfields;
	while (i > 0) {
		i--;
		if (dg_msg_field_is(&h->fields[i], name)) {
			*idx = i;
			return &h->fields[i];
		}
	}
	*idx = 0;
	return NULL;
}

size_t
dg_msg_hdr_count(const struct dg_msg_hdr *h, const char *name)
{
	size_t	i, n = 0;

	if (h == NULL || name == NULL)
		return 0;
	for (i = 0; i < h->nfields; i++)
		if (dg_msg_field_is(&h->fields[i], name))
			n++;
	return n;
}
