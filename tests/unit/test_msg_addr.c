/*
 * tests/unit/test_msg_addr.c -- RFC 5322 3.4 address lists: RFC 5322
 * Appendix A examples, comments, groups, obs-route, quoted and obsolete
 * local-parts, domain-literals, IDN, encoded display names, display names
 * that look like addresses, and hostile input.
 */
#include "testutil.h"

#include <dmarcguard/arena.h>
#include <dmarcguard/msg.h>

#include "util/alloc.h"
#include "util/limits.h"

/* Serialise an address list: mailboxes joined by " ; ", each
 * display|local|domain|utf8-if-different|group|problem, "~" for NULL. */
static const char *
ser_list(const struct dg_msg_addr_list *l, char *buf, size_t cap)
{
	size_t	i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < l->n; i++) {
		const struct dg_msg_mailbox	*m = &l->mb[i];
		int				 k;

		k = snprintf(buf + o, cap - o, "%s%s|%s%s|%s|%s|%s|%s",
		    i > 0 ? " ; " : "",
		    m->display != NULL ? m->display : "~",
		    m->local_quoted ? "Q:" : "",
		    m->local != NULL ? m->local : "~",
		    m->domain != NULL ? m->domain : "~",
		    m->domain_utf8 != NULL && m->domain != NULL &&
		    strcmp(m->domain, m->domain_utf8) != 0 ?
		    m->domain_utf8 : "",
		    m->group != NULL ? m->group : "~",
		    m->problem != DG_MSG_ADDR_P_NONE ?
		    dg_msg_addr_problem_str(m->problem) : "");
		if (k < 0 || (size_t)k >= cap - o)
			break;
		o += (size_t)k;
	}
	return buf;
}

/*
 * want: ser_list() of the result, or the error message.  groups: "g/e"
 * groups seen / empty.
 */
static const struct {
	const char	*name;
	const char	*in;
	enum dg_err	 err;
	const char	*want;
	const char	*display_addr;	/* of the last mailbox, or NULL */
	bool		 differs;
} rows[] = {
	/* RFC 5322 Appendix A.1.1, A.1.2, A.1.3. */
	{ "a11-from", "John Doe <jdoe@machine.example>", DG_OK,
	    "John Doe|jdoe|machine.example||~|", NULL, false },
	{ "a11-to", "Mary Smith <mary@example.net>", DG_OK,
	    "Mary Smith|mary|example.net||~|", NULL, false },
	{ "a12-quoted-name", "\"Joe Q. Public\" <john.q.public@example.com>",
	    DG_OK, "Joe Q. Public|john.q.public|example.com||~|", NULL,
	    false },
	{ "a12-list", "Mary Smith <mary@x.test>, jdoe@example.org, "
	    "Who? <one@y.test>", DG_OK, "Mary Smith|mary|x.test||~| ; "
	    "~|jdoe|example.org||~| ; Who?|one|y.test||~|", NULL, false },
	{ "a12-escaped", "<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" "
	    "<sysservices@example.net>", DG_OK, "~|boss|nil.test||~| ; "
	    "Giant; \"Big\" Box|sysservices|example.net||~|", NULL, false },
	{ "a13-group", "A Group:Ed Jones <c@a.test>,joe@where.test,"
	    "John <jdoe@one.test>;", DG_OK, "Ed Jones|c|a.test||A Group| ; "
	    "~|joe|where.test||A Group| ; John|jdoe|one.test||A Group|",
	    NULL, false },
	{ "a13-empty-group", "Undisclosed recipients:;", DG_OK, "", NULL,
	    false },
	/* A.5 white space, comments and other oddities. */
	{ "a5-comments", "Pete(A nice \\) chap) <pete(his account)@silly.test"
	    "(his host)>", DG_OK, "Pete|pete|silly.test||~|", NULL, false },
	{ "a5-comment-in-domain", "Chris Jones <c@(Chris's host.)"
	    "public.example>", DG_OK, "Chris Jones|c|public.example||~|", NULL,
	    false },
	/* A.6 obsolete syntax. */
	{ "a61-obs-phrase", "Joe Q. Public <john.q.public@example.com>",
	    DG_OK, "Joe Q. Public|john.q.public|example.com||~|", NULL,
	    false },
	{ "a62-route-empty-cfws", "Mary Smith <@node.test:mary@example.net>, "
	    ", jdoe@test  . example", DG_OK,
	    "Mary Smith|mary|example.net||~| ; "
	    "~|jdoe|test.example||~|", NULL, false },
	{ "a63-domain-cfws", "John Doe <jdoe@machine(comment).  example>",
	    DG_OK, "John Doe|jdoe|machine.example||~|", NULL, false },
	/* Comments. */
	{ "comment-nested", "(((a))) <a@b.example>", DG_OK,
	    "~|a|b.example||~|", NULL, false },
	{ "comment-trailing", "a@b.example (Joe)", DG_OK,
	    "~|a|b.example||~|", NULL, false },
	{ "comment-only-member", "a@b.example, (comment only)", DG_OK,
	    "~|a|b.example||~|", NULL, false },
	/* Groups. */
	{ "group-unterminated", "undisclosed-recipients:", DG_OK, "", NULL,
	    false },
	{ "group-one", "g:a@b.example", DG_OK, "~|a|b.example||g|", NULL,
	    false },
	{ "group-then-mailbox", "team: a@x.example, b@y.example;, "
	    "c@z.example", DG_OK, "~|a|x.example||team| ; "
	    "~|b|y.example||team| ; ~|c|z.example||~|", NULL, false },
	/* obs-route and local-parts. */
	{ "route-two", "<@r1.example,@r2.example:u@h.example>", DG_OK,
	    "~|u|h.example||~|", NULL, false },
	{ "quoted-local-escape", "\"a\\\"b\"@x.example", DG_OK,
	    "~|Q:a\"b|x.example||~|", NULL, false },
	{ "quoted-local-space", "\"john doe\"@x.example", DG_OK,
	    "~|Q:john doe|x.example||~|", NULL, false },
	{ "obs-local-cfws", "john . doe @ x . example", DG_OK,
	    "~|john.doe|x.example||~|", NULL, false },
	{ "local-odd-dots", "a..b.@c.example", DG_OK, "~|a..b.|c.example||~|",
	    NULL, false },
	{ "obs-empty-members", ",,,", DG_OK, "", NULL, false },
	{ "trailing-comma", "a@b.example,", DG_OK, "~|a|b.example||~|", NULL,
	    false },
	{ "empty", "", DG_OK, "", NULL, false },
	{ "blank", "   ", DG_OK, "", NULL, false },
	{ "empty-display", "\"\" <a@b.example>", DG_OK, "~|a|b.example||~|",
	    NULL, false },
	/* Domains. */
	{ "domain-lower", "Bank <security@BANK.EXAMPLE>", DG_OK,
	    "Bank|security|bank.example||~|", NULL, false },
	{ "domain-literal", "a@[192.0.2.1]", DG_OK,
	    "~|a|[192.0.2.1]||~|domain-literal, not a hostname", NULL,
	    false },
	{ "idn-ulabel", "b\xc3\xbc" "cher <a@b\xc3\xbc" "cher.example>", DG_OK,
	    "b\xc3\xbc" "cher|a|xn--bcher-kva.example|b\xc3\xbc"
	    "cher.example|~|", NULL, false },
	{ "idn-upper", "x@B\xc3\x9c" "CHER.Example", DG_OK,
	    "~|x|xn--bcher-kva.example|b\xc3\xbc" "cher.example|~|", NULL,
	    false },
	{ "idn-alabel", "x@xn--bcher-kva.example", DG_OK,
	    "~|x|xn--bcher-kva.example|b\xc3\xbc" "cher.example|~|", NULL,
	    false },
	{ "idn-bad-alabel", "a@xn--zz.example", DG_OK,
	    "~|a|xn--zz.example||~|invalid IDN domain", NULL, false },
	{ "empty-label", "a@b..c", DG_OK, "~|a|b..c||~|empty domain label",
	    NULL, false },
	{ "hyphen", "a@-x.example", DG_OK,
	    "~|a|-x.example||~|label starts or ends with a hyphen", NULL,
	    false },
	{ "single-label", "a@localhost", DG_OK,
	    "~|a|localhost||~|single-label domain", NULL, false },
	{ "numeric-tld", "x@1.2.3.4", DG_OK,
	    "~|x|1.2.3.4||~|all-numeric top-level label", NULL, false },
	{ "underscore", "x@ex_ample.com", DG_OK,
	    "~|x|ex_ample.com||~|character not allowed in a hostname", NULL,
	    false },
	{ "label-64", "a@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaa.example", DG_OK, "~|a|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example||~|domain label too "
	    "long", NULL, false },
	{ "local-65", "lllllllllllllllllllllllllllllllllllllllllllllllllllll"
	    "llllllllllll@x.example", DG_OK, "~|lllllllllllllllllllllllllllll"
	    "llllllllllllllllllllllllllllllllllll|x.example||~|local-part too "
	    "long", NULL, false },
	/* Encoded display names (RFC 2047). */
	{ "ew-utf8-q", "=?utf-8?q?J=C3=B6rg?= <j@x.example>", DG_OK,
	    "J\xc3\xb6rg|j|x.example||~|", NULL, false },
	{ "ew-latin1", "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
	    DG_OK, "Andr\xc3\xa9 Pirard|PIRARD|vm1.ulg.ac.be||~|", NULL,
	    false },
	{ "ew-sjis", "=?Shift_JIS?B?k4yLng==?= <t@x.example>", DG_OK,
	    "\xe6\x9d\xb1\xe4\xba\xac|t|x.example||~|", NULL, false },
	{ "ew-iso2022jp", "=?iso-2022-jp?b?GyRCRnxLXBsoQg==?= <a@b.example>",
	    DG_OK, "\xe6\x97\xa5\xe6\x9c\xac|a|b.example||~|", NULL, false },
	{ "ew-gb2312", "=?gb2312?b?1tDOxA==?= <a@b.example>", DG_OK,
	    "\xe4\xb8\xad\xe6\x96\x87|a|b.example||~|", NULL, false },
	{ "ew-adjacent-joined", "=?utf-8?b?5pel5pys?= =?utf-8?b?6Kqe?= "
	    "<a@x.example>", DG_OK, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e|a|"
	    "x.example||~|", NULL, false },
	{ "ew-split-char-b", "=?utf-8?b?5pc=?= =?utf-8?b?pQ==?= <a@b.example>",
	    DG_OK, "\xe6\x97\xa5|a|b.example||~|", NULL, false },
	{ "ew-split-char-q", "=?utf-8?q?=E6=97?= =?utf-8?q?=A5?= "
	    "<a@b.example>", DG_OK, "\xe6\x97\xa5|a|b.example||~|", NULL,
	    false },
	{ "ew-text-between", "=?utf-8?q?x?= plain =?utf-8?q?y?= "
	    "<a@x.example>", DG_OK, "x plain y|a|x.example||~|", NULL, false },
	{ "ew-unknown-charset", "=?x-unknown?q?abc?= <a@x.example>", DG_OK,
	    "=?x-unknown?q?abc?=|a|x.example||~|", NULL, false },
	{ "ew-malformed", "=?utf-8?q?bad=ZZ?= <a@x.example>", DG_OK,
	    "=?utf-8?q?bad=ZZ?=|a|x.example||~|", NULL, false },
	{ "ew-in-quotes", "\"=?utf-8?q?quoted?=\" <a@x.example>", DG_OK,
	    "quoted|a|x.example||~|", NULL, false },
	{ "ew-nul", "=?utf-8?q?a=00b?= <a@x.example>", DG_OK,
	    "a\xef\xbf\xbd" "b|a|x.example||~|", NULL, false },
	{ "ew-lang", "=?utf-8*en?q?lang?= <a@b.example>", DG_OK,
	    "lang|a|b.example||~|", NULL, false },
	{ "ew-back-to-back", "=?UTF-8?Q?a_b?==?UTF-8?Q?c?= <a@b.example>",
	    DG_OK, "a bc|a|b.example||~|", NULL, false },
	{ "raw-latin1-display", "caf\xe9 <a@b.example>", DG_OK,
	    "caf\xef\xbf\xbd|a|b.example||~|", NULL, false },
	/* Display names that look like addresses. */
	{ "display-addr-quoted", "\"paypal@paypal.com\" <x@evil.example>",
	    DG_OK, "paypal@paypal.com|x|evil.example||~|", "paypal@paypal.com",
	    true },
	{ "display-addr-same", "\"security@bank.example\" "
	    "<security@bank.example>", DG_OK, "security@bank.example|security|"
	    "bank.example||~|", "security@bank.example", false },
	{ "display-addr-encoded", "\"Support\" <support@a.example> , "
	    "=?utf-8?q?admin=40bank.example?= <x@y.example>", DG_OK,
	    "Support|support|a.example||~| ; admin@bank.example|x|"
	    "y.example||~|", "admin@bank.example", true },
	{ "display-addr-fullwidth-at", "service\xef\xbc\xa0paypal.com "
	    "<a@evil.example>", DG_OK, "service\xef\xbc\xa0paypal.com|a|"
	    "evil.example||~|", "service\xef\xbc\xa0paypal.com", true },
	{ "display-at-no-domain", "PayPal \xef\xbc\xa0 paypal.com "
	    "<a@b.example>", DG_OK, "PayPal \xef\xbc\xa0 paypal.com|a|"
	    "b.example||~|", NULL, false },
	/* Syntax errors. */
	{ "empty-angle", "<>", DG_ESYNTAX, "offset 1: empty angle-addr", NULL,
	    false },
	{ "phrase-no-angle", "a b@c.example", DG_ESYNTAX, "offset 2: words "
	    "without '.' in a local-part (display name without '<>'?)", NULL,
	    false },
	{ "unbalanced-quote", "\"unterminated <a@b.example>", DG_ESYNTAX,
	    "offset 0: unterminated quoted string", NULL, false },
	{ "unbalanced-comment", "((( <a@b.example>", DG_ESYNTAX,
	    "offset 0: unterminated comment", NULL, false },
	{ "close-paren", "a@b.example)", DG_ESYNTAX,
	    "offset 11: ')' without '('", NULL, false },
	{ "close-bracket", "a]@b.example", DG_ESYNTAX,
	    "offset 1: ']' without '['", NULL, false },
	{ "unterminated-literal", "a@[1.2.3.4", DG_ESYNTAX,
	    "offset 2: unterminated domain-literal", NULL, false },
	{ "bracket-in-literal", "a@[1.2[3]", DG_ESYNTAX,
	    "offset 6: '[' inside a domain-literal", NULL, false },
	{ "missing-gt", "\"x\" <a@b.example", DG_ESYNTAX,
	    "offset 16: expected '>'", NULL, false },
	{ "missing-lt", "a@b.example>", DG_ESYNTAX,
	    "offset 11: expected ',' after an address", NULL, false },
	{ "two-angles", "Joe <a@b.example> <c@d.example>", DG_ESYNTAX,
	    "offset 18: expected ',' after an address", NULL, false },
	{ "nested-angle", "a <b <c@d.example>>", DG_ESYNTAX,
	    "offset 5: expected '@' in angle-addr", NULL, false },
	{ "no-comma", "a@b.example c@d.example", DG_ESYNTAX,
	    "offset 12: expected ',' after an address", NULL, false },
	{ "two-ats", "a@b@c.example", DG_ESYNTAX,
	    "offset 3: expected ',' after an address", NULL, false },
	{ "no-local", "@x.example", DG_ESYNTAX, "offset 0: empty local-part",
	    NULL, false },
	{ "no-domain", "a@", DG_ESYNTAX, "offset 2: missing domain after '@'",
	    NULL, false },
	{ "no-at", "\"a@b.example\"", DG_ESYNTAX,
	    "offset 13: address without '@'", NULL, false },
	{ "semicolon", "a@b.example;", DG_ESYNTAX,
	    "offset 11: expected ',' after an address", NULL, false },
	{ "nested-group", "g: h: a@b.example;;", DG_ESYNTAX,
	    "offset 4: group inside a group", NULL, false },
	{ "nameless-group", ":;", DG_ESYNTAX, "offset 0: group without a name",
	    NULL, false },
	{ "backslash", "a\\b@c.example", DG_ESYNTAX,
	    "offset 1: quoted-pair outside a quoted string", NULL, false },
	{ "control", "a@b.example\x01", DG_ESYNTAX,
	    "offset 11: control character", NULL, false },
	{ "space-in-domain", "x@exa mple.com", DG_ESYNTAX,
	    "offset 6: expected ',' after an address", NULL, false },
	{ "literal-local", "[a]@b.example", DG_ESYNTAX,
	    "offset 0: expected an address", NULL, false },
};

static void
test_rows(void **state)
{
	char	got[2048];
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_addr_list	 l;
		struct dg_msg_error	 err;
		enum dg_err		 e;

		e = dg_msg_addr_parse(a, rows[i].in, strlen(rows[i].in), &l,
		    &err);
		CHECK_INT(rows[i].name, e, rows[i].err);
		if (e != DG_OK) {
			CHECK_STR(rows[i].name, err.msg, rows[i].want);
			dg_arena_free(a);
			continue;
		}
		CHECK_STR(rows[i].name, ser_list(&l, got, sizeof(got)),
		    rows[i].want);
		if (l.n > 0) {
			const struct dg_msg_mailbox *m = &l.mb[l.n - 1];

			CHECK_INT(rows[i].name, m->display_has_addr,
			    rows[i].display_addr != NULL);
			CHECK_STR(rows[i].name, m->display_addr,
			    rows[i].display_addr);
			CHECK_INT(rows[i].name, m->display_domain_differs,
			    rows[i].differs);
		}
		dg_arena_free(a);
	}
}

static void
test_groups(void **state)
{
	static const struct {
		const char	*in;
		size_t		 n, groups, empty;
		bool		 unterminated;
	} g[] = {
		{ "Undisclosed recipients:;", 0, 1, 1, false },
		{ "undisclosed-recipients:", 0, 1, 1, true },
		{ "a: ;, b: x@y.example;", 1, 2, 1, false },
		{ "a@b.example", 1, 0, 0, false },
		{ "t: (c) , , ;", 0, 1, 1, false },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(g); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_addr_list	 l;

		assert_int_equal(dg_msg_addr_parse(a, g[i].in, strlen(g[i].in),
		    &l, NULL), DG_OK);
		CHECK_INT(g[i].in, l.n, g[i].n);
		CHECK_INT(g[i].in, l.ngroups, g[i].groups);
		CHECK_INT(g[i].in, l.nempty_groups, g[i].empty);
		CHECK_INT(g[i].in, l.unterminated_group, g[i].unterminated);
		dg_arena_free(a);
	}
}

static void
test_route_flag(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_msg_addr_list	 l;
	static const char	 in[] = "<@r.example:u@h.example>, v@h.example";

	(void)state;
	assert_int_equal(dg_msg_addr_parse(a, in, strlen(in), &l, NULL),
	    DG_OK);
	CHECK_INT("n", l.n, 2);
	CHECK_INT("route0", l.mb[0].route, 1);
	CHECK_INT("route1", l.mb[1].route, 0);
	CHECK_STR("utf8", l.mb[1].domain_utf8, "h.example");
	dg_arena_free(a);
}

/* Hostile sizes: deep nesting, 10k commas, too many mailboxes. */
static void
test_hostile(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_msg_addr_list	 l;
	struct dg_msg_error	 err;
	char			*s;
	size_t			 i, o, n = 10000;

	(void)state;
	s = malloc(DG_HDR_FIELD_MAX + 64);
	assert_non_null(s);

	/* Nesting at the cap is fine, one more is DG_ETOOBIG. */
	for (o = 0; o < DG_ADDR_COMMENT_DEPTH; o++)
		s[o] = '(';
	for (i = 0; i < DG_ADDR_COMMENT_DEPTH; i++)
		s[o++] = ')';
	memcpy(s + o, "a@b.example", 11);
	o += 11;
	CHECK_INT("depth ok", dg_msg_addr_parse(a, s, o, &l, &err), DG_OK);
	CHECK_INT("depth ok n", l.n, 1);
	for (o = 0; o < 1000; o++)
		s[o] = '(';
	CHECK_INT("depth over", dg_msg_addr_parse(a, s, o, &l, &err),
	    DG_ETOOBIG);
	CHECK_STR("depth msg", err.msg, "offset 32: comments nested deeper "
	    "than DG_ADDR_COMMENT_DEPTH");

	/* 10k commas and one address. */
	memset(s, ',', n);
	memcpy(s + n, "a@b.example", 11);
	CHECK_INT("commas", dg_msg_addr_parse(a, s, n + 11, &l, &err), DG_OK);
	CHECK_INT("commas n", l.n, 1);
	CHECK_INT("commas only", dg_msg_addr_parse(a, s, n, &l, &err), DG_OK);
	CHECK_INT("commas only n", l.n, 0);

	/* DG_ADDR_LIST_MAX mailboxes, then one more. */
	for (i = 0, o = 0; i < DG_ADDR_LIST_MAX; i++) {
		memcpy(s + o, "a@b.cd,", 7);
		o += 7;
	}
	CHECK_INT("list max", dg_msg_addr_parse(a, s, o, &l, &err), DG_OK);
	CHECK_INT("list max n", l.n, DG_ADDR_LIST_MAX);
	memcpy(s + o, "a@b.cd", 6);
	CHECK_INT("list over", dg_msg_addr_parse(a, s, o + 6, &l, &err),
	    DG_ETOOBIG);
	CHECK_INT("list over offset", err.offset, o);

	/* Unbalanced everything, deep quotes. */
	memset(s, '"', 9999);
	CHECK_INT("odd quotes", dg_msg_addr_parse(a, s, 9999, &l, &err),
	    DG_ESYNTAX);
	memset(s, '<', 5000);
	CHECK_INT("many lt", dg_msg_addr_parse(a, s, 5000, &l, &err),
	    DG_ESYNTAX);
	memset(s, '[', 5000);
	CHECK_INT("many lbracket", dg_msg_addr_parse(a, s, 5000, &l, &err),
	    DG_ESYNTAX);
	memset(s, '@', 5000);
	CHECK_INT("many at", dg_msg_addr_parse(a, s, 5000, &l, &err),
	    DG_ESYNTAX);

	/* 300 encoded words: the first DG_RFC2047_MAX_WORDS are decoded. */
	for (i = 0, o = 0; i < 300; i++) {
		memcpy(s + o, "=?utf-8?q?x?= ", 14);
		o += 14;
	}
	memcpy(s + o, "<a@b.example>", 13);
	CHECK_INT("many words", dg_msg_addr_parse(a, s, o + 13, &l, &err),
	    DG_OK);
	CHECK_INT("many words decoded", strspn(l.mb[0].display, "x"),
	    DG_RFC2047_MAX_WORDS);
	CHECK_INT("many words rest", strlen(l.mb[0].display),
	    DG_RFC2047_MAX_WORDS + 1 + 100 * 14 - 1);

	/* Over the field size limit. */
	memset(s, 'a', DG_HDR_FIELD_MAX + 1);
	CHECK_INT("too long", dg_msg_addr_parse(a, s, DG_HDR_FIELD_MAX + 1, &l,
	    &err), DG_ETOOBIG);
	CHECK_INT("einval", dg_msg_addr_parse(a, NULL, 1, &l, &err),
	    DG_EINVAL);
	free(s);
	dg_arena_free(a);
}

static void
test_enomem(void **state)
{
	static const char	in[] = "=?utf-8?q?J=C3=B6rg?= (x) "
	    "<j@b\xc3\xbc" "cher.example>, "
	    "team: \"a@b.example\" <c@d.example>;";
	unsigned long		n;
	enum dg_err		e;

	(void)state;
	for (n = 1; n < 1000; n++) {
		/* A tiny block size is not configurable, so fill the arena
		 * first to make each parse step allocate. */
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_msg_addr_list	 l;

		assert_non_null(a);
		dg_alloc_fail_after(n);
		e = dg_msg_addr_parse(a, in, strlen(in), &l, NULL);
		if (!dg_alloc_failed()) {
			dg_alloc_fail_after(0);
			CHECK_INT("final", e, DG_OK);
			CHECK_INT("final n", l.n, 2);
			dg_arena_free(a);
			break;
		}
		dg_alloc_fail_after(0);
		CHECK_INT("enomem", e, DG_ENOMEM);
		dg_arena_free(a);
	}
	assert_true(n > 1 && n < 1000);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_route_flag),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
