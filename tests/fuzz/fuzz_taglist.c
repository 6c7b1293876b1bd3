/*
 * tests/fuzz/fuzz_taglist.c -- the shared tag-list parser (RFC 6376 3.2),
 * the DMARC record check the tree walk uses, and domain normalisation.
 * The first byte picks the parser flags; the rest is the input.  Checks
 * that every span lies inside the input and names are well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/orgdomain.h>

#include "util/limits.h"
#include "util/str.h"
#include "util/taglist.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(const char *base, size_t len, struct dg_span s)
{
	if (s.p < base || s.p > base + len || s.len > (size_t)(base + len -
	    s.p))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_tag		 tags[DG_TAGLIST_MAX];
	struct dg_taglist_error	 e;
	enum dg_dmarc_psd	 psd;
	const char		*p;
	char			*s, out[256];
	size_t			 len, n, i;
	unsigned		 flags;

	if (size == 0)
		return 0;
	flags = data[0] & (DG_TAGLIST_NOCASE | DG_TAGLIST_ALLOW_DUP);
	p = (const char *)data + 1;
	len = size - 1;

	if (dg_taglist_parse(p, len, flags, tags, DG_TAGLIST_MAX, &n, &e) ==
	    DG_OK) {
		if (n == 0 || n > DG_TAGLIST_MAX)
			abort();
		for (i = 0; i < n; i++) {
			inside(p, len, tags[i].name);
			inside(p, len, tags[i].value);
			if (tags[i].name.len == 0 ||
			    !dg_isalpha((unsigned char)tags[i].name.p[0]))
				abort();
		}
	} else if (e.pos > len || e.reason == DG_TAGLIST_R_NONE) {
		abort();
	}

	(void)dg_dmarc_record_is_dmarc(p, len, &psd);

	/* Domain normalisation wants a C string. */
	s = malloc(len + 1);
	if (s == NULL)
		return 0;
	memcpy(s, p, len);
	s[len] = '\0';
	if (dg_domain_normalize(s, out, sizeof(out)) == DG_OK &&
	    strlen(out) > DG_DNS_NAME_MAX)
		abort();
	free(s);
	return 0;
}
