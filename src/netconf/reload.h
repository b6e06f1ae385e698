/* SPDX-License-Identifier: MIT */
/* How each manager is told to read its configuration again. */
#ifndef VFBOND_NETCONF_RELOAD_H
#define VFBOND_NETCONF_RELOAD_H

/* networkd over D-Bus, if it runs; 0 or -errno. */
int vf_networkd_reload(void *arg);

#endif
