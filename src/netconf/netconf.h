/* SPDX-License-Identifier: MIT */
/*
 * Network-manager adapters: the system's network configuration follows
 * the master. What the synthetic NIC's manager would have configured on
 * it goes to the master instead, and the manager leaves both ports
 * alone. Runtime state only (/run), never the user's files; removed by
 * release. One module per manager: networkd and ifupdown follow a
 * master vfbond built; NetworkManager builds the master itself, from
 * profiles its module writes, and vfbond adopts it.
 */
#ifndef VFBOND_NETCONF_H
#define VFBOND_NETCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/link.h"

enum vf_netconf_kind {
	VF_NETCONF_AUTO, /* detect the manager in use */
	VF_NETCONF_NONE, /* addresses only, as moved by the takeover */
	VF_NETCONF_NETWORKD,
	VF_NETCONF_IFUPDOWN,
	VF_NETCONF_NETWORKMANAGER,
};

/* "auto", "none", "networkd", "ifupdown", "networkmanager"; false for
 * another word. */
bool vf_netconf_parse_kind(const char *word, enum vf_netconf_kind *out);
const char *vf_netconf_kind_name(enum vf_netconf_kind kind);

struct vf_netconf {
	enum vf_netconf_kind kind;
	char root[VF_PATHSIZ];	    /* "" for /; a tree in tests */
	char state_dir[VF_PATHSIZ]; /* what survives a reboot */
	/* Asks the manager to read its configuration again; 0 or -errno. */
	int (*reload)(void *arg);
	void *reload_arg;
	/*
	 * Asks a running NetworkManager to read its files again (where
	 * files says so) and, where ifname runs another profile than the
	 * one of that UUID, to activate that one on it. With give_back,
	 * ifname leaves that profile (whose file is gone): once NM has
	 * taken it off, NM configures it with a profile of its own.
	 * 0 or -errno, err set.
	 */
	int (*nm_reload)(bool files, const char *uuid, const char *ifname,
			 bool give_back, char *err, size_t errlen);
	int link_check_ms; /* the bond's miimon where the manager builds it */
};

void vf_netconf_init(struct vf_netconf *nc, enum vf_netconf_kind kind);

/*
 * Whether the manager builds the masters itself (NetworkManager, chosen
 * or detected where neither networkd nor ifupdown configures anything
 * but lo): the engine then adopts them (manager_builds_master) and
 * builds none.
 */
bool vf_netconf_manager_builds(const struct vf_netconf *nc);

/*
 * Where the manager builds masters: it learns to build a master of
 * that name over the synthetic NIC and every device with its MAC, and
 * to configure it as it configured the NIC; the NIC and the VF (NULL:
 * none), where it configures them otherwise now, move into it.
 * Idempotent. 1 changed, 0 nothing to do, -errno.
 */
int vf_netconf_hand_over(struct vf_netconf *nc, const struct vf_link *synthetic,
			 const struct vf_link *vf, const char *master_name,
			 char *err, size_t errlen);

/*
 * Removes what is left of the manager's files for masters that are gone
 * (NetworkManager never built one, or took it down): how many, -errno.
 */
int vf_netconf_release_stale(struct vf_netconf *nc, char *err, size_t errlen);

/* Whether the manager built the master of that name for vfbond. */
bool vf_netconf_owns(const struct vf_netconf *nc, const char *master_name);

/*
 * Whether a master may be built for this NIC: not where NetworkManager
 * would configure it, as it cannot configure a master vfbond built
 * (detected beside another manager: alone, NM builds the master).
 * 0, or -ENOTSUP with err set.
 */
int vf_netconf_check(const struct vf_netconf *nc,
		     const struct vf_link *synthetic, char *err, size_t errlen);

/*
 * A master of that name is about to be built for the NIC: where the
 * manager configures new links as they appear (networkd), it learns
 * now how to configure the master, so that it never configures it
 * otherwise, while the NIC keeps its own configuration until the
 * takeover. 1 changed, 0 nothing to do, -errno with err set.
 */
int vf_netconf_prepare(struct vf_netconf *nc, const struct vf_link *synthetic,
		       const char *master_name, char *err, size_t errlen);

/*
 * The master now stands for the synthetic NIC: make the manager
 * configure the master, and neither port. Idempotent. Returns 1 when
 * something changed (and the manager was asked to reload), 0 when all
 * was in place or no manager is in use, -errno with err set on failure.
 */
int vf_netconf_follow(struct vf_netconf *nc, const struct vf_link *synthetic,
		      const struct vf_link *master, char *err, size_t errlen);

/*
 * Undoes follow for a master (gone by now): the synthetic NIC's own
 * configuration applies again. 1 changed, 0 nothing to do, -errno.
 */
int vf_netconf_release(struct vf_netconf *nc, const char *master_name,
		       const char *synthetic_name, char *err, size_t errlen);

#endif
