/*
 * tests/fuzz/fuzz_dns_rdata.c -- RR rdata as libunbound hands it over
 * (lib/dns/dns_unbound.c).  The first byte picks the type; the rest is
 * the rdata.  Every parsed record is walked so a bad length or pointer
 * shows up under the sanitizers.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>

#include "dns/dns_unbound.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum dg_dns_type types[] = {
	DG_DNS_T_A, DG_DNS_T_AAAA, DG_DNS_T_MX, DG_DNS_T_TXT, DG_DNS_T_SPF,
	DG_DNS_T_CNAME, DG_DNS_T_PTR, DG_DNS_T_NS,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena		*a;
	struct dg_dns_rr	 rr;
	volatile size_t		 sink = 0;
	size_t			 i, j;

	if (size < 1 || size > 70000)
		return 0;
	a = dg_arena_new(1024 * 1024);
	if (a == NULL)
		return 0;
	if (dg_dns_rdata_parse(types[data[0] % (sizeof(types) /
	    sizeof(types[0]))], data + 1, size - 1, a, &rr) == DG_OK) {
		switch (rr.type) {
		case DG_DNS_T_TXT:
		case DG_DNS_T_SPF:
			for (i = 0; i < rr.u.txt.count; i++) {
				const struct dg_dns_str	*s =
				    &rr.u.txt.strings[i];

				/* <= len: the terminating NUL too. */
				for (j = 0; j <= s->len; j++)
					sink += (uint8_t)s->p[j];
			}
			break;
		case DG_DNS_T_MX:
			sink += strlen(rr.u.mx.host);
			break;
		case DG_DNS_T_CNAME:
		case DG_DNS_T_PTR:
		case DG_DNS_T_NS:
			sink += strlen(rr.u.name);
			break;
		default:
			break;
		}
	}
	(void)sink;
	dg_arena_free(a);
	return 0;
}
