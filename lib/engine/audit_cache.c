/*
 * lib/engine/audit_cache.c -- a small answer cache in front of a resolver,
 * for bulk audits.
 *
 * Auditing many domains asks the same names again and again: the upper
 * steps of every DMARC tree walk (_dmarc.com, _dmarc.<zone>), shared SPF
 * includes, and each domain's own TXT record twice (the SPF record listing
 * and the SPF analysis).  libunbound caches them too, but every query
 * through it costs a round trip to its resolving thread; this cache
 * answers from memory under one mutex.
 *
 * Only definite answers (OK, NXDOMAIN, NODATA) are kept, for their TTL
 * (at most DG_AUDIT_CACHE_MAX_TTL); failures always go to the resolver.
 * The table is direct-mapped with a fixed number of slots: a new answer
 * replaces whatever hashed to its slot, so memory is bounded by the slot
 * count times the largest answer kept (DG_AUDIT_CACHE_MAX_ANSWER).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmarcguard/audit.h>

#include "util/alloc.h"
#include "util/limits.h"

struct slot {
	uint64_t		 hash;
	enum dg_dns_type	 type;
	int64_t			 expires;	/* monotonic seconds */
	const char		*name;		/* in blob */
	struct dg_dns_answer	*ans;		/* in blob */
	void			*blob;		/* malloc'd; NULL: empty */
};

struct dg_audit_cache {
	struct dg_resolver	*inner[DG_AUDIT_CACHE_MAX_INNER];	/* not
								   owned */
	size_t			 ninner;
	unsigned		 threads;	/* seen, under mu */
	struct dg_resolver	*res;		/* the custom front */
	pthread_mutex_t		 mu;
	struct slot		*slots;
	size_t			 nslots;	/* a power of two */
	uint64_t		 hits, misses;
};

/* ---- copying an answer ---- */

#define ALIGN(n)	(((n) + 15) & ~(size_t)15)

struct bump {
	char	*base;
	size_t	 off, cap;
};

static void *
bump_alloc(void *ctx, size_t n)
{
	struct bump	*b = ctx;
	void		*p;

	n = ALIGN(n);
	if (n > b->cap - b->off)
		return NULL;
	p = b->base + b->off;
	b->off += n;
	return p;
}

static void *
arena_alloc(void *ctx, size_t n)
{
	return dg_arena_alloc(ctx, n);
}

static size_t
str_size(const char *s)
{
	return s != NULL ? ALIGN(strlen(s) + 1) : 0;
}

/* Bytes copy_answer() needs for ans (and a name). */
static size_t
answer_size(const struct dg_dns_answer *ans, const char *name)
{
	size_t	n, i, k;

	n = ALIGN(sizeof(*ans)) + str_size(name) + str_size(ans->canonical) +
	    str_size(ans->why) + ALIGN(ans->count * sizeof(*ans->rrs));
	for (i = 0; i < ans->count; i++) {
		const struct dg_dns_rr	*rr = &ans->rrs[i];

		switch (rr->type) {
		case DG_DNS_T_MX:
			n += str_size(rr->u.mx.host);
			break;
		case DG_DNS_T_NS:
		case DG_DNS_T_CNAME:
		case DG_DNS_T_PTR:
			n += str_size(rr->u.name);
			break;
		case DG_DNS_T_TXT:
		case DG_DNS_T_SPF:
			n += ALIGN(rr->u.txt.count * sizeof(struct dg_dns_str));
			for (k = 0; k < rr->u.txt.count; k++)
				n += ALIGN(rr->u.txt.strings[k].len + 1);
			break;
		default:
			break;	/* A, AAAA: inline */
		}
	}
	return n;
}

static const char *
copy_str(void *(*alloc)(void *, size_t), void *ctx, const char *s,
    bool *ok)
{
	char	*d;
	size_t	 len;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if ((d = alloc(ctx, len + 1)) == NULL) {
		*ok = false;
		return NULL;
	}
	memcpy(d, s, len + 1);
	return d;
}

/* A deep copy of src into *dst; false when an allocation failed. */
static bool
copy_answer(void *(*alloc)(void *, size_t), void *ctx,
    const struct dg_dns_answer *src, struct dg_dns_answer *dst)
{
	struct dg_dns_rr	*rrs = NULL;
	struct dg_dns_str	*strs;
	char			*p;
	size_t			 i, k;
	bool			 ok = true;

	*dst = *src;
	dst->qname = NULL;	/* dg_dns_query() sets it */
	dst->canonical = copy_str(alloc, ctx, src->canonical, &ok);
	dst->why = copy_str(alloc, ctx, src->why, &ok);
	if (src->count > 0 && (rrs = alloc(ctx, src->count *
	    sizeof(*rrs))) == NULL)
		return false;
	dst->rrs = rrs;
	for (i = 0; ok && i < src->count; i++) {
		const struct dg_dns_rr	*rr = &src->rrs[i];

		rrs[i] = *rr;
		switch (rr->type) {
		case DG_DNS_T_MX:
			rrs[i].u.mx.host = copy_str(alloc, ctx, rr->u.mx.host,
			    &ok);
			break;
		case DG_DNS_T_NS:
		case DG_DNS_T_CNAME:
		case DG_DNS_T_PTR:
			rrs[i].u.name = copy_str(alloc, ctx, rr->u.name, &ok);
			break;
		case DG_DNS_T_TXT:
		case DG_DNS_T_SPF:
			strs = rr->u.txt.count > 0 ? alloc(ctx,
			    rr->u.txt.count * sizeof(*strs)) : NULL;
			if (rr->u.txt.count > 0 && strs == NULL)
				return false;
			for (k = 0; k < rr->u.txt.count; k++) {
				/* character-strings may hold NUL bytes */
				p = alloc(ctx, rr->u.txt.strings[k].len + 1);
				if (p == NULL)
					return false;
				memcpy(p, rr->u.txt.strings[k].p,
				    rr->u.txt.strings[k].len + 1);
				strs[k].p = p;
				strs[k].len = rr->u.txt.strings[k].len;
			}
			rrs[i].u.txt.strings = strs;
			break;
		default:
			break;
		}
	}
	return ok;
}

/* ---- the cache ---- */

static int64_t
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static uint64_t
hash(const char *name, enum dg_dns_type type)
{
	uint64_t	h = 1469598103934665603ull ^ (uint64_t)type;

	while (*name != '\0')
		h = (h ^ (unsigned char)*name++) * 1099511628211ull;
	return h;
}

/* 1 + the calling thread's inner resolver index; 0: not chosen yet.
 * (One cache per process in practice; with several, a thread keeps the
 * index it got from the first.) */
static _Thread_local unsigned	inner_ix;

/* A live entry for name/type copied into out: true; false on a miss (or
 * when the copy ran out of memory: *err says which). */
static bool
cache_lookup(struct dg_audit_cache *c, const char *name,
    enum dg_dns_type type, struct dg_arena *a, struct dg_dns_answer *out,
    enum dg_err *err)
{
	struct slot	*s;
	uint64_t	 h = hash(name, type);
	bool		 hit = false, ok = true;

	*err = DG_OK;
	s = &c->slots[h & (c->nslots - 1)];
	pthread_mutex_lock(&c->mu);
	if (s->blob != NULL && s->hash == h && s->type == type &&
	    s->expires > now_s() && strcmp(s->name, name) == 0) {
		hit = true;
		ok = copy_answer(arena_alloc, a, s->ans, out);
		c->hits++;
	} else {
		c->misses++;
	}
	pthread_mutex_unlock(&c->mu);
	if (hit && !ok)
		*err = dg_arena_err(a);
	return hit;
}

/* Keep a definite answer for its TTL; failures are never kept, and not
 * being able to keep one is not an error. */
static void
cache_store(struct dg_audit_cache *c, const char *name,
    enum dg_dns_type type, const struct dg_dns_answer *ans)
{
	struct slot	*s, fresh;
	struct bump	 b;
	uint64_t	 h = hash(name, type);
	size_t		 size;
	bool		 ok = true;
	void		*old;

	if (ans->status != DG_DNS_OK && ans->status != DG_DNS_NXDOMAIN &&
	    ans->status != DG_DNS_NODATA)
		return;
	if (ans->ttl == 0)
		return;
	size = answer_size(ans, name);
	if (size > DG_AUDIT_CACHE_MAX_ANSWER)
		return;
	memset(&fresh, 0, sizeof(fresh));
	if ((fresh.blob = dg_malloc(size)) == NULL)
		return;
	b.base = fresh.blob;
	b.off = 0;
	b.cap = size;
	fresh.ans = bump_alloc(&b, sizeof(*fresh.ans));
	fresh.name = copy_str(bump_alloc, &b, name, &ok);
	if (fresh.ans == NULL || !ok || !copy_answer(bump_alloc, &b, ans,
	    fresh.ans)) {
		free(fresh.blob);
		return;
	}
	fresh.hash = h;
	fresh.type = type;
	fresh.expires = now_s() + (ans->ttl < DG_AUDIT_CACHE_MAX_TTL ?
	    ans->ttl : DG_AUDIT_CACHE_MAX_TTL);
	s = &c->slots[h & (c->nslots - 1)];
	pthread_mutex_lock(&c->mu);
	old = s->blob;
	*s = fresh;
	pthread_mutex_unlock(&c->mu);
	free(old);
}

/* Each thread keeps to one inner resolver (see the header). */
static struct dg_resolver *
cache_inner(struct dg_audit_cache *c)
{
	if (inner_ix == 0) {
		pthread_mutex_lock(&c->mu);
		inner_ix = ++c->threads;
		pthread_mutex_unlock(&c->mu);
	}
	return c->inner[(inner_ix - 1) % c->ninner];
}

static enum dg_err
cache_query(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct dg_audit_cache	*c = ctx;
	struct dg_dns_answer	 ans;
	enum dg_err		 err;

	if (cache_lookup(c, name, type, a, out, &err))
		return err;
	err = dg_dns_query(cache_inner(c), name, type, a, &ans);
	if (err != DG_OK)
		return err;
	*out = ans;
	out->qname = NULL;	/* dg_dns_query() sets it */
	cache_store(c, name, type, &ans);
	return DG_OK;
}

/* The misses of the batch go to the inner resolver as one batch. */
static enum dg_err
cache_query_many(void *ctx, const struct dg_dns_question *qs, size_t n,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct dg_audit_cache	*c = ctx;
	struct dg_dns_question	 mq[DG_DNS_MANY_MAX];
	struct dg_dns_answer	 ma[DG_DNS_MANY_MAX];
	size_t			 at[DG_DNS_MANY_MAX], i, nm = 0;
	enum dg_err		 err;

	for (i = 0; i < n; i++) {
		if (cache_lookup(c, qs[i].name, qs[i].type, a, &out[i], &err)) {
			if (err != DG_OK)
				return err;
			continue;
		}
		mq[nm] = qs[i];
		at[nm++] = i;
	}
	if (nm == 0)
		return DG_OK;
	if ((err = dg_dns_query_many(cache_inner(c), mq, nm, a, ma)) != DG_OK)
		return err;
	for (i = 0; i < nm; i++) {
		out[at[i]] = ma[i];
		out[at[i]].qname = NULL;
		cache_store(c, mq[i].name, mq[i].type, &ma[i]);
	}
	return DG_OK;
}

enum dg_err
dg_audit_cache_new(struct dg_resolver *const *inner, size_t ninner,
    size_t max_entries, struct dg_audit_cache **out)
{
	struct dg_audit_cache	*c;
	size_t			 n = 64, i;
	enum dg_err		 err;

	if (inner == NULL || out == NULL || ninner == 0 ||
	    ninner > DG_AUDIT_CACHE_MAX_INNER)
		return DG_EINVAL;
	for (i = 0; i < ninner; i++)
		if (inner[i] == NULL)
			return DG_EINVAL;
	if (max_entries == 0)
		max_entries = DG_AUDIT_CACHE_DEFAULT;
	if (max_entries > DG_AUDIT_CACHE_HARD)
		max_entries = DG_AUDIT_CACHE_HARD;
	while (n < max_entries)
		n *= 2;
	if ((c = dg_malloc(sizeof(*c))) == NULL)
		return DG_ENOMEM;
	memset(c, 0, sizeof(*c));
	for (i = 0; i < ninner; i++)
		c->inner[i] = inner[i];
	c->ninner = ninner;
	c->nslots = n;
	c->slots = dg_malloc(n * sizeof(*c->slots));
	if (c->slots == NULL) {
		free(c);
		return DG_ENOMEM;
	}
	memset(c->slots, 0, n * sizeof(*c->slots));
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c->slots);
		free(c);
		return DG_EINTERNAL;
	}
	if ((err = dg_resolver_custom_many(cache_query, cache_query_many, c,
	    &c->res)) != DG_OK) {
		pthread_mutex_destroy(&c->mu);
		free(c->slots);
		free(c);
		return err;
	}
	*out = c;
	return DG_OK;
}

struct dg_resolver *
dg_audit_cache_resolver(struct dg_audit_cache *c)
{
	return c != NULL ? c->res : NULL;
}

void
dg_audit_cache_stats(struct dg_audit_cache *c, uint64_t *hits,
    uint64_t *misses)
{
	pthread_mutex_lock(&c->mu);
	*hits = c->hits;
	*misses = c->misses;
	pthread_mutex_unlock(&c->mu);
}

void
dg_audit_cache_free(struct dg_audit_cache *c)
{
	size_t	i;

	if (c == NULL)
		return;
	dg_resolver_free(c->res);
	for (i = 0; i < c->nslots; i++)
		free(c->slots[i].blob);
	free(c->slots);
	pthread_mutex_destroy(&c->mu);
	free(c);
}
