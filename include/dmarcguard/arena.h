/*
 * include/dmarcguard/arena.h -- region allocator with a byte ceiling.
 *
 * One arena per unit of work (a message, a domain, a DNS answer): parse
 * results and scratch strings come from it and are freed together.  Going
 * over the ceiling fails the allocation, which callers report as
 * DG_ETOOBIG.  An arena is not thread-safe; use one per thread.
 */
#ifndef DMARCGUARD_ARENA_H
#define DMARCGUARD_ARENA_H

#include <dmarcguard/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dg_arena;

/* max_bytes 0 means DG_ARENA_DEFAULT_MAX (limits.h).  NULL on OOM. */
DG_API struct dg_arena	*dg_arena_new(size_t max_bytes);
/* Frees every allocation at once.  NULL does nothing. */
DG_API void		 dg_arena_free(struct dg_arena *a);
/* Forget all allocations but keep the first block for reuse. */
DG_API void		 dg_arena_reset(struct dg_arena *a);

/*
 * 16-byte aligned zeroed memory, or NULL when out of memory or over the
 * ceiling; dg_arena_over_limit() tells which.
 */
DG_API void		*dg_arena_alloc(struct dg_arena *a, size_t size);
DG_API void		*dg_arena_calloc(struct dg_arena *a, size_t n,
			    size_t size);
/* A NUL-terminated copy of p[0..len). */
DG_API char		*dg_arena_strndup(struct dg_arena *a, const char *p,
			    size_t len);
DG_API char		*dg_arena_strdup(struct dg_arena *a, const char *s);
DG_API char		*dg_arena_printf(struct dg_arena *a, const char *fmt,
			    ...) DG_PRINTF(2, 3);

/* Bytes handed out so far, and whether an allocation hit the ceiling. */
DG_API size_t		 dg_arena_used(const struct dg_arena *a);
DG_API bool		 dg_arena_over_limit(const struct dg_arena *a);
/* DG_ETOOBIG if the ceiling was hit, else DG_ENOMEM: for a NULL return. */
DG_API enum dg_err	 dg_arena_err(const struct dg_arena *a);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_ARENA_H */
