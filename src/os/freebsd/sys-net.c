/* SPDX-License-Identifier: MIT */
/*
 * Addresses and routes on FreeBSD: getifaddrs(3), SIOCAIFADDR and its
 * kin, the routing table by sysctl NET_RT_DUMP and changes through a
 * PF_ROUTE socket. One call each, no decisions.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/sysctl.h>
#include <sys/types.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_dl.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet6/in6_var.h>
#include <netinet6/nd6.h>

#include <errno.h>
#include <ifaddrs.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/freebsd/sys-fbsd.h"

/* Sockaddrs in routing messages are padded to a long. */
#define SA_ROUND(len)                                                          \
	((len) == 0 ? sizeof(long) : 1 + (((len)-1) | (sizeof(long) - 1)))

static unsigned
mask_len(const uint8_t *m, size_t n)
{
	unsigned bits = 0;

	for (size_t i = 0; i < n; i++)
		for (uint8_t b = 0x80; b != 0 && (m[i] & b); b >>= 1)
			bits++;
	return bits;
}

static void
v6_flags(struct sysctx *c, const char *ifname, const struct sockaddr_in6 *sin6,
	 struct vf_fbsd_addr *a)
{
	struct in6_ifreq ifr;
	int f;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_addr = *sin6;
	if (c->s6 < 0 || ioctl(c->s6, SIOCGIFAFLAG_IN6, &ifr) < 0)
		return;
	f = ifr.ifr_ifru.ifru_flags6;
	a->tentative = (f & IN6_IFF_TENTATIVE) != 0;
	a->duplicated = (f & IN6_IFF_DUPLICATED) != 0;
	a->autoconf = (f & (IN6_IFF_AUTOCONF | IN6_IFF_TEMPORARY)) != 0;
}

static bool
addr_from(struct sysctx *c, const struct ifaddrs *ifa, struct vf_fbsd_addr *a)
{
	int af = ifa->ifa_addr->sa_family;

	memset(a, 0, sizeof(*a));
	if (af == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ifa->ifa_addr;
		const struct sockaddr_in *m = (const void *)ifa->ifa_netmask;
		const struct sockaddr_in *b = (const void *)ifa->ifa_broadaddr;

		a->family = 4;
		memcpy(a->addr, &sin->sin_addr, 4);
		a->prefixlen = m ? mask_len((const void *)&m->sin_addr, 4) : 32;
		if ((ifa->ifa_flags & IFF_BROADCAST) && b != NULL) {
			a->has_bcast = true;
			memcpy(a->bcast, &b->sin_addr, 4);
		}
		return true;
	}
	if (af == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ifa->ifa_addr;
		const struct sockaddr_in6 *m = (const void *)ifa->ifa_netmask;

		a->family = 6;
		memcpy(a->addr, &sin6->sin6_addr, 16);
		a->prefixlen =
		    m ? mask_len((const void *)&m->sin6_addr, 16) : 128;
		v6_flags(c, ifa->ifa_name, sin6, a);
		return true;
	}
	return false;
}

int
sys_addr_list(void *ctx, const char *ifname, struct vf_fbsd_addr *out,
	      size_t max)
{
	struct ifaddrs *all, *ifa;
	size_t n = 0;

	if (getifaddrs(&all) < 0)
		return -errno;
	for (ifa = all; ifa != NULL && n < max; ifa = ifa->ifa_next)
		if (ifa->ifa_addr != NULL &&
		    strcmp(ifa->ifa_name, ifname) == 0 &&
		    addr_from(ctx, ifa, &out[n]))
			n++;
	freeifaddrs(all);
	return (int)n;
}

static void
sin_set(struct sockaddr_in *sin, const uint8_t *a)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	memcpy(&sin->sin_addr, a, 4);
}

static void
sin6_set(struct sockaddr_in6 *sin6, const uint8_t *a)
{
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_len = sizeof(*sin6);
	sin6->sin6_family = AF_INET6;
	memcpy(&sin6->sin6_addr, a, 16);
}

/* fe80::1%lagg0: the zone in sin6_scope_id, as route(8) sends it. */
static void
sin6_scoped(struct sockaddr_in6 *sin6, const uint8_t *a, int scope)
{
	sin6_set(sin6, a);
	if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
		sin6->sin6_scope_id = (uint32_t)scope;
}

static void
prefix_mask(uint8_t *m, size_t n, unsigned len)
{
	memset(m, 0, n);
	for (unsigned b = 0; b < len && b < n * 8; b++)
		m[b / 8] |= (uint8_t)(0x80 >> (b % 8));
}

static int
add4(struct sysctx *c, const char *ifname, const struct vf_fbsd_addr *a)
{
	struct in_aliasreq ifra;
	uint8_t m[4];

	memset(&ifra, 0, sizeof(ifra));
	snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "%s", ifname);
	sin_set(&ifra.ifra_addr, a->addr);
	prefix_mask(m, 4, a->prefixlen);
	sin_set(&ifra.ifra_mask, m);
	if (a->has_bcast)
		sin_set(&ifra.ifra_broadaddr, a->bcast);
	return ioctl(c->s4, SIOCAIFADDR, &ifra) < 0 ? -errno : 0;
}

static int
add6(struct sysctx *c, const char *ifname, const struct vf_fbsd_addr *a)
{
	struct in6_aliasreq ifra;
	uint8_t m[16];

	if (c->s6 < 0)
		return -EAFNOSUPPORT;
	memset(&ifra, 0, sizeof(ifra));
	snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "%s", ifname);
	sin6_set(&ifra.ifra_addr, a->addr);
	prefix_mask(m, 16, a->prefixlen);
	sin6_set(&ifra.ifra_prefixmask, m);
	/* The lagg runs without DAD: the address is in use on hn now. */
	ifra.ifra_flags = IN6_IFF_NODAD;
	ifra.ifra_lifetime.ia6t_vltime = ND6_INFINITE_LIFETIME;
	ifra.ifra_lifetime.ia6t_pltime = ND6_INFINITE_LIFETIME;
	return ioctl(c->s6, SIOCAIFADDR_IN6, &ifra) < 0 ? -errno : 0;
}

int
sys_addr_add(void *ctx, const char *ifname, const struct vf_fbsd_addr *a)
{
	return a->family == 6 ? add6(ctx, ifname, a) : add4(ctx, ifname, a);
}

static int
del6(struct sysctx *c, const char *ifname, const struct vf_fbsd_addr *a)
{
	struct in6_ifreq ifr;

	if (c->s6 < 0)
		return -EAFNOSUPPORT;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sin6_set(&ifr.ifr_addr, a->addr);
	return ioctl(c->s6, SIOCDIFADDR_IN6, &ifr) < 0 ? -errno : 0;
}

static int
del4(struct sysctx *c, const char *ifname, const struct vf_fbsd_addr *a)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sin_set((struct sockaddr_in *)(void *)&ifr.ifr_addr, a->addr);
	return ioctl(c->s4, SIOCDIFADDR, &ifr) < 0 ? -errno : 0;
}

int
sys_addr_del(void *ctx, const char *ifname, const struct vf_fbsd_addr *a)
{
	return a->family == 6 ? del6(ctx, ifname, a) : del4(ctx, ifname, a);
}

/* The sockaddrs after a routing message's header, by RTA_ bit. */
static void
rt_addrs(const struct rt_msghdr *rtm, size_t len,
	 const struct sockaddr *sa[RTAX_MAX])
{
	const char *p = (const char *)(rtm + 1), *end = (const char *)rtm + len;

	for (int i = 0; i < RTAX_MAX; i++) {
		sa[i] = NULL;
		if (!(rtm->rtm_addrs & (1 << i)) || p + 2 > end)
			continue;
		sa[i] = (const struct sockaddr *)(const void *)p;
		if (p + sa[i]->sa_len > end) {
			sa[i] = NULL;
			return;
		}
		p += SA_ROUND(sa[i]->sa_len);
	}
}

static const uint8_t *
sa_bytes(const struct sockaddr *sa, size_t *n)
{
	if (sa->sa_family == AF_INET6) {
		*n = 16;
		return (const uint8_t *)&(
			   (const struct sockaddr_in6 *)(const void *)sa)
		    ->sin6_addr;
	}
	*n = 4;
	return (const uint8_t *)&((const struct sockaddr_in *)(const void *)sa)
	    ->sin_addr;
}

/* A mask sockaddr may be cut short: what is missing is zero. */
static unsigned
sa_mask_len(const struct sockaddr *m, int af)
{
	size_t off = af == AF_INET6 ? offsetof(struct sockaddr_in6, sin6_addr)
				    : offsetof(struct sockaddr_in, sin_addr);
	size_t max = af == AF_INET6 ? 16 : 4;

	if (m == NULL || m->sa_len <= off)
		return 0;
	return mask_len((const uint8_t *)m + off,
			m->sa_len - off < max ? m->sa_len - off : max);
}

static bool
route_from(const struct rt_msghdr *rtm, struct vf_fbsd_route *r)
{
	const struct sockaddr *sa[RTAX_MAX];
	const uint8_t *b;
	size_t n;
	int af;

	rt_addrs(rtm, rtm->rtm_msglen, sa);
	if (sa[RTAX_DST] == NULL)
		return false;
	af = sa[RTAX_DST]->sa_family;
	if (af != AF_INET && af != AF_INET6)
		return false;
	memset(r, 0, sizeof(*r));
	r->family = af == AF_INET6 ? 6 : 4;
	b = sa_bytes(sa[RTAX_DST], &n);
	memcpy(r->dst, b, n);
	r->dst_len = (rtm->rtm_flags & RTF_HOST)
			 ? (unsigned)n * 8
			 : sa_mask_len(sa[RTAX_NETMASK], af);
	if ((rtm->rtm_flags & RTF_GATEWAY) && sa[RTAX_GATEWAY] != NULL &&
	    sa[RTAX_GATEWAY]->sa_family == af) {
		r->has_gw = true;
		memcpy(r->gw, sa_bytes(sa[RTAX_GATEWAY], &n), n);
	}
	r->ifindex = rtm->rtm_index;
	r->is_static = (rtm->rtm_flags & RTF_STATIC) != 0;
	return true;
}

int
sys_route_list(void *ctx, struct vf_fbsd_route *out, size_t max)
{
	int mib[6] = { CTL_NET, PF_ROUTE, 0, 0, NET_RT_DUMP, 0 };
	size_t len = 0, n = 0;
	char *buf;

	(void)ctx;
	if (sysctl(mib, 6, NULL, &len, NULL, 0) < 0)
		return -errno;
	len += len / 4; /* room for routes added meanwhile */
	if ((buf = malloc(len)) == NULL)
		return -ENOMEM;
	if (sysctl(mib, 6, buf, &len, NULL, 0) < 0) {
		int e = errno;

		free(buf);
		return -e;
	}
	for (size_t off = 0;
	     off + sizeof(struct rt_msghdr) <= len && n < max;) {
		const struct rt_msghdr *rtm = (const void *)(buf + off);

		if (rtm->rtm_msglen < sizeof(*rtm) ||
		    off + rtm->rtm_msglen > len)
			break;
		if (rtm->rtm_version == RTM_VERSION && route_from(rtm, &out[n]))
			n++;
		off += rtm->rtm_msglen;
	}
	free(buf);
	return (int)n;
}

static size_t
put_sa(char *p, const struct sockaddr *sa)
{
	memcpy(p, sa, sa->sa_len);
	return SA_ROUND(sa->sa_len);
}

/*
 * RTM_ADD / RTM_DELETE: destination, gateway (the interface's link
 * address for a route without one) and mask, out through ifindex.
 */
static int
route_msg(struct sysctx *c, int type, const struct vf_fbsd_route *r)
{
	union {
		struct rt_msghdr h;
		char buf[512];
	} m;
	struct sockaddr_storage dst, gw, mask;
	struct sockaddr_dl ifp;
	uint8_t mb[16];
	char *p = m.buf + sizeof(m.h);
	size_t n = r->family == 6 ? 16 : 4;

	memset(&m, 0, sizeof(m));
	memset(&ifp, 0, sizeof(ifp));
	ifp.sdl_len = sizeof(ifp);
	ifp.sdl_family = AF_LINK;
	ifp.sdl_index = (unsigned short)r->ifindex;
	prefix_mask(mb, n, r->dst_len);
	if (r->family == 6) {
		sin6_scoped((struct sockaddr_in6 *)&dst, r->dst, r->scope);
		sin6_scoped((struct sockaddr_in6 *)&gw, r->gw, r->scope);
		sin6_set((struct sockaddr_in6 *)&mask, mb);
	} else {
		sin_set((struct sockaddr_in *)&dst, r->dst);
		sin_set((struct sockaddr_in *)&gw, r->gw);
		sin_set((struct sockaddr_in *)&mask, mb);
	}
	m.h.rtm_version = RTM_VERSION;
	m.h.rtm_type = (u_char)type;
	m.h.rtm_seq = ++c->seq;
	m.h.rtm_flags = RTF_UP | RTF_STATIC | (r->has_gw ? RTF_GATEWAY : 0);
	m.h.rtm_addrs = RTA_DST | RTA_GATEWAY | RTA_NETMASK;
	p += put_sa(p, (struct sockaddr *)&dst);
	p += put_sa(p, r->has_gw ? (struct sockaddr *)&gw
				 : (struct sockaddr *)&ifp);
	p += put_sa(p, (struct sockaddr *)&mask);
	if (r->has_gw) {
		/* Through this interface, not whichever holds the gateway. */
		m.h.rtm_addrs |= RTA_IFP;
		p += put_sa(p, (struct sockaddr *)&ifp);
	}
	m.h.rtm_msglen = (u_short)(p - m.buf);
	if (write(c->rtw, m.buf, m.h.rtm_msglen) < 0)
		return -errno;
	return 0;
}

int
sys_route_add(void *ctx, const struct vf_fbsd_route *r)
{
	return route_msg(ctx, RTM_ADD, r);
}

int
sys_route_del(void *ctx, const struct vf_fbsd_route *r)
{
	return route_msg(ctx, RTM_DELETE, r);
}

/* Each kind of message has its own header; the first bytes agree. */
static bool
long_enough(int type, size_t len)
{
	switch (type) {
	case RTM_IFINFO:
		return len >= sizeof(struct if_msghdr);
	case RTM_IFANNOUNCE:
		return len >= sizeof(struct if_announcemsghdr);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return len >= sizeof(struct ifa_msghdr);
	default:
		return len >= sizeof(struct rt_msghdr);
	}
}

static int
rt_index(const void *msg, int type)
{
	switch (type) {
	case RTM_IFINFO:
		return ((const struct if_msghdr *)msg)->ifm_index;
	case RTM_IFANNOUNCE:
		return ((const struct if_announcemsghdr *)msg)->ifan_index;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return ((const struct ifa_msghdr *)msg)->ifam_index;
	default:
		return ((const struct rt_msghdr *)msg)->rtm_index;
	}
}

bool
sys_rt_event(const void *msg, size_t len, struct vf_fbsd_rtev *ev)
{
	const struct rt_msghdr *rtm = msg;

	if (len < 4 || rtm->rtm_version != RTM_VERSION ||
	    !long_enough(rtm->rtm_type, len))
		return false;
	memset(ev, 0, sizeof(*ev));
	ev->ifindex = rt_index(msg, rtm->rtm_type);
	switch (rtm->rtm_type) {
	case RTM_IFINFO:
	case RTM_IFANNOUNCE:
		ev->type = VF_FBSD_RTEV_LINK;
		return true;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		ev->type = VF_FBSD_RTEV_ADDR;
		return true;
	case RTM_ADD:
	case RTM_DELETE:
	case RTM_CHANGE:
		ev->type = VF_FBSD_RTEV_ROUTE;
		return true;
	default:
		return false;
	}
}
