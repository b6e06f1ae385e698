/* SPDX-License-Identifier: MIT */
/* How each manager is told to read its configuration again. */
#ifndef VFBOND_NETCONF_RELOAD_H
#define VFBOND_NETCONF_RELOAD_H

#include <stdbool.h>
#include <stddef.h>

/* networkd over D-Bus, if it runs; 0 or -errno. */
int vf_networkd_reload(void *arg);
/* NetworkManager likewise: struct vf_netconf's nm_reload. */
int vf_nm_bus_reload(bool files, const char *uuid, const char *ifname,
		     bool give_back, char *err, size_t errlen);

#endif
