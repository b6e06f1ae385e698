/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "conf/conf.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "daemon/lock.h"
#include "daemon/log.h"

static const char usage[] =
    "usage: vfbond run [-c FILE] [-S SOCKET] [--syslog] [-v] [--dry-run]\n"
    "  -c, --config FILE   config file (default " VF_CONF_DEFAULT ", "
    "optional)\n"
    "  -S, --socket PATH   control socket (default " VF_CONTROL_PATH ")\n"
    "      --syslog        log to syslog instead of stderr\n"
    "  -v, --verbose       log debug messages too\n"
    "  -n, --dry-run       log the actions it would take; change nothing\n";

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 'S' },
		{ "syslog", no_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct vf_daemon_opts opts = { .socket_path = VF_CONTROL_PATH };
	struct vf_config conf;
	const char *config = NULL;
	bool to_syslog = false;
	int level = LOG_INFO, c, ret, lock = -1;
	char state[VF_PATHSIZ];

	while ((c = getopt_long(argc, argv, "c:S:vnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'S':
			opts.socket_path = optarg;
			break;
		case 'l':
			to_syslog = true;
			break;
		case 'v':
			level = LOG_DEBUG;
			break;
		case 'n':
			opts.dry_run = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return cli_bad_option("run", argv);
		}
	}
	if (optind != argc)
		return cli_usage("run", "unexpected argument '%s'",
				 argv[optind]);
	ret = cli_load_config(config, &conf);
	if (ret != 0)
		return ret;
	if (!opts.dry_run &&
	    (lock = cli_lock("run", opts.socket_path, false)) < 0)
		return 1;
	vf_hook_state_path(opts.socket_path, state, sizeof(state));
	opts.hook_state = state;
	vf_log_open(to_syslog, level);
	ret = vf_daemon_run(&conf, &opts);
	if (lock >= 0)
		close(lock);
	return ret;
}
