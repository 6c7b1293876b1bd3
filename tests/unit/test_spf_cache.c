/*
 * tests/unit/test_spf_cache.c -- dg_spf_check_many() shares parsed records
 * between its queries (lib/spf/spf_cache.c).  Its verdicts must be exactly
 * dg_spf_check()'s: for records seen again (include chains, redirect and
 * exp= whose pointers live in the cached terms), for a syntax error met
 * twice, past the table's capacity (more distinct records than
 * DG_SPF_PARSE_CACHE_MAX: the rest are parsed per evaluation), and with
 * every allocation failing in turn (DG_ENOMEM, no leak).
 */
#include "testutil.h"

#include <dmarcguard/dns.h>
#include <dmarcguard/spf.h>

#include "util/alloc.h"
#include "util/limits.h"

static const char zone[] =
	"$ORIGIN example.com.\n"
	"top    TXT \"v=spf1 ip4:192.0.2.0/28 include:mid.example.com "
	"-all exp=why.example.com\"\n"
	"mid    TXT \"v=spf1 ip4:198.51.100.0/24 include:deep.example.com "
	"~all\"\n"
	"deep   TXT \"v=spf1 ip6:2001:db8::/32 ip4:203.0.113.0/24 ~all\"\n"
	"why    TXT \"%{i} not allowed for %{d}\"\n"
	"redir  TXT \"v=spf1 ip4:192.0.2.99 redirect=top.example.com\"\n"
	"bad    TXT \"v=spf1 ip4:192.0.2.1/33 -all\"\n"
	"incbad TXT \"v=spf1 include:bad.example.com -all\"\n";

static struct dg_resolver *
load(const char *text)
{
	struct dg_resolver	*res = NULL;
	char			 err[256] = "";

	if (dg_resolver_zone_text(text, strlen(text), "test", &res, err,
	    sizeof(err)) != DG_OK)
		fail_msg("zone: %s", err);
	return res;
}

/* The verdict fields, compared one by one (padding is not compared). */
static void
same_verdict(const char *row, const struct dg_spf_verdict *got,
    const struct dg_spf_verdict *want)
{
	size_t	i;
	char	name[128];

	snprintf(name, sizeof(name), "%s result", row);
	CHECK_INT(name, got->result, want->result);
	snprintf(name, sizeof(name), "%s reason", row);
	CHECK_INT(name, got->reason, want->reason);
	snprintf(name, sizeof(name), "%s scope", row);
	CHECK_INT(name, got->scope, want->scope);
	snprintf(name, sizeof(name), "%s domain", row);
	CHECK_STR(name, got->domain, want->domain);
	snprintf(name, sizeof(name), "%s mechanism", row);
	CHECK_STR(name, got->mechanism, want->mechanism);
	snprintf(name, sizeof(name), "%s explanation", row);
	CHECK_STR(name, got->explanation, want->explanation);
	snprintf(name, sizeof(name), "%s detail", row);
	CHECK_STR(name, got->detail, want->detail);
	snprintf(name, sizeof(name), "%s lookups", row);
	CHECK_INT(name, got->lookups, want->lookups);
	snprintf(name, sizeof(name), "%s dns_queries", row);
	CHECK_INT(name, got->dns_queries, want->dns_queries);
	snprintf(name, sizeof(name), "%s void_lookups", row);
	CHECK_INT(name, got->void_lookups, want->void_lookups);
	snprintf(name, sizeof(name), "%s trace_len", row);
	CHECK_INT(name, got->trace_len, want->trace_len);
	for (i = 0; i < got->trace_len; i++) {
		snprintf(name, sizeof(name), "%s trace %zu", row, i);
		CHECK_STR(name, got->trace[i].name, want->trace[i].name);
		CHECK_INT(name, got->trace[i].type, want->trace[i].type);
		CHECK_INT(name, got->trace[i].depth, want->trace[i].depth);
	}
}

static const struct {
	const char		*ip;
	const char		*from;
	enum dg_spf_result	 want;
} rows[] = {
	{ "192.0.2.1",		"a@top.example.com",	DG_SPF_PASS },
	{ "203.0.113.9",	"a@top.example.com",	DG_SPF_PASS },
	{ "2001:db8::1",	"a@top.example.com",	DG_SPF_PASS },
	{ "10.0.0.1",		"a@top.example.com",	DG_SPF_FAIL },
	{ "10.0.0.2",		"b@top.example.com",	DG_SPF_FAIL },
	{ "192.0.2.99",		"a@redir.example.com",	DG_SPF_PASS },
	{ "10.0.0.1",		"a@redir.example.com",	DG_SPF_FAIL },
	{ "198.51.100.7",	"a@redir.example.com",	DG_SPF_PASS },
	{ "10.0.0.1",		"a@bad.example.com",	DG_SPF_PERMERROR },
	{ "10.0.0.1",		"a@incbad.example.com",	DG_SPF_PERMERROR },
	{ "10.0.0.1",		"a@bad.example.com",	DG_SPF_PERMERROR },
	{ "203.0.113.9",	"a@mid.example.com",	DG_SPF_PASS },
	{ "10.0.0.1",		"a@top.example.com",	DG_SPF_FAIL },
};

static void
fill(struct dg_spf_query *q)
{
	size_t	i;

	memset(q, 0, NELEM(rows) * sizeof(*q));
	for (i = 0; i < NELEM(rows); i++) {
		assert_true(dg_ip_parse(rows[i].ip, strlen(rows[i].ip),
		    &q[i].client));
		q[i].mail_from = rows[i].from;
		q[i].helo = "mta.example.com";
	}
}

static void
test_cache_same_verdicts(void **state)
{
	struct dg_resolver	*res = load(zone);
	struct dg_spf_query	 q[NELEM(rows)];
	struct dg_spf_verdict	*many, one;
	char			 row[64];
	size_t			 i;

	(void)state;
	fill(q);
	many = calloc(NELEM(rows), sizeof(*many));
	assert_non_null(many);
	assert_int_equal(dg_spf_check_many(res, q, NELEM(rows), many), DG_OK);
	for (i = 0; i < NELEM(rows); i++) {
		snprintf(row, sizeof(row), "row %zu %s %s", i, rows[i].ip,
		    rows[i].from);
		assert_int_equal(dg_spf_check(res, &q[i], &one), DG_OK);
		CHECK_INT(row, many[i].result, rows[i].want);
		same_verdict(row, &many[i], &one);
	}
	CHECK_STR("exp through the cache", many[3].explanation,
	    "10.0.0.1 not allowed for top.example.com");
	CHECK_STR("syntax error met twice", many[10].detail, many[8].detail);
	free(many);
	dg_resolver_free(res);
}

/* More distinct records than the table holds: all still right. */
static void
test_cache_overflow(void **state)
{
	enum { N = DG_SPF_PARSE_CACHE_MAX + 200 };
	struct dg_resolver	*res;
	struct dg_spf_query	*q;
	struct dg_spf_verdict	*v;
	char			*text, (*from)[64], ip[32];
	size_t			 len = 0, cap = (size_t)N * 80 + 64, i;

	(void)state;
	text = malloc(cap);
	q = calloc(2 * N, sizeof(*q));
	v = calloc(2 * N, sizeof(*v));
	from = calloc(N, sizeof(*from));
	assert_true(text != NULL && q != NULL && v != NULL && from != NULL);
	for (i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "d%zu.example. TXT \"v=spf1 ip4:10.%zu.%zu.1 -all\"\n", i,
		    i / 256, i % 256);
	res = load(text);
	/* Each domain twice: once from its own address (pass), once from
	 * the next domain's (fail), so a wrong cached record shows. */
	for (i = 0; i < 2 * N; i++) {
		size_t	d = i % N, a = i < N ? d : (d + 1) % N;

		snprintf(from[d], sizeof(from[d]), "u@d%zu.example", d);
		snprintf(ip, sizeof(ip), "10.%zu.%zu.1", a / 256, a % 256);
		assert_true(dg_ip_parse(ip, strlen(ip), &q[i].client));
		q[i].mail_from = from[d];
	}
	assert_int_equal(dg_spf_check_many(res, q, 2 * N, v), DG_OK);
	for (i = 0; i < 2 * N; i++) {
		char	row[64];

		snprintf(row, sizeof(row), "overflow query %zu", i);
		CHECK_INT(row, v[i].result, i < N ? DG_SPF_PASS :
		    DG_SPF_FAIL);
	}
	free(text);
	free(q);
	free(v);
	free(from);
	dg_resolver_free(res);
}

/* Every allocation fails in turn: DG_ENOMEM, no leak, no crash. */
static void
test_cache_enomem(void **state)
{
	struct dg_resolver	*res = load(zone);
	struct dg_spf_query	 q[NELEM(rows)];
	struct dg_spf_verdict	*v;
	enum dg_err		 err;
	unsigned long		 n;

	(void)state;
	fill(q);
	v = calloc(NELEM(rows), sizeof(*v));
	assert_non_null(v);
	for (n = 1; n < 100000; n++) {
		dg_alloc_fail_after(n);
		err = dg_spf_check_many(res, q, NELEM(rows), v);
		if (!dg_alloc_failed()) {
			dg_alloc_fail_after(0);
			assert_int_equal(err, DG_OK);
			break;
		}
		dg_alloc_fail_after(0);
		/* The cache falls back to per-evaluation parsing when its
		 * own memory fails, so some failures still end in DG_OK. */
		if (err != DG_OK && err != DG_ENOMEM)
			fail_msg("fail after %lu: %s", n, dg_strerror(err));
	}
	assert_true(n > 1);
	CHECK_INT("after the loop", v[0].result, DG_SPF_PASS);
	free(v);
	dg_resolver_free(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_same_verdicts),
		cmocka_unit_test(test_cache_overflow),
		cmocka_unit_test(test_cache_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
