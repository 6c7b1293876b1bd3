/*
 * src/cli/main.c -- dmarcguard: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include <dmarcguard/common.h>
#include <dmarcguard/log.h>

#include "cli.h"
#include "commands.h"

static const struct cli_command commands[] = {
	{ "arc-seal", "validate a message's ARC chain and add the next set",
	    cmd_arc_seal },
	{ "check", "audit domains: spoofable, weak or protected, and the fix",
	    cmd_check },
	{ "dkim", "verify the DKIM signatures of messages", cmd_dkim },
	{ "dns", "look up a name through dmarcguard's resolver", cmd_dns },
	{ "keygen", "make a DKIM key pair and the TXT record to publish",
	    cmd_keygen },
	{ "sign", "add a DKIM-Signature to a message", cmd_sign },
	{ "spf", "evaluate SPF for a client address and sender",
	    cmd_spf },
	{ "verify", "authenticate messages: SPF, DKIM, DMARC, local policy",
	    cmd_verify },
	{ "version", "print the version and exit", cmd_version },
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *fp)
{
	size_t	i;

	fprintf(fp,
	    "Usage: dmarcguard [--help] [--version] COMMAND [OPTIONS] [ARGS]\n"
	    "\n"
	    "Email authentication (SPF, DKIM, ARC, DMARC) for domain owners,\n"
	    "receivers and analysts.\n"
	    "\n"
	    "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(fp,
	    "\n"
	    "Run 'dmarcguard COMMAND --help' for a command's options.\n"
	    "Exit status: 0 success, 1 a negative finding, 2 error\n"
	    "(each command documents its own).\n");
}

int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("dmarcguard %s\n", dg_version());
	return DG_EXIT_OK;
}

int
main(int argc, char **argv)
{
	size_t	i;

	dg_log_set_sink(dg_log_stderr, NULL);
	if (argc < 2) {
		usage(stderr);
		return DG_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			for (i = 0; i < NCOMMANDS; i++) {
				if (strcmp(argv[2], commands[i].name) == 0) {
					char	*hargv[] = { argv[2],
					    (char *)"--help", NULL };

					return commands[i].run(2, hargv);
				}
			}
		}
		usage(stdout);
		return DG_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "dmarcguard: unknown command '%s'\n"
	    "Try 'dmarcguard --help'.\n", argv[1]);
	return DG_EXIT_ERROR;
}
