/*
 * lib/dmarc/dmarc_int.h -- what the DMARC module's files share: the list
 * of findings a record parse collects, and the rua/ruf list parser.
 */
#ifndef DG_DMARC_INT_H
#define DG_DMARC_INT_H

#include <stddef.h>

#include <dmarcguard/dmarc.h>

/* Findings collected while parsing one record, in the parse's arena. */
struct dg_dmarc_fsink {
	struct dg_arena		*a;
	struct dg_dmarc_finding	*v;		/* DG_DMARC_MAX_FINDINGS */
	size_t			 n;
	size_t			 dropped;	/* past the cap */
	unsigned		 flags;		/* DG_DMARC_PARSE_* */
};

/*
 * Append a finding whose message is printf(fmt, ...).  Past
 * DG_DMARC_MAX_FINDINGS only the dropped count grows.  DG_OK, or
 * DG_ENOMEM / DG_ETOOBIG from the arena.
 */
enum dg_err	dg_dmarc_finding_add(struct dg_dmarc_fsink *fs,
		    enum dg_dmarc_finding_code code,
		    enum dg_dmarc_severity sev, enum dg_dmarc_tag tag,
		    size_t pos, const char *fmt, ...)
		    __attribute__((format(printf, 6, 7)));

/*
 * Parse the rua or ruf value p[0..len), which starts at offset base of
 * the record: a comma-separated list of DMARC URIs (RFC 9989 4.8
 * dmarc-urilist).  Stores at most DG_DMARC_MAX_URIS entries (empty items
 * are not stored) in *out / *n and adds a finding for every defect.
 * *nvalid counts the syntactically valid URIs (OK or UNSUPPORTED), which
 * RFC 9989 4.10.1 asks about.  DG_OK, DG_ENOMEM / DG_ETOOBIG.
 */
enum dg_err	dg_dmarc_urilist_parse(struct dg_dmarc_fsink *fs,
		    enum dg_dmarc_tag tag, const char *p, size_t len,
		    size_t base, const struct dg_dmarc_uri **out, size_t *n,
		    size_t *nvalid);

#endif /* DG_DMARC_INT_H */
