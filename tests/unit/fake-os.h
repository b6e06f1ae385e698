/* SPDX-License-Identifier: MIT */
/*
 * A fake OS backend for the plans: links, addresses and routes in
 * memory, every primitive call logged, and any mutating call made to
 * fail on demand, so that each rollback path can be checked.
 */
#ifndef VFBOND_TEST_FAKE_OS_H
#define VFBOND_TEST_FAKE_OS_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"

#define FAKE_MAX 32

struct fake_addr {
	int ifindex;
	struct vf_addr a;
};

struct fake_route {
	int ifindex;
	struct vf_route r;
};

struct fake_os {
	struct vf_link links[FAKE_MAX];
	int n_links;
	int primary[FAKE_MAX]; /* by position in links */
	struct fake_addr addrs[FAKE_MAX];
	int n_addrs;
	struct fake_route routes[FAKE_MAX];
	int n_routes;
	int next_ifindex;
	int calls;	/* mutating calls so far */
	int fail_at[2]; /* these mutating calls fail (0: none) */
	int kill_at;	/* from this call on, none has effect: a SIGKILL */
	char log[4096];
	char err[256];
};

static inline void fake_log(struct fake_os *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
fake_log(struct fake_os *f, const char *fmt, ...)
{
	size_t len = strlen(f->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->log + len, sizeof(f->log) - len, fmt, ap);
	va_end(ap);
	len = strlen(f->log);
	snprintf(f->log + len, sizeof(f->log) - len, "; ");
}

/* Counts a mutating call; -EIO when it is one that must fail. */
static inline int
fake_call(struct fake_os *f, const char *what)
{
	f->calls++;
	if (f->kill_at != 0 && f->calls >= f->kill_at) {
		snprintf(f->err, sizeof(f->err), "%s: killed", what);
		return -EIO;
	}
	if (f->calls == f->fail_at[0] || f->calls == f->fail_at[1]) {
		snprintf(f->err, sizeof(f->err), "%s: fake failure %d", what,
			 f->calls);
		return -EIO;
	}
	return 0;
}

static inline struct vf_link *
fake_link(struct fake_os *f, int ifindex)
{
	for (int i = 0; i < f->n_links; i++)
		if (f->links[i].ifindex == ifindex)
			return &f->links[i];
	return NULL;
}

static inline struct vf_link *
fake_add_link(struct fake_os *f, int ifindex, const char *name, bool up)
{
	struct vf_link *l = &f->links[f->n_links++];

	memset(l, 0, sizeof(*l));
	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->up = up;
	l->carrier = up;
	return l;
}

static inline void
fake_add_addr(struct fake_os *f, int ifindex, int family, const char *text,
	      bool global)
{
	struct fake_addr *fa = &f->addrs[f->n_addrs++];

	memset(fa, 0, sizeof(*fa));
	fa->ifindex = ifindex;
	fa->a.family = family == 6 ? VF_INET6 : VF_INET;
	fa->a.global = global;
	snprintf(fa->a.text, sizeof(fa->a.text), "%s", text);
	if (strncmp(text, "fe80", 4) == 0) {
		fa->a.addr[0] = 0xfe;
		fa->a.addr[1] = 0x80;
	}
}

static inline struct vf_route *
fake_add_route(struct fake_os *f, int ifindex, const char *text, bool gw)
{
	struct fake_route *fr = &f->routes[f->n_routes++];

	memset(fr, 0, sizeof(*fr));
	fr->ifindex = ifindex;
	fr->r.family = VF_INET;
	fr->r.oif = ifindex;
	fr->r.has_gateway = gw;
	snprintf(fr->r.text, sizeof(fr->r.text), "%s", text);
	return &fr->r;
}

static int
fake_link_get(void *os, int ifindex, struct vf_link *out)
{
	struct vf_link *l = fake_link(os, ifindex);

	if (l == NULL)
		return -ENODEV;
	*out = *l;
	if (l->cls == VF_LINK_FAILOVER)
		out->primary = ((struct fake_os *)os)
				   ->primary[l - ((struct fake_os *)os)->links];
	return 0;
}

static int
fake_master_create(void *os, const char *name, const struct vf_link *s,
		   struct vf_link *out)
{
	struct fake_os *f = os;
	struct vf_link *m;
	int rc = fake_call(f, "create");

	fake_log(f, "create %s", name);
	if (rc < 0)
		return rc;
	for (int i = 0; i < f->n_links; i++)
		if (strcmp(f->links[i].name, name) == 0)
			return -EEXIST;
	m = fake_add_link(f, f->next_ifindex++, name, false);
	m->cls = VF_LINK_FAILOVER;
	m->active_backup = true;
	m->ether = m->ready = true;
	snprintf(m->kind, sizeof(m->kind), "bond");
	memcpy(m->mac, s->mac, VF_MACLEN);
	*out = *m;
	return 0;
}

static int
fake_master_destroy(void *os, const struct vf_link *master)
{
	struct fake_os *f = os;
	struct vf_link *m = fake_link(f, master->ifindex);
	int rc = fake_call(f, "destroy");

	fake_log(f, "destroy %s", master->name);
	if (rc < 0)
		return rc;
	if (m == NULL)
		return -ENODEV;
	for (int i = 0; i < f->n_links; i++)
		if (f->links[i].master == master->ifindex)
			f->links[i].master = 0;
	f->n_links--;
	f->primary[m - f->links] = f->primary[f->n_links];
	f->primary[f->n_links] = 0;
	*m = f->links[f->n_links];
	return 0;
}

static int
fake_master_mark(void *os, const struct vf_link *master, const char *alias)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "mark");

	fake_log(f, "mark %s", master->name);
	if (rc == 0)
		snprintf(fake_link(f, master->ifindex)->alias, VF_ALIASSIZ,
			 "%s", alias);
	return rc;
}

static int
fake_master_primary(void *os, const struct vf_link *m,
		    const struct vf_link *port)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "primary");

	fake_log(f, "primary %s %s", m->name, port->name);
	if (rc == 0)
		f->primary[fake_link(f, m->ifindex) - f->links] = port->ifindex;
	return rc;
}

static int
fake_master_active(void *os, const struct vf_link *m,
		   const struct vf_link *port)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "active");

	fake_log(f, "active %s %s", m->name, port->name);
	if (rc == 0)
		fake_link(f, m->ifindex)->active_slave = port->ifindex;
	return rc;
}

static int
fake_port_set(void *os, const struct vf_link *port,
	      const struct vf_link *master)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "port");

	fake_log(f, "port %s %d", port->name, master->ifindex);
	if (rc < 0)
		return rc;
	/* As bonding does: a port is opened when it joins, closed when
	 * it leaves. */
	fake_link(f, port->ifindex)->master = master->ifindex;
	fake_link(f, port->ifindex)->up = master->ifindex != 0;
	return 0;
}

static int
fake_set_up(void *os, const struct vf_link *link, bool up)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "updown");
	struct vf_link *l = fake_link(f, link->ifindex);

	fake_log(f, "%s %s", link->name, up ? "up" : "down");
	if (rc < 0)
		return rc;
	if (l == NULL)
		return -ENODEV;
	l->up = up;
	return 0;
}

static int
fake_dad_off(void *os, const struct vf_link *link)
{
	fake_log(os, "dad-off %s", link->name);
	return fake_call(os, "dad-off");
}

static int
fake_addr_list(void *os, const struct vf_link *link, struct vf_addr_list *out)
{
	struct fake_os *f = os;

	for (int i = 0; i < f->n_addrs; i++)
		if (f->addrs[i].ifindex == link->ifindex &&
		    !vf_addr_list_add(out, &f->addrs[i].a, "a", 2))
			return -ENOMEM;
	return 0;
}

static int
fake_addr_find(struct fake_os *f, int ifindex, const struct vf_addr *a)
{
	for (int i = 0; i < f->n_addrs; i++)
		if (f->addrs[i].ifindex == ifindex &&
		    strcmp(f->addrs[i].a.text, a->text) == 0)
			return i;
	return -1;
}

static int
fake_addr_add(void *os, const struct vf_link *to, const struct vf_link *from,
	      const struct vf_addr *a)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "addr-add");

	fake_log(f, "add %s %s", to->name, a->text);
	if (rc < 0)
		return rc;
	if (fake_addr_find(f, to->ifindex, a) >= 0)
		return -EEXIST;
	f->addrs[f->n_addrs].ifindex = to->ifindex;
	f->addrs[f->n_addrs].a = *a;
	f->addrs[f->n_addrs++].a.os = NULL;
	return 0;
}

/*
 * Linux drops the IPv4 routes through a link with its last IPv4
 * address; modelled for masters' gateway routes, where a route kept by
 * a rollback must not go with the address copies.
 */
static inline void
fake_flush_gateways(struct fake_os *f, int ifindex, enum vf_family family)
{
	const struct vf_link *l = fake_link(f, ifindex);

	if (family != VF_INET || l == NULL || l->cls != VF_LINK_FAILOVER)
		return;
	for (int i = 0; i < f->n_addrs; i++)
		if (f->addrs[i].ifindex == ifindex &&
		    f->addrs[i].a.family == VF_INET)
			return;
	for (int i = f->n_routes; i-- > 0;)
		if (f->routes[i].ifindex == ifindex &&
		    f->routes[i].r.family == VF_INET &&
		    f->routes[i].r.has_gateway)
			f->routes[i] = f->routes[--f->n_routes];
}

static int
fake_addr_del(void *os, const struct vf_link *on, const struct vf_addr *a,
	      bool copy)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "addr-del");
	int i;

	fake_log(f, "del %s %s", on->name, a->text);
	if (rc < 0)
		return rc;
	if ((i = fake_addr_find(f, on->ifindex, a)) < 0)
		return -EADDRNOTAVAIL;
	f->addrs[i] = f->addrs[--f->n_addrs];
	fake_flush_gateways(f, on->ifindex, a->family);
	return 0;
}

static int
fake_route_list(void *os, const struct vf_link *link, struct vf_route_list *out)
{
	struct fake_os *f = os;

	for (int i = 0; i < f->n_routes; i++)
		if (f->routes[i].ifindex == link->ifindex &&
		    !vf_route_list_add(out, &f->routes[i].r, "r", 2))
			return -ENOMEM;
	return 0;
}

static int
fake_route_find(struct fake_os *f, int ifindex, const struct vf_route *r)
{
	for (int i = 0; i < f->n_routes; i++)
		if (f->routes[i].ifindex == ifindex &&
		    strcmp(f->routes[i].r.text, r->text) == 0)
			return i;
	return -1;
}

static int
fake_route_add(void *os, const struct vf_link *on, const struct vf_route *r)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "route-add");

	fake_log(f, "route-add %s %s", on->name, r->text);
	if (rc < 0)
		return rc;
	if (fake_route_find(f, on->ifindex, r) >= 0)
		return -EEXIST;
	f->routes[f->n_routes].ifindex = on->ifindex;
	f->routes[f->n_routes].r = *r;
	f->routes[f->n_routes].r.oif = on->ifindex;
	f->routes[f->n_routes++].r.os = NULL;
	return 0;
}

static int
fake_route_del(void *os, const struct vf_link *on, const struct vf_route *r)
{
	struct fake_os *f = os;
	int rc = fake_call(f, "route-del");
	int i;

	fake_log(f, "route-del %s %s", on->name, r->text);
	if (rc < 0)
		return rc;
	if ((i = fake_route_find(f, on->ifindex, r)) < 0)
		return -ESRCH;
	f->routes[i] = f->routes[--f->n_routes];
	return 0;
}

static const char *
fake_error(void *os)
{
	return ((struct fake_os *)os)->err;
}

static const struct vf_prims fake_prims = {
	fake_link_get,	  fake_master_create,  fake_master_destroy,
	fake_master_mark, fake_master_primary, fake_master_active,
	fake_port_set,	  fake_set_up,	       fake_dad_off,
	fake_addr_list,	  fake_addr_add,       fake_addr_del,
	fake_route_list,  fake_route_add,      fake_route_del,
	fake_error,
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The kernel's state as sorted lines: equal strings, equal networks. */
static inline void
fake_snapshot(const struct fake_os *f, char *out, size_t len)
{
	char lines[3 * FAKE_MAX][96];
	char *sorted[3 * FAKE_MAX];
	int n = 0;

	for (int i = 0; i < f->n_links; i++) {
		const struct vf_link *l = &f->links[i];

		snprintf(lines[n], sizeof(lines[n]), "link %d %s m%d %s p%d",
			 l->ifindex, l->name, l->master, l->up ? "up" : "down",
			 f->primary[i]);
		n++;
	}
	for (int i = 0; i < f->n_addrs; i++, n++)
		snprintf(lines[n], sizeof(lines[n]), "addr %d %s",
			 f->addrs[i].ifindex, f->addrs[i].a.text);
	for (int i = 0; i < f->n_routes; i++, n++)
		snprintf(lines[n], sizeof(lines[n]), "route %d %s",
			 f->routes[i].ifindex, f->routes[i].r.text);
	for (int i = 0; i < n; i++)
		sorted[i] = lines[i];
	qsort(sorted, (size_t)n, sizeof(sorted[0]), cmp_str);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t used = strlen(out);

		snprintf(out + used, len - used, "%s\n", sorted[i]);
	}
}

#endif
