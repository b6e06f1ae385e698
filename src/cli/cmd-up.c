/* SPDX-License-Identifier: MIT */
/*
 * vfbond up SYNTHETIC: the seed's hyperv_vfup. Builds the failover master
 * over the synthetic NIC and its VF, or joins a returning VF to it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf/conf.h"
#include "daemon/control.h"

static const char usage[] =
    "usage: vfbond up [-c FILE] [-S SOCKET] SYNTHETIC\n"
    "  Pairs SYNTHETIC with its VF now: builds the failover master, or\n"
    "  joins a returning VF to it. No VF (it left again): exit 0.\n"
    "  -c, --config FILE   config file (default " VF_CONF_DEFAULT ")\n"
    "  -S, --socket PATH   the daemon's control socket "
    "(default " VF_CONTROL_PATH
    ")\n  A running daemon handles every pair itself: then nothing to do.\n";

int
cmd_up(int argc, char **argv)
{
	const char *config = NULL, *socket_path = VF_CONTROL_PATH, *name;
	struct vf_config conf;
	struct vf_pair_status st;
	int ret;

	if ((ret = cli_oneshot_args("up", usage, argc, argv, &config,
				    &socket_path)) >= 0)
		return ret;
	if (argc - optind != 1)
		return cli_usage("up", "want one SYNTHETIC interface");
	name = argv[optind];
	ret = cli_load_config(config, &conf);
	if (ret != 0)
		return ret;
	ret = cli_find_pair(&conf, name, false, &st);
	if (ret < 0)
		return 1;
	if (ret > 0) {
		cli_error("%s is not a synthetic NIC (see synthetic_drivers in "
			  "vfbond.conf(5))",
			  name);
		return 1;
	}
	if (st.vf == 0 && st.master == 0) {
		/* The seed's "race happened": the VF left before we ran. */
		printf("%s: no VF: nothing to do\n", name);
		return 0;
	}
	if (cli_hands_off(name, &st))
		return 0;
	return cli_one_shot(&conf, socket_path, name, st.synthetic, 0);
}
