/*
 * lib/util/str.c -- ASCII string helpers that ignore the locale.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/str.h"

int
dg_strcaseeq(const char *a, const char *b)
{
	return dg_strcasecmp(a, b) == 0;
}

int
dg_strcasecmp(const char *a, const char *b)
{
	const unsigned char	*x = (const unsigned char *)a;
	const unsigned char	*y = (const unsigned char *)b;
	int			 d;

	for (;; x++, y++) {
		d = dg_tolower(*x) - dg_tolower(*y);
		if (d != 0 || *x == '\0')
			return d;
	}
}

int
dg_strncaseeq(const char *a, const char *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (dg_tolower((unsigned char)a[i]) !=
		    dg_tolower((unsigned char)b[i]))
			return 0;
		if (a[i] == '\0')
			return 1;
	}
	return 1;
}

bool
dg_memcaseeq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (dg_tolower((unsigned char)a[i]) !=
		    dg_tolower((unsigned char)b[i]))
			return false;
	return true;
}

bool
dg_ends_with_ci(const char *s, size_t len, const char *suffix)
{
	size_t	n = strlen(suffix);

	if (n > len)
		return false;
	return dg_memcaseeq(s + len - n, n, suffix, n);
}

void
dg_str_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)dg_tolower((unsigned char)*s);
}

size_t
dg_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t	n = strlen(src);

	if (cap > 0) {
		size_t	c = n < cap - 1 ? n : cap - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

char *
dg_fmt(char *dst, size_t cap, const char *fmt, ...)
{
	va_list	ap;

	if (cap == 0)
		return dst;
	va_start(ap, fmt);
	if (vsnprintf(dst, cap, fmt, ap) < 0)
		dst[0] = '\0';
	va_end(ap);
	return dst;
}

bool
dg_parse_uint(const char *p, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned	d;

		if (!dg_isdigit((unsigned char)p[i]))
			return false;
		d = (unsigned)(p[i] - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}
