/*
 * lib/util/str.h -- locale-free ASCII helpers and spans for the library.
 * <ctype.h> depends on the locale and misbehaves on negative chars; these
 * take any byte.
 */
#ifndef DG_UTIL_STR_H
#define DG_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dg_span {
	const char	*p;
	size_t		 len;
};

static inline bool
dg_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
dg_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool
dg_isalnum(int c)
{
	return dg_isalpha(c) || dg_isdigit(c);
}

static inline bool
dg_isxdigit(int c)
{
	return dg_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 5234 WSP: space and horizontal tab. */
static inline bool
dg_iswsp(int c)
{
	return c == ' ' || c == '\t';
}

static inline int
dg_tolower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static inline int
dg_toupper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
}

/* Case-insensitive ASCII comparisons; strcasecmp follows the locale. */
int	dg_strcaseeq(const char *a, const char *b);
int	dg_strncaseeq(const char *a, const char *b, size_t n);
bool	dg_memcaseeq(const char *a, size_t alen, const char *b, size_t blen);
int	dg_strcasecmp(const char *a, const char *b);
/* Does s[0..len) end with suffix (case-insensitively)? */
bool	dg_ends_with_ci(const char *s, size_t len, const char *suffix);
/* Lower-case s in place (ASCII only). */
void	dg_str_lower(char *s);
/* Copy src into dst[0..cap) always NUL-terminating; returns strlen(src). */
size_t	dg_strlcpy(char *dst, const char *src, size_t cap);
/* snprintf that never overflows and tolerates truncation; returns dst. */
char	*dg_fmt(char *dst, size_t cap, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Parse an unsigned decimal in [0, max]; false on junk or overflow. */
bool	dg_parse_uint(const char *p, size_t len, uint64_t max, uint64_t *out);

#endif /* DG_UTIL_STR_H */
