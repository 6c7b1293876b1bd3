/*
 * src/cli/cmd_sign.c -- `dmarcguard sign`: add a DKIM-Signature (RFC 6376
 * 5) to one message and write it to standard output.
 *
 * The library (dg_dkim_sign) computes the body hash and the signature
 * over a one-line signature field; this file chooses h= (a recommended
 * set of fields present in the message, RFC 6376 5.4.1, each instance
 * signed, plus one more of each with --oversign, 5.4.2), checks the
 * options so that every mistake gets its own message, and folds the
 * field for output.  Folding must not change what was signed: with
 * relaxed header canonicalization a fold may replace any of the single
 * spaces between tags (3.4.2 unfolds and reduces WSP to one SP); with
 * simple only the b= value may be folded, since the verifier deletes it
 * with its FWS before hashing (3.7).  The field uses the line ending of
 * the input, and goes after a leading mbox "From " line.
 *
 * The message is held in memory (the signature comes before it).
 * Exit status: 0 signed, 2 usage error or unusable key or message; then
 * nothing is written to standard output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dkim.h>
#include <dmarcguard/msg.h>

#include "cli.h"
#include "commands.h"

#define CMD		"sign"
/* Longest private key file read (an 8192-bit RSA PEM is ~6.4 KB). */
#define SIGN_KEY_MAX	(64u * 1024)
/* Longest message signed: it is held in memory. */
#define SIGN_MSG_MAX	(1024u * 1024 * 1024)
/* h= names at most (lib/util/limits.h DG_DKIM_MAX_H_NAMES). */
#define SIGN_H_MAX	128
/* A header field name in --headers. */
#define SIGN_NAME_MAX	64
/* Folded lines of the field stay within this many columns. */
#define SIGN_FOLD_COLS	78

/*
 * The fields signed by default when present (RFC 6376 5.4.1's list, plus
 * Sender, Message-ID and the MIME fields, which change how the body is
 * read).
 */
static const char *const default_headers[] = {
	"from", "sender", "reply-to", "subject", "date", "message-id",
	"to", "cc", "mime-version", "content-type",
	"content-transfer-encoding", "content-id", "content-description",
	"in-reply-to", "references", "resent-date", "resent-from",
	"resent-sender", "resent-to", "resent-cc", "resent-message-id",
	"list-id", "list-help", "list-unsubscribe", "list-subscribe",
	"list-post", "list-owner", "list-archive",
};
#define NDEFAULT	(sizeof(default_headers) / sizeof(default_headers[0]))

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: dmarcguard sign --domain D --selector S --key FILE "
	    "[OPTIONS] MESSAGE|-\n"
	    "\n"
	    "Sign a message with DKIM (RFC 6376) and write it to standard\n"
	    "output with the DKIM-Signature field first.  \"-\" reads\n"
	    "standard input.\n"
	    "\n"
	    "Options:\n"
	    "  --domain D           signing domain (d=)\n"
	    "  --selector S         selector (s=): the key is published at\n"
	    "                       S._domainkey.D\n"
	    "  --key FILE           private key: PEM (PKCS#8 or PKCS#1), RSA\n"
	    "                       or Ed25519, or a base64 Ed25519 seed\n"
	    "  --algorithm ALG      rsa-sha256 or ed25519-sha256 (default: the\n"
	    "                       key's; must match it)\n"
	    "  --canon H[/B]        simple or relaxed for header and body\n"
	    "                       (default relaxed/relaxed; H alone means\n"
	    "                       H/simple, RFC 6376 3.5)\n"
	    "  --headers LIST       fields to sign, colon-separated, From\n"
	    "                       included (default: From, Subject, Date,\n"
	    "                       To, Cc, Message-ID, ... present in the\n"
	    "                       message)\n"
	    "  --oversign           sign each field once more, so that an\n"
	    "                       added instance breaks the signature\n"
	    "  --expire SECONDS     add x= SECONDS after t=\n"
	    "  --body-length        add l= (body length; content appended\n"
	    "                       later is not covered)\n"
	    "  --identity I         i= (\"user@D\", \"@sub.D\")\n"
	    "  --now EPOCH          t= (default: now)\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    "Exit status: 0 signed, 2 usage error or unusable key or message\n"
	    "(nothing is written then).\n");
}

struct sign_args {
	const char		*domain_arg, *selector, *key, *headers;
	const char		*identity, *message;
	char			 domain[256];
	bool			 alg_set, oversign, body_length;
	enum dg_dkim_alg	 alg;
	enum dg_dkim_canon	 hc, bc;
	unsigned long long	 now, expire;
};

/* ---- input ---- */

/*
 * Read all of fp into a malloc'd buffer (NUL-terminated), at most max
 * bytes; NULL with errno set (EFBIG when over max).
 */
static char *
slurp(FILE *fp, size_t max, size_t *len)
{
	struct dg_buf	 b;
	char		 tmp[64 * 1024];
	size_t		 n;
	char		*p;

	dg_buf_init(&b, max);
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		dg_buf_append(&b, tmp, n);
	if (ferror(fp)) {
		n = (size_t)errno;
		dg_buf_free(&b);
		errno = (int)n != 0 ? (int)n : EIO;
		return NULL;
	}
	if (dg_buf_err(&b) != DG_OK) {
		errno = dg_buf_err(&b) == DG_ETOOBIG ? EFBIG : ENOMEM;
		dg_buf_free(&b);
		return NULL;
	}
	if (b.data == NULL)
		dg_buf_puts(&b, "");
	if ((p = dg_buf_steal(&b, len)) == NULL)
		errno = ENOMEM;
	dg_buf_free(&b);
	return p;
}

/* Labels of letters, digits, '-' ('_' too): RFC 6376 3.5 d= and s=. */
static bool
name_ok(const char *s)
{
	size_t	label = 0;

	if (*s == '\0' || strlen(s) > 253)
		return false;
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

static bool
ascii_eq(const char *a, size_t alen, const char *b)
{
	size_t	i;

	if (alen != strlen(b))
		return false;
	for (i = 0; i < alen; i++) {
		char	x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

/* RFC 6376 3.5 i=: "[local]@domain", domain d= or below it. */
static bool
identity_ok(const char *i, const char *d)
{
	const char	*at = strrchr(i, '@'), *dom;
	size_t		 dl, il;
	const char	*p;

	if (at == NULL)
		return false;
	for (p = i; p < at; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == ';')
			return false;
	dom = at + 1;
	if (!name_ok(dom))
		return false;
	dl = strlen(d);
	il = strlen(dom);
	if (ascii_eq(dom, il, d))
		return true;
	return il > dl + 1 && dom[il - dl - 1] == '.' &&
	    ascii_eq(dom + il - dl, dl, d);
}

/* "simple" or "relaxed". */
static bool
canon_word(const char *s, size_t len, enum dg_dkim_canon *out)
{
	if (ascii_eq(s, len, "simple"))
		*out = DG_DKIM_CANON_SIMPLE;
	else if (ascii_eq(s, len, "relaxed"))
		*out = DG_DKIM_CANON_RELAXED;
	else
		return false;
	return true;
}

static bool
parse_canon(const char *s, enum dg_dkim_canon *hc, enum dg_dkim_canon *bc)
{
	const char	*slash = strchr(s, '/');

	if (slash == NULL) {
		*bc = DG_DKIM_CANON_SIMPLE;	/* RFC 6376 3.5 c= */
		return canon_word(s, strlen(s), hc);
	}
	return canon_word(s, (size_t)(slash - s), hc) &&
	    canon_word(slash + 1, strlen(slash + 1), bc);
}

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

/* ---- h= ---- */

struct hlist {
	char	names[SIGN_H_MAX][SIGN_NAME_MAX + 1];
	size_t	n;
};

static bool
hlist_add(struct hlist *h, const char *name, size_t len)
{
	size_t	i;

	if (h->n == SIGN_H_MAX || len > SIGN_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char	c = name[i];

		h->names[h->n][i] = c >= 'A' && c <= 'Z' ?
		    (char)(c - 'A' + 'a') : c;
	}
	h->names[h->n][len] = '\0';
	h->n++;
	return true;
}

static bool
hlist_has(const struct hlist *h, size_t upto, const char *name)
{
	size_t	i;

	for (i = 0; i < upto; i++)
		if (strcmp(h->names[i], name) == 0)
			return true;
	return false;
}

/* Field name characters accepted in --headers (real names use these). */
static bool
hname_ok(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > SIGN_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

/*
 * Build h= into *h: --headers as given, or every default field present in
 * hdr (once per instance); then, with --oversign, each name once more.
 * Returns an error message, or NULL.
 */
static const char *
build_h(const struct sign_args *o, const struct dg_msg_hdr *hdr,
    struct hlist *h, char *why, size_t whylen)
{
	const char	*p, *q;
	size_t		 i, k, n, base;

	h->n = 0;
	if (o->headers != NULL) {
		for (p = o->headers;; p = q + 1) {
			q = strchr(p, ':');
			if (q == NULL)
				q = p + strlen(p);
			while (p < q && (*p == ' ' || *p == '\t'))
				p++;
			n = (size_t)(q - p);
			while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
			if (!hname_ok(p, n)) {
				snprintf(why, whylen, "--headers: '%.*s' is "
				    "not a header field name", (int)n, p);
				return why;
			}
			if (!hlist_add(h, p, n)) {
				snprintf(why, whylen, "--headers: more than "
				    "%d names", SIGN_H_MAX);
				return why;
			}
			if (*q == '\0')
				break;
		}
		if (!hlist_has(h, h->n, "from"))
			return "--headers must include From (RFC 6376 5.4)";
	} else {
		for (i = 0; i < NDEFAULT; i++) {
			n = dg_msg_hdr_count(hdr, default_headers[i]);
			for (k = 0; k < n; k++)
				if (!hlist_add(h, default_headers[i],
				    strlen(default_headers[i])))
					return "too many header fields to "
					    "sign (at most 128 names)";
		}
	}
	if (o->oversign) {
		base = h->n;
		for (i = 0; i < base; i++) {
			if (hlist_has(h, i, h->names[i]))
				continue;	/* listed earlier */
			if (!hlist_add(h, h->names[i], strlen(h->names[i])))
				return "--oversign: too many header field "
				    "names (at most 128)";
		}
	}
	return NULL;
}

/* ---- output ---- */

static void
fold_break(struct dg_buf *out, const char *eol, size_t *col)
{
	dg_buf_puts(out, eol);
	dg_buf_putc(out, '\t');
	*col = 8;
}

/*
 * "DKIM-Signature: " value, folded (see the top of the file), and eol.
 * value is what dg_dkim_sign() made: tags joined by "; ", b= last.
 */
static void
fold_field(struct dg_buf *out, const char *value, bool relaxed,
    const char *eol)
{
	const char	*btag = NULL, *p, *q;
	size_t		 col, n, room;
	bool		 first = true;

	for (p = value; (p = strstr(p, "; b=")) != NULL; p++)
		btag = p + 2;
	if (btag == NULL)
		btag = value;		/* not ours: b= first */
	dg_buf_puts(out, "DKIM-Signature: ");
	col = 16;
	if (relaxed) {
		for (p = value; p < btag; p = q + 2) {
			q = strstr(p, "; ");
			if (q == NULL || q >= btag)
				q = btag - 2;
			n = (size_t)(q + 1 - p);	/* with its ';' */
			if (!first && col + 1 + n > SIGN_FOLD_COLS) {
				fold_break(out, eol, &col);
			} else if (!first) {
				dg_buf_putc(out, ' ');
				col++;
			}
			dg_buf_append(out, p, n);
			col += n;
			first = false;
		}
		if (!first && col + 4 > SIGN_FOLD_COLS) {
			fold_break(out, eol, &col);
		} else if (!first) {
			dg_buf_putc(out, ' ');
			col++;
		}
	} else {
		n = (size_t)(btag - value);
		dg_buf_append(out, value, n);
		col += n;
	}
	dg_buf_puts(out, "b=");
	col += 2;
	for (p = btag + 2; *p != '\0'; p += n) {
		room = col < SIGN_FOLD_COLS ? SIGN_FOLD_COLS - col : 0;
		if (room < 8) {
			fold_break(out, eol, &col);
			room = SIGN_FOLD_COLS - col;
		}
		n = strlen(p);
		if (n > room)
			n = room;
		dg_buf_append(out, p, n);
		col += n;
	}
	dg_buf_puts(out, eol);
}

/* The line ending the message uses: that of its first line. */
static const char *
message_eol(const char *msg, size_t len)
{
	const char	*nl = memchr(msg, '\n', len);

	if (nl == NULL)
		return "\r\n";		/* RFC 5322 2.1 */
	return nl > msg && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* ---- the command ---- */

/* Load --key; an error message in why, or NULL. */
static const char *
load_key(const struct sign_args *o, struct dg_dkim_privkey **k, char *why,
    size_t whylen)
{
	enum dg_dkim_alg	 alg;
	unsigned		 bits;
	FILE			*fp;
	char			*pem;
	size_t			 len;
	enum dg_err		 err;

	if ((fp = fopen(o->key, "rb")) == NULL) {
		snprintf(why, whylen, "--key %s: cannot open: %s", o->key,
		    strerror(errno));
		return why;
	}
	pem = slurp(fp, SIGN_KEY_MAX, &len);
	fclose(fp);
	if (pem == NULL) {
		snprintf(why, whylen, "--key %s: cannot read: %s", o->key,
		    errno == EFBIG ? "larger than 64 KiB: not a key" :
		    strerror(errno));
		return why;
	}
	err = dg_dkim_privkey_pem(pem, len, k);
	if (err == DG_ESYNTAX)	/* RFC 8463 A.1's form: a base64 seed */
		err = dg_dkim_privkey_ed25519_seed(pem, len, k);
	memset(pem, 0, len);
	free(pem);
	if (err != DG_OK) {
		snprintf(why, whylen, "--key %s: %s", o->key,
		    err == DG_ESYNTAX ? "not an RSA or Ed25519 private key "
		    "(PEM, or a base64 Ed25519 seed)" : dg_strerror(err));
		return why;
	}
	dg_dkim_privkey_info(*k, &alg, &bits);
	if (o->alg_set && o->alg != alg) {
		snprintf(why, whylen, "--algorithm %s needs %s key; %s holds "
		    "an %s key", dg_dkim_alg_str(o->alg),
		    o->alg == DG_DKIM_ALG_ED25519_SHA256 ? "an Ed25519" :
		    "an RSA", o->key, alg == DG_DKIM_ALG_ED25519_SHA256 ?
		    "Ed25519" : "RSA");
		goto bad;
	}
	if (alg == DG_DKIM_ALG_RSA_SHA256 && bits < 1024) {
		snprintf(why, whylen, "--key %s: a %u-bit RSA key; RFC 8301 "
		    "3.2 requires at least 1024 bits", o->key, bits);
		goto bad;
	}
	return NULL;
bad:
	dg_dkim_privkey_free(*k);
	*k = NULL;
	return why;
}

static int
run_sign(const struct sign_args *o)
{
	struct dg_dkim_privkey	*key = NULL;
	struct dg_dkim_sign_opts so;
	struct dg_msg_hdr	 hdr;
	struct dg_msg_error	 merr;
	struct dg_arena		*a = NULL;
	struct dg_buf		 hbuf, out;
	struct hlist		*h = NULL;
	const char		*msgerr, *value, *eol;
	FILE			*fp;
	char			*msg = NULL;
	char			 why[512];
	size_t			 len = 0, i, skip;
	enum dg_err		 err;
	int			 rc = DG_EXIT_ERROR;

	dg_buf_init(&hbuf, 0);
	dg_buf_init(&out, 0);
	if ((msgerr = load_key(o, &key, why, sizeof(why))) != NULL) {
		cli_error(CMD, "%s", msgerr);
		goto out;
	}
	if (strcmp(o->message, "-") == 0) {
		msg = slurp(stdin, SIGN_MSG_MAX, &len);
	} else if ((fp = fopen(o->message, "rb")) == NULL) {
		cli_error(CMD, "%s: cannot open: %s", o->message,
		    strerror(errno));
		goto out;
	} else {
		msg = slurp(fp, SIGN_MSG_MAX, &len);
		fclose(fp);
	}
	if (msg == NULL) {
		cli_error(CMD, "%s: cannot read: %s", o->message,
		    errno == EFBIG ? "larger than 1 GiB" : strerror(errno));
		goto out;
	}
	if ((a = dg_arena_new(0)) == NULL ||
	    (h = calloc(1, sizeof(*h))) == NULL) {
		cli_error(CMD, "%s", dg_strerror(DG_ENOMEM));
		goto out;
	}
	memset(&merr, 0, sizeof(merr));
	if ((err = dg_msg_hdr_parse(a, msg, len, 0, &hdr, &merr)) != DG_OK) {
		cli_error(CMD, "%s: header: %s", o->message,
		    merr.msg[0] != '\0' ? merr.msg : dg_strerror(err));
		goto out;
	}
	if (dg_msg_hdr_count(&hdr, "From") == 0) {
		cli_error(CMD, "%s: no From field to sign (RFC 6376 5.4)",
		    o->message);
		goto out;
	}
	if ((msgerr = build_h(o, &hdr, h, why, sizeof(why))) != NULL) {
		cli_usage_error(CMD, "%s", msgerr);
		goto out;
	}
	for (i = 0; i < h->n; i++) {
		if (i > 0)
			dg_buf_putc(&hbuf, ':');
		dg_buf_puts(&hbuf, h->names[i]);
	}
	if (dg_buf_err(&hbuf) != DG_OK) {
		cli_error(CMD, "%s", dg_strerror(dg_buf_err(&hbuf)));
		goto out;
	}

	memset(&so, 0, sizeof(so));
	so.domain = o->domain;
	so.selector = o->selector;
	so.identity = o->identity;
	so.headers = dg_buf_str(&hbuf);
	so.header_canon = o->hc;
	so.body_canon = o->bc;
	so.t = o->now;
	so.x = o->expire != 0 ? o->now + o->expire : 0;
	so.body_length = o->body_length;
	if ((err = dg_dkim_sign(a, key, &so, msg, len, &value)) != DG_OK) {
		cli_error(CMD, "%s: cannot sign: %s", o->message,
		    dg_strerror(err));
		goto out;
	}

	/* Nothing has been written yet; now all of it at once. */
	eol = message_eol(msg, len);
	skip = hdr.mbox_from != NULL ? hdr.mbox_from_len : 0;
	dg_buf_append(&out, msg, skip);
	fold_field(&out, value, o->hc == DG_DKIM_CANON_RELAXED, eol);
	if ((err = dg_buf_err(&out)) != DG_OK) {
		cli_error(CMD, "%s", dg_strerror(err));
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fwrite(msg + skip, 1, len - skip, stdout) != len - skip ||
	    fflush(stdout) != 0) {
		cli_error(CMD, "cannot write the output");
		goto out;
	}
	rc = DG_EXIT_OK;
out:
	dg_buf_free(&hbuf);
	dg_buf_free(&out);
	dg_arena_free(a);
	dg_dkim_privkey_free(key);
	free(h);
	free(msg);
	return rc;
}

enum {
	OPT_DOMAIN = 0x100,
	OPT_SELECTOR,
	OPT_KEY,
	OPT_ALGORITHM,
	OPT_CANON,
	OPT_HEADERS,
	OPT_OVERSIGN,
	OPT_EXPIRE,
	OPT_BODY_LENGTH,
	OPT_IDENTITY,
	OPT_NOW
};

int
cmd_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "domain", required_argument, NULL, OPT_DOMAIN },
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "algorithm", required_argument, NULL, OPT_ALGORITHM },
		{ "canon", required_argument, NULL, OPT_CANON },
		{ "headers", required_argument, NULL, OPT_HEADERS },
		{ "oversign", no_argument, NULL, OPT_OVERSIGN },
		{ "expire", required_argument, NULL, OPT_EXPIRE },
		{ "body-length", no_argument, NULL, OPT_BODY_LENGTH },
		{ "identity", required_argument, NULL, OPT_IDENTITY },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sign_args	o;
	bool			now_set = false;
	int			c;

	memset(&o, 0, sizeof(o));
	o.hc = o.bc = DG_DKIM_CANON_RELAXED;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DOMAIN:
			o.domain_arg = optarg;
			break;
		case OPT_SELECTOR:
			o.selector = optarg;
			break;
		case OPT_KEY:
			o.key = optarg;
			break;
		case OPT_ALGORITHM:
			if (strcmp(optarg, "rsa-sha256") == 0)
				o.alg = DG_DKIM_ALG_RSA_SHA256;
			else if (strcmp(optarg, "ed25519-sha256") == 0)
				o.alg = DG_DKIM_ALG_ED25519_SHA256;
			else if (strcmp(optarg, "rsa-sha1") == 0)
				return cli_usage_error(CMD, "--algorithm "
				    "rsa-sha1: not produced (RFC 8301 3.1)");
			else
				return cli_usage_error(CMD, "--algorithm '%s':"
				    " expected rsa-sha256 or ed25519-sha256",
				    optarg);
			o.alg_set = true;
			break;
		case OPT_CANON:
			if (!parse_canon(optarg, &o.hc, &o.bc))
				return cli_usage_error(CMD, "--canon '%s': "
				    "expected simple or relaxed, or two of "
				    "them joined by '/'", optarg);
			break;
		case OPT_HEADERS:
			o.headers = optarg;
			break;
		case OPT_OVERSIGN:
			o.oversign = true;
			break;
		case OPT_EXPIRE:
			if (!parse_uint(optarg, 999999999999ULL, &o.expire) ||
			    o.expire == 0)
				return cli_usage_error(CMD, "--expire '%s': "
				    "expected seconds, 1 or more", optarg);
			break;
		case OPT_BODY_LENGTH:
			o.body_length = true;
			break;
		case OPT_IDENTITY:
			o.identity = optarg;
			break;
		case OPT_NOW:
			/* RFC 6376 3.5: t= has at most 12 digits. */
			if (!parse_uint(optarg, 999999999999ULL, &o.now) ||
			    o.now == 0)
				return cli_usage_error(CMD, "--now '%s': "
				    "expected seconds since the epoch",
				    optarg);
			now_set = true;
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
	if (o.domain_arg == NULL || o.selector == NULL || o.key == NULL)
		return cli_usage_error(CMD, "--domain, --selector and --key "
		    "are required");
	if (optind >= argc)
		return cli_usage_error(CMD, "no message given (a file or -)");
	if (argc - optind > 1)
		return cli_usage_error(CMD, "one message at a time ('%s' is "
		    "one too many)", argv[optind + 1]);
	o.message = argv[optind];
	if (o.message[0] == '\0')
		return cli_usage_error(CMD, "empty file name");
	if (!cli_dns_name(CMD, o.domain_arg, o.domain, sizeof(o.domain)))
		return DG_EXIT_ERROR;
	if (!name_ok(o.domain))
		return cli_usage_error(CMD, "--domain '%s': not a domain name "
		    "(RFC 6376 3.5 d=)", o.domain_arg);
	if (!name_ok(o.selector))
		return cli_usage_error(CMD, "--selector '%s': not a selector "
		    "(RFC 6376 3.1: labels of letters, digits, '-' and '_')",
		    o.selector);
	if (o.identity != NULL && !identity_ok(o.identity, o.domain))
		return cli_usage_error(CMD, "--identity '%s': expected "
		    "[user]@%s or @ a subdomain of it (RFC 6376 3.5 i=)",
		    o.identity, o.domain);
	if (!now_set)
		o.now = (unsigned long long)time(NULL);
	return run_sign(&o);
}
