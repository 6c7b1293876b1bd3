/*
 * tests/unit/test_ip.c -- struct dg_ip: parsing (hostile rows included),
 * IPv4-mapped IPv6, prefix comparison, formatting.
 */
#include "testutil.h"

#include <dmarcguard/ip.h>

static const struct {
	const char	*name;
	const char	*text;
	bool		 ok;
	const char	*canon;		/* dg_ip_format() of the result */
	bool		 mapped;
} parse_rows[] = {
	{ "v4",		"192.0.2.1",		true,  "192.0.2.1", false },
	{ "v4-zero",	"0.0.0.0",		true,  "0.0.0.0", false },
	{ "v6",		"2001:DB8::CB01",	true,  "2001:db8::cb01",
	  false },
	{ "v6-any",	"::",			true,  "::", false },
	{ "v6-mapped",	"::ffff:192.0.2.1",	true,  "::ffff:192.0.2.1",
	  true },
	{ "v6-mapped-hex", "::FFFF:c000:0201",	true,  "::ffff:192.0.2.1",
	  true },
	{ "v6-compat",	"::192.0.2.1",		true,  "::192.0.2.1", false },
	{ "v4-octet-256", "192.0.2.256",	false, NULL, false },
	{ "v4-short",	"192.0.2",		false, NULL, false },
	{ "v4-octal",	"192.0.2.01",		false, NULL, false },
	{ "v4-trailing-dot", "192.0.2.1.",	false, NULL, false },
	{ "v6-two-gaps", "1::2::3",		false, NULL, false },
	{ "v6-bracket",	"[::1]",		false, NULL, false },
	{ "v6-zone",	"fe80::1%eth0",		false, NULL, false },
	{ "prefix",	"192.0.2.0/24",		false, NULL, false },
	{ "space",	" 192.0.2.1",		false, NULL, false },
	{ "empty",	"",			false, NULL, false },
	{ "too-long",	"0000:0000:0000:0000:0000:0000:0000:0000:0000",
	  false, NULL, false },
	{ "junk",	"not-an-ip",		false, NULL, false },
};

static void
test_ip_parse(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(parse_rows); i++) {
		struct dg_ip	ip;
		char		buf[DG_IP_TEXT_MAX];
		bool		ok;

		memset(&ip, 0xa5, sizeof(ip));
		ok = dg_ip_parse(parse_rows[i].text,
		    strlen(parse_rows[i].text), &ip);
		CHECK_INT(parse_rows[i].name, ok, parse_rows[i].ok);
		if (!ok)
			continue;
		CHECK_STR(parse_rows[i].name, dg_ip_format(&ip, buf,
		    sizeof(buf)), parse_rows[i].canon);
		CHECK_INT(parse_rows[i].name, dg_ip_is_v4mapped(&ip),
		    parse_rows[i].mapped);
	}
}

static void
test_ip_not_nul_terminated(void **state)
{
	const char	text[] = { '1', '.', '2', '.', '3', '.', '4', '5' };
	struct dg_ip	ip;
	char		buf[DG_IP_TEXT_MAX];

	(void)state;
	/* Only the first 7 bytes are the address. */
	assert_true(dg_ip_parse(text, 7, &ip));
	CHECK_STR("len-7", dg_ip_format(&ip, buf, sizeof(buf)), "1.2.3.4");
	assert_true(dg_ip_parse(text, 8, &ip));
	CHECK_STR("len-8", dg_ip_format(&ip, buf, sizeof(buf)), "1.2.3.45");
	assert_false(dg_ip_parse(NULL, 0, &ip));
}

static void
test_ip_unmap_prefix(void **state)
{
	struct dg_ip	m, v4, net, v6a, v6b, u;
	char		buf[DG_IP_TEXT_MAX];

	(void)state;
	assert_true(dg_ip_parse("::ffff:192.0.2.77", 17, &m));
	assert_true(dg_ip_parse("192.0.2.0", 9, &net));
	u = dg_ip_unmap(&m);
	CHECK_INT("unmap family", u.family, DG_IP_V4);
	CHECK_STR("unmap text", dg_ip_format(&u, buf, sizeof(buf)),
	    "192.0.2.77");
	/* A mapped address is IPv6 until unmapped. */
	CHECK_INT("mapped vs v4", dg_ip_prefix_eq(&m, &net, 24), false);
	CHECK_INT("unmapped /24", dg_ip_prefix_eq(&u, &net, 24), true);
	CHECK_INT("unmapped /25", dg_ip_prefix_eq(&u, &net, 25), true);
	CHECK_INT("unmapped /26", dg_ip_prefix_eq(&u, &net, 26), false);
	CHECK_INT("/0", dg_ip_prefix_eq(&u, &net, 0), true);
	CHECK_INT("/99 caps at 32", dg_ip_prefix_eq(&u, &u, 99), true);
	assert_true(dg_ip_parse("192.0.2.1", 9, &v4));
	u = dg_ip_unmap(&v4);
	CHECK_INT("unmap v4 unchanged", dg_ip_eq(&u, &v4), true);
	assert_true(dg_ip_parse("2001:db8::1", 11, &v6a));
	assert_true(dg_ip_parse("2001:db8:0:1::1", 15, &v6b));
	CHECK_INT("v6 /48", dg_ip_prefix_eq(&v6a, &v6b, 48), true);
	CHECK_INT("v6 /64", dg_ip_prefix_eq(&v6a, &v6b, 64), false);
	CHECK_INT("v6 /63", dg_ip_prefix_eq(&v6a, &v6b, 63), true);
	CHECK_INT("v6 eq", dg_ip_eq(&v6a, &v6b), false);
	memset(&u, 0, sizeof(u));
	CHECK_STR("unset", dg_ip_format(&u, buf, sizeof(buf)), "");
	CHECK_INT("unset cmp", dg_ip_prefix_eq(&u, &u, 0), false);
	CHECK_STR("tiny buf", dg_ip_format(&v4, buf, 4), "192");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_parse),
		cmocka_unit_test(test_ip_not_nul_terminated),
		cmocka_unit_test(test_ip_unmap_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
