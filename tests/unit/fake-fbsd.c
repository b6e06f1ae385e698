/* SPDX-License-Identifier: MIT */
/* The fake FreeBSD kernel (fake-fbsd.h): the seam in memory. */
#include "fake-fbsd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void flog(struct fake_fbsd *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
flog(struct fake_fbsd *f, const char *fmt, ...)
{
	size_t len = strlen(f->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->log + len, sizeof(f->log) - len, fmt, ap);
	va_end(ap);
	len = strlen(f->log);
	snprintf(f->log + len, sizeof(f->log) - len, "; ");
}

struct fk_if *
fk_if(struct fake_fbsd *f, int ifindex)
{
	for (int i = 0; i < f->nif; i++)
		if (f->ifs[i].ifindex == ifindex)
			return &f->ifs[i];
	return NULL;
}

struct fk_if *
fk_if_named(struct fake_fbsd *f, const char *name)
{
	for (int i = 0; i < f->nif; i++)
		if (strcmp(f->ifs[i].name, name) == 0)
			return &f->ifs[i];
	return NULL;
}

/* devd drops what happens while nobody listens: no replay. */
static void
devd_emit(struct fake_fbsd *f, const char *system, const char *subsystem,
	  const char *type)
{
	if (!f->devd_conn || f->devd_n == FK_QUEUE)
		return;
	snprintf(f->devd_q[f->devd_n++], sizeof(f->devd_q[0]),
		 "!system=%s subsystem=%s type=%s\n", system, subsystem, type);
}

static void
rt_emit(struct fake_fbsd *f, enum vf_fbsd_rtev_type type, int ifindex)
{
	if (f->rt_n == FK_QUEUE) {
		f->rt_overflow = true;
		return;
	}
	f->rt_q[f->rt_n].type = type;
	f->rt_q[f->rt_n++].ifindex = ifindex;
}

static struct fk_if *
hn_of_vf(struct fake_fbsd *f, int vf)
{
	for (int i = 0; i < f->nif; i++)
		if (f->ifs[i].vf == vf && vf != 0)
			return &f->ifs[i];
	return NULL;
}

static bool
transparent(struct fake_fbsd *f)
{
	return fk_sysctl_int(f, "hw.hn.vf_transparent") != 0;
}

static bool
port_active(struct fake_fbsd *f, int ifindex)
{
	struct fk_if *p = fk_if(f, ifindex);

	return p != NULL && p->up && fk_carrier(f, ifindex);
}

int
fk_active_port(struct fake_fbsd *f, int lagg)
{
	struct fk_if *l = fk_if(f, lagg);
	int start = 0;

	if (l == NULL || l->nports == 0)
		return 0;
	/* From the primary on, then from the head: lagg_link_active. */
	for (int i = 0; i < l->nports; i++)
		if (l->ports[i] == l->primary)
			start = i;
	for (int k = 0; k < l->nports; k++) {
		int p = l->ports[(start + k) % l->nports];

		if (port_active(f, p))
			return p;
	}
	return 0;
}

bool
fk_carrier(struct fake_fbsd *f, int ifindex)
{
	struct fk_if *i = fk_if(f, ifindex);
	struct fk_if *vf;

	if (i == NULL)
		return false;
	if (i->is_lagg)
		return fk_active_port(f, ifindex) != 0;
	/* Non-transparent hn: link down while its VF is up. */
	if (i->vf != 0 && !transparent(f) && (vf = fk_if(f, i->vf)) != NULL &&
	    vf->up)
		return false;
	return i->phys_link;
}

/* Announces every carrier that changed, as the kernel would. */
static void
links_settle(struct fake_fbsd *f)
{
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < f->nif; i++) {
			struct fk_if *x = &f->ifs[i];
			bool c = fk_carrier(f, x->ifindex);

			if (c == x->reported)
				continue;
			x->reported = c;
			devd_emit(f, "IFNET", x->name,
				  c ? "LINK_UP" : "LINK_DOWN");
			rt_emit(f, VF_FBSD_RTEV_LINK, x->ifindex);
		}
}

int
fk_add_if(struct fake_fbsd *f, const char *name, const char *driver,
	  const uint8_t mac[VF_MACLEN], bool up)
{
	struct fk_if *i = &f->ifs[f->nif++];
	const char *d = name + strcspn(name, "0123456789");

	memset(i, 0, sizeof(*i));
	i->ifindex = f->next_ifindex++;
	snprintf(i->name, sizeof(i->name), "%s", name);
	snprintf(i->driver, sizeof(i->driver), "%s", driver);
	i->unit = atoi(d);
	memcpy(i->mac, mac, VF_MACLEN);
	i->up = up;
	i->mtu = 1500;
	i->phys_link = true;
	i->reported = fk_carrier(f, i->ifindex);
	devd_emit(f, "IFNET", name, "ATTACH");
	devd_emit(f, "ETHERNET", name, "IFATTACH");
	rt_emit(f, VF_FBSD_RTEV_LINK, i->ifindex);
	return i->ifindex;
}

int
fk_vf_attach(struct fake_fbsd *f, int hn, const char *name)
{
	struct fk_if *h = fk_if(f, hn);
	int vf = fk_add_if(f, name, "mce", h->mac, false);

	fk_if(f, hn)->vf = vf;
	return vf;
}

static void
lagg_drop_port(struct fake_fbsd *f, struct fk_if *l, int port)
{
	int k = 0;

	for (int i = 0; i < l->nports; i++)
		if (l->ports[i] != port)
			l->ports[k++] = l->ports[i];
	l->nports = k;
	if (l->primary == port)
		l->primary = k > 0 ? l->ports[0] : 0;
	if (fk_if(f, port) != NULL)
		fk_if(f, port)->lagg = 0;
}

void
fk_detach(struct fake_fbsd *f, int ifindex)
{
	struct fk_if *x = fk_if(f, ifindex), *h = hn_of_vf(f, ifindex);
	char name[VF_FBSD_IFNAMSIZ];

	if (x == NULL)
		return;
	snprintf(name, sizeof(name), "%s", x->name);
	if (x->lagg != 0)
		lagg_drop_port(f, fk_if(f, x->lagg), ifindex);
	if (h != NULL && x->up)
		devd_emit(f, "HYPERV_NIC_VF", h->name, "VF_DOWN");
	if (h != NULL)
		h->vf = 0;
	for (int i = 0; i < f->naddr; i++)
		if (f->addrs[i].ifindex == ifindex)
			f->addrs[i--] = f->addrs[--f->naddr];
	for (int i = 0; i < f->nroute; i++)
		if (f->routes[i].ifindex == ifindex)
			f->routes[i--] = f->routes[--f->nroute];
	*x = f->ifs[--f->nif];
	devd_emit(f, "IFNET", name, "DETACH");
	rt_emit(f, VF_FBSD_RTEV_LINK, ifindex);
	links_settle(f);
}

static int
sysctl_slot(struct fake_fbsd *f, const char *name)
{
	for (int i = 0; i < f->nsysctl; i++)
		if (strcmp(f->sysctl[i].name, name) == 0)
			return i;
	snprintf(f->sysctl[f->nsysctl].name, sizeof(f->sysctl[0].name), "%s",
		 name);
	return f->nsysctl++;
}

void
fk_set_sysctl_str(struct fake_fbsd *f, const char *name, const char *v)
{
	int i = sysctl_slot(f, name);

	f->sysctl[i].is_int = false;
	snprintf(f->sysctl[i].str, sizeof(f->sysctl[i].str), "%s", v);
}

void
fk_set_sysctl_int(struct fake_fbsd *f, const char *name, int v)
{
	int i = sysctl_slot(f, name);

	f->sysctl[i].is_int = true;
	f->sysctl[i].val = v;
}

int
fk_sysctl_int(struct fake_fbsd *f, const char *name)
{
	for (int i = 0; i < f->nsysctl; i++)
		if (strcmp(f->sysctl[i].name, name) == 0 && f->sysctl[i].is_int)
			return f->sysctl[i].val;
	return 0;
}

static void
mk_addr(struct vf_fbsd_addr *a, int family, const char *text, unsigned prefix)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	inet_pton(family == 6 ? AF_INET6 : AF_INET, text, a->addr);
	a->prefixlen = prefix;
}

static bool
same_addr(const struct vf_fbsd_addr *a, const struct vf_fbsd_addr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, 16) == 0;
}

/* The prefix route the kernel makes for an address. */
static void
prefix_route(const struct vf_fbsd_addr *a, int ifindex, struct vf_fbsd_route *r)
{
	memset(r, 0, sizeof(*r));
	r->family = a->family;
	r->dst_len = a->prefixlen;
	r->ifindex = ifindex;
	for (unsigned b = 0; b < a->prefixlen && b < 128; b++)
		r->dst[b / 8] |= a->addr[b / 8] & (0x80 >> (b % 8));
}

static bool
same_route(const struct vf_fbsd_route *a, const struct vf_fbsd_route *b)
{
	return a->family == b->family && a->dst_len == b->dst_len &&
	       memcmp(a->dst, b->dst, 16) == 0 && a->has_gw == b->has_gw &&
	       memcmp(a->gw, b->gw, 16) == 0 && a->ifindex == b->ifindex;
}

static int
addr_in(struct fake_fbsd *f, int ifindex, const struct vf_fbsd_addr *a)
{
	struct vf_fbsd_route r;

	for (int i = 0; i < f->naddr; i++)
		if (f->addrs[i].ifindex == ifindex &&
		    same_addr(&f->addrs[i].a, a))
			return -EEXIST;
	f->addrs[f->naddr].ifindex = ifindex;
	f->addrs[f->naddr++].a = *a;
	prefix_route(a, ifindex, &r);
	f->routes[f->nroute++] = r;
	rt_emit(f, VF_FBSD_RTEV_ADDR, ifindex);
	return 0;
}

/* Gone with the address: its prefix route, and what went through it. */
static void
drop_routes(struct fake_fbsd *f, int ifindex, const struct vf_fbsd_addr *a)
{
	struct vf_fbsd_route p;

	prefix_route(a, ifindex, &p);
	for (int i = 0; i < f->nroute; i++) {
		const struct vf_fbsd_route *r = &f->routes[i];

		if (r->ifindex == ifindex && r->family == a->family &&
		    (same_route(r, &p) || r->has_gw))
			f->routes[i--] = f->routes[--f->nroute];
	}
}

static int
addr_out(struct fake_fbsd *f, int ifindex, const struct vf_fbsd_addr *a)
{
	for (int i = 0; i < f->naddr; i++)
		if (f->addrs[i].ifindex == ifindex &&
		    same_addr(&f->addrs[i].a, a)) {
			f->addrs[i] = f->addrs[--f->naddr];
			drop_routes(f, ifindex, a);
			rt_emit(f, VF_FBSD_RTEV_ADDR, ifindex);
			return 0;
		}
	return -EADDRNOTAVAIL;
}

void
fk_add_addr4(struct fake_fbsd *f, int ifindex, const char *addr,
	     unsigned prefix)
{
	struct vf_fbsd_addr a;

	mk_addr(&a, 4, addr, prefix);
	addr_in(f, ifindex, &a);
}

void
fk_add_addr6(struct fake_fbsd *f, int ifindex, const char *addr,
	     unsigned prefix)
{
	struct vf_fbsd_addr a;

	mk_addr(&a, 6, addr, prefix);
	addr_in(f, ifindex, &a);
}

bool
fk_has_addr(struct fake_fbsd *f, int ifindex, const char *addr)
{
	struct vf_fbsd_addr a;

	mk_addr(&a, strchr(addr, ':') ? 6 : 4, addr, 0);
	for (int i = 0; i < f->naddr; i++)
		if (f->addrs[i].ifindex == ifindex &&
		    same_addr(&f->addrs[i].a, &a))
			return true;
	return false;
}

static void
add_route(struct fake_fbsd *f, int family, int ifindex, const char *dst,
	  unsigned len, const char *gw)
{
	struct vf_fbsd_route *r = &f->routes[f->nroute++];
	int af = family == 6 ? AF_INET6 : AF_INET;

	memset(r, 0, sizeof(*r));
	r->family = family;
	inet_pton(af, dst, r->dst);
	r->dst_len = len;
	r->has_gw = gw != NULL;
	if (gw != NULL)
		inet_pton(af, gw, r->gw);
	r->ifindex = ifindex;
	r->is_static = true;
}

static bool
has_route(struct fake_fbsd *f, int family, int ifindex, const char *dst,
	  unsigned len)
{
	uint8_t d[16] = { 0 };

	inet_pton(family == 6 ? AF_INET6 : AF_INET, dst, d);
	for (int i = 0; i < f->nroute; i++)
		if (f->routes[i].ifindex == ifindex &&
		    f->routes[i].family == family &&
		    f->routes[i].dst_len == len &&
		    memcmp(f->routes[i].dst, d, 16) == 0)
			return true;
	return false;
}

void
fk_add_route4(struct fake_fbsd *f, int ifindex, const char *dst, unsigned len,
	      const char *gw)
{
	add_route(f, 4, ifindex, dst, len, gw);
}

bool
fk_has_route4(struct fake_fbsd *f, int ifindex, const char *dst, unsigned len)
{
	return has_route(f, 4, ifindex, dst, len);
}

void
fk_add_route6(struct fake_fbsd *f, int ifindex, const char *dst, unsigned len,
	      const char *gw)
{
	add_route(f, 6, ifindex, dst, len, gw);
}

bool
fk_has_route6(struct fake_fbsd *f, int ifindex, const char *dst, unsigned len)
{
	return has_route(f, 6, ifindex, dst, len);
}

void
fk_write_file(struct fake_fbsd *f, const char *path, const char *text)
{
	int i;

	for (i = 0; i < f->nfile; i++)
		if (strcmp(f->files[i].path, path) == 0)
			break;
	if (i == f->nfile)
		f->nfile++;
	snprintf(f->files[i].path, sizeof(f->files[i].path), "%s", path);
	snprintf(f->files[i].text, sizeof(f->files[i].text), "%s", text);
}

static struct fk_proc *
new_proc(struct fake_fbsd *f, const char *const argv[])
{
	struct fk_proc *p = &f->procs[f->nproc++];

	memset(p, 0, sizeof(*p));
	p->pid = f->next_pid++;
	p->alive = true;
	for (int i = 0; i < 4 && argv[i] != NULL; i++)
		snprintf(p->argv[i], sizeof(p->argv[i]), "%s", argv[i]);
	return p;
}

/* dhclient writes its pid file as it starts. */
static void
dhclient_pidfile(struct fake_fbsd *f, struct fk_proc *p, const char *ifname)
{
	char path[96], pid[16];

	snprintf(path, sizeof(path), "/var/run/dhclient/dhclient.%s.pid",
		 ifname);
	snprintf(pid, sizeof(pid), "%d\n", p->pid);
	fk_write_file(f, path, pid);
}

int
fk_start_dhclient(struct fake_fbsd *f, const char *ifname)
{
	const char *argv[] = { "/sbin/dhclient", ifname, NULL };
	struct fk_proc *p = new_proc(f, argv);

	dhclient_pidfile(f, p, ifname);
	return p->pid;
}

struct fk_proc *
fk_dhclient(struct fake_fbsd *f, const char *ifname)
{
	for (int i = 0; i < f->nproc; i++)
		if (f->procs[i].alive &&
		    strcmp(f->procs[i].argv[0], "/sbin/dhclient") == 0 &&
		    strcmp(f->procs[i].argv[1], ifname) == 0)
			return &f->procs[i];
	return NULL;
}

void
fk_set_link(struct fake_fbsd *f, int ifindex, bool link)
{
	fk_if(f, ifindex)->phys_link = link;
	links_settle(f);
}

/* A VF going up or down is what hn(4) announces to devd. */
void
fk_set_up(struct fake_fbsd *f, int ifindex, bool up)
{
	struct fk_if *x = fk_if(f, ifindex), *h = hn_of_vf(f, ifindex);

	if (x->up == up)
		return;
	x->up = up;
	rt_emit(f, VF_FBSD_RTEV_LINK, ifindex);
	if (h != NULL && !transparent(f))
		devd_emit(f, "HYPERV_NIC_VF", h->name,
			  up ? "VF_UP" : "VF_DOWN");
	links_settle(f);
}

void
fk_devd_stop(struct fake_fbsd *f)
{
	f->devd_running = false;
	f->devd_n = 0;
	/* The client sees EOF on its next read. */
}

void
fk_devd_start(struct fake_fbsd *f)
{
	f->devd_running = true;
}

/* The seam. */

static uint64_t
s_now(void *ctx)
{
	return ((struct fake_fbsd *)ctx)->now;
}

static void
s_close(void *ctx)
{
	struct fake_fbsd *f = ctx;

	if (f->pipe[0] >= 0) {
		close(f->pipe[0]);
		close(f->pipe[1]);
		f->pipe[0] = f->pipe[1] = -1;
	}
}

static int
find_sysctl(struct fake_fbsd *f, const char *name)
{
	for (int i = 0; i < f->nsysctl; i++)
		if (strcmp(f->sysctl[i].name, name) == 0)
			return i;
	return -1;
}

/* dev.hn.N.vf is hn's current VF, by name; "" without one. */
static int
s_sysctl_str(void *ctx, const char *name, char *buf, size_t len)
{
	struct fake_fbsd *f = ctx;
	int unit, i;
	char tail[8];

	if (sscanf(name, "dev.hn.%d.%7s", &unit, tail) == 2 &&
	    strcmp(tail, "vf") == 0) {
		for (i = 0; i < f->nif; i++)
			if (strcmp(f->ifs[i].driver, "hn") == 0 &&
			    f->ifs[i].unit == unit) {
				struct fk_if *v = fk_if(f, f->ifs[i].vf);

				snprintf(buf, len, "%s", v ? v->name : "");
				return (int)strlen(buf) + 1;
			}
		return -ENOENT;
	}
	if ((i = find_sysctl(f, name)) < 0 || f->sysctl[i].is_int)
		return -ENOENT;
	snprintf(buf, len, "%s", f->sysctl[i].str);
	return (int)strlen(buf) + 1;
}

static int
s_sysctl_int(void *ctx, const char *name, int *out)
{
	struct fake_fbsd *f = ctx;
	int i = find_sysctl(f, name);

	if (i < 0 || !f->sysctl[i].is_int)
		return -ENOENT;
	*out = f->sysctl[i].val;
	return 0;
}

static int
s_sysctl_set_int(void *ctx, const char *name, int value)
{
	struct fake_fbsd *f = ctx;

	flog(f, "sysctl %s=%d", name, value);
	fk_set_sysctl_int(f, name, value);
	return 0;
}

static int
s_if_list(void *ctx, struct vf_fbsd_ifnet *out, size_t max)
{
	struct fake_fbsd *f = ctx;
	size_t n = 0;

	if (f->fail_if_list > 0) {
		f->fail_if_list--;
		return -ENOMEM;
	}
	for (int i = 0; i < f->nif && n < max; i++, n++) {
		const struct fk_if *x = &f->ifs[i];

		memset(&out[n], 0, sizeof(out[n]));
		out[n].ifindex = x->ifindex;
		memcpy(out[n].name, x->name, sizeof(x->name));
		snprintf(out[n].driver, sizeof(out[n].driver), "%s", x->driver);
		out[n].unit = x->unit;
		memcpy(out[n].mac, x->mac, VF_MACLEN);
		out[n].ether = true;
		out[n].up = x->up;
		out[n].carrier = fk_carrier(f, x->ifindex);
		out[n].mtu = x->mtu;
	}
	return (int)n;
}

static int
s_descr_get(void *ctx, const char *ifname, char *buf, size_t len)
{
	struct fk_if *x = fk_if_named(ctx, ifname);

	if (x == NULL)
		return -ENXIO;
	snprintf(buf, len, "%s", x->descr);
	return 0;
}

static int
s_descr_set(void *ctx, const char *ifname, const char *text)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);

	flog(f, "descr %s %s", ifname, text);
	if (x == NULL)
		return -ENXIO;
	snprintf(x->descr, sizeof(x->descr), "%s", text);
	return 0;
}

static int
s_lagg_get(void *ctx, const char *ifname, struct vf_fbsd_lagg *out)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);
	int active;

	if (x == NULL)
		return -ENXIO;
	if (!x->is_lagg)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->failover = x->failover;
	out->nports = (size_t)x->nports;
	active = fk_active_port(f, x->ifindex);
	for (int i = 0; i < x->nports; i++) {
		snprintf(out->port[i].name, sizeof(out->port[i].name), "%s",
			 fk_if(f, x->ports[i])->name);
		out->port[i].primary = x->ports[i] == x->primary;
		out->port[i].active = x->ports[i] == active;
	}
	return 0;
}

static int
s_lagg_create(void *ctx, int unit, char out[VF_FBSD_IFNAMSIZ])
{
	struct fake_fbsd *f = ctx;
	static const uint8_t zero[VF_MACLEN];
	char name[VF_FBSD_IFNAMSIZ];
	struct fk_if *x;
	int u = unit;

	if (u < 0)
		for (u = 0; u < 100; u++) {
			snprintf(name, sizeof(name), "lagg%d", u);
			if (fk_if_named(f, name) == NULL)
				break;
		}
	snprintf(name, sizeof(name), "lagg%d", u);
	flog(f, "create %s", name);
	if (fk_if_named(f, name) != NULL)
		return -EEXIST;
	x = fk_if(f, fk_add_if(f, name, "lagg", zero, false));
	x->is_lagg = true;
	x->reported = false;
	x->nd6 = f->lagg_nd6;
	snprintf(out, VF_FBSD_IFNAMSIZ, "%s", name);
	return 0;
}

static int
s_if_rename(void *ctx, const char *ifname, const char *newname)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);

	flog(f, "rename %s %s", ifname, newname);
	if (x == NULL)
		return -ENXIO;
	if (fk_if_named(f, newname) != NULL)
		return -EEXIST;
	snprintf(x->name, sizeof(x->name), "%s", newname);
	return 0;
}

static int
s_if_destroy(void *ctx, const char *ifname)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);

	flog(f, "destroy %s", ifname);
	if (x == NULL || !x->is_lagg)
		return -ENXIO;
	while (x->nports > 0)
		lagg_drop_port(f, x, x->ports[0]);
	fk_detach(f, x->ifindex);
	return 0;
}

static int
s_lagg_failover(void *ctx, const char *lagg)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, lagg);

	flog(f, "laggproto failover %s", lagg);
	if (x == NULL || !x->is_lagg)
		return -ENXIO;
	x->failover = true;
	return 0;
}

static void
lagg_insert(struct fake_fbsd *f, struct fk_if *l, int port)
{
	int i = l->nports;

	if (l->nports == 0)
		l->primary = port;
	while (i > 0 && l->ports[i - 1] > port) {
		l->ports[i] = l->ports[i - 1];
		i--;
	}
	l->ports[i] = port;
	l->nports++;
	fk_if(f, port)->lagg = l->ifindex;
	/* The lagg takes its first port's MAC and MTU; later ports its MTU. */
	if (l->nports == 1) {
		memcpy(l->mac, fk_if(f, port)->mac, VF_MACLEN);
		l->mtu = fk_if(f, port)->mtu;
	} else if (fk_if(f, port)->mtu != l->mtu) {
		flog(f, "%s forced to mtu %u", fk_if(f, port)->name, l->mtu);
		fk_if(f, port)->mtu = l->mtu;
	}
}

static int
s_lagg_port(void *ctx, const char *lagg, const char *port, bool add)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *l = fk_if_named(f, lagg), *p = fk_if_named(f, port);

	flog(f, "%s %s %s", add ? "laggport" : "-laggport", lagg, port);
	if (l == NULL || p == NULL || !l->is_lagg)
		return -ENXIO;
	if (add && f->fail_lagg_port > 0) {
		f->fail_lagg_port--;
		return -EIO;
	}
	if (add && f->vanish_on_add == p->ifindex) {
		fk_detach(f, p->ifindex); /* it left just now */
		return -ENXIO;
	}
	if (add && p->lagg == l->ifindex)
		return -EEXIST;
	if (add && p->lagg != 0)
		return -EBUSY;
	if (!add && p->lagg != l->ifindex)
		return -ENOENT;
	if (add)
		lagg_insert(f, l, p->ifindex);
	else
		lagg_drop_port(f, l, p->ifindex);
	rt_emit(f, VF_FBSD_RTEV_LINK, l->ifindex);
	links_settle(f);
	return 0;
}

static int
s_if_updown(void *ctx, const char *ifname, bool up)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);

	flog(f, "%s %s", ifname, up ? "up" : "down");
	if (x == NULL)
		return -ENXIO;
	fk_set_up(f, x->ifindex, up);
	return 0;
}

/* As lagg_port_ioctl: a port's MTU is the lagg's; lagg's own is ours. */
static int
s_if_mtu(void *ctx, const char *ifname, unsigned mtu)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);

	flog(f, "mtu %s %u", ifname, mtu);
	if (x == NULL)
		return -ENXIO;
	if (x->lagg != 0 || x->is_lagg || f->fail_if_mtu)
		return -EINVAL;
	x->mtu = mtu;
	return 0;
}

static int
s_nd6_flags(void *ctx, const char *ifname, unsigned mask, unsigned flags)
{
	struct fake_fbsd *f = ctx;

	struct fk_if *x = fk_if_named(f, ifname);

	flog(f, "nd6 %s mask %u flags %u", ifname, mask, flags);
	if (x == NULL)
		return -ENXIO;
	x->nd6 = (x->nd6 & ~mask) | (flags & mask);
	return 0;
}

static int
s_nd6_get(void *ctx, const char *ifname, unsigned *flags)
{
	struct fk_if *x = fk_if_named(ctx, ifname);

	if (x == NULL)
		return -ENXIO;
	*flags = x->nd6;
	return 0;
}

static int
s_addr_list(void *ctx, const char *ifname, struct vf_fbsd_addr *out, size_t max)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);
	size_t n = 0;

	if (x == NULL)
		return -ENXIO;
	for (int i = 0; i < f->naddr && n < max; i++)
		if (f->addrs[i].ifindex == x->ifindex)
			out[n++] = f->addrs[i].a;
	return (int)n;
}

static int
s_addr_add(void *ctx, const char *ifname, const struct vf_fbsd_addr *a)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);

	flog(f, "addr add %s", ifname);
	return x == NULL ? -ENXIO : addr_in(f, x->ifindex, a);
}

static int
s_addr_del(void *ctx, const char *ifname, const struct vf_fbsd_addr *a)
{
	struct fake_fbsd *f = ctx;
	struct fk_if *x = fk_if_named(f, ifname);

	flog(f, "addr del %s", ifname);
	return x == NULL ? -ENXIO : addr_out(f, x->ifindex, a);
}

static int
s_route_list(void *ctx, struct vf_fbsd_route *out, size_t max)
{
	struct fake_fbsd *f = ctx;
	size_t n = 0;

	for (int i = 0; i < f->nroute && n < max; i++)
		out[n++] = f->routes[i];
	return (int)n;
}

/* A link-local gateway is named with its zone, the route's own link. */
static bool
zoned(const struct vf_fbsd_route *r)
{
	bool ll = r->family == 6 && r->has_gw && r->gw[0] == 0xfe &&
		  (r->gw[1] & 0xc0) == 0x80;

	return !ll || r->scope == r->ifindex;
}

static int
s_route_add(void *ctx, const struct vf_fbsd_route *r)
{
	struct fake_fbsd *f = ctx;

	flog(f, "route add via %d", r->ifindex);
	if (fk_if(f, r->ifindex) == NULL)
		return -ENXIO;
	/* A link-local gateway without its zone, or another link's, is
	 * unreachable (the kernel would take it and never reach it). */
	if (!zoned(r))
		return -EHOSTUNREACH;
	for (int i = 0; i < f->nroute; i++)
		if (same_route(&f->routes[i], r))
			return -EEXIST;
	f->routes[f->nroute] = *r;
	f->routes[f->nroute++].scope = 0; /* the dump shows it bare */
	return 0;
}

static int
s_route_del(void *ctx, const struct vf_fbsd_route *r)
{
	struct fake_fbsd *f = ctx;

	flog(f, "route del via %d", r->ifindex);
	if (!zoned(r))
		return -ESRCH;
	for (int i = 0; i < f->nroute; i++)
		if (same_route(&f->routes[i], r)) {
			f->routes[i] = f->routes[--f->nroute];
			return 0;
		}
	return -ESRCH;
}

static int
s_fd(void *ctx)
{
	return ((struct fake_fbsd *)ctx)->pipe[0];
}

/* The fake's fd never becomes readable: the test loop polls. */
static void
s_ack(void *ctx)
{
	((struct fake_fbsd *)ctx)->acks++;
}

static int
s_devd_connect(void *ctx)
{
	struct fake_fbsd *f = ctx;

	f->devd_connects++;
	if (!f->devd_running)
		return -ECONNREFUSED;
	f->devd_conn = true;
	return 0;
}

static int
s_devd_read(void *ctx, char *buf, size_t len)
{
	struct fake_fbsd *f = ctx;
	size_t n;

	if (!f->devd_running)
		return 0; /* EOF: devd went away */
	if (f->devd_n == 0)
		return -EAGAIN;
	n = strlen(f->devd_q[0]);
	n = n < len ? n : len;
	memcpy(buf, f->devd_q[0], n);
	memmove(f->devd_q[0], f->devd_q[1],
		(size_t)(f->devd_n - 1) * sizeof(f->devd_q[0]));
	f->devd_n--;
	return (int)n;
}

static void
s_devd_close(void *ctx)
{
	struct fake_fbsd *f = ctx;

	f->devd_conn = false;
	f->devd_n = 0;
}

static int
s_rt_read(void *ctx, struct vf_fbsd_rtev *ev)
{
	struct fake_fbsd *f = ctx;

	if (f->rt_overflow) {
		f->rt_overflow = false;
		return -ENOBUFS;
	}
	if (f->rt_n == 0)
		return 0;
	*ev = f->rt_q[0];
	memmove(&f->rt_q[0], &f->rt_q[1],
		(size_t)(f->rt_n - 1) * sizeof(f->rt_q[0]));
	f->rt_n--;
	return 1;
}

static void
s_wake_at(void *ctx, uint64_t ms)
{
	((struct fake_fbsd *)ctx)->wake = ms;
}

static int
s_file_read(void *ctx, const char *path, char *buf, size_t len)
{
	struct fake_fbsd *f = ctx;

	for (int i = 0; i < f->nfile; i++)
		if (strcmp(f->files[i].path, path) == 0) {
			size_t n = strlen(f->files[i].text);

			n = n < len ? n : len;
			memcpy(buf, f->files[i].text, n);
			return (int)n;
		}
	return -ENOENT;
}

static struct fk_proc *
proc(struct fake_fbsd *f, int pid)
{
	for (int i = 0; i < f->nproc; i++)
		if (f->procs[i].pid == pid)
			return &f->procs[i];
	return NULL;
}

static int
s_kill(void *ctx, int pid, int sig)
{
	struct fake_fbsd *f = ctx;
	struct fk_proc *p = proc(f, pid);

	if (p == NULL || !p->alive)
		return -ESRCH;
	if (sig != 0) {
		flog(f, "kill %d %s", pid, p->argv[1]);
		p->alive = false;
		p->exited = true;
	}
	return 0;
}

static int
s_spawn(void *ctx, const char *const argv[])
{
	struct fake_fbsd *f = ctx;
	struct fk_proc *p = new_proc(f, argv);

	flog(f, "spawn %s %s", argv[0], argv[1]);
	p->ours = true;
	if (strcmp(argv[0], "/sbin/dhclient") == 0 && argv[1] != NULL)
		dhclient_pidfile(f, p, argv[1]);
	return p->pid;
}

static int
s_reap(void *ctx, int pid)
{
	struct fk_proc *p = proc(ctx, pid);

	if (p == NULL || !p->ours)
		return -ECHILD;
	return p->exited ? 1 : 0;
}

static const struct vf_fbsd_sys fake_sys = {
	.now_ms = s_now,
	.close = s_close,
	.sysctl_str = s_sysctl_str,
	.sysctl_int = s_sysctl_int,
	.sysctl_set_int = s_sysctl_set_int,
	.if_list = s_if_list,
	.descr_get = s_descr_get,
	.descr_set = s_descr_set,
	.lagg_get = s_lagg_get,
	.lagg_create = s_lagg_create,
	.if_rename = s_if_rename,
	.if_destroy = s_if_destroy,
	.lagg_failover = s_lagg_failover,
	.lagg_port = s_lagg_port,
	.if_updown = s_if_updown,
	.if_mtu = s_if_mtu,
	.nd6_flags = s_nd6_flags,
	.nd6_get = s_nd6_get,
	.addr_list = s_addr_list,
	.addr_add = s_addr_add,
	.addr_del = s_addr_del,
	.route_list = s_route_list,
	.route_add = s_route_add,
	.route_del = s_route_del,
	.fd = s_fd,
	.ack = s_ack,
	.devd_connect = s_devd_connect,
	.devd_read = s_devd_read,
	.devd_close = s_devd_close,
	.rt_read = s_rt_read,
	.wake_at = s_wake_at,
	.file_read = s_file_read,
	.kill = s_kill,
	.spawn = s_spawn,
	.reap = s_reap,
};

const struct vf_fbsd_sys *
fk_sys(void)
{
	return &fake_sys;
}

void
fk_init(struct fake_fbsd *f)
{
	memset(f, 0, sizeof(*f));
	f->now = 1000;
	f->next_ifindex = 1;
	f->next_pid = 100;
	f->devd_running = true;
	if (pipe(f->pipe) < 0)
		f->pipe[0] = f->pipe[1] = -1;
	fk_set_sysctl_str(f, "kern.vm_guest", "hv");
	fk_set_sysctl_int(f, "hw.hn.vf_transparent", 0);
	fk_set_sysctl_str(f, "hw.hn.vflist", "");
}
