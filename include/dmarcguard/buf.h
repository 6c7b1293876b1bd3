/*
 * include/dmarcguard/buf.h -- growable byte buffer with a fixed maximum.
 *
 * Appends check for overflow before growing.  A failed append puts the
 * buffer in an error state that later appends keep; the caller checks
 * dg_buf_err() once at the end.  The data is always NUL-terminated.
 */
#ifndef DMARCGUARD_BUF_H
#define DMARCGUARD_BUF_H

#include <dmarcguard/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dg_buf {
	char		*data;	/* NUL-terminated; NULL until first append */
	size_t		 len;	/* bytes, NUL excluded */
	size_t		 cap;	/* allocated bytes */
	size_t		 max;	/* ceiling on len */
	enum dg_err	 err;	/* sticky: first failure */
};

/* max 0 means no ceiling other than SIZE_MAX. */
DG_API void		 dg_buf_init(struct dg_buf *b, size_t max);
DG_API void		 dg_buf_free(struct dg_buf *b);
DG_API void		 dg_buf_reset(struct dg_buf *b);
DG_API void		 dg_buf_append(struct dg_buf *b, const void *p,
			    size_t len);
DG_API void		 dg_buf_putc(struct dg_buf *b, char c);
DG_API void		 dg_buf_puts(struct dg_buf *b, const char *s);
DG_API void		 dg_buf_printf(struct dg_buf *b, const char *fmt,
			    ...) DG_PRINTF(2, 3);
DG_API enum dg_err	 dg_buf_err(const struct dg_buf *b);
/* The data as a C string ("" when empty); borrowed. */
DG_API const char	*dg_buf_str(const struct dg_buf *b);
/* Hand the malloc'd data to the caller (free() it) and reset b. */
DG_API char		*dg_buf_steal(struct dg_buf *b, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_BUF_H */
