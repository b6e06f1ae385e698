/* SPDX-License-Identifier: MIT */
/*
 * One devd(8) event as its seqpacket socket (/var/run/devd.seqpacket.pipe)
 * delivers it, parsed without system calls:
 *
 *   !system=HYPERV_NIC_VF subsystem=hn0 type=VF_UP
 *   !system=IFNET subsystem=mce0 type=LINK_DOWN
 *   +mce0 at slot=2 function=0 on pci1      (device attach: ignored)
 *
 * Only '!' notifications carry what vfbond needs; '+', '-' and '?' lines
 * are classified and otherwise ignored.
 */
#ifndef VFBOND_FBSD_DEVD_H
#define VFBOND_FBSD_DEVD_H

#include <stddef.h>

#include "os/freebsd/ifname.h"

/* The kind of record, from its first character. */
enum vf_devd_msg {
	VF_DEVD_MSG_NOTIFY,  /* '!' system=... subsystem=... type=... */
	VF_DEVD_MSG_ATTACH,  /* '+' a device attached */
	VF_DEVD_MSG_DETACH,  /* '-' a device detached */
	VF_DEVD_MSG_NOMATCH, /* '?' a device no driver wanted */
};

/* What a notification means to vfbond. */
enum vf_devd_kind {
	VF_DEVD_OTHER,	   /* anything else: ignore */
	VF_DEVD_VF_UP,	   /* HYPERV_NIC_VF hnN VF_UP: hnN's VF is up */
	VF_DEVD_VF_DOWN,   /* HYPERV_NIC_VF hnN VF_DOWN */
	VF_DEVD_IFATTACH,  /* ETHERNET if IFATTACH: a NIC appeared */
	VF_DEVD_IF_ATTACH, /* IFNET if ATTACH */
	VF_DEVD_IF_DETACH, /* IFNET if DETACH */
	VF_DEVD_LINK_UP,   /* IFNET if LINK_UP */
	VF_DEVD_LINK_DOWN, /* IFNET if LINK_DOWN */
};

/* Errors: negative, so 0 alone means a parsed record. */
enum vf_devd_err {
	VF_DEVD_OK = 0,
	VF_DEVD_EEMPTY = -1,   /* no bytes, or only a line end */
	VF_DEVD_ENUL = -2,     /* a NUL inside the record */
	VF_DEVD_ECTRL = -3,    /* a control character (a second line...) */
	VF_DEVD_EPREFIX = -4,  /* not one of ! + - ? */
	VF_DEVD_ESYNTAX = -5,  /* a word not key=value, an open quote */
	VF_DEVD_ETOOLONG = -6, /* system, subsystem or type too long */
	VF_DEVD_EMISSING = -7, /* no system, subsystem or type */
	VF_DEVD_EDUP = -8,     /* system, subsystem or type twice */
	VF_DEVD_EIFNAME = -9,  /* an interface event with a bad name */
};

#define VF_DEVD_FIELDSIZ 64 /* system, subsystem, type: 63 chars at most */

struct vf_devd_event {
	enum vf_devd_msg msg;
	enum vf_devd_kind kind;	       /* VF_DEVD_OTHER unless a notify */
	char system[VF_DEVD_FIELDSIZ]; /* "" unless a notify */
	char subsystem[VF_DEVD_FIELDSIZ];
	char type[VF_DEVD_FIELDSIZ];
	char ifname[VF_FBSD_IFNAMSIZ]; /* IFNET/ETHERNET/HYPERV_NIC_VF only */
};

/*
 * Parses buf[0..len) (no NUL needed; a trailing "\n" or "\r\n" is
 * allowed). Returns VF_DEVD_OK with *ev filled, or a vf_devd_err with
 * *ev zeroed. Never reads outside buf.
 */
int vf_devd_parse(const char *buf, size_t len, struct vf_devd_event *ev);

/* "a NUL inside the record", ...; for logs. */
const char *vf_devd_strerror(int err);

/* "VF_UP", "LINK_DOWN", "OTHER", ... */
const char *vf_devd_kind_name(enum vf_devd_kind kind);

#endif
