/*
 * src/cli/cmd_keygen.c -- `dmarcguard keygen`: make a DKIM key pair
 * (dg_dkim_keygen: RSA or Ed25519, RFC 8463) and write
 *
 *   DIR/SELECTOR.private  the private key, PKCS#8 PEM, mode 0600
 *   DIR/SELECTOR.txt      the record to publish, one zone-file line:
 *                         SELECTOR._domainkey.DOMAIN. IN TXT "v=DKIM1; ..."
 *
 * and print the record.  Neither file is ever overwritten: both are
 * created with O_CREAT | O_EXCL (the private key with mode 0600 from the
 * start, so it is never readable by others, whatever the umask), and if
 * the second cannot be created the first is removed again.  TXT
 * character-strings hold at most 255 bytes (RFC 1035 3.3), so the record
 * is split into several, which a resolver joins (RFC 6376 3.6.2.2).
 *
 * Exit status: 0 written, 2 usage error or a file could not be written.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dmarcguard/buf.h>
#include <dmarcguard/dkim.h>

#include "cli.h"
#include "commands.h"

#define CMD		"keygen"
#define KEYGEN_RSA_DEFAULT	2048
#define KEYGEN_RSA_MIN		1024	/* RFC 8301 3.2 */
#define KEYGEN_RSA_WARN		2048	/* RFC 8301 3.2: SHOULD be 2048 */
#define KEYGEN_RSA_MAX		8192	/* what our verifier accepts */
/* RFC 1035 3.3: a <character-string> is at most 255 bytes. */
#define KEYGEN_TXT_STRING	255

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: dmarcguard keygen --algorithm rsa|ed25519 [--bits N] "
	    "--selector S\n"
	    "                         --domain D --out DIR\n"
	    "\n"
	    "Make a DKIM key pair.  Writes DIR/S.private (the private key,\n"
	    "PEM, mode 0600) and DIR/S.txt (the TXT record to publish at\n"
	    "S._domainkey.D, as a zone-file line), and prints the record.\n"
	    "Existing files are never overwritten.\n"
	    "\n"
	    "Options:\n"
	    "  --algorithm ALG      rsa or ed25519 (RFC 8463; not every\n"
	    "                       verifier supports it yet: publish an RSA\n"
	    "                       key beside it)\n"
	    "  --bits N             RSA key size, 1024-8192 (default 2048;\n"
	    "                       under 2048 is discouraged by RFC 8301)\n"
	    "  --selector S         selector (s=)\n"
	    "  --domain D           signing domain (d=)\n"
	    "  --out DIR            directory for the two files\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    "Exit status: 0 written, 2 usage error or a file could not be\n"
	    "written.\n");
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

/* The zone-file line: NAME. IN TXT "..." "..." (no newline). */
static enum dg_err
txt_record(struct dg_buf *b, const char *sel, const char *dom,
    const char *ktype, const char *pub)
{
	struct dg_buf	rec;
	size_t		off, n;
	enum dg_err	err;

	dg_buf_init(&rec, 0);
	dg_buf_printf(&rec, "v=DKIM1; k=%s; p=%s", ktype, pub);
	dg_buf_printf(b, "%s._domainkey.%s. IN TXT", sel, dom);
	/* base64 and "v=DKIM1; k=..." need no escaping in quotes. */
	for (off = 0; dg_buf_err(&rec) == DG_OK && off < rec.len; off += n) {
		n = rec.len - off;
		if (n > KEYGEN_TXT_STRING)
			n = KEYGEN_TXT_STRING;
		dg_buf_puts(b, " \"");
		dg_buf_append(b, rec.data + off, n);
		dg_buf_putc(b, '"');
	}
	err = dg_buf_err(&rec);
	dg_buf_free(&rec);
	return err != DG_OK ? err : dg_buf_err(b);
}

/* Create path (must not exist) with mode and write p[0..len) to it. */
static bool
write_new(const char *path, mode_t mode, const char *p, size_t len)
{
	ssize_t	w;
	int	fd, e;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd == -1) {
		cli_error(CMD, "%s: %s%s", path, strerror(errno),
		    errno == EEXIST ? " (not overwritten)" : "");
		return false;
	}
	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = errno;
			close(fd);
			unlink(path);
			cli_error(CMD, "%s: %s", path, strerror(e));
			return false;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		e = errno;
		unlink(path);
		cli_error(CMD, "%s: %s", path, strerror(e));
		return false;
	}
	return true;
}

enum {
	OPT_ALGORITHM = 0x100,
	OPT_BITS,
	OPT_SELECTOR,
	OPT_DOMAIN,
	OPT_OUT
};

int
cmd_keygen(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "algorithm", required_argument, NULL, OPT_ALGORITHM },
		{ "bits", required_argument, NULL, OPT_BITS },
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "domain", required_argument, NULL, OPT_DOMAIN },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*alg_arg = NULL, *sel = NULL, *dom_arg = NULL;
	const char		*dir = NULL;
	char			 dom[256], pem[DG_DKIM_KEYGEN_PEM_MAX];
	char			 pub[DG_DKIM_KEYGEN_PUB_MAX];
	struct dg_buf		 rec, path_priv, path_txt;
	enum dg_dkim_alg	 alg;
	unsigned long		 bits = 0;
	bool			 bits_set = false;
	char			*end;
	enum dg_err		 err;
	int			 c, rc = DG_EXIT_ERROR;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ALGORITHM:
			alg_arg = optarg;
			break;
		case OPT_BITS:
			errno = 0;
			bits = strtoul(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' ||
			    *end != '\0' || errno != 0)
				return cli_usage_error(CMD, "--bits '%s': "
				    "expected a number", optarg);
			bits_set = true;
			break;
		case OPT_SELECTOR:
			sel = optarg;
			break;
		case OPT_DOMAIN:
			dom_arg = optarg;
			break;
		case OPT_OUT:
			dir = optarg;
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
	if (alg_arg == NULL || sel == NULL || dom_arg == NULL || dir == NULL)
		return cli_usage_error(CMD, "--algorithm, --selector, --domain "
		    "and --out are required");
	if (strcmp(alg_arg, "rsa") == 0) {
		alg = DG_DKIM_ALG_RSA_SHA256;
		if (!bits_set)
			bits = KEYGEN_RSA_DEFAULT;
		if (bits < KEYGEN_RSA_MIN || bits > KEYGEN_RSA_MAX)
			return cli_usage_error(CMD, "--bits %lu: RSA keys "
			    "must have %u to %u bits (RFC 8301 3.2)", bits,
			    KEYGEN_RSA_MIN, KEYGEN_RSA_MAX);
	} else if (strcmp(alg_arg, "ed25519") == 0) {
		alg = DG_DKIM_ALG_ED25519_SHA256;
		if (bits_set)
			return cli_usage_error(CMD, "--bits is for RSA keys; "
			    "Ed25519 keys have one size");
		bits = 0;
	} else {
		return cli_usage_error(CMD, "--algorithm '%s': expected rsa "
		    "or ed25519", alg_arg);
	}
	if (!name_ok(sel))
		return cli_usage_error(CMD, "--selector '%s': not a selector "
		    "(RFC 6376 3.1: labels of letters, digits, '-' and '_')",
		    sel);
	if (!cli_dns_name(CMD, dom_arg, dom, sizeof(dom)))
		return DG_EXIT_ERROR;
	if (!name_ok(dom))
		return cli_usage_error(CMD, "--domain '%s': not a domain name "
		    "(RFC 6376 3.5 d=)", dom_arg);
	if (dir[0] == '\0')
		return cli_usage_error(CMD, "--out needs a directory");
	if (alg == DG_DKIM_ALG_RSA_SHA256 && bits < KEYGEN_RSA_WARN)
		fprintf(stderr, "dmarcguard %s: warning: %lu-bit RSA keys are "
		    "weak; RFC 8301 3.2 asks for at least %u\n", CMD, bits,
		    KEYGEN_RSA_WARN);

	dg_buf_init(&rec, 0);
	dg_buf_init(&path_priv, 0);
	dg_buf_init(&path_txt, 0);
	dg_buf_printf(&path_priv, "%s/%s.private", dir, sel);
	dg_buf_printf(&path_txt, "%s/%s.txt", dir, sel);
	if ((err = dg_dkim_keygen(alg, (unsigned)bits, pem, sizeof(pem), pub,
	    sizeof(pub))) != DG_OK) {
		cli_error(CMD, "key generation failed: %s", dg_strerror(err));
		goto out;
	}
	err = txt_record(&rec, sel, dom, alg == DG_DKIM_ALG_RSA_SHA256 ?
	    "rsa" : "ed25519", pub);
	dg_buf_putc(&rec, '\n');
	if (err != DG_OK || (err = dg_buf_err(&rec)) != DG_OK ||
	    (err = dg_buf_err(&path_priv)) != DG_OK ||
	    (err = dg_buf_err(&path_txt)) != DG_OK) {
		cli_error(CMD, "%s", dg_strerror(err));
		goto out;
	}
	if (!write_new(dg_buf_str(&path_priv), 0600, pem, strlen(pem)))
		goto out;
	if (!write_new(dg_buf_str(&path_txt), 0644, rec.data, rec.len)) {
		unlink(dg_buf_str(&path_priv));
		goto out;
	}
	fputs(rec.data, stdout);
	if (fflush(stdout) != 0) {
		cli_error(CMD, "cannot write the output");
		goto out;
	}
	rc = DG_EXIT_OK;
out:
	memset(pem, 0, sizeof(pem));
	dg_buf_free(&rec);
	dg_buf_free(&path_priv);
	dg_buf_free(&path_txt);
	return rc;
}
