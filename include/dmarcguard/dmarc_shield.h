/*
 * include/dmarcguard/dmarc_shield.h -- the local "p=none shield".
 *
 * When the sender's published policy is weak (p=none, pct < 100, t=y, or
 * no DMARC record at all) and DMARC did not pass, the shield raises the
 * disposition to quarantine (or reject) when the message also shows a
 * spoofing signal: a Reply-To in another Organizational Domain, a Reply-To
 * at a free-mail provider while From is an organisation, or a From domain
 * that looks like one of the protected domains.  It never lowers a
 * disposition.  Off unless the configuration turns it on.
 *
 * A configuration is built once (in an arena the caller keeps), read-only
 * afterwards and safe to share between threads.
 * Design notes: docs/internals/dmarc.md; keys: docs/config.md.
 */
#ifndef DMARCGUARD_DMARC_SHIELD_H
#define DMARCGUARD_DMARC_SHIELD_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/msg.h>
#include <dmarcguard/dmarc_eval.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Signals, a set of these bits. */
#define DG_SHIELD_SIG_REPLY_TO_DIFFERS	0x01u	/* other org domain */
#define DG_SHIELD_SIG_REPLY_TO_FREEMAIL	0x02u	/* free-mail Reply-To */
#define DG_SHIELD_SIG_LOOKALIKE		0x04u	/* From looks like a
						   protected domain */

struct dg_shield_config {
	bool				 enabled;	/* default false */
	enum dg_dmarc_disposition	 action;	/* default quarantine */
	unsigned			 signals;	/* enabled signals;
							   default all */
	/* Free-mail domains, lower case, sorted (dg_shield_config_parse and
	 * dg_shield_freemail_load fill it). */
	const char *const		*freemail;
	size_t				 nfreemail;
	/* Protected domains for the look-alike check, lower case A-labels. */
	const char *const		*protected_domains;
	size_t				 nprotected;
	unsigned			 lookalike_distance;	/* default 1 */
	/* DMARC settings in the same file section. */
	enum dg_dmarc_mode		 mode;		/* dmarc.mode */
	enum dg_dmarc_disposition	 bad_from;	/* dmarc.bad_from */
	/* dmarc.trusted_arc_sealers: ARC sealers (d= of their seals) whose
	 * recorded verdict may override a DMARC failure (RFC 8617 7.2.1). */
	const char *const		*trusted_sealers;
	size_t				 ntrusted;
};

struct dg_shield_verdict {
	bool				 raised;	/* disposition raised */
	enum dg_dmarc_disposition	 disposition;	/* final */
	unsigned			 signals;	/* DG_SHIELD_SIG_* seen */
	bool				 weak;		/* policy was weak */
	/* "policy none published; quarantined by local policy: reply-to
	 * domain differs", or "" when nothing was raised. */
	char				 reason[2 * DG_DETAIL_MAX];
	/* What matched, for the signals seen ("" otherwise). */
	char				 reply_to_domain[256];
	char				 lookalike_of[256];
};

/* The defaults: off, quarantine, every signal, distance 1. */
DG_API void		dg_shield_config_init(struct dg_shield_config *c);

/*
 * Read the shield's and DMARC's keys from a configuration file's text
 * (key = value lines, '#' comments, blank lines).  Keys starting with
 * "shield." or "dmarc." are ours (docs/config.md); an unknown key with
 * those prefixes or a bad value is DG_ESYNTAX with "line N: ..." in err;
 * other keys belong to other sections and are skipped.
 * shield.freemail_file is read from disk (DG_EIO if it can't be).
 * Everything is allocated in a.  *c is written only on DG_OK.
 */
DG_API DG_NODISCARD enum dg_err dg_shield_config_parse(struct dg_arena *a,
				    const char *text, size_t len,
				    struct dg_shield_config *c,
				    char *err, size_t errlen);

/*
 * Load a free-mail list (one domain a line, '#' comments) from text into
 * c, replacing any list there.  DG_ESYNTAX for a line that is not a
 * domain.
 */
DG_API DG_NODISCARD enum dg_err dg_shield_freemail_load(struct dg_arena *a,
				    const char *text, size_t len,
				    struct dg_shield_config *c,
				    char *err, size_t errlen);

/* Is domain (or a parent of it) on c's free-mail list? */
DG_API bool		dg_shield_is_freemail(const struct dg_shield_config *c,
			    const char *domain);

/*
 * Is domain a look-alike of protected (and not protected itself or below
 * it)?  The rule (docs/internals/dmarc.md): the names left of the last
 * label are compared after a homoglyph skeleton (IDN confusables to ASCII,
 * 0->o 1->l rn->m vv->w, hyphens dropped) and by Damerau-Levenshtein
 * distance <= max_distance for names of 5 or more characters; a protected
 * domain used as the left part of another name also counts.
 */
DG_API bool		dg_shield_lookalike(const char *domain,
			    const char *protected_domain,
			    unsigned max_distance);

/*
 * Apply the shield to a DMARC verdict v for the message whose header is h
 * (for Reply-To).  With the shield off, or when nothing applies, *out says
 * so with the verdict's own disposition.  Returns DG_OK, DG_EINVAL,
 * DG_ENOMEM / DG_ETOOBIG (Reply-To parsing uses a).
 */
DG_API DG_NODISCARD enum dg_err dg_shield_apply(
				    const struct dg_shield_config *c,
				    struct dg_arena *a,
				    const struct dg_dmarc_verdict *v,
				    const struct dg_msg_hdr *h,
				    struct dg_shield_verdict *out);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_DMARC_SHIELD_H */
