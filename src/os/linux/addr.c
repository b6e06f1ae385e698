/* SPDX-License-Identifier: MIT */
/*
 * Addresses: listed with the facts the core decides by, and the
 * kernel's own message kept, so that a copy or a restoration carries
 * every attribute a user may set (flags, lifetimes, label, metric).
 */
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/linux/if-linux.h"
#include "os/linux/linux.h"

#define ADDR_FOREVER 0xffffffffU
/* Address flags a user may set; the rest is kernel state. */
#define ADDR_USER_FLAGS                                                        \
	(IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR |              \
	 IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN)

struct addr {
	const struct ifaddrmsg *ifa;
	const uint8_t *address, *local, *brd;
	const char *label;
	const struct ifa_cacheinfo *ci;
	const struct nlattr *prio, *proto;
	uint32_t flags;
	size_t alen;
};

struct addr_out {
	uint16_t type, nlflags;
	int ifindex;
	const char *label; /* IPv4 only */
	uint32_t add_flags;
	bool lifetimes;
};

static const enum mnl_attr_data_type addr_types[IFA_MAX + 1] = {
	[IFA_ADDRESS] = MNL_TYPE_BINARY,   [IFA_LOCAL] = MNL_TYPE_BINARY,
	[IFA_BROADCAST] = MNL_TYPE_BINARY, [IFA_LABEL] = MNL_TYPE_NUL_STRING,
	[IFA_CACHEINFO] = MNL_TYPE_BINARY, [IFA_FLAGS] = MNL_TYPE_U32,
	[IFA_RT_PRIORITY] = MNL_TYPE_U32,  [IFA_PROTO] = MNL_TYPE_U8,
};

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
	/* Longer than the kernel allows: it would overrun a request. */
	if (tb[IFA_LABEL] != NULL &&
	    mnl_attr_get_payload_len(tb[IFA_LABEL]) <= IFNAMSIZ)
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

/* The facts the core's policy needs (core/addr.c). */
static void
addr_facts(const struct addr *a, struct vf_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = a->alen == 16 ? VF_INET6 : VF_INET;
	memcpy(out->addr, addr_own(a), a->alen);
	out->prefixlen = a->ifa->ifa_prefixlen;
	out->global = a->ifa->ifa_scope == RT_SCOPE_UNIVERSE;
	out->dad_failed = (a->flags & IFA_F_DADFAILED) != 0;
	out->expiring = a->ci != NULL && a->ci->ifa_valid == 0;
	addr_text(a, out->text, sizeof(out->text));
}

/* Only this link's addresses: the core decides which of them move. */
static bool
addr_on(const struct nlmsghdr *nlh, int ifindex)
{
	struct addr a;

	return addr_parse(nlh, &a) == 0 && (int)a.ifa->ifa_index == ifindex;
}

static bool
addr_any_on(const struct nlmsghdr *nlh, int ifindex)
{
	struct addr a;

	return addr_parse(nlh, &a) == 0 &&
	       (ifindex == 0 || (int)a.ifa->ifa_index == ifindex);
}

int
addr_scan(struct vf_if *ifs, int ifindex)
{
	struct msgs m = { 0 };
	struct addr a;
	int rc;

	rc = dump_keep(ifs, RTM_GETADDR, addr_any_on, ifindex, &m);
	if (rc < 0) {
		msgs_free(&m);
		return rc;
	}
	if (ifindex == 0)
		ifs->has_ip.n = 0;
	else
		iset_del(&ifs->has_ip, ifindex);
	for (size_t i = 0; i < m.n; i++)
		if (addr_parse(m.m[i], &a) == 0 &&
		    (a.ifa->ifa_family == AF_INET ||
		     a.ifa->ifa_scope == RT_SCOPE_UNIVERSE))
			iset_add(&ifs->has_ip, (int)a.ifa->ifa_index);
	msgs_free(&m);
	return 0;
}

int
addr_msg_ifindex(const struct nlmsghdr *nlh)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	if ((nlh->nlmsg_type != RTM_NEWADDR &&
	     nlh->nlmsg_type != RTM_DELADDR) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return 0;
	return (int)ifa->ifa_index;
}

int
prim_addr_list(void *os, const struct vf_link *link, struct vf_addr_list *out)
{
	struct msgs m = { 0 };
	struct vf_addr facts;
	struct addr a;
	int rc;

	rc = dump_keep(os, RTM_GETADDR, addr_on, link->ifindex, &m);
	for (size_t i = 0; rc == 0 && i < m.n; i++) {
		if (addr_parse(m.m[i], &a) < 0)
			continue;
		addr_facts(&a, &facts);
		if (!vf_addr_list_add(out, &facts, m.m[i], m.m[i]->nlmsg_len))
			rc = -ENOMEM;
	}
	msgs_free(&m);
	if (rc < 0)
		set_err(os, "read addresses of %s: %s", link->name,
			strerror(-rc));
	return rc;
}

/* The kernel's message the address was listed with. */
static int
addr_of(const struct vf_addr *va, struct addr *a)
{
	return addr_parse(va->os, a);
}

/*
 * Copied (from is the source link): its label follows, "eth0:web" on
 * eth0 becoming "vfb0:web" on vfb0. Else it goes back as it was. Both
 * without DAD: the other link holds the same address.
 */
int
prim_addr_add(void *os, const struct vf_link *to, const struct vf_link *from,
	      const struct vf_addr *va)
{
	struct addr_out add = { RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
				to->ifindex, NULL,
				0,	     true };
	char label[IFNAMSIZ];
	struct addr a;
	reqbuf rb;

	if (addr_of(va, &a) < 0) {
		set_err(os, "add address %s to %s: %s", va->text, to->name,
			strerror(EBADMSG));
		return -EBADMSG;
	}
	add.label = a.label;
	if (from != NULL) {
		addr_label(&a, from->name, to->name, label);
		add.label = label;
	}
	add.add_flags = a.alen == 16 ? IFA_F_NODAD : 0;
	return req_ack(os, addr_req(&rb, &a, &add), to->ifindex, EEXIST,
		       "add address %s to %s", va->text, to->name);
}

/*
 * Deleting an IPv6 address with a lifetime leaves its prefix route to
 * expire on its own: a copy is made permanent first, so that the kernel
 * deletes the route with it (unless another address still needs it).
 */
static int
addr_make_permanent(struct vf_if *ifs, const struct vf_link *on,
		    const struct addr *a, const char *text)
{
	struct addr_out forever = { RTM_NEWADDR, NLM_F_REPLACE, on->ifindex,
				    NULL,	 IFA_F_NODAD,	false };
	reqbuf rb;

	return req_ack(ifs, addr_req(&rb, a, &forever), on->ifindex,
		       EADDRNOTAVAIL, "make address %s on %s permanent", text,
		       on->name);
}

int
prim_addr_del(void *os, const struct vf_link *on, const struct vf_addr *va,
	      bool copy)
{
	struct addr_out del = { RTM_DELADDR, 0, on->ifindex, NULL, 0, false };
	struct addr a;
	reqbuf rb;
	int first = 0, rc;

	if (addr_of(va, &a) < 0) {
		set_err(os, "remove address %s from %s: %s", va->text, on->name,
			strerror(EBADMSG));
		return -EBADMSG;
	}
	if (!copy)
		del.label = a.label;
	if (copy && addr_v6_expires(&a))
		first = addr_make_permanent(os, on, &a, va->text);
	if (first == -EADDRNOTAVAIL)
		first = 0;
	rc = req_ack(os, addr_req(&rb, &a, &del), on->ifindex, EADDRNOTAVAIL,
		     "remove address %s from %s", va->text, on->name);
	return first < 0 && rc == 0 ? first : rc;
}

/*
 * The fuzzer's entry: a message as an address dump gives it, and the
 * requests a copy, a restoration and a removal of it would send (built,
 * not sent), as prim_addr_add and prim_addr_del build them.
 */
int
vf_linux_parse_addr(const void *msg, size_t len, struct vf_addr *out)
{
	struct addr_out add = { RTM_NEWADDR, NLM_F_CREATE, 1, NULL, 0, true };
	struct addr_out del = { RTM_DELADDR, 0, 1, NULL, 0, false };
	char label[IFNAMSIZ];
	struct addr a;
	reqbuf rb;
	int rc;

	if (!msg_whole(msg, len))
		return -EBADMSG;
	if ((rc = addr_parse(msg, &a)) < 0)
		return rc;
	addr_facts(&a, out);
	(void)addr_on(msg, 1);
	addr_label(&a, "eth0", "vfb0", label);
	add.label = label;
	addr_req(&rb, &a, &add);
	add.label = del.label = a.label;
	addr_req(&rb, &a, &add);
	addr_req(&rb, &a, &del);
	return 0;
}
