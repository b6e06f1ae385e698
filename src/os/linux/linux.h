/* SPDX-License-Identifier: MIT */
/*
 * The Linux backend's insides, shared by its files: nl.c (rtnetlink
 * requests), link.c (links, udev readiness), drv.c (drivers), monitor.c
 * (sockets, events), bond.c, addr.c and route.c (the primitives).
 */
#ifndef VFBOND_OS_LINUX_H
#define VFBOND_OS_LINUX_H

#include <linux/netlink.h>

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/link.h"
#include "os/if.h"

#define RXBUFSIZ    (64 * 1024) /* > a dump skb (32 KiB) */
#define REQBUFSIZ   (16 * 1024)
#define DUMP_TRIES  5
#define DRV_BUCKETS 256
#define EV_BATCH    8 /* datagrams per recvmmsg; a page each stays */

typedef union {
	struct nlmsghdr align;
	char buf[REQBUFSIZ];
} reqbuf;

/* Drivers by ifindex: a device's driver never changes. */
struct drv {
	struct drv *next;
	int ifindex;
	unsigned int gen;
	size_t name; /* in drv_names: a host has a handful of drivers */
};

struct drv_names {
	char (*v)[VF_DRIVERSIZ];
	size_t n, cap;
};

/* Software links: one driver per kind (veth, bonding, ...). */
struct drv_kind {
	char kind[VF_KINDSIZ];
	size_t name; /* in drv_names */
};

struct drv_kinds {
	struct drv_kind *v;
	size_t n, cap;
};

struct iset {
	int *v;
	size_t n, cap;
};

struct vf_if {
	struct mnl_socket *req; /* requests, dumps, acks */
	struct mnl_socket *ev;	/* RTNLGRP_LINK; NULL unless monitoring */
	int uev;		/* libudev group; -1 when not used */
	int ctl;		/* for ethtool and name ioctls */
	bool udev;		/* udev runs: links wait for its database */
	uint32_t seq;
	unsigned int gen; /* dump generation, to sweep the driver cache */
	char *buf;	  /* replies to requests */
	char *evbuf;	  /* events (EV_BATCH datagrams): callbacks may
			     make requests */
	struct drv *drv[DRV_BUCKETS];
	struct drv_names drv_names;
	struct drv_kinds drv_kinds;
	struct iset unready;
	struct iset addr_moved; /* links whose addresses changed */
	struct iset has_ip;	/* links with an IPv4 or global IPv6 address */
	int miimon_ms;
	char extack[192];
	char err[512];
};

/* A link as rtnetlink describes it, with what bond.c needs besides. */
struct link_info {
	struct vf_link l;
	unsigned int mtu;
	uint8_t addr[VF_MACLEN];
	bool has_addr;
	bool bond_port; /* a port of a bond: its addresses are looked at */
};

struct report {
	vf_link_cb *cb;
	vf_gone_cb *gone;
	void *arg;
};

typedef int msg_fn(struct vf_if *ifs, const struct nlmsghdr *nlh, void *arg);
typedef bool keep_fn(const struct nlmsghdr *nlh, int ifindex);

/* Copies of kernel messages. */
struct msgs {
	struct nlmsghdr **m;
	size_t n, cap;
};

/* nl.c */
void copy_str(char *dst, size_t size, const char *src, size_t srclen);
void set_err(struct vf_if *ifs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
size_t family_len(int family);
/* One whole, padded message within len bytes (parsers' entry points). */
bool msg_whole(const void *msg, size_t len);
const void *attr_bin(const struct nlattr *a, size_t len);
void attr_str(const struct nlattr *a, char *dst, size_t size);
void parse_attrs(const struct nlmsghdr *nlh, size_t off,
		 const enum mnl_attr_data_type *types, uint16_t max,
		 const struct nlattr **tb);
void parse_nested(const struct nlattr *nest,
		  const enum mnl_attr_data_type *types, uint16_t max,
		  const struct nlattr **tb);
int nl_talk(struct vf_if *ifs, struct nlmsghdr *nlh, msg_fn *fn, void *arg);
int req_ack(struct vf_if *ifs, struct nlmsghdr *nlh, int ifindex, int okerr,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
struct nlmsghdr *msg_start(reqbuf *rb, uint16_t type, uint16_t flags);
struct nlmsghdr *link_req(reqbuf *rb, uint16_t type, uint16_t flags,
			  int ifindex);
int msgs_add(struct msgs *v, const struct nlmsghdr *nlh);
void msgs_free(struct msgs *v);
/*
 * Keeps the messages of a dump (both families; IPv6 may be off) that fn
 * wants; a dump cut short is asked again.
 */
int dump_keep(struct vf_if *ifs, uint16_t type, keep_fn *fn, int ifindex,
	      struct msgs *out);

/* link.c */
int link_parse(const struct nlmsghdr *nlh, struct link_info *li);
int link_get(struct vf_if *ifs, int ifindex, const char *name,
	     struct link_info *li);
bool link_ready(const struct vf_if *ifs, int ifindex);
void link_forget(struct vf_if *ifs, int ifindex);
int report_cb(struct vf_if *ifs, const struct nlmsghdr *nlh, void *arg);

/* drv.c */
void drv_get(struct vf_if *ifs, struct vf_link *l);
void drv_forget(struct vf_if *ifs, int ifindex);
/* After a full dump: drop links it did not show (lost deletions). */
void drv_sweep(struct vf_if *ifs);
void drv_free_all(struct vf_if *ifs);
bool iset_has(const struct iset *s, int x);
void iset_add(struct iset *s, int x);
void iset_del(struct iset *s, int x);

/* The primitives, one file each kind (see core/journal.h). */
/*
 * Which links hold an IPv4 or a global IPv6 address, into ifs->has_ip:
 * every link (ifindex 0) or one. 0 or -errno. Never within a reply.
 */
int addr_scan(struct vf_if *ifs, int ifindex);
/* The link an RTM_NEWADDR/RTM_DELADDR message is about, or 0. */
int addr_msg_ifindex(const struct nlmsghdr *nlh);

int prim_link_get(void *os, int ifindex, struct vf_link *out);
int prim_master_create(void *os, const char *name,
		       const struct vf_link *synthetic, struct vf_link *out);
int prim_master_destroy(void *os, const struct vf_link *master);
int prim_master_mark(void *os, const struct vf_link *master, const char *alias);
int prim_master_primary(void *os, const struct vf_link *master,
			const struct vf_link *port);
int prim_master_active(void *os, const struct vf_link *master,
		       const struct vf_link *port);
int prim_port_set(void *os, const struct vf_link *port,
		  const struct vf_link *master);
int prim_set_up(void *os, const struct vf_link *link, bool up);
int prim_dad_off(void *os, const struct vf_link *link);
int prim_addr_list(void *os, const struct vf_link *link,
		   struct vf_addr_list *out);
int prim_addr_add(void *os, const struct vf_link *to,
		  const struct vf_link *from, const struct vf_addr *a);
int prim_addr_del(void *os, const struct vf_link *on, const struct vf_addr *a,
		  bool copy);
int prim_route_list(void *os, const struct vf_link *link,
		    struct vf_route_list *out);
int prim_route_add(void *os, const struct vf_link *on,
		   const struct vf_route *r);
int prim_route_del(void *os, const struct vf_link *on,
		   const struct vf_route *r);

#endif
