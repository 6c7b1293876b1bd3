/*
 * lib/engine/audit_int.h -- what the files of the domain audit share:
 * one struct audit per domain, the finding/seen/publish appenders, and
 * one entry point per part (DMARC, SPF and MX, DKIM, the extras, fixes).
 *
 * Errors are sticky: an allocation failure sets au->err and later calls
 * do nothing, so each part reads straight through; dg_audit_domain()
 * checks au->err once at the end.
 */
#ifndef DG_ENGINE_AUDIT_INT_H
#define DG_ENGINE_AUDIT_INT_H

#include <dmarcguard/audit.h>
#include <dmarcguard/dmarc.h>
#include <dmarcguard/spf.h>

#include "util/limits.h"

struct audit {
	struct dg_resolver		*res;
	const struct dg_audit_opts	*opts;
	struct dg_arena			*a;
	struct dg_audit_result		*r;
	enum dg_err			 err;		/* sticky */

	struct dg_audit_finding		*f;
	size_t				 nf;
	struct dg_audit_seen		*seen;
	size_t				 nseen;
	struct dg_audit_publish		*pub;
	size_t				 npub;
	struct dg_audit_stage		*stages;
	size_t				 nstages;

	/* DMARC: the applied record parsed (NULL when none), and the
	 * policy in effect for the domain itself (p at the domain, sp when
	 * inherited from the Organizational Domain). */
	struct dg_dmarc_record		*dmarc;
	enum dg_dmarc_policy		 dmarc_policy;
	bool				 dmarc_multiple;
	bool				 dmarc_temperror;

	/* SPF: the analysis, and the texts of every v=spf1 record at the
	 * domain (several when there are duplicates). */
	struct dg_spf_analysis		*spf;
	const char			*spf_texts[4];
	size_t				 nspf;
	bool				 spf_temperror;
	bool				 nxdomain;	/* the MX query: no such name */
};

/* Append a finding of code c (its table severity, or sev when higher). */
void		audit_add(struct audit *au, enum dg_audit_code c,
		    enum dg_audit_severity sev, const char *fix,
		    const char *fmt, ...) DG_PRINTF(5, 6);
/* Append a record seen. */
void		audit_seen(struct audit *au, const char *what,
		    const char *name, enum dg_dns_type type,
		    enum dg_dns_status status, const char *text);
/* Append a record to publish. */
void		audit_publish(struct audit *au, const char *what,
		    const char *name, enum dg_dns_type type, const char *text,
		    const char *why);
/* An arena string; "" (and au->err set) when out of memory. */
const char	*audit_printf(struct audit *au, const char *fmt, ...)
		    DG_PRINTF(2, 3);
/* Query name/type into *ans; false (au->err set) on a hard error. */
bool		audit_query(struct audit *au, const char *name,
		    enum dg_dns_type type, struct dg_dns_answer *ans);
/* Several questions at once (n <= DG_DNS_MANY_MAX), answers in ans[]. */
bool		audit_query_many(struct audit *au,
		    const struct dg_dns_question *qs, size_t n,
		    struct dg_dns_answer *ans);
/* The TXT RRs of ans that start with prefix (ASCII case-insensitive,
 * followed by ';', WSP or the end), joined, into out[0..cap); returns how
 * many there were (out holds the first cap). */
size_t		audit_txt_matching(struct audit *au,
		    const struct dg_dns_answer *ans, const char *prefix,
		    const char **out, size_t cap);
bool		audit_has(const struct audit *au, enum dg_audit_code c);

/* The parts, in the order dg_audit_domain() runs them. */
void		audit_mx(struct audit *au);
void		audit_dmarc(struct audit *au);
void		audit_spf(struct audit *au);
void		audit_parked(struct audit *au);
void		audit_dkim(struct audit *au);
void		audit_extra(struct audit *au);
void		audit_fixes(struct audit *au);

/* "none" < "quarantine" < "reject"; UNSET (no policy) is weakest. */
int		audit_policy_rank(enum dg_dmarc_policy p);

#endif /* DG_ENGINE_AUDIT_INT_H */
