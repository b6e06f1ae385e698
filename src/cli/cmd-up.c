/* SPDX-License-Identifier: MIT */
/*
 * vfbond up SYNTHETIC: the seed's hyperv_vfup. Builds the failover master
 * over the synthetic NIC and its VF, or joins a returning VF to it.
 */
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "daemon/daemon.h"

static const char usage[] =
    "usage: vfbond up [-c FILE] SYNTHETIC\n"
    "  Pairs SYNTHETIC with its VF now: builds the failover master, or\n"
    "  joins a returning VF to it. No VF (it left again): exit 0.\n";

int
cmd_up(int argc, char **argv)
{
	const char *config = NULL, *name;
	struct vf_config conf;
	struct vf_pair_status st;
	struct vf_core *core;
	char err[256];
	int c, ret, ifindex;
	bool found = false;

	while ((c = getopt(argc, argv, "+c:h")) != -1) {
		if (c == 'c') {
			config = optarg;
			continue;
		}
		if (c != 'h')
			return cli_bad_option("up", argv);
		fputs(usage, stdout);
		return 0;
	}
	if (argc - optind != 1)
		return cli_usage("up", "want one SYNTHETIC interface");
	name = argv[optind];
	ret = cli_load_config(config, &conf);
	if (ret != 0)
		return ret;
	ifindex = strlen(name) < IF_NAMESIZE ? (int)if_nametoindex(name) : 0;
	if (ifindex == 0) {
		cli_error("no interface '%s'", name);
		return 1;
	}
	core = vf_daemon_snapshot(&conf, err, sizeof(err));
	if (core == NULL) {
		cli_error("%s", err);
		return 1;
	}
	for (size_t i = 0; !found && vf_core_pair_status(core, i, &st); i++)
		found = st.synthetic == ifindex;
	vf_core_free(core);
	if (!found) {
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
	if (st.state == VF_PAIR_TRANSPARENT || st.state == VF_PAIR_IGNORED ||
	    st.state == VF_PAIR_FOREIGN) {
		printf("%s: pair is %s: nothing to do\n", name,
		       vf_pair_state_name(st.state));
		return 0;
	}
	return cli_one_shot(&conf, ifindex, 0);
}
