/*
 * lib/arc/arc_int.h -- what the sealer borrows from the validator.
 */
#ifndef DG_ARC_INT_H
#define DG_ARC_INT_H

#include <dmarcguard/arc.h>

#include "dkim/dkim_int.h"

/* The kinds of field in an ARC set, in the order a seal hashes them. */
enum { DG_ARC_AAR = 0, DG_ARC_AMS, DG_ARC_AS };

/*
 * Validate msg[0..len) and keep the verifier (*vout, to free with
 * dg_arc_verifier_free) for the accessors below, and where the body
 * starts in *body_off (may be NULL).  DG_ESYNTAX when the
 * header does not parse.
 */
enum dg_err	dg_arc_run(struct dg_arena *a, struct dg_resolver *res,
		    struct dg_dkim_keycache *kc, const char *msg, size_t len,
		    struct dg_arc_verifier **vout, size_t *body_off,
		    struct dg_arc_verdict *out);

/* After dg_arc_finish(): every header field fed, in order. */
const struct dg_dkim_field *dg_arc_fields(const struct dg_arc_verifier *v,
	    size_t *n);
/* The field of kind (DG_ARC_*) of instance i, or NULL. */
const struct dg_dkim_field *dg_arc_set_field(const struct dg_arc_verifier *v,
	    unsigned i, int kind);

#endif /* DG_ARC_INT_H */
