/* SPDX-License-Identifier: MIT */
/*
 * One actor at a time: the daemon and the one-shot commands take the
 * same lock before they touch the network, and hold it until they exit
 * (the kernel lets go of it even after a SIGKILL). A POSIX record lock:
 * a process must open the file only once, or a close drops it.
 */
#ifndef VFBOND_LOCK_H
#define VFBOND_LOCK_H

#include <stddef.h>

/* The lock that goes with a control socket: "/run/vfbond.sock" → ".lock". */
void vf_lock_path(const char *socket_path, char *out, size_t len);
/* The hooks a crash may leave not completed (hooks.h): ".hooks". */
void vf_hook_state_path(const char *socket_path, char *out, size_t len);

/*
 * Takes the lock, waiting up to wait_ms for another holder. Returns the
 * descriptor to keep open, -EWOULDBLOCK if it is still held, or -errno.
 */
int vf_lock_take(const char *path, int wait_ms);

#endif
