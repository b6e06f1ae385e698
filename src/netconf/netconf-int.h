/* SPDX-License-Identifier: MIT */
/*
 * The adapters behind netconf.h, one per manager: each says whether it
 * is in use for a NIC, follows a master, and releases one (a no-op when
 * none of its files is there).
 */
#ifndef VFBOND_NETCONF_INT_H
#define VFBOND_NETCONF_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "netconf/netconf.h"

/* systemd-networkd: enabled or running. */
bool vf_networkd_in_use(const struct vf_netconf *nc);
/* A .network file (not ours) selects the NIC. */
bool vf_networkd_selects(const struct vf_netconf *nc,
			 const struct vf_link *synthetic);
int vf_networkd_prepare(struct vf_netconf *nc, const struct vf_link *synthetic,
			const char *master_name, char *err, size_t errlen);
int vf_networkd_follow(struct vf_netconf *nc, const struct vf_link *synthetic,
		       const struct vf_link *master, char *err, size_t errlen);
int vf_networkd_release(struct vf_netconf *nc, const char *master_name,
			char *err, size_t errlen);

/* ifupdown: enabled or running, and the NIC has a stanza. */
bool vf_ifupdown_in_use(const struct vf_netconf *nc,
			const struct vf_link *synthetic);
/* ifupdown: in use, with a stanza for some interface but lo. */
bool vf_ifupdown_configures_any(const struct vf_netconf *nc);
int vf_ifupdown_follow(struct vf_netconf *nc, const struct vf_link *synthetic,
		       const struct vf_link *master, char *err, size_t errlen);
int vf_ifupdown_release(struct vf_netconf *nc, const char *master_name,
			const char *synthetic_name, char *err, size_t errlen);

/* NetworkManager: enabled or running. It builds the master itself. */
bool vf_nm_in_use(const struct vf_netconf *nc);
int vf_nm_hand_over(struct vf_netconf *nc, const struct vf_link *synthetic,
		    const struct vf_link *vf, const char *master_name,
		    char *err, size_t errlen);
bool vf_nm_owns(const struct vf_netconf *nc, const char *master_name);
int vf_nm_release(struct vf_netconf *nc, const char *master_name,
		  const char *synthetic_name, char *err, size_t errlen);
/* Every master's files, those of bonds gone too; how many, or -errno. */
int vf_nm_release_all(struct vf_netconf *nc, char *err, size_t errlen);

#endif
