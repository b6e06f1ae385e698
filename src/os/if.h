/* SPDX-License-Identifier: MIT */
/*
 * The OS backend: turns kernel events into vf_link updates, and offers
 * the primitives (core/journal.h) the core's plans are made of. The
 * Linux one (os/linux/) speaks rtnetlink; a FreeBSD one (devd, sysctl,
 * lagg) fits behind the same calls.
 */
#ifndef VFBOND_IF_H
#define VFBOND_IF_H

#include <stdbool.h>

#include <stddef.h>

#include "core/core.h"
#include "core/journal.h"
#include "core/link.h"
#include "os/defaults.h"

struct vf_if;

/* One-line description of the last failure, "" if none. */
const char *vf_if_error(const struct vf_if *ifs);

/*
 * Whether the backend acts on this host and why, one line for the log
 * and status ("not a Hyper-V guest ..."); "" when there is nothing to say.
 */
const char *vf_if_note(const struct vf_if *ifs);

/*
 * monitor: subscribe to link events (the daemon); false for one-shot
 * queries. conf (NULL: the defaults) gives the backend its own knobs. Returns
 * NULL with errno set and a message in err.
 */
struct vf_if *vf_if_open(const struct vf_config *conf, bool monitor, char *err,
			 size_t errlen);
void vf_if_close(struct vf_if *ifs);

#define VF_IF_MAXFDS 4

/*
 * The descriptors the caller's event loop watches; when one is readable,
 * call vf_if_read_events. Fills fds, returns how many (0 without monitor).
 */
size_t vf_if_fds(const struct vf_if *ifs, int fds[VF_IF_MAXFDS]);

typedef void vf_link_cb(void *arg, const struct vf_link *link);
typedef void vf_gone_cb(void *arg, int ifindex);

/* Reports every link through cb. 0 or -errno. */
int vf_if_dump(struct vf_if *ifs, vf_link_cb *cb, void *arg);
/* Re-reads one link; a vanished one goes to gone. 0 or -errno. */
int vf_if_refresh(struct vf_if *ifs, int ifindex, vf_link_cb *cb,
		  vf_gone_cb *gone, void *arg);
/*
 * Drains pending kernel events without blocking. Links whose udev
 * processing finished since are reported again. 0 or -errno; -ENOBUFS
 * means events were lost and the caller must dump again.
 */
int vf_if_read_events(struct vf_if *ifs, vf_link_cb *cb, vf_gone_cb *gone,
		      void *arg);

/* The primitives, to be called with the struct vf_if as their os. */
const struct vf_prims *vf_if_prims(void);

#endif
