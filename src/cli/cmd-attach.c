/* SPDX-License-Identifier: MIT */
/*
 * vfbond attach IFACE [DELAY]: the seed's hyperv_vfattach. For udev or
 * devd rules that run on every new interface: if IFACE is the VF of a
 * synthetic NIC, wait DELAY, then do what 'vfbond up' does.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf/conf.h"
#include "daemon/control.h"

static const char usage[] =
    "usage: vfbond attach [-c FILE] [-S SOCKET] IFACE [DELAY]\n"
    "  If IFACE is a VF, wait DELAY (seconds or Nms; default: the "
    "config's\n  vf_delay) and pair it with its synthetic NIC. Not a VF, "
    "or a\n  transparent pair: nothing to do, exit 0.\n"
    "  -c, --config FILE   config file (default " VF_CONF_DEFAULT ")\n"
    "  -S, --socket PATH   the daemon's control socket "
    "(default " VF_CONTROL_PATH
    ")\n  A running daemon handles every pair itself: then nothing to do.\n";

int
cmd_attach(int argc, char **argv)
{
	const char *config = NULL, *socket_path = VF_CONTROL_PATH, *name;
	struct vf_config conf;
	struct vf_pair_status st;
	int ret, delay_ms = -1;

	if ((ret = cli_oneshot_args("attach", usage, argc, argv, &config,
				    &socket_path)) >= 0)
		return ret;
	if (argc - optind < 1 || argc - optind > 2)
		return cli_usage("attach", "want IFACE [DELAY]");
	name = argv[optind];
	if (argc - optind == 2) {
		delay_ms = vf_conf_duration_ms(argv[optind + 1]);
		if (delay_ms < 0) {
			return cli_usage("attach",
					 "bad delay '%s' (seconds, or Nms)",
					 argv[optind + 1]);
		}
	}
	ret = cli_load_config(config, &conf);
	if (ret != 0)
		return ret;
	ret = cli_find_pair(&conf, name, true, &st);
	if (ret < 0)
		return 1;
	if (ret > 0) {
		printf("%s is not the VF of a synthetic NIC: nothing to do\n",
		       name);
		return 0;
	}
	if (cli_hands_off(name, &st))
		return 0;
	if (delay_ms < 0)
		delay_ms = conf.vf_delay_ms;
	return cli_one_shot(&conf, socket_path, name, st.synthetic, delay_ms);
}
