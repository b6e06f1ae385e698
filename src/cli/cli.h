/* SPDX-License-Identifier: MIT */
#ifndef VFBOND_CLI_H
#define VFBOND_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "core/core.h"

#define VF_EX_USAGE 2

/* getopt_long's tables: -c and -h; the one-shots' -c, -S and -h. */
extern const struct option cli_config_options[];
extern const struct option cli_oneshot_options[];

/* Each subcommand: argv[0] is its own name. Returns the exit status. */
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_release(int argc, char **argv);

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
/*
 * The one-shots' options (-c, -S, -h) into *config and *socket_path.
 * -1: go on with argv[optind...]; else the exit status (help printed,
 * or a bad option said).
 */
int cli_oneshot_args(const char *cmd, const char *usage, int argc, char **argv,
		     const char **config, const char **socket_path);
/*
 * The pair NAME is the VF (as_vf) or the synthetic NIC of, from the
 * kernel as it is now. 0: found, in st; 1: in no pair; -1: error said.
 */
int cli_find_pair(const struct vf_config *conf, const char *name, bool as_vf,
		  struct vf_pair_status *st);
/* True, and says so, when the pair is not vfbond's to touch. */
bool cli_hands_off(const char *name, const struct vf_pair_status *st);
/*
 * Runs the daemon for one pair until it settles; the exit status. It
 * takes the lock of socket_path first: a daemon answering there handles
 * the pair itself (said, exit 0); another one-shot is waited for.
 */
int cli_one_shot(const struct vf_config *conf, const char *socket_path,
		 const char *name, int synthetic, int delay_ms);
/*
 * The lock run, attach and up share (see daemon/lock.h). A descriptor
 * to keep open, or -1 once the reason is said; with hand_off,
 * CLI_LOCK_DAEMON (nothing said) when the holder is a daemon that
 * answers, even one that bound its socket only while we waited.
 */
#define CLI_LOCK_DAEMON (-2)
int cli_lock(const char *cmd, const char *socket_path, bool hand_off);

#endif
