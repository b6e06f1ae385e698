/* SPDX-License-Identifier: MIT */
/*
 * attach and up, the seed scripts' one-shot forms, are the daemon limited
 * to one pair and stopped once that pair has settled.
 */
#include <net/if.h>
#include <string.h>

#include "cli.h"
#include "daemon/daemon.h"
#include "daemon/log.h"

int
cli_one_shot(const struct vf_config *conf, int synthetic, int delay_ms)
{
	struct vf_config c = *conf;
	struct vf_daemon_opts opts = {
		.only_ifindex = synthetic,
		.exit_when_settled = true,
	};

	/* The caller's delay replaces every configured one. */
	c.vf_delay_ms = delay_ms;
	for (int i = 0; i < c.n_ifaces; i++)
		c.ifaces[i].vf_delay_ms = -1;
	opts.timeout_ms = delay_ms + c.carrier_wait_ms + 30000;
	vf_log_open(false, LOG_INFO);
	return vf_daemon_run(&c, &opts);
}
