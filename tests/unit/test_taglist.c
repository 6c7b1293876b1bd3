/*
 * tests/unit/test_taglist.c -- the shared RFC 6376 3.2 tag-list parser.
 * Each row gives the input and either the tags it splits into (rendered
 * "name=value|name=value") or the named error and its byte position.
 */
#include "testutil.h"

#include "util/limits.h"
#include "util/taglist.h"

static const struct {
	const char		*name;
	const char		*in;
	size_t			 len;		/* 0: strlen(in) */
	unsigned		 flags;
	enum dg_err		 want_err;
	const char		*want_tags;	/* when DG_OK */
	enum dg_taglist_reason	 want_reason;	/* otherwise */
	size_t			 want_pos;
} rows[] = {
	{ "simple", "v=1; a=rsa-sha256", 0, 0, DG_OK,
	    "v=1|a=rsa-sha256", 0, 0 },
	{ "one-tag", "p=", 0, 0, DG_OK, "p=", 0, 0 },
	{ "trailing-semi", "v=1;", 0, 0, DG_OK, "v=1", 0, 0 },
	{ "trailing-semi-fws", "v=1; \t", 0, 0, DG_OK, "v=1", 0, 0 },
	{ "fws-around", "  v = 1 ;\ta=b\t", 0, 0, DG_OK, "v=1|a=b", 0, 0 },
	{ "fold-crlf-between", "v=1;\r\n b=x", 0, 0, DG_OK, "v=1|b=x", 0, 0 },
	{ "fold-inside-value", "b=abc\r\n\tdef; c=1", 0, 0, DG_OK,
	    "b=abc\r\n\tdef|c=1", 0, 0 },
	{ "fold-before-equals", "b\r\n =1", 0, 0, DG_OK, "b=1", 0, 0 },
	{ "fold-lf-tolerated", "v=1;\n b=x", 0, 0, DG_OK, "v=1|b=x", 0, 0 },
	{ "empty-values", "a=;b=", 0, 0, DG_OK, "a=|b=", 0, 0 },
	{ "empty-value-fws", "a= ;b=1", 0, 0, DG_OK, "a=|b=1", 0, 0 },
	{ "name-alnumpunc", "a_1B=x", 0, 0, DG_OK, "a_1B=x", 0, 0 },
	{ "value-inner-wsp", "n=a b  c ", 0, 0, DG_OK, "n=a b  c", 0, 0 },
	{ "value-equals", "a=b=c", 0, 0, DG_OK, "a=b=c", 0, 0 },
	{ "value-edges", "x=!~:<", 0, 0, DG_OK, "x=!~:<", 0, 0 },
	{ "case-distinct", "a=1;A=2", 0, 0, DG_OK, "a=1|A=2", 0, 0 },
	{ "allow-dup", "a=1;a=2", 0, DG_TAGLIST_ALLOW_DUP, DG_OK,
	    "a=1|a=2", 0, 0 },
	{ "dmarc-record", "v=DMARC1; p=reject; rua=mailto:a@b.example", 0,
	    DG_TAGLIST_NOCASE, DG_OK,
	    "v=DMARC1|p=reject|rua=mailto:a@b.example", 0, 0 },

	/* Named errors with positions. */
	{ "dup", "a=1;a=2", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_DUPLICATE, 4 },
	{ "dup-nocase", "a=1; A=2", 0, DG_TAGLIST_NOCASE, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_DUPLICATE, 5 },
	{ "dup-empty", "h=;h=", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_DUPLICATE, 3 },

	/* Hostile rows. */
	{ "empty", "", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_NAME, 0 },
	{ "wsp-only", "   ", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_NAME, 3 },
	{ "semi-only", ";", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_NAME, 0 },
	{ "double-semi", "a=1;;b=2", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_NAME, 4 },
	{ "leading-digit", "1a=2", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_NAME, 0 },
	{ "equals-first", "=1", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_NAME, 0 },
	{ "no-equals", "abc", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_EQUALS, 3 },
	{ "no-equals-semi", "a;b=1", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_EQUALS, 1 },
	{ "space-in-name", "a b=1", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_EXPECTED_EQUALS, 2 },
	{ "dash-in-name", "a-b=1", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_NAME, 1 },
	{ "nul-in-name", "a\0=1", 4, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_NAME, 1 },
	{ "nul-in-value", "a=x\0y", 5, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_VALUE, 3 },
	{ "utf8-in-value", "a=\xc3\xa9", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_VALUE, 2 },
	{ "ctl-in-value", "a=\x01", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_VALUE, 2 },
	{ "del-in-value", "a=\x7f", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_VALUE, 2 },
	{ "bare-cr", "a=1\r b=2", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_FOLD, 3 },
	{ "crlf-no-wsp", "a=1\r\nb=2", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_FOLD, 3 },
	{ "crlf-at-end", "a=1\r\n", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_FOLD, 3 },
	{ "lf-at-end", "a=1\n", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_FOLD, 3 },
	{ "cr-before-name", "\r a=1", 0, 0, DG_ESYNTAX, NULL,
	    DG_TAGLIST_R_BAD_FOLD, 0 },
	{ "len-cuts-value", "a=12345", 3, 0, DG_OK, "a=1", 0, 0 },
};

static void
render(const struct dg_tag *tags, size_t n, char *out, size_t cap)
{
	size_t	i, off = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		int	w = snprintf(out + off, cap - off, "%s%.*s=%.*s",
		    i ? "|" : "", (int)tags[i].name.len, tags[i].name.p,
		    (int)tags[i].value.len, tags[i].value.p);

		assert_true(w > 0 && (size_t)w < cap - off);
		off += (size_t)w;
	}
}

static void
test_rows(void **state)
{
	struct dg_tag		tags[DG_TAGLIST_MAX];
	struct dg_taglist_error	e;
	char			got[512];
	size_t			i, n, len;
	enum dg_err		err;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		len = rows[i].len ? rows[i].len : strlen(rows[i].in);
		n = 999;
		err = dg_taglist_parse(rows[i].in, len, rows[i].flags, tags,
		    NELEM(tags), &n, &e);
		CHECK_INT(rows[i].name, err, rows[i].want_err);
		if (err == DG_OK) {
			render(tags, n, got, sizeof(got));
			CHECK_STR(rows[i].name, got, rows[i].want_tags);
			CHECK_INT(rows[i].name, e.reason, DG_TAGLIST_R_NONE);
		} else {
			CHECK_INT(rows[i].name, e.reason, rows[i].want_reason);
			CHECK_INT(rows[i].name, e.pos, rows[i].want_pos);
		}
	}
}

/* Spans point into the input; an empty value still points inside it. */
static void
test_spans(void **state)
{
	static const char	in[] = "v=1; h= ; b=x y";
	struct dg_tag		tags[4];
	size_t			n;

	(void)state;
	assert_int_equal(dg_taglist_parse(in, strlen(in), 0, tags, 4, &n,
	    NULL), DG_OK);
	assert_int_equal(n, 3);
	assert_ptr_equal(tags[0].name.p, in);
	assert_ptr_equal(tags[1].value.p, in + 8);
	assert_int_equal(tags[1].value.len, 0);
	assert_ptr_equal(tags[2].value.p, in + 12);
	assert_int_equal(tags[2].value.len, 3);
}

/* The cap: the caller's and DG_TAGLIST_MAX, whichever is smaller. */
static void
test_limits(void **state)
{
	struct dg_tag		tags[DG_TAGLIST_MAX + 8];
	struct dg_taglist_error	e;
	char			buf[2048];
	size_t			i, n, off = 0, pos65 = 0;

	(void)state;
	for (i = 0; i < DG_TAGLIST_MAX + 1; i++) {
		if (i == DG_TAGLIST_MAX)
			pos65 = off;
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
		    "t%zu=%zu;", i, i);
	}
	assert_int_equal(dg_taglist_parse(buf, off, 0, tags, NELEM(tags), &n,
	    &e), DG_ETOOBIG);
	CHECK_INT("too-many", e.reason, DG_TAGLIST_R_TOO_MANY);
	CHECK_INT("too-many", e.pos, pos65);
	/* exactly DG_TAGLIST_MAX is fine */
	assert_int_equal(dg_taglist_parse(buf, pos65, 0, tags, NELEM(tags),
	    &n, &e), DG_OK);
	CHECK_INT("at-max", n, DG_TAGLIST_MAX);

	assert_int_equal(dg_taglist_parse("a=1;b=2;c=3", 11, 0, tags, 2, &n,
	    &e), DG_ETOOBIG);
	CHECK_INT("cap-2", e.pos, 8);

	assert_int_equal(dg_taglist_parse(NULL, 0, 0, tags, 2, &n, &e),
	    DG_EINVAL);
	assert_int_equal(dg_taglist_parse("a=1", 3, 0, NULL, 2, &n, &e),
	    DG_EINVAL);
	assert_int_equal(dg_taglist_parse("a=1", 3, 0, tags, 2, NULL, &e),
	    DG_EINVAL);
}

/* Every prefix of a valid list either parses or fails cleanly. */
static void
test_prefixes(void **state)
{
	static const char	in[] = "v=1; a=rsa-sha256;\r\n\tb=ab\r\n cd;";
	struct dg_tag		tags[8];
	size_t			len, n;
	enum dg_err		err;

	(void)state;
	for (len = 0; len <= strlen(in); len++) {
		err = dg_taglist_parse(in, len, 0, tags, 8, &n, NULL);
		assert_true(err == DG_OK || err == DG_ESYNTAX);
	}
}

enum { T_V, T_P, T_SP };

static void
test_match(void **state)
{
	static const struct dg_tagdef	defs[] = {
		{ "v", T_V }, { "p", T_P }, { "sp", T_SP },
	};
	struct dg_tag			tags[4];
	struct dg_span			s;
	size_t				n;

	(void)state;
	s.p = "sp";
	s.len = 2;
	CHECK_INT("sp", dg_taglist_match(defs, NELEM(defs), s, false), T_SP);
	s.p = "SP";
	CHECK_INT("SP-case", dg_taglist_match(defs, NELEM(defs), s, false),
	    -1);
	CHECK_INT("SP-nocase", dg_taglist_match(defs, NELEM(defs), s, true),
	    T_SP);
	s.p = "spx";
	s.len = 3;
	CHECK_INT("unknown", dg_taglist_match(defs, NELEM(defs), s, true), -1);
	s.len = 1;
	CHECK_INT("prefix-only", dg_taglist_match(defs, NELEM(defs), s, true),
	    -1);

	assert_int_equal(dg_taglist_parse("v=1; P=x", 8, 0, tags, 4, &n,
	    NULL), DG_OK);
	assert_null(dg_taglist_find(tags, n, "p", false));
	assert_ptr_equal(dg_taglist_find(tags, n, "p", true), &tags[1]);
	CHECK_STR("reason", dg_taglist_reason_str(DG_TAGLIST_R_DUPLICATE),
	    "duplicate tag");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
