/* SPDX-License-Identifier: MIT */
/*
 * Settings the core decides with. Plain data: conf/ fills it from
 * /etc/vfbond.conf, tests fill it by hand.
 */
#ifndef VFBOND_CONFIG_H
#define VFBOND_CONFIG_H

#include <stdbool.h>

#include "link.h"

#define VF_MAX_WORDS   32
#define VF_MAX_IFACES  64
#define VF_PATHSIZ     256
#define VF_TEMPLATESIZ 32

struct vf_words {
	int count;
	char word[VF_MAX_WORDS][VF_DRIVERSIZ];
};

/* A [iface NAME] section: NAME is an interface name or a MAC address. */
struct vf_iface_conf {
	char match[VF_MACSTRLEN + 1];
	int vf_delay_ms; /* -1: the global value */
	bool ignore;	 /* never touch this pair */
};

struct vf_config {
	int vf_delay_ms;     /* the seed's hyperv_vf_delay */
	int carrier_wait_ms; /* longest wait for the VF's link */
	int link_check_ms;   /* how often a master checks its ports */
	/*
	 * Build the master over the synthetic NIC alone, before any VF:
	 * the network manager then configures the master from boot on.
	 * The backend's default (Linux yes, FreeBSD no).
	 */
	bool master_before_vf;
	/*
	 * The network manager builds the master (NetworkManager does, from
	 * the profiles its adapter writes): the engine builds none, takes
	 * over nothing, and adopts the one of the name it would give that
	 * holds the synthetic NIC, only making the VF its primary.
	 */
	bool manager_builds_master;
	struct vf_words synthetic_drivers;
	struct vf_words synthetic_names; /* fnmatch(3) patterns */
	struct vf_words vf_exclude_kinds;
	/*
	 * The backend's default of vf_exclude_kinds. While the two are the
	 * same only bus devices are VFs; a config that changes the list
	 * lets software links of the kinds it leaves out be VFs.
	 */
	struct vf_words vf_exclude_default;
	char master_name[VF_TEMPLATESIZ]; /* %m: MAC tail, %n: name */
	char hooks_dir[VF_PATHSIZ];
	char network_manager[16]; /* the adapter: auto, none, networkd */
	int hook_timeout_ms;
	/* What hooks are granted (hook_capabilities), in the OS's words. */
	struct vf_words hook_privileges;
	int n_ifaces;
	struct vf_iface_conf ifaces[VF_MAX_IFACES];
};

/* The OS-neutral defaults; the backend's vf_if_defaults adds its own. */
void vf_config_defaults(struct vf_config *conf);
bool vf_words_has(const struct vf_words *words, const char *word);
/* The same words, in any order. */
bool vf_words_same(const struct vf_words *a, const struct vf_words *b);
/* Splits on spaces and commas; false if there are too many or too long. */
bool vf_words_set(struct vf_words *words, const char *text);

/* The [iface] section for a link, matched by name or MAC, or NULL. */
const struct vf_iface_conf *vf_config_iface(const struct vf_config *conf,
					    const struct vf_link *link);

/*
 * Expands the master name template for a synthetic NIC. False when the
 * result is empty, too long for an interface name, or uses an unknown
 * escape; a template is checked once, at load, with a sample link.
 */
bool vf_master_name(const char *template, const struct vf_link *synthetic,
		    char out[VF_IFNAMSIZ]);

#endif
