/*
 * lib/dmarc/dmarc_uri.c -- DMARC reporting URIs (RFC 9989 4.6 and 4.8,
 * RFC 7489 6.2).
 *
 *   dmarc-urilist = (dmarc-uri / obs-dmarc-uri)
 *                   *(*WSP "," *WSP (dmarc-uri / obs-dmarc-uri))
 *   dmarc-uri     = URI                 ; RFC 3986, "," and "!" encoded
 *   obs-dmarc-uri = dmarc-uri "!" 1*DIGIT [ "k" / "m" / "g" / "t" ]
 *
 * Because "," and "!" must be percent-encoded inside a URI, the first "!"
 * of an item starts the size suffix and every "," separates items.  The
 * size suffix is obsolete in RFC 9989 (reporters ignore it) and current in
 * RFC 7489, whose units are powers of two.
 *
 * mailto: URIs (RFC 6068) are the one scheme receivers must support; the
 * to part is percent-decoded and checked as an addr-spec (RFC 5322 3.4.1:
 * dot-atom or quoted-string local part, a DNS domain).  That check is our
 * own minimal one, not the msg module's address parser, and it refuses
 * domain literals and several addresses in one URI.  Other schemes are
 * kept, marked unsupported (RFC 9989 4.7: "URIs involving schemes not
 * supported by Mail Receivers MUST be ignored"), with the authority's
 * host extracted so external-destination checks can still name it.
 */
#include <string.h>

#include "dmarc/dmarc_int.h"
#include "util/limits.h"
#include "util/str.h"

#define HOST_BUF	256	/* dg_domain_normalize() output */

/* RFC 3986 2.2 and 2.3, less "!" and "," (RFC 9989 4.8: encoded). */
static bool
is_uri_char(unsigned char c)
{
	if (dg_isalnum(c))
		return true;
	return strchr("-._~:/?#[]@$&'()*+;=", c) != NULL && c != '\0';
}

static int
hexval(unsigned char c)
{
	if (dg_isdigit(c))
		return c - '0';
	c = (unsigned char)dg_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* RFC 5322 3.2.3 atext. */
static bool
is_atext(unsigned char c)
{
	return dg_isalnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~",
	    c) != NULL);
}

static bool
is_wsp_or_eol(unsigned char c)
{
	return dg_iswsp(c) || c == '\r' || c == '\n';
}

/*
 * Percent-decode p[0..len) into a NUL-terminated arena string.  *bad is
 * set when an escape is broken or decodes to NUL.  NULL on arena failure.
 */
static char *
pct_decode(struct dg_arena *a, const char *p, size_t len, bool *bad)
{
	char	*out;
	size_t	 i, o = 0;

	*bad = false;
	if ((out = dg_arena_alloc(a, len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		int	hi, lo;

		if (p[i] != '%') {
			out[o++] = p[i];
			continue;
		}
		if (len - i < 3 ||
		    (hi = hexval((unsigned char)p[i + 1])) < 0 ||
		    (lo = hexval((unsigned char)p[i + 2])) < 0 ||
		    (hi == 0 && lo == 0)) {
			*bad = true;
			break;
		}
		out[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	out[o] = '\0';
	return out;
}

/* RFC 5322 3.4.1 local-part: dot-atom-text or quoted-string. */
static bool
local_part_ok(const char *p, size_t len)
{
	size_t	i;

	if (len == 0 || len > DG_ADDR_LOCAL_MAX)
		return false;
	if (p[0] == '"') {
		if (len < 2 || p[len - 1] != '"')
			return false;
		for (i = 1; i < len - 1; i++) {
			unsigned char	c = (unsigned char)p[i];

			if (c == '\\') {
				if (++i >= len - 1 ||
				    (unsigned char)p[i] < 0x20 ||
				    (unsigned char)p[i] > 0x7e)
					return false;
			} else if (c == '"' || c < 0x20 || c > 0x7e) {
				return false;
			}
		}
		return true;
	}
	if (p[0] == '.' || p[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] == '.') {
			if (p[i + 1] == '.')
				return false;
		} else if (!is_atext((unsigned char)p[i])) {
			return false;
		}
	}
	return true;
}

/*
 * Normalise the host name h (NUL-terminated) into an arena string, or
 * set *out NULL when it is not a valid DNS name.
 */
static enum dg_err
host_norm(struct dg_arena *a, const char *h, const char **out)
{
	char	buf[HOST_BUF];

	*out = NULL;
	if (h[0] == '\0' || dg_domain_normalize(h, buf, sizeof(buf)) != DG_OK)
		return DG_OK;
	if ((*out = dg_arena_strdup(a, buf)) == NULL)
		return dg_arena_err(a);
	return DG_OK;
}

static enum dg_err
set_bad(struct dg_arena *a, struct dg_dmarc_uri *u, const char *why)
{
	u->status = DG_DMARC_URI_BAD;
	u->address = NULL;
	u->host = NULL;
	if ((u->error = dg_arena_strdup(a, why)) == NULL)
		return dg_arena_err(a);
	return DG_OK;
}

/* RFC 6068 mailto: the to part (hfields after "?" are ignored). */
static enum dg_err
parse_mailto(struct dg_arena *a, const char *p, size_t len,
    struct dg_dmarc_uri *u)
{
	const char	*q, *at;
	char		*addr, *dom;
	size_t		 tolen, alen;
	bool		 bad;
	enum dg_err	 err;

	q = memchr(p, '?', len);
	tolen = q != NULL ? (size_t)(q - p) : len;
	if (tolen == 0)
		return set_bad(a, u, "mailto: URI without an address");
	if ((addr = pct_decode(a, p, tolen, &bad)) == NULL)
		return dg_arena_err(a);
	if (bad)
		return set_bad(a, u, "broken percent-escape");
	alen = strlen(addr);
	if (strchr(addr, ',') != NULL)
		return set_bad(a, u,
		    "more than one address in one mailto: URI");
	if (alen > DG_ADDR_MAX)
		return set_bad(a, u, "address too long");
	at = strrchr(addr, '@');
	if (at == NULL)
		return set_bad(a, u, "address without \"@\"");
	if (!local_part_ok(addr, (size_t)(at - addr)))
		return set_bad(a, u, "invalid local part in address");
	dom = addr + (at - addr) + 1;
	if (dom[0] == '[')
		return set_bad(a, u, "address literal instead of a domain");
	if ((err = host_norm(a, dom, &u->host)) != DG_OK)
		return err;
	if (u->host == NULL)
		return set_bad(a, u, "invalid domain in address");
	u->address = addr;
	u->status = DG_DMARC_URI_OK;
	return DG_OK;
}

/* RFC 3986 3.2: "//" [ userinfo "@" ] host [ ":" port ], host kept. */
static enum dg_err
authority_host(struct dg_arena *a, const char *p, size_t len,
    struct dg_dmarc_uri *u)
{
	const char	*s, *e, *at;
	char		*h;
	size_t		 i;
	bool		 bad;

	if (len < 2 || p[0] != '/' || p[1] != '/')
		return DG_OK;
	s = p + 2;
	for (e = s; e < p + len && *e != '/' && *e != '?' && *e != '#'; e++)
		continue;
	/* userinfo may not hold "@" unencoded, so the last one ends it */
	for (at = NULL, i = 0; s + i < e; i++)
		if (s[i] == '@')
			at = s + i;
	if (at != NULL)
		s = at + 1;
	if (s < e && *s == '[')
		return DG_OK;		/* IP literal: no domain to check */
	for (i = 0; s + i < e; i++)
		if (s[i] == ':')
			break;
	if ((h = pct_decode(a, s, i, &bad)) == NULL)
		return dg_arena_err(a);
	if (bad)
		return DG_OK;
	return host_norm(a, h, &u->host);
}

/* "!" 1*DIGIT [ "k" / "m" / "g" / "t" ], case-insensitive units, powers
 * of two (RFC 7489 6.2).  Saturates instead of overflowing. */
static bool
parse_size(const char *p, size_t len, uint64_t *out)
{
	uint64_t	v = 0;
	unsigned	shift = 0;
	size_t		i;

	if (len == 0)
		return false;
	switch (dg_tolower((unsigned char)p[len - 1])) {
	case 'k':
		shift = 10;
		break;
	case 'm':
		shift = 20;
		break;
	case 'g':
		shift = 30;
		break;
	case 't':
		shift = 40;
		break;
	default:
		break;		/* no unit: bytes */
	}
	if (shift != 0)
		len--;
	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (!dg_isdigit((unsigned char)p[i]))
			return false;
		if (v > (UINT64_MAX - 9) / 10)
			v = UINT64_MAX;
		else
			v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v > (UINT64_MAX >> shift) ? UINT64_MAX : v << shift;
	return true;
}

enum dg_err
dg_dmarc_uri_parse(struct dg_arena *a, const char *p, size_t len,
    struct dg_dmarc_uri *out)
{
	struct dg_dmarc_uri	 u;
	const char		*bang;
	char			*scheme;
	size_t			 i, blen, slen;
	enum dg_err		 err;

	if (a == NULL || p == NULL || out == NULL)
		return DG_EINVAL;
	memset(&u, 0, sizeof(u));
	while (len > 0 && is_wsp_or_eol((unsigned char)p[0])) {
		p++;
		len--;
		u.pos++;
	}
	while (len > 0 && is_wsp_or_eol((unsigned char)p[len - 1]))
		len--;

	bang = memchr(p, '!', len);
	blen = bang != NULL ? (size_t)(bang - p) : len;
	if ((u.text = dg_arena_strndup(a, p, blen)) == NULL)
		return dg_arena_err(a);

	if (len == 0) {
		err = set_bad(a, &u, "empty URI");
		goto done;
	}
	if (bang != NULL) {
		u.has_size = true;
		if (!parse_size(bang + 1, len - blen - 1, &u.size)) {
			err = set_bad(a, &u, "invalid size suffix after \"!\" "
			    "(want digits and k, m, g or t)");
			goto done;
		}
	}

	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	for (slen = 0; slen < blen; slen++) {
		unsigned char	c = (unsigned char)p[slen];

		if (c == ':')
			break;
		if (!(dg_isalpha(c) || (slen > 0 && (dg_isdigit(c) ||
		    c == '+' || c == '-' || c == '.'))))
			break;
	}
	if (slen == 0 || slen == blen || p[slen] != ':') {
		err = set_bad(a, &u, "no URI scheme (want mailto:)");
		goto done;
	}
	for (i = slen + 1; i < blen; i++) {
		unsigned char	c = (unsigned char)p[i];

		if (c == '%') {
			if (blen - i < 3 ||
			    hexval((unsigned char)p[i + 1]) < 0 ||
			    hexval((unsigned char)p[i + 2]) < 0) {
				err = set_bad(a, &u, "broken percent-escape");
				goto done;
			}
			i += 2;
		} else if (!is_uri_char(c)) {
			err = set_bad(a, &u, c == ' ' || c == '\t' ?
			    "white space inside a URI (missing \",\"?)" :
			    "character not allowed in a URI");
			goto done;
		}
	}
	if ((scheme = dg_arena_strndup(a, p, slen)) == NULL)
		return dg_arena_err(a);
	dg_str_lower(scheme);
	u.scheme = scheme;

	if (strcmp(scheme, "mailto") == 0) {
		err = parse_mailto(a, p + slen + 1, blen - slen - 1, &u);
	} else {
		u.status = DG_DMARC_URI_UNSUPPORTED;
		u.error = dg_arena_printf(a, "scheme \"%.*s\" is not supported "
		    "(only mailto:)", (int)(slen > DG_DMARC_QUOTE_MAX ?
		    DG_DMARC_QUOTE_MAX : slen), scheme);
		if (u.error == NULL)
			return dg_arena_err(a);
		err = authority_host(a, p + slen + 1, blen - slen - 1, &u);
	}
done:
	if (err != DG_OK)
		return err;
	*out = u;
	return DG_OK;
}

enum dg_err
dg_dmarc_urilist_parse(struct dg_dmarc_fsink *fs, enum dg_dmarc_tag tag,
    const char *p, size_t len, size_t base, const struct dg_dmarc_uri **out,
    size_t *n, size_t *nvalid)
{
	struct dg_dmarc_uri	*v;
	const char		*name = dg_dmarc_tag_str(tag);
	size_t			 start, i, k = 0, valid = 0, dropped = 0;
	enum dg_err		 err;
	bool			 rfc7489 = (fs->flags &
				    DG_DMARC_PARSE_RFC7489) != 0;

	*out = NULL;
	*n = *nvalid = 0;
	v = dg_arena_calloc(fs->a, DG_DMARC_MAX_URIS, sizeof(*v));
	if (v == NULL)
		return dg_arena_err(fs->a);

	for (start = 0; start <= len; start = i + 1) {
		struct dg_dmarc_uri	u;
		size_t			j;

		for (i = start; i < len && p[i] != ','; i++)
			continue;
		for (j = start; j < i && is_wsp_or_eol((unsigned char)p[j]);
		    j++)
			continue;
		if (j == i) {
			err = dg_dmarc_finding_add(fs, DG_DMARC_F_EMPTY_URI,
			    DG_DMARC_SEV_WARNING, tag, base + j,
			    len == 0 ? "%s has no URI" :
			    "empty entry in the %s list", name);
			if (err != DG_OK)
				return err;
			continue;
		}
		if ((err = dg_dmarc_uri_parse(fs->a, p + start, i - start,
		    &u)) != DG_OK)
			return err;
		u.pos += base + start;
		switch (u.status) {
		case DG_DMARC_URI_OK:
			valid++;
			break;
		case DG_DMARC_URI_UNSUPPORTED:
			valid++;
			err = dg_dmarc_finding_add(fs,
			    DG_DMARC_F_UNSUPPORTED_SCHEME, DG_DMARC_SEV_WARNING,
			    tag, u.pos, "%s: %s; receivers ignore it", name,
			    u.error);
			break;
		default:
			err = dg_dmarc_finding_add(fs, DG_DMARC_F_BAD_URI,
			    DG_DMARC_SEV_ERROR, tag, u.pos,
			    "%s: \"%.*s\": %s; ignored", name,
			    (int)(i - start > DG_DMARC_QUOTE_MAX ?
			    DG_DMARC_QUOTE_MAX : i - start), p + start,
			    u.error);
			break;
		}
		if (err != DG_OK)
			return err;
		if (u.has_size && u.status != DG_DMARC_URI_BAD && !rfc7489) {
			err = dg_dmarc_finding_add(fs, DG_DMARC_F_OBSOLETE_SIZE,
			    DG_DMARC_SEV_INFO, tag, u.pos,
			    "%s: the \"!\" size limit is obsolete (RFC 9989 "
			    "4.8); reporters ignore it", name);
			if (err != DG_OK)
				return err;
		}
		if (k < DG_DMARC_MAX_URIS)
			v[k++] = u;
		else
			dropped++;
	}
	if (dropped > 0) {
		err = dg_dmarc_finding_add(fs, DG_DMARC_F_TOO_MANY_URIS,
		    DG_DMARC_SEV_WARNING, tag, base,
		    "%s lists more than %u URIs; %zu dropped", name,
		    (unsigned)DG_DMARC_MAX_URIS, dropped);
		if (err != DG_OK)
			return err;
	}
	*out = v;
	*n = k;
	*nvalid = valid;
	return DG_OK;
}
