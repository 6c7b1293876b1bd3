/*
 * src/cli/commands.h -- one entry point per subcommand (cmd_<name>.c).
 */
#ifndef DG_CLI_COMMANDS_H
#define DG_CLI_COMMANDS_H

int	cmd_version(int argc, char **argv);
int	cmd_arc_seal(int argc, char **argv);
int	cmd_check(int argc, char **argv);
int	cmd_dkim(int argc, char **argv);
int	cmd_dns(int argc, char **argv);
int	cmd_keygen(int argc, char **argv);
int	cmd_sign(int argc, char **argv);
int	cmd_spf(int argc, char **argv);
int	cmd_verify(int argc, char **argv);

#endif /* DG_CLI_COMMANDS_H */
