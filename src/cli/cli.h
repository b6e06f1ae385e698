/* SPDX-License-Identifier: MIT */
#ifndef VFBOND_CLI_H
#define VFBOND_CLI_H

#include "core/config.h"

#define VF_EX_USAGE 2

/* Each subcommand: argv[0] is its own name. Returns the exit status. */
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_up(int argc, char **argv);

/* Loads the config or prints "vfbond: file:line: ..." (exit 78). */
int cli_load_config(const char *path, struct vf_config *conf);
/* Prints "vfbond: <msg>" to stderr. */
__attribute__((format(printf, 1, 2))) void cli_error(const char *fmt, ...);
/*
 * One line for a bad command line: "vfbond: CMD: what (see 'vfbond CMD
 * --help')". Returns VF_EX_USAGE. bad_option names argv's bad option.
 */
__attribute__((format(printf, 2, 3))) int cli_usage(const char *cmd,
						    const char *fmt, ...);
int cli_bad_option(const char *cmd, char **argv);
/* The synthetic NIC a one-shot command works on, or -1 (message said). */
int cli_one_shot(const struct vf_config *conf, int synthetic, int delay_ms);

#endif
