/*
 * lib/util/base64.c -- strict base64 (RFC 4648 4), decoding with optional
 * folding whitespace skipped.  Non-canonical encodings (junk after the
 * padding, non-zero pad bits) are refused: a DKIM b= or p= that two
 * decoders could read differently is not one we want to verify.
 */
#include "util/base64.h"

static const char	b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

enum dg_err
dg_base64_decode(const char *p, size_t len, unsigned flags, uint8_t *out,
    size_t cap, size_t *outlen)
{
	uint32_t	acc = 0;
	size_t		i, n = 0, nsym = 0, npad = 0;
	int		v;

	if (p == NULL || outlen == NULL || (out == NULL && cap > 0))
		return DG_EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)p[i];

		if ((flags & DG_BASE64_SKIP_FWS) != 0 &&
		    (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
			continue;
		if (c == '=') {
			/* At most two, and only after 2 or 3 symbols of the
			 * last quantum. */
			if (npad == 2 || nsym % 4 < 2)
				return DG_ESYNTAX;
			npad++;
			nsym++;
			continue;
		}
		if (npad > 0)
			return DG_ESYNTAX;	/* data after padding */
		if ((v = b64_value(c)) < 0)
			return DG_ESYNTAX;
		acc = (acc << 6) | (uint32_t)v;
		nsym++;
		if (nsym % 4 == 0) {
			if (n + 3 > cap)
				return DG_ETOOBIG;
			out[n++] = (uint8_t)(acc >> 16);
			out[n++] = (uint8_t)(acc >> 8);
			out[n++] = (uint8_t)acc;
			acc = 0;
		}
	}
	if (nsym % 4 != 0)
		return DG_ESYNTAX;
	if (npad > 0) {
		/* The last quantum had 4 - npad real symbols sitting in acc
		 * (padding added nothing); its low pad bits must be zero. */
		if (npad == 1) {
			if ((acc & 0x3) != 0)
				return DG_ESYNTAX;
			if (n + 2 > cap)
				return DG_ETOOBIG;
			out[n++] = (uint8_t)(acc >> 10);
			out[n++] = (uint8_t)(acc >> 2);
		} else {
			if ((acc & 0xf) != 0)
				return DG_ESYNTAX;
			if (n + 1 > cap)
				return DG_ETOOBIG;
			out[n++] = (uint8_t)(acc >> 4);
		}
	}
	*outlen = n;
	return DG_OK;
}

enum dg_err
dg_base64_encode(const uint8_t *in, size_t len, char *out, size_t cap,
    size_t *outlen)
{
	size_t		i, n = 0, need;

	if ((in == NULL && len > 0) || out == NULL)
		return DG_EINVAL;
	if (len > (SIZE_MAX - 1) / 4 * 3 - 2)
		return DG_ETOOBIG;
	need = 4 * ((len + 2) / 3) + 1;
	if (cap < need)
		return DG_ETOOBIG;
	for (i = 0; i + 3 <= len; i += 3) {
		uint32_t	v = (uint32_t)in[i] << 16 |
			    (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[n++] = b64_alphabet[(v >> 18) & 0x3f];
		out[n++] = b64_alphabet[(v >> 12) & 0x3f];
		out[n++] = b64_alphabet[(v >> 6) & 0x3f];
		out[n++] = b64_alphabet[v & 0x3f];
	}
	if (len - i == 1) {
		uint32_t	v = (uint32_t)in[i] << 16;

		out[n++] = b64_alphabet[(v >> 18) & 0x3f];
		out[n++] = b64_alphabet[(v >> 12) & 0x3f];
		out[n++] = '=';
		out[n++] = '=';
	} else if (len - i == 2) {
		uint32_t	v = (uint32_t)in[i] << 16 |
			    (uint32_t)in[i + 1] << 8;

		out[n++] = b64_alphabet[(v >> 18) & 0x3f];
		out[n++] = b64_alphabet[(v >> 12) & 0x3f];
		out[n++] = b64_alphabet[(v >> 6) & 0x3f];
		out[n++] = '=';
	}
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return DG_OK;
}
