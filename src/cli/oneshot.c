/* SPDX-License-Identifier: MIT */
/*
 * attach and up, the seed scripts' one-shot forms, are the daemon limited
 * to one pair and stopped once that pair has settled.
 */
#include <net/if.h>
#include <stdio.h>
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

int
cli_find_pair(const struct vf_config *conf, const char *name, bool as_vf,
	      struct vf_pair_status *st)
{
	struct vf_core *core;
	char err[256];
	int ifindex;
	bool found = false;

	ifindex = strlen(name) < IF_NAMESIZE ? (int)if_nametoindex(name) : 0;
	if (ifindex == 0) {
		cli_error("no interface '%s'", name);
		return -1;
	}
	core = vf_daemon_snapshot(conf, err, sizeof(err));
	if (core == NULL) {
		cli_error("%s", err);
		return -1;
	}
	for (size_t i = 0; !found && vf_core_pair_status(core, i, st); i++)
		found = (as_vf ? st->vf : st->synthetic) == ifindex;
	vf_core_free(core);
	return found ? 0 : 1;
}

bool
cli_hands_off(const char *name, const struct vf_pair_status *st)
{
	if (st->state != VF_PAIR_TRANSPARENT && st->state != VF_PAIR_IGNORED &&
	    st->state != VF_PAIR_FOREIGN)
		return false;
	printf("%s: pair is %s: nothing to do\n", name,
	       vf_pair_state_name(st->state));
	return true;
}
