/*
 * include/dmarcguard/spf.h -- Sender Policy Framework, RFC 7208.
 *
 * dg_spf_check() runs check_host() (RFC 7208 4) for one MAIL FROM or HELO
 * identity and fills a verdict: the result, the reason that decided it,
 * the matched term, the exp= explanation on fail, the lookup budget used
 * and a bounded trace of every DNS lookup made.  Broken records and DNS
 * failures are verdicts (permerror, temperror), never errors.
 *
 * dg_spf_record_validate() parses a record without evaluating it, and
 * dg_spf_analyze() walks a domain's record and its include/redirect tree
 * to count the worst-case DNS lookups and list risky terms.
 *
 * Nothing here keeps state between calls; every function is thread-safe
 * when the resolver is.
 */
#ifndef DMARCGUARD_SPF_H
#define DMARCGUARD_SPF_H

#include <dmarcguard/common.h>	/* DG_API, enum dg_err */
#include <dmarcguard/dns.h>	/* struct dg_resolver */
#include <dmarcguard/ip.h>	/* struct dg_ip */

#ifdef __cplusplus
extern "C" {
#endif

enum dg_spf_result {
	DG_SPF_UNSET = 0,	/* never returned */
	DG_SPF_NONE, DG_SPF_NEUTRAL, DG_SPF_PASS, DG_SPF_FAIL,
	DG_SPF_SOFTFAIL, DG_SPF_TEMPERROR, DG_SPF_PERMERROR
};

/* What decided the result. */
enum dg_spf_reason {
	DG_SPF_R_UNSET = 0,	/* never returned */
	DG_SPF_R_MECHANISM,	/* a mechanism matched (see mechanism) */
	DG_SPF_R_DEFAULT,	/* no match, no redirect: neutral (4.7) */
	DG_SPF_R_NO_RECORD,	/* no v=spf1 record: none (4.5) */
	DG_SPF_R_NO_DOMAIN,	/* NXDOMAIN for the record: none (4.3) */
	DG_SPF_R_BAD_DOMAIN,	/* identity's domain malformed: none (4.3) */
	DG_SPF_R_MULTIPLE,	/* more than one v=spf1 record (4.5) */
	DG_SPF_R_SYNTAX,	/* record syntax error (4.6) */
	DG_SPF_R_MACRO,		/* macro syntax or expansion error (7) */
	DG_SPF_R_DNS_LIMIT,	/* 11th DNS-querying term (4.6.4) */
	DG_SPF_R_VOID_LIMIT,	/* 3rd void lookup (4.6.4) */
	DG_SPF_R_MX_LIMIT,	/* more than 10 MX names (4.6.4) */
	DG_SPF_R_DEPTH,		/* include/redirect nesting cap */
	DG_SPF_R_INCLUDE_NONE,	/* include target has no record (5.2) */
	DG_SPF_R_REDIRECT_NONE,	/* redirect target has no record (6.1) */
	DG_SPF_R_BAD_TARGET,	/* expanded target name invalid */
	DG_SPF_R_DNS_ERROR	/* SERVFAIL, timeout, bad answer: temperror */
};

/* Which identity was checked (RFC 7208 2.3, 2.4). */
enum dg_spf_scope {
	DG_SPF_SCOPE_UNSET = 0,	/* never returned */
	DG_SPF_SCOPE_MFROM,	/* MAIL FROM, or postmaster@HELO when null */
	DG_SPF_SCOPE_HELO	/* the HELO/EHLO identity itself */
};

/* Sizes of the fixed text in a verdict; longer text is truncated. */
#define DG_SPF_DOMAIN_MAX	256	/* 253 octets + NUL, rounded */
#define DG_SPF_EXPLANATION_MAX	512	/* = DG_SPF_EXP_MAX in limits.h */
#define DG_SPF_TRACE_LEN	64	/* = DG_SPF_TRACE_MAX in limits.h */
#define DG_SPF_RECORD_TEXT_MAX	512	/* record text in an analysis */

struct dg_spf_query {
	struct dg_ip	 client;	/* connecting address; v4-mapped
					 * IPv6 is treated as IPv4 */
	const char	*mail_from;	/* "" or NULL: null reverse-path */
	const char	*helo;		/* HELO/EHLO name; may be NULL */
	bool		 check_helo;	/* check the HELO identity (2.3)
					 * instead of MAIL FROM */
	const char	*domain;	/* NULL: from the identity; else
					 * check_host() starts here */
	const char	*receiver;	/* %{r}; NULL: "unknown" */
	int64_t		 now;		/* %{t}: seconds since the epoch */
};

/* One DNS lookup made during evaluation, in order. */
struct dg_spf_lookup {
	char			name[DG_SPF_DOMAIN_MAX];
	enum dg_dns_type	type;
	enum dg_dns_status	status;
	unsigned		count;		/* records of the type */
	unsigned		depth;		/* include/redirect level */
};

struct dg_spf_verdict {
	enum dg_spf_result	result;
	enum dg_spf_reason	reason;
	enum dg_spf_scope	scope;
	char			domain[DG_SPF_DOMAIN_MAX];	/* checked */
	/* The matched term of the top record (or its redirect target), or
	 * "" when no mechanism matched. */
	char			mechanism[DG_DETAIL_MAX];
	/* The expanded exp= text (6.2), on fail only; else "". */
	char			explanation[DG_SPF_EXPLANATION_MAX];
	char			detail[DG_DETAIL_MAX];	/* cause, for people */
	unsigned		dns_queries;	/* 4.6.4 terms used (of 10) */
	unsigned		void_lookups;	/* 4.6.4 (of 2) */
	unsigned		lookups;	/* DNS queries made in all */
	/* The first DG_SPF_TRACE_LEN lookups; lookups > trace_len means
	 * the trace was cut.  Entries past trace_len are not written. */
	size_t			trace_len;
	struct dg_spf_lookup	trace[DG_SPF_TRACE_LEN];
};

/*
 * Run check_host() for q and fill *out.  The identity is q->mail_from, or
 * postmaster@q->helo when it is null (RFC 7208 2.4), or q->helo when
 * q->check_helo.  DNS failures and broken records are verdicts
 * (temperror, permerror), not errors.  Returns DG_OK; DG_ENOMEM;
 * DG_ETOOBIG when the call's arena ceiling (DG_ARENA_DEFAULT_MAX) is hit;
 * DG_EINVAL for NULL arguments or an unset client address.  *out is
 * written only on DG_OK.  The verdict is large (about 18 KiB).
 * Thread-safe when res is.
 */
DG_API DG_NODISCARD enum dg_err	dg_spf_check(struct dg_resolver *res,
				    const struct dg_spf_query *q,
				    struct dg_spf_verdict *out);
/*
 * dg_spf_check() for n queries, out[i] for q[i], with the same verdicts;
 * faster, as the queries share parsed records and memory.  Stops at the
 * first error, which it returns; the verdicts before it are filled, the
 * one that failed is undefined.
 */
DG_API DG_NODISCARD enum dg_err	dg_spf_check_many(struct dg_resolver *res,
				    const struct dg_spf_query *q, size_t n,
				    struct dg_spf_verdict *out);

/* Where a record fails to parse. */
struct dg_spf_syntax {
	bool		ok;
	size_t		pos;		/* byte offset of the bad term */
	size_t		terms;		/* terms after the version */
	char		message[DG_DETAIL_MAX];
};

/*
 * Parse the record p[0..len) (with its "v=spf1") against RFC 7208 4.6.1
 * and 12, macros included, without any DNS.  Fills *out either way.
 * Returns DG_OK, or DG_ENOMEM.
 */
DG_API DG_NODISCARD enum dg_err	dg_spf_record_validate(const char *p,
				    size_t len, struct dg_spf_syntax *out);

/* Findings of dg_spf_analyze(), one per term or domain. */
enum dg_spf_issue_code {
	DG_SPF_I_UNSET = 0,	/* never returned */
	DG_SPF_I_NO_RECORD,	/* the domain has no SPF record */
	DG_SPF_I_MULTIPLE,	/* several v=spf1 records */
	DG_SPF_I_SYNTAX,	/* record does not parse (pos, message) */
	DG_SPF_I_DNS_ERROR,	/* a lookup failed (temperror) */
	DG_SPF_I_TOO_MANY_LOOKUPS, /* worst case over 10 (4.6.4) */
	DG_SPF_I_VOID_LOOKUP,	/* a/mx/exists target does not exist */
	DG_SPF_I_TOO_MANY_VOIDS, /* over 2 void lookups (4.6.4) */
	DG_SPF_I_PASS_ALL,	/* "+all": anyone passes */
	DG_SPF_I_NEUTRAL_ALL,	/* "?all": no protection */
	DG_SPF_I_SOFTFAIL_ALL,	/* "~all": softfail only */
	DG_SPF_I_NO_ALL,	/* no all, no redirect: neutral default */
	DG_SPF_I_PTR,		/* "ptr" is deprecated (5.5) */
	DG_SPF_I_INCLUDE_NONE,	/* include of a name with no record */
	DG_SPF_I_REDIRECT_NONE,	/* redirect to a name with no record */
	DG_SPF_I_LOOP,		/* include/redirect returns to itself */
	DG_SPF_I_MACRO,		/* target has macros: not followed */
	DG_SPF_I_TOO_DEEP,	/* nesting over DG_SPF_MAX_DEPTH */
	DG_SPF_I_MX_LIMIT	/* mx with more than 10 names (4.6.4) */
};

#define DG_SPF_ISSUES_MAX	64

struct dg_spf_issue {
	enum dg_spf_issue_code	code;
	char			domain[DG_SPF_DOMAIN_MAX]; /* whose record */
	/* The term concerned, the parser's message for DG_SPF_I_SYNTAX,
	 * or "". */
	char			term[DG_DETAIL_MAX];
	size_t			pos;		/* in that record */
	unsigned		depth;		/* 0: the domain asked */
};

struct dg_spf_analysis {
	enum dg_spf_result	result;	/* none (no record), permerror
					 * (syntax, multiple, limits),
					 * temperror, or neutral: usable */
	char			record[DG_SPF_RECORD_TEXT_MAX];	/* top one */
	unsigned		dns_lookups;	/* worst case, recursive */
	unsigned		void_lookups;	/* seen while walking */
	unsigned		includes;	/* records followed */
	size_t			issues_len;
	size_t			issues_dropped;	/* past DG_SPF_ISSUES_MAX */
	struct dg_spf_issue	issues[DG_SPF_ISSUES_MAX];
	size_t			trace_len;	/* as in the verdict */
	unsigned		lookups;
	struct dg_spf_lookup	trace[DG_SPF_TRACE_LEN];
};

/*
 * Fetch domain's SPF record and every record its include: and redirect=
 * terms reach (without macros), counting the DNS-querying terms an
 * evaluation could use at worst and listing findings.  a, mx and exists
 * targets are looked up to find void lookups.  Returns DG_OK, DG_ENOMEM,
 * DG_ETOOBIG or DG_EINVAL; *out (about 45 KiB) is written only on DG_OK.
 * Thread-safe when res is.
 */
DG_API DG_NODISCARD enum dg_err	dg_spf_analyze(struct dg_resolver *res,
				    const char *domain,
				    struct dg_spf_analysis *out);

DG_API const char	*dg_spf_result_str(enum dg_spf_result r);
/* "pass" -> DG_SPF_PASS, case-insensitive; false when unknown. */
DG_API bool		 dg_spf_result_parse(const char *s,
			    enum dg_spf_result *out);
DG_API const char	*dg_spf_reason_str(enum dg_spf_reason r);
DG_API const char	*dg_spf_scope_str(enum dg_spf_scope s);
DG_API const char	*dg_spf_issue_str(enum dg_spf_issue_code c);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_SPF_H */
