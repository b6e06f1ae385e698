/* SPDX-License-Identifier: MIT */
/*
 * What the core knows of one network interface. OS backends fill it from
 * kernel messages; the core never asks the kernel anything itself.
 */
#ifndef VFBOND_LINK_H
#define VFBOND_LINK_H

#include <stdbool.h>
#include <stdint.h>

#define VF_IFNAMSIZ  16 /* IFNAMSIZ of every kernel we know */
#define VF_KINDSIZ   16
#define VF_DRIVERSIZ 32
#define VF_ALIASSIZ  32 /* our marks take 25; longer ones are cut */
#define VF_MACLEN    6

/* What a link is, as the backend tells; the core knows no driver. */
enum vf_link_class {
	VF_LINK_DEVICE,		 /* a device on a bus: a NIC, a VF */
	VF_LINK_VIRTUAL,	 /* a software device: bridge, tunnel, pair */
	VF_LINK_FAILOVER,	 /* a failover master of the kind we build */
	VF_LINK_KERNEL_FAILOVER, /* a failover master the kernel runs */
};

struct vf_link {
	int ifindex;
	char name[VF_IFNAMSIZ];	   /* for messages only: names change */
	char kind[VF_KINDSIZ];	   /* the OS's type of a software link */
	char driver[VF_DRIVERSIZ]; /* the device driver's name */
	enum vf_link_class cls;
	char alias[VF_ALIASSIZ]; /* marks masters vfbond built */
	uint8_t mac[VF_MACLEN];	 /* permanent address when known */
	bool ether;		 /* an Ethernet device */
	bool up;		 /* administratively up */
	bool carrier;		 /* lower layer reports link */
	bool ready;		 /* udev done with it (renames settled) */
	int master;		 /* ifindex of its master, 0 if none */
	int active_slave;	 /* failover masters: the active port */
	bool active_backup;	 /* failover masters: one port at a time */
	int primary; /* failover masters: preferred port, 0 none, or: */
#define VF_PRIMARY_UNKNOWN (-1) /* the backend does not say */
	int kernel_pair;	/* the link the kernel pairs it with */
	bool has_ip; /* a failover port with an IPv4 or global IPv6 address */
	bool kernel_failover; /* and it runs that pair's failover itself */
};

/* "52:54:00:00:10:00" */
#define VF_MACSTRLEN 18
void vf_mac_format(const uint8_t mac[VF_MACLEN], char out[VF_MACSTRLEN]);
bool vf_mac_parse(const char *text, uint8_t mac[VF_MACLEN]);

#endif
