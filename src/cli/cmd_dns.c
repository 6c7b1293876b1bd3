/*
 * src/cli/cmd_dns.c -- `dmarcguard dns NAME TYPE`: one query through the
 * same resolver the other commands use, printed for people (text) or
 * machines (JSON, schema in docs/dns.md).
 *
 * Exit status: 0 records found, 1 NXDOMAIN or NODATA, 2 usage or input
 * error, 3 SERVFAIL, TIMEOUT or MALFORMED (a temporary DNS failure: try
 * again later).  docs/exit-codes.md says why.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <jansson.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dns.h>

#include "cli.h"
#include "commands.h"

#define CMD			"dns"
#define DNS_EXIT_TEMPFAIL	3

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: dmarcguard dns [OPTIONS] NAME TYPE\n"
	    "\n"
	    "Look up NAME (UTF-8 names are converted to A-labels) for TYPE\n"
	    "(A, AAAA, CNAME, MX, NS, PTR, SPF, TXT) through dmarcguard's\n"
	    "resolver and print the status, records, TTL, canonical name and\n"
	    "DNSSEC state.\n"
	    "\n"
	    "Options:\n"
	    "  -f, --format FMT     text (default) or json\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    CLI_DNS_HELP
	    "\n"
	    "Exit status: 0 records found, 1 NXDOMAIN or NODATA,\n"
	    "2 usage or input error, 3 SERVFAIL, TIMEOUT or MALFORMED.\n");
}

/* ---- escaping ---- */

/* RFC 3629: well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF),
 * and no NUL, which a JSON consumer's C string would cut at. */
static bool
valid_utf8(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	uint32_t		 cp;

	while (i < len) {
		if (p[i] == 0)
			return false;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			n = 1;
			cp = p[i] & 0x1f;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 2;
			cp = p[i] & 0x0f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 3;
			cp = p[i] & 0x07;
		} else {
			return false;
		}
		if (n > len - i - 1)
			return false;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/*
 * RFC 1035 5.1 presentation escapes: a backslash before '\' (and '"' when
 * quoted), \DDD for every byte outside printable ASCII.  Names also escape
 * the space.  Text output never sends raw control or 8-bit bytes to a
 * terminal.
 */
static void
put_escaped(struct dg_buf *b, const char *s, size_t len, bool quoted,
    bool name)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c == '\\' || (quoted && c == '"'))
			dg_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c > 0x7e || (name && c == ' '))
			dg_buf_printf(b, "\\%03u", c);
		else
			dg_buf_putc(b, (char)c);
	}
}

/* A name for output; "." for the root.  Borrowed from b until reset. */
static const char *
name_str(struct dg_buf *b, const char *name)
{
	dg_buf_reset(b);
	if (name[0] == '\0')
		dg_buf_putc(b, '.');
	else
		put_escaped(b, name, strlen(name), false, true);
	return dg_buf_str(b);
}

static const char *
addr_str(const struct dg_dns_rr *rr, char *buf, size_t cap)
{
	if (inet_ntop(rr->type == DG_DNS_T_A ? AF_INET : AF_INET6,
	    rr->type == DG_DNS_T_A ? (const void *)rr->u.a :
	    (const void *)rr->u.aaaa, buf, (socklen_t)cap) == NULL)
		buf[0] = '\0';
	return buf;
}

static bool
is_txt(enum dg_dns_type t)
{
	return t == DG_DNS_T_TXT || t == DG_DNS_T_SPF;
}

/* ---- JSON ---- */

static json_t *
jstr_escaped(const char *s, size_t len)
{
	struct dg_buf	 b;
	json_t		*j;

	dg_buf_init(&b, 0);
	put_escaped(&b, s, len, false, false);
	j = dg_buf_err(&b) == DG_OK ? json_string(dg_buf_str(&b)) : NULL;
	dg_buf_free(&b);
	return j;
}

static json_t *
jname(const char *name)
{
	struct dg_buf	 b;
	json_t		*j;

	dg_buf_init(&b, 0);
	name_str(&b, name);
	j = dg_buf_err(&b) == DG_OK ? json_string(dg_buf_str(&b)) : NULL;
	dg_buf_free(&b);
	return j;
}

/*
 * TXT: {"strings": [...], "text": joined, "escaped": bool}.  When every
 * string is valid UTF-8 they are given as they are; otherwise "escaped"
 * is true and strings and text use RFC 1035 escapes (\\ and \DDD), so no
 * byte is lost and the JSON stays valid UTF-8.
 */
static json_t *
json_txt(struct dg_arena *a, const struct dg_dns_rr *rr)
{
	json_t	*o, *arr;
	char	*joined;
	size_t	 jlen, i;
	bool	 raw = true;

	joined = dg_dns_txt_join(a, rr, &jlen);
	if (joined == NULL)
		return NULL;
	for (i = 0; i < rr->u.txt.count; i++)
		if (!valid_utf8(rr->u.txt.strings[i].p,
		    rr->u.txt.strings[i].len))
			raw = false;
	o = json_object();
	arr = json_array();
	if (o == NULL || arr == NULL) {
		json_decref(o);
		json_decref(arr);
		return NULL;
	}
	json_object_set_new(o, "strings", arr);
	for (i = 0; i < rr->u.txt.count; i++) {
		const struct dg_dns_str	*s = &rr->u.txt.strings[i];

		json_array_append_new(arr, raw ? json_stringn(s->p, s->len) :
		    jstr_escaped(s->p, s->len));
	}
	json_object_set_new(o, "text", raw ? json_stringn(joined, jlen) :
	    jstr_escaped(joined, jlen));
	json_object_set_new(o, "escaped", json_boolean(!raw));
	return o;
}

static json_t *
json_rr(struct dg_arena *a, const struct dg_dns_rr *rr)
{
	json_t	*o;
	char	 buf[64];

	if (is_txt(rr->type))
		return json_txt(a, rr);
	o = json_object();
	if (o == NULL)
		return NULL;
	switch (rr->type) {
	case DG_DNS_T_A:
	case DG_DNS_T_AAAA:
		json_object_set_new(o, "address",
		    json_string(addr_str(rr, buf, sizeof(buf))));
		break;
	case DG_DNS_T_MX:
		json_object_set_new(o, "preference",
		    json_integer(rr->u.mx.pref));
		json_object_set_new(o, "exchange", jname(rr->u.mx.host));
		break;
	default:	/* NS, CNAME, PTR */
		json_object_set_new(o, "target", jname(rr->u.name));
		break;
	}
	return o;
}

static int
print_json(struct dg_arena *a, const struct dg_dns_answer *ans)
{
	json_t	*o, *recs;
	size_t	 i;
	int	 rc;

	o = json_object();
	recs = json_array();
	if (o == NULL || recs == NULL)
		goto oom;
	json_object_set_new(o, "name", jname(ans->qname));
	json_object_set_new(o, "type", json_string(dg_dns_type_str(
	    ans->qtype)));
	json_object_set_new(o, "status", json_string(dg_dns_status_str(
	    ans->status)));
	json_object_set_new(o, "dnssec", json_string(dg_dnssec_str(
	    ans->dnssec)));
	json_object_set_new(o, "ttl", json_integer(ans->ttl));
	json_object_set_new(o, "canonical", jname(ans->canonical));
	json_object_set_new(o, "why", ans->why != NULL ?
	    jstr_escaped(ans->why, strlen(ans->why)) : json_null());
	json_object_set_new(o, "records", recs);
	for (i = 0; i < ans->count; i++) {
		json_t	*r = json_rr(a, &ans->rrs[i]);

		if (r == NULL || json_array_append_new(recs, r) != 0)
			goto oom;
	}
	rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (rc != 0)
		return cli_error(CMD, "cannot write the JSON output");
	fputc('\n', stdout);
	return DG_EXIT_OK;

oom:
	json_decref(o);
	json_decref(recs);
	return cli_error(CMD, "out of memory");
}

/* ---- text ---- */

#define C_RESET		"\033[0m"
#define C_GREEN		"\033[32m"
#define C_YELLOW	"\033[33m"
#define C_RED		"\033[31m"

static const char *
status_color(enum dg_dns_status s)
{
	switch (s) {
	case DG_DNS_OK:		return C_GREEN;
	case DG_DNS_NXDOMAIN:
	case DG_DNS_NODATA:	return C_YELLOW;
	default:		return C_RED;
	}
}

static int
print_text(struct dg_arena *a, const struct dg_dns_answer *ans)
{
	struct dg_buf	 b;
	const char	*type = dg_dns_type_str(ans->qtype);
	char		 ab[64];
	bool		 color = cli_use_color(stdout);
	size_t		 i, k, jlen;
	char		*joined;

	dg_buf_init(&b, 0);
	printf("%-10s %s\n", "name", name_str(&b, ans->qname));
	printf("%-10s %s\n", "type", type);
	printf("%-10s %s%s%s\n", "status", color ? status_color(ans->status) :
	    "", dg_dns_status_str(ans->status), color ? C_RESET : "");
	if (ans->why != NULL) {
		dg_buf_reset(&b);
		put_escaped(&b, ans->why, strlen(ans->why), false, false);
		printf("%-10s %s\n", "why", dg_buf_str(&b));
	}
	printf("%-10s %s\n", "dnssec", dg_dnssec_str(ans->dnssec));
	printf("%-10s %lu\n", "ttl", (unsigned long)ans->ttl);
	printf("%-10s %s\n", "canonical", name_str(&b, ans->canonical));
	for (i = 0; i < ans->count; i++) {
		const struct dg_dns_rr	*rr = &ans->rrs[i];

		dg_buf_reset(&b);
		switch (rr->type) {
		case DG_DNS_T_A:
		case DG_DNS_T_AAAA:
			dg_buf_puts(&b, addr_str(rr, ab, sizeof(ab)));
			break;
		case DG_DNS_T_MX:
			dg_buf_printf(&b, "%u ", (unsigned)rr->u.mx.pref);
			if (rr->u.mx.host[0] == '\0')
				dg_buf_putc(&b, '.');
			else
				put_escaped(&b, rr->u.mx.host,
				    strlen(rr->u.mx.host), false, true);
			break;
		case DG_DNS_T_TXT:
		case DG_DNS_T_SPF:
			for (k = 0; k < rr->u.txt.count; k++) {
				if (k > 0)
					dg_buf_putc(&b, ' ');
				dg_buf_putc(&b, '"');
				put_escaped(&b, rr->u.txt.strings[k].p,
				    rr->u.txt.strings[k].len, true, false);
				dg_buf_putc(&b, '"');
			}
			break;
		default:
			if (rr->u.name[0] == '\0')
				dg_buf_putc(&b, '.');
			else
				put_escaped(&b, rr->u.name,
				    strlen(rr->u.name), false, true);
			break;
		}
		printf("%-10s %s\n", type, dg_buf_str(&b));
		if (is_txt(rr->type)) {
			joined = dg_dns_txt_join(a, rr, &jlen);
			if (joined == NULL) {
				dg_buf_free(&b);
				return cli_error(CMD, "out of memory");
			}
			dg_buf_reset(&b);
			dg_buf_putc(&b, '"');
			put_escaped(&b, joined, jlen, true, false);
			dg_buf_putc(&b, '"');
			printf("%-10s %s\n", "  joined", dg_buf_str(&b));
		}
	}
	if (dg_buf_err(&b) != DG_OK) {
		dg_buf_free(&b);
		return cli_error(CMD, "out of memory");
	}
	dg_buf_free(&b);
	return DG_EXIT_OK;
}

/* ---- the command ---- */

static int
exit_for(enum dg_dns_status s)
{
	switch (s) {
	case DG_DNS_OK:
		return DG_EXIT_OK;
	case DG_DNS_NXDOMAIN:
	case DG_DNS_NODATA:
		return DG_EXIT_FINDING;
	default:	/* SERVFAIL, TIMEOUT, MALFORMED: temporary failures */
		return DNS_EXIT_TEMPFAIL;
	}
}

int
cmd_dns(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_dns_opts	 dopts;
	struct cli_dns		 dns;
	struct dg_dns_answer	 ans;
	struct dg_arena		*a;
	enum cli_format		 fmt = CLI_FMT_TEXT;
	enum dg_dns_type	 type;
	enum dg_err		 e;
	char			 name[512];
	int			 c, rc, crc;

	memset(&dopts, 0, sizeof(dopts));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (cli_dns_opt(CMD, &dopts, c, optarg)) {
		case 1:
			continue;
		case -1:
			return DG_EXIT_ERROR;
		default:
			break;
		}
		switch (c) {
		case 'f':
			if (!cli_format_parse(optarg, false, &fmt))
				return cli_usage_error(CMD, "unknown format "
				    "'%s' (text or json)", optarg);
			break;
		case 'h':
			usage(stdout);
			return DG_EXIT_OK;
		case ':':
			return cli_usage_error(CMD, "%s needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage_error(CMD, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(CMD, "expected NAME and TYPE");
	if (!dg_dns_type_parse(argv[optind + 1], &type))
		return cli_usage_error(CMD, "unknown type '%s' (A, AAAA, "
		    "CNAME, MX, NS, PTR, SPF, TXT)", argv[optind + 1]);
	if (!cli_dns_name(CMD, argv[optind], name, sizeof(name)))
		return DG_EXIT_ERROR;

	if ((rc = cli_dns_open(CMD, &dopts, &dns)) != DG_EXIT_OK)
		return rc;
	a = dg_arena_new(0);
	if (a == NULL) {
		(void)cli_dns_close(CMD, &dns);
		return cli_error(CMD, "out of memory");
	}
	e = dg_dns_query(dns.res, name, type, a, &ans);
	if (e == DG_EINVAL)
		rc = cli_usage_error(CMD, "'%s' is not a valid domain name",
		    argv[optind]);
	else if (e != DG_OK)
		rc = cli_error(CMD, "query failed: %s", dg_strerror(e));
	else if (fmt == CLI_FMT_JSON)
		rc = print_json(a, &ans);
	else
		rc = print_text(a, &ans);
	if (rc == DG_EXIT_OK)
		rc = exit_for(ans.status);
	if (fflush(stdout) != 0 && rc != DG_EXIT_ERROR)
		rc = cli_error(CMD, "cannot write the output");
	dg_arena_free(a);
	crc = cli_dns_close(CMD, &dns);
	return crc != DG_EXIT_OK ? crc : rc;
}
