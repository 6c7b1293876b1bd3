/*
 * include/dmarcguard/idn.h -- internationalised domain names.
 */
#ifndef DMARCGUARD_IDN_H
#define DMARCGUARD_IDN_H

#include <dmarcguard/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Convert a DNS name given by a person (UTF-8) to the form queried:
 * every label with non-ASCII bytes becomes an A-label (IDNA2008 with
 * UTS #46 non-transitional mapping); ASCII labels are kept byte for byte
 * (so "_dmarc" and "_domainkey" survive).  A final dot is kept.  Returns
 * DG_OK; DG_ESYNTAX when a label is not a valid IDN; DG_ETOOBIG when the
 * result exceeds 253 octets (RFC 1035 2.3.4) or cap.  why (may be NULL)
 * gets a short reason on failure.  Thread-safe.
 */
DG_API DG_NODISCARD enum dg_err dg_idn_name_to_ascii(const char *name,
				    char *out, size_t cap,
				    char *why, size_t whylen);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_IDN_H */
