/* SPDX-License-Identifier: MIT */
/* What the Linux backend offers beyond if.h: its parser, for the fuzzer. */
#ifndef VFBOND_IF_LINUX_H
#define VFBOND_IF_LINUX_H

#include <stddef.h>

#include "core/link.h"

/*
 * Parses one RTM_NEWLINK message as the kernel sends it, without the
 * driver and udev lookups. 0, or -errno for a message that is not a
 * whole link description; never reads past len.
 */
int vf_linux_parse_link(const void *msg, size_t len, struct vf_link *out);

/* Sets link->cls from its kind and driver. */
void vf_linux_classify(struct vf_link *link);

#endif
