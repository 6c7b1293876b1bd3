/*
 * lib/dmarc/dmarc_shield_config.c -- the "shield." and "dmarc." keys of
 * the configuration file (DESIGN.md: one file, key = value lines, '#'
 * comments; every key in docs/config.md) and the free-mail list.
 *
 * Keys with other prefixes belong to other sections and are skipped, so
 * one file serves every subcommand; an unknown key under our prefixes is
 * an error, because a typo there would silently turn protection off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/dmarc_shield.h>

#include "dmarc/dmarc_eval_int.h"
#include "util/limits.h"
#include "util/str.h"

#define NAME_BUF	256

void
dg_shield_config_init(struct dg_shield_config *c)
{
	if (c == NULL)
		return;
	memset(c, 0, sizeof(*c));
	c->enabled = false;
	c->action = DG_DMARC_DISP_QUARANTINE;
	c->signals = DG_SHIELD_SIG_REPLY_TO_DIFFERS |
	    DG_SHIELD_SIG_REPLY_TO_FREEMAIL | DG_SHIELD_SIG_LOOKALIKE;
	c->lookalike_distance = 1;
	c->mode = DG_DMARC_MODE_RFC9989;
	c->bad_from = DG_DMARC_DISP_REJECT;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Trim WSP and CR at both ends of p[0..*len); returns the new start. */
static const char *
trim(const char *p, size_t *len)
{
	while (*len > 0 && (dg_iswsp((unsigned char)*p) || *p == '\r')) {
		p++;
		(*len)--;
	}
	while (*len > 0 && (dg_iswsp((unsigned char)p[*len - 1]) ||
	    p[*len - 1] == '\r'))
		(*len)--;
	return p;
}

/* A normalised copy of the domain p[0..len), or NULL (*bad set). */
static enum dg_err
domain_copy(struct dg_arena *a, const char *p, size_t len, char **out)
{
	char	tmp[NAME_BUF], norm[NAME_BUF];

	*out = NULL;
	if (len == 0 || len >= sizeof(tmp) || memchr(p, '\0', len) != NULL)
		return DG_ESYNTAX;
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	if (dg_domain_normalize(tmp, norm, sizeof(norm)) != DG_OK ||
	    strchr(norm, '.') == NULL)
		return DG_ESYNTAX;
	if ((*out = dg_arena_strdup(a, norm)) == NULL)
		return dg_arena_err(a);
	return DG_OK;
}

enum dg_err
dg_shield_freemail_load(struct dg_arena *a, const char *text, size_t len,
    struct dg_shield_config *c, char *err, size_t errlen)
{
	const char	*p, *nl, *s;
	const char	**v;
	char		*d;
	size_t		 n = 0, cap = 0, l, line = 0, i, k;
	enum dg_err	 e;

	if (a == NULL || c == NULL || (text == NULL && len > 0))
		return DG_EINVAL;
	/* count lines for the array */
	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			cap++;
	cap++;
	if (cap > DG_SHIELD_FREEMAIL_MAX)
		cap = DG_SHIELD_FREEMAIL_MAX;
	if ((v = dg_arena_calloc(a, cap, sizeof(*v))) == NULL)
		return dg_arena_err(a);
	for (p = text; p != NULL && p < text + len; p = nl != NULL ? nl + 1 :
	    NULL) {
		line++;
		nl = memchr(p, '\n', (size_t)(text + len - p));
		l = nl != NULL ? (size_t)(nl - p) : (size_t)(text + len - p);
		if ((s = memchr(p, '#', l)) != NULL)
			l = (size_t)(s - p);
		s = trim(p, &l);
		if (l == 0)
			continue;
		if (n >= DG_SHIELD_FREEMAIL_MAX) {
			if (err != NULL)
				dg_fmt(err, errlen, "line %zu: more than %u "
				    "free-mail domains", line,
				    (unsigned)DG_SHIELD_FREEMAIL_MAX);
			return DG_ETOOBIG;
		}
		if ((e = domain_copy(a, s, l, &d)) != DG_OK) {
			if (e == DG_ESYNTAX && err != NULL)
				dg_fmt(err, errlen, "line %zu: not a domain",
				    line);
			return e;
		}
		v[n++] = d;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = k = 0; i < n; i++)	/* drop duplicates */
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	c->freemail = v;
	c->nfreemail = k;
	return DG_OK;
}

bool
dg_shield_is_freemail(const struct dg_shield_config *c, const char *domain)
{
	char		 norm[NAME_BUF];
	const char	*p, *key;

	if (c == NULL || domain == NULL || c->nfreemail == 0 ||
	    dg_domain_normalize(domain, norm, sizeof(norm)) != DG_OK)
		return false;
	/* the name itself, then each parent ("mail.gmail.com" counts) */
	for (p = norm; p != NULL; p = strchr(p, '.'), p = p ? p + 1 : NULL) {
		key = p;
		if (bsearch(&key, c->freemail, c->nfreemail,
		    sizeof(c->freemail[0]), cmp_str) != NULL)
			return true;
	}
	return false;
}

static bool
parse_bool(const char *v, size_t len, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	i;

	for (i = 0; i < 4; i++) {
		if (dg_memcaseeq(v, len, yes[i], strlen(yes[i]))) {
			*out = true;
			return true;
		}
		if (dg_memcaseeq(v, len, no[i], strlen(no[i]))) {
			*out = false;
			return true;
		}
	}
	return false;
}

static enum dg_err
read_file(struct dg_arena *a, const char *path, char **text, size_t *len)
{
	FILE	*fp;
	char	*buf;
	size_t	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return DG_EIO;
	if ((buf = dg_arena_alloc(a, DG_SHIELD_FREEMAIL_FILE_MAX + 1)) ==
	    NULL) {
		fclose(fp);
		return dg_arena_err(a);
	}
	n = fread(buf, 1, DG_SHIELD_FREEMAIL_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		fclose(fp);
		return DG_EIO;
	}
	fclose(fp);
	if (n > DG_SHIELD_FREEMAIL_FILE_MAX)
		return DG_ETOOBIG;
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return DG_OK;
}

/* "a.example, b.example c.example" */
static enum dg_err
parse_domains(struct dg_arena *a, const char *v, size_t len,
    const char *const **list, size_t *count)
{
	const char	**out;
	char		 *d;
	size_t		  i = 0, start, n = 0;
	enum dg_err	  e;

	if ((out = dg_arena_calloc(a, DG_SHIELD_PROTECTED_MAX,
	    sizeof(*out))) == NULL)
		return dg_arena_err(a);
	while (i < len) {
		while (i < len && (v[i] == ',' || dg_iswsp((unsigned char)v[i])))
			i++;
		start = i;
		while (i < len && v[i] != ',' && !dg_iswsp((unsigned char)v[i]))
			i++;
		if (i == start)
			break;
		if (n >= DG_SHIELD_PROTECTED_MAX)
			return DG_ETOOBIG;
		if ((e = domain_copy(a, v + start, i - start, &d)) != DG_OK)
			return e;
		out[n++] = d;
	}
	*list = out;
	*count = n;
	return DG_OK;
}

static bool
key_is(const char *k, size_t kl, const char *name)
{
	return dg_memcaseeq(k, kl, name, strlen(name));
}

/* One "key = value" line; *known false for keys of other sections. */
static enum dg_err
set_key(struct dg_arena *a, struct dg_shield_config *c, const char *k,
    size_t kl, const char *v, size_t vl, const char **why)
{
	char		 path[4096];
	char		*text = NULL;
	size_t		 tl = 0;
	uint64_t	 u;
	bool		 b;
	enum dg_err	 e;
	unsigned	 bit = 0;

	*why = "bad value";
	if (key_is(k, kl, "shield.enabled")) {
		if (!parse_bool(v, vl, &c->enabled))
			return DG_ESYNTAX;
	} else if (key_is(k, kl, "shield.action")) {
		if (dg_memcaseeq(v, vl, "quarantine", 10))
			c->action = DG_DMARC_DISP_QUARANTINE;
		else if (dg_memcaseeq(v, vl, "reject", 6))
			c->action = DG_DMARC_DISP_REJECT;
		else
			return DG_ESYNTAX;
	} else if (key_is(k, kl, "shield.reply_to_differs") ||
	    key_is(k, kl, "shield.reply_to_freemail") ||
	    key_is(k, kl, "shield.lookalike")) {
		bit = key_is(k, kl, "shield.reply_to_differs") ?
		    DG_SHIELD_SIG_REPLY_TO_DIFFERS :
		    key_is(k, kl, "shield.reply_to_freemail") ?
		    DG_SHIELD_SIG_REPLY_TO_FREEMAIL : DG_SHIELD_SIG_LOOKALIKE;
		if (!parse_bool(v, vl, &b))
			return DG_ESYNTAX;
		c->signals = b ? (c->signals | bit) : (c->signals & ~bit);
	} else if (key_is(k, kl, "shield.lookalike_distance")) {
		if (!dg_parse_uint(v, vl, DG_SHIELD_MAX_DISTANCE, &u)) {
			*why = "lookalike_distance must be 0 to 3";
			return DG_ESYNTAX;
		}
		c->lookalike_distance = (unsigned)u;
	} else if (key_is(k, kl, "shield.protected_domains")) {
		*why = "protected_domains: not a list of domains";
		return parse_domains(a, v, vl, &c->protected_domains,
		    &c->nprotected);
	} else if (key_is(k, kl, "shield.freemail_file")) {
		if (vl == 0 || vl >= sizeof(path) ||
		    memchr(v, '\0', vl) != NULL)
			return DG_ESYNTAX;
		memcpy(path, v, vl);
		path[vl] = '\0';
		*why = "freemail_file: can't read it";
		if ((e = read_file(a, path, &text, &tl)) != DG_OK)
			return e;
		*why = "freemail_file: a line is not a domain";
		return dg_shield_freemail_load(a, text, tl, c, NULL, 0);
	} else if (key_is(k, kl, "dmarc.mode")) {
		if (dg_memcaseeq(v, vl, "rfc9989", 7))
			c->mode = DG_DMARC_MODE_RFC9989;
		else if (dg_memcaseeq(v, vl, "rfc7489", 7))
			c->mode = DG_DMARC_MODE_RFC7489;
		else
			return DG_ESYNTAX;
	} else if (key_is(k, kl, "dmarc.bad_from")) {
		if (dg_memcaseeq(v, vl, "none", 4))
			c->bad_from = DG_DMARC_DISP_NONE;
		else if (dg_memcaseeq(v, vl, "quarantine", 10))
			c->bad_from = DG_DMARC_DISP_QUARANTINE;
		else if (dg_memcaseeq(v, vl, "reject", 6))
			c->bad_from = DG_DMARC_DISP_REJECT;
		else
			return DG_ESYNTAX;
	} else if (key_is(k, kl, "dmarc.trusted_arc_sealers")) {
		*why = "trusted_arc_sealers: not a list of domains";
		return parse_domains(a, v, vl, &c->trusted_sealers,
		    &c->ntrusted);
	} else {
		*why = "unknown key";
		return DG_ESYNTAX;
	}
	return DG_OK;
}

enum dg_err
dg_shield_config_parse(struct dg_arena *a, const char *text, size_t len,
    struct dg_shield_config *out, char *err, size_t errlen)
{
	struct dg_shield_config	 c;
	const char		*p, *nl, *eq, *k, *v, *why = "";
	size_t			 l, kl, vl, line = 0;
	enum dg_err		 e;

	if (a == NULL || out == NULL || (text == NULL && len > 0))
		return DG_EINVAL;
	if (len > DG_CONFIG_FILE_MAX)
		return DG_ETOOBIG;
	dg_shield_config_init(&c);
	for (p = text; p != NULL && p < text + len; p = nl != NULL ? nl + 1 :
	    NULL) {
		line++;
		nl = memchr(p, '\n', (size_t)(text + len - p));
		l = nl != NULL ? (size_t)(nl - p) : (size_t)(text + len - p);
		if (l > DG_CONFIG_LINE_MAX) {
			why = "line too long";
			e = DG_ETOOBIG;
			goto bad;
		}
		if ((k = memchr(p, '#', l)) != NULL)
			l = (size_t)(k - p);
		k = trim(p, &l);
		if (l == 0)
			continue;
		if ((eq = memchr(k, '=', l)) == NULL) {
			why = "expected key = value";
			e = DG_ESYNTAX;
			goto bad;
		}
		kl = (size_t)(eq - k);
		vl = l - kl - 1;
		v = trim(eq + 1, &vl);
		k = trim(k, &kl);
		if (!(kl > 7 && dg_memcaseeq(k, 7, "shield.", 7)) &&
		    !(kl > 6 && dg_memcaseeq(k, 6, "dmarc.", 6)))
			continue;	/* another section's key */
		if ((e = set_key(a, &c, k, kl, v, vl, &why)) != DG_OK)
			goto bad;
	}
	*out = c;
	return DG_OK;
bad:
	if (err != NULL)
		dg_fmt(err, errlen, "line %zu: %s", line, why);
	return e;
}
