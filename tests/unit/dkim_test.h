/*
 * tests/unit/dkim_test.h -- what the DKIM unit and conformance tests
 * share: a table-backed TXT resolver (through dg_resolver_custom) with
 * per-name failure injection and a query counter, and LF -> CRLF.
 */
#ifndef DG_DKIM_TEST_H
#define DG_DKIM_TEST_H

#include <stdlib.h>
#include <string.h>

#include <dmarcguard/dns.h>

struct tdns_rec {
	char			*name;
	char			*txt;		/* NULL for a failure */
	enum dg_dns_status	 status;
};

struct tdns {
	struct tdns_rec	*recs;
	size_t		 n, cap;
	uint32_t	 ttl;
	unsigned	 queries;	/* atomic */
};

static inline char *
tdns_strdup(const char *s)
{
	size_t	 n = strlen(s);
	char	*d = malloc(n + 1);

	if (d != NULL)
		memcpy(d, s, n + 1);
	return d;
}

static inline void
tdns_put(struct tdns *t, const char *name, const char *txt,
    enum dg_dns_status st)
{
	size_t	i;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->recs = realloc(t->recs, t->cap * sizeof(*t->recs));
		if (t->recs == NULL)
			abort();
	}
	t->recs[t->n].name = tdns_strdup(name);
	for (i = 0; t->recs[t->n].name[i] != '\0'; i++)
		if (t->recs[t->n].name[i] >= 'A' &&
		    t->recs[t->n].name[i] <= 'Z')
			t->recs[t->n].name[i] += 'a' - 'A';
	t->recs[t->n].txt = txt != NULL ? tdns_strdup(txt) : NULL;
	t->recs[t->n].status = st;
	t->n++;
}

static inline void
tdns_add(struct tdns *t, const char *name, const char *txt)
{
	tdns_put(t, name, txt, DG_DNS_OK);
}

static inline void
tdns_free(struct tdns *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		free(t->recs[i].name);
		free(t->recs[i].txt);
	}
	free(t->recs);
	memset(t, 0, sizeof(*t));
}

/* TXT strings are cut at 255 bytes like on the wire, to exercise the
 * join. */
static inline enum dg_err
tdns_query(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct tdns		*t = ctx;
	struct dg_dns_rr	*rrs;
	size_t			 i, n = 0, k;

	__atomic_add_fetch(&t->queries, 1, __ATOMIC_RELAXED);
	out->status = DG_DNS_NXDOMAIN;
	out->ttl = t->ttl ? t->ttl : 300;
	for (i = 0; i < t->n; i++) {
		if (strcmp(t->recs[i].name, name) != 0)
			continue;
		if (t->recs[i].txt == NULL) {
			out->status = t->recs[i].status;
			return DG_OK;
		}
		n++;
	}
	if (n == 0)
		return DG_OK;
	if (type != DG_DNS_T_TXT) {
		out->status = DG_DNS_NODATA;
		return DG_OK;
	}
	rrs = dg_arena_calloc(a, n, sizeof(*rrs));
	if (rrs == NULL)
		return dg_arena_err(a);
	for (i = 0, k = 0; i < t->n; i++) {
		struct dg_dns_str	*s;
		size_t			 len, ns, j;

		if (strcmp(t->recs[i].name, name) != 0)
			continue;
		len = strlen(t->recs[i].txt);
		ns = len == 0 ? 1 : (len + 254) / 255;
		s = dg_arena_calloc(a, ns, sizeof(*s));
		if (s == NULL)
			return dg_arena_err(a);
		for (j = 0; j < ns; j++) {
			size_t	off = j * 255;
			size_t	sl = len - off > 255 ? 255 : len - off;

			s[j].p = dg_arena_strndup(a, t->recs[i].txt + off,
			    sl);
			if (s[j].p == NULL)
				return dg_arena_err(a);
			s[j].len = sl;
		}
		rrs[k].type = DG_DNS_T_TXT;
		rrs[k].ttl = out->ttl;
		rrs[k].u.txt.count = ns;
		rrs[k].u.txt.strings = s;
		k++;
	}
	out->status = DG_DNS_OK;
	out->count = n;
	out->rrs = rrs;
	return DG_OK;
}

/* LF -> CRLF where not already CRLF; caller frees. */
static inline char *
crlf_dup(const char *p, size_t len, size_t *outlen)
{
	char	*d = malloc(2 * len + 1);
	size_t	 i, n = 0;

	if (d == NULL)
		abort();
	for (i = 0; i < len; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			d[n++] = '\r';
		d[n++] = p[i];
	}
	d[n] = '\0';
	*outlen = n;
	return d;
}

#endif /* DG_DKIM_TEST_H */
