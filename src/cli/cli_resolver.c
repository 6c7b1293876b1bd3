/*
 * src/cli/cli_resolver.c -- the DNS options every subcommand shares
 * (--zone, --resolver, --dns-record, --dns-timeout, --no-dnssec,
 * --trust-anchor), the one
 * function that builds the resolver from them, and command-line names to
 * A-labels.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/dns.h>
#include <dmarcguard/idn.h>

#include "cli.h"

/* A timeout above this is surely a typo (ten minutes). */
#define CLI_DNS_TIMEOUT_MAX	600000u

int
cli_dns_opt(const char *cmd, struct cli_dns_opts *o, int c, const char *arg)
{
	char		*end;
	unsigned long	 v;

	switch (c) {
	case CLI_OPT_ZONE:
		o->zone = arg;
		return 1;
	case CLI_OPT_RESOLVER:
		o->resolver = arg;
		return 1;
	case CLI_OPT_DNS_RECORD:
		o->record = arg;
		return 1;
	case CLI_OPT_NO_DNSSEC:
		o->no_dnssec = true;
		return 1;
	case CLI_OPT_TRUST_ANCHOR:
		o->trust_anchor = arg;
		return 1;
	case CLI_OPT_DNS_TIMEOUT:
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (arg[0] < '0' || arg[0] > '9' || *end != '\0' ||
		    errno != 0 || v == 0 || v > CLI_DNS_TIMEOUT_MAX) {
			cli_usage_error(cmd, "--dns-timeout '%s': expected "
			    "milliseconds, 1-%u", arg, CLI_DNS_TIMEOUT_MAX);
			return -1;
		}
		o->timeout_ms = (unsigned)v;
		return 1;
	default:
		return 0;
	}
}

int
cli_dns_open(const char *cmd, const struct cli_dns_opts *o,
    struct cli_dns *d)
{
	struct dg_unbound_opts	 uo;
	struct dg_resolver	*base = NULL, *rec;
	char			 err[512];
	enum dg_err		 e;

	memset(d, 0, sizeof(*d));
	if (o->zone != NULL && o->resolver != NULL)
		return cli_usage_error(cmd,
		    "--zone and --resolver exclude each other");
	if (o->trust_anchor != NULL && (o->zone != NULL || o->no_dnssec))
		return cli_usage_error(cmd, "--trust-anchor excludes %s",
		    o->zone != NULL ? "--zone" : "--no-dnssec");
	err[0] = '\0';
	if (o->zone != NULL) {
		e = dg_resolver_zone_file(o->zone, &base, err, sizeof(err));
		if (e != DG_OK)
			return cli_error(cmd, "%s", err[0] != '\0' ? err :
			    dg_strerror(e));
	} else {
		memset(&uo, 0, sizeof(uo));
		uo.upstream = o->resolver;
		uo.timeout_ms = o->timeout_ms;
		uo.no_dnssec = o->no_dnssec;
		uo.trust_anchor = o->trust_anchor;
		e = dg_resolver_unbound(&uo, &base, err, sizeof(err));
		if (e == DG_EINVAL && o->resolver != NULL)
			return cli_usage_error(cmd, "--resolver %s",
			    err[0] != '\0' ? err : dg_strerror(e));
		if (e != DG_OK)
			return cli_error(cmd, "resolver: %s",
			    err[0] != '\0' ? err : dg_strerror(e));
	}
	if (o->record != NULL) {
		e = dg_resolver_recorder(base, o->record, &rec);
		if (e != DG_OK) {
			dg_resolver_free(base);
			return cli_error(cmd, "--dns-record %s: %s", o->record,
			    dg_strerror(e));
		}
		d->res = rec;
		d->inner = base;
		d->record = o->record;
	} else {
		d->res = base;
	}
	return DG_EXIT_OK;
}

int
cli_dns_close(const char *cmd, struct cli_dns *d)
{
	char	err[512];
	int	rc = DG_EXIT_OK;

	if (d->inner != NULL) {
		err[0] = '\0';
		if (dg_resolver_record_write(d->res, err, sizeof(err)) !=
		    DG_OK)
			rc = err[0] != '\0' ? cli_error(cmd, "%s", err) :
			    cli_error(cmd, "%s: cannot write the recording",
			    d->record);
		/* The recorder does not own the resolver it wraps. */
		dg_resolver_free(d->res);
		dg_resolver_free(d->inner);
	} else {
		dg_resolver_free(d->res);
	}
	memset(d, 0, sizeof(*d));
	return rc;
}

bool
cli_dns_name(const char *cmd, const char *in, char *out, size_t cap)
{
	char	why[128];

	if (in[0] == '\0') {
		cli_usage_error(cmd, "empty domain name");
		return false;
	}
	if (dg_idn_name_to_ascii(in, out, cap, why, sizeof(why)) != DG_OK) {
		cli_usage_error(cmd, "'%s': %s", in, why);
		return false;
	}
	return true;
}
