/* SPDX-License-Identifier: MIT */
/*
 * Interface names as the FreeBSD backend accepts them from devd, rc.conf
 * and sysctls: what reaches ifconfig-like code or a file name must be
 * plain. Pure C, no system calls.
 */
#ifndef VFBOND_FBSD_IFNAME_H
#define VFBOND_FBSD_IFNAME_H

#include <stdbool.h>
#include <stddef.h>

#define VF_FBSD_IFNAMSIZ 16 /* IFNAMSIZ: 15 characters and the NUL */

/*
 * True if s[0..len) is 1 to 15 characters of [A-Za-z0-9_.-]. Odd names
 * are refused, never truncated: a cut name could be another interface.
 */
bool vf_fbsd_ifname_valid(const char *s, size_t len);

/* The unit of "hnN" (0..65535), or -1 if name is not an hn(4) name. */
int vf_fbsd_hn_unit(const char *name);

#endif
