/*
 * lib/util/idn.h -- IDNA conversions (RFC 5890-5894 with UTS #46
 * non-transitional mapping), the one place that talks to libidn2.
 */
#ifndef DG_UTIL_IDN_H
#define DG_UTIL_IDN_H

#include <stddef.h>

/* Big enough for any name we accept: 253 octets of A-labels, or the
 * longer UTF-8 form of one. */
#define DG_IDN_BUF	1024

enum dg_idn_status {
	DG_IDN_OK = 0,
	DG_IDN_INVALID,		/* not a valid IDN (bad code points, ...) */
	DG_IDN_DOMAIN_TOO_LONG,	/* A-label form over 253 octets */
	DG_IDN_LABEL_TOO_LONG,	/* an A-label over 63 octets */
	DG_IDN_NO_ROOM		/* out[] too small */
};

/* UTF-8 name to lower-case A-labels in out[0..cap) (NUL-terminated). */
enum dg_idn_status	dg_idn_to_ascii(const char *utf8, char *out,
			    size_t cap);
/* A-labels to U-labels; fails (INVALID) on an A-label that does not
 * decode (RFC 5891 5.4). */
enum dg_idn_status	dg_idn_to_unicode(const char *ascii, char *out,
			    size_t cap);

#endif /* DG_UTIL_IDN_H */
