/*
 * tests/unit/test_dmarc_shield.c -- the local "p=none shield": the
 * advisory's two samples end to end (header -> DMARC -> shield -> A-R),
 * each signal alone, what it must leave alone, the look-alike rule, the
 * free-mail list and the configuration keys.
 */
#include "testutil.h"

#include <dmarcguard/ar.h>
#include <dmarcguard/dmarc_shield.h>

#include "util/alloc.h"

static const char zone[] =
    "$TTL 300\n"
    "_dmarc.thinktank.example. TXT \"v=DMARC1; p=none; "
    "rua=mailto:dmarc@thinktank.example\"\n"
    "thinktank.example. A 192.0.2.10\n"
    "_dmarc.university.example. TXT \"v=DMARC1; p=none\"\n"
    "newsoutlet.example. A 192.0.2.20\n"
    "_dmarc.strong.example. TXT \"v=DMARC1; p=reject\"\n"
    "_dmarc.quar.example. TXT \"v=DMARC1; p=quarantine\"\n"
    "_dmarc.testing.example. TXT \"v=DMARC1; p=reject; t=y\"\n"
    "_dmarc.pct.example. TXT \"v=DMARC1; p=quarantine; pct=0\"\n";

static const char freemail[] =
    "# test list\n"
    "gmail.com\n"
    "outlook.com   # comment\n"
    "\n"
    "Yahoo.COM\n";

static struct dg_psl	*psl;

struct row {
	const char		*name;
	enum dg_dmarc_mode	 mode;
	const char		*hdr;
	const char		*mail_from;
	const char		*dkim_d;	/* one passing signature */
	bool			 enabled;
	const char		*dmarc;		/* want */
	const char		*published;	/* disposition by policy */
	const char		*final;		/* after the shield */
	unsigned		 signals;
	const char		*reason;
};

#define RTD	DG_SHIELD_SIG_REPLY_TO_DIFFERS
#define RTF	DG_SHIELD_SIG_REPLY_TO_FREEMAIL
#define LKA	DG_SHIELD_SIG_LOOKALIKE

static const struct row rows[] = {
	{ "advisory-a", DG_DMARC_MODE_RFC9989,
	    "From: \"Dr. A. Analyst\" <analyst@thinktank.example>\r\n"
	    "Reply-To: <analyst.office@thinktank-research.example>\r\n",
	    "bounce@university.example", "university.example", true,
	    "fail", "none", "quarantine", RTD,
	    "policy none published; quarantined by local policy: reply-to "
	    "domain differs" },
	{ "advisory-b", DG_DMARC_MODE_RFC9989,
	    "From: Reporter <reporter@newsoutlet.example>\r\n"
	    "Sender: reporter@newsoutlet.example\r\n"
	    "Reply-To: reporter.newsoutlet@gmail.com\r\n",
	    "x@attacker.example", NULL, true, "none", "none", "quarantine",
	    RTD | RTF,
	    "no DMARC policy published; quarantined by local policy: "
	    "reply-to domain differs, reply-to at a free-mail provider" },
	{ "advisory-a-shield-off", DG_DMARC_MODE_RFC9989,
	    "From: analyst@thinktank.example\r\n"
	    "Reply-To: analyst.office@thinktank-research.example\r\n",
	    "bounce@university.example", "university.example", false,
	    "fail", "none", "none", 0, "" },
	{ "same-org-reply-to", DG_DMARC_MODE_RFC9989,
	    "From: a@thinktank.example\r\n"
	    "Reply-To: b@lists.thinktank.example\r\n",
	    "x@attacker.example", NULL, true, "fail", "none", "none", 0, "" },
	{ "no-signal", DG_DMARC_MODE_RFC9989,
	    "From: a@thinktank.example\r\n", "x@attacker.example", NULL, true,
	    "fail", "none", "none", 0, "" },
	{ "pass-untouched", DG_DMARC_MODE_RFC9989,
	    "From: a@thinktank.example\r\nReply-To: x@gmail.com\r\n",
	    "b@thinktank.example", "thinktank.example", true, "pass", "none",
	    "none", 0, "" },
	{ "strong-policy-untouched", DG_DMARC_MODE_RFC9989,
	    "From: a@strong.example\r\nReply-To: x@gmail.com\r\n",
	    "x@attacker.example", NULL, true, "fail", "reject", "reject", 0,
	    "" },
	{ "quarantine-not-raised", DG_DMARC_MODE_RFC9989,
	    "From: a@quar.example\r\nReply-To: x@gmail.com\r\n",
	    "x@attacker.example", NULL, true, "fail", "quarantine",
	    "quarantine", 0, "" },
	{ "testing-is-weak", DG_DMARC_MODE_RFC9989,
	    "From: a@testing.example\r\nReply-To: x@gmail.com\r\n",
	    "x@attacker.example", NULL, true, "fail", "quarantine",
	    "quarantine", 0, "" },
	{ "pct-is-weak", DG_DMARC_MODE_RFC7489,
	    "From: a@pct.example\r\nReply-To: x@other.example\r\n",
	    "x@attacker.example", NULL, true, "fail", "none", "quarantine",
	    RTD, "policy quarantine with pct=0 published; quarantined by "
	    "local policy: reply-to domain differs" },
	{ "freemail-from-freemail-reply", DG_DMARC_MODE_RFC9989,
	    "From: a@gmail.com\r\nReply-To: b@outlook.com\r\n",
	    "x@attacker.example", NULL, true, "none", "none", "quarantine",
	    RTD, "no DMARC policy published; quarantined by local policy: "
	    "reply-to domain differs" },
	{ "lookalike", DG_DMARC_MODE_RFC9989,
	    "From: a@think-tank.example\r\n",
	    "x@attacker.example", NULL, true, "none", "none", "quarantine",
	    LKA, "no DMARC policy published; quarantined by local policy: "
	    "from domain looks like a protected domain" },
	{ "reply-to-display-name-ignored", DG_DMARC_MODE_RFC9989,
	    "From: a@thinktank.example\r\n"
	    "Reply-To: \"x@gmail.com\" <b@thinktank.example>\r\n",
	    "x@attacker.example", NULL, true, "fail", "none", "none", 0, "" },
};

static void
test_rows(void **state)
{
	struct dg_resolver	*res = NULL;
	char			 err[256];
	size_t			 i;

	(void)state;
	assert_int_equal(dg_resolver_zone_text(zone, sizeof(zone) - 1,
	    "shield", &res, err, sizeof(err)), DG_OK);
	for (i = 0; i < NELEM(rows); i++) {
		const struct row		*r = &rows[i];
		struct dg_arena			*a = dg_arena_new(0);
		struct dg_shield_config		 c;
		struct dg_msg_hdr		 h;
		struct dg_msg_from		 from;
		struct dg_dkim_sig_result	 sig;
		struct dg_dmarc_eval_input	 in;
		struct dg_dmarc_eval_opts	 o;
		struct dg_dmarc_verdict		 v;
		struct dg_shield_verdict	 sv;
		static const char *const	 prot[] = {
			"thinktank.example", "newsoutlet.example"
		};

		dg_shield_config_init(&c);
		c.enabled = r->enabled;
		assert_int_equal(dg_shield_freemail_load(a, freemail,
		    sizeof(freemail) - 1, &c, err, sizeof(err)), DG_OK);
		c.protected_domains = prot;
		c.nprotected = 2;
		assert_int_equal(dg_msg_hdr_parse(a, r->hdr, strlen(r->hdr), 0,
		    &h, NULL), DG_OK);
		assert_int_equal(dg_msg_from_extract(a, &h, &from), DG_OK);
		memset(&sig, 0, sizeof(sig));
		sig.domain = r->dkim_d;
		sig.selector = "s";
		sig.result = DG_DKIM_PASS;
		memset(&in, 0, sizeof(in));
		in.from = &from;
		in.spf = DG_SPF_PASS;
		in.mail_from = r->mail_from;
		in.dkim = &sig;
		in.ndkim = r->dkim_d != NULL ? 1 : 0;
		memset(&o, 0, sizeof(o));
		o.mode = r->mode;
		o.psl = psl;
		CHECK_INT(r->name, dg_dmarc_evaluate(res, a, &in, &o, &v),
		    DG_OK);
		CHECK_STR(r->name, dg_dmarc_result_str(v.result), r->dmarc);
		CHECK_STR(r->name, dg_dmarc_disposition_str(v.disposition),
		    r->published);
		CHECK_INT(r->name, dg_shield_apply(&c, a, &v, &h, &sv), DG_OK);
		CHECK_STR(r->name, dg_dmarc_disposition_str(sv.disposition),
		    r->final);
		CHECK_INT(r->name, sv.signals, r->signals);
		CHECK_INT(r->name, sv.raised, r->signals != 0);
		CHECK_STR(r->name, sv.reason, r->reason);
		dg_arena_free(a);
	}
	dg_resolver_free(res);
}

/* Advisory (a) down to the header we would add. */
static void
test_advisory_ar(void **state)
{
	struct dg_resolver		*res = NULL;
	struct dg_arena			*a = dg_arena_new(0);
	struct dg_shield_config		 c;
	struct dg_msg_hdr		 h;
	struct dg_msg_from		 from;
	struct dg_dkim_sig_result	 sig;
	struct dg_dmarc_eval_input	 in;
	struct dg_dmarc_verdict		 v;
	struct dg_shield_verdict	 sv;
	struct dg_ar_gen		 g;
	const char			*out;
	char				 err[256];
	static const char		 hdr[] =
	    "From: \"Dr. A. Analyst\" <analyst@thinktank.example>\r\n"
	    "Reply-To: <analyst.office@thinktank-research.example>\r\n";

	(void)state;
	assert_int_equal(dg_resolver_zone_text(zone, sizeof(zone) - 1,
	    "shield", &res, err, sizeof(err)), DG_OK);
	dg_shield_config_init(&c);
	c.enabled = true;
	assert_int_equal(dg_msg_hdr_parse(a, hdr, sizeof(hdr) - 1, 0, &h,
	    NULL), DG_OK);
	assert_int_equal(dg_msg_from_extract(a, &h, &from), DG_OK);
	memset(&sig, 0, sizeof(sig));
	sig.domain = "university.example";
	sig.selector = "s2024";
	sig.result = DG_DKIM_PASS;
	sig.alg = DG_DKIM_ALG_RSA_SHA256;
	sig.key_bits = 2048;
	sig.b_prefix = "Tq1xYz9A";
	memset(&in, 0, sizeof(in));
	in.from = &from;
	in.spf = DG_SPF_PASS;
	in.mail_from = "bounce@university.example";
	in.dkim = &sig;
	in.ndkim = 1;
	assert_int_equal(dg_dmarc_evaluate(res, a, &in, NULL, &v), DG_OK);
	assert_int_equal(dg_shield_apply(&c, a, &v, &h, &sv), DG_OK);
	memset(&g, 0, sizeof(g));
	g.authserv_id = "mx.receiver.example";
	g.spf.result = DG_SPF_PASS;
	g.spf.mail_from = "bounce@university.example";
	g.dkim = &sig;
	g.ndkim = 1;
	g.dmarc = &v;
	g.shield = &sv;
	assert_int_equal(dg_ar_generate(a, &g, &out), DG_OK);
	CHECK_STR("advisory-a-ar", out, "mx.receiver.example;\r\n"
	    "\tspf=pass smtp.mailfrom=bounce@university.example;\r\n"
	    "\tdkim=pass (2048-bit key) header.d=university.example "
	    "header.s=s2024 header.a=rsa-sha256 header.b=Tq1xYz9A;\r\n"
	    "\tdmarc=fail (p=none dis=quarantine; policy none published; "
	    "quarantined by local policy: reply-to domain differs) "
	    "header.from=thinktank.example policy.dmarc=quarantine");
	dg_arena_free(a);
	dg_resolver_free(res);
}

static const struct {
	const char	*domain;
	const char	*prot;
	unsigned	 dist;
	bool		 want;
} look[] = {
	{ "example.com", "example.com", 1, false },
	{ "mail.example.com", "example.com", 1, false },
	{ "examp1e.com", "example.com", 0, true },	/* 1 -> l */
	{ "exarnple.com", "example.com", 0, true },	/* rn -> m */
	{ "example.co", "example.com", 0, true },	/* other TLD */
	{ "example.co.uk", "example.com", 0, true },
	{ "exa-mple.com", "example.com", 0, true },	/* hyphen */
	{ "xn--exmple-cua.com", "example.com", 0, true },	/* U+00E4 */
	{ "xn--pple-43d.com", "apple.com", 0, true },	/* Cyrillic a */
	{ "exampel.com", "example.com", 1, true },	/* transposition */
	{ "exampel.com", "example.com", 0, false },
	{ "exmple.com", "example.com", 1, true },	/* deletion */
	{ "exxample.com", "example.com", 1, true },	/* insertion */
	{ "eksample.com", "example.com", 1, false },	/* distance 2 */
	{ "eksample.com", "example.com", 2, true },
	{ "example.com.evil.net", "example.com", 0, true },
	{ "ibm.com", "ibn.com", 1, false },		/* short names */
	{ "unrelated.org", "example.com", 1, false },
	{ "", "example.com", 1, false },
	{ "com", "example.com", 1, false },
	{ "xn--zzzz-.com", "example.com", 1, false },	/* bad A-label */
};

static void
test_lookalike(void **state)
{
	size_t	i;
	char	name[300];

	(void)state;
	for (i = 0; i < NELEM(look); i++) {
		snprintf(name, sizeof(name), "%s~%s/%u", look[i].domain,
		    look[i].prot, look[i].dist);
		CHECK_INT(name, dg_shield_lookalike(look[i].domain,
		    look[i].prot, look[i].dist), look[i].want);
	}
}

static void
test_freemail(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_shield_config	 c;
	char			 err[128];
	char			*text;
	size_t			 len;

	(void)state;
	dg_shield_config_init(&c);
	assert_int_equal(dg_shield_freemail_load(a, freemail,
	    sizeof(freemail) - 1, &c, err, sizeof(err)), DG_OK);
	CHECK_INT("n", c.nfreemail, 3);
	CHECK_INT("gmail", dg_shield_is_freemail(&c, "GMail.com."), true);
	CHECK_INT("sub", dg_shield_is_freemail(&c, "mx.yahoo.com"), true);
	CHECK_INT("other", dg_shield_is_freemail(&c, "gmail.com.evil.net"),
	    false);
	CHECK_INT("bad-line", dg_shield_freemail_load(a, "gmail.com\nno "
	    "way\n", 15, &c, err, sizeof(err)), DG_ESYNTAX);
	CHECK_STR("bad-line", err, "line 2: not a domain");
	/* the shipped list loads, has a few hundred entries, and its
	 * headline providers */
	text = test_read_file("../data/freemail.txt", &len);
	assert_non_null(text);
	assert_int_equal(dg_shield_freemail_load(a, text, len, &c, err,
	    sizeof(err)), DG_OK);
	if (c.nfreemail < 250)
		fail_msg("shipped list: %zu entries", c.nfreemail);
	CHECK_INT("shipped-gmail", dg_shield_is_freemail(&c, "gmail.com"),
	    true);
	CHECK_INT("shipped-proton", dg_shield_is_freemail(&c, "proton.me"),
	    true);
	CHECK_INT("shipped-univ", dg_shield_is_freemail(&c,
	    "university.example"), false);
	free(text);
	dg_arena_free(a);
}

static const struct {
	const char	*name;
	const char	*text;
	enum dg_err	 err;
	const char	*msg;
} cfg[] = {
	{ "ok", "# comment\n"
	    "milter.socket = inet:8891@localhost   # other section\n"
	    "shield.enabled = yes\n"
	    "shield.action = reject\n"
	    "shield.reply_to_freemail = off\n"
	    "shield.protected_domains = Example.COM, example.org  bank.test\n"
	    "shield.lookalike_distance = 2\n"
	    "dmarc.mode = rfc7489\n"
	    "dmarc.bad_from = quarantine\n", DG_OK, "" },
	{ "unknown-key", "shield.enable = yes\n", DG_ESYNTAX,
	    "line 1: unknown key" },
	{ "bad-bool", "\n\nshield.enabled = maybe\n", DG_ESYNTAX,
	    "line 3: bad value" },
	{ "bad-action", "shield.action = none\n", DG_ESYNTAX,
	    "line 1: bad value" },
	{ "bad-distance", "shield.lookalike_distance = 9\n", DG_ESYNTAX,
	    "line 1: lookalike_distance must be 0 to 3" },
	{ "no-equals", "shield.enabled\n", DG_ESYNTAX,
	    "line 1: expected key = value" },
	{ "bad-domain", "shield.protected_domains = a..b\n", DG_ESYNTAX,
	    "line 1: protected_domains: not a list of domains" },
	{ "missing-file", "shield.freemail_file = /nonexistent/x.txt\n",
	    DG_EIO, "line 1: freemail_file: can't read it" },
	{ "shipped-file", "shield.freemail_file = ../data/freemail.txt\n",
	    DG_OK, "" },
};

static void
test_config(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cfg); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_shield_config	 c;
		char			 err[128] = "";

		CHECK_INT(cfg[i].name, dg_shield_config_parse(a, cfg[i].text,
		    strlen(cfg[i].text), &c, err, sizeof(err)), cfg[i].err);
		CHECK_STR(cfg[i].name, err, cfg[i].msg);
		if (i == 0) {
			CHECK_INT("ok", c.enabled, true);
			CHECK_INT("ok", c.action, DG_DMARC_DISP_REJECT);
			CHECK_INT("ok", c.signals,
			    DG_SHIELD_SIG_REPLY_TO_DIFFERS |
			    DG_SHIELD_SIG_LOOKALIKE);
			CHECK_INT("ok", c.nprotected, 3);
			CHECK_STR("ok", c.protected_domains[0], "example.com");
			CHECK_STR("ok", c.protected_domains[2], "bank.test");
			CHECK_INT("ok", c.lookalike_distance, 2);
			CHECK_INT("ok", c.mode, DG_DMARC_MODE_RFC7489);
			CHECK_INT("ok", c.bad_from, DG_DMARC_DISP_QUARANTINE);
		}
		dg_arena_free(a);
	}
	/* defaults: off */
	{
		struct dg_shield_config	c;

		dg_shield_config_init(&c);
		CHECK_INT("default-off", c.enabled, false);
		CHECK_INT("default-action", c.action,
		    DG_DMARC_DISP_QUARANTINE);
		CHECK_INT("default-bad-from", c.bad_from,
		    DG_DMARC_DISP_REJECT);
	}
}

/* The shipped example configuration turns the shield on. */
static void
test_example_config(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_shield_config	 c;
	char			 err[128] = "";
	char			*text;
	size_t			 len;

	(void)state;
	text = test_read_file("../examples/dmarcguard.conf", &len);
	assert_non_null(text);
	/* parsed as shipped: nothing in it names an installed path */
	CHECK_INT("example", dg_shield_config_parse(a, text, len, &c, err,
	    sizeof(err)), DG_OK);
	CHECK_STR("example", err, "");
	CHECK_INT("example-on", c.enabled, true);
	free(text);
	dg_arena_free(a);
}

static int
setup(void **state)
{
	(void)state;
	return dg_psl_new_system(&psl) == DG_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	dg_psl_free(psl);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_advisory_ar),
		cmocka_unit_test(test_lookalike),
		cmocka_unit_test(test_freemail),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_example_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
