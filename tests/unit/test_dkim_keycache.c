/*
 * tests/unit/test_dkim_keycache.c -- the shared key cache: TTL expiry on
 * an injected clock, TTL 0 and the one-day cap, the entry bound with LRU
 * eviction, replacement, references outliving eviction, and four threads
 * hammering one cache.
 */
#include "testutil.h"

#include <pthread.h>

#include <dmarcguard/dkim.h>

#include "dkim/dkim_int.h"
#include "util/alloc.h"

static uint64_t	fake_now = 1000;

static uint64_t
fake_clock(void *ctx)
{
	(void)ctx;
	return __atomic_load_n(&fake_now, __ATOMIC_RELAXED);
}

static char	*pub;

static int
setup(void **state)
{
	size_t	n;

	(void)state;
	if ((pub = test_read_file("data/dkim/ed25519.pub", &n)) == NULL)
		return -1;
	while (n > 0 && (pub[n - 1] == '\n' || pub[n - 1] == '\r'))
		pub[--n] = '\0';
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(pub);
	return 0;
}

static struct dg_dkim_key *
new_key(void)
{
	struct dg_dkim_keyrec	 rec;
	struct dg_dkim_key	*k = NULL;
	enum dg_dkim_reason	 r;
	char			 txt[256];

	snprintf(txt, sizeof(txt), "k=ed25519; p=%s", pub);
	assert_int_equal(dg_dkim_key_parse(txt, strlen(txt), &rec, &r, NULL,
	    0), DG_OK);
	assert_int_equal(dg_dkim_key_new(&rec, &k, &r), DG_OK);
	return k;
}

static bool
cached(struct dg_dkim_keycache *kc, const char *name)
{
	struct dg_dkim_key	*k = dg_dkim_keycache_get(kc, name);

	dg_dkim_key_unref(k);
	return k != NULL;
}

static void
test_ttl(void **state)
{
	struct dg_dkim_keycache		*kc;
	struct dg_dkim_keycache_stats	 st;
	struct dg_dkim_key		*k = new_key();

	(void)state;
	assert_int_equal(dg_dkim_keycache_new(16, &kc), DG_OK);
	dg_dkim_keycache_set_clock(kc, fake_clock, NULL);
	fake_now = 1000;
	assert_int_equal(dg_dkim_keycache_put(kc, "a", k, 10), DG_OK);
	assert_int_equal(dg_dkim_keycache_put(kc, "zero", k, 0), DG_OK);
	assert_int_equal(dg_dkim_keycache_put(kc, "long", k, 1000000), DG_OK);
	CHECK_INT("fresh", cached(kc, "a"), 1);
	CHECK_INT("ttl 0 not cached", cached(kc, "zero"), 0);
	fake_now = 1009;
	CHECK_INT("before ttl", cached(kc, "a"), 1);
	fake_now = 1010;
	CHECK_INT("at ttl", cached(kc, "a"), 0);
	CHECK_INT("long still", cached(kc, "long"), 1);
	fake_now = 1000 + 86399;
	CHECK_INT("capped ttl before", cached(kc, "long"), 1);
	fake_now = 1000 + 86400;
	CHECK_INT("capped ttl at a day", cached(kc, "long"), 0);
	dg_dkim_keycache_stats(kc, &st);
	CHECK_INT("stats entries", st.entries, 0);
	CHECK_INT("stats expired", st.expired, 2);
	CHECK_INT("stats hits", st.hits, 4);
	CHECK_INT("stats misses", st.misses, 3);
	CHECK_INT("stats inserts", st.inserts, 2);

	/* A newer answer replaces the entry and its TTL. */
	fake_now = 5000;
	assert_int_equal(dg_dkim_keycache_put(kc, "r", k, 5), DG_OK);
	assert_int_equal(dg_dkim_keycache_put(kc, "r", k, 50), DG_OK);
	fake_now = 5010;
	CHECK_INT("replaced ttl", cached(kc, "r"), 1);
	dg_dkim_keycache_stats(kc, &st);
	CHECK_INT("replaced entries", st.entries, 1);
	dg_dkim_keycache_free(kc);
	CHECK_INT("refs after free", k->refs, 1);
	dg_dkim_key_unref(k);
}

static void
test_bound(void **state)
{
	struct dg_dkim_keycache		*kc;
	struct dg_dkim_keycache_stats	 st;
	struct dg_dkim_key		*k = new_key(), *held;

	(void)state;
	assert_int_equal(dg_dkim_keycache_new(4, &kc), DG_OK);
	dg_dkim_keycache_set_clock(kc, fake_clock, NULL);
	fake_now = 1000;
	assert_int_equal(dg_dkim_keycache_put(kc, "a", k, 100), DG_OK);
	assert_int_equal(dg_dkim_keycache_put(kc, "b", k, 100), DG_OK);
	assert_int_equal(dg_dkim_keycache_put(kc, "c", k, 100), DG_OK);
	assert_int_equal(dg_dkim_keycache_put(kc, "d", k, 100), DG_OK);
	CHECK_INT("touch a", cached(kc, "a"), 1);	/* b is now oldest */
	held = dg_dkim_keycache_get(kc, "b");		/* ... not any more */
	assert_non_null(held);
	assert_int_equal(dg_dkim_keycache_put(kc, "e", k, 100), DG_OK);
	CHECK_INT("lru c evicted", cached(kc, "c"), 0);
	CHECK_INT("a kept", cached(kc, "a"), 1);
	CHECK_INT("b kept", cached(kc, "b"), 1);
	assert_int_equal(dg_dkim_keycache_put(kc, "f", k, 100), DG_OK);
	assert_int_equal(dg_dkim_keycache_put(kc, "g", k, 100), DG_OK);
	dg_dkim_keycache_stats(kc, &st);
	CHECK_INT("bound entries", st.entries, 4);
	CHECK_INT("bound evictions", st.evictions, 3);
	dg_dkim_keycache_free(kc);
	/* The held reference outlives the cache. */
	CHECK_INT("held refs", held->refs, 2);	/* k and held: one key */
	dg_dkim_key_unref(held);
	CHECK_INT("own ref", k->refs, 1);
	dg_dkim_key_unref(k);

	/* 0 means the default; a huge request is held to the hard cap. */
	assert_int_equal(dg_dkim_keycache_new(0, &kc), DG_OK);
	dg_dkim_keycache_free(kc);
	assert_int_equal(dg_dkim_keycache_new(0, NULL), DG_EINVAL);
	dg_dkim_keycache_free(NULL);
}

struct worker {
	struct dg_dkim_keycache	*kc;
	struct dg_dkim_key	*k;
	unsigned		 id;
	unsigned long		 gets;
};

static void *
work(void *arg)
{
	struct worker	*w = arg;
	unsigned	 i;
	char		 name[40];
	uint32_t	 rnd = 12345u + w->id;

	for (i = 0; i < 20000; i++) {
		struct dg_dkim_key	*got;
		unsigned		 pick;

		/* A hot set of 6 names (hits) and a cold set of 16 that
		 * forces evictions from the 8-entry cache. */
		rnd = rnd * 1103515245u + 12345u;
		pick = (rnd >> 16) % 4 == 0 ? 6 + (rnd >> 8) % 16 :
		    (rnd >> 8) % 6;
		snprintf(name, sizeof(name), "s%u._domainkey.example", pick);
		got = dg_dkim_keycache_get(w->kc, name);
		w->gets++;
		if (got == NULL) {
			if (dg_dkim_keycache_put(w->kc, name, w->k, 1 + i %
			    5) != DG_OK)
				abort();
		} else if (got->type != DG_DKIM_KEY_ED25519) {
			abort();
		}
		dg_dkim_key_unref(got);
		if (i % 1000 == 0)
			__atomic_add_fetch(&fake_now, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void
test_threads(void **state)
{
	struct dg_dkim_keycache		*kc;
	struct dg_dkim_keycache_stats	 st;
	struct worker			 w[4];
	pthread_t			 th[4];
	struct dg_dkim_key		*k = new_key();
	unsigned long			 gets = 0;
	unsigned			 i;

	(void)state;
	assert_int_equal(dg_dkim_keycache_new(8, &kc), DG_OK);
	dg_dkim_keycache_set_clock(kc, fake_clock, NULL);
	for (i = 0; i < 4; i++) {
		w[i].kc = kc;
		w[i].k = k;
		w[i].id = i;
		w[i].gets = 0;
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		gets += w[i].gets;
	}
	dg_dkim_keycache_stats(kc, &st);
	CHECK_INT("threads gets", st.hits + st.misses, gets);
	if (st.entries > 8)
		fail_msg("threads: %zu entries over the bound", st.entries);
	if (st.hits == 0 || st.evictions == 0)
		fail_msg("threads: hits %llu evictions %llu, want both",
		    (unsigned long long)st.hits,
		    (unsigned long long)st.evictions);
	dg_dkim_keycache_free(kc);
	CHECK_INT("threads refs", k->refs, 1);
	dg_dkim_key_unref(k);
}

/* Allocation failures: DG_ENOMEM, nothing cached, nothing leaked. */
static void
test_enomem(void **state)
{
	struct dg_dkim_key	*k = new_key();
	unsigned long		 n;
	int			 done = 0;

	(void)state;
	for (n = 1; n < 100 && !done; n++) {
		struct dg_dkim_keycache	*kc = NULL;
		enum dg_err		 err;

		dg_alloc_fail_after(n);
		err = dg_dkim_keycache_new(4, &kc);
		if (err == DG_OK)
			err = dg_dkim_keycache_put(kc, "a", k, 10);
		if (!dg_alloc_failed()) {
			assert_int_equal(err, DG_OK);
			done = 1;
		} else {
			CHECK_INT("enomem err", err, DG_ENOMEM);
		}
		dg_alloc_fail_after(0);
		if (kc != NULL)
			CHECK_INT("enomem cached", cached(kc, "a"), done);
		dg_dkim_keycache_free(kc);
	}
	assert_true(done);
	CHECK_INT("enomem refs", k->refs, 1);
	dg_dkim_key_unref(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ttl),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
