/*
 * tests/unit/test_msg_from.c -- the From outcomes DMARC depends on, and
 * proof that the domain only ever comes from the addr-spec.
 */
#include "testutil.h"

#include <dmarcguard/arena.h>
#include <dmarcguard/msg.h>

#include "util/alloc.h"

static const struct {
	const char		*name;
	const char		*hdr;
	enum dg_msg_from_status	 status;
	const char		*domain;	/* OK only */
	const char		*domains;	/* joined with ',' */
	const char		*detail;
	bool			 disp_addr;
	bool			 disp_differs;
} rows[] = {
	{ "ok", "From: Joe <joe@Example.COM>\r\n\r\n", DG_MSG_FROM_OK,
	    "example.com", "example.com", "", false, false },
	{ "ok-bare", "From: joe@example.com\r\n", DG_MSG_FROM_OK,
	    "example.com", "example.com", "", false, false },
	{ "ok-idn", "From: a@b\xc3\xbc" "cher.example\r\n", DG_MSG_FROM_OK,
	    "xn--bcher-kva.example", "xn--bcher-kva.example", "", false,
	    false },
	{ "ok-obs-colon", "From : a@x.example\r\n", DG_MSG_FROM_OK,
	    "x.example", "x.example", "", false, false },
	{ "none", "To: a@b.example\r\n\r\n", DG_MSG_FROM_NONE, NULL, "",
	    "no From field", false, false },
	{ "two-fields", "From: a@x.example\r\nTo: t@t.example\r\n"
	    "FROM: b@y.example\r\n", DG_MSG_FROM_MULTIPLE_FIELDS, NULL,
	    "x.example,y.example", "2 From fields", false, false },
	{ "two-fields-same", "From: a@x.example\r\nFrom: b@x.example\r\n",
	    DG_MSG_FROM_MULTIPLE_FIELDS, NULL, "x.example", "2 From fields",
	    false, false },
	{ "two-fields-one-bad", "From: a@x.example\r\nFrom: <b@\r\n",
	    DG_MSG_FROM_MULTIPLE_FIELDS, NULL, "x.example",
	    "From at line 2: offset 3: missing domain after '@'", false,
	    false },
	{ "two-mailboxes", "From: a@x.example, b@y.example, c@x.example\r\n",
	    DG_MSG_FROM_MULTIPLE_MAILBOXES, NULL, "x.example,y.example",
	    "From has 3 mailboxes", false, false },
	{ "unparseable", "From: Joe Smith joe@x.example\r\n",
	    DG_MSG_FROM_UNPARSEABLE, NULL, "", "From at line 1: offset 4: "
	    "words without '.' in a local-part (display name without "
	    "'<>'?)", false, false },
	{ "unparseable-comment", "From: (unterminated a@x.example\r\n",
	    DG_MSG_FROM_UNPARSEABLE, NULL, "",
	    "From at line 1: offset 0: unterminated comment", false, false },
	{ "empty", "From:\r\n", DG_MSG_FROM_NO_MAILBOX, NULL, "",
	    "From has no mailbox", false, false },
	{ "empty-group", "From: undisclosed-recipients:;\r\n",
	    DG_MSG_FROM_NO_MAILBOX, NULL, "", "From is an empty group", false,
	    false },
	{ "group-one", "From: team: a@x.example;\r\n", DG_MSG_FROM_OK,
	    "x.example", "x.example", "", false, false },
	{ "bad-domain", "From: a@x..example\r\n", DG_MSG_FROM_BAD_DOMAIN, NULL,
	    "", "From domain: empty domain label", false, false },
	{ "literal", "From: a@[192.0.2.1]\r\n", DG_MSG_FROM_BAD_DOMAIN, NULL,
	    "", "From domain: domain-literal, not a hostname", false, false },
	{ "bad-idn", "From: a@xn--zz.example\r\n", DG_MSG_FROM_BAD_DOMAIN,
	    NULL, "", "From domain: invalid IDN domain", false, false },
	/* Never a domain from a display name, comment or encoded word. */
	{ "display-addr", "From: \"ceo@bank.example\" <x@evil.example>\r\n",
	    DG_MSG_FROM_OK, "evil.example", "evil.example", "", true, true },
	{ "display-addr-same", "From: \"x@evil.example\" <x@evil.example>\r\n",
	    DG_MSG_FROM_OK, "evil.example", "evil.example", "", true, false },
	{ "encoded-at", "From: =?utf-8?q?ceo=40bank.example?= "
	    "<x@evil.example>\r\n", DG_MSG_FROM_OK, "evil.example",
	    "evil.example", "", true, true },
	{ "comment-addr", "From: x@evil.example (ceo@bank.example)\r\n",
	    DG_MSG_FROM_OK, "evil.example", "evil.example", "", false, false },
	{ "comment-in-angle", "From: <x@(bank.example)evil.example>\r\n",
	    DG_MSG_FROM_OK, "evil.example", "evil.example", "", false, false },
	{ "route-domain-ignored", "From: <@bank.example:x@evil.example>\r\n",
	    DG_MSG_FROM_OK, "evil.example", "evil.example", "", false, false },
	{ "encoded-domain-not-decoded", "From: a@=?utf-8?q?bank.example?=\r\n",
	    DG_MSG_FROM_BAD_DOMAIN, NULL, "",
	    "From domain: character not allowed in a hostname", false, false },
};

static const char *
join_domains(const struct dg_msg_from *f, char *buf, size_t cap)
{
	size_t	i, o = 0, n;

	buf[0] = '\0';
	for (i = 0; i < f->ndomains; i++) {
		n = strlen(f->domains[i]);
		if (o + n + 2 > cap)
			break;
		if (i > 0)
			buf[o++] = ',';
		memcpy(buf + o, f->domains[i], n + 1);
		o += n;
	}
	return buf;
}

static void
test_rows(void **state)
{
	char	buf[256];
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_hdr	 h;
		struct dg_msg_from	 f;

		assert_int_equal(dg_msg_hdr_parse(a, rows[i].hdr,
		    strlen(rows[i].hdr), 0, &h, NULL), DG_OK);
		CHECK_INT(rows[i].name, dg_msg_from_extract(a, &h, &f), DG_OK);
		CHECK_STR(rows[i].name, dg_msg_from_status_str(f.status),
		    dg_msg_from_status_str(rows[i].status));
		CHECK_STR(rows[i].name, f.domain, rows[i].domain);
		CHECK_STR(rows[i].name, join_domains(&f, buf, sizeof(buf)),
		    rows[i].domains);
		CHECK_STR(rows[i].name, f.detail, rows[i].detail);
		CHECK_INT(rows[i].name, f.display_has_addr, rows[i].disp_addr);
		CHECK_INT(rows[i].name, f.display_domain_differs,
		    rows[i].disp_differs);
		if (f.status == DG_MSG_FROM_OK) {
			assert_non_null(f.author);
			CHECK_STR(rows[i].name, f.author->domain, f.domain);
		} else
			assert_null(f.author);
		dg_arena_free(a);
	}
}

static void
test_misc(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_msg_hdr	 h;
	struct dg_msg_from	 f;
	static const char	 hdr[] =
	    "From: g: a@x.example, b@y.example;\r\n";

	(void)state;
	assert_int_equal(dg_msg_hdr_parse(a, hdr, strlen(hdr), 0, &h, NULL),
	    DG_OK);
	assert_int_equal(dg_msg_from_extract(a, &h, &f), DG_OK);
	CHECK_INT("group flag", f.group, 1);
	CHECK_INT("nmb", f.nmb, 2);
	CHECK_INT("nfields", f.nfields, 1);
	CHECK_STR("mb0", f.mb[0]->local, "a");
	CHECK_STR("mb1 group", f.mb[1]->group, "g");
	CHECK_INT("einval", dg_msg_from_extract(a, NULL, &f), DG_EINVAL);
	CHECK_STR("unset", dg_msg_from_status_str(DG_MSG_FROM_UNSET), "unset");
	CHECK_STR("bad-domain", dg_msg_from_status_str(DG_MSG_FROM_BAD_DOMAIN),
	    "bad-domain");
	CHECK_STR("problem", dg_msg_addr_problem_str(DG_MSG_ADDR_P_NONE),
	    "none");
	dg_arena_free(a);
}

/*
 * Fail every allocation in turn over parsing a realistic header and
 * extracting From: each run must report DG_ENOMEM cleanly (ASan checks
 * for leaks and bad accesses), and the last one succeeds.
 */
static void
test_enomem(void **state)
{
	char		*msg;
	size_t		 len;
	unsigned long	 n, failures = 0;
	enum dg_err	 e;

	(void)state;
	msg = test_read_file("data/msg/realistic.eml", &len);
	assert_non_null(msg);
	for (n = 1; n < 10000; n++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_hdr	 h;
		struct dg_msg_from	 f;

		assert_non_null(a);
		dg_alloc_fail_after(n);
		e = dg_msg_hdr_parse(a, msg, len, 0, &h, NULL);
		if (e == DG_OK)
			e = dg_msg_from_extract(a, &h, &f);
		if (!dg_alloc_failed()) {
			dg_alloc_fail_after(0);
			CHECK_INT("final", e, DG_OK);
			CHECK_STR("final status",
			    dg_msg_from_status_str(f.status), "ok");
			CHECK_STR("final domain", f.domain,
			    "xn--bcher-kva.example");
			CHECK_INT("display addr", f.display_domain_differs, 1);
			dg_arena_free(a);
			break;
		}
		dg_alloc_fail_after(0);
		CHECK_INT("enomem", e, DG_ENOMEM);
		failures++;
		dg_arena_free(a);
	}
	assert_true(failures >= 3 && n < 10000);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
