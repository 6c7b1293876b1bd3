/*
 * include/dmarcguard/dmarc.h -- DMARC, RFC 9989 (May 2026; obsoletes RFC
 * 7489 and RFC 9091), with an RFC 7489 compatibility mode.
 *
 * This header has three parts:
 *   1. the DMARC Policy Record parser (RFC 9989 4.7, 4.8 and 4.10.1),
 *   2. DMARC reporting URIs (RFC 9989 4.6 and 4.8, RFC 7489 6.2),
 *   3. verification of external report destinations (RFC 9990 4,
 *      RFC 9991 5; RFC 7489 7.1).
 * The receiver's evaluation (alignment, policy, verdict) is in
 * dmarc_eval.h, the local "p=none shield" in dmarc_shield.h.  Design
 * notes: docs/internals/dmarc-record.md, docs/internals/dmarc.md.
 */
#ifndef DMARCGUARD_DMARC_H
#define DMARCGUARD_DMARC_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/orgdomain.h>	/* enum dg_dmarc_psd */

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * 1. DMARC Policy Record
 */

/* The tags, known and removed.  The order is the bit order of
 * struct dg_dmarc_record's explicit_mask. */
enum dg_dmarc_tag {
	DG_DMARC_TAG_NONE = 0,		/* a finding about the whole record */
	DG_DMARC_TAG_V,
	DG_DMARC_TAG_P,
	DG_DMARC_TAG_SP,
	DG_DMARC_TAG_NP,		/* RFC 9091, kept by RFC 9989 */
	DG_DMARC_TAG_PSD,		/* RFC 9989 */
	DG_DMARC_TAG_T,			/* RFC 9989 */
	DG_DMARC_TAG_ADKIM,
	DG_DMARC_TAG_ASPF,
	DG_DMARC_TAG_RUA,
	DG_DMARC_TAG_RUF,
	DG_DMARC_TAG_FO,
	DG_DMARC_TAG_PCT,		/* RFC 7489 only: removed */
	DG_DMARC_TAG_RF,		/* RFC 7489 only: removed */
	DG_DMARC_TAG_RI,		/* RFC 7489 only: removed */
	DG_DMARC_TAG_UNKNOWN,		/* any other name */
	DG_DMARC_TAG__COUNT
};

/* Domain Owner Assessment Policy (p, sp, np). */
enum dg_dmarc_policy {
	DG_DMARC_POLICY_UNSET = 0,	/* absent or invalid */
	DG_DMARC_POLICY_NONE,
	DG_DMARC_POLICY_QUARANTINE,
	DG_DMARC_POLICY_REJECT
};

/* Identifier alignment mode (adkim, aspf). */
enum dg_dmarc_align {
	DG_DMARC_ALIGN_UNSET = 0,
	DG_DMARC_ALIGN_RELAXED,		/* "r", the default */
	DG_DMARC_ALIGN_STRICT		/* "s" */
};

/* fo: failure reporting options, a set of these bits. */
#define DG_DMARC_FO_0	0x01u	/* all mechanisms fail to align-pass */
#define DG_DMARC_FO_1	0x02u	/* any mechanism fails to align-pass */
#define DG_DMARC_FO_D	0x04u	/* a DKIM signature failed */
#define DG_DMARC_FO_S	0x08u	/* SPF failed */

/* How severe a finding is for the publisher of the record. */
enum dg_dmarc_severity {
	DG_DMARC_SEV_UNSET = 0,
	DG_DMARC_SEV_INFO,		/* worth knowing, no effect */
	DG_DMARC_SEV_WARNING,		/* ignored or defaulted by receivers */
	DG_DMARC_SEV_ERROR		/* changes or defeats the policy */
};

/* What a finding is about. */
enum dg_dmarc_finding_code {
	DG_DMARC_F_UNSET = 0,
	DG_DMARC_F_NOT_DMARC,		/* first tag is not v=DMARC1 */
	DG_DMARC_F_TOO_LONG,		/* longer than a TXT RR can be */
	DG_DMARC_F_SYNTAX,		/* a tag-spec that does not parse:
					   ignored (RFC 9989 4.8) */
	DG_DMARC_F_EMPTY_TAG,		/* ";;": nothing between separators */
	DG_DMARC_F_UNKNOWN_TAG,		/* ignored (RFC 9989 4.7) */
	DG_DMARC_F_OBSOLETE_TAG,	/* pct, rf, ri (RFC 9989 C.5.2) */
	DG_DMARC_F_INVALID_VALUE,	/* default used instead (4.8) */
	DG_DMARC_F_DUPLICATE_TAG,	/* the first valid occurrence counts */
	DG_DMARC_F_MISSING_P,		/* no p tag */
	DG_DMARC_F_POLICY_FALLBACK,	/* p/sp/np missing or invalid and a
					   valid rua: acts as p=none (4.10.1) */
	DG_DMARC_F_NO_POLICY,		/* ... and no valid rua: no DMARC
					   processing at all (4.10.1) */
	DG_DMARC_F_BAD_URI,		/* a rua/ruf entry that is not a
					   valid DMARC URI: ignored */
	DG_DMARC_F_EMPTY_URI,		/* ",," or a trailing "," */
	DG_DMARC_F_UNSUPPORTED_SCHEME,	/* valid URI, not mailto: receivers
					   ignore it (4.7) */
	DG_DMARC_F_OBSOLETE_SIZE,	/* "!10m" size suffix (4.8) */
	DG_DMARC_F_TOO_MANY_URIS,	/* over DG_DMARC_MAX_URIS: dropped */
	DG_DMARC_F_FO_WITHOUT_RUF	/* fo is ignored without ruf (4.7) */
};

struct dg_dmarc_finding {
	enum dg_dmarc_finding_code	 code;
	enum dg_dmarc_severity		 severity;
	enum dg_dmarc_tag		 tag;	/* NONE for the whole record */
	size_t				 pos;	/* byte offset in the record */
	const char			*message;	/* short, lower case,
							   no final dot */
};

/* Overall verdict on a record. */
enum dg_dmarc_record_status {
	DG_DMARC_REC_UNSET = 0,		/* never returned */
	DG_DMARC_REC_VALID,		/* no findings above INFO */
	DG_DMARC_REC_WARNINGS,		/* usable; see findings */
	DG_DMARC_REC_INVALID		/* not usable: see invalid_reason */
};

/* Why a record is not usable (status INVALID). */
enum dg_dmarc_invalid {
	DG_DMARC_INV_NONE = 0,
	DG_DMARC_INV_NOT_DMARC,		/* does not start with v=DMARC1: not a
					   DMARC Policy Record at all */
	DG_DMARC_INV_NO_POLICY,		/* p missing/invalid or sp/np invalid,
					   and no valid rua (4.10.1) */
	DG_DMARC_INV_TOO_LONG		/* over DG_DMARC_RECORD_MAX */
};

/* One reporting URI of rua or ruf (section 2 below parses them). */
enum dg_dmarc_uri_status {
	DG_DMARC_URI_UNSET = 0,
	DG_DMARC_URI_OK,		/* a mailto: URI with a valid address */
	DG_DMARC_URI_UNSUPPORTED,	/* a valid URI of another scheme */
	DG_DMARC_URI_BAD		/* not a valid DMARC URI */
};

struct dg_dmarc_uri {
	enum dg_dmarc_uri_status	 status;
	const char			*text;	/* as written, trimmed, without
						   the !size suffix */
	const char			*scheme;	/* lower case; NULL
							   until the URI was
							   seen to have one */
	const char			*address;	/* mailto: the decoded
							   addr-spec, or NULL */
	/* destination host: the address's domain (mailto) or the
	 * authority's host; lower case, A-labels; NULL if none */
	const char			*host;
	bool				 has_size;	/* "!" suffix given */
	uint64_t			 size;		/* its value in bytes
							   (k = 2^10 ...),
							   saturated */
	/* offset in the record (or in the string given to the URI
	 * parser) */
	size_t				 pos;
	const char			*error;	/* why BAD or UNSUPPORTED */
};

/* An unknown tag, kept so an audit can name it. */
struct dg_dmarc_unknown {
	const char	*name;
	const char	*value;
	size_t		 pos;
};

/*
 * A parsed record.  Every pointer is borrowed from the arena given to
 * the parser.  For each policy the published value (UNSET if absent or
 * invalid) and the value in effect after the defaults and the RFC 9989
 * 4.10.1 rule are both kept.
 */
struct dg_dmarc_record {
	enum dg_dmarc_record_status	 status;
	enum dg_dmarc_invalid		 invalid_reason;
	bool				 is_dmarc;	/* starts v=DMARC1 */

	enum dg_dmarc_policy		 p, sp, np;	/* as published */
	enum dg_dmarc_policy		 p_eff, sp_eff, np_eff;	/* in effect;
							   UNSET if INVALID */
	bool				 policy_fallback;	/* 4.10.1: acts
							   as p=none */
	enum dg_dmarc_align		 adkim, aspf;	/* default relaxed */
	enum dg_dmarc_psd		 psd;		/* default u */
	bool				 t;		/* t=y; default n */
	unsigned			 fo;		/* DG_DMARC_FO_*;
							   default FO_0 */
	unsigned			 pct;		/* RFC 7489; default
							   100 */
	const char			*rf;		/* RFC 7489; default
							   "afrf" */
	uint32_t			 ri;		/* RFC 7489; default
							   86400 */

	/* Bit (1u << tag) set when the tag was given with a valid value
	 * (so its value is explicit, not defaulted). */
	uint32_t			 explicit_mask;
	/* The text and offset of the value used for each tag (the first
	 * valid occurrence, else the first one); NULL when absent. */
	const char			*raw[DG_DMARC_TAG__COUNT];
	size_t				 raw_pos[DG_DMARC_TAG__COUNT];

	const struct dg_dmarc_uri	*rua;
	size_t				 nrua;
	const struct dg_dmarc_uri	*ruf;
	size_t				 nruf;

	const struct dg_dmarc_unknown	*unknown;	/* in record order */
	size_t				 nunknown;

	const struct dg_dmarc_finding	*findings;	/* in record order */
	size_t				 nfindings;
	size_t				 findings_dropped;	/* past the
							   cap */
};

/* Flags for dg_dmarc_record_parse_ex(). */
#define DG_DMARC_PARSE_RFC7489	0x01	/* RFC 7489 receiver: pct, rf, ri and
					   "!size" are current, not obsolete;
					   psd and t are unknown tags */

/*
 * Parse the DMARC Policy Record p[0..len) (the TXT RR's strings already
 * joined) into *out.  A record that is broken, or not a DMARC record at
 * all, is a status with findings, not an error: the call returns DG_OK.
 * Returns DG_EINVAL for NULL arguments, DG_ENOMEM / DG_ETOOBIG when the
 * arena fails.  *out is written only on DG_OK.  Never reads past len;
 * NUL bytes are ordinary (invalid) bytes.
 */
DG_API DG_NODISCARD enum dg_err dg_dmarc_record_parse(struct dg_arena *a,
				    const char *p, size_t len,
				    struct dg_dmarc_record *out);
DG_API DG_NODISCARD enum dg_err dg_dmarc_record_parse_ex(struct dg_arena *a,
				    const char *p, size_t len, unsigned flags,
				    struct dg_dmarc_record *out);

/* Was tag given with a valid value (as opposed to defaulted)? */
DG_API bool		dg_dmarc_record_explicit(
			    const struct dg_dmarc_record *r,
			    enum dg_dmarc_tag tag);

DG_API const char	*dg_dmarc_tag_str(enum dg_dmarc_tag t);	/* "p" */
DG_API const char	*dg_dmarc_policy_str(enum dg_dmarc_policy p);
DG_API const char	*dg_dmarc_align_str(enum dg_dmarc_align a);
DG_API const char	*dg_dmarc_severity_str(enum dg_dmarc_severity s);
/* "unknown-tag", ... */
DG_API const char	*dg_dmarc_finding_code_str(
			    enum dg_dmarc_finding_code c);
DG_API const char	*dg_dmarc_record_status_str(
			    enum dg_dmarc_record_status s);
DG_API const char	*dg_dmarc_invalid_str(enum dg_dmarc_invalid r);
DG_API const char	*dg_dmarc_uri_status_str(enum dg_dmarc_uri_status s);

/* ---------------------------------------------------------------------
 * 2. Reporting URIs
 */

/*
 * Parse one DMARC URI p[0..len) (no list separators; surrounding WSP is
 * trimmed) into *out, allocated in a.  A bad URI is a status (BAD, with
 * error set), not an error.  Returns DG_OK, DG_EINVAL, DG_ENOMEM /
 * DG_ETOOBIG.
 */
DG_API DG_NODISCARD enum dg_err dg_dmarc_uri_parse(struct dg_arena *a,
				    const char *p, size_t len,
				    struct dg_dmarc_uri *out);

/* ---------------------------------------------------------------------
 * 3. External report destinations (RFC 9990 4, RFC 9991 5, RFC 7489 7.1)
 */

enum dg_dmarc_extauth_result {
	DG_DMARC_EXTAUTH_UNSET = 0,	/* never returned */
	DG_DMARC_EXTAUTH_NOT_NEEDED,	/* same Organizational Domain */
	DG_DMARC_EXTAUTH_AUTHORIZED,	/* a v=DMARC1 record was found */
	DG_DMARC_EXTAUTH_NOT_AUTHORIZED,	/* no such record, name too
					   long, or a foreign override */
	DG_DMARC_EXTAUTH_TEMPERROR	/* the lookup failed: try later */
};

/* Which report the destination is for: it picks rua or ruf from an
 * authorizing record for the override (RFC 9990 4 step 9). */
enum dg_dmarc_report_kind {
	DG_DMARC_REPORT_UNSET = 0,
	DG_DMARC_REPORT_AGGREGATE,	/* rua */
	DG_DMARC_REPORT_FAILURE		/* ruf */
};

/* Flags for dg_dmarc_extauth_check(). */
#define DG_DMARC_EXTAUTH_RFC7489	0x01	/* RFC 7489 7.1 step 5: several
						   TXT RRs authorize nothing */

struct dg_dmarc_extauth {
	enum dg_dmarc_extauth_result	 result;
	/* <policy>._report._dmarc.<dest>, or NULL if not asked */
	const char			*qname;
	enum dg_dns_status		 dns;	/* DG_DNS_UNSET if not asked */
	size_t				 ntxt;	/* TXT RRs in the answer */
	size_t				 ndmarc;	/* of which v=DMARC1 */
	/* Override (step 9): the authorizing record's rua (or ruf), all on
	 * the destination host.  NULL/0 when none. */
	const struct dg_dmarc_uri	*override;
	size_t				 noverride;
	const char			*detail;	/* why, in words */
};

/*
 * Is the report destination dest_host authorized to receive reports about
 * policy_domain (the domain whose record named it)?  policy_org and
 * dest_org are the Organizational Domains of the two, computed by the
 * caller: with the RFC 9989 tree walk (dg_dmarc_tree_walk) or, in RFC 7489
 * mode, the PSL (dg_psl_org_domain).  When they are equal (ignoring case
 * and a final dot) the answer is NOT_NEEDED and nothing is asked.
 * Otherwise <policy_domain>._report._dmarc.<dest_host> TXT is queried.
 * DNS failures are results (TEMPERROR), not errors.  Returns DG_OK,
 * DG_EINVAL for NULL or invalid names, DG_ENOMEM / DG_ETOOBIG.
 * Thread-safe when res is.
 */
DG_API DG_NODISCARD enum dg_err dg_dmarc_extauth_check(
				    struct dg_resolver *res,
				    struct dg_arena *a,
				    const char *policy_domain,
				    const char *policy_org,
				    const char *dest_host,
				    const char *dest_org,
				    enum dg_dmarc_report_kind kind,
				    unsigned flags,
				    struct dg_dmarc_extauth *out);

/*
 * The same, finding both Organizational Domains with the RFC 9989 tree
 * walk first.  A walk that ends in temperror gives TEMPERROR.
 */
DG_API DG_NODISCARD enum dg_err dg_dmarc_extauth_check_walk(
				    struct dg_resolver *res,
				    struct dg_arena *a,
				    const char *policy_domain,
				    const char *dest_host,
				    enum dg_dmarc_report_kind kind,
				    struct dg_dmarc_extauth *out);

DG_API const char	*dg_dmarc_extauth_result_str(
			    enum dg_dmarc_extauth_result r);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_DMARC_H */
