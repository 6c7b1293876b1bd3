/*
 * lib/dmarc/dmarc_lookalike.c -- is a From domain a look-alike of a
 * protected domain?  A documented homoglyph + edit-distance rule, not
 * ICU's full confusable data (ICU's uspoof is not linked into the library):
 *
 *  1. A domain equal to or below the protected one is not a look-alike.
 *  2. "protected.example.evil.net" (the whole protected name on the left)
 *     is one.
 *  3. Compare the names without their last label (and a second-level
 *     "co" / "com" / "org" / "net" / "ac" / "gov" / "edu" before it) as
 *     skeletons: IDN A-labels decoded, a table of Cyrillic, Greek and
 *     accented Latin letters mapped to the ASCII letter they imitate,
 *     0->o 1->l i->l 5->s, then rn->m vv->w cl->d, and '-' '_' '.'
 *     dropped.  Equal skeletons: a look-alike (this also catches the same
 *     name under another TLD).
 *  4. Names of 5 or more characters whose skeletons are within the
 *     configured Damerau-Levenshtein distance (optimal string alignment)
 *     are look-alikes.
 */
#include <string.h>

#include <dmarcguard/dmarc_shield.h>

#include "dmarc/dmarc_eval_int.h"
#include "util/idn.h"
#include "util/limits.h"
#include "util/str.h"

#define SKEL_MAX	256

/* Code points that imitate an ASCII letter. */
static const struct {
	uint32_t	cp;
	char		ascii;
} confusables[] = {
	/* Latin-1 and Latin Extended-A letters with diacritics */
	{ 0x00e0, 'a' }, { 0x00e1, 'a' }, { 0x00e2, 'a' }, { 0x00e3, 'a' },
	{ 0x00e4, 'a' }, { 0x00e5, 'a' }, { 0x00e7, 'c' }, { 0x00e8, 'e' },
	{ 0x00e9, 'e' }, { 0x00ea, 'e' }, { 0x00eb, 'e' }, { 0x00ec, 'i' },
	{ 0x00ed, 'i' }, { 0x00ee, 'i' }, { 0x00ef, 'i' }, { 0x00f1, 'n' },
	{ 0x00f2, 'o' }, { 0x00f3, 'o' }, { 0x00f4, 'o' }, { 0x00f5, 'o' },
	{ 0x00f6, 'o' }, { 0x00f8, 'o' }, { 0x00f9, 'u' }, { 0x00fa, 'u' },
	{ 0x00fb, 'u' }, { 0x00fc, 'u' }, { 0x00fd, 'y' }, { 0x00ff, 'y' },
	{ 0x0101, 'a' }, { 0x0103, 'a' }, { 0x0105, 'a' }, { 0x0107, 'c' },
	{ 0x010d, 'c' }, { 0x0111, 'd' }, { 0x0113, 'e' }, { 0x0117, 'e' },
	{ 0x0119, 'e' }, { 0x011b, 'e' }, { 0x011f, 'g' }, { 0x012b, 'i' },
	{ 0x0131, 'i' }, { 0x0142, 'l' }, { 0x0144, 'n' }, { 0x0148, 'n' },
	{ 0x014d, 'o' }, { 0x0151, 'o' }, { 0x0159, 'r' }, { 0x015b, 's' },
	{ 0x0161, 's' }, { 0x0163, 't' }, { 0x016b, 'u' }, { 0x016f, 'u' },
	{ 0x017a, 'z' }, { 0x017c, 'z' }, { 0x017e, 'z' },
	/* IPA / Latin letters that look like ASCII */
	{ 0x0251, 'a' }, { 0x0261, 'g' }, { 0x0269, 'i' },
	/* Greek */
	{ 0x03b1, 'a' }, { 0x03b5, 'e' }, { 0x03b9, 'i' }, { 0x03ba, 'k' },
	{ 0x03bd, 'v' }, { 0x03bf, 'o' }, { 0x03c1, 'p' }, { 0x03c4, 't' },
	{ 0x03c5, 'u' }, { 0x03c7, 'x' },
	/* Cyrillic */
	{ 0x0430, 'a' }, { 0x0435, 'e' }, { 0x043a, 'k' }, { 0x043c, 'm' },
	{ 0x043d, 'h' }, { 0x043e, 'o' }, { 0x0440, 'p' }, { 0x0441, 'c' },
	{ 0x0442, 't' }, { 0x0443, 'y' }, { 0x0445, 'x' }, { 0x0455, 's' },
	{ 0x0456, 'i' }, { 0x0458, 'j' }, { 0x04bb, 'h' }, { 0x04cf, 'l' },
	{ 0x0501, 'd' }, { 0x051b, 'q' }, { 0x051d, 'w' },
	/* Armenian */
	{ 0x0578, 'n' }, { 0x057d, 'u' }, { 0x0585, 'o' },
};

static char
map_cp(uint32_t cp)
{
	size_t	i;

	if (cp < 0x80)
		return (char)dg_tolower((int)cp);
	for (i = 0; i < sizeof(confusables) / sizeof(confusables[0]); i++)
		if (confusables[i].cp == cp)
			return confusables[i].ascii;
	return '?';		/* no ASCII twin: never equal to a letter */
}

/* Decode one UTF-8 sequence at s[*i..len); invalid bytes give 0xfffd. */
static uint32_t
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	uint32_t	cp;
	size_t		n, k;

	if (s[*i] < 0x80)
		return s[(*i)++];
	if ((s[*i] & 0xe0) == 0xc0) {
		cp = s[*i] & 0x1f;
		n = 1;
	} else if ((s[*i] & 0xf0) == 0xe0) {
		cp = s[*i] & 0x0f;
		n = 2;
	} else if ((s[*i] & 0xf8) == 0xf0) {
		cp = s[*i] & 0x07;
		n = 3;
	} else {
		(*i)++;
		return 0xfffd;
	}
	if (*i + n >= len) {
		(*i)++;
		return 0xfffd;
	}
	for (k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80) {
			(*i)++;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3f);
	}
	*i += n + 1;
	return cp;
}

/* The name part compared: without the last label and a common SLD. */
static size_t
name_part(const char *d, size_t len)
{
	static const char *const slds[] = {
		"co", "com", "org", "net", "ac", "gov", "edu"
	};
	size_t	end, start, i;

	if (len > 0 && d[len - 1] == '.')
		len--;
	for (end = len; end > 0 && d[end - 1] != '.'; end--)
		;
	if (end == 0)
		return 0;		/* one label: no name part */
	end--;				/* drop the dot */
	for (start = end; start > 0 && d[start - 1] != '.'; start--)
		;
	if (start == 0)
		return end;
	for (i = 0; i < sizeof(slds) / sizeof(slds[0]); i++)
		if (dg_memcaseeq(d + start, end - start, slds[i],
		    strlen(slds[i])))
			return start - 1;
	return end;
}

/* Skeleton of d[0..len) into out (NUL-terminated); its length. */
static size_t
skeleton(const char *d, size_t len, char *out)
{
	char		 uni[DG_IDN_BUF], ascii[DG_IDN_BUF], tmp[SKEL_MAX];
	const char	*src = d;
	size_t		 i = 0, n = 0, k = 0, slen = len;
	char		 c;

	if (len < sizeof(ascii)) {
		memcpy(ascii, d, len);
		ascii[len] = '\0';
		if (strstr(ascii, "xn--") != NULL &&
		    dg_idn_to_unicode(ascii, uni, sizeof(uni)) == DG_IDN_OK) {
			src = uni;
			slen = strlen(uni);
		}
	}
	while (i < slen && n < SKEL_MAX - 1) {
		c = map_cp(utf8_next((const unsigned char *)src, slen, &i));
		switch (c) {
		case '-': case '_': case '.':
			continue;
		case '0': c = 'o'; break;
		case '1': case 'i': c = 'l'; break;
		case '5': c = 's'; break;
		default: break;
		}
		tmp[n++] = c;
	}
	for (i = 0; i < n; i++) {
		if (i + 1 < n && tmp[i] == 'r' && tmp[i + 1] == 'n') {
			out[k++] = 'm';
			i++;
		} else if (i + 1 < n && tmp[i] == 'v' && tmp[i + 1] == 'v') {
			out[k++] = 'w';
			i++;
		} else if (i + 1 < n && tmp[i] == 'c' && tmp[i + 1] == 'l') {
			out[k++] = 'd';
			i++;
		} else {
			out[k++] = tmp[i];
		}
	}
	out[k] = '\0';
	return k;
}

/* Optimal-string-alignment distance, at most SKEL_MAX each. */
static size_t
osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t	r0[SKEL_MAX + 1], r1[SKEL_MAX + 1], r2[SKEL_MAX + 1];
	size_t	*pp = r0, *p = r1, *c = r2, *t;
	size_t	i, j, cost, v;

	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		c[0] = i;
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
		}
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

bool
dg_shield_lookalike(const char *domain, const char *prot,
    unsigned max_distance)
{
	char	sa[SKEL_MAX], sb[SKEL_MAX];
	size_t	ld, lp, na, nb, ka, kb;

	if (domain == NULL || prot == NULL)
		return false;
	ld = strlen(domain);
	lp = strlen(prot);
	if (ld == 0 || lp == 0 || ld > DG_DNS_NAME_MAX + 1 ||
	    lp > DG_DNS_NAME_MAX + 1)
		return false;
	if (dg_dmarc_domain_under(domain, prot))
		return false;
	if (ld > lp + 1 && dg_memcaseeq(domain, lp, prot, lp) &&
	    domain[lp] == '.')
		return true;	/* "bank.example.evil.net" */
	na = name_part(domain, ld);
	nb = name_part(prot, lp);
	if (na == 0 || nb == 0)
		return false;
	ka = skeleton(domain, na, sa);
	kb = skeleton(prot, nb, sb);
	if (ka == 0 || kb == 0)
		return false;
	if (ka == kb && memcmp(sa, sb, ka) == 0)
		return true;
	if (max_distance > DG_SHIELD_MAX_DISTANCE)
		max_distance = DG_SHIELD_MAX_DISTANCE;
	if (kb < 5 || max_distance == 0)
		return false;
	if ((ka > kb ? ka - kb : kb - ka) > max_distance)
		return false;
	return osa_distance(sa, ka, sb, kb) <= max_distance;
}
