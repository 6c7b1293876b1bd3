/*
 * tests/fuzz/fuzz_ar_parse.c -- the Authentication-Results parser (RFC
 * 8601) and, with the first byte odd, the ARC-Authentication-Results form.
 * Every parse that succeeds is checked for sane counts and then run
 * through the generator's quoting: a value from the input written as
 * header.from must come back as the only dmarc property, unchanged up to
 * the '?' replacement of control and non-ASCII bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/ar.h>

#include "util/limits.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
roundtrip(struct dg_arena *a, const char *value)
{
	struct dg_ar_gen		 g;
	struct dg_dmarc_verdict		 v;
	struct dg_ar			 ar;
	const struct dg_ar_result	*r;
	const char			*out, *got;
	size_t				 i;

	memset(&g, 0, sizeof(g));
	memset(&v, 0, sizeof(v));
	v.result = DG_DMARC_RESULT_FAIL;
	v.from_domain = value;
	v.disposition = DG_DMARC_DISP_NONE;
	g.authserv_id = "mx.example";
	g.dmarc = &v;
	if (dg_ar_generate(a, &g, &out) != DG_OK)
		return;
	if (dg_ar_parse(a, out, strlen(out), 0, &ar, NULL) != DG_OK)
		abort();
	if (ar.nresults != 1 || (r = dg_ar_find(&ar, "dmarc")) == NULL)
		abort();
	if (*value == '\0')
		return;
	if ((got = dg_ar_prop_get(r, "header", "from")) == NULL)
		abort();
	for (i = 0; value[i] != '\0' && i < DG_AR_VALUE_MAX; i++) {
		unsigned char c = (unsigned char)value[i];

		if (got[i] != ((c < 0x20 || c >= 0x7f) ? '?' : (char)c))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena	*a;
	struct dg_ar	 ar;
	char		*s;
	size_t		 i;

	if (size == 0)
		return 0;
	if ((a = dg_arena_new(0)) == NULL)
		return 0;
	if (dg_ar_parse(a, (const char *)data + 1, size - 1,
	    (data[0] & 1) ? DG_AR_PARSE_ARC : 0, &ar, NULL) == DG_OK) {
		if (ar.authserv_id == NULL || ar.nresults > DG_AR_MAX_RESULTS ||
		    (ar.nresults == 0 && !ar.none))
			abort();
		for (i = 0; i < ar.nresults; i++)
			if (ar.results[i].method == NULL ||
			    ar.results[i].result == NULL ||
			    ar.results[i].nprops > DG_AR_MAX_PROPS)
				abort();
	}
	/* the same bytes as a hostile From domain */
	if ((s = dg_arena_strndup(a, (const char *)data + 1, size - 1)) !=
	    NULL && strlen(s) == size - 1)
		roundtrip(a, s);
	dg_arena_free(a);
	return 0;
}
