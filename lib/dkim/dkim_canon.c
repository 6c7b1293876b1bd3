/*
 * lib/dkim/dkim_canon.c -- DKIM canonicalization, RFC 6376 3.4: simple
 * and relaxed for header fields (3.4.1, 3.4.2) and, streaming, for the
 * body (3.4.3, 3.4.4), with the l= cut (3.5).
 *
 * Line ends: mail stored on Unix has bare LF; the signer saw CRLF, so a
 * bare LF is read as CRLF everywhere (header folds and body).  A CR that
 * is not followed by LF is ordinary data.  Relaxed body of an empty body
 * is empty, simple body of an empty body is one CRLF (RFC 6376 3.4.3,
 * 3.4.4 with erratum 1384).
 */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dkim/dkim_int.h"

void
dg_dkim_bodycanon_init(struct dg_dkim_bodycanon *bc, enum dg_dkim_canon canon,
    bool has_limit, uint64_t limit, dg_dkim_sink_fn sink, void *ctx)
{
	memset(bc, 0, sizeof(*bc));
	bc->canon = canon;
	bc->has_limit = has_limit;
	bc->limit = limit;
	bc->sink = sink;
	bc->ctx = ctx;
}

static void
flush(struct dg_dkim_bodycanon *bc)
{
	if (bc->nstage > 0)
		bc->sink(bc->ctx, bc->stage, bc->nstage);
	bc->nstage = 0;
}

/* One canonical output byte: counted always, passed on up to l=. */
static inline void
put(struct dg_dkim_bodycanon *bc, char c)
{
	bc->total++;
	if (bc->has_limit && bc->hashed >= bc->limit)
		return;
	bc->hashed++;
	bc->stage[bc->nstage++] = c;
	if (bc->nstage == sizeof(bc->stage))
		flush(bc);
}

/* A run of ordinary bytes, copied in pieces (the fast path). */
static void
put_run(struct dg_dkim_bodycanon *bc, const char *p, size_t n)
{
	size_t	take = n;

	bc->total += n;
	if (bc->has_limit) {
		uint64_t	room = bc->limit - bc->hashed;

		if (bc->hashed >= bc->limit)
			take = 0;
		else if (room < take)
			take = (size_t)room;
	}
	bc->hashed += take;
	while (take > 0) {
		size_t	k = sizeof(bc->stage) - bc->nstage;

		if (k > take)
			k = take;
		memcpy(bc->stage + bc->nstage, p, k);
		bc->nstage += k;
		p += k;
		take -= k;
		if (bc->nstage == sizeof(bc->stage))
			flush(bc);
	}
}

/* Bytes with no canonicalization effect: not CR, LF, nor (relaxed) WSP. */
static inline bool
plain(char c, bool relaxed)
{
	return c != '\r' && c != '\n' &&
	    !(relaxed && (c == ' ' || c == '\t'));
}

/* Content follows: the empty lines held back were not trailing. */
static void
release_lines(struct dg_dkim_bodycanon *bc)
{
	for (; bc->empty_lines > 0; bc->empty_lines--) {
		put(bc, '\r');
		put(bc, '\n');
	}
}

static void
content(struct dg_dkim_bodycanon *bc, char c)
{
	release_lines(bc);
	if (bc->wsp) {
		/* relaxed: a WSP run inside a line is one SP (3.4.4 b) */
		put(bc, ' ');
		bc->wsp = false;
	}
	put(bc, c);
	bc->in_line = true;
}

static void
line_end(struct dg_dkim_bodycanon *bc)
{
	/* relaxed: WSP at the end of a line goes (3.4.4 a) */
	bc->wsp = false;
	if (bc->in_line) {
		put(bc, '\r');
		put(bc, '\n');
		bc->in_line = false;
	} else {
		/* Maybe trailing: hold it (3.4.3, 3.4.4 c).  A count, so
		 * a flood of empty lines costs no memory. */
		bc->empty_lines++;
	}
}

/*
 * Input that canonicalizes to itself, n bytes: long spans go to the sink
 * straight from the caller's buffer (after what is staged), short ones
 * through the stage.
 */
static void
put_span(struct dg_dkim_bodycanon *bc, const char *p, size_t n)
{
	size_t	take = n;

	if (n < DG_DKIM_CANON_DIRECT) {
		put_run(bc, p, n);
		return;
	}
	bc->total += n;
	if (bc->has_limit) {
		uint64_t	room = bc->limit - bc->hashed;

		if (bc->hashed >= bc->limit)
			take = 0;
		else if (room < take)
			take = (size_t)room;
	}
	bc->hashed += take;
	if (take > 0) {
		flush(bc);
		bc->sink(bc->ctx, p, take);
	}
}

/*
 * From p[i], with nothing held back, the longest run whose canonical form
 * is the run itself: ordinary bytes, a CRLF that ends a line with content,
 * and (relaxed) one SP between two ordinary bytes of a line.  Sets
 * *in_line to the state after the run; returns its end.
 */
#define ONES	0x0101010101010101ull
#define LOW7	0x7F7F7F7F7F7F7F7Full

/* 0x80 in exactly the bytes of x that are 0 (no false positives). */
static inline uint64_t
zero_bytes(uint64_t x)
{
	return ~(((x & LOW7) + LOW7) | x | LOW7);
}

/* 0x80 in the bytes of w equal to b. */
static inline uint64_t
bytes_eq(uint64_t w, unsigned char b)
{
	return zero_bytes(w ^ (ONES * b));
}

/*
 * Eight bytes at p[i] are an identity run by themselves: no CR, LF (nor,
 * relaxed, TAB), and every SP single, after content and before content.
 * Little-endian loads: byte k of the word is bits 8k..8k+7.
 */
static inline bool
identity8(const char *p, size_t i, size_t len, bool relaxed, bool inl)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t	w, sp;

	if (len - i < 9)
		return false;
	memcpy(&w, p + i, sizeof(w));
	if ((bytes_eq(w, '\r') | bytes_eq(w, '\n')) != 0)
		return false;
	if (!relaxed)
		return true;
	if (bytes_eq(w, '\t') != 0)
		return false;
	sp = bytes_eq(w, ' ');
	if (sp == 0)
		return true;
	if ((sp & (sp << 8)) != 0 ||			/* two SPs in a row */
	    ((sp & 0x80) != 0 && !inl) ||		/* SP at a line start */
	    ((sp >> 56) != 0 && !plain(p[i + 8], true)))	/* SP before WSP
							 * or a line end */
		return false;
	return true;
#else
	(void)p; (void)i; (void)len; (void)relaxed; (void)inl;
	return false;
#endif
}

#ifdef __SSE2__
/*
 * How many of the sixteen bytes at p[i] start an identity run, by SSE2
 * compares (every x86-64): the bytes before the first CR, LF (or, relaxed,
 * TAB), less a final SP that may be trailing; 0 when an SP is doubled or
 * opens a line (the byte loop sorts those out).
 */
static inline size_t
identity16(const char *p, size_t i, size_t len, bool relaxed, bool inl)
{
	__m128i		w;
	unsigned	bad, sp;
	size_t		n;

	if (len - i < 17)
		return 0;
	w = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
	bad = (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(w, _mm_set1_epi8('\r')),
	    _mm_cmpeq_epi8(w, _mm_set1_epi8('\n'))));
	if (relaxed)
		bad |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w,
		    _mm_set1_epi8('\t')));
	n = bad != 0 ? (size_t)__builtin_ctz(bad) : 16;
	if (!relaxed || n == 0)
		return n;
	sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w,
	    _mm_set1_epi8(' '))) & ((1u << n) - 1);
	if ((sp & (sp << 1)) != 0 || ((sp & 1) != 0 && !inl))
		return 0;
	/* An SP last: kept only before an ordinary byte. */
	if ((sp >> (n - 1)) & 1) {
		if (n < 16 || !plain(p[i + 16], true))
			n--;
	}
	return n;
}
#endif

static size_t
identity_run(const char *p, size_t i, size_t len, bool relaxed,
    bool *in_line)
{
	bool	inl = *in_line;

	while (i < len) {
		char	c = p[i];

#ifdef __SSE2__
		size_t	k = identity16(p, i, len, relaxed, inl);

		if (k > 0) {
			/* It ends on an ordinary byte: inside a line. */
			i += k;
			inl = true;
			continue;
		}
#endif
		if (identity8(p, i, len, relaxed, inl)) {
			i += 8;
			inl = true;
			continue;
		}

		if (plain(c, relaxed)) {
			inl = true;
			i++;
		} else if (c == '\r' && inl && len - i >= 2 &&
		    p[i + 1] == '\n') {
			inl = false;
			i += 2;
		} else if (relaxed && c == ' ' && inl && len - i >= 2 &&
		    plain(p[i + 1], relaxed)) {
			i += 2;
		} else {
			break;
		}
	}
	*in_line = inl;
	return i;
}

void
dg_dkim_bodycanon_update(struct dg_dkim_bodycanon *bc, const char *p,
    size_t len)
{
	size_t	i, j;
	bool	relaxed = (bc->canon == DG_DKIM_CANON_RELAXED);

	if (bc->done)
		return;
	for (i = 0; i < len; i++) {
		char	c = p[i];

		/* Nothing held back: pass on what stays as it is. */
		if (!bc->cr && !bc->wsp && bc->empty_lines == 0) {
			j = identity_run(p, i, len, relaxed, &bc->in_line);
			if (j > i) {
				put_span(bc, p + i, j - i);
				i = j - 1;
				continue;
			}
		}
		if (bc->cr) {
			bc->cr = false;
			if (c == '\n') {
				line_end(bc);
				continue;
			}
			content(bc, '\r');	/* a lone CR is data */
		}
		if (c == '\r') {
			bc->cr = true;
		} else if (c == '\n') {
			line_end(bc);		/* bare LF as CRLF */
		} else if (relaxed && (c == ' ' || c == '\t')) {
			bc->wsp = true;
		} else {
			content(bc, c);
		}
	}
}

void
dg_dkim_bodycanon_final(struct dg_dkim_bodycanon *bc)
{
	if (bc->done)
		return;
	if (bc->cr) {
		bc->cr = false;
		content(bc, '\r');
	}
	bc->wsp = false;	/* WSP at the end of the last line goes */
	/* A last line without CRLF gets one (3.4.3, 3.4.4). */
	if (bc->in_line) {
		put(bc, '\r');
		put(bc, '\n');
		bc->in_line = false;
	}
	/* simple: an empty body (or only empty lines) is one CRLF. */
	if (bc->canon == DG_DKIM_CANON_SIMPLE && bc->total == 0) {
		put(bc, '\r');
		put(bc, '\n');
	}
	bc->empty_lines = 0;
	flush(bc);
	bc->done = true;
}

/* Strip one final CRLF or LF. */
static size_t
field_len(const char *raw, size_t len)
{
	if (len > 0 && raw[len - 1] == '\n') {
		len--;
		if (len > 0 && raw[len - 1] == '\r')
			len--;
	}
	return len;
}

void
dg_dkim_canon_header(enum dg_dkim_canon canon, const char *raw, size_t len,
    size_t skip_start, size_t skip_end, bool crlf, struct dg_buf *out)
{
	size_t	i, colon;
	bool	wsp = false, started = false;

	len = field_len(raw, len);
	if (skip_end > len)
		skip_end = len;
	if (skip_start > skip_end)
		skip_start = skip_end;

	if (canon != DG_DKIM_CANON_RELAXED) {
		/* simple (3.4.1): as is; bare LF in a fold becomes CRLF. */
		for (i = 0; i < len; i++) {
			if (i == skip_start)
				i = skip_end;
			if (i >= len)
				break;
			if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r'))
				dg_buf_putc(out, '\r');
			dg_buf_putc(out, raw[i]);
		}
		if (crlf)
			dg_buf_append(out, "\r\n", 2);
		return;
	}

	/*
	 * relaxed (3.4.2): name lower-cased and without WSP before the
	 * colon; value unfolded, WSP runs as one SP, WSP at both ends gone.
	 */
	colon = len;
	for (i = 0; i < len; i++)
		if (raw[i] == ':') {
			colon = i;
			break;
		}
	{
		size_t	nend = colon;

		while (nend > 0 && (raw[nend - 1] == ' ' ||
		    raw[nend - 1] == '\t' || raw[nend - 1] == '\r' ||
		    raw[nend - 1] == '\n'))
			nend--;
		for (i = 0; i < nend; i++)
			dg_buf_putc(out, (char)dg_tolower((unsigned char)
			    raw[i]));
	}
	dg_buf_putc(out, ':');
	for (i = colon + 1; i < len; i++) {
		char	c;

		if (i == skip_start)
			i = skip_end;
		if (i >= len)
			break;
		c = raw[i];
		if (c == '\r' || c == '\n')
			continue;	/* unfold */
		if (c == ' ' || c == '\t') {
			wsp = true;
			continue;
		}
		if (wsp && started)
			dg_buf_putc(out, ' ');
		wsp = false;
		started = true;
		dg_buf_putc(out, c);
	}
	if (crlf)
		dg_buf_append(out, "\r\n", 2);
}

enum dg_err
dg_dkim_hash_fields(enum dg_dkim_canon canon, const struct dg_dkim_field *f,
    size_t n, const struct dg_span *names, size_t nnames, size_t self,
    bool *used, struct dg_buf *scratch, struct dg_dkim_hash *hh)
{
	size_t	k, j;

	memset(used, 0, n * sizeof(*used));
	if (self < n)
		used[self] = true;	/* a signature never covers itself */
	for (k = 0; k < nnames; k++) {
		for (j = n; j > 0; j--) {
			const struct dg_dkim_field	*g = &f[j - 1];

			if (used[j - 1] || !dg_memcaseeq(g->raw, g->name_len,
			    names[k].p, names[k].len))
				continue;
			used[j - 1] = true;
			dg_buf_reset(scratch);
			dg_dkim_canon_header(canon, g->raw, g->len, 0, 0, true,
			    scratch);
			/* The next reset clears the error: check now. */
			if (dg_buf_err(scratch) != DG_OK)
				return dg_buf_err(scratch);
			if (scratch->data != NULL)
				dg_dkim_hash_update(hh, scratch->data,
				    scratch->len);
			break;
		}
	}
	return DG_OK;
}
