/*
 * lib/dmarc/dmarc_policy.c -- the small pieces of the DMARC verdict that
 * need no DNS: identifier alignment (RFC 9989 3.1.1, 3.1.2), dispositions,
 * the pct sampling of RFC 7489 6.6.4, and the names of the enums in
 * dmarc_eval.h.
 */
#include <string.h>

#include <dmarcguard/dmarc_eval.h>

#include "dmarc/dmarc_eval_int.h"
#include "util/str.h"

/* Compare two domain names ignoring case and one final dot. */
bool
dg_dmarc_domain_eq(const char *a, const char *b)
{
	size_t	la, lb;

	if (a == NULL || b == NULL)
		return false;
	la = strlen(a);
	lb = strlen(b);
	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la > 0 && dg_memcaseeq(a, la, b, lb);
}

/* Is d equal to parent or a name below it (label boundary)? */
bool
dg_dmarc_domain_under(const char *d, const char *parent)
{
	size_t	ld, lp;

	if (d == NULL || parent == NULL)
		return false;
	ld = strlen(d);
	lp = strlen(parent);
	if (ld > 0 && d[ld - 1] == '.')
		ld--;
	if (lp > 0 && parent[lp - 1] == '.')
		lp--;
	if (lp == 0 || ld < lp)
		return false;
	if (!dg_memcaseeq(d + ld - lp, lp, parent, lp))
		return false;
	return ld == lp || d[ld - lp - 1] == '.';
}

/*
 * RFC 9989 3.1.1 / 3.1.2: strict alignment is an exact match of the two
 * FQDNs (case-insensitive, RFC 4343); relaxed alignment compares their
 * Organizational Domains.  Strict must never fall back to relaxed: that
 * was a real bug elsewhere (adkim=s honoured as r).
 */
bool
dg_dmarc_aligned(const char *a, const char *a_org, const char *b,
    const char *b_org, enum dg_dmarc_align mode)
{
	if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
		return false;
	if (dg_dmarc_domain_eq(a, b))
		return true;
	if (mode == DG_DMARC_ALIGN_STRICT)
		return false;
	return a_org != NULL && b_org != NULL && dg_dmarc_domain_eq(a_org,
	    b_org);
}

enum dg_dmarc_disposition
dg_dmarc_disposition_of(enum dg_dmarc_policy p)
{
	switch (p) {
	case DG_DMARC_POLICY_QUARANTINE:
		return DG_DMARC_DISP_QUARANTINE;
	case DG_DMARC_POLICY_REJECT:
		return DG_DMARC_DISP_REJECT;
	default:
		return DG_DMARC_DISP_NONE;	/* none, or no policy */
	}
}

enum dg_dmarc_disposition
dg_dmarc_disposition_lower(enum dg_dmarc_disposition d)
{
	switch (d) {
	case DG_DMARC_DISP_REJECT:
		return DG_DMARC_DISP_QUARANTINE;
	case DG_DMARC_DISP_QUARANTINE:
		return DG_DMARC_DISP_NONE;
	default:
		return d;
	}
}

/* splitmix64 finaliser: a well-mixed 64-bit value from any input. */
static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * RFC 7489 6.6.4 sampling.  The roll depends only on the caller's seed and
 * the (lower-case) From domain, so a replay gives the same answer.
 */
unsigned
dg_dmarc_pct_roll(uint64_t seed, const char *domain)
{
	uint64_t	h = 0xcbf29ce484222325ULL;	/* FNV-1a 64 */
	const char	*p;

	for (p = domain; p != NULL && *p != '\0'; p++) {
		h ^= (uint64_t)(unsigned char)dg_tolower((unsigned char)*p);
		h *= 0x100000001b3ULL;
	}
	return (unsigned)(mix64(seed ^ h) % 100);
}

const char *
dg_dmarc_result_str(enum dg_dmarc_result r)
{
	switch (r) {
	case DG_DMARC_RESULT_NONE:	return "none";
	case DG_DMARC_RESULT_PASS:	return "pass";
	case DG_DMARC_RESULT_FAIL:	return "fail";
	case DG_DMARC_RESULT_TEMPERROR:	return "temperror";
	case DG_DMARC_RESULT_PERMERROR:	return "permerror";
	default:			return "unset";
	}
}

const char *
dg_dmarc_disposition_str(enum dg_dmarc_disposition d)
{
	switch (d) {
	case DG_DMARC_DISP_NONE:	return "none";
	case DG_DMARC_DISP_QUARANTINE:	return "quarantine";
	case DG_DMARC_DISP_REJECT:	return "reject";
	default:			return "unset";
	}
}

bool
dg_dmarc_disposition_parse(const char *s, enum dg_dmarc_disposition *out)
{
	static const enum dg_dmarc_disposition all[] = {
		DG_DMARC_DISP_NONE, DG_DMARC_DISP_QUARANTINE,
		DG_DMARC_DISP_REJECT
	};
	size_t	i;

	if (s == NULL)
		return false;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (dg_strcaseeq(s, dg_dmarc_disposition_str(all[i]))) {
			if (out != NULL)
				*out = all[i];
			return true;
		}
	}
	return false;
}

const char *
dg_dmarc_mode_str(enum dg_dmarc_mode m)
{
	return m == DG_DMARC_MODE_RFC7489 ? "rfc7489" : "rfc9989";
}

const char *
dg_dmarc_policy_tag_str(enum dg_dmarc_policy_tag t)
{
	switch (t) {
	case DG_DMARC_PTAG_P:	return "p";
	case DG_DMARC_PTAG_SP:	return "sp";
	case DG_DMARC_PTAG_NP:	return "np";
	default:		return "";
	}
}
