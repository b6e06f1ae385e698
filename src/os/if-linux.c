/* SPDX-License-Identifier: MIT */
/*
 * The Linux backend. Everything goes over rtnetlink through libmnl: one
 * socket for requests (dumps and acknowledged changes) and one for link
 * events, so that a dump never interleaves with events. udev's own
 * multicast group is joined only as a "look again" signal for links
 * udev had not finished with; its messages are never parsed.
 *
 * The bond work (vf_if_apply) keeps a journal: before each change it
 * records the request that reverts it, and on failure replays the
 * journal backwards, so the network is left as it was found.
 */
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/if-linux.h"
#include "os/if.h"

#define RXBUFSIZ	   (64 * 1024) /* > a dump skb (32 KiB) */
#define REQBUFSIZ	   (16 * 1024)
#define EV_RCVBUF	   (64 * 1024 * 1024) /* a 500-link storm fits */
#define UEV_RCVBUF	   (8 * 1024 * 1024)
#define REQ_TIMEOUT_S	   10
#define DUMP_TRIES	   5
#define DISCARD_MAX	   100000
#define DRV_BUCKETS	   256
#define UDEV_CONTROL	   "/run/udev/control"
#define UDEV_DATA	   "/run/udev/data/n"
#define UDEV_GROUP	   2 /* libudev: sent when udev is done */
#define ADDR_FOREVER	   0xffffffffU
#define BOND_ACTIVE_BACKUP 1
/* Address flags a user may set; the rest is kernel state. */
#define ADDR_USER_FLAGS                                                        \
	(IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR |              \
	 IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN)

typedef union {
	struct nlmsghdr align;
	char buf[REQBUFSIZ];
} reqbuf;

struct drv {
	struct drv *next;
	int ifindex;
	unsigned int gen;
	char name[VF_DRIVERSIZ];
};

struct iset {
	int *v;
	size_t n, cap;
};

struct msgs {
	struct nlmsghdr **m;
	size_t n, cap;
};

struct vf_if {
	struct mnl_socket *req; /* requests, dumps, acks */
	struct mnl_socket *ev;	/* RTNLGRP_LINK; NULL unless monitoring */
	int uev;		/* libudev group; -1 when not used */
	int epfd;		/* holds ev and uev: what vf_if_fd returns */
	int ctl;		/* for ethtool and name ioctls */
	bool udev;		/* udev runs: links wait for its database */
	uint32_t seq;
	unsigned int gen; /* dump generation, to sweep the driver cache */
	char *buf;	  /* replies to requests */
	char *evbuf;	  /* events: callbacks may make requests */
	struct drv *drv[DRV_BUCKETS];
	struct iset unready;
	int miimon_ms;
	char extack[192];
	char err[512];
};

/* A journal entry: the request that reverts one change. */
struct undo {
	struct nlmsghdr *msg;
	int ignore; /* errno meaning "nothing left to revert" */
	char what[128];
};

struct apply {
	struct vf_if *ifs;
	struct undo *u;
	size_t n, cap;
};

/* What apply needs of a link beyond struct vf_link. */
struct link_info {
	struct vf_link l;
	unsigned int flags;
	unsigned int mtu;
	uint8_t addr[VF_MACLEN];
	bool has_addr;
};

struct report {
	vf_link_cb *cb;
	vf_gone_cb *gone;
	void *arg;
};

typedef int msg_fn(struct vf_if *ifs, const struct nlmsghdr *nlh, void *arg);

/* One request/reply exchange. */
struct talk {
	uint32_t seq, portid;
	msg_fn *fn;
	void *arg;
	int fnerr;
	bool intr;
};

struct addr {
	const struct ifaddrmsg *ifa;
	const uint8_t *address, *local, *brd;
	const char *label;
	const struct ifa_cacheinfo *ci;
	const struct nlattr *prio, *proto;
	uint32_t flags;
	size_t alen;
};

struct route {
	const struct rtmsg *rtm;
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t table;
	size_t alen;
};

typedef bool keep_fn(const struct nlmsghdr *nlh, int ifindex);

struct keep {
	keep_fn *fn;
	int ifindex;
	uint8_t family;
	struct msgs m;
};

static const enum mnl_attr_data_type link_types[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = MNL_TYPE_NUL_STRING,
	[IFLA_IFALIAS] = MNL_TYPE_NUL_STRING,
	[IFLA_MTU] = MNL_TYPE_U32,
	[IFLA_MASTER] = MNL_TYPE_U32,
	[IFLA_LINKINFO] = MNL_TYPE_NESTED,
	[IFLA_ADDRESS] = MNL_TYPE_BINARY,
	[IFLA_PERM_ADDRESS] = MNL_TYPE_BINARY,
};

static const enum mnl_attr_data_type info_types[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = MNL_TYPE_NUL_STRING,
	[IFLA_INFO_SLAVE_KIND] = MNL_TYPE_NUL_STRING,
	[IFLA_INFO_DATA] = MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type bond_types[IFLA_BOND_MAX + 1] = {
	[IFLA_BOND_ACTIVE_SLAVE] = MNL_TYPE_U32,
};

static const enum mnl_attr_data_type addr_types[IFA_MAX + 1] = {
	[IFA_ADDRESS] = MNL_TYPE_BINARY,   [IFA_LOCAL] = MNL_TYPE_BINARY,
	[IFA_BROADCAST] = MNL_TYPE_BINARY, [IFA_LABEL] = MNL_TYPE_NUL_STRING,
	[IFA_CACHEINFO] = MNL_TYPE_BINARY, [IFA_FLAGS] = MNL_TYPE_U32,
	[IFA_RT_PRIORITY] = MNL_TYPE_U32,  [IFA_PROTO] = MNL_TYPE_U8,
};

static const enum mnl_attr_data_type route_types[RTA_MAX + 1] = {
	[RTA_DST] = MNL_TYPE_BINARY,	 [RTA_SRC] = MNL_TYPE_BINARY,
	[RTA_GATEWAY] = MNL_TYPE_BINARY, [RTA_PREFSRC] = MNL_TYPE_BINARY,
	[RTA_VIA] = MNL_TYPE_BINARY,	 [RTA_OIF] = MNL_TYPE_U32,
	[RTA_PRIORITY] = MNL_TYPE_U32,	 [RTA_TABLE] = MNL_TYPE_U32,
	[RTA_FLOW] = MNL_TYPE_U32,	 [RTA_NH_ID] = MNL_TYPE_U32,
	[RTA_METRICS] = MNL_TYPE_NESTED, [RTA_MULTIPATH] = MNL_TYPE_BINARY,
	[RTA_PREF] = MNL_TYPE_U8,	 [RTA_CACHEINFO] = MNL_TYPE_BINARY,
	[RTA_ENCAP_TYPE] = MNL_TYPE_U16, [RTA_ENCAP] = MNL_TYPE_NESTED,
};

/* Attributes copied as they are when a route is added elsewhere. */
static const uint16_t route_copied[] = {
	RTA_DST,      RTA_SRC,	      RTA_GATEWAY, RTA_VIA,
	RTA_PRIORITY, RTA_PREFSRC,    RTA_FLOW,	   RTA_METRICS,
	RTA_PREF,     RTA_ENCAP_TYPE, RTA_ENCAP,
};

/* The subset that identifies a route for deletion. */
static const uint16_t route_key[] = {
	RTA_DST, RTA_SRC, RTA_GATEWAY, RTA_VIA, RTA_PRIORITY,
};

/* ---- small helpers ---- */

static void
copy_str(char *dst, size_t size, const char *src, size_t srclen)
{
	size_t n = strnlen(src, srclen);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Error strings are one line, whatever the kernel said. */
static void
one_line(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

static void set_err(struct vf_if *ifs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_err(struct vf_if *ifs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ifs->err, sizeof(ifs->err), fmt, ap);
	va_end(ap);
	one_line(ifs->err);
}

static size_t
family_len(int family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

/* The payload of a binary attribute of exactly len bytes, else NULL. */
static const void *
attr_bin(const struct nlattr *a, size_t len)
{
	if (a == NULL || mnl_attr_get_payload_len(a) != len)
		return NULL;
	return mnl_attr_get_payload(a);
}

struct attr_rules {
	const struct nlattr **tb;
	const enum mnl_attr_data_type *types;
	uint16_t max;
};

/* Keeps the attributes we know, of the type we expect; skips the rest. */
static int
attr_cb(const struct nlattr *a, void *data)
{
	const struct attr_rules *r = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > r->max || r->types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, r->types[type]) < 0)
		return MNL_CB_OK;
	r->tb[type] = a;
	return MNL_CB_OK;
}

static void
parse_attrs(const struct nlmsghdr *nlh, size_t off,
	    const enum mnl_attr_data_type *types, uint16_t max,
	    const struct nlattr **tb)
{
	struct attr_rules r = { tb, types, max };

	mnl_attr_parse(nlh, (unsigned int)off, attr_cb, &r);
}

static void
parse_nested(const struct nlattr *nest, const enum mnl_attr_data_type *types,
	     uint16_t max, const struct nlattr **tb)
{
	struct attr_rules r = { tb, types, max };

	mnl_attr_parse_nested(nest, attr_cb, &r);
}

/* ---- sets and message lists ---- */

static bool
iset_has(const struct iset *s, int x)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == x)
			return true;
	return false;
}

static void
iset_add(struct iset *s, int x)
{
	int *v;

	if (iset_has(s, x))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
			return; /* it is reported again on its next event */
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
}

static void
iset_del(struct iset *s, int x)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i] == x) {
			s->v[i] = s->v[--s->n];
			return;
		}
	}
}

static int
msgs_add(struct msgs *v, const struct nlmsghdr *nlh)
{
	struct nlmsghdr **m;
	struct nlmsghdr *copy;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;

		if ((m = realloc(v->m, cap * sizeof(*m))) == NULL)
			return -ENOMEM;
		v->m = m;
		v->cap = cap;
	}
	if ((copy = malloc(nlh->nlmsg_len)) == NULL)
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	v->m[v->n++] = copy;
	return 0;
}

static void
msgs_free(struct msgs *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->m[i]);
	free(v->m);
	memset(v, 0, sizeof(*v));
}

static int
msgs_move(struct msgs *dst, struct msgs *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (msgs_add(dst, src->m[i]) < 0)
			return -ENOMEM;
	return 0;
}

/* ---- request/reply over the request socket ---- */

static int
extack_cb(const struct nlattr *a, void *data)
{
	struct vf_if *ifs = data;

	if (mnl_attr_get_type(a) != NLMSGERR_ATTR_MSG)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	copy_str(ifs->extack, sizeof(ifs->extack), mnl_attr_get_str(a),
		 mnl_attr_get_payload_len(a));
	one_line(ifs->extack);
	return MNL_CB_OK;
}

/* An ack or error; keeps the kernel's extended message if it sent one. */
static int
nl_error(struct vf_if *ifs, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t off = sizeof(*e);

	if (len < sizeof(*e))
		return -EBADMSG;
	if (e->error > 0)
		return -EPROTO;
	if (e->error == 0 || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return e->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return e->error;
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	off = MNL_ALIGN(off);
	if (off < len)
		mnl_attr_parse(nlh, (unsigned int)off, extack_cb, ifs);
	return e->error;
}

/* The end of a dump may carry the error that cut it short. */
static int
nl_done(const struct nlmsghdr *nlh)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	return err < 0 ? err : 0;
}

static int
talk_end(const struct talk *t, int rc)
{
	if (rc == 0)
		rc = t->fnerr;
	if (rc == 0 && t->intr)
		rc = -EINTR; /* the dump is inconsistent: ask again */
	return rc;
}

/* 1: more to read; otherwise the exchange's result. */
static int
talk_batch(struct vf_if *ifs, struct talk *t, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)ifs->buf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		/* Late replies to an exchange that timed out. */
		if (nlh->nlmsg_seq != t->seq || nlh->nlmsg_pid != t->portid)
			continue;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			t->intr = true;
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return talk_end(t, nl_error(ifs, nlh));
		if (nlh->nlmsg_type == NLMSG_DONE)
			return talk_end(t, nl_done(nlh));
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		if (t->fn != NULL && t->fnerr == 0)
			t->fnerr = t->fn(ifs, nlh, t->arg);
		if (!(nlh->nlmsg_flags & NLM_F_MULTI))
			return talk_end(t, 0);
	}
	return 1;
}

/*
 * Sends one request and reads up to its ack, error or end of dump,
 * handing every reply to fn. 0 or -errno.
 */
static int
nl_talk(struct vf_if *ifs, struct nlmsghdr *nlh, msg_fn *fn, void *arg)
{
	struct talk t = { .fn = fn, .arg = arg };
	ssize_t n;
	int rc;

	t.portid = mnl_socket_get_portid(ifs->req);
	nlh->nlmsg_seq = t.seq = ++ifs->seq;
	ifs->extack[0] = '\0';
	if (mnl_socket_sendto(ifs->req, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(ifs->req, ifs->buf, RXBUFSIZ);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if ((rc = talk_batch(ifs, &t, (size_t)n)) <= 0)
			return rc;
	}
}

/* Describes a failed operation: "<op>: <reason> (<detail>)". */
static void
fail(struct vf_if *ifs, int rc, int ifindex, const char *op)
{
	if (rc == -ENODEV && ifindex > 0)
		set_err(ifs, "%s: %s (ifindex %d is gone)", op, strerror(-rc),
			ifindex);
	else if (ifs->extack[0] != '\0')
		set_err(ifs, "%s: %s (%s)", op, strerror(-rc), ifs->extack);
	else
		set_err(ifs, "%s: %s", op, strerror(-rc));
}

static int req_ack(struct vf_if *ifs, struct nlmsghdr *nlh, int ifindex,
		   int okerr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Sends a change and waits for its ack. okerr (a positive errno, or 0)
 * is returned without being recorded as a failure.
 */
static int
req_ack(struct vf_if *ifs, struct nlmsghdr *nlh, int ifindex, int okerr,
	const char *fmt, ...)
{
	char op[256];
	va_list ap;
	int rc;

	nlh->nlmsg_flags |= NLM_F_ACK;
	rc = nl_talk(ifs, nlh, NULL, NULL);
	if (rc == 0 || (okerr != 0 && rc == -okerr))
		return rc;
	va_start(ap, fmt);
	vsnprintf(op, sizeof(op), fmt, ap);
	va_end(ap);
	fail(ifs, rc, ifindex, op);
	return rc;
}

static struct nlmsghdr *
msg_start(reqbuf *rb, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(rb->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static struct nlmsghdr *
link_req(reqbuf *rb, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = msg_start(rb, type, flags);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

/* RTM_GETLINK without statistics, which we never read. */
static struct nlmsghdr *
getlink_req(reqbuf *rb, int ifindex, const char *name, bool dump)
{
	struct nlmsghdr *nlh;

	nlh = link_req(rb, RTM_GETLINK, dump ? NLM_F_DUMP : 0, ifindex);
	if (name != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nlh;
}

/* ---- links ---- */

static void
link_mac(const struct nlattr **tb, struct link_info *li)
{
	static const uint8_t zero[VF_MACLEN];
	const uint8_t *perm = attr_bin(tb[IFLA_PERM_ADDRESS], VF_MACLEN);
	const uint8_t *cur = attr_bin(tb[IFLA_ADDRESS], VF_MACLEN);

	if (cur != NULL) {
		memcpy(li->addr, cur, VF_MACLEN);
		li->has_addr = true;
	}
	if (perm != NULL && memcmp(perm, zero, VF_MACLEN) != 0)
		memcpy(li->l.mac, perm, VF_MACLEN);
	else if (cur != NULL)
		memcpy(li->l.mac, cur, VF_MACLEN);
}

/*
 * A port of a bond, bridge or team says so in its slave kind. A master
 * without one is a device that took the link as its lower half itself:
 * hv_netvsc with its VF. That is a pairing the kernel declares.
 */
static int
link_kernel_pair(const struct nlattr *slave_kind, int master)
{
	return slave_kind == NULL ? master : 0;
}

static void
link_kind(const struct nlattr *linkinfo, struct vf_link *l)
{
	const struct nlattr *info[IFLA_INFO_MAX + 1] = { NULL };
	const struct nlattr *bond[IFLA_BOND_MAX + 1] = { NULL };
	const struct nlattr *kind, *data;

	parse_nested(linkinfo, info_types, IFLA_INFO_MAX, info);
	l->kernel_pair =
	    link_kernel_pair(info[IFLA_INFO_SLAVE_KIND], l->master);
	if ((kind = info[IFLA_INFO_KIND]) == NULL)
		return;
	copy_str(l->kind, sizeof(l->kind), mnl_attr_get_str(kind),
		 mnl_attr_get_payload_len(kind));
	if (strcmp(l->kind, "bond") != 0 ||
	    (data = info[IFLA_INFO_DATA]) == NULL)
		return;
	parse_nested(data, bond_types, IFLA_BOND_MAX, bond);
	if (bond[IFLA_BOND_ACTIVE_SLAVE] != NULL)
		l->active_slave =
		    (int)mnl_attr_get_u32(bond[IFLA_BOND_ACTIVE_SLAVE]);
}

static void
attr_str(const struct nlattr *a, char *dst, size_t size)
{
	if (a != NULL)
		copy_str(dst, size, mnl_attr_get_str(a),
			 mnl_attr_get_payload_len(a));
}

/*
 * Parses RTM_NEWLINK. Only AF_UNSPEC messages describe a whole link: a
 * bridge also sends AF_BRIDGE ones about its ports, with a few fields.
 */
static int
link_parse(const struct nlmsghdr *nlh, struct link_info *li)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return -EBADMSG;
	if (ifi->ifi_family != AF_UNSPEC || ifi->ifi_index <= 0)
		return -EAFNOSUPPORT;
	memset(li, 0, sizeof(*li));
	parse_attrs(nlh, sizeof(*ifi), link_types, IFLA_MAX, tb);
	li->l.ifindex = ifi->ifi_index;
	li->l.ether = ifi->ifi_type == ARPHRD_ETHER;
	li->l.up = (ifi->ifi_flags & IFF_UP) != 0;
	/* IFF_LOWER_UP, not IFLA_CARRIER: it is only set while running. */
	li->l.carrier = (ifi->ifi_flags & IFF_LOWER_UP) != 0;
	li->flags = ifi->ifi_flags;
	attr_str(tb[IFLA_IFNAME], li->l.name, sizeof(li->l.name));
	attr_str(tb[IFLA_IFALIAS], li->l.alias, sizeof(li->l.alias));
	if (tb[IFLA_MTU] != NULL)
		li->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_MASTER] != NULL)
		li->l.master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	link_mac(tb, li);
	li->l.kernel_pair = li->l.master;
	if (tb[IFLA_LINKINFO] != NULL)
		link_kind(tb[IFLA_LINKINFO], &li->l);
	vf_linux_classify(&li->l);
	return 0;
}

int
vf_linux_parse_link(const void *msg, size_t len, struct vf_link *out)
{
	const struct nlmsghdr *nlh = msg;
	struct link_info li;
	int left = len > INT_MAX ? INT_MAX : (int)len;
	int rc;

	/*
	 * mnl_nlmsg_ok compares nlmsg_len as an int (4 GiB passes), and
	 * attributes are walked to the aligned end: the kernel pads, so must
	 * every message we are given.
	 */
	if (len < sizeof(*nlh) || MNL_ALIGN((size_t)nlh->nlmsg_len) > len ||
	    !mnl_nlmsg_ok(nlh, left) || nlh->nlmsg_type != RTM_NEWLINK)
		return -EBADMSG;
	rc = link_parse(nlh, &li);
	if (rc == 0)
		*out = li.l;
	return rc;
}

static int
name_to_index(const struct vf_if *ifs, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	copy_str(ifr.ifr_name, sizeof(ifr.ifr_name), name, IFNAMSIZ);
	if (ioctl(ifs->ctl, SIOCGIFINDEX, &ifr) < 0)
		return -1;
	return ifr.ifr_ifindex;
}

static void
sysfs_driver(const char *name, char out[VF_DRIVERSIZ])
{
	char path[96], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", name);
	if ((n = readlink(path, target, sizeof(target) - 1)) <= 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base != NULL ? base + 1 : target;
	copy_str(out, VF_DRIVERSIZ, base, strlen(base));
}

/*
 * ethtool asks by name and names change: the answer counts only if the
 * name belonged to ifindex before and after asking.
 */
static bool
drv_probe(struct vf_if *ifs, int ifindex, const char *name,
	  char out[VF_DRIVERSIZ])
{
	struct ethtool_drvinfo di;
	struct ifreq ifr;

	out[0] = '\0';
	if (name[0] == '\0' || name_to_index(ifs, name) != ifindex)
		return false;
	memset(&di, 0, sizeof(di));
	di.cmd = ETHTOOL_GDRVINFO;
	memset(&ifr, 0, sizeof(ifr));
	copy_str(ifr.ifr_name, sizeof(ifr.ifr_name), name, IFNAMSIZ);
	ifr.ifr_data = (void *)&di;
	if (ioctl(ifs->ctl, SIOCETHTOOL, &ifr) == 0)
		copy_str(out, VF_DRIVERSIZ, (const char *)di.driver,
			 sizeof(di.driver));
	if (out[0] == '\0')
		sysfs_driver(name, out);
	return name_to_index(ifs, name) == ifindex;
}

static struct drv **
drv_slot(struct vf_if *ifs, int ifindex)
{
	struct drv **pp = &ifs->drv[(unsigned int)ifindex % DRV_BUCKETS];

	while (*pp != NULL && (*pp)->ifindex != ifindex)
		pp = &(*pp)->next;
	return pp;
}

/* A device's driver never changes: ask once per ifindex. */
static void
drv_get(struct vf_if *ifs, int ifindex, const char *name,
	char out[VF_DRIVERSIZ])
{
	struct drv **pp = drv_slot(ifs, ifindex);
	struct drv *d;

	if (*pp == NULL) {
		if (!drv_probe(ifs, ifindex, name, out))
			return; /* renamed under us: ask on its next event */
		if ((d = calloc(1, sizeof(*d))) == NULL)
			return;
		d->ifindex = ifindex;
		memcpy(d->name, out, VF_DRIVERSIZ);
		*pp = d;
	}
	(*pp)->gen = ifs->gen;
	memcpy(out, (*pp)->name, VF_DRIVERSIZ);
}

static void
drv_forget(struct vf_if *ifs, int ifindex)
{
	struct drv **pp = drv_slot(ifs, ifindex);
	struct drv *d = *pp;

	if (d != NULL) {
		*pp = d->next;
		free(d);
	}
}

/* After a full dump: drop links it did not show (lost deletions). */
static void
drv_sweep(struct vf_if *ifs)
{
	for (size_t i = 0; i < DRV_BUCKETS; i++) {
		struct drv **pp = &ifs->drv[i];

		while (*pp != NULL) {
			struct drv *d = *pp;

			if (d->gen == ifs->gen) {
				pp = &d->next;
				continue;
			}
			*pp = d->next;
			free(d);
		}
	}
}

static bool
link_ready(const struct vf_if *ifs, int ifindex)
{
	char path[64];

	if (!ifs->udev)
		return true;
	snprintf(path, sizeof(path), UDEV_DATA "%d", ifindex);
	return access(path, F_OK) == 0;
}

/* Fills what rtnetlink does not say: the driver and udev's verdict. */
static void
link_complete(struct vf_if *ifs, struct link_info *li)
{
	struct vf_link *l = &li->l;

	drv_get(ifs, l->ifindex, l->name, l->driver);
	vf_linux_classify(l);
	l->ready = link_ready(ifs, l->ifindex);
	if (ifs->uev < 0)
		return;
	if (l->ready)
		iset_del(&ifs->unready, l->ifindex);
	else
		iset_add(&ifs->unready, l->ifindex);
}

static void
link_forget(struct vf_if *ifs, int ifindex)
{
	drv_forget(ifs, ifindex);
	iset_del(&ifs->unready, ifindex);
}

static int
report_cb(struct vf_if *ifs, const struct nlmsghdr *nlh, void *arg)
{
	struct report *r = arg;
	struct link_info li;

	if (nlh->nlmsg_type != RTM_NEWLINK || link_parse(nlh, &li) < 0)
		return 0;
	link_complete(ifs, &li);
	if (r->cb != NULL)
		r->cb(r->arg, &li.l);
	return 0;
}

static int
get_link_cb(struct vf_if *ifs, const struct nlmsghdr *nlh, void *arg)
{
	(void)ifs;
	if (nlh->nlmsg_type == RTM_NEWLINK)
		link_parse(nlh, arg);
	return 0;
}

/* Reads one link by ifindex (or by name when ifindex is 0). */
static int
link_get(struct vf_if *ifs, int ifindex, const char *name, struct link_info *li)
{
	reqbuf rb;
	int rc;

	memset(li, 0, sizeof(*li));
	rc = nl_talk(ifs, getlink_req(&rb, ifindex, name, false), get_link_cb,
		     li);
	if (rc == 0 && li->l.ifindex <= 0)
		rc = -ENODEV;
	return rc;
}

/* ---- public: opening ---- */

static void
set_rcvbuf(int fd, int size)
{
	/* FORCE passes net.core.rmem_max, but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static int
open_req(struct vf_if *ifs)
{
	struct timeval tv = { .tv_sec = REQ_TIMEOUT_S };
	int one = 1, fd;

	ifs->req = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (ifs->req == NULL ||
	    mnl_socket_bind(ifs->req, 0, MNL_SOCKET_AUTOPID) < 0) {
		set_err(ifs, "open rtnetlink socket: %s", strerror(errno));
		return -1;
	}
	fd = mnl_socket_get_fd(ifs->req);
	/* Both are optional: old kernels give plain errors, full echoes. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

static int
open_events(struct vf_if *ifs)
{
	unsigned int group = RTNLGRP_LINK;

	ifs->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (ifs->ev == NULL ||
	    mnl_socket_bind(ifs->ev, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(ifs->ev, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		set_err(ifs, "open rtnetlink event socket: %s",
			strerror(errno));
		return -1;
	}
	set_rcvbuf(mnl_socket_get_fd(ifs->ev), EV_RCVBUF);
	return 0;
}

static int
open_uevents(struct vf_if *ifs)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = UDEV_GROUP };

	ifs->uev = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  NETLINK_KOBJECT_UEVENT);
	if (ifs->uev < 0 ||
	    bind(ifs->uev, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		set_err(ifs, "open udev event socket: %s", strerror(errno));
		return -1;
	}
	set_rcvbuf(ifs->uev, UEV_RCVBUF);
	return 0;
}

static int
epoll_watch(struct vf_if *ifs, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(ifs->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		set_err(ifs, "watch event sockets: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
open_all(struct vf_if *ifs, bool monitor)
{
	ifs->buf = malloc(RXBUFSIZ);
	ifs->evbuf = malloc(RXBUFSIZ);
	if (ifs->buf == NULL || ifs->evbuf == NULL) {
		set_err(ifs, "open: %s", strerror(errno));
		return -1;
	}
	if ((ifs->ctl = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    (ifs->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		set_err(ifs, "open: %s", strerror(errno));
		return -1;
	}
	if (open_req(ifs) < 0)
		return -1;
	if (!monitor)
		return 0;
	if (open_events(ifs) < 0 ||
	    epoll_watch(ifs, mnl_socket_get_fd(ifs->ev)) < 0)
		return -1;
	if (!ifs->udev)
		return 0;
	if (open_uevents(ifs) < 0 || epoll_watch(ifs, ifs->uev) < 0)
		return -1;
	return 0;
}

struct vf_if *
vf_if_open(const struct vf_config *conf, bool monitor, char *err, size_t errlen)
{
	struct vf_config defaults;
	struct vf_if *ifs;
	int e;

	if ((ifs = calloc(1, sizeof(*ifs))) == NULL) {
		snprintf(err, errlen, "open: %s", strerror(errno));
		return NULL;
	}
	if (conf == NULL) {
		vf_config_defaults(&defaults);
		vf_if_defaults(&defaults);
		conf = &defaults;
	}
	ifs->miimon_ms = conf->link_check_ms;
	ifs->uev = ifs->epfd = ifs->ctl = -1;
	ifs->udev = access(UDEV_CONTROL, F_OK) == 0;
	if (open_all(ifs, monitor) < 0) {
		e = errno;
		snprintf(err, errlen, "%s", ifs->err);
		vf_if_close(ifs);
		errno = e;
		return NULL;
	}
	return ifs;
}

void
vf_if_close(struct vf_if *ifs)
{
	if (ifs == NULL)
		return;
	if (ifs->req != NULL)
		mnl_socket_close(ifs->req);
	if (ifs->ev != NULL)
		mnl_socket_close(ifs->ev);
	if (ifs->uev >= 0)
		close(ifs->uev);
	if (ifs->epfd >= 0)
		close(ifs->epfd);
	if (ifs->ctl >= 0)
		close(ifs->ctl);
	for (size_t i = 0; i < DRV_BUCKETS; i++) {
		while (ifs->drv[i] != NULL) {
			struct drv *d = ifs->drv[i];

			ifs->drv[i] = d->next;
			free(d);
		}
	}
	free(ifs->unready.v);
	free(ifs->buf);
	free(ifs->evbuf);
	free(ifs);
}

const char *
vf_if_error(const struct vf_if *ifs)
{
	return ifs != NULL ? ifs->err : "";
}

int
vf_if_fd(const struct vf_if *ifs)
{
	return ifs->epfd;
}

/* ---- public: reading links ---- */

int
vf_if_dump(struct vf_if *ifs, vf_link_cb *cb, void *arg)
{
	struct report r = { cb, NULL, arg };
	reqbuf rb;
	int rc = -EINTR;

	for (int i = 0; i < DUMP_TRIES && rc == -EINTR; i++) {
		/* The dump re-adds whichever links are still not ready. */
		ifs->unready.n = 0;
		ifs->gen++;
		rc = nl_talk(ifs, getlink_req(&rb, 0, NULL, true), report_cb,
			     &r);
	}
	if (rc < 0) {
		set_err(ifs, "read links: %s", strerror(-rc));
		return rc;
	}
	drv_sweep(ifs);
	return 0;
}

int
vf_if_refresh(struct vf_if *ifs, int ifindex, vf_link_cb *cb, vf_gone_cb *gone,
	      void *arg)
{
	struct report r = { cb, gone, arg };
	reqbuf rb;
	int rc;

	rc =
	    nl_talk(ifs, getlink_req(&rb, ifindex, NULL, false), report_cb, &r);
	if (rc == -ENODEV) {
		link_forget(ifs, ifindex);
		if (gone != NULL)
			gone(arg, ifindex);
		return 0;
	}
	if (rc < 0)
		set_err(ifs, "read link ifindex %d: %s", ifindex,
			strerror(-rc));
	return rc;
}

/* ---- public: events ---- */

static void
event_msg(struct vf_if *ifs, const struct nlmsghdr *nlh, struct report *r)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWLINK) {
		report_cb(ifs, nlh, r);
		return;
	}
	if (nlh->nlmsg_type != RTM_DELLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi) ||
	    ifi->ifi_index <= 0)
		return;
	/* A port leaving a bridge is an AF_BRIDGE deletion: not gone. */
	if (ifi->ifi_family != AF_UNSPEC && ifi->ifi_family != AF_PACKET)
		return;
	link_forget(ifs, ifi->ifi_index);
	if (r->gone != NULL)
		r->gone(r->arg, ifi->ifi_index);
}

static int
events_drain(struct vf_if *ifs, struct report *r)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	int left;

	for (;;) {
		n = mnl_socket_recvfrom(ifs->ev, ifs->evbuf, RXBUFSIZ);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return errno == ENOSPC ? -ENOBUFS : -errno;
		left = (int)n;
		nlh = (const void *)ifs->evbuf;
		for (; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left))
			event_msg(ifs, nlh, r);
	}
}

/*
 * After lost events, what is still queued predates the loss: the dump
 * the caller makes next is newer, so the queue is thrown away.
 */
static void
events_discard(struct vf_if *ifs)
{
	int fd = mnl_socket_get_fd(ifs->ev);

	for (int i = 0; i < DISCARD_MAX; i++)
		if (recv(fd, ifs->evbuf, RXBUFSIZ, MSG_DONTWAIT) < 0 &&
		    errno != ENOBUFS && errno != EINTR)
			return;
}

/* Any libudev message means "udev finished something": true if one came. */
static bool
uevents_drain(struct vf_if *ifs)
{
	bool any = false;

	if (ifs->uev < 0)
		return false;
	for (;;) {
		if (recv(ifs->uev, ifs->evbuf, RXBUFSIZ, MSG_DONTWAIT) >= 0 ||
		    errno == ENOBUFS) {
			any = true;
			continue;
		}
		if (errno != EINTR)
			return any;
	}
}

/* Reports again the links whose udev database entry has appeared. */
static int
unready_recheck(struct vf_if *ifs, struct report *r)
{
	struct iset todo = { 0 };
	int rc = 0, e;

	for (size_t i = 0; i < ifs->unready.n; i++)
		if (link_ready(ifs, ifs->unready.v[i]))
			iset_add(&todo, ifs->unready.v[i]);
	for (size_t i = 0; i < todo.n; i++) {
		e = vf_if_refresh(ifs, todo.v[i], r->cb, r->gone, r->arg);
		if (e < 0 && rc == 0)
			rc = e;
	}
	free(todo.v);
	return rc;
}

int
vf_if_read_events(struct vf_if *ifs, vf_link_cb *cb, vf_gone_cb *gone,
		  void *arg)
{
	struct report r = { cb, gone, arg };
	bool udev_spoke;
	int rc;

	if (ifs->ev == NULL)
		return 0;
	udev_spoke = uevents_drain(ifs);
	if ((rc = events_drain(ifs, &r)) == -ENOBUFS) {
		events_discard(ifs);
		set_err(ifs, "link events were lost (receive buffer full)");
		return rc;
	}
	if (rc < 0) {
		set_err(ifs, "read link events: %s", strerror(-rc));
		return rc;
	}
	return udev_spoke ? unready_recheck(ifs, &r) : 0;
}

/* ---- the journal ---- */

static int undo_push(struct apply *ap, const struct nlmsghdr *nlh, int ignore,
		     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records how to revert a change, before making it. */
static int
undo_push(struct apply *ap, const struct nlmsghdr *nlh, int ignore,
	  const char *fmt, ...)
{
	struct undo *u;
	va_list ap_;

	if (ap->n == ap->cap) {
		size_t cap = ap->cap ? ap->cap * 2 : 16;

		if ((u = realloc(ap->u, cap * sizeof(*u))) == NULL)
			goto nomem;
		ap->u = u;
		ap->cap = cap;
	}
	u = &ap->u[ap->n];
	if ((u->msg = malloc(nlh->nlmsg_len)) == NULL)
		goto nomem;
	memcpy(u->msg, nlh, nlh->nlmsg_len);
	u->msg->nlmsg_flags |= NLM_F_ACK;
	u->ignore = ignore;
	va_start(ap_, fmt);
	vsnprintf(u->what, sizeof(u->what), fmt, ap_);
	va_end(ap_);
	ap->n++;
	return 0;
nomem:
	set_err(ap->ifs, "record how to undo a change: %s", strerror(ENOMEM));
	return -ENOMEM;
}

/* The change did not happen: nothing to revert. */
static void
undo_pop(struct apply *ap)
{
	free(ap->u[--ap->n].msg);
}

/* Reverts everything, newest first; the first failure joins the error. */
static void
rollback(struct apply *ap)
{
	struct vf_if *ifs = ap->ifs;
	char orig[sizeof(ifs->err)], note[256] = "";
	struct undo *u;
	int rc;

	memcpy(orig, ifs->err, sizeof(orig));
	while (ap->n > 0) {
		u = &ap->u[ap->n - 1];
		rc = nl_talk(ifs, u->msg, NULL, NULL);
		if (rc < 0 && rc != -u->ignore && rc != -ENODEV &&
		    note[0] == '\0')
			snprintf(note, sizeof(note), "%s: %s", u->what,
				 strerror(-rc));
		undo_pop(ap);
	}
	if (note[0] != '\0')
		set_err(ifs, "%s; undo incomplete: %s", orig, note);
}

static void
journal_free(struct apply *ap)
{
	while (ap->n > 0)
		undo_pop(ap);
	free(ap->u);
}

/* ---- link changes ---- */

static struct nlmsghdr *
updown_req(reqbuf *rb, int ifindex, bool up)
{
	struct nlmsghdr *nlh = link_req(rb, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nlh;
}

static struct nlmsghdr *
master_req(reqbuf *rb, int ifindex, int master)
{
	struct nlmsghdr *nlh = link_req(rb, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	return nlh;
}

static const char *
updown(bool up)
{
	return up ? "up" : "down";
}

static int
step_updown(struct apply *ap, const struct link_info *li, bool up)
{
	const char *name = li->l.name;
	int ifindex = li->l.ifindex, rc;
	reqbuf rb;

	if (((li->flags & IFF_UP) != 0) == up)
		return 0;
	rc = undo_push(ap, updown_req(&rb, ifindex, !up), 0, "set %s %s", name,
		       updown(!up));
	if (rc < 0)
		return rc;
	rc = req_ack(ap->ifs, updown_req(&rb, ifindex, up), ifindex, 0,
		     "set %s %s", name, updown(up));
	if (rc < 0)
		undo_pop(ap);
	return rc;
}

/* Bonding refuses a port that is up: down first, then the master. */
static int
step_enslave(struct apply *ap, const struct link_info *li, int master,
	     const char *mname)
{
	const char *name = li->l.name;
	int ifindex = li->l.ifindex, rc;
	reqbuf rb;

	if (li->l.master == master)
		return 0;
	if ((rc = step_updown(ap, li, false)) < 0)
		return rc;
	/* rtnetlink moves a port from its old master: undo moves it back. */
	rc = undo_push(ap, master_req(&rb, ifindex, li->l.master), 0,
		       "release %s from %s", name, mname);
	if (rc < 0)
		return rc;
	rc = req_ack(ap->ifs, master_req(&rb, ifindex, master), ifindex, 0,
		     "enslave %s to %s", name, mname);
	if (rc < 0)
		undo_pop(ap);
	return rc;
}

struct bond_opt {
	uint16_t type;
	bool u8;
	uint32_t val;
};

static void
put_bond(struct nlmsghdr *nlh, const struct bond_opt *o, size_t n)
{
	struct nlattr *info, *data;

	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	for (size_t i = 0; i < n; i++) {
		if (o[i].u8)
			mnl_attr_put_u8(nlh, o[i].type, (uint8_t)o[i].val);
		else
			mnl_attr_put_u32(nlh, o[i].type, o[i].val);
	}
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
}

/* Sets one u32 option (primary, active slave) on an existing bond. */
static int
bond_set(struct vf_if *ifs, const struct link_info *m, uint16_t opt,
	 const struct link_info *port, const char *what)
{
	const struct bond_opt o = { opt, false, (uint32_t)port->l.ifindex };
	struct nlmsghdr *nlh;
	reqbuf rb;

	nlh = link_req(&rb, RTM_NEWLINK, 0, m->l.ifindex);
	put_bond(nlh, &o, 1);
	return req_ack(ifs, nlh, m->l.ifindex, 0, "set %s of %s to %s", what,
		       m->l.name, port->l.name);
}

static int
bond_new(struct vf_if *ifs, const struct vf_action *act,
	 const struct link_info *s)
{
	const struct bond_opt opts[] = {
		{ IFLA_BOND_MODE, true, BOND_ACTIVE_BACKUP },
		{ IFLA_BOND_MIIMON, false, (uint32_t)ifs->miimon_ms },
		/* Else frames the synthetic NIC still receives are dropped. */
		{ IFLA_BOND_ALL_SLAVES_ACTIVE, true, 1 },
		{ IFLA_BOND_FAIL_OVER_MAC, true, 0 },
		{ IFLA_BOND_NUM_PEER_NOTIF, true, 1 },
		{ IFLA_BOND_PRIMARY_RESELECT, true, 0 },
	};
	const char *name = act->master_name;
	struct nlmsghdr *nlh;
	reqbuf rb;
	int rc;

	nlh = link_req(&rb, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (s->mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, s->mtu);
	if (s->has_addr)
		mnl_attr_put(nlh, IFLA_ADDRESS, VF_MACLEN, s->addr);
	put_bond(nlh, opts, sizeof(opts) / sizeof(opts[0]));
	rc = req_ack(ifs, nlh, 0, 0, "create bond %s", name);
	if (rc == -EOPNOTSUPP)
		set_err(ifs,
			"create bond %s: %s (the kernel has no bonding "
			"driver; load module 'bonding')",
			name, strerror(-rc));
	return rc;
}

/* Only a name is known right after creation: delete by name. */
static void
bond_del_by_name(struct vf_if *ifs, const char *name)
{
	reqbuf rb;
	struct nlmsghdr *nlh = link_req(&rb, RTM_DELLINK, NLM_F_ACK, 0);

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	nl_talk(ifs, nlh, NULL, NULL);
}

/* Creates the bond and reads it back; its deletion opens the journal. */
static int
bond_create(struct apply *ap, struct vf_action *act, const struct link_info *s,
	    struct link_info *m)
{
	const char *name = act->master_name;
	reqbuf rb;
	int rc;

	if ((rc = bond_new(ap->ifs, act, s)) < 0)
		return rc;
	if ((rc = link_get(ap->ifs, 0, name, m)) < 0) {
		set_err(ap->ifs, "create bond %s: cannot read it back: %s",
			name, strerror(-rc));
		bond_del_by_name(ap->ifs, name);
		return rc;
	}
	rc = undo_push(ap, link_req(&rb, RTM_DELLINK, 0, m->l.ifindex), 0,
		       "delete bond %s", name);
	if (rc < 0) {
		bond_del_by_name(ap->ifs, name);
		return rc;
	}
	act->master = m->l.ifindex;
	return 0;
}

static int
set_alias(struct vf_if *ifs, const struct link_info *m, const char *alias)
{
	struct nlmsghdr *nlh = NULL;
	reqbuf rb;

	/* rtnetlink ignores IFLA_IFALIAS when it creates a link. */
	nlh = link_req(&rb, RTM_NEWLINK, 0, m->l.ifindex);
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
	return req_ack(ifs, nlh, m->l.ifindex, 0, "set alias of %s", m->l.name);
}

/*
 * The bond's link-local address is the synthetic NIC's (same MAC) and
 * the copied addresses exist there too: duplicate address detection
 * would fail them all.
 */
static int
dad_off(struct vf_if *ifs, const char *name)
{
	char path[96];
	ssize_t n;
	int fd, e;

	if (strcmp(name, "all") == 0 || strcmp(name, "default") == 0) {
		set_err(ifs,
			"disable IPv6 DAD on %s: the name is a sysctl "
			"keyword",
			name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_dad",
		 name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0; /* no IPv6 here */
		e = errno;
		goto fail;
	}
	n = write(fd, "0\n", 2);
	e = errno;
	close(fd);
	if (n == 2)
		return 0;
	if (n >= 0)
		e = EIO;
fail:
	set_err(ifs, "disable IPv6 DAD on %s: %s", name, strerror(e));
	return -e;
}

/* ---- addresses ---- */

static int
addr_parse(const struct nlmsghdr *nlh, struct addr *a)
{
	const struct nlattr *tb[IFA_MAX + 1] = { NULL };

	memset(a, 0, sizeof(*a));
	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*a->ifa))
		return -EBADMSG;
	a->ifa = mnl_nlmsg_get_payload(nlh);
	if ((a->alen = family_len(a->ifa->ifa_family)) == 0)
		return -EAFNOSUPPORT;
	parse_attrs(nlh, sizeof(*a->ifa), addr_types, IFA_MAX, tb);
	a->address = attr_bin(tb[IFA_ADDRESS], a->alen);
	a->local = attr_bin(tb[IFA_LOCAL], a->alen);
	if (a->ifa->ifa_family == AF_INET)
		a->brd = attr_bin(tb[IFA_BROADCAST], 4);
	if (tb[IFA_LABEL] != NULL)
		a->label = mnl_attr_get_str(tb[IFA_LABEL]);
	a->ci = attr_bin(tb[IFA_CACHEINFO], sizeof(*a->ci));
	a->prio = tb[IFA_RT_PRIORITY];
	a->proto = tb[IFA_PROTO];
	a->flags = tb[IFA_FLAGS] != NULL ? mnl_attr_get_u32(tb[IFA_FLAGS])
					 : a->ifa->ifa_flags;
	if (a->address == NULL && a->local == NULL)
		return -EBADMSG;
	return 0;
}

/* The interface's own address: IFA_ADDRESS is the peer when both exist. */
static const uint8_t *
addr_own(const struct addr *a)
{
	return a->local != NULL ? a->local : a->address;
}

static bool
addr_wanted(const struct nlmsghdr *nlh, int ifindex)
{
	struct addr a;
	const uint8_t *own;

	if (addr_parse(nlh, &a) < 0 || (int)a.ifa->ifa_index != ifindex)
		return false;
	if (a.ifa->ifa_scope != RT_SCOPE_UNIVERSE ||
	    (a.flags & IFA_F_DADFAILED))
		return false;
	if (a.ci != NULL && a.ci->ifa_valid == 0)
		return false; /* expiring this very second */
	own = addr_own(&a);
	return !(a.alen == 16 && own[0] == 0xfe && (own[1] & 0xc0) == 0x80);
}

static const char *
addr_text(const struct addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	inet_ntop(a->ifa->ifa_family, addr_own(a), ip, sizeof(ip));
	snprintf(buf, len, "%s/%u", ip, a->ifa->ifa_prefixlen);
	return buf;
}

/* "eth0:web" on eth0 becomes "vfb0:web" on vfb0; else the bare name. */
static void
addr_label(const struct addr *a, const char *sname, const char *mname,
	   char out[IFNAMSIZ])
{
	size_t sl = strlen(sname), ml = strlen(mname);
	const char *suffix = "";

	if (a->label != NULL && strncmp(a->label, sname, sl) == 0 &&
	    a->label[sl] == ':' && ml + strlen(a->label + sl) < IFNAMSIZ)
		suffix = a->label + sl;
	copy_str(out, IFNAMSIZ, mname, ml);
	copy_str(out + strlen(out), IFNAMSIZ - strlen(out), suffix,
		 strlen(suffix));
}

struct addr_out {
	uint16_t type, nlflags;
	int ifindex;
	const char *label; /* IPv4 only */
	uint32_t add_flags;
	bool lifetimes;
};

static struct nlmsghdr *
addr_req(reqbuf *rb, const struct addr *a, const struct addr_out *o)
{
	struct nlmsghdr *nlh = msg_start(rb, o->type, o->nlflags);
	uint32_t flags = (a->flags & ADDR_USER_FLAGS) | o->add_flags;
	struct ifaddrmsg *ifa;

	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	*ifa = *a->ifa;
	ifa->ifa_index = (uint32_t)o->ifindex;
	ifa->ifa_flags = (uint8_t)flags;
	if (a->address != NULL)
		mnl_attr_put(nlh, IFA_ADDRESS, a->alen, a->address);
	if (a->local != NULL)
		mnl_attr_put(nlh, IFA_LOCAL, a->alen, a->local);
	if (a->brd != NULL)
		mnl_attr_put(nlh, IFA_BROADCAST, 4, a->brd);
	if (o->label != NULL && a->alen == 4)
		mnl_attr_put_strz(nlh, IFA_LABEL, o->label);
	mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	if (!o->lifetimes)
		return nlh;
	if (a->ci != NULL && (a->ci->ifa_valid != ADDR_FOREVER ||
			      a->ci->ifa_prefered != ADDR_FOREVER)) {
		struct ifa_cacheinfo ci = { .ifa_prefered = a->ci->ifa_prefered,
					    .ifa_valid = a->ci->ifa_valid };

		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	if (a->prio != NULL)
		mnl_attr_put_u32(nlh, IFA_RT_PRIORITY,
				 mnl_attr_get_u32(a->prio));
	if (a->proto != NULL)
		mnl_attr_put_u8(nlh, IFA_PROTO, mnl_attr_get_u8(a->proto));
	return nlh;
}

static bool
addr_v6_expires(const struct addr *a)
{
	return a->alen == 16 && a->ci != NULL &&
	       a->ci->ifa_valid != ADDR_FOREVER;
}

/*
 * Records how to take an added address off the master. Deleting an
 * IPv6 address with a lifetime leaves its prefix route to expire on
 * its own: making it permanent first lets the kernel delete the route
 * with it (unless another address still needs it). 1 or 2 entries.
 */
static int
addr_undo_add(struct apply *ap, const struct addr *a, const struct link_info *m,
	      const char *text)
{
	struct addr_out del = { RTM_DELADDR, 0, m->l.ifindex, NULL, 0, false };
	struct addr_out forever = { RTM_NEWADDR, NLM_F_REPLACE, m->l.ifindex,
				    NULL,	 IFA_F_NODAD,	false };
	reqbuf rb;
	int rc;

	rc = undo_push(ap, addr_req(&rb, a, &del), EADDRNOTAVAIL,
		       "remove address %s from %s", text, m->l.name);
	if (rc < 0 || !addr_v6_expires(a))
		return rc < 0 ? rc : 1;
	rc = undo_push(ap, addr_req(&rb, a, &forever), EADDRNOTAVAIL,
		       "make address %s on %s permanent", text, m->l.name);
	if (rc < 0) {
		undo_pop(ap);
		return rc;
	}
	return 2;
}

/* Adds the synthetic NIC's addresses to the master, if not there yet. */
static int
addrs_copy(struct apply *ap, const struct msgs *addrs,
	   const struct link_info *s, const struct link_info *m)
{
	char label[IFNAMSIZ], text[64];
	struct addr a;
	reqbuf rb;
	int rc, undos;

	for (size_t i = 0; i < addrs->n; i++) {
		struct addr_out add = { RTM_NEWADDR,
					NLM_F_CREATE | NLM_F_EXCL,
					m->l.ifindex,
					label,
					0,
					true };

		if (addr_parse(addrs->m[i], &a) < 0)
			continue;
		addr_label(&a, s->l.name, m->l.name, label);
		add.add_flags = a.alen == 16 ? IFA_F_NODAD : 0;
		addr_text(&a, text, sizeof(text));
		if ((undos = addr_undo_add(ap, &a, m, text)) < 0)
			return undos;
		rc = req_ack(ap->ifs, addr_req(&rb, &a, &add), m->l.ifindex,
			     EEXIST, "add address %s to %s", text, m->l.name);
		while (rc < 0 && undos-- > 0)
			undo_pop(ap);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

/*
 * Newest first: IPv4 lists primaries before secondaries, and deleting
 * a primary first would take its secondaries along.
 */
static int
addrs_remove(struct apply *ap, const struct msgs *addrs,
	     const struct link_info *s)
{
	char text[64];
	struct addr a;
	reqbuf rb;
	int rc;

	for (size_t i = addrs->n; i-- > 0;) {
		/* Restored without DAD: the master holds the same address. */
		struct addr_out add = { RTM_NEWADDR,
					NLM_F_CREATE | NLM_F_EXCL,
					s->l.ifindex,
					NULL,
					0,
					true };
		struct addr_out del = { RTM_DELADDR, 0, s->l.ifindex,
					NULL,	     0, false };

		if (addr_parse(addrs->m[i], &a) < 0)
			continue;
		add.label = del.label = a.label;
		add.add_flags = a.alen == 16 ? IFA_F_NODAD : 0;
		addr_text(&a, text, sizeof(text));
		rc = undo_push(ap, addr_req(&rb, &a, &add), EEXIST,
			       "restore address %s on %s", text, s->l.name);
		if (rc < 0)
			return rc;
		rc = req_ack(ap->ifs, addr_req(&rb, &a, &del), s->l.ifindex,
			     EADDRNOTAVAIL, "remove address %s from %s", text,
			     s->l.name);
		if (rc < 0)
			undo_pop(ap);
		if (rc < 0 && rc != -EADDRNOTAVAIL)
			return rc;
	}
	return 0;
}

/* ---- routes ---- */

static int
route_parse(const struct nlmsghdr *nlh, struct route *r)
{
	static const uint16_t addrs[] = { RTA_DST, RTA_SRC, RTA_GATEWAY,
					  RTA_PREFSRC };

	memset(r, 0, sizeof(*r));
	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*r->rtm))
		return -EBADMSG;
	r->rtm = mnl_nlmsg_get_payload(nlh);
	if ((r->alen = family_len(r->rtm->rtm_family)) == 0)
		return -EAFNOSUPPORT;
	parse_attrs(nlh, sizeof(*r->rtm), route_types, RTA_MAX, r->tb);
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		if (r->tb[addrs[i]] != NULL &&
		    attr_bin(r->tb[addrs[i]], r->alen) == NULL)
			return -EBADMSG;
	r->table = r->tb[RTA_TABLE] != NULL ? mnl_attr_get_u32(r->tb[RTA_TABLE])
					    : r->rtm->rtm_table;
	return 0;
}

static bool
route_v6_skipped(const struct route *r)
{
	const uint8_t *dst = attr_bin(r->tb[RTA_DST], 16);
	static const uint8_t ll[8] = { 0xfe, 0x80 };

	if (r->alen != 16 || dst == NULL)
		return false;
	if (r->rtm->rtm_dst_len >= 8 && dst[0] == 0xff)
		return true; /* multicast */
	return r->rtm->rtm_dst_len == 64 && memcmp(dst, ll, 8) == 0;
}

/* Routes through the synthetic NIC alone that nobody else recreates. */
static bool
route_wanted(const struct nlmsghdr *nlh, int ifindex)
{
	struct route r;

	if (route_parse(nlh, &r) < 0 || (r.rtm->rtm_flags & RTM_F_CLONED))
		return false;
	if (r.table == RT_TABLE_LOCAL || r.rtm->rtm_protocol == RTPROT_KERNEL)
		return false;
	switch (r.rtm->rtm_type) {
	case RTN_LOCAL:
	case RTN_BROADCAST:
	case RTN_MULTICAST:
	case RTN_ANYCAST:
		return false;
	}
	if (r.tb[RTA_MULTIPATH] != NULL || r.tb[RTA_NH_ID] != NULL)
		return false;
	if (r.tb[RTA_OIF] == NULL ||
	    (int)mnl_attr_get_u32(r.tb[RTA_OIF]) != ifindex)
		return false;
	return !route_v6_skipped(&r);
}

static bool
route_has_gw(const struct nlmsghdr *nlh)
{
	struct route r;

	return route_parse(nlh, &r) == 0 &&
	       (r.tb[RTA_GATEWAY] != NULL || r.tb[RTA_VIA] != NULL);
}

/*
 * Routes without a gateway first: a gateway may be reachable only
 * through one of them. Stable, so dump order otherwise holds.
 */
static void
routes_sort(struct msgs *v)
{
	for (size_t i = 1; i < v->n; i++) {
		struct nlmsghdr *m = v->m[i];
		size_t j = i;

		if (route_has_gw(m))
			continue;
		while (j > 0 && route_has_gw(v->m[j - 1])) {
			v->m[j] = v->m[j - 1];
			j--;
		}
		v->m[j] = m;
	}
}

static const char *
route_text(const struct route *r, char *buf, size_t len)
{
	const struct nlattr *gw = r->tb[RTA_GATEWAY];
	char dst[INET6_ADDRSTRLEN] = "default", via[INET6_ADDRSTRLEN] = "";
	int fam = r->rtm->rtm_family;

	if (r->tb[RTA_DST] != NULL)
		inet_ntop(fam, mnl_attr_get_payload(r->tb[RTA_DST]), dst,
			  sizeof(dst));
	if (gw != NULL)
		inet_ntop(fam, mnl_attr_get_payload(gw), via, sizeof(via));
	snprintf(buf, len, "%s/%u%s%s table %u", dst, r->rtm->rtm_dst_len,
		 via[0] != '\0' ? " via " : "", via, r->table);
	return buf;
}

static void
put_raw(struct nlmsghdr *nlh, const struct nlattr *a)
{
	/* The whole type, so that a nested flag survives the copy. */
	mnl_attr_put_check(nlh, REQBUFSIZ, a->nla_type,
			   mnl_attr_get_payload_len(a),
			   mnl_attr_get_payload(a));
}

/* IPv6 dumps say when a route expires in RTA_CACHEINFO, in clock ticks. */
static void
put_expires(struct nlmsghdr *nlh, const struct route *r)
{
	const struct rta_cacheinfo *ci;
	long hz = sysconf(_SC_CLK_TCK);

	ci = attr_bin(r->tb[RTA_CACHEINFO], sizeof(*ci));
	if (r->alen != 16 || ci == NULL || ci->rta_expires <= 0 || hz <= 0)
		return;
	mnl_attr_put_u32(nlh, RTA_EXPIRES,
			 (uint32_t)((ci->rta_expires + hz - 1) / hz));
}

/* full: everything for adding; else just what identifies the route. */
static struct nlmsghdr *
route_req(reqbuf *rb, const struct route *r, uint16_t type, uint16_t nlflags,
	  int oif, bool full)
{
	struct nlmsghdr *nlh = msg_start(rb, type, nlflags);
	const uint16_t *keys = full ? route_copied : route_key;
	size_t n = full ? sizeof(route_copied) / sizeof(route_copied[0])
			: sizeof(route_key) / sizeof(route_key[0]);
	struct rtmsg *rtm;

	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	*rtm = *r->rtm;
	rtm->rtm_flags &= RTNH_F_ONLINK; /* the rest is kernel state */
	for (size_t i = 0; i < n; i++)
		if (r->tb[keys[i]] != NULL)
			put_raw(nlh, r->tb[keys[i]]);
	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	if (full)
		put_expires(nlh, r);
	return nlh;
}

/*
 * NLM_F_APPEND: the same route through another device is accepted next
 * to the synthetic NIC's, which keeps carrying traffic meanwhile.
 */
static int
routes_copy(struct apply *ap, const struct msgs *routes,
	    const struct link_info *m)
{
	int mi = m->l.ifindex, rc;
	struct route r;
	char text[160];
	reqbuf rb;

	for (size_t i = 0; i < routes->n; i++) {
		if (route_parse(routes->m[i], &r) < 0)
			continue;
		route_text(&r, text, sizeof(text));
		rc = undo_push(
		    ap, route_req(&rb, &r, RTM_DELROUTE, 0, mi, false), ESRCH,
		    "remove route %s from %s", text, m->l.name);
		if (rc < 0)
			return rc;
		rc =
		    req_ack(ap->ifs,
			    route_req(&rb, &r, RTM_NEWROUTE,
				      NLM_F_CREATE | NLM_F_APPEND, mi, true),
			    mi, EEXIST, "copy route %s to %s", text, m->l.name);
		if (rc < 0)
			undo_pop(ap);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

/* Backwards, so that their restoration runs forwards (gateways last). */
static int
routes_remove(struct apply *ap, const struct msgs *routes,
	      const struct link_info *s)
{
	int si = s->l.ifindex, rc;
	struct route r;
	char text[160];
	reqbuf rb;

	for (size_t i = routes->n; i-- > 0;) {
		if (route_parse(routes->m[i], &r) < 0)
			continue;
		route_text(&r, text, sizeof(text));
		/* Not EXCL: IPv4 would refuse it while the master's copy
		 * exists. */
		rc = undo_push(ap,
			       route_req(&rb, &r, RTM_NEWROUTE,
					 NLM_F_CREATE | NLM_F_APPEND, si, true),
			       EEXIST, "restore route %s on %s", text,
			       s->l.name);
		if (rc < 0)
			return rc;
		rc = req_ack(ap->ifs,
			     route_req(&rb, &r, RTM_DELROUTE, 0, si, false), si,
			     ESRCH, "remove route %s from %s", text, s->l.name);
		if (rc < 0)
			undo_pop(ap);
		if (rc < 0 && rc != -ESRCH)
			return rc;
	}
	return 0;
}

/* ---- dumps of addresses and routes ---- */

static int
keep_cb(struct vf_if *ifs, const struct nlmsghdr *nlh, void *arg)
{
	struct keep *k = arg;

	(void)ifs;
	/* A family the kernel lacks may be answered with all families. */
	if (mnl_nlmsg_get_payload_len(nlh) < 1 ||
	    *(const uint8_t *)mnl_nlmsg_get_payload(nlh) != k->family)
		return 0;
	if (!k->fn(nlh, k->ifindex))
		return 0;
	return msgs_add(&k->m, nlh);
}

static struct nlmsghdr *
dump_req(reqbuf *rb, uint16_t type, uint8_t family)
{
	struct nlmsghdr *nlh = msg_start(rb, type, NLM_F_DUMP);

	if (type == RTM_GETROUTE) {
		struct rtmsg *rtm =
		    mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

		rtm->rtm_family = family;
	} else {
		struct ifaddrmsg *ifa =
		    mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

		ifa->ifa_family = family;
	}
	return nlh;
}

/* Keeps the messages of one dump (both families) that fn wants. */
static int
dump_keep(struct vf_if *ifs, uint16_t type, keep_fn *fn, int ifindex,
	  struct msgs *out)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	int rc = 0;
	reqbuf rb;

	for (size_t f = 0; f < sizeof(families) && rc == 0; f++) {
		rc = -EINTR;
		for (int i = 0; i < DUMP_TRIES && rc == -EINTR; i++) {
			struct keep k = { fn, ifindex, families[f], { 0 } };

			rc = nl_talk(ifs, dump_req(&rb, type, families[f]),
				     keep_cb, &k);
			if (rc == 0)
				rc = msgs_move(out, &k.m);
			msgs_free(&k.m);
		}
		/* IPv6 may be disabled on this host. */
		if ((rc == -EAFNOSUPPORT || rc == -EOPNOTSUPP) &&
		    families[f] == AF_INET6)
			rc = 0;
	}
	return rc;
}

static int
read_state(struct vf_if *ifs, const struct link_info *s, struct msgs *addrs,
	   struct msgs *routes)
{
	int rc;

	rc = dump_keep(ifs, RTM_GETADDR, addr_wanted, s->l.ifindex, addrs);
	if (rc < 0) {
		set_err(ifs, "read addresses of %s: %s", s->l.name,
			strerror(-rc));
		return rc;
	}
	if (routes == NULL)
		return 0;
	rc = dump_keep(ifs, RTM_GETROUTE, route_wanted, s->l.ifindex, routes);
	if (rc < 0) {
		set_err(ifs, "read routes of %s: %s", s->l.name, strerror(-rc));
		return rc;
	}
	routes_sort(routes);
	return 0;
}

/* ---- actions ---- */

/* A decision-time name for messages; "?" when the core gave none. */
static const char *
nm(const char *name)
{
	return name[0] != '\0' ? name : "?";
}

/* Reads a link the action needs, fresh: names and state may have moved. */
static int
need_link(struct vf_if *ifs, const char *op, const char *role, int ifindex,
	  const char *name, struct link_info *li)
{
	int rc;

	if (ifindex <= 0) {
		set_err(ifs, "%s: no %s given", op, role);
		return -EINVAL;
	}
	if ((rc = link_get(ifs, ifindex, NULL, li)) == 0)
		return 0;
	if (rc == -ENODEV)
		set_err(ifs, "%s: %s %s (ifindex %d) is gone", op, role,
			nm(name), ifindex);
	else
		set_err(ifs, "%s: read %s %s (ifindex %d): %s", op, role,
			nm(name), ifindex, strerror(-rc));
	return rc;
}

static bool
field_ok(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	return n > 0 && n < size;
}

static int
build_master(struct apply *ap, struct vf_action *act)
{
	struct vf_if *ifs = ap->ifs;
	struct link_info s, v, m;
	struct msgs addrs = { 0 };
	char op[48];
	int rc;

	act->master = 0;
	if (!field_ok(act->master_name, sizeof(act->master_name)) ||
	    strnlen(act->alias, sizeof(act->alias)) == sizeof(act->alias)) {
		set_err(ifs, "build master: invalid name or alias");
		return -EINVAL;
	}
	snprintf(op, sizeof(op), "build master %s", act->master_name);
	if ((rc = need_link(ifs, op, "synthetic NIC", act->synthetic,
			    act->synthetic_name, &s)) < 0 ||
	    (rc = need_link(ifs, op, "VF", act->vf, act->vf_name, &v)) < 0)
		return rc;
	if (v.l.master != 0) {
		set_err(ifs, "%s: VF %s is a port of ifindex %d", op, v.l.name,
			v.l.master);
		return -EBUSY;
	}
	if ((rc = bond_create(ap, act, &s, &m)) < 0)
		return rc;
	if ((rc = set_alias(ifs, &m, act->alias)) < 0 ||
	    (rc = dad_off(ifs, m.l.name)) < 0 ||
	    (rc = step_enslave(ap, &v, m.l.ifindex, m.l.name)) < 0 ||
	    (rc = bond_set(ifs, &m, IFLA_BOND_PRIMARY, &v, "primary")) < 0 ||
	    (rc = step_updown(ap, &m, true)) < 0)
		return rc;
	/* The synthetic NIC keeps its addresses: it carries traffic still. */
	if ((rc = read_state(ifs, &s, &addrs, NULL)) == 0)
		rc = addrs_copy(ap, &addrs, &s, &m);
	msgs_free(&addrs);
	return rc;
}

static int
takeover(struct apply *ap, struct vf_action *act)
{
	struct vf_if *ifs = ap->ifs;
	struct msgs addrs = { 0 }, routes = { 0 };
	struct link_info s, m;
	char op[48];
	int rc;

	snprintf(op, sizeof(op), "take over %s", nm(act->synthetic_name));
	if ((rc = need_link(ifs, op, "synthetic NIC", act->synthetic,
			    act->synthetic_name, &s)) < 0 ||
	    (rc = need_link(ifs, op, "master", act->master, act->master_name,
			    &m)) < 0)
		return rc;
	if (s.l.master == m.l.ifindex)
		return 0; /* done already */
	if (s.l.master != 0) {
		set_err(ifs, "take over %s: it is a port of ifindex %d already",
			s.l.name, s.l.master);
		return -EBUSY;
	}
	/*
	 * Addresses that appeared since the build go over too; routes are
	 * taken off explicitly so that a rollback can put them back.
	 */
	if ((rc = read_state(ifs, &s, &addrs, &routes)) == 0 &&
	    (rc = addrs_copy(ap, &addrs, &s, &m)) == 0 &&
	    (rc = routes_copy(ap, &routes, &m)) == 0 &&
	    (rc = routes_remove(ap, &routes, &s)) == 0 &&
	    (rc = addrs_remove(ap, &addrs, &s)) == 0)
		rc = step_enslave(ap, &s, m.l.ifindex, m.l.name);
	msgs_free(&addrs);
	msgs_free(&routes);
	return rc;
}

static int
enslave_vf(struct apply *ap, struct vf_action *act)
{
	struct vf_if *ifs = ap->ifs;
	struct link_info v, m;
	char op[48];
	int rc;

	snprintf(op, sizeof(op), "enslave VF %s", nm(act->vf_name));
	if ((rc = need_link(ifs, op, "master", act->master, act->master_name,
			    &m)) < 0 ||
	    (rc = need_link(ifs, op, "VF", act->vf, act->vf_name, &v)) < 0)
		return rc;
	if (v.l.master != 0 && v.l.master != m.l.ifindex) {
		set_err(ifs, "enslave %s to %s: it is a port of ifindex %d",
			v.l.name, m.l.name, v.l.master);
		return -EBUSY;
	}
	if ((rc = step_enslave(ap, &v, m.l.ifindex, m.l.name)) < 0 ||
	    (rc = bond_set(ifs, &m, IFLA_BOND_PRIMARY, &v, "primary")) < 0)
		return rc;
	/*
	 * With carrier it can be active now; otherwise miimon switches to
	 * it when carrier comes, since primary_reselect is "always".
	 */
	if (link_get(ifs, v.l.ifindex, NULL, &v) == 0 &&
	    (v.flags & IFF_LOWER_UP) &&
	    bond_set(ifs, &m, IFLA_BOND_ACTIVE_SLAVE, &v, "active port") < 0)
		ifs->err[0] = '\0';
	return 0;
}

int
vf_if_apply(struct vf_if *ifs, struct vf_action *act)
{
	struct apply ap = { .ifs = ifs };
	int rc;

	ifs->err[0] = '\0';
	switch (act->type) {
	case VF_ACT_BUILD_MASTER:
		rc = build_master(&ap, act);
		break;
	case VF_ACT_TAKEOVER:
		rc = takeover(&ap, act);
		break;
	case VF_ACT_ENSLAVE_VF:
		rc = enslave_vf(&ap, act);
		break;
	case VF_ACT_HOOK:
		set_err(ifs, "hook actions are run by the daemon");
		return -EINVAL;
	default:
		set_err(ifs, "unknown action %d", (int)act->type);
		return -EINVAL;
	}
	if (rc < 0) {
		rollback(&ap);
		if (act->type == VF_ACT_BUILD_MASTER)
			act->master = 0;
	}
	journal_free(&ap);
	return rc;
}
