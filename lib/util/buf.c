/*
 * lib/util/buf.c -- growable byte buffer with a ceiling and a sticky error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/buf.h>

#include "util/alloc.h"

void
dg_buf_init(struct dg_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max != 0 ? max : SIZE_MAX - 1;
}

void
dg_buf_free(struct dg_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
dg_buf_reset(struct dg_buf *b)
{
	b->len = 0;
	b->err = DG_OK;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for len more bytes plus the NUL. */
static bool
reserve(struct dg_buf *b, size_t len)
{
	size_t	 want, ncap;
	char	*n;

	if (b->err != DG_OK)
		return false;
	if (len > b->max || b->len > b->max - len) {
		b->err = DG_ETOOBIG;
		return false;
	}
	want = b->len + len + 1;
	if (want <= b->cap)
		return true;
	ncap = b->cap != 0 ? b->cap : 64;
	while (ncap < want)
		ncap = ncap > SIZE_MAX / 2 ? want : ncap * 2;
	n = dg_realloc(b->data, ncap);
	if (n == NULL) {
		b->err = DG_ENOMEM;
		return false;
	}
	b->data = n;
	b->cap = ncap;
	return true;
}

void
dg_buf_append(struct dg_buf *b, const void *p, size_t len)
{
	if (!reserve(b, len))
		return;
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
dg_buf_putc(struct dg_buf *b, char c)
{
	dg_buf_append(b, &c, 1);
}

void
dg_buf_puts(struct dg_buf *b, const char *s)
{
	dg_buf_append(b, s, strlen(s));
}

void
dg_buf_printf(struct dg_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (b->err == DG_OK)
			b->err = DG_EINVAL;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

enum dg_err
dg_buf_err(const struct dg_buf *b)
{
	return b->err;
}

const char *
dg_buf_str(const struct dg_buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *
dg_buf_steal(struct dg_buf *b, size_t *len)
{
	char	*d = b->data;

	if (d == NULL) {
		d = malloc(1);
		if (d != NULL)
			d[0] = '\0';
	}
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}
