/*
 * include/dmarcguard/dmarc_eval.h -- the receiver's DMARC verdict: RFC 9989
 * (DNS Tree Walk, np, psd, t) by default, RFC 7489 (Public Suffix List,
 * pct) in compatibility mode.
 *
 * Input: the From result of dg_msg_from_extract(), the SPF result for the
 * MAIL FROM identity and the DKIM per-signature results.  Output: the DMARC
 * result (pass fail none temperror permerror), the policy that applies and
 * the disposition it asks for.  The local "p=none shield" that may raise
 * the disposition is in dmarc_shield.h.
 *
 * Design notes: docs/internals/dmarc.md.
 */
#ifndef DMARCGUARD_DMARC_EVAL_H
#define DMARCGUARD_DMARC_EVAL_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/orgdomain.h>
#include <dmarcguard/dmarc.h>
#include <dmarcguard/msg.h>
#include <dmarcguard/spf.h>
#include <dmarcguard/dkim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 8601 2.7.1 / RFC 9989 result words. */
enum dg_dmarc_result {
	DG_DMARC_RESULT_UNSET = 0,	/* never returned */
	DG_DMARC_RESULT_NONE,		/* no policy record: DMARC not applied */
	DG_DMARC_RESULT_PASS,		/* an aligned identifier passed */
	DG_DMARC_RESULT_FAIL,		/* none did */
	DG_DMARC_RESULT_TEMPERROR,	/* a DNS failure kept us from a verdict */
	DG_DMARC_RESULT_PERMERROR	/* the From field can't be evaluated */
};

/* What to do with the message (aggregate-report "disposition"). */
enum dg_dmarc_disposition {
	DG_DMARC_DISP_UNSET = 0,	/* never returned */
	DG_DMARC_DISP_NONE,
	DG_DMARC_DISP_QUARANTINE,
	DG_DMARC_DISP_REJECT
};

enum dg_dmarc_mode {
	DG_DMARC_MODE_RFC9989 = 0,	/* default: tree walk, np, psd, t */
	DG_DMARC_MODE_RFC7489		/* PSL, pct; np, psd, t unknown */
};

/* Which tag the applied policy came from. */
enum dg_dmarc_policy_tag {
	DG_DMARC_PTAG_UNSET = 0,	/* no policy (result none/permerror) */
	DG_DMARC_PTAG_P,
	DG_DMARC_PTAG_SP,
	DG_DMARC_PTAG_NP
};

/* Reason strings kept per result; more are counted in reasons_dropped. */
#define DG_DMARC_REASONS_MAX	8

struct dg_dmarc_eval_input {
	const struct dg_msg_from	*from;	/* dg_msg_from_extract() */
	/* SPF result for the MAIL FROM identity (RFC 7208 2.4: for a null
	 * reverse-path that identity is postmaster@HELO). */
	enum dg_spf_result		 spf;
	/* MAIL FROM address or domain; "" or NULL for the null path. */
	const char			*mail_from;
	/* HELO/EHLO name: used only when mail_from is null (RFC 9989 3.1.2
	 * relies on MAIL FROM alone; RFC 7208 2.4 makes the HELO domain
	 * the MAIL FROM identity's domain then). */
	const char			*helo;
	const struct dg_dkim_sig_result	*dkim;	/* every evaluated signature */
	size_t				 ndkim;
};

struct dg_dmarc_eval_opts {
	enum dg_dmarc_mode		 mode;
	const struct dg_psl		*psl;	/* required in RFC 7489 mode */
	/* RFC 7489 6.6.4 pct sampling: a message is sampled when
	 * hash(seed, From domain) mod 100 < pct, so one seed (for example
	 * a hash of the Message-ID) always gives the same answer. */
	uint64_t			 seed;
	/* Disposition for a From that can't be evaluated (none, several
	 * fields, unparseable, unusable domain); UNSET means reject. */
	enum dg_dmarc_disposition	 bad_from;
};

/* One evaluated From domain (several when one From has several
 * mailboxes).  Strings are borrowed from the arena. */
struct dg_dmarc_domain_result {
	const char			*domain;	/* A-labels, lower case */
	enum dg_dmarc_result		 result;
	enum dg_dmarc_disposition	 disposition;
	enum dg_dmarc_policy		 policy;
};

/*
 * The verdict.  Strings are borrowed from the arena given to
 * dg_dmarc_evaluate().  With several From domains the top-level fields
 * are those of the domain that asked for the strictest disposition.
 */
struct dg_dmarc_verdict {
	enum dg_dmarc_result		 result;
	enum dg_dmarc_mode		 mode;
	const char			*from_domain;	/* NULL if none */
	const char			*org_domain;	/* of from_domain */
	const char			*policy_domain;	/* record owner */
	const char			*record;	/* its text, or NULL */
	/* The policy that applies (p, sp or np after the defaults and RFC
	 * 9989 4.10.1), and the tag it came from. */
	enum dg_dmarc_policy		 policy;
	enum dg_dmarc_policy_tag	 policy_tag;
	/* What the published policy asks for this message: none unless the
	 * result is fail (or permerror, see bad_from), lowered one level
	 * by t=y (RFC 9989) or a pct miss (RFC 7489). */
	enum dg_dmarc_disposition	 disposition;
	enum dg_dmarc_align		 adkim, aspf;
	bool				 spf_aligned;	/* aligned and pass */
	bool				 dkim_aligned;	/* some sig aligned+pass */
	const char			*spf_domain;	/* the SPF identifier */
	const char			*dkim_domain;	/* d= of the aligned
							   passing sig */
	const char			*dkim_selector;
	bool				 testing;	/* t=y (RFC 9989) */
	unsigned			 pct;		/* 100 unless RFC 7489
							   pct < 100 */
	bool				 sampled;	/* pct: policy applied */
	bool				 nonexistent;	/* np case (RFC 9989) */
	/* Every From domain evaluated (one unless several mailboxes). */
	const struct dg_dmarc_domain_result *domains;
	size_t				 ndomains;
	size_t				 nreasons;
	size_t				 reasons_dropped;
	char				 reasons[DG_DMARC_REASONS_MAX]
					     [DG_DETAIL_MAX];
};

/*
 * Evaluate DMARC for one message.  DNS failures are results (temperror),
 * not errors; so is a From that can't be evaluated (permerror, with the
 * bad_from disposition).  Returns DG_OK; DG_EINVAL for NULL arguments or
 * RFC 7489 mode without a PSL; DG_ENOMEM / DG_ETOOBIG from the arena.
 * *out is written only on DG_OK.  opts may be NULL (RFC 9989, reject on a
 * bad From).  Thread-safe when res is; a is not shared.
 */
DG_API DG_NODISCARD enum dg_err dg_dmarc_evaluate(struct dg_resolver *res,
				    struct dg_arena *a,
				    const struct dg_dmarc_eval_input *in,
				    const struct dg_dmarc_eval_opts *opts,
				    struct dg_dmarc_verdict *out);

/*
 * Identifier alignment of two domains (any case, optional final dot) whose
 * Organizational Domains are given (NULL org: compare the domains only).
 * Strict: the domains are equal.  Relaxed: the org domains are equal.
 */
DG_API bool		dg_dmarc_aligned(const char *a, const char *a_org,
			    const char *b, const char *b_org,
			    enum dg_dmarc_align mode);

/* Lower a disposition by one level (t=y, pct miss): reject -> quarantine
 * -> none. */
DG_API enum dg_dmarc_disposition dg_dmarc_disposition_lower(
			    enum dg_dmarc_disposition d);
/* The disposition a policy asks for. */
DG_API enum dg_dmarc_disposition dg_dmarc_disposition_of(
			    enum dg_dmarc_policy p);

DG_API const char	*dg_dmarc_result_str(enum dg_dmarc_result r);
DG_API const char	*dg_dmarc_disposition_str(enum dg_dmarc_disposition d);
DG_API const char	*dg_dmarc_mode_str(enum dg_dmarc_mode m);
DG_API const char	*dg_dmarc_policy_tag_str(enum dg_dmarc_policy_tag t);
/* "reject" -> DG_DMARC_DISP_REJECT; false when unknown. */
DG_API bool		dg_dmarc_disposition_parse(const char *s,
			    enum dg_dmarc_disposition *out);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_DMARC_EVAL_H */
