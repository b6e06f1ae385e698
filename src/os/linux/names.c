/* SPDX-License-Identifier: MIT */
/*
 * What Linux's names mean: the drivers and kinds the core must not know,
 * its defaults and the classification of links.
 */
#include <string.h>

#include "os/defaults.h"
#include "os/linux/if-linux.h"

void
vf_if_defaults(struct vf_config *conf)
{
	/* bonding's miimon: how soon a VF's lost carrier is noticed. */
	conf->link_check_ms = 50;
	/* The network manager starts after us: it configures the master. */
	conf->master_before_vf = true;
	vf_words_set(&conf->synthetic_drivers, "hv_netvsc virtio_net");
	vf_words_set(&conf->vf_exclude_kinds,
		     "bond bridge vlan macvlan macvtap ipvlan veth vxlan "
		     "geneve gre gretap ip6gre ip6gretap ipip sit tun "
		     "wireguard team");
	conf->vf_exclude_default = conf->vf_exclude_kinds;
}

void
vf_linux_classify(struct vf_link *link)
{
	if (strcmp(link->kind, "bond") == 0)
		link->cls = VF_LINK_FAILOVER;
	else if (strcmp(link->kind, "failover") == 0 ||
		 strcmp(link->driver, "net_failover") == 0)
		link->cls = VF_LINK_KERNEL_FAILOVER;
	else if (link->kind[0] != '\0')
		link->cls = VF_LINK_VIRTUAL;
	else
		link->cls = VF_LINK_DEVICE;
	/* hv_netvsc takes any VF with its MAC as its own lower link. */
	if (strcmp(link->driver, "hv_netvsc") == 0)
		link->kernel_failover = true;
}
