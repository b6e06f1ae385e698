/* SPDX-License-Identifier: MIT */
/*
 * The NetworkManager adapter's file work: which profile configured the
 * NIC, our three files under /run (two profiles, one conf.d snippet),
 * and asking NM to read them and, on a running system, to move the NIC
 * into the bond. NM reads /run at start: at boot we run before it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netconf/netconf-int.h"
#include "netconf/networkmanager.h"
#include "netconf/util.h"

#define KEYFILE ".nmconnection"

bool
vf_nm_in_use(const struct vf_netconf *nc)
{
	/* NM keeps its device state there while it runs. */
	return vf_nc_service_in_use(nc, "NetworkManager.service",
				    "/run/NetworkManager/devices");
}

/*
 * A keyfile NM reads: NAME.nmconnection; in /etc also a name without
 * a suffix (older systems' "Wired connection 1"), as NM still reads
 * those there. Never ours.
 */
static bool
is_profile(const char *name, bool etc)
{
	size_t n = strlen(name), k = strlen(KEYFILE);

	if (strncmp(name, VF_NM_PREFIX, strlen(VF_NM_PREFIX)) == 0 ||
	    name[0] == '.')
		return false;
	if (n > k && strcmp(name + n - k, KEYFILE) == 0)
		return true;
	return etc && strchr(name, '.') == NULL && name[n - 1] != '~';
}

/* The first profile, by directory and then name, that selects the NIC. */
static char *
find_origin(const struct vf_netconf *nc, const struct vf_link *s)
{
	char *found = NULL;

	for (int d = 0; vf_nm_profile_dirs[d] != NULL && found == NULL; d++) {
		char dir[VF_PATHSIZ * 2];
		struct dirent **list;
		int count;

		vf_nc_path(nc, dir, sizeof(dir), vf_nm_profile_dirs[d]);
		if ((count = scandir(dir, &list, NULL, alphasort)) < 0)
			continue;
		for (int i = 0; i < count; i++) {
			char path[VF_PATHSIZ * 3];
			char *text;

			if (found == NULL &&
			    is_profile(list[i]->d_name, d == 0)) {
				snprintf(path, sizeof(path), "%s/%s", dir,
					 list[i]->d_name);
				text = vf_nc_read_file(path);
				if (text != NULL && vf_nm_profile_selects(
							text, s->name, s->mac))
					found = text;
				else
					free(text);
			}
			free(list[i]);
		}
		free(list);
	}
	return found;
}

static void
our_paths(const struct vf_netconf *nc, const char *master, char *bond,
	  char *ports, char *conf, size_t len)
{
	snprintf(bond, len, "%s%s/%s%s" KEYFILE, nc->root, VF_NM_RUN_DIR,
		 VF_NM_PREFIX, master);
	snprintf(ports, len, "%s%s/%s%s-ports" KEYFILE, nc->root, VF_NM_RUN_DIR,
		 VF_NM_PREFIX, master);
	snprintf(conf, len, "%s%s/%s%s.conf", nc->root, VF_NM_CONF_DIR,
		 VF_NM_PREFIX, master);
}

/* Writes the three; 1 if one changed, 0, or -errno with err set. */
static int
write_files(struct vf_netconf *nc, const struct vf_link *s, const char *master,
	    char *err, size_t errlen)
{
	char paths[3][VF_PATHSIZ * 2], dir[VF_PATHSIZ * 2];
	char *origin = find_origin(nc, s);
	char *text[3];
	int rc = 0, changed = 0;

	text[0] = vf_nm_conf(s->mac);
	text[1] = vf_nm_bond_profile(origin, master, s->mac, nc->link_check_ms);
	text[2] = vf_nm_port_profile(master, s->mac);
	free(origin);
	our_paths(nc, master, paths[1], paths[2], paths[0], sizeof(paths[0]));
	vf_nc_path(nc, dir, sizeof(dir), VF_NM_RUN_DIR);
	vf_nc_mkdirs(dir);
	vf_nc_path(nc, dir, sizeof(dir), VF_NM_CONF_DIR);
	vf_nc_mkdirs(dir);
	/* conf.d first: no default profile for a VF while the rest comes. */
	for (int i = 0; i < 3 && rc >= 0; i++) {
		if (text[i] == NULL)
			rc = -ENOMEM;
		else if ((rc = vf_nc_write_mode(paths[i], text[i], 0600)) > 0)
			changed = 1;
		if (rc < 0)
			snprintf(err, errlen, "%s: %s", paths[i],
				 strerror(-rc));
	}
	for (int i = 0; i < 3; i++)
		free(text[i]);
	return rc < 0 ? rc : changed;
}

int
vf_nm_hand_over(struct vf_netconf *nc, const struct vf_link *synthetic,
		const struct vf_link *vf, const char *master_name, char *err,
		size_t errlen)
{
	char uuid[37];
	int changed = write_files(nc, synthetic, master_name, err, errlen);
	int rc;

	if (changed < 0 || nc->nm_reload == NULL)
		return changed;
	/* Every time: a NIC or VF still on a profile of its own (a live
	 * conversion: NM ran DHCP on both) is moved into the bond. */
	vf_nm_uuid(master_name, "ports", uuid);
	rc = nc->nm_reload(changed > 0, uuid, synthetic->name, false, err,
			   errlen);
	if (rc >= 0 && vf != NULL)
		rc = nc->nm_reload(false, uuid, vf->name, false, err, errlen);
	return rc < 0 ? rc : changed;
}

bool
vf_nm_owns(const struct vf_netconf *nc, const char *master_name)
{
	char bond[VF_PATHSIZ * 2], ports[VF_PATHSIZ * 2], conf[VF_PATHSIZ * 2];

	our_paths(nc, master_name, bond, ports, conf, sizeof(bond));
	return access(bond, F_OK) == 0;
}

int
vf_nm_release(struct vf_netconf *nc, const char *master_name,
	      const char *synthetic_name, char *err, size_t errlen)
{
	char bond[VF_PATHSIZ * 2], ports[VF_PATHSIZ * 2], conf[VF_PATHSIZ * 2];
	char uuid[37];
	int removed = 0, rc;

	our_paths(nc, master_name, bond, ports, conf, sizeof(bond));
	vf_nm_uuid(master_name, "ports", uuid);
	removed += unlink(conf) == 0;
	removed += unlink(ports) == 0;
	removed += unlink(bond) == 0;
	if (removed == 0 || nc->nm_reload == NULL)
		return removed > 0;
	/* NM takes the bond down with its profiles; the NIC gets one of
	 * NM's own again. */
	rc = nc->nm_reload(true, synthetic_name != NULL ? uuid : NULL,
			   synthetic_name, true, err, errlen);
	return rc < 0 ? rc : 1;
}

/* The master a file of ours is for, from its name; false if none. */
static bool
master_of_file(const char *file, char *out, size_t len)
{
	static const char *const suffixes[] = { "-ports" KEYFILE, KEYFILE,
						".conf", NULL };
	size_t p = strlen(VF_NM_PREFIX), n = strlen(file);

	if (strncmp(file, VF_NM_PREFIX, p) != 0)
		return false;
	for (int i = 0; suffixes[i] != NULL; i++) {
		size_t k = strlen(suffixes[i]);

		if (n > p + k && strcmp(file + n - k, suffixes[i]) == 0 &&
		    n - p - k < len) {
			snprintf(out, len, "%.*s", (int)(n - p - k), file + p);
			return true;
		}
	}
	return false;
}

int
vf_nm_release_all(struct vf_netconf *nc, char *err, size_t errlen)
{
	static const char *const dirs[] = { VF_NM_RUN_DIR, VF_NM_CONF_DIR };
	int released = 0;

	for (int d = 0; d < 2; d++) {
		char dir[VF_PATHSIZ * 2], master[VF_IFNAMSIZ];
		struct dirent **list;
		int count, rc;

		vf_nc_path(nc, dir, sizeof(dir), dirs[d]);
		if ((count = scandir(dir, &list, NULL, alphasort)) < 0)
			continue;
		for (int i = 0; i < count; i++) {
			if (master_of_file(list[i]->d_name, master,
					   sizeof(master)) &&
			    (rc = vf_nm_release(nc, master, NULL, err,
						errlen)) != 0)
				released = rc < 0 ? rc : released + 1;
			free(list[i]);
		}
		free(list);
	}
	return released;
}
