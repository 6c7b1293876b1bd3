/*
 * tests/fuzz/fuzz_audit.c -- the domain audit (dg_audit_domain) over an
 * arbitrary zone: whatever records the zone text holds for f.test and
 * the names around it (DMARC, SPF with includes, MX, DKIM keys, MTA-STS,
 * TLS-RPT, BIMI, report authorizations), the audit must end with a
 * verdict, every finding with an id, a message and a fix, and records to
 * publish that are printable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/audit.h>
#include <dmarcguard/dns.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const selectors[] = { "s1", "google", "x" };
static const char *const domains[] = { "f.test", "sub.f.test" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_resolver	*res = NULL;
	struct dg_audit_opts	 o;
	struct dg_audit_result	 r;
	struct dg_arena		*a;
	char			 err[256];
	size_t			 i, d;

	if (dg_resolver_zone_text((const char *)data, size, "fuzz", &res, err,
	    sizeof(err)) != DG_OK)
		return 0;
	memset(&o, 0, sizeof(o));
	o.selectors = selectors;
	o.nselectors = sizeof(selectors) / sizeof(selectors[0]);
	a = dg_arena_new(0);
	for (d = 0; a != NULL && d < 2; d++) {
		dg_arena_reset(a);
		if (dg_audit_domain(res, &o, domains[d], a, &r) != DG_OK)
			continue;
		if (r.verdict == DG_AUDIT_UNSET ||
		    (r.verdict == DG_AUDIT_ERROR && r.error == NULL))
			abort();
		for (i = 0; i < r.nfindings; i++)
			if (r.findings[i].id == NULL ||
			    r.findings[i].id[0] == '\0' ||
			    r.findings[i].message == NULL ||
			    r.findings[i].fix == NULL)
				abort();
		for (i = 0; i < r.npublish; i++)
			if (r.publish[i].text == NULL ||
			    strlen(r.publish[i].text) == 0)
				abort();
	}
	dg_arena_free(a);
	dg_resolver_free(res);
	return 0;
}
