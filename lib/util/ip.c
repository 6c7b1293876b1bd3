/*
 * lib/util/ip.c -- IPv4/IPv6 address values: parse, compare, format.
 *
 * Parsing goes through inet_pton() on a bounded NUL-terminated copy, so
 * input need not be NUL-terminated and cannot be longer than the longest
 * address text.  inet_pton() accepts exactly dotted-quad IPv4 (no octal,
 * no short forms) and RFC 4291 IPv6 including the embedded IPv4 form.
 */
#include <arpa/inet.h>
#include <string.h>

#include <dmarcguard/ip.h>

#include "util/str.h"

bool
dg_ip_parse(const char *p, size_t len, struct dg_ip *out)
{
	char		tmp[DG_IP_TEXT_MAX];
	struct dg_ip	ip;
	size_t		i;
	bool		colon = false;

	if (p == NULL || out == NULL || len == 0 || len >= sizeof(tmp))
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] == ':')
			colon = true;
		else if (!dg_isxdigit((unsigned char)p[i]) && p[i] != '.')
			return false;
	}
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	memset(&ip, 0, sizeof(ip));
	if (colon) {
		if (inet_pton(AF_INET6, tmp, ip.addr) != 1)
			return false;
		ip.family = DG_IP_V6;
	} else {
		if (inet_pton(AF_INET, tmp, ip.addr) != 1)
			return false;
		ip.family = DG_IP_V4;
	}
	*out = ip;
	return true;
}

bool
dg_ip_is_v4mapped(const struct dg_ip *ip)
{
	static const uint8_t	prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	return ip->family == DG_IP_V6 &&
	    memcmp(ip->addr, prefix, sizeof(prefix)) == 0;
}

struct dg_ip
dg_ip_unmap(const struct dg_ip *ip)
{
	struct dg_ip	v4;

	if (!dg_ip_is_v4mapped(ip))
		return *ip;
	memset(&v4, 0, sizeof(v4));
	v4.family = DG_IP_V4;
	memcpy(v4.addr, ip->addr + 12, 4);
	return v4;
}

bool
dg_ip_prefix_eq(const struct dg_ip *a, const struct dg_ip *b, unsigned bits)
{
	unsigned	max, full, rest;
	uint8_t		mask;

	if (a->family != b->family || a->family == DG_IP_UNSET)
		return false;
	max = a->family == DG_IP_V4 ? 32 : 128;
	if (bits > max)
		bits = max;
	full = bits / 8;
	rest = bits % 8;
	if (memcmp(a->addr, b->addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xffu << (8 - rest));
	return (a->addr[full] & mask) == (b->addr[full] & mask);
}

bool
dg_ip_eq(const struct dg_ip *a, const struct dg_ip *b)
{
	return dg_ip_prefix_eq(a, b, 128);
}

char *
dg_ip_format(const struct dg_ip *ip, char *buf, size_t cap)
{
	char	tmp[DG_IP_TEXT_MAX];
	int	af;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (ip->family == DG_IP_UNSET)
		return buf;
	af = ip->family == DG_IP_V4 ? AF_INET : AF_INET6;
	if (inet_ntop(af, ip->addr, tmp, sizeof(tmp)) == NULL)
		return buf;
	dg_strlcpy(buf, tmp, cap);
	return buf;
}
