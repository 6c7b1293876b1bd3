/*
 * lib/util/alloc.h -- the library's malloc, with a test hook that fails
 * the Nth allocation so parser tests can prove every ENOMEM path is clean.
 */
#ifndef DG_UTIL_ALLOC_H
#define DG_UTIL_ALLOC_H

#include <stddef.h>

void	*dg_malloc(size_t size);
void	*dg_realloc(void *p, size_t size);
/* Fail the nth call from now (1 = the next one); 0 disables.  Tests only;
 * not thread-safe. */
void	 dg_alloc_fail_after(unsigned long n);
/* Has the armed failure fired since the last dg_alloc_fail_after()? */
int	 dg_alloc_failed(void);

#endif /* DG_UTIL_ALLOC_H */
