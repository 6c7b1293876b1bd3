/*
 * tests/unit/test_dkim_key.c -- DKIM key records (RFC 6376 3.6.1): tag
 * rows (hostile included), building public keys from p= (SPKI, PKCS#1,
 * raw Ed25519, sizes), and the DNS fetch (found, missing, SERVFAIL,
 * timeout, revoked, several records, cache hits).
 */
#include "testutil.h"

#include <dmarcguard/dkim.h>

#include "dkim/dkim_int.h"
#include "dkim_test.h"

static char	*pub_rsa512, *pub_rsa1024, *pub_rsa2048, *pub_ed25519;
static char	*pub_rsa1024_pkcs1;

static char *
load_pub(const char *name)
{
	char	 path[256];
	char	*s;
	size_t	 n;

	snprintf(path, sizeof(path), "data/dkim/%s", name);
	s = test_read_file(path, &n);
	if (s == NULL)
		fail_msg("cannot read %s (run from tests/)", path);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int
setup(void **state)
{
	(void)state;
	pub_rsa512 = load_pub("rsa512.pub");
	pub_rsa1024 = load_pub("rsa1024.pub");
	pub_rsa2048 = load_pub("rsa2048.pub");
	pub_ed25519 = load_pub("ed25519.pub");
	pub_rsa1024_pkcs1 = load_pub("rsa1024-pkcs1.pub");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(pub_rsa512);
	free(pub_rsa1024);
	free(pub_rsa2048);
	free(pub_ed25519);
	free(pub_rsa1024_pkcs1);
	return 0;
}

/* Rows use "@RSA@" / "@ED@" for the real keys. */
static char *
expand(const char *tmpl)
{
	static char	out[8192];
	const char	*p = tmpl;
	size_t		 n = 0;

	while (*p != '\0' && n < sizeof(out) - 1024) {
		if (strncmp(p, "@RSA@", 5) == 0) {
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s",
			    pub_rsa1024);
			p += 5;
		} else if (strncmp(p, "@ED@", 4) == 0) {
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s",
			    pub_ed25519);
			p += 4;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

/* An error row: the rest of the fields are not looked at. */
#define ERR(r)	r, 0, false, false, false, false, 0

#define H256	(1u << DG_DKIM_HASH_SHA256)
#define H1	(1u << DG_DKIM_HASH_SHA1)

static const struct {
	const char		*name;
	const char		*in;
	enum dg_dkim_reason	 want;		/* NONE: parses */
	enum dg_dkim_keytype	 type;
	bool			 revoked, testing, strict, email;
	unsigned		 hashes;
} rows[] = {
	{ "rsa", "v=DKIM1; k=rsa; p=@RSA@", DG_DKIM_R_NONE,
	  DG_DKIM_KEY_RSA, false, false, false, true, 0 },
	{ "defaults", "p=@RSA@", DG_DKIM_R_NONE, DG_DKIM_KEY_RSA, false,
	  false, false, true, 0 },
	{ "ed25519", "v=DKIM1; k=ed25519; p=@ED@", DG_DKIM_R_NONE,
	  DG_DKIM_KEY_ED25519, false, false, false, true, 0 },
	{ "revoked", "v=DKIM1; p=", DG_DKIM_R_NONE, DG_DKIM_KEY_RSA, true,
	  false, false, true, 0 },
	{ "revoked-fws", "v=DKIM1; p= ; t=y", DG_DKIM_R_NONE,
	  DG_DKIM_KEY_RSA, true, true, false, true, 0 },
	{ "testing", "p=@RSA@; t=y", DG_DKIM_R_NONE, DG_DKIM_KEY_RSA, false,
	  true, false, true, 0 },
	{ "strict", "p=@RSA@; t=s", DG_DKIM_R_NONE, DG_DKIM_KEY_RSA, false,
	  false, true, true, 0 },
	{ "flags-both-unknown", "p=@RSA@; t=y : s : zz", DG_DKIM_R_NONE,
	  DG_DKIM_KEY_RSA, false, true, true, true, 0 },
	{ "h-sha256", "h=sha256; p=@RSA@", DG_DKIM_R_NONE, DG_DKIM_KEY_RSA,
	  false, false, false, true, H256 },
	{ "h-both", "h=sha1:sha256; p=@RSA@", DG_DKIM_R_NONE,
	  DG_DKIM_KEY_RSA, false, false, false, true, H1 | H256 },
	{ "h-unknown-only", "h=md5; p=@RSA@", DG_DKIM_R_NONE,
	  DG_DKIM_KEY_RSA, false, false, false, true, 1u << 31 },
	{ "s-email", "s=email; p=@RSA@", DG_DKIM_R_NONE, DG_DKIM_KEY_RSA,
	  false, false, false, true, 0 },
	{ "s-star", "s=*; p=@RSA@", DG_DKIM_R_NONE, DG_DKIM_KEY_RSA, false,
	  false, false, true, 0 },
	{ "s-other", "s=tlsrpt; p=@RSA@", DG_DKIM_R_NONE, DG_DKIM_KEY_RSA,
	  false, false, false, false, 0 },
	{ "s-list", "s=tlsrpt:email; p=@RSA@", DG_DKIM_R_NONE,
	  DG_DKIM_KEY_RSA, false, false, false, true, 0 },
	{ "notes-unknown-tags", "v=DKIM1; n=hi there; zz=1; p=@RSA@",
	  DG_DKIM_R_NONE, DG_DKIM_KEY_RSA, false, false, false, true, 0 },
	{ "p-folded", "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR"
	  " iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3"
	  "FutAC DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVY"
	  "LzBfO2EeC3 Ip3G+2kryOTIKT+l/K4w3QIDAQAB", DG_DKIM_R_NONE,
	  DG_DKIM_KEY_RSA, false, false, false, true, 0 },
	/* errors */
	{ "empty", "", ERR(DG_DKIM_R_KEY_SYNTAX) },
	{ "junk", "hello world", ERR(DG_DKIM_R_KEY_SYNTAX) },
	{ "no-p", "v=DKIM1; k=rsa", ERR(DG_DKIM_R_KEY_SYNTAX) },
	{ "dup-p", "p=@RSA@; p=@RSA@", ERR(DG_DKIM_R_KEY_SYNTAX) },
	{ "v-not-first", "k=rsa; v=DKIM1; p=@RSA@",
	  ERR(DG_DKIM_R_KEY_VERSION) },
	{ "v-wrong", "v=DKIM2; p=@RSA@", ERR(DG_DKIM_R_KEY_VERSION) },
	{ "v-lower", "v=dkim1; p=@RSA@", ERR(DG_DKIM_R_KEY_VERSION) },
	{ "k-unknown", "k=dsa; p=@RSA@", ERR(DG_DKIM_R_KEY_SYNTAX) },
	{ "p-bad-base64", "p=MIGf!", ERR(DG_DKIM_R_KEY_BAD_DATA) },
	{ "p-bad-pad", "p=AB=C", ERR(DG_DKIM_R_KEY_BAD_DATA) },
	{ "bad-fold", "p=AAAA\r\nt=y", ERR(DG_DKIM_R_KEY_SYNTAX) },
};

static void
test_rows(void **state)
{
	struct dg_dkim_keyrec	*rec = malloc(sizeof(*rec));
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		const char		*in = expand(rows[i].in);
		enum dg_dkim_reason	 r = DG_DKIM_R_OK;
		char			 detail[DG_DETAIL_MAX];
		enum dg_err		 err;

		err = dg_dkim_key_parse(in, strlen(in), rec, &r, detail,
		    sizeof(detail));
		CHECK_STR(rows[i].name, dg_dkim_reason_str(r),
		    dg_dkim_reason_str(rows[i].want));
		CHECK_INT(rows[i].name, err, rows[i].want == DG_DKIM_R_NONE ?
		    DG_OK : DG_ESYNTAX);
		if (err != DG_OK) {
			if (detail[0] == '\0')
				fail_msg("%s: no detail", rows[i].name);
			continue;
		}
		CHECK_INT(rows[i].name, rec->type, rows[i].type);
		CHECK_INT(rows[i].name, rec->revoked, rows[i].revoked);
		CHECK_INT(rows[i].name, rec->testing, rows[i].testing);
		CHECK_INT(rows[i].name, rec->strict, rows[i].strict);
		CHECK_INT(rows[i].name, rec->email, rows[i].email);
		CHECK_INT(rows[i].name, rec->hashes, rows[i].hashes);
	}
	free(rec);
}

/* p= larger than DG_DKIM_MAX_KEY_DER is refused before any crypto. */
static void
test_too_big(void **state)
{
	struct dg_dkim_keyrec	*rec = malloc(sizeof(*rec));
	char			*in = malloc(8192);
	enum dg_dkim_reason	 r;
	size_t			 n, i;

	(void)state;
	n = (size_t)snprintf(in, 8, "p=");
	for (i = 0; i < (DG_DKIM_MAX_KEY_DER / 3 + 2); i++)
		n += (size_t)snprintf(in + n, 8, "AAAA");
	assert_int_equal(dg_dkim_key_parse(in, n, rec, &r, NULL, 0),
	    DG_ESYNTAX);
	CHECK_STR("p too big", dg_dkim_reason_str(r), "key_too_big");
	free(in);
	free(rec);
}

static const struct {
	const char		*name;
	const char		*rec;	/* @512@ @1024@ @2048@ @ED@ @PK1@ */
	enum dg_err		 err;
	enum dg_dkim_reason	 reason;
	unsigned		 bits;
} build_rows[] = {
	{ "rsa512", "p=@512@", DG_OK, 0, 512 },
	{ "rsa1024", "p=@1024@", DG_OK, 0, 1024 },
	{ "rsa2048", "p=@2048@", DG_OK, 0, 2048 },
	{ "rsa1024-pkcs1", "p=@PK1@", DG_OK, 0, 1024 },
	{ "ed25519", "k=ed25519; p=@ED@", DG_OK, 0, 256 },
	{ "rsa-junk", "p=AAAA", DG_ESYNTAX, DG_DKIM_R_KEY_BAD_DATA, 0 },
	{ "rsa-truncated", "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ==",
	  DG_ESYNTAX, DG_DKIM_R_KEY_BAD_DATA, 0 },
	{ "ed25519-short", "k=ed25519; p=AAAA", DG_ESYNTAX,
	  DG_DKIM_R_KEY_BAD_DATA, 0 },
	{ "ed25519-given-rsa", "k=ed25519; p=@1024@", DG_ESYNTAX,
	  DG_DKIM_R_KEY_BAD_DATA, 0 },
	{ "rsa-given-ed25519", "k=rsa; p=@ED@", DG_ESYNTAX,
	  DG_DKIM_R_KEY_BAD_DATA, 0 },
};

static void
test_build(void **state)
{
	struct dg_dkim_keyrec	*rec = malloc(sizeof(*rec));
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(build_rows); i++) {
		char			 in[4096];
		const char		*t = build_rows[i].rec;
		const char		*at = strchr(t, '@');
		const char		*key = "";
		struct dg_dkim_key	*k = NULL;
		enum dg_dkim_reason	 r = DG_DKIM_R_NONE;
		enum dg_err		 err;

		if (at != NULL) {
			if (strncmp(at, "@512@", 5) == 0)
				key = pub_rsa512;
			else if (strncmp(at, "@1024@", 6) == 0)
				key = pub_rsa1024;
			else if (strncmp(at, "@2048@", 6) == 0)
				key = pub_rsa2048;
			else if (strncmp(at, "@ED@", 4) == 0)
				key = pub_ed25519;
			else if (strncmp(at, "@PK1@", 5) == 0)
				key = pub_rsa1024_pkcs1;
			snprintf(in, sizeof(in), "%.*s%s", (int)(at - t), t,
			    key);
		} else {
			snprintf(in, sizeof(in), "%s", t);
		}
		assert_int_equal(dg_dkim_key_parse(in, strlen(in), rec, &r,
		    NULL, 0), DG_OK);
		err = dg_dkim_key_new(rec, &k, &r);
		CHECK_INT(build_rows[i].name, err, build_rows[i].err);
		if (err != DG_OK) {
			CHECK_STR(build_rows[i].name, dg_dkim_reason_str(r),
			    dg_dkim_reason_str(build_rows[i].reason));
			continue;
		}
		CHECK_INT(build_rows[i].name, k->bits, build_rows[i].bits);
		CHECK_INT(build_rows[i].name, k->refs, 1);
		dg_dkim_key_ref(k);
		dg_dkim_key_unref(k);
		dg_dkim_key_unref(k);
	}
	free(rec);
}

/* The fetch: every DNS outcome becomes a key or a verdict. */
static void
test_fetch(void **state)
{
	struct tdns		 t;
	struct dg_resolver	*res;
	char			 rec[1024];
	static const struct {
		const char		*name;
		const char		*sel;
		enum dg_dkim_result	 result;	/* UNSET: a key */
		enum dg_dkim_reason	 reason;
		bool			 testing;
	} frows[] = {
		{ "found", "good", DG_DKIM_UNSET, 0, false },
		{ "nxdomain", "missing", DG_DKIM_PERMERROR,
		  DG_DKIM_R_KEY_NOT_FOUND, false },
		{ "servfail", "sf", DG_DKIM_TEMPERROR,
		  DG_DKIM_R_KEY_DNS_TEMPERROR, false },
		{ "timeout", "to", DG_DKIM_TEMPERROR,
		  DG_DKIM_R_KEY_DNS_TEMPERROR, false },
		{ "revoked", "rev", DG_DKIM_PERMERROR, DG_DKIM_R_KEY_REVOKED,
		  true },
		{ "syntax", "junk", DG_DKIM_PERMERROR, DG_DKIM_R_KEY_SYNTAX,
		  false },
		{ "second-record-usable", "two", DG_DKIM_UNSET, 0, false },
		{ "bad-data", "bad", DG_DKIM_PERMERROR,
		  DG_DKIM_R_KEY_BAD_DATA, false },
		{ "upper-case-name", "GOOD", DG_DKIM_UNSET, 0, false },
	};
	size_t			 i;

	(void)state;
	memset(&t, 0, sizeof(t));
	snprintf(rec, sizeof(rec), "v=DKIM1; p=%s", pub_rsa1024);
	tdns_add(&t, "good._domainkey.example.com", rec);
	tdns_put(&t, "sf._domainkey.example.com", NULL, DG_DNS_SERVFAIL);
	tdns_put(&t, "to._domainkey.example.com", NULL, DG_DNS_TIMEOUT);
	tdns_add(&t, "rev._domainkey.example.com", "v=DKIM1; p=; t=y");
	tdns_add(&t, "junk._domainkey.example.com", "not a key");
	tdns_add(&t, "two._domainkey.example.com", "v=spf1 -all");
	tdns_add(&t, "two._domainkey.example.com", rec);
	tdns_add(&t, "bad._domainkey.example.com", "p=AAAA");
	assert_int_equal(dg_resolver_custom(tdns_query, &t, &res), DG_OK);

	for (i = 0; i < NELEM(frows); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dkim_key	*k = NULL;
		struct dg_dkim_keyfail	 why;

		assert_int_equal(dg_dkim_key_fetch(res, NULL, frows[i].sel,
		    "example.com", a, &k, &why), DG_OK);
		if (frows[i].result == DG_DKIM_UNSET) {
			if (k == NULL)
				fail_msg("%s: no key (%s)", frows[i].name,
				    why.detail);
			CHECK_INT(frows[i].name, k->bits, 1024);
			dg_dkim_key_unref(k);
		} else {
			if (k != NULL)
				fail_msg("%s: got a key", frows[i].name);
			CHECK_STR(frows[i].name,
			    dg_dkim_result_str(why.result),
			    dg_dkim_result_str(frows[i].result));
			CHECK_STR(frows[i].name,
			    dg_dkim_reason_str(why.reason),
			    dg_dkim_reason_str(frows[i].reason));
			CHECK_INT(frows[i].name, why.testing,
			    frows[i].testing);
			if (why.detail[0] == '\0')
				fail_msg("%s: no detail", frows[i].name);
		}
		dg_arena_free(a);
	}

	/* A name too long for DNS is a permerror, not a caller error. */
	{
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dkim_key	*k = NULL;
		struct dg_dkim_keyfail	 why;
		char			 sel[300];

		memset(sel, 'a', 250);
		sel[250] = '\0';
		assert_int_equal(dg_dkim_key_fetch(res, NULL, sel,
		    "example.com", a, &k, &why), DG_OK);
		CHECK_STR("long name", dg_dkim_reason_str(why.reason),
		    "key_not_found");
		assert_null(k);
		dg_arena_free(a);
	}

	/* Through a cache: the second fetch asks no DNS. */
	{
		struct dg_dkim_keycache	*kc;
		unsigned		 q;

		assert_int_equal(dg_dkim_keycache_new(4, &kc), DG_OK);
		for (i = 0; i < 3; i++) {
			struct dg_arena		*a = dg_arena_new(0);
			struct dg_dkim_key	*k = NULL;
			struct dg_dkim_keyfail	 why;

			q = t.queries;
			assert_int_equal(dg_dkim_key_fetch(res, kc, "good",
			    "Example.COM", a, &k, &why), DG_OK);
			assert_non_null(k);
			CHECK_INT("cached queries", t.queries - q,
			    i == 0 ? 1 : 0);
			dg_dkim_key_unref(k);
			dg_arena_free(a);
		}
		dg_dkim_keycache_free(kc);
	}
	dg_resolver_free(res);
	tdns_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_fetch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
