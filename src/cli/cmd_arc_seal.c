/*
 * src/cli/cmd_arc_seal.c -- `dmarcguard arc-seal`: validate a message's
 * ARC chain and add the next ARC set (RFC 8617 5.1): the message is
 * written to standard output with ARC-Seal, ARC-Message-Signature and
 * ARC-Authentication-Results on top (docs/arc.md).
 *
 * The AAR's results are those of the message's Authentication-Results
 * fields from --authserv-id (the results we added as this hop), with
 * arc= first when they have none.  The message is read whole (at most
 * ARC_SEAL_MAX bytes): the chain is validated before the body is hashed.
 *
 * A chain whose newest seal says cv=fail has ended (RFC 8617 5.1): the
 * message is written unchanged, with a note on standard error.
 *
 * Exit status: 0 sealed (or passed on unchanged); 2 usage error, unreadable key or message, a
 * header that does not parse, a chain already at 50 instances; nothing is
 * written to standard output then.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmarcguard/arc.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dkim.h>
#include <dmarcguard/msg.h>

#include "cli.h"
#include "commands.h"

#define CMD		"arc-seal"
#define ARC_SEAL_MAX	(64u * 1024 * 1024)
#define KEY_MAX		(64u * 1024)

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: dmarcguard arc-seal --domain D --selector S --key FILE\n"
	    "           --authserv-id ID [OPTIONS] MESSAGE|-\n"
	    "\n"
	    "Validate the ARC chain of a message (RFC 8617) and write the\n"
	    "message with the next ARC set on top: ARC-Seal (cv= from the\n"
	    "validation), ARC-Message-Signature, ARC-Authentication-Results.\n"
	    "\n"
	    "Options:\n"
	    "  --domain D           the sealer's domain (d=)\n"
	    "  --selector S         its selector: the key is published at\n"
	    "                       S._domainkey.D\n"
	    "  --key FILE           private key: PEM, RSA or Ed25519\n"
	    "  --authserv-id ID     this hop's authserv-id: its\n"
	    "                       Authentication-Results go into the AAR\n"
	    "  --headers LIST       the AMS's h=, colon-separated (default:\n"
	    "                       From, To, Cc, Subject, Date, Message-ID,\n"
	    "                       ... those present)\n"
	    "  --now EPOCH          t= (default: now)\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    CLI_DNS_HELP
	    "\n"
	    "Exit status: 0 sealed, 2 usage or input error (nothing written).\n");
}

/* Read a whole file ("-": standard input) up to cap bytes. */
static char *
slurp(const char *path, size_t cap, size_t *len, char *why, size_t wlen)
{
	FILE	*fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char	*buf;
	size_t	 n;

	if (fp == NULL) {
		snprintf(why, wlen, "%s", strerror(errno));
		return NULL;
	}
	if ((buf = malloc(cap + 1)) == NULL) {
		snprintf(why, wlen, "out of memory");
		if (fp != stdin)
			fclose(fp);
		return NULL;
	}
	n = fread(buf, 1, cap + 1, fp);
	if (ferror(fp) || n > cap) {
		snprintf(why, wlen, ferror(fp) ? "read error" :
		    "larger than %zu bytes", cap);
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = n;
	}
	if (fp != stdin)
		fclose(fp);
	return buf;
}

/* A field folded before "; "-separated parts past 76 columns: relaxed
 * canonicalization (all ARC hashing) unfolds it again. */
static void
put_folded(const char *field, const char *eol)
{
	size_t	col = 0;
	const char *p;

	for (p = field; *p != '\0'; p++) {
		if (*p == ' ' && p > field && p[-1] == ';' && col > 60) {
			printf("%s\t", eol);
			col = 8;
			continue;
		}
		putchar(*p);
		col++;
	}
	fputs(eol, stdout);
}

enum { OPT_DOMAIN = 0x100, OPT_SELECTOR, OPT_KEY, OPT_AUTHSERV,
	OPT_HEADERS, OPT_NOW };

int
cmd_arc_seal(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "domain", required_argument, NULL, OPT_DOMAIN },
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "authserv-id", required_argument, NULL, OPT_AUTHSERV },
		{ "headers", required_argument, NULL, OPT_HEADERS },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "help", no_argument, NULL, 'h' },
		CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_dns_opts	 dopts;
	struct cli_dns		 dns;
	struct dg_arc_seal_opts	 o;
	struct dg_arc_sealed	 sealed;
	struct dg_dkim_privkey	*key = NULL;
	struct dg_arena		*a = NULL;
	const char		*keyfile = NULL, *hdrs = NULL, *cv;
	const char		*names[64];
	char			*msg = NULL, *pem = NULL, *list = NULL, *tok;
	char			 why[256], *end;
	size_t			 len = 0, pemlen = 0;
	unsigned long long	 now = 0;
	enum dg_err		 err;
	int			 c, rc = DG_EXIT_ERROR;

	memset(&dopts, 0, sizeof(dopts));
	memset(&o, 0, sizeof(o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (cli_dns_opt(CMD, &dopts, c, optarg)) {
		case 1:
			continue;
		case -1:
			return DG_EXIT_ERROR;
		default:
			break;
		}
		switch (c) {
		case OPT_DOMAIN:
			o.domain = optarg;
			break;
		case OPT_SELECTOR:
			o.selector = optarg;
			break;
		case OPT_KEY:
			keyfile = optarg;
			break;
		case OPT_AUTHSERV:
			o.authserv_id = optarg;
			break;
		case OPT_HEADERS:
			hdrs = optarg;
			break;
		case OPT_NOW:
			errno = 0;
			now = strtoull(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' ||
			    errno != 0 || now == 0 || now > 999999999999ULL)
				return cli_usage_error(CMD, "--now '%s': "
				    "expected seconds since 1970", optarg);
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
	if (o.domain == NULL || o.selector == NULL || keyfile == NULL ||
	    o.authserv_id == NULL)
		return cli_usage_error(CMD, "--domain, --selector, --key and "
		    "--authserv-id are required");
	if (optind + 1 != argc)
		return cli_usage_error(CMD, "expected one MESSAGE or \"-\"");
	if (hdrs != NULL) {
		if ((list = strdup(hdrs)) == NULL)
			return cli_error(CMD, "out of memory");
		for (tok = strtok(list, ":"); tok != NULL && o.nheaders < 64;
		    tok = strtok(NULL, ":"))
			names[o.nheaders++] = tok;
		if (o.nheaders == 0) {
			free(list);
			return cli_usage_error(CMD, "--headers: empty");
		}
		o.headers = names;
	}
	o.now = now != 0 ? now : (unsigned long long)time(NULL);
	if ((pem = slurp(keyfile, KEY_MAX, &pemlen, why, sizeof(why))) ==
	    NULL) {
		cli_error(CMD, "--key %s: %s", keyfile, why);
		goto out;
	}
	if (dg_dkim_privkey_pem(pem, pemlen, &key) != DG_OK) {
		cli_error(CMD, "--key %s: not an RSA or Ed25519 private key "
		    "(PEM)", keyfile);
		goto out;
	}
	if ((msg = slurp(argv[optind], ARC_SEAL_MAX, &len, why,
	    sizeof(why))) == NULL) {
		cli_error(CMD, "%s: %s", argv[optind], why);
		goto out;
	}
	if ((rc = cli_dns_open(CMD, &dopts, &dns)) != DG_EXIT_OK)
		goto out;
	rc = DG_EXIT_ERROR;
	if ((a = dg_arena_new(0)) == NULL) {
		cli_error(CMD, "out of memory");
		goto close;
	}
	/* The AAR names the chain result: validate first. */
	if ((err = dg_arc_verify_message(a, dns.res, NULL, msg, len,
	    &sealed.chain)) != DG_OK) {
		cli_error(CMD, "%s: %s", argv[optind], dg_strerror(err));
		goto close;
	}
	cv = dg_arc_result_str(sealed.chain.result);
	if ((err = dg_arc_aar_results(a, msg, len, o.authserv_id, cv,
	    &o.results)) != DG_OK) {
		cli_error(CMD, "%s: %s", argv[optind], dg_strerror(err));
		goto close;
	}
	err = dg_arc_seal(a, dns.res, key, &o, msg, len, &sealed);
	if (err != DG_OK) {
		cli_error(CMD, "%s: %s", argv[optind], err == DG_ETOOBIG ?
		    "the chain has 50 ARC sets already (RFC 8617)" :
		    err == DG_ESYNTAX ? "the header does not parse" :
		    dg_strerror(err));
		goto close;
	}
	if (sealed.instance == 0) {
		/* RFC 8617 5.1: a chain whose newest seal says cv=fail gets
		 * no more sets; the message goes on as it is. */
		fprintf(stderr, "dmarcguard %s: %s: the chain has ended (its "
		    "newest seal says cv=fail): no set added\n", CMD,
		    argv[optind]);
		fwrite(msg, 1, len, stdout);
	} else {
		const char *eol = memchr(msg, '\r', len) != NULL ? "\r\n" :
		    "\n";

		put_folded(sealed.as, eol);
		put_folded(sealed.ams, eol);
		put_folded(sealed.aar, eol);
		fwrite(msg, 1, len, stdout);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_error(CMD, "write error");
	else
		rc = DG_EXIT_OK;
close:
	if (cli_dns_close(CMD, &dns) != DG_EXIT_OK)
		rc = DG_EXIT_ERROR;
out:
	dg_arena_free(a);
	dg_dkim_privkey_free(key);
	free(list);
	free(msg);
	free(pem);
	return rc;
}
