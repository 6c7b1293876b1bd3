/*
 * src/cli/cli.h -- what the subcommands share: the command table entry,
 * output format, resolver options and exit codes.
 */
#ifndef DG_CLI_H
#define DG_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes common to every subcommand (each documents its own too). */
#define DG_EXIT_OK		0
#define DG_EXIT_FINDING		1	/* the answer is "no" / "weak" / not ok */
#define DG_EXIT_ERROR		2	/* usage, input or runtime error */

struct cli_command {
	const char	*name;
	const char	*summary;
	int		(*run)(int argc, char **argv);	/* argv[0] = name */
};

enum cli_format {
	CLI_FMT_TEXT = 0,
	CLI_FMT_JSON,
	CLI_FMT_CSV
};

/* Parse "text|json|csv" (csv only when allow_csv); false when unknown. */
bool	cli_format_parse(const char *s, bool allow_csv, enum cli_format *out);

/* Print "dmarcguard CMD: message" to stderr; returns DG_EXIT_ERROR. */
int	cli_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Print the usage error plus "Try 'dmarcguard CMD --help'." */
int	cli_usage_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Should text output be coloured?  A TTY, and NO_COLOR unset or empty. */
bool	cli_use_color(FILE *fp);

#endif /* DG_CLI_H */
