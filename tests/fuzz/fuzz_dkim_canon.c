/*
 * tests/fuzz/fuzz_dkim_canon.c -- DKIM header and body canonicalization
 * (RFC 6376 3.4) on arbitrary bytes.  The first byte picks the body
 * algorithm and a chunk size; the body is canonicalized in one piece and
 * in chunks, which must agree byte for byte.  Checks the output's shape:
 * relaxed has no HTAB, no WSP run, no WSP before CRLF; neither ends in an
 * empty line; simple is never empty; the l= cut hashes a prefix.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/buf.h>

#include "dkim/dkim_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
sink(void *ctx, const char *p, size_t len)
{
	dg_buf_append(ctx, p, len);
}

static uint64_t
body(enum dg_dkim_canon c, const char *p, size_t len, size_t chunk,
    bool has_l, uint64_t l, struct dg_buf *out)
{
	struct dg_dkim_bodycanon	*bc = malloc(sizeof(*bc));
	size_t				 off;
	uint64_t			 total;

	if (bc == NULL)
		abort();
	dg_dkim_bodycanon_init(bc, c, has_l, l, sink, out);
	if (chunk == 0)
		chunk = len + 1;
	for (off = 0; off < len; off += chunk)
		dg_dkim_bodycanon_update(bc, p + off,
		    len - off < chunk ? len - off : chunk);
	dg_dkim_bodycanon_final(bc);
	total = bc->total;
	free(bc);
	return total;
}

static bool
ends_with(const struct dg_buf *b, const char *s)
{
	size_t	n = strlen(s);

	return b->len >= n && memcmp(b->data + b->len - n, s, n) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_buf		 one, many, cut, hdr;
	enum dg_dkim_canon	 c;
	const char		*p;
	size_t			 len, chunk, i;
	uint64_t		 t1, t2, t3, l;

	if (size == 0)
		return 0;
	c = (data[0] & 1) ? DG_DKIM_CANON_RELAXED : DG_DKIM_CANON_SIMPLE;
	chunk = (size_t)(data[0] >> 1) + 1;
	p = (const char *)data + 1;
	len = size - 1;

	dg_buf_init(&one, 0);
	dg_buf_init(&many, 0);
	dg_buf_init(&cut, 0);
	t1 = body(c, p, len, 0, false, 0, &one);
	t2 = body(c, p, len, chunk, false, 0, &many);
	if (t1 != t2 || one.len != t1 || many.len != t2 ||
	    (t1 > 0 && memcmp(one.data, many.data, one.len) != 0))
		abort();
	if (c == DG_DKIM_CANON_SIMPLE && one.len == 0)
		abort();
	if (one.len > 0 && !ends_with(&one, "\r\n"))
		abort();
	if (one.len >= 4 && ends_with(&one, "\r\n\r\n"))
		abort();
	if (c == DG_DKIM_CANON_RELAXED) {
		for (i = 0; i < one.len; i++) {
			if (one.data[i] == '\t')
				abort();
			if (one.data[i] == ' ' && i + 1 < one.len &&
			    (one.data[i + 1] == ' ' || (one.data[i + 1] ==
			    '\r' && i + 2 < one.len && one.data[i + 2] ==
			    '\n')))
				abort();
		}
	}
	/* l= hashes exactly a prefix and counts everything. */
	l = len / 2;
	t3 = body(c, p, len, chunk, true, l, &cut);
	if (t3 != t1 || cut.len != (t1 < l ? t1 : l) ||
	    (cut.len > 0 && memcmp(cut.data, one.data, cut.len) != 0))
		abort();
	dg_buf_free(&one);
	dg_buf_free(&many);
	dg_buf_free(&cut);

	/* The same bytes as one header field. */
	dg_buf_init(&hdr, 0);
	dg_dkim_canon_header(c, p, len, len / 3, len / 2, true, &hdr);
	if (dg_buf_err(&hdr) != DG_OK || !ends_with(&hdr, "\r\n"))
		abort();
	if (c == DG_DKIM_CANON_RELAXED) {
		/* The value only: the name is whatever came before ':'. */
		const char	*colon = memchr(hdr.data, ':', hdr.len);

		i = colon != NULL ? (size_t)(colon - hdr.data) : hdr.len;
		for (; i + 2 < hdr.len; i++)
			if (hdr.data[i] == '\n' || hdr.data[i] == '\t' ||
			    (hdr.data[i] == ' ' && hdr.data[i + 1] == ' '))
				abort();
	}
	dg_buf_free(&hdr);
	return 0;
}
