/*
 * lib/util/arena.c -- region allocator with a byte ceiling.
 *
 * Blocks are malloc'd and chained; large requests get a block of their
 * own.  The ceiling counts bytes handed out plus block overhead, so a
 * hostile input cannot make one unit of work take more than its share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>

#include "util/limits.h"
#include "util/alloc.h"

#define ALIGN		16u

struct block {
	struct block	*next;
	size_t		 cap;
	size_t		 used;
	/* data follows, aligned */
	max_align_t	 data[];
};

struct dg_arena {
	struct block	*head;
	size_t		 max;
	size_t		 total;		/* bytes reserved, incl. headers */
	size_t		 used;		/* bytes handed out */
	bool		 over;
};

struct dg_arena *
dg_arena_new(size_t max_bytes)
{
	struct dg_arena	*a;

	a = dg_malloc(sizeof(*a));
	if (a == NULL)
		return NULL;
	memset(a, 0, sizeof(*a));
	a->max = max_bytes != 0 ? max_bytes : DG_ARENA_DEFAULT_MAX;
	return a;
}

static void
free_blocks(struct block *b)
{
	while (b != NULL) {
		struct block	*n = b->next;

		free(b);
		b = n;
	}
}

void
dg_arena_free(struct dg_arena *a)
{
	if (a == NULL)
		return;
	free_blocks(a->head);
	free(a);
}

void
dg_arena_reset(struct dg_arena *a)
{
	struct block	*keep;

	if (a == NULL || a->head == NULL)
		return;
	/* Keep the oldest block (the last in the chain). */
	keep = a->head;
	while (keep->next != NULL) {
		struct block	*n = keep->next;

		a->head = n;
		free(keep);
		keep = n;
	}
	keep->used = 0;
	a->head = keep;
	a->total = sizeof(*keep) + keep->cap;
	a->used = 0;
	a->over = false;
}

void *
dg_arena_alloc(struct dg_arena *a, size_t size)
{
	struct block	*b;
	size_t		 need, bcap;
	void		*p;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ALIGN)
		goto over;
	need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);

	b = a->head;
	if (b == NULL || b->cap - b->used < need) {
		bcap = need > DG_ARENA_BLOCK ? need : DG_ARENA_BLOCK;
		if (a->total + sizeof(*b) + bcap > a->max ||
		    a->total + sizeof(*b) + bcap < a->total) {
			/* A smaller block might still fit a small request. */
			bcap = need;
			if (a->total + sizeof(*b) + bcap > a->max ||
			    a->total + sizeof(*b) + bcap < a->total)
				goto over;
		}
		b = dg_malloc(sizeof(*b) + bcap);
		if (b == NULL)
			return NULL;
		b->cap = bcap;
		b->used = 0;
		/* Keep a partly used head in front when the new block is a
		 * one-off large one, so small allocations continue there. */
		if (a->head != NULL && need > DG_ARENA_BLOCK &&
		    a->head->cap - a->head->used > 256) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		a->total += sizeof(*b) + bcap;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	a->used += need;
	memset(p, 0, size);
	return p;
over:
	a->over = true;
	return NULL;
}

void *
dg_arena_calloc(struct dg_arena *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		a->over = true;
		return NULL;
	}
	return dg_arena_alloc(a, n * size);
}

char *
dg_arena_strndup(struct dg_arena *a, const char *p, size_t len)
{
	char	*s;

	if (len == SIZE_MAX)
		return NULL;
	s = dg_arena_alloc(a, len + 1);
	if (s == NULL)
		return NULL;
	if (len > 0)
		memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

char *
dg_arena_strdup(struct dg_arena *a, const char *s)
{
	return dg_arena_strndup(a, s, strlen(s));
}

char *
dg_arena_printf(struct dg_arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = dg_arena_alloc(a, (size_t)n + 1);
	if (s == NULL)
		return NULL;
	va_start(ap, fmt);
	(void)vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

size_t
dg_arena_used(const struct dg_arena *a)
{
	return a->used;
}

bool
dg_arena_over_limit(const struct dg_arena *a)
{
	return a->over;
}

enum dg_err
dg_arena_err(const struct dg_arena *a)
{
	return a->over ? DG_ETOOBIG : DG_ENOMEM;
}
