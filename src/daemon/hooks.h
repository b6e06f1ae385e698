/* SPDX-License-Identifier: MIT */
/*
 * Per-interface hooks, the counterpart of the seed's hyperv_vfup.hnX:
 * HOOKS_DIR/<synthetic NIC name>, else HOOKS_DIR/default, exec'd directly
 * (no shell) with a clean environment, default signals, in a process
 * group of their own that is killed when over time. They run as root
 * with only the capabilities the config grants: only files that root
 * alone can change, in directories the same.
 */
#ifndef VFBOND_HOOKS_H
#define VFBOND_HOOKS_H

#include <stdint.h>

#include "core/core.h"

struct hooks;

struct hooks *hooks_new(const char *dir, int timeout_ms);
void hooks_free(struct hooks *hooks);
/*
 * Starts the hook for an event, if one exists, or queues it while too
 * many run: none is dropped. Never waits for it.
 */
void hooks_run(struct hooks *hooks, const struct vf_hook_event *ev,
	       uint64_t now_ms);
/* Collects finished hooks (on SIGCHLD) and kills overdue ones. */
void hooks_reap(struct hooks *hooks, uint64_t now_ms);
uint64_t hooks_next_deadline(const struct hooks *hooks);
/* Hooks running or queued. */
unsigned hooks_running(const struct hooks *hooks);

#define HOOKS_PENDING_MAX 64

/*
 * Keeps the hooks queued or running, not yet completed, in the file at
 * path, so that a restart after a crash runs them. Returns the events
 * the last run left there (at most HOOKS_PENDING_MAX), for the caller
 * to run again for the pairs it still has; the file is then rewritten
 * with what runs now.
 */
size_t hooks_keep_state(struct hooks *hooks, const char *path,
			struct vf_hook_event *left);

#endif
