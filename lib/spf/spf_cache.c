/*
 * lib/spf/spf_cache.c -- parsed records shared by the evaluations of one
 * dg_spf_check_many() call.
 *
 * Parsing a record is the largest single cost of an evaluation (a large
 * provider's netblock record is a dozen ip4/ip6 terms), and a batch of
 * queries fetches the same few records over and over.  The cache maps a
 * record's exact text to its parsed terms, kept in the cache's own arena
 * with a copy of the text the term spans point into.  It lives for one
 * call and is used by one thread, so the library still keeps no state
 * between calls.  Only records that parse are kept (a syntax error is
 * reported by parsing again, as without the cache); when the table or
 * its arena is full, records are parsed in the evaluation's arena as
 * dg_spf_check() does.  Both bounds are in lib/util/limits.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spf/spf_int.h"
#include "util/alloc.h"
#include "util/limits.h"

#define PCACHE_SLOTS	(2 * DG_SPF_PARSE_CACHE_MAX)	/* power of 2 */

_Static_assert((PCACHE_SLOTS & (PCACHE_SLOTS - 1)) == 0,
    "parse cache slots must be a power of two");

struct pentry {
	uint64_t		 hash;
	const char		*text;		/* NULL: free slot */
	size_t			 len;
	struct spf_record	 rec;
};

struct spf_pcache {
	struct dg_arena	*a;
	size_t		 n;
	bool		 full;
	struct pentry	 slot[PCACHE_SLOTS];
};

struct spf_pcache *
spf_pcache_new(void)
{
	struct spf_pcache	*c;

	c = dg_malloc(sizeof(*c));
	if (c == NULL)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->a = dg_arena_new(DG_SPF_PARSE_CACHE_BYTES);
	if (c->a == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
spf_pcache_free(struct spf_pcache *c)
{
	if (c == NULL)
		return;
	dg_arena_free(c->a);
	free(c);
}

/*
 * A 64-bit hash of the record text, eight bytes at a time (FNV-1a's
 * constants over words, a final mix).  Equality is checked with memcmp,
 * so a collision only costs a probe.
 */
static uint64_t
hash_bytes(const char *p, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ull ^ len, w;
	size_t		i = 0;

	for (; len - i >= 8; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	return h ^ (h >> 32);
}

enum dg_err
spf_pcache_parse(struct spf_pcache *c, struct dg_arena *a, const char *p,
    size_t len, struct spf_record *out, struct dg_spf_syntax *syn)
{
	struct pentry	*e;
	uint64_t	 h;
	size_t		 i;
	char		*copy;
	enum dg_err	 err;

	if (c == NULL || c->full)
		return spf_record_parse(a, p, len, out, syn);
	h = hash_bytes(p, len);
	/* Linear probing; the table is never more than half full, so a
	 * free slot ends every probe. */
	for (i = (size_t)h & (PCACHE_SLOTS - 1); c->slot[i].text != NULL;
	    i = (i + 1) & (PCACHE_SLOTS - 1)) {
		e = &c->slot[i];
		if (e->hash == h && e->len == len &&
		    memcmp(e->text, p, len) == 0) {
			memset(syn, 0, sizeof(*syn));
			syn->ok = true;
			syn->terms = e->rec.nterms;
			*out = e->rec;
			return DG_OK;
		}
	}
	if (c->n >= DG_SPF_PARSE_CACHE_MAX)
		return spf_record_parse(a, p, len, out, syn);
	copy = dg_arena_alloc(c->a, len + 1);
	if (copy == NULL) {
		c->full = true;
		return spf_record_parse(a, p, len, out, syn);
	}
	memcpy(copy, p, len);
	err = spf_record_parse(c->a, copy, len, out, syn);
	if (err == DG_ENOMEM || err == DG_ETOOBIG) {
		c->full = true;
		return spf_record_parse(a, p, len, out, syn);
	}
	if (err != DG_OK)
		return err;	/* DG_ESYNTAX: syn says where */
	e = &c->slot[i];
	e->hash = h;
	e->text = copy;
	e->len = len;
	e->rec = *out;
	/* redirect and exp point into the terms, which stay put. */
	c->n++;
	return DG_OK;
}
