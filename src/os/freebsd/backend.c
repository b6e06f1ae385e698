/* SPDX-License-Identifier: MIT */
/*
 * The FreeBSD backend behind src/os/if.h, over the seam of sys.h: the
 * kernel's ifnets, laggs and hn(4) pairing as vf_links; devd and
 * PF_ROUTE events as "read the links again"; devd's socket reconnected
 * with backoff. No system call here: the fake kernel runs it on Linux.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/freebsd/devd.h"
#include "os/freebsd/fbsd.h"

void
fb_err(struct vf_if *ifs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ifs->err, sizeof(ifs->err), fmt, ap);
	va_end(ap);
}

const char *
vf_if_error(const struct vf_if *ifs)
{
	return ifs->err;
}

const char *
vf_if_note(const struct vf_if *ifs)
{
	return ifs->why;
}

const struct vf_link *
fb_snap_link(const struct snap *s, int ifindex)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->l[i].ifindex == ifindex)
			return &s->l[i];
	return NULL;
}

const struct vf_fbsd_ifnet *
fb_snap_ifnet(const struct snap *s, int ifindex)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ifn[i].ifindex == ifindex)
			return &s->ifn[i];
	return NULL;
}

static struct vf_link *
by_name(struct snap *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->l[i].name, name) == 0)
			return &s->l[i];
	return NULL;
}

static void
link_from_ifnet(struct vf_if *ifs, struct vf_link *l,
		const struct vf_fbsd_ifnet *n)
{
	memset(l, 0, sizeof(*l));
	l->ifindex = n->ifindex;
	snprintf(l->name, sizeof(l->name), "%s", n->name);
	snprintf(l->driver, sizeof(l->driver), "%s", n->driver);
	memcpy(l->mac, n->mac, VF_MACLEN);
	l->ether = n->ether;
	l->up = n->up;
	l->carrier = n->carrier;
	l->ready = true; /* no udev: an ifnet is whole once it is listed */
	if (vf_words_has(&ifs->virt, n->driver)) {
		snprintf(l->kind, sizeof(l->kind), "%.15s", n->driver);
		l->cls = VF_LINK_VIRTUAL;
	} else {
		l->cls = VF_LINK_DEVICE;
	}
}

/* A lagg: its description is our mark; its ports point back at it. */
static void
add_lagg(struct vf_if *ifs, struct snap *s, struct vf_link *l)
{
	struct vf_fbsd_lagg lg;

	if (strcmp(l->driver, "lagg") != 0 ||
	    ifs->sys->lagg_get(ifs->ctx, l->name, &lg) < 0)
		return;
	l->cls = VF_LINK_FAILOVER;
	l->active_backup = lg.failover;
	if (ifs->sys->descr_get(ifs->ctx, l->name, l->alias, sizeof(l->alias)) <
	    0)
		l->alias[0] = '\0';
	for (size_t i = 0; i < lg.nports && i < VF_FBSD_MAXPORTS; i++) {
		struct vf_link *p = by_name(s, lg.port[i].name);

		if (p == NULL)
			continue;
		p->master = l->ifindex;
		if (lg.port[i].primary)
			l->primary = p->ifindex;
		if (lg.port[i].active)
			l->active_slave = p->ifindex;
	}
}

/*
 * The kernel's pairing from dev.hn.N.vf. Outside the run verdict the
 * VF is still named (status shows the pair) but, transparent, the
 * kernel runs it; an hn without a VF pairs with nothing (-1): vfbond
 * does not guess from the MAC (but see keep_departing_vf).
 */
static void
add_pair(struct vf_if *ifs, struct snap *s, struct vf_link *hn,
	 const struct vf_fbsd_ifnet *n)
{
	char key[32], vf[VF_FBSD_IFNAMSIZ + 1];
	struct vf_link *v;
	int len;

	hn->kernel_pair = -1;
	if (vf_hn_vf_sysctl(n->unit, key, sizeof(key)) < 0)
		return;
	len = ifs->sys->sysctl_str(ifs->ctx, key, vf, sizeof(vf));
	if (len <= 0 || !vf_fbsd_ifname_valid(vf, strnlen(vf, sizeof(vf))))
		return;
	if ((v = by_name(s, vf)) == NULL || v == hn)
		return;
	if (ifs->verdict != VF_HN_RUN && !ifs->transparent)
		return;
	hn->kernel_pair = v->ifindex;
	v->kernel_pair = hn->ifindex;
	hn->kernel_failover = ifs->transparent;
	v->kernel_failover = ifs->transparent;
}

/*
 * As a VF detaches, hn lets go of it (dev.hn.N.vf empty) a moment before
 * its ifnet leaves. A device port of our lagg with hn's MAC, beside hn,
 * is the VF the lagg was built with: it stays paired until it is gone,
 * or the lagg would look like somebody else's meanwhile.
 */
static void
keep_departing_vf(struct snap *s, struct vf_link *hn)
{
	const struct vf_link *m = fb_snap_link(s, hn->master);

	if (hn->kernel_pair != -1 || !fb_is_ours(m))
		return;
	for (size_t i = 0; i < s->n; i++) {
		struct vf_link *p = &s->l[i];

		if (p != hn && p->master == m->ifindex &&
		    p->cls == VF_LINK_DEVICE &&
		    memcmp(p->mac, hn->mac, VF_MACLEN) == 0 &&
		    p->kernel_pair == 0) {
			hn->kernel_pair = p->ifindex;
			p->kernel_pair = hn->ifindex;
			return;
		}
	}
}

int
fb_snap(struct vf_if *ifs, struct snap *s)
{
	int n = ifs->sys->if_list(ifs->ctx, s->ifn, VF_FBSD_MAXIF);

	if (n < 0) {
		fb_err(ifs, "list interfaces: %s", strerror(-n));
		return n;
	}
	s->n = (size_t)n;
	for (size_t i = 0; i < s->n; i++)
		link_from_ifnet(ifs, &s->l[i], &s->ifn[i]);
	for (size_t i = 0; i < s->n; i++)
		add_lagg(ifs, s, &s->l[i]);
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->ifn[i].driver, "hn") == 0)
			add_pair(ifs, s, &s->l[i], &s->ifn[i]);
	for (size_t i = 0; ifs->verdict == VF_HN_RUN && i < s->n; i++)
		if (strcmp(s->ifn[i].driver, "hn") == 0)
			keep_departing_vf(s, &s->l[i]);
	return 0;
}

int
fb_name(struct vf_if *ifs, int ifindex, const char *what,
	char name[VF_FBSD_IFNAMSIZ])
{
	struct vf_fbsd_ifnet v[VF_FBSD_MAXIF];
	int n = ifs->sys->if_list(ifs->ctx, v, VF_FBSD_MAXIF);

	if (n < 0) {
		fb_err(ifs, "%s: list interfaces: %s", what, strerror(-n));
		return n;
	}
	for (int i = 0; i < n; i++)
		if (v[i].ifindex == ifindex) {
			memcpy(name, v[i].name, VF_FBSD_IFNAMSIZ);
			return 0;
		}
	fb_err(ifs, "%s: ifindex %d is gone", what, ifindex);
	return -ENODEV;
}

static void
remember(struct vf_if *ifs, const struct snap *s)
{
	memcpy(ifs->known, s->l, s->n * sizeof(s->l[0]));
	ifs->nknown = s->n;
}

int
vf_if_dump(struct vf_if *ifs, vf_link_cb *cb, void *arg)
{
	struct snap *s = malloc(sizeof(*s));
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if ((rc = fb_snap(ifs, s)) == 0) {
		for (size_t i = 0; i < s->n; i++)
			cb(arg, &s->l[i]);
		remember(ifs, s);
	}
	free(s);
	return rc;
}

int
vf_if_refresh(struct vf_if *ifs, int ifindex, vf_link_cb *cb, vf_gone_cb *gone,
	      void *arg)
{
	struct snap *s = malloc(sizeof(*s));
	const struct vf_link *l;
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if ((rc = fb_snap(ifs, s)) == 0) {
		if ((l = fb_snap_link(s, ifindex)) != NULL)
			cb(arg, l);
		else
			gone(arg, ifindex);
	}
	free(s);
	return rc;
}

/* Reports what changed since the last report, then what left. */
static void
report_changes(struct vf_if *ifs, const struct snap *s, vf_link_cb *cb,
	       vf_gone_cb *gone, void *arg)
{
	for (size_t i = 0; i < s->n; i++) {
		size_t k;

		for (k = 0; k < ifs->nknown; k++)
			if (ifs->known[k].ifindex == s->l[i].ifindex)
				break;
		if (k == ifs->nknown ||
		    memcmp(&ifs->known[k], &s->l[i], sizeof(s->l[i])) != 0)
			cb(arg, &s->l[i]);
	}
	for (size_t k = 0; k < ifs->nknown; k++)
		if (fb_snap_link(s, ifs->known[k].ifindex) == NULL)
			gone(arg, ifs->known[k].ifindex);
}

static void
devd_retry_later(struct vf_if *ifs, uint64_t now)
{
	ifs->devd_up = false;
	ifs->devd_retry_at = now + ifs->devd_backoff_ms;
	ifs->devd_backoff_ms *= 2;
	if (ifs->devd_backoff_ms > DEVD_BACKOFF_CAP_MS)
		ifs->devd_backoff_ms = DEVD_BACKOFF_CAP_MS;
}

static uint64_t
earliest(uint64_t a, uint64_t b)
{
	if (a == 0 || b == 0)
		return a == 0 ? b : a;
	return a < b ? a : b;
}

/*
 * The one timer there is wakes the daemon at the earliest of what waits:
 * devd's reconnect, the dhclient sweep, a failed read tried again.
 */
static void
rearm(struct vf_if *ifs)
{
	uint64_t at = ifs->devd_up ? 0 : ifs->devd_retry_at;

	at = earliest(at, ifs->sweep_at);
	at = earliest(at, ifs->read_retry_at);
	if (at != 0)
		ifs->sys->wake_at(ifs->ctx, at);
}

/*
 * devd replays nothing: after a reconnect the links are read again,
 * since events may have been missed while it was away.
 */
static void
devd_connect(struct vf_if *ifs)
{
	uint64_t now = ifs->sys->now_ms(ifs->ctx);

	if (ifs->devd_up || now < ifs->devd_retry_at)
		return;
	if (ifs->sys->devd_connect(ifs->ctx) < 0) {
		devd_retry_later(ifs, now);
		return;
	}
	ifs->devd_up = true;
	ifs->devd_backoff_ms = DEVD_BACKOFF_FIRST_MS;
	ifs->dirty = true;
}

/* Names of links devd saw come up since the last read. */
struct ups {
	char name[8][VF_FBSD_IFNAMSIZ];
	size_t n;
};

static void
devd_event(struct vf_if *ifs, const struct vf_devd_event *ev, struct ups *ups)
{
	if (ev->kind == VF_DEVD_OTHER)
		return;
	ifs->dirty = true;
	if (ev->kind != VF_DEVD_LINK_UP)
		return;
	/* devd's own rule starts dhclient on hnN a moment after this. */
	ifs->sweep_at = ifs->sys->now_ms(ifs->ctx) + DHCP_SWEEP_MS;
	if (ups->n < sizeof(ups->name) / sizeof(ups->name[0]))
		memcpy(ups->name[ups->n++], ev->ifname, VF_FBSD_IFNAMSIZ);
}

static void
devd_drain(struct vf_if *ifs, struct ups *ups)
{
	char buf[1024];
	struct vf_devd_event ev;
	int n;

	while (ifs->devd_up) {
		n = ifs->sys->devd_read(ifs->ctx, buf, sizeof(buf));
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			ifs->sys->devd_close(ifs->ctx);
			devd_retry_later(ifs, ifs->sys->now_ms(ifs->ctx));
			ifs->dirty = true;
			return;
		}
		/* A record we cannot read is devd's business, not ours. */
		if (vf_devd_parse(buf, (size_t)n, &ev) == VF_DEVD_OK)
			devd_event(ifs, &ev, ups);
	}
}

static int
rt_drain(struct vf_if *ifs)
{
	struct vf_fbsd_rtev ev;
	int n;

	while ((n = ifs->sys->rt_read(ifs->ctx, &ev)) != 0) {
		if (n == -ENOBUFS) {
			ifs->dirty = true; /* lost some: read everything */
			continue;
		}
		if (n < 0) {
			fb_err(ifs, "read the routing socket: %s",
			       strerror(-n));
			return n;
		}
		if (ev.type == VF_FBSD_RTEV_LINK)
			ifs->dirty = true;
		/* Now, and the one due after a LINK_UP still comes. */
		if (ev.type == VF_FBSD_RTEV_ADDR)
			ifs->sweep_now = true;
	}
	return 0;
}

bool
fb_is_ours(const struct vf_link *l)
{
	return l != NULL && l->cls == VF_LINK_FAILOVER &&
	       strncmp(l->alias, VF_ALIAS_PREFIX, strlen(VF_ALIAS_PREFIX)) == 0;
}

/* dhclient follows the links: laggs that came up, hn that got one. */
static void
dhcp_events(struct vf_if *ifs, const struct snap *s, const struct ups *ups)
{
	uint64_t now = ifs->sys->now_ms(ifs->ctx);
	bool due;

	for (size_t i = 0; i < ups->n; i++)
		for (size_t k = 0; k < s->n; k++)
			if (strcmp(s->l[k].name, ups->name[i]) == 0 &&
			    fb_is_ours(&s->l[k]))
				fb_dhcp_link_up(ifs, s, s->l[k].ifindex);
	due = ifs->sweep_at != 0 && now >= ifs->sweep_at;
	if (!due && !ifs->sweep_now)
		return;
	if (due)
		ifs->sweep_at = 0;
	ifs->sweep_now = false;
	fb_dhcp_sweep(ifs, s);
}

static int
read_events(struct vf_if *ifs, vf_link_cb *cb, vf_gone_cb *gone, void *arg)
{
	struct ups ups = { .n = 0 };
	struct snap *s;
	int rc;

	ifs->sys->ack(ifs->ctx);
	fb_reap(ifs);
	devd_connect(ifs);
	devd_drain(ifs, &ups);
	if ((rc = rt_drain(ifs)) < 0)
		return rc;
	if (!ifs->dirty && !ifs->sweep_now &&
	    (ifs->sweep_at == 0 || ifs->sys->now_ms(ifs->ctx) < ifs->sweep_at))
		return 0;
	if ((s = malloc(sizeof(*s))) == NULL)
		return -ENOMEM;
	if ((rc = fb_snap(ifs, s)) == 0) {
		if (ifs->dirty)
			report_changes(ifs, s, cb, gone, arg);
		remember(ifs, s);
		ifs->dirty = false;
		ifs->read_retry_at = 0;
		dhcp_events(ifs, s, &ups);
	} else {
		/* Still dirty: read again in a second, events or not;
		 * a sweep due needs that read, so it waits too. */
		ifs->read_retry_at =
		    ifs->sys->now_ms(ifs->ctx) + DEVD_BACKOFF_FIRST_MS;
		if (ifs->sweep_at != 0 && ifs->sweep_at < ifs->read_retry_at)
			ifs->sweep_at = ifs->read_retry_at;
	}
	free(s);
	return rc;
}

int
vf_if_read_events(struct vf_if *ifs, vf_link_cb *cb, vf_gone_cb *gone,
		  void *arg)
{
	int rc;

	if (!ifs->monitor)
		return 0;
	rc = read_events(ifs, cb, gone, arg);
	rearm(ifs);
	return rc;
}

size_t
vf_if_fds(const struct vf_if *ifs, int fds[VF_IF_MAXFDS])
{
	if (!ifs->monitor)
		return 0;
	fds[0] = ifs->sys->fd(ifs->ctx);
	return fds[0] >= 0 ? 1 : 0;
}

/* The seed's checks: kern.vm_guest, hw.hn.vf_transparent, vflist. */
static void
decide(struct vf_if *ifs)
{
	char guest[32], vflist[512];
	struct vf_hn_kernel k = { 0 };
	int t;

	if (ifs->sys->sysctl_str(ifs->ctx, "kern.vm_guest", guest,
				 sizeof(guest)) > 0)
		k.vm_guest = guest;
	if (ifs->sys->sysctl_int(ifs->ctx, "hw.hn.vf_transparent", &t) == 0) {
		k.has_transparent = true;
		k.transparent = t;
	}
	k.has_vflist = ifs->sys->sysctl_str(ifs->ctx, "hw.hn.vflist", vflist,
					    sizeof(vflist)) >= 0;
	ifs->verdict = vf_hn_decide(&k, ifs->why, sizeof(ifs->why));
	ifs->transparent = k.vm_guest != NULL &&
			   strcmp(k.vm_guest, "hv") == 0 && k.has_transparent &&
			   k.transparent != 0;
}

/* rc.conf then rc.conf.local, as rc.subr reads them; absent is empty. */
static int
read_rc(struct vf_if *ifs, struct vf_rcconf *out, char *err, size_t errlen)
{
	static const char *const files[] = { RC_CONF, RC_CONF_LOCAL };
	char *buf = malloc(RC_MAXSIZE);
	int rc = 0;

	if (buf == NULL)
		return -ENOMEM;
	vf_rcconf_init(out);
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		int n = ifs->sys->file_read(ifs->ctx, files[i], buf, 64 * 1024);

		if (n == -ENOENT)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "read %s: %s", files[i],
				 strerror(-n));
			rc = n;
		} else if (vf_rcconf_parse(out, buf, (size_t)n, files[i], err,
					   errlen) < 0) {
			rc = -EINVAL;
		}
	}
	free(buf);
	return rc;
}

/*
 * rc.conf as it is now, so an edit counts from the next build without a
 * restart; one that cannot be read or is refused keeps the last good.
 */
void
fb_rc_refresh(struct vf_if *ifs)
{
	struct vf_rcconf *now = malloc(sizeof(*now));
	char err[160];

	if (now != NULL && read_rc(ifs, now, err, sizeof(err)) == 0)
		ifs->rc = *now;
	free(now);
}

struct vf_if *
vf_fbsd_open(const struct vf_fbsd_sys *sys, void *ctx,
	     const struct vf_config *conf, bool monitor, char *err,
	     size_t errlen)
{
	struct vf_if *ifs = calloc(1, sizeof(*ifs));

	(void)conf;
	if (ifs == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		sys->close(ctx);
		errno = ENOMEM;
		return NULL;
	}
	ifs->sys = sys;
	ifs->ctx = ctx;
	ifs->monitor = monitor;
	ifs->devd_backoff_ms = DEVD_BACKOFF_FIRST_MS;
	vf_words_set(&ifs->virt, FB_VIRTUAL);
	decide(ifs);
	if (read_rc(ifs, &ifs->rc, err, errlen) < 0) {
		vf_if_close(ifs);
		errno = EINVAL;
		return NULL;
	}
	if (monitor) {
		devd_connect(ifs);
		rearm(ifs);
	}
	return ifs;
}

void
vf_if_close(struct vf_if *ifs)
{
	if (ifs == NULL)
		return;
	fb_reap(ifs);
	if (ifs->devd_up)
		ifs->sys->devd_close(ifs->ctx);
	ifs->sys->close(ifs->ctx);
	free(ifs);
}
