/*
 * include/dmarcguard/audit.h -- the domain posture audit behind
 * `dmarcguard check`: is this domain spoofable, and exactly what should
 * its owner publish?
 *
 * dg_audit_domain() looks at one domain's DMARC (RFC 9989 tree walk, and
 * the RFC 7489 Public Suffix List lookup where it differs), SPF (RFC 7208,
 * through dg_spf_analyze()), MX / null MX (RFC 7505), DKIM keys at a list
 * of selectors (RFC 6376), MTA-STS (RFC 8461), TLS-RPT (RFC 8460), BIMI
 * and the DNSSEC state, and gives:
 *   - a verdict: spoofable, weak or protected (or error when a failed
 *     lookup prevented one);
 *   - findings, each with a stable id, a severity, one plain sentence and
 *     the fix (the id table is in docs/check.md);
 *   - the records seen, the records to publish (keeping the owner's rua,
 *     ruf and SPF terms), and a staged DMARC rollout when going straight
 *     to p=reject is risky.
 *
 * Everything in a result is allocated in the caller's arena (one arena per
 * domain) and borrowed until it is freed.  Thread-safe when the resolver
 * is; the options and PSL are only read.
 */
#ifndef DMARCGUARD_AUDIT_H
#define DMARCGUARD_AUDIT_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/orgdomain.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dg_audit_verdict {
	DG_AUDIT_UNSET = 0,		/* never returned */
	DG_AUDIT_PROTECTED,		/* enforced DMARC, no gaps found */
	DG_AUDIT_WEAK,			/* enforced, with gaps */
	DG_AUDIT_SPOOFABLE,		/* anyone can send as the domain */
	DG_AUDIT_ERROR			/* a DNS failure prevented a verdict */
};

/*
 * A finding's weight.  The verdict is decided by the worst one: HIGH makes
 * the domain spoofable, MEDIUM weak; LOW and INFO do not change it.
 */
enum dg_audit_severity {
	DG_AUDIT_SEV_UNSET = 0,		/* never returned */
	DG_AUDIT_SEV_INFO,		/* worth knowing */
	DG_AUDIT_SEV_LOW,		/* fix when convenient */
	DG_AUDIT_SEV_MEDIUM,		/* a gap: the domain is weak */
	DG_AUDIT_SEV_HIGH,		/* the domain is spoofable */
	DG_AUDIT_SEV_ERROR		/* a lookup failed: no verdict */
};

/* What a finding is about. */
enum dg_audit_area {
	DG_AUDIT_AREA_UNSET = 0,
	DG_AUDIT_AREA_DMARC,
	DG_AUDIT_AREA_SPF,
	DG_AUDIT_AREA_DKIM,
	DG_AUDIT_AREA_MX,
	DG_AUDIT_AREA_MTA_STS,
	DG_AUDIT_AREA_TLS_RPT,
	DG_AUDIT_AREA_BIMI,
	DG_AUDIT_AREA_DNSSEC
};

/*
 * Every finding.  The id strings (dg_audit_code_id()) are part of the
 * documented JSON schema and never change meaning; new codes are added
 * at the end.
 */
enum dg_audit_code {
	DG_AUDIT_F_UNSET = 0,
	/* DMARC */
	DG_AUDIT_F_DMARC_MISSING,	/* dmarc-missing */
	DG_AUDIT_F_DMARC_MULTIPLE,	/* dmarc-multiple */
	DG_AUDIT_F_DMARC_INVALID,	/* dmarc-invalid */
	DG_AUDIT_F_DMARC_SYNTAX,	/* dmarc-syntax */
	DG_AUDIT_F_DMARC_UNKNOWN_TAG,	/* dmarc-unknown-tag */
	DG_AUDIT_F_DMARC_INVALID_VALUE,	/* dmarc-invalid-value */
	DG_AUDIT_F_DMARC_DUPLICATE_TAG,	/* dmarc-duplicate-tag */
	DG_AUDIT_F_DMARC_POLICY_NONE,	/* dmarc-policy-none */
	DG_AUDIT_F_DMARC_POLICY_FALLBACK, /* dmarc-policy-fallback */
	DG_AUDIT_F_DMARC_TESTING,	/* dmarc-testing (t=y) */
	DG_AUDIT_F_DMARC_PCT_ZERO,	/* dmarc-pct-zero */
	DG_AUDIT_F_DMARC_PCT_PARTIAL,	/* dmarc-pct-partial */
	DG_AUDIT_F_DMARC_OBSOLETE_TAG,	/* dmarc-obsolete-tag (rf, ri) */
	DG_AUDIT_F_DMARC_SP_WEAKER,	/* dmarc-sp-weaker */
	DG_AUDIT_F_DMARC_NP_WEAKER,	/* dmarc-np-weaker */
	DG_AUDIT_F_DMARC_PSD,		/* dmarc-psd */
	DG_AUDIT_F_DMARC_STRICT_ALIGN,	/* dmarc-strict-alignment */
	DG_AUDIT_F_DMARC_BAD_URI,	/* dmarc-bad-uri */
	DG_AUDIT_F_DMARC_NO_RUA,	/* dmarc-no-rua */
	DG_AUDIT_F_DMARC_EXTERNAL_UNAUTH, /* dmarc-external-unauthorized */
	DG_AUDIT_F_DMARC_INHERITED,	/* dmarc-inherited */
	DG_AUDIT_F_DMARC_RFC7489_DIFFERS, /* dmarc-rfc7489-differs */
	DG_AUDIT_F_DMARC_DNS_ERROR,	/* dmarc-dns-error */
	/* SPF */
	DG_AUDIT_F_SPF_MISSING,		/* spf-missing */
	DG_AUDIT_F_SPF_MULTIPLE,	/* spf-multiple */
	DG_AUDIT_F_SPF_SYNTAX,		/* spf-syntax */
	DG_AUDIT_F_SPF_PASS_ALL,	/* spf-pass-all (+all) */
	DG_AUDIT_F_SPF_NEUTRAL_ALL,	/* spf-neutral-all (?all) */
	DG_AUDIT_F_SPF_SOFTFAIL_ALL,	/* spf-softfail-all (~all) */
	DG_AUDIT_F_SPF_NO_ALL,		/* spf-no-all */
	DG_AUDIT_F_SPF_TOO_MANY_LOOKUPS, /* spf-too-many-lookups */
	DG_AUDIT_F_SPF_VOID_LOOKUP,	/* spf-void-lookup */
	DG_AUDIT_F_SPF_TOO_MANY_VOIDS,	/* spf-too-many-voids */
	DG_AUDIT_F_SPF_PTR,		/* spf-ptr */
	DG_AUDIT_F_SPF_INCLUDE_NONE,	/* spf-include-none */
	DG_AUDIT_F_SPF_REDIRECT_NONE,	/* spf-redirect-none */
	DG_AUDIT_F_SPF_LOOP,		/* spf-loop */
	DG_AUDIT_F_SPF_MACRO,		/* spf-macro */
	DG_AUDIT_F_SPF_TOO_DEEP,	/* spf-too-deep */
	DG_AUDIT_F_SPF_MX_LIMIT,	/* spf-mx-limit */
	DG_AUDIT_F_SPF_DNS_ERROR,	/* spf-dns-error */
	/* MX and parked domains */
	DG_AUDIT_F_MX_NONE,		/* mx-none */
	DG_AUDIT_F_MX_NULL,		/* mx-null */
	DG_AUDIT_F_MX_NULL_MIXED,	/* mx-null-mixed */
	DG_AUDIT_F_PARKED_SPF,		/* parked-spf-not-locked */
	DG_AUDIT_F_PARKED_DMARC,	/* parked-dmarc-not-reject */
	DG_AUDIT_F_MX_DNS_ERROR,	/* mx-dns-error */
	DG_AUDIT_F_DOMAIN_NXDOMAIN,	/* domain-nxdomain */
	/* DKIM */
	DG_AUDIT_F_DKIM_NONE_FOUND,	/* dkim-none-found */
	DG_AUDIT_F_DKIM_KEY_INVALID,	/* dkim-key-invalid */
	DG_AUDIT_F_DKIM_REVOKED,	/* dkim-revoked */
	DG_AUDIT_F_DKIM_TESTING,	/* dkim-testing */
	DG_AUDIT_F_DKIM_RSA_TOO_SHORT,	/* dkim-rsa-too-short (< 1024) */
	DG_AUDIT_F_DKIM_RSA_WEAK,	/* dkim-rsa-weak (< 2048) */
	DG_AUDIT_F_DKIM_ED25519_ONLY,	/* dkim-ed25519-only */
	DG_AUDIT_F_DKIM_DNS_ERROR,	/* dkim-dns-error */
	/* MTA-STS, TLS-RPT, BIMI */
	DG_AUDIT_F_MTA_STS_MISSING,	/* mta-sts-missing */
	DG_AUDIT_F_MTA_STS_INVALID,	/* mta-sts-invalid */
	DG_AUDIT_F_TLS_RPT_MISSING,	/* tls-rpt-missing */
	DG_AUDIT_F_TLS_RPT_INVALID,	/* tls-rpt-invalid */
	DG_AUDIT_F_BIMI_INVALID,	/* bimi-invalid */
	DG_AUDIT_F_BIMI_NOT_ENFORCED,	/* bimi-without-enforcement */
	DG_AUDIT_F_EXTRA_DNS_ERROR,	/* extra-dns-error */
	/* DNSSEC */
	DG_AUDIT_F_DNSSEC_BOGUS,	/* dnssec-bogus */
	DG_AUDIT_F_DNSSEC_INSECURE,	/* dnssec-insecure */
	DG_AUDIT_F__COUNT
};

struct dg_audit_finding {
	enum dg_audit_code	 code;
	const char		*id;		/* dg_audit_code_id(code) */
	enum dg_audit_area	 area;
	enum dg_audit_severity	 severity;
	const char		*message;	/* one plain sentence */
	const char		*fix;		/* what to do; "" if nothing */
};

/* A DNS record the audit looked at (or the outcome of asking). */
struct dg_audit_seen {
	const char		*what;		/* "dmarc", "dmarc-rfc7489",
						   "spf", "mx", "dkim",
						   "mta-sts", "tls-rpt",
						   "bimi" */
	const char		*name;		/* owner name queried */
	enum dg_dns_type	 type;
	enum dg_dns_status	 status;
	const char		*text;		/* record text (MX: "10 host"),
						   or NULL when none */
};

/* A record to publish, ready to paste into a zone. */
struct dg_audit_publish {
	const char		*what;		/* "dmarc", "spf", "mx" */
	const char		*name;		/* owner name */
	enum dg_dns_type	 type;
	const char		*text;		/* TXT text, or "0 ." for MX */
	const char		*why;		/* one sentence */
};

/* One step of a staged DMARC rollout. */
struct dg_audit_stage {
	const char	*record;	/* the DMARC record for this step */
	const char	*advice;	/* when to move on */
};

/* What the audit asks for. */
struct dg_audit_opts {
	/* DKIM selectors to look for, in order, duplicates allowed (only
	 * the first is asked).  NULL/0: no DKIM checks. */
	const char *const	*selectors;
	size_t			 nselectors;
	/* Public Suffix List for the RFC 7489 Organizational Domain; NULL:
	 * only the RFC 9989 tree walk is used. */
	const struct dg_psl	*psl;
	unsigned		 flags;		/* DG_AUDIT_NO_* */
};

#define DG_AUDIT_NO_DKIM	0x01	/* skip DKIM selectors */
#define DG_AUDIT_NO_EXTRA	0x02	/* skip MTA-STS, TLS-RPT, BIMI */

struct dg_audit_result {
	const char			*domain;	/* normalised */
	enum dg_audit_verdict		 verdict;
	const char			*error;	/* ERROR: what failed */
	enum dg_dnssec			 dnssec;	/* of the MX answer */

	/* DMARC, RFC 9989 tree walk */
	const char			*dmarc_record;	/* applied, or NULL */
	const char			*dmarc_domain;	/* where found */
	enum dg_dmarc_source		 dmarc_source;
	const char			*org_domain;	/* RFC 9989 */
	const char			*policy;	/* in effect: "none",
							   "quarantine",
							   "reject", or NULL */
	/* RFC 7489 (PSL): Organizational Domain, and the record an RFC 7489
	 * receiver would use when it differs from the one above (else
	 * NULL). */
	const char			*org_domain_rfc7489;
	const char			*dmarc_record_rfc7489;

	/* SPF */
	const char			*spf_record;	/* top record or NULL */
	unsigned			 spf_lookups;	/* worst case */

	/* MX */
	size_t				 nmx;
	bool				 null_mx;	/* RFC 7505 */
	/* sends no mail: a lone null MX, or no MX and no SPF sender */
	bool				 parked;
	size_t				 dkim_keys;	/* with a key */

	const struct dg_audit_finding	*findings;	/* worst first */
	size_t				 nfindings;
	const struct dg_audit_seen	*seen;		/* in lookup order */
	size_t				 nseen;
	const struct dg_audit_publish	*publish;
	size_t				 npublish;
	const struct dg_audit_stage	*rollout;	/* empty when not
							   needed */
	size_t				 nrollout;
};

/*
 * Audit domain (any case, optional final dot, U-labels allowed) through
 * res and fill *out, allocated in a.  DNS failures are findings and the
 * ERROR verdict, not errors.  Returns DG_OK; DG_EINVAL for NULL arguments
 * or a name that is not a valid domain; DG_ENOMEM / DG_ETOOBIG when the
 * arena fails.  *out is written only on DG_OK.  Thread-safe when res is.
 */
DG_API DG_NODISCARD enum dg_err dg_audit_domain(struct dg_resolver *res,
				    const struct dg_audit_opts *opts,
				    const char *domain, struct dg_arena *a,
				    struct dg_audit_result *out);

/*
 * An answer cache for bulk audits: a resolver that answers repeated
 * (name, type) questions from memory (OK, NXDOMAIN and NODATA answers, for
 * their TTL, at most an hour) and passes the rest to inner[].  A thread
 * keeps to one of the inner resolvers (the first thread to query gets
 * inner[0], the next inner[1], ...), so several libunbound contexts can
 * share one cache.  At most max_entries answers (0: the default, 16384;
 * capped at 1M) of at most 64 KiB each; a new answer replaces the one in
 * its slot.  The inner resolvers are not owned and must outlive the
 * cache.  Thread-safe (one mutex).
 */
struct dg_audit_cache;
DG_API DG_NODISCARD enum dg_err dg_audit_cache_new(
				    struct dg_resolver *const *inner,
				    size_t ninner, size_t max_entries,
				    struct dg_audit_cache **out);
/* The resolver to query; borrowed, freed with the cache. */
DG_API struct dg_resolver *dg_audit_cache_resolver(struct dg_audit_cache *c);
DG_API void		dg_audit_cache_stats(struct dg_audit_cache *c,
			    uint64_t *hits, uint64_t *misses);
/* NULL does nothing. */
DG_API void		dg_audit_cache_free(struct dg_audit_cache *c);

DG_API const char	*dg_audit_verdict_str(enum dg_audit_verdict v);
DG_API const char	*dg_audit_severity_str(enum dg_audit_severity s);
DG_API const char	*dg_audit_area_str(enum dg_audit_area a);
/* The stable id ("dmarc-policy-none"); "" for UNSET or out of range. */
DG_API const char	*dg_audit_code_id(enum dg_audit_code c);
/* The severity every finding of code c has. */
DG_API enum dg_audit_severity dg_audit_code_severity(enum dg_audit_code c);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_AUDIT_H */
