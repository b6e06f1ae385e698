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

static bool
is_profile(const char *name)
{
	size_t n = strlen(name), k = strlen(KEYFILE);

	return n > k && strcmp(name + n - k, KEYFILE) == 0 &&
	       strncmp(name, VF_NM_PREFIX, strlen(VF_NM_PREFIX)) != 0;
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

			if (found == NULL && is_profile(list[i]->d_name)) {
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
	rc = nc->nm_reload(changed > 0, uuid, synthetic->name, err, errlen);
	if (rc >= 0 && vf != NULL)
		rc = nc->nm_reload(false, uuid, vf->name, err, errlen);
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
	int removed = 0, rc;

	our_paths(nc, master_name, bond, ports, conf, sizeof(bond));
	removed += unlink(conf) == 0;
	removed += unlink(ports) == 0;
	removed += unlink(bond) == 0;
	if (removed == 0 || nc->nm_reload == NULL)
		return removed > 0;
	/* NM takes the bond down with its profiles; the NIC gets one of
	 * NM's own again. */
	rc = nc->nm_reload(true, NULL, synthetic_name, err, errlen);
	return rc < 0 ? rc : 1;
}
