/*
 * include/dmarcguard/ip.h -- IPv4 and IPv6 addresses as values.
 *
 * A struct dg_ip is plain data: copy it, compare it, keep it in a query.
 * Parsing takes (ptr, len) and never reads past len.  IPv4-mapped IPv6
 * addresses ("::ffff:192.0.2.1") parse as IPv6; dg_ip_unmap() turns them
 * into IPv4 where a protocol says to (RFC 7208 5: SPF treats them as IPv4).
 * All functions are thread-safe.
 */
#ifndef DMARCGUARD_IP_H
#define DMARCGUARD_IP_H

#include <dmarcguard/common.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dg_ip_family {
	DG_IP_UNSET = 0,	/* no address */
	DG_IP_V4,
	DG_IP_V6
};

struct dg_ip {
	enum dg_ip_family	family;
	uint8_t			addr[16];	/* v4: addr[0..3], rest 0 */
};

/* Longest text dg_ip_format() writes, NUL included (INET6_ADDRSTRLEN). */
#define DG_IP_TEXT_MAX	46

/*
 * Parse dotted-quad IPv4 or RFC 4291 IPv6 text from p[0..len).  No
 * brackets, zone ids or prefix lengths.  Returns false (and leaves *out
 * alone) on anything else.
 */
DG_API bool	dg_ip_parse(const char *p, size_t len, struct dg_ip *out);
/* Is ip ::ffff:a.b.c.d? */
DG_API bool	dg_ip_is_v4mapped(const struct dg_ip *ip);
/* IPv4-mapped IPv6 becomes the IPv4 address; anything else is copied. */
DG_API struct dg_ip dg_ip_unmap(const struct dg_ip *ip);
/*
 * Do a and b share their first bits bits?  False when the families
 * differ; bits larger than the address length compare the whole address.
 */
DG_API bool	dg_ip_prefix_eq(const struct dg_ip *a, const struct dg_ip *b,
		    unsigned bits);
/* Same family and address. */
DG_API bool	dg_ip_eq(const struct dg_ip *a, const struct dg_ip *b);
/*
 * Canonical text (RFC 5952 for IPv6) into buf[0..cap); "" when the family
 * is unset.  Returns buf.
 */
DG_API char	*dg_ip_format(const struct dg_ip *ip, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_IP_H */
