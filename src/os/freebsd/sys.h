/* SPDX-License-Identifier: MIT */
/*
 * The seam between the FreeBSD backend's logic and the kernel: every
 * system call the backend makes, as a table of plain functions over
 * portable types. sys-*.c fill it with sysctl(3), ioctl(2), PF_ROUTE,
 * devd's socket and posix_spawn(3) on FreeBSD; tests fill it with an
 * in-memory kernel (tests/unit/fake-fbsd.c), so the logic above it runs
 * on Linux. Interfaces are named by ifindex where the kernel allows; the
 * ioctls take names, which the logic looks up just before each call.
 * Every call returns 0 (or a count) or -errno.
 */
#ifndef VFBOND_FBSD_SYS_H
#define VFBOND_FBSD_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/link.h"
#include "os/freebsd/ifname.h"

#define VF_FBSD_MAXIF	 64
#define VF_FBSD_MAXPORTS 8
#define VF_FBSD_MAXADDR	 64
#define VF_FBSD_MAXRT	 128

/* One ifnet as getifaddrs(3) and a few ioctls show it. */
struct vf_fbsd_ifnet {
	int ifindex;
	char name[VF_FBSD_IFNAMSIZ];
	char driver[VF_DRIVERSIZ]; /* the cloner or driver: "hn", "lagg" */
	int unit;		   /* the device unit: N of dev.hn.N */
	uint8_t mac[VF_MACLEN];
	bool ether;   /* an Ethernet link, or a lagg port (type changes) */
	bool up;      /* IFF_UP */
	bool carrier; /* LINK_STATE_UP */
	unsigned mtu;
};

/* A lagg as SIOCGLAGG shows it; ports in the kernel's order. */
struct vf_fbsd_lagg {
	bool failover; /* LAGG_PROTO_FAILOVER */
	size_t nports;
	struct {
		char name[VF_FBSD_IFNAMSIZ];
		bool primary; /* LAGG_PORT_MASTER */
		bool active;  /* LAGG_PORT_ACTIVE */
	} port[VF_FBSD_MAXPORTS];
};

struct vf_fbsd_addr {
	int family; /* 4 or 6 */
	uint8_t addr[16];
	unsigned prefixlen;
	bool has_bcast; /* IPv4: the broadcast address given */
	uint8_t bcast[4];
	bool tentative;	 /* IN6_IFF_TENTATIVE */
	bool duplicated; /* IN6_IFF_DUPLICATED */
	bool autoconf;	 /* IN6_IFF_AUTOCONF or TEMPORARY: made from RAs */
};

struct vf_fbsd_route {
	int family;
	uint8_t dst[16];
	unsigned dst_len;
	bool has_gw;
	uint8_t gw[16];
	int ifindex;
	bool is_static; /* RTF_STATIC: a person or a daemon added it */
	/* Sent: the zone of its IPv6 link-local addresses (an ifindex). */
	int scope;
};

enum vf_fbsd_rtev_type {
	VF_FBSD_RTEV_LINK,  /* RTM_IFINFO, RTM_IFANNOUNCE */
	VF_FBSD_RTEV_ADDR,  /* RTM_NEWADDR, RTM_DELADDR */
	VF_FBSD_RTEV_ROUTE, /* RTM_ADD, RTM_DELETE, RTM_CHANGE */
	VF_FBSD_RTEV_OTHER,
};

struct vf_fbsd_rtev {
	enum vf_fbsd_rtev_type type;
	int ifindex; /* 0 if the message names none */
};

/* The ND6 per-interface flags the backend sets on its laggs. */
#define VF_FBSD_ND6_NO_DAD	 0x1
#define VF_FBSD_ND6_ACCEPT_RTADV 0x2
#define VF_FBSD_ND6_IFDISABLED	 0x4

struct vf_fbsd_sys {
	/* Monotonic milliseconds. */
	uint64_t (*now_ms)(void *ctx);
	void (*close)(void *ctx);

	/* sysctlbyname(3): strings (with their NUL) and integers. */
	int (*sysctl_str)(void *ctx, const char *name, char *buf, size_t len);
	int (*sysctl_int)(void *ctx, const char *name, int *out);
	int (*sysctl_set_int)(void *ctx, const char *name, int value);

	/* Every ifnet; returns how many, at most max. */
	int (*if_list)(void *ctx, struct vf_fbsd_ifnet *out, size_t max);
	/* SIOCGIFDESCR: "" when none. */
	int (*descr_get)(void *ctx, const char *ifname, char *buf, size_t len);
	int (*descr_set)(void *ctx, const char *ifname, const char *text);
	/* SIOCGLAGG: -ENOTTY (or the driver's error) if not a lagg. */
	int (*lagg_get)(void *ctx, const char *ifname,
			struct vf_fbsd_lagg *out);
	/* SIOCIFCREATE2 of "laggN" (N < 0: the kernel picks); out: name. */
	int (*lagg_create)(void *ctx, int unit, char out[VF_FBSD_IFNAMSIZ]);
	int (*if_rename)(void *ctx, const char *ifname, const char *newname);
	int (*if_destroy)(void *ctx, const char *ifname);
	int (*lagg_failover)(void *ctx, const char *lagg);
	/* SIOCSLAGGPORT / SIOCSLAGGDELPORT. */
	int (*lagg_port)(void *ctx, const char *lagg, const char *port,
			 bool add);
	/* IFF_UP on or off. */
	int (*if_updown)(void *ctx, const char *ifname, bool up);
	/* SIOCSIFMTU. */
	int (*if_mtu)(void *ctx, const char *ifname, unsigned mtu);
	/* SIOCSIFINFO_IN6: sets the VF_FBSD_ND6_* flags given in mask. */
	int (*nd6_flags)(void *ctx, const char *ifname, unsigned mask,
			 unsigned flags);
	/* SIOCGIFINFO_IN6: the VF_FBSD_ND6_* flags set now. */
	int (*nd6_get)(void *ctx, const char *ifname, unsigned *flags);

	/* Addresses of one ifnet: returns how many, at most max. */
	int (*addr_list)(void *ctx, const char *ifname,
			 struct vf_fbsd_addr *out, size_t max);
	int (*addr_add)(void *ctx, const char *ifname,
			const struct vf_fbsd_addr *a);
	int (*addr_del)(void *ctx, const char *ifname,
			const struct vf_fbsd_addr *a);
	/* The routing table (NET_RT_DUMP): returns how many, at most max. */
	int (*route_list)(void *ctx, struct vf_fbsd_route *out, size_t max);
	/* RTM_ADD / RTM_DELETE through r->ifindex. */
	int (*route_add)(void *ctx, const struct vf_fbsd_route *r);
	int (*route_del)(void *ctx, const struct vf_fbsd_route *r);

	/*
	 * The event sources. fd: the one descriptor the daemon's loop
	 * watches (a kqueue over the others on FreeBSD). devd_read returns
	 * one record's length, -EAGAIN when none is waiting, 0 at EOF.
	 * rt_read returns 1 with *ev, 0 when none, -ENOBUFS when some were
	 * lost. wake_at makes fd readable at that time (timers).
	 */
	int (*fd)(void *ctx);
	/* Takes fd's pending wake-ups, before the sources are drained. */
	void (*ack)(void *ctx);
	int (*devd_connect)(void *ctx);
	int (*devd_read)(void *ctx, char *buf, size_t len);
	void (*devd_close)(void *ctx);
	int (*rt_read)(void *ctx, struct vf_fbsd_rtev *ev);
	void (*wake_at)(void *ctx, uint64_t ms);

	/* Files and processes: dhclient's pid files, rc.conf. */
	int (*file_read)(void *ctx, const char *path, char *buf, size_t len);
	/* kill(2); sig 0 asks whether it lives. */
	int (*kill)(void *ctx, int pid, int sig);
	/* posix_spawn(3) of argv[0] with argv, no shell; returns the pid. */
	int (*spawn)(void *ctx, const char *const argv[]);
	/* waitpid(WNOHANG) of a child we spawned: 1 reaped, 0 not yet. */
	int (*reap)(void *ctx, int pid);
};

#endif
