/* SPDX-License-Identifier: MIT */
#ifndef VFBOND_DAEMON_H
#define VFBOND_DAEMON_H

#include <stdbool.h>
#include <stdio.h>

#include "core/core.h"

struct vf_daemon_opts {
	const char *socket_path; /* NULL: no control socket */
	int only_ifindex;	 /* one synthetic NIC only; 0: all */
	bool exit_when_settled;	 /* the one-shot commands */
	int timeout_ms;		 /* one-shot: give up after; 0: never */
	bool dry_run;		 /* record actions, change nothing */
	const char *hook_state;	 /* hooks not completed; NULL: not kept */
};

/* Runs until SIGTERM/SIGINT (0), or settled in one-shot mode. */
int vf_daemon_run(const struct vf_config *conf,
		  const struct vf_daemon_opts *opts);

/*
 * The engine fed with the kernel's links as they are now, no action
 * carried out: for status without a daemon, and plan. NULL on error.
 */
struct vf_core *vf_daemon_snapshot(const struct vf_config *conf, char *err,
				   size_t errlen);

/* The network-manager adapters as the config says, told how to reload. */
struct vf_netconf;
void vf_daemon_netconf(struct vf_netconf *nc, const struct vf_config *conf);

#endif
