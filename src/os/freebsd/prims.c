/* SPDX-License-Identifier: MIT */
/*
 * The primitives on FreeBSD: a lagg(4) in failover for the master, its
 * description for our mark, ports by SIOCSLAGGPORT, addresses and routes
 * through the seam. Links are named by ifindex and looked up just
 * before each call: names change.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/freebsd/fbsd.h"

static int
failed(struct vf_if *ifs, int rc, const char *what, const char *name)
{
	if (rc < 0)
		fb_err(ifs, "%s %s: %s", what, name, strerror(-rc));
	return rc;
}

static int
prim_link_get(void *os, int ifindex, struct vf_link *out)
{
	struct vf_if *ifs = os;
	struct snap *s = malloc(sizeof(*s));
	const struct vf_link *l;
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if ((rc = fb_snap(ifs, s)) == 0) {
		if ((l = fb_snap_link(s, ifindex)) != NULL) {
			*out = *l;
		} else {
			fb_err(ifs, "ifindex %d is gone", ifindex);
			rc = -ENODEV;
		}
	}
	free(s);
	return rc;
}

/* "lagg7" is made as such; another name is a lagg renamed. */
static int
lagg_unit(const char *name)
{
	char *end;
	long u;

	if (strncmp(name, "lagg", 4) != 0 || name[4] < '0' || name[4] > '9')
		return -1;
	u = strtol(name + 4, &end, 10);
	return *end == '\0' && u < 32768 ? (int)u : -1;
}

static int
create_named(struct vf_if *ifs, const char *name, char made[VF_FBSD_IFNAMSIZ])
{
	const struct vf_fbsd_sys *sys = ifs->sys;
	int rc = sys->lagg_create(ifs->ctx, lagg_unit(name), made);

	if (rc < 0)
		return failed(ifs, rc, "create lagg for", name);
	if ((rc = sys->lagg_failover(ifs->ctx, made)) < 0)
		failed(ifs, rc, "set laggproto failover on", made);
	else if (strcmp(made, name) != 0 &&
		 (rc = sys->if_rename(ifs->ctx, made, name)) < 0)
		failed(ifs, rc, "rename to the master's name", made);
	if (rc < 0)
		sys->if_destroy(ifs->ctx, made);
	return rc;
}

static int
by_name(struct vf_if *ifs, const char *name, struct vf_link *out)
{
	struct snap *s = malloc(sizeof(*s));
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if ((rc = fb_snap(ifs, s)) == 0) {
		rc = -ENODEV;
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->l[i].name, name) == 0) {
				*out = s->l[i];
				rc = 0;
			}
		if (rc < 0)
			fb_err(ifs, "lagg %s vanished once made", name);
	}
	free(s);
	return rc;
}

/*
 * The lagg takes its MAC from its first port, the VF: the same as hn's.
 * Without failover_rx_all, what hn still receives while the VF is
 * primary would be dropped: it is a global sysctl, set on each build.
 */
static int
prim_master_create(void *os, const char *name, const struct vf_link *synthetic,
		   struct vf_link *out)
{
	struct vf_if *ifs = os;
	char made[VF_FBSD_IFNAMSIZ];
	int rc;

	(void)synthetic;
	if ((rc = create_named(ifs, name, made)) < 0)
		return rc;
	rc = ifs->sys->sysctl_set_int(ifs->ctx, RX_ALL_SYSCTL, 1);
	if (rc < 0)
		failed(ifs, rc, "set", RX_ALL_SYSCTL);
	else
		rc = by_name(ifs, name, out);
	if (rc < 0)
		ifs->sys->if_destroy(ifs->ctx, name);
	return rc;
}

static int
prim_master_destroy(void *os, const struct vf_link *master)
{
	struct vf_if *ifs = os;
	char name[VF_FBSD_IFNAMSIZ];
	int rc = fb_name(ifs, master->ifindex, "destroy master", name);

	if (rc < 0)
		return rc;
	return failed(ifs, ifs->sys->if_destroy(ifs->ctx, name), "destroy",
		      name);
}

static int
prim_master_mark(void *os, const struct vf_link *master, const char *alias)
{
	struct vf_if *ifs = os;
	char name[VF_FBSD_IFNAMSIZ];
	int rc = fb_name(ifs, master->ifindex, "mark master", name);

	if (rc < 0)
		return rc;
	return failed(ifs, ifs->sys->descr_set(ifs->ctx, name, alias),
		      "set the description of", name);
}

static int
primary_of(const struct vf_fbsd_lagg *lg, const char *port, int *where)
{
	int primary = -1;

	*where = -1;
	for (size_t i = 0; i < lg->nports; i++) {
		if (strcmp(lg->port[i].name, port) == 0)
			*where = (int)i;
		if (lg->port[i].primary)
			primary = (int)i;
	}
	return primary;
}

/*
 * lagg(4) makes its first port the primary, and when the primary leaves
 * the lowest ifindex left; there is no ioctl to choose. So the port in
 * the way is taken out and put back, which makes it a backup: done with
 * the VF up, traffic is on the VF meanwhile. Two ports: one round.
 */
static int
reseat(struct vf_if *ifs, const char *lagg, const char *port)
{
	const struct vf_fbsd_sys *sys = ifs->sys;
	struct vf_fbsd_lagg lg;
	int where, p, rc;

	for (int round = 0; round < VF_FBSD_MAXPORTS; round++) {
		if ((rc = sys->lagg_get(ifs->ctx, lagg, &lg)) < 0)
			return failed(ifs, rc, "read the ports of", lagg);
		p = primary_of(&lg, port, &where);
		if (where < 0) {
			fb_err(ifs, "%s is not a port of %s", port, lagg);
			return -ENOENT;
		}
		if (p == where)
			return 0;
		if (p < 0) {
			fb_err(ifs, "%s has no primary port", lagg);
			return -EINVAL;
		}
		if ((rc = sys->lagg_port(ifs->ctx, lagg, lg.port[p].name,
					 false)) < 0)
			return failed(ifs, rc, "take the primary out of", lagg);
		/* Back in, or the fallback NIC would be lost: try twice. */
		if ((rc = sys->lagg_port(ifs->ctx, lagg, lg.port[p].name,
					 true)) < 0 &&
		    (rc = sys->lagg_port(ifs->ctx, lagg, lg.port[p].name,
					 true)) < 0)
			return failed(ifs, rc, "put a port back into", lagg);
	}
	fb_err(ifs, "%s: %s does not become primary", lagg, port);
	return -EAGAIN;
}

static int
prim_master_primary(void *os, const struct vf_link *master,
		    const struct vf_link *port)
{
	struct vf_if *ifs = os;
	char m[VF_FBSD_IFNAMSIZ], p[VF_FBSD_IFNAMSIZ];
	int rc;

	if ((rc = fb_name(ifs, master->ifindex, "set primary", m)) < 0 ||
	    (rc = fb_name(ifs, port->ifindex, "set primary", p)) < 0)
		return rc;
	return reseat(ifs, m, p);
}

/* Failover sends through the primary while it has link: no choosing. */
static int
prim_master_active(void *os, const struct vf_link *master,
		   const struct vf_link *port)
{
	struct vf_if *ifs = os;
	struct vf_link m;
	int rc;

	if ((rc = prim_link_get(os, master->ifindex, &m)) < 0)
		return rc;
	if (m.active_slave == port->ifindex)
		return 0;
	fb_err(ifs, "%s: lagg(4) picks the active port itself", m.name);
	return -EOPNOTSUPP;
}

/* The hn whose MAC the master's mark names, or NULL. */
static const struct vf_link *
hn_in(const struct snap *s, int master)
{
	const struct vf_link *m = fb_snap_link(s, master);
	uint8_t mac[VF_MACLEN];

	if (m == NULL || !fb_is_ours(m) ||
	    !vf_mac_parse(m->alias + strlen(VF_ALIAS_PREFIX), mac))
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->l[i].driver, "hn") == 0 &&
		    memcmp(s->l[i].mac, mac, VF_MACLEN) == 0)
			return &s->l[i];
	return NULL;
}

/* The hn of the master, by its current name. */
static bool
hn_of_master(struct vf_if *ifs, int master, char hn[VF_FBSD_IFNAMSIZ])
{
	struct snap *s = malloc(sizeof(*s));
	const struct vf_link *h = NULL;

	if (s != NULL && fb_snap(ifs, s) == 0 && (h = hn_in(s, master)) != NULL)
		memcpy(hn, h->name, VF_FBSD_IFNAMSIZ);
	free(s);
	return h != NULL;
}

/*
 * lagg takes its MTU from its first port, the VF, and forces later
 * ports to it: so the VF takes hn's MTU before it joins, or hn (what
 * rc.conf configured) would be cut to the VF's.
 */
static int
mtu_of_hn(struct vf_if *ifs, int master, int port, const char *p)
{
	struct snap *s = malloc(sizeof(*s));
	const struct vf_fbsd_ifnet *h = NULL, *v = NULL;
	const struct vf_link *hl = NULL;
	int rc = 0;

	if (s == NULL)
		return -ENOMEM;
	if (fb_snap(ifs, s) == 0 && (hl = hn_in(s, master)) != NULL) {
		h = fb_snap_ifnet(s, hl->ifindex);
		v = fb_snap_ifnet(s, port);
	}
	if (h != NULL && v != NULL && h->mtu != 0 && v->mtu != h->mtu) {
		rc = ifs->sys->if_mtu(ifs->ctx, p, h->mtu);
		if (rc < 0)
			fb_err(ifs, "set the MTU of %s to %s's %u: %s", p,
			       hl->name, h->mtu, strerror(-rc));
	}
	free(s);
	return rc;
}

static int
port_release(struct vf_if *ifs, const struct vf_link *port)
{
	char p[VF_FBSD_IFNAMSIZ], m[VF_FBSD_IFNAMSIZ];
	struct vf_link now = { 0 };
	int rc;

	if ((rc = prim_link_get(ifs, port->ifindex, &now)) < 0)
		return rc;
	if (now.master == 0)
		return 0;
	if ((rc = fb_name(ifs, now.master, "release port", m)) < 0 ||
	    (rc = fb_name(ifs, port->ifindex, "release port", p)) < 0)
		return rc;
	return failed(ifs, ifs->sys->lagg_port(ifs->ctx, m, p, false),
		      "release port", p);
}

/*
 * A lagg port must be up to carry anything (lagg does not raise it);
 * an hn joining one of ours hands its dhclient over to the lagg.
 */
static int
prim_port_set(void *os, const struct vf_link *port,
	      const struct vf_link *master)
{
	struct vf_if *ifs = os;
	char p[VF_FBSD_IFNAMSIZ], m[VF_FBSD_IFNAMSIZ];
	int rc;

	if (master->ifindex == 0)
		return port_release(ifs, port);
	if ((rc = fb_name(ifs, master->ifindex, "add port", m)) < 0 ||
	    (rc = fb_name(ifs, port->ifindex, "add port", p)) < 0)
		return rc;
	if (strcmp(port->driver, "hn") != 0 &&
	    (rc = mtu_of_hn(ifs, master->ifindex, port->ifindex, p)) < 0)
		return rc;
	rc = ifs->sys->lagg_port(ifs->ctx, m, p, true);
	if (rc < 0 && rc != -EEXIST)
		return failed(ifs, rc, "add a port to", m);
	if ((rc = ifs->sys->if_updown(ifs->ctx, p, true)) < 0) {
		ifs->sys->lagg_port(ifs->ctx, m, p, false);
		return failed(ifs, rc, "set up", p);
	}
	if (strcmp(port->driver, "hn") == 0)
		fb_dhcp_takeover(ifs, p, m);
	return 0;
}

static int
prim_set_up(void *os, const struct vf_link *link, bool up)
{
	struct vf_if *ifs = os;
	char name[VF_FBSD_IFNAMSIZ];
	int rc = fb_name(ifs, link->ifindex, up ? "set up" : "set down", name);

	if (rc < 0)
		return rc;
	return failed(ifs, ifs->sys->if_updown(ifs->ctx, name, up),
		      up ? "set up" : "set down", name);
}

/*
 * DAD off: the master takes over addresses in use. It stands in for
 * hnN: IPv6 on or off (ifdisabled) as on hn, and router advertisements
 * accepted where rc.conf has hn accept them.
 */
static int
prim_dad_off(void *os, const struct vf_link *link)
{
	struct vf_if *ifs = os;
	char name[VF_FBSD_IFNAMSIZ], hn[VF_FBSD_IFNAMSIZ];
	unsigned mask = VF_FBSD_ND6_NO_DAD, flags = VF_FBSD_ND6_NO_DAD, hf;
	int rc = fb_name(ifs, link->ifindex, "IPv6 DAD off", name);

	if (rc < 0)
		return rc;
	fb_rc_refresh(ifs);
	if (hn_of_master(ifs, link->ifindex, hn)) {
		if (fb_rc_accept_rtadv(ifs, hn)) {
			mask |= VF_FBSD_ND6_ACCEPT_RTADV;
			flags |= VF_FBSD_ND6_ACCEPT_RTADV;
		}
		if (ifs->sys->nd6_get(ifs->ctx, hn, &hf) == 0) {
			mask |= VF_FBSD_ND6_IFDISABLED;
			flags |= hf & VF_FBSD_ND6_IFDISABLED;
		}
	}
	rc = ifs->sys->nd6_flags(ifs->ctx, name, mask, flags);
	return failed(ifs, rc, "set ND6 flags on", name);
}

static bool
v4_local(const uint8_t *a)
{
	return a[0] == 127 || (a[0] == 169 && a[1] == 254);
}

static bool
v6_local(const uint8_t *a)
{
	static const uint8_t loop[16] = { [15] = 1 };

	return (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
	       memcmp(a, loop, 16) == 0;
}

/*
 * From router advertisements the kernel makes them again on the lagg:
 * not ours to copy.
 */
static void
addr_facts(const struct vf_fbsd_addr *fa, struct vf_addr *a)
{
	char text[VF_ADDRTEXTSIZ - 8];

	memset(a, 0, sizeof(*a));
	a->family = fa->family == 6 ? VF_INET6 : VF_INET;
	memcpy(a->addr, fa->addr, 16);
	a->prefixlen = fa->prefixlen;
	a->global = fa->family == 6 ? !v6_local(fa->addr) && !fa->autoconf
				    : !v4_local(fa->addr);
	a->dad_failed = fa->duplicated;
	inet_ntop(fa->family == 6 ? AF_INET6 : AF_INET, fa->addr, text,
		  sizeof(text));
	snprintf(a->text, sizeof(a->text), "%s/%u", text, fa->prefixlen);
}

static int
prim_addr_list(void *os, const struct vf_link *link, struct vf_addr_list *out)
{
	struct vf_if *ifs = os;
	struct vf_fbsd_addr *v = calloc(VF_FBSD_MAXADDR, sizeof(*v));
	char name[VF_FBSD_IFNAMSIZ];
	struct vf_addr a;
	int n;

	if (v == NULL)
		return -ENOMEM;
	if ((n = fb_name(ifs, link->ifindex, "list addresses", name)) == 0 &&
	    (n = ifs->sys->addr_list(ifs->ctx, name, v, VF_FBSD_MAXADDR)) < 0)
		failed(ifs, n, "list addresses of", name);
	for (int i = 0; i < n; i++) {
		addr_facts(&v[i], &a);
		if (!vf_addr_list_add(out, &a, &v[i], sizeof(v[i]))) {
			n = -ENOMEM;
			fb_err(ifs, "list addresses: %s", strerror(ENOMEM));
		}
	}
	free(v);
	return n < 0 ? n : 0;
}

static int
prim_addr_add(void *os, const struct vf_link *to, const struct vf_link *from,
	      const struct vf_addr *a)
{
	struct vf_if *ifs = os;
	char name[VF_FBSD_IFNAMSIZ], what[VF_ADDRTEXTSIZ + 16];
	int rc;

	(void)from;
	if (a->os == NULL || a->os_len != sizeof(struct vf_fbsd_addr)) {
		fb_err(ifs, "add %s: not an address of this backend", a->text);
		return -EINVAL;
	}
	if ((rc = fb_name(ifs, to->ifindex, "add address", name)) < 0)
		return rc;
	snprintf(what, sizeof(what), "add %s to", a->text);
	rc = ifs->sys->addr_add(ifs->ctx, name, a->os);
	return rc == -EEXIST ? rc : failed(ifs, rc, what, name);
}

static int
prim_addr_del(void *os, const struct vf_link *on, const struct vf_addr *a,
	      bool copy)
{
	struct vf_if *ifs = os;
	char name[VF_FBSD_IFNAMSIZ], what[VF_ADDRTEXTSIZ + 16];
	int rc;

	(void)copy;
	if (a->os == NULL || a->os_len != sizeof(struct vf_fbsd_addr)) {
		fb_err(ifs, "delete %s: not an address of this backend",
		       a->text);
		return -EINVAL;
	}
	if ((rc = fb_name(ifs, on->ifindex, "delete address", name)) < 0)
		return rc;
	snprintf(what, sizeof(what), "delete %s from", a->text);
	rc = ifs->sys->addr_del(ifs->ctx, name, a->os);
	if (rc == -EADDRNOTAVAIL)
		fb_err(ifs, "%s %s: not there", what, name);
	return rc == -EADDRNOTAVAIL ? rc : failed(ifs, rc, what, name);
}

static void
route_facts(const struct vf_fbsd_route *fr, struct vf_route *r)
{
	char dst[64], gw[64] = "";
	int af = fr->family == 6 ? AF_INET6 : AF_INET;

	memset(r, 0, sizeof(*r));
	r->family = fr->family == 6 ? VF_INET6 : VF_INET;
	memcpy(r->dst, fr->dst, 16);
	r->dst_len = fr->dst_len;
	r->has_dst = fr->dst_len > 0;
	r->has_gateway = fr->has_gw;
	/* Interface routes come and go with their addresses. */
	r->kernel_made = !fr->is_static;
	r->oif = fr->ifindex;
	inet_ntop(af, fr->dst, dst, sizeof(dst));
	if (fr->has_gw)
		inet_ntop(af, fr->gw, gw, sizeof(gw));
	snprintf(r->text, sizeof(r->text), "%s/%u%s%s", dst, fr->dst_len,
		 fr->has_gw ? " via " : "", gw);
}

static int
prim_route_list(void *os, const struct vf_link *link, struct vf_route_list *out)
{
	struct vf_if *ifs = os;
	struct vf_fbsd_route *v = calloc(VF_FBSD_MAXRT, sizeof(*v));
	struct vf_route r;
	int n;

	if (v == NULL)
		return -ENOMEM;
	if ((n = ifs->sys->route_list(ifs->ctx, v, VF_FBSD_MAXRT)) < 0)
		fb_err(ifs, "read the routing table: %s", strerror(-n));
	for (int i = 0; i < n; i++) {
		if (v[i].ifindex != link->ifindex)
			continue;
		route_facts(&v[i], &r);
		if (!vf_route_list_add(out, &r, &v[i], sizeof(v[i]))) {
			n = -ENOMEM;
			fb_err(ifs, "list routes: %s", strerror(ENOMEM));
		}
	}
	free(v);
	return n < 0 ? n : 0;
}

/* The recorded route, sent out through link instead. */
static int
route_call(struct vf_if *ifs, const struct vf_link *on,
	   const struct vf_route *r, bool add)
{
	struct vf_fbsd_route fr;
	char what[VF_ROUTETEXTSIZ + 16];
	int rc;

	if (r->os == NULL || r->os_len != sizeof(fr)) {
		fb_err(ifs, "route %s: not a route of this backend", r->text);
		return -EINVAL;
	}
	memcpy(&fr, r->os, sizeof(fr));
	fr.ifindex = on->ifindex;
	/* The dump gives fe80::1 bare; it is fe80::1 on the new link. */
	fr.scope = fr.family == 6 ? on->ifindex : 0;
	rc = add ? ifs->sys->route_add(ifs->ctx, &fr)
		 : ifs->sys->route_del(ifs->ctx, &fr);
	snprintf(what, sizeof(what), "%s route %s on", add ? "add" : "delete",
		 r->text);
	if (rc == -EEXIST || rc == -ESRCH)
		fb_err(ifs, "%s %s: %s", what, on->name, strerror(-rc));
	return rc == -EEXIST || rc == -ESRCH ? rc
					     : failed(ifs, rc, what, on->name);
}

static int
prim_route_add(void *os, const struct vf_link *on, const struct vf_route *r)
{
	return route_call(os, on, r, true);
}

static int
prim_route_del(void *os, const struct vf_link *on, const struct vf_route *r)
{
	return route_call(os, on, r, false);
}

static const char *
prim_error(void *os)
{
	return vf_if_error(os);
}

static const struct vf_prims fbsd_prims = {
	.link_get = prim_link_get,
	.master_create = prim_master_create,
	.master_destroy = prim_master_destroy,
	.master_mark = prim_master_mark,
	.master_primary = prim_master_primary,
	.master_active = prim_master_active,
	.port_set = prim_port_set,
	.set_up = prim_set_up,
	.dad_off = prim_dad_off,
	.addr_list = prim_addr_list,
	.addr_add = prim_addr_add,
	.addr_del = prim_addr_del,
	.route_list = prim_route_list,
	.route_add = prim_route_add,
	.route_del = prim_route_del,
	.error = prim_error,
};

const struct vf_prims *
vf_if_prims(void)
{
	return &fbsd_prims;
}
