/*
 * lib/util/taglist.h -- the one tag-list parser that DKIM, DMARC and ARC
 * share (RFC 6376 3.2).
 *
 *   tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *   tag-name  = ALPHA *ALNUMPUNC          ; ALNUMPUNC = ALPHA / DIGIT / "_"
 *   tag-value = [ tval *( 1*(WSP / FWS) tval ) ]
 *   tval      = 1*VALCHAR                 ; VALCHAR = %x21-3A / %x3C-7E
 *
 * The parser only splits: it returns (name, value) spans into the input,
 * with the FWS around names and values trimmed (FWS inside a value, as in
 * a folded b= or p=, is kept).  Meaning is the caller's business: each
 * protocol maps names to its own tag enum with dg_taglist_match() and
 * checks the values.
 */
#ifndef DG_UTIL_TAGLIST_H
#define DG_UTIL_TAGLIST_H

#include <stdbool.h>
#include <stddef.h>

#include <dmarcguard/common.h>

#include "util/str.h"

struct dg_tag {
	struct dg_span	name;	/* never empty */
	struct dg_span	value;	/* may be empty (len 0, p inside input) */
};

/* Why a tag-list was refused; the position says where. */
enum dg_taglist_reason {
	DG_TAGLIST_R_NONE = 0,
	DG_TAGLIST_R_EXPECTED_NAME,	/* no tag-name where one must start */
	DG_TAGLIST_R_BAD_NAME,		/* a byte not allowed in a tag-name */
	DG_TAGLIST_R_EXPECTED_EQUALS,	/* tag-name not followed by "=" */
	DG_TAGLIST_R_BAD_VALUE,		/* a byte not allowed in a tag-value */
	DG_TAGLIST_R_BAD_FOLD,		/* CR or LF not part of a fold */
	DG_TAGLIST_R_DUPLICATE,		/* a tag-name seen twice */
	DG_TAGLIST_R_TOO_MANY		/* more tags than the cap */
};

struct dg_taglist_error {
	enum dg_taglist_reason	reason;
	size_t			pos;	/* byte offset into the input */
};

/* Flags for dg_taglist_parse(). */
#define DG_TAGLIST_NOCASE	0x01	/* names compare case-insensitively
					   when looking for duplicates */
#define DG_TAGLIST_ALLOW_DUP	0x02	/* keep duplicates, don't refuse */

/*
 * Split p[0..len) into at most cap tags (cap is also held to
 * DG_TAGLIST_MAX) stored in tags[], in input order; *count gets how many.
 * Returns DG_OK; DG_ESYNTAX for a syntax error or a duplicate tag, and
 * DG_ETOOBIG for too many tags, both with *err filled; DG_EINVAL for NULL
 * arguments.  err may be NULL.  On failure *count and tags[] are
 * unspecified.  Allocates nothing.
 *
 * Tolerated on purpose: FWS after the final ";" (common in the wild), and
 * a bare LF instead of CRLF in a fold (milters hand over LF-only headers).
 */
DG_NODISCARD enum dg_err dg_taglist_parse(const char *p, size_t len,
	    unsigned flags, struct dg_tag *tags, size_t cap, size_t *count,
	    struct dg_taglist_error *err);

/* A name -> id table for dispatching tags through a protocol's enum. */
struct dg_tagdef {
	const char	*name;
	int		 id;
};

/*
 * The id of name in defs[0..n), or -1 when unknown.  nocase compares
 * ASCII case-insensitively (DMARC); DKIM and ARC names are case-sensitive.
 */
int	dg_taglist_match(const struct dg_tagdef *defs, size_t n,
	    struct dg_span name, bool nocase);

/* The first tag named name (exact bytes), or NULL. */
const struct dg_tag *dg_taglist_find(const struct dg_tag *tags, size_t count,
	    const char *name, bool nocase);

/* "duplicate tag", ... never NULL. */
const char	*dg_taglist_reason_str(enum dg_taglist_reason r);

#endif /* DG_UTIL_TAGLIST_H */
