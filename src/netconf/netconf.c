/* SPDX-License-Identifier: MIT */
/* Which adapter serves a NIC, and the calls that reach it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netconf/netconf-int.h"

bool
vf_netconf_parse_kind(const char *word, enum vf_netconf_kind *out)
{
	static const char *const names[] = { "auto", "none", "networkd",
					     "ifupdown", "networkmanager" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(word, names[i]) == 0) {
			*out = (enum vf_netconf_kind)i;
			return true;
		}
	return false;
}

const char *
vf_netconf_kind_name(enum vf_netconf_kind kind)
{
	switch (kind) {
	case VF_NETCONF_NONE:
		return "none";
	case VF_NETCONF_NETWORKD:
		return "networkd";
	case VF_NETCONF_IFUPDOWN:
		return "ifupdown";
	case VF_NETCONF_NETWORKMANAGER:
		return "networkmanager";
	default:
		return "auto";
	}
}

void
vf_netconf_init(struct vf_netconf *nc, enum vf_netconf_kind kind)
{
	memset(nc, 0, sizeof(*nc));
	nc->kind = kind;
	snprintf(nc->state_dir, sizeof(nc->state_dir), "/var/lib/vfbond");
	nc->link_check_ms = 100;
}

bool
vf_netconf_manager_builds(const struct vf_netconf *nc)
{
	if (nc->kind != VF_NETCONF_AUTO)
		return nc->kind == VF_NETCONF_NETWORKMANAGER;
	/* Alone: NM's ifupdown plugin leaves ifupdown's NICs alone. */
	return vf_nm_in_use(nc) && !vf_networkd_in_use(nc) &&
	       !vf_ifupdown_configures_any(nc);
}

int
vf_netconf_hand_over(struct vf_netconf *nc, const struct vf_link *synthetic,
		     const struct vf_link *vf, const char *master_name,
		     char *err, size_t errlen)
{
	err[0] = '\0';
	return vf_nm_hand_over(nc, synthetic, vf, master_name, err, errlen);
}

int
vf_netconf_release_stale(struct vf_netconf *nc, char *err, size_t errlen)
{
	err[0] = '\0';
	return vf_nm_release_all(nc, err, errlen);
}

bool
vf_netconf_owns(const struct vf_netconf *nc, const char *master_name)
{
	return vf_nm_owns(nc, master_name);
}

static enum vf_netconf_kind
adapter_for(const struct vf_netconf *nc, const struct vf_link *synthetic)
{
	if (nc->kind != VF_NETCONF_AUTO)
		return nc->kind;
	if (vf_networkd_in_use(nc) && vf_networkd_selects(nc, synthetic))
		return VF_NETCONF_NETWORKD;
	if (vf_ifupdown_in_use(nc, synthetic))
		return VF_NETCONF_IFUPDOWN;
	return VF_NETCONF_NONE;
}

int
vf_netconf_check(const struct vf_netconf *nc, const struct vf_link *synthetic,
		 char *err, size_t errlen)
{
	err[0] = '\0';
	if (nc->kind != VF_NETCONF_AUTO ||
	    adapter_for(nc, synthetic) != VF_NETCONF_NONE || !vf_nm_in_use(nc))
		return 0;
	snprintf(err, errlen,
		 "NetworkManager configures %s beside another manager: "
		 "standing aside (network_manager = networkmanager lets "
		 "NetworkManager build the master, none builds one)",
		 synthetic->name);
	return -ENOTSUP;
}

int
vf_netconf_prepare(struct vf_netconf *nc, const struct vf_link *synthetic,
		   const char *master_name, char *err, size_t errlen)
{
	err[0] = '\0';
	if (adapter_for(nc, synthetic) != VF_NETCONF_NETWORKD)
		return 0;
	return vf_networkd_prepare(nc, synthetic, master_name, err, errlen);
}

int
vf_netconf_follow(struct vf_netconf *nc, const struct vf_link *synthetic,
		  const struct vf_link *master, char *err, size_t errlen)
{
	err[0] = '\0';
	switch (adapter_for(nc, synthetic)) {
	case VF_NETCONF_NETWORKD:
		return vf_networkd_follow(nc, synthetic, master, err, errlen);
	case VF_NETCONF_IFUPDOWN:
		return vf_ifupdown_follow(nc, synthetic, master, err, errlen);
	default:
		return 0;
	}
}

int
vf_netconf_release(struct vf_netconf *nc, const char *master_name,
		   const char *synthetic_name, char *err, size_t errlen)
{
	int a, b, c;

	err[0] = '\0';
	a = vf_networkd_release(nc, master_name, err, errlen);
	if (a < 0)
		return a;
	b = vf_ifupdown_release(nc, master_name, synthetic_name, err, errlen);
	if (b < 0)
		return b;
	c = vf_nm_release(nc, master_name, synthetic_name, err, errlen);
	if (c < 0)
		return c;
	return a > 0 || b > 0 || c > 0;
}
