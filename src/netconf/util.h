/* SPDX-License-Identifier: MIT */
/* What the adapters share: small files, and running a program. */
#ifndef VFBOND_NETCONF_UTIL_H
#define VFBOND_NETCONF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "netconf/netconf.h"

/* path under the adapter's root (a scratch tree in tests). */
void vf_nc_path(const struct vf_netconf *nc, char *out, size_t len,
		const char *path);
/* A whole small file as a malloc'd string, or NULL (errno set). */
char *vf_nc_read_file(const char *path);
/* Writes text through a temporary file: 1 written, 0 the same, -errno. */
int vf_nc_write_if_changed(const char *path, const char *text);
/* ... with that mode. */
int vf_nc_write_mode(const char *path, const char *text, mode_t mode);
/* mkdir -p, for the adapters' own directories under /run. */
void vf_nc_mkdirs(const char *path);
/*
 * Runs argv[0] (a full path) with a clean environment, waits for it:
 * its exit status, or -errno. Output goes nowhere.
 */
int vf_nc_run(char *const argv[]);
/*
 * Whether a manager is in use: its unit is enabled (multi-user.target
 * wants it), or run_file, which it makes while it runs, is there.
 */
bool vf_nc_service_in_use(const struct vf_netconf *nc, const char *unit,
			  const char *run_file);
/* Whether the interface has an IPv4 address. */
bool vf_nc_has_ipv4(const char *ifname);

#endif
