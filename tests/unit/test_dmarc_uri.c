/*
 * tests/unit/test_dmarc_uri.c -- DMARC reporting URIs (RFC 9989 4.8,
 * RFC 7489 6.2, RFC 6068 mailto:).  Each row: the URI text, then the
 * status, scheme, decoded address, destination host, size suffix and the
 * error text (or NULL).
 */
#include "testutil.h"

#include <dmarcguard/dmarc.h>

#include "util/alloc.h"

#define OK	DG_DMARC_URI_OK
#define UNSUP	DG_DMARC_URI_UNSUPPORTED
#define BAD	DG_DMARC_URI_BAD

static const struct {
	const char		*name;
	const char		*uri;
	enum dg_dmarc_uri_status status;
	const char		*scheme;
	const char		*address;
	const char		*host;
	int			 has_size;
	uint64_t		 size;
	const char		*error;
} rows[] = {
	{ "plain", "mailto:a@example.com", OK, "mailto", "a@example.com",
	  "example.com", 0, 0, NULL },
	{ "upper", "MAILTO:A@Example.COM", OK, "mailto", "A@Example.COM",
	  "example.com", 0, 0, NULL },
	{ "final-dot", "mailto:a@example.com.", OK, "mailto",
	  "a@example.com.", "example.com", 0, 0, NULL },
	{ "trimmed", "  mailto:a@example.com\t", OK, "mailto",
	  "a@example.com", "example.com", 0, 0, NULL },
	{ "hfields", "mailto:a@example.com?subject=dmarc", OK, "mailto",
	  "a@example.com", "example.com", 0, 0, NULL },
	{ "plus-local", "mailto:dmarc+rua@example.com", OK, "mailto",
	  "dmarc+rua@example.com", "example.com", 0, 0, NULL },
	{ "pct-hyphen", "mailto:dmarc%2Dreports@example.com", OK, "mailto",
	  "dmarc-reports@example.com", "example.com", 0, 0, NULL },
	{ "quoted-local", "mailto:%22a%20b%22@example.com", OK, "mailto",
	  "\"a b\"@example.com", "example.com", 0, 0, NULL },
	{ "idn-host", "mailto:a@b%C3%A4.example", OK, "mailto",
	  "a@b\xc3\xa4.example", "xn--b-0fa.example", 0, 0, NULL },

	/* sizes: RFC 7489 6.2 units are powers of two */
	{ "size-m", "mailto:a@example.com!10m", OK, "mailto", "a@example.com",
	  "example.com", 1, 10485760ull, NULL },
	{ "size-M", "mailto:a@example.com!10M", OK, "mailto", "a@example.com",
	  "example.com", 1, 10485760ull, NULL },
	{ "size-k", "mailto:a@example.com!10k", OK, "mailto", "a@example.com",
	  "example.com", 1, 10240, NULL },
	{ "size-g", "mailto:a@example.com!1g", OK, "mailto", "a@example.com",
	  "example.com", 1, 1073741824ull, NULL },
	{ "size-t", "mailto:a@example.com!2t", OK, "mailto", "a@example.com",
	  "example.com", 1, 2199023255552ull, NULL },
	{ "size-bytes", "mailto:a@example.com!500", OK, "mailto",
	  "a@example.com", "example.com", 1, 500, NULL },
	{ "size-zero", "mailto:a@example.com!0", OK, "mailto",
	  "a@example.com", "example.com", 1, 0, NULL },
	{ "size-saturate", "mailto:a@example.com!99999999999999999999999t",
	  OK, "mailto", "a@example.com", "example.com", 1, UINT64_MAX, NULL },
	{ "size-shift-saturate", "mailto:a@example.com!17000000t", OK,
	  "mailto", "a@example.com", "example.com", 1, UINT64_MAX, NULL },
	{ "size-bad-unit", "mailto:a@example.com!10x", BAD, NULL, NULL, NULL,
	  1, 0, "invalid size suffix after \"!\" (want digits and k, m, g "
	  "or t)" },
	{ "size-empty", "mailto:a@example.com!", BAD, NULL, NULL, NULL, 1, 0,
	  "invalid size suffix after \"!\" (want digits and k, m, g or t)" },
	{ "size-unit-only", "mailto:a@example.com!m", BAD, NULL, NULL, NULL,
	  1, 0, "invalid size suffix after \"!\" (want digits and k, m, g "
	  "or t)" },
	{ "size-twice", "mailto:a@example.com!10m!5k", BAD, NULL, NULL, NULL,
	  1, 0, "invalid size suffix after \"!\" (want digits and k, m, g "
	  "or t)" },

	/* broken mailto: */
	{ "no-scheme", "a@example.com", BAD, NULL, NULL, NULL, 0, 0,
	  "no URI scheme (want mailto:)" },
	{ "digit-scheme", "1mailto:a@example.com", BAD, NULL, NULL, NULL, 0,
	  0, "no URI scheme (want mailto:)" },
	{ "colon-first", ":a@example.com", BAD, NULL, NULL, NULL, 0, 0,
	  "no URI scheme (want mailto:)" },
	{ "empty", "", BAD, NULL, NULL, NULL, 0, 0, "empty URI" },
	{ "blank", "   ", BAD, NULL, NULL, NULL, 0, 0, "empty URI" },
	{ "no-address", "mailto:", BAD, "mailto", NULL, NULL, 0, 0,
	  "mailto: URI without an address" },
	{ "only-hfields", "mailto:?to=a@example.com", BAD, "mailto", NULL,
	  NULL, 0, 0, "mailto: URI without an address" },
	{ "no-at", "mailto:example.com", BAD, "mailto", NULL, NULL, 0, 0,
	  "address without \"@\"" },
	{ "empty-local", "mailto:@example.com", BAD, "mailto", NULL, NULL, 0,
	  0, "invalid local part in address" },
	{ "double-dot", "mailto:a..b@example.com", BAD, "mailto", NULL, NULL,
	  0, 0, "invalid local part in address" },
	{ "leading-dot", "mailto:.a@example.com", BAD, "mailto", NULL, NULL,
	  0, 0, "invalid local part in address" },
	{ "empty-domain", "mailto:a@", BAD, "mailto", NULL, NULL, 0, 0,
	  "invalid domain in address" },
	{ "bad-domain", "mailto:a@exa..mple.com", BAD, "mailto", NULL, NULL,
	  0, 0, "invalid domain in address" },
	{ "literal", "mailto:a@[192.0.2.1]", BAD, "mailto", NULL, NULL, 0, 0,
	  "address literal instead of a domain" },
	{ "two-addresses", "mailto:a@example.com%2Cb@example.com", BAD,
	  "mailto", NULL, NULL, 0, 0,
	  "more than one address in one mailto: URI" },
	{ "pct-bad-hex", "mailto:a%zz@example.com", BAD, NULL, NULL, NULL, 0,
	  0, "broken percent-escape" },
	{ "pct-short", "mailto:a@example.com%4", BAD, NULL, NULL, NULL, 0, 0,
	  "broken percent-escape" },
	{ "pct-nul", "mailto:a%00@example.com", BAD, "mailto", NULL, NULL, 0,
	  0, "broken percent-escape" },
	{ "pct-bang-in-domain", "mailto:a@example.com%21", BAD, "mailto",
	  NULL, NULL, 0, 0, "invalid domain in address" },
	{ "space-inside", "mailto:a@example.com mailto:b@example.com", BAD,
	  NULL, NULL, NULL, 0, 0,
	  "white space inside a URI (missing \",\"?)" },
	{ "angle", "mailto:<a@example.com>", BAD, NULL, NULL, NULL, 0, 0,
	  "character not allowed in a URI" },
	{ "comma", "mailto:a@example.com,", BAD, NULL, NULL, NULL, 0, 0,
	  "character not allowed in a URI" },
	{ "raw-utf8", "mailto:a@b\xc3\xa4.example", BAD, NULL, NULL, NULL, 0,
	  0, "character not allowed in a URI" },
	{ "local-too-long", "mailto:"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "@example.com", BAD, "mailto", NULL, NULL, 0, 0,
	  "invalid local part in address" },

	/* other schemes: kept, unsupported (RFC 9989 4.7) */
	{ "https", "https://reports.example.com/dmarc", UNSUP, "https", NULL,
	  "reports.example.com", 0, 0,
	  "scheme \"https\" is not supported (only mailto:)" },
	{ "https-userinfo-port", "HTTPS://user@Reports.Example.COM:8443/x",
	  UNSUP, "https", NULL, "reports.example.com", 0, 0,
	  "scheme \"https\" is not supported (only mailto:)" },
	{ "http-ipv6", "http://[2001:db8::1]/r", UNSUP, "http", NULL, NULL, 0,
	  0, "scheme \"http\" is not supported (only mailto:)" },
	{ "http-size", "http://r.example.net/!1k", UNSUP, "http", NULL,
	  "r.example.net", 1, 1024, "scheme \"http\" is not supported (only "
	  "mailto:)" },
	{ "opaque", "urn:x-dmarc:reports", UNSUP, "urn", NULL, NULL, 0, 0,
	  "scheme \"urn\" is not supported (only mailto:)" },
};

static void
test_rows(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dmarc_uri	 u;

		assert_non_null(a);
		CHECK_INT(rows[i].name, dg_dmarc_uri_parse(a, rows[i].uri,
		    strlen(rows[i].uri), &u), DG_OK);
		CHECK_STR(rows[i].name, dg_dmarc_uri_status_str(u.status),
		    dg_dmarc_uri_status_str(rows[i].status));
		CHECK_STR(rows[i].name, u.scheme, rows[i].scheme);
		CHECK_STR(rows[i].name, u.address, rows[i].address);
		CHECK_STR(rows[i].name, u.host, rows[i].host);
		CHECK_INT(rows[i].name, u.has_size, rows[i].has_size);
		if (u.size != rows[i].size)
			fail_msg("%s: size %llu, want %llu", rows[i].name,
			    (unsigned long long)u.size,
			    (unsigned long long)rows[i].size);
		CHECK_STR(rows[i].name, u.error, rows[i].error);
		assert_non_null(u.text);
		dg_arena_free(a);
	}
}

/* text is the URI without the size suffix; pos skips leading WSP. */
static void
test_text_pos(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_uri	 u;
	const char		*s = "  mailto:a@example.com!5k ";

	(void)state;
	assert_non_null(a);
	assert_int_equal(dg_dmarc_uri_parse(a, s, strlen(s), &u), DG_OK);
	CHECK_STR("text", u.text, "mailto:a@example.com");
	CHECK_INT("pos", u.pos, 2);
	CHECK_INT("size", u.size, 5120);

	/* Not NUL-terminated: the parser stops at len. */
	assert_int_equal(dg_dmarc_uri_parse(a, "mailto:a@example.comXYZ", 20,
	    &u), DG_OK);
	CHECK_STR("len-host", u.host, "example.com");

	CHECK_INT("null", dg_dmarc_uri_parse(a, NULL, 0, &u), DG_EINVAL);
	CHECK_INT("null-out", dg_dmarc_uri_parse(a, "x", 1, NULL), DG_EINVAL);
	CHECK_INT("null-arena", dg_dmarc_uri_parse(NULL, "x", 1, &u),
	    DG_EINVAL);
	dg_arena_free(a);
}

/* URI list positions inside a record. */
static void
test_list_positions(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_record	 r;
	const char		*rec = "v=DMARC1; p=none; rua=mailto:a@example"
				    ".com,  https://r.example.net/ ,mailto:b";

	(void)state;
	assert_non_null(a);
	assert_int_equal(dg_dmarc_record_parse(a, rec, strlen(rec), &r),
	    DG_OK);
	CHECK_INT("nrua", r.nrua, 3);
	CHECK_INT("pos0", r.rua[0].pos, 22);
	CHECK_INT("pos1", r.rua[1].pos, 45);
	CHECK_STR("text1", r.rua[1].text, "https://r.example.net/");
	CHECK_INT("pos2", r.rua[2].pos, 69);
	CHECK_INT("st2", r.rua[2].status, DG_DMARC_URI_BAD);
	CHECK_INT("nfindings", r.nfindings, 2);
	CHECK_INT("f0", r.findings[0].pos, 45);
	CHECK_INT("f1", r.findings[1].pos, 69);
	CHECK_STR("m1", r.findings[1].message, "rua: \"mailto:b\": address "
	    "without \"@\"; ignored");
	dg_arena_free(a);
}

static void
test_enomem(void **state)
{
	const char	*s = "mailto:%22a%20b%22@b%C3%A4.example!10m";
	const char	*h = "https://u@R.example.COM:1/x";
	unsigned long	 n;
	int		 done = 0;

	(void)state;
	for (n = 1; n < 200 && done < 2; n++) {
		struct dg_arena		*a;
		struct dg_dmarc_uri	 u;
		enum dg_err		 e1, e2;

		dg_alloc_fail_after(n);
		if ((a = dg_arena_new(0)) == NULL) {
			dg_alloc_fail_after(0);
			continue;
		}
		e1 = dg_dmarc_uri_parse(a, s, strlen(s), &u);
		e2 = dg_dmarc_uri_parse(a, h, strlen(h), &u);
		if (!dg_alloc_failed()) {
			CHECK_INT("e1", e1, DG_OK);
			CHECK_INT("e2", e2, DG_OK);
			done++;
		} else if (e1 != DG_ENOMEM && e2 != DG_ENOMEM) {
			fail_msg("n=%lu: no DG_ENOMEM (%d, %d)", n, e1, e2);
		}
		dg_alloc_fail_after(0);
		dg_arena_free(a);
	}
	assert_true(done >= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_text_pos),
		cmocka_unit_test(test_list_positions),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
