/*
 * tests/fuzz/fuzz_dkim_sig.c -- the DKIM-Signature tag parser (RFC 6376
 * 3.5) on arbitrary bytes, then the signature field's canonicalization
 * with its b= value cut out.  The first byte picks the parse flags (ARC,
 * template).  Checks: every span lies inside the input, counts stay under
 * their caps, the b= cut is ordered and inside, a failure names a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/buf.h>

#include "dkim/dkim_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(const char *base, size_t len, struct dg_span s)
{
	if (s.len == 0)
		return;
	if (s.p < base || s.p > base + len ||
	    s.len > (size_t)(base + len - s.p))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_dkim_sig	 sig;
	enum dg_dkim_reason		 r;
	char				 detail[DG_DETAIL_MAX];
	const char			*p;
	size_t				 len, i;
	unsigned			 flags;
	enum dg_err			 err;

	if (size == 0)
		return 0;
	flags = data[0] & (DG_DKIM_SIG_ARC | DG_DKIM_SIG_TEMPLATE);
	p = (const char *)data + 1;
	len = size - 1;

	err = dg_dkim_sig_parse(p, len, flags, &sig, &r, detail,
	    sizeof(detail));
	if (err != DG_OK) {
		if (err != DG_ESYNTAX || r == DG_DKIM_R_NONE ||
		    detail[0] == '\0')
			abort();
		return 0;
	}
	if (sig.nh == 0 || sig.nh > DG_DKIM_MAX_H_NAMES ||
	    sig.blen > sizeof(sig.b) || sig.bhlen != dg_dkim_hash_len(
	    sig.hashalg) || sig.b_start > sig.b_end || sig.b_end > len ||
	    sig.domain[0] == '\0' || sig.selector[0] == '\0' ||
	    sig.keytype == DG_DKIM_KEY_UNSET)
		abort();
	for (i = 0; i < sig.nh; i++) {
		inside(p, len, sig.h[i]);
		if (sig.h[i].len == 0)
			abort();
	}
	inside(p, len, sig.identity);
	inside(p, len, sig.i_domain);
	inside(p, len, sig.b_value);
	if (sig.has_t && sig.has_x && sig.x <= sig.t)
		abort();

	/* The field as hashed: "DKIM-Signature:" + value, b= cut. */
	{
		struct dg_buf	 field, out;

		dg_buf_init(&field, 0);
		dg_buf_init(&out, 0);
		dg_buf_puts(&field, "DKIM-Signature:");
		dg_buf_append(&field, p, len);
		if (dg_buf_err(&field) == DG_OK) {
			dg_dkim_canon_header(sig.header_canon, field.data,
			    field.len, 15 + sig.b_start, 15 + sig.b_end, false,
			    &out);
			if (dg_buf_err(&out) == DG_OK &&
			    out.len > field.len * 2)
				abort();
		}
		dg_buf_free(&field);
		dg_buf_free(&out);
	}
	return 0;
}
