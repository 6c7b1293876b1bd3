/*
 * tests/unit/test_dns_wire.c -- DNS responses in wire format to answers
 * (lib/dns/dns_wire.c): records, compression, CNAME chains, negative
 * TTLs, error rcodes, and hostile packets (pointer loops, pointers out of
 * range, lengths past the end, truncation, extended labels).
 */
#include "testutil.h"

#include <dmarcguard/arena.h>

#include "dns/dns_wire.h"

struct pk {
	uint8_t	b[2048];
	size_t	n;
};

static void
put8(struct pk *p, unsigned v)
{
	assert_true(p->n < sizeof(p->b));
	p->b[p->n++] = (uint8_t)v;
}

static void
put16(struct pk *p, unsigned v)
{
	put8(p, v >> 8);
	put8(p, v & 0xFF);
}

static void
put32(struct pk *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xFFFF);
}

/* An uncompressed name; a final "@NN" instead ends it with a pointer. */
static void
putname(struct pk *p, const char *name)
{
	while (*name != '\0') {
		const char	*dot;
		size_t		 l;

		if (*name == '@') {
			unsigned	off = (unsigned)strtoul(name + 1, NULL, 10);

			put16(p, 0xC000 | off);
			return;
		}
		dot = strchr(name, '.');
		l = dot != NULL ? (size_t)(dot - name) : strlen(name);
		put8(p, (unsigned)l);
		while (l-- > 0)
			put8(p, (unsigned char)*name++);
		if (*name == '.')
			name++;
	}
	put8(p, 0);
}

/* Header and one question; QNAME starts at offset 12. */
static void
start(struct pk *p, unsigned rcode, unsigned an, unsigned ns,
    const char *qname, unsigned qtype)
{
	p->n = 0;
	put16(p, 0x1234);
	put16(p, 0x8180 | rcode);	/* QR RD RA */
	put16(p, 1);
	put16(p, an);
	put16(p, ns);
	put16(p, 0);
	putname(p, qname);
	put16(p, qtype);
	put16(p, 1);
}

/* A record header; the caller writes rdlen bytes of rdata after it. */
static void
rr(struct pk *p, const char *owner, unsigned type, uint32_t ttl,
    unsigned rdlen)
{
	putname(p, owner);
	put16(p, type);
	put16(p, 1);
	put32(p, ttl);
	put16(p, rdlen);
}

static void
soa(struct pk *p, const char *owner, uint32_t ttl, uint32_t minimum)
{
	rr(p, owner, 6, ttl, 2 + 2 + 20);
	put16(p, 0xC00C);	/* MNAME: the question's name */
	put16(p, 0xC00C);	/* RNAME */
	put32(p, 1);
	put32(p, 3600);
	put32(p, 600);
	put32(p, 86400);
	put32(p, minimum);
}

static struct dg_dns_answer
answer(const struct pk *p, const char *qname, enum dg_dns_type t,
    struct dg_arena *a)
{
	struct dg_dns_answer	ans;

	memset(&ans, 0, sizeof(ans));
	assert_int_equal(dg_dns_wire_answer(p->b, p->n, qname, t, a, &ans),
	    DG_OK);
	return ans;
}

static void
test_records(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct pk		 p;

	(void)state;
	/* A, owner compressed to the question. */
	start(&p, 0, 2, 0, "example.com", 1);
	rr(&p, "@12", 1, 300, 4);
	put32(&p, 0xC0000201);
	rr(&p, "@12", 1, 200, 4);
	put32(&p, 0xC0000202);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("a", ans.status, DG_DNS_OK);
	CHECK_INT("a", ans.count, 2);
	CHECK_INT("a", ans.rrs[1].u.a[3], 2);
	CHECK_INT("a", ans.ttl, 200);
	CHECK_INT("a", ans.rrs[0].ttl, 300);
	CHECK_STR("a", ans.canonical, NULL);

	/* MX whose exchange is compressed into the owner's suffix. */
	start(&p, 0, 1, 0, "example.com", 15);
	rr(&p, "@12", 15, 60, 2 + 5);
	put16(&p, 10);
	put8(&p, 2);
	put8(&p, 'm');
	put8(&p, 'X');
	put16(&p, 0xC00C);
	ans = answer(&p, "example.com", DG_DNS_T_MX, a);
	CHECK_INT("mx", ans.status, DG_DNS_OK);
	CHECK_INT("mx", ans.rrs[0].u.mx.pref, 10);
	CHECK_STR("mx", ans.rrs[0].u.mx.host, "mx.example.com");

	/* TXT of two strings, beside an RRSIG (type 46) that is ignored. */
	start(&p, 0, 2, 0, "Example.COM", 16);
	rr(&p, "@12", 46, 60, 3);
	put8(&p, 1);
	put8(&p, 2);
	put8(&p, 3);
	rr(&p, "@12", 16, 60, 8);
	put8(&p, 3);
	put8(&p, 'a');
	put8(&p, 'b');
	put8(&p, 'c');
	put8(&p, 3);
	put8(&p, 'd');
	put8(&p, 'e');
	put8(&p, 'f');
	ans = answer(&p, "example.com", DG_DNS_T_TXT, a);
	CHECK_INT("txt", ans.status, DG_DNS_OK);
	CHECK_INT("txt", ans.count, 1);
	CHECK_INT("txt", ans.rrs[0].u.txt.count, 2);
	CHECK_STR("txt", ans.rrs[0].u.txt.strings[1].p, "def");

	/* A TTL with the top bit set counts as 0 (RFC 2181 8). */
	start(&p, 0, 1, 0, "example.com", 1);
	rr(&p, "@12", 1, 0x80000000u, 4);
	put32(&p, 1);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("ttl-top-bit", ans.ttl, 0);

	/* An unrelated record whose owner has a '.' inside a label. */
	start(&p, 0, 2, 0, "example.com", 1);
	put8(&p, 3);		/* the one label "a.b" */
	put8(&p, 'a');
	put8(&p, '.');
	put8(&p, 'b');
	put8(&p, 0);
	put16(&p, 1);
	put16(&p, 1);
	put32(&p, 60);
	put16(&p, 4);
	put32(&p, 7);
	rr(&p, "@12", 1, 60, 4);
	put32(&p, 8);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("odd-owner", ans.status, DG_DNS_OK);
	CHECK_INT("odd-owner", ans.count, 1);
	CHECK_INT("odd-owner", ans.rrs[0].u.a[3], 8);
	dg_arena_free(a);
}

static void
test_cname(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct pk		 p;

	(void)state;
	/* www -> a.example.net -> b.example.net A, listed out of order. */
	start(&p, 0, 3, 0, "www.example.com", 1);
	rr(&p, "b.example.net", 1, 500, 4);
	put32(&p, 0x01020304);
	rr(&p, "a.example.net", 5, 400, 15);
	putname(&p, "b.example.net");
	rr(&p, "@12", 5, 100, 15);
	putname(&p, "a.example.net");
	ans = answer(&p, "www.example.com", DG_DNS_T_A, a);
	CHECK_INT("chain", ans.status, DG_DNS_OK);
	CHECK_INT("chain", ans.count, 1);
	CHECK_STR("chain", ans.canonical, "b.example.net");
	CHECK_INT("chain", ans.ttl, 100);

	/* A chain that ends nowhere: NODATA at the target. */
	start(&p, 0, 1, 0, "www.example.com", 1);
	rr(&p, "@12", 5, 100, 15);
	putname(&p, "a.example.net");
	ans = answer(&p, "www.example.com", DG_DNS_T_A, a);
	CHECK_INT("dangling", ans.status, DG_DNS_NODATA);
	CHECK_STR("dangling", ans.canonical, "a.example.net");

	/* Asking for the CNAME itself does not follow it. */
	ans = answer(&p, "www.example.com", DG_DNS_T_CNAME, a);
	CHECK_INT("cname-q", ans.status, DG_DNS_OK);
	CHECK_STR("cname-q", ans.rrs[0].u.name, "a.example.net");
	CHECK_STR("cname-q", ans.canonical, NULL);

	/* A loop a -> b -> a. */
	start(&p, 0, 2, 0, "a.example", 1);
	rr(&p, "a.example", 5, 60, 11);
	putname(&p, "b.example");
	rr(&p, "b.example", 5, 60, 11);
	putname(&p, "a.example");
	ans = answer(&p, "a.example", DG_DNS_T_A, a);
	CHECK_INT("loop", ans.status, DG_DNS_MALFORMED);
	CHECK_STR("loop", ans.why, "the CNAME chain is too long");
	dg_arena_free(a);
}

static void
test_negative(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct pk		 p;

	(void)state;
	start(&p, 3, 0, 1, "nx.example.com", 1);
	soa(&p, "example.com", 3600, 60);
	ans = answer(&p, "nx.example.com", DG_DNS_T_A, a);
	CHECK_INT("nxdomain", ans.status, DG_DNS_NXDOMAIN);
	CHECK_INT("nxdomain", ans.ttl, 60);

	start(&p, 0, 0, 1, "example.com", 16);
	soa(&p, "example.com", 30, 300);
	ans = answer(&p, "example.com", DG_DNS_T_TXT, a);
	CHECK_INT("nodata", ans.status, DG_DNS_NODATA);
	CHECK_INT("nodata", ans.ttl, 30);

	start(&p, 0, 0, 0, "example.com", 16);
	ans = answer(&p, "example.com", DG_DNS_T_TXT, a);
	CHECK_INT("nodata-no-soa", ans.status, DG_DNS_NODATA);
	CHECK_INT("nodata-no-soa", ans.ttl, 0);

	start(&p, 2, 0, 0, "example.com", 16);
	ans = answer(&p, "example.com", DG_DNS_T_TXT, a);
	CHECK_INT("servfail", ans.status, DG_DNS_SERVFAIL);
	CHECK_STR("servfail", ans.why, "rcode 2 (SERVFAIL)");

	start(&p, 5, 0, 0, "example.com", 16);
	ans = answer(&p, "example.com", DG_DNS_T_TXT, a);
	CHECK_INT("refused", ans.status, DG_DNS_SERVFAIL);
	CHECK_STR("refused", ans.why, "rcode 5 (REFUSED)");
	dg_arena_free(a);
}

static void
test_hostile(void **state)
{
	static const uint8_t	 short_hdr[5] = { 1, 2, 0x81, 0x80, 0 };
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct pk		 p;
	size_t			 i;

	(void)state;
	memset(&ans, 0, sizeof(ans));
	assert_int_equal(dg_dns_wire_answer(short_hdr, sizeof(short_hdr),
	    "x", DG_DNS_T_A, a, &ans), DG_OK);
	CHECK_INT("short", ans.status, DG_DNS_MALFORMED);

	/* A query, not a response. */
	start(&p, 0, 0, 0, "example.com", 1);
	p.b[2] &= 0x7F;
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("not-qr", ans.status, DG_DNS_MALFORMED);

	/* An owner that points at itself. */
	start(&p, 0, 1, 0, "example.com", 1);
	i = p.n;
	put16(&p, 0xC000 | (unsigned)i);
	put16(&p, 1);
	put16(&p, 1);
	put32(&p, 60);
	put16(&p, 4);
	put32(&p, 1);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("ptr-loop", ans.status, DG_DNS_MALFORMED);

	/* A pointer past the end. */
	start(&p, 0, 1, 0, "example.com", 1);
	rr(&p, "@2000", 1, 60, 4);
	put32(&p, 1);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("ptr-range", ans.status, DG_DNS_MALFORMED);

	/* rdlength past the end. */
	start(&p, 0, 1, 0, "example.com", 1);
	rr(&p, "@12", 1, 60, 400);
	put32(&p, 1);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("rdlen", ans.status, DG_DNS_MALFORMED);

	/* ANCOUNT says 3, one is there. */
	start(&p, 0, 3, 0, "example.com", 1);
	rr(&p, "@12", 1, 60, 4);
	put32(&p, 1);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("ancount", ans.status, DG_DNS_MALFORMED);

	/* An extended label type (0x40). */
	start(&p, 0, 1, 0, "example.com", 1);
	put8(&p, 0x41);
	put8(&p, 0);
	put16(&p, 1);
	put16(&p, 1);
	put32(&p, 60);
	put16(&p, 4);
	put32(&p, 1);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("ext-label", ans.status, DG_DNS_MALFORMED);

	/* An A record of 3 bytes; an MX with bytes after its name. */
	start(&p, 0, 1, 0, "example.com", 1);
	rr(&p, "@12", 1, 60, 3);
	put8(&p, 1);
	put8(&p, 2);
	put8(&p, 3);
	ans = answer(&p, "example.com", DG_DNS_T_A, a);
	CHECK_INT("a-short", ans.status, DG_DNS_MALFORMED);
	CHECK_STR("a-short", ans.why, "record 1 of type A does not parse");
	start(&p, 0, 1, 0, "example.com", 15);
	rr(&p, "@12", 15, 60, 2 + 2 + 1);
	put16(&p, 10);
	put16(&p, 0xC00C);
	put8(&p, 0);
	ans = answer(&p, "example.com", DG_DNS_T_MX, a);
	CHECK_INT("mx-trailing", ans.status, DG_DNS_MALFORMED);

	/* Every truncation of a good packet is refused or read whole. */
	start(&p, 0, 1, 1, "example.com", 15);
	rr(&p, "@12", 15, 60, 2 + 2);
	put16(&p, 10);
	put16(&p, 0xC00C);
	soa(&p, "@12", 60, 60);
	for (i = 0; i < p.n; i++) {
		memset(&ans, 0, sizeof(ans));
		assert_int_equal(dg_dns_wire_answer(p.b, i, "example.com",
		    DG_DNS_T_MX, a, &ans), DG_OK);
		CHECK_INT("truncated", ans.status, DG_DNS_MALFORMED);
	}
	ans = answer(&p, "example.com", DG_DNS_T_MX, a);
	CHECK_INT("whole", ans.status, DG_DNS_OK);
	CHECK_STR("whole", ans.rrs[0].u.mx.host, "example.com");
	dg_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_cname),
		cmocka_unit_test(test_negative),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
