/*
 * lib/dkim/dkim_crypto.c -- the OpenSSL 3 backend for DKIM and ARC: SHA-1
 * and SHA-256 streaming digests, public keys from key records, private
 * keys for signing, and verify/sign over a header digest.  The only file
 * in the project that includes OpenSSL headers.
 *
 * RFC 6376 3.3.1/3.3.2: rsa-sha256 (and rsa-sha1, which RFC 8301 forbids;
 * the verifier refuses it before it gets here) are RSASSA-PKCS1-v1_5 over
 * the hash of the canonicalized headers.  RFC 8463 3: ed25519-sha256 is
 * PureEdDSA (RFC 8032) over the SHA-256 hash of the same data, so the
 * 32-byte digest is the message Ed25519 signs.
 *
 * Key generation for `dmarcguard keygen` lives here too: a new key as
 * PKCS#8 PEM plus the key record's p= value.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "dkim/dkim_int.h"
#include "util/alloc.h"
#include "util/base64.h"

struct dg_dkim_hash {
	EVP_MD_CTX	*ctx;
	bool		 failed;
};

struct dg_dkim_pkey {
	EVP_PKEY	*k;
};

enum dg_dkim_keytype
dg_dkim_alg_keytype(enum dg_dkim_alg a)
{
	switch (a) {
	case DG_DKIM_ALG_RSA_SHA1:
	case DG_DKIM_ALG_RSA_SHA256:
		return DG_DKIM_KEY_RSA;
	case DG_DKIM_ALG_ED25519_SHA256:
		return DG_DKIM_KEY_ED25519;
	default:
		return DG_DKIM_KEY_UNSET;	/* no algorithm */
	}
}

enum dg_dkim_hashalg
dg_dkim_alg_hash(enum dg_dkim_alg a)
{
	switch (a) {
	case DG_DKIM_ALG_RSA_SHA1:
		return DG_DKIM_HASH_SHA1;
	case DG_DKIM_ALG_RSA_SHA256:
	case DG_DKIM_ALG_ED25519_SHA256:
		return DG_DKIM_HASH_SHA256;
	default:
		return DG_DKIM_HASH_UNSET;	/* no algorithm */
	}
}

size_t
dg_dkim_hash_len(enum dg_dkim_hashalg h)
{
	switch (h) {
	case DG_DKIM_HASH_SHA1:
		return 20;
	case DG_DKIM_HASH_SHA256:
		return 32;
	default:
		return 0;	/* no hash */
	}
}

/*
 * The digests, fetched from the default provider once: EVP_sha256() is a
 * legacy handle that OpenSSL 3 fetches again at every EVP_DigestInit_ex,
 * a measurable cost for one short message after another.
 */
static EVP_MD		*md_sha1, *md_sha256;
static pthread_once_t	 md_once = PTHREAD_ONCE_INIT;

static void
md_fetch(void)
{
	md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *
md_of(enum dg_dkim_hashalg h)
{
	(void)pthread_once(&md_once, md_fetch);
	switch (h) {
	case DG_DKIM_HASH_SHA1:
		return md_sha1 != NULL ? md_sha1 : EVP_sha1();
	case DG_DKIM_HASH_SHA256:
		return md_sha256 != NULL ? md_sha256 : EVP_sha256();
	default:
		return NULL;	/* no hash */
	}
}

struct dg_dkim_hash *
dg_dkim_hash_new(enum dg_dkim_hashalg alg)
{
	struct dg_dkim_hash	*h;
	const EVP_MD		*md = md_of(alg);

	if (md == NULL)
		return NULL;
	if ((h = dg_malloc(sizeof(*h))) == NULL)
		return NULL;
	h->failed = false;
	if ((h->ctx = EVP_MD_CTX_new()) == NULL) {
		free(h);
		return NULL;
	}
	if (EVP_DigestInit_ex(h->ctx, md, NULL) != 1)
		h->failed = true;
	return h;
}

void
dg_dkim_hash_update(struct dg_dkim_hash *h, const void *p, size_t len)
{
	if (h->failed || len == 0)
		return;
	if (EVP_DigestUpdate(h->ctx, p, len) != 1)
		h->failed = true;
}

void
dg_dkim_hash_sink(void *ctx, const char *p, size_t len)
{
	dg_dkim_hash_update(ctx, p, len);
}

enum dg_err
dg_dkim_hash_final(struct dg_dkim_hash *h, uint8_t *out, size_t *len)
{
	unsigned int	n = 0;

	if (h->failed || EVP_DigestFinal_ex(h->ctx, out, &n) != 1) {
		h->failed = true;
		return DG_EINTERNAL;
	}
	h->failed = true;	/* spent */
	*len = n;
	return DG_OK;
}

void
dg_dkim_hash_free(struct dg_dkim_hash *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

static enum dg_err
wrap(EVP_PKEY *k, struct dg_dkim_pkey **out)
{
	struct dg_dkim_pkey	*pk;

	if ((pk = dg_malloc(sizeof(*pk))) == NULL) {
		EVP_PKEY_free(k);
		return DG_ENOMEM;
	}
	pk->k = k;
	*out = pk;
	return DG_OK;
}

/* A bare PKCS#1 RSAPublicKey (RFC 8017 A.1.1). */
static EVP_PKEY *
rsa_pkcs1(const uint8_t *p, size_t len)
{
	OSSL_DECODER_CTX	*dctx;
	EVP_PKEY		*k = NULL;
	const unsigned char	*q = p;
	size_t			 n = len;

	dctx = OSSL_DECODER_CTX_new_for_pkey(&k, "DER", "type-specific",
	    "RSA", EVP_PKEY_PUBLIC_KEY, NULL, NULL);
	if (dctx == NULL)
		return NULL;
	if (OSSL_DECODER_from_data(dctx, &q, &n) != 1 || n != 0) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	OSSL_DECODER_CTX_free(dctx);
	return k;
}

enum dg_err
dg_dkim_pkey_public(enum dg_dkim_keytype t, const uint8_t *p, size_t len,
    struct dg_dkim_pkey **out, unsigned *bits)
{
	EVP_PKEY		*k = NULL;
	const unsigned char	*q = p;
	int			 b;

	if (p == NULL || out == NULL || bits == NULL || len > LONG_MAX)
		return DG_EINVAL;
	switch (t) {
	case DG_DKIM_KEY_RSA:
		/* SubjectPublicKeyInfo first; all of p must be used. */
		k = d2i_PUBKEY(NULL, &q, (long)len);
		if (k != NULL && (q != p + len ||
		    EVP_PKEY_base_id(k) != EVP_PKEY_RSA)) {
			EVP_PKEY_free(k);
			k = NULL;
		}
		if (k == NULL) {
			ERR_clear_error();
			k = rsa_pkcs1(p, len);
		}
		break;
	case DG_DKIM_KEY_ED25519:
		if (len == 32)
			k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519,
			    NULL, p, len);
		break;
	default:
		return DG_EINVAL;	/* caller bug: no key type */
	}
	if (k == NULL) {
		ERR_clear_error();	/* keep the thread's queue clean */
		return DG_ESYNTAX;
	}
	b = EVP_PKEY_get_bits(k);
	*bits = b > 0 ? (unsigned)b : 0;
	return wrap(k, out);
}

enum dg_err
dg_dkim_pkey_private_pem(const char *pem, size_t len,
    struct dg_dkim_pkey **out, enum dg_dkim_keytype *t)
{
	BIO		*bio;
	EVP_PKEY	*k;

	if (pem == NULL || out == NULL || t == NULL || len > INT_MAX)
		return DG_EINVAL;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return DG_ENOMEM;
	k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (k == NULL) {
		ERR_clear_error();
		return DG_ESYNTAX;
	}
	switch (EVP_PKEY_base_id(k)) {
	case EVP_PKEY_RSA:
		*t = DG_DKIM_KEY_RSA;
		break;
	case EVP_PKEY_ED25519:
		*t = DG_DKIM_KEY_ED25519;
		break;
	default:
		EVP_PKEY_free(k);	/* a key DKIM has no algorithm for */
		return DG_ESYNTAX;
	}
	return wrap(k, out);
}

enum dg_err
dg_dkim_pkey_ed25519_seed(const uint8_t *seed, size_t len,
    struct dg_dkim_pkey **out)
{
	EVP_PKEY	*k;

	if (seed == NULL || out == NULL)
		return DG_EINVAL;
	if (len != 32)
		return DG_ESYNTAX;
	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, len);
	if (k == NULL) {
		ERR_clear_error();
		return DG_ESYNTAX;
	}
	return wrap(k, out);
}

unsigned
dg_dkim_pkey_bits(const struct dg_dkim_pkey *k)
{
	int	b;

	if (k == NULL)
		return 0;
	b = EVP_PKEY_get_bits(k->k);
	return b > 0 ? (unsigned)b : 0;
}

void
dg_dkim_pkey_free(struct dg_dkim_pkey *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->k);
	free(k);
}

enum dg_err
dg_dkim_pkey_verify(struct dg_dkim_pkey *k, enum dg_dkim_keytype t,
    enum dg_dkim_hashalg h, const uint8_t *digest, size_t dlen,
    const uint8_t *sig, size_t slen, bool *ok)
{
	EVP_PKEY_CTX	*pctx = NULL;
	EVP_MD_CTX	*mctx = NULL;
	enum dg_err	 err = DG_OK;
	int		 r;

	*ok = false;
	if (t == DG_DKIM_KEY_ED25519) {
		if ((mctx = EVP_MD_CTX_new()) == NULL)
			return DG_ENOMEM;
		if (EVP_DigestVerifyInit_ex(mctx, NULL, NULL, NULL, NULL,
		    k->k, NULL) != 1) {
			err = DG_EINTERNAL;
			goto out;
		}
		r = EVP_DigestVerify(mctx, sig, slen, digest, dlen);
		*ok = (r == 1);
		goto out;
	}
	if (t != DG_DKIM_KEY_RSA || md_of(h) == NULL)
		return DG_EINVAL;
	if ((pctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->k, NULL)) == NULL)
		return DG_ENOMEM;
	if (EVP_PKEY_verify_init(pctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(pctx, md_of(h)) != 1) {
		err = DG_EINTERNAL;
		goto out;
	}
	r = EVP_PKEY_verify(pctx, sig, slen, digest, dlen);
	*ok = (r == 1);
out:
	if (!*ok)
		ERR_clear_error();	/* a bad signature is not an error */
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_CTX_free(pctx);
	return err;
}

enum dg_err
dg_dkim_pkey_sign(struct dg_dkim_pkey *k, enum dg_dkim_keytype t,
    enum dg_dkim_hashalg h, const uint8_t *digest, size_t dlen,
    uint8_t *sig, size_t cap, size_t *slen)
{
	EVP_PKEY_CTX	*pctx = NULL;
	EVP_MD_CTX	*mctx = NULL;
	enum dg_err	 err = DG_OK;
	size_t		 n = cap;

	if (t == DG_DKIM_KEY_ED25519) {
		if ((mctx = EVP_MD_CTX_new()) == NULL)
			return DG_ENOMEM;
		if (EVP_DigestSignInit_ex(mctx, NULL, NULL, NULL, NULL,
		    k->k, NULL) != 1 ||
		    EVP_DigestSign(mctx, sig, &n, digest, dlen) != 1)
			err = DG_EINTERNAL;
		goto out;
	}
	if (t != DG_DKIM_KEY_RSA || md_of(h) == NULL)
		return DG_EINVAL;
	if ((pctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->k, NULL)) == NULL)
		return DG_ENOMEM;
	if (EVP_PKEY_sign_init(pctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(pctx, md_of(h)) != 1 ||
	    EVP_PKEY_sign(pctx, NULL, &n, digest, dlen) != 1) {
		err = DG_EINTERNAL;
		goto out;
	}
	if (n > cap) {
		err = DG_ETOOBIG;
		goto out;
	}
	if (EVP_PKEY_sign(pctx, sig, &n, digest, dlen) != 1)
		err = DG_EINTERNAL;
out:
	if (err == DG_OK)
		*slen = n;
	else
		ERR_clear_error();
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_CTX_free(pctx);
	return err;
}

/*
 * The p= bytes of a key record for k: RSA as SubjectPublicKeyInfo DER
 * (RFC 6376 3.6.1), Ed25519 as the 32 raw bytes (RFC 8463 4).
 */
static enum dg_err
public_bytes(EVP_PKEY *k, bool ed, uint8_t *out, size_t cap, size_t *len)
{
	unsigned char	*q;
	size_t		 n = cap;
	int		 der;

	if (ed) {
		if (EVP_PKEY_get_raw_public_key(k, out, &n) != 1)
			return DG_EINTERNAL;
		*len = n;
		return DG_OK;
	}
	if ((der = i2d_PUBKEY(k, NULL)) <= 0)
		return DG_EINTERNAL;
	if ((size_t)der > cap)
		return DG_ETOOBIG;
	q = out;
	if (i2d_PUBKEY(k, &q) != der)
		return DG_EINTERNAL;
	*len = (size_t)der;
	return DG_OK;
}

/* k as PKCS#8 PEM into pem[0..cap), NUL-terminated. */
static enum dg_err
private_pem(EVP_PKEY *k, char *pem, size_t cap)
{
	BIO		*bio;
	char		*data;
	long		 n;
	enum dg_err	 err = DG_OK;

	/* A secure-heap memory BIO when there is one: it holds the secret. */
	if ((bio = BIO_new(BIO_s_secmem())) == NULL)
		return DG_ENOMEM;
	if (PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) != 1) {
		err = DG_EINTERNAL;
		goto out;
	}
	n = BIO_get_mem_data(bio, &data);
	if (n <= 0) {
		err = DG_EINTERNAL;
		goto out;
	}
	if ((size_t)n >= cap) {
		err = DG_ETOOBIG;
		goto out;
	}
	memcpy(pem, data, (size_t)n);
	pem[n] = '\0';
out:
	BIO_free(bio);	/* clears its buffer */
	return err;
}

enum dg_err
dg_dkim_keygen(enum dg_dkim_alg alg, unsigned bits, char *pem, size_t pem_cap,
    char *pub, size_t pub_cap)
{
	EVP_PKEY	*k = NULL;
	uint8_t		 der[DG_DKIM_MAX_KEY_DER];
	size_t		 dlen;
	bool		 ed;
	enum dg_err	 err;

	if (pem == NULL || pub == NULL || pem_cap == 0 || pub_cap == 0)
		return DG_EINVAL;
	switch (alg) {
	case DG_DKIM_ALG_RSA_SHA256:
		/* RFC 8301 3.2 floor; our verifier's ceiling. */
		if (bits < DG_DKIM_MIN_RSA_BITS || bits > DG_DKIM_MAX_KEY_BITS)
			return DG_EINVAL;
		ed = false;
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
		break;
	case DG_DKIM_ALG_ED25519_SHA256:
		if (bits != 0)
			return DG_EINVAL;
		ed = true;
		k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	default:
		return DG_EINVAL;	/* rsa-sha1 keys are not made */
	}
	if (k == NULL) {
		ERR_clear_error();
		return DG_EINTERNAL;
	}
	if ((err = public_bytes(k, ed, der, sizeof(der), &dlen)) != DG_OK)
		goto out;
	if ((err = dg_base64_encode(der, dlen, pub, pub_cap, NULL)) != DG_OK)
		goto out;
	err = private_pem(k, pem, pem_cap);
out:
	if (err != DG_OK) {
		ERR_clear_error();
		OPENSSL_cleanse(pem, pem_cap);
		pub[0] = '\0';
	}
	EVP_PKEY_free(k);
	return err;
}
