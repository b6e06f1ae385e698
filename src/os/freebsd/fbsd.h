/* SPDX-License-Identifier: MIT */
/*
 * The FreeBSD backend's insides, portable C over the seam in sys.h:
 * backend.c (the kernel's links as vf_links, events, devd reconnect),
 * prims.c (the primitives as lagg, address and route calls), dhcp.c
 * (dhclient following the address from hnN to the lagg).
 */
#ifndef VFBOND_FBSD_H
#define VFBOND_FBSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/journal.h"
#include "os/freebsd/hnsysctl.h"
#include "os/freebsd/rcconf.h"
#include "os/freebsd/sys.h"
#include "os/if.h"

#define DEVD_BACKOFF_FIRST_MS 1000
#define DEVD_BACKOFF_CAP_MS   60000
#define DHCP_SWEEP_MS	      2000 /* devd's dhclient starts after LINK_UP */
#define MAX_CHILDREN	      8

#define RC_CONF		  "/etc/rc.conf"
#define RC_CONF_LOCAL	  "/etc/rc.conf.local"
#define DHCLIENT	  "/sbin/dhclient"
#define DHCLIENT_PIDS	  "/var/run/dhclient/dhclient.%s.pid"
#define RX_ALL_SYSCTL	  "net.link.lagg.failover_rx_all"
#define RC_MAXSIZE	  (64 * 1024)
#define VF_FBSD_HOOKS_DIR "/usr/local/etc/vfbond/hooks"

/* Drivers of software links: never VFs (and vf_exclude_kinds). */
#define FB_VIRTUAL                                                             \
	"lagg vlan bridge epair tap tun gif gre lo vxlan wg pflog pfsync "     \
	"enc stf ipsec ng_eiface vmnet ovpn me disc"

/* The kernel's links at one moment, as the core sees them. */
struct snap {
	struct vf_fbsd_ifnet ifn[VF_FBSD_MAXIF];
	struct vf_link l[VF_FBSD_MAXIF];
	size_t n;
};

struct vf_if {
	const struct vf_fbsd_sys *sys;
	void *ctx;
	bool monitor;
	struct vf_words virt; /* FB_VIRTUAL */
	enum vf_hn_verdict verdict;
	bool transparent; /* hw.hn.vf_transparent set: the kernel pairs */
	char why[160];	  /* the verdict, for status and the log */
	struct vf_rcconf rc;
	/* devd: connected, or when to try again and how long after. */
	bool devd_up;
	uint64_t devd_retry_at;
	unsigned devd_backoff_ms;
	bool dirty; /* something happened: read the links again */
	/* What was last reported, to report only changes. */
	struct vf_link known[VF_FBSD_MAXIF];
	size_t nknown;
	/* dhclients we started, reaped at each event; hn ones to stop. */
	int children[MAX_CHILDREN];
	size_t nchildren;
	uint64_t sweep_at;	/* 0: none */
	bool sweep_now;		/* an address changed: sweep at the next read */
	uint64_t read_retry_at; /* a failed read tried again; 0: none */
	char err[512];
};

/* backend.c */
void fb_err(struct vf_if *ifs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int fb_snap(struct vf_if *ifs, struct snap *s);
const struct vf_link *fb_snap_link(const struct snap *s, int ifindex);
const struct vf_fbsd_ifnet *fb_snap_ifnet(const struct snap *s, int ifindex);
/* rc.conf read again; the last good one kept if this one is not. */
void fb_rc_refresh(struct vf_if *ifs);
/* A lagg marked as vfbond's. */
bool fb_is_ours(const struct vf_link *l);
/* The current name of ifindex, or -ENODEV with a message. */
int fb_name(struct vf_if *ifs, int ifindex, const char *what,
	    char name[VF_FBSD_IFNAMSIZ]);

/* dhcp.c */
/* hn's dhclient stops, the lagg's starts, if rc.conf says DHCP. */
void fb_dhcp_takeover(struct vf_if *ifs, const char *hn, const char *lagg);
/* A dhclient on an hn in one of our laggs is stopped again. */
void fb_dhcp_sweep(struct vf_if *ifs, const struct snap *s);
/* A lagg of ours has link back: its dhclient runs if it should. */
void fb_dhcp_link_up(struct vf_if *ifs, const struct snap *s, int lagg);
void fb_reap(struct vf_if *ifs);
/* rc.conf's ifconfig_hnN_ipv6 asks for router advertisements. */
bool fb_rc_accept_rtadv(struct vf_if *ifs, const char *hn);

/*
 * The backend over a given seam (the fake kernel's in tests); takes
 * ctx over, closing it on failure. vf_if_open passes FreeBSD's own.
 */
struct vf_if *vf_fbsd_open(const struct vf_fbsd_sys *sys, void *ctx,
			   const struct vf_config *conf, bool monitor,
			   char *err, size_t errlen);

/* names.c: vf_delay from hyperv_vf_delay in these rc.conf files. */
void vf_fbsd_rc_defaults(struct vf_config *conf, const char *const files[],
			 size_t n);

#endif
