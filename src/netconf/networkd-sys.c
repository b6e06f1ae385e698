/* SPDX-License-Identifier: MIT */
/*
 * The networkd adapter's file work: finding the .network file that
 * selects the synthetic NIC, writing ours under /run/systemd/network
 * when they changed, and asking networkd to reload.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netconf/netconf-int.h"
#include "netconf/networkd.h"
#include "netconf/util.h"

static bool
is_ours(const char *name)
{
	return strncmp(name, VF_NETWORKD_PREFIX, strlen(VF_NETWORKD_PREFIX)) ==
	       0;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A .network file: its name, and the directory that wins for it. */
struct entry {
	char name[256];
	int dir; /* into vf_networkd_dirs */
};

struct entries {
	struct entry *v;
	size_t n, cap;
};

static bool
entries_has(const struct entries *es, const char *name)
{
	for (size_t i = 0; i < es->n; i++)
		if (strcmp(es->v[i].name, name) == 0)
			return true;
	return false;
}

/* Every .network name, once: the highest-priority directory's. */
static void
entries_scan(const struct vf_netconf *nc, struct entries *es)
{
	for (int d = 0; vf_networkd_dirs[d] != NULL; d++) {
		char dir[VF_PATHSIZ * 2];
		struct dirent *e;
		DIR *dp;

		vf_nc_path(nc, dir, sizeof(dir), vf_networkd_dirs[d]);
		if ((dp = opendir(dir)) == NULL)
			continue;
		while ((e = readdir(dp)) != NULL) {
			if (!ends_with(e->d_name, ".network") ||
			    is_ours(e->d_name) || entries_has(es, e->d_name))
				continue;
			if (es->n == es->cap) {
				size_t cap = es->cap ? es->cap * 2 : 16;
				void *v = realloc(es->v, cap * sizeof(*es->v));

				if (v == NULL)
					break;
				es->v = v;
				es->cap = cap;
			}
			snprintf(es->v[es->n].name, sizeof(es->v[0].name), "%s",
				 e->d_name);
			es->v[es->n++].dir = d;
		}
		closedir(dp);
	}
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

/* The first .network file, in networkd's order, that selects the NIC. */
static bool
find_network_file(const struct vf_netconf *nc, const struct vf_networkd_link *l,
		  char *path, size_t len)
{
	struct entries es = { 0 };
	bool found = false;

	entries_scan(nc, &es);
	if (es.n > 1)
		qsort(es.v, es.n, sizeof(*es.v), by_name);
	for (size_t i = 0; i < es.n && !found; i++) {
		char *text;

		snprintf(path, len, "%s%s/%s", nc->root,
			 vf_networkd_dirs[es.v[i].dir], es.v[i].name);
		if ((text = vf_nc_read_file(path)) == NULL)
			continue;
		found = vf_networkd_matches(text, l);
		free(text);
	}
	free(es.v);
	return found;
}

static void
link_of(const struct vf_link *s, struct vf_networkd_link *l)
{
	*l = (struct vf_networkd_link){
		s->name, s->driver, "ether", { 0 }, true
	};
	memcpy(l->mac, s->mac, VF_MACLEN);
}

bool
vf_networkd_selects(const struct vf_netconf *nc, const struct vf_link *s)
{
	struct vf_networkd_link l;
	char path[VF_PATHSIZ * 2];

	link_of(s, &l);
	return find_network_file(nc, &l, path, sizeof(path));
}

/* Drop-ins of NAME.network.d/ in every directory, by name. */
static size_t
read_dropins(const struct vf_netconf *nc, const char *file, char **out,
	     size_t max)
{
	const char *base = strrchr(file, '/');
	size_t n = 0;

	base = base != NULL ? base + 1 : file;
	for (int d = 0; vf_networkd_dirs[d] != NULL && n < max; d++) {
		char dir[VF_PATHSIZ * 4];
		struct dirent **list;
		int count;

		snprintf(dir, sizeof(dir), "%s%s/%s.d", nc->root,
			 vf_networkd_dirs[d], base);
		if ((count = scandir(dir, &list, NULL, alphasort)) < 0)
			continue;
		for (int i = 0; i < count; i++) {
			char path[VF_PATHSIZ * 5];

			if (ends_with(list[i]->d_name, ".conf") && n < max) {
				snprintf(path, sizeof(path), "%s/%s", dir,
					 list[i]->d_name);
				if ((out[n] = vf_nc_read_file(path)) != NULL)
					n++;
			}
			free(list[i]);
		}
		free(list);
	}
	return n;
}

static void
mac_hex(const uint8_t mac[VF_MACLEN], char out[13])
{
	for (int i = 0; i < VF_MACLEN; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

/*
 * The identity networkd derives for the NIC: known from udev's database
 * on a first boot too, when the NIC never had a lease. Without the
 * database networkd would wait for udev: unknown.
 */
static bool
default_iaid(const struct vf_netconf *nc, const struct vf_link *s,
	     uint32_t *iaid)
{
	char path[VF_PATHSIZ * 2];
	char *text;

	snprintf(path, sizeof(path), "%s/run/udev/data/n%d", nc->root,
		 s->ifindex);
	if ((text = vf_nc_read_file(path)) == NULL)
		return false;
	*iaid = vf_networkd_default_iaid(text, s->mac);
	free(text);
	return true;
}

/*
 * The DHCP identity the synthetic NIC's client used: from its lease,
 * kept in the state directory for the boots where the master exists
 * before any lease (the NIC's client never runs again); else the one
 * it would use.
 */
static bool
dhcp_iaid(const struct vf_netconf *nc, const struct vf_link *s, uint32_t *iaid)
{
	char path[VF_PATHSIZ * 3], hex[13], num[16];
	char *text;
	bool found;

	snprintf(path, sizeof(path), "%s/run/systemd/netif/leases/%d", nc->root,
		 s->ifindex);
	mac_hex(s->mac, hex);
	text = vf_nc_read_file(path);
	found = text != NULL && vf_networkd_lease_iaid(text, iaid);
	free(text);
	snprintf(path, sizeof(path), "%s%s/networkd-%s.iaid", nc->root,
		 nc->state_dir, hex);
	if (found) {
		char dir[VF_PATHSIZ * 2];

		snprintf(num, sizeof(num), "%u\n", (unsigned)*iaid);
		vf_nc_path(nc, dir, sizeof(dir), nc->state_dir);
		mkdir(dir, 0755);
		vf_nc_write_if_changed(path, num);
		return true;
	}
	if ((text = vf_nc_read_file(path)) != NULL) {
		found = sscanf(text, "%u", iaid) == 1;
		free(text);
	}
	return found || default_iaid(nc, s, iaid);
}

bool
vf_networkd_in_use(const struct vf_netconf *nc)
{
	/* Written by networkd itself; tmpfiles makes the directories. */
	return vf_nc_service_in_use(nc, "systemd-networkd.service",
				    "/run/systemd/netif/state");
}

static void
our_paths(const struct vf_netconf *nc, const char *master, char *mpath,
	  char *ppath, size_t len)
{
	snprintf(mpath, len, "%s%s/%s%s.network", nc->root, VF_NETWORKD_RUN_DIR,
		 VF_NETWORKD_PREFIX, master);
	snprintf(ppath, len, "%s%s/%s%s-ports.network", nc->root,
		 VF_NETWORKD_RUN_DIR, VF_NETWORKD_PREFIX, master);
}

static int
reload(struct vf_netconf *nc, char *err, size_t errlen)
{
	int rc = nc->reload != NULL ? nc->reload(nc->reload_arg) : 0;

	if (rc < 0)
		snprintf(err, errlen, "networkd did not reload: %s",
			 strerror(-rc));
	return rc < 0 ? rc : 1;
}

/* Both files' text for the pair; 0 or -errno. */
static int
networkd_texts(struct vf_netconf *nc, const struct vf_link *s,
	       const char *master, char **master_text, char **ports_text,
	       char *err, size_t errlen)
{
	struct vf_networkd_link l;
	char path[VF_PATHSIZ * 2], *text, *dropins[16];
	uint32_t iaid = 0;
	bool iaid_known;
	size_t n;

	link_of(s, &l);
	if (!find_network_file(nc, &l, path, sizeof(path))) {
		snprintf(err, errlen, "no .network file selects %s", s->name);
		return -ENOENT;
	}
	if ((text = vf_nc_read_file(path)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	n = read_dropins(nc, path, dropins, 16);
	iaid_known = dhcp_iaid(nc, s, &iaid);
	*master_text = vf_networkd_master_file(path + strlen(nc->root), text,
					       (const char *const *)dropins, n,
					       master, iaid_known, iaid);
	*ports_text = vf_networkd_ports_file(s->mac, master);
	free(text);
	for (size_t i = 0; i < n; i++)
		free(dropins[i]);
	if (*master_text == NULL || *ports_text == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}
/*
 * Our files, the ports' one only with ports: before a master exists,
 * its own file alone, so that networkd configures it from the start
 * and the NIC meanwhile keeps its configuration.
 */
static int
networkd_write(struct vf_netconf *nc, const struct vf_link *s,
	       const char *master, bool ports, char *err, size_t errlen)
{
	char mpath[VF_PATHSIZ * 2], ppath[VF_PATHSIZ * 2], dir[VF_PATHSIZ];
	char *mtext = NULL, *ptext = NULL;
	int rc, changed = 0;

	rc = networkd_texts(nc, s, master, &mtext, &ptext, err, errlen);
	if (rc < 0)
		goto out;
	vf_nc_path(nc, dir, sizeof(dir), VF_NETWORKD_RUN_DIR);
	mkdir(dir, 0755);
	our_paths(nc, master, mpath, ppath, sizeof(mpath));
	/* The master's first: a NIC without config is better than a NIC
	 * whose config is in two places. */
	if ((rc = vf_nc_write_if_changed(mpath, mtext)) < 0 ||
	    (changed = rc,
	     ports && (rc = vf_nc_write_if_changed(ppath, ptext)) < 0)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
		goto out;
	}
	changed |= ports ? rc : 0;
	rc = changed ? reload(nc, err, errlen) : 0;
out:
	free(mtext);
	free(ptext);
	return rc;
}

int
vf_networkd_prepare(struct vf_netconf *nc, const struct vf_link *synthetic,
		    const char *master_name, char *err, size_t errlen)
{
	return networkd_write(nc, synthetic, master_name, false, err, errlen);
}

int
vf_networkd_follow(struct vf_netconf *nc, const struct vf_link *synthetic,
		   const struct vf_link *master, char *err, size_t errlen)
{
	return networkd_write(nc, synthetic, master->name, true, err, errlen);
}

int
vf_networkd_release(struct vf_netconf *nc, const char *master_name, char *err,
		    size_t errlen)
{
	char mpath[VF_PATHSIZ * 2], ppath[VF_PATHSIZ * 2];
	int removed = 0;

	our_paths(nc, master_name, mpath, ppath, sizeof(mpath));
	removed += unlink(ppath) == 0;
	removed += unlink(mpath) == 0;
	if (removed == 0)
		return 0;
	return reload(nc, err, errlen);
}
