/*
 * include/dmarcguard/ar.h -- Authentication-Results (RFC 8601) and
 * ARC-Authentication-Results (RFC 8617 4.1.1): a generator that can't be
 * made to emit text the message chose (every value from the message is a
 * checked token or an escaped quoted-string), and a bounded parser.
 *
 * Format written and read: docs/authentication-results.md.
 */
#ifndef DMARCGUARD_AR_H
#define DMARCGUARD_AR_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/spf.h>
#include <dmarcguard/dkim.h>
#include <dmarcguard/dmarc_eval.h>
#include <dmarcguard/dmarc_shield.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * Generator
 */

struct dg_ar_spf {
	enum dg_spf_result	 result;	/* UNSET: no spf entry */
	const char		*mail_from;	/* address or domain; "" or
						   NULL for the null path */
	const char		*helo;		/* smtp.helo, or NULL */
	const char		*comment;	/* or NULL */
};

struct dg_ar_gen {
	const char			*authserv_id;	/* required: a domain */
	struct dg_ar_spf		 spf;
	const struct dg_dkim_sig_result	*dkim;		/* NULL/0: dkim=none
							   when dkim_none */
	size_t				 ndkim;
	bool				 dkim_none;	/* write dkim=none
							   when ndkim == 0 */
	/* ARC (RFC 8617): "pass" "fail" "none", or NULL for no entry. */
	const char			*arc;
	const char			*arc_comment;
	const struct dg_dmarc_verdict	*dmarc;		/* or NULL */
	const struct dg_shield_verdict	*shield;	/* or NULL */
	bool				 lf;		/* fold with "\n\t"
							   (milter) instead
							   of "\r\n\t" */
};

/*
 * Write the field value (without "Authentication-Results:"), one result
 * per folded line, into *out (NUL-terminated, in a).  Values taken from
 * the message (MAIL FROM, HELO, d=, s=, b=, the From domain) are written
 * as an RFC 2045 token when they are one, else as a quoted-string with
 * '"' and '\' escaped and control characters and non-ASCII bytes replaced
 * by '?'; comments get '(' ')' '\' escaped and ';' replaced.  Returns
 * DG_OK, DG_EINVAL (NULL argument or an authserv-id that is not a
 * domain), DG_ENOMEM / DG_ETOOBIG.
 */
DG_API DG_NODISCARD enum dg_err dg_ar_generate(struct dg_arena *a,
				    const struct dg_ar_gen *g,
				    const char **out);

/* ---------------------------------------------------------------------
 * Parser
 */

struct dg_ar_prop {
	const char	*ptype;		/* lower case: "smtp", "header" */
	const char	*property;	/* lower case: "mailfrom", "d" */
	const char	*value;		/* unquoted, unescaped */
};

struct dg_ar_result {
	const char		*method;	/* lower case: "spf", "x-foo" */
	unsigned		 method_version;	/* 0 when absent */
	const char		*result;	/* lower case: "pass" */
	const char		*reason;	/* unquoted, or NULL */
	const char		*comment;	/* first comment in the
						   resinfo, or NULL */
	const struct dg_ar_prop	*props;
	size_t			 nprops;
};

struct dg_ar {
	unsigned			 instance;	/* ARC i=, else 0 */
	const char			*authserv_id;	/* unquoted */
	unsigned			 version;	/* 1 when absent */
	bool				 none;		/* "; none" */
	const struct dg_ar_result	*results;	/* in order */
	size_t				 nresults;
};

/* Flags for dg_ar_parse(). */
#define DG_AR_PARSE_ARC		0x01	/* ARC-Authentication-Results:
					   "i=N;" first (RFC 8617 4.1.1) */

/*
 * Parse an unfolded field value (what follows the colon).  Comments are
 * allowed wherever CFWS is; quoted-strings are unescaped; unknown methods
 * and results are kept.  Bounded by DG_AR_MAX_RESULTS, DG_AR_MAX_PROPS,
 * DG_ADDR_COMMENT_DEPTH and DG_HDR_FIELD_MAX.  Returns DG_OK, DG_EINVAL,
 * DG_ESYNTAX (with *err: offset and rule), DG_ETOOBIG, DG_ENOMEM.  Never
 * reads past len; a NUL byte is a syntax error.  err may be NULL.
 */
DG_API DG_NODISCARD enum dg_err dg_ar_parse(struct dg_arena *a,
				    const char *p, size_t len, unsigned flags,
				    struct dg_ar *out,
				    struct dg_msg_error *err);

/* The first result of method (case-insensitive), or NULL. */
DG_API const struct dg_ar_result *dg_ar_find(const struct dg_ar *ar,
				    const char *method);
/* The value of ptype.property in r, or NULL. */
DG_API const char	*dg_ar_prop_get(const struct dg_ar_result *r,
			    const char *ptype, const char *property);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_AR_H */
