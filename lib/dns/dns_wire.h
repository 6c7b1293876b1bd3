/*
 * lib/dns/dns_wire.h -- a DNS response message in wire format (RFC 1035
 * 4.1) to struct dg_dns_answer.  Pure: no resolver library, so unit tests
 * and the fuzzer reach it directly.  The libunbound backend hands it the
 * packets of its event API.
 */
#ifndef DG_DNS_WIRE_H
#define DG_DNS_WIRE_H

#include <dmarcguard/dns.h>

/*
 * Read the response pkt[len] to the question qname (normalised: lower
 * case, no final dot) / qtype.  Fills out->status (OK, NXDOMAIN, NODATA,
 * SERVFAIL for an error rcode, MALFORMED for a packet that does not
 * parse), ttl (the smallest TTL of the records used; for a negative
 * answer the SOA's, RFC 2308 5), canonical (the end of the CNAME chain,
 * when there is one), count and rrs (the records of qtype at that name)
 * and why.  dnssec is left to the caller.
 *
 * Every length and every compression pointer is checked; pointers may
 * chain at most DG_DNS_WIRE_MAX_JUMPS times.  Returns DG_OK (junk gives
 * status MALFORMED, not an error); DG_EINVAL for a NULL argument;
 * DG_ENOMEM / DG_ETOOBIG when the arena is exhausted.
 */
enum dg_err	dg_dns_wire_answer(const uint8_t *pkt, size_t len,
		    const char *qname, enum dg_dns_type qtype,
		    struct dg_arena *a, struct dg_dns_answer *out);

#endif /* DG_DNS_WIRE_H */
