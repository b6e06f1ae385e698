/* SPDX-License-Identifier: MIT */
/*
 * What rc.conf says hnN's addresses are, classified the way rc.d/netif
 * reads ifconfig_IF: so that the lagg vfbond builds over hnN gets hnN's
 * configuration, as the seed's hyperv_vfup did. No system calls.
 */
#ifndef VFBOND_FBSD_IFCFG_H
#define VFBOND_FBSD_IFCFG_H

#include "os/freebsd/rcconf.h"

enum vf_ifcfg_v4 {
	VF_IFCFG_NONE,	   /* no IPv4 address (args may still say "mtu") */
	VF_IFCFG_DHCP,	   /* dhclient, in the background */
	VF_IFCFG_SYNCDHCP, /* dhclient, waited for */
	VF_IFCFG_STATIC,   /* an address in args */
};

enum vf_ifcfg_v6 {
	VF_IFCFG6_NONE,	  /* ifconfig_hnN_ipv6 unset or empty */
	VF_IFCFG6_RTADV,  /* accept_rtadv, no address */
	VF_IFCFG6_STATIC, /* an address (accept_rtadv may be on too) */
	VF_IFCFG6_OTHER,  /* arguments without either */
};

#define VF_INET_ADDRSTRLEN  16
#define VF_INET6_ADDRSTRLEN 46

struct vf_ifcfg {
	enum vf_ifcfg_v4 v4;
	/* ifconfig_hnN (or ifconfig_DEFAULT) less the words rc.d keeps to
	 * itself (DHCP, SYNCDHCP, NOSYNCDHCP, NOAUTO, WPA, HOSTAP, POLLING):
	 * what rc.d would hand to ifconfig. */
	char args[VF_RC_VALSIZ];
	char inet[VF_INET_ADDRSTRLEN]; /* STATIC: "10.0.0.5" */
	int prefixlen;		       /* STATIC: from /24 or netmask; -1 */
	enum vf_ifcfg_v6 v6;
	char args6[VF_RC_VALSIZ]; /* ifconfig_hnN_ipv6 as written */
	char inet6[VF_INET6_ADDRSTRLEN];
	int prefixlen6; /* -1 if not given (ifconfig's default: 64) */
	bool accept_rtadv;
};

/*
 * The configuration rc.conf gives ifname. Returns 0, or -1 with
 * "file:line: variable: what" in err for a value that cannot be applied
 * as written (a bad address, a non-contiguous netmask).
 */
int vf_ifcfg_get(const struct vf_rcconf *rc, const char *ifname,
		 struct vf_ifcfg *cfg, char *err, size_t errlen);

/* "none", "DHCP", "SYNCDHCP", "static"; "none", "accept_rtadv", ... */
const char *vf_ifcfg_v4_name(enum vf_ifcfg_v4 v4);
const char *vf_ifcfg_v6_name(enum vf_ifcfg_v6 v6);

#endif
