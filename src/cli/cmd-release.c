/* SPDX-License-Identifier: MIT */
/*
 * vfbond release [IFACE]: the way back to the plain setup. Each master
 * of vfbond's (or IFACE's) is removed, its addresses and routes go back
 * to the synthetic NIC, and the network manager's runtime files are
 * removed so that its own configuration of the NIC applies again.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "conf/conf.h"
#include "core/addr.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "daemon/lock.h"
#include "netconf/netconf.h"
#include "os/if.h"

static const char usage[] =
    "usage: vfbond release [-c FILE] [-S SOCKET] [IFACE]\n"
    "  Removes vfbond's masters (or the one of IFACE: a synthetic NIC or\n"
    "  a master): their addresses and routes go back to the synthetic\n"
    "  NIC, and the network manager configures it again. Stop the daemon\n"
    "  first (systemctl disable --now vfbond), or it builds them again.\n"
    "  -c, --config FILE   config file (default /etc/vfbond.conf)\n"
    "  -S, --socket PATH   the daemon's control socket "
    "(default " VF_CONTROL_PATH ")\n";

struct links {
	struct vf_link *v;
	size_t n, cap;
	bool oom;
};

static void
collect(void *arg, const struct vf_link *link)
{
	struct links *ls = arg;

	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 32;
		void *v = realloc(ls->v, cap * sizeof(*ls->v));

		if (v == NULL) {
			ls->oom = true;
			return;
		}
		ls->v = v;
		ls->cap = cap;
	}
	ls->v[ls->n++] = *link;
}

static bool
is_ours(const struct vf_link *l)
{
	return l->cls == VF_LINK_FAILOVER &&
	       strncmp(l->alias, VF_ALIAS_PREFIX, strlen(VF_ALIAS_PREFIX)) == 0;
}

static bool
is_synthetic(const struct vf_config *conf, const struct vf_link *l)
{
	if (vf_words_has(&conf->synthetic_drivers, l->driver))
		return true;
	for (int i = 0; i < conf->synthetic_names.count; i++)
		if (fnmatch(conf->synthetic_names.word[i], l->name, 0) == 0)
			return true;
	return false;
}

/* The master's synthetic port, or NULL. */
static const struct vf_link *
synthetic_of(const struct vf_config *conf, const struct links *ls,
	     const struct vf_link *m)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->v[i].master == m->ifindex &&
		    is_synthetic(conf, &ls->v[i]))
			return &ls->v[i];
	return NULL;
}

/* The master's addresses and routes, copied onto the synthetic NIC. */
static void
give_back(void *os, const struct vf_prims *p, const struct vf_link *m,
	  const struct vf_link *s)
{
	struct vf_addr_list addrs = { 0 };
	struct vf_route_list routes = { 0 };

	if (p->addr_list(os, m, &addrs) == 0)
		for (size_t i = 0; i < addrs.n; i++)
			if (vf_addr_moves(&addrs.v[i]))
				p->addr_add(os, s, m, &addrs.v[i]);
	if (p->route_list(os, m, &routes) == 0)
		for (size_t i = 0; i < routes.n; i++)
			p->route_add(os, s, &routes.v[i]);
	vf_addr_list_free(&addrs);
	vf_route_list_free(&routes);
}

/*
 * A master NetworkManager built: NM takes it down with its profiles,
 * and configures the NIC with its own again. Waits (a little) for the
 * master to go; one that stays is released as ours.
 */
static bool
handed_back(const struct vf_link *m, const struct vf_link *s,
	    struct vf_netconf *nc)
{
	char err[VF_PATHSIZ + 128];

	if (is_ours(m) || !vf_netconf_owns(nc, m->name))
		return false;
	if (vf_netconf_release(nc, m->name, s != NULL ? s->name : NULL, err,
			       sizeof(err)) < 0) {
		cli_error("release %s: %s", m->name, err);
		return false;
	}
	for (int i = 0; i < 100 && if_nametoindex(m->name) != 0; i++)
		usleep(100 * 1000);
	if (if_nametoindex(m->name) != 0)
		return false;
	printf("released %s: NetworkManager configures %s again\n", m->name,
	       s != NULL ? s->name : "its NIC");
	return true;
}

static int
release_one(const struct vf_config *conf, struct vf_if *ifs,
	    const struct links *ls, const struct vf_link *m,
	    struct vf_netconf *nc)
{
	const struct vf_prims *p = vf_if_prims();
	const struct vf_link *s = synthetic_of(conf, ls, m);
	struct vf_link sy;
	char err[VF_PATHSIZ + 128];
	int rc;

	if (handed_back(m, s, nc))
		return 0;
	if (s != NULL) {
		sy = *s;
		/* Out of the master first: an address needs its NIC free. */
		if ((rc = p->port_set(ifs, &sy, &(struct vf_link){ 0 })) < 0 ||
		    (rc = p->set_up(ifs, &sy, true)) < 0) {
			cli_error("release %s: %s", m->name, p->error(ifs));
			return -1;
		}
		give_back(ifs, p, m, &sy);
	}
	if (p->master_destroy(ifs, m) < 0) {
		cli_error("release %s: %s", m->name, p->error(ifs));
		return -1;
	}
	if (vf_netconf_release(nc, m->name, s != NULL ? sy.name : NULL, err,
			       sizeof(err)) < 0)
		cli_error("release %s: %s", m->name, err);
	printf("released %s%s%s\n", m->name, s ? ": back on " : "",
	       s ? s->name : "");
	return 0;
}

static bool
wanted(const struct vf_config *conf, const struct links *ls,
       const struct vf_link *m, const char *name)
{
	const struct vf_link *s;

	if (name == NULL || strcmp(m->name, name) == 0)
		return true;
	s = synthetic_of(conf, ls, m);
	return s != NULL && strcmp(s->name, name) == 0;
}

static int
release(const struct vf_config *conf, const char *name)
{
	struct links ls = { 0 };
	struct vf_netconf nc;
	struct vf_if *ifs;
	char err[256];
	int ret = 0, found = 0, stale;

	if ((ifs = vf_if_open(conf, false, err, sizeof(err))) == NULL) {
		cli_error("release: %s", err);
		return 1;
	}
	vf_daemon_netconf(&nc, conf);
	if (vf_if_dump(ifs, collect, &ls) < 0 || ls.oom) {
		cli_error("release: %s",
			  ls.oom ? "out of memory" : vf_if_error(ifs));
		ret = 1;
	}
	for (size_t i = 0; ret == 0 && i < ls.n; i++) {
		if ((!is_ours(&ls.v[i]) &&
		     !(ls.v[i].cls == VF_LINK_FAILOVER &&
		       vf_netconf_owns(&nc, ls.v[i].name))) ||
		    !wanted(conf, &ls, &ls.v[i], name))
			continue;
		found++;
		if (release_one(conf, ifs, &ls, &ls.v[i], &nc) < 0)
			ret = 1;
	}
	/* Files of masters that are gone (NM never built one): ours. */
	if (ret == 0 && name == NULL &&
	    (stale = vf_netconf_release_stale(&nc, err, sizeof(err))) != 0) {
		if (stale < 0)
			cli_error("release: %s", err);
		else
			printf("removed the files of %d master(s) that were "
			       "gone\n",
			       stale);
		ret = stale < 0;
	}
	if (ret == 0 && found == 0 && name != NULL) {
		cli_error("release: %s is not in a master of vfbond's", name);
		ret = 1;
	}
	free(ls.v);
	vf_if_close(ifs);
	return ret;
}

int
cmd_release(int argc, char **argv)
{
	const char *config = NULL, *socket_path = VF_CONTROL_PATH;
	char lock_path[VF_PATHSIZ];
	struct vf_config conf;
	int ret, lock;

	if ((ret = cli_oneshot_args("release", usage, argc, argv, &config,
				    &socket_path)) >= 0)
		return ret;
	if (argc - optind > 1)
		return cli_usage("release", "want at most one IFACE");
	if ((ret = cli_load_config(config, &conf)) != 0)
		return ret;
	vf_lock_path(socket_path, lock_path, sizeof(lock_path));
	lock = vf_lock_take(lock_path, 0);
	if (lock == -EWOULDBLOCK) {
		cli_error("release: vfbond is running; stop it first "
			  "(systemctl disable --now vfbond)");
		return 1;
	}
	if (lock < 0) {
		cli_error("release: lock %s: %s", lock_path, strerror(-lock));
		return 1;
	}
	ret = release(&conf, optind < argc ? argv[optind] : NULL);
	close(lock);
	return ret;
}
