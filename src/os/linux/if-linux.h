/* SPDX-License-Identifier: MIT */
/* What the Linux backend offers beyond if.h: its parsers, for the fuzzers. */
#ifndef VFBOND_IF_LINUX_H
#define VFBOND_IF_LINUX_H

#include <stddef.h>

#include "core/addr.h"
#include "core/link.h"

/*
 * Parses one RTM_NEWLINK message as the kernel sends it, without the
 * driver and udev lookups. 0, or -errno for a message that is not a
 * whole link description; never reads past len.
 */
int vf_linux_parse_link(const void *msg, size_t len, struct vf_link *out);

/*
 * One RTM_NEWADDR message as an address dump gives it: its facts, and
 * the requests that would copy, restore and remove it are built (not
 * sent). 0, or -errno; never reads past len.
 */
int vf_linux_parse_addr(const void *msg, size_t len, struct vf_addr *out);

/*
 * One RTM_NEWROUTE message as a route dump gives it: its facts as seen
 * from ifindex, and the requests that would copy and remove it are built
 * (not sent). 1 if it leaves by ifindex, 0 if not, or -errno.
 */
int vf_linux_parse_route(const void *msg, size_t len, int ifindex,
			 struct vf_route *out);

/*
 * One datagram of replies to the request whose sequence number and port
 * its first message carries, read as a request's replies are read: acks,
 * errors with or without an extended ack, ends of dumps. The exchange's
 * result (0 or -errno; 1: more to read), and the kernel's extended
 * message in extack. Never reads past len.
 */
int vf_linux_parse_reply(const void *buf, size_t len, char *extack,
			 size_t size);

/* Sets link->cls from its kind and driver. */
void vf_linux_classify(struct vf_link *link);

#endif
