/*
 * tests/unit/testutil.h -- helpers for table-driven cmocka tests: failures
 * print the row's name with got/want.
 */
#ifndef DG_TESTUTIL_H
#define DG_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define CHECK_STR(row, got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if ((g_ == NULL) != (w_ == NULL) ||				\
	    (g_ != NULL && strcmp(g_, w_) != 0))			\
		fail_msg("%s: %s: got \"%s\", want \"%s\"", (row), #got,	\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

#define CHECK_INT(row, got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (g_ != w_)							\
		fail_msg("%s: %s: got %lld, want %lld", (row), #got,	\
		    g_, w_);						\
} while (0)

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Read a whole file (tests/ relative paths work: ctest runs in tests/). */
static inline char *
test_read_file(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (len != NULL)
		*len = 0;
	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[n] = '\0';
	fclose(fp);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

#endif /* DG_TESTUTIL_H */
