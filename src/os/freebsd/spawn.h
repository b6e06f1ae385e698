/* SPDX-License-Identifier: MIT */
/*
 * Starting a helper (dhclient) as a fresh process would start. The
 * daemon blocks the signals its event loop takes and ignores SIGPIPE;
 * a blocked mask and ignored signals pass through exec, so a dhclient
 * started plainly would shrug off SIGTERM. Portable POSIX, tested on
 * Linux; the FreeBSD backend's spawn call is this.
 */
#ifndef VFBOND_FBSD_SPAWN_H
#define VFBOND_FBSD_SPAWN_H

/*
 * posix_spawn(3) of argv[0] with argv (no shell, no PATH search), the
 * signal mask empty and the standard signals the caller ignores back to
 * their defaults. Returns the pid, or -errno.
 */
int vf_spawn_clean(const char *const argv[]);

#endif
