/*
 * lib/util/taglist.c -- the shared tag-list parser, RFC 6376 3.2 (used by
 * DKIM signatures and keys, ARC, and DMARC records via RFC 9989 4.7).
 *
 * One pass with a cursor bounded by len; every step either advances or
 * stops with a named reason and the byte position.  Nothing is allocated:
 * the output is spans into the caller's input.  Values are not
 * interpreted; RFC 6376 3.2 leaves their syntax to each tag.
 */
#include <string.h>

#include "util/limits.h"
#include "util/taglist.h"

/* RFC 6376 3.2: VALCHAR = %x21-3A / %x3C-7E (printable, not ";"). */
static bool
is_valchar(unsigned char c)
{
	return (c >= 0x21 && c <= 0x3a) || (c >= 0x3c && c <= 0x7e);
}

/* ALNUMPUNC = ALPHA / DIGIT / "_" */
static bool
is_alnumpunc(unsigned char c)
{
	return dg_isalnum(c) || c == '_';
}

static enum dg_err
fail(struct dg_taglist_error *err, enum dg_taglist_reason r, size_t pos)
{
	if (err != NULL) {
		err->reason = r;
		err->pos = pos;
	}
	return r == DG_TAGLIST_R_TOO_MANY ? DG_ETOOBIG : DG_ESYNTAX;
}

/*
 * Skip FWS (RFC 5322 3.2.2: [*WSP CRLF] 1*WSP, plus obs-FWS repeats).  A
 * fold must be followed by WSP; a CR or LF that is not is an error.  A
 * bare LF fold is tolerated (see taglist.h).  Returns false with *bad set
 * to the offending offset.
 */
static bool
skip_fws(const char *p, size_t len, size_t *ip, size_t *bad)
{
	size_t	i = *ip;

	while (i < len) {
		unsigned char	c = (unsigned char)p[i];

		if (dg_iswsp(c)) {
			i++;
		} else if (c == '\r' && i + 2 < len && p[i + 1] == '\n' &&
		    dg_iswsp((unsigned char)p[i + 2])) {
			i += 3;
		} else if (c == '\n' && i + 1 < len &&
		    dg_iswsp((unsigned char)p[i + 1])) {
			i += 2;
		} else if (c == '\r' || c == '\n') {
			*bad = i;
			return false;
		} else {
			break;
		}
	}
	*ip = i;
	return true;
}

static bool
same_name(struct dg_span a, struct dg_span b, bool nocase)
{
	if (nocase)
		return dg_memcaseeq(a.p, a.len, b.p, b.len);
	return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

enum dg_err
dg_taglist_parse(const char *p, size_t len, unsigned flags,
    struct dg_tag *tags, size_t cap, size_t *count,
    struct dg_taglist_error *err)
{
	size_t	i = 0, n = 0, bad, k;
	bool	nocase = (flags & DG_TAGLIST_NOCASE) != 0;

	if (p == NULL || tags == NULL || count == NULL)
		return DG_EINVAL;
	if (cap > DG_TAGLIST_MAX)
		cap = DG_TAGLIST_MAX;
	if (err != NULL) {
		err->reason = DG_TAGLIST_R_NONE;
		err->pos = 0;
	}

	for (;;) {
		struct dg_tag	t;
		size_t		start, vend;

		if (!skip_fws(p, len, &i, &bad))
			return fail(err, DG_TAGLIST_R_BAD_FOLD, bad);
		if (i == len) {
			/* "" is not a tag-list; FWS after a final ";" is
			 * tolerated. */
			if (n == 0)
				return fail(err, DG_TAGLIST_R_EXPECTED_NAME, i);
			break;
		}

		/* tag-name = ALPHA *ALNUMPUNC */
		if (!dg_isalpha((unsigned char)p[i]))
			return fail(err, DG_TAGLIST_R_EXPECTED_NAME, i);
		start = i++;
		while (i < len && is_alnumpunc((unsigned char)p[i]))
			i++;
		t.name.p = p + start;
		t.name.len = i - start;
		if (i < len) {
			unsigned char	c = (unsigned char)p[i];

			if (c != '=' && c != ';' && !dg_iswsp(c) &&
			    c != '\r' && c != '\n')
				return fail(err, DG_TAGLIST_R_BAD_NAME, i);
		}

		/* [FWS] "=" [FWS] */
		if (!skip_fws(p, len, &i, &bad))
			return fail(err, DG_TAGLIST_R_BAD_FOLD, bad);
		if (i == len || p[i] != '=')
			return fail(err, DG_TAGLIST_R_EXPECTED_EQUALS, i);
		i++;
		if (!skip_fws(p, len, &i, &bad))
			return fail(err, DG_TAGLIST_R_BAD_FOLD, bad);

		/* tag-value: tvals separated by WSP/FWS, trailing FWS
		 * dropped.  vend moves only past VALCHARs. */
		t.value.p = p + i;
		vend = i;
		while (i < len && p[i] != ';') {
			unsigned char	c = (unsigned char)p[i];

			if (is_valchar(c)) {
				vend = ++i;
			} else if (dg_iswsp(c) || c == '\r' || c == '\n') {
				if (!skip_fws(p, len, &i, &bad))
					return fail(err,
					    DG_TAGLIST_R_BAD_FOLD, bad);
			} else {
				return fail(err, DG_TAGLIST_R_BAD_VALUE, i);
			}
		}
		t.value.len = (size_t)(p + vend - t.value.p);

		if ((flags & DG_TAGLIST_ALLOW_DUP) == 0) {
			for (k = 0; k < n; k++)
				if (same_name(tags[k].name, t.name, nocase))
					return fail(err,
					    DG_TAGLIST_R_DUPLICATE, start);
		}
		if (n >= cap)
			return fail(err, DG_TAGLIST_R_TOO_MANY, start);
		tags[n++] = t;

		if (i == len)
			break;
		i++;		/* the ";" */
	}
	*count = n;
	return DG_OK;
}

int
dg_taglist_match(const struct dg_tagdef *defs, size_t n, struct dg_span name,
    bool nocase)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		struct dg_span	d;

		d.p = defs[i].name;
		d.len = strlen(defs[i].name);
		if (same_name(d, name, nocase))
			return defs[i].id;
	}
	return -1;
}

const struct dg_tag *
dg_taglist_find(const struct dg_tag *tags, size_t count, const char *name,
    bool nocase)
{
	struct dg_span	want;
	size_t		i;

	want.p = name;
	want.len = strlen(name);
	for (i = 0; i < count; i++)
		if (same_name(tags[i].name, want, nocase))
			return &tags[i];
	return NULL;
}

const char *
dg_taglist_reason_str(enum dg_taglist_reason r)
{
	switch (r) {
	case DG_TAGLIST_R_NONE:
		return "no error";
	case DG_TAGLIST_R_EXPECTED_NAME:
		return "expected a tag name";
	case DG_TAGLIST_R_BAD_NAME:
		return "invalid character in tag name";
	case DG_TAGLIST_R_EXPECTED_EQUALS:
		return "expected \"=\" after tag name";
	case DG_TAGLIST_R_BAD_VALUE:
		return "invalid character in tag value";
	case DG_TAGLIST_R_BAD_FOLD:
		return "CR or LF outside a fold";
	case DG_TAGLIST_R_DUPLICATE:
		return "duplicate tag";
	case DG_TAGLIST_R_TOO_MANY:
		return "too many tags";
	}
	return "unknown";
}
