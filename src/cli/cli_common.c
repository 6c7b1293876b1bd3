/*
 * src/cli/cli_common.c -- helpers every subcommand uses.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

bool
cli_format_parse(const char *s, bool allow_csv, enum cli_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = CLI_FMT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = CLI_FMT_JSON;
	else if (allow_csv && strcmp(s, "csv") == 0)
		*out = CLI_FMT_CSV;
	else
		return false;
	return true;
}

int
cli_error(const char *cmd, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "dmarcguard %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "dmarcguard %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'dmarcguard %s --help'.\n", cmd);
	return 2;
}

bool
cli_use_color(FILE *fp)
{
	const char	*nc = getenv("NO_COLOR");

	if (nc != NULL && nc[0] != '\0')
		return false;
	return isatty(fileno(fp)) != 0;
}

/* $DMARCGUARD_DATADIR, then next to the binary (<prefix>/bin ->
 * <prefix>/share/dmarcguard; <src>/build -> <src>/data). */
FILE *
cli_data_open(const char *file, char *path, size_t cap)
{
	static const char	*rel[] = {
		"../share/dmarcguard/", "../data/", "../../data/"
	};
	const char		*env = getenv("DMARCGUARD_DATADIR");
	char			 exe[PATH_MAX], *slash;
	ssize_t			 n;
	size_t			 i;
	FILE			*fp;

	if (env != NULL && env[0] != '\0') {
		snprintf(path, cap, "%s/%s", env, file);
		if ((fp = fopen(path, "r")) != NULL)
			return fp;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	slash[1] = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, cap, "%s%s%s", exe, rel[i], file);
		if ((fp = fopen(path, "r")) != NULL)
			return fp;
	}
	return NULL;
}

/*
 * Where the header section ends in p[0..len): the offset just past the
 * empty line, or 0 when it is not there yet.  *scan is where the next
 * call resumes (always at a line start).
 */
size_t
cli_header_end(const char *p, size_t len, size_t *scan)
{
	size_t	i = *scan;

	while (i < len) {
		/* i is at the start of a line. */
		if (p[i] == '\n')
			return i + 1;
		if (p[i] == '\r') {
			if (i + 1 == len)
				break;		/* CR at the end: need more */
			if (p[i + 1] == '\n')
				return i + 2;
		}
		while (i < len && p[i] != '\n')
			i++;
		if (i == len)
			break;			/* an unfinished line */
		i++;
		*scan = i;
	}
	return 0;
}
