/*
 * lib/dns/dns_wire.c -- a DNS response in wire format to struct
 * dg_dns_answer (RFC 1035 4.1, 4.1.4 compression; RFC 2308 negative
 * TTLs; RFC 2181 8 TTLs with the top bit set).
 *
 * The packet comes from the network through libunbound, so every offset
 * is checked before it is read, compression pointers may chain at most
 * DG_DNS_WIRE_MAX_JUMPS times (a pointer loop ends there), and the answer
 * section is walked a bounded number of times: once per CNAME hop (at
 * most DG_DNS_MAX_CNAME), once to count and once to copy the records.
 */
#include <stdio.h>
#include <string.h>

#include "dns/dns_int.h"
#include "dns/dns_unbound.h"
#include "dns/dns_wire.h"
#include "util/limits.h"
#include "util/str.h"

#define HDR_LEN		12
#define CLASS_IN	1
#define T_SOA		6

/* A name read from the packet. */
enum name_rc { NAME_BAD = -1, NAME_OK = 0, NAME_ODD = 1 };

/* One resource record's fixed part (RFC 1035 4.1.3). */
struct wrr {
	char		owner[DG_DNS_NAME_MAX + 1];
	bool		owner_ok;	/* false: a label byte '.' or NUL */
	uint16_t	type, class;
	uint32_t	ttl;
	size_t		rdoff, rdlen;
};

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

/*
 * Read the name at *off into out (lower case, no final dot, "" for the
 * root) and move *off past it (past the first pointer when there is one).
 * NAME_ODD: well formed, but a label holds '.' or NUL, which our text
 * form cannot carry; such a name matches nothing.
 */
static enum name_rc
read_name(const uint8_t *p, size_t len, size_t *off, char *out)
{
	size_t		o = *off, n = 0, end = 0, labels = 0, i;
	unsigned	jumps = 0;
	bool		odd = false;

	for (;;) {
		size_t	c;

		if (o >= len)
			return NAME_BAD;
		c = p[o];
		if ((c & 0xC0) == 0xC0) {
			size_t	ptr;

			if (len - o < 2 || ++jumps > DG_DNS_WIRE_MAX_JUMPS)
				return NAME_BAD;
			ptr = ((c & 0x3F) << 8) | p[o + 1];
			if (end == 0)
				end = o + 2;
			if (ptr >= len)
				return NAME_BAD;
			o = ptr;
			continue;
		}
		if ((c & 0xC0) != 0)	/* RFC 6891 extended label types */
			return NAME_BAD;
		o++;
		if (c == 0)
			break;
		if (c > len - o || ++labels > DG_DNS_LABELS_MAX)
			return NAME_BAD;
		if (n != 0)
			out[n++] = '.';
		if (n + c > DG_DNS_NAME_MAX)
			return NAME_BAD;
		for (i = 0; i < c; i++) {
			unsigned char	b = p[o + i];

			if (b == '\0' || b == '.')
				odd = true;
			out[n++] = (char)dg_tolower(b);
		}
		o += c;
	}
	out[n] = '\0';
	*off = end != 0 ? end : o;
	return odd ? NAME_ODD : NAME_OK;
}

/* The record at *off; false when it runs past the packet. */
static bool
read_rr(const uint8_t *p, size_t len, size_t *off, struct wrr *w)
{
	enum name_rc	rc;
	size_t		o = *off;

	rc = read_name(p, len, &o, w->owner);
	if (rc == NAME_BAD || len - o < 10)
		return false;
	w->owner_ok = rc == NAME_OK;
	w->type = get16(p + o);
	w->class = get16(p + o + 2);
	w->ttl = get32(p + o + 4);
	if (w->ttl > 0x7FFFFFFFu)	/* RFC 2181 8 */
		w->ttl = 0;
	w->rdlen = get16(p + o + 8);
	w->rdoff = o + 10;
	if (w->rdlen > len - w->rdoff)
		return false;
	*off = w->rdoff + w->rdlen;
	return true;
}

/* The target name of a CNAME/NS/PTR, or the MX exchange at rd + skip. */
static enum name_rc
rdata_name(const uint8_t *p, size_t len, const struct wrr *w, size_t skip,
    char *out)
{
	size_t		o = w->rdoff + skip;
	enum name_rc	rc;

	if (w->rdlen < skip + 1)
		return NAME_BAD;
	rc = read_name(p, len, &o, out);
	if (rc != NAME_BAD && o != w->rdoff + w->rdlen)
		return NAME_BAD;
	return rc;
}

static bool
is_match(const struct wrr *w, const char *name, enum dg_dns_type qtype)
{
	return w->owner_ok && w->class == CLASS_IN &&
	    w->type == (uint16_t)qtype && strcmp(w->owner, name) == 0;
}

static enum dg_err
malformed(struct dg_arena *a, struct dg_dns_answer *out, const char *why)
{
	out->status = DG_DNS_MALFORMED;
	out->count = 0;
	out->rrs = NULL;
	out->why = dg_arena_strdup(a, why);
	return out->why != NULL ? DG_OK : dg_arena_err(a);
}

static enum dg_err
parse_rr(const uint8_t *p, size_t len, const struct wrr *w,
    enum dg_dns_type qtype, struct dg_arena *a, struct dg_dns_rr *rr)
{
	char		name[DG_DNS_NAME_MAX + 1];
	enum name_rc	rc;

	memset(rr, 0, sizeof(*rr));
	rr->type = qtype;
	switch (qtype) {
	case DG_DNS_T_MX:
		if (w->rdlen < 3)
			return DG_ESYNTAX;
		rc = rdata_name(p, len, w, 2, name);
		if (rc != NAME_OK)
			return DG_ESYNTAX;
		rr->u.mx.pref = get16(p + w->rdoff);
		rr->u.mx.host = dg_arena_strdup(a, name);
		return rr->u.mx.host != NULL ? DG_OK : dg_arena_err(a);
	case DG_DNS_T_NS:
	case DG_DNS_T_CNAME:
	case DG_DNS_T_PTR:
		rc = rdata_name(p, len, w, 0, name);
		if (rc != NAME_OK)
			return DG_ESYNTAX;
		rr->u.name = dg_arena_strdup(a, name);
		return rr->u.name != NULL ? DG_OK : dg_arena_err(a);
	default:
		/* A, AAAA, TXT, SPF: no names inside, so no compression. */
		return dg_dns_rdata_parse(qtype, p + w->rdoff, w->rdlen, a,
		    rr);
	}
}

static const char *
rcode_name(unsigned rcode)
{
	switch (rcode) {
	case 1:		return "FORMERR";
	case 2:		return "SERVFAIL";
	case 4:		return "NOTIMP";
	case 5:		return "REFUSED";
	default:	return "other";
	}
}

enum dg_err
dg_dns_wire_answer(const uint8_t *p, size_t len, const char *qname,
    enum dg_dns_type qtype, struct dg_arena *a, struct dg_dns_answer *out)
{
	char			 cur[DG_DNS_NAME_MAX + 1];
	char			 next[DG_DNS_NAME_MAX + 1];
	struct wrr		 w;
	struct dg_dns_rr	*rrs = NULL;
	size_t			 off, an_off, ns_off = 0, i, n, k, hops;
	unsigned		 qd, an, ns, rcode;
	uint32_t		 ttl = UINT32_MAX;
	bool			 moved;
	enum dg_err		 err;

	if (p == NULL || qname == NULL || a == NULL || out == NULL)
		return DG_EINVAL;
	out->status = DG_DNS_UNSET;
	out->count = 0;
	out->rrs = NULL;
	out->ttl = 0;
	if (len < HDR_LEN || (p[2] & 0x80) == 0)
		return malformed(a, out, "the response is not a DNS answer");
	rcode = p[3] & 0x0F;
	qd = get16(p + 4);
	an = get16(p + 6);
	ns = get16(p + 8);
	off = HDR_LEN;
	for (i = 0; i < qd; i++) {
		if (read_name(p, len, &off, cur) == NAME_BAD ||
		    len - off < 4)
			return malformed(a, out, "the question section of the "
			    "response does not parse");
		off += 4;
	}
	/* Check the answer and authority sections' framing once. */
	an_off = off;
	for (i = 0; i < (size_t)an + ns; i++) {
		if (i == an)
			ns_off = off;
		if (!read_rr(p, len, &off, &w))
			return malformed(a, out, "a record of the response "
			    "runs past its end");
	}
	if (ns == 0)
		ns_off = off;

	if (rcode != 0 && rcode != 3) {
		out->status = DG_DNS_SERVFAIL;
		out->why = dg_arena_printf(a, "rcode %u (%s)", rcode,
		    rcode_name(rcode));
		return out->why != NULL ? DG_OK : dg_arena_err(a);
	}

	/* Follow the CNAME chain from qname (RFC 1034 3.6.2). */
	(void)snprintf(cur, sizeof(cur), "%s", qname);
	for (hops = 0, moved = qtype != DG_DNS_T_CNAME;
	    moved && hops <= DG_DNS_MAX_CNAME; hops++) {
		moved = false;
		for (i = 0, off = an_off; i < an; i++) {
			(void)read_rr(p, len, &off, &w);
			if (!is_match(&w, cur, DG_DNS_T_CNAME))
				continue;
			if (rdata_name(p, len, &w, 0, next) != NAME_OK)
				return malformed(a, out, "a CNAME record of "
				    "the response does not parse");
			if (w.ttl < ttl)
				ttl = w.ttl;
			memcpy(cur, next, sizeof(cur));
			moved = true;
			break;
		}
	}
	if (moved)
		return malformed(a, out, "the CNAME chain is too long");
	if (strcmp(cur, qname) != 0 &&
	    (out->canonical = dg_arena_strdup(a, cur)) == NULL)
		return dg_arena_err(a);

	for (i = 0, n = 0, off = an_off; i < an; i++) {
		(void)read_rr(p, len, &off, &w);
		if (is_match(&w, cur, qtype))
			n++;
	}
	if (n > DG_DNS_MAX_RRS)
		n = DG_DNS_MAX_RRS;
	if (n > 0 && rcode == 0) {
		if ((rrs = dg_arena_calloc(a, n, sizeof(*rrs))) == NULL)
			return dg_arena_err(a);
		for (i = 0, k = 0, off = an_off; i < an && k < n; i++) {
			(void)read_rr(p, len, &off, &w);
			if (!is_match(&w, cur, qtype))
				continue;
			err = parse_rr(p, len, &w, qtype, a, &rrs[k]);
			if (err == DG_ESYNTAX || err == DG_EINVAL) {
				out->status = DG_DNS_MALFORMED;
				out->why = dg_arena_printf(a, "record %zu of "
				    "type %s does not parse", k + 1,
				    dg_dns_type_str(qtype));
				return out->why != NULL ? DG_OK :
				    dg_arena_err(a);
			}
			if (err != DG_OK)
				return err;
			rrs[k].ttl = w.ttl;
			if (w.ttl < ttl)
				ttl = w.ttl;
			k++;
		}
		out->status = DG_DNS_OK;
		out->count = n;
		out->rrs = rrs;
		out->ttl = ttl;
		return DG_OK;
	}

	/* Negative: the SOA in the authority section gives the TTL. */
	out->status = rcode == 3 ? DG_DNS_NXDOMAIN : DG_DNS_NODATA;
	for (i = 0, off = ns_off; i < ns; i++) {
		(void)read_rr(p, len, &off, &w);
		if (w.type != T_SOA || w.class != CLASS_IN || w.rdlen < 22)
			continue;
		k = get32(p + w.rdoff + w.rdlen - 4);	/* MINIMUM */
		if (k > 0x7FFFFFFFu)
			k = 0;
		if (w.ttl < ttl)
			ttl = w.ttl;
		if (k < ttl)
			ttl = (uint32_t)k;
		break;
	}
	out->ttl = ttl != UINT32_MAX ? ttl : 0;
	return DG_OK;
}
