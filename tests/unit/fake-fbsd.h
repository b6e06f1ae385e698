/* SPDX-License-Identifier: MIT */
/*
 * A fake FreeBSD kernel behind the FreeBSD backend's seam (sys.h): ifnets,
 * hn(4) and its VFs, lagg(4) failover, addresses, routes, sysctls, devd
 * and the routing socket, files and processes, all in memory. It keeps
 * the rules the backend relies on: lagg's primary is the first port
 * added, then the lowest ifindex left; hn reports its link down while
 * its VF is up and emits VF_UP / VF_DOWN; devd does not replay events
 * from before a client connected; deleting an address drops the routes
 * made for it; a lagg's first port sets its MTU, later ports are forced
 * to it, and a port's own MTU cannot change.
 */
#ifndef VFBOND_TEST_FAKE_FBSD_H
#define VFBOND_TEST_FAKE_FBSD_H

#include <stdbool.h>
#include <stdint.h>

#include "os/freebsd/sys.h"

#define FK_IFS	  32
#define FK_ADDRS  64
#define FK_ROUTES 64
#define FK_QUEUE  64
#define FK_PROCS  16
#define FK_FILES  16
#define FK_SYSCTL 32

struct fk_if {
	int ifindex;
	char name[VF_FBSD_IFNAMSIZ];
	char driver[VF_DRIVERSIZ];
	int unit;
	uint8_t mac[VF_MACLEN];
	bool up;
	bool phys_link; /* the wire, before hn's pretence */
	char descr[64];
	int vf; /* hn: its VF's ifindex (dev.hn.N.vf), 0 none */
	bool is_lagg;
	bool failover;
	int ports[VF_FBSD_MAXPORTS]; /* sorted by ifindex */
	int nports;
	int primary;   /* ifindex */
	int lagg;      /* a port: its lagg's ifindex */
	bool reported; /* carrier as last announced */
	unsigned mtu;
	unsigned nd6; /* VF_FBSD_ND6_* */
};

struct fk_proc {
	int pid;
	char argv[4][32];
	bool alive;
	bool ours; /* spawned through the seam: to be reaped */
	bool exited;
};

struct fake_fbsd {
	uint64_t now;
	struct fk_if ifs[FK_IFS];
	int nif, next_ifindex;
	struct {
		int ifindex;
		struct vf_fbsd_addr a;
	} addrs[FK_ADDRS];
	int naddr;
	struct vf_fbsd_route routes[FK_ROUTES];
	int nroute;
	struct {
		char name[48];
		char str[128];
		bool is_int;
		int val;
	} sysctl[FK_SYSCTL];
	int nsysctl;
	/* devd: running (accepting), connected, its queue for us. */
	bool devd_running, devd_conn;
	int devd_connects; /* attempts */
	char devd_q[FK_QUEUE][128];
	int devd_n;
	struct vf_fbsd_rtev rt_q[FK_QUEUE];
	int rt_n;
	bool rt_overflow;
	struct fk_proc procs[FK_PROCS];
	int nproc, next_pid;
	struct {
		char path[96];
		char text[1024];
	} files[FK_FILES];
	int nfile;
	uint64_t wake;
	int acks;
	int pipe[2];
	int fail_lagg_port; /* the next N SIOCSLAGGPORT adds fail: EIO */
	int vanish_on_add;  /* this ifindex detaches as it is added */
	int fail_if_list;   /* the next N getifaddrs fail: ENOMEM */
	bool fail_if_mtu;   /* SIOCSIFMTU fails: the driver refuses */
	unsigned lagg_nd6;  /* ND6 flags a new lagg comes with */
	char log[8192];	    /* mutating calls, "; " separated */
};

void fk_init(struct fake_fbsd *f);
const struct vf_fbsd_sys *fk_sys(void);

/* The kernel, as a test drives it. */
int fk_add_if(struct fake_fbsd *f, const char *name, const char *driver,
	      const uint8_t mac[VF_MACLEN], bool up);
struct fk_if *fk_if(struct fake_fbsd *f, int ifindex);
struct fk_if *fk_if_named(struct fake_fbsd *f, const char *name);
/* A VF attaches as hn's (dev.hn.N.vf) and devd says IFATTACH. */
int fk_vf_attach(struct fake_fbsd *f, int hn, const char *name);
void fk_detach(struct fake_fbsd *f, int ifindex);
void fk_set_sysctl_str(struct fake_fbsd *f, const char *name, const char *v);
void fk_set_sysctl_int(struct fake_fbsd *f, const char *name, int v);
int fk_sysctl_int(struct fake_fbsd *f, const char *name);
void fk_add_addr4(struct fake_fbsd *f, int ifindex, const char *addr,
		  unsigned prefix);
void fk_add_addr6(struct fake_fbsd *f, int ifindex, const char *addr,
		  unsigned prefix);
bool fk_has_addr(struct fake_fbsd *f, int ifindex, const char *addr);
void fk_add_route4(struct fake_fbsd *f, int ifindex, const char *dst,
		   unsigned len, const char *gw);
bool fk_has_route4(struct fake_fbsd *f, int ifindex, const char *dst,
		   unsigned len);
/* IPv6 likewise: a static route, and whether one leaves by ifindex. */
void fk_add_route6(struct fake_fbsd *f, int ifindex, const char *dst,
		   unsigned len, const char *gw);
bool fk_has_route6(struct fake_fbsd *f, int ifindex, const char *dst,
		   unsigned len);
void fk_write_file(struct fake_fbsd *f, const char *path, const char *text);
/* A process of somebody else's (devd's dhclient); writes its pid file. */
int fk_start_dhclient(struct fake_fbsd *f, const char *ifname);
/* The live dhclient on ifname, or NULL. */
struct fk_proc *fk_dhclient(struct fake_fbsd *f, const char *ifname);
void fk_set_link(struct fake_fbsd *f, int ifindex, bool link);
void fk_set_up(struct fake_fbsd *f, int ifindex, bool up);
/* The carrier the kernel reports: hn's pretence, lagg's ports. */
bool fk_carrier(struct fake_fbsd *f, int ifindex);
/* lagg: the port failover sends through, 0 if none. */
int fk_active_port(struct fake_fbsd *f, int lagg);
void fk_devd_stop(struct fake_fbsd *f); /* devd exits: EOF */
void fk_devd_start(struct fake_fbsd *f);

#endif
