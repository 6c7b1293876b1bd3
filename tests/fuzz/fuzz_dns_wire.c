/*
 * tests/fuzz/fuzz_dns_wire.c -- DNS responses in wire format
 * (lib/dns/dns_wire.c) on arbitrary bytes: the first byte picks the
 * question type, the rest is the packet, asked for "example.com".
 * Checks: always DG_OK, a status set, records only with OK, every name
 * within DNS's length, and the record types asked for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>

#include "dns/dns_wire.h"
#include "util/limits.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum dg_dns_type types[] = {
	DG_DNS_T_A, DG_DNS_T_AAAA, DG_DNS_T_MX, DG_DNS_T_TXT, DG_DNS_T_CNAME,
	DG_DNS_T_PTR, DG_DNS_T_NS, DG_DNS_T_SPF,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena		*a;
	struct dg_dns_answer	 ans;
	enum dg_dns_type	 t;
	size_t			 i;

	if (size < 1)
		return 0;
	t = types[data[0] % (sizeof(types) / sizeof(types[0]))];
	if ((a = dg_arena_new(0)) == NULL)
		return 0;
	memset(&ans, 0, sizeof(ans));
	if (dg_dns_wire_answer(data + 1, size - 1, "example.com", t, a,
	    &ans) != DG_OK || ans.status == DG_DNS_UNSET)
		abort();
	if (ans.status != DG_DNS_OK && ans.count != 0)
		abort();
	if (ans.count > DG_DNS_MAX_RRS ||
	    (ans.canonical != NULL && strlen(ans.canonical) > DG_DNS_NAME_MAX))
		abort();
	for (i = 0; i < ans.count; i++) {
		const struct dg_dns_rr	*rr = &ans.rrs[i];

		if (rr->type != t)
			abort();
		if (t == DG_DNS_T_MX && strlen(rr->u.mx.host) > DG_DNS_NAME_MAX)
			abort();
		if ((t == DG_DNS_T_CNAME || t == DG_DNS_T_PTR ||
		    t == DG_DNS_T_NS) && strlen(rr->u.name) > DG_DNS_NAME_MAX)
			abort();
	}
	dg_arena_free(a);
	return 0;
}
