/* SPDX-License-Identifier: MIT */
/*
 * Routes: listed with the facts the core decides by, and the kernel's
 * own message kept, so that a copy carries every attribute (metrics,
 * preference, encapsulation, expiry).
 */
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/linux/if-linux.h"
#include "os/linux/linux.h"

struct route {
	const struct rtmsg *rtm;
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t table;
	size_t alen;
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

/* Whether a next hop of a multipath route leaves by ifindex. */
static bool
multipath_uses(const struct nlattr *mp, int ifindex)
{
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp);

	while (left >= sizeof(struct rtnexthop)) {
		const struct rtnexthop *nh = (const void *)p;
		size_t len = RTNH_ALIGN(nh->rtnh_len);

		if (nh->rtnh_len < sizeof(*nh))
			return false;
		if (nh->rtnh_ifindex == ifindex)
			return true;
		if (len >= left)
			return false;
		p += len;
		left -= len;
	}
	return false;
}

static bool
route_kernel_made(const struct route *r)
{
	if ((r->rtm->rtm_flags & RTM_F_CLONED) || r->table == RT_TABLE_LOCAL ||
	    r->rtm->rtm_protocol == RTPROT_KERNEL)
		return true;
	switch (r->rtm->rtm_type) {
	case RTN_LOCAL:
	case RTN_BROADCAST:
	case RTN_MULTICAST:
	case RTN_ANYCAST:
		return true;
	}
	return false;
}

/* The facts the core's policy needs (core/addr.c); oif: the link asked. */
static void
route_facts(const struct route *r, int ifindex, struct vf_route *out)
{
	const uint8_t *dst = attr_bin(r->tb[RTA_DST], r->alen);
	const struct nlattr *mp = r->tb[RTA_MULTIPATH];

	memset(out, 0, sizeof(*out));
	out->family = r->alen == 16 ? VF_INET6 : VF_INET;
	if (dst != NULL) {
		memcpy(out->dst, dst, r->alen);
		out->has_dst = true;
	}
	out->dst_len = r->rtm->rtm_dst_len;
	out->has_gateway = r->tb[RTA_GATEWAY] != NULL || r->tb[RTA_VIA] != NULL;
	out->kernel_made = route_kernel_made(r);
	out->multipath = mp != NULL;
	out->nexthop_object = r->tb[RTA_NH_ID] != NULL;
	if (r->tb[RTA_OIF] != NULL)
		out->oif = (int)mnl_attr_get_u32(r->tb[RTA_OIF]);
	else if (mp != NULL && multipath_uses(mp, ifindex))
		out->oif = ifindex;
	route_text(r, out->text, sizeof(out->text));
}

/* Routes that leave by this link, or by it among others. */
static bool
route_via(const struct nlmsghdr *nlh, int ifindex)
{
	struct route r;

	if (route_parse(nlh, &r) < 0)
		return false;
	if (r.tb[RTA_OIF] != NULL)
		return (int)mnl_attr_get_u32(r.tb[RTA_OIF]) == ifindex;
	return r.tb[RTA_MULTIPATH] != NULL &&
	       multipath_uses(r.tb[RTA_MULTIPATH], ifindex);
}

static int
list_add(struct vf_route_list *out, const struct nlmsghdr *nlh, int ifindex)
{
	struct vf_route facts;
	struct route r;

	if (route_parse(nlh, &r) < 0)
		return 0;
	route_facts(&r, ifindex, &facts);
	return vf_route_list_add(out, &facts, nlh, nlh->nlmsg_len) ? 0
								   : -ENOMEM;
}

/* The route with one hop of its RTA_MULTIPATH as its only next hop. */
static void
hop_route(reqbuf *rb, const struct nlmsghdr *nlh, const struct rtnexthop *nh)
{
	struct nlmsghdr *m = msg_start(rb, RTM_NEWROUTE, 0);
	const struct rtmsg *orig = mnl_nlmsg_get_payload(nlh);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(m, sizeof(*rtm));
	const struct nlattr *a, *attr; /* attr: the macro's name */
	const void *hop;

	*rtm = *orig;
	rtm->rtm_flags = (orig->rtm_flags & ~(unsigned)RTNH_F_ONLINK) |
			 (nh->rtnh_flags & RTNH_F_ONLINK);
	mnl_attr_for_each(a, nlh, sizeof(*rtm))
	{
		uint16_t type = mnl_attr_get_type(a);

		if (type != RTA_MULTIPATH && type != RTA_OIF &&
		    type != RTA_GATEWAY)
			put_raw(m, a);
	}
	mnl_attr_put_u32(m, RTA_OIF, (uint32_t)nh->rtnh_ifindex);
	/* The hop's own attributes: its gateway, encapsulation, flow. */
	hop = (const char *)nh + sizeof(*nh);
	mnl_attr_for_each_payload(hop, nh->rtnh_len - sizeof(*nh))
	    put_raw(m, attr);
}

/*
 * IPv6 keeps routes to one place through gateways as siblings, and dumps
 * them as one message with RTA_MULTIPATH; but each sibling is added and
 * removed alone, as our copy next to the original was. So each hop by
 * the link is listed as the route it is: a restart between a route's
 * copy and the original's removal finds the two, not a multipath route.
 */
static int
list_hops(struct vf_route_list *out, const struct nlmsghdr *nlh,
	  const struct route *r, int ifindex)
{
	const uint8_t *p = mnl_attr_get_payload(r->tb[RTA_MULTIPATH]);
	size_t left = mnl_attr_get_payload_len(r->tb[RTA_MULTIPATH]);
	reqbuf rb;
	int rc;

	while (left >= sizeof(struct rtnexthop)) {
		const struct rtnexthop *nh = (const void *)p;
		size_t len = RTNH_ALIGN(nh->rtnh_len);

		if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > left)
			return 0;
		if (nh->rtnh_ifindex == ifindex) {
			hop_route(&rb, nlh, nh);
			if ((rc = list_add(out, (void *)rb.buf, ifindex)) < 0)
				return rc;
		}
		if (len >= left)
			return 0;
		p += len;
		left -= len;
	}
	return 0;
}

static bool
ipv6_siblings(const struct route *r)
{
	return r->alen == 16 && r->tb[RTA_MULTIPATH] != NULL &&
	       r->tb[RTA_NH_ID] == NULL && r->tb[RTA_OIF] == NULL;
}

int
prim_route_list(void *os, const struct vf_link *link, struct vf_route_list *out)
{
	struct msgs m = { 0 };
	struct route r;
	int rc;

	rc = dump_keep(os, RTM_GETROUTE, route_via, link->ifindex, &m);
	for (size_t i = 0; rc == 0 && i < m.n; i++) {
		if (route_parse(m.m[i], &r) < 0)
			continue;
		if (ipv6_siblings(&r))
			rc = list_hops(out, m.m[i], &r, link->ifindex);
		else
			rc = list_add(out, m.m[i], link->ifindex);
	}
	msgs_free(&m);
	if (rc < 0)
		set_err(os, "read routes of %s: %s", link->name, strerror(-rc));
	return rc;
}

static int
route_of(struct vf_if *ifs, const struct vf_route *vr, struct route *r,
	 const char *op, const char *on)
{
	if (route_parse(vr->os, r) == 0)
		return 0;
	set_err(ifs, "%s route %s on %s: %s", op, vr->text, on,
		strerror(EBADMSG));
	return -EBADMSG;
}

/*
 * NLM_F_APPEND: the same route through another device is accepted next
 * to the synthetic NIC's, which keeps carrying traffic meanwhile. Not
 * EXCL: IPv4 would refuse a restoration while the master's copy exists.
 */
int
prim_route_add(void *os, const struct vf_link *on, const struct vf_route *vr)
{
	struct route r;
	reqbuf rb;
	int rc;

	if ((rc = route_of(os, vr, &r, "add", on->name)) < 0)
		return rc;
	return req_ack(
	    os,
	    route_req(&rb, &r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND,
		      on->ifindex, true),
	    on->ifindex, EEXIST, "add route %s to %s", vr->text, on->name);
}

int
prim_route_del(void *os, const struct vf_link *on, const struct vf_route *vr)
{
	struct route r;
	reqbuf rb;
	int rc;

	if ((rc = route_of(os, vr, &r, "remove", on->name)) < 0)
		return rc;
	return req_ack(
	    os, route_req(&rb, &r, RTM_DELROUTE, 0, on->ifindex, false),
	    on->ifindex, ESRCH, "remove route %s from %s", vr->text, on->name);
}

/*
 * The fuzzer's entry: a message as a route dump gives it, whether it
 * leaves by ifindex (1 or 0), and the requests a copy and a removal of
 * it would send (built, not sent), as prim_route_add and _del build them.
 */
int
vf_linux_parse_route(const void *msg, size_t len, int ifindex,
		     struct vf_route *out)
{
	struct route r;
	reqbuf rb;
	int rc;

	if (!msg_whole(msg, len))
		return -EBADMSG;
	if ((rc = route_parse(msg, &r)) < 0)
		return rc;
	route_facts(&r, ifindex, out);
	route_req(&rb, &r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND, ifindex,
		  true);
	route_req(&rb, &r, RTM_DELROUTE, 0, ifindex, false);
	if (ipv6_siblings(&r)) {
		struct vf_route_list hops = { 0 };

		rc = list_hops(&hops, msg, &r, ifindex);
		vf_route_list_free(&hops);
		if (rc < 0)
			return rc;
	}
	return route_via(msg, ifindex) ? 1 : 0;
}
