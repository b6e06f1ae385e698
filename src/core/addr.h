/* SPDX-License-Identifier: MIT */
/*
 * Addresses and routes as the core sees them: the facts its policy needs
 * (which move to the master, in what order), filled in by the backend,
 * and the backend's own copy of each, which it alone reads.
 */
#ifndef VFBOND_ADDR_H
#define VFBOND_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VF_ADDRLEN	16
#define VF_ADDRTEXTSIZ	64
#define VF_ROUTETEXTSIZ 160

enum vf_family {
	VF_INET = 4,
	VF_INET6 = 6,
};

struct vf_addr {
	enum vf_family family;
	uint8_t addr[VF_ADDRLEN]; /* the interface's own address */
	unsigned prefixlen;
	bool global;		   /* valid beyond the host and the link */
	bool dad_failed;	   /* a duplicate was found: never usable */
	bool expiring;		   /* valid for less than a second */
	char text[VF_ADDRTEXTSIZ]; /* "198.18.0.2/24", for messages */
	void *os;		   /* the backend's copy, owned by the list */
	size_t os_len;
};

struct vf_route {
	enum vf_family family;
	uint8_t dst[VF_ADDRLEN];
	unsigned dst_len;
	bool has_dst;
	bool has_gateway;
	bool kernel_made;    /* the kernel makes and remakes it itself */
	bool multipath;	     /* more than one next hop */
	bool nexthop_object; /* its next hop is a shared object */
	int oif;	     /* the link it leaves by (or one of them) */
	char text[VF_ROUTETEXTSIZ];
	void *os;
	size_t os_len;
};

struct vf_addr_list {
	struct vf_addr *v;
	size_t n, cap;
};

struct vf_route_list {
	struct vf_route *v;
	size_t n, cap;
};

/* Appends a copy of a and of its backend record. False: out of memory. */
bool vf_addr_list_add(struct vf_addr_list *list, const struct vf_addr *a,
		      const void *os, size_t os_len);
bool vf_route_list_add(struct vf_route_list *list, const struct vf_route *r,
		       const void *os, size_t os_len);
void vf_addr_list_free(struct vf_addr_list *list);
void vf_route_list_free(struct vf_route_list *list);

/* The addresses that go over to the master: configured, usable, global. */
bool vf_addr_moves(const struct vf_addr *a);
/* What a port must not hold: all but an IPv6 link-local address. */
bool vf_addr_off_port(const struct vf_addr *a);

enum vf_route_verdict {
	VF_ROUTE_STAYS,	  /* the kernel's own, or another link's */
	VF_ROUTE_MOVES,	  /* through this link alone: it goes over */
	VF_ROUTE_UNMOVED, /* ours, but the core cannot move it yet */
};

enum vf_route_verdict vf_route_moves(const struct vf_route *r, int ifindex);
/* Why a route is VF_ROUTE_UNMOVED, for the log. */
const char *vf_route_unmoved_why(const struct vf_route *r);

/* Routes without a gateway first; otherwise as listed. */
void vf_routes_sort(struct vf_route_list *list);

#endif
