/*
 * lib/dns/dns_unbound.h -- the pure (library-free) helpers of the
 * libunbound backend: RR rdata in wire format to struct dg_dns_rr, and
 * the checks on the "IP[@PORT]" upstream string.  Declared here so unit
 * tests can reach them without a resolver.
 */
#ifndef DG_DNS_UNBOUND_H
#define DG_DNS_UNBOUND_H

#include <dmarcguard/dns.h>

/*
 * Parse the rdata of one RR of the given type (RFC 1035 3.3, 3.4.1;
 * RFC 3596 2.2 for AAAA).  Names in rdata must be uncompressed (libunbound
 * hands them over decompressed); they come out lower case without the
 * final dot, "" for the root.  TXT and SPF keep each character-string
 * separate.  rr->ttl is left to the caller.
 * Returns DG_OK; DG_ESYNTAX for rdata that does not parse (a length
 * overrun, trailing bytes, a compression pointer, a label holding '.' or
 * NUL); DG_EINVAL for an unsupported type; DG_ENOMEM / DG_ETOOBIG when
 * the arena is exhausted.
 */
enum dg_err	dg_dns_rdata_parse(enum dg_dns_type type, const uint8_t *rd,
		    size_t len, struct dg_arena *a, struct dg_dns_rr *rr);

/*
 * Check an upstream "IP[@PORT]" (IPv4 or IPv6 literal, port 1-65535) and
 * write the form libunbound takes into out[cap].  False with a reason in
 * err[errlen] when s is junk.
 */
bool		dg_unbound_upstream_check(const char *s, char *out, size_t cap,
		    char *err, size_t errlen);

/*
 * Write name (normalised, no final dot) in the presentation form
 * libunbound parses, with every byte outside [a-z0-9-_*] written as \DDD
 * so no label byte is read as a separator or an escape.  out needs
 * 4 * DG_DNS_NAME_MAX + 2 bytes.
 */
void		dg_unbound_name_escape(const char *name, char *out, size_t cap);

#endif /* DG_DNS_UNBOUND_H */
