/*
 * tests/unit/test_audit_cache.c -- the bulk-audit answer cache
 * (lib/engine/audit_cache.c): a repeated question is answered from memory
 * with the same status, TTL and records (TXT strings with NUL bytes, MX,
 * CNAME targets); failures and TTL 0 are never kept; the inner resolver is
 * asked again once an entry is evicted; bad arguments; several threads.
 */
#include "testutil.h"

#include <pthread.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/audit.h>
#include <dmarcguard/dns.h>

static const char zone[] =
    "$ORIGIN c.test.\n"
    "$TTL 300\n"
    "@\tMX\t10 mx\n"
    "@\tMX\t0 .\n"
    "@\tTXT\t\"v=spf1 \" \"-all\"\n"
    "bin\tTXT\t\"a\\000b\" \"\"\n"
    "www\tCNAME\t@\n"
    "zero\t0\tTXT\t\"short-lived\"\n"
    "$SERVFAIL broken.c.test.\n";

static struct dg_resolver	*zres;
static unsigned			 calls;

/* The inner resolver: the zone, counting the questions it gets. */
static enum dg_err
counting(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	(void)ctx;
	__atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
	if (strcmp(name, "neg.c.test") == 0) {
		/* a negative answer with its SOA TTL, as from a server (the
		 * zone backend gives negative answers TTL 0) */
		memset(out, 0, sizeof(*out));
		out->status = DG_DNS_NXDOMAIN;
		out->ttl = 60;
		return DG_OK;
	}
	return dg_dns_query(zres, name, type, a, out);
}

/* An answer as one line, for exact comparison. */
static void
dump(const struct dg_dns_answer *ans, char *buf, size_t cap)
{
	size_t	i, k, n;

	n = (size_t)snprintf(buf, cap, "%s %s ttl=%u can=%s:",
	    dg_dns_status_str(ans->status), ans->qname, ans->ttl,
	    ans->canonical);
	for (i = 0; i < ans->count && n < cap; i++) {
		const struct dg_dns_rr	*rr = &ans->rrs[i];

		if (rr->type == DG_DNS_T_MX)
			n += (size_t)snprintf(buf + n, cap - n, " MX %u %s",
			    rr->u.mx.pref, rr->u.mx.host);
		else if (rr->type == DG_DNS_T_TXT)
			for (k = 0; k < rr->u.txt.count && n < cap; k++)
				n += (size_t)snprintf(buf + n, cap - n,
				    " [%zu:%c%c]", rr->u.txt.strings[k].len,
				    rr->u.txt.strings[k].len > 0 ?
				    rr->u.txt.strings[k].p[0] : '-',
				    rr->u.txt.strings[k].len > 2 ?
				    rr->u.txt.strings[k].p[2] : '-');
		else
			n += (size_t)snprintf(buf + n, cap - n, " %s",
			    rr->u.name);
	}
}

static void
test_hits(void **state)
{
	static const struct {
		const char		*name;
		enum dg_dns_type	 type;
		unsigned		 inner;	/* questions after 2 asks */
	} rows[] = {
		{ "c.test", DG_DNS_T_MX, 1 },
		{ "c.test", DG_DNS_T_TXT, 1 },
		{ "bin.c.test", DG_DNS_T_TXT, 1 },
		{ "WWW.c.test.", DG_DNS_T_MX, 1 },	/* CNAME followed */
		{ "neg.c.test", DG_DNS_T_TXT, 1 },	/* NXDOMAIN kept */
		{ "nope.c.test", DG_DNS_T_TXT, 2 },	/* TTL 0: not kept */
		{ "broken.c.test", DG_DNS_T_TXT, 2 },	/* SERVFAIL not */
		{ "zero.c.test", DG_DNS_T_TXT, 2 },	/* TTL 0 not */
	};
	struct dg_resolver	*inner, *res;
	struct dg_audit_cache	*c;
	struct dg_dns_answer	 direct, first, second;
	struct dg_arena		*a = dg_arena_new(0);
	char			 want[512], got1[512], got2[512];
	uint64_t		 hits, misses;
	size_t			 i;

	(void)state;
	assert_int_equal(dg_resolver_custom(counting, NULL, &inner), DG_OK);
	assert_int_equal(dg_audit_cache_new(&inner, 1, 0, &c), DG_OK);
	res = dg_audit_cache_resolver(c);
	for (i = 0; i < NELEM(rows); i++) {
		calls = 0;
		assert_int_equal(dg_dns_query(inner, rows[i].name,
		    rows[i].type, a, &direct), DG_OK);
		calls = 0;
		assert_int_equal(dg_dns_query(res, rows[i].name,
		    rows[i].type, a, &first), DG_OK);
		assert_int_equal(dg_dns_query(res, rows[i].name,
		    rows[i].type, a, &second), DG_OK);
		dump(&direct, want, sizeof(want));
		dump(&first, got1, sizeof(got1));
		dump(&second, got2, sizeof(got2));
		CHECK_STR(rows[i].name, got1, want);
		CHECK_STR(rows[i].name, got2, want);
		CHECK_INT(rows[i].name, calls, rows[i].inner);
	}
	/* the NUL byte survived the copy */
	assert_int_equal(dg_dns_query(res, "bin.c.test", DG_DNS_T_TXT, a,
	    &second), DG_OK);
	assert_memory_equal(second.rrs[0].u.txt.strings[0].p, "a\0b", 4);
	dg_audit_cache_stats(c, &hits, &misses);
	CHECK_INT("hits", hits, 6);
	CHECK_INT("misses", misses, 11);
	dg_audit_cache_free(c);
	dg_resolver_free(inner);
	dg_arena_free(a);
}

/* One slot: every new name evicts the last, so it is asked again. */
static void
test_evict(void **state)
{
	struct dg_resolver	*inner;
	struct dg_audit_cache	*c;
	struct dg_dns_answer	 ans;
	struct dg_arena		*a = dg_arena_new(0);
	int			 i;

	(void)state;
	assert_int_equal(dg_resolver_custom(counting, NULL, &inner), DG_OK);
	assert_int_equal(dg_audit_cache_new(&inner, 1, 1, &c), DG_OK);
	calls = 0;
	for (i = 0; i < 200; i++)
		assert_int_equal(dg_dns_query(dg_audit_cache_resolver(c),
		    i % 2 ? "c.test" : "www.c.test", DG_DNS_T_MX, a, &ans),
		    DG_OK);
	/* 64 slots at least: both names fit, two questions in all */
	CHECK_INT("evict", calls, 2);
	dg_audit_cache_free(c);
	dg_resolver_free(inner);
	dg_arena_free(a);
}

static void
test_args(void **state)
{
	struct dg_audit_cache	*c = NULL;
	struct dg_resolver	*none[1] = { NULL };

	(void)state;
	CHECK_INT("null", dg_audit_cache_new(NULL, 1, 0, &c), DG_EINVAL);
	CHECK_INT("zero", dg_audit_cache_new(&zres, 0, 0, &c), DG_EINVAL);
	CHECK_INT("null-inner", dg_audit_cache_new(none, 1, 0, &c),
	    DG_EINVAL);
	CHECK_INT("too-many", dg_audit_cache_new(&zres, 17, 0, &c),
	    DG_EINVAL);
	CHECK_INT("out", dg_audit_cache_new(&zres, 1, 0, NULL), DG_EINVAL);
	dg_audit_cache_free(NULL);
	assert_null(dg_audit_cache_resolver(NULL));
}

static struct dg_audit_cache	*shared;

static void *
hammer(void *arg)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	int			 i, *bad = arg;

	for (i = 0; i < 2000; i++) {
		dg_arena_reset(a);
		if (dg_dns_query(dg_audit_cache_resolver(shared),
		    i % 3 ? "c.test" : "bin.c.test", DG_DNS_T_TXT, a,
		    &ans) != DG_OK || ans.count != 1)
			(*bad)++;
	}
	dg_arena_free(a);
	return NULL;
}

static void
test_threads(void **state)
{
	struct dg_resolver	*inner[2];
	pthread_t		 th[4];
	int			 bad[4] = { 0 }, i;

	(void)state;
	assert_int_equal(dg_resolver_custom(counting, NULL, &inner[0]),
	    DG_OK);
	assert_int_equal(dg_resolver_custom(counting, NULL, &inner[1]),
	    DG_OK);
	assert_int_equal(dg_audit_cache_new(inner, 2, 64, &shared), DG_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, hammer, &bad[i]),
		    0);
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT("thread", bad[i], 0);
	}
	dg_audit_cache_free(shared);
	dg_resolver_free(inner[0]);
	dg_resolver_free(inner[1]);
}

static int
setup(void **state)
{
	char	err[256];

	(void)state;
	return dg_resolver_zone_text(zone, sizeof(zone) - 1, "cache", &zres,
	    err, sizeof(err)) == DG_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	dg_resolver_free(zres);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hits),
		cmocka_unit_test(test_evict),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
