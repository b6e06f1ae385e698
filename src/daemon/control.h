/* SPDX-License-Identifier: MIT */
/*
 * The control socket: a root-only Unix stream socket. A client sends one
 * request line ("status") and reads the answer until the daemon closes.
 * Clients are served without blocking, each within a total deadline.
 */
#ifndef VFBOND_CONTROL_H
#define VFBOND_CONTROL_H

#include <stddef.h>

#include "eloop.h"

/* FreeBSD has no /run: its run-time files are in /var/run. */
#ifdef __FreeBSD__
#define VF_CONTROL_PATH "/var/run/vfbond.sock"
#else
#define VF_CONTROL_PATH "/run/vfbond.sock"
#endif

/* Returns a malloc'd answer for a request line, or NULL. */
typedef char *control_answer_cb(void *arg, const char *request);

struct control;

struct control *control_open(const char *path, struct eloop *loop,
			     control_answer_cb *cb, void *arg, char *err,
			     size_t errlen);
void control_close(struct control *ctl);

/* Client side. 0, or -errno (-ENOENT/-ECONNREFUSED: no daemon). */
int control_request(const char *path, const char *request, char **answer);

#endif
