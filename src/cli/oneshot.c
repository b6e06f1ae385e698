/* SPDX-License-Identifier: MIT */
/*
 * attach and up, the seed scripts' one-shot forms, are the daemon limited
 * to one pair and stopped once that pair has settled.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "daemon/lock.h"
#include "daemon/log.h"

/* A one-shot waits this long for another one to finish. */
#define LOCK_WAIT_MS 120000
/* How often, meanwhile, it asks whether a daemon now answers. */
#define LOCK_SLICE_MS 250

static bool
daemon_answers(const char *socket_path)
{
	char *doc = NULL;
	int ret = control_request(socket_path, "status", &doc);

	free(doc);
	return ret == 0;
}

/*
 * A daemon takes the lock before it binds its socket: the holder may be
 * one that answers soon, not a one-shot that ends. Slices, then, with
 * the question in between. -EWOULDBLOCK once a daemon answers.
 */
static int
wait_lock(const char *path, const char *socket_path)
{
	for (int waited = 0; waited < LOCK_WAIT_MS; waited += LOCK_SLICE_MS) {
		int fd = vf_lock_take(path, LOCK_SLICE_MS);

		if (fd != -EWOULDBLOCK || daemon_answers(socket_path))
			return fd;
	}
	return -EWOULDBLOCK;
}

int
cli_lock(const char *cmd, const char *socket_path, bool hand_off)
{
	char path[VF_PATHSIZ];
	int fd;

	vf_lock_path(socket_path, path, sizeof(path));
	fd = vf_lock_take(path, 0);
	if (fd == -EWOULDBLOCK && !daemon_answers(socket_path)) {
		fprintf(stderr,
			"vfbond: %s: waiting for another vfbond to "
			"finish\n",
			cmd);
		fd = wait_lock(path, socket_path);
	}
	if (fd == -EWOULDBLOCK && hand_off && daemon_answers(socket_path))
		return CLI_LOCK_DAEMON;
	if (fd == -EWOULDBLOCK)
		cli_error("%s: another vfbond is running (%s is taken)", cmd,
			  path);
	else if (fd < 0)
		cli_error("%s: lock %s: %s", cmd, path, strerror(-fd));
	return fd < 0 ? -1 : fd;
}

int
cli_one_shot(const struct vf_config *conf, const char *socket_path,
	     const char *name, int synthetic, int delay_ms)
{
	struct vf_config c = *conf;
	struct vf_daemon_opts opts = {
		.only_ifindex = synthetic,
		.exit_when_settled = true,
	};
	char state[VF_PATHSIZ];
	int lock, ret;

	/* The daemon watches every pair: racing it would do harm. */
	lock = daemon_answers(socket_path) ? CLI_LOCK_DAEMON
					   : cli_lock(name, socket_path, true);
	if (lock == CLI_LOCK_DAEMON) {
		printf("%s: the running vfbond daemon handles it: nothing to "
		       "do\n",
		       name);
		return 0;
	}
	if (lock < 0)
		return 1;
	vf_hook_state_path(socket_path, state, sizeof(state));
	opts.hook_state = state;

	/* The caller's delay replaces every configured one; a one-shot is
	 * for a VF that came, as the seed's scripts were: it waits first. */
	c.master_before_vf = false;
	c.vf_delay_ms = delay_ms;
	for (int i = 0; i < c.n_ifaces; i++)
		c.ifaces[i].vf_delay_ms = -1;
	/* Room for every retry of a step that fails for now, too. */
	opts.timeout_ms = delay_ms + c.carrier_wait_ms + 30000;
	for (unsigned n = 1; n <= VF_RETRY_TRIES; n++)
		opts.timeout_ms += (int)vf_retry_delay_ms(n);
	vf_log_open(false, LOG_INFO);
	ret = vf_daemon_run(&c, &opts);
	close(lock);
	return ret;
}

int
cli_find_pair(const struct vf_config *conf, const char *name, bool as_vf,
	      struct vf_pair_status *st)
{
	struct vf_core *core;
	char err[256];
	int ifindex;
	bool found = false;
	size_t i;

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
	for (i = 0; !found && vf_core_pair_status(core, i, st); i++)
		found = (as_vf ? st->vf : st->synthetic) == ifindex;
	/* A VF its pair's first step has not taken in yet. */
	if (!found && as_vf && vf_core_pair_of_vf(core, ifindex, &i))
		found = vf_core_pair_status(core, i, st);
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
