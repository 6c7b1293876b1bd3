/*
 * tests/fuzz/fuzz_dkim_key.c -- the DKIM key record parser (RFC 6376
 * 3.6.1) on arbitrary bytes, and the public key built from what parses
 * (OpenSSL's DER decoders behind dg_dkim_pkey_public).  Checks: a failure
 * names a reason, p= fits its cap, a built key has a size in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_dkim_keyrec	 rec;
	struct dg_dkim_key		*k = NULL;
	enum dg_dkim_reason		 r = DG_DKIM_R_NONE;
	char				 detail[DG_DETAIL_MAX];
	enum dg_err			 err;

	err = dg_dkim_key_parse((const char *)data, size, &rec, &r, detail,
	    sizeof(detail));
	if (err != DG_OK) {
		if (err != DG_ESYNTAX || r == DG_DKIM_R_NONE ||
		    detail[0] == '\0')
			abort();
		return 0;
	}
	if (rec.plen > sizeof(rec.p) || rec.revoked != (rec.plen == 0) ||
	    rec.type == DG_DKIM_KEY_UNSET)
		abort();
	if (rec.revoked)
		return 0;
	err = dg_dkim_key_new(&rec, &k, &r);
	if (err == DG_OK) {
		if (k->bits == 0 || k->bits > DG_DKIM_MAX_KEY_BITS ||
		    k->refs != 1 || k->type != rec.type)
			abort();
		dg_dkim_key_unref(k);
	} else if (err != DG_ESYNTAX && err != DG_ENOMEM) {
		abort();
	} else if (err == DG_ESYNTAX && r != DG_DKIM_R_KEY_BAD_DATA &&
	    r != DG_DKIM_R_KEY_TOO_BIG) {
		abort();
	}
	return 0;
}
