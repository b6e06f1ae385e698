/* SPDX-License-Identifier: MIT */
/*
 * Interfaces on FreeBSD: sysctlbyname(3), getifaddrs(3) and the ifnet,
 * lagg(4) and ND6 ioctls. One call each, no decisions.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/sysctl.h>
#include <sys/types.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_dl.h>
#include <net/if_lagg.h>
#include <net/if_mib.h>
#include <net/if_types.h>
#include <netinet/in.h>
#include <netinet6/in6_var.h>
#include <netinet6/nd6.h>

#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/freebsd/sys-fbsd.h"

static void
name_copy(char *dst, const char *src)
{
	snprintf(dst, IFNAMSIZ, "%s", src);
}

static int
ioctl_err(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

int
sys_sysctl_str(void *ctx, const char *name, char *buf, size_t len)
{
	size_t n = len;

	(void)ctx;
	if (len == 0 || sysctlbyname(name, buf, &n, NULL, 0) < 0)
		return -errno;
	if (n == 0 || n > len)
		n = len;
	buf[n - 1] = '\0';
	return (int)n;
}

int
sys_sysctl_int(void *ctx, const char *name, int *out)
{
	size_t n = sizeof(*out);

	(void)ctx;
	return sysctlbyname(name, out, &n, NULL, 0) < 0 ? -errno : 0;
}

int
sys_sysctl_set_int(void *ctx, const char *name, int value)
{
	(void)ctx;
	return sysctlbyname(name, NULL, NULL, &value, sizeof(value)) < 0
		   ? -errno
		   : 0;
}

/* "hn0" from net.link.generic.ifdata.N.driver: the driver and unit. */
static void
driver_of(struct vf_fbsd_ifnet *n)
{
	int mib[6] = { CTL_NET,	     PF_LINK,	 NETLINK_GENERIC,
		       IFMIB_IFDATA, n->ifindex, IFDATA_DRIVERNAME };
	char buf[IFNAMSIZ * 2] = "";
	size_t len = sizeof(buf) - 1, d;

	if (sysctl(mib, 6, buf, &len, NULL, 0) < 0)
		return;
	buf[sizeof(buf) - 1] = '\0';
	d = strcspn(buf, "0123456789");
	n->unit = buf[d] != '\0' ? (int)strtol(buf + d, NULL, 10) : -1;
	buf[d] = '\0';
	snprintf(n->driver, sizeof(n->driver), "%s", buf);
}

static void
ifnet_from(struct vf_fbsd_ifnet *n, const struct ifaddrs *ifa)
{
	const struct sockaddr_dl *sdl = (const void *)ifa->ifa_addr;
	const struct if_data *d = ifa->ifa_data;

	memset(n, 0, sizeof(*n));
	n->ifindex = sdl->sdl_index;
	snprintf(n->name, sizeof(n->name), "%s", ifa->ifa_name);
	if (sdl->sdl_alen == VF_MACLEN)
		memcpy(n->mac, LLADDR(sdl), VF_MACLEN);
	/* A lagg port's type turns IFT_IEEE8023ADLAG: still Ethernet. */
	n->ether =
	    sdl->sdl_type == IFT_ETHER || sdl->sdl_type == IFT_IEEE8023ADLAG;
	n->up = (ifa->ifa_flags & IFF_UP) != 0;
	n->carrier = d != NULL && d->ifi_link_state == LINK_STATE_UP;
	n->mtu = d != NULL ? d->ifi_mtu : 0;
	driver_of(n);
}

int
sys_if_list(void *ctx, struct vf_fbsd_ifnet *out, size_t max)
{
	struct ifaddrs *all, *ifa;
	size_t n = 0;

	(void)ctx;
	if (getifaddrs(&all) < 0)
		return -errno;
	for (ifa = all; ifa != NULL && n < max; ifa = ifa->ifa_next)
		if (ifa->ifa_addr != NULL &&
		    ifa->ifa_addr->sa_family == AF_LINK)
			ifnet_from(&out[n++], ifa);
	freeifaddrs(all);
	return (int)n;
}

int
sys_descr_get(void *ctx, const char *ifname, char *buf, size_t len)
{
	struct sysctx *c = ctx;
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	memset(buf, 0, len);
	name_copy(ifr.ifr_name, ifname);
	ifr.ifr_buffer.buffer = buf;
	ifr.ifr_buffer.length = len - 1;
	/* ENOMSG: no description at all. */
	if ((rc = ioctl_err(c->s4, SIOCGIFDESCR, &ifr)) < 0)
		return rc == -ENOMSG ? 0 : rc;
	/* Too long for us: the kernel leaves it out; no mark of ours. */
	if (ifr.ifr_buffer.buffer == NULL)
		buf[0] = '\0';
	return 0;
}

int
sys_descr_set(void *ctx, const char *ifname, const char *text)
{
	struct sysctx *c = ctx;
	struct ifreq ifr;
	char copy[64];

	memset(&ifr, 0, sizeof(ifr));
	name_copy(ifr.ifr_name, ifname);
	snprintf(copy, sizeof(copy), "%s", text);
	ifr.ifr_buffer.buffer = copy;
	ifr.ifr_buffer.length = strlen(copy) + 1;
	return ioctl_err(c->s4, SIOCSIFDESCR, &ifr);
}

int
sys_lagg_get(void *ctx, const char *ifname, struct vf_fbsd_lagg *out)
{
	struct sysctx *c = ctx;
	struct lagg_reqport rp[LAGG_MAX_PORTS];
	struct lagg_reqall ra;
	int rc;

	memset(&ra, 0, sizeof(ra));
	memset(rp, 0, sizeof(rp));
	name_copy(ra.ra_ifname, ifname);
	ra.ra_size = sizeof(rp);
	ra.ra_port = rp;
	if ((rc = ioctl_err(c->s4, SIOCGLAGG, &ra)) < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->failover = ra.ra_proto == LAGG_PROTO_FAILOVER;
	for (int i = 0; i < ra.ra_ports && i < LAGG_MAX_PORTS &&
			out->nports < VF_FBSD_MAXPORTS;
	     i++, out->nports++) {
		name_copy(out->port[i].name, rp[i].rp_portname);
		out->port[i].primary = (rp[i].rp_flags & LAGG_PORT_MASTER) != 0;
		out->port[i].active = (rp[i].rp_flags & LAGG_PORT_ACTIVE) != 0;
	}
	return 0;
}

int
sys_lagg_create(void *ctx, int unit, char out[VF_FBSD_IFNAMSIZ])
{
	struct sysctx *c = ctx;
	struct iflaggparam lp;
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	memset(&lp, 0, sizeof(lp));
	lp.lagg_type = LAGG_TYPE_ETHERNET;
	if (unit >= 0)
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lagg%d", unit);
	else
		name_copy(ifr.ifr_name, "lagg");
	ifr.ifr_data = (caddr_t)&lp;
	if ((rc = ioctl_err(c->s4, SIOCIFCREATE2, &ifr)) < 0)
		return rc;
	name_copy(out, ifr.ifr_name);
	return 0;
}

int
sys_if_rename(void *ctx, const char *ifname, const char *newname)
{
	struct sysctx *c = ctx;
	char copy[IFNAMSIZ];
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	name_copy(ifr.ifr_name, ifname);
	name_copy(copy, newname);
	ifr.ifr_data = copy;
	return ioctl_err(c->s4, SIOCSIFNAME, &ifr);
}

int
sys_if_destroy(void *ctx, const char *ifname)
{
	struct sysctx *c = ctx;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	name_copy(ifr.ifr_name, ifname);
	return ioctl_err(c->s4, SIOCIFDESTROY, &ifr);
}

int
sys_lagg_failover(void *ctx, const char *lagg)
{
	struct sysctx *c = ctx;
	struct lagg_reqall ra;

	memset(&ra, 0, sizeof(ra));
	name_copy(ra.ra_ifname, lagg);
	ra.ra_proto = LAGG_PROTO_FAILOVER;
	return ioctl_err(c->s4, SIOCSLAGG, &ra);
}

int
sys_lagg_port(void *ctx, const char *lagg, const char *port, bool add)
{
	struct sysctx *c = ctx;
	struct lagg_reqport rp;

	memset(&rp, 0, sizeof(rp));
	name_copy(rp.rp_ifname, lagg);
	name_copy(rp.rp_portname, port);
	return ioctl_err(c->s4, add ? SIOCSLAGGPORT : SIOCSLAGGDELPORT, &rp);
}

int
sys_if_updown(void *ctx, const char *ifname, bool up)
{
	struct sysctx *c = ctx;
	struct ifreq ifr;
	int rc, flags;

	memset(&ifr, 0, sizeof(ifr));
	name_copy(ifr.ifr_name, ifname);
	if ((rc = ioctl_err(c->s4, SIOCGIFFLAGS, &ifr)) < 0)
		return rc;
	flags = (ifr.ifr_flags & 0xffff) | (ifr.ifr_flagshigh << 16);
	flags = up ? flags | IFF_UP : flags & ~IFF_UP;
	ifr.ifr_flags = flags & 0xffff;
	ifr.ifr_flagshigh = flags >> 16;
	return ioctl_err(c->s4, SIOCSIFFLAGS, &ifr);
}

int
sys_if_mtu(void *ctx, const char *ifname, unsigned mtu)
{
	struct sysctx *c = ctx;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	name_copy(ifr.ifr_name, ifname);
	ifr.ifr_mtu = (int)mtu;
	return ioctl_err(c->s4, SIOCSIFMTU, &ifr);
}

static unsigned
nd6_bits(unsigned vf_flags)
{
	unsigned f = 0;

	if (vf_flags & VF_FBSD_ND6_NO_DAD)
		f |= ND6_IFF_NO_DAD;
	if (vf_flags & VF_FBSD_ND6_ACCEPT_RTADV)
		f |= ND6_IFF_ACCEPT_RTADV;
	if (vf_flags & VF_FBSD_ND6_IFDISABLED)
		f |= ND6_IFF_IFDISABLED;
	return f;
}

static int
nd6_read(struct sysctx *c, const char *ifname, struct in6_ndireq *nd)
{
	if (c->s6 < 0)
		return -EAFNOSUPPORT;
	memset(nd, 0, sizeof(*nd));
	name_copy(nd->ifname, ifname);
	return ioctl_err(c->s6, SIOCGIFINFO_IN6, nd);
}

int
sys_nd6_get(void *ctx, const char *ifname, unsigned *flags)
{
	struct in6_ndireq nd;
	unsigned all = VF_FBSD_ND6_NO_DAD | VF_FBSD_ND6_ACCEPT_RTADV |
		       VF_FBSD_ND6_IFDISABLED;
	int rc;

	if ((rc = nd6_read(ctx, ifname, &nd)) < 0)
		return rc;
	*flags = 0;
	for (unsigned b = 1; b <= all; b <<= 1)
		if (nd.ndi.flags & nd6_bits(b))
			*flags |= b;
	return 0;
}

int
sys_nd6_flags(void *ctx, const char *ifname, unsigned mask, unsigned flags)
{
	struct sysctx *c = ctx;
	struct in6_ndireq nd;
	int rc;

	if ((rc = nd6_read(c, ifname, &nd)) < 0)
		return rc;
	nd.ndi.flags = (nd.ndi.flags & ~nd6_bits(mask)) | nd6_bits(flags);
	return ioctl_err(c->s6, SIOCSIFINFO_IN6, &nd);
}
