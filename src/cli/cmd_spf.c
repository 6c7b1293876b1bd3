/*
 * src/cli/cmd_spf.c -- `dmarcguard spf`: RFC 7208 check_host() for one
 * connection (--ip, --mail-from, --helo), or for one query a line with
 * --batch, through the resolver the other commands use.  Prints the
 * result, the scope, the matched term, the exp= explanation on fail and
 * the lookups made, for people (text) or machines (JSON, schema in
 * docs/spf.md).
 *
 * Exit status: 0 when the evaluation ran, whatever its result; 2 for a
 * usage or input error (in batch mode: at the end, when any line was bad).
 * An SPF temperror is a result, not an exit status: the JSON says it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <jansson.h>

#include <dmarcguard/buf.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/idn.h>
#include <dmarcguard/ip.h>
#include <dmarcguard/spf.h>

#include "cli.h"
#include "commands.h"

#define CMD		"spf"

/*
 * Longest batch line kept, newline excluded: an IPv6 address (45), a
 * reverse-path (RFC 5321 4.5.3.1.3: 256) and a HELO name (255) with
 * separators fit with room to spare.  A longer line is a bad line.
 */
#define SPF_BATCH_LINE_MAX	1024
/* An identity as given, A-label conversion included (RFC 5321 path). */
#define SPF_IDENTITY_MAX	(SPF_BATCH_LINE_MAX + 1)

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: dmarcguard spf [OPTIONS] --ip IP --mail-from ADDR "
	    "--helo NAME\n"
	    "       dmarcguard spf [OPTIONS] --batch FILE|-\n"
	    "\n"
	    "Evaluate SPF (RFC 7208 check_host()) for a client address and the\n"
	    "MAIL FROM identity (postmaster@HELO when it is null), and print\n"
	    "the result, the term that matched, the explanation on fail and\n"
	    "the DNS lookups made.\n"
	    "\n"
	    "Options:\n"
	    "  --ip IP              connecting client's IPv4 or IPv6 address\n"
	    "  --mail-from ADDR     MAIL FROM reverse-path; \"\" or \"<>\": null\n"
	    "                       (then postmaster@HELO is checked)\n"
	    "  --helo NAME          HELO/EHLO name (needed for a null MAIL FROM)\n"
	    "  --check-helo         also check the HELO identity (RFC 7208 2.3)\n"
	    "  --receiver NAME      the checking host, for %%{r} (default\n"
	    "                       \"unknown\")\n"
	    "  --now EPOCH          the time for %%{t} (default: now)\n"
	    "  --batch FILE|-       one query a line: IP MAIL-FROM [HELO]\n"
	    "                       (\"<>\" for a null MAIL FROM); prints one\n"
	    "                       result a line (JSON unless --format text)\n"
	    "  --trace              text: list every DNS lookup made\n"
	    "  -f, --format FMT     text (default) or json\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    CLI_DNS_HELP
	    "\n"
	    "Exit status: 0 the evaluation ran (any SPF result), 2 usage or\n"
	    "input error (batch: any bad line).\n");
}

struct spf_opts {
	enum cli_format	 fmt;
	bool		 fmt_set;
	bool		 check_helo;
	bool		 trace;
	const char	*receiver;
	int64_t		 now;
};

/* ---- input ---- */

/*
 * A domain holding UTF-8 is looked up as A-labels (RFC 8616 4: SPF with
 * SMTPUTF8 uses the A-label form).  A name that does not convert is kept
 * as given: check_host() then decides (none, RFC 7208 4.3).
 */
/* Copy s[0..len) and a NUL into out[0..cap); false when it does not fit. */
static bool
copy_str(char *out, size_t cap, const char *s, size_t len)
{
	if (len >= cap)
		return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

static bool
is_ascii(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p >= 0x80)
			return false;
	return true;
}

static void
domain_to_ascii(const char *in, char *out, size_t cap)
{
	char	why[128];

	if (is_ascii(in) || dg_idn_name_to_ascii(in, out, cap, why,
	    sizeof(why)) != DG_OK) {
		if (!copy_str(out, cap, in, strlen(in)))
			copy_str(out, cap, in, cap - 1);	/* cut */
	}
}

/*
 * The MAIL FROM as given to what check_host() is handed: one pair of
 * angle brackets is removed, "<>" and "" are the null reverse-path, and
 * the domain after the last '@' goes to A-labels.  False when too long.
 */
static bool
norm_mail_from(const char *in, char *out, size_t cap)
{
	char		 dom[SPF_IDENTITY_MAX];
	char		 tmp[SPF_IDENTITY_MAX];
	const char	*at;
	size_t		 len = strlen(in), llen;

	if (len >= 2 && in[0] == '<' && in[len - 1] == '>') {
		in++;
		len -= 2;
	}
	if (!copy_str(tmp, sizeof(tmp), in, len))
		return false;
	if (is_ascii(tmp))
		return copy_str(out, cap, tmp, len);
	at = strrchr(tmp, '@');
	domain_to_ascii(at != NULL ? at + 1 : tmp, dom, sizeof(dom));
	llen = at != NULL ? (size_t)(at - tmp) + 1 : 0;	/* "local@" */
	if (llen + strlen(dom) >= cap)
		return false;
	memcpy(out, tmp, llen);
	memcpy(out + llen, dom, strlen(dom) + 1);
	return true;
}

/* Parse --now: seconds since the epoch, 0 or more. */
static bool
parse_now(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0)
		return false;
	*out = (int64_t)v;
	return true;
}

/* ---- output helpers ---- */

/*
 * Text output never sends control or 8-bit bytes to a terminal: they
 * become \DDD (RFC 1035 presentation style), and '\' becomes "\\".
 */
static const char *
esc(struct dg_buf *b, const char *s)
{
	const unsigned char	*p;

	dg_buf_reset(b);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\')
			dg_buf_puts(b, "\\\\");
		else if (*p < 0x20 || *p > 0x7e)
			dg_buf_printf(b, "\\%03u", *p);
		else
			dg_buf_putc(b, (char)*p);
	}
	return dg_buf_err(b) == DG_OK ? dg_buf_str(b) : "?";
}

/* A JSON string: as it is when valid UTF-8, else with \DDD escapes. */
static json_t *
jstr(const char *s)
{
	struct dg_buf	 b;
	json_t		*j;

	if ((j = json_string(s)) != NULL)
		return j;
	dg_buf_init(&b, 0);
	j = json_string(esc(&b, s));
	dg_buf_free(&b);
	return j;
}

/* A JSON string, or null for "". */
static json_t *
jstr_or_null(const char *s)
{
	return s[0] == '\0' ? json_null() : jstr(s);
}

/* ---- JSON ---- */

/* The reason as a stable token for machines (docs/spf.md); the text
 * output shows dg_spf_reason_str()'s wording instead. */
static const char *
reason_token(enum dg_spf_reason r)
{
	switch (r) {
	case DG_SPF_R_UNSET:		return "unset";
	case DG_SPF_R_MECHANISM:	return "mechanism";
	case DG_SPF_R_DEFAULT:		return "default";
	case DG_SPF_R_NO_RECORD:	return "no-record";
	case DG_SPF_R_NO_DOMAIN:	return "no-domain";
	case DG_SPF_R_BAD_DOMAIN:	return "bad-domain";
	case DG_SPF_R_MULTIPLE:		return "multiple-records";
	case DG_SPF_R_SYNTAX:		return "syntax";
	case DG_SPF_R_MACRO:		return "macro";
	case DG_SPF_R_DNS_LIMIT:	return "dns-limit";
	case DG_SPF_R_VOID_LIMIT:	return "void-limit";
	case DG_SPF_R_MX_LIMIT:		return "mx-limit";
	case DG_SPF_R_DEPTH:		return "depth";
	case DG_SPF_R_INCLUDE_NONE:	return "include-none";
	case DG_SPF_R_REDIRECT_NONE:	return "redirect-none";
	case DG_SPF_R_BAD_TARGET:	return "bad-target";
	case DG_SPF_R_DNS_ERROR:	return "dns-error";
	}
	return "unknown";
}

/* The fields of one verdict (docs/spf.md), added to o in a fixed order. */
static bool
json_verdict(json_t *o, const struct dg_spf_verdict *v)
{
	json_t	*tr, *t;
	size_t	 i;

	json_object_set_new(o, "result", json_string(dg_spf_result_str(
	    v->result)));
	json_object_set_new(o, "reason", json_string(reason_token(
	    v->reason)));
	json_object_set_new(o, "detail", jstr(v->detail));
	json_object_set_new(o, "scope", json_string(dg_spf_scope_str(
	    v->scope)));
	json_object_set_new(o, "domain", jstr(v->domain));
	json_object_set_new(o, "mechanism", jstr_or_null(v->mechanism));
	json_object_set_new(o, "explanation", jstr_or_null(v->explanation));
	json_object_set_new(o, "lookups", json_integer(v->lookups));
	json_object_set_new(o, "dns_queries", json_integer(v->dns_queries));
	json_object_set_new(o, "void_lookups",
	    json_integer(v->void_lookups));
	if ((tr = json_array()) == NULL)
		return false;
	json_object_set_new(o, "trace", tr);
	for (i = 0; i < v->trace_len; i++) {
		const struct dg_spf_lookup	*l = &v->trace[i];

		if ((t = json_object()) == NULL ||
		    json_array_append_new(tr, t) != 0)
			return false;
		json_object_set_new(t, "name", jstr(l->name));
		json_object_set_new(t, "type", json_string(dg_dns_type_str(
		    l->type)));
		json_object_set_new(t, "status", json_string(
		    dg_dns_status_str(l->status)));
		json_object_set_new(t, "count", json_integer(l->count));
		json_object_set_new(t, "depth", json_integer(l->depth));
	}
	json_object_set_new(o, "trace_truncated",
	    json_boolean(v->lookups > v->trace_len));
	return true;
}

/*
 * One evaluation as a JSON object: the MAIL FROM verdict's fields, the
 * query, and with --check-helo the HELO verdict as "helo_check".
 * line > 0: a batch line, numbered first.
 */
static json_t *
json_result(unsigned long line, const char *ip, const char *mail_from,
    const char *helo, const struct dg_spf_verdict *v,
    const struct dg_spf_verdict *hv)
{
	json_t	*o, *h;

	if ((o = json_object()) == NULL)
		return NULL;
	if (line > 0)
		json_object_set_new(o, "line", json_integer((json_int_t)line));
	if (!json_verdict(o, v))
		goto oom;
	json_object_set_new(o, "client_ip", json_string(ip));
	json_object_set_new(o, "mail_from", jstr(mail_from));
	json_object_set_new(o, "helo", helo != NULL ? jstr(helo) :
	    json_null());
	if (hv != NULL) {
		if ((h = json_object()) == NULL)
			goto oom;
		json_object_set_new(o, "helo_check", h);
		if (!json_verdict(h, hv))
			goto oom;
	}
	return o;
oom:
	json_decref(o);
	return NULL;
}

static bool
json_print(json_t *o, bool compact)
{
	int	rc;

	rc = json_dumpf(o, stdout, JSON_PRESERVE_ORDER |
	    (compact ? JSON_COMPACT : JSON_INDENT(2)));
	json_decref(o);
	return rc == 0 && fputc('\n', stdout) != EOF;
}

/*
 * Batch JSON, one compact object a line, written straight into a buffer:
 * byte for byte what json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) gives
 * for json_result() (the golden batch files hold jansson's output), at a
 * fraction of the cost of building a tree per line.  The buffer collects
 * many lines and is written out in large pieces.
 */
struct jw {
	char	*p;
	size_t	 len;
	size_t	 cap;
	bool	 err;		/* sticky: out of memory */
};

#define JW_FLUSH_AT	(256u * 1024)

static bool
jw_grow(struct jw *w, size_t n)
{
	size_t	 cap = w->cap != 0 ? w->cap : 64 * 1024;
	char	*np;

	if (w->err)
		return false;
	while (cap - w->len < n) {
		if (cap > SIZE_MAX / 2) {
			w->err = true;
			return false;
		}
		cap *= 2;
	}
	if ((np = realloc(w->p, cap)) == NULL) {
		w->err = true;
		return false;
	}
	w->p = np;
	w->cap = cap;
	return true;
}

static inline void
jw_put(struct jw *w, const void *s, size_t n)
{
	if (w->cap - w->len < n && !jw_grow(w, n))
		return;
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

#define JW_LIT(w, lit)	jw_put((w), (lit), sizeof(lit) - 1)

static void
jw_cstr(struct jw *w, const char *s)
{
	jw_put(w, s, strlen(s));
}

/* Write out what the buffer holds; false on a write error. */
static bool
jw_flush(struct jw *w, FILE *fp)
{
	bool	ok = w->len == 0 || fwrite(w->p, 1, w->len, fp) == w->len;

	w->len = 0;
	return ok;
}

static void
jw_str(struct jw *w, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	struct dg_buf		 e;
	json_t			*j;
	size_t			 start = w->len;
	bool			 utf8_ok = false;
	char			 u[6];

	JW_LIT(w, "\"");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		const unsigned char	*run = p;

		/* Plain bytes go in one copy. */
		while (*p >= 0x20 && *p != '"' && *p != '\\' &&
		    (*p < 0x80 || utf8_ok))
			p++;
		if (p > run)
			jw_put(w, run, (size_t)(p - run));
		if (*p == '\0')
			break;
		if (*p >= 0x80) {
			/* The first 8-bit byte: is the whole string UTF-8
			 * (jansson decides, as for json_string())? */
			if ((j = json_string(s)) == NULL) {
				/* No: the \DDD form, as jstr() does. */
				w->len = start;
				dg_buf_init(&e, 0);
				jw_str(w, esc(&e, s));
				dg_buf_free(&e);
				return;
			}
			json_decref(j);
			utf8_ok = true;
			p--;		/* copy it on the next round */
			continue;
		}
		switch (*p) {
		case '"':	JW_LIT(w, "\\\""); break;
		case '\\':	JW_LIT(w, "\\\\"); break;
		case '\b':	JW_LIT(w, "\\b"); break;
		case '\f':	JW_LIT(w, "\\f"); break;
		case '\n':	JW_LIT(w, "\\n"); break;
		case '\r':	JW_LIT(w, "\\r"); break;
		case '\t':	JW_LIT(w, "\\t"); break;
		default:	/* other controls: \u00XX, as jansson */
			memcpy(u, "\\u00", 4);
			u[4] = hex[*p >> 4];
			u[5] = hex[*p & 0xf];
			jw_put(w, u, sizeof(u));
			break;
		}
	}
	JW_LIT(w, "\"");
}

static void
jw_str_or_null(struct jw *w, const char *s)
{
	if (s[0] == '\0')
		JW_LIT(w, "null");
	else
		jw_str(w, s);
}

static void
jw_uint(struct jw *w, unsigned long v)
{
	char	d[24];
	size_t	i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	jw_put(w, d + i, sizeof(d) - i);
}

/* The fields of json_verdict(), same order, no braces. */
static void
jw_verdict(struct jw *w, const struct dg_spf_verdict *v)
{
	size_t	i;

	JW_LIT(w, "\"result\":\"");
	jw_cstr(w, dg_spf_result_str(v->result));
	JW_LIT(w, "\",\"reason\":\"");
	jw_cstr(w, reason_token(v->reason));
	JW_LIT(w, "\",\"detail\":");
	jw_str(w, v->detail);
	JW_LIT(w, ",\"scope\":\"");
	jw_cstr(w, dg_spf_scope_str(v->scope));
	JW_LIT(w, "\",\"domain\":");
	jw_str(w, v->domain);
	JW_LIT(w, ",\"mechanism\":");
	jw_str_or_null(w, v->mechanism);
	JW_LIT(w, ",\"explanation\":");
	jw_str_or_null(w, v->explanation);
	JW_LIT(w, ",\"lookups\":");
	jw_uint(w, v->lookups);
	JW_LIT(w, ",\"dns_queries\":");
	jw_uint(w, v->dns_queries);
	JW_LIT(w, ",\"void_lookups\":");
	jw_uint(w, v->void_lookups);
	JW_LIT(w, ",\"trace\":[");
	for (i = 0; i < v->trace_len; i++) {
		const struct dg_spf_lookup	*l = &v->trace[i];

		if (i > 0)
			JW_LIT(w, ",");
		JW_LIT(w, "{\"name\":");
		jw_str(w, l->name);
		JW_LIT(w, ",\"type\":\"");
		jw_cstr(w, dg_dns_type_str(l->type));
		JW_LIT(w, "\",\"status\":\"");
		jw_cstr(w, dg_dns_status_str(l->status));
		JW_LIT(w, "\",\"count\":");
		jw_uint(w, l->count);
		JW_LIT(w, ",\"depth\":");
		jw_uint(w, l->depth);
		JW_LIT(w, "}");
	}
	JW_LIT(w, "],\"trace_truncated\":");
	if (v->lookups > v->trace_len)
		JW_LIT(w, "true");
	else
		JW_LIT(w, "false");
}

/* json_result() for a batch line, compact, with its newline. */
static void
jw_result(struct jw *w, unsigned long line, const char *ip,
    const char *mail_from, const char *helo,
    const struct dg_spf_verdict *v, const struct dg_spf_verdict *hv)
{
	JW_LIT(w, "{\"line\":");
	jw_uint(w, line);
	JW_LIT(w, ",");
	jw_verdict(w, v);
	JW_LIT(w, ",\"client_ip\":");
	jw_str(w, ip);
	JW_LIT(w, ",\"mail_from\":");
	jw_str(w, mail_from);
	JW_LIT(w, ",\"helo\":");
	if (helo != NULL)
		jw_str(w, helo);
	else
		JW_LIT(w, "null");
	if (hv != NULL) {
		JW_LIT(w, ",\"helo_check\":{");
		jw_verdict(w, hv);
		JW_LIT(w, "}");
	}
	JW_LIT(w, "}\n");
}

/* ---- text ---- */

#define C_RESET		"\033[0m"
#define C_GREEN		"\033[32m"
#define C_YELLOW	"\033[33m"
#define C_RED		"\033[31m"

static const char *
result_color(enum dg_spf_result r)
{
	switch (r) {
	case DG_SPF_PASS:	return C_GREEN;
	case DG_SPF_FAIL:
	case DG_SPF_PERMERROR:	return C_RED;
	default:		return C_YELLOW;	/* the rest: no
							 * verdict either way */
	}
}

static void
text_verdict(struct dg_buf *b, const struct dg_spf_verdict *v,
    const struct spf_opts *o, bool color)
{
	size_t	i;

	printf("%-12s %s%s%s\n", "result", color ? result_color(v->result) :
	    "", dg_spf_result_str(v->result), color ? C_RESET : "");
	printf("%-12s %s\n", "reason", dg_spf_reason_str(v->reason));
	if (strcmp(v->detail, dg_spf_reason_str(v->reason)) != 0)
		printf("%-12s %s\n", "detail", esc(b, v->detail));
	printf("%-12s %s\n", "scope", dg_spf_scope_str(v->scope));
	printf("%-12s %s\n", "domain", esc(b, v->domain));
	printf("%-12s %s\n", "mechanism", v->mechanism[0] != '\0' ?
	    esc(b, v->mechanism) : "-");
	if (v->explanation[0] != '\0')
		printf("%-12s %s\n", "explanation", esc(b, v->explanation));
	printf("%-12s %u (%u of %d DNS terms, %u of %d void)\n", "lookups",
	    v->lookups, v->dns_queries, 10, v->void_lookups, 2);
	if (!o->trace)
		return;
	for (i = 0; i < v->trace_len; i++) {
		const struct dg_spf_lookup	*l = &v->trace[i];

		/* name indented by include/redirect depth */
		printf("%-12s %2zu %-5s %-9s %u  %*s%s\n",
		    i == 0 ? "trace" : "", i + 1, dg_dns_type_str(l->type),
		    dg_dns_status_str(l->status), l->count,
		    (int)(2 * l->depth), "", esc(b, l->name));
	}
	if (v->lookups > v->trace_len)
		printf("%-12s (%u more not kept)\n", "",
		    v->lookups - (unsigned)v->trace_len);
}

static void
text_result(const char *ip, const char *mail_from, const char *helo,
    const struct dg_spf_verdict *v, const struct dg_spf_verdict *hv,
    const struct spf_opts *o)
{
	struct dg_buf	b;
	bool		color = cli_use_color(stdout);

	dg_buf_init(&b, 0);
	printf("%-12s %s\n", "client", ip);
	printf("%-12s %s\n", "mail-from", mail_from[0] != '\0' ?
	    esc(&b, mail_from) : "<>");
	printf("%-12s %s\n", "helo", helo != NULL ? esc(&b, helo) : "-");
	putchar('\n');
	text_verdict(&b, v, o, color);
	if (hv != NULL) {
		putchar('\n');
		text_verdict(&b, hv, o, color);
	}
	dg_buf_free(&b);
}

/* Batch text: LINE RESULT SCOPE DOMAIN MECHANISM LOOKUPS [HELO-RESULT],
 * tab-separated, "-" for nothing. */
static void
text_line(unsigned long line, const struct dg_spf_verdict *v,
    const struct dg_spf_verdict *hv)
{
	struct dg_buf	b;

	dg_buf_init(&b, 0);
	printf("%lu\t%s\t%s\t%s\t", line, dg_spf_result_str(v->result),
	    dg_spf_scope_str(v->scope), v->domain[0] != '\0' ?
	    esc(&b, v->domain) : "-");
	printf("%s\t%u", v->mechanism[0] != '\0' ? esc(&b, v->mechanism) :
	    "-", v->lookups);
	if (hv != NULL)
		printf("\t%s", dg_spf_result_str(hv->result));
	putchar('\n');
	dg_buf_free(&b);
}

/* ---- evaluation ---- */

/*
 * Check one connection: the MAIL FROM identity (or postmaster@HELO), and
 * with check_helo the HELO identity too.  Returns the library's error.
 */
static enum dg_err
evaluate(struct dg_resolver *res, const struct spf_opts *o,
    const struct dg_ip *ip, const char *mail_from, const char *helo,
    struct dg_spf_verdict *v, struct dg_spf_verdict *hv)
{
	struct dg_spf_query	q;
	enum dg_err		e;

	memset(&q, 0, sizeof(q));
	q.client = *ip;
	q.mail_from = mail_from;
	q.helo = helo;
	q.receiver = o->receiver;
	q.now = o->now;
	if ((e = dg_spf_check(res, &q, v)) != DG_OK || hv == NULL)
		return e;
	q.check_helo = true;
	return dg_spf_check(res, &q, hv);
}

/* ---- batch ---- */

/*
 * Read one line into buf[0..cap) without its newline.  Returns 1 for a
 * line, 0 at the end, -1 for a line that is too long or holds a NUL (the
 * rest of it is consumed, so the next call reads the next line).
 */
static int
read_line(FILE *fp, char *buf, size_t cap)
{
	size_t	len = 0;
	int	c, bad = 0;

	while ((c = getc_unlocked(fp)) != EOF && c != '\n') {
		if (c == '\0' || len + 1 >= cap)
			bad = 1;
		else
			buf[len++] = (char)c;
	}
	if (c == EOF && len == 0 && !bad)
		return 0;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return bad ? -1 : 1;
}

/* Split line at blanks into at most max fields; returns the count, or
 * max + 1 when there are more. */
static size_t
split(char *line, char **f, size_t max)
{
	size_t	n = 0;
	char	*p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return max + 1;
		f[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static void
bad_line(const char *path, unsigned long line, const struct spf_opts *o,
    const char *msg)
{
	json_t	*j;

	fprintf(stderr, "dmarcguard " CMD ": %s:%lu: %s\n", path, line, msg);
	if (o->fmt == CLI_FMT_TEXT) {
		printf("%lu\terror\t%s\n", line, msg);
		return;
	}
	j = json_object();
	if (j == NULL)
		return;
	json_object_set_new(j, "line", json_integer((json_int_t)line));
	json_object_set_new(j, "error", jstr(msg));
	(void)json_print(j, true);
}

/* One input line of a batch chunk: a query, or why it is bad. */
struct bline {
	unsigned long	 n;			/* line number */
	char		 msg[128];		/* "" when good */
	char		 ip[DG_IP_TEXT_MAX];
	struct dg_ip	 addr;			/* ip, parsed */
	char		 mf[SPF_IDENTITY_MAX];
	char		 helo[SPF_IDENTITY_MAX];
	bool		 has_helo;
};

/*
 * Lines evaluated together by one dg_spf_check_many() call, which parses
 * each record once for all of them (the verdicts are dg_spf_check()'s).
 * 1024 lines hold 1024 (2048 with --check-helo) verdicts of about
 * 18 KiB: 18 MiB (36 MiB).
 */
#define SPF_BATCH_CHUNK		1024

/* Parse one line into *b; false (with b->msg set) when it is bad. */
static bool
parse_line(char *line, const struct spf_opts *o, struct bline *b)
{
	char		*f[3];
	size_t		 nf;

	nf = split(line, f, 3);
	if (nf < 2 || nf > 3) {
		snprintf(b->msg, sizeof(b->msg), "expected IP MAIL-FROM "
		    "[HELO], got %s", nf > 3 ? "more than 3 fields" :
		    "1 field");
		return false;
	}
	if (!dg_ip_parse(f[0], strlen(f[0]), &b->addr)) {
		snprintf(b->msg, sizeof(b->msg), "'%.60s' is not an IP "
		    "address", f[0]);
		return false;
	}
	/* dg_ip_parse() accepted it, so it fits DG_IP_TEXT_MAX. */
	if (!copy_str(b->ip, sizeof(b->ip), f[0], strlen(f[0]))) {
		snprintf(b->msg, sizeof(b->msg), "IP address too long");
		return false;
	}
	if (strcmp(f[1], "<>") == 0) {
		b->mf[0] = '\0';
	} else if (!norm_mail_from(f[1], b->mf, sizeof(b->mf))) {
		snprintf(b->msg, sizeof(b->msg), "MAIL FROM too long");
		return false;
	}
	b->has_helo = nf == 3;
	if (b->has_helo)
		domain_to_ascii(f[2], b->helo, sizeof(b->helo));
	if (!b->has_helo && (b->mf[0] == '\0' || o->check_helo)) {
		snprintf(b->msg, sizeof(b->msg), "%s needs a HELO name",
		    b->mf[0] == '\0' ? "a null MAIL FROM" : "--check-helo");
		return false;
	}
	return true;
}

/*
 * Evaluate the good lines of a chunk and print every line in order.
 * Returns DG_EXIT_OK, or DG_EXIT_ERROR when a line was bad (or a write
 * failed: then *fatal).
 */
static int
run_chunk(struct dg_resolver *res, const char *path, const struct spf_opts *o,
    struct bline *bl, size_t nl, struct dg_spf_query *q,
    struct dg_spf_verdict *v, struct jw *ob, bool *fatal)
{
	size_t		 i, k, nq = 0, per = o->check_helo ? 2 : 1;
	enum dg_err	 e;
	int		 rc = DG_EXIT_OK;

	for (i = 0; i < nl; i++) {
		if (bl[i].msg[0] != '\0')
			continue;
		memset(&q[nq], 0, sizeof(q[nq]));
		q[nq].client = bl[i].addr;
		q[nq].mail_from = bl[i].mf;
		q[nq].helo = bl[i].has_helo ? bl[i].helo : NULL;
		q[nq].receiver = o->receiver;
		q[nq].now = o->now;
		if (o->check_helo) {
			q[nq + 1] = q[nq];
			q[nq + 1].check_helo = true;
		}
		nq += per;
	}
	e = dg_spf_check_many(res, q, nq, v);
	if (e != DG_OK) {
		/* Rare (out of memory): find the lines that fail one by
		 * one, so the others still get their verdicts. */
		for (i = 0, k = 0; i < nl; i++) {
			if (bl[i].msg[0] != '\0')
				continue;
			e = dg_spf_check(res, &q[k], &v[k]);
			if (e == DG_OK && per == 2)
				e = dg_spf_check(res, &q[k + 1], &v[k + 1]);
			if (e != DG_OK)
				snprintf(bl[i].msg, sizeof(bl[i].msg),
				    "evaluation failed: %s", dg_strerror(e));
			k += per;
		}
	}
	for (i = 0, k = 0; i < nl; i++) {
		if (bl[i].msg[0] != '\0' && !jw_flush(ob, stdout)) {
			*fatal = true;
			return cli_error(CMD, "cannot write the output");
		}
		if (bl[i].msg[0] != '\0' && bl[i].ip[0] == '\0') {
			bad_line(path, bl[i].n, o, bl[i].msg);
			rc = DG_EXIT_ERROR;
			continue;
		}
		k += per;
		if (bl[i].msg[0] != '\0') {	/* evaluation failed */
			bad_line(path, bl[i].n, o, bl[i].msg);
			rc = DG_EXIT_ERROR;
			continue;
		}
		if (o->fmt == CLI_FMT_TEXT) {
			text_line(bl[i].n, &v[k - per], per == 2 ?
			    &v[k - 1] : NULL);
			continue;
		}
		jw_result(ob, bl[i].n, bl[i].ip, bl[i].mf, bl[i].has_helo ?
		    bl[i].helo : NULL, &v[k - per], per == 2 ? &v[k - 1] :
		    NULL);
		if (ob->err) {
			*fatal = true;
			return cli_error(CMD, "out of memory");
		}
		if (ob->len >= JW_FLUSH_AT && !jw_flush(ob, stdout)) {
			*fatal = true;
			return cli_error(CMD, "cannot write the output");
		}
	}
	if (!jw_flush(ob, stdout)) {
		*fatal = true;
		return cli_error(CMD, "cannot write the output");
	}
	return rc;
}

/*
 * --batch: one query a line, "IP MAIL-FROM [HELO]" separated by blanks,
 * "<>" for a null MAIL FROM; blank lines and '#' comments are skipped.
 * Every line gets one output line; a bad line gets an error object (and
 * a message on stderr) and makes the exit status 2 at the end.  From a
 * regular file, lines are read and evaluated SPF_BATCH_CHUNK at a time;
 * from a pipe or a terminal, one at a time, each answer flushed at once.
 * Memory does not grow with the input.
 */
static int
run_batch(struct dg_resolver *res, const char *path, const struct spf_opts *o)
{
	struct dg_spf_query	*q = NULL;
	struct dg_spf_verdict	*v = NULL;
	struct bline		*bl = NULL;
	struct jw		 ob;
	FILE			*fp;
	char			 line[SPF_BATCH_LINE_MAX + 1];
	char			*first;
	unsigned long		 n = 0;
	size_t			 nl = 0, per = o->check_helo ? 2 : 1;
	size_t			 chunk = SPF_BATCH_CHUNK;
	struct stat		 st;
	bool			 fatal = false, live;
	int			 r, rc = DG_EXIT_OK, crc;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL)
		return cli_error(CMD, "%s: cannot open: %s", path,
		    strerror(errno));
	/* From a pipe or a terminal (tail -f | ...), answer each line as
	 * soon as it is read; from a file, evaluate in chunks. */
	live = fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode);
	if (live)
		chunk = 1;
	memset(&ob, 0, sizeof(ob));
	q = calloc(SPF_BATCH_CHUNK * per, sizeof(*q));
	v = calloc(SPF_BATCH_CHUNK * per, sizeof(*v));
	bl = calloc(SPF_BATCH_CHUNK, sizeof(*bl));
	if (q == NULL || v == NULL || bl == NULL) {
		rc = cli_error(CMD, "out of memory");
		goto out;
	}
	for (;;) {
		r = read_line(fp, line, sizeof(line));
		if (r != 0) {
			n++;
			for (first = line; *first == ' ' || *first == '\t';
			    first++)
				;
			if (r > 0 && (*first == '\0' || *first == '#'))
				continue;
			memset(&bl[nl], 0, sizeof(bl[nl]));
			bl[nl].n = n;
			if (r < 0)
				snprintf(bl[nl].msg, sizeof(bl[nl].msg),
				    "line longer than %d bytes or holding "
				    "a NUL byte", SPF_BATCH_LINE_MAX);
			else if (!parse_line(line, o, &bl[nl]))
				bl[nl].ip[0] = '\0';	/* bad input */
			nl++;
		}
		if (nl == chunk || (r == 0 && nl > 0)) {
			crc = run_chunk(res, path, o, bl, nl, q, v, &ob,
			    &fatal);
			if (crc != DG_EXIT_OK)
				rc = crc;
			if (fatal)
				goto out;
			if (live && fflush(stdout) != 0) {
				rc = cli_error(CMD, "cannot write the output");
				goto out;
			}
			nl = 0;
		}
		if (r == 0)
			break;
	}
	if (ferror(fp))
		rc = cli_error(CMD, "%s: read error", path);
out:
	free(ob.p);
	free(q);
	free(v);
	free(bl);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

/* ---- the command ---- */

enum {
	OPT_IP = 0x2000,
	OPT_MAIL_FROM,
	OPT_HELO,
	OPT_CHECK_HELO,
	OPT_RECEIVER,
	OPT_NOW,
	OPT_BATCH,
	OPT_TRACE
};

static int
run_one(struct dg_resolver *res, const struct spf_opts *o, const char *ipstr,
    const struct dg_ip *ip, const char *mf, const char *helo)
{
	struct dg_spf_verdict	*v, *hv;
	json_t			*j;
	enum dg_err		 e;
	int			 rc = DG_EXIT_OK;

	v = malloc(sizeof(*v));
	hv = malloc(sizeof(*hv));
	if (v == NULL || hv == NULL) {
		free(v);
		free(hv);
		return cli_error(CMD, "out of memory");
	}
	e = evaluate(res, o, ip, mf, helo, v, o->check_helo ? hv : NULL);
	if (e != DG_OK) {
		rc = cli_error(CMD, "evaluation failed: %s", dg_strerror(e));
	} else if (o->fmt == CLI_FMT_JSON) {
		j = json_result(0, ipstr, mf, helo, v,
		    o->check_helo ? hv : NULL);
		if (j == NULL || !json_print(j, false))
			rc = cli_error(CMD, "cannot write the JSON output");
	} else {
		text_result(ipstr, mf, helo, v, o->check_helo ? hv : NULL, o);
	}
	free(v);
	free(hv);
	return rc;
}

int
cmd_spf(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ip", required_argument, NULL, OPT_IP },
		{ "mail-from", required_argument, NULL, OPT_MAIL_FROM },
		{ "helo", required_argument, NULL, OPT_HELO },
		{ "check-helo", no_argument, NULL, OPT_CHECK_HELO },
		{ "receiver", required_argument, NULL, OPT_RECEIVER },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "trace", no_argument, NULL, OPT_TRACE },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_dns_opts	 dopts;
	struct cli_dns		 dns;
	struct spf_opts		 o;
	struct dg_ip		 ip;
	const char		*ipstr = NULL, *mfarg = NULL, *heloarg = NULL;
	const char		*batch = NULL;
	char			 mf[SPF_IDENTITY_MAX], helo[SPF_IDENTITY_MAX];
	bool			 now_set = false;
	int			 c, rc, crc;

	memset(&dopts, 0, sizeof(dopts));
	memset(&o, 0, sizeof(o));
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
		case OPT_IP:
			ipstr = optarg;
			break;
		case OPT_MAIL_FROM:
			mfarg = optarg;
			break;
		case OPT_HELO:
			heloarg = optarg;
			break;
		case OPT_CHECK_HELO:
			o.check_helo = true;
			break;
		case OPT_RECEIVER:
			if (optarg[0] == '\0')
				return cli_usage_error(CMD,
				    "--receiver needs a name");
			o.receiver = optarg;
			break;
		case OPT_NOW:
			if (!parse_now(optarg, &o.now))
				return cli_usage_error(CMD, "--now '%s': "
				    "expected seconds since the epoch",
				    optarg);
			now_set = true;
			break;
		case OPT_BATCH:
			batch = optarg;
			break;
		case OPT_TRACE:
			o.trace = true;
			break;
		case 'f':
			if (!cli_format_parse(optarg, false, &o.fmt))
				return cli_usage_error(CMD, "unknown format "
				    "'%s' (text or json)", optarg);
			o.fmt_set = true;
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
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'",
		    argv[optind]);
	if (!now_set)
		o.now = (int64_t)time(NULL);

	if (batch != NULL) {
		if (ipstr != NULL || mfarg != NULL || heloarg != NULL)
			return cli_usage_error(CMD, "--batch excludes --ip, "
			    "--mail-from and --helo");
		if (!o.fmt_set)
			o.fmt = CLI_FMT_JSON;	/* one object a line */
		if (batch[0] == '\0')
			return cli_usage_error(CMD, "--batch needs a file "
			    "name or -");
	} else {
		if (ipstr == NULL)
			return cli_usage_error(CMD, "--ip is required");
		if (!dg_ip_parse(ipstr, strlen(ipstr), &ip))
			return cli_usage_error(CMD, "--ip '%s' is not an IPv4 "
			    "or IPv6 address", ipstr);
		if (mfarg == NULL || strcmp(mfarg, "<>") == 0)
			mf[0] = '\0';
		else if (!norm_mail_from(mfarg, mf, sizeof(mf)))
			return cli_usage_error(CMD, "--mail-from is too long");
		if (heloarg != NULL && heloarg[0] == '\0')
			return cli_usage_error(CMD, "--helo needs a name");
		if (heloarg == NULL && mf[0] == '\0')
			return cli_usage_error(CMD, "a null MAIL FROM needs "
			    "--helo (postmaster@HELO is checked)");
		if (heloarg == NULL && o.check_helo)
			return cli_usage_error(CMD, "--check-helo needs "
			    "--helo");
		if (heloarg != NULL) {
			if (strlen(heloarg) >= sizeof(helo))
				return cli_usage_error(CMD,
				    "--helo is too long");
			domain_to_ascii(heloarg, helo, sizeof(helo));
		}
	}

	if ((rc = cli_dns_open(CMD, &dopts, &dns)) != DG_EXIT_OK)
		return rc;
	if (batch != NULL)
		rc = run_batch(dns.res, batch, &o);
	else
		rc = run_one(dns.res, &o, ipstr, &ip, mf,
		    heloarg != NULL ? helo : NULL);
	if (fflush(stdout) != 0 && rc != DG_EXIT_ERROR)
		rc = cli_error(CMD, "cannot write the output");
	crc = cli_dns_close(CMD, &dns);
	return crc != DG_EXIT_OK ? crc : rc;
}
