/*
 * lib/dkim/dkim_int.h -- what the DKIM files share, and what ARC (RFC 8617
 * reuses DKIM's tags, canonicalization, hashing and keys) builds on:
 *
 *   dkim_crypto.c    hashes, public/private keys, verify and sign (the only
 *                    file that includes OpenSSL)
 *   dkim_sig.c       DKIM-Signature tag-list -> struct dg_dkim_sig
 *   dkim_key.c       key record -> struct dg_dkim_keyrec -> dg_dkim_key,
 *                    and the DNS fetch (through the cache when given)
 *   dkim_canon.c     header and streaming body canonicalization
 *   dkim_keycache.c  the shared, bounded, TTL-honouring key cache
 *   dkim_verify.c    the streaming verifier and the one-shot wrapper
 */
#ifndef DG_DKIM_INT_H
#define DG_DKIM_INT_H

#include <dmarcguard/buf.h>
#include <dmarcguard/dkim.h>

#include "util/limits.h"
#include "util/str.h"

/* ---- crypto (dkim_crypto.c) ---- */

enum dg_dkim_hashalg {
	DG_DKIM_HASH_UNSET = 0,
	DG_DKIM_HASH_SHA1,
	DG_DKIM_HASH_SHA256
};
#define DG_DKIM_HASH_MAX	32	/* bytes of the largest digest */

enum dg_dkim_keytype {
	DG_DKIM_KEY_UNSET = 0,
	DG_DKIM_KEY_RSA,
	DG_DKIM_KEY_ED25519
};

/* Split a= into key type and hash. */
enum dg_dkim_keytype	dg_dkim_alg_keytype(enum dg_dkim_alg a);
enum dg_dkim_hashalg	dg_dkim_alg_hash(enum dg_dkim_alg a);
size_t			dg_dkim_hash_len(enum dg_dkim_hashalg h);

/* A streaming digest; errors are sticky and reported by _final. */
struct dg_dkim_hash;
struct dg_dkim_hash	*dg_dkim_hash_new(enum dg_dkim_hashalg alg);
void			 dg_dkim_hash_update(struct dg_dkim_hash *h,
			    const void *p, size_t len);
/* out[DG_DKIM_HASH_MAX]; DG_OK or DG_EINTERNAL.  The hash is spent. */
DG_NODISCARD enum dg_err dg_dkim_hash_final(struct dg_dkim_hash *h,
			    uint8_t *out, size_t *len);
void			 dg_dkim_hash_free(struct dg_dkim_hash *h);
/* A sink for dg_dkim_bodycanon: ctx is a struct dg_dkim_hash. */
void			 dg_dkim_hash_sink(void *ctx, const char *p,
			    size_t len);

/* A public or private key held by the crypto backend. */
struct dg_dkim_pkey;
/*
 * Public key from a key record's decoded p=: RSA as SubjectPublicKeyInfo
 * DER (RFC 6376 3.6.1), or a bare PKCS#1 RSAPublicKey, which some
 * publishers use; ed25519 as the 32 raw bytes (RFC 8463 4).  *bits gets
 * the modulus size (256 for ed25519).  DG_ESYNTAX when the bytes are not
 * such a key, DG_ENOMEM.
 */
DG_NODISCARD enum dg_err dg_dkim_pkey_public(enum dg_dkim_keytype t,
			    const uint8_t *p, size_t len,
			    struct dg_dkim_pkey **out, unsigned *bits);
/* Private key: PEM (PKCS#1 or PKCS#8, RSA or ed25519), or an ed25519 seed
 * of 32 bytes.  DG_ESYNTAX when unreadable. */
DG_NODISCARD enum dg_err dg_dkim_pkey_private_pem(const char *pem, size_t len,
			    struct dg_dkim_pkey **out,
			    enum dg_dkim_keytype *t);
DG_NODISCARD enum dg_err dg_dkim_pkey_ed25519_seed(const uint8_t *seed,
			    size_t len, struct dg_dkim_pkey **out);
void			 dg_dkim_pkey_free(struct dg_dkim_pkey *k);
/* Key size in bits (RSA modulus; 256 for ed25519), 0 when unknown. */
unsigned		 dg_dkim_pkey_bits(const struct dg_dkim_pkey *k);
/*
 * RFC 6376 3.3: RSASSA-PKCS1-v1_5 over the header digest; RFC 8463 3:
 * PureEd25519 over the SHA-256 header digest.  *ok tells whether the
 * signature verifies; the return is DG_OK unless the backend failed.
 */
DG_NODISCARD enum dg_err dg_dkim_pkey_verify(struct dg_dkim_pkey *k,
			    enum dg_dkim_keytype t, enum dg_dkim_hashalg h,
			    const uint8_t *digest, size_t dlen,
			    const uint8_t *sig, size_t slen, bool *ok);
DG_NODISCARD enum dg_err dg_dkim_pkey_sign(struct dg_dkim_pkey *k,
			    enum dg_dkim_keytype t, enum dg_dkim_hashalg h,
			    const uint8_t *digest, size_t dlen,
			    uint8_t *sig, size_t cap, size_t *slen);

/* ---- the signature field (dkim_sig.c) ---- */

/* Flags for dg_dkim_sig_parse(). */
#define DG_DKIM_SIG_ARC		0x01	/* ARC-Message-Signature: no v=,
					   i= is the instance (RFC 8617
					   4.1.2) */
#define DG_DKIM_SIG_TEMPLATE	0x02	/* signing: b= may be empty */

struct dg_dkim_sig {
	enum dg_dkim_alg	 alg;
	enum dg_dkim_keytype	 keytype;
	enum dg_dkim_hashalg	 hashalg;
	enum dg_dkim_canon	 header_canon, body_canon;
	char			 domain[DG_DNS_NAME_MAX + 1];	/* d=, lower */
	char			 selector[DG_DNS_NAME_MAX + 1];	/* s= */
	struct dg_span		 identity;	/* i= as written, or empty */
	struct dg_span		 i_domain;	/* its part after "@" */
	unsigned		 instance;	/* ARC i= */
	struct dg_span		 h[DG_DKIM_MAX_H_NAMES];	/* h= names */
	size_t			 nh;
	uint8_t			 b[DG_DKIM_MAX_SIG_BYTES];
	size_t			 blen;
	uint8_t			 bh[DG_DKIM_HASH_MAX];
	size_t			 bhlen;
	struct dg_span		 b_value;	/* b= as written */
	/* Offsets into the parsed value of what the b= tag's value
	 * occupies, surrounding FWS included: the bytes deleted when the
	 * signature field is hashed (RFC 6376 3.7). */
	size_t			 b_start, b_end;
	bool			 has_l, has_t, has_x;
	uint64_t		 l, t, x;
};

/*
 * Parse a DKIM-Signature value (the bytes after the colon, as in the
 * message) into *sig.  Strict, RFC 6376 3.5: required tags v a b bh d h s,
 * no duplicates, base64 that decodes, h= that is a field-name list
 * containing From, i= within d=, x >= t.  Unknown tags are ignored (3.2).
 * Returns DG_OK, DG_EINVAL, or DG_ESYNTAX with *reason and detail[] set;
 * on DG_ESYNTAX, sig->domain and sig->selector hold d= and s= if those
 * parsed (for reporting).  Spans point into p.  Allocates nothing.
 */
DG_NODISCARD enum dg_err dg_dkim_sig_parse(const char *p, size_t len,
			    unsigned flags, struct dg_dkim_sig *sig,
			    enum dg_dkim_reason *reason, char *detail,
			    size_t detail_len);

/* RFC 6376 3.5 d= / s=: dot-separated labels of letters, digits, '-'
 * ('_' too in a selector), lower-cased into out[DG_DNS_NAME_MAX + 1]. */
bool	dg_dkim_domain_ok(struct dg_span s, bool selector, char *out);

struct dg_dkim_field;	/* dkim_canon.c section below */

/* ---- the key record (dkim_key.c) ---- */

/* A key record's tags (RFC 6376 3.6.1), before the key is built. */
struct dg_dkim_keyrec {
	enum dg_dkim_keytype	 type;		/* k=, default rsa */
	unsigned		 hashes;	/* h=: 1 << hashalg; 0 any */
	bool			 testing;	/* t=y */
	bool			 strict;	/* t=s */
	bool			 email;		/* s= allows email (or *) */
	bool			 revoked;	/* p= empty */
	uint8_t			 p[DG_DKIM_MAX_KEY_DER];
	size_t			 plen;
};

/*
 * Parse a key record (the TXT strings joined).  Returns DG_OK (check
 * rec->revoked), DG_EINVAL, or DG_ESYNTAX with *reason (KEY_SYNTAX,
 * KEY_VERSION, KEY_BAD_DATA, KEY_TOO_BIG) and detail[].  Unknown k= is
 * KEY_SYNTAX; unknown h=, s= and t= values are ignored (3.6.1).
 */
DG_NODISCARD enum dg_err dg_dkim_key_parse(const char *p, size_t len,
			    struct dg_dkim_keyrec *rec,
			    enum dg_dkim_reason *reason, char *detail,
			    size_t detail_len);

/* A usable public key: shared (the cache holds references), read-only
 * once built, freed with its last reference. */
struct dg_dkim_key {
	enum dg_dkim_keytype	 type;
	unsigned		 hashes, bits;
	bool			 testing, strict, email;
	struct dg_dkim_pkey	*pkey;
	unsigned		 refs;	/* guarded by atomic builtins */
};

/* Build from a parsed, non-revoked record: DG_ESYNTAX with *reason
 * KEY_BAD_DATA or KEY_TOO_BIG when p= is not a key we take. */
DG_NODISCARD enum dg_err dg_dkim_key_new(const struct dg_dkim_keyrec *rec,
			    struct dg_dkim_key **out,
			    enum dg_dkim_reason *reason);
void	dg_dkim_key_ref(struct dg_dkim_key *k);
void	dg_dkim_key_unref(struct dg_dkim_key *k);

/* Why a fetch gave no key. */
struct dg_dkim_keyfail {
	enum dg_dkim_result	result;		/* temperror or permerror */
	enum dg_dkim_reason	reason;
	bool			testing;	/* record had t=y */
	char			detail[DG_DETAIL_MAX];
};

/*
 * Find the key for selector._domainkey.domain: from kc if cached and
 * fresh, else by a TXT query through res (answer in a), parsed, and
 * stored in kc.  The first TXT record that parses as a key is used.  On
 * DG_OK either *out holds a reference (dg_dkim_key_unref() it) or *out
 * is NULL and *why says why.  Errors: DG_ENOMEM, DG_ETOOBIG (arena).
 */
DG_NODISCARD enum dg_err dg_dkim_key_fetch(struct dg_resolver *res,
			    struct dg_dkim_keycache *kc, const char *selector,
			    const char *domain, struct dg_arena *a,
			    struct dg_dkim_key **out,
			    struct dg_dkim_keyfail *why);

/*
 * Sign: the template signature field sigfield ("DKIM-Signature: ...",
 * every tag set, b= empty) over f[0..n) selected by its h=; *b64 gets the
 * base64 b= value in a.  The key type must match a=.  DG_ESYNTAX when the
 * template does not parse.  ARC signs its AMS and AS this way too.
 */
DG_NODISCARD enum dg_err dg_dkim_sign_field(struct dg_arena *a,
			    struct dg_dkim_pkey *key, enum dg_dkim_keytype kt,
			    const struct dg_dkim_field *f, size_t n,
			    const char *sigfield, size_t siglen,
			    const char **b64);

/* The backend key inside a public dg_dkim_privkey (dkim_sign.c). */
struct dg_dkim_pkey	*dg_dkim_privkey_pkey(const struct dg_dkim_privkey *k,
			    enum dg_dkim_keytype *t);

/* ---- key cache (dkim_keycache.c) ---- */

/* A new reference to the fresh key cached under name, or NULL. */
struct dg_dkim_key *dg_dkim_keycache_get(struct dg_dkim_keycache *kc,
			    const char *name);
/* Cache k under name for ttl seconds (0: not cached).  The cache takes its
 * own reference.  DG_OK or DG_ENOMEM (then nothing is cached). */
DG_NODISCARD enum dg_err dg_dkim_keycache_put(struct dg_dkim_keycache *kc,
			    const char *name, struct dg_dkim_key *k,
			    uint32_t ttl);

/* ---- canonicalization (dkim_canon.c) ---- */

typedef void (*dg_dkim_sink_fn)(void *ctx, const char *p, size_t len);

/*
 * Streaming body canonicalization (RFC 6376 3.4.3, 3.4.4) with the l=
 * cut (3.5): bytes go to the sink in order; only the first limit bytes
 * when has_limit.  Line ends may be CRLF or bare LF (read as CRLF); a CR
 * not before LF is data.  State is a few flags and a count of pending
 * empty lines, so memory is constant.
 */
#define DG_DKIM_CANON_STAGE	1024
/* Identity spans at least this long are hashed from the input itself. */
#define DG_DKIM_CANON_DIRECT	256
struct dg_dkim_bodycanon {
	enum dg_dkim_canon	 canon;
	dg_dkim_sink_fn		 sink;
	void			*ctx;
	bool			 has_limit;
	uint64_t		 limit;
	uint64_t		 total;		/* canonical bytes produced */
	uint64_t		 hashed;	/* of which sent to the sink */
	uint64_t		 empty_lines;	/* CRLFs held back */
	bool			 cr;		/* a CR waits for its LF */
	bool			 wsp;		/* relaxed: WSP held back */
	bool			 in_line;	/* current line has content */
	bool			 done;
	size_t			 nstage;
	char			 stage[DG_DKIM_CANON_STAGE];
};

void	dg_dkim_bodycanon_init(struct dg_dkim_bodycanon *bc,
	    enum dg_dkim_canon canon, bool has_limit, uint64_t limit,
	    dg_dkim_sink_fn sink, void *ctx);
void	dg_dkim_bodycanon_update(struct dg_dkim_bodycanon *bc, const char *p,
	    size_t len);
void	dg_dkim_bodycanon_final(struct dg_dkim_bodycanon *bc);

/*
 * Append the canonical form of one header field (RFC 6376 3.4.1, 3.4.2)
 * to out.  raw is the whole field as in the message; one trailing line
 * terminator is ignored.  The bytes raw[skip_start..skip_end) are left
 * out first (the b= value of the signature being verified; pass equal
 * offsets to skip nothing).  crlf adds the final CRLF (every field but
 * the signature itself).  Bare LF inside a fold is read as CRLF.  Errors
 * stay in out (dg_buf_err).
 */
void	dg_dkim_canon_header(enum dg_dkim_canon canon, const char *raw,
	    size_t len, size_t skip_start, size_t skip_end, bool crlf,
	    struct dg_buf *out);

/* A header field as the verifier and signer keep it. */
struct dg_dkim_field {
	const char	*raw;		/* the field, no final terminator */
	size_t		 len;
	size_t		 name_len;	/* name, trailing WSP excluded */
	size_t		 value_off;	/* first byte after the colon */
};

/*
 * RFC 6376 5.4.2: hash the fields that names[] select from f[0..n): each
 * name takes the next unused instance from the bottom up, and a name with
 * none left contributes nothing (over-signing).  f[self] is never
 * selected (pass n to exclude nothing).  used[] is scratch of n bools;
 * scratch is the canonicalization buffer.  DG_OK, or the buffer's error
 * (DG_ENOMEM, DG_ETOOBIG), after which the hash is not to be used.
 */
DG_NODISCARD enum dg_err dg_dkim_hash_fields(enum dg_dkim_canon canon,
	    const struct dg_dkim_field *f, size_t n,
	    const struct dg_span *names, size_t nnames, size_t self,
	    bool *used, struct dg_buf *scratch, struct dg_dkim_hash *hh);

/* RFC 6376 3.4: "simple", "relaxed". */
bool	dg_dkim_canon_parse(struct dg_span s, enum dg_dkim_canon *hdr,
	    enum dg_dkim_canon *body);

#endif /* DG_DKIM_INT_H */
