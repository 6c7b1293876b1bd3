/*
 * tests/unit/test_dns_zone.c -- the zone-file resolver backend: statuses
 * (with the $TIMEOUT/$SERVFAIL exceptions), empty non-terminals, CNAME
 * chains and loops, case, TXT strings, loading errors, threads, ENOMEM.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <pthread.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dns.h>

#include "util/alloc.h"

#define FIXTURE	"data/zones/backend.zone"

/* The records of an answer as "TYPE/TTL rdata; ..." for comparison. */
static void
dump_rrs(const struct dg_dns_answer *ans, struct dg_buf *b)
{
	char	addr[64];
	size_t	i, j, k;

	for (i = 0; i < ans->count; i++) {
		const struct dg_dns_rr	*rr = &ans->rrs[i];

		if (i > 0)
			dg_buf_puts(b, "; ");
		dg_buf_printf(b, "%s/%u ", dg_dns_type_str(rr->type),
		    (unsigned)rr->ttl);
		switch (rr->type) {
		case DG_DNS_T_A:
			dg_buf_puts(b, inet_ntop(AF_INET, rr->u.a, addr,
			    sizeof(addr)));
			break;
		case DG_DNS_T_AAAA:
			dg_buf_puts(b, inet_ntop(AF_INET6, rr->u.aaaa, addr,
			    sizeof(addr)));
			break;
		case DG_DNS_T_MX:
			dg_buf_printf(b, "%u %s", (unsigned)rr->u.mx.pref,
			    rr->u.mx.host);
			break;
		case DG_DNS_T_TXT:
		case DG_DNS_T_SPF:
			for (j = 0; j < rr->u.txt.count; j++) {
				const struct dg_dns_str	*s =
				    &rr->u.txt.strings[j];

				dg_buf_putc(b, '[');
				for (k = 0; k < s->len; k++) {
					unsigned char	c;

					c = (unsigned char)s->p[k];

					if (c < 0x20 || c >= 0x7f)
						dg_buf_printf(b, "<%u>", c);
					else
						dg_buf_putc(b, (char)c);
				}
				dg_buf_putc(b, ']');
			}
			break;
		default:
			dg_buf_puts(b, rr->u.name);
			break;
		}
	}
}

static const struct {
	const char		*row;
	const char		*qname;
	enum dg_dns_type	 qtype;
	enum dg_dns_status	 status;
	const char		*canonical;
	unsigned		 ttl;
	const char		*rrs;
} rows[] = {
	{ "a-ok", "example.com", DG_DNS_T_A, DG_DNS_OK, "example.com", 300,
	  "A/300 192.0.2.1" },
	{ "aaaa-ok", "example.com", DG_DNS_T_AAAA, DG_DNS_OK, "example.com",
	  300, "AAAA/300 2001:db8::1" },
	{ "mx-pref-host", "example.com", DG_DNS_T_MX, DG_DNS_OK,
	  "example.com", 300,
	  "MX/300 10 mx1.example.com; MX/300 20 mx2.example.com" },
	{ "txt-separate-min-ttl", "example.com", DG_DNS_T_TXT, DG_DNS_OK,
	  "example.com", 60, "TXT/600 [v=spf1 ][ip4:192.0.2.0/24 -all]; "
	  "TXT/60 [second txt]" },
	{ "spf-only-for-spf", "example.com", DG_DNS_T_SPF, DG_DNS_OK,
	  "example.com", 300, "SPF/300 [v=spf1 -all]" },
	{ "case-trailing-dot", "ExAmPlE.CoM.", DG_DNS_T_A, DG_DNS_OK,
	  "example.com", 300, "A/300 192.0.2.1" },
	{ "dmarc", "_DMARC.example.com", DG_DNS_T_TXT, DG_DNS_OK,
	  "_dmarc.example.com", 300, "TXT/300 [v=DMARC1; p=reject]" },
	{ "binary-txt", "bin.example.com", DG_DNS_T_TXT, DG_DNS_OK,
	  "bin.example.com", 300, "TXT/300 [a<0>b][\"q\\]" },
	{ "nodata-other-type", "_dmarc.example.com", DG_DNS_T_A,
	  DG_DNS_NODATA, "_dmarc.example.com", 0, "" },
	{ "nodata-ns", "example.com", DG_DNS_T_NS, DG_DNS_NODATA,
	  "example.com", 0, "" },
	{ "nxdomain", "nope.example.com", DG_DNS_T_TXT, DG_DNS_NXDOMAIN,
	  "nope.example.com", 0, "" },
	{ "nxdomain-below-leaf", "x._dmarc.example.com", DG_DNS_T_TXT,
	  DG_DNS_NXDOMAIN, "x._dmarc.example.com", 0, "" },
	{ "ent", "sub.example.com", DG_DNS_T_TXT, DG_DNS_NODATA,
	  "sub.example.com", 0, "" },
	{ "ent-tld", "com", DG_DNS_T_TXT, DG_DNS_NODATA, "com", 0, "" },
	{ "nxdomain-sibling-tld", "net", DG_DNS_T_TXT, DG_DNS_NXDOMAIN,
	  "net", 0, "" },
	{ "ent-leaf-ok", "deep.sub.example.com", DG_DNS_T_A, DG_DNS_OK,
	  "deep.sub.example.com", 300, "A/300 192.0.2.5" },
	{ "explicit-nodata", "empty.example.com", DG_DNS_T_TXT,
	  DG_DNS_NODATA, "empty.example.com", 0, "" },
	{ "timeout", "slow.example.com", DG_DNS_T_A, DG_DNS_TIMEOUT,
	  "slow.example.com", 0, "" },
	{ "timeout-spares-held-type", "slow.example.com", DG_DNS_T_TXT,
	  DG_DNS_OK, "slow.example.com", 300, "TXT/300 [slow but has TXT]" },
	{ "timeout-absent-name", "gone.example.org", DG_DNS_T_TXT,
	  DG_DNS_TIMEOUT, "gone.example.org", 0, "" },
	{ "servfail", "broken.example.com", DG_DNS_T_TXT, DG_DNS_SERVFAIL,
	  "broken.example.com", 0, "" },
	{ "servfail-spares-mx", "broken.example.com", DG_DNS_T_MX, DG_DNS_OK,
	  "broken.example.com", 300, "MX/300 0 " },
	{ "cname-chain", "alias.example.com", DG_DNS_T_A, DG_DNS_OK,
	  "target.example.com", 30, "A/300 192.0.2.7" },
	{ "cname-chain-txt", "alias2.example.com", DG_DNS_T_TXT, DG_DNS_OK,
	  "target.example.com", 40, "TXT/300 [target txt]" },
	{ "cname-query", "alias.example.com", DG_DNS_T_CNAME, DG_DNS_OK,
	  "alias.example.com", 30, "CNAME/30 alias2.example.com" },
	{ "cname-then-nodata", "alias.example.com", DG_DNS_T_MX,
	  DG_DNS_NODATA, "target.example.com", 0, "" },
	{ "cname-dangling", "dangling.example.com", DG_DNS_T_A,
	  DG_DNS_NXDOMAIN, "nowhere.example.net", 0, "" },
	{ "cname-to-timeout", "toslow.example.com", DG_DNS_T_A,
	  DG_DNS_TIMEOUT, "slow.example.com", 0, "" },
	{ "cname-to-timeout-held", "toslow.example.com", DG_DNS_T_TXT,
	  DG_DNS_OK, "slow.example.com", 300, "TXT/300 [slow but has TXT]" },
	{ "cname-loop", "loop1.example.com", DG_DNS_T_A, DG_DNS_SERVFAIL,
	  "loop1.example.com", 0, "" },
	{ "cname-8-hops", "c2.example.com", DG_DNS_T_A, DG_DNS_OK,
	  "c10.example.com", 300, "A/300 192.0.2.10" },
	{ "cname-9-hops", "c1.example.com", DG_DNS_T_A, DG_DNS_SERVFAIL,
	  "c9.example.com", 0, "" },
	{ "no-cname-at-name", "target.example.com", DG_DNS_T_CNAME,
	  DG_DNS_NODATA, "target.example.com", 0, "" },
};

static void
check_rows(struct dg_resolver *res)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct dg_buf		 b;
	size_t			 i;

	assert_non_null(a);
	for (i = 0; i < NELEM(rows); i++) {
		memset(&ans, 0, sizeof(ans));
		CHECK_INT(rows[i].row, dg_dns_query(res, rows[i].qname,
		    rows[i].qtype, a, &ans), DG_OK);
		CHECK_STR(rows[i].row, dg_dns_status_str(ans.status),
		    dg_dns_status_str(rows[i].status));
		CHECK_STR(rows[i].row, ans.canonical, rows[i].canonical);
		CHECK_INT(rows[i].row, ans.ttl, rows[i].ttl);
		CHECK_INT(rows[i].row, ans.qtype, rows[i].qtype);
		CHECK_INT(rows[i].row, ans.dnssec, DG_DNSSEC_UNKNOWN);
		dg_buf_init(&b, 0);
		dump_rrs(&ans, &b);
		CHECK_STR(rows[i].row, dg_buf_str(&b), rows[i].rrs);
		dg_buf_free(&b);
	}
	dg_arena_free(a);
}

static void
test_rows(void **state)
{
	struct dg_resolver	*res = NULL;
	char			 err[256];

	(void)state;
	CHECK_INT("load", dg_resolver_zone_file(FIXTURE, &res, err,
	    sizeof(err)), DG_OK);
	CHECK_STR("load", err, "");
	check_rows(res);
	dg_resolver_free(res);
}

static void
test_details(void **state)
{
	struct dg_resolver	*res = NULL;
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	char			 err[256];
	size_t			 len;
	char			*j;

	(void)state;
	assert_int_equal(dg_resolver_zone_file(FIXTURE, &res, err,
	    sizeof(err)), DG_OK);
	assert_int_equal(dg_dns_query(res, "Example.COM", DG_DNS_T_TXT, a,
	    &ans), DG_OK);
	CHECK_STR("qname-lower", ans.qname, "example.com");
	j = dg_dns_txt_join(a, &ans.rrs[0], &len);
	CHECK_STR("join", j, "v=spf1 ip4:192.0.2.0/24 -all");
	assert_int_equal(dg_dns_query(res, "loop2.example.com", DG_DNS_T_TXT,
	    a, &ans), DG_OK);
	CHECK_STR("loop-why", ans.why, "CNAME loop");
	assert_int_equal(dg_dns_query(res, "c1.example.com", DG_DNS_T_TXT, a,
	    &ans), DG_OK);
	CHECK_STR("long-why", ans.why, "CNAME chain too long");
	assert_int_equal(dg_dns_query(res, "bin.example.com", DG_DNS_T_TXT, a,
	    &ans), DG_OK);
	CHECK_INT("bin-len", ans.rrs[0].u.txt.strings[0].len, 3);
	CHECK_INT("bin-nul", ans.rrs[0].u.txt.strings[0].p[1], 0);
	/* Invalid names are caller errors, not statuses. */
	CHECK_INT("empty-label", dg_dns_query(res, "a..b", DG_DNS_T_A, a,
	    &ans), DG_EINVAL);
	/* A full arena is reported, not crashed on. */
	dg_arena_free(a);
	a = dg_arena_new(64);
	CHECK_INT("tiny-arena", dg_dns_query(res, "example.com", DG_DNS_T_MX,
	    a, &ans), DG_ETOOBIG);
	dg_arena_free(a);
	dg_resolver_free(res);
	dg_resolver_free(NULL);
}

static const struct {
	const char	*row;
	const char	*text;
	enum dg_err	 code;
	const char	*err;
} load_errors[] = {
	{ "two-cnames", "a. 1 CNAME b.\n\na. 1 CNAME c.\n", DG_ESYNTAX,
	  "t.zone:3: more than one CNAME at 'a'" },
	{ "timeout-and-servfail", "$TIMEOUT a.\n$SERVFAIL a.\n", DG_ESYNTAX,
	  "t.zone:2: both $TIMEOUT and $SERVFAIL for 'a'" },
	{ "parse-error", "a. 1 A 1.2.3\n", DG_ESYNTAX,
	  "t.zone:1: bad IPv4 address '1.2.3'" },
};

static void
test_load_errors(void **state)
{
	struct dg_resolver	*res = NULL;
	char			 err[256];
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(load_errors); i++) {
		res = NULL;
		CHECK_INT(load_errors[i].row, dg_resolver_zone_text(
		    load_errors[i].text, strlen(load_errors[i].text),
		    "t.zone", &res, err, sizeof(err)), load_errors[i].code);
		CHECK_STR(load_errors[i].row, err, load_errors[i].err);
		assert_null(res);
	}
	CHECK_INT("missing-file", dg_resolver_zone_file("data/zones/nope",
	    &res, err, sizeof(err)), DG_EIO);
	CHECK_STR("missing-file", err,
	    "data/zones/nope: cannot open: no such file");
	CHECK_INT("directory", dg_resolver_zone_file("data/zones", &res, err,
	    sizeof(err)), DG_EIO);
	CHECK_STR("directory", err, "data/zones: read error (a directory?)");
	CHECK_INT("null-out", dg_resolver_zone_text("", 0, NULL, NULL, err,
	    sizeof(err)), DG_EINVAL);
	/* An empty zone answers NXDOMAIN for everything. */
	CHECK_INT("empty", dg_resolver_zone_text("", 0, NULL, &res, NULL, 0),
	    DG_OK);
	{
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dns_answer	 ans;

		assert_int_equal(dg_dns_query(res, "example.com", DG_DNS_T_A,
		    a, &ans), DG_OK);
		CHECK_INT("empty-nx", ans.status, DG_DNS_NXDOMAIN);
		dg_arena_free(a);
	}
	dg_resolver_free(res);
}

/* Many names: lookups stay correct as the table grows. */
static void
test_many(void **state)
{
	struct dg_resolver	*res = NULL;
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct dg_buf		 z;
	char			 name[64];
	int			 i;

	(void)state;
	dg_buf_init(&z, 0);
	dg_buf_puts(&z, "$ORIGIN big.test.\n");
	for (i = 0; i < 100000; i++)
		dg_buf_printf(&z, "h%d 1 A 10.%d.%d.%d\n", i, i >> 16,
		    (i >> 8) & 255, i & 255);
	assert_int_equal(dg_buf_err(&z), DG_OK);
	assert_int_equal(dg_resolver_zone_text(z.data, z.len, "big", &res,
	    NULL, 0), DG_OK);
	for (i = 0; i < 100000; i += 997) {
		snprintf(name, sizeof(name), "H%d.big.test", i);
		assert_int_equal(dg_dns_query(res, name, DG_DNS_T_A, a, &ans),
		    DG_OK);
		CHECK_INT(name, ans.status, DG_DNS_OK);
		CHECK_INT(name, ans.rrs[0].u.a[3], i & 255);
		CHECK_INT(name, ans.rrs[0].u.a[2], (i >> 8) & 255);
		dg_arena_reset(a);
	}
	assert_int_equal(dg_dns_query(res, "h100000.big.test", DG_DNS_T_A, a,
	    &ans), DG_OK);
	CHECK_INT("beyond", ans.status, DG_DNS_NXDOMAIN);
	dg_buf_free(&z);
	dg_arena_free(a);
	dg_resolver_free(res);
}

/* Concurrency: 4 threads x 10k queries against one zone. */
struct worker {
	struct dg_resolver	*res;
	int			 seed;
	int			 bad;
};

static void *
worker_main(void *arg)
{
	struct worker		*w = arg;
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct dg_buf		 b;
	int			 i;
	size_t			 r;

	if (a == NULL) {
		w->bad++;
		return NULL;
	}
	for (i = 0; i < 10000; i++) {
		r = (size_t)(i * 7 + w->seed) % NELEM(rows);
		if (dg_dns_query(w->res, rows[r].qname, rows[r].qtype, a,
		    &ans) != DG_OK || ans.status != rows[r].status ||
		    strcmp(ans.canonical, rows[r].canonical) != 0) {
			w->bad++;
			continue;
		}
		dg_buf_init(&b, 0);
		dump_rrs(&ans, &b);
		if (strcmp(dg_buf_str(&b), rows[r].rrs) != 0)
			w->bad++;
		dg_buf_free(&b);
		dg_arena_reset(a);
	}
	dg_arena_free(a);
	return NULL;
}

static void
test_threads(void **state)
{
	struct dg_resolver	*res = NULL;
	struct worker		 w[4];
	pthread_t		 t[4];
	int			 i;

	(void)state;
	assert_int_equal(dg_resolver_zone_file(FIXTURE, &res, NULL, 0),
	    DG_OK);
	for (i = 0; i < 4; i++) {
		w[i].res = res;
		w[i].seed = i * 13;
		w[i].bad = 0;
		assert_int_equal(pthread_create(&t[i], NULL, worker_main,
		    &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		CHECK_INT("thread", w[i].bad, 0);
	}
	dg_resolver_free(res);
}

/* Loading fails cleanly at every allocation. */
static void
test_enomem(void **state)
{
	struct dg_resolver	*res;
	char			*text, err[256];
	size_t			 len;
	unsigned long		 n;
	enum dg_err		 rc;

	(void)state;
	text = test_read_file(FIXTURE, &len);
	assert_non_null(text);
	for (n = 1; n < 10000; n++) {
		res = NULL;
		dg_alloc_fail_after(n);
		rc = dg_resolver_zone_text(text, len, "f", &res, err,
		    sizeof(err));
		if (!dg_alloc_failed()) {
			dg_alloc_fail_after(0);
			CHECK_INT("enomem-final", rc, DG_OK);
			break;
		}
		dg_alloc_fail_after(0);
		CHECK_INT("enomem", rc, DG_ENOMEM);
		assert_null(res);
		assert_non_null(strstr(err, "out of memory"));
	}
	assert_true(n > 3 && n < 10000);
	check_rows(res);
	dg_resolver_free(res);
	free(text);
}

/* The bundled quick-start zone loads and answers what the docs say. */
static const struct {
	const char		*row;
	const char		*qname;
	enum dg_dns_type	 qtype;
	enum dg_dns_status	 status;
	const char		*rrs;
} example_rows[] = {
	{ "ex-dmarc", "_dmarc.example.com", DG_DNS_T_TXT, DG_DNS_OK,
	  "TXT/3600 [v=DMARC1; p=reject; rua=mailto:dmarc@example.com]" },
	{ "ex-spf", "example.com", DG_DNS_T_TXT, DG_DNS_OK, "TXT/3600 "
	  "[v=spf1 mx ip4:192.0.2.0/24 ip6:2001:db8::/32 -all]" },
	{ "ex-mx", "example.com", DG_DNS_T_MX, DG_DNS_OK,
	  "MX/3600 10 mx1.example.com; MX/3600 20 mx2.example.com" },
	{ "ex-news-no-dmarc", "_dmarc.news.example.com", DG_DNS_T_TXT,
	  DG_DNS_NXDOMAIN, "" },
	{ "ex-weak", "_dmarc.weak.example", DG_DNS_T_TXT, DG_DNS_OK,
	  "TXT/3600 [v=DMARC1; p=none; rua=mailto:reports@weak.example]" },
	{ "ex-null-mx", "parked.example", DG_DNS_T_MX, DG_DNS_OK,
	  "MX/3600 0 " },
	{ "ex-timeout", "_dmarc.slow.example", DG_DNS_T_TXT, DG_DNS_TIMEOUT,
	  "" },
	{ "ex-servfail", "broken.example", DG_DNS_T_TXT, DG_DNS_SERVFAIL,
	  "" },
	{ "ex-www", "www.example.com", DG_DNS_T_A, DG_DNS_OK,
	  "A/3600 192.0.2.10" },
};

static void
test_example_zone(void **state)
{
	struct dg_resolver	*res = NULL;
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct dg_buf		 b;
	char			 err[256], *key;
	size_t			 i, len;

	(void)state;
	CHECK_INT("example", dg_resolver_zone_file("../examples/example.zone",
	    &res, err, sizeof(err)), DG_OK);
	CHECK_STR("example", err, "");
	for (i = 0; i < NELEM(example_rows); i++) {
		CHECK_INT(example_rows[i].row, dg_dns_query(res,
		    example_rows[i].qname, example_rows[i].qtype, a, &ans),
		    DG_OK);
		CHECK_INT(example_rows[i].row, ans.status,
		    example_rows[i].status);
		dg_buf_init(&b, 0);
		dump_rrs(&ans, &b);
		CHECK_STR(example_rows[i].row, dg_buf_str(&b),
		    example_rows[i].rrs);
		dg_buf_free(&b);
	}
	CHECK_INT("dkim", dg_dns_query(res, "sel1._domainkey.example.com",
	    DG_DNS_T_TXT, a, &ans), DG_OK);
	CHECK_INT("dkim-count", ans.count, 1);
	CHECK_INT("dkim-strings", ans.rrs[0].u.txt.count, 2);
	key = dg_dns_txt_join(a, &ans.rrs[0], &len);
	CHECK_STR("dkim-key", key, "v=DKIM1; k=rsa; p="
	    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxkTIhFmSMxSeYFX1"
	    "CSNblQBt0LDvcupVMVc9FrsLhfGKXKnQoDwEQHJmHJTyLf4k4IkT73eB72pG"
	    "L4eQvtfYB1PNZBpc5KVjItXUmBwLMvn/6yL/098UlZ0aoalhS9twPuVqvfmd"
	    "ZTmJMxgjOjciwytgY998Fs4MybSfMVfi3P4myZt19i02SlFT/AQkBDm/9Po0"
	    "jBBE2xmFrIeihvZBOM2wTdYRXJjoMwognqHKHxoH+rIObvbDbtiJ30xeD6cm"
	    "Oh8Bdb1r6urSLC22WGmz3/U3vuno8V4yKVI347C4qbu7Tq5Fm31jwX3iBKKY"
	    "sAlDZof8J9Qg16lRDb6dvid1IwIDAQAB");
	dg_arena_free(a);
	dg_resolver_free(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_enomem),
		cmocka_unit_test(test_example_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
