/*
 * src/cli/cmd_dkim.c -- `dmarcguard dkim`: verify every DKIM-Signature
 * (RFC 6376, RFC 8301, RFC 8463) of each message named on the command
 * line, or of standard input ("-"), and print one block (text) or one
 * JSON object a line (schema in docs/dkim.md) per message.
 *
 * Each file is streamed through the library's verifier in fixed-size
 * chunks: the header section is collected (bounded by
 * DG_HDR_SECTION_MAX), split into fields by dg_msg_hdr_parse(), fed
 * field by field, and the body follows chunk by chunk, so memory does
 * not grow with the body.  One key cache serves the whole run.
 *
 * Exit status: 0 when every message was verified, whatever the results;
 * 2 for a usage error, or (after all files) when a file could not be
 * read or its header section could not be parsed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dkim.h>
#include <dmarcguard/msg.h>

#include "cli.h"
#include "commands.h"

#define CMD		"dkim"
/* Bytes read from a message at a time. */
#define DKIM_CHUNK	(64u * 1024)
/* Header bytes kept while looking for the empty line: the RFC 5322 cap
 * (lib/util/limits.h DG_HDR_SECTION_MAX, 1 MiB) plus one chunk. */
#define DKIM_HDR_SECTION_MAX	(1024u * 1024)
#define DKIM_HDR_BUF_MAX	(DKIM_HDR_SECTION_MAX + DKIM_CHUNK)

#define C_RESET		"\033[0m"
#define C_GREEN		"\033[32m"
#define C_YELLOW	"\033[33m"
#define C_RED		"\033[31m"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: dmarcguard dkim [OPTIONS] MESSAGE...|-\n"
	    "\n"
	    "Verify every DKIM-Signature of each message (RFC 6376; RFC 8301:\n"
	    "no rsa-sha1, RSA keys of 1024 bits or more; RFC 8463 ed25519)\n"
	    "and print one result per signature.  \"-\" reads standard input.\n"
	    "\n"
	    "Options:\n"
	    "  --now EPOCH          the time for t= and x= checks (default:\n"
	    "                       now)\n"
	    "  --max-signatures N   evaluate at most the N topmost signatures\n"
	    "                       of a message, 1-64 (default 8)\n"
	    "  -f, --format FMT     text (default) or json (one object a\n"
	    "                       message, one a line)\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    CLI_DNS_HELP
	    "\n"
	    "Exit status: 0 every message was verified (any DKIM result),\n"
	    "2 usage error, or a message could not be read or parsed.\n");
}

struct dkim_run {
	struct dg_resolver	*res;
	struct dg_dkim_opts	 opts;
	enum cli_format		 fmt;
	bool			 color;
	struct dg_buf		 hdr;		/* header section being read */
	char			*chunk;		/* DKIM_CHUNK bytes */
};

/* ---- output ---- */

/* Control and 8-bit bytes as \DDD, '\' as "\\": safe on a terminal. */
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

/* "relaxed/simple", or "" when c= was not read. */
static const char *
canon_pair(const struct dg_dkim_sig_result *s, char *out, size_t cap)
{
	if (s->header_canon == DG_DKIM_CANON_UNSET ||
	    s->body_canon == DG_DKIM_CANON_UNSET)
		out[0] = '\0';
	else
		snprintf(out, cap, "%s/%s", dg_dkim_canon_str(s->header_canon),
		    dg_dkim_canon_str(s->body_canon));
	return out;
}

static json_t *
json_sig(const struct dg_dkim_sig_result *s)
{
	json_t	*o;
	char	 canon[32];

	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "result", json_string(dg_dkim_result_str(
	    s->result)));
	json_object_set_new(o, "domain", jstr(s->domain));
	json_object_set_new(o, "selector", jstr(s->selector));
	json_object_set_new(o, "algorithm", json_string(dg_dkim_alg_str(
	    s->alg)));
	json_object_set_new(o, "canonicalization", json_string(canon_pair(s,
	    canon, sizeof(canon))));
	json_object_set_new(o, "identity", jstr(s->identity));
	json_object_set_new(o, "key_bits", json_integer(s->key_bits));
	json_object_set_new(o, "testing", json_boolean(s->testing));
	json_object_set_new(o, "reason", json_string(dg_dkim_reason_str(
	    s->reason)));
	json_object_set_new(o, "unsigned_body_bytes",
	    json_integer((json_int_t)s->unsigned_bytes));
	return o;
}

/* One line of JSON for a message; vd NULL when it was not verified. */
static bool
print_json(const char *file, const struct dg_dkim_verdict *vd,
    const char *error)
{
	json_t	*o, *arr, *s;
	size_t	 i;
	int	 rc;

	if ((o = json_object()) == NULL || (arr = json_array()) == NULL) {
		json_decref(o);
		return false;
	}
	json_object_set_new(o, "file", jstr(file));
	json_object_set_new(o, "signatures", arr);
	for (i = 0; vd != NULL && i < vd->nsigs; i++) {
		if ((s = json_sig(&vd->sigs[i])) == NULL ||
		    json_array_append_new(arr, s) != 0) {
			json_decref(o);
			return false;
		}
	}
	if (error != NULL)
		json_object_set_new(o, "error", jstr(error));
	rc = json_dumpf(o, stdout, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(o);
	return rc == 0 && fputc('\n', stdout) != EOF;
}

static const char *
result_color(enum dg_dkim_result r)
{
	switch (r) {
	case DG_DKIM_PASS:
		return C_GREEN;
	case DG_DKIM_FAIL:
	case DG_DKIM_PERMERROR:
		return C_RED;
	default:
		return C_YELLOW;	/* neutral, policy, temperror */
	}
}

static void
print_text(const struct dkim_run *r, const char *file,
    const struct dg_dkim_verdict *vd)
{
	const struct dg_dkim_sig_result	*s;
	struct dg_buf			 b;
	char				 canon[32];
	size_t				 i;

	dg_buf_init(&b, 0);
	if (vd->nseen == 0) {
		printf("%s: no DKIM signatures\n", esc(&b, file));
		dg_buf_free(&b);
		return;
	}
	printf("%s: %zu DKIM signature%s\n", esc(&b, file), vd->nseen,
	    vd->nseen == 1 ? "" : "s");
	for (i = 0; i < vd->nsigs; i++) {
		s = &vd->sigs[i];
		printf("  %s%-9s%s", r->color ? result_color(s->result) : "",
		    dg_dkim_result_str(s->result), r->color ? C_RESET : "");
		printf(" d=%s", s->domain[0] != '\0' ?
		    esc(&b, s->domain) : "?");
		printf(" s=%s", s->selector[0] != '\0' ?
		    esc(&b, s->selector) : "?");
		if (s->alg != DG_DKIM_ALG_UNSET)
			printf(" a=%s", dg_dkim_alg_str(s->alg));
		if (canon_pair(s, canon, sizeof(canon))[0] != '\0')
			printf(" c=%s", canon);
		if (s->identity[0] != '\0' && (s->identity[0] != '@' ||
		    strcmp(s->identity + 1, s->domain) != 0))
			printf(" i=%s", esc(&b, s->identity));
		if (s->key_bits != 0)
			printf(" key=%u bits", s->key_bits);
		if (s->testing)
			printf(" (testing)");
		printf(": %s", dg_dkim_reason_str(s->reason));
		if (s->detail[0] != '\0')
			printf(" (%s)", esc(&b, s->detail));
		if (s->has_l && s->unsigned_bytes > 0)
			printf("; %llu body bytes past l= are not signed",
			    (unsigned long long)s->unsigned_bytes);
		putchar('\n');
	}
	if (vd->nseen > vd->nsigs)
		printf("  (%zu more not evaluated: --max-signatures %zu)\n",
		    vd->nseen - vd->nsigs, vd->nsigs);
	dg_buf_free(&b);
}

/* ---- one message ---- */

/*
 * Feed the collected header section to v: parse it into fields, give
 * each to the verifier, and the bytes after the empty line to the body.
 */
static enum dg_err
feed_header(struct dg_arena *a, struct dg_dkim_verifier *v, const char *p,
    size_t len, char *why, size_t whylen)
{
	struct dg_msg_hdr	hdr;
	struct dg_msg_error	merr;
	size_t			i;
	enum dg_err		err;

	memset(&merr, 0, sizeof(merr));
	err = dg_msg_hdr_parse(a, p, len, 0, &hdr, &merr);
	if (err != DG_OK) {
		snprintf(why, whylen, "header: %s", merr.msg[0] != '\0' ?
		    merr.msg : dg_strerror(err));
		return err;
	}
	for (i = 0; i < hdr.nfields; i++) {
		err = dg_dkim_header(v, hdr.fields[i].raw,
		    hdr.fields[i].raw_len);
		if (err != DG_OK) {
			snprintf(why, whylen, "header line %u: %s",
			    hdr.fields[i].line, dg_strerror(err));
			return err;
		}
	}
	if ((err = dg_dkim_eoh(v)) != DG_OK) {
		snprintf(why, whylen, "%s", dg_strerror(err));
		return err;
	}
	if (hdr.body_offset < len &&
	    (err = dg_dkim_body(v, p + hdr.body_offset,
	    len - hdr.body_offset)) != DG_OK)
		snprintf(why, whylen, "body: %s", dg_strerror(err));
	return err;
}

/*
 * Stream fp through a verifier.  On failure why[] says what went wrong
 * and false is returned; *out is set on success.
 */
static bool
verify_stream(struct dkim_run *r, struct dg_arena *a, FILE *fp,
    const struct dg_dkim_verdict **out, char *why, size_t whylen)
{
	struct dg_dkim_verifier	*v = NULL;
	size_t			 n, scan = 0;
	bool			 in_body = false, ok = false;
	enum dg_err		 err;

	dg_buf_reset(&r->hdr);
	if ((err = dg_dkim_verifier_new(a, r->res, &r->opts, &v)) != DG_OK) {
		snprintf(why, whylen, "%s", dg_strerror(err));
		return false;
	}
	for (;;) {
		n = fread(r->chunk, 1, DKIM_CHUNK, fp);
		if (n == 0)
			break;
		if (in_body) {
			if ((err = dg_dkim_body(v, r->chunk, n)) != DG_OK) {
				snprintf(why, whylen, "body: %s",
				    dg_strerror(err));
				goto out;
			}
			continue;
		}
		/* Fits: at most DKIM_HDR_SECTION_MAX bytes are kept before. */
		dg_buf_append(&r->hdr, r->chunk, n);
		if ((err = dg_buf_err(&r->hdr)) != DG_OK) {
			snprintf(why, whylen, "%s", dg_strerror(err));
			goto out;
		}
		if (cli_header_end(r->hdr.data, r->hdr.len, &scan) == 0) {
			if (r->hdr.len <= DKIM_HDR_SECTION_MAX)
				continue;
			snprintf(why, whylen, "header: section over %u bytes "
			    "(DG_HDR_SECTION_MAX)", DKIM_HDR_SECTION_MAX);
			goto out;
		}
		if (feed_header(a, v, r->hdr.data, r->hdr.len, why, whylen) !=
		    DG_OK)
			goto out;
		in_body = true;
	}
	if (ferror(fp)) {
		snprintf(why, whylen, "read error: %s", strerror(errno));
		goto out;
	}
	/* No empty line: all of it is header (possibly empty). */
	if (!in_body && feed_header(a, v, r->hdr.data != NULL ? r->hdr.data :
	    "", r->hdr.len, why, whylen) != DG_OK)
		goto out;
	if ((err = dg_dkim_finish(v, out)) != DG_OK) {
		snprintf(why, whylen, "%s", dg_strerror(err));
		goto out;
	}
	ok = true;
out:
	dg_dkim_verifier_free(v);
	return ok;
}

/* Verify one file ("-": standard input); false when it could not be. */
static bool
verify_file(struct dkim_run *r, const char *path)
{
	const struct dg_dkim_verdict	*vd = NULL;
	struct dg_arena			*a;
	FILE				*fp;
	char				 why[256];
	bool				 ok = false, isstdin;

	why[0] = '\0';
	isstdin = strcmp(path, "-") == 0;
	if ((a = dg_arena_new(0)) == NULL) {
		snprintf(why, sizeof(why), "%s", dg_strerror(DG_ENOMEM));
	} else if (isstdin) {
		ok = verify_stream(r, a, stdin, &vd, why, sizeof(why));
	} else if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(why, sizeof(why), "cannot open: %s", strerror(errno));
	} else {
		ok = verify_stream(r, a, fp, &vd, why, sizeof(why));
		fclose(fp);
	}
	if (!ok)
		cli_error(CMD, "%s: %s", path, why);
	if (r->fmt == CLI_FMT_JSON) {
		if (!print_json(path, ok ? vd : NULL, ok ? NULL : why))
			cli_error(CMD, "%s: cannot build the JSON output",
			    path);
	} else if (ok) {
		print_text(r, path, vd);
	}
	fflush(stdout);
	dg_arena_free(a);
	return ok;
}

/* Ask the kernel to start reading path (a hint; errors do not matter). */
static void
read_ahead(const char *path)
{
	int	fd;

	if (strcmp(path, "-") == 0 || (fd = open(path, O_RDONLY |
	    O_CLOEXEC)) < 0)
		return;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
	(void)close(fd);
}

/* ---- arguments ---- */

enum {
	OPT_NOW = 0x100,
	OPT_MAX_SIGS
};

static bool
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 ||
	    v > max)
		return false;
	*out = v;
	return true;
}

int
cmd_dkim(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "now", required_argument, NULL, OPT_NOW },
		{ "max-signatures", required_argument, NULL, OPT_MAX_SIGS },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_dns_opts	 dopts;
	struct cli_dns		 dns;
	struct dkim_run		 r;
	struct dg_dkim_keycache	*kc = NULL;
	unsigned long long	 v;
	bool			 bad = false;
	int			 c, i, rc, crc;

	memset(&dopts, 0, sizeof(dopts));
	memset(&r, 0, sizeof(r));
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
		case OPT_NOW:
			/* RFC 6376 3.5: t= and x= have at most 12 digits. */
			if (!parse_uint(optarg, 999999999999ULL, &v) ||
			    v == 0)
				return cli_usage_error(CMD, "--now '%s': "
				    "expected seconds since the epoch",
				    optarg);
			r.opts.now = v;
			break;
		case OPT_MAX_SIGS:
			if (!parse_uint(optarg, 64, &v) || v == 0)
				return cli_usage_error(CMD,
				    "--max-signatures '%s': expected 1-64",
				    optarg);
			r.opts.max_sigs = (unsigned)v;
			break;
		case 'f':
			if (!cli_format_parse(optarg, false, &r.fmt))
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
	if (optind >= argc)
		return cli_usage_error(CMD, "no message given (a file or -)");
	for (i = optind; i < argc; i++)
		if (argv[i][0] == '\0')
			return cli_usage_error(CMD, "empty file name");

	if (dg_dkim_keycache_new(0, &kc) != DG_OK)
		return cli_error(CMD, "%s", dg_strerror(DG_ENOMEM));
	if ((r.chunk = malloc(DKIM_CHUNK)) == NULL) {
		dg_dkim_keycache_free(kc);
		return cli_error(CMD, "%s", dg_strerror(DG_ENOMEM));
	}
	if ((rc = cli_dns_open(CMD, &dopts, &dns)) != DG_EXIT_OK) {
		free(r.chunk);
		dg_dkim_keycache_free(kc);
		return rc;
	}
	r.res = dns.res;
	r.opts.cache = kc;
	r.color = r.fmt == CLI_FMT_TEXT && cli_use_color(stdout);
	dg_buf_init(&r.hdr, DKIM_HDR_BUF_MAX);

	for (i = optind; i < argc; i++) {
		/* While this message is verified, the kernel reads the
		 * next one in (runs over many files are I/O bound else). */
		if (i + 1 < argc)
			read_ahead(argv[i + 1]);
		if (!verify_file(&r, argv[i]))
			bad = true;
	}

	rc = bad ? DG_EXIT_ERROR : DG_EXIT_OK;
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = cli_error(CMD, "cannot write the output");
	dg_buf_free(&r.hdr);
	free(r.chunk);
	crc = cli_dns_close(CMD, &dns);
	dg_dkim_keycache_free(kc);
	return crc != DG_EXIT_OK ? crc : rc;
}
