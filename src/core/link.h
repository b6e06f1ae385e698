/* SPDX-License-Identifier: MIT */
/*
 * What the core knows of one network interface. OS backends fill it from
 * kernel messages; the core never asks the kernel anything itself.
 */
#ifndef VFBOND_LINK_H
#define VFBOND_LINK_H

#include <stdbool.h>
#include <stdint.h>

#define VF_IFNAMSIZ  16 /* IFNAMSIZ on Linux and FreeBSD */
#define VF_KINDSIZ   24
#define VF_DRIVERSIZ 32
#define VF_ALIASSIZ  64
#define VF_MACLEN    6

struct vf_link {
	int ifindex;
	char name[VF_IFNAMSIZ];	   /* for messages only: names change */
	char kind[VF_KINDSIZ];	   /* rtnl kind: "bond", "veth", "" */
	char driver[VF_DRIVERSIZ]; /* "virtio_net", "hv_netvsc", "e1000e" */
	char alias[VF_ALIASSIZ];   /* marks masters vfbond built */
	uint8_t mac[VF_MACLEN];	   /* permanent address when known */
	bool ether;		   /* an Ethernet device */
	bool up;		   /* administratively up */
	bool carrier;		   /* lower layer reports link */
	bool ready;		   /* udev done with it (renames settled) */
	int master;		   /* ifindex of its master, 0 if none */
	int active_slave;	   /* bonds: ifindex of the active port */
};

/* "52:54:00:00:10:00" */
#define VF_MACSTRLEN 18
void vf_mac_format(const uint8_t mac[VF_MACLEN], char out[VF_MACSTRLEN]);
bool vf_mac_parse(const char *text, uint8_t mac[VF_MACLEN]);

#endif
