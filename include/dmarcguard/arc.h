/*
 * include/dmarcguard/arc.h -- ARC (RFC 8617) chain validation.
 *
 * The chain of a message is its ARC sets (ARC-Authentication-Results,
 * ARC-Message-Signature, ARC-Seal with the same i=).  Validation (RFC 8617
 * 5.2): no sets is "none"; a newest seal with cv=fail, a set missing,
 * doubled or out of 1..N, a cv= out of place, a newest AMS that does not
 * verify or any seal that does not verify is "fail"; else "pass".
 */
#ifndef DMARCGUARD_ARC_H
#define DMARCGUARD_ARC_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/dkim.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dg_arc_result {
	DG_ARC_UNSET = 0,	/* never returned */
	DG_ARC_NONE,		/* no ARC sets */
	DG_ARC_PASS,
	DG_ARC_FAIL
};

struct dg_arc_verdict {
	enum dg_arc_result	 result;
	unsigned		 instances;	/* N, the newest i= (0: none) */
	/* The oldest instance whose AMS still verifies, counting down from
	 * N while they do (RFC 8617 5.2 step 6); 0 when not known. */
	unsigned		 oldest_pass;
	char			 sealer[256];	/* d= of the newest seal */
	/* The newest seal already says cv=fail: the chain is over, and
	 * dg_arc_seal() adds nothing to it. */
	bool			 ended;
	char			 reason[DG_DETAIL_MAX];
};

/*
 * Streaming, like the DKIM verifier: every header field in order
 * (dg_arc_header: "Name:value" with its folding, one final terminator
 * optional), then body chunks of any size, then dg_arc_finish().  Memory
 * does not grow with the body.  The verifier lives in a (free it with
 * dg_arc_verifier_free, which releases the hash states).  Errors:
 * DG_EINVAL (no colon; a call out of order), DG_ETOOBIG (header limits),
 * DG_ENOMEM.
 */
struct dg_arc_verifier;

DG_API DG_NODISCARD enum dg_err dg_arc_verifier_new(struct dg_arena *a,
				    struct dg_resolver *res,
				    struct dg_dkim_keycache *kc,
				    struct dg_arc_verifier **out);
DG_API void		dg_arc_verifier_free(struct dg_arc_verifier *v);
DG_API DG_NODISCARD enum dg_err dg_arc_header(struct dg_arc_verifier *v,
				    const char *field, size_t len);
DG_API DG_NODISCARD enum dg_err dg_arc_body(struct dg_arc_verifier *v,
				    const char *p, size_t len);
DG_API DG_NODISCARD enum dg_err dg_arc_finish(struct dg_arc_verifier *v,
				    struct dg_arc_verdict *out);

/*
 * After dg_arc_finish(): the d= of the seal of instance i, and the value
 * (after the colon, folding kept) of its ARC-Authentication-Results; NULL
 * when there is no such instance (or its seal did not parse).  Borrowed
 * from the verifier's arena.
 */
DG_API const char	*dg_arc_set_sealer(const struct dg_arc_verifier *v,
			    unsigned i);
DG_API const char	*dg_arc_set_aar(const struct dg_arc_verifier *v,
			    unsigned i, size_t *len);

/*
 * Validate the ARC chain of the message msg[0..len) (header section and
 * body; CRLF or bare LF).  Keys come through res, cached in kc (may be
 * NULL).  DNS failures and malformed sets are results, not errors: this
 * returns DG_OK, DG_EINVAL for NULL arguments, DG_ENOMEM / DG_ETOOBIG.
 */
DG_API DG_NODISCARD enum dg_err dg_arc_verify_message(struct dg_arena *a,
				    struct dg_resolver *res,
				    struct dg_dkim_keycache *kc,
				    const char *msg, size_t len,
				    struct dg_arc_verdict *out);

DG_API const char	*dg_arc_result_str(enum dg_arc_result r);

/* Sealing: what the sealer says and how it signs. */
struct dg_arc_seal_opts {
	const char		*domain;	/* d= */
	const char		*selector;	/* s= */
	const char		*authserv_id;	/* the AAR's */
	/* The AAR's results ("spf=pass smtp.mailfrom=...; dkim=..."),
	 * or NULL: "arc=none". */
	const char		*results;
	uint64_t		 now;		/* t= */
	/* The AMS's h= (lower-case names); NULL: the default list of
	 * docs/arc.md, those present. */
	const char *const	*headers;
	size_t			 nheaders;
	/* cv= to write ("none", "pass", "fail"), or NULL to validate the
	 * chain and use the result (RFC 8617 5.1.1). */
	const char		*cv;
};

/* The new set: three header fields ("Name: value", no line end), to be
 * put on top of the message as AS, AMS, AAR (any order is valid).
 * instance 0: nothing was added, the chain has ended (chain.ended). */
struct dg_arc_sealed {
	unsigned		 instance;
	const char		*aar, *ams, *as;
	struct dg_arc_verdict	 chain;		/* the chain before: cv= */
};

/*
 * Validate the message's chain, then make its next ARC set (RFC 8617
 * 5.1), signing with key.  Returns DG_OK, DG_EINVAL (bad arguments),
 * DG_ESYNTAX (a header that does not parse, or an old set that cannot be
 * found again), DG_ETOOBIG (already 50 instances), DG_ENOMEM.
 */
/*
 * The AAR's results for this hop: the results of the message's
 * Authentication-Results fields from authserv-id id, in order, joined with
 * "; ", with "arc=CV" first unless they name arc already.
 */
DG_API DG_NODISCARD enum dg_err dg_arc_aar_results(struct dg_arena *a,
				    const char *msg, size_t len,
				    const char *id, const char *cv,
				    const char **out);
DG_API DG_NODISCARD enum dg_err dg_arc_seal(struct dg_arena *a,
				    struct dg_resolver *res,
				    const struct dg_dkim_privkey *key,
				    const struct dg_arc_seal_opts *o,
				    const char *msg, size_t len,
				    struct dg_arc_sealed *out);

#ifdef __cplusplus
}
#endif

#endif /* DMARCGUARD_ARC_H */
