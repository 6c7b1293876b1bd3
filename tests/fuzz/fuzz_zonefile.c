/*
 * tests/fuzz/fuzz_zonefile.c -- the zone-file parser and zone backend on
 * arbitrary bytes: load, then query a few names (every type) so the
 * lookup, CNAME and fault paths run on whatever loaded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"example.com", "_dmarc.example.com", "www.example.com", "a", "com",
	"sel1._domainkey.example.com", "x.y.z", "loop1.example.com",
};
static const enum dg_dns_type types[] = {
	DG_DNS_T_A, DG_DNS_T_NS, DG_DNS_T_CNAME, DG_DNS_T_PTR, DG_DNS_T_MX,
	DG_DNS_T_TXT, DG_DNS_T_AAAA, DG_DNS_T_SPF,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_resolver	*res = NULL;
	struct dg_arena		*a;
	struct dg_dns_answer	 ans;
	char			 err[256];
	size_t			 i, j, k, len;

	if (dg_resolver_zone_text((const char *)data, size, "fuzz", &res, err,
	    sizeof(err)) != DG_OK) {
		/* Every error is "fuzz:LINE: message". */
		if (strncmp(err, "fuzz", 4) != 0)
			abort();
		return 0;
	}
	a = dg_arena_new(0);
	if (a == NULL)
		abort();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (j = 0; j < sizeof(types) / sizeof(types[0]); j++) {
			if (dg_dns_query(res, names[i], types[j], a, &ans) !=
			    DG_OK)
				abort();
			for (k = 0; k < ans.count; k++)
				if ((ans.rrs[k].type == DG_DNS_T_TXT ||
				    ans.rrs[k].type == DG_DNS_T_SPF) &&
				    dg_dns_txt_join(a, &ans.rrs[k], &len) ==
				    NULL)
					abort();
		}
		dg_arena_reset(a);
	}
	dg_arena_free(a);
	dg_resolver_free(res);
	return 0;
}
