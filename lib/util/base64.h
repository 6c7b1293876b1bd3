/*
 * lib/util/base64.h -- base64 (RFC 4648 4) for DKIM b=, bh= and p= values,
 * which may be folded (RFC 6376 3.5: "whitespace is ignored in this
 * value").
 */
#ifndef DG_UTIL_BASE64_H
#define DG_UTIL_BASE64_H

#include <stddef.h>
#include <stdint.h>

#include <dmarcguard/common.h>

/* Flags for dg_base64_decode(). */
#define DG_BASE64_SKIP_FWS	0x01	/* ignore SP, HTAB, CR and LF */

/*
 * Decode p[0..len) into out[0..cap); *outlen gets the byte count.
 * Strict: only the RFC 4648 alphabet, "=" padding only at the end and
 * making the length a multiple of 4, and the unused low bits of the last
 * symbol zero.  Returns DG_OK, DG_ESYNTAX (not base64) or DG_ETOOBIG
 * (more than cap bytes).  Empty input decodes to 0 bytes.
 */
DG_NODISCARD enum dg_err dg_base64_decode(const char *p, size_t len,
	    unsigned flags, uint8_t *out, size_t cap, size_t *outlen);

/*
 * Encode in[0..len) into out[0..cap) with padding and a NUL.  Needs
 * cap >= 4 * ((len + 2) / 3) + 1; returns DG_ETOOBIG otherwise.
 */
DG_NODISCARD enum dg_err dg_base64_encode(const uint8_t *in, size_t len,
	    char *out, size_t cap, size_t *outlen);

#endif /* DG_UTIL_BASE64_H */
