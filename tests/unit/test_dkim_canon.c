/*
 * tests/unit/test_dkim_canon.c -- RFC 6376 3.4 canonicalization: the 3.4.5
 * example exactly, body edge cases (empty body, trailing empty lines, WSP
 * at line ends, bare LF, lone CR, l= cut), header edge cases, and every
 * body row streamed in every chunk size from 1 byte up.
 */
#include "testutil.h"

#include <dmarcguard/buf.h>

#include "dkim/dkim_int.h"

static void
buf_sink(void *ctx, const char *p, size_t len)
{
	dg_buf_append(ctx, p, len);
}

static const struct {
	const char		*name;
	enum dg_dkim_canon	 canon;
	const char		*in;
	const char		*want;
} body_rows[] = {
	/* RFC 6376 3.4.5 */
	{ "rfc-3.4.5-relaxed", DG_DKIM_CANON_RELAXED,
	  " C \r\nD \t E\r\n\r\n\r\n", " C\r\nD E\r\n" },
	{ "rfc-3.4.5-simple", DG_DKIM_CANON_SIMPLE,
	  " C \r\nD \t E\r\n\r\n\r\n", " C \r\nD \t E\r\n" },
	/* 3.4.3: an empty body is one CRLF; 3.4.4 (erratum 1384): empty */
	{ "empty-simple", DG_DKIM_CANON_SIMPLE, "", "\r\n" },
	{ "empty-relaxed", DG_DKIM_CANON_RELAXED, "", "" },
	{ "only-crlfs-simple", DG_DKIM_CANON_SIMPLE, "\r\n\r\n\r\n", "\r\n" },
	{ "only-crlfs-relaxed", DG_DKIM_CANON_RELAXED, "\r\n\r\n", "" },
	{ "only-wsp-lines-relaxed", DG_DKIM_CANON_RELAXED, " \t\r\n  \r\n",
	  "" },
	{ "only-wsp-lines-simple", DG_DKIM_CANON_SIMPLE, " \t\r\n  \r\n",
	  " \t\r\n  \r\n" },
	{ "no-final-crlf-simple", DG_DKIM_CANON_SIMPLE, "abc", "abc\r\n" },
	{ "no-final-crlf-relaxed", DG_DKIM_CANON_RELAXED, "abc  ", "abc\r\n" },
	{ "trailing-empty-simple", DG_DKIM_CANON_SIMPLE, "abc\r\n\r\n\r\n",
	  "abc\r\n" },
	{ "inner-empty-kept", DG_DKIM_CANON_SIMPLE, "a\r\n\r\n\r\nb\r\n",
	  "a\r\n\r\n\r\nb\r\n" },
	{ "inner-wsp-line-relaxed", DG_DKIM_CANON_RELAXED, "a\r\n \t\r\nb",
	  "a\r\n\r\nb\r\n" },
	{ "wsp-run-relaxed", DG_DKIM_CANON_RELAXED, "a \t  b\t\r\n",
	  "a b\r\n" },
	{ "leading-wsp-relaxed", DG_DKIM_CANON_RELAXED, "\t\tx\r\n",
	  " x\r\n" },
	{ "wsp-eol-simple-kept", DG_DKIM_CANON_SIMPLE, "a \t\r\n",
	  "a \t\r\n" },
	{ "bare-lf-simple", DG_DKIM_CANON_SIMPLE, "a\nb\n\n\n", "a\r\nb\r\n" },
	{ "bare-lf-relaxed", DG_DKIM_CANON_RELAXED, "a \nb\n", "a\r\nb\r\n" },
	{ "mixed-eol", DG_DKIM_CANON_SIMPLE, "a\r\nb\nc", "a\r\nb\r\nc\r\n" },
	{ "lone-cr-is-data", DG_DKIM_CANON_SIMPLE, "a\rb\r\n", "a\rb\r\n" },
	{ "final-lone-cr", DG_DKIM_CANON_SIMPLE, "a\r", "a\r\r\n" },
	{ "cr-cr-lf", DG_DKIM_CANON_RELAXED, "a\r\r\n", "a\r\r\n" },
	{ "wsp-before-cr-data", DG_DKIM_CANON_RELAXED, "a \rb\r\n",
	  "a \rb\r\n" },
};

static void
run_body(enum dg_dkim_canon canon, const char *in, size_t len, size_t chunk,
    bool has_l, uint64_t l, struct dg_buf *out, uint64_t *total)
{
	struct dg_dkim_bodycanon	bc;
	size_t				off;

	dg_dkim_bodycanon_init(&bc, canon, has_l, l, buf_sink, out);
	if (chunk == 0) {
		dg_dkim_bodycanon_update(&bc, in, len);
	} else {
		for (off = 0; off < len; off += chunk)
			dg_dkim_bodycanon_update(&bc, in + off,
			    len - off < chunk ? len - off : chunk);
	}
	dg_dkim_bodycanon_final(&bc);
	*total = bc.total;
}

static void
test_body_rows(void **state)
{
	size_t	i, chunk;

	(void)state;
	for (i = 0; i < NELEM(body_rows); i++) {
		size_t	len = strlen(body_rows[i].in);

		for (chunk = 0; chunk <= len; chunk++) {
			struct dg_buf	out;
			uint64_t	total;
			char		row[96];

			snprintf(row, sizeof(row), "%s chunk=%zu",
			    body_rows[i].name, chunk);
			dg_buf_init(&out, 0);
			run_body(body_rows[i].canon, body_rows[i].in, len,
			    chunk, false, 0, &out, &total);
			CHECK_STR(row, dg_buf_str(&out), body_rows[i].want);
			CHECK_INT(row, total, strlen(body_rows[i].want));
			dg_buf_free(&out);
		}
	}
}

/* l= cuts what is hashed, never what is counted. */
static void
test_body_limit(void **state)
{
	static const struct {
		const char	*name;
		const char	*in;
		uint64_t	 l;
		const char	*want;
		uint64_t	 total;
	} rows[] = {
		{ "l-cut", "hello\r\nworld\r\n", 3, "hel", 14 },
		{ "l-zero", "hello\r\n", 0, "", 7 },
		{ "l-exact", "hi\r\n", 4, "hi\r\n", 4 },
		{ "l-beyond", "hi\r\n", 100, "hi\r\n", 4 },
		{ "l-cuts-held-lines", "a\r\n\r\n\r\nb\r\n", 4, "a\r\n\r", 10 },
	};
	size_t	i, chunk;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		for (chunk = 0; chunk < 4; chunk++) {
			struct dg_buf	out;
			uint64_t	total;

			dg_buf_init(&out, 0);
			run_body(DG_DKIM_CANON_SIMPLE, rows[i].in,
			    strlen(rows[i].in), chunk, true, rows[i].l, &out,
			    &total);
			CHECK_STR(rows[i].name, dg_buf_str(&out),
			    rows[i].want);
			CHECK_INT(rows[i].name, total, rows[i].total);
			dg_buf_free(&out);
		}
	}
}

/* Memory does not grow with the body: a flood of empty lines is a
 * counter, and the output arrives as it is produced. */
static void
test_body_flood(void **state)
{
	struct dg_dkim_bodycanon	 bc;
	struct dg_buf			 out;
	char				 block[4096];
	size_t				 i;

	(void)state;
	memset(block, '\n', sizeof(block));
	dg_buf_init(&out, 0);
	dg_dkim_bodycanon_init(&bc, DG_DKIM_CANON_RELAXED, false, 0, buf_sink,
	    &out);
	dg_dkim_bodycanon_update(&bc, "x", 1);
	for (i = 0; i < 1024; i++)
		dg_dkim_bodycanon_update(&bc, block, sizeof(block));
	CHECK_INT("flood held", bc.empty_lines, 1024 * 4096 - 1);
	dg_dkim_bodycanon_update(&bc, "y", 1);
	dg_dkim_bodycanon_final(&bc);
	CHECK_INT("flood total", bc.total, 1 + 2 * 1024 * 4096 + 1 + 2);
	CHECK_INT("flood out", out.len, bc.total);
	dg_buf_free(&out);
}

static const struct {
	const char		*name;
	enum dg_dkim_canon	 canon;
	const char		*in;
	bool			 crlf;
	const char		*want;
} hdr_rows[] = {
	/* RFC 6376 3.4.5 */
	{ "rfc-a-relaxed", DG_DKIM_CANON_RELAXED, "A: X\r\n", true,
	  "a:X\r\n" },
	{ "rfc-b-relaxed", DG_DKIM_CANON_RELAXED,
	  "B : Y\t\r\n\tZ  \r\n", true, "b:Y Z\r\n" },
	{ "rfc-a-simple", DG_DKIM_CANON_SIMPLE, "A: X\r\n", true,
	  "A: X\r\n" },
	{ "rfc-b-simple", DG_DKIM_CANON_SIMPLE, "B : Y\t\r\n\tZ  \r\n", true,
	  "B : Y\t\r\n\tZ  \r\n" },
	{ "no-terminator", DG_DKIM_CANON_SIMPLE, "Subject: x", true,
	  "Subject: x\r\n" },
	{ "no-crlf-wanted", DG_DKIM_CANON_RELAXED, "Subject: x\r\n", false,
	  "subject:x" },
	{ "bare-lf-fold-simple", DG_DKIM_CANON_SIMPLE, "Subject: a\n b\n",
	  true, "Subject: a\r\n b\r\n" },
	{ "bare-lf-fold-relaxed", DG_DKIM_CANON_RELAXED, "Subject: a\n\tb",
	  true, "subject:a b\r\n" },
	{ "empty-value-relaxed", DG_DKIM_CANON_RELAXED, "X-Empty:   \r\n",
	  true, "x-empty:\r\n" },
	{ "name-case-relaxed", DG_DKIM_CANON_RELAXED, "SuBjEcT:Hi", true,
	  "subject:Hi\r\n" },
	{ "wsp-before-colon", DG_DKIM_CANON_RELAXED, "To \t : a@b", true,
	  "to:a@b\r\n" },
	{ "value-case-kept", DG_DKIM_CANON_RELAXED, "X: AbC dEf", true,
	  "x:AbC dEf\r\n" },
	{ "8bit-kept", DG_DKIM_CANON_RELAXED, "X: \xc3\xa9t\xc3\xa9", true,
	  "x:\xc3\xa9t\xc3\xa9\r\n" },
};

/*
 * The body rules the slow, obvious way, to check the streaming code (and
 * its word- and vector-wide fast paths) against: lines end at CRLF or a
 * bare LF (a lone CR is data); relaxed turns WSP runs into one SP and drops
 * it at line ends; trailing empty lines go; every line gets CRLF; an empty
 * simple body is one CRLF.
 */
static void
reference_body(enum dg_dkim_canon canon, const char *in, size_t len,
    struct dg_buf *out)
{
	struct dg_buf	line;
	size_t		i = 0, start, end, next, pending = 0, k;
	bool		relaxed = canon == DG_DKIM_CANON_RELAXED, wsp;

	dg_buf_init(&line, 0);
	while (i < len) {
		start = i;
		while (i < len && in[i] != '\n' &&
		    !(in[i] == '\r' && i + 1 < len && in[i + 1] == '\n'))
			i++;
		end = i;
		next = i < len ? (in[i] == '\n' ? i + 1 : i + 2) : i;
		dg_buf_reset(&line);
		for (k = start, wsp = false; k < end; k++) {
			if (relaxed && (in[k] == ' ' || in[k] == '\t')) {
				wsp = true;
				continue;
			}
			if (wsp)
				dg_buf_putc(&line, ' ');
			wsp = false;
			dg_buf_putc(&line, in[k]);
		}
		if (line.len == 0) {
			pending++;
		} else {
			for (; pending > 0; pending--)
				dg_buf_append(out, "\r\n", 2);
			dg_buf_append(out, line.data, line.len);
			dg_buf_append(out, "\r\n", 2);
		}
		i = next;
	}
	if (!relaxed && out->len == 0)
		dg_buf_append(out, "\r\n", 2);
	dg_buf_free(&line);
}

/* Random bodies, mostly text with single spaces (the fast paths), in
 * random chunks: the stream equals the reference, with and without l=. */
static void
test_body_differential(void **state)
{
	static const char	 alphabet[] = "aaaaaaaaaaaaaab    \t\r\r\n\n";
	char			*in;
	struct dg_buf		 got, want;
	uint64_t		 total, l;
	unsigned		 seed = 20261122, iter;
	size_t			 len, k, chunk;
	char			 row[64];

	(void)state;
	in = malloc(4096);
	assert_non_null(in);
	for (iter = 0; iter < 3000; iter++) {
		enum dg_dkim_canon canon = iter % 2 ? DG_DKIM_CANON_RELAXED :
		    DG_DKIM_CANON_SIMPLE;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 8) % 4096;
		for (k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			in[k] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		chunk = (seed >> 8) % 5 == 0 ? 0 : 1 + (seed >> 12) % 300;
		dg_buf_init(&got, 0);
		dg_buf_init(&want, 0);
		reference_body(canon, in, len, &want);
		run_body(canon, in, len, chunk, false, 0, &got, &total);
		snprintf(row, sizeof(row), "diff %u len %zu chunk %zu", iter,
		    len, chunk);
		CHECK_INT(row, got.len, want.len);
		CHECK_INT(row, total, want.len);
		if (got.len != want.len ||
		    memcmp(got.data, want.data, got.len) != 0)
			fail_msg("%s: canonical bodies differ", row);
		/* l= somewhere inside: the same prefix, the same total. */
		l = want.len > 0 ? (seed >> 4) % want.len : 0;
		dg_buf_reset(&got);
		run_body(canon, in, len, chunk, true, l, &got, &total);
		CHECK_INT(row, got.len, l);
		CHECK_INT(row, total, want.len);
		if (l > 0 && memcmp(got.data, want.data, (size_t)l) != 0)
			fail_msg("%s: l= prefix differs", row);
		dg_buf_free(&got);
		dg_buf_free(&want);
	}
	free(in);
}

static void
test_header_rows(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(hdr_rows); i++) {
		struct dg_buf	out;

		dg_buf_init(&out, 0);
		dg_dkim_canon_header(hdr_rows[i].canon, hdr_rows[i].in,
		    strlen(hdr_rows[i].in), 0, 0, hdr_rows[i].crlf, &out);
		CHECK_STR(hdr_rows[i].name, dg_buf_str(&out),
		    hdr_rows[i].want);
		dg_buf_free(&out);
	}
}

/* The signature field: b= value and the FWS around it go (3.7). */
static void
test_header_skip(void **state)
{
	const char	*f = "DKIM-Signature: a=x; b= AbC\r\n dEf ;\r\n d=y";
	const char	*b = strstr(f, "b=") + 2;
	const char	*semi = strchr(b, ';');
	struct dg_buf	 out;

	(void)state;
	dg_buf_init(&out, 0);
	dg_dkim_canon_header(DG_DKIM_CANON_SIMPLE, f, strlen(f),
	    (size_t)(b - f), (size_t)(semi - f), false, &out);
	CHECK_STR("skip simple", dg_buf_str(&out),
	    "DKIM-Signature: a=x; b=;\r\n d=y");
	dg_buf_reset(&out);
	dg_dkim_canon_header(DG_DKIM_CANON_RELAXED, f, strlen(f),
	    (size_t)(b - f), (size_t)(semi - f), false, &out);
	CHECK_STR("skip relaxed", dg_buf_str(&out),
	    "dkim-signature:a=x; b=; d=y");
	dg_buf_free(&out);
}

static void
test_canon_parse(void **state)
{
	static const struct {
		const char		*in;
		bool			 ok;
		enum dg_dkim_canon	 h, b;
	} rows[] = {
		{ "simple", true, DG_DKIM_CANON_SIMPLE, DG_DKIM_CANON_SIMPLE },
		{ "relaxed", true, DG_DKIM_CANON_RELAXED,
		  DG_DKIM_CANON_SIMPLE },
		{ "relaxed/relaxed", true, DG_DKIM_CANON_RELAXED,
		  DG_DKIM_CANON_RELAXED },
		{ "simple/relaxed", true, DG_DKIM_CANON_SIMPLE,
		  DG_DKIM_CANON_RELAXED },
		{ "Relaxed/Simple", true, DG_DKIM_CANON_RELAXED,
		  DG_DKIM_CANON_SIMPLE },
		{ "relaxed/", false, 0, 0 },
		{ "/relaxed", false, 0, 0 },
		{ "nofws", false, 0, 0 },
		{ "relaxed/relaxed/x", false, 0, 0 },
		{ "", false, 0, 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_span		s = { rows[i].in, strlen(rows[i].in) };
		enum dg_dkim_canon	h = 0, b = 0;
		bool			ok = dg_dkim_canon_parse(s, &h, &b);

		CHECK_INT(rows[i].in, ok, rows[i].ok);
		if (ok) {
			CHECK_INT(rows[i].in, h, rows[i].h);
			CHECK_INT(rows[i].in, b, rows[i].b);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body_rows),
		cmocka_unit_test(test_body_limit),
		cmocka_unit_test(test_body_flood),
		cmocka_unit_test(test_body_differential),
		cmocka_unit_test(test_header_rows),
		cmocka_unit_test(test_header_skip),
		cmocka_unit_test(test_canon_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
