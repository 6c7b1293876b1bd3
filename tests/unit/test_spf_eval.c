/*
 * tests/unit/test_spf_eval.c -- check_host() through dg_spf_check() over
 * an in-memory zone: results and reasons, the processing limits of RFC
 * 7208 4.6.4 at and one past each limit, include/redirect semantics,
 * exp=, HELO and the null sender, IPv4-mapped clients, DNS failures,
 * the lookup trace, and every allocation failing in turn.
 */
#include "testutil.h"

#include <dmarcguard/dns.h>
#include <dmarcguard/spf.h>

#include "util/alloc.h"

static const char zone[] =
	"$ORIGIN example.com.\n"
	"h         A 192.0.2.99\n"
	"h         AAAA 2001:db8::99\n"
	"ok        A 192.0.2.10\n"
	"mx1       A 192.0.2.20\n"
	"mx6       AAAA 2001:db8::20\n"
	"simple    TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
	"split     TXT \"v=spf1 \" \"ip4:192.0.2.1\" \" ~all\"\n"
	"neutral   TXT \"v=spf1 ip4:198.51.100.1\"\n"
	"multi     TXT \"v=spf1 -all\"\n"
	"multi     TXT \"v=spf1 +all\"\n"
	"other     TXT \"hello\"\n"
	"other     TXT \"v=spf10 +all\"\n"
	"syntax    TXT \"v=spf1 ip4:192.0.2.1/33 -all\"\n"
	"amech     TXT \"v=spf1 a:ok.example.com/24 a//64 -all\"\n"
	"amech     AAAA 2001:db8::1\n"
	"mxmech    TXT \"v=spf1 mx -all\"\n"
	"mxmech    MX 10 mx1.example.com.\n"
	"mxmech    MX 20 mx6.example.com.\n"
	"inc       TXT \"v=spf1 include:simple.example.com ?all\"\n"
	"incnone   TXT \"v=spf1 include:other.example.com -all\"\n"
	"inctemp   TXT \"v=spf1 include:slow.example.com -all\"\n"
	"incperm   TXT \"v=spf1 include:syntax.example.com -all\"\n"
	"incfail   TXT \"v=spf1 include:failer.example.com ~all\"\n"
	"failer    TXT \"v=spf1 -all exp=why.example.com\"\n"
	"redir     TXT \"v=spf1 ip4:203.0.113.1 redirect=simple.example.com\"\n"
	"redirall  TXT \"v=spf1 ?all redirect=simple.example.com\"\n"
	"redirnone TXT \"v=spf1 redirect=nothere.example.com\"\n"
	"explain   TXT \"v=spf1 -all exp=why.example.com\"\n"
	"why       TXT \"%{i} is not one of %{d}'s hosts\"\n"
	"explslow  TXT \"v=spf1 -all exp=slow.example.com\"\n"
	"exists    TXT \"v=spf1 exists:%{ir}.bl.example.com -all\"\n"
	"1.2.0.192.bl A 127.0.0.2\n"
	"helo      TXT \"v=spf1 a -all\"\n"
	"helo      A 192.0.2.7\n"
	"localpart TXT \"v=spf1 exists:%{l}.users.example.com -all\"\n"
	"postmaster.users A 127.0.0.1\n"
	"alice.users A 127.0.0.1\n"
	"ptrmech   TXT \"v=spf1 ptr:example.com -all\"\n"
	"7.2.0.192.in-addr.arpa. PTR helo.example.com.\n"
	"8.2.0.192.in-addr.arpa. PTR evil.example.net.\n"
	"evil.example.net. A 192.0.2.8\n"
	"$TIMEOUT slow\n"
	"$SERVFAIL broken\n"
	/* Limits: 10 DNS terms pass, the 11th is permerror. */
	"dns10     TXT \"v=spf1 a:h.example.com a:h.example.com "
	"a:h.example.com a:h.example.com a:h.example.com a:h.example.com "
	"a:h.example.com a:h.example.com a:h.example.com ip4:192.0.2.1 "
	"a:h.example.com -all\"\n"
	"dns11     TXT \"v=spf1 a:h.example.com a:h.example.com "
	"a:h.example.com a:h.example.com a:h.example.com a:h.example.com "
	"a:h.example.com a:h.example.com a:h.example.com a:h.example.com "
	"ip4:192.0.2.1 a:h.example.com -all\"\n"
	"dnsinc    TXT \"v=spf1 include:dns10.example.com mx:h.example.com "
	"-all\"\n"
	"void2     TXT \"v=spf1 a:nx1.example.com mx:nx2.example.com "
	"ip4:192.0.2.1 -all\"\n"
	"void3     TXT \"v=spf1 a:nx1.example.com mx:nx2.example.com "
	"exists:nx3.example.com ip4:192.0.2.1 -all\"\n"
	"mx10      TXT \"v=spf1 mx -all\"\n"
	"mx11      TXT \"v=spf1 mx -all\"\n"
	"loop1     TXT \"v=spf1 include:loop2.example.com -all\"\n"
	"loop2     TXT \"v=spf1 include:loop1.example.com -all\"\n"
	"rloop     TXT \"v=spf1 redirect=rloop.example.com\"\n"
	"mxslow    TXT \"v=spf1 mx -all\"\n"
	"mxslow    MX 10 slow.example.com.\n"
	"exprt     TXT \"v=spf1 -all exp=rt.example.com\"\n"
	"rt        TXT \"%{r} at %{t} for %{c}\"\n"
	"many      TXT \"v=spf1 mx:mx10.example.com mx:mx10.example.com "
	"mx:mx10.example.com mx:mx10.example.com mx:mx10.example.com "
	"mx:mx10.example.com -all\"\n"
	"badinc    TXT \"v=spf1 include:%{l}.example.com -all\"\n"
	"badredir  TXT \"v=spf1 redirect=%{l}.x.com\"\n";

static struct dg_resolver *
load_zone(void)
{
	static char		 text[16384];
	struct dg_resolver	*res = NULL;
	char			 err[256] = "";
	size_t			 len = strlen(zone);
	int			 i;

	/* mx10 and mx11: 10 and 11 MX names, the last one matching. */
	memcpy(text, zone, len);
	for (i = 1; i <= 11; i++) {
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "%smx%d.mxl A 192.0.2.%d\n"
		    "mx11 MX %d mx%d.mxl\n",
		    i <= 10 ? "mx10 MX 0 mxl\n" : "", i, 100 + i, i, i);
	}
	/* mx10's hosts are all "mxl": it has no address, not void. */
	len += (size_t)snprintf(text + len, sizeof(text) - len,
	    "mxl AAAA 2001:db8::77\n");
	if (dg_resolver_zone_text(text, len, "test", &res, err,
	    sizeof(err)) != DG_OK)
		fail_msg("zone: %s", err);
	return res;
}

static const struct {
	const char		*name;
	const char		*ip;
	const char		*mail_from;
	const char		*helo;
	enum dg_spf_result	 want;
	enum dg_spf_reason	 reason;
	const char		*mechanism;
	unsigned		 dns_queries;
} rows[] = {
	{ "ip4-pass", "192.0.2.1", "a@simple.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "ip4:192.0.2.0/24", 0 },
	{ "dash-all", "198.51.100.7", "a@simple.example.com", "x",
	  DG_SPF_FAIL, DG_SPF_R_MECHANISM, "-all", 0 },
	{ "split-strings", "192.0.2.2", "a@split.example.com", "x",
	  DG_SPF_SOFTFAIL, DG_SPF_R_MECHANISM, "~all", 0 },
	{ "default-neutral", "192.0.2.2", "a@neutral.example.com", "x",
	  DG_SPF_NEUTRAL, DG_SPF_R_DEFAULT, "", 0 },
	{ "v4mapped-ip4", "::ffff:192.0.2.1", "a@simple.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "ip4:192.0.2.0/24", 0 },
	{ "v6-not-ip4", "2001:db8::1", "a@simple.example.com", "x",
	  DG_SPF_FAIL, DG_SPF_R_MECHANISM, "-all", 0 },
	{ "multiple", "192.0.2.1", "a@multi.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_MULTIPLE, "", 0 },
	{ "no-spf-txt", "192.0.2.1", "a@other.example.com", "x",
	  DG_SPF_NONE, DG_SPF_R_NO_RECORD, "", 0 },
	{ "nxdomain", "192.0.2.1", "a@nowhere.example.com", "x",
	  DG_SPF_NONE, DG_SPF_R_NO_DOMAIN, "", 0 },
	{ "single-label", "192.0.2.1", "a@localhost", "x",
	  DG_SPF_NONE, DG_SPF_R_BAD_DOMAIN, "", 0 },
	{ "empty-label", "192.0.2.1", "a@foo..example.com", "x",
	  DG_SPF_NONE, DG_SPF_R_BAD_DOMAIN, "", 0 },
	{ "syntax", "192.0.2.1", "a@syntax.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_SYNTAX, "", 0 },
	{ "timeout", "192.0.2.1", "a@slow.example.com", "x",
	  DG_SPF_TEMPERROR, DG_SPF_R_DNS_ERROR, "", 0 },
	{ "servfail", "192.0.2.1", "a@broken.example.com", "x",
	  DG_SPF_TEMPERROR, DG_SPF_R_DNS_ERROR, "", 0 },
	{ "a-cidr", "192.0.2.200", "a@amech.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "a:ok.example.com/24", 1 },
	{ "a-cidr6", "2001:db8::ffff", "a@amech.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "a//64", 2 },
	{ "a-nomatch", "198.51.100.1", "a@amech.example.com", "x",
	  DG_SPF_FAIL, DG_SPF_R_MECHANISM, "-all", 2 },
	{ "mx-v4", "192.0.2.20", "a@mxmech.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "mx", 1 },
	{ "mx-v6", "2001:db8::20", "a@mxmech.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "mx", 1 },
	{ "include-pass", "192.0.2.5", "a@inc.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "include:simple.example.com", 1 },
	{ "include-nomatch", "198.51.100.5", "a@inc.example.com", "x",
	  DG_SPF_NEUTRAL, DG_SPF_R_MECHANISM, "?all", 1 },
	{ "include-fail-nomatch", "192.0.2.5", "a@incfail.example.com", "x",
	  DG_SPF_SOFTFAIL, DG_SPF_R_MECHANISM, "~all", 1 },
	{ "include-none", "192.0.2.5", "a@incnone.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_INCLUDE_NONE, "", 1 },
	{ "include-temperror", "192.0.2.5", "a@inctemp.example.com", "x",
	  DG_SPF_TEMPERROR, DG_SPF_R_DNS_ERROR, "", 1 },
	{ "include-permerror", "192.0.2.5", "a@incperm.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_SYNTAX, "", 1 },
	{ "redirect", "192.0.2.5", "a@redir.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "ip4:192.0.2.0/24", 1 },
	{ "redirect-ignored-with-all", "192.0.2.5", "a@redirall.example.com",
	  "x", DG_SPF_NEUTRAL, DG_SPF_R_MECHANISM, "?all", 0 },
	{ "redirect-none", "192.0.2.5", "a@redirnone.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_REDIRECT_NONE, "", 1 },
	{ "exists", "192.0.2.1", "a@exists.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM,
	  "exists:%{ir}.bl.example.com", 1 },
	{ "exists-v4mapped", "::ffff:192.0.2.1", "a@exists.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM,
	  "exists:%{ir}.bl.example.com", 1 },
	{ "ptr-validated", "192.0.2.7", "a@ptrmech.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "ptr:example.com", 1 },
	{ "ptr-other-domain", "192.0.2.8", "a@ptrmech.example.com", "x",
	  DG_SPF_FAIL, DG_SPF_R_MECHANISM, "-all", 1 },
	{ "ptr-no-ptr", "192.0.2.9", "a@ptrmech.example.com", "x",
	  DG_SPF_FAIL, DG_SPF_R_MECHANISM, "-all", 1 },
	{ "null-sender-helo", "192.0.2.7", "", "helo.example.com",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "a", 1 },
	{ "local-postmaster", "192.0.2.7", "", "localpart.example.com",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM,
	  "exists:%{l}.users.example.com", 1 },
	{ "local-alice", "192.0.2.7", "alice@localpart.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM,
	  "exists:%{l}.users.example.com", 1 },
	{ "local-bob", "192.0.2.7", "bob@localpart.example.com", "x",
	  DG_SPF_FAIL, DG_SPF_R_MECHANISM, "-all", 1 },
	{ "no-local-part", "192.0.2.7", "@localpart.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM,
	  "exists:%{l}.users.example.com", 1 },
	/* 4.6.4 limits, at and one past. */
	{ "dns-10", "192.0.2.1", "a@dns10.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "ip4:192.0.2.1", 9 },
	{ "dns-10-all", "198.51.100.1", "a@dns10.example.com", "x",
	  DG_SPF_FAIL, DG_SPF_R_MECHANISM, "-all", 10 },
	{ "dns-11", "198.51.100.1", "a@dns11.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_DNS_LIMIT, "", 10 },
	{ "dns-11-matched-first", "192.0.2.1", "a@dns11.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "ip4:192.0.2.1", 10 },
	{ "dns-11-via-include", "198.51.100.1", "a@dnsinc.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_DNS_LIMIT, "", 10 },
	{ "void-2", "192.0.2.1", "a@void2.example.com", "x",
	  DG_SPF_PASS, DG_SPF_R_MECHANISM, "ip4:192.0.2.1", 2 },
	{ "void-3", "192.0.2.1", "a@void3.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_VOID_LIMIT, "", 3 },
	{ "mx-10-names", "192.0.2.1", "a@mx10.example.com", "x",
	  DG_SPF_FAIL, DG_SPF_R_MECHANISM, "-all", 1 },
	{ "mx-11-names", "192.0.2.111", "a@mx11.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_MX_LIMIT, "", 1 },
	{ "include-loop", "192.0.2.1", "a@loop1.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_DNS_LIMIT, "", 10 },
	{ "mx-host-timeout", "192.0.2.1", "a@mxslow.example.com", "x",
	  DG_SPF_TEMPERROR, DG_SPF_R_DNS_ERROR, "", 1 },
	{ "include-bad-target", "192.0.2.1", "a..b@badinc.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_BAD_TARGET, "", 1 },
	{ "redirect-bad-target", "192.0.2.1", ".@badredir.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_BAD_TARGET, "", 1 },
	{ "redirect-loop", "192.0.2.1", "a@rloop.example.com", "x",
	  DG_SPF_PERMERROR, DG_SPF_R_DNS_LIMIT, "", 10 },
};

static void
test_eval_rows(void **state)
{
	struct dg_resolver	*res = load_zone();
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_spf_query	q;
		struct dg_spf_verdict	v;

		memset(&q, 0, sizeof(q));
		assert_true(dg_ip_parse(rows[i].ip, strlen(rows[i].ip),
		    &q.client));
		q.mail_from = rows[i].mail_from;
		q.helo = rows[i].helo;
		CHECK_INT(rows[i].name, dg_spf_check(res, &q, &v), DG_OK);
		if (v.result != rows[i].want)
			fail_msg("%s: got %s (%s), want %s", rows[i].name,
			    dg_spf_result_str(v.result), v.detail,
			    dg_spf_result_str(rows[i].want));
		CHECK_STR(rows[i].name, dg_spf_reason_str(v.reason),
		    dg_spf_reason_str(rows[i].reason));
		CHECK_STR(rows[i].name, v.mechanism, rows[i].mechanism);
		CHECK_INT(rows[i].name, v.dns_queries, rows[i].dns_queries);
		CHECK_INT(rows[i].name, v.scope, DG_SPF_SCOPE_MFROM);
	}
	dg_resolver_free(res);
}

static void
test_eval_explanation(void **state)
{
	struct dg_resolver	*res = load_zone();
	struct dg_spf_query	 q;
	struct dg_spf_verdict	 v;

	(void)state;
	memset(&q, 0, sizeof(q));
	assert_true(dg_ip_parse("192.0.2.1", 9, &q.client));
	q.mail_from = "a@explain.example.com";
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_INT("exp result", v.result, DG_SPF_FAIL);
	CHECK_STR("exp text", v.explanation,
	    "192.0.2.1 is not one of explain.example.com's hosts");
	CHECK_STR("exp domain", v.domain, "explain.example.com");
	/* A failed exp lookup leaves fail with no explanation. */
	q.mail_from = "a@explslow.example.com";
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_INT("exp timeout result", v.result, DG_SPF_FAIL);
	CHECK_STR("exp timeout text", v.explanation, "");
	/* An included record's exp= is not used (6.2). */
	q.mail_from = "a@incfail.example.com";
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_STR("include exp", v.explanation, "");
	/* %{r} %{t} %{c} come from the query. */
	q.mail_from = "a@exprt.example.com";
	q.receiver = "mx.receiver.example";
	q.now = 1700000000;
	assert_true(dg_ip_parse("::ffff:192.0.2.9", 16, &q.client));
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_STR("exp r t c", v.explanation,
	    "mx.receiver.example at 1700000000 for 192.0.2.9");
	q.receiver = NULL;
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_STR("exp r default", v.explanation,
	    "unknown at 1700000000 for 192.0.2.9");
	/* Not fail: no explanation even with exp=. */
	q.mail_from = "a@simple.example.com";
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_STR("pass no exp", v.explanation, "");
	dg_resolver_free(res);
}

static void
test_eval_helo_scope(void **state)
{
	struct dg_resolver	*res = load_zone();
	struct dg_spf_query	 q;
	struct dg_spf_verdict	 v;

	(void)state;
	memset(&q, 0, sizeof(q));
	assert_true(dg_ip_parse("192.0.2.7", 9, &q.client));
	q.mail_from = "bob@simple.example.com";
	q.helo = "helo.example.com";
	q.check_helo = true;
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_INT("helo result", v.result, DG_SPF_PASS);
	CHECK_INT("helo scope", v.scope, DG_SPF_SCOPE_HELO);
	CHECK_STR("helo domain", v.domain, "helo.example.com");
	/* HELO that is not a domain: none. */
	q.helo = "[192.0.2.7]";
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_INT("helo literal", v.result, DG_SPF_NONE);
	q.helo = NULL;
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_INT("helo null", v.result, DG_SPF_NONE);
	/* Explicit domain: check_host() starts there. */
	q.check_helo = false;
	q.mail_from = "bob@elsewhere.example.org";
	q.domain = "simple.example.com";
	assert_true(dg_ip_parse("192.0.2.1", 9, &q.client));
	assert_int_equal(dg_spf_check(res, &q, &v), DG_OK);
	CHECK_INT("domain override", v.result, DG_SPF_PASS);
	CHECK_STR("domain override name", v.domain, "simple.example.com");
	/* Caller bugs. */
	memset(&q.client, 0, sizeof(q.client));
	assert_int_equal(dg_spf_check(res, &q, &v), DG_EINVAL);
	assert_int_equal(dg_spf_check(NULL, &q, &v), DG_EINVAL);
	assert_int_equal(dg_spf_check(res, NULL, &v), DG_EINVAL);
	dg_resolver_free(res);
}

static void
test_eval_trace(void **state)
{
	struct dg_resolver	*res = load_zone();
	struct dg_spf_query	 q[2];
	struct dg_spf_verdict	 v[2];

	(void)state;
	memset(q, 0, sizeof(q));
	assert_true(dg_ip_parse("192.0.2.20", 10, &q[0].client));
	q[0].mail_from = "a@mxmech.example.com";
	assert_true(dg_ip_parse("198.51.100.1", 12, &q[1].client));
	q[1].mail_from = "a@void3.example.com";
	assert_int_equal(dg_spf_check_many(res, q, 2, v), DG_OK);
	CHECK_INT("mx trace len", v[0].trace_len, 3);
	CHECK_INT("mx lookups", v[0].lookups, 3);
	CHECK_STR("trace 0 name", v[0].trace[0].name, "mxmech.example.com");
	CHECK_STR("trace 0 type", dg_dns_type_str(v[0].trace[0].type), "TXT");
	CHECK_STR("trace 1 type", dg_dns_type_str(v[0].trace[1].type), "MX");
	CHECK_INT("trace 1 count", v[0].trace[1].count, 2);
	CHECK_STR("trace 2 name", v[0].trace[2].name, "mx1.example.com");
	CHECK_STR("trace 2 status", dg_dns_status_str(v[0].trace[2].status),
	    "ok");
	CHECK_INT("void3 voids", v[1].void_lookups, 3);
	CHECK_STR("void3 nx1 status", dg_dns_status_str(v[1].trace[1].status),
	    "nxdomain");
	CHECK_STR("void3 detail", v[1].detail,
	    "more than 2 void lookups at exists:nx3.example.com");
	/* Include depth is recorded. */
	q[0].mail_from = "a@inc.example.com";
	assert_int_equal(dg_spf_check(res, &q[0], &v[0]), DG_OK);
	CHECK_STR("inc trace 1", v[0].trace[1].name, "simple.example.com");
	CHECK_INT("inc trace 1 depth", v[0].trace[1].depth, 1);
	assert_int_equal(dg_spf_check_many(res, q, 0, NULL), DG_OK);
	/* 1 TXT + 6 x (MX + 10 A) = 67 lookups: the trace keeps 64. */
	q[0].mail_from = "a@many.example.com";
	assert_int_equal(dg_spf_check(res, &q[0], &v[0]), DG_OK);
	CHECK_INT("many result", v[0].result, DG_SPF_FAIL);
	CHECK_INT("many lookups", v[0].lookups, 67);
	CHECK_INT("many trace", v[0].trace_len, DG_SPF_TRACE_LEN);
	CHECK_INT("many queries", v[0].dns_queries, 6);
	dg_resolver_free(res);
}

/* Every allocation fails in turn: DG_ENOMEM, no leak, no crash. */
static void
test_eval_enomem(void **state)
{
	static const char *const froms[] = {
		"a@exists.example.com", "a@explain.example.com",
		"a@dnsinc.example.com", "a@ptrmech.example.com",
		"a@mxmech.example.com", "a@multi.example.com",
	};
	struct dg_resolver	*res = load_zone();
	struct dg_spf_query	 q;
	struct dg_spf_verdict	 v, ref;
	unsigned long		 n;
	size_t			 i;
	enum dg_err		 err;

	(void)state;
	for (i = 0; i < NELEM(froms); i++) {
		memset(&q, 0, sizeof(q));
		assert_true(dg_ip_parse("192.0.2.7", 9, &q.client));
		q.mail_from = froms[i];
		assert_int_equal(dg_spf_check(res, &q, &ref), DG_OK);
		for (n = 1; n < 10000; n++) {
			dg_alloc_fail_after(n);
			err = dg_spf_check(res, &q, &v);
			dg_alloc_fail_after(0);
			if (err == DG_OK) {
				CHECK_INT(froms[i], v.result, ref.result);
				break;
			}
			CHECK_INT(froms[i], err, DG_ENOMEM);
		}
		assert_true(n > 1 && n < 10000);
	}
	dg_resolver_free(res);
}

static void
test_enum_names(void **state)
{
	enum dg_spf_result	r;

	(void)state;
	CHECK_STR("pass", dg_spf_result_str(DG_SPF_PASS), "pass");
	CHECK_STR("permerror", dg_spf_result_str(DG_SPF_PERMERROR),
	    "permerror");
	CHECK_STR("bad", dg_spf_result_str((enum dg_spf_result)99),
	    "unknown");
	assert_true(dg_spf_result_parse("SoftFail", &r));
	CHECK_INT("parse", r, DG_SPF_SOFTFAIL);
	assert_false(dg_spf_result_parse("unset", &r));
	assert_false(dg_spf_result_parse("passed", &r));
	CHECK_STR("scope", dg_spf_scope_str(DG_SPF_SCOPE_HELO), "helo");
	CHECK_STR("issue", dg_spf_issue_str(DG_SPF_I_PASS_ALL), "pass-all");
	CHECK_STR("reason", dg_spf_reason_str(DG_SPF_R_VOID_LIMIT),
	    "void lookup limit exceeded");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eval_rows),
		cmocka_unit_test(test_eval_explanation),
		cmocka_unit_test(test_eval_helo_scope),
		cmocka_unit_test(test_eval_trace),
		cmocka_unit_test(test_eval_enomem),
		cmocka_unit_test(test_enum_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
