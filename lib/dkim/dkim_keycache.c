/*
 * lib/dkim/dkim_keycache.c -- parsed DKIM public keys shared between
 * messages and threads: a hash table of selector._domainkey.domain names
 * with a least-recently-used list, bounded in entries, each entry kept no
 * longer than its DNS TTL (capped at DG_DKIM_KEYCACHE_MAX_TTL).  One mutex
 * guards everything; a hit hands out a new reference to the key, so an
 * entry evicted while a verifier still uses its key stays alive until
 * that verifier lets go.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dkim/dkim_int.h"
#include "util/alloc.h"

struct kc_entry {
	struct kc_entry		*next;		/* hash chain */
	struct kc_entry		*lru_prev, *lru_next;
	struct dg_dkim_key	*key;
	uint64_t		 expires;
	uint32_t		 hash;
	char			 name[DG_DNS_NAME_MAX + 1];
};

struct dg_dkim_keycache {
	pthread_mutex_t		 mu;
	struct kc_entry		**buckets;
	size_t			 nbuckets;
	size_t			 max, count;
	struct kc_entry		*lru_head, *lru_tail;	/* head: newest */
	dg_dkim_clock_fn	 clock;
	void			*clock_ctx;
	struct dg_dkim_keycache_stats stats;
};

static uint64_t
now_of(const struct dg_dkim_keycache *kc)
{
	if (kc->clock != NULL)
		return kc->clock(kc->clock_ctx);
	return (uint64_t)time(NULL);
}

/* FNV-1a */
static uint32_t
hash_name(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

enum dg_err
dg_dkim_keycache_new(size_t max_entries, struct dg_dkim_keycache **out)
{
	struct dg_dkim_keycache	*kc;
	size_t			 nb = 16;

	if (out == NULL)
		return DG_EINVAL;
	if (max_entries == 0)
		max_entries = DG_DKIM_KEYCACHE_DEFAULT;
	if (max_entries > DG_DKIM_KEYCACHE_HARD)
		max_entries = DG_DKIM_KEYCACHE_HARD;
	while (nb < max_entries)
		nb *= 2;
	if ((kc = dg_malloc(sizeof(*kc))) == NULL)
		return DG_ENOMEM;
	memset(kc, 0, sizeof(*kc));
	if ((kc->buckets = dg_malloc(nb * sizeof(*kc->buckets))) == NULL) {
		free(kc);
		return DG_ENOMEM;
	}
	memset(kc->buckets, 0, nb * sizeof(*kc->buckets));
	if (pthread_mutex_init(&kc->mu, NULL) != 0) {
		free(kc->buckets);
		free(kc);
		return DG_EINTERNAL;
	}
	kc->nbuckets = nb;
	kc->max = max_entries;
	*out = kc;
	return DG_OK;
}

static void
lru_unlink(struct dg_dkim_keycache *kc, struct kc_entry *e)
{
	if (e->lru_prev != NULL)
		e->lru_prev->lru_next = e->lru_next;
	else
		kc->lru_head = e->lru_next;
	if (e->lru_next != NULL)
		e->lru_next->lru_prev = e->lru_prev;
	else
		kc->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void
lru_push(struct dg_dkim_keycache *kc, struct kc_entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = kc->lru_head;
	if (kc->lru_head != NULL)
		kc->lru_head->lru_prev = e;
	kc->lru_head = e;
	if (kc->lru_tail == NULL)
		kc->lru_tail = e;
}

/* Take e out of the table and free it (its key lives on while
 * referenced). */
static void
drop(struct dg_dkim_keycache *kc, struct kc_entry *e)
{
	struct kc_entry	**pp = &kc->buckets[e->hash & (kc->nbuckets - 1)];

	while (*pp != NULL && *pp != e)
		pp = &(*pp)->next;
	if (*pp == e)
		*pp = e->next;
	lru_unlink(kc, e);
	dg_dkim_key_unref(e->key);
	free(e);
	kc->count--;
}

static struct kc_entry *
find(struct dg_dkim_keycache *kc, const char *name, uint32_t h)
{
	struct kc_entry	*e;

	for (e = kc->buckets[h & (kc->nbuckets - 1)]; e != NULL; e = e->next)
		if (e->hash == h && strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

struct dg_dkim_key *
dg_dkim_keycache_get(struct dg_dkim_keycache *kc, const char *name)
{
	struct kc_entry		*e;
	struct dg_dkim_key	*k = NULL;
	uint32_t		 h = hash_name(name);
	uint64_t		 now;

	pthread_mutex_lock(&kc->mu);
	now = now_of(kc);
	e = find(kc, name, h);
	if (e != NULL && now >= e->expires) {
		drop(kc, e);
		kc->stats.expired++;
		e = NULL;
	}
	if (e != NULL) {
		lru_unlink(kc, e);
		lru_push(kc, e);
		k = e->key;
		dg_dkim_key_ref(k);
		kc->stats.hits++;
	} else {
		kc->stats.misses++;
	}
	pthread_mutex_unlock(&kc->mu);
	return k;
}

enum dg_err
dg_dkim_keycache_put(struct dg_dkim_keycache *kc, const char *name,
    struct dg_dkim_key *k, uint32_t ttl)
{
	struct kc_entry	*e;
	uint32_t	 h;
	uint64_t	 now;

	if (kc == NULL || name == NULL || k == NULL ||
	    strlen(name) > DG_DNS_NAME_MAX)
		return DG_EINVAL;
	if (ttl == 0)
		return DG_OK;	/* the record says: do not cache */
	if (ttl > DG_DKIM_KEYCACHE_MAX_TTL)
		ttl = DG_DKIM_KEYCACHE_MAX_TTL;
	if ((e = dg_malloc(sizeof(*e))) == NULL)
		return DG_ENOMEM;
	memset(e, 0, sizeof(*e));
	h = hash_name(name);
	e->hash = h;
	dg_strlcpy(e->name, name, sizeof(e->name));
	dg_dkim_key_ref(k);
	e->key = k;

	pthread_mutex_lock(&kc->mu);
	now = now_of(kc);
	e->expires = now + ttl;
	{
		struct kc_entry	*old = find(kc, name, h);

		if (old != NULL)
			drop(kc, old);	/* replaced by the newer answer */
	}
	/* Make room: expired entries from the old end first, then the
	 * least recently used. */
	while (kc->count >= kc->max && kc->lru_tail != NULL) {
		struct kc_entry	*victim = kc->lru_tail;

		if (now >= victim->expires)
			kc->stats.expired++;
		else
			kc->stats.evictions++;
		drop(kc, victim);
	}
	e->next = kc->buckets[h & (kc->nbuckets - 1)];
	kc->buckets[h & (kc->nbuckets - 1)] = e;
	lru_push(kc, e);
	kc->count++;
	kc->stats.inserts++;
	pthread_mutex_unlock(&kc->mu);
	return DG_OK;
}

void
dg_dkim_keycache_free(struct dg_dkim_keycache *kc)
{
	if (kc == NULL)
		return;
	while (kc->lru_head != NULL)
		drop(kc, kc->lru_head);
	pthread_mutex_destroy(&kc->mu);
	free(kc->buckets);
	free(kc);
}

void
dg_dkim_keycache_set_clock(struct dg_dkim_keycache *kc, dg_dkim_clock_fn fn,
    void *ctx)
{
	if (kc == NULL)
		return;
	pthread_mutex_lock(&kc->mu);
	kc->clock = fn;
	kc->clock_ctx = ctx;
	pthread_mutex_unlock(&kc->mu);
}

void
dg_dkim_keycache_stats(struct dg_dkim_keycache *kc,
    struct dg_dkim_keycache_stats *out)
{
	if (kc == NULL || out == NULL)
		return;
	pthread_mutex_lock(&kc->mu);
	*out = kc->stats;
	out->entries = kc->count;
	pthread_mutex_unlock(&kc->mu);
}
