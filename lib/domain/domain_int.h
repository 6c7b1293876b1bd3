/*
 * lib/domain/domain_int.h -- what the domain module's files share.
 */
#ifndef DG_DOMAIN_INT_H
#define DG_DOMAIN_INT_H

#include <stddef.h>

#include <dmarcguard/orgdomain.h>

/* Text form of a normalised name: at most 253 octets plus the NUL. */
#define DG_DOMAIN_BUF	256

/*
 * Is s[0..len) all ASCII?  Names that are go straight through; the others
 * go through libidn2.
 */
bool	dg_domain_is_ascii(const char *s, size_t len);

/*
 * A-labels to U-labels (libidn2) into out[0..cap).  ASCII labels stay as
 * they are.  DG_EINVAL if a label is not valid punycode, DG_ETOOBIG if cap
 * is too small.  Implemented in orgdomain.c, the one file of the module
 * that includes <idn2.h>.
 */
enum dg_err	dg_domain_to_unicode(const char *alabels, char *out,
		    size_t cap);

/* The number of labels in a normalised, non-empty name. */
size_t	dg_domain_label_count(const char *name);

/* The suffix of name made of its last n labels (n >= 1, n <= count). */
const char *dg_domain_last_labels(const char *name, size_t n);

#endif /* DG_DOMAIN_INT_H */
