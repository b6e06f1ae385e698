/* SPDX-License-Identifier: MIT */
/*
 * Links: rtnetlink's description, completed with what it does not say
 * (its driver, from drv.c; whether udev is done with it).
 */
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/linux/if-linux.h"
#include "os/linux/linux.h"

#define UDEV_DATA "/run/udev/data/n"

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
	[IFLA_BOND_MODE] = MNL_TYPE_U8,
	[IFLA_BOND_ACTIVE_SLAVE] = MNL_TYPE_U32,
	[IFLA_BOND_PRIMARY] = MNL_TYPE_U32,
};

/* ---- sets and message lists ---- */

bool
iset_has(const struct iset *s, int x)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == x)
			return true;
	return false;
}

void
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

void
iset_del(struct iset *s, int x)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i] == x) {
			s->v[i] = s->v[--s->n];
			return;
		}
	}
}

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
link_kind(const struct nlattr *linkinfo, struct link_info *li)
{
	struct vf_link *l = &li->l;
	const struct nlattr *info[IFLA_INFO_MAX + 1] = { NULL };
	const struct nlattr *bond[IFLA_BOND_MAX + 1] = { NULL };
	const struct nlattr *kind, *data;

	parse_nested(linkinfo, info_types, IFLA_INFO_MAX, info);
	l->kernel_pair =
	    link_kernel_pair(info[IFLA_INFO_SLAVE_KIND], l->master);
	l->kernel_failover = l->kernel_pair != 0;
	li->bond_port =
	    info[IFLA_INFO_SLAVE_KIND] != NULL &&
	    strcmp(mnl_attr_get_str(info[IFLA_INFO_SLAVE_KIND]), "bond") == 0;
	if ((kind = info[IFLA_INFO_KIND]) == NULL)
		return;
	copy_str(l->kind, sizeof(l->kind), mnl_attr_get_str(kind),
		 mnl_attr_get_payload_len(kind));
	if (strcmp(l->kind, "bond") != 0)
		return;
	l->primary = VF_PRIMARY_UNKNOWN;
	if ((data = info[IFLA_INFO_DATA]) == NULL)
		return;
	parse_nested(data, bond_types, IFLA_BOND_MAX, bond);
	/* The kernel leaves the primary out when there is none. */
	l->primary = bond[IFLA_BOND_PRIMARY] != NULL
			 ? (int)mnl_attr_get_u32(bond[IFLA_BOND_PRIMARY])
			 : 0;
	/* Only an active-backup bond can be one of ours (mode 1). */
	if (bond[IFLA_BOND_MODE] != NULL)
		l->active_backup = mnl_attr_get_u8(bond[IFLA_BOND_MODE]) == 1;
	if (bond[IFLA_BOND_ACTIVE_SLAVE] != NULL)
		l->active_slave =
		    (int)mnl_attr_get_u32(bond[IFLA_BOND_ACTIVE_SLAVE]);
}

/*
 * Parses RTM_NEWLINK. Only AF_UNSPEC messages describe a whole link: a
 * bridge also sends AF_BRIDGE ones about its ports, with a few fields.
 */
int
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
	attr_str(tb[IFLA_IFNAME], li->l.name, sizeof(li->l.name));
	attr_str(tb[IFLA_IFALIAS], li->l.alias, sizeof(li->l.alias));
	if (tb[IFLA_MTU] != NULL)
		li->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_MASTER] != NULL)
		li->l.master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	link_mac(tb, li);
	/* On Linux the kernel declares a pair only when it runs it. */
	li->l.kernel_pair = li->l.master;
	li->l.kernel_failover = li->l.kernel_pair != 0;
	if (tb[IFLA_LINKINFO] != NULL)
		link_kind(tb[IFLA_LINKINFO], li);
	vf_linux_classify(&li->l);
	return 0;
}

int
vf_linux_parse_link(const void *msg, size_t len, struct vf_link *out)
{
	const struct nlmsghdr *nlh = msg;
	struct link_info li;
	int rc;

	if (!msg_whole(msg, len) || nlh->nlmsg_type != RTM_NEWLINK)
		return -EBADMSG;
	rc = link_parse(nlh, &li);
	if (rc == 0)
		*out = li.l;
	return rc;
}

bool
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

	drv_get(ifs, l);
	vf_linux_classify(l);
	l->ready = link_ready(ifs, l->ifindex);
	/* Only a port's matters: an address there is a fault. The set is
	 * kept up to date outside any reply (no dump within a dump). */
	l->has_ip = li->bond_port && iset_has(&ifs->has_ip, l->ifindex);
	if (ifs->uev < 0)
		return;
	if (l->ready)
		iset_del(&ifs->unready, l->ifindex);
	else
		iset_add(&ifs->unready, l->ifindex);
}

void
link_forget(struct vf_if *ifs, int ifindex)
{
	drv_forget(ifs, ifindex);
	iset_del(&ifs->unready, ifindex);
}

int
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
int
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

/* ---- public: reading links ---- */

int
vf_if_dump(struct vf_if *ifs, vf_link_cb *cb, void *arg)
{
	struct report r = { cb, NULL, arg };
	reqbuf rb;
	int rc = -EINTR;

	if ((rc = addr_scan(ifs, 0)) < 0) {
		set_err(ifs, "read addresses: %s", strerror(-rc));
		return rc;
	}
	rc = -EINTR;
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

int
prim_link_get(void *os, int ifindex, struct vf_link *out)
{
	struct link_info li;
	int rc = link_get(os, ifindex, NULL, &li);

	if (rc == 0)
		*out = li.l;
	else
		set_err(os, "read link ifindex %d: %s", ifindex, strerror(-rc));
	return rc;
}
