/*
 * src/cli/cli.h -- what the subcommands share: the command table entry,
 * output format, resolver options and exit codes.
 */
#ifndef DG_CLI_H
#define DG_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <dmarcguard/dns.h>

/* Exit codes common to every subcommand (each documents its own too). */
#define DG_EXIT_OK		0
#define DG_EXIT_FINDING		1	/* the answer is "no" / "weak" / not ok */
#define DG_EXIT_ERROR		2	/* usage, input or runtime error */

struct cli_command {
	const char	*name;
	const char	*summary;
	int		(*run)(int argc, char **argv);	/* argv[0] = name */
};

enum cli_format {
	CLI_FMT_TEXT = 0,
	CLI_FMT_JSON,
	CLI_FMT_CSV
};

/* Parse "text|json|csv" (csv only when allow_csv); false when unknown. */
bool	cli_format_parse(const char *s, bool allow_csv, enum cli_format *out);

/* Print "dmarcguard CMD: message" to stderr; returns DG_EXIT_ERROR. */
int	cli_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Print the usage error plus "Try 'dmarcguard CMD --help'." */
int	cli_usage_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Open a shipped data file (data/FILE): $DMARCGUARD_DATADIR, the install
 * prefix, or the source tree next to the build; its path in path[cap]. */
FILE	*cli_data_open(const char *file, char *path, size_t cap);

/*
 * Where a message's header section ends in p[0..len): the offset just past
 * the empty line (CRLF or LF), or 0 when it is not there yet.  *scan is
 * where the next call resumes (always at a line start); start it at 0.
 */
size_t	cli_header_end(const char *p, size_t len, size_t *scan);

/* Should text output be coloured?  A TTY, and NO_COLOR unset or empty. */
bool	cli_use_color(FILE *fp);

/*
 * Resolver options shared by every subcommand that queries DNS
 * (cli_resolver.c).  A command adds CLI_DNS_LONGOPTS to its getopt_long
 * table, passes each option to cli_dns_opt(), prints CLI_DNS_HELP in its
 * --help, then builds the resolver with cli_dns_open() and releases it
 * (writing the --dns-record file) with cli_dns_close().
 */
struct cli_dns_opts {
	const char	*zone;		/* --zone FILE: offline, zone backend */
	const char	*resolver;	/* --resolver IP[@PORT] */
	const char	*record;	/* --dns-record FILE */
	unsigned	 timeout_ms;	/* --dns-timeout MS; 0: the default */
	bool		 no_dnssec;	/* --no-dnssec */
	const char	*trust_anchor;	/* --trust-anchor FILE */
};

enum {
	CLI_OPT_ZONE = 0x1000,
	CLI_OPT_RESOLVER,
	CLI_OPT_DNS_RECORD,
	CLI_OPT_DNS_TIMEOUT,
	CLI_OPT_NO_DNSSEC,
	CLI_OPT_TRUST_ANCHOR
};

#define CLI_DNS_LONGOPTS						\
	{ "zone",	 required_argument, NULL, CLI_OPT_ZONE },	\
	{ "resolver",	 required_argument, NULL, CLI_OPT_RESOLVER },	\
	{ "dns-record",	 required_argument, NULL, CLI_OPT_DNS_RECORD },	\
	{ "dns-timeout", required_argument, NULL, CLI_OPT_DNS_TIMEOUT },\
	{ "no-dnssec",	 no_argument,	    NULL, CLI_OPT_NO_DNSSEC },	\
	{ "trust-anchor", required_argument, NULL, CLI_OPT_TRUST_ANCHOR }

#define CLI_DNS_HELP							\
	"DNS options:\n"						\
	"  --zone FILE          answer from a zone file only (offline)\n" \
	"  --resolver IP[@PORT] send queries to this server (default:\n" \
	"                       the nameservers of /etc/resolv.conf)\n"	\
	"  --dns-record FILE    write every answer used to FILE as a zone\n" \
	"                       file, replayable with --zone FILE\n"	\
	"  --dns-timeout MS     give up on a query after MS milliseconds\n" \
	"                       (default 5000)\n"			\
	"  --no-dnssec          do not validate DNSSEC\n"			\
	"  --trust-anchor FILE  DNSSEC trust anchors (DS or DNSKEY records\n" \
	"                       in zone-file format; default: the root's)\n"

/* The built resolver: res is what to query; inner sits under a recorder. */
struct cli_dns {
	struct dg_resolver	*res;
	struct dg_resolver	*inner;
	const char		*record;	/* --dns-record path or NULL */
};

/*
 * One getopt_long result: 1 when c is a DNS option (stored in o), 0 when
 * it is not, -1 when its value is bad (a usage error has been printed).
 */
int	cli_dns_opt(const char *cmd, struct cli_dns_opts *o, int c,
	    const char *arg);
/* Build d from o.  Prints the error and returns DG_EXIT_ERROR on failure. */
int	cli_dns_open(const char *cmd, const struct cli_dns_opts *o,
	    struct cli_dns *d);
/* Write the --dns-record file (atomically) and free d; DG_EXIT_ERROR when
 * the file could not be written. */
int	cli_dns_close(const char *cmd, struct cli_dns *d);
/*
 * A command-line domain name to what DNS is asked: labels holding UTF-8
 * become A-labels (IDNA2008 with UTS #46 mapping, libidn2); ASCII labels,
 * underscores included, are kept as typed.  False with a message printed
 * when a label is not a valid IDN or the name is too long.
 */
bool	cli_dns_name(const char *cmd, const char *in, char *out, size_t cap);

#endif /* DG_CLI_H */
