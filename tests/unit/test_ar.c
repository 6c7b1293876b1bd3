/*
 * tests/unit/test_ar.c -- Authentication-Results: the generator's exact
 * output, injection attempts through message values (the class of
 * OpenDMARC CVE-2020-12272) parsed back to prove nothing escaped, and the
 * parser on real-world, odd and hostile field values.
 */
#include "testutil.h"

#include <dmarcguard/ar.h>

#include "util/alloc.h"
#include "util/str.h"

static struct dg_dkim_sig_result
sig(const char *d, const char *s, enum dg_dkim_result r, const char *b)
{
	struct dg_dkim_sig_result	x;

	memset(&x, 0, sizeof(x));
	x.domain = d;
	x.selector = s;
	x.result = r;
	x.alg = DG_DKIM_ALG_RSA_SHA256;
	x.key_bits = 2048;
	x.b_prefix = b;
	x.reason = r == DG_DKIM_PASS ? DG_DKIM_R_OK : DG_DKIM_R_SIG_MISMATCH;
	return x;
}

static void
test_generate(void **state)
{
	struct dg_arena			*a = dg_arena_new(0);
	struct dg_ar_gen		 g;
	struct dg_dmarc_verdict		 v;
	struct dg_shield_verdict	 sh;
	struct dg_dkim_sig_result	 s[2];
	const char			*out;

	(void)state;
	memset(&g, 0, sizeof(g));
	memset(&v, 0, sizeof(v));
	memset(&sh, 0, sizeof(sh));
	s[0] = sig("university.example", "sel1", DG_DKIM_PASS, "AbC/d+Ef");
	s[1] = sig("other.example", "s2", DG_DKIM_FAIL, "zzzzzzzzXYZ");
	g.authserv_id = "mx.receiver.example";
	g.spf.result = DG_SPF_PASS;
	g.spf.mail_from = "bounce@university.example";
	g.spf.helo = "mail.university.example";
	g.dkim = s;
	g.ndkim = 2;
	g.arc = "none";
	v.result = DG_DMARC_RESULT_FAIL;
	v.from_domain = "thinktank.example";
	v.policy = DG_DMARC_POLICY_NONE;
	v.policy_tag = DG_DMARC_PTAG_P;
	v.disposition = DG_DMARC_DISP_NONE;
	sh.raised = true;
	sh.disposition = DG_DMARC_DISP_QUARANTINE;
	dg_strlcpy(sh.reason, "policy none published; quarantined by local "
	    "policy: reply-to domain differs", sizeof(sh.reason));
	g.dmarc = &v;
	g.shield = &sh;
	assert_int_equal(dg_ar_generate(a, &g, &out), DG_OK);
	CHECK_STR("full", out,
	    "mx.receiver.example;\r\n"
	    "\tspf=pass smtp.mailfrom=bounce@university.example;\r\n"
	    "\tdkim=pass (2048-bit key) header.d=university.example "
	    "header.s=sel1 header.a=rsa-sha256 header.b=\"AbC/d+Ef\";\r\n"
	    "\tdkim=fail (sig_mismatch) header.d=other.example header.s=s2 "
	    "header.a=rsa-sha256 header.b=zzzzzzzz;\r\n"
	    "\tarc=none;\r\n"
	    "\tdmarc=fail (p=none dis=quarantine; policy none published; "
	    "quarantined by local policy: reply-to domain differs) "
	    "header.from=thinktank.example policy.dmarc=quarantine");

	/* null path: smtp.helo; LF folding; nothing else */
	memset(&g, 0, sizeof(g));
	g.authserv_id = "mx.receiver.example";
	g.spf.result = DG_SPF_NONE;
	g.spf.mail_from = "";
	g.spf.helo = "helo.example";
	g.dkim_none = true;
	g.lf = true;
	assert_int_equal(dg_ar_generate(a, &g, &out), DG_OK);
	CHECK_STR("helo", out, "mx.receiver.example;\n\tspf=none "
	    "smtp.helo=helo.example;\n\tdkim=none");

	memset(&g, 0, sizeof(g));
	g.authserv_id = "mx.receiver.example";
	assert_int_equal(dg_ar_generate(a, &g, &out), DG_OK);
	CHECK_STR("none", out, "mx.receiver.example; none");

	g.authserv_id = "bad id;";
	CHECK_INT("bad-authserv", dg_ar_generate(a, &g, &out), DG_EINVAL);
	g.authserv_id = "mx.example";
	g.arc = "pass; dmarc=pass";
	CHECK_INT("bad-arc", dg_ar_generate(a, &g, &out), DG_EINVAL);
	dg_arena_free(a);
}

/* Values from the message with ; ( ) " \ CR LF and new fields. */
static const struct {
	const char	*name;
	const char	*from_domain;
	const char	*mail_from;
	const char	*selector;
	const char	*want_from;	/* header.from as parsed back */
	const char	*want_mf;
} inj[] = {
	{ "semicolon", "evil.example; dmarc=pass", "a@b.example",
	    "s", "evil.example; dmarc=pass", "a@b.example" },
	{ "paren", "evil.example (x) dmarc=pass", "x(y)@b.example",
	    "s(", "evil.example (x) dmarc=pass", "x(y)@b.example" },
	{ "newline-field", "evil.example\r\nX-Injected: yes",
	    "a@b.example\r\n\r\nbody", "s\n", "evil.example??X-Injected: yes",
	    "a@b.example????body" },
	{ "quote-backslash", "evil\"example\\", "\"q\\\"@b.example",
	    "\"", "evil\"example\\", "\"q\\\"@b.example" },
	{ "non-ascii", "\xc3\xa9vil.example", "a@b.example", "s",
	    "??vil.example", "a@b.example" },
};

static void
test_injection(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(inj); i++) {
		struct dg_arena			*a = dg_arena_new(0);
		struct dg_ar_gen		 g;
		struct dg_dmarc_verdict		 v;
		struct dg_dkim_sig_result	 s;
		struct dg_ar			 ar;
		struct dg_msg_error		 e;
		const struct dg_ar_result	*r;
		const char			*out, *p;

		memset(&g, 0, sizeof(g));
		memset(&v, 0, sizeof(v));
		s = sig("d.example", inj[i].selector, DG_DKIM_PASS, "b");
		v.result = DG_DMARC_RESULT_FAIL;
		v.from_domain = inj[i].from_domain;
		v.policy = DG_DMARC_POLICY_REJECT;
		v.disposition = DG_DMARC_DISP_REJECT;
		dg_strlcpy(v.reasons[0], "reason with ) ( \\ ;\r\nX: y",
		    sizeof(v.reasons[0]));
		v.nreasons = 1;
		g.authserv_id = "mx.example";
		g.spf.result = DG_SPF_FAIL;
		g.spf.mail_from = inj[i].mail_from;
		g.spf.comment = "c)(omment\r\n";
		g.dkim = &s;
		g.ndkim = 1;
		g.dmarc = &v;
		assert_int_equal(dg_ar_generate(a, &g, &out), DG_OK);
		/* only our folds: every CR is followed by LF TAB */
		for (p = out; (p = strchr(p, '\r')) != NULL; p++)
			if (p[1] != '\n' || p[2] != '\t')
				fail_msg("%s: bare CR in %s", inj[i].name, out);
		for (p = out; (p = strchr(p, '\n')) != NULL; p++)
			if (p == out || p[-1] != '\r' || p[1] != '\t')
				fail_msg("%s: bare LF in %s", inj[i].name, out);
		/* parse it back: exactly our three results */
		if (dg_ar_parse(a, out, strlen(out), 0, &ar, &e) != DG_OK)
			fail_msg("%s: reparse: %s in %s", inj[i].name, e.msg,
			    out);
		CHECK_INT(inj[i].name, ar.nresults, 3);
		CHECK_STR(inj[i].name, ar.results[0].method, "spf");
		CHECK_STR(inj[i].name, ar.results[1].method, "dkim");
		CHECK_STR(inj[i].name, ar.results[2].method, "dmarc");
		CHECK_STR(inj[i].name, ar.results[2].result, "fail");
		r = dg_ar_find(&ar, "dmarc");
		CHECK_STR(inj[i].name, dg_ar_prop_get(r, "header", "from"),
		    inj[i].want_from);
		CHECK_STR(inj[i].name, dg_ar_prop_get(r, "policy", "dmarc"),
		    "reject");
		CHECK_INT(inj[i].name, r->nprops, 2);
		r = dg_ar_find(&ar, "spf");
		CHECK_STR(inj[i].name, dg_ar_prop_get(r, "smtp", "mailfrom"),
		    inj[i].want_mf);
		CHECK_STR(inj[i].name, r->comment, "c\\)\\(omment??");
		dg_arena_free(a);
	}
}

struct prow {
	const char	*name;
	unsigned	 flags;
	const char	*in;
	enum dg_err	 err;
	const char	*authserv;
	unsigned	 version;
	bool		 none;
	size_t		 n;
	/* the first result */
	const char	*method;
	const char	*result;
	const char	*reason;
	const char	*comment;
	const char	*ptype, *prop, *value;	/* its first property */
	unsigned	 instance;
};

static const struct prow prows[] = {
	{ "rfc8601-b2", 0, "example.org 1; none", DG_OK, "example.org", 1,
	    true, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "rfc8601-b3", 0, "example.com;\r\n\tspf=pass smtp.mailfrom="
	    "example.net", DG_OK, "example.com", 1, false, 1, "spf", "pass",
	    NULL, NULL, "smtp", "mailfrom", "example.net", 0 },
	{ "rfc8601-b4", 0, "example.com;\r\n\tauth=pass (cram-md5) "
	    "smtp.auth=sender@example.net;\r\n\tspf=pass smtp.mailfrom="
	    "example.net", DG_OK, "example.com", 1, false, 2, "auth", "pass",
	    NULL, "cram-md5", "smtp", "auth", "sender@example.net", 0 },
	{ "gmail-like", 0, "mx.google.com;       dkim=pass header.i=@example"
	    ".com header.s=20230601 header.b=Ab/Cd+Ef;       spf=pass "
	    "(google.com: domain of a@example.com designates 192.0.2.1 as "
	    "permitted sender) smtp.mailfrom=a@example.com;       dmarc=pass "
	    "(p=REJECT sp=REJECT dis=NONE) header.from=example.com", DG_OK,
	    "mx.google.com", 1, false, 3, "dkim", "pass", NULL, NULL,
	    "header", "i", "@example.com", 0 },
	{ "reason-quoted", 0, "mx.example; dkim=fail reason=\"bad \\\"sig\\\""
	    "\" header.d=x.example", DG_OK, "mx.example", 1, false, 1, "dkim",
	    "fail", "bad \"sig\"", NULL, "header", "d", "x.example", 0 },
	{ "comments-everywhere", 0, "(a) mx.example (b) 1 (c) ; (d) spf "
	    "(e) = (f) pass (g) smtp (h) . (i) mailfrom (j) = (k) "
	    "x.example (l) ; (m)", DG_OK, "mx.example", 1, false, 1, "spf",
	    "pass", NULL, "e", "smtp", "mailfrom", "x.example", 0 },
	{ "quoted-authserv", 0, "\"mx example\"; spf=none", DG_OK,
	    "mx example", 1, false, 1, "spf", "none", NULL, NULL, NULL, NULL,
	    NULL, 0 },
	{ "method-version", 0, "mx.example; dkim/1=pass header.d=a.example",
	    DG_OK, "mx.example", 1, false, 1, "dkim", "pass", NULL, NULL,
	    "header", "d", "a.example", 0 },
	{ "unknown-method", 0, "mx.example; x-frob=maybe x.y=z", DG_OK,
	    "mx.example", 1, false, 1, "x-frob", "maybe", NULL, NULL, "x",
	    "y", "z", 0 },
	{ "case-folded", 0, "MX.Example; SPF=PASS SMTP.MailFrom=A@B.example",
	    DG_OK, "MX.Example", 1, false, 1, "spf", "pass", NULL, NULL,
	    "smtp", "mailfrom", "A@B.example", 0 },
	{ "quoted-local", 0, "mx.example; spf=pass smtp.mailfrom=\"a b\""
	    "@x.example", DG_OK, "mx.example", 1, false, 1, "spf", "pass",
	    NULL, NULL, "smtp", "mailfrom", "a b@x.example", 0 },
	{ "trailing-semicolon", 0, "mx.example; spf=pass;", DG_OK,
	    "mx.example", 1, false, 1, "spf", "pass", NULL, NULL, NULL, NULL,
	    NULL, 0 },
	{ "arc", DG_AR_PARSE_ARC, "i=2; mx.example; arc=pass "
	    "smtp.remote-ip=192.0.2.1", DG_OK, "mx.example", 1, false, 1,
	    "arc", "pass", NULL, NULL, "smtp", "remote-ip", "192.0.2.1", 2 },
	/* hostile and broken */
	{ "empty", 0, "", DG_ESYNTAX, NULL, 0, false, 0, NULL, NULL, NULL,
	    NULL, NULL, NULL, NULL, 0 },
	{ "no-result", 0, "mx.example", DG_ESYNTAX, NULL, 0, false, 0, NULL,
	    NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "missing-eq", 0, "mx.example; spf pass", DG_ESYNTAX, NULL, 0,
	    false, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "open-comment", 0, "mx.example; spf=pass (oops", DG_ESYNTAX, NULL,
	    0, false, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "open-quote", 0, "\"mx.example; spf=pass", DG_ESYNTAX, NULL, 0,
	    false, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "none-then-result", 0, "mx.example; none; spf=pass", DG_ESYNTAX,
	    NULL, 0, false, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "bad-prop", 0, "mx.example; spf=pass smtp", DG_ESYNTAX, NULL, 0,
	    false, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "arc-no-i", DG_AR_PARSE_ARC, "mx.example; arc=pass", DG_ESYNTAX,
	    NULL, 0, false, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "arc-i-0", DG_AR_PARSE_ARC, "i=0; mx.example; arc=pass",
	    DG_ESYNTAX, NULL, 0, false, 0, NULL, NULL, NULL, NULL, NULL, NULL,
	    NULL, 0 },
	{ "nul", 0, "mx.example; spf=pass (a\0b)", DG_ESYNTAX, NULL, 0,
	    false, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static void
test_parse(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(prows); i++) {
		const struct prow	*r = &prows[i];
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_ar		 ar;
		struct dg_msg_error	 e;
		size_t			 len = strlen(r->in);

		if (strcmp(r->name, "nul") == 0)
			len = 29;
		memset(&e, 0, sizeof(e));
		CHECK_INT(r->name, dg_ar_parse(a, r->in, len, r->flags, &ar,
		    &e), r->err);
		if (r->err != DG_OK) {
			if (e.msg[0] == '\0')
				fail_msg("%s: no error message", r->name);
			dg_arena_free(a);
			continue;
		}
		CHECK_STR(r->name, ar.authserv_id, r->authserv);
		CHECK_INT(r->name, ar.version, r->version);
		CHECK_INT(r->name, ar.none, r->none);
		CHECK_INT(r->name, ar.nresults, r->n);
		CHECK_INT(r->name, ar.instance, r->instance);
		if (r->n > 0) {
			CHECK_STR(r->name, ar.results[0].method, r->method);
			CHECK_STR(r->name, ar.results[0].result, r->result);
			CHECK_STR(r->name, ar.results[0].reason, r->reason);
			CHECK_STR(r->name, ar.results[0].comment, r->comment);
			CHECK_STR(r->name, ar.results[0].nprops ?
			    ar.results[0].props[0].ptype : NULL, r->ptype);
			CHECK_STR(r->name, ar.results[0].nprops ?
			    ar.results[0].props[0].property : NULL, r->prop);
			CHECK_STR(r->name, ar.results[0].nprops ?
			    ar.results[0].props[0].value : NULL, r->value);
		}
		dg_arena_free(a);
	}
}

/* Limits: deep comments, too many results, too many properties. */
static void
test_limits(void **state)
{
	struct dg_arena	*a = dg_arena_new(0);
	struct dg_ar	 ar;
	char		 buf[8192];
	size_t		 i, n;

	(void)state;
	n = (size_t)snprintf(buf, sizeof(buf), "mx.example; spf=pass ");
	for (i = 0; i < 40; i++)
		buf[n++] = '(';
	for (i = 0; i < 40; i++)
		buf[n++] = ')';
	CHECK_INT("deep-comment", dg_ar_parse(a, buf, n, 0, &ar, NULL),
	    DG_ETOOBIG);
	n = (size_t)snprintf(buf, sizeof(buf), "mx.example");
	for (i = 0; i < 65; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "; spf=pass");
	CHECK_INT("results", dg_ar_parse(a, buf, n, 0, &ar, NULL),
	    DG_ETOOBIG);
	n = (size_t)snprintf(buf, sizeof(buf), "mx.example; spf=pass");
	for (i = 0; i < 33; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " a.b=c");
	CHECK_INT("props", dg_ar_parse(a, buf, n, 0, &ar, NULL), DG_ETOOBIG);
	CHECK_INT("einval", dg_ar_parse(a, NULL, 1, 0, &ar, NULL), DG_EINVAL);
	dg_arena_free(a);
}

static void
test_enomem(void **state)
{
	static const char in[] = "mx.example; dkim=pass (c) header.d=a.b "
	    "header.s=\"q\"; spf=fail reason=\"x\" smtp.mailfrom=a@b.c";
	struct dg_ar	 ar;
	enum dg_err	 err;
	int		 n;

	(void)state;
	for (n = 1; n < 200; n++) {
		struct dg_arena	*a = dg_arena_new(0);

		assert_non_null(a);
		dg_alloc_fail_after(n);
		err = dg_ar_parse(a, in, sizeof(in) - 1, 0, &ar, NULL);
		dg_alloc_fail_after(0);
		dg_arena_free(a);
		if (err == DG_OK)
			return;
		CHECK_INT("enomem", err, DG_ENOMEM);
	}
	fail_msg("enomem: never succeeded");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
