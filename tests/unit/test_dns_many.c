/*
 * tests/unit/test_dns_many.c -- dg_dns_query_many(): the same answers as
 * one dg_dns_query() each (zone backend, which asks in turn), the batch
 * reaching a custom backend's many-callback in one call with normalised
 * names, the recorder keeping every answer of a batch for replay, and
 * the argument checks (a bad name, n = 0, n over the cap).
 */
#include "testutil.h"

#include <unistd.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>

static const char zone_text[] =
    "$ORIGIN many.test.\n"
    "$TTL 300\n"
    "@\tMX\t10 mx\n"
    "@\tTXT\t\"v=spf1 -all\"\n"
    "mx\tA\t192.0.2.1\n"
    "alias\tCNAME\tmx\n"
    "s1._domainkey\tTXT\t\"v=DKIM1; p=\"\n";

static const struct dg_dns_question qs[] = {
	{ "many.test", DG_DNS_T_MX },
	{ "MANY.test.", DG_DNS_T_TXT },
	{ "nx.many.test", DG_DNS_T_TXT },
	{ "alias.many.test", DG_DNS_T_A },
	{ "s1._domainkey.many.test", DG_DNS_T_TXT },
	{ "mx.many.test", DG_DNS_T_AAAA },
};
#define NQ	NELEM(qs)

/* Status, canonical name, count and first-record detail of an answer. */
static void
summary(const struct dg_dns_answer *a, char *out, size_t cap)
{
	const char	*first = "";

	if (a->count > 0 && a->rrs[0].type == DG_DNS_T_MX)
		first = a->rrs[0].u.mx.host;
	else if (a->count > 0 && a->rrs[0].type == DG_DNS_T_TXT)
		first = a->rrs[0].u.txt.strings[0].p;
	snprintf(out, cap, "%s %s %s %zu %u %s", a->qname,
	    dg_dns_status_str(a->status), a->canonical, a->count,
	    (unsigned)a->ttl, first);
}

static void
same_as_single(const char *row, struct dg_resolver *r)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 many[NQ], one;
	char			 got[512], want[512];
	size_t			 i;

	assert_int_equal(dg_dns_query_many(r, qs, NQ, a, many), DG_OK);
	for (i = 0; i < NQ; i++) {
		assert_int_equal(dg_dns_query(r, qs[i].name, qs[i].type, a,
		    &one), DG_OK);
		summary(&many[i], got, sizeof(got));
		summary(&one, want, sizeof(want));
		CHECK_STR(row, got, want);
	}
	summary(&many[1], got, sizeof(got));
	CHECK_STR(row, got, "many.test ok many.test 1 300 v=spf1 -all");
	summary(&many[3], got, sizeof(got));
	CHECK_STR(row, got, "alias.many.test ok mx.many.test 1 300 ");
	dg_arena_free(a);
}

static void
test_zone(void **state)
{
	struct dg_resolver	*z;
	char			 err[256];

	(void)state;
	assert_int_equal(dg_resolver_zone_text(zone_text, sizeof(zone_text) -
	    1, "many", &z, err, sizeof(err)), DG_OK);
	same_as_single("zone", z);
	dg_resolver_free(z);
}

/* A custom backend whose batch callback counts its calls. */
struct counter {
	struct dg_resolver	*inner;
	int			 singles, batches;
	size_t			 last_n;
	char			 first[64];
};

static enum dg_err
one_fn(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct counter	*c = ctx;

	c->singles++;
	return dg_dns_query(c->inner, name, type, a, out);
}

static enum dg_err
many_fn(void *ctx, const struct dg_dns_question *q, size_t n,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct counter	*c = ctx;

	c->batches++;
	c->last_n = n;
	snprintf(c->first, sizeof(c->first), "%s", q[1].name);
	return dg_dns_query_many(c->inner, q, n, a, out);
}

static void
test_custom_and_recorder(void **state)
{
	struct counter		 c;
	struct dg_resolver	*z, *cust, *rec, *replay;
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans[NQ], again;
	char			 path[] = "/tmp/dg-many-XXXXXX", err[256];
	char			 got[512], want[512];
	size_t			 i;
	int			 fd;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(dg_resolver_zone_text(zone_text, sizeof(zone_text) -
	    1, "many", &z, err, sizeof(err)), DG_OK);
	c.inner = z;
	assert_int_equal(dg_resolver_custom_many(one_fn, many_fn, &c, &cust),
	    DG_OK);
	same_as_single("custom", cust);
	CHECK_INT("custom: batches", c.batches, 1);
	CHECK_INT("custom: batch size", c.last_n, NQ);
	CHECK_INT("custom: singles", c.singles, NQ);	/* the comparison */
	CHECK_STR("custom: normalised", c.first, "many.test");

	/* The recorder keeps every answer of a batch. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(dg_resolver_recorder(cust, path, &rec), DG_OK);
	assert_int_equal(dg_dns_query_many(rec, qs, NQ, a, ans), DG_OK);
	CHECK_INT("recorder: batches", c.batches, 2);
	assert_int_equal(dg_resolver_record_write(rec, err, sizeof(err)),
	    DG_OK);
	assert_int_equal(dg_resolver_zone_file(path, &replay, err,
	    sizeof(err)), DG_OK);
	for (i = 0; i < NQ; i++) {
		assert_int_equal(dg_dns_query(replay, qs[i].name, qs[i].type,
		    a, &again), DG_OK);
		summary(&ans[i], got, sizeof(got));
		summary(&again, want, sizeof(want));
		CHECK_STR("replay", got, want);
	}
	dg_resolver_free(replay);
	dg_resolver_free(rec);
	dg_resolver_free(cust);
	dg_resolver_free(z);
	unlink(path);
	dg_arena_free(a);
}

static void
test_arguments(void **state)
{
	struct dg_dns_question	 bad[2] = {
		{ "many.test", DG_DNS_T_MX }, { "a..b", DG_DNS_T_TXT },
	};
	struct dg_dns_question	 big[DG_DNS_MANY_MAX + 1];
	struct dg_dns_answer	 ans[DG_DNS_MANY_MAX + 1];
	struct dg_resolver	*z;
	struct dg_arena		*a = dg_arena_new(0);
	char			 err[256];
	size_t			 i;

	(void)state;
	assert_int_equal(dg_resolver_zone_text(zone_text, sizeof(zone_text) -
	    1, "many", &z, err, sizeof(err)), DG_OK);
	CHECK_INT("bad name", dg_dns_query_many(z, bad, 2, a, ans),
	    DG_EINVAL);
	CHECK_INT("n = 0", dg_dns_query_many(z, bad, 0, a, ans), DG_EINVAL);
	for (i = 0; i < NELEM(big); i++) {
		big[i].name = "many.test";
		big[i].type = DG_DNS_T_MX;
	}
	CHECK_INT("n over the cap", dg_dns_query_many(z, big, NELEM(big), a,
	    ans), DG_EINVAL);
	CHECK_INT("n at the cap", dg_dns_query_many(z, big, DG_DNS_MANY_MAX,
	    a, ans), DG_OK);
	CHECK_STR("n at the cap: last",
	    ans[DG_DNS_MANY_MAX - 1].rrs[0].u.mx.host, "mx.many.test");
	CHECK_INT("null resolver", dg_dns_query_many(NULL, big, 1, a, ans),
	    DG_EINVAL);
	dg_resolver_free(z);
	dg_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_custom_and_recorder),
		cmocka_unit_test(test_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
