/* SPDX-License-Identifier: MIT */
/*
 * dhclient follows the address from hnN to the lagg, where rc.conf says
 * ifconfig_hnN="DHCP" (or SYNCDHCP): hn's dhclient (its pid file as
 * rc.d writes it) is stopped, and dhclient runs on the lagg, started
 * directly (no shell) and again when the lagg's link comes back. devd
 * starts dhclient on hnN whenever hn's link comes up (the VF left):
 * that one is stopped again. Static addresses need none of this: they
 * move with the core's address steps.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "os/freebsd/fbsd.h"
#include "os/freebsd/ifcfg.h"

static bool
wants_dhcp(struct vf_if *ifs, const char *hn)
{
	struct vf_ifcfg cfg;
	char err[160];

	if (vf_ifcfg_get(&ifs->rc, hn, &cfg, err, sizeof(err)) < 0)
		return false;
	return cfg.v4 == VF_IFCFG_DHCP || cfg.v4 == VF_IFCFG_SYNCDHCP;
}

bool
fb_rc_accept_rtadv(struct vf_if *ifs, const char *hn)
{
	struct vf_ifcfg cfg;
	char err[160];

	return vf_ifcfg_get(&ifs->rc, hn, &cfg, err, sizeof(err)) == 0 &&
	       cfg.accept_rtadv;
}

/* The pid in dhclient.IF.pid if that process lives; 0 otherwise. */
static int
dhclient_pid(struct vf_if *ifs, const char *ifname)
{
	char path[96], buf[32];
	long pid = 0;
	int n;

	snprintf(path, sizeof(path), DHCLIENT_PIDS, ifname);
	n = ifs->sys->file_read(ifs->ctx, path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (int i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		if ((pid = pid * 10 + (buf[i] - '0')) > 99999999)
			return 0;
	if (pid <= 1 || ifs->sys->kill(ifs->ctx, (int)pid, 0) < 0)
		return 0;
	return (int)pid;
}

static void
stop_dhclient(struct vf_if *ifs, const char *ifname)
{
	int pid = dhclient_pid(ifs, ifname);

	if (pid > 0)
		ifs->sys->kill(ifs->ctx, pid, SIGTERM);
}

static void
start_dhclient(struct vf_if *ifs, const char *lagg)
{
	const char *argv[] = { DHCLIENT, lagg, NULL };
	int pid;

	if (dhclient_pid(ifs, lagg) > 0)
		return;
	pid = ifs->sys->spawn(ifs->ctx, argv);
	if (pid < 0) {
		fb_err(ifs, "start %s %s: %s", DHCLIENT, lagg, strerror(-pid));
		return;
	}
	/* dhclient forks once it has a lease: its first self is ours. */
	if (ifs->nchildren < MAX_CHILDREN)
		ifs->children[ifs->nchildren++] = pid;
}

void
fb_dhcp_takeover(struct vf_if *ifs, const char *hn, const char *lagg)
{
	fb_rc_refresh(ifs);
	if (!wants_dhcp(ifs, hn))
		return;
	stop_dhclient(ifs, hn);
	start_dhclient(ifs, lagg);
}

void
fb_dhcp_sweep(struct vf_if *ifs, const struct snap *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct vf_link *l = &s->l[i];

		if (strcmp(l->driver, "hn") == 0 && l->master != 0 &&
		    fb_is_ours(fb_snap_link(s, l->master)) &&
		    wants_dhcp(ifs, l->name))
			stop_dhclient(ifs, l->name);
	}
}

void
fb_dhcp_link_up(struct vf_if *ifs, const struct snap *s, int lagg)
{
	const struct vf_link *m = fb_snap_link(s, lagg);

	for (size_t i = 0; m != NULL && i < s->n; i++) {
		const struct vf_link *l = &s->l[i];

		if (strcmp(l->driver, "hn") == 0 && l->master == lagg &&
		    wants_dhcp(ifs, l->name))
			start_dhclient(ifs, m->name);
	}
}

void
fb_reap(struct vf_if *ifs)
{
	size_t k = 0;

	for (size_t i = 0; i < ifs->nchildren; i++)
		if (ifs->sys->reap(ifs->ctx, ifs->children[i]) == 0)
			ifs->children[k++] = ifs->children[i];
	ifs->nchildren = k;
}
