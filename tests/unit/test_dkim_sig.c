/*
 * tests/unit/test_dkim_sig.c -- DKIM-Signature tag-list parsing (RFC 6376
 * 3.5), strict: one row per rule, hostile input included; and the strict
 * base64 decoder under it.
 */
#include "testutil.h"

#include "dkim/dkim_int.h"
#include "util/base64.h"

#define BH	"bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8="
#define BH1	"bh=AAAAAAAAAAAAAAAAAAAAAAAAAAA="	/* 20 bytes */
#define REQ	"v=1; a=rsa-sha256; d=example.com; s=sel; h=from; " BH \
		"; b=AAAA"

static const struct {
	const char		*name;
	const char		*in;
	enum dg_dkim_reason	 want;	/* DG_DKIM_R_NONE: parses */
} rows[] = {
	{ "minimal", REQ, DG_DKIM_R_NONE },
	{ "all-tags", "v=1; a=ed25519-sha256; c=relaxed/simple; "
	  "d=Example.COM; s=s1; i=user@sub.example.com; l=10; q=dns/txt; "
	  "t=100; x=200; z=From:a|To:b; h=From:To; " BH "; b=AAAA;",
	  DG_DKIM_R_NONE },
	{ "folded", "v=1;\r\n\ta=rsa-sha256; d=example.com; s=sel;\r\n h=from"
	  " :\r\n to; " BH "; b=AA\r\n AA", DG_DKIM_R_NONE },
	{ "unknown-tag-ignored", REQ "; foo=bar", DG_DKIM_R_NONE },
	{ "sha1-parses", "v=1; a=rsa-sha1; d=example.com; s=sel; h=from; "
	  BH1 "; b=AAAA", DG_DKIM_R_NONE },
	{ "i-equals-d", REQ "; i=@example.com", DG_DKIM_R_NONE },
	{ "i-empty-local", REQ "; i=@a.example.com", DG_DKIM_R_NONE },
	{ "q-list", REQ "; q=foo/bar:dns/txt", DG_DKIM_R_NONE },
	{ "selector-underscore", "v=1; a=rsa-sha256; d=example.com; "
	  "s=s_1.x; h=from; " BH "; b=AAAA", DG_DKIM_R_NONE },
	{ "l-huge-saturates", REQ "; l=99999999999999999999999999999",
	  DG_DKIM_R_NONE },
	/* syntax */
	{ "empty", "", DG_DKIM_R_SYNTAX },
	{ "junk", "this is not a tag list", DG_DKIM_R_SYNTAX },
	{ "no-equals", REQ "; x", DG_DKIM_R_SYNTAX },
	{ "nul-byte", "v=1; a=rsa\x01-sha256", DG_DKIM_R_SYNTAX },
	{ "bare-cr", REQ "\r; t=1", DG_DKIM_R_SYNTAX },
	{ "dup-d", REQ "; d=example.org", DG_DKIM_R_DUPLICATE_TAG },
	{ "dup-b", REQ "; b=AAAA", DG_DKIM_R_DUPLICATE_TAG },
	/* required tags */
	{ "missing-v", "a=rsa-sha256; d=example.com; s=sel; h=from; " BH
	  "; b=AAAA", DG_DKIM_R_MISSING_TAG },
	{ "missing-bh", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; "
	  "b=AAAA", DG_DKIM_R_MISSING_TAG },
	{ "missing-h", "v=1; a=rsa-sha256; d=example.com; s=sel; " BH
	  "; b=AAAA", DG_DKIM_R_MISSING_TAG },
	{ "missing-s", "v=1; a=rsa-sha256; d=example.com; h=from; " BH
	  "; b=AAAA", DG_DKIM_R_MISSING_TAG },
	{ "missing-d", "v=1; a=rsa-sha256; s=sel; h=from; " BH "; b=AAAA",
	  DG_DKIM_R_MISSING_TAG },
	{ "missing-a", "v=1; d=example.com; s=sel; h=from; " BH "; b=AAAA",
	  DG_DKIM_R_MISSING_TAG },
	{ "missing-b", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; "
	  BH, DG_DKIM_R_MISSING_TAG },
	/* values */
	{ "v-2", "v=2; a=rsa-sha256; d=example.com; s=sel; h=from; " BH
	  "; b=AAAA", DG_DKIM_R_BAD_VERSION },
	{ "a-unknown", "v=1; a=rsa-sha512; d=example.com; s=sel; h=from; "
	  BH "; b=AAAA", DG_DKIM_R_BAD_ALGORITHM },
	{ "a-empty", "v=1; a=; d=example.com; s=sel; h=from; " BH
	  "; b=AAAA", DG_DKIM_R_BAD_ALGORITHM },
	{ "b-bad-char", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; "
	  BH "; b=AA*A", DG_DKIM_R_BAD_BASE64 },
	{ "b-bad-length", "v=1; a=rsa-sha256; d=example.com; s=sel; "
	  "h=from; " BH "; b=AAAAA", DG_DKIM_R_BAD_BASE64 },
	{ "b-empty", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; "
	  BH "; b=", DG_DKIM_R_BAD_BASE64 },
	{ "b-data-after-pad", "v=1; a=rsa-sha256; d=example.com; s=sel; "
	  "h=from; " BH "; b=AA==AAAA", DG_DKIM_R_BAD_BASE64 },
	{ "bh-bad", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; "
	  "bh=!!!!; b=AAAA", DG_DKIM_R_BAD_BASE64 },
	{ "bh-sha1-len-for-sha256", "v=1; a=rsa-sha256; d=example.com; "
	  "s=sel; h=from; " BH1 "; b=AAAA", DG_DKIM_R_BH_LENGTH },
	{ "c-unknown", REQ "; c=nofws", DG_DKIM_R_BAD_CANON },
	{ "c-bad-body", REQ "; c=simple/loose", DG_DKIM_R_BAD_CANON },
	{ "d-single-label", "v=1; a=rsa-sha256; d=com; s=sel; h=from; " BH
	  "; b=AAAA", DG_DKIM_R_BAD_DOMAIN },
	{ "d-empty-label", "v=1; a=rsa-sha256; d=a..com; s=sel; h=from; "
	  BH "; b=AAAA", DG_DKIM_R_BAD_DOMAIN },
	{ "d-hyphen-end", "v=1; a=rsa-sha256; d=a-.com; s=sel; h=from; "
	  BH "; b=AAAA", DG_DKIM_R_BAD_DOMAIN },
	{ "d-slash", "v=1; a=rsa-sha256; d=a/b.com; s=sel; h=from; " BH
	  "; b=AAAA", DG_DKIM_R_BAD_DOMAIN },
	{ "d-long-label", "v=1; a=rsa-sha256; d=aaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com; s=sel; h=from; " BH
	  "; b=AAAA", DG_DKIM_R_BAD_DOMAIN },
	{ "s-dot-end", "v=1; a=rsa-sha256; d=example.com; s=sel.; h=from; "
	  BH "; b=AAAA", DG_DKIM_R_BAD_SELECTOR },
	{ "s-empty", "v=1; a=rsa-sha256; d=example.com; s=; h=from; " BH
	  "; b=AAAA", DG_DKIM_R_BAD_SELECTOR },
	{ "h-empty", "v=1; a=rsa-sha256; d=example.com; s=sel; h=; " BH
	  "; b=AAAA", DG_DKIM_R_BAD_H },
	{ "h-empty-name", "v=1; a=rsa-sha256; d=example.com; s=sel; "
	  "h=from::to; " BH "; b=AAAA", DG_DKIM_R_BAD_H },
	{ "h-trailing-colon", "v=1; a=rsa-sha256; d=example.com; s=sel; "
	  "h=from:; " BH "; b=AAAA", DG_DKIM_R_BAD_H },
	{ "h-no-from", "v=1; a=rsa-sha256; d=example.com; s=sel; "
	  "h=to:subject; " BH "; b=AAAA", DG_DKIM_R_H_MISSING_FROM },
	{ "h-from-prefix-only", "v=1; a=rsa-sha256; d=example.com; s=sel; "
	  "h=from-x:to; " BH "; b=AAAA", DG_DKIM_R_H_MISSING_FROM },
	{ "i-no-at", REQ "; i=example.com", DG_DKIM_R_BAD_I },
	{ "i-other-domain", REQ "; i=joe@example.org",
	  DG_DKIM_R_I_NOT_IN_D },
	{ "i-suffix-not-subdomain", REQ "; i=joe@badexample.com",
	  DG_DKIM_R_I_NOT_IN_D },
	{ "i-parent-of-d", "v=1; a=rsa-sha256; d=mail.example.com; s=sel; "
	  "h=from; " BH "; b=AAAA; i=@example.com", DG_DKIM_R_I_NOT_IN_D },
	{ "l-letters", REQ "; l=12a", DG_DKIM_R_BAD_L },
	{ "l-negative", REQ "; l=-1", DG_DKIM_R_BAD_L },
	{ "l-77-digits", REQ "; l=1234567890123456789012345678901234567890"
	  "1234567890123456789012345678901234567", DG_DKIM_R_BAD_L },
	{ "q-no-dns-txt", REQ "; q=http/well-known", DG_DKIM_R_BAD_Q },
	{ "t-13-digits", REQ "; t=1234567890123", DG_DKIM_R_BAD_TIME },
	{ "t-letters", REQ "; t=soon", DG_DKIM_R_BAD_TIME },
	{ "x-before-t", REQ "; t=200; x=100", DG_DKIM_R_BAD_TIME },
	{ "x-equals-t", REQ "; t=200; x=200", DG_DKIM_R_BAD_TIME },
};

static void
test_rows(void **state)
{
	struct dg_dkim_sig	*sig = malloc(sizeof(*sig));
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		enum dg_dkim_reason	r = DG_DKIM_R_OK;
		char			detail[DG_DETAIL_MAX];
		enum dg_err		err;

		err = dg_dkim_sig_parse(rows[i].in, strlen(rows[i].in), 0, sig,
		    &r, detail, sizeof(detail));
		CHECK_STR(rows[i].name, dg_dkim_reason_str(r),
		    dg_dkim_reason_str(rows[i].want));
		CHECK_INT(rows[i].name, err, rows[i].want == DG_DKIM_R_NONE ?
		    DG_OK : DG_ESYNTAX);
		if (err != DG_OK && detail[0] == '\0')
			fail_msg("%s: no detail", rows[i].name);
	}
	free(sig);
}

static void
test_fields(void **state)
{
	struct dg_dkim_sig	*sig = malloc(sizeof(*sig));
	enum dg_dkim_reason	 r;
	const char		*in = rows[1].in;

	(void)state;
	assert_int_equal(dg_dkim_sig_parse(in, strlen(in), 0, sig, &r, NULL,
	    0), DG_OK);
	CHECK_STR("all-tags d", sig->domain, "example.com");
	CHECK_STR("all-tags s", sig->selector, "s1");
	CHECK_INT("all-tags alg", sig->alg, DG_DKIM_ALG_ED25519_SHA256);
	CHECK_INT("all-tags keytype", sig->keytype, DG_DKIM_KEY_ED25519);
	CHECK_INT("all-tags hc", sig->header_canon, DG_DKIM_CANON_RELAXED);
	CHECK_INT("all-tags bc", sig->body_canon, DG_DKIM_CANON_SIMPLE);
	CHECK_INT("all-tags nh", sig->nh, 2);
	CHECK_INT("all-tags h1", sig->h[1].len, 2);
	CHECK_INT("all-tags l", sig->l, 10);
	CHECK_INT("all-tags t", sig->t, 100);
	CHECK_INT("all-tags x", sig->x, 200);
	CHECK_INT("all-tags blen", sig->blen, 3);
	CHECK_INT("all-tags bhlen", sig->bhlen, 32);
	CHECK_INT("all-tags idlen", sig->identity.len, 20);
	/* b_start..b_end covers "AAAA" exactly (no FWS here) */
	CHECK_INT("all-tags b span", sig->b_end - sig->b_start, 4);
	CHECK_INT("all-tags b at", memcmp(in + sig->b_start, "AAAA;", 5), 0);

	/* Defaults: c=simple/simple, no l, t, x. */
	in = REQ;
	assert_int_equal(dg_dkim_sig_parse(in, strlen(in), 0, sig, &r, NULL,
	    0), DG_OK);
	CHECK_INT("req hc", sig->header_canon, DG_DKIM_CANON_SIMPLE);
	CHECK_INT("req bc", sig->body_canon, DG_DKIM_CANON_SIMPLE);
	CHECK_INT("req has_l", sig->has_l, 0);
	CHECK_INT("req has_t", sig->has_t, 0);

	/* A broken signature still names d= and s=. */
	in = "v=1; a=bogus; d=Example.com; s=Sel; h=from; " BH "; b=AAAA";
	assert_int_equal(dg_dkim_sig_parse(in, strlen(in), 0, sig, &r, NULL,
	    0), DG_ESYNTAX);
	CHECK_STR("broken d", sig->domain, "example.com");
	CHECK_STR("broken s", sig->selector, "sel");

	/* Folded b=: the deleted span runs to the ";" (FWS included). */
	in = "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; " BH
	    "; b= AA\r\n AA \r\n ; t=5";
	assert_int_equal(dg_dkim_sig_parse(in, strlen(in), 0, sig, &r, NULL,
	    0), DG_OK);
	CHECK_INT("folded b span", memcmp(in + sig->b_start, " AA\r\n AA "
	    "\r\n ;", 13), 0);
	CHECK_INT("folded b end", in[sig->b_end], ';');
	free(sig);
}

/* Over-long h= and hostile sizes stop at a named limit. */
static void
test_limits(void **state)
{
	struct dg_dkim_sig	*sig = malloc(sizeof(*sig));
	enum dg_dkim_reason	 r;
	char			*in = malloc(64 * 1024);
	size_t			 n, i;

	(void)state;
	n = (size_t)snprintf(in, 1024, "v=1; a=rsa-sha256; d=example.com; "
	    "s=sel; " BH "; b=AAAA; h=from");
	for (i = 0; i < DG_DKIM_MAX_H_NAMES; i++)
		n += (size_t)snprintf(in + n, 64, ":to");
	assert_int_equal(dg_dkim_sig_parse(in, n, 0, sig, &r, NULL, 0),
	    DG_ESYNTAX);
	CHECK_STR("h over cap", dg_dkim_reason_str(r), "limit");

	/* b= longer than an 8192-bit signature */
	n = (size_t)snprintf(in, 1024, "v=1; a=rsa-sha256; d=example.com; "
	    "s=sel; " BH "; h=from; b=");
	for (i = 0; i < 1500; i++)
		n += (size_t)snprintf(in + n, 8, "AAAA");
	assert_int_equal(dg_dkim_sig_parse(in, n, 0, sig, &r, NULL, 0),
	    DG_ESYNTAX);
	CHECK_STR("b over cap", dg_dkim_reason_str(r), "limit");

	/* more tags than DG_TAGLIST_MAX */
	n = (size_t)snprintf(in, 1024, "%s", REQ);
	for (i = 0; i < DG_TAGLIST_MAX; i++)
		n += (size_t)snprintf(in + n, 32, "; y%zu=1", i);
	assert_int_equal(dg_dkim_sig_parse(in, n, 0, sig, &r, NULL, 0),
	    DG_ESYNTAX);
	CHECK_STR("tags over cap", dg_dkim_reason_str(r), "limit");

	assert_int_equal(dg_dkim_sig_parse(NULL, 0, 0, sig, &r, NULL, 0),
	    DG_EINVAL);
	free(in);
	free(sig);
}

static void
test_arc_flag(void **state)
{
	struct dg_dkim_sig	*sig = malloc(sizeof(*sig));
	enum dg_dkim_reason	 r;
	const char		*in;

	in = "i=3; a=rsa-sha256; d=example.com; s=sel; h=from; " BH
	    "; b=AAAA";

	(void)state;
	assert_int_equal(dg_dkim_sig_parse(in, strlen(in), DG_DKIM_SIG_ARC,
	    sig, &r, NULL, 0), DG_OK);
	CHECK_INT("arc instance", sig->instance, 3);
	in = "i=51; a=rsa-sha256; d=example.com; s=sel; h=from; " BH
	    "; b=AAAA";
	assert_int_equal(dg_dkim_sig_parse(in, strlen(in), DG_DKIM_SIG_ARC,
	    sig, &r, NULL, 0), DG_ESYNTAX);
	CHECK_STR("arc i=51", dg_dkim_reason_str(r), "bad_i");
	free(sig);
}

static const struct {
	const char	*name;
	const char	*in;
	enum dg_err	 err;
	const char	*want;	/* hex */
} b64_rows[] = {
	{ "empty", "", DG_OK, "" },
	{ "one", "AQ==", DG_OK, "01" },
	{ "two", "AQI=", DG_OK, "0102" },
	{ "three", "AQID", DG_OK, "010203" },
	{ "fws", " AQ\r\n\tID ", DG_OK, "010203" },
	{ "bad-char", "AQ-D", DG_ESYNTAX, NULL },
	{ "short", "AQI", DG_ESYNTAX, NULL },
	{ "pad-early", "A===", DG_ESYNTAX, NULL },
	{ "pad-middle", "AQ==AQID", DG_ESYNTAX, NULL },
	{ "three-pads", "AQ===", DG_ESYNTAX, NULL },
	{ "nonzero-pad-bits", "AR==", DG_ESYNTAX, NULL },
	{ "nonzero-pad-bits2", "AQJ=", DG_ESYNTAX, NULL },
	{ "only-pad", "====", DG_ESYNTAX, NULL },
	{ "nul", "AQ\0D", DG_ESYNTAX, NULL },
	{ "too-big", "AQIDBA==", DG_ETOOBIG, NULL },
};

static void
test_base64(void **state)
{
	size_t	i, j;

	(void)state;
	for (i = 0; i < NELEM(b64_rows); i++) {
		uint8_t		out[3];
		size_t		n = 0, len;
		enum dg_err	err;
		char		hex[16] = "";

		len = strcmp(b64_rows[i].name, "nul") == 0 ? 4 :
		    strlen(b64_rows[i].in);
		err = dg_base64_decode(b64_rows[i].in, len, DG_BASE64_SKIP_FWS,
		    out, sizeof(out), &n);
		CHECK_INT(b64_rows[i].name, err, b64_rows[i].err);
		if (err != DG_OK)
			continue;
		for (j = 0; j < n; j++)
			snprintf(hex + 2 * j, 3, "%02x", out[j]);
		CHECK_STR(b64_rows[i].name, hex, b64_rows[i].want);
	}
	/* Without SKIP_FWS a space is junk. */
	{
		uint8_t	out[8];
		size_t	n;

		CHECK_INT("no-skip", dg_base64_decode("AQ ID", 5, 0, out,
		    sizeof(out), &n), DG_ESYNTAX);
	}
	/* Round trip of every length up to 40. */
	for (i = 0; i <= 40; i++) {
		uint8_t	in[40], out[40];
		char	enc[64];
		size_t	n, m;

		for (j = 0; j < i; j++)
			in[j] = (uint8_t)(j * 37 + i);
		assert_int_equal(dg_base64_encode(in, i, enc, sizeof(enc),
		    &n), DG_OK);
		CHECK_INT("enc len", n, 4 * ((i + 2) / 3));
		assert_int_equal(dg_base64_decode(enc, n, 0, out, sizeof(out),
		    &m), DG_OK);
		CHECK_INT("rt len", m, i);
		assert_memory_equal(in, out, i);
	}
	{
		char	small[4];

		CHECK_INT("enc cap", dg_base64_encode((const uint8_t *)"abc",
		    3, small, sizeof(small), NULL), DG_ETOOBIG);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_arc_flag),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
