/*
 * lib/dkim/dkim_sign.c -- DKIM signing, RFC 6376 5: body hash (5.3),
 * h= selection and header hash over a template signature field with an
 * empty b= (5.4, 3.7), then the signature.  Enough for round-trip tests
 * and the RFC 8463 A.3 reproduction; ARC reuses dg_dkim_sign_field().
 *
 * Left out on purpose: rsa-sha1 (RFC 8301), folding of the produced
 * value, z= and q= (dns/txt is the default).
 */
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/msg.h>

#include "dkim/dkim_int.h"
#include "util/alloc.h"
#include "util/base64.h"

struct dg_dkim_privkey {
	struct dg_dkim_pkey	*pk;
	enum dg_dkim_keytype	 type;
};

static enum dg_err
privkey_wrap(struct dg_dkim_pkey *pk, enum dg_dkim_keytype t,
    struct dg_dkim_privkey **out)
{
	struct dg_dkim_privkey	*k;

	if ((k = dg_malloc(sizeof(*k))) == NULL) {
		dg_dkim_pkey_free(pk);
		return DG_ENOMEM;
	}
	k->pk = pk;
	k->type = t;
	*out = k;
	return DG_OK;
}

enum dg_err
dg_dkim_privkey_pem(const char *pem, size_t len, struct dg_dkim_privkey **out)
{
	struct dg_dkim_pkey	*pk;
	enum dg_dkim_keytype	 t;
	enum dg_err		 err;

	if (pem == NULL || out == NULL)
		return DG_EINVAL;
	if ((err = dg_dkim_pkey_private_pem(pem, len, &pk, &t)) != DG_OK)
		return err;
	return privkey_wrap(pk, t, out);
}

enum dg_err
dg_dkim_privkey_ed25519_seed(const char *b64, size_t len,
    struct dg_dkim_privkey **out)
{
	struct dg_dkim_pkey	*pk;
	uint8_t			 seed[64];
	size_t			 n;
	enum dg_err		 err;

	if (b64 == NULL || out == NULL)
		return DG_EINVAL;
	err = dg_base64_decode(b64, len, DG_BASE64_SKIP_FWS, seed,
	    sizeof(seed), &n);
	if (err != DG_OK)
		return DG_ESYNTAX;
	err = dg_dkim_pkey_ed25519_seed(seed, n, &pk);
	memset(seed, 0, sizeof(seed));
	if (err != DG_OK)
		return err;
	return privkey_wrap(pk, DG_DKIM_KEY_ED25519, out);
}

struct dg_dkim_pkey *
dg_dkim_privkey_pkey(const struct dg_dkim_privkey *k, enum dg_dkim_keytype *t)
{
	*t = k->type;
	return k->pk;
}

void
dg_dkim_privkey_info(const struct dg_dkim_privkey *k, enum dg_dkim_alg *alg,
    unsigned *bits)
{
	if (alg != NULL)
		*alg = k->type == DG_DKIM_KEY_ED25519 ?
		    DG_DKIM_ALG_ED25519_SHA256 : DG_DKIM_ALG_RSA_SHA256;
	if (bits != NULL)
		*bits = dg_dkim_pkey_bits(k->pk);
}

void
dg_dkim_privkey_free(struct dg_dkim_privkey *k)
{
	if (k == NULL)
		return;
	dg_dkim_pkey_free(k->pk);
	free(k);
}

enum dg_err
dg_dkim_sign_field(struct dg_arena *a, struct dg_dkim_pkey *key,
    enum dg_dkim_keytype kt, const struct dg_dkim_field *f, size_t n,
    const char *sigfield, size_t siglen, const char **b64)
{
	struct dg_dkim_sig	*sig;
	struct dg_dkim_hash	*hh = NULL;
	struct dg_buf		 scratch;
	enum dg_dkim_reason	 reason;
	const char		*colon;
	size_t			 vo, dlen, slen, olen;
	uint8_t			 digest[DG_DKIM_HASH_MAX];
	uint8_t			 sigbytes[DG_DKIM_MAX_SIG_BYTES];
	bool			*used;
	char			*out;
	enum dg_err		 err;

	if (a == NULL || key == NULL || sigfield == NULL || b64 == NULL ||
	    (f == NULL && n > 0))
		return DG_EINVAL;
	if ((colon = memchr(sigfield, ':', siglen)) == NULL)
		return DG_ESYNTAX;
	vo = (size_t)(colon - sigfield) + 1;
	if ((sig = dg_arena_alloc(a, sizeof(*sig))) == NULL ||
	    (used = dg_arena_calloc(a, n + 1, sizeof(*used))) == NULL)
		return dg_arena_err(a);
	/* An ARC-Message-Signature template parses as ARC (no v=). */
	err = dg_dkim_sig_parse(sigfield + vo, siglen - vo,
	    DG_DKIM_SIG_TEMPLATE | (dg_memcaseeq(sigfield, vo - 1,
	    "ARC-Message-Signature", 21) ? DG_DKIM_SIG_ARC : 0), sig,
	    &reason, NULL, 0);
	if (err != DG_OK)
		return err;
	if (sig->keytype != kt || sig->alg == DG_DKIM_ALG_RSA_SHA1)
		return DG_EINVAL;

	dg_buf_init(&scratch, 2 * DG_HDR_SECTION_MAX);
	if ((hh = dg_dkim_hash_new(sig->hashalg)) == NULL) {
		err = DG_ENOMEM;
		goto out;
	}
	err = dg_dkim_hash_fields(sig->header_canon, f, n, sig->h, sig->nh, n,
	    used, &scratch, hh);
	if (err != DG_OK)
		goto out;
	dg_buf_reset(&scratch);
	dg_dkim_canon_header(sig->header_canon, sigfield, siglen,
	    vo + sig->b_start, vo + sig->b_end, false, &scratch);
	if (scratch.data != NULL)
		dg_dkim_hash_update(hh, scratch.data, scratch.len);
	if ((err = dg_buf_err(&scratch)) != DG_OK)
		goto out;
	if ((err = dg_dkim_hash_final(hh, digest, &dlen)) != DG_OK)
		goto out;
	err = dg_dkim_pkey_sign(key, kt, sig->hashalg, digest, dlen,
	    sigbytes, sizeof(sigbytes), &slen);
	if (err != DG_OK)
		goto out;
	olen = 4 * ((slen + 2) / 3) + 1;
	if ((out = dg_arena_alloc(a, olen)) == NULL) {
		err = dg_arena_err(a);
		goto out;
	}
	if ((err = dg_base64_encode(sigbytes, slen, out, olen, NULL)) !=
	    DG_OK)
		goto out;
	*b64 = out;
out:
	dg_dkim_hash_free(hh);
	dg_buf_free(&scratch);
	return err;
}

enum dg_err
dg_dkim_sign(struct dg_arena *a, const struct dg_dkim_privkey *key,
    const struct dg_dkim_sign_opts *o, const char *msg, size_t len,
    const char **value)
{
	struct dg_msg_hdr	 hdr;
	struct dg_dkim_field	*f;
	struct dg_dkim_bodycanon *bc;
	struct dg_dkim_hash	*bh;
	struct dg_buf		 tmpl;
	enum dg_dkim_canon	 hc, bcanon;
	uint8_t			 digest[DG_DKIM_HASH_MAX];
	char			 bh64[64], num[32];
	char			 dom[DG_DNS_NAME_MAX + 1];
	const char		*b64;
	size_t			 i, dlen;
	enum dg_err		 err;
	struct dg_span		 s;

	if (a == NULL || key == NULL || o == NULL || msg == NULL ||
	    value == NULL || o->domain == NULL || o->selector == NULL ||
	    o->headers == NULL)
		return DG_EINVAL;
	s.p = o->domain;
	s.len = strlen(o->domain);
	if (!dg_dkim_domain_ok(s, false, dom))
		return DG_EINVAL;
	s.p = o->selector;
	s.len = strlen(o->selector);
	if (!dg_dkim_domain_ok(s, true, dom))
		return DG_EINVAL;
	hc = o->header_canon != DG_DKIM_CANON_UNSET ? o->header_canon :
	    DG_DKIM_CANON_RELAXED;
	bcanon = o->body_canon != DG_DKIM_CANON_UNSET ? o->body_canon :
	    DG_DKIM_CANON_RELAXED;

	if ((err = dg_msg_hdr_parse(a, msg, len, 0, &hdr, NULL)) != DG_OK)
		return err;
	if ((f = dg_arena_calloc(a, hdr.nfields + 1, sizeof(*f))) == NULL ||
	    (bc = dg_arena_alloc(a, sizeof(*bc))) == NULL)
		return dg_arena_err(a);
	for (i = 0; i < hdr.nfields; i++) {
		const struct dg_msg_field	*m = &hdr.fields[i];
		const char			*c;
		size_t				 l = m->raw_len;

		if (l > 0 && m->raw[l - 1] == '\n')
			l--;
		if (l > 0 && m->raw[l - 1] == '\r')
			l--;
		f[i].raw = m->raw;
		f[i].len = l;
		f[i].name_len = m->name_len;
		c = memchr(m->raw, ':', l);
		f[i].value_off = c != NULL ? (size_t)(c - m->raw) + 1 : l;
	}

	/* RFC 6376 5.3: the body hash. */
	if ((bh = dg_dkim_hash_new(DG_DKIM_HASH_SHA256)) == NULL)
		return DG_ENOMEM;
	dg_dkim_bodycanon_init(bc, bcanon, false, 0, dg_dkim_hash_sink, bh);
	dg_dkim_bodycanon_update(bc, msg + hdr.body_offset,
	    len - hdr.body_offset);
	dg_dkim_bodycanon_final(bc);
	err = dg_dkim_hash_final(bh, digest, &dlen);
	dg_dkim_hash_free(bh);
	if (err != DG_OK)
		return err;
	if ((err = dg_base64_encode(digest, dlen, bh64, sizeof(bh64), NULL)) !=
	    DG_OK)
		return err;

	/* The template, b= empty (RFC 6376 3.7). */
	dg_buf_init(&tmpl, DG_HDR_FIELD_MAX);
	dg_buf_printf(&tmpl, "DKIM-Signature: v=1; a=%s; c=%s/%s; d=%s; s=%s;",
	    key->type == DG_DKIM_KEY_ED25519 ? "ed25519-sha256" : "rsa-sha256",
	    dg_dkim_canon_str(hc), dg_dkim_canon_str(bcanon), o->domain,
	    o->selector);
	if (o->identity != NULL)
		dg_buf_printf(&tmpl, " i=%s;", o->identity);
	if (o->t != 0)
		dg_buf_printf(&tmpl, " t=%s;", dg_fmt(num, sizeof(num), "%llu",
		    (unsigned long long)o->t));
	if (o->x != 0)
		dg_buf_printf(&tmpl, " x=%s;", dg_fmt(num, sizeof(num), "%llu",
		    (unsigned long long)o->x));
	if (o->body_length)
		dg_buf_printf(&tmpl, " l=%s;", dg_fmt(num, sizeof(num), "%llu",
		    (unsigned long long)bc->total));
	dg_buf_printf(&tmpl, " h=%s; bh=%s; b=", o->headers, bh64);
	if ((err = dg_buf_err(&tmpl)) != DG_OK)
		goto out;

	err = dg_dkim_sign_field(a, key->pk, key->type, f, hdr.nfields,
	    tmpl.data, tmpl.len, &b64);
	if (err == DG_ESYNTAX)
		err = DG_EINVAL;	/* our template: bad options */
	if (err != DG_OK)
		goto out;
	dg_buf_puts(&tmpl, b64);
	if ((err = dg_buf_err(&tmpl)) != DG_OK)
		goto out;
	/* Skip "DKIM-Signature: ". */
	if ((*value = dg_arena_strdup(a, tmpl.data + 16)) == NULL)
		err = dg_arena_err(a);
out:
	dg_buf_free(&tmpl);
	return err;
}
