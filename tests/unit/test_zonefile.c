/*
 * tests/unit/test_zonefile.c -- the master-file parser (lib/dns/zonefile.c):
 * every syntax feature as a dump of what reaches the sink, and every error
 * with its exact "FILE:LINE: message".
 */
#include "testutil.h"

#include <arpa/inet.h>

#include <dmarcguard/buf.h>

#include "dns/zonefile.h"
#include "util/alloc.h"
#include "util/limits.h"

/* One line per record or directive: "owner TTL TYPE rdata". */
static enum dg_err
dump_record(void *ctx, const char *owner, const struct dg_dns_rr *rr,
    char *msg, size_t msgcap)
{
	struct dg_buf	*b = ctx;
	char		 addr[64];
	size_t		 i, j;

	(void)msg;
	(void)msgcap;
	dg_buf_printf(b, "%s %u %s", owner, (unsigned)rr->ttl,
	    dg_dns_type_str(rr->type));
	switch (rr->type) {
	case DG_DNS_T_A:
		dg_buf_printf(b, " %s", inet_ntop(AF_INET, rr->u.a, addr,
		    sizeof(addr)));
		break;
	case DG_DNS_T_AAAA:
		dg_buf_printf(b, " %s", inet_ntop(AF_INET6, rr->u.aaaa, addr,
		    sizeof(addr)));
		break;
	case DG_DNS_T_MX:
		dg_buf_printf(b, " %u [%s]", (unsigned)rr->u.mx.pref,
		    rr->u.mx.host);
		break;
	case DG_DNS_T_TXT:
	case DG_DNS_T_SPF:
		for (i = 0; i < rr->u.txt.count; i++) {
			const struct dg_dns_str	*s = &rr->u.txt.strings[i];

			assert_int_equal(s->p[s->len], '\0');
			dg_buf_puts(b, " [");
			for (j = 0; j < s->len; j++) {
				unsigned char	c = (unsigned char)s->p[j];

				if (c < 0x20 || c >= 0x7f)
					dg_buf_printf(b, "<%u>", c);
				else
					dg_buf_putc(b, (char)c);
			}
			dg_buf_puts(b, "]");
		}
		break;
	default:
		dg_buf_printf(b, " [%s]", rr->u.name);
		break;
	}
	dg_buf_puts(b, "\n");
	return dg_buf_err(b);
}

static enum dg_err
dump_directive(void *ctx, enum dg_zone_dir dir, const char *owner,
    char *msg, size_t msgcap)
{
	struct dg_buf	*b = ctx;

	(void)msg;
	(void)msgcap;
	dg_buf_printf(b, "$%s %s\n", dir == DG_ZONE_DIR_TIMEOUT ? "TIMEOUT" :
	    dir == DG_ZONE_DIR_SERVFAIL ? "SERVFAIL" : "NODATA", owner);
	return dg_buf_err(b);
}

static enum dg_err
parse(const char *text, size_t len, struct dg_buf *out, char *err,
    size_t errlen)
{
	struct dg_zone_sink	sink = { out, dump_record, dump_directive };

	return dg_zonefile_parse(text, len, "z", &sink, err, errlen);
}

static const struct {
	const char	*name;
	const char	*text;
	const char	*want;
} good[] = {
	{ "empty", "", "" },
	{ "comments-only", "; nothing\n\n   ; more\n", "" },
	{ "absolute-a", "a.example. 300 IN A 192.0.2.1\n",
	  "a.example 300 A 192.0.2.1\n" },
	{ "no-final-newline", "a.example. 300 IN A 192.0.2.1",
	  "a.example 300 A 192.0.2.1\n" },
	{ "crlf", "a.example. 300 IN A 192.0.2.1\r\n",
	  "a.example 300 A 192.0.2.1\n" },
	{ "origin-relative-at",
	  "$ORIGIN example.com.\n@ 60 A 192.0.2.1\nwww 60 A 192.0.2.2\n",
	  "example.com 60 A 192.0.2.1\nwww.example.com 60 A 192.0.2.2\n" },
	{ "origin-relative-to-origin",
	  "$ORIGIN com.\n$ORIGIN example\n@ 1 A 192.0.2.1\n",
	  "example.com 1 A 192.0.2.1\n" },
	{ "origin-root", "$ORIGIN .\nfoo 1 A 192.0.2.1\n",
	  "foo 1 A 192.0.2.1\n" },
	{ "ttl-class-order", "a. IN 20 A 192.0.2.1\nb. 30 IN A 192.0.2.2\n"
	  "c. 40 A 192.0.2.3\nd. in A 192.0.2.4\n",
	  "a 20 A 192.0.2.1\nb 30 A 192.0.2.2\nc 40 A 192.0.2.3\n"
	  "d 40 A 192.0.2.4\n" },
	{ "dollar-ttl-wins", "$TTL 1h\na. 5 A 192.0.2.1\nb. A 192.0.2.2\n"
	  "$TTL 2d3h\nc. A 192.0.2.3\n",
	  "a 5 A 192.0.2.1\nb 3600 A 192.0.2.2\nc 183600 A 192.0.2.3\n" },
	{ "default-ttl", "a. A 192.0.2.1\n", "a 3600 A 192.0.2.1\n" },
	{ "ttl-max", "a. 2147483647 A 192.0.2.1\n",
	  "a 2147483647 A 192.0.2.1\n" },
	{ "blank-owner", "a.example. 1 A 192.0.2.1\n\t2 TXT x\n",
	  "a.example 1 A 192.0.2.1\na.example 2 TXT [x]\n" },
	{ "case-folded", "$ORIGIN EXAMPLE.Com.\nWWW 1 in a 192.0.2.1\n"
	  "@ 1 MX 10 MAIL.Example.COM.\n",
	  "www.example.com 1 A 192.0.2.1\nexample.com 1 MX 10 "
	  "[mail.example.com]\n" },
	{ "aaaa", "a. 1 AAAA 2001:db8::1\nb. 1 AAAA ::ffff:192.0.2.1\n",
	  "a 1 AAAA 2001:db8::1\nb 1 AAAA ::ffff:192.0.2.1\n" },
	{ "mx-null", "a. 1 MX 0 .\n", "a 1 MX 0 []\n" },
	{ "mx-relative", "$ORIGIN ex.\n@ 1 MX 65535 mail\n",
	  "ex 1 MX 65535 [mail.ex]\n" },
	{ "ptr-cname-ns", "$ORIGIN ex.\n1 1 PTR host\nw 1 CNAME @\n"
	  "@ 1 NS ns1.other.\n",
	  "1.ex 1 PTR [host.ex]\nw.ex 1 CNAME [ex]\nex 1 NS [ns1.other]\n" },
	{ "txt-multi", "a. 1 TXT \"v=spf1 \" \"-all\"\n",
	  "a 1 TXT [v=spf1 ] [-all]\n" },
	{ "txt-unquoted", "a. 1 TXT hello world\n",
	  "a 1 TXT [hello] [world]\n" },
	{ "txt-escapes", "a. 1 TXT \"q\\\"b\\\\s\\059\\000\\255\"\n",
	  "a 1 TXT [q\"b\\s;<0><255>]\n" },
	{ "txt-unquoted-escape", "a. 1 TXT semi\\;colon\n",
	  "a 1 TXT [semi;colon]\n" },
	{ "txt-empty-string", "a. 1 TXT \"\"\n", "a 1 TXT []\n" },
	{ "txt-semicolon-in-quotes", "a. 1 TXT \"p=reject; pct=100\" ; c\n",
	  "a 1 TXT [p=reject; pct=100]\n" },
	{ "spf-type", "a. 1 SPF \"v=spf1 -all\"\n",
	  "a 1 SPF [v=spf1 -all]\n" },
	{ "parens", "a. 1 TXT ( \"one\" ; first\n  \"two\" )\nb. 1 A "
	  "192.0.2.9\n",
	  "a 1 TXT [one] [two]\nb 1 A 192.0.2.9\n" },
	{ "parens-whole", "a. ( 1\n IN\n A\n 192.0.2.1 )\n",
	  "a 1 A 192.0.2.1\n" },
	{ "txt-255", "a. 1 TXT \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaa\"\n",
	  "a 1 TXT [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaa]\n" },
	{ "directives", "$ORIGIN ex.\n$TIMEOUT slow\n$SERVFAIL bad.ex.\n"
	  "$NODATA @\n",
	  "$TIMEOUT slow.ex\n$SERVFAIL bad.ex\n$NODATA ex\n" },
	{ "name-escapes", "a\\098c. 1 A 192.0.2.1\nx\\(y. 1 A 192.0.2.2\n",
	  "abc 1 A 192.0.2.1\nx(y 1 A 192.0.2.2\n" },
	{ "underscore-labels", "_dmarc.Ex. 1 TXT \"v=DMARC1; p=none\"\n",
	  "_dmarc.ex 1 TXT [v=DMARC1; p=none]\n" },
	{ "root-owner", ". 1 A 192.0.2.1\n", " 1 A 192.0.2.1\n" },
	{ "label-63",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  ". 1 A 192.0.2.1\n",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  " 1 A 192.0.2.1\n" },
};

static const struct {
	const char	*name;
	const char	*text;
	enum dg_err	 code;
	const char	*want;
} bad[] = {
	{ "unknown-type", "a. 1 IN FOO x\n", DG_ESYNTAX,
	  "z:1: unknown type 'FOO'" },
	{ "missing-type", "a. 1 IN\n", DG_ESYNTAX, "z:1: missing type" },
	{ "bad-ipv4", "\na. 1 A 192.0.2.256\n", DG_ESYNTAX,
	  "z:2: bad IPv4 address '192.0.2.256'" },
	{ "bad-ipv4-short", "a. 1 A 10.1\n", DG_ESYNTAX,
	  "z:1: bad IPv4 address '10.1'" },
	{ "bad-ipv4-quoted", "a. 1 A \"192.0.2.1\"\n", DG_ESYNTAX,
	  "z:1: bad IPv4 address '192.0.2.1'" },
	{ "bad-ipv6", "a. 1 AAAA 2001:db8:::1\n", DG_ESYNTAX,
	  "z:1: bad IPv6 address '2001:db8:::1'" },
	{ "a-trailing", "a. 1 A 192.0.2.1 192.0.2.2\n", DG_ESYNTAX,
	  "z:1: trailing data after A RDATA: '192.0.2.2'" },
	{ "missing-rdata", "a. 1 A\n", DG_ESYNTAX,
	  "z:1: missing RDATA for A" },
	{ "bad-mx-pref", "a. 1 MX 65536 b.\n", DG_ESYNTAX,
	  "z:1: bad MX preference '65536'" },
	{ "mx-no-host", "a. 1 MX 10\n", DG_ESYNTAX,
	  "z:1: missing MX exchange" },
	{ "unterminated-quote", "a. 1 TXT \"abc\nb. 1 A 192.0.2.1\n",
	  DG_ESYNTAX, "z:1: unterminated quote" },
	{ "unterminated-quote-eof", "a. 1 TXT \"abc\\\"", DG_ESYNTAX,
	  "z:1: unterminated quote" },
	{ "paren-not-closed", "a. 1 A 192.0.2.1\nb. 1 TXT ( \"x\"\n\"y\"\n",
	  DG_ESYNTAX, "z:2: unbalanced parentheses: '(' not closed" },
	{ "paren-extra-close", "a. 1 TXT x )\n", DG_ESYNTAX,
	  "z:1: unbalanced parentheses: ')' without '('" },
	{ "paren-nested", "a. 1 TXT ( ( x ) )\n", DG_ESYNTAX,
	  "z:1: nested parentheses" },
	{ "bad-ttl", "a. 12x A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: bad TTL '12x'" },
	{ "ttl-overflow", "a. 2147483648 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: bad TTL '2147483648'" },
	{ "ttl-units-overflow", "a. 99999w A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: bad TTL '99999w'" },
	{ "bad-dollar-ttl", "$TTL forever\n", DG_ESYNTAX,
	  "z:1: bad TTL 'forever'" },
	{ "two-ttls", "a. 1 2 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: bad TTL '2'" },
	{ "bad-class", "a. CH A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: unsupported class 'CH'" },
	{ "class-twice", "a. IN IN A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: class given twice" },
	{ "relative-no-origin", "www 1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: relative name 'www' without $ORIGIN" },
	{ "at-no-origin", "@ 1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: '@' without $ORIGIN" },
	{ "relative-target-no-origin", "a. 1 CNAME b\n", DG_ESYNTAX,
	  "z:1: relative name 'b' without $ORIGIN" },
	{ "blank-owner-first", "  1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: blank owner with no previous owner" },
	{ "label-64",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  ". 1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: label longer than 63 octets in "
	  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'" },
	{ "empty-label", "a..b. 1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: empty label in name 'a..b.'" },
	{ "name-too-long-origin",
	  "$ORIGIN aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.\n"
	  "bbbbbbbbbbbbbbbbbbbbb 1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:2: name too long: 'bbbbbbbbbbbbbbbbbbbbb' + $ORIGIN" },
	{ "escaped-dot", "a\\.b. 1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: escaped dot or NUL in name 'a\\.b.' is not supported" },
	{ "bad-escape-name", "a\\25. 1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: bad escape in name 'a\\25.'" },
	{ "bad-escape-256", "a. 1 TXT \"\\256\"\n", DG_ESYNTAX,
	  "z:1: bad escape in \"\\256\"" },
	{ "escape-eol", "a. 1 TXT ab\\\nc\n", DG_ESYNTAX,
	  "z:1: bad escape at end of line" },
	{ "quoted-owner", "\"a.\" 1 A 192.0.2.1\n", DG_ESYNTAX,
	  "z:1: quoted name \"a.\"" },
	{ "include", "$INCLUDE /etc/passwd\n", DG_ESYNTAX,
	  "z:1: $INCLUDE is not supported" },
	{ "unknown-directive", "$GENERATE 1-3 a A 1.2.3.4\n", DG_ESYNTAX,
	  "z:1: unknown directive '$GENERATE'" },
	{ "origin-args", "$ORIGIN\n", DG_ESYNTAX,
	  "z:1: $ORIGIN takes exactly one argument" },
	{ "timeout-args", "$TIMEOUT a. b.\n", DG_ESYNTAX,
	  "z:1: $TIMEOUT takes exactly one argument" },
	{ "nul-byte", "a. 1 TXT x\n\nb. 1 TXT \"y\0\"\n", DG_ESYNTAX,
	  "z:3: NUL byte in zone file" },
	{ "txt-256", "a. 1 TXT \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaa\"\n", DG_ESYNTAX,
	  "z:1: character-string longer than 255 octets" },
	{ "hostile-control-shown", "a. 1 \x01\x7f\xff A\n", DG_ESYNTAX,
	  "z:1: unknown type '?" "?" "?'" },
};

static void
test_good(void **state)
{
	struct dg_buf	b;
	char		err[256];
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		dg_buf_init(&b, 0);
		CHECK_INT(good[i].name, parse(good[i].text,
		    strlen(good[i].text), &b, err, sizeof(err)), DG_OK);
		CHECK_STR(good[i].name, err, "");
		CHECK_STR(good[i].name, dg_buf_str(&b), good[i].want);
		dg_buf_free(&b);
	}
}

static void
test_bad(void **state)
{
	struct dg_buf	b;
	char		err[256];
	size_t		i, len;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		dg_buf_init(&b, 0);
		len = strlen(bad[i].text);
		if (strcmp(bad[i].name, "nul-byte") == 0)
			len += strlen(bad[i].text + len + 1) + 1;
		CHECK_INT(bad[i].name, parse(bad[i].text, len, &b, err,
		    sizeof(err)), bad[i].code);
		CHECK_STR(bad[i].name, err, bad[i].want);
		dg_buf_free(&b);
	}
}

/* Limits: line length, file size, parentheses span, TXT RDATA size. */
static void
test_limits(void **state)
{
	struct dg_buf	 b, z;
	char		 err[256];
	char		*big;
	size_t		 i;

	(void)state;
	dg_buf_init(&b, 0);

	big = malloc(DG_ZONE_LINE_MAX + 64);
	assert_non_null(big);
	memcpy(big, "a. 1 A 192.0.2.1\n; ", 19);
	memset(big + 19, 'x', DG_ZONE_LINE_MAX);
	CHECK_INT("line-too-long", parse(big, 19 + DG_ZONE_LINE_MAX, &b, err,
	    sizeof(err)), DG_ETOOBIG);
	CHECK_STR("line-too-long", err,
	    "z:2: line too long (max 131072 bytes)");
	CHECK_INT("line-max-ok", parse(big, 17 + DG_ZONE_LINE_MAX, &b, err,
	    sizeof(err)), DG_OK);
	free(big);

	/* The size check comes before any byte is read. */
	CHECK_INT("file-too-big", parse("", (size_t)DG_ZONE_FILE_MAX + 1, &b,
	    err, sizeof(err)), DG_ETOOBIG);
	CHECK_STR("file-too-big", err, "z:1: file too big (max 67108864 "
	    "bytes)");

	dg_buf_init(&z, 0);
	dg_buf_puts(&z, "a. 1 TXT (\n");
	for (i = 0; i < DG_ZONE_PAREN_LINES + 1; i++)
		dg_buf_puts(&z, "x\n");
	dg_buf_puts(&z, ")\n");
	CHECK_INT("paren-lines", parse(z.data, z.len, &b, err, sizeof(err)),
	    DG_ETOOBIG);
	CHECK_STR("paren-lines", err,
	    "z:1: parentheses span more than 1000 lines");
	dg_buf_free(&z);

	/* 300 strings of 220 octets: 66300 > 65535 octets of RDATA. */
	dg_buf_init(&z, 0);
	dg_buf_puts(&z, "a. 1 TXT");
	for (i = 0; i < 300; i++) {
		dg_buf_puts(&z, " ");
		dg_buf_printf(&z, "%0220d", 0);
	}
	dg_buf_puts(&z, "\n");
	CHECK_INT("txt-rdata", parse(z.data, z.len, &b, err, sizeof(err)),
	    DG_ETOOBIG);
	CHECK_STR("txt-rdata", err, "z:1: TXT RDATA longer than 65535 octets");
	dg_buf_free(&z);
	dg_buf_free(&b);
}

/* The writer helpers produce text the parser reads back byte for byte. */
static void
test_writer_roundtrip(void **state)
{
	struct dg_buf	 z, b;
	char		 err[256], bytes[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (char)(255 - i);	/* every octet, NUL last */
	dg_buf_init(&z, 0);
	dg_zonefile_put_name(&z, "we;ird(na)me\"@$.x y.ex");
	dg_buf_puts(&z, " 7 TXT ");
	dg_zonefile_put_string(&z, bytes, 255);
	dg_buf_puts(&z, " ");
	dg_zonefile_put_string(&z, "", 0);
	dg_buf_puts(&z, "\n");
	dg_zonefile_put_name(&z, "");
	dg_buf_puts(&z, " 1 A 192.0.2.1\n");
	CHECK_STR("writer-name", strstr(z.data, "we\\059ird\\040na\\041me"
	    "\\034\\064\\036.x\\032y.ex. 7 TXT \"\\255"), z.data);
	dg_buf_init(&b, 0);
	CHECK_INT("writer-parse", parse(z.data, z.len, &b, err, sizeof(err)),
	    DG_OK);
	CHECK_STR("writer-parse", err, "");
	assert_non_null(strstr(dg_buf_str(&b), "we;ird(na)me\"@$.x y.ex 7 "
	    "TXT [<255><254>"));
	assert_non_null(strstr(dg_buf_str(&b), "~}|{zyxwvutsrqponmlkjihgfedc"
	    "ba`_^]\\[ZYXWVUTSRQPONMLKJIHGFEDCBA@?>=<;:9876543210/.-,+*)('&%$#"
	    "\"! <31>"));
	assert_non_null(strstr(dg_buf_str(&b), "<1>] []\n 1 A 192.0.2.1\n"));
	dg_buf_free(&b);
	dg_buf_free(&z);
}

/* Every allocation failure is reported as DG_ENOMEM, without leaks. */
static void
test_enomem(void **state)
{
	const char	*text = "$ORIGIN ex.\n@ 1 TXT a b c d e f g h i j k l "
	    "m n o p q r s t\nw 1 MX 1 mx\n";
	struct dg_buf	 b;
	char		 err[256];
	unsigned long	 n;
	enum dg_err	 rc;

	(void)state;
	for (n = 1; n < 100; n++) {
		dg_buf_init(&b, 0);
		dg_alloc_fail_after(n);
		rc = parse(text, strlen(text), &b, err, sizeof(err));
		if (!dg_alloc_failed()) {
			dg_alloc_fail_after(0);
			CHECK_INT("enomem-final", rc, DG_OK);
			dg_buf_free(&b);
			break;
		}
		dg_alloc_fail_after(0);
		CHECK_INT("enomem", rc, DG_ENOMEM);
		dg_buf_free(&b);
	}
	assert_true(n > 1 && n < 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_writer_roundtrip),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
