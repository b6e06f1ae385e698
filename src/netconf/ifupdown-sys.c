/* SPDX-License-Identifier: MIT */
/*
 * The ifupdown adapter's work. The synthetic NIC's stanzas are copied
 * for the master into /run/vfbond/ifupdown/MASTER.interfaces and brought
 * up with `ifup -i` in a transient unit of its own (so its dhclient
 * outlives a restart of vfbond and is not in vfbond's sandbox); the NIC
 * is marked configured in ifupdown's state, so that `ifup -a` and
 * hotplug leave it alone, and its dhclient is stopped. The dhclient
 * lease files go over with the identity (the DUID) they hold.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netconf/ifupdown.h"
#include "netconf/netconf-int.h"
#include "netconf/util.h"

#define RUN_DIR	   "/run/vfbond/ifupdown"
#define LEASE_DIR  "/var/lib/dhcp"
#define MAX_DEPTH  4
#define SYSTEMDRUN "/usr/bin/systemd-run"
#define SYSTEMCTL  "/bin/systemctl"

/* Every interfaces file, "source"s followed, as one text. */
struct text {
	const struct vf_netconf *nc;
	char *s;
	size_t len;
	int depth;
};

static void read_into(struct text *t, const char *path);

/* source-directory takes names of letters, digits, - and _ only. */
static int
plain_name(const struct dirent *e)
{
	return e->d_name[0] != '\0' &&
	       strspn(e->d_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
				 "QRSTUVWXYZ0123456789-_") == strlen(e->d_name);
}

static void
source(void *arg, bool dir, const char *pattern)
{
	struct text *t = arg;
	char full[VF_PATHSIZ * 2];

	/* Relative to the first file's directory. */
	snprintf(full, sizeof(full), "%s%s%s", t->nc->root,
		 pattern[0] == '/' ? "" : "/etc/network/", pattern);
	if (dir) {
		struct dirent **list;
		int n = scandir(full, &list, plain_name, alphasort);

		for (int i = 0; i < n; i++) {
			char path[VF_PATHSIZ * 3];

			snprintf(path, sizeof(path), "%s/%s", full,
				 list[i]->d_name);
			read_into(t, path);
			free(list[i]);
		}
		if (n >= 0)
			free(list);
		return;
	}
	glob_t g;

	if (glob(full, 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		read_into(t, g.gl_pathv[i]);
	globfree(&g);
}

static void
read_into(struct text *t, const char *path)
{
	char *text;
	size_t n;
	char *s;

	if (t->depth >= MAX_DEPTH || (text = vf_nc_read_file(path)) == NULL)
		return;
	n = strlen(text);
	if ((s = realloc(t->s, t->len + n + 2)) != NULL) {
		t->s = s;
		memcpy(t->s + t->len, text, n);
		t->len += n;
		t->s[t->len++] = '\n';
		t->s[t->len] = '\0';
	}
	t->depth++;
	vf_ifupdown_sources(text, source, t);
	t->depth--;
	free(text);
}

/* The NIC's stanzas as the master's; "" when it has none. */
static char *
master_stanzas(const struct vf_netconf *nc, const char *syn, const char *master,
	       bool *dhcp)
{
	struct text t = { nc, NULL, 0, 0 };
	char path[VF_PATHSIZ * 2];
	char *out;

	vf_nc_path(nc, path, sizeof(path), VF_IFUPDOWN_CONFIG);
	read_into(&t, path);
	out = vf_ifupdown_master_stanzas(t.s != NULL ? t.s : "", syn, master,
					 dhcp);
	free(t.s);
	return out;
}

bool
vf_ifupdown_configures_any(const struct vf_netconf *nc)
{
	struct text t = { nc, NULL, 0, 0 };
	char path[VF_PATHSIZ * 2];
	bool any;

	if (!vf_nc_service_in_use(nc, "networking.service", VF_IFUPDOWN_STATE))
		return false;
	vf_nc_path(nc, path, sizeof(path), VF_IFUPDOWN_CONFIG);
	read_into(&t, path);
	any = t.s != NULL && vf_ifupdown_configures_other(t.s, "lo");
	free(t.s);
	return any;
}

bool
vf_ifupdown_in_use(const struct vf_netconf *nc, const struct vf_link *s)
{
	char *stanzas;
	bool dhcp, used;

	if (!vf_nc_service_in_use(nc, "networking.service", VF_IFUPDOWN_STATE))
		return false;
	stanzas = master_stanzas(nc, s->name, "x", &dhcp);
	used = stanzas != NULL && stanzas[0] != '\0';
	free(stanzas);
	return used;
}

/*
 * ifup asks IFACE's own state file (/run/network/ifstate.IFACE: its
 * logical name, or nothing); ifquery --state and ifdown -a read the
 * list in /run/network/ifstate. Both say the same.
 */
static void
iface_state_path(const struct vf_netconf *nc, const char *iface, char *out,
		 size_t len)
{
	snprintf(out, len, "%s%s.%s", nc->root, VF_IFUPDOWN_STATE, iface);
}

/*
 * Marks iface configured as logical (NULL: not configured) in ifupdown's
 * state. 0 or -errno.
 */
static int
state_mark(const struct vf_netconf *nc, const char *iface, const char *logical)
{
	char path[VF_PATHSIZ * 2], mine[VF_PATHSIZ * 2], *old, *new;
	char line[VF_IFNAMSIZ + 16];
	int rc;

	vf_nc_path(nc, path, sizeof(path), "/run/network");
	vf_nc_mkdirs(path);
	iface_state_path(nc, iface, mine, sizeof(mine));
	snprintf(line, sizeof(line), "%s\n", logical != NULL ? logical : "");
	if ((rc = vf_nc_write_if_changed(mine, line)) < 0)
		return rc;
	vf_nc_path(nc, path, sizeof(path), VF_IFUPDOWN_STATE);
	old = vf_nc_read_file(path);
	new = vf_ifupdown_state_set(old != NULL ? old : "", iface, logical);
	free(old);
	if (new == NULL)
		return -ENOMEM;
	rc = vf_nc_write_if_changed(path, new);
	free(new);
	return rc < 0 ? rc : 0;
}

static bool
state_has(const struct vf_netconf *nc, const char *iface)
{
	char path[VF_PATHSIZ * 2], *state;
	bool has;

	iface_state_path(nc, iface, path, sizeof(path));
	if ((state = vf_nc_read_file(path)) == NULL)
		return false;
	has = state[0] != '\0' && state[0] != '\n';
	free(state);
	return has;
}

/* Whether /proc/PID runs dhclient with iface as its last argument. */
static bool
dhclient_of(const char *pid, const char *iface)
{
	char path[300], argv[1024];
	const char *last = NULL, *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	n = fread(argv, 1, sizeof(argv) - 1, f);
	fclose(f);
	argv[n] = '\0';
	p = strrchr(argv, '/');
	if (strcmp(p != NULL ? p + 1 : argv, "dhclient") != 0)
		return false;
	for (p = argv; p < argv + n; p += strlen(p) + 1)
		last = p;
	return last != NULL && strcmp(last, iface) == 0;
}

/*
 * Stops every dhclient of iface (SIGTERM: no release is sent, the
 * lease stays the master's). By its command line, not its pid file:
 * dhclient writes that only once it has a lease.
 */
static void
stop_dhclients(const struct vf_netconf *nc, const char *iface)
{
	char pidfile[VF_PATHSIZ + 64];
	struct dirent *e;
	DIR *proc;

	if (nc->root[0] == '\0' && (proc = opendir("/proc")) != NULL) {
		while ((e = readdir(proc)) != NULL)
			if (e->d_name[0] >= '1' && e->d_name[0] <= '9' &&
			    dhclient_of(e->d_name, iface))
				kill(atoi(e->d_name), SIGTERM);
		closedir(proc);
	}
	snprintf(pidfile, sizeof(pidfile), "%s/run/dhclient.%s.pid", nc->root,
		 iface);
	unlink(pidfile);
	snprintf(pidfile, sizeof(pidfile), "%s/run/dhclient6.%s.pid", nc->root,
		 iface);
	unlink(pidfile);
}

/*
 * from's lease files become to's when newer, or only where to has none
 * (a master's identity, once made, is its own across boots): the
 * identity goes along.
 */
static void
carry_leases(const struct vf_netconf *nc, const char *from, const char *to,
	     bool only_new)
{
	static const char *const kinds[] = { "dhclient", "dhclient6" };

	for (size_t i = 0; i < 2; i++) {
		char src[VF_PATHSIZ * 2], dst[VF_PATHSIZ * 2], rel[96], *text;
		struct stat a, b;

		snprintf(rel, sizeof(rel), LEASE_DIR "/%s.%s.leases", kinds[i],
			 from);
		vf_nc_path(nc, src, sizeof(src), rel);
		snprintf(rel, sizeof(rel), LEASE_DIR "/%s.%s.leases", kinds[i],
			 to);
		vf_nc_path(nc, dst, sizeof(dst), rel);
		if (stat(src, &a) < 0)
			continue;
		if (stat(dst, &b) == 0 && (only_new || b.st_mtime > a.st_mtime))
			continue;
		if ((text = vf_nc_read_file(src)) != NULL)
			vf_nc_write_if_changed(dst, text);
		free(text);
	}
}

static void
unit_name(char *out, size_t len, const char *iface)
{
	snprintf(out, len, "vfbond-ifup-%s.service", iface);
}

/* `ifup -i FILE IFACE` in a transient unit, not waited for. */
static int
ifup_in_unit(const char *file, const char *iface)
{
	char unit[64];
	char *argv[] = { SYSTEMDRUN,
			 "--no-block",
			 "--quiet",
			 "--collect",
			 "--unit",
			 unit,
			 "--property=Type=oneshot",
			 "--property=RemainAfterExit=yes",
			 "/sbin/ifup",
			 file[0] != '\0' ? "-i" : "--force",
			 (char *)(file[0] != '\0' ? file : iface),
			 file[0] != '\0' ? (char *)iface : NULL,
			 NULL };

	unit_name(unit, sizeof(unit), iface);
	return vf_nc_run(argv) == 0 ? 0 : -EIO;
}

static int
ifupdown_write(struct vf_netconf *nc, const struct vf_link *s,
	       const struct vf_link *m, char *path, size_t len, bool *dhcp,
	       char *err, size_t errlen)
{
	char dir[VF_PATHSIZ * 2], *stanzas, *text;
	int rc;

	stanzas = master_stanzas(nc, s->name, m->name, dhcp);
	if (stanzas == NULL || stanzas[0] == '\0') {
		free(stanzas);
		snprintf(err, errlen, "no ifupdown stanza for %s", s->name);
		return -ENOENT;
	}
	if (asprintf(&text,
		     "# Written by vfbond: %s's stanzas, for the failover "
		     "master.\n# Removed by 'vfbond release'.\n%s",
		     s->name, stanzas) < 0) {
		free(stanzas);
		return -ENOMEM;
	}
	free(stanzas);
	vf_nc_path(nc, dir, sizeof(dir), RUN_DIR);
	vf_nc_mkdirs(dir);
	snprintf(path, len, "%s/%s.interfaces", dir, m->name);
	rc = vf_nc_write_if_changed(path, text);
	free(text);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

int
vf_ifupdown_follow(struct vf_netconf *nc, const struct vf_link *s,
		   const struct vf_link *m, char *err, size_t errlen)
{
	char path[VF_PATHSIZ * 3], marker[VF_PATHSIZ * 3];
	bool dhcp;
	int rc, changed;

	if ((changed = ifupdown_write(nc, s, m, path, sizeof(path), &dhcp, err,
				      errlen)) < 0)
		return changed;
	/* Before anything can start its DHCP client on the NIC again. */
	if ((rc = state_mark(nc, s->name, VF_IFUPDOWN_HELD)) < 0) {
		snprintf(err, errlen, "%s: %s", VF_IFUPDOWN_STATE,
			 strerror(-rc));
		return rc;
	}
	stop_dhclients(nc, s->name);
	if (state_has(nc, m->name))
		return changed;
	/* A static setup already moved by the takeover is in place. */
	if (!dhcp && vf_nc_has_ipv4(m->name)) {
		rc = state_mark(nc, m->name, m->name);
		return rc < 0 ? rc : 1;
	}
	/* Once: ifup is at work until it marks the master configured. */
	snprintf(marker, sizeof(marker), "%s%s/%s.started", nc->root, RUN_DIR,
		 m->name);
	if (access(marker, F_OK) == 0)
		return changed;
	carry_leases(nc, s->name, m->name, true);
	if (nc->root[0] == '\0' &&
	    (rc = ifup_in_unit(path + strlen(nc->root), m->name)) < 0) {
		snprintf(err, errlen, "systemd-run ifup %s failed", m->name);
		return rc;
	}
	vf_nc_write_if_changed(marker, "");
	return 1;
}

int
vf_ifupdown_release(struct vf_netconf *nc, const char *master, const char *syn,
		    char *err, size_t errlen)
{
	char path[VF_PATHSIZ * 3], unit[64];
	char *stop[] = { SYSTEMCTL, "stop", unit, NULL };

	snprintf(path, sizeof(path), "%s%s/%s.interfaces", nc->root, RUN_DIR,
		 master);
	if (access(path, F_OK) != 0)
		return 0;
	stop_dhclients(nc, master);
	unit_name(unit, sizeof(unit), master);
	if (nc->root[0] == '\0')
		vf_nc_run(stop);
	state_mark(nc, master, NULL);
	unlink(path);
	snprintf(path, sizeof(path), "%s%s/%s.started", nc->root, RUN_DIR,
		 master);
	unlink(path);
	if (syn == NULL || syn[0] == '\0')
		return 1;
	carry_leases(nc, master, syn, false);
	state_mark(nc, syn, NULL);
	if (nc->root[0] == '\0' && ifup_in_unit("", syn) < 0) {
		snprintf(err, errlen, "systemd-run ifup %s failed", syn);
		return -EIO;
	}
	return 1;
}
