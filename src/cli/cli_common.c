/*
 * src/cli/cli_common.c -- helpers every subcommand uses.
 */
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
