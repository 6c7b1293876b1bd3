/*
 * tests/unit/test_msg_header.c -- RFC 5322 header section parsing:
 * line endings, folding, obsolete syntax, limits, hostile bytes, the raw
 * round trip and lookup order.
 */
#include "testutil.h"

#include <dmarcguard/arena.h>
#include <dmarcguard/msg.h>

#include "util/alloc.h"
#include "util/limits.h"
#include "util/str.h"

/* Join the names (or values) of h's fields with '|'. */
static const char *
join(const struct dg_msg_hdr *h, bool values, char *buf, size_t cap)
{
	size_t	i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < h->nfields; i++) {
		const char	*s = values ? h->fields[i].value :
		    h->fields[i].name;
		size_t		 n = values ? h->fields[i].value_len :
		    h->fields[i].name_len;

		if (i > 0 && o + 1 < cap)
			buf[o++] = '|';
		if (o + n >= cap)
			n = cap - o - 1;
		memcpy(buf + o, s, n);
		o += n;
		buf[o] = '\0';
	}
	return buf;
}

static const struct {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	unsigned	 flags;
	enum dg_err	 err;
	const char	*names;
	const char	*values;
	size_t		 body;		/* body_offset */
	bool		 sep;
	unsigned	 errline;
	const char	*errmsg;
} rows[] = {
	{ "crlf", "From: a@b.example\r\nTo: c@d.example\r\n\r\nbody\r\n", 0,
	    0, DG_OK, "From|To", "a@b.example|c@d.example", 38, true, 0,
	    NULL },
	{ "lf", "From: a@b.example\nTo: c@d.example\n\nbody\n", 0, 0, DG_OK,
	    "From|To", "a@b.example|c@d.example", 35, true, 0, NULL },
	{ "mixed", "A: 1\r\nB: 2\nC: 3\r\n\nx", 0, 0, DG_OK, "A|B|C",
	    "1|2|3", 18, true, 0, NULL },
	{ "folded-crlf", "Subject: hello\r\n world\r\n\tagain\r\n\r\n", 0, 0,
	    DG_OK, "Subject", "hello world\tagain", 34, true, 0, NULL },
	{ "folded-lf", "Subject: a\n b\n\n", 0, 0, DG_OK, "Subject", "a b",
	    15, true, 0, NULL },
	{ "fold-first", "Subject:\r\n  x\r\n\r\n", 0, 0, DG_OK, "Subject", "x",
	    17, true, 0, NULL },
	{ "obs-wsp-colon", "Subject : x\r\nFrom\t:y\r\n\r\n", 0, 0, DG_OK,
	    "Subject|From", "x|y", 24, true, 0, NULL },
	{ "empty-value", "X-Empty:\r\nY:\r\n\r\n", 0, 0, DG_OK, "X-Empty|Y",
	    "|", 16, true, 0, NULL },
	{ "ws-only-value", "X:   \r\n\r\n", 0, 0, DG_OK, "X", "", 9, true, 0,
	    NULL },
	{ "trailing-ws-kept", "X: a  \r\n\r\n", 0, 0, DG_OK, "X", "a  ", 10,
	    true, 0, NULL },
	{ "no-body", "From: a@b.example\r\nTo: c@d.example\r\n", 0, 0, DG_OK,
	    "From|To", "a@b.example|c@d.example", 36, false, 0, NULL },
	{ "no-final-eol", "From: a@b.example", 0, 0, DG_OK, "From",
	    "a@b.example", 17, false, 0, NULL },
	{ "sep-no-body", "A: 1\r\n\r\n", 0, 0, DG_OK, "A", "1", 8, true, 0,
	    NULL },
	{ "empty-input", "", 0, 0, DG_OK, "", "", 0, false, 0, NULL },
	{ "only-sep", "\r\nbody", 0, 0, DG_OK, "", "", 2, true, 0, NULL },
	{ "mbox-from", "From sender@x.example Sat Jan  1 00:00:00 2000\n"
	    "From: a@b.example\n\n", 0, 0, DG_OK, "From", "a@b.example", 66,
	    true, 0, NULL },
	{ "8bit", "Subject: caf\xc3\xa9 \xff\r\n\r\n", 0, 0, DG_OK,
	    "Subject", "caf\xc3\xa9 \xff", 20, true, 0, NULL },
	{ "bare-cr-kept", "X: a\rb\r\n\r\n", 0, 0, DG_OK, "X", "a\rb", 10,
	    true, 0, NULL },
	{ "ws-only-continuation", "X: a\r\n \r\nY: b\r\n\r\n", 0, 0, DG_OK,
	    "X|Y", "a |b", 17, true, 0, NULL },
	{ "body-looks-like-header", "A: 1\n\nB: 2\n", 0, 0, DG_OK, "A", "1",
	    6, true, 0, NULL },
	/* Hostile and broken input. */
	{ "garbage-line", "From: a@b.example\r\nthis is not a field\r\n\r\n",
	    0, 0, DG_ESYNTAX, NULL, NULL, 0, false, 2,
	    "line 2: neither a header field nor a continuation line" },
	{ "leading-continuation", " x\r\nA: 1\r\n", 0, 0, DG_ESYNTAX, NULL,
	    NULL, 0, false, 1, "line 1: continuation line before any field" },
	{ "colon-first", ": x\r\n", 0, 0, DG_ESYNTAX, NULL, NULL, 0, false, 1,
	    "line 1: neither a header field nor a continuation line" },
	{ "space-in-name", "Bad Name: x\r\n", 0, 0, DG_ESYNTAX, NULL, NULL, 0,
	    false, 1,
	    "line 1: neither a header field nor a continuation line" },
	{ "mbox-not-first", "A: 1\nFrom x@y.example Sat\n", 0, 0, DG_ESYNTAX,
	    NULL, NULL, 0, false, 2,
	    "line 2: neither a header field nor a continuation line" },
	{ "nul-in-value", "A: 1\r\nB: x\0y\r\n\r\n", 16, 0, DG_ESYNTAX, NULL,
	    NULL, 0, false, 2, "line 2: NUL byte in header" },
	{ "nul-in-body-ok", "A: 1\r\n\r\nx\0y", 12, 0, DG_OK, "A", "1", 8,
	    true, 0, NULL },
	{ "cr-only-line", "A: 1\r\n\r\r\n\r\n", 0, 0, DG_ESYNTAX, NULL, NULL,
	    0, false, 2,
	    "line 2: neither a header field nor a continuation line" },
	{ "lenient-skip", "A: 1\r\njunk\r\n cont\r\nB: 2\r\n\r\n", 0,
	    DG_MSG_HDR_LENIENT, DG_OK, "A|B", "1|2", 27, true, 0, NULL },
	{ "lenient-lead-cont", " x\r\nA: 1\r\n\r\n", 0, DG_MSG_HDR_LENIENT,
	    DG_OK, "A", "1", 12, true, 0, NULL },
};

static void
test_rows(void **state)
{
	char	names[512], values[512];
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_hdr	 h;
		struct dg_msg_error	 err;
		size_t			 len = rows[i].len != 0 ? rows[i].len :
		    strlen(rows[i].in);
		enum dg_err		 e;

		e = dg_msg_hdr_parse(a, rows[i].in, len, rows[i].flags, &h,
		    &err);
		CHECK_INT(rows[i].name, e, rows[i].err);
		if (e != DG_OK) {
			CHECK_INT(rows[i].name, err.line, rows[i].errline);
			CHECK_STR(rows[i].name, err.msg, rows[i].errmsg);
			dg_arena_free(a);
			continue;
		}
		CHECK_STR(rows[i].name, join(&h, false, names, sizeof(names)),
		    rows[i].names);
		CHECK_STR(rows[i].name, join(&h, true, values, sizeof(values)),
		    rows[i].values);
		CHECK_INT(rows[i].name, h.body_offset, rows[i].body);
		CHECK_INT(rows[i].name, h.has_separator, rows[i].sep);
		dg_arena_free(a);
	}
}

/* Concatenating every field's raw bytes gives back the header section. */
static void
test_roundtrip(void **state)
{
	static const char *const msgs[] = {
		"From: a@b.example\r\nSubject: x\r\n  y\r\n\tz\r\n\r\nbody",
		"A: 1\nB:\n 2\r\nC :  3  \n \n\nbody\n",
		"X: no final newline",
		"From x@y Sat\r\nA: 1\r\n  2\r\n",
		"DKIM-Signature: v=1; a=rsa-sha256;\r\n\tb=abc\r\n def;\r\n"
		    "From: a@b\r\n\r\n",
	};
	size_t	i, j, o;
	char	buf[512];

	(void)state;
	for (i = 0; i < NELEM(msgs); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_hdr	 h;
		size_t			 len = strlen(msgs[i]);

		assert_int_equal(dg_msg_hdr_parse(a, msgs[i], len, 0, &h,
		    NULL), DG_OK);
		o = 0;
		if (h.mbox_from != NULL) {
			memcpy(buf, h.mbox_from, h.mbox_from_len);
			o = h.mbox_from_len;
		}
		for (j = 0; j < h.nfields; j++) {
			memcpy(buf + o, h.fields[j].raw, h.fields[j].raw_len);
			o += h.fields[j].raw_len;
		}
		CHECK_INT(msgs[i], o, h.header_len);
		if (memcmp(buf, msgs[i], o) != 0)
			fail_msg("row %zu: raw bytes differ", i);
		dg_arena_free(a);
	}
}

static void
test_field_details(void **state)
{
	static const char	msg[] =
	    "From x@y Sat\r\nSubject : hi\r\n there\r\nTo: a\r\n\r\n";
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_msg_hdr	 h;

	(void)state;
	assert_int_equal(dg_msg_hdr_parse(a, msg, strlen(msg), 0, &h, NULL),
	    DG_OK);
	CHECK_INT("nfields", h.nfields, 2);
	CHECK_INT("mbox len", h.mbox_from_len, 14);
	CHECK_INT("line", h.fields[0].line, 2);
	CHECK_INT("nlines", h.fields[0].nlines, 2);
	CHECK_INT("obs", h.fields[0].obs_wsp_colon, 1);
	CHECK_INT("obs2", h.fields[1].obs_wsp_colon, 0);
	CHECK_INT("name_len", h.fields[0].name_len, 7);
	CHECK_INT("raw_len", h.fields[0].raw_len, 22);
	CHECK_STR("value", h.fields[0].value, "hi there");
	CHECK_INT("line2", h.fields[1].line, 4);
	CHECK_INT("crlf", h.crlf, 1);
	CHECK_INT("bare_lf", h.bare_lf, 0);
	CHECK_INT("header_len", h.header_len, 43);
	dg_arena_free(a);
}

static void
test_lookup(void **state)
{
	static const char	msg[] =
	    "Received: 1\r\nFrom: a@x\r\nreceived: 2\r\nTo: t\r\n"
	    "RECEIVED: 3\r\n\r\n";
	struct dg_arena			*a = dg_arena_new(0);
	struct dg_msg_hdr		 h;
	const struct dg_msg_field	*f;
	size_t				 idx;
	char				 got[64];
	size_t				 o;

	(void)state;
	assert_int_equal(dg_msg_hdr_parse(a, msg, strlen(msg), 0, &h, NULL),
	    DG_OK);
	CHECK_INT("count", dg_msg_hdr_count(&h, "Received"), 3);
	CHECK_INT("count none", dg_msg_hdr_count(&h, "Cc"), 0);
	idx = 0;
	o = 0;
	while ((f = dg_msg_hdr_next(&h, "received", &idx)) != NULL)
		got[o++] = f->value[0];
	got[o] = '\0';
	CHECK_STR("top-down", got, "123");
	idx = h.nfields;
	o = 0;
	while ((f = dg_msg_hdr_prev(&h, "RECEIVED", &idx)) != NULL)
		got[o++] = f->value[0];
	got[o] = '\0';
	CHECK_STR("bottom-up", got, "321");
	idx = 0;
	f = dg_msg_hdr_next(&h, "from", &idx);
	assert_non_null(f);
	CHECK_STR("from", f->value, "a@x");
	CHECK_INT("from idx", idx, 2);
	assert_null(dg_msg_hdr_next(&h, "from", &idx));
	idx = 0;
	assert_null(dg_msg_hdr_next(&h, "Fro", &idx));
	idx = 0;
	assert_null(dg_msg_hdr_prev(&h, "To", &idx));	/* nothing above 0 */
	dg_arena_free(a);
}

/* Build a header with n fields of the given value length. */
static char *
make_header(size_t n, size_t vlen, size_t *len)
{
	size_t	 i, o = 0, per = 4 + vlen + 2;
	char	*s = malloc(n * per + 3);

	assert_non_null(s);
	for (i = 0; i < n; i++) {
		memcpy(s + o, "X: ", 3);
		o += 3;
		memset(s + o, 'v', vlen + 1);
		o += vlen + 1;
		memcpy(s + o, "\r\n", 2);
		o += 2;
	}
	memcpy(s + o, "\r\n", 2);
	o += 2;
	*len = o;
	return s;
}

static void
test_limits(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_msg_hdr	 h;
	struct dg_msg_error	 err;
	char			*s, want[DG_DETAIL_MAX];
	size_t			 len;

	(void)state;
	/* Exactly DG_HDR_FIELDS_MAX fields is fine; one more is not. */
	s = make_header(DG_HDR_FIELDS_MAX, 1, &len);
	CHECK_INT("fields at max", dg_msg_hdr_parse(a, s, len, 0, &h, &err),
	    DG_OK);
	CHECK_INT("fields n", h.nfields, DG_HDR_FIELDS_MAX);
	free(s);
	s = make_header(DG_HDR_FIELDS_MAX + 1, 1, &len);
	CHECK_INT("fields over", dg_msg_hdr_parse(a, s, len, 0, &h, &err),
	    DG_ETOOBIG);
	dg_fmt(want, sizeof(want), "line %u: more than DG_HDR_FIELDS_MAX "
	    "(%u) fields", DG_HDR_FIELDS_MAX + 1, DG_HDR_FIELDS_MAX);
	CHECK_STR("fields msg", err.msg, want);
	CHECK_INT("fields line", err.line, DG_HDR_FIELDS_MAX + 1);
	free(s);

	/* A long line is tolerated and counted. */
	s = make_header(1, 5000, &len);
	CHECK_INT("long line", dg_msg_hdr_parse(a, s, len, 0, &h, &err),
	    DG_OK);
	CHECK_INT("long_lines", h.long_lines, 1);
	CHECK_INT("long value", h.fields[0].value_len, 5001);
	free(s);

	/* One field over DG_HDR_FIELD_MAX. */
	s = make_header(2, DG_HDR_FIELD_MAX, &len);
	CHECK_INT("field over", dg_msg_hdr_parse(a, s, len, 0, &h, &err),
	    DG_ETOOBIG);
	dg_fmt(want, sizeof(want), "line 1: field exceeds DG_HDR_FIELD_MAX "
	    "(%u bytes)", DG_HDR_FIELD_MAX);
	CHECK_STR("field msg", err.msg, want);
	free(s);

	/* A folded field that grows over the limit line by line. */
	{
		size_t	 i, o = 0, n = DG_HDR_FIELD_MAX / 100 + 2;

		s = malloc(n * 100 + 16);
		memcpy(s, "X: a\r\n", 6);
		o = 6;
		for (i = 0; i < n; i++) {
			memset(s + o, ' ', 98);
			s[o + 1] = 'b';
			memcpy(s + o + 98, "\r\n", 2);
			o += 100;
		}
		CHECK_INT("folded over", dg_msg_hdr_parse(a, s, o, 0, &h,
		    &err), DG_ETOOBIG);
		CHECK_STR("folded msg", err.msg, want);
		free(s);
	}

	/* The section limit: many fields below the count limit. */
	s = make_header(DG_HDR_FIELDS_MAX - 1, 2000, &len);
	CHECK_INT("section over", dg_msg_hdr_parse(a, s, len, 0, &h, &err),
	    DG_ETOOBIG);
	dg_fmt(want, sizeof(want), "line %u: header section exceeds "
	    "DG_HDR_SECTION_MAX (%u bytes)", err.line, DG_HDR_SECTION_MAX);
	CHECK_STR("section msg", err.msg, want);
	CHECK_INT("section line", err.line,
	    DG_HDR_SECTION_MAX / 2007 + 1);
	free(s);

	/* A name over DG_HDR_NAME_MAX. */
	s = malloc(DG_HDR_NAME_MAX + 16);
	memset(s, 'N', DG_HDR_NAME_MAX + 1);
	memcpy(s + DG_HDR_NAME_MAX + 1, ": x\r\n", 5);
	CHECK_INT("name over", dg_msg_hdr_parse(a, s, DG_HDR_NAME_MAX + 6, 0,
	    &h, &err), DG_ETOOBIG);
	dg_fmt(want, sizeof(want), "line 1: field name exceeds "
	    "DG_HDR_NAME_MAX (%u bytes)", DG_HDR_NAME_MAX);
	CHECK_STR("name msg", err.msg, want);
	free(s);

	CHECK_INT("einval", dg_msg_hdr_parse(a, NULL, 3, 0, &h, &err),
	    DG_EINVAL);
	dg_arena_free(a);

	/* The arena ceiling is DG_ETOOBIG too. */
	a = dg_arena_new(4096);
	s = make_header(100, 100, &len);
	CHECK_INT("arena ceiling", dg_msg_hdr_parse(a, s, len, 0, &h, &err),
	    DG_ETOOBIG);
	free(s);
	dg_arena_free(a);
}

static void
test_enomem(void **state)
{
	static const char	msg[] =
	    "Received: from a by b; Sat, 1 Jan 2000 00:00:00 +0000\r\n"
	    "From: \"Joe\" <joe@example.com>\r\nSubject: =?utf-8?q?hi?=\r\n"
	    "\r\nbody";
	unsigned long		n;
	enum dg_err		e;

	(void)state;
	for (n = 1; n < 100; n++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_hdr	 h;

		if (a == NULL)
			continue;
		dg_alloc_fail_after(n);
		e = dg_msg_hdr_parse(a, msg, strlen(msg), 0, &h, NULL);
		if (!dg_alloc_failed()) {
			dg_alloc_fail_after(0);
			CHECK_INT("final", e, DG_OK);
			dg_arena_free(a);
			break;
		}
		dg_alloc_fail_after(0);
		CHECK_INT("enomem", e, DG_ENOMEM);
		dg_arena_free(a);
	}
	assert_true(n > 1 && n < 100);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_field_details),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
