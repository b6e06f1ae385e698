/* SPDX-License-Identifier: MIT */
/*
 * FreeBSD's side of the seam (sys.h), shared by sys-if.c (ifnets, lagg,
 * sysctl), sys-net.c (addresses, routes) and sys-ev.c (devd, PF_ROUTE,
 * kqueue, processes, vf_if_open). Built on FreeBSD only; thin: what has
 * logic is in backend.c, prims.c and dhcp.c.
 */
#ifndef VFBOND_FBSD_SYS_FBSD_H
#define VFBOND_FBSD_SYS_FBSD_H

#include "os/freebsd/sys.h"

struct sysctx {
	int s4;	  /* AF_INET datagram socket: interface ioctls */
	int s6;	  /* AF_INET6 one, -1 without INET6 */
	int rtw;  /* PF_ROUTE, for RTM_ADD / RTM_DELETE */
	int kq;	  /* what the daemon watches; -1 without monitor */
	int rt;	  /* PF_ROUTE events; -1 without monitor */
	int devd; /* devd's seqpacket socket; -1 while not connected */
	int seq;
};

/* sys-if.c */
int sys_sysctl_str(void *ctx, const char *name, char *buf, size_t len);
int sys_sysctl_int(void *ctx, const char *name, int *out);
int sys_sysctl_set_int(void *ctx, const char *name, int value);
int sys_if_list(void *ctx, struct vf_fbsd_ifnet *out, size_t max);
int sys_descr_get(void *ctx, const char *ifname, char *buf, size_t len);
int sys_descr_set(void *ctx, const char *ifname, const char *text);
int sys_lagg_get(void *ctx, const char *ifname, struct vf_fbsd_lagg *out);
int sys_lagg_create(void *ctx, int unit, char out[VF_FBSD_IFNAMSIZ]);
int sys_if_rename(void *ctx, const char *ifname, const char *newname);
int sys_if_destroy(void *ctx, const char *ifname);
int sys_lagg_failover(void *ctx, const char *lagg);
int sys_lagg_port(void *ctx, const char *lagg, const char *port, bool add);
int sys_if_updown(void *ctx, const char *ifname, bool up);
int sys_if_mtu(void *ctx, const char *ifname, unsigned mtu);
int sys_nd6_flags(void *ctx, const char *ifname, unsigned mask, unsigned flags);
int sys_nd6_get(void *ctx, const char *ifname, unsigned *flags);

/* sys-net.c */
int sys_addr_list(void *ctx, const char *ifname, struct vf_fbsd_addr *out,
		  size_t max);
int sys_addr_add(void *ctx, const char *ifname, const struct vf_fbsd_addr *a);
int sys_addr_del(void *ctx, const char *ifname, const struct vf_fbsd_addr *a);
int sys_route_list(void *ctx, struct vf_fbsd_route *out, size_t max);
int sys_route_add(void *ctx, const struct vf_fbsd_route *r);
int sys_route_del(void *ctx, const struct vf_fbsd_route *r);
/* One routing socket message as an event; false if not one of ours. */
bool sys_rt_event(const void *msg, size_t len, struct vf_fbsd_rtev *ev);

#endif
