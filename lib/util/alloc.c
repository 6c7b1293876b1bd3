/*
 * lib/util/alloc.c -- malloc wrappers with a fail-the-Nth hook for tests.
 */
#include <stdlib.h>

#include "util/alloc.h"

static unsigned long	fail_countdown;
static int		fail_fired;

static int
should_fail(void)
{
	if (fail_countdown == 0)
		return 0;
	if (--fail_countdown == 0) {
		fail_fired = 1;
		return 1;
	}
	return 0;
}

void *
dg_malloc(size_t size)
{
	if (should_fail())
		return NULL;
	return malloc(size);
}

void *
dg_realloc(void *p, size_t size)
{
	if (should_fail())
		return NULL;
	return realloc(p, size);
}

void
dg_alloc_fail_after(unsigned long n)
{
	fail_countdown = n;
	fail_fired = 0;
}

int
dg_alloc_failed(void)
{
	return fail_fired;
}
