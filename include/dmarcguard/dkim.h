/*
 * include/dmarcguard/dkim.h -- DKIM verification: RFC 6376, with RFC 8301
 * (no rsa-sha1, RSA keys of at least 1024 bits) and RFC 8463
 * (ed25519-sha256).
 *
 * The verifier is streaming: feed the header fields one at a time (each
 * exactly as in the message), then body chunks of any size and boundary,
 * then finish.  Memory grows with the header section (bounded by the
 * limits in lib/util/limits.h), never with the body.  Key lookups happen
 * at the end of the header, so signatures that fail early skip the body.
 * dg_dkim_verify_message() wraps the stream for a message in memory.
 *
 * Results follow STYLE.md: each signature gets a verdict (result, reason,
 * detail) and the call returns DG_OK; enum dg_err is only for "could not
 * reach a verdict" (out of memory, caller bug).  docs/internals/dkim.md
 * lists which reason gives which result.
 *
 * Ownership: the verifier and every verdict are allocated in the caller's
 * arena and stay valid until it is freed or reset; dg_dkim_verifier_free()
 * releases what is not in the arena (crypto state, key references) and
 * must still be called.  A verifier is used by one thread at a time; the
 * key cache is shared and locks internally.
 */
#ifndef DMARCGUARD_DKIM_H
#define DMARCGUARD_DKIM_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 8601 2.7.1 result words. */
enum dg_dkim_result {
	DG_DKIM_UNSET = 0,	/* never returned */
	DG_DKIM_NONE,		/* the message has no DKIM-Signature */
	DG_DKIM_PASS,
	DG_DKIM_FAIL,		/* signature or body hash did not verify,
				   or RFC 8301 forbids the key/algorithm */
	DG_DKIM_POLICY,		/* verified, but refused by caller policy */
	DG_DKIM_NEUTRAL,	/* not produced by the verifier itself */
	DG_DKIM_TEMPERROR,	/* key lookup failed: try again later */
	DG_DKIM_PERMERROR	/* broken signature or key record */
};

/* What decided a signature's result. */
enum dg_dkim_reason {
	DG_DKIM_R_NONE = 0,
	DG_DKIM_R_OK,			/* pass */
	DG_DKIM_R_NO_SIGNATURE,		/* result none */
	/* Signature field (RFC 6376 3.5), all permerror */
	DG_DKIM_R_SYNTAX,		/* tag-list does not parse */
	DG_DKIM_R_DUPLICATE_TAG,
	DG_DKIM_R_MISSING_TAG,		/* v a b bh d h s are required */
	DG_DKIM_R_BAD_VERSION,		/* v= is not 1 */
	DG_DKIM_R_BAD_ALGORITHM,	/* a= unknown or malformed */
	DG_DKIM_R_BAD_BASE64,		/* b= or bh= */
	DG_DKIM_R_BAD_CANON,		/* c= */
	DG_DKIM_R_BAD_DOMAIN,		/* d= */
	DG_DKIM_R_BAD_SELECTOR,		/* s= */
	DG_DKIM_R_BAD_H,		/* h= empty or malformed */
	DG_DKIM_R_H_MISSING_FROM,	/* h= lacks From (RFC 6376 5.4) */
	DG_DKIM_R_BAD_I,		/* i= malformed */
	DG_DKIM_R_I_NOT_IN_D,		/* i= domain not d= or below */
	DG_DKIM_R_BAD_L,		/* l= */
	DG_DKIM_R_BAD_Q,		/* q= lacks dns/txt */
	DG_DKIM_R_BAD_TIME,		/* t= or x= malformed, x < t */
	DG_DKIM_R_BH_LENGTH,		/* bh= length is not the hash's */
	DG_DKIM_R_EXPIRED,		/* x= is past (plus skew) */
	DG_DKIM_R_FUTURE,		/* t= is ahead (plus skew) */
	DG_DKIM_R_LIMIT,		/* a documented limit was hit */
	/* RFC 8301, fail */
	DG_DKIM_R_RSA_SHA1,		/* RFC 8301 3.1 */
	DG_DKIM_R_KEY_TOO_SMALL,	/* RFC 8301 3.2: RSA < 1024 bits */
	/* Key record (RFC 6376 3.6) */
	DG_DKIM_R_KEY_NOT_FOUND,	/* NXDOMAIN / no TXT: permerror */
	DG_DKIM_R_KEY_DNS_TEMPERROR,	/* SERVFAIL, timeout: temperror */
	DG_DKIM_R_KEY_SYNTAX,		/* record does not parse */
	DG_DKIM_R_KEY_VERSION,		/* v= is not DKIM1 */
	DG_DKIM_R_KEY_REVOKED,		/* p= empty */
	DG_DKIM_R_KEY_BAD_DATA,		/* p= not a key of type k= */
	DG_DKIM_R_KEY_TOO_BIG,		/* over DG_DKIM_MAX_KEY_BITS */
	DG_DKIM_R_KEY_ALG_MISMATCH,	/* k= differs from a='s key type */
	DG_DKIM_R_KEY_HASH_RESTRICTED,	/* key h= excludes a='s hash */
	DG_DKIM_R_KEY_SERVICE,		/* key s= excludes email */
	DG_DKIM_R_KEY_STRICT,		/* key t=s and i= below d= */
	/* Verification */
	DG_DKIM_R_BODY_HASH_MISMATCH,	/* fail */
	DG_DKIM_R_SIG_MISMATCH,		/* fail */
	DG_DKIM_R_L_TAG			/* policy: l= refused by caller */
};

enum dg_dkim_alg {
	DG_DKIM_ALG_UNSET = 0,
	DG_DKIM_ALG_RSA_SHA1,
	DG_DKIM_ALG_RSA_SHA256,
	DG_DKIM_ALG_ED25519_SHA256
};

enum dg_dkim_canon {
	DG_DKIM_CANON_UNSET = 0,
	DG_DKIM_CANON_SIMPLE,
	DG_DKIM_CANON_RELAXED
};

/* One evaluated DKIM-Signature.  Strings are borrowed from the arena;
 * a tag that was absent or unparseable is "" (never NULL). */
struct dg_dkim_sig_result {
	enum dg_dkim_result	 result;
	enum dg_dkim_reason	 reason;
	char			 detail[DG_DETAIL_MAX];
	size_t			 field_index;	/* 0-based among the
						   message's header fields */
	const char		*domain;	/* d=, lower case */
	const char		*selector;	/* s= */
	const char		*identity;	/* i=, or "@" d= by default */
	const char		*b_prefix;	/* first 8 chars of b= (RFC
						   6008 header.b) */
	enum dg_dkim_alg	 alg;
	enum dg_dkim_canon	 header_canon;
	enum dg_dkim_canon	 body_canon;
	unsigned		 key_bits;	/* 0 when no key was used */
	bool			 testing;	/* key t=y (RFC 6376 3.6.1) */
	bool			 has_t, has_x;
	uint64_t		 t, x;
	/*
	 * l= (RFC 6376 3.5, 8.2): body_len is the canonicalized body length
	 * seen; unsigned_bytes how much of it lies past l= and so is not
	 * covered by the signature (content an attacker could append).
	 */
	bool			 has_l;
	uint64_t		 l;
	uint64_t		 body_len;
	uint64_t		 unsigned_bytes;
};

struct dg_dkim_verdict {
	/*
	 * Summary over the evaluated signatures.  Precedence: any pass beats
	 * everything; then temperror (a retry might pass), fail, policy,
	 * neutral, permerror; none when the message has no signature.  The
	 * reason is that of the signature that decided it.  DMARC should
	 * look at every sig[] (d= alignment), not only the summary.
	 */
	enum dg_dkim_result		 result;
	enum dg_dkim_reason		 reason;
	size_t				 nseen;	/* DKIM-Signature fields */
	size_t				 nsigs;	/* evaluated: min(nseen, cap),
						   the topmost ones */
	const struct dg_dkim_sig_result	*sigs;
};

struct dg_dkim_keycache;

struct dg_dkim_opts {
	uint64_t		 now;		/* Unix time; 0: the clock */
	unsigned		 max_sigs;	/* 0: 8; held to 64 */
	unsigned		 clock_skew;	/* seconds; 0: 300 */
	unsigned		 min_rsa_bits;	/* 0 or below 1024: 1024 */
	bool			 reject_l;	/* l= gives policy */
	struct dg_dkim_keycache	*cache;		/* NULL: no caching */
};

struct dg_dkim_verifier;

/*
 * A verifier for one message, allocated in a (which must outlive it).
 * res answers key queries (TXT at selector._domainkey.domain); opts may
 * be NULL for the defaults.  Returns DG_OK, DG_ENOMEM, DG_EINVAL.
 */
DG_API DG_NODISCARD enum dg_err	dg_dkim_verifier_new(struct dg_arena *a,
				    struct dg_resolver *res,
				    const struct dg_dkim_opts *opts,
				    struct dg_dkim_verifier **out);
/* Releases crypto state and key references; the verdict stays valid
 * (it lives in the arena).  NULL does nothing. */
DG_API void			dg_dkim_verifier_free(
				    struct dg_dkim_verifier *v);

/*
 * One header field exactly as in the message: "Name:value" with its
 * folding (CRLF or bare LF); one final line terminator is optional.  For
 * libmilter, which gives name and value apart, dg_dkim_header_nv() joins
 * name ":" value; the value must keep its leading space (negotiate
 * SMFIP_HDR_LEADSPC), or c=simple header signatures cannot verify.
 * Returns DG_OK, DG_ENOMEM, DG_EINVAL (no colon, a line end that does
 * not start a fold, or called after the body started), DG_ETOOBIG
 * (DG_HDR_FIELDS_MAX, DG_HDR_FIELD_MAX, DG_HDR_SECTION_MAX or the arena
 * ceiling).
 */
DG_API DG_NODISCARD enum dg_err	dg_dkim_header(struct dg_dkim_verifier *v,
				    const char *field, size_t len);
DG_API DG_NODISCARD enum dg_err	dg_dkim_header_nv(struct dg_dkim_verifier *v,
				    const char *name, size_t name_len,
				    const char *value, size_t value_len);
/*
 * End of the header section: parses the signatures and fetches the keys
 * (DNS and key failures become verdicts).  Called by the first
 * dg_dkim_body() or dg_dkim_finish() if the caller does not.
 */
DG_API DG_NODISCARD enum dg_err	dg_dkim_eoh(struct dg_dkim_verifier *v);
/* A body chunk of any size; CRLF or bare LF line ends (bare LF is read as
 * CRLF, as MTAs store mail with LF). */
DG_API DG_NODISCARD enum dg_err	dg_dkim_body(struct dg_dkim_verifier *v,
				    const char *p, size_t len);
/*
 * Ends the body and verifies.  *out is borrowed from the arena.  Calling
 * it again returns the same verdict.
 */
DG_API DG_NODISCARD enum dg_err	dg_dkim_finish(struct dg_dkim_verifier *v,
				    const struct dg_dkim_verdict **out);

/*
 * The whole stream for a message in memory (header parsed with
 * dg_msg_hdr_parse()).  A header that does not parse is DG_ESYNTAX.
 */
DG_API DG_NODISCARD enum dg_err	dg_dkim_verify_message(struct dg_arena *a,
				    struct dg_resolver *res,
				    const struct dg_dkim_opts *opts,
				    const char *msg, size_t len,
				    const struct dg_dkim_verdict **out);

/*
 * Key cache: parsed public keys per selector and domain, at most
 * max_entries (0: DG_DKIM_KEYCACHE_DEFAULT, held to
 * DG_DKIM_KEYCACHE_HARD), each kept for its DNS TTL (at most a day) and
 * evicted least recently used.  Safe for concurrent threads.  Only
 * usable keys are cached; DNS failures and broken records are not.
 */
DG_API DG_NODISCARD enum dg_err	dg_dkim_keycache_new(size_t max_entries,
				    struct dg_dkim_keycache **out);
DG_API void			dg_dkim_keycache_free(
				    struct dg_dkim_keycache *kc);
/* Tests: the cache's clock (Unix seconds); NULL restores time(). */
typedef uint64_t (*dg_dkim_clock_fn)(void *ctx);
DG_API void			dg_dkim_keycache_set_clock(
				    struct dg_dkim_keycache *kc,
				    dg_dkim_clock_fn fn, void *ctx);
struct dg_dkim_keycache_stats {
	uint64_t	hits, misses, inserts, evictions, expired;
	size_t		entries;
};
DG_API void			dg_dkim_keycache_stats(
				    struct dg_dkim_keycache *kc,
				    struct dg_dkim_keycache_stats *out);

/*
 * Signing (RFC 6376 5), as far as round-trip tests and simple tools
 * need: rsa-sha256 or ed25519-sha256 by the key's type; rsa-sha1 is never
 * produced (RFC 8301).  A private key is read-only once loaded and may be
 * shared by threads.
 */
struct dg_dkim_privkey;
/* PEM, PKCS#1 or PKCS#8, RSA or Ed25519.  DG_ESYNTAX when unreadable. */
DG_API DG_NODISCARD enum dg_err	dg_dkim_privkey_pem(const char *pem,
				    size_t len,
				    struct dg_dkim_privkey **out);
/* An Ed25519 seed as base64 of 32 bytes (RFC 8463 A.1's form). */
DG_API DG_NODISCARD enum dg_err	dg_dkim_privkey_ed25519_seed(
				    const char *b64, size_t len,
				    struct dg_dkim_privkey **out);
DG_API void			dg_dkim_privkey_free(
				    struct dg_dkim_privkey *k);
/*
 * What a loaded key signs with: *alg gets DG_DKIM_ALG_RSA_SHA256 or
 * DG_DKIM_ALG_ED25519_SHA256, *bits the RSA modulus size (256 for
 * Ed25519).  Either pointer may be NULL.
 */
DG_API void			dg_dkim_privkey_info(
				    const struct dg_dkim_privkey *k,
				    enum dg_dkim_alg *alg, unsigned *bits);

/*
 * Key generation (`dmarcguard keygen`).  alg picks the key type:
 * DG_DKIM_ALG_RSA_SHA256 (bits from DG_DKIM_MIN_RSA_BITS to
 * DG_DKIM_MAX_KEY_BITS, 1024..8192) or DG_DKIM_ALG_ED25519_SHA256 (bits
 * must be 0).  pem[0..pem_cap) gets the private key as PKCS#8 PEM, which
 * dg_dkim_privkey_pem() reads back; pub[0..pub_cap) gets the key
 * record's p= value in base64 (RSA: SubjectPublicKeyInfo DER, RFC 6376
 * 3.6.1; Ed25519: the 32 raw bytes, RFC 8463 4).  Both NUL-terminated;
 * the sizes below always suffice.  Returns DG_OK, DG_EINVAL (type, bits
 * or NULL), DG_ETOOBIG (a buffer too small), DG_ENOMEM, DG_EINTERNAL.
 * The caller should wipe pem when done with it.  Thread-safe.
 */
#define DG_DKIM_KEYGEN_PEM_MAX	8192	/* an 8192-bit RSA key: ~6.4 KB */
#define DG_DKIM_KEYGEN_PUB_MAX	2048	/* its SPKI in base64: ~1.4 KB */
DG_API DG_NODISCARD enum dg_err	dg_dkim_keygen(enum dg_dkim_alg alg,
				    unsigned bits, char *pem, size_t pem_cap,
				    char *pub, size_t pub_cap);

struct dg_dkim_sign_opts {
	const char		*domain;	/* d=, required */
	const char		*selector;	/* s=, required */
	const char		*identity;	/* i= or NULL */
	const char		*headers;	/* h=, e.g. "from:to:subject";
						   must name From */
	enum dg_dkim_canon	 header_canon;	/* UNSET: relaxed */
	enum dg_dkim_canon	 body_canon;	/* UNSET: relaxed */
	uint64_t		 t;		/* 0: no t= */
	uint64_t		 x;		/* 0: no x= */
	bool			 body_length;	/* add l= (the whole body) */
};

/*
 * Sign the message msg[0..len) (header and body, CRLF or LF) and give
 * the DKIM-Signature field value (without "DKIM-Signature:"), one line,
 * in a.  Returns DG_OK, DG_ENOMEM, DG_EINVAL (missing option, h= without
 * From), DG_ESYNTAX (header does not parse), DG_EINTERNAL.
 */
DG_API DG_NODISCARD enum dg_err	dg_dkim_sign(struct dg_arena *a,
				    const struct dg_dkim_privkey *key,
				    const struct dg_dkim_sign_opts *o,
				    const char *msg, size_t len,
				    const char **value);

DG_API const char	*dg_dkim_result_str(enum dg_dkim_result r);
DG_API const char	*dg_dkim_reason_str(enum dg_dkim_reason r);
DG_API const char	*dg_dkim_alg_str(enum dg_dkim_alg a);
DG_API const char	*dg_dkim_canon_str(enum dg_dkim_canon c);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_DKIM_H */
