/*
 * include/dmarcguard/orgdomain.h -- Organizational Domains, both ways.
 *
 *  - RFC 9989 4.10: the DNS Tree Walk.  Queries _dmarc.<name> TXT from the
 *    subject domain upwards (at most 8 queries), finds the DMARC Policy
 *    Record that applies (4.10.1) and the Organizational Domain (4.10.2).
 *  - RFC 7489 3.2: the Public Suffix List method (struct dg_psl), for the
 *    RFC 7489 compatibility mode and for look-alike checks.
 *
 * Design notes and examples: docs/internals/orgdomain.md.
 */
#ifndef DMARCGUARD_ORGDOMAIN_H
#define DMARCGUARD_ORGDOMAIN_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * RFC 9989 DNS Tree Walk
 */

/* How the walk ended. */
enum dg_dmarc_walk_status {
	DG_DMARC_WALK_UNSET = 0,	/* never returned */
	DG_DMARC_WALK_FOUND,		/* a policy record applies */
	DG_DMARC_WALK_NONE,		/* no DMARC record: DMARC does not
					   apply (RFC 9989 4.10.1) */
	DG_DMARC_WALK_TEMPERROR		/* a query failed (SERVFAIL, TIMEOUT,
					   MALFORMED): see failed_* */
};

/* The "psd" tag of a record (RFC 9989 4.7); absent or invalid means u. */
enum dg_dmarc_psd {
	DG_DMARC_PSD_UNSET = 0,		/* no record */
	DG_DMARC_PSD_U,
	DG_DMARC_PSD_Y,
	DG_DMARC_PSD_N
};

/* What one query of the walk gave. */
enum dg_dmarc_answer {
	DG_DMARC_ANS_UNSET = 0,		/* never returned */
	DG_DMARC_ANS_NONE,		/* NXDOMAIN, NODATA, or no TXT
					   starting with v=DMARC1 */
	DG_DMARC_ANS_RECORD,		/* exactly one DMARC record */
	DG_DMARC_ANS_MULTIPLE,		/* several: all discarded (4.10
					   step 2) */
	DG_DMARC_ANS_TEMPERROR,		/* the lookup failed */
	DG_DMARC_ANS_NOT_ASKED		/* _dmarc.<name> is longer than a DNS
					   name can be: no query, no record */
};

/* Where the applied policy record was found (RFC 9989 4.10.1 order). */
enum dg_dmarc_source {
	DG_DMARC_SRC_UNSET = 0,		/* no record applies */
	DG_DMARC_SRC_AUTHOR,		/* at the subject domain itself */
	DG_DMARC_SRC_ORG,		/* at its Organizational Domain */
	DG_DMARC_SRC_PSD		/* at its Public Suffix Domain */
};

/* One step of the walk.  Strings are borrowed from the walk's arena. */
struct dg_dmarc_walk_step {
	const char		*domain;	/* target, "example.com" */
	const char		*qname;		/* "_dmarc.example.com" */
	enum dg_dns_status	 dns;		/* DG_DNS_UNSET if not asked */
	enum dg_dmarc_answer	 answer;
	size_t			 ntxt;		/* TXT RRs in the answer */
	size_t			 ndmarc;	/* of which start v=DMARC1 */
	const char		*record;	/* the single record, or NULL */
	size_t			 record_len;
	enum dg_dmarc_psd	 psd;		/* of record; UNSET if none */
};

/*
 * The result of dg_dmarc_tree_walk().  Everything is borrowed from the
 * arena passed to it.
 *
 * TEMPERROR: the walk stops at the first failed query.  A record found at
 * the subject domain itself (the first query) is still reported in
 * policy_* because it is known to apply, but org_domain is NULL: a record
 * further up (psd=y) could have changed it.  Callers must not turn a
 * temperror into "none" (RFC 9989 5.3.6).
 */
struct dg_dmarc_walk {
	enum dg_dmarc_walk_status	 status;
	const char			*domain;	/* subject, normalised:
							   A-labels, lower case,
							   no final dot */
	const struct dg_dmarc_walk_step	*steps;		/* in query order */
	size_t				 nsteps;
	unsigned			 dns_queries;	/* sent; <= 8 */

	/* Policy discovery, RFC 9989 4.10.1: the subject's own record, else
	 * its Organizational Domain's, else its PSD's. */
	const char			*policy_record;	/* NULL if none */
	size_t				 policy_record_len;
	const char			*policy_domain;	/* where it was found */
	enum dg_dmarc_source		 policy_source;
	enum dg_dmarc_psd		 policy_psd;

	/* RFC 9989 4.10.2: the Organizational Domain (the subject itself
	 * when no record was found); NULL on temperror. */
	const char			*org_domain;
	bool				 psd_seen;	/* met a psd=y record */
	const char			*psd_domain;	/* where, or NULL */

	/* TEMPERROR only: the name whose lookup failed, and how. */
	const char			*failed_qname;
	enum dg_dns_status		 failed_dns;
};

/*
 * Run the RFC 9989 4.10 DNS Tree Walk for domain (a From domain, a DKIM
 * d=, an SPF domain: any case, optional final dot, U-labels are converted
 * to A-labels) and fill *out.  DNS failures are statuses (TEMPERROR), not
 * errors.  Returns DG_OK; DG_EINVAL for NULL arguments or a domain that
 * is not a valid DNS name (empty label, too long, bad IDN, characters
 * other than letters, digits, "-" and "_"); DG_ENOMEM / DG_ETOOBIG when the
 * arena is exhausted.  *out is written only on DG_OK.  Thread-safe when
 * res is; a is not shared.
 */
DG_API DG_NODISCARD enum dg_err dg_dmarc_tree_walk(struct dg_resolver *res,
				    const char *domain, struct dg_arena *a,
				    struct dg_dmarc_walk *out);

/*
 * Does the record text p[0..len) identify itself as a DMARC Policy Record
 * (RFC 9989 4.7: the first tag is v=DMARC1, value case-sensitive)?  If so
 * and psd is not NULL, *psd gets its psd tag (u when absent or invalid).
 */
DG_API bool		dg_dmarc_record_is_dmarc(const char *p, size_t len,
			    enum dg_dmarc_psd *psd);

/*
 * Normalise a domain for lookups into out[0..cap): ASCII lower case, final
 * dot removed, U-labels converted to A-labels (IDNA2008 with UTS #46
 * mapping, libidn2).  DG_EINVAL for an invalid name, DG_ETOOBIG if cap is
 * too small (254 always suffices).
 */
DG_API DG_NODISCARD enum dg_err dg_domain_normalize(const char *domain,
				    char *out, size_t cap);

DG_API const char	*dg_dmarc_walk_status_str(enum dg_dmarc_walk_status s);
DG_API const char	*dg_dmarc_psd_str(enum dg_dmarc_psd p);
DG_API const char	*dg_dmarc_answer_str(enum dg_dmarc_answer a);
DG_API const char	*dg_dmarc_source_str(enum dg_dmarc_source s);

/* ---------------------------------------------------------------------
 * RFC 7489 3.2: Public Suffix List
 *
 * A struct dg_psl is built once (malloc), read-only afterwards and safe to
 * share between threads without locking.  Free it with dg_psl_free().
 */
struct dg_psl;

/* Flags for the lookups below. */
#define DG_PSL_ICANN_ONLY	0x01	/* ignore the PRIVATE section
					   (blogspot.com, uk.com, ...) */

/*
 * The system list: the newest of /usr/share/publicsuffix (libpsl's
 * distribution file) and libpsl's built-in copy.  DG_EIO if neither is
 * available; DG_ENOMEM.
 */
DG_API DG_NODISCARD enum dg_err dg_psl_new_system(struct dg_psl **out);
/* A list in public_suffix_list.dat format.  DG_EIO if it can't be read. */
DG_API DG_NODISCARD enum dg_err dg_psl_new_file(const char *path,
				    struct dg_psl **out);
/* NULL does nothing. */
DG_API void		dg_psl_free(struct dg_psl *psl);

/*
 * RFC 7489 3.2 Organizational Domain (the registrable domain: the public
 * suffix plus one label) of domain, into out[0..cap).  The answer comes in
 * the form of the input: U-labels in, U-labels out; A-labels or ASCII in,
 * lower-case ASCII out.  out is "" when domain is itself a public suffix
 * (3.2 finds no Organizational Domain).  Unlisted TLDs follow the PSL's
 * implicit "*" rule.  DG_EINVAL for NULL or an invalid name (including a
 * leading dot); DG_ETOOBIG if cap is too small.
 */
DG_API DG_NODISCARD enum dg_err dg_psl_org_domain(const struct dg_psl *psl,
				    const char *domain, unsigned flags,
				    char *out, size_t cap);

/* Is domain (any case, U- or A-labels) a public suffix?  false if invalid. */
DG_API bool		dg_psl_is_public_suffix(const struct dg_psl *psl,
			    const char *domain, unsigned flags);

/*
 * The label just left of the public suffix ("paypal" for
 * "www.paypal.co.uk"), lower case, in A-label form, into out[0..cap): what
 * look-alike checks compare.  out is "" when domain is a public suffix.
 * Errors as dg_psl_org_domain().
 */
DG_API DG_NODISCARD enum dg_err dg_psl_registrable_label(
				    const struct dg_psl *psl,
				    const char *domain, unsigned flags,
				    char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_ORGDOMAIN_H */
