/*
 * tests/unit/test_dkim_keygen.c -- dg_dkim_keygen() and
 * dg_dkim_privkey_info(): a generated key's PEM loads back, its p= value
 * is a key record our verifier accepts, and a message signed with the
 * private key verifies against that record (RSA 1024 and 2048, Ed25519);
 * argument rows (type, bits, buffers) are refused with the documented
 * errors.
 */
#include "testutil.h"

#include <dmarcguard/dkim.h>

#include "dkim_test.h"

static const char	msg[] =
    "From: a@example.com\r\n"
    "To: b@example.org\r\n"
    "Subject: keygen\r\n"
    "\r\n"
    "body\r\n";

/* Generate, load back, publish, sign, verify. */
static void
round_trip(const char *row, enum dg_dkim_alg alg, unsigned bits,
    const char *krec, size_t want_pub_len)
{
	char				 pem[DG_DKIM_KEYGEN_PEM_MAX];
	char				 pub[DG_DKIM_KEYGEN_PUB_MAX];
	char				 rec[DG_DKIM_KEYGEN_PUB_MAX + 64];
	struct dg_dkim_privkey		*k = NULL;
	struct dg_dkim_sign_opts	 o;
	struct tdns			 dns;
	struct dg_resolver		*res = NULL;
	struct dg_arena			*a;
	const struct dg_dkim_verdict	*vd;
	const char			*v;
	char				*signed_msg;
	enum dg_dkim_alg		 got_alg;
	unsigned			 got_bits;
	size_t				 n;

	CHECK_INT(row, dg_dkim_keygen(alg, bits, pem, sizeof(pem), pub,
	    sizeof(pub)), DG_OK);
	CHECK_INT(row, strncmp(pem, "-----BEGIN PRIVATE KEY-----\n", 28), 0);
	CHECK_INT(row, strlen(pub), want_pub_len);
	CHECK_INT(row, dg_dkim_privkey_pem(pem, strlen(pem), &k), DG_OK);
	dg_dkim_privkey_info(k, &got_alg, &got_bits);
	CHECK_INT(row, got_alg, alg);
	CHECK_INT(row, got_bits, bits != 0 ? bits : 256);

	memset(&dns, 0, sizeof(dns));
	snprintf(rec, sizeof(rec), "v=DKIM1; k=%s; p=%s", krec, pub);
	tdns_add(&dns, "gen._domainkey.example.com", rec);
	assert_int_equal(dg_resolver_custom(tdns_query, &dns, &res), DG_OK);

	a = dg_arena_new(0);
	assert_non_null(a);
	memset(&o, 0, sizeof(o));
	o.domain = "example.com";
	o.selector = "gen";
	o.headers = "from:to:subject";
	CHECK_INT(row, dg_dkim_sign(a, k, &o, msg, strlen(msg), &v), DG_OK);
	n = strlen("DKIM-Signature: ") + strlen(v) + 2 + strlen(msg) + 1;
	signed_msg = dg_arena_alloc(a, n);
	assert_non_null(signed_msg);
	snprintf(signed_msg, n, "DKIM-Signature: %s\r\n%s", v, msg);
	CHECK_INT(row, dg_dkim_verify_message(a, res, NULL, signed_msg,
	    strlen(signed_msg), &vd), DG_OK);
	CHECK_INT(row, vd->nsigs, 1);
	CHECK_STR(row, dg_dkim_result_str(vd->sigs[0].result), "pass");
	CHECK_INT(row, vd->sigs[0].key_bits, bits != 0 ? bits : 256);
	CHECK_STR(row, dg_dkim_alg_str(vd->sigs[0].alg), dg_dkim_alg_str(alg));

	dg_arena_free(a);
	dg_dkim_privkey_free(k);
	dg_resolver_free(res);
	tdns_free(&dns);
}

static void
test_round_trip(void **state)
{
	(void)state;
	/* Base64 of the DER: 162 bytes SPKI (1024), 294 (2048), 32 raw. */
	round_trip("rsa1024", DG_DKIM_ALG_RSA_SHA256, 1024, "rsa", 216);
	round_trip("rsa2048", DG_DKIM_ALG_RSA_SHA256, 2048, "rsa", 392);
	round_trip("ed25519", DG_DKIM_ALG_ED25519_SHA256, 0, "ed25519", 44);
}

/* Two calls give two different keys. */
static void
test_fresh(void **state)
{
	char	pem1[DG_DKIM_KEYGEN_PEM_MAX], pem2[DG_DKIM_KEYGEN_PEM_MAX];
	char	pub1[DG_DKIM_KEYGEN_PUB_MAX], pub2[DG_DKIM_KEYGEN_PUB_MAX];

	(void)state;
	assert_int_equal(dg_dkim_keygen(DG_DKIM_ALG_ED25519_SHA256, 0, pem1,
	    sizeof(pem1), pub1, sizeof(pub1)), DG_OK);
	assert_int_equal(dg_dkim_keygen(DG_DKIM_ALG_ED25519_SHA256, 0, pem2,
	    sizeof(pem2), pub2, sizeof(pub2)), DG_OK);
	CHECK_INT("ed25519 pub differs", strcmp(pub1, pub2) != 0, 1);
	CHECK_INT("ed25519 pem differs", strcmp(pem1, pem2) != 0, 1);
}

static void
test_bad_args(void **state)
{
	static const struct {
		const char	*name;
		enum dg_dkim_alg alg;
		unsigned	 bits;
		size_t		 pem_cap, pub_cap;
		enum dg_err	 want;
	} rows[] = {
		{ "rsa 512", DG_DKIM_ALG_RSA_SHA256, 512, 8192, 2048,
		    DG_EINVAL },
		{ "rsa 1023", DG_DKIM_ALG_RSA_SHA256, 1023, 8192, 2048,
		    DG_EINVAL },
		{ "rsa 0", DG_DKIM_ALG_RSA_SHA256, 0, 8192, 2048, DG_EINVAL },
		{ "rsa 8193", DG_DKIM_ALG_RSA_SHA256, 8193, 8192, 2048,
		    DG_EINVAL },
		{ "rsa-sha1", DG_DKIM_ALG_RSA_SHA1, 2048, 8192, 2048,
		    DG_EINVAL },
		{ "unset", DG_DKIM_ALG_UNSET, 0, 8192, 2048, DG_EINVAL },
		{ "ed25519 bits", DG_DKIM_ALG_ED25519_SHA256, 256, 8192, 2048,
		    DG_EINVAL },
		{ "pem cap 0", DG_DKIM_ALG_ED25519_SHA256, 0, 0, 2048,
		    DG_EINVAL },
		{ "pub cap 0", DG_DKIM_ALG_ED25519_SHA256, 0, 8192, 0,
		    DG_EINVAL },
		/* Ed25519 PKCS#8 PEM is 119 bytes, its p= 44 characters. */
		{ "pem too small", DG_DKIM_ALG_ED25519_SHA256, 0, 119, 2048,
		    DG_ETOOBIG },
		{ "pub too small", DG_DKIM_ALG_ED25519_SHA256, 0, 8192, 44,
		    DG_ETOOBIG },
		{ "pem just fits", DG_DKIM_ALG_ED25519_SHA256, 0, 120, 45,
		    DG_OK },
		{ "rsa pem too small", DG_DKIM_ALG_RSA_SHA256, 1024, 100, 2048,
		    DG_ETOOBIG },
	};
	char	pem[DG_DKIM_KEYGEN_PEM_MAX], pub[DG_DKIM_KEYGEN_PUB_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(pem, 'x', sizeof(pem));
		CHECK_INT(rows[i].name, dg_dkim_keygen(rows[i].alg,
		    rows[i].bits, pem, rows[i].pem_cap, pub, rows[i].pub_cap),
		    rows[i].want);
		if (rows[i].want == DG_ETOOBIG)	/* no secret left behind */
			CHECK_INT(rows[i].name, pem[0], '\0');
	}
	CHECK_INT("NULL pem", dg_dkim_keygen(DG_DKIM_ALG_ED25519_SHA256, 0,
	    NULL, 10, pub, sizeof(pub)), DG_EINVAL);
	CHECK_INT("NULL pub", dg_dkim_keygen(DG_DKIM_ALG_ED25519_SHA256, 0,
	    pem, sizeof(pem), NULL, 10), DG_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_fresh),
		cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
