/*
 * tests/fuzz/fuzz_arc.c -- ARC chain validation (lib/arc/arc_verify.c) on
 * arbitrary messages: the set collector, the AAR instance reader, the
 * seal and AMS parsers and the canonicalizations, with a resolver that
 * knows one key.  Checks: DG_OK, a result set, a reason for every fail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arc.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char zone[] =
    "s._domainkey.example.org. IN TXT \"v=DKIM1; k=ed25519; "
    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_resolver	*res;
	struct dg_arena			*a;
	struct dg_arc_verdict		 v;

	if (res == NULL && dg_resolver_zone_text(zone, sizeof(zone) - 1,
	    "fuzz", &res, NULL, 0) != DG_OK)
		abort();
	if ((a = dg_arena_new(0)) == NULL)
		return 0;
	if (dg_arc_verify_message(a, res, NULL, (const char *)data, size,
	    &v) != DG_OK)
		abort();
	if (v.result == DG_ARC_UNSET ||
	    (v.result == DG_ARC_FAIL && v.reason[0] == '\0') ||
	    v.instances > 50)
		abort();
	dg_arena_free(a);
	return 0;
}
